//! Readers, from source text: SPEC's rules for each format, the seed's caption split, and the
//! errors a production editor meets (unknown key, no title, bad images, escaping paths).

use briefpress::article::{Block, Inline, plain_text};
use briefpress::read::{self, MemoryAssets, SourceFormat};

fn png_bytes() -> Vec<u8> {
    crate::sample::png(8, 6).data.as_ref().clone()
}

fn md(text: &str, assets: &MemoryAssets) -> Result<read::Loaded, briefpress::error::Error> {
    read::read(SourceFormat::Markdown, text.as_bytes(), "brief", assets)
}

#[test]
fn seed_caption_splits_into_caption_and_credit() {
    let seed = std::fs::read("source/us-colombia-ties.txt").unwrap();
    let loaded = read::read(
        SourceFormat::Text,
        &seed,
        "us-colombia-ties",
        &MemoryAssets::default(),
    )
    .unwrap();
    let a = loaded.article;
    assert_eq!(
        a.meta.title,
        "To repair US-Colombia ties, Trump and Petro should focus on counternarcotics and Venezuela"
    );
    let photo = a.photo.expect("caption block becomes the photo's caption");
    assert!(
        photo
            .caption
            .starts_with("Colombian President Gustavo Petro takes part")
    );
    assert!(
        photo.caption.ends_with("on January 27, 2026."),
        "{}",
        photo.caption
    );
    assert_eq!(
        photo.credit.as_deref(),
        Some("© Sebastian Barros/LongVisual via Zuma Press Wire")
    );
    assert!(photo.image.is_none(), "no image among the assets");
    assert_eq!(a.blocks.len(), 7);
    // text is stored exactly as written: curly apostrophes and the em dash survive
    let all: String = a.blocks.iter().map(|b| format!("{b:?}")).collect();
    assert!(all.contains("Petro’s Oval Office") && all.contains("moment—when"));
}

#[test]
fn photo_beside_a_wire_story_is_loaded() {
    let assets = MemoryAssets(vec![("story.png".into(), png_bytes())]);
    let a = read::read(
        SourceFormat::Text,
        "Title\n\nA caption. Credit: AP\n\nBody.\n".as_bytes(),
        "story",
        &assets,
    )
    .unwrap()
    .article;
    let photo = a.photo.unwrap();
    let img = photo.image.expect("the PNG beside the source is the photo");
    assert_eq!((img.width, img.height), (8, 6));
    assert_eq!(photo.credit.as_deref(), Some("AP"));
}

#[test]
fn each_credit_marker_is_recognised() {
    for (block, credit) in [
        (
            "Caption. (Credit Image: © Jo Bloggs/Zuma)",
            "© Jo Bloggs/Zuma",
        ),
        ("Caption. Credit: Jo Bloggs", "Jo Bloggs"),
        ("Caption. Photo: Jo Bloggs", "Jo Bloggs"),
        ("Caption. Photo credit: Jo Bloggs", "Jo Bloggs"),
    ] {
        let src = format!("Title\n\n{block}\n\nBody paragraph.\n");
        let a = read::read(
            SourceFormat::Text,
            src.as_bytes(),
            "x",
            &MemoryAssets::default(),
        )
        .unwrap()
        .article;
        let p = a
            .photo
            .unwrap_or_else(|| panic!("no caption found in {block:?}"));
        assert_eq!(
            (p.caption.as_str(), p.credit.as_deref()),
            ("Caption.", Some(credit)),
            "{block}"
        );
    }
}

#[test]
fn markdown_front_matter_and_figure_images() {
    let assets = MemoryAssets(vec![
        ("img/photo.png".into(), png_bytes()),
        ("chart.png".into(), png_bytes()),
    ]);
    let src = "---\ntitle: A “brief” & <more>\nauthor: Jane Doe\ndate: 2026-02-02\nphoto:\n  path: ./img/photo.png\n  alt: The alt\n  caption: The caption\n  credit: © Someone\n---\n\nText with a note.[^a]\n\n![Chart](chart.png \"Chart caption\")\n\n[^a]: The note.\n";
    let a = md(src, &assets).unwrap().article;
    assert_eq!(a.meta.title, "A “brief” & <more>");
    let photo = a.photo.as_ref().unwrap();
    assert_eq!(
        photo.src.as_deref(),
        Some("img/photo.png"),
        "path normalised"
    );
    assert!(photo.image.is_some());
    assert!(
        matches!(&a.blocks[1], Block::Figure { figure } if figure.image.is_some() && figure.caption == "Chart caption")
    );
    assert_eq!(a.note_number("a"), Some(1));
    let Block::Paragraph { content } = &a.blocks[0] else {
        panic!()
    };
    assert!(
        content
            .iter()
            .any(|i| matches!(i, Inline::FootnoteRef { .. }))
    );
    assert_eq!(plain_text(content), "Text with a note.");
}

#[test]
fn unknown_key_names_key_line_and_suggestion() {
    let err = md(
        "---\ntitle: T\nauthors:\n  - name: A\nkeywrods: [x]\n---\nBody\n",
        &MemoryAssets::default(),
    )
    .unwrap_err();
    assert_eq!(err.location().line, Some(5));
    let msg = err.to_string();
    assert!(
        msg.contains("`keywrods`") && msg.contains("did you mean `keywords`"),
        "{msg}"
    );
}

#[test]
fn missing_title_is_an_error_in_every_format() {
    let none = MemoryAssets::default();
    for (format, src) in [
        (SourceFormat::Markdown, "---\nauthor: A\n---\nBody only.\n"),
        (
            SourceFormat::Markdown,
            "---\ntitle: \"  \"\n---\nBody only.\n",
        ),
        (SourceFormat::Json, r#"{"meta": {"title": ""}}"#),
    ] {
        let err = read::read(format, src.as_bytes(), "x", &none).unwrap_err();
        assert!(err.to_string().contains("no title"), "{format:?}: {err}");
    }
}

#[test]
fn bad_images_are_refused_with_the_path() {
    let mut truncated = png_bytes();
    truncated.truncate(truncated.len() - 20);
    let assets = MemoryAssets(vec![
        ("notes.png".into(), b"hello".to_vec()),
        ("cut.png".into(), truncated),
    ]);
    for (path, expect) in [
        ("missing.png", "does not exist"),
        ("notes.png", "not a JPEG or PNG"),
        ("cut.png", "damaged or truncated"),
        ("/etc/passwd", "absolute"),
        ("../../etc/passwd", "climbs out"),
    ] {
        let src = format!("---\ntitle: T\nphoto:\n  path: {path}\n---\nBody\n");
        let err = md(&src, &assets).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(path) && msg.contains(expect), "{path}: {msg}");
        assert_eq!(
            err.location().line,
            Some(3),
            "{path}: the `photo:` key's line"
        );
    }
}

#[test]
fn json_refuses_a_path_outside_the_folder() {
    let src = r#"{"meta": {"title": "T"}, "photo": {"src": "/etc/passwd", "caption": "x"}}"#;
    let err = read::read(
        SourceFormat::Json,
        src.as_bytes(),
        "x",
        &MemoryAssets::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("absolute"), "{err}");
}

#[test]
fn not_utf8_names_line_and_column() {
    let err = read::read(
        SourceFormat::Text,
        b"Title\n\nCaf\xe9 society\n",
        "x",
        &MemoryAssets::default(),
    )
    .unwrap_err();
    assert_eq!(
        (err.location().line, err.location().column),
        (Some(3), Some(4))
    );
    assert!(err.to_string().contains("UTF-8"));
}

/// The article a source reads to, with no files beside it.
fn article(format: SourceFormat, bytes: &[u8]) -> briefpress::article::Article {
    read::read(format, bytes, "brief", &MemoryAssets::default())
        .unwrap()
        .article
}

/// The table of a brief's blocks at `i`.
fn table_at(blocks: &[Block], i: usize) -> &briefpress::article::Table {
    match &blocks[i] {
        Block::Table { table } => table,
        other => panic!("block {i} is not a table: {other:?}"),
    }
}

fn cell_texts(row: &[briefpress::article::Cell]) -> Vec<String> {
    row.iter().map(|c| plain_text(&c.content)).collect()
}

#[test]
fn a_pipe_table_keeps_its_alignments_cells_and_pandoc_caption_with_the_source_split_off() {
    let text = "---\ntitle: T\n---\n\nBefore.\n\n| Year | Item | Amount |\n|------|:----:|-------:|\n| 2024 | *Health* | 1,200 |\n| 2025 | [Schools](https://example.org) \\| more | 980[^b] |\n\nTable: Spending by year. Source: Ministry of Finance\n\nAfter.\n\n[^b]: In a cell.\n";
    let a = md(text, &MemoryAssets::default()).unwrap().article;
    assert_eq!(a.blocks.len(), 3, "{:?}", a.blocks);
    let t = table_at(&a.blocks, 1);
    use briefpress::article::Align;
    assert_eq!(t.align, vec![Align::Default, Align::Center, Align::Right]);
    assert_eq!(t.caption, "Spending by year.");
    assert_eq!(t.source.as_deref(), Some("Ministry of Finance"));
    assert_eq!(t.head.len(), 1);
    assert_eq!(cell_texts(&t.head[0]), ["Year", "Item", "Amount"]);
    assert_eq!(cell_texts(&t.body[1]), ["2025", "Schools | more", "980"]);
    assert!(matches!(t.body[0][1].content[0], Inline::Emphasis { .. }));
    assert!(matches!(t.body[1][1].content[0], Inline::Link { .. }));
    assert_eq!(a.notes.len(), 1, "the note cited in a cell is kept");
    assert_eq!(
        plain_text(match &a.blocks[2] {
            Block::Paragraph { content } => content,
            b => panic!("{b:?}"),
        }),
        "After."
    );
}

#[test]
fn a_tab_separated_block_of_a_wire_story_is_a_table_with_its_caption() {
    let bytes = std::fs::read("tests/fixtures/tables/reader-wire.txt").unwrap();
    let a = article(SourceFormat::Text, &bytes);
    let kinds: Vec<&str> = a
        .blocks
        .iter()
        .map(|b| match b {
            Block::Table { .. } => "table",
            Block::Paragraph { .. } => "paragraph",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["paragraph", "table", "paragraph"]);
    let t = table_at(&a.blocks, 1);
    assert_eq!(t.caption, "Handling fee per container, in US dollars.");
    assert_eq!(t.source.as_deref(), Some("Port authorities, October 2026"));
    assert_eq!(cell_texts(&t.head[0]), ["Port", "Q1", "Q2", "Q3"]);
    assert_eq!(t.body.len(), 3);
    assert_eq!(
        cell_texts(&t.body[2]),
        ["Hamburg", "", "188", "201"],
        "an empty cell is kept"
    );
}

#[test]
fn lines_with_different_numbers_of_tabs_stay_a_paragraph() {
    let text = "Title\n\nOne\ttwo\nthree\n\nA\tB\nC\tD\tE\n";
    let a = article(SourceFormat::Text, text.as_bytes());
    assert!(
        a.blocks.iter().all(|b| !matches!(b, Block::Table { .. })),
        "{:?}",
        a.blocks
    );
}

#[test]
fn a_json_table_reads_back_to_an_equal_article_through_inspect_json() {
    let bytes = std::fs::read("tests/fixtures/tables/reader-cms.json").unwrap();
    let a = article(SourceFormat::Json, &bytes);
    let t = table_at(&a.blocks, 1);
    assert_eq!(t.head.len(), 2, "two header rows");
    assert_eq!(t.columns(), 4);
    let json = serde_json::to_string_pretty(&a).unwrap();
    let again = article(SourceFormat::Json, json.as_bytes());
    assert_eq!(again, a);
    // And a Markdown table through JSON.
    let text = "# T\n\n| a | b |\n|--:|---|\n| 1 | *x* |\n\nTable: Cap. Source: Src\n";
    let a = md(text, &MemoryAssets::default()).unwrap().article;
    let json = serde_json::to_string(&a).unwrap();
    let again = article(SourceFormat::Json, json.as_bytes());
    assert_eq!(again, a);
}
