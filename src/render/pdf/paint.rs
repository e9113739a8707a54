//! Paint: layout pages become printpdf operations. Nothing is measured or moved here; the only
//! arithmetic is flipping layout's top-down y into PDF's bottom-up y.
//!
//! Each piece of a run (glyphs on one baseline, split only where a `.notdef` span starts or
//! ends) is one `SetTextMatrix` (a `Tm` at the first glyph's absolute position, never the
//! relative `Td` that `SetTextCursor` writes) and one `ShowText`, whose kerning numbers move
//! each later glyph from where the reader's pen leaves it (the `/W` widths) to where layout put
//! it: word spaces are real space glyphs followed by the justification adjustment.
//!
//! One operation per glyph (a `Tm` and a one-glyph `ShowText` each, which printpdf merged back
//! into a `TJ`) cost 20 M of the sample's 108 M instructions in printpdf and lopdf (callgrind),
//! and every merged glyph carried a kerning number of f32 noise (`0.00028957022`) that made the
//! content streams twice as long as the glyphs need.

use super::fonts::{Embedded, NOTDEF};
use crate::layout::{FaceId, Item, Jump, Page};
use crate::theme::Rgb;
use printpdf::{
    Actions, BorderArray, Codepoint, Color, CurTransMat, Destination, DictItem, LinkAnnotation, Mm,
    Op, PaintMode, PdfFontHandle, PdfPage, Pt, TextItem, TextMatrix, XObjectId, XObjectTransform,
};
use std::collections::BTreeMap;

/// Kerning below this many thousandths of an em is not written: 0.1 is 0.0011 pt at 11 pt, far
/// below a device pixel, and what is left under it is f32 rounding between layout's positions
/// and the integer `/W` widths. The pen keeps the error, so it never adds up past this.
const KERN_EPSILON: f64 = 0.1;

/// Kerning numbers are written to hundredths of a thousandth of an em (0.0001 pt at 11 pt).
fn round_kern(k: f64) -> f64 {
    (k * 100.0).round() / 100.0
}

/// The glyphs of one piece (one baseline, one `ShowText`) with the kerning that puts each
/// where layout placed it, relative to the first glyph's origin.
fn kerned(glyphs: &[crate::layout::Glyph], size: f32, embedded: &Embedded) -> Vec<Codepoint> {
    let Some(first) = glyphs.first() else {
        return Vec::new();
    };
    let mut out: Vec<Codepoint> = Vec::with_capacity(glyphs.len());
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
        let (gid, text) = embedded.glyph(g.id);
        pen += embedded.advance(gid) as f64;
        out.push(Codepoint::with_cid(gid, 0.0, text));
    }
    out
}

fn color(c: Rgb) -> Color {
    let [r, g, b] = c.unit();
    Color::Rgb(printpdf::Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

/// `/Span <</ActualText (…)>> BDC`: the text a marked span copies out as, in UTF-16BE with its
/// byte-order mark (ISO 32000-1, 14.9.4 and 7.9.2.2). Close it with `EndMarkedContent`.
fn actual_text(text: &str) -> Op {
    let mut data = vec![0xFE, 0xFF];
    data.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    let mut map = BTreeMap::new();
    map.insert(
        "ActualText".to_owned(),
        DictItem::String {
            data,
            literal: false,
        },
    );
    Op::BeginMarkedContentWithProperties {
        tag: "Span".to_owned(),
        properties: DictItem::Dict { map },
    }
}

fn rect(x: f32, y_bottom: f32, w: f32, h: f32, mode: PaintMode) -> printpdf::Rect {
    printpdf::Rect {
        mode: Some(mode),
        ..printpdf::Rect::from_xywh(Pt(x), Pt(y_bottom), Pt(w), Pt(h))
    }
}

/// The operations of one page. `images` maps an item's index on the page to its XObject id.
pub fn page(
    page: &Page,
    fonts: &BTreeMap<FaceId, Embedded>,
    images: &BTreeMap<usize, XObjectId>,
) -> PdfPage {
    let h = page.height;
    let mut ops = Vec::new();
    let mut in_text = false;
    let mut font: Option<(FaceId, f32)> = None;
    let mut fill: Option<Rgb> = None;
    for (index, item) in page.items.iter().enumerate() {
        if in_text && !matches!(item, Item::Text(_)) {
            ops.push(Op::EndTextSection);
            in_text = false;
        }
        match item {
            Item::Text(run) => {
                let Some(embedded) = fonts.get(&run.face) else {
                    continue;
                };
                if !in_text {
                    ops.push(Op::StartTextSection);
                    in_text = true;
                    font = None;
                }
                if font != Some((run.face, run.size)) {
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(embedded.id.clone()),
                        size: Pt(run.size),
                    });
                    font = Some((run.face, run.size));
                }
                if fill != Some(run.color) {
                    ops.push(Op::SetFillColor {
                        col: color(run.color),
                    });
                    fill = Some(run.color);
                }
                // Pieces: a piece ends where .notdef starts or stops, or the rise changes.
                let mut rest = run.glyphs.as_slice();
                while let Some(first) = rest.first() {
                    let missing = first.id == NOTDEF;
                    let len = rest
                        .iter()
                        .take_while(|g| (g.id == NOTDEF) == missing && g.rise == first.rise)
                        .count();
                    let (piece, tail) = rest.split_at(len);
                    rest = tail;
                    // Characters no face has are all drawn as .notdef; a span with /ActualText
                    // around each run of them makes it copy out as its own characters.
                    if missing {
                        let actual: String = piece.iter().map(|g| run.glyph_text(g)).collect();
                        ops.push(actual_text(&actual));
                    }
                    ops.push(Op::SetTextMatrix {
                        matrix: TextMatrix::Translate(
                            Pt(run.origin.x + first.x),
                            Pt(h - run.origin.y + first.rise),
                        ),
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::GlyphIds(kerned(piece, run.size, embedded))],
                    });
                    if missing {
                        ops.push(Op::EndMarkedContent);
                    }
                }
            }
            Item::Fill { rect: r, color: c } => {
                ops.push(Op::SaveGraphicsState);
                ops.push(Op::SetFillColor { col: color(*c) });
                ops.push(Op::DrawRectangle {
                    rectangle: rect(r.x, h - r.y - r.h, r.w, r.h, PaintMode::Fill),
                });
                ops.push(Op::RestoreGraphicsState);
                fill = None;
            }
            Item::Stroke {
                rect: r,
                color: c,
                width,
            } => {
                ops.push(Op::SaveGraphicsState);
                ops.push(Op::SetOutlineColor { col: color(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::DrawRectangle {
                    rectangle: rect(r.x, h - r.y - r.h, r.w, r.h, PaintMode::Stroke),
                });
                ops.push(Op::RestoreGraphicsState);
            }
            Item::Image { rect: r, .. } => {
                let Some(id) = images.get(&index) else {
                    continue;
                };
                ops.push(Op::SaveGraphicsState);
                ops.push(Op::SetTransformationMatrix {
                    matrix: CurTransMat::Raw([r.w, 0.0, 0.0, r.h, r.x, h - r.y - r.h]),
                });
                ops.push(Op::UseXobject {
                    id: id.clone(),
                    transform: XObjectTransform {
                        no_auto_scale: true,
                        ..XObjectTransform::default()
                    },
                });
                ops.push(Op::RestoreGraphicsState);
            }
            Item::Jump {
                rect: r,
                to: Jump::Page { page, y },
            } => {
                ops.push(Op::LinkAnnotation {
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
            }
            // Unresolved jumps were dropped by pagination.
            Item::Jump { .. } => {}
            Item::Link { rect: r, url } => {
                ops.push(Op::LinkAnnotation {
                    link: LinkAnnotation::new(
                        printpdf::Rect::from_xywh(Pt(r.x), Pt(h - r.y - r.h), Pt(r.w), Pt(r.h)),
                        Actions::Uri(url.clone()),
                        // No visible border box around linked text.
                        Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                        None,
                        None,
                    ),
                });
            }
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    let mut p = PdfPage::new(Mm(0.0), Mm(0.0), ops);
    let size = printpdf::Rect::from_wh(Pt(page.width), Pt(h));
    p.media_box = size.clone();
    p.trim_box = size.clone();
    p.crop_box = size;
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Glyph;

    /// Where a PDF reader draws each glyph of a piece, in points from its first glyph.
    fn drawn(codes: &[Codepoint], face: &Embedded, size: f32) -> Vec<f64> {
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
