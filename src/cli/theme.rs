//! Themes: which theme file each source uses, each read once, and `briefpress theme FILE`.

use super::input::{Folder, Source, source_dir};
use super::{Outcome, UsageError, report, say};
use briefpress::error::{Error, Location};
use briefpress::theme::{PageSize, Theme};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The theme file a source uses: `--theme`, else `briefpress.toml` beside the source, else
/// `briefpress.toml` in the working folder, else the embedded default.
const THEME_FILE: &str = "briefpress.toml";

/// The themes of one run, each theme file read once.
pub(super) struct Themes {
    /// By source folder: the theme, or the located error that fails every source using it.
    by_dir: BTreeMap<PathBuf, Result<Arc<Theme>, Error>>,
}

impl Themes {
    /// Loads `--theme` (a broken one stops the run: status 2) or every theme file the
    /// sources' folders hold; `page` (from `--page-size`) overrides every theme's paper.
    pub(super) fn load(
        sources: &[Source],
        explicit: Option<&Path>,
        page: Option<PageSize>,
    ) -> anyhow::Result<Themes> {
        let with_page = |mut t: Theme| {
            if let Some(p) = page {
                t.page = p;
            }
            Arc::new(t)
        };
        let mut by_dir = BTreeMap::new();
        if let Some(file) = explicit {
            let theme = read_theme(file).map_err(|e| UsageError(e.to_string()))?;
            let theme = with_page(theme);
            for s in sources {
                by_dir.insert(source_dir(&s.path), Ok(theme.clone()));
            }
            return Ok(Themes { by_dir });
        }
        let fallback = match theme_if_present(Path::new(THEME_FILE)) {
            Some(theme) => theme.map(with_page),
            None => Ok(with_page(Theme::default())),
        };
        for s in sources {
            let dir = source_dir(&s.path);
            if by_dir.contains_key(&dir) {
                continue;
            }
            // Opened the way the source is (through its manifest's folder, for a brief a
            // manifest names). A folder that cannot be opened fails the source itself, with
            // its own message, when it is read.
            let beside = s
                .folder()
                .ok()
                .and_then(|folder| theme_in(folder, &dir.join(THEME_FILE), false).ok());
            let theme = match beside {
                Some(theme) => theme.map(with_page),
                None => fallback.clone(),
            };
            by_dir.insert(dir, theme);
        }
        Ok(Themes { by_dir })
    }

    /// The theme for a source, or the theme file's error.
    pub(super) fn for_source(&self, src: &Path) -> Result<&Theme, Error> {
        match self.by_dir.get(&source_dir(src)) {
            Some(Ok(t)) => Ok(t),
            Some(Err(e)) => Err(e.clone()),
            None => Err(Error::source(
                Location::default(),
                "internal: no theme for this source",
                None,
            )),
        }
    }
}

/// The theme file at `file` when there is one (`None` when it does not exist).
fn theme_if_present(file: &Path) -> Option<Result<Theme, Error>> {
    read_theme_file(file, false).ok()
}

/// A theme file that does not exist (for the files looked for beside sources).
struct Missing;

/// Reads a theme file the user named; its logo and fonts are named relative to it and read
/// through one handle on its folder, never outside it, or by an absolute path (a system font).
pub(super) fn read_theme(file: &Path) -> Result<Theme, Error> {
    read_theme_file(file, true).unwrap_or_else(|Missing| {
        Err(theme_error(
            file,
            Location::default(),
            "cannot be read (the file does not exist); check the path".into(),
        ))
    })
}

/// A theme file's problem: the location is the theme file's, so it goes into the message, not
/// onto the source.
fn theme_error(file: &Path, at: Location, message: String) -> Error {
    Error::source(
        Location::default(),
        format!("theme {}{}: {message}", file.display(), at.suffix()),
        None,
    )
}

/// Reads a theme file; only a theme the user `named` may name files by absolute path (one found
/// beside the sources comes with them, and may be as hostile as they are).
fn read_theme_file(file: &Path, named: bool) -> Result<Result<Theme, Error>, Missing> {
    match Folder::of_file(file, "the theme's folder") {
        Ok(folder) => theme_in(folder, file, named),
        Err(e) => cannot_read(file, e),
    }
}

/// A theme file that cannot be read: missing, or the error that says why.
fn cannot_read(file: &Path, e: std::io::Error) -> Result<Result<Theme, Error>, Missing> {
    if e.kind() == std::io::ErrorKind::NotFound {
        Err(Missing)
    } else {
        Ok(Err(theme_error(
            file,
            Location::default(),
            format!("cannot be read ({e})"),
        )))
    }
}

/// Reads the theme file `file` (its path, for messages) in its opened `folder`.
fn theme_in(folder: Folder, file: &Path, named: bool) -> Result<Result<Theme, Error>, Missing> {
    let fail = |at: Location, message: String| theme_error(file, at, message);
    let folder = if named {
        folder.trusting_absolute_paths()
    } else {
        folder
    };
    let name = file.file_name().map(PathBuf::from).unwrap_or_default();
    let bytes = match folder.read(&name) {
        Ok(b) => b,
        Err(e) => return cannot_read(file, e),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(Err(fail(
            Location::default(),
            "is not UTF-8 text; re-save it as UTF-8".into(),
        )));
    };
    let located = |e: briefpress::theme::ThemeError| {
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => Location::at(l, c),
            (Some(l), None) => Location::line(l),
            _ => Location::default(),
        };
        fail(at, e.message)
    };
    Ok(briefpress::theme::ThemeFile::parse(&text)
        .map_err(located)
        .and_then(|parsed| {
            parsed
                .into_theme(&text, &mut |rel| folder.read_named(rel))
                .map_err(located)
        }))
}

/// `briefpress theme FILE`: checks a theme file and says what it sets.
pub(super) fn check_theme(file: Option<&Path>) -> anyhow::Result<Outcome> {
    let Some(file) = file else {
        return Ok(Outcome::Success);
    };
    match read_theme(file) {
        Ok(t) => {
            let (w, h) = t.page.points();
            say(
                &mut std::io::stdout().lock(),
                format_args!(
                    "{}: ok — publisher “{}”, page {:.0} × {:.0} mm, {} pt {} / {}",
                    file.display(),
                    t.publisher,
                    w * 25.4 / 72.0,
                    h * 25.4 / 72.0,
                    t.base_size,
                    t.serif.name,
                    t.sans.name
                ),
            )?;
            Ok(Outcome::Success)
        }
        Err(error) => {
            report("error", &error);
            Ok(Outcome::SourceFailed)
        }
    }
}
