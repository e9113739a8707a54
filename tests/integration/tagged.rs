//! The tagged PDF: `pdfua check` (the machine-checkable part of PDF/UA-1) finds nothing in
//! the samples, the conformance and table fixtures and a pack; and the structure tree, read
//! back with lopdf, follows the article block by block, gives every figure its alt text, and
//! accounts for every marked-content sequence on every page.

use crate::cli::{briefpress, project};
use crate::sample::hard;
use crate::tools::{require, run, scratch};
use briefpress::article::front::{Piece, front};
use briefpress::article::{Article, Block, Inline};
use briefpress::render::pdf;
use briefpress::theme::Theme;
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Builds `args` (a build or pack command's sources) into `out`.
fn build(args: &[&str], out: &Path) {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["-f", "pdf", "-o", out.to_str().unwrap()]);
    let o = briefpress(&project(), &all);
    assert!(
        o.status.success(),
        "briefpress {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn pdfua_check_finds_nothing_in_the_samples_fixtures_and_a_pack() {
    if !require("pdfua") {
        return;
    }
    let dir = scratch();
    let out = dir.path();
    build(&["build", "source"], out);
    for folder in ["tests/fixtures/conformance", "tests/fixtures/tables"] {
        build(&["build", folder], out);
    }
    build(
        &["pack", "tests/fixtures/pack/pack.toml"],
        &out.join("pack.pdf"),
    );
    let mut pdfs: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    assert!(pdfs.len() >= 12, "{pdfs:?}");
    for pdf in pdfs {
        let (ok, said, err) = run(Command::new("pdfua").arg("check").arg(&pdf));
        assert!(ok, "{}: {said}{err}", pdf.display());
        assert!(said.contains("no findings"), "{}: {said}", pdf.display());
        assert!(
            !said.contains("not evaluated"),
            "{}: a rule could not read the tree: {said}",
            pdf.display()
        );
    }
}

/// An object, following a reference.
fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).expect("reference resolves"),
        o => o,
    }
}

fn name(d: &Dictionary, key: &[u8]) -> String {
    d.get(key)
        .and_then(Object::as_name)
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default()
}

/// A PDF text string as Rust text (UTF-16BE with a BOM, or PDFDocEncoding's ASCII part).
fn text_of(o: &Object) -> String {
    let bytes = o.as_str().expect("a string");
    match bytes {
        [0xFE, 0xFF, rest @ ..] => {
            let units: Vec<u16> = rest
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).unwrap()
        }
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// One structure element as read back: its type, depth, alt text, and the (page, MCID) pairs
/// of its marked content.
struct Read {
    id: ObjectId,
    role: String,
    depth: usize,
    alt: Option<String>,
    mcids: Vec<(ObjectId, i64)>,
}

/// The structure tree in reading order (depth-first), the document element at depth 0.
fn tree(doc: &Document) -> Vec<Read> {
    fn walk(doc: &Document, id: ObjectId, depth: usize, out: &mut Vec<Read>) {
        let d = doc.get_dictionary(id).unwrap();
        let page = d.get(b"Pg").and_then(Object::as_reference).ok();
        let mut me = Read {
            id,
            role: name(d, b"S"),
            depth,
            alt: d.get(b"Alt").ok().map(text_of),
            mcids: Vec::new(),
        };
        let kids = match d.get(b"K") {
            Ok(Object::Array(a)) => a.clone(),
            Ok(o) => vec![o.clone()],
            Err(_) => Vec::new(),
        };
        let at = out.len();
        out.push(me);
        let mut mcids = Vec::new();
        for kid in kids {
            match kid {
                Object::Integer(m) => mcids.push((page.expect("an MCID kid needs /Pg"), m)),
                Object::Reference(r) => walk(doc, r, depth + 1, out),
                Object::Dictionary(k) if name(&k, b"Type") == "MCR" => mcids.push((
                    k.get(b"Pg").and_then(Object::as_reference).unwrap(),
                    k.get(b"MCID").and_then(Object::as_i64).unwrap(),
                )),
                Object::Dictionary(k) => {
                    assert_eq!(name(&k, b"Type"), "OBJR", "unexpected kid {k:?}")
                }
                other => panic!("unexpected kid {other:?}"),
            }
        }
        me = std::mem::replace(
            &mut out[at],
            Read {
                id,
                role: String::new(),
                depth,
                alt: None,
                mcids: Vec::new(),
            },
        );
        me.mcids = mcids;
        out[at] = me;
    }
    let root = doc
        .catalog()
        .unwrap()
        .get(b"StructTreeRoot")
        .and_then(Object::as_reference)
        .expect("a structure tree");
    let root = doc.get_dictionary(root).unwrap();
    let document = match root.get(b"K").unwrap() {
        Object::Array(a) => a[0].as_reference().unwrap(),
        o => o.as_reference().unwrap(),
    };
    let mut out = Vec::new();
    walk(doc, document, 0, &mut out);
    out
}

/// The elements the article's blocks should give, with their depth under the document: the
/// front block as `front` decides it, then the body's blocks (headings one level below the
/// nearest earlier higher heading, the title being H1; each footnote's Note right after the
/// element that first calls it).
fn expected(article: &Article, theme: &Theme) -> Vec<(String, usize)> {
    let publisher = article.publisher(&theme.publisher);
    let mut out: Vec<(String, usize)> = vec![("Document".into(), 0)];
    for piece in front(article, publisher, &theme.labels) {
        match piece {
            Piece::Masthead { publisher } if !publisher.is_empty() => out.push(("P".into(), 1)),
            Piece::Masthead { .. } => {}
            Piece::Title(_) => out.push(("H1".into(), 1)),
            Piece::Subtitle(_) | Piece::Byline(_) => out.push(("P".into(), 1)),
            Piece::Photo(_) => {
                out.push(("Figure".into(), 1));
                out.push(("Caption".into(), 1));
            }
            Piece::Summary(_) => {
                out.push(("Sect".into(), 1));
                out.push(("P".into(), 2));
            }
        }
    }
    struct Walk<'a> {
        article: &'a Article,
        cited: BTreeSet<String>,
        headings: Vec<(u8, u8)>,
        out: Vec<(String, usize)>,
    }
    impl Walk<'_> {
        fn notes(&mut self, content: &[Inline], depth: usize) {
            for inline in content {
                match inline {
                    Inline::FootnoteRef { id } if self.cited.insert(id.clone()) => {
                        self.out.push(("Note".into(), depth));
                    }
                    Inline::Emphasis { content }
                    | Inline::Strong { content }
                    | Inline::Link { content, .. } => self.notes(content, depth),
                    _ => {}
                }
            }
        }
        fn blocks(&mut self, blocks: &[Block], depth: usize) {
            for block in blocks {
                match block {
                    Block::Heading { level, content } => {
                        while self.headings.last().is_some_and(|h| h.0 >= *level) {
                            self.headings.pop();
                        }
                        let pdf = self.headings.last().map_or(1, |h| h.1) + 1;
                        self.headings.push((*level, pdf));
                        self.out.push((format!("H{pdf}"), depth));
                        self.notes(content, depth + 1);
                    }
                    Block::Paragraph { content } => {
                        self.out.push(("P".into(), depth));
                        self.notes(content, depth + 1);
                    }
                    Block::Quote { blocks } => {
                        self.out.push(("BlockQuote".into(), depth));
                        self.blocks(blocks, depth + 1);
                    }
                    Block::List { items, .. } => {
                        self.out.push(("L".into(), depth));
                        for item in items {
                            self.out.push(("LI".into(), depth + 1));
                            self.out.push(("Lbl".into(), depth + 2));
                            self.out.push(("LBody".into(), depth + 2));
                            self.blocks(item, depth + 3);
                        }
                    }
                    Block::Figure { figure } => {
                        self.out.push(("Figure".into(), depth));
                        if !figure.caption.is_empty() || figure.credit.is_some() {
                            self.out.push(("Caption".into(), depth));
                        }
                    }
                    Block::Rule => {}
                    Block::Table { .. } => panic!("tables are checked by their own test"),
                }
            }
        }
    }
    let mut walk = Walk {
        article,
        cited: BTreeSet::new(),
        headings: Vec::new(),
        out,
    };
    walk.blocks(&article.blocks, 1);
    assert_eq!(
        walk.cited.len(),
        walk.article.notes.len(),
        "every note is cited"
    );
    if article.meta.rights.is_some() {
        walk.out.push(("P".into(), 1));
    }
    walk.out
}

/// What a page's content stream marks: its MCIDs in order, and whether every BDC/BMC has its
/// EMC and every glyph and path is drawn inside a marked-content sequence.
fn marked_content(doc: &Document, page: ObjectId) -> Vec<i64> {
    let content = Content::decode(&doc.get_page_content(page)).unwrap();
    let mut depth = 0i32;
    let mut mcids = Vec::new();
    for op in &content.operations {
        match op.operator.as_str() {
            "BDC" => {
                depth += 1;
                if let Some(Object::Dictionary(d)) = op.operands.get(1)
                    && let Ok(m) = d.get(b"MCID").and_then(Object::as_i64)
                {
                    mcids.push(m);
                }
            }
            "BMC" => depth += 1,
            "EMC" => {
                depth -= 1;
                assert!(depth >= 0, "EMC without BDC on page {page:?}");
            }
            "TJ" | "Tj" | "re" | "Do" | "f" | "S" => {
                assert!(depth > 0, "`{}` drawn outside marked content", op.operator)
            }
            _ => {}
        }
    }
    assert_eq!(depth, 0, "BDC/EMC unbalanced on page {page:?}");
    mcids
}

#[test]
fn the_structure_tree_follows_the_article_and_accounts_for_every_mcid() {
    let article = hard();
    let theme = Theme::default();
    let bytes = pdf::render(&article, &theme).unwrap().bytes;
    let doc = Document::load_mem(&bytes).unwrap();
    let catalog = doc.catalog().unwrap();
    let marked = catalog
        .get(b"MarkInfo")
        .map(|o| resolve(&doc, o))
        .and_then(Object::as_dict)
        .and_then(|d| d.get(b"Marked"))
        .and_then(Object::as_bool);
    assert_eq!(marked.ok(), Some(true));

    let read = tree(&doc);
    let got: Vec<(String, usize)> = read
        .iter()
        .scan(None::<usize>, |inside_note, e| {
            // A note's own lines, and the link elements of every annotation, are not blocks.
            if inside_note.is_some_and(|d| e.depth > d) {
                return Some(None);
            }
            *inside_note = (e.role == "Note").then_some(e.depth);
            Some((e.role != "Link").then(|| (e.role.clone(), e.depth)))
        })
        .flatten()
        .collect();
    let want = expected(&article, &theme);
    assert_eq!(got, want);

    let figures: Vec<Option<&str>> = read
        .iter()
        .filter(|e| e.role == "Figure")
        .map(|e| e.alt.as_deref())
        .collect();
    let alts: Vec<Option<&str>> = article
        .figures()
        .iter()
        .map(|f| Some(f.alt.as_str()))
        .collect();
    assert_eq!(figures, alts, "every figure has its source's alt text");

    // Every MCID of every page is marked once, belongs to one element, and the parent tree
    // leads from it back to that element.
    let owners: std::collections::BTreeMap<(ObjectId, i64), usize> = read
        .iter()
        .enumerate()
        .flat_map(|(i, e)| e.mcids.iter().map(move |m| (*m, i)))
        .collect();
    let listed: usize = read.iter().map(|e| e.mcids.len()).sum();
    assert_eq!(owners.len(), listed, "an MCID listed by two elements");
    let root = catalog
        .get(b"StructTreeRoot")
        .and_then(Object::as_reference)
        .unwrap();
    let parent_tree = doc
        .get_dictionary(root)
        .unwrap()
        .get(b"ParentTree")
        .map(|o| resolve(&doc, o))
        .and_then(Object::as_dict)
        .unwrap();
    let nums = parent_tree.get(b"Nums").and_then(Object::as_array).unwrap();
    for (_, page) in doc.get_pages() {
        let mcids = marked_content(&doc, page);
        let unique: BTreeSet<i64> = mcids.iter().copied().collect();
        assert_eq!(unique.len(), mcids.len(), "an MCID used twice on a page");
        let key = doc
            .get_dictionary(page)
            .unwrap()
            .get(b"StructParents")
            .and_then(Object::as_i64)
            .unwrap();
        let slot = nums
            .chunks(2)
            .find(|c| c[0].as_i64().ok() == Some(key))
            .map(|c| resolve(&doc, &c[1]))
            .and_then(|o| o.as_array().ok())
            .expect("the page's parent-tree entry");
        assert_eq!(slot.len(), mcids.len());
        for m in mcids {
            let owner = owners
                .get(&(page, m))
                .unwrap_or_else(|| panic!("MCID {m} of page {page:?} is in no element"));
            let parent = slot[m as usize].as_reference().unwrap();
            assert_eq!(parent, read[*owner].id, "MCID {m} of page {page:?}");
        }
    }
}

#[test]
fn tables_are_caption_head_and_body_with_headers_scoped_to_columns() {
    let dir = scratch();
    build(&["build", "tests/fixtures/tables/rich.md"], dir.path());
    let doc = Document::load(dir.path().join("rich.pdf")).unwrap();
    let read = tree(&doc);
    let tables: Vec<usize> = (0..read.len())
        .filter(|&i| read[i].role == "Table")
        .collect();
    assert!(!tables.is_empty());
    for t in tables {
        let depth = read[t].depth;
        // The table's descendants, up to the next element at its depth.
        let inside: Vec<&Read> = read[t + 1..]
            .iter()
            .take_while(|e| e.depth > depth)
            .collect();
        let children: Vec<&str> = inside
            .iter()
            .filter(|e| e.depth == depth + 1)
            .map(|e| e.role.as_str())
            .collect();
        assert_eq!(children, ["Caption", "THead", "TBody"]);
        let mut group = "";
        let mut widths = BTreeSet::new();
        let mut cells = 0;
        for e in &inside {
            match (e.depth - depth, e.role.as_str()) {
                (1, g) => group = if g == "Caption" { "" } else { g },
                (2, "TR") => {
                    if cells > 0 {
                        widths.insert(cells);
                    }
                    cells = 0;
                }
                (3, cell) => {
                    let want = if group == "THead" { "TH" } else { "TD" };
                    assert_eq!(cell, want, "a cell of {group}");
                    cells += 1;
                }
                _ => {}
            }
        }
        widths.insert(cells);
        assert_eq!(widths.len(), 1, "every row has as many cells: {widths:?}");
    }
    // Every header cell says it heads its column.
    for (_, object) in doc.objects.iter() {
        if let Ok(d) = object.as_dict()
            && name(d, b"S") == "TH"
        {
            let a = d.get(b"A").and_then(Object::as_dict).unwrap();
            assert_eq!(name(a, b"O"), "Table");
            assert_eq!(name(a, b"Scope"), "Column");
        }
    }
}
