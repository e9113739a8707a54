//! The pack manifest, `pack.toml`: the pack's title, subtitle, date, publisher and cover, and
//! its briefs in order. Paths are relative to the manifest; a brief may be in a folder beside
//! the manifest's (one `..`), the cover stays in its folder (as the images a brief names stay
//! in the brief's). Unknown keys and bad values are refused with
//! their line and column; this module never touches the file system.
//!
//! ```toml
//! title = "Western Hemisphere briefing"
//! subtitle = "Papers for the minister's visit"
//! date = 2026-02-02                      # or "2026-02-02"
//! publisher = "The Example Council"
//! language = "en"
//! cover = "cover.jpg"
//! sources = ["colombia.md", "trade/brief.txt", "energy.json"]
//! ```

use super::PackMeta;
use crate::article::Date;
use crate::read::path::{PathProblem, relative_path_up_to};
use serde::Deserialize;
use toml::Spanned;

/// The manifest as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: Option<String>,
    subtitle: Option<String>,
    date: Option<Spanned<DateValue>>,
    publisher: Option<String>,
    language: Option<Spanned<String>>,
    identifier: Option<String>,
    cover: Option<Spanned<String>>,
    sources: Option<Spanned<Vec<Spanned<String>>>>,
}

/// A date as a TOML date (`2026-02-02`) or as a string (`"2026-02-02"`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum DateValue {
    Text(String),
    Toml(toml::value::Datetime),
}

/// Every key, for "did you mean" suggestions.
const KEYS: [&str; 8] = [
    "title",
    "subtitle",
    "date",
    "publisher",
    "language",
    "identifier",
    "cover",
    "sources",
];

/// A path the manifest names, with where it names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The path, normalised (`./a/../b.md` → `b.md`), relative to the manifest's folder.
    pub path: String,
    /// 1-based line of the path in the manifest.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// A read manifest: the pack's metadata and the paths it names.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// Title, subtitle, date … (`source_date_epoch` is the caller's to set).
    pub meta: PackMeta,
    /// The cover picture, if any.
    pub cover: Option<Located>,
    /// The briefs, in order (at least one).
    pub sources: Vec<Located>,
}

/// A refused manifest: where and why.
pub type ManifestError = crate::error::LocatedError;

/// Keys that belong in a theme file: a theme given as a pack is told apart from a typo.
const THEME_SECTIONS: [&str; 6] = ["page", "type", "fonts", "colors", "text", "publisher"];

impl Manifest {
    /// Parses the text of a manifest.
    pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
        let at = |offset: usize, message: String| ManifestError::at(text, offset, message);
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let detail = e.message().trim().to_owned();
            let message = match detail
                .split_once("unknown field `")
                .and_then(|(_, r)| r.split_once('`'))
            {
                Some((key, _)) if THEME_SECTIONS.contains(&key) && key != "publisher" => format!(
                    "unknown pack key `{key}`: this looks like a theme file (`briefpress theme FILE` checks one); a pack manifest has the keys {}",
                    KEYS.join(", ")
                ),
                Some((key, _)) => {
                    let near = crate::error::nearest_key(key, &KEYS)
                        .map(|k| format!("; did you mean `{k}`?"))
                        .unwrap_or_default();
                    format!(
                        "unknown pack key `{key}`{near} (a pack manifest has the keys {})",
                        KEYS.join(", ")
                    )
                }
                None if detail.contains("DateValue") || detail.contains("did not match any variant") => {
                    "`date` must be a date written YYYY-MM-DD".to_owned()
                }
                None => format!("the pack manifest is not valid: {detail}"),
            };
            ManifestError::in_span(text, e.span(), message)
        })?;

        let date = match &raw.date {
            None => None,
            Some(d) => {
                let s = match d.get_ref() {
                    DateValue::Text(s) => s.clone(),
                    DateValue::Toml(t) => t.to_string(),
                };
                Some(
                    s.parse::<Date>()
                        .map_err(|e| at(d.span().start, e.to_string()))?,
                )
            }
        };
        let language = match &raw.language {
            None => None,
            Some(l) => {
                let tag = l.get_ref().trim();
                let ok = !tag.is_empty()
                    && tag.split('-').all(|p| {
                        (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric())
                    });
                if !ok {
                    return Err(at(
                        l.span().start,
                        format!(
                            "`language` must be a BCP 47 tag such as `en` or `es-CO`, not `{tag}`"
                        ),
                    ));
                }
                Some(tag.to_owned())
            }
        };
        let located = |s: &Spanned<String>, what: &str| -> Result<Located, ManifestError> {
            let (line, column) = crate::error::line_and_column(text, s.span().start);
            let path = relative(s.get_ref(), what == "source").map_err(|why| {
                at(
                    s.span().start,
                    format!("the {what} `{}` {why}", s.get_ref()),
                )
            })?;
            Ok(Located { path, line, column })
        };
        let cover = raw
            .cover
            .as_ref()
            .map(|c| located(c, "cover"))
            .transpose()?;
        let Some(list) = &raw.sources else {
            return Err(ManifestError {
                line: None,
                column: None,
                message: "the pack manifest has no `sources`; list the briefs in order: sources = [\"a.md\", \"b.txt\"]".into(),
            });
        };
        if list.get_ref().is_empty() {
            return Err(at(
                list.span().start,
                "`sources` is empty; list at least one brief".into(),
            ));
        }
        let sources = list
            .get_ref()
            .iter()
            .map(|s| located(s, "source"))
            .collect::<Result<Vec<_>, _>>()?;
        let blank = |s: Option<String>| s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        Ok(Manifest {
            meta: PackMeta {
                title: raw.title.unwrap_or_default().trim().to_owned(),
                subtitle: blank(raw.subtitle),
                date,
                publisher: blank(raw.publisher),
                language,
                identifier: blank(raw.identifier),
                source_date_epoch: None,
            },
            cover,
            sources,
        })
    }
}

/// A path the manifest names, normalised (the check every named path goes through,
/// [`relative_path_up_to`]); the reason when it is empty, absolute or climbs too far. A brief
/// may be in the manifest's folder, below it, or in a folder beside it (`../briefs/a.md`: one
/// `..` at most, so a project's `packs/` can name its `briefs/`); the cover stays in the
/// manifest's folder. A manifest from elsewhere still cannot reach an arbitrary file.
fn relative(path: &str, brief: bool) -> Result<String, &'static str> {
    let max_up = usize::from(brief);
    relative_path_up_to(path, max_up)
        .map(|(_, p)| p)
        .map_err(|problem| match problem {
            PathProblem::Empty => "is empty",
            PathProblem::Absolute => {
                "is absolute; name it relative to the manifest (in its folder, below it, or `../folder/brief.md` beside it)"
            }
            PathProblem::ClimbsOut if brief => {
                "climbs more than one folder above the manifest; a brief may be in the manifest's folder, below it, or in a folder beside it (`../briefs/brief.md`)"
            }
            PathProblem::ClimbsOut => {
                "climbs out of the manifest's folder; put the cover in the manifest's folder or below it"
            }
            PathProblem::Folder => "names a folder, not a file",
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_manifest_reads() {
        let m = Manifest::parse(
            "title = \"Pack\"\nsubtitle = \"Sub\"\ndate = 2026-02-02\npublisher = \"P\"\nlanguage = \"es\"\ncover = \"img/c.jpg\"\nsources = [\"a.md\", \"./sub/../b.txt\"]\n",
        )
        .unwrap();
        assert_eq!(m.meta.title, "Pack");
        assert_eq!(m.meta.date, Date::new(2026, 2, 2));
        assert_eq!(m.meta.language.as_deref(), Some("es"));
        assert_eq!(m.cover.as_ref().unwrap().path, "img/c.jpg");
        let paths: Vec<&str> = m.sources.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(paths, ["a.md", "b.txt"]);
        assert_eq!((m.sources[1].line, m.sources[1].column), (7, 20));
    }

    #[test]
    fn a_date_may_be_a_string() {
        let m = Manifest::parse("date = \"2026-02-02\"\nsources = [\"a.md\"]").unwrap();
        assert_eq!(m.meta.date, Date::new(2026, 2, 2));
    }

    #[test]
    fn unknown_keys_name_their_line_and_the_nearest_key() {
        let e =
            Manifest::parse("title = \"T\"\nsubtilte = \"x\"\nsources = [\"a.md\"]").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(1)));
        assert!(e.message.contains("`subtilte`"), "{e}");
        assert!(e.message.contains("did you mean `subtitle`"), "{e}");
        let e = Manifest::parse("[page]\nsize = \"a4\"\n").unwrap_err();
        assert!(e.message.contains("theme file"), "{e}");
    }

    #[test]
    fn bad_values_are_located() {
        let e = Manifest::parse("date = \"2 Feb\"\nsources = [\"a.md\"]").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("YYYY-MM-DD"), "{e}");
        let e = Manifest::parse("sources = [\"a.md\", \"../../x.md\"]").unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(20)));
        assert!(e.message.contains("more than one folder above"), "{e}");
        let m = Manifest::parse("sources = [\"a.md\", \"../briefs/x.md\"]").unwrap();
        assert_eq!(m.sources[1].path, "../briefs/x.md");
        let e = Manifest::parse("cover = \"../c.png\"\nsources = [\"a.md\"]").unwrap_err();
        assert!(e.message.contains("climbs out"), "{e}");
        let e = Manifest::parse("sources = [\"/etc/passwd\"]").unwrap_err();
        assert!(e.message.contains("absolute"), "{e}");
        let e = Manifest::parse("title = \"T\"").unwrap_err();
        assert!(e.message.contains("no `sources`"), "{e}");
        let e = Manifest::parse("sources = []").unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
        let e = Manifest::parse("sources = [\"a.md\"]\nlanguage = \"en US\"").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = Manifest::parse("sources = \"a.md\"").unwrap_err();
        assert_eq!(e.line, Some(1));
    }
}
