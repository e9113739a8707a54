//! DOCX backend: the parts parsed as XML (styles, numbering, notes, links, pictures,
//! properties), determinism, hostile text, and what LibreOffice and pandoc make of the file.

use crate::{sample, tools};
use briefpress::article::{Article, Block, Figure, Inline, Meta, para, text};
use briefpress::render::docx;
use briefpress::theme::Theme;
use std::collections::BTreeMap;
use std::io::Read;
use std::process::Command;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn render(article: &Article) -> briefpress::render::Rendered {
    docx::render(article, &Theme::default()).expect("docx renders")
}

/// Every entry of the package, by name, in zip order.
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("entry reads");
            (f.name().to_owned(), data)
        })
        .collect()
}

fn parts(bytes: &[u8]) -> BTreeMap<String, String> {
    entries(bytes)
        .into_iter()
        .filter(|(n, _)| n.ends_with(".xml") || n.ends_with(".rels"))
        .map(|(n, d)| (n, String::from_utf8(d).expect("XML part is UTF-8")))
        .collect()
}

fn doc(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).expect("well-formed XML")
}

fn w<'a>(node: roxmltree::Node<'a, '_>, attr: &str) -> Option<&'a str> {
    node.attribute((W, attr))
}

fn is_w(node: &roxmltree::Node, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(W) && node.tag_name().name() == name
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|c| is_w(c, name))
}

/// The text of a paragraph (all its `w:t`).
fn para_text(p: roxmltree::Node) -> String {
    p.descendants()
        .filter(|n| is_w(n, "t"))
        .filter_map(|n| n.text())
        .collect()
}

/// (style id, text) of every body paragraph.
fn paragraphs(document: &str) -> Vec<(String, String)> {
    let d = doc(document);
    d.descendants()
        .filter(|n| is_w(n, "p"))
        .map(|p| {
            let style = child(p, "pPr")
                .and_then(|ppr| child(ppr, "pStyle"))
                .and_then(|s| w(s, "val"))
                .unwrap_or("");
            (style.to_owned(), para_text(p))
        })
        .collect()
}

#[test]
fn styles_are_words_own_with_outline_levels_and_language() {
    let mut article = sample::hard();
    article.meta.language = "es-CO".into();
    let p = parts(&render(&article).bytes);
    let d = doc(&p["word/styles.xml"]);
    let styles: BTreeMap<&str, roxmltree::Node> = d
        .descendants()
        .filter(|n| is_w(n, "style"))
        .filter_map(|s| Some((w(s, "styleId")?, s)))
        .collect();
    let normals = d
        .descendants()
        .filter(|n| is_w(n, "style") && w(*n, "styleId") == Some("Normal"))
        .count();
    assert_eq!(normals, 1, "one Normal style");
    let name = |id: &str| {
        styles
            .get(id)
            .and_then(|s| child(*s, "name"))
            .and_then(|n| w(n, "val"))
    };
    let based = |id: &str| {
        styles
            .get(id)
            .and_then(|s| child(*s, "basedOn"))
            .and_then(|n| w(n, "val"))
    };
    let kind = |id: &str| styles.get(id).and_then(|s| w(*s, "type"));
    for (id, want, ty) in [
        ("Title", "Title", "paragraph"),
        ("Subtitle", "Subtitle", "paragraph"),
        ("Heading1", "heading 1", "paragraph"),
        ("Heading2", "heading 2", "paragraph"),
        ("Heading3", "heading 3", "paragraph"),
        ("BodyText", "Body Text", "paragraph"),
        ("Caption", "caption", "paragraph"),
        ("Credit", "Credit", "paragraph"),
        ("Quote", "Quote", "paragraph"),
        ("ListParagraph", "List Paragraph", "paragraph"),
        ("FootnoteText", "footnote text", "paragraph"),
        ("FootnoteReference", "footnote reference", "character"),
        ("Hyperlink", "Hyperlink", "character"),
    ] {
        assert_eq!(name(id), Some(want), "style {id}");
        assert_eq!(kind(id), Some(ty), "type of {id}");
    }
    assert_eq!(based("Credit"), Some("Caption"));
    assert_eq!(based("BodyText"), Some("Normal"));
    for (i, id) in ["Heading1", "Heading2", "Heading3"].into_iter().enumerate() {
        let ppr = child(styles[id], "pPr").expect("heading pPr");
        assert_eq!(
            child(ppr, "outlineLvl").and_then(|o| w(o, "val")),
            Some(i.to_string().as_str())
        );
        assert!(child(ppr, "keepNext").is_some(), "{id} keeps with next");
        // Schema order: name, basedOn … before pPr, pPr before rPr.
        let order: Vec<&str> = styles[id]
            .children()
            .filter(|c| c.is_element())
            .map(|c| c.tag_name().name())
            .collect();
        assert_eq!(order.first(), Some(&"name"));
        let pos = |n: &str| order.iter().position(|o| *o == n).unwrap();
        assert!(
            pos("basedOn") < pos("pPr") && pos("pPr") < pos("rPr"),
            "{order:?}"
        );
    }
    // Fonts live in the styles: body serif by default, headings and captions sans.
    let font = |id: &str| {
        child(styles[id], "rPr")
            .and_then(|r| child(r, "rFonts"))
            .and_then(|f| w(f, "ascii"))
            .map(str::to_owned)
    };
    assert_eq!(font("Normal").as_deref(), Some("Noto Serif"));
    assert_eq!(font("Heading1").as_deref(), Some("Noto Sans"));
    assert_eq!(font("Caption").as_deref(), Some("Noto Sans"));
    // Language and widow control in the document defaults.
    let defaults = d
        .descendants()
        .find(|n| is_w(n, "docDefaults"))
        .expect("docDefaults");
    let lang = defaults
        .descendants()
        .find(|n| is_w(n, "lang"))
        .expect("w:lang");
    assert_eq!(w(lang, "val"), Some("es-CO"));
    assert!(defaults.descendants().any(|n| is_w(&n, "widowControl")));
}

#[test]
fn runs_carry_no_direct_font_size_or_colour_and_every_paragraph_has_a_style() {
    let p = parts(&render(&sample::hard()).bytes);
    for part in ["word/document.xml", "word/footnotes.xml"] {
        let d = doc(&p[part]);
        for rpr in d.descendants().filter(|n| is_w(n, "rPr")) {
            for bad in ["rFonts", "sz", "color"] {
                assert!(child(rpr, bad).is_none(), "direct {bad} in {part}");
            }
        }
    }
    for (style, text) in paragraphs(&p["word/document.xml"]) {
        assert!(!style.is_empty(), "paragraph without style: {text:?}");
    }
}

#[test]
fn content_comes_in_reading_order_with_its_styles() {
    let p = parts(&render(&sample::hard()).bytes);
    let got: Vec<(String, String)> = paragraphs(&p["word/document.xml"])
        .into_iter()
        .filter(|(s, _)| s != "Figure" && s != "Rule")
        .collect();
    let want = [
        ("Title", "Ñandú & <Co>: “Quotes” — dashes ]]> and ©"),
        ("Subtitle", "A dek with ‘single’ quotes & an en dash – here"),
        (
            "Byline",
            "Zoë Ólafsdóttir (Centre <Europe> & Co), Nguyễn Văn Anh",
        ),
        ("Date", "February 2, 2026"),
        ("Summary", "A summary that says <what> & why."),
        ("Caption", "A caption with “quotes” & <angle> brackets."),
        ("Credit", "© Photographer/Agency"),
        (
            "BodyText",
            "Plain, emphasised, strong, a link, x < y && z and a note.",
        ),
        ("Heading1", "Ελληνικά and Кириллица"),
        ("Heading2", "Tiếng Việt: Hà Nội"),
        ("Quote", "A quoted paragraph — with a dash."),
        ("ListParagraph", "First bullet"),
        ("ListParagraph", "Second bullet with a nested list"),
        ("ListParagraph", "Nested one"),
        ("ListParagraph", "Nested two"),
        ("ListParagraph", "Three"),
        ("ListParagraph", "Four"),
        ("Caption", "Second figure caption"),
        ("Heading3", "A third-level heading"),
        ("BodyText", "Line oneline two, then a second note."),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(s, t)| (s.to_string(), t.to_string()))
        .collect();
    assert_eq!(got[..want.len()], want[..]);
    // The only hard break is the one the article asks for.
    let d = doc(&p["word/document.xml"]);
    assert_eq!(d.descendants().filter(|n| is_w(n, "br")).count(), 1);
}

#[test]
fn pictures_have_alt_text_unique_ids_and_keep_their_format() {
    let article = sample::hard();
    let bytes = render(&article).bytes;
    let p = parts(&bytes);
    let d = doc(&p["word/document.xml"]);
    let wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
    let docpr: Vec<(String, String)> = d
        .descendants()
        .filter(|n| n.tag_name().namespace() == Some(wp) && n.tag_name().name() == "docPr")
        .map(|n| {
            (
                n.attribute("id").unwrap_or("").to_owned(),
                n.attribute("descr").unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        docpr,
        vec![
            ("1".into(), "A gradient standing in for a photo".into()),
            ("2".into(), "A second figure".into())
        ]
    );
    // Media: the PNG stays a PNG, the JPEG stays a JPEG, byte for byte.
    let media: BTreeMap<String, Vec<u8>> = entries(&bytes)
        .into_iter()
        .filter(|(n, _)| n.starts_with("word/media/"))
        .collect();
    let png = article
        .photo
        .as_ref()
        .and_then(|f| f.image.as_ref())
        .unwrap();
    let Block::Figure { figure } = &article.blocks[6] else {
        panic!("hard() has its second figure at 6")
    };
    let jpeg = figure.image.as_ref().unwrap();
    let find = |ext: &str| {
        media
            .iter()
            .filter(|(n, _)| n.ends_with(ext))
            .map(|(_, d)| d.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(find(".png"), vec![png.data.to_vec()]);
    assert_eq!(find(".jpg"), vec![jpeg.data.to_vec()]);
    let types = doc(&p["[Content_Types].xml"]);
    let jpg = types
        .descendants()
        .find(|n| n.attribute("Extension") == Some("jpg"))
        .expect("jpg default");
    assert_eq!(jpg.attribute("ContentType"), Some("image/jpeg"));
    // Every image relationship points at a file in the package.
    let rels = doc(&p["word/_rels/document.xml.rels"]);
    for r in rels
        .descendants()
        .filter(|n| n.attribute("Type").is_some_and(|t| t.ends_with("/image")))
    {
        let target = format!("word/{}", r.attribute("Target").unwrap());
        assert!(media.contains_key(&target), "{target} missing");
    }
    // The picture spans the text width (150 mm) and keeps its 640 × 400 aspect.
    let extent = d
        .descendants()
        .find(|n| n.tag_name().name() == "extent")
        .unwrap();
    let cx: f64 = extent.attribute("cx").unwrap().parse().unwrap();
    let cy: f64 = extent.attribute("cy").unwrap().parse().unwrap();
    assert!(
        (cx / 36_000.0 - 150.0).abs() < 0.1,
        "width {} mm",
        cx / 36_000.0
    );
    assert!((cx / cy - 640.0 / 400.0).abs() < 1e-3);
}

#[test]
fn photo_without_alt_uses_its_caption_and_figure_without_image_keeps_caption() {
    let mut article = sample::colombia();
    article.blocks.push(Block::Figure {
        figure: Figure {
            src: None,
            alt: String::new(),
            caption: "A chart that was not shipped".into(),
            credit: Some("© Nobody".into()),
            image: None,
        },
    });
    let p = parts(&render(&article).bytes);
    let d = doc(&p["word/document.xml"]);
    let descr: Vec<&str> = d
        .descendants()
        .filter(|n| n.tag_name().name() == "docPr")
        .filter_map(|n| n.attribute("descr"))
        .collect();
    assert_eq!(
        descr,
        vec![article.photo.as_ref().unwrap().caption.as_str()]
    );
    let paras = paragraphs(&p["word/document.xml"]);
    let tail: Vec<&(String, String)> = paras.iter().rev().take(2).collect();
    assert_eq!(
        tail[1],
        &(
            "Caption".to_owned(),
            "A chart that was not shipped".to_owned()
        )
    );
    assert_eq!(tail[0], &("Credit".to_owned(), "© Nobody".to_owned()));
}

#[test]
fn footnotes_are_word_footnotes_with_separators() {
    let p = parts(&render(&sample::hard()).bytes);
    let notes = doc(&p["word/footnotes.xml"]);
    let all: Vec<(String, Option<String>, String)> = notes
        .descendants()
        .filter(|n| is_w(n, "footnote"))
        .map(|n| {
            (
                w(n, "id").unwrap().to_owned(),
                w(n, "type").map(str::to_owned),
                para_text(n),
            )
        })
        .collect();
    assert_eq!(all[0].0, "-1");
    assert_eq!(all[0].1.as_deref(), Some("separator"));
    assert_eq!(all[1].0, "0");
    assert_eq!(all[1].1.as_deref(), Some("continuationSeparator"));
    assert_eq!(
        all[2],
        (
            "1".into(),
            None,
            " The first note, with <markup> & “quotes”.".into()
        )
    );
    assert_eq!(all[3], ("2".into(), None, " The second note.".into()));
    assert_eq!(
        notes
            .descendants()
            .filter(|n| is_w(n, "footnoteRef"))
            .count(),
        2
    );
    let d = doc(&p["word/document.xml"]);
    let refs: Vec<&str> = d
        .descendants()
        .filter(|n| is_w(n, "footnoteReference"))
        .filter_map(|n| w(n, "id"))
        .collect();
    assert_eq!(refs, vec!["1", "2"]);
    let settings = doc(&p["word/settings.xml"]);
    let pr = settings
        .descendants()
        .find(|n| is_w(n, "footnotePr"))
        .expect("footnotePr");
    assert_eq!(pr.children().filter(|c| is_w(c, "footnote")).count(), 2);
}

#[test]
fn hyperlinks_are_external_relationships() {
    let p = parts(&render(&sample::hard()).bytes);
    let d = doc(&p["word/document.xml"]);
    let link = d
        .descendants()
        .find(|n| is_w(n, "hyperlink"))
        .expect("a hyperlink");
    let id = link.attribute((R, "id")).expect("r:id");
    assert_eq!(para_text(link), "a link");
    let rels = doc(&p["word/_rels/document.xml.rels"]);
    let rel = rels
        .descendants()
        .find(|n| n.attribute("Id") == Some(id))
        .expect("relationship");
    assert_eq!(
        rel.attribute("Target"),
        Some("https://example.org/a?b=1&c=2")
    );
    assert_eq!(rel.attribute("TargetMode"), Some("External"));
    assert!(rel.attribute("Type").unwrap().ends_with("/hyperlink"));
}

#[test]
fn lists_are_numbered_restart_per_list_and_nest() {
    let p = parts(&render(&sample::hard()).bytes);
    let d = doc(&p["word/document.xml"]);
    let mut items = Vec::new();
    for para in d.descendants().filter(|n| is_w(n, "p")) {
        let Some(num) = child(para, "pPr").and_then(|ppr| child(ppr, "numPr")) else {
            continue;
        };
        let ilvl: usize = child(num, "ilvl")
            .and_then(|n| w(n, "val"))
            .unwrap()
            .parse()
            .unwrap();
        let id: usize = child(num, "numId")
            .and_then(|n| w(n, "val"))
            .unwrap()
            .parse()
            .unwrap();
        items.push((para_text(para), ilvl, id));
    }
    let texts: Vec<&str> = items.iter().map(|i| i.0.as_str()).collect();
    assert_eq!(
        texts,
        [
            "First bullet",
            "Second bullet with a nested list",
            "Nested one",
            "Nested two",
            "Three",
            "Four"
        ]
    );
    let levels: Vec<usize> = items.iter().map(|i| i.1).collect();
    assert_eq!(levels, [0, 0, 1, 1, 0, 0]);
    let (outer, nested, second) = (items[0].2, items[2].2, items[4].2);
    assert!(
        outer >= 2 && nested >= 2 && second >= 2,
        "ids clear of docx-rs's built-in 1"
    );
    assert!(
        outer != nested && nested != second && outer != second,
        "every list restarts"
    );
    // numbering.xml: the kinds and the ordered list's start.
    let n = doc(&p["word/numbering.xml"]);
    let abstract_of = |num: usize| {
        let num = n
            .descendants()
            .find(|x| is_w(x, "num") && w(*x, "numId") == Some(&num.to_string()))
            .unwrap();
        let abs = child(num, "abstractNumId")
            .and_then(|a| w(a, "val"))
            .unwrap()
            .to_owned();
        n.descendants()
            .find(|x| is_w(x, "abstractNum") && w(*x, "abstractNumId") == Some(abs.as_str()))
            .unwrap()
    };
    let level = |num: usize, ilvl: usize| {
        abstract_of(num)
            .children()
            .find(|l| is_w(l, "lvl") && w(*l, "ilvl") == Some(&ilvl.to_string()))
            .unwrap()
    };
    let fmt = |num: usize, ilvl: usize| {
        child(level(num, ilvl), "numFmt")
            .and_then(|f| w(f, "val"))
            .unwrap()
            .to_owned()
    };
    let start = |num: usize, ilvl: usize| {
        child(level(num, ilvl), "start")
            .and_then(|f| w(f, "val"))
            .unwrap()
            .to_owned()
    };
    assert_eq!(fmt(outer, 0), "bullet");
    assert_ne!(fmt(nested, 1), "bullet");
    assert_eq!(start(nested, 1), "1");
    assert_eq!(fmt(second, 0), "decimal");
    assert_eq!(start(second, 0), "3");
    // numPr children in schema order (ilvl before numId).
    let numpr = d.descendants().find(|x| is_w(x, "numPr")).unwrap();
    let names: Vec<&str> = numpr
        .children()
        .filter(|c| c.is_element())
        .map(|c| c.tag_name().name())
        .collect();
    assert_eq!(names, ["ilvl", "numId"]);
}

#[test]
fn core_and_app_properties_come_from_the_article() {
    let p = parts(&render(&sample::hard()).bytes);
    let core = doc(&p["docProps/core.xml"]);
    let get = |local: &str| {
        core.descendants()
            .find(|n| n.is_element() && n.tag_name().name() == local)
            .and_then(|n| n.text())
            .unwrap_or("")
    };
    assert_eq!(get("title"), "Ñandú & <Co>: “Quotes” — dashes ]]> and ©");
    assert_eq!(get("creator"), "Zoë Ólafsdóttir; Nguyễn Văn Anh");
    assert_eq!(
        get("subject"),
        "A dek with ‘single’ quotes & an en dash – here"
    );
    assert_eq!(get("keywords"), "Colombia, trade & aid");
    assert_eq!(get("description"), "A summary that says <what> & why.");
    assert_eq!(get("language"), "en");
    assert_eq!(get("created"), "2026-02-02T00:00:00Z");
    assert_eq!(get("modified"), "2026-02-02T00:00:00Z");
    assert!(get("identifier").starts_with("urn:uuid:"));
    let app = doc(&p["docProps/app.xml"]);
    let application = app
        .descendants()
        .find(|n| n.tag_name().name() == "Application")
        .and_then(|n| n.text());
    assert_eq!(application, Some("briefpress"));

    // A wire story without authors and date: the publisher is the creator, 1980 the date.
    let mut wire = sample::colombia();
    wire.meta.date = None;
    let p = parts(&render(&wire).bytes);
    let core = doc(&p["docProps/core.xml"]);
    let creator = core
        .descendants()
        .find(|n| n.tag_name().name() == "creator")
        .and_then(|n| n.text());
    assert_eq!(creator, Some(Theme::default().publisher.as_str()));
    let created = core
        .descendants()
        .find(|n| n.tag_name().name() == "created")
        .and_then(|n| n.text());
    assert_eq!(created, Some("1980-01-01T00:00:00Z"));
}

#[test]
fn same_bytes_twice_in_one_process_with_fixed_zip_metadata() {
    let first = render(&sample::hard()).bytes;
    // Rendering something else advances every counter docx-rs keeps for the process.
    let _ = render(&sample::colombia());
    let _ = render(&sample::hard());
    let again = render(&sample::hard()).bytes;
    assert!(first == again, "two renders of the same article differ");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&first)).unwrap();
    assert_eq!(zip.by_index(0).unwrap().name(), "[Content_Types].xml");
    for i in 0..zip.len() {
        let f = zip.by_index(i).unwrap();
        let t = f.last_modified().expect("timestamp");
        assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1), "{}", f.name());
        assert_eq!(
            f.compression(),
            zip::CompressionMethod::Deflated,
            "{}",
            f.name()
        );
    }
}

#[test]
fn hostile_text_survives_and_forbidden_characters_are_dropped_with_a_warning() {
    let hostile = "a < b && c ]]> \"d\" 'e' \u{1}\u{B}\u{FFFE}f <!-- x --> <![CDATA[y]]>";
    let mut meta = Meta::new(hostile);
    meta.keywords = vec![hostile.into()];
    meta.summary = Some(hostile.into());
    let article = Article {
        meta,
        photo: None,
        blocks: vec![
            para(hostile),
            Block::Paragraph {
                content: vec![Inline::Link {
                    url: format!("https://x.org/?q={hostile}"),
                    content: vec![text(hostile)],
                }],
            },
        ],
        notes: vec![],
    };
    let r = render(&article);
    assert!(
        r.warnings.iter().any(|w| w.message.contains("XML 1.0")),
        "{:?}",
        r.warnings
    );
    let clean = "a < b && c ]]> \"d\" 'e' f <!-- x --> <![CDATA[y]]>";
    let p = parts(&r.bytes);
    for xml in p.values() {
        doc(xml);
    }
    let paras = paragraphs(&p["word/document.xml"]);
    assert_eq!(paras[0], ("Title".into(), clean.into()));
    assert!(
        paras.iter().filter(|(_, t)| t == clean).count() >= 3,
        "{paras:?}"
    );
    let core = doc(&p["docProps/core.xml"]);
    let title = core
        .descendants()
        .find(|n| n.tag_name().name() == "title")
        .and_then(|n| n.text());
    assert_eq!(title, Some(clean));
}

/// Writes the DOCX of `article` into `dir` and returns its path.
fn write(dir: &std::path::Path, name: &str, article: &Article) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, render(article).bytes).unwrap();
    path
}

#[test]
fn libreoffice_converts_it_and_keeps_the_text() {
    if !tools::require("soffice") || !tools::require("pdftotext") {
        return;
    }
    let dir = tools::scratch();
    let path = write(dir.path(), "hard.docx", &sample::hard());
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        dir.path().display()
    );
    let (ok, _, err) = tools::run(
        Command::new("soffice")
            .args([
                "--headless",
                "--norestore",
                &profile,
                "--convert-to",
                "pdf",
                "--outdir",
            ])
            .arg(dir.path())
            .arg(&path),
    );
    let pdf = dir.path().join("hard.pdf");
    assert!(ok && pdf.exists(), "LibreOffice failed: {err}");
    let (ok, txt, _) = tools::run(
        Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&pdf)
            .arg("-"),
    );
    assert!(ok);
    let flat = txt.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "Ñandú & <Co>: “Quotes” — dashes ]]> and ©",
        "Ελληνικά and Кириллица",
        "Tiếng Việt: Hà Nội",
        "Nested one",
        "The first note, with <markup> & “quotes”.",
        "Second figure caption",
    ] {
        assert!(flat.contains(want), "{want:?} not in LibreOffice's PDF");
    }
    // Numbering as LibreOffice draws it: the ordered list starts at 3.
    assert!(
        flat.contains("3. Three") && flat.contains("4. Four"),
        "{flat}"
    );
}

#[test]
fn pandoc_recovers_the_structure() {
    if !tools::require("pandoc") {
        return;
    }
    let dir = tools::scratch();
    let path = write(dir.path(), "hard.docx", &sample::hard());
    let (ok, json, err) = tools::run(
        Command::new("pandoc")
            .args(["-f", "docx", "-t", "json"])
            .arg(&path),
    );
    assert!(ok, "pandoc failed: {err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut found = Found::default();
    walk(&v["blocks"], 0, &mut found);
    assert_eq!(found.headers, vec![1, 2, 3]);
    assert_eq!(found.notes, 2);
    assert_eq!(
        found.links,
        vec!["https://example.org/a?b=1&c=2".to_owned()]
    );
    assert!(found.emph && found.strong);
    assert_eq!(
        found.images,
        vec![
            "A gradient standing in for a photo".to_owned(),
            "A second figure".to_owned()
        ]
    );
    // A bullet list holding an ordered list; then an ordered list starting at 3.
    assert_eq!(
        found.lists,
        vec![
            ("BulletList".to_owned(), 0, 1),
            ("OrderedList".to_owned(), 1, 1),
            ("OrderedList".to_owned(), 0, 3)
        ]
    );
    assert_eq!(found.quotes, 1);
}

#[derive(Default)]
struct Found {
    headers: Vec<u64>,
    notes: usize,
    links: Vec<String>,
    images: Vec<String>,
    emph: bool,
    strong: bool,
    quotes: usize,
    /// (kind, list depth, start)
    lists: Vec<(String, usize, u64)>,
}

fn stringify(v: &serde_json::Value) -> String {
    let mut out = String::new();
    if let Some(a) = v.as_array() {
        for i in a {
            match i["t"].as_str() {
                Some("Str") => out.push_str(i["c"].as_str().unwrap_or("")),
                Some("Space") => out.push(' '),
                _ => out.push_str(&stringify(&i["c"])),
            }
        }
    }
    out
}

/// Walks pandoc's JSON AST, counting what the test compares.
fn walk(v: &serde_json::Value, depth: usize, f: &mut Found) {
    match v {
        serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, depth, f)),
        serde_json::Value::Object(o) => {
            let c = o.get("c").cloned().unwrap_or_default();
            match o.get("t").and_then(|t| t.as_str()) {
                Some("Header") => f.headers.push(c[0].as_u64().unwrap_or(0)),
                Some("Note") => f.notes += 1,
                Some("Link") => f.links.push(c[2][0].as_str().unwrap_or("").to_owned()),
                Some("Image") => f.images.push(stringify(&c[1])),
                Some("Emph") => f.emph = true,
                Some("Strong") => f.strong = true,
                Some("BlockQuote") => f.quotes += 1,
                Some("BulletList") => {
                    f.lists.push(("BulletList".into(), depth, 1));
                    walk(&c, depth + 1, f);
                    return;
                }
                Some("OrderedList") => {
                    f.lists
                        .push(("OrderedList".into(), depth, c[0][0].as_u64().unwrap_or(0)));
                    walk(&c[1], depth + 1, f);
                    return;
                }
                _ => {}
            }
            walk(&c, depth, f);
        }
        _ => {}
    }
}

#[test]
fn odd_structures_render_valid_xml_and_say_what_they_changed() {
    use briefpress::article::Footnote;
    // Ten nested lists, each item opening with its sublist.
    let mut list = Block::List {
        ordered: true,
        start: 0,
        items: vec![vec![para("deepest")]],
    };
    for _ in 0..10 {
        list = Block::List {
            ordered: false,
            start: 1,
            items: vec![vec![list]],
        };
    }
    let figure = Figure {
        src: None,
        alt: "in a note".into(),
        caption: "Note figure".into(),
        credit: None,
        image: Some(sample::png(8, 8)),
    };
    let twice = Inline::FootnoteRef { id: "n".into() };
    let article = Article {
        meta: Meta::new("Odd"),
        photo: None,
        blocks: vec![
            Block::Heading {
                level: 0,
                content: vec![text("zero")],
            },
            Block::Heading {
                level: 9,
                content: vec![text("nine")],
            },
            list,
            Block::Paragraph {
                content: vec![
                    twice.clone(),
                    twice,
                    Inline::FootnoteRef {
                        id: "missing".into(),
                    },
                ],
            },
            Block::Quote {
                blocks: vec![Block::Quote {
                    blocks: vec![para("deep quote")],
                }],
            },
        ],
        notes: vec![
            Footnote {
                id: "n".into(),
                blocks: vec![para("note"), Block::Figure { figure }],
            },
            Footnote {
                id: "unused".into(),
                blocks: vec![para("never cited")],
            },
        ],
    };
    let r = render(&article);
    let p = parts(&r.bytes);
    for xml in p.values() {
        doc(xml);
    }
    let warned = |s: &str| r.warnings.iter().any(|w| w.message.contains(s));
    for s in [
        "deeper than 9",
        "referenced twice",
        "`missing` has no note",
        "`unused` is never referenced",
        "inside a footnote",
    ] {
        assert!(warned(s), "no warning about {s:?}: {:?}", r.warnings);
    }
    let paras = paragraphs(&p["word/document.xml"]);
    assert!(paras.contains(&("Heading1".into(), "zero".into())));
    assert!(paras.contains(&("Heading3".into(), "nine".into())));
    assert!(paras.contains(&("Quote".into(), "deep quote".into())));
    let notes = paragraphs(&p["word/footnotes.xml"]);
    assert!(
        notes.contains(&("Caption".into(), "Note figure".into())),
        "{notes:?}"
    );
}
