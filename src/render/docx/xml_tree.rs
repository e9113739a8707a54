//! A small owned XML tree for the finishing step: parse a part docx-rs wrote, change it, write
//! it back. Names stay as written (`w:style`), so prefixes and namespace declarations survive
//! untouched; text and attribute values are held unescaped and escaped again on output.

use crate::render::xml::{escape, reference_text};
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

/// An element with its attributes and children.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// The qualified name as written, e.g. `w:rPr`.
    pub name: String,
    /// Attributes in document order, values unescaped.
    pub attrs: Vec<(String, String)>,
    /// Child nodes in document order.
    pub children: Vec<Node>,
}

/// A child of an element.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A nested element.
    Element(Element),
    /// Character data, unescaped.
    Text(String),
}

impl Element {
    /// An element without attributes or children.
    pub fn new(name: &str) -> Element {
        Element {
            name: name.to_owned(),
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    /// The element with one more attribute.
    pub fn attr(mut self, name: &str, value: &str) -> Element {
        self.set(name, value);
        self
    }

    /// The element with one more child element.
    pub fn child(mut self, child: Element) -> Element {
        self.children.push(Node::Element(child));
        self
    }

    /// The element with a text child.
    pub fn text(mut self, text: &str) -> Element {
        self.children.push(Node::Text(text.to_owned()));
        self
    }

    /// An attribute's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets an attribute, replacing an existing one of the same name.
    pub fn set(&mut self, name: &str, value: &str) {
        match self.attrs.iter_mut().find(|(n, _)| n == name) {
            Some(a) => a.1 = value.to_owned(),
            None => self.attrs.push((name.to_owned(), value.to_owned())),
        }
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The child elements, mutable.
    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element named `name`.
    pub fn find(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// The first child element named `name`, mutable.
    pub fn find_mut(&mut self, name: &str) -> Option<&mut Element> {
        self.elements_mut().find(|e| e.name == name)
    }

    /// The first child named `name`, created (appended) when missing.
    pub fn find_or_insert(&mut self, name: &str) -> &mut Element {
        let pos = self
            .children
            .iter()
            .position(|n| matches!(n, Node::Element(e) if e.name == name));
        let i = match pos {
            Some(i) => i,
            None => {
                self.children.push(Node::Element(Element::new(name)));
                self.children.len() - 1
            }
        };
        match &mut self.children[i] {
            Node::Element(e) => e,
            // The index points at an element by construction.
            Node::Text(_) => unreachable!("find_or_insert found an element"),
        }
    }

    /// The first child named `name`, created as the first child when missing (where a
    /// properties element such as `w:pPr` or `w:rPr` must stand).
    pub fn find_or_insert_first(&mut self, name: &str) -> &mut Element {
        if !self
            .children
            .iter()
            .any(|n| matches!(n, Node::Element(e) if e.name == name))
        {
            self.children.insert(0, Node::Element(Element::new(name)));
        }
        self.find_or_insert(name)
    }

    /// Calls `f` on this element and every element below it, parents first.
    pub fn walk_mut(&mut self, f: &mut impl FnMut(&mut Element)) {
        f(self);
        for c in self.elements_mut() {
            c.walk_mut(f);
        }
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attrs {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            out.push_str(&escape(v));
            out.push('"');
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for c in &self.children {
            match c {
                Node::Element(e) => e.write(out),
                Node::Text(t) => out.push_str(&escape(t)),
            }
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }

    /// The whole part: XML declaration, then this element as the root.
    pub fn to_part(&self) -> Vec<u8> {
        let mut out =
            String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
        self.write(&mut out);
        out.into_bytes()
    }
}

/// Parses a part into its root element. Comments, processing instructions and the declaration
/// are dropped (docx-rs writes none that matter).
pub fn parse(bytes: &[u8]) -> Result<Element, String> {
    let mut reader = Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let decoder = reader.decoder();
    let open = |e: &quick_xml::events::BytesStart| -> Result<Element, String> {
        let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|err| err.to_string())?;
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let value = a
                .decoded_and_normalized_value(XmlVersion::Implicit1_0, decoder)
                .map_err(|err| err.to_string())?
                .into_owned();
            attrs.push((key, value));
        }
        Ok(Element {
            name,
            attrs,
            children: Vec::new(),
        })
    };
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?;
        match event {
            Event::Start(e) => stack.push(open(&e)?),
            Event::Empty(e) => {
                let el = open(&e)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(el)),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let el = stack.pop().ok_or("unbalanced end tag")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(el)),
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
                let s = reference_text(&r)?;
                push_text(&mut stack, &s);
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
        buf.clear();
    }
    root.ok_or_else(|| "no root element".to_owned())
}

fn push_text(stack: &mut [Element], s: &str) {
    let Some(parent) = stack.last_mut() else {
        return;
    };
    if let Some(Node::Text(t)) = parent.children.last_mut() {
        t.push_str(s);
    } else {
        parent.children.push(Node::Text(s.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_markup_and_entities() {
        let src = br#"<?xml version="1.0"?><w:a xmlns:w="u" w:v="x &amp; &quot;y&quot;"><w:t>a &lt; b &#233; ]]&gt;</w:t><w:b/></w:a>"#;
        let root = parse(src).unwrap();
        assert_eq!(root.get("w:v"), Some("x & \"y\""));
        assert_eq!(
            root.find("w:t").unwrap().children,
            vec![Node::Text("a < b é ]]>".into())]
        );
        let again = parse(&root.to_part()).unwrap();
        assert_eq!(again, root);
    }
}
