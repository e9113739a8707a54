//! The theme's eight faces, parsed once per render: skrifa for metrics, cmap and advances,
//! a harfrust font for shaping, and the raw bytes the painter subsets and embeds.

use crate::error::{Error, Result};
use crate::theme::{FontData, Theme};
use skrifa::instance::{LocationRef, Size};
use skrifa::raw::TableProvider;
use skrifa::{FontRef, GlyphId, MetadataProvider};
use std::borrow::Cow;

/// Index of a face in the [`FontBook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FaceId(pub u8);

/// Serif (body) or sans (headings, masthead, captions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// The theme's body face.
    Serif,
    /// The theme's display face.
    Sans,
}

impl FaceId {
    /// The face of a family in a style. The book orders faces serif then sans, each as
    /// regular, italic, bold, bold italic.
    pub fn of(family: Family, bold: bool, italic: bool) -> FaceId {
        let base = match family {
            Family::Serif => 0,
            Family::Sans => 4,
        };
        FaceId(base + u8::from(italic) + 2 * u8::from(bold))
    }

    /// The same style in the other family (the fallback when a face lacks a character).
    pub fn other_family(self) -> FaceId {
        FaceId((self.0 + 4) % 8)
    }
}

/// Metrics of a face, in font units unless said otherwise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceMetrics {
    /// Units per em.
    pub units_per_em: u16,
    /// Typographic ascent (positive).
    pub ascent: f32,
    /// Typographic descent (negative).
    pub descent: f32,
    /// Height of capitals, when the font says.
    pub cap_height: f32,
    /// The font's bounding box: x min, y min, x max, y max.
    pub bbox: [i16; 4],
    /// hhea caret slope rise and run (the PDF /ItalicAngle comes from them).
    pub caret_slope: (i16, i16),
    /// OS/2 weight class, 0 when absent.
    pub weight: u16,
}

/// One parsed face.
pub struct Face<'a> {
    /// The font file's bytes, for subsetting and embedding.
    pub data: &'a [u8],
    /// The PostScript name (what the PDF calls the font).
    pub postscript_name: String,
    /// Metrics.
    pub metrics: FaceMetrics,
    charmap: skrifa::charmap::Charmap<'a>,
    advances: skrifa::metrics::GlyphMetrics<'a>,
    shaper: harfrust::Font,
}

impl<'a> Face<'a> {
    fn parse(data: &'a FontData, what: &str) -> Result<Face<'a>> {
        let bytes: &'a [u8] = data.as_ref();
        let bad = |m: &str| {
            Error::render(
                "pdf",
                format!("font `{what}`: {m}; check the theme's font files"),
            )
        };
        let skrifa = FontRef::new(bytes).map_err(|e| bad(&e.to_string()))?;
        let m = skrifa.metrics(Size::unscaled(), LocationRef::default());
        let head = skrifa.head().map_err(|e| bad(&e.to_string()))?;
        let hhea = skrifa.hhea().map_err(|e| bad(&e.to_string()))?;
        let weight = skrifa.os2().map(|t| t.us_weight_class()).unwrap_or(0);
        let postscript_name = skrifa
            .localized_strings(skrifa::string::StringId::POSTSCRIPT_NAME)
            .english_or_first()
            .map(|s| {
                s.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect::<String>()
            })
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| what.chars().filter(char::is_ascii_alphanumeric).collect());
        let blob: harfrust::font::Blob = match data {
            Cow::Borrowed(b) => (*b).into(),
            Cow::Owned(v) => v.clone().into(),
        };
        let shaper = harfrust::Font::new(blob, 0).ok_or_else(|| bad("harfrust cannot read it"))?;
        Ok(Face {
            data: bytes,
            postscript_name,
            metrics: FaceMetrics {
                units_per_em: m.units_per_em,
                ascent: m.ascent,
                descent: m.descent,
                cap_height: m.cap_height.unwrap_or(m.ascent * 0.7),
                bbox: [head.x_min(), head.y_min(), head.x_max(), head.y_max()],
                caret_slope: (hhea.caret_slope_rise(), hhea.caret_slope_run()),
                weight,
            },
            charmap: skrifa.charmap(),
            advances: skrifa.glyph_metrics(Size::unscaled(), LocationRef::default()),
            shaper,
        })
    }

    /// The glyph for a character, if the face has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.charmap
            .map(c)
            .and_then(|g| u16::try_from(g.to_u32()).ok())
            .filter(|g| *g != 0)
    }

    /// The advance of a glyph in font units (0 for an unknown glyph).
    pub fn advance(&self, glyph: u16) -> f32 {
        self.advances
            .advance_width(GlyphId::new(u32::from(glyph)))
            .unwrap_or(0.0)
    }

    /// The harfrust font for shaping.
    pub fn shaper(&self) -> &harfrust::Font {
        &self.shaper
    }

    /// Points per font unit at `size`.
    pub fn scale(&self, size: f32) -> f32 {
        size / f32::from(self.metrics.units_per_em.max(1))
    }
}

/// All faces of the theme, parsed once per render.
pub struct FontBook<'a> {
    faces: Vec<Face<'a>>,
}

impl<'a> FontBook<'a> {
    /// Parses the theme's serif and sans families (eight faces).
    pub fn new(theme: &'a Theme) -> Result<FontBook<'a>> {
        let mut faces = Vec::with_capacity(8);
        for fam in [&theme.serif, &theme.sans] {
            for (data, style) in [
                (&fam.regular, "Regular"),
                (&fam.italic, "Italic"),
                (&fam.bold, "Bold"),
                (&fam.bold_italic, "Bold Italic"),
            ] {
                faces.push(Face::parse(data, &format!("{} {style}", fam.name))?);
            }
        }
        Ok(FontBook { faces })
    }

    /// The face with this id.
    pub fn face(&self, id: FaceId) -> &Face<'a> {
        // FaceId values are only made by `FaceId::of` / `other_family`, always < 8.
        &self.faces[usize::from(id.0) % self.faces.len()]
    }

    /// Every face with its id.
    pub fn iter(&self) -> impl Iterator<Item = (FaceId, &Face<'a>)> {
        self.faces
            .iter()
            .enumerate()
            .map(|(i, f)| (FaceId(i as u8), f))
    }
}
