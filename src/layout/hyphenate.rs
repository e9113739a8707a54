//! Hyphenation: where a word may be broken, by the article's language, with Liang's patterns
//! as `hypher` embeds them (every language it has patterns for is compiled in: some 45, from
//! Afrikaans to Ukrainian). The rules that decide
//! whether a point is used (at most two hyphenated lines in a row, none in the paragraph's
//! last word) live in `prepare` and `linebreak`; this file only knows words.

/// How one language hyphenates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hyphenation {
    lang: hypher::Lang,
    /// Fewest letters before a hyphen.
    pub left: usize,
    /// Fewest letters carried to the next line.
    pub right: usize,
    /// Shortest word (in letters) that is hyphenated at all.
    pub min_word: usize,
}

/// The per-language minima, as each language's typographic tradition sets them:
///
/// - English: 2 before, 3 after (TeX's `\lefthyphenmin`/`\righthyphenmin` for English and the
///   Chicago Manual's "at least two letters left, three carried"), words of 6 letters or more
///   (a 5-letter word would break 2 + 3, which reads as a stammer: "cli-mate" is fine, "wa-ter"
///   is not).
/// - Spanish: 2 and 2 (babel-spanish and the RAE's *Ortografía*, which allow a two-letter
///   syllable on either side), words of 5 letters or more.
/// - French and Portuguese: 2 and 3 (babel-french's and hyph-utf8's Portuguese settings: a
///   mute final syllable such as "-ble" or "-que" is never carried alone as two letters).
/// - German, Dutch, Italian, Polish, Russian, Ukrainian, Turkish: 2 and 2 (Duden, the
///   Woordenlijst, and hyph-utf8's values for the others: one-letter syllables are never cut
///   off, two-letter ones may be).
/// - Every other language: the minima hypher ships with its patterns (hyph-utf8's).
///
/// The shortest word hyphenated is one letter longer than the two minima together, so no
/// break leaves both sides at their minimum in a short word.
impl Hyphenation {
    /// The hyphenation for a BCP 47 tag (`en`, `en-GB`, `es-CO`, `fr-CA`), or `None` when no
    /// patterns for its language are embedded.
    pub fn for_language(tag: &str) -> Option<Hyphenation> {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        // hypher knows Norwegian as `no`; Bokmål and Nynorsk tags use its patterns.
        let primary = match primary.as_str() {
            "nb" | "nn" => "no".to_owned(),
            _ => primary,
        };
        let code: [u8; 2] = primary.as_bytes().try_into().ok()?;
        let lang = hypher::Lang::from_iso(code)?;
        let (left, right, min_word) = match primary.as_str() {
            "en" => (2, 3, 6),
            "fr" | "pt" => (2, 3, 6),
            "es" | "de" | "nl" | "it" | "pl" | "ru" | "uk" | "tr" => (2, 2, 5),
            _ => {
                let (l, r) = lang.bounds();
                (l, r, l + r + 1)
            }
        };
        Some(Hyphenation {
            lang,
            left,
            right,
            min_word,
        })
    }

    /// Byte offsets inside `word` where it may break. Words that are not all letters, are
    /// shorter than the minimum, are written in capitals (acronyms: "NATO", "ELN") or are too
    /// long for hypher's inline buffer are left whole.
    pub fn points(&self, word: &str) -> Vec<usize> {
        let letters = word.chars().count();
        if letters < self.min_word
            || word.len() > hypher::MAX_INLINE_SIZE
            || !word.chars().all(char::is_alphabetic)
            || word.chars().filter(|c| c.is_uppercase()).count() > 1
        {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut at = 0;
        let syllables = hypher::hyphenate_bounded(word, self.lang, self.left, self.right);
        for s in syllables {
            at += s.len();
            if at < word.len() {
                out.push(at);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(h: &Hyphenation, word: &str) -> String {
        let mut out = String::new();
        let mut prev = 0;
        for p in h.points(word) {
            out.push_str(&word[prev..p]);
            out.push('-');
            prev = p;
        }
        out.push_str(&word[prev..]);
        out
    }

    #[test]
    fn english_examples_respect_the_minima() {
        let en = Hyphenation::for_language("en-US").expect("English patterns");
        assert_eq!(split(&en, "counternarcotics"), "coun-ternar-cotics");
        assert_eq!(split(&en, "administration"), "ad-min-is-tra-tion");
        // Three letters at least carried over, two at least left.
        for word in ["strategy", "security", "relationship", "Colombian"] {
            let s = split(&en, word);
            let parts: Vec<&str> = s.split('-').collect();
            assert!(parts[0].chars().count() >= 2, "{s}");
            assert!(parts[parts.len() - 1].chars().count() >= 3, "{s}");
        }
        // Short words, acronyms and mixed tokens stay whole.
        assert!(en.points("water").is_empty());
        assert!(en.points("NATO").is_empty());
        assert!(en.points("COVID19").is_empty());
    }

    #[test]
    fn spanish_examples() {
        let es = Hyphenation::for_language("es").expect("Spanish patterns");
        assert_eq!(split(&es, "narcotráfico"), "nar-co-trá-fi-co");
        // The patterns keep a diphthong ("ia", "ie") with the letters after it.
        assert_eq!(split(&es, "colombiano"), "co-lom-biano");
        assert_eq!(split(&es, "seguridad"), "se-gu-ri-dad");
        assert_eq!(split(&es, "gobierno"), "go-bierno");
    }

    #[test]
    fn french_german_and_russian_break_within_their_minima() {
        let fr = Hyphenation::for_language("fr-FR").expect("French patterns");
        let s = split(&fr, "constitutionnellement");
        assert!(s.matches('-').count() >= 3, "{s}");
        let parts: Vec<&str> = s.split('-').collect();
        assert!(parts[0].chars().count() >= 2, "{s}");
        assert!(parts[parts.len() - 1].chars().count() >= 3, "{s}");
        // A five-letter word is too short for 2 + 3.
        assert!(fr.points("table").is_empty());
        let de = Hyphenation::for_language("de").expect("German patterns");
        assert!(split(&de, "Zusammenarbeit").contains('-'));
        let ru = Hyphenation::for_language("ru").expect("Russian patterns");
        assert!(split(&ru, "сотрудничество").contains('-'));
        assert!(Hyphenation::for_language("nb").is_some());
    }

    #[test]
    fn a_language_without_patterns_has_none() {
        assert!(Hyphenation::for_language("ja").is_none());
        assert!(Hyphenation::for_language("zz").is_none());
        assert!(Hyphenation::for_language("").is_none());
    }
}
