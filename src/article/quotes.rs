//! The quotation marks of a language, and where it puts a no-break thin space: what smart
//! punctuation sets for straight quotes typed in a brief of that language. Decided here, once,
//! beside the model; the readers use it, the backends never re-quote.

/// A language's quotation marks and spacing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotes {
    /// Opening and closing marks of a quotation.
    pub primary: (char, char),
    /// Opening and closing marks of a quotation inside a quotation.
    pub secondary: (char, char),
    /// French spacing: a no-break thin space (U+202F) inside guillemets and before `;`, `:`,
    /// `!` and `?`.
    pub spaced: bool,
}

/// The no-break thin space French typography puts inside « » and before ; : ! ?.
pub const THIN_NO_BREAK: char = '\u{202F}';

impl Quotes {
    /// The quotes of a BCP 47 tag's language (by its primary subtag, and its region where
    /// the usage differs: `pt-PT`, `de-CH`, `fr-CH`); English quotes when the language has no
    /// entry. Sources: each language's style authorities as summarised in the Unicode CLDR
    /// `delimiters` data (quotationStart/End, alternateQuotationStart/End).
    pub fn for_language(tag: &str) -> Quotes {
        let mut parts = tag.split(['-', '_']);
        let primary = parts.next().unwrap_or("").to_ascii_lowercase();
        let region = parts
            .find(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(str::to_ascii_uppercase);
        let q = |primary: (char, char), secondary: (char, char)| Quotes {
            primary,
            secondary,
            spaced: false,
        };
        let english = q(('“', '”'), ('‘', '’'));
        let guillemets = q(('«', '»'), ('“', '”'));
        let low_high = q(('„', '“'), ('‚', '‘'));
        match (primary.as_str(), region.as_deref()) {
            ("fr", Some("CH")) => q(('«', '»'), ('‹', '›')),
            ("fr", _) => Quotes {
                spaced: true,
                ..guillemets
            },
            ("de", Some("CH" | "LI")) => q(('«', '»'), ('‹', '›')),
            ("de" | "cs" | "sk" | "sl" | "lt" | "is" | "ka", _) => low_high,
            ("da", _) => low_high,
            ("pt", Some("PT")) => guillemets,
            ("es" | "it" | "el" | "ca" | "eu" | "gl" | "sq" | "ar" | "fa" | "ps", _) => guillemets,
            ("ru" | "uk" | "be", _) => q(('«', '»'), ('„', '“')),
            ("pl" | "ro" | "hu", _) => q(('„', '”'), ('«', '»')),
            ("hr" | "bs" | "sr", _) => q(('„', '”'), ('‘', '’')),
            ("bg", _) => q(('„', '“'), ('„', '“')),
            // Dutch: single quotes for a quotation, double inside (the Taalunie allows both;
            // single marks are what Dutch newspapers and publishers set).
            ("nl", _) => q(('‘', '’'), ('“', '”')),
            ("sv" | "fi", _) => q(('”', '”'), ('’', '’')),
            ("nb" | "nn" | "no", _) => q(('«', '»'), ('‘', '’')),
            ("ja", _) => q(('「', '」'), ('『', '』')),
            ("zh", Some("TW" | "HK" | "MO")) => q(('「', '」'), ('『', '』')),
            ("he", _) => q(('”', '”'), ('’', '’')),
            _ => english,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_gets_its_own_marks() {
        assert_eq!(Quotes::for_language("en-GB").primary, ('“', '”'));
        assert_eq!(Quotes::for_language("es").primary, ('«', '»'));
        assert_eq!(Quotes::for_language("es").secondary, ('“', '”'));
        assert!(Quotes::for_language("fr").spaced);
        assert!(!Quotes::for_language("fr-CH").spaced);
        assert_eq!(Quotes::for_language("de-DE").primary, ('„', '“'));
        assert_eq!(Quotes::for_language("pl").primary, ('„', '”'));
        assert_eq!(Quotes::for_language("ru").primary, ('«', '»'));
        assert_eq!(Quotes::for_language("ja").primary, ('「', '」'));
        assert_eq!(Quotes::for_language("pt-BR").primary, ('“', '”'));
        assert_eq!(Quotes::for_language("pt-PT").primary, ('«', '»'));
        assert_eq!(Quotes::for_language("xx").primary, ('“', '”'));
        // The languages briefpress has words for, outer and inner marks.
        for (tag, primary, secondary) in [
            ("ru", ('«', '»'), ('„', '“')),
            ("uk", ('«', '»'), ('„', '“')),
            ("pl", ('„', '”'), ('«', '»')),
            ("it", ('«', '»'), ('“', '”')),
            ("nl", ('‘', '’'), ('“', '”')),
            ("tr", ('“', '”'), ('‘', '’')),
            ("he", ('”', '”'), ('’', '’')),
            ("ar", ('«', '»'), ('“', '”')),
            ("ja", ('「', '」'), ('『', '』')),
            ("zh", ('“', '”'), ('‘', '’')),
        ] {
            let q = Quotes::for_language(tag);
            assert_eq!((q.primary, q.secondary), (primary, secondary), "{tag}");
        }
    }
}
