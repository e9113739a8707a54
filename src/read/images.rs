//! Loading and checking the images a source names: the path must stay inside the source's
//! folder, the file must exist, be a JPEG or PNG, decode completely (not truncated) and stay
//! within size limits that stop decompression bombs.

use crate::article::{Article, Block, Figure, Image, ImageFormat};
use crate::error::{Error, Location, Result};
use crate::read::Assets;
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

/// Refuses an image path that is empty, absolute, or climbs out of the source's folder; returns
/// it normalised (`./a/../b.png` → `b.png`, `\` → `/`).
pub fn check_path(path: &str) -> std::result::Result<String, String> {
    let p = path.trim().replace('\\', "/");
    if p.is_empty() {
        return Err("the image path is empty".into());
    }
    let b = p.as_bytes();
    let drive = b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic();
    if p.starts_with('/') || drive || p.contains("://") {
        return Err(
            "the path is absolute; images must sit in the source's folder or below it".into(),
        );
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("the path climbs out of the source's folder; copy the image next to the source".into());
                }
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return Err("the path names a folder, not an image".into());
    }
    Ok(parts.join("/"))
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
/// names each path (unknown paths get no line).
pub(crate) fn load_all(
    article: &mut Article,
    lines: &[(String, Location)],
    assets: &dyn Assets,
) -> Result<()> {
    for fig in figures_mut(article) {
        if fig.image.is_some() {
            continue;
        }
        let Some(src) = fig.src.clone() else { continue };
        let at = lines
            .iter()
            .find(|(p, _)| *p == src)
            .map(|(_, l)| *l)
            .unwrap_or_default();
        let fail = |message: String, help: Option<&str>| Error::Image {
            at,
            path: src.clone(),
            message,
            help: help.map(str::to_owned),
        };
        let rel = check_path(&src).map_err(|m| fail(m, None))?;
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
        let image = check_image(bytes).map_err(|(m, h)| fail(m, Some(h)))?;
        fig.src = Some(rel);
        fig.image = Some(image);
    }
    Ok(())
}

/// Checks that `bytes` are a whole JPEG or PNG within the limits; returns it with its size.
pub fn check_image(bytes: Vec<u8>) -> std::result::Result<Image, (String, &'static str)> {
    let format = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ImageFormat::Jpeg
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        ImageFormat::Png
    } else {
        return Err((
            "is not a JPEG or PNG image".into(),
            "export it as JPEG or PNG",
        ));
    };
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
    if width == 0 || height == 0 {
        return Err(("has no pixels".into(), "export the image again"));
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
    // A full decode is the only sure way to find a truncated file before a backend trips on it.
    let mut decoder = reader().into_decoder().map_err(damaged)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut pixels = image::DynamicImage::from_decoder(decoder).map_err(damaged)?;
    if format == ImageFormat::Jpeg && orientation != image::metadata::Orientation::NoTransforms {
        // A camera photo stored sideways with an EXIF orientation tag: PDF and most Word
        // versions ignore the tag while e-readers obey it, so the three formats would disagree.
        // Turn the pixels upright once, here, and every format shows the same picture.
        pixels.apply_orientation(orientation);
        let upright = encode_jpeg(&pixels).map_err(damaged)?;
        return Ok(Image {
            width: pixels.width(),
            height: pixels.height(),
            data: Arc::new(upright),
            format,
        });
    }
    Ok(Image {
        data: Arc::new(bytes),
        format,
        width,
        height,
    })
}

/// JPEG quality for photos that had to be re-encoded (only when turned upright): 90 keeps
/// them visually lossless at print size.
const REENCODE_QUALITY: u8 = 90;

/// Encodes pixels as a baseline RGB (or grey) JPEG.
fn encode_jpeg(pixels: &image::DynamicImage) -> image::ImageResult<Vec<u8>> {
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, REENCODE_QUALITY);
    match pixels.color() {
        image::ColorType::L8 | image::ColorType::L16 => {
            pixels.to_luma8().write_with_encoder(enc)?
        }
        _ => pixels.to_rgb8().write_with_encoder(enc)?,
    }
    Ok(out)
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
}
