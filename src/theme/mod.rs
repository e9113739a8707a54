//! The house style every backend obeys: publisher, page, margins, type sizes, fonts, colours.
//!
//! [`Theme::default`] is the embedded default, so the binary works with no file beside it. Its
//! fonts are Noto Serif (body) and Noto Sans (headings, masthead, captions), OFL-1.1, committed
//! under `fonts/` with their licence and compiled in with `include_bytes!`. They cover Latin
//! Extended (Vietnamese included), Greek and Cyrillic, and carry GPOS kerning.

mod file;
mod logo;

pub use file::{ThemeError, ThemeFile, default_toml};

use std::borrow::Cow;

/// The whole house style.
#[derive(Debug, Clone)]
pub struct Theme {
    /// The publisher's name: masthead, metadata, and corporate author of a brief without authors.
    pub publisher: String,
    /// The publisher's web address, if any.
    pub publisher_url: Option<String>,
    /// Paper size.
    pub page: PageSize,
    /// Margins around the text block.
    pub margins: Margins,
    /// Body text size in points.
    pub base_size: f32,
    /// Baseline-to-baseline distance as a multiple of `base_size`.
    pub leading: f32,
    /// Body text face.
    pub serif: FontFamily,
    /// Headings, masthead, captions.
    pub sans: FontFamily,
    /// Colours.
    pub colors: Colors,
    /// Whether the PDF hyphenates (DOCX and EPUB leave it to the reader's software).
    pub hyphenate: bool,
    /// How much larger each heading level is than the next (level 3 is `base_size` × this,
    /// level 2 × its square …).
    pub heading_scale: f32,
    /// The publisher's logo, shown in the PDF masthead, the DOCX first-page header and the EPUB
    /// title page.
    pub logo: Option<Logo>,
    /// Running header text on later pages; `None` means the brief's short title in the PDF and
    /// no header in the DOCX (EPUB readers draw their own).
    pub header: Option<String>,
    /// Footer text beside the page number; `None` means the folio alone.
    pub footer: Option<String>,
    /// Whether the EPUB embeds the theme's fonts (only when their licence allows it).
    pub embed_fonts_in_epub: bool,
    /// The theme's own fallback faces (`[fonts] fallback = [...]`), tried in order after the
    /// theme's families and the compiled-in [`SYMBOL_FONTS`], before the system's fonts.
    pub fallback: Vec<FallbackFont>,
    /// The words the theme sets per language (`[labels.<tag>]`), over the built-in ones.
    pub labels: crate::article::LabelOverrides,
}

/// A fallback face: its family name (as CSS and Word name it) and its file.
#[derive(Debug, Clone)]
pub struct FallbackFont {
    /// The typographic family name the font gives itself.
    pub name: String,
    /// The font file.
    pub data: FontData,
}

/// The symbol and mathematics faces compiled in, tried after the theme's families: Noto Sans
/// Math (arrows, mathematical operators, letterlike symbols, the minus sign) and Noto Sans
/// Symbols 2 (geometric shapes, check marks, dingbats), OFL-1.1 like the theme's Noto faces,
/// 1.25 MB together. See docs/decisions.md.
pub const SYMBOL_FONTS: [(&str, &[u8]); 2] = [
    (
        "Noto Sans Math",
        include_bytes!("../../fonts/NotoSansMath-Regular.ttf"),
    ),
    (
        "Noto Sans Symbols2",
        include_bytes!("../../fonts/NotoSansSymbols2-Regular.ttf"),
    ),
];

/// A publisher's logo, checked when the theme loads ([`Logo::load`]): a picture every format
/// can show, and for an SVG file its clean vector form too. No backend checks it again.
#[derive(Debug, Clone, PartialEq)]
pub struct Logo {
    /// A checked PNG or JPEG: the file itself as the image check leaves it (metadata
    /// stripped), or an SVG logo's raster.
    pub image: crate::article::Image,
    /// For an SVG file: the SVG re-written without scripts, handlers or references, which the
    /// EPUB shows instead of the raster.
    pub svg: Option<String>,
}

/// A paper size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PageSize {
    /// ISO A4, 210 × 297 mm.
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
    /// Any other size, width and height in points.
    Custom {
        /// Width in points.
        width: f32,
        /// Height in points.
        height: f32,
    },
}

impl PageSize {
    /// Width and height in points (1/72 in).
    pub fn points(self) -> (f32, f32) {
        match self {
            PageSize::A4 => (595.276, 841.89),
            PageSize::Letter => (612.0, 792.0),
            PageSize::Custom { width, height } => (width, height),
        }
    }
}

/// Margins in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// Above the text block (the running header sits inside it).
    pub top: f32,
    /// Below the text block (the folio sits inside it).
    pub bottom: f32,
    /// Left of the text block.
    pub left: f32,
    /// Right of the text block.
    pub right: f32,
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `RRGGBB`, upper case, no `#` (as Word wants it; CSS adds the `#`).
    pub fn hex(self) -> String {
        format!("{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    /// Components from 0 to 1, as PDF wants them.
    pub fn unit(self) -> [f32; 3] {
        [self.0, self.1, self.2].map(|c| f32::from(c) / 255.0)
    }
}

/// The colours of the house style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colors {
    /// Running text.
    pub text: Rgb,
    /// Masthead, headings, links.
    pub accent: Rgb,
    /// Rules and the quote bar.
    pub rule: Rgb,
}

/// The bytes of one font file (TrueType or OpenType).
pub type FontData = Cow<'static, [u8]>;

/// A family in its four styles.
#[derive(Debug, Clone)]
pub struct FontFamily {
    /// The family name, as DOCX styles and CSS name it.
    pub name: String,
    /// Upright, normal weight.
    pub regular: FontData,
    /// Italic, normal weight.
    pub italic: FontData,
    /// Upright bold.
    pub bold: FontData,
    /// Italic bold.
    pub bold_italic: FontData,
}

impl FontFamily {
    /// The face for a style.
    pub fn face(&self, bold: bool, italic: bool) -> &FontData {
        match (bold, italic) {
            (false, false) => &self.regular,
            (false, true) => &self.italic,
            (true, false) => &self.bold,
            (true, true) => &self.bold_italic,
        }
    }
}

/// Millimetres to points.
pub fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            publisher: "briefpress".to_owned(),
            publisher_url: None,
            page: PageSize::A4,
            // 30 mm sides give a 150 mm measure: about 75 characters of 11 pt Noto Serif, the
            // upper end of the 45–75 range book typography recommends for a single column.
            margins: Margins {
                top: mm(25.0),
                bottom: mm(25.0),
                left: mm(30.0),
                right: mm(30.0),
            },
            base_size: 11.0,
            // 11/15.4: 1.4 suits Noto's large x-height at this measure.
            leading: 1.4,
            serif: FontFamily {
                name: "Noto Serif".to_owned(),
                regular: Cow::Borrowed(include_bytes!("../../fonts/NotoSerif-Regular.ttf")),
                italic: Cow::Borrowed(include_bytes!("../../fonts/NotoSerif-Italic.ttf")),
                bold: Cow::Borrowed(include_bytes!("../../fonts/NotoSerif-Bold.ttf")),
                bold_italic: Cow::Borrowed(include_bytes!("../../fonts/NotoSerif-BoldItalic.ttf")),
            },
            sans: FontFamily {
                name: "Noto Sans".to_owned(),
                regular: Cow::Borrowed(include_bytes!("../../fonts/NotoSans-Regular.ttf")),
                italic: Cow::Borrowed(include_bytes!("../../fonts/NotoSans-Italic.ttf")),
                bold: Cow::Borrowed(include_bytes!("../../fonts/NotoSans-Bold.ttf")),
                bold_italic: Cow::Borrowed(include_bytes!("../../fonts/NotoSans-BoldItalic.ttf")),
            },
            colors: Colors {
                text: Rgb(0x1A, 0x1A, 0x1A),
                accent: Rgb(0x1F, 0x3A, 0x5F),
                rule: Rgb(0x9A, 0xA3, 0xAD),
            },
            hyphenate: true,
            // 1.1 per level: 12.1 / 13.3 / 14.6 pt headings over 11 pt text, a scale between the
            // minor and major second. Measured against 1.2 on the long fixture brief: 1.2 added a
            // page and left page bottoms up to 53 pt apart (headings kept with two lines); 1.1
            // keeps every page within a line of the text block's bottom.
            heading_scale: 1.1,
            logo: None,
            header: None,
            footer: None,
            embed_fonts_in_epub: false,
            fallback: Vec::new(),
            labels: crate::article::LabelOverrides::default(),
        }
    }
}
