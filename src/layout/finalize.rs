//! Finalize: the breaker's choices become lines of positioned glyph runs. Glue keeps its space
//! glyphs (so extracted text has real spaces) and takes the line's adjustment as extra or
//! less room after them; nothing else moves. A line broken at a hyphenation point ends with
//! the penalty's hyphen glyph. A line holding right-to-left text is put in visual order (UAX #9,
//! rule L2) before its pieces get their positions.

use super::linebreak::{Break, LETTER_STRETCH, line_start};
use super::prepare::{ParItem, Piece};
use super::{Glyph, Point, TextRun};
use std::sync::Arc;

/// A finished line, positioned relative to its start on the baseline (x right, y down).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    /// The glyph runs.
    pub runs: Vec<TextRun>,
    /// What each run is part of: plain text, a link or a note call (a run never spans two).
    pub run_marks: Vec<RunMark>,
    /// Linked stretches: start x, end x, largest size, link index in the paragraph.
    pub links: Vec<(f32, f32, f32, usize)>,
    /// Footnote numbers referenced on this line.
    pub notes: Vec<usize>,
    /// Footnote references: start x, end x, size, note number.
    pub note_spans: Vec<(f32, f32, f32, usize)>,
    /// Width the line takes.
    pub width: f32,
    /// The line ends in a hyphen (a flagged break), so a page should not end after it.
    pub hyphenated: bool,
}

/// What a run of a line belongs to besides its paragraph, for the tagged PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunMark {
    /// Plain text.
    #[default]
    Text,
    /// The text of link `n` of the paragraph.
    Link(usize),
    /// The call of footnote `n`.
    Note(usize),
}

/// Builds the lines for `breaks`; `text` is the paragraph's text followed by a hyphen, which
/// the glyphs' offsets point into.
pub fn finalize(items: &[ParItem], breaks: &[Break], text: &Arc<str>) -> Vec<Line> {
    let mut lines = Vec::with_capacity(breaks.len());
    let mut start = line_start(items, 0);
    for b in breaks {
        let mut end = b.end.min(items.len());
        while end > start && matches!(items[end - 1], ParItem::Glue { .. }) {
            end -= 1;
        }
        let mut line = Line::default();
        let mut x = 0.0;
        let line_items = items.get(start..end).unwrap_or_default();
        // A stretched line without stretchable glue (URL pieces) spaces its letters instead.
        let letters = b.ratio > 0.0
            && !line_items
                .iter()
                .any(|i| matches!(i, ParItem::Glue { stretch, .. } if *stretch > 0.0));
        let mut spacing = Spacing {
            ratio: if letters { b.ratio } else { 0.0 },
            pending: 0.0,
        };
        // The line's pieces and the glue's extra room, in logical order, each at its bidi
        // level; then in visual order.
        let mut units: Vec<(Unit<'_>, u8)> = Vec::with_capacity(line_items.len() + 1);
        for item in line_items {
            match item {
                ParItem::Box { pieces, .. } => {
                    units.extend(pieces.iter().map(|p| (Unit::Piece(p), p.level)));
                }
                ParItem::Glue {
                    width,
                    stretch,
                    shrink,
                    pieces,
                } => {
                    let adjust = if b.ratio >= 0.0 {
                        b.ratio * stretch
                    } else {
                        b.ratio * shrink
                    };
                    let drawn: f32 = pieces.iter().map(|p| p.width).sum();
                    let level = pieces
                        .last()
                        .map(|p| p.level)
                        .or(units.last().map(|u| u.1))
                        .unwrap_or(0);
                    units.extend(pieces.iter().map(|p| (Unit::Space(p), p.level)));
                    units.push((Unit::Room(width + adjust - drawn), level));
                }
                ParItem::Penalty { .. } => {}
            }
        }
        // A hyphen (or whatever the penalty draws) closes a line broken at a penalty.
        if b.end < items.len()
            && let ParItem::Penalty {
                pieces, flagged, ..
            } = &items[b.end]
        {
            line.hyphenated = *flagged;
            let level = units.last().map_or(0, |u| u.1);
            units.extend(pieces.iter().map(|p| (Unit::Piece(p), level)));
        }
        reorder(&mut units);
        for (unit, _) in units {
            match unit {
                Unit::Piece(p) => x = place(&mut line, p, x, &mut spacing, text),
                Unit::Space(p) => x = place(&mut line, p, x, &mut Spacing::default(), text),
                Unit::Room(w) => x += w,
            }
        }
        line.width = x;
        lines.push(line);
        start = line_start(items, b.end.saturating_add(1));
    }
    lines
}

/// What a line is made of, in the order it is drawn.
enum Unit<'p> {
    /// Glyphs of a box (or the hyphen), letter-spaced with the line.
    Piece(&'p Piece),
    /// A word space's glyphs, never letter-spaced.
    Space(&'p Piece),
    /// Room a word space takes beyond its glyphs (its justification).
    Room(f32),
}

/// Puts a line's units in visual order by UAX #9's rule L2: from the highest level down to
/// the lowest odd level at or above the line's lowest, every maximal run at that level or
/// above is reversed. A line that is all level 0 (left to right, the common case) is left as
/// it is.
fn reorder<T>(units: &mut [(T, u8)]) {
    let (Some(highest), Some(lowest)) = (
        units.iter().map(|u| u.1).max(),
        units.iter().map(|u| u.1).min(),
    ) else {
        return;
    };
    let lowest_odd = lowest | 1;
    let mut level = highest;
    while level >= lowest_odd {
        let mut i = 0;
        while i < units.len() {
            if units[i].1 >= level {
                let run = i;
                while i < units.len() && units[i].1 >= level {
                    i += 1;
                }
                units[run..i].reverse();
            } else {
                i += 1;
            }
        }
        level -= 1;
    }
}

/// Letter spacing across a line: `ratio` times [`LETTER_STRETCH`] of each cluster's size goes
/// after every cluster but the line's last (the linebreaker counted the same room). `pending`
/// is the room owed after the cluster placed last, paid when another cluster follows.
#[derive(Debug, Default)]
struct Spacing {
    ratio: f32,
    pending: f32,
}

/// Appends a piece's glyphs at `x`, joining the previous run when face, size, colour and
/// baseline match; records links and note references. Returns the pen position after it.
fn place(line: &mut Line, p: &Piece, x: f32, spacing: &mut Spacing, text: &Arc<str>) -> f32 {
    let mut pen = x;
    let mut start: Option<f32> = None;
    let mut glyphs = Vec::with_capacity(p.glyphs.len());
    for g in &p.glyphs {
        let cluster = g.starts_cluster();
        if cluster {
            pen += std::mem::take(&mut spacing.pending);
        }
        start.get_or_insert(pen);
        glyphs.push(Glyph {
            id: g.id,
            x: pen + g.x_offset,
            rise: g.y_offset,
            start: g.start,
            len: g.len,
        });
        pen += g.advance;
        if cluster {
            spacing.pending = spacing.ratio * LETTER_STRETCH * p.size;
        }
    }
    let x = start.unwrap_or(x);
    if let Some(n) = p.note {
        if !line.notes.contains(&n) {
            line.notes.push(n);
        }
        line.note_spans.push((x, pen, p.size, n));
    }
    if let Some(l) = p.link {
        match line.links.last_mut() {
            Some(last) if last.3 == l && (last.1 - x).abs() < 0.01 + p.size => {
                last.1 = pen;
                last.2 = last.2.max(p.size);
            }
            _ => line.links.push((x, pen, p.size, l)),
        }
    }
    let origin = Point { x: 0.0, y: -p.rise };
    let mark = match (p.note, p.link) {
        (Some(n), _) => RunMark::Note(n),
        (None, Some(l)) => RunMark::Link(l),
        (None, None) => RunMark::Text,
    };
    match line.runs.last_mut() {
        Some(run)
            if line.run_marks.last() == Some(&mark)
                && run.face == p.face
                && Arc::ptr_eq(&run.text, text)
                && run.size == p.size
                && run.color == p.color
                && run.origin == origin =>
        {
            run.glyphs.extend(glyphs);
        }
        _ => {
            line.runs.push(TextRun {
                face: p.face,
                size: p.size,
                color: p.color,
                origin,
                glyphs,
                text: Arc::clone(text),
            });
            line.run_marks.push(mark);
        }
    }
    pen
}

#[cfg(test)]
mod tests {
    use super::reorder;

    fn visual(levels: &[u8]) -> Vec<usize> {
        let mut units: Vec<(usize, u8)> = levels.iter().copied().enumerate().collect();
        reorder(&mut units);
        units.into_iter().map(|u| u.0).collect()
    }

    #[test]
    fn rule_l2_reverses_from_the_highest_level_down() {
        // All left to right: untouched.
        assert_eq!(visual(&[0, 0, 0]), [0, 1, 2]);
        // "a HEB1 HEB2 b": the right-to-left run is reversed.
        assert_eq!(visual(&[0, 1, 1, 1, 0]), [0, 3, 2, 1, 4]);
        // Numbers (level 2) inside a right-to-left run keep their order within it.
        assert_eq!(visual(&[1, 1, 2, 2, 1]), [4, 2, 3, 1, 0]);
        // Left to right embedded twice (level 2 only): the lowest odd level above it is 3,
        // so nothing turns.
        assert_eq!(visual(&[2, 2]), [0, 1]);
        assert_eq!(visual(&[]), Vec::<usize>::new());
    }
}
