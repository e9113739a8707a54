//! The DOCX backend: an editable Word document built with docx-rs, then finished by hand where
//! docx-rs falls short (docs/decisions.md).
//!
//! ```text
//!   Article ──content──▶ paragraphs, lists, notes, pictures ─┐
//!   Theme ───styles────▶ named Word styles ──────────────────┤
//!                                                            ▼
//!                                       docx_rs::Docx::build() (XML parts)
//!                                                            │ finish
//!                                                            ▼
//!     styles in schema order + w:lang, alt text and unique picture ids, JPEG kept as JPEG,
//!     footnote separators, header and footer parts (logo, running header, page number),
//!     core and app properties, deterministic zip
//! ```
//!
//! docx-rs is imported only inside this folder.

mod content;
mod finish;
mod header_footer;
mod pack;
mod styles;
mod xml_tree;

pub use pack::render_pack;

use crate::article::Article;
use crate::error::Result;
use crate::render::{Rendered, content_uuid};
use crate::theme::Theme;
use docx_rs::{Docx, PageMargin};

/// Renders the article as DOCX.
pub fn render(article: &Article, theme: &Theme) -> Result<Rendered> {
    render_with_id(article, theme, &content_uuid(article))
}

/// Renders the article as DOCX, given its [`content_uuid`] (the identifier when the article
/// has none of its own).
pub fn render_with_id(article: &Article, theme: &Theme, uuid: &str) -> Result<Rendered> {
    // Polish and Czech ties (no-break spaces after one-letter words) in every format.
    let presented = article.presented();
    let article: &Article = &presented;
    // 1. What the document says, in docx-rs terms, and the page furniture the theme asks for.
    let content = content::build(article, theme);
    let furniture = header_footer::build(theme, article.publisher(&theme.publisher));

    // 2. The package: styles from the theme, the page, the numbering, the paragraphs.
    let docx = document(theme, Vec::new(), content.numberings, content.parts);

    // 3. The parts as docx-rs writes them, then the finishing step closes its gaps.
    let parts = docx.build();
    let mut facts = finish::Facts::new(article, theme, uuid, content.pictures, content.note_links);
    facts.table_headers = content.table_headers;
    let bytes = finish::finish(parts, &facts, furniture)?;
    Ok(Rendered {
        bytes,
        warnings: content.warnings,
    })
}

/// The docx-rs document: the theme's page and styles (with `extra` styles after them), the
/// numbering definitions and the paragraphs.
fn document(
    theme: &Theme,
    extra: Vec<docx_rs::Style>,
    numberings: Vec<(docx_rs::AbstractNumbering, docx_rs::Numbering)>,
    parts: Vec<content::Part>,
) -> Docx {
    let (w, h) = theme.page.points();
    let twips = |pt: f32| (pt * 20.0).round() as i32;
    let mut all = styles::styles(theme);
    for s in extra {
        all = all.add_style(s);
    }
    let mut docx = Docx::new()
        .styles(all)
        .page_size(twips(w).max(1) as u32, twips(h).max(1) as u32)
        .page_margin(PageMargin {
            top: twips(theme.margins.top),
            bottom: twips(theme.margins.bottom),
            left: twips(theme.margins.left),
            right: twips(theme.margins.right),
            // Header and footer distances: Word's default half inch.
            header: 720,
            footer: 720,
            gutter: 0,
        });
    for (abs, num) in numberings {
        docx = docx.add_abstract_numbering(abs).add_numbering(num);
    }
    for part in parts {
        docx = match part {
            content::Part::Paragraph(p) => docx.add_paragraph(*p),
            content::Part::Table(t) => docx.add_table(*t),
        };
    }
    docx
}
