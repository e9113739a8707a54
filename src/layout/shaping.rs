//! Shaping with harfrust: the font's default features (kerning, standard ligatures, mark
//! positioning) on a piece of text in one face. Every glyph keeps the source text of its
//! cluster, so a ligature copies out of the PDF as the letters it replaced. Right-to-left runs
//! are shaped right to left and come back in visual order.

use super::fonts::{FaceId, FontBook};
use harfrust::{Buffer, Direction, ShapeOptions, ShapePlan, ShaperFont};
use std::cell::RefCell;
use std::str::FromStr;

/// One shaped glyph, in points at the size it was shaped for.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedGlyph {
    /// Glyph id in the face (0 is `.notdef`: the face lacks the character).
    pub id: u16,
    /// How far the pen moves after this glyph.
    pub advance: f32,
    /// Horizontal offset from the pen position (mark attachment).
    pub x_offset: f32,
    /// Vertical offset from the baseline, upwards.
    pub y_offset: f32,
    /// Where the cluster's source text starts: a byte offset into the text that was shaped
    /// (`prepare` makes it an offset into the paragraph).
    pub start: u32,
    /// The cluster's source text length in bytes on its first glyph, 0 on the others.
    pub len: u32,
}

impl ShapedGlyph {
    /// Whether this glyph carries its cluster's text (the cluster's first glyph).
    pub fn starts_cluster(&self) -> bool {
        self.len > 0
    }

    /// The byte range of the source text this glyph stands for (empty for a cluster's
    /// further glyphs).
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.start as usize + self.len as usize
    }
}

/// A byte offset as stored in a glyph: texts are far below 4 GiB (sources are read whole into
/// memory); a longer one saturates, which only garbles copied-out text, never panics.
pub fn offset32(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// A shape plan with what it was made for: face, script, right to left.
type Plan = (FaceId, Option<harfrust::Script>, bool, ShapePlan);

/// Shapes text in the book's faces, reusing one shape plan per face and script.
pub struct Shaper<'b, 'a> {
    book: &'b FontBook<'a>,
    language: Option<harfrust::Language>,
    plans: RefCell<Vec<Plan>>,
}

impl<'b, 'a> Shaper<'b, 'a> {
    /// A shaper for the article's language (a BCP 47 tag; harfrust picks locale forms by it).
    pub fn new(book: &'b FontBook<'a>, language: &str) -> Self {
        Shaper {
            book,
            language: harfrust::Language::from_str(language).ok(),
            plans: RefCell::new(Vec::new()),
        }
    }

    /// The book this shaper uses.
    pub fn book(&self) -> &'b FontBook<'a> {
        self.book
    }

    /// Shapes `text` in `face` at `size` points, left to right.
    pub fn shape(&self, face: FaceId, size: f32, text: &str) -> Vec<ShapedGlyph> {
        self.shape_dir(face, size, text, false)
    }

    /// Shapes `text` in `face` at `size` points, right to left when `rtl` (a run at an odd
    /// bidi level). The glyphs come in visual order, left to right on the page, either way.
    pub fn shape_dir(&self, face: FaceId, size: f32, text: &str, rtl: bool) -> Vec<ShapedGlyph> {
        if text.is_empty() {
            return Vec::new();
        }
        let f = self.book.face(face);
        let font = f.shaper();
        let mut buffer = Buffer::new();
        buffer.push_str(text);
        buffer.set_language(self.language.clone());
        buffer.guess_segment_properties();
        // The direction is the bidi level's (`prepare` splits runs where it changes), not
        // the script's guess: a Hebrew word inside an English quotation is still set as
        // Hebrew, and digits inside Arabic are set left to right.
        let direction = if rtl {
            Direction::RightToLeft
        } else {
            Direction::LeftToRight
        };
        buffer.set_direction(direction);
        let script = buffer.script();
        let shaper = ShaperFont::new(font);
        let mut plans = self.plans.borrow_mut();
        let idx = match plans
            .iter()
            .position(|(fid, s, r, _)| *fid == face && *s == script && *r == rtl)
        {
            Some(i) => i,
            None => {
                let plan = ShapePlan::new(font, direction, script, self.language.as_ref(), &[]);
                plans.push((face, script, rtl, plan));
                plans.len() - 1
            }
        };
        let plan = &plans[idx].3;
        if harfrust::shape(&shaper, &mut buffer, ShapeOptions::new().plan(Some(plan))).is_err() {
            let mut glyphs = fallback(f, size, text);
            if rtl {
                glyphs.reverse();
            }
            return glyphs;
        }
        let scale = f.scale(size);
        let infos = buffer.glyph_infos();
        let positions = buffer.glyph_positions();
        let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        // Which clusters already gave their text to a glyph. Indexed by the cluster's place in
        // `starts` (a binary search), so a word of n characters costs n log n, not n².
        let mut seen = vec![false; starts.len()];
        infos
            .iter()
            .zip(positions)
            .map(|(info, pos)| {
                let c = info.cluster as usize;
                let len = match starts.binary_search(&c) {
                    Ok(i) if !seen[i] => {
                        seen[i] = true;
                        let end = starts.get(i + 1).copied().unwrap_or(text.len());
                        end.saturating_sub(c)
                    }
                    _ => 0,
                };
                ShapedGlyph {
                    id: u16::try_from(info.glyph_id).unwrap_or(0),
                    advance: pos.x_advance as f32 * scale,
                    x_offset: pos.x_offset as f32 * scale,
                    y_offset: pos.y_offset as f32 * scale,
                    start: offset32(c),
                    len: offset32(len),
                }
            })
            .collect()
    }
}

/// One glyph per character from the cmap, for the (unexpected) case that harfrust refuses.
fn fallback(face: &super::fonts::Face<'_>, size: f32, text: &str) -> Vec<ShapedGlyph> {
    let scale = face.scale(size);
    text.char_indices()
        .map(|(at, c)| {
            let id = face.glyph(c).unwrap_or(0);
            ShapedGlyph {
                id,
                advance: face.advance(id) * scale,
                x_offset: 0.0,
                y_offset: 0.0,
                start: offset32(at),
                len: offset32(c.len_utf8()),
            }
        })
        .collect()
}
