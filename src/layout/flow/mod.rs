//! Flow: the article's blocks become one vertical list of frames (a line, an image, a rule, a
//! space), each knowing whether it must stay with what follows and which footnotes it cites.
//! The first-page furniture (masthead, title, dek, byline, photo, caption, credit, summary)
//! opens the flow; `paginate` cuts it into pages.
//!
//! [`context`] owns the state of one run and the setting of a paragraph into lines, [`body`]
//! the body's blocks, [`front`] the first-page furniture, [`notes`] the footnotes.

mod body;
mod context;
mod front;
mod notes;
mod table;

pub use context::Context;
pub(super) use front::masthead;
pub use front::{flow_article, rights_line};
pub use notes::{flow_notes, uncited_notes};

use super::Frame;

/// One element of the vertical flow.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Flowed {
    /// Its content, relative to the text block's left edge and the element's top.
    pub frame: Frame,
    /// Must end on the same page as the next element (heading lines, an image and its caption).
    pub keep_with_next: bool,
    /// Vertical space, dropped at the top of a page.
    pub space: bool,
    /// Footnotes first cited here.
    pub notes: Vec<usize>,
    /// An outline entry (level, title) starting here.
    pub outline: Option<(u8, String)>,
    /// What is set again above this element when it opens a page: a table's header rows,
    /// carried by each of its body rows.
    pub repeat: Option<std::sync::Arc<[Flowed]>>,
}

/// Sizes and spacings of the house style, as multiples of the theme's base size (11 pt in the
/// default theme). They follow a modular scale of about 1.25 (11, 13.75, 17, 22 pt).
mod scale {
    /// Masthead (publisher name).
    pub const MASTHEAD: f32 = 0.95;
    /// Title.
    pub const TITLE: f32 = 2.0;
    /// Dek.
    pub const DEK: f32 = 1.18;
    /// Byline and date.
    pub const BYLINE: f32 = 0.86;
    /// Caption.
    pub const CAPTION: f32 = 0.8;
    /// Credit.
    pub const CREDIT: f32 = 0.73;
    /// Summary box text.
    pub const SUMMARY: f32 = 0.95;
    /// Footnote text.
    pub const NOTE: f32 = 0.78;
    /// Leading of display lines (title, headings) as a multiple of their size: tighter than
    /// body text, as large type needs.
    pub const DISPLAY_LEADING: f32 = 1.2;
    /// Leading of small sans text (captions, notes).
    pub const SMALL_LEADING: f32 = 1.3;
}

/// A heading's size as a multiple of the base size: level 3 is `heading_scale`, level 2 its
/// square, level 1 its cube (13.2, 15.8 and 19 pt over 11 pt text at the default 1.2). `lvl`
/// is 0 for level 1. A scale that is not a finite number from 1 to 2 falls back to 1.2.
pub(in crate::layout) fn heading_size(heading_scale: f32, lvl: usize) -> f32 {
    let s = if heading_scale.is_finite() && (1.0..=2.0).contains(&heading_scale) {
        heading_scale
    } else {
        1.2
    };
    s.powi(3 - lvl.min(2) as i32)
}
