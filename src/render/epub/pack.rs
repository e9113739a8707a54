//! A briefing pack as one EPUB: a title page (pack title, subtitle, date, publisher, logo, and
//! a contents list linking each brief), one XHTML document per brief written exactly as a
//! single brief's chapter (its own title block, photo, body and footnotes; its images in a
//! folder of its own), the pack's cover picture as the book's cover when the manifest names
//! one, and a navigation document listing the briefs with their headings nested.
//!
//! Ids need no prefix: every brief is its own document, and an `id` is unique within its
//! document (the navigation links `brief-02.xhtml#sec3`). Metadata names every distinct
//! author of every brief; the same finishing step as a single brief closes epub-builder's gaps.

use super::{
    Traits, accessibility_of, clean, cover, depth, finish, fonts, images, language, stylesheet,
    xhtml,
};
use crate::article::Language;
use crate::error::{Error, Result, Warning};
use crate::pack::{Pack, PackPiece};
use crate::render::xml::escape;
use crate::render::{Rendered, pack_identifier, pack_uuid};
use crate::theme::Theme;
use epub_builder::{
    EpubBuilder, EpubContent, EpubVersion, MetadataOpfV3, ReferenceType, TocElement, ZipLibrary,
};
use std::borrow::Cow;

/// The title page's file name.
const TITLE_PAGE: &str = "title.xhtml";
/// The cover page's file name (only with a cover picture).
const COVER_PAGE: &str = "cover.xhtml";

/// What the pack's pages add to the shared stylesheet.
const PACK_STYLE: &str = "\n/* Briefing pack: title page and its contents list. */\n\
.pack-title h1 { font-size: 2em; margin-top: 2em; }\n\
.pack-contents { list-style: none; padding-left: 0; margin: 0.6em 0 0; }\n\
.pack-contents li { margin: 0 0 0.8em; }\n\
.pack-contents .byline { display: block; }\n";

/// The file name of brief `i` (0-based): `brief-01.xhtml` …, zero-padded to the count's width
/// so the names sort in pack order.
fn brief_href(i: usize, count: usize) -> String {
    let width = count.to_string().len().max(2);
    format!("brief-{:0width$}.xhtml", i + 1)
}

/// Renders the pack as one EPUB 3.
pub fn render_pack(pack: &Pack, theme: &Theme) -> Result<Rendered> {
    // Polish and Czech ties (no-break spaces after one-letter words) in every brief.
    let presented = pack.presented();
    let pack: &Pack = &presented;
    let mut warnings = Vec::new();
    let lang = language(pack.language(), &mut warnings);
    let publisher = clean(pack.publisher(&theme.publisher));
    let logo = images::logo(theme, &mut warnings);
    let text: String = pack.briefs.iter().map(fonts::article_text).collect();
    let fonts = fonts::embedded(theme, &text, pack.language(), &mut warnings);
    let logo_ref = logo.as_ref().map(|l| l.href.as_str());

    // 1. Each brief's document, as a single brief writes it, images in its own folder.
    let count = pack.briefs.len();
    let chapters = brief_chapters(pack, theme, logo_ref, &mut warnings);

    // 2. The pack's own pages.
    let title_page = title_page(pack, theme, &lang, &publisher, logo_ref, count);
    // The cover shows the pack's title over its cover picture, as a brief's over its photo.
    let cover_image = cover::cover_jpeg(
        &pack.title(&theme.labels),
        &publisher,
        pack.cover.as_ref(),
        theme,
        &mut warnings,
    );
    let cover_page = xhtml::cover_page(&lang, &pack.title(&theme.labels), &publisher);

    // 3. Navigation: the title page, then each brief with its headings nested.
    let tocs = brief_tocs(pack, &chapters);
    let toc_depth = tocs.iter().map(depth).max().unwrap_or(1);

    // 4. The package.
    let mut image_bytes: Vec<Vec<Cow<'_, [u8]>>> = Vec::with_capacity(count);
    for chapter in &chapters {
        image_bytes.push(
            chapter
                .images
                .iter()
                .map(|f| images::file_bytes(f.image, &mut warnings))
                .collect(),
        );
    }
    let traits = Traits {
        images: pack.cover.is_some() || chapters.iter().any(|c| !c.images.is_empty()),
        all_alt: chapters.iter().all(|c| c.all_alt),
        headings: chapters.iter().any(|c| !c.headings.is_empty()),
        notes: pack.briefs.iter().any(|b| !b.notes.is_empty()),
        embeds_fonts: !fonts.files.is_empty(),
    };
    let build = || -> epub_builder::Result<Vec<u8>> {
        let mut b = EpubBuilder::new(ZipLibrary::new()?)?;
        b.epub_version(EpubVersion::V30);
        package_metadata(&mut b, pack, theme, &lang, &traits)?;

        let css = stylesheet(theme, &fonts.css) + PACK_STYLE;
        b.stylesheet(css.as_bytes())?;
        if let Some(logo) = &logo {
            b.add_resource(&logo.href, logo.data.as_slice(), logo.mime)?;
        }
        for font in &fonts.files {
            b.add_resource(&font.href, font.data.as_slice(), font.mime)?;
        }
        b.add_cover_image(xhtml::COVER_IMAGE, cover_image.as_slice(), "image/jpeg")?;
        for (chapter, bytes) in chapters.iter().zip(&image_bytes) {
            for (file, data) in chapter.images.iter().zip(bytes) {
                b.add_resource(&file.href, data.as_ref(), file.image.format.mime())?;
            }
        }

        b.add_content(
            EpubContent::new(COVER_PAGE, cover_page.as_bytes())
                .title(pack.labels(&theme.labels).cover)
                .reftype(ReferenceType::Cover),
        )?;
        b.add_content(
            EpubContent::new(TITLE_PAGE, title_page.as_bytes())
                .title(clean(&pack.title(&theme.labels)))
                .reftype(ReferenceType::TitlePage),
        )?;
        for (i, (chapter, toc)) in chapters.iter().zip(tocs.iter().cloned()).enumerate() {
            let mut content = EpubContent::new(brief_href(i, count), chapter.xhtml.as_bytes());
            if i == 0 {
                // Where reading starts: the first brief (the `bodymatter` landmark).
                content = content.reftype(ReferenceType::Text);
            }
            content.toc = toc;
            b.add_content(content)?;
        }
        let mut out = Vec::new();
        b.generate(&mut out)?;
        Ok(out)
    };
    let raw = build().map_err(|e| Error::render("epub", e))?;

    let identifier = clean(&pack_identifier(pack));
    let title = clean(&pack.title(&theme.labels));
    let patch = finish::Patch {
        publisher: &publisher,
        identifier: &identifier,
        lang: lang.tag(),
        title: &title,
        toc_depth,
        landmarks_label: &pack.labels(&theme.labels).landmarks,
    };
    let bytes = finish::finish(&raw, &patch, &[])?;
    Ok(Rendered { bytes, warnings })
}

/// Each brief's chapter, written as a single brief's (its own title block, language and
/// publisher), its images under a folder named after its document; its warnings say which
/// brief they come from.
fn brief_chapters<'a>(
    pack: &'a Pack,
    theme: &Theme,
    logo: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> Vec<xhtml::Chapter<'a>> {
    let count = pack.briefs.len();
    let mut chapters = Vec::with_capacity(count);
    for (i, article) in pack.briefs.iter().enumerate() {
        let mut own = Vec::new();
        let brief_lang = language(&article.meta.language, &mut own);
        let brief_publisher = clean(article.publisher(&theme.publisher));
        let facts = xhtml::TitleFacts {
            publisher: &brief_publisher,
            lang: &brief_lang,
            logo,
            labels: &theme.labels,
        };
        let dir = format!(
            "images/{}/",
            brief_href(i, count).trim_end_matches(".xhtml")
        );
        let chapter = xhtml::chapter_in(article, &facts, &dir, &mut own);
        let short = article.meta.title.trim();
        warnings.extend(own.into_iter().map(|w| Warning {
            message: format!("brief {} (“{short}”): {}", i + 1, w.message),
            ..w
        }));
        chapters.push(chapter);
    }
    chapters
}

/// The navigation entry of each brief: its title, with its headings nested under it.
fn brief_tocs(pack: &Pack, chapters: &[xhtml::Chapter<'_>]) -> Vec<TocElement> {
    let count = pack.briefs.len();
    let mut tocs = Vec::with_capacity(count);
    for (i, (article, chapter)) in pack.briefs.iter().zip(chapters).enumerate() {
        let href = brief_href(i, count);
        let mut toc = TocElement::new(href.clone(), clean(article.meta.title.trim())).level(1);
        for h in chapter
            .headings
            .iter()
            .filter(|h| !h.text.trim().is_empty())
        {
            toc.add(
                TocElement::new(format!("{href}#{}", h.id), h.text.clone())
                    .level(i32::from(h.level) + 1),
            );
        }
        tocs.push(toc);
    }
    tocs
}

/// The pack's package metadata: title, language and direction, creators, keywords, dates
/// (never the clock), the content identifier and the accessibility metadata.
fn package_metadata(
    b: &mut EpubBuilder<ZipLibrary>,
    pack: &Pack,
    theme: &Theme,
    lang: &Language,
    traits: &Traits,
) -> epub_builder::Result<()> {
    b.set_title(clean(&pack.title(&theme.labels)));
    b.set_lang(lang.tag());
    if lang.is_rtl() {
        // As a brief's book: the spine's page progression follows the pack's language.
        b.metadata("direction", "rtl")?;
    }
    b.set_generator("briefpress");
    b.set_toc_name(pack.labels(&theme.labels).contents);
    for creator in pack.creators(&theme.publisher) {
        b.add_author(clean(&creator));
    }
    for keyword in pack.keywords() {
        b.add_subject(clean(&keyword));
    }
    if let Some(sub) = pack
        .meta
        .subtitle
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        b.add_description(clean(sub));
    }
    if let Some(t) = pack
        .meta
        .date
        .and_then(|d| chrono::DateTime::from_timestamp(d.unix_seconds(), 0))
    {
        b.set_publication_date(t);
    }
    b.set_modified_date(chrono::DateTime::from_timestamp(pack.timestamp(), 0).unwrap_or_default());
    b.set_uuid(uuid::Uuid::parse_str(&pack_uuid(pack)).unwrap_or_default());
    for (property, content) in accessibility_of(traits) {
        b.add_metadata_opf(Box::new(MetadataOpfV3::new(
            property.into(),
            escape(&content),
        )));
    }
    Ok(())
}

/// Wraps a body in an XHTML document as the briefs' documents are wrapped.
fn document(lang: &Language, title: &str, body_attrs: &str, body: &str) -> String {
    xhtml::document(lang, &text(title), body_attrs, body)
}

/// Escaped text without the characters XML forbids.
fn text(s: &str) -> String {
    escape(&clean(s))
}

/// The title page: logo, pack title, subtitle, date, publisher; then the contents, each
/// brief's title linking to its document, its authors under it.
fn title_page(
    pack: &Pack,
    theme: &Theme,
    lang: &Language,
    publisher: &str,
    logo: Option<&str>,
    count: usize,
) -> String {
    let mut body = String::from("<header class=\"title-block pack-title\">\n");
    for piece in pack.front(publisher, &theme.labels) {
        match piece {
            PackPiece::Masthead { publisher } => {
                if let Some(href) = logo {
                    body.push_str(&format!(
                        "<img class=\"logo\" src=\"{}\" alt=\"{}\"/>\n",
                        escape(href),
                        text(&publisher)
                    ));
                }
                if !publisher.is_empty() {
                    body.push_str(&format!(
                        "<p class=\"publisher\">{}</p>\n",
                        text(&publisher)
                    ));
                }
            }
            PackPiece::Title(t) => body.push_str(&format!("<h1 id=\"title\">{}</h1>\n", text(&t))),
            PackPiece::Subtitle(t) => body.push_str(&format!("<p class=\"dek\">{}</p>\n", text(t))),
            PackPiece::Date(d) => {
                let iso = pack.meta.date.map(|d| d.to_string()).unwrap_or_default();
                body.push_str(&format!(
                    "<p class=\"date\"><time datetime=\"{iso}\">{}</time></p>\n",
                    text(&d)
                ));
            }
            // The cover picture is drawn into the book's cover image (`cover::cover_jpeg`).
            PackPiece::Picture(_) => {}
        }
    }
    body.push_str("</header>\n");
    let label = pack.labels(&theme.labels).contents;
    body.push_str(&format!(
        "<section class=\"contents\" aria-labelledby=\"contents\">\n<h2 id=\"contents\">{}</h2>\n<ol class=\"pack-contents\">\n",
        text(&label)
    ));
    for (i, brief) in pack.briefs.iter().enumerate() {
        body.push_str(&format!(
            "<li><a href=\"{}\">{}</a>",
            brief_href(i, count),
            text(brief.meta.title.trim())
        ));
        if let Some(authors) = Pack::authors_line(brief, &theme.labels) {
            body.push_str(&format!(
                " <span class=\"byline\">{}</span>",
                text(&authors)
            ));
        }
        body.push_str("</li>\n");
    }
    body.push_str("</ol>\n</section>\n");
    document(lang, &pack.title(&theme.labels), "", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brief_files_sort_in_pack_order() {
        assert_eq!(brief_href(0, 3), "brief-01.xhtml");
        assert_eq!(brief_href(9, 120), "brief-010.xhtml");
    }
}
