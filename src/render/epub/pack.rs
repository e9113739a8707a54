//! A briefing pack as one EPUB.

use crate::error::{Error, Result};
use crate::pack::Pack;
use crate::render::Rendered;
use crate::theme::Theme;

/// Renders the pack as one EPUB.
pub fn render_pack(_pack: &Pack, _theme: &Theme) -> Result<Rendered> {
    Err(Error::render(
        "epub",
        "briefing packs are not written as epub yet".to_owned(),
    ))
}
