//! Data tables in the booktabs style: a heavy rule above the header rows, a light one under
//! them, a heavy one under the last row, no vertical rules. Column widths follow HTML's
//! automatic table layout ([`crate::layout::columns`]) from each column's narrowest and widest
//! content, measured with the real faces; a table too wide for the measure is first set in
//! smaller type (down to [`SMALLEST`] of the body size), and only then do its cells wrap
//! (ragged, hyphenated). Each row is one flow element, so pagination never splits a row
//! (a row taller than a page is cut between lines); every body row carries the header rows,
//! which pagination sets again at the top of each page the table continues on. The caption
//! (bold label, then the caption) is kept with the first rows, the source line with the last.

use super::Flowed;
use super::context::{Context, ParShape, shift_line, source_text};
use super::scale;
use crate::article::{Align, Article, Inline, Table};
use crate::layout::collect::{self, Para, Style};
use crate::layout::columns::distribute;
use crate::layout::finalize::finalize;
use crate::layout::linebreak::{LineBreaker, NO_BREAK};
use crate::layout::prepare::{FORCED, ParItem, prepare};
use crate::layout::tag::{Furniture, Role, as_artifact};
use crate::layout::{Frame, Item, Rect};
use std::sync::Arc;

/// The smallest type a wide table is set in, as a share of the body size.
pub(in crate::layout) const SMALLEST: f32 = 0.8;
/// The steps in which the type of a wide table gets smaller.
const SIZE_STEP: f32 = 0.05;
/// Space between two columns at least, in ems of the table's type size (booktabs gives 2 × `\tabcolsep`,
/// 12 pt at 10 pt type; a little less lets nine columns of figures fit an A4 measure).
pub(in crate::layout) const GUTTER_EM: f32 = 0.6;
/// Space above and below a row's text, in ems of the table's type size.
const PAD_EM: f32 = 0.25;
/// Leading of cell text, as a multiple of the table's type size.
const LEADING: f32 = 1.3;
/// The rules above the header and under the last row (booktabs' `\heavyrulewidth` 0.08 em).
const HEAVY_RULE: f32 = 0.8;
/// The rule under the header (booktabs' `\lightrulewidth` 0.05 em).
const LIGHT_RULE: f32 = 0.5;

/// How a table's columns are set: the type size as a share of the body size, each column's
/// text width and the space between columns (points).
#[derive(Debug, Clone, PartialEq)]
pub(in crate::layout) struct Columns {
    pub(in crate::layout) scale: f32,
    pub(in crate::layout) widths: Vec<f32>,
    pub(in crate::layout) gutter: f32,
}

/// One cell's lines, each a frame of the table's leading, and the notes they cite.
type CellLines = Vec<CellLine>;

/// One line of a cell: its frame, the notes it cites, and whether it ends in a hyphen.
struct CellLine {
    frame: Frame,
    cited: Vec<usize>,
    hyphenated: bool,
}

impl Context<'_, '_> {
    /// The style of a cell's text at `size`.
    fn cell_style(&self, header: bool, size: f32) -> Style {
        let style = Style {
            size,
            ..self.body_style()
        };
        if header { style.bold() } else { style }
    }

    /// The narrowest and widest content width of every column at the body size: the widest
    /// piece no break may fall inside (a word, or a hyphenated part of one) and the widest
    /// cell set on one line (each line of a cell with a line break).
    pub(in crate::layout) fn measure_columns(
        &mut self,
        article: &Article,
        table: &Table,
    ) -> (Vec<f32>, Vec<f32>) {
        let n = table.columns();
        let (mut min, mut max) = (vec![0.0f32; n], vec![0.0f32; n]);
        let hyph = self.hyphenation;
        for (r, row) in table.rows().enumerate() {
            let style = self.cell_style(r < table.head.len(), self.base());
            for (c, cell) in row.iter().enumerate() {
                let para =
                    collect::collect(article, &cell.content, style, self.theme.colors.accent);
                if para.text.trim().is_empty() {
                    continue;
                }
                let items = prepare(
                    &self.shaper,
                    &para,
                    f32::INFINITY,
                    hyph.as_ref(),
                    self.rtl,
                    &mut self.missing,
                );
                let (lo, hi) = content_widths(&items);
                min[c] = min[c].max(lo);
                max[c] = max[c].max(hi);
            }
        }
        (min, max)
    }

    /// The type size and column widths of `table` over `width` points: the largest size
    /// (from the body size down to [`SMALLEST`] of it) at which every column fits on one line;
    /// failing that, the largest at which the narrowest widths fit, so cells wrap at the
    /// largest size that lets them; failing that, the smallest size (and the words too long
    /// even then are cut where `prepare` cuts overlong words). With `shrink` false the type
    /// stays at the body size.
    pub(in crate::layout) fn table_columns(
        &mut self,
        article: &Article,
        table: &Table,
        width: f32,
        shrink: bool,
    ) -> Columns {
        let (min, max) = self.measure_columns(article, table);
        let n = min.len();
        let gutters = self.base() * GUTTER_EM * n.saturating_sub(1) as f32;
        let steps = if shrink {
            ((1.0 - SMALLEST) / SIZE_STEP).round() as usize
        } else {
            0
        };
        let sizes: Vec<f32> = (0..=steps).map(|k| 1.0 - k as f32 * SIZE_STEP).collect();
        let fits = |s: f32, w: &[f32]| (w.iter().sum::<f32>() + gutters) * s <= width + 0.01;
        let scale = sizes
            .iter()
            .copied()
            .find(|s| fits(*s, &max))
            .or_else(|| sizes.iter().copied().find(|s| fits(*s, &min)))
            .unwrap_or(sizes[sizes.len() - 1]);
        let gutter = self.base() * GUTTER_EM * scale;
        let room = (width - gutter * n.saturating_sub(1) as f32).max(0.0);
        let scaled = |w: &[f32]| w.iter().map(|x| x * scale).collect::<Vec<_>>();
        Columns {
            scale,
            widths: distribute(&scaled(&min), &scaled(&max), room),
            gutter,
        }
    }

    /// A cell's text broken into ragged, hyphenated lines of `width`, aligned as `align`
    /// says (the default is the start side of the language's direction).
    fn cell_lines(&mut self, para: &Para, width: f32, leading: f32, align: Align) -> CellLines {
        if para.text.trim().is_empty() {
            return Vec::new();
        }
        let width = width.max(1.0);
        let hyph = self.hyphenation;
        let items = prepare(
            &self.shaper,
            para,
            width,
            hyph.as_ref(),
            self.rtl,
            &mut self.missing,
        );
        let breaks = self.breaker.break_lines(&items, width, false);
        let lines = finalize(&items, &breaks, &source_text(para));
        lines
            .into_iter()
            .map(|mut line| {
                let room = (width - line.width).max(0.0);
                let dx = match align {
                    Align::Right => room,
                    Align::Center => room / 2.0,
                    Align::Left => 0.0,
                    Align::Default if self.rtl => room,
                    Align::Default => 0.0,
                };
                if dx > 0.0 {
                    shift_line(&mut line, dx);
                }
                let hyphenated = line.hyphenated;
                let (frame, cited) = self.line_frame(line, para, 0.0, leading);
                for n in &cited {
                    self.tags.note(*n);
                }
                CellLine {
                    frame,
                    cited,
                    hyphenated,
                }
            })
            .collect()
    }

    /// A data table (see the module text), starting `left` points into the measure.
    pub(super) fn table(
        &mut self,
        out: &mut Vec<Flowed>,
        article: &Article,
        table: &Table,
        left: f32,
    ) {
        let words = article.table_words(table, &self.theme.labels);
        let width = (self.measure - left).max(36.0);
        // The caption: the label in bold, then the caption, kept with the rows.
        let caption_style = self.sans(scale::CAPTION);
        let mut inlines = vec![Inline::Strong {
            content: vec![Inline::Text {
                text: words.label.clone(),
            }],
        }];
        if !words.caption.is_empty() {
            inlines.push(Inline::Text {
                text: format!("{}{}", words.separator, words.caption),
            });
        }
        let para = collect::collect(article, &inlines, caption_style, self.theme.colors.accent);
        self.tags.open(Role::Table);
        self.tags.open(Role::Caption);
        self.paragraph(
            out,
            &para,
            ParShape {
                left,
                right: 0.0,
                justify: false,
                leading: caption_style.size * scale::SMALL_LEADING,
                keep: true,
            },
        );
        self.tags.close();
        self.space(out, caption_style.size * 0.3);
        if let Some(l) = out.last_mut() {
            l.keep_with_next = true;
        }
        let cols = self.table_columns(article, table, width, true);
        let n = cols.widths.len();
        if n == 0 {
            self.tags.close();
            self.source_line(out, words.source.as_deref(), left, false);
            return;
        }
        let size = self.base() * cols.scale;
        let leading = size * LEADING;
        let pad = size * PAD_EM;
        // Each column's left edge; a right-to-left table reads from the right.
        let mut xs = Vec::with_capacity(n);
        let mut x = left;
        for w in &cols.widths {
            xs.push(x);
            x += w + cols.gutter;
        }
        if self.rtl {
            for (c, x) in xs.iter_mut().enumerate() {
                *x = left + width - (*x - left) - cols.widths[c];
            }
        }
        let (_, page_h) = self.theme.page.points();
        let block_h = page_h - self.theme.margins.top - self.theme.margins.bottom;
        let rule = |y: f32, h: f32, color| Item::Fill {
            rect: Rect {
                x: left,
                y,
                w: width,
                h,
            },
            color,
        };
        let rule_color = self.theme.colors.text;
        let heads = table.head.len();
        let rows = table.head.len() + table.body.len();
        // The header rows as set, shared by every body row for pagination to repeat.
        let mut header: Vec<Flowed> = Vec::new();
        let mut header_h = 0.0;
        let mut shared: Option<Arc<[Flowed]>> = None;
        for (r, row) in table.rows().enumerate() {
            let is_head = r < heads;
            if !is_head && shared.is_none() && !header.is_empty() {
                shared = Some(Arc::from(std::mem::take(&mut header)));
            }
            let style = self.cell_style(is_head, size);
            // The header rows and the body rows are each a group; a header cell heads its
            // column.
            if r == 0 || r == heads {
                if r > 0 {
                    self.tags.close();
                }
                self.tags
                    .open(if is_head { Role::THead } else { Role::TBody });
            }
            self.tags.open(Role::TR);
            let mut cells: Vec<CellLines> = Vec::with_capacity(n);
            for c in 0..n {
                let content = row.get(c).map_or(&[][..], |c| &c.content[..]);
                let para = collect::collect(article, content, style, self.theme.colors.accent);
                self.tags.open(if is_head { Role::TH } else { Role::TD });
                cells.push(self.cell_lines(&para, cols.widths[c], leading, table.align_of(c)));
                self.tags.close();
            }
            self.tags.close();
            let lines = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            let top_rule = if r == 0 { HEAVY_RULE } else { 0.0 };
            let bottom_rule = if r + 1 == rows {
                HEAVY_RULE
            } else if r + 1 == heads {
                LIGHT_RULE
            } else {
                0.0
            };
            // A row taller than what a page holds under the header is cut between lines.
            let room = block_h - header_h - top_rule - bottom_rule - 2.0 * pad;
            let band = ((room / leading).floor() as usize).max(1);
            let cuts = row_cuts(&cells, lines, band);
            let bands = cuts.len() - 1;
            for b in 0..bands {
                let (from, to) = (cuts[b], cuts[b + 1]);
                let first = b == 0;
                let last = b + 1 == bands;
                let top = if first { top_rule } else { 0.0 };
                let mut items = Vec::new();
                let mut notes = Vec::new();
                if first && top > 0.0 {
                    items.push(rule(0.0, top, rule_color));
                }
                for (c, lines) in cells.iter().enumerate() {
                    for (k, line) in lines.iter().enumerate().take(to).skip(from) {
                        let dy = top + pad + (k - from) as f32 * leading;
                        for item in &line.frame.items {
                            let mut item = item.clone();
                            item.translate(xs[c], dy);
                            items.push(item);
                        }
                        notes.extend(line.cited.iter().copied());
                    }
                }
                let mut height = top + pad + (to - from) as f32 * leading + pad;
                if last && bottom_rule > 0.0 {
                    items.push(rule(height, bottom_rule, rule_color));
                    height += bottom_rule;
                }
                let f = Flowed {
                    frame: Frame { height, items },
                    // The header keeps with the first body row; the last row with the source.
                    keep_with_next: is_head || (r + 1 == rows && words.source.is_some()),
                    notes,
                    repeat: shared.clone(),
                    ..Flowed::default()
                };
                self.push(out, f);
                if is_head && let Some(placed) = out.last() {
                    header_h += placed.frame.height;
                    // Set again on a later page, the header is furniture: the first one is
                    // the table's content.
                    header.push(Flowed {
                        frame: Frame {
                            height: placed.frame.height,
                            items: as_artifact(&placed.frame.items, Furniture::Repeated),
                        },
                        ..Flowed::default()
                    });
                }
            }
        }
        if rows > 0 {
            self.tags.close();
        }
        self.tags.close();
        self.source_line(out, words.source.as_deref(), left, true);
    }

    /// The source line under a table: small italic sans.
    fn source_line(&mut self, out: &mut Vec<Flowed>, source: Option<&str>, left: f32, gap: bool) {
        let Some(source) = source else {
            return;
        };
        let style = self.sans(scale::CREDIT).italic();
        if gap {
            self.space(out, style.size * 0.4);
            if let Some(l) = out.last_mut() {
                l.keep_with_next = true;
            }
        }
        let para = collect::plain(source, style);
        self.tags.open(Role::P);
        self.paragraph(
            out,
            &para,
            ParShape {
                left,
                right: 0.0,
                justify: false,
                leading: style.size * scale::SMALL_LEADING,
                keep: false,
            },
        );
        self.tags.close();
    }
}

/// The narrowest and widest width of a paragraph's items: the widest run of boxes with no
/// break between them (with the hyphen a break there adds), and the widest line between forced
/// breaks at natural width.
fn content_widths(items: &[ParItem]) -> (f32, f32) {
    let (mut min, mut max) = (0.0f32, 0.0f32);
    let (mut piece, mut line) = (0.0f32, 0.0f32);
    for item in items {
        match item {
            ParItem::Box { width, .. } => {
                piece += width;
                line += width;
            }
            ParItem::Glue { width, .. } => {
                min = min.max(piece);
                piece = 0.0;
                line += width;
            }
            ParItem::Penalty { width, cost, .. } => {
                if *cost >= NO_BREAK {
                    continue;
                }
                min = min.max(piece + width);
                piece = 0.0;
                if *cost == FORCED {
                    max = max.max(line);
                    line = 0.0;
                }
            }
        }
    }
    (min.max(piece), max.max(line))
}

/// Where a row of `lines` lines is cut into bands of at most `band` lines, one per page: the
/// line indices each band starts at, then `lines`. A cut goes no further up than half a band to
/// fall after a line no cell ends in a hyphen, so no page ends on a broken word (as paragraphs
/// keep a hyphenated line with the next); when every line in reach is hyphenated it falls
/// where the page ends.
fn row_cuts(cells: &[CellLines], lines: usize, band: usize) -> Vec<usize> {
    let broken = |k: usize| {
        cells
            .iter()
            .any(|c| c.get(k).is_some_and(|line| line.hyphenated))
    };
    let mut cuts = vec![0];
    let mut from = 0;
    while from + band < lines {
        let full = from + band;
        let lowest = (from + band.div_ceil(2)).max(from + 1);
        let to = (lowest..=full)
            .rev()
            .find(|&to| !broken(to - 1))
            .unwrap_or(full);
        cuts.push(to);
        from = to;
    }
    cuts.push(lines);
    cuts
}

#[cfg(test)]
mod tests {
    use super::{CellLine, content_widths, row_cuts};
    use crate::layout::Frame;
    use crate::layout::linebreak::NO_BREAK;
    use crate::layout::prepare::{FORCED, ParItem};

    fn b(width: f32) -> ParItem {
        ParItem::Box {
            width,
            pieces: Vec::new(),
        }
    }

    fn glue(width: f32) -> ParItem {
        ParItem::Glue {
            width,
            stretch: 0.0,
            shrink: 0.0,
            pieces: Vec::new(),
        }
    }

    fn penalty(width: f32, cost: f32) -> ParItem {
        ParItem::Penalty {
            width,
            cost,
            flagged: false,
            pieces: Vec::new(),
        }
    }

    #[test]
    fn narrowest_is_the_widest_unbreakable_piece_and_widest_the_longest_line() {
        // "ab|cd ef" / "g": a hyphenation point inside the first word (hyphen 1 wide), a
        // forbidden break inside the second, a forced break before the last line.
        let items = [
            b(10.0),
            penalty(1.0, 50.0),
            b(12.0),
            glue(3.0),
            b(5.0),
            penalty(0.0, NO_BREAK),
            b(6.0),
            penalty(0.0, FORCED),
            b(4.0),
        ];
        let (min, max) = content_widths(&items);
        assert_eq!(
            min, 12.0,
            "the hyphenated half, or the two halves joined by no-break"
        );
        assert_eq!(max, 10.0 + 12.0 + 3.0 + 5.0 + 6.0);
        assert_eq!(content_widths(&[b(7.0), glue(2.0), b(30.0)]), (30.0, 39.0));
        assert_eq!(content_widths(&[]), (0.0, 0.0));
    }

    fn cell(hyphenated: &[bool]) -> Vec<CellLine> {
        hyphenated
            .iter()
            .map(|&hyphenated| CellLine {
                frame: Frame::default(),
                cited: Vec::new(),
                hyphenated,
            })
            .collect()
    }

    #[test]
    fn a_row_is_cut_after_a_line_no_cell_breaks_a_word_in() {
        // Ten lines, four to a page: in the first cell line 3 (index) ends in a hyphen, so the
        // first cut moves up one line; the second cut (after line 6) is free.
        let cells = [
            cell(&[
                false, false, false, true, false, false, false, false, false, false,
            ]),
            cell(&[false; 6]),
        ];
        assert_eq!(row_cuts(&cells, 10, 4), vec![0, 3, 7, 10]);
        // Every line in reach hyphenated: the cut falls where the page ends.
        let cells = [cell(&[true; 9])];
        assert_eq!(row_cuts(&cells, 9, 4), vec![0, 4, 8, 9]);
        // A row that fits is not cut.
        assert_eq!(row_cuts(&cells, 3, 4), vec![0, 3]);
    }
}
