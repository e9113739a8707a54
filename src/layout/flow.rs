//! Flow: the article's blocks become one vertical list of frames (a line, an image, a rule, a
//! space), each knowing whether it must stay with what follows and which footnotes it cites.
//! The first-page furniture (masthead, title, dek, byline, photo, caption, credit, summary)
//! opens the flow; `paginate` cuts it into pages.

use super::collect::{self, Para, Style};
use super::finalize::{Line, finalize};
use super::fonts::{FaceId, Family, FontBook};
use super::hyphenate::Hyphenation;
use super::linebreak::{KnuthPlass, LineBreaker, line_start};
use super::prepare::{ParItem, prepare};
use super::shaping::Shaper;
use super::{Frame, Item, Jump, Rect, TextRun};
use crate::article::{Article, Block, Figure, Image, Inline, plain_text};
use crate::error::Warning;
use crate::theme::{LogoFormat, Theme};
use std::collections::BTreeSet;
use std::sync::Arc;

/// One element of the vertical flow.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Flowed {
    /// Its content, relative to the text block's left edge and the element's top.
    pub frame: Frame,
    /// Must end on the same page as the next element (heading lines, an image and its caption).
    pub keep_with_next: bool,
    /// Vertical space, dropped at the top of a page.
    pub space: bool,
    /// Footnotes first cited here.
    pub notes: Vec<usize>,
    /// An outline entry (level, title) starting here.
    pub outline: Option<(u8, String)>,
}

/// Shared state of one layout run.
pub struct Context<'b, 'a> {
    pub(super) shaper: Shaper<'b, 'a>,
    pub(super) theme: &'a Theme,
    /// Width of the text block.
    pub(super) measure: f32,
    breaker: KnuthPlass,
    /// The article language's hyphenation patterns (none when the theme turns hyphenation
    /// off or the language has no patterns).
    hyphenation: Option<Hyphenation>,
    /// The article's language is written right to left: paragraphs take a right-to-left
    /// base direction and their short lines align right.
    rtl: bool,
    missing: BTreeSet<char>,
    warnings: Vec<Warning>,
    /// x positions of the quote bars currently open.
    bars: Vec<f32>,
    /// List markers waiting for the next line: text, style, right edge x. A nested list whose
    /// item starts its parent's item adds its marker beside the parent's.
    markers: Vec<(String, Style, f32)>,
}

/// Sizes and spacings of the house style, as multiples of the theme's base size (11 pt in the
/// default theme). They follow a modular scale of about 1.25 (11, 13.75, 17, 22 pt).
mod scale {
    /// Masthead (publisher name).
    pub const MASTHEAD: f32 = 0.95;
    /// Title.
    pub const TITLE: f32 = 2.0;
    /// Dek.
    pub const DEK: f32 = 1.18;
    /// Byline and date.
    pub const BYLINE: f32 = 0.86;
    /// Caption.
    pub const CAPTION: f32 = 0.8;
    /// Credit.
    pub const CREDIT: f32 = 0.73;
    /// Summary box text.
    pub const SUMMARY: f32 = 0.95;
    /// Footnote text.
    pub const NOTE: f32 = 0.78;
    /// Leading of display lines (title, headings) as a multiple of their size: tighter than
    /// body text, as large type needs.
    pub const DISPLAY_LEADING: f32 = 1.2;
    /// Leading of small sans text (captions, notes).
    pub const SMALL_LEADING: f32 = 1.3;
}

/// A heading's size as a multiple of the base size: level 3 is `heading_scale`, level 2 its
/// square, level 1 its cube (13.2, 15.8 and 19 pt over 11 pt text at the default 1.2). `lvl`
/// is 0 for level 1. A scale that is not a finite number from 1 to 2 falls back to 1.2.
pub(super) fn heading_size(heading_scale: f32, lvl: usize) -> f32 {
    let s = if heading_scale.is_finite() && (1.0..=2.0).contains(&heading_scale) {
        heading_scale
    } else {
        1.2
    };
    s.powi(3 - lvl.min(2) as i32)
}

/// Longest paragraph, in bytes of text, that is set as one Knuth–Plass problem. A longer one
/// (a 10 MB brief with no blank line) is set in windows of this size: each window is broken
/// as if it ended there, its lines but the last [`WINDOW_RESET_LINES`] are kept, and the next
/// window starts where the first line not kept starts. Knuth–Plass's choice of a line hardly
/// depends on text more than a few lines ahead, so the lines kept are those the whole
/// paragraph would give, and memory (items, shaped glyphs, breaker nodes) stays that of one
/// window. 16 KiB is about 2 700 words or 190 lines at the default measure: no paragraph of
/// a real brief comes near it, so every ordinary paragraph is still set whole.
const PARAGRAPH_WINDOW: usize = 16 * 1024;
/// Lines at a window's end that the next window sets again (see [`PARAGRAPH_WINDOW`]).
const WINDOW_RESET_LINES: usize = 4;

/// Indent per list level and of block quotes, in ems of the base size (2 em: room for "10.").
const INDENT_EM: f32 = 2.0;
/// Largest share of the text block's height a figure may take; the lead photo shares page one
/// with the title block, so it gets less.
const FIGURE_MAX_HEIGHT: f32 = 0.5;
const PHOTO_MAX_HEIGHT: f32 = 0.42;
/// The logo's height in the masthead: 12 mm, about twice the masthead's cap height plus its
/// rule, the size letterheads commonly give a logo.
const LOGO_HEIGHT: f32 = 12.0 * 72.0 / 25.4;

/// Where and how a paragraph is set.
#[derive(Debug, Clone, Copy)]
struct ParShape {
    left: f32,
    right: f32,
    justify: bool,
    leading: f32,
    keep: bool,
}

impl<'b, 'a> Context<'b, 'a> {
    /// A context for the theme, shaping in `language`.
    pub fn new(fonts: &'b FontBook<'a>, theme: &'a Theme, language: &str) -> Self {
        let (w, _) = theme.page.points();
        let mut warnings = Vec::new();
        let hyphenation = if theme.hyphenate {
            let h = Hyphenation::for_language(language);
            if h.is_none() {
                warnings.push(Warning::new(format!(
                    "no hyphenation patterns for language ‘{language}’ (English and Spanish are built in); the PDF is set without hyphenation"
                )));
            }
            h
        } else {
            None
        };
        Context {
            shaper: Shaper::new(fonts, language),
            theme,
            measure: (w - theme.margins.left - theme.margins.right).max(72.0),
            breaker: KnuthPlass,
            hyphenation,
            rtl: is_rtl_language(language),
            missing: BTreeSet::new(),
            warnings,
            bars: Vec::new(),
            markers: Vec::new(),
        }
    }

    /// The warnings gathered: one listing every missing character first, then the rest.
    pub fn into_warnings(self) -> Vec<Warning> {
        let mut out = Vec::new();
        if !self.missing.is_empty() {
            let chars: Vec<String> = self.missing.iter().map(char::to_string).collect();
            let codes: Vec<String> = self
                .missing
                .iter()
                .map(|c| format!("U+{:04X}", u32::from(*c)))
                .collect();
            let n = self.missing.len();
            out.push(Warning::new(format!(
                "no embedded font has {n} character{}: {} ({}); the PDF shows an empty box for each (the text still copies out); choose a theme font that covers them",
                if n == 1 { "" } else { "s" },
                chars.join(" "),
                codes.join(" ")
            )));
        }
        out.extend(self.warnings);
        out
    }

    fn base(&self) -> f32 {
        self.theme.base_size
    }

    fn body_style(&self) -> Style {
        Style::new(Family::Serif, self.base(), self.theme.colors.text)
    }

    fn sans(&self, rel: f32) -> Style {
        Style::new(Family::Sans, self.base() * rel, self.theme.colors.text)
    }

    /// Adds an element, drawing the open quote bars beside it.
    fn push(&self, out: &mut Vec<Flowed>, mut f: Flowed) {
        for x in &self.bars {
            f.frame.items.insert(
                0,
                Item::Fill {
                    rect: Rect {
                        x: *x,
                        y: 0.0,
                        w: 1.5,
                        h: f.frame.height,
                    },
                    color: self.theme.colors.rule,
                },
            );
        }
        out.push(f);
    }

    fn space(&self, out: &mut Vec<Flowed>, h: f32) {
        if h > 0.0 {
            self.push(
                out,
                Flowed {
                    frame: Frame {
                        height: h,
                        items: Vec::new(),
                    },
                    space: true,
                    ..Flowed::default()
                },
            );
        }
    }

    /// Sets a paragraph into lines and pushes one element per line. A paragraph longer than
    /// [`PARAGRAPH_WINDOW`] is set a window at a time (see there), so memory stays bounded and
    /// the cost linear however long it is.
    fn paragraph(&mut self, out: &mut Vec<Flowed>, para: &Para, shape: ParShape) -> usize {
        let width = (self.measure - shape.left - shape.right).max(36.0);
        // Justified text is hyphenated; display lines and captions are not.
        let hyph = self.hyphenation.filter(|_| shape.justify);
        let text = para.text.as_str();
        let first = out.len();
        let mut n = 0;
        let mut from = 0;
        loop {
            let last = text.len() - from <= PARAGRAPH_WINDOW;
            let to = if last {
                text.len()
            } else {
                window_end(text, from + PARAGRAPH_WINDOW)
            };
            // The whole paragraph when it fits one window, else the window's part of it.
            let window = (from > 0 || !last).then(|| sub_para(para, from..to));
            let part = window.as_ref().unwrap_or(para);
            let items = prepare(
                &self.shaper,
                part,
                width,
                hyph.as_ref(),
                self.rtl,
                &mut self.missing,
            );
            let breaks = self.breaker.break_lines(&items, width, shape.justify);
            // Every line of the last window; the others keep all but their last few lines,
            // which the next window sets again with the text that follows them.
            let mut accept = breaks.len();
            let mut next = to;
            if !last {
                let keep = breaks.len().saturating_sub(WINDOW_RESET_LINES).max(1);
                if let Some(at) = breaks
                    .get(keep - 1)
                    .and_then(|b| line_text_start(&items, b.end))
                    .filter(|at| *at > 0 && from + at < to)
                {
                    accept = keep;
                    next = from + at;
                }
            }
            let lines = finalize(&items, &breaks[..accept], &source_text(part));
            drop(items);
            for mut line in lines {
                if self.rtl {
                    align_right(&mut line, width);
                }
                let hyphenated = line.hyphenated;
                let (mut frame, notes) = self.line_frame(line, para, shape.left, shape.leading);
                // List markers and note numbers go before the line's text: items are painted
                // in reading order, so copied text and pdftotext read "• item", not "item •".
                let mut marker_items = Vec::new();
                for (text, style, right) in std::mem::take(&mut self.markers) {
                    let baseline = frame_baseline(&frame);
                    let (runs, w) = self.text_runs(&text, style);
                    for mut run in runs {
                        run.origin.x += right - w;
                        run.origin.y += baseline;
                        marker_items.push(Item::Text(run));
                    }
                }
                frame.items.splice(0..0, marker_items);
                self.push(
                    out,
                    Flowed {
                        frame,
                        // No orphan and no widow: the first line keeps with the second, the
                        // next-to-last with the last (set below, once the count is known), so
                        // a split leaves two lines each side. A hyphenated line keeps with
                        // the next too, so no page ends on a broken word (TeX's
                        // \brokenpenalty); when the chain cannot fit on any page, pagination
                        // splits it anyway.
                        keep_with_next: shape.keep || n == 0 || hyphenated,
                        notes,
                        ..Flowed::default()
                    },
                );
                n += 1;
            }
            if next >= text.len() || last {
                break;
            }
            from = next;
        }
        if n >= 2
            && let Some(f) = out.get_mut(first + n - 2)
        {
            f.keep_with_next = true;
        }
        if let Some(f) = out.get_mut(first + n.max(1) - 1).filter(|_| n > 0) {
            f.keep_with_next = false;
        }
        n
    }

    /// A line as a frame of `leading` height, its baseline placed so the font's ascent and
    /// descent sit centred in the leading.
    fn line_frame(&self, line: Line, para: &Para, left: f32, leading: f32) -> (Frame, Vec<usize>) {
        let size = line
            .runs
            .iter()
            .filter(|r| r.origin.y == 0.0)
            .map(|r| r.size)
            .fold(0.0, f32::max);
        let size = if size > 0.0 {
            size
        } else {
            line.runs.iter().map(|r| r.size).fold(self.base(), f32::max)
        };
        let m = self
            .shaper
            .book()
            .face(FaceId::of(Family::Serif, false, false))
            .metrics;
        let upm = f32::from(m.units_per_em.max(1));
        let (asc, desc) = (m.ascent / upm * size, -m.descent / upm * size);
        let baseline = (leading - (asc + desc)) / 2.0 + asc;
        let mut items = Vec::with_capacity(line.runs.len() + line.links.len());
        for mut run in line.runs {
            run.origin.x += left;
            run.origin.y += baseline;
            items.push(Item::Text(run));
        }
        // A note reference jumps to its note; the area is widened to a comfortable target
        // around the small superscript.
        for (x0, x1, s, n) in line.note_spans {
            items.push(Item::Jump {
                rect: Rect {
                    x: left + x0 - 1.0,
                    y: baseline - s * 2.0,
                    w: (x1 - x0).max(0.0) + 2.0,
                    h: s * 2.4,
                },
                to: Jump::Note(n),
            });
        }
        for (x0, x1, s, l) in line.links {
            if let Some(url) = para.links.get(l) {
                items.push(Item::Link {
                    rect: Rect {
                        x: left + x0,
                        y: baseline - s * 0.9,
                        w: (x1 - x0).max(0.0),
                        h: s * 1.15,
                    },
                    url: url.clone(),
                });
            }
        }
        (
            Frame {
                height: leading,
                items,
            },
            line.notes,
        )
    }

    /// Shapes a short text on one line (markers, header, folio): its runs on a baseline at
    /// y = 0 starting at x = 0, and its width.
    pub(super) fn text_runs(&mut self, text: &str, style: Style) -> (Vec<TextRun>, f32) {
        let para = collect::plain(text, style);
        let items = prepare(
            &self.shaper,
            &para,
            f32::INFINITY,
            None,
            self.rtl,
            &mut self.missing,
        );
        let breaks = [super::linebreak::Break {
            end: items.len(),
            ratio: 0.0,
        }];
        let line = finalize(&items, &breaks, &source_text(&para))
            .pop()
            .unwrap_or_default();
        (line.runs, line.width)
    }

    fn display(&mut self, out: &mut Vec<Flowed>, text: &str, style: Style, keep: bool) -> usize {
        let para = collect::plain(text, style);
        let leading = style.size * scale::DISPLAY_LEADING;
        self.paragraph(
            out,
            &para,
            ParShape {
                left: 0.0,
                right: 0.0,
                justify: false,
                leading,
                keep,
            },
        )
    }

    fn small(&mut self, out: &mut Vec<Flowed>, text: &str, style: Style, keep: bool) {
        let para = collect::plain(text, style);
        let leading = style.size * scale::SMALL_LEADING;
        self.paragraph(
            out,
            &para,
            ParShape {
                left: 0.0,
                right: 0.0,
                justify: false,
                leading,
                keep,
            },
        );
    }

    fn figure(&mut self, out: &mut Vec<Flowed>, fig: &Figure, max_share: f32) {
        let (_, page_h) = self.theme.page.points();
        let block_h = page_h - self.theme.margins.top - self.theme.margins.bottom;
        let has_text = !fig.caption.trim().is_empty()
            || fig.credit.as_deref().is_some_and(|c| !c.trim().is_empty());
        if let Some(img) = &fig.image {
            let left = self.bars.last().map_or(0.0, |b| b + 10.0);
            let frame = image_frame(img, self.measure - left, block_h * max_share, left);
            self.push(
                out,
                Flowed {
                    frame,
                    keep_with_next: has_text,
                    ..Flowed::default()
                },
            );
            if has_text {
                self.space(out, self.base() * 0.35);
                if let Some(last) = out.last_mut() {
                    last.keep_with_next = true;
                }
            }
        }
        let credit = fig
            .credit
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if !fig.caption.trim().is_empty() {
            let style = self.sans(scale::CAPTION);
            self.small(out, fig.caption.trim(), style, credit.is_some());
            if credit.is_some()
                && let Some(last) = out.last_mut()
            {
                last.keep_with_next = true;
            }
        }
        if let Some(credit) = credit {
            let style = Style {
                color: self.theme.colors.accent,
                ..self.sans(scale::CREDIT).italic()
            };
            self.small(out, credit, style, false);
        }
    }

    fn blocks(
        &mut self,
        out: &mut Vec<Flowed>,
        article: &Article,
        blocks: &[Block],
        left: f32,
        tight: bool,
    ) {
        let base = self.base();
        let leading = base * self.theme.leading;
        let gap = if tight { leading * 0.25 } else { leading * 0.6 };
        for (bi, block) in blocks.iter().enumerate() {
            let last = bi + 1 == blocks.len();
            match block {
                Block::Heading { level, content } => {
                    let lvl = usize::from((*level).clamp(1, 3)) - 1;
                    let style = Style {
                        color: self.theme.colors.accent,
                        ..self
                            .sans(heading_size(self.theme.heading_scale, lvl))
                            .bold()
                    };
                    self.space(out, leading * [1.1, 0.9, 0.7][lvl]);
                    let para = collect::collect(article, content, style, self.theme.colors.accent);
                    let first = out.len();
                    let lead = style.size * scale::DISPLAY_LEADING;
                    self.paragraph(
                        out,
                        &para,
                        ParShape {
                            left,
                            right: 0.0,
                            justify: false,
                            leading: lead,
                            keep: true,
                        },
                    );
                    let title = plain_text(content);
                    for (k, f) in out.iter_mut().enumerate().skip(first) {
                        f.keep_with_next = true;
                        if k == first {
                            f.outline = Some(((*level).clamp(1, 3), title.trim().to_owned()));
                        }
                    }
                    self.space(out, leading * 0.3);
                    if let Some(l) = out.last_mut() {
                        l.keep_with_next = true;
                    }
                }
                Block::Paragraph { content } => {
                    let para = collect::collect(
                        article,
                        content,
                        self.body_style(),
                        self.theme.colors.accent,
                    );
                    self.paragraph(
                        out,
                        &para,
                        ParShape {
                            left,
                            right: 0.0,
                            justify: true,
                            leading,
                            keep: false,
                        },
                    );
                    if !last || !tight {
                        self.space(out, gap);
                    }
                }
                Block::Quote { blocks } => {
                    let indent = base * INDENT_EM;
                    self.bars.push(left + indent * 0.35);
                    self.blocks(out, article, blocks, left + indent, false);
                    self.bars.pop();
                    self.space(out, gap * 0.5);
                }
                Block::List {
                    ordered,
                    start,
                    items,
                } => {
                    let indent = base * INDENT_EM;
                    for (k, item) in items.iter().enumerate() {
                        let label = if *ordered {
                            format!("{}.", u64::from(*start) + k as u64)
                        } else {
                            "•".to_owned()
                        };
                        let pending = self.markers.len();
                        self.markers
                            .push((label, self.body_style(), left + indent - base * 0.5));
                        self.blocks(out, article, item, left + indent, true);
                        if self.markers.len() > pending {
                            let (label, ..) = self.markers.remove(pending);
                            // An item without a line of text (only a figure, or empty) cannot
                            // carry its marker.
                            self.warnings.push(Warning::new(format!(
                                "list item {label} has no text line to carry its marker; the marker is left out"
                            )));
                        }
                        self.space(out, leading * 0.2);
                    }
                    if !tight {
                        self.space(out, gap * 0.6);
                    }
                }
                Block::Figure { figure } => {
                    self.space(out, gap * 0.5);
                    self.figure(out, figure, FIGURE_MAX_HEIGHT);
                    self.space(out, gap);
                }
                Block::Rule => {
                    let w = self.measure / 3.0;
                    let frame = Frame {
                        height: leading * 1.5,
                        items: vec![Item::Fill {
                            rect: Rect {
                                x: (self.measure - w) / 2.0,
                                y: leading * 0.75,
                                w,
                                h: 0.6,
                            },
                            color: self.theme.colors.rule,
                        }],
                    };
                    self.push(
                        out,
                        Flowed {
                            frame,
                            ..Flowed::default()
                        },
                    );
                }
            }
        }
    }
}

/// Where a window of a long paragraph ends: after the first space at or past `at`, within
/// another window's length; else (a giant token with no space) at a character boundary at
/// `at`, where the token is cut as `prepare` would cut it for the measure anyway.
fn window_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    let limit = (at + PARAGRAPH_WINDOW).min(text.len());
    if let Some(i) = text.as_bytes()[at..limit].iter().position(|b| *b == b' ') {
        return at + i + 1;
    }
    let mut cut = at;
    while cut > 0 && !text.is_char_boundary(cut) {
        cut -= 1;
    }
    cut
}

/// The part `range` of a paragraph as a paragraph of its own: its text, and its spans cut to
/// it and shifted (link indices still refer to the whole paragraph's links).
fn sub_para(para: &Para, range: std::ops::Range<usize>) -> Para {
    let first = para.spans.partition_point(|s| s.range.end <= range.start);
    let spans = para.spans[first..]
        .iter()
        .take_while(|s| s.range.start < range.end)
        .map(|s| collect::Span {
            range: s.range.start.max(range.start) - range.start
                ..s.range.end.min(range.end) - range.start,
            ..s.clone()
        })
        .collect();
    Para {
        text: para.text.get(range).unwrap_or_default().to_owned(),
        spans,
        links: Vec::new(),
    }
}

/// The byte offset in its paragraph where the line after a break at item `end` starts: the
/// first cluster of its first box.
fn line_text_start(items: &[ParItem], end: usize) -> Option<usize> {
    let start = line_start(items, end.saturating_add(1));
    match items.get(start)? {
        ParItem::Box { pieces, .. } => pieces
            .iter()
            .flat_map(|p| &p.glyphs)
            .filter(|g| g.starts_cluster())
            .map(|g| g.start as usize)
            .min(),
        _ => None,
    }
}

/// The text a paragraph's glyphs point into: its own, and a hyphen for hyphenated line ends.
fn source_text(para: &Para) -> Arc<str> {
    let mut s = String::with_capacity(para.text.len() + 1);
    s.push_str(&para.text);
    s.push('-');
    Arc::from(s)
}

/// Whether a BCP 47 tag names a language written right to left (Arabic, Hebrew, Persian,
/// Urdu, Pashto, Sindhi, Kurdish in Arabic script, Dhivehi, Yiddish, Syriac, N'Ko, and any tag
/// with a right-to-left script subtag).
pub fn is_rtl_language(tag: &str) -> bool {
    let mut parts = tag.split(['-', '_']).map(str::to_ascii_lowercase);
    let primary = parts.next().unwrap_or_default();
    let script_rtl = parts.any(|p| {
        matches!(
            p.as_str(),
            "arab" | "hebr" | "syrc" | "thaa" | "nkoo" | "adlm" | "rohg"
        )
    });
    script_rtl
        || matches!(
            primary.as_str(),
            "ar" | "he" | "iw" | "fa" | "ur" | "ps" | "sd" | "ckb" | "dv" | "yi" | "syr" | "nqo"
        )
}

/// Moves a line's content to end at the right edge of `width` (a right-to-left paragraph's
/// short lines; a justified line already fills the width and does not move).
fn align_right(line: &mut Line, width: f32) {
    let dx = width - line.width;
    if dx <= 0.0 {
        return;
    }
    for run in &mut line.runs {
        run.origin.x += dx;
    }
    for span in line.links.iter_mut() {
        span.0 += dx;
        span.1 += dx;
    }
    for span in line.note_spans.iter_mut() {
        span.0 += dx;
        span.1 += dx;
    }
}

/// The baseline of a line frame (of its first text run).
fn frame_baseline(frame: &Frame) -> f32 {
    frame
        .items
        .iter()
        .find_map(|i| match i {
            Item::Text(r) if r.glyphs.iter().all(|g| g.rise == 0.0) => Some(r.origin.y),
            _ => None,
        })
        .unwrap_or(frame.height * 0.75)
}

/// An image scaled to `width` with its aspect ratio, no taller than `max_h`, centred.
fn image_frame(img: &Image, width: f32, max_h: f32, left: f32) -> Frame {
    let (iw, ih) = (img.width.max(1) as f32, img.height.max(1) as f32);
    let mut w = width;
    let mut h = w * ih / iw;
    if h > max_h {
        h = max_h;
        w = h * iw / ih;
    }
    Frame {
        height: h,
        items: vec![Item::Image {
            image: img.clone(),
            rect: Rect {
                x: left + (width - w) / 2.0,
                y: 0.0,
                w,
                h,
            },
        }],
    }
}

/// The logo's frame: `LOGO_HEIGHT` tall (less if it would be wider than the measure), aspect
/// kept, at the left edge. An SVG logo, or one that is not a readable PNG or JPEG, becomes a
/// warning and is left out.
pub(super) fn logo_frame(ctx: &mut Context<'_, '_>) -> Option<Frame> {
    let logo = ctx.theme.logo.as_ref()?;
    if logo.format == LogoFormat::Svg {
        ctx.warnings.push(Warning::new(
            "the theme's logo is SVG, which the PDF cannot draw yet; the PDF masthead has no logo (use a PNG or JPEG logo)",
        ));
        return None;
    }
    let img = match crate::read::images::check_image(logo.data.clone()) {
        Ok(img) => img,
        Err((why, hint)) => {
            ctx.warnings.push(Warning::new(format!(
                "the theme's logo {why}; the PDF masthead has no logo ({hint})"
            )));
            return None;
        }
    };
    let (iw, ih) = (img.width.max(1) as f32, img.height.max(1) as f32);
    let mut h = LOGO_HEIGHT;
    let mut w = h * iw / ih;
    if w > ctx.measure {
        w = ctx.measure;
        h = w * ih / iw;
    }
    Some(Frame {
        height: h,
        items: vec![Item::Image {
            image: img,
            rect: Rect {
                x: 0.0,
                y: 0.0,
                w,
                h,
            },
        }],
    })
}

/// "By A and B · February 2, 2026", "By A, B and C", or only the date.
pub fn byline(article: &Article) -> Option<String> {
    let names: Vec<&str> = article
        .meta
        .authors
        .iter()
        .map(|a| a.name.trim())
        .filter(|n| !n.is_empty())
        .collect();
    let who = match names.as_slice() {
        [] => None,
        [one] => Some(format!("By {one}")),
        [init @ .., last] => Some(format!("By {} and {last}", init.join(", "))),
    };
    let date = article.meta.date.map(|d| d.long_english());
    match (who, date) {
        (Some(w), Some(d)) => Some(format!("{w} · {d}")),
        (Some(w), None) => Some(w),
        (None, Some(d)) => Some(d),
        (None, None) => None,
    }
}

/// The flow of the whole article: first-page furniture, then the body.
pub fn flow_article(ctx: &mut Context<'_, '_>, article: &Article) -> Vec<Flowed> {
    let mut out = Vec::new();
    let base = ctx.base();
    let theme = ctx.theme;
    // Masthead: the theme's logo, then the publisher in the accent colour over a rule.
    if let Some(frame) = logo_frame(ctx) {
        out.push(Flowed {
            frame,
            keep_with_next: true,
            ..Flowed::default()
        });
        ctx.space(&mut out, base * 0.5);
    }
    let publisher = article.publisher(&theme.publisher).trim().to_owned();
    if !publisher.is_empty() {
        let style = Style {
            color: theme.colors.accent,
            ..ctx.sans(scale::MASTHEAD).bold()
        };
        ctx.display(&mut out, &publisher, style, true);
        let frame = Frame {
            height: base * 1.6,
            items: vec![Item::Fill {
                rect: Rect {
                    x: 0.0,
                    y: base * 0.35,
                    w: ctx.measure,
                    h: 1.2,
                },
                color: theme.colors.accent,
            }],
        };
        out.push(Flowed {
            frame,
            ..Flowed::default()
        });
    }
    let title = Style {
        color: theme.colors.text,
        ..ctx.sans(scale::TITLE).bold()
    };
    ctx.display(&mut out, article.meta.title.trim(), title, true);
    if let Some(dek) = article
        .meta
        .subtitle
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        ctx.space(&mut out, base * 0.4);
        let style = Style::new(Family::Serif, base * scale::DEK, theme.colors.text).italic();
        ctx.display(&mut out, dek, style, false);
    }
    if let Some(by) = byline(article) {
        ctx.space(&mut out, base * 0.6);
        let style = ctx.sans(scale::BYLINE);
        ctx.display(&mut out, &by, style, false);
    }
    ctx.space(&mut out, base * 1.0);
    if let Some(photo) = &article.photo {
        ctx.figure(&mut out, photo, PHOTO_MAX_HEIGHT);
        ctx.space(&mut out, base * 1.0);
    }
    if let Some(summary) = article
        .meta
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        summary_box(ctx, &mut out, summary);
        ctx.space(&mut out, base * 1.0);
    }
    ctx.blocks(&mut out, article, &article.blocks, 0.0, false);
    // The rights statement closes the article in the credit's small sans, as the DOCX and EPUB
    // end theirs.
    if let Some(rights) = article
        .meta
        .rights
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        ctx.space(&mut out, base * 1.5);
        let style = Style {
            color: theme.colors.text,
            ..ctx.sans(scale::CREDIT)
        };
        ctx.small(&mut out, rights, style, false);
    }
    out
}

/// The summary in a ruled box with an accent bar. Each line is its own element carrying its
/// slice of the box (bar, side rules; the top rule on the first, the bottom rule on the
/// last), so a long summary splits across pages like a paragraph (two lines at least on each
/// side) instead of overflowing the page.
fn summary_box(ctx: &mut Context<'_, '_>, out: &mut Vec<Flowed>, summary: &str) {
    let pad = ctx.base() * 0.8;
    let style = ctx.sans(scale::SUMMARY);
    let leading = style.size * 1.4;
    let para = collect::plain(summary, style);
    let mut lines = Vec::new();
    ctx.paragraph(
        &mut lines,
        &para,
        ParShape {
            left: pad,
            right: pad,
            justify: true,
            leading,
            keep: false,
        },
    );
    let measure = ctx.measure;
    let (accent, rule) = (ctx.theme.colors.accent, ctx.theme.colors.rule);
    let slice = |h: f32, top: bool, bottom: bool| -> Vec<Item> {
        let mut items = vec![
            Item::Fill {
                rect: Rect {
                    x: 0.0,
                    y: 0.0,
                    w: 0.6,
                    h,
                },
                color: rule,
            },
            Item::Fill {
                rect: Rect {
                    x: measure - 0.6,
                    y: 0.0,
                    w: 0.6,
                    h,
                },
                color: rule,
            },
            Item::Fill {
                rect: Rect {
                    x: 0.0,
                    y: 0.0,
                    w: 3.0,
                    h,
                },
                color: accent,
            },
        ];
        if top {
            items.push(Item::Fill {
                rect: Rect {
                    x: 0.0,
                    y: 0.0,
                    w: measure,
                    h: 0.6,
                },
                color: rule,
            });
        }
        if bottom {
            items.push(Item::Fill {
                rect: Rect {
                    x: 0.0,
                    y: h - 0.6,
                    w: measure,
                    h: 0.6,
                },
                color: rule,
            });
        }
        items
    };
    out.push(Flowed {
        frame: Frame {
            height: pad,
            items: slice(pad, true, false),
        },
        keep_with_next: true,
        ..Flowed::default()
    });
    let n = lines.len();
    for (i, mut line) in lines.into_iter().enumerate() {
        let mut items = slice(line.frame.height, false, false);
        items.append(&mut line.frame.items);
        line.frame.items = items;
        // The last line stays with the bottom padding.
        line.keep_with_next |= i + 1 == n;
        out.push(line);
    }
    out.push(Flowed {
        frame: Frame {
            height: pad,
            items: slice(pad, false, true),
        },
        ..Flowed::default()
    });
}

/// Each footnote's lines, note `n` at index `n - 1`, numbered with a hanging label.
pub fn flow_notes(ctx: &mut Context<'_, '_>, article: &Article) -> Vec<Vec<Flowed>> {
    let mut all = Vec::with_capacity(article.notes.len());
    let size = ctx.base() * scale::NOTE;
    for (i, note) in article.notes.iter().enumerate() {
        let mut out = Vec::new();
        let indent = size * 1.8;
        let style = Style::new(Family::Serif, size, ctx.theme.colors.text);
        ctx.markers = vec![(format!("{}", i + 1), style, indent - size * 0.5)];
        for block in &note.blocks {
            let para = match block {
                Block::Paragraph { content } | Block::Heading { content, .. } => {
                    collect::collect(article, content, style, ctx.theme.colors.accent)
                }
                other => {
                    let inlines = block_inlines(other);
                    collect::collect(article, &inlines, style, ctx.theme.colors.accent)
                }
            };
            let first = out.len();
            ctx.paragraph(
                &mut out,
                &para,
                ParShape {
                    left: indent,
                    right: 0.0,
                    justify: true,
                    leading: size * scale::SMALL_LEADING,
                    keep: false,
                },
            );
            // The note's number jumps back to where the note is cited.
            if first == 0
                && let Some(f) = out.first_mut()
            {
                let h = f.frame.height;
                f.frame.items.push(Item::Jump {
                    rect: Rect {
                        x: 0.0,
                        y: 0.0,
                        w: indent - size * 0.3,
                        h,
                    },
                    to: Jump::Ref(i + 1),
                });
            }
        }
        ctx.markers.clear();
        all.push(out);
    }
    all
}

/// A note's quote, list or figure as one run of inlines (a note is set as one paragraph per
/// block): the blocks' inlines in order, a space between them, emphasis, links and note
/// references kept.
fn block_inlines(block: &Block) -> Vec<Inline> {
    fn walk(block: &Block, out: &mut Vec<Inline>) {
        let gap = |out: &mut Vec<Inline>| {
            if !out.is_empty() {
                out.push(Inline::Text { text: " ".into() });
            }
        };
        match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => {
                gap(out);
                out.extend(content.iter().cloned());
            }
            Block::Quote { blocks } => blocks.iter().for_each(|b| walk(b, out)),
            Block::List { items, .. } => items.iter().flatten().for_each(|b| walk(b, out)),
            Block::Figure { figure } => {
                gap(out);
                out.push(Inline::Text {
                    text: figure.caption.clone(),
                });
            }
            Block::Rule => {}
        }
    }
    let mut out = Vec::new();
    walk(block, &mut out);
    out
}

/// Notes the body never cites (a reader keeps such definitions rather than lose them): set at
/// the end of the body under a "Notes" heading, as the DOCX lists them, each as it would stand
/// at a page foot, with a warning per note. They are taken out of `notes`, so pagination never
/// places them a second time.
pub fn uncited_notes(
    ctx: &mut Context<'_, '_>,
    article: &Article,
    body: &mut Vec<Flowed>,
    notes: &mut [Vec<Flowed>],
) {
    let cited = article.body_citations();
    let uncited: Vec<usize> = (0..article.notes.len().min(notes.len()))
        .filter(|&i| !cited.contains_key(&article.notes[i].id))
        .collect();
    if uncited.is_empty() {
        return;
    }
    let heading = crate::article::notes_heading(&article.meta.language);
    let block = Block::Heading {
        level: 1,
        content: vec![Inline::Text {
            text: heading.to_owned(),
        }],
    };
    ctx.blocks(body, article, std::slice::from_ref(&block), 0.0, false);
    let gap = ctx.base() * 0.4;
    for i in uncited {
        body.append(&mut notes[i]);
        ctx.space(body, gap);
        ctx.warnings.push(Warning::new(format!(
            "footnote `{}` is never cited; the PDF lists it as note {} under “{heading}” at the end",
            article.notes[i].id,
            i + 1
        )));
    }
}
