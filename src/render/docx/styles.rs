//! The theme as named Word styles: every font, size, colour and spacing of the DOCX lives here,
//! so an editor restyles the whole document by changing one style.
//!
//! Style ids and names are Word's own built-in ones (`Heading1` / "heading 1", `Caption` /
//! "caption", `ListParagraph` / "List Paragraph" …), so Word and LibreOffice recognise them as
//! the built-in styles, their navigation pane and table of contents work, and a template's
//! styles replace ours in one click. Only Byline, Summary, Credit, Figure and Rule are ours,
//! each based on a built-in style; "List Continue 6" to "9" extend Word's five built-in ones to
//! the nine list levels.

use crate::theme::Theme;
use docx_rs::{
    AlignmentType, BorderType, LineSpacing, LineSpacingType, ParagraphBorder,
    ParagraphBorderPosition, ParagraphBorders, RunFonts, Style, StyleType, Styles, Tab,
    TabValueType, VertAlignType,
};

/// Word's id of the body style ("Body Text").
pub const BODY: &str = "BodyText";
/// Our masthead style (the publisher's name over a rule, as the PDF's first page opens).
pub const MASTHEAD: &str = "Masthead";
/// Word's id of the title style.
pub const TITLE: &str = "Title";
/// Word's id of the subtitle style (the dek).
pub const SUBTITLE: &str = "Subtitle";
/// Our byline style (authors and affiliations), based on Normal.
pub const BYLINE: &str = "Byline";
/// Word's built-in "Date" style.
pub const DATE: &str = "Date";
/// Our summary (lead box) style, based on Body Text.
pub const SUMMARY: &str = "Summary";
/// Word's ids of the heading styles, level 1 to 3.
pub const HEADINGS: [&str; 3] = ["Heading1", "Heading2", "Heading3"];
/// Word's id of heading level 4: a pack's deepest (a brief's level 3 under its title).
pub const HEADING4: &str = "Heading4";
/// Word's id of the contents heading style ("TOC Heading"): not part of the outline.
pub const TOC_HEADING: &str = "TOCHeading";
/// Word's id of a first-level contents entry ("toc 1").
pub const TOC1: &str = "TOC1";
/// Our style of the paragraph that holds a picture, based on Normal.
pub const FIGURE: &str = "Figure";
/// Word's id of the caption style.
pub const CAPTION: &str = "Caption";
/// Our credit style, based on Caption.
pub const CREDIT: &str = "Credit";
/// Our table style (booktabs rules; written by the finishing step, which can express a
/// table style's header-row formatting).
pub const TABLE: &str = "BriefTable";
/// Our style of the text in a table's body cells, based on Normal.
pub const TABLE_TEXT: &str = "TableText";
/// Our style of the text in a table's header cells, based on Table Text.
pub const TABLE_HEADING: &str = "TableHeading";
/// Word's id of the quote style.
pub const QUOTE: &str = "Quote";
/// Word's id of the list paragraph style.
pub const LIST: &str = "ListParagraph";
/// Word's ids of the "List Continue" styles: a later paragraph of a list item, aligned with
/// the item's text, one per list level (Word has the first five built in).
pub const LIST_CONTINUE: [&str; 9] = [
    "ListContinue",
    "ListContinue2",
    "ListContinue3",
    "ListContinue4",
    "ListContinue5",
    "ListContinue6",
    "ListContinue7",
    "ListContinue8",
    "ListContinue9",
];
/// The indent of list level 0's text, and the step per level, in twips: Word's default half
/// inch, shared by the numbering definitions and the List Continue styles so they line up.
pub const LIST_INDENT: i32 = 720;
/// Our thematic-break style: the paragraph that holds a horizontal line (the line itself is
/// added by the finishing step, as Word's own "Horizontal Line").
pub const RULE: &str = "Rule";
/// Word's id of the footnote text style.
pub const FOOTNOTE_TEXT: &str = "FootnoteText";
/// Word's id of the footnote reference character style.
pub const FOOTNOTE_REF: &str = "FootnoteReference";
/// The character style pandoc and Word use for code ("Verbatim Char"); the theme has no
/// monospaced face, so it sets code in the sans face.
pub const VERBATIM: &str = "VerbatimChar";
/// Word's id of the hyperlink character style.
pub const HYPERLINK: &str = "Hyperlink";
/// Word's id of the header style (the first-page logo and the running header).
pub const HEADER: &str = "Header";
/// Word's id of the footer style (footer text and page number).
pub const FOOTER: &str = "Footer";

/// Half-points, the unit of `w:sz`.
fn half_points(pt: f32) -> usize {
    (pt * 2.0).round().max(1.0) as usize
}

/// Twentieths of a point (twips), the unit of spacing and indents.
fn twips(pt: f32) -> u32 {
    (pt * 20.0).round().max(0.0) as u32
}

fn fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .ascii(name)
        .hi_ansi(name)
        .cs(name)
        .east_asia(name)
}

fn paragraph(id: &str, name: &str, based_on: &str) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on(based_on)
        .next(BODY)
}

/// Space before and after a paragraph, in points; the line height stays inherited.
fn spacing(before: f32, after: f32) -> LineSpacing {
    LineSpacing::new().before(twips(before)).after(twips(after))
}

/// Space before and after, and the line height as a multiple of single (`w:line` in 240ths,
/// rule `auto`).
fn spacing_leading(before: f32, after: f32, multiple: f32) -> LineSpacing {
    spacing(before, after)
        .line((multiple * 240.0).round() as i32)
        .line_rule(LineSpacingType::Auto)
}

fn keep_with_next(mut s: Style) -> Style {
    s.paragraph_property = s.paragraph_property.keep_next(true).keep_lines(true);
    s
}

fn border(
    mut s: Style,
    position: ParagraphBorderPosition,
    color: &str,
    eighths: usize,
    space: usize,
) -> Style {
    // `ParagraphBorders::new()` holds four default borders; start from none so only this one
    // is drawn.
    let one = ParagraphBorder::new(position)
        .val(BorderType::Single)
        .size(eighths)
        .space(space)
        .color(color);
    s.paragraph_property = s
        .paragraph_property
        .set_borders(ParagraphBorders::with_empty().set(one));
    s
}

/// The document defaults and every named style, from the theme. `w:lang` is added to the
/// defaults by the finishing step (docx-rs cannot write it).
pub fn styles(theme: &Theme) -> Styles {
    let base = theme.base_size;
    let serif = theme.serif.name.as_str();
    let sans = theme.sans.name.as_str();
    let text = theme.colors.text.hex();
    let accent = theme.colors.accent.hex();
    let rule = theme.colors.rule.hex();
    // Captions, credits and notes at 9/11 of the body: the PDF's small face.
    let small = base * 9.0 / 11.0;

    let mut normal = Style::new("Normal", StyleType::Paragraph)
        .name("Normal")
        .fonts(fonts(serif))
        .size(half_points(base))
        .color(text.clone())
        .line_spacing(spacing_leading(0.0, 0.0, theme.leading));
    normal.paragraph_property = normal.paragraph_property.widow_control(true);

    // Space after a body paragraph: about half a line, the usual on-screen paragraph gap.
    let body = paragraph(BODY, "Body Text", "Normal").line_spacing(spacing(0.0, base * 0.6));

    // The theme's modular scale: heading level 3 is one step above the body, level 1 three
    // steps. The title is twice the body size, as in the PDF (22 pt over 11 pt), and grows
    // with a scale steep enough to pass that.
    let step = theme.heading_scale;
    let title = keep_with_next(
        paragraph(TITLE, "Title", "Normal")
            .fonts(fonts(sans))
            .bold()
            .size(half_points(base * step.powi(4).max(2.0)))
            .color(accent.clone())
            .line_spacing(spacing_leading(0.0, base * 0.5, 1.1)),
    )
    .next(SUBTITLE);
    let subtitle = keep_with_next(
        paragraph(SUBTITLE, "Subtitle", "Normal")
            .fonts(fonts(sans))
            .size(half_points(base * 1.3))
            .color(text.clone())
            .line_spacing(spacing_leading(0.0, base, 1.25)),
    );
    // The PDF's masthead: the publisher in bold accent sans a little under the body size,
    // over a rule in the accent colour.
    let masthead = keep_with_next(border(
        paragraph(MASTHEAD, "Masthead", "Normal")
            .fonts(fonts(sans))
            .bold()
            .size(half_points(base * 0.95))
            .color(accent.clone())
            .line_spacing(spacing(0.0, base)),
        ParagraphBorderPosition::Bottom,
        &accent,
        8,
        4,
    ))
    .next(TITLE);
    let byline = paragraph(BYLINE, "Byline", "Normal")
        .fonts(fonts(sans))
        .bold()
        .line_spacing(spacing(0.0, 0.0));
    let date = paragraph(DATE, "Date", "Normal")
        .fonts(fonts(sans))
        .color(rule.clone())
        .line_spacing(spacing(0.0, base));
    let summary = border(
        paragraph(SUMMARY, "Summary", BODY).italic().indent(
            Some(twips(base) as i32),
            None,
            None,
            None,
        ),
        ParagraphBorderPosition::Left,
        &accent,
        18,
        8,
    )
    .line_spacing(spacing(0.0, base));

    // Heading sizes: level 1 is `step`³ × the body, level 2 `step`², level 3 `step`.
    let heading = |level: usize, scale: f32, before: f32| {
        keep_with_next(
            paragraph(HEADINGS[level], &format!("heading {}", level + 1), "Normal")
                .fonts(fonts(sans))
                .bold()
                .size(half_points(base * scale))
                .color(accent.clone())
                .line_spacing(spacing_leading(before, base * 0.4, 1.15))
                .outline_lvl(level),
        )
    };

    let figure = keep_with_next(
        paragraph(FIGURE, "Figure", "Normal")
            .align(AlignmentType::Center)
            .line_spacing(spacing(base * 0.5, base * 0.3)),
    )
    .next(CAPTION);
    let caption = paragraph(CAPTION, "caption", "Normal")
        .fonts(fonts(sans))
        .size(half_points(small))
        .color(text.clone())
        .line_spacing(spacing(0.0, 2.0))
        .next(CREDIT);
    let credit = paragraph(CREDIT, "Credit", CAPTION)
        .italic()
        .color(rule.clone())
        .line_spacing(spacing(0.0, base));
    // Table cells: the body face a little smaller than the body, single-spaced, no space
    // between paragraphs (the cell padding gives the room); header cells bold.
    let table_text = paragraph(TABLE_TEXT, "Table Text", "Normal")
        .size(half_points(base * 0.9))
        .line_spacing(spacing_leading(0.0, 0.0, 1.1))
        .next(TABLE_TEXT);
    let table_heading = paragraph(TABLE_HEADING, "Table Heading", TABLE_TEXT)
        .bold()
        .next(TABLE_TEXT);
    let quote = paragraph(QUOTE, "Quote", BODY).italic().indent(
        Some(twips(base * 2.0) as i32),
        None,
        Some(twips(base * 2.0) as i32),
        None,
    );
    let quote = border(quote, ParagraphBorderPosition::Left, &rule, 12, 8);
    let list = paragraph(LIST, "List Paragraph", BODY)
        .indent(Some(LIST_INDENT), None, None, None)
        .line_spacing(spacing(0.0, base * 0.25));
    // A later paragraph of an item sits where the item's text starts at its level.
    let list_continue = LIST_CONTINUE.iter().enumerate().map(|(level, id)| {
        let name = match level {
            0 => "List Continue".to_owned(),
            n => format!("List Continue {}", n + 1),
        };
        paragraph(id, &name, LIST)
            .indent(Some(LIST_INDENT * (level as i32 + 1)), None, None, None)
            .next(*id)
    });
    // Space around the line: half a line above (the paragraph's own height) and a line after.
    let rule_style = paragraph(RULE, "Rule", "Normal")
        .size(half_points(base * 0.5))
        .line_spacing(spacing(0.0, base));
    let footnote_text = paragraph(FOOTNOTE_TEXT, "footnote text", "Normal")
        .size(half_points(small))
        .line_spacing(spacing_leading(0.0, 2.0, 1.15))
        .next(FOOTNOTE_TEXT);
    let mut footnote_ref =
        Style::new(FOOTNOTE_REF, StyleType::Character).name("footnote reference");
    footnote_ref.run_property = footnote_ref
        .run_property
        .vert_align(VertAlignType::SuperScript);
    let hyperlink = Style::new(HYPERLINK, StyleType::Character)
        .name("Hyperlink")
        .color(accent.clone())
        .underline("single");
    let verbatim = Style::new(VERBATIM, StyleType::Character)
        .name("Verbatim Char")
        .fonts(fonts(sans));

    // Header and footer: the small sans face in the rule colour, single-spaced so the logo's
    // line is no taller than the logo; a right tab at the text block's edge takes the page
    // number (Word's own Header and Footer styles carry centre and right tabs the same way).
    let (page_width, _) = theme.page.points();
    let measure = page_width - theme.margins.left - theme.margins.right;
    let furniture = |id: &str, name: &str| {
        let mut s = paragraph(id, name, "Normal")
            .fonts(fonts(sans))
            .size(half_points(small))
            .color(rule.clone())
            .line_spacing(spacing_leading(0.0, 0.0, 1.0))
            .next(id);
        s.paragraph_property = s.paragraph_property.add_tab(
            Tab::new()
                .val(TabValueType::Right)
                .pos(twips(measure) as usize),
        );
        s
    };

    let mut all = Styles::new()
        .default_fonts(fonts(serif))
        .default_size(half_points(base));
    for s in [
        normal,
        body,
        masthead,
        title,
        subtitle,
        byline,
        date,
        summary,
        heading(0, step.powi(3), base * 1.5),
        heading(1, step.powi(2), base * 1.2),
        heading(2, step, base),
        figure,
        caption,
        credit,
        table_text,
        table_heading,
        quote,
        list,
    ]
    .into_iter()
    .chain(list_continue)
    .chain([
        rule_style,
        footnote_text,
        footnote_ref,
        hyperlink,
        verbatim,
        furniture(HEADER, "header"),
        furniture(FOOTER, "footer"),
    ]) {
        all = all.add_style(s);
    }
    all
}

/// The styles only a briefing pack uses, from the theme: Heading 4 (a brief's level-3
/// heading once its title is Heading 1; one step below Heading 3: the body size, bold
/// italic), and the contents' heading and entries (Word's built-in "TOC Heading" and
/// "toc 1").
pub fn pack_styles(theme: &Theme) -> Vec<Style> {
    let base = theme.base_size;
    let sans = theme.sans.name.as_str();
    let accent = theme.colors.accent.hex();
    let heading4 = keep_with_next(
        paragraph(HEADING4, "heading 4", "Normal")
            .fonts(fonts(sans))
            .bold()
            .italic()
            .size(half_points(base))
            .color(accent.clone())
            .line_spacing(spacing_leading(base * 0.8, base * 0.3, 1.15))
            .outline_lvl(3),
    );
    let toc_heading = keep_with_next(
        paragraph(TOC_HEADING, "TOC Heading", "Normal")
            .fonts(fonts(sans))
            .bold()
            .size(half_points(base * theme.heading_scale.powi(3)))
            .color(accent)
            .line_spacing(spacing_leading(base * 1.5, base * 0.8, 1.15)),
    )
    .next(TOC1);
    let toc1 = paragraph(TOC1, "toc 1", "Normal")
        .fonts(fonts(sans))
        .line_spacing(spacing(0.0, base * 0.6))
        .next(TOC1);
    vec![heading4, toc_heading, toc1]
}
