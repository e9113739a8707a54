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
/// `\` → `/`), relative to the naming file's folder.
pub fn relative_path(path: &str) -> Result<String, PathProblem> {
    let p = path.trim().replace('\\', "/");
    if p.is_empty() {
        return Err(PathProblem::Empty);
    }
    let b = p.as_bytes();
    let drive = b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic();
    if p.starts_with('/') || drive || p.contains("://") {
        return Err(PathProblem::Absolute);
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(PathProblem::ClimbsOut);
                }
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return Err(PathProblem::Folder);
    }
    Ok(parts.join("/"))
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
}
