//! Prepare: a collected paragraph becomes the box / glue / penalty list that line breakers
//! read (Knuth and Plass's model). Break opportunities come from Unicode line breaking
//! (UAX #14); every piece between them is shaped in the face its style names, or in the other
//! family's face when that one has a character the first lacks. A box wider than the measure
//! (a 300-character URL) is split into pieces that fit, preferring the places after `/ . - _ ?`,
//! so no line can stick out of the measure.

use super::collect::{Para, Style};
use super::fonts::FaceId;
use super::shaping::{ShapedGlyph, Shaper};
use crate::theme::Rgb;
use std::collections::BTreeSet;
use unicode_linebreak::{BreakOpportunity, linebreaks};

/// Glue stretch and shrink as shares of the space's width: TeX's cmr10 values (space 3.33 pt,
/// stretch 1.67 pt, shrink 1.11 pt), i.e. a half and a third.
const STRETCH: f32 = 0.5;
const SHRINK: f32 = 1.0 / 3.0;

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
    /// A possible break without space; `cost` `-inf` forces it.
    Penalty {
        /// Width added when the line breaks here (a hyphen; 0 for now).
        width: f32,
        /// Cost of breaking here.
        cost: f32,
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

/// Turns a paragraph into items for a measure of `measure` points. Characters no face has
/// are added to `missing`.
pub fn prepare(
    shaper: &Shaper<'_, '_>,
    para: &Para,
    measure: f32,
    missing: &mut BTreeSet<char>,
) -> Vec<ParItem> {
    let text = para.text.as_str();
    let mut items = Vec::new();
    let mut prev = 0;
    for (at, opportunity) in linebreaks(text) {
        let segment = &text[prev..at];
        let content_len = segment.trim_end_matches([' ', '\t', '\n', '\r']).len();
        let content = prev..prev + content_len;
        let trail = prev + content_len..at;
        if !content.is_empty() {
            let pieces = shape_range(shaper, para, content, missing);
            let width = pieces.iter().map(|p| p.width).sum();
            if width > measure {
                split_overlong(pieces, measure, &mut items);
            } else {
                items.push(ParItem::Box { width, pieces });
            }
        }
        let spaces: String = text[trail.clone()]
            .chars()
            .filter(|c| *c == ' ' || *c == '\t')
            .collect();
        let forced = text[trail.clone()].contains(['\n', '\r']);
        if !spaces.is_empty() {
            let pieces = shape_range(shaper, para, trail.clone(), missing)
                .into_iter()
                .map(|mut p| {
                    p.glyphs.retain(|g| g.text != "\n" && g.text != "\r");
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
                items.push(ParItem::Penalty {
                    width: 0.0,
                    cost: FORCED,
                });
            } else if spaces.is_empty() {
                items.push(ParItem::Penalty {
                    width: 0.0,
                    cost: 0.0,
                });
            }
        }
        prev = at;
    }
    items
}

/// Shapes a byte range of the paragraph, one piece per style span and face.
fn shape_range(
    shaper: &Shaper<'_, '_>,
    para: &Para,
    range: std::ops::Range<usize>,
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
            let glyphs = shaper.shape(face, span.style.size, part);
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
            });
        }
    }
    pieces
}

/// Splits text into runs by the face that has its characters: the style's face, else the
/// other family's face in the same style; a character neither has stays in the style's face
/// (it shows as the font's `.notdef` box, still copies out as itself) and is reported.
fn by_face<'t>(
    shaper: &Shaper<'_, '_>,
    style: Style,
    text: &'t str,
    missing: &mut BTreeSet<char>,
) -> Vec<(FaceId, &'t str)> {
    let book = shaper.book();
    let main = style.face();
    let other = main.other_family();
    let mut runs: Vec<(FaceId, &'t str)> = Vec::new();
    let mut start = 0;
    let mut current = main;
    for (i, c) in text.char_indices() {
        let face = if c.is_control() || book.face(main).glyph(c).is_some() || is_invisible(c) {
            main
        } else if book.face(other).glyph(c).is_some() {
            other
        } else {
            missing.insert(c);
            main
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

/// Format characters a font need not have a glyph for (the shaper drops or hides them).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}')
}

/// One cluster of a box: glyphs that must stay together.
struct Cluster {
    piece: usize,
    glyphs: Vec<ShapedGlyph>,
    width: f32,
    split_after: bool,
}

/// Splits an overlong box into boxes no wider than `measure`, with free breaks between them.
/// Breaks go after the last `/ . - _ ? …` that leaves the line at least a third full, else
/// wherever the measure is reached.
fn split_overlong(pieces: Vec<Piece>, measure: f32, items: &mut Vec<ParItem>) {
    let mut clusters: Vec<Cluster> = Vec::new();
    for (pi, piece) in pieces.iter().enumerate() {
        for g in &piece.glyphs {
            match clusters.last_mut() {
                Some(c) if g.text.is_empty() && c.piece == pi => {
                    c.width += g.advance;
                    c.glyphs.push(g.clone());
                }
                _ => clusters.push(Cluster {
                    piece: pi,
                    glyphs: vec![g.clone()],
                    width: g.advance,
                    split_after: g.text.ends_with(SPLIT_AFTER),
                }),
            }
        }
    }
    let mut chunks: Vec<Vec<Cluster>> = Vec::new();
    let mut current: Vec<Cluster> = Vec::new();
    let mut width = 0.0;
    for cluster in clusters {
        if width + cluster.width > measure && !current.is_empty() {
            // Break after the last good split point, if it keeps a third of the line.
            let mut acc = 0.0;
            let mut cut = current.len();
            let mut best = None;
            for (i, c) in current.iter().enumerate() {
                acc += c.width;
                if c.split_after && acc >= measure / 3.0 {
                    best = Some(i + 1);
                }
            }
            if let Some(b) = best {
                cut = b;
            }
            let rest = current.split_off(cut);
            chunks.push(std::mem::replace(&mut current, rest));
            width = current.iter().map(|c| c.width).sum();
        }
        width += cluster.width;
        current.push(cluster);
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    for (i, chunk) in chunks.into_iter().enumerate() {
        if i > 0 {
            items.push(ParItem::Penalty {
                width: 0.0,
                cost: 0.0,
            });
        }
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
