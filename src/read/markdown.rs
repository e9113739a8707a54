//! Markdown with YAML front matter (`.md`), the main source form.
//!
//! pulldown-cmark parses CommonMark with its YAML metadata-block and footnote options; the
//! metadata block at the very start is the front matter ([`front_matter`]). Events become the
//! model through two stacks: containers (quotes, lists, items, footnote definitions) and inline
//! frames (paragraph, heading, emphasis, link, image …).
//!
//! Choices a production editor would expect:
//! - raw HTML is not interpreted: it stays literal text;
//! - a paragraph holding only an image is a figure; an image inside running text becomes a
//!   figure after its paragraph (with its alt text);
//! - the image title is the caption, split into caption and credit like a wire caption;
//! - a leading `# Heading` is the title when the front matter has none;
//! - heading levels are relative: the shallowest level in the body becomes level 1, the next 2,
//!   anything deeper 3;
//! - fenced and indented code becomes a paragraph of literal lines;
//! - nesting deeper than [`MAX_NESTING`] is flattened with a warning (no stack overflow later).

use crate::article::default_language;
use crate::article::quotes::Quotes;
use crate::article::walk;
use crate::article::{
    Align, Article, Block, Cell, Figure, Footnote, Inline, Meta, Row, Table, plain_text,
};
use crate::error::{Error, Location, Result, Warning};
use crate::read::smart::Smart;
use crate::read::{Parsed, credit, front_matter, table_caption};
use pulldown_cmark::{
    Alignment, Event, HeadingLevel, MetadataBlockKind, Options, Parser, Tag, TagEnd,
};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// The deepest nesting of quotes and lists kept, and of emphasis, strong and links. Deeper
/// containers are flattened into their parent: 16 levels is far beyond any brief and keeps every
/// recursive walk in the backends shallow.
pub const MAX_NESTING: usize = 16;

/// Parses a Markdown source. Only a metadata block that opens the file is front matter, so the
/// metadata option is given to a parser of that opening block alone; the body is parsed as
/// plain CommonMark (with footnotes), where `---` / text / `---` is a rule and a setext heading.
pub(crate) fn parse(text: &str) -> Result<Parsed> {
    let mut b = Builder::new(text);
    let mut body = 0;
    if let Some(head) = front_matter_candidate(text) {
        let opts = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
        let mut events = Parser::new_ext(head, opts).into_offset_iter().peekable();
        if let Some((Event::Start(Tag::MetadataBlock(MetadataBlockKind::YamlStyle)), r)) =
            events.peek()
            && r.start == 0
        {
            body = r.end;
            let block: Vec<_> = events.take_while(|(_, r)| r.end <= body).collect();
            b.feed(block.into_iter(), 0)?;
        }
    }
    if b.front.as_ref().is_none_or(|f| f.smart) {
        let language = b
            .front
            .as_ref()
            .map_or_else(default_language, |f| f.meta.language.clone());
        b.smart = Some(Smart::new(Quotes::for_language(&language)));
    }
    let opts = Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES;
    b.feed(
        Parser::new_ext(&text[body..], opts).into_offset_iter(),
        body,
    )?;
    b.finish()
}

/// The opening `---` line of a file and everything up to the first line that could close it
/// (`---` or `...`), or the whole text when none does: what a metadata block at the start can
/// span. The body after it is never parsed twice.
fn front_matter_candidate(text: &str) -> Option<&str> {
    let first = text.lines().next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let mut at = first.len();
    for line in text[at..].split_inclusive('\n').skip(1) {
        at += line.len();
        if matches!(line.trim_end(), "---" | "...") {
            return Some(&text[..at]);
        }
    }
    Some(text)
}

/// A container of blocks being built.
enum Container {
    Root(Vec<Block>),
    Quote(Vec<Block>),
    List {
        ordered: bool,
        start: u32,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
    /// A pipe table: its rows so far and the row being filled.
    Table {
        align: Vec<Align>,
        head: Vec<Row>,
        body: Vec<Row>,
        row: Row,
    },
    Note {
        id: String,
        blocks: Vec<Block>,
    },
}

/// What an inline frame will become.
enum Frame {
    Paragraph {
        implicit: bool,
    },
    Heading(u8),
    Emphasis,
    Strong,
    Link(String),
    Image {
        url: String,
        title: String,
        line: Location,
    },
    Code,
    /// A table cell.
    Cell,
    /// A tag the model has no place for, or nesting too deep: its content joins the parent.
    Transparent,
}

/// Whether a container counts towards the nesting depth (the root does not).
fn counts_as_nesting(c: &Container) -> bool {
    !matches!(c, Container::Root(_))
}

/// Whether a frame counts towards the inline nesting depth.
fn counts_as_inline_nesting(f: &Frame) -> bool {
    matches!(f, Frame::Emphasis | Frame::Strong | Frame::Link(_))
}

struct Builder<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
    containers: Vec<Container>,
    frames: Vec<(Frame, Vec<Inline>)>,
    /// Figures found inside the paragraph or heading being built, placed after it.
    pending_figures: Vec<Figure>,
    front: Option<front_matter::Parsed>,
    in_front_matter: bool,
    front_text: String,
    front_offset: usize,
    notes: BTreeMap<String, Vec<Block>>,
    /// The line of each note's definition, for the warning when nothing cites it.
    note_lines: BTreeMap<String, usize>,
    note_order: Vec<String>,
    figure_lines: Vec<(String, Location)>,
    link_lines: Vec<(String, Location)>,
    warnings: Vec<Warning>,
    warned_nesting: bool,
    /// Inside a raw HTML block: the last line ended, so a line break comes before more text.
    html_break: bool,
    /// Smart punctuation in the brief's language, unless the front matter turns it off.
    smart: Option<Smart>,
    /// How many quotes, lists, items and notes are open (the containers that count as nesting),
    /// kept as containers open and close: counting the stack at each open made a 100 000-deep
    /// quote cost 100 000² steps.
    depth: usize,
    /// How many emphasis, strong and link frames are open, kept the same way.
    inline_depth: usize,
    /// Quotes, lists and items open beyond [`MAX_NESTING`]: flattened, they open no container
    /// (their blocks go to the deepest one open), so closing them moves nothing; moving each
    /// level's content into its parent cost the square of the depth.
    flattened_containers: usize,
    /// Emphasis, strong and links open beyond [`MAX_NESTING`], flattened the same way.
    flattened_inlines: usize,
    /// The footnotes referenced so far (`note_order` as a set, for a constant-time look-up).
    noted: BTreeSet<String>,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Builder {
            text,
            line_starts,
            containers: vec![Container::Root(Vec::new())],
            frames: Vec::new(),
            pending_figures: Vec::new(),
            front: None,
            in_front_matter: false,
            front_text: String::new(),
            front_offset: 0,
            notes: BTreeMap::new(),
            note_lines: BTreeMap::new(),
            note_order: Vec::new(),
            figure_lines: Vec::new(),
            link_lines: Vec::new(),
            warnings: Vec::new(),
            warned_nesting: false,
            html_break: false,
            smart: None,
            depth: 0,
            inline_depth: 0,
            flattened_containers: 0,
            flattened_inlines: 0,
            noted: BTreeSet::new(),
        }
    }

    /// The 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    fn nesting(&self) -> usize {
        self.depth
    }

    /// Opens a container, counting it when it nests.
    fn open_container(&mut self, c: Container) {
        if counts_as_nesting(&c) {
            self.depth += 1;
        }
        self.containers.push(c);
    }

    /// Opens an inline frame, counting it when it nests.
    fn push_frame(&mut self, frame: Frame) {
        if counts_as_inline_nesting(&frame) {
            self.inline_depth += 1;
        }
        self.frames.push((frame, Vec::new()));
    }

    fn warn_nesting(&mut self, offset: usize) {
        if !self.warned_nesting {
            self.warned_nesting = true;
            let at = Location::line(self.line(offset));
            self.warnings.push(Warning::at(
                at,
                format!("nesting deeper than {MAX_NESTING} levels is flattened"),
            ));
        }
    }

    /// Processes events; `base` is added to their offsets (for re-parsed fragments).
    fn feed<'a>(
        &mut self,
        events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
        base: usize,
    ) -> Result<()> {
        for (event, range) in events {
            let at = base + range.start;
            match event {
                Event::Start(tag) => self.start(tag, at)?,
                Event::End(tag) => self.end(tag)?,
                Event::Text(t) => {
                    if self.in_front_matter {
                        if self.front_text.is_empty() {
                            self.front_offset = at;
                        }
                        self.front_text.push_str(&t);
                    } else {
                        // An escaped character or an entity was typed to be kept as it is;
                        // so is a code block's text.
                        let typed = self.text[at..].starts_with('&')
                            || matches!(self.frames.last(), Some((Frame::Code, _)));
                        let escaped = self.text[at..].starts_with('\\')
                            || (self.text[..at].ends_with('\\')
                                && t.starts_with(|c: char| c.is_ascii_punctuation()));
                        let text = match self.smart.as_mut() {
                            Some(smart) if !typed && escaped => {
                                let split = t.chars().next().map_or(0, char::len_utf8);
                                smart.literal(&t[..split]);
                                format!("{}{}", &t[..split], smart.text(&t[split..]))
                            }
                            Some(smart) if !typed => smart.text(&t),
                            _ => {
                                self.typed(&t);
                                t.into_string()
                            }
                        };
                        self.push_inline(Inline::Text { text });
                    }
                }
                Event::Code(t) => {
                    self.typed(&t);
                    self.push_inline(Inline::Code {
                        text: t.into_string(),
                    });
                }
                Event::Html(t) => {
                    self.typed(&t);
                    // A raw HTML block arrives a line at a time, each with its line end. It is
                    // literal text whose lines keep their breaks: a break goes between two
                    // lines (not after the last), so no two lines run together.
                    for piece in t.split_inclusive('\n') {
                        if std::mem::take(&mut self.html_break) {
                            self.push_inline(Inline::LineBreak);
                        }
                        let line = piece.strip_suffix('\n');
                        let content = line.unwrap_or(piece).trim_end_matches('\r');
                        if !content.is_empty() {
                            self.push_inline(Inline::Text {
                                text: content.to_owned(),
                            });
                        }
                        self.html_break = line.is_some();
                    }
                }
                Event::InlineHtml(t) => {
                    self.typed(&t);
                    // Raw HTML inside a paragraph is literal text; a line end in it is a soft
                    // break, as anywhere in the paragraph.
                    self.push_inline(Inline::Text {
                        text: t.replace("\r\n", " ").replace(['\n', '\r'], " "),
                    });
                }
                Event::InlineMath(t) | Event::DisplayMath(t) => self.push_inline(Inline::Code {
                    text: t.into_string(),
                }),
                Event::FootnoteReference(label) => {
                    let id = label.to_lowercase();
                    if self.noted.insert(id.clone()) {
                        self.note_order.push(id.clone());
                    }
                    self.push_inline(Inline::FootnoteRef { id });
                }
                Event::SoftBreak => {
                    self.typed(" ");
                    self.push_inline(Inline::Text {
                        text: " ".to_owned(),
                    });
                }
                Event::HardBreak => {
                    self.typed("\n");
                    self.push_inline(Inline::LineBreak);
                }
                Event::Rule => {
                    self.close_implicit();
                    self.push_block(Block::Rule);
                }
                Event::TaskListMarker(done) => self.push_inline(Inline::Text {
                    text: if done { "☒ " } else { "☐ " }.to_owned(),
                }),
            }
        }
        Ok(())
    }

    /// Text kept as typed still stands before what smart punctuation sets next.
    fn typed(&mut self, text: &str) {
        if let Some(smart) = self.smart.as_mut() {
            smart.literal(text);
        }
    }

    /// `text` with smart punctuation, when it is on (captions and other single strings).
    fn smarten(&self, text: &str) -> String {
        match &self.smart {
            Some(smart) => {
                let mut fresh = smart.clone();
                fresh.reset();
                fresh.text(text)
            }
            None => text.to_owned(),
        }
    }

    fn start(&mut self, tag: Tag<'_>, at: usize) -> Result<()> {
        // Quotations never run from one block into the next.
        if let Some(smart) = self.smart.as_mut()
            && matches!(
                tag,
                Tag::Paragraph
                    | Tag::Heading { .. }
                    | Tag::Item
                    | Tag::BlockQuote(_)
                    | Tag::CodeBlock(_)
                    | Tag::HtmlBlock
                    | Tag::FootnoteDefinition(_)
                    | Tag::TableCell
            )
        {
            smart.reset();
        }
        match tag {
            Tag::MetadataBlock(_) => {
                self.in_front_matter = true;
                self.front_text.clear();
            }
            Tag::Paragraph => {
                self.close_implicit();
                self.frames
                    .push((Frame::Paragraph { implicit: false }, Vec::new()));
            }
            Tag::Heading { level, .. } => {
                self.close_implicit();
                let n = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                self.push_frame(Frame::Heading(n));
            }
            Tag::BlockQuote(_) => {
                self.close_implicit();
                if self.nesting() >= MAX_NESTING {
                    self.warn_nesting(at);
                    self.flattened_containers += 1;
                } else {
                    self.open_container(Container::Quote(Vec::new()));
                }
            }
            Tag::CodeBlock(_) => {
                self.close_implicit();
                self.push_frame(Frame::Code);
            }
            Tag::HtmlBlock => {
                self.close_implicit();
                self.html_break = false;
                self.frames
                    .push((Frame::Paragraph { implicit: false }, Vec::new()));
            }
            Tag::List(first) => {
                self.close_implicit();
                if self.nesting() >= MAX_NESTING {
                    self.warn_nesting(at);
                    self.flattened_containers += 1;
                } else {
                    let start = first.map_or(1, |n| u32::try_from(n).unwrap_or(u32::MAX));
                    self.open_container(Container::List {
                        ordered: first.is_some(),
                        start,
                        items: Vec::new(),
                    });
                }
            }
            Tag::Item => {
                self.close_implicit();
                // An item of a flattened list is flattened too.
                if self.flattened_containers > 0 {
                    self.flattened_containers += 1;
                } else {
                    self.open_container(Container::Item(Vec::new()));
                }
            }
            Tag::FootnoteDefinition(label) => {
                self.close_implicit();
                let line = self.line(at);
                self.note_lines.entry(label.to_lowercase()).or_insert(line);
                self.open_container(Container::Note {
                    id: label.to_lowercase(),
                    blocks: Vec::new(),
                });
            }
            Tag::Emphasis => self.open_inline(Frame::Emphasis, at),
            Tag::Strong => self.open_inline(Frame::Strong, at),
            Tag::Link { dest_url, .. } => {
                let url = dest_url.into_string();
                let line = Location::line(self.line(at));
                self.link_lines.push((url.clone(), line));
                self.open_inline(Frame::Link(url), at)
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                let line = Location::line(self.line(at));
                self.ensure_paragraph();
                self.frames.push((
                    Frame::Image {
                        url: dest_url.into_string(),
                        title: title.into_string(),
                        line,
                    },
                    Vec::new(),
                ));
            }
            Tag::Table(alignments) => {
                self.close_implicit();
                let align = alignments
                    .iter()
                    .map(|a| match a {
                        Alignment::None => Align::Default,
                        Alignment::Left => Align::Left,
                        Alignment::Center => Align::Center,
                        Alignment::Right => Align::Right,
                    })
                    .collect();
                self.open_container(Container::Table {
                    align,
                    head: Vec::new(),
                    body: Vec::new(),
                    row: Vec::new(),
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(Container::Table { row, .. }) = self.containers.last_mut() {
                    row.clear();
                }
            }
            Tag::TableCell => self.push_frame(Frame::Cell),
            // Strikethrough, super/subscript and definition lists are not enabled; if they
            // ever arrive their text still flows into the surrounding block.
            _ => self.open_inline(Frame::Transparent, at),
        }
        Ok(())
    }

    fn end(&mut self, tag: TagEnd) -> Result<()> {
        match tag {
            TagEnd::MetadataBlock(_) => {
                self.in_front_matter = false;
                let first_line = self.line(self.front_offset.max(1));
                let yaml = std::mem::take(&mut self.front_text);
                // YAML that does not parse fails the source, but the body is still read so
                // `check` reports its problems (images, notes) in the same run.
                self.front = Some(
                    front_matter::parse(&yaml, first_line)
                        .unwrap_or_else(front_matter::Parsed::unreadable),
                );
            }
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::HtmlBlock => {
                self.close_frame()
            }
            // Events nest, and every quote, list and item opened since flattening began is
            // flattened: while any is open, the innermost one is, so this end is its end.
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item
                if self.flattened_containers > 0 =>
            {
                self.close_implicit();
                self.flattened_containers -= 1;
            }
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item | TagEnd::FootnoteDefinition => {
                self.close_implicit();
                self.close_container();
            }
            // The same holds for emphasis, strong and links.
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link if self.flattened_inlines > 0 => {
                self.flattened_inlines -= 1;
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link | TagEnd::Image => self.close_frame(),
            TagEnd::TableCell => {
                // Whatever the cell left open (nothing, in well-formed events) closes with it.
                while self
                    .frames
                    .last()
                    .is_some_and(|(f, _)| !matches!(f, Frame::Cell))
                {
                    self.close_frame();
                }
                self.close_frame();
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                let head = matches!(tag, TagEnd::TableHead);
                if let Some(Container::Table {
                    head: h, body, row, ..
                }) = self.containers.last_mut()
                {
                    let done = std::mem::take(row);
                    if head { h.push(done) } else { body.push(done) }
                }
            }
            TagEnd::Table => {
                self.close_container();
                // Pictures inside cells stand after the table.
                for figure in std::mem::take(&mut self.pending_figures) {
                    self.push_block(Block::Figure { figure });
                }
            }
            _ => self.close_frame(),
        }
        Ok(())
    }

    /// Opens an inline frame; when emphasis, strong or links nest too deep, none is opened
    /// and the content joins the frame already open.
    fn open_inline(&mut self, frame: Frame, at: usize) {
        self.ensure_paragraph();
        if self.inline_depth >= MAX_NESTING && counts_as_inline_nesting(&frame) {
            self.warn_nesting(at);
            self.flattened_inlines += 1;
        } else {
            self.push_frame(frame);
        }
    }

    /// Tight list items carry inline content without a paragraph: open an implicit one.
    fn ensure_paragraph(&mut self) {
        if self.frames.is_empty() {
            self.frames
                .push((Frame::Paragraph { implicit: true }, Vec::new()));
        }
    }

    fn close_implicit(&mut self) {
        if matches!(
            self.frames.first(),
            Some((Frame::Paragraph { implicit: true }, _))
        ) {
            while !self.frames.is_empty() {
                self.close_frame();
            }
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        if self.in_front_matter {
            return;
        }
        self.ensure_paragraph();
        if let Some((_, content)) = self.frames.last_mut() {
            push_merged(content, inline);
        }
    }

    fn push_block(&mut self, block: Block) {
        match self.containers.last_mut() {
            Some(
                Container::Root(b)
                | Container::Quote(b)
                | Container::Item(b)
                | Container::Note { blocks: b, .. },
            ) => b.push(block),
            // Content directly in a list (not in an item) cannot happen in CommonMark; keep it
            // as an item of its own rather than lose it.
            Some(Container::List { items, .. }) => items.push(vec![block]),
            // Nor can a block inside a table; its text joins the row as a cell.
            Some(Container::Table { row, .. }) => row.push(Cell {
                content: match block {
                    Block::Paragraph { content } | Block::Heading { content, .. } => content,
                    _ => Vec::new(),
                },
            }),
            None => {}
        }
    }

    fn close_frame(&mut self) {
        let Some((frame, content)) = self.frames.pop() else {
            return;
        };
        if counts_as_inline_nesting(&frame) {
            self.inline_depth -= 1;
        }
        let wrapped = match frame {
            Frame::Paragraph { .. } => {
                let figures = std::mem::take(&mut self.pending_figures);
                let only_figures = !figures.is_empty() && content.iter().all(is_blank);
                if !only_figures && !content.iter().all(is_blank) {
                    self.push_block(Block::Paragraph { content });
                }
                for figure in figures {
                    self.push_block(Block::Figure { figure });
                }
                return;
            }
            Frame::Heading(level) => {
                self.push_block(Block::Heading { level, content });
                for figure in std::mem::take(&mut self.pending_figures) {
                    self.push_block(Block::Figure { figure });
                }
                return;
            }
            Frame::Code => {
                let raw = plain_text(&content);
                let mut inlines = Vec::new();
                for (i, line) in raw.trim_end_matches('\n').split('\n').enumerate() {
                    if i > 0 {
                        inlines.push(Inline::LineBreak);
                    }
                    inlines.push(Inline::Code {
                        text: line.to_owned(),
                    });
                }
                self.push_block(Block::Paragraph { content: inlines });
                return;
            }
            Frame::Image { .. }
                if self
                    .frames
                    .iter()
                    .any(|(f, _)| matches!(f, Frame::Image { .. })) =>
            {
                // An image inside another image's description is part of that description
                // (CommonMark renders its alt text), not a figure of its own.
                content
            }
            Frame::Image { url, title, line } => {
                let alt = plain_text(&content).trim().to_owned();
                let (caption, credit) = match credit::split(&title) {
                    Some((c, cr)) => (self.smarten(&c), Some(self.smarten(&cr))),
                    None => (self.smarten(title.trim()), None),
                };
                self.figure_lines.push((url.clone(), line));
                self.pending_figures.push(Figure {
                    src: Some(url),
                    alt,
                    caption,
                    credit,
                    image: None,
                });
                // The alt text lives in the figure, which follows its paragraph.
                Vec::new()
            }
            Frame::Cell => {
                let content = trim_cell(content);
                if let Some(Container::Table { row, .. }) = self.containers.last_mut() {
                    row.push(Cell { content });
                }
                return;
            }
            Frame::Emphasis => vec![Inline::Emphasis { content }],
            Frame::Strong => vec![Inline::Strong { content }],
            Frame::Link(url) => vec![Inline::Link { url, content }],
            Frame::Transparent => content,
        };
        if self.frames.is_empty() {
            // An inline frame with no block around it: give it a paragraph.
            self.frames
                .push((Frame::Paragraph { implicit: true }, Vec::new()));
        }
        if let Some((_, parent)) = self.frames.last_mut() {
            for i in wrapped {
                push_merged(parent, i);
            }
        }
    }

    fn close_container(&mut self) {
        if self.containers.len() <= 1 {
            return;
        }
        let Some(c) = self.containers.pop() else {
            return;
        };
        if counts_as_nesting(&c) {
            self.depth -= 1;
        }
        match c {
            Container::Quote(blocks) => self.push_block(Block::Quote { blocks }),
            Container::List {
                ordered,
                start,
                items,
            } => self.push_block(Block::List {
                ordered,
                start,
                items,
            }),
            Container::Item(blocks) => match self.containers.last_mut() {
                Some(Container::List { items, .. }) => items.push(blocks),
                _ => blocks.into_iter().for_each(|b| self.push_block(b)),
            },
            Container::Note { id, blocks } => {
                self.notes.entry(id).or_insert(blocks);
            }
            Container::Table {
                align, head, body, ..
            } => self.push_block(Block::Table {
                table: Table {
                    caption: String::new(),
                    source: None,
                    align,
                    head,
                    body,
                },
            }),
            Container::Root(_) => {}
        }
    }

    fn finish(mut self) -> Result<Parsed> {
        self.close_implicit();
        while !self.frames.is_empty() {
            self.close_frame();
        }
        while self.containers.len() > 1 {
            self.close_container();
        }
        let Some(Container::Root(mut blocks)) = self.containers.pop() else {
            return Err(Error::source(
                Location::default(),
                "internal: the block stack lost its root",
                None,
            ));
        };
        if self.front.is_none() && self.text.starts_with("---") {
            return Err(Error::source(
                Location::line(1),
                "the front matter that starts on line 1 is not closed",
                Some("end it with a line holding only `---`".to_owned()),
            ));
        }
        let (mut meta, mut photo, photo_line, problems) = match self.front.take() {
            Some(f) => (f.meta, f.photo, f.photo_line, f.problems),
            None => (Meta::new(""), None, Location::default(), Vec::new()),
        };
        // The front matter's prose gets the body's punctuation.
        meta.title = self.smarten(&meta.title);
        for field in [&mut meta.subtitle, &mut meta.summary] {
            if let Some(v) = field.as_mut() {
                *v = self.smarten(v);
            }
        }
        if let Some(p) = photo.as_mut() {
            p.caption = self.smarten(&p.caption);
            p.credit = p.credit.as_deref().map(|c| self.smarten(c));
        }
        if meta.title.is_empty()
            && let Some(Block::Heading { level: 1, content }) = blocks.first()
        {
            meta.title = plain_text(content).trim().to_owned();
            blocks.remove(0);
        }
        normalise_heading_levels(&mut blocks);
        let language = meta.lang();
        table_caption::attach(&mut blocks, &language);
        if let Some(src) = photo.as_ref().and_then(|p| p.src.clone()) {
            self.figure_lines.insert(0, (src, photo_line));
        }

        // Notes in the order of their first reference; definitions never referenced are kept at
        // the end (nothing is lost) with a warning.
        let mut notes = Vec::new();
        for id in &self.note_order {
            if let Some(blocks) = self.notes.remove(id) {
                notes.push(Footnote {
                    id: id.clone(),
                    blocks,
                });
            }
        }
        for (id, blocks) in std::mem::take(&mut self.notes) {
            let at = self
                .note_lines
                .get(&id)
                .map_or_else(Location::default, |&l| Location::line(l));
            self.warnings.push(Warning::at(
                at,
                format!("footnote `[^{id}]` is never referenced; it is kept after the others"),
            ));
            notes.push(Footnote { id, blocks });
        }
        for n in &mut notes {
            normalise_heading_levels(&mut n.blocks);
            table_caption::attach(&mut n.blocks, &language);
        }
        self.warn_undefined_notes(&blocks, &notes);
        let article = Article {
            meta,
            photo,
            blocks,
            notes,
        };
        Ok(Parsed {
            article,
            figure_lines: self.figure_lines,
            link_lines: self.link_lines,
            warnings: self.warnings,
            problems,
        })
    }
}

impl Builder<'_> {
    /// A `[^label]` with no definition stays as literal text (as CommonMark with footnotes
    /// says); the author surely meant a note, so each such label gets one warning naming the
    /// line where it first appears.
    fn warn_undefined_notes(&mut self, blocks: &[Block], notes: &[Footnote]) {
        fn texts<'a>(blocks: &'a [Block], out: &mut Vec<&'a str>) {
            fn inl<'a>(list: &'a [Inline], out: &mut Vec<&'a str>) {
                for i in list {
                    match i {
                        Inline::Text { text } => out.push(text),
                        Inline::Emphasis { content }
                        | Inline::Strong { content }
                        | Inline::Link { content, .. } => inl(content, out),
                        _ => {}
                    }
                }
            }
            walk::each_inline_run(blocks, &mut |run| inl(run, out));
        }
        let mut all = Vec::new();
        texts(blocks, &mut all);
        notes.iter().for_each(|n| texts(&n.blocks, &mut all));
        let mut seen: Vec<String> = Vec::new();
        for t in all {
            let mut rest = t;
            while let Some(i) = rest.find("[^") {
                rest = &rest[i + 2..];
                let Some(end) = rest.find(']') else { break };
                let label = &rest[..end];
                if label.is_empty() || label.contains(char::is_whitespace) {
                    continue;
                }
                let id = label.to_lowercase();
                if notes.iter().any(|n| n.id == id) || seen.contains(&id) {
                    continue;
                }
                let at = self
                    .text
                    .find(&format!("[^{label}]"))
                    .map_or_else(Location::default, |o| Location::line(self.line(o)));
                self.warnings.push(Warning::at(
                    at,
                    format!("footnote `[^{label}]` is cited but never defined; it stays as text"),
                ));
                seen.push(id);
            }
        }
    }
}

/// Appends an inline, merging adjacent text runs.
fn push_merged(content: &mut Vec<Inline>, inline: Inline) {
    if let (Some(Inline::Text { text: last }), Inline::Text { text }) =
        (content.last_mut(), &inline)
    {
        last.push_str(text);
        return;
    }
    content.push(inline);
}

/// A cell's text without the spaces around it.
fn trim_cell(mut content: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text { text }) = content.first_mut() {
        *text = text.trim_start().to_owned();
    }
    if let Some(Inline::Text { text }) = content.last_mut() {
        *text = text.trim_end().to_owned();
    }
    content.retain(|i| !matches!(i, Inline::Text { text } if text.is_empty()));
    content
}

fn is_blank(i: &Inline) -> bool {
    matches!(i, Inline::Text { text } if text.trim().is_empty())
}

/// Makes the shallowest heading level 1, the next 2, and anything deeper 3.
fn normalise_heading_levels(blocks: &mut [Block]) {
    fn min_level(blocks: &[Block]) -> Option<u8> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, .. } => Some(*level),
                Block::Quote { blocks } => min_level(blocks),
                Block::List { items, .. } => items.iter().filter_map(|i| min_level(i)).min(),
                _ => None,
            })
            .min()
    }
    fn apply(blocks: &mut [Block], top: u8) {
        for b in blocks {
            match b {
                Block::Heading { level, .. } => {
                    *level = (*level + 1).saturating_sub(top).clamp(1, 3)
                }
                Block::Quote { blocks } => apply(blocks, top),
                Block::List { items, .. } => items.iter_mut().for_each(|i| apply(i, top)),
                _ => {}
            }
        }
    }
    if let Some(top) = min_level(blocks) {
        apply(blocks, top);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Block, Inline, plain_text};

    fn md(text: &str) -> Parsed {
        parse(text).unwrap()
    }

    const FULL: &str = "---\ntitle: The “title” & <more>\nauthor: Jane Doe\nphoto:\n  path: photo.png\n  caption: A caption.\n  credit: © X\n---\n\nIntro with *em*, **strong**, [a link](https://example.org/?a=1&b=2), `code <x>`, a note[^n] and <b>raw</b> &amp; text.\n\n## Section\n\n> A quote\n> > nested\n\n- one\n- two\n  1. a\n  2. b\n\n3. three\n4. four\n\n### Sub\n\n![Alt text](chart.png \"Chart caption. Credit: Agency\")\n\nLine one  \nline two\n\n---\n\n```\nfn main() {}\n```\n\n[^n]: The note, with <i>markup</i>.\n";

    #[test]
    fn reads_every_block_and_inline() {
        let p = md(FULL);
        let a = &p.article;
        assert_eq!(a.meta.title, "The “title” & <more>");
        assert_eq!(a.meta.authors[0].name, "Jane Doe");
        assert_eq!(a.photo.as_ref().unwrap().src.as_deref(), Some("photo.png"));
        let Block::Paragraph { content } = &a.blocks[0] else {
            panic!("{:?}", a.blocks[0])
        };
        assert!(content.iter().any(|i| matches!(i, Inline::Emphasis { .. })));
        assert!(content.iter().any(|i| matches!(i, Inline::Strong { .. })));
        assert!(content.iter().any(
            |i| matches!(i, Inline::Link { url, .. } if url == "https://example.org/?a=1&b=2")
        ));
        assert!(
            content
                .iter()
                .any(|i| matches!(i, Inline::Code { text } if text == "code <x>"))
        );
        assert!(
            content
                .iter()
                .any(|i| matches!(i, Inline::FootnoteRef { id } if id == "n"))
        );
        // raw HTML stays literal, entities are decoded
        assert!(
            plain_text(content).contains("<b>raw</b> & text."),
            "{}",
            plain_text(content)
        );
        assert!(matches!(&a.blocks[1], Block::Heading { level: 1, .. }));
        let Block::Quote { blocks } = &a.blocks[2] else {
            panic!()
        };
        assert!(matches!(blocks[1], Block::Quote { .. }));
        let Block::List {
            ordered: false,
            items,
            ..
        } = &a.blocks[3]
        else {
            panic!("{:?}", a.blocks[3])
        };
        assert!(matches!(
            &items[1][1],
            Block::List {
                ordered: true,
                start: 1,
                ..
            }
        ));
        assert!(matches!(
            &a.blocks[4],
            Block::List {
                ordered: true,
                start: 3,
                ..
            }
        ));
        assert!(matches!(&a.blocks[5], Block::Heading { level: 2, .. }));
        let Block::Figure { figure } = &a.blocks[6] else {
            panic!("{:?}", a.blocks[6])
        };
        assert_eq!(
            (figure.alt.as_str(), figure.caption.as_str()),
            ("Alt text", "Chart caption.")
        );
        assert_eq!(figure.credit.as_deref(), Some("Agency"));
        let Block::Paragraph { content } = &a.blocks[7] else {
            panic!()
        };
        assert!(content.contains(&Inline::LineBreak));
        assert!(matches!(a.blocks[8], Block::Rule));
        let Block::Paragraph { content } = &a.blocks[9] else {
            panic!("{:?}", a.blocks[9])
        };
        assert_eq!(
            content,
            &[Inline::Code {
                text: "fn main() {}".into()
            }]
        );
        assert_eq!(a.notes.len(), 1);
        assert_eq!(
            plain_text(match &a.notes[0].blocks[0] {
                Block::Paragraph { content } => content,
                _ => panic!(),
            }),
            "The note, with <i>markup</i>."
        );
        assert_eq!(
            p.figure_lines[0],
            ("photo.png".to_owned(), Location::line(4))
        );
        assert_eq!(p.figure_lines[1].1, Location::line(27));
    }

    #[test]
    fn leading_h1_is_the_title_without_front_matter() {
        let a = md("# A title\n\nBody.\n\n# Section\n").article;
        assert_eq!(a.meta.title, "A title");
        assert!(matches!(&a.blocks[1], Block::Heading { level: 1, .. }));
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = parse("---\ntitle: T\n\nBody\n").unwrap_err();
        assert!(err.to_string().contains("not closed"), "{err}");
    }

    #[test]
    fn unknown_key_is_located_in_the_file() {
        // Reported, and the body still read, so later problems are reported in the same run.
        let p = parse("---\ntitle: T\ntitel: U\n---\nBody\n").unwrap();
        let err = &p.problems[0];
        assert_eq!(err.location().line, Some(3), "{err:?}");
        assert!(err.to_string().contains("did you mean `title`"), "{err}");
    }

    #[test]
    fn deep_nesting_is_capped_with_a_warning() {
        let deep = ">".repeat(200) + " deep\n";
        let p = md(&format!("---\ntitle: T\n---\n{deep}"));
        fn depth(b: &[Block]) -> usize {
            b.iter()
                .map(|b| match b {
                    Block::Quote { blocks } => 1 + depth(blocks),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        assert_eq!(depth(&p.article.blocks), MAX_NESTING);
        assert_eq!(p.warnings.len(), 1);
        assert!(
            plain_text(&[Inline::Text {
                text: format!("{:?}", p.article.blocks)
            }])
            .contains("deep")
        );
    }

    #[test]
    fn a_setext_heading_after_a_rule_is_a_heading_said_once() {
        let a = md("---\ntitle: T\n---\n\nIntro.\n\n---\nFoo\n---\nBar\n").article;
        assert!(matches!(a.blocks[1], Block::Rule), "{:?}", a.blocks);
        let Block::Heading { content, .. } = &a.blocks[2] else {
            panic!("no heading: {:?}", a.blocks);
        };
        assert_eq!(plain_text(content), "Foo");
        assert!(
            matches!(&a.blocks[3], Block::Paragraph { .. }),
            "{:?}",
            a.blocks
        );
        assert_eq!(a.blocks.len(), 4, "{:?}", a.blocks);
    }

    #[test]
    fn a_raw_html_block_keeps_every_line_break_and_glues_no_words() {
        let a = md("---\ntitle: T\n---\n\n<div>\nexample\n</div>\n\n<script>\nlet a;\n\nlet b;\n</script>\n").article;
        let Block::Paragraph { content } = &a.blocks[0] else {
            panic!("{:?}", a.blocks);
        };
        let lines = |content: &[Inline]| -> String {
            content
                .iter()
                .map(|i| match i {
                    Inline::Text { text } => text.as_str(),
                    Inline::LineBreak => "|",
                    _ => "?",
                })
                .collect()
        };
        assert_eq!(lines(content), "<div>|example|</div>");
        let Block::Paragraph { content } = &a.blocks[1] else {
            panic!("{:?}", a.blocks);
        };
        assert_eq!(lines(content), "<script>|let a;||let b;|</script>");
    }

    #[test]
    fn an_image_inside_an_image_description_is_alt_text_not_a_second_figure() {
        let a = md("---\ntitle: T\n---\n\n![foo ![bar](/url)](/url2)\n").article;
        let figures = a.figures();
        assert_eq!(figures.len(), 1, "{:?}", a.blocks);
        assert_eq!(figures[0].alt, "foo bar");
        assert_eq!(figures[0].src.as_deref(), Some("/url2"));
    }

    #[test]
    fn a_note_cited_but_never_defined_is_warned_about_with_its_line() {
        let p = md("---\ntitle: T\n---\n\nOne.\n\nBody [^x] and [^n].\n\n[^n]: Note.\n");
        let w: Vec<String> = p.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("`[^x]` is cited but never defined"), "{w:?}");
        assert_eq!(p.warnings[0].at.line, Some(7));
    }

    #[test]
    fn straight_punctuation_is_set_in_the_language_but_code_html_and_escapes_stay() {
        let src = "---\ntitle: The \"Ports\" -- and more\nlanguage: es\n---\n\nDijo \"sí\" -- `\"code\"` <b title=\"x\">y</b> \\\"kept\\\" ...\n";
        let a = md(src).article;
        assert_eq!(a.meta.title, "The «Ports» – and more");
        let Block::Paragraph { content } = &a.blocks[0] else {
            panic!("{:?}", a.blocks);
        };
        let text = plain_text(content);
        assert_eq!(text, "Dijo «sí» – \"code\" <b title=\"x\">y</b> \"kept\" …");
        let off = md("---\ntitle: T\nsmart_quotes: false\n---\n\n\"as typed\" -- ...\n").article;
        let Block::Paragraph { content } = &off.blocks[0] else {
            panic!("{:?}", off.blocks);
        };
        assert_eq!(plain_text(content), "\"as typed\" -- ...");
    }

    #[test]
    fn later_dashes_are_rules_not_front_matter() {
        let a = md("---\ntitle: T\n---\n\nBefore.\n\n---\ntext between\n---\n\nAfter.\n").article;
        assert!(a.blocks.iter().any(|b| matches!(b, Block::Rule)));
        let all = format!("{:?}", a.blocks);
        assert!(all.contains("text between"), "{all}");
    }
}
