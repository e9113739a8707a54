//! EPUB backend: both epubchecks, package metadata, navigation, chapter markup, escaping and
//! determinism, all from articles built in code and read back as parsed XML.

use crate::sample::{colombia, hard};
use crate::tools;
use briefpress::article::{Article, Block, Figure, Meta, para};
use briefpress::render::{content_uuid, epub};
use briefpress::theme::Theme;
use roxmltree::{Document, Node, ParsingOptions};
use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;

const XHTML: &str = "http://www.w3.org/1999/xhtml";
const OPS: &str = "http://www.idpf.org/2007/ops";
const OPF: &str = "http://www.idpf.org/2007/opf";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const XML: &str = "http://www.w3.org/XML/1998/namespace";

/// A wire story: no photo, no authors, no date.
fn minimal() -> Article {
    Article {
        meta: Meta::new("A brief with nothing but text"),
        photo: None,
        blocks: vec![para("One paragraph.")],
        notes: vec![],
    }
}

fn render(article: &Article) -> Vec<u8> {
    epub::render(article, &Theme::default())
        .expect("renders")
        .bytes
}

/// The entries of an EPUB, by name, as text.
fn entry(epub: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(epub)).expect("a zip");
    let mut f = z
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the package"));
    let mut s = String::new();
    f.read_to_string(&mut s).expect("UTF-8");
    s
}

fn names(epub: &[u8]) -> Vec<String> {
    let z = zip::ZipArchive::new(Cursor::new(epub)).expect("a zip");
    z.file_names().map(str::to_owned).collect()
}

fn parse(text: &str) -> Document<'_> {
    let opts = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, opts).expect("well-formed XML")
}

fn text_of(n: Node<'_, '_>) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .map(|d| d.text().unwrap_or(""))
        .collect()
}

fn elements<'a, 'i>(doc: &'a Document<'i>, ns: &str, name: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.has_tag_name((ns, name)))
        .collect()
}

fn dc<'i>(doc: &Document<'i>, name: &str) -> Vec<String> {
    elements(doc, DC, name).into_iter().map(text_of).collect()
}

fn metas(doc: &Document<'_>, property: &str) -> Vec<String> {
    elements(doc, OPF, "meta")
        .into_iter()
        .filter(|m| m.attribute("property") == Some(property))
        .map(text_of)
        .collect()
}

/// Runs every epubcheck jar on the file and returns "jar: counts and messages" for each that
/// reports a fatal, an error or a warning.
fn epubcheck_problems(jars: &[std::path::PathBuf], file: &Path, dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, jar) in jars.iter().enumerate() {
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("book");
        let report = dir.join(format!("{stem}-report-{i}.json"));
        let (_, out, err) = tools::run(
            Command::new("java")
                .arg("-jar")
                .arg(jar)
                .arg(file)
                .arg("--json")
                .arg(&report),
        );
        let json: serde_json::Value = match std::fs::read(&report)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
        {
            Some(v) => v,
            None => {
                problems.push(format!("{}: no report\n{out}\n{err}", jar.display()));
                continue;
            }
        };
        let c = &json["checker"];
        let count = |k: &str| c[k].as_u64().unwrap_or(u64::MAX);
        let (f, e, w) = (count("nFatal"), count("nError"), count("nWarning"));
        if f + e + w != 0 {
            let msgs: Vec<String> = json["messages"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|m| {
                    format!(
                        "{} {} {} {}",
                        m["severity"], m["ID"], m["message"], m["locations"]
                    )
                })
                .collect();
            problems.push(format!(
                "{} ({}): {f} fatal, {e} errors, {w} warnings\n{}",
                file.display(),
                c["checkerVersion"],
                msgs.join("\n")
            ));
        }
    }
    problems
}

#[test]
fn epubcheck_4_and_5_accept_sample_hard_and_minimal_books() {
    let jars = tools::epubcheck_jars();
    if jars.is_empty() || !tools::require("java") {
        return;
    }
    let dir = tools::scratch();
    let mut bare_figure = hard();
    bare_figure.photo.as_mut().expect("photo").image = None;
    let books = [
        ("colombia", colombia()),
        ("hard", hard()),
        ("minimal", minimal()),
        ("caption-without-image", bare_figure),
    ];
    // Each java run costs seconds of start-up; run the books side by side.
    let problems: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = books
            .iter()
            .map(|(name, article)| {
                let (dir, jars) = (dir.path(), &jars);
                s.spawn(move || {
                    let file = dir.join(format!("{name}.epub"));
                    std::fs::write(&file, render(article)).expect("written");
                    epubcheck_problems(jars, &file, dir)
                })
            })
            .collect();
        runs.into_iter()
            .flat_map(|r| r.join().expect("checker thread"))
            .collect()
    });
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn package_metadata_names_creators_publisher_dates_and_a_stable_identifier() {
    let theme = Theme::default();
    let book = render(&hard());
    let opf_text = entry(&book, "OEBPS/content.opf");
    let opf = parse(&opf_text);
    assert_eq!(
        dc(&opf, "title"),
        ["Ñandú & <Co>: “Quotes” — dashes ]]> and ©"]
    );
    assert_eq!(dc(&opf, "creator"), ["Zoë Ólafsdóttir", "Nguyễn Văn Anh"]);
    assert_eq!(dc(&opf, "publisher"), [theme.publisher.as_str()]);
    assert_eq!(dc(&opf, "language"), ["en"]);
    assert_eq!(dc(&opf, "subject"), ["Colombia", "trade & aid"]);
    assert_eq!(
        dc(&opf, "description"),
        ["A summary that says <what> & why."]
    );
    assert_eq!(dc(&opf, "rights"), ["© 2026 The Example Council"]);
    // and the licence line is shown to the reader too, not only stated in the package
    assert!(
        entry(&book, "OEBPS/text.xhtml")
            .contains("<p class=\"rights\">© 2026 The Example Council</p>")
    );
    assert_eq!(dc(&opf, "date"), ["2026-02-02T00:00:00Z"]);
    assert_eq!(metas(&opf, "dcterms:modified"), ["2026-02-02T00:00:00Z"]);
    assert_eq!(
        dc(&opf, "identifier"),
        [format!("urn:uuid:{}", content_uuid(&hard()))]
    );
    // The identifier is the package's unique identifier and does not change between renders.
    let id_attr = opf
        .root_element()
        .attribute("unique-identifier")
        .expect("unique-identifier");
    let id_el = elements(&opf, DC, "identifier")[0];
    assert_eq!(id_el.attribute("id"), Some(id_attr));
    assert_eq!(
        dc(
            &parse(&entry(&render(&hard()), "OEBPS/content.opf")),
            "identifier"
        ),
        dc(&opf, "identifier")
    );

    // A wire story: the publisher stands as creator; a given identifier is kept as written.
    let mut wire = minimal();
    wire.meta.publisher = Some("The Example Council & Co".into());
    wire.meta.identifier = Some("https://example.org/briefs/1?a=1&b=2".into());
    let opf_text = entry(&render(&wire), "OEBPS/content.opf");
    let opf = parse(&opf_text);
    assert_eq!(dc(&opf, "creator"), ["The Example Council & Co"]);
    assert_eq!(dc(&opf, "publisher"), ["The Example Council & Co"]);
    assert_eq!(
        dc(&opf, "identifier"),
        ["https://example.org/briefs/1?a=1&b=2"]
    );
    // No date: the modified time is SOURCE_DATE_EPOCH's when the caller sets it, else 1980.
    assert_eq!(metas(&opf, "dcterms:modified"), ["1980-01-01T00:00:00Z"]);
    assert!(dc(&opf, "date").is_empty());
    wire.meta.source_date_epoch = Some(1_770_000_000);
    let opf_text = entry(&render(&wire), "OEBPS/content.opf");
    assert_eq!(
        metas(&parse(&opf_text), "dcterms:modified"),
        ["2026-02-02T02:40:00Z"]
    );
}

#[test]
fn accessibility_metadata_says_only_what_is_true() {
    let opf_text = entry(&render(&hard()), "OEBPS/content.opf");
    let opf = parse(&opf_text);
    assert_eq!(metas(&opf, "schema:accessMode"), ["textual", "visual"]);
    assert_eq!(metas(&opf, "schema:accessModeSufficient"), ["textual"]);
    let features = metas(&opf, "schema:accessibilityFeature");
    for f in [
        "structuralNavigation",
        "tableOfContents",
        "alternativeText",
        "readingOrder",
    ] {
        assert!(
            features.iter().any(|x| x == f),
            "{f} missing from {features:?}"
        );
    }
    assert_eq!(metas(&opf, "schema:accessibilityHazard"), ["none"]);
    assert_eq!(metas(&opf, "schema:accessibilitySummary").len(), 1);

    // Text only, no headings: no visual mode, no alternativeText, no structuralNavigation.
    let opf_text = entry(&render(&minimal()), "OEBPS/content.opf");
    let opf = parse(&opf_text);
    assert_eq!(metas(&opf, "schema:accessMode"), ["textual"]);
    let features = metas(&opf, "schema:accessibilityFeature");
    assert!(
        !features
            .iter()
            .any(|f| f == "alternativeText" || f == "structuralNavigation"),
        "{features:?}"
    );
}

#[test]
fn the_cover_image_shows_the_title_over_the_photo_and_is_a_landmark() {
    let book = render(&colombia());
    let opf_text = entry(&book, "OEBPS/content.opf");
    let opf = parse(&opf_text);
    let items = elements(&opf, OPF, "item");
    let cover: Vec<_> = items
        .iter()
        .filter(|i| i.attribute("properties") == Some("cover-image"))
        .collect();
    assert_eq!(cover.len(), 1);
    assert_eq!(cover[0].attribute("media-type"), Some("image/jpeg"));
    let cover_id = cover[0].attribute("id").expect("id");
    let legacy = elements(&opf, OPF, "meta")
        .into_iter()
        .find(|m| m.attribute("name") == Some("cover"))
        .expect("EPUB 2 cover meta");
    assert_eq!(legacy.attribute("content"), Some(cover_id));
    // A generated portrait of at least 1200 × 1920 (the 1 : 1.6 stores ask for), not the bare
    // photo, and the same bytes on every build.
    let href = cover[0].attribute("href").expect("href");
    let read = |book: &[u8]| {
        let mut z = zip::ZipArchive::new(Cursor::new(book)).expect("zip");
        let mut data = Vec::new();
        z.by_name(&format!("OEBPS/{href}"))
            .expect("image entry")
            .read_to_end(&mut data)
            .expect("read");
        data
    };
    let data = read(&book);
    assert_ne!(
        &data,
        colombia().photo.unwrap().image.unwrap().data.as_ref()
    );
    assert_eq!(data, read(&render(&colombia())));
    let img = image::load_from_memory(&data).expect("a JPEG").to_rgb8();
    assert!(img.width() >= 1200 && img.height() >= 1920);
    assert!(img.height() * 10 >= img.width() * 16, "portrait");
    // Over the photo: the middle of the picture is neither plain accent nor black, and the
    // title's white letters are in the lower part.
    let px = img.get_pixel(img.width() / 2, img.height() / 3).0;
    let accent = Theme::default().colors.accent;
    assert!(
        px.iter()
            .zip([accent.0, accent.1, accent.2])
            .any(|(a, b)| a.abs_diff(b) > 40),
        "{px:?}"
    );
    let white_below = (img.height() * 2 / 3..img.height())
        .flat_map(|y| (0..img.width()).step_by(4).map(move |x| (x, y)))
        .filter(|(x, y)| img.get_pixel(*x, *y).0.iter().all(|c| *c > 235))
        .count();
    assert!(
        white_below > 1000,
        "{white_below} white pixels under the photo's middle"
    );
    // The photo stays in the chapter as a figure.
    let text = entry(&book, "OEBPS/text.xhtml");
    assert!(text.contains("images/photo.jpg"));

    let nav_text = entry(&book, "OEBPS/nav.xhtml");
    let nav = parse(&nav_text);
    let landmarks = elements(&nav, XHTML, "nav")
        .into_iter()
        .find(|n| n.attribute((OPS, "type")) == Some("landmarks"))
        .expect("landmarks nav");
    let kinds: Vec<_> = landmarks
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "a")))
        .map(|a| {
            (
                a.attribute((OPS, "type")).unwrap_or(""),
                a.attribute("href").unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [("cover", "cover.xhtml"), ("bodymatter", "text.xhtml")]
    );

    // No photo file: the cover shows the title on the theme's accent colour.
    let book = render(&minimal());
    let mut z = zip::ZipArchive::new(Cursor::new(&book)).expect("zip");
    let mut data = Vec::new();
    z.by_name(&format!("OEBPS/{href}"))
        .expect("a cover without photo")
        .read_to_end(&mut data)
        .expect("read");
    let img = image::load_from_memory(&data).expect("a JPEG").to_rgb8();
    let accent = Theme::default().colors.accent;
    let corner = img.get_pixel(10, img.height() - 10).0;
    assert!(
        corner
            .iter()
            .zip([accent.0, accent.1, accent.2])
            .all(|(a, b)| a.abs_diff(b) < 8),
        "{corner:?}"
    );
}

#[test]
fn nav_nests_headings_by_level() {
    let nav_text = entry(&render(&hard()), "OEBPS/nav.xhtml");
    let nav = parse(&nav_text);
    let toc = elements(&nav, XHTML, "nav")
        .into_iter()
        .find(|n| n.attribute((OPS, "type")) == Some("toc"))
        .expect("toc nav");
    assert_eq!(toc.attribute("role"), Some("doc-toc"));
    // Each entry as (depth in lists, text).
    let entries: Vec<(usize, String)> = toc
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "a")))
        .map(|a| {
            let depth = a
                .ancestors()
                .filter(|x| x.has_tag_name((XHTML, "li")))
                .count();
            (depth, text_of(a))
        })
        .collect();
    let want = [
        (1, "Cover"),
        (1, "Ñandú & <Co>: “Quotes” — dashes ]]> and ©"),
        (2, "Ελληνικά and Кириллица"),
        (3, "Tiếng Việt: Hà Nội"),
        (4, "A third-level heading"),
    ];
    let got: Vec<(usize, &str)> = entries.iter().map(|(d, t)| (*d, t.as_str())).collect();
    assert_eq!(got, want);
    // The NCX carries the same entries for older readers.
    let ncx_text = entry(&render(&hard()), "OEBPS/toc.ncx");
    let ncx = parse(&ncx_text);
    let labels: Vec<String> = ncx
        .descendants()
        .filter(|n| {
            n.has_tag_name("text") && n.parent().is_some_and(|p| p.has_tag_name("navLabel"))
        })
        .map(text_of)
        .collect();
    assert_eq!(labels.len(), 5, "{labels:?}");
    // It repeats the package identifier, says how deep it nests and names the book.
    let meta = |name: &str| {
        ncx.descendants()
            .find(|n| n.has_tag_name("meta") && n.attribute("name") == Some(name))
            .and_then(|n| n.attribute("content"))
            .map(str::to_owned)
    };
    let opf_text = entry(&render(&hard()), "OEBPS/content.opf");
    assert_eq!(meta("dtb:uid"), dc(&parse(&opf_text), "identifier").pop());
    assert_eq!(meta("dtb:depth").as_deref(), Some("4"));
    let doc_title = ncx
        .descendants()
        .find(|n| n.has_tag_name("docTitle"))
        .map(text_of);
    assert_eq!(
        doc_title.as_deref().map(str::trim),
        Some("Ñandú & <Co>: “Quotes” — dashes ]]> and ©")
    );
}

#[test]
fn every_xhtml_document_declares_its_language() {
    let mut article = hard();
    article.meta.language = "es-CO".into();
    let book = render(&article);
    let docs: Vec<String> = names(&book)
        .into_iter()
        .filter(|n| n.ends_with(".xhtml"))
        .collect();
    assert_eq!(docs.len(), 3, "{docs:?}");
    for name in docs {
        let text = entry(&book, &name);
        let doc = parse(&text);
        let root = doc.root_element();
        assert_eq!(root.attribute("lang"), Some("es-CO"), "{name}");
        assert_eq!(root.attribute((XML, "lang")), Some("es-CO"), "{name}");
    }
    let opf_text = entry(&book, "OEBPS/content.opf");
    let opf = parse(&opf_text);
    assert_eq!(dc(&opf, "language"), ["es-CO"]);
    assert_eq!(opf.root_element().attribute((XML, "lang")), Some("es-CO"));
    // The navigation labels the book supplies follow its language.
    let nav_text = entry(&book, "OEBPS/nav.xhtml");
    let nav = parse(&nav_text);
    let heading = elements(&nav, XHTML, "h1").into_iter().next().map(text_of);
    assert_eq!(heading.as_deref(), Some("Índice"));

    // A tag that is not BCP 47 is replaced with a warning, never written as is.
    article.meta.language = "english please".into();
    let r = epub::render(&article, &Theme::default()).expect("renders");
    assert!(r.warnings.iter().any(|w| w.message.contains("BCP 47")));
}

#[test]
fn chapter_has_title_block_semantic_blocks_and_footnotes() {
    let book = render(&hard());
    let text = entry(&book, "OEBPS/text.xhtml");
    let doc = parse(&text);
    let h = |name: &str| elements(&doc, XHTML, name);
    assert_eq!(h("h1").len(), 1, "the title is the only h1");
    assert_eq!(
        text_of(h("h1")[0]),
        "Ñandú & <Co>: “Quotes” — dashes ]]> and ©"
    );
    assert_eq!(text_of(h("h2")[0]), "Ελληνικά and Кириллица");
    assert_eq!(text_of(h("h3")[0]), "Tiếng Việt: Hà Nội");
    assert_eq!(text_of(h("h4")[0]), "A third-level heading");
    let class = |c: &str| {
        doc.descendants()
            .find(|n| n.attribute("class") == Some(c))
            .map(text_of)
    };
    assert_eq!(
        class("dek").as_deref(),
        Some("A dek with ‘single’ quotes & an en dash – here")
    );
    let byline = class("byline").expect("byline");
    assert!(
        byline.contains("Zoë Ólafsdóttir")
            && byline.contains("Centre <Europe> & Co")
            && byline.contains("Nguyễn Văn Anh")
    );
    assert!(byline.ends_with(" · February 2, 2026"), "{byline}");
    assert_eq!(class("publisher").as_deref(), Some("briefpress"));

    // Lists: nested, `start` honoured.
    let ols = h("ol");
    assert!(ols.iter().any(|o| o.attribute("start") == Some("3")));
    let nested = ols
        .iter()
        .find(|o| o.ancestors().skip(1).any(|a| a.has_tag_name((XHTML, "ul"))));
    assert!(
        nested.is_some(),
        "the numbered list nests in the bullet list"
    );
    assert_eq!(
        text_of(h("blockquote")[0]).trim(),
        "A quoted paragraph — with a dash."
    );
    assert_eq!(h("hr").len(), 1);
    assert_eq!(h("br").len(), 1, "br only for the one LineBreak");
    let link = h("a")
        .into_iter()
        .find(|a| text_of(*a) == "a link")
        .expect("link");
    assert_eq!(
        link.attribute("href"),
        Some("https://example.org/a?b=1&c=2")
    );
    assert_eq!(text_of(h("code")[0]), "x < y && z");
    assert_eq!(text_of(h("em")[0]), "emphasised");
    assert_eq!(text_of(h("strong")[0]), "strong");

    // Footnotes: noteref → aside → back-link.
    let noteref = h("a")
        .into_iter()
        .find(|a| a.attribute("id") == Some("fnref1"))
        .expect("fnref1");
    assert_eq!(noteref.attribute((OPS, "type")), Some("noteref"));
    assert_eq!(noteref.attribute("role"), Some("doc-noteref"));
    assert_eq!(noteref.attribute("href"), Some("#fn1"));
    let aside = h("aside")
        .into_iter()
        .find(|a| a.attribute("id") == Some("fn1"))
        .expect("fn1");
    assert_eq!(aside.attribute((OPS, "type")), Some("footnote"));
    assert_eq!(aside.attribute("role"), Some("doc-footnote"));
    assert!(text_of(aside).contains("The first note, with <markup> & “quotes”."));
    let back = aside
        .descendants()
        .find(|n| n.attribute("role") == Some("doc-backlink"))
        .expect("back-link");
    assert_eq!(back.attribute("href"), Some("#fnref1"));
    assert_eq!(h("aside").len(), 2);
}

#[test]
fn figures_carry_alt_caption_and_credit() {
    let text = entry(&render(&hard()), "OEBPS/text.xhtml");
    let doc = parse(&text);
    let figures = elements(&doc, XHTML, "figure");
    assert_eq!(figures.len(), 2);
    let photo = figures[0];
    let img = photo
        .children()
        .find(|n| n.has_tag_name((XHTML, "img")))
        .expect("img");
    assert_eq!(
        img.attribute("alt"),
        Some("A gradient standing in for a photo")
    );
    let cap = photo
        .children()
        .find(|n| n.has_tag_name((XHTML, "figcaption")))
        .expect("figcaption");
    let span = |c: &str| {
        cap.children()
            .find(|n| n.attribute("class") == Some(c))
            .map(text_of)
    };
    assert_eq!(
        span("caption").as_deref(),
        Some("A caption with “quotes” & <angle> brackets.")
    );
    assert_eq!(span("credit").as_deref(), Some("© Photographer/Agency"));
    assert!(
        figures[1]
            .descendants()
            .any(|n| n.has_tag_name((XHTML, "img")))
    );
    assert_eq!(text_of(figures[1]).trim(), "Second figure caption");

    // No alt: the caption stands in, so no informative image has an empty alt.
    let text = entry(&render(&colombia()), "OEBPS/text.xhtml");
    let doc = parse(&text);
    let img = elements(&doc, XHTML, "img")[0];
    assert!(
        img.attribute("alt")
            .unwrap_or("")
            .starts_with("Colombian President Gustavo Petro")
    );

    // A figure without an image keeps its caption.
    let mut a = minimal();
    a.blocks.push(Block::Figure {
        figure: Figure {
            src: Some("missing.png".into()),
            alt: String::new(),
            caption: "A chart we could not ship".into(),
            credit: Some("© Someone".into()),
            image: None,
        },
    });
    let text = entry(&render(&a), "OEBPS/text.xhtml");
    let doc = parse(&text);
    let fig = elements(&doc, XHTML, "figure")[0];
    assert!(!fig.descendants().any(|n| n.has_tag_name((XHTML, "img"))));
    assert_eq!(text_of(fig).trim(), "A chart we could not ship © Someone");
}

#[test]
fn hostile_text_survives_escaping_and_forbidden_characters_warn() {
    let mut a = minimal();
    a.meta.title = "<script>alert(1)</script> & ]]> \u{1}end".into();
    a.meta.keywords = vec!["<b>".into()];
    a.meta.summary = Some("]]> & <".into());
    a.blocks = vec![
        para("<![CDATA[ x ]]> & <b>bold?</b>"),
        Block::Heading {
            level: 1,
            content: vec![briefpress::article::text("<h1>&amp;</h1>")],
        },
    ];
    let r = epub::render(&a, &Theme::default()).expect("renders");
    assert!(
        r.warnings.iter().any(|w| w.message.contains("XML 1.0")),
        "{:?}",
        r.warnings
    );
    let book = r.bytes;
    for name in [
        "OEBPS/content.opf",
        "OEBPS/nav.xhtml",
        "OEBPS/toc.ncx",
        "OEBPS/text.xhtml",
    ] {
        let t = entry(&book, name);
        let doc = parse(&t);
        let all = text_of(doc.root_element());
        assert!(
            all.contains("<script>alert(1)</script> & ]]> end"),
            "{name}: {all}"
        );
        assert!(
            !doc.descendants()
                .any(|n| n.has_tag_name("script") || n.has_tag_name((XHTML, "script")))
        );
    }
    let t = entry(&book, "OEBPS/text.xhtml");
    let all = text_of(parse(&t).root_element());
    assert!(all.contains("<![CDATA[ x ]]> & <b>bold?</b>"));
    assert!(all.contains("<h1>&amp;</h1>"));
}

#[test]
fn same_article_same_bytes_and_a_clean_zip() {
    let first = render(&hard());
    let second = render(&hard());
    assert!(first == second, "two renders in one process differ");
    // mimetype: first, stored, no extra field, at offset 0.
    assert_eq!(&first[..4], b"PK\x03\x04");
    assert_eq!(&first[30..38], b"mimetype");
    assert_eq!(u16::from_le_bytes([first[8], first[9]]), 0, "stored");
    assert_eq!(
        u16::from_le_bytes([first[28], first[29]]),
        0,
        "no extra field"
    );
    let mut z = zip::ZipArchive::new(Cursor::new(&first)).expect("zip");
    for i in 0..z.len() {
        let f = z.by_index(i).expect("entry");
        let t = f.last_modified().expect("a date");
        assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1), "{}", f.name());
    }
    // Every file of the package is in the manifest, and nothing remote is referenced.
    let opf_text = entry(&first, "OEBPS/content.opf");
    let opf = parse(&opf_text);
    let hrefs: Vec<String> = elements(&opf, OPF, "item")
        .iter()
        .map(|i| format!("OEBPS/{}", i.attribute("href").unwrap_or("")))
        .collect();
    for name in names(&first) {
        if name.starts_with("OEBPS/") && name != "OEBPS/content.opf" {
            assert!(hrefs.contains(&name), "{name} not in the manifest");
        }
    }
    let text = entry(&first, "OEBPS/text.xhtml");
    assert!(!text.contains("<script") && !text.contains("src=\"http"));
}

#[test]
fn photos_above_four_megapixels_are_scaled_down_and_say_so() {
    let mut article = minimal();
    article.photo = Some(Figure {
        src: Some("big.jpg".into()),
        alt: "A big photo".into(),
        caption: "Big".into(),
        credit: None,
        image: Some(crate::sample::jpeg(2600, 1600)),
    });
    let r = epub::render(&article, &Theme::default()).expect("renders");
    assert!(
        r.warnings.iter().any(|w| w.message.contains("scaled down")),
        "{:?}",
        r.warnings
    );
    let mut z = zip::ZipArchive::new(Cursor::new(&r.bytes)).expect("zip");
    let mut data = Vec::new();
    z.by_name("OEBPS/images/photo.jpg")
        .expect("photo")
        .read_to_end(&mut data)
        .expect("read");
    let stored = image::load_from_memory(&data).expect("a JPEG");
    let (w, h) = (stored.width(), stored.height());
    assert!(u64::from(w) * u64::from(h) <= 4_000_000, "{w}×{h}");
    assert_eq!(w * 1600 / 2600, h, "aspect kept");
}

#[test]
fn images_are_sized_by_the_stylesheet_not_fixed_pixels() {
    // Fixed `width`/`height` made MuPDF-based readers overflow the page and clip the photo.
    let book = render(&colombia());
    for name in ["OEBPS/text.xhtml", "OEBPS/cover.xhtml"] {
        let text = entry(&book, name);
        let doc = parse(&text);
        for img in elements(&doc, XHTML, "img") {
            assert!(
                img.attribute("width").is_none() && img.attribute("height").is_none(),
                "{name}: {:?}",
                img.attributes().collect::<Vec<_>>()
            );
        }
    }
    let css = entry(&book, "OEBPS/stylesheet.css");
    assert!(css.contains("figure img { max-width: 100%; height: auto; }"));
}

#[test]
fn mupdf_draws_the_caption_under_the_photo_at_the_page_width() {
    if !tools::require("mutool") {
        return;
    }
    let article = colombia();
    let dir = tools::scratch();
    let path = dir.path().join("book.epub");
    std::fs::write(&path, render(&article)).expect("write");
    // Page 1 is the cover; page 2 opens the chapter.
    let (ok, out, err) = tools::run(
        Command::new("mutool")
            .args(["draw", "-F", "stext", "-o", "-"])
            .arg(&path)
            .arg("2"),
    );
    assert!(ok, "{err}");
    let doc = Document::parse(&out).expect("stext XML");
    let page = doc
        .descendants()
        .find(|n| n.has_tag_name("page"))
        .expect("a page");
    let page_w: f32 = page.attribute("width").unwrap().parse().unwrap();
    // Each line's box and text, top to bottom.
    let lines: Vec<([f32; 4], String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("line"))
        .map(|l| {
            let b: Vec<f32> = l
                .attribute("bbox")
                .unwrap()
                .split(' ')
                .map(|v| v.parse().unwrap())
                .collect();
            let text = l
                .descendants()
                .filter_map(|c| c.attribute("c"))
                .collect::<String>();
            ([b[0], b[1], b[2], b[3]], text)
        })
        .collect();
    let caption = article.photo.as_ref().unwrap().caption.clone();
    let first_words: String = caption.split(' ').take(3).collect::<Vec<_>>().join(" ");
    let at = lines
        .iter()
        .position(|(_, t)| t.starts_with(&first_words))
        .unwrap_or_else(|| panic!("no caption line in {lines:?}"));
    assert!(at > 0, "the caption opens the page: {lines:?}");
    // Between the line above (the title block) and the caption stands the photo, at the text
    // width with its aspect ratio: the caption is under it, not above it.
    let img = article.photo.as_ref().unwrap().image.as_ref().unwrap();
    let gap = lines[at].0[1] - lines[at - 1].0[3];
    let text_w = lines.iter().map(|(b, _)| b[2]).fold(0.0, f32::max) - lines[at].0[0];
    let want = text_w * img.height as f32 / img.width as f32;
    assert!(
        gap > want * 0.8,
        "{gap} pt between the title block and the caption; the photo needs about {want}"
    );
    for (b, t) in &lines {
        assert!(b[2] <= page_w + 0.5, "“{t}” runs off the page");
    }
}

/// The JSON table fixture: two header rows, right-aligned figures, a link, a note and emphasis
/// in cells, a caption and a source.
fn table_fixture() -> Article {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tables/reader-cms.json");
    let bytes = std::fs::read(&path).expect("fixture");
    briefpress::read::read(
        briefpress::read::SourceFormat::Json,
        &bytes,
        "reader-cms",
        &briefpress::read::MemoryAssets::default(),
    )
    .expect("reads")
    .article
}

#[test]
fn a_table_is_a_captioned_table_with_column_headers_and_passes_both_epubchecks() {
    let book = render(&table_fixture());
    let chapter = entry(&book, "OEBPS/text.xhtml");
    let doc = parse(&chapter);
    let tables = elements(&doc, XHTML, "table");
    assert_eq!(tables.len(), 1);
    let table = tables[0];
    let kids: Vec<&str> = table
        .children()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(kids, ["caption", "thead", "tbody"]);
    let caption = table
        .children()
        .find(|n| n.has_tag_name((XHTML, "caption")))
        .unwrap();
    assert_eq!(text_of(caption), "Table 1. Headline indicators, 2024–2026");
    let ths: Vec<Node> = table
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "th")))
        .collect();
    assert_eq!(ths.len(), 8, "two header rows of four");
    assert!(ths.iter().all(|th| th.attribute("scope") == Some("col")));
    let rows: Vec<Vec<String>> = table
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "tr")))
        .map(|tr| {
            tr.children()
                .filter(|n| n.is_element())
                .map(|c| text_of(c).trim().to_owned())
                .collect()
        })
        .collect();
    assert_eq!(rows[2], ["Inflation (CPI, %)", "4.1", "2.9", "2.3"]);
    assert_eq!(rows[4], ["Deficit (% of GDP)", "−3.4", "−3.1", "−2.6"]);
    let right: Vec<&str> = table
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "td")))
        .filter_map(|n| n.attribute("class"))
        .collect();
    assert_eq!(right.iter().filter(|c| **c == "right").count(), 9);
    assert!(
        table
            .descendants()
            .any(|n| n.attribute("role") == Some("doc-noteref")),
        "the note called from a header cell is a note reference"
    );
    let source = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("table-source"))
        .expect("a source line");
    assert_eq!(
        text_of(source),
        "Source: National Statistics Office; Treasury forecasts"
    );

    let jars = tools::epubcheck_jars();
    if jars.is_empty() || !tools::require("java") {
        return;
    }
    let dir = tools::scratch();
    let file = dir.path().join("table.epub");
    std::fs::write(&file, &book).unwrap();
    let problems = epubcheck_problems(&jars, &file, dir.path());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
