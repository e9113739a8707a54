//! The body of a part (the document, or one note) as a flat list of [`Item`]s: each paragraph
//! with its style's role, its list numbering, its inlines and its pictures; each table.
//!
//! Runs are read as Word shows them: tracked insertions kept and deletions dropped, fields by
//! their shown result (a `HYPERLINK` field's result is a link, a `NOTEREF` field's a reference
//! to the note), content controls, smart tags and custom XML unwrapped, page, column and
//! section breaks ignored.

use super::package::Rel;
use super::styles::{self, Role, Styles};
use super::symbols::{code_name, is_symbol_font, sym_char};
use super::xml::El;
use crate::article::{Align, Cell, Figure, Inline, Table};
use std::collections::HashMap;

/// A paragraph of the part, read.
#[derive(Debug, Clone)]
pub struct Para {
    pub role: Role,
    /// `(numId, ilvl)` when the paragraph is a list item.
    pub num: Option<(String, u8)>,
    pub inlines: Vec<Inline>,
    /// The pictures in it, in order (`src` is the part name of the image).
    pub figures: Vec<Figure>,
    /// Whether it holds a horizontal line (VML `o:hr`).
    pub rule: bool,
    /// The bookmarks that start in it (a heading's names, for internal links).
    pub bookmarks: Vec<String>,
    /// Its alignment, when set on the paragraph (a table column's).
    pub align: Option<Align>,
    /// The left indent set on the paragraph, else by its style, in twips.
    pub indent: Option<i32>,
}

/// One piece of a part's body.
#[derive(Debug, Clone)]
pub enum Item {
    Para(Box<Para>),
    /// A table, and whether its first row is a header by the table's look (`firstRow`).
    Table(Box<Table>),
}

/// What the walk noticed, for one warning each.
#[derive(Debug, Default, Clone, Copy)]
pub struct Noticed {
    pub deletions: bool,
    pub comments: bool,
    pub embedded: bool,
    /// A table of contents (Word's TOC field, or the content control around it) was left out.
    pub toc: bool,
    /// An embedded object (OLE: an old equation, a worksheet …) was left out.
    pub objects: bool,
    /// A chart or a SmartArt diagram (drawn by Word from its data) was left out.
    pub graphics: bool,
}

/// A note reference met in the body: its kind (`footnote` or `endnote`) and Word id.
pub type NoteKey = (&'static str, String);

/// The state shared by every part's walk.
pub struct Walker<'a> {
    pub styles: &'a Styles,
    /// The relationships of the part being walked.
    pub rels: HashMap<String, Rel>,
    /// Notes in the order of their first reference; a note's model id is its index + 1.
    pub notes: Vec<NoteKey>,
    pub noticed: Noticed,
    /// The characters of symbol fonts read as nothing: (font, code as Word writes it, count).
    pub unmapped_symbols: Vec<(String, String, usize)>,
    /// Bookmarks open at this point (a note reference inside one is what a NOTEREF names).
    open_bookmarks: Vec<(String, String)>,
    /// Bookmark name → the model id of the note whose reference it encloses.
    note_bookmarks: HashMap<String, String>,
    /// Open fields, outermost first.
    fields: Vec<Field>,
}

#[derive(Debug, Default)]
struct Field {
    instr: String,
    in_result: bool,
    /// The link the result is (a HYPERLINK field).
    link: Option<String>,
    /// The result is replaced (a NOTEREF field shown as a note reference) or left out (a TOC
    /// field's entries).
    drop_result: bool,
}

/// Run formatting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Fmt {
    bold: bool,
    italic: bool,
    code: bool,
}

/// A piece of a paragraph before it becomes inlines.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Break,
    Note(String),
}

#[derive(Debug, Clone)]
struct Span {
    piece: Piece,
    fmt: Fmt,
    link: Option<String>,
}

/// A paragraph being read.
#[derive(Default)]
struct Acc {
    spans: Vec<Span>,
    figures: Vec<Figure>,
    rule: bool,
    bookmarks: Vec<String>,
    /// Paragraphs of text boxes inside it, kept after it.
    boxed: Vec<Item>,
}

/// The marker of an internal link target before headings are known: the bookmark's name.
pub const BOOKMARK_LINK: &str = "\u{0}bookmark:";

impl<'a> Walker<'a> {
    pub fn new(styles: &'a Styles) -> Walker<'a> {
        Walker {
            styles,
            rels: HashMap::new(),
            notes: Vec::new(),
            noticed: Noticed::default(),
            unmapped_symbols: Vec::new(),
            open_bookmarks: Vec::new(),
            note_bookmarks: HashMap::new(),
            fields: Vec::new(),
        }
    }

    /// The items of a container of blocks (`w:body`, a note, a table cell, a text box).
    pub fn blocks(&mut self, container: &El) -> Vec<Item> {
        let mut out = Vec::new();
        self.blocks_into(container, &mut out);
        out
    }

    fn blocks_into(&mut self, container: &El, out: &mut Vec<Item>) {
        for el in container.elements() {
            match el.name.as_str() {
                "w:p" => self.paragraph(el, out),
                "w:tbl" => out.push(Item::Table(Box::new(self.table(el)))),
                "w:del" | "w:moveFrom" => self.noticed.deletions = true,
                "w:sdt" if is_toc_control(el) => self.noticed.toc = true,
                "w:sdt" => {
                    if let Some(c) = el.child("w:sdtContent") {
                        self.blocks_into(c, out);
                    }
                }
                "w:sectPr" | "w:bookmarkStart" | "w:bookmarkEnd" | "w:proofErr" => {}
                "mc:AlternateContent" => {
                    if let Some(c) = alternate(el) {
                        self.blocks_into(c, out);
                    }
                }
                // w:ins, w:moveTo, w:customXml, w:sdtContent and whatever else wraps blocks.
                _ => self.blocks_into(el, out),
            }
        }
    }

    fn paragraph(&mut self, p: &El, out: &mut Vec<Item>) {
        let ppr = p.child("w:pPr");
        let style = ppr.and_then(|p| p.val("w:pStyle"));
        let outline = ppr
            .and_then(|p| p.val("w:outlineLvl"))
            .and_then(|v| v.parse().ok());
        let role = self.styles.role(style, outline);
        let num = ppr
            .and_then(|p| p.child("w:numPr"))
            .map(|n| {
                (
                    n.val("w:numId").map(str::to_owned),
                    n.val("w:ilvl").and_then(|v| v.parse().ok()),
                )
            })
            .map(|(id, lvl)| {
                let from_style = style.and_then(|s| self.styles.numbering(s));
                let id = id.or_else(|| from_style.as_ref().map(|s| s.0.clone()));
                let lvl = lvl.or(from_style.as_ref().map(|s| s.1)).unwrap_or(0);
                id.map(|id| (id, lvl))
            })
            .unwrap_or_else(|| style.and_then(|s| self.styles.numbering(s)))
            .filter(|(id, _)| id != "0");
        let indent = ppr
            .and_then(styles::indent)
            .or_else(|| style.and_then(|s| self.styles.indent(s)));
        let mut acc = Acc::default();
        let base = Fmt::default();
        self.inline_children(p, base, None, &mut acc);
        let inlines = build(acc.spans);
        // Walked all the same: a TOC field begins and ends in these paragraphs.
        if role == Role::Toc {
            self.noticed.toc = true;
            return;
        }
        out.push(Item::Para(Box::new(Para {
            role,
            num,
            inlines,
            figures: acc.figures,
            rule: acc.rule,
            bookmarks: acc.bookmarks,
            align: ppr.and_then(|p| p.val("w:jc")).and_then(|j| match j {
                "right" | "end" => Some(Align::Right),
                "center" => Some(Align::Center),
                "left" | "start" => Some(Align::Left),
                _ => None,
            }),
            indent,
        })));
        out.append(&mut acc.boxed);
    }

    /// The inline content of `el`'s children.
    fn inline_children(&mut self, el: &El, fmt: Fmt, link: Option<&str>, acc: &mut Acc) {
        for k in el.elements() {
            self.inline(k, fmt, link, acc);
        }
    }

    fn inline(&mut self, el: &El, fmt: Fmt, link: Option<&str>, acc: &mut Acc) {
        match el.name.as_str() {
            "w:r" => self.run(el, fmt, link, acc),
            "w:hyperlink" => {
                let target = if let Some(id) = el.attr("r:id") {
                    self.rels
                        .get(id)
                        .filter(|r| r.external)
                        .map(|r| r.target.clone())
                } else {
                    el.attr("w:anchor").map(|a| format!("{BOOKMARK_LINK}{a}"))
                };
                let target = match (target, el.attr("w:anchor"), el.attr("r:id")) {
                    (Some(t), Some(a), Some(_)) => Some(format!("{t}#{a}")),
                    (t, _, _) => t,
                };
                let inner = target.as_deref().or(link);
                self.inline_children(el, fmt, inner, acc);
            }
            "w:fldSimple" => {
                let instr = el.attr("w:instr").unwrap_or("");
                match field_link(instr) {
                    Some(url) => self.inline_children(el, fmt, Some(&url), acc),
                    None => match self.noteref(instr) {
                        Some(id) => self.push(acc, Piece::Note(id), fmt, None),
                        None => self.inline_children(el, fmt, link, acc),
                    },
                }
            }
            "w:del" | "w:moveFrom" => self.noticed.deletions = true,
            "w:commentRangeStart" | "w:commentRangeEnd" => self.noticed.comments = true,
            "w:bookmarkStart" => {
                if let (Some(id), Some(name)) = (el.attr("w:id"), el.attr("w:name")) {
                    acc.bookmarks.push(name.to_owned());
                    self.open_bookmarks.push((id.to_owned(), name.to_owned()));
                }
            }
            "w:bookmarkEnd" => {
                if let Some(id) = el.attr("w:id") {
                    self.open_bookmarks.retain(|(i, _)| i != id);
                }
            }
            "w:pPr" | "w:rPr" | "w:proofErr" | "w:permStart" | "w:permEnd" => {}
            "w:sdt" => {
                if let Some(c) = el.child("w:sdtContent") {
                    self.inline_children(c, fmt, link, acc);
                }
            }
            "mc:AlternateContent" => {
                if let Some(c) = alternate(el) {
                    self.inline_children(c, fmt, link, acc);
                }
            }
            "m:oMath" | "m:oMathPara" => {
                let t = math_text(el);
                self.push(acc, Piece::Text(t), fmt, link);
            }
            // w:ins, w:moveTo, w:smartTag, w:customXml, w:dir, w:bdo …: their runs count.
            _ => self.inline_children(el, fmt, link, acc),
        }
    }

    /// A run: its formatting, then its text, breaks, notes, pictures and field characters.
    fn run(&mut self, r: &El, outer: Fmt, link: Option<&str>, acc: &mut Acc) {
        let mut fmt = outer;
        if let Some(rpr) = r.child("w:rPr") {
            if let Some(id) = rpr.val("w:rStyle") {
                let (b, i, c) = self.styles.run_format(id);
                fmt.bold = b.unwrap_or(fmt.bold);
                fmt.italic = i.unwrap_or(fmt.italic);
                fmt.code |= c;
            }
            fmt.bold = styles::toggle(rpr, "w:b").unwrap_or(fmt.bold);
            fmt.italic = styles::toggle(rpr, "w:i").unwrap_or(fmt.italic);
            if let Some(m) = styles::mono(rpr) {
                fmt.code = m;
            }
            if styles::toggle(rpr, "w:vanish") == Some(true) {
                return;
            }
        }
        // Text typed or pasted in a symbol font (Symbol, Wingdings …) is stored at the font's
        // codes, or at the codes plus F000: it reads as the characters the font draws.
        let symbol_font = r
            .child("w:rPr")
            .and_then(|p| p.child("w:rFonts"))
            .and_then(|f| f.attr("w:ascii").or(f.attr("w:hAnsi")))
            .filter(|f| is_symbol_font(f));
        for k in r.elements() {
            match k.name.as_str() {
                "w:t" if let Some(font) = symbol_font => {
                    let text = k
                        .text()
                        .chars()
                        .filter_map(|c| match u32::from(c) {
                            code @ (0x20..=0xFF | 0xF020..=0xF0FF) => self.symbol(font, code),
                            _ => Some(c),
                        })
                        .collect();
                    self.push(acc, Piece::Text(text), fmt, link);
                }
                "w:t" => self.push(acc, Piece::Text(k.text()), fmt, link),
                "w:tab" | "w:ptab" => self.push(acc, Piece::Text(" ".into()), fmt, link),
                // Where Word may break the word with a hyphen: the layout does the same.
                "w:softHyphen" => self.push(acc, Piece::Text("\u{AD}".into()), fmt, link),
                "w:br" => match k.attr("w:type") {
                    Some("page" | "column") => {}
                    _ => self.push(acc, Piece::Break, fmt, link),
                },
                "w:cr" => self.push(acc, Piece::Break, fmt, link),
                "w:noBreakHyphen" => self.push(acc, Piece::Text("\u{2011}".into()), fmt, link),
                "w:sym" => {
                    let c = k
                        .attr("w:char")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(|c| self.symbol(k.attr("w:font").unwrap_or(""), c));
                    if let Some(c) = c {
                        self.push(acc, Piece::Text(c.to_string()), fmt, link);
                    }
                }
                "w:footnoteReference" | "w:endnoteReference" => {
                    let kind = if k.name == "w:footnoteReference" {
                        "footnote"
                    } else {
                        "endnote"
                    };
                    if let Some(wid) = k.attr("w:id") {
                        let id = self.note_id(kind, wid);
                        for (_, name) in &self.open_bookmarks {
                            self.note_bookmarks.insert(name.clone(), id.clone());
                        }
                        self.push(acc, Piece::Note(id), fmt, None);
                    }
                }
                "w:fldChar" => match k.attr("w:fldCharType") {
                    Some("begin") => self.fields.push(Field::default()),
                    Some("separate") => {
                        let noteref = self.fields.last().and_then(|f| self.noteref(&f.instr));
                        let toc = self.fields.last().is_some_and(|f| is_toc_field(&f.instr));
                        if let Some(f) = self.fields.last_mut() {
                            f.in_result = true;
                            f.link = field_link(&f.instr);
                            // Word's copy of the headings, with the page numbers of its own
                            // layout: the entries are left out (the headings are read).
                            if toc {
                                f.drop_result = true;
                            }
                        }
                        if toc {
                            self.noticed.toc = true;
                        }
                        if let Some(id) = noteref {
                            self.push(acc, Piece::Note(id), fmt, None);
                            if let Some(f) = self.fields.last_mut() {
                                f.drop_result = true;
                            }
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                },
                "w:instrText" => {
                    if let Some(f) = self.fields.last_mut()
                        && !f.in_result
                    {
                        f.instr.push_str(&k.text());
                    }
                }
                "w:drawing" => self.drawing(k, acc),
                "w:pict" => self.vml(k, acc),
                // An OLE object: its preview is a Windows metafile, and what it shows (an
                // equation of the old editor, a worksheet) is not text that can be read.
                "w:object" => self.noticed.objects = true,
                "mc:AlternateContent" => {
                    if let Some(c) = alternate(k) {
                        let wrapper = El {
                            name: "w:r".into(),
                            attrs: Vec::new(),
                            kids: c.kids.clone(),
                        };
                        self.run(&wrapper, fmt, link, acc);
                    }
                }
                "w:delText" => self.noticed.deletions = true,
                "w:commentReference" => self.noticed.comments = true,
                _ => {}
            }
        }
    }

    /// The character code `code` of `font` shows ([`sym_char`]); one it shows as nothing is
    /// counted for the reader's warning, unless the place is not shown.
    fn symbol(&mut self, font: &str, code: u32) -> Option<char> {
        let c = sym_char(font, code);
        if c.is_none() && !self.hidden() {
            let font = font.trim();
            let code = code_name(code);
            match self
                .unmapped_symbols
                .iter_mut()
                .find(|(f, c, _)| f.eq_ignore_ascii_case(font) && *c == code)
            {
                Some((_, _, n)) => *n += 1,
                None => self.unmapped_symbols.push((font.to_owned(), code, 1)),
            }
        }
        c
    }

    /// Whether what is read here is not shown: inside a field's instruction or a replaced
    /// result.
    fn hidden(&self) -> bool {
        self.fields.iter().any(|f| !f.in_result || f.drop_result)
    }

    /// Adds a piece, unless it is inside a field's instruction or a replaced result; inside a
    /// HYPERLINK field's result it links to the field's target.
    fn push(&mut self, acc: &mut Acc, piece: Piece, fmt: Fmt, link: Option<&str>) {
        if self.hidden() {
            return;
        }
        let link = self
            .fields
            .iter()
            .rev()
            .find_map(|f| f.link.clone())
            .or_else(|| link.map(str::to_owned));
        let link = if matches!(piece, Piece::Note(_)) {
            None
        } else {
            link
        };
        acc.spans.push(Span { piece, fmt, link });
    }

    /// The model id of a note, numbering it on its first reference.
    fn note_id(&mut self, kind: &'static str, wid: &str) -> String {
        let key = (kind, wid.to_owned());
        let i = match self.notes.iter().position(|k| *k == key) {
            Some(i) => i,
            None => {
                self.notes.push(key);
                self.notes.len() - 1
            }
        };
        (i + 1).to_string()
    }

    /// The note a `NOTEREF bookmark` field points at, if its bookmark encloses a reference.
    fn noteref(&self, instr: &str) -> Option<String> {
        let mut words = instr.split_whitespace();
        if !words.next()?.eq_ignore_ascii_case("NOTEREF") {
            return None;
        }
        self.note_bookmarks.get(words.next()?).cloned()
    }

    /// A DrawingML picture (inline or anchored): its alt text and image part; a text box's
    /// paragraphs are kept after the paragraph.
    fn drawing(&mut self, d: &El, acc: &mut Acc) {
        for frame in d.elements() {
            let descr = frame.child("wp:docPr");
            let alt = descr
                .and_then(|p| p.attr("descr").filter(|s| !s.trim().is_empty()))
                .or_else(|| descr.and_then(|p| p.attr("title")))
                .unwrap_or("")
                .to_owned();
            let mut blips = Vec::new();
            find_all(frame, "a:blip", &mut blips);
            let mut found = false;
            for b in blips {
                if let Some(src) = b.attr("r:embed").and_then(|id| self.image_part(id)) {
                    acc.figures.push(figure(src, &alt));
                    found = true;
                    break;
                }
                if b.attr("r:link").is_some() {
                    self.noticed.embedded = true;
                }
            }
            let mut boxes = Vec::new();
            find_all(frame, "w:txbxContent", &mut boxes);
            if !found && boxes.is_empty() {
                let mut data = Vec::new();
                find_all(frame, "a:graphicData", &mut data);
                if data.iter().any(|g| {
                    g.attr("uri").is_some_and(|u| {
                        u.ends_with("/chart") || u.ends_with("/diagram") || u.contains("chartex")
                    })
                }) {
                    self.noticed.graphics = true;
                }
            }
            for b in boxes {
                let items = self.blocks(b);
                acc.boxed.extend(items);
            }
        }
    }

    /// A VML picture (`v:imagedata`), or Word's horizontal line (`o:hr`).
    fn vml(&mut self, el: &El, acc: &mut Acc) {
        let mut shapes = Vec::new();
        find_all(el, "v:rect", &mut shapes);
        if shapes.iter().any(|s| s.attr("o:hr") == Some("t")) {
            acc.rule = true;
            return;
        }
        let mut images = Vec::new();
        find_all(el, "v:imagedata", &mut images);
        for i in images {
            if let Some(src) = i.attr("r:id").and_then(|id| self.image_part(id)) {
                let alt = i.attr("o:title").unwrap_or("").to_owned();
                acc.figures.push(figure(src, &alt));
            }
        }
        let mut boxes = Vec::new();
        find_all(el, "w:txbxContent", &mut boxes);
        for b in boxes {
            let items = self.blocks(b);
            acc.boxed.extend(items);
        }
    }

    fn image_part(&self, id: &str) -> Option<String> {
        self.rels
            .get(id)
            .filter(|r| !r.external && r.kind == "image")
            .map(|r| r.target.clone())
    }

    /// A table: rows marked as header rows (`w:tblHeader`), else the first row when the
    /// table's look says it has a header row, are the head; a merged cell's content is in its
    /// first cell and the cells it spans are empty; a table inside a cell is read as its text.
    fn table(&mut self, tbl: &El) -> Table {
        let first_row_look = tbl
            .child("w:tblPr")
            .and_then(|p| p.child("w:tblLook"))
            .is_some_and(|l| {
                l.attr("w:firstRow") == Some("1")
                    || l.attr("w:firstRow") == Some("true")
                    || l.attr("w:val")
                        .and_then(|v| u32::from_str_radix(v, 16).ok())
                        .is_some_and(|v| v & 0x0020 != 0)
            });
        let mut rows: Vec<(bool, Vec<Cell>, Vec<Option<Align>>)> = Vec::new();
        let mut row_els = Vec::new();
        collect_rows(tbl, &mut row_els);
        for tr in row_els {
            // A row deleted with tracked changes is marked in its properties (its runs are
            // deleted too): as if the change were accepted, it is not there.
            if tr
                .child("w:trPr")
                .is_some_and(|p| p.child("w:del").is_some())
            {
                self.noticed.deletions = true;
                continue;
            }
            let header = tr
                .child("w:trPr")
                .and_then(|p| p.child("w:tblHeader"))
                .is_some_and(|h| !matches!(h.attr("w:val"), Some("0" | "false")));
            let mut cells = Vec::new();
            let mut aligns = Vec::new();
            // A row that starts further right than the grid's first column (Word's
            // `w:gridBefore`, in tables of uneven rows) keeps its cells under their columns.
            let before = tr
                .child("w:trPr")
                .and_then(|p| p.val("w:gridBefore"))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0)
                .min(64);
            for _ in 0..before {
                cells.push(Cell::default());
                aligns.push(None);
            }
            let mut cell_els = Vec::new();
            collect_cells(tr, &mut cell_els);
            for tc in cell_els {
                let tcpr = tc.child("w:tcPr");
                let span = tcpr
                    .and_then(|p| p.val("w:gridSpan"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                let merged_on = tcpr
                    .and_then(|p| p.child("w:vMerge"))
                    .is_some_and(|m| m.attr("w:val") != Some("restart"));
                let items = self.blocks(tc);
                let (content, align) = if merged_on {
                    (Vec::new(), None)
                } else {
                    cell_content(&items)
                };
                cells.push(Cell { content });
                aligns.push(align);
                for _ in 1..span {
                    cells.push(Cell::default());
                    aligns.push(None);
                }
            }
            rows.push((header, cells, aligns));
        }
        let marked = rows.iter().take_while(|(h, _, _)| *h).count();
        let head_rows = if marked > 0 {
            marked
        } else if first_row_look && rows.len() > 1 {
            1
        } else {
            0
        };
        let columns = rows.iter().map(|(_, c, _)| c.len()).max().unwrap_or(0);
        let body_first = rows.get(head_rows).or(rows.first());
        let align: Vec<Align> = (0..columns)
            .map(|c| {
                body_first
                    .and_then(|(_, _, a)| a.get(c).copied().flatten())
                    .unwrap_or_default()
            })
            .collect();
        let mut head = Vec::new();
        let mut body = Vec::new();
        for (i, (_, cells, _)) in rows.into_iter().enumerate() {
            if i < head_rows {
                head.push(cells);
            } else {
                body.push(cells);
            }
        }
        Table {
            caption: String::new(),
            source: None,
            align,
            head,
            body,
        }
    }
}

/// A cell's paragraphs as one run of inlines (paragraphs joined by line breaks) and the
/// alignment of its first paragraph.
fn cell_content(items: &[Item]) -> (Vec<Inline>, Option<Align>) {
    let mut out: Vec<Inline> = Vec::new();
    let mut align = None;
    fn add(items: &[Item], out: &mut Vec<Inline>) {
        for it in items {
            let content: Vec<Inline> = match it {
                Item::Para(p) => p.inlines.clone(),
                Item::Table(t) => {
                    let mut v = Vec::new();
                    for row in t.head.iter().chain(&t.body) {
                        for c in row {
                            if !c.content.is_empty() {
                                if !v.is_empty() {
                                    v.push(Inline::Text { text: " ".into() });
                                }
                                v.extend(c.content.iter().cloned());
                            }
                        }
                    }
                    v
                }
            };
            if content.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(Inline::LineBreak);
            }
            out.extend(content);
        }
    }
    add(items, &mut out);
    if let Some(Item::Para(p)) = items.first() {
        align = p.align;
    }
    (out, align)
}

fn collect_rows<'a>(el: &'a El, out: &mut Vec<&'a El>) {
    for k in el.elements() {
        match k.name.as_str() {
            "w:tr" => out.push(k),
            "w:tblPr" | "w:tblGrid" => {}
            "w:del" => {}
            _ => collect_rows(k, out),
        }
    }
}

fn collect_cells<'a>(el: &'a El, out: &mut Vec<&'a El>) {
    for k in el.elements() {
        match k.name.as_str() {
            "w:tc" => out.push(k),
            "w:trPr" | "w:tblPrEx" | "w:del" => {}
            _ => collect_cells(k, out),
        }
    }
}

/// Whether a block content control is Word's table of contents (Insert › Table of Contents
/// wraps the TOC field in one whose gallery is "Table of Contents").
fn is_toc_control(sdt: &El) -> bool {
    sdt.child("w:sdtPr")
        .and_then(|p| p.child("w:docPartObj"))
        .and_then(|o| o.val("w:docPartGallery"))
        == Some("Table of Contents")
}

/// Whether a field instruction is a TOC field (a table of contents or of figures).
fn is_toc_field(instr: &str) -> bool {
    instr
        .split_whitespace()
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("TOC"))
}

/// The `mc:Choice` of an alternate-content block (the content Word shows), else its fallback.
fn alternate(el: &El) -> Option<&El> {
    el.child("mc:Choice").or_else(|| el.child("mc:Fallback"))
}

/// Every descendant of `el` named `name`, in document order.
fn find_all<'a>(el: &'a El, name: &str, out: &mut Vec<&'a El>) {
    for k in el.elements() {
        if k.name == name {
            out.push(k);
        } else {
            find_all(k, name, out);
        }
    }
}

/// The text of an equation (Office Math runs, in order).
fn math_text(el: &El) -> String {
    let mut ts = Vec::new();
    find_all(el, "m:t", &mut ts);
    ts.iter().map(|t| t.text()).collect()
}

fn figure(src: String, alt: &str) -> Figure {
    Figure {
        src: Some(src),
        alt: alt.trim().to_owned(),
        caption: String::new(),
        credit: None,
        image: None,
    }
}

/// The target of a `HYPERLINK` field instruction: `HYPERLINK "url"`, or `\l "anchor"`.
pub fn field_link(instr: &str) -> Option<String> {
    let instr = instr.trim();
    let rest = instr
        .strip_prefix("HYPERLINK")
        .or_else(|| instr.strip_prefix("hyperlink"))?;
    let mut url: Option<String> = None;
    let mut anchor: Option<String> = None;
    let mut tokens = tokens(rest).into_iter();
    while let Some(t) = tokens.next() {
        match t.as_str() {
            "\\l" => anchor = tokens.next(),
            s if s.starts_with('\\') => {
                if matches!(s, "\\o" | "\\t") {
                    tokens.next();
                }
            }
            _ if url.is_none() => url = Some(t),
            _ => {}
        }
    }
    match (url, anchor) {
        (Some(u), Some(a)) => Some(format!("{u}#{a}")),
        (Some(u), None) => Some(u),
        (None, Some(a)) => Some(format!("{BOOKMARK_LINK}{a}")),
        (None, None) => None,
    }
}

/// A field instruction's words, quoted ones whole.
fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut t = String::new();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                t.push(c);
            }
            out.push(t);
        } else {
            let mut t = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                t.push(c);
                chars.next();
            }
            out.push(t);
        }
    }
    out
}

/// Spans as model inlines: a link around its runs, emphasis outside strong outside code, as
/// the Markdown reader nests them; neighbouring text of one format joined.
fn build(spans: Vec<Span>) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < spans.len() {
        let link = spans[i].link.clone();
        let mut j = i;
        while j < spans.len() && spans[j].link == link {
            j += 1;
        }
        let inner = formatted(&spans[i..j]);
        match link {
            Some(url) => out.push(Inline::Link {
                url,
                content: inner,
            }),
            None => out.extend(inner),
        }
        i = j;
    }
    out
}

fn formatted(spans: &[Span]) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut i = 0;
    while i < spans.len() {
        let italic = spans[i].fmt.italic && !matches!(spans[i].piece, Piece::Note(_));
        let mut j = i;
        while j < spans.len()
            && (spans[j].fmt.italic && !matches!(spans[j].piece, Piece::Note(_))) == italic
        {
            j += 1;
        }
        let inner = strong(&spans[i..j]);
        if italic {
            out.push(Inline::Emphasis { content: inner });
        } else {
            out.extend(inner);
        }
        i = j;
    }
    out
}

fn strong(spans: &[Span]) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut i = 0;
    while i < spans.len() {
        let bold = spans[i].fmt.bold && !matches!(spans[i].piece, Piece::Note(_));
        let mut j = i;
        while j < spans.len()
            && (spans[j].fmt.bold && !matches!(spans[j].piece, Piece::Note(_))) == bold
        {
            j += 1;
        }
        let inner = plain(&spans[i..j]);
        if bold {
            out.push(Inline::Strong { content: inner });
        } else {
            out.extend(inner);
        }
        i = j;
    }
    out
}

fn plain(spans: &[Span]) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for s in spans {
        match &s.piece {
            Piece::Text(t) if t.is_empty() => {}
            Piece::Text(t) => match (out.last_mut(), s.fmt.code) {
                (Some(Inline::Code { text }), true) | (Some(Inline::Text { text }), false) => {
                    text.push_str(t)
                }
                (_, true) => out.push(Inline::Code { text: t.clone() }),
                (_, false) => out.push(Inline::Text { text: t.clone() }),
            },
            Piece::Break => out.push(Inline::LineBreak),
            Piece::Note(id) => out.push(Inline::FootnoteRef { id: id.clone() }),
        }
    }
    out
}

/// Whether a paragraph's inlines hold any visible text.
pub fn has_text(inlines: &[Inline]) -> bool {
    !crate::article::plain_text(inlines).trim().is_empty()
        || inlines
            .iter()
            .any(|i| matches!(i, Inline::FootnoteRef { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::plain_text;

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

    /// The paragraphs' texts and tables' cell texts of a body, and what the walk noticed.
    fn walk(body: &str, styles: &str) -> (Vec<String>, Noticed) {
        let styles = Styles::read(
            &super::super::xml::parse(
                format!("<w:styles {W}>{styles}</w:styles>").as_bytes(),
                10_000,
            )
            .unwrap(),
        );
        let root =
            super::super::xml::parse(format!("<w:body {W}>{body}</w:body>").as_bytes(), 10_000)
                .unwrap();
        let mut walker = Walker::new(&styles);
        let items = walker.blocks(&root);
        let texts = items
            .iter()
            .map(|i| match i {
                Item::Para(p) => plain_text(&p.inlines),
                Item::Table(t) => t
                    .head
                    .iter()
                    .chain(&t.body)
                    .map(|row| {
                        row.iter()
                            .map(|c| plain_text(&c.content))
                            .collect::<Vec<_>>()
                            .join("|")
                    })
                    .collect::<Vec<_>>()
                    .join("/"),
            })
            .collect();
        (texts, walker.noticed)
    }

    fn p(inner: &str) -> String {
        format!("<w:p>{inner}</w:p>")
    }

    fn r(text: &str) -> String {
        format!("<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>")
    }

    #[test]
    fn a_toc_field_is_left_out_where_no_content_control_wraps_it() {
        // Word 2003's TOC, or one whose control was removed: the field begins in the first
        // entry and ends in a paragraph of its own; the entries are in "toc 1" paragraphs.
        let styles = "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/></w:style>\
             <w:style w:type=\"paragraph\" w:styleId=\"TOCHeading\"><w:name w:val=\"TOC Heading\"/><w:basedOn w:val=\"Heading1\"/></w:style>";
        let body = format!(
            "<w:p><w:pPr><w:pStyle w:val=\"TOCHeading\"/></w:pPr>{}</w:p>{}{}{}{}",
            r("Contents"),
            p(&format!(
                "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> TOC \\o \"1-3\" \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}",
                r("Summary 1")
            )),
            p(&r("Findings 2")),
            p("<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"),
            p(&r("Body text."))
        );
        let (texts, noticed) = walk(&body, styles);
        // The entries' paragraphs are left empty (the assembler skips them); the TOC Heading
        // paragraph, though based on heading 1, is no heading.
        assert_eq!(texts, ["", "", "", "Body text."]);
        assert!(noticed.toc);
        // A field of another kind keeps its result.
        let body = p(&format!(
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGEREF _Toc1 \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
            r("4")
        ));
        let (texts, noticed) = walk(&body, "");
        assert_eq!(texts, ["4"]);
        assert!(!noticed.toc);
    }

    #[test]
    fn the_content_control_around_a_toc_goes_whole_and_other_controls_are_unwrapped() {
        let body = format!(
            "<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val=\"Table of Contents\"/><w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>\
             <w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val=\"Cover Pages\"/></w:docPartObj></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>",
            p(&r("Contents")),
            p(&r("Cover text"))
        );
        let (texts, noticed) = walk(&body, "");
        assert_eq!(texts, ["Cover text"]);
        assert!(noticed.toc);
    }

    #[test]
    fn a_row_deleted_with_tracked_changes_is_dropped_and_an_inserted_one_kept() {
        let row = |mark: &str, a: &str| {
            format!(
                "<w:tr><w:trPr>{mark}</w:trPr><w:tc>{}</w:tc></w:tr>",
                p(&r(a))
            )
        };
        let body = format!(
            "<w:tbl>{}{}{}</w:tbl>",
            row("", "kept"),
            row("<w:del w:id=\"1\" w:author=\"a\"/>", "gone"),
            row("<w:ins w:id=\"2\" w:author=\"a\"/>", "added")
        );
        let (texts, noticed) = walk(&body, "");
        assert_eq!(texts, ["kept/added"]);
        assert!(noticed.deletions);
    }

    #[test]
    fn an_embedded_object_is_noticed_not_read_as_a_picture() {
        let body = p(&format!(
            "{}<w:r><w:object><v:shape xmlns:v=\"urn:schemas-microsoft-com:vml\"><v:imagedata xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" r:id=\"rId5\"/></v:shape></w:object></w:r>{}",
            r("a "),
            r("b")
        ));
        let styles = Styles::default();
        let root = super::super::xml::parse(format!("<w:body {W}>{body}</w:body>").as_bytes(), 100)
            .unwrap();
        let mut walker = Walker::new(&styles);
        walker.rels.insert(
            "rId5".into(),
            Rel {
                kind: "image".into(),
                target: "word/media/image1.emf".into(),
                external: false,
            },
        );
        let items = walker.blocks(&root);
        let Item::Para(para) = &items[0] else {
            panic!("{items:?}")
        };
        assert!(para.figures.is_empty());
        assert_eq!(plain_text(&para.inlines), "a b");
        assert!(walker.noticed.objects);
    }

    #[test]
    fn a_row_that_skips_grid_columns_keeps_its_cells_under_their_columns() {
        let body = format!(
            "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr>\
             <w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
            p(&r("a")),
            p(&r("b")),
            p(&r("c")),
            p(&r("y")),
            p(&r("z"))
        );
        let (texts, _) = walk(&body, "");
        assert_eq!(texts, ["a|b|c/|y|z"]);
    }

    #[test]
    fn text_in_the_symbol_font_reads_as_its_unicode_characters() {
        let body = p(
            "<w:r><w:rPr><w:rFonts w:ascii=\"Symbol\" w:hAnsi=\"Symbol\"/></w:rPr><w:t>\u{F0B7} \u{F061}=1</w:t></w:r>",
        );
        let (texts, _) = walk(&body, "");
        assert_eq!(texts, ["• α=1"]);
    }

    #[test]
    fn a_chart_or_smartart_is_noticed() {
        let drawing = |uri: &str| {
            p(&format!(
                "<w:r><w:drawing><wp:inline xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><wp:docPr id=\"1\" name=\"Chart 1\"/><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"{uri}\"><c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" r:id=\"rId4\"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
            ))
        };
        for uri in [
            "http://schemas.openxmlformats.org/drawingml/2006/chart",
            "http://schemas.openxmlformats.org/drawingml/2006/diagram",
        ] {
            let (_, noticed) = walk(&drawing(uri), "");
            assert!(noticed.graphics, "{uri}");
        }
        let (_, noticed) = walk(
            &drawing("http://schemas.openxmlformats.org/drawingml/2006/picture"),
            "",
        );
        assert!(!noticed.graphics);
    }

    #[test]
    fn soft_hyphens_and_symbol_font_characters_read_as_word_shows_them() {
        let body = p("<w:r><w:t>Ad</w:t><w:softHyphen/><w:t>ministration </w:t>\
             <w:sym w:font=\"Symbol\" w:char=\"F0AE\"/><w:sym w:font=\"Symbol\" w:char=\"F061\"/>\
             <w:sym w:font=\"Symbol\" w:char=\"F0B3\"/><w:sym w:font=\"Symbol\" w:char=\"F0B7\"/>\
             <w:sym w:font=\"Symbol\" w:char=\"F0E5\"/><w:sym w:font=\"Arial\" w:char=\"00E9\"/></w:r>");
        let (texts, _) = walk(&body, "");
        assert_eq!(texts, ["Ad\u{AD}ministration →α≥•∑é"]);
    }

    /// A walker of `body`, walked.
    fn walked(body: &str) -> (Vec<String>, Vec<(String, String, usize)>) {
        let styles = Styles::default();
        let root =
            super::super::xml::parse(format!("<w:body {W}>{body}</w:body>").as_bytes(), 1000)
                .unwrap();
        let mut walker = Walker::new(&styles);
        let texts = walker
            .blocks(&root)
            .iter()
            .map(|i| match i {
                Item::Para(p) => plain_text(&p.inlines),
                Item::Table(_) => String::new(),
            })
            .collect();
        (texts, walker.unmapped_symbols)
    }

    #[test]
    fn wingdings_and_webdings_symbols_read_as_their_unicode_characters() {
        let sym = |font: &str, code: &str| format!("<w:sym w:font=\"{font}\" w:char=\"{code}\"/>");
        let body = [
            p(&format!(
                "<w:r>{}{}<w:t xml:space=\"preserve\"> done </w:t>{}{}{}{}</w:r>",
                sym("Wingdings", "F0FC"),
                sym("Wingdings", "F0FB"),
                sym("Wingdings", "F0D8"),
                sym("Wingdings", "F0E8"),
                sym("Wingdings 2", "F050"),
                sym("Webdings", "F061"),
            )),
            // Runs set in Wingdings, typed (the letters' codes) or pasted (at F000 plus them).
            p("<w:r><w:rPr><w:rFonts w:ascii=\"Wingdings\" w:hAnsi=\"Wingdings\"/></w:rPr><w:t>\u{F0A7}\u{F0A8}\u{F06E}\u{F076} \u{F071}\u{F0F0}\u{F0E0}</w:t></w:r>"),
            p("<w:r><w:rPr><w:rFonts w:ascii=\"Wingdings\" w:hAnsi=\"Wingdings\"/></w:rPr><w:t xml:space=\"preserve\">J \u{A1}\u{FC}</w:t></w:r><w:r><w:t xml:space=\"preserve\"> plain J</w:t></w:r>"),
        ]
        .concat();
        let (texts, unmapped) = walked(&body);
        assert_eq!(texts, ["✓✗ done ➢➔✓✔", "▪◻■❖ ❑⇨→", "☺ ○✓ plain J"]);
        assert!(unmapped.is_empty(), "{unmapped:?}");
    }

    #[test]
    fn a_symbol_font_character_without_a_unicode_one_is_dropped_and_counted_never_a_letter() {
        let body = p(
            "<w:r><w:t xml:space=\"preserve\">a</w:t><w:sym w:font=\"Wingdings\" w:char=\"F0CB\"/><w:sym w:font=\"wingdings\" w:char=\"F0CB\"/><w:sym w:font=\"Wingdings 3\" w:char=\"F0C6\"/><w:t>b</w:t></w:r>\
             <w:r><w:rPr><w:rFonts w:ascii=\"Webdings\" w:hAnsi=\"Webdings\"/></w:rPr><w:t>\u{F6}</w:t></w:r>\
             <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>QUOTE </w:instrText></w:r><w:r><w:rPr><w:rFonts w:ascii=\"Wingdings\"/></w:rPr><w:instrText>\u{CB}</w:instrText><w:sym w:font=\"Wingdings\" w:char=\"F0CB\"/></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
        );
        let (texts, unmapped) = walked(&body);
        assert_eq!(texts, ["ab"]);
        assert_eq!(
            unmapped,
            [
                ("Wingdings".to_owned(), "F0CB".to_owned(), 2),
                ("Wingdings 3".to_owned(), "F0C6".to_owned(), 1),
                ("Webdings".to_owned(), "F0F6".to_owned(), 1),
            ]
        );
    }
}
