//! Paint: layout pages become printpdf operations. Nothing is measured or moved here; the only
//! arithmetic is flipping layout's top-down y into PDF's bottom-up y.
//!
//! Each glyph is shown at its absolute position with `SetTextMatrix` (a `Tm`, never the
//! relative `Td` that `SetTextCursor` writes); printpdf merges consecutive glyphs on one
//! baseline into a single `TJ` whose kerning numbers reproduce those positions exactly, so word
//! spaces are real space glyphs followed by the justification adjustment.

use super::fonts::{Embedded, NOTDEF};
use crate::layout::{FaceId, Item, Jump, Page};
use crate::theme::Rgb;
use printpdf::{
    Actions, BorderArray, Codepoint, Color, CurTransMat, Destination, DictItem, LinkAnnotation, Mm,
    Op, PaintMode, PdfFontHandle, PdfPage, Pt, TextItem, TextMatrix, XObjectId, XObjectTransform,
};
use std::collections::BTreeMap;

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
                let missing = |i: usize| run.glyphs.get(i).is_some_and(|g| g.id == NOTDEF);
                for (i, g) in run.glyphs.iter().enumerate() {
                    let (gid, text) = embedded.glyph(g.id);
                    // Characters no face has are all drawn as .notdef; a span with /ActualText
                    // around each run of them makes it copy out as its own characters.
                    if missing(i) && (i == 0 || !missing(i - 1)) {
                        let actual: String = run.glyphs[i..]
                            .iter()
                            .take_while(|g| g.id == NOTDEF)
                            .map(|g| run.glyph_text(g))
                            .collect();
                        ops.push(actual_text(&actual));
                    }
                    ops.push(Op::SetTextMatrix {
                        matrix: TextMatrix::Translate(
                            Pt(run.origin.x + g.x),
                            Pt(h - run.origin.y + g.rise),
                        ),
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::GlyphIds(vec![Codepoint::with_cid(
                            gid, 0.0, text,
                        )])],
                    });
                    if missing(i) && !missing(i + 1) {
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
