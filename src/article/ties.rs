//! Ties: the no-break space Polish and Czech typography puts after a one-letter preposition or
//! conjunction ("w Polsce", "a także", "k jednání"), so no line ends on it. The model keeps the
//! text as written; [`Article::presented`] gives the backends a copy with the ties, so the PDF,
//! the DOCX and the EPUB all carry U+00A0 there. Code spans and link targets are left alone.

use super::{Article, Block, Figure, Inline, Language};
use std::borrow::Cow;

/// The no-break space a tie is.
pub const NO_BREAK_SPACE: char = '\u{A0}';

/// The one-letter words a language keeps with the next word, in both cases; none for a
/// language without that rule.
pub fn one_letter_words(language: &Language) -> &'static [char] {
    match language.primary() {
        // Polish: the prepositions w, z, o, u and the conjunctions a, i.
        "pl" => &['a', 'i', 'o', 'u', 'w', 'z', 'A', 'I', 'O', 'U', 'W', 'Z'],
        // Czech (ČSN 01 6910) and Slovak: also the prepositions k, s, v.
        "cs" | "sk" => &[
            'a', 'i', 'o', 'u', 'w', 'z', 'k', 's', 'v', 'A', 'I', 'O', 'U', 'W', 'Z', 'K', 'S',
            'V',
        ],
        _ => &[],
    }
}

/// `text` with a no-break space for the space after each of `words` standing alone (at the
/// start, or after a space or an opening bracket or quote); `None` when nothing changes.
pub fn tie(text: &str, words: &[char]) -> Option<String> {
    if words.is_empty() {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for (i, &c) in chars.iter().enumerate() {
        let tied = c == ' '
            && i >= 1
            && words.contains(&chars[i - 1])
            && (i == 1 || opens_word(chars[i - 2]));
        if tied {
            out.push(NO_BREAK_SPACE);
            changed = true;
        } else {
            out.push(c);
        }
    }
    changed.then_some(out)
}

/// Whether a word may start right after `c`: a space, or an opening bracket, quote or dash.
fn opens_word(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | '[' | '„' | '“' | '«' | '»' | '‚' | '‘' | '"' | '—' | '–'
        )
}

impl Article {
    /// The article as the backends set it: in Polish and Czech, with a no-break space after
    /// each one-letter word of the text (headings, paragraphs, cells, captions, notes, the
    /// dek and the summary; not code, not the title, which is also metadata); otherwise the
    /// article itself.
    pub fn presented(&self) -> Cow<'_, Article> {
        let words = one_letter_words(&self.meta.lang());
        if words.is_empty() {
            return Cow::Borrowed(self);
        }
        let mut a = self.clone();
        let fix = |s: &mut String| {
            if let Some(t) = tie(s, words) {
                *s = t;
            }
        };
        a.meta.subtitle.as_mut().map(fix);
        a.meta.summary.as_mut().map(fix);
        if let Some(photo) = &mut a.photo {
            figure(photo, words);
        }
        blocks(&mut a.blocks, words);
        for note in &mut a.notes {
            blocks(&mut note.blocks, words);
        }
        Cow::Owned(a)
    }
}

fn figure(f: &mut Figure, words: &[char]) {
    if let Some(t) = tie(&f.caption, words) {
        f.caption = t;
    }
}

fn blocks(list: &mut [Block], words: &[char]) {
    for b in list {
        match b {
            Block::Heading { content, .. } | Block::Paragraph { content } => {
                inlines(content, words);
            }
            Block::Quote { blocks: inner } => blocks(inner, words),
            Block::List { items, .. } => items.iter_mut().for_each(|i| blocks(i, words)),
            Block::Figure { figure: f } => figure(f, words),
            Block::Table { table } => {
                if let Some(t) = tie(&table.caption, words) {
                    table.caption = t;
                }
                table
                    .cells_mut()
                    .for_each(|c| inlines(&mut c.content, words));
            }
            Block::Rule => {}
        }
    }
}

fn inlines(list: &mut [Inline], words: &[char]) {
    for i in list {
        match i {
            Inline::Text { text } => {
                if let Some(t) = tie(text, words) {
                    *text = t;
                }
            }
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => inlines(content, words),
            Inline::Code { .. } | Inline::FootnoteRef { .. } | Inline::LineBreak => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Meta, para};

    const PL: &[char] = &['a', 'i', 'o', 'u', 'w', 'z', 'A', 'I', 'O', 'U', 'W', 'Z'];

    #[test]
    fn one_letter_words_keep_the_next_word() {
        assert_eq!(
            tie("Rząd w Warszawie i Berlin, a także (z Pragą)", PL).unwrap(),
            "Rząd w\u{A0}Warszawie i\u{A0}Berlin, a\u{A0}także (z\u{A0}Pragą)"
        );
        assert_eq!(tie("W Polsce", PL).unwrap(), "W\u{A0}Polsce");
        // Not a word of its own: the last letter of a word, a letter after a digit.
        assert_eq!(tie("Kraków i", PL), None);
        assert_eq!(tie("nowa umowa", PL), None);
        assert_eq!(tie("3w x", PL), None);
    }

    #[test]
    fn czech_ties_k_s_v_and_other_languages_none() {
        let cs = one_letter_words(&Language::of("cs-CZ"));
        assert_eq!(
            tie("k jednání s vládou v Praze", cs).unwrap(),
            "k\u{A0}jednání s\u{A0}vládou v\u{A0}Praze"
        );
        assert_eq!(tie("v Praze", PL), None);
        assert!(one_letter_words(&Language::of("en")).is_empty());
    }

    #[test]
    fn the_presented_article_ties_text_but_not_code_or_the_title() {
        let mut meta = Meta::new("Polska i Niemcy");
        meta.language = "pl".into();
        meta.summary = Some("Raport o handlu".into());
        let mut a = Article {
            meta,
            photo: None,
            blocks: vec![para("Umowa z Niemcami")],
            notes: vec![],
        };
        if let Block::Paragraph { content } = &mut a.blocks[0] {
            content.push(Inline::Code {
                text: " a b".into(),
            });
        }
        let p = a.presented();
        assert_eq!(p.meta.title, "Polska i Niemcy");
        assert_eq!(p.meta.summary.as_deref(), Some("Raport o\u{A0}handlu"));
        let Block::Paragraph { content } = &p.blocks[0] else {
            panic!("a paragraph")
        };
        assert_eq!(
            content[0],
            Inline::Text {
                text: "Umowa z\u{A0}Niemcami".into()
            }
        );
        assert_eq!(
            content[1],
            Inline::Code {
                text: " a b".into()
            }
        );
        a.meta.language = "de".into();
        assert!(matches!(a.presented(), Cow::Borrowed(_)));
    }
}
