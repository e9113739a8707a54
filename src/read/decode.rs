//! Source bytes to text: UTF-8 only (a BOM is dropped), CRLF and CR line ends become LF, and an
//! empty or binary file is refused with a message that says what to do.

use crate::error::{Error, Location, Result};

/// The text of a source file, or an error naming the first problem.
pub fn source_text(bytes: &[u8]) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::source(
            Location::default(),
            "the file is empty",
            Some("write the brief into it, starting with its title".to_owned()),
        ));
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let at = location_of(bytes, pos);
        return Err(Error::source(
            at,
            "the file contains NUL bytes and looks like binary data, not text",
            Some("give a .md, .txt or .json source saved as UTF-8 text".to_owned()),
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let pos = e.valid_up_to();
            let at = location_of(bytes, pos);
            return Err(Error::source(
                at,
                format!("the file is not valid UTF-8 (byte 0x{:02X})", bytes[pos]),
                Some(
                    "re-save it as UTF-8 (in most editors: Save As… → Encoding: UTF-8)".to_owned(),
                ),
            ));
        }
    };
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    })
}

/// Line and column (in characters, 1-based) of byte `pos`, counting only the valid text before
/// it; lines end at LF, CR or CRLF alike ([`crate::error::line_and_column`]).
fn location_of(bytes: &[u8], pos: usize) -> Location {
    let before = String::from_utf8_lossy(&bytes[..pos]);
    let (line, column) = crate::error::line_and_column(&before, before.len());
    Location::at(line, column)
}

/// The 1-based line number of byte offset `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    crate::error::line_and_column(text, offset).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_first_bad_byte() {
        let err = source_text(b"Title\nsecond line \xE9t\xE9\n").unwrap_err();
        assert_eq!(err.location(), Location::at(2, 13));
        assert!(
            err.to_string().contains("not valid UTF-8 (byte 0xE9)"),
            "{err}"
        );
        assert!(err.to_string().contains("re-save it as UTF-8"));
    }

    #[test]
    fn accepts_bom_and_crlf() {
        assert_eq!(
            source_text(b"\xEF\xBB\xBFTitle\r\n\r\nBody\r").unwrap(),
            "Title\n\nBody\n"
        );
    }

    #[test]
    fn refuses_empty_and_binary() {
        assert!(
            source_text(b" \n\t\n")
                .unwrap_err()
                .to_string()
                .contains("empty")
        );
        assert!(
            source_text(b"PK\x03\x04\x00\x00")
                .unwrap_err()
                .to_string()
                .contains("binary")
        );
    }
}
