//! Briefs in other languages: the language reaches every format's metadata, and right-to-left
//! scripts are right to left in every format (one rule, `article::Language`).

use briefpress::article::{Article, Meta, para};
use briefpress::render::Format;
use briefpress::theme::Theme;
use std::io::Read;

fn entry(zip_bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn article(lang: &str, title: &str, body: &str) -> Article {
    let mut meta = Meta::new(title);
    meta.language = lang.into();
    Article {
        meta,
        photo: None,
        blocks: vec![para(body)],
        notes: vec![],
    }
}

#[test]
fn arabic_is_right_to_left_in_epub_and_docx() {
    let a = article("ar", "العربية", "مرحبا بالعالم.");
    let theme = Theme::default();
    let epub = Format::Epub.render(&a, &theme).unwrap().bytes;
    let text = entry(&epub, "OEBPS/text.xhtml");
    assert!(
        text.contains("lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\""),
        "{}",
        &text[..300]
    );
    assert!(entry(&epub, "OEBPS/content.opf").contains("page-progression-direction=\"rtl\""));
    let docx = Format::Docx.render(&a, &theme).unwrap().bytes;
    let styles = entry(&docx, "word/styles.xml");
    let defaults =
        &styles[styles.find("<w:docDefaults>").unwrap()..styles.find("</w:docDefaults>").unwrap()];
    assert!(
        defaults.contains("<w:bidi/>") && defaults.contains("<w:rtl/>"),
        "{defaults}"
    );
    assert!(defaults.contains("w:bidi=\"ar\""), "{defaults}");
}

#[test]
fn spanish_is_left_to_right_and_tagged_spanish() {
    let a = article(
        "es",
        "Informe",
        "La relación bilateral atraviesa su momento más tenso.",
    );
    let theme = Theme::default();
    let epub = Format::Epub.render(&a, &theme).unwrap().bytes;
    assert!(!entry(&epub, "OEBPS/text.xhtml").contains("dir=\"rtl\""));
    assert!(entry(&epub, "OEBPS/content.opf").contains("<dc:language>es</dc:language>"));
    let docx = Format::Docx.render(&a, &theme).unwrap().bytes;
    let styles = entry(&docx, "word/styles.xml");
    assert!(styles.contains("<w:lang w:val=\"es\"/>") && !styles.contains("<w:bidi/>"));
}

/// The x where the body paragraph's only line starts on page 1 of the PDF layout.
fn pdf_line_start(a: &Article) -> (f32, f32) {
    let theme = Theme::default();
    let layout = briefpress::layout::layout(a, &theme).unwrap();
    let page = &layout.pages[0];
    let run = page
        .items
        .iter()
        .filter_map(|i| match i {
            briefpress::layout::Item::Text(r)
                if &*r.text == "abc xyz" || r.text.starts_with("abc xyz") =>
            {
                Some(r)
            }
            _ => None,
        })
        .next()
        .expect("the body line");
    (run.origin.x, page.width)
}

#[test]
fn one_direction_rule_for_every_format() {
    // (tag, right to left): the script decides, named in the tag or the language's default.
    let cases = [
        ("ug", true),
        ("ug-Latn", false),
        ("ar-Latn", false),
        ("he", true),
        ("fa", true),
        ("ur", true),
        ("yi", true),
        ("en", false),
    ];
    let theme = Theme::default();
    for (tag, rtl) in cases {
        let a = article(tag, "T", "abc xyz");
        let epub = Format::Epub.render(&a, &theme).unwrap().bytes;
        let text = entry(&epub, "OEBPS/text.xhtml");
        assert_eq!(text.contains("dir=\"rtl\""), rtl, "{tag}: epub chapter");
        assert_eq!(
            entry(&epub, "OEBPS/content.opf").contains("page-progression-direction=\"rtl\""),
            rtl,
            "{tag}: epub spine"
        );
        let docx = Format::Docx.render(&a, &theme).unwrap().bytes;
        let styles = entry(&docx, "word/styles.xml");
        assert_eq!(styles.contains("<w:bidi/>"), rtl, "{tag}: docx");
        // The PDF sets a right-to-left paragraph's short line against the right margin.
        let (x, width) = pdf_line_start(&a);
        assert_eq!(x > width / 3.0, rtl, "{tag}: pdf line starts at {x}");
    }
}

#[test]
fn a_pack_sets_its_direction_from_its_language() {
    use briefpress::pack::{Pack, PackMeta};
    let pack = Pack {
        meta: PackMeta {
            title: "حزمة".into(),
            language: Some("ar".into()),
            ..PackMeta::default()
        },
        cover: None,
        briefs: vec![article("ar", "العربية", "مرحبا بالعالم.")],
    };
    let epub = Format::Epub
        .render_pack(&pack, &Theme::default())
        .unwrap()
        .bytes;
    assert!(entry(&epub, "OEBPS/content.opf").contains("page-progression-direction=\"rtl\""));
    assert!(entry(&epub, "OEBPS/title.xhtml").contains("dir=\"rtl\""));
}

#[test]
fn byline_and_labels_speak_the_briefs_language() {
    let mut a = article("es", "Informe", "Texto.");
    a.meta.authors = vec![
        briefpress::article::Author {
            name: "Ana Ruiz".into(),
            affiliation: Some("Centro".into()),
        },
        briefpress::article::Author {
            name: "Luis Mora".into(),
            affiliation: None,
        },
    ];
    a.meta.date = briefpress::article::Date::new(2026, 2, 2);
    let want = "Por Ana Ruiz (Centro) y Luis Mora · 2 de febrero de 2026";
    let theme = Theme::default();
    let epub = Format::Epub.render(&a, &theme).unwrap().bytes;
    assert!(untagged(&entry(&epub, "OEBPS/text.xhtml")).contains(want));
    let docx = Format::Docx.render(&a, &theme).unwrap().bytes;
    assert!(untagged(&entry(&docx, "word/document.xml")).contains(want));
}

/// Markup's text without its tags.
fn untagged(xml: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
