//! The JSON source: the serde form of [`Article`], exactly what `briefpress inspect --json`
//! prints. A mismatch is reported with serde's path to the field and the line and column.

use crate::article::Article;
use crate::error::{Error, Location, Result};
use crate::read::Parsed;

/// Parses a JSON article.
pub(crate) fn parse(text: &str) -> Result<Parsed> {
    let mut de = serde_json::Deserializer::from_str(text);
    let article: Article = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let at = if inner.line() > 0 {
            Location::at(inner.line(), inner.column())
        } else {
            Location::default()
        };
        let what = strip_position(&inner.to_string());
        let message = if path == "." || path.is_empty() {
            format!("the JSON does not match the article model: {what}")
        } else {
            format!("the JSON does not match the article model at `{path}`: {what}")
        };
        Error::source(
            at,
            message,
            Some("compare with `briefpress inspect --json`".to_owned()),
        )
    })?;
    de.end().map_err(|e| {
        Error::source(
            Location::at(e.line(), e.column()),
            "text after the JSON article",
            None,
        )
    })?;
    Ok(Parsed {
        article,
        figure_lines: Vec::new(),
        warnings: Vec::new(),
    })
}

/// serde_json ends its messages with " at line L column C"; the location is reported separately.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(p) => msg[..p].to_owned(),
        None => msg.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_path_of_a_mismatch() {
        let err = parse(r#"{"meta": {"title": "T"}, "blocks": [{"type": "paragraph", "content": [{"type": "txt"}]}]}"#)
            .unwrap_err()
            .to_string();
        // internally tagged enums buffer their content, so serde's path ends at the block
        assert!(err.contains("at `blocks[0]`"), "{err}");
        assert!(err.contains("unknown variant `txt`"), "{err}");
    }

    #[test]
    fn refuses_unknown_fields() {
        let err = parse(r#"{"meta": {"title": "T", "titel": "x"}}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("meta") && err.contains("titel"), "{err}");
    }
}
