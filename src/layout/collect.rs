//! Collect: a block's inlines become one string with styled spans (face, size, colour, rise,
//! link, footnote), which is what line breaking needs to find break opportunities across
//! style changes.

use super::fonts::{FaceId, Family};
use crate::article::{Article, Inline};
use crate::theme::Rgb;
use std::ops::Range;

/// How a span of text is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Serif or sans.
    pub family: Family,
    /// Bold face.
    pub bold: bool,
    /// Italic face.
    pub italic: bool,
    /// Size in points.
    pub size: f32,
    /// Fill colour.
    pub color: Rgb,
    /// Baseline shift upwards in points (superscript note numbers).
    pub rise: f32,
}

impl Style {
    /// A plain style.
    pub fn new(family: Family, size: f32, color: Rgb) -> Style {
        Style {
            family,
            bold: false,
            italic: false,
            size,
            color,
            rise: 0.0,
        }
    }

    /// The same style in bold.
    pub fn bold(self) -> Style {
        Style { bold: true, ..self }
    }

    /// The same style in italic.
    pub fn italic(self) -> Style {
        Style {
            italic: true,
            ..self
        }
    }

    /// The face this style uses.
    pub fn face(&self) -> FaceId {
        FaceId::of(self.family, self.bold, self.italic)
    }
}

/// A run of the paragraph's text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Byte range in [`Para::text`].
    pub range: Range<usize>,
    /// How it is set.
    pub style: Style,
    /// Index into [`Para::links`] when the span is part of a link.
    pub link: Option<usize>,
    /// The footnote number when the span is a footnote reference.
    pub note: Option<usize>,
}

/// A paragraph's text and styles; forced line breaks are `\n` in the text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Para {
    /// All the text.
    pub text: String,
    /// Styled spans covering the text in order.
    pub spans: Vec<Span>,
    /// Link targets.
    pub links: Vec<String>,
}

/// Superscript size as a share of the surrounding size, and its rise as a share of that size:
/// the proportions of the `sups` feature in Noto (about 0.6 em high, raised about 0.35 em).
const SUPERSCRIPT_SIZE: f32 = 0.62;
const SUPERSCRIPT_RISE: f32 = 0.36;

/// Collects inlines into a paragraph. Links take `link_color`; inline code is set in the other
/// family at a slightly smaller size (the theme has no monospaced face).
pub fn collect(article: &Article, inlines: &[Inline], base: Style, link_color: Rgb) -> Para {
    let mut para = Para::default();
    walk(article, inlines, base, None, link_color, &mut para);
    para
}

/// The text without control characters, and with every white-space control other than a line
/// end (tab, vertical tab, form feed, next line) as a word space: no face draws them (a tab
/// would show as a box), a PDF reader would copy them out as junk, and the XML formats drop
/// the other controls too (with the warning the XML escaper gives). Line ends stay: they are
/// the forced breaks of a hard line break.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let spaced = |c: char| c.is_whitespace() && c.is_control() && !matches!(c, '\n' | '\r');
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r'))
    {
        text.chars()
            .filter(|c| !c.is_control() || c.is_whitespace())
            .map(|c| if spaced(c) { ' ' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// A paragraph of plain text in one style.
pub fn plain(text: &str, style: Style) -> Para {
    let text = printable(text).into_owned();
    Para {
        spans: vec![Span {
            range: 0..text.len(),
            style,
            link: None,
            note: None,
        }],
        text,
        links: Vec::new(),
    }
}

fn push(para: &mut Para, text: &str, style: Style, link: Option<usize>, note: Option<usize>) {
    let text = printable(text);
    if text.is_empty() {
        return;
    }
    let start = para.text.len();
    para.text.push_str(&text);
    para.spans.push(Span {
        range: start..para.text.len(),
        style,
        link,
        note,
    });
}

fn walk(
    article: &Article,
    inlines: &[Inline],
    style: Style,
    link: Option<usize>,
    link_color: Rgb,
    para: &mut Para,
) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => push(para, text, style, link, None),
            Inline::Code { text } => {
                let family = match style.family {
                    Family::Serif => Family::Sans,
                    Family::Sans => Family::Serif,
                };
                push(
                    para,
                    text,
                    Style {
                        family,
                        size: style.size * 0.92,
                        ..style
                    },
                    link,
                    None,
                )
            }
            Inline::Emphasis { content } => walk(
                article,
                content,
                Style {
                    italic: !style.italic,
                    ..style
                },
                link,
                link_color,
                para,
            ),
            Inline::Strong { content } => {
                walk(article, content, style.bold(), link, link_color, para)
            }
            Inline::Link { url, content } => {
                para.links.push(url.clone());
                let idx = para.links.len() - 1;
                walk(
                    article,
                    content,
                    Style {
                        color: link_color,
                        ..style
                    },
                    Some(idx),
                    link_color,
                    para,
                )
            }
            Inline::FootnoteRef { id } => {
                let sup = Style {
                    size: style.size * SUPERSCRIPT_SIZE,
                    rise: style.rise + style.size * SUPERSCRIPT_RISE,
                    ..style
                };
                match article.note_number(id) {
                    Some(n) => push(para, &n.to_string(), sup, link, Some(n)),
                    // A reference to a note the article lacks keeps its label visible.
                    None => push(para, &format!("[{id}]"), sup, link, None),
                }
            }
            Inline::LineBreak => push(para, "\n", style, link, None),
        }
    }
}
