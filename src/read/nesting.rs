//! Capping nesting depth for sources that arrive already structured (JSON): quotes and lists
//! deeper than [`MAX_NESTING`] are flattened into their parent, and so are emphasis, strong and
//! links, so no backend ever recurses deeply. The Markdown reader caps while it reads.

use crate::article::{Article, Block, Inline};

pub use crate::read::markdown::MAX_NESTING;

/// Flattens everything nested deeper than [`MAX_NESTING`]; returns whether anything was.
pub fn cap(article: &mut Article) -> bool {
    let mut changed = cap_blocks(&mut article.blocks, 0);
    for n in &mut article.notes {
        changed |= cap_blocks(&mut n.blocks, 0);
    }
    changed
}

fn cap_blocks(blocks: &mut Vec<Block>, depth: usize) -> bool {
    let mut changed = false;
    let mut out = Vec::with_capacity(blocks.len());
    for mut b in std::mem::take(blocks) {
        match &mut b {
            Block::Quote { blocks: inner } if depth >= MAX_NESTING => {
                changed = true;
                cap_blocks(inner, depth);
                out.append(inner);
                continue;
            }
            Block::List { items, .. } if depth >= MAX_NESTING => {
                changed = true;
                for item in items.iter_mut() {
                    cap_blocks(item, depth);
                    out.append(item);
                }
                continue;
            }
            Block::Quote { blocks: inner } => changed |= cap_blocks(inner, depth + 1),
            Block::List { items, .. } => {
                for item in items.iter_mut() {
                    changed |= cap_blocks(item, depth + 1);
                }
            }
            Block::Heading { content, .. } | Block::Paragraph { content } => {
                changed |= cap_inlines(content, 0)
            }
            Block::Table { table } => {
                for c in table.cells_mut() {
                    changed |= cap_inlines(&mut c.content, 0);
                }
            }
            Block::Figure { .. } | Block::Rule => {}
        }
        out.push(b);
    }
    *blocks = out;
    changed
}

fn cap_inlines(inlines: &mut Vec<Inline>, depth: usize) -> bool {
    let mut changed = false;
    let mut out = Vec::with_capacity(inlines.len());
    for mut i in std::mem::take(inlines) {
        match &mut i {
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => {
                if depth >= MAX_NESTING {
                    changed = true;
                    cap_inlines(content, depth);
                    out.append(content);
                    continue;
                }
                changed |= cap_inlines(content, depth + 1);
            }
            _ => {}
        }
        out.push(i);
    }
    *inlines = out;
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Meta, para};

    #[test]
    fn flattens_deep_quotes_and_emphasis() {
        let mut b = para("deep");
        for _ in 0..40 {
            b = Block::Quote { blocks: vec![b] };
        }
        let mut inl = Inline::Text { text: "x".into() };
        for _ in 0..40 {
            inl = Inline::Emphasis { content: vec![inl] };
        }
        let mut a = Article {
            meta: Meta::new("T"),
            photo: None,
            blocks: vec![b, Block::Paragraph { content: vec![inl] }],
            notes: vec![],
        };
        assert!(cap(&mut a));
        fn depth(b: &[Block]) -> usize {
            b.iter()
                .map(|b| {
                    if let Block::Quote { blocks } = b {
                        1 + depth(blocks)
                    } else {
                        0
                    }
                })
                .max()
                .unwrap_or(0)
        }
        assert_eq!(depth(&a.blocks), MAX_NESTING);
        assert!(format!("{:?}", a.blocks).contains("deep"), "text kept");
        assert!(!cap(&mut a), "a second pass changes nothing");
    }
}
