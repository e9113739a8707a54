//! XML text helpers shared by the DOCX and EPUB finishing steps and the Word reader.

/// The text a character reference (`&#8212;`) or one of the five entities XML predefines
/// (`&amp;` …) stands for. No other entity can be defined without a DTD, and neither part that
/// parses with this accepts one, so any other name is an error: "an undefined entity &x;".
pub fn reference_text(r: &quick_xml::events::BytesRef<'_>) -> Result<String, String> {
    if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
        return Ok(c.to_string());
    }
    let name = r.decode().map_err(|e| e.to_string())?;
    let text = match name.as_ref() {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        other => return Err(format!("an undefined entity &{other};")),
    };
    Ok(text.to_owned())
}

/// Whether XML 1.0 allows the character in a document at all.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text for an XML element or attribute value, dropping characters XML 1.0 forbids.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape("a < b & \"c\" ]]> \u{1}d"),
            "a &lt; b &amp; &quot;c&quot; ]]&gt; d"
        );
        assert_eq!(escape("“Ñandú” — ©"), "“Ñandú” — ©");
    }
}
