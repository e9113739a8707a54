//! The three backends. Each takes the finished [`Article`] and the [`Theme`] and returns the
//! bytes of one file plus the warnings it raised; none imports another, and only `pdf` uses
//! [`crate::layout`] (Word and the e-reader lay out DOCX and EPUB themselves).

pub(crate) mod archive;
pub mod docx;
pub mod epub;
mod pack;
pub mod pdf;
pub(crate) mod xml;

use crate::article::Article;
use crate::error::{Result, Warning};
use crate::theme::Theme;
use sha2::{Digest, Sha256};

pub use pack::{pack_identifier, pack_uuid};

/// One written file: its bytes and what could not be rendered perfectly.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The whole file.
    pub bytes: Vec<u8>,
    /// What the backend had to change or leave out, each said once.
    pub warnings: Vec<Warning>,
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// Print-ready PDF.
    Pdf,
    /// Editable Word document.
    Docx,
    /// EPUB 3 e-book.
    Epub,
}

impl Format {
    /// All formats, in the order they are built and reported.
    pub const ALL: [Format; 3] = [Format::Pdf, Format::Docx, Format::Epub];

    /// The file extension, which is also the name used on the command line.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Epub => "epub",
        }
    }

    /// The format named on the command line.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(name.trim()))
    }

    /// Renders the article in this format.
    pub fn render(self, article: &Article, theme: &Theme) -> Result<Rendered> {
        self.render_with_id(article, theme, &content_uuid(article))
    }

    /// Renders the article in this format with its [`content_uuid`] already computed: a build
    /// of several formats hashes the article (and its images) once, not once per format.
    pub fn render_with_id(self, article: &Article, theme: &Theme, uuid: &str) -> Result<Rendered> {
        match self {
            Format::Pdf => pdf::render_with_id(article, theme, uuid),
            Format::Docx => docx::render_with_id(article, theme, uuid),
            Format::Epub => epub::render_with_id(article, theme, uuid),
        }
    }
}

/// A stable identifier derived from the content: a name-based UUID (version 8, see [`uuid_from_digest`]) over the
/// article's canonical JSON and its images, so the same brief always gets the same id.
pub fn content_uuid(article: &Article) -> String {
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(article).unwrap_or_default());
    for fig in article.figures() {
        if let Some(img) = &fig.image {
            h.update(img.data.as_slice());
        }
    }
    uuid_from_digest(h)
}

/// The first 16 bytes of a finished SHA-256 as a UUID in its 8-4-4-4-12 form: the article's and
/// the pack's identifiers both end here. RFC 9562 reserves version 5 for SHA-1 names, so a
/// SHA-256 digest makes a version 8 (custom) UUID; `uuid` sets the version and variant bits.
pub(crate) fn uuid_from_digest(h: Sha256) -> String {
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    uuid::Uuid::new_v8(b).hyphenated().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sha256_content_id_is_a_version_8_uuid() {
        let mut h = Sha256::new();
        h.update(b"brief");
        let id = uuid::Uuid::parse_str(&uuid_from_digest(h)).expect("a UUID");
        assert_eq!(id.get_version_num(), 8);
        assert_eq!(id.get_variant(), uuid::Variant::RFC4122);
    }
}
