//! The image files of the book: the article's bytes as given, or, above what an e-reader can
//! use, the same picture scaled down and re-encoded in its own format.

use crate::article::{Image, ImageFormat};
use crate::error::Warning;
use crate::theme::Theme;
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

/// The theme's logo as a file of the book: the clean SVG for an SVG logo (an SVG image is an
/// EPUB 3 core media type), else the PNG or JPEG (scaled down like any image above
/// [`MAX_PIXELS`]). The theme checked it when it loaded ([`crate::theme::Logo::load`]).
pub(super) fn logo(theme: &Theme, warnings: &mut Vec<Warning>) -> Option<LogoFile> {
    let logo = theme.logo.as_ref()?;
    if let Some(svg) = &logo.svg {
        return Some(LogoFile {
            href: "images/logo.svg".into(),
            data: svg.as_bytes().to_vec(),
            mime: "image/svg+xml",
        });
    }
    let image = logo.image.clone();
    let data = file_bytes(&image, warnings).into_owned();
    Some(LogoFile {
        href: format!("images/logo.{}", image.format.extension()),
        data,
        mime: image.format.mime(),
    })
}

/// Pixels above which an image is scaled down: about 4 megapixels, e-readers' largest screens
/// and about Kindle's recommended cover size (2560 × 1600 = 4.1 MP).
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

fn scale_down(image: &Image, w: u32, h: u32) -> Result<Vec<u8>, String> {
    let decoded = image.decoded()?;
    let small = decoded.resize_exact(w, h, image::imageops::FilterType::Lanczos3);
    let mut out = Vec::new();
    match image.format {
        ImageFormat::Jpeg => {
            let rgb = small.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
                .encode_image(&rgb)
                .map_err(|e| e.to_string())?;
        }
        ImageFormat::Png => small
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .map_err(|e| e.to_string())?,
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_images_above_four_megapixels_shrink_and_keep_their_aspect() {
        assert_eq!(fitted_size(2000, 2000), (2000, 2000));
        let (w, h) = fitted_size(6000, 4000);
        assert!(u64::from(w) * u64::from(h) <= MAX_PIXELS);
        assert_eq!((w, h), (2449, 1632));
        assert_eq!(fitted_size(100_000, 1), (100_000, 1));
    }
}
