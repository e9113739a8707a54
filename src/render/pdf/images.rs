//! Images as PDF image XObjects. A JPEG goes in unchanged (DCTDecode passthrough, no
//! re-encoding): grey, RGB and CMYK, with the inverted `/Decode` that Adobe-marked CMYK JPEGs
//! need. A PNG is decoded and stored as Flate-compressed pixels, its alpha channel as an
//! `/SMask`. printpdf's own image path decodes and re-encodes JPEGs (and downsizes large
//! ones), so the stream is built here and registered as an external XObject.

use crate::article::{Image, ImageFormat};
use crate::error::{Error, Result};
use printpdf::{DictItem, ExternalStream, ExternalXObject};
use std::collections::BTreeMap;

/// The XObject for an image.
pub fn xobject(img: &Image) -> Result<ExternalXObject> {
    let stream = match img.format {
        ImageFormat::Jpeg => jpeg(&img.data)?,
        ImageFormat::Png => png(&img.data)?,
    };
    Ok(ExternalXObject {
        stream,
        width: None,
        height: None,
        dpi: None,
    })
}

fn name(s: &str) -> DictItem {
    DictItem::Name(s.as_bytes().to_vec())
}

fn image_dict(w: u32, h: u32, color_space: &str) -> BTreeMap<String, DictItem> {
    let mut d = BTreeMap::new();
    d.insert("Type".to_owned(), name("XObject"));
    d.insert("Subtype".to_owned(), name("Image"));
    d.insert("Width".to_owned(), DictItem::Int(i64::from(w)));
    d.insert("Height".to_owned(), DictItem::Int(i64::from(h)));
    d.insert("ColorSpace".to_owned(), name(color_space));
    d.insert("BitsPerComponent".to_owned(), DictItem::Int(8));
    d
}

/// What a JPEG's headers say: size, components, and whether an Adobe APP14 marker is present.
struct JpegInfo {
    width: u32,
    height: u32,
    components: u8,
    precision: u8,
    adobe: bool,
}

/// Reads the JPEG markers up to the first frame header (SOFn).
fn jpeg_info(data: &[u8]) -> Option<JpegInfo> {
    if data.get(..2) != Some(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    let mut adobe = false;
    while i + 4 <= data.len() {
        if data[i] != 0xFF {
            return None;
        }
        let marker = data[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([data[i + 2], data[i + 3]]));
        let body = data.get(i + 4..i + 2 + len)?;
        match marker {
            0xEE if body.starts_with(b"Adobe") => adobe = true,
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                return Some(JpegInfo {
                    precision: *body.first()?,
                    height: u32::from(u16::from_be_bytes([*body.get(1)?, *body.get(2)?])),
                    width: u32::from(u16::from_be_bytes([*body.get(3)?, *body.get(4)?])),
                    components: *body.get(5)?,
                    adobe,
                });
            }
            0xDA | 0xD9 => return None,
            _ => {}
        }
        i += 2 + len;
    }
    None
}

fn jpeg(data: &[u8]) -> Result<ExternalStream> {
    let info = jpeg_info(data).ok_or_else(|| {
        Error::render(
            "pdf",
            "a JPEG image has no readable frame header; re-save it as baseline JPEG",
        )
    })?;
    let space = match info.components {
        1 => "DeviceGray",
        3 => "DeviceRGB",
        4 => "DeviceCMYK",
        n => {
            return Err(Error::render(
                "pdf",
                format!("a JPEG image has {n} colour components; use RGB, grey or CMYK"),
            ));
        }
    };
    if info.precision != 8 || info.width == 0 || info.height == 0 {
        return Err(Error::render(
            "pdf",
            "a JPEG image is not 8-bit or has no size; re-save it as 8-bit JPEG",
        ));
    }
    let mut dict = image_dict(info.width, info.height, space);
    dict.insert("Filter".to_owned(), name("DCTDecode"));
    if info.components == 4 && info.adobe {
        // Photoshop and libjpeg write Adobe-marked CMYK JPEGs with inverted values; without
        // this /Decode the picture comes out as a negative.
        dict.insert(
            "Decode".to_owned(),
            DictItem::Array([1, 0, 1, 0, 1, 0, 1, 0].map(DictItem::Int).to_vec()),
        );
    }
    Ok(ExternalStream {
        dict,
        content: data.to_vec(),
        compress: false,
    })
}

fn png(data: &[u8]) -> Result<ExternalStream> {
    let img = image::load_from_memory_with_format(data, image::ImageFormat::Png).map_err(|e| {
        Error::render(
            "pdf",
            format!("a PNG image cannot be decoded ({e}); re-save it"),
        )
    })?;
    let (w, h) = (img.width(), img.height());
    let has_alpha = img.color().has_alpha();
    let grey = !img.color().has_color();
    let (pixels, alpha, space) = if grey {
        let la = img.to_luma_alpha8();
        let (mut g, mut a) = (
            Vec::with_capacity(la.len() / 2),
            Vec::with_capacity(la.len() / 2),
        );
        for p in la.pixels() {
            g.push(p.0[0]);
            a.push(p.0[1]);
        }
        (g, a, "DeviceGray")
    } else {
        let rgba = img.to_rgba8();
        let (mut c, mut a) = (
            Vec::with_capacity(rgba.len() / 4 * 3),
            Vec::with_capacity(rgba.len() / 4),
        );
        for p in rgba.pixels() {
            c.extend_from_slice(&p.0[..3]);
            a.push(p.0[3]);
        }
        (c, a, "DeviceRGB")
    };
    let mut dict = image_dict(w, h, space);
    if has_alpha && alpha.iter().any(|a| *a != 255) {
        let smask = ExternalStream {
            dict: image_dict(w, h, "DeviceGray"),
            content: alpha,
            compress: true,
        };
        dict.insert("SMask".to_owned(), DictItem::Stream { stream: smask });
    }
    Ok(ExternalStream {
        dict,
        content: pixels,
        compress: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_jpeg_is_an_error_not_a_panic() {
        assert!(jpeg(&[0xFF, 0xD8, 0xFF, 0xC0, 0x00]).is_err());
        assert!(jpeg(&[]).is_err());
        assert!(png(b"\x89PNG\r\n\x1a\n").is_err());
    }
}
