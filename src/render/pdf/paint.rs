//! Paint: layout pages become each page's content stream, written here byte by byte, and the
//! link annotations printpdf files with the page. Nothing is measured or moved here; the only
//! arithmetic is flipping layout's top-down y into PDF's bottom-up y and the kerning below.
//!
//! Each piece of a run (glyphs on one baseline, split only where a `.notdef` span starts or
//! ends) is one `Tm` at the first glyph's absolute position and one `TJ`, whose kerning numbers
//! move each later glyph from where the reader's pen leaves it (the `/W` widths) to where
//! layout put it: word spaces are real space glyphs followed by the justification adjustment.
//!
//! Why not printpdf's operations: one `Tm` and a one-glyph `ShowText` per glyph, which printpdf
//! merged back into `TJ` arrays, cost 20 M of the sample's 108 M instructions (callgrind) and
//! wrote an f32-noise kerning number after almost every glyph; one operation per piece still
//! cost 10 M in printpdf and lopdf, most of it building `Operation` values and formatting
//! floats. printpdf still writes everything else (fonts, images, pages, annotations); it
//! learns which glyphs each face uses from [`glyph_inventory`], operations on the first page
//! whose content [`replace_contents`] overwrites with the stream written here, as every page's.

use super::fonts::{Embedded, NOTDEF};
use crate::article::link::{self, Target};
use crate::error::{Error, Result};
use crate::layout::tag::{Furniture, Mark, Structure};
use crate::layout::{FaceId, Glyph, Item, Jump, OutlineEntry, Page, TextRun};
use crate::theme::Rgb;
use printpdf::{
    Actions, BorderArray, Codepoint, Destination, LinkAnnotation, Mm, Op, PdfFontHandle, PdfPage,
    Pt, TextItem, XObjectId,
};
use std::collections::BTreeMap;

/// Where each heading's anchor lands: its unique slug (numbered on repeats as
/// [`link::Links`] numbers them), page index and y from the page's top.
pub struct Anchors(Vec<(String, usize, f32)>);

impl Anchors {
    /// The anchors of the outline's headings, in document order.
    pub fn new(outline: &[OutlineEntry]) -> Anchors {
        let mut out: Vec<(String, usize, f32)> = Vec::with_capacity(outline.len());
        for e in outline {
            let base = link::slug(&e.title);
            let mut unique = base.clone();
            let mut k = 0;
            while out.iter().any(|(s, _, _)| *s == unique) {
                k += 1;
                unique = format!("{base}-{k}");
            }
            out.push((unique, e.page, e.y));
        }
        Anchors(out)
    }

    fn find(&self, slug: &str) -> Option<(usize, f32)> {
        self.0
            .iter()
            .find(|(s, _, _)| s == slug)
            .map(|(_, page, y)| (*page, *y))
    }
}

/// A page for printpdf (size and link annotations) and its content stream.
pub struct Painted {
    /// What printpdf writes: the boxes and the annotations.
    pub page: PdfPage,
    /// The page's content stream.
    pub content: Vec<u8>,
    /// Each content piece painted and the MCID of the sequence it is in (the lines of a
    /// paragraph on one page share one), in painting order.
    pub pieces: Vec<(u32, u32)>,
    /// The structure's annotation each of the page's annotations is, in their order.
    pub annots: Vec<u32>,
}

/// Where the content stream is in its marked-content sequences: every glyph and path is
/// drawn inside exactly one, a piece of the structure (`/P <</MCID n>> BDC`) or an artifact.
/// Drawing outside any piece opens a plain `/Artifact` sequence, which lasts until the next
/// mark; text objects never straddle a sequence's ends.
#[derive(Default)]
struct Marking {
    /// A sequence is open (a piece, an artifact of a kind, or a plain artifact).
    open: bool,
    /// The open sequence is the plain artifact opened for unmarked drawing.
    plain: bool,
    /// The annotation the next annotation item is.
    annot: Option<u32>,
    /// The content piece open.
    piece: Option<u32>,
    /// The content piece just ended, whose `EMC` is not written yet.
    pending: Option<u32>,
}

/// The artifact properties of furniture of `kind`.
fn artifact_properties(kind: Furniture) -> &'static [u8] {
    match kind {
        Furniture::Header => b"/Artifact <</Type /Pagination /Subtype /Header>> BDC\n",
        Furniture::Footer => b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n",
        Furniture::Repeated => b"/Artifact <</Type /Pagination>> BDC\n",
    }
}

/// Appends a number as PDF content wants it: no exponent, at most four decimals (0.0001 pt, or
/// 0.0001 of a colour component), trailing zeros dropped, never `-0`.
fn num(out: &mut Vec<u8>, x: f32) {
    let scaled = (f64::from(x) * 10_000.0).round();
    // Beyond ±10¹⁴ (never a page coordinate) or NaN: 0 keeps the stream valid.
    let scaled = if scaled.is_finite() && scaled.abs() < 1e18 {
        scaled as i64
    } else {
        0
    };
    if scaled < 0 {
        out.push(b'-');
    }
    let a = scaled.unsigned_abs();
    out.extend_from_slice((a / 10_000).to_string().as_bytes());
    let mut frac = a % 10_000;
    if frac != 0 {
        out.push(b'.');
        let mut digits = 4;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        out.extend_from_slice(format!("{frac:0digits$}").as_bytes());
    }
}

/// Appends numbers separated by spaces, then ` op` and a newline.
fn op(out: &mut Vec<u8>, numbers: &[f32], operator: &str) {
    for (i, n) in numbers.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        num(out, *n);
    }
    if !numbers.is_empty() {
        out.push(b' ');
    }
    out.extend_from_slice(operator.as_bytes());
    out.push(b'\n');
}

/// Appends bytes as a PDF hexadecimal string.
fn hex(out: &mut Vec<u8>, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.push(b'<');
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 15)]);
    }
    out.push(b'>');
}

/// `/Span <</ActualText <FEFF…>>> BDC`: the text a marked span copies out as, in UTF-16BE with
/// its byte-order mark (ISO 32000-1, 14.9.4 and 7.9.2.2). Closed by `EMC`.
fn actual_text(out: &mut Vec<u8>, text: &str) {
    let mut data = vec![0xFE, 0xFF];
    data.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    out.extend_from_slice(b"/Span <</ActualText ");
    hex(out, &data);
    out.extend_from_slice(b">> BDC\n");
}

/// Whether `piece` holds a word space and every word in it is one glyph cluster ("b c",
/// "1 2 3", "_ _ a"). Text extractors (poppler's pdftotext, pdf.js) skip space glyphs and find
/// words by the gaps between glyphs; on a line where every gap is alike they take the gaps for
/// letter spacing and glue the words ("bc"). Such a piece is spanned with /ActualText holding
/// its spaces, so it copies out as written; ordinary text, whose gaps inside words are closer
/// than those between them, needs no span.
fn single_glyph_words(run: &TextRun, piece: &[Glyph]) -> bool {
    let mut spaces = 0;
    let mut clusters_in_word = 0;
    for g in piece {
        let text = run.glyph_text(g);
        if g.len == 0 {
            continue;
        }
        if text.chars().all(char::is_whitespace) {
            spaces += 1;
            clusters_in_word = 0;
        } else {
            clusters_in_word += 1;
            if clusters_in_word > 1 {
                return false;
            }
        }
    }
    spaces > 0
}

/// Which glyphs of a run belong to a tie: a no-break space (Polish and Czech ties,
/// `article::ties`) and the word before it. Fonts draw U+00A0 with the space's glyph, whose
/// ToUnicode entry says U+0020, so a tie is a piece of its own spanned with /ActualText
/// ("w\u{A0}") to copy out as written; extractors take a span of a space alone for a space.
fn tied_glyphs(run: &TextRun) -> Vec<bool> {
    let mut out = vec![false; run.glyphs.len()];
    let mut tied = false;
    for (i, g) in run.glyphs.iter().enumerate().rev() {
        let text = run.glyph_text(g);
        if g.len > 0 && text == "\u{A0}" {
            tied = true;
        } else if g.len > 0 && text.chars().all(char::is_whitespace) {
            tied = false;
        }
        out[i] = tied;
    }
    out
}

/// Whether a piece has a cluster drawn with several glyphs or out of order (Indic and Thai
/// vowel signs and marks, reordered or decomposed by the shaper): no glyph-by-glyph ToUnicode map can give
/// such a cluster's text back in order, so the piece carries it as /ActualText.
fn complex_clusters(piece: &[Glyph]) -> bool {
    let starts: Vec<u32> = piece
        .iter()
        .filter(|g| g.len > 0)
        .map(|g| g.start)
        .collect();
    // A cluster drawn out of its run's order (a Devanagari reph after its consonant).
    let ordered = starts.is_sorted() || starts.iter().rev().is_sorted();
    piece.iter().any(|g| g.len == 0) || !ordered
}

/// The text of a piece's clusters in logical order: each cluster's text once, by where it
/// starts in the source (a line-end hyphen, whose text follows the paragraph's, comes last).
fn cluster_text(run: &TextRun, piece: &[Glyph]) -> String {
    let mut clusters: Vec<&Glyph> = piece.iter().filter(|g| g.len > 0).collect();
    clusters.sort_by_key(|g| g.start);
    clusters.iter().map(|g| run.glyph_text(g)).collect()
}

/// The source text `piece` stands for, in logical order (the glyphs are in visual order, so a
/// right-to-left piece reads backwards glyph by glyph).
fn logical_text<'r>(run: &'r TextRun, piece: &[Glyph]) -> &'r str {
    let start = piece.iter().map(|g| g.start).min().unwrap_or(0) as usize;
    let end = piece.iter().map(|g| g.start + g.len).max().unwrap_or(0) as usize;
    run.text.get(start..end).unwrap_or_default()
}

/// Kerning below this many thousandths of an em is not written: 0.1 is 0.0011 pt at 11 pt, far
/// below a device pixel, and what is left under it is f32 rounding between layout's positions
/// and the integer `/W` widths. The pen keeps the error, so it never adds up past this.
const KERN_EPSILON: f64 = 0.1;

/// Kerning numbers are written to hundredths of a thousandth of an em (0.0001 pt at 11 pt).
fn round_kern(k: f64) -> f64 {
    (k * 100.0).round() / 100.0
}

/// One glyph of a `TJ`: its subset id and the kerning number written after it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Shown {
    gid: u16,
    /// Thousandths of an em; a TJ number n moves the pen by -n/1000 em.
    offset: f32,
}

/// The glyphs of one piece (one baseline, one `TJ`) with the kerning that puts each where
/// layout placed it, relative to the first glyph's origin.
fn kerned(glyphs: &[crate::layout::Glyph], size: f32, embedded: &Embedded) -> Vec<Shown> {
    let Some(first) = glyphs.first() else {
        return Vec::new();
    };
    let mut out: Vec<Shown> = Vec::with_capacity(glyphs.len());
    // Where the reader's pen is, in thousandths of an em from the first glyph's origin.
    let mut pen = 0.0f64;
    for g in glyphs {
        let want = f64::from(g.x - first.x) * 1000.0 / f64::from(size);
        // A TJ number n moves the pen by -n/1000 em.
        let kern = round_kern(pen - want);
        if let Some(last) = out.last_mut()
            && kern.abs() >= KERN_EPSILON
        {
            last.offset = kern as f32;
            pen -= kern;
        }
        let gid = embedded.new_id(g.id);
        pen += embedded.advance(gid) as f64;
        out.push(Shown { gid, offset: 0.0 });
    }
    out
}

/// Appends a piece as `[<gid> kern <gid> …] TJ`.
fn show(out: &mut Vec<u8>, glyphs: &[Shown]) {
    out.push(b'[');
    for g in glyphs {
        hex(out, &g.gid.to_be_bytes());
        if g.offset != 0.0 {
            out.push(b' ');
            num(out, g.offset);
        }
    }
    out.extend_from_slice(b"] TJ\n");
}

/// Operations for the first page that tell printpdf every glyph each face shows and the text it
/// copies out as (its `/W` widths and ToUnicode map are built from `ShowText` operations). The
/// content printpdf writes for them is replaced by [`replace_contents`].
pub fn glyph_inventory(fonts: &BTreeMap<FaceId, Embedded>) -> Vec<Op> {
    let mut ops = vec![Op::StartTextSection];
    for embedded in fonts.values() {
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(embedded.id.clone()),
            size: Pt(1.0),
        });
        let glyphs = embedded
            .glyph_texts()
            .map(|(gid, text)| Codepoint::with_cid(gid, 0.0, text.to_owned()))
            .collect();
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(glyphs)],
        });
    }
    ops.push(Op::EndTextSection);
    ops
}

/// Puts each page's content stream (in page order) into printpdf's document in place of what
/// printpdf wrote.
pub fn replace_contents(doc: &mut lopdf::Document, contents: Vec<Vec<u8>>) -> Result<()> {
    let pages: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
    if pages.len() != contents.len() {
        return Err(Error::render(
            "pdf",
            format!(
                "printpdf wrote {} pages for {} painted",
                pages.len(),
                contents.len()
            ),
        ));
    }
    for (n, (page, content)) in pages.into_iter().zip(contents).enumerate() {
        let missing = || Error::render("pdf", format!("page {} has no content stream", n + 1));
        let stream_id = doc
            .get_dictionary(page)
            .and_then(|d| d.get(b"Contents"))
            .and_then(lopdf::Object::as_reference)
            .map_err(|_| missing())?;
        let stream = doc
            .get_object_mut(stream_id)
            .and_then(lopdf::Object::as_stream_mut)
            .map_err(|_| missing())?;
        stream.set_plain_content(content);
    }
    Ok(())
}

/// Appends an RGB colour for `rg` (fill) or `RG` (stroke).
fn color(out: &mut Vec<u8>, c: Rgb, operator: &str) {
    op(out, &c.unit(), operator);
}

/// The content stream and the annotations of one page. `images` maps an item's index on the
/// page to its XObject id.
pub fn page(
    page: &Page,
    fonts: &BTreeMap<FaceId, Embedded>,
    images: &BTreeMap<usize, XObjectId>,
    anchors: &Anchors,
    tags: &Structure,
    previous: &[u32],
) -> Painted {
    let h = page.height;
    let mut out: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut annotations = Vec::new();
    let mut in_text = false;
    let mut font: Option<(FaceId, f32)> = None;
    let mut fill: Option<Rgb> = None;
    let mut marking = Marking::default();
    let mut pieces: Vec<(u32, u32)> = Vec::new();
    let mut next_mcid = 0u32;
    let mut annots: Vec<u32> = Vec::new();
    for (index, item) in page.items.iter().enumerate() {
        let marks = matches!(item, Item::Begin(_) | Item::End);
        if in_text && (marks || !matches!(item, Item::Text(_))) {
            out.extend_from_slice(b"ET\n");
            in_text = false;
        }
        // A piece that directly follows the one just ended in the same element (the next line
        // of a paragraph) continues its sequence; anything else ends it.
        if let Some(prev) = marking.pending.take() {
            match item {
                Item::Begin(Mark::Content(n)) if previous.get(*n as usize) == Some(&prev) => {
                    pieces.push((*n, next_mcid - 1));
                    marking.piece = Some(*n);
                    continue;
                }
                _ => {
                    out.extend_from_slice(b"EMC\n");
                    marking.open = false;
                }
            }
        }
        let draws = matches!(
            item,
            Item::Text(_) | Item::Fill { .. } | Item::Stroke { .. } | Item::Image { .. }
        );
        if (marks && marking.plain) || (draws && !marking.open) {
            if marking.plain {
                out.extend_from_slice(b"EMC\n");
                marking.open = false;
                marking.plain = false;
            } else {
                out.extend_from_slice(b"/Artifact BMC\n");
                marking.open = true;
                marking.plain = true;
            }
        }
        match item {
            Item::Begin(Mark::Annot(n)) => marking.annot = Some(*n),
            Item::Begin(mark) => {
                if marking.open {
                    // A piece never opens inside another: close what is open.
                    out.extend_from_slice(b"EMC\n");
                }
                match *mark {
                    Mark::Content(n) => {
                        let role = tags
                            .owner
                            .get(n as usize)
                            .and_then(|e| tags.elems.get(*e))
                            .map_or("Span", |e| e.role.name());
                        out.push(b'/');
                        out.extend_from_slice(role.as_bytes());
                        out.extend_from_slice(b" <</MCID ");
                        out.extend_from_slice(next_mcid.to_string().as_bytes());
                        out.extend_from_slice(b">> BDC\n");
                        pieces.push((n, next_mcid));
                        next_mcid += 1;
                        marking.piece = Some(n);
                    }
                    Mark::Artifact(kind) => {
                        out.extend_from_slice(artifact_properties(kind));
                        marking.piece = None;
                    }
                    Mark::Annot(_) => {}
                }
                marking.open = true;
            }
            Item::End => {
                if marking.annot.take().is_none() && marking.open {
                    match marking.piece.take() {
                        // Its EMC waits: the next item may continue the sequence.
                        Some(n) => marking.pending = Some(n),
                        None => {
                            out.extend_from_slice(b"EMC\n");
                            marking.open = false;
                        }
                    }
                }
            }
            Item::Text(run) => {
                let Some(embedded) = fonts.get(&run.face) else {
                    continue;
                };
                if !in_text {
                    out.extend_from_slice(b"BT\n");
                    in_text = true;
                    font = None;
                }
                if font != Some((run.face, run.size)) {
                    out.push(b'/');
                    out.extend_from_slice(embedded.id.0.as_bytes());
                    out.push(b' ');
                    op(&mut out, &[run.size], "Tf");
                    font = Some((run.face, run.size));
                }
                if fill != Some(run.color) {
                    color(&mut out, run.color, "rg");
                    fill = Some(run.color);
                }
                // A run with clusters of several glyphs or out of order (Indic, Thai) copies
                // out as one /ActualText: its pieces (split where a mark is raised) cannot.
                let whole =
                    complex_clusters(&run.glyphs) && !run.glyphs.iter().any(|g| g.id == NOTDEF);
                if whole {
                    actual_text(&mut out, &cluster_text(run, &run.glyphs));
                }
                // Pieces: a piece ends where .notdef starts or stops, where a no-break space
                // starts or stops, or where the rise changes.
                let ties = tied_glyphs(run);
                let mut rest = run.glyphs.as_slice();
                let mut at = 0;
                while let Some(first) = rest.first() {
                    let missing = first.id == NOTDEF;
                    let tie = ties[at];
                    let len = rest
                        .iter()
                        .zip(&ties[at..])
                        .take_while(|(g, t)| {
                            (g.id == NOTDEF) == missing && **t == tie && g.rise == first.rise
                        })
                        .count();
                    at += len;
                    let (piece, tail) = rest.split_at(len);
                    rest = tail;
                    // Characters no face has are all drawn as .notdef; a span with /ActualText
                    // around each run of them makes it copy out as its own characters.
                    let complex = !whole && complex_clusters(piece);
                    let spanned =
                        !whole && (missing || complex || tie || single_glyph_words(run, piece));
                    if missing {
                        let actual: String = piece.iter().map(|g| run.glyph_text(g)).collect();
                        actual_text(&mut out, &actual);
                    } else if complex {
                        actual_text(&mut out, &cluster_text(run, piece));
                    } else if spanned {
                        actual_text(&mut out, logical_text(run, piece));
                    }
                    op(
                        &mut out,
                        &[
                            1.0,
                            0.0,
                            0.0,
                            1.0,
                            run.origin.x + first.x,
                            h - run.origin.y + first.rise,
                        ],
                        "Tm",
                    );
                    show(&mut out, &kerned(piece, run.size, embedded));
                    if spanned {
                        out.extend_from_slice(b"EMC\n");
                    }
                }
                if whole {
                    out.extend_from_slice(b"EMC\n");
                }
            }
            Item::Fill { rect: r, color: c } => {
                out.extend_from_slice(b"q\n");
                color(&mut out, *c, "rg");
                op(&mut out, &[r.x, h - r.y - r.h, r.w, r.h], "re");
                out.extend_from_slice(b"f\nQ\n");
                fill = None;
            }
            Item::Stroke {
                rect: r,
                color: c,
                width,
            } => {
                out.extend_from_slice(b"q\n");
                color(&mut out, *c, "RG");
                op(&mut out, &[*width], "w");
                op(&mut out, &[r.x, h - r.y - r.h, r.w, r.h], "re");
                out.extend_from_slice(b"S\nQ\n");
            }
            Item::Image { rect: r, .. } => {
                let Some(id) = images.get(&index) else {
                    continue;
                };
                out.extend_from_slice(b"q\n");
                op(&mut out, &[r.w, 0.0, 0.0, r.h, r.x, h - r.y - r.h], "cm");
                out.push(b'/');
                out.extend_from_slice(id.0.as_bytes());
                out.extend_from_slice(b" Do\nQ\n");
            }
            Item::Jump {
                rect: r,
                to: Jump::Page { page, y },
            } => {
                annotations.push(Op::LinkAnnotation {
                    link: LinkAnnotation::new(
                        printpdf::Rect::from_xywh(Pt(r.x), Pt(h - r.y - r.h), Pt(r.w), Pt(r.h)),
                        // printpdf numbers pages from 1; the view's top a little above the
                        // target line.
                        Actions::Goto(Destination::Xyz {
                            page: page + 1,
                            left: None,
                            top: Some(h - y + 4.0),
                            zoom: None,
                        }),
                        Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                        None,
                        None,
                    ),
                });
                annots.push(marking.annot.unwrap_or(u32::MAX));
            }
            // Unresolved jumps were dropped by pagination.
            Item::Jump { .. } => {}
            Item::Link { rect: r, url } => {
                // The one link policy (`article::link`): a web or mail address is a `/URI`
                // action, an anchor a jump to its heading, anything else stays text (the
                // reader warned when it unwrapped such a link).
                let action = match link::classify(url) {
                    Target::Web(href) => Actions::Uri(href),
                    Target::Anchor(slug) => match anchors.find(&slug) {
                        Some((page, y)) => Actions::Goto(Destination::Xyz {
                            page: page + 1,
                            left: None,
                            top: Some(h - y + 4.0),
                            zoom: None,
                        }),
                        None => continue,
                    },
                    Target::Text => continue,
                };
                annotations.push(Op::LinkAnnotation {
                    link: LinkAnnotation::new(
                        printpdf::Rect::from_xywh(Pt(r.x), Pt(h - r.y - r.h), Pt(r.w), Pt(r.h)),
                        action,
                        // No visible border box around linked text.
                        Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                        None,
                        None,
                    ),
                });
                annots.push(marking.annot.unwrap_or(u32::MAX));
            }
        }
    }
    if in_text {
        out.extend_from_slice(b"ET\n");
    }
    if marking.open || marking.pending.is_some() {
        out.extend_from_slice(b"EMC\n");
    }
    let mut p = PdfPage::new(Mm(0.0), Mm(0.0), annotations);
    let size = printpdf::Rect::from_wh(Pt(page.width), Pt(h));
    p.media_box = size.clone();
    p.trim_box = size.clone();
    p.crop_box = size;
    Painted {
        page: p,
        content: out,
        pieces,
        annots,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Glyph;

    /// Where a PDF reader draws each glyph of a piece, in points from its first glyph.
    fn drawn(codes: &[Shown], face: &Embedded, size: f32) -> Vec<f64> {
        let mut pen = 0.0;
        let mut at = Vec::new();
        for c in codes {
            at.push(pen * f64::from(size) / 1000.0);
            pen += (face.advance(c.gid) as f64) - f64::from(c.offset);
        }
        at
    }

    fn glyph(id: u16, x: f32) -> Glyph {
        Glyph {
            id,
            x,
            rise: 0.0,
            start: 0,
            len: 0,
        }
    }

    #[test]
    fn kerning_puts_each_glyph_where_layout_did_and_drops_rounding_noise() {
        // Glyph 0 advances 500/1000 em, glyph 1 (a space) 250; 10 pt type.
        let face = Embedded::for_test(&[500, 250]);
        let size = 10.0;
        // "a a a" set naturally, but with f32 noise of a few millionths of a point, and the
        // second space stretched by 1.5 pt for justification.
        let mut glyphs = Vec::new();
        let mut x = 0.0f32;
        for (k, id) in [0u16, 1, 0, 1, 0].into_iter().enumerate() {
            glyphs.push(glyph(id, x + 0.000_003 * k as f32));
            x += if id == 0 { 5.0 } else { 2.5 };
            if k == 3 {
                x += 1.5;
            }
        }
        let codes = kerned(&glyphs, size, &face);
        let kerns: Vec<f32> = codes
            .iter()
            .map(|c| c.offset)
            .filter(|o| *o != 0.0)
            .collect();
        assert_eq!(kerns, vec![-150.0], "only the justification is written");
        for (at, g) in drawn(&codes, &face, size).iter().zip(&glyphs) {
            assert!((at - f64::from(g.x)).abs() < 0.001, "{at} vs {}", g.x);
        }
    }

    #[test]
    fn numbers_are_plain_decimals() {
        let written = |x: f32| {
            let mut out = Vec::new();
            num(&mut out, x);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(written(0.0), "0");
        assert_eq!(written(85.03937), "85.0394");
        assert_eq!(written(-150.0), "-150");
        assert_eq!(written(0.5), "0.5");
        assert_eq!(written(0.101960786), "0.102");
        assert_eq!(written(-0.00001), "0", "never -0");
        assert_eq!(written(0.0001), "0.0001");
        assert_eq!(written(1e30), "0");
        assert_eq!(written(f32::NAN), "0");
        let mut out = Vec::new();
        show(
            &mut out,
            &[
                Shown {
                    gid: 0x12,
                    offset: 0.0,
                },
                Shown {
                    gid: 0xAB01,
                    offset: -11.23,
                },
                Shown {
                    gid: 3,
                    offset: 0.0,
                },
            ],
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[<0012><AB01> -11.23<0003>] TJ\n"
        );
    }

    #[test]
    fn noise_never_adds_up_past_the_epsilon() {
        // 400 glyphs each placed 0.00004 pt further than the widths say: 0.016 pt in all, which
        // the pen must catch up with as it goes.
        let face = Embedded::for_test(&[500]);
        let size = 11.0;
        let glyphs: Vec<Glyph> = (0..400)
            .map(|k| glyph(0, k as f32 * (5.5 + 0.000_04)))
            .collect();
        let codes = kerned(&glyphs, size, &face);
        assert!(
            codes.iter().any(|c| c.offset != 0.0),
            "the drift is corrected"
        );
        let limit = KERN_EPSILON * f64::from(size) / 1000.0 + 1e-4;
        for (at, g) in drawn(&codes, &face, size).iter().zip(&glyphs) {
            assert!((at - f64::from(g.x)).abs() <= limit, "{at} vs {}", g.x);
        }
    }
}
