//! The EPUB 3 backend: the article as a reflowable e-book (cover page, one chapter, navigation
//! document and NCX, EPUB Accessibility metadata), packaged by epub-builder and finished by
//! [`finish`] where epub-builder cannot express what the book needs.
//!
//! The zip is written once: epub-builder gets an empty placeholder for every file this module
//! makes (stylesheet, fonts, logo, images, cover and chapter), so its zip holds only the few
//! documents it writes itself (package document, NCX, navigation, container), and the finishing
//! step puts the real bytes in as it writes the final zip. Letting epub-builder deflate
//! everything and the finishing step inflate and deflate it again cost 16 M of the sample's
//! 34 M instructions in this backend (callgrind).
//!
//! epub-builder is pinned to `=0.8.2`: 0.8.3 gives `dc:language` and `dc:creator` the same id
//! (`epub-creator-0`), which epubcheck rejects (RSC-005). Its default features stamp zip entries
//! with the clock, so only `libzip` is enabled; the finishing step repacks with fixed dates anyway.

mod cover;
mod finish;
mod fonts;
mod images;
mod jpeg;
mod pack;
mod xhtml;

pub(crate) use fonts::article_text;
pub use pack::render_pack;

use crate::article::{Article, Language};
use crate::error::{Error, Result, Warning};
use crate::render::xml::{escape, is_xml_char};
use crate::render::{Rendered, content_uuid};
use crate::theme::Theme;
use epub_builder::{
    EpubBuilder, EpubContent, EpubVersion, MetadataOpfV3, ReferenceType, TocElement, ZipLibrary,
};
use std::borrow::Cow;

/// The stylesheet every content document links, before the theme's colours go in.
const STYLE: &str = include_str!("style.css");

/// The stylesheet under a theme: the embedded fonts' rules first, then [`STYLE`] with the
/// theme's colours.
fn stylesheet(theme: &Theme, fonts_css: &str) -> String {
    let hex = |c: crate::theme::Rgb| format!("#{}", c.hex());
    let style = STYLE
        .replace("@TEXT@", &hex(theme.colors.text))
        .replace("@ACCENT@", &hex(theme.colors.accent))
        .replace("@RULE@", &hex(theme.colors.rule));
    if fonts_css.is_empty() {
        style
    } else {
        // `@font-face` must come before the rules that use it only for readability; CSS
        // allows it anywhere at the top level, but not before a `@charset` (there is none).
        format!("{fonts_css}\n{style}")
    }
}

/// Renders the article as EPUB 3.
pub fn render(article: &Article, theme: &Theme) -> Result<Rendered> {
    render_with_id(article, theme, &content_uuid(article))
}

/// Renders the article as EPUB 3, given its [`content_uuid`] (the package's UUID, and its
/// identifier when the article has none of its own).
pub fn render_with_id(article: &Article, theme: &Theme, uuid: &str) -> Result<Rendered> {
    // Polish and Czech ties (no-break spaces after one-letter words) in every format.
    let presented = article.presented();
    let article: &Article = &presented;
    let mut warnings = Vec::new();
    let lang = language(&article.meta.language, &mut warnings);
    let publisher = clean(article.publisher(&theme.publisher));

    // 1. What the theme adds: the logo file and the fonts it may embed.
    let logo = images::logo(theme, &mut warnings);
    let text = fonts::article_text(article);
    let fonts = fonts::embedded(theme, &text, &article.meta.language, &mut warnings);

    // 2. Content documents.
    let facts = xhtml::TitleFacts {
        publisher: &publisher,
        lang: &lang,
        logo: logo.as_ref().map(|l| l.href.as_str()),
        labels: &theme.labels,
    };
    let chapter = xhtml::chapter(article, &facts, &mut warnings);
    // The cover shows the title over the lead photo, so a library grid shows the title.
    let cover_image = cover::cover_jpeg(
        &article.meta.title,
        &publisher,
        article.photo.as_ref().and_then(|p| p.image.as_ref()),
        theme,
        &mut warnings,
    );
    let cover_page = xhtml::cover_page(&lang, &article.meta.title, &publisher);

    // 3. The package, as far as epub-builder can write it, and the files it holds a place for.
    let toc = chapter_toc(article, &chapter);
    let toc_depth = depth(&toc);
    let image_bytes: Vec<_> = chapter
        .images
        .iter()
        .map(|f| images::file_bytes(f.image, &mut warnings))
        .collect();
    let css = stylesheet(theme, &fonts.css);
    let (raw, files) = package(
        article,
        theme,
        uuid,
        &lang,
        &chapter,
        &image_bytes,
        (&cover_image, &cover_page),
        toc,
        &Extras {
            logo: logo.as_ref(),
            fonts: &fonts,
            css: &css,
        },
    )
    .map_err(|e| Error::render("epub", e))?;

    // 4. What epub-builder cannot express, and a deterministic zip.
    let identifier = match article.meta.identifier.as_deref().map(clean) {
        Some(id) if !id.trim().is_empty() => id.trim().to_owned(),
        _ => format!("urn:uuid:{uuid}"),
    };
    let title = clean(&article.meta.title);
    let patch = finish::Patch {
        publisher: &publisher,
        identifier: &identifier,
        lang: lang.tag(),
        title: &title,
        toc_depth,
        landmarks_label: &article.labels(&theme.labels).landmarks,
    };
    let bytes = finish::finish(&raw, &patch, &files)?;
    Ok(Rendered { bytes, warnings })
}

/// The theme's files in the package besides the article's own.
struct Extras<'a> {
    logo: Option<&'a images::LogoFile>,
    fonts: &'a fonts::Embedded,
    /// The whole stylesheet ([`stylesheet`]).
    css: &'a str,
}

/// Builds the package with epub-builder: metadata, stylesheet, images, content, navigation.
/// Returns epub-builder's zip and the files it holds an empty place for, with their bytes
/// (see the module comment).
#[allow(clippy::too_many_arguments)] // one call site; each argument is a distinct phase result
fn package<'a>(
    article: &Article,
    theme: &Theme,
    uuid: &str,
    lang: &Language,
    chapter: &'a xhtml::Chapter<'_>,
    image_bytes: &'a [Cow<'_, [u8]>],
    (cover_image, cover_page): (&'a [u8], &'a str),
    toc: TocElement,
    extras: &Extras<'a>,
) -> epub_builder::Result<(Vec<u8>, Vec<finish::File<'a>>)> {
    // Where epub-builder puts a file given by its path relative to the package document.
    let place = |href: &str, data: &'a [u8]| finish::File {
        path: format!("OEBPS/{href}"),
        data,
    };
    let mut files = Vec::new();
    let empty: &[u8] = &[];
    let meta = &article.meta;
    let mut b = EpubBuilder::new(ZipLibrary::new()?)?;
    b.epub_version(EpubVersion::V30);
    b.set_title(clean(&meta.title));
    b.set_lang(lang.tag());
    if lang.is_rtl() {
        // `epub_direction` sets a field the 0.8.2 template never reads; the metadata key is the
        // one it does.
        b.metadata("direction", "rtl")?;
    }
    b.set_generator("briefpress");
    b.set_toc_name(article.labels(&theme.labels).contents);
    for creator in article.creators(&theme.publisher) {
        b.add_author(clean(&creator));
    }
    for keyword in meta.keywords.iter().filter(|k| !k.trim().is_empty()) {
        b.add_subject(clean(keyword));
    }
    if let Some(summary) = meta.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        b.add_description(clean(summary));
    }
    if let Some(rights) = meta.rights.as_deref().filter(|s| !s.trim().is_empty()) {
        b.set_license(clean(rights));
    }
    if let Some(t) = meta
        .date
        .and_then(|d| chrono::DateTime::from_timestamp(d.unix_seconds(), 0))
    {
        b.set_publication_date(t);
    }
    // Never the clock: epub-builder uses `Utc::now()` unless told.
    let modified = chrono::DateTime::from_timestamp(meta.timestamp(), 0).unwrap_or_default();
    b.set_modified_date(modified);
    // Never random: epub-builder uses a v4 UUID unless told.
    b.set_uuid(uuid::Uuid::parse_str(uuid).unwrap_or_default());
    for (property, content) in accessibility(article, chapter, !extras.fonts.files.is_empty()) {
        // epub-builder 0.8.2 writes a `MetadataOpfV3` content without escaping it.
        b.add_metadata_opf(Box::new(MetadataOpfV3::new(
            property.into(),
            escape(&content),
        )));
    }

    // epub-builder names the stylesheet itself.
    b.stylesheet(empty)?;
    files.push(place("stylesheet.css", extras.css.as_bytes()));
    if let Some(logo) = extras.logo {
        b.add_resource(&logo.href, empty, logo.mime)?;
        files.push(place(&logo.href, &logo.data));
    }
    for font in &extras.fonts.files {
        b.add_resource(&font.href, empty, font.mime)?;
        files.push(place(&font.href, &font.data));
    }
    b.add_cover_image(xhtml::COVER_IMAGE, empty, "image/jpeg")?;
    files.push(place(xhtml::COVER_IMAGE, cover_image));
    for (file, data) in chapter.images.iter().zip(image_bytes) {
        b.add_resource(&file.href, empty, file.image.format.mime())?;
        files.push(place(&file.href, data));
    }

    b.add_content(
        EpubContent::new(xhtml::COVER, empty)
            .title(article.labels(&theme.labels).cover)
            .reftype(ReferenceType::Cover),
    )?;
    files.push(place(xhtml::COVER, cover_page.as_bytes()));
    let mut content = EpubContent::new(xhtml::CHAPTER, empty).reftype(ReferenceType::Text);
    content.toc = toc;
    b.add_content(content)?;
    files.push(place(xhtml::CHAPTER, chapter.xhtml.as_bytes()));

    let mut out = Vec::new();
    b.generate(&mut out)?;
    Ok((out, files))
}

/// The chapter's table-of-contents entry: the title, with the body headings nested by level
/// under it (`TocElement::add` files a deeper entry under the last shallower one).
fn chapter_toc(article: &Article, chapter: &xhtml::Chapter<'_>) -> TocElement {
    let mut toc = TocElement::new(xhtml::CHAPTER, clean(&article.meta.title)).level(1);
    for h in chapter
        .headings
        .iter()
        .filter(|h| !h.text.trim().is_empty())
    {
        let url = format!("{}#{}", xhtml::CHAPTER, h.id);
        toc.add(TocElement::new(url, h.text.clone()).level(i32::from(h.level) + 1));
    }
    toc
}

/// How many levels an entry and its descendants span.
fn depth(entry: &TocElement) -> usize {
    1 + entry.children.iter().map(depth).max().unwrap_or(0)
}

/// The EPUB Accessibility properties that are true of this book, as (property, text) pairs.
fn accessibility(
    article: &Article,
    chapter: &xhtml::Chapter<'_>,
    embeds_fonts: bool,
) -> Vec<(&'static str, String)> {
    accessibility_of(&Traits {
        images: !chapter.images.is_empty(),
        all_alt: chapter.all_alt,
        headings: !chapter.headings.is_empty(),
        notes: !article.notes.is_empty(),
        embeds_fonts,
    })
}

/// What the accessibility metadata depends on, of one brief or of a whole pack.
struct Traits {
    images: bool,
    all_alt: bool,
    headings: bool,
    notes: bool,
    embeds_fonts: bool,
}

/// The EPUB Accessibility properties that are true of a book with these traits.
fn accessibility_of(t: &Traits) -> Vec<(&'static str, String)> {
    let (has_images, alt_ok, embeds_fonts) = (t.images, t.all_alt, t.embeds_fonts);
    let mut m = vec![("schema:accessMode", "textual".to_owned())];
    if has_images {
        m.push(("schema:accessMode", "visual".to_owned()));
    }
    if alt_ok {
        m.push(("schema:accessModeSufficient", "textual".to_owned()));
    } else {
        m.push(("schema:accessModeSufficient", "textual,visual".to_owned()));
    }
    if t.headings {
        m.push((
            "schema:accessibilityFeature",
            "structuralNavigation".to_owned(),
        ));
    }
    m.push(("schema:accessibilityFeature", "tableOfContents".to_owned()));
    if has_images && alt_ok {
        m.push(("schema:accessibilityFeature", "alternativeText".to_owned()));
    }
    m.push(("schema:accessibilityFeature", "readingOrder".to_owned()));
    m.push((
        "schema:accessibilityFeature",
        "displayTransformability".to_owned(),
    ));
    m.push(("schema:accessibilityHazard", "none".to_owned()));
    let images = match (has_images, alt_ok) {
        (false, _) => "It has no images.",
        (true, true) => "Every image has a text alternative and a caption.",
        (true, false) => "Some images have no text alternative.",
    };
    let notes = if !t.notes {
        ""
    } else {
        " Footnotes are linked both ways."
    };
    let layout = if embeds_fonts {
        "no fixed page sizes; its embedded fonts give way to the reader's own choice"
    } else {
        "no fixed fonts or page sizes"
    };
    m.push((
        "schema:accessibilitySummary",
        format!(
            "A reflowable text in one reading order, with headings, a navigable table of contents and {layout}. {images}{notes}"
        ),
    ));
    m
}

/// The language to declare: the article's when its tag is well formed, else English, with a
/// warning.
fn language(tag: &str, warnings: &mut Vec<Warning>) -> Language {
    Language::parse(tag).unwrap_or_else(|e| {
        warnings.push(Warning::new(format!(
            "epub: {e}; the book is declared as `en`"
        )));
        Language::english()
    })
}

/// Text without the characters XML 1.0 forbids (the chapter reports dropping them); epub-builder
/// escapes markup but passes those through.
fn clean(s: &str) -> String {
    s.chars().filter(|c| is_xml_char(*c)).collect()
}
