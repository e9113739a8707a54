//! The page furniture: the first-page header holding the publisher's logo, the running header
//! of later pages and the footer with its page number, each written as its own part (docx-rs
//! cannot put a picture in a header with alt text and a kept JPEG, nor a PAGE field, so the
//! finishing step adds these parts, their relationships and the section's references).
//!
//! ```text
//!   page 1:      [logo]                      (first-page header, `w:titlePg`)
//!   pages 2 …:   theme.header                (default header)
//!   every page:  theme.footer ⇥ PAGE         (footer, on the first page too)
//! ```
//!
//! A theme without logo, header and footer gets none of these parts: the document stays as it
//! was before themes.

use super::styles;
use super::xml_tree::Element;
use crate::article::ImageFormat;
use crate::theme::Theme;

/// The logo's height on the page: 12 mm, the PDF masthead's logo height; about two lines of the running text,
/// small enough to sit in a 25 mm top margin above the title.
const LOGO_HEIGHT_MM: f32 = 12.0;
/// English Metric Units per millimetre (DrawingML's unit: 914 400 per inch).
const EMU_PER_MM: f32 = 36_000.0;
/// The `wp:docPr` id of the logo: far above any count of body pictures, which are numbered
/// from 1, so the ids stay unique across the package.
const LOGO_DOC_PR_ID: u32 = 10_000;

/// Namespaces of a header or footer part.
const NS: [(&str, &str); 5] = [
    (
        "xmlns:w",
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    ),
    (
        "xmlns:r",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    ),
    (
        "xmlns:wp",
        "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    ),
    (
        "xmlns:a",
        "http://schemas.openxmlformats.org/drawingml/2006/main",
    ),
    (
        "xmlns:pic",
        "http://schemas.openxmlformats.org/drawingml/2006/picture",
    ),
];

/// A header or footer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `w:hdr`, referenced by `w:headerReference`.
    Header,
    /// `w:ftr`, referenced by `w:footerReference`.
    Footer,
}

impl Kind {
    /// The content type of the part.
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Header => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
            }
            Kind::Footer => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
            }
        }
    }

    /// The relationship type from the document to the part.
    pub fn relationship(self) -> &'static str {
        match self {
            Kind::Header => {
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
            }
            Kind::Footer => {
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
            }
        }
    }

    /// The section property element that references the part.
    pub fn reference(self) -> &'static str {
        match self {
            Kind::Header => "w:headerReference",
            Kind::Footer => "w:footerReference",
        }
    }
}

/// One header or footer part.
pub struct Part {
    /// Header or footer.
    pub kind: Kind,
    /// The part's name inside `word/` (`header1.xml` …).
    pub file: String,
    /// The relationship id in `document.xml.rels`.
    pub rel_id: String,
    /// `first` or `default`: which pages of the section show it.
    pub pages: &'static str,
    /// The part's XML.
    pub xml: Vec<u8>,
    /// The logo, when the part shows it: its file name in `word/media/` and its bytes.
    pub logo: Option<(String, Vec<u8>)>,
}

/// The page furniture of a document under a theme.
pub struct Furniture {
    /// The parts, in the order they are written.
    pub parts: Vec<Part>,
    /// Whether the first page has its own header and footer (`w:titlePg`).
    pub title_page: bool,
}

/// The logo as placed: its media file name, bytes and size in EMU.
struct PlacedLogo {
    file: String,
    data: Vec<u8>,
    cx: u64,
    cy: u64,
}

/// The logo at [`LOGO_HEIGHT_MM`], aspect kept and never wider than the text block: the PNG or
/// JPEG the theme checked when it loaded (an SVG logo's raster; Word before 2016 and
/// LibreOffice's import of a DOCX header cannot show an SVG without a PNG fallback).
fn place_logo(theme: &Theme) -> Option<PlacedLogo> {
    let logo = theme.logo.as_ref()?;
    let (page_width, _) = theme.page.points();
    let measure_mm = (page_width - theme.margins.left - theme.margins.right) * 25.4 / 72.0;
    let aspect = logo.image.width.max(1) as f32 / logo.image.height.max(1) as f32;
    let mut height = LOGO_HEIGHT_MM;
    if height * aspect > measure_mm && measure_mm > 0.0 {
        height = measure_mm / aspect;
    }
    let emu = |mm: f32| (mm * EMU_PER_MM).round().max(1.0) as u64;
    Some(PlacedLogo {
        file: match logo.image.format {
            ImageFormat::Jpeg => "logo.jpg".to_owned(),
            ImageFormat::Png => "logo.png".to_owned(),
        },
        data: logo.image.data.to_vec(),
        cx: emu(height * aspect),
        cy: emu(height),
    })
}

/// The header and footer parts the theme asks for (none for a theme without logo, header and
/// footer text).
pub fn build(theme: &Theme, publisher: &str) -> Furniture {
    let logo = place_logo(theme);
    let header = theme.header.as_deref().filter(|h| !h.trim().is_empty());
    let footer = theme.footer.as_deref().filter(|f| !f.trim().is_empty());
    let mut parts = Vec::new();
    let mut add =
        |kind: Kind, pages: &'static str, root: Element, logo: Option<(String, Vec<u8>)>| {
            let (stem, n) = match kind {
                Kind::Header => (
                    "header",
                    1 + parts.iter().filter(|p: &&Part| p.kind == kind).count(),
                ),
                Kind::Footer => (
                    "footer",
                    1 + parts.iter().filter(|p: &&Part| p.kind == kind).count(),
                ),
            };
            parts.push(Part {
                kind,
                file: format!("{stem}{n}.xml"),
                rel_id: format!("rIdBrief{}{n}", &stem[..1].to_uppercase()),
                pages,
                xml: root.to_part(),
                logo,
            });
        };
    // The first page carries the title: the running header starts on page 2, so a theme with a
    // header or a logo gives the first page a header of its own.
    let title_page = logo.is_some() || header.is_some();
    if title_page {
        let mut p = paragraph(styles::HEADER);
        let mut media = None;
        if let Some(l) = logo {
            p = p.child(Element::new("w:r").child(drawing(&l, publisher)));
            media = Some((l.file, l.data));
        }
        add(Kind::Header, "first", part("w:hdr", p), media);
    }
    if let Some(h) = header {
        let p = paragraph(styles::HEADER).child(text_run(h));
        add(Kind::Header, "default", part("w:hdr", p), None);
    }
    if let Some(f) = footer {
        let folio = |pages: &'static str| {
            let p = page_field().into_iter().fold(
                paragraph(styles::FOOTER)
                    .child(text_run(f))
                    .child(Element::new("w:r").child(Element::new("w:tab"))),
                Element::child,
            );
            (pages, part("w:ftr", p))
        };
        // With `w:titlePg` the first page shows only "first" parts; give it the footer too.
        let pages: &[&'static str] = if title_page {
            &["default", "first"]
        } else {
            &["default"]
        };
        for which in pages {
            let (pages, root) = folio(which);
            add(Kind::Footer, pages, root, None);
        }
    }
    Furniture { parts, title_page }
}

/// The root of a header or footer part holding one paragraph.
fn part(name: &str, p: Element) -> Element {
    let mut root = Element::new(name);
    for (k, v) in NS {
        root = root.attr(k, v);
    }
    root.child(p)
}

fn paragraph(style: &str) -> Element {
    Element::new("w:p")
        .child(Element::new("w:pPr").child(Element::new("w:pStyle").attr("w:val", style)))
}

fn text_run(text: &str) -> Element {
    Element::new("w:r").child(Element::new("w:t").attr("xml:space", "preserve").text(text))
}

/// A PAGE field as Word writes it: begin, instruction, separate, a cached result, end.
fn page_field() -> Vec<Element> {
    let mark =
        |t: &str| Element::new("w:r").child(Element::new("w:fldChar").attr("w:fldCharType", t));
    vec![
        mark("begin"),
        Element::new("w:r").child(
            Element::new("w:instrText")
                .attr("xml:space", "preserve")
                .text(" PAGE "),
        ),
        mark("separate"),
        text_run("1"),
        mark("end"),
    ]
}

/// The relationship id of the logo inside its header's relationships.
pub const LOGO_REL_ID: &str = "rIdLogo";

/// The logo as an inline picture (DrawingML, as Word writes one), its alt text the
/// publisher's name.
fn drawing(logo: &PlacedLogo, publisher: &str) -> Element {
    let (cx, cy) = (logo.cx.to_string(), logo.cy.to_string());
    let id = LOGO_DOC_PR_ID.to_string();
    let pic = Element::new("pic:pic")
        .child(
            Element::new("pic:nvPicPr")
                .child(
                    Element::new("pic:cNvPr")
                        .attr("id", &id)
                        .attr("name", &logo.file)
                        .attr("descr", publisher),
                )
                .child(Element::new("pic:cNvPicPr")),
        )
        .child(
            Element::new("pic:blipFill")
                .child(Element::new("a:blip").attr("r:embed", LOGO_REL_ID))
                .child(Element::new("a:stretch").child(Element::new("a:fillRect"))),
        )
        .child(
            Element::new("pic:spPr")
                .child(
                    Element::new("a:xfrm")
                        .child(Element::new("a:off").attr("x", "0").attr("y", "0"))
                        .child(Element::new("a:ext").attr("cx", &cx).attr("cy", &cy)),
                )
                .child(
                    Element::new("a:prstGeom")
                        .attr("prst", "rect")
                        .child(Element::new("a:avLst")),
                ),
        );
    let inline = Element::new("wp:inline")
        .attr("distT", "0")
        .attr("distB", "0")
        .attr("distL", "0")
        .attr("distR", "0")
        .child(Element::new("wp:extent").attr("cx", &cx).attr("cy", &cy))
        .child(
            Element::new("wp:effectExtent")
                .attr("l", "0")
                .attr("t", "0")
                .attr("r", "0")
                .attr("b", "0"),
        )
        .child(
            Element::new("wp:docPr")
                .attr("id", &id)
                .attr("name", "Logo")
                .attr("descr", publisher),
        )
        .child(
            Element::new("wp:cNvGraphicFramePr")
                .child(Element::new("a:graphicFrameLocks").attr("noChangeAspect", "1")),
        )
        .child(
            Element::new("a:graphic").child(
                Element::new("a:graphicData")
                    .attr(
                        "uri",
                        "http://schemas.openxmlformats.org/drawingml/2006/picture",
                    )
                    .child(pic),
            ),
        );
    Element::new("w:drawing").child(inline)
}

/// The relationships of a header that shows the logo.
pub fn logo_relationships(media_file: &str) -> Vec<u8> {
    Element::new("Relationships")
        .attr(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/relationships",
        )
        .child(
            Element::new("Relationship")
                .attr("Id", LOGO_REL_ID)
                .attr(
                    "Type",
                    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image",
                )
                .attr("Target", &format!("media/{media_file}")),
        )
        .to_part()
}
