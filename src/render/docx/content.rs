//! The article as docx-rs paragraphs: front matter, photo, blocks, lists, footnotes, links.
//!
//! Every paragraph names a style from [`super::styles`] and carries no font, size, colour or
//! indent of its own (list paragraphs carry only their numbering); runs carry only bold and
//! italic (Strong and Emphasis) and character styles.
//!
//! Notes: the first reference to a note is a real Word footnote. Word allows one reference per
//! footnote, so a later reference to the same note is what Word's own "Insert Cross-reference →
//! Footnote number (formatted)" writes: a `NOTEREF` field to a bookmark around the first
//! reference, showing the same number in the Footnote Reference style and linking to it. A note
//! that is never referenced is kept under a "Notes" heading at the end, numbered after the
//! others, in the Footnote Text style. Ids that
//! docx-rs would take from its process-global counters (footnotes, hyperlink and image
//! relationships) are given here from the content's own order, so the output never depends on
//! what the process rendered before.

use super::styles;
use crate::article::front::{self, front};
use crate::article::link::{Links, Resolved};
use crate::article::{Align, Article, Block, Figure, Inline, Table, plain_text};
use crate::error::Warning;
use crate::layout::columns;
use crate::render::xml::{escape, is_xml_char};
use crate::theme::Theme;
use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, FieldCharType, Footnote, Hyperlink, HyperlinkData,
    IndentLevel, InstrText, Level, LevelJc, LevelText, NumberFormat, Numbering, NumberingId,
    Paragraph, Pic, Run, SpecialIndentType, Start, TableCell, TableLayoutType, TableRow, WidthType,
};
use std::collections::HashMap;

/// English Metric Units per point (DrawingML's unit: 914 400 per inch, 72 points per inch).
const EMU_PER_POINT: f32 = 12_700.0;
/// Word's default hanging indent of a list number, in twips (a quarter inch).
const LIST_HANGING: i32 = 360;
const LIST_INDENT: i32 = styles::LIST_INDENT;
/// Word lists have nine levels (0–8); deeper nesting is flattened to the last.
const MAX_LIST_LEVEL: usize = 8;
/// docx-rs always writes abstractNum 1 / num 1 itself, so ours start at 2 (docs/decisions.md, docx-rs).
const FIRST_NUMBERING_ID: usize = 2;

/// One picture placed in the document, in document order (the order of its drawings).
#[derive(Debug, Clone)]
pub struct Picture {
    /// The alt text for `wp:docPr descr`, already stripped of characters XML forbids.
    pub alt: String,
}

/// A hyperlink inside a footnote, whose relationship belongs to the footnotes part.
#[derive(Debug, Clone)]
pub struct NoteLink {
    /// The relationship id the `w:hyperlink` names.
    pub rel_id: String,
    /// The target, as written (not yet escaped).
    pub url: String,
}

/// Where an article's content sits in a larger document (a briefing pack): the ids the
/// content before it used, so that its own stay unique, and whether it is one brief of
/// several. The default is a brief that stands alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    /// Footnote ids used before (a note's id is this plus its number).
    pub footnote_ids: usize,
    /// Footnotes Word numbered before: Word numbers footnotes through the whole document.
    pub footnotes_shown: usize,
    /// Bookmark ids used before.
    pub bookmarks: usize,
    /// Pictures placed before.
    pub pictures: usize,
    /// Hyperlink relationships made before.
    pub links: usize,
    /// Numbering instances made before.
    pub numberings: usize,
    /// In a pack: the title is a Heading 1 that opens a new page, bookmarked under this name
    /// (the pack's contents links to it), and the body's headings move one level down.
    pub brief_bookmark: Option<String>,
}

/// One piece of the body of `word/document.xml`: a paragraph or a table.
#[derive(Debug, Clone)]
pub enum Part {
    /// A paragraph.
    Paragraph(Box<Paragraph>),
    /// A table.
    Table(Box<docx_rs::Table>),
}

impl From<Paragraph> for Part {
    fn from(p: Paragraph) -> Part {
        Part::Paragraph(Box::new(p))
    }
}

impl Part {
    /// The paragraph, if this is one.
    fn into_paragraph(self) -> Option<Paragraph> {
        match self {
            Part::Paragraph(p) => Some(*p),
            Part::Table(_) => None,
        }
    }
}

/// The body of the document and what the finishing step needs to know about it.
pub struct Content {
    /// Every paragraph and table of `word/document.xml`, in order.
    pub parts: Vec<Part>,
    /// How many header rows each table has, in document order (the finishing step marks them
    /// as rows Word repeats on every page).
    pub table_headers: Vec<usize>,
    /// One abstract numbering and one instance per list, ids from [`FIRST_NUMBERING_ID`].
    pub numberings: Vec<(AbstractNumbering, Numbering)>,
    /// The pictures in the order their `wp:docPr` elements appear.
    pub pictures: Vec<Picture>,
    /// The links inside footnotes (docx-rs writes relationships only for the body's).
    pub note_links: Vec<NoteLink>,
    /// What could not be rendered perfectly.
    pub warnings: Vec<Warning>,
    /// Where content that follows this one starts (its ids after these).
    pub next: Placement,
}

/// Builds the content of the article.
pub fn build(article: &Article, theme: &Theme) -> Content {
    build_at(article, theme, &Placement::default())
}

/// Builds the content of the article placed after other content (see [`Placement`]).
pub fn build_at(article: &Article, theme: &Theme, at: &Placement) -> Content {
    let (page_w, _) = theme.page.points();
    let text_width = (page_w - theme.margins.left - theme.margins.right).max(72.0);
    let mut w = Writer {
        article,
        theme,
        text_width_emu: (text_width * EMU_PER_POINT).round() as u32,
        out: Vec::new(),
        table_headers: Vec::new(),
        numberings: Vec::new(),
        pictures: Vec::new(),
        links: at.links,
        targets: Links::of(article),
        headings: 0,
        citations: article.body_citations(),
        word_number: vec![None; article.notes.len()],
        footnotes: 0,
        note_links: Vec::new(),
        in_note: false,
        in_footnote: false,
        warnings: Vec::new(),
        at: at.clone(),
    };
    w.front_matter(article.publisher(&theme.publisher));
    for block in &article.blocks {
        w.block(block, styles::BODY, 0);
    }
    w.unreferenced_notes();
    if let Some(rights) = &article.meta.rights {
        let p = w.text_paragraph(styles::CREDIT, rights);
        w.out.push(p.into());
    }
    let notes = article.notes.len();
    let next = Placement {
        footnote_ids: at.footnote_ids + notes,
        footnotes_shown: at.footnotes_shown + w.footnotes,
        bookmarks: at.bookmarks + notes + 1 + w.headings,
        pictures: at.pictures + w.pictures.len(),
        links: w.links,
        numberings: at.numberings + w.numberings.len(),
        brief_bookmark: None,
    };
    Content {
        parts: w.out,
        table_headers: w.table_headers,
        numberings: w.numberings,
        pictures: w.pictures,
        note_links: w.note_links,
        warnings: dedup(w.warnings),
        next,
    }
}

fn dedup(warnings: Vec<Warning>) -> Vec<Warning> {
    let mut out: Vec<Warning> = Vec::new();
    for w in warnings {
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// Run formatting inherited from enclosing inlines.
#[derive(Clone, Copy, Default)]
struct Format {
    bold: bool,
    italic: bool,
    link: bool,
}

/// A piece of a paragraph: a run, a hyperlink holding runs, or a bookmark's ends.
enum Piece {
    Run(Box<Run>),
    Link(Box<Hyperlink>),
    BookmarkStart(usize, String),
    BookmarkEnd(usize),
}

impl Piece {
    fn run(r: Run) -> Piece {
        Piece::Run(Box::new(r))
    }
}

struct Writer<'a> {
    article: &'a Article,
    /// The theme, whose faces size table columns as the PDF does.
    theme: &'a Theme,
    text_width_emu: u32,
    out: Vec<Part>,
    /// How many header rows each table written so far has.
    table_headers: Vec<usize>,
    numberings: Vec<(AbstractNumbering, Numbering)>,
    pictures: Vec<Picture>,
    links: usize,
    /// What each link target becomes ([`crate::article::link`]).
    targets: Links,
    /// Body headings written so far (each gets a bookmark an in-document link can name).
    headings: usize,
    /// How often each note is referenced from the body (outside notes).
    citations: HashMap<String, usize>,
    /// The number Word shows for each note made a footnote (Word numbers footnotes in reading
    /// order), by the note's index in `article.notes`.
    word_number: Vec<Option<usize>>,
    /// Footnotes made so far.
    footnotes: usize,
    note_links: Vec<NoteLink>,
    /// Inside a note's text (a footnote, or the notes kept at the end).
    in_note: bool,
    /// Inside a footnote proper (`footnotes.xml`).
    in_footnote: bool,
    warnings: Vec<Warning>,
    /// Where this content sits in the document.
    at: Placement,
}

impl Writer<'_> {
    /// Text as Word keeps it: characters XML 1.0 forbids dropped (with a warning), line ends
    /// and tabs as spaces (a hard break is [`Inline::LineBreak`], never a character).
    fn clean(&mut self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut dropped = false;
        let s = s.replace("\r\n", " ");
        for c in s.chars() {
            match c {
                '\n' | '\r' | '\t' => out.push(' '),
                c if is_xml_char(c) => out.push(c),
                _ => dropped = true,
            }
        }
        if dropped {
            self.warnings.push(Warning::new(
                "dropped characters that XML 1.0 forbids (control characters)",
            ));
        }
        out
    }

    fn text_paragraph(&mut self, style: &str, text: &str) -> Paragraph {
        let t = self.clean(text);
        Paragraph::new()
            .style(style)
            .add_run(Run::new().add_text(t))
    }

    /// The Word style of a body heading of `level`: one level down inside a pack, whose
    /// Heading 1 is each brief's title. The model's levels stop at 3, so Heading 4 is the
    /// deepest a pack needs.
    fn heading_style(&self, level: u8) -> &'static str {
        let shift = usize::from(self.at.brief_bookmark.is_some());
        match usize::from(level).clamp(1, 3) + shift {
            1 => styles::HEADINGS[0],
            2 => styles::HEADINGS[1],
            3 => styles::HEADINGS[2],
            _ => styles::HEADING4,
        }
    }

    /// The id and the (hidden, `_`-prefixed) name of the bookmark around body heading `k`:
    /// after the notes' bookmark ids and the brief title's (see [`Placement::bookmarks`]).
    fn heading_bookmark(&self, k: usize) -> (usize, String) {
        let id = self.at.bookmarks + self.article.notes.len() + 2 + k;
        (id, format!("_Heading{id}"))
    }

    /// The front block ([`front`]) as Word paragraphs in named styles. The theme's logo is
    /// in the first-page header (`header_footer`); the masthead's name opens the body. In a
    /// pack, the brief's first paragraph opens a new page and the title is a bookmarked
    /// Heading 1.
    fn front_matter(&mut self, publisher: &str) {
        let first = self.out.len();
        for piece in front(self.article, publisher, &self.theme.labels) {
            match piece {
                front::Piece::Masthead { publisher } => {
                    if !publisher.is_empty() {
                        let p = self.text_paragraph(styles::MASTHEAD, &publisher);
                        self.out.push(p.into());
                    }
                }
                front::Piece::Title(title) => {
                    let p = match self.at.brief_bookmark.clone() {
                        None => self.text_paragraph(styles::TITLE, title),
                        Some(name) => {
                            // After all the note bookmarks' ids (see `Placement::bookmarks`).
                            let id = self.at.bookmarks + self.article.notes.len() + 1;
                            let t = self.clean(title);
                            Paragraph::new()
                                .style(styles::HEADINGS[0])
                                .add_bookmark_start(id, name)
                                .add_run(Run::new().add_text(t))
                                .add_bookmark_end(id)
                        }
                    };
                    self.out.push(p.into());
                }
                front::Piece::Subtitle(dek) => {
                    let p = self.text_paragraph(styles::SUBTITLE, dek);
                    self.out.push(p.into());
                }
                front::Piece::Byline(by) => {
                    let p = self.text_paragraph(styles::BYLINE, &by.text());
                    self.out.push(p.into());
                }
                front::Piece::Photo(photo) => self.figure(photo),
                front::Piece::Summary(summary) => {
                    let p = self.text_paragraph(styles::SUMMARY, summary);
                    self.out.push(p.into());
                }
            }
        }
        if self.at.brief_bookmark.is_some()
            && let Some(Part::Paragraph(p)) = self.out.get_mut(first)
        {
            **p = std::mem::take(&mut **p).page_break_before(true);
        }
    }

    /// One block; `style` is the paragraph style of the context (body, quote, list, note).
    fn block(&mut self, block: &Block, style: &str, depth: usize) {
        match block {
            Block::Heading { level, content } => {
                let id = self.heading_style(*level);
                let p = Paragraph::new().style(id);
                let p = if self.in_note {
                    self.paragraph(p, content)
                } else {
                    // In `Links` order: the body's headings come first, depth first, as here.
                    let (bookmark_id, name) = self.heading_bookmark(self.headings);
                    self.headings += 1;
                    self.paragraph(p.add_bookmark_start(bookmark_id, name), content)
                        .add_bookmark_end(bookmark_id)
                };
                self.out.push(p.into());
            }
            Block::Paragraph { content } => {
                let p = self.paragraph(Paragraph::new().style(style), content);
                self.out.push(p.into());
            }
            Block::Quote { blocks } => {
                for b in blocks {
                    let inner = if self.in_note { style } else { styles::QUOTE };
                    self.block(b, inner, depth);
                }
            }
            Block::List {
                ordered,
                start,
                items,
            } => self.list(*ordered, *start, items, depth),
            Block::Figure { figure } => self.figure(figure),
            Block::Table { table } => self.table(table),
            Block::Rule => self.out.push(Paragraph::new().style(styles::RULE).into()),
        }
    }

    /// A list with its own numbering instance, so numbering restarts with every list and an
    /// ordered list's `start` holds. Nested lists sit one level (`w:ilvl`) deeper.
    fn list(&mut self, ordered: bool, start: u32, items: &[Vec<Block>], depth: usize) {
        if depth > MAX_LIST_LEVEL {
            self.warnings.push(Warning::new(
                "lists nested deeper than 9 levels are shown at the ninth level",
            ));
        }
        let level = depth.min(MAX_LIST_LEVEL);
        let id = FIRST_NUMBERING_ID + self.at.numberings + self.numberings.len();
        self.numberings.push(numbering(id, ordered, start));
        for item in items {
            let mut numbered = false;
            for b in item {
                match b {
                    Block::Paragraph { content } => {
                        let p = if numbered {
                            // A second paragraph of the same item: aligned with the item's
                            // text by its style, without a number.
                            Paragraph::new().style(styles::LIST_CONTINUE[level])
                        } else {
                            numbered = true;
                            Paragraph::new()
                                .style(styles::LIST)
                                .numbering(NumberingId::new(id), IndentLevel::new(level))
                        };
                        let p = self.paragraph(p, content);
                        self.out.push(p.into());
                    }
                    Block::List {
                        ordered,
                        start,
                        items,
                    } => {
                        if !numbered {
                            // An item that opens with a sublist still gets its own number.
                            let p = Paragraph::new()
                                .style(styles::LIST)
                                .numbering(NumberingId::new(id), IndentLevel::new(level));
                            self.out.push(p.into());
                            numbered = true;
                        }
                        self.list(*ordered, *start, items, depth + 1);
                    }
                    other => {
                        if !numbered {
                            let p = Paragraph::new()
                                .style(styles::LIST)
                                .numbering(NumberingId::new(id), IndentLevel::new(level));
                            self.out.push(p.into());
                            numbered = true;
                        }
                        self.block(other, styles::LIST, depth + 1);
                    }
                }
            }
        }
    }

    /// A data table: its numbered caption above it in the Caption style (kept with the
    /// table), a `w:tbl` in the table style with one row per model row (header rows repeated
    /// on every page by the finishing step, no row split across pages), cell text in the table
    /// text styles aligned as the column says, then the source line in the Credit style.
    fn table(&mut self, table: &Table) {
        let words = self.article.table_words(table, &self.theme.labels);
        let caption = self
            .text_paragraph(styles::CAPTION, &words.heading())
            .keep_next(true);
        self.out.push(caption.into());
        if self.in_note {
            self.table_as_paragraphs(table);
        } else {
            let columns = table.columns();
            let text_width = self.text_width_emu as f32 / EMU_PER_POINT;
            let widths: Vec<usize> =
                crate::layout::table::column_widths(self.article, table, self.theme, text_width)
                    .unwrap_or_else(|_| {
                        let (min, max) = estimated_widths(table);
                        columns::distribute(&min, &max, text_width)
                    })
                    .iter()
                    .map(|pt| (pt * 20.0).round().max(1.0) as usize)
                    .collect();
            let mut rows = Vec::new();
            for (r, row) in table.rows().enumerate() {
                let header = r < table.head.len();
                let style = if header {
                    styles::TABLE_HEADING
                } else {
                    styles::TABLE_TEXT
                };
                let cells = (0..columns)
                    .map(|c| {
                        let mut p = Paragraph::new().style(style);
                        p = match table.align_of(c) {
                            Align::Right => p.align(AlignmentType::Right),
                            Align::Center => p.align(AlignmentType::Center),
                            // Said, so that a reader of the file tells it from the default.
                            Align::Left => p.align(AlignmentType::Left),
                            Align::Default => p,
                        };
                        let content = row.get(c).map_or(&[][..], |c| &c.content[..]);
                        let p = self.paragraph(p, content);
                        TableCell::new()
                            .width(widths[c], WidthType::Dxa)
                            .add_paragraph(p)
                    })
                    .collect();
                rows.push(TableRow::new(cells).cant_split());
            }
            let total = widths.iter().sum();
            let t = docx_rs::Table::new(rows)
                .style(styles::TABLE)
                .set_grid(widths)
                .width(total, WidthType::Dxa)
                .layout(TableLayoutType::Fixed);
            self.out.push(Part::Table(Box::new(t)));
            self.table_headers.push(table.head.len());
        }
        if let Some(source) = &words.source {
            let p = self.text_paragraph(styles::CREDIT, source);
            self.out.push(p.into());
        }
    }

    /// A table inside a note, where Word allows paragraphs only: a paragraph per row, its
    /// cells separated by tabs, the header rows bold.
    fn table_as_paragraphs(&mut self, table: &Table) {
        self.warnings.push(Warning::new(
            "a table inside a footnote is written as one paragraph per row (Word footnotes \
             hold paragraphs only)",
        ));
        for (r, row) in table.rows().enumerate() {
            let mut content = Vec::new();
            for (c, cell) in row.iter().enumerate() {
                if c > 0 {
                    content.push(Inline::Text {
                        text: " \u{2003} ".into(),
                    });
                }
                content.extend(cell.content.iter().cloned());
            }
            if r < table.head.len() {
                content = vec![Inline::Strong { content }];
            }
            let p = self.paragraph(Paragraph::new().style(styles::FOOTNOTE_TEXT), &content);
            self.out.push(p.into());
        }
    }

    /// The picture at text width (aspect kept) in a Figure paragraph, then caption and credit.
    /// A figure without an image keeps its caption and credit.
    fn figure(&mut self, figure: &Figure) {
        match (&figure.image, self.in_note) {
            (Some(img), false) => {
                let n = self.at.pictures + self.pictures.len() + 1;
                let rel_id = format!("rIdImage{n}");
                let w = self.text_width_emu;
                let h = (f64::from(w) * f64::from(img.height) / f64::from(img.width.max(1))).round()
                    as u32;
                let pic = Pic::new_with_dimensions(img.data.to_vec(), img.width, img.height)
                    .size(w, h.max(1))
                    .id(rel_id.clone());
                let alt = if figure.alt.trim().is_empty() {
                    if figure.caption.trim().is_empty() {
                        self.warnings
                            .push(Warning::new("a figure has neither alt text nor caption"));
                    }
                    figure.caption.clone()
                } else {
                    figure.alt.clone()
                };
                let alt = self.clean(&alt);
                self.pictures.push(Picture { alt });
                self.out.push(
                    Paragraph::new()
                        .style(styles::FIGURE)
                        .add_run(Run::new().add_image(pic))
                        .into(),
                );
            }
            (Some(_), true) => {
                self.warnings.push(Warning::new(
                    "a picture inside a footnote is left out; its caption is kept",
                ));
            }
            (None, _) => {}
        }
        if !figure.caption.is_empty() {
            let p = self.text_paragraph(styles::CAPTION, &figure.caption);
            self.out.push(p.into());
        }
        if let Some(credit) = &figure.credit {
            let p = self.text_paragraph(styles::CREDIT, credit);
            self.out.push(p.into());
        }
    }

    fn paragraph(&mut self, mut p: Paragraph, content: &[Inline]) -> Paragraph {
        let mut pieces = Vec::new();
        self.inlines(content, Format::default(), &mut pieces);
        for piece in pieces {
            p = match piece {
                Piece::Run(r) => p.add_run(*r),
                Piece::Link(l) => p.add_hyperlink(*l),
                Piece::BookmarkStart(id, name) => p.add_bookmark_start(id, name),
                Piece::BookmarkEnd(id) => p.add_bookmark_end(id),
            };
        }
        p
    }

    fn run(&self, fmt: Format) -> Run {
        let mut r = Run::new();
        if fmt.link {
            r = r.style(styles::HYPERLINK);
        }
        if fmt.bold {
            r = r.bold();
        }
        if fmt.italic {
            r = r.italic();
        }
        r
    }

    fn inlines(&mut self, inlines: &[Inline], fmt: Format, out: &mut Vec<Piece>) {
        for inline in inlines {
            match inline {
                Inline::Text { text } => {
                    let t = self.clean(text);
                    out.push(Piece::run(self.run(fmt).add_text(t)));
                }
                Inline::Code { text } => {
                    let t = self.clean(text);
                    out.push(Piece::run(
                        self.run(fmt).style(styles::VERBATIM).add_text(t),
                    ));
                }
                Inline::Emphasis { content } => self.inlines(
                    content,
                    Format {
                        italic: true,
                        ..fmt
                    },
                    out,
                ),
                Inline::Strong { content } => {
                    self.inlines(content, Format { bold: true, ..fmt }, out)
                }
                Inline::Link { url, content } => {
                    if fmt.link {
                        // A link inside a link: Word cannot nest them; keep the text.
                        self.warnings.push(Warning::new(format!(
                            "a link inside a link keeps only the outer target; `{url}` dropped"
                        )));
                        self.inlines(content, fmt, out);
                        continue;
                    }
                    // The one link policy (`article::link`): a web or mail address is an
                    // external relationship, an anchor an internal link to its heading's
                    // bookmark, anything else stays text (the reader warned).
                    let data = match self.targets.resolve(url) {
                        Resolved::Web(href) => {
                            self.links += 1;
                            let rid = format!("rIdHyperlink{}", self.links);
                            if self.in_footnote {
                                self.note_links.push(NoteLink {
                                    rel_id: rid.clone(),
                                    url: href.clone(),
                                });
                            }
                            // docx-rs escapes the target in `Hyperlink::new` and writes it as
                            // given; built by hand (to avoid its global id counter) it must be
                            // escaped here.
                            HyperlinkData::External {
                                rid,
                                path: escape(&href),
                            }
                        }
                        Resolved::Heading(k) if self.targets.in_body(k) => HyperlinkData::Anchor {
                            anchor: self.heading_bookmark(k).1,
                        },
                        Resolved::Heading(_) | Resolved::Text => {
                            self.inlines(content, fmt, out);
                            continue;
                        }
                    };
                    let mut runs = Vec::new();
                    self.inlines(content, Format { link: true, ..fmt }, &mut runs);
                    let mut link = Hyperlink {
                        link: data,
                        history: None,
                        children: Vec::new(),
                    };
                    for piece in runs {
                        link = match piece {
                            Piece::Run(r) => link.add_run(*r),
                            Piece::BookmarkStart(id, name) => link.add_bookmark_start(id, name),
                            Piece::BookmarkEnd(id) => link.add_bookmark_end(id),
                            // Nested links were flattened above.
                            Piece::Link(_) => link,
                        };
                    }
                    out.push(Piece::Link(Box::new(link)));
                }
                Inline::FootnoteRef { id } => self.footnote(id, out),
                Inline::LineBreak => {
                    out.push(Piece::run(self.run(fmt).add_break(BreakType::TextWrapping)))
                }
            }
        }
    }

    /// A real Word footnote at a note's first reference (its id is the note's number, so it is
    /// stable); a `NOTEREF` cross-reference to it at any later one.
    fn footnote(&mut self, id: &str, out: &mut Vec<Piece>) {
        let Some(n) = self.article.note_number(id) else {
            self.warnings.push(Warning::new(format!(
                "footnote reference `{id}` has no note; left out"
            )));
            return;
        };
        let marker = Run::new().style(styles::FOOTNOTE_REF);
        if self.in_note {
            self.warnings.push(Warning::new(format!(
                "a footnote cannot hold another footnote; note {n} shown as a number"
            )));
            out.push(Piece::run(marker.add_text(n.to_string())));
            return;
        }
        // The note's id in the document: unique across the briefs of a pack.
        let word_id = self.at.footnote_ids + n;
        if let Some(shown) = self.word_number[n - 1] {
            out.extend(note_cross_reference(word_id, shown));
            return;
        }
        self.footnotes += 1;
        let local = self.footnotes;
        let shown = self.at.footnotes_shown + local;
        self.word_number[n - 1] = Some(shown);
        if local != n {
            self.warnings.push(Warning::new(format!(
                "Word numbers footnotes in reading order: note {n} (`{id}`) shows as {local}"
            )));
        }
        let saved = std::mem::take(&mut self.out);
        (self.in_note, self.in_footnote) = (true, true);
        for b in &self.article.notes[n - 1].blocks {
            self.block(b, styles::FOOTNOTE_TEXT, 0);
        }
        (self.in_note, self.in_footnote) = (false, false);
        // A footnote holds paragraphs only; a table in a note is written as paragraphs
        // (`table_as_paragraphs`), so nothing else is here.
        let mut body: Vec<Paragraph> = std::mem::replace(&mut self.out, saved)
            .into_iter()
            .filter_map(Part::into_paragraph)
            .collect();
        if body.is_empty() {
            body.push(Paragraph::new().style(styles::FOOTNOTE_TEXT));
        }
        let referenced_again = self.citations.get(id).is_some_and(|c| *c > 1);
        let bookmark_id = self.at.bookmarks + n;
        if referenced_again {
            out.push(Piece::BookmarkStart(bookmark_id, bookmark(word_id)));
        }
        out.push(Piece::run(marker.add_footnote_reference(Footnote {
            id: word_id,
            content: body,
        })));
        if referenced_again {
            out.push(Piece::BookmarkEnd(bookmark_id));
        }
    }

    /// Notes no reference points to (the reader keeps them after the cited ones): under a
    /// "Notes" heading at the end, each opening with its number, in the Footnote Text style.
    fn unreferenced_notes(&mut self) {
        let article = self.article;
        let left: Vec<usize> = (0..article.notes.len())
            .filter(|i| self.word_number[*i].is_none())
            .collect();
        if left.is_empty() {
            return;
        }
        let heading = article.labels(&self.theme.labels).notes;
        let p = self.text_paragraph(self.heading_style(1), &heading);
        self.out.push(p.into());
        self.in_note = true;
        for (k, i) in left.into_iter().enumerate() {
            let note = &article.notes[i];
            // Numbered on from the footnotes, as the other formats number them.
            let label = (self.footnotes + k + 1).to_string();
            self.warnings.push(Warning::new(format!(
                "footnote `{}` is never referenced; listed as note {label} under “{heading}” at \
                 the end of the docx",
                note.id
            )));
            let opening = Paragraph::new()
                .style(styles::FOOTNOTE_TEXT)
                .add_run(Run::new().style(styles::FOOTNOTE_REF).add_text(label))
                .add_run(Run::new().add_text(" "));
            match note.blocks.split_first() {
                Some((Block::Paragraph { content }, rest)) => {
                    let p = self.paragraph(opening, content);
                    self.out.push(p.into());
                    for b in rest {
                        self.block(b, styles::FOOTNOTE_TEXT, 0);
                    }
                }
                _ => {
                    self.out.push(opening.into());
                    for b in &note.blocks {
                        self.block(b, styles::FOOTNOTE_TEXT, 0);
                    }
                }
            }
        }
        self.in_note = false;
    }
}

/// Each column's narrowest and widest content width in points, estimated from its characters
/// at the body size (half an em per character): the longest word, and the longest cell on one
/// line, plus the cell's padding. Used only when the theme's faces cannot be read to measure
/// the columns as the PDF does (`layout::table::column_widths`).
fn estimated_widths(table: &Table) -> (Vec<f32>, Vec<f32>) {
    const EM: f32 = 10.0;
    const PADDING: f32 = 12.0;
    let columns = table.columns();
    let mut min = vec![PADDING; columns];
    let mut max = vec![PADDING; columns];
    for row in table.rows() {
        for (c, cell) in row.iter().enumerate() {
            let text = plain_text(&cell.content);
            let chars = |s: &str| s.chars().count() as f32 * EM * 0.5 + PADDING;
            let longest = text.split_whitespace().map(chars).fold(PADDING, f32::max);
            min[c] = min[c].max(longest);
            max[c] = max[c].max(chars(text.trim()));
        }
    }
    (min, max)
}

/// The hidden bookmark around a note's first reference (Word's `_Ref` prefix hides it).
fn bookmark(n: usize) -> String {
    format!("_RefNote{n}")
}

/// The runs of a `NOTEREF` field: `\f` shows the number formatted as a footnote reference, `\h`
/// links it to the note; the cached result is the number Word shows for the note.
fn note_cross_reference(n: usize, shown: usize) -> Vec<Piece> {
    let mark = || Run::new().style(styles::FOOTNOTE_REF);
    vec![
        Piece::run(mark().add_field_char(FieldCharType::Begin, false)),
        Piece::run(mark().add_instr_text(InstrText::Unsupported(format!(
            " NOTEREF {} \\f \\h ",
            bookmark(n)
        )))),
        Piece::run(mark().add_field_char(FieldCharType::Separate, false)),
        Piece::run(mark().add_text(shown.to_string())),
        Piece::run(mark().add_field_char(FieldCharType::End, false)),
    ]
}

/// The numbering of one list: all nine levels in the list's kind, each starting at `start`.
fn numbering(id: usize, ordered: bool, start: u32) -> (AbstractNumbering, Numbering) {
    // Level formats cycle like Word's defaults: 1. a. i.; bullets alternate • and – (both
    // in every text face, unlike Word's Symbol-font bullets).
    const ORDERED: [&str; 3] = ["decimal", "lowerLetter", "lowerRoman"];
    const BULLETS: [&str; 2] = ["\u{2022}", "\u{2013}"];
    let mut abs = AbstractNumbering::new(id);
    for lvl in 0..=MAX_LIST_LEVEL {
        let (format, text) = if ordered {
            (ORDERED[lvl % 3], format!("%{}.", lvl + 1))
        } else {
            ("bullet", BULLETS[lvl % 2].to_owned())
        };
        let level = Level::new(
            lvl,
            Start::new(start as usize),
            NumberFormat::new(format),
            LevelText::new(text),
            LevelJc::new("left"),
        )
        .indent(
            Some(LIST_INDENT * (lvl as i32 + 1)),
            Some(SpecialIndentType::Hanging(LIST_HANGING)),
            None,
            None,
        );
        abs = abs.add_level(level);
    }
    (abs, Numbering::new(id, id))
}
