//! The canonical article model: what every reader produces and every backend consumes.
//!
//! Text is stored exactly as written (curly quotes, dashes, `©`, accents, `<`, `&`); escaping and
//! encoding belong to the backends. The model imports nothing else of briefpress.
//!
//! Beside the model stands what a brief *says* beyond its blocks, decided here once for every
//! format: its [`Language`] (direction, labels, dates) and its [`front`] block (masthead,
//! title, dek, byline, photo, summary, in that order).
//!
//! The serde form of [`Article`] is the `.json` source format and what `briefpress inspect --json`
//! prints. Enums are internally tagged with `"type"` in `snake_case`, so a paragraph reads
//! `{"type": "paragraph", "content": [{"type": "text", "text": "…"}]}`.

mod build;
mod date;
pub mod front;
mod language;
pub mod link;
pub mod quotes;
pub mod table;
pub mod ties;
pub mod walk;

pub use build::{para, text};
pub use date::Date;
pub use language::{
    DateStyle, Direction, LABEL_KEYS, LOCALES, LabelOverrides, Labels, Language, LanguageError,
    Locale,
};
pub use table::{Align, Cell, Row, Table, TableWords};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One policy brief: its metadata, its lead photo, its body and its footnotes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Article {
    /// Title, authors, date and the other facts about the brief.
    pub meta: Meta,
    /// The lead photo with its caption and credit, shown under the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<Figure>,
    /// The body, in reading order.
    #[serde(default)]
    pub blocks: Vec<Block>,
    /// Footnotes in the order of their first reference; note `n` is `notes[n - 1]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Footnote>,
}

/// Facts about the brief that every format carries as metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The headline; the only required field.
    pub title: String,
    /// The dek: one or two sentences under the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Authors in byline order; empty for a wire story (the publisher then stands as author).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Author>,
    /// Publication date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Publisher; `None` means the theme's publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// BCP 47 language tag, `en` by default.
    #[serde(default = "default_language")]
    pub language: String,
    /// Subject keywords.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// A one-paragraph abstract, shown as a lead box.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Licence or copyright line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<String>,
    /// A stable identifier (URN, DOI, URL); `None` means one derived from the content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// Build timestamp (seconds since 1970) used when there is no `date`; set by the caller
    /// from `SOURCE_DATE_EPOCH`, never from the clock, and never part of the source.
    #[serde(skip)]
    pub source_date_epoch: Option<i64>,
}

/// The language every brief has unless it says otherwise.
pub fn default_language() -> String {
    "en".to_owned()
}

impl Meta {
    /// Metadata with only a title, everything else at its default.
    pub fn new(title: impl Into<String>) -> Self {
        Meta {
            title: title.into(),
            subtitle: None,
            authors: Vec::new(),
            date: None,
            publisher: None,
            language: default_language(),
            keywords: Vec::new(),
            summary: None,
            rights: None,
            identifier: None,
            source_date_epoch: None,
        }
    }

    /// The brief's language: its tag checked, English when the tag is not well formed.
    pub fn lang(&self) -> Language {
        Language::of(&self.language)
    }

    /// Seconds since 1970 for every timestamp an output carries: the article's date at midnight
    /// UTC, else `SOURCE_DATE_EPOCH`, else 1980-01-01 (the earliest date a zip entry can hold).
    pub fn timestamp(&self) -> i64 {
        const ZIP_EPOCH: i64 = 315_532_800;
        match (self.date, self.source_date_epoch) {
            (Some(d), _) => d.unix_seconds(),
            (None, Some(s)) => s.max(ZIP_EPOCH),
            (None, None) => ZIP_EPOCH,
        }
    }
}

/// One author of the brief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Author {
    /// The name as it appears in the byline.
    pub name: String,
    /// Centre, programme or institution, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
}

/// A picture with what is said about it: the lead photo or a figure in the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// Where the image file is, relative to the source file; `None` for a caption without image
    /// (a wire story that names a photo it did not ship).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src: Option<String>,
    /// What the picture shows, for screen readers.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub alt: String,
    /// The caption, without the credit.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caption: String,
    /// Who made the picture, without any "Credit:" wrapper.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
    /// The image itself, loaded and checked by the reader; not part of the serde form.
    #[serde(skip)]
    pub image: Option<Image>,
}

/// A checked raster image, ready for any backend.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// The file's bytes, unchanged.
    pub data: Arc<Vec<u8>>,
    /// The file format.
    pub format: ImageFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// For a JPEG, what its headers say beyond the size, read once by the reader's check
    /// (`read::images::check_image`) so no backend parses the markers again; `None` for a PNG.
    pub jpeg: Option<JpegFacts>,
    /// For a PNG, what its chunks say, read by the same check; `None` for a JPEG.
    pub png: Option<PngFacts>,
    /// The decoded pixels, kept once something has decoded them: every clone of the image
    /// shares them, so a picture is decoded at most once whatever formats need its pixels.
    pub pixels: Pixels,
}

impl Image {
    /// The decoded pixels: those already decoded, else decoded now and kept for the next
    /// caller (the image was checked by the reader, so a failure means it was built in code).
    pub fn decoded(&self) -> std::result::Result<Arc<image::DynamicImage>, String> {
        self.pixels
            .0
            .get_or_init(|| {
                let format = match self.format {
                    ImageFormat::Jpeg => image::ImageFormat::Jpeg,
                    ImageFormat::Png => image::ImageFormat::Png,
                };
                image::load_from_memory_with_format(&self.data, format)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
    }
}

/// An image's decoded pixels, shared by its clones and filled at most once. Not part of the
/// image's value: two images with the same bytes are equal whether or not they were decoded.
#[derive(Clone, Default)]
pub struct Pixels(Arc<std::sync::OnceLock<DecodeResult>>);

/// What decoding gave: the pixels, or why they could not be decoded.
type DecodeResult = std::result::Result<Arc<image::DynamicImage>, String>;

impl Pixels {
    /// Pixels already decoded (by the reader's check, which had to decode them anyway).
    pub fn from_decoded(pixels: image::DynamicImage) -> Pixels {
        Pixels(Arc::new(std::sync::OnceLock::from(Ok(Arc::new(pixels)))))
    }

    /// Whether the pixels have been decoded.
    pub fn is_decoded(&self) -> bool {
        self.0.get().is_some()
    }
}

impl PartialEq for Pixels {
    fn eq(&self, _: &Pixels) -> bool {
        true
    }
}

impl std::fmt::Debug for Pixels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_decoded() {
            "Pixels(decoded)"
        } else {
            "Pixels(not decoded)"
        })
    }
}

/// What a PNG's chunks say that a PDF needs to store its image data without decoding it
/// (`FlateDecode` with the PNG predictors): the width and height are the [`Image`]'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PngFacts {
    /// The colour type.
    pub colour: PngColour,
    /// Bits per sample: 1, 2, 4, 8 or 16, as the colour type allows.
    pub bit_depth: u8,
    /// Whether the rows are stored Adam7-interlaced.
    pub interlaced: bool,
    /// Whether a `tRNS` chunk makes some colour transparent.
    pub transparency: bool,
    /// Where the palette (the `PLTE` chunk's data, RGB triples) is in the file.
    pub palette: Option<std::ops::Range<usize>>,
    /// Where the image data (every `IDAT` chunk's data, one zlib stream together) is.
    pub image_data: Vec<std::ops::Range<usize>>,
    /// Whether that zlib stream was read whole with its checksum right, as PDF readers
    /// expect; decoders ignore the checksum, so a PNG may show while it is wrong.
    pub intact: bool,
}

impl PngFacts {
    /// Whether the image data can go into a PDF as it is stored: grey, RGB or palette without
    /// transparency, not interlaced (the PDF's PNG predictors work on plain rows), with a
    /// palette of whole RGB triples when it has one. The reader then keeps no pixels.
    pub fn stored_as_is(&self) -> bool {
        let colour = match self.colour {
            PngColour::Grey | PngColour::Rgb => true,
            PngColour::Palette => self
                .palette
                .as_ref()
                .is_some_and(|p| p.len() % 3 == 0 && (1..=256).contains(&(p.len() / 3))),
            PngColour::GreyAlpha | PngColour::RgbAlpha => false,
        };
        colour && self.plain_rows()
    }

    /// Whether the image data can go into a PDF still filtered, with its alpha taken apart
    /// row by row: grey or RGB with alpha, not interlaced. A PNG filter predicts each byte
    /// from the same byte of the pixel before and of the row above, so the colour bytes and
    /// the alpha bytes of a filtered row are each the filtered row of their own image. The
    /// reader then keeps no pixels either.
    pub fn split_as_stored(&self) -> bool {
        matches!(self.colour, PngColour::GreyAlpha | PngColour::RgbAlpha) && self.plain_rows()
    }

    /// Not interlaced, no `tRNS`, some image data.
    fn plain_rows(&self) -> bool {
        !self.interlaced && !self.transparency && !self.image_data.is_empty()
    }

    /// Bytes a filtered row of a `width`-pixel image takes: its filter type byte, then its
    /// samples packed into whole bytes.
    fn row_bytes(&self, width: u32) -> u64 {
        let channels: u64 = match self.colour {
            PngColour::Grey | PngColour::Palette => 1,
            PngColour::GreyAlpha => 2,
            PngColour::Rgb => 3,
            PngColour::RgbAlpha => 4,
        };
        1 + (u64::from(width) * channels * u64::from(self.bit_depth)).div_ceil(8)
    }

    /// Inflates the image data of `file` (the PNG these facts came from) and hands `row` each
    /// filtered row of a `width` × `height` image in turn, never holding more than one buffer
    /// of them. True when the zlib stream (its Adler-32 checked) is exactly the rows, nothing
    /// after it in any `IDAT` chunk, and `row` accepted every one; false as soon as either
    /// fails.
    pub fn each_row(
        &self,
        file: &[u8],
        width: u32,
        height: u32,
        mut row: impl FnMut(&[u8]) -> bool,
    ) -> bool {
        /// The furthest back a deflate stream refers.
        const WINDOW: usize = 32 * 1024;
        let row_bytes = self.row_bytes(width);
        let (Ok(len), Some(expected)) = (
            usize::try_from(row_bytes),
            row_bytes.checked_mul(u64::from(height)),
        ) else {
            return false;
        };
        // What is kept when the buffer is moved up (after about 256 KiB written, so the move
        // copies at most a seventh of what is inflated): the window, and the row not yet whole.
        let keep = WINDOW.max(len);
        let mut buf = vec![0u8; keep + 256 * 1024];
        let mut inflate = fdeflate::Decompressor::new();
        // Written up to `end`; the next row starts at `start`; `done` bytes before `start`.
        let (mut start, mut end, mut done) = (0usize, 0usize, 0u64);
        let mut chunks = self.image_data.iter().filter(|r| !r.is_empty()).peekable();
        let mut input: &[u8] = &[];
        loop {
            if input.is_empty()
                && let Some(r) = chunks.next()
            {
                match file.get(r.clone()) {
                    Some(chunk) => input = chunk,
                    None => return false,
                }
            }
            if buf.len() - end < WINDOW {
                let from = start.min(end.saturating_sub(WINDOW));
                buf.copy_within(from..end, 0);
                (start, end) = (start - from, end - from);
            }
            let last = chunks.peek().is_none();
            let Ok((read, written)) = inflate.read(input, &mut buf, end, last) else {
                return false;
            };
            input = &input[read..];
            end += written;
            if done + (end - start) as u64 > expected {
                return false;
            }
            while end - start >= len {
                if !row(&buf[start..start + len]) {
                    return false;
                }
                start += len;
                done += len as u64;
            }
            if inflate.is_done() {
                return done == expected && end == start && input.is_empty() && last;
            }
            // No progress with room to write: the data ran out before the stream's end.
            if read == 0 && written == 0 {
                return false;
            }
        }
    }
}

/// A PNG colour type (PNG specification, 11.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PngColour {
    /// Greyscale (type 0).
    Grey,
    /// RGB (type 2).
    Rgb,
    /// Palette indices (type 3).
    Palette,
    /// Greyscale with alpha (type 4).
    GreyAlpha,
    /// RGB with alpha (type 6).
    RgbAlpha,
}

/// What a JPEG's headers say that a PDF needs to store it unchanged (`DCTDecode`): the width
/// and height are the [`Image`]'s, the sample precision is always 8 (the reader refuses others).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegFacts {
    /// Colour components: 1 grey, 3 YCbCr/RGB, 4 CMYK or YCCK.
    pub components: u8,
    /// Whether an Adobe `APP14` segment is present: Adobe-marked CMYK is stored inverted.
    pub adobe: bool,
}

/// The raster formats briefpress accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    /// JPEG (baseline or progressive; RGB, grey or CMYK).
    Jpeg,
    /// PNG (any colour type, with or without alpha).
    Png,
}

impl ImageFormat {
    /// The MIME type, as EPUB manifests and DOCX content types need it.
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Png => "png",
        }
    }
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    /// A section heading; `level` 1 is the highest inside the body (the title stands above it).
    Heading {
        /// 1, 2 or 3 (`##` is 1, `###` is 2, `####` and deeper are 3).
        level: u8,
        /// The heading text.
        content: Vec<Inline>,
    },
    /// A paragraph of running text.
    Paragraph {
        /// The paragraph text.
        content: Vec<Inline>,
    },
    /// A block quotation.
    Quote {
        /// The quoted blocks.
        blocks: Vec<Block>,
    },
    /// A bulleted or numbered list.
    List {
        /// `true` for a numbered list.
        ordered: bool,
        /// The first number of a numbered list.
        #[serde(default = "one")]
        start: u32,
        /// The items, each a sequence of blocks (a nested list is a block of its item).
        items: Vec<Vec<Block>>,
    },
    /// A picture in the body.
    Figure {
        /// The picture and its caption.
        figure: Figure,
    },
    /// A data table.
    Table {
        /// The table with its caption and source line.
        table: Table,
    },
    /// A thematic break.
    Rule,
}

fn one() -> u32 {
    1
}

/// A run of text inside a block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Inline {
    /// Plain text, exactly as written.
    Text {
        /// The characters.
        text: String,
    },
    /// Emphasised (italic) text.
    Emphasis {
        /// What is emphasised.
        content: Vec<Inline>,
    },
    /// Strong (bold) text.
    Strong {
        /// What is strong.
        content: Vec<Inline>,
    },
    /// A hyperlink.
    Link {
        /// The target URL, as written.
        url: String,
        /// The linked text.
        content: Vec<Inline>,
    },
    /// Inline code or a literal, set in the text face without change.
    Code {
        /// The characters.
        text: String,
    },
    /// A reference to a footnote.
    FootnoteRef {
        /// The label of the note in [`Article::notes`].
        id: String,
    },
    /// A hard line break the author asked for.
    LineBreak,
}

/// A footnote's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Footnote {
    /// The label the references use.
    pub id: String,
    /// The note's blocks (usually one paragraph).
    pub blocks: Vec<Block>,
}

impl Article {
    /// How often each note is cited from the body (notes citing notes are not counted): the
    /// backends list a note no body paragraph cites under their language's [`Labels::notes`] at the end.
    pub fn body_citations(&self) -> std::collections::HashMap<String, usize> {
        use std::collections::HashMap;
        fn inlines(list: &[Inline], out: &mut HashMap<String, usize>) {
            for i in list {
                match i {
                    Inline::FootnoteRef { id } => *out.entry(id.clone()).or_default() += 1,
                    Inline::Emphasis { content }
                    | Inline::Strong { content }
                    | Inline::Link { content, .. } => inlines(content, out),
                    Inline::Text { .. } | Inline::Code { .. } | Inline::LineBreak => {}
                }
            }
        }
        let mut out = HashMap::new();
        walk::each_inline_run(&self.blocks, &mut |run| inlines(run, &mut out));
        out
    }

    /// The 1-based number of the note labelled `id`, as every backend prints it.
    pub fn note_number(&self, id: &str) -> Option<usize> {
        self.notes.iter().position(|n| n.id == id).map(|i| i + 1)
    }

    /// The names of the authors, or the publisher as corporate author when there are none.
    pub fn creators(&self, theme_publisher: &str) -> Vec<String> {
        if self.meta.authors.is_empty() {
            vec![self.publisher(theme_publisher).to_owned()]
        } else {
            self.meta.authors.iter().map(|a| a.name.clone()).collect()
        }
    }

    /// The publisher the article names, else the theme's.
    pub fn publisher<'a>(&'a self, theme_publisher: &'a str) -> &'a str {
        self.meta.publisher.as_deref().unwrap_or(theme_publisher)
    }

    /// Every figure with an image, the lead photo first, in reading order.
    pub fn figures<'a>(&'a self) -> Vec<&'a Figure> {
        let mut out: Vec<&Figure> = self.photo.iter().collect();
        let mut figure = |b: &'a Block| {
            if let Block::Figure { figure } = b {
                out.push(figure);
            }
        };
        walk::each_block(&self.blocks, &mut figure);
        for n in &self.notes {
            walk::each_block(&n.blocks, &mut figure);
        }
        out
    }
}

/// The plain text of some inlines: what a reader would copy out, footnote references dropped,
/// line breaks as spaces.
pub fn plain_text(inlines: &[Inline]) -> String {
    fn walk(inlines: &[Inline], out: &mut String) {
        for i in inlines {
            match i {
                Inline::Text { text } | Inline::Code { text } => out.push_str(text),
                Inline::Emphasis { content }
                | Inline::Strong { content }
                | Inline::Link { content, .. } => walk(content, out),
                Inline::FootnoteRef { .. } => {}
                Inline::LineBreak => out.push(' '),
            }
        }
    }
    let mut out = String::new();
    walk(inlines, &mut out);
    out
}
