//! Walks over blocks, so "every heading", "every table" or "every run of text" is answered by
//! one traversal that knows every kind of block: a new kind of block is taught here once, not
//! to each question.

use super::{Block, Inline};

/// Calls `f` with every block, depth first in reading order: a quote or a list before the
/// blocks inside it.
pub fn each_block<'a>(blocks: &'a [Block], f: &mut impl FnMut(&'a Block)) {
    for b in blocks {
        f(b);
        match b {
            Block::Quote { blocks } => each_block(blocks, f),
            Block::List { items, .. } => items.iter().for_each(|i| each_block(i, f)),
            Block::Heading { .. }
            | Block::Paragraph { .. }
            | Block::Figure { .. }
            | Block::Table { .. }
            | Block::Rule => {}
        }
    }
}

/// Calls `f` with every run of inlines the blocks hold — a heading's, a paragraph's, each
/// table cell's in row order — depth first in reading order.
pub fn each_inline_run<'a>(blocks: &'a [Block], f: &mut impl FnMut(&'a [Inline])) {
    each_block(blocks, &mut |b| match b {
        Block::Heading { content, .. } | Block::Paragraph { content } => f(content),
        Block::Table { table } => table.cells().for_each(|c| f(&c.content)),
        Block::Quote { .. } | Block::List { .. } | Block::Figure { .. } | Block::Rule => {}
    });
}

/// [`each_inline_run`] with each run given to `f` to change.
pub fn each_inline_run_mut(blocks: &mut [Block], f: &mut impl FnMut(&mut Vec<Inline>)) {
    for b in blocks {
        match b {
            Block::Heading { content, .. } | Block::Paragraph { content } => f(content),
            Block::Table { table } => table.cells_mut().for_each(|c| f(&mut c.content)),
            Block::Quote { blocks } => each_inline_run_mut(blocks, f),
            Block::List { items, .. } => items.iter_mut().for_each(|i| each_inline_run_mut(i, f)),
            Block::Figure { .. } | Block::Rule => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Cell, Table, para, plain_text, text};

    #[test]
    fn runs_come_in_reading_order_through_quotes_lists_and_cells() {
        let mut blocks = vec![
            para("a"),
            Block::Quote {
                blocks: vec![Block::List {
                    ordered: false,
                    start: 1,
                    items: vec![vec![para("b")], vec![para("c")]],
                }],
            },
            Block::Table {
                table: Table {
                    caption: String::new(),
                    source: None,
                    align: Vec::new(),
                    head: vec![vec![Cell {
                        content: vec![text("d")],
                    }]],
                    body: vec![vec![Cell {
                        content: vec![text("e")],
                    }]],
                },
            },
            Block::Rule,
            Block::Heading {
                level: 1,
                content: vec![text("f")],
            },
        ];
        let mut seen = String::new();
        each_inline_run(&blocks, &mut |run| seen.push_str(&plain_text(run)));
        assert_eq!(seen, "abcdef");
        let mut kinds = 0;
        each_block(&blocks, &mut |_| kinds += 1);
        assert_eq!(kinds, 8, "five at the top, the list, its two paragraphs");
        each_inline_run_mut(&mut blocks, &mut |run| run.push(text("!")));
        let mut seen = String::new();
        each_inline_run(&blocks, &mut |run| seen.push_str(&plain_text(run)));
        assert_eq!(seen, "a!b!c!d!e!f!");
    }
}
