//! The finishing step: rewrites the package epub-builder 0.8.2 wrote, closing what its API cannot
//! express, and repacks the zip so the bytes depend on the content alone.
//!
//! What epub-builder cannot do, and what this step does instead (each patch fails loudly if the
//! text it anchors on is missing, so a changed epub-builder template is caught by the tests
//! rather than silently shipped):
//! - `content.opf` has no `dc:publisher` (no metadata key for it): inserted before
//!   `dcterms:modified`;
//! - `dc:identifier` is always `urn:uuid:…`: replaced by the article's own identifier when it
//!   has one;
//! - the package has no `xml:lang` (DAISY Ace: serious `epub-lang`): added;
//! - `nav.xhtml` has no `lang` / `xml:lang` (its template hard-codes the root element), no
//!   `role="doc-toc"` on the `toc` nav and two unlabelled navigation landmarks (Ace:
//!   `epub-type-has-matching-role`, `landmark-unique`): added, labelled, landmarks hidden;
//! - `toc.ncx` has no `dtb:uid` (the NCX must repeat the package identifier), a `dtb:depth`
//!   fixed at 1 whatever the nesting, and the table of contents' name as `docTitle`: the
//!   identifier is added, the depth corrected, the book's title put in `docTitle`.
//!
//! The repacked zip has `mimetype` first, stored, without extra field; every entry dated
//! 1980-01-01 00:00 (the zip epoch), in epub-builder's order; images stored (they are
//! compressed already), the rest deflated. The files the backend made itself ([`File`]) were
//! given to epub-builder as empty placeholders; their bytes go in here, compressed once.

use crate::error::{Error, Result};
use crate::render::archive::{Method, ZipOut};
use crate::render::xml::escape;
use std::borrow::Cow;
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// The package document's path, as epub-builder's `container.xml` names it.
const OPF: &str = "OEBPS/content.opf";
/// The navigation document's path.
const NAV: &str = "OEBPS/nav.xhtml";
/// The root element of epub-builder 0.8.2's `templates/v3/nav.xhtml`.
const NAV_ROOT: &str =
    "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">";
/// The `toc` nav of that template.
const NAV_TOC: &str = "<nav epub:type = \"toc\" id=\"toc\">";
/// The `landmarks` nav of that template.
const NAV_LANDMARKS: &str = "<nav epub:type = \"landmarks\">";
/// The root element of `templates/v3/content.opf`.
const OPF_ROOT: &str = "<package version=\"3.0\" xmlns=\"http://www.idpf.org/2007/opf\" unique-identifier=\"epub-id-1\">";
/// The line of `templates/v3/content.opf` the publisher goes before.
const OPF_MODIFIED: &str = "    <meta property=\"dcterms:modified\">";
/// The identifier element of `templates/v3/content.opf`.
const OPF_ID_OPEN: &str = "<dc:identifier id=\"epub-id-1\">";
/// The NCX's path.
const NCX: &str = "OEBPS/toc.ncx";
/// The depth line of `templates/toc.ncx`.
const NCX_DEPTH: &str = "<meta name=\"dtb:depth\" content=\"1\" />";
/// The start of the `docTitle` of `templates/toc.ncx`.
const NCX_TITLE_OPEN: &str = "<docTitle>\n    <text>";

/// A file whose bytes the finishing step writes in place of epub-builder's empty placeholder.
pub(super) struct File<'a> {
    /// The path inside the zip (`OEBPS/…`).
    pub path: String,
    /// The file's bytes.
    pub data: &'a [u8],
}

/// What the finishing step writes, as plain (unescaped) text.
pub(super) struct Patch<'a> {
    /// The publisher, for `dc:publisher`.
    pub publisher: &'a str,
    /// The book's identifier, for `dc:identifier` and the NCX's `dtb:uid`.
    pub identifier: &'a str,
    /// The BCP 47 language tag for the navigation document.
    pub lang: &'a str,
    /// The book's title, for the NCX's `docTitle`.
    pub title: &'a str,
    /// How deep the table of contents nests (1 = no nesting), for the NCX's `dtb:depth`.
    pub toc_depth: usize,
    /// The accessible name of the landmarks nav, in the book's language.
    pub landmarks_label: &'a str,
}

/// Reads epub-builder's zip, patches the package and navigation documents, puts in the bytes
/// of `files`, and writes the final EPUB.
pub(super) fn finish(raw: &[u8], patch: &Patch<'_>, files: &[File<'_>]) -> Result<Vec<u8>> {
    let err = |m: String| Error::render("epub", m);
    let mut zin = ZipArchive::new(Cursor::new(raw))
        .map_err(|e| err(format!("re-reading the package: {e}")))?;
    let mut zout = ZipOut::new();
    zout.add("mimetype", b"application/epub+zip", Method::Stored)
        .map_err(err)?;

    let mut placed = vec![false; files.len()];
    for i in 0..zin.len() {
        let mut entry = zin
            .by_index(i)
            .map_err(|e| err(format!("re-reading the package: {e}")))?;
        let name = entry.name().to_owned();
        if name == "mimetype" || entry.is_dir() {
            continue;
        }
        let data: Cow<'_, [u8]> = match files.iter().position(|f| f.path == name) {
            Some(k) => {
                placed[k] = true;
                Cow::Borrowed(files[k].data)
            }
            None => {
                let mut data = Vec::new();
                entry
                    .read_to_end(&mut data)
                    .map_err(|e| err(format!("re-reading {name}: {e}")))?;
                Cow::Owned(match name.as_str() {
                    OPF => patch_opf(&utf8(&name, data)?, patch)?.into_bytes(),
                    NAV => patch_nav(&utf8(&name, data)?, patch)?.into_bytes(),
                    NCX => patch_ncx(&utf8(&name, data)?, patch)?.into_bytes(),
                    _ => data,
                })
            }
        };
        let compressed_already = [".jpg", ".jpeg", ".png"].iter().any(|x| name.ends_with(x));
        let method = if compressed_already {
            Method::Stored
        } else {
            Method::Deflated
        };
        zout.add(&name, &data, method).map_err(err)?;
    }
    if let Some(k) = placed.iter().position(|p| !p) {
        return Err(err(format!(
            "epub-builder wrote no `{}`; the finishing step needs updating",
            files[k].path
        )));
    }
    zout.finish().map_err(err)
}

fn utf8(name: &str, data: Vec<u8>) -> Result<String> {
    String::from_utf8(data).map_err(|_| Error::render("epub", format!("{name} is not UTF-8")))
}

/// `text` with the first `anchor` replaced, or an error naming the file when epub-builder's
/// template no longer has it.
fn replace_once(text: &str, file: &str, anchor: &str, with: &str) -> Result<String> {
    if !text.contains(anchor) {
        return Err(Error::render(
            "epub",
            format!("epub-builder's {file} lacks `{anchor}`; the finishing step needs updating"),
        ));
    }
    Ok(text.replacen(anchor, with, 1))
}

/// Replaces the text of the element that starts with `open` (up to the next `</`).
fn replace_text(text: &str, file: &str, open: &str, with: &str) -> Result<String> {
    let missing = || Error::render("epub", format!("epub-builder's {file} lacks `{open}`"));
    let start = text.find(open).ok_or_else(missing)? + open.len();
    let len = text[start..].find("</").ok_or_else(missing)?;
    let mut out = text.to_owned();
    out.replace_range(start..start + len, &escape(with));
    Ok(out)
}

/// Declares the language on the package, adds `dc:publisher`, writes the book's identifier.
fn patch_opf(opf: &str, patch: &Patch<'_>) -> Result<String> {
    let lang = escape(patch.lang);
    let root = format!("{} xml:lang=\"{lang}\">", OPF_ROOT.trim_end_matches('>'));
    let opf = replace_once(opf, "content.opf", OPF_ROOT, &root)?;
    let publisher = format!(
        "    <dc:publisher>{}</dc:publisher>\n{OPF_MODIFIED}",
        escape(patch.publisher)
    );
    let opf = replace_once(&opf, "content.opf", OPF_MODIFIED, &publisher)?;
    replace_text(&opf, "content.opf", OPF_ID_OPEN, patch.identifier)
}

/// Gives the NCX the package identifier, its real depth and the book's title.
fn patch_ncx(ncx: &str, patch: &Patch<'_>) -> Result<String> {
    let head = format!(
        "<meta name=\"dtb:uid\" content=\"{}\" />\n    <meta name=\"dtb:depth\" content=\"{}\" />",
        escape(patch.identifier),
        patch.toc_depth.max(1)
    );
    let ncx = replace_once(ncx, "toc.ncx", NCX_DEPTH, &head)?;
    replace_text(&ncx, "toc.ncx", NCX_TITLE_OPEN, patch.title)
}

/// Puts the book's language on the navigation document's root element, gives the `toc` nav
/// its ARIA role and label (its heading), and labels and hides the landmarks nav (a list for
/// reading systems, not for reading), so no two navigation landmarks look alike.
fn patch_nav(nav: &str, patch: &Patch<'_>) -> Result<String> {
    let lang = escape(patch.lang);
    let root = format!(
        "{} lang=\"{lang}\" xml:lang=\"{lang}\">",
        NAV_ROOT.trim_end_matches('>')
    );
    let nav = replace_once(nav, "nav.xhtml", NAV_ROOT, &root)?;
    let toc = format!(
        "{} role=\"doc-toc\" aria-labelledby=\"toc-title\">",
        NAV_TOC.trim_end_matches('>')
    );
    let nav = replace_once(&nav, "nav.xhtml", NAV_TOC, &toc)?;
    let landmarks = format!(
        "{} aria-label=\"{}\" hidden=\"hidden\">",
        NAV_LANDMARKS.trim_end_matches('>'),
        escape(patch.landmarks_label)
    );
    replace_once(&nav, "nav.xhtml", NAV_LANDMARKS, &landmarks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch() -> Patch<'static> {
        Patch {
            publisher: "P",
            identifier: "urn:uuid:x",
            lang: "en",
            title: "T",
            toc_depth: 1,
            landmarks_label: "Landmarks",
        }
    }

    #[test]
    fn publisher_goes_before_modified_and_is_escaped() {
        let opf = format!(
            "{OPF_ROOT}<dc:identifier id=\"epub-id-1\">urn:uuid:x</dc:identifier>\n{OPF_MODIFIED}t</meta>"
        );
        let p = Patch {
            identifier: "doi:10/1&2",
            publisher: "A & <B>",
            ..patch()
        };
        let out = patch_opf(&opf, &p).unwrap();
        assert!(out.contains("<dc:publisher>A &amp; &lt;B&gt;</dc:publisher>\n    <meta property=\"dcterms:modified\">"));
        assert!(out.contains(">doi:10/1&amp;2</dc:identifier>"));
    }

    #[test]
    fn a_file_epub_builder_held_no_place_for_is_an_error() {
        let mut raw = ZipOut::new();
        raw.add("mimetype", b"application/epub+zip", Method::Stored)
            .unwrap();
        let raw = raw.finish().unwrap();
        let files = [File {
            path: "OEBPS/stylesheet.css".into(),
            data: b"p {}",
        }];
        let err = finish(&raw, &patch(), &files).unwrap_err().to_string();
        assert!(err.contains("OEBPS/stylesheet.css"), "{err}");
    }

    #[test]
    fn a_changed_template_is_an_error_not_a_silent_skip() {
        let p = patch();
        assert!(patch_opf("<package/>", &p).is_err());
        assert!(patch_nav("<html>", &p).is_err());
        assert!(patch_ncx("<ncx/>", &p).is_err());
    }
}
