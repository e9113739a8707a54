//! The three files say the same thing: for every source under `tests/fixtures` and `source/`,
//! and for the property tests' random articles, the words of each block — the front block
//! included — read back from the PDF (pdftotext), the DOCX (document.xml, footnotes.xml) and
//! the EPUB (the spine's XHTML in order) are the article's, in the same order, in all three.
//!
//! What is normalised away, because it is layout, not content:
//! - case, punctuation, symbols and every digit: list numbers and note numbers are drawn by
//!   Word (not in document.xml) and glue to words as superscripts in pdftotext; dates keep
//!   their month names;
//! - hyphens between letters and hyphenation at PDF line ends (`tools::words`);
//! - the PDF's running header (the title's first words, on pages after the first), folio, and the
//!   header rows of a table set again at the top of a page it continues on;
//! - where footnotes stand: each format's notes are read apart from the body (the PDF's from
//!   the foot of each page, where they follow the page's body text) and compared note by note
//!   (DOCX, EPUB) or in citation order (PDF, where a long note continues on the next page).
//!
//! A difference fails with the first differing block: its words in the article and in each
//! format.

use crate::tools::{require, run, scratch, words};
use briefpress::article::front::{Piece, front};
use briefpress::article::{Article, Block, Inline, Table};
use briefpress::read::{self, Assets, SourceFormat};
use briefpress::render::Format;
use briefpress::theme::Theme;
use proptest::prelude::*;
use roxmltree::{Document, Node, ParsingOptions};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Words as the comparison sees them (see the module comment).
fn norm(s: &str) -> Vec<String> {
    let s: String = s
        .chars()
        .filter(|c| !c.is_control() || c.is_whitespace())
        .map(|c| if c.is_ascii_digit() { ' ' } else { c })
        .collect();
    words(&s)
}

/// One block of what the article says, as the comparison walks it.
struct Expected {
    label: String,
    words: Vec<String>,
}

/// The text of inlines as the formats show it (note references are numbers, dropped).
fn inline_text(inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => inline_text(content, out),
            Inline::FootnoteRef { .. } => out.push(' '),
            Inline::LineBreak => out.push(' '),
        }
    }
}

fn push(out: &mut Vec<Expected>, label: impl Into<String>, text: &str) {
    let words = norm(text);
    if !words.is_empty() {
        out.push(Expected {
            label: label.into(),
            words,
        });
    }
}

fn blocks(a: &Article, list: &[Block], out: &mut Vec<Expected>) {
    for b in list {
        match b {
            Block::Heading { content, .. } => {
                let mut s = String::new();
                inline_text(content, &mut s);
                push(out, "heading", &s);
            }
            Block::Paragraph { content } => {
                let mut s = String::new();
                inline_text(content, &mut s);
                push(out, "paragraph", &s);
            }
            Block::Quote { blocks: inner } => blocks(a, inner, out),
            Block::List { items, .. } => items.iter().for_each(|i| blocks(a, i, out)),
            Block::Figure { figure } => {
                push(out, "figure caption", &figure.caption);
                push(out, "figure credit", figure.credit.as_deref().unwrap_or(""));
            }
            Block::Table { table } => {
                let words = a.table_words(table, &Default::default());
                push(out, "table caption", &words.heading());
                for row in table.rows() {
                    let mut s = String::new();
                    for cell in row {
                        inline_text(&cell.content, &mut s);
                        s.push(' ');
                    }
                    push(out, "table row", &s);
                }
                push(out, "table source", words.source.as_deref().unwrap_or(""));
            }
            Block::Rule => {}
        }
    }
}

/// What the article says outside its cited notes, block by block, in reading order: the front
/// block, the body, the notes no body paragraph cites under their heading, the rights line.
fn expected_body(a: &Article, theme: &Theme) -> Vec<Expected> {
    let mut out = Vec::new();
    for piece in front(a, a.publisher(&theme.publisher), &theme.labels) {
        match piece {
            Piece::Masthead { publisher } => push(&mut out, "masthead", &publisher),
            Piece::Title(t) => push(&mut out, "title", t),
            Piece::Subtitle(t) => push(&mut out, "subtitle", t),
            Piece::Byline(b) => push(&mut out, "byline", &b.text()),
            Piece::Photo(f) => {
                push(&mut out, "photo caption", &f.caption);
                push(&mut out, "photo credit", f.credit.as_deref().unwrap_or(""));
            }
            Piece::Summary(t) => push(&mut out, "summary", t),
        }
    }
    blocks(a, &a.blocks, &mut out);
    let cited = a.body_citations();
    let uncited: Vec<_> = a
        .notes
        .iter()
        .filter(|n| !cited.contains_key(&n.id))
        .collect();
    if !uncited.is_empty() {
        push(&mut out, "notes heading", &a.labels(&theme.labels).notes);
        for n in uncited {
            let from = out.len();
            blocks(a, &n.blocks, &mut out);
            for e in &mut out[from..] {
                e.label = format!("uncited note `{}`: {}", n.id, e.label);
            }
        }
    }
    push(&mut out, "rights", a.meta.rights.as_deref().unwrap_or(""));
    out
}

/// The words of a note's blocks.
fn note_words(a: &Article, blocks_: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    blocks(a, blocks_, &mut out);
    out.into_iter().flat_map(|e| e.words).collect()
}

/// The body notes cite, in the order of their first citation (where the PDF places them),
/// with their number and words.
fn cited_notes(a: &Article) -> Vec<(usize, Vec<String>)> {
    fn walk_inlines(list: &[Inline], out: &mut Vec<String>) {
        for i in list {
            match i {
                Inline::FootnoteRef { id } if !out.contains(id) => out.push(id.clone()),
                Inline::Emphasis { content }
                | Inline::Strong { content }
                | Inline::Link { content, .. } => walk_inlines(content, out),
                _ => {}
            }
        }
    }
    let mut ids = Vec::new();
    briefpress::article::walk::each_inline_run(&a.blocks, &mut |run| walk_inlines(run, &mut ids));
    ids.iter()
        .filter_map(|id| {
            let n = a.note_number(id)?;
            Some((n, note_words(a, &a.notes[n - 1].blocks)))
        })
        .collect()
}

/// A format read back: its body words and its notes' words by note number.
struct ReadBack {
    body: Vec<String>,
    notes: HashMap<usize, Vec<String>>,
}

fn zip_entry(bytes: &[u8], name: &str) -> Option<String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut s = String::new();
    z.by_name(name).ok()?.read_to_string(&mut s).ok()?;
    Some(s)
}

fn parse(xml: &str) -> Document<'_> {
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(xml, options).expect("well-formed XML")
}

/// Text of an element, a space after every paragraph-like element, break and Word footnote
/// reference (Word draws the note's number there; in the other formats the number separates
/// the words).
fn text_of(node: Node, skip: &dyn Fn(Node) -> bool, out: &mut String) {
    for child in node.children() {
        if child.is_text() {
            out.push_str(child.text().unwrap_or(""));
        } else if child.is_element() && !skip(child) {
            text_of(child, skip, out);
            if matches!(
                child.tag_name().name(),
                "p" | "br"
                    | "tab"
                    | "footnoteReference"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "li"
                    | "figcaption"
                    | "div"
                    | "caption"
                    | "th"
                    | "td"
            ) {
                out.push(' ');
            }
        }
    }
}

fn docx_read_back(bytes: &[u8]) -> ReadBack {
    let document = zip_entry(bytes, "word/document.xml").expect("document.xml");
    let doc = parse(&document);
    // `w:instrText` holds field codes (NOTEREF …), not text.
    let skip = |n: Node| n.tag_name().name() == "instrText";
    let mut text = String::new();
    let body = doc
        .descendants()
        .find(|n| n.tag_name().name() == "body")
        .expect("w:body");
    text_of(body, &skip, &mut text);
    let mut notes = HashMap::new();
    if let Some(xml) = zip_entry(bytes, "word/footnotes.xml") {
        let doc = parse(&xml);
        for f in doc
            .descendants()
            .filter(|n| n.tag_name().name() == "footnote")
        {
            let typed = f.attributes().any(|a| a.name() == "type");
            let id = f
                .attributes()
                .find(|a| a.name() == "id")
                .and_then(|a| a.value().parse::<usize>().ok());
            if let (false, Some(id)) = (typed, id) {
                let mut t = String::new();
                text_of(f, &skip, &mut t);
                notes.insert(id, norm(&t));
            }
        }
    }
    ReadBack {
        body: norm(&text),
        notes,
    }
}

fn epub_read_back(bytes: &[u8], cited: &[(usize, Vec<String>)]) -> ReadBack {
    let opf_text = zip_entry(bytes, "OEBPS/content.opf").expect("content.opf");
    let opf = parse(&opf_text);
    let items: HashMap<&str, (&str, bool)> = opf
        .descendants()
        .filter(|n| n.tag_name().name() == "item")
        .map(|n| {
            let nav = n.attribute("properties").is_some_and(|p| p.contains("nav"));
            (
                n.attribute("id").unwrap_or(""),
                (n.attribute("href").unwrap_or(""), nav),
            )
        })
        .collect();
    let is_cited_note = |n: Node| {
        n.tag_name().name() == "aside"
            && n.attribute("id")
                .and_then(|id| id.strip_prefix("fn"))
                .and_then(|k| k.parse::<usize>().ok())
                .is_some_and(|k| cited.iter().any(|(c, _)| *c == k))
    };
    let mut text = String::new();
    let mut notes = HashMap::new();
    for itemref in opf
        .descendants()
        .filter(|n| n.tag_name().name() == "itemref")
    {
        let Some((href, false)) = itemref.attribute("idref").and_then(|i| items.get(i)) else {
            continue;
        };
        let xhtml = zip_entry(bytes, &format!("OEBPS/{href}")).expect("spine document");
        let doc = parse(&xhtml);
        let Some(body) = doc.descendants().find(|n| n.tag_name().name() == "body") else {
            continue;
        };
        text_of(body, &is_cited_note, &mut text);
        for aside in body.descendants().filter(|n| is_cited_note(*n)) {
            let k: usize = aside.attribute("id").unwrap()[2..].parse().unwrap();
            let mut t = String::new();
            text_of(aside, &|_| false, &mut t);
            notes.insert(k, norm(&t));
        }
    }
    ReadBack {
        body: norm(&text),
        notes,
    }
}

/// The PDF read back with `pdftotext -raw` (content order): on each page the running header
/// first (pages after the first), then the body, then the page's notes. Each page is split
/// where its words stop continuing the expected body and start continuing the expected notes
/// (in citation order); a page that splits neither way keeps all its words as body, so the
/// block comparison shows where it goes wrong.
fn pdf_read_back(
    path: &Path,
    title: &str,
    body: &[String],
    cited: &[(usize, Vec<String>)],
    tables: &[&Table],
) -> ReadBack {
    let (ok, out, err) = run(Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(path)
        .arg("-"));
    assert!(ok, "pdftotext failed: {err}");
    let notes_all: Vec<String> = cited.iter().flat_map(|(_, w)| w.clone()).collect();
    let title = norm(title);
    let heads: Vec<Vec<String>> = tables
        .iter()
        .map(|t| {
            let mut s = String::new();
            for cell in t.head.iter().flatten() {
                inline_text(&cell.content, &mut s);
                s.push(' ');
            }
            norm(&s)
        })
        .collect();
    let (mut b, mut n) = (0usize, 0usize);
    let mut got_body = Vec::new();
    let mut got_notes = Vec::new();
    for (k, page) in out.split('\u{c}').enumerate() {
        let mut w = norm(page);
        if k > 0 {
            // The running header: the page's first line, the title or its start cut with an
            // ellipsis. Only that line goes; the body below may go on with the title's words.
            let header = norm(page.lines().next().unwrap_or(""));
            let last = header.len().saturating_sub(1);
            if !header.is_empty()
                && header.len() <= title.len()
                && header[..last] == title[..last]
                && title[last].starts_with(header[last].as_str())
            {
                w.drain(..header.len());
            }
            // A table continued from the page before opens with its header rows set again.
            if let Some(h) = heads.iter().find(|h| {
                !h.is_empty() && w.starts_with(h) && !body[b.min(body.len())..].starts_with(h)
            }) {
                w.drain(..h.len());
            }
        }
        // The split point: the body part continues `body` at `b`, the rest continues the
        // notes at `n`. Where the words allow more than one (a note that says what the text
        // after it says), the first line opening with a note number starts the notes (the
        // generated text has no digits; a folio is digits alone); else the longest body part.
        let fits = |s: usize| {
            s <= w.len()
                && body.get(b..b + s) == Some(&w[..s])
                && notes_all.get(n..n + (w.len() - s)) == Some(&w[s..])
        };
        let lines: Vec<&str> = page.lines().collect();
        let numbered = lines.iter().position(|l| {
            let l = l.trim_start();
            let digits = l.chars().take_while(char::is_ascii_digit).count();
            digits > 0
                && l[digits..].starts_with(char::is_whitespace)
                && !l[digits..].trim().is_empty()
        });
        let foot = numbered
            .map(|i| w.len().saturating_sub(norm(&lines[i..].join("\n")).len()))
            .filter(|&s| fits(s));
        let split = foot.or_else(|| (0..=w.len()).rev().find(|&s| fits(s)));
        let s = split.unwrap_or(w.len());
        b += s;
        n += w.len() - s;
        got_notes.extend_from_slice(&w[s..]);
        got_body.extend(w.into_iter().take(s));
    }
    // The notes as the PDF has them, cut by the expected lengths.
    let mut notes = HashMap::new();
    let mut at = 0;
    for (k, want) in cited {
        let end = (at + want.len()).min(got_notes.len());
        notes.insert(*k, got_notes[at..end].to_vec());
        at = end;
    }
    ReadBack {
        body: got_body,
        notes,
    }
}

/// Renders `a` in the three formats and compares them; `Err` names the first differing block.
fn same_words_in_every_format(a: &Article, name: &str) -> Result<(), String> {
    let theme = Theme::default();
    let expected = expected_body(a, &theme);
    let body: Vec<String> = expected.iter().flat_map(|e| e.words.clone()).collect();
    let cited = cited_notes(a);
    let render = |f: Format| {
        f.render(a, &theme)
            .map_err(|e| format!("{name}: {f:?} failed: {e}"))
            .map(|r| r.bytes)
    };
    let dir = scratch();
    let pdf_path = dir.path().join("brief.pdf");
    std::fs::write(&pdf_path, render(Format::Pdf)?).map_err(|e| e.to_string())?;
    let formats = [
        (
            "PDF",
            pdf_read_back(&pdf_path, &a.meta.title, &body, &cited, &a.tables()),
        ),
        ("DOCX", docx_read_back(&render(Format::Docx)?)),
        ("EPUB", epub_read_back(&render(Format::Epub)?, &cited)),
    ];
    // Block by block. A table row cut across a page in the PDF (a tall row is cut after a
    // line, the header set again above the rest) reads as the first page's part of every cell,
    // then the rest: the row's words, not their order, are compared there.
    let sorted = |w: &[String]| {
        let mut w = w.to_vec();
        w.sort();
        w
    };
    let mut at = 0;
    for (i, e) in expected.iter().enumerate() {
        let end = at + e.words.len();
        let differs = |(f, r): &(&str, ReadBack)| match r.body.get(at..end) {
            Some(got) if *f == "PDF" && e.label == "table row" => sorted(got) != sorted(&e.words),
            Some(got) => got != &e.words[..],
            None => true,
        };
        if formats.iter().any(differs) {
            let mut msg = format!(
                "{name}: block {i} ({}) differs\n  article: {}\n",
                e.label,
                e.words.join(" ")
            );
            for (f, r) in &formats {
                let got = r.body.get(at..(end + 3).min(r.body.len())).unwrap_or(&[]);
                msg.push_str(&format!("  {f:7}: {}\n", got.join(" ")));
            }
            return Err(msg);
        }
        at = end;
    }
    for (f, r) in &formats {
        if r.body.len() > at {
            return Err(format!(
                "{name}: the {f} has words after the last block: {}",
                r.body[at..].join(" ")
            ));
        }
    }
    // Note by note.
    for (k, want) in &cited {
        for (f, r) in &formats {
            let got = r.notes.get(k).map(Vec::as_slice).unwrap_or(&[]);
            if got != &want[..] {
                return Err(format!(
                    "{name}: note {k} differs\n  article: {}\n  {f:7}: {}",
                    want.join(" "),
                    got.join(" ")
                ));
            }
        }
    }
    Ok(())
}

/// A source's folder on disk, as the CLI reads it.
struct DirAssets(PathBuf);

impl Assets for DirAssets {
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.0.join(path))
    }
}

/// Every source under `tests/fixtures` (any depth) and `source/`; expected-output files
/// (`*.expected.txt`) are not sources.
fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() {
                // The scripts fixture sets Arabic and Hebrew paragraphs in an English brief;
                // pdftotext -raw gives those in visual order, with lam-alef split, so they are
                // compared in logical order by tests/integration/fallback.rs instead.
                if name == "scripts" {
                    continue;
                }
                walk(&p, out);
            } else if SourceFormat::from_path(&p).is_some() && !name.ends_with(".expected.txt") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    walk(&root.join("tests/fixtures"), &mut out);
    walk(&root.join("source"), &mut out);
    out
}

#[test]
fn every_fixture_says_the_same_words_block_by_block_in_every_format() {
    if !require("pdftotext") {
        return;
    }
    let sources = sources();
    assert!(sources.len() >= 5, "{sources:?}");
    let mut failures = Vec::new();
    let mut compared = Vec::new();
    for path in &sources {
        let bytes = std::fs::read(path).expect("source");
        let format = SourceFormat::from_path(path).expect("a source");
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("brief");
        let dir = path.parent().unwrap().to_path_buf();
        let Ok(loaded) = read::read(format, &bytes, stem, &DirAssets(dir)) else {
            // A fixture that is bad input on purpose has no outputs to compare.
            continue;
        };
        if loaded.article.meta.lang().is_rtl() {
            // As the scripts fixture: pdftotext -raw gives right-to-left lines in visual
            // order; tests/integration/languages.rs compares these briefs word by word.
            continue;
        }
        compared.push(path.display().to_string());
        if let Err(e) = same_words_in_every_format(&loaded.article, &path.display().to_string()) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The sample, the conformance briefs, the pack's briefs and the pagination brief.
    assert!(compared.len() >= 8, "only {compared:?} read");
}

#[test]
fn an_affiliated_spanish_brief_with_an_uncited_note_says_the_same_everywhere() {
    if !require("pdftotext") {
        return;
    }
    let mut a = crate::sample::hard();
    a.meta.language = "es".into();
    a.meta.rights = Some("CC BY 4.0".into());
    a.notes.push(briefpress::article::Footnote {
        id: "never".into(),
        blocks: vec![briefpress::article::para("Una nota que nadie cita.")],
    });
    same_words_in_every_format(&a, "hard brief in Spanish").unwrap_or_else(|e| panic!("{e}"));
}

proptest! {
    // Each case renders three formats and runs pdftotext (as the property tests do): 16, or
    // PROPTEST_CASES for a longer search.
    #![proptest_config(ProptestConfig { cases: crate::properties::cases_or(16), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_article_says_the_same_words_block_by_block_in_every_format(
        a in crate::properties::article()
    ) {
        if require("pdftotext")
            && let Err(e) = same_words_in_every_format(&a, "random article")
        {
            return Err(TestCaseError::fail(e));
        }
    }
}
