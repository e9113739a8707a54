//! Word sources (`.docx`): what briefpress wrote reads back to the article it came from;
//! documents other tools wrote (python-docx, LibreOffice, pandoc) read as pandoc reads them;
//! hostile packages are refused with a one-line reason.

use super::cli::briefpress;
use super::tools;
use briefpress::read::{self, Loaded, MemoryAssets, SourceFormat};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/docx").join(name)
}

fn read_docx(bytes: &[u8]) -> Result<Loaded, briefpress::error::Error> {
    read::read(SourceFormat::Docx, bytes, "brief", &MemoryAssets::default())
}

/// `briefpress inspect --json` of a source, as JSON.
fn inspect(path: &Path) -> Value {
    let o = briefpress(&repo(), &["inspect", "--json", path.to_str().unwrap()]);
    assert!(
        o.status.success(),
        "inspect {}: {}",
        path.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Drops what a Word package cannot carry the same way: image paths (the package names its
/// own parts) and note labels (Word numbers notes; labels become 1, 2 … in order), and joins a
/// quote nested in a quote into it (Word's Quote style has no depth).
fn normalise(v: &mut Value) {
    let mut labels: Vec<String> = Vec::new();
    if let Some(notes) = v.get("notes").and_then(Value::as_array) {
        labels = notes
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect();
    }
    fn walk(v: &mut Value, labels: &[String]) {
        match v {
            Value::Object(map) => {
                map.remove("src");
                if map.get("type").and_then(Value::as_str) == Some("footnote_ref")
                    && let Some(Value::String(id)) = map.get_mut("id")
                {
                    let n = labels.iter().position(|l| l == id).unwrap() + 1;
                    *id = n.to_string();
                }
                if map.get("type").and_then(Value::as_str) == Some("quote")
                    && let Some(Value::Array(blocks)) = map.get_mut("blocks")
                {
                    let mut flat = Vec::new();
                    for b in blocks.drain(..) {
                        if b["type"] == "quote" {
                            flat.extend(b["blocks"].as_array().unwrap().iter().cloned());
                        } else {
                            flat.push(b);
                        }
                    }
                    *blocks = flat;
                }
                // Neighbouring text runs are one text (the Markdown reader leaves a dead link's
                // text beside its neighbours).
                if let Some(Value::Array(inlines)) = map.get_mut("content") {
                    let mut merged: Vec<Value> = Vec::new();
                    for i in inlines.drain(..) {
                        match merged.last_mut() {
                            Some(last) if last["type"] == "text" && i["type"] == "text" => {
                                let joined = format!(
                                    "{}{}",
                                    last["text"].as_str().unwrap(),
                                    i["text"].as_str().unwrap()
                                );
                                last["text"] = Value::String(joined);
                            }
                            _ => merged.push(i),
                        }
                    }
                    *inlines = merged;
                }
                for (_, x) in map.iter_mut() {
                    walk(x, labels);
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, labels)),
            _ => {}
        }
    }
    walk(v, &labels);
    if let Some(Value::Array(notes)) = v.get_mut("notes") {
        for (i, n) in notes.iter_mut().enumerate() {
            n["id"] = Value::String((i + 1).to_string());
        }
    }
}

const TABLE_BRIEF: &str = "---\ntitle: Tables brief\nauthors:\n  - name: Ana Ruiz\n    affiliation: Centre (North)\ndate: 2026-03-01\nlanguage: es\n---\n\nIntro with a [link to the end](#después).\n\nTable: Budget by year Fuente: Eurostat\n\n| Year | Budget | Note |\n|:-----|-------:|:----:|\n| 2025 | 10 | *up* |\n| 2026 | 12 | **down** |\n\n| A | B |\n|---|---|\n| x | y |\n\n## Después\n\n1. one\n2. two\n\n   A second paragraph.\n\n   - nested\n\n3. three\n";

#[test]
fn every_fixture_reads_back_from_the_docx_briefpress_wrote() {
    let out = tools::scratch();
    let table = out.path().join("tables.md");
    std::fs::write(&table, TABLE_BRIEF).unwrap();
    let mut sources = vec![
        repo().join("tests/fixtures/conformance/hard-brief.md"),
        repo().join("tests/fixtures/conformance/long-brief.md"),
        repo().join("tests/fixtures/conformance/informe-breve.txt"),
        repo().join("tests/fixtures/pack/trade-corridors.md"),
        repo().join("tests/fixtures/pack/port-security.txt"),
        repo().join("tests/fixtures/pagination/long-footnote.md"),
        repo().join("source/us-colombia-ties.txt"),
        repo().join("source/us-colombia-ties-edited.md"),
        table,
    ];
    // The briefs in other languages: their table labels ("Tableau 1.", "表1："), source lines
    // and bylines (full-width brackets in Chinese and Japanese) read back. Not Polish: its ties
    // are no-break spaces in the DOCX, and come back as such.
    for tag in [
        "en", "es", "pt", "fr", "de", "it", "nl", "ru", "uk", "tr", "ar", "he", "zh", "ja",
    ] {
        sources.push(repo().join(format!("tests/fixtures/languages/{tag}.md")));
    }
    for src in &sources {
        let o = briefpress(
            &repo(),
            &[
                "build",
                "-q",
                "-f",
                "docx",
                "-o",
                out.path().to_str().unwrap(),
                src.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let stem = src.file_stem().unwrap().to_str().unwrap();
        let docx = out.path().join(format!("{stem}.docx"));
        let mut want = inspect(src);
        let mut got = inspect(&docx);
        normalise(&mut want);
        normalise(&mut got);
        assert_eq!(
            serde_json::to_string_pretty(&got).unwrap(),
            serde_json::to_string_pretty(&want).unwrap(),
            "{stem}: the .docx reads back differently"
        );
    }
}

/// The plain words of an article in reading order, as pandoc's plain text has them: the
/// photo's alt text, caption and credit, the body, then the notes (title and other metadata
/// are not in pandoc's body).
fn body_words(a: &Value) -> String {
    words_of(a, false)
}

/// [`body_words`], a table's caption before its cells or, as pandoc prints a caption it takes
/// for the table's, after them.
fn words_of(a: &Value, caption_last: bool) -> String {
    fn inl(v: &Value, out: &mut String) {
        for i in v.as_array().into_iter().flatten() {
            match i["type"].as_str().unwrap() {
                "text" | "code" => out.push_str(i["text"].as_str().unwrap()),
                "line_break" => out.push(' '),
                "footnote_ref" => {}
                _ => inl(&i["content"], out),
            }
        }
    }
    fn blocks(v: &Value, out: &mut String, caption_last: bool) {
        for b in v.as_array().into_iter().flatten() {
            out.push(' ');
            match b["type"].as_str().unwrap() {
                "heading" | "paragraph" => inl(&b["content"], out),
                "quote" => blocks(&b["blocks"], out, caption_last),
                "list" => {
                    for item in b["items"].as_array().unwrap() {
                        blocks(item, out, caption_last);
                    }
                }
                "figure" => figure(&b["figure"], out),
                "table" => {
                    let t = &b["table"];
                    let caption = t["caption"].as_str().unwrap_or("");
                    if !caption_last {
                        out.push_str(caption);
                    }
                    for rows in [&t["head"], &t["body"]] {
                        for row in rows.as_array().into_iter().flatten() {
                            for c in row.as_array().unwrap() {
                                out.push(' ');
                                inl(&c["content"], out);
                            }
                        }
                    }
                    out.push(' ');
                    if caption_last {
                        out.push_str(caption);
                        out.push(' ');
                    }
                    out.push_str(t["source"].as_str().unwrap_or(""));
                }
                _ => {}
            }
        }
    }
    fn figure(f: &Value, out: &mut String) {
        for k in ["alt", "caption", "credit"] {
            out.push(' ');
            out.push_str(f[k].as_str().unwrap_or(""));
        }
    }
    let mut out = String::new();
    if !a["photo"].is_null() {
        figure(&a["photo"], &mut out);
    }
    blocks(&a["blocks"], &mut out, caption_last);
    for n in a["notes"].as_array().into_iter().flatten() {
        blocks(&n["blocks"], &mut out, caption_last);
    }
    out
}

#[test]
fn documents_other_tools_wrote_read_every_word_pandoc_reads_in_order() {
    if !tools::require("pandoc") {
        return;
    }
    for name in ["python-docx.docx", "libreoffice.docx", "pandoc.docx"] {
        let path = fixture(name);
        let ours = body_words(&inspect(&path));
        let (ok, theirs, err) = tools::run(
            std::process::Command::new("pandoc")
                .args(["-f", "docx", "-t", "plain", "--wrap=none"])
                .arg(&path),
        );
        assert!(ok, "pandoc {name}: {err}");
        // Every word we read is in pandoc's text, in order …
        tools::in_order(&ours, &theirs).unwrap_or_else(|e| panic!("{name}: {e}"));
        // … and pandoc reads no word we lost: both ways, so the words are the same, but for
        // the markers briefpress takes off (a caption's "Credit:", a table's "Table 1:"),
        // pandoc's note numbers and a caption pandoc repeats under its table.
        let ours_words = tools::words(&ours);
        let mut k = 0;
        let mut lost = Vec::new();
        for w in tools::words(&theirs) {
            if k < ours_words.len() && ours_words[k] == w {
                k += 1;
            } else if !(w.chars().all(|c| c.is_ascii_digit())
                || ["credit", "table"].contains(&w.as_str()))
            {
                lost.push(w);
            }
        }
        let allowed: &[&str] = if name == "pandoc.docx" {
            &["values", "by", "year"]
        } else {
            &[]
        };
        lost.retain(|w| !allowed.contains(&w.as_str()));
        assert!(lost.is_empty(), "{name}: briefpress lost {lost:?}");
    }
}

/// The words each side has that the other lacks, by a longest common subsequence: pandoc's
/// words we do not read, then ours pandoc does not (a greedy walk would take a table of
/// contents' "Summary" for the heading's and lose every word after it).
fn word_diff(ours: &[String], theirs: &[String]) -> (Vec<String>, Vec<String>) {
    let (n, m) = (ours.len(), theirs.len());
    let mut len = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            len[i][j] = if ours[i] == theirs[j] {
                len[i + 1][j + 1] + 1
            } else {
                len[i + 1][j].max(len[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut lost, mut extra) = (Vec::new(), Vec::new());
    while i < n || j < m {
        if i < n && j < m && ours[i] == theirs[j] {
            i += 1;
            j += 1;
        } else if j < m && (i == n || len[i][j + 1] >= len[i + 1][j]) {
            lost.push(theirs[j].clone());
            j += 1;
        } else {
            extra.push(ours[i].clone());
            i += 1;
        }
    }
    (lost, extra)
}

/// Pandoc's plain text without its list items' marks ("1.", "a.", "iv)", "-"): numbers Word
/// shows but the text does not hold.
fn without_list_marks(text: &str) -> String {
    text.lines()
        .map(|line| {
            let rest = line.trim_start();
            let mark = rest.split_whitespace().next().unwrap_or("");
            let body = mark.strip_suffix(['.', ')']).unwrap_or("");
            let is_mark = mark == "-"
                || (!body.is_empty()
                    && (body.chars().all(|c| c.is_ascii_digit())
                        || (body.len() == 1 && body.chars().all(|c| c.is_ascii_lowercase()))
                        || body.chars().all(|c| "ivxlc".contains(c))));
            if is_mark && rest.len() > mark.len() {
                rest[mark.len()..].to_owned()
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each allowed difference: the words, and why.
type Allowed = &'static [(&'static str, &'static str)];

/// Takes each allowed difference's words out of `words`, the phrase whole where it first
/// occurs; a phrase that is not there fails (the difference is gone: drop it from the list).
fn without(mut words: Vec<String>, allowed: Allowed) -> Vec<String> {
    for (phrase, why) in allowed {
        let want = tools::words(phrase);
        let at = words
            .windows(want.len())
            .position(|w| w == want.as_slice())
            .unwrap_or_else(|| panic!("allowed difference “{phrase}” ({why}) is not there"));
        words.drain(at..at + want.len());
    }
    words
}

#[test]
fn documents_word_saved_read_every_word_pandoc_reads_in_order() {
    if !tools::require("pandoc") {
        return;
    }
    // What pandoc reads and we do not.
    let lost_365: Allowed = &[(
        "Contents Summary 1 Where the hours go 1 Recommendations 2",
        "the table of contents is left out (Word's copy of the headings with its page numbers)",
    )];
    let lost_de: Allowed = &[(
        "Was Zollstellen für Impfstofftransporte tun können",
        "the subtitle: its style's id is Subtitle, its name Untertitel; pandoc goes by the name \
         and keeps it in the body, we go by the id too and make it the dek",
    )];
    // What we read and pandoc 2.17 does not.
    let extra_365: Allowed = &[
        (
            "Box 1 three numbers 90 hours of cold 31 hours of queue 4 agencies",
            "a text box (wps, with its VML copy): pandoc drops text boxes",
        ),
        (
            "Map of the four crossings on the Pan-American Highway",
            "an anchored picture's alt text (wp:anchor docPr descr): pandoc reads it for inline \
             pictures only",
        ),
    ];
    let extra_de: Allowed = &[
        (
            "Zahlen Quellen stehen in der Fußnote",
            "runs inside inline custom XML (w:customXml), which Word shows: pandoc drops them",
        ),
        (
            "Diagramm Wartezeit je Grenzübergang",
            "a VML picture's title (v:imagedata o:title) as alt text: pandoc reads none",
        ),
    ];
    // Pandoc takes the caption above the first table for the table's, and prints it under
    // the table; the German one it leaves a paragraph above (the table is in a content control).
    for (name, caption_last, allowed_lost, allowed_extra) in [
        ("word-365.docx", true, lost_365, extra_365),
        ("word-de.docx", false, lost_de, extra_de),
    ] {
        let path = fixture(name);
        let ours = words_of(&inspect(&path), caption_last);
        let (ok, theirs, err) = tools::run(
            std::process::Command::new("pandoc")
                .args(["-f", "docx", "-t", "plain", "--wrap=none"])
                .arg(&path),
        );
        assert!(ok, "pandoc {name}: {err}");
        let (lost, extra) = word_diff(
            &without(tools::words(&ours), allowed_extra),
            &without(tools::words(&without_list_marks(&theirs)), allowed_lost),
        );
        // Pandoc's note marks ([1]) and the labels briefpress takes off table captions
        // ("Table 1:", "Tabelle 1:") are not words of the text.
        let lost: Vec<String> = lost
            .into_iter()
            .filter(|w| {
                !(w.chars().all(|c| c.is_ascii_digit())
                    || ["table", "tabelle"].contains(&w.as_str()))
            })
            .collect();
        assert!(lost.is_empty(), "{name}: briefpress lost {lost:?}");
        assert!(
            extra.is_empty(),
            "{name}: briefpress read {extra:?}, which pandoc does not"
        );
    }
}

fn warnings_of(loaded: &Loaded) -> Vec<String> {
    loaded.warnings.iter().map(|w| w.to_string()).collect()
}

/// The headings as (level, text), in order.
fn headings(a: &briefpress::article::Article) -> Vec<(u8, String)> {
    a.blocks
        .iter()
        .filter_map(|b| match b {
            briefpress::article::Block::Heading { level, content } => Some((
                *level,
                briefpress::article::plain_text(content).trim().to_owned(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn a_document_word_365_saved_reads_as_word_shows_it() {
    let loaded = read_docx(&std::fs::read(fixture("word-365.docx")).unwrap()).unwrap();
    let a = &loaded.article;
    assert_eq!(a.meta.title, "Cold chains across borders");
    assert_eq!(
        a.meta.subtitle.as_deref(),
        Some("Why vaccine shipments stall at customs — and five fixes")
    );
    assert_eq!(a.meta.language, "en-GB");
    // The TOC's "Contents" (TOC Heading, based on heading 1) is no heading.
    assert_eq!(
        headings(a),
        [
            (1, "Summary".to_owned()),
            (2, "Where the hours go".to_owned()),
            (1, "Recommendations".to_owned())
        ]
    );
    assert_eq!(a.notes.len(), 2);
    let json = serde_json::to_string(a).unwrap();
    for want in [
        // Bullets with a nested level; a numbered list; the next one restarted at 1.
        r#"[{"type":"paragraph","content":[{"type":"text","text":"reefer plugs that run out at the yard;"}]},{"type":"list","ordered":false,"start":1,"items":[[{"type":"paragraph","content":[{"type":"text","text":"one sub-point: the plugs are metered by the hour"}]}]]}]"#,
        r#"{"type":"list","ordered":true,"start":1,"items":[[{"type":"paragraph","content":[{"type":"text","text":"publish the queue in real time;"}]}],"#,
        r#"{"type":"list","ordered":true,"start":1,"items":[[{"type":"paragraph","content":[{"type":"text","text":"fund reefer plugs;"}]}],"#,
        // Tracked changes accepted: the insertion and the moved words once, where they went.
        r#"{"type":"text","text":"Customs agencies seldom share risk scores with each other, so a trusted shipper is inspected "},{"type":"strong","content":[{"type":"text","text":"again"}]},{"type":"text","text":" at every border across the isthmus."}"#,
        // Tab, no-break hyphen, `<` and `&`, soft hyphen, Symbol's arrow, w:cr.
        "\"Rule of thumb: cold\u{2011}chain days < customs days & the cargo is lost. Ad\u{AD}ministrations in São Paulo, Peñas Blancas and Mérida agree → faster clearance.\"},{\"type\":\"line_break\"}",
        // A HYPERLINK \l field holding a REF field: a link to the heading's anchor.
        r##"{"type":"link","url":"#recommendations","content":[{"type":"text","text":"the recommendations"}]}"##,
        r#"{"type":"text","text":" first, on page 2, or the "},{"type":"link","url":"https://example.org/customs-union/data?region=ca&year=2025""#,
        // Pictures: inline (its SVG copy not taken) and anchored, with their alt text.
        r#""src":"word/media/image1.png","alt":"Bar chart: hours lost per consignment, by crossing","caption":"Figure 1: Hours lost at four crossings, 2025""#,
        r#""src":"word/media/image3.png","alt":"Map of the four crossings on the Pan-American Highway""#,
        // The text box, after its paragraph.
        r#"{"type":"paragraph","content":[{"type":"text","text":"Box 1 — three numbers"}]}"#,
        // The table: its header row, a row in a content control, its caption without "Table 1:".
        r#""caption":"Waiting time by crossing","align":["default","default","default"],"head":[[{"content":[{"type":"strong","content":[{"type":"text","text":"Crossing"}]}]},{"content":[{"type":"strong","content":[{"type":"text","text":"Hours"}]}]},{"content":[{"type":"strong","content":[{"type":"text","text":"Agencies"}]}]}]]"#,
        r#"[{"content":[{"type":"text","text":"El Amatillo"}]},{"content":[{"type":"text","text":"22"}]},{"content":[{"type":"text","text":"3"}]}]"#,
        r#"{"type":"text","text":"Last updated 30 November 2026. Placeholder left in a content control: Click or tap here to enter text."}"#,
    ] {
        assert!(json.contains(want), "missing {want}\nin {json}");
    }
    for gone in [
        "rarely",
        "struck in review",
        "Spell out AEO",
        "Glossary text",
        "Contents",
    ] {
        assert!(!json.contains(gone), "{gone} is read");
    }
    assert_eq!(json.matches("across the isthmus").count(), 1);
    let table = a
        .blocks
        .iter()
        .find_map(|b| match b {
            briefpress::article::Block::Table { table } => Some(table),
            _ => None,
        })
        .unwrap();
    assert_eq!((table.head.len(), table.body.len()), (1, 3));
    let warnings = warnings_of(&loaded);
    for want in [
        "tracked changes",
        "comments are dropped",
        "table of contents (a Word field) is left out",
    ] {
        assert!(
            warnings.iter().any(|w| w.contains(want)),
            "{want}: {warnings:?}"
        );
    }
    assert_eq!(warnings.len(), 3, "{warnings:?}");
}

#[test]
fn a_document_german_word_saved_reads_by_the_styles_english_names() {
    let loaded = read_docx(&std::fs::read(fixture("word-de.docx")).unwrap()).unwrap();
    let a = &loaded.article;
    // "Titel" is named Title; "Subtitle" is named Untertitel (the id decides).
    assert_eq!(a.meta.title, "Kühlketten über Grenzen");
    assert_eq!(
        a.meta.subtitle.as_deref(),
        Some("Was Zollstellen für Impfstofftransporte tun können")
    );
    assert_eq!(a.meta.language, "de-DE");
    assert_eq!(
        headings(a),
        [
            (1, "Ausgangslage".to_owned()),
            (2, "Empfehlungen".to_owned())
        ]
    );
    assert_eq!(a.notes.len(), 1);
    let json = serde_json::to_string(a).unwrap();
    for want in [
        // Nested smart tags and custom XML unwrapped.
        r#"" durch; an der Grenze bei Frankfurt (Oder) wartet er im Mittel 31 Stunden – „zu lange“, sagen die Spediteure. Zahlen & Quellen stehen in der Fußnote."},{"type":"footnote_ref","id":"1"}"#,
        // The VML picture with its title as alt text.
        r#""alt":"Diagramm: Wartezeit je Grenzübergang","caption":"Abbildung 1: Wartezeiten 2025""#,
        // A list whose levels come from a numbering style (w:numStyleLink), the second level
        // overridden to letters: numbered, nested.
        r#"{"type":"list","ordered":true,"start":1,"items":[[{"type":"paragraph","content":[{"type":"text","text":"Zollstellen sollten Daten teilen;"}]},{"type":"list","ordered":true,"start":1,"items":[[{"type":"paragraph","content":[{"type":"text","text":"Risikoprofile gegenseitig anerkennen;"}]}]]}],[{"type":"paragraph","content":[{"type":"text","text":"Kühlstrom an jedem Übergang bereitstellen."}]}]]}"#,
        r#"{"type":"quote","blocks":[{"type":"paragraph","content":[{"type":"text","text":"„Eine Spur für die Fracht, keine Wartenummer.“"}]}]}"#,
        // The table in a content control: "Tabelle 1:" taken off, the deleted row gone, the
        // inserted one kept.
        r#""caption":"Übergänge im Vergleich""#,
        r#""body":[[{"content":[{"type":"text","text":"Frankfurt (Oder)"}]},{"content":[{"type":"text","text":"31"}]}],[{"content":[{"type":"text","text":"Świecko"}]},{"content":[{"type":"text","text":"27"}]}]]"#,
    ] {
        assert!(json.contains(want), "missing {want}\nin {json}");
    }
    assert!(!json.contains("Görlitz"));
    // The OLE object's metafile preview is not a figure.
    assert_eq!(a.figures().len(), 1);
    assert!(!json.contains(".emf"));
    let warnings = warnings_of(&loaded);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("embedded object (OLE") && w.contains("left out")),
        "{warnings:?}"
    );
    assert!(warnings.iter().any(|w| w.contains("tracked changes")));
}

#[test]
fn python_docx_and_libreoffice_copies_read_alike() {
    let mut read = Vec::new();
    for name in ["python-docx.docx", "libreoffice.docx"] {
        let loaded = read_docx(&std::fs::read(fixture(name)).unwrap()).unwrap();
        let a = &loaded.article;
        assert_eq!(a.meta.title, "Ports and corridors", "{name}");
        assert_eq!(
            a.meta.subtitle.as_deref(),
            Some("Why goods wait at the border")
        );
        let names: Vec<&str> = a.meta.authors.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["Ana Ruiz", "Bo Li"], "{name}");
        let photo = a.photo.as_ref().expect("the first picture is the photo");
        assert_eq!(photo.alt, "A green square standing for a container yard");
        assert_eq!(photo.caption, "Trucks queue at the Peñas Blancas crossing.");
        assert_eq!(photo.credit.as_deref(), Some("Harbour Desk"));
        assert_eq!(photo.image.as_ref().unwrap().width, 40);
        let warnings: Vec<String> = loaded.warnings.iter().map(|w| w.to_string()).collect();
        assert!(
            warnings.iter().any(|w| w.contains("tracked changes")),
            "{name}: {warnings:?}"
        );
        assert!(warnings.iter().any(|w| w.contains("comments are dropped")));
        let mut article = loaded.article.clone();
        article.meta.keywords.clear(); // LibreOffice joins them with a space
        for fig in [&mut article.photo].into_iter().flatten() {
            fig.image = None;
        }
        // Tables: LibreOffice says "left" where python-docx says nothing.
        let text = serde_json::to_string(&article)
            .unwrap()
            .replace("\"left\"", "\"default\"");
        read.push(text);
    }
    assert_eq!(
        read[0], read[1],
        "LibreOffice's copy reads as python-docx's"
    );
    for want in [
        // nested bullets ("List Bullet 2"), a numbered list, a header row, links of both kinds
        r#"{"type":"list","ordered":false,"start":1,"items":[[{"type":"paragraph","content":[{"type":"text","text":"First bullet"}]},{"type":"list","ordered":false,"start":1,"items":[[{"type":"paragraph","content":[{"type":"text","text":"Nested bullet"}]}]]}]"#,
        r#"{"type":"list","ordered":true,"start":1,"items":[[{"type":"paragraph","content":[{"type":"text","text":"Step one"}]}],"#,
        r#""caption":"Waiting hours by crossing","align":["default","default","default"],"head":[[{"content":[{"type":"text","text":"Crossing"}]}"#,
        r#"{"type":"link","url":"https://example.org/field","content":[{"type":"text","text":"the field target"}]}"#,
        r#"{"type":"text","text":"Kept text inserted words and a field link to "}"#,
        r#"{"type":"code","text":"code_sample()"}"#,
        r#"{"type":"text","text":". Curly “quotes” & <angles> survive."}"#,
    ] {
        assert!(read[0].contains(want), "missing {want}\nin {}", read[0]);
    }
    assert!(!read[0].contains("deleted words"));
}

#[test]
fn pandocs_docx_keeps_notes_nested_lists_and_the_table() {
    let loaded = read_docx(&std::fs::read(fixture("pandoc.docx")).unwrap()).unwrap();
    let a = &loaded.article;
    assert_eq!(a.meta.title, "Corridor notes");
    assert_eq!(a.meta.language, "es");
    assert_eq!(a.meta.authors[0].name, "Ana Ruiz");
    assert_eq!(a.notes.len(), 2);
    let json = serde_json::to_string(a).unwrap();
    for want in [
        r#"{"type":"footnote_ref","id":"1"}"#,
        r#"{"type":"list","ordered":false,"start":1,"items":[[{"type":"paragraph","content":[{"type":"text","text":"Sub a"}]}]"#,
        r#""caption":"Values by year","align":["right","left"]"#,
        r##"{"type":"link","url":"#opening","content":[{"type":"text","text":"Opening"}]}"##,
        r#"{"type":"emphasis","content":[{"type":"text","text":"styled"}]}"#,
    ] {
        assert!(json.contains(want), "missing {want}\nin {json}");
    }
}

/// A package with the given entries (deflated).
fn package(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

fn document(body: &str) -> String {
    format!("<?xml version=\"1.0\"?><w:document {W}><w:body>{body}</w:body></w:document>")
}

fn refused(bytes: &[u8]) -> String {
    let e = read_docx(bytes)
        .expect_err("the package is refused")
        .to_string();
    assert!(!e.contains('\n'), "one line: {e}");
    e
}

#[test]
fn a_zip_bomb_is_refused_by_the_expansion_ratio() {
    // 40 MiB of spaces deflate to about 40 KiB: a thousand times the file's size.
    let filler = vec![b' '; 40 * 1024 * 1024];
    let mut doc = document("<w:p><w:r><w:t>x</w:t></w:r></w:p>").into_bytes();
    doc.extend_from_slice(&filler);
    let bytes = package(&[("word/document.xml", &doc)]);
    assert!(bytes.len() < 1024 * 1024, "{}", bytes.len());
    let e = refused(&bytes);
    assert!(
        e.contains("zip bomb") && e.contains("word/document.xml"),
        "{e}"
    );
}

#[test]
fn too_many_entries_are_refused() {
    let names: Vec<String> = (0..10_001).map(|i| format!("x/{i}")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let e = refused(&package(&entries));
    assert!(e.contains("10000 allowed"), "{e}");
}

#[test]
fn a_doctype_and_entities_are_refused() {
    let doc = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><w:document {W}><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    );
    let e = refused(&package(&[("word/document.xml", doc.as_bytes())]));
    assert!(e.contains("document type declaration"), "{e}");
    let doc = document("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>");
    let e = refused(&package(&[("word/document.xml", doc.as_bytes())]));
    assert!(e.contains("undefined entity"), "{e}");
}

#[test]
fn relationship_targets_outside_the_package_are_refused() {
    let body = document(
        "<w:p><w:r><w:t>T</w:t></w:r></w:p><w:p><w:r><w:drawing><wp:inline xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><wp:docPr id=\"1\" name=\"p\"/><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData><a:blip r:embed=\"rId9\"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
    );
    for (target, why) in [
        ("../../etc/passwd", "climbs out of the package"),
        ("file:///etc/passwd", "outside the package"),
        (
            "/etc/passwd",
            "`etc/passwd`, which the package does not hold",
        ),
    ] {
        let rels = format!(
            "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"{target}\"/></Relationships>"
        );
        let e = refused(&package(&[
            ("word/document.xml", body.as_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
        ]));
        assert!(e.contains(why), "{target}: {e}");
    }
}

#[test]
fn a_missing_main_part_is_named() {
    let e = refused(&package(&[("word/other.xml", b"<x/>")]));
    assert!(
        e.contains("no main document part (`word/document.xml`)"),
        "{e}"
    );
}

#[test]
fn protected_legacy_macro_and_non_zip_files_are_refused_with_a_reason() {
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend_from_slice(&[0; 504]);
    assert!(refused(&ole).contains("password-protected or legacy Word file"));
    let doc = document("<w:p><w:r><w:t>T</w:t></w:r></w:p>");
    let e = refused(&package(&[
        ("word/document.xml", doc.as_bytes()),
        ("word/vbaProject.bin", b"macro"),
    ]));
    assert!(e.contains("macro-enabled"), "{e}");
    let types = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.ms-word.document.macroEnabled.main+xml\"/></Types>";
    let e = refused(&package(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("word/document.xml", doc.as_bytes()),
    ]));
    assert!(e.contains("macro-enabled"), "{e}");
    assert!(refused(b"just some text").contains("not a Word .docx package"));
}

#[test]
fn an_image_beyond_the_limits_is_refused_as_from_any_source() {
    // A PNG whose header claims 30 000 × 30 000 pixels.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&30_000u32.to_be_bytes());
    ihdr.extend_from_slice(&30_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    let body = document(
        "<w:p><w:r><w:t>T</w:t></w:r></w:p><w:p><w:r><w:drawing><wp:inline xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><wp:docPr id=\"1\" name=\"p\" descr=\"big\"/><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData><a:blip r:embed=\"rId9\"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
    );
    let rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/big.png\"/></Relationships>";
    let e = refused(&package(&[
        ("word/document.xml", body.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/media/big.png", &png),
    ]));
    assert!(e.contains("word/media/big.png"), "{e}");
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn the_command_line_names_the_file_in_one_line() {
    let dir = tools::scratch();
    let path = dir.path().join("locked.docx");
    std::fs::write(
        &path,
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0],
    )
    .unwrap();
    let o = briefpress(dir.path(), &["check", "locked.docx"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("locked.docx") && lines[0].contains("password-protected"));
}

#[test]
fn a_folder_build_picks_up_docx_sources_but_not_word_lock_files() {
    let dir = tools::scratch();
    std::fs::copy(fixture("pandoc.docx"), dir.path().join("notes.docx")).unwrap();
    std::fs::write(dir.path().join("~$notes.docx"), b"lock").unwrap();
    let o = briefpress(dir.path(), &["build", "-f", "epub", "-o", "out", "."]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(dir.path().join("out/notes.epub").exists());
}

#[test]
fn a_document_without_title_style_takes_the_first_heading_then_the_property() {
    let doc = document(
        "<w:p><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr><w:r><w:t>Outline title</w:t></w:r></w:p><w:p><w:r><w:t>Body.</w:t></w:r></w:p>",
    );
    let a = read_docx(&package(&[("word/document.xml", doc.as_bytes())]))
        .unwrap()
        .article;
    assert_eq!(a.meta.title, "Outline title");
    assert_eq!(a.blocks.len(), 1);
    let doc = document(
        "<w:p><w:r><w:t>First words</w:t></w:r></w:p><w:p><w:r><w:t>Body.</w:t></w:r></w:p>",
    );
    let loaded = read_docx(&package(&[("word/document.xml", doc.as_bytes())])).unwrap();
    assert_eq!(loaded.article.meta.title, "First words");
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.to_string().contains("taken as the title"))
    );
}

/// A 1 × 1 PNG.
fn tiny_png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let chunk = |png: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        png.extend_from_slice(&body);
        png.extend_from_slice(&crc32(&body).to_be_bytes());
    };
    chunk(&mut png, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    // zlib stream of the one scanline [0, 0] (filter byte, grey pixel), stored.
    chunk(
        &mut png,
        b"IDAT",
        &[
            0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01,
        ],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

#[test]
fn endnotes_cross_references_restarts_and_anchored_pictures_read_as_word_shows_them() {
    let styles = format!(
        "<?xml version=\"1.0\"?><w:styles {W}><w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/></w:style><w:style w:type=\"paragraph\" w:styleId=\"MyHead\"><w:name w:val=\"My chapter head\"/><w:basedOn w:val=\"Heading1\"/></w:style><w:style w:type=\"paragraph\" w:styleId=\"Pull\"><w:name w:val=\"Pull quote\"/><w:basedOn w:val=\"IntenseQuote\"/></w:style><w:style w:type=\"paragraph\" w:styleId=\"IntenseQuote\"><w:name w:val=\"Intense Quote\"/></w:style><w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/></w:style></w:styles>"
    );
    let numbering = format!(
        "<?xml version=\"1.0\"?><w:numbering {W}><w:abstractNum w:abstractNumId=\"7\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"7\"/></w:num><w:num w:numId=\"2\"><w:abstractNumId w:val=\"7\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"5\"/></w:lvlOverride></w:num></w:numbering>"
    );
    let item = |num: u8, text: &str| {
        format!(
            "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"{num}\"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
        )
    };
    let body = document(&format!(
        "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t>Hand made</w:t></w:r></w:p>\
         <w:p><w:r><w:t>Lead text.</w:t></w:r></w:p>\
         <w:sdt><w:sdtContent><w:p><w:pPr><w:pStyle w:val=\"MyHead\"/></w:pPr><w:r><w:t>Chapter</w:t></w:r></w:p></w:sdtContent></w:sdt>\
         <w:p><w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr><w:r><w:t>Outlined</w:t></w:r></w:p>\
         <w:p><w:r><w:t xml:space=\"preserve\">See </w:t></w:r><w:bookmarkStart w:id=\"3\" w:name=\"_Ref1\"/><w:r><w:endnoteReference w:id=\"4\"/></w:r><w:bookmarkEnd w:id=\"3\"/><w:r><w:t xml:space=\"preserve\"> and again </w:t></w:r><w:fldSimple w:instr=\" NOTEREF _Ref1 \\h \"><w:r><w:t>i</w:t></w:r></w:fldSimple><w:ins w:id=\"9\"><w:r><w:t xml:space=\"preserve\"> added</w:t></w:r></w:ins><w:del w:id=\"10\"><w:r><w:delText> gone</w:delText></w:r></w:del><w:r><w:t>.</w:t></w:r></w:p>\
         {}{}{}{}\
         <w:p><w:pPr><w:pStyle w:val=\"Pull\"/></w:pPr><w:r><w:t>Pulled.</w:t></w:r></w:p>\
         <w:p><w:r><w:drawing><wp:anchor xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><wp:docPr id=\"1\" name=\"p\" descr=\"\" title=\"Title as alt\"/><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData><a:blip r:embed=\"rIdImg\"/></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>\
         <w:p><w:r><w:t>Tail</w:t></w:r><w:r><w:br w:type=\"page\"/></w:r><w:r><w:t xml:space=\"preserve\"> text.</w:t></w:r></w:p>",
        item(1, "one"),
        item(1, "two"),
        "<w:p><w:r><w:t>Between.</w:t></w:r></w:p>",
        item(2, "five"),
    ));
    let rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"r2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"/word/numbering.xml\"/><Relationship Id=\"r3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes\" Target=\"endnotes.xml\"/><Relationship Id=\"rIdImg\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/p.png\"/></Relationships>";
    let endnotes = format!(
        "<?xml version=\"1.0\"?><w:endnotes {W}><w:endnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:endnote><w:endnote w:id=\"4\"><w:p><w:r><w:endnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> The endnote.</w:t></w:r></w:p></w:endnote></w:endnotes>"
    );
    let png = tiny_png();
    let loaded = read_docx(&package(&[
        ("word/document.xml", body.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
        ("word/numbering.xml", numbering.as_bytes()),
        ("word/endnotes.xml", endnotes.as_bytes()),
        ("word/media/p.png", &png),
    ]))
    .unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_string(&loaded.article).unwrap();
    for want in [
        r#""title":"Hand made""#,
        r#"{"type":"heading","level":1,"content":[{"type":"text","text":"Chapter"}]}"#,
        r#"{"type":"heading","level":2,"content":[{"type":"text","text":"Outlined"}]}"#,
        r#"[{"type":"text","text":"See "},{"type":"footnote_ref","id":"1"},{"type":"text","text":" and again "},{"type":"footnote_ref","id":"1"},{"type":"text","text":" added."}]"#,
        r#"{"type":"list","ordered":true,"start":1,"items":[[{"type":"paragraph","content":[{"type":"text","text":"one"}]}],[{"type":"paragraph","content":[{"type":"text","text":"two"}]}]]}"#,
        r#"{"type":"list","ordered":true,"start":5,"items":[[{"type":"paragraph","content":[{"type":"text","text":"five"}]}]]}"#,
        r#"{"type":"quote","blocks":[{"type":"paragraph","content":[{"type":"text","text":"Pulled."}]}]}"#,
        r#""alt":"Title as alt""#,
        r#"{"type":"text","text":"Tail text."}"#,
        r#""notes":[{"id":"1","blocks":[{"type":"paragraph","content":[{"type":"text","text":"The endnote."}]}]}]"#,
    ] {
        assert!(json.contains(want), "missing {want}\nin {json}");
    }
    assert!(!json.contains("gone"));
    // The picture after body text is a figure, not the photo.
    assert!(loaded.article.photo.is_none());
    assert_eq!(loaded.article.figures()[0].image.as_ref().unwrap().width, 1);
}

#[test]
fn deep_nesting_reads_on_a_small_stack() {
    // Content controls and tables nested to the element limit, and lists indented 5 000 deep.
    let mut deep = "<w:p><w:r><w:t>core</w:t></w:r></w:p>".to_owned();
    for _ in 0..75 {
        deep = format!("<w:tbl><w:tr><w:tc>{deep}</w:tc></w:tr></w:tbl>");
    }
    for _ in 0..10 {
        deep = format!("<w:sdt><w:sdtContent>{deep}</w:sdtContent></w:sdt>");
    }
    let mut lists = String::new();
    for i in 0..5_000 {
        lists.push_str(&format!(
            "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"{}\"/></w:numPr><w:ind w:left=\"{}\"/></w:pPr><w:r><w:t>level {i}</w:t></w:r></w:p>",
            i + 1,
            (i + 1) * 10
        ));
    }
    let body = document(&format!(
        "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t>T</w:t></w:r></w:p>{deep}{lists}"
    ));
    let bytes = package(&[("word/document.xml", body.as_bytes())]);
    let loaded = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            read_docx(&bytes)
                .map(|l| (l.warnings.len(), serde_json::to_string(&l.article).unwrap()))
        })
        .unwrap()
        .join()
        .unwrap()
        .unwrap();
    assert!(loaded.1.contains("core") && loaded.1.contains("level 4999"));
    assert!(loaded.0 >= 1, "the flattening is said");
}

#[test]
fn a_part_of_millions_of_tiny_elements_is_refused_by_the_element_count() {
    // 2.5 million `<w:b/>` in 15 MB of XML, deflated to a few KiB: within the expansion
    // allowance, but its tree would take hundreds of megabytes.
    let body = document(&format!(
        "<w:p><w:r><w:rPr>{}</w:rPr><w:t>x</w:t></w:r></w:p>",
        "<w:b/>".repeat(2_500_000)
    ));
    let bytes = package(&[("word/document.xml", body.as_bytes())]);
    let e = refused(&bytes);
    assert!(
        e.contains("elements, too many for a file of its size"),
        "{e}"
    );
}

#[test]
fn a_list_that_takes_its_levels_from_a_numbering_style_is_numbered() {
    let styles = format!(
        "<?xml version=\"1.0\"?><w:styles {W}><w:style w:type=\"numbering\" w:styleId=\"Steps\"><w:name w:val=\"Steps\"/><w:pPr><w:numPr><w:numId w:val=\"3\"/></w:numPr></w:pPr></w:style></w:styles>"
    );
    let numbering = format!(
        "<?xml version=\"1.0\"?><w:numbering {W}><w:abstractNum w:abstractNumId=\"8\"><w:numStyleLink w:val=\"Steps\"/></w:abstractNum><w:abstractNum w:abstractNumId=\"9\"><w:styleLink w:val=\"Steps\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"4\"/><w:numFmt w:val=\"lowerRoman\"/></w:lvl></w:abstractNum><w:num w:numId=\"3\"><w:abstractNumId w:val=\"9\"/></w:num><w:num w:numId=\"4\"><w:abstractNumId w:val=\"8\"/></w:num></w:numbering>"
    );
    let body = document(
        "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t>T</w:t></w:r></w:p><w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"4\"/></w:numPr></w:pPr><w:r><w:t>iv</w:t></w:r></w:p>",
    );
    let rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"r2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/></Relationships>";
    let a = read_docx(&package(&[
        ("word/document.xml", body.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
        ("word/numbering.xml", numbering.as_bytes()),
    ]))
    .unwrap()
    .article;
    assert!(
        matches!(
            &a.blocks[0],
            briefpress::article::Block::List {
                ordered: true,
                start: 4,
                ..
            }
        ),
        "{:?}",
        a.blocks
    );
}

/// A paragraph holding a DrawingML picture of image relationship `rid`, with alt text `alt`
/// and whatever `extra` goes after the blip's own attributes (its extension list).
fn picture(rid: &str, alt: &str, extra: &str) -> String {
    format!(
        "<w:p><w:r><w:drawing><wp:inline xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><wp:docPr id=\"1\" name=\"Picture 1\" descr=\"{alt}\"/><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:blipFill><a:blip r:embed=\"{rid}\">{extra}</a:blip></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
}

/// The document's relationships: each (id, target) an image.
fn image_rels(images: &[(&str, &str)]) -> String {
    let mut out = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rSt\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>".to_owned();
    for (id, target) in images {
        out.push_str(&format!("<Relationship Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"{target}\"/>"));
    }
    out + "</Relationships>"
}

fn caption_styles() -> String {
    format!(
        "<?xml version=\"1.0\"?><w:styles {W}><w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/></w:style><w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/></w:style></w:styles>"
    )
}

fn para(style: Option<&str>, text: &str) -> String {
    let ppr = match style {
        Some(s) => format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>"),
        None => String::new(),
    };
    format!("<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>")
}

/// The first record of an EMF: type 1 (the header), " EMF" at offset 40.
fn emf_header() -> Vec<u8> {
    let mut emf = vec![0u8; 108];
    emf[0] = 1;
    emf[4] = 108;
    emf[40..44].copy_from_slice(b" EMF");
    emf
}

#[test]
fn pictures_in_formats_no_output_can_place_are_left_out_with_a_warning_each() {
    // A chart pasted from Excel as a metafile where the lead photo would be, with a caption;
    // then body text, a PNG, a GIF, a VML WMF (no alt text), an SVG with no PNG copy, an SVG
    // with its PNG copy (the PNG is used), and a TIFF with a caption.
    let svg_ext = "<a:extLst><a:ext uri=\"{96DAC541-7B7A-43D3-8B79-37D633B846F1}\"><asvg:svgBlip xmlns:asvg=\"http://schemas.microsoft.com/office/drawing/2016/SVG/main\" r:embed=\"rS2\"/></a:ext></a:extLst>";
    let body = document(&format!(
        "{}{}{}{}{}{}{}<w:p><w:r><w:pict><v:shape xmlns:v=\"urn:schemas-microsoft-com:vml\"><v:imagedata r:id=\"rW\" o:title=\"\" xmlns:o=\"urn:schemas-microsoft-com:office:office\"/></v:shape></w:pict></w:r></w:p>{}{}{}{}",
        para(Some("Title"), "Pictures"),
        picture("rE", "Sales by region (Excel chart)", ""),
        para(Some("Caption"), "Sales by region, 2025"),
        para(None, "Body text."),
        picture("rP", "A usable picture", ""),
        picture("rG", "Animated logo", ""),
        para(None, "Between."),
        picture("rS", "Org chart", ""),
        picture("rP2", "Drawn in SVG", svg_ext),
        picture("rT", "", ""),
        para(Some("Caption"), "Scanned letter"),
    ));
    let rels = image_rels(&[
        ("rE", "media/image1.emf"),
        ("rP", "media/image2.png"),
        ("rG", "media/image3.gif"),
        ("rW", "media/image4.wmf"),
        ("rS", "media/image5.svg"),
        ("rP2", "media/image6.png"),
        ("rS2", "media/image7.svg"),
        ("rT", "media/image8.tif"),
    ]);
    let png = tiny_png();
    let svg = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>";
    let mut wmf = vec![0xD7, 0xCD, 0xC6, 0x9A];
    wmf.extend_from_slice(&[0; 18]);
    wmf.extend_from_slice(&[1, 0, 9, 0, 0, 3]);
    let styles = caption_styles();
    let bytes = package(&[
        ("word/document.xml", body.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
        ("word/media/image1.emf", &emf_header()),
        ("word/media/image2.png", &png),
        (
            "word/media/image3.gif",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        ),
        ("word/media/image4.wmf", &wmf),
        ("word/media/image5.svg", svg),
        ("word/media/image6.png", &png),
        ("word/media/image7.svg", svg),
        ("word/media/image8.tif", b"II*\x00\x08\x00\x00\x00\x00\x00"),
    ]);
    let loaded = read_docx(&bytes).unwrap_or_else(|e| panic!("{e}"));
    let a = &loaded.article;
    // The lead photo keeps its caption, as a photo named but not shipped; the PNG after the
    // body text is not promoted to it.
    let photo = a.photo.as_ref().unwrap();
    assert_eq!(
        (
            photo.src.as_deref(),
            photo.caption.as_str(),
            photo.image.is_none()
        ),
        (None, "Sales by region, 2025", true)
    );
    let figures: Vec<(&str, bool)> = a
        .blocks
        .iter()
        .filter_map(|b| match b {
            briefpress::article::Block::Figure { figure } => {
                Some((figure.src.as_deref().unwrap(), figure.image.is_some()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        figures,
        [
            ("word/media/image2.png", true),
            ("word/media/image6.png", true)
        ]
    );
    let json = serde_json::to_string(a).unwrap();
    assert!(!json.contains("Scanned letter"), "{json}");
    assert!(json.contains("Between."));
    let warnings = warnings_of(&loaded);
    let left_out: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("cannot place"))
        .collect();
    assert_eq!(left_out.len(), 5, "{warnings:?}");
    for want in [
        &[
            "“Sales by region (Excel chart)”",
            "word/media/image1.emf",
            "EMF",
            "lead photo",
        ][..],
        &["“Animated logo”", "word/media/image3.gif", "GIF format"],
        &["`word/media/image4.wmf`", "WMF"],
        &["“Org chart”", "word/media/image5.svg", "SVG format"],
        &["`word/media/image8.tif`", "TIFF format", "with its caption"],
    ] {
        assert!(
            left_out
                .iter()
                .any(|w| want.iter().all(|s| w.contains(s)) && w.contains("PNG or JPEG")),
            "{want:?}: {left_out:?}"
        );
    }
    assert!(!warnings.iter().any(|w| w.contains("image7.svg")));

    // The brief builds in every format.
    let dir = tools::scratch();
    std::fs::write(dir.path().join("pictures.docx"), &bytes).unwrap();
    let o = briefpress(dir.path(), &["build", "-q", "-o", "out", "pictures.docx"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for ext in ["pdf", "docx", "epub"] {
        assert!(
            dir.path().join(format!("out/pictures.{ext}")).exists(),
            "{ext}"
        );
    }
}

#[test]
fn a_lead_picture_left_out_without_a_caption_leaves_no_photo_and_promotes_none() {
    let body = document(&format!(
        "{}{}{}{}",
        para(Some("Title"), "Pictures"),
        picture("rE", "", ""),
        picture("rP", "Second picture", ""),
        para(None, "Body text."),
    ));
    let rels = image_rels(&[("rE", "media/image1.emf"), ("rP", "media/image2.png")]);
    let png = tiny_png();
    let styles = caption_styles();
    let loaded = read_docx(&package(&[
        ("word/document.xml", body.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
        ("word/media/image1.emf", &emf_header()),
        ("word/media/image2.png", &png),
    ]))
    .unwrap_or_else(|e| panic!("{e}"));
    let a = &loaded.article;
    assert!(a.photo.is_none());
    assert!(matches!(
        a.blocks.first(),
        Some(briefpress::article::Block::Figure { figure }) if figure.alt == "Second picture"
    ));
    let warnings = warnings_of(&loaded);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`word/media/image1.emf`")
                && w.contains("the brief has no lead photo")),
        "{warnings:?}"
    );
}

#[test]
fn a_damaged_png_or_bytes_of_no_picture_format_still_stop_the_read() {
    let body = document(&format!(
        "{}{}",
        para(Some("Title"), "Pictures"),
        picture("rP", "Broken", "")
    ));
    let styles = caption_styles();
    let mut damaged = tiny_png();
    damaged.truncate(damaged.len() - 20);
    for (name, bytes, want) in [
        ("media/image1.png", damaged, "damaged or truncated"),
        (
            "media/image1.emf",
            b"not a picture at all".to_vec(),
            "not a JPEG or PNG",
        ),
    ] {
        let rels = image_rels(&[("rP", name)]);
        let e = read_docx(&package(&[
            ("word/document.xml", body.as_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            ("word/styles.xml", styles.as_bytes()),
            (&format!("word/{name}"), &bytes),
        ]))
        .expect_err("refused")
        .to_string();
        assert!(e.contains(want) && e.contains(name), "{name}: {e}");
    }
}

#[test]
fn wingdings_symbols_read_as_unicode_and_one_without_an_equivalent_is_named_once() {
    let body = document(&format!(
        "{}<w:p><w:r><w:sym w:font=\"Wingdings\" w:char=\"F0FC\"/><w:t xml:space=\"preserve\"> agreed </w:t><w:sym w:font=\"Wingdings\" w:char=\"F0CB\"/><w:sym w:font=\"Wingdings\" w:char=\"F0CB\"/></w:r><w:r><w:rPr><w:rFonts w:ascii=\"Wingdings\" w:hAnsi=\"Wingdings\"/></w:rPr><w:t>\u{F0E8}</w:t></w:r></w:p>",
        para(Some("Title"), "Symbols"),
    ));
    let rels = image_rels(&[]);
    let styles = caption_styles();
    let loaded = read_docx(&package(&[
        ("word/document.xml", body.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
    ]))
    .unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_string(&loaded.article.blocks).unwrap();
    assert_eq!(
        json,
        r#"[{"type":"paragraph","content":[{"type":"text","text":"✓ agreed ➔"}]}]"#
    );
    let warnings: Vec<String> = warnings_of(&loaded)
        .into_iter()
        .filter(|w| w.contains("no Unicode equivalent"))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("the Wingdings font (code F0CB)") && warnings[0].contains("(2 times)"),
        "{warnings:?}"
    );
}
