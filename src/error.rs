//! Typed errors and warnings. Messages are lowercase, say what is wrong and what to do; the
//! caller (the CLI) puts the file name in front, so `path:line:column: message`.

use std::fmt;

/// Where in a source something is, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Location {
    /// Line, 1-based; `None` when the problem has no line (a whole-file problem).
    pub line: Option<usize>,
    /// Column in characters, 1-based, when known.
    pub column: Option<usize>,
}

impl Location {
    /// A location on a line.
    pub fn line(line: usize) -> Location {
        Location {
            line: Some(line),
            column: None,
        }
    }

    /// A location on a line and column.
    pub fn at(line: usize, column: usize) -> Location {
        Location {
            line: Some(line),
            column: Some(column),
        }
    }

    /// `:line:column` or `:line` or nothing, to follow a file name.
    pub fn suffix(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!(":{l}:{c}"),
            (Some(l), None) => format!(":{l}"),
            _ => String::new(),
        }
    }
}

/// Everything that stops a source from becoming output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The source text cannot be read as an article (encoding, syntax, front matter, model).
    Source {
        /// Where the problem is.
        at: Location,
        /// What is wrong.
        message: String,
        /// What to do about it.
        help: Option<String>,
    },
    /// An image the source names cannot be used.
    Image {
        /// Where the source names it.
        at: Location,
        /// The path as the source wrote it.
        path: String,
        /// What is wrong.
        message: String,
        /// What to do about it.
        help: Option<String>,
    },
    /// Every problem found in one source, in source order (a `check` reports them all, not
    /// just the first). Built by [`Error::many`]: at least two, none of them `Many`.
    Many(Vec<Error>),
    /// A backend could not write its format.
    Render {
        /// `pdf`, `docx` or `epub`.
        format: &'static str,
        /// What went wrong.
        message: String,
    },
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A source error with a location, a message and advice.
    pub fn source(
        at: Location,
        message: impl Into<String>,
        help: impl Into<Option<String>>,
    ) -> Self {
        Error::Source {
            at,
            message: message.into(),
            help: help.into(),
        }
    }

    /// A backend failure.
    pub fn render(format: &'static str, message: impl fmt::Display) -> Self {
        Error::Render {
            format,
            message: message.to_string(),
        }
    }

    /// Where in the source the problem is (the first one's, for [`Error::Many`]).
    pub fn location(&self) -> Location {
        match self {
            Error::Source { at, .. } | Error::Image { at, .. } => *at,
            Error::Many(all) => all.first().map(Error::location).unwrap_or_default(),
            Error::Render { .. } => Location::default(),
        }
    }

    /// One error for the problems of one source, sorted by where they are (whole-file problems
    /// first; the sort is stable, so problems at one place keep the order they were found in);
    /// `None` when there are none.
    pub fn many(problems: Vec<Error>) -> Option<Error> {
        let mut all: Vec<Error> = problems
            .into_iter()
            .flat_map(Error::into_problems)
            .collect();
        all.sort_by_key(|e| {
            let at = e.location();
            (at.line, at.column)
        });
        match all.len() {
            0 => None,
            1 => all.pop(),
            _ => Some(Error::Many(all)),
        }
    }

    /// The single problems this error holds: itself, or each of a [`Error::Many`].
    pub fn into_problems(self) -> Vec<Error> {
        match self {
            Error::Many(all) => all,
            one => vec![one],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let help = match self {
            Error::Source { message, help, .. } => {
                f.write_str(message)?;
                help
            }
            Error::Image {
                path,
                message,
                help,
                ..
            } => {
                write!(f, "image `{path}`: {message}")?;
                help
            }
            Error::Render { format, message } => {
                return write!(f, "cannot write {format}: {message}");
            }
            // One line per problem is the caller's to print (with each one's location); as
            // one string, the first problem and how many follow.
            Error::Many(all) => {
                let Some(first) = all.first() else {
                    return Ok(());
                };
                return write!(
                    f,
                    "{first} (and {} more problem{})",
                    all.len() - 1,
                    if all.len() == 2 { "" } else { "s" }
                );
            }
        };
        match help {
            Some(h) => write!(f, "; {h}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Error {}

/// Something a reader or backend could not do perfectly, but did without losing the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where in the source, when known.
    pub at: Location,
    /// What happened, lowercase.
    pub message: String,
}

impl Warning {
    /// A warning without a location.
    pub fn new(message: impl Into<String>) -> Self {
        Warning {
            at: Location::default(),
            message: message.into(),
        }
    }

    /// A warning at a source location.
    pub fn at(at: Location, message: impl Into<String>) -> Self {
        Warning {
            at,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A refused settings file (a theme or a pack manifest): where and why. Both files are TOML
/// read through serde, so one type carries their errors, located by [`line_and_column`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedError {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong and what to do.
    pub message: String,
}

impl LocatedError {
    /// The error `message` at byte `offset` of `text`.
    pub fn at(text: &str, offset: usize, message: impl Into<String>) -> LocatedError {
        let (line, column) = line_and_column(text, offset);
        LocatedError {
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }

    /// The error `message` at the start of a parser's `span` of `text`, when it gave one.
    pub fn in_span(
        text: &str,
        span: Option<std::ops::Range<usize>>,
        message: impl Into<String>,
    ) -> LocatedError {
        match span {
            Some(s) => LocatedError::at(text, s.start, message),
            None => LocatedError {
                line: None,
                column: None,
                message: message.into(),
            },
        }
    }
}

impl fmt::Display for LocatedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LocatedError {}

/// The key of `keys` nearest to a misspelt `key` (edit distance 3 at most, case ignored), for
/// the "did you mean" of every unknown-key message.
pub fn nearest_key<'k>(key: &str, keys: &[&'k str]) -> Option<&'k str> {
    let key = key.to_lowercase();
    keys.iter()
        .map(|k| (strsim::levenshtein(&key, k), *k))
        .filter(|&(d, _)| d <= 3)
        .min()
        .map(|(_, k)| k)
}

/// Turns a byte offset into `text` (a parser's error span) into a 1-based line and a 1-based
/// column counted in characters; an offset inside a character counts as that character. A line
/// ends at LF, CR or CRLF alike (an old Mac file, or a theme saved with CR line ends, counts
/// its lines as an editor shows them).
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text.as_bytes()[..offset];
    let mut line = 1;
    let mut line_start = 0;
    for (i, &b) in before.iter().enumerate() {
        let ends = b == b'\r' || (b == b'\n' && (i == 0 || before[i - 1] != b'\r'));
        if ends {
            line += 1;
        }
        if b == b'\r' || b == b'\n' {
            line_start = i + 1;
        }
    }
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// `text` made safe to print on one line of a terminal: control characters (a newline in a
/// file name would start a forged `error:` line) and the bidirectional embeddings, overrides,
/// isolates and marks (which reorder what is shown) are written as escapes: `\n`, `\r`, `\t`,
/// else `\u{202E}`. Everything the CLI prints about a file or its text goes through here.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    fn hidden(c: char) -> bool {
        c.is_control()
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    }
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) => out.push_str(&format!("\\u{{{:X}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cr_lf_and_crlf_each_end_one_line() {
        let text = "one\rtwo\r\nthree\nfour é x";
        let x = text.find('x').unwrap();
        assert_eq!(line_and_column(text, x), (4, 8));
        assert_eq!(line_and_column(text, text.find("two").unwrap()), (2, 1));
        // between the CR and the LF of a CRLF: still the end of line 2
        assert_eq!(
            line_and_column(text, text.find("\r\n").unwrap() + 1),
            (3, 1)
        );
    }

    #[test]
    fn control_and_bidi_characters_print_as_escapes() {
        assert_eq!(printable("brief.md"), "brief.md");
        assert_eq!(
            printable("a\nerror: forged.md\u{202E}gpj.exe\u{2066}"),
            "a\\nerror: forged.md\\u{202E}gpj.exe\\u{2066}"
        );
        assert_eq!(
            printable("tab\there\r\u{1B}[31m"),
            "tab\\there\\r\\u{1B}[31m"
        );
        assert_eq!(printable("“curly” — ©"), "“curly” — ©");
    }
}
