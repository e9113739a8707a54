//! The finishing step: what printpdf 0.12.8 cannot write, written into its lopdf document before
//! saving (lopdf is printpdf's own dependency, so no second PDF writer is involved):
//!
//! - the Info dictionary (title, all authors, subject = summary, keywords, creator and producer
//!   "briefpress", dates from the article), replacing printpdf's, which carries epoch dates and
//!   PDF/X leftovers;
//! - an XMP metadata stream (Dublin Core title, creators, description, subjects, language;
//!   dates and ids), written and escaped here, uncompressed so tools can find it;
//! - the catalog's `/Lang` (printpdf has none);
//! - the tagged PDF's structure ([`tag`]): the structure tree from the layout's
//!   [`Structure`], its parent tree, `/MarkInfo`, each page's `/StructParents` and `/Tabs`,
//!   each link annotation as an object of its own with `/StructParent` and `/Contents`; the
//!   XMP says PDF/UA-1 (`pdfuaid:part`);
//! - a nested outline of the headings in document order, each pointing at its heading's
//!   position (printpdf's bookmarks are flat, sorted by name, and point at page tops);
//! - the trailer `/ID` from the content instead of printpdf's process-global counter, so the
//!   same article gives the same bytes in every process and on every call;
//! - the streams compressed at a fast zlib level ([`FLATE_LEVEL`]) instead of lopdf's
//!   `Document::compress`, which always uses the best (slowest) one.

use crate::layout::OutlineEntry;
use crate::layout::tag::{NodeKid, Role, Structure};
use crate::render::archive::Deflater;
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use sha2::{Digest, Sha256};

/// The zlib level of the PDF's streams. Measured on the sample's eleven streams (155 kB raw:
/// content streams and font programs) with the zlib-rs backend under callgrind: level 9 (what
/// lopdf's own `compress` uses) costs 24.2 M instructions for 48.6 kB, level 2 costs 9.1 M for
/// 56.4 kB (+7.9 kB, +6.6 % on the whole 119 kB file), level 1 4.5 M for 71.8 kB (+19 %).
/// Level 2 keeps most of the saving at a small size cost.
pub(super) const FLATE_LEVEL: u32 = 2;

/// What the Info dictionary and catalog say.
pub struct Metadata {
    /// Title.
    pub title: String,
    /// Authors (or the corporate author), joined.
    pub author: String,
    /// The same, one per entry (XMP `dc:creator`).
    pub creators: Vec<String>,
    /// The summary, if any.
    pub subject: Option<String>,
    /// Keywords, comma-separated.
    pub keywords: Option<String>,
    /// The same, one per entry (XMP `dc:subject`).
    pub keyword_list: Vec<String>,
    /// BCP 47 language.
    pub language: String,
    /// Seconds since 1970 for both dates.
    pub timestamp: i64,
    /// A content-derived identifier (the basis of `/ID`).
    pub identifier: String,
}

/// A PDF text string: PDFDocEncoding-safe ASCII as a literal, else UTF-16BE with a BOM.
fn text(s: &str) -> Object {
    if s.chars().all(|c| (' '..='~').contains(&c)) {
        return Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// `D:YYYYMMDDHHmmSSZ` for seconds since 1970 (days to civil date after Howard Hinnant's
/// `civil_from_days`).
fn pdf_date(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "D:{y:04}{m:02}{d:02}{:02}{:02}{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// `YYYY-MM-DDTHH:MM:SSZ` (ISO 8601, as XMP wants) for seconds since 1970.
fn iso_date(ts: i64) -> String {
    let d = pdf_date(ts);
    // D:YYYYMMDDHHmmSSZ
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        &d[2..6],
        &d[6..8],
        &d[8..10],
        &d[10..12],
        &d[12..14],
        &d[14..16]
    )
}

/// The XMP packet for the metadata (XMP Specification Part 1, with Dublin Core, XMP basic,
/// XMP media management and the PDF schema). Every value is XML-escaped.
pub fn xmp(meta: &Metadata) -> String {
    use crate::render::xml::escape;
    let li = |items: &[String]| -> String {
        items
            .iter()
            .map(|i| format!("<rdf:li>{}</rdf:li>", escape(i)))
            .collect()
    };
    let alt = |s: &str| {
        format!(
            "<rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt>",
            escape(s)
        )
    };
    let date = iso_date(meta.timestamp);
    let mut dc = String::new();
    dc.push_str("<dc:format>application/pdf</dc:format>");
    dc.push_str(&format!("<dc:title>{}</dc:title>", alt(&meta.title)));
    if !meta.creators.is_empty() {
        dc.push_str(&format!(
            "<dc:creator><rdf:Seq>{}</rdf:Seq></dc:creator>",
            li(&meta.creators)
        ));
    }
    if let Some(s) = &meta.subject {
        dc.push_str(&format!("<dc:description>{}</dc:description>", alt(s)));
    }
    if !meta.keyword_list.is_empty() {
        dc.push_str(&format!(
            "<dc:subject><rdf:Bag>{}</rdf:Bag></dc:subject>",
            li(&meta.keyword_list)
        ));
    }
    dc.push_str(&format!(
        "<dc:language><rdf:Bag>{}</rdf:Bag></dc:language>",
        li(std::slice::from_ref(&meta.language))
    ));
    dc.push_str(&format!(
        "<dc:date><rdf:Seq><rdf:li>{date}</rdf:li></rdf:Seq></dc:date>"
    ));
    let keywords = meta
        .keywords
        .as_deref()
        .map(|k| format!("<pdf:Keywords>{}</pdf:Keywords>", escape(k)))
        .unwrap_or_default();
    let id = escape(&meta.identifier);
    format!(
        "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
<rdf:Description rdf:about=\"\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" \
xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\" \
xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" \
xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n\
{dc}\n\
<pdfuaid:part>1</pdfuaid:part>\n\
<xmp:CreateDate>{date}</xmp:CreateDate><xmp:ModifyDate>{date}</xmp:ModifyDate>\
<xmp:MetadataDate>{date}</xmp:MetadataDate><xmp:CreatorTool>briefpress</xmp:CreatorTool>\n\
<pdf:Producer>briefpress</pdf:Producer>{keywords}\n\
<xmpMM:DocumentID>uuid:{id}</xmpMM:DocumentID><xmpMM:InstanceID>uuid:{id}</xmpMM:InstanceID>\n\
</rdf:Description>\n\
</rdf:RDF>\n\
</x:xmpmeta>\n\
<?xpacket end=\"r\"?>"
    )
}

/// What one page's content stream marked (from the painter).
pub struct Marked {
    /// Each content piece painted and its MCID.
    pub pieces: Vec<(u32, u32)>,
    /// The structure's annotation each of the page's annotations is, in their order
    /// (`u32::MAX`: none).
    pub annots: Vec<u32>,
}

/// Writes the structure tree of `tags` as the pages were `marked`: `/StructTreeRoot` with its
/// parent tree, `/MarkInfo`, and on each page `/StructParents` and `/Tabs /S`; each link
/// annotation becomes an object of its own (an OBJR must point at it) with `/StructParent` and
/// its link's description as `/Contents`. Elements with nothing painted are left out.
pub fn tag(
    doc: &mut Document,
    tags: &Structure,
    marked: &[Marked],
    language: &str,
) -> lopdf::Result<()> {
    let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let pieces = tags.owner.len();
    // Where each piece landed: a content piece's page and MCID, an annotation's page, object
    // and parent-tree key.
    let mut content_at: Vec<Option<(usize, i64)>> = vec![None; pieces];
    let mut annot_at: Vec<Option<(usize, ObjectId, i64)>> = vec![None; pieces];
    for (p, m) in marked.iter().enumerate() {
        for &(piece, mcid) in &m.pieces {
            if let Some(slot) = content_at.get_mut(piece as usize) {
                *slot = Some((p, i64::from(mcid)));
            }
        }
    }
    let mut next_key = page_ids.len() as i64;
    for (p, &page_id) in page_ids.iter().enumerate() {
        let annots = match doc.get_dictionary_mut(page_id)?.remove(b"Annots") {
            Some(Object::Array(a)) => a,
            _ => Vec::new(),
        };
        let mut refs = Vec::with_capacity(annots.len());
        for (k, annot) in annots.into_iter().enumerate() {
            let Object::Dictionary(mut dict) = annot else {
                refs.push(annot);
                continue;
            };
            let piece = marked
                .get(p)
                .and_then(|m| m.annots.get(k))
                .copied()
                .filter(|n| (*n as usize) < pieces);
            if let Some(n) = piece {
                let link = &tags.elems[tags.owner[n as usize]];
                dict.set("Contents", text(link.alt.as_deref().unwrap_or_default()));
                dict.set("StructParent", Object::Integer(next_key));
            }
            let id = doc.add_object(dict);
            if let Some(n) = piece {
                annot_at[n as usize] = Some((p, id, next_key));
                next_key += 1;
            }
            refs.push(Object::Reference(id));
        }
        let page = doc.get_dictionary_mut(page_id)?;
        if !refs.is_empty() {
            page.set("Annots", Object::Array(refs));
        }
        page.set("StructParents", Object::Integer(p as i64));
        page.set("Tabs", Object::Name(b"S".to_vec()));
    }

    let tree = tags.tree(|n| {
        content_at.get(n as usize).is_some_and(Option::is_some)
            || annot_at.get(n as usize).is_some_and(Option::is_some)
    });
    let root_id = doc.new_object_id();
    let ids: Vec<ObjectId> = tree.iter().map(|_| doc.new_object_id()).collect();
    let mut node_of: Vec<Option<usize>> = vec![None; tags.elems.len()];
    for (i, node) in tree.iter().enumerate() {
        node_of[node.elem] = Some(i);
    }
    for (i, node) in tree.iter().enumerate() {
        let elem = &tags.elems[node.elem];
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"StructElem".to_vec()));
        d.set("S", Object::Name(elem.role.name().as_bytes().to_vec()));
        d.set(
            "P",
            Object::Reference(node.parent.map_or(root_id, |p| ids[p])),
        );
        // The element's page: that of its first marked content; kids on it are plain MCIDs.
        let page = node.kids.iter().find_map(|k| match *k {
            NodeKid::Content(n) => content_at[n as usize].map(|(p, _)| p),
            _ => None,
        });
        if let Some(p) = page {
            d.set("Pg", Object::Reference(page_ids[p]));
        }
        // The lines of a paragraph on one page share a sequence: their MCID is listed once.
        let mut last: Option<(usize, i64)> = None;
        let mut kids: Vec<Object> = node
            .kids
            .iter()
            .filter_map(|k| match *k {
                NodeKid::Node(c) => Some(Object::Reference(ids[c])),
                NodeKid::Content(n) => {
                    let (p, mcid) = content_at[n as usize]?;
                    if last.replace((p, mcid)) == Some((p, mcid)) {
                        return None;
                    }
                    if Some(p) == page {
                        return Some(Object::Integer(mcid));
                    }
                    let mut r = Dictionary::new();
                    r.set("Type", Object::Name(b"MCR".to_vec()));
                    r.set("Pg", Object::Reference(page_ids[p]));
                    r.set("MCID", Object::Integer(mcid));
                    Some(Object::Dictionary(r))
                }
                NodeKid::Annot(n) => {
                    let (p, id, _) = annot_at[n as usize]?;
                    let mut r = Dictionary::new();
                    r.set("Type", Object::Name(b"OBJR".to_vec()));
                    r.set("Pg", Object::Reference(page_ids[p]));
                    r.set("Obj", Object::Reference(id));
                    Some(Object::Dictionary(r))
                }
            })
            .collect();
        // One kid is written bare rather than as a one-element array.
        let k = if kids.len() == 1 {
            kids.remove(0)
        } else {
            Object::Array(kids)
        };
        d.set("K", k);
        if elem.role == Role::Figure
            && let Some(alt) = &elem.alt
        {
            d.set("Alt", text(alt));
        }
        if let Some(lang) = &elem.lang {
            d.set("Lang", text(lang));
        }
        if let Some(numbering) = elem.numbering {
            let mut a = Dictionary::new();
            a.set("O", Object::Name(b"List".to_vec()));
            a.set("ListNumbering", Object::Name(numbering.as_bytes().to_vec()));
            d.set("A", Object::Dictionary(a));
        }
        if elem.role == Role::TH {
            let mut a = Dictionary::new();
            a.set("O", Object::Name(b"Table".to_vec()));
            a.set("Scope", Object::Name(b"Column".to_vec()));
            d.set("A", Object::Dictionary(a));
        }
        doc.objects.insert(ids[i], Object::Dictionary(d));
    }

    // The parent tree: each page's MCIDs to their elements, each annotation to its link.
    let owner_ref = |piece: u32| -> Object {
        tags.owner
            .get(piece as usize)
            .and_then(|e| node_of[*e])
            .map_or(Object::Null, |n| Object::Reference(ids[n]))
    };
    let mut nums = Vec::with_capacity(2 * next_key as usize);
    for (p, _) in page_ids.iter().enumerate() {
        let mut owners = Vec::new();
        for &(piece, mcid) in marked.get(p).map_or(&[][..], |m| &m.pieces[..]) {
            let mcid = mcid as usize;
            if owners.len() <= mcid {
                owners.resize(mcid + 1, Object::Null);
                owners[mcid] = owner_ref(piece);
            }
        }
        nums.push(Object::Integer(p as i64));
        nums.push(Object::Array(owners));
    }
    let mut keyed: Vec<(i64, u32)> = annot_at
        .iter()
        .enumerate()
        .filter_map(|(n, at)| at.map(|(_, _, key)| (key, n as u32)))
        .collect();
    keyed.sort_unstable();
    for (key, n) in keyed {
        nums.push(Object::Integer(key));
        nums.push(owner_ref(n));
    }
    let mut parent_tree = Dictionary::new();
    parent_tree.set("Nums", Object::Array(nums));
    let parent_tree = doc.add_object(parent_tree);
    let mut root = Dictionary::new();
    root.set("Type", Object::Name(b"StructTreeRoot".to_vec()));
    if !ids.is_empty() {
        root.set("K", Object::Array(vec![Object::Reference(ids[0])]));
    }
    root.set("ParentTree", Object::Reference(parent_tree));
    root.set("ParentTreeNextKey", Object::Integer(next_key));
    doc.objects.insert(root_id, Object::Dictionary(root));

    let catalog = doc.catalog_mut()?;
    catalog.set("StructTreeRoot", Object::Reference(root_id));
    let mut mark_info = Dictionary::new();
    mark_info.set("Marked", Object::Boolean(true));
    mark_info.set("Suspects", Object::Boolean(false));
    catalog.set("MarkInfo", Object::Dictionary(mark_info));
    catalog.set("Lang", text(language));
    Ok(())
}

/// Applies the finishing step and returns the file's bytes.
pub fn finish(
    mut doc: Document,
    meta: &Metadata,
    outline: &[OutlineEntry],
    page_heights: &[f32],
) -> lopdf::Result<Vec<u8>> {
    // Info.
    let mut info = Dictionary::new();
    info.set("Title", text(&meta.title));
    info.set("Author", text(&meta.author));
    if let Some(s) = &meta.subject {
        info.set("Subject", text(s));
    }
    if let Some(k) = &meta.keywords {
        info.set("Keywords", text(k));
    }
    info.set("Creator", text("briefpress"));
    info.set("Producer", text("briefpress"));
    let date = pdf_date(meta.timestamp);
    info.set(
        "CreationDate",
        Object::String(date.clone().into_bytes(), StringFormat::Literal),
    );
    info.set(
        "ModDate",
        Object::String(date.into_bytes(), StringFormat::Literal),
    );
    let info_id = match doc.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => {
            doc.objects.insert(id, Object::Dictionary(info));
            id
        }
        Err(_) => doc.add_object(info),
    };
    doc.trailer.set("Info", Object::Reference(info_id));

    // Outline, nested by heading level.
    let pages = doc.get_pages();
    let page_ids: Vec<ObjectId> = pages.values().copied().collect();
    let outlines_root = if outline.is_empty() {
        None
    } else {
        Some(build_outline(&mut doc, outline, &page_ids, page_heights))
    };

    // XMP, uncompressed (readers look for the packet's plain text).
    let mut xdict = Dictionary::new();
    xdict.set("Type", Object::Name(b"Metadata".to_vec()));
    xdict.set("Subtype", Object::Name(b"XML".to_vec()));
    let stream = lopdf::Stream::new(xdict, xmp(meta).into_bytes()).with_compression(false);
    let xmp_id = doc.add_object(stream);

    // Catalog.
    let catalog = doc.catalog_mut()?;
    catalog.set("Metadata", Object::Reference(xmp_id));
    catalog.set("Lang", text(&meta.language));
    // Viewers show the title (not the file name) in the window bar: what a screen reader
    // announces first (PDF/UA-1 asks for it).
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", Object::Boolean(true));
    catalog.set("ViewerPreferences", Object::Dictionary(prefs));
    if let Some(root) = outlines_root {
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    } else {
        catalog.set("PageMode", Object::Name(b"UseNone".to_vec()));
    }

    // /ID from the content.
    let mut h = Sha256::new();
    h.update(meta.identifier.as_bytes());
    for ph in page_heights {
        h.update(ph.to_be_bytes());
    }
    let id: Vec<u8> = h.finalize()[..16].to_vec();
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );

    compress(&mut doc);
    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    Ok(out)
}

/// Deflates every stream that may be compressed and has no filter yet, at [`FLATE_LEVEL`],
/// with one compressor for all of them; a stream that would not get smaller stays as it is (as
/// lopdf's own `compress` does).
fn compress(doc: &mut Document) {
    let mut deflater = Deflater::new(FLATE_LEVEL, true);
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        // Compressing into memory cannot fail; if it did, the stream stays uncompressed.
        let Ok(packed) = deflater.deflate(&stream.content) else {
            continue;
        };
        if packed.len() < stream.content.len() {
            stream
                .dict
                .set("Filter", Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(packed);
        }
    }
}

/// Writes the outline items and returns the `/Outlines` dictionary's id. Each entry becomes a
/// child of the nearest earlier entry with a lower level.
fn build_outline(
    doc: &mut Document,
    entries: &[OutlineEntry],
    pages: &[ObjectId],
    heights: &[f32],
) -> ObjectId {
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| doc.new_object_id()).collect();
    // parent[i]: index of the parent entry, or None for the root.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&p| entries[p].level >= e.level) {
            stack.pop();
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    let children = |p: Option<usize>| -> Vec<usize> {
        (0..entries.len()).filter(|&i| parent[i] == p).collect()
    };
    // Count of all descendants, for open items.
    fn descendants(i: Option<usize>, parent: &[Option<usize>]) -> i64 {
        (0..parent.len())
            .filter(|&k| parent[k] == i)
            .map(|k| 1 + descendants(Some(k), parent))
            .sum()
    }
    for (i, e) in entries.iter().enumerate() {
        let siblings = children(parent[i]);
        let pos = siblings.iter().position(|&s| s == i).unwrap_or(0);
        let mut d = Dictionary::new();
        d.set("Title", text(&e.title));
        d.set(
            "Parent",
            Object::Reference(parent[i].map_or(root, |p| ids[p])),
        );
        if pos > 0 {
            d.set("Prev", Object::Reference(ids[siblings[pos - 1]]));
        }
        if let Some(&n) = siblings.get(pos + 1) {
            d.set("Next", Object::Reference(ids[n]));
        }
        let kids = children(Some(i));
        if let (Some(&f), Some(&l)) = (kids.first(), kids.last()) {
            d.set("First", Object::Reference(ids[f]));
            d.set("Last", Object::Reference(ids[l]));
            d.set("Count", Object::Integer(descendants(Some(i), &parent)));
        }
        if let Some(page) = pages.get(e.page) {
            let h = heights.get(e.page).copied().unwrap_or(0.0);
            d.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference(*page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real(h - e.y + 4.0),
                    Object::Null,
                ]),
            );
        }
        doc.objects.insert(ids[i], Object::Dictionary(d));
    }
    let top = children(None);
    let mut r = Dictionary::new();
    r.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(&f), Some(&l)) = (top.first(), top.last()) {
        r.set("First", Object::Reference(ids[f]));
        r.set("Last", Object::Reference(ids[l]));
    }
    r.set("Count", Object::Integer(descendants(None, &parent)));
    doc.objects.insert(root, Object::Dictionary(r));
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_timestamps() {
        assert_eq!(pdf_date(0), "D:19700101000000Z");
        assert_eq!(pdf_date(1_770_000_000), "D:20260202024000Z");
        assert_eq!(pdf_date(315_532_800), "D:19800101000000Z");
        assert_eq!(iso_date(1_770_000_000), "2026-02-02T02:40:00Z");
    }
}
