//! A small element tree for the parts of a Word package, read with quick-xml.
//!
//! Names are rewritten to fixed prefixes by namespace (`w:p` whatever prefix the file binds to
//! WordprocessingML, strict or transitional), so the walkers match one spelling. A document
//! type declaration is refused (no DTD, no entity but the five predefined and character
//! references), and elements may nest only [`MAX_DEPTH`] deep, which bounds every walker's
//! recursion.

use crate::render::xml::reference_text;
use quick_xml::NsReader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

/// The deepest elements may nest (Word nests a table in a table in a content control …; 256
/// levels is far beyond any document a person wrote).
pub const MAX_DEPTH: usize = 256;

/// An element: its name as `prefix:local` (see [`prefix_of`]), attributes, children.
#[derive(Debug, Clone, Default)]
pub struct El {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub kids: Vec<Node>,
}

/// A child of an element.
#[derive(Debug, Clone)]
pub enum Node {
    El(El),
    Text(String),
}

impl El {
    /// The value of attribute `name` (`w:val`, `r:id`, `Target` …).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &El> {
        self.kids.iter().filter_map(|k| match k {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&El> {
        self.elements().find(|e| e.name == name)
    }

    /// The child elements named `name`.
    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
        self.elements().filter(move |e| e.name == name)
    }

    /// The `w:val` of child `name`, if the child is there.
    pub fn val(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(|c| c.attr("w:val"))
    }

    /// All the text beneath this element, in order.
    pub fn text(&self) -> String {
        fn walk(e: &El, out: &mut String) {
            for k in &e.kids {
                match k {
                    Node::Text(t) => out.push_str(t),
                    Node::El(c) => walk(c, out),
                }
            }
        }
        let mut out = String::new();
        walk(self, &mut out);
        out
    }
}

/// The fixed prefix of a namespace; `None` for one briefpress does not read.
fn prefix_of(ns: &[u8]) -> Option<&'static str> {
    Some(match ns {
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        | b"http://purl.oclc.org/ooxml/wordprocessingml/main" => "w",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        | b"http://purl.oclc.org/ooxml/officeDocument/relationships" => "r",
        b"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
        | b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing" => "wp",
        b"http://schemas.openxmlformats.org/drawingml/2006/main"
        | b"http://purl.oclc.org/ooxml/drawingml/main" => "a",
        b"http://schemas.openxmlformats.org/drawingml/2006/picture"
        | b"http://purl.oclc.org/ooxml/drawingml/picture" => "pic",
        b"http://schemas.openxmlformats.org/markup-compatibility/2006" => "mc",
        b"http://schemas.openxmlformats.org/officeDocument/2006/math"
        | b"http://purl.oclc.org/ooxml/officeDocument/math" => "m",
        b"urn:schemas-microsoft-com:vml" => "v",
        b"urn:schemas-microsoft-com:office:office" => "o",
        b"http://schemas.openxmlformats.org/package/2006/relationships" => "rel",
        b"http://schemas.openxmlformats.org/package/2006/content-types" => "ct",
        b"http://schemas.openxmlformats.org/package/2006/metadata/core-properties" => "cp",
        b"http://purl.org/dc/elements/1.1/" => "dc",
        b"http://purl.org/dc/terms/" => "dcterms",
        b"http://schemas.microsoft.com/office/word/2010/wordprocessingShape" => "wps",
        _ => return None,
    })
}

/// `prefix:local` for a resolved name; `?:local` in a namespace not read, `local` in none.
fn qualify(ns: ResolveResult, local: &[u8]) -> String {
    let local = String::from_utf8_lossy(local);
    match ns {
        ResolveResult::Bound(n) => match prefix_of(n.as_ref()) {
            Some(p) => format!("{p}:{local}"),
            None => format!("?:{local}"),
        },
        ResolveResult::Unbound => local.into_owned(),
        ResolveResult::Unknown(_) => format!("?:{local}"),
    }
}

/// Whether an attribute is kept in the tree. Word marks nearly every paragraph, run and row
/// with revision-save ids (`w:rsidR`, `w:rsidRPr`, `w:rsidDel` …) and, since 2010, paragraph
/// ids in its own namespaces (`w14:paraId`, `w14:textId`, `wp14:anchorId`): no walker reads
/// them (kept, they were 1.5 MiB of the 19.4 MiB peak of the 58-page Word-idiom benchmark).
fn kept(qualified: &str) -> bool {
    !(qualified.starts_with("?:") || qualified.starts_with("w:rsid"))
}

/// Elements whose whitespace-only text is content (elsewhere it is indentation).
fn keeps_space(name: &str) -> bool {
    matches!(name, "w:t" | "w:instrText" | "m:t" | "w:delText")
}

/// Parses one part into its root element, of at most `max_elements` elements (each costs
/// about a hundred bytes of memory, many times its few bytes of XML, so the count is bounded
/// by the package's size); the error says what is wrong, in a few words.
pub fn parse(bytes: &[u8], max_elements: usize) -> Result<El, String> {
    let mut elements = 0usize;
    let mut reader = NsReader::from_reader(bytes);
    reader.config_mut().trim_text(false);
    let mut buf = Vec::new();
    let mut stack: Vec<El> = Vec::new();
    let mut root: Option<El> = None;
    let open = |reader: &NsReader<&[u8]>, e: &BytesStart| -> Result<El, String> {
        let (ns, local) = reader.resolver().resolve_element(e.name());
        let name = qualify(ns, local.as_ref());
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|err| err.to_string())?;
            let key = a.key.as_ref();
            if key.starts_with(b"xmlns") {
                continue;
            }
            let (ns, local) = reader.resolver().resolve_attribute(a.key);
            let qualified = qualify(ns, local.as_ref());
            if !kept(&qualified) {
                continue;
            }
            let value = a
                .decoded_and_normalized_value(XmlVersion::Implicit1_0, reader.decoder())
                .map_err(|err| err.to_string())?;
            attrs.push((qualified, value.into_owned()));
        }
        Ok(El {
            name,
            attrs,
            kids: Vec::new(),
        })
    };
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?;
        match event {
            Event::Start(_) | Event::Empty(_) if elements >= max_elements => {
                return Err(format!(
                    "it has more than {max_elements} elements, too many for a file of its size"
                ));
            }
            Event::Start(e) => {
                elements += 1;
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("elements nest deeper than {MAX_DEPTH} levels"));
                }
                let el = open(&reader, &e)?;
                stack.push(el);
            }
            Event::Empty(e) => {
                elements += 1;
                let el = open(&reader, &e)?;
                match stack.last_mut() {
                    Some(parent) => parent.kids.push(Node::El(el)),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let mut el = stack.pop().ok_or("an end tag closes nothing")?;
                // Children were pushed one by one (capacity doubling): a closed element keeps
                // only what it holds (the Word-idiom benchmark's peak: 17.9 -> 14.9 MiB).
                el.kids.shrink_to_fit();
                match stack.last_mut() {
                    Some(parent) => parent.kids.push(Node::El(el)),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|e| e.to_string())?;
                push_text(&mut stack, &s);
            }
            Event::CData(t) => {
                let s = t.decode().map_err(|e| e.to_string())?;
                push_text(&mut stack, &s);
            }
            Event::GeneralRef(r) => {
                let s = reference_text(&r).map_err(|e| format!("it uses {e}"))?;
                push_text(&mut stack, &s);
            }
            Event::DocType(_) => {
                return Err(
                    "it has a document type declaration (DTDs and entities are refused)".into(),
                );
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
        buf.clear();
    }
    if !stack.is_empty() {
        return Err("it ends inside an element".into());
    }
    root.ok_or_else(|| "it has no root element".to_owned())
}

fn push_text(stack: &mut [El], s: &str) {
    let Some(parent) = stack.last_mut() else {
        return;
    };
    if !keeps_space(&parent.name) && s.trim().is_empty() {
        return;
    }
    if let Some(Node::Text(t)) = parent.kids.last_mut() {
        t.push_str(s);
    } else {
        parent.kids.push(Node::Text(s.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_namespace_not_the_prefix() {
        let root = parse(
            br#"<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:t xml:space="preserve"> a &amp; &#233; </x:t><x:b x:val="0"/></x:document>"#,
            10,
        )
        .unwrap();
        assert_eq!(root.name, "w:document");
        assert_eq!(root.child("w:t").unwrap().text(), " a & é ");
        assert_eq!(root.val("w:b"), Some("0"));
    }

    #[test]
    fn revision_ids_and_attributes_of_unread_namespaces_are_not_kept() {
        let root = parse(
            br#"<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" w14:paraId="1A2B3C4D" w14:textId="77777777" w:rsidR="00C4A1F2" w:rsidRDefault="00C4A1F2"><w:r w:rsidRPr="00D5E6F7"><w:t xml:space="preserve"> a </w:t></w:r><w:pStyle w:val="Title" descr="kept"/></w:p>"#,
            10,
        )
        .unwrap();
        assert!(root.attrs.is_empty(), "{:?}", root.attrs);
        assert!(root.child("w:r").unwrap().attrs.is_empty());
        let style = root.child("w:pStyle").unwrap();
        assert_eq!(style.attr("w:val"), Some("Title"));
        assert_eq!(style.attr("descr"), Some("kept"));
        assert_eq!(root.child("w:r").unwrap().text(), " a ");
    }

    #[test]
    fn a_doctype_and_unknown_entities_are_refused() {
        let e = parse(b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>", 10).unwrap_err();
        assert!(e.contains("document type declaration"), "{e}");
        let e = parse(b"<x>&a;</x>", 10).unwrap_err();
        assert!(e.contains("undefined entity"), "{e}");
    }

    #[test]
    fn too_many_elements_are_refused() {
        let many = format!("<a>{}</a>", "<b/>".repeat(100));
        assert!(parse(many.as_bytes(), 101).is_ok());
        assert!(
            parse(many.as_bytes(), 100)
                .unwrap_err()
                .contains("more than 100 elements")
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert!(
            parse(deep.as_bytes(), 1_000)
                .unwrap_err()
                .contains("deeper")
        );
    }
}
