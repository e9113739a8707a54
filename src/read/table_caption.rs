//! Table captions as authors write them in running text: pandoc's `Table: …` paragraph right
//! before or after a table (or its short form `: …`), and a source line inside the caption
//! (`… Source: Eurostat.`) split off as the table's source, as a figure's credit is.

use crate::article::{Block, Inline, Language, plain_text};

/// Gives each table without a caption the `Table: …` paragraph right before it, else right
/// after it, taking that paragraph out of the body; quotes, list items and notes are searched
/// the same way. A caption's source line becomes the table's source.
pub fn attach(blocks: &mut Vec<Block>, language: &Language) {
    let words = caption_words(language);
    let mut i = 0;
    while i < blocks.len() {
        match &mut blocks[i] {
            Block::Quote { blocks: inner } => attach(inner, language),
            Block::List { items, .. } => items.iter_mut().for_each(|b| attach(b, language)),
            _ => {}
        }
        let is_open_table = matches!(&blocks[i], Block::Table { table } if table.caption.is_empty() && table.source.is_none());
        if is_open_table {
            let before = i
                .checked_sub(1)
                .filter(|&k| caption_of(&blocks[k], &words).is_some());
            let after = Some(i + 1)
                .filter(|&k| k < blocks.len() && caption_of(&blocks[k], &words).is_some());
            if let Some(k) = before.or(after) {
                let text = caption_of(&blocks[k], &words).unwrap_or_default();
                let (caption, source) = split_source(&text, language);
                if let Block::Table { table } = &mut blocks[i] {
                    (table.caption, table.source) = (caption, source);
                }
                blocks.remove(k);
                if k < i {
                    i -= 1;
                }
            }
        }
        i += 1;
    }
}

/// The words that open a caption paragraph: `Table`, the language's own word for it (with
/// the colons its writers type: `Tableau :`, `表：`), and pandoc's bare colon.
fn caption_words(language: &Language) -> Vec<String> {
    let mut words = vec!["Table:".to_owned()];
    for own in colon_forms(&language.labels().table_word()) {
        if !words.contains(&own) {
            words.push(own);
        }
    }
    words.push(":".to_owned());
    words
}

/// A label word followed by a colon as writers of its language type it: `Tabla:`, French
/// `Tableau :` (with a space, a no-break space or a thin one), Chinese and Japanese `表：`.
fn colon_forms(word: &str) -> Vec<String> {
    ["", " ", "\u{A0}", "\u{202F}"]
        .iter()
        .map(|space| format!("{word}{space}:"))
        .chain([format!("{word}：")])
        .collect()
}

/// The caption a paragraph gives, without its opening word, if it is a caption paragraph.
fn caption_of(block: &Block, words: &[String]) -> Option<String> {
    let Block::Paragraph { content } = block else {
        return None;
    };
    if content
        .iter()
        .any(|i| matches!(i, Inline::FootnoteRef { .. }))
    {
        // A caption's note would be lost with the paragraph.
        return None;
    }
    strip_opening(&plain_text(content), words)
}

/// The text after a caption's opening word, if it opens with one.
fn strip_opening(text: &str, words: &[String]) -> Option<String> {
    let trimmed = text.trim_start();
    words.iter().find_map(|w| {
        let rest = trimmed.strip_prefix(w.as_str())?;
        // `:` alone opens a caption only when a space follows (pandoc's rule).
        (w != ":" || rest.starts_with(' ')).then(|| rest.trim().to_owned())
    })
}

/// Whether a line of text opens a table caption (`Table: …`).
pub fn opens_caption(text: &str, language: &Language) -> bool {
    strip_opening(text, &caption_words(language)).is_some()
}

/// Splits a caption at its source line: the last `Source:` (or the language's word for it),
/// at the start of the caption or after a space. Returns the caption without it and the source
/// without its wrapper; no source when there is nothing after the word.
pub fn split_source(text: &str, language: &Language) -> (String, Option<String>) {
    let mut words = vec!["Source:".to_owned(), "Sources:".to_owned()];
    for own in colon_forms(&language.labels().source_word()) {
        if !words.contains(&own) {
            words.push(own);
        }
    }
    // The word's ASCII letters match in either case ("SOURCE:"), the others as written, so
    // no lower-casing changes byte offsets ("İ" in a Turkish caption).
    let found = words
        .iter()
        .filter_map(|w| {
            text.char_indices()
                .rev()
                .map(|(at, _)| at)
                .filter(|&at| {
                    text.get(at..at + w.len())
                        .is_some_and(|s| s.eq_ignore_ascii_case(w))
                })
                .find(|&at| {
                    // At the start, after a space, or after the full stop of a script written
                    // without spaces ("…。来源：").
                    text[..at]
                        .chars()
                        .next_back()
                        .is_none_or(|c| c.is_whitespace() || matches!(c, '。' | '；' | '，' | '）'))
                })
                .map(|at| (at, w.len()))
        })
        .max();
    match found {
        Some((at, len)) if !text[at + len..].trim().is_empty() => (
            text[..at].trim().to_owned(),
            Some(text[at + len..].trim().to_owned()),
        ),
        _ => (text.trim().to_owned(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Cell, Table, para};

    fn table() -> Block {
        Block::Table {
            table: Table {
                caption: String::new(),
                source: None,
                align: Vec::new(),
                head: Vec::new(),
                body: vec![vec![Cell::default()]],
            },
        }
    }

    fn caption(b: &Block) -> (&str, Option<&str>) {
        match b {
            Block::Table { table } => (&table.caption, table.source.as_deref()),
            _ => panic!("not a table: {b:?}"),
        }
    }

    #[test]
    fn a_caption_before_is_taken_first_and_its_source_split_off() {
        let en = Language::of("en");
        let mut blocks = vec![
            para("Table: Budget by year. Source: Eurostat, 2026."),
            table(),
            para("Table: after"),
        ];
        attach(&mut blocks, &en);
        assert_eq!(blocks.len(), 2);
        assert_eq!(
            caption(&blocks[0]),
            ("Budget by year.", Some("Eurostat, 2026."))
        );
        assert_eq!(blocks[1], para("Table: after"));
    }

    #[test]
    fn a_caption_after_and_the_short_form_and_the_language_word_count() {
        let es = Language::of("es");
        let mut blocks = vec![table(), para(": Presupuesto. Fuente: INE")];
        attach(&mut blocks, &es);
        assert_eq!(caption(&blocks[0]), ("Presupuesto.", Some("INE")));
        let mut blocks = vec![para("Tabla: Gasto"), table()];
        attach(&mut blocks, &es);
        assert_eq!(caption(&blocks[0]), ("Gasto", None));
    }

    #[test]
    fn ordinary_paragraphs_stay() {
        let en = Language::of("en");
        let mut blocks = vec![para("Tables: many"), table(), para(":no space")];
        attach(&mut blocks, &en);
        assert_eq!(blocks.len(), 3);
        assert_eq!(caption(&blocks[1]), ("", None));
        assert_eq!(
            split_source("Resource: x", &en),
            ("Resource: x".to_owned(), None)
        );
    }
}
