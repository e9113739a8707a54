//! The first-page furniture that opens the flow, as the PDF sets the front block that
//! `article::front` decides (masthead with logo, title, dek, byline, photo, summary box); and
//! the rights line that closes the article.

use super::Flowed;
use super::context::{Context, ParShape};
use super::scale;
use crate::article::Article;
use crate::article::front::{Piece, front};
use crate::layout::collect::{self, Style};
use crate::layout::fonts::Family;
use crate::layout::tag::Role;
use crate::layout::{Frame, Item, Rect};

const PHOTO_MAX_HEIGHT: f32 = 0.42;
/// The logo's height in the masthead: 12 mm, about twice the masthead's cap height plus its
/// rule, the size letterheads commonly give a logo.
const LOGO_HEIGHT: f32 = 12.0 * 72.0 / 25.4;

/// The logo's frame: `LOGO_HEIGHT` tall (less if it would be wider than the measure), aspect
/// kept, at the left edge. The theme checked the picture when it loaded (an SVG logo is its
/// raster here).
fn logo_frame(ctx: &mut Context<'_, '_>) -> Option<Frame> {
    let img = ctx.theme.logo.as_ref()?.image.clone();
    let (iw, ih) = (img.width.max(1) as f32, img.height.max(1) as f32);
    let mut h = LOGO_HEIGHT;
    let mut w = h * iw / ih;
    if w > ctx.measure {
        w = ctx.measure;
        h = w * ih / iw;
    }
    Some(Frame {
        height: h,
        items: vec![Item::Image {
            image: img,
            rect: Rect {
                x: 0.0,
                y: 0.0,
                w,
                h,
            },
        }],
    })
}

/// The flow of the article: the front block ([`front`]) as the PDF sets it, then the body.
/// The notes no body paragraph cites ([`super::uncited_notes`]) and the rights line
/// ([`rights_line`]) follow it, in that order, as in the DOCX and EPUB.
pub fn flow_article(ctx: &mut Context<'_, '_>, article: &Article) -> Vec<Flowed> {
    let mut out = Vec::new();
    let base = ctx.base();
    let theme = ctx.theme;
    for piece in front(article, article.publisher(&theme.publisher), &theme.labels) {
        match piece {
            Piece::Masthead { publisher } => masthead(ctx, &mut out, &publisher),
            Piece::Title(title) => {
                let style = Style {
                    color: theme.colors.text,
                    ..ctx.sans(scale::TITLE).bold()
                };
                ctx.tags.open_title();
                ctx.display(&mut out, title, style, true);
                ctx.tags.close();
            }
            Piece::Subtitle(dek) => {
                ctx.space(&mut out, base * 0.4);
                let style =
                    Style::new(Family::Serif, base * scale::DEK, theme.colors.text).italic();
                ctx.tags.open(Role::P);
                ctx.display(&mut out, dek, style, false);
                ctx.tags.close();
            }
            Piece::Byline(by) => {
                ctx.space(&mut out, base * 0.6);
                let style = ctx.sans(scale::BYLINE);
                ctx.tags.open(Role::P);
                ctx.display(&mut out, &by.text(), style, false);
                ctx.tags.close();
            }
            Piece::Photo(photo) => {
                ctx.space(&mut out, base * 1.0);
                ctx.figure(&mut out, photo, PHOTO_MAX_HEIGHT);
            }
            Piece::Summary(summary) => {
                ctx.space(&mut out, base * 1.0);
                summary_box(ctx, &mut out, summary);
            }
        }
    }
    ctx.space(&mut out, base * 1.0);
    ctx.blocks(&mut out, article, &article.blocks, 0.0, false);
    out
}

/// The rights statement that closes the article, in the credit's small sans.
pub fn rights_line(ctx: &mut Context<'_, '_>, article: &Article, out: &mut Vec<Flowed>) {
    let base = ctx.base();
    let theme = ctx.theme;
    if let Some(rights) = article
        .meta
        .rights
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        ctx.space(out, base * 1.5);
        let style = Style {
            color: theme.colors.text,
            ..ctx.sans(scale::CREDIT)
        };
        ctx.tags.open(Role::P);
        ctx.small(out, rights, style, false);
        ctx.tags.close();
    }
}

/// The masthead: the theme's logo, then the publisher in the accent colour over a rule (a
/// brief's first page and a pack's cover).
pub(in crate::layout) fn masthead(
    ctx: &mut Context<'_, '_>,
    out: &mut Vec<Flowed>,
    publisher: &str,
) {
    let base = ctx.base();
    let accent = ctx.theme.colors.accent;
    if let Some(frame) = logo_frame(ctx) {
        out.push(Flowed {
            frame,
            keep_with_next: true,
            ..Flowed::default()
        });
        ctx.space(out, base * 0.5);
    }
    if publisher.is_empty() {
        return;
    }
    let style = Style {
        color: accent,
        ..ctx.sans(scale::MASTHEAD).bold()
    };
    ctx.tags.open(Role::P);
    ctx.display(out, publisher, style, true);
    ctx.tags.close();
    let frame = Frame {
        height: base * 1.6,
        items: vec![Item::Fill {
            rect: Rect {
                x: 0.0,
                y: base * 0.35,
                w: ctx.measure,
                h: 1.2,
            },
            color: accent,
        }],
    };
    out.push(Flowed {
        frame,
        ..Flowed::default()
    });
}

/// The summary in a ruled box with an accent bar. Each line is its own element carrying its
/// slice of the box (bar, side rules; the top rule on the first, the bottom rule on the
/// last), so a long summary splits across pages like a paragraph (two lines at least on each
/// side) instead of overflowing the page.
fn summary_box(ctx: &mut Context<'_, '_>, out: &mut Vec<Flowed>, summary: &str) {
    let pad = ctx.base() * 0.8;
    let style = ctx.sans(scale::SUMMARY);
    let leading = style.size * 1.4;
    let para = collect::plain(summary, style);
    let mut lines = Vec::new();
    ctx.tags.open(Role::Sect);
    ctx.tags.open(Role::P);
    ctx.paragraph(
        &mut lines,
        &para,
        ParShape {
            left: pad,
            right: pad,
            justify: true,
            leading,
            keep: false,
        },
    );
    ctx.tags.close();
    ctx.tags.close();
    let measure = ctx.measure;
    let (accent, rule) = (ctx.theme.colors.accent, ctx.theme.colors.rule);
    let slice = |h: f32, top: bool, bottom: bool| -> Vec<Item> {
        let mut items = vec![
            Item::Fill {
                rect: Rect {
                    x: 0.0,
                    y: 0.0,
                    w: 0.6,
                    h,
                },
                color: rule,
            },
            Item::Fill {
                rect: Rect {
                    x: measure - 0.6,
                    y: 0.0,
                    w: 0.6,
                    h,
                },
                color: rule,
            },
            Item::Fill {
                rect: Rect {
                    x: 0.0,
                    y: 0.0,
                    w: 3.0,
                    h,
                },
                color: accent,
            },
        ];
        if top {
            items.push(Item::Fill {
                rect: Rect {
                    x: 0.0,
                    y: 0.0,
                    w: measure,
                    h: 0.6,
                },
                color: rule,
            });
        }
        if bottom {
            items.push(Item::Fill {
                rect: Rect {
                    x: 0.0,
                    y: h - 0.6,
                    w: measure,
                    h: 0.6,
                },
                color: rule,
            });
        }
        items
    };
    out.push(Flowed {
        frame: Frame {
            height: pad,
            items: slice(pad, true, false),
        },
        keep_with_next: true,
        ..Flowed::default()
    });
    let n = lines.len();
    for (i, mut line) in lines.into_iter().enumerate() {
        let mut items = slice(line.frame.height, false, false);
        items.append(&mut line.frame.items);
        line.frame.items = items;
        // The last line stays with the bottom padding.
        line.keep_with_next |= i + 1 == n;
        out.push(line);
    }
    out.push(Flowed {
        frame: Frame {
            height: pad,
            items: slice(pad, false, true),
        },
        ..Flowed::default()
    });
}
