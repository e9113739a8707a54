//! Writes the XHTML content documents: the cover page and the article chapter (title block,
//! lead photo, body, footnotes), and collects what the package needs from them (headings for
//! the table of contents, image files, whether every image has alternative text).

use super::images::fitted_size;
use crate::article::link::{Links, Resolved};
use crate::article::{Article, Block, Figure, Image, Inline, plain_text};
use crate::error::Warning;
use crate::render::xml::{escape, is_xml_char};

/// The chapter's file name inside the package.
pub(super) const CHAPTER: &str = "text.xhtml";
/// The cover page's file name inside the package.
pub(super) const COVER: &str = "cover.xhtml";
/// The stylesheet every document links (epub-builder stores it under this name).
pub(super) const STYLESHEET: &str = "stylesheet.css";
/// The folder of the chapter's image files.
const IMAGES: &str = "images/";

/// A heading of the body, as the navigation document lists it.
pub(super) struct Heading {
    /// The body level, 1 to 3 (written as `h2` to `h4`; the title is the only `h1`).
    pub level: u8,
    /// The `id` of the heading element in the chapter.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// An image file the chapter (and perhaps the cover page) shows.
pub(super) struct ImageFile<'a> {
    /// Path inside the package, relative to the package document.
    pub href: String,
    /// The picture.
    pub image: &'a Image,
    /// Whether this is the lead photo (declared as the cover image).
    pub cover: bool,
}

/// The article chapter and what the package needs to know about it.
pub(super) struct Chapter<'a> {
    /// The complete XHTML document.
    pub xhtml: String,
    /// The body headings in reading order.
    pub headings: Vec<Heading>,
    /// The image files, lead photo first.
    pub images: Vec<ImageFile<'a>>,
    /// Whether every `img` carries non-empty alternative text.
    pub all_alt: bool,
}

/// The facts about the brief that the title block shows, already chosen by the caller.
pub(super) struct TitleFacts<'a> {
    /// The publisher (the article's, else the theme's).
    pub publisher: &'a str,
    /// The BCP 47 language tag for `lang` and `xml:lang`.
    pub lang: &'a str,
    /// The publisher's logo at the head of the title block: its path in the package and its
    /// pixel size when known.
    pub logo: Option<(&'a str, Option<(u32, u32)>)>,
}

/// Writes the article chapter.
pub(super) fn chapter<'a>(
    article: &'a Article,
    facts: &TitleFacts<'_>,
    warnings: &mut Vec<Warning>,
) -> Chapter<'a> {
    chapter_in(article, facts, IMAGES, warnings)
}

/// Writes the article chapter with its image files under `image_dir` (ending in `/`): a
/// briefing pack gives each brief a folder of its own, so two briefs' `photo.jpg` stay apart.
pub(super) fn chapter_in<'a>(
    article: &'a Article,
    facts: &TitleFacts<'_>,
    image_dir: &str,
    warnings: &mut Vec<Warning>,
) -> Chapter<'a> {
    let mut w = Writer::new(article);
    w.image_dir = image_dir.to_owned();
    w.title_block(facts.publisher, facts.logo);
    if let Some(photo) = &article.photo {
        w.figure(photo, "photo", true);
    }
    w.blocks(&article.blocks);
    if let Some(rights) = article
        .meta
        .rights
        .as_deref()
        .filter(|r| !r.trim().is_empty())
    {
        // The licence line is shown, not only stated in the metadata: nothing is lost.
        w.out.push_str("<p class=\"rights\">");
        w.text(rights);
        w.out.push_str("</p>\n");
    }
    w.notes();
    let body = std::mem::take(&mut w.out);
    let xhtml = document(facts.lang, &article.meta.title, "", &body, &mut w);
    w.finish_warnings(warnings);
    Chapter {
        xhtml,
        headings: w.headings,
        images: w.images,
        all_alt: !w.missing_alt,
    }
}

/// Writes the cover page that shows the lead photo on its own, or `None` without a photo file.
pub(super) fn cover(article: &Article, href: &str, lang: &str) -> Option<String> {
    let photo = article.photo.as_ref()?;
    let image = photo.image.as_ref()?;
    let mut w = Writer::new(article);
    let alt = w.alt_text(photo);
    let (width, height) = fitted_size(image.width, image.height);
    let body = format!(
        "<section class=\"cover\" epub:type=\"cover\">\n<img role=\"doc-cover\" src=\"{}\" alt=\"{alt}\" width=\"{width}\" height=\"{height}\"/>\n</section>\n",
        escape(href),
    );
    // Text problems (dropped characters) are the chapter's to report: it writes the same text.
    Some(document(
        lang,
        &article.meta.title,
        " class=\"cover-page\"",
        &body,
        &mut w,
    ))
}

/// Wraps a body in the XHTML document every content file shares: XML declaration, the HTML
/// doctype, `lang` and `xml:lang` on the root, the stylesheet.
fn document(lang: &str, title: &str, body_attrs: &str, body: &str, w: &mut Writer<'_>) -> String {
    let dir = if w.article.meta.right_to_left() {
        " dir=\"rtl\""
    } else {
        ""
    };
    let lang = escape(lang);
    let title = w.esc(title);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\"{dir}>\n\
         <head>\n<meta charset=\"utf-8\"/>\n<title>{title}</title>\n\
         <link rel=\"stylesheet\" type=\"text/css\" href=\"{STYLESHEET}\"/>\n</head>\n\
         <body{body_attrs}>\n{body}</body>\n</html>\n"
    )
}

/// Walks the article and appends XHTML to one string.
struct Writer<'a> {
    article: &'a Article,
    /// What each link target becomes ([`crate::article::link`]).
    links: Links,
    out: String,
    headings: Vec<Heading>,
    images: Vec<ImageFile<'a>>,
    /// Per note (index = number - 1): whether anything refers to it, and how many references
    /// have been written so far (each needs its own `id`).
    referenced: Vec<bool>,
    refs_written: Vec<usize>,
    /// Characters XML 1.0 forbids, dropped from the text.
    dropped: usize,
    missing_alt: bool,
    warnings: Vec<Warning>,
    /// Where the image files go, ending in `/`.
    image_dir: String,
}

impl<'a> Writer<'a> {
    fn new(article: &'a Article) -> Self {
        let mut referenced = vec![false; article.notes.len()];
        let mut mark = |id: &str| {
            if let Some(n) = article.note_number(id) {
                referenced[n - 1] = true;
            }
        };
        for_each_note_ref(&article.blocks, &mut mark);
        for note in &article.notes {
            for_each_note_ref(&note.blocks, &mut mark);
        }
        Writer {
            article,
            links: Links::of(article),
            out: String::new(),
            headings: Vec::new(),
            images: Vec::new(),
            refs_written: vec![0; article.notes.len()],
            referenced,
            dropped: 0,
            missing_alt: false,
            warnings: Vec::new(),
            image_dir: IMAGES.to_owned(),
        }
    }

    fn finish_warnings(&mut self, warnings: &mut Vec<Warning>) {
        if self.dropped > 0 {
            warnings.push(Warning::new(format!(
                "epub: dropped {} character(s) that XML 1.0 does not allow",
                self.dropped
            )));
        }
        warnings.append(&mut self.warnings);
    }

    /// Escaped text, counting the characters XML cannot carry.
    fn esc(&mut self, s: &str) -> String {
        self.dropped += s.chars().filter(|c| !is_xml_char(*c)).count();
        escape(s)
    }

    fn text(&mut self, s: &str) {
        let e = self.esc(s);
        self.out.push_str(&e);
    }

    fn title_block(&mut self, publisher: &str, logo: Option<(&str, Option<(u32, u32)>)>) {
        let meta = &self.article.meta;
        self.out.push_str("<header class=\"title-block\">\n");
        if let Some((href, size)) = logo {
            // The logo stands for the publisher: its name is the text alternative.
            let alt = self.esc(publisher);
            let size = size
                .map(|(w, h)| format!(" width=\"{w}\" height=\"{h}\""))
                .unwrap_or_default();
            self.out.push_str(&format!(
                "<img class=\"logo\" src=\"{}\" alt=\"{alt}\"{size}/>\n",
                escape(href)
            ));
        }
        self.out.push_str("<h1 id=\"title\">");
        self.text(&meta.title);
        self.out.push_str("</h1>\n");
        if let Some(dek) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
            self.out.push_str("<p class=\"dek\">");
            self.text(dek);
            self.out.push_str("</p>\n");
        }
        if !meta.authors.is_empty() {
            self.out.push_str("<p class=\"byline\">");
            for (i, a) in meta.authors.iter().enumerate() {
                if i > 0 {
                    self.out.push_str(", ");
                }
                self.out.push_str("<span class=\"author\">");
                self.text(&a.name);
                self.out.push_str("</span>");
                if let Some(aff) = a.affiliation.as_deref().filter(|s| !s.trim().is_empty()) {
                    self.out.push_str(" <span class=\"affiliation\">(");
                    self.text(aff);
                    self.out.push_str(")</span>");
                }
            }
            self.out.push_str("</p>\n");
        }
        if let Some(date) = meta.date {
            self.out.push_str(&format!(
                "<p class=\"date\"><time datetime=\"{date}\">{}</time></p>\n",
                date.long_english()
            ));
        }
        self.out.push_str("<p class=\"publisher\">");
        self.text(publisher);
        self.out.push_str("</p>\n</header>\n");
        if let Some(summary) = meta.summary.as_deref().filter(|s| !s.trim().is_empty()) {
            self.out.push_str("<div class=\"summary\">\n<p>");
            self.text(summary);
            self.out.push_str("</p>\n</div>\n");
        }
    }

    /// The `alt` text of a figure's image, escaped: its own, else its caption (an informative
    /// image with empty `alt` is what accessibility checkers flag), else empty.
    fn alt_text(&mut self, fig: &Figure) -> String {
        let alt = [fig.alt.as_str(), fig.caption.as_str()]
            .into_iter()
            .map(str::trim)
            .find(|s| !s.is_empty())
            .unwrap_or("");
        if alt.is_empty() {
            self.missing_alt = true;
        }
        self.esc(alt)
    }

    /// A figure: the image (when there is a file), then caption and credit in `figcaption`.
    fn figure(&mut self, fig: &'a Figure, class: &str, lead: bool) {
        let caption = fig.caption.trim();
        let credit = fig
            .credit
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if fig.image.is_none() && caption.is_empty() && credit.is_none() {
            if !fig.alt.trim().is_empty() {
                self.warnings.push(Warning::new(format!(
                    "epub: a figure with neither image nor caption was left out (alt text: {})",
                    fig.alt.trim()
                )));
            }
            return;
        }
        self.out.push_str(&format!("<figure class=\"{class}\">\n"));
        if let Some(image) = &fig.image {
            let dir = &self.image_dir;
            // A picture shown twice (the photo again as a figure, a figure repeated) is one
            // file of the book.
            let stored = self
                .images
                .iter()
                .find(|f| f.image.data == image.data)
                .map(|f| f.href.clone());
            let href = match stored {
                Some(href) => href,
                None if lead => format!("{dir}photo.{}", image.format.extension()),
                None => {
                    let n = self.images.iter().filter(|f| !f.cover).count() + 1;
                    format!("{dir}figure-{n}.{}", image.format.extension())
                }
            };
            let new_file = !self.images.iter().any(|f| f.href == href);
            let alt = self.alt_text(fig);
            let (width, height) = fitted_size(image.width, image.height);
            self.out.push_str(&format!(
                "<img src=\"{}\" alt=\"{alt}\" width=\"{width}\" height=\"{height}\"/>\n",
                escape(&href),
            ));
            if new_file {
                self.images.push(ImageFile {
                    href,
                    image,
                    cover: lead,
                });
            }
        }
        if !caption.is_empty() || credit.is_some() {
            self.out.push_str("<figcaption>");
            if !caption.is_empty() {
                self.out.push_str("<span class=\"caption\">");
                self.text(caption);
                self.out.push_str("</span>");
            }
            if let Some(credit) = credit {
                if !caption.is_empty() {
                    self.out.push(' ');
                }
                self.out.push_str("<span class=\"credit\">");
                self.text(credit);
                self.out.push_str("</span>");
            }
            self.out.push_str("</figcaption>\n");
        }
        self.out.push_str("</figure>\n");
    }

    fn blocks(&mut self, blocks: &'a [Block]) {
        for b in blocks {
            self.block(b);
        }
    }

    fn block(&mut self, block: &'a Block) {
        match block {
            Block::Heading { level, content } => {
                let level = (*level).clamp(1, 3);
                let id = format!("sec{}", self.headings.len() + 1);
                let tag = level + 1;
                self.out.push_str(&format!("<h{tag} id=\"{id}\">"));
                self.inlines(content);
                self.out.push_str(&format!("</h{tag}>\n"));
                let text = plain_text(content)
                    .chars()
                    .filter(|c| is_xml_char(*c))
                    .collect();
                self.headings.push(Heading { level, id, text });
            }
            Block::Paragraph { content } => {
                self.out.push_str("<p>");
                self.inlines(content);
                self.out.push_str("</p>\n");
            }
            Block::Quote { blocks } => {
                self.out.push_str("<blockquote>\n");
                self.blocks(blocks);
                self.out.push_str("</blockquote>\n");
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                let tag = if *ordered { "ol" } else { "ul" };
                if *ordered && *start != 1 {
                    self.out.push_str(&format!("<ol start=\"{start}\">\n"));
                } else {
                    self.out.push_str(&format!("<{tag}>\n"));
                }
                for item in items {
                    self.out.push_str("<li>");
                    self.list_item(item);
                    self.out.push_str("</li>\n");
                }
                self.out.push_str(&format!("</{tag}>\n"));
            }
            Block::Figure { figure } => self.figure(figure, "figure", false),
            Block::Rule => self.out.push_str("<hr/>\n"),
        }
    }

    /// A list item: a lone leading paragraph is written inline (a tight list, as readers
    /// expect), anything after it as blocks.
    fn list_item(&mut self, item: &'a [Block]) {
        let paragraphs = item
            .iter()
            .filter(|b| matches!(b, Block::Paragraph { .. }))
            .count();
        match item.split_first() {
            Some((Block::Paragraph { content }, rest)) if paragraphs == 1 => {
                self.inlines(content);
                if !rest.is_empty() {
                    self.out.push('\n');
                    self.blocks(rest);
                }
            }
            _ => {
                self.out.push('\n');
                self.blocks(item);
            }
        }
    }

    fn inlines(&mut self, inlines: &'a [Inline]) {
        for i in inlines {
            self.inline(i);
        }
    }

    fn inline(&mut self, inline: &'a Inline) {
        match inline {
            Inline::Text { text } => self.text(text),
            Inline::Emphasis { content } => {
                self.out.push_str("<em>");
                self.inlines(content);
                self.out.push_str("</em>");
            }
            Inline::Strong { content } => {
                self.out.push_str("<strong>");
                self.inlines(content);
                self.out.push_str("</strong>");
            }
            Inline::Link { url, content } => {
                // A heading's id is `sec` and its place in the order of `Links`, which is the
                // order `block` numbers headings in.
                let href = match self.links.resolve(url) {
                    Resolved::Web(href) => Some(href),
                    Resolved::Heading(i) => Some(format!("#sec{}", i + 1)),
                    // The reader warned when it unwrapped the link (`read`).
                    Resolved::Text => None,
                };
                match href {
                    Some(href) => {
                        let href = self.esc(&href);
                        self.out.push_str(&format!("<a href=\"{href}\">"));
                        self.inlines(content);
                        self.out.push_str("</a>");
                    }
                    None => self.inlines(content),
                }
            }
            Inline::Code { text } => {
                self.out.push_str("<code>");
                self.text(text);
                self.out.push_str("</code>");
            }
            Inline::FootnoteRef { id } => self.note_ref(id),
            Inline::LineBreak => self.out.push_str("<br/>"),
        }
    }

    fn note_ref(&mut self, id: &str) {
        let Some(n) = self.article.note_number(id) else {
            self.warnings.push(Warning::new(format!(
                "epub: footnote reference `{id}` has no note; written as the text [{id}]"
            )));
            self.text(&format!("[{id}]"));
            return;
        };
        self.refs_written[n - 1] += 1;
        let ref_id = match self.refs_written[n - 1] {
            1 => format!("fnref{n}"),
            k => format!("fnref{n}-{k}"),
        };
        self.out.push_str(&format!(
            "<sup><a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn{n}\" id=\"{ref_id}\">{n}</a></sup>"
        ));
    }

    /// The footnotes, each an `aside` that links back to its first reference.
    fn notes(&mut self) {
        let notes = &self.article.notes;
        if notes.is_empty() {
            return;
        }
        self.out.push_str("<section class=\"notes\">\n");
        for (i, note) in notes.iter().enumerate() {
            let n = i + 1;
            self.out.push_str(&format!(
                "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn{n}\">\n"
            ));
            let back = if self.referenced[i] {
                format!("<a class=\"backlink\" role=\"doc-backlink\" href=\"#fnref{n}\">{n}.</a> ")
            } else {
                format!("<span class=\"backlink\">{n}.</span> ")
            };
            match note.blocks.split_first() {
                Some((Block::Paragraph { content }, rest)) => {
                    self.out.push_str("<p>");
                    self.out.push_str(&back);
                    self.inlines(content);
                    self.out.push_str("</p>\n");
                    self.blocks(rest);
                }
                _ => {
                    self.out.push_str("<p>");
                    self.out.push_str(back.trim_end());
                    self.out.push_str("</p>\n");
                    self.blocks(&note.blocks);
                }
            }
            self.out.push_str("</aside>\n");
        }
        self.out.push_str("</section>\n");
    }
}

/// Calls `f` with the label of every footnote reference in the blocks.
fn for_each_note_ref(blocks: &[Block], f: &mut impl FnMut(&str)) {
    fn inlines(inl: &[Inline], f: &mut impl FnMut(&str)) {
        for i in inl {
            match i {
                Inline::FootnoteRef { id } => f(id),
                Inline::Emphasis { content }
                | Inline::Strong { content }
                | Inline::Link { content, .. } => inlines(content, f),
                _ => {}
            }
        }
    }
    for b in blocks {
        match b {
            Block::Heading { content, .. } | Block::Paragraph { content } => inlines(content, f),
            Block::Quote { blocks } => for_each_note_ref(blocks, f),
            Block::List { items, .. } => items.iter().for_each(|i| for_each_note_ref(i, f)),
            Block::Figure { .. } | Block::Rule => {}
        }
    }
}
