//! Images as PDF image XObjects. A JPEG goes in unchanged (DCTDecode passthrough, no
//! re-encoding): grey, RGB and CMYK, with the inverted `/Decode` that Adobe-marked CMYK JPEGs
//! need. An opaque, non-interlaced PNG goes in without being decoded either: its image data
//! (the `IDAT` chunks' zlib stream) is a `FlateDecode` stream whose `/DecodeParms` name the
//! PNG predictors, a palette becomes an `/Indexed` colour space over the `PLTE` triples. A
//! non-interlaced PNG with alpha is inflated once but never unfiltered: each filtered row is
//! split into its colour and its alpha bytes, which are deflated again as two such streams,
//! the alpha as an `/SMask` ([`png_split`]). Any other PNG (`tRNS` transparency, interlaced)
//! is stored as its decoded pixels, the alpha channel as an `/SMask`. printpdf's own image
//! path decodes and re-encodes every image (and downsizes large ones), so the stream is built
//! here and registered as an external XObject.
//!
//! An image with more pixels than 300 dpi needs at the largest size it is printed is
//! downsampled to exactly 300 dpi (a triangle filter, both sides by the same factor, so the
//! aspect ratio stays); a JPEG is then re-encoded at quality 90, the only case where it is.
//! CMYK JPEGs are left as they are: decoding them loses the ink values the file was prepared
//! with.

use crate::article::{Image, ImageFormat, JpegFacts, PngColour, PngFacts};
use crate::error::{Error, Result};
use crate::render::archive::Deflater;
use printpdf::{DictItem, ExternalStream, ExternalXObject};
use std::collections::BTreeMap;

/// Print resolution images are kept at: 300 dpi, the usual requirement for offset printing.
const PRINT_DPI: f32 = 300.0;
/// An image is downsampled only when it has this much more than it needs per side: 10 %
/// leaves alone images that only rounding makes "too large", where re-encoding would cost
/// quality for nothing.
const DOWNSAMPLE_SLACK: f32 = 1.1;
/// JPEG quality of a downsampled photograph: 90 is visually lossless for photographs at
/// 300 dpi and what print workflows commonly use.
const JPEG_QUALITY: u8 = 90;
/// The filter images are downsampled with: a triangle (bilinear, widened with the scale so
/// every source pixel counts) costs a third of Lanczos 3's taps and, going down to 300 dpi,
/// shows no ringing and no visible softening in print.
const DOWNSAMPLE_FILTER: image::imageops::FilterType = image::imageops::FilterType::Triangle;

/// The dictionary key that marks a stream whose content [`Deferred`] holds.
const DEFERRED_KEY: &str = "BriefpressDeferred";

/// The image streams' contents, held back while printpdf builds its lopdf document: it copies
/// every external stream's content into its lopdf stream (`ExternalStream::into_lopdf`), and
/// for the sample with charts (a 1600 × 1000 RGBA chart's 4.8 MB of colour and 1.6 MB of
/// alpha) those copies' page faults and `memcpy` were a fifth of the PDF's time under perf.
/// Each stream goes to printpdf empty, marked with its content's index, and gets its content
/// back, moved, in the lopdf document.
#[derive(Default)]
pub struct Deferred(Vec<Vec<u8>>);

impl Deferred {
    /// Takes the content of `stream` and of the streams in its dictionary (a soft mask).
    pub fn hold(&mut self, stream: &mut ExternalStream) {
        for item in stream.dict.values_mut() {
            if let DictItem::Stream { stream } = item {
                self.hold(stream);
            }
        }
        let index = self.0.len() as i64;
        self.0.push(std::mem::take(&mut stream.content));
        stream
            .dict
            .insert(DEFERRED_KEY.to_owned(), DictItem::Int(index));
    }

    /// Gives every marked stream of `doc` its content back and drops the mark (the other keys
    /// keep their order, so the file is what it would have been).
    pub fn restore(mut self, doc: &mut lopdf::Document) -> Result<()> {
        let key = DEFERRED_KEY.as_bytes();
        for object in doc.objects.values_mut() {
            let lopdf::Object::Stream(stream) = object else {
                continue;
            };
            let Ok(index) = stream.dict.get(key).and_then(lopdf::Object::as_i64) else {
                continue;
            };
            let content = usize::try_from(index)
                .ok()
                .and_then(|i| self.0.get_mut(i))
                .map(std::mem::take)
                .ok_or_else(|| Error::render("pdf", "an image stream's content went missing"))?;
            stream.dict = stream
                .dict
                .iter()
                .filter(|(k, _)| k.as_slice() != key)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            stream.set_content(content);
        }
        Ok(())
    }
}

/// The pixel size an image needs when printed at `printed` (width, height in points), or
/// `None` when it is not larger than that.
pub fn target_size(pixels: (u32, u32), printed: (f32, f32)) -> Option<(u32, u32)> {
    let (w, h) = (pixels.0.max(1) as f32, pixels.1.max(1) as f32);
    let need_w = printed.0 / 72.0 * PRINT_DPI;
    let need_h = printed.1 / 72.0 * PRINT_DPI;
    // One factor for both sides keeps the aspect ratio.
    let factor = (need_w / w).max(need_h / h);
    if !factor.is_finite() || factor <= 0.0 || factor * DOWNSAMPLE_SLACK >= 1.0 {
        return None;
    }
    let nw = (w * factor).round().max(1.0) as u32;
    let nh = (h * factor).round().max(1.0) as u32;
    Some((nw, nh))
}

/// The XObject for an image printed at most `printed` (width, height in points) large.
pub fn xobject(img: &Image, printed: (f32, f32)) -> Result<ExternalXObject> {
    let target = target_size((img.width, img.height), printed);
    let stream = match img.format {
        ImageFormat::Jpeg => {
            // The reader read the JPEG's headers once (`read::images::check_image`).
            let facts = img.jpeg.ok_or_else(|| {
                Error::render(
                    "pdf",
                    "a JPEG image was not checked by `read::images::check_image`; check it first",
                )
            })?;
            match target {
                Some(size) if facts.components != 4 => downsampled_jpeg(img, size)?,
                _ => jpeg(&img.data, img.width, img.height, facts)?,
            }
        }
        ImageFormat::Png => {
            let facts = img.png.as_ref().ok_or_else(|| {
                Error::render(
                    "pdf",
                    "a PNG image was not checked by `read::images::check_image`; check it first",
                )
            })?;
            match target {
                None if facts.intact && facts.stored_as_is() => png_as_stored(img, facts)?,
                None if facts.intact && facts.split_as_stored() => png_split(img, facts)?,
                _ => png_pixels(img, target)?,
            }
        }
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
    image_dict_with(w, h, name(color_space), 8)
}

fn image_dict_with(w: u32, h: u32, space: DictItem, bits: u8) -> BTreeMap<String, DictItem> {
    let mut d = BTreeMap::new();
    d.insert("Type".to_owned(), name("XObject"));
    d.insert("Subtype".to_owned(), name("Image"));
    d.insert("Width".to_owned(), DictItem::Int(i64::from(w)));
    d.insert("Height".to_owned(), DictItem::Int(i64::from(h)));
    d.insert("ColorSpace".to_owned(), space);
    d.insert(
        "BitsPerComponent".to_owned(),
        DictItem::Int(i64::from(bits)),
    );
    d
}

/// A PNG's image data stored as it is in the file: the `IDAT` chunks' data, concatenated, is
/// one zlib stream of filtered rows, which is what `FlateDecode` with `/Predictor 15` (PNG
/// predictors, chosen per row) reads (ISO 32000-1, 7.4.4.4). No pixel is inflated here.
fn png_as_stored(img: &Image, facts: &PngFacts) -> Result<ExternalStream> {
    let slice = |r: &std::ops::Range<usize>| {
        img.data.get(r.clone()).ok_or_else(|| {
            Error::render(
                "pdf",
                "a PNG image's chunks do not match its bytes; check it with `read::images::check_image`",
            )
        })
    };
    let (space, colours) = match facts.colour {
        PngColour::Grey => (name("DeviceGray"), 1),
        PngColour::Rgb => (name("DeviceRGB"), 3),
        PngColour::Palette => {
            let plte = facts
                .palette
                .as_ref()
                .map(slice)
                .transpose()?
                .unwrap_or_default();
            let hival = (plte.len() / 3).saturating_sub(1);
            let space = DictItem::Array(vec![
                name("Indexed"),
                name("DeviceRGB"),
                DictItem::Int(hival as i64),
                DictItem::String {
                    data: plte.to_vec(),
                    literal: false,
                },
            ]);
            (space, 1)
        }
        // `stored_as_is` sends these to `png_pixels`.
        PngColour::GreyAlpha | PngColour::RgbAlpha => {
            return Err(Error::render(
                "pdf",
                "a PNG with alpha cannot be stored without decoding",
            ));
        }
    };
    let mut content = Vec::with_capacity(facts.image_data.iter().map(|r| r.len()).sum());
    for r in &facts.image_data {
        content.extend_from_slice(slice(r)?);
    }
    Ok(png_rows_stream(
        img,
        space,
        colours,
        facts.bit_depth,
        content,
    ))
}

/// An image stream of `content`, deflated PNG-filtered rows of `img`'s size in colour space
/// `space`: `/FlateDecode` with `/DecodeParms << /Predictor 15 >>` (a filter type byte on
/// every row) over `colours` samples of `bits` a pixel.
fn png_rows_stream(
    img: &Image,
    space: DictItem,
    colours: i64,
    bits: u8,
    content: Vec<u8>,
) -> ExternalStream {
    let parms = BTreeMap::from([
        ("Predictor".to_owned(), DictItem::Int(15)),
        ("Colors".to_owned(), DictItem::Int(colours)),
        (
            "BitsPerComponent".to_owned(),
            DictItem::Int(i64::from(bits)),
        ),
        ("Columns".to_owned(), DictItem::Int(i64::from(img.width))),
    ]);
    let mut dict = image_dict_with(img.width, img.height, space, bits);
    dict.insert("Filter".to_owned(), name("FlateDecode"));
    dict.insert("DecodeParms".to_owned(), DictItem::Dict { map: parms });
    ExternalStream {
        dict,
        content,
        compress: false,
    }
}

/// A PNG with alpha (grey or RGB, 8 or 16 bits, not interlaced) stored from its filtered
/// rows, never unfiltered: the image data is inflated once, each row's colour bytes and
/// alpha bytes go to two streams under the row's own filter type (a PNG filter predicts a
/// byte from the same byte of the pixel before and of the row above, so each part is the
/// filtered row of its own image), and the two are deflated with the PNG predictors named,
/// the alpha as the `/SMask` — unless every pixel is opaque, which [`opaque_row`] reads from
/// the filtered bytes. Decoding the PNG, unfiltering it and splitting the pixels was most of
/// a PDF's time for a brief with an RGBA chart.
fn png_split(img: &Image, facts: &PngFacts) -> Result<ExternalStream> {
    let damaged = || {
        Error::render(
            "pdf",
            "a PNG image's data does not inflate to its rows; check it with `read::images::check_image`",
        )
    };
    let (colours, space) = match facts.colour {
        PngColour::GreyAlpha => (1, "DeviceGray"),
        PngColour::RgbAlpha => (3, "DeviceRGB"),
        _ => return Err(damaged()),
    };
    let sample = match facts.bit_depth {
        8 => 1,
        16 => 2,
        _ => return Err(damaged()),
    };
    let (width, height) = (img.width as usize, img.height as usize);
    let (colour_row, alpha_row) = (1 + width * colours * sample, 1 + width * sample);
    // Zeroed once by the allocator (fresh pages), each row then written in place.
    let mut colour = vec![0u8; height * colour_row];
    let mut alpha = vec![0u8; height * alpha_row];
    let mut opaque = true;
    let mut y = 0;
    let whole = facts.each_row(&img.data, img.width, img.height, |row| {
        let (Some(c), Some(a)) = (
            colour.get_mut(y * colour_row..(y + 1) * colour_row),
            alpha.get_mut(y * alpha_row..(y + 1) * alpha_row),
        ) else {
            return false;
        };
        split_row(row, colours, sample, c, a);
        opaque = opaque && opaque_row(row[0], y == 0, &a[1..], sample);
        y += 1;
        true
    });
    if !whole {
        return Err(damaged());
    }
    let deflate = |data: &[u8]| {
        Deflater::new(super::finish::FLATE_LEVEL, true)
            .deflate(data)
            .map_err(|e| Error::render("pdf", format!("an image cannot be compressed ({e})")))
    };
    let (colour, alpha) = if opaque {
        (deflate(&colour)?, None)
    } else {
        let (c, a) = rayon::join(|| deflate(&colour), || deflate(&alpha));
        (c?, Some(a?))
    };
    let mut image = png_rows_stream(img, name(space), colours as i64, facts.bit_depth, colour);
    if let Some(alpha) = alpha {
        let smask = png_rows_stream(img, name("DeviceGray"), 1, facts.bit_depth, alpha);
        image
            .dict
            .insert("SMask".to_owned(), DictItem::Stream { stream: smask });
    }
    Ok(image)
}

/// One filtered row of `colours` samples and an alpha sample a pixel (`sample` bytes each)
/// written as a filtered row of the colour and one of the alpha, each under the row's filter
/// type byte.
fn split_row(row: &[u8], colours: usize, sample: usize, colour: &mut [u8], alpha: &mut [u8]) {
    /// One row's pixels of `N` bytes, the first `C` of them colour.
    fn split<const N: usize, const C: usize>(row: &[u8], colour: &mut [u8], alpha: &mut [u8]) {
        for ((p, c), a) in row
            .chunks_exact(N)
            .zip(colour.chunks_exact_mut(C))
            .zip(alpha.chunks_exact_mut(N - C))
        {
            c.copy_from_slice(&p[..C]);
            a.copy_from_slice(&p[C..]);
        }
    }
    colour[0] = row[0];
    alpha[0] = row[0];
    let (src, c, a) = (&row[1..], &mut colour[1..], &mut alpha[1..]);
    match (colours, sample) {
        (3, 1) => split::<4, 3>(src, c, a),
        (1, 1) => split::<2, 1>(src, c, a),
        (3, _) => split::<8, 6>(src, c, a),
        _ => split::<4, 2>(src, c, a),
    }
}

/// Whether a filtered alpha row (bytes of `sample`-byte samples, after the filter type byte)
/// is all 255, given that every row above it was: with the row above known (all 255, or the
/// zeros the first row is predicted from), each filter turns an opaque row into one value for
/// the first pixel's bytes (nothing to their left) and one for the rest. A filter type the PNG
/// specification does not define counts as not opaque (the PDF reader is then told to mask).
fn opaque_row(filter: u8, first: bool, alpha: &[u8], sample: usize) -> bool {
    // (first pixel, every other) for None, Sub, Up, Average and Paeth.
    let (head, rest) = match (filter, first) {
        (0, _) => (255, 255),
        (1, _) | (4, true) => (255, 0),
        (2, true) => (255, 255),
        (2, false) | (4, false) => (0, 0),
        (3, true) => (255, 128),
        (3, false) => (128, 0),
        _ => return false,
    };
    let (a, b) = alpha.split_at(sample.min(alpha.len()));
    a.iter().all(|&x| x == head) && b.iter().all(|&x| x == rest)
}

/// A JPEG stored unchanged: its colour space from its component count, and the inverted
/// `/Decode` that Adobe-marked CMYK needs.
fn jpeg(data: &[u8], width: u32, height: u32, facts: JpegFacts) -> Result<ExternalStream> {
    let space = match facts.components {
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
    let mut dict = image_dict(width, height, space);
    dict.insert("Filter".to_owned(), name("DCTDecode"));
    if facts.components == 4 && facts.adobe {
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

/// A grey or RGB JPEG scaled to `size` and re-encoded.
fn downsampled_jpeg(image: &Image, size: (u32, u32)) -> Result<ExternalStream> {
    let img = image.decoded().map_err(|e| {
        Error::render(
            "pdf",
            format!("a JPEG image cannot be decoded for downsampling ({e}); re-save it"),
        )
    })?;
    let small = img.resize_exact(size.0, size.1, DOWNSAMPLE_FILTER);
    let colour = img.color().has_color();
    let small = if colour {
        image::DynamicImage::ImageRgb8(small.to_rgb8())
    } else {
        image::DynamicImage::ImageLuma8(small.to_luma8())
    };
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    small
        .write_with_encoder(encoder)
        .map_err(|e| Error::render("pdf", format!("a downsampled JPEG cannot be encoded ({e})")))?;
    // What the encoder writes: three components (or one for grey), no Adobe segment.
    let facts = JpegFacts {
        components: if colour { 3 } else { 1 },
        adobe: false,
    };
    jpeg(&out, size.0, size.1, facts)
}

/// A PNG as its decoded pixels (the reader's decode, kept with the image), scaled to `size`
/// when given; an alpha channel that is not fully opaque becomes the `/SMask`.
fn png_pixels(image: &Image, size: Option<(u32, u32)>) -> Result<ExternalStream> {
    let decoded = image.decoded().map_err(|e| {
        Error::render(
            "pdf",
            format!("a PNG image cannot be decoded ({e}); re-save it"),
        )
    })?;
    let scaled;
    let img = match size {
        Some((w, h)) => {
            scaled = decoded.resize_exact(w, h, DOWNSAMPLE_FILTER);
            &scaled
        }
        None => decoded.as_ref(),
    };
    let (w, h) = (img.width(), img.height());
    let (pixels, alpha, space) = split_alpha(img);
    let mut dict = image_dict(w, h, space);
    if let Some(alpha) = alpha {
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

/// An image's 8-bit colour samples and, when some pixel is not fully opaque, its alpha
/// samples apart, with the colour space. The reader's decode of an 8-bit PNG is split straight
/// from its buffer: converting it to RGBA first (`to_rgba8`) copied a 1600 × 1000 chart's
/// 6.4 MB once more, and an opaque one was widened to RGBA only to drop the alpha again.
fn split_alpha(img: &image::DynamicImage) -> (Vec<u8>, Option<Vec<u8>>, &'static str) {
    use image::DynamicImage as D;
    /// Colour and alpha of `n`-byte pixels whose last byte is the alpha.
    fn split<const N: usize>(raw: &[u8]) -> (Vec<u8>, Option<Vec<u8>>) {
        let count = raw.len() / N;
        let mut colour = vec![0; count * (N - 1)];
        let mut alpha = vec![0; count];
        let mut opaque = true;
        for ((p, c), a) in raw
            .chunks_exact(N)
            .zip(colour.chunks_exact_mut(N - 1))
            .zip(&mut alpha)
        {
            c.copy_from_slice(&p[..N - 1]);
            *a = p[N - 1];
            opaque &= *a == 255;
        }
        // A fully opaque alpha channel needs no soft mask.
        (colour, (!opaque).then_some(alpha))
    }
    match img {
        D::ImageLuma8(g) => (g.as_raw().clone(), None, "DeviceGray"),
        D::ImageRgb8(c) => (c.as_raw().clone(), None, "DeviceRGB"),
        D::ImageLumaA8(la) => {
            let (g, a) = split::<2>(la.as_raw());
            (g, a, "DeviceGray")
        }
        D::ImageRgba8(rgba) => {
            let (c, a) = split::<4>(rgba.as_raw());
            (c, a, "DeviceRGB")
        }
        // 16-bit and float samples, brought to 8 bits (an image without alpha gets an opaque
        // one, and so no soft mask).
        other if !other.color().has_color() => {
            let (g, a) = split::<2>(other.to_luma_alpha8().as_raw());
            (g, a, "DeviceGray")
        }
        other => {
            let (c, a) = split::<4>(other.to_rgba8().as_raw());
            (c, a, "DeviceRGB")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unchecked_jpeg_or_a_truncated_png_is_an_error_not_a_panic() {
        let unchecked = Image {
            data: std::sync::Arc::new(vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00]),
            format: ImageFormat::Jpeg,
            width: 1,
            height: 1,
            jpeg: None,
            png: None,
            pixels: Default::default(),
        };
        assert!(xobject(&unchecked, (10.0, 10.0)).is_err());
        let truncated = Image {
            data: std::sync::Arc::new(b"\x89PNG\r\n\x1a\n".to_vec()),
            format: ImageFormat::Png,
            ..unchecked
        };
        assert!(xobject(&truncated, (10.0, 10.0)).is_err());
        assert!(png_pixels(&truncated, None).is_err());
    }

    #[test]
    fn colour_and_alpha_are_split_and_an_opaque_alpha_dropped() {
        use image::DynamicImage as D;
        let rgba = image::RgbaImage::from_fn(3, 2, |x, y| {
            image::Rgba([x as u8, y as u8, 9, if x == 1 { 0 } else { 255 }])
        });
        let (colour, alpha, space) = split_alpha(&D::ImageRgba8(rgba.clone()));
        assert_eq!(space, "DeviceRGB");
        assert_eq!(colour, D::ImageRgba8(rgba).to_rgb8().into_raw());
        assert_eq!(alpha, Some(vec![255, 0, 255, 255, 0, 255]));
        let opaque = image::GrayAlphaImage::from_pixel(2, 2, image::LumaA([70, 255]));
        assert_eq!(
            split_alpha(&D::ImageLumaA8(opaque)),
            (vec![70; 4], None, "DeviceGray")
        );
        let rgb = image::RgbImage::from_pixel(2, 1, image::Rgb([1, 2, 3]));
        assert_eq!(
            split_alpha(&D::ImageRgb8(rgb)),
            (vec![1, 2, 3, 1, 2, 3], None, "DeviceRGB")
        );
        // 16 bits a sample: brought to 8.
        let deep = image::ImageBuffer::from_pixel(1, 1, image::Rgba([0xFFFFu16, 0, 0x8080, 0]));
        assert_eq!(
            split_alpha(&D::ImageRgba16(deep)),
            (vec![255, 0, 128], Some(vec![0]), "DeviceRGB")
        );
    }

    #[test]
    fn held_contents_come_back_to_their_streams_with_the_keys_in_order() {
        let mut with_mask = ExternalStream {
            dict: image_dict(2, 1, "DeviceRGB"),
            content: vec![1, 2, 3, 4, 5, 6],
            compress: true,
        };
        let mask = ExternalStream {
            dict: image_dict(2, 1, "DeviceGray"),
            content: vec![0, 200],
            compress: true,
        };
        with_mask
            .dict
            .insert("SMask".to_owned(), DictItem::Stream { stream: mask });
        let mut deferred = Deferred::default();
        deferred.hold(&mut with_mask);
        assert!(with_mask.content.is_empty());
        let mut doc = lopdf::Document::with_version("1.7");
        let keys =
            |d: &lopdf::Dictionary| -> Vec<Vec<u8>> { d.iter().map(|(k, _)| k.clone()).collect() };
        let lopdf_stream = |s: &ExternalStream, doc: &mut lopdf::Document| {
            let mut dict = lopdf::Dictionary::new();
            for (k, v) in &s.dict {
                let v = match v {
                    DictItem::Int(i) => lopdf::Object::Integer(*i),
                    DictItem::Stream { stream } => {
                        let mut inner = lopdf::Dictionary::new();
                        for (k, v) in &stream.dict {
                            if let DictItem::Int(i) = v {
                                inner.set(k.as_str(), *i);
                            }
                        }
                        lopdf::Object::Reference(
                            doc.add_object(lopdf::Stream::new(inner, Vec::new())),
                        )
                    }
                    _ => lopdf::Object::Null,
                };
                dict.set(k.as_str(), v);
            }
            lopdf::Stream::new(dict, Vec::new())
        };
        let main = lopdf_stream(&with_mask, &mut doc);
        let before: Vec<Vec<u8>> = keys(&main.dict)
            .into_iter()
            .filter(|k| k.as_slice() != DEFERRED_KEY.as_bytes())
            .collect();
        let main_id = doc.add_object(main);
        deferred.restore(&mut doc).unwrap();
        let main = doc.get_object(main_id).unwrap().as_stream().unwrap();
        assert_eq!(main.content, vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(keys(&main.dict), before, "the mark goes, the order stays");
        assert_eq!(main.dict.get(b"Length").unwrap().as_i64().unwrap(), 6);
        let mask_id = main.dict.get(b"SMask").unwrap().as_reference().unwrap();
        let mask = doc.get_object(mask_id).unwrap().as_stream().unwrap();
        assert_eq!(mask.content, vec![0, 200]);
        assert!(!mask.dict.has(DEFERRED_KEY.as_bytes()));
    }

    #[test]
    fn downsampling_keeps_the_aspect_and_only_when_needed() {
        // 6 000 × 4 000 px printed 6 in × 4 in: 1 000 dpi, so 1 800 × 1 200 px.
        assert_eq!(
            target_size((6000, 4000), (432.0, 288.0)),
            Some((1800, 1200))
        );
        // An odd aspect stays within a pixel of the original's.
        let (w, h) = target_size((5003, 1999), (300.0, 300.0 * 1999.0 / 5003.0)).unwrap();
        assert!(
            ((w as f32 / h as f32) - 5003.0 / 1999.0).abs() < 0.01,
            "{w}×{h}"
        );
        // 1 600 px over 5.9 in is 271 dpi: left alone; so is an image 5 % over.
        assert_eq!(target_size((1600, 1000), (425.2, 265.7)), None);
        assert_eq!(target_size((1313, 875), (300.0, 200.0)), None);
        assert_eq!(target_size((0, 0), (0.0, 0.0)), None);
    }

    #[test]
    fn a_downsampled_jpeg_is_a_smaller_valid_jpeg() {
        let big = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(1200, 600, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        }));
        let mut data = Vec::new();
        big.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut data, 90,
        ))
        .unwrap();
        // Printed 1 in wide: 300 × 150 px.
        let checked = crate::read::images::check_image(data.clone()).unwrap();
        let s = downsampled_jpeg(&checked, (300, 150)).unwrap();
        let checked = crate::read::images::check_image(s.content.clone()).unwrap();
        assert_eq!((checked.width, checked.height), (300, 150));
        assert_eq!(checked.jpeg.map(|f| f.components), Some(3));
        assert_eq!(s.dict.get("Width"), Some(&DictItem::Int(300)));
        assert!(s.content.len() < data.len());
    }

    /// PNG-filtered rows (`Predictor 15`) of `bpp`-byte pixels, `row` bytes each, unfiltered:
    /// the PNG specification's reconstruction, written out plainly.
    fn unfilter(filtered: &[u8], row: usize, bpp: usize) -> Vec<u8> {
        let mut out: Vec<u8> = Vec::new();
        for (y, line) in filtered.chunks(row + 1).enumerate() {
            let base = out.len();
            for (x, &f) in line[1..].iter().enumerate() {
                let a = if x >= bpp { out[base + x - bpp] } else { 0 };
                let b = if y > 0 { out[base + x - row] } else { 0 };
                let c = if y > 0 && x >= bpp {
                    out[base + x - row - bpp]
                } else {
                    0
                };
                let predicted = match line[0] {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                    4 => {
                        let p = i16::from(a) + i16::from(b) - i16::from(c);
                        let (pa, pb, pc) = (
                            (p - i16::from(a)).abs(),
                            (p - i16::from(b)).abs(),
                            (p - i16::from(c)).abs(),
                        );
                        if pa <= pb && pa <= pc {
                            a
                        } else if pb <= pc {
                            b
                        } else {
                            c
                        }
                    }
                    other => panic!("filter type {other}"),
                };
                out.push(f.wrapping_add(predicted));
            }
        }
        out
    }

    /// A stream's content inflated and unfiltered as its `/DecodeParms` say.
    fn read_back(s: &ExternalStream, channels: usize) -> Vec<u8> {
        let Some(DictItem::Dict { map }) = s.dict.get("DecodeParms") else {
            panic!("no /DecodeParms");
        };
        let int = |k: &str| match map.get(k) {
            Some(DictItem::Int(i)) => *i as usize,
            _ => panic!("no /{k}"),
        };
        assert_eq!(int("Predictor"), 15);
        assert_eq!(int("Colors"), channels);
        let bytes = int("BitsPerComponent") / 8;
        let inflated = fdeflate::decompress_to_vec(&s.content).unwrap();
        unfilter(
            &inflated,
            int("Columns") * channels * bytes,
            channels * bytes,
        )
    }

    #[test]
    fn an_alpha_png_is_split_from_its_filtered_rows_exactly() {
        use image::codecs::png::{CompressionType, FilterType, PngEncoder};
        use image::{ExtendedColorType as C, ImageEncoder};
        let (w, h) = (37u32, 23u32);
        let value = |x: u32, y: u32, c: u32| ((x * 31 + y * 17 + c * 71) ^ (x * y)) as u8;
        for (kind, channels, sample) in [
            (C::Rgba8, 4, 1),
            (C::La8, 2, 1),
            (C::Rgba16, 4, 2),
            (C::La16, 2, 2),
        ] {
            for opaque in [false, true] {
                let raw: Vec<u8> = (0..h)
                    .flat_map(|y| {
                        (0..w).flat_map(move |x| (0..channels * sample).map(move |c| (x, y, c)))
                    })
                    .map(|(x, y, c)| {
                        if opaque && c >= (channels - 1) * sample {
                            255
                        } else {
                            value(x, y, c as u32)
                        }
                    })
                    .collect();
                // The encoder takes 16-bit samples in the machine's byte order and stores
                // them big-endian, as the PDF reads them back.
                let stored: Vec<u8> = raw
                    .chunks(sample)
                    .flat_map(|s| {
                        let mut s = s.to_vec();
                        if s.len() == 2 {
                            s = u16::from_ne_bytes([s[0], s[1]]).to_be_bytes().to_vec();
                        }
                        s
                    })
                    .collect();
                let (colour, alpha): (Vec<Vec<u8>>, Vec<Vec<u8>>) = stored
                    .chunks(channels * sample)
                    .map(|p| {
                        let (c, a) = p.split_at((channels - 1) * sample);
                        (c.to_vec(), a.to_vec())
                    })
                    .unzip();
                let (colour, alpha) = (colour.concat(), alpha.concat());
                for filter in [
                    FilterType::NoFilter,
                    FilterType::Sub,
                    FilterType::Up,
                    FilterType::Avg,
                    FilterType::Paeth,
                    FilterType::Adaptive,
                ] {
                    let mut png = Vec::new();
                    PngEncoder::new_with_quality(&mut png, CompressionType::Fast, filter)
                        .write_image(&raw, w, h, kind)
                        .unwrap();
                    let img = crate::read::images::check_image(png).unwrap();
                    let facts = img.png.as_ref().unwrap();
                    assert!(facts.split_as_stored() && !img.pixels.is_decoded());
                    let what = format!("{kind:?} {filter:?} opaque {opaque}");
                    let s = png_split(&img, facts).unwrap();
                    assert!(
                        read_back(&s, channels - 1) == colour,
                        "{what}: colour differs"
                    );
                    match s.dict.get("SMask") {
                        Some(DictItem::Stream { stream }) => {
                            assert!(!opaque, "{what}: an opaque image has no mask");
                            assert!(read_back(stream, 1) == alpha, "{what}: alpha differs");
                        }
                        _ => assert!(opaque, "{what}: the mask is missing"),
                    }
                }
            }
        }
    }
}
