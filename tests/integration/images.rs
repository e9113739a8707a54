//! Images in every format: stored once however often the brief shows them, with no metadata
//! beyond what rendering needs, an animated PNG as its first frame; and each figure keeps its
//! own alt text when its bytes equal another's.

use crate::sample;
use briefpress::article::{Article, Block, Figure, Meta};
use briefpress::read::{self, MemoryAssets, SourceFormat};
use briefpress::render::Format;
use briefpress::theme::Theme;
use std::io::Read;

/// What a camera or an editing tool leaves in a file: must reach no output.
const SECRET: &[u8] = b"GPS 51.5074N serial 0xC0FFEE";

fn segment(code: u8, body: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, code];
    s.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(body);
    s
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    let crc = crc32fast::hash(&c[4..]);
    c.extend_from_slice(&crc.to_be_bytes());
    c
}

/// A JPEG photo with EXIF, an XMP packet, a comment and a trailer, all holding [`SECRET`].
fn photo() -> Vec<u8> {
    let jpeg = sample::jpeg(120, 80).data.to_vec();
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(SECRET);
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(SECRET);
    let mut out = jpeg[..2].to_vec();
    out.extend(segment(0xE1, &exif));
    out.extend(segment(0xE1, &xmp));
    out.extend(segment(0xFE, SECRET));
    out.extend_from_slice(&jpeg[2..]);
    out.extend_from_slice(SECRET);
    out
}

/// `extra` chunks put after a PNG's header.
fn png_with(w: u32, h: u32, extra: &[Vec<u8>]) -> Vec<u8> {
    let png = sample::png(w, h).data.to_vec();
    let ihdr_end = 8 + 12 + 13;
    let mut out = png[..ihdr_end].to_vec();
    for c in extra {
        out.extend_from_slice(c);
    }
    out.extend_from_slice(&png[ihdr_end..]);
    out
}

fn chart() -> Vec<u8> {
    let mut text = b"Comment\0".to_vec();
    text.extend_from_slice(SECRET);
    png_with(60, 40, &[chunk(b"tEXt", &text), chunk(b"eXIf", SECRET)])
}

fn animated() -> Vec<u8> {
    let mut fctl = 0u32.to_be_bytes().to_vec();
    fctl.extend_from_slice(&[
        0, 0, 0, 30, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 10, 0, 0,
    ]);
    png_with(
        30,
        20,
        &[
            chunk(b"acTL", &[0, 0, 0, 2, 0, 0, 0, 0]),
            chunk(b"fcTL", &fctl),
        ],
    )
}

const SOURCE: &str = "---
title: Pictures
photo:
  path: photo.jpg
  alt: The photo
---

First the chart.

![The chart](chart.png \"Chart.\")

The photo again.

![The photo again](photo.jpg \"Again.\")

The chart again, and a moving picture.

![The chart again](chart.png \"Chart again.\")

![An animation](anim.png \"Animated.\")
";

fn load() -> read::Loaded {
    let assets = MemoryAssets(vec![
        ("photo.jpg".into(), photo()),
        ("chart.png".into(), chart()),
        ("anim.png".into(), animated()),
    ]);
    read::read(
        SourceFormat::Markdown,
        SOURCE.as_bytes(),
        "pictures",
        &assets,
    )
    .unwrap()
}

fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (e.name().to_owned(), data)
        })
        .collect()
}

fn holds_secret(data: &[u8]) -> bool {
    data.windows(SECRET.len()).any(|w| w == SECRET)
}

#[test]
fn an_animated_png_is_a_warning_naming_its_line() {
    let loaded = load();
    let w: Vec<_> = loaded
        .warnings
        .iter()
        .filter(|w| w.message.contains("animated"))
        .collect();
    assert_eq!(w.len(), 1, "{:?}", loaded.warnings);
    assert!(w[0].message.contains("anim.png") && w[0].message.contains("first frame"));
    assert_eq!(w[0].at.line, Some(20));
}

#[test]
fn every_format_stores_each_picture_once_without_its_metadata() {
    let article = load().article;
    let theme = Theme::default();

    let docx = Format::Docx.render(&article, &theme).unwrap();
    let media: Vec<_> = entries(&docx.bytes)
        .into_iter()
        .filter(|(n, _)| n.starts_with("word/media/"))
        .collect();
    assert_eq!(media.len(), 3, "photo, chart, animation once each");
    for (name, data) in &media {
        assert!(!holds_secret(data), "{name} keeps metadata");
        for kind in [b"tEXt", b"eXIf", b"acTL", b"fcTL"] {
            assert!(!data.windows(4).any(|w| w == kind), "{name} keeps {kind:?}");
        }
    }

    let epub = Format::Epub.render(&article, &theme).unwrap();
    let files = entries(&epub.bytes);
    let images: Vec<_> = files
        .iter()
        .filter(|(n, _)| n.starts_with("OEBPS/images/") && n != "OEBPS/images/cover.jpg")
        .collect();
    assert_eq!(
        images.len(),
        3,
        "{:?}",
        images.iter().map(|i| &i.0).collect::<Vec<_>>()
    );
    assert!(!images.iter().any(|(_, d)| holds_secret(d)));
    // The generated cover (title over the photo) is drawn anew: no metadata of the photo in it.
    let (_, cover) = files
        .iter()
        .find(|(n, _)| n == "OEBPS/images/cover.jpg")
        .expect("a generated cover");
    assert!(!holds_secret(cover));
    let (_, xhtml) = files.iter().find(|(n, _)| n == "OEBPS/text.xhtml").unwrap();
    let xhtml = String::from_utf8_lossy(xhtml);
    assert_eq!(
        xhtml.matches("src=\"images/figure-1.png\"").count(),
        2,
        "{xhtml}"
    );
    assert_eq!(
        xhtml.matches("src=\"images/photo.jpg\"").count(),
        2,
        "{xhtml}"
    );

    let pdf = Format::Pdf.render(&article, &theme).unwrap();
    assert!(!holds_secret(&pdf.bytes));
    let doc = lopdf::Document::load_mem(&pdf.bytes).unwrap();
    let xobjects = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            let name = |k: &[u8]| s.dict.get(k).and_then(lopdf::Object::as_name).ok();
            // The two PNGs' alpha channels are grey soft masks; the pictures are colour.
            name(b"Subtype") == Some(b"Image".as_ref())
                && name(b"ColorSpace") == Some(b"DeviceRGB".as_ref())
        })
        .count();
    assert_eq!(xobjects, 3, "one image XObject per picture");
}

/// Figures a.png, a byte-for-byte copy of it, c.png and a.png again: one media file each for
/// the two pictures, but every drawing its own alt text and `wp:docPr` id.
#[test]
fn docx_alt_text_follows_each_figure_whatever_its_bytes() {
    let a = sample::png(40, 20);
    let copy = briefpress::read::images::check_image(a.data.to_vec()).unwrap();
    let c = sample::png(20, 40);
    let figure = |image: &briefpress::article::Image, alt: &str| Block::Figure {
        figure: Figure {
            src: None,
            alt: alt.into(),
            caption: String::new(),
            credit: None,
            image: Some(image.clone()),
        },
    };
    let article = Article {
        meta: Meta::new("Alt text"),
        photo: None,
        blocks: vec![
            figure(&a, "First"),
            figure(&copy, "Second"),
            figure(&c, "Third"),
            figure(&a, "Fourth"),
        ],
        notes: vec![],
    };
    let out = Format::Docx.render(&article, &Theme::default()).unwrap();
    let files = entries(&out.bytes);
    let media = files
        .iter()
        .filter(|(n, _)| n.starts_with("word/media/"))
        .count();
    assert_eq!(media, 2, "equal bytes are one part");
    let (_, xml) = files
        .iter()
        .find(|(n, _)| n == "word/document.xml")
        .unwrap();
    let xml = String::from_utf8_lossy(xml);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let pr: Vec<(&str, &str)> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "docPr")
        .map(|n| (n.attribute("id").unwrap(), n.attribute("descr").unwrap()))
        .collect();
    assert_eq!(
        pr,
        [
            ("1", "First"),
            ("2", "Second"),
            ("3", "Third"),
            ("4", "Fourth")
        ]
    );
}
