//! Line breaking: choose where the lines of a paragraph end, given its boxes, glue and
//! penalties (see `prepare`). The choice sits behind [`LineBreaker`], so the first-fit breaker
//! used now can be swapped for Knuth–Plass optimal fit without touching the rest of layout.
//!
//! [`FirstFit`] fills each line with as many boxes as fit when every glue shrinks to its
//! limit, then breaks at the last legal place: a glue that follows a box, or a penalty that is
//! not `+inf`. A forced penalty always breaks. The line's adjustment ratio says how far its
//! glue stretches (positive) or shrinks (negative, never beyond -1); the last line of the
//! paragraph and lines ended by a forced break are set at their natural width.

use super::prepare::{FORCED, ParItem};

/// Where one line ends and how its glue is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    /// Index of the item the line breaks at (a glue or penalty, not part of the line), or
    /// the number of items for the paragraph's last line.
    pub end: usize,
    /// Glue adjustment: `+r` stretches every glue by `r` times its stretch, `-r` shrinks it
    /// by `r` times its shrink; 0 is natural width.
    pub ratio: f32,
}

/// A line-breaking algorithm.
pub trait LineBreaker {
    /// Breaks `items` into lines of `measure` points; `justify` says whether lines other than
    /// the last and forced ones are stretched to the measure.
    fn break_lines(&self, items: &[ParItem], measure: f32, justify: bool) -> Vec<Break>;
}

/// The first item of a line: glue and penalties at a line start are dropped, as in TeX.
pub fn line_start(items: &[ParItem], after: usize) -> usize {
    let mut i = after;
    while i < items.len() && !matches!(items[i], ParItem::Box { .. }) {
        i += 1;
    }
    i
}

/// Greedy first fit: every line takes as much as fits.
#[derive(Debug, Clone, Copy, Default)]
pub struct FirstFit;

/// Width, stretch and shrink of items `start..end`.
fn measure_range(items: &[ParItem], start: usize, end: usize) -> (f32, f32, f32) {
    let mut w = 0.0;
    let mut st = 0.0;
    let mut sh = 0.0;
    for item in &items[start..end] {
        match item {
            ParItem::Box { width, .. } => w += width,
            ParItem::Glue {
                width,
                stretch,
                shrink,
                ..
            } => {
                w += width;
                st += stretch;
                sh += shrink;
            }
            ParItem::Penalty { .. } => {}
        }
    }
    (w, st, sh)
}

fn ratio(items: &[ParItem], start: usize, end: usize, measure: f32) -> f32 {
    let (w, st, sh) = measure_range(items, start, end);
    if w < measure {
        if st > 0.0 { (measure - w) / st } else { 0.0 }
    } else if sh > 0.0 {
        ((measure - w) / sh).max(-1.0)
    } else {
        0.0
    }
}

impl LineBreaker for FirstFit {
    fn break_lines(&self, items: &[ParItem], measure: f32, justify: bool) -> Vec<Break> {
        let mut breaks = Vec::new();
        let mut start = line_start(items, 0);
        while start < items.len() {
            let mut width = 0.0;
            let mut shrink = 0.0;
            let mut last_legal: Option<usize> = None;
            let mut end = items.len();
            let mut forced = false;
            let mut i = start;
            while i < items.len() {
                match &items[i] {
                    ParItem::Box { width: w, .. } => {
                        if width + w - shrink > measure + 0.01
                            && let Some(b) = last_legal
                        {
                            end = b;
                            break;
                        }
                        width += w;
                    }
                    ParItem::Glue {
                        width: w,
                        shrink: s,
                        ..
                    } => {
                        if matches!(items.get(i.wrapping_sub(1)), Some(ParItem::Box { .. })) {
                            last_legal = Some(i);
                        }
                        width += w;
                        shrink += s;
                    }
                    ParItem::Penalty { cost, .. } => {
                        if *cost == FORCED {
                            end = i;
                            forced = true;
                            break;
                        }
                        if cost.is_finite() {
                            last_legal = Some(i);
                        }
                    }
                }
                i += 1;
            }
            if i >= items.len() {
                end = items.len();
            }
            // Trailing glue before a forced break or the paragraph end is not part of the line.
            let mut content_end = end;
            while content_end > start && matches!(items[content_end - 1], ParItem::Glue { .. }) {
                content_end -= 1;
            }
            let last = end >= items.len() || forced;
            let r = if justify && !last {
                ratio(items, start, content_end, measure)
            } else {
                0.0
            };
            breaks.push(Break { end, ratio: r });
            if end >= items.len() {
                break;
            }
            start = line_start(items, end + 1);
            // A forced break directly followed by another yields an empty line.
            if forced
                && start > end + 1
                && matches!(items[end + 1], ParItem::Penalty { cost, .. } if cost == FORCED)
            {
                start = end + 1;
            }
        }
        breaks
    }
}
