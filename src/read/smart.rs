//! Smart punctuation: straight quotes, `--`, `---` and `...` typed in a source become the
//! brief's language's quotation marks ([`Quotes`]), an en dash, an em dash and an ellipsis, as
//! pandoc's `smart` extension and SmartyPants do. Only what the author typed straight changes:
//! curly quotes already in the text, code, raw HTML and backslash-escaped characters stay as
//! written. French spacing (a no-break thin space inside « » and before ; : ! ?) comes with
//! the French marks.

use crate::article::quotes::{Quotes, THIN_NO_BREAK};

/// The state of one block's text as it is smartened piece by piece (a paragraph arrives in
/// several pieces: emphasis, links and code split it).
#[derive(Debug, Clone)]
pub struct Smart {
    quotes: Quotes,
    /// The character before the next one: what decides whether a quote opens or closes.
    prev: char,
    /// Quotations open, innermost last: `true` for one opened by `"`, `false` by `'`.
    open: Vec<bool>,
}

/// Whether a quote after `c` opens a quotation: after white space, an opening bracket, a dash
/// or another opening mark (and at the start of a block, where `prev` is a space).
fn opens_after(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | '['
                | '{'
                | '—'
                | '–'
                | '-'
                | '/'
                | '“'
                | '‘'
                | '«'
                | '„'
                | '‚'
                | '‹'
                | '「'
                | '『'
        )
}

impl Smart {
    /// Smart punctuation with `quotes`.
    pub fn new(quotes: Quotes) -> Smart {
        Smart {
            quotes,
            prev: ' ',
            open: Vec::new(),
        }
    }

    /// A new block begins: no quotation is open, and the text starts as after white space.
    pub fn reset(&mut self) {
        self.prev = ' ';
        self.open.clear();
    }

    /// Text that is kept as written (code, raw HTML, an escaped character) still stands before
    /// what follows.
    pub fn literal(&mut self, text: &str) {
        if let Some(c) = text.chars().next_back() {
            self.prev = c;
        }
    }

    /// The marks of a quotation opened at nesting depth `depth` by `"` (`double`) or `'`.
    fn marks(&self, double: bool, depth: usize) -> (char, char) {
        if double && depth.is_multiple_of(2) {
            self.quotes.primary
        } else {
            self.quotes.secondary
        }
    }

    /// Closes the innermost quotation opened by `double` (and any opened inside it), returning
    /// its closing mark, or `None` when no such quotation is open.
    fn close(&mut self, double: bool) -> Option<char> {
        let at = self.open.iter().rposition(|d| *d == double)?;
        self.open.truncate(at + 1);
        self.open.pop();
        Some(self.marks(double, at).1)
    }

    /// `text` with its straight punctuation set.
    pub fn text(&mut self, text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len() + 8);
        let spaced = self.quotes.spaced;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            let prev = self.prev;
            match c {
                '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                    out.push('…');
                    i += 3;
                    self.prev = '…';
                    continue;
                }
                '-' => {
                    let run = chars[i..].iter().take_while(|&&d| d == '-').count();
                    match run {
                        2 => out.push('–'),
                        3 => out.push('—'),
                        _ => out.extend(std::iter::repeat_n('-', run)),
                    }
                    i += run;
                    self.prev = out.chars().next_back().unwrap_or('-');
                    continue;
                }
                '"' => {
                    // At the end of a piece (emphasis or code follows) the mark opens after a space.
                    // Between two letters (Chinese and Japanese put no space before a
                    // quotation, `实施"实体清单"的`) it opens when no quotation by `"` is open.
                    let opening = (opens_after(prev) && next.is_none_or(|n| !n.is_whitespace()))
                        || (prev.is_alphanumeric()
                            && next.is_some_and(char::is_alphanumeric)
                            && !self.open.contains(&true));
                    if opening {
                        let mark = self.marks(true, self.open.len()).0;
                        self.open.push(true);
                        out.push(mark);
                        if spaced && mark == '«' {
                            out.push(THIN_NO_BREAK);
                        }
                    } else {
                        let mark = self.close(true).unwrap_or(self.quotes.primary.1);
                        if spaced && mark == '»' {
                            thin_space_before(&mut out);
                        }
                        out.push(mark);
                    }
                }
                '\'' => {
                    let letter_next = next.is_some_and(char::is_alphanumeric);
                    if prev.is_alphanumeric() && letter_next {
                        // don't, l'État, rock'n'roll
                        out.push('’');
                    } else if opens_after(prev) && next.is_none_or(char::is_alphabetic) {
                        let mark = self.marks(false, self.open.len()).0;
                        self.open.push(false);
                        out.push(mark);
                    } else if opens_after(prev) {
                        // '90s, or a lone mark
                        out.push('’');
                    } else {
                        out.push(self.close(false).unwrap_or('’'));
                    }
                }
                ';' | ':' | '!' | '?'
                    if spaced
                        && (prev.is_alphanumeric()
                            || prev.is_whitespace()
                            || "»)]’”".contains(prev))
                        && !matches!(prev, '!' | '?')
                        && next.is_none_or(|n| n.is_whitespace() || "»)]!?".contains(n)) =>
                {
                    thin_space_before(&mut out);
                    out.push(c);
                }
                _ => out.push(c),
            }
            self.prev = c_after(&out, c);
            i += 1;
        }
        out
    }
}

/// What stands before the next character once `c` has been written: the last character put
/// out (a mark, not the straight quote typed).
fn c_after(out: &str, c: char) -> char {
    out.chars().next_back().unwrap_or(c)
}

/// Ends `out` with a no-break thin space: a space the author typed there becomes one (a
/// plain space could break the line before the mark), and one is added otherwise. At the start
/// of a piece (a mark right after emphasis) nothing is added.
fn thin_space_before(out: &mut String) {
    if out.ends_with(' ') || out.ends_with('\u{A0}') {
        out.pop();
        out.push(THIN_NO_BREAK);
    } else if !out.is_empty() && !out.ends_with(THIN_NO_BREAK) {
        out.push(THIN_NO_BREAK);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smart(tag: &str, text: &str) -> String {
        Smart::new(Quotes::for_language(tag)).text(text)
    }

    #[test]
    fn english_quotes_dashes_apostrophes_and_ellipsis() {
        assert_eq!(
            smart("en", r#""Don't," she said -- 'twice' --- in the '90s..."#),
            "“Don’t,” she said – ‘twice’ — in the ’90s…"
        );
        assert_eq!(smart("en", "the students' union"), "the students’ union");
        assert_eq!(smart("en", r#"("quoted")"#), "(“quoted”)");
        assert_eq!(smart("en", "a - b and ----"), "a - b and ----");
    }

    #[test]
    fn nested_quotes_take_the_secondary_marks() {
        assert_eq!(
            smart("en", r#""He said 'no' and "left"""#),
            "“He said ‘no’ and ‘left’”"
        );
        assert_eq!(smart("es", r#""dijo "sí" ayer""#), "«dijo “sí” ayer»");
        assert_eq!(smart("de", r#""Ja", sagte sie"#), "„Ja“, sagte sie");
        assert_eq!(smart("ja", r#""はい""#), "「はい」");
    }

    #[test]
    fn a_quotation_with_no_space_before_it_opens() {
        assert_eq!(smart("zh", r#"实施"实体清单"的"#), "实施“实体清单”的");
        assert_eq!(smart("ja", r#"政府は"育成就労"を"#), "政府は「育成就労」を");
        assert_eq!(smart("ru", r#"Слово"тест""#), "Слово«тест»");
        // A mark between letters inside an open quotation still closes it.
        assert_eq!(smart("zh", r#""甲"乙"#), "“甲”乙");
    }

    #[test]
    fn french_spacing_is_thin_and_unbreakable() {
        let n = THIN_NO_BREAK;
        assert_eq!(
            smart("fr", r#"Il dit "oui" ; puis : non ! Vraiment?"#),
            format!("Il dit «{n}oui{n}»{n}; puis{n}: non{n}! Vraiment{n}?")
        );
        // A URL and a time keep their colons tight.
        assert_eq!(
            smart("fr", "https://example.org à 10:30"),
            "https://example.org à 10:30"
        );
    }

    #[test]
    fn state_carries_across_pieces_of_one_block() {
        let mut s = Smart::new(Quotes::for_language("en"));
        let a = s.text("He wrote \"");
        s.literal("code");
        let b = s.text("\" twice.");
        assert_eq!(format!("{a}code{b}"), "He wrote “code” twice.");
        s.reset();
        assert_eq!(s.text("\"New"), "“New");
    }
}
