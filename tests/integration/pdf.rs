//! PDF backend: text extraction, fonts, structure, page sizes, determinism, hostile input.
//! Set `BRIEFPRESS_PDF_OUT=/some/dir` to keep the PDFs the tests write.

use crate::sample::{colombia, hard, jpeg};
use crate::tools::{require, run, scratch};
use briefpress::article::{Article, Block, Image, ImageFormat, Inline, Meta, para, text};
use briefpress::render::pdf;
use briefpress::theme::{PageSize, Theme};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// Renders and writes the PDF into `dir`, returning its path.
fn write(article: &Article, theme: &Theme, dir: &Path, name: &str) -> PathBuf {
    let out = pdf::render(article, theme).expect("pdf renders");
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, &out.bytes).expect("write pdf");
    if let Some(keep) = std::env::var_os("BRIEFPRESS_PDF_OUT") {
        let _ = std::fs::create_dir_all(&keep);
        let _ = std::fs::write(Path::new(&keep).join(format!("{name}.pdf")), &out.bytes);
    }
    path
}

fn pdftotext(path: &Path, extra: &[&str]) -> String {
    let (ok, out, err) = run(Command::new("pdftotext")
        .args(extra)
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-"));
    assert!(ok, "pdftotext failed: {err}");
    out
}

/// Text with line ends and runs of spaces collapsed, as a reader would compare it.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn text_copies_out_exactly() {
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let path = write(&hard(), &Theme::default(), dir.path(), "hard");
    let got = flat(&pdftotext(&path, &[]));
    for needle in [
        "Ñandú & <Co>: “Quotes” — dashes ]]> and ©",
        "A dek with ‘single’ quotes & an en dash – here",
        "Ελληνικά and Кириллица",
        "Tiếng Việt: Hà Nội",
        "A quoted paragraph — with a dash.",
        "x < y && z",
        "The first note, with <markup> & “quotes”.",
        "By Zoë Ólafsdóttir and Nguyễn Văn Anh · February 2, 2026",
        "© Photographer/Agency",
    ] {
        assert!(got.contains(needle), "missing {needle:?} in:\n{got}");
    }
}

#[test]
fn ligatures_copy_out_as_letters() {
    if !require("pdftotext") {
        return;
    }
    let mut a = colombia();
    a.blocks = vec![para(
        "The office staff filed a final affluent shuffle of fjords.",
    )];
    let dir = scratch();
    let path = write(&a, &Theme::default(), dir.path(), "ligatures");
    let got = flat(&pdftotext(&path, &[]));
    assert!(
        got.contains("The office staff filed a final affluent shuffle of fjords."),
        "{got}"
    );
    assert!(
        !got.contains('\u{FB01}') && !got.contains('\u{FB02}'),
        "presentation-form ligature in {got}"
    );
}

#[test]
fn reading_order_is_masthead_title_caption_credit_body() {
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let path = write(&colombia(), &Theme::default(), dir.path(), "colombia");
    let got = flat(&pdftotext(&path, &[]));
    let pos = |s: &str| got.find(s).unwrap_or_else(|| panic!("{s:?} not in {got}"));
    let masthead = pos("briefpress");
    let title = pos("To repair US-Colombia ties");
    let date = pos("February 2, 2026");
    let caption = pos("Colombian President Gustavo Petro takes part");
    let credit = pos("© Sebastian Barros/LongVisual via Zuma Press Wire");
    let body = pos("Colombian President Gustavo Petro’s Oval Office visit");
    assert!(
        masthead < title && title < date && date < caption && caption < credit && credit < body,
        "{got}"
    );
    assert!(
        !got.contains("By "),
        "a brief without authors has no 'By': {got}"
    );
}

#[test]
fn every_font_is_embedded_subset_and_mapped() {
    if !require("pdffonts") {
        return;
    }
    let dir = scratch();
    let path = write(&hard(), &Theme::default(), dir.path(), "fonts");
    let (ok, out, err) = run(Command::new("pdffonts").arg(&path));
    assert!(ok, "{err}");
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert!(rows.len() >= 4, "expected serif and sans faces: {out}");
    for row in rows {
        let t: Vec<&str> = row.split_whitespace().collect();
        let n = t.len();
        assert_eq!(
            &t[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "emb/sub/uni in {row}"
        );
        assert!(
            t[0].len() > 7 && t[0].as_bytes()[6] == b'+',
            "subset tag in {row}"
        );
    }
}

#[test]
fn qpdf_mutool_and_ghostscript_accept_it() {
    let dir = scratch();
    let path = write(&hard(), &Theme::default(), dir.path(), "checked");
    if require("qpdf") {
        let (ok, out, err) = run(Command::new("qpdf").arg("--check").arg(&path));
        assert!(
            ok && out.contains("No syntax or stream encoding errors"),
            "{out}{err}"
        );
        assert!(
            !(out.clone() + &err).to_lowercase().contains("warning"),
            "{out}{err}"
        );
    }
    if require("mutool") {
        let (ok, _, err) = run(Command::new("mutool")
            .args(["draw", "-q", "-o", "/dev/null", "-r", "36"])
            .arg(&path));
        assert!(ok && !err.to_lowercase().contains("error"), "{err}");
    }
    if require("gs") {
        let (ok, out, err) = run(Command::new("gs")
            .args(["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=nullpage"])
            .arg(&path));
        assert!(
            ok && out.trim().is_empty() && err.trim().is_empty(),
            "{out}{err}"
        );
    }
}

/// `pdfinfo` as field -> value.
fn pdfinfo(path: &Path) -> std::collections::BTreeMap<String, String> {
    let (ok, out, err) = run(Command::new("pdfinfo").args(["-enc", "UTF-8"]).arg(path));
    assert!(ok, "{err}");
    out.lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

#[test]
fn a4_and_letter_page_sizes() {
    if !require("pdfinfo") {
        return;
    }
    let dir = scratch();
    let a4 = write(&colombia(), &Theme::default(), dir.path(), "a4");
    let letter = write(
        &colombia(),
        &Theme {
            page: PageSize::Letter,
            ..Theme::default()
        },
        dir.path(),
        "letter",
    );
    assert_eq!(pdfinfo(&a4)["Page size"], "595.276 x 841.89 pts (A4)");
    assert_eq!(pdfinfo(&letter)["Page size"], "612 x 792 pts (letter)");
}

#[test]
fn metadata_outline_and_language() {
    if !require("pdfinfo") {
        return;
    }
    let dir = scratch();
    let path = write(&hard(), &Theme::default(), dir.path(), "meta");
    let info = pdfinfo(&path);
    assert_eq!(info["Title"], "Ñandú & <Co>: “Quotes” — dashes ]]> and ©");
    assert_eq!(info["Author"], "Zoë Ólafsdóttir, Nguyễn Văn Anh");
    assert_eq!(info["Subject"], "A summary that says <what> & why.");
    assert_eq!(info["Keywords"], "Colombia, trade & aid");
    assert_eq!(
        (info["Creator"].as_str(), info["Producer"].as_str()),
        ("briefpress", "briefpress")
    );
    assert_eq!(info["CreationDate"], "Mon Feb  2 00:00:00 2026 UTC");
    let bytes = std::fs::read(&path).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    assert!(
        raw.contains("/Lang(en)") || raw.contains("/Lang (en)"),
        "catalog /Lang"
    );
    // The outline, read with pypdf when it is there: nested, in document order.
    let script = "import sys\nfrom pypdf import PdfReader\ndef walk(o,d):\n  for x in o:\n    if isinstance(x,list): walk(x,d+1)\n    else: print('  '*d+x.title)\nwalk(PdfReader(sys.argv[1]).outline,0)";
    let (ok, out, err) = run(Command::new("python3").arg("-c").arg(script).arg(&path));
    if ok {
        assert_eq!(
            out, "Ελληνικά and Кириллица\n  Tiếng Việt: Hà Nội\n    A third-level heading\n",
            "{err}"
        );
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "pypdf is required under CI: {err}"
        );
    }
}

#[test]
fn same_bytes_twice_in_one_process() {
    let a = pdf::render(&hard(), &Theme::default()).unwrap();
    let b = pdf::render(&hard(), &Theme::default()).unwrap();
    assert!(a.bytes == b.bytes, "two renders in one process differ");
    let c = pdf::render(&colombia(), &Theme::default()).unwrap();
    let d = pdf::render(&colombia(), &Theme::default()).unwrap();
    assert!(c.bytes == d.bytes);
    assert!(a.bytes != c.bytes);
}

#[test]
fn long_url_stays_inside_the_right_margin() {
    if !require("pdftotext") {
        return;
    }
    let url = format!(
        "https://example.org/{}",
        "abcdefghij/".repeat(27) + "end?x=1&y=2"
    );
    assert!(url.len() >= 300);
    let mut a = Article {
        meta: Meta::new("Hostile"),
        photo: None,
        blocks: Vec::new(),
        notes: Vec::new(),
    };
    a.blocks = vec![
        Block::Paragraph {
            content: vec![
                text("See "),
                Inline::Link {
                    url: url.clone(),
                    content: vec![text(&url)],
                },
                text(" and also "),
                text("9".repeat(200)),
                text(" for the record."),
            ],
        },
        Block::List {
            ordered: true,
            start: 9,
            items: vec![vec![Block::List {
                ordered: false,
                start: 1,
                items: vec![vec![para(&url)]],
            }]],
        },
    ];
    let theme = Theme::default();
    let dir = scratch();
    let path = write(&a, &theme, dir.path(), "hostile");
    let bbox = pdftotext(&path, &["-bbox"]);
    let limit = theme.page.points().0 - theme.margins.right + 0.5;
    let mut words = 0;
    for line in bbox.lines().filter(|l| l.trim_start().starts_with("<word")) {
        let xmax: f32 = line
            .split("xMax=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .expect("xMax");
        assert!(xmax <= limit, "word sticks out ({xmax} > {limit}): {line}");
        words += 1;
    }
    assert!(words > 10);
    // The outer item's number survives although its first block is a nested list.
    assert!(
        flat(&pdftotext(&path, &[])).contains("9. •"),
        "outer list marker lost"
    );
    // Nothing of the URL is lost.
    let got: String = pdftotext(&path, &[]).split_whitespace().collect();
    assert!(got.contains(&url.replace(' ', "")), "{got}");
}

#[test]
fn a_character_no_font_has_is_a_warning() {
    let mut a = colombia();
    a.blocks.push(para("A cuneiform sign 𒀀 and a snowman ☃."));
    let out = pdf::render(&a, &Theme::default()).expect("renders despite the missing glyph");
    let messages: Vec<String> = out.warnings.iter().map(|w| w.message.clone()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("U+12000") && m.contains('𒀀')),
        "{messages:?}"
    );
    let dir = scratch();
    let path = write(&a, &Theme::default(), dir.path(), "missing");
    if require("pdftotext") {
        assert!(flat(&pdftotext(&path, &[])).contains("A cuneiform sign"));
    }
}

/// A JPEG with the given colour type, written by the `image` crate.
fn jpeg_of(color: image::ColorType) -> Image {
    let (w, h) = (64u32, 40u32);
    let mut data = Vec::new();
    let dynimg = match color {
        image::ColorType::L8 => {
            image::DynamicImage::ImageLuma8(image::GrayImage::from_fn(w, h, |x, _| {
                image::Luma([(x * 4) as u8])
            }))
        }
        _ => image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([200, (x * 4) as u8, (y * 6) as u8])
        })),
    };
    dynimg
        .write_to(
            &mut std::io::Cursor::new(&mut data),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    Image {
        data: Arc::new(data),
        format: ImageFormat::Jpeg,
        width: w,
        height: h,
    }
}

#[test]
fn jpegs_pass_through_unchanged() {
    let grey = jpeg_of(image::ColorType::L8);
    let mut a = colombia();
    a.blocks.push(Block::Figure {
        figure: briefpress::article::Figure {
            src: None,
            alt: String::new(),
            caption: "Grey".into(),
            credit: None,
            image: Some(grey.clone()),
        },
    });
    let out = pdf::render(&a, &Theme::default()).unwrap();
    let photo = colombia().photo.unwrap().image.unwrap();
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    assert!(
        find(&out.bytes, &photo.data),
        "the RGB JPEG's bytes are embedded as they are"
    );
    assert!(
        find(&out.bytes, &grey.data),
        "the grey JPEG's bytes are embedded as they are"
    );
    if require("pdfimages") {
        let dir = scratch();
        let path = write(&a, &Theme::default(), dir.path(), "jpegs");
        let (_, list, _) = run(Command::new("pdfimages").arg("-list").arg(&path));
        assert!(
            list.lines()
                .any(|l| l.contains(" gray ") && l.contains(" jpeg ")),
            "{list}"
        );
        assert!(
            list.lines()
                .any(|l| l.contains(" rgb ") && l.contains(" jpeg ")),
            "{list}"
        );
    }
}

#[test]
fn png_alpha_becomes_a_soft_mask_and_bad_images_are_errors() {
    let out = pdf::render(&hard(), &Theme::default()).unwrap();
    assert!(
        String::from_utf8_lossy(&out.bytes).contains("/SMask"),
        "PNG alpha as SMask"
    );
    let mut a = colombia();
    if let Some(p) = a.photo.as_mut() {
        p.image = Some(Image {
            data: Arc::new(vec![0xFF, 0xD8, 0xFF]),
            format: ImageFormat::Jpeg,
            width: 10,
            height: 10,
        });
    }
    assert!(
        pdf::render(&a, &Theme::default()).is_err(),
        "a broken JPEG is a render error"
    );
    if let Some(p) = a.photo.as_mut() {
        p.image = Some(Image {
            data: Arc::new(b"\x89PNG\r\n\x1a\nnope".to_vec()),
            format: ImageFormat::Png,
            width: 10,
            height: 10,
        });
    }
    assert!(
        pdf::render(&a, &Theme::default()).is_err(),
        "a broken PNG is a render error"
    );
    let _ = jpeg(2, 2);
}

/// Renders `hard()` in two fresh processes (this test binary, re-run in child mode) and
/// compares the bytes: printpdf's process-global id counter must not leak into the output.
#[test]
fn same_bytes_across_processes() {
    if let Some(target) = std::env::var_os("BRIEFPRESS_PDF_CHILD") {
        let out = pdf::render(&hard(), &Theme::default()).expect("renders");
        std::fs::write(target, out.bytes).expect("child writes");
        return;
    }
    let exe = std::env::current_exe().expect("test binary");
    let dir = scratch();
    let mut outputs = Vec::new();
    for k in 0..2 {
        let target = dir.path().join(format!("run{k}.pdf"));
        let (ok, stdout, stderr) = run(Command::new(&exe)
            .args([
                "pdf::same_bytes_across_processes",
                "--exact",
                "--test-threads=1",
            ])
            .env("BRIEFPRESS_PDF_CHILD", &target));
        assert!(ok, "{stdout}{stderr}");
        outputs.push(std::fs::read(&target).expect("pdf written by the child"));
    }
    assert!(
        outputs[0] == outputs[1],
        "two processes wrote different PDFs"
    );
    let here = pdf::render(&hard(), &Theme::default()).unwrap();
    assert!(
        here.bytes == outputs[0],
        "this process and a fresh one differ"
    );
}

/// A 16 × 16 pure red CMYK JPEG with an Adobe APP14 marker (inverted values), as Pillow writes it.
const RED_CMYK_JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xEE, 0x00, 0x0E, 0x41, 0x64, 0x6F, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00,
    0x00, 0x00, 0xFF, 0xDB, 0x00, 0x43, 0x00, 0x03, 0x02, 0x02, 0x03, 0x02, 0x02, 0x03, 0x03, 0x03,
    0x03, 0x04, 0x03, 0x03, 0x04, 0x05, 0x08, 0x05, 0x05, 0x04, 0x04, 0x05, 0x0A, 0x07, 0x07, 0x06,
    0x08, 0x0C, 0x0A, 0x0C, 0x0C, 0x0B, 0x0A, 0x0B, 0x0B, 0x0D, 0x0E, 0x12, 0x10, 0x0D, 0x0E, 0x11,
    0x0E, 0x0B, 0x0B, 0x10, 0x16, 0x10, 0x11, 0x13, 0x14, 0x15, 0x15, 0x15, 0x0C, 0x0F, 0x17, 0x18,
    0x16, 0x14, 0x18, 0x12, 0x14, 0x15, 0x14, 0xFF, 0xC0, 0x00, 0x14, 0x08, 0x00, 0x10, 0x00, 0x10,
    0x04, 0x43, 0x11, 0x00, 0x4D, 0x11, 0x00, 0x59, 0x11, 0x00, 0x4B, 0x11, 0x00, 0xFF, 0xC4, 0x00,
    0x1F, 0x00, 0x00, 0x01, 0x05, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0xFF, 0xC4,
    0x00, 0xB5, 0x10, 0x00, 0x02, 0x01, 0x03, 0x03, 0x02, 0x04, 0x03, 0x05, 0x05, 0x04, 0x04, 0x00,
    0x00, 0x01, 0x7D, 0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13,
    0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15,
    0x52, 0xD1, 0xF0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25,
    0x26, 0x27, 0x28, 0x29, 0x2A, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46,
    0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64, 0x65, 0x66,
    0x67, 0x68, 0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x83, 0x84, 0x85, 0x86,
    0x87, 0x88, 0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4,
    0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2,
    0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9,
    0xDA, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5,
    0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFF, 0xDA, 0x00, 0x0E, 0x04, 0x43, 0x00, 0x4D, 0x00, 0x59, 0x00,
    0x4B, 0x00, 0x00, 0x3F, 0x00, 0xFD, 0x53, 0xAF, 0xCA, 0xAA, 0xFC, 0xAA, 0xAF, 0xD5, 0x3A, 0x28,
    0xA2, 0x8A, 0x28, 0xA2, 0x8A, 0x28, 0xA2, 0x8A, 0xFF, 0xD9,
];

#[test]
fn cmyk_jpeg_is_not_a_negative() {
    if !require("pdftoppm") {
        return;
    }
    let mut a = colombia();
    if let Some(p) = a.photo.as_mut() {
        p.image = Some(Image {
            data: Arc::new(RED_CMYK_JPEG.to_vec()),
            format: ImageFormat::Jpeg,
            width: 16,
            height: 16,
        });
    }
    let dir = scratch();
    let path = write(&a, &Theme::default(), dir.path(), "cmyk");
    let base = dir.path().join("cmyk");
    let (ok, _, err) = run(Command::new("pdftoppm")
        .args(["-r", "20", "-png", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&path)
        .arg(&base));
    assert!(ok, "{err}");
    let page = image::open(base.with_extension("png"))
        .expect("page image")
        .to_rgb8();
    let red = page
        .pixels()
        .filter(|p| p.0[0] > 200 && p.0[1] < 80 && p.0[2] < 80)
        .count();
    let dark = page
        .pixels()
        .filter(|p| p.0[0] < 60 && p.0[1] < 60 && p.0[2] < 60)
        .count();
    assert!(
        red > 1000,
        "the red photo should show as red: {red} red pixels, {dark} dark"
    );
}
