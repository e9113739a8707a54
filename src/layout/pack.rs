//! Briefing packs in the PDF: the briefs are laid out in parallel, each exactly as it would be
//! alone (its own first page, footnotes numbered from 1) except that the folio is left off and
//! the running header always shows the brief's short title; then the pack is bound:
//!
//! ```text
//!   cover       masthead (logo, publisher), pack title, subtitle, date, cover picture
//!   contents    each brief's title and authors, its first page number right-aligned after
//!               dot leaders; the whole entry links to that page
//!   briefs      their pages in order, jumps moved to their new page indices, folios added
//!               (they run through the whole pack, cover = page 1, and equal the PDF's own
//!               page numbers), the outline nested: brief title > its headings
//! ```
//!
//! Nothing of a brief's pagination depends on where it lands, so the page count of each is
//! known before the contents is set; the contents' length depends only on its entries (the
//! number column is as wide as four digits whatever the numbers), so every folio is known
//! before any is drawn.

use super::collect::Style;
use super::flow::{self, Context};
use super::fonts::{Family, FontBook};
use super::tag::{Furniture, Mark, Role, Structure, artifact};
use super::{Item, Jump, Layout, Options, OutlineEntry, Page, Rect, TextRun};
use crate::error::{Result, Warning};
use crate::pack::{Pack, PackPiece};
use crate::theme::Theme;
use rayon::prelude::*;

/// A laid-out pack: the whole document and where its parts begin.
pub struct PackLayout<'a> {
    /// Every page of the pack, its outline and warnings; `fonts` is the theme's book, which
    /// every brief's glyph ids refer to (one theme for the whole pack).
    pub layout: Layout<'a>,
    /// Page index (0-based) of the first contents page.
    pub contents: usize,
    /// Page index (0-based) of each brief's first page, in pack order.
    pub starts: Vec<usize>,
}

/// Sizes of the cover and contents, as multiples of the theme's base size, on the same modular
/// scale (about 1.25) as a brief's first page (`flow::scale`).
mod scale {
    /// The pack title: one step above a brief's title (2.0), so the cover outranks it.
    pub const TITLE: f32 = 2.5;
    /// The subtitle: a step above a brief's dek (1.18).
    pub const SUBTITLE: f32 = 1.3;
    /// The date and the masthead: as a brief's masthead.
    pub const DATE: f32 = 0.95;
    /// A contents entry's title and page number: the body size, in the bold sans.
    pub const ENTRY: f32 = 1.0;
    /// A contents entry's authors: a brief's byline size.
    pub const AUTHORS: f32 = 0.86;
    /// Leading of display lines (as `flow::scale::DISPLAY_LEADING`).
    pub const DISPLAY_LEADING: f32 = 1.2;
    /// Leading of contents lines: a little looser, since entries are read as a list.
    pub const LIST_LEADING: f32 = 1.3;
}

/// Where the pack title starts, as a share of the text block's height: a little above the
/// optical centre of the page, where covers usually set their title.
const TITLE_AT: f32 = 0.28;
/// The cover picture's largest share of the text block's height.
const COVER_PICTURE: f32 = 0.4;
/// Distance between leader dots, in ems of the entry size: LaTeX's `\@dotsep` (4.5 mu = 0.25
/// em) looks crowded in a sans face; 0.45 em is the open leader of most style guides.
const LEADER_PITCH: f32 = 0.45;
/// A link or bookmark that targets a page's top: the viewer's top edge at the page's top
/// (`Jump::Page` and the outline put the view 4 pt above the `y` they are given).
const PAGE_TOP: f32 = 4.0;

/// One brief laid out on its own.
struct Laid {
    pages: Vec<Page>,
    outline: Vec<OutlineEntry>,
    warnings: Vec<Warning>,
    structure: Structure,
}

/// One line or space of the cover or contents, relative to the left margin and its own top.
#[derive(Default)]
struct Row {
    height: f32,
    items: Vec<Item>,
    /// Must end on the same page as the next row.
    keep_with_next: bool,
    /// Vertical space, dropped at the top of a page.
    space: bool,
}

/// Lays out the pack in the theme's page size.
pub fn layout_pack<'a>(pack: &Pack, theme: &'a Theme) -> Result<PackLayout<'a>> {
    let options = Options {
        omit_folio: true,
        title_in_header: true,
    };
    // Each brief parses its own font book (as a brief built alone does): a `FontBook` borrows
    // harfrust state that is cheaper to rebuild per thread than to share.
    let briefs: Vec<Laid> = pack
        .briefs
        .par_iter()
        .map(|a| {
            super::layout_with(a, theme, &options).map(|l| Laid {
                pages: l.pages,
                outline: l.outline,
                warnings: l.warnings,
                structure: l.structure,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let fonts = FontBook::new(theme)?.with_language(pack.language());
    let mut ctx = Context::new(&fonts, theme, &pack.lang());
    let (pw, ph) = theme.page.points();
    let m = theme.margins;
    let block_h = (ph - m.top - m.bottom).max(72.0);

    let cover = cover_rows(&mut ctx, pack, block_h);
    let (cover_at, cover_pages) = place_rows(&cover, block_h);
    let (contents, entries) = contents_rows(&mut ctx, pack);
    let (contents_at, contents_pages) = place_rows(&contents, block_h);

    let first_contents = cover_pages;
    let mut starts = Vec::with_capacity(briefs.len());
    let mut next = cover_pages + contents_pages;
    for b in &briefs {
        starts.push(next);
        next += b.pages.len().max(1);
    }

    let blank = |_| Page {
        width: pw,
        height: ph,
        items: Vec::new(),
    };
    let mut pages: Vec<Page> = (0..cover_pages + contents_pages).map(blank).collect();
    for (row, &(page, y)) in cover.into_iter().zip(&cover_at) {
        put(&mut pages[page], row.items, m.left, m.top + y);
    }
    for (row, &(page, y)) in contents.into_iter().zip(&contents_at) {
        put(
            &mut pages[first_contents + page],
            row.items,
            m.left,
            m.top + y,
        );
    }
    // Page numbers, leaders and links, now that every brief's first page is known.
    for (entry, &start) in entries.iter().zip(&starts) {
        let (page, y) = contents_at[entry.number_row];
        let extra = entry.finish(&mut ctx, start);
        let alt = entry.title.clone();
        put(&mut pages[first_contents + page], extra, m.left, m.top + y);
        // The whole entry is the link, one area per page it spans.
        let mut k = entry.rows.start;
        while k < entry.rows.end {
            let (p, top) = contents_at[k];
            let mut bottom = top + entry.heights[k - entry.rows.start];
            while k + 1 < entry.rows.end && contents_at[k + 1].0 == p {
                k += 1;
                bottom = contents_at[k].1 + entry.heights[k - entry.rows.start];
            }
            let mark = ctx.tags.annot_of(entry.elem, alt.clone());
            let items = &mut pages[first_contents + p].items;
            items.push(mark);
            items.push(Item::Jump {
                rect: Rect {
                    x: m.left,
                    y: m.top + top,
                    w: ctx.measure,
                    h: bottom - top,
                },
                to: Jump::Page {
                    page: start,
                    y: PAGE_TOP,
                },
            });
            items.push(Item::End);
            k += 1;
        }
    }

    let label = pack.labels(&theme.labels).contents;
    let mut outline = vec![OutlineEntry {
        level: 1,
        title: label.into_owned(),
        page: first_contents,
        y: PAGE_TOP,
    }];
    let mut warnings = Vec::new();
    for (i, (laid, &start)) in briefs.into_iter().zip(&starts).enumerate() {
        let brief = &pack.briefs[i];
        outline.push(OutlineEntry {
            level: 1,
            title: brief.meta.title.trim().to_owned(),
            page: start,
            y: PAGE_TOP,
        });
        outline.extend(laid.outline.into_iter().map(|e| OutlineEntry {
            level: e.level.saturating_add(1),
            page: e.page + start,
            ..e
        }));
        // Each brief is a part of the pack's document, in its own language when that differs.
        let lang = (brief.meta.language != pack.language()).then(|| brief.meta.language.clone());
        let shift = ctx.tags.adopt(&laid.structure, Role::Part, lang);
        let short = brief.meta.title.trim();
        warnings.extend(laid.warnings.into_iter().map(|w| Warning {
            message: format!("brief {} (“{short}”): {}", i + 1, w.message),
            ..w
        }));
        for (k, mut page) in laid.pages.into_iter().enumerate() {
            for item in &mut page.items {
                match item {
                    Item::Jump {
                        to: Jump::Page { page: p, .. },
                        ..
                    } => *p += start,
                    Item::Begin(Mark::Content(n) | Mark::Annot(n)) => *n += shift,
                    _ => {}
                }
            }
            // A brief's first page carries no folio, as when it stands alone.
            if k > 0 {
                let (folio, _) = super::paginate::folio(&mut ctx, start + k + 1);
                page.items.splice(0..0, artifact(folio, Furniture::Footer));
            }
            pages.push(page);
        }
    }
    let (mut all, structure) = ctx.into_parts();
    all.extend(warnings);
    Ok(PackLayout {
        layout: Layout {
            fonts,
            pages,
            outline,
            warnings: all,
            structure,
        },
        contents: first_contents,
        starts,
    })
}

/// Moves items by (`dx`, `dy`) onto a page.
fn put(page: &mut Page, items: Vec<Item>, dx: f32, dy: f32) {
    for mut item in items {
        item.translate(dx, dy);
        page.items.push(item);
    }
}

/// Cuts rows into pages: a row goes on the current page when it (and the rows it keeps with,
/// when they fit on a page at all) fits; space at the top of a page is dropped. Returns each
/// row's page and top, and the number of pages (at least one).
fn place_rows(rows: &[Row], block_h: f32) -> (Vec<(usize, f32)>, usize) {
    let mut at = Vec::with_capacity(rows.len());
    let (mut page, mut y) = (0usize, 0.0f32);
    for (i, row) in rows.iter().enumerate() {
        if row.space && y == 0.0 {
            at.push((page, y));
            continue;
        }
        let mut chain = row.height;
        let mut j = i;
        while rows[j].keep_with_next && j + 1 < rows.len() {
            j += 1;
            chain += rows[j].height;
        }
        let overflows = y + row.height > block_h + 0.01;
        let chain_breaks = y + chain > block_h + 0.01 && chain <= block_h;
        if y > 0.0 && (overflows || chain_breaks) {
            page += 1;
            y = 0.0;
            if row.space {
                at.push((page, y));
                continue;
            }
        }
        at.push((page, y));
        y += row.height;
    }
    (at, page + 1)
}

/// Words of `text` set on lines no wider than `width` (greedy: display text is set ragged
/// right, without hyphenation). A word wider than a line is cut between characters. Each
/// word is shaped once and each finished line once, so a hostile title costs linear time.
fn wrap(
    ctx: &mut Context<'_, '_>,
    text: &str,
    style: Style,
    width: f32,
) -> Vec<(Vec<TextRun>, f32)> {
    // A word space's width: shaped as a no-break space, since a line's plain trailing space
    // is not set (and so has no width).
    let space = ctx.text_runs("\u{a0}", style).1;
    let mut lines: Vec<String> = Vec::new();
    let (mut line, mut line_w) = (String::new(), 0.0f32);
    for word in text.split_whitespace() {
        let w = ctx.text_runs(word, style).1;
        if !line.is_empty() && line_w + space + w <= width {
            line.push(' ');
            line.push_str(word);
            line_w += space + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if w <= width {
            line = word.to_owned();
            line_w = w;
            continue;
        }
        // Too wide for any line: cut it into pieces that fit, measured character by character.
        let (mut piece, mut piece_w) = (String::new(), 0.0f32);
        for c in word.chars() {
            let cw = ctx.text_runs(c.encode_utf8(&mut [0; 4]), style).1;
            if !piece.is_empty() && piece_w + cw > width {
                lines.push(std::mem::take(&mut piece));
                piece_w = 0.0;
            }
            piece.push(c);
            piece_w += cw;
        }
        (line, line_w) = (piece, piece_w);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.iter().map(|l| ctx.text_runs(l, style)).collect()
}

/// The baseline of a line of `leading` in `style`: the face's ascent and descent centred in
/// the leading, as body lines are (`flow`).
fn baseline(ctx: &Context<'_, '_>, style: Style, leading: f32) -> f32 {
    let m = ctx.shaper.book().face(style.face()).metrics;
    let upm = f32::from(m.units_per_em.max(1));
    let (asc, desc) = (m.ascent / upm * style.size, -m.descent / upm * style.size);
    (leading - (asc + desc)) / 2.0 + asc
}

/// A row holding one line of runs, moved right by `x`: a content piece of the open element.
fn line_row(
    ctx: &mut Context<'_, '_>,
    runs: Vec<TextRun>,
    style: Style,
    leading: f32,
    x: f32,
) -> Row {
    let b = baseline(ctx, style, leading);
    let items = runs
        .into_iter()
        .map(|mut r| {
            r.origin.x += x;
            r.origin.y += b;
            Item::Text(r)
        })
        .collect();
    Row {
        height: leading,
        items: ctx.tags.tag_items(items),
        ..Row::default()
    }
}

/// Display lines of `text`, the lines of one block kept together, as one `role` element.
fn display(
    ctx: &mut Context<'_, '_>,
    rows: &mut Vec<Row>,
    (text, role): (&str, Role),
    style: Style,
    leading: f32,
) {
    match role {
        Role::H(1) => ctx.tags.open_title(),
        role => ctx.tags.open(role),
    };
    let measure = ctx.measure;
    let lines = wrap(ctx, text, style, measure);
    let n = lines.len();
    for (i, (runs, _)) in lines.into_iter().enumerate() {
        let mut row = line_row(ctx, runs, style, leading, 0.0);
        row.keep_with_next = i + 1 < n;
        rows.push(row);
    }
    ctx.tags.close();
}

fn space(rows: &mut Vec<Row>, h: f32) {
    rows.push(Row {
        height: h,
        space: true,
        ..Row::default()
    });
}

/// The cover: the masthead as on a brief's first page (logo, publisher over an accent rule),
/// then, about a third down, the pack title, subtitle and date, then the cover picture.
fn cover_rows(ctx: &mut Context<'_, '_>, pack: &Pack, block_h: f32) -> Vec<Row> {
    let theme = ctx.theme;
    let base = theme.base_size;
    let mut rows = Vec::new();
    for piece in pack.front(&theme.publisher, &theme.labels) {
        match piece {
            PackPiece::Masthead { publisher } => {
                let mut masthead = Vec::new();
                flow::masthead(ctx, &mut masthead, &publisher);
                rows.extend(masthead.into_iter().map(|f| Row {
                    height: f.frame.height,
                    items: f.frame.items,
                    keep_with_next: f.keep_with_next,
                    space: f.space,
                }));
                let used: f32 = rows.iter().map(|r| r.height).sum();
                // Down to where the title block starts (the masthead may already be below it).
                let drop = block_h * TITLE_AT - used;
                if drop > 0.0 {
                    rows.push(Row {
                        height: drop,
                        ..Row::default()
                    });
                }
            }
            PackPiece::Title(t) => {
                let title = Style::new(Family::Sans, base * scale::TITLE, theme.colors.text).bold();
                display(
                    ctx,
                    &mut rows,
                    (&t, Role::H(1)),
                    title,
                    title.size * scale::DISPLAY_LEADING,
                );
            }
            PackPiece::Subtitle(sub) => {
                space(&mut rows, base * 0.8);
                let style =
                    Style::new(Family::Serif, base * scale::SUBTITLE, theme.colors.text).italic();
                display(ctx, &mut rows, (sub, Role::P), style, style.size * 1.3);
            }
            PackPiece::Date(date) => {
                space(&mut rows, base * 1.2);
                let style = Style {
                    color: theme.colors.accent,
                    ..Style::new(Family::Sans, base * scale::DATE, theme.colors.text)
                };
                display(
                    ctx,
                    &mut rows,
                    (&date, Role::P),
                    style,
                    style.size * scale::DISPLAY_LEADING,
                );
            }
            PackPiece::Picture(img) => {
                space(&mut rows, base * 2.0);
                let (iw, ih) = (img.width.max(1) as f32, img.height.max(1) as f32);
                let mut w = ctx.measure;
                let mut h = w * ih / iw;
                if h > block_h * COVER_PICTURE {
                    h = block_h * COVER_PICTURE;
                    w = h * iw / ih;
                }
                rows.push(Row {
                    height: h,
                    items: vec![Item::Image {
                        image: img.clone(),
                        rect: Rect {
                            x: (ctx.measure - w) / 2.0,
                            y: 0.0,
                            w,
                            h,
                        },
                    }],
                    ..Row::default()
                });
            }
        }
    }
    rows
}

/// A contents entry waiting for its page number.
struct Entry {
    /// Its rows in the contents.
    rows: std::ops::Range<usize>,
    /// Their heights, in order.
    heights: Vec<f32>,
    /// The row that carries the number: the title's last line.
    number_row: usize,
    /// Where that line's text ends.
    text_end: f32,
    /// The number's style.
    style: Style,
    /// The number row's baseline, from its top.
    baseline: f32,
    /// Its contents-item element.
    elem: usize,
    /// The brief's title (what its link is described as).
    title: String,
}

impl Entry {
    /// The page number (1-based, of the brief starting at page index `start`) right-aligned at
    /// the measure, and the dot leaders up to it, relative to the number row's top.
    fn finish(&self, ctx: &mut Context<'_, '_>, start: usize) -> Vec<Item> {
        let b = self.baseline;
        let (runs, w) = ctx.text_runs(&(start + 1).to_string(), self.style);
        let right = ctx.measure;
        let mut items: Vec<Item> = vec![ctx.tags.piece_of(self.elem)];
        items.extend(runs.into_iter().map(|mut r| {
            r.origin.x += right - w;
            r.origin.y += b;
            Item::Text(r)
        }));
        items.push(Item::End);
        let em = self.style.size;
        let dot_style = Style {
            color: ctx.theme.colors.rule,
            ..self.style
        };
        let (dot, dot_w) = ctx.text_runs(".", dot_style);
        let Some(proto) = dot.into_iter().next() else {
            return items;
        };
        let Some(glyph) = proto.glyphs.first().cloned() else {
            return items;
        };
        // Dots sit on a grid measured from the left margin, so the leaders of every entry
        // line up in columns.
        let pitch = em * LEADER_PITCH;
        let from = self.text_end + em * 0.4;
        let to = right - w - em * 0.4 - dot_w;
        let first = (from / pitch).ceil() as i64;
        let last = (to / pitch).floor() as i64;
        if last >= first {
            let glyphs = (first..=last)
                .map(|k| super::Glyph {
                    x: (k - first) as f32 * pitch,
                    ..glyph.clone()
                })
                .collect();
            items.push(Item::Text(TextRun {
                origin: super::Point {
                    x: first as f32 * pitch,
                    y: b,
                },
                glyphs,
                ..proto
            }));
        }
        items
    }
}

/// The contents: its heading, then one entry per brief (title, with the page number's column
/// kept free; authors under it). Returns the rows and the entries awaiting their numbers.
fn contents_rows(ctx: &mut Context<'_, '_>, pack: &Pack) -> (Vec<Row>, Vec<Entry>) {
    let theme = ctx.theme;
    let base = theme.base_size;
    let mut rows = Vec::new();
    let heading = Style {
        color: theme.colors.accent,
        ..Style::new(
            Family::Sans,
            base * flow::heading_size(theme.heading_scale, 0),
            theme.colors.text,
        )
        .bold()
    };
    let label = pack.labels(&theme.labels).contents;
    display(
        ctx,
        &mut rows,
        (&label, Role::H(1)),
        heading,
        heading.size * scale::DISPLAY_LEADING,
    );
    if let Some(last) = rows.last_mut() {
        last.keep_with_next = true;
    }
    space(&mut rows, base * 1.2);

    let title_style = Style::new(Family::Sans, base * scale::ENTRY, theme.colors.text).bold();
    let number_style = Style::new(Family::Sans, base * scale::ENTRY, theme.colors.text);
    let authors_style = Style::new(Family::Sans, base * scale::AUTHORS, theme.colors.text);
    // The number column: four digits and a quad, whatever the numbers turn out to be.
    let column_w = ctx.text_runs("0000", number_style).1 + base;
    let column = ctx.measure - column_w;
    let leading = title_style.size * scale::LIST_LEADING;
    let mut entries = Vec::with_capacity(pack.briefs.len());
    ctx.tags.open(Role::TOC);
    for (i, brief) in pack.briefs.iter().enumerate() {
        if i > 0 {
            space(&mut rows, base * 0.9);
        }
        let first = rows.len();
        let elem = ctx.tags.open(Role::TOCI);
        let lines = wrap(ctx, brief.meta.title.trim(), title_style, column);
        let n = lines.len().max(1);
        let mut text_end = 0.0;
        ctx.tags.open(Role::P);
        for (runs, w) in lines {
            text_end = w;
            let mut row = line_row(ctx, runs, title_style, leading, 0.0);
            row.keep_with_next = true;
            rows.push(row);
        }
        ctx.tags.close();
        if rows.len() == first {
            // An empty title still gets its line, for the number.
            rows.push(Row {
                height: leading,
                keep_with_next: true,
                ..Row::default()
            });
        }
        let number_row = first + n - 1;
        if let Some(line) = Pack::authors_line(brief, &theme.labels) {
            let lead = authors_style.size * scale::LIST_LEADING;
            ctx.tags.open(Role::P);
            for (runs, _) in wrap(ctx, &line, authors_style, column) {
                let mut row = line_row(ctx, runs, authors_style, lead, 0.0);
                row.keep_with_next = true;
                rows.push(row);
            }
            ctx.tags.close();
        }
        ctx.tags.close();
        if let Some(last) = rows.last_mut() {
            last.keep_with_next = false;
        }
        entries.push(Entry {
            heights: rows[first..].iter().map(|r| r.height).collect(),
            rows: first..rows.len(),
            number_row,
            text_end,
            style: number_style,
            baseline: baseline(ctx, title_style, leading),
            elem,
            title: brief.meta.title.trim().to_owned(),
        });
    }
    ctx.tags.close();
    (rows, entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(height: f32, keep: bool) -> Row {
        Row {
            height,
            keep_with_next: keep,
            ..Row::default()
        }
    }

    #[test]
    fn rows_keep_together_and_space_is_dropped_at_a_page_top() {
        // 100 pt pages: 60 fits; the kept pair (30 + 30) does not fit after it, so both move;
        // the space that would open page 2 is dropped.
        let rows = vec![
            row(60.0, false),
            Row {
                height: 5.0,
                space: true,
                ..Row::default()
            },
            row(30.0, true),
            row(30.0, false),
        ];
        let (at, pages) = place_rows(&rows, 100.0);
        assert_eq!(pages, 2);
        assert_eq!(at, [(0, 0.0), (0, 60.0), (1, 0.0), (1, 30.0)]);
        // A chain taller than a page is split rather than pushed on forever.
        let tall = vec![row(80.0, true), row(80.0, false)];
        assert_eq!(place_rows(&tall, 100.0), (vec![(0, 0.0), (1, 0.0)], 2));
    }

    #[test]
    fn wrapped_lines_fit_and_overlong_words_are_cut() {
        let theme = Theme::default();
        let fonts = FontBook::new(&theme).unwrap();
        let mut ctx = Context::new(&fonts, &theme, &crate::article::Language::english());
        let style = Style::new(Family::Sans, 11.0, theme.colors.text);
        // A plain space shapes to nothing on its own line, hence the no-break space.
        assert_eq!(ctx.text_runs(" ", style).1, 0.0);
        assert!(ctx.text_runs("\u{a0}", style).1 > 0.0);
        let text = "Moving cargo, not paperwork: a corridor agenda for Central America’s ports";
        let lines = wrap(&mut ctx, text, style, 150.0);
        assert!(lines.len() > 1);
        assert!(
            lines.iter().all(|(_, w)| *w <= 150.0),
            "{:?}",
            lines.iter().map(|l| l.1).collect::<Vec<_>>()
        );
        let words: usize = lines
            .iter()
            .map(|(runs, _)| {
                let s: String = runs
                    .iter()
                    .flat_map(|r| r.glyphs.iter().map(move |g| r.glyph_text(g)))
                    .collect();
                s.split_whitespace().count()
            })
            .sum();
        assert_eq!(words, text.split_whitespace().count(), "no word lost");
        let long = "x".repeat(400);
        let cut = wrap(&mut ctx, &long, style, 150.0);
        assert!(cut.len() > 2 && cut.iter().all(|(_, w)| *w <= 150.0));
    }
}
