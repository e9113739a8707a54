//! Theme keys in the DOCX and the EPUB: each key of a theme file (built here, its fonts the
//! embedded Noto faces under other names) changes what it should, read back as parsed XML and
//! CSS; a theme without page furniture keeps the document as before; fonts are embedded in the
//! EPUB only when asked and allowed; both epubchecks stay clean.

use crate::{sample, tools};
use briefpress::render::{Rendered, docx, epub};
use briefpress::theme::{Theme, ThemeFile};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::Command;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const OPF: &str = "http://www.idpf.org/2007/opf";
const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// A second institute's look: every key differs from the default.
const THEME: &str = r##"
[publisher]
name = "Instituto Andino & Co"
logo = "logo.png"

[page]
size = "custom"
width_mm = 200
height_mm = 250
margin_top_mm = 31
margin_bottom_mm = 21
margin_left_mm = 19
margin_right_mm = 23

[type]
base_size_pt = 10
leading = 1.5
heading_scale = 1.3

[fonts]
embed_in_epub = true
[fonts.body]
name = "Andino Serif"
regular = "fonts/serif-r.ttf"
italic = "fonts/serif-i.ttf"
bold = "fonts/serif-b.ttf"
bold_italic = "fonts/serif-bi.ttf"
[fonts.heading]
name = "Andino Sans"
regular = "fonts/sans-r.ttf"
bold = "fonts/sans-b.ttf"

[colors]
text = "#102030"
accent = "#8C1428"
rule = "#4B6E2A"

[text]
header = "Andino · Policy Brief"
footer = "andino.example.org"
"##;

/// A 4 : 1 PNG logo.
fn logo_png() -> Vec<u8> {
    sample::png(400, 100).data.to_vec()
}

/// The theme a file's text describes, its files served from memory: the logo, and the
/// repository's Noto faces under the names the file gives.
fn theme_from(text: &str, logo: Vec<u8>, fs_type_of_serif_italic: Option<u16>) -> Theme {
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    let mut load = |path: &str| -> std::io::Result<Vec<u8>> {
        let file = match path {
            "logo.png" | "logo.svg" => return Ok(logo.clone()),
            "fonts/serif-r.ttf" => "NotoSerif-Regular.ttf",
            "fonts/serif-i.ttf" => {
                let mut data = std::fs::read(fonts.join("NotoSerif-Italic.ttf"))?;
                if let Some(t) = fs_type_of_serif_italic {
                    set_fs_type(&mut data, t);
                }
                return Ok(data);
            }
            "fonts/serif-b.ttf" => "NotoSerif-Bold.ttf",
            "fonts/serif-bi.ttf" => "NotoSerif-BoldItalic.ttf",
            "fonts/sans-r.ttf" => "NotoSans-Regular.ttf",
            "fonts/sans-b.ttf" => "NotoSans-Bold.ttf",
            other => panic!("the test theme names no file {other}"),
        };
        std::fs::read(fonts.join(file))
    };
    ThemeFile::parse(text)
        .expect("theme parses")
        .into_theme(text, &mut load)
        .expect("theme loads")
}

fn themed() -> Theme {
    theme_from(THEME, logo_png(), None)
}

/// Overwrites a font's OS/2 `fsType` (the table checksum goes stale; nothing here checks it).
fn set_fs_type(font: &mut [u8], fs_type: u16) {
    let n = u16::from_be_bytes([font[4], font[5]]) as usize;
    for i in 0..n {
        let rec = 12 + 16 * i;
        if &font[rec..rec + 4] == b"OS/2" {
            let off = u32::from_be_bytes(font[rec + 8..rec + 12].try_into().unwrap()) as usize;
            font[off + 8..off + 10].copy_from_slice(&fs_type.to_be_bytes());
            return;
        }
    }
    panic!("no OS/2 table");
}

/// Every entry of a zip, by name.
fn entries(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("entry reads");
            (f.name().to_owned(), data)
        })
        .collect()
}

fn text_of(entries: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(
        entries
            .get(name)
            .unwrap_or_else(|| panic!("{name} missing"))
            .clone(),
    )
    .expect("UTF-8")
}

fn doc(xml: &str) -> roxmltree::Document<'_> {
    // The XHTML content documents open with `<!DOCTYPE html>`.
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(xml, options).expect("well-formed XML")
}

fn is_w(node: &roxmltree::Node, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(W) && node.tag_name().name() == name
}

fn w<'a>(node: roxmltree::Node<'a, '_>, attr: &str) -> Option<&'a str> {
    node.attribute((W, attr))
}

/// A `w:style`'s run property value (`w:sz`, `w:color` …) and its `w:rFonts` ascii face.
struct StyleFacts {
    size: Option<String>,
    color: Option<String>,
    font: Option<String>,
}

fn style(styles: &roxmltree::Document, id: &str) -> StyleFacts {
    let s = styles
        .descendants()
        .find(|n| is_w(n, "style") && w(*n, "styleId") == Some(id))
        .unwrap_or_else(|| panic!("style {id} missing"));
    let rpr = s.children().find(|n| is_w(n, "rPr"));
    let val = |name: &str| {
        rpr.and_then(|r| r.children().find(|n| is_w(n, name)))
            .and_then(|n| w(n, "val"))
            .map(str::to_owned)
    };
    StyleFacts {
        size: val("sz"),
        color: val("color"),
        font: rpr
            .and_then(|r| r.children().find(|n| is_w(n, "rFonts")))
            .and_then(|n| w(n, "ascii"))
            .map(str::to_owned),
    }
}

fn half_points(pt: f32) -> String {
    ((pt * 2.0).round() as i64).to_string()
}

fn twips_mm(mm: f32) -> String {
    ((mm * 72.0 / 25.4 * 20.0).round() as i64).to_string()
}

fn render_docx(theme: &Theme) -> Rendered {
    docx::render(&sample::colombia(), theme).expect("docx renders")
}

#[test]
fn docx_styles_take_the_theme_fonts_sizes_and_colours() {
    let out = render_docx(&themed());
    let e = entries(&out.bytes);
    let xml = text_of(&e, "word/styles.xml");
    let styles = doc(&xml);

    let normal = style(&styles, "Normal");
    assert_eq!(normal.font.as_deref(), Some("Andino Serif"));
    assert_eq!(normal.size, Some(half_points(10.0)));
    assert_eq!(normal.color.as_deref(), Some("102030"));
    // Heading level 3 is one step of 1.3 above the 10 pt body, level 1 three, the title four.
    for (id, steps) in [
        ("Heading3", 1),
        ("Heading2", 2),
        ("Heading1", 3),
        ("Title", 4),
    ] {
        let s = style(&styles, id);
        assert_eq!(s.size, Some(half_points(10.0 * 1.3f32.powi(steps))), "{id}");
        assert_eq!(s.color.as_deref(), Some("8C1428"), "{id}");
        assert_eq!(s.font.as_deref(), Some("Andino Sans"), "{id}");
    }
    assert_eq!(style(&styles, "Hyperlink").color.as_deref(), Some("8C1428"));
    assert_eq!(style(&styles, "Credit").color.as_deref(), Some("4B6E2A"));
    // The quote bar is a left border in the rule colour.
    let quote_bar = styles
        .descendants()
        .find(|n| is_w(n, "style") && w(*n, "styleId") == Some("Quote"))
        .and_then(|s| s.descendants().find(|n| is_w(n, "left")))
        .and_then(|b| w(b, "color"));
    assert_eq!(quote_bar, Some("4B6E2A"));

    // The font table names the theme's families, not the embedded Noto.
    let fonts_xml = text_of(&e, "word/fontTable.xml");
    let fonts = doc(&fonts_xml);
    let names: Vec<_> = fonts
        .descendants()
        .filter(|n| is_w(n, "font"))
        .filter_map(|n| w(n, "name"))
        .collect();
    assert_eq!(names, ["Andino Serif", "Andino Sans"]);
    assert!(!fonts_xml.contains("Noto"));

    // The default theme's sizes differ, so the keys are what changed them.
    let default = render_docx(&Theme::default());
    let dxml = text_of(&entries(&default.bytes), "word/styles.xml");
    let dstyles = doc(&dxml);
    assert_eq!(
        style(&dstyles, "Heading1").size,
        Some(half_points(11.0 * Theme::default().heading_scale.powi(3)))
    );
    assert_eq!(
        style(&dstyles, "Normal").font.as_deref(),
        Some("Noto Serif")
    );
}

#[test]
fn docx_page_size_and_margins_come_from_the_theme() {
    let out = render_docx(&themed());
    let e = entries(&out.bytes);
    let xml = text_of(&e, "word/document.xml");
    let d = doc(&xml);
    let sect = d
        .descendants()
        .find(|n| is_w(n, "sectPr"))
        .expect("a section");
    let pg = sect.children().find(|n| is_w(n, "pgSz")).expect("pgSz");
    assert_eq!(w(pg, "w"), Some(twips_mm(200.0).as_str()));
    assert_eq!(w(pg, "h"), Some(twips_mm(250.0).as_str()));
    let mar = sect.children().find(|n| is_w(n, "pgMar")).expect("pgMar");
    for (side, mm) in [
        ("top", 31.0),
        ("bottom", 21.0),
        ("left", 19.0),
        ("right", 23.0),
    ] {
        assert_eq!(w(mar, side), Some(twips_mm(mm).as_str()), "{side}");
    }
}

/// The part a section reference points to, through `document.xml.rels`.
fn referenced_part(e: &BTreeMap<String, Vec<u8>>, rel_id: &str) -> String {
    let rels = text_of(e, "word/_rels/document.xml.rels");
    let d = doc(&rels);
    let target = d
        .descendants()
        .find(|n| n.attribute("Id") == Some(rel_id))
        .and_then(|n| n.attribute("Target"))
        .unwrap_or_else(|| panic!("relationship {rel_id} missing"))
        .to_owned();
    format!("word/{target}")
}

#[test]
fn docx_first_page_header_holds_the_logo_and_later_pages_the_running_header_and_folio() {
    let theme = themed();
    let out = render_docx(&theme);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let e = entries(&out.bytes);
    let xml = text_of(&e, "word/document.xml");
    let d = doc(&xml);
    let sect = d
        .descendants()
        .find(|n| is_w(n, "sectPr"))
        .expect("a section");
    assert!(sect.children().any(|n| is_w(&n, "titlePg")));
    let reference = |kind: &str, pages: &str| {
        sect.children()
            .find(|n| is_w(n, kind) && w(*n, "type") == Some(pages))
            .and_then(|n| n.attribute((R, "id")))
            .map(|id| referenced_part(&e, id))
    };

    // Page 1: the logo, inline, 12 mm high, 4 : 1 like the file, alt text the publisher.
    let first = reference("headerReference", "first").expect("a first-page header");
    let first_xml = text_of(&e, &first);
    let h = doc(&first_xml);
    let inline = h
        .descendants()
        .find(|n| n.tag_name().namespace() == Some(WP) && n.tag_name().name() == "inline")
        .expect("the logo is an inline picture");
    let extent = inline
        .children()
        .find(|n| n.tag_name().name() == "extent")
        .expect("extent");
    let cx: f64 = extent.attribute("cx").unwrap().parse().unwrap();
    let cy: f64 = extent.attribute("cy").unwrap().parse().unwrap();
    assert!(
        (cy / 36_000.0 - 12.0).abs() < 0.01,
        "height {} mm",
        cy / 36_000.0
    );
    assert!((cx / cy - 4.0).abs() < 0.001, "aspect {}", cx / cy);
    let doc_pr = inline
        .children()
        .find(|n| n.tag_name().name() == "docPr")
        .expect("docPr");
    assert_eq!(doc_pr.attribute("descr"), Some("Instituto Andino & Co"));
    let embed = h
        .descendants()
        .find(|n| n.tag_name().namespace() == Some(A) && n.tag_name().name() == "blip")
        .and_then(|n| n.attribute((R, "embed")))
        .expect("blip");
    let rels_name = format!("word/_rels/{}.rels", first.trim_start_matches("word/"));
    let rels_xml = text_of(&e, &rels_name);
    let rels = doc(&rels_xml);
    let target = rels
        .descendants()
        .find(|n| n.attribute("Id") == Some(embed))
        .and_then(|n| n.attribute("Target"))
        .expect("the logo's relationship");
    assert_eq!(e.get(&format!("word/{target}")), Some(&logo_png()));
    assert!(!first_xml.contains("Andino · Policy Brief"));

    // Later pages: the running header.
    let running = reference("headerReference", "default").expect("a running header");
    assert!(text_of(&e, &running).contains(">Andino · Policy Brief<"));

    // Every page: the footer text and a PAGE field.
    for pages in ["default", "first"] {
        let footer = reference("footerReference", pages).expect("a footer");
        let fxml = text_of(&e, &footer);
        let f = doc(&fxml);
        let texts: Vec<_> = f
            .descendants()
            .filter(|n| is_w(n, "t"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(texts.first(), Some(&"andino.example.org"));
        let instr: String = f
            .descendants()
            .filter(|n| is_w(n, "instrText"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(instr.trim(), "PAGE");
    }

    // Every part is declared in the content types.
    let types = text_of(&e, "[Content_Types].xml");
    for part in [&first, &running] {
        assert!(types.contains(&format!("PartName=\"/{part}\"")), "{part}");
    }
}

#[test]
fn docx_without_logo_header_or_footer_has_no_page_furniture() {
    let out = render_docx(&Theme::default());
    let e = entries(&out.bytes);
    assert!(
        !e.keys()
            .any(|n| n.contains("header") || n.contains("footer"))
    );
    let xml = text_of(&e, "word/document.xml");
    assert!(!xml.contains("titlePg") && !xml.contains("headerReference"));

    // A footer alone: the folio on every page, no first-page header.
    let theme = Theme {
        footer: Some("example.org".into()),
        ..Theme::default()
    };
    let e = entries(&render_docx(&theme).bytes);
    let xml = text_of(&e, "word/document.xml");
    assert!(!xml.contains("titlePg") && !xml.contains("headerReference"));
    assert_eq!(xml.matches("footerReference").count(), 1);
}

/// An SVG logo as a hostile theme supplier writes one: a script, event handlers, a remote
/// image, a local file, a remote stylesheet and a `javascript:` link around a shape.
const HOSTILE_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="160" height="40" onload="alert(1)">
<script>alert(2)</script>
<style>@import url(https://evil.example/s.css);</style>
<rect width="160" height="40" fill="#8C1428" onclick="alert(3)"/>
<image href="https://evil.example/pixel.png" width="10" height="10"/>
<image xlink:href="file:///etc/passwd" width="10" height="10"/>
<a href="javascript:alert(4)"><circle cx="20" cy="20" r="10" fill="#fff"/></a>
</svg>"##;

#[test]
fn svg_logo_is_clean_in_the_epub_and_drawn_in_the_docx() {
    let text = THEME.replace("logo.png", "logo.svg");
    let theme = theme_from(&text, HOSTILE_SVG.as_bytes().to_vec(), None);

    // EPUB: the logo is an SVG file in the manifest, with none of the hostile content.
    let out = render_epub(&theme);
    assert!(
        !out.warnings.iter().any(|w| w.to_string().contains("logo")),
        "{:?}",
        out.warnings
    );
    let e = entries(&out.bytes);
    let svg = text_of(&e, "OEBPS/images/logo.svg");
    for bad in [
        "script",
        "onload",
        "onclick",
        "alert",
        "https:",
        "file:",
        "passwd",
        "@import",
        "javascript",
        "<image",
    ] {
        assert!(!svg.contains(bad), "`{bad}` in the EPUB's logo:\n{svg}");
    }
    assert!(svg.contains("<path"), "the shapes are kept: {svg}");
    let opf = text_of(&e, "OEBPS/content.opf");
    assert!(
        !opf.contains("scripted") && !opf.contains("remote-resources"),
        "{opf}"
    );
    if tools::require("java") {
        let dir = tools::scratch();
        let path = dir.path().join("svg-logo.epub");
        std::fs::write(&path, &out.bytes).unwrap();
        for jar in tools::epubcheck_jars() {
            let (_, stdout, stderr) =
                tools::run(Command::new("java").arg("-jar").arg(&jar).arg(&path));
            let report = format!("{stdout}{stderr}");
            assert!(
                report.contains("0 fatals / 0 errors / 0 warnings"),
                "{}: {report}",
                jar.display()
            );
        }
    }

    // DOCX: the raster stands in the first-page header.
    let out = render_docx(&theme);
    assert!(
        !out.warnings.iter().any(|w| w.to_string().contains("logo")),
        "{:?}",
        out.warnings
    );
    let e = entries(&out.bytes);
    let logo = e.get("word/media/logo.png").expect("the logo's raster");
    assert!(logo.starts_with(b"\x89PNG"));
    assert!(!String::from_utf8_lossy(logo).contains("alert"));
}

#[test]
fn themed_docx_and_epub_are_the_same_bytes_twice() {
    let theme = themed();
    let article = sample::colombia();
    assert_eq!(
        docx::render(&article, &theme).unwrap().bytes,
        docx::render(&article, &theme).unwrap().bytes
    );
    assert_eq!(
        epub::render(&article, &theme).unwrap().bytes,
        epub::render(&article, &theme).unwrap().bytes
    );
}

/// The stylesheet's rules as (selector, declarations) pairs, comments removed.
fn css_rules(css: &str) -> Vec<(String, String)> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..].split_once("*/").map_or("", |(_, r)| r);
    }
    text.push_str(rest);
    text.split('}')
        .filter_map(|r| r.split_once('{'))
        .map(|(s, d)| (s.trim().to_owned(), d.trim().to_owned()))
        .collect()
}

fn declarations<'a>(rules: &'a [(String, String)], selector: &str) -> Vec<&'a str> {
    rules
        .iter()
        .filter(|(s, _)| s.split(',').any(|x| x.trim() == selector))
        .flat_map(|(_, d)| d.split(';').map(str::trim))
        .filter(|d| !d.is_empty())
        .collect()
}

fn render_epub(theme: &Theme) -> Rendered {
    epub::render(&sample::hard(), theme).expect("epub renders")
}

/// The manifest's items as (href, media-type).
fn manifest(e: &BTreeMap<String, Vec<u8>>) -> Vec<(String, String)> {
    let opf = text_of(e, "OEBPS/content.opf");
    let d = doc(&opf);
    d.descendants()
        .filter(|n| n.tag_name().namespace() == Some(OPF) && n.tag_name().name() == "item")
        .map(|n| {
            (
                n.attribute("href").unwrap_or_default().to_owned(),
                n.attribute("media-type").unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn epub_css_takes_the_theme_colours_in_relative_units() {
    let mut theme = themed();
    theme.embed_fonts_in_epub = false;
    let e = entries(&render_epub(&theme).bytes);
    let css = text_of(&e, "OEBPS/stylesheet.css");
    let rules = css_rules(&css);
    assert!(declarations(&rules, "body").contains(&"color: #102030"));
    for h in ["h1", "h2", "h3", "h4", "a"] {
        assert!(declarations(&rules, h).contains(&"color: #8C1428"), "{h}");
    }
    let has = |sel: &str, prop: &str, colour: &str| {
        declarations(&rules, sel)
            .iter()
            .any(|d| d.starts_with(prop) && d.ends_with(colour))
    };
    assert!(has("hr", "border-top", "#4B6E2A"));
    assert!(has("blockquote", "border-left", "#4B6E2A"));
    // Relative units only: no absolute lengths anywhere, no placeholder left.
    let absolute = regex_free_units(&css);
    assert!(absolute.is_empty(), "absolute lengths: {absolute:?}");
    assert!(!css.contains('@') || css.contains("@font-face"), "{css}");
    // No fonts when the theme does not ask for them.
    assert!(!css.contains("@font-face") && !css.contains("font-family: \"Andino"));
    assert!(!manifest(&e).iter().any(|(_, t)| t.starts_with("font/")));

    // The default theme's colours differ, so the keys are what changed them.
    let d = entries(&render_epub(&Theme::default()).bytes);
    let dcss = text_of(&d, "OEBPS/stylesheet.css");
    assert!(declarations(&css_rules(&dcss), "body").contains(&"color: #1A1A1A"));
}

/// Every number followed by an absolute CSS unit (px, pt, pc, cm, mm, in, q).
fn regex_free_units(css: &str) -> Vec<String> {
    let mut found = Vec::new();
    let chars: Vec<char> = css.chars().collect();
    for i in 0..chars.len() {
        if !chars[i].is_ascii_digit() {
            continue;
        }
        let unit: String = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        if ["px", "pt", "pc", "cm", "mm", "in", "q"].contains(&unit.to_ascii_lowercase().as_str()) {
            found.push(format!("{}{unit}", chars[i]));
        }
    }
    found
}

#[test]
fn epub_title_block_opens_with_the_logo_named_after_the_publisher() {
    let e = entries(&render_epub(&themed()).bytes);
    let xhtml = text_of(&e, "OEBPS/text.xhtml");
    let d = doc(&xhtml);
    let header = d
        .descendants()
        .find(|n| n.tag_name().name() == "header" && n.attribute("class") == Some("title-block"))
        .expect("title block");
    let first = header
        .children()
        .find(|n| n.is_element())
        .expect("title block has children");
    assert_eq!(first.tag_name().namespace(), Some(XHTML));
    assert_eq!(first.tag_name().name(), "img");
    assert_eq!(first.attribute("alt"), Some("Instituto Andino & Co"));
    let src = first.attribute("src").expect("src");
    assert!(
        manifest(&e)
            .iter()
            .any(|(h, t)| h == src && t == "image/png"),
        "{src} in the manifest"
    );
    assert_eq!(e.get(&format!("OEBPS/{src}")), Some(&logo_png()));
}

/// The `@font-face` rules as (family, weight, style, url).
fn font_faces(css: &str) -> Vec<(String, String, String, String)> {
    css_rules(css)
        .into_iter()
        .filter(|(s, _)| s == "@font-face")
        .map(|(_, d)| {
            let get = |k: &str| {
                d.split(';')
                    .filter_map(|x| x.trim().split_once(':'))
                    .find(|(p, _)| p.trim() == k)
                    .map(|(_, v)| v.trim().to_owned())
                    .unwrap_or_default()
            };
            let url = get("src")
                .trim_start_matches("url(\"")
                .trim_end_matches("\")")
                .to_owned();
            (
                get("font-family"),
                get("font-weight"),
                get("font-style"),
                url,
            )
        })
        .collect()
}

#[test]
fn epub_embeds_fonts_only_when_asked_and_allowed_and_passes_epubcheck() {
    let dir = tools::scratch();
    let mut checked = Vec::new();

    // Asked, allowed: the six files the theme names (the sans italic faces fall back to the
    // regular and bold files, which are stored once), each declared and in the manifest.
    let out = render_epub(&themed());
    let e = entries(&out.bytes);
    let css = text_of(&e, "OEBPS/stylesheet.css");
    let faces = font_faces(&css);
    assert_eq!(faces.len(), 8, "{faces:?}");
    let fonts: Vec<_> = manifest(&e)
        .into_iter()
        .filter(|(_, t)| t == "font/ttf")
        .map(|(h, _)| h)
        .collect();
    assert_eq!(fonts.len(), 6, "{fonts:?}");
    for (family, _, _, url) in &faces {
        assert!(family == "\"Andino Serif\"" || family == "\"Andino Sans\"");
        assert!(fonts.contains(url), "{url} in the manifest");
        assert!(e.contains_key(&format!("OEBPS/{url}")));
    }
    assert!(
        declarations(&css_rules(&css), "body").contains(&"font-family: \"Andino Serif\", serif")
    );
    let path = dir.path().join("embedded.epub");
    std::fs::write(&path, &out.bytes).unwrap();
    checked.push(path);

    // Asked, but one face forbids it (restricted licence): that face alone is left out.
    let restricted = theme_from(THEME, logo_png(), Some(0x0002));
    let out = render_epub(&restricted);
    let e = entries(&out.bytes);
    let faces = font_faces(&text_of(&e, "OEBPS/stylesheet.css"));
    assert_eq!(faces.len(), 7);
    assert!(
        !faces
            .iter()
            .any(|(f, w, s, _)| f == "\"Andino Serif\"" && w == "normal" && s == "italic")
    );
    assert!(
        out.warnings.iter().any(|w| w
            .to_string()
            .contains("Andino Serif italic is not embedded")),
        "{:?}",
        out.warnings
    );

    // Not asked: no font files.
    let mut theme = themed();
    theme.embed_fonts_in_epub = false;
    let out = render_epub(&theme);
    assert!(!entries(&out.bytes).keys().any(|n| n.contains("fonts/")));
    let path = dir.path().join("plain.epub");
    std::fs::write(&path, &out.bytes).unwrap();
    checked.push(path);

    if !tools::require("java") {
        return;
    }
    let jars = tools::epubcheck_jars();
    // Each java run costs seconds of start-up: run the four side by side.
    let reports: Vec<(String, String)> = std::thread::scope(|s| {
        let runs: Vec<_> = jars
            .iter()
            .flat_map(|jar| checked.iter().map(move |epub| (jar, epub)))
            .map(|(jar, epub)| {
                s.spawn(move || {
                    let (_, stdout, stderr) =
                        tools::run(Command::new("java").arg("-jar").arg(jar).arg(epub));
                    (
                        format!("{} on {}", jar.display(), epub.display()),
                        format!("{stdout}{stderr}"),
                    )
                })
            })
            .collect();
        runs.into_iter()
            .map(|r| r.join().expect("epubcheck thread"))
            .collect()
    });
    for (what, report) in reports {
        assert!(
            report.contains("0 fatals / 0 errors / 0 warnings"),
            "{what}: {report}"
        );
    }
}
