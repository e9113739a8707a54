//! PDF layout: fonts, shaping, line breaking and pagination. It produces pages of positioned
//! items that belong to no backend; `render::pdf` only paints them and never moves a glyph.
//!
//! The steps, each in its own file, in the order they run:
//!
//! ```text
//!   fonts      parse the theme's eight faces once (skrifa metrics, cmap, advances; harfrust font)
//!   collect    inlines -> one string per paragraph with styled spans (face, size, colour, link)
//!   prepare    UAX #14 break opportunities -> boxes / glue / penalties; overlong tokens split
//!   shaping    harfrust: kerning + standard ligatures; every glyph keeps its source text
//!   hyphenate  where words may break, by the article's language (hypher's patterns)
//!   linebreak  where lines end: Knuth–Plass optimal fit (first fit kept as a yardstick)
//!   finalize   breaks -> lines of positioned glyph runs, glue stretched for justification
//!   flow       blocks -> a vertical list of frames (lines, images, rules, spaces)
//!   paginate   frames -> pages: first-page furniture, running header, folio, footnotes,
//!              headings kept with what follows
//! ```
//!
//! Beside the frames, flow records the logical structure for the tagged PDF ([`tag`]): each
//! block opens its element, and what a line draws is marked as a piece of it.
//!
//! Coordinates are points from the page's top-left corner, y growing downwards (the painter
//! flips them for PDF).

mod collect;
pub mod columns;
mod finalize;
mod flow;
pub mod fonts;
pub mod hyphenate;
pub mod linebreak;
pub mod pack;
mod paginate;
pub mod prepare;
pub mod shaping;
pub mod table;
pub mod tag;

use crate::article::{Article, Image};
use crate::error::{Result, Warning};
use crate::theme::{Rgb, Theme};
pub use fonts::{FaceId, FontBook};
use std::sync::Arc;

/// A point in page space: points from the top-left corner, y downwards.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// From the left edge.
    pub x: f32,
    /// From the top edge, downwards.
    pub y: f32,
}

/// An axis-aligned rectangle in page space.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

/// One glyph of a run, placed relative to the run's origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the run's face (the original font's numbering).
    pub id: u16,
    /// Horizontal position of the glyph origin, from the run origin, in points.
    pub x: f32,
    /// Rise above the baseline in points (mark attachment, superscripts are separate runs).
    pub rise: f32,
    /// Where the source text this glyph stands for starts in its run's [`TextRun::text`].
    pub start: u32,
    /// That text's length in bytes: the whole cluster for its first glyph (so a ligature
    /// copies out as its letters), 0 for the cluster's further glyphs.
    pub len: u32,
}

/// Glyphs of one face, size and colour on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// The face.
    pub face: FaceId,
    /// Font size in points.
    pub size: f32,
    /// Fill colour.
    pub color: Rgb,
    /// Where the baseline starts.
    pub origin: Point,
    /// The glyphs in visual order.
    pub glyphs: Vec<Glyph>,
    /// The source text the glyphs point into: their paragraph's (with a hyphen after it for
    /// hyphenated line ends), shared by every run of the paragraph, so a glyph costs no
    /// allocation of its own.
    pub text: Arc<str>,
}

impl TextRun {
    /// The source text a glyph of this run stands for ("" for a cluster's further glyphs).
    pub fn glyph_text(&self, g: &Glyph) -> &str {
        let start = g.start as usize;
        self.text
            .get(start..start + g.len as usize)
            .unwrap_or_default()
    }
}

/// Something placed on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Shaped text.
    Text(TextRun),
    /// A raster image scaled into a rectangle (aspect ratio already kept by layout).
    Image {
        /// The image, as the reader checked it.
        image: Image,
        /// Where it goes.
        rect: Rect,
    },
    /// A filled rectangle: rules, quote bars, note separators.
    Fill {
        /// Where.
        rect: Rect,
        /// Colour.
        color: Rgb,
    },
    /// A stroked rectangle outline (the summary box).
    Stroke {
        /// Where.
        rect: Rect,
        /// Colour.
        color: Rgb,
        /// Line width in points.
        width: f32,
    },
    /// A link area that jumps within the document (footnote reference ↔ note).
    Jump {
        /// The clickable area.
        rect: Rect,
        /// Where it goes; pagination turns `Note` and `Ref` into `Page`, and drops a jump it
        /// cannot resolve.
        to: Jump,
    },
    /// A live link area over some text.
    Link {
        /// The clickable area.
        rect: Rect,
        /// The target URL.
        url: String,
    },
    /// Opens what the items up to the matching [`Item::End`] are in the tagged PDF: a content
    /// piece of the structure, a link annotation, or page furniture ([`tag`]).
    Begin(tag::Mark),
    /// Closes the innermost [`Item::Begin`].
    End,
}

/// The target of an in-document link.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Jump {
    /// Footnote `n`'s text (from its reference).
    Note(usize),
    /// Footnote `n`'s first reference (from the note's number).
    Ref(usize),
    /// A resolved place: page index (0-based) and y from the top.
    Page {
        /// Page index.
        page: usize,
        /// Points from the page's top.
        y: f32,
    },
}

impl Item {
    /// Moves the item by `dx`, `dy`.
    pub fn translate(&mut self, dx: f32, dy: f32) {
        match self {
            Item::Text(run) => {
                run.origin.x += dx;
                run.origin.y += dy;
            }
            Item::Image { rect, .. }
            | Item::Fill { rect, .. }
            | Item::Jump { rect, .. }
            | Item::Stroke { rect, .. }
            | Item::Link { rect, .. } => {
                rect.x += dx;
                rect.y += dy;
            }
            Item::Begin(_) | Item::End => {}
        }
    }
}

/// A box of positioned items, relative to its own top-left corner.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frame {
    /// Height the frame takes in the flow.
    pub height: f32,
    /// Its content.
    pub items: Vec<Item>,
}

/// One finished page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// Everything on it, in painting (and reading) order.
    pub items: Vec<Item>,
}

/// A bookmark: one heading and where it landed.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// Heading level, 1 to 3.
    pub level: u8,
    /// The heading's plain text.
    pub title: String,
    /// Page index, 0-based.
    pub page: usize,
    /// Top of the heading on its page, in points from the top.
    pub y: f32,
}

/// The laid-out document: the faces it uses, its pages, its outline, what went wrong.
pub struct Layout<'a> {
    /// The parsed faces the glyph ids refer to.
    pub fonts: FontBook<'a>,
    /// The pages in order.
    pub pages: Vec<Page>,
    /// Headings in document order.
    pub outline: Vec<OutlineEntry>,
    /// Characters no face has, and other things layout could not do perfectly.
    pub warnings: Vec<Warning>,
    /// The logical structure the pages' marks refer to.
    pub structure: tag::Structure,
}

/// What a caller may change about how an article is laid out; the default lays out a brief
/// that stands alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Leave the folio (page number) off every page, for a caller that numbers the pages
    /// itself once it knows where the article lands (a briefing pack, [`pack`]). The running
    /// header and the theme's footer stay.
    pub omit_folio: bool,
    /// The running header shows the article's short title even when the theme sets a
    /// `header` text: in a briefing pack the header tells the briefs apart.
    pub title_in_header: bool,
}

/// Lays out the article in the theme's page size.
pub fn layout<'a>(article: &Article, theme: &'a Theme) -> Result<Layout<'a>> {
    layout_with(article, theme, &Options::default())
}

/// Lays out the article in the theme's page size, with the caller's options.
pub fn layout_with<'a>(
    article: &Article,
    theme: &'a Theme,
    options: &Options,
) -> Result<Layout<'a>> {
    let fonts = FontBook::new(theme)?.with_language(&article.meta.language);
    let mut ctx = flow::Context::new(&fonts, theme, &article.meta.lang());
    let mut body = flow::flow_article(&mut ctx, article);
    let mut notes = flow::flow_notes(&mut ctx, article);
    flow::uncited_notes(&mut ctx, article, &mut body, &mut notes);
    flow::rights_line(&mut ctx, article, &mut body);
    let (pages, outline) = paginate::paginate(&mut ctx, article, body, notes, options);
    let (warnings, structure) = ctx.into_parts();
    Ok(Layout {
        fonts,
        pages,
        outline,
        warnings,
        structure,
    })
}
