//! Briefs in other languages: the language reaches every format's metadata, and right-to-left
//! scripts are marked right to left where the format can say so (DOCX, EPUB).

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
