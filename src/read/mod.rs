//! Readers: one file per source format, each turning source text into an [`Article`].
//!
//! [`read`] is the one entry point: it decodes the bytes ([`decode`]), hands the text to the
//! format's reader, loads and checks every image through [`Assets`] ([`images`]), and checks
//! what every format must have (a title). Readers never touch the file system themselves.

pub mod credit;
pub mod decode;
mod docx;
pub mod front_matter;
pub mod images;
pub mod json;
pub mod language;
pub mod markdown;
pub mod nesting;
pub mod path;
pub mod smart;
pub mod table_caption;
pub mod text;

use crate::article::{Article, link};
use crate::error::{Error, Location, Result, Warning};
use std::path::Path;

/// Where a reader gets the files a source refers to (its photo and figures). The CLI gives a
/// view of the source's folder; tests give files in memory.
pub trait Assets: Sync {
    /// The bytes of `path`, relative to the source's folder, already checked by
    /// [`path::relative_path`] not to be absolute or climb out. `ErrorKind::NotFound` means the file
    /// does not exist.
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>>;
}

/// Assets kept in memory: a list of (relative path, bytes).
#[derive(Debug, Default, Clone)]
pub struct MemoryAssets(pub Vec<(String, Vec<u8>)>);

impl Assets for MemoryAssets {
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        self.0
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, b)| b.clone())
            .ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::NotFound, format!("no asset {path}"))
            })
    }
}

/// A source format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// Markdown with YAML front matter (`.md`, `.markdown`).
    Markdown,
    /// The wire form (`.txt`).
    Text,
    /// The serde model (`.json`).
    Json,
    /// A Word document (`.docx`; a macro-enabled `.docm` is named so it can be refused).
    Docx,
}

impl SourceFormat {
    /// The format a file name's extension names, if any.
    pub fn from_path(path: &Path) -> Option<SourceFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(SourceFormat::Markdown),
            "txt" => Some(SourceFormat::Text),
            "json" => Some(SourceFormat::Json),
            "docx" | "docm" => Some(SourceFormat::Docx),
            _ => None,
        }
    }
}

/// An article and what the reader noticed on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The article, images loaded and checked.
    pub article: Article,
    /// Problems that did not stop the read.
    pub warnings: Vec<Warning>,
}

/// What a format reader returns before images are loaded: the article, where each image path
/// is named in the source (for error messages), and warnings.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub article: Article,
    pub figure_lines: Vec<(String, Location)>,
    /// Where each link target is written, in source order (a target may repeat).
    pub link_lines: Vec<(String, Location)>,
    pub warnings: Vec<Warning>,
    /// Problems found that did not stop the reader (an unknown key, a bad date): the source
    /// still fails, but reading goes on so every problem is reported at once.
    pub problems: Vec<Error>,
}

/// Reads a source: `bytes` of a file whose name without extension is `stem`, in `format`, with
/// its images from `assets`.
pub fn read(format: SourceFormat, bytes: &[u8], stem: &str, assets: &dyn Assets) -> Result<Loaded> {
    let (article, warnings) = read_keeping_warnings(format, bytes, stem, assets);
    article.map(|article| Loaded { article, warnings })
}

/// [`read`], with the warnings of a source that fails kept too (`check` prints every problem
/// of a file, its warnings among them).
pub fn read_keeping_warnings(
    format: SourceFormat,
    bytes: &[u8],
    stem: &str,
    assets: &dyn Assets,
) -> (Result<Article>, Vec<Warning>) {
    let mut warnings = Vec::new();
    let article = read_into(format, bytes, stem, assets, &mut warnings);
    (article, warnings)
}

/// [`read_keeping_warnings`]'s work: the warnings go to `warnings` whatever the outcome.
fn read_into(
    format: SourceFormat,
    bytes: &[u8],
    stem: &str,
    assets: &dyn Assets,
    warnings: &mut Vec<Warning>,
) -> Result<Article> {
    // A Word package carries its own images: they are read from it, not from the folder.
    let package_media;
    let (text, mut parsed, assets) = match format {
        SourceFormat::Docx => {
            let (parsed, media) = docx::parse(bytes)?;
            package_media = media;
            (String::new(), parsed, &package_media as &dyn Assets)
        }
        _ => {
            let text = decode::source_text(bytes)?;
            let parsed = match format {
                SourceFormat::Markdown => markdown::parse(&text)?,
                SourceFormat::Text => text::parse(&text, stem, assets)?,
                _ => json::parse(&text)?,
            };
            (text, parsed, assets)
        }
    };
    let mut problems = std::mem::take(&mut parsed.problems);
    let unreadable_front = problems.iter().any(
        |p| matches!(p, Error::Source { message, .. } if message.starts_with(front_matter::NOT_YAML)),
    );
    if parsed.article.meta.title.trim().is_empty() && !unreadable_front {
        let help = match format {
            SourceFormat::Markdown => "add `title: …` to the front matter",
            SourceFormat::Text => "the first line of the file is the title",
            SourceFormat::Json => "set `meta.title`",
            SourceFormat::Docx => "give the document a paragraph in the Title style",
        };
        problems.push(Error::source(
            Location::default(),
            "the brief has no title",
            Some(help.into()),
        ));
    }
    // Nesting is capped where it is built: the Markdown reader while it reads, the JSON reader
    // on its deep stack (`nesting::cap`); wire text has none. No second pass here.
    if parsed.article.blocks.is_empty() {
        // Legal (a title page alone still exports) but almost always a truncated upload.
        parsed.warnings.push(Warning::new(
            "the brief has no body text; its outputs hold only the title block",
        ));
    }
    let lang = parsed.article.meta.lang();
    if !lang.has_locale() {
        // One warning, whatever the brief holds: every word briefpress adds is English.
        parsed.warnings.push(Warning::new(format!(
            "briefpress has no words for language `{}`; the byline, date, \"Notes\" and table labels are in English (a theme's [labels.{}] can give them)",
            lang.tag(),
            lang.primary()
        )));
    }
    warn_dead_links(&mut parsed, &text);
    problems.extend(images::load_all(
        &mut parsed.article,
        &parsed.figure_lines,
        assets,
        &mut parsed.warnings,
    ));
    warnings.append(&mut parsed.warnings);
    match Error::many(problems) {
        Some(error) => Err(error),
        None => Ok(parsed.article),
    }
}

/// Applies the link policy ([`link`]) once, for every format: a link that is not a web, mail or
/// in-document address becomes its text, with one warning naming the line it is written on
/// (the reader's record, else where the target's JSON string appears in the source).
fn warn_dead_links(parsed: &mut Parsed, text: &str) {
    let dropped = link::unlink_dead(&mut parsed.article);
    let mut seen: Vec<(String, usize)> = Vec::new();
    for url in dropped {
        let k = match seen.iter_mut().find(|(u, _)| *u == url) {
            Some((_, k)) => {
                *k += 1;
                *k
            }
            None => {
                seen.push((url.clone(), 0));
                0
            }
        };
        let recorded: Vec<Location> = parsed
            .link_lines
            .iter()
            .filter(|(u, _)| *u == url)
            .map(|(_, at)| *at)
            .collect();
        let at = match recorded.get(k).or(recorded.last()) {
            Some(at) => *at,
            None => json_string_line(text, &url, k),
        };
        let why = if url.trim_start().starts_with('#') {
            "names no heading of this brief"
        } else {
            "is not a web (http, https), mail (mailto) or in-document (#heading) address"
        };
        parsed.warnings.push(Warning::at(
            at,
            format!(
                "link target `{}` {why}; its text is kept without the link in every format",
                url.escape_debug()
            ),
        ));
    }
}

/// The line of the `k`-th (0-based) place `value` is written as a JSON string in `text`, or of
/// the last one; no location when it is not found (written with other escapes).
fn json_string_line(text: &str, value: &str, k: usize) -> Location {
    let Ok(needle) = serde_json::to_string(value) else {
        return Location::default();
    };
    let found: Vec<usize> = text.match_indices(&needle).map(|(i, _)| i).collect();
    match found.get(k).or(found.last()) {
        Some(&offset) => Location::line(crate::error::line_and_column(text, offset).0),
        None => Location::default(),
    }
}
