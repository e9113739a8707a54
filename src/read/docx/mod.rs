//! The Word source (`.docx`): a WordprocessingML package read into the article model.
//!
//! The package is opened with limits ([`package`]), its styles and numbering read
//! ([`styles`]), the document's body and its notes walked into paragraphs and tables
//! ([`body`]), and those assembled here into the article: the front (title, dek, byline,
//! photo, summary) by the paragraphs' styles, then the body's blocks, lists by their
//! numbering, quotes, figures with their captions, tables with theirs.
//!
//! A `.docx` briefpress wrote reads back to the article it was written from, except what
//! Word cannot hold (see the README's "Word sources"): the masthead is the theme's, nested
//! quotes are one quote, image paths are the package's, note labels are numbers.

mod body;
mod package;
mod styles;
mod symbols;
mod xml;

use crate::article::link::Links;
use crate::article::{
    Article, Author, Block, Date, Figure, Footnote, Inline, Language, Meta, plain_text,
};
use crate::error::{Error, Location, Result, Warning};
use crate::read::{MemoryAssets, Parsed, credit, nesting, table_caption};
use body::{BOOKMARK_LINK, Item, Para, Walker, has_text};
use package::Package;
use std::collections::HashMap;
use styles::{Numbering, Role, Styles};

/// Reads a Word package: the parsed article (figures name their image parts) and the images
/// of the package, for the shared image checks.
pub(crate) fn parse(bytes: &[u8]) -> Result<(Parsed, MemoryAssets)> {
    let fail = |message: String| {
        Error::source(
            Location::default(),
            message,
            Some("open it in Word or LibreOffice and save it as a .docx".to_owned()),
        )
    };
    let mut pkg = Package::open(bytes.to_vec()).map_err(fail)?;
    if let Some(types) = pkg.read("[Content_Types].xml").map_err(fail)?
        && String::from_utf8_lossy(&types).contains("macroEnabled")
    {
        return Err(fail(
            "it is a macro-enabled Word file (.docm); save it as a plain .docx".into(),
        ));
    }
    let root_rels = pkg.rels("").map_err(fail)?;
    let main = root_rels
        .values()
        .find(|r| r.kind == "officeDocument" && !r.external)
        .map(|r| r.target.clone())
        .unwrap_or_else(|| "word/document.xml".to_owned());
    let Some(document) = pkg.xml(&main).map_err(fail)? else {
        return Err(fail(format!(
            "the package has no main document part (`{main}`): it is not a Word document"
        )));
    };
    let rels = pkg.rels(&main).map_err(fail)?;
    let part = |kind: &str| {
        rels.values()
            .find(|r| r.kind == kind && !r.external)
            .map(|r| r.target.clone())
    };
    let styles = match part("styles") {
        Some(p) => pkg.xml(&p).map_err(fail)?.map(|r| Styles::read(&r)),
        None => None,
    }
    .unwrap_or_default();
    let numbering = match part("numbering") {
        Some(p) => pkg
            .xml(&p)
            .map_err(fail)?
            .map(|r| Numbering::read(&r, &styles)),
        None => None,
    }
    .unwrap_or_default();
    let core_name = root_rels
        .values()
        .find(|r| r.kind == "core-properties" && !r.external)
        .map(|r| r.target.clone())
        .unwrap_or_else(|| "docProps/core.xml".to_owned());
    let core = Core::read(pkg.xml(&core_name).map_err(fail)?.as_ref());
    let language = core
        .language
        .clone()
        .or_else(|| styles.language.clone())
        .unwrap_or_else(crate::article::default_language);
    let lang = Language::of(&language);

    let Some(body_el) = document.child("w:body") else {
        return Err(fail(format!("part `{main}` has no body (`w:body`)")));
    };
    let mut walker = Walker::new(&styles);
    walker.rels = rels.clone();
    let items = walker.blocks(body_el);
    let mut front = Assembler::new(&numbering, &lang, true);
    front.run(items);

    // Notes, in the order of their first reference (a note may cite another: walked on).
    let mut note_parts: HashMap<&'static str, Option<NotesPart>> = HashMap::new();
    let mut notes = Vec::new();
    let mut k = 0;
    while k < walker.notes.len() {
        let (kind, wid) = walker.notes[k].clone();
        if !note_parts.contains_key(kind) {
            let loaded = match part(&format!("{kind}s")) {
                Some(p) => match pkg.xml(&p).map_err(fail)? {
                    Some(root) => Some((root, pkg.rels(&p).map_err(fail)?)),
                    None => None,
                },
                None => None,
            };
            note_parts.insert(kind, loaded);
        }
        let mut blocks = Vec::new();
        if let Some(Some((root, note_rels))) = note_parts.get(kind)
            && let Some(note) = root
                .children(&format!("w:{kind}"))
                .find(|n| n.attr("w:id") == Some(wid.as_str()))
        {
            let saved = std::mem::replace(&mut walker.rels, note_rels.clone());
            let items = walker.blocks(note);
            walker.rels = saved;
            let mut a = Assembler::new(&numbering, &lang, false);
            a.run(items);
            blocks = a.finish();
            trim_note_start(&mut blocks);
        }
        notes.push(Footnote {
            id: (k + 1).to_string(),
            blocks,
        });
        k += 1;
    }

    let mut warnings = Vec::new();
    let noticed = walker.noticed;
    if noticed.deletions {
        warnings.push(Warning::new(
            "the document has tracked changes: insertions are kept and deletions dropped, as \
             if every change were accepted",
        ));
    }
    let has_comments = match part("comments") {
        Some(p) => pkg
            .xml(&p)
            .map_err(fail)?
            .is_some_and(|r| r.children("w:comment").next().is_some()),
        None => false,
    };
    if noticed.comments || has_comments {
        warnings.push(Warning::new("the document's comments are dropped"));
    }
    if noticed.embedded {
        warnings.push(Warning::new(
            "a picture linked to a file outside the document is left out",
        ));
    }
    if noticed.toc {
        warnings.push(Warning::new(
            "the document's table of contents (a Word field) is left out: its entries copy the \
             headings with Word's page numbers",
        ));
    }
    if noticed.graphics {
        warnings.push(Warning::new(
            "a chart or SmartArt diagram is left out (Word draws it from its data); insert it as \
             a picture to keep it",
        ));
    }
    if noticed.objects {
        warnings.push(Warning::new(
            "an embedded object (OLE: an old-style equation, a worksheet …) is left out; insert \
             it as a picture or as text to keep it",
        ));
    }

    for (font, code, n) in &walker.unmapped_symbols {
        let font = if font.is_empty() {
            "an unnamed symbol font".to_owned()
        } else {
            format!("the {font} font")
        };
        let times = if *n > 1 {
            format!(" ({n} times)")
        } else {
            String::new()
        };
        warnings.push(Warning::new(format!(
            "a character of {font} (code {code}) has no Unicode equivalent briefpress knows: it \
             is left out{times}; replace it in Word with a Unicode symbol (Insert › Symbol, from \
             a font such as Segoe UI Symbol)"
        )));
    }

    let mut extra_notes = std::mem::take(&mut front.trailing_notes);
    let mut article = front.article(&core, language, &lang, &mut warnings);
    for (i, blocks) in extra_notes.drain(..).enumerate() {
        article.notes.push(Footnote {
            id: (notes.len() + i + 1).to_string(),
            blocks,
        });
    }
    let mut all_notes = notes;
    all_notes.append(&mut article.notes);
    article.notes = all_notes;
    if front.flattened || nesting::cap(&mut article) {
        warnings.push(Warning::new(format!(
            "nesting deeper than {} levels is flattened",
            nesting::MAX_NESTING
        )));
    }
    resolve_bookmark_links(&mut article, &front.heading_bookmarks);

    // The images the article names, from the package. A picture in a format no output can
    // place (a metafile pasted from Excel or Visio, a GIF, an SVG without its PNG copy) is
    // left out with a warning; bytes that are no picture at all go on to the image checks'
    // error, as do a damaged JPEG or PNG.
    let mut media = MemoryAssets::default();
    let mut unusable: Vec<String> = Vec::new();
    for (k, fig) in article.figures().into_iter().enumerate() {
        if let Some(src) = &fig.src
            && !media.0.iter().any(|(p, _)| p == src)
            && !unusable.contains(src)
        {
            match pkg.read(src).map_err(fail)? {
                Some(bytes) => match other_picture_format(&bytes) {
                    Some(format) => {
                        let photo = k == 0 && article.photo.is_some();
                        warnings.push(Warning::new(unusable_warning(fig, src, format, photo)));
                        unusable.push(src.clone());
                    }
                    None => media.0.push((src.clone(), bytes)),
                },
                None => {
                    return Err(fail(format!(
                        "a picture names part `{src}`, which the package does not hold"
                    )));
                }
            }
        }
    }
    leave_out_pictures(&mut article, &unusable);
    Ok((
        Parsed {
            article,
            figure_lines: Vec::new(),
            link_lines: Vec::new(),
            warnings,
            problems: Vec::new(),
        },
        media,
    ))
}

/// The format of a picture's bytes when it is a picture format briefpress cannot place (every
/// output takes JPEG and PNG only), by the format's own signature; `None` for a JPEG or PNG and
/// for bytes that are no known picture format (those fail the image checks).
fn other_picture_format(bytes: &[u8]) -> Option<&'static str> {
    let le32 = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) || bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return None;
    }
    // EMF: a header record (type 1) whose signature at offset 40 is " EMF".
    if le32(0) == Some(1) && bytes.get(40..44) == Some(b" EMF") {
        return Some("EMF (Windows enhanced metafile)");
    }
    // WMF: Aldus's placeable header, or a bare header (type 1 or 2, nine words long).
    if bytes.starts_with(&[0xD7, 0xCD, 0xC6, 0x9A])
        || (matches!(bytes.get(..4), Some([1 | 2, 0, 9, 0]))
            && matches!(bytes.get(4..6), Some([0, 1 | 3])))
    {
        return Some("WMF (Windows metafile)");
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some("GIF");
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return Some("TIFF");
    }
    // BMP: "BM", then the size of the bitmap header at offset 14 is one Windows or OS/2 wrote.
    if bytes.starts_with(b"BM") && matches!(le32(14), Some(12 | 40 | 52 | 56 | 64 | 108 | 124)) {
        return Some("BMP");
    }
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return Some("WebP");
    }
    if bytes.get(4..8) == Some(b"ftyp") {
        match bytes.get(8..12) {
            Some(b"avif" | b"avis") => return Some("AVIF"),
            Some(b"heic" | b"heix" | b"mif1" | b"msf1") => return Some("HEIF"),
            _ => {}
        }
    }
    // Compressed metafiles (EMZ, WMZ) are gzip streams.
    if bytes.starts_with(&[0x1F, 0x8B]) {
        return Some("compressed metafile (EMZ or WMZ)");
    }
    // SVG: XML text (after a byte order mark and white space) whose start names an svg root
    // (or declares one, as Illustrator's files do before a long comment).
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &text[..text.len().min(4096)];
    if head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<') {
        let head = String::from_utf8_lossy(head).to_ascii_lowercase();
        if head.contains("<svg") || head.contains("<!doctype svg") {
            return Some("SVG");
        }
    }
    None
}

/// The warning for a picture left out: which one (its alt text, and its part), its format, and
/// what to do.
fn unusable_warning(fig: &Figure, src: &str, format: &str, photo: bool) -> String {
    let which = match fig.alt.trim() {
        "" => format!("the picture `{src}`"),
        alt => format!("the picture “{alt}” (`{src}`)"),
    };
    let kept = match (fig.caption.trim().is_empty(), fig.credit.is_none()) {
        (true, true) => None,
        (false, true) => Some("caption"),
        (true, false) => Some("credit"),
        (false, false) => Some("caption and credit"),
    };
    let what = match (photo, kept) {
        (true, None) => {
            "it is left out, and the brief has no lead photo (no other picture becomes it)"
                .to_owned()
        }
        (true, Some(kept)) => format!(
            "it is left out, and the lead photo is its {kept} alone (no other picture becomes it)"
        ),
        (false, None) => "it is left out".to_owned(),
        (false, Some(kept)) => format!("it is left out with its {kept}"),
    };
    format!(
        "{which} is in {format} format, which briefpress cannot place (JPEG and PNG only): \
         {what}; re-insert it in Word as a PNG or JPEG picture (Paste Special › Picture (PNG), \
         or save it as PNG from the program that made it)"
    )
}

/// Leaves out the pictures whose parts are in `unusable`. A body or note figure goes with its
/// caption and credit. The lead photo keeps its place as the photo the reader makes of a
/// caption with no picture (a photo named but not shipped, the wire form's): its caption and
/// credit stay, and the next picture is not promoted to the photo; a photo with neither is
/// none.
fn leave_out_pictures(article: &mut Article, unusable: &[String]) {
    if unusable.is_empty() {
        return;
    }
    let gone = |f: &Figure| f.src.as_ref().is_some_and(|s| unusable.contains(s));
    if let Some(photo) = &mut article.photo
        && gone(photo)
    {
        if photo.caption.trim().is_empty() && photo.credit.is_none() {
            article.photo = None;
        } else {
            photo.src = None;
            photo.alt.clear();
        }
    }
    fn retain(blocks: &mut Vec<Block>, gone: &dyn Fn(&Figure) -> bool) {
        blocks.retain(|b| !matches!(b, Block::Figure { figure } if gone(figure)));
        for b in blocks {
            match b {
                Block::Quote { blocks } => retain(blocks, gone),
                Block::List { items, .. } => items.iter_mut().for_each(|i| retain(i, gone)),
                _ => {}
            }
        }
    }
    retain(&mut article.blocks, &gone);
    for n in &mut article.notes {
        retain(&mut n.blocks, &gone);
    }
}

/// A notes part (footnotes or endnotes) and its relationships.
type NotesPart = (xml::El, HashMap<String, package::Rel>);

/// The core properties (`docProps/core.xml`).
#[derive(Debug, Default)]
struct Core {
    title: Option<String>,
    creators: Vec<String>,
    keywords: Vec<String>,
    description: Option<String>,
    language: Option<String>,
    identifier: Option<String>,
    created: Option<Date>,
}

impl Core {
    fn read(root: Option<&xml::El>) -> Core {
        let Some(root) = root else {
            return Core::default();
        };
        let text = |name: &str| {
            root.child(name)
                .map(|e| e.text().trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        let list = |s: Option<String>, seps: &[char]| -> Vec<String> {
            s.map(|s| {
                s.split(seps)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
        };
        Core {
            title: text("dc:title"),
            creators: list(text("dc:creator"), &[';']),
            keywords: list(text("cp:keywords"), &[',', ';']),
            description: text("dc:description"),
            language: text("dc:language"),
            identifier: text("dc:identifier"),
            created: text("dcterms:created").and_then(|s| {
                let d = s.get(..10)?;
                let mut it = d.split('-');
                let y = it.next()?.parse().ok()?;
                let m = it.next()?.parse().ok()?;
                let day = it.next()?.parse().ok()?;
                Date::new(y, m, day)
            }),
        }
    }
}

/// A list being assembled.
struct ListBuild {
    num: String,
    key: String,
    ilvl: u8,
    /// How far its text is indented: a list indented further nests in the one before, whatever
    /// its level says (LibreOffice writes "List Bullet 2" as level 0 of another list).
    indent: i32,
    ordered: bool,
    start: u32,
    items: Vec<Vec<Block>>,
}

/// Turns a part's items into blocks (and, for the document, the front).
struct Assembler<'a> {
    numbering: &'a Numbering,
    lang: &'a Language,
    front: bool,
    out: Vec<Block>,
    lists: Vec<ListBuild>,
    /// Items numbered so far per list family (abstract numbering) and level.
    counters: HashMap<String, Vec<u32>>,
    /// Whether the last block came from a Quote paragraph (the next one joins it).
    in_quote: bool,
    body_started: bool,
    title: Option<String>,
    subtitle: Option<String>,
    bylines: Vec<String>,
    masthead: bool,
    summary: Vec<String>,
    photo: Option<Figure>,
    rights: Option<String>,
    /// The bookmark names of each heading, in the order the headings are in `out`.
    heading_bookmarks: Vec<Vec<String>>,
    /// The notes listed under a "Notes" heading at the end (notes no reference cites).
    trailing_notes: Vec<Vec<Block>>,
    /// Whether lists nested deeper than the cap were joined to the deepest.
    flattened: bool,
}

impl<'a> Assembler<'a> {
    fn new(numbering: &'a Numbering, lang: &'a Language, front: bool) -> Assembler<'a> {
        Assembler {
            numbering,
            lang,
            front,
            out: Vec::new(),
            lists: Vec::new(),
            counters: HashMap::new(),
            in_quote: false,
            body_started: false,
            title: None,
            subtitle: None,
            bylines: Vec::new(),
            masthead: false,
            summary: Vec::new(),
            photo: None,
            rights: None,
            heading_bookmarks: Vec::new(),
            trailing_notes: Vec::new(),
            flattened: false,
        }
    }

    fn run(&mut self, items: Vec<Item>) {
        let mut items: Vec<Option<Item>> = items.into_iter().map(Some).collect();
        let role_at = |items: &[Option<Item>], i: usize| match items.get(i) {
            Some(Some(Item::Para(p))) => Some(p.role),
            _ => None,
        };
        let is_table_at =
            |items: &[Option<Item>], i: usize| matches!(items.get(i), Some(Some(Item::Table(_))));
        let mut i = 0;
        while i < items.len() {
            let Some(item) = items[i].take() else {
                i += 1;
                continue;
            };
            match item {
                Item::Table(mut table) => {
                    self.end_lists();
                    self.in_quote = false;
                    // A caption after the table (Word's default place) when none came before.
                    if table.caption.is_empty() && role_at(&items, i + 1) == Some(Role::Caption) {
                        if let Some(Item::Para(p)) = items[i + 1].take() {
                            table.caption = self.table_caption(&plain_text(&p.inlines));
                        }
                        i += 1;
                    }
                    if role_at(&items, i + 1) == Some(Role::Credit) {
                        if let Some(Item::Para(p)) = items[i + 1].take() {
                            table.source = Some(self.table_source(&plain_text(&p.inlines)));
                        }
                        i += 1;
                    } else if table.source.is_none() {
                        let (c, s) = table_caption::split_source(&table.caption, self.lang);
                        if s.is_some() {
                            table.caption = c;
                            table.source = s;
                        }
                    }
                    self.push(Block::Table { table: *table });
                }
                Item::Para(p) => {
                    let p = *p;
                    // A caption just before a table is the table's.
                    if p.role == Role::Caption && is_table_at(&items, i + 1) {
                        if let Some(Some(Item::Table(t))) = items.get_mut(i + 1) {
                            t.caption = self.table_caption(&plain_text(&p.inlines));
                        }
                        i += 1;
                        continue;
                    }
                    // A caption and credit before the body with no picture: a photo that was
                    // named but not shipped (the wire form's), as the writer writes it.
                    if p.role == Role::Caption
                        && p.figures.is_empty()
                        && self.front
                        && !self.body_started
                        && self.photo.is_none()
                    {
                        let caption = plain_text(&p.inlines).trim().to_owned();
                        let mut credit = None;
                        if role_at(&items, i + 1) == Some(Role::Credit) {
                            if let Some(Item::Para(c)) = items[i + 1].take() {
                                credit = Some(plain_text(&c.inlines).trim().to_owned());
                            }
                            i += 1;
                        }
                        self.photo = Some(Figure {
                            src: None,
                            alt: String::new(),
                            caption,
                            credit,
                            image: None,
                        });
                        i += 1;
                        continue;
                    }
                    if !p.figures.is_empty() {
                        let mut caption = String::new();
                        let mut credit = None;
                        if role_at(&items, i + 1) == Some(Role::Caption)
                            && !is_table_at(&items, i + 2)
                        {
                            if let Some(Item::Para(c)) = items[i + 1].take() {
                                caption = plain_text(&c.inlines).trim().to_owned();
                            }
                            i += 1;
                            if role_at(&items, i + 1) == Some(Role::Credit) {
                                if let Some(Item::Para(c)) = items[i + 1].take() {
                                    credit = Some(plain_text(&c.inlines).trim().to_owned());
                                }
                                i += 1;
                            } else if let Some((c, cr)) = credit::split(&caption) {
                                caption = c;
                                credit = Some(cr);
                            }
                        }
                        self.figures(p, caption, credit);
                    } else if p.role == Role::Credit
                        && self.front
                        && items[i + 1..].iter().all(|it| match it {
                            Some(Item::Para(q)) => !has_text(&q.inlines) && q.figures.is_empty(),
                            Some(Item::Table(_)) => false,
                            None => true,
                        })
                    {
                        self.rights = Some(plain_text(&p.inlines).trim().to_owned());
                    } else if self.front
                        && matches!(p.role, Role::Heading(1))
                        && plain_text(&p.inlines).trim() == self.lang.labels().notes
                        && items[i + 1..].iter().all(|it| match it {
                            Some(Item::Para(q)) => {
                                matches!(q.role, Role::FootnoteText | Role::Credit)
                                    || !has_text(&q.inlines)
                            }
                            Some(Item::Table(_)) => false,
                            None => true,
                        })
                    {
                        // The notes no reference cites, listed at the end by the writer.
                        i += 1;
                        while i < items.len() {
                            if let Some(Item::Para(q)) = items[i].take() {
                                if q.role == Role::Credit {
                                    self.rights = Some(plain_text(&q.inlines).trim().to_owned());
                                } else if has_text(&q.inlines) {
                                    self.trailing_note(q.inlines);
                                }
                            }
                            i += 1;
                        }
                        continue;
                    } else {
                        self.paragraph(p);
                    }
                }
            }
            i += 1;
        }
    }

    /// A paragraph of the notes section: one opening with its number starts a note.
    fn trailing_note(&mut self, mut inlines: Vec<Inline>) {
        let numbered = match inlines.first_mut() {
            Some(Inline::Text { text }) => {
                let digits = text.chars().take_while(char::is_ascii_digit).count();
                if digits > 0 && text[digits..].starts_with(' ') {
                    *text = text[digits + 1..].to_owned();
                    true
                } else {
                    false
                }
            }
            _ => false,
        };
        if matches!(inlines.first(), Some(Inline::Text { text }) if text.is_empty()) {
            inlines.remove(0);
        }
        let p = Block::Paragraph { content: inlines };
        match self.trailing_notes.last_mut() {
            Some(note) if !numbered => note.push(p),
            _ => self.trailing_notes.push(vec![p]),
        }
    }

    /// "Table 3. Budget" → "Budget" (the number the writer adds; the language's word or
    /// English "Table").
    fn table_caption(&self, text: &str) -> String {
        let text = text.trim();
        let own = self.lang.labels().table_word();
        for label in [own.as_str(), "Table"] {
            if let Some(rest) = text.strip_prefix(label) {
                // "Table 3", or "表3" in a language that glues the number on.
                let rest = rest.strip_prefix(' ').unwrap_or(rest);
                let digits = rest.chars().take_while(char::is_ascii_digit).count();
                if digits > 0 {
                    let rest = &rest[digits..];
                    for sep in [". ", ": ", " – ", " — ", "：", "."] {
                        if let Some(r) = rest.strip_prefix(sep) {
                            return r.trim().to_owned();
                        }
                    }
                    if rest.trim().is_empty() {
                        return String::new();
                    }
                }
            }
        }
        text.to_owned()
    }

    /// "Source: Eurostat" → "Eurostat".
    fn table_source(&self, text: &str) -> String {
        let text = text.trim();
        let own = self.lang.labels().source_word();
        for label in [own.as_str(), "Source", "Sources"] {
            if let Some(rest) = text.strip_prefix(label)
                && let Some(rest) = rest
                    .trim_start_matches([' ', '\u{A0}', '\u{202F}'])
                    .strip_prefix([':', '：'])
            {
                return rest.trim().to_owned();
            }
        }
        text.to_owned()
    }

    /// A paragraph that holds pictures: its text first (a paragraph), then each picture; the
    /// caption and credit go with the last. The first picture before any body text is the photo.
    fn figures(&mut self, mut p: Para, caption: String, credit: Option<String>) {
        let figures = std::mem::take(&mut p.figures);
        if has_text(&p.inlines) {
            self.paragraph(p);
        }
        let n = figures.len();
        for (k, mut f) in figures.into_iter().enumerate() {
            if k + 1 == n {
                f.caption = caption.clone();
                f.credit = credit.clone();
                // The writer gives a picture without alt text its caption as alt text.
                if f.alt == f.caption {
                    f.alt.clear();
                }
            }
            if self.front && !self.body_started && self.photo.is_none() {
                self.photo = Some(f);
            } else {
                self.push(Block::Figure { figure: f });
            }
        }
    }

    fn paragraph(&mut self, p: Para) {
        let text = || plain_text(&p.inlines).trim().to_owned();
        if self.front && !self.body_started {
            match p.role {
                Role::Masthead => {
                    self.masthead = true;
                    return;
                }
                Role::Title => {
                    let t = text();
                    match &mut self.title {
                        Some(old) if !t.is_empty() => {
                            old.push(' ');
                            old.push_str(&t);
                        }
                        _ if !t.is_empty() => self.title = Some(t),
                        _ => {}
                    }
                    return;
                }
                Role::Subtitle => {
                    let t = text();
                    if !t.is_empty() {
                        match &mut self.subtitle {
                            Some(old) => {
                                old.push(' ');
                                old.push_str(&t);
                            }
                            None => self.subtitle = Some(t),
                        }
                    }
                    return;
                }
                Role::Byline | Role::Date => {
                    self.bylines.push(text());
                    return;
                }
                Role::Summary => {
                    self.summary.push(text());
                    return;
                }
                _ => {}
            }
        }
        if p.num.is_some() && matches!(p.role, Role::Body | Role::ListContinue(_)) {
            let (num, ilvl) = p.num.clone().unwrap_or_default();
            let blocks = if has_text(&p.inlines) {
                vec![Block::Paragraph { content: p.inlines }]
            } else {
                Vec::new()
            };
            self.list_item(num, ilvl, p.indent, blocks);
            return;
        }
        if let Role::ListContinue(level) = p.role
            && !self.lists.is_empty()
        {
            while self.lists.len() > 1 && self.lists.last().is_some_and(|l| l.ilvl > level) {
                self.close_list();
            }
            if has_text(&p.inlines)
                && let Some(top) = self.lists.last_mut()
            {
                if top.items.is_empty() {
                    top.items.push(Vec::new());
                }
                if let Some(item) = top.items.last_mut() {
                    item.push(Block::Paragraph { content: p.inlines });
                }
            }
            return;
        }
        if (p.role == Role::Rule || p.rule) && !has_text(&p.inlines) {
            if p.rule || p.role == Role::Rule {
                self.end_lists();
                self.in_quote = false;
                self.push(Block::Rule);
            }
            return;
        }
        if !has_text(&p.inlines) {
            return;
        }
        self.end_lists();
        match p.role {
            Role::Heading(level) => {
                self.in_quote = false;
                self.heading_bookmarks.push(p.bookmarks);
                self.push(Block::Heading {
                    level: level.min(3),
                    content: p.inlines,
                });
            }
            Role::Quote => {
                let para = Block::Paragraph { content: p.inlines };
                if self.in_quote
                    && let Some(Block::Quote { blocks }) = self.out.last_mut()
                {
                    blocks.push(para);
                } else {
                    self.push(Block::Quote { blocks: vec![para] });
                    self.in_quote = true;
                }
            }
            _ => {
                self.in_quote = false;
                self.push(Block::Paragraph { content: p.inlines });
            }
        }
    }

    /// A block of the body (never a list item: those go through [`Assembler::list_item`]).
    fn push(&mut self, block: Block) {
        if !matches!(block, Block::Quote { .. }) {
            self.in_quote = false;
        }
        self.end_lists();
        self.body_started = true;
        self.out.push(block);
    }

    fn list_item(&mut self, num: String, ilvl: u8, own_indent: Option<i32>, blocks: Vec<Block>) {
        self.in_quote = false;
        self.body_started = true;
        let key = self
            .numbering
            .abstract_of(&num)
            .map(|a| format!("a{a}"))
            .unwrap_or_else(|| format!("n{num}"));
        let (level, restart) = self.numbering.level(&num, ilvl);
        // The numbering level's indent, else the paragraph's or its style's; without any,
        // Word's default half inch per level.
        let indent = level
            .indent
            .or(own_indent)
            .unwrap_or(720 * (i32::from(ilvl) + 1));
        while self.lists.last().is_some_and(|l| l.indent > indent) {
            self.close_list();
        }
        // Nesting is capped while it is built (as the Markdown reader does): a list deeper
        // than the cap joins the deepest one.
        let indent = match self.lists.last() {
            Some(top) if self.lists.len() >= nesting::MAX_NESTING && indent > top.indent => {
                self.flattened = true;
                top.indent
            }
            _ => indent,
        };
        let same = self.lists.last().is_some_and(|l| {
            l.indent == indent && (l.num == num || (l.key == key && restart.is_none()))
        });
        if !same {
            if self.lists.last().is_some_and(|l| l.indent == indent) {
                self.close_list();
            }
            let counter = counter_at(&mut self.counters, &key, ilvl);
            if restart.is_some() {
                *counter = 0;
            }
            let start = if level.ordered {
                level.start.saturating_add(*counter)
            } else {
                1
            };
            self.lists.push(ListBuild {
                num: num.clone(),
                key: key.clone(),
                ilvl,
                indent,
                ordered: level.ordered,
                start,
                items: Vec::new(),
            });
        }
        if let Some(top) = self.lists.last_mut() {
            top.items.push(blocks);
        }
        *counter_at(&mut self.counters, &key, ilvl) += 1;
        // A higher level's item restarts the levels below it.
        if let Some(levels) = self.counters.get_mut(&key) {
            levels.truncate(usize::from(ilvl) + 1);
        }
    }

    fn close_list(&mut self) {
        let Some(l) = self.lists.pop() else { return };
        let block = Block::List {
            ordered: l.ordered,
            start: l.start,
            items: l.items,
        };
        match self.lists.last_mut() {
            Some(parent) => {
                if parent.items.is_empty() {
                    parent.items.push(Vec::new());
                }
                if let Some(item) = parent.items.last_mut() {
                    item.push(block);
                }
            }
            None => self.out.push(block),
        }
    }

    fn end_lists(&mut self) {
        while !self.lists.is_empty() {
            self.close_list();
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.end_lists();
        self.out
    }

    /// The article: the front as the styles said, else the fallbacks for the title.
    fn article(
        &mut self,
        core: &Core,
        language: String,
        lang: &Language,
        warnings: &mut Vec<Warning>,
    ) -> Article {
        self.end_lists();
        let mut blocks = std::mem::take(&mut self.out);
        let title = match self.title.take() {
            Some(t) => t,
            None => {
                let first_h1 = blocks
                    .iter()
                    .position(|b| matches!(b, Block::Heading { level: 1, .. }));
                if let Some(k) = first_h1 {
                    let ordinal = blocks[..k]
                        .iter()
                        .filter(|b| matches!(b, Block::Heading { .. }))
                        .count();
                    if ordinal < self.heading_bookmarks.len() {
                        self.heading_bookmarks.remove(ordinal);
                    }
                    match blocks.remove(k) {
                        Block::Heading { content, .. } => plain_text(&content).trim().to_owned(),
                        _ => String::new(),
                    }
                } else if let Some(t) = &core.title {
                    t.clone()
                } else if let Some(k) = blocks
                    .iter()
                    .position(|b| matches!(b, Block::Paragraph { .. }))
                {
                    let t = match blocks.remove(k) {
                        Block::Paragraph { content } => plain_text(&content).trim().to_owned(),
                        _ => String::new(),
                    };
                    warnings.push(Warning::new(format!(
                        "the document has no Title paragraph, Heading 1 or title property; its \
                         first paragraph “{t}” is taken as the title"
                    )));
                    t
                } else {
                    String::new()
                }
            }
        };
        let byline = self.bylines.join(" ");
        let briefpress_front = self.masthead || !byline.is_empty();
        let authors: Vec<Author> = core
            .creators
            .iter()
            .filter(|name| !briefpress_front || byline.contains(name.as_str()))
            .map(|name| Author {
                name: name.clone(),
                affiliation: affiliation(&byline, name),
            })
            .collect();
        let date = core
            .created
            .filter(|d| !byline.is_empty() && byline.contains(&lang.date(*d)));
        let summary = if self.summary.is_empty() {
            core.description.clone()
        } else {
            Some(self.summary.join(" "))
        };
        // A derived identifier (a version 8 UUID, `render::content_uuid`) is not the source's.
        let identifier = core.identifier.clone().filter(|id| {
            !id.strip_prefix("urn:uuid:")
                .is_some_and(|u| u.len() == 36 && u.as_bytes()[14] == b'8')
        });
        let mut meta = Meta::new(title);
        meta.subtitle = self.subtitle.take();
        meta.authors = authors;
        meta.date = date;
        meta.language = language;
        meta.keywords = core.keywords.clone();
        meta.summary = summary;
        meta.rights = self.rights.take();
        meta.identifier = identifier;
        Article {
            meta,
            photo: self.photo.take(),
            blocks,
            notes: Vec::new(),
        }
    }
}

/// The count of list family `key` at level `ilvl`.
fn counter_at<'c>(counters: &'c mut HashMap<String, Vec<u32>>, key: &str, ilvl: u8) -> &'c mut u32 {
    let levels = counters.entry(key.to_owned()).or_default();
    let i = usize::from(ilvl);
    if levels.len() <= i {
        levels.resize(i + 1, 0);
    }
    &mut levels[i]
}

/// The affiliation the byline gives `name`: "Name (Centre)" → "Centre".
fn affiliation(byline: &str, name: &str) -> Option<String> {
    // Round brackets, or the full-width ones Chinese and Japanese bylines use.
    [(" (", '(', ')'), ("（", '（', '）')]
        .into_iter()
        .find_map(|(open_with, open, close)| {
            let at = byline.find(&format!("{name}{open_with}"))? + name.len() + open_with.len();
            let mut depth = 1;
            for (i, c) in byline[at..].char_indices() {
                if c == open {
                    depth += 1;
                } else if c == close {
                    depth -= 1;
                    if depth == 0 {
                        let a = byline[at..at + i].trim();
                        return (!a.is_empty()).then(|| a.to_owned());
                    }
                }
            }
            None
        })
}

/// A note opens with its mark and a space (Word's `footnoteRef` and the writer's " "): the
/// space is not the note's text.
fn trim_note_start(blocks: &mut [Block]) {
    if let Some(Block::Paragraph { content }) = blocks.first_mut()
        && let Some(Inline::Text { text }) = content.first_mut()
    {
        let trimmed = text.trim_start().to_owned();
        if trimmed.is_empty() {
            content.remove(0);
        } else {
            *text = trimmed;
        }
    }
}

/// Internal links name a bookmark: a heading's becomes `#` and the heading's anchor; another
/// keeps the bookmark's name (the link policy then warns that it names no heading).
fn resolve_bookmark_links(article: &mut Article, heading_bookmarks: &[Vec<String>]) {
    let links = Links::of(article);
    let mut map: HashMap<String, String> = HashMap::new();
    for (k, names) in heading_bookmarks.iter().enumerate() {
        if let Some(anchor) = links.anchor(k) {
            for n in names {
                map.insert(n.clone(), format!("#{anchor}"));
            }
        }
    }
    fn inlines(list: &mut [Inline], map: &HashMap<String, String>) {
        for i in list {
            match i {
                Inline::Link { url, content } => {
                    if let Some(name) = url.strip_prefix(BOOKMARK_LINK) {
                        *url = map.get(name).cloned().unwrap_or_else(|| format!("#{name}"));
                    }
                    inlines(content, map);
                }
                Inline::Emphasis { content } | Inline::Strong { content } => inlines(content, map),
                _ => {}
            }
        }
    }
    fn blocks(list: &mut [Block], map: &HashMap<String, String>) {
        for b in list {
            match b {
                Block::Heading { content, .. } | Block::Paragraph { content } => {
                    inlines(content, map)
                }
                Block::Quote { blocks: inner } => blocks(inner, map),
                Block::List { items, .. } => items.iter_mut().for_each(|i| blocks(i, map)),
                Block::Table { table } => {
                    table.cells_mut().for_each(|c| inlines(&mut c.content, map))
                }
                Block::Figure { .. } | Block::Rule => {}
            }
        }
    }
    blocks(&mut article.blocks, &map);
    for n in &mut article.notes {
        blocks(&mut n.blocks, &map);
    }
}

#[cfg(test)]
mod tests {
    use super::other_picture_format;

    #[test]
    fn picture_formats_no_output_places_are_told_by_their_signature() {
        let mut emf = vec![0u8; 88];
        emf[0] = 1;
        emf[40..44].copy_from_slice(b" EMF");
        let mut bmp = b"BM".to_vec();
        bmp.extend_from_slice(&[0; 12]);
        bmp.extend_from_slice(&40u32.to_le_bytes());
        for (bytes, want) in [
            (emf, Some("EMF (Windows enhanced metafile)")),
            (vec![1, 0, 9, 0, 0, 3, 0, 0], Some("WMF (Windows metafile)")),
            (
                vec![0xD7, 0xCD, 0xC6, 0x9A, 0, 0],
                Some("WMF (Windows metafile)"),
            ),
            (b"GIF87a\x01\x00".to_vec(), Some("GIF")),
            (b"MM\x00*\x00\x00".to_vec(), Some("TIFF")),
            (bmp, Some("BMP")),
            (b"RIFF\x10\x00\x00\x00WEBPVP8 ".to_vec(), Some("WebP")),
            (b"\x00\x00\x00\x1cftypheic".to_vec(), Some("HEIF")),
            (
                b"\xEF\xBB\xBF \n<!-- drawn --><svg xmlns=\"http://www.w3.org/2000/svg\"/>"
                    .to_vec(),
                Some("SVG"),
            ),
            // JPEG and PNG go on to the image checks, and so do bytes of no known format.
            (b"\xFF\xD8\xFF\xE0".to_vec(), None),
            (b"\x89PNG\r\n\x1a\n".to_vec(), None),
            (b"BM but no bitmap".to_vec(), None),
            (
                b"<?xml version=\"1.0\"?><!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x\">"
                    .to_vec(),
                Some("SVG"),
            ),
            (b"<html><body>no</body></html>".to_vec(), None),
            (Vec::new(), None),
        ] {
            assert_eq!(other_picture_format(&bytes), want, "{bytes:?}");
        }
    }
}
