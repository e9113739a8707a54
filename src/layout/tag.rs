//! The logical structure of the tagged PDF, decided beside the layout that sets each block:
//! flow opens an element (a heading, a paragraph, a list item …) before it sets the block's
//! lines and closes it after, and wraps what each line draws in an [`Item::Begin`] /
//! [`Item::End`] pair naming a content piece of that element. The painter turns a piece into a
//! marked-content sequence with its MCID (or into an artifact); the finishing step writes the
//! structure tree from [`Structure::tree`].
//!
//! Reading order is the order in which elements and pieces are added, which is the article's:
//! a footnote's element is added where its first call is (after the line that calls it), not
//! where the note is printed. Everything drawn outside a piece is page furniture and painted as
//! an artifact, so a rule, a quote bar or a box side can never be read out.

use super::{Item, Jump};

/// A structure type of ISO 32000-1, 14.8.4 (the standard types PDF/UA-1 uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The whole document.
    Document,
    /// One brief of a pack.
    Part,
    /// A section: the summary box.
    Sect,
    /// A heading, levels 1 to 6.
    H(u8),
    /// A paragraph.
    P,
    /// A list.
    L,
    /// A list item.
    LI,
    /// A list item's marker, a note's number.
    Lbl,
    /// A list item's content.
    LBody,
    /// A block quote.
    BlockQuote,
    /// A picture with alternative text.
    Figure,
    /// A figure's caption and credit, a table's caption.
    Caption,
    /// A data table.
    Table,
    /// A table's header rows.
    THead,
    /// A table's body rows.
    TBody,
    /// A table row.
    TR,
    /// A header cell (scope: its column).
    TH,
    /// A data cell.
    TD,
    /// A footnote.
    Note,
    /// A link: its annotation.
    Link,
    /// A table of contents.
    TOC,
    /// A contents entry.
    TOCI,
}

impl Role {
    /// The structure type's name.
    pub fn name(self) -> &'static str {
        match self {
            Role::Document => "Document",
            Role::Part => "Part",
            Role::Sect => "Sect",
            Role::H(n) => ["H1", "H2", "H3", "H4", "H5", "H6"][usize::from(n.clamp(1, 6)) - 1],
            Role::P => "P",
            Role::L => "L",
            Role::LI => "LI",
            Role::Lbl => "Lbl",
            Role::LBody => "LBody",
            Role::BlockQuote => "BlockQuote",
            Role::Figure => "Figure",
            Role::Caption => "Caption",
            Role::Table => "Table",
            Role::THead => "THead",
            Role::TBody => "TBody",
            Role::TR => "TR",
            Role::TH => "TH",
            Role::TD => "TD",
            Role::Note => "Note",
            Role::Link => "Link",
            Role::TOC => "TOC",
            Role::TOCI => "TOCI",
        }
    }

    /// Elements kept even with no content: a table's rows and cells (an empty cell still holds
    /// its place in the grid).
    fn kept_empty(self) -> bool {
        matches!(self, Role::TR | Role::TH | Role::TD)
    }
}

/// A child of an element, in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kid {
    /// Another element.
    Elem(usize),
    /// A content piece (one marked-content sequence once painted).
    Content(u32),
    /// A link annotation.
    Annot(u32),
    /// Footnote `n`'s element (1-based), placed here if this is its first call.
    Note(usize),
}

/// One structure element.
#[derive(Debug, Clone, PartialEq)]
pub struct Elem {
    /// Its type.
    pub role: Role,
    /// Alternative text (a figure) or the description of a link's annotation.
    pub alt: Option<String>,
    /// Its language, when it differs from the document's (a brief of a pack).
    pub lang: Option<String>,
    /// A list's numbering (`Decimal`, `Disc`), for its `/ListNumbering` attribute.
    pub numbering: Option<&'static str>,
    /// Its children in reading order.
    pub kids: Vec<Kid>,
}

/// What a marked-content pair in a page's items stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Content piece `n` of the structure.
    Content(u32),
    /// Link annotation `n` of the structure: the annotation item between the pair.
    Annot(u32),
    /// Page furniture.
    Artifact(Furniture),
}

/// The kinds of artifact marked explicitly (anything else drawn outside a piece is painted
/// as a plain layout artifact).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Furniture {
    /// The running header.
    Header,
    /// The folio and the theme's footer.
    Footer,
    /// A table's header rows set again on a later page.
    Repeated,
}

/// The structure of one document (a brief, or a whole pack) while it is being laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    /// Every element; element 0 is the document.
    pub elems: Vec<Elem>,
    /// The element each piece belongs to (a content piece's element, an annotation's link).
    pub owner: Vec<usize>,
    /// Footnote `n`'s element at `n - 1`.
    pub notes: Vec<usize>,
    /// The open elements, innermost last.
    stack: Vec<usize>,
    /// The headings open: each one's level in the article and in the PDF.
    headings: Vec<(u8, u8)>,
    /// The word that describes a note call's annotation with the note's number ("Notes 3").
    pub note_label: String,
}

impl Default for Structure {
    fn default() -> Self {
        Structure::new()
    }
}

/// One element of the finished tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The element (index into [`Structure::elems`]).
    pub elem: usize,
    /// Its parent (index into the tree), `None` for the root.
    pub parent: Option<usize>,
    /// Its children.
    pub kids: Vec<NodeKid>,
}

/// A child in the finished tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKid {
    /// A node (index into the tree).
    Node(usize),
    /// A painted content piece.
    Content(u32),
    /// A painted link annotation.
    Annot(u32),
}

impl Structure {
    /// A structure holding the open document element.
    pub fn new() -> Structure {
        Structure {
            elems: vec![Elem {
                role: Role::Document,
                alt: None,
                lang: None,
                numbering: None,
                kids: Vec::new(),
            }],
            owner: Vec::new(),
            notes: Vec::new(),
            stack: vec![0],
            headings: Vec::new(),
            note_label: String::new(),
        }
    }

    fn top(&self) -> usize {
        self.stack.last().copied().unwrap_or(0)
    }

    fn add(&mut self, role: Role, alt: Option<String>) -> usize {
        self.elems.push(Elem {
            role,
            alt,
            lang: None,
            numbering: None,
            kids: Vec::new(),
        });
        self.elems.len() - 1
    }

    /// Adds an element under the innermost open one, without opening it.
    pub fn leaf(&mut self, role: Role) -> usize {
        let e = self.add(role, None);
        let top = self.top();
        self.elems[top].kids.push(Kid::Elem(e));
        e
    }

    /// Adds an element under the innermost open one and opens it.
    pub fn open(&mut self, role: Role) -> usize {
        let e = self.leaf(role);
        self.stack.push(e);
        e
    }

    /// Opens a figure with its alternative text.
    pub fn open_figure(&mut self, alt: &str) -> usize {
        let e = self.open(Role::Figure);
        self.elems[e].alt = Some(alt.to_owned());
        e
    }

    /// Opens a list, numbered (`1.`) or bulleted.
    pub fn open_list(&mut self, ordered: bool) -> usize {
        let e = self.open(Role::L);
        self.elems[e].numbering = Some(if ordered { "Decimal" } else { "Disc" });
        e
    }

    /// Opens an element that belongs nowhere yet: footnote `n`'s, placed by its first call.
    pub fn open_note(&mut self, n: usize) -> usize {
        let e = self.add(Role::Note, None);
        if self.notes.len() < n {
            self.notes.resize(n, usize::MAX);
        }
        self.notes[n - 1] = e;
        self.stack.push(e);
        e
    }

    /// Closes the innermost open element (the document stays open).
    pub fn close(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    /// Opens a heading of the article's `level` (`#` is 1): one PDF level below the nearest
    /// earlier heading of a higher article level, the title being H1. So a brief whose
    /// sections are `##` gets H2 for them, `###` under them H3, and no level is ever skipped
    /// (PDF/UA-1 forbids it): `##` then `####` gives H2, H3.
    pub fn open_heading(&mut self, level: u8) -> usize {
        while self.headings.last().is_some_and(|h| h.0 >= level) {
            self.headings.pop();
        }
        let pdf = self
            .headings
            .last()
            .map_or(1, |h| h.1)
            .saturating_add(1)
            .min(6);
        self.headings.push((level, pdf));
        self.open(Role::H(pdf))
    }

    /// Opens the document's title: H1, above every heading of the body.
    pub fn open_title(&mut self) -> usize {
        self.headings.clear();
        self.open(Role::H(1))
    }

    /// A new content piece of element `e`: the mark that opens what it draws.
    pub fn piece_of(&mut self, e: usize) -> Item {
        let n = self.owner.len() as u32;
        self.owner.push(e);
        self.elems[e].kids.push(Kid::Content(n));
        Item::Begin(Mark::Content(n))
    }

    /// A new content piece of the innermost open element.
    pub fn piece(&mut self) -> Item {
        self.piece_of(self.top())
    }

    /// A link element under the innermost open element, its annotation described by `alt`;
    /// its text and annotation are added with [`Structure::piece_of`] and
    /// [`Structure::annot_in`].
    pub fn link(&mut self, alt: String) -> usize {
        let link = self.add(Role::Link, Some(alt));
        let top = self.top();
        self.elems[top].kids.push(Kid::Elem(link));
        link
    }

    /// An annotation of link element `link`: the mark that opens the annotation's item.
    pub fn annot_in(&mut self, link: usize) -> Item {
        let n = self.owner.len() as u32;
        self.owner.push(link);
        self.elems[link].kids.push(Kid::Annot(n));
        Item::Begin(Mark::Annot(n))
    }

    /// A link element under element `e` for one annotation described by `alt`: the mark that
    /// opens the annotation's item.
    pub fn annot_of(&mut self, e: usize, alt: String) -> Item {
        let link = self.add(Role::Link, Some(alt));
        self.elems[e].kids.push(Kid::Elem(link));
        self.annot_in(link)
    }

    /// A link element under the innermost open element (see [`Structure::annot_of`]).
    pub fn annot(&mut self, alt: String) -> Item {
        self.annot_of(self.top(), alt)
    }

    /// Places footnote `n` here if this is its first call.
    pub fn note(&mut self, n: usize) {
        let top = self.top();
        self.elems[top].kids.push(Kid::Note(n));
    }

    /// The innermost open element.
    pub fn current(&self) -> usize {
        self.top()
    }

    /// Wraps `items` in a content piece of the innermost open element; annotation items
    /// (links, jumps) each get a link element of their own after it. Nothing to draw, no piece.
    pub fn tag_items(&mut self, items: Vec<Item>) -> Vec<Item> {
        let (annots, drawn): (Vec<Item>, Vec<Item>) = items
            .into_iter()
            .partition(|i| matches!(i, Item::Jump { .. } | Item::Link { .. }));
        let mut out = Vec::with_capacity(drawn.len() + 3 * annots.len() + 2);
        if !drawn.is_empty() {
            out.push(self.piece());
            out.extend(drawn);
            out.push(Item::End);
        }
        for item in annots {
            let alt = match &item {
                Item::Link { url, .. } => url.clone(),
                Item::Jump {
                    to: Jump::Note(n) | Jump::Ref(n),
                    ..
                } => format!("{} {n}", self.note_label),
                _ => self.note_label.clone(),
            };
            out.push(self.annot(alt));
            out.push(item);
            out.push(Item::End);
        }
        out
    }

    /// Takes `other` (a brief of a pack) in under the innermost open element as a `role`
    /// element with language `lang`; returns how far its pieces moved (add it to the pieces of
    /// its pages' marks).
    pub fn adopt(&mut self, other: &Structure, role: Role, lang: Option<String>) -> u32 {
        let elem_shift = self.elems.len();
        let piece_shift = self.owner.len() as u32;
        // Notes are numbered per brief: they join the pack's table after every note before
        // them, and each call is renumbered to match.
        let first_note = self.notes.len();
        self.notes.extend(other.notes.iter().map(|&x| {
            if x < other.elems.len() {
                x + elem_shift
            } else {
                usize::MAX
            }
        }));
        for e in &other.elems {
            let kids = e
                .kids
                .iter()
                .map(|k| match *k {
                    Kid::Elem(x) => Kid::Elem(x + elem_shift),
                    Kid::Content(p) => Kid::Content(p + piece_shift),
                    Kid::Annot(p) => Kid::Annot(p + piece_shift),
                    Kid::Note(n) => Kid::Note(first_note + n),
                })
                .collect();
            self.elems.push(Elem { kids, ..e.clone() });
        }
        self.owner
            .extend(other.owner.iter().map(|o| o + elem_shift));
        self.elems[elem_shift].role = role;
        self.elems[elem_shift].lang = lang;
        let top = self.top();
        self.elems[top].kids.push(Kid::Elem(elem_shift));
        piece_shift
    }

    /// For each piece, the content piece right before it among its element's children
    /// (`u32::MAX` when a piece, an element or nothing comes before it): a piece painted right
    /// after that one may share its marked-content sequence.
    pub fn previous_pieces(&self) -> Vec<u32> {
        let mut out = vec![u32::MAX; self.owner.len()];
        for e in &self.elems {
            for pair in e.kids.windows(2) {
                if let [Kid::Content(a), Kid::Content(b)] = *pair
                    && let Some(slot) = out.get_mut(b as usize)
                {
                    *slot = a;
                }
            }
        }
        out
    }

    /// The finished tree, root first, in reading order: each footnote at its first call (a
    /// note never called goes at the end of the document), elements with nothing painted in
    /// them left out (but table rows and cells), pieces `painted` says were not drawn dropped.
    pub fn tree(&self, painted: impl Fn(u32) -> bool) -> Vec<Node> {
        let mut out = Vec::new();
        let mut placed = vec![false; self.elems.len()];
        self.build(0, None, &painted, &mut placed, &mut out);
        for &n in &self.notes {
            if n < self.elems.len()
                && !placed[n]
                && let Some(k) = self.build(n, Some(0), &painted, &mut placed, &mut out)
            {
                out[0].kids.push(NodeKid::Node(k));
            }
        }
        out
    }

    fn build(
        &self,
        e: usize,
        parent: Option<usize>,
        painted: &impl Fn(u32) -> bool,
        placed: &mut [bool],
        out: &mut Vec<Node>,
    ) -> Option<usize> {
        if placed[e] {
            return None;
        }
        placed[e] = true;
        let me = out.len();
        out.push(Node {
            elem: e,
            parent,
            kids: Vec::new(),
        });
        let mut kids = Vec::new();
        for kid in &self.elems[e].kids {
            let child = match *kid {
                Kid::Elem(x) => x,
                Kid::Note(n) => match self.notes.get(n.wrapping_sub(1)) {
                    Some(&x) if x < self.elems.len() => x,
                    _ => continue,
                },
                Kid::Content(p) => {
                    if painted(p) {
                        kids.push(NodeKid::Content(p));
                    }
                    continue;
                }
                Kid::Annot(p) => {
                    if painted(p) {
                        kids.push(NodeKid::Annot(p));
                    }
                    continue;
                }
            };
            if let Some(k) = self.build(child, Some(me), painted, placed, out) {
                kids.push(NodeKid::Node(k));
            }
        }
        if kids.is_empty() && parent.is_some() && !self.elems[e].role.kept_empty() {
            // Nothing of it was painted: its node is dropped (it is the last in `out`, since
            // every child it added was dropped too).
            out.truncate(me);
            placed[e] = false;
            return None;
        }
        out[me].kids = kids;
        Some(me)
    }
}

/// `items` as they are set again as page furniture (a table's repeated header rows): one
/// artifact, with no content piece or annotation of their own.
pub fn as_artifact(items: &[Item], kind: Furniture) -> Vec<Item> {
    let mut out = vec![Item::Begin(Mark::Artifact(kind))];
    out.extend(
        items
            .iter()
            .filter(|i| {
                !matches!(
                    i,
                    Item::Begin(_) | Item::End | Item::Jump { .. } | Item::Link { .. }
                )
            })
            .cloned(),
    );
    out.push(Item::End);
    out
}

/// `items` wrapped as one artifact of `kind`.
pub fn artifact(items: Vec<Item>, kind: Furniture) -> Vec<Item> {
    if items.is_empty() {
        return items;
    }
    let mut out = Vec::with_capacity(items.len() + 2);
    out.push(Item::Begin(Mark::Artifact(kind)));
    out.extend(items);
    out.push(Item::End);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_levels_follow_the_outline_under_the_title_and_never_skip() {
        let mut s = Structure::new();
        let levels: Vec<Role> = [2u8, 3, 4, 4, 2, 4, 3, 1, 2, 6]
            .iter()
            .map(|l| {
                let e = s.open_heading(*l);
                s.close();
                s.elems[e].role
            })
            .collect();
        assert_eq!(
            levels,
            [2, 3, 4, 4, 2, 3, 3, 2, 3, 4].map(Role::H),
            "## under the title is H2; #### right after ## is H3; # is H2 and ## under it H3"
        );
    }

    #[test]
    fn a_note_sits_at_its_first_call_and_empty_elements_go() {
        let mut s = Structure::new();
        s.open(Role::P);
        s.piece();
        s.note(1);
        s.piece();
        s.note(1);
        s.close();
        s.open(Role::P);
        s.close();
        s.open_note(1);
        s.piece();
        s.close();
        s.open_note(2);
        s.piece();
        s.close();
        let tree = s.tree(|_| true);
        let roles: Vec<&str> = tree.iter().map(|n| s.elems[n.elem].role.name()).collect();
        assert_eq!(roles, ["Document", "P", "Note", "Note"]);
        assert_eq!(
            tree[1].kids,
            [NodeKid::Content(0), NodeKid::Node(2), NodeKid::Content(1)],
            "the note after the line that first calls it, once"
        );
        assert_eq!(
            tree[0].kids,
            [NodeKid::Node(1), NodeKid::Node(3)],
            "a note never called closes the document"
        );
        // A piece that was never painted leaves its element empty, and the element goes.
        let tree = s.tree(|p| p != 3);
        assert_eq!(tree.len(), 3);
    }
}
