//! The theme file, `briefpress.toml`: every key optional, each one overriding the embedded
//! default. Unknown keys and bad values are refused with their line and column; file paths (logo,
//! fonts) are resolved by the caller from the theme's folder, so this module never touches the
//! file system.

use super::{FallbackFont, FontFamily, Margins, PageSize, Rgb, Theme, mm};
use crate::article::{LABEL_KEYS, Language};
use schemars::JsonSchema;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use toml::Spanned;

/// The theme file as written.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "briefpress theme (briefpress.toml)")]
pub struct ThemeFile {
    /// Who publishes the briefs.
    pub publisher: Option<PublisherSection>,
    /// Paper and margins.
    pub page: Option<PageSection>,
    /// Type sizes.
    #[serde(rename = "type")]
    pub type_: Option<TypeSection>,
    /// Font files.
    pub fonts: Option<FontsSection>,
    /// Colours, as `#RRGGBB`.
    pub colors: Option<ColorsSection>,
    /// Hyphenation and page furniture.
    pub text: Option<TextSection>,
    /// The words briefpress writes itself, per language tag: `[labels.fr]`.
    pub labels: Option<BTreeMap<String, LabelsSection>>,
}

/// `[publisher]`
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublisherSection {
    /// The publisher's name: masthead, metadata, corporate author.
    pub name: Option<String>,
    /// The publisher's web address.
    pub url: Option<String>,
    /// A PNG, JPEG or SVG logo, relative to the theme file.
    #[schemars(with = "Option<String>")]
    pub logo: Option<Spanned<String>>,
}

/// `[page]`
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageSection {
    /// `a4`, `letter` or `custom` (then `width_mm` and `height_mm`).
    #[schemars(with = "Option<String>")]
    pub size: Option<Spanned<String>>,
    /// Page width in millimetres, for `size = "custom"`.
    #[schemars(with = "Option<f32>")]
    pub width_mm: Option<Spanned<f32>>,
    /// Page height in millimetres, for `size = "custom"`.
    #[schemars(with = "Option<f32>")]
    pub height_mm: Option<Spanned<f32>>,
    /// Top margin in millimetres.
    #[schemars(with = "Option<f32>")]
    pub margin_top_mm: Option<Spanned<f32>>,
    /// Bottom margin in millimetres.
    #[schemars(with = "Option<f32>")]
    pub margin_bottom_mm: Option<Spanned<f32>>,
    /// Left margin in millimetres.
    #[schemars(with = "Option<f32>")]
    pub margin_left_mm: Option<Spanned<f32>>,
    /// Right margin in millimetres.
    #[schemars(with = "Option<f32>")]
    pub margin_right_mm: Option<Spanned<f32>>,
}

/// `[type]`
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypeSection {
    /// Body text size in points.
    #[schemars(with = "Option<f32>")]
    pub base_size_pt: Option<Spanned<f32>>,
    /// Baseline distance as a multiple of the body size.
    #[schemars(with = "Option<f32>")]
    pub leading: Option<Spanned<f32>>,
    /// How much larger each heading level is than the next.
    #[schemars(with = "Option<f32>")]
    pub heading_scale: Option<Spanned<f32>>,
}

/// `[fonts]`
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FontsSection {
    /// The body (serif) family.
    pub body: Option<FamilySection>,
    /// The heading (sans) family: headings, masthead, captions.
    pub heading: Option<FamilySection>,
    /// Embed the fonts in the EPUB (only if their licence allows it).
    pub embed_in_epub: Option<bool>,
    /// Font files tried, in order, for characters the body and heading families lack (after
    /// the compiled-in symbol faces, before the system's fonts).
    #[schemars(with = "Option<Vec<String>>")]
    pub fallback: Option<Vec<Spanned<String>>>,
}

/// `[fonts.body]` or `[fonts.heading]`: a family name and its four files (TTF or OTF).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FamilySection {
    /// The family name, as Word styles and CSS name it.
    pub name: Option<String>,
    /// Upright, normal weight.
    #[schemars(with = "Option<String>")]
    pub regular: Option<Spanned<String>>,
    /// Italic (the regular face is used when missing).
    #[schemars(with = "Option<String>")]
    pub italic: Option<Spanned<String>>,
    /// Bold (the regular face is used when missing).
    #[schemars(with = "Option<String>")]
    pub bold: Option<Spanned<String>>,
    /// Bold italic (the bold face is used when missing).
    #[schemars(with = "Option<String>")]
    pub bold_italic: Option<Spanned<String>>,
}

/// `[colors]`
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ColorsSection {
    /// Running text.
    #[schemars(with = "Option<String>")]
    pub text: Option<Spanned<String>>,
    /// Masthead, headings, links.
    #[schemars(with = "Option<String>")]
    pub accent: Option<Spanned<String>>,
    /// Rules and the quote bar.
    #[schemars(with = "Option<String>")]
    pub rule: Option<Spanned<String>>,
}

/// `[text]`
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TextSection {
    /// Hyphenate the PDF.
    pub hyphenate: Option<bool>,
    /// Running header on later pages (default: the brief's short title).
    pub header: Option<String>,
    /// Footer text beside the page number.
    pub footer: Option<String>,
}

/// `[labels.<tag>]`: the words briefpress writes itself in briefs of that language (`fr`
/// applies to `fr-CA` too; `fr-CA` only to `fr-CA`). A form's placeholder may be left out:
/// `by = "Texte :"` puts the names after the word.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelsSection {
    /// The authors' line: "By {names}".
    #[schemars(with = "Option<String>")]
    pub by: Option<Spanned<String>>,
    /// Between the last two names, spaces included: " and ".
    #[serde(rename = "and")]
    #[schemars(with = "Option<String>")]
    pub and_: Option<Spanned<String>>,
    /// Between the other names: ", ".
    #[schemars(with = "Option<String>")]
    pub comma: Option<Spanned<String>>,
    /// An author with an affiliation: "{name} ({affiliation})".
    #[schemars(with = "Option<String>")]
    pub affiliation: Option<Spanned<String>>,
    /// The heading over notes no paragraph cites: "Notes".
    #[schemars(with = "Option<String>")]
    pub notes: Option<Spanned<String>>,
    /// A pack's contents heading: "Contents".
    #[schemars(with = "Option<String>")]
    pub contents: Option<Spanned<String>>,
    /// A table's label: "Table {n}".
    #[schemars(with = "Option<String>")]
    pub table: Option<Spanned<String>>,
    /// A figure's label: "Figure {n}".
    #[schemars(with = "Option<String>")]
    pub figure: Option<Spanned<String>>,
    /// Between a label and its caption: ". ".
    #[schemars(with = "Option<String>")]
    pub caption_separator: Option<Spanned<String>>,
    /// A table's source line: "Source: {source}".
    #[schemars(with = "Option<String>")]
    pub source: Option<Spanned<String>>,
    /// The e-book's cover page: "Cover".
    #[schemars(with = "Option<String>")]
    pub cover: Option<Spanned<String>>,
    /// The e-book's landmarks navigation: "Landmarks".
    #[schemars(with = "Option<String>")]
    pub landmarks: Option<Spanned<String>>,
    /// A pack's title when it has none: "Briefing pack".
    #[schemars(with = "Option<String>")]
    pub pack: Option<Spanned<String>>,
}

impl LabelsSection {
    /// The labels set, with their keys, in [`LABEL_KEYS`] order.
    fn entries(&self) -> [(&'static str, Option<&Spanned<String>>); 13] {
        [
            ("by", self.by.as_ref()),
            ("and", self.and_.as_ref()),
            ("comma", self.comma.as_ref()),
            ("affiliation", self.affiliation.as_ref()),
            ("notes", self.notes.as_ref()),
            ("contents", self.contents.as_ref()),
            ("table", self.table.as_ref()),
            ("figure", self.figure.as_ref()),
            ("caption_separator", self.caption_separator.as_ref()),
            ("source", self.source.as_ref()),
            ("cover", self.cover.as_ref()),
            ("landmarks", self.landmarks.as_ref()),
            ("pack", self.pack.as_ref()),
        ]
    }
}

/// A refused theme file: where and why.
pub type ThemeError = crate::error::LocatedError;

/// Which section each key belongs to, to say where a misplaced key goes.
const SECTIONS: [(&str, &[&str]); 7] = [
    ("publisher", &["name", "url", "logo"]),
    (
        "page",
        &[
            "size",
            "width_mm",
            "height_mm",
            "margin_top_mm",
            "margin_bottom_mm",
            "margin_left_mm",
            "margin_right_mm",
        ],
    ),
    ("type", &["base_size_pt", "leading", "heading_scale"]),
    ("fonts", &["body", "heading", "embed_in_epub", "fallback"]),
    ("colors", &["text", "accent", "rule"]),
    ("text", &["hyphenate", "header", "footer"]),
    ("labels.<tag>", &LABEL_KEYS),
];

impl ThemeFile {
    /// Parses the text of a theme file.
    pub fn parse(text: &str) -> Result<ThemeFile, ThemeError> {
        toml::from_str(text).map_err(|e| {
            let raw = e.message().trim().to_owned();
            let message = match raw.split_once("unknown field `").and_then(|(_, r)| r.split_once('`')) {
                Some((key, _)) => {
                    // Every section's name and every key, for "did you mean".
                    let keys: Vec<&str> = SECTIONS
                        .iter()
                        .flat_map(|(s, keys)| std::iter::once(s.trim_end_matches(".<tag>")).chain(keys.iter().copied()))
                        .collect();
                    let near = crate::error::nearest_key(key, &keys)
                        .map(|k| format!("; did you mean `{k}`?"))
                        .unwrap_or_default();
                    let section = SECTIONS.iter().find(|(_, keys)| keys.contains(&key)).map(|(s, _)| *s);
                    match section {
                        Some(s) => format!("theme key `{key}` belongs under [{s}]; move it there"),
                        None => format!("unknown theme key `{key}`{near} (`briefpress theme --default` lists every key)"),
                    }
                }
                None => format!("the theme file is not valid: {raw}"),
            };
            ThemeError::in_span(text, e.span(), message)
        })
    }

    /// The theme this file describes, on top of the embedded default. `text` is the file's text
    /// (for error positions); `load` reads a path relative to the theme file.
    pub fn into_theme(
        self,
        text: &str,
        load: &mut dyn FnMut(&str) -> std::io::Result<Vec<u8>>,
    ) -> Result<Theme, ThemeError> {
        let mut theme = Theme::default();
        let at = |offset: usize, message: String| ThemeError::at(text, offset, message);
        let mut file =
            |path: &Spanned<String>,
             what: &str,
             load: &mut dyn FnMut(&str) -> std::io::Result<Vec<u8>>| {
                load(path.get_ref()).map_err(|e| {
                at(path.span().start, format!("cannot read the {what} `{}` ({e}); paths are relative to the theme file", path.get_ref()))
            })
            };
        let number = |v: &Spanned<f32>, what: &str, lo: f32, hi: f32| -> Result<f32, ThemeError> {
            let x = *v.get_ref();
            if x.is_finite() && (lo..=hi).contains(&x) {
                Ok(x)
            } else {
                Err(at(
                    v.span().start,
                    format!("{what} must be between {lo} and {hi}, not {x}"),
                ))
            }
        };

        if let Some(p) = self.publisher {
            if let Some(name) = p.name.filter(|n| !n.trim().is_empty()) {
                theme.publisher = name.trim().to_owned();
            }
            theme.publisher_url = p.url.filter(|u| !u.trim().is_empty());
            if let Some(logo) = &p.logo {
                let data = file(logo, "logo", load)?;
                let checked = super::Logo::load(data).map_err(|why| {
                    at(
                        logo.span().start,
                        format!("the logo `{}` {why}", logo.get_ref()),
                    )
                })?;
                theme.logo = Some(checked);
            }
        }

        if let Some(p) = self.page {
            if let Some(size) = &p.size {
                theme.page = match size.get_ref().to_ascii_lowercase().as_str() {
                    "a4" => PageSize::A4,
                    "letter" => PageSize::Letter,
                    "custom" => {
                        let (Some(w), Some(h)) = (&p.width_mm, &p.height_mm) else {
                            return Err(at(
                                size.span().start,
                                "a custom page needs `width_mm` and `height_mm`".into(),
                            ));
                        };
                        PageSize::Custom {
                            width: mm(number(w, "width_mm", 90.0, 1000.0)?),
                            height: mm(number(h, "height_mm", 120.0, 1000.0)?),
                        }
                    }
                    other => {
                        return Err(at(
                            size.span().start,
                            format!("page size `{other}` is not one of a4, letter, custom"),
                        ));
                    }
                };
            }
            let m = &mut theme.margins;
            for (v, slot, name) in [
                (&p.margin_top_mm, &mut m.top, "margin_top_mm"),
                (&p.margin_bottom_mm, &mut m.bottom, "margin_bottom_mm"),
                (&p.margin_left_mm, &mut m.left, "margin_left_mm"),
                (&p.margin_right_mm, &mut m.right, "margin_right_mm"),
            ] {
                if let Some(v) = v {
                    *slot = mm(number(v, name, 5.0, 80.0)?);
                }
            }
            let Margins {
                left,
                right,
                top,
                bottom,
            } = theme.margins;
            let (w, h) = theme.page.points();
            if w - left - right < mm(60.0) || h - top - bottom < mm(80.0) {
                return Err(ThemeError {
                    line: None,
                    column: None,
                    message:
                        "the margins leave less than a 60 × 80 mm text block; make them smaller"
                            .into(),
                });
            }
        }

        if let Some(t) = self.type_ {
            if let Some(v) = &t.base_size_pt {
                theme.base_size = number(v, "base_size_pt", 6.0, 24.0)?;
            }
            if let Some(v) = &t.leading {
                theme.leading = number(v, "leading", 1.0, 3.0)?;
            }
            if let Some(v) = &t.heading_scale {
                theme.heading_scale = number(v, "heading_scale", 1.0, 2.0)?;
            }
        }

        if let Some(f) = self.fonts {
            if let Some(fam) = f.body {
                theme.serif = family(fam, &theme.serif, &mut file, load, &at)?;
            }
            if let Some(fam) = f.heading {
                theme.sans = family(fam, &theme.sans, &mut file, load, &at)?;
            }
            theme.embed_fonts_in_epub = f.embed_in_epub.unwrap_or(false);
            for p in f.fallback.iter().flatten() {
                let data = font_file(p, &mut file, load, &at)?;
                let name = family_name(&data).unwrap_or_else(|| "Fallback Font".to_owned());
                theme.fallback.push(FallbackFont { name, data });
            }
        }

        if let Some(c) = self.colors {
            for (v, slot) in [
                (&c.text, &mut theme.colors.text),
                (&c.accent, &mut theme.colors.accent),
                (&c.rule, &mut theme.colors.rule),
            ] {
                if let Some(v) = v {
                    *slot = parse_rgb(v.get_ref()).ok_or_else(|| {
                        at(
                            v.span().start,
                            format!("`{}` is not a colour; write it as \"#RRGGBB\"", v.get_ref()),
                        )
                    })?;
                }
            }
        }

        if let Some(t) = self.text {
            theme.hyphenate = t.hyphenate.unwrap_or(theme.hyphenate);
            theme.header = t.header.filter(|h| !h.trim().is_empty());
            theme.footer = t.footer.filter(|h| !h.trim().is_empty());
        }

        for (tag, section) in self.labels.iter().flatten() {
            let entries = section.entries();
            // Where the section is: its header, else its first key.
            let header = text
                .find(&format!("labels.{tag}"))
                .or_else(|| text.find(&format!("labels.\"{tag}\"")))
                .or_else(|| entries.iter().find_map(|(_, v)| v.map(|v| v.span().start)))
                .unwrap_or(0);
            if Language::parse(tag).is_err() {
                return Err(at(
                    header,
                    format!(
                        "`[labels.{tag}]`: `{tag}` is not a BCP 47 language tag (write `[labels.fr]`, `[labels.pt-BR]`)"
                    ),
                ));
            }
            for (key, value) in entries {
                if let Some(v) = value {
                    theme
                        .labels
                        .set(tag, key, v.get_ref())
                        .map_err(|why| at(v.span().start, format!("[labels.{tag}]: {why}")))?;
                }
            }
        }
        Ok(theme)
    }
}

type FileLoader<'a> = dyn FnMut(
        &Spanned<String>,
        &str,
        &mut dyn FnMut(&str) -> std::io::Result<Vec<u8>>,
    ) -> Result<Vec<u8>, ThemeError>
    + 'a;

/// A family from the file on top of the default one; missing styles fall back sensibly.
fn family(
    f: FamilySection,
    default: &FontFamily,
    file: &mut FileLoader<'_>,
    load: &mut dyn FnMut(&str) -> std::io::Result<Vec<u8>>,
    at: &dyn Fn(usize, String) -> ThemeError,
) -> Result<FontFamily, ThemeError> {
    let Some(regular_path) = &f.regular else {
        if f.italic.is_some() || f.bold.is_some() || f.bold_italic.is_some() {
            return Err(ThemeError {
                line: None,
                column: None,
                message: "a font family needs its `regular` file".into(),
            });
        }
        let mut same = default.clone();
        if let Some(n) = f.name {
            same.name = n;
        }
        return Ok(same);
    };
    let mut face = |p: &Spanned<String>| font_file(p, file, load, at);
    let regular = face(regular_path)?;
    let italic = f
        .italic
        .as_ref()
        .map(&mut face)
        .transpose()?
        .unwrap_or_else(|| regular.clone());
    let bold = f
        .bold
        .as_ref()
        .map(&mut face)
        .transpose()?
        .unwrap_or_else(|| regular.clone());
    let bold_italic = f
        .bold_italic
        .as_ref()
        .map(&mut face)
        .transpose()?
        .unwrap_or_else(|| bold.clone());
    let name = match f.name {
        Some(n) if !n.trim().is_empty() => n,
        _ => family_name(&regular).unwrap_or_else(|| "Theme Font".to_owned()),
    };
    Ok(FontFamily {
        name,
        regular,
        italic,
        bold,
        bold_italic,
    })
}

/// A font file the theme names, read beneath its folder and checked to be a font.
fn font_file(
    p: &Spanned<String>,
    file: &mut FileLoader<'_>,
    load: &mut dyn FnMut(&str) -> std::io::Result<Vec<u8>>,
    at: &dyn Fn(usize, String) -> ThemeError,
) -> Result<Cow<'static, [u8]>, ThemeError> {
    let bytes = file(p, "font", load)?;
    skrifa::FontRef::new(&bytes).map_err(|_| {
        at(
            p.span().start,
            format!("`{}` is not a TrueType or OpenType font", p.get_ref()),
        )
    })?;
    Ok(Cow::Owned(bytes))
}

/// The typographic family name a font gives itself (name ID 16, else 1).
fn family_name(data: &[u8]) -> Option<String> {
    use skrifa::MetadataProvider;
    use skrifa::string::StringId;
    let font = skrifa::FontRef::new(data).ok()?;
    [StringId::TYPOGRAPHIC_FAMILY_NAME, StringId::FAMILY_NAME]
        .into_iter()
        .find_map(|id| {
            font.localized_strings(id)
                .english_or_first()
                .map(|s| s.to_string())
        })
}

/// `#RRGGBB` or `RRGGBB`.
fn parse_rgb(s: &str) -> Option<Rgb> {
    let h = s.trim().trim_start_matches('#');
    if h.len() != 6 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some(Rgb(c(0)?, c(2)?, c(4)?))
}

/// The embedded default as a commented theme file to start from.
pub fn default_toml() -> String {
    let t = Theme::default();
    let to_mm = |pt: f32| (pt * 25.4 / 72.0 * 10.0).round() / 10.0;
    let (c, m) = (t.colors, t.margins);
    format!(
        r##"# briefpress theme: put this file next to your sources as briefpress.toml, or pass
# --theme FILE. Every key is optional; a missing key keeps the embedded default shown here.
# Paths are relative to this file.

[publisher]
name = "{publisher}"        # masthead, metadata, and author of briefs that name none
# url = "https://example.org"
# logo = "logo.png"          # PNG, JPEG or SVG

[page]
size = "a4"                  # a4, letter, or custom (then width_mm and height_mm)
# width_mm = 210
# height_mm = 297
margin_top_mm = {top}
margin_bottom_mm = {bottom}
margin_left_mm = {left}
margin_right_mm = {right}

[type]
base_size_pt = {size}           # body text size
leading = {leading}                # baseline distance, as a multiple of the body size
heading_scale = {scale}          # each heading level this much larger than the next

[fonts]
embed_in_epub = false        # embed the fonts in the EPUB (only if their licence allows it)
# A character neither family has is drawn from the compiled-in Noto Sans Math and Noto Sans
# Symbols 2, then from these files in order, then from the system's fonts (fontconfig's).
# fallback = ["fonts/NotoNaskhArabic-Regular.ttf"]
# The embedded faces are {serif} (body) and {sans} (headings). To use others, give the
# files (TTF or OTF); missing styles fall back to the regular (or bold) face.
# [fonts.body]
# name = "Gentium Book Plus"
# regular = "fonts/GentiumBookPlus-Regular.ttf"
# italic = "fonts/GentiumBookPlus-Italic.ttf"
# bold = "fonts/GentiumBookPlus-Bold.ttf"
# bold_italic = "fonts/GentiumBookPlus-BoldItalic.ttf"
# [fonts.heading]
# regular = "fonts/Lato-Regular.ttf"
# bold = "fonts/Lato-Bold.ttf"

[colors]
text = "#{text}"
accent = "#{accent}"
rule = "#{rule}"

[text]
hyphenate = {hyphenate}
# header = "Policy Brief"    # running header on later pages (default: the brief's title)
# footer = "example.org"     # beside the page number

# The words briefpress writes itself, per language (`fr` also covers `fr-CA`). Built in for
# en, es, pt, fr, de, it, nl, pl, cs, ru, uk, tr, ar, he, zh and ja; any key may be changed.
# A form's placeholder may be left out: by = "Texte :" puts the names after the word.
# [labels.fr]
# by = "Par {{names}}"            # the authors' line
# and = " et "                 # between the last two names
# comma = ", "                 # between the other names
# affiliation = "{{name}} ({{affiliation}})"
# notes = "Notes"              # over notes no paragraph cites
# contents = "Sommaire"        # a pack's contents
# table = "Tableau {{n}}"
# figure = "Figure {{n}}"
# caption_separator = ". "     # "Tableau 1. Budget"
# source = "Source : {{source}}"
# cover = "Couverture"         # the e-book's cover page
# landmarks = "Repères"        # the e-book's landmarks navigation
# pack = "Dossier d’information"  # a pack's title when it has none
"##,
        publisher = t.publisher,
        top = to_mm(m.top),
        bottom = to_mm(m.bottom),
        left = to_mm(m.left),
        right = to_mm(m.right),
        size = t.base_size,
        leading = t.leading,
        scale = t.heading_scale,
        serif = t.serif.name,
        sans = t.sans.name,
        text = c.text.hex(),
        accent = c.accent.hex(),
        rule = c.rule.hex(),
        hyphenate = t.hyphenate,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_files(p: &str) -> std::io::Result<Vec<u8>> {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("no such file: {p}"),
        ))
    }

    fn theme(text: &str) -> Result<Theme, ThemeError> {
        ThemeFile::parse(text)?.into_theme(text, &mut no_files)
    }

    #[test]
    fn the_default_file_gives_the_default_theme() {
        let text = default_toml();
        let t = theme(&text).unwrap();
        let d = Theme::default();
        assert_eq!(
            (t.publisher, t.page, t.colors, t.hyphenate),
            (d.publisher, d.page, d.colors, d.hyphenate)
        );
        assert!((t.margins.left - d.margins.left).abs() < 0.2);
        assert_eq!(
            (t.base_size, t.leading, t.heading_scale),
            (d.base_size, d.leading, d.heading_scale)
        );
    }

    #[test]
    fn keys_change_the_theme() {
        let t = theme(
            "[publisher]\nname = \"The Example Council\"\n[page]\nsize = \"letter\"\nmargin_left_mm = 20\n[colors]\naccent = \"#8A1C1C\"\n[type]\nbase_size_pt = 10.5\n[text]\nhyphenate = false\nheader = \"Policy Brief\"\n",
        )
        .unwrap();
        assert_eq!(t.publisher, "The Example Council");
        assert_eq!(t.page, PageSize::Letter);
        assert!((t.margins.left - mm(20.0)).abs() < 0.01);
        assert_eq!(t.colors.accent, Rgb(0x8A, 0x1C, 0x1C));
        assert_eq!(
            (t.base_size, t.hyphenate, t.header.as_deref()),
            (10.5, false, Some("Policy Brief"))
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_name_their_line() {
        let e = theme("[page]\nsize = \"a4\"\nmargin_lft_mm = 20\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(
            e.message.contains("`margin_lft_mm`")
                && e.message.contains("did you mean `margin_left_mm`"),
            "{e}"
        );
        let e = theme("[colors]\n\naccent = \"navy\"\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("#RRGGBB"), "{e}");
        let e = theme("[type]\nbase_size_pt = 60\n").unwrap_err();
        assert!(e.message.contains("between 6 and 24"), "{e}");
        let e = theme("[page]\nsize = \"a5\"\n").unwrap_err();
        assert!(e.message.contains("a4, letter, custom"), "{e}");
        let e = theme("heading_scale = 1.1\n").unwrap_err();
        assert!(e.message.contains("belongs under [type]"), "{e}");
        let e = theme("[publisher\nname = 1\n").unwrap_err();
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn labels_are_set_per_language_and_checked_like_every_key() {
        let t = theme("[labels.fr]\nby = \"Texte :\"\nnotes = \"Remarques\"\n[labels.zh]\ntable = \"表格{n}\"\n")
            .unwrap();
        let fr = crate::article::Language::of("fr-BE").labels_with(&t.labels);
        assert_eq!(
            (fr.byline("C"), fr.notes.as_ref()),
            ("Texte : C".into(), "Remarques")
        );
        let zh = crate::article::Language::of("zh").labels_with(&t.labels);
        assert_eq!(zh.table_label(2), "表格2");
        let e = theme("[labels.fr]\nby = \"Par\"\nnotse = \"N\"\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(
            e.message.contains("`notse`") && e.message.contains("did you mean `notes`"),
            "{e}"
        );
        let e = theme("[text]\nhyphenate = true\n\n[labels.fr]\ntable = \"Tableau {x}\"\n")
            .unwrap_err();
        assert_eq!(e.line, Some(5));
        assert!(
            e.message.contains("{x}") && e.message.contains("{n}"),
            "{e}"
        );
        let e = theme("[labels.\"français\"]\nby = \"Par\"\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("not a BCP 47 language tag"), "{e}");
        let e = theme("[text]\nnotes = \"N\"\n").unwrap_err();
        assert!(e.message.contains("belongs under [labels.<tag>]"), "{e}");
    }

    #[test]
    fn a_missing_font_file_names_the_path() {
        let e = theme("[fonts.body]\nregular = \"fonts/Missing.ttf\"\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(
            e.message.contains("fonts/Missing.ttf")
                && e.message.contains("relative to the theme file"),
            "{e}"
        );
    }

    #[test]
    fn a_font_file_that_is_not_a_font_is_refused() {
        let text = "[fonts.heading]\nregular = \"x.ttf\"\n";
        let e = ThemeFile::parse(text)
            .unwrap()
            .into_theme(text, &mut |_| Ok(b"not a font".to_vec()))
            .unwrap_err();
        assert!(e.message.contains("not a TrueType or OpenType font"), "{e}");
    }

    #[test]
    fn fallback_fonts_are_read_in_order_checked_and_named_by_the_font() {
        let text = "[fonts]\nfallback = [\"a.ttf\", \"b.ttf\"]\n";
        let serif = Theme::default().serif.regular.to_vec();
        let sans = Theme::default().sans.regular.to_vec();
        let t = ThemeFile::parse(text)
            .unwrap()
            .into_theme(text, &mut |p| {
                Ok(if p.starts_with('a') {
                    serif.clone()
                } else {
                    sans.clone()
                })
            })
            .unwrap();
        let names: Vec<&str> = t.fallback.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Noto Serif", "Noto Sans"]);
        let e = ThemeFile::parse(text)
            .unwrap()
            .into_theme(text, &mut |_| Ok(b"not a font".to_vec()))
            .unwrap_err();
        assert!(
            e.message.contains("a.ttf") && e.message.contains("not a TrueType"),
            "{e}"
        );
    }

    #[test]
    fn a_font_family_takes_its_name_from_the_font() {
        let text = "[fonts.heading]\nregular = \"x.ttf\"\n";
        let serif = Theme::default().serif.regular.to_vec();
        let t = ThemeFile::parse(text)
            .unwrap()
            .into_theme(text, &mut |_| Ok(serif.clone()))
            .unwrap();
        assert_eq!(t.sans.name, "Noto Serif");
    }
}
