//! Data tables in the PDF: the fixtures in `tests/fixtures/tables` read back in row order, a
//! long table sets its header again on every page it continues on, a wide one is set smaller
//! and stays inside the margins, cells keep their links, notes, emphasis and right-aligned
//! figures, and tables inside a list item or a quote are set there. Set
//! `BRIEFPRESS_PDF_OUT=/some/dir` to keep the PDFs the tests write.

use crate::pdf::{flat, pdftotext, write};
use crate::tools::{require, run, scratch};
use briefpress::article::{Article, Block, Cell, Inline, Meta, Table, para, text};
use briefpress::layout::{Item, layout};
use briefpress::read::{self, MemoryAssets, SourceFormat};
use briefpress::theme::Theme;
use std::path::Path;
use std::process::Command;

/// The article of fixture `tests/fixtures/tables/NAME.md`.
fn fixture(name: &str) -> Article {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tables")
        .join(format!("{name}.md"));
    let bytes = std::fs::read(&path).expect("fixture");
    read::read(
        SourceFormat::Markdown,
        &bytes,
        name,
        &MemoryAssets::default(),
    )
    .expect("fixture reads")
    .article
}

/// A word of `pdftotext -bbox`: its text and box.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

/// Every word on every page, page by page.
fn bbox_pages(path: &Path) -> Vec<Vec<Word>> {
    let xml = pdftotext(path, &["-bbox"]);
    let attr = |line: &str, name: &str| -> f32 {
        line.split(&format!("{name}=\""))
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .expect("bbox attribute")
    };
    let mut pages = Vec::new();
    for line in xml.lines().map(str::trim_start) {
        if line.starts_with("<page") {
            pages.push(Vec::new());
        } else if line.starts_with("<word")
            && let Some(page) = pages.last_mut()
        {
            let text = line
                .split('>')
                .nth(1)
                .and_then(|s| s.split('<').next())
                .unwrap_or_default()
                .replace("&amp;", "&");
            page.push(Word {
                text,
                x0: attr(line, "xMin"),
                y0: attr(line, "yMin"),
                x1: attr(line, "xMax"),
                y1: attr(line, "yMax"),
            });
        }
    }
    pages
}

/// Every word of every page lies inside the page's text block (the running header and the
/// folio sit in the margins, so only words between them are checked against the sides).
fn assert_inside_margins(path: &Path) {
    let theme = Theme::default();
    let (w, _) = theme.page.points();
    let (left, right) = (theme.margins.left - 0.5, w - theme.margins.right + 0.5);
    for (k, page) in bbox_pages(path).iter().enumerate() {
        for word in page {
            assert!(
                word.x0 >= left && word.x1 <= right,
                "page {}: `{}` sticks out of the margins ({} – {} outside {left} – {right})",
                k + 1,
                word.text,
                word.x0,
                word.x1
            );
        }
    }
}

fn qpdf_check(path: &Path) {
    if !require("qpdf") {
        return;
    }
    let (ok, out, err) = run(Command::new("qpdf").arg("--check").arg(path));
    assert!(ok, "qpdf --check fails on {}: {out}{err}", path.display());
}

#[test]
fn a_small_table_reads_in_row_order_between_its_caption_and_source() {
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let path = write(
        &fixture("small"),
        &Theme::default(),
        dir.path(),
        "table-small",
    );
    let got = flat(&pdftotext(&path, &[]));
    let want = "as the table shows. Table 1. Programme budget and staff by year. \
        Year Budget (€ m) Staff Projects 2023 12.4 41 7 2024 15.1 48 9 2025 18.9 55 12 \
        Source: Annual accounts. The programme closes in 2026.";
    assert!(got.contains(want), "{got}");
    assert_inside_margins(&path);
    qpdf_check(&path);
}

#[test]
fn a_long_table_sets_its_header_again_on_every_page_it_continues_on() {
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let path = write(
        &fixture("long"),
        &Theme::default(),
        dir.path(),
        "table-long",
    );
    let header = "Region Households Share (%) Change";
    let pages = bbox_pages(&path);
    assert!(pages.len() >= 2, "60 rows fit one page?");
    let mut rows_seen = Vec::new();
    let mut continued = 0;
    for k in 1..=pages.len() {
        let n = k.to_string();
        let text = flat(&pdftotext(&path, &["-f", &n, "-l", &n]));
        let rows: Vec<&str> = text
            .split_whitespace()
            .filter(|w| w.starts_with("Region") && w.len() == 8)
            .collect();
        if k > 1 && !rows.is_empty() {
            // Page k opens with the running header (the title), then the table's header row.
            let body = text.strip_prefix("Long table ").expect("running header");
            assert!(body.starts_with(header), "page {k} starts: {body:.80}");
            continued += 1;
        }
        rows_seen.extend(rows.iter().map(|r| r.to_string()));
    }
    assert!(continued >= 1, "no page continues the table");
    let want: Vec<String> = (1..=60).map(|i| format!("Region{i:02}")).collect();
    assert_eq!(rows_seen, want, "every row once, in order");
    // The header row's cells and its first body row's share a page (never a header alone).
    for page in &pages {
        let has_header = page.iter().any(|w| w.text == "Households");
        let has_row = page
            .iter()
            .any(|w| w.text.starts_with("Region") && w.text.len() == 8);
        assert!(
            !has_header || has_row,
            "a page holds the header without a row"
        );
    }
    assert_inside_margins(&path);
    qpdf_check(&path);
}

#[test]
fn a_wide_table_is_set_smaller_and_stays_inside_the_margins() {
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let path = write(
        &fixture("wide"),
        &Theme::default(),
        dir.path(),
        "table-wide",
    );
    let pages = bbox_pages(&path);
    let height = |t: &str| {
        let w = pages[0]
            .iter()
            .find(|w| w.text == t)
            .unwrap_or_else(|| panic!("`{t}` on page 1"));
        w.y1 - w.y0
    };
    // Body text at the full size, the table's cells at 80 % of it.
    let ratio = height("Germany") / height("Nine");
    assert!(
        (0.75..0.85).contains(&ratio),
        "cell type at {ratio} of the body"
    );
    // Every figure stays whole on one line (no cell of figures wraps).
    let got = flat(&pdftotext(&path, &[]));
    for row in [
        "Germany 84,400,000 51,203 3.1 5.9 63.6 2.1 1,688,000 1,452,000",
        "Netherlands 17,900,000 62,536 3.6 4.1 46.5 0.3 936,000 832,000",
    ] {
        assert!(got.contains(row), "row `{row}` not read whole: {got}");
    }
    assert_inside_margins(&path);
    qpdf_check(&path);
}

#[test]
fn cells_keep_links_notes_emphasis_and_right_aligned_figures() {
    if !require("pdftotext") {
        return;
    }
    let article = fixture("rich");
    let dir = scratch();
    let path = write(&article, &Theme::default(), dir.path(), "table-rich");
    let got = flat(&pdftotext(&path, &[]));
    // Notes are numbered in reading order, the table's between the text's.
    for want in [
        "flush right.1",
        "application.2",
        "weaker.3",
        "a last note.4",
        "1 A note cited before the table. 2 Grants cover up to half of the cost. \
         3 The premium is fixed by decree each year. 4 A note cited after the table.",
    ] {
        assert!(got.contains(want), "`{want}` missing: {got}");
    }
    // Right-aligned figures end at the same x, the right edge of the text block.
    let theme = Theme::default();
    let right = theme.page.points().0 - theme.margins.right;
    let pages = bbox_pages(&path);
    for fig in ["1,250.0", "830.5", "42.75"] {
        let w = pages[0].iter().find(|w| w.text == fig).expect("figure");
        assert!(
            (w.x1 - right).abs() < 1.0,
            "{fig} ends at {} not {right}",
            w.x1
        );
    }
    // The link stays a link, each note call jumps to its note, emphasis takes its face.
    let laid = layout(&article, &theme).expect("layout");
    let items: Vec<&Item> = laid.pages.iter().flat_map(|p| &p.items).collect();
    assert!(
        items
            .iter()
            .any(|i| matches!(i, Item::Link { url, .. } if url == "https://example.org/agency")),
        "the link in a cell is lost"
    );
    let jumps = items
        .iter()
        .filter(|i| matches!(i, Item::Jump { .. }))
        .count();
    assert_eq!(
        jumps, 8,
        "four note calls and four notes jump to each other"
    );
    let faces = |word: &str| -> Vec<briefpress::layout::FaceId> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Text(run) if run.text.contains(word) => Some(run),
                _ => None,
            })
            .filter(|run| {
                let s: String = run.glyphs.iter().map(|g| run.glyph_text(g)).collect();
                s.contains(word)
            })
            .map(|run| run.face)
            .collect()
    };
    let older = faces("older");
    let grants = faces("Grants");
    assert!(!older.is_empty() && !grants.is_empty());
    assert_ne!(older[0], grants[0], "emphasis is set in the same face");
    assert_inside_margins(&path);
    qpdf_check(&path);
}

#[test]
fn tables_in_a_list_item_and_a_quote_are_set_there() {
    if !require("pdftotext") {
        return;
    }
    let dir = scratch();
    let path = write(
        &fixture("nested"),
        &Theme::default(),
        dir.path(),
        "table-nested",
    );
    let got = flat(&pdftotext(&path, &[]));
    for want in [
        "1. Count the households in each district: Table 1. Households by district. \
         District Households North 1,204 South 987 2. Compare with the last count.",
        "The auditor wrote: Table 2. Audit findings. Item Finding Accounts In order \
         Inventory Two items missing Source: Audit office. The plan ends here.",
    ] {
        assert!(got.contains(want), "`{want}` missing: {got}");
    }
    // Both tables start at their block's indent, not at the margin.
    let theme = Theme::default();
    let pages = bbox_pages(&path);
    for cell in ["District", "Item"] {
        let w = pages[0].iter().find(|w| w.text == cell).expect("cell");
        assert!(
            w.x0 > theme.margins.left + 10.0,
            "`{cell}` at {} is not indented",
            w.x0
        );
    }
    assert_inside_margins(&path);
    qpdf_check(&path);
}

#[test]
fn a_row_taller_than_a_page_is_cut_between_lines_and_loses_nothing() {
    if !require("pdftotext") {
        return;
    }
    let long: String = (0..1500).map(|i| format!("word{i} ")).collect();
    let cell = |s: &str| Cell {
        content: vec![text(s)],
    };
    let table = Table {
        caption: "One tall row".into(),
        source: Some("Nowhere".into()),
        align: Vec::new(),
        head: vec![vec![cell("Key"), cell("Text")]],
        body: vec![vec![cell("a"), cell(&long)], vec![cell("b"), cell("short")]],
    };
    let article = Article {
        meta: Meta::new("Tall row"),
        photo: None,
        blocks: vec![para("Before."), Block::Table { table }, para("After.")],
        notes: Vec::new(),
    };
    let dir = scratch();
    let path = write(&article, &Theme::default(), dir.path(), "table-tall");
    let got = pdftotext(&path, &[]);
    let words: Vec<&str> = got
        .split_whitespace()
        .filter(|w| w.starts_with("word"))
        .collect();
    let want: Vec<String> = (0..1500).map(|i| format!("word{i}")).collect();
    assert_eq!(words, want, "every word of the tall cell, once, in order");
    assert!(flat(&got).contains("b short Source: Nowhere After."));
    assert_inside_margins(&path);
    // No word below the bottom margin.
    let theme = Theme::default();
    let bottom = theme.page.points().1 - theme.margins.bottom + 0.5;
    for page in bbox_pages(&path) {
        for w in page.iter().filter(|w| w.text.starts_with("word")) {
            assert!(w.y1 <= bottom, "`{}` below the margin ({})", w.text, w.y1);
        }
    }
}

#[test]
fn an_empty_table_and_ragged_rows_do_not_break_layout() {
    let cell = |s: &str| Cell {
        content: vec![Inline::Text { text: s.into() }],
    };
    let article = Article {
        meta: Meta::new("Odd tables"),
        photo: None,
        blocks: vec![
            Block::Table {
                table: Table {
                    caption: String::new(),
                    source: None,
                    align: Vec::new(),
                    head: Vec::new(),
                    body: Vec::new(),
                },
            },
            Block::Table {
                table: Table {
                    caption: "Ragged".into(),
                    source: None,
                    align: Vec::new(),
                    head: Vec::new(),
                    body: vec![
                        vec![cell("one")],
                        vec![cell("two"), cell(""), cell("three")],
                    ],
                },
            },
        ],
        notes: Vec::new(),
    };
    let theme = Theme::default();
    let laid = layout(&article, &theme).expect("layout");
    let text: String = laid
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text(run) => Some(
                run.glyphs
                    .iter()
                    .map(|g| run.glyph_text(g))
                    .collect::<String>(),
            ),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ");
    for w in ["Table 1", "Table 2", "Ragged", "one", "two", "three"] {
        assert!(text.contains(w), "`{w}` missing: {text}");
    }
}
