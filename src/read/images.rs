//! Loading and checking the images a source names: the path must stay inside the source's
//! folder, the file must exist, be a JPEG or PNG, be whole (not truncated) and stay within size
//! limits that stop decompression bombs.
//!
//! A PNG the PDF stores from its filtered rows (not interlaced, no `tRNS`; with alpha, the
//! alpha is split from the rows) has its chunks' CRCs and its image data's zlib stream
//! checked, rows counted but not unfiltered ([`rows_check`]); any other PNG is decoded
//! completely: the PDF stores its pixels, so they must decode. A JPEG goes into
//! every format byte for byte, so decoding it only to check it was the costliest step of a
//! build (30 M instructions of 189 M for the sample's 1600 × 1000 photo, under callgrind):
//! instead its marker segments are walked ([`jpeg_structure`]) — the frame header gives the
//! size, the entropy-coded data of every scan must end in a marker, and the file must reach its
//! end-of-image marker — which costs a pass over the bytes. Only a JPEG that must be turned
//! upright (EXIF orientation other than 1) is decoded, because it is re-encoded.

use crate::article::{
    Article, Block, Figure, Image, ImageFormat, JpegFacts, Pixels, PngColour, PngFacts,
};
use crate::error::{Error, Location, Result, Warning};
use crate::read::Assets;
use crate::read::path::{PathProblem, relative_path};
use image::ImageDecoder;
use std::io::Cursor;
use std::sync::Arc;

/// The largest width or height accepted: 20 000 px is beyond any print photo (a 300 dpi A4 page
/// is 2 480 × 3 508 px) and keeps a bomb's header from asking for absurd buffers.
pub const MAX_SIDE: u32 = 20_000;
/// The most pixels accepted: 100 megapixels (a medium-format camera's full frame).
pub const MAX_PIXELS: u64 = 100_000_000;
/// The most memory a decoder may allocate: 100 MP × 4 bytes, with headroom.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// Refuses an image path that is empty, absolute, or climbs out of the source's folder (the
/// check every named path goes through, [`relative_path`]); returns it normalised.
pub fn check_path(path: &str) -> std::result::Result<String, String> {
    relative_path(path).map_err(|problem| {
        match problem {
            PathProblem::Empty => "the image path is empty",
            PathProblem::Absolute => {
                "the path is absolute; images must sit in the source's folder or below it"
            }
            PathProblem::ClimbsOut => {
                "the path climbs out of the source's folder; copy the image next to the source"
            }
            PathProblem::Folder => "the path names a folder, not an image",
        }
        .to_owned()
    })
}

/// Every figure of the article in a fixed order: the photo, then body figures in reading order
/// (inside quotes and lists too), then figures in footnotes.
pub fn figures_mut(article: &mut Article) -> Vec<&mut Figure> {
    fn walk<'a>(blocks: &'a mut [Block], out: &mut Vec<&'a mut Figure>) {
        for b in blocks {
            match b {
                Block::Figure { figure } => out.push(figure),
                Block::Quote { blocks } => walk(blocks, out),
                Block::List { items, .. } => items.iter_mut().for_each(|i| walk(i, out)),
                _ => {}
            }
        }
    }
    let mut out: Vec<&mut Figure> = article.photo.iter_mut().collect();
    walk(&mut article.blocks, &mut out);
    for n in &mut article.notes {
        walk(&mut n.blocks, &mut out);
    }
    out
}

/// Loads every figure that names a file and has no image yet. `lines` says where the source
/// names each path (unknown paths get no line). Each path is read and checked once, however
/// many figures name it (a photo that is also a figure shares its bytes and its pixels), and
/// the paths are checked in parallel; what happens is reported in the figures' order.
pub(crate) fn load_all(
    article: &mut Article,
    lines: &[(String, Location)],
    assets: &dyn Assets,
    warnings: &mut Vec<Warning>,
) -> Vec<Error> {
    use rayon::prelude::*;
    let mut figures: Vec<&mut Figure> = figures_mut(article)
        .into_iter()
        .filter(|f| f.image.is_none() && f.src.is_some())
        .collect();
    let mut paths: Vec<String> = Vec::new();
    for fig in &figures {
        if let Some(src) = &fig.src
            && !paths.contains(src)
        {
            paths.push(src.clone());
        }
    }
    let at = |src: &str| {
        lines
            .iter()
            .find(|(p, _)| p == src)
            .map(|(_, l)| *l)
            .unwrap_or_default()
    };
    let loaded: Vec<Result<(String, Image, Vec<String>)>> = paths
        .par_iter()
        .map(|src| load_one(src, at(src), assets))
        .collect();
    let mut problems = Vec::new();
    for (src, result) in paths.iter().zip(loaded) {
        match result {
            Ok((rel, image, notes)) => {
                for note in notes {
                    warnings.push(Warning::at(at(src), format!("image `{src}` {note}")));
                }
                for fig in figures.iter_mut().filter(|f| f.src.as_ref() == Some(src)) {
                    fig.src = Some(rel.clone());
                    fig.image = Some(image.clone());
                }
            }
            // Every image is tried, so one run names every missing or bad file.
            Err(e) => problems.push(e),
        }
    }
    problems
}

/// Reads and checks the image a source names as `src` (at `at`): its normalised path, the
/// image and what was changed in it (for warnings), or why it cannot be used.
fn load_one(src: &str, at: Location, assets: &dyn Assets) -> Result<(String, Image, Vec<String>)> {
    let fail = |message: String, help: Option<&str>| Error::Image {
        at,
        path: src.to_owned(),
        message,
        help: help.map(str::to_owned),
    };
    let rel = check_path(src).map_err(|m| fail(m, None))?;
    let bytes = match assets.read(&rel) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(fail(
                "the file does not exist".into(),
                Some("check the path, relative to the source file"),
            ));
        }
        // The assets' own refusal (a path leading outside the folder) carries its message;
        // an operating-system "permission denied" has none and falls through.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied && e.get_ref().is_some() => {
            return Err(fail(
                e.to_string(),
                Some("images must sit in the source's folder or below it"),
            ));
        }
        Err(e) => return Err(fail(format!("cannot be read ({e})"), None)),
    };
    let (image, notes) = check_image_noting(bytes).map_err(|(m, h)| fail(m, Some(h)))?;
    Ok((rel, image, notes))
}

/// Checks that `bytes` are a whole JPEG or PNG within the limits; returns it with its size,
/// stripped of what rendering does not need ([`check_image_noting`]).
pub fn check_image(bytes: Vec<u8>) -> std::result::Result<Image, (String, &'static str)> {
    check_image_noting(bytes).map(|(image, _)| image)
}

/// [`check_image`], with what the reader should tell the user about the image (an animated
/// PNG reduced to its first frame).
///
/// What an image keeps is what rendering needs and nothing else, in every format: a JPEG keeps
/// its frame, tables, scans, its JFIF (`APP0`), colour profile (`APP2 ICC_PROFILE`) and Adobe
/// (`APP14`) segments — EXIF and XMP (`APP1`), Photoshop/IPTC (`APP13`), comments and other
/// application segments are dropped without re-encoding, and so are bytes after its end. A PNG
/// keeps its critical chunks and those that change how it looks (`tRNS`, `gAMA`, `cHRM`,
/// `sRGB`, `iCCP`, `sBIT`, `cICP`, `bKGD`, `pHYs`); text, `eXIf`, `tIME` and every other chunk
/// go, and so do an animated PNG's `acTL`, `fcTL` and `fdAT` (its default image is what every
/// format shows). An EXIF orientation other than upright is applied to the pixels first (the
/// one case where the image is re-encoded, its colour profile kept).
pub fn check_image_noting(
    bytes: Vec<u8>,
) -> std::result::Result<(Image, Vec<String>), (String, &'static str)> {
    let damaged = |why: String| {
        (
            format!("is damaged or truncated ({why})"),
            "export the image again",
        )
    };
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let facts = jpeg_structure(&bytes).map_err(|problem| match problem {
            JpegProblem::Damaged(why) => damaged(why),
            JpegProblem::Unsupported(what) => (
                format!("is a kind of JPEG that cannot be used ({what})"),
                "export it again as an 8-bit baseline or progressive JPEG",
            ),
        })?;
        check_size(facts.width, facts.height)?;
        let stripped = facts.stripped(&bytes);
        // EXIF orientations 2 to 8 ask for a turn or a mirror; anything else means upright.
        if !(2..=8).contains(&facts.orientation) {
            let image = Image {
                data: Arc::new(stripped),
                format: ImageFormat::Jpeg,
                width: facts.width,
                height: facts.height,
                jpeg: Some(facts.pdf()),
                png: None,
                pixels: Pixels::default(),
            };
            return Ok((image, Vec::new()));
        }
        let image = decode_and_check(stripped, ImageFormat::Jpeg, facts.orientation)?;
        return Ok((image, Vec::new()));
    }
    if bytes.starts_with(PNG_SIGNATURE) {
        // A bomb is refused by its header, before anything else is read.
        if let Some(ihdr) = bytes.get(12..24).filter(|h| h.starts_with(b"IHDR")) {
            let side = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
            check_size(side(&ihdr[4..8]), side(&ihdr[8..12]))?;
        }
        let png = png_structure(&bytes).map_err(|problem| match problem {
            PngProblem::Damaged(why) => damaged(why),
            PngProblem::Profile => (
                format!(
                    "has a colour profile (iCCP) that inflates to more than {} MB",
                    MAX_ICC_PROFILE / (1024 * 1024)
                ),
                "export it again with a standard sRGB profile, or none",
            ),
        })?;
        let mut notes = Vec::new();
        if png.animated {
            notes.push(
                "is an animated PNG: every format shows its first frame, without the animation"
                    .to_owned(),
            );
        }
        // A non-interlaced PNG goes into the PDF as it is stored, its alpha (if any) split
        // from the filtered rows: its rows are checked as they inflate, without keeping the
        // pixels, which nothing then needs.
        if let Some(facts) = png
            .facts
            .as_ref()
            .filter(|f| f.stored_as_is() || f.split_as_stored())
            && !(2..=8).contains(&png.orientation)
            && check_size(png.width, png.height).is_ok()
            && rows_check(&png.stripped, facts, png.width, png.height)
        {
            let image = Image {
                width: png.width,
                height: png.height,
                format: ImageFormat::Png,
                jpeg: None,
                png: Some(PngFacts {
                    intact: true,
                    ..facts.clone()
                }),
                pixels: Pixels::default(),
                data: Arc::new(png.stripped),
            };
            return Ok((image, notes));
        }
        // Anything else (interlaced, `tRNS`, a damaged stream) is decoded whole, and the
        // pixels are kept: the PDF needs them, and this is the one decode.
        let image = decode_and_check(png.stripped, ImageFormat::Png, png.orientation)?;
        return Ok((image, notes));
    }
    Err((
        "is not a JPEG or PNG image".into(),
        "export it as JPEG or PNG",
    ))
}

/// Refuses an image with no pixels or more than the limits allow.
fn check_size(width: u32, height: u32) -> std::result::Result<(), (String, &'static str)> {
    if width == 0 || height == 0 {
        return Err(("has no pixels".into(), "export the image again"));
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err((
            format!(
                "is too large to use ({width} × {height} px; the limit is {MAX_SIDE} px a side)"
            ),
            "downscale it to print size (3 000 px wide is plenty)",
        ));
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err((
            format!(
                "is too large to use ({width} × {height} px; the limit is {} megapixels)",
                MAX_PIXELS / 1_000_000
            ),
            "downscale it to print size (3 000 px wide is plenty)",
        ));
    }
    Ok(())
}

/// The full check: the header within the limits, then every pixel decoded. Used for PNG (the
/// PDF stores its decoded pixels) and for a JPEG that must be turned upright; `orientation` is
/// the EXIF orientation the caller read (the stripped bytes no longer carry it).
fn decode_and_check(
    bytes: Vec<u8>,
    format: ImageFormat,
    orientation: u16,
) -> std::result::Result<Image, (String, &'static str)> {
    let codec = match format {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
    };
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let reader = || {
        let mut r = image::ImageReader::with_format(Cursor::new(bytes.as_slice()), codec);
        r.limits(limits.clone());
        r
    };
    let damaged = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => (
            format!(
                "is too large to use (the limit is {MAX_SIDE} px a side and {} megapixels)",
                MAX_PIXELS / 1_000_000
            ),
            "downscale it to print size (3 000 px wide is plenty)",
        ),
        other => (
            format!("is damaged or truncated ({other})"),
            "export the image again",
        ),
    };
    let (width, height) = reader().into_dimensions().map_err(damaged)?;
    check_size(width, height)?;
    // A full decode is the only sure way to find a truncated PNG before a backend trips on it.
    let mut decoder = reader().into_decoder().map_err(damaged)?;
    let icc = decoder.icc_profile().ok().flatten();
    let orientation = image::metadata::Orientation::from_exif(orientation.min(255) as u8)
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut pixels = image::DynamicImage::from_decoder(decoder).map_err(damaged)?;
    if orientation == image::metadata::Orientation::NoTransforms {
        let (jpeg, png, pixels) = match format {
            ImageFormat::Jpeg => (
                jpeg_structure(&bytes).ok().map(|f| f.pdf()),
                None,
                Pixels::default(),
            ),
            ImageFormat::Png => (
                None,
                png_structure(&bytes).ok().and_then(|p| p.facts),
                Pixels::from_decoded(pixels),
            ),
        };
        return Ok(Image {
            data: Arc::new(bytes),
            format,
            width,
            height,
            jpeg,
            png,
            pixels,
        });
    }
    // A camera photo stored sideways with an EXIF orientation tag: PDF and most Word versions
    // ignore the tag while e-readers obey it, so the three formats would disagree. Turn the
    // pixels upright once, here, and every format shows the same picture.
    pixels.apply_orientation(orientation);
    let upright = match format {
        ImageFormat::Jpeg => encode_jpeg(&pixels, icc),
        ImageFormat::Png => encode_png(&pixels, icc),
    }
    .map_err(damaged)?;
    let jpeg = match format {
        ImageFormat::Jpeg => Some(jpeg_structure(&upright).map_err(|_| {
            (
                "cannot be turned upright".to_owned(),
                "export it upright and without an EXIF orientation",
            )
        })?),
        ImageFormat::Png => None,
    };
    let png = match format {
        ImageFormat::Jpeg => None,
        ImageFormat::Png => png_structure(&upright).ok().and_then(|p| p.facts),
    };
    Ok(Image {
        width: pixels.width(),
        height: pixels.height(),
        data: Arc::new(upright),
        format,
        jpeg: jpeg.map(|f| f.pdf()),
        png,
        pixels: Pixels::default(),
    })
}

/// What a JPEG's marker segments say, read without decoding a pixel.
#[derive(Debug, PartialEq, Eq)]
struct JpegWalk {
    width: u32,
    height: u32,
    /// Colour components (1, 3 or 4).
    components: u8,
    /// Whether an Adobe `APP14` segment is present.
    adobe: bool,
    /// The EXIF orientation (1 = upright, also when there is no EXIF or it cannot be read).
    orientation: u16,
    /// The byte ranges of the segments rendering does not need (see [`check_image_noting`]).
    strip: Vec<std::ops::Range<usize>>,
    /// Where the end-of-image marker ends.
    end: usize,
}

impl JpegWalk {
    /// The file without the stripped segments and without anything after its end.
    fn stripped(&self, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.end);
        let mut at = 0;
        for r in &self.strip {
            out.extend_from_slice(&data[at..r.start]);
            at = r.end;
        }
        out.extend_from_slice(&data[at..self.end]);
        out
    }

    /// What the PDF needs, for the model.
    fn pdf(&self) -> JpegFacts {
        JpegFacts {
            components: self.components,
            adobe: self.adobe,
        }
    }
}

/// Whether a JPEG segment (marker `code`, content `body`) is needed to show the picture: all
/// but the application segments and comments; of those, JFIF (`APP0`), a colour profile
/// (`APP2 ICC_PROFILE`) and Adobe's colour transform (`APP14`).
fn jpeg_segment_kept(code: u8, body: &[u8]) -> bool {
    match code {
        0xE0 => body.starts_with(b"JFIF\0"),
        0xE2 => body.starts_with(b"ICC_PROFILE\0"),
        0xEE => body.starts_with(b"Adobe"),
        0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
        _ => true,
    }
}

/// Why a JPEG is refused.
#[derive(Debug)]
enum JpegProblem {
    /// Broken or cut short.
    Damaged(String),
    /// Well-formed, but a kind the decoders and the PDF's DCTDecode path do not take.
    Unsupported(&'static str),
}

/// Walks a JPEG's marker segments from the start-of-image marker to the end-of-image marker
/// (ITU-T T.81, annex B): each segment's length must fit in the file; there must be one frame
/// header, 8-bit, sequential or progressive Huffman (what the image decoders and PDF readers
/// take), with 1, 3 or 4 components; each scan's entropy-coded data must end in a marker
/// (restart markers and stuffed `FF 00` bytes belong to the data); the file must reach the
/// end-of-image marker. Bytes after it are ignored, as decoders do.
fn jpeg_structure(data: &[u8]) -> std::result::Result<JpegWalk, JpegProblem> {
    use JpegProblem::{Damaged, Unsupported};
    let cut = || Damaged("the file ends before its end-of-image marker".into());
    if !data.starts_with(&[0xFF, 0xD8]) {
        return Err(Damaged("no start-of-image marker".into()));
    }
    let mut i = 2;
    let mut frame: Option<(u32, u32, u8)> = None;
    let mut orientation: Option<u16> = None;
    let mut adobe = false;
    let mut strip = Vec::new();
    let mut scans = 0usize;
    loop {
        let start = i;
        match data.get(i) {
            Some(0xFF) => {}
            Some(_) => return Err(Damaged(format!("no marker where one must be (byte {i})"))),
            None => return Err(cut()),
        }
        // Any number of 0xFF fill bytes may precede a marker's code.
        while data.get(i) == Some(&0xFF) {
            i += 1;
        }
        let code = *data.get(i).ok_or_else(cut)?;
        i += 1;
        match code {
            0xD9 => break,
            // Markers without a segment: TEM and the restart markers.
            0x01 | 0xD0..=0xD7 => continue,
            0x00 | 0xD8 => {
                return Err(Damaged(format!(
                    "an out-of-place marker FF {code:02X} (byte {})",
                    i - 2
                )));
            }
            _ => {}
        }
        let len = match data.get(i..i + 2) {
            Some(b) => usize::from(u16::from_be_bytes([b[0], b[1]])),
            None => return Err(cut()),
        };
        if len < 2 {
            return Err(Damaged(format!("a segment length of {len} (byte {i})")));
        }
        let body = data.get(i + 2..i + len).ok_or_else(cut)?;
        i += len;
        if !jpeg_segment_kept(code, body) {
            strip.push(start..i);
        }
        match code {
            // SOF0 baseline, SOF1 extended sequential, SOF2 progressive (Huffman coding).
            0xC0..=0xC2 => {
                if frame.is_some() {
                    return Err(Damaged("two frame headers".into()));
                }
                let (precision, components) = (body.first(), body.get(5));
                let (Some(&precision), Some(&components)) = (precision, components) else {
                    return Err(Damaged("a frame header cut short".into()));
                };
                if body.len() != 6 + 3 * usize::from(components) {
                    return Err(Damaged("a frame header of the wrong length".into()));
                }
                if precision != 8 {
                    return Err(Unsupported("not 8 bits per sample"));
                }
                if !matches!(components, 1 | 3 | 4) {
                    return Err(Unsupported(
                        "neither grey, colour nor CMYK (1, 3 or 4 components)",
                    ));
                }
                let height = u32::from(u16::from_be_bytes([body[1], body[2]]));
                let width = u32::from(u16::from_be_bytes([body[3], body[4]]));
                frame = Some((width, height, components));
            }
            0xC3 | 0xC7 | 0xCB | 0xCF => return Err(Unsupported("lossless")),
            0xC5 | 0xC6 | 0xCD | 0xCE => return Err(Unsupported("hierarchical")),
            0xC9 | 0xCA => return Err(Unsupported("arithmetic coding")),
            // SOS: its header, then entropy-coded data up to the next marker that is not a
            // restart marker (RST0..RST7) or a stuffed zero.
            0xDA => {
                if frame.is_none() {
                    return Err(Damaged("image data before the frame header".into()));
                }
                let n = usize::from(*body.first().unwrap_or(&0));
                if !(1..=4).contains(&n) || body.len() != 1 + 2 * n + 3 {
                    return Err(Damaged("a scan header of the wrong length".into()));
                }
                i = entropy_end(data, i).ok_or_else(cut)?;
                scans += 1;
            }
            // The first APP1 Exif segment; an unreadable one counts as upright, as decoders
            // treat it.
            0xE1 if orientation.is_none() && body.starts_with(b"Exif\0\0") => {
                orientation = Some(exif_orientation(&body[6..]).unwrap_or(1));
            }
            0xEE if body.starts_with(b"Adobe") => adobe = true,
            // DHT, DQT, DRI, DNL, COM, APPn, …: their content does not matter here.
            _ => {}
        }
    }
    let Some((width, height, components)) = frame else {
        return Err(Damaged("no frame header".into()));
    };
    if scans == 0 {
        return Err(Damaged("no image data".into()));
    }
    Ok(JpegWalk {
        width,
        height,
        components,
        adobe,
        orientation: orientation.unwrap_or(1),
        strip,
        end: i,
    })
}

/// Where a scan's entropy-coded data starting at `from` ends: the index of the `FF` of the
/// first marker that is neither a stuffed zero (`FF 00`) nor a restart marker, or `None` when
/// the file ends first.
fn entropy_end(data: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        i += data.get(i..)?.iter().position(|&b| b == 0xFF)?;
        match *data.get(i + 1)? {
            0x00 | 0xD0..=0xD7 => i += 2,
            _ => return Some(i),
        }
    }
}

/// The Orientation tag (0x0112) of IFD0 in an EXIF TIFF block, if it is there and readable.
fn exif_orientation(tiff: &[u8]) -> Option<u16> {
    let big_endian = match tiff.get(..4)? {
        b"MM\x00\x2a" => true,
        b"II\x2a\x00" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b: [u8; 2] = tiff.get(at..at + 2)?.try_into().ok()?;
        Some(if big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    };
    let b: [u8; 4] = tiff.get(4..8)?.try_into().ok()?;
    let ifd = usize::try_from(if big_endian {
        u32::from_be_bytes(b)
    } else {
        u32::from_le_bytes(b)
    })
    .ok()?;
    let entries = usize::from(u16_at(ifd)?);
    (0..entries)
        .map(|k| ifd + 2 + 12 * k)
        .find(|&entry| u16_at(entry) == Some(0x0112))
        // Type 3 (SHORT), count 1: the value sits in the first two bytes of the value field.
        .filter(|&entry| u16_at(entry + 2) == Some(3))
        .and_then(|entry| u16_at(entry + 8))
}

/// JPEG quality for photos that had to be re-encoded (only when turned upright): 90 keeps
/// them visually lossless at print size.
const REENCODE_QUALITY: u8 = 90;

/// Encodes pixels as a baseline RGB (or grey) JPEG, with the colour profile the original had.
fn encode_jpeg(pixels: &image::DynamicImage, icc: Option<Vec<u8>>) -> image::ImageResult<Vec<u8>> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, REENCODE_QUALITY);
    if let Some(icc) = icc {
        // A profile the encoder cannot hold is dropped: the picture still shows.
        let _ = enc.set_icc_profile(icc);
    }
    match pixels.color() {
        image::ColorType::L8 | image::ColorType::L16 => {
            pixels.to_luma8().write_with_encoder(enc)?
        }
        _ => pixels.to_rgb8().write_with_encoder(enc)?,
    }
    Ok(out)
}

/// Encodes pixels as a PNG, with the colour profile the original had.
fn encode_png(pixels: &image::DynamicImage, icc: Option<Vec<u8>>) -> image::ImageResult<Vec<u8>> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    let mut enc = image::codecs::png::PngEncoder::new(&mut out);
    if let Some(icc) = icc {
        let _ = enc.set_icc_profile(icc);
    }
    pixels.write_with_encoder(enc)?;
    Ok(out)
}

/// The eight bytes every PNG file starts with.
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The largest colour profile a PNG's `iCCP` chunk may inflate to. Real profiles are a few
/// kilobytes (sRGB IEC61966-2.1 is 3 kB) to a few hundred (device-link and print profiles);
/// a 4 MB PNG whose `iCCP` inflated to hundreds of megabytes cost that much memory before
/// this limit.
pub const MAX_ICC_PROFILE: usize = 4 * 1024 * 1024;

/// The PNG chunks kept: the critical ones and those that change how the picture looks.
const PNG_KEPT: [&[u8; 4]; 13] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
    b"cICP", b"bKGD", b"pHYs",
];

/// What a PNG's chunks say, and the file with only the chunks rendering needs.
struct PngWalk {
    stripped: Vec<u8>,
    /// The size its header gives.
    width: u32,
    height: u32,
    /// The EXIF orientation of an `eXIf` chunk (1 = upright, or none).
    orientation: u16,
    /// Whether it is an animated PNG (`acTL`).
    animated: bool,
    /// What the PDF needs, with ranges into `stripped` (`intact` not yet known); `None` when
    /// the header is not one the PNG specification allows (the decoder then says why).
    facts: Option<PngFacts>,
}

/// Whether a PNG's image data is what a PDF reader's `FlateDecode` with the PNG predictors
/// expects, checked without unfiltering or keeping a pixel (unfiltering the rows only to drop
/// them was most of the cost of a build with a PNG photo: `png`'s Paeth unfilter alone was a
/// third of it under perf): every chunk's CRC is right (as decoders check), the `IDAT` data is
/// one zlib stream that inflates, ends with its Adler-32 right (which decoders do not check but
/// PDF readers may) and is followed by nothing, it inflates to exactly `height` rows of a
/// filter-type byte (0 to 4) and the row's bytes. It is inflated through one buffer, chunk by
/// chunk ([`PngFacts::each_row`]). Any problem sends the PNG to the full decode, which says what is wrong, if
/// anything.
fn rows_check(data: &[u8], facts: &PngFacts, width: u32, height: u32) -> bool {
    chunk_crcs_right(data) && facts.each_row(data, width, height, |row| row[0] <= 4)
}

/// Whether every chunk's CRC (over its type and data) is right in a PNG whose chunks were
/// walked already ([`png_structure`] built it, so each chunk's length fits).
fn chunk_crcs_right(data: &[u8]) -> bool {
    let mut i = PNG_SIGNATURE.len();
    while let Some(header) = data.get(i..i + 8) {
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let (Some(covered), Some(crc)) = (
            data.get(i + 4..i + 8 + len),
            data.get(i + 8 + len..i + 12 + len),
        ) else {
            return false;
        };
        if crc32fast::hash(covered).to_be_bytes() != crc {
            return false;
        }
        i += 12 + len;
    }
    i == data.len()
}

/// The PNG header's facts (IHDR data: width, height, bit depth, colour type, compression,
/// filter, interlace), if they are a combination the specification allows.
fn png_header(ihdr: &[u8]) -> Option<(PngColour, u8, bool)> {
    let [depth, colour, 0, 0, interlace] = *ihdr.get(8..13)? else {
        return None;
    };
    let colour = match colour {
        0 => PngColour::Grey,
        2 => PngColour::Rgb,
        3 => PngColour::Palette,
        4 => PngColour::GreyAlpha,
        6 => PngColour::RgbAlpha,
        _ => return None,
    };
    let depth_allowed = match colour {
        PngColour::Grey => matches!(depth, 1 | 2 | 4 | 8 | 16),
        PngColour::Palette => matches!(depth, 1 | 2 | 4 | 8),
        _ => matches!(depth, 8 | 16),
    };
    (depth_allowed && interlace <= 1).then_some((colour, depth, interlace == 1))
}

/// Why a PNG is refused before it is decoded.
enum PngProblem {
    Damaged(String),
    /// Its colour profile inflates beyond [`MAX_ICC_PROFILE`].
    Profile,
}

/// Walks a PNG's chunks from the signature to `IEND`, keeping those in [`PNG_KEPT`] byte for
/// byte (their CRCs are checked by the decoder afterwards); an `iCCP` profile is inflated with
/// a cap, so a bomb is refused having cost at most [`MAX_ICC_PROFILE`] bytes.
fn png_structure(data: &[u8]) -> std::result::Result<PngWalk, PngProblem> {
    use PngProblem::Damaged;
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut i = PNG_SIGNATURE.len();
    let mut orientation = 1;
    let mut animated = false;
    let mut ihdr = None;
    let mut size = (0, 0);
    let mut transparency = false;
    let mut palette = None;
    let mut image_data = Vec::new();
    loop {
        let header = data
            .get(i..i + 8)
            .ok_or_else(|| Damaged("the file ends before its IEND chunk".into()))?;
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind: [u8; 4] = [header[4], header[5], header[6], header[7]];
        let end = i
            .checked_add(12)
            .and_then(|x| x.checked_add(len))
            .filter(|&e| e <= data.len())
            .ok_or_else(|| Damaged("the file ends inside a chunk".into()))?;
        let body = &data[i + 8..i + 8 + len];
        match &kind {
            b"iCCP" => check_profile(body)?,
            b"eXIf" => orientation = exif_orientation(body).unwrap_or(1),
            b"acTL" => animated = true,
            _ => {}
        }
        if PNG_KEPT.contains(&&kind) {
            // Where the chunk's data will be in the stripped file.
            let at = out.len() + 8..out.len() + 8 + len;
            match &kind {
                b"IHDR" if ihdr.is_none() => {
                    ihdr = png_header(body);
                    let side = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
                    if len >= 8 {
                        size = (side(&body[0..4]), side(&body[4..8]));
                    }
                }
                b"PLTE" => palette = Some(at),
                b"tRNS" => transparency = true,
                b"IDAT" => image_data.push(at),
                _ => {}
            }
            out.extend_from_slice(&data[i..end]);
        }
        i = end;
        if &kind == b"IEND" {
            let facts = ihdr.map(|(colour, bit_depth, interlaced)| PngFacts {
                colour,
                bit_depth,
                interlaced,
                transparency,
                palette,
                image_data,
                intact: false,
            });
            return Ok(PngWalk {
                stripped: out,
                width: size.0,
                height: size.1,
                orientation,
                animated,
                facts,
            });
        }
    }
}

/// Refuses an `iCCP` chunk (name, NUL, method, zlib data) whose profile inflates beyond
/// [`MAX_ICC_PROFILE`], inflating at most one byte more than that.
fn check_profile(body: &[u8]) -> std::result::Result<(), PngProblem> {
    use std::io::Read;
    let Some(nul) = body.iter().position(|&b| b == 0) else {
        return Err(PngProblem::Damaged(
            "a colour profile chunk without a name".into(),
        ));
    };
    let compressed = body.get(nul + 2..).unwrap_or_default();
    let mut inflated = flate2::read::ZlibDecoder::new(compressed).take(MAX_ICC_PROFILE as u64 + 1);
    let mut sink = [0u8; 64 * 1024];
    let mut total = 0usize;
    loop {
        match inflated.read(&mut sink) {
            Ok(0) => return Ok(()),
            Ok(n) => {
                total += n;
                if total > MAX_ICC_PROFILE {
                    return Err(PngProblem::Profile);
                }
            }
            Err(e) => {
                return Err(PngProblem::Damaged(format!(
                    "its colour profile does not inflate ({e})"
                )));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        assert!(check_path("/etc/passwd").is_err());
        assert!(check_path("C:\\Windows\\win.ini").is_err());
        assert!(check_path("../secret.png").is_err());
        assert!(check_path("img/../../x.png").is_err());
        assert!(check_path("file:///etc/passwd").is_err());
        assert_eq!(check_path("./img/../photo.jpg").unwrap(), "photo.jpg");
        assert_eq!(check_path("img\\a.png").unwrap(), "img/a.png");
    }

    #[test]
    fn refuses_non_images_and_truncated_files() {
        assert!(
            check_image(b"not an image".to_vec())
                .unwrap_err()
                .0
                .contains("not a JPEG or PNG")
        );
        let img = image::RgbImage::from_pixel(64, 64, image::Rgb([10, 20, 30]));
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let ok = check_image(png.clone()).unwrap();
        assert_eq!((ok.width, ok.height, ok.format), (64, 64, ImageFormat::Png));
        png.truncate(png.len() / 2);
        assert!(
            check_image(png)
                .unwrap_err()
                .0
                .contains("damaged or truncated")
        );
    }

    #[test]
    fn refuses_a_decompression_bomb_by_its_header() {
        // A PNG header claiming 30 000 × 30 000 px: refused before any pixel is decoded.
        let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        png.extend_from_slice(&30_000u32.to_be_bytes());
        png.extend_from_slice(&30_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0]);
        let crc = crc32(&png[12..]);
        png.extend_from_slice(&crc.to_be_bytes());
        let err = check_image(png).unwrap_err().0;
        assert!(err.contains("too large"), "{err}");
    }

    #[test]
    fn a_sideways_camera_photo_is_turned_upright() {
        // 40 × 20 pixels, EXIF orientation 6 ("rotate 90° clockwise to display").
        let img = image::RgbImage::from_fn(40, 20, |x, _| image::Rgb([(x * 6) as u8, 0, 0]));
        let mut jpeg = Vec::new();
        img.write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .unwrap();
        // An APP1 Exif segment with one IFD entry: Orientation (0x0112) = 6, big-endian TIFF.
        let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01".to_vec();
        tiff.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0]);
        let mut app1 = b"Exif\x00\x00".to_vec();
        app1.extend_from_slice(&tiff);
        let mut with_exif = jpeg[..2].to_vec();
        with_exif.extend_from_slice(&[0xFF, 0xE1]);
        with_exif.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        with_exif.extend_from_slice(&app1);
        with_exif.extend_from_slice(&jpeg[2..]);
        let checked = check_image(with_exif).unwrap();
        assert_eq!((checked.width, checked.height), (20, 40), "turned upright");
        let plain = check_image(jpeg.clone()).unwrap();
        assert_eq!((plain.width, plain.height), (40, 20));
        assert_eq!(*plain.data, jpeg, "an upright JPEG is kept byte for byte");
    }

    /// A small baseline JPEG from the image crate's encoder.
    fn baseline_jpeg() -> Vec<u8> {
        let img = image::RgbImage::from_fn(40, 24, |x, y| {
            image::Rgb([(x * 6) as u8, (y * 9) as u8, 90])
        });
        let mut jpeg = Vec::new();
        img.write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .unwrap();
        jpeg
    }

    /// A 48 × 32 progressive JPEG with restart markers (10 scans, DRI, 56 RSTn), made with
    /// Pillow: what the image crate's encoder cannot write.
    const PROGRESSIVE: &[u8] = include_bytes!("../../tests/fixtures/progressive-restart.jpg");

    #[test]
    fn a_whole_jpeg_is_accepted_without_decoding_and_kept_byte_for_byte() {
        for (jpeg, size) in [
            (baseline_jpeg(), (40, 24)),
            (PROGRESSIVE.to_vec(), (48, 32)),
        ] {
            let decoded = image::load_from_memory(&jpeg).unwrap();
            assert_eq!(
                (decoded.width(), decoded.height()),
                size,
                "the fixture decodes"
            );
            let checked = check_image(jpeg.clone()).unwrap();
            assert_eq!((checked.width, checked.height), size);
            assert_eq!(*checked.data, jpeg);
            // Bytes after the end-of-image marker are ignored, as decoders ignore them.
            let mut trailing = jpeg.clone();
            trailing.extend_from_slice(b"camera maker's trailer");
            assert!(check_image(trailing).is_ok());
        }
    }

    #[test]
    fn a_jpeg_cut_anywhere_is_refused() {
        for jpeg in [baseline_jpeg(), PROGRESSIVE.to_vec()] {
            for len in 3..jpeg.len() {
                let err = check_image(jpeg[..len].to_vec()).unwrap_err().0;
                assert!(err.contains("damaged or truncated"), "cut at {len}: {err}");
            }
        }
    }

    #[test]
    fn a_jpeg_with_broken_markers_is_refused() {
        let jpeg = baseline_jpeg();
        let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        // The scan's marker overwritten: the walk finds no marker where one must be.
        let mut broken = jpeg.clone();
        broken[sos] = 0x00;
        assert!(check_image(broken).unwrap_err().0.contains("damaged"));
        // A segment whose length runs past the end of the file.
        let mut long = jpeg.clone();
        long[sos + 2..sos + 4].copy_from_slice(&0xFFFFu16.to_be_bytes());
        assert!(check_image(long).unwrap_err().0.contains("damaged"));
        // No frame header at all.
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        let mut frameless = jpeg.clone();
        frameless[sof + 1] = 0xFE; // now a comment segment
        assert!(check_image(frameless).unwrap_err().0.contains("damaged"));
    }

    #[test]
    fn a_jpeg_kind_nothing_can_show_is_refused_by_name() {
        let jpeg = baseline_jpeg();
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        let mut arithmetic = jpeg.clone();
        arithmetic[sof + 1] = 0xC9;
        let err = check_image(arithmetic).unwrap_err().0;
        assert!(err.contains("arithmetic coding"), "{err}");
        let mut twelve_bit = jpeg.clone();
        twelve_bit[sof + 4] = 12;
        let err = check_image(twelve_bit).unwrap_err().0;
        assert!(err.contains("8 bits"), "{err}");
    }

    #[test]
    fn a_jpeg_bomb_is_refused_by_its_frame_header() {
        // The frame header claims 30 000 × 30 000 px (a 3.6 GB decode) in a 1 kB file.
        let mut jpeg = baseline_jpeg();
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        jpeg[sof + 5..sof + 7].copy_from_slice(&30_000u16.to_be_bytes());
        jpeg[sof + 7..sof + 9].copy_from_slice(&30_000u16.to_be_bytes());
        let err = check_image(jpeg.clone()).unwrap_err().0;
        assert!(err.contains("too large"), "{err}");
        // 12 000 × 9 000 px is within 20 000 a side but over 100 megapixels.
        jpeg[sof + 5..sof + 7].copy_from_slice(&9_000u16.to_be_bytes());
        jpeg[sof + 7..sof + 9].copy_from_slice(&12_000u16.to_be_bytes());
        let err = check_image(jpeg).unwrap_err().0;
        assert!(err.contains("megapixels"), "{err}");
    }

    #[test]
    fn exif_orientation_is_read_in_both_byte_orders() {
        let mut be = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01".to_vec();
        be.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0, 6, 0, 0]);
        assert_eq!(exif_orientation(&be), Some(6));
        let mut le = b"II\x2a\x00\x08\x00\x00\x00\x01\x00".to_vec();
        le.extend_from_slice(&[0x12, 0x01, 0x03, 0x00, 1, 0, 0, 0, 8, 0, 0, 0]);
        assert_eq!(exif_orientation(&le), Some(8));
        assert_eq!(exif_orientation(&le[..14]), None, "cut short");
        assert_eq!(exif_orientation(b"XX\x00\x2a"), None);
    }

    /// A PNG chunk: length, type, data, CRC.
    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        let crc = crc32(&c[4..]);
        c.extend_from_slice(&crc.to_be_bytes());
        c
    }

    /// A JPEG segment: marker, length, body.
    fn segment(code: u8, body: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, code];
        s.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(body);
        s
    }

    /// `png` (from the image crate: IHDR, IDAT, IEND) with `extra` chunks after IHDR.
    fn png_with(extra: &[Vec<u8>]) -> Vec<u8> {
        let img =
            image::RgbImage::from_fn(16, 8, |x, y| image::Rgb([x as u8 * 16, y as u8 * 30, 7]));
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let ihdr_end = 8 + 12 + 13;
        let mut out = png[..ihdr_end].to_vec();
        for c in extra {
            out.extend_from_slice(c);
        }
        out.extend_from_slice(&png[ihdr_end..]);
        out
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(data).unwrap();
        z.finish().unwrap()
    }

    const SECRET: &[u8] = b"GPS 51.5N 0.1W serial 1234";

    #[test]
    fn jpeg_metadata_is_stripped_and_its_colour_profile_kept() {
        let jpeg = baseline_jpeg();
        let mut exif = b"Exif\0\0".to_vec();
        exif.extend_from_slice(SECRET);
        let mut xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>".to_vec();
        xmp.extend_from_slice(SECRET);
        let mut icc = b"ICC_PROFILE\0\x01\x01".to_vec();
        icc.extend_from_slice(b"a colour profile");
        let adobe = b"Adobe\0\x64\0\0\0\0\x01".to_vec();
        let mut with = jpeg[..2].to_vec();
        for s in [
            segment(0xE1, &exif),
            segment(0xE1, &xmp),
            segment(0xED, SECRET),
            segment(0xFE, SECRET),
            segment(0xE2, &icc),
            segment(0xEE, &adobe),
        ] {
            with.extend_from_slice(&s);
        }
        with.extend_from_slice(&jpeg[2..]);
        with.extend_from_slice(SECRET);
        let checked = check_image(with).unwrap();
        let data = checked.data.as_slice();
        assert!(
            !data.windows(SECRET.len()).any(|w| w == SECRET),
            "metadata left"
        );
        assert!(
            data.windows(16).any(|w| w == b"a colour profile"),
            "ICC kept"
        );
        assert_eq!(checked.jpeg.map(|f| f.adobe), Some(true), "Adobe kept");
        assert_eq!(checked.jpeg.map(|f| f.components), Some(3));
        assert!(data.ends_with(&[0xFF, 0xD9]), "nothing after the end");
        // The same picture: stripping touched no pixel.
        let a = image::load_from_memory(data).unwrap().to_rgb8();
        let b = image::load_from_memory(&jpeg).unwrap().to_rgb8();
        assert_eq!(a, b);
    }

    #[test]
    fn png_text_time_and_exif_chunks_are_stripped_and_a_small_profile_kept() {
        let mut text = b"Comment\0".to_vec();
        text.extend_from_slice(SECRET);
        let mut itxt = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
        itxt.extend_from_slice(SECRET);
        let mut ztxt = b"Author\0\0".to_vec();
        ztxt.extend_from_slice(&zlib(SECRET));
        let mut iccp = b"sRGB-ish\0\0".to_vec();
        iccp.extend_from_slice(&zlib(&[7u8; 3000]));
        let png = png_with(&[
            chunk(b"tEXt", &text),
            chunk(b"iTXt", &itxt),
            chunk(b"zTXt", &ztxt),
            chunk(b"eXIf", SECRET),
            chunk(b"tIME", &[7, 234, 12, 4, 12, 0, 0]),
            chunk(b"iCCP", &iccp),
        ]);
        let (checked, notes) = check_image_noting(png).unwrap();
        assert!(notes.is_empty());
        let data = checked.data.as_slice();
        for kind in [b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"tIME"] {
            assert!(!data.windows(4).any(|w| w == kind), "{kind:?} left");
        }
        assert!(data.windows(4).any(|w| w == b"iCCP"), "the profile is kept");
        assert!(!data.windows(SECRET.len()).any(|w| w == SECRET));
        assert_eq!((checked.width, checked.height), (16, 8));
    }

    #[test]
    fn png_profile_that_inflates_beyond_the_limit_is_refused() {
        // 64 MiB of zeros deflate to about 64 kB.
        let mut iccp = b"bomb\0\0".to_vec();
        iccp.extend_from_slice(&zlib(&vec![0u8; 64 * 1024 * 1024]));
        assert!(iccp.len() < 200_000);
        let err = check_image(png_with(&[chunk(b"iCCP", &iccp)]))
            .unwrap_err()
            .0;
        assert!(
            err.contains("colour profile") && err.contains("4 MB"),
            "{err}"
        );
    }

    #[test]
    fn an_animated_png_keeps_its_first_frame_with_a_note() {
        let mut fctl = 0u32.to_be_bytes().to_vec();
        fctl.extend_from_slice(&[
            0, 0, 0, 16, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 10, 0, 0,
        ]);
        let png = png_with(&[
            chunk(b"acTL", &[0, 0, 0, 2, 0, 0, 0, 0]),
            chunk(b"fcTL", &fctl),
        ]);
        let mut png = png;
        // A second frame's data after the default image, before IEND.
        let iend = png.len() - 12;
        let mut fdat = 1u32.to_be_bytes().to_vec();
        fdat.extend_from_slice(b"frame two");
        png.splice(iend..iend, chunk(b"fdAT", &fdat));
        let (checked, notes) = check_image_noting(png).unwrap();
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("first frame"), "{notes:?}");
        let data = checked.data.as_slice();
        for kind in [b"acTL", b"fcTL", b"fdAT"] {
            assert!(!data.windows(4).any(|w| w == kind), "{kind:?} left");
        }
        assert!(image::load_from_memory(data).is_ok());
    }

    /// Two unfiltered rows of eight grey-blue RGB pixels.
    fn plain_rows() -> Vec<u8> {
        (0..2)
            .flat_map(|_| [0].into_iter().chain([90u8; 24]))
            .collect()
    }

    /// An 8 × 2 RGB PNG of [`plain_rows`], its zlib checksum broken when asked.
    fn plain_png(broken_checksum: bool) -> Vec<u8> {
        let mut data = zlib(&plain_rows());
        if broken_checksum {
            *data.last_mut().unwrap() ^= 1;
        }
        png_of((8, 2), 8, 2, &[&data])
    }

    /// A PNG of `size` (width, height), bit depth `depth` and colour type `colour`, with one
    /// `IDAT` chunk for each of `image_data` (a grey palette when the type needs one).
    fn png_of(size: (u32, u32), depth: u8, colour: u8, image_data: &[&[u8]]) -> Vec<u8> {
        let mut ihdr = size.0.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&size.1.to_be_bytes());
        ihdr.extend_from_slice(&[depth, colour, 0, 0, 0]);
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend_from_slice(&chunk(b"IHDR", &ihdr));
        if colour == 3 {
            let grey: Vec<u8> = (0..=255u8).flat_map(|v| [v, v, v]).collect();
            png.extend_from_slice(&chunk(b"PLTE", &grey));
        }
        for data in image_data {
            png.extend_from_slice(&chunk(b"IDAT", data));
        }
        png.extend_from_slice(&chunk(b"IEND", &[]));
        png
    }

    /// [`rows_check`] on a PNG, as the reader calls it.
    fn rows_pass(png: &[u8]) -> bool {
        let walk = png_structure(png).ok().unwrap();
        let facts = walk.facts.as_ref().unwrap();
        assert!(facts.stored_as_is(), "{facts:?}");
        rows_check(&walk.stripped, facts, walk.width, walk.height)
    }

    /// `rows` rows of 1 + `row` bytes each, filter types 0 to 4 in turn.
    fn filtered_rows(rows: usize, row: usize) -> Vec<u8> {
        (0..rows)
            .flat_map(|y| {
                [(y % 5) as u8]
                    .into_iter()
                    .chain((0..row).map(move |x| (x * y) as u8))
            })
            .collect()
    }

    #[test]
    fn rows_check_takes_whole_image_data_however_it_is_split() {
        // The image crate's own PNG: 300 × 200 RGB, more than one 64 KiB buffer inflated.
        let img = image::RgbImage::from_fn(300, 200, |x, y| {
            image::Rgb([(x * 7) as u8, (y * 3) as u8, (x ^ y) as u8])
        });
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert!(rows_pass(&png));
        // Its zlib stream cut across four `IDAT` chunks, one of them empty.
        let walk = png_structure(&png).ok().unwrap();
        let facts = walk.facts.unwrap();
        let data: Vec<u8> = facts
            .image_data
            .iter()
            .flat_map(|r| walk.stripped[r.clone()].to_vec())
            .collect();
        let (a, b) = data.split_at(data.len() / 3);
        let (b, c) = b.split_at(1);
        assert!(rows_pass(&png_of((300, 200), 8, 2, &[a, &[], b, c])));
        // Rows that end inside a byte: 9 px of 1-bit grey take 2 bytes, of 4-bit palette 5.
        assert!(rows_pass(&png_of(
            (9, 7),
            1,
            0,
            &[&zlib(&filtered_rows(7, 2))]
        )));
        assert!(rows_pass(&png_of(
            (9, 7),
            4,
            3,
            &[&zlib(&filtered_rows(7, 5))]
        )));
        // 16-bit RGB: 6 bytes a pixel.
        assert!(rows_pass(&png_of(
            (5, 3),
            16,
            2,
            &[&zlib(&filtered_rows(3, 30))]
        )));
        let checked = check_image(png_of((9, 7), 1, 0, &[&zlib(&filtered_rows(7, 2))])).unwrap();
        assert!(checked.png.unwrap().intact && !checked.pixels.is_decoded());
    }

    #[test]
    fn rows_check_refuses_what_a_pdf_reader_would_trip_on() {
        let rows = filtered_rows(6, 24);
        let size = (8, 6);
        assert!(rows_pass(&png_of(size, 8, 2, &[&zlib(&rows)])));
        let mut refused: Vec<(&str, Vec<u8>)> = Vec::new();
        // A filter type beyond Paeth (4), in the last row.
        let mut bad_filter = rows.clone();
        bad_filter[5 * 25] = 5;
        refused.push(("bad filter", png_of(size, 8, 2, &[&zlib(&bad_filter)])));
        // A row short, a byte short, a row too many, a byte too many: whole zlib streams.
        refused.push(("row short", png_of(size, 8, 2, &[&zlib(&rows[..5 * 25])])));
        refused.push((
            "byte short",
            png_of(size, 8, 2, &[&zlib(&rows[..rows.len() - 1])]),
        ));
        let mut long = rows.clone();
        long.extend_from_slice(&rows[..25]);
        refused.push(("row too many", png_of(size, 8, 2, &[&zlib(&long)])));
        long.truncate(rows.len() + 1);
        refused.push(("byte too many", png_of(size, 8, 2, &[&zlib(&long)])));
        // The right rows, with a wrong Adler-32.
        let mut adler = zlib(&rows);
        *adler.last_mut().unwrap() ^= 1;
        refused.push(("Adler-32", png_of(size, 8, 2, &[&adler])));
        // The stream cut before its end (its checksum and last block missing).
        let whole = zlib(&rows);
        refused.push(("cut", png_of(size, 8, 2, &[&whole[..whole.len() - 6]])));
        // Bytes after the stream's end, in its chunk or in a chunk of their own.
        let mut trailing = whole.clone();
        trailing.extend_from_slice(b"junk");
        refused.push(("trailing", png_of(size, 8, 2, &[&trailing])));
        refused.push(("trailing chunk", png_of(size, 8, 2, &[&whole, b"junk"])));
        // Not a zlib stream at all.
        refused.push(("not zlib", png_of(size, 8, 2, &[&rows])));
        // A chunk whose CRC is wrong.
        let mut crc = png_of(size, 8, 2, &[&whole]);
        let iend = crc.len() - 12;
        crc[iend - 1] ^= 1;
        refused.push(("CRC", crc));
        for (what, png) in refused {
            assert!(!rows_pass(&png), "{what}");
            // The full decode then refuses it, or stores its pixels rather than its data.
            if let Ok(checked) = check_image(png) {
                assert!(!checked.png.unwrap().intact, "{what}");
                assert!(checked.pixels.is_decoded(), "{what}");
            }
        }
    }

    #[test]
    fn an_opaque_png_keeps_no_pixels_and_an_alpha_png_its_decoded_ones() {
        let plain = check_image(plain_png(false)).unwrap();
        let facts = plain.png.clone().unwrap();
        assert!(facts.intact && facts.stored_as_is(), "{facts:?}");
        assert_eq!((facts.colour, facts.bit_depth), (PngColour::Rgb, 8));
        assert!(
            !plain.pixels.is_decoded(),
            "checked row by row, nothing kept"
        );
        // Where the image data is: the chunk's data, byte for byte.
        assert_eq!(
            &plain.data[facts.image_data[0].clone()],
            zlib(&plain_rows())
        );
        // Decoders ignore a wrong zlib checksum, so the PNG is accepted, but it is decoded
        // and stored as pixels rather than handed to PDF readers as it is.
        let broken = check_image(plain_png(true)).unwrap();
        assert!(!broken.png.unwrap().intact);
        assert!(broken.pixels.is_decoded());
        // A PNG with alpha is checked row by row too (the PDF splits its filtered rows); its
        // pixels decode only when asked for.
        let rgba = image::RgbaImage::from_pixel(4, 4, image::Rgba([1, 2, 3, 100]));
        let mut png = Vec::new();
        rgba.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let checked = check_image(png).unwrap();
        let facts = checked.png.clone().unwrap();
        assert_eq!(facts.colour, PngColour::RgbAlpha);
        assert!(facts.intact && facts.split_as_stored() && !facts.stored_as_is());
        assert!(!checked.pixels.is_decoded());
        assert_eq!(
            checked.decoded().unwrap().to_rgba8().get_pixel(0, 0).0,
            [1, 2, 3, 100]
        );
        // A `tRNS` colour cannot be split from the rows: the check decodes, the pixels stay.
        let keyed = check_image(png_with(&[chunk(b"tRNS", &[0, 0, 0, 30, 0, 7])])).unwrap();
        let facts = keyed.png.clone().unwrap();
        assert!(facts.transparency && !facts.stored_as_is() && !facts.split_as_stored());
        assert!(keyed.pixels.is_decoded());
    }

    #[test]
    fn rows_longer_than_the_deflate_window_are_checked_whole() {
        // 20 000 px of 8-bit grey and alpha: a 40 001-byte row, longer than the 32 KiB a
        // match may reach back, over several moves of the inflate buffer.
        let img = image::GrayAlphaImage::from_fn(20_000, 6, |x, y| {
            image::LumaA([(x / 7 + y) as u8, (x % 251) as u8])
        });
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let walk = png_structure(&png).ok().unwrap();
        let facts = walk.facts.clone().unwrap();
        assert!(facts.split_as_stored());
        let mut rows = Vec::new();
        assert!(
            facts.each_row(&walk.stripped, walk.width, walk.height, |r| {
                rows.push(r.len());
                true
            })
        );
        assert_eq!(rows, vec![40_001; 6]);
        assert!(rows_check(&walk.stripped, &facts, walk.width, walk.height));
        // One row fewer than the header says, or one more, is not whole.
        assert!(!rows_check(
            &walk.stripped,
            &facts,
            walk.width,
            walk.height + 1
        ));
        assert!(!rows_check(
            &walk.stripped,
            &facts,
            walk.width,
            walk.height - 1
        ));
        // A row the callback refuses stops the walk.
        let mut seen = 0;
        assert!(
            !facts.each_row(&walk.stripped, walk.width, walk.height, |_| {
                seen += 1;
                seen < 3
            })
        );
        assert_eq!(seen, 3);
    }

    /// CRC-32 (ISO-HDLC), as PNG chunks carry it.
    fn crc32(data: &[u8]) -> u32 {
        let mut c = !0u32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    #[test]
    fn a_file_named_twice_is_read_once_and_shared() {
        use crate::read::{Assets, SourceFormat, read};
        use std::sync::atomic::{AtomicUsize, Ordering};
        /// One PNG, and how often it was read.
        struct Counting(Vec<u8>, AtomicUsize);
        impl Assets for Counting {
            fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
                match path {
                    "chart.png" => {
                        self.1.fetch_add(1, Ordering::Relaxed);
                        Ok(self.0.clone())
                    }
                    _ => Err(std::io::ErrorKind::NotFound.into()),
                }
            }
        }
        let assets = Counting(png_with(&[]), AtomicUsize::new(0));
        let brief = "---\ntitle: Twice\nphoto:\n  path: chart.png\n  alt: A chart\n---\n\n\
                     Text.\n\n![The chart again](chart.png)\n\n![Gone](missing.png)\n\n\
                     ![And again](chart.png)\n";
        let error = read(SourceFormat::Markdown, brief.as_bytes(), "twice", &assets)
            .err()
            .unwrap();
        assert!(error.to_string().contains("missing.png"), "{error}");
        assert_eq!(assets.1.load(Ordering::Relaxed), 1, "read once");
        let brief = brief.replace("![Gone](missing.png)\n\n", "");
        let article = read(SourceFormat::Markdown, brief.as_bytes(), "twice", &assets)
            .unwrap()
            .article;
        assert_eq!(
            assets.1.load(Ordering::Relaxed),
            2,
            "once more for the second read"
        );
        let photo = article
            .photo
            .as_ref()
            .and_then(|f| f.image.as_ref())
            .unwrap();
        let figures: Vec<_> = article
            .blocks
            .iter()
            .filter_map(|b| match b {
                crate::article::Block::Figure { figure } => figure.image.as_ref(),
                _ => None,
            })
            .collect();
        assert_eq!(figures.len(), 2);
        for image in figures {
            assert!(std::sync::Arc::ptr_eq(&image.data, &photo.data));
        }
    }
}
