//! Line breaking: choose where the lines of a paragraph end, given its boxes, glue and
//! penalties (see `prepare`). The choice sits behind [`LineBreaker`]; layout uses
//! [`KnuthPlass`], and [`FirstFit`] stays as the yardstick the tests hold it against.
//!
//! # Knuth–Plass optimal fit
//!
//! The paragraph is a list of *boxes* (words, or pieces of words between hyphenation points),
//! *glue* (word spaces that may stretch or shrink) and *penalties* (places where a line may
//! end at a cost: hyphenation points, the free break inside a long URL, a forced break). A line
//! may end at a glue that follows a box, or at a penalty below [`NO_BREAK`].
//!
//! For a candidate line from break `a` to break `b` the breaker sums the natural width `w`,
//! the stretch `y` and the shrink `z` of its items (prefix sums make this O(1)), adds the
//! penalty's width (a hyphen) and computes the *adjustment ratio*
//! `r = (measure − w) / y` when the line is short, `(measure − w) / z` when it is long. A line
//! with `r < −1` would have to shrink its spaces below their minimum: it is impossible, and
//! since lines only get longer as `b` moves right, `a` is dropped from the active list (this
//! pruning is what keeps the algorithm close to linear: the active list only ever holds the
//! breaks from which a line can still reach the current position). Otherwise the line's
//! *badness* is `100·|r|³` (TeX's formula, capped at 10 000) and its *demerits*
//!
//! ```text
//!   (LINE_PENALTY + badness)² ± penalty²          (+ penalty² for a positive cost,
//!                                                  − penalty² for a negative one, 0 if forced)
//!   + DOUBLE_HYPHEN_DEMERITS   when this line and the previous one both end in a hyphen
//!   + FINAL_HYPHEN_DEMERITS    when the next-to-last line ends in a hyphen
//!   + ADJ_DEMERITS             when this line's fitness class is more than one class away
//!                              from the previous line's (a loose line under a tight one)
//!   + RUNT_DEMERITS            when the last line is a single word
//! ```
//!
//! Lines are sorted into four *fitness classes* by `r`: tight (`r < −0.5`), decent
//! (`−0.5…0.5`), loose (`0.5…1`) and very loose (`> 1`). Each feasible line creates a
//! candidate node at `b` with the total demerits of the best path to it; the breaker keeps the
//! best node per (fitness class, run of consecutive hyphenated lines) at each break, so that
//! the adjacency and hyphen rules can be judged exactly when the next line is tried. At the
//! paragraph's end the node with the fewest total demerits wins and its chain of `prev` links
//! gives the breaks. The last line (and a line ended by a forced break) is set at its natural
//! width, as if followed by TeX's `\parfillskip` (infinite stretch): its badness is 0.
//!
//! At most [`MAX_HYPHEN_RUN`] lines in a row may end in a hyphen: a hyphenated break from a
//! node that already ends such a run is not feasible at all (this is a rule, not a cost),
//! except in the last pass, where it costs as much as an overfull line and so is taken only
//! where nothing else fits (a word several lines long, whose only breaks are hyphens).
//!
//! # Passes
//!
//! 1. Without hyphenation, tolerance [`PRETOLERANCE`] (badness 100, TeX's `\pretolerance`:
//!    `r ≤ 1`): a paragraph that sets well without breaking words keeps them whole.
//! 2. With hyphenation, tolerance [`TOLERANCE`] (badness 200, TeX's plain `\tolerance`:
//!    `r ≤ 1.26`).
//! 3. If no set of breaks meets it, an *emergency stretch* of [`EMERGENCY_STRETCH`] × measure
//!    is added to every line's stretch when its badness is judged (TeX's
//!    `\emergencystretch`), with the tolerance raised to [`EMERGENCY_TOLERANCE`]; the lines
//!    are still set with their real glue, so they come out looser than the badness said, but
//!    the looseness is spread over the paragraph instead of piling into one line.
//! 4. If that fails too, any line that does not overflow is feasible (infinite tolerance).
//!    Since `prepare` split every box wider than the measure into pieces that fit, with free
//!    breaks between them, a solution always exists and no line sticks out of the measure. A
//!    last-resort rescue (break at the best node that was just deactivated) keeps the function
//!    total even for input `prepare` would never produce.
//!
//! # Lines without word spaces
//!
//! A justified line made only of URL or number pieces has no glue to stretch. Its stretch is
//! then the letters' own: [`LETTER_STRETCH`] per cluster (all but the line's last), judged like
//! glue and set by `finalize` as a little room after each letter, capped at
//! [`LETTER_MAX_RATIO`] so the URL still extracts as one word. Such a line ends flush right
//! like its neighbours instead of standing ragged in a justified paragraph.
//!
//! # Ragged lines
//!
//! Titles, headings and captions are set ragged right. There the glue neither stretches nor
//! shrinks; each line instead gets a right-hand stretch of [`RAGGED_STRETCH`] × measure (TeX's
//! `\raggedright` uses `\rightskip 0pt plus 2em`, about a sixth of a 12-em display measure),
//! so the same optimisation evens out the line lengths instead of filling each line greedily.

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

/// A penalty at or above this cost is not a break (TeX's 10 000, "infinity").
pub const NO_BREAK: f32 = 10_000.0;
/// Added to every line's badness before squaring: TeX's `\linepenalty` 10, which makes fewer
/// lines slightly preferable when everything else is equal.
const LINE_PENALTY: f64 = 10.0;
/// Demerits for two hyphenated lines in a row: TeX's `\doublehyphendemerits` 10 000.
const DOUBLE_HYPHEN_DEMERITS: f64 = 10_000.0;
/// Demerits for a hyphen on the next-to-last line: TeX's `\finalhyphendemerits` 5 000.
const FINAL_HYPHEN_DEMERITS: f64 = 5_000.0;
/// Demerits for neighbouring lines whose fitness classes differ by more than one: TeX's
/// `\adjdemerits` 10 000.
const ADJ_DEMERITS: f64 = 10_000.0;
/// Demerits for a last line holding a single word: the value of `\finalhyphendemerits`, i.e.
/// as bad as a hyphen on the next-to-last line. TeX has no such rule; Typst penalises such
/// "runts" too. Small enough that it never buys a very loose line.
const RUNT_DEMERITS: f64 = 5_000.0;
/// Badness is capped here (TeX's `inf_bad`).
const INF_BAD: f64 = 10_000.0;
/// Pass-1 tolerance on badness, without hyphenation: TeX plain's `\pretolerance` 100
/// (r ≤ 1). A paragraph that sets this well keeps every word whole.
const PRETOLERANCE: f64 = 100.0;
/// Pass-2 tolerance on badness, with hyphenation: TeX plain's `\tolerance` 200 (r ≤ 1.26).
const TOLERANCE: f64 = 200.0;
/// Pass-3 tolerance, with the emergency stretch: 1 000, so badness still ranks the choices.
const EMERGENCY_TOLERANCE: f64 = 1_000.0;
/// Emergency stretch per line as a share of the measure: 4 % is 17 pt (1.5 em at 11 pt) on
/// the default 425 pt measure, about what LaTeX users set `\emergencystretch` to (1.5–3 em).
const EMERGENCY_STRETCH: f64 = 0.04;
/// Right-hand stretch of a ragged line as a share of the measure (see the module text).
const RAGGED_STRETCH: f64 = 1.0 / 6.0;
/// Letter-spacing stretch per cluster, in ems of its size, for a justified line that has no
/// word space (a line of URL or number pieces). It is used only there: such a line is set
/// flush at both edges by adding room after each letter, as TeX's `url` package stretches
/// its break points (`\Urlmuskip`). At a ratio of 1 a URL line of about 70 letters at 11 pt
/// gains 38 pt; the URL lines of the hard brief fall 32–48 pt short of the measure (the
/// segment that would not fit), so 0.05 em sets them within the normal tolerance instead of
/// leaving them ragged or pushing the looseness into the line before.
pub const LETTER_STRETCH: f32 = 0.05;
/// The most a letter-spaced line is stretched, as a ratio: 1.6 × 0.05 em = 0.08 em per letter,
/// below the 0.1 em gap at which text extraction (poppler's `minWordBreakSpace`) starts a new
/// word, so the URL still copies out whole. A line that would need more is left a little short.
const LETTER_MAX_RATIO: f64 = 1.6;
/// Most lines in a row that may end in a hyphen.
pub const MAX_HYPHEN_RUN: u8 = 2;

/// The first item of a line: glue and penalties at a line start are dropped, as in TeX.
pub fn line_start(items: &[ParItem], after: usize) -> usize {
    let mut i = after;
    while i < items.len() && !matches!(items[i], ParItem::Box { .. }) {
        i += 1;
    }
    i
}

/// Whether the line may end at item `i`.
fn is_legal(items: &[ParItem], i: usize) -> bool {
    match &items[i] {
        ParItem::Glue { .. } => i > 0 && matches!(items[i - 1], ParItem::Box { .. }),
        ParItem::Penalty { cost, .. } => *cost < NO_BREAK,
        ParItem::Box { .. } => false,
    }
}

/// Whether item `i` (or the paragraph end) forces a break.
fn is_forced(items: &[ParItem], i: usize) -> bool {
    i >= items.len() || matches!(items[i], ParItem::Penalty { cost, .. } if cost == FORCED)
}

/// The end of a line's content when it breaks at `b`: trailing glue before a penalty (a
/// space before a forced break) is not part of the line.
fn content_end(items: &[ParItem], start: usize, b: usize) -> usize {
    let mut e = b.min(items.len());
    while e > start && matches!(items[e - 1], ParItem::Glue { .. }) {
        e -= 1;
    }
    e
}

/// Greedy first fit: every line takes as much as fits.
#[derive(Debug, Clone, Copy, Default)]
pub struct FirstFit;

/// Prefix sums of width, stretch and shrink: `w[i]` is the sum over `items[..i]`; `l` sums
/// the boxes' letter-spacing stretch (see [`LETTER_STRETCH`]).
struct Sums {
    w: Vec<f64>,
    y: Vec<f64>,
    z: Vec<f64>,
    l: Vec<f64>,
}

impl Sums {
    fn new(items: &[ParItem]) -> Sums {
        let n = items.len();
        let (mut w, mut y, mut z, mut l) = (
            Vec::with_capacity(n + 1),
            Vec::with_capacity(n + 1),
            Vec::with_capacity(n + 1),
            Vec::with_capacity(n + 1),
        );
        let (mut cw, mut cy, mut cz, mut cl) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        w.push(0.0);
        y.push(0.0);
        z.push(0.0);
        l.push(0.0);
        for item in items {
            match item {
                ParItem::Box { width, pieces } => {
                    cw += f64::from(*width);
                    cl += pieces.iter().map(letter_stretch).sum::<f64>();
                }
                ParItem::Glue {
                    width,
                    stretch,
                    shrink,
                    ..
                } => {
                    cw += f64::from(*width);
                    cy += f64::from(*stretch);
                    cz += f64::from(*shrink);
                }
                ParItem::Penalty { .. } => {}
            }
            w.push(cw);
            y.push(cy);
            z.push(cz);
            l.push(cl);
        }
        Sums { w, y, z, l }
    }

    /// The letter-spacing stretch of the line `start..end` that breaks at `b`: every cluster
    /// but the line's last may take extra room after it.
    fn letters(&self, items: &[ParItem], start: usize, end: usize, b: usize) -> f64 {
        let mut c = self.l[end] - self.l[start];
        let hyphen =
            matches!(items.get(b), Some(ParItem::Penalty { pieces, .. }) if !pieces.is_empty());
        if hyphen {
            // The hyphen is the line's last cluster; the letter before it may space out.
            return c;
        }
        if let Some(ParItem::Box { pieces, .. }) = end.checked_sub(1).and_then(|e| items.get(e))
            && let Some(p) = pieces.last()
        {
            c -= f64::from(LETTER_STRETCH * p.size);
        }
        c.max(0.0)
    }

    /// Width, stretch and shrink of `items[a..b]`.
    fn range(&self, a: usize, b: usize) -> (f64, f64, f64) {
        (
            self.w[b] - self.w[a],
            self.y[b] - self.y[a],
            self.z[b] - self.z[a],
        )
    }
}

/// A piece's letter-spacing stretch: [`LETTER_STRETCH`] of its size per cluster.
fn letter_stretch(p: &super::prepare::Piece) -> f64 {
    let clusters = p.glyphs.iter().filter(|g| g.starts_cluster()).count();
    f64::from(LETTER_STRETCH * p.size) * clusters as f64
}

/// The penalty's width when the line breaks at `b` (a hyphen), else 0.
fn break_width(items: &[ParItem], b: usize) -> f64 {
    match items.get(b) {
        Some(ParItem::Penalty { width, .. }) => f64::from(*width),
        _ => 0.0,
    }
}

/// The adjustment ratio of the line `start..b` (see the module text), with its real glue.
fn line_ratio(
    items: &[ParItem],
    sums: &Sums,
    start: usize,
    b: usize,
    measure: f64,
    justify: bool,
) -> f32 {
    if !justify {
        return 0.0;
    }
    let end = content_end(items, start, b);
    let (w, y, z) = sums.range(start, end);
    let w = w + break_width(items, b);
    let r = if is_forced(items, b) && w <= measure {
        // The last line and a line before a forced break keep their natural width (TeX's
        // `\parfillskip`), but shrink like any other line when they are a little too long.
        0.0
    } else if w < measure {
        if y > 0.0 {
            (measure - w) / y
        } else {
            // No word space to stretch (a line of URL pieces): the letters space out, up to
            // their limit.
            let l = sums.letters(items, start, end, b);
            if l > 0.0 {
                ((measure - w) / l).min(LETTER_MAX_RATIO)
            } else {
                0.0
            }
        }
    } else if z > 0.0 {
        ((measure - w) / z).max(-1.0)
    } else {
        0.0
    };
    r as f32
}

impl LineBreaker for FirstFit {
    fn break_lines(&self, items: &[ParItem], measure: f32, justify: bool) -> Vec<Break> {
        let sums = Sums::new(items);
        let m = f64::from(measure);
        let mut breaks = Vec::new();
        let mut start = line_start(items, 0);
        while start < items.len() {
            let mut last_legal: Option<usize> = None;
            let mut end = items.len();
            for b in start..items.len() {
                if is_forced(items, b) {
                    end = b;
                    break;
                }
                if !is_legal(items, b) {
                    continue;
                }
                let (w, _, z) = sums.range(start, content_end(items, start, b));
                let w = w + break_width(items, b);
                let min = if justify { w - z } else { w };
                if min > m + 0.01 {
                    if let Some(l) = last_legal {
                        end = l;
                        break;
                    }
                    // Nothing fits: take this break (prepare keeps every box within the measure).
                    end = b;
                    break;
                }
                last_legal = Some(b);
            }
            if end == items.len() {
                // Does the rest fit on this line?
                let (w, _, z) = sums.range(start, content_end(items, start, end));
                let min = if justify { w - z } else { w };
                if min > m + 0.01
                    && let Some(l) = last_legal
                {
                    end = l;
                }
            }
            let ratio = line_ratio(items, &sums, start, end, m, justify);
            breaks.push(Break { end, ratio });
            if end >= items.len() {
                break;
            }
            start = next_start(items, end);
        }
        breaks
    }
}

/// The start of the line after a break at `b`. A forced break directly followed by another
/// yields an empty line, so the second forced penalty starts the next "line".
fn next_start(items: &[ParItem], b: usize) -> usize {
    let start = line_start(items, b + 1);
    if is_forced(items, b)
        && start > b + 1
        && matches!(items[b + 1], ParItem::Penalty { cost, .. } if cost == FORCED)
    {
        return b + 1;
    }
    start
}

/// Knuth and Plass's total-fit line breaker (see the module text).
#[derive(Debug, Clone, Copy, Default)]
pub struct KnuthPlass;

/// A feasible break and the best way found to reach it.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// The item the line breaks at (`usize::MAX` for the paragraph start).
    at: usize,
    /// Where the next line starts.
    start: usize,
    /// Fitness class of the line ending here (1, decent, for the start).
    fitness: u8,
    /// How many lines in a row up to here end in a hyphen.
    hyphens: u8,
    /// Total demerits of the best path to here.
    total: f64,
    /// The ratio the line ending here is set with.
    ratio: f32,
    /// Index of the previous node in the arena.
    prev: Option<usize>,
}

/// One pass's settings.
#[derive(Clone, Copy)]
struct Pass {
    tolerance: f64,
    /// Whether hyphenation points (penalties that draw a hyphen) may be used.
    hyphenate: bool,
    emergency: f64,
    /// Last pass: every non-overfull line is feasible, and the rescue may fire.
    last: bool,
}

/// Whether the break at `i` ends the line with a hyphen (a flagged penalty).
fn flagged(items: &[ParItem], i: usize) -> bool {
    matches!(items.get(i), Some(ParItem::Penalty { flagged: true, .. }))
}

/// TeX's badness, `100·|r|³` capped at [`INF_BAD`].
fn badness(r: f64) -> f64 {
    if r.is_infinite() {
        return INF_BAD;
    }
    (100.0 * r.abs().powi(3)).min(INF_BAD)
}

fn fitness(r: f64) -> u8 {
    if r < -0.5 {
        0
    } else if r <= 0.5 {
        1
    } else if r <= 1.0 {
        2
    } else {
        3
    }
}

/// The adjustment ratio of the line from `start` to content end `end`, broken at `b`: how far
/// its glue stretches (> 0) or shrinks (< 0) to fill `measure`. A forced break sets its line
/// with a fill (ratio 0 when it fits). A justified line without glue (a run of URL pieces)
/// stretches its letters instead; one with nothing to stretch at all is judged like a ragged
/// line.
fn line_adjustment(
    items: &[ParItem],
    sums: &Sums,
    (start, end, b): (usize, usize, usize),
    measure: f64,
    justify: bool,
    forced: bool,
    pass: Pass,
) -> f64 {
    let n = items.len();
    let (w, y, z) = sums.range(start, end);
    let w = w + if b < n { break_width(items, b) } else { 0.0 };
    let (y, z) = if justify { (y, z) } else { (0.0, 0.0) };
    if w > measure || forced {
        return if w <= measure {
            0.0
        } else if z > 0.0 {
            (measure - w) / z
        } else {
            f64::NEG_INFINITY
        };
    }
    let letters = if justify && y == 0.0 {
        sums.letters(items, start, end, b)
    } else {
        0.0
    };
    let y = if justify && y > 0.0 {
        y + pass.emergency * measure
    } else if letters > 0.0 {
        letters + pass.emergency * measure
    } else {
        RAGGED_STRETCH * measure
    };
    if y > 0.0 {
        (measure - w) / y
    } else {
        f64::INFINITY
    }
}

/// The demerits of a line from node `a` to content end `end`, broken at `b` (cost `cost`,
/// with a hyphen when `hyph`), set with `badness` in fitness class `fit`: TeX's
/// `(l + b)² ± p²` plus the penalties for consecutive hyphens, a final hyphen, a runt last
/// line and adjacent lines of very different tightness.
#[allow(clippy::too_many_arguments)]
fn line_demerits(
    items: &[ParItem],
    a: &Node,
    (end, b): (usize, usize),
    badness: f64,
    cost: f64,
    forced: bool,
    hyph: bool,
    fit: u8,
) -> f64 {
    let n = items.len();
    let mut d = (LINE_PENALTY + badness).powi(2);
    if !forced {
        if cost >= 0.0 {
            d += cost * cost;
        } else {
            d -= cost * cost;
        }
    }
    if hyph && a.hyphens > 0 {
        d += DOUBLE_HYPHEN_DEMERITS;
    }
    if b == n && a.hyphens > 0 {
        d += FINAL_HYPHEN_DEMERITS;
    }
    if b == n
        && !(a.start..end).any(|i| matches!(items[i], ParItem::Glue { .. }))
        && a.at != usize::MAX
    {
        d += RUNT_DEMERITS;
    }
    if fit.abs_diff(a.fitness) > 1 {
        d += ADJ_DEMERITS;
    }
    d
}

/// The breaks of the cheapest path that reaches the paragraph's end (`n`), first to last.
fn best_path(arena: &[Node], n: usize) -> Option<Vec<Break>> {
    let last = arena
        .iter()
        .enumerate()
        .filter(|(_, node)| node.at == n)
        .min_by(|x, y| x.1.total.total_cmp(&y.1.total))
        .map(|(i, _)| i)?;
    let mut breaks = Vec::new();
    let mut cur = Some(last);
    while let Some(i) = cur {
        let node = arena[i];
        if node.at == usize::MAX {
            break;
        }
        breaks.push(Break {
            end: node.at,
            ratio: node.ratio,
        });
        cur = node.prev;
    }
    breaks.reverse();
    Some(breaks)
}

impl KnuthPlass {
    fn run(
        &self,
        items: &[ParItem],
        sums: &Sums,
        measure: f64,
        justify: bool,
        pass: Pass,
    ) -> Option<Vec<Break>> {
        let n = items.len();
        let mut arena: Vec<Node> = vec![Node {
            at: usize::MAX,
            start: line_start(items, 0),
            fitness: 1,
            hyphens: 0,
            total: 0.0,
            ratio: 0.0,
            prev: None,
        }];
        let mut active: Vec<usize> = vec![0];
        // Candidates at one break, keyed by fitness × hyphen run (4 × 3).
        let mut best: [Option<Node>; 12] = [None; 12];
        for b in 0..=n {
            let forced = is_forced(items, b);
            if b < n && !is_legal(items, b) && !forced {
                continue;
            }
            let hyph = b < n && flagged(items, b);
            if !pass.hyphenate
                && matches!(items.get(b), Some(ParItem::Penalty { pieces, .. }) if !pieces.is_empty())
            {
                continue;
            }
            let cost = match items.get(b) {
                Some(ParItem::Penalty { cost, .. }) => f64::from(*cost),
                _ => 0.0,
            };
            best.iter_mut().for_each(|c| *c = None);
            let mut deactivated: Option<usize> = None;
            let mut k = 0;
            while k < active.len() {
                let ai = active[k];
                let a = arena[ai];
                if a.start > b || (a.start == b && b < n && !forced) {
                    // The line would be empty; a later break may still use this node.
                    k += 1;
                    continue;
                }
                let end = content_end(items, a.start, b);
                let (w, _, _) = sums.range(a.start, end);
                let w = w + if b < n { break_width(items, b) } else { 0.0 };
                let r = line_adjustment(
                    items,
                    sums,
                    (a.start, end, b),
                    measure,
                    justify,
                    forced,
                    pass,
                );
                let overfull = r < -1.0 - 1e-9 && w > measure + 0.01;
                if overfull || forced {
                    active.remove(k);
                    if overfull {
                        if deactivated.is_none_or(|d| arena[d].total > a.total) {
                            deactivated = Some(ai);
                        }
                        continue;
                    }
                } else {
                    k += 1;
                }
                let badness = badness(r);
                if badness > pass.tolerance && !pass.last && !forced {
                    continue;
                }
                // The hyphen rule gives way only in the last pass, at the cost of an overfull
                // line: a word longer than several lines (a 1 000-character key) has nothing
                // but hyphenated breaks, and a third one beats a line off the page.
                let beyond_rule = hyph && a.hyphens >= MAX_HYPHEN_RUN;
                if beyond_rule && !pass.last {
                    continue;
                }
                let fit = if forced { 1 } else { fitness(r) };
                let d = line_demerits(items, &a, (end, b), badness, cost, forced, hyph, fit)
                    + if beyond_rule { INF_BAD * INF_BAD } else { 0.0 };
                let hyphens = if hyph { a.hyphens.saturating_add(1) } else { 0 };
                let total = a.total + d;
                let key = usize::from(fit) * 3 + usize::from(hyphens.min(2));
                if best[key].is_none_or(|c| c.total > total) {
                    best[key] = Some(Node {
                        at: b,
                        start: if b < n { next_start(items, b) } else { n },
                        fitness: fit,
                        hyphens,
                        total,
                        ratio: 0.0,
                        prev: Some(ai),
                    });
                }
            }
            for node in best.iter().flatten() {
                let mut node = *node;
                let prev = node.prev.map_or(0, |p| arena[p].start);
                node.ratio = line_ratio(items, sums, prev, b, measure, justify);
                arena.push(node);
                active.push(arena.len() - 1);
            }
            if active.is_empty() {
                if !pass.last {
                    return None;
                }
                // Rescue: nothing can reach further; break at `b` from the best node that
                // just became impossible (an overfull line, which prepare's splitting avoids).
                let d = deactivated.unwrap_or(0);
                let a = arena[d];
                arena.push(Node {
                    at: b,
                    start: if b < n { next_start(items, b) } else { n },
                    fitness: 1,
                    hyphens: 0,
                    total: a.total + INF_BAD * INF_BAD,
                    ratio: line_ratio(items, sums, a.start, b, measure, justify),
                    prev: Some(d),
                });
                active.push(arena.len() - 1);
            }
        }
        best_path(&arena, n)
    }

    /// The total demerits of a set of breaks under the pass-1 rules (for comparing breakers).
    pub fn demerits(items: &[ParItem], breaks: &[Break], measure: f32) -> f64 {
        let sums = Sums::new(items);
        let m = f64::from(measure);
        let mut start = line_start(items, 0);
        let mut total = 0.0;
        let mut prev_fit = 1u8;
        let mut prev_hyph = false;
        for b in breaks {
            let r = f64::from(line_ratio(items, &sums, start, b.end, m, true));
            let end = content_end(items, start, b.end);
            let (w, _, _) = sums.range(start, end);
            if w + break_width(items, b.end) - sums.range(start, end).2 > m + 0.01 {
                return f64::INFINITY;
            }
            let badness = badness(r);
            let mut d = (LINE_PENALTY + badness).powi(2);
            let hyph = flagged(items, b.end);
            if hyph && prev_hyph {
                d += DOUBLE_HYPHEN_DEMERITS;
            }
            let fit = fitness(r);
            if fit.abs_diff(prev_fit) > 1 {
                d += ADJ_DEMERITS;
            }
            total += d;
            prev_fit = fit;
            prev_hyph = hyph;
            if b.end >= items.len() {
                break;
            }
            start = next_start(items, b.end);
        }
        total
    }
}

impl LineBreaker for KnuthPlass {
    fn break_lines(&self, items: &[ParItem], measure: f32, justify: bool) -> Vec<Break> {
        if line_start(items, 0) >= items.len() {
            return vec![Break {
                end: items.len(),
                ratio: 0.0,
            }];
        }
        let sums = Sums::new(items);
        let m = f64::from(measure);
        let passes = [
            Pass {
                tolerance: PRETOLERANCE,
                hyphenate: false,
                emergency: 0.0,
                last: false,
            },
            Pass {
                hyphenate: true,
                tolerance: TOLERANCE,
                emergency: 0.0,
                last: false,
            },
            Pass {
                hyphenate: true,
                tolerance: EMERGENCY_TOLERANCE,
                emergency: EMERGENCY_STRETCH,
                last: false,
            },
            Pass {
                hyphenate: true,
                tolerance: f64::INFINITY,
                emergency: EMERGENCY_STRETCH,
                last: true,
            },
        ];
        for pass in passes {
            if let Some(b) = self.run(items, &sums, m, justify, pass) {
                return b;
            }
        }
        FirstFit.break_lines(items, measure, justify)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word as a box of `5 pt` per letter; hyphenation points (`-` in the word) become
    /// flagged penalties with a 3 pt hyphen.
    fn word(items: &mut Vec<ParItem>, w: &str) {
        for (i, part) in w.split('-').enumerate() {
            if i > 0 {
                items.push(ParItem::Penalty {
                    width: 3.0,
                    cost: 50.0,
                    flagged: true,
                    pieces: Vec::new(),
                });
            }
            items.push(ParItem::Box {
                width: 5.0 * part.chars().count() as f32,
                pieces: Vec::new(),
            });
        }
    }

    fn paragraph(text: &str) -> Vec<ParItem> {
        let mut items = Vec::new();
        for (i, w) in text.split_whitespace().enumerate() {
            if i > 0 {
                items.push(ParItem::Glue {
                    width: 3.0,
                    stretch: 1.5,
                    shrink: 1.5,
                    pieces: Vec::new(),
                });
            }
            word(&mut items, w);
        }
        items
    }

    /// Each line's set width.
    fn widths(items: &[ParItem], breaks: &[Break]) -> Vec<f32> {
        let mut start = line_start(items, 0);
        let mut out = Vec::new();
        for b in breaks {
            let end = content_end(items, start, b.end);
            let mut w = break_width(items, b.end) as f32;
            for item in &items[start..end] {
                w += match item {
                    ParItem::Box { width, .. } => *width,
                    ParItem::Glue {
                        width,
                        stretch,
                        shrink,
                        ..
                    } => {
                        width
                            + if b.ratio >= 0.0 {
                                b.ratio * stretch
                            } else {
                                b.ratio * shrink
                            }
                    }
                    ParItem::Penalty { .. } => 0.0,
                };
            }
            out.push(w);
            if b.end >= items.len() {
                break;
            }
            start = next_start(items, b.end);
        }
        out
    }

    const TEXT: &str = "In April the reservoirs in southern Colombia fell below a quarter of their \
        capacity and Ecuador switched off the lights. Households lost power for up to thirteen \
        hours a day while factories rationed shifts and hospitals ran diesel generators around \
        the clock. The cables that connect the two countries were in perfect working order; what \
        failed was the arrangement behind them.";

    #[test]
    fn knuth_plass_beats_first_fit_on_a_known_paragraph() {
        let items = paragraph(TEXT);
        let mut better = 0;
        for m in (0..16).map(|k| 150.0 + 15.0 * k as f32) {
            let kp = KnuthPlass.break_lines(&items, m, true);
            let ff = FirstFit.break_lines(&items, m, true);
            let (dk, df) = (
                KnuthPlass::demerits(&items, &kp, m),
                KnuthPlass::demerits(&items, &ff, m),
            );
            assert!(
                dk <= df,
                "at {m} pt Knuth–Plass {dk} is worse than first fit {df}"
            );
            better += usize::from(dk < df);
            // Every line but the last is set to the measure; none is wider.
            let w = widths(&items, &kp);
            for (i, lw) in w.iter().enumerate() {
                assert!(*lw <= m + 0.01, "line {i} is {lw} pt at {m}");
                if i + 1 < w.len() {
                    assert!(
                        (lw - m).abs() < 0.01,
                        "line {i} is {lw} pt, not justified to {m}"
                    );
                }
            }
        }
        // At most measures the whole-paragraph view finds strictly better breaks.
        assert!(better >= 8, "better at only {better} of 16 measures");
    }

    #[test]
    fn never_more_than_two_hyphenated_lines_in_a_row() {
        // Every word can break anywhere, and the measure is so narrow that hyphens are the
        // cheapest way to fill the lines.
        let text = "ab-cd-ef-gh-ij ab-cd-ef-gh-ij ab-cd-ef-gh-ij ab-cd-ef-gh-ij ab-cd-ef-gh-ij \
            ab-cd-ef-gh-ij ab-cd-ef-gh-ij ab-cd-ef-gh-ij ab-cd-ef-gh-ij ab-cd-ef-gh-ij";
        let items = paragraph(text);
        let breaks = KnuthPlass.break_lines(&items, 83.0, true);
        let mut run = 0;
        let mut longest = 0;
        for b in &breaks {
            run = if flagged(&items, b.end) { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        assert!(longest <= 2, "a ladder of {longest} hyphens");
        assert!(
            breaks.iter().any(|b| flagged(&items, b.end)),
            "no hyphen used at all"
        );
        for w in widths(&items, &breaks) {
            assert!(w <= 83.01, "{w}");
        }
    }

    #[test]
    fn unbreakable_material_never_sticks_out() {
        // Boxes that each fit, with free breaks but no glue: no line can be justified, so the
        // last pass must still find lines that fit.
        let mut items = Vec::new();
        for i in 0..40 {
            if i > 0 {
                items.push(ParItem::Penalty {
                    width: 0.0,
                    cost: 0.0,
                    flagged: false,
                    pieces: Vec::new(),
                });
            }
            items.push(ParItem::Box {
                width: 7.0 + (i % 5) as f32,
                pieces: Vec::new(),
            });
        }
        for justify in [true, false] {
            let breaks = KnuthPlass.break_lines(&items, 50.0, justify);
            assert_eq!(breaks.last().map(|b| b.end), Some(items.len()));
            for w in widths(&items, &breaks) {
                assert!(w <= 50.01, "{w}");
            }
        }
    }

    /// A box of `n` one-letter clusters, 5 pt each, at 10 pt.
    fn letters_box(n: usize) -> ParItem {
        let glyph = crate::layout::shaping::ShapedGlyph {
            id: 1,
            advance: 5.0,
            x_offset: 0.0,
            y_offset: 0.0,
            start: 0,
            len: 1,
        };
        ParItem::Box {
            width: 5.0 * n as f32,
            pieces: vec![crate::layout::prepare::Piece {
                face: crate::layout::FaceId(0),
                size: 10.0,
                color: crate::theme::Rgb(0, 0, 0),
                rise: 0.0,
                link: None,
                note: None,
                glyphs: vec![glyph; n],
                width: 5.0 * n as f32,
                level: 0,
            }],
        }
    }

    #[test]
    fn a_line_without_word_spaces_is_justified_by_its_letters() {
        // URL pieces of 3 to 6 letters with free breaks between them and no glue: every line
        // but the last must still reach the measure exactly, by letter spacing within limits.
        let mut items = Vec::new();
        for i in 0..60 {
            if i > 0 {
                items.push(ParItem::Penalty {
                    width: 0.0,
                    cost: 0.0,
                    flagged: false,
                    pieces: Vec::new(),
                });
            }
            items.push(letters_box(3 + i % 4));
        }
        let measure = 200.0;
        let breaks = KnuthPlass.break_lines(&items, measure, true);
        let lines = crate::layout::finalize::finalize(&items, &breaks, &std::sync::Arc::from("a-"));
        assert!(lines.len() >= 5, "{} lines", lines.len());
        for (i, line) in lines.iter().enumerate() {
            assert!(line.width <= measure + 0.01, "line {i}: {}", line.width);
            if i + 1 < lines.len() {
                assert!(
                    (line.width - measure).abs() < 0.01,
                    "line {i} is {} pt, not {measure}",
                    line.width
                );
                // Within the ceiling: no gap between letters above 0.08 em (0.8 pt).
                let xs: Vec<f32> = line
                    .runs
                    .iter()
                    .flat_map(|r| &r.glyphs)
                    .map(|g| g.x)
                    .collect();
                for w in xs.windows(2) {
                    assert!(w[1] - w[0] - 5.0 <= 0.8 + 1e-3, "gap {}", w[1] - w[0] - 5.0);
                }
            }
        }
        // Ragged setting leaves the letters alone.
        let ragged = KnuthPlass.break_lines(&items, measure, false);
        assert!(ragged.iter().all(|b| b.ratio == 0.0));
    }

    #[test]
    fn ragged_lines_fit_and_are_even() {
        let items = paragraph(TEXT);
        let breaks = KnuthPlass.break_lines(&items, 200.0, false);
        let w = widths(&items, &breaks);
        assert!(w.iter().all(|w| *w <= 200.01), "{w:?}");
        assert!(breaks.iter().all(|b| b.ratio == 0.0));
        // Balanced: no line but the last is shorter than two thirds of the measure.
        assert!(
            w[..w.len() - 1].iter().all(|w| *w > 200.0 * 2.0 / 3.0),
            "{w:?}"
        );
    }

    #[test]
    fn forced_breaks_and_empty_paragraphs() {
        let mut items = paragraph("one two");
        items.push(ParItem::Penalty {
            width: 0.0,
            cost: FORCED,
            flagged: false,
            pieces: Vec::new(),
        });
        items.extend(paragraph("three four"));
        let breaks = KnuthPlass.break_lines(&items, 300.0, true);
        assert_eq!(breaks.len(), 2);
        assert_eq!(breaks[0].ratio, 0.0);
        assert_eq!(KnuthPlass.break_lines(&[], 300.0, true).len(), 1);
    }
}
