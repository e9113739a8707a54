//! The finishing step: takes the parts docx-rs wrote and closes its gaps (docs/decisions.md), then
//! zips the package deterministically.
//!
//! What it changes, part by part, and why:
//! - every part: children of `w:pPr`, `w:rPr`, `w:style`, `w:numPr`, `w:lvl`, `w:pBdr` and
//!   `w:settings` put in the order the schema prescribes (docx-rs writes e.g. `w:rPr` first in
//!   `w:pPr` and `w:numId` before `w:ilvl`; Word may refuse out-of-order elements); empty `w:rPr`
//!   removed; `w14:paraId` removed (optional ids Word regenerates; docx-rs numbers them from a
//!   per-thread counter, so leaving them out keeps the bytes independent of it).
//! - `styles.xml`: docx-rs's own bare "Normal" dropped in favour of ours; `w:lang` from the
//!   article and `w:widowControl` added to the document defaults (docx-rs has neither).
//! - `document.xml`: each `wp:docPr` gets its own id and the alt text as `descr` (docx-rs writes
//!   `id="1"` for every picture and no `descr`); each Rule paragraph gets the horizontal line
//!   Word's "Horizontal Line" and pandoc's writer insert (a VML `v:rect` with `o:hr`), which
//!   docx-rs cannot write.
//! - `fontTable.xml`: the theme's two families with their PANOSE numbers and a common fallback
//!   (docx-rs declares Times New Roman, Symbol and Arial, none of which the styles use).
//! - `footnotes.xml`: the separator and continuation-separator notes Word expects, and the
//!   `w:footnoteRef` mark that numbers each note; `settings.xml` names the separators. A link
//!   in a note gets its relationship in `footnotes.xml.rels` (docx-rs writes relationships only
//!   for links in the body, so a note's `r:id` would resolve nowhere).
//! - headers and footers: the parts [`header_footer`] writes, their content types, their
//!   relationships (the logo's in the header's own `.rels`) and the section's references.
//! - media: a JPEG keeps its bytes and is named `.jpg` with type `image/jpeg` (docx-rs names
//!   every picture `.png`).
//! - `docProps/core.xml` and `docProps/app.xml` written from the article (docx-rs can set only
//!   the dates and writes the creator "unknown").
//! - the zip: fixed entry order (`[Content_Types].xml` first), 1980-01-01 timestamps, XML
//!   deflated, pictures stored.

use super::content::{NoteLink, Picture};
use super::header_footer::{self, Furniture};
use super::xml_tree::{self, Element, Node};
use crate::article::{Article, Date, Direction};
use crate::error::{Error, Result};
use crate::render::archive::{Method, ZipOut};
use crate::theme::Theme;
use docx_rs::XMLDocx;

/// What the finishing step needs from the article, gathered once.
pub struct Facts {
    title: String,
    subject: Option<String>,
    creators: Vec<String>,
    keywords: Vec<String>,
    description: Option<String>,
    language: String,
    right_to_left: bool,
    identifier: String,
    publisher: String,
    timestamp: i64,
    pictures: Vec<Picture>,
    note_links: Vec<NoteLink>,
    /// How many header rows each table of the body has, in document order.
    pub table_headers: Vec<usize>,
    rule_color: String,
    /// The colour of a table's rules: the text's, as a printed booktabs table has them.
    table_rule_color: String,
    fonts: Vec<FontEntry>,
    /// The fallback family for each script of the text the theme's faces lack (the PDF's
    /// fallback order): what complex-script and East Asian runs name.
    script_fonts: Vec<(Script, String)>,
}

/// A script Word sets in its complex-script (`w:cs`) or East Asian (`w:eastAsia`) slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Arabic,
    Hebrew,
    Devanagari,
    Bengali,
    Tamil,
    Thai,
    Han,
    Kana,
    Hangul,
}

impl Script {
    /// The script of a character, when Word treats it as complex or East Asian.
    fn of(c: char) -> Option<Script> {
        Some(match u32::from(c) {
            0x0600..=0x06FF
            | 0x0750..=0x077F
            | 0x08A0..=0x08FF
            | 0xFB50..=0xFDFF
            | 0xFE70..=0xFEFF => Script::Arabic,
            0x0590..=0x05FF | 0xFB1D..=0xFB4F => Script::Hebrew,
            0x0900..=0x097F => Script::Devanagari,
            0x0980..=0x09FF => Script::Bengali,
            0x0B80..=0x0BFF => Script::Tamil,
            0x0E00..=0x0E7F => Script::Thai,
            0x3040..=0x30FF | 0x31F0..=0x31FF => Script::Kana,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
            0x2E80..=0x2FDF
            | 0x3000..=0x303F
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xF900..=0xFAFF
            | 0xFF00..=0xFFEF
            | 0x20000..=0x3FFFF => Script::Han,
            _ => return None,
        })
    }

    /// Whether Word sets it in the East Asian slot (else the complex-script one).
    fn east_asian(self) -> bool {
        matches!(self, Script::Han | Script::Kana | Script::Hangul)
    }

    /// The language a run of this script is tagged with: the article's when it is written in
    /// this script, else the script's most used language.
    fn language(self, article: &crate::article::Language) -> String {
        let (primary, tag) = match self {
            Script::Arabic => ("ar", "ar-SA"),
            Script::Hebrew => ("he", "he-IL"),
            Script::Devanagari => ("hi", "hi-IN"),
            Script::Bengali => ("bn", "bn-IN"),
            Script::Tamil => ("ta", "ta-IN"),
            Script::Thai => ("th", "th-TH"),
            Script::Kana => ("ja", "ja-JP"),
            Script::Hangul => ("ko", "ko-KR"),
            Script::Han => match article.primary() {
                "ja" | "zh" => return article.tag().to_owned(),
                _ => ("zh", "zh-CN"),
            },
        };
        if article.primary() == primary {
            article.tag().to_owned()
        } else {
            tag.to_owned()
        }
    }
}

/// The fallback family the theme's body style draws each script of `text` from, as the PDF
/// does (the theme's own family when it has the script).
fn script_fonts(theme: &Theme, text: &str, language: &str) -> Vec<(Script, String)> {
    use crate::layout::fonts::Family;
    use crate::layout::{FaceId, FontBook};
    let Ok(book) = FontBook::new(theme) else {
        return Vec::new();
    };
    let book = book.with_language(language);
    let style = FaceId::of(Family::Serif, false, false);
    let mut out: Vec<(Script, String)> = Vec::new();
    for c in text.chars() {
        let Some(script) = Script::of(c) else {
            continue;
        };
        if out.iter().any(|(s, _)| *s == script) {
            continue;
        }
        if let Some(face) = book.face_for(style, &c.to_string()) {
            out.push((script, book.face(face).family.clone()));
        }
    }
    out
}

/// Complex-script and East Asian runs name their fallback font (`w:rFonts` `w:cs` or
/// `w:eastAsia`) and their language (`w:lang` `w:bidi` or `w:eastAsia`), so Word and
/// LibreOffice set them in the face the PDF used and check them in the right language.
fn finish_scripts(root: &mut Element, fonts: &[(Script, String)], language: &str) {
    let article = crate::article::Language::of(language);
    root.walk_mut(&mut |el| {
        if el.name != "w:r" {
            return;
        }
        let mut text = String::new();
        for child in el.elements() {
            if child.name == "w:t" {
                for n in &child.children {
                    if let Node::Text(t) = n {
                        text.push_str(t);
                    }
                }
            }
        }
        let scripts: Vec<Script> = text.chars().filter_map(Script::of).collect();
        if scripts.is_empty() {
            return;
        }
        // Japanese: kana anywhere in the run makes its Han Japanese too.
        let east = scripts
            .iter()
            .copied()
            .find(|s| *s == Script::Kana)
            .or_else(|| scripts.iter().copied().find(|s| s.east_asian()));
        let complex = scripts.iter().copied().find(|s| !s.east_asian());
        let rpr = el.find_or_insert_first("w:rPr");
        for (script, font_attr, lang_attr) in [
            (east, "w:eastAsia", "w:eastAsia"),
            (complex, "w:cs", "w:bidi"),
        ] {
            let Some(script) = script else { continue };
            let font = fonts
                .iter()
                .find(|(s, _)| *s == script || (script == Script::Kana && *s == Script::Han))
                .map(|(_, f)| f.clone());
            if let Some(font) = font {
                rpr.find_or_insert("w:rFonts").set(font_attr, &font);
                if script.east_asian() {
                    rpr.find_or_insert("w:rFonts").set("w:hint", "eastAsia");
                }
            }
            let lang = rpr.find_or_insert("w:lang");
            if lang.get(lang_attr).is_none() {
                lang.set(lang_attr, &script.language(&article));
            }
        }
    });
}

/// One family as `fontTable.xml` declares it.
struct FontEntry {
    name: String,
    /// Word's generic family (`roman`, `swiss`) and a font every Word install has in it, used
    /// when the family itself is missing.
    family: &'static str,
    alt: &'static str,
    /// The ten PANOSE bytes of the regular face (OS/2 table), as hex, if the font has them.
    panose: Option<String>,
}

impl FontEntry {
    fn new(family: &crate::theme::FontFamily, generic: &'static str, alt: &'static str) -> Self {
        FontEntry {
            name: family.name.clone(),
            family: generic,
            alt,
            panose: panose(&family.regular),
        }
    }
}

/// The PANOSE classification of a font (OS/2 `panose`), which Word uses to pick a substitute.
fn panose(font: &[u8]) -> Option<String> {
    use skrifa::raw::TableProvider;
    let os2 = skrifa::FontRef::new(font).ok()?.os2().ok()?;
    let bytes = os2.panose_10();
    (bytes.len() == 10 && bytes.iter().any(|b| *b != 0))
        .then(|| bytes.iter().map(|b| format!("{b:02X}")).collect())
}

impl Facts {
    /// The facts of one article under one theme, with the pictures as placed in the body and
    /// the links made inside footnotes; `uuid` is the article's
    /// [`content_uuid`](crate::render::content_uuid).
    pub fn new(
        article: &Article,
        theme: &Theme,
        uuid: &str,
        pictures: Vec<Picture>,
        note_links: Vec<NoteLink>,
    ) -> Facts {
        let meta = &article.meta;
        Facts {
            title: meta.title.clone(),
            subject: meta.subtitle.clone(),
            creators: article.creators(&theme.publisher),
            keywords: meta.keywords.clone(),
            description: meta.summary.clone(),
            language: meta.lang().tag().to_owned(),
            right_to_left: meta.lang().is_rtl(),
            identifier: meta
                .identifier
                .clone()
                .unwrap_or_else(|| format!("urn:uuid:{uuid}")),
            publisher: article.publisher(&theme.publisher).to_owned(),
            timestamp: meta.timestamp(),
            pictures,
            note_links,
            table_headers: Vec::new(),
            rule_color: theme.colors.rule.hex(),
            table_rule_color: theme.colors.text.hex(),
            script_fonts: script_fonts(
                theme,
                &crate::render::epub::article_text(article),
                &meta.language,
            ),
            // Georgia and Arial: the serif and sans every Word install has.
            fonts: {
                let mut fonts = vec![FontEntry::new(&theme.serif, "roman", "Georgia")];
                if theme.sans.name != theme.serif.name {
                    fonts.push(FontEntry::new(&theme.sans, "swiss", "Arial"));
                }
                fonts
            },
        }
    }
}

impl Facts {
    /// The facts of a briefing pack: the pack's title, subtitle, date, publisher, language
    /// and identifier, every brief's authors and keywords, the theme's rule colour and fonts.
    pub fn pack(
        pack: &crate::pack::Pack,
        theme: &Theme,
        pictures: Vec<Picture>,
        note_links: Vec<NoteLink>,
    ) -> Facts {
        let language = pack.lang().tag().to_owned();
        let mut meta = crate::article::Meta::new("");
        meta.language = language.clone();
        Facts {
            title: pack.title(&theme.labels).into_owned(),
            subject: pack.meta.subtitle.clone(),
            creators: pack.creators(&theme.publisher),
            keywords: pack.keywords(),
            description: None,
            right_to_left: pack.lang().is_rtl(),
            language,
            identifier: crate::render::pack_identifier(pack),
            publisher: pack.publisher(&theme.publisher).to_owned(),
            timestamp: pack.timestamp(),
            pictures,
            note_links,
            table_headers: Vec::new(),
            rule_color: theme.colors.rule.hex(),
            table_rule_color: theme.colors.text.hex(),
            script_fonts: script_fonts(
                theme,
                &pack
                    .briefs
                    .iter()
                    .map(crate::render::epub::article_text)
                    .collect::<String>(),
                pack.language(),
            ),
            // As for a single brief (`Facts::new`).
            fonts: {
                let mut fonts = vec![FontEntry::new(&theme.serif, "roman", "Georgia")];
                if theme.sans.name != theme.serif.name {
                    fonts.push(FontEntry::new(&theme.sans, "swiss", "Arial"));
                }
                fonts
            },
        }
    }
}

fn part_error(part: &str, e: impl std::fmt::Display) -> Error {
    Error::render("docx", format!("cannot finish {part}: {e}"))
}

/// Parses a part, applies `f`, puts its elements in schema order and writes it back.
fn rewrite(part: &str, bytes: &[u8], f: impl FnOnce(&mut Element)) -> Result<Vec<u8>> {
    let mut root = xml_tree::parse(bytes).map_err(|e| part_error(part, e))?;
    f(&mut root);
    root.walk_mut(&mut normalize);
    Ok(root.to_part())
}

/// Finishes the parts and returns the bytes of the DOCX file.
pub fn finish(parts: XMLDocx, facts: &Facts, furniture: Furniture) -> Result<Vec<u8>> {
    // Media first: the relationships and content types depend on each file's real format.
    let media: Vec<(String, Vec<u8>)> = parts
        .media
        .into_iter()
        .map(|(id, bytes)| {
            let ext = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
                "jpg"
            } else {
                "png"
            };
            (format!("{id}.{ext}"), bytes)
        })
        .collect();

    let content_types = rewrite("[Content_Types].xml", &parts.content_type, |root| {
        for d in root.elements_mut().filter(|e| e.name == "Default") {
            // docx-rs registers `jpg` as `image/jpg`, which is no registered MIME type.
            if d.get("Extension") == Some("jpg") {
                d.set("ContentType", "image/jpeg");
            }
        }
        for p in &furniture.parts {
            root.children.push(Node::Element(
                Element::new("Override")
                    .attr("PartName", &format!("/word/{}", p.file))
                    .attr("ContentType", p.kind.content_type()),
            ));
        }
    })?;
    let document_rels = rewrite(
        "word/_rels/document.xml.rels",
        &parts.document_rels,
        |root| {
            for r in root.elements_mut() {
                let Some(target) = r.get("Target").map(str::to_owned) else {
                    continue;
                };
                let stem = target
                    .strip_prefix("media/")
                    .and_then(|t| t.strip_suffix(".png"));
                let file = media
                    .iter()
                    .find(|(n, _)| stem.is_some() && n.rsplit_once('.').map(|(s, _)| s) == stem);
                if let Some((name, _)) = file {
                    r.set("Target", &format!("media/{name}"));
                }
            }
            for p in &furniture.parts {
                root.children.push(Node::Element(
                    Element::new("Relationship")
                        .attr("Id", &p.rel_id)
                        .attr("Type", p.kind.relationship())
                        .attr("Target", &p.file),
                ));
            }
            // docx-rs gathers the hyperlink relationships in a `HashMap` and writes them in its
            // iteration order, which changes from process to process: put them in the order of
            // their ids (numbered in reading order by `content`), after the other relationships.
            root.children.sort_by_key(|n| match n {
                Node::Element(e) if e.get("Type").is_some_and(|t| t.ends_with("/hyperlink")) => {
                    let id = e.get("Id").unwrap_or_default();
                    let digits = id.trim_start_matches(|c: char| !c.is_ascii_digit());
                    (1, digits.parse::<u64>().unwrap_or(u64::MAX), id.to_owned())
                }
                _ => (0, 0, String::new()),
            });
        },
    )?;
    let styles = rewrite("word/styles.xml", &parts.styles, |root| {
        finish_styles(root, &facts.language, facts.right_to_left);
        root.children
            .push(Node::Element(table_style(&facts.table_rule_color)));
    })?;
    let document = rewrite("word/document.xml", &parts.document, |root| {
        finish_pictures(root, &facts.pictures);
        finish_tables(root, &facts.table_headers, &facts.table_rule_color);
        finish_rules(root, &facts.rule_color);
        finish_section(root, &furniture);
        finish_scripts(root, &facts.script_fonts, &facts.language);
        finish_directions(root, &facts.language);
        // A field code keeps its spaces, as Word writes it (docx-rs leaves the attribute out).
        root.walk_mut(&mut |el| {
            if el.name == "w:instrText" {
                el.set("xml:space", "preserve");
            }
        });
    })?;
    let footnotes = rewrite("word/footnotes.xml", &parts.footnotes, |root| {
        finish_footnotes(root);
        finish_directions(root, &facts.language);
    })?;
    let settings = rewrite("word/settings.xml", &parts.settings, |root| {
        finish_settings(root, &facts.language)
    })?;
    let numbering = rewrite("word/numbering.xml", &parts.numberings, |_| {})?;

    let mut entries: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), content_types),
        ("_rels/.rels".into(), parts.rels),
        ("docProps/core.xml".into(), core_properties(facts)),
        ("docProps/app.xml".into(), app_properties(facts)),
        ("docProps/custom.xml".into(), parts.doc_props.custom),
        ("word/document.xml".into(), document),
        ("word/_rels/document.xml.rels".into(), document_rels),
        ("word/styles.xml".into(), styles),
        ("word/numbering.xml".into(), numbering),
        ("word/footnotes.xml".into(), footnotes),
        ("word/settings.xml".into(), settings),
        ("word/fontTable.xml".into(), font_table(&facts.fonts)),
        ("word/comments.xml".into(), parts.comments),
        ("word/commentsExtended.xml".into(), parts.comments_extended),
    ];
    if !facts.note_links.is_empty() {
        entries.push((
            "word/_rels/footnotes.xml.rels".into(),
            link_relationships(&facts.note_links),
        ));
    }
    for p in furniture.parts {
        entries.push((format!("word/{}", p.file), p.xml));
        if let Some((media_file, data)) = p.logo {
            entries.push((
                format!("word/_rels/{}.rels", p.file),
                header_footer::logo_relationships(&media_file),
            ));
            entries.push((format!("word/media/{media_file}"), data));
        }
    }
    for (i, h) in parts.headers.into_iter().enumerate() {
        entries.push((format!("word/header{}.xml", i + 1), h));
    }
    for (i, f) in parts.footers.into_iter().enumerate() {
        entries.push((format!("word/footer{}.xml", i + 1), f));
    }
    for (name, bytes) in media {
        entries.push((format!("word/media/{name}"), bytes));
    }
    zip(entries)
}

/// Writes the entries in the given order with fixed metadata, so the bytes depend only on the
/// content. XML is deflated; pictures (JPEG, PNG) are stored, as the EPUB stores them: they
/// are compressed already. Deflating the sample's 63 kB photo cost 10.4 M instructions
/// (callgrind; the XML parts together cost less) to save 9.8 kB — an unusually compressible
/// placeholder photo; a JPEG's entropy-coded data leaves deflate little to find in general.
fn zip(entries: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>> {
    let mut zip = ZipOut::new();
    for (name, bytes) in entries {
        let picture = name.starts_with("word/media/")
            && [".jpg", ".jpeg", ".png"].iter().any(|x| name.ends_with(x));
        let method = if picture {
            Method::Stored
        } else {
            Method::Deflated
        };
        zip.add(&name, &bytes, method)
            .map_err(|e| part_error(&name, e))?;
    }
    zip.finish().map_err(|e| part_error("the zip", e))
}

/// A relationships part holding one external hyperlink per (id, target).
fn link_relationships(links: &[NoteLink]) -> Vec<u8> {
    let mut root = Element::new("Relationships").attr(
        "xmlns",
        "http://schemas.openxmlformats.org/package/2006/relationships",
    );
    for link in links {
        root = root.child(
            Element::new("Relationship")
                .attr("Id", &link.rel_id)
                .attr(
                    "Type",
                    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
                )
                .attr("Target", &link.url)
                .attr("TargetMode", "External"),
        );
    }
    root.to_part()
}

/// The schema order (ECMA-376 Part 1, §17) of the children of the elements docx-rs writes out
/// of order. Children not listed keep their relative order after the listed ones.
fn schema_order(parent: &str) -> Option<&'static [&'static str]> {
    Some(match parent {
        // CT_PPr (CT_PPrBase + rPr, sectPr, pPrChange)
        "w:pPr" => &[
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:framePr",
            "w:widowControl",
            "w:numPr",
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        ],
        // CT_RPr (EG_RPrBase + rPrChange)
        "w:rPr" => &[
            "w:rStyle",
            "w:rFonts",
            "w:b",
            "w:bCs",
            "w:i",
            "w:iCs",
            "w:caps",
            "w:smallCaps",
            "w:strike",
            "w:dstrike",
            "w:outline",
            "w:shadow",
            "w:emboss",
            "w:imprint",
            "w:noProof",
            "w:snapToGrid",
            "w:vanish",
            "w:webHidden",
            "w:color",
            "w:spacing",
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:bdr",
            "w:shd",
            "w:fitText",
            "w:vertAlign",
            "w:rtl",
            "w:cs",
            "w:em",
            "w:lang",
            "w:eastAsianLayout",
            "w:specVanish",
            "w:oMath",
            "w:rPrChange",
        ],
        // CT_Style
        "w:style" => &[
            "w:name",
            "w:aliases",
            "w:basedOn",
            "w:next",
            "w:link",
            "w:autoRedefine",
            "w:hidden",
            "w:uiPriority",
            "w:semiHidden",
            "w:unhideWhenUsed",
            "w:qFormat",
            "w:locked",
            "w:personal",
            "w:personalCompose",
            "w:personalReply",
            "w:rsid",
            "w:pPr",
            "w:rPr",
            "w:tblPr",
            "w:trPr",
            "w:tcPr",
            "w:tblStylePr",
        ],
        // CT_SectPr (EG_HdrFtrReferences first, then EG_SectPrContents)
        "w:sectPr" => &[
            "w:headerReference",
            "w:footerReference",
            "w:footnotePr",
            "w:endnotePr",
            "w:type",
            "w:pgSz",
            "w:pgMar",
            "w:paperSrc",
            "w:pgBorders",
            "w:lnNumType",
            "w:pgNumType",
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
            "w:sectPrChange",
        ],
        // CT_TblPr
        "w:tblPr" => &[
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
            "w:tblCaption",
            "w:tblDescription",
            "w:tblPrChange",
        ],
        // CT_Row
        "w:tr" => &["w:tblPrEx", "w:trPr", "w:tc"],
        // CT_TrPr (its base is a choice, in any order; Word writes these in this order)
        "w:trPr" => &[
            "w:cnfStyle",
            "w:divId",
            "w:gridBefore",
            "w:gridAfter",
            "w:wBefore",
            "w:wAfter",
            "w:cantSplit",
            "w:trHeight",
            "w:tblHeader",
            "w:tblCellSpacing",
            "w:jc",
            "w:hidden",
        ],
        // CT_TcPr
        "w:tcPr" => &[
            "w:cnfStyle",
            "w:tcW",
            "w:gridSpan",
            "w:hMerge",
            "w:vMerge",
            "w:tcBorders",
            "w:shd",
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
        ],
        // CT_NumPr
        "w:numPr" => &["w:ilvl", "w:numId", "w:numberingChange", "w:ins"],
        // CT_Lvl
        "w:lvl" => &[
            "w:start",
            "w:numFmt",
            "w:lvlRestart",
            "w:pStyle",
            "w:isLgl",
            "w:suff",
            "w:lvlText",
            "w:lvlPicBulletId",
            "w:legacy",
            "w:lvlJc",
            "w:pPr",
            "w:rPr",
        ],
        // CT_PBdr
        "w:pBdr" => &[
            "w:top",
            "w:left",
            "w:bottom",
            "w:right",
            "w:between",
            "w:bar",
        ],
        // CT_Settings, the part of it docx-rs and this step write
        "w:settings" => &[
            "w:writeProtection",
            "w:view",
            "w:zoom",
            "w:removePersonalInformation",
            "w:removeDateAndTime",
            "w:mirrorMargins",
            "w:proofState",
            "w:attachedTemplate",
            "w:linkStyles",
            "w:documentProtection",
            "w:defaultTabStop",
            "w:autoHyphenation",
            "w:evenAndOddHeaders",
            "w:characterSpacingControl",
            "w:footnotePr",
            "w:endnotePr",
            "w:compat",
            "w:docVars",
            "w:rsids",
            "m:mathPr",
            "w:themeFontLang",
            "w:clrSchemeMapping",
            "w:shapeDefaults",
            "w:decimalSymbol",
            "w:listSeparator",
        ],
        _ => return None,
    })
}

/// Puts one element's children in schema order and drops what docx-rs adds for nothing.
fn normalize(el: &mut Element) {
    el.attrs.retain(|(k, _)| k != "w14:paraId");
    if matches!(el.name.as_str(), "w:pPr" | "w:r") {
        el.children.retain(
            |n| !matches!(n, Node::Element(e) if e.name == "w:rPr" && e.children.is_empty()),
        );
    }
    if let Some(order) = schema_order(&el.name) {
        let rank = |n: &Node| match n {
            Node::Element(e) => order
                .iter()
                .position(|o| *o == e.name)
                .unwrap_or(order.len()),
            Node::Text(_) => order.len(),
        };
        el.children.sort_by_key(rank);
    }
}

/// Each paragraph set in its own direction ([`Direction::of_paragraph`], as the PDF and the
/// EPUB set it): one that goes the other way from the document's default (which
/// `finish_styles` gives the Normal style) says so with `w:bidi`, on or off.
fn finish_directions(root: &mut Element, language: &str) {
    fn text(el: &Element, out: &mut String) {
        for n in &el.children {
            match n {
                Node::Text(t) if el.name == "w:t" => out.push_str(t),
                Node::Element(e) => text(e, out),
                Node::Text(_) => {}
            }
        }
    }
    let default = crate::article::Language::of(language).direction();
    root.walk_mut(&mut |el| {
        if el.name != "w:p" {
            return;
        }
        let mut words = String::new();
        text(el, &mut words);
        let direction = Direction::of_paragraph(&words, default);
        if direction == default {
            return;
        }
        let ppr = el.find_or_insert_first("w:pPr");
        ppr.children
            .retain(|n| !matches!(n, Node::Element(e) if e.name == "w:bidi"));
        let bidi = Element::new("w:bidi");
        ppr.children.push(Node::Element(match direction {
            Direction::Rtl => bidi,
            Direction::Ltr => bidi.attr("w:val", "0"),
        }));
    });
}

/// Our Normal replaces docx-rs's bare one; the defaults get the language, widow control, and
/// right-to-left paragraphs and runs for Arabic, Hebrew and the like.
fn finish_styles(root: &mut Element, language: &str, right_to_left: bool) {
    let is_normal = |n: &Node| matches!(n, Node::Element(e) if e.name == "w:style" && e.get("w:styleId") == Some("Normal"));
    if root.children.iter().filter(|n| is_normal(n)).count() > 1
        && let Some(i) = root.children.iter().position(is_normal)
    {
        root.children.remove(i);
    }
    let defaults = root.find_or_insert("w:docDefaults");
    let rpr = defaults
        .find_or_insert("w:rPrDefault")
        .find_or_insert("w:rPr");
    rpr.children
        .retain(|n| !matches!(n, Node::Element(e) if e.name == "w:lang"));
    rpr.children.push(Node::Element(lang_element(language)));
    if right_to_left && rpr.find("w:rtl").is_none() {
        rpr.children.push(Node::Element(Element::new("w:rtl")));
    }
    let ppr = defaults
        .find_or_insert("w:pPrDefault")
        .find_or_insert("w:pPr");
    if ppr.find("w:widowControl").is_none() {
        ppr.children
            .push(Node::Element(Element::new("w:widowControl")));
    }
    if right_to_left && ppr.find("w:bidi").is_none() {
        ppr.children.push(Node::Element(Element::new("w:bidi")));
    }
}

/// `w:lang` for a BCP 47 tag: the tag as Latin-script language, and also as East Asian or
/// complex-script language when its script is one of those.
fn lang_element(language: &str) -> Element {
    let lang = crate::article::Language::of(language);
    let tag = lang.tag();
    let mut el = Element::new("w:lang").attr("w:val", tag);
    if lang.is_east_asian() {
        el.set("w:eastAsia", tag);
    }
    if lang.is_rtl() {
        el.set("w:bidi", tag);
    }
    el
}

/// The table style every table names (docx-rs cannot write a table style's conditional
/// formatting): booktabs rules — a heavier rule above the table and below it, a lighter one
/// under the header rows, none between columns or body rows — and the cell padding. Word and
/// LibreOffice apply the `firstRow` formatting to the header rows, so an editor restyles every
/// table of the document by changing this one style.
fn table_style(color: &str) -> Element {
    let border = |side: &str, size: &str| {
        Element::new(side)
            .attr("w:val", "single")
            .attr("w:sz", size)
            .attr("w:space", "0")
            .attr("w:color", color)
    };
    let margin =
        |side: &str, twips: &str| Element::new(side).attr("w:w", twips).attr("w:type", "dxa");
    Element::new("w:style")
        .attr("w:type", "table")
        .attr("w:styleId", super::styles::TABLE)
        .child(Element::new("w:name").attr("w:val", "Brief Table"))
        .child(Element::new("w:uiPriority").attr("w:val", "59"))
        .child(Element::new("w:qFormat"))
        .child(
            Element::new("w:tblPr")
                .child(
                    Element::new("w:tblBorders")
                        .child(border("w:top", "12"))
                        .child(border("w:bottom", "12")),
                )
                .child(
                    Element::new("w:tblCellMar")
                        .child(margin("w:top", "40"))
                        .child(margin("w:left", "100"))
                        .child(margin("w:bottom", "40"))
                        .child(margin("w:right", "100")),
                ),
        )
        .child(
            Element::new("w:tblStylePr")
                .attr("w:type", "firstRow")
                .child(Element::new("w:rPr").child(Element::new("w:b")))
                .child(Element::new("w:tblPr"))
                .child(
                    Element::new("w:tcPr")
                        .child(Element::new("w:tcBorders").child(border("w:bottom", "6"))),
                ),
        )
}

/// Each table takes its borders from the table style (docx-rs writes direct borders on every
/// table), says which conditional formatting applies (`w:tblLook`: the header row only), and
/// marks its header rows as rows Word repeats at the top of every page (`w:tblHeader`; the
/// `n`-th table of the body has `headers[n]` of them). The style's rule under the header
/// belongs to the first row; a table with more header rows has it moved under the last one.
fn finish_tables(root: &mut Element, headers: &[usize], color: &str) {
    let mut n = 0usize;
    root.walk_mut(&mut |el| {
        if el.name != "w:tbl" {
            return;
        }
        let head = headers.get(n).copied().unwrap_or(0);
        n += 1;
        if let Some(tblpr) = el.find_mut("w:tblPr") {
            tblpr
                .children
                .retain(|c| !matches!(c, Node::Element(e) if e.name == "w:tblBorders"));
            tblpr.children.push(Node::Element(
                Element::new("w:tblLook")
                    .attr("w:val", "0420")
                    .attr("w:firstRow", "1")
                    .attr("w:lastRow", "0")
                    .attr("w:firstColumn", "0")
                    .attr("w:lastColumn", "0")
                    .attr("w:noHBand", "1")
                    .attr("w:noVBand", "1"),
            ));
        }
        let rows = el.elements_mut().filter(|e| e.name == "w:tr").take(head);
        for (r, row) in rows.enumerate() {
            row.find_or_insert("w:trPr")
                .children
                .push(Node::Element(Element::new("w:tblHeader")));
            let bottom = match r {
                _ if head < 2 => continue,
                0 => Element::new("w:bottom").attr("w:val", "nil"),
                r if r + 1 == head => Element::new("w:bottom")
                    .attr("w:val", "single")
                    .attr("w:sz", "6")
                    .attr("w:space", "0")
                    .attr("w:color", color),
                _ => continue,
            };
            for cell in row.elements_mut().filter(|e| e.name == "w:tc") {
                cell.find_or_insert("w:tcPr")
                    .find_or_insert("w:tcBorders")
                    .children
                    .push(Node::Element(bottom.clone()));
            }
        }
    });
}

/// Unique `wp:docPr` ids, numbered in document order, and each picture's own alt text: the
/// `n`-th drawing of the body is the `n`-th [`Picture`] the content placed. Not found by the
/// relationship id of its `a:blip`: docx-rs stores equal image bytes once and points every
/// drawing of them at the first one's relationship, so two figures of the same picture share
/// an id while each keeps its own alt text.
fn finish_pictures(root: &mut Element, pictures: &[Picture]) {
    let mut n = 0usize;
    root.walk_mut(&mut |el| {
        if el.name != "wp:inline" && el.name != "wp:anchor" {
            return;
        }
        n += 1;
        let alt = pictures.get(n - 1).map_or("", |p| p.alt.as_str());
        let name = format!("Picture {n}");
        el.walk_mut(&mut |inner| {
            if inner.name == "wp:docPr" || inner.name == "pic:cNvPr" {
                inner.set("id", &n.to_string());
                inner.set("name", &name);
                inner.set("descr", alt);
            }
        });
    });
}

/// The horizontal line of each Rule paragraph, as Word's "Horizontal Line" writes it (and
/// pandoc's writer for `---`): a VML rectangle marked `o:hr`, full width (`width:0` with
/// `o:hrstd`), 1.5 pt high (pandoc's and Word's default), flat (`o:hrnoshade`) in the theme's
/// rule colour. The `v` and `o` namespaces are declared on docx-rs's `w:document`.
fn finish_rules(root: &mut Element, color: &str) {
    let is_rule = |p: &Element| {
        p.find("w:pPr")
            .and_then(|ppr| ppr.find("w:pStyle"))
            .and_then(|s| s.get("w:val"))
            == Some(super::styles::RULE)
    };
    root.walk_mut(&mut |el| {
        if el.name != "w:p" || !is_rule(el) {
            return;
        }
        let line = Element::new("v:rect")
            .attr("style", "width:0;height:1.5pt")
            .attr("o:hralign", "center")
            .attr("o:hrstd", "t")
            .attr("o:hrnoshade", "t")
            .attr("o:hr", "t")
            .attr("fillcolor", &format!("#{color}"))
            .attr("stroked", "f");
        el.children.push(Node::Element(
            Element::new("w:r").child(Element::new("w:pict").child(line)),
        ));
    });
}

/// The body's section references each header and footer part, and marks a first page of its
/// own (`w:titlePg`) when the first page has its own header.
fn finish_section(root: &mut Element, furniture: &Furniture) {
    let Some(sect) = root
        .find_mut("w:body")
        .and_then(|body| body.find_mut("w:sectPr"))
    else {
        return;
    };
    for p in &furniture.parts {
        sect.children.push(Node::Element(
            Element::new(p.kind.reference())
                .attr("w:type", p.pages)
                .attr("r:id", &p.rel_id),
        ));
    }
    if furniture.title_page && sect.find("w:titlePg").is_none() {
        sect.children.push(Node::Element(Element::new("w:titlePg")));
    }
}

/// `fontTable.xml` declaring the families the styles use (CT_Font order: altName, panose1,
/// charset, family, pitch). Charset 00 (ANSI) is what Word writes for Unicode TrueType fonts.
fn font_table(fonts: &[FontEntry]) -> Vec<u8> {
    let mut root = Element::new("w:fonts")
        .attr(
            "xmlns:w",
            "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        )
        .attr(
            "xmlns:r",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        );
    for f in fonts {
        let mut font = Element::new("w:font")
            .attr("w:name", &f.name)
            .child(Element::new("w:altName").attr("w:val", f.alt));
        if let Some(p) = &f.panose {
            font = font.child(Element::new("w:panose1").attr("w:val", p));
        }
        font = font
            .child(Element::new("w:charset").attr("w:val", "00"))
            .child(Element::new("w:family").attr("w:val", f.family))
            .child(Element::new("w:pitch").attr("w:val", "variable"));
        root = root.child(font);
    }
    root.to_part()
}

/// A paragraph holding only a separator mark, as Word writes it.
fn separator_note(kind: &str, id: &str, mark: &str) -> Element {
    let spacing = Element::new("w:spacing")
        .attr("w:after", "0")
        .attr("w:line", "240")
        .attr("w:lineRule", "auto");
    Element::new("w:footnote")
        .attr("w:type", kind)
        .attr("w:id", id)
        .child(
            Element::new("w:p")
                .child(Element::new("w:pPr").child(spacing))
                .child(Element::new("w:r").child(Element::new(mark))),
        )
}

/// Separator notes first; each note's first paragraph opens with its number mark.
fn finish_footnotes(root: &mut Element) {
    for note in root.elements_mut().filter(|e| e.name == "w:footnote") {
        let Some(p) = note.find_mut("w:p") else {
            continue;
        };
        let at =
            usize::from(matches!(p.children.first(), Some(Node::Element(e)) if e.name == "w:pPr"));
        let mark = Element::new("w:r")
            .child(
                Element::new("w:rPr")
                    .child(Element::new("w:rStyle").attr("w:val", super::styles::FOOTNOTE_REF)),
            )
            .child(Element::new("w:footnoteRef"));
        let space =
            Element::new("w:r").child(Element::new("w:t").attr("xml:space", "preserve").text(" "));
        p.children.insert(at, Node::Element(space));
        p.children.insert(at, Node::Element(mark));
    }
    let seps = [
        separator_note("separator", "-1", "w:separator"),
        separator_note("continuationSeparator", "0", "w:continuationSeparator"),
    ];
    for (i, s) in seps.into_iter().enumerate() {
        root.children.insert(i, Node::Element(s));
    }
}

/// The separator notes named where Word looks for them; the theme language for Word's
/// language-dependent defaults.
fn finish_settings(root: &mut Element, language: &str) {
    if root.find("w:footnotePr").is_none() {
        let pr = Element::new("w:footnotePr")
            .child(Element::new("w:footnote").attr("w:id", "-1"))
            .child(Element::new("w:footnote").attr("w:id", "0"));
        root.children.push(Node::Element(pr));
    }
    if root.find("w:themeFontLang").is_none() {
        root.children.push(Node::Element(
            Element::new("w:themeFontLang").attr("w:val", language),
        ));
    }
}

/// W3CDTF (`YYYY-MM-DDThh:mm:ssZ`) for a timestamp.
fn w3cdtf(secs: i64) -> String {
    let date = Date::from_unix_seconds(secs);
    let s = secs.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

/// `docProps/core.xml` from the article (CT_CoreProperties is an `xsd:all`: order is free).
fn core_properties(f: &Facts) -> Vec<u8> {
    let when = w3cdtf(f.timestamp);
    let dated = |name: &str| {
        Element::new(name)
            .attr("xsi:type", "dcterms:W3CDTF")
            .text(&when)
    };
    let mut root = Element::new("cp:coreProperties")
        .attr(
            "xmlns:cp",
            "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        )
        .attr("xmlns:dc", "http://purl.org/dc/elements/1.1/")
        .attr("xmlns:dcterms", "http://purl.org/dc/terms/")
        .attr("xmlns:dcmitype", "http://purl.org/dc/dcmitype/")
        .attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
        .child(Element::new("dc:title").text(&f.title));
    if let Some(s) = &f.subject {
        root = root.child(Element::new("dc:subject").text(s));
    }
    root = root.child(Element::new("dc:creator").text(&f.creators.join("; ")));
    if !f.keywords.is_empty() {
        root = root.child(Element::new("cp:keywords").text(&f.keywords.join(", ")));
    }
    if let Some(d) = &f.description {
        root = root.child(Element::new("dc:description").text(d));
    }
    root = root
        .child(Element::new("dc:identifier").text(&f.identifier))
        .child(Element::new("dc:language").text(&f.language))
        .child(Element::new("cp:revision").text("1"))
        .child(dated("dcterms:created"))
        .child(dated("dcterms:modified"));
    root.to_part()
}

/// `docProps/app.xml`: the application that wrote the file and the publisher as company.
fn app_properties(f: &Facts) -> Vec<u8> {
    let root = Element::new("Properties")
        .attr(
            "xmlns",
            "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
        )
        .attr(
            "xmlns:vt",
            "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
        )
        .child(Element::new("Application").text("briefpress"))
        .child(Element::new("DocSecurity").text("0"))
        .child(Element::new("Company").text(&f.publisher));
    root.to_part()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn w3cdtf_formats_date_and_time() {
        assert_eq!(w3cdtf(0), "1970-01-01T00:00:00Z");
        assert_eq!(w3cdtf(1_770_000_000), "2026-02-02T02:40:00Z");
    }

    #[test]
    fn lang_marks_complex_scripts() {
        assert_eq!(lang_element("ar-EG").get("w:bidi"), Some("ar-EG"));
        assert_eq!(lang_element("es").get("w:bidi"), None);
        assert_eq!(lang_element(" ").get("w:val"), Some("en"));
    }
}
