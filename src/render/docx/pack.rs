//! A briefing pack as one DOCX: a title page (pack title, subtitle, date, publisher, cover
//! picture) with a contents that links to each brief, then each brief as a single brief
//! writes it except that its title is a Heading 1 opening a new page and its headings move
//! one level down (Heading 2 to 4), so the document has one outline: pack > brief > section.
//!
//! Ids stay unique across the briefs ([`content::Placement`]): footnotes, bookmarks,
//! pictures, hyperlink relationships and numbering instances continue from the brief
//! before. Word numbers footnotes through the whole document, so a pack's footnotes are
//! numbered continuously (the PDF and EPUB number them per brief).

use super::content::{self, NoteLink, Picture, Placement};
use super::{document, finish, header_footer, styles};
use crate::error::{Result, Warning};
use crate::pack::{Pack, PackPiece};
use crate::render::Rendered;
use crate::render::xml::is_xml_char;
use crate::theme::Theme;
use docx_rs::{BreakType, Hyperlink, HyperlinkData, Paragraph, Pic, Run};

/// English Metric Units per point (as `content`).
const EMU_PER_POINT: f32 = 12_700.0;
/// The cover picture's largest height, as a share of the text block: as in the PDF.
const COVER_PICTURE: f32 = 0.4;

/// The name of the bookmark on brief `i`'s title (0-based); `_` hides it from Word's
/// bookmark list, as Word's own `_Toc` bookmarks are hidden.
fn brief_bookmark(i: usize) -> String {
    format!("_Brief{}", i + 1)
}

/// Text without the characters XML 1.0 forbids; the briefs report their own, the pack's
/// few words are reported here.
fn clean(s: &str, warnings: &mut Vec<Warning>) -> String {
    let out: String = s.chars().filter(|c| is_xml_char(*c)).collect();
    if out.len() != s.len() {
        warnings.push(Warning::new(
            "dropped characters that XML 1.0 forbids (control characters) from the pack's title page",
        ));
    }
    out
}

/// Renders the pack as one DOCX.
pub fn render_pack(pack: &Pack, theme: &Theme) -> Result<Rendered> {
    // Polish and Czech ties (no-break spaces after one-letter words) in every brief.
    let presented = pack.presented();
    let pack: &Pack = &presented;
    let mut warnings = Vec::new();
    let mut paragraphs = Vec::new();
    let mut pictures: Vec<Picture> = Vec::new();
    let mut at = Placement::default();

    // 1. The title page and the contents.
    let text = |style: &str, s: &str, warnings: &mut Vec<Warning>| {
        Paragraph::new()
            .style(style)
            .add_run(Run::new().add_text(clean(s, warnings)))
    };
    for piece in pack.front(&theme.publisher, &theme.labels) {
        match piece {
            PackPiece::Masthead { publisher } => {
                if !publisher.is_empty() {
                    paragraphs.push(text(styles::MASTHEAD, &publisher, &mut warnings));
                }
            }
            PackPiece::Title(t) => paragraphs.push(text(styles::TITLE, &t, &mut warnings)),
            PackPiece::Subtitle(t) => paragraphs.push(text(styles::SUBTITLE, t, &mut warnings)),
            PackPiece::Date(d) => paragraphs.push(text(styles::DATE, &d, &mut warnings)),
            PackPiece::Picture(img) => {
                let (page_w, page_h) = theme.page.points();
                let m = theme.margins;
                let width = (page_w - m.left - m.right).max(72.0);
                let max_h = (page_h - m.top - m.bottom).max(72.0) * COVER_PICTURE;
                let aspect = img.height as f32 / img.width.max(1) as f32;
                let (w, h) = if width * aspect > max_h {
                    (max_h / aspect.max(f32::MIN_POSITIVE), max_h)
                } else {
                    (width, width * aspect)
                };
                at.pictures += 1;
                let rel_id = format!("rIdImage{}", at.pictures);
                let emu = |pt: f32| (pt * EMU_PER_POINT).round().max(1.0) as u32;
                let pic = Pic::new_with_dimensions(img.data.to_vec(), img.width, img.height)
                    .size(emu(w), emu(h))
                    .id(rel_id.clone());
                pictures.push(Picture {
                    alt: clean(&pack.title(&theme.labels), &mut warnings),
                });
                paragraphs.push(
                    Paragraph::new()
                        .style(styles::FIGURE)
                        .add_run(Run::new().add_image(pic)),
                );
            }
        }
    }
    paragraphs.push(text(
        styles::TOC_HEADING,
        &pack.labels(&theme.labels).contents,
        &mut warnings,
    ));
    for (i, brief) in pack.briefs.iter().enumerate() {
        // An internal link to the brief's title, its authors on the next line.
        let title = clean(brief.meta.title.trim(), &mut warnings);
        let link = Hyperlink {
            link: HyperlinkData::Anchor {
                anchor: brief_bookmark(i),
            },
            history: None,
            children: Vec::new(),
        }
        .add_run(Run::new().style(styles::HYPERLINK).add_text(title));
        let mut p = Paragraph::new().style(styles::TOC1).add_hyperlink(link);
        if let Some(authors) = Pack::authors_line(brief, &theme.labels) {
            p = p.add_run(
                Run::new()
                    .add_break(BreakType::TextWrapping)
                    .add_text(clean(&authors, &mut warnings)),
            );
        }
        paragraphs.push(p);
    }

    // 2. The briefs, each after the ids of the one before.
    let mut parts: Vec<content::Part> = paragraphs.into_iter().map(Into::into).collect();
    let mut table_headers = Vec::new();
    let mut numberings = Vec::new();
    let mut note_links: Vec<NoteLink> = Vec::new();
    for (i, brief) in pack.briefs.iter().enumerate() {
        at.brief_bookmark = Some(brief_bookmark(i));
        let c = content::build_at(brief, theme, &at);
        parts.extend(c.parts);
        table_headers.extend(c.table_headers);
        numberings.extend(c.numberings);
        pictures.extend(c.pictures);
        note_links.extend(c.note_links);
        let short = brief.meta.title.trim();
        warnings.extend(c.warnings.into_iter().map(|w| Warning {
            message: format!("brief {} (“{short}”): {}", i + 1, w.message),
            ..w
        }));
        at = c.next;
    }

    // 3. The package, as a single brief's.
    let furniture = header_footer::build(theme, pack.publisher(&theme.publisher));
    let docx = document(theme, styles::pack_styles(theme), numberings, parts);
    let mut facts = finish::Facts::pack(pack, theme, pictures, note_links);
    facts.table_headers = table_headers;
    let bytes = finish::finish(docx.build(), &facts, furniture)?;
    Ok(Rendered { bytes, warnings })
}
