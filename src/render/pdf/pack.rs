//! A briefing pack as one PDF: `layout::pack` binds the pages; here they get the pack's
//! metadata and go through the same painter and finishing step as a single brief, so the
//! fonts are subset once for the whole pack and each image is stored once.

use super::{finish, write};
use crate::error::Result;
use crate::layout::pack::layout_pack;
use crate::pack::Pack;
use crate::render::{Rendered, pack_uuid};
use crate::theme::Theme;

/// Renders the pack as one PDF: cover, contents, then every brief.
pub fn render_pack(pack: &Pack, theme: &Theme) -> Result<Rendered> {
    // Polish and Czech ties (no-break spaces after one-letter words) in every brief.
    let presented = pack.presented();
    let pack: &Pack = &presented;
    let laid = layout_pack(pack, theme)?;
    let creators = pack.creators(&theme.publisher);
    let keywords = pack.keywords();
    let metadata = finish::Metadata {
        title: pack.title(&theme.labels).into_owned(),
        author: creators.join(", "),
        creators,
        subject: pack.meta.subtitle.clone().filter(|s| !s.trim().is_empty()),
        keywords: (!keywords.is_empty()).then(|| keywords.join(", ")),
        keyword_list: keywords,
        language: pack.language().to_owned(),
        timestamp: pack.timestamp(),
        identifier: pack_uuid(pack),
    };
    write(&laid.layout, &metadata)
}
