//! Footnotes as flow elements: each note's lines for the page foot, and the notes no body
//! paragraph cites, listed at the end of the body.

use super::Flowed;
use super::context::{Context, ParShape};
use super::scale;
use crate::article::{Article, Block, Inline, LabelOverrides};
use crate::error::Warning;
use crate::layout::collect::{self, Style};
use crate::layout::fonts::Family;
use crate::layout::tag::Role;
use crate::layout::{Item, Jump, Rect};

/// Each footnote's lines, note `n` at index `n - 1`, numbered with a hanging label.
pub fn flow_notes(ctx: &mut Context<'_, '_>, article: &Article) -> Vec<Vec<Flowed>> {
    let mut all = Vec::with_capacity(article.notes.len());
    let size = ctx.base() * scale::NOTE;
    for (i, note) in article.notes.iter().enumerate() {
        let mut out = Vec::new();
        let indent = size * 1.8;
        let style = Style::new(Family::Serif, size, ctx.theme.colors.text);
        let elem = ctx.tags.open_note(i + 1);
        let label = ctx.tags.leaf(Role::Lbl);
        ctx.markers = vec![(format!("{}", i + 1), style, indent - size * 0.5, label)];
        for block in &note.blocks {
            let para = match block {
                Block::Paragraph { content } | Block::Heading { content, .. } => {
                    collect::collect(article, content, style, ctx.theme.colors.accent)
                }
                other => {
                    let inlines = block_inlines(article, other, &ctx.theme.labels);
                    collect::collect(article, &inlines, style, ctx.theme.colors.accent)
                }
            };
            let first = out.len();
            ctx.tags.open(Role::P);
            ctx.paragraph(
                &mut out,
                &para,
                ParShape {
                    left: indent,
                    right: 0.0,
                    justify: true,
                    leading: size * scale::SMALL_LEADING,
                    keep: false,
                },
            );
            ctx.tags.close();
            // The note's number jumps back to where the note is cited.
            if first == 0
                && let Some(f) = out.first_mut()
            {
                let h = f.frame.height;
                let alt = format!("{} {}", ctx.tags.note_label, i + 1);
                f.frame.items.push(ctx.tags.annot_of(elem, alt));
                f.frame.items.push(Item::Jump {
                    rect: Rect {
                        x: 0.0,
                        y: 0.0,
                        w: indent - size * 0.3,
                        h,
                    },
                    to: Jump::Ref(i + 1),
                });
                f.frame.items.push(Item::End);
            }
        }
        ctx.tags.close();
        ctx.markers.clear();
        all.push(out);
    }
    all
}

/// A note's quote, list or figure as one run of inlines (a note is set as one paragraph per
/// block): the blocks' inlines in order, a space between them, emphasis, links and note
/// references kept.
fn block_inlines(article: &Article, block: &Block, labels: &LabelOverrides) -> Vec<Inline> {
    fn walk(article: &Article, block: &Block, labels: &LabelOverrides, out: &mut Vec<Inline>) {
        let gap = |out: &mut Vec<Inline>| {
            if !out.is_empty() {
                out.push(Inline::Text { text: " ".into() });
            }
        };
        match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => {
                gap(out);
                out.extend(content.iter().cloned());
            }
            Block::Quote { blocks } => blocks.iter().for_each(|b| walk(article, b, labels, out)),
            Block::List { items, .. } => items
                .iter()
                .flatten()
                .for_each(|b| walk(article, b, labels, out)),
            Block::Figure { figure } => {
                gap(out);
                out.push(Inline::Text {
                    text: figure.caption.clone(),
                });
            }
            Block::Table { table } => {
                let words = article.table_words(table, labels);
                gap(out);
                out.push(Inline::Text {
                    text: words.heading(),
                });
                for cell in table.cells() {
                    gap(out);
                    out.extend(cell.content.iter().cloned());
                }
                if let Some(source) = words.source {
                    gap(out);
                    out.push(Inline::Text { text: source });
                }
            }
            Block::Rule => {}
        }
    }
    let mut out = Vec::new();
    walk(article, block, labels, &mut out);
    out
}

/// Notes the body never cites (a reader keeps such definitions rather than lose them): set at
/// the end of the body under a "Notes" heading, as the DOCX lists them, each as it would stand
/// at a page foot, with a warning per note. They are taken out of `notes`, so pagination never
/// places them a second time.
pub fn uncited_notes(
    ctx: &mut Context<'_, '_>,
    article: &Article,
    body: &mut Vec<Flowed>,
    notes: &mut [Vec<Flowed>],
) {
    let cited = article.body_citations();
    let uncited: Vec<usize> = (0..article.notes.len().min(notes.len()))
        .filter(|&i| !cited.contains_key(&article.notes[i].id))
        .collect();
    if uncited.is_empty() {
        return;
    }
    let heading = article.labels(&ctx.theme.labels).notes;
    let block = Block::Heading {
        level: 1,
        content: vec![Inline::Text {
            text: heading.to_string(),
        }],
    };
    ctx.blocks(body, article, std::slice::from_ref(&block), 0.0, false);
    let gap = ctx.base() * 0.4;
    for i in uncited {
        ctx.tags.note(i + 1);
        body.append(&mut notes[i]);
        ctx.space(body, gap);
        ctx.warnings.push(Warning::new(format!(
            "footnote `{}` is never cited; the PDF lists it as note {} under “{heading}” at the end",
            article.notes[i].id,
            i + 1
        )));
    }
}
