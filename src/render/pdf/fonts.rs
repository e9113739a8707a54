//! Font embedding: each face the pages use is subset to its used glyphs with typst's
//! `subsetter` and handed to printpdf as a ready font program with its widths and metrics.
//!
//! Why not printpdf's own subsetting: it exists only behind its `text_layout` feature, which
//! pulls in 16 more crates (azul-layout, azul-core, azul-css, taffy, rust-fontconfig, …) for a
//! layout engine we do not use, and takes the `XXXXXX+` subset tag from printpdf's
//! process-global id counter, so the same document got different bytes on a second render
//! (measured with `cargo tree`, read in printpdf 0.12.8 `serialize.rs`). `subsetter` adds one
//! small crate, and the tag here is a hash of the face and its glyph set.
//!
//! The ToUnicode map printpdf writes has one string per glyph; every occurrence of a glyph is
//! given the first non-empty text it stood for, so a later, empty, occurrence (a mark inside a
//! cluster) cannot erase the mapping. The one exception is `.notdef` (glyph 0), shared by every
//! character no face has: it maps to U+FFFD and `paint` gives each occurrence its own text.

use crate::error::{Error, Result};
use crate::layout::{FaceId, Item, Layout};
use printpdf::{FontId, FontMetrics, ParsedFont, PdfDocument, PdfFont, PdfFontMetricsStub};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use subsetter::GlyphRemapper;

/// The glyph a font shows for a character it lacks (OpenType requires it to be glyph 0).
pub const NOTDEF: u16 = 0;

/// One embedded face: its resource name and how old glyph ids become subset ids.
pub struct Embedded {
    /// The printpdf resource id (`F1` … `F8`, by face).
    pub id: FontId,
    remapper: GlyphRemapper,
    /// Old glyph id -> the text it copies out as.
    text: BTreeMap<u16, String>,
    /// Subset glyph id -> its advance in thousandths of an em, as the `/W` array gives it.
    advance: BTreeMap<u16, i64>,
}

impl Embedded {
    /// The subset glyph id of an original glyph id (`.notdef` for one not in the subset).
    pub fn new_id(&self, old: u16) -> u16 {
        self.remapper.get(old).unwrap_or(0)
    }

    /// Every glyph of the subset that pages show, as (subset id, the text it copies out as).
    pub fn glyph_texts(&self) -> impl Iterator<Item = (u16, &str)> {
        self.text
            .iter()
            .map(|(&old, text)| (self.new_id(old), text.as_str()))
    }

    /// The advance a PDF reader gives a subset glyph, in thousandths of an em: the `/W` width,
    /// computed as printpdf 0.12.8 computes it (`get_scaled_glyph_width`: the width in font
    /// units × 1000 / units per em, truncated), so a pen that adds these up is where the
    /// reader's pen is.
    pub fn advance(&self, new: u16) -> i64 {
        self.advance.get(&new).copied().unwrap_or(0)
    }
}

#[cfg(test)]
impl Embedded {
    /// A face for tests: glyph `k` (original id) becomes subset glyph `k + 1` and advances
    /// `advances[k]` thousandths of an em.
    pub fn for_test(advances: &[i64]) -> Embedded {
        let ids: Vec<u16> = (0..advances.len() as u16).collect();
        let remapper = GlyphRemapper::new_from_glyphs_sorted(&ids);
        let advance = ids
            .iter()
            .zip(advances)
            .filter_map(|(&old, &a)| Some((remapper.get(old)?, a)))
            .collect();
        Embedded {
            id: FontId("F1".into()),
            remapper,
            text: BTreeMap::new(),
            advance,
        }
    }
}

/// Subsets and registers every face the pages use.
pub fn embed(doc: &mut PdfDocument, layout: &Layout<'_>) -> Result<BTreeMap<FaceId, Embedded>> {
    let mut used: BTreeMap<FaceId, BTreeMap<u16, String>> = BTreeMap::new();
    // Text from glyphs that are part of a cluster of several glyphs (a base with its marks, a
    // reordered vowel sign), used only for a glyph never seen alone: such a cluster's text
    // belongs to no single glyph, and the piece carries it as /ActualText (see `paint`).
    let mut shared: BTreeMap<FaceId, BTreeMap<u16, String>> = BTreeMap::new();
    for page in &layout.pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                let map = used.entry(run.face).or_default();
                let many: std::collections::BTreeSet<u32> = run
                    .glyphs
                    .iter()
                    .filter(|g| g.len == 0)
                    .map(|g| g.start)
                    .collect();
                for g in &run.glyphs {
                    if g.id != NOTDEF && many.contains(&g.start) {
                        map.entry(g.id).or_default();
                        let e = shared.entry(run.face).or_default().entry(g.id).or_default();
                        if e.is_empty() {
                            e.push_str(run.glyph_text(g));
                        }
                        continue;
                    }
                    let e = map.entry(g.id).or_default();
                    if g.id == NOTDEF {
                        // One glyph stands for every character no face has, so no single
                        // string is right for it; each occurrence carries its own text as
                        // /ActualText (see `paint`), and a reader that ignores that sees U+FFFD.
                        *e = "\u{FFFD}".to_owned();
                    } else if e.is_empty() {
                        e.push_str(run.glyph_text(g));
                    }
                }
            }
        }
    }
    for (face, texts) in shared {
        if let Some(map) = used.get_mut(&face) {
            for (id, text) in texts {
                if let Some(e) = map.get_mut(&id)
                    && e.is_empty()
                {
                    *e = text;
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    for (face_id, glyphs) in used {
        let face = layout.fonts.face(face_id);
        let ids: Vec<u16> = glyphs.keys().copied().collect();
        let remapper = GlyphRemapper::new_from_glyphs_sorted(&ids);
        let program = subsetter::subset(face.data, face.index, &remapper).map_err(|e| {
            Error::render(
                "pdf",
                format!("cannot subset font {}: {e:?}", face.postscript_name),
            )
        })?;
        let mut widths = BTreeMap::new();
        for old in remapper.remapped_gids() {
            if let Some(new) = remapper.get(old) {
                widths.insert(
                    new,
                    face.advance(old).round().clamp(0.0, f32::from(u16::MAX)) as u16,
                );
            }
        }
        let m = face.metrics;
        let advance = widths
            .iter()
            .map(|(&new, &w)| {
                (
                    new,
                    (f32::from(w) * 1000.0 / f32::from(m.units_per_em)) as i64,
                )
            })
            .collect();
        let name = format!(
            "{}+{}",
            subset_tag(&face.postscript_name, &ids),
            face.postscript_name
        );
        let mut parsed = ParsedFont::with_glyph_data(
            program,
            0,
            Some(name),
            BTreeMap::new(),
            widths,
            m.units_per_em,
            FontMetrics {
                ascent: m.ascent.round() as i16,
                descent: m.descent.round() as i16,
            },
        );
        parsed.pdf_font_metrics = PdfFontMetricsStub {
            units_per_em: m.units_per_em,
            x_min: m.bbox[0],
            y_min: m.bbox[1],
            x_max: m.bbox[2],
            y_max: m.bbox[3],
            caret_slope_rise: m.caret_slope.0,
            caret_slope_run: m.caret_slope.1,
            us_weight_class: m.weight,
        };
        let id = FontId(format!("F{}", face_id.0 + 1));
        doc.resources
            .fonts
            .map
            .insert(id.clone(), PdfFont::new(parsed));
        out.insert(
            face_id,
            Embedded {
                id,
                remapper,
                text: glyphs,
                advance,
            },
        );
    }
    Ok(out)
}

/// Six capitals from a hash of the face and its glyph set: the `XXXXXX+` prefix PDF uses to
/// mark a subset (ISO 32000-1, 9.6.4), stable for the same content.
fn subset_tag(name: &str, glyphs: &[u16]) -> String {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    for g in glyphs {
        h.update(g.to_be_bytes());
    }
    h.finalize()
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}
