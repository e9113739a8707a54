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
//! - `nav.xhtml` has no `lang` / `xml:lang` (its template hard-codes the root element): added;
//! - `toc.ncx` has no `dtb:uid` (the NCX must repeat the package identifier), a `dtb:depth`
//!   fixed at 1 whatever the nesting, and the table of contents' name as `docTitle`: the
//!   identifier is added, the depth corrected, the book's title put in `docTitle`.
//!
//! The repacked zip has `mimetype` first, stored, without extra field; every entry dated
//! 1980-01-01 00:00 (the zip epoch), in epub-builder's order; images stored (they are
//! compressed already), the rest deflated.

use crate::error::{Error, Result};
use crate::render::xml::escape;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// The package document's path, as epub-builder's `container.xml` names it.
const OPF: &str = "OEBPS/content.opf";
/// The navigation document's path.
const NAV: &str = "OEBPS/nav.xhtml";
/// The root element of epub-builder 0.8.2's `templates/v3/nav.xhtml`.
const NAV_ROOT: &str =
    "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">";
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
}

/// Reads epub-builder's zip, patches the package and navigation documents, and writes the
/// final EPUB.
pub(super) fn finish(raw: &[u8], patch: &Patch<'_>) -> Result<Vec<u8>> {
    let err = |m: String| Error::render("epub", m);
    let mut zin = ZipArchive::new(Cursor::new(raw))
        .map_err(|e| err(format!("re-reading the package: {e}")))?;
    let mut zout = ZipWriter::new(Cursor::new(Vec::new()));
    let stamp = DateTime::default();
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(stamp);
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(stamp);

    zout.start_file("mimetype", stored)
        .map_err(|e| err(e.to_string()))?;
    zout.write_all(b"application/epub+zip")
        .map_err(|e| err(e.to_string()))?;

    for i in 0..zin.len() {
        let mut entry = zin
            .by_index(i)
            .map_err(|e| err(format!("re-reading the package: {e}")))?;
        let name = entry.name().to_owned();
        if name == "mimetype" || entry.is_dir() {
            continue;
        }
        let mut data = Vec::new();
        entry
            .read_to_end(&mut data)
            .map_err(|e| err(format!("re-reading {name}: {e}")))?;
        let data = match name.as_str() {
            OPF => patch_opf(&utf8(&name, data)?, patch)?.into_bytes(),
            NAV => patch_nav(&utf8(&name, data)?, patch)?.into_bytes(),
            NCX => patch_ncx(&utf8(&name, data)?, patch)?.into_bytes(),
            _ => data,
        };
        let compressed_already = [".jpg", ".jpeg", ".png"].iter().any(|x| name.ends_with(x));
        zout.start_file(
            name.as_str(),
            if compressed_already { stored } else { deflated },
        )
        .map_err(|e| err(e.to_string()))?;
        zout.write_all(&data).map_err(|e| err(e.to_string()))?;
    }
    let out = zout.finish().map_err(|e| err(e.to_string()))?;
    Ok(out.into_inner())
}

fn utf8(name: &str, data: Vec<u8>) -> Result<String> {
    String::from_utf8(data).map_err(|_| Error::render("epub", format!("{name} is not UTF-8")))
}

/// Adds `dc:publisher` and writes the book's identifier.
fn patch_opf(opf: &str, patch: &Patch<'_>) -> Result<String> {
    let missing = |what: &str| {
        Error::render(
            "epub",
            format!("epub-builder's content.opf has no {what}; the finishing step needs updating"),
        )
    };
    let at = opf
        .find(OPF_MODIFIED)
        .ok_or_else(|| missing("dcterms:modified"))?;
    let mut out = String::with_capacity(opf.len() + 256);
    out.push_str(&opf[..at]);
    out.push_str(&format!(
        "    <dc:publisher>{}</dc:publisher>\n",
        escape(patch.publisher)
    ));
    out.push_str(&opf[at..]);
    let start = out
        .find(OPF_ID_OPEN)
        .ok_or_else(|| missing("dc:identifier"))?
        + OPF_ID_OPEN.len();
    let len = out[start..]
        .find("</dc:identifier>")
        .ok_or_else(|| missing("dc:identifier end"))?;
    out.replace_range(start..start + len, &escape(patch.identifier));
    Ok(out)
}

/// Gives the NCX the package identifier, its real depth and the book's title.
fn patch_ncx(ncx: &str, patch: &Patch<'_>) -> Result<String> {
    let missing = |what: &str| {
        Error::render(
            "epub",
            format!("epub-builder's toc.ncx has no {what}; the finishing step needs updating"),
        )
    };
    if !ncx.contains(NCX_DEPTH) {
        return Err(missing("dtb:depth"));
    }
    let head = format!(
        "<meta name=\"dtb:uid\" content=\"{}\" />\n    <meta name=\"dtb:depth\" content=\"{}\" />",
        escape(patch.identifier),
        patch.toc_depth.max(1)
    );
    let mut out = ncx.replacen(NCX_DEPTH, &head, 1);
    let start = out
        .find(NCX_TITLE_OPEN)
        .ok_or_else(|| missing("docTitle"))?
        + NCX_TITLE_OPEN.len();
    let len = out[start..]
        .find("</text>")
        .ok_or_else(|| missing("docTitle end"))?;
    out.replace_range(start..start + len, &escape(patch.title));
    Ok(out)
}

/// Puts the book's language on the navigation document's root element.
fn patch_nav(nav: &str, patch: &Patch<'_>) -> Result<String> {
    if !nav.contains(NAV_ROOT) {
        return Err(Error::render(
            "epub",
            "epub-builder's nav.xhtml has an unexpected root element; the finishing step needs updating",
        ));
    }
    let lang = escape(patch.lang);
    let root = format!(
        "{} lang=\"{lang}\" xml:lang=\"{lang}\">",
        &NAV_ROOT[..NAV_ROOT.len() - 1]
    );
    Ok(nav.replacen(NAV_ROOT, &root, 1))
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
        }
    }

    #[test]
    fn publisher_goes_before_modified_and_is_escaped() {
        let opf = "<dc:identifier id=\"epub-id-1\">urn:uuid:x</dc:identifier>\n    <meta property=\"dcterms:modified\">t</meta>";
        let p = Patch {
            identifier: "doi:10/1&2",
            publisher: "A & <B>",
            ..patch()
        };
        let out = patch_opf(opf, &p).unwrap();
        assert!(out.contains("<dc:publisher>A &amp; &lt;B&gt;</dc:publisher>\n    <meta property=\"dcterms:modified\">"));
        assert!(out.contains(">doi:10/1&amp;2</dc:identifier>"));
    }

    #[test]
    fn a_changed_template_is_an_error_not_a_silent_skip() {
        let p = patch();
        assert!(patch_opf("<package/>", &p).is_err());
        assert!(patch_nav("<html>", &p).is_err());
        assert!(patch_ncx("<ncx/>", &p).is_err());
    }
}
