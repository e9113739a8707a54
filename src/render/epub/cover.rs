//! The book's cover image, drawn here so that an e-reader's library shows the title: the
//! lead photo cropped to a portrait page (or the theme's accent colour when there is none),
//! darkened where the words stand, the publisher's name at the top and the title, wrapped over
//! as many lines as it needs, at the bottom (centred on a plain cover).
//!
//! Glyphs come from the theme's sans faces (skrifa outlines, filled by tiny-skia), placed by
//! their advances without shaping: enough for a title in Latin, Greek or Cyrillic script;
//! scripts that need shaping (Arabic, Indic) are drawn letter by letter, and a character the
//! face lacks is left out (README, Limits). The bytes depend only on the inputs.

use crate::article::Image;
use crate::error::Warning;
use crate::theme::{Rgb, Theme};
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, MetadataProvider};
use tiny_skia::{FillRule, Mask, PathBuilder, Rect, Transform};

/// The cover's size in pixels: 1 200 × 1 920, the 1 : 1.6 portrait e-book stores ask for.
/// Kindle Direct Publishing recommends 1 600 × 2 560, but the picture is the same at this size
/// on any e-reader screen up to 1 920 px tall, and the photo behind it is an enlargement
/// anyway (a 1600 × 1000 photo's middle 625 × 1000 px); 44 % fewer pixels took the sample's
/// three files from 70 to 46 ms of CPU, the cover being most of both (see docs/decisions.md).
pub(super) const WIDTH: u32 = 1200;
/// See [`WIDTH`].
pub(super) const HEIGHT: u32 = WIDTH * 8 / 5;
/// One pixel of the 1 600 px design, in this cover's pixels: every size below is given in it.
const UNIT: f32 = WIDTH as f32 / 1600.0;
/// Margin around the words, in pixels (7.5 % of the width).
const MARGIN: f32 = 120.0 * UNIT;
/// The title's largest size and the share of the height its lines may take before it is set
/// smaller: about a tenth of the width, a library thumbnail still reads it.
const TITLE_SIZE: f32 = 150.0 * UNIT;
const TITLE_MAX_SHARE: f32 = 0.4;
/// The publisher's size.
const PUBLISHER_SIZE: f32 = 64.0 * UNIT;
/// JPEG quality: 88 keeps a photo's detail at a few hundred kilobytes (below 90 the encoder
/// halves the colour resolution, 4:2:0, as cameras do: the eye does not see it, and it halves
/// the work).
const JPEG_QUALITY: u8 = 88;

/// The cover as JPEG bytes. Problems (a photo that does not decode, a face that does not
/// parse) leave that part out, with a warning.
///
/// It is drawn in one pass: each pixel of the background (the photo scaled and cropped, or
/// the accent colour) is computed once, already darkened where the words stand, straight into
/// the RGB buffer the JPEG encoder reads; the words are filled by tiny-skia into a coverage
/// mask and laid over it in white. Drawing with tiny-skia throughout (a 16 MB RGBA canvas,
/// the photo through its bilinear pipeline, two gradient layers, then a copy to RGB) cost
/// about 150 ms of the sample's EPUB, more than everything else in its three files.
pub(super) fn cover_jpeg(
    title: &str,
    publisher: &str,
    photo: Option<&Image>,
    theme: &Theme,
    warnings: &mut Vec<Warning>,
) -> Vec<u8> {
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    let on_photo = photo.is_some_and(|p| match background(&mut rgb, p) {
        Ok(()) => true,
        Err(e) => {
            warnings.push(Warning::new(format!(
                "epub: the photo could not be drawn on the cover ({e}); the cover is plain"
            )));
            false
        }
    });
    if !on_photo {
        let Rgb(r, g, b) = theme.colors.accent;
        for px in rgb.chunks_exact_mut(3) {
            px.copy_from_slice(&[r, g, b]);
        }
    }
    let mut words = Mask::new(WIDTH, HEIGHT).expect("the cover's size is not zero");
    let width = WIDTH as f32 - 2.0 * MARGIN;

    let regular = Face::new(&theme.sans.regular, warnings);
    let bold = Face::new(&theme.sans.bold, warnings);
    if let Some(face) = &regular
        && !publisher.trim().is_empty()
    {
        let lines = face.wrap(publisher.trim(), PUBLISHER_SIZE, width);
        let mut y = MARGIN + PUBLISHER_SIZE;
        for line in &lines {
            face.draw(&mut words, line, MARGIN, y, PUBLISHER_SIZE);
            y += PUBLISHER_SIZE * 1.2;
        }
        let rule = Rect::from_xywh(MARGIN, y - PUBLISHER_SIZE * 0.6, width, 6.0 * UNIT);
        if let Some(rule) = rule {
            words.fill_path(
                &PathBuilder::from_rect(rule),
                FillRule::Winding,
                true,
                Transform::identity(),
            );
        }
    }
    if let Some(face) = &bold {
        let (size, lines) = fit_title(face, title.trim(), width);
        let leading = size * 1.15;
        let block = leading * lines.len() as f32;
        let top = if on_photo {
            HEIGHT as f32 - MARGIN * 1.5 - block
        } else {
            (HEIGHT as f32 - block) / 2.0
        };
        for (i, line) in lines.iter().enumerate() {
            let baseline = top + leading * i as f32 + size;
            face.draw(&mut words, line, MARGIN, baseline, size);
        }
    }
    // The words in white over the background, as much as each pixel is covered (rows without
    // words are passed over).
    let rows = rgb
        .chunks_exact_mut(WIDTH as usize * 3)
        .zip(words.data().chunks_exact(WIDTH as usize));
    for (row, coverage) in rows.filter(|(_, c)| c.iter().any(|&k| k != 0)) {
        for (px, &k) in row.chunks_exact_mut(3).zip(coverage) {
            let k = u16::from(k);
            for c in px {
                *c = (u16::from(*c) + ((255 - u16::from(*c)) * k + 127) / 255) as u8;
            }
        }
    }
    encode(&rgb)
}

/// The title's size and lines: the largest size down from [`TITLE_SIZE`] whose lines take at
/// most [`TITLE_MAX_SHARE`] of the height and whose words all fit the width.
fn fit_title(face: &Face<'_>, title: &str, width: f32) -> (f32, Vec<String>) {
    let mut size = TITLE_SIZE;
    loop {
        let lines = face.wrap(title, size, width);
        let tall = size * 1.15 * lines.len() as f32 > HEIGHT as f32 * TITLE_MAX_SHARE;
        let wide = lines.iter().any(|l| face.width(l, size) > width);
        if !(tall || wide) || size < 40.0 * UNIT {
            return (size, lines);
        }
        size *= 0.9;
    }
}

/// How dark the cover is made at row `y` (0 = untouched, 1 = black): bands where the words
/// stand, fading into the photo — from 0.65 at the top to nothing at 22 % of the height, and
/// from nothing at 40 % to 0.85 at the bottom.
fn shade(y: f32) -> f32 {
    let h = HEIGHT as f32;
    let ramp = |y0: f32, y1: f32, a0: f32, a1: f32| a0 + (a1 - a0) * ((y - y0) / (y1 - y0));
    if y < 0.22 * h {
        ramp(0.0, 0.22 * h, 0.65, 0.0)
    } else if y >= 0.4 * h {
        ramp(0.4 * h, h, 0.0, 0.85)
    } else {
        0.0
    }
}

/// The photo scaled to cover the whole cover (aspect kept, the overflow cropped evenly),
/// sampled bilinearly and darkened by [`shade`], written into `rgb`. The photo's pixels are
/// the image's decoded ones, shared with any other format that decoded them.
fn background(rgb: &mut [u8], photo: &Image) -> Result<(), String> {
    let decoded = photo.decoded()?;
    let owned;
    let picture = match decoded.as_rgb8() {
        Some(p) => p,
        None => {
            owned = decoded.to_rgb8();
            &owned
        }
    };
    let (w, h) = picture.dimensions();
    if w == 0 || h == 0 {
        return Err("it has no pixels".into());
    }
    let scale = (WIDTH as f32 / w as f32).max(HEIGHT as f32 / h as f32);
    let dx = (WIDTH as f32 - w as f32 * scale) / 2.0;
    let dy = (HEIGHT as f32 - h as f32 * scale) / 2.0;
    // Where each cover pixel's centre falls in the photo: the two neighbouring pixels and the
    // weight (out of 256) of the second, per column and per row.
    let taps = |n: u32, offset: f32, len: u32| -> Vec<(usize, usize, u32)> {
        (0..n)
            .map(|i| {
                let at = ((i as f32 + 0.5 - offset) / scale - 0.5).clamp(0.0, (len - 1) as f32);
                let first = at.floor() as u32;
                let second = (first + 1).min(len - 1);
                let weight = ((at - first as f32) * 256.0).round() as u32;
                (first as usize, second as usize, weight)
            })
            .collect()
    };
    let columns: Vec<(usize, usize, u32)> = taps(WIDTH, dx, w)
        .into_iter()
        .map(|(first, second, weight)| (first * 3, second * 3, weight))
        .collect();
    let rows = taps(HEIGHT, dy, h);
    let src = picture.as_raw();
    let stride = w as usize * 3;
    // A photo row resampled to the cover's width (values × 256): each is made once and kept
    // while the cover's rows fall between it and the next.
    let resample = |r: usize, line: &mut Vec<u32>| {
        let row = &src[r * stride..][..stride];
        line.clear();
        for &(c0, c1, wx) in &columns {
            for k in 0..3 {
                line.push(u32::from(row[c0 + k]) * (256 - wx) + u32::from(row[c1 + k]) * wx);
            }
        }
    };
    let n = WIDTH as usize * 3;
    let (mut upper, mut lower) = (
        (usize::MAX, Vec::with_capacity(n)),
        (usize::MAX, Vec::with_capacity(n)),
    );
    for (y, (out, &(r0, r1, wy))) in rgb.chunks_exact_mut(n).zip(&rows).enumerate() {
        if upper.0 != r0 {
            if lower.0 == r0 {
                std::mem::swap(&mut upper, &mut lower);
            } else {
                resample(r0, &mut upper.1);
                upper.0 = r0;
            }
        }
        if lower.0 != r1 {
            resample(r1, &mut lower.1);
            lower.0 = r1;
        }
        let keep = ((1.0 - shade(y as f32 + 0.5)) * 256.0).round() as u32;
        for ((px, &a), &b) in out.iter_mut().zip(&upper.1).zip(&lower.1) {
            let value = (a * (256 - wy) + b * wy) >> 8;
            *px = ((value * keep + (1 << 15)) >> 16) as u8;
        }
    }
    Ok(())
}

/// The cover as a baseline JPEG.
fn encode(rgb: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
    // Encoding a buffer of the right size into memory cannot fail.
    if let Err(e) = encoder.encode(
        rgb,
        WIDTH as u16,
        HEIGHT as u16,
        jpeg_encoder::ColorType::Rgb,
    ) {
        unreachable!("a JPEG of a {WIDTH}×{HEIGHT} RGB buffer: {e}");
    }
    out
}

/// A face ready to measure and draw text.
struct Face<'a> {
    font: FontRef<'a>,
}

impl<'a> Face<'a> {
    fn new(data: &'a [u8], warnings: &mut Vec<Warning>) -> Option<Face<'a>> {
        match FontRef::new(data) {
            Ok(font) => Some(Face { font }),
            Err(e) => {
                warnings.push(Warning::new(format!(
                    "epub: the theme's sans face cannot be read ({e}); the cover shows no text"
                )));
                None
            }
        }
    }

    /// The glyphs of a text and their advances at `size` pixels (characters the face lacks
    /// left out).
    fn glyphs(&self, text: &str, size: f32) -> Vec<(skrifa::GlyphId, f32)> {
        let charmap = self.font.charmap();
        let metrics = self
            .font
            .glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .filter_map(|c| charmap.map(c))
            .map(|g| (g, metrics.advance_width(g).unwrap_or(0.0)))
            .collect()
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        self.glyphs(text, size).iter().map(|(_, a)| a).sum()
    }

    /// Words filled greedily into lines no wider than `width`.
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && self.width(&candidate, size) > width {
                lines.push(std::mem::replace(&mut line, word.to_owned()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Fills a line's outlines into the words' mask, its baseline starting at (`x`, `y`).
    fn draw(&self, words: &mut Mask, text: &str, x: f32, y: f32, size: f32) {
        let outlines = self.font.outline_glyphs();
        let mut pen = Pen {
            path: PathBuilder::new(),
            x,
            y,
        };
        for (glyph, advance) in self.glyphs(text, size) {
            if let Some(outline) = outlines.get(glyph) {
                let settings = DrawSettings::unhinted(Size::new(size), LocationRef::default());
                // A glyph that fails to draw is left out; the line goes on.
                let _ = outline.draw(settings, &mut pen);
            }
            pen.x += advance;
        }
        if let Some(path) = pen.path.finish() {
            words.fill_path(&path, FillRule::Winding, true, Transform::identity());
        }
    }
}

/// Collects glyph outlines into one path, moved to the pen's origin and flipped (font units
/// grow upwards, pixels downwards).
struct Pen {
    path: PathBuilder,
    x: f32,
    y: f32,
}

impl OutlinePen for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.path.move_to(self.x + x, self.y - y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.path.line_to(self.x + x, self.y - y);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.path
            .quad_to(self.x + cx0, self.y - cy0, self.x + x, self.y - y);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.path.cubic_to(
            self.x + cx0,
            self.y - cy0,
            self.x + cx1,
            self.y - cy1,
            self.x + x,
            self.y - y,
        );
    }

    fn close(&mut self) {
        self.path.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_is_a_portrait_jpeg_the_same_every_time() {
        let theme = Theme::default();
        let mut warnings = Vec::new();
        let a = cover_jpeg(
            "A title long enough to wrap over several lines of the cover",
            "The Council",
            None,
            &theme,
            &mut warnings,
        );
        let b = cover_jpeg(
            "A title long enough to wrap over several lines of the cover",
            "The Council",
            None,
            &theme,
            &mut warnings,
        );
        assert_eq!(a, b);
        assert!(warnings.is_empty(), "{warnings:?}");
        let img = image::load_from_memory(&a).unwrap();
        assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
        // Words were drawn: some pixels are white on the accent colour.
        let rgb = img.to_rgb8();
        assert!(rgb.pixels().any(|p| p.0.iter().all(|c| *c > 240)));
    }
}
