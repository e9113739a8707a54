//! The JSON source: the serde form of [`Article`], exactly what `briefpress inspect --json`
//! prints. A mismatch is reported with serde's path to the field and the line and column.

use crate::article::Article;
use crate::error::{Error, Location, Result, Warning};
use crate::read::{Parsed, nesting};

/// Arrays and objects nested deeper than this are refused before parsing. A quote takes 2
/// levels and a list 3, so this admits 1 000-deep quotes and lists (flattened by
/// [`nesting::cap`] with a warning, as Markdown is) while bounding the parser's recursion.
const MAX_DEPTH: usize = 4_000;

/// The stack the parse runs on. serde's derived code recurses several frames per level
/// (internally tagged enums buffer each block first): in a debug build 4 000 levels overflow
/// 8 MiB but fit 16 MiB (measured), so 64 MiB leaves four times that. Only the pages touched
/// are committed.
const PARSE_STACK: usize = 64 * 1024 * 1024;

/// Parses a JSON article, on a stack deep enough for [`MAX_DEPTH`], and flattens nesting deeper
/// than [`nesting::MAX_NESTING`] there too, so no deep tree reaches the caller's stack.
pub(crate) fn parse(text: &str) -> Result<Parsed> {
    check_depth(text)?;
    let on_big_stack = || {
        let mut parsed = parse_unbounded(text)?;
        if nesting::cap(&mut parsed.article) {
            parsed.warnings.push(Warning::new(format!(
                "nesting deeper than {} levels is flattened",
                nesting::MAX_NESTING
            )));
        }
        Ok(parsed)
    };
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("briefpress-json".into())
            .stack_size(PARSE_STACK)
            .spawn_scoped(s, on_big_stack)
            .map_err(|e| {
                Error::source(
                    Location::default(),
                    format!("cannot start the JSON reader ({e})"),
                    None,
                )
            })?
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Refuses JSON nested deeper than [`MAX_DEPTH`], naming where (one pass over the bytes; brackets
/// inside strings do not count).
fn check_depth(text: &str) -> Result<()> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let (mut line, mut line_start) = (1usize, 0usize);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let column = text[line_start..i].chars().count() + 1;
                    return Err(Error::source(
                        Location::at(line, column),
                        format!("the JSON nests arrays and objects deeper than {MAX_DEPTH} levels"),
                        Some(
                            "a brief needs a few levels per quote or list; flatten the source"
                                .to_owned(),
                        ),
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Parses a JSON article without serde_json's 128-level recursion limit ([`check_depth`] bounds
/// the depth instead).
fn parse_unbounded(text: &str) -> Result<Parsed> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
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
        link_lines: Vec::new(),
        warnings: Vec::new(),
        problems: Vec::new(),
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
