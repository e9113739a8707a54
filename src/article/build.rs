//! Small constructors for building articles in code (backend tests, readers).

use super::{Block, Inline};

/// A plain text inline.
pub fn text(s: impl Into<String>) -> Inline {
    Inline::Text { text: s.into() }
}

/// A paragraph of one plain text run.
pub fn para(s: impl Into<String>) -> Block {
    Block::Paragraph {
        content: vec![text(s)],
    }
}
