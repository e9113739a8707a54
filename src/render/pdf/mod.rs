//! The PDF backend: lays the article out (`crate::layout`) and paints the pages with printpdf.
//!
//! `render` reads in phases: layout → embed the fonts (subset) → register the images →
//! paint each page → printpdf builds its lopdf document → the structure tree
//! ([`finish::tag`]) → the finishing step (Info, `/Lang`, nested outline, content-derived
//! `/ID`) → bytes. Every resource name is chosen here (`F1`…,
//! `Im1`…), never by printpdf's process-global counter, so output is byte-identical for the
//! same input, across processes and within one.

mod finish;
mod fonts;
mod images;
mod pack;
mod paint;

pub use pack::render_pack;

use crate::article::Article;
use crate::error::{Error, Result, Warning};
use crate::layout::{self, Item};
use crate::render::{Rendered, content_uuid};
use crate::theme::Theme;
use printpdf::{PdfDocument, PdfSaveOptions, XObject, XObjectId};
use std::collections::BTreeMap;

/// Renders the article as PDF.
pub fn render(article: &Article, theme: &Theme) -> Result<Rendered> {
    render_with_id(article, theme, &content_uuid(article))
}

/// Renders the article as PDF, given its [`content_uuid`].
pub fn render_with_id(article: &Article, theme: &Theme, uuid: &str) -> Result<Rendered> {
    // Polish and Czech ties (no-break spaces after one-letter words) in every format.
    let presented = article.presented();
    let article: &Article = &presented;
    let laid = layout::layout(article, theme)?;
    let meta = &article.meta;
    let metadata = finish::Metadata {
        title: meta.title.trim().to_owned(),
        author: article.creators(&theme.publisher).join(", "),
        creators: article.creators(&theme.publisher),
        subject: meta.summary.clone().filter(|s| !s.trim().is_empty()),
        keywords: (!meta.keywords.is_empty()).then(|| meta.keywords.join(", ")),
        keyword_list: meta.keywords.clone(),
        language: meta.language.clone(),
        timestamp: meta.timestamp(),
        identifier: uuid.to_owned(),
    };
    write(&laid, &metadata)
}

/// Paints laid-out pages into a finished PDF with the given metadata: fonts subset once for
/// the whole document, each image stored once.
fn write(laid: &layout::Layout<'_>, metadata: &finish::Metadata) -> Result<Rendered> {
    let mut warnings: Vec<Warning> = laid.warnings.clone();

    let mut doc = PdfDocument::new(&metadata.title);
    let fonts = fonts::embed(&mut doc, laid)?;

    // The largest size each image is printed at (it is downsampled to 300 dpi of that).
    let mut printed: Vec<(&crate::article::Image, (f32, f32))> = Vec::new();
    for item in laid.pages.iter().flat_map(|p| &p.items) {
        if let Item::Image { image, rect } = item {
            match printed.iter_mut().find(|(img, _)| img.data == image.data) {
                Some((_, size)) => *size = (size.0.max(rect.w), size.1.max(rect.h)),
                None => printed.push((image, (rect.w, rect.h))),
            }
        }
    }
    // Images, each stored once however often it appears, named in order of first use; their
    // contents wait outside printpdf, which would copy them.
    let mut deferred = images::Deferred::default();
    let mut registered: Vec<(&crate::article::Image, XObjectId)> = Vec::new();
    let mut placements: Vec<BTreeMap<usize, XObjectId>> = Vec::with_capacity(laid.pages.len());
    for page in &laid.pages {
        let mut on_page = BTreeMap::new();
        for (i, item) in page.items.iter().enumerate() {
            if let Item::Image { image, .. } = item {
                let id = match registered.iter().find(|(img, _)| img.data == image.data) {
                    Some((_, id)) => id.clone(),
                    None => {
                        let id = XObjectId(format!("Im{}", registered.len() + 1));
                        let size = printed
                            .iter()
                            .find(|(img, _)| img.data == image.data)
                            .map_or((f32::INFINITY, f32::INFINITY), |(_, s)| *s);
                        let mut xobject = images::xobject(image, size)?;
                        deferred.hold(&mut xobject.stream);
                        doc.resources
                            .xobjects
                            .map
                            .insert(id.clone(), XObject::External(xobject));
                        registered.push((image, id.clone()));
                        id
                    }
                };
                on_page.insert(i, id);
            }
        }
        placements.push(on_page);
    }

    let mut pages = Vec::with_capacity(laid.pages.len());
    let mut contents = Vec::with_capacity(laid.pages.len());
    let mut marked = Vec::with_capacity(laid.pages.len());
    let anchors = paint::Anchors::new(&laid.outline);
    let previous = laid.structure.previous_pieces();
    for (p, imgs) in laid.pages.iter().zip(&placements) {
        let painted = paint::page(p, &fonts, imgs, &anchors, &laid.structure, &previous);
        pages.push(painted.page);
        contents.push(painted.content);
        marked.push(finish::Marked {
            pieces: painted.pieces,
            annots: painted.annots,
        });
    }
    // printpdf learns each face's glyphs from operations; the first page carries them, and its
    // content stream is replaced below like every page's.
    if let Some(first) = pages.first_mut() {
        first.ops.extend(paint::glyph_inventory(&fonts));
    }
    doc.with_pages(pages);

    let opts = PdfSaveOptions {
        subset_fonts: false,
        ..PdfSaveOptions::default()
    };
    let mut pdf_warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut pdf_warnings);
    deferred.restore(&mut lo)?;
    paint::replace_contents(&mut lo, contents)?;
    for w in pdf_warnings
        .iter()
        .filter(|w| format!("{:?}", w.severity).contains("Error"))
    {
        warnings.push(Warning::new(format!("printpdf: {}", w.msg)));
    }

    let heights: Vec<f32> = laid.pages.iter().map(|p| p.height).collect();
    finish::tag(&mut lo, &laid.structure, &marked, &metadata.language)
        .map_err(|e| Error::render("pdf", e))?;
    let bytes = finish::finish(lo, metadata, &laid.outline, &heights)
        .map_err(|e| Error::render("pdf", e))?;
    Ok(Rendered { bytes, warnings })
}
