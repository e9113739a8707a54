//! One link policy in every format: web and mail addresses stay live, an anchor jumps to its
//! heading, anything else is text with one warning naming its line — the same in the PDF's
//! annotations, the DOCX's hyperlinks and relationships and the EPUB's `href`s.

use briefpress::article::{Article, Block, Inline, Meta, text};
use briefpress::read::{self, MemoryAssets, SourceFormat};
use briefpress::render::Format;
use briefpress::theme::Theme;
use std::io::Read;

/// Targets that must never be live, however they are dressed up.
const HOSTILE: [&str; 9] = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(2)",
    "  javascript:alert(3)",
    "vbscript:msgbox(4)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "file:///etc/passwd",
    "../../etc/passwd",
    "&#106;avascript:alert(5)",
    "java\tscript:alert(6)",
];

/// A brief whose paragraph `k` (on line `first_line + 2k`) links `HOSTILE[k]`, then a web, a
/// mail and an anchor link, and the heading the anchor names.
fn markdown() -> (String, usize) {
    let mut s = String::from("---\ntitle: Links\n---\n\n## The outlook\n\n");
    let first_line = s.lines().count() + 1;
    for (k, url) in HOSTILE.iter().enumerate() {
        // `<…>` lets the destination hold spaces and tabs as written.
        s.push_str(&format!("Bad {k} [bad text {k}](<{url}>).\n\n"));
    }
    s.push_str(
        "Good [web](<https://example.org/a b>), [mail](mailto:desk@example.org) and \
         [back up](#the-outlook).\n",
    );
    (s, first_line)
}

fn load() -> read::Loaded {
    let (md, _) = markdown();
    read::read(
        SourceFormat::Markdown,
        md.as_bytes(),
        "links",
        &MemoryAssets::default(),
    )
    .expect("the brief reads")
}

#[test]
fn dangerous_links_are_text_with_one_warning_naming_their_line() {
    let (_, first_line) = markdown();
    let loaded = load();
    let link_warnings: Vec<_> = loaded
        .warnings
        .iter()
        .filter(|w| w.message.starts_with("link target"))
        .collect();
    assert_eq!(link_warnings.len(), HOSTILE.len(), "{link_warnings:#?}");
    for (k, w) in link_warnings.iter().enumerate() {
        assert_eq!(w.at.line, Some(first_line + 2 * k), "{w:?}");
    }
    // The backends add no warning of their own about these links.
    for f in Format::ALL {
        let r = f.render(&loaded.article, &Theme::default()).unwrap();
        assert!(
            !r.warnings.iter().any(|w| w.message.contains("link")),
            "{f:?}: {:?}",
            r.warnings
        );
    }
}

fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The `/URI` targets and the count of `GoTo` jumps of a PDF's link annotations.
fn pdf_links(bytes: &[u8]) -> (Vec<String>, usize) {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let (mut uris, mut gotos) = (Vec::new(), 0);
    for id in doc.get_pages().values() {
        let page = doc.get_dictionary(*id).unwrap();
        let Ok(annots) = page.get(b"Annots").and_then(lopdf::Object::as_array) else {
            continue;
        };
        for a in annots {
            let annot = match a {
                lopdf::Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
                lopdf::Object::Dictionary(d) => d,
                _ => continue,
            };
            let Ok(action) = annot.get(b"A").and_then(lopdf::Object::as_dict) else {
                continue;
            };
            match action.get(b"S").and_then(lopdf::Object::as_name).unwrap() {
                b"URI" => {
                    let uri = action.get(b"URI").unwrap().as_str().unwrap();
                    uris.push(String::from_utf8_lossy(uri).into_owned());
                }
                b"GoTo" => gotos += 1,
                other => panic!("unexpected action {}", String::from_utf8_lossy(other)),
            }
        }
    }
    (uris, gotos)
}

const LIVE: [&str; 2] = ["https://example.org/a%20b", "mailto:desk@example.org"];

#[test]
fn pdf_keeps_web_and_mail_links_and_jumps_to_the_anchored_heading() {
    let r = Format::Pdf
        .render(&load().article, &Theme::default())
        .unwrap();
    let (uris, gotos) = pdf_links(&r.bytes);
    assert_eq!(uris, LIVE);
    assert_eq!(gotos, 1, "the #the-outlook link jumps to its heading");
}

#[test]
fn docx_keeps_web_and_mail_links_external_and_the_anchor_internal() {
    let r = Format::Docx
        .render(&load().article, &Theme::default())
        .unwrap();
    let rels = zip_part(&r.bytes, "word/_rels/document.xml.rels");
    let rels = roxmltree::Document::parse(&rels).unwrap();
    let mut targets: Vec<&str> = rels
        .descendants()
        .filter(|n| n.attribute("TargetMode") == Some("External"))
        .map(|n| n.attribute("Target").unwrap())
        .collect();
    targets.sort();
    assert_eq!(targets, LIVE);
    let doc = zip_part(&r.bytes, "word/document.xml");
    let doc = roxmltree::Document::parse(&doc).unwrap();
    let anchors: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "hyperlink")
        .filter_map(|n| n.attribute((W, "anchor")))
        .collect();
    assert_eq!(anchors.len(), 1);
    let bookmark = doc
        .descendants()
        .find(|n| n.tag_name().name() == "bookmarkStart")
        .expect("the heading has a bookmark");
    assert_eq!(bookmark.attribute((W, "name")), Some(anchors[0]));
    let heading_text: String = bookmark
        .parent()
        .unwrap()
        .descendants()
        .filter(|n| n.tag_name().name() == "t")
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(heading_text, "The outlook");
    // Every hostile link's text is there, none of them as a link.
    let all = String::from_utf8_lossy(&r.bytes).into_owned();
    assert!(!all.contains("javascript") && !all.contains("etc/passwd"));
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

#[test]
fn epub_keeps_web_and_mail_links_and_the_anchor_within_the_chapter() {
    let r = Format::Epub
        .render(&load().article, &Theme::default())
        .unwrap();
    let xhtml = zip_part(&r.bytes, "OEBPS/text.xhtml");
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&xhtml, options).unwrap();
    let hrefs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "a")
        .filter_map(|n| n.attribute("href"))
        .collect();
    let anchor = hrefs
        .iter()
        .find(|h| h.starts_with('#'))
        .expect("an in-document link");
    let target = doc
        .descendants()
        .find(|n| n.attribute("id") == Some(&anchor[1..]))
        .expect("the anchor's target exists");
    assert_eq!(target.text(), Some("The outlook"));
    let web: Vec<&str> = hrefs
        .iter()
        .copied()
        .filter(|h| !h.starts_with('#'))
        .collect();
    assert_eq!(web, LIVE);
    for k in 0..HOSTILE.len() {
        assert!(xhtml.contains(&format!("bad text {k}")), "text {k} kept");
    }
}

/// An article built in code, not read: the backends still apply the policy themselves.
#[test]
fn an_article_built_in_code_gets_no_live_dangerous_link_in_any_format() {
    let mut article = Article {
        meta: Meta::new("Code"),
        photo: None,
        blocks: vec![Block::Paragraph {
            content: HOSTILE
                .iter()
                .map(|u| Inline::Link {
                    url: (*u).to_owned(),
                    content: vec![text("x")],
                })
                .chain([Inline::Link {
                    url: "#nowhere".into(),
                    content: vec![text("y")],
                }])
                .collect(),
        }],
        notes: vec![],
    };
    article.meta.language = "en".into();
    let pdf = Format::Pdf.render(&article, &Theme::default()).unwrap();
    assert_eq!(pdf_links(&pdf.bytes), (vec![], 0));
    let docx = Format::Docx.render(&article, &Theme::default()).unwrap();
    let doc = zip_part(&docx.bytes, "word/document.xml");
    assert!(!doc.contains("w:hyperlink"), "{doc}");
    let epub = Format::Epub.render(&article, &Theme::default()).unwrap();
    let xhtml = zip_part(&epub.bytes, "OEBPS/text.xhtml");
    assert!(!xhtml.contains("<a href"), "{xhtml}");
}

#[test]
fn json_source_warns_at_the_line_of_the_dangerous_target() {
    let json = r##"{
  "meta": {"title": "J"},
  "blocks": [
    {"type": "paragraph", "content": [
      {"type": "link", "url": "https://example.org", "content": [{"type": "text", "text": "ok"}]},
      {"type": "link", "url": "javascript:alert(1)", "content": [{"type": "text", "text": "bad"}]}
    ]}
  ]
}"##;
    let loaded = read::read(
        SourceFormat::Json,
        json.as_bytes(),
        "j",
        &MemoryAssets::default(),
    )
    .unwrap();
    let w: Vec<_> = loaded
        .warnings
        .iter()
        .filter(|w| w.message.starts_with("link target"))
        .collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].at.line, Some(6));
}
