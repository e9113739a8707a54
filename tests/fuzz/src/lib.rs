//! What the fuzz targets share: the in-memory images a source may name, a runner that gives each
//! input the stack the CLI's worker threads have, and the checks on a pipeline's outputs.

use briefpress::read::{self, Loaded, MemoryAssets, SourceFormat};
use briefpress::render::Format;
use briefpress::theme::Theme;
use std::io::{Cursor, Read};
use std::sync::OnceLock;

/// The stem readers are given; `brief.jpg` is the `.txt` reader's photo.
pub const STEM: &str = "brief";

/// The stack each input runs on: 2 MiB is Rust's default for spawned threads, which is what the
/// CLI's rayon workers (and `cargo test` threads) get, so a recursion that fits libFuzzer's 8 MiB
/// main thread but not a worker is still caught. `BRIEFPRESS_FUZZ_STACK_KB` overrides it (an
/// AddressSanitizer build needs more for the same depth).
fn stack_bytes() -> usize {
    static STACK: OnceLock<usize> = OnceLock::new();
    *STACK.get_or_init(|| {
        std::env::var("BRIEFPRESS_FUZZ_STACK_KB")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .map_or(2 * 1024 * 1024, |kb| kb * 1024)
    })
}

/// Runs `f` on a fresh thread with [`stack_bytes`] of stack; a panic there aborts the process
/// (libfuzzer-sys's panic hook), which libFuzzer records as a crash.
pub fn on_worker_stack<F: FnOnce() + Send>(f: F) {
    std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .stack_size(stack_bytes())
            .spawn_scoped(s, f)
            .expect("spawn a fuzzing thread");
        let _ = handle.join();
    });
}

fn encode(img: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format)
        .expect("encode a test image");
    out
}

/// The images every source may name: small valid PNGs (with alpha, and grey) and JPEGs (RGB and
/// grey) under the names the seed corpus uses, plus a truncated PNG and a file that is not an
/// image, so both the image paths and their error paths run. Tiny on purpose: a fuzzer input
/// should spend its time in our code, not in scaling photos.
pub fn assets() -> &'static MemoryAssets {
    static ASSETS: OnceLock<MemoryAssets> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let rgba = image::DynamicImage::ImageRgba8(image::RgbaImage::from_fn(6, 4, |x, y| {
            image::Rgba([(x * 40) as u8, (y * 60) as u8, 160, (100 + x * 20) as u8])
        }));
        let rgb = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(8, 8, |x, y| {
            image::Rgb([(x * 30) as u8, (y * 30) as u8, 90])
        }));
        let grey = image::DynamicImage::ImageLuma8(image::GrayImage::from_fn(8, 6, |x, y| {
            image::Luma([((x + y) * 16) as u8])
        }));
        let png = encode(rgba, image::ImageFormat::Png);
        let jpg = encode(rgb, image::ImageFormat::Jpeg);
        let grey_jpg = encode(grey.clone(), image::ImageFormat::Jpeg);
        let grey_png = encode(grey, image::ImageFormat::Png);
        let truncated = png[..png.len() / 2].to_vec();
        let mut files = vec![
            ("a.png".to_owned(), png.clone()),
            ("b.jpg".to_owned(), jpg.clone()),
            ("c.png".to_owned(), grey_png),
            ("img/d.jpeg".to_owned(), grey_jpg.clone()),
            ("truncated.png".to_owned(), truncated),
            (
                "not-an-image.jpg".to_owned(),
                b"GIF89a, or rather not".to_vec(),
            ),
            (format!("{STEM}.jpg"), jpg.clone()),
            // the names the sample briefs and conformance fixtures use
            ("us-colombia-ties.jpg".to_owned(), jpg.clone()),
            ("alpha-diagram.png".to_owned(), png.clone()),
            ("cmyk-chart.jpg".to_owned(), jpg.clone()),
            ("grey-map.jpg".to_owned(), grey_jpg.clone()),
            ("informe-breve.jpg".to_owned(), jpg),
        ];
        files.sort();
        MemoryAssets(files)
    })
}

/// Reads `bytes` as `format` with [`assets`]. Errors are fine (a hostile source gets one clear
/// message); what must never happen is a panic, an overflow or a hang.
pub fn read(format: SourceFormat, bytes: &[u8]) -> briefpress::error::Result<Loaded> {
    read::read(format, bytes, STEM, assets())
}

/// The source format a pipeline input names with its first byte: `m`, `t` or `j` (what the
/// seeds use), any other byte by its value modulo 3.
pub fn split_format(data: &[u8]) -> Option<(SourceFormat, &[u8])> {
    let (&first, rest) = data.split_first()?;
    let format = match first {
        b'm' => SourceFormat::Markdown,
        b't' => SourceFormat::Text,
        b'j' => SourceFormat::Json,
        other => [
            SourceFormat::Markdown,
            SourceFormat::Text,
            SourceFormat::Json,
        ][usize::from(other) % 3],
    };
    Some((format, rest))
}

/// Whether a ZIP member is XML that must parse.
fn is_xml_part(name: &str) -> bool {
    [".xml", ".rels", ".xhtml", ".opf", ".ncx"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Parses every XML part of a DOCX or EPUB; panics naming the part and the parser's complaint.
pub fn assert_xml_parts_well_formed(format: Format, bytes: &[u8]) {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .unwrap_or_else(|e| panic!("{format:?} is not a ZIP: {e}"));
    let mut xml_parts = 0;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .unwrap_or_else(|e| panic!("{format:?} member {i}: {e}"));
        let name = entry.name().to_owned();
        if !is_xml_part(&name) {
            continue;
        }
        let mut text = String::new();
        entry
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{format:?} {name} is not UTF-8 text: {e}"));
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        if let Err(e) = roxmltree::Document::parse_with_options(&text, options) {
            panic!("{format:?} {name} is not well-formed XML: {e}");
        }
        xml_parts += 1;
    }
    assert!(xml_parts > 0, "{format:?} has no XML parts");
}

/// Renders a loaded article in all three formats with the default theme and checks each output:
/// every backend must succeed on what a reader accepted, the PDF must load, and the DOCX and EPUB
/// XML parts must be well-formed.
pub fn render_all_and_check(loaded: &Loaded) {
    static THEME: OnceLock<Theme> = OnceLock::new();
    let theme = THEME.get_or_init(Theme::default);
    for format in Format::ALL {
        let rendered = format
            .render(&loaded.article, theme)
            .unwrap_or_else(|e| panic!("{format:?} failed on an accepted source: {e}"));
        match format {
            Format::Pdf => {
                if let Err(e) = lopdf::Document::load_mem(&rendered.bytes) {
                    panic!("the PDF does not load: {e}");
                }
            }
            Format::Docx | Format::Epub => assert_xml_parts_well_formed(format, &rendered.bytes),
        }
    }
}
