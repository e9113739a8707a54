//! Paginate: the flow is cut into pages. An element goes on the current page when it and the
//! footnotes it cites fit above the bottom margin; a heading (and an image with its caption) is
//! kept with what follows. Since a paragraph's first line keeps with its second (and its
//! next-to-last with its last: no orphan, no widow), a heading always brings two lines of the
//! next paragraph along and is never the last thing on a page. Footnotes sit at the bottom of the page that cites them,
//! under a short rule. A note too long for the room left there is split, as TeX splits an
//! insertion: its first lines (two at least) stay under the reference, the rest opens the next
//! page's notes area, above that page's own notes (which wait behind it); a note longer than
//! a page continues over as many pages as it needs. A data table's body row that opens a page
//! brings the table's header rows along, set again above it. Pages after the first carry a
//! running header (the theme's `header`, else the short title) and a folio, with the theme's `footer` at the left margin beside it.

use super::collect::Style;
use super::flow::{Context, Flowed};
use super::fonts::Family;
use super::tag::{Furniture, artifact};
use super::{Item, Jump, OutlineEntry, Page, Rect};
use crate::article::Article;
use std::collections::BTreeMap;

/// Space between the text and the first footnote, in base sizes; the rule sits a little
/// below its middle, since the last text line's frame already ends with half a leading.
const NOTE_GAP: f32 = 1.2;
/// The running header's longest title, in characters, before it is cut at a word.
const SHORT_TITLE: usize = 70;

/// Fewest lines of a footnote on either side of a split: the reference's page shows at least
/// the note's first two lines, and a continuation carries at least two (the widow and orphan
/// rule of the body, applied to notes). A note of three lines or fewer is never split.
const MIN_NOTE_LINES: usize = 2;
/// Largest share of the text block that the continuation of a split footnote may take on the
/// next page while body text remains to be set. TeX's `\dimen\footins` lets notes fill nearly
/// the whole page (8 in of 8.9); half the block keeps the page readable as a page of the
/// brief, and whatever is left continues on the page after.
const NOTE_CARRY_SHARE: f32 = 0.5;

/// The lines `lines` of footnote `note` (index into its frames).
#[derive(Debug, Clone)]
struct NotePart {
    note: usize,
    lines: std::ops::Range<usize>,
}

struct PageBuild {
    items: Vec<Item>,
    /// Footnote lines to set at the bottom, in order: a continuation from the page before
    /// first, then the notes first cited here.
    notes: Vec<NotePart>,
    notes_height: f32,
}

impl PageBuild {
    fn new() -> PageBuild {
        PageBuild {
            items: Vec::new(),
            notes: Vec::new(),
            notes_height: 0.0,
        }
    }
}

/// Line heights of every footnote, with prefix sums, and the rules for fitting them.
struct Notes<'n> {
    frames: &'n [Vec<Flowed>],
    /// `sums[n - 1][k]`: height of note n's first k lines.
    sums: Vec<Vec<f32>>,
    gap: f32,
}

/// How the footnotes an element cites go onto the page: `placed` on this page (whole notes,
/// perhaps the first lines of one), the rest `carried` to the next page(s), and the height
/// the placed part adds (with the gap above the first note on the page).
#[derive(Debug, Default)]
struct NotePlan {
    placed: Vec<NotePart>,
    carried: Vec<NotePart>,
    height: f32,
}

impl<'n> Notes<'n> {
    fn new(frames: &'n [Vec<Flowed>], gap: f32) -> Self {
        let sums = frames
            .iter()
            .map(|lines| {
                let mut s = Vec::with_capacity(lines.len() + 1);
                s.push(0.0);
                let mut acc = 0.0;
                for l in lines {
                    acc += l.frame.height;
                    s.push(acc);
                }
                s
            })
            .collect();
        Notes { frames, sums, gap }
    }

    fn valid(&self, n: usize) -> bool {
        n >= 1 && n <= self.frames.len()
    }

    fn len(&self, n: usize) -> usize {
        self.sums.get(n.wrapping_sub(1)).map_or(0, |s| s.len() - 1)
    }

    /// Height of lines `r` of note `n`.
    fn height(&self, n: usize, r: &std::ops::Range<usize>) -> f32 {
        self.sums
            .get(n.wrapping_sub(1))
            .and_then(|s| Some(s.get(r.end)? - s.get(r.start)?))
            .unwrap_or(0.0)
    }

    /// Where to cut `part` of note `n` after its first `k` lines, not before `floor` of them:
    /// earlier while the line before the cut keeps with the next (a hyphenated line: a page
    /// does not end in half a word, in the notes as in the text); `k` when no line allows it.
    fn cut(&self, part: &NotePart, k: usize, floor: usize) -> usize {
        let keeps = |i: usize| {
            self.frames
                .get(part.note.wrapping_sub(1))
                .and_then(|lines| lines.get(part.lines.start + i - 1))
                .is_some_and(|l| l.keep_with_next)
        };
        (floor.max(1)..=k).rev().find(|&i| !keeps(i)).unwrap_or(k)
    }

    /// The most lines of `part` that fit in `room`, from its start.
    fn lines_fitting(&self, part: &NotePart, room: f32) -> usize {
        let mut k = 0;
        while part.lines.start + k < part.lines.end
            && self.height(part.note, &(part.lines.start..part.lines.start + k + 1)) <= room + 0.01
        {
            k += 1;
        }
        k
    }

    /// Plans the notes `cited` (whole, in order) into `room` points of a page that already
    /// holds notes when `page_has_notes`. While an earlier note is still being continued
    /// (`pending`), every new note waits behind it. The first note that does not fit is split
    /// when at least [`MIN_NOTE_LINES`] of it fit here and as many remain for the next page;
    /// otherwise the plan fails, unless `force` (the element starts an empty page and must be
    /// set), in which case as much as fits is placed.
    fn plan(
        &self,
        room: f32,
        cited: &[usize],
        page_has_notes: bool,
        pending: bool,
        force: bool,
    ) -> Option<NotePlan> {
        let mut plan = NotePlan::default();
        let parts = cited.iter().map(|&n| NotePart {
            note: n,
            lines: 0..self.len(n),
        });
        if pending {
            plan.carried.extend(parts);
            return Some(plan);
        }
        let gap = if page_has_notes { 0.0 } else { self.gap };
        let mut parts = parts.peekable();
        while let Some(part) = parts.next() {
            let first = plan.placed.is_empty() && !page_has_notes;
            let used = plan.height + if first { gap } else { 0.0 };
            let h = self.height(part.note, &part.lines);
            if used + h <= room + 0.01 {
                plan.height = used + h;
                plan.placed.push(part);
                continue;
            }
            let len = part.lines.len();
            let fit = self.lines_fitting(&part, room - used);
            let k = fit.min(len.saturating_sub(MIN_NOTE_LINES));
            let k = if k >= MIN_NOTE_LINES {
                k
            } else if force {
                fit.min(len)
            } else {
                return None;
            };
            let k = if k < len {
                self.cut(&part, k, MIN_NOTE_LINES)
            } else {
                k
            };
            if k > 0 {
                plan.height = used + self.height(part.note, &(0..k));
                plan.placed.push(NotePart {
                    note: part.note,
                    lines: 0..k,
                });
            }
            if k < len {
                plan.carried.push(NotePart {
                    note: part.note,
                    lines: k..len,
                });
            }
            plan.carried.extend(parts);
            break;
        }
        Some(plan)
    }
}

/// Starts a page, opening its notes area with as much of the `carry` (continued footnotes) as
/// fits in `cap` points; what does not fit stays in the carry, split between lines.
fn new_page(pages: &mut Vec<PageBuild>, carry: &mut Vec<NotePart>, notes: &Notes<'_>, cap: f32) {
    let mut page = PageBuild::new();
    if !carry.is_empty() {
        let mut used = notes.gap;
        let mut rest = Vec::new();
        for part in carry.drain(..) {
            if !rest.is_empty() {
                rest.push(part);
                continue;
            }
            let h = notes.height(part.note, &part.lines);
            if used + h <= cap + 0.01 {
                used += h;
                page.notes.push(part);
                continue;
            }
            // At least one line goes on each page, so a note taller than the cap still moves.
            let k = notes.lines_fitting(&part, cap - used).max(1);
            let k = notes.cut(&part, k, 1);
            let mid = part.lines.start + k;
            used += notes.height(part.note, &(part.lines.start..mid));
            page.notes.push(NotePart {
                note: part.note,
                lines: part.lines.start..mid,
            });
            if mid < part.lines.end {
                rest.push(NotePart {
                    note: part.note,
                    lines: mid..part.lines.end,
                });
            }
        }
        *carry = rest;
        page.notes_height = used;
    }
    pages.push(page);
}

/// Cuts the flow into pages; returns them with the outline. The steps: [`place_flow`] puts
/// every element (and the footnotes it cites) on a page, [`set_footnotes`] sets each page's
/// notes at the foot of its text block, [`with_furniture`] adds the running header, folio and
/// footer to the pages after the first, and [`resolve_jumps`] points note calls and notes at
/// each other's final places.
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
    let book = Notes::new(&notes, note_gap);
    let placed = place_flow(flow, &book, block_h, m.left, m.top);

    let header_text = theme.header.as_deref().filter(|_| !options.title_in_header);
    let short = short_title(header_text.unwrap_or(&article.meta.title));
    let mut note_at: BTreeMap<usize, (usize, f32)> = BTreeMap::new();
    let mut out = Vec::with_capacity(placed.pages.len());
    for (k, pb) in placed.pages.into_iter().enumerate() {
        let mut items = pb.items;
        if !pb.notes.is_empty() {
            let top = m.top + block_h - pb.notes_height;
            set_footnotes(ctx, &notes, &pb.notes, k, top, &mut items, &mut note_at);
        }
        if k > 0 {
            items = with_furniture(ctx, &short, k, options, items);
        }
        out.push(Page {
            width: pw,
            height: ph,
            items,
        });
    }
    resolve_jumps(&mut out, &placed.refs, &note_at);
    (out, placed.outline)
}

/// What [`place_flow`] decided: the pages with their body items and footnote parts, the
/// outline, and where each note's first reference landed (page, y).
struct Placed {
    pages: Vec<PageBuild>,
    outline: Vec<OutlineEntry>,
    refs: BTreeMap<usize, (usize, f32)>,
}

/// Puts the flow on pages of `block_h` points, top-left corner of the text block at
/// (`left`, `top`): an element goes where it and the notes it cites fit, and a chain of
/// elements kept together moves to a fresh page when it would fit there but not here.
fn place_flow(
    mut flow: Vec<Flowed>,
    book: &Notes<'_>,
    block_h: f32,
    left: f32,
    top: f32,
) -> Placed {
    let mut pages: Vec<PageBuild> = vec![PageBuild::new()];
    let mut outline = Vec::new();
    let mut placed_notes: Vec<bool> = vec![false; book.frames.len() + 1];
    // Footnote lines waiting for the next page: the rest of a split note, and notes cited
    // after it.
    let mut carry: Vec<NotePart> = Vec::new();
    let mut refs: BTreeMap<usize, (usize, f32)> = BTreeMap::new();
    let mut y = 0.0f32;
    // The page a table's header rows were last set again on, and whether the current page
    // holds nothing but them (the next element is then set as if it opened the page).
    let mut repeated_on: Option<usize> = None;
    let mut bare = false;

    let mut i = 0;
    while i < flow.len() {
        let f = &flow[i];
        if f.space && (y == 0.0 || bare) {
            i += 1;
            continue;
        }
        let page = pages.len() - 1;
        // A table row opening a page brings its table's header rows along, when both fit.
        if y == 0.0
            && repeated_on != Some(page)
            && let Some(head) = &f.repeat
        {
            repeated_on = Some(page);
            let head_h: f32 = head.iter().map(|h| h.frame.height).sum();
            if head_h + f.frame.height <= block_h - pages[page].notes_height + 0.01 {
                for h in head.iter() {
                    for item in &h.frame.items {
                        let mut it = item.clone();
                        it.translate(left, top + y);
                        pages[page].items.push(it);
                    }
                    y += h.frame.height;
                }
                bare = true;
                continue;
            }
        }
        let new_notes = fresh_notes(std::slice::from_ref(f), book, &placed_notes);
        // `notes_height` already holds the gap above the notes once there are any.
        let avail = block_h - pages[page].notes_height;
        let has_notes = !pages[page].notes.is_empty();
        let pending = !carry.is_empty();
        // The height that must stay together: this element and the ones it keeps with.
        // The notes the rest of the chain cites come along too: without them a widow line
        // citing a long note could be pushed alone onto the next page.
        let chain = keep_chain(&flow, i);
        let chain_h: f32 = chain.iter().map(|f| f.frame.height).sum();
        let chain_notes = fresh_notes(chain, book, &placed_notes);
        let room_self = avail - y - f.frame.height;
        let self_plan = (room_self >= -0.01)
            .then(|| book.plan(room_self, &new_notes, has_notes, pending, false))
            .flatten();
        let fits = |room: f32, has_notes: bool, pending: bool| {
            room >= -0.01
                && book
                    .plan(room, &chain_notes, has_notes, pending, false)
                    .is_some()
        };
        let fits_chain = fits(avail - y - chain_h, has_notes, pending);
        let chain_fits_empty = fits(block_h - chain_h, false, false);
        if y > 0.0 && !bare && (self_plan.is_none() || (!fits_chain && chain_fits_empty)) {
            new_page(&mut pages, &mut carry, book, block_h * NOTE_CARRY_SHARE);
            y = 0.0;
            continue;
        }
        // An element that starts a page is set even when it and its notes do not fit.
        let plan = self_plan.unwrap_or_else(|| {
            book.plan(room_self.max(0.0), &new_notes, has_notes, pending, true)
                .unwrap_or_default()
        });
        if let Some((level, title)) = &f.outline {
            outline.push(OutlineEntry {
                level: *level,
                title: title.clone(),
                page,
                y: top + y,
            });
        }
        let height = f.frame.height;
        // The element is placed once: its items move to the page (a 10 MB brief's glyphs
        // are never held twice).
        for mut it in std::mem::take(&mut flow[i].frame.items) {
            it.translate(left, top + y);
            if let Item::Jump {
                rect,
                to: Jump::Note(n),
            } = &it
            {
                refs.entry(*n).or_insert((page, rect.y));
            }
            pages[page].items.push(it);
        }
        y += height;
        bare = false;
        for n in &new_notes {
            placed_notes[*n] = true;
        }
        pages[page].notes_height += plan.height;
        pages[page].notes.extend(plan.placed);
        carry.extend(plan.carried);
        i += 1;
    }
    // Continued notes left when the body has ended get pages of their own.
    while !carry.is_empty() {
        new_page(&mut pages, &mut carry, book, block_h);
    }
    Placed {
        pages,
        outline,
        refs,
    }
}

/// Element `i` and the elements it is kept with (each `keep_with_next` pulls in the next).
fn keep_chain(flow: &[Flowed], i: usize) -> &[Flowed] {
    let mut j = i;
    while flow[j].keep_with_next && j + 1 < flow.len() {
        j += 1;
    }
    &flow[i..=j]
}

/// The notes `elements` cite that are not on a page yet, each once, in citing order.
fn fresh_notes(elements: &[Flowed], book: &Notes<'_>, placed: &[bool]) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for n in elements.iter().flat_map(|f| &f.notes) {
        if book.valid(*n) && !placed[*n] && !out.contains(n) {
            out.push(*n);
        }
    }
    out
}

/// Sets page `page`'s footnote `parts` from `top` down, under a short rule, and records where
/// each note's first line landed.
fn set_footnotes(
    ctx: &Context<'_, '_>,
    notes: &[Vec<Flowed>],
    parts: &[NotePart],
    page: usize,
    top: f32,
    items: &mut Vec<Item>,
    note_at: &mut BTreeMap<usize, (usize, f32)>,
) {
    let theme = ctx.theme;
    let note_gap = theme.base_size * NOTE_GAP;
    let mut ny = top + note_gap * 0.6;
    items.push(Item::Fill {
        rect: Rect {
            x: theme.margins.left,
            y: ny - 0.25,
            w: ctx.measure / 4.0,
            h: 0.5,
        },
        color: theme.colors.rule,
    });
    ny += note_gap * 0.4;
    for part in parts {
        if part.lines.start == 0 {
            note_at.entry(part.note).or_insert((page, ny));
        }
        let lines = notes
            .get(part.note.wrapping_sub(1))
            .and_then(|l| l.get(part.lines.clone()))
            .unwrap_or_default();
        for f in lines {
            for item in &f.frame.items {
                let mut it = item.clone();
                it.translate(theme.margins.left, ny);
                items.push(it);
            }
            ny += f.frame.height;
        }
    }
}

/// Page `k`'s items (k > 0) with the running header (`short` title over a hairline), the folio
/// and the theme's footer; the furniture comes first so text extraction meets it before the
/// page's body.
fn with_furniture(
    ctx: &mut Context<'_, '_>,
    short: &str,
    k: usize,
    options: &super::Options,
    items: Vec<Item>,
) -> Vec<Item> {
    let theme = ctx.theme;
    let (_, ph) = theme.page.points();
    let m = theme.margins;
    let size = theme.base_size * 0.75;
    let style = Style::new(Family::Sans, size, theme.colors.accent);
    // Header: short title on a baseline half a margin above the text block, a hairline under it.
    let hy = m.top * 0.55;
    let (runs, _) = ctx.text_runs(short, style);
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
    // Folio: centred, half a margin below the text block (unless the caller numbers the pages
    // itself; the footer keeps its room either way).
    let mut header = artifact(header, Furniture::Header);
    let (folio, w) = folio(ctx, k + 1);
    let mut furniture = if options.omit_folio {
        Vec::new()
    } else {
        folio
    };
    let fy = ph - m.bottom * 0.5;
    // The theme's footer at the left margin on the folio's baseline, cut at a word to end a
    // quad before the folio.
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
            furniture.push(Item::Text(r));
        }
    }
    header.extend(artifact(furniture, Furniture::Footer));
    header.extend(items);
    header
}

/// Turns every note call and note back-link into a jump to a page position, now that every
/// reference (`refs`) and note (`note_at`) has a place; a jump whose target was never placed
/// is dropped.
fn resolve_jumps(
    pages: &mut [Page],
    refs: &BTreeMap<usize, (usize, f32)>,
    note_at: &BTreeMap<usize, (usize, f32)>,
) {
    for page in pages {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Frame;

    /// A note of 10-point lines; `keeps[i]` says line `i` keeps with the next (hyphenated).
    fn note(keeps: &[bool]) -> Vec<Flowed> {
        keeps
            .iter()
            .map(|&keep_with_next| Flowed {
                frame: Frame {
                    height: 10.0,
                    items: Vec::new(),
                },
                keep_with_next,
                ..Flowed::default()
            })
            .collect()
    }

    #[test]
    fn a_split_note_does_not_end_a_page_on_a_hyphenated_line() {
        // Six lines; the fourth (index 3) ends in a hyphen.
        let frames = vec![note(&[false, false, false, true, false, false])];
        let notes = Notes::new(&frames, 0.0);
        // Room for four lines: the cut moves up to after the third.
        let plan = notes.plan(40.0, &[1], true, false, false).unwrap();
        assert_eq!(plan.placed[0].lines, 0..3);
        assert_eq!(plan.carried[0].lines, 3..6);
        // Room for three: the hyphen stays with the next line on the next page.
        let plan = notes.plan(30.0, &[1], true, false, false).unwrap();
        assert_eq!(plan.placed[0].lines, 0..3);
        // A continuation starting a page is cut the same way.
        let mut pages = Vec::new();
        let mut carry = vec![NotePart {
            note: 1,
            lines: 0..6,
        }];
        new_page(&mut pages, &mut carry, &notes, 40.0);
        assert_eq!(pages[0].notes[0].lines, 0..3);
        assert_eq!(carry[0].lines, 3..6);
        // When every line in reach is hyphenated, the cut falls where the room ends.
        let frames = vec![note(&[true, true, true, true, true, false])];
        let notes = Notes::new(&frames, 0.0);
        let plan = notes.plan(40.0, &[1], true, false, false).unwrap();
        assert_eq!(plan.placed[0].lines, 0..4);
    }
}
