//! The Word package: a zip of XML parts and media, opened with limits a hostile file cannot
//! get past, and the relationships that tie the parts together.
//!
//! Limits (a zip bomb declares small sizes and expands without end, so every entry is read
//! through a cap, whatever its header says): at most [`MAX_ENTRIES`] entries, none above
//! [`MAX_PART`] bytes expanded, and all the parts read together at most [`MAX_RATIO`] times the
//! file's size (plus [`RATIO_FLOOR`] for tiny files). What is read is what is kept, so memory
//! stays within that multiple of the file.

use super::xml::{self, El};
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// The most entries a package may hold (Word writes a dozen, plus one per picture).
pub const MAX_ENTRIES: usize = 10_000;
/// The most bytes one part may expand to.
pub const MAX_PART: u64 = 64 * 1024 * 1024;
/// The most the parts read may expand to, as a multiple of the file's size: Word's XML
/// compresses about ten times, so a hundred leaves room and stops a bomb.
pub const MAX_RATIO: u64 = 100;
/// Expansion every file is allowed whatever its size, so a tiny document is never refused.
pub const RATIO_FLOOR: u64 = 16 * 1024 * 1024;

/// Elements every part may have whatever the file's size (a 50-page document has about
/// 100 000 in all).
pub const ELEMENTS_FLOOR: usize = 200_000;
/// Elements a part may have per byte of the file: Word's XML holds about one element per three
/// compressed bytes, so two is generous, and bounds a parsed tree (about a hundred bytes per
/// element) to a few hundred times the file.
pub const ELEMENTS_PER_BYTE: usize = 2;

/// The first bytes of an OLE compound file: a password-protected (encrypted) `.docx` or a
/// legacy `.doc`.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// One relationship of a part.
#[derive(Debug, Clone)]
pub struct Rel {
    /// The relationship type's last segment (`image`, `hyperlink`, `footnotes` …).
    pub kind: String,
    /// For an internal target: the part name it resolves to; for an external one: the target.
    pub target: String,
    /// Whether the target is outside the package (a hyperlink's address).
    pub external: bool,
}

/// An opened package.
pub struct Package {
    zip: zip::ZipArchive<Cursor<Vec<u8>>>,
    /// Entry names, lower-cased, to their index (OPC part names are case-insensitive).
    names: HashMap<String, usize>,
    /// Bytes still allowed to be expanded.
    budget: u64,
    /// The most elements one part may have: [`ELEMENTS_FLOOR`] plus [`ELEMENTS_PER_BYTE`] per
    /// byte of the file.
    max_elements: usize,
}

impl Package {
    /// Opens `bytes` as a Word package, or says in a line why it is not one.
    pub fn open(bytes: Vec<u8>) -> Result<Package, String> {
        if bytes.starts_with(&OLE_MAGIC) {
            return Err(
                "it is a password-protected or legacy Word file (an OLE compound \
                        file, not a .docx package); save it as an unprotected .docx"
                    .into(),
            );
        }
        let max_elements =
            ELEMENTS_FLOOR.saturating_add(bytes.len().saturating_mul(ELEMENTS_PER_BYTE));
        let budget = (bytes.len() as u64)
            .saturating_mul(MAX_RATIO)
            .saturating_add(RATIO_FLOOR);
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| format!("it is not a Word .docx package (not a readable zip: {e})"))?;
        if zip.len() > MAX_ENTRIES {
            return Err(format!(
                "the package has {} entries, more than the {MAX_ENTRIES} allowed",
                zip.len()
            ));
        }
        let mut names = HashMap::new();
        for i in 0..zip.len() {
            if let Some(name) = zip.name_for_index(i) {
                names.insert(name.trim_start_matches('/').to_lowercase(), i);
            }
        }
        let package = Package {
            zip,
            names,
            budget,
            max_elements,
        };
        if package.names.keys().any(|n| n.ends_with("vbaproject.bin")) {
            return Err(
                "it is a macro-enabled Word file (it holds a VBA project); save it as \
                        a plain .docx"
                    .into(),
            );
        }
        Ok(package)
    }

    /// The bytes of part `name`, within the limits; `Ok(None)` when there is no such part.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let Some(&i) = self.names.get(&name.trim_start_matches('/').to_lowercase()) else {
            return Ok(None);
        };
        let entry = self
            .zip
            .by_index(i)
            .map_err(|e| format!("part `{name}` cannot be read ({e})"))?;
        if entry.is_dir() {
            return Ok(None);
        }
        let cap = MAX_PART.min(self.budget);
        if entry.size() > cap {
            return Err(too_big(name, entry.size() > MAX_PART));
        }
        let mut out = Vec::with_capacity(entry.size() as usize);
        entry
            .take(cap + 1)
            .read_to_end(&mut out)
            .map_err(|e| format!("part `{name}` cannot be read ({e})"))?;
        if out.len() as u64 > cap {
            return Err(too_big(name, out.len() as u64 > MAX_PART));
        }
        self.budget -= out.len() as u64;
        Ok(Some(out))
    }

    /// Part `name` parsed as XML; `Ok(None)` when there is no such part.
    pub fn xml(&mut self, name: &str) -> Result<Option<El>, String> {
        match self.read(name)? {
            None => Ok(None),
            Some(bytes) => xml::parse(&bytes, self.max_elements)
                .map(Some)
                .map_err(|e| format!("part `{name}` is not well-formed XML: {e}")),
        }
    }

    /// The relationships of part `name` (from `_rels/<name>.rels` beside it), keyed by id.
    /// An internal target that climbs out of the package is refused.
    pub fn rels(&mut self, name: &str) -> Result<HashMap<String, Rel>, String> {
        let (dir, file) = match name.rfind('/') {
            Some(p) => (&name[..p], &name[p + 1..]),
            None => ("", name),
        };
        let rels_name = if dir.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{dir}/_rels/{file}.rels")
        };
        let mut out = HashMap::new();
        let Some(root) = self.xml(&rels_name)? else {
            return Ok(out);
        };
        for r in root.elements().filter(|e| e.name.ends_with("Relationship")) {
            let (Some(id), Some(target)) = (r.attr("Id"), r.attr("Target")) else {
                continue;
            };
            let kind = r
                .attr("Type")
                .unwrap_or("")
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_owned();
            let external = r.attr("TargetMode") == Some("External");
            let target = if external {
                target.to_owned()
            } else {
                resolve(dir, target).map_err(|why| {
                    format!("relationship `{id}` of `{name}` targets `{target}`, {why}")
                })?
            };
            out.insert(
                id.to_owned(),
                Rel {
                    kind,
                    target,
                    external,
                },
            );
        }
        Ok(out)
    }
}

fn too_big(name: &str, over_part: bool) -> String {
    if over_part {
        format!(
            "part `{name}` expands beyond {} MiB (a zip bomb?)",
            MAX_PART >> 20
        )
    } else {
        format!(
            "the package expands to more than {MAX_RATIO} times its size (a zip bomb?) at part \
             `{name}`"
        )
    }
}

/// The part name an internal target names, relative to the folder `dir` of its source part:
/// `media/a.png` from `word` is `word/media/a.png`, `/word/x.xml` is from the package root.
/// A target with a scheme (`file:`) or that climbs above the root is refused.
pub fn resolve(dir: &str, target: &str) -> Result<String, &'static str> {
    let target = target.replace('\\', "/");
    if target.contains(':') {
        return Err("which is outside the package (internal targets are part names)");
    }
    let mut parts: Vec<&str> = Vec::new();
    let start = if target.starts_with('/') { "" } else { dir };
    for seg in start.split('/').chain(target.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("which climbs out of the package");
                }
            }
            s => parts.push(s),
        }
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_inside_the_package_only() {
        assert_eq!(resolve("word", "media/a.png").unwrap(), "word/media/a.png");
        assert_eq!(resolve("word", "/word/x.xml").unwrap(), "word/x.xml");
        assert_eq!(
            resolve("word", "../docProps/core.xml").unwrap(),
            "docProps/core.xml"
        );
        assert!(resolve("word", "../../etc/passwd").is_err());
        assert!(resolve("word", "file:///etc/passwd").is_err());
        assert!(resolve("word", "C:\\x").is_err());
    }
}
