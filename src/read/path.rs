//! The one check every path a file names goes through before it is opened — an image in a
//! source, a brief or cover in a pack manifest, a logo or font in a theme: it must be relative
//! and stay beneath the naming file's folder. Symbolic links are the opener's part (the CLI
//! opens every file through a handle on that folder, which refuses a link leading out).

use std::fmt;

/// Why a named path cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathProblem {
    /// Nothing but spaces.
    Empty,
    /// Starts at a root (`/etc/passwd`), a drive (`C:\…`) or is a URL (`file:///…`).
    Absolute,
    /// Its `..` parts climb above the folder it starts from.
    ClimbsOut,
    /// It names the folder itself (`.`, `a/..`).
    Folder,
}

impl fmt::Display for PathProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PathProblem::Empty => "is empty",
            PathProblem::Absolute => "is absolute",
            PathProblem::ClimbsOut => "climbs out of its folder",
            PathProblem::Folder => "names a folder, not a file",
        })
    }
}

/// Checks a path named inside a file and returns it normalised (`./a/../b.png` → `b.png`,
/// `\\` → `/`), relative to the naming file's folder.
pub fn relative_path(path: &str) -> Result<String, PathProblem> {
    relative_path_up_to(path, 0).map(|(_, p)| p)
}

/// [`relative_path`] for a path that may climb `max_up` folders above the naming file's folder
/// and no more (a pack manifest naming a brief in a sibling folder, `../briefs/a.md`): how
/// many folders it climbs, and the path normalised with that many leading `../`.
pub fn relative_path_up_to(path: &str, max_up: usize) -> Result<(usize, String), PathProblem> {
    let p = path.trim().replace('\\', "/");
    if p.is_empty() {
        return Err(PathProblem::Empty);
    }
    let b = p.as_bytes();
    let drive = b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic();
    if p.starts_with('/') || drive || p.contains("://") {
        return Err(PathProblem::Absolute);
    }
    let mut up = 0;
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    up += 1;
                    if up > max_up {
                        return Err(PathProblem::ClimbsOut);
                    }
                }
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return Err(PathProblem::Folder);
    }
    Ok((up, "../".repeat(up) + &parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_folder_are_refused() {
        assert_eq!(relative_path("/etc/passwd"), Err(PathProblem::Absolute));
        assert_eq!(
            relative_path("C:\\Windows\\win.ini"),
            Err(PathProblem::Absolute)
        );
        assert_eq!(
            relative_path("file:///etc/passwd"),
            Err(PathProblem::Absolute)
        );
        assert_eq!(relative_path("../secret.png"), Err(PathProblem::ClimbsOut));
        assert_eq!(
            relative_path("img/../../x.png"),
            Err(PathProblem::ClimbsOut)
        );
        assert_eq!(relative_path("  "), Err(PathProblem::Empty));
        assert_eq!(relative_path("img/.."), Err(PathProblem::Folder));
        assert_eq!(relative_path("./img/../photo.jpg").unwrap(), "photo.jpg");
        assert_eq!(relative_path("img\\a.png").unwrap(), "img/a.png");
    }

    #[test]
    fn a_path_may_climb_as_far_as_it_is_allowed_and_no_further() {
        assert_eq!(
            relative_path_up_to("../briefs/./a.md", 1),
            Ok((1, "../briefs/a.md".into()))
        );
        assert_eq!(
            relative_path_up_to("sub/../../x/a.md", 1),
            Ok((1, "../x/a.md".into()))
        );
        assert_eq!(relative_path_up_to("a.md", 1), Ok((0, "a.md".into())));
        assert_eq!(
            relative_path_up_to("../../a.md", 1),
            Err(PathProblem::ClimbsOut)
        );
        assert_eq!(relative_path_up_to("..", 1), Err(PathProblem::Folder));
        assert_eq!(
            relative_path_up_to("/etc/a.md", 1),
            Err(PathProblem::Absolute)
        );
    }
}
