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
pub(crate) fn write(article: &Article, theme: &Theme, dir: &Path, name: &str) -> PathBuf {
    let out = pdf::render(article, theme).expect("pdf renders");
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, &out.bytes).expect("write pdf");
    if let Some(keep) = std::env::var_os("BRIEFPRESS_PDF_OUT") {
        let _ = std::fs::create_dir_all(&keep);
        let _ = std::fs::write(Path::new(&keep).join(format!("{name}.pdf")), &out.bytes);
    }
    path
}

pub(crate) fn pdftotext(path: &Path, extra: &[&str]) -> String {
    let (ok, out, err) = run(Command::new("pdftotext")
        .args(extra)
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-"));
    assert!(ok, "pdftotext failed: {err}");
    out
}

/// Text with line ends and runs of spaces collapsed, as a reader would compare it.
pub(crate) fn flat(s: &str) -> String {
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
        "By Zoë Ólafsdóttir (Centre <Europe> & Co) and Nguyễn Văn Anh · February 2, 2026",
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
    assert!(
        raw.contains("/ViewerPreferences<</DisplayDocTitle true>>"),
        "viewers show the title, not the file name"
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
    let long_word = "x".repeat(1000);
    let key: String = (0..300u32)
        .map(|i| {
            let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            char::from(table[(i * 37 % 64) as usize])
        })
        .collect::<String>()
        + "3+/wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fICEiIyQlJicoKSorLC0uLzAxM";
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
        // A word many lines long, whose only breaks are hyphens (more than two in a row), and a
        // key whose cuts fall after a digit but before a letter (a hyphen the cut must make
        // room for).
        para(&key),
        para(&long_word),
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
    // Nor of the long word and the key (read without the hyphens their cuts show).
    let unhyphenated = got.replace('-', "");
    assert!(
        unhyphenated.contains(&long_word),
        "the long word lost letters"
    );
    assert!(
        unhyphenated.contains(&key),
        "the key lost characters: {got}"
    );
}

#[test]
fn a_character_no_font_has_is_a_warning() {
    let mut a = colombia();
    // U+0378 is unassigned: no font has it. The snowman is in the compiled-in symbol face.
    a.blocks
        .push(para("An unassigned code point \u{0378} and a snowman ☃."));
    let out = pdf::render(&a, &Theme::default()).expect("renders despite the missing glyph");
    let messages: Vec<String> = out.warnings.iter().map(|w| w.message.clone()).collect();
    let warning = messages
        .iter()
        .find(|m| m.contains("U+0378"))
        .unwrap_or_else(|| panic!("no warning names U+0378: {messages:?}"));
    // It names the words around the character and the fonts tried; the snowman is not missing.
    assert!(warning.contains("unassigned code point"), "{warning}");
    for font in [
        "Noto Serif",
        "Noto Sans",
        "Noto Sans Math",
        "Noto Sans Symbols2",
    ] {
        assert!(warning.contains(font), "{font} not named in {warning}");
    }
    assert!(!warning.contains("U+2603"), "{warning}");
    let dir = scratch();
    let path = write(&a, &Theme::default(), dir.path(), "missing");
    if require("pdftotext") {
        assert!(flat(&pdftotext(&path, &[])).contains("An unassigned code point"));
    }
}

/// Every character no face has is drawn with the one .notdef glyph; each must still copy out
/// as itself (it used to copy out as whichever missing character came first), and the warning
/// names them all at once.
#[test]
fn characters_without_a_glyph_copy_out_each_as_itself() {
    let mut a = colombia();
    a.blocks.push(para(
        "Flag 🇺🇳 then \u{0378} then ☕, cuneiform 𒀀, Arabic مرحبا and 🇺🇳 again.",
    ));
    let out = pdf::render(&a, &Theme::default()).expect("renders");
    let missing: Vec<&String> = out
        .warnings
        .iter()
        .map(|w| &w.message)
        .filter(|m| m.contains("no font at hand"))
        .collect();
    assert_eq!(missing.len(), 1, "one warning for all: {missing:?}");
    // No font has the regional indicators of a flag or an unassigned code point; the coffee
    // cup is in the compiled-in symbol face, cuneiform and Arabic in the system's Noto faces.
    for c in ["🇺", "🇳", "\u{0378}", "U+1F1FA", "U+1F1F3", "U+0378"] {
        assert!(missing[0].contains(c), "{c} not named in {}", missing[0]);
    }
    for c in ["U+2615", "U+12000", "U+0645"] {
        assert!(!missing[0].contains(c), "{c} named in {}", missing[0]);
    }
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let path = write(&a, &Theme::default(), dir.path(), "notdef");
    let got = flat(&pdftotext(&path, &[]));
    let ltr = "Flag 🇺🇳 then \u{0378} then ☕, cuneiform 𒀀, Arabic";
    assert!(got.contains(ltr), "{ltr:?} not in:\n{got}");
    assert!(got.contains("and 🇺🇳 again."), "{got}");
    // Layout sets every script left to right, and pdftotext reorders Arabic as if it were
    // visual order, so only the letters (not their order) are asserted here.
    for c in "مرحبا".chars() {
        assert!(got.contains(c), "{c} lost in:\n{got}");
    }
}

/// `meta.rights` was shown by DOCX and EPUB but missing from the PDF; it closes the article,
/// after the last body paragraph.
#[test]
fn the_rights_line_ends_the_article() {
    if !require("pdftotext") {
        return;
    }
    let mut a = colombia();
    let rights = "© 2026 The Example Council. All rights reserved — “CC BY-ND 4.0”.";
    a.meta.rights = Some(rights.to_owned());
    a.blocks.push(para("The very last body paragraph."));
    let dir = scratch();
    let path = write(&a, &Theme::default(), dir.path(), "rights");
    let got = flat(&pdftotext(&path, &[]));
    let (Some(last), Some(r)) = (got.find("The very last body paragraph."), got.find(rights))
    else {
        panic!("rights or last paragraph missing:\n{got}");
    };
    assert!(last < r, "rights before the body's end:\n{got}");
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
    let image = briefpress::read::images::check_image(data).unwrap();
    assert_eq!((image.width, image.height), (w, h));
    image
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
            jpeg: None,
            png: None,
            pixels: Default::default(),
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
            jpeg: None,
            png: None,
            pixels: Default::default(),
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
        p.image = Some(briefpress::read::images::check_image(RED_CMYK_JPEG.to_vec()).unwrap());
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

// ---- Book-quality typesetting ----

/// Prose with many long words, so a justified page must hyphenate some of them.
const EN_PROSE: &str = "Interconnection between neighbouring electricity systems is a security \
    asset only when the institutional arrangements behind the transmission infrastructure \
    guarantee that contracted transfers continue during hydrological emergencies, because \
    uncoordinated curtailment concentrates the consequences of simultaneous droughts on the \
    importing country, whose distribution companies cannot renegotiate collateral requirements \
    overnight, and whose governments consequently experience rationing, industrial disruption \
    and considerable political embarrassment.";

const ES_PROSE: &str = "La interconexión eléctrica entre países vecinos constituye un activo \
    estratégico únicamente cuando los acuerdos institucionales que respaldan la infraestructura \
    de transmisión garantizan que las transferencias contratadas continúen durante las \
    emergencias hidrológicas, porque la interrupción descoordinada concentra las consecuencias \
    de las sequías simultáneas sobre el país importador, cuyas empresas distribuidoras no pueden \
    renegociar garantías financieras de manera inmediata.";

/// `paragraphs` paragraphs of `prose`, the k-th with its words rotated by k (so each one
/// breaks differently).
fn prose_article(language: &str, prose: &str, paragraphs: usize) -> Article {
    let mut meta = Meta::new("Hyphenation test");
    meta.language = language.into();
    let words: Vec<&str> = prose.split_whitespace().collect();
    Article {
        meta,
        photo: None,
        blocks: (0..paragraphs)
            .map(|k| {
                let mut w = words.clone();
                w.rotate_left(k * 3 % words.len());
                para(w.join(" "))
            })
            .collect(),
        notes: Vec::new(),
    }
}

/// Lines of extracted text that end in a letter followed by a hyphen.
fn hyphen_ends(text: &str) -> Vec<bool> {
    text.lines()
        .map(|l| {
            let l = l.trim_end();
            let mut cs = l.chars().rev();
            cs.next() == Some('-') && cs.next().is_some_and(char::is_alphabetic)
        })
        .collect()
}

/// Words as validate compares them: a hyphen at a line end joins the next line's word.
fn joined_words(text: &str) -> Vec<String> {
    let mut joined = String::new();
    for line in text.lines() {
        let l = line.trim_end();
        if l.ends_with('-') && l.chars().rev().nth(1).is_some_and(char::is_alphabetic) {
            joined.push_str(&l[..l.len() - 1]);
        } else {
            joined.push_str(l);
            joined.push(' ');
        }
    }
    joined
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn english_and_spanish_hyphenate_and_every_word_survives() {
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    for (lang, prose) in [("en", EN_PROSE), ("es-CO", ES_PROSE)] {
        // Two paragraphs at a narrow measure (hyphens needed), on one page (no running header
        // interrupts the text).
        let a = prose_article(lang, prose, 2);
        let mut theme = Theme::default();
        theme.margins.left = 180.0;
        theme.margins.right = 180.0;
        let out = pdf::render(&a, &theme).unwrap();
        assert!(
            !out.warnings
                .iter()
                .any(|w| w.to_string().contains("hyphenation")),
            "{lang}: {:?}",
            out.warnings
        );
        let path = write(&a, &theme, dir.path(), &format!("hyph-{lang}"));
        // Raw order: pdftotext's default mode joins hyphenated line ends itself.
        let got = pdftotext(&path, &["-raw"]);
        let ends = hyphen_ends(&got);
        assert!(
            ends.iter().any(|h| *h),
            "{lang}: no word was hyphenated:\n{got}"
        );
        // Every source word comes back whole, in order, after the masthead.
        let source: String = a
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph { content } => briefpress::article::plain_text(content) + "\n",
                _ => String::new(),
            })
            .collect();
        let want = joined_words(&format!("briefpress\nHyphenation test\n{source}"));
        assert_eq!(joined_words(&got), want, "{lang}");
        // No paragraph's last word is broken.
        for b in &a.blocks {
            if let Block::Paragraph { content } = b {
                let text = briefpress::article::plain_text(content);
                let last = text.split_whitespace().last().unwrap_or_default();
                assert!(
                    got.lines().all(|l| l.trim() != last || !l.ends_with('-')),
                    "{lang}: {last}"
                );
                let stem: String = last.chars().take(3).collect();
                assert!(
                    !got.lines()
                        .any(|l| l.trim_end().ends_with(&format!(" {stem}-"))),
                    "{lang}: the last word {last:?} was hyphenated"
                );
            }
        }
    }
}

#[test]
fn a_language_without_patterns_warns_once_and_does_not_hyphenate() {
    if !require("pdftotext") {
        return;
    }
    // Vietnamese: Latin script, and no hyphenation patterns in hypher.
    let a = prose_article("vi", EN_PROSE, 4);
    let out = pdf::render(&a, &Theme::default()).unwrap();
    let n = out
        .warnings
        .iter()
        .filter(|w| w.to_string().contains("hyphenation"))
        .count();
    assert_eq!(n, 1, "{:?}", out.warnings);
    let dir = scratch();
    let path = write(&a, &Theme::default(), dir.path(), "hyph-vi");
    assert!(!hyphen_ends(&pdftotext(&path, &["-raw"])).iter().any(|h| *h));
}

#[test]
fn never_three_hyphenated_lines_in_a_row() {
    if !require("pdftotext") {
        return;
    }
    // A narrow measure makes hyphens tempting everywhere.
    let mut theme = Theme::default();
    theme.margins.left = 200.0;
    theme.margins.right = 200.0;
    let a = prose_article("en", EN_PROSE, 12);
    let dir = scratch();
    let path = write(&a, &theme, dir.path(), "ladder");
    let ends = hyphen_ends(&pdftotext(&path, &["-raw"]));
    let (mut run, mut longest) = (0, 0);
    for h in &ends {
        run = if *h { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    assert!(longest >= 1, "nothing hyphenated at all");
    assert!(longest <= 2, "a ladder of {longest} hyphenated lines");
}

/// A long article of numbered paragraphs ("Para007 …") of varying length under headings.
fn pagination_article() -> Article {
    let mut blocks = Vec::new();
    for k in 0..40 {
        if k % 4 == 1 {
            blocks.push(Block::Heading {
                level: 2,
                content: vec![text(format!("Heading{k:03} on policy"))],
            });
        }
        let n = 1 + (k * 7) % 9;
        let body = std::iter::repeat_n(
            "The region has built the physical links of an integrated system without the rules that would make anyone rely on them.",
            n,
        )
        .collect::<Vec<_>>()
        .join(" ");
        blocks.push(para(format!("Para{k:03} {body}")));
    }
    Article {
        meta: Meta::new("Pagination test"),
        photo: None,
        blocks,
        notes: Vec::new(),
    }
}

/// A page ended on "distribu-" in the long brief: a hyphenated line now keeps with the next
/// (TeX's \brokenpenalty), so no page but the last ends on a broken word.
#[test]
fn no_page_ends_on_a_hyphenated_line() {
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let a = prose_article("en", EN_PROSE, 40);
    let mut theme = Theme::default();
    // A narrow measure: many hyphens, so many pages would end on one by chance.
    theme.margins.left = 160.0;
    theme.margins.right = 160.0;
    let path = write(&a, &theme, dir.path(), "broken");
    let pages = body_lines(&path);
    assert!(pages.len() >= 6, "only {} pages", pages.len());
    let hyphenated: usize = pages
        .iter()
        .map(|p| hyphen_ends(&p.join("\n")).iter().filter(|h| **h).count())
        .sum();
    assert!(hyphenated >= 20, "only {hyphenated} hyphenated lines");
    for (p, lines) in pages.iter().enumerate().take(pages.len() - 1) {
        let last = lines.last().map(String::as_str).unwrap_or_default();
        assert!(
            !hyphen_ends(last)[0],
            "page {} ends on a hyphenated line {last:?}",
            p + 1
        );
    }
}

/// Each page's body lines in content order (`-raw`, so hyphenated lines stay two lines), the
/// running header and the folio dropped.
fn body_lines(path: &Path) -> Vec<Vec<String>> {
    let pages = lopdf::Document::load(path).unwrap().get_pages().len();
    (1..=pages)
        .map(|p| {
            let t = pdftotext(path, &["-raw", "-f", &p.to_string(), "-l", &p.to_string()]);
            let lines: Vec<String> = t
                .lines()
                .map(|l| {
                    l.trim_matches(|c: char| c.is_whitespace() || c == '\u{c}')
                        .to_owned()
                })
                .filter(|l| !l.is_empty())
                .collect();
            // In content order the running header and the folio come first.
            lines.into_iter().skip(if p > 1 { 2 } else { 0 }).collect()
        })
        .collect()
}

#[test]
fn a_heading_never_ends_a_page_and_keeps_two_lines_below_it() {
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let path = write(&pagination_article(), &Theme::default(), dir.path(), "keep");
    let pages = body_lines(&path);
    assert!(pages.len() >= 4, "only {} pages", pages.len());
    for (p, lines) in pages.iter().enumerate() {
        for (i, l) in lines.iter().enumerate() {
            if l.starts_with("Heading") {
                assert!(
                    i + 2 < lines.len(),
                    "page {}: heading {l:?} has {} lines under it",
                    p + 1,
                    lines.len() - i - 1
                );
            }
        }
    }
}

#[test]
fn a_paragraph_split_across_pages_keeps_two_lines_on_each_side() {
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let path = write(
        &pagination_article(),
        &Theme::default(),
        dir.path(),
        "widows",
    );
    let pages = body_lines(&path);
    let starts = |l: &String| l.starts_with("Para") || l.starts_with("Heading");
    for p in 1..pages.len() {
        // Lines continuing the previous page's last paragraph (no widow).
        let carried = pages[p].iter().take_while(|l| !starts(l)).count();
        if carried == 0 {
            continue;
        }
        assert!(
            carried >= 2,
            "page {}: a widow line {:?}",
            p + 1,
            pages[p][0]
        );
        // Lines of that paragraph on the page before (no orphan).
        let before = &pages[p - 1];
        let from = before.iter().rposition(starts).unwrap_or(0);
        assert!(
            before.len() - from >= 2,
            "page {}: an orphan line {:?}",
            p,
            before[from]
        );
    }
}

/// A widow line citing a long note used to be pushed alone onto the next page: the
/// next-to-last line fitted with its own notes, and the chain's notes were not counted (long
/// brief: "reservoirs fall.⁶" alone on page 7). Every paragraph here ends citing a 4-line note.
#[test]
fn a_last_line_citing_a_long_note_is_not_a_widow() {
    use briefpress::article::Footnote;
    if !require("pdftotext") {
        return;
    }
    let mut a = pagination_article();
    let mut notes = Vec::new();
    for (k, b) in a.blocks.iter_mut().enumerate() {
        if let Block::Paragraph { content } = b {
            let id = format!("n{k}");
            content.push(Inline::FootnoteRef { id: id.clone() });
            notes.push(Footnote {
                id,
                blocks: vec![para(vec!["zq"; 60].join(" "))],
            });
        }
    }
    a.notes = notes;
    let dir = scratch();
    let path = write(&a, &Theme::default(), dir.path(), "note-widows");
    let pages: Vec<Vec<String>> = body_lines(&path)
        .into_iter()
        .map(|p| {
            p.into_iter()
                .filter(|l| {
                    !l.split_whitespace()
                        .all(|w| w == "zq" || w.chars().all(|c| c.is_ascii_digit()))
                })
                .collect()
        })
        .collect();
    assert!(pages.len() >= 5, "only {} pages", pages.len());
    let starts = |l: &String| l.starts_with("Para") || l.starts_with("Heading");
    for (p, lines) in pages.iter().enumerate().skip(1) {
        let carried = lines.iter().take_while(|l| !starts(l)).count();
        assert!(carried != 1, "page {}: a widow line {:?}", p + 1, lines[0]);
    }
}

#[test]
fn footnote_references_and_notes_link_to_each_other() {
    let a = hard();
    let out = pdf::render(&a, &Theme::default()).unwrap();
    let doc = lopdf::Document::load_mem(&out.bytes).unwrap();
    let pages: Vec<lopdf::ObjectId> = doc.get_pages().values().copied().collect();
    let mut jumps = 0;
    for page in &pages {
        let dict = doc.get_dictionary(*page).unwrap();
        let Ok(annots) = dict.get(b"Annots").and_then(lopdf::Object::as_array) else {
            continue;
        };
        for annot in annots {
            let annot = match annot {
                lopdf::Object::Reference(id) => doc.get_dictionary(*id).unwrap(),
                lopdf::Object::Dictionary(d) => d,
                _ => continue,
            };
            let Ok(action) = annot.get(b"A").and_then(lopdf::Object::as_dict) else {
                continue;
            };
            if action.get(b"S").and_then(lopdf::Object::as_name).ok() != Some(b"GoTo".as_ref()) {
                continue;
            }
            let dest = action.get(b"D").and_then(lopdf::Object::as_array).unwrap();
            let target = dest[0].as_reference().unwrap();
            assert!(pages.contains(&target), "a jump to a missing page");
            jumps += 1;
        }
    }
    // One jump from each reference to its note and one back from each note.
    assert!(
        jumps >= 2 * a.notes.len(),
        "{jumps} jumps for {} notes",
        a.notes.len()
    );
}

#[test]
fn xmp_metadata_is_well_formed_and_complete() {
    let a = hard();
    let out = pdf::render(&a, &Theme::default()).unwrap();
    let bytes = &out.bytes;
    let start = bytes
        .windows(15)
        .position(|w| w == b"<?xpacket begin")
        .expect("an XMP packet");
    let end = bytes[start..]
        .windows(13)
        .position(|w| w == b"<?xpacket end")
        .expect("packet end")
        + start;
    let close = bytes[end..].iter().position(|b| *b == b'>').unwrap() + end + 1;
    let xml = std::str::from_utf8(&bytes[start..close]).unwrap();
    let doc = roxmltree::Document::parse(xml).expect("well-formed XMP");
    const DC: &str = "http://purl.org/dc/elements/1.1/";
    let items = |name: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.tag_name().namespace() == Some(DC) && n.tag_name().name() == name)
            .flat_map(|n| n.descendants().filter(|d| d.tag_name().name() == "li"))
            .map(|li| li.text().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(items("title"), vec![a.meta.title.clone()]);
    assert_eq!(
        items("creator"),
        a.meta
            .authors
            .iter()
            .map(|x| x.name.clone())
            .collect::<Vec<_>>()
    );
    assert_eq!(items("language"), vec![a.meta.language.clone()]);
    assert_eq!(items("subject"), a.meta.keywords);
    assert!(
        xml.contains("<xmp:CreateDate>2026-02-02T00:00:00Z</xmp:CreateDate>"),
        "{xml}"
    );
}

#[test]
fn an_oversized_image_is_downsampled_with_its_aspect_kept() {
    // 6 000 × 1 500 px across a 425 pt measure is about 1 000 dpi.
    let big = crate::sample::png(6000, 1500);
    let mut a = colombia();
    a.photo = None;
    a.blocks.push(Block::Figure {
        figure: briefpress::article::Figure {
            src: None,
            alt: "A wide chart".into(),
            caption: "Wide".into(),
            credit: None,
            image: Some(big),
        },
    });
    let out = pdf::render(&a, &Theme::default()).unwrap();
    let doc = lopdf::Document::load_mem(&out.bytes).unwrap();
    let mut seen = 0;
    for obj in doc.objects.values() {
        let Ok(stream) = obj.as_stream() else {
            continue;
        };
        let d = &stream.dict;
        if d.get(b"Subtype").and_then(lopdf::Object::as_name).ok() != Some(b"Image".as_ref())
            || d.has(b"Decode")
            || d.get(b"ColorSpace").and_then(lopdf::Object::as_name).ok()
                != Some(b"DeviceRGB".as_ref())
        {
            continue;
        }
        let w = d.get(b"Width").and_then(lopdf::Object::as_i64).unwrap();
        let h = d.get(b"Height").and_then(lopdf::Object::as_i64).unwrap();
        assert!(w < 2000, "not downsampled: {w} px wide");
        assert!(w > 1500, "downsampled below 300 dpi: {w} px");
        let ratio = w as f64 / h as f64;
        assert!((ratio - 4.0).abs() < 0.01, "aspect {ratio}");
        seen += 1;
    }
    assert_eq!(seen, 1);
}

/// Height of the first word `word` on the page in `pdftotext -bbox` (proportional to its size).
fn word_height(path: &Path, word: &str) -> f32 {
    let xml = pdftotext(path, &["-bbox"]);
    let attr = |line: &str, name: &str| -> f32 {
        line.split(&format!("{name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(f32::NAN)
    };
    xml.lines()
        .find(|l| l.trim_end().ends_with(&format!(">{word}</word>")))
        .map(|l| attr(l, "yMax") - attr(l, "yMin"))
        .unwrap_or_else(|| panic!("{word:?} not in:\n{xml}"))
}

/// A multi-page article for the page furniture tests.
fn furniture_article() -> Article {
    let mut a = colombia();
    for k in 0..40 {
        a.blocks.push(para(format!("Paragraph {k}. {EN_PROSE}")));
    }
    a
}

/// Theme: `theme.header` replaces the short title in the running header, and
/// `theme.footer` is set beside the folio.
#[test]
fn theme_header_and_footer_appear_on_later_pages() {
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let a = furniture_article();
    let theme = Theme {
        header: Some("Andean Energy Series — Brief 7".to_owned()),
        footer: Some("Example Council · example.org".to_owned()),
        ..Theme::default()
    };
    let plain = write(&a, &Theme::default(), dir.path(), "furniture-default");
    let themed = write(&a, &theme, dir.path(), "furniture-themed");
    let page2 = |p: &Path| pdftotext(p, &["-f", "2", "-l", "2"]);
    let (before, after) = (page2(&plain), page2(&themed));
    assert!(!before.contains("Andean Energy Series"), "{before}");
    assert!(!before.contains("example.org"), "{before}");
    assert!(before.contains("To repair US-Colombia ties"), "{before}");
    assert!(after.contains("Andean Energy Series — Brief 7"), "{after}");
    assert!(!after.contains("To repair US-Colombia ties"), "{after}");
    assert!(after.contains("Example Council · example.org"), "{after}");
    // The folio is still there.
    assert!(after.split_whitespace().any(|w| w == "2"), "{after}");
}

/// A PNG logo is drawn in the masthead (one more image), and so is an SVG logo (its raster),
/// scripts and references and all stripped when the theme loaded.
#[test]
fn theme_logo_is_drawn_whether_png_or_svg() {
    use briefpress::theme::Logo;
    let a = colombia();
    let png_theme = Theme {
        logo: Some(Logo::load(crate::sample::png(300, 100).data.as_ref().clone()).unwrap()),
        ..Theme::default()
    };
    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="30" height="10" onload="alert(1)"><script>alert(2)</script><image href="https://evil.example/x.png" width="5" height="5"/><image href="file:///etc/passwd" width="5" height="5"/><rect width="30" height="10" fill="#036"/></svg>"##;
    let svg_theme = Theme {
        logo: Some(Logo::load(svg.to_vec()).unwrap()),
        ..Theme::default()
    };
    let svg = pdf::render(&a, &svg_theme).expect("renders");
    assert!(
        !svg.warnings.iter().any(|w| w.message.contains("logo")),
        "{:?}",
        svg.warnings
    );
    let png = pdf::render(&a, &png_theme).expect("renders");
    assert!(
        !png.warnings.iter().any(|w| w.message.contains("logo")),
        "{:?}",
        png.warnings
    );
    if !require("pdfimages") {
        return;
    }
    let dir = scratch();
    let count = |theme: &Theme, name: &str| {
        let path = write(&a, theme, dir.path(), name);
        let (_, list, _) = run(Command::new("pdfimages").arg("-list").arg(&path));
        list.lines()
            .skip(2)
            .filter(|l| l.split_whitespace().nth(2) == Some("image"))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let plain = count(&Theme::default(), "logo-none");
    let with_logo = count(&png_theme, "logo-png");
    assert_eq!(with_logo.len(), plain.len() + 1, "{with_logo:?}");
    // Drawn on page 1, 300 × 100 px at 12 mm high: aspect kept.
    assert!(
        with_logo
            .iter()
            .any(|l| l.split_whitespace().take(5).collect::<Vec<_>>()[3..] == ["300", "100"]),
        "{with_logo:?}"
    );
    // The SVG's raster (downsampled to 300 dpi of its 12 mm), its 3 : 1 aspect kept.
    let with_svg = count(&svg_theme, "logo-svg");
    assert_eq!(with_svg.len(), plain.len() + 1, "{with_svg:?}");
    assert!(
        with_svg.iter().any(|l| {
            let f: Vec<f32> = l
                .split_whitespace()
                .skip(3)
                .take(2)
                .filter_map(|x| x.parse().ok())
                .collect();
            f.len() == 2 && (f[0] / f[1] - 3.0).abs() < 0.05
        }),
        "{with_svg:?}"
    );
}

/// Theme: `heading_scale` sizes the headings (level 1 = base × scale³).
#[test]
fn theme_heading_scale_sizes_headings() {
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let a = colombia();
    let big = Theme {
        heading_scale: 1.5,
        ..Theme::default()
    };
    let default = word_height(&write(&a, &Theme::default(), dir.path(), "hs-11"), "Where");
    let larger = word_height(&write(&a, &big, dir.path(), "hs-15"), "Where");
    let body = word_height(&write(&a, &Theme::default(), dir.path(), "hs-b"), "Oval");
    // The default 1.1³ = 1.33 and 1.5³ = 3.375 times the body size.
    let expected = Theme::default().heading_scale.powi(3);
    assert!(
        (default / body - expected).abs() < 0.1,
        "{default} / {body}"
    );
    assert!((larger / body - 3.375).abs() < 0.15, "{larger} / {body}");
}

/// Theme: `hyphenate = false` sets the PDF without breaking words.
#[test]
fn theme_hyphenate_false_breaks_no_word() {
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let a = prose_article("en", EN_PROSE, 6);
    let mut theme = Theme::default();
    theme.margins.left = 160.0;
    theme.margins.right = 160.0;
    let on = pdftotext(&write(&a, &theme, dir.path(), "hy-on"), &["-raw"]);
    theme.hyphenate = false;
    let off = pdftotext(&write(&a, &theme, dir.path(), "hy-off"), &["-raw"]);
    let count = |t: &str| hyphen_ends(t).iter().filter(|h| **h).count();
    assert!(count(&on) >= 3, "{on}");
    assert_eq!(count(&off), 0, "{off}");
    // The same words (the running header falls elsewhere, so compare them sorted).
    let sorted = |t: &str| {
        let mut w = joined_words(t);
        w.sort();
        w
    };
    assert_eq!(sorted(&on), sorted(&off));
}

/// The pagination fixture with a 26-line note cited seven lines above the first page's foot.
fn long_footnote_fixture() -> Article {
    use briefpress::read::{self, MemoryAssets, SourceFormat};
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pagination/long-footnote.md");
    let bytes = std::fs::read(&path).expect("fixture exists");
    read::read(
        SourceFormat::Markdown,
        &bytes,
        "long-footnote",
        &MemoryAssets::default(),
    )
    .expect("fixture reads")
    .article
}

/// Lines of text in runs of `size` on a page, in painting order: each run's glyph text, runs
/// on one baseline joined.
fn lines_of_size(page: &briefpress::layout::Page, size: f32) -> Vec<(f32, String)> {
    let mut lines: Vec<(f32, String)> = Vec::new();
    for item in &page.items {
        if let briefpress::layout::Item::Text(run) = item
            && (run.size - size).abs() < 0.01
        {
            let text: String = run.glyphs.iter().map(|g| run.glyph_text(g)).collect();
            match lines.last_mut() {
                Some((y, t)) if (*y - run.origin.y).abs() < 0.01 => t.push_str(&text),
                _ => lines.push((run.origin.y, text)),
            }
        }
    }
    lines
}

/// A note too long for the foot of the page that cites it starts there (its first lines on
/// the reference's page) and continues at the foot of the next page; no line is lost, none
/// leaves the text block, and the pages stay few.
#[test]
fn a_long_footnote_continues_on_the_next_page() {
    let article = long_footnote_fixture();
    let theme = Theme::default();
    let laid = briefpress::layout::layout(&article, &theme).expect("layout");
    let (_, ph) = theme.page.points();
    let (top, bottom) = (theme.margins.top, ph - theme.margins.bottom);
    // Footnotes are set at 0.78 of the body size, references at 0.62.
    let note_size = theme.base_size * 0.78;
    let ref_size = theme.base_size * 0.62;
    let note = briefpress::article::plain_text(match &article.notes[1].blocks[0] {
        Block::Paragraph { content } => content,
        other => panic!("{other:?}"),
    });
    // Where the reference "2" sits and which pages carry the note's lines.
    let ref_page = laid
        .pages
        .iter()
        .position(|p| lines_of_size(p, ref_size).iter().any(|(_, t)| t == "2"))
        .expect("the reference is set");
    let mut got = String::new();
    let mut pages_with_note = Vec::new();
    for (k, page) in laid.pages.iter().enumerate() {
        let lines = lines_of_size(page, note_size);
        // The first line opens with the hanging number, painted before the line's text.
        let start = lines
            .iter()
            .position(|(_, t)| t.starts_with("2This note"))
            .map(|i| i + 1);
        // On the reference's page the note follows note 1; later it opens the notes area.
        let from = match start {
            Some(i) => {
                let first = &lines[i - 1].1;
                assert!(first.starts_with('2'), "{first:?}");
                got.push_str(&first[1..]);
                i
            }
            None if !pages_with_note.is_empty() => 0,
            None => continue,
        };
        let mine = &lines[from..];
        if start.is_none() && mine.is_empty() {
            continue;
        }
        pages_with_note.push((k, mine.len() + usize::from(start.is_some())));
        for (y, text) in lines.iter() {
            assert!(
                *y > top && *y < bottom,
                "page {}: a note line at y = {y} is outside the text block ({top}–{bottom}): {text:?}",
                k + 1
            );
        }
        for (_, text) in mine {
            // A line ending in a hyphen joins the next line's word (hyphens are compared
            // apart: a break at "Inter-American" and one at "transmis-sion" look alike).
            if !got.ends_with('-') {
                got.push(' ');
            }
            got.push_str(text);
        }
    }
    let unhyphenated = |s: &str| flat(s).replace('-', "");
    assert_eq!(
        unhyphenated(&got),
        unhyphenated(&note),
        "the note's text, line by line"
    );
    assert_eq!(
        pages_with_note.first().map(|p| p.0),
        Some(ref_page),
        "the note starts on its reference's page"
    );
    assert_eq!(
        pages_with_note.len(),
        2,
        "the note spans {pages_with_note:?}"
    );
    assert!(
        pages_with_note.iter().all(|(_, n)| *n >= 2),
        "at least two lines each side: {pages_with_note:?}"
    );
    assert_eq!(pages_with_note[1].0, ref_page + 1);
    assert!(laid.pages.len() <= 3, "{} pages", laid.pages.len());
    // Every text line of the body stays in the block too.
    for (k, page) in laid.pages.iter().enumerate() {
        for (y, text) in lines_of_size(page, theme.base_size) {
            assert!(y > top && y < bottom, "page {}: {text:?} at {y}", k + 1);
        }
    }
    // And the PDF gives every word back in order: the body, and the note across the pages.
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let path = write(&article, &theme, dir.path(), "long-footnote");
    let text = pdftotext(&path, &["-raw"]);
    crate::tools::in_order(&note, &text).unwrap_or_else(|e| panic!("note: {e}"));
    let body: String = article
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { content } => briefpress::article::plain_text(content) + "\n",
            _ => String::new(),
        })
        .collect();
    crate::tools::in_order(&body, &text).unwrap_or_else(|e| panic!("body: {e}"));
}

/// A note longer than a whole page continues over as many pages as it needs, half a page at
/// most while body text remains, then on pages of its own; every word arrives, in order, and
/// every line stays in the text block.
#[test]
fn a_note_longer_than_a_page_runs_over_several_pages() {
    use briefpress::article::Footnote;
    let mut article = long_footnote_fixture();
    let words: Vec<String> = (0..2500).map(|k| format!("zq{k:04}x")).collect();
    article.notes[1] = Footnote {
        id: article.notes[1].id.clone(),
        blocks: vec![para(words.join(" "))],
    };
    let theme = Theme::default();
    let laid = briefpress::layout::layout(&article, &theme).expect("layout");
    let (_, ph) = theme.page.points();
    let (top, bottom) = (theme.margins.top, ph - theme.margins.bottom);
    let mut seen = Vec::new();
    for (k, page) in laid.pages.iter().enumerate() {
        for size in [theme.base_size, theme.base_size * 0.78] {
            for (y, text) in lines_of_size(page, size) {
                assert!(y > top && y < bottom, "page {}: {text:?} at {y}", k + 1);
                // The hanging number "2" is painted before the first line's text.
                seen.extend(
                    text.split_whitespace()
                        .map(|w| w.trim_start_matches(|c: char| c.is_ascii_digit()))
                        .filter(|w| w.starts_with("zq"))
                        .map(|w| w.get(..7).unwrap_or(w).to_owned()),
                );
            }
        }
    }
    assert_eq!(seen, words, "the note's words, in order, each once");
    assert!(
        laid.pages.len() >= 4 && laid.pages.len() <= 8,
        "{} pages",
        laid.pages.len()
    );
}

/// Lines of `pdftotext -bbox-layout`: each line's words with their right edges.
fn bbox_lines(path: &Path) -> Vec<Vec<(String, f32)>> {
    let xml = pdftotext(path, &["-bbox-layout"]);
    let mut lines = Vec::new();
    for chunk in xml.split("<line ").skip(1) {
        let body = chunk.split("</line>").next().unwrap_or_default();
        let words = body
            .split("<word ")
            .skip(1)
            .filter_map(|w| {
                let xmax: f32 = w.split("xMax=\"").nth(1)?.split('"').next()?.parse().ok()?;
                let text = w.split('>').nth(1)?.split("</word").next()?.to_owned();
                Some((text, xmax))
            })
            .collect();
        lines.push(words);
    }
    lines
}

/// A line holding only URL pieces has no word space to stretch; it was left ragged (the hard
/// brief's justified share was 86 %). Its letters now take the room, a little each, so it
/// ends on the right edge like its neighbours, and still copies out as one word.
#[test]
fn a_line_of_url_pieces_is_justified_by_letter_spacing() {
    if !require("pdftotext") {
        return;
    }
    let url = "https://example.org/a/very/long/path/that/keeps/going/and/going/without/any/spaces/at/all/to/break/on/0123456789012345678901234567890123456789";
    let mut a = Article {
        meta: Meta::new("URL lines"),
        photo: None,
        blocks: Vec::new(),
        notes: Vec::new(),
    };
    a.blocks = vec![para(format!(
        "A very long URL that must not overflow the measure: {url} and {url} end."
    ))];
    let theme = Theme::default();
    let dir = scratch();
    let path = write(&a, &theme, dir.path(), "url-lines");
    let right = theme.page.points().0 - theme.margins.right;
    let lines = bbox_lines(&path);
    let body: Vec<&Vec<(String, f32)>> = lines
        .iter()
        .skip_while(|l| l.first().is_none_or(|w| w.0 != "A"))
        .collect();
    assert!(body.len() >= 5, "{lines:?}");
    let mut url_only = 0;
    for line in &body[..body.len() - 1] {
        let end = line.last().map_or(0.0, |w| w.1);
        assert!(
            (end - right).abs() <= 1.0,
            "a line ends at {end}, not at the right edge {right}: {line:?}"
        );
        if line.len() == 1 {
            url_only += 1;
            assert!(
                url.contains(&line[0].0),
                "split inside a URL line: {line:?}"
            );
        }
    }
    assert!(url_only >= 2, "no line of URL pieces alone: {body:?}");
    let got: String = pdftotext(&path, &[]).split_whitespace().collect();
    assert_eq!(got.matches(url).count(), 2, "{got}");
}

/// Each line of a page's text in `size`, top to bottom, its glyphs' source text in visual order
/// (by x), with the line's left and right ends.
pub(crate) fn visual_lines(page: &briefpress::layout::Page, size: f32) -> Vec<(String, f32, f32)> {
    let mut lines: Vec<(f32, Vec<(f32, String)>)> = Vec::new();
    for item in &page.items {
        if let briefpress::layout::Item::Text(run) = item
            && (run.size - size).abs() < 0.01
        {
            let glyphs = run
                .glyphs
                .iter()
                .map(|g| (run.origin.x + g.x, run.glyph_text(g).to_owned()));
            match lines
                .iter_mut()
                .find(|(y, _)| (*y - run.origin.y).abs() < 0.01)
            {
                Some((_, g)) => g.extend(glyphs),
                None => lines.push((run.origin.y, glyphs.collect())),
            }
        }
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    lines
        .into_iter()
        .map(|(_, mut g)| {
            g.sort_by(|a, b| a.0.total_cmp(&b.0));
            let left = g.first().map_or(0.0, |x| x.0);
            let right = g.last().map_or(0.0, |x| x.0);
            (g.into_iter().map(|x| x.1).collect(), left, right)
        })
        .collect()
}

/// Hebrew words inside an English paragraph are set in visual order by UAX #9: each Hebrew
/// run reads right to left, and a run of two Hebrew words shows its second word first; the
/// English around them keeps its order. The text still copies out in logical order.
#[test]
fn hebrew_inside_english_is_set_in_visual_order() {
    let mut a = Article {
        meta: Meta::new("Mixed direction"),
        photo: None,
        blocks: Vec::new(),
        notes: Vec::new(),
    };
    a.blocks = vec![para(
        "The delegates from ירושלים and תל אביב met in Geneva on 12 March.",
    )];
    let theme = Theme::default();
    let laid = briefpress::layout::layout(&a, &theme).expect("layout");
    let line = visual_lines(&laid.pages[0], theme.base_size)
        .into_iter()
        .map(|l| l.0)
        .find(|l| l.starts_with("The delegates"))
        .expect("the paragraph's line");
    let rev = |s: &str| s.chars().rev().collect::<String>();
    let want = format!(
        "The delegates from {} and {} met in Geneva on 12 March.",
        rev("ירושלים"),
        rev("תל אביב")
    );
    assert_eq!(line, want);
    // The theme's faces have no Hebrew; a system face (Debian's fonts-noto-core, which
    // `.ci/run` installs) draws it, so no warning names the letters.
    let out = pdf::render(&a, &theme).expect("renders");
    assert!(
        !out.warnings
            .iter()
            .any(|w| w.to_string().contains("U+05D0")),
        "{:?}",
        out.warnings
    );
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let path = write(&a, &theme, dir.path(), "mixed-direction");
    // pdftotext's default mode puts right-to-left text back in logical order; it marks the
    // runs with embedding controls, which are not part of the words.
    let got: String = pdftotext(&path, &[])
        .chars()
        .filter(|c| !('\u{202A}'..='\u{202E}').contains(c))
        .collect();
    let got = flat(&got);
    for needle in ["ירושלים", "תל אביב", "The delegates from", "met in Geneva"] {
        assert!(got.contains(needle), "{needle:?} not in {got:?}");
    }
}

/// A brief in Hebrew takes a right-to-left base direction: its words run from the right, the
/// title and the paragraph's last line align right, justified lines fill the measure, and a
/// Latin word and a number inside keep their own order.
#[test]
fn a_hebrew_brief_is_set_from_the_right() {
    let mut meta = Meta::new("כותרת בעברית");
    meta.language = "he".into();
    let text = "זוהי פסקה בעברית עם המילה NATO באמצע ועם המספר 2026 בסוף. היא ארוכה מספיק כדי לעבור לשורה שנייה ולכן אפשר לראות את היישור לימין בשורה האחרונה של הפסקה. זה הכול.";
    // A one-line paragraph last: its only line is short whatever face the fallback finds.
    let a = Article {
        meta,
        photo: None,
        blocks: vec![para(text), para("זה הכול.")],
        notes: Vec::new(),
    };
    let theme = Theme::default();
    let laid = briefpress::layout::layout(&a, &theme).expect("layout");
    let (pw, _) = theme.page.points();
    let right = pw - theme.margins.right;
    let lines = visual_lines(&laid.pages[0], theme.base_size);
    assert!(lines.len() >= 2, "{lines:?}");
    let rev = |s: &str| s.chars().rev().collect::<String>();
    // The first line, read right to left, starts with the paragraph's first words.
    let first = &lines[0].0;
    assert!(
        first.ends_with(&rev("זוהי פסקה בעברית")),
        "first line {first:?}"
    );
    assert!(
        first.contains("NATO") && first.contains("2026"),
        "{first:?}"
    );
    // Every line ends near the right edge (the last glyph's origin sits within an em of it);
    // the last, short line starts well right of the left edge.
    for (l, _, r) in &lines {
        assert!(right - r < theme.base_size * 1.2, "{r} vs {right}: {l:?}");
    }
    let (last, left, _) = lines.last().unwrap();
    assert!(
        *left > theme.margins.left + 100.0,
        "last line {last:?} starts at {left}"
    );
    // The title aligns right too.
    let title = visual_lines(&laid.pages[0], theme.base_size * 2.0);
    assert!(
        title
            .iter()
            .all(|(_, _, r)| right - r < theme.base_size * 2.5),
        "{title:?}"
    );
    pdf::render(&a, &theme).expect("renders");
}

/// Fill colours (`rg` operands) painted on every page, from the decompressed content streams.
fn fill_colours(pdf: &Path) -> Vec<[f32; 3]> {
    let doc = lopdf::Document::load(pdf).expect("lopdf reads our PDF");
    let mut colours = Vec::new();
    for (_, id) in doc.get_pages() {
        let content = doc.get_and_decode_page_content(id).expect("page content");
        for op in content.operations.iter().filter(|op| op.operator == "rg") {
            let c: Vec<f32> = op
                .operands
                .iter()
                .filter_map(|o| o.as_float().ok())
                .collect();
            if let [r, g, b] = c[..] {
                colours.push([r, g, b]);
            }
        }
    }
    colours
}

/// Theme: the theme's margins place the text block, its base size sets the body type and its
/// colours are the ones painted (the rule colour on later pages' header hairline).
#[test]
fn theme_margins_base_size_and_colours_reach_the_page() {
    use briefpress::theme::{Colors, Margins, Rgb};
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let a = furniture_article();
    let mm = 72.0 / 25.4;
    let theme = Theme {
        margins: Margins {
            top: 40.0 * mm,
            bottom: 40.0 * mm,
            left: 50.0 * mm,
            right: 20.0 * mm,
        },
        base_size: 9.0,
        colors: Colors {
            text: Rgb(0x10, 0x30, 0x20),
            accent: Rgb(0x8A, 0x1C, 0x1C),
            rule: Rgb(0xC4, 0x8C, 0x3C),
        },
        ..Theme::default()
    };
    let plain = write(&a, &Theme::default(), dir.path(), "tm-default");
    let themed = write(&a, &theme, dir.path(), "tm-themed");

    // Every word's left edge sits at or right of the left margin, and some line starts on it.
    let lefts = |p: &Path| -> Vec<f32> {
        pdftotext(p, &["-bbox"])
            .lines()
            .filter(|l| l.contains("<word "))
            .filter_map(|l| l.split("xMin=\"").nth(1)?.split('"').next()?.parse().ok())
            .collect()
    };
    let min = |v: Vec<f32>| v.into_iter().fold(f32::INFINITY, f32::min);
    let (l_plain, l_themed) = (min(lefts(&plain)), min(lefts(&themed)));
    assert!(
        (l_plain - 30.0 * mm).abs() < 1.5,
        "default left edge {l_plain}"
    );
    assert!(
        (l_themed - 50.0 * mm).abs() < 1.5,
        "themed left edge {l_themed}"
    );

    // Body type: 9 pt against 11 pt, measured on a body word.
    let ratio = word_height(&themed, "Oval") / word_height(&plain, "Oval");
    assert!((ratio - 9.0 / 11.0).abs() < 0.05, "body size ratio {ratio}");

    let near = |c: &[f32; 3], rgb: Rgb| c.iter().zip(rgb.unit()).all(|(a, b)| (a - b).abs() < 0.01);
    let painted = fill_colours(&themed);
    for (what, rgb) in [
        ("text", theme.colors.text),
        ("accent", theme.colors.accent),
        ("rule", theme.colors.rule),
    ] {
        assert!(
            painted.iter().any(|c| near(c, rgb)),
            "{what} colour {rgb:?} is never painted: {painted:?}"
        );
    }
    let default_colours = Theme::default().colors;
    assert!(
        !painted.iter().any(|c| near(c, default_colours.accent)),
        "the default accent is still painted"
    );
}

/// A paragraph far longer than the breaker's window (a brief pasted without blank lines) is
/// set a window at a time: every word comes out once, in order, and it takes no more lines
/// than the same words set as ordinary paragraphs.
#[test]
fn a_giant_paragraph_is_set_in_windows_without_losing_or_repeating_a_word() {
    let words: Vec<String> = (0..9000).map(|k| format!("zq{k:05}x")).collect();
    let text = words
        .iter()
        .enumerate()
        .map(|(k, w)| {
            if k % 13 == 12 {
                format!("{w}. The region relies on")
            } else {
                w.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.len() > 4 * 16 * 1024, "{} bytes", text.len());
    let article = |blocks| Article {
        meta: Meta::new("Giant"),
        photo: None,
        blocks,
        notes: Vec::new(),
    };
    let theme = Theme::default();
    let body_words = |a: &Article| {
        let laid = briefpress::layout::layout(a, &theme).expect("layout");
        let mut seen = Vec::new();
        let mut lines = 0;
        for page in &laid.pages {
            for (_, line) in lines_of_size(page, theme.base_size) {
                lines += 1;
                seen.extend(
                    line.split_whitespace()
                        .filter(|w| w.starts_with("zq"))
                        .map(|w| w.get(..8).unwrap_or(w).to_owned()),
                );
            }
        }
        (seen, lines)
    };
    let (seen, lines) = body_words(&article(vec![para(text.clone())]));
    assert_eq!(seen.len(), words.len(), "words lost or repeated");
    assert_eq!(seen, words, "words out of order");
    // The same text in paragraphs of about 1 000 words: as many lines, give or take a few
    // per paragraph end.
    let chunks: Vec<Block> = text
        .split(". ")
        .collect::<Vec<_>>()
        .chunks(80)
        .map(|c| para(c.join(". ")))
        .collect();
    let (_, reference) = body_words(&article(chunks));
    assert!(
        lines <= reference,
        "{lines} lines in one paragraph, {reference} in paragraphs"
    );
}

/// A line whose words are all one letter ("b c", "1 2 3 4", "_ _ a") has gaps that all look
/// alike, and pdftotext took them for letter spacing ("bc", "1234"); a tab was drawn as a box.
#[test]
fn words_of_one_letter_and_tabs_copy_out_with_their_spaces() {
    if !require("pdftotext") || !require("mutool") {
        return;
    }
    let mut a = colombia();
    a.blocks = vec![
        para("x y z"),
        para("1 2 3 4"),
        para("_ _ _ _ a"),
        Block::Paragraph {
            content: vec![
                text("b "),
                Inline::Emphasis {
                    content: vec![text("c")],
                },
                text(" d"),
            ],
        },
        para("A tab\there, and ab cd ef."),
    ];
    let dir = scratch();
    let path = write(&a, &Theme::default(), dir.path(), "one-letter-words");
    let lines: Vec<String> = pdftotext(&path, &[])
        .lines()
        .map(|l| l.trim().to_owned())
        .collect();
    for want in [
        "x y z",
        "1 2 3 4",
        "_ _ _ _ a",
        "b c d",
        "A tab here, and ab cd ef.",
    ] {
        assert!(
            lines.iter().any(|l| l == want),
            "no line {want:?} in {lines:#?}"
        );
    }
    let (ok, trace, err) = run(Command::new("mutool").arg("trace").arg(&path));
    assert!(ok, "mutool trace failed: {err}");
    assert_eq!(
        trace.matches("glyph=\".notdef\"").count(),
        0,
        "a box is drawn"
    );
}
