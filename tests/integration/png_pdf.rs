//! PNGs in the PDF: every kind a brief may carry, written here by a small PNG writer of the
//! test's own (every row filter, interlacing, palettes, 1 to 16 bits, transparency), rendered
//! with pdftoppm and compared with the picture at known points. The opaque, non-interlaced
//! kinds must go in as their own image data, undecoded; the others as pixels with a soft mask.

use crate::pdf::write;
use crate::sample::colombia;
use crate::tools::{require, run, scratch};
use briefpress::read::images::check_image;
use briefpress::theme::Theme;
use std::io::Write;
use std::process::Command;

/// The test picture's size: odd, so rows of 1, 2 and 4-bit samples end inside a byte.
const W: u32 = 61;
const H: u32 = 45;

/// Twelve colours, one per block of a 4 × 3 grid over the picture.
const COLOURS: [[u8; 3]; 12] = [
    [220, 30, 30],
    [30, 160, 40],
    [40, 60, 210],
    [240, 200, 20],
    [200, 40, 200],
    [20, 190, 200],
    [250, 140, 30],
    [110, 60, 20],
    [0, 0, 0],
    [128, 128, 128],
    [90, 200, 120],
    [250, 250, 250],
];

/// The block (0–11) a pixel lies in.
fn block(x: u32, y: u32) -> usize {
    (y * 3 / H * 4 + x * 4 / W) as usize
}

/// A grey level per block, spread over the whole range.
fn grey(b: usize) -> u8 {
    (b * 255 / 11) as u8
}

/// The colour kinds the writer knows.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Grey,
    Rgb,
    Palette,
    GreyAlpha,
    RgbAlpha,
}

impl Kind {
    fn code(self) -> u8 {
        match self {
            Kind::Grey => 0,
            Kind::Rgb => 2,
            Kind::Palette => 3,
            Kind::GreyAlpha => 4,
            Kind::RgbAlpha => 6,
        }
    }

    fn channels(self) -> usize {
        match self {
            Kind::Grey | Kind::Palette => 1,
            Kind::GreyAlpha => 2,
            Kind::Rgb => 3,
            Kind::RgbAlpha => 4,
        }
    }
}

/// A PNG chunk with its CRC.
fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut h = crc32fast::Hasher::new();
    h.update(kind);
    h.update(data);
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&h.finalize().to_be_bytes());
}

/// Samples packed into a row of bytes, `depth` bits each, most significant first.
fn pack(samples: &[u16], depth: u8) -> Vec<u8> {
    match depth {
        16 => samples.iter().flat_map(|s| s.to_be_bytes()).collect(),
        8 => samples.iter().map(|&s| s as u8).collect(),
        _ => {
            let per_byte = 8 / depth as usize;
            samples
                .chunks(per_byte)
                .map(|c| {
                    c.iter().enumerate().fold(0u8, |byte, (i, &s)| {
                        byte | ((s as u8) << (8 - depth as usize * (i + 1)))
                    })
                })
                .collect()
        }
    }
}

/// The Paeth predictor (PNG specification, 9.4).
fn paeth(a: u8, b: u8, c: u8) -> u8 {
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

/// A row filtered with `filter` (0 None … 4 Paeth) against the previous row of its pass.
fn filter(row: &[u8], prev: &[u8], filter: u8, bpp: usize) -> Vec<u8> {
    let mut out = vec![filter];
    for i in 0..row.len() {
        let a = if i >= bpp { row[i - bpp] } else { 0 };
        let b = prev[i];
        let c = if i >= bpp { prev[i - bpp] } else { 0 };
        let predicted = match filter {
            0 => 0,
            1 => a,
            2 => b,
            3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
            _ => paeth(a, b, c),
        };
        out.push(row[i].wrapping_sub(predicted));
    }
    out
}

/// A whole PNG: its header, palette and `tRNS` when given, the image data split over two
/// `IDAT` chunks, with every row filter used in turn (and passes when interlaced).
fn png(
    kind: Kind,
    depth: u8,
    interlaced: bool,
    palette: Option<&[u8]>,
    trns: Option<&[u8]>,
    samples: impl Fn(u32, u32) -> Vec<u16>,
) -> Vec<u8> {
    let bpp = (kind.channels() * depth as usize).div_ceil(8);
    let passes: Vec<(u32, u32, u32, u32)> = if interlaced {
        vec![
            (0, 0, 8, 8),
            (4, 0, 8, 8),
            (0, 4, 4, 8),
            (2, 0, 4, 4),
            (0, 2, 2, 4),
            (1, 0, 2, 2),
            (0, 1, 1, 2),
        ]
    } else {
        vec![(0, 0, 1, 1)]
    };
    let mut raw = Vec::new();
    let mut n = 0u8;
    for (x0, y0, dx, dy) in passes {
        let xs: Vec<u32> = (x0..W).step_by(dx as usize).collect();
        if xs.is_empty() {
            continue;
        }
        let mut prev: Option<Vec<u8>> = None;
        for y in (y0..H).step_by(dy as usize) {
            let row: Vec<u16> = xs.iter().flat_map(|&x| samples(x, y)).collect();
            let row = pack(&row, depth);
            let zeros = vec![0; row.len()];
            raw.extend(filter(&row, prev.as_deref().unwrap_or(&zeros), n % 5, bpp));
            n += 1;
            prev = Some(row);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&raw).unwrap();
    let data = z.finish().unwrap();

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = W.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&H.to_be_bytes());
    ihdr.extend_from_slice(&[depth, kind.code(), 0, 0, u8::from(interlaced)]);
    chunk(&mut out, b"IHDR", &ihdr);
    if let Some(p) = palette {
        chunk(&mut out, b"PLTE", p);
    }
    if let Some(t) = trns {
        chunk(&mut out, b"tRNS", t);
    }
    let (first, second) = data.split_at(data.len() / 2);
    chunk(&mut out, b"IDAT", first);
    chunk(&mut out, b"IDAT", second);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// The palette of [`COLOURS`], as `PLTE` data, padded with grey entries to `entries`.
fn plte(entries: usize) -> Vec<u8> {
    let mut p: Vec<u8> = COLOURS.iter().flatten().copied().collect();
    while p.len() < entries * 3 {
        p.extend_from_slice(&[77, 77, 77]);
    }
    p
}

/// How a PNG must be stored in the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stored {
    /// Its own image data, undecoded, under the PNG predictors.
    AsIs,
    /// Its filtered rows split into colour and alpha, each under the PNG predictors, the
    /// alpha as the `/SMask`; never unfiltered.
    Split,
    /// Its decoded pixels.
    Pixels,
}

/// One case: its name, the PNG, how its data must go in, and the colour expected on a white
/// page at each pixel.
struct Case {
    name: &'static str,
    png: Vec<u8>,
    stored: Stored,
    expected: Box<dyn Fn(u32, u32) -> [u8; 3]>,
}

/// Over white, at `alpha` of 255.
fn over_white(c: [u8; 3], alpha: u8) -> [u8; 3] {
    c.map(|v| ((u32::from(v) * u32::from(alpha) + 255 * (255 - u32::from(alpha))) / 255) as u8)
}

/// The alpha of the transparent cases: the right column of blocks clear, one block half
/// transparent, the rest opaque.
fn alpha(b: usize) -> u8 {
    match b {
        2 => 128,
        _ if b % 4 == 3 => 0,
        _ => 255,
    }
}

fn cases() -> Vec<Case> {
    let colour = |x: u32, y: u32| COLOURS[block(x, y)];
    let level = |x: u32, y: u32| grey(block(x, y));
    vec![
        Case {
            name: "rgb-8",
            png: png(Kind::Rgb, 8, false, None, None, move |x, y| {
                colour(x, y).map(u16::from).to_vec()
            }),
            stored: Stored::AsIs,
            expected: Box::new(colour),
        },
        Case {
            name: "grey-8",
            png: png(Kind::Grey, 8, false, None, None, move |x, y| {
                vec![u16::from(level(x, y))]
            }),
            stored: Stored::AsIs,
            expected: Box::new(move |x, y| [level(x, y); 3]),
        },
        Case {
            name: "grey-2",
            png: png(Kind::Grey, 2, false, None, None, |x, y| {
                vec![(block(x, y) % 4) as u16]
            }),
            stored: Stored::AsIs,
            expected: Box::new(|x, y| [(block(x, y) % 4 * 85) as u8; 3]),
        },
        Case {
            name: "palette-8",
            png: png(Kind::Palette, 8, false, Some(&plte(200)), None, |x, y| {
                vec![block(x, y) as u16]
            }),
            stored: Stored::AsIs,
            expected: Box::new(colour),
        },
        Case {
            name: "palette-4",
            png: png(Kind::Palette, 4, false, Some(&plte(16)), None, |x, y| {
                vec![block(x, y) as u16]
            }),
            stored: Stored::AsIs,
            expected: Box::new(colour),
        },
        Case {
            name: "palette-1",
            png: png(Kind::Palette, 1, false, Some(&plte(2)), None, |x, y| {
                vec![(block(x, y) % 2) as u16]
            }),
            stored: Stored::AsIs,
            expected: Box::new(|x, y| COLOURS[block(x, y) % 2]),
        },
        Case {
            name: "rgb-16",
            // The low bytes vary, so only a reader that takes 16-bit samples as such gets
            // the colours right.
            png: png(Kind::Rgb, 16, false, None, None, move |x, y| {
                colour(x, y)
                    .map(|v| u16::from(v) << 8 | ((x * 7 + y * 3) % 256) as u16)
                    .to_vec()
            }),
            stored: Stored::AsIs,
            expected: Box::new(colour),
        },
        Case {
            name: "rgba-8",
            png: png(Kind::RgbAlpha, 8, false, None, None, move |x, y| {
                let [r, g, b] = colour(x, y);
                [r, g, b, alpha(block(x, y))].map(u16::from).to_vec()
            }),
            stored: Stored::Split,
            expected: Box::new(move |x, y| over_white(colour(x, y), alpha(block(x, y)))),
        },
        Case {
            name: "grey-alpha-8",
            png: png(Kind::GreyAlpha, 8, false, None, None, move |x, y| {
                vec![u16::from(level(x, y)), u16::from(alpha(block(x, y)))]
            }),
            stored: Stored::Split,
            expected: Box::new(move |x, y| over_white([level(x, y); 3], alpha(block(x, y)))),
        },
        Case {
            name: "rgba-16",
            png: png(Kind::RgbAlpha, 16, false, None, None, move |x, y| {
                let [r, g, b] = colour(x, y);
                [r, g, b, alpha(block(x, y))]
                    .map(|v| u16::from(v) << 8 | ((x * 5 + y) % 256) as u16)
                    .to_vec()
            }),
            stored: Stored::Split,
            expected: Box::new(move |x, y| over_white(colour(x, y), alpha(block(x, y)))),
        },
        Case {
            name: "rgb-8-interlaced",
            png: png(Kind::Rgb, 8, true, None, None, move |x, y| {
                colour(x, y).map(u16::from).to_vec()
            }),
            stored: Stored::Pixels,
            expected: Box::new(colour),
        },
        Case {
            name: "palette-8-trns",
            // Entry 3 (the fourth block) fully transparent, the others opaque.
            png: png(
                Kind::Palette,
                8,
                false,
                Some(&plte(12)),
                Some(&[255, 255, 255, 0]),
                |x, y| vec![block(x, y) as u16],
            ),
            stored: Stored::Pixels,
            expected: Box::new(move |x, y| {
                let b = block(x, y);
                if b == 3 { [255; 3] } else { COLOURS[b] }
            }),
        },
    ]
}

/// Where the photo is drawn on page 1, in points from the top left: the `cm` before the page's
/// first `Do`.
fn photo_rect(pdf: &[u8]) -> (f32, f32, f32, f32) {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let (_, page) = doc.get_pages().into_iter().next().unwrap();
    let content = lopdf::content::Content::decode(&doc.get_page_content(page)).unwrap();
    let media = doc
        .get_dictionary(page)
        .unwrap()
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    let num = |o: &lopdf::Object| o.as_float().unwrap();
    let page_h = num(&media[3]);
    let mut cm = None;
    for op in &content.operations {
        match op.operator.as_str() {
            "cm" => cm = Some(op.operands.iter().map(num).collect::<Vec<f32>>()),
            "Do" => {
                let m = cm.expect("a cm before the image");
                return (m[4], page_h - m[5] - m[3], m[0], m[3]);
            }
            _ => {}
        }
    }
    panic!("no image on page 1");
}

/// The picture's image stream (not its soft mask).
fn image_stream(pdf: &[u8]) -> lopdf::Stream {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let image = |s: &lopdf::Stream| {
        s.dict.get(b"Subtype").and_then(lopdf::Object::as_name).ok() == Some(b"Image".as_ref())
    };
    let masks: Vec<lopdf::ObjectId> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter_map(|s| {
            s.dict
                .get(b"SMask")
                .and_then(lopdf::Object::as_reference)
                .ok()
        })
        .collect();
    let mut pictures = doc
        .objects
        .iter()
        .filter(|(id, _)| !masks.contains(id))
        .filter_map(|(_, o)| o.as_stream().ok())
        .filter(|s| image(s));
    let picture = pictures.next().expect("an image XObject").clone();
    assert!(pictures.next().is_none(), "one picture");
    picture
}

#[test]
fn every_kind_of_png_shows_its_colours_in_the_pdf() {
    if !require("pdftoppm") {
        return;
    }
    let dir = scratch();
    let mut problems = Vec::new();
    for case in cases() {
        // The writer's file is a PNG the image crate reads as the picture meant.
        let decoded = image::load_from_memory(&case.png)
            .unwrap_or_else(|e| panic!("{}: the test's PNG does not decode: {e}", case.name));
        assert_eq!((decoded.width(), decoded.height()), (W, H), "{}", case.name);

        let image = check_image(case.png.clone())
            .unwrap_or_else(|e| panic!("{}: refused: {e:?}", case.name));
        let mut article = colombia();
        article.photo.as_mut().unwrap().image = Some(image);
        let path = write(&article, &Theme::default(), dir.path(), case.name);
        let pdf = std::fs::read(&path).unwrap();

        // Undecoded where the PDF allows it: the PNG's own zlib stream with PNG predictors.
        let stream = image_stream(&pdf);
        let predictor = stream
            .dict
            .get(b"DecodeParms")
            .and_then(lopdf::Object::as_dict)
            .and_then(|d| d.get(b"Predictor"))
            .and_then(lopdf::Object::as_i64)
            .ok();
        let idat_start = case.png.windows(4).position(|w| w == b"IDAT").unwrap() + 4;
        let own_data = case.png[idat_start..].starts_with(&stream.content[..16]);
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let mask_predictor = stream
            .dict
            .get(b"SMask")
            .and_then(lopdf::Object::as_reference)
            .and_then(|id| doc.get_object(id).cloned())
            .ok()
            .and_then(|o| o.as_stream().ok().cloned())
            .and_then(|m| {
                m.dict
                    .get(b"DecodeParms")
                    .and_then(lopdf::Object::as_dict)
                    .and_then(|d| d.get(b"Predictor"))
                    .and_then(lopdf::Object::as_i64)
                    .ok()
            });
        let what = case.name;
        match case.stored {
            Stored::AsIs => {
                assert_eq!(predictor, Some(15), "{what}: stored as the PNG's data");
                assert!(own_data, "{what}: the stream is the PNG's own image data");
            }
            Stored::Split => {
                assert_eq!(predictor, Some(15), "{what}: colour rows still filtered");
                assert_eq!(
                    mask_predictor,
                    Some(15),
                    "{what}: alpha rows still filtered"
                );
                assert!(!own_data, "{what}: the colour is split from the rows");
            }
            Stored::Pixels => assert_eq!(predictor, None, "{what}: stored as pixels"),
        }
        // Every reader takes the file without complaint.
        let checks: [&[&str]; 3] = [
            &["qpdf", "--check"],
            &["mutool", "draw", "-F", "pnm", "-o", "/dev/null"],
            &["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage"],
        ];
        for tool in checks {
            if require(tool[0]) {
                let (ok, out, err) = run(Command::new(tool[0]).args(&tool[1..]).arg(&path));
                let complaint = err
                    .lines()
                    .filter(|l| !l.contains("ICC support is not available"))
                    .any(|l| l.to_lowercase().contains("error") || l.contains("warning"));
                assert!(ok && !complaint, "{}: {}: {out}{err}", case.name, tool[0]);
            }
        }

        let dpi = 60.0;
        let base = dir.path().join(case.name);
        let (ok, _, err) = run(Command::new("pdftoppm")
            .args(["-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile"])
            .arg(&path)
            .arg(&base));
        assert!(ok, "{}: {err}", case.name);
        let page = image::open(base.with_extension("png")).unwrap().to_rgb8();
        let (left, top, width, height) = photo_rect(&pdf);
        // The middle of each block, and a point a quarter in from each of its corners.
        for b in 0..12u32 {
            let (bx, by) = (b % 4, b / 4);
            for (fx, fy) in [
                (0.5, 0.5),
                (0.25, 0.25),
                (0.75, 0.25),
                (0.25, 0.75),
                (0.75, 0.75),
            ] {
                let x = ((bx as f32 + fx) * W as f32 / 4.0) as u32;
                let y = ((by as f32 + fy) * H as f32 / 3.0) as u32;
                let want = (case.expected)(x, y);
                let px = (left + (x as f32 + 0.5) / W as f32 * width) * dpi / 72.0;
                let py = (top + (y as f32 + 0.5) / H as f32 * height) * dpi / 72.0;
                let got = page.get_pixel(px as u32, py as u32).0;
                if got.iter().zip(want).any(|(g, w)| g.abs_diff(w) > 12) {
                    problems.push(format!(
                        "{}: pixel ({x}, {y}) is {got:?}, should be {want:?}",
                        case.name
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
