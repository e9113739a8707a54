//! Themes: which theme file each source uses, each read once, and `briefpress theme FILE`.

use super::input::{read_capped, source_dir};
use super::{Outcome, UsageError};
use briefpress::error::{Error, Location};
use briefpress::theme::{PageSize, Theme};
use std::collections::BTreeMap;
use std::io::Write;
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
        sources: &[PathBuf],
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
                by_dir.insert(source_dir(s), Ok(theme.clone()));
            }
            return Ok(Themes { by_dir });
        }
        let cwd_file = Path::new(THEME_FILE);
        let fallback = if cwd_file.is_file() {
            read_theme(cwd_file).map(with_page)
        } else {
            Ok(with_page(Theme::default()))
        };
        for s in sources {
            let dir = source_dir(s);
            if by_dir.contains_key(&dir) {
                continue;
            }
            let beside = dir.join(THEME_FILE);
            let theme = if beside.is_file() {
                read_theme(&beside).map(with_page)
            } else {
                fallback.clone()
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

/// Reads a theme file; its paths resolve from its own folder.
pub(super) fn read_theme(file: &Path) -> Result<Theme, Error> {
    let name = file.display().to_string();
    // The location is the theme file's, so it goes into the message, not onto the source.
    let fail = |at: Location, message: String| {
        Error::source(
            Location::default(),
            format!("theme {name}{}: {message}", at.suffix()),
            None,
        )
    };
    let bytes = read_capped(file)
        .map_err(|e| fail(Location::default(), format!("cannot be read ({e})")))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        fail(
            Location::default(),
            "is not UTF-8 text; re-save it as UTF-8".into(),
        )
    })?;
    let dir = source_dir(file);
    let located = |e: briefpress::theme::ThemeError| {
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => Location::at(l, c),
            (Some(l), None) => Location::line(l),
            _ => Location::default(),
        };
        fail(at, e.message)
    };
    let parsed = briefpress::theme::ThemeFile::parse(&text).map_err(located)?;
    parsed
        .into_theme(&text, &mut |rel| read_capped(&dir.join(rel)))
        .map_err(located)
}

/// `briefpress theme FILE`: checks a theme file and says what it sets.
pub(super) fn check_theme(file: Option<&Path>) -> anyhow::Result<Outcome> {
    let Some(file) = file else {
        return Ok(Outcome::Success);
    };
    match read_theme(file) {
        Ok(t) => {
            let (w, h) = t.page.points();
            writeln!(
                std::io::stdout().lock(),
                "{}: ok — publisher “{}”, page {:.0} × {:.0} mm, {} pt {} / {}",
                file.display(),
                t.publisher,
                w * 25.4 / 72.0,
                h * 25.4 / 72.0,
                t.base_size,
                t.serif.name,
                t.sans.name
            )?;
            Ok(Outcome::Success)
        }
        Err(error) => {
            eprintln!("error: {}", error);
            Ok(Outcome::SourceFailed)
        }
    }
}
