//! Font fallback: the scripts fixture (symbols, Greek, Cyrillic, Arabic, Hebrew, Devanagari,
//! Thai, Chinese, Japanese, Korean) prints without a single `.notdef` glyph, the Arabic is
//! joined, and the text copies out in logical order. Arabic, Hebrew, Devanagari, Thai and CJK
//! come from the system's fonts: Debian's fonts-noto-core and fonts-noto-cjk (`.ci/run`).

use crate::cli::{briefpress, project};
use crate::tools::{require, run, scratch};
use briefpress::article::{Article, Meta, para};
use briefpress::layout::Item;
use briefpress::theme::Theme;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds the scripts fixture into `dir`; returns the PDF's path and what the CLI printed.
fn build_fixture(dir: &Path) -> (PathBuf, String) {
    let fixture = project().join("tests/fixtures/scripts/every-script.md");
    let o = briefpress(
        &project(),
        &[
            "build",
            fixture.to_str().unwrap(),
            "-o",
            dir.to_str().unwrap(),
        ],
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{said}");
    (dir.join("every-script.pdf"), said)
}

/// Every glyph code every page's content streams show (Identity-H: two bytes a glyph).
fn shown_glyphs(pdf: &Path) -> Vec<u16> {
    let doc = lopdf::Document::load(pdf).expect("lopdf reads the PDF");
    let mut codes = Vec::new();
    for (_, page) in doc.get_pages() {
        let content = doc
            .get_and_decode_page_content(page)
            .expect("content stream decodes");
        for op in content.operations {
            let strings: Vec<&[u8]> = match op.operator.as_str() {
                "Tj" | "'" | "\"" => op.operands.iter().filter_map(|o| o.as_str().ok()).collect(),
                "TJ" => op
                    .operands
                    .iter()
                    .filter_map(|o| o.as_array().ok())
                    .flatten()
                    .filter_map(|o| o.as_str().ok())
                    .collect(),
                _ => continue,
            };
            for s in strings {
                codes.extend(
                    s.chunks(2)
                        .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)])),
                );
            }
        }
    }
    codes
}

#[test]
fn every_script_of_the_fixture_prints_without_a_notdef_glyph() {
    let dir = scratch();
    let (pdf, said) = build_fixture(dir.path());
    assert!(!said.contains("no font at hand"), "{said}");
    let codes = shown_glyphs(&pdf);
    assert!(codes.len() > 500, "only {} glyphs shown", codes.len());
    assert!(!codes.contains(&0), "a .notdef glyph is shown");
    if !require("pdftotext") {
        return;
    }
    let (ok, text, err) = run(Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-"));
    assert!(ok, "{err}");
    // pdftotext marks right-to-left runs with embedding controls; they are not words.
    let text: String = text
        .chars()
        .filter(|c| !('\u{202A}'..='\u{202E}').contains(c))
        .collect();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for words in [
        "temperatures hit −3 °C; growth ≥ 2 %",
        "costs ≈ 1.2 bn; imports →",
        "done ✓; a rate of 3 ‰",
        "Η Ελλάδα και η Κύπρος",
        "Правительство объявило",
        "أعلنت الحكومة عن خطة جديدة",
        "הממשלה הודיעה על תוכנית חדשה",
        "सरकार ने अगले वर्ष ग्रामीण क्षेत्रों में छोटे व्यवसायों",
        "รัฐบาลประกาศแผนใหม่",
        "政府宣布了一项新计划",
        "政府は来年、地方の中小企業を",
        "정부는 내년에 농촌 지역의",
    ] {
        assert!(
            flat.contains(words),
            "{words:?} not in logical order in:\n{text}"
        );
    }
}

/// A brief of one paragraph.
fn one_paragraph(meta: Meta, text: &str) -> Article {
    Article {
        meta,
        photo: None,
        blocks: vec![para(text)],
        notes: Vec::new(),
    }
}

/// Whether `s` has a letter of the Arabic block.
fn arabic(s: &str) -> bool {
    s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// Arabic set in a system face is joined: most letters take their contextual forms (initial,
/// medial, final), not the face's nominal (isolated) glyphs.
#[test]
fn arabic_from_a_fallback_face_is_joined() {
    let text =
        "أعلنت الحكومة عن خطة جديدة لدعم الشركات الصغيرة في المناطق الريفية خلال العام المقبل";
    let a = one_paragraph(Meta::new("Arabic"), text);
    let theme = Theme::default();
    let laid = briefpress::layout::layout(&a, &theme).expect("layout");
    let (mut glyphs, mut letters, mut contextual) = (0, 0, 0);
    for page in &laid.pages {
        for item in &page.items {
            let Item::Text(run) = item else { continue };
            for g in &run.glyphs {
                let t = run.glyph_text(g);
                if !arabic(t) && g.len > 0 {
                    continue;
                }
                glyphs += 1;
                letters += t.chars().filter(|c| !c.is_whitespace()).count();
                assert!(!run.face.is_theme(), "Arabic in a theme face");
                let face = laid.fonts.face(run.face);
                if let Some(c) = t.chars().next()
                    && t.chars().count() == 1
                    && face.glyph(c) != Some(g.id)
                {
                    contextual += 1;
                }
            }
        }
    }
    assert!(letters > 60, "{letters} Arabic letters laid out");
    // Noto Naskh Arabic (the body's fallback) draws lam-alef as two joined glyphs, not one
    // ligature, so the count may equal the letters; it may never exceed them.
    assert!(glyphs <= letters, "{glyphs} glyphs for {letters} letters");
    assert!(
        contextual * 2 > glyphs,
        "only {contextual} of {glyphs} glyphs in a contextual form"
    );
}

/// A script's fallback face follows the style: an Arabic title (bold, laid out first) does not
/// make the Arabic body text bold.
#[test]
fn a_fallback_face_keeps_the_weight_of_its_text() {
    let text = "أعلنت الحكومة عن خطة جديدة لدعم الشركات الصغيرة في المناطق الريفية";
    let mut meta = Meta::new("خطة جديدة لدعم الشركات");
    meta.language = "ar".into();
    let a = one_paragraph(meta, text);
    let theme = Theme::default();
    let laid = briefpress::layout::layout(&a, &theme).expect("layout");
    let mut weights = std::collections::BTreeSet::new();
    for item in &laid.pages[0].items {
        let Item::Text(run) = item else { continue };
        if !run.glyphs.iter().any(|g| arabic(run.glyph_text(g))) {
            continue;
        }
        let name = &laid.fonts.face(run.face).postscript_name;
        // The body's size is the theme's base size; the title's is larger.
        let body = (run.size - theme.base_size).abs() < 0.01;
        weights.insert((body, name.contains("Bold")));
    }
    assert!(
        weights.contains(&(false, true)),
        "no bold title: {weights:?}"
    );
    assert!(
        weights.contains(&(true, false)),
        "no regular body: {weights:?}"
    );
    assert!(
        !weights.contains(&(true, true)),
        "bold body text: {weights:?}"
    );
}

/// Thai has no spaces between words: lines break between words (ICU4X's segmenter), never
/// inside one, and no hyphen is drawn at a Thai line end.
#[test]
fn thai_lines_break_between_words() {
    let text = "รัฐบาลประกาศแผนใหม่เพื่อสนับสนุนธุรกิจขนาดเล็กในพื้นที่ชนบทในปีหน้าและจะเริ่มดำเนินการทันทีหลังจากได้รับอนุมัติจากรัฐสภาและคณะกรรมการที่เกี่ยวข้องทั้งหมด";
    let a = one_paragraph(Meta::new("Thai"), text);
    let theme = Theme::default();
    let laid = briefpress::layout::layout(&a, &theme).expect("layout");
    // The paragraph's lines, top to bottom, each its glyphs' text by x.
    let lines: Vec<String> = crate::pdf::visual_lines(&laid.pages[0], theme.base_size)
        .into_iter()
        .map(|(line, ..)| line)
        .collect();
    assert!(lines.len() >= 2, "{lines:?}");
    assert_eq!(lines.concat(), text, "text lost or doubled: {lines:?}");
    let words: Vec<usize> = icu_segmenter::LineSegmenter::new_auto(Default::default())
        .segment_str(text)
        .collect();
    let mut at = 0;
    for line in &lines[..lines.len() - 1] {
        assert!(!line.ends_with('-'), "hyphen at a Thai line end: {line}");
        at += line.len();
        assert!(words.contains(&at), "line ends inside a word: {line}");
    }
}

#[test]
fn lines_in_a_taller_face_grow_by_whole_lines_and_never_touch() {
    // Noto Serif Myanmar (fonts-noto-core) stacks its letters higher and deeper than the body
    // leading holds; Thai and Devanagari fit it.
    let myanmar = "Myanmar: မြန်မာနိုင်ငံ၏ ကျန်းမာရေး စနစ်သည် ကျေးလက်ဒေသများတွင် အားနည်းနေဆဲဖြစ်ပြီး \
        ဆေးရုံများနှင့် ကျွမ်းကျင်သော ဝန်ထမ်းများ လိုအပ်နေသည်။ The English goes on after it long \
        enough to wrap onto more lines of the page.";
    let english = "Plain English body text that runs long enough to wrap across several lines \
        of the page, so that the grid is seen before and after the other script.";
    let thai = "Thai: การพัฒนาโครงสร้างพื้นฐานด้านสาธารณสุขในชนบทยังคงเป็นความท้าทายสำคัญ \
        and the English after it goes on for a while longer on the page.";
    let a = Article {
        meta: Meta::new("Scripts"),
        photo: None,
        blocks: vec![para(english), para(myanmar), para(thai), para(english)],
        notes: Vec::new(),
    };
    let theme = Theme::default();
    let laid = briefpress::layout::layout(&a, &theme).expect("layout");
    let book = briefpress::layout::FontBook::new(&theme).expect("fonts");
    let leading = theme.base_size * theme.leading;
    // Body lines top to bottom: baseline, ink top and bottom, and whether a fallback face
    // is on it.
    let mut lines: Vec<(f32, f32, f32, bool)> = Vec::new();
    for item in &laid.pages[0].items {
        let Item::Text(run) = item else { continue };
        if (run.size - theme.base_size).abs() > 0.01 {
            continue;
        }
        let face = book.face(run.face);
        let scale = face.scale(run.size);
        let (mut top, mut bottom) = (run.origin.y, run.origin.y);
        for g in &run.glyphs {
            let (up, down) = face.ink(g.id);
            top = top.min(run.origin.y - g.rise - up * scale);
            bottom = bottom.max(run.origin.y - g.rise + down * scale);
        }
        match lines.iter_mut().find(|l| (l.0 - run.origin.y).abs() < 0.01) {
            Some(l) => {
                l.1 = l.1.min(top);
                l.2 = l.2.max(bottom);
                l.3 |= !run.face.is_theme();
            }
            None => lines.push((run.origin.y, top, bottom, !run.face.is_theme())),
        }
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert!(lines.len() >= 8, "{lines:?}");
    let mut grown = 0;
    for pair in lines.windows(2) {
        let (upper, lower) = (pair[0], pair[1]);
        assert!(
            upper.2 < lower.1,
            "ink of the line at {:.1} reaches {:.1}, into the next line's ink at {:.1}",
            upper.0,
            upper.2,
            lower.1
        );
        // Within a paragraph (no paragraph gap between them) lines are whole leadings apart.
        let steps = (lower.0 - upper.0) / leading;
        let whole = (steps - steps.round()).abs() < 0.01;
        if whole && steps.round() >= 2.0 {
            grown += 1;
            assert!(upper.3 || lower.3, "a line without a fallback face grew");
        }
    }
    assert!(grown >= 1, "no Myanmar line grew: {lines:?}");
    // Lines without a taller face keep the body's leading.
    let plain = lines
        .windows(2)
        .filter(|p| !p[0].3 && !p[1].3 && ((p[1].0 - p[0].0) / leading - 1.0).abs() < 0.01)
        .count();
    assert!(plain >= 2, "{lines:?}");
}

fn entry(zip_bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn mixed() -> Article {
    let mut a = Article {
        meta: Meta::new("Scripts"),
        photo: None,
        blocks: Vec::new(),
        notes: Vec::new(),
    };
    for text in [
        "Growth ≥ 2 % and costs ≈ 1.2 bn.",
        "أعلنت الحكومة عن خطة جديدة",
        "सरकार ने अगले वर्ष",
        "政府宣布了一项新计划",
        "政府は来年、地方の中小企業を",
        "정부는 내년에 농촌 지역의",
    ] {
        a.blocks.push(para(text));
    }
    a
}

/// The DOCX names, per run, the face the PDF draws a complex or East Asian script from, and
/// tags the run's language in the slot Word reads for that script.
#[test]
fn docx_runs_name_their_script_font_and_language() {
    let out = briefpress::render::docx::render(&mixed(), &Theme::default()).expect("docx");
    let doc = entry(&out.bytes, "word/document.xml");
    let xml = roxmltree::Document::parse(&doc).expect("document.xml parses");
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let run_of = |needle: &str| {
        xml.descendants()
            .find(|n| {
                n.has_tag_name((w, "r"))
                    && n.descendants()
                        .any(|t| t.text().is_some_and(|t| t.contains(needle)))
            })
            .unwrap_or_else(|| panic!("no run holds {needle}"))
    };
    let attr = |run: roxmltree::Node, el: &str, name: &str| -> Option<String> {
        run.descendants()
            .find(|n| n.has_tag_name((w, el)))
            .and_then(|n| n.attribute((w, name)))
            .map(str::to_owned)
    };
    for (needle, font_slot, lang_slot, lang) in [
        ("أعلنت", "cs", "bidi", "ar-SA"),
        ("सरकार", "cs", "bidi", "hi-IN"),
        ("政府宣布", "eastAsia", "eastAsia", "zh-CN"),
        ("政府は", "eastAsia", "eastAsia", "ja-JP"),
        ("정부는", "eastAsia", "eastAsia", "ko-KR"),
    ] {
        let run = run_of(needle);
        let font = attr(run, "rFonts", font_slot).unwrap_or_default();
        assert!(!font.is_empty(), "{needle}: no w:{font_slot} font");
        assert_eq!(
            attr(run, "lang", lang_slot).as_deref(),
            Some(lang),
            "{needle}"
        );
    }
    // A Latin run is left to the styles.
    assert!(attr(run_of("Growth"), "rFonts", "cs").is_none());
}

/// The EPUB's CSS names the fallback families after the theme's, and with `embed_in_epub`
/// carries the compiled-in symbol faces it needs.
#[test]
fn epub_css_names_the_fallback_families_and_embeds_them_when_asked() {
    let theme = Theme::default();
    let out = briefpress::render::epub::render(&mixed(), &theme).expect("epub");
    let css = entry(&out.bytes, "OEBPS/stylesheet.css");
    let body = css
        .lines()
        .find(|l| l.starts_with("body { font-family:"))
        .unwrap_or_else(|| panic!("no body font list in {css}"));
    assert!(
        body.starts_with("body { font-family: \"Noto Serif\", \"Noto Sans Math\""),
        "{body}"
    );
    assert!(
        body.matches(", ").count() >= 4,
        "too few fallback families: {body}"
    );
    assert!(body.ends_with(", serif; }"), "{body}");
    let mut theme = theme;
    theme.embed_fonts_in_epub = true;
    let out = briefpress::render::epub::render(&mixed(), &theme).expect("epub");
    let z = zip::ZipArchive::new(std::io::Cursor::new(&out.bytes)).unwrap();
    let fallback: Vec<&str> = z
        .file_names()
        .filter(|n| n.contains("fonts/fallback-"))
        .collect();
    assert!(
        !fallback.is_empty(),
        "no fallback face embedded: {:?}",
        z.file_names().collect::<Vec<_>>()
    );
    let css = entry(&out.bytes, "OEBPS/stylesheet.css");
    assert!(
        css.contains("@font-face { font-family: \"Noto Sans Math\"; src: url(\"fonts/fallback-1."),
        "{css}"
    );
}

/// A paragraph goes the way most of its letters go, in all three formats alike: an Arabic
/// paragraph in an English brief is right to left (the PDF aligns its lines right), an
/// English one in an Arabic brief left to right.
#[test]
fn a_paragraph_in_the_other_direction_is_set_so_in_every_format() {
    let arabic = "قالت منظمة الصحة العالمية إن الخدمات الصحية في المناطق الريفية لا تزال \
        محدودة، وإن الأسر التي تعتمد على الزراعة هي الأكثر تضررا من نقص الأطباء والممرضين.";
    let english = "The ministry said rural health services remain limited, and that farming \
        families suffer most from the shortage of doctors and nurses in those regions.";
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    for (language, odd, odd_dir) in [("en", arabic, "rtl"), ("ar", english, "ltr")] {
        let mut a = Article {
            meta: Meta::new("Directions"),
            photo: None,
            blocks: vec![
                para(if language == "en" { english } else { arabic }),
                para(odd),
            ],
            notes: Vec::new(),
        };
        a.meta.language = language.into();
        let theme = Theme::default();

        // EPUB: the odd paragraph, and only it, carries its direction.
        let out = briefpress::render::epub::render(&a, &theme).expect("epub");
        let z = zip::ZipArchive::new(std::io::Cursor::new(&out.bytes)).unwrap();
        let names: Vec<String> = z.file_names().map(str::to_owned).collect();
        let text: String = names
            .iter()
            .filter(|n| n.ends_with(".xhtml") && !n.contains("nav") && !n.contains("cover"))
            .map(|n| entry(&out.bytes, n))
            .collect();
        let (first, _) = odd.split_at(odd.char_indices().nth(8).unwrap().0);
        let opening = format!("<p dir=\"{odd_dir}\">");
        assert_eq!(text.matches("<p dir=").count(), 1, "{language}: {text}");
        let at = text
            .find(&opening)
            .unwrap_or_else(|| panic!("{language}: no {opening}"));
        assert!(
            text[at..].starts_with(&format!("{opening}{first}")),
            "{language}"
        );

        // DOCX: w:bidi on the odd paragraph only (off for the English one in Arabic).
        let out = briefpress::render::docx::render(&a, &theme).expect("docx");
        let doc = entry(&out.bytes, "word/document.xml");
        let xml = roxmltree::Document::parse(&doc).unwrap();
        let bidi_of = |needle: &str| {
            let p = xml
                .descendants()
                .find(|n| {
                    n.has_tag_name((w, "p"))
                        && n.descendants().any(|t| {
                            t.has_tag_name((w, "t")) && t.text().is_some_and(|t| t.contains(needle))
                        })
                })
                .unwrap_or_else(|| panic!("{language}: no paragraph holds {needle}"));
            p.children()
                .find(|n| n.has_tag_name((w, "pPr")))
                .and_then(|ppr| ppr.children().find(|n| n.has_tag_name((w, "bidi"))))
                .map(|b| b.attribute((w, "val")).unwrap_or("1").to_owned())
        };
        let want = if odd_dir == "rtl" { "1" } else { "0" };
        assert_eq!(bidi_of(first).as_deref(), Some(want), "{language}");
        let usual = if language == "en" {
            "The ministry"
        } else {
            "قالت منظمة"
        };
        assert_eq!(bidi_of(usual), None, "{language}");

        // PDF: every line of a right-to-left paragraph ends at the measure's right edge, the
        // short last one too; every line of a left-to-right one starts at the left edge.
        let laid = briefpress::layout::layout(&a, &theme).expect("layout");
        let lines = crate::pdf::visual_lines(&laid.pages[0], theme.base_size);
        let left_edge = lines.iter().map(|l| l.1).fold(f32::MAX, f32::min);
        let right_edge = lines.iter().map(|l| l.2).fold(0.0f32, f32::max);
        let arabic: Vec<_> = lines.iter().filter(|(t, ..)| t.contains('م')).collect();
        let latin: Vec<_> = lines.iter().filter(|(t, ..)| t.contains('e')).collect();
        assert!(arabic.len() >= 2 && latin.len() >= 2, "{lines:?}");
        if odd_dir == "rtl" {
            for (t, _, r) in &arabic {
                assert!(
                    right_edge - r < 10.0,
                    "{language}: {t} ends at {r}, not {right_edge}"
                );
            }
        } else {
            for (t, l, _) in &latin {
                assert!(
                    l - left_edge < 1.0,
                    "{language}: {t} starts at {l}, not {left_edge}"
                );
            }
        }
    }
}
