//! DOCX backend: the parts parsed as XML (styles, numbering, notes, links, pictures,
//! properties), determinism, hostile text, and what LibreOffice and pandoc make of the file.

use crate::{sample, tools};
use briefpress::article::{Article, Block, Figure, Footnote, Inline, Meta, para, text};
use briefpress::read::{self, Assets, SourceFormat};
use briefpress::render::docx;
use briefpress::theme::Theme;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn render(article: &Article) -> briefpress::render::Rendered {
    docx::render(article, &Theme::default()).expect("docx renders")
}

/// The source's folder on disk, as the CLI reads it.
struct DirAssets(PathBuf);

impl Assets for DirAssets {
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.0.join(path))
    }
}

/// A conformance fixture read through the real reader, images from its folder.
fn fixture(name: &str) -> Article {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conformance");
    let path = dir.join(name);
    let bytes = std::fs::read(&path).expect("fixture exists");
    let format = SourceFormat::from_path(&path).expect("a source extension");
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("brief");
    read::read(format, &bytes, stem, &DirAssets(dir))
        .expect("fixture reads")
        .article
}

/// A note cited twice, a note never cited, a list item of two paragraphs at two levels.
fn notes_and_continued_items() -> Article {
    let cite = |id: &str| Inline::FootnoteRef { id: id.into() };
    Article {
        meta: Meta::new("Notes"),
        photo: None,
        blocks: vec![
            Block::Paragraph {
                content: vec![text("First."), cite("a"), text(" Second."), cite("b")],
            },
            Block::Paragraph {
                content: vec![text("Again the first."), cite("a")],
            },
            Block::List {
                ordered: false,
                start: 1,
                items: vec![vec![
                    para("Item"),
                    para("Item, second paragraph"),
                    Block::List {
                        ordered: true,
                        start: 1,
                        items: vec![vec![para("Nested"), para("Nested, second paragraph")]],
                    },
                ]],
            },
        ],
        notes: vec![
            Footnote {
                id: "a".into(),
                blocks: vec![para("Note A.")],
            },
            Footnote {
                id: "b".into(),
                blocks: vec![para("Note B.")],
            },
            Footnote {
                id: "c".into(),
                blocks: vec![para("Note C, never cited.")],
            },
        ],
    }
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

/// The only properties a paragraph or run in the text may carry: its style, its list numbering,
/// and bold and italic for Strong and Emphasis. Everything else lives in the styles.
const PARAGRAPH_OWN: [&str; 2] = ["pStyle", "numPr"];
const RUN_OWN: [&str; 5] = ["rStyle", "b", "bCs", "i", "iCs"];

#[test]
fn no_paragraph_or_run_carries_direct_formatting_and_every_paragraph_has_a_style() {
    for (name, article) in [
        ("hard()", sample::hard()),
        ("hard-brief.md", fixture("hard-brief.md")),
        ("notes and continued items", notes_and_continued_items()),
    ] {
        let p = parts(&render(&article).bytes);
        for part in ["word/document.xml", "word/footnotes.xml"] {
            let d = doc(&p[part]);
            // Word's separator notes carry Word's own spacing; they are not text.
            let text = d.descendants().filter(|n| {
                !n.ancestors()
                    .any(|a| is_w(&a, "footnote") && w(a, "type").is_some())
            });
            let mut paragraphs = 0;
            for node in text {
                let (own, kind): (&[&str], _) = if is_w(&node, "pPr") {
                    paragraphs += 1;
                    (&PARAGRAPH_OWN, "paragraph")
                } else if is_w(&node, "rPr") && node.parent().is_some_and(|r| is_w(&r, "r")) {
                    (&RUN_OWN, "run")
                } else {
                    continue;
                };
                for c in node.children().filter(|c| c.is_element()) {
                    let name_ = c.tag_name().name();
                    assert!(
                        own.contains(&name_),
                        "{name}: direct {kind} property w:{name_} in {part}"
                    );
                }
            }
            assert!(paragraphs > 0 || part == "word/footnotes.xml");
        }
        for (style, text) in paragraphs(&p["word/document.xml"]) {
            assert!(
                !style.is_empty(),
                "{name}: paragraph without style: {text:?}"
            );
        }
    }
}

#[test]
fn a_later_paragraph_of_a_list_item_takes_list_continue_aligned_with_the_numbering() {
    let p = parts(&render(&notes_and_continued_items()).bytes);
    let d = doc(&p["word/document.xml"]);
    let find = |t: &str| {
        d.descendants()
            .find(|n| is_w(n, "p") && para_text(*n) == t)
            .expect("paragraph")
    };
    let style_of = |p: roxmltree::Node| {
        child(p, "pPr")
            .and_then(|ppr| child(ppr, "pStyle"))
            .and_then(|s| w(s, "val"))
            .unwrap_or("")
            .to_owned()
    };
    let has_numbering = |p: roxmltree::Node| {
        child(p, "pPr")
            .and_then(|ppr| child(ppr, "numPr"))
            .is_some()
    };
    let first = find("Item, second paragraph");
    let nested = find("Nested, second paragraph");
    assert_eq!(style_of(first), "ListContinue");
    assert_eq!(style_of(nested), "ListContinue2");
    assert!(!has_numbering(first) && !has_numbering(nested));
    // The styles: based on List Paragraph, indented where each level's text starts.
    let styles = doc(&p["word/styles.xml"]);
    let style = |id: &str| {
        styles
            .descendants()
            .find(|s| is_w(s, "style") && w(*s, "styleId") == Some(id))
            .expect("style")
    };
    let left = |node: roxmltree::Node| {
        node.descendants()
            .find(|n| is_w(n, "ind"))
            .and_then(|i| w(i, "left"))
            .map(str::to_owned)
    };
    // The indent of the item's text at `ilvl` in the numbering of the list "Item" opens.
    let numbering = doc(&p["word/numbering.xml"]);
    let num_id = child(find("Item"), "pPr")
        .and_then(|ppr| child(ppr, "numPr"))
        .and_then(|n| child(n, "numId"))
        .and_then(|n| w(n, "val"))
        .expect("Item is numbered");
    let abstract_id = numbering
        .descendants()
        .find(|n| is_w(n, "num") && w(*n, "numId") == Some(num_id))
        .and_then(|n| child(n, "abstractNumId"))
        .and_then(|a| w(a, "val"))
        .expect("num names its abstractNum");
    let abstract_num = numbering
        .descendants()
        .find(|a| is_w(a, "abstractNum") && w(*a, "abstractNumId") == Some(abstract_id))
        .expect("abstractNum");
    let level_left = |ilvl: &str| {
        abstract_num
            .children()
            .find(|l| is_w(l, "lvl") && w(*l, "ilvl") == Some(ilvl))
            .and_then(left)
    };
    for (id, name, ilvl) in [
        ("ListContinue", "List Continue", "0"),
        ("ListContinue2", "List Continue 2", "1"),
    ] {
        let s = style(id);
        assert_eq!(child(s, "name").and_then(|n| w(n, "val")), Some(name));
        assert_eq!(
            child(s, "basedOn").and_then(|n| w(n, "val")),
            Some("ListParagraph")
        );
        assert!(left(s).is_some());
        assert_eq!(left(s), level_left(ilvl), "{id} lines up with level {ilvl}");
    }
}

#[test]
fn a_note_cited_twice_is_cross_referenced_and_a_note_never_cited_is_kept_at_the_end() {
    let r = render(&notes_and_continued_items());
    let p = parts(&r.bytes);
    let d = doc(&p["word/document.xml"]);
    // Two Word footnotes, one per cited note.
    let refs: Vec<&str> = d
        .descendants()
        .filter(|n| is_w(n, "footnoteReference"))
        .filter_map(|n| w(n, "id"))
        .collect();
    assert_eq!(refs, ["1", "2"]);
    // The first reference to note 1 sits inside a hidden `_Ref` bookmark …
    let start = d
        .descendants()
        .find(|n| is_w(n, "bookmarkStart"))
        .expect("a bookmark");
    let name = w(start, "name").unwrap();
    assert!(name.starts_with("_Ref"), "{name}");
    let id = w(start, "id").unwrap();
    let mut after = start.next_siblings().skip(1);
    let marked = after.next().unwrap();
    assert!(
        marked
            .descendants()
            .any(|n| is_w(&n, "footnoteReference") && w(n, "id") == Some("1"))
    );
    let end = after.next().unwrap();
    assert!(is_w(&end, "bookmarkEnd") && w(end, "id") == Some(id));
    // … and the second is a NOTEREF field to it, showing 1 as a footnote reference.
    let second = d
        .descendants()
        .find(|n| is_w(n, "p") && para_text(*n).starts_with("Again"))
        .unwrap();
    let instr: String = second
        .descendants()
        .filter(|n| is_w(n, "instrText"))
        .filter_map(|n| n.text())
        .collect();
    let words: Vec<&str> = instr.split_whitespace().collect();
    assert_eq!(words, ["NOTEREF", name, "\\f", "\\h"]);
    let kinds: Vec<&str> = second
        .descendants()
        .filter(|n| is_w(n, "fldChar"))
        .filter_map(|n| w(n, "fldCharType"))
        .collect();
    assert_eq!(kinds, ["begin", "separate", "end"]);
    let shown = second
        .descendants()
        .filter(|n| is_w(n, "r"))
        .find(|r| para_text(*r) == "1")
        .expect("the cached number");
    let rstyle = child(shown, "rPr")
        .and_then(|p| child(p, "rStyle"))
        .and_then(|s| w(s, "val"));
    assert_eq!(rstyle, Some("FootnoteReference"));
    // The note never cited: under a Notes heading at the end, numbered 3, in Footnote Text.
    let paras = paragraphs(&p["word/document.xml"]);
    let at = paras
        .iter()
        .position(|p| p == &("Heading1".to_owned(), "Notes".to_owned()))
        .expect("a Notes heading");
    assert_eq!(
        paras[at + 1],
        (
            "FootnoteText".to_owned(),
            "3 Note C, never cited.".to_owned()
        )
    );
    assert_eq!(at + 2, paras.len(), "the notes come last");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("`c` is never referenced")),
        "{:?}",
        r.warnings
    );
    assert!(
        !r.warnings.iter().any(|w| w.message.contains("`a`")),
        "the repeat loses nothing: {:?}",
        r.warnings
    );
}

#[test]
fn the_rule_is_words_horizontal_line() {
    let p = parts(&render(&sample::hard()).bytes);
    let d = doc(&p["word/document.xml"]);
    let rules: Vec<_> = d
        .descendants()
        .filter(|n| {
            is_w(n, "p")
                && child(*n, "pPr")
                    .and_then(|ppr| child(ppr, "pStyle"))
                    .and_then(|s| w(s, "val"))
                    == Some("Rule")
        })
        .collect();
    assert_eq!(rules.len(), 1);
    const V: &str = "urn:schemas-microsoft-com:vml";
    const O: &str = "urn:schemas-microsoft-com:office:office";
    let rect = rules[0]
        .descendants()
        .find(|n| n.tag_name().namespace() == Some(V) && n.tag_name().name() == "rect")
        .expect("a VML rectangle");
    assert!(rect.ancestors().any(|a| is_w(&a, "pict")));
    assert_eq!(rect.attribute((O, "hr")), Some("t"));
    assert_eq!(rect.attribute((O, "hrstd")), Some("t"));
    // The line replaces the old border: the Rule style draws none.
    let styles = doc(&p["word/styles.xml"]);
    let rule = styles
        .descendants()
        .find(|s| is_w(s, "style") && w(*s, "styleId") == Some("Rule"))
        .unwrap();
    assert!(!rule.descendants().any(|n| is_w(&n, "pBdr")));
}

#[test]
fn the_font_table_declares_the_theme_families_with_fallbacks() {
    let theme = Theme::default();
    let p = parts(&render(&sample::hard()).bytes);
    let d = doc(&p["word/fontTable.xml"]);
    let fonts: Vec<(String, String, String, String)> = d
        .descendants()
        .filter(|n| is_w(n, "font"))
        .map(|f| {
            let val = |name: &str| {
                child(f, name)
                    .and_then(|c| w(c, "val"))
                    .unwrap_or("")
                    .to_owned()
            };
            (
                w(f, "name").unwrap_or("").to_owned(),
                val("altName"),
                val("family"),
                val("panose1"),
            )
        })
        .collect();
    assert_eq!(fonts.len(), 2, "{fonts:?}");
    assert_eq!(fonts[0].0, theme.serif.name);
    assert_eq!(
        (fonts[0].1.as_str(), fonts[0].2.as_str()),
        ("Georgia", "roman")
    );
    assert_eq!(fonts[1].0, theme.sans.name);
    assert_eq!(
        (fonts[1].1.as_str(), fonts[1].2.as_str()),
        ("Arial", "swiss")
    );
    // PANOSE from the fonts themselves: serif family kind 2, sans serif style 11 (0B).
    assert!(fonts[0].3.starts_with("0202"), "{}", fonts[0].3);
    assert!(fonts[1].3.starts_with("020B"), "{}", fonts[1].3);
    // Every font a style names is declared.
    let styles = doc(&p["word/styles.xml"]);
    for f in styles.descendants().filter(|n| is_w(n, "rFonts")) {
        let ascii = w(f, "ascii").unwrap_or("");
        assert!(fonts.iter().any(|d| d.0 == ascii), "{ascii} not declared");
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
        ("Masthead", "briefpress"),
        ("Title", "Ñandú & <Co>: “Quotes” — dashes ]]> and ©"),
        ("Subtitle", "A dek with ‘single’ quotes & an en dash – here"),
        (
            "Byline",
            "By Zoë Ólafsdóttir (Centre <Europe> & Co) and Nguyễn Văn Anh · February 2, 2026",
        ),
        ("Caption", "A caption with “quotes” & <angle> brackets."),
        ("Credit", "© Photographer/Agency"),
        ("Summary", "A summary that says <what> & why."),
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
fn a_link_in_a_footnote_resolves_in_the_footnotes_relationships() {
    let p = parts(&render(&fixture("hard-brief.md")).bytes);
    let notes = doc(&p["word/footnotes.xml"]);
    let link = notes
        .descendants()
        .find(|n| is_w(n, "hyperlink"))
        .expect("a link in a note");
    let id = link.attribute((R, "id")).expect("r:id");
    let rels = doc(&p["word/_rels/footnotes.xml.rels"]);
    let rel = rels
        .descendants()
        .find(|n| n.attribute("Id") == Some(id))
        .expect("the note's relationship");
    assert_eq!(rel.attribute("Target"), Some("https://example.org/note"));
    assert_eq!(rel.attribute("TargetMode"), Some("External"));
    // Every r:id of the body resolves in the body's relationships.
    let d = doc(&p["word/document.xml"]);
    let body_rels = doc(&p["word/_rels/document.xml.rels"]);
    for n in d.descendants().filter(|n| is_w(n, "hyperlink")) {
        let id = n.attribute((R, "id")).unwrap();
        assert!(
            body_rels
                .descendants()
                .any(|r| r.attribute("Id") == Some(id)),
            "{id} unresolved"
        );
    }
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
        // Pictures are compressed already and stored; every XML part is deflated.
        let expected = if f.name().starts_with("word/media/") {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        assert_eq!(f.compression(), expected, "{}", f.name());
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
    assert_eq!(paras[1], ("Title".into(), clean.into()));
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
    // The masthead opens the first page as in the PDF: the publisher once reached only the
    // core properties. The byline names the affiliations.
    assert!(
        flat.starts_with("briefpress Ñandú & <Co>"),
        "{}",
        &flat[..flat.len().min(200)]
    );
    for want in [
        "By Zoë Ólafsdóttir (Centre <Europe> & Co) and Nguyễn Văn Anh · February 2, 2026",
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

/// Runs pandoc's DOCX reader on the rendered article; `None` when pandoc is missing.
fn pandoc_json(article: &Article) -> Option<serde_json::Value> {
    if !tools::require("pandoc") {
        return None;
    }
    let dir = tools::scratch();
    let path = write(dir.path(), "brief.docx", article);
    let (ok, json, err) = tools::run(
        Command::new("pandoc")
            .args(["-f", "docx", "-t", "json"])
            .arg(&path),
    );
    assert!(ok, "pandoc failed: {err}");
    Some(serde_json::from_str(&json).expect("pandoc JSON"))
}

/// What pandoc should find in the DOCX of `article`, from the article itself: headings and
/// lists of the body, footnotes at their first reference (their links and emphasis in reading
/// order), the unreferenced notes' heading, and the pictures' alt texts.
fn expected_structure(article: &Article) -> Found {
    fn inlines(a: &Article, list: &[Inline], seen: &mut Vec<String>, f: &mut Found) {
        for i in list {
            match i {
                Inline::Emphasis { content } => {
                    f.emph += 1;
                    inlines(a, content, seen, f)
                }
                Inline::Strong { content } => {
                    f.strong += 1;
                    inlines(a, content, seen, f)
                }
                Inline::Link { url, content } => {
                    f.links.push(url.clone());
                    inlines(a, content, seen, f)
                }
                Inline::Code { .. } => f.code += 1,
                Inline::FootnoteRef { id } => {
                    let note = a.notes.iter().find(|n| &n.id == id);
                    if let Some(note) = note.filter(|_| !seen.contains(id)) {
                        seen.push(id.clone());
                        f.notes += 1;
                        blocks(a, &note.blocks, 0, false, seen, f);
                    }
                }
                Inline::Text { .. } | Inline::LineBreak => {}
            }
        }
    }
    fn blocks(
        a: &Article,
        list: &[Block],
        depth: usize,
        quoted: bool,
        seen: &mut Vec<String>,
        f: &mut Found,
    ) {
        for b in list {
            match b {
                Block::Heading { level, content } => {
                    f.headers.push(u64::from(*level).clamp(1, 3));
                    inlines(a, content, seen, f);
                }
                Block::Paragraph { content } => {
                    if quoted {
                        f.quoted_paras += 1;
                    }
                    inlines(a, content, seen, f);
                }
                Block::Quote { blocks: inner } => blocks(a, inner, depth, true, seen, f),
                Block::List {
                    ordered,
                    start,
                    items,
                } => {
                    let kind = if *ordered {
                        "OrderedList"
                    } else {
                        "BulletList"
                    };
                    let start = if *ordered { u64::from(*start) } else { 1 };
                    f.lists.push((kind.into(), depth, start));
                    for item in items {
                        blocks(a, item, depth + 1, quoted, seen, f);
                    }
                }
                Block::Figure { figure } => {
                    if figure.image.is_some() {
                        f.images.push(figure.alt.clone());
                    }
                }
                Block::Table { table } => {
                    for cell in table.cells() {
                        inlines(a, &cell.content, seen, f);
                    }
                }
                Block::Rule => {}
            }
        }
    }
    let mut f = Found::default();
    if let Some(photo) = article.photo.as_ref().filter(|p| p.image.is_some()) {
        f.images.push(photo.alt.clone());
    }
    let mut seen = Vec::new();
    blocks(article, &article.blocks, 0, false, &mut seen, &mut f);
    if article.notes.iter().any(|n| !seen.contains(&n.id)) {
        f.headers.push(1);
        // The unreferenced notes' own inlines count too (they are body text now).
        for n in article.notes.iter().filter(|n| !seen.contains(&n.id)) {
            blocks(article, &n.blocks, 0, false, &mut Vec::new(), &mut f);
        }
    }
    f
}

/// `lists`: whether to compare lists. pandoc 2.17's DOCX reader ends a list at a paragraph
/// without numbering, so an item's second paragraph (List Continue, or a direct indent, or
/// pandoc's own writer's unnumbered `numPr`) splits the list and flattens what follows.
fn assert_pandoc_recovers(name: &str, article: &Article, lists: bool) {
    let Some(v) = pandoc_json(article) else {
        return;
    };
    let mut got = Found::default();
    walk(&v["blocks"], 0, false, &mut got);
    let want = expected_structure(article);
    assert_eq!(got.headers, want.headers, "{name}: heading levels");
    if lists {
        assert_eq!(got.lists, want.lists, "{name}: list kinds, nesting, starts");
    }
    assert_eq!(got.notes, want.notes, "{name}: footnotes");
    assert_eq!(got.links, want.links, "{name}: link targets");
    assert_eq!(got.emph, want.emph, "{name}: emphasis");
    assert_eq!(got.strong, want.strong, "{name}: strong");
    assert_eq!(got.code, want.code, "{name}: code");
    assert_eq!(got.images, want.images, "{name}: pictures' alt text");
    // Word has no nested quotes: pandoc finds every quoted paragraph inside a block quote.
    assert_eq!(
        got.quoted_paras, want.quoted_paras,
        "{name}: quoted paragraphs"
    );
    assert_eq!(
        got.quotes > 0,
        want.quoted_paras > 0,
        "{name}: block quotes"
    );
}

#[test]
fn pandoc_recovers_the_structure_of_the_hard_fixture_as_read() {
    let article = fixture("hard-brief.md");
    // The fixture is what the test thinks it is.
    let want = expected_structure(&article);
    assert_eq!(want.headers, [1, 2]);
    assert_eq!(want.notes, 2);
    assert_eq!(want.images.len(), 3);
    assert_eq!(
        want.links,
        ["https://example.org/a?b=1&c=2", "https://example.org/note"]
    );
    assert_eq!(want.lists.len(), 4);
    assert_pandoc_recovers("hard-brief.md", &article, true);
}

#[test]
fn pandoc_recovers_the_structure() {
    assert_pandoc_recovers("hard()", &sample::hard(), true);
    assert_pandoc_recovers("notes", &notes_and_continued_items(), false);
}

#[derive(Default, Debug)]
struct Found {
    headers: Vec<u64>,
    notes: usize,
    links: Vec<String>,
    images: Vec<String>,
    emph: usize,
    strong: usize,
    code: usize,
    quotes: usize,
    quoted_paras: usize,
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

/// Walks pandoc's JSON AST, counting what the tests compare.
fn walk(v: &serde_json::Value, depth: usize, quoted: bool, f: &mut Found) {
    match v {
        serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, depth, quoted, f)),
        serde_json::Value::Object(o) => {
            let c = o.get("c").cloned().unwrap_or_default();
            match o.get("t").and_then(|t| t.as_str()) {
                Some("Header") => f.headers.push(c[0].as_u64().unwrap_or(0)),
                Some("Note") => {
                    // A note's text is not part of the quote that cites it.
                    f.notes += 1;
                    walk(&c, depth, false, f);
                    return;
                }
                Some("Link") => f.links.push(c[2][0].as_str().unwrap_or("").to_owned()),
                Some("Image") => f.images.push(stringify(&c[1])),
                Some("Emph") => f.emph += 1,
                Some("Strong") => f.strong += 1,
                Some("Code") => f.code += 1,
                Some("Para" | "Plain") if quoted => f.quoted_paras += 1,
                Some("BlockQuote") => {
                    f.quotes += 1;
                    walk(&c, depth, true, f);
                    return;
                }
                Some("BulletList") => {
                    f.lists.push(("BulletList".into(), depth, 1));
                    walk(&c, depth + 1, quoted, f);
                    return;
                }
                Some("OrderedList") => {
                    f.lists
                        .push(("OrderedList".into(), depth, c[0][0].as_u64().unwrap_or(0)));
                    walk(&c[1], depth + 1, quoted, f);
                    return;
                }
                _ => {}
            }
            walk(&c, depth, quoted, f);
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
        "`missing` has no note",
        "`unused` is never referenced",
        "inside a footnote",
    ] {
        assert!(warned(s), "no warning about {s:?}: {:?}", r.warnings);
    }
    // The repeated reference is a cross-reference, the unused note is kept at the end.
    assert!(p["word/document.xml"].contains("NOTEREF _RefNote1"));
    let paras = paragraphs(&p["word/document.xml"]);
    assert!(paras.contains(&("FootnoteText".into(), "2 never cited".into())));
    assert!(paras.contains(&("Heading1".into(), "zero".into())));
    assert!(paras.contains(&("Heading3".into(), "nine".into())));
    assert!(paras.contains(&("Quote".into(), "deep quote".into())));
    let notes = paragraphs(&p["word/footnotes.xml"]);
    assert!(
        notes.contains(&("Caption".into(), "Note figure".into())),
        "{notes:?}"
    );
}

/// docx-rs collects hyperlink relationships in a hash map: with several distinct links their
/// order in `document.xml.rels` changed from render to render.
#[test]
fn hyperlink_relationships_keep_one_order_with_many_links() {
    let links: Vec<Inline> = (0..12)
        .map(|i| Inline::Link {
            url: format!("https://example.org/{i}"),
            content: vec![text(format!("link {i}"))],
        })
        .collect();
    let a = Article {
        meta: Meta::new("Links"),
        photo: None,
        blocks: vec![Block::Paragraph { content: links }],
        notes: vec![],
    };
    let first = render(&a).bytes;
    let rels = parts(&first)["word/_rels/document.xml.rels"].clone();
    let targets: Vec<usize> = rels
        .match_indices("https://example.org/")
        .map(|(i, m)| {
            let rest = &rels[i + m.len()..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    assert_eq!(targets, (0..12).collect::<Vec<_>>(), "in reading order");
    for _ in 0..8 {
        assert!(render(&a).bytes == first, "a second render differs");
    }
}

#[test]
fn a_table_is_a_word_table_in_the_table_style_with_repeating_header_rows() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tables/reader-cms.json");
    let bytes = std::fs::read(&path).unwrap();
    let dir = path.parent().unwrap().to_path_buf();
    let article = read::read(SourceFormat::Json, &bytes, "reader-cms", &DirAssets(dir))
        .unwrap()
        .article;
    let out = render(&article);
    let parts = parts(&out.bytes);
    let document = &parts["word/document.xml"];
    let d = doc(document);
    let tables: Vec<_> = d.descendants().filter(|n| is_w(n, "tbl")).collect();
    assert_eq!(tables.len(), 1);
    let tbl = tables[0];
    let tblpr = child(tbl, "tblPr").expect("tblPr");
    assert_eq!(
        child(tblpr, "tblStyle").and_then(|s| w(s, "val")),
        Some("BriefTable")
    );
    assert!(
        child(tblpr, "tblBorders").is_none(),
        "the style's borders govern"
    );
    let order: Vec<&str> = tblpr
        .children()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(order.first(), Some(&"tblStyle"), "schema order: {order:?}");
    let rows: Vec<_> = tbl.children().filter(|n| is_w(n, "tr")).collect();
    assert_eq!(rows.len(), 5);
    let header =
        |r: &roxmltree::Node| child(*r, "trPr").is_some_and(|p| child(p, "tblHeader").is_some());
    assert!(header(&rows[0]) && header(&rows[1]));
    assert!(rows[2..].iter().all(|r| !header(r)));
    assert!(
        rows.iter()
            .all(|r| child(*r, "trPr").is_some_and(|p| child(p, "cantSplit").is_some()))
    );
    let grid: Vec<u32> = child(tbl, "tblGrid")
        .unwrap()
        .children()
        .filter(|n| is_w(n, "gridCol"))
        .map(|g| w(g, "w").unwrap().parse().unwrap())
        .collect();
    assert_eq!(grid.len(), 4);
    let theme = Theme::default();
    let text_width = (theme.page.points().0 - theme.margins.left - theme.margins.right) * 20.0;
    let total: u32 = grid.iter().sum();
    assert!(
        (total as f32 - text_width).abs() < 60.0,
        "{grid:?} fills the measure"
    );
    assert!(
        grid[0] > grid[1],
        "the label column is the widest: {grid:?}"
    );
    // Cells: header text in Table Heading, body in Table Text, figures right-aligned.
    let cell_paras: Vec<(String, Option<String>, String)> = rows
        .iter()
        .flat_map(|r| r.descendants().filter(|n| is_w(n, "p")))
        .map(|p| {
            let ppr = child(p, "pPr");
            let style = ppr
                .and_then(|x| child(x, "pStyle"))
                .and_then(|s| w(s, "val"))
                .unwrap_or("")
                .to_owned();
            let jc = ppr
                .and_then(|x| child(x, "jc"))
                .and_then(|j| w(j, "val"))
                .map(str::to_owned);
            (style, jc, para_text(p))
        })
        .collect();
    assert_eq!(
        cell_paras[0],
        (
            "TableHeading".into(),
            Some("left".into()),
            "Indicator".into()
        )
    );
    assert_eq!(
        cell_paras[9],
        ("TableText".into(), Some("right".into()), "4.1".into())
    );
    // Caption above in Caption, source below in Credit.
    let paras = paragraphs(document);
    let caption = paras
        .iter()
        .position(|(_, t)| t == "Table 1. Headline indicators, 2024–2026")
        .expect("caption");
    assert_eq!(paras[caption].0, "Caption");
    let source = paras
        .iter()
        .position(|(_, t)| t.starts_with("Source: National"))
        .expect("source");
    assert_eq!(paras[source].0, "Credit");
    // The style exists, with its header-row formatting.
    let styles = doc(&parts["word/styles.xml"]);
    let style = styles
        .descendants()
        .find(|n| is_w(n, "style") && w(*n, "styleId") == Some("BriefTable"))
        .expect("the table style");
    assert!(
        style
            .descendants()
            .any(|n| is_w(&n, "tblStylePr") && w(n, "type") == Some("firstRow"))
    );
}

#[test]
fn libreoffice_repeats_a_long_tables_header_on_the_next_page() {
    if !tools::require("soffice") || !tools::require("pdftotext") {
        return;
    }
    let mut md = String::from(
        "---\ntitle: Long table\n---\n\nTable: Sixty rows.\n\n| Region | Value |\n|---|---:|\n",
    );
    for i in 1..=60 {
        md.push_str(&format!("| Region number {i} | {} |\n", i * 7));
    }
    let article = read::read(
        SourceFormat::Markdown,
        md.as_bytes(),
        "long",
        &read::MemoryAssets::default(),
    )
    .unwrap()
    .article;
    let out = render(&article);
    let dir = tools::scratch();
    let file = dir.path().join("long.docx");
    std::fs::write(&file, &out.bytes).unwrap();
    let (ok, _, err) = tools::run(
        Command::new("soffice")
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir.path())
            .arg(&file),
    );
    assert!(ok, "{err}");
    let (ok, page2, err) = tools::run(
        Command::new("pdftotext")
            .args(["-f", "2", "-l", "2", "-layout"])
            .arg(dir.path().join("long.pdf"))
            .arg("-"),
    );
    assert!(ok, "{err}");
    // The running header comes first; the table's first line on the page is its header row.
    let first = page2
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("Region"))
        .unwrap_or("");
    assert!(
        first.starts_with("Region") && first.ends_with("Value"),
        "page 2 opens with the header row, not {first:?}"
    );
}
