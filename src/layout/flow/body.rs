//! The body's blocks as flow elements: headings, paragraphs, quotes, lists, figures, rules.

use super::Flowed;
use super::context::{Context, ParShape};
use super::heading_size;
use super::scale;
use crate::article::{Article, Block, Figure, Image, plain_text};
use crate::error::Warning;
use crate::layout::collect::{self, Style};
use crate::layout::tag::Role;
use crate::layout::{Frame, Item, Rect};

/// Indent per list level and of block quotes, in ems of the base size (2 em: room for "10.").
const INDENT_EM: f32 = 2.0;
/// Largest share of the text block's height a figure may take; the lead photo shares page one
/// with the title block, so it gets less.
const FIGURE_MAX_HEIGHT: f32 = 0.5;

impl Context<'_, '_> {
    pub(super) fn figure(&mut self, out: &mut Vec<Flowed>, fig: &Figure, max_share: f32) {
        let (_, page_h) = self.theme.page.points();
        let block_h = page_h - self.theme.margins.top - self.theme.margins.bottom;
        let has_text = !fig.caption.trim().is_empty()
            || fig.credit.as_deref().is_some_and(|c| !c.trim().is_empty());
        if let Some(img) = &fig.image {
            let left = self.bars.last().map_or(0.0, |b| b + 10.0);
            let mut frame = image_frame(img, self.measure - left, block_h * max_share, left);
            // A picture with alternative text is a figure; one without is decoration, and is
            // painted as an artifact.
            if !fig.alt.trim().is_empty() {
                self.tags.open_figure(fig.alt.trim());
                frame.items = self.tags.tag_items(frame.items);
                self.tags.close();
            }
            self.push(
                out,
                Flowed {
                    frame,
                    keep_with_next: has_text,
                    ..Flowed::default()
                },
            );
            if has_text {
                self.space(out, self.base() * 0.35);
                if let Some(last) = out.last_mut() {
                    last.keep_with_next = true;
                }
            }
        }
        let credit = fig
            .credit
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        // The caption and credit caption the figure; without a figure element (no picture,
        // or one without alternative text) they are a paragraph.
        if has_text {
            let figure = fig.image.is_some() && !fig.alt.trim().is_empty();
            self.tags.open(if figure { Role::Caption } else { Role::P });
        }
        if !fig.caption.trim().is_empty() {
            let style = self.sans(scale::CAPTION);
            self.small(out, fig.caption.trim(), style, credit.is_some());
            if credit.is_some()
                && let Some(last) = out.last_mut()
            {
                last.keep_with_next = true;
            }
        }
        if let Some(credit) = credit {
            let style = Style {
                color: self.theme.colors.accent,
                ..self.sans(scale::CREDIT).italic()
            };
            self.small(out, credit, style, false);
        }
        if has_text {
            self.tags.close();
        }
    }

    pub(super) fn blocks(
        &mut self,
        out: &mut Vec<Flowed>,
        article: &Article,
        blocks: &[Block],
        left: f32,
        tight: bool,
    ) {
        let base = self.base();
        let leading = base * self.theme.leading;
        let gap = if tight { leading * 0.25 } else { leading * 0.6 };
        for (bi, block) in blocks.iter().enumerate() {
            let last = bi + 1 == blocks.len();
            match block {
                Block::Heading { level, content } => {
                    let lvl = usize::from((*level).clamp(1, 3)) - 1;
                    let style = Style {
                        color: self.theme.colors.accent,
                        ..self
                            .sans(heading_size(self.theme.heading_scale, lvl))
                            .bold()
                    };
                    self.space(out, leading * [1.1, 0.9, 0.7][lvl]);
                    let para = collect::collect(article, content, style, self.theme.colors.accent);
                    let first = out.len();
                    let lead = style.size * scale::DISPLAY_LEADING;
                    self.tags.open_heading(*level);
                    self.paragraph(
                        out,
                        &para,
                        ParShape {
                            left,
                            right: 0.0,
                            justify: false,
                            leading: lead,
                            keep: true,
                        },
                    );
                    self.tags.close();
                    let title = plain_text(content);
                    for (k, f) in out.iter_mut().enumerate().skip(first) {
                        f.keep_with_next = true;
                        if k == first {
                            f.outline = Some(((*level).clamp(1, 3), title.trim().to_owned()));
                        }
                    }
                    self.space(out, leading * 0.3);
                    if let Some(l) = out.last_mut() {
                        l.keep_with_next = true;
                    }
                }
                Block::Paragraph { content } => {
                    let para = collect::collect(
                        article,
                        content,
                        self.body_style(),
                        self.theme.colors.accent,
                    );
                    self.tags.open(Role::P);
                    self.paragraph(
                        out,
                        &para,
                        ParShape {
                            left,
                            right: 0.0,
                            justify: true,
                            leading,
                            keep: false,
                        },
                    );
                    self.tags.close();
                    if !last || !tight {
                        self.space(out, gap);
                    }
                }
                Block::Quote { blocks } => {
                    let indent = base * INDENT_EM;
                    self.bars.push(left + indent * 0.35);
                    self.tags.open(Role::BlockQuote);
                    self.blocks(out, article, blocks, left + indent, false);
                    self.tags.close();
                    self.bars.pop();
                    self.space(out, gap * 0.5);
                }
                Block::List {
                    ordered,
                    start,
                    items,
                } => {
                    let indent = base * INDENT_EM;
                    self.tags.open_list(*ordered);
                    for (k, item) in items.iter().enumerate() {
                        let label = if *ordered {
                            format!("{}.", u64::from(*start) + k as u64)
                        } else {
                            "•".to_owned()
                        };
                        let pending = self.markers.len();
                        self.tags.open(Role::LI);
                        let lbl = self.tags.leaf(Role::Lbl);
                        self.markers.push((
                            label,
                            self.body_style(),
                            left + indent - base * 0.5,
                            lbl,
                        ));
                        self.tags.open(Role::LBody);
                        self.blocks(out, article, item, left + indent, true);
                        self.tags.close();
                        self.tags.close();
                        if self.markers.len() > pending {
                            let (label, ..) = self.markers.remove(pending);
                            // An item without a line of text (only a figure, or empty) cannot
                            // carry its marker.
                            self.warnings.push(Warning::new(format!(
                                "list item {label} has no text line to carry its marker; the marker is left out"
                            )));
                        }
                        self.space(out, leading * 0.2);
                    }
                    self.tags.close();
                    if !tight {
                        self.space(out, gap * 0.6);
                    }
                }
                Block::Figure { figure } => {
                    self.space(out, gap * 0.5);
                    self.figure(out, figure, FIGURE_MAX_HEIGHT);
                    self.space(out, gap);
                }
                Block::Table { table } => {
                    self.space(out, gap * 0.5);
                    self.table(out, article, table, left);
                    self.space(out, gap);
                }
                Block::Rule => {
                    let w = self.measure / 3.0;
                    let frame = Frame {
                        height: leading * 1.5,
                        items: vec![Item::Fill {
                            rect: Rect {
                                x: (self.measure - w) / 2.0,
                                y: leading * 0.75,
                                w,
                                h: 0.6,
                            },
                            color: self.theme.colors.rule,
                        }],
                    };
                    self.push(
                        out,
                        Flowed {
                            frame,
                            ..Flowed::default()
                        },
                    );
                }
            }
        }
    }
}

/// An image scaled to `width` with its aspect ratio, no taller than `max_h`, centred.
fn image_frame(img: &Image, width: f32, max_h: f32, left: f32) -> Frame {
    let (iw, ih) = (img.width.max(1) as f32, img.height.max(1) as f32);
    let mut w = width;
    let mut h = w * ih / iw;
    if h > max_h {
        h = max_h;
        w = h * iw / ih;
    }
    Frame {
        height: h,
        items: vec![Item::Image {
            image: img.clone(),
            rect: Rect {
                x: left + (width - w) / 2.0,
                y: 0.0,
                w,
                h,
            },
        }],
    }
}
