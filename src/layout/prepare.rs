//! Prepare: a collected paragraph becomes the box / glue / penalty list that line breakers
//! read (Knuth and Plass's model). Break opportunities come from Unicode line breaking
//! (UAX #14); every piece between them is shaped in the face its style names, or in the other
//! family's face when that one has a character the first lacks. A box wider than the measure
//! (a 300-character URL) is split into pieces that fit, preferring the places after `/ . - _ ?`,
//! so no line can stick out of the measure.

use super::collect::{Para, Style};
use super::fonts::{FaceId, clusters, is_format};
use super::hyphenate::Hyphenation;
use super::linebreak::NO_BREAK;
use super::shaping::{ShapedGlyph, Shaper, offset32};
use crate::theme::Rgb;
use std::collections::BTreeSet;
use unicode_linebreak::{BreakOpportunity, linebreaks};

/// Glue stretch and shrink as shares of the space's width. TeX's cmr10 has a half and a
/// third. Measured with typometer (spacing CV on the sample / the long brief; Typst 0.30 /
/// 0.28): ½ and ⅓ gave 0.27 / 0.28 and left a line looser than twice the median space; ½
/// and ½ gave 0.26 / 0.26 but let lines shrink their spaces to half, which looked cramped
/// on the page; 0.6 and 0.4 gave 0.28 / 0.24 with no loose line, and a fully shrunk space
/// is still 60 % of a normal one (0.16 em in Noto Serif).
const STRETCH: f32 = 0.6;
const SHRINK: f32 = 0.4;

/// The narrowest a word gap may get, in ems of the larger type on either side of it. Text
/// extractors find words by the gaps between glyphs, whatever space glyphs the content holds:
/// poppler's pdftotext starts a new word only past 0.15 em of the word before the gap. A space
/// set in smaller type (code, a fallback face) and shrunk on a tight line fell below that
/// beside body-size text, and two words copied out as one; 0.16 em keeps every gap a gap.
/// (Noto Serif's space shrunk by [`SHRINK`] is 0.156 em: its lines lose almost nothing.)
const MIN_GAP_EM: f32 = 0.16;

/// Characters after which an overlong token (URL, long number) is best split.
const SPLIT_AFTER: &[char] = &['/', '.', '-', '_', '?', '&', '=', '#', ',', ':'];

/// A run of shaped glyphs in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// The face the glyphs belong to.
    pub face: FaceId,
    /// Size in points.
    pub size: f32,
    /// Fill colour.
    pub color: Rgb,
    /// Baseline shift upwards in points.
    pub rise: f32,
    /// Link index in the paragraph, if any.
    pub link: Option<usize>,
    /// Footnote number, if the piece is a note reference.
    pub note: Option<usize>,
    /// The glyphs.
    pub glyphs: Vec<ShapedGlyph>,
    /// Total advance in points.
    pub width: f32,
    /// Bidi embedding level (UAX #9): even runs left to right, odd runs right to left, their
    /// glyphs already in visual order. `finalize` reorders a line's pieces by it.
    pub level: u8,
}

/// An element of the paragraph list.
#[derive(Debug, Clone, PartialEq)]
pub enum ParItem {
    /// Unbreakable material.
    Box {
        /// Natural width.
        width: f32,
        /// What is in it.
        pieces: Vec<Piece>,
    },
    /// Breakable, stretchable space; its glyphs are real space glyphs so text extraction
    /// sees the word gap.
    Glue {
        /// Natural width.
        width: f32,
        /// How much it may grow.
        stretch: f32,
        /// How much it may shrink.
        shrink: f32,
        /// The space glyphs.
        pieces: Vec<Piece>,
    },
    /// A possible break without space; `cost` `-inf` forces it, `NO_BREAK` forbids it.
    Penalty {
        /// Width added when the line breaks here (the hyphen's).
        width: f32,
        /// Cost of breaking here.
        cost: f32,
        /// The line ends in a hyphen when it breaks here (counts towards the hyphen run).
        flagged: bool,
        /// What is drawn at the line's end when it breaks here (the hyphen glyph).
        pieces: Vec<Piece>,
    },
}

/// The cost that forces a break (a hard line break).
pub const FORCED: f32 = f32::NEG_INFINITY;

impl ParItem {
    /// Natural width.
    pub fn width(&self) -> f32 {
        match self {
            ParItem::Box { width, .. } | ParItem::Glue { width, .. } => *width,
            ParItem::Penalty { .. } => 0.0,
        }
    }
}

/// Cost of breaking at a hyphenation point or soft hyphen. TeX's `\hyphenpenalty` is 50.
/// Measured on the long brief: 22 hyphenated line ends at 50, 18 at 150, 14 at 250 (Typst:
/// 13), with a spacing CV of 0.245, 0.244 and 0.264 (Typst: 0.28). 150 breaks fewer words
/// at no cost in evenness; above it the grey starts to suffer.
const HYPHEN_PENALTY: f32 = 150.0;
/// Cost of breaking after an explicit hyphen or a dash: TeX's `\exhyphenpenalty` 50.
const EX_HYPHEN_PENALTY: f32 = 50.0;

/// Cost of cutting an overlong token where it has no split character: as bad as a hyphen.
const HARD_SPLIT_PENALTY: f32 = HYPHEN_PENALTY;

/// Dashes a line must not start with: the break UAX #14 allows before them is suppressed, so
/// "policy—a good one" breaks after the dash, never before it.
const NO_BREAK_BEFORE: &[char] = &['—', '–', '―'];

/// Turns a paragraph into items for a measure of `measure` points, with hyphenation points
/// when `hyphenation` is given; `rtl` makes the paragraph's base direction right to left.
/// Characters no face has are added to `missing`.
pub fn prepare(
    shaper: &Shaper<'_, '_>,
    para: &Para,
    measure: f32,
    hyphenation: Option<&Hyphenation>,
    rtl: bool,
    missing: &mut BTreeSet<char>,
) -> Vec<ParItem> {
    let text = para.text.as_str();
    let levels = bidi_levels(text, rtl);
    let levels = levels.as_deref();
    let mut items = Vec::new();
    let mut prev = 0;
    // No hyphen in the paragraph's last word.
    let last_word = text
        .trim_end()
        .rfind(char::is_whitespace)
        .map_or(0, |i| i + 1);
    for (at, opportunity) in opportunities(text) {
        let segment = &text[prev..at];
        let content_len = segment.trim_end_matches([' ', '\t', '\n', '\r']).len();
        let content = prev..prev + content_len;
        let trail = prev + content_len..at;
        let mut last_piece: Option<Piece> = None;
        if !content.is_empty() {
            let pieces = shape_range(shaper, para, content.clone(), levels, missing);
            last_piece = pieces.last().map(Piece::clone_without_glyphs);
            let width = pieces.iter().map(|p| p.width).sum();
            if width > measure {
                split_overlong(shaper, text, pieces, measure, &mut items);
            } else if let Some(h) = hyphenation {
                let cuts = hyphen_points(h, text, content.clone(), last_word);
                push_hyphenated(shaper, pieces, text.len(), &cuts, &mut items);
            } else {
                items.push(ParItem::Box { width, pieces });
            }
        }
        let spaced = text[trail.clone()].contains([' ', '\t']);
        let forced = text[trail.clone()].contains(['\n', '\r']);
        if spaced {
            let pieces = shape_range(shaper, para, trail.clone(), levels, missing)
                .into_iter()
                .map(|mut p| {
                    p.glyphs
                        .retain(|g| !matches!(text.get(g.range()), Some("\n" | "\r")));
                    p.width = p.glyphs.iter().map(|g| g.advance).sum();
                    p
                })
                .filter(|p| !p.glyphs.is_empty())
                .collect::<Vec<_>>();
            let width: f32 = pieces.iter().map(|p| p.width).sum();
            items.push(ParItem::Glue {
                width,
                stretch: width * STRETCH,
                shrink: width * SHRINK,
                pieces,
            });
        }
        if at < text.len() {
            if forced || opportunity == BreakOpportunity::Mandatory {
                items.push(penalty(FORCED, false));
            } else if !spaced {
                let before = text[content.clone()].chars().next_back();
                let next = text[at..].chars().next();
                if next.is_some_and(|c| NO_BREAK_BEFORE.contains(&c)) {
                    items.push(penalty(NO_BREAK, false));
                } else if before == Some('\u{00AD}') {
                    // A soft hyphen: the hyphen shows only if the line breaks here.
                    let pieces = last_piece
                        .map(|p| vec![hyphen(shaper, &p, text.len())])
                        .unwrap_or_default();
                    let width = pieces.iter().map(|p| p.width).sum();
                    items.push(ParItem::Penalty {
                        width,
                        cost: HYPHEN_PENALTY,
                        flagged: true,
                        pieces,
                    });
                } else if before.is_some_and(|c| matches!(c, '-' | '‐')) {
                    items.push(penalty(EX_HYPHEN_PENALTY, true));
                } else if before.is_some_and(|c| NO_BREAK_BEFORE.contains(&c)) {
                    items.push(penalty(EX_HYPHEN_PENALTY, false));
                } else {
                    items.push(penalty(0.0, false));
                }
            }
        }
        prev = at;
    }
    floor_word_gaps(&mut items);
    items
}

/// Keeps every word gap at least [`MIN_GAP_EM`] of the larger type beside it: the glue may
/// shrink no further, and a space narrower than that (a narrow face's) is widened to it.
fn floor_word_gaps(items: &mut [ParItem]) {
    let edge = |item: &ParItem, last: bool| match item {
        ParItem::Box { pieces, .. } => {
            if last { pieces.last() } else { pieces.first() }.map(|p| p.size)
        }
        _ => None,
    };
    // The size of the type that follows each item (the next box's first piece), right to left.
    let mut after = vec![0.0; items.len()];
    let mut next = 0.0;
    for (i, item) in items.iter().enumerate().rev() {
        after[i] = next;
        next = edge(item, false).unwrap_or(next);
    }
    let mut before = 0.0;
    for (item, after) in items.iter_mut().zip(after) {
        if let ParItem::Glue {
            width,
            shrink,
            pieces,
            ..
        } = item
        {
            let own = pieces.iter().map(|p| p.size).fold(0.0, f32::max);
            let floor = MIN_GAP_EM * own.max(before).max(after);
            if *width < floor {
                *width = floor;
                *shrink = 0.0;
            } else {
                *shrink = shrink.min(*width - floor);
            }
        }
        before = edge(item, true).unwrap_or(before);
    }
}

/// The line break opportunities of `text` (UAX #14), with the word breaks inside Thai, Lao,
/// Khmer and Myanmar added: UAX #14 leaves those scripts (class SA) to a dictionary or model,
/// which ICU4X's line segmenter supplies (its LSTM models). Text without such a letter, the
/// common case, costs one scan more than UAX #14 alone.
fn opportunities(text: &str) -> Vec<(usize, BreakOpportunity)> {
    use unicode_linebreak::{BreakClass, break_property};
    let complex = |c: char| break_property(u32::from(c)) == BreakClass::ComplexContext;
    let mut out: Vec<(usize, BreakOpportunity)> = linebreaks(text).collect();
    if !text.chars().any(complex) {
        return out;
    }
    let segmenter = icu_segmenter::LineSegmenter::new_auto(Default::default());
    let inside = |at: usize| {
        let before = text[..at].chars().next_back();
        let after = text[at..].chars().next();
        before.is_some_and(complex) && after.is_some_and(complex)
    };
    let known: BTreeSet<usize> = out.iter().map(|(at, _)| *at).collect();
    out.extend(
        segmenter
            .segment_str(text)
            .filter(|&at| at > 0 && at < text.len() && inside(at) && !known.contains(&at))
            .map(|at| (at, BreakOpportunity::Allowed)),
    );
    out.sort_by_key(|(at, _)| *at);
    out
}

/// A penalty that draws nothing.
fn penalty(cost: f32, flagged: bool) -> ParItem {
    ParItem::Penalty {
        width: 0.0,
        cost,
        flagged,
        pieces: Vec::new(),
    }
}

/// The hyphen glyph in a piece's style. Its text is at `at`, the paragraph's length: the text
/// `finalize` hands the painter is the paragraph's followed by a hyphen.
fn hyphen(shaper: &Shaper<'_, '_>, style: &Piece, at: usize) -> Piece {
    let mut glyphs = shaper.shape(style.face, style.size, "-");
    for g in &mut glyphs {
        g.start = g.start.saturating_add(offset32(at));
    }
    let width = glyphs.iter().map(|g| g.advance).sum();
    Piece {
        glyphs,
        width,
        note: None,
        ..style.clone_without_glyphs()
    }
}

/// Absolute byte offsets where the words in `range` may be hyphenated, none at or after
/// `last_word` (the paragraph's last word).
fn hyphen_points(
    h: &Hyphenation,
    text: &str,
    range: std::ops::Range<usize>,
    last_word: usize,
) -> Vec<usize> {
    let Some(segment) = text.get(range.clone()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut word_start: Option<usize> = None;
    let check = |start: usize, end: usize, out: &mut Vec<usize>| {
        let abs = range.start + start;
        if abs >= last_word {
            return;
        }
        for p in h.points(&segment[start..end]) {
            out.push(abs + p);
        }
    };
    for (i, c) in segment.char_indices() {
        if c.is_alphabetic() {
            word_start.get_or_insert(i);
        } else if let Some(s) = word_start.take() {
            check(s, i, &mut out);
        }
    }
    if let Some(s) = word_start {
        check(s, segment.len(), &mut out);
    }
    out
}

/// Pushes a box's pieces split at the hyphenation points `cuts` (absolute byte offsets), with
/// a flagged penalty carrying a hyphen between the parts (its text at `hyphen_at`). A cut that
/// falls inside a glyph cluster (a ligature such as "ffi") is skipped.
fn push_hyphenated(
    shaper: &Shaper<'_, '_>,
    pieces: Vec<Piece>,
    hyphen_at: usize,
    cuts: &[usize],
    items: &mut Vec<ParItem>,
) {
    // Right-to-left pieces hold their glyphs in visual order, which the walk below (in
    // logical order) cannot cut; no embedded pattern set is for a right-to-left script.
    if cuts.is_empty() || pieces.iter().any(|p| p.level % 2 == 1) {
        let width = pieces.iter().map(|p| p.width).sum();
        items.push(ParItem::Box { width, pieces });
        return;
    }
    let mut parts: Vec<Vec<Piece>> = vec![Vec::new()];
    let mut first = true;
    let mut next_cut = 0;
    for piece in pieces {
        let style = piece.clone_without_glyphs();
        let mut cur = style.clone_without_glyphs();
        for g in piece.glyphs {
            if g.starts_cluster() {
                let pos = g.start as usize;
                while next_cut < cuts.len() && cuts[next_cut] < pos {
                    next_cut += 1;
                }
                if next_cut < cuts.len() && cuts[next_cut] == pos && !first {
                    let done = std::mem::replace(&mut cur, style.clone_without_glyphs());
                    if let Some(part) = parts.last_mut()
                        && !done.glyphs.is_empty()
                    {
                        part.push(done);
                    }
                    parts.push(Vec::new());
                    next_cut += 1;
                }
                first = false;
            }
            cur.width += g.advance;
            cur.glyphs.push(g);
        }
        if let Some(part) = parts.last_mut()
            && !cur.glyphs.is_empty()
        {
            part.push(cur);
        }
    }
    let mut first = true;
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        if !first
            && let Some(ParItem::Box { pieces, .. }) = items.last()
            && let Some(last) = pieces.last()
        {
            let h = hyphen(shaper, last, hyphen_at);
            items.push(ParItem::Penalty {
                width: h.width,
                cost: HYPHEN_PENALTY,
                flagged: true,
                pieces: vec![h],
            });
        }
        first = false;
        let width = part.iter().map(|p| p.width).sum();
        items.push(ParItem::Box {
            width,
            pieces: part,
        });
    }
}

/// The bidi embedding level of every byte of `text` (UAX #9, rules P–I, with the base level
/// the article's language gives), or `None` when everything is level 0: a left-to-right
/// paragraph without a right-to-left character, the common case, costs one scan.
fn bidi_levels(text: &str, rtl: bool) -> Option<Vec<u8>> {
    use unicode_bidi::{BidiClass, BidiInfo, Level, bidi_class};
    let needs = rtl
        || text.chars().any(|c| {
            matches!(
                bidi_class(c),
                BidiClass::R
                    | BidiClass::AL
                    | BidiClass::AN
                    | BidiClass::RLE
                    | BidiClass::RLO
                    | BidiClass::RLI
                    | BidiClass::FSI
            )
        });
    if !needs {
        return None;
    }
    let base = if rtl { Level::rtl() } else { Level::ltr() };
    let info = BidiInfo::new(text, Some(base));
    Some(info.levels.iter().map(|l| l.number()).collect())
}

/// Shapes a byte range of the paragraph, one piece per style span, face and bidi level run.
fn shape_range(
    shaper: &Shaper<'_, '_>,
    para: &Para,
    range: std::ops::Range<usize>,
    levels: Option<&[u8]>,
    missing: &mut BTreeSet<char>,
) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for span in &para.spans {
        let start = span.range.start.max(range.start);
        let end = span.range.end.min(range.end);
        if start >= end {
            continue;
        }
        let Some(text) = para.text.get(start..end) else {
            continue;
        };
        for (face, part) in by_face(shaper, span.style, text, missing) {
            // `part` is a slice of `text`, itself at `start` in the paragraph.
            let offset = start + (part.as_ptr() as usize - text.as_ptr() as usize);
            for (level, run) in by_level(part, offset, levels) {
                let mut glyphs = shaper.shape_dir(face, span.style.size, run, level % 2 == 1);
                // Offsets into the paragraph, not into the run.
                let at = offset32(run.as_ptr() as usize - para.text.as_ptr() as usize);
                for g in &mut glyphs {
                    g.start = g.start.saturating_add(at);
                }
                let width = glyphs.iter().map(|g| g.advance).sum();
                pieces.push(Piece {
                    face,
                    size: span.style.size,
                    color: span.style.color,
                    rise: span.style.rise,
                    link: span.link,
                    note: span.note,
                    glyphs,
                    width,
                    level,
                });
            }
        }
    }
    pieces
}

/// Splits `text` (at byte `offset` of the paragraph) into runs of one bidi level.
fn by_level<'t>(text: &'t str, offset: usize, levels: Option<&[u8]>) -> Vec<(u8, &'t str)> {
    let Some(levels) = levels else {
        return vec![(0, text)];
    };
    let level = |i: usize| levels.get(offset + i).copied().unwrap_or(0);
    let mut runs = Vec::new();
    let mut start = 0;
    for (i, _) in text.char_indices().skip(1) {
        if level(i) != level(start) {
            runs.push((level(start), &text[start..i]));
            start = i;
        }
    }
    if start < text.len() {
        runs.push((level(start), &text[start..]));
    }
    runs
}

/// Splits text into runs by the face that has its characters, cluster by cluster (a base
/// character with its combining marks and joiners, which must come from one face): the
/// style's face, else the first fallback face that has it ([`FontBook::face_for`]). A format
/// character stays with the run around it, so a joiner never splits a word. A cluster no face
/// has stays in the style's face (it shows as the font's `.notdef` box, still copies out as
/// itself) and its characters are reported.
///
/// [`FontBook::face_for`]: super::fonts::FontBook::face_for
fn by_face<'t>(
    shaper: &Shaper<'_, '_>,
    style: Style,
    text: &'t str,
    missing: &mut BTreeSet<char>,
) -> Vec<(FaceId, &'t str)> {
    let book = shaper.book();
    let main = style.face();
    let mut runs: Vec<(FaceId, &'t str)> = Vec::new();
    let mut start = 0;
    let mut current = main;
    for (i, cluster) in clusters(text) {
        let face = if cluster.chars().all(|c| c.is_control() || is_format(c)) {
            current
        } else if let Some(f) = book.face_for(main, cluster) {
            f
        } else {
            // The base alone may still be in some face (a stray mark is then dropped to a
            // box of its own in the base's face).
            let base = cluster.chars().next().map_or(0, char::len_utf8);
            match book.face_for(main, &cluster[..base]) {
                Some(f) => {
                    missing.extend(
                        cluster
                            .chars()
                            .filter(|&c| !book.face(f).covers(&c.to_string())),
                    );
                    f
                }
                None => {
                    missing.extend(cluster.chars().filter(|&c| !is_format(c)));
                    main
                }
            }
        };
        if face != current && i > start {
            runs.push((current, &text[start..i]));
            start = i;
        }
        current = face;
    }
    if start < text.len() {
        runs.push((current, &text[start..]));
    }
    runs
}

/// One cluster of a box: glyphs that must stay together.
struct Cluster {
    piece: usize,
    glyphs: Vec<ShapedGlyph>,
    width: f32,
    split_after: bool,
}

/// Splits an overlong box into boxes no wider than `measure`: a free break after every
/// `/ . - _ ? …`, and a costly one wherever a piece would still be wider than the measure
/// (a long number, a word too long even for hyphenation, as in a display title). A costly cut
/// between two letters carries a hyphen, as a hyphenation would, so the word reads (and copies
/// out) as one; between digits or symbols it carries nothing. The line breaker then fills each
/// line as well as it can.
fn split_overlong(
    shaper: &Shaper<'_, '_>,
    text: &str,
    pieces: Vec<Piece>,
    measure: f32,
    items: &mut Vec<ParItem>,
) {
    let mut clusters: Vec<Cluster> = Vec::new();
    for (pi, piece) in pieces.iter().enumerate() {
        for g in &piece.glyphs {
            match clusters.last_mut() {
                Some(c) if !g.starts_cluster() && c.piece == pi => {
                    c.width += g.advance;
                    c.glyphs.push(g.clone());
                }
                _ => clusters.push(Cluster {
                    piece: pi,
                    glyphs: vec![g.clone()],
                    width: g.advance,
                    split_after: text
                        .get(g.range())
                        .is_some_and(|t| t.ends_with(SPLIT_AFTER)),
                }),
            }
        }
    }
    let letter = |c: &Cluster, last: bool| {
        let cluster = c
            .glyphs
            .first()
            .and_then(|g| text.get(g.range()))
            .unwrap_or("");
        let ch = if last {
            cluster.chars().last()
        } else {
            cluster.chars().next()
        };
        // Thai, Lao, Khmer and Myanmar (UAX #14 class SA) write no hyphen where a word
        // breaks, so a cut between their letters carries none.
        ch.is_some_and(|c| {
            c.is_alphabetic()
                && unicode_linebreak::break_property(u32::from(c))
                    != unicode_linebreak::BreakClass::ComplexContext
        })
    };
    // The widest hyphen among the pieces' styles: room kept on a line a hard cut may end.
    let hyphen_room = pieces
        .iter()
        .map(|p| hyphen(shaper, p, text.len()).width)
        .fold(0.0_f32, f32::max);
    // Chunks end after every split character that is not followed by another (so "://" stays
    // whole), and wherever the measure is reached; each chunk records the cost of breaking
    // after it and whether that break shows a hyphen.
    let mut chunks: Vec<(Vec<Cluster>, f32, bool)> = Vec::new();
    let mut current: Vec<Cluster> = Vec::new();
    let mut width = 0.0;
    let mut iter = clusters.into_iter().peekable();
    while let Some(cluster) = iter.next() {
        let between_letters =
            current.last().is_some_and(|c| letter(c, true)) && letter(&cluster, false);
        // A cut after this cluster shows a hyphen when the next one is a letter too: the
        // cluster joins the chunk only with room for that hyphen.
        let room = if letter(&cluster, true) && iter.peek().is_some_and(|n| letter(n, false)) {
            hyphen_room
        } else {
            0.0
        };
        if width + cluster.width + room > measure && !current.is_empty() {
            chunks.push((
                std::mem::take(&mut current),
                HARD_SPLIT_PENALTY,
                between_letters,
            ));
            width = 0.0;
        }
        width += cluster.width;
        let split = cluster.split_after && iter.peek().is_some_and(|n| !n.split_after);
        current.push(cluster);
        if split {
            chunks.push((std::mem::take(&mut current), 0.0, false));
            width = 0.0;
        }
    }
    if !current.is_empty() {
        chunks.push((current, 0.0, false));
    }
    let mut cost = 0.0;
    let mut hyphenated = false;
    for (i, (chunk, after, with_hyphen)) in chunks.into_iter().enumerate() {
        if i > 0 {
            match items.last() {
                Some(ParItem::Box { pieces, .. }) if hyphenated => {
                    let h = pieces.last().map(|last| hyphen(shaper, last, text.len()));
                    items.push(ParItem::Penalty {
                        width: h.as_ref().map_or(0.0, |h| h.width),
                        cost,
                        flagged: true,
                        pieces: h.into_iter().collect(),
                    });
                }
                _ => items.push(penalty(cost, false)),
            }
        }
        cost = after;
        hyphenated = with_hyphen;
        let mut out: Vec<Piece> = Vec::new();
        let mut source: Vec<usize> = Vec::new();
        for c in chunk {
            if source.last() == Some(&c.piece)
                && let Some(p) = out.last_mut()
            {
                p.width += c.width;
                p.glyphs.extend(c.glyphs);
                continue;
            }
            let src = &pieces[c.piece];
            out.push(Piece {
                glyphs: c.glyphs,
                width: c.width,
                ..src.clone_without_glyphs()
            });
            source.push(c.piece);
        }
        let width = out.iter().map(|p| p.width).sum();
        items.push(ParItem::Box { width, pieces: out });
    }
}

impl Piece {
    /// The piece's style with no glyphs.
    fn clone_without_glyphs(&self) -> Piece {
        Piece {
            glyphs: Vec::new(),
            width: 0.0,
            ..*self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(size: f32, width: f32) -> Piece {
        Piece {
            face: FaceId(0),
            size,
            color: Rgb(0, 0, 0),
            rise: 0.0,
            link: None,
            note: None,
            glyphs: Vec::new(),
            width,
            level: 0,
        }
    }

    fn word(size: f32) -> ParItem {
        ParItem::Box {
            width: 20.0,
            pieces: vec![piece(size, 20.0)],
        }
    }

    fn space(size: f32, width: f32) -> ParItem {
        ParItem::Glue {
            width,
            stretch: width * STRETCH,
            shrink: width * SHRINK,
            pieces: vec![piece(size, width)],
        }
    }

    fn narrowest(item: &ParItem) -> f32 {
        match item {
            ParItem::Glue { width, shrink, .. } => width - shrink,
            _ => unreachable!("a glue"),
        }
    }

    #[test]
    fn a_word_gap_never_shrinks_below_the_extractors_threshold_of_the_larger_type() {
        // A 0.26 em space of 10.12 pt code between 11 pt words (2.63 pt): shrunk by 40 % it
        // would be 1.58 pt, under poppler's 0.15 × 11 = 1.65 pt.
        let mut items = vec![word(11.0), space(10.12, 2.63), word(10.12)];
        items.extend([space(11.0, 2.86), word(11.0)]);
        floor_word_gaps(&mut items);
        assert!((narrowest(&items[1]) - 0.16 * 11.0).abs() < 1e-4);
        // A body space keeps nearly all its shrink (0.156 em would have been allowed).
        assert!((narrowest(&items[3]) - 0.16 * 11.0).abs() < 1e-4);
        // A space narrower than the floor (a narrow face's) is widened to it and cannot shrink.
        let mut items = vec![word(11.0), space(11.0, 1.0), word(11.0)];
        floor_word_gaps(&mut items);
        assert_eq!(items[1].width(), 0.16 * 11.0);
        assert_eq!(narrowest(&items[1]), items[1].width());
        // Between small words a small space may shrink as before.
        let mut items = vec![word(8.0), space(8.0, 2.08), word(8.0)];
        floor_word_gaps(&mut items);
        assert!((narrowest(&items[1]) - 0.16 * 8.0).abs() < 1e-4);
    }
}
