//! Writes the XHTML content documents: the cover page and the article chapter (title block,
//! lead photo, body, footnotes), and collects what the package needs from them (headings for
//! the table of contents, image files, whether every image has alternative text).

use crate::article::front::{BYLINE_SEPARATOR, Piece, front};
use crate::article::link::{Links, Resolved};
use crate::article::walk;
use crate::article::{
    Align, Article, Block, Direction, Figure, Image, Inline, LabelOverrides, Labels, Language, Row,
    Table, plain_text,
};
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
    /// Whether this is the lead photo (named `photo`, not numbered as a figure).
    pub lead: bool,
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
    /// The language: its tag for `lang` and `xml:lang`, its direction for `dir`.
    pub lang: &'a Language,
    /// The publisher's logo at the head of the title block: its path in the package.
    pub logo: Option<&'a str>,
    /// The theme's labels (`[labels.<tag>]`).
    pub labels: &'a LabelOverrides,
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
    let mut w = Writer::new(article, article.labels(facts.labels), facts.labels.clone());
    w.image_dir = image_dir.to_owned();
    w.front(facts.publisher, facts.logo);
    w.blocks(&article.blocks);
    // The notes before the rights line: the notes no body paragraph cites stand, as in the
    // PDF and the DOCX, under a "Notes" heading at the end of the text, the rights after them.
    w.notes();
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
    let body = std::mem::take(&mut w.out);
    let title = w.esc(&article.meta.title);
    let xhtml = document(facts.lang, &title, "", &body);
    w.finish_warnings(warnings);
    Chapter {
        xhtml,
        headings: w.headings,
        images: w.images,
        all_alt: !w.missing_alt,
    }
}

/// The file name of the generated cover image inside the package.
pub(super) const COVER_IMAGE: &str = "images/cover.jpg";

/// Writes the cover page: the generated cover image ([`COVER_IMAGE`]) on its own, its text
/// alternative the title and publisher it shows. Sized by the stylesheet (`.cover img`).
pub(super) fn cover_page(lang: &Language, title: &str, publisher: &str) -> String {
    let alt = [title.trim(), publisher.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(BYLINE_SEPARATOR);
    let clean = |s: &str| escape(&s.chars().filter(|c| is_xml_char(*c)).collect::<String>());
    let body = format!(
        "<section class=\"cover\" epub:type=\"cover\">\n<img role=\"doc-cover\" src=\"{COVER_IMAGE}\" alt=\"{}\"/>\n</section>\n",
        clean(&alt),
    );
    document(lang, &clean(title), " class=\"cover-page\"", &body)
}

/// Wraps a body in the XHTML document every content file shares (a brief's and a pack's):
/// XML declaration, the HTML doctype, `lang`, `xml:lang` and the language's `dir` on the
/// root, the stylesheet. `title` is already escaped.
pub(super) fn document(lang: &Language, title: &str, body_attrs: &str, body: &str) -> String {
    let dir = if lang.is_rtl() { " dir=\"rtl\"" } else { "" };
    let lang = escape(lang.tag());
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
    /// The words the brief's language and the theme give.
    labels: Labels,
    /// The theme's labels, for the front block.
    overrides: LabelOverrides,
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
    fn new(article: &'a Article, labels: Labels, overrides: LabelOverrides) -> Self {
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
            labels,
            overrides,
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

    /// The front block ([`front`]): masthead, title, dek and byline in the title block's
    /// `header`, then the lead photo and the summary.
    fn front(&mut self, publisher: &str, logo: Option<&str>) {
        let article = self.article;
        let mut open = false;
        for piece in front(article, publisher, &self.overrides) {
            let in_header = matches!(
                piece,
                Piece::Masthead { .. } | Piece::Title(_) | Piece::Subtitle(_) | Piece::Byline(_)
            );
            if in_header && !open {
                self.out.push_str("<header class=\"title-block\">\n");
                open = true;
            } else if !in_header && open {
                self.out.push_str("</header>\n");
                open = false;
            }
            match piece {
                Piece::Masthead { publisher } => {
                    if let Some(href) = logo {
                        // The logo stands for the publisher: its name is the text alternative.
                        // Its size is the stylesheet's (`.logo`), never fixed pixels.
                        let alt = self.esc(&publisher);
                        self.out.push_str(&format!(
                            "<img class=\"logo\" src=\"{}\" alt=\"{alt}\"/>\n",
                            escape(href)
                        ));
                    }
                    if !publisher.is_empty() {
                        self.out.push_str("<p class=\"publisher\">");
                        self.text(&publisher);
                        self.out.push_str("</p>\n");
                    }
                }
                Piece::Title(title) => {
                    self.out.push_str("<h1 id=\"title\">");
                    self.text(title);
                    self.out.push_str("</h1>\n");
                }
                Piece::Subtitle(dek) => {
                    self.out.push_str("<p class=\"dek\">");
                    self.text(dek);
                    self.out.push_str("</p>\n");
                }
                Piece::Byline(by) => {
                    self.out.push_str("<p class=\"byline\">");
                    if let Some(authors) = &by.authors {
                        self.text(authors);
                    }
                    if let Some((text, date)) = &by.date {
                        if by.authors.is_some() {
                            self.out.push_str(BYLINE_SEPARATOR);
                        }
                        let text = self.esc(text);
                        self.out
                            .push_str(&format!("<time datetime=\"{date}\">{text}</time>"));
                    }
                    self.out.push_str("</p>\n");
                }
                Piece::Photo(photo) => self.figure(photo, "photo", true),
                Piece::Summary(summary) => {
                    self.out.push_str("<div class=\"summary\">\n<p>");
                    self.text(summary);
                    self.out.push_str("</p>\n</div>\n");
                }
            }
        }
        if open {
            self.out.push_str("</header>\n");
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
                    let n = self.images.iter().filter(|f| !f.lead).count() + 1;
                    format!("{dir}figure-{n}.{}", image.format.extension())
                }
            };
            let new_file = !self.images.iter().any(|f| f.href == href);
            let alt = self.alt_text(fig);
            // No `width`/`height`: the stylesheet sizes images (`max-width: 100%; height:
            // auto`); fixed pixels made MuPDF-based readers overflow the page and clip.
            self.out
                .push_str(&format!("<img src=\"{}\" alt=\"{alt}\"/>\n", escape(&href)));
            if new_file {
                self.images.push(ImageFile { href, image, lead });
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

    /// ` dir="…"` for a paragraph that goes the other way from the book
    /// ([`Direction::of_paragraph`]), else nothing.
    fn dir(&self, content: &[Inline]) -> &'static str {
        let book = self.article.meta.lang().direction();
        match Direction::of_paragraph(&plain_text(content), book) {
            d if d == book => "",
            Direction::Rtl => " dir=\"rtl\"",
            Direction::Ltr => " dir=\"ltr\"",
        }
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
                let dir = self.dir(content);
                self.out.push_str(&format!("<h{tag} id=\"{id}\"{dir}>"));
                self.inlines(content);
                self.out.push_str(&format!("</h{tag}>\n"));
                let text = plain_text(content)
                    .chars()
                    .filter(|c| is_xml_char(*c))
                    .collect();
                self.headings.push(Heading { level, id, text });
            }
            Block::Paragraph { content } => {
                let dir = self.dir(content);
                self.out.push_str(&format!("<p{dir}>"));
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
            Block::Table { table } => self.table(table),
            Block::Rule => self.out.push_str("<hr/>\n"),
        }
    }

    /// A data table: the numbered caption in `caption`, the header rows in `thead` with
    /// column headers, the body in `tbody`, the source line after it; the wrapper scrolls
    /// sideways on a narrow screen instead of squeezing the columns.
    fn table(&mut self, table: &'a Table) {
        let words = self.article.table_words(table, &self.overrides);
        let columns = table.columns();
        self.out
            .push_str("<div class=\"table\">\n<table>\n<caption>");
        self.out.push_str("<span class=\"table-label\">");
        self.text(&words.label);
        self.out.push_str("</span>");
        if !words.caption.is_empty() {
            self.text(&words.separator);
            self.text(&words.caption);
        }
        self.out.push_str("</caption>\n");
        let sections: [(&str, &'a [Row], &str); 2] =
            [("thead", &table.head, "th"), ("tbody", &table.body, "td")];
        for (section, rows, cell_tag) in sections {
            if rows.is_empty() {
                continue;
            }
            self.out.push_str(&format!("<{section}>\n"));
            for (r, row) in rows.iter().enumerate() {
                // The rule under the header is drawn by its last row's cells: readers differ
                // in drawing borders of `thead` itself.
                if section == "thead" && r + 1 == rows.len() {
                    self.out.push_str("<tr class=\"head-end\">");
                } else {
                    self.out.push_str("<tr>");
                }
                for col in 0..columns {
                    let class = match table.align_of(col) {
                        Align::Default => "",
                        Align::Left => " class=\"left\"",
                        Align::Center => " class=\"center\"",
                        Align::Right => " class=\"right\"",
                    };
                    let scope = if cell_tag == "th" {
                        " scope=\"col\""
                    } else {
                        ""
                    };
                    self.out.push_str(&format!("<{cell_tag}{scope}{class}>"));
                    if let Some(cell) = row.get(col) {
                        self.inlines(&cell.content);
                    }
                    self.out.push_str(&format!("</{cell_tag}>"));
                }
                self.out.push_str("</tr>\n");
            }
            self.out.push_str(&format!("</{section}>\n"));
        }
        self.out.push_str("</table>\n");
        if let Some(source) = &words.source {
            self.out.push_str("<p class=\"table-source\">");
            self.text(source);
            self.out.push_str("</p>\n");
        }
        self.out.push_str("</div>\n");
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

    /// The footnotes, each an `aside` that links back to its first reference: first the notes
    /// the body cites, then, under the language's "Notes" heading, those it does not (the
    /// order and heading the PDF and DOCX give them).
    fn notes(&mut self) {
        let notes = &self.article.notes;
        if notes.is_empty() {
            return;
        }
        let cited = self.article.body_citations();
        let (first, last): (Vec<usize>, Vec<usize>) =
            (0..notes.len()).partition(|&i| cited.contains_key(&notes[i].id));
        self.out.push_str("<section class=\"notes\">\n");
        for i in first {
            self.note(i);
        }
        if !last.is_empty() {
            let heading = self.labels.notes.clone();
            self.out.push_str("<h2 class=\"notes-heading\">");
            self.text(&heading);
            self.out.push_str("</h2>\n");
        }
        for i in last {
            self.note(i);
        }
        self.out.push_str("</section>\n");
    }

    /// One footnote (`i` is its index in the article's notes).
    fn note(&mut self, i: usize) {
        let note = &self.article.notes[i];
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
                let dir = self.dir(content);
                self.out.push_str(&format!("<p{dir}>"));
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
    walk::each_inline_run(blocks, &mut |run| inlines(run, f));
}
