//! The image files of the book: the article's bytes as given, or, above what an e-reader can
//! use, the same picture scaled down and re-encoded in its own format.

use crate::article::{Image, ImageFormat};
use crate::error::Warning;
use crate::read::images::check_image;
use crate::theme::{LogoFormat, Theme};
use std::borrow::Cow;

/// The publisher's logo as a file of the book.
pub(super) struct LogoFile {
    /// Path inside the package, relative to the package document.
    pub href: String,
    /// The file's bytes, as the theme gives them.
    pub data: Vec<u8>,
    /// The media type.
    pub mime: &'static str,
}

/// The theme's logo as a file of the book: a PNG or JPEG that decodes (scaled down like any
/// image above [`MAX_PIXELS`]), or an SVG that is well-formed XML with an `svg` root (an SVG
/// image is an EPUB 3 core media type). Anything else is left out with a warning.
pub(super) fn logo(theme: &Theme, warnings: &mut Vec<Warning>) -> Option<LogoFile> {
    let logo = theme.logo.as_ref()?;
    if logo.format == LogoFormat::Svg {
        if !is_svg(&logo.data) {
            warnings.push(Warning::new(
                "epub: the SVG logo is not well-formed XML with an `svg` root; it is left out of the title page",
            ));
            return None;
        }
        return Some(LogoFile {
            href: "images/logo.svg".into(),
            data: logo.data.clone(),
            mime: "image/svg+xml",
        });
    }
    let image = match check_image(logo.data.clone()) {
        Ok(image) => image,
        Err((why, hint)) => {
            warnings.push(Warning::new(format!(
                "epub: the logo {why}; it is left out of the title page ({hint})"
            )));
            return None;
        }
    };
    let data = file_bytes(&image, warnings).into_owned();
    Some(LogoFile {
        href: format!("images/logo.{}", image.format.extension()),
        data,
        mime: image.format.mime(),
    })
}

/// Whether the bytes are well-formed XML whose root element is `svg`.
fn is_svg(data: &[u8]) -> bool {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(data);
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut root_is_svg = None;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                if depth == 0 && root_is_svg.is_none() {
                    root_is_svg = Some(e.local_name().as_ref() == b"svg");
                }
                depth += 1;
            }
            Ok(Event::Empty(e)) => {
                if depth == 0 && root_is_svg.is_none() {
                    root_is_svg = Some(e.local_name().as_ref() == b"svg");
                }
            }
            Ok(Event::End(_)) => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            Ok(Event::Eof) => return depth == 0 && root_is_svg == Some(true),
            Ok(_) => {}
            Err(_) => return false,
        }
        buf.clear();
    }
}

/// Pixels above which an image is scaled down: issue 5 asks for "downscale above ~4
/// megapixels", which is also about Kindle's recommended cover size (2560 × 1600 = 4.1 MP).
pub(super) const MAX_PIXELS: u64 = 4_000_000;

/// JPEG quality for a scaled-down photo: 85 is libjpeg's usual "high quality" setting, where
/// artefacts are not visible at reading size.
const JPEG_QUALITY: u8 = 85;

/// The pixel size the book uses for an image of `width` × `height`: unchanged up to
/// [`MAX_PIXELS`], else scaled (aspect kept) to fit under it.
pub(super) fn fitted_size(width: u32, height: u32) -> (u32, u32) {
    let pixels = u64::from(width) * u64::from(height);
    if pixels <= MAX_PIXELS {
        return (width, height);
    }
    let scale = (MAX_PIXELS as f64 / pixels as f64).sqrt();
    let fit = |v: u32| ((f64::from(v) * scale).floor() as u32).max(1);
    (fit(width), fit(height))
}

/// The bytes to store for the image: as given when it fits, else scaled down to
/// [`fitted_size`]. When it cannot be decoded here the original is kept, with a warning.
pub(super) fn file_bytes<'a>(image: &'a Image, warnings: &mut Vec<Warning>) -> Cow<'a, [u8]> {
    let (w, h) = fitted_size(image.width, image.height);
    if (w, h) == (image.width, image.height) {
        return Cow::Borrowed(image.data.as_slice());
    }
    match scale_down(image, w, h) {
        Ok(bytes) => {
            warnings.push(Warning::new(format!(
                "epub: a {}×{} image was scaled down to {w}×{h} (e-readers gain nothing above {} megapixels)",
                image.width,
                image.height,
                MAX_PIXELS / 1_000_000
            )));
            Cow::Owned(bytes)
        }
        Err(e) => {
            warnings.push(Warning::new(format!(
                "epub: a {}×{} image could not be scaled down ({e}); it is stored as given",
                image.width, image.height
            )));
            Cow::Borrowed(image.data.as_slice())
        }
    }
}

fn scale_down(image: &Image, w: u32, h: u32) -> Result<Vec<u8>, image::ImageError> {
    let format = match image.format {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
    };
    let decoded = image::load_from_memory_with_format(&image.data, format)?;
    let small = decoded.resize_exact(w, h, image::imageops::FilterType::Lanczos3);
    let mut out = Vec::new();
    match image.format {
        ImageFormat::Jpeg => {
            let rgb = small.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
                .encode_image(&rgb)?;
        }
        ImageFormat::Png => {
            small.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)?
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_logo_must_be_well_formed_with_an_svg_root() {
        assert!(is_svg(
            b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>"
        ));
        assert!(!is_svg(b"<svg><rect></svg>"));
        assert!(!is_svg(b"<html/>"));
        assert!(!is_svg(b"not xml"));
    }

    #[test]
    fn only_images_above_four_megapixels_shrink_and_keep_their_aspect() {
        assert_eq!(fitted_size(2000, 2000), (2000, 2000));
        let (w, h) = fitted_size(6000, 4000);
        assert!(u64::from(w) * u64::from(h) <= MAX_PIXELS);
        assert_eq!((w, h), (2449, 1632));
        assert_eq!(fitted_size(100_000, 1), (100_000, 1));
    }
}
