//! Deflate with one reused compressor, and the small deterministic zip writer the DOCX and EPUB
//! packages are written with: entries in the order given, each dated 1980-01-01 00:00 (the zip
//! epoch), stored or deflated, no extra fields, no zip64 (a brief's package is far from 4 GiB).
//!
//! Why not the zip crate's writer (it still reads epub-builder's zip): it sets up a new deflate
//! state for every entry, and zlib-rs allocates and clears about 300 kB for each. For the
//! sample's 31 DOCX and EPUB entries that setup cost 13.8 M of the build's 92 M instructions
//! (callgrind), more than compressing the entries did; here one compressor is reset between
//! entries. The PDF's streams go through the same [`Deflater`].

use flate2::{Compress, Compression, FlushCompress, Status};

/// One deflate compressor, reset between inputs.
pub(crate) struct Deflater {
    compress: Compress,
}

impl Deflater {
    /// A compressor at `level` (0–9), writing zlib streams (`zlib_header`, as PDF's FlateDecode
    /// wants) or raw deflate (as zip entries hold).
    pub fn new(level: u32, zlib_header: bool) -> Deflater {
        Deflater {
            compress: Compress::new(Compression::new(level), zlib_header),
        }
    }

    /// `data` compressed as one whole stream.
    pub fn deflate(&mut self, data: &[u8]) -> Result<Vec<u8>, String> {
        self.compress.reset();
        // Text deflates to well under half; the buffer grows when it does not.
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let read = usize::try_from(self.compress.total_in()).map_err(|e| e.to_string())?;
            let rest = data.get(read..).unwrap_or_default();
            match self
                .compress
                .compress_vec(rest, &mut out, FlushCompress::Finish)
                .map_err(|e| e.to_string())?
            {
                Status::StreamEnd => return Ok(out),
                // The output buffer is full: give it room and go on.
                Status::Ok | Status::BufError => out.reserve(out.capacity().max(1024)),
            }
        }
    }
}

/// How an entry is kept in the zip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    /// As it is (files that are compressed already, and EPUB's `mimetype`).
    Stored,
    /// Deflated.
    Deflated,
}

/// The zip's level for deflated entries: 6, what the zip crate used (its default), so the
/// packages stay the size they were; the level barely changes the cost of these small XML
/// parts (callgrind on the 56 kB `document.xml` of the 10x article: 1.86 M instructions at
/// level 6, 1.53 M at level 2, of which 0.6 M is the compressor's setup).
const ZIP_LEVEL: u32 = 6;

/// The DOS date of 1980-01-01 (day 1, month 1, year 1980 + 0) and time 00:00:00.
const DOS_DATE: u16 = (1 << 5) | 1;
const DOS_TIME: u16 = 0;
/// "Made by" Unix (3), version 2.0; "needed" 2.0 (deflate).
const MADE_BY: u16 = (3 << 8) | 20;
const NEEDED: u16 = 20;
/// External attributes: a regular file, `rw-r--r--` (S_IFREG | 0644, in the high 16 bits).
const EXTERNAL_ATTRIBUTES: u32 = 0o100_644 << 16;
/// General-purpose flag bit 11: the name is UTF-8.
const UTF8_NAME: u16 = 1 << 11;

/// A zip archive being written in memory.
pub(crate) struct ZipOut {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
    deflater: Option<Deflater>,
}

impl ZipOut {
    /// An empty archive.
    pub fn new() -> ZipOut {
        ZipOut {
            out: Vec::new(),
            central: Vec::new(),
            entries: 0,
            deflater: None,
        }
    }

    /// Appends an entry. Errors when the archive would need zip64 (an entry or the archive over
    /// 4 GiB, or more than 65 535 entries).
    pub fn add(&mut self, name: &str, data: &[u8], method: Method) -> Result<(), String> {
        let too_big = || format!("`{name}` would need a zip64 archive (over 4 GiB)");
        let packed = match method {
            Method::Stored => None,
            Method::Deflated => Some(
                self.deflater
                    .get_or_insert_with(|| Deflater::new(ZIP_LEVEL, false))
                    .deflate(data)?,
            ),
        };
        let body = packed.as_deref().unwrap_or(data);
        let crc = crc32fast::hash(data);
        let size = u32::try_from(data.len()).map_err(|_| too_big())?;
        let packed_size = u32::try_from(body.len()).map_err(|_| too_big())?;
        let offset = u32::try_from(self.out.len()).map_err(|_| too_big())?;
        let name_len = u16::try_from(name.len()).map_err(|_| format!("`{name}`: name too long"))?;
        self.entries = self
            .entries
            .checked_add(1)
            .ok_or("more than 65 535 entries")?;
        let flags = if name.is_ascii() { 0 } else { UTF8_NAME };
        let code: u16 = match method {
            Method::Stored => 0,
            Method::Deflated => 8,
        };

        // Local file header (APPNOTE 6.3.10, 4.3.7).
        let o = &mut self.out;
        o.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        for v in [NEEDED, flags, code, DOS_TIME, DOS_DATE] {
            o.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, packed_size, size] {
            o.extend_from_slice(&v.to_le_bytes());
        }
        o.extend_from_slice(&name_len.to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes());
        o.extend_from_slice(name.as_bytes());
        o.extend_from_slice(body);

        // Its central directory header (4.3.12).
        let c = &mut self.central;
        c.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        for v in [MADE_BY, NEEDED, flags, code, DOS_TIME, DOS_DATE] {
            c.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, packed_size, size] {
            c.extend_from_slice(&v.to_le_bytes());
        }
        // Name length; extra field, comment, disk number, internal attributes: none.
        for v in [name_len, 0, 0, 0, 0] {
            c.extend_from_slice(&v.to_le_bytes());
        }
        c.extend_from_slice(&EXTERNAL_ATTRIBUTES.to_le_bytes());
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(name.as_bytes());
        Ok(())
    }

    /// The archive's bytes: the entries, the central directory and its end record.
    pub fn finish(mut self) -> Result<Vec<u8>, String> {
        let too_big = || "the archive would need zip64 (over 4 GiB)".to_owned();
        let start = u32::try_from(self.out.len()).map_err(|_| too_big())?;
        let size = u32::try_from(self.central.len()).map_err(|_| too_big())?;
        self.out.append(&mut self.central);
        // End of central directory record (4.3.16): one disk, no comment.
        let o = &mut self.out;
        o.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        for v in [0, 0, self.entries, self.entries] {
            o.extend_from_slice(&v.to_le_bytes());
        }
        o.extend_from_slice(&size.to_le_bytes());
        o.extend_from_slice(&start.to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes());
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_zip_crate_reads_back_every_entry_with_its_method_date_and_bytes() {
        let xml = "<w:document>écrit – “quoted”</w:document>".repeat(400);
        let mut zip = ZipOut::new();
        zip.add("mimetype", b"application/epub+zip", Method::Stored)
            .unwrap();
        zip.add("word/document.xml", xml.as_bytes(), Method::Deflated)
            .unwrap();
        zip.add("empty.xml", b"", Method::Deflated).unwrap();
        zip.add(
            "médias/photo.jpg",
            &[0xFF, 0xD8, 0xFF, 0xD9],
            Method::Stored,
        )
        .unwrap();
        let bytes = zip.finish().unwrap();
        // EPUB's rule: `mimetype` first, stored, right after its 30-byte header (no extra).
        assert_eq!(&bytes[30..38], b"mimetype");
        assert_eq!(&bytes[38..58], b"application/epub+zip");

        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let expected: [(&str, &[u8], zip::CompressionMethod); 4] = [
            (
                "mimetype",
                b"application/epub+zip",
                zip::CompressionMethod::Stored,
            ),
            (
                "word/document.xml",
                xml.as_bytes(),
                zip::CompressionMethod::Deflated,
            ),
            ("empty.xml", b"", zip::CompressionMethod::Deflated),
            (
                "médias/photo.jpg",
                &[0xFF, 0xD8, 0xFF, 0xD9],
                zip::CompressionMethod::Stored,
            ),
        ];
        assert_eq!(archive.len(), expected.len());
        for (i, (name, data, method)) in expected.into_iter().enumerate() {
            let mut entry = archive.by_index(i).unwrap();
            assert_eq!(entry.name(), name);
            assert_eq!(entry.compression(), method, "{name}");
            let t = entry.last_modified().unwrap();
            assert_eq!((t.year(), t.month(), t.day(), t.hour()), (1980, 1, 1, 0));
            assert_eq!(entry.unix_mode(), Some(0o100_644), "{name}");
            let mut read = Vec::new();
            entry.read_to_end(&mut read).unwrap();
            assert_eq!(read, data, "{name}");
        }
        let deflated = archive.by_index(1).unwrap().compressed_size();
        assert!(
            deflated * 10 < xml.len() as u64,
            "{deflated} of {}",
            xml.len()
        );
    }

    #[test]
    fn a_reused_deflater_gives_each_input_its_own_whole_stream() {
        let mut d = Deflater::new(2, true);
        let big: Vec<u8> = (0..200_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        for input in [&b"first stream"[..], &big, b"", b"third"] {
            let packed = d.deflate(input).unwrap();
            let mut back = Vec::new();
            flate2::read::ZlibDecoder::new(packed.as_slice())
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, input);
        }
    }
}
