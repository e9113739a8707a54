//! The book's cover image, drawn here so that an e-reader's library shows the title: the
//! lead photo cropped to a portrait page (or the theme's accent colour when there is none),
//! darkened where the words stand, the publisher's name at the top and the title, wrapped over
//! as many lines as it needs, at the bottom (centred on a plain cover).
//!
//! Glyphs come from the theme's sans faces (skrifa outlines, filled by tiny-skia), placed by
//! their advances without shaping: enough for a title in Latin, Greek or Cyrillic script;
//! scripts that need shaping (Arabic, Indic) are drawn letter by letter, and a character the
//! face lacks is left out (README, Limits). The bytes depend only on the inputs.

use super::jpeg;
use crate::article::Image;
use crate::error::Warning;
use crate::theme::{Rgb, Theme};
use rayon::prelude::*;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, MetadataProvider};
use std::sync::Arc;
use tiny_skia::{FillRule, Mask, PathBuilder, Rect, Transform};

/// The cover's size in pixels: 1 600 × 2 560, the 1 : 1.6 portrait Kindle Direct Publishing
/// recommends, so a library grid and a full-screen cover are sharp on every e-reader.
pub(super) const WIDTH: u32 = 1600;
/// See [`WIDTH`].
pub(super) const HEIGHT: u32 = WIDTH * 8 / 5;
/// The cover is drawn and encoded in this many horizontal strips at once, each a whole number
/// of the JPEG's 16-row blocks (4:2:0); the count is fixed, so the bytes do not depend on the
/// machine's cores.
const STRIPS: u32 = 4;
const STRIP_ROWS: u32 = HEIGHT / STRIPS;
const _: () = assert!(STRIP_ROWS.is_multiple_of(16) && STRIP_ROWS * STRIPS == HEIGHT);
/// The blocks (16 × 16 pixels) in a strip: its restart interval.
const STRIP_MCUS: u16 = (WIDTH.div_ceil(16) * STRIP_ROWS / 16) as u16;
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
/// JPEG quality: 88 keeps a photo's detail at a few hundred kilobytes; the colour is kept at
/// half the resolution (4:2:0), as cameras keep it: the eye does not see it, and it halves the
/// work.
const JPEG_QUALITY: u8 = 88;

/// The cover as JPEG bytes. Problems (a photo that does not decode, a face that does not
/// parse) leave that part out, with a warning.
///
/// It is drawn in the JPEG's own planes, in [`STRIPS`] strips at once: each sample of the
/// background (the photo scaled and cropped, or the accent colour) is computed once, already
/// darkened where the words stand, straight into the Y, Cb and Cr planes (the last two at
/// half size) the encoder ([`jpeg`]) reads; the words are filled by tiny-skia into a coverage
/// mask and laid over them in white. Each strip is encoded on its own and the strips joined
/// with restart markers: the bytes are the same whatever the machine's cores.
pub(super) fn cover_jpeg(
    title: &str,
    publisher: &str,
    photo: Option<&Image>,
    theme: &Theme,
    warnings: &mut Vec<Warning>,
) -> Vec<u8> {
    // The photo is decoded and made ready while the words are drawn: the two are the
    // cover's work that is not split into strips.
    let (backdrop, (words, faces_warnings)) = rayon::join(
        || photo.map(Backdrop::new),
        || {
            let mut warnings = Vec::new();
            let words = draw_words(title, publisher, photo.is_some(), theme, &mut warnings);
            (words, warnings)
        },
    );
    warnings.extend(faces_warnings);
    let (backdrop, words) = match backdrop {
        Some(Ok(backdrop)) => (Some(backdrop), words),
        Some(Err(e)) => {
            warnings.push(Warning::new(format!(
                "epub: the photo could not be drawn on the cover ({e}); the cover is plain"
            )));
            // The title goes where a plain cover has it.
            (
                None,
                draw_words(title, publisher, false, theme, &mut Vec::new()),
            )
        }
        None => (None, words),
    };
    let accent = ycbcr(theme.colors.accent);
    let tables = jpeg::Tables::new(JPEG_QUALITY);
    let (w, rows) = (WIDTH as usize, STRIP_ROWS as usize);
    let strips: Vec<Vec<u8>> = (0..STRIPS)
        .into_par_iter()
        .map(|k| {
            let top = k as usize * rows;
            // One band of 16 rows (the JPEG's blocks) at a time, in buffers used again for
            // the next: the strip's planes are never whole in memory, and the band stays in
            // the processor's cache from drawing to encoding.
            let (mut y, mut cb, mut cr) = (vec![0; w * 16], vec![0; w * 4], vec![0; w * 4]);
            let mut lines = backdrop.as_ref().map(Backdrop::lines);
            let mut scan = jpeg::Scan::new(&tables, w * rows / 4);
            for band in (top..top + rows).step_by(16) {
                match (&backdrop, &mut lines) {
                    (Some(backdrop), Some(lines)) => {
                        backdrop.draw(band, lines, &mut y, &mut cb, &mut cr)
                    }
                    _ => {
                        y.fill(accent[0]);
                        cb.fill(accent[1]);
                        cr.fill(accent[2]);
                    }
                }
                let coverage = &words.mask.data()[band * w..][..w * 16];
                let inked = |pair: usize| words.touches(band + 2 * pair, band + 2 * pair + 2);
                lay_words(&mut y, &mut cb, &mut cr, coverage, w, inked);
                scan.rows(&jpeg::Planes {
                    y: &y,
                    cb: &cb,
                    cr: &cr,
                    width: w,
                    rows: 16,
                });
            }
            scan.finish()
        })
        .collect();
    let header = jpeg::header(&tables, WIDTH as u16, HEIGHT as u16, STRIP_MCUS);
    jpeg::join(header, &strips)
}

/// The publisher's name and rule at the top and the title (at the bottom over a photo,
/// centred on a plain cover) as the words' coverage.
fn draw_words(
    title: &str,
    publisher: &str,
    on_photo: bool,
    theme: &Theme,
    warnings: &mut Vec<Warning>,
) -> Ink {
    let mut words = Ink::new();
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
            words.fill(&PathBuilder::from_rect(rule));
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
    words
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

/// A colour as JFIF's YCbCr (BT.601, full range), in 16-bit fixed point.
fn ycbcr(Rgb(r, g, b): Rgb) -> [u8; 3] {
    let [r, g, b] = [r, g, b].map(i32::from);
    let centre = (128 << 16) + (1 << 15);
    [
        (19595 * r + 38470 * g + 7471 * b + (1 << 15)) >> 16,
        (-11059 * r - 21709 * g + 32768 * b + centre) >> 16,
        (32768 * r - 27439 * g - 5329 * b + centre) >> 16,
    ]
    .map(|v| v.clamp(0, 255) as u8)
}

/// The words in white over a strip's planes, as much as each pixel is covered: white adds
/// `(255 − Y) × k` to the luma and takes the colour (Cb, Cr) towards neutral by `k`, `k` the
/// coverage (averaged over the 2 × 2 pixels a chroma sample stands for). Only the pairs of
/// rows `inked` says may have words are read.
fn lay_words(
    y: &mut [u8],
    cb: &mut [u8],
    cr: &mut [u8],
    coverage: &[u8],
    width: usize,
    inked: impl Fn(usize) -> bool,
) {
    let half = width / 2;
    let pairs = coverage
        .chunks_exact(width * 2)
        .zip(y.chunks_exact_mut(width * 2))
        .zip(cb.chunks_exact_mut(half).zip(cr.chunks_exact_mut(half)));
    for (pair, ((cover, y), (cb, cr))) in pairs.enumerate() {
        if inked(pair) {
            kernels::white(cover, y, cb, cr);
        }
    }
}

/// The words' coverage, and the bands of rows their paths reach: rows outside them are never
/// read, so most of the mask's memory is never touched.
struct Ink {
    mask: Mask,
    rows: Vec<(usize, usize)>,
    /// The rows already written once (see [`Ink::fill`]).
    written: Vec<bool>,
}

impl Ink {
    fn new() -> Ink {
        Ink {
            mask: Mask::new(WIDTH, HEIGHT).expect("the cover's size is not zero"),
            rows: Vec::new(),
            written: vec![false; HEIGHT as usize],
        }
    }

    /// Fills `path` into the mask, noting its rows (one more on each side for the
    /// anti-aliasing's reach).
    fn fill(&mut self, path: &tiny_skia::Path) {
        let bounds = path.bounds();
        let top = (bounds.top().floor() - 1.0).max(0.0) as usize;
        let bottom = (bounds.bottom().ceil() + 2.0).max(0.0) as usize;
        let bottom = bottom.min(HEIGHT as usize);
        self.rows.push((top, bottom));
        // The mask's memory is fresh from the system. Filling reads a row before writing it,
        // and a page first read maps the shared zero page, which the write must then replace
        // while the other thread runs: a page-table change every core is told of. Zeros
        // written first give each page its own memory at once.
        let w = WIDTH as usize;
        for row in top..bottom.max(top) {
            if !std::mem::replace(&mut self.written[row], true) {
                self.mask.data_mut()[row * w..][..w].fill(0);
            }
        }
        self.mask
            .fill_path(path, FillRule::Winding, true, Transform::identity());
    }

    /// Whether any of rows `top .. bottom` may have ink.
    fn touches(&self, top: usize, bottom: usize) -> bool {
        self.rows.iter().any(|&(a, b)| a < bottom && top < b)
    }
}

/// A bilinear tap: the two neighbouring source samples (indices) and the weight of the
/// second, out of 256.
type Tap = (usize, usize, u32);

/// The column taps of one plane, laid out for the resampling kernel: where each cover
/// column's first photo sample is in a row (in bytes), and the weight (out of 256) of the
/// sample `step` bytes after it, packed with the first's weight as two 16-bit halves
/// (`256 − w`, `w`). Where the photo has no sample after the first (its right edge), the
/// weight is 0: the tap is the first sample alone, as a tap whose two samples are the same.
struct Columns {
    at: Vec<i32>,
    weights: Vec<i32>,
    /// Bytes from a sample to the next of the same plane in a row: 1 in a plane, 3 when
    /// interleaved.
    step: usize,
    /// The bytes a row must hold past its start for every tap to read four bytes (the vector
    /// path's gathers read a 32-bit word at each `at`).
    reach: usize,
}

impl Columns {
    fn new(taps: &[Tap], step: usize) -> Columns {
        let at: Vec<i32> = taps
            .iter()
            .map(|t| i32::try_from(t.0).expect("a photo row is far below 2 GB"))
            .collect();
        let weights = taps
            .iter()
            .map(|&(c0, c1, w)| {
                debug_assert!(c1 == c0 || c1 == c0 + step, "neighbouring samples");
                let w = if c1 == c0 { 0 } else { w as i32 };
                (w << 16) | (256 - w)
            })
            .collect();
        let reach = taps.iter().map(|t| t.0 + 4).max().unwrap_or(0);
        Columns {
            at,
            weights,
            step,
            reach,
        }
    }

    fn len(&self) -> usize {
        self.at.len()
    }
}

/// The photo scaled to cover the whole cover (aspect kept, the overflow cropped evenly),
/// sampled bilinearly and darkened by [`shade`]. It is drawn in the JPEG's own terms, from the
/// photo's samples in YCbCr, each plane scaled straight to its size in the cover — the colour
/// planes to half the width and height, as the JPEG keeps them. A colour JPEG is decoded
/// straight to YCbCr (its own colour space: no conversion to RGB and back); any other photo is
/// taken as the decoded RGB pixels any format shares and turned into YCbCr where the cover
/// shows it.
struct Backdrop {
    /// The photo's samples, in one of two layouts (see [`Backdrop::offsets`]).
    samples: Vec<u8>,
    /// Bytes from a row to the next.
    stride: usize,
    /// Where each plane's first sample is (`[0, 1, 2]` interleaved, a plane apart for planes).
    offsets: [usize; 3],
    /// Taps per column and per row, for the luma (full size) and the colour (half size); a
    /// column tap counts bytes within a row.
    luma: (Columns, Vec<Tap>),
    colour: (Columns, Vec<Tap>),
}

/// A photo's pixels: YCbCr interleaved, or RGB.
enum Photo {
    YCbCr(Vec<u8>),
    Rgb(Arc<image::DynamicImage>),
}

impl Backdrop {
    fn new(photo: &Image) -> Result<Backdrop, String> {
        let (pixels, w, h) = match ycbcr_jpeg(photo) {
            Some((samples, w, h)) => (Photo::YCbCr(samples), w, h),
            None => {
                let decoded = photo.decoded()?;
                let (w, h) = (decoded.width(), decoded.height());
                (Photo::Rgb(decoded), w, h)
            }
        };
        if w == 0 || h == 0 {
            return Err("it has no pixels".into());
        }
        let scale = (WIDTH as f32 / w as f32).max(HEIGHT as f32 / h as f32);
        let dx = (WIDTH as f32 - w as f32 * scale) / 2.0;
        let dy = (HEIGHT as f32 - h as f32 * scale) / 2.0;
        // Where the centre of each of `n` samples `step` cover pixels wide falls in the photo.
        let taps = |n: u32, step: f32, offset: f32, len: u32| -> Vec<Tap> {
            (0..n)
                .map(|i| {
                    let centre = (i as f32 + 0.5) * step;
                    let at = ((centre - offset) / scale - 0.5).clamp(0.0, (len - 1) as f32);
                    let first = at.floor() as u32;
                    let second = (first + 1).min(len - 1);
                    let weight = ((at - first as f32) * 256.0).round() as u32;
                    (first as usize, second as usize, weight)
                })
                .collect()
        };
        let mut luma = (taps(WIDTH, 1.0, dx, w), taps(HEIGHT, 1.0, dy, h));
        let mut colour = (taps(WIDTH / 2, 2.0, dx, w), taps(HEIGHT / 2, 2.0, dy, h));
        let rgb = match pixels {
            Photo::YCbCr(samples) => {
                for t in luma.0.iter_mut().chain(colour.0.iter_mut()) {
                    t.0 *= 3;
                    t.1 *= 3;
                }
                return Ok(Backdrop {
                    samples,
                    stride: w as usize * 3,
                    offsets: [0, 1, 2],
                    luma: (Columns::new(&luma.0, 3), luma.1),
                    colour: (Columns::new(&colour.0, 3), colour.1),
                });
            }
            Photo::Rgb(decoded) => decoded,
        };
        let owned;
        let picture = match rgb.as_rgb8() {
            Some(p) => p,
            None => {
                owned = rgb.to_rgb8();
                &owned
            }
        };
        // Only the part of the photo the cover shows (a landscape photo loses its sides) is
        // turned into YCbCr; the taps are moved to count from its corner.
        let span = |a: &[Tap], b: &[Tap]| {
            let first = a.iter().chain(b).map(|t| t.0).min().unwrap_or(0);
            let last = a.iter().chain(b).map(|t| t.1).max().unwrap_or(0);
            (first, last + 1 - first)
        };
        let (left, width) = span(&luma.0, &colour.0);
        let (top, height) = span(&luma.1, &colour.1);
        for (taps, from) in [
            (&mut luma.0, left),
            (&mut luma.1, top),
            (&mut colour.0, left),
            (&mut colour.1, top),
        ] {
            taps.iter_mut().for_each(|t| {
                t.0 -= from;
                t.1 -= from;
            });
        }
        let plane = width * height;
        let mut samples = vec![0; plane * 3];
        let (py, rest) = samples.split_at_mut(plane);
        let (pcb, pcr) = rest.split_at_mut(plane);
        let raw = picture.as_raw();
        let rows = py
            .chunks_exact_mut(width)
            .zip(pcb.chunks_exact_mut(width).zip(pcr.chunks_exact_mut(width)));
        for (r, (y, (cb, cr))) in rows.enumerate() {
            let at = ((top + r) * w as usize + left) * 3;
            kernels::to_ycbcr(&raw[at..][..width * 3], y, cb, cr);
        }
        Ok(Backdrop {
            samples,
            stride: width,
            offsets: [0, plane, 2 * plane],
            luma: (Columns::new(&luma.0, 1), luma.1),
            colour: (Columns::new(&colour.0, 1), colour.1),
        })
    }

    /// Room for the photo rows resampled to the cover's width, one pair for each plane.
    fn lines(&self) -> [Lines; 3] {
        let (luma, colour) = (self.luma.0.len(), self.colour.0.len());
        [luma, colour, colour].map(|n| [(usize::MAX, vec![0; n]), (usize::MAX, vec![0; n])])
    }

    /// The cover's 16 rows from `top` into Y, Cb and Cr (the last two at half size: 8 rows).
    fn draw(&self, top: usize, lines: &mut [Lines; 3], y: &mut [u8], cb: &mut [u8], cr: &mut [u8]) {
        let [luma, blue, red] = lines;
        let (columns, rows) = &self.luma;
        self.scale(0, columns, &rows[top..][..16], top, 1, luma, y);
        let (columns, rows) = &self.colour;
        let rows = &rows[top / 2..][..8];
        self.scale(1, columns, rows, top / 2, 2, blue, cb);
        self.scale(2, columns, rows, top / 2, 2, red, cr);
    }

    /// Plane `p` scaled through the taps into `out`, darkened by [`shade`] (towards black: the
    /// luma towards 0, the colour towards neutral); `first` is the first row's index and
    /// `step` the cover pixels a sample stands for. A photo row is resampled to the width once
    /// and kept in `lines` while the cover's rows fall between it and the next.
    #[allow(clippy::too_many_arguments)]
    fn scale(
        &self,
        p: usize,
        columns: &Columns,
        rows: &[Tap],
        first: usize,
        step: usize,
        lines: &mut Lines,
        out: &mut [u8],
    ) {
        let (src, stride) = (&self.samples[self.offsets[p]..], self.stride);
        let centre: i32 = if p == 0 { 0 } else { 128 << 8 };
        let resample =
            |r: usize, line: &mut [u32]| kernels::resample(&src[r * stride..], columns, line);
        let [upper, lower] = lines;
        for (i, (&(r0, r1, wy), line)) in rows
            .iter()
            .zip(out.chunks_exact_mut(columns.len()))
            .enumerate()
        {
            if upper.0 != r0 {
                if lower.0 == r0 {
                    std::mem::swap(upper, lower);
                } else {
                    resample(r0, &mut upper.1);
                    upper.0 = r0;
                }
            }
            if lower.0 != r1 {
                resample(r1, &mut lower.1);
                lower.0 = r1;
            }
            let at = ((first + i) * step) as f32 + step as f32 / 2.0;
            let keep = ((1.0 - shade(at)) * 256.0).round() as i32;
            kernels::blend(line, &upper.1, &lower.1, wy, keep, centre);
        }
    }
}

/// A colour JPEG's samples in its own YCbCr, interleaved, with its width and height; `None`
/// for any other photo (a PNG, a grey, CMYK or RGB-coded JPEG) or one that does not decode
/// so (the RGB path then says why, if anything is wrong).
fn ycbcr_jpeg(photo: &Image) -> Option<(Vec<u8>, u32, u32)> {
    use zune_jpeg::zune_core::{
        bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions,
    };
    if photo.format != crate::article::ImageFormat::Jpeg {
        return None;
    }
    // The reader checked the size against its own limits; these only stop the decoder's
    // smaller defaults from refusing what the reader accepted.
    let options = DecoderOptions::default()
        .set_max_width(usize::from(u16::MAX))
        .set_max_height(usize::from(u16::MAX))
        .jpeg_set_out_colorspace(ColorSpace::YCbCr);
    let mut decoder =
        zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(photo.data.as_slice()), options);
    decoder.decode_headers().ok()?;
    if decoder.input_colorspace()? != ColorSpace::YCbCr {
        return None;
    }
    let (w, h) = decoder.dimensions()?;
    let samples = decoder.decode().ok()?;
    (samples.len() == w * h * 3).then_some((samples, w as u32, h as u32))
}

/// Two photo rows resampled to the cover's width (values × 256), each with the photo row it
/// came from (`usize::MAX` for none yet).
type Lines = [(usize, Vec<u32>); 2];

/// The loops over every sample of the cover, each compiled twice: for the processor's AVX2
/// vector unit, used when it has one, and as the build targets. They are integer arithmetic,
/// which gives the same numbers either way.
mod kernels {
    use super::{Columns, Rgb, ycbcr};

    macro_rules! twice {
        ($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*) $body:block) => {
            $(#[$doc])*
            pub(super) fn $name($($arg: $ty),*) {
                #[inline(always)]
                fn body($($arg: $ty),*) $body
                #[cfg(target_arch = "x86_64")]
                if std::is_x86_feature_detected!("avx2") {
                    #[target_feature(enable = "avx2")]
                    fn avx2($($arg: $ty),*) {
                        body($($arg),*)
                    }
                    // SAFETY: the processor has AVX2 (checked just above).
                    return unsafe { avx2($($arg),*) };
                }
                body($($arg),*)
            }
        };
    }

    twice! {
        /// Two rows of words in white over their luma and the colour row between them (see
        /// [`super::lay_words`]).
        fn white(cover: &[u8], y: &mut [u8], cb: &mut [u8], cr: &mut [u8]) {
            for (luma, k) in y.iter_mut().zip(cover) {
                let (v, k) = (u32::from(*luma), u32::from(*k));
                *luma = (v + ((255 - v) * k + 127) / 255) as u8;
            }
            let (upper, lower) = cover.split_at(cover.len() / 2);
            let quads = upper.chunks_exact(2).zip(lower.chunks_exact(2));
            for ((a, b), (cb, cr)) in quads.zip(cb.iter_mut().zip(cr)) {
                let k = (u32::from(a[0]) + u32::from(a[1]) + u32::from(b[0]) + u32::from(b[1]) + 2) / 4;
                let keep = 255 - k as i32;
                for c in [cb, cr] {
                    let v = i32::from(*c) - 128;
                    *c = (128 + (v * keep + if v < 0 { -127 } else { 127 }) / 255) as u8;
                }
            }
        }
    }

    twice! {
        /// A row of RGB pixels into its Y, Cb and Cr samples.
        fn to_ycbcr(rgb: &[u8], y: &mut [u8], cb: &mut [u8], cr: &mut [u8]) {
            for (((p, y), cb), cr) in rgb.chunks_exact(3).zip(y).zip(cb).zip(cr) {
                [*y, *cb, *cr] = ycbcr(Rgb(p[0], p[1], p[2]));
            }
        }
    }

    /// A photo row resampled through the column taps into `line` (values × 256): each value
    /// the first sample × (256 − w) + the second × w. Where the processor has AVX2 and the row
    /// holds four bytes at every tap, eight taps are read by one gather (both samples are in
    /// the 32-bit word at the first) and weighed by one multiply-add; the integers are the
    /// same either way.
    pub(super) fn resample(row: &[u8], columns: &Columns, line: &mut [u32]) {
        assert_eq!(line.len(), columns.len(), "a value for every tap");
        #[cfg(target_arch = "x86_64")]
        if columns.reach <= row.len() && std::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, and every tap's four bytes are in `row` (both
            // checked just above).
            return unsafe { avx2::resample(row, columns, line) };
        }
        resample_portable(row, (&columns.at, &columns.weights), columns.step, line);
    }

    /// [`resample`] one tap at a time, through the taps' `at` and `weights` (see [`Columns`]).
    pub(super) fn resample_portable(
        row: &[u8],
        (at, weights): (&[i32], &[i32]),
        step: usize,
        line: &mut [u32],
    ) {
        for (out, (&at, &weights)) in line.iter_mut().zip(at.iter().zip(weights)) {
            let (at, w) = (at as usize, (weights >> 16) as u32);
            let first = u32::from(row[at]) * (256 - w);
            // A tap of weight 0 may have no second sample (the photo's right edge).
            *out = if w == 0 {
                first
            } else {
                first + u32::from(row[at + step]) * w
            };
        }
    }

    #[cfg(target_arch = "x86_64")]
    mod avx2 {
        use super::Columns;
        use std::arch::x86_64::*;

        /// See [`super::resample`]; the caller makes sure the processor has AVX2 and that
        /// `row` holds `columns.reach` bytes.
        #[target_feature(enable = "avx2")]
        pub(super) unsafe fn resample(row: &[u8], columns: &Columns, line: &mut [u32]) {
            debug_assert!(columns.reach <= row.len());
            // Each 32-bit word's first byte and the byte `step` after it, as two 16-bit
            // halves; the other bytes zeroed.
            let second = columns.step as i8;
            let lane: [i8; 16] = std::array::from_fn(|i| match (i / 4 * 4, i % 4) {
                (word, 0) => word as i8,
                (word, 2) => word as i8 + second,
                _ => -1,
            });
            // SAFETY: `lane` is the sixteen bytes the load reads.
            let pick =
                _mm256_broadcastsi128_si256(unsafe { _mm_loadu_si128(lane.as_ptr().cast()) });
            let n = line.len() / 8 * 8;
            for i in (0..n).step_by(8) {
                // SAFETY: `i + 8 <= n <= len` for the taps and the line (same length,
                // asserted by the caller); every `at` plus four bytes is within `row`.
                unsafe {
                    let at = _mm256_loadu_si256(columns.at[i..].as_ptr().cast());
                    let words = _mm256_i32gather_epi32::<1>(row.as_ptr().cast(), at);
                    let samples = _mm256_shuffle_epi8(words, pick);
                    let weights = _mm256_loadu_si256(columns.weights[i..].as_ptr().cast());
                    let values = _mm256_madd_epi16(samples, weights);
                    _mm256_storeu_si256(line[i..].as_mut_ptr().cast(), values);
                }
            }
            let taps = (&columns.at[n..], &columns.weights[n..]);
            super::resample_portable(row, taps, columns.step, &mut line[n..]);
        }
    }

    twice! {
        /// A cover row between two resampled photo rows (the lower weighing `wy` of 256),
        /// darkened to `keep` of 256 towards `centre` (× 256).
        fn blend(line: &mut [u8], upper: &[u32], lower: &[u32], wy: u32, keep: i32, centre: i32) {
            for ((o, &a), &b) in line.iter_mut().zip(upper).zip(lower) {
                let value = ((a * (256 - wy) + b * wy) >> 8) as i32 - centre;
                *o = ((centre + ((value * keep + 128) >> 8) + 128) >> 8).clamp(0, 255) as u8;
            }
        }
    }
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
    fn draw(&self, words: &mut Ink, text: &str, x: f32, y: f32, size: f32) {
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
            words.fill(&path);
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

    #[test]
    fn a_photo_that_does_not_decode_gives_the_plain_cover_and_a_warning() {
        let theme = Theme::default();
        let broken = Image {
            data: std::sync::Arc::new(b"\x89PNG but nothing after".to_vec()),
            format: crate::article::ImageFormat::Png,
            width: 40,
            height: 30,
            jpeg: None,
            png: None,
            pixels: Default::default(),
        };
        let mut warnings = Vec::new();
        let with_broken = cover_jpeg("Title", "Council", Some(&broken), &theme, &mut warnings);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.contains("the cover is plain"));
        let plain = cover_jpeg("Title", "Council", None, &theme, &mut Vec::new());
        assert_eq!(with_broken, plain, "the title where a plain cover has it");
    }

    #[test]
    fn a_jpeg_photo_read_in_ycbcr_draws_the_cover_its_pixels_draw() {
        // A photo with detail, as a JPEG (drawn from its own YCbCr) and as a PNG of the
        // JPEG's decoded pixels (drawn from RGB): the two covers differ by rounding only.
        let picture = image::RgbImage::from_fn(300, 200, |x, y| {
            image::Rgb([
                (x * 255 / 300) as u8,
                (y * 255 / 200) as u8,
                ((x ^ y) % 256) as u8,
            ])
        });
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageRgb8(picture)
            .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
                &mut jpeg, 90,
            ))
            .unwrap();
        let pixels = image::load_from_memory(&jpeg).unwrap();
        let mut png = Vec::new();
        pixels
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let photo = |data: Vec<u8>, format| Image {
            data: std::sync::Arc::new(data),
            format,
            width: 300,
            height: 200,
            jpeg: None,
            png: None,
            pixels: Default::default(),
        };
        let jpeg_photo = photo(jpeg, crate::article::ImageFormat::Jpeg);
        assert!(
            ycbcr_jpeg(&jpeg_photo).is_some(),
            "read in its own colour space"
        );
        let theme = Theme::default();
        let mut warnings = Vec::new();
        let png_photo = photo(png, crate::article::ImageFormat::Png);
        let covers = [jpeg_photo, png_photo].map(|p| {
            let bytes = cover_jpeg("T", "P", Some(&p), &theme, &mut warnings);
            image::load_from_memory(&bytes).unwrap().to_rgb8()
        });
        assert!(warnings.is_empty(), "{warnings:?}");
        let [a, b] = &covers;
        let total: u64 = a
            .as_raw()
            .iter()
            .zip(b.as_raw())
            .map(|(x, y)| u64::from(x.abs_diff(*y)))
            .sum();
        let mean = total as f64 / a.as_raw().len() as f64;
        assert!(mean < 1.5, "mean difference {mean:.2} of 255");
    }

    #[test]
    fn white_words_over_any_colour_are_white_and_neutral() {
        assert_eq!(ycbcr(Rgb(255, 255, 255)), [255, 128, 128]);
        assert_eq!(ycbcr(Rgb(0, 0, 0)), [0, 128, 128]);
        let [y0, cb0, cr0] = ycbcr(Rgb(30, 60, 120));
        let width = 32;
        let (mut y, mut cb, mut cr) = (
            vec![y0; width * 2],
            vec![cb0; width / 2],
            vec![cr0; width / 2],
        );
        // Full coverage on the first four columns of both rows, none elsewhere.
        let coverage: Vec<u8> = (0..width * 2)
            .map(|i| if i % width < 4 { 255 } else { 0 })
            .collect();
        lay_words(&mut y, &mut cb, &mut cr, &coverage, width, |_| true);
        assert_eq!((y[0], y[width + 3], cb[0], cr[1]), (255, 255, 128, 128));
        assert_eq!((y[4], cb[2], cr[2]), (y0, cb0, cr0));
    }

    #[test]
    fn resampling_gives_the_same_values_on_every_path() {
        // A photo row of noise, planar (step 1) and interleaved (step 3), scaled up and down,
        // with taps of weight 0 and 256 and the right edge's tap that has no second sample.
        let mut seed = 0x2545_f491_u32;
        let row: Vec<u8> = (0..3 * 640)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                seed as u8
            })
            .collect();
        for (step, samples, n) in [(1, 640, 1600), (3, 640, 1600), (1, 640, 203), (3, 640, 301)] {
            let mut taps: Vec<Tap> = (0..n)
                .map(|i| {
                    let at = (i as f32 + 0.5) * samples as f32 / n as f32 - 0.5;
                    let at = at.clamp(0.0, (samples - 1) as f32);
                    let first = at.floor() as usize;
                    let second = (first + 1).min(samples - 1);
                    let w = ((at - first as f32) * 256.0).round() as u32;
                    (first * step, second * step, w)
                })
                .collect();
            taps[1].2 = 256;
            taps[2].2 = 0;
            let last = (samples - 1) * step;
            taps[n - 1] = (last, last, 77);
            let columns = Columns::new(&taps, step);
            let expected: Vec<u32> = taps
                .iter()
                .map(|&(c0, c1, w)| u32::from(row[c0]) * (256 - w) + u32::from(row[c1]) * w)
                .collect();
            let mut line = vec![0; n];
            kernels::resample(&row, &columns, &mut line);
            assert_eq!(line, expected, "step {step}, {n} taps");
            let mut portable = vec![0; n];
            let taps = (columns.at.as_slice(), columns.weights.as_slice());
            kernels::resample_portable(&row, taps, step, &mut portable);
            assert_eq!(portable, expected, "step {step}, {n} taps, portable");
            // A row that ends at the last sample: too short for the gathers' words.
            let short = &row[..last + 1];
            kernels::resample(short, &columns, &mut line);
            assert_eq!(line, expected, "step {step}, {n} taps, short row");
        }
    }
}
