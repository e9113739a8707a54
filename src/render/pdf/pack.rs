//! A briefing pack as one PDF.

use crate::error::{Error, Result};
use crate::pack::Pack;
use crate::render::Rendered;
use crate::theme::Theme;

/// Renders the pack as one PDF.
pub fn render_pack(_pack: &Pack, _theme: &Theme) -> Result<Rendered> {
    Err(Error::render(
        "pdf",
        "briefing packs are not written as pdf yet".to_owned(),
    ))
}
