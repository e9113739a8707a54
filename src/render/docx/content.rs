//! The article as docx-rs paragraphs: front matter, photo, blocks, lists, footnotes, links.
//!
//! Every paragraph names a style from [`super::styles`] and carries no font, size or colour of
//! its own; runs carry only bold and italic (Strong and Emphasis) and character styles. Ids that
//! docx-rs would take from its process-global counters (footnotes, hyperlink and image
//! relationships) are given here from the content's own order, so the output never depends on
//! what the process rendered before.

use super::styles;
use crate::article::{Article, Block, Figure, Inline};
use crate::error::Warning;
use crate::render::xml::{escape, is_xml_char};
use crate::theme::Theme;
use docx_rs::{
    AbstractNumbering, BreakType, Footnote, Hyperlink, HyperlinkData, IndentLevel, Level, LevelJc,
    LevelText, NumberFormat, Numbering, NumberingId, Paragraph, Pic, Run, SpecialIndentType, Start,
};

/// English Metric Units per point (DrawingML's unit: 914 400 per inch, 72 points per inch).
const EMU_PER_POINT: f32 = 12_700.0;
/// Word's default list indent step and hanging indent, in twips (half an inch and a quarter).
const LIST_INDENT: i32 = 720;
const LIST_HANGING: i32 = 360;
/// Word lists have nine levels (0–8); deeper nesting is flattened to the last.
const MAX_LIST_LEVEL: usize = 8;
/// docx-rs always writes abstractNum 1 / num 1 itself, so ours start at 2 (CRATES.md).
const FIRST_NUMBERING_ID: usize = 2;

/// One picture placed in the document, in document order.
#[derive(Debug, Clone)]
pub struct Picture {
    /// The relationship id given to docx-rs (also the media file's stem).
    pub rel_id: String,
    /// The alt text for `wp:docPr descr`, already stripped of characters XML forbids.
    pub alt: String,
}

/// The body of the document and what the finishing step needs to know about it.
pub struct Content {
    /// Every paragraph of `word/document.xml`, in order.
    pub paragraphs: Vec<Paragraph>,
    /// One abstract numbering and one instance per list, ids from [`FIRST_NUMBERING_ID`].
    pub numberings: Vec<(AbstractNumbering, Numbering)>,
    /// The pictures in the order their `wp:docPr` elements appear.
    pub pictures: Vec<Picture>,
    /// What could not be rendered perfectly.
    pub warnings: Vec<Warning>,
}

/// Builds the content of the article.
pub fn build(article: &Article, theme: &Theme) -> Content {
    let (page_w, _) = theme.page.points();
    let text_width = (page_w - theme.margins.left - theme.margins.right).max(72.0);
    let mut w = Writer {
        article,
        text_width_emu: (text_width * EMU_PER_POINT).round() as u32,
        out: Vec::new(),
        numberings: Vec::new(),
        pictures: Vec::new(),
        links: 0,
        notes_used: vec![false; article.notes.len()],
        in_note: false,
        warnings: Vec::new(),
    };
    w.front_matter();
    for block in &article.blocks {
        w.block(block, styles::BODY, 0);
    }
    if let Some(rights) = &article.meta.rights {
        let p = w.text_paragraph(styles::CREDIT, rights);
        w.out.push(p);
    }
    for (i, used) in w.notes_used.iter().enumerate() {
        if !used {
            let id = &article.notes[i].id;
            w.warnings.push(Warning::new(format!(
                "footnote `{id}` is never referenced; left out of the docx"
            )));
        }
    }
    Content {
        paragraphs: w.out,
        numberings: w.numberings,
        pictures: w.pictures,
        warnings: dedup(w.warnings),
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

/// A piece of a paragraph: a run, or a hyperlink holding runs.
enum Piece {
    Run(Box<Run>),
    Link(Box<Hyperlink>),
}

impl Piece {
    fn run(r: Run) -> Piece {
        Piece::Run(Box::new(r))
    }
}

struct Writer<'a> {
    article: &'a Article,
    text_width_emu: u32,
    out: Vec<Paragraph>,
    numberings: Vec<(AbstractNumbering, Numbering)>,
    pictures: Vec<Picture>,
    links: usize,
    notes_used: Vec<bool>,
    in_note: bool,
    warnings: Vec<Warning>,
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

    fn front_matter(&mut self) {
        let meta = &self.article.meta;
        let title = self.text_paragraph(styles::TITLE, &meta.title);
        self.out.push(title);
        if let Some(dek) = &meta.subtitle {
            let p = self.text_paragraph(styles::SUBTITLE, dek);
            self.out.push(p);
        }
        if !meta.authors.is_empty() {
            let names: Vec<String> = meta
                .authors
                .iter()
                .map(|a| match &a.affiliation {
                    Some(aff) => format!("{} ({aff})", a.name),
                    None => a.name.clone(),
                })
                .collect();
            let p = self.text_paragraph(styles::BYLINE, &names.join(", "));
            self.out.push(p);
        }
        if let Some(date) = meta.date {
            let p = self.text_paragraph(styles::DATE, &date.long_english());
            self.out.push(p);
        }
        if let Some(summary) = &meta.summary {
            let p = self.text_paragraph(styles::SUMMARY, summary);
            self.out.push(p);
        }
        if let Some(photo) = &self.article.photo {
            self.figure(photo);
        }
    }

    /// One block; `style` is the paragraph style of the context (body, quote, list, note).
    fn block(&mut self, block: &Block, style: &str, depth: usize) {
        match block {
            Block::Heading { level, content } => {
                let id = styles::HEADINGS[usize::from(*level).clamp(1, 3) - 1];
                let p = self.paragraph(Paragraph::new().style(id), content);
                self.out.push(p);
            }
            Block::Paragraph { content } => {
                let p = self.paragraph(Paragraph::new().style(style), content);
                self.out.push(p);
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
            Block::Rule => self.out.push(Paragraph::new().style(styles::RULE)),
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
        let id = FIRST_NUMBERING_ID + self.numberings.len();
        self.numberings.push(numbering(id, ordered, start));
        for item in items {
            let mut numbered = false;
            for b in item {
                match b {
                    Block::Paragraph { content } => {
                        let mut p = Paragraph::new().style(styles::LIST);
                        if numbered {
                            // A second paragraph of the same item: aligned with the item's
                            // text, without a number.
                            let left = LIST_INDENT * (level as i32 + 1);
                            p = p.indent(Some(left), None, None, None);
                        } else {
                            p = p.numbering(NumberingId::new(id), IndentLevel::new(level));
                            numbered = true;
                        }
                        let p = self.paragraph(p, content);
                        self.out.push(p);
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
                            self.out.push(p);
                            numbered = true;
                        }
                        self.list(*ordered, *start, items, depth + 1);
                    }
                    other => {
                        if !numbered {
                            let p = Paragraph::new()
                                .style(styles::LIST)
                                .numbering(NumberingId::new(id), IndentLevel::new(level));
                            self.out.push(p);
                            numbered = true;
                        }
                        self.block(other, styles::LIST, depth + 1);
                    }
                }
            }
        }
    }

    /// The picture at text width (aspect kept) in a Figure paragraph, then caption and credit.
    /// A figure without an image keeps its caption and credit.
    fn figure(&mut self, figure: &Figure) {
        match (&figure.image, self.in_note) {
            (Some(img), false) => {
                let n = self.pictures.len() + 1;
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
                self.pictures.push(Picture { rel_id, alt });
                self.out.push(
                    Paragraph::new()
                        .style(styles::FIGURE)
                        .add_run(Run::new().add_image(pic)),
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
            self.out.push(p);
        }
        if let Some(credit) = &figure.credit {
            let p = self.text_paragraph(styles::CREDIT, credit);
            self.out.push(p);
        }
    }

    fn paragraph(&mut self, mut p: Paragraph, content: &[Inline]) -> Paragraph {
        let mut pieces = Vec::new();
        self.inlines(content, Format::default(), &mut pieces);
        for piece in pieces {
            p = match piece {
                Piece::Run(r) => p.add_run(*r),
                Piece::Link(l) => p.add_hyperlink(*l),
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
                    let url = self.clean(url);
                    self.links += 1;
                    let mut runs = Vec::new();
                    self.inlines(content, Format { link: true, ..fmt }, &mut runs);
                    // docx-rs escapes the target in `Hyperlink::new` and writes it as given;
                    // built by hand (to avoid its global id counter) it must be escaped here.
                    let mut link = Hyperlink {
                        link: HyperlinkData::External {
                            rid: format!("rIdHyperlink{}", self.links),
                            path: escape(&url),
                        },
                        history: None,
                        children: Vec::new(),
                    };
                    for piece in runs {
                        if let Piece::Run(r) = piece {
                            link = link.add_run(*r);
                        }
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

    /// A real Word footnote; its id is the note's number, so it is stable.
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
        if std::mem::replace(&mut self.notes_used[n - 1], true) {
            // Word notes have one reference each; a repeat shows the number only.
            self.warnings.push(Warning::new(format!(
                "footnote `{id}` is referenced twice; the second reference shows its number only"
            )));
            out.push(Piece::run(marker.add_text(n.to_string())));
            return;
        }
        let saved = std::mem::take(&mut self.out);
        self.in_note = true;
        for b in &self.article.notes[n - 1].blocks {
            self.block(b, styles::FOOTNOTE_TEXT, 0);
        }
        self.in_note = false;
        let mut body = std::mem::replace(&mut self.out, saved);
        if body.is_empty() {
            body.push(Paragraph::new().style(styles::FOOTNOTE_TEXT));
        }
        out.push(Piece::run(marker.add_footnote_reference(Footnote {
            id: n,
            content: body,
        })));
    }
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
