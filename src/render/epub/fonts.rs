//! The theme's fonts as files of the book, when the theme asks to embed them and each font's
//! own embedding permission allows it, with the `@font-face` rules that name them.
//!
//! The rule, from the OS/2 table's `fsType` (OpenType spec, "OS/2 — fsType"):
//! - **installable** (0), **preview & print** (bit 2) and **editable** (bit 3) are embedded. An
//!   EPUB is a document a reading system displays and may print but does not edit, which is
//!   exactly what "preview & print" grants; the other two grant more.
//! - **restricted licence** (bit 1, with none of the bits above) and **bitmap embedding only**
//!   (bit 9) are not: the book would ship outlines the vendor forbade. Such a face is left out
//!   with a warning, and the reader's own face stands in.
//! - **no subsetting** (bit 8) does not matter: the file is embedded whole.
//! - A font without an OS/2 table says nothing about its licence: not embedded, with a warning.
//!
//! The licence text itself (OFL or other) is the theme author's to check: `fsType` is what the
//! font's maker declared inside the file, the only machine-readable statement there is.

use crate::error::Warning;
use crate::layout::fonts::{Family, Origin};
use crate::layout::{FaceId, FontBook};
use crate::theme::{FontFamily, Theme};

/// `fsType` bit 1: restricted licence embedding.
const RESTRICTED: u16 = 0x0002;
/// `fsType` bit 2: preview & print embedding.
const PREVIEW_PRINT: u16 = 0x0004;
/// `fsType` bit 3: editable embedding.
const EDITABLE: u16 = 0x0008;
/// `fsType` bit 9: bitmap embedding only.
const BITMAP_ONLY: u16 = 0x0200;

/// One font file of the book.
pub(super) struct FontFile {
    /// Path inside the package, relative to the package document.
    pub href: String,
    /// The file's bytes.
    pub data: Vec<u8>,
    /// The media type (`font/ttf` or `font/otf`, EPUB 3.2 core media types).
    pub mime: &'static str,
}

/// The fonts to embed and the CSS that uses them.
#[derive(Default)]
pub(super) struct Embedded {
    /// The font files, each once.
    pub files: Vec<FontFile>,
    /// `@font-face` rules and the rules that apply the families, to prepend to the stylesheet.
    pub css: String,
}

/// Whether a font's `fsType` allows embedding in a book (see the module comment).
pub(super) fn embedding_allowed(fs_type: u16) -> bool {
    if fs_type & BITMAP_ONLY != 0 {
        return false;
    }
    fs_type & RESTRICTED == 0 || fs_type & (PREVIEW_PRINT | EDITABLE) != 0
}

/// The font's `fsType`, or `None` when it has no readable OS/2 table.
fn fs_type(font: &[u8]) -> Option<u16> {
    use skrifa::raw::TableProvider;
    let os2 = skrifa::FontRef::new(font).ok()?.os2().ok()?;
    Some(os2.fs_type())
}

/// Every string of an article (text, titles, captions, notes): what the book's text may hold,
/// for finding the fallback faces it needs. A superset (keys of the model are left out, but
/// addresses and paths are in); they are ASCII, which the theme's faces have.
pub(crate) fn article_text(article: &crate::article::Article) -> String {
    fn walk(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::String(s) => {
                out.push_str(s);
                out.push(' ');
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    if let Ok(v) = serde_json::to_value(article) {
        walk(&v, &mut out);
    }
    out
}

/// The largest fallback face file embedded (a CJK face is 10–20 MB; the reader's own stands in).
const MAX_FALLBACK_BYTES: usize = 4 * 1024 * 1024;

/// The fonts of the theme that may be embedded (none unless `embed_fonts_in_epub`), and the
/// fallback faces `text` needs: named in the CSS after each theme family (so a reader draws
/// each character from the first of them that has it), and embedded too when the theme embeds
/// its fonts and the face's permission, size and format allow.
pub(super) fn embedded(
    theme: &Theme,
    text: &str,
    language: &str,
    warnings: &mut Vec<Warning>,
) -> Embedded {
    let mut out = Embedded::default();
    let fallbacks = fallback_families(theme, text, language);
    let mut used = [false; 2];
    if theme.embed_fonts_in_epub {
        for (i, (family, role)) in [(&theme.serif, "serif"), (&theme.sans, "sans")]
            .into_iter()
            .enumerate()
        {
            used[i] = add_family(&mut out, family, role, warnings);
        }
        for (n, (name, data)) in fallbacks.iter().enumerate() {
            if let Some(data) = data {
                add_fallback(&mut out, name, data, n, warnings);
            }
        }
    }
    let names: String = fallbacks
        .iter()
        .map(|(name, _)| format!(", {}", css_string(name)))
        .collect();
    // Apply a family only when at least one of its faces is in the book, or when fallback
    // faces must be named after it; the generic family last keeps the reader's fallback.
    if used[0] || !names.is_empty() {
        out.css.push_str(&format!(
            "body {{ font-family: {}{names}, serif; }}\n",
            css_string(&theme.serif.name)
        ));
    }
    if used[1] || !names.is_empty() {
        out.css.push_str(&format!(
            "h1, h2, h3, h4, .title-block, figcaption, caption {{ font-family: {}{names}, sans-serif; }}\n",
            css_string(&theme.sans.name)
        ));
    }
    out
}

/// The fallback families the text needs (the PDF's fallback order), each once, with the face's
/// file when it may be embedded: a single font file (not a collection) of the compiled-in,
/// theme or system fallbacks.
fn fallback_families(theme: &Theme, text: &str, language: &str) -> Vec<(String, Option<Vec<u8>>)> {
    let Ok(book) = FontBook::new(theme) else {
        return Vec::new();
    };
    let book = book.with_language(language);
    let mut out: Vec<(String, Option<Vec<u8>>)> = Vec::new();
    let mut seen: Vec<FaceId> = Vec::new();
    for family in [Family::Serif, Family::Sans] {
        for id in book.fallback_faces(FaceId::of(family, false, false), text) {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            let face = book.face(id);
            if out.iter().any(|(n, _)| *n == face.family) {
                continue;
            }
            let single = face.index == 0 && !face.data.starts_with(b"ttcf");
            let data = (single && face.origin != Origin::Theme).then(|| face.data.to_vec());
            out.push((face.family.clone(), data));
        }
    }
    out
}

/// Adds one fallback face, whole, when its permission and size allow.
fn add_fallback(
    out: &mut Embedded,
    name: &str,
    data: &[u8],
    n: usize,
    warnings: &mut Vec<Warning>,
) {
    if !fs_type(data).is_some_and(embedding_allowed) {
        warnings.push(Warning::new(format!(
            "epub: fallback font {name} is not embedded: its embedding permission does not allow it"
        )));
        return;
    }
    if data.len() > MAX_FALLBACK_BYTES {
        warnings.push(Warning::new(format!(
            "epub: fallback font {name} is not embedded: {} MB is more than a book should carry; the reader's own font stands in",
            data.len() / (1024 * 1024)
        )));
        return;
    }
    let (ext, mime) = if data.starts_with(b"OTTO") {
        ("otf", "font/otf")
    } else {
        ("ttf", "font/ttf")
    };
    let href = format!("fonts/fallback-{}.{ext}", n + 1);
    out.files.push(FontFile {
        href: href.clone(),
        data: data.to_vec(),
        mime,
    });
    out.css.push_str(&format!(
        "@font-face {{ font-family: {}; src: url(\"{href}\"); }}\n",
        css_string(name)
    ));
}

/// Adds the four faces of a family (a face whose bytes equal an earlier one's shares its
/// file); returns whether any face was embedded.
fn add_family(
    out: &mut Embedded,
    family: &FontFamily,
    role: &str,
    warnings: &mut Vec<Warning>,
) -> bool {
    let mut any = false;
    for (bold, italic, style_name) in [
        (false, false, "regular"),
        (false, true, "italic"),
        (true, false, "bold"),
        (true, true, "bold-italic"),
    ] {
        let data = family.face(bold, italic);
        match fs_type(data) {
            Some(t) if embedding_allowed(t) => {}
            Some(t) => {
                warnings.push(Warning::new(format!(
                    "epub: {} {style_name} is not embedded: its embedding permission (OS/2 fsType {t:#06x}) does not allow it",
                    family.name
                )));
                continue;
            }
            None => {
                warnings.push(Warning::new(format!(
                    "epub: {} {style_name} is not embedded: the font declares no embedding permission (no OS/2 table)",
                    family.name
                )));
                continue;
            }
        }
        let href = match out
            .files
            .iter()
            .find(|f| f.data.as_slice() == data.as_ref())
        {
            Some(f) => f.href.clone(),
            None => {
                let (ext, mime) = if data.starts_with(b"OTTO") {
                    ("otf", "font/otf")
                } else {
                    ("ttf", "font/ttf")
                };
                let href = format!("fonts/{role}-{style_name}.{ext}");
                out.files.push(FontFile {
                    href: href.clone(),
                    data: data.to_vec(),
                    mime,
                });
                href
            }
        };
        // The stylesheet sits beside `fonts/` in the package folder.
        out.css.push_str(&format!(
            "@font-face {{ font-family: {}; font-weight: {}; font-style: {}; src: url(\"{href}\"); }}\n",
            css_string(&family.name),
            if bold { "bold" } else { "normal" },
            if italic { "italic" } else { "normal" },
        ));
        any = true;
    }
    any
}

/// A CSS string literal: quoted, with quotes, backslashes and line breaks escaped.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push_str("\\a "),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installable_print_and_editable_embed_restricted_and_bitmap_do_not() {
        assert!(embedding_allowed(0));
        assert!(embedding_allowed(PREVIEW_PRINT));
        assert!(embedding_allowed(EDITABLE));
        assert!(embedding_allowed(EDITABLE | 0x0100));
        assert!(!embedding_allowed(RESTRICTED));
        assert!(!embedding_allowed(BITMAP_ONLY));
        assert!(!embedding_allowed(PREVIEW_PRINT | BITMAP_ONLY));
    }

    #[test]
    fn family_names_are_css_strings() {
        assert_eq!(css_string("Noto Serif"), "\"Noto Serif\"");
        assert_eq!(css_string("A\"B\\"), "\"A\\\"B\\\\\"");
    }
}
