//! The language of a brief as every backend needs it: its BCP 47 tag checked once, its primary
//! language and script, the direction it is written in, the few words briefpress supplies
//! itself ("By", "and", "Notes" …) and how it writes a date.
//!
//! One rule decides the direction: the script, as the tag names it (`ar-Latn`, `ug-Cyrl`) or
//! else as the primary language is written by default (`ug` in Arabic script, `he` in Hebrew).
//! Labels and dates are data ([`LOCALES`]): a language is added as one more entry.

use super::Date;
use std::fmt;

/// A checked BCP 47 language tag and what follows from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// The tag as written (trimmed).
    tag: String,
    /// The primary language subtag, lower case.
    primary: String,
    /// The script: the tag's own script subtag (title case), else the language's default.
    script: String,
}

/// The direction a language is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
}

/// Why a language tag was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageError(pub String);

impl fmt::Display for LanguageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a BCP 47 language tag", self.0)
    }
}

impl std::error::Error for LanguageError {}

/// The words briefpress writes itself, in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels {
    /// Before the authors' names: "By".
    pub by: &'static str,
    /// Between the last two names of a list: "and".
    pub and: &'static str,
    /// The heading over notes no body paragraph cites.
    pub notes: &'static str,
    /// The heading of a table of contents.
    pub contents: &'static str,
    /// The word before a table's number.
    pub table: &'static str,
    /// The word before a figure's number.
    pub figure: &'static str,
    /// The word before a source line.
    pub source: &'static str,
    /// The name of an e-book's cover page.
    pub cover: &'static str,
    /// The name of an e-book's landmarks navigation.
    pub landmarks: &'static str,
}

/// How a language writes a calendar date: a pattern with `{d}`, `{m}` and `{y}` and the
/// months' names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateStyle {
    /// `{m} {d}, {y}` for English, `{d} de {m} de {y}` for Spanish …
    pub pattern: &'static str,
    /// January to December.
    pub months: [&'static str; 12],
}

/// One language's words and date style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale {
    /// The primary language subtag it serves.
    pub primary: &'static str,
    /// Its words.
    pub labels: Labels,
    /// Its dates.
    pub date: DateStyle,
}

/// The languages briefpress speaks; any other falls back to the first, English.
pub const LOCALES: &[Locale] = &[
    Locale {
        primary: "en",
        labels: Labels {
            by: "By",
            and: "and",
            notes: "Notes",
            contents: "Contents",
            table: "Table",
            figure: "Figure",
            source: "Source",
            cover: "Cover",
            landmarks: "Landmarks",
        },
        date: DateStyle {
            pattern: "{m} {d}, {y}",
            months: [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ],
        },
    },
    Locale {
        primary: "es",
        labels: Labels {
            by: "Por",
            and: "y",
            notes: "Notas",
            contents: "Índice",
            table: "Tabla",
            figure: "Figura",
            source: "Fuente",
            cover: "Portada",
            landmarks: "Puntos de referencia",
        },
        date: DateStyle {
            pattern: "{d} de {m} de {y}",
            months: [
                "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre",
            ],
        },
    },
    Locale {
        primary: "pt",
        labels: Labels {
            by: "Por",
            and: "e",
            notes: "Notas",
            contents: "Sumário",
            table: "Tabela",
            figure: "Figura",
            source: "Fonte",
            cover: "Capa",
            landmarks: "Pontos de referência",
        },
        date: DateStyle {
            pattern: "{d} de {m} de {y}",
            months: [
                "janeiro",
                "fevereiro",
                "março",
                "abril",
                "maio",
                "junho",
                "julho",
                "agosto",
                "setembro",
                "outubro",
                "novembro",
                "dezembro",
            ],
        },
    },
    Locale {
        primary: "fr",
        labels: Labels {
            by: "Par",
            and: "et",
            notes: "Notes",
            contents: "Sommaire",
            table: "Tableau",
            figure: "Figure",
            source: "Source",
            cover: "Couverture",
            landmarks: "Repères",
        },
        date: DateStyle {
            pattern: "{d} {m} {y}",
            months: [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
        },
    },
    Locale {
        primary: "de",
        labels: Labels {
            by: "Von",
            and: "und",
            notes: "Anmerkungen",
            contents: "Inhalt",
            table: "Tabelle",
            figure: "Abbildung",
            source: "Quelle",
            cover: "Titelbild",
            landmarks: "Orientierungspunkte",
        },
        date: DateStyle {
            pattern: "{d}. {m} {y}",
            months: [
                "Januar",
                "Februar",
                "März",
                "April",
                "Mai",
                "Juni",
                "Juli",
                "August",
                "September",
                "Oktober",
                "November",
                "Dezember",
            ],
        },
    },
];

/// Scripts written right to left (ISO 15924): Arabic, Hebrew, Syriac, Thaana, N'Ko, Adlam,
/// Hanifi Rohingya, Mandaic, Samaritan.
const RTL_SCRIPTS: [&str; 9] = [
    "Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand", "Samr",
];

/// The script a language is written in when its tag names none (CLDR's likely subtags), for
/// the languages whose script is not Latin; every other language is taken as Latin.
const DEFAULT_SCRIPTS: [(&str, &str); 32] = [
    ("ar", "Arab"),
    ("fa", "Arab"),
    ("ur", "Arab"),
    ("ps", "Arab"),
    ("sd", "Arab"),
    ("ug", "Arab"),
    ("ckb", "Arab"),
    ("he", "Hebr"),
    ("iw", "Hebr"),
    ("yi", "Hebr"),
    ("syr", "Syrc"),
    ("dv", "Thaa"),
    ("nqo", "Nkoo"),
    ("ru", "Cyrl"),
    ("uk", "Cyrl"),
    ("bg", "Cyrl"),
    ("be", "Cyrl"),
    ("sr", "Cyrl"),
    ("mk", "Cyrl"),
    ("kk", "Cyrl"),
    ("ky", "Cyrl"),
    ("mn", "Cyrl"),
    ("el", "Grek"),
    ("zh", "Hans"),
    ("ja", "Jpan"),
    ("ko", "Kore"),
    ("hi", "Deva"),
    ("mr", "Deva"),
    ("ne", "Deva"),
    ("bn", "Beng"),
    ("th", "Thai"),
    ("hy", "Armn"),
];

impl Language {
    /// Checks a tag's form (RFC 5646, loosely: a primary language of 2–3 or 5–8 letters, then
    /// subtags of 1–8 letters or digits, separated by hyphens). Registry membership is not
    /// checked: an unknown but well-formed language is still a language.
    pub fn parse(tag: &str) -> Result<Language, LanguageError> {
        let tag = tag.trim();
        let bad = || LanguageError(tag.to_owned());
        let mut parts = tag.split('-');
        let primary = parts.next().unwrap_or("");
        let primary_ok = matches!(primary.len(), 2 | 3 | 5..=8)
            && primary.bytes().all(|b| b.is_ascii_alphabetic());
        let mut script = None;
        for (i, p) in parts.enumerate() {
            if !(1..=8).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(bad());
            }
            // The script is the four-letter subtag right after the language (or after an
            // extended language subtag, which is three letters).
            if script.is_none()
                && i <= 1
                && p.len() == 4
                && p.bytes().all(|b| b.is_ascii_alphabetic())
            {
                script = Some(p);
            }
        }
        if !primary_ok {
            return Err(bad());
        }
        let primary = primary.to_ascii_lowercase();
        let script = match script {
            Some(s) => {
                let mut s = s.to_ascii_lowercase();
                s[..1].make_ascii_uppercase();
                s
            }
            None => DEFAULT_SCRIPTS
                .iter()
                .find(|(l, _)| *l == primary)
                .map_or("Latn", |(_, s)| s)
                .to_owned(),
        };
        Ok(Language {
            tag: tag.to_owned(),
            primary,
            script,
        })
    }

    /// The language of a tag, English when the tag is not well formed (the reader refuses
    /// such a tag in front matter; a JSON source or a model built in code may still hold one).
    pub fn of(tag: &str) -> Language {
        Language::parse(tag).unwrap_or_else(|_| Language::english())
    }

    /// English, the default language of a brief.
    pub fn english() -> Language {
        Language {
            tag: "en".to_owned(),
            primary: "en".to_owned(),
            script: "Latn".to_owned(),
        }
    }

    /// The tag as written.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The primary language subtag, lower case (`pt` of `pt-BR`).
    pub fn primary(&self) -> &str {
        &self.primary
    }

    /// The ISO 15924 script, title case: the tag's own script subtag, else the language's
    /// usual script (`Arab` for `ug`, `Latn` for `ug-Latn` and for `en`).
    pub fn script(&self) -> &str {
        &self.script
    }

    /// The direction the language is written in, by its script.
    pub fn direction(&self) -> Direction {
        if RTL_SCRIPTS.contains(&self.script.as_str()) {
            Direction::Rtl
        } else {
            Direction::Ltr
        }
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(&self) -> bool {
        self.direction() == Direction::Rtl
    }

    /// Whether the script is Chinese, Japanese or Korean (Word keeps these as East Asian).
    pub fn is_east_asian(&self) -> bool {
        matches!(
            self.script.as_str(),
            "Hans" | "Hant" | "Hani" | "Jpan" | "Kore"
        )
    }

    /// This language's words and date style, English where briefpress has none.
    pub fn locale(&self) -> &'static Locale {
        LOCALES
            .iter()
            .find(|l| l.primary == self.primary)
            .unwrap_or(&LOCALES[0])
    }

    /// The words briefpress writes itself, in this language.
    pub fn labels(&self) -> &'static Labels {
        &self.locale().labels
    }

    /// A date as prose in this language: "February 2, 2026", "2 de febrero de 2026".
    pub fn date(&self, date: Date) -> String {
        let style = &self.locale().date;
        let month = style.months[usize::from(date.month.clamp(1, 12)) - 1];
        style
            .pattern
            .replace("{d}", &date.day.to_string())
            .replace("{m}", month)
            .replace("{y}", &date.year.to_string())
    }

    /// Names as a list: "A", "A and B", "A, B and C" (with this language's "and").
    pub fn list(&self, names: &[String]) -> Option<String> {
        let and = self.labels().and;
        match names {
            [] => None,
            [one] => Some(one.clone()),
            [init @ .., last] => Some(format!("{} {and} {last}", init.join(", "))),
        }
    }
}

impl Default for Language {
    fn default() -> Self {
        Language::english()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rtl(tag: &str) -> bool {
        Language::parse(tag).unwrap().is_rtl()
    }

    #[test]
    fn direction_follows_the_script_explicit_or_default() {
        for tag in [
            "ar", "he", "iw", "fa", "ur", "yi", "ug", "ps", "sd", "ckb", "dv",
        ] {
            assert!(rtl(tag), "{tag}");
        }
        for tag in [
            "ar-Latn", "ug-Latn", "ug-Cyrl", "en", "es-419", "zh-Hant", "ru",
        ] {
            assert!(!rtl(tag), "{tag}");
        }
        assert!(rtl("en-Arab"));
        assert!(rtl("ar-EG"));
        assert!(rtl("ff-Adlm"));
        assert_eq!(Language::parse("sr-latn-RS").unwrap().script(), "Latn");
        assert_eq!(Language::parse("ug").unwrap().script(), "Arab");
    }

    #[test]
    fn malformed_tags_are_refused() {
        for tag in [
            "",
            "e",
            "english language",
            "en_US",
            "en--US",
            "1en",
            "en-toolongsubtag",
        ] {
            assert!(Language::parse(tag).is_err(), "{tag}");
        }
        for tag in [
            "en",
            "pt-BR",
            "zh-Hans-CN",
            "es-419",
            "de-CH-1996",
            "x-klingon-x",
        ] {
            // `x-` private use is not accepted as a primary language; the rest are.
            assert_eq!(
                Language::parse(tag).is_ok(),
                !tag.starts_with("x-"),
                "{tag}"
            );
        }
        assert_eq!(Language::of("not a tag").tag(), "en");
    }

    #[test]
    fn dates_and_lists_in_the_language() {
        let d = Date::new(2026, 2, 2).unwrap();
        assert_eq!(Language::of("en").date(d), "February 2, 2026");
        assert_eq!(Language::of("es-MX").date(d), "2 de febrero de 2026");
        assert_eq!(Language::of("de").date(d), "2. Februar 2026");
        assert_eq!(Language::of("xx").date(d), "February 2, 2026");
        let names = ["A".to_owned(), "B".to_owned(), "C".to_owned()];
        assert_eq!(Language::of("en").list(&names).unwrap(), "A, B and C");
        assert_eq!(Language::of("es").list(&names[..2]).unwrap(), "A y B");
    }
}
