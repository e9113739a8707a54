//! The state of one layout run and the setting of a paragraph into line frames: windows for
//! very long paragraphs, alignment, list markers, short display and small-print lines.

use super::Flowed;
use super::scale;
use crate::article::{Direction, Language};
use crate::error::Warning;
use crate::layout::collect::{self, Para, Style};
use crate::layout::finalize::{Line, RunMark, finalize};
use crate::layout::fonts::{FaceId, Family, FontBook};
use crate::layout::hyphenate::Hyphenation;
use crate::layout::linebreak::{KnuthPlass, LineBreaker, line_start};
use crate::layout::prepare::{ParItem, prepare};
use crate::layout::shaping::Shaper;
use crate::layout::tag::Structure;
use crate::layout::{Frame, Item, Jump, Rect, TextRun};
use crate::theme::Theme;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Shared state of one layout run.
pub struct Context<'b, 'a> {
    pub(in crate::layout) shaper: Shaper<'b, 'a>,
    pub(in crate::layout) theme: &'a Theme,
    /// Width of the text block.
    pub(in crate::layout) measure: f32,
    pub(super) breaker: KnuthPlass,
    /// The article language's hyphenation patterns (none when the theme turns hyphenation
    /// off or the language has no patterns).
    pub(super) hyphenation: Option<Hyphenation>,
    /// The article's language is written right to left: paragraphs take a right-to-left
    /// base direction and their short lines align right.
    pub(super) rtl: bool,
    pub(super) missing: BTreeSet<char>,
    /// Where each missing character first showed: a stretch of its paragraph's text.
    pub(super) missing_in: Vec<String>,
    pub(super) warnings: Vec<Warning>,
    /// x positions of the quote bars currently open.
    pub(super) bars: Vec<f32>,
    /// List markers waiting for the next line: text, style, right edge x, and the label
    /// element it is tagged as. A nested list whose item starts its parent's item adds its
    /// marker beside the parent's.
    pub(super) markers: Vec<(String, Style, f32, usize)>,
    /// The logical structure being recorded.
    pub(in crate::layout) tags: Structure,
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

/// Where and how a paragraph is set.
#[derive(Debug, Clone, Copy)]
pub(super) struct ParShape {
    pub(super) left: f32,
    pub(super) right: f32,
    pub(super) justify: bool,
    pub(super) leading: f32,
    pub(super) keep: bool,
}

impl<'b, 'a> Context<'b, 'a> {
    /// A context for the theme, shaping, hyphenating and aligning in `lang`.
    pub fn new(fonts: &'b FontBook<'a>, theme: &'a Theme, lang: &Language) -> Self {
        let language = lang.tag();
        let (w, _) = theme.page.points();
        let mut warnings = Vec::new();
        let hyphenation = if theme.hyphenate {
            let h = Hyphenation::for_language(language);
            // Chinese, Japanese, Thai, Arabic, Hebrew … do not hyphenate: nothing is missing.
            if h.is_none() && lang.hyphenates() {
                warnings.push(Warning::new(format!(
                    "no hyphenation patterns for language ‘{language}’ (hypher's patterns for 48 languages are built in); the PDF is set without hyphenation"
                )));
            }
            h
        } else {
            None
        };
        let mut tags = Structure::new();
        tags.note_label = lang.labels_with(&theme.labels).notes.into_owned();
        Context {
            shaper: Shaper::new(fonts, language),
            theme,
            measure: (w - theme.margins.left - theme.margins.right).max(72.0),
            breaker: KnuthPlass,
            hyphenation,
            rtl: lang.is_rtl(),
            missing: BTreeSet::new(),
            missing_in: Vec::new(),
            warnings,
            bars: Vec::new(),
            markers: Vec::new(),
            tags,
        }
    }

    /// The warnings gathered (see [`Context::into_warnings`]) and the structure recorded.
    pub fn into_parts(mut self) -> (Vec<Warning>, Structure) {
        let tags = std::mem::take(&mut self.tags);
        (self.into_warnings(), tags)
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
            let places: Vec<String> = self
                .missing_in
                .iter()
                .take(3)
                .map(|t| format!("“{t}”"))
                .collect();
            out.push(Warning::new(format!(
                "no font at hand has {n} character{}: {} ({}), in {}; tried {}; the PDF shows an empty box for each (the text still copies out); add a font that has them to the theme's `fallback` list or install one",
                if n == 1 { "" } else { "s" },
                chars.join(" "),
                codes.join(" "),
                places.join(", "),
                self.shaper.book().tried(),
            )));
        }
        out.extend(self.warnings);
        out
    }

    /// Records where characters first found missing (when `missing` grew past `known`) show:
    /// the words around the first of them, so the warning points at the source's line.
    fn note_missing(&mut self, known: usize, text: &str) {
        if self.missing.len() == known {
            return;
        }
        let Some(at) = text.find(|c| self.missing.contains(&c)) else {
            return;
        };
        // Up to 30 characters either side, cut at word boundaries.
        let from = text[..at]
            .char_indices()
            .rev()
            .nth(29)
            .map_or(0, |(i, _)| text[i..at].find(' ').map_or(i, |s| i + s + 1));
        let to = text[at..]
            .char_indices()
            .nth(30)
            .map_or(text.len(), |(i, _)| {
                text[at..at + i].rfind(' ').map_or(at + i, |s| at + s)
            });
        let snippet = text[from..to].trim().to_owned();
        if !self.missing_in.contains(&snippet) {
            self.missing_in.push(snippet);
        }
    }

    pub(super) fn base(&self) -> f32 {
        self.theme.base_size
    }

    pub(super) fn body_style(&self) -> Style {
        Style::new(Family::Serif, self.base(), self.theme.colors.text)
    }

    pub(super) fn sans(&self, rel: f32) -> Style {
        Style::new(Family::Sans, self.base() * rel, self.theme.colors.text)
    }

    /// Adds an element, drawing the open quote bars beside it.
    pub(super) fn push(&self, out: &mut Vec<Flowed>, mut f: Flowed) {
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

    pub(super) fn space(&self, out: &mut Vec<Flowed>, h: f32) {
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
    pub(super) fn paragraph(
        &mut self,
        out: &mut Vec<Flowed>,
        para: &Para,
        shape: ParShape,
    ) -> usize {
        let width = (self.measure - shape.left - shape.right).max(36.0);
        // Justified text is hyphenated; display lines and captions are not.
        let hyph = self.hyphenation.filter(|_| shape.justify);
        let text = para.text.as_str();
        // The paragraph's own direction: an Arabic paragraph in an English brief is set right
        // to left (and aligned right), an English one in an Arabic brief left to right.
        let default = if self.rtl {
            Direction::Rtl
        } else {
            Direction::Ltr
        };
        let rtl = Direction::of_paragraph(text, default) == Direction::Rtl;
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
            let known = self.missing.len();
            let items = prepare(
                &self.shaper,
                part,
                width,
                hyph.as_ref(),
                rtl,
                &mut self.missing,
            );
            self.note_missing(known, &part.text);
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
                if rtl {
                    align_right(&mut line, width);
                }
                let hyphenated = line.hyphenated;
                let (mut frame, notes) = self.line_frame(line, para, shape.left, shape.leading);
                // List markers and note numbers go before the line's text: items are painted
                // in reading order, so copied text and pdftotext read "• item", not "item •".
                // Each is a piece of its label element; the line a piece of the open element,
                // followed by the notes it calls.
                let mut marker_items = Vec::new();
                let baseline = frame_baseline(&frame);
                for (text, style, right, label) in std::mem::take(&mut self.markers) {
                    let (runs, w) = self.text_runs(&text, style);
                    marker_items.push(self.tags.piece_of(label));
                    for mut run in runs {
                        run.origin.x += right - w;
                        run.origin.y += baseline;
                        marker_items.push(Item::Text(run));
                    }
                    marker_items.push(Item::End);
                }
                marker_items.append(&mut frame.items);
                frame.items = marker_items;
                for n in &notes {
                    self.tags.note(*n);
                }
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
    pub(super) fn line_frame(
        &mut self,
        line: Line,
        para: &Para,
        left: f32,
        leading: f32,
    ) -> (Frame, Vec<usize>) {
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
        let mut baseline = (leading - (asc + desc)) / 2.0 + asc;
        let mut height = leading;
        let (above, below) = self.fallback_overflow(&line.runs, size, baseline, leading);
        if above + below > 0.0 {
            // Grown by whole lines, so the lines after it stay on the body's baseline grid,
            // the ink centred in the room it was given.
            let extra = ((above + below) / leading).ceil() * leading;
            height += extra;
            baseline += above + (extra - above - below) / 2.0;
        }
        // The line is a piece of the open element; a link's words and a note call are pieces
        // of their own link element, which also holds the annotation.
        let mut items = Vec::with_capacity(line.runs.len() + 3 * line.links.len() + 2);
        let mut links: Vec<(RunMark, usize)> = Vec::new();
        let mut current: Option<RunMark> = None;
        let marks = line
            .run_marks
            .into_iter()
            .chain(std::iter::repeat(RunMark::Text));
        for (mut run, mark) in line.runs.into_iter().zip(marks) {
            if current != Some(mark) {
                if current.is_some() {
                    items.push(Item::End);
                }
                let begin = match mark {
                    RunMark::Text => self.tags.piece(),
                    mark => {
                        let link = self.link_elem(&mut links, mark, para);
                        self.tags.piece_of(link)
                    }
                };
                items.push(begin);
                current = Some(mark);
            }
            run.origin.x += left;
            run.origin.y += baseline;
            items.push(Item::Text(run));
        }
        if current.is_some() {
            items.push(Item::End);
        }
        // A note reference jumps to its note; the area is widened to a comfortable target
        // around the small superscript.
        for (x0, x1, s, n) in line.note_spans {
            let link = self.link_elem(&mut links, RunMark::Note(n), para);
            items.push(self.tags.annot_in(link));
            items.push(Item::Jump {
                rect: Rect {
                    x: left + x0 - 1.0,
                    y: baseline - s * 2.0,
                    w: (x1 - x0).max(0.0) + 2.0,
                    h: s * 2.4,
                },
                to: Jump::Note(n),
            });
            items.push(Item::End);
        }
        for (x0, x1, s, l) in line.links {
            if let Some(url) = para.links.get(l) {
                let link = self.link_elem(&mut links, RunMark::Link(l), para);
                items.push(self.tags.annot_in(link));
                items.push(Item::Link {
                    rect: Rect {
                        x: left + x0,
                        y: baseline - s * 0.9,
                        w: (x1 - x0).max(0.0),
                        h: s * 1.15,
                    },
                    url: url.clone(),
                });
                items.push(Item::End);
            }
        }
        (Frame { height, items }, line.notes)
    }

    /// How far the ink of a line's fallback faces (a script or symbol the theme's faces lack)
    /// reaches beyond the room a line of `leading` gives it with its baseline at `baseline`,
    /// above and below. The room is the line's own share of the leading plus what the body
    /// face leaves free in its neighbour's share (above its descenders, below its ascenders
    /// and accented capitals), since that is where the neighbour's ink never goes. The
    /// theme's faces are what the leading was chosen for and are not measured.
    fn fallback_overflow(
        &self,
        runs: &[TextRun],
        size: f32,
        baseline: f32,
        leading: f32,
    ) -> (f32, f32) {
        let book = self.shaper.book();
        let (mut top, mut bottom) = (0.0f32, 0.0f32);
        for run in runs.iter().filter(|r| !r.face.is_theme()) {
            let face = book.face(run.face);
            let scale = face.scale(run.size);
            for g in &run.glyphs {
                let (up, down) = face.ink(g.id);
                top = top.max(up * scale + g.rise - run.origin.y);
                bottom = bottom.max(down * scale - g.rise + run.origin.y);
            }
        }
        if top == 0.0 && bottom == 0.0 {
            return (0.0, 0.0);
        }
        let body = book.face(FaceId::of(Family::Serif, false, false));
        let ink = |text: &str, up: bool| {
            text.chars()
                .filter_map(|c| body.glyph(c))
                .map(|g| body.ink(g))
                .map(|(a, d)| if up { a } else { d })
                .fold(0.0f32, f32::max)
                * body.scale(size)
        };
        let (room_above, room_below) = (baseline, leading - baseline);
        let free_above = (room_above - ink("dÉÅ", true)).max(0.0);
        let free_below = (room_below - ink("gpÇ", false)).max(0.0);
        (
            (top - room_above - free_below).max(0.0),
            (bottom - room_below - free_above).max(0.0),
        )
    }

    /// The link element of a line's link or note call `mark`, made on first use (`links`
    /// holds those of the line so far): a link is described by its URL, a note call by the
    /// word for notes and the number.
    fn link_elem(
        &mut self,
        links: &mut Vec<(RunMark, usize)>,
        mark: RunMark,
        para: &Para,
    ) -> usize {
        if let Some((_, e)) = links.iter().find(|(m, _)| *m == mark) {
            return *e;
        }
        let alt = match mark {
            RunMark::Link(l) => para.links.get(l).cloned().unwrap_or_default(),
            RunMark::Note(n) => format!("{} {n}", self.tags.note_label),
            RunMark::Text => String::new(),
        };
        let e = self.tags.link(alt);
        links.push((mark, e));
        e
    }

    /// Shapes a short text on one line (markers, header, folio): its runs on a baseline at
    /// y = 0 starting at x = 0, and its width.
    pub(in crate::layout) fn text_runs(&mut self, text: &str, style: Style) -> (Vec<TextRun>, f32) {
        let para = collect::plain(text, style);
        let known = self.missing.len();
        let items = prepare(
            &self.shaper,
            &para,
            f32::INFINITY,
            None,
            self.rtl,
            &mut self.missing,
        );
        self.note_missing(known, text);
        let breaks = [crate::layout::linebreak::Break {
            end: items.len(),
            ratio: 0.0,
        }];
        let line = finalize(&items, &breaks, &source_text(&para))
            .pop()
            .unwrap_or_default();
        (line.runs, line.width)
    }

    pub(super) fn display(
        &mut self,
        out: &mut Vec<Flowed>,
        text: &str,
        style: Style,
        keep: bool,
    ) -> usize {
        self.plain_ragged(out, text, style, scale::DISPLAY_LEADING, keep)
    }

    pub(super) fn small(&mut self, out: &mut Vec<Flowed>, text: &str, style: Style, keep: bool) {
        self.plain_ragged(out, text, style, scale::SMALL_LEADING, keep);
    }

    /// Plain text in one style, ragged right at the full measure, on `leading` times its size.
    fn plain_ragged(
        &mut self,
        out: &mut Vec<Flowed>,
        text: &str,
        style: Style,
        leading: f32,
        keep: bool,
    ) -> usize {
        let para = collect::plain(text, style);
        self.paragraph(
            out,
            &para,
            ParShape {
                left: 0.0,
                right: 0.0,
                justify: false,
                leading: style.size * leading,
                keep,
            },
        )
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
pub(super) fn source_text(para: &Para) -> Arc<str> {
    let mut s = String::with_capacity(para.text.len() + 1);
    s.push_str(&para.text);
    s.push('-');
    Arc::from(s)
}

/// Moves a line's content to end at the right edge of `width` (a right-to-left paragraph's
/// short lines; a justified line already fills the width and does not move).
fn align_right(line: &mut Line, width: f32) {
    let dx = width - line.width;
    if dx > 0.0 {
        shift_line(line, dx);
    }
}

/// Moves a line's content `dx` points to the right: its runs, links and note references.
pub(super) fn shift_line(line: &mut Line, dx: f32) {
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
