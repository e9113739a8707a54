//! CommonMark conformance: every example of the CommonMark spec (0.31.2, as the published
//! pulldown-cmark crate carries it; tests/fixtures/commonmark/) is read as a brief's body and
//! rendered in all three formats, and every word a reader sees in the example's expected HTML
//! must be in each format, in order: the PDF read back with pdftotext and with mutool, the
//! DOCX's and the EPUB's XML text. Images are served (any relative path gets a small PNG), so
//! figures are built as they would be with the files present.
//!
//! Where SPEC gives Markdown another meaning than HTML does, the example is listed in
//! [`EXCLUDED`] with the rule; everything else must pass.

use crate::properties::xml_text;
use crate::sample::png;
use crate::tools::{in_order, require, run, scratch};
use briefpress::read::{Assets, SourceFormat, read};
use briefpress::render::Format;
use briefpress::theme::Theme;
use rayon::prelude::*;
use std::process::Command;

/// Examples left out, with the reason. SPEC gives none of the spec's examples another meaning
/// once images are served (below), and every character of every example now has a face (the
/// Malayalam of example 27 comes from the system's Noto, which `.ci/run` installs), so none is.
const EXCLUDED: &[(u32, &str)] = &[];

#[derive(serde::Deserialize)]
struct Example {
    example: u32,
    markdown: String,
    text: String,
}

/// Every relative image path is a small PNG.
struct AnyImage(Vec<u8>);

impl Assets for AnyImage {
    fn read(&self, _path: &str) -> std::io::Result<Vec<u8>> {
        Ok(self.0.clone())
    }
}

fn examples() -> Vec<Example> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/commonmark/spec.json"
    );
    let text = std::fs::read_to_string(path).expect("the spec examples");
    serde_json::from_str(&text).expect("spec.json parses")
}

/// The PDF's text as pdftotext and as mutool read it.
fn pdf_texts(bytes: &[u8]) -> Result<Vec<(&'static str, String)>, String> {
    let dir = scratch();
    let path = dir.path().join("e.pdf");
    std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
    let (ok, poppler, err) = run(Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-"));
    if !ok {
        return Err(format!("pdftotext failed: {err}"));
    }
    let (ok, mupdf, err) = run(Command::new("mutool")
        .args(["draw", "-q", "-F", "txt", "-o", "-"])
        .arg(&path));
    if !ok {
        return Err(format!("mutool failed: {err}"));
    }
    Ok(vec![("PDF (pdftotext)", poppler), ("PDF (mutool)", mupdf)])
}

/// The example as a brief's source. SPEC refuses an image path that is absolute (a source must
/// not embed `/etc/passwd`), and the spec's images all point at `/url`-like paths: in an
/// example with an image, destinations lose their leading `/`, so the figures are built with
/// their files present instead of the brief being refused. Destinations are not words a
/// reader sees, so the expected text is unchanged.
fn source(e: &Example) -> String {
    let body = if e.markdown.contains("![") {
        e.markdown.replace("](/", "](").replace("]: /", "]: ")
    } else {
        e.markdown.clone()
    };
    format!("---\ntitle: Example {}\n---\n\n{body}", e.example)
}

/// Reads and renders one example; the first format that lacks a word is the error.
fn check(e: &Example, assets: &AnyImage, theme: &Theme) -> Result<(), String> {
    let source = source(e);
    let loaded = read(SourceFormat::Markdown, source.as_bytes(), "example", assets)
        .map_err(|err| format!("read failed: {err}"))?;
    let article = loaded.article;
    let mut texts = Vec::new();
    for format in Format::ALL {
        let out = format
            .render(&article, theme)
            .map_err(|err| format!("{format:?} failed: {err}"))?;
        match format {
            Format::Pdf => texts.extend(pdf_texts(&out.bytes)?),
            Format::Docx => texts.push((
                "DOCX",
                xml_text(&out.bytes, |n| {
                    n.starts_with("word/") && !n.contains("styles")
                })?,
            )),
            Format::Epub => texts.push(("EPUB", xml_text(&out.bytes, |n| n.ends_with(".xhtml"))?)),
        }
    }
    for (name, got) in texts {
        in_order(&e.text, &got).map_err(|err| format!("{name}: {err}"))?;
    }
    Ok(())
}

#[test]
fn every_commonmark_example_keeps_every_word_in_every_format() {
    if !require("pdftotext") || !require("mutool") {
        return;
    }
    let all = examples();
    assert!(all.len() >= 650, "only {} examples", all.len());
    let assets = AnyImage(png(8, 6).data.to_vec());
    let theme = Theme::default();
    let excluded = |n: u32| EXCLUDED.iter().any(|(x, _)| *x == n);
    let failures: Vec<(u32, String)> = all
        .par_iter()
        .filter(|e| !excluded(e.example))
        .filter_map(|e| check(e, &assets, &theme).err().map(|err| (e.example, err)))
        .collect();
    let checked = all.len() - EXCLUDED.len();
    let report: Vec<String> = failures
        .iter()
        .map(|(n, err)| {
            let md = &all[all.iter().position(|e| e.example == *n).unwrap_or(0)].markdown;
            format!("example {n} {md:?}: {err}")
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {checked} examples lose words ({} excluded):\n{}",
        failures.len(),
        EXCLUDED.len(),
        report.join("\n")
    );
}
