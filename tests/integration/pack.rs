//! Briefing packs (`briefpress pack`): the sample brief and the two briefs in
//! tests/fixtures/pack bound into one PDF, EPUB and DOCX, judged as a reader would: the
//! contents' page numbers against where each title really lands, the outline's nesting, every
//! word of every brief in order, each brief's pages against the same brief built alone, both
//! epubchecks, the DOCX's heading structure; and a failing brief that leaves nothing behind.

use crate::cli::{briefpress, project};
use crate::tools::{epubcheck_jars, in_order, require, run, scratch};
use briefpress::article::{Article, Block, Figure, plain_text};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The briefs of the test pack, in order, relative to the project folder.
const BRIEFS: [&str; 3] = [
    "source/us-colombia-ties-edited.md",
    "tests/fixtures/pack/trade-corridors.md",
    "tests/fixtures/pack/port-security.txt",
];
const TITLE: &str = "Andean and Central American briefing";

/// Builds the test pack in `formats` into `dir` as `pack.*`.
fn build(dir: &Path, formats: &str) -> PathBuf {
    let out = dir.join("pack.pdf");
    let mut args = vec!["pack"];
    args.extend(BRIEFS);
    args.extend([
        "-o",
        out.to_str().unwrap(),
        "-f",
        formats,
        "--title",
        TITLE,
        "--subtitle",
        "Papers for the minister’s visit",
        "--date",
        "2026-03-20",
    ]);
    let o = briefpress(&project(), &args);
    assert!(o.status.success(), "pack failed: {}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("1 pack of 3 briefs bound"),
        "{}",
        text(&o.stdout)
    );
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn stderr(o: &Output) -> String {
    text(&o.stderr)
}

/// The article a source reads as (`inspect --json` prints the model).
fn article(rel: &str) -> Article {
    let o = briefpress(&project(), &["inspect", "--json", rel]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("the model reads back")
}

fn articles() -> Vec<Article> {
    BRIEFS.iter().map(|b| article(b)).collect()
}

/// Whitespace collapsed, as a reader compares text.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A brief's words in reading order as every format shows them: title, dek, then the body
/// (headings, paragraphs, lists, quotes, figure captions and credits). Footnotes sit where each
/// format puts them, so they are left out (extra words are allowed).
fn expected(a: &Article) -> String {
    fn figure(f: &Figure, out: &mut Vec<String>) {
        out.push(f.caption.clone());
        out.extend(f.credit.clone());
    }
    fn blocks(list: &[Block], out: &mut Vec<String>) {
        for b in list {
            match b {
                Block::Heading { content, .. } | Block::Paragraph { content } => {
                    out.push(plain_text(content))
                }
                Block::Quote { blocks: inner } => blocks(inner, out),
                Block::List { items, .. } => items.iter().for_each(|i| blocks(i, out)),
                Block::Figure { figure: f } => figure(f, out),
                Block::Table { table } => {
                    table.cells().for_each(|c| out.push(plain_text(&c.content)))
                }
                Block::Rule => {}
            }
        }
    }
    let mut out = vec![a.meta.title.clone()];
    out.extend(a.meta.subtitle.clone());
    blocks(&a.blocks, &mut out);
    out.join("\n\n")
}

/// The body headings of a brief in order: (level, text).
fn headings(a: &Article) -> Vec<(u8, String)> {
    a.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, content } => Some((*level, plain_text(content))),
            _ => None,
        })
        .collect()
}

fn pdftotext(pdf: &Path, pages: Option<(usize, usize)>, layout: bool) -> String {
    let mut cmd = Command::new("pdftotext");
    if let Some((f, l)) = pages {
        cmd.args(["-f", &f.to_string(), "-l", &l.to_string()]);
    }
    if layout {
        cmd.arg("-layout");
    }
    let (ok, out, err) = run(cmd.args(["-enc", "UTF-8"]).arg(pdf).arg("-"));
    assert!(ok, "pdftotext: {err}");
    out
}

fn page_count(pdf: &Path) -> usize {
    let (ok, out, err) = run(Command::new("pdfinfo").arg(pdf));
    assert!(ok, "{err}");
    out.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count")
}

/// The page number the contents (page 2) gives after `title`'s dot leaders.
fn contents_number(contents: &str, title: &str) -> usize {
    let contents = flat(contents);
    let at = contents
        .find(&flat(title))
        .unwrap_or_else(|| panic!("the contents lacks “{title}”:\n{contents}"));
    let rest = contents[at + flat(title).len()..].trim_start_matches([' ', '.']);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no page number after “{title}”: {rest:.40}"))
}

/// The running header of a brief's later pages: its title, cut at a word to 70 characters.
fn short_title(title: &str) -> String {
    if title.chars().count() <= 70 {
        return title.to_owned();
    }
    let mut out = String::new();
    for word in title.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > 69 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[test]
fn pdf_contents_numbers_are_where_each_brief_lands_and_pages_match_the_brief_alone() {
    if !(require("pdftotext") && require("pdfinfo")) {
        return;
    }
    let dir = scratch();
    let pdf = build(dir.path(), "pdf");
    let briefs = articles();
    let total = page_count(&pdf);

    let cover = flat(&pdftotext(&pdf, Some((1, 1)), false));
    for needle in [
        TITLE,
        "Papers for the minister’s visit",
        "March 20, 2026",
        "briefpress",
    ] {
        assert!(
            cover.contains(needle),
            "the cover lacks {needle:?}: {cover}"
        );
    }
    let contents = pdftotext(&pdf, Some((2, 2)), true);
    assert!(contents.trim_start().starts_with("Contents"), "{contents}");
    let starts: Vec<usize> = briefs
        .iter()
        .map(|a| contents_number(&contents, &a.meta.title))
        .collect();
    assert_eq!(starts[0], 3, "cover and one contents page come first");
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    for a in &briefs {
        if let Some(first) = a.meta.authors.first() {
            assert!(
                flat(&contents).contains(&first.name),
                "contents lacks {}",
                first.name
            );
        }
    }

    let alone = scratch();
    for (i, (a, rel)) in briefs.iter().zip(BRIEFS).enumerate() {
        let start = starts[i];
        let end = starts.get(i + 1).map_or(total, |n| n - 1);
        // The title really lands on the page the contents gives, under the masthead.
        let first = flat(&pdftotext(&pdf, Some((start, start)), false));
        let title = flat(&a.meta.title);
        let at = first.find(&title);
        assert!(
            at.is_some_and(|k| k < 80),
            "page {start} does not open with “{title}”: {first:.200}"
        );
        // The contents (page 2) lists every title; a brief's title first appears on its page.
        if i > 0 {
            let before = flat(&pdftotext(&pdf, Some((start - 1, start - 1)), false));
            assert!(
                !before.contains(&title),
                "“{title}” already on page {}",
                start - 1
            );
        }

        // Each page is the brief's own page, built alone, but for the folio (which runs
        // through the pack) — same pagination, same first-page layout, same header.
        let o = briefpress(
            &project(),
            &[
                "build",
                rel,
                "-f",
                "pdf",
                "-o",
                alone.path().to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let stem = Path::new(rel).file_stem().unwrap().to_str().unwrap();
        let single = alone.path().join(format!("{stem}.pdf"));
        assert_eq!(
            end + 1 - start,
            page_count(&single),
            "“{title}” has as many pages in the pack as alone"
        );
        let header = short_title(a.meta.title.trim());
        for (k, page) in (start..=end).enumerate() {
            let packed = pdftotext(&pdf, Some((page, page)), true);
            let own = pdftotext(&single, Some((k + 1, k + 1)), true);
            let lines = |s: &str, folio: usize| -> Vec<String> {
                s.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && *l != folio.to_string())
                    .map(str::to_owned)
                    .collect()
            };
            assert_eq!(
                lines(&packed, page),
                lines(&own, k + 1),
                "page {page} of the pack differs from page {} of “{title}” alone",
                k + 1
            );
            let has_folio = packed.lines().any(|l| l.trim() == page.to_string());
            if k == 0 {
                assert!(
                    !has_folio,
                    "a brief's first page carries no folio (page {page})"
                );
            } else {
                assert!(has_folio, "page {page} lacks its folio {page}:\n{packed}");
                let top = packed
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .unwrap_or("");
                assert!(
                    top.starts_with(&header) || header.starts_with(top.trim_end_matches('…')),
                    "page {page}'s running header is “{top}”, not “{header}”"
                );
            }
        }
    }
}

#[test]
fn pdf_outline_links_fonts_and_every_word_in_order() {
    if !(require("pdftotext") && require("pdfinfo") && require("qpdf") && require("pdffonts")) {
        return;
    }
    let dir = scratch();
    let pdf = build(dir.path(), "pdf");
    let briefs = articles();
    let contents = pdftotext(&pdf, Some((2, 2)), true);
    let starts: Vec<usize> = briefs
        .iter()
        .map(|a| contents_number(&contents, &a.meta.title))
        .collect();
    let total = page_count(&pdf);

    // Every word of every brief, in order, on the brief's own pages.
    for (i, a) in briefs.iter().enumerate() {
        let end = starts.get(i + 1).map_or(total, |n| n - 1);
        let got = pdftotext(&pdf, Some((starts[i], end)), false);
        in_order(&expected(a), &got).unwrap_or_else(|e| panic!("brief {}: {e}", i + 1));
    }

    // The outline: Contents, then each brief's title with its headings nested under it.
    let (ok, json, err) = run(Command::new("qpdf")
        .args(["--json", "--json-key=outlines"])
        .arg(&pdf));
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let top = json["outlines"].as_array().expect("an outline");
    let titles: Vec<&str> = top.iter().map(|o| o["title"].as_str().unwrap()).collect();
    let mut want = vec!["Contents"];
    want.extend(briefs.iter().map(|a| a.meta.title.as_str()));
    assert_eq!(titles, want);
    assert_eq!(top[0]["destpageposfrom1"], 2);
    fn walk(node: &serde_json::Value, depth: usize, out: &mut Vec<(usize, String)>) {
        for kid in node["kids"].as_array().into_iter().flatten() {
            out.push((depth, kid["title"].as_str().unwrap_or("").to_owned()));
            walk(kid, depth + 1, out);
        }
    }
    for (i, a) in briefs.iter().enumerate() {
        let entry = &top[i + 1];
        assert_eq!(entry["destpageposfrom1"], starts[i], "{}", a.meta.title);
        let mut got = Vec::new();
        walk(entry, 1, &mut got);
        // Nested as the headings nest: each under the nearest shallower one before it.
        let mut want = Vec::new();
        let mut stack: Vec<u8> = Vec::new();
        for (level, text) in headings(a) {
            while stack.last().is_some_and(|l| *l >= level) {
                stack.pop();
            }
            stack.push(level);
            want.push((stack.len(), text));
        }
        assert_eq!(got, want, "the outline under “{}”", a.meta.title);
    }
    let deepest = briefs.iter().flat_map(headings).map(|(l, _)| l).max();
    assert_eq!(deepest, Some(3), "the fixtures nest headings three deep");

    // Each contents entry links to its brief's first page.
    let doc = lopdf::Document::load(&pdf).expect("lopdf reads the pack");
    let pages = doc.get_pages();
    let number_of = |id: lopdf::ObjectId| pages.iter().find(|(_, p)| **p == id).map(|(n, _)| *n);
    let contents_page = doc.get_dictionary(pages[&2]).unwrap();
    let annots = contents_page
        .get(b"Annots")
        .and_then(|a| match a {
            lopdf::Object::Reference(r) => doc.get_object(*r).and_then(|o| o.as_array()),
            other => other.as_array(),
        })
        .expect("the contents page has links");
    let mut targets = BTreeSet::new();
    for a in annots {
        let annot = match a {
            lopdf::Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
            lopdf::Object::Dictionary(d) => d,
            _ => continue,
        };
        let dest = annot
            .get(b"Dest")
            .or_else(|_| {
                annot
                    .get(b"A")
                    .and_then(|x| match x {
                        lopdf::Object::Reference(r) => doc.get_dictionary(*r),
                        lopdf::Object::Dictionary(d) => Ok(d),
                        _ => Err(lopdf::Error::DictKey("A".into())),
                    })
                    .and_then(|d| d.get(b"D"))
            })
            .and_then(lopdf::Object::as_array)
            .expect("a link with a destination");
        let page = dest[0].as_reference().ok().and_then(number_of);
        targets.insert(page.expect("the destination is a page") as usize);
    }
    assert_eq!(targets, starts.iter().copied().collect::<BTreeSet<_>>());

    // The fonts are subset once for the whole pack.
    let (_, fonts, _) = run(Command::new("pdffonts").arg(&pdf));
    let names: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let distinct: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(
        names.len(),
        distinct.len(),
        "a font embedded twice: {fonts}"
    );
}

/// XHTML parsed (the documents declare `<!DOCTYPE html>`).
fn xml(text: &str) -> roxmltree::Document<'_> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, opts).expect("well-formed XML")
}

/// A zip entry's text.
fn entry(zip: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    let mut s = String::new();
    z.by_name(name)
        .unwrap_or_else(|_| panic!("{name} is in the package"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn epub_has_one_document_per_brief_a_nested_nav_and_passes_both_epubchecks() {
    let jars = epubcheck_jars();
    if jars.is_empty() || !require("java") || !require("pandoc") {
        return;
    }
    let dir = scratch();
    let epub = build(dir.path(), "epub").with_extension("epub");
    for jar in &jars {
        let (ok, out, err) = run(Command::new("java").arg("-jar").arg(jar).arg(&epub));
        assert!(
            ok && format!("{out}{err}").contains("No errors or warnings detected"),
            "{}: {out}{err}",
            jar.display()
        );
    }
    let bytes = std::fs::read(&epub).unwrap();
    let briefs = articles();

    // The nav: the title page, then each brief with its headings nested under it.
    let nav = entry(&bytes, "OEBPS/nav.xhtml");
    let nav = xml(&nav);
    let toc = nav
        .descendants()
        .find(|n| n.has_tag_name("nav") && n.attribute("id") == Some("toc"))
        .expect("a toc nav");
    let list = toc.children().find(|n| n.has_tag_name("ol")).unwrap();
    // The generated cover page comes first; then the title page and the briefs.
    let items: Vec<_> = list.children().filter(|n| n.has_tag_name("li")).collect();
    assert_eq!(items.len(), 2 + briefs.len());
    let cover = items[0].children().find(|n| n.has_tag_name("a")).unwrap();
    assert_eq!(cover.attribute("href"), Some("cover.xhtml"));
    let items = &items[1..];
    let link = |li: roxmltree::Node| -> (String, String) {
        let a = li.children().find(|n| n.has_tag_name("a")).unwrap();
        let text: String = a
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        (a.attribute("href").unwrap().to_owned(), text)
    };
    assert_eq!(link(items[0]), ("title.xhtml".into(), TITLE.into()));
    for (i, (li, a)) in items[1..].iter().zip(&briefs).enumerate() {
        let href = format!("brief-{:02}.xhtml", i + 1);
        assert_eq!(link(*li), (href.clone(), a.meta.title.clone()));
        let nested: Vec<String> = li
            .descendants()
            .filter(|n| n.has_tag_name("a"))
            .skip(1)
            .map(|n| {
                n.descendants()
                    .filter(|t| t.is_text())
                    .filter_map(|t| t.text())
                    .collect()
            })
            .collect();
        let want: Vec<String> = headings(a).into_iter().map(|(_, t)| t).collect();
        assert_eq!(nested, want, "headings under “{}”", a.meta.title);
        // Ids are unique inside each document, which is all XHTML asks.
        let doc_text = entry(&bytes, &format!("OEBPS/{href}"));
        let doc = xml(&doc_text);
        let ids: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("id"))
            .collect();
        let distinct: BTreeSet<&&str> = ids.iter().collect();
        assert_eq!(ids.len(), distinct.len(), "{href} repeats an id");
        assert_eq!(
            doc.root_element().attribute("lang"),
            Some(a.meta.language.as_str())
        );
    }

    // Every distinct author of every brief, once.
    let opf = entry(&bytes, "OEBPS/content.opf");
    let opf = roxmltree::Document::parse(&opf).unwrap();
    let creators: Vec<&str> = opf
        .descendants()
        .filter(|n| n.has_tag_name(("http://purl.org/dc/elements/1.1/", "creator")))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        creators,
        [
            "Placeholder Author",
            "Lucía Hernández Solís",
            "Daniel K. Mensah"
        ]
    );
    let title: Vec<&str> = opf
        .descendants()
        .filter(|n| n.has_tag_name(("http://purl.org/dc/elements/1.1/", "title")))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(title, [TITLE]);

    // Every word of every brief, in pack order.
    let (ok, got, err) = run(Command::new("pandoc")
        .args(["-f", "epub", "-t", "plain", "--wrap=none"])
        .arg(&epub));
    assert!(ok, "{err}");
    let all: Vec<String> = briefs.iter().map(expected).collect();
    in_order(&all.join("\n\n"), &got).unwrap_or_else(|e| panic!("epub via pandoc: {e}"));
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

#[test]
fn docx_has_one_outline_pack_brief_section_and_unique_ids() {
    if !require("pandoc") {
        return;
    }
    let dir = scratch();
    let path = build(dir.path(), "docx").with_extension("docx");
    let bytes = std::fs::read(&path).unwrap();
    let briefs = articles();
    let xml = entry(&bytes, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).expect("document.xml is XML");
    let wattr = |n: roxmltree::Node, a: &str| n.attribute((W, a)).map(str::to_owned);
    let style_of = |p: roxmltree::Node| -> Option<String> {
        p.descendants()
            .find(|n| n.has_tag_name((W, "pStyle")))
            .and_then(|s| wattr(s, "val"))
    };
    let text_of = |p: roxmltree::Node| -> String {
        p.descendants()
            .filter(|n| n.has_tag_name((W, "t")))
            .filter_map(|n| n.text())
            .collect()
    };
    let paragraphs: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .collect();

    // One title (the pack's); each brief's title a Heading 1 on a new page; its headings one
    // level down.
    let titles: Vec<String> = paragraphs
        .iter()
        .filter(|p| style_of(**p).as_deref() == Some("Title"))
        .map(|p| text_of(*p))
        .collect();
    assert_eq!(titles, [TITLE]);
    let got: Vec<(String, String)> = paragraphs
        .iter()
        .filter_map(|p| {
            let s = style_of(*p)?;
            s.starts_with("Heading").then(|| (s, text_of(*p)))
        })
        .collect();
    let mut want = Vec::new();
    for a in &briefs {
        want.push(("Heading1".to_owned(), a.meta.title.clone()));
        for (level, text) in headings(a) {
            want.push((format!("Heading{}", level + 1), text));
        }
    }
    assert_eq!(got, want);
    assert!(
        want.iter().any(|(s, _)| s == "Heading4"),
        "a level-3 heading becomes Heading 4"
    );
    // Each brief opens a new page with its first paragraph: its masthead, above its title.
    for (i, p) in paragraphs.iter().enumerate() {
        if style_of(*p).as_deref() != Some("Heading1") {
            continue;
        }
        let first = match i.checked_sub(1).map(|k| paragraphs[k]) {
            Some(m) if style_of(m).as_deref() == Some("Masthead") => m,
            _ => *p,
        };
        assert!(
            first
                .descendants()
                .any(|n| n.has_tag_name((W, "pageBreakBefore"))),
            "“{}” does not start a new page",
            text_of(*p)
        );
    }
    let styles = entry(&bytes, "word/styles.xml");
    assert!(
        styles.contains("w:styleId=\"Heading4\""),
        "Heading 4 is defined"
    );

    // The contents links to a bookmark on each brief's title; bookmarks are unique.
    let anchors: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "hyperlink")))
        .filter_map(|n| wattr(n, "anchor"))
        .collect();
    assert_eq!(anchors, ["_Brief1", "_Brief2", "_Brief3"]);
    let marks: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "bookmarkStart")))
        .map(|n| (wattr(n, "id").unwrap(), wattr(n, "name").unwrap()))
        .collect();
    let ids: BTreeSet<&String> = marks.iter().map(|(i, _)| i).collect();
    let names: BTreeSet<&String> = marks.iter().map(|(_, n)| n).collect();
    assert_eq!(ids.len(), marks.len(), "bookmark ids repeat: {marks:?}");
    assert_eq!(names.len(), marks.len(), "bookmark names repeat: {marks:?}");
    for a in &anchors {
        assert!(names.contains(a), "{a} names no bookmark");
    }

    // Footnotes: one per cited note of every brief, each id once; pictures: each id once.
    let notes = entry(&bytes, "word/footnotes.xml");
    let notes = roxmltree::Document::parse(&notes).unwrap();
    let note_ids: Vec<String> = notes
        .descendants()
        .filter(|n| n.has_tag_name((W, "footnote")) && wattr(*n, "type").is_none())
        .filter_map(|n| wattr(n, "id"))
        .collect();
    let distinct: BTreeSet<&String> = note_ids.iter().collect();
    assert_eq!(distinct.len(), note_ids.len(), "footnote ids repeat");
    let cited: usize = briefs.iter().map(|a| a.notes.len()).sum();
    assert_eq!(
        note_ids.len(),
        cited,
        "every note of every brief is a footnote"
    );
    let pics: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "docPr")
        .filter_map(|n| n.attribute("id"))
        .collect();
    let distinct: BTreeSet<&&str> = pics.iter().collect();
    assert_eq!(distinct.len(), pics.len(), "picture ids repeat");
    let figures: usize = briefs
        .iter()
        .map(|a| a.figures().iter().filter(|f| f.src.is_some()).count())
        .sum();
    assert!(
        pics.len() >= figures,
        "{} pictures for {figures} figures",
        pics.len()
    );

    // Every word of every brief, in pack order.
    let (ok, got, err) = run(Command::new("pandoc")
        .args(["-f", "docx", "-t", "plain", "--wrap=none"])
        .arg(&path));
    assert!(ok, "{err}");
    let all: Vec<String> = briefs.iter().map(expected).collect();
    in_order(&all.join("\n\n"), &got).unwrap_or_else(|e| panic!("docx via pandoc: {e}"));
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn a_failing_brief_fails_the_pack_names_it_and_writes_nothing() {
    let dir = scratch();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    let fixtures = project().join("tests/fixtures/pack");
    for f in [
        "trade-corridors.md",
        "corridor-chart.png",
        "port-security.txt",
    ] {
        std::fs::copy(fixtures.join(f), src.join(f)).unwrap();
    }
    std::fs::write(src.join("bad.md"), "---\ntitel: A typo\n---\n\nBody.\n").unwrap();
    let out = dir.path().join("out");
    let target = out.join("pack.pdf");
    let args = |bad: &str| -> Vec<String> {
        [
            "pack",
            "src/trade-corridors.md",
            bad,
            "src/port-security.txt",
            "-o",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .chain([target.to_str().unwrap().to_owned()])
        .collect()
    };
    let run_pack = |bad: &str| {
        let a = args(bad);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        briefpress(dir.path(), &a)
    };

    // A good pack first: a failing one must not replace it.
    let good = run_pack("src/port-security.txt");
    assert!(good.status.success(), "{}", stderr(&good));
    let before: Vec<(String, Vec<u8>)> = files(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap()))
        .collect();
    assert_eq!(before.len(), 3, "{before:?}");

    let o = run_pack("src/bad.md");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("src/bad.md:2:1:"),
        "the message names the brief and line: {err}"
    );
    assert!(err.contains("`titel`"), "{err}");
    assert!(err.contains("not written"), "{err}");
    assert!(
        !err.contains("trade-corridors"),
        "only the failing brief is named: {err}"
    );
    let after: Vec<(String, Vec<u8>)> = files(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap()))
        .collect();
    assert!(
        before == after,
        "the earlier pack was touched: {:?}",
        files(&out)
    );

    // A missing brief, into a fresh folder: nothing at all is written.
    let fresh = dir.path().join("fresh");
    let o = briefpress(
        dir.path(),
        &[
            "pack",
            "src/trade-corridors.md",
            "src/missing.md",
            "-o",
            fresh.join("p.pdf").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("src/missing.md"), "{}", stderr(&o));
    assert!(files(&fresh).is_empty(), "{:?}", files(&fresh));
}

#[test]
fn a_manifest_binds_its_briefs_with_a_cover_and_check_reads_every_one() {
    if !(require("pdftotext") && require("pdfimages") && require("pdfinfo")) {
        return;
    }
    let fixtures = project().join("tests/fixtures/pack");
    let before = files(&fixtures);
    let o = briefpress(&fixtures, &["check", "pack.toml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = text(&o.stdout);
    assert!(
        said.contains("pack.toml: ok — pack “Ports and corridors”, 2 briefs, cover picture"),
        "{said}"
    );
    assert!(said.contains("trade-corridors.md: ok"), "{said}");
    assert!(said.contains("port-security.txt: ok"), "{said}");
    assert_eq!(files(&fixtures), before, "check writes nothing");

    let dir = scratch();
    let out = dir.path().join("ports.pdf");
    let o = briefpress(
        &fixtures,
        &["pack", "pack.toml", "-o", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files(dir.path()), ["ports.docx", "ports.epub", "ports.pdf"]);
    let (_, info, _) = run(Command::new("pdfinfo").arg(&out));
    assert!(info.contains("Ports and corridors"), "{info}");
    let cover = flat(&pdftotext(&out, Some((1, 1)), false));
    for needle in [
        "The Example Council",
        "Ports and corridors",
        "Two briefs on moving goods through the region",
        "March 20, 2026",
    ] {
        assert!(
            cover.contains(needle),
            "the cover lacks {needle:?}: {cover}"
        );
    }
    let (_, images, _) = run(Command::new("pdfimages")
        .args(["-list", "-f", "1", "-l", "1"])
        .arg(&out));
    assert_eq!(
        images.lines().skip(2).count(),
        1,
        "the cover picture: {images}"
    );
    // A brief with authors lists them under its title; the wire brief has none, so its
    // title is followed by its number alone.
    let contents = pdftotext(&out, Some((2, 2)), true);
    assert!(
        flat(&contents).contains("Lucía Hernández Solís and Daniel K. Mensah"),
        "{contents}"
    );
    let wire = article("tests/fixtures/pack/port-security.txt");
    assert!(wire.meta.authors.is_empty());
    let n = contents_number(&contents, &wire.meta.title);
    assert_eq!(
        flat(&contents)
            .split(&flat(&wire.meta.title))
            .nth(1)
            .map(|r| r.trim_start_matches([' ', '.']).trim()),
        Some(n.to_string().as_str())
    );
    assert!(files(&fixtures) == before, "pack writes only where -o says");
}

#[test]
fn manifest_mistakes_are_located_and_stop_the_pack() {
    let dir = scratch();
    let fixtures = project().join("tests/fixtures/pack");
    for f in ["trade-corridors.md", "corridor-chart.png"] {
        std::fs::copy(fixtures.join(f), dir.path().join(f)).unwrap();
    }
    let cases = [
        (
            "title = \"T\"\nsubtilte = \"S\"\nsources = [\"trade-corridors.md\"]\n",
            "pack.toml:2:1:",
            "did you mean `subtitle`",
        ),
        (
            "sources = [\"trade-corridors.md\", \"../../elsewhere.md\"]\n",
            "pack.toml:1:34:",
            "more than one folder above",
        ),
        (
            "date = \"March 2026\"\nsources = [\"trade-corridors.md\"]\n",
            "pack.toml:1:8:",
            "YYYY-MM-DD",
        ),
        (
            "cover = \"corridor-chart.png.missing\"\nsources = [\"trade-corridors.md\"]\n",
            "pack.toml:1:9:",
            "cannot read the cover",
        ),
    ];
    for (manifest, at, says) in cases {
        std::fs::write(dir.path().join("pack.toml"), manifest).unwrap();
        let pack = ["pack", "pack.toml", "-o", "out/p.pdf"];
        let check = ["check", "pack.toml"];
        for (cmd, args) in [("pack", &pack[..]), ("check", &check[..])] {
            let o = briefpress(dir.path(), args);
            assert_eq!(o.status.code(), Some(1), "{cmd}: {manifest}");
            let err = stderr(&o);
            assert!(
                err.contains(at) && err.contains(says),
                "{cmd}: {manifest} -> {err}"
            );
        }
        assert!(
            !dir.path().join("out").exists(),
            "nothing written for {manifest}"
        );
    }
    // A manifest beside other sources is a usage error.
    std::fs::write(
        dir.path().join("pack.toml"),
        "sources = [\"trade-corridors.md\"]\n",
    )
    .unwrap();
    let o = briefpress(dir.path(), &["pack", "pack.toml", "trade-corridors.md"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn packs_are_byte_identical_across_builds_and_thread_counts() {
    let (a, b) = (scratch(), scratch());
    build(a.path(), "pdf,docx,epub");
    let mut args = vec!["pack".to_owned()];
    args.extend(BRIEFS.iter().map(|s| (*s).to_owned()));
    args.extend(
        [
            "-o",
            b.path().join("pack.pdf").to_str().unwrap(),
            "--title",
            TITLE,
            "--subtitle",
            "Papers for the minister’s visit",
            "--date",
            "2026-03-20",
        ]
        .map(str::to_owned),
    );
    let o = Command::new(env!("CARGO_BIN_EXE_briefpress"))
        .args(&args)
        .current_dir(project())
        .env("RAYON_NUM_THREADS", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    for ext in ["pdf", "docx", "epub"] {
        let name = format!("pack.{ext}");
        let x = std::fs::read(a.path().join(&name)).unwrap();
        let y = std::fs::read(b.path().join(&name)).unwrap();
        assert!(x == y, "{name} differs between builds");
    }
}
