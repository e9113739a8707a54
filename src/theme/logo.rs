//! The publisher's logo, checked once when the theme loads, so that no backend reads image
//! files or parses SVG.
//!
//! A PNG or JPEG logo goes through the same check as a source's images
//! ([`crate::read::images::check_image`]: size limits, whole file, metadata stripped). An SVG
//! logo is untrusted markup (a theme may sit beside the sources, supplied by whoever supplies
//! them): it is parsed by usvg with no access to files, fonts or the network, and
//! - re-written from usvg's tree, which holds only shapes, paint and geometry: no `script`, no
//!   event handler attribute, no `foreignObject`, no external reference of any kind survives
//!   (checked by the tests below); the EPUB shows this clean vector;
//! - rasterized by resvg to a PNG [`RASTER_HEIGHT`] pixels high, which the PDF and the DOCX
//!   draw (docs/decisions.md says why a raster rather than svg2pdf's vectors).

use super::Logo;

/// The raster's height in pixels: the logo prints 12 mm high (the PDF masthead and the DOCX
/// header), so 256 px is about 540 dpi there — sharp on any printer — and stays a few kB.
pub const RASTER_HEIGHT: u32 = 256;

/// The widest raster, for a very wide logo: 16 times its height.
const MAX_RASTER_WIDTH: u32 = 16 * RASTER_HEIGHT;

impl Logo {
    /// Checks a logo file (PNG, JPEG or SVG) and makes it ready for every format; the error
    /// says what is wrong, lowercase, for the theme loader to locate.
    pub fn load(data: Vec<u8>) -> Result<Logo, String> {
        if data.starts_with(b"\x89PNG") || data.starts_with(&[0xFF, 0xD8, 0xFF]) {
            let image = crate::read::images::check_image(data)
                .map_err(|(why, hint)| format!("{why}; {hint}"))?;
            return Ok(Logo { image, svg: None });
        }
        if !String::from_utf8_lossy(&data[..data.len().min(1024)]).contains("<svg") {
            return Err("is not a PNG, JPEG or SVG file".into());
        }
        let (clean, image) = svg(&data)?;
        Ok(Logo {
            image,
            svg: Some(clean),
        })
    }
}

/// Parses an SVG with nothing outside it reachable; returns the clean re-written SVG and its
/// checked PNG raster.
fn svg(data: &[u8]) -> Result<(String, crate::article::Image), String> {
    // usvg opens `<image href="…">` paths from disk by default: refuse every reference, file
    // or `data:` alike (a logo is shapes; a picture inside it is a PNG logo's job).
    let options = usvg::Options {
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(data, &options)
        .map_err(|e| format!("is not an SVG image that can be read ({e})"))?;
    let clean = tree.to_string(&usvg::WriteOptions::default());

    let size = tree.size();
    let (w, h) = (size.width(), size.height());
    if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0) {
        return Err("has no width or height".into());
    }
    let scale = (RASTER_HEIGHT as f32 / h).min(MAX_RASTER_WIDTH as f32 / w);
    let px_w = ((w * scale).round() as u32).max(1);
    let px_h = ((h * scale).round() as u32).max(1);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(px_w, px_h)
        .ok_or_else(|| "cannot be drawn at its size".to_owned())?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let png = pixmap
        .encode_png()
        .map_err(|e| format!("cannot be turned into a PNG ({e})"))?;
    // The raster goes through the same check as any image (and comes out as the model's PNG).
    let checked = crate::read::images::check_image(png)
        .map_err(|(why, hint)| format!("rasterized, {why}; {hint}"))?;
    Ok((clean, checked))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="40" onload="alert(1)">
  <script>alert(2)</script>
  <script xlink:href="https://evil.example/x.js"/>
  <style>@import url(https://evil.example/s.css); rect { fill: #c00 }</style>
  <rect width="120" height="40" onclick="alert(3)" fill="#036"/>
  <circle cx="20" cy="20" r="15" fill="url(https://evil.example/p.svg#g)"/>
  <image href="https://evil.example/track.png" width="10" height="10"/>
  <image xlink:href="file:///etc/passwd" width="10" height="10"/>
  <image href="../../secret.png" width="10" height="10"/>
  <image href="data:image/png;base64,iVBORw0KGgo=" width="10" height="10"/>
  <foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example"/></foreignObject>
  <a href="javascript:alert(4)"><rect x="50" width="10" height="10" fill="#fff"/></a>
  <use href="https://evil.example/sprite.svg#x"/>
</svg>"##;

    #[test]
    fn svg_logo_loses_scripts_handlers_and_every_reference() {
        let logo = Logo::load(HOSTILE.as_bytes().to_vec()).unwrap();
        let clean = logo.svg.as_deref().unwrap();
        for bad in [
            "script",
            "onload",
            "onclick",
            "alert",
            "evil",
            "https:",
            "file:",
            "passwd",
            "secret",
            "data:",
            "foreignObject",
            "iframe",
            "javascript",
            "<image",
            "@import",
            "href",
        ] {
            assert!(!clean.contains(bad), "`{bad}` survived:\n{clean}");
        }
        // The shapes themselves are kept.
        assert!(clean.contains("<path"), "{clean}");
        assert_eq!(logo.image.format, crate::article::ImageFormat::Png);
        assert_eq!(logo.image.height, RASTER_HEIGHT);
        assert_eq!(logo.image.width, 3 * RASTER_HEIGHT);
        assert!(logo.image.data.starts_with(b"\x89PNG"));
    }

    #[test]
    fn svg_logo_raster_is_the_same_bytes_every_time() {
        let a = Logo::load(HOSTILE.as_bytes().to_vec()).unwrap();
        let b = Logo::load(HOSTILE.as_bytes().to_vec()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn not_an_image_or_a_broken_svg_is_refused() {
        assert!(
            Logo::load(b"hello".to_vec())
                .unwrap_err()
                .contains("not a PNG")
        );
        let broken = Logo::load(b"<svg xmlns='http://www.w3.org/2000/svg'><rect".to_vec());
        let why = broken.unwrap_err();
        assert!(why.contains("that can be read"), "{why}");
        assert!(
            Logo::load(b"<svg xmlns='http://www.w3.org/2000/svg' width='0' height='0'/>".to_vec())
                .is_err()
        );
    }
}
