//! What the three backends share when they bind a briefing pack: the pack's content-derived
//! identifier, and `Format::render_pack`.

use super::{Format, Rendered, content_uuid, uuid_from_digest};
use crate::error::{Error, Result};
use crate::pack::Pack;
use crate::theme::Theme;
use sha2::{Digest, Sha256};

impl Format {
    /// Binds the pack in this format. A pack without briefs is refused (the command line
    /// never builds one).
    pub fn render_pack(self, pack: &Pack, theme: &Theme) -> Result<Rendered> {
        if pack.briefs.is_empty() {
            return Err(Error::render(
                self.extension(),
                "a briefing pack needs at least one brief".to_owned(),
            ));
        }
        match self {
            Format::Pdf => super::pdf::render_pack(pack, theme),
            Format::Docx => super::docx::render_pack(pack, theme),
            Format::Epub => super::epub::render_pack(pack, theme),
        }
    }
}

/// A stable identifier for the pack, derived from its content: a name-based (version 8)
/// UUID over the pack's own metadata, its cover picture and each brief's
/// [`content_uuid`], in order. The same briefs in another order are another pack.
pub fn pack_uuid(pack: &Pack) -> String {
    let mut h = Sha256::new();
    let m = &pack.meta;
    h.update(b"briefpress pack\0");
    for field in [
        Some(m.title.as_str()),
        m.subtitle.as_deref(),
        m.publisher.as_deref(),
        m.language.as_deref(),
        m.identifier.as_deref(),
    ] {
        // A tag per field, so ("ab", None) and (None, "ab") hash differently.
        match field {
            Some(s) => {
                h.update([1]);
                h.update((s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
            None => h.update([0]),
        }
    }
    h.update(m.date.map_or(i64::MIN, |d| d.unix_seconds()).to_be_bytes());
    if let Some(img) = &pack.cover {
        h.update(img.data.as_slice());
    }
    for brief in &pack.briefs {
        h.update(content_uuid(brief).as_bytes());
    }
    uuid_from_digest(h)
}

/// The identifier the EPUB and DOCX declare: the pack's own, else `urn:uuid:` and
/// [`pack_uuid`].
pub fn pack_identifier(pack: &Pack) -> String {
    match pack.meta.identifier.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => id.to_owned(),
        _ => format!("urn:uuid:{}", pack_uuid(pack)),
    }
}
