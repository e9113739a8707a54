//! A briefing pack as one DOCX.

use crate::error::{Error, Result};
use crate::pack::Pack;
use crate::render::Rendered;
use crate::theme::Theme;

/// Renders the pack as one DOCX.
pub fn render_pack(_pack: &Pack, _theme: &Theme) -> Result<Rendered> {
    Err(Error::render(
        "docx",
        "briefing packs are not written as docx yet".to_owned(),
    ))
}
