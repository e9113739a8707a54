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
use tiny_skia::{
    Color, FillRule, GradientStop, LinearGradient, Paint, PathBuilder, Pixmap, Point, Rect,
    SpreadMode, Transform,
};

/// The cover's size in pixels: 1 600 × 2 560, the 1 : 1.6 portrait Kindle Direct Publishing
/// recommends for an e-book cover.
pub(super) const WIDTH: u32 = 1600;
/// See [`WIDTH`].
pub(super) const HEIGHT: u32 = 2560;
/// Margin around the words, in pixels (7.5 % of the width).
const MARGIN: f32 = 120.0;
/// The title's largest size and the share of the height its lines may take before it is set
/// smaller: 150 px is about a tenth of the width, a library thumbnail still reads it.
const TITLE_SIZE: f32 = 150.0;
const TITLE_MAX_SHARE: f32 = 0.4;
/// The publisher's size.
const PUBLISHER_SIZE: f32 = 64.0;
/// JPEG quality: 88 keeps a photo's detail at a few hundred kilobytes.
const JPEG_QUALITY: u8 = 88;

/// The cover as JPEG bytes. Problems (a photo that does not decode, a face that does not
/// parse) leave that part out, with a warning.
pub(super) fn cover_jpeg(
    title: &str,
    publisher: &str,
    photo: Option<&Image>,
    theme: &Theme,
    warnings: &mut Vec<Warning>,
) -> Vec<u8> {
    let mut canvas = Pixmap::new(WIDTH, HEIGHT).expect("the cover's size is not zero");
    let on_photo = photo.is_some_and(|p| match background(&mut canvas, p) {
        Ok(()) => true,
        Err(e) => {
            warnings.push(Warning::new(format!(
                "epub: the photo could not be drawn on the cover ({e}); the cover is plain"
            )));
            false
        }
    });
    if on_photo {
        // Dark bands where the words stand, fading into the photo.
        shade(&mut canvas, 0.0, HEIGHT as f32 * 0.22, 0.65, 0.0);
        shade(&mut canvas, HEIGHT as f32 * 0.4, HEIGHT as f32, 0.0, 0.85);
    } else {
        let Rgb(r, g, b) = theme.colors.accent;
        canvas.fill(Color::from_rgba8(r, g, b, 255));
    }
    let white = Color::from_rgba8(255, 255, 255, 255);
    let width = WIDTH as f32 - 2.0 * MARGIN;

    let regular = Face::new(&theme.sans.regular, warnings);
    let bold = Face::new(&theme.sans.bold, warnings);
    if let Some(face) = &regular
        && !publisher.trim().is_empty()
    {
        let lines = face.wrap(publisher.trim(), PUBLISHER_SIZE, width);
        let mut y = MARGIN + PUBLISHER_SIZE;
        for line in &lines {
            face.draw(&mut canvas, line, MARGIN, y, PUBLISHER_SIZE, white);
            y += PUBLISHER_SIZE * 1.2;
        }
        let rule = Rect::from_xywh(MARGIN, y - PUBLISHER_SIZE * 0.6, width, 6.0);
        if let Some(rule) = rule {
            canvas.fill_rect(rule, &solid(white), Transform::identity(), None);
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
            face.draw(&mut canvas, line, MARGIN, baseline, size, white);
        }
    }
    encode(&canvas)
}

/// The title's size and lines: the largest size down from [`TITLE_SIZE`] whose lines take at
/// most [`TITLE_MAX_SHARE`] of the height and whose words all fit the width.
fn fit_title(face: &Face<'_>, title: &str, width: f32) -> (f32, Vec<String>) {
    let mut size = TITLE_SIZE;
    loop {
        let lines = face.wrap(title, size, width);
        let tall = size * 1.15 * lines.len() as f32 > HEIGHT as f32 * TITLE_MAX_SHARE;
        let wide = lines.iter().any(|l| face.width(l, size) > width);
        if !(tall || wide) || size < 40.0 {
            return (size, lines);
        }
        size *= 0.9;
    }
}

/// The photo scaled to cover the whole canvas (aspect kept, the overflow cropped evenly),
/// drawn by tiny-skia with bilinear filtering: the image crate's `resize_to_fill` took two
/// thirds of an EPUB build's time on the sample (perf: 0.54 s of the brief's three files).
fn background(canvas: &mut Pixmap, photo: &Image) -> Result<(), String> {
    let picture = photo.decoded()?.to_rgba8();
    let (w, h) = picture.dimensions();
    let Some(size) = tiny_skia::IntSize::from_wh(w, h) else {
        return Ok(());
    };
    // Opaque after the alpha is dropped: premultiplied equals straight.
    let mut data = picture.into_raw();
    for px in data.chunks_exact_mut(4) {
        px[3] = 255;
    }
    let Some(source) = Pixmap::from_vec(data, size) else {
        return Ok(());
    };
    let scale = (WIDTH as f32 / w as f32).max(HEIGHT as f32 / h as f32);
    let dx = (WIDTH as f32 - w as f32 * scale) / 2.0;
    let dy = (HEIGHT as f32 - h as f32 * scale) / 2.0;
    let paint = tiny_skia::PixmapPaint {
        quality: tiny_skia::FilterQuality::Bilinear,
        ..tiny_skia::PixmapPaint::default()
    };
    canvas.draw_pixmap(
        0,
        0,
        source.as_ref(),
        &paint,
        Transform::from_row(scale, 0.0, 0.0, scale, dx, dy),
        None,
    );
    Ok(())
}

/// Black from `alpha0` at `y0` to `alpha1` at `y1`, over the full width.
fn shade(canvas: &mut Pixmap, y0: f32, y1: f32, alpha0: f32, alpha1: f32) {
    let stops = vec![
        GradientStop::new(
            0.0,
            Color::from_rgba(0.0, 0.0, 0.0, alpha0).unwrap_or(Color::BLACK),
        ),
        GradientStop::new(
            1.0,
            Color::from_rgba(0.0, 0.0, 0.0, alpha1).unwrap_or(Color::BLACK),
        ),
    ];
    let shader = LinearGradient::new(
        Point::from_xy(0.0, y0),
        Point::from_xy(0.0, y1),
        stops,
        SpreadMode::Pad,
        Transform::identity(),
    );
    let (Some(shader), Some(rect)) = (shader, Rect::from_xywh(0.0, y0, WIDTH as f32, y1 - y0))
    else {
        return;
    };
    let paint = Paint {
        shader,
        anti_alias: true,
        ..Paint::default()
    };
    canvas.fill_rect(rect, &paint, Transform::identity(), None);
}

fn solid(color: Color) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color(color);
    paint.anti_alias = true;
    paint
}

/// The canvas as a baseline JPEG (RGB; the canvas is opaque).
fn encode(canvas: &Pixmap) -> Vec<u8> {
    let rgb: Vec<u8> = canvas
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    // Encoding a buffer of the right size into memory cannot fail.
    if let Err(e) = image::ImageEncoder::write_image(
        encoder,
        &rgb,
        WIDTH,
        HEIGHT,
        image::ExtendedColorType::Rgb8,
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

    /// Fills a line's outlines with its baseline starting at (`x`, `y`).
    fn draw(&self, canvas: &mut Pixmap, text: &str, x: f32, y: f32, size: f32, color: Color) {
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
            canvas.fill_path(
                &path,
                &solid(color),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
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
