//! The first-page furniture that opens the flow: masthead (logo, publisher), title, dek,
//! byline, lead photo, summary box; and the rights line that closes the article.

use super::Flowed;
use super::context::{Context, ParShape};
use super::scale;
use crate::article::Article;
use crate::error::Warning;
use crate::layout::collect::{self, Style};
use crate::layout::fonts::Family;
use crate::layout::{Frame, Item, Rect};
use crate::theme::LogoFormat;

const PHOTO_MAX_HEIGHT: f32 = 0.42;
/// The logo's height in the masthead: 12 mm, about twice the masthead's cap height plus its
/// rule, the size letterheads commonly give a logo.
const LOGO_HEIGHT: f32 = 12.0 * 72.0 / 25.4;

/// The logo's frame: `LOGO_HEIGHT` tall (less if it would be wider than the measure), aspect
/// kept, at the left edge. An SVG logo, or one that is not a readable PNG or JPEG, becomes a
/// warning and is left out.
pub(in crate::layout) fn logo_frame(ctx: &mut Context<'_, '_>) -> Option<Frame> {
    let logo = ctx.theme.logo.as_ref()?;
    if logo.format == LogoFormat::Svg {
        ctx.warnings.push(Warning::new(
            "the theme's logo is SVG, which the PDF cannot draw yet; the PDF masthead has no logo (use a PNG or JPEG logo)",
        ));
        return None;
    }
    let img = match crate::read::images::check_image(logo.data.clone()) {
        Ok(img) => img,
        Err((why, hint)) => {
            ctx.warnings.push(Warning::new(format!(
                "the theme's logo {why}; the PDF masthead has no logo ({hint})"
            )));
            return None;
        }
    };
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

/// "By A and B · February 2, 2026", "By A, B and C", or only the date.
pub fn byline(article: &Article) -> Option<String> {
    let names: Vec<&str> = article
        .meta
        .authors
        .iter()
        .map(|a| a.name.trim())
        .filter(|n| !n.is_empty())
        .collect();
    let who = match names.as_slice() {
        [] => None,
        [one] => Some(format!("By {one}")),
        [init @ .., last] => Some(format!("By {} and {last}", init.join(", "))),
    };
    let date = article.meta.date.map(|d| d.long_english());
    match (who, date) {
        (Some(w), Some(d)) => Some(format!("{w} · {d}")),
        (Some(w), None) => Some(w),
        (None, Some(d)) => Some(d),
        (None, None) => None,
    }
}

/// The flow of the whole article: first-page furniture, then the body.
pub fn flow_article(ctx: &mut Context<'_, '_>, article: &Article) -> Vec<Flowed> {
    let mut out = Vec::new();
    let base = ctx.base();
    let theme = ctx.theme;
    // Masthead: the theme's logo, then the publisher in the accent colour over a rule.
    if let Some(frame) = logo_frame(ctx) {
        out.push(Flowed {
            frame,
            keep_with_next: true,
            ..Flowed::default()
        });
        ctx.space(&mut out, base * 0.5);
    }
    let publisher = article.publisher(&theme.publisher).trim().to_owned();
    if !publisher.is_empty() {
        let style = Style {
            color: theme.colors.accent,
            ..ctx.sans(scale::MASTHEAD).bold()
        };
        ctx.display(&mut out, &publisher, style, true);
        let frame = Frame {
            height: base * 1.6,
            items: vec![Item::Fill {
                rect: Rect {
                    x: 0.0,
                    y: base * 0.35,
                    w: ctx.measure,
                    h: 1.2,
                },
                color: theme.colors.accent,
            }],
        };
        out.push(Flowed {
            frame,
            ..Flowed::default()
        });
    }
    let title = Style {
        color: theme.colors.text,
        ..ctx.sans(scale::TITLE).bold()
    };
    ctx.display(&mut out, article.meta.title.trim(), title, true);
    if let Some(dek) = article
        .meta
        .subtitle
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        ctx.space(&mut out, base * 0.4);
        let style = Style::new(Family::Serif, base * scale::DEK, theme.colors.text).italic();
        ctx.display(&mut out, dek, style, false);
    }
    if let Some(by) = byline(article) {
        ctx.space(&mut out, base * 0.6);
        let style = ctx.sans(scale::BYLINE);
        ctx.display(&mut out, &by, style, false);
    }
    ctx.space(&mut out, base * 1.0);
    if let Some(photo) = &article.photo {
        ctx.figure(&mut out, photo, PHOTO_MAX_HEIGHT);
        ctx.space(&mut out, base * 1.0);
    }
    if let Some(summary) = article
        .meta
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        summary_box(ctx, &mut out, summary);
        ctx.space(&mut out, base * 1.0);
    }
    ctx.blocks(&mut out, article, &article.blocks, 0.0, false);
    // The rights statement closes the article in the credit's small sans, as the DOCX and EPUB
    // end theirs.
    if let Some(rights) = article
        .meta
        .rights
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        ctx.space(&mut out, base * 1.5);
        let style = Style {
            color: theme.colors.text,
            ..ctx.sans(scale::CREDIT)
        };
        ctx.small(&mut out, rights, style, false);
    }
    out
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
