//! The EPUB backend (being written).

use crate::article::Article;
use crate::error::{Error, Result};
use crate::render::Rendered;
use crate::theme::Theme;

/// Renders the article as EPUB.
pub fn render(_article: &Article, _theme: &Theme) -> Result<Rendered> {
    Err(Error::render("epub", "not written yet"))
}
