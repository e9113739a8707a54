//! Hostile input: sources that are legal but awkward build in all three formats on a
//! test thread's 2 MiB stack (what the CLI's rayon workers have), in bounded time, with their
//! text intact; and every crash or hang the fuzzers under tests/fuzz found, as a named test.

use briefpress::read::{self, Loaded, MemoryAssets, SourceFormat};
use briefpress::render::{Format, Rendered};
use briefpress::theme::Theme;
use std::io::Read;
use std::time::{Duration, Instant};

/// Reads a source that must be accepted.
fn load(format: SourceFormat, source: &str) -> Loaded {
    read::read(format, source.as_bytes(), "brief", &MemoryAssets::default())
        .unwrap_or_else(|e| panic!("the source is refused: {e}"))
}

/// Renders in all three formats with the default theme; every one must succeed and every XML
/// part of the DOCX and EPUB must be well-formed.
fn build(loaded: &Loaded) -> Vec<(Format, Rendered)> {
    Format::ALL
        .into_iter()
        .map(|f| {
            let r = f
                .render(&loaded.article, &Theme::default())
                .unwrap_or_else(|e| panic!("{f:?}: {e}"));
            if f != Format::Pdf {
                for (name, xml) in xml_parts(&r.bytes) {
                    parse(&xml).unwrap_or_else(|e| panic!("{f:?} {name}: {e}"));
                }
            }
            (f, r)
        })
        .collect()
}

fn rendered(outputs: &[(Format, Rendered)], format: Format) -> &Rendered {
    &outputs.iter().find(|(f, _)| *f == format).unwrap().1
}

/// The XML members of a ZIP container, as text.
fn xml_parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().to_owned();
        if [".xml", ".rels", ".xhtml", ".opf", ".ncx"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            out.push((name, text));
        }
    }
    out
}

fn parse(xml: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(xml, options)
}

/// The text of the DOCX body (`w:t` runs of word/document.xml, concatenated).
fn docx_text(bytes: &[u8]) -> String {
    let (_, xml) = xml_parts(bytes)
        .into_iter()
        .find(|(n, _)| n == "word/document.xml")
        .expect("word/document.xml");
    let doc = parse(&xml).unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == "t")
        .filter_map(|n| n.text())
        .collect()
}

/// The text of every XHTML document of the EPUB, concatenated.
fn epub_text(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (name, xml) in xml_parts(bytes) {
        if name.ends_with(".xhtml") {
            let doc = parse(&xml).unwrap();
            out.extend(doc.descendants().filter_map(|n| n.text()));
        }
    }
    out
}

/// Every XML part of an output, concatenated (to look for characters that must not be there).
fn all_xml(bytes: &[u8]) -> String {
    xml_parts(bytes).into_iter().map(|(_, x)| x).collect()
}

fn warned(loaded: &Loaded, outputs: &[(Format, Rendered)], needle: &str) -> bool {
    loaded
        .warnings
        .iter()
        .chain(outputs.iter().flat_map(|(_, r)| r.warnings.iter()))
        .any(|w| w.message.contains(needle))
}

const FRONT: &str = "---\ntitle: Hostile\n---\n\n";

// ---- hostile classes that must hold regardless ----------------------------------------------

#[test]
fn markdown_quotes_1000_deep_build_without_stack_overflow() {
    let source = format!("{FRONT}{}deepest words\n", "> ".repeat(1000));
    let loaded = load(SourceFormat::Markdown, &source);
    assert!(warned(&loaded, &[], "nesting deeper than"));
    let out = build(&loaded);
    assert!(docx_text(&rendered(&out, Format::Docx).bytes).contains("deepest words"));
    assert!(epub_text(&rendered(&out, Format::Epub).bytes).contains("deepest words"));
}

#[test]
fn markdown_lists_1000_deep_build_without_stack_overflow() {
    let source: String = std::iter::once(FRONT.to_owned())
        .chain((0..1000).map(|i| format!("{}- level {i}\n", "  ".repeat(i))))
        .collect();
    let loaded = load(SourceFormat::Markdown, &source);
    assert!(warned(&loaded, &[], "nesting deeper than"));
    let out = build(&loaded);
    for text in [
        docx_text(&rendered(&out, Format::Docx).bytes),
        epub_text(&rendered(&out, Format::Epub).bytes),
    ] {
        assert!(text.contains("level 0") && text.contains("level 999"));
    }
}

/// One line of 200 000 `> ` (or `- `, or emphasis in emphasis): every level used to count the
/// levels open above it, and each flattened level moved its content into its parent, so reading
/// took time in the square of the depth (18 s for a 200 KB line of quotes in a release build).
/// Reading is now linear (tests/bench/nesting.sh measures 50 k to 200 k levels); the bound
/// catches a return of the quadratic step, not speed: 20 s, as for the other hostile files.
#[test]
fn markdown_200000_levels_of_quotes_lists_or_emphasis_read_in_linear_time() {
    let n = 200_000;
    let bodies = [
        ("quotes", format!("{}deepest words", "> ".repeat(n))),
        ("lists", format!("{}deepest words", "- ".repeat(n))),
        (
            "emphasis",
            format!("{}deepest words{}", "*a ".repeat(n), " b*".repeat(n)),
        ),
    ];
    for (what, body) in bodies {
        let source = format!("{FRONT}{body}\n");
        let started = Instant::now();
        let loaded = load(SourceFormat::Markdown, &source);
        let spent = started.elapsed();
        assert!(
            spent < Duration::from_secs(20),
            "200 000 levels of {what} took {spent:?} to read"
        );
        assert!(warned(&loaded, &[], "nesting deeper than"), "{what}");
        let epub = Format::Epub
            .render(&loaded.article, &Theme::default())
            .unwrap();
        assert!(epub_text(&epub.bytes).contains("deepest words"), "{what}");
    }
}

#[test]
fn json_quotes_1000_deep_build_without_stack_overflow() {
    let paragraph = r#"{"type":"paragraph","content":[{"type":"text","text":"deepest words"}]}"#;
    let source = format!(
        r#"{{"meta":{{"title":"Hostile"}},"blocks":[{}{paragraph}{}]}}"#,
        r#"{"type":"quote","blocks":["#.repeat(1000),
        "]}".repeat(1000)
    );
    let loaded = load(SourceFormat::Json, &source);
    assert!(warned(&loaded, &[], "nesting deeper than"));
    let out = build(&loaded);
    assert!(docx_text(&rendered(&out, Format::Docx).bytes).contains("deepest words"));
    assert!(epub_text(&rendered(&out, Format::Epub).bytes).contains("deepest words"));
}

#[test]
fn json_nested_beyond_the_depth_bound_is_refused_with_its_line_and_column() {
    let source = format!(
        r#"{{"meta":{{"title":"T"}},"blocks":{}"#,
        "[".repeat(100_000)
    );
    let started = Instant::now();
    let err = read::read(
        SourceFormat::Json,
        source.as_bytes(),
        "brief",
        &MemoryAssets::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("deeper than"), "{err}");
    let at = err.location();
    // the outer object is level 1, so the 4 000th `[` (after 31 characters) is level 4 001
    assert_eq!((at.line, at.column), (Some(1), Some(31 + 4_000)));
    // The bound catches a hang (an alias expanded without limit runs for minutes), not speed:
    // 20 s is the README's bound for a hostile file (Hostile input), and leaves room for a loaded debug build.
    assert!(started.elapsed() < Duration::from_secs(20));
}

/// A single paragraph of 5 MB (about 830 000 words). The release build's figure is in
/// tests/fuzz/README.md; here it must simply finish, in all three formats.
#[test]
fn five_megabyte_single_paragraph_builds() {
    let words = [
        "lorem",
        "ipsum",
        "dolor",
        "sit",
        "amet,",
        "consectetur",
        "adipiscing",
        "elit",
    ];
    let mut body = String::with_capacity(5_000_100);
    let mut i = 0;
    while body.len() < 5_000_000 {
        body.push_str(words[i % words.len()]);
        body.push(' ');
        i += 1;
    }
    body.push_str("lastword\n");
    let loaded = load(SourceFormat::Markdown, &format!("{FRONT}{body}"));
    let out = build(&loaded);
    assert!(docx_text(&rendered(&out, Format::Docx).bytes).ends_with("lastword"));
    assert!(epub_text(&rendered(&out, Format::Epub).bytes).contains("lastword"));
    assert!(rendered(&out, Format::Pdf).bytes.len() > 100_000);
}

#[test]
fn word_of_200000_characters_builds() {
    let word = "x".repeat(200_000);
    let loaded = load(
        SourceFormat::Markdown,
        &format!("{FRONT}before {word} after\n"),
    );
    let started = Instant::now();
    let out = build(&loaded);
    assert!(docx_text(&rendered(&out, Format::Docx).bytes).contains(&word));
    assert!(epub_text(&rendered(&out, Format::Epub).bytes).contains(&word));
    // Regression: the shaper once found each glyph's cluster text by a linear search, so one
    // word of n characters cost n² steps (700 s for this word in a debug build); it now costs
    // n log n (1.6 s in a debug build).
    let spent = started.elapsed();
    assert!(
        spent < Duration::from_secs(20),
        "200 000-character word took {spent:?}"
    );
}

#[test]
fn scripts_and_emoji_the_fonts_lack_build_with_a_warning_and_survive_in_docx_and_epub() {
    let samples = [
        "𒀀 cuneiform",
        "😀 emoji",
        "\u{0378} unassigned",
        "ภาษาไทย Thai",
        "हिन्दी Devanagari",
        "العربية Arabic",
    ];
    let source = format!("{FRONT}{}\n", samples.join("; "));
    let loaded = load(SourceFormat::Markdown, &source);
    let out = build(&loaded);
    let pdf = &rendered(&out, Format::Pdf).warnings;
    // The symbol face and the system's Noto faces draw the scripts and the emoji now; only
    // the unassigned code point is in no font.
    assert!(
        pdf.iter().any(|w| w.message.contains('\u{0378}')),
        "no PDF warning names U+0378: {pdf:?}"
    );
    for c in ['𒀀', '😀', 'ภ', 'ह', 'ع'] {
        assert!(
            // The characters named come before the words quoted around them.
            !pdf.iter().any(|w| w
                .message
                .split(", in “")
                .next()
                .is_some_and(|m| m.contains(c))),
            "a PDF warning names {c}, which a face has: {pdf:?}"
        );
    }
    let docx = docx_text(&rendered(&out, Format::Docx).bytes);
    let epub = epub_text(&rendered(&out, Format::Epub).bytes);
    for s in samples {
        assert!(docx.contains(s), "DOCX lost {s}");
        assert!(epub.contains(s), "EPUB lost {s}");
    }
}

#[test]
fn control_characters_are_dropped_from_xml_outputs_with_a_warning() {
    let source = format!("{FRONT}one\u{1}two\u{B}three\u{FFFE}four\n");
    let loaded = load(SourceFormat::Markdown, &source);
    let out = build(&loaded);
    for format in [Format::Docx, Format::Epub] {
        let r = rendered(&out, format);
        let xml = all_xml(&r.bytes);
        for c in ['\u{1}', '\u{B}', '\u{FFFE}'] {
            assert!(!xml.contains(c), "{format:?} keeps U+{:04X}", u32::from(c));
        }
        assert!(
            r.warnings.iter().any(|w| w.message.contains("dropped")),
            "{format:?} gave no warning: {:?}",
            r.warnings
        );
    }
    assert!(docx_text(&rendered(&out, Format::Docx).bytes).contains("onetwothreefour"));
    assert!(epub_text(&rendered(&out, Format::Epub).bytes).contains("onetwothreefour"));
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    // "billion laughs": nine levels of ten aliases each would expand to 10⁹ strings, inside a
    // key the model knows, so it cannot be refused as an unknown key first.
    let mut source = String::from(
        "---\ntitle: T\nkeywords:\n  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let aliases = vec![format!("*a{}", i - 1); 10].join(", ");
        source.push_str(&format!("  - &a{i} [{aliases}]\n"));
    }
    source.push_str("---\n\nBody.\n");
    let started = Instant::now();
    let err = read::read(
        SourceFormat::Markdown,
        source.as_bytes(),
        "brief",
        &MemoryAssets::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("YAML"), "{err}");
    assert!(err.location().line.is_some(), "names the line: {err}");
    // The bound catches a hang (an alias expanded without limit runs for minutes), not speed:
    // 20 s is the README's bound for a hostile file (Hostile input), and leaves room for a loaded debug build.
    assert!(started.elapsed() < Duration::from_secs(20));
}
