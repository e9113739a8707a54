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

/// The fonts of the theme that may be embedded (none unless `embed_fonts_in_epub`).
pub(super) fn embedded(theme: &Theme, warnings: &mut Vec<Warning>) -> Embedded {
    let mut out = Embedded::default();
    if !theme.embed_fonts_in_epub {
        return out;
    }
    let mut used = [false; 2];
    for (i, (family, role)) in [(&theme.serif, "serif"), (&theme.sans, "sans")]
        .into_iter()
        .enumerate()
    {
        used[i] = add_family(&mut out, family, role, warnings);
    }
    // Apply a family only when at least one of its faces is in the book; the generic family
    // after it keeps the reader's fallback.
    if used[0] {
        out.css.push_str(&format!(
            "body {{ font-family: {}, serif; }}\n",
            css_string(&theme.serif.name)
        ));
    }
    if used[1] {
        out.css.push_str(&format!(
            "h1, h2, h3, h4, .title-block, figcaption, caption {{ font-family: {}, sans-serif; }}\n",
            css_string(&theme.sans.name)
        ));
    }
    out
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
