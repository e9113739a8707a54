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

/// A body paragraph without letters: it takes the brief's direction (a paragraph of Latin
/// letters in a right-to-left brief is set left to right, as most of its letters go).
const NEUTRAL: &str = "2026 — 42 % · 7";

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
                if &*r.text == NEUTRAL || r.text.starts_with(NEUTRAL) =>
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
        let a = article(tag, "T", NEUTRAL);
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

/// Each fixture brief of `tests/fixtures/languages/`: its tag (the file's stem), the byline
/// with the date, and how its table's label (with the caption's first word) and source line
/// open, as a native production editor writes them.
const FIXTURES: [(&str, &str, &str, &str); 16] = [
    (
        "en",
        "By Claire Dubois (Centre for Transport Policy) and Tomasz Nowak · May 12, 2026",
        "Table 1. Grain",
        "Source: Ministry",
    ),
    (
        "es",
        "Por Ana Ruiz (Centro de Política de Transporte) y Luis Mora · 12 de mayo de 2026",
        "Tabla 1. Grano",
        "Fuente: Ministerio",
    ),
    (
        "pt",
        "Por Beatriz Santos (Centro de Política de Transportes) e João Ferreira · 12 de maio de 2026",
        "Tabela 1. Cereais",
        "Fonte: Ministério",
    ),
    (
        "fr",
        "Par Claire Dubois (Centre de politique des transports) et Marc Lefèvre · 12 mai 2026",
        "Tableau 1. Céréales",
        "Source\u{202F}: ministère",
    ),
    (
        "de",
        "Von Katrin Weber (Zentrum für Verkehrspolitik) und Jonas Becker · 12. Mai 2026",
        "Tabelle 1: Getreide",
        "Quelle: Infrastrukturministerium",
    ),
    (
        "it",
        "di Giulia Romano (Centro per la politica dei trasporti) e Marco Bianchi · 12 maggio 2026",
        "Tabella 1. Grano",
        "Fonte: ministero",
    ),
    (
        "nl",
        "Door Sanne de Vries (Centrum voor Vervoersbeleid) en Pieter Jansen · 12 mei 2026",
        "Tabel 1. Graan",
        "Bron: ministerie",
    ),
    (
        "pl",
        "Anna Kowalska (Ośrodek Polityki Transportowej) i Tomasz Nowak · 12 maja 2026",
        "Tabela 1. Zboże",
        "Źródło: Ministerstwo",
    ),
    (
        "cs",
        "Jana Nováková (Středisko dopravní politiky) a Petr Svoboda · 12. května 2026",
        "Tabulka 1. Obilí",
        "Zdroj: Ministerstvo",
    ),
    (
        "ru",
        "Анна Смирнова (Центр транспортной политики) и Игорь Волков · 12 мая 2026 г.",
        "Таблица 1. Зерно",
        "Источник: Министерство",
    ),
    (
        "uk",
        "Олена Коваленко (Центр транспортної політики) і Андрій Шевчук · 12 травня 2026 р.",
        "Таблиця 1. Зерно",
        "Джерело: Міністерство",
    ),
    (
        "tr",
        "Ayşe Yılmaz (Ulaştırma Politikası Merkezi) ve Mehmet Demir · 12 Mayıs 2026",
        "Tablo 1. Tuna",
        "Kaynak: Altyapı",
    ),
    (
        "ar",
        "بقلم ليلى حداد (مركز سياسات النقل) وعمر خليل · 12 مايو 2026",
        "جدول 1: الحبوب",
        "المصدر: وزارة",
    ),
    (
        "he",
        "מאת דנה כהן (המרכז למדיניות תחבורה) ויוסי לוי · 12 במאי 2026",
        "טבלה 1: תבואה",
        "מקור: משרד",
    ),
    (
        "zh",
        "作者：张伟（交通政策研究中心）、李娜 · 2026年5月12日",
        "表1：经多瑙河港口",
        "来源：基础设施部",
    ),
    (
        "ja",
        "山田太郎（交通政策研究所）、佐藤花子 · 2026年5月12日",
        "表1：ドナウ川の港",
        "出典：インフラ省",
    ),
];

/// The fixture brief `tests/fixtures/languages/<tag>.md`, read, with the reader's warnings.
fn language_fixture(tag: &str) -> (Article, Vec<String>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/languages")
        .join(format!("{tag}.md"));
    let bytes = std::fs::read(&path).expect("fixture");
    let loaded = briefpress::read::read(
        briefpress::read::SourceFormat::Markdown,
        &bytes,
        tag,
        &briefpress::read::MemoryAssets::default(),
    )
    .expect("fixture reads");
    let warnings = loaded.warnings.iter().map(|w| w.to_string()).collect();
    (loaded.article, warnings)
}

/// Text with every run of white space (no-break and thin spaces too) one space.
fn spaced(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A right-to-left PDF's text as `pdftotext` gives it, without the embedding controls its
/// default mode marks the runs with; and the words of an expected line, without the brackets
/// and colons it leaves where the visual line had them (and it may glue a number to the
/// word beside it), so each word is looked for on its own.
fn rtl_clean(text: &str) -> String {
    text.chars()
        .filter(|c| !('\u{202A}'..='\u{202E}').contains(c) && !matches!(c, '\u{200E}' | '\u{200F}'))
        .collect()
}

fn rtl_words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || "()·:".contains(c))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether a word holds an Arabic lam–alef or lam–alef maksura ligature, one glyph for two
/// letters that pdftotext gives back in reverse order ("ليلى" comes out "ليىل").
fn lam_ligature(word: &str) -> bool {
    ["لا", "لأ", "لإ", "لآ", "لى"].iter().any(|l| word.contains(l))
}

/// The text of each format, white space collapsed: the PDF's `pdftotext -raw` (right-to-left
/// briefs: its default mode), the DOCX's `document.xml`, the EPUB's chapter.
fn three_texts(a: &Article, theme: &Theme, name: &str) -> [(&'static str, String); 3] {
    let dir = crate::tools::scratch();
    let mut all = Vec::new();
    for format in [Format::Pdf, Format::Docx, Format::Epub] {
        let out = format.render(a, theme).unwrap();
        assert!(
            out.warnings.is_empty(),
            "{name}: {format:?} warned: {:?}",
            out.warnings
        );
        let text = match format {
            Format::Pdf => {
                let path = crate::pdf::write(a, theme, dir.path(), name);
                let mode: &[&str] = if a.meta.lang().is_rtl() {
                    &[]
                } else {
                    &["-raw"]
                };
                crate::pdf::pdftotext(&path, mode)
            }
            Format::Docx => untagged(&entry(&out.bytes, "word/document.xml")),
            _ => untagged(&entry(&out.bytes, "OEBPS/text.xhtml")),
        };
        all.push(spaced(&text));
    }
    let [pdf, docx, epub]: [String; 3] = all.try_into().unwrap();
    [("pdf", pdf), ("docx", docx), ("epub", epub)]
}

#[test]
fn sixteen_languages_write_their_byline_date_and_labels_in_every_format_without_a_warning() {
    if !crate::tools::require("pdftotext") {
        return;
    }
    let theme = Theme::default();
    for (tag, byline, table, source) in FIXTURES {
        let (a, warnings) = language_fixture(tag);
        assert!(
            warnings.is_empty(),
            "{tag}: the reader warned: {warnings:?}"
        );
        assert!(a.meta.lang().has_locale(), "{tag}");
        for (format, text) in three_texts(&a, &theme, &format!("lang-{tag}")) {
            if format == "pdf" && a.meta.lang().is_rtl() {
                let got = rtl_clean(&text);
                for want in [byline, table, source] {
                    for word in rtl_words(want).into_iter().filter(|w| !lam_ligature(w)) {
                        assert!(
                            got.contains(word),
                            "{tag} pdf: no “{word}” of “{want}” in {got}"
                        );
                    }
                }
                continue;
            }
            for want in [byline, table, source] {
                assert!(
                    text.contains(&spaced(want)),
                    "{tag} {format}: no “{want}” in:\n{text}"
                );
            }
        }
    }
}

#[test]
fn polish_one_letter_words_keep_the_next_word_in_every_format_but_code_does_not() {
    if !crate::tools::require("pdftotext") {
        return;
    }
    let (a, _) = language_fixture("pl");
    let theme = Theme::default();
    let epub = Format::Epub.render(&a, &theme).unwrap().bytes;
    let xhtml = entry(&epub, "OEBPS/text.xhtml");
    let docx = Format::Docx.render(&a, &theme).unwrap().bytes;
    let document = untagged(&entry(&docx, "word/document.xml"));
    let dir = crate::tools::scratch();
    let pdf = crate::pdf::pdftotext(&crate::pdf::write(&a, &theme, dir.path(), "ties-pl"), &[]);
    for (format, text) in [("epub", &xhtml), ("docx", &document), ("pdf", &pdf)] {
        for tied in [
            "a\u{A0}w\u{A0}Izmaile",
            "i\u{A0}w\u{A0}Reni",
            "z\u{A0}udziałem",
        ] {
            assert!(text.contains(tied), "{format}: no {tied:?}");
        }
        assert!(!text.contains("a w Izmaile"), "{format}");
    }
    assert!(
        xhtml.contains("<code>a b</code>"),
        "the code span keeps its space"
    );
    // Czech also ties k, s and v.
    let (cs, _) = language_fixture("cs");
    let epub = Format::Epub.render(&cs, &theme).unwrap().bytes;
    let cs_xhtml = entry(&epub, "OEBPS/text.xhtml");
    for tied in [
        "k\u{A0}jednání",
        "s\u{A0}vládou",
        "v\u{A0}Kyjevě",
        "i\u{A0}v\u{A0}Reni",
    ] {
        assert!(cs_xhtml.contains(tied), "cs epub: no {tied:?}");
    }
    // The model keeps the text as written: `inspect --json` shows no tie.
    assert!(!serde_json::to_string(&a).unwrap().contains('\u{A0}'));
}

#[test]
fn a_theme_label_reaches_every_format_and_numbered_table_captions() {
    if !crate::tools::require("pdftotext") {
        return;
    }
    let toml = "[labels.fr]\nby = \"Texte :\"\ntable = \"Tab.\"\ncaption_separator = \" – \"\n";
    let theme = briefpress::theme::ThemeFile::parse(toml)
        .unwrap()
        .into_theme(toml, &mut |_| Err(std::io::ErrorKind::NotFound.into()))
        .unwrap();
    let (a, _) = language_fixture("fr");
    for (format, text) in three_texts(&a, &theme, "lang-fr-theme") {
        for want in [
            "Texte : Claire Dubois (Centre de politique des transports) et Marc Lefèvre",
            "Tab. 1 – Céréales",
        ] {
            assert!(text.contains(want), "{format}: no “{want}” in:\n{text}");
        }
        assert!(!text.contains("Par Claire"), "{format}");
    }
}

#[test]
fn a_language_without_words_falls_back_to_english_with_one_warning() {
    let src = "---\ntitle: Báo cáo\nauthor: Nguyễn Văn An\ndate: 2026-05-12\nlanguage: vi\n---\n\nMột đoạn văn.\n\nMột đoạn khác.\n";
    let loaded = briefpress::read::read(
        briefpress::read::SourceFormat::Markdown,
        src.as_bytes(),
        "vi",
        &briefpress::read::MemoryAssets::default(),
    )
    .unwrap();
    let about: Vec<String> = loaded
        .warnings
        .iter()
        .map(|w| w.to_string())
        .filter(|w| w.contains("no words for language `vi`"))
        .collect();
    assert_eq!(about.len(), 1, "{:?}", loaded.warnings);
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    let epub = Format::Epub
        .render(&loaded.article, &Theme::default())
        .unwrap()
        .bytes;
    assert!(
        untagged(&entry(&epub, "OEBPS/text.xhtml")).contains("By Nguyễn Văn An · May 12, 2026")
    );
}

#[test]
fn a_pack_speaks_its_language_on_its_cover_and_contents_and_keeps_polish_ties() {
    use briefpress::pack::{Pack, PackMeta};
    let (zh, _) = language_fixture("zh");
    let (pl, _) = language_fixture("pl");
    let pack = Pack {
        meta: PackMeta {
            language: Some("zh".into()),
            ..PackMeta::default()
        },
        cover: None,
        briefs: vec![zh, pl],
    };
    let theme = Theme::default();
    let epub = Format::Epub.render_pack(&pack, &theme).unwrap().bytes;
    let title = untagged(&entry(&epub, "OEBPS/title.xhtml"));
    // No title given: the pack's language names it; the contents heading and the authors'
    // lines are in each one's words.
    assert!(
        title.contains("简报汇编") && title.contains("目录"),
        "{title}"
    );
    assert!(title.contains("张伟、李娜"), "{title}");
    assert!(title.contains("Anna Kowalska i Tomasz Nowak"), "{title}");
    assert!(entry(&epub, "OEBPS/brief-02.xhtml").contains("a\u{A0}w\u{A0}Izmaile"));
    let docx = Format::Docx.render_pack(&pack, &theme).unwrap().bytes;
    let document = untagged(&entry(&docx, "word/document.xml"));
    assert!(document.contains("简报汇编") && document.contains("i\u{A0}w\u{A0}Reni"));
    // A theme's words for the pack reach it too.
    let toml = "[labels.zh]\ncontents = \"目次\"\npack = \"资料汇编\"\n";
    let themed = briefpress::theme::ThemeFile::parse(toml)
        .unwrap()
        .into_theme(toml, &mut |_| Err(std::io::ErrorKind::NotFound.into()))
        .unwrap();
    let epub = Format::Epub.render_pack(&pack, &themed).unwrap().bytes;
    let title = untagged(&entry(&epub, "OEBPS/title.xhtml"));
    assert!(
        title.contains("资料汇编") && title.contains("目次"),
        "{title}"
    );
    assert!(entry(&epub, "OEBPS/content.opf").contains("资料汇编"));
}
