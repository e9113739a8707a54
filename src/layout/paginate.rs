//! Paginate: the flow is cut into pages. An element goes on the current page when it and the
//! footnotes it cites fit above the bottom margin; a heading (and an image with its caption) is
//! kept with what follows. Since a paragraph's first line keeps with its second (and its
//! next-to-last with its last: no orphan, no widow), a heading always brings two lines of the
//! next paragraph along and is never the last thing on a page. Footnotes sit at the bottom of the page that cites them,
//! under a short rule. Pages after the first carry a running header (the theme's `header`, else
//! the short title) and a folio, with the theme's `footer` at the left margin beside it.

use super::collect::Style;
use super::flow::{Context, Flowed};
use super::fonts::Family;
use super::{Item, Jump, OutlineEntry, Page, Rect};
use crate::article::Article;
use std::collections::BTreeMap;

/// Space between the text and the first footnote, in base sizes; the rule sits a little
/// below its middle, since the last text line's frame already ends with half a leading.
const NOTE_GAP: f32 = 1.2;
/// The running header's longest title, in characters, before it is cut at a word.
const SHORT_TITLE: usize = 70;

struct PageBuild {
    items: Vec<Item>,
    /// Footnote frames to set at the bottom, in citation order.
    notes: Vec<usize>,
    notes_height: f32,
}

/// Cuts the flow into pages; returns them with the outline.
pub fn paginate(
    ctx: &mut Context<'_, '_>,
    article: &Article,
    flow: Vec<Flowed>,
    notes: Vec<Vec<Flowed>>,
    options: &super::Options,
) -> (Vec<Page>, Vec<OutlineEntry>) {
    let theme = ctx.theme;
    let (pw, ph) = theme.page.points();
    let m = theme.margins;
    let block_h = (ph - m.top - m.bottom).max(72.0);
    let note_gap = theme.base_size * NOTE_GAP;
    let note_h = |n: usize| {
        notes
            .get(n.wrapping_sub(1))
            .map_or(0.0, |f| f.iter().map(|x| x.frame.height).sum::<f32>())
    };

    let mut pages: Vec<PageBuild> = vec![PageBuild {
        items: Vec::new(),
        notes: Vec::new(),
        notes_height: 0.0,
    }];
    let mut outline = Vec::new();
    let mut placed_notes: Vec<usize> = Vec::new();
    // Where each note's first reference and its text landed: page, y.
    let mut refs: BTreeMap<usize, (usize, f32)> = BTreeMap::new();
    let mut note_at: BTreeMap<usize, (usize, f32)> = BTreeMap::new();
    let mut y = 0.0f32;

    let mut i = 0;
    while i < flow.len() {
        let f = &flow[i];
        let page = pages.len() - 1;
        if f.space && y == 0.0 {
            i += 1;
            continue;
        }
        let new_notes: Vec<usize> = f
            .notes
            .iter()
            .copied()
            .filter(|n| !placed_notes.contains(n) && *n >= 1 && *n <= notes.len())
            .collect();
        let extra_notes: f32 = new_notes.iter().map(|n| note_h(*n)).sum::<f32>()
            + if !new_notes.is_empty() && pages[page].notes.is_empty() {
                note_gap
            } else {
                0.0
            };
        // `notes_height` already holds the gap above the notes once there are any.
        let avail = block_h - pages[page].notes_height;
        // The height that must stay together: this element and the ones it keeps with.
        // The notes the rest of the chain cites come along too: without them a widow line
        // citing a long note could be pushed alone onto the next page.
        let mut chain = f.frame.height;
        let mut chain_notes = new_notes.clone();
        if f.keep_with_next {
            let mut j = i;
            while j + 1 < flow.len() && flow[j].keep_with_next {
                j += 1;
                chain += flow[j].frame.height;
                for n in &flow[j].notes {
                    if !placed_notes.contains(n)
                        && !chain_notes.contains(n)
                        && *n >= 1
                        && *n <= notes.len()
                    {
                        chain_notes.push(*n);
                    }
                }
            }
        }
        let chain_extra: f32 = chain_notes.iter().map(|n| note_h(*n)).sum::<f32>()
            + if !chain_notes.is_empty() && pages[page].notes.is_empty() {
                note_gap
            } else {
                0.0
            };
        let chain = chain + chain_extra;
        let fits_chain = y + chain <= avail + 0.01;
        let fits_self = y + f.frame.height + extra_notes <= avail + 0.01;
        let chain_fits_empty = chain <= block_h;
        if y > 0.0 && (!fits_self || (!fits_chain && chain_fits_empty)) {
            pages.push(PageBuild {
                items: Vec::new(),
                notes: Vec::new(),
                notes_height: 0.0,
            });
            y = 0.0;
            continue;
        }
        let page = pages.len() - 1;
        if let Some((level, title)) = &f.outline {
            outline.push(OutlineEntry {
                level: *level,
                title: title.clone(),
                page,
                y: m.top + y,
            });
        }
        for item in &f.frame.items {
            let mut it = item.clone();
            it.translate(m.left, m.top + y);
            if let Item::Jump {
                rect,
                to: Jump::Note(n),
            } = &it
            {
                refs.entry(*n).or_insert((page, rect.y));
            }
            pages[page].items.push(it);
        }
        y += f.frame.height;
        for n in new_notes {
            if pages[page].notes.is_empty() {
                pages[page].notes_height += note_gap;
            }
            pages[page].notes.push(n);
            pages[page].notes_height += note_h(n);
            placed_notes.push(n);
        }
        i += 1;
    }

    let header_text = theme.header.as_deref().filter(|_| !options.title_in_header);
    let short = short_title(header_text.unwrap_or(&article.meta.title));
    let count = pages.len();
    let mut out = Vec::with_capacity(count);
    for (k, pb) in pages.into_iter().enumerate() {
        let mut items = pb.items;
        // Footnotes, bottom-aligned to the text block.
        if !pb.notes.is_empty() {
            let mut ny = m.top + block_h - pb.notes_height + note_gap * 0.6;
            items.push(Item::Fill {
                rect: Rect {
                    x: m.left,
                    y: ny - 0.25,
                    w: ctx.measure / 4.0,
                    h: 0.5,
                },
                color: theme.colors.rule,
            });
            ny += note_gap * 0.4;
            for n in &pb.notes {
                note_at.insert(*n, (k, ny));
                for f in notes.get(n - 1).into_iter().flatten() {
                    for item in &f.frame.items {
                        let mut it = item.clone();
                        it.translate(m.left, ny);
                        items.push(it);
                    }
                    ny += f.frame.height;
                }
            }
        }
        if k > 0 {
            let size = theme.base_size * 0.75;
            let style = Style::new(Family::Sans, size, theme.colors.accent);
            // Header: short title on a baseline half a margin above the text block, a hairline under it.
            let hy = m.top * 0.55;
            let (runs, _) = ctx.text_runs(&short, style);
            let mut header: Vec<Item> = runs
                .into_iter()
                .map(|mut r| {
                    r.origin.x += m.left;
                    r.origin.y += hy;
                    Item::Text(r)
                })
                .collect();
            header.push(Item::Fill {
                rect: Rect {
                    x: m.left,
                    y: hy + size * 0.6,
                    w: ctx.measure,
                    h: 0.4,
                },
                color: theme.colors.rule,
            });
            // Folio: centred, half a margin below the text block (unless the caller numbers
            // the pages itself; the footer keeps its room either way).
            let (folio, w) = folio(ctx, k + 1);
            if !options.omit_folio {
                header.extend(folio);
            }
            let fy = ph - m.bottom * 0.5;
            // The theme's footer at the left margin on the folio's baseline, cut at a word
            // to end a quad before the folio.
            if let Some(footer) = theme
                .footer
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
            {
                let room = (ctx.measure - w) / 2.0 - size;
                let (runs, _) = fit_words(ctx, footer, style, room);
                for mut r in runs {
                    r.origin.x += m.left;
                    r.origin.y += fy;
                    header.push(Item::Text(r));
                }
            }
            // Header first so text extraction meets it before the page's body.
            header.extend(items);
            items = header;
        }
        out.push(Page {
            width: pw,
            height: ph,
            items,
        });
    }
    // Resolve the jumps now that every reference and note has a place.
    for page in &mut out {
        page.items.retain_mut(|item| match item {
            Item::Jump { to, .. } => {
                let target = match *to {
                    Jump::Note(n) => note_at.get(&n),
                    Jump::Ref(n) => refs.get(&n),
                    Jump::Page { .. } => return true,
                };
                match target {
                    Some(&(page, y)) => {
                        *to = Jump::Page { page, y };
                        true
                    }
                    None => false,
                }
            }
            _ => true,
        });
    }
    (out, outline)
}

/// The folio `number` as page items: the small sans face in the text colour, centred, half a
/// bottom margin below the text block; and its width.
pub(super) fn folio(ctx: &mut Context<'_, '_>, number: usize) -> (Vec<Item>, f32) {
    let theme = ctx.theme;
    let (pw, ph) = theme.page.points();
    let style = Style::new(Family::Sans, theme.base_size * 0.75, theme.colors.text);
    let (runs, w) = ctx.text_runs(&number.to_string(), style);
    let fy = ph - theme.margins.bottom * 0.5;
    let items = runs
        .into_iter()
        .map(|mut r| {
            r.origin.x += (pw - w) / 2.0;
            r.origin.y += fy;
            Item::Text(r)
        })
        .collect();
    (items, w)
}

/// The runs of `text` in `style`, cut after the last word that fits in `room` points (with an
/// ellipsis when cut), and their width.
fn fit_words(
    ctx: &mut Context<'_, '_>,
    text: &str,
    style: Style,
    room: f32,
) -> (Vec<super::TextRun>, f32) {
    let full = ctx.text_runs(text, style);
    if full.1 <= room {
        return full;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    for n in (1..words.len()).rev() {
        let cut = format!("{}…", words[..n].join(" "));
        let fitted = ctx.text_runs(&cut, style);
        if fitted.1 <= room {
            return fitted;
        }
    }
    (Vec::new(), 0.0)
}

/// The title cut at a word boundary to fit a running header.
fn short_title(title: &str) -> String {
    let title = title.trim();
    if title.chars().count() <= SHORT_TITLE {
        return title.to_owned();
    }
    let mut out = String::new();
    for word in title.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > SHORT_TITLE - 1 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    let out = out
        .trim_end_matches([',', ';', ':', '—', '–', '-'])
        .to_owned();
    if out.is_empty() {
        title.chars().take(SHORT_TITLE).collect()
    } else {
        format!("{out}…")
    }
}
