//! The language of a brief as every backend needs it: its BCP 47 tag checked once, its primary
//! language and script, the direction it is written in, the few words briefpress supplies
//! itself ("By", "and", "Notes" …) and how it writes a date.
//!
//! One rule decides the direction: the script, as the tag names it (`ar-Latn`, `ug-Cyrl`) or
//! else as the primary language is written by default (`ug` in Arabic script, `he` in Hebrew).
//! Labels and dates are data ([`LOCALES`]): a language is added as one more entry.

use super::Date;
use std::borrow::Cow;
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

impl Direction {
    /// The direction a paragraph of `text` is set in: the one most of its letters are
    /// written in (by their Unicode bidirectional class), else — no letters, or as many each
    /// way — `default`, the brief's. So an Arabic paragraph in an English brief is set right
    /// to left, an English one in a Hebrew brief left to right, and an Arabic sentence that
    /// opens with "NATO" stays right to left (where the first strong letter, UAX #9's rule,
    /// would turn it). Every format asks this one function.
    pub fn of_paragraph(text: &str, default: Direction) -> Direction {
        use unicode_bidi::BidiClass::{AL, L, R};
        let (mut ltr, mut rtl) = (0usize, 0usize);
        for c in text.chars() {
            match unicode_bidi::bidi_class(c) {
                L => ltr += 1,
                R | AL => rtl += 1,
                _ => {}
            }
        }
        match ltr.cmp(&rtl) {
            std::cmp::Ordering::Greater => Direction::Ltr,
            std::cmp::Ordering::Less => Direction::Rtl,
            std::cmp::Ordering::Equal => default,
        }
    }
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

/// The words briefpress writes itself, in one language. Most are forms with a placeholder, so
/// a language may put its word after the number or glue it on without a space: "Table {n}"
/// but "表{n}", "Source: {source}" but "来源：{source}", "By {names}" but "{names}" alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    /// The authors' line: "By {names}".
    pub by: Cow<'static, str>,
    /// Between the last two names of a list, spaces included: " and ".
    pub and: Cow<'static, str>,
    /// Between the other names of a list: ", ".
    pub comma: Cow<'static, str>,
    /// An author with an affiliation: "{name} ({affiliation})".
    pub affiliation: Cow<'static, str>,
    /// The heading over notes no body paragraph cites.
    pub notes: Cow<'static, str>,
    /// The heading of a table of contents.
    pub contents: Cow<'static, str>,
    /// A table's label: "Table {n}".
    pub table: Cow<'static, str>,
    /// A figure's label: "Figure {n}".
    pub figure: Cow<'static, str>,
    /// Between a label and its caption: ". " ("Table 1. Budget"), "：" in Chinese.
    pub caption_separator: Cow<'static, str>,
    /// A source line: "Source: {source}".
    pub source: Cow<'static, str>,
    /// The name of an e-book's cover page.
    pub cover: Cow<'static, str>,
    /// The name of an e-book's landmarks navigation.
    pub landmarks: Cow<'static, str>,
    /// A briefing pack's title when its manifest gives none.
    pub pack: Cow<'static, str>,
}

/// Every label a theme may override (`[labels.<tag>]`), as its key is written.
pub const LABEL_KEYS: [&str; 13] = [
    "by",
    "and",
    "comma",
    "affiliation",
    "notes",
    "contents",
    "table",
    "figure",
    "caption_separator",
    "source",
    "cover",
    "landmarks",
    "pack",
];

/// The placeholders of the labels that are forms.
const PLACEHOLDERS: [(&str, &[&str]); 5] = [
    ("by", &["{names}"]),
    ("affiliation", &["{name}", "{affiliation}"]),
    ("table", &["{n}"]),
    ("figure", &["{n}"]),
    ("source", &["{source}"]),
];

/// Whether a character belongs to a script written without spaces between words (Chinese,
/// Japanese), where a label is glued to what follows it.
fn is_wide(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{312F}' | '\u{3190}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FF60}')
}

impl Labels {
    fn slot(&mut self, key: &str) -> Option<&mut Cow<'static, str>> {
        Some(match key {
            "by" => &mut self.by,
            "and" => &mut self.and,
            "comma" => &mut self.comma,
            "affiliation" => &mut self.affiliation,
            "notes" => &mut self.notes,
            "contents" => &mut self.contents,
            "table" => &mut self.table,
            "figure" => &mut self.figure,
            "caption_separator" => &mut self.caption_separator,
            "source" => &mut self.source,
            "cover" => &mut self.cover,
            "landmarks" => &mut self.landmarks,
            "pack" => &mut self.pack,
            _ => return None,
        })
    }

    /// Sets label `key` to `value` as a theme writes it. A form may be given as its word alone:
    /// `by = "Texte :"` means "Texte : {names}", `table = "Tab."` means "Tab. {n}", `source =
    /// "Fonte"` means "Fonte: {source}" (a word in Chinese or Japanese script is glued on:
    /// `table = "表"` is "表{n}"), and `and = "et"` gets its spaces. Refused: an unknown key, an
    /// unknown placeholder, an affiliation form without both of its placeholders, and an empty
    /// heading or name.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let allowed = PLACEHOLDERS
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(&[][..], |(_, p)| *p);
        let mut rest = value;
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
            let found = &rest[open..close];
            if !allowed.contains(&found) {
                let takes = if allowed.is_empty() {
                    "takes no placeholder".to_owned()
                } else {
                    format!("takes {}", allowed.join(" and "))
                };
                return Err(format!(
                    "`{found}` is not a placeholder of label `{key}`, which {takes}"
                ));
            }
            rest = &rest[close..];
        }
        let last = value.chars().next_back();
        let glued = last.is_none_or(|c| c.is_whitespace() || is_wide(c));
        let form = match key {
            "by" | "table" | "figure" if !allowed.iter().any(|p| value.contains(p)) => {
                let p = allowed[0];
                if glued {
                    format!("{value}{p}")
                } else {
                    format!("{value} {p}")
                }
            }
            "source" if !value.contains("{source}") => match last {
                Some(':') => format!("{value} {{source}}"),
                Some(c) if is_wide(c) && c != '：' => format!("{value}：{{source}}"),
                _ if glued => format!("{value}{{source}}"),
                _ => format!("{value}: {{source}}"),
            },
            "affiliation" if !(value.contains("{name}") && value.contains("{affiliation}")) => {
                return Err(
                    "label `affiliation` needs both {name} and {affiliation}, as in \"{name} ({affiliation})\"".into(),
                );
            }
            "and" | "comma"
                if value.starts_with(char::is_alphabetic)
                    && last.is_some_and(|c| c.is_alphabetic() && !is_wide(c)) =>
            {
                format!(" {value} ")
            }
            "notes" | "contents" | "cover" | "landmarks" | "pack" if value.trim().is_empty() => {
                return Err(format!("label `{key}` must not be empty"));
            }
            _ => value.to_owned(),
        };
        let slot = self
            .slot(key)
            .ok_or_else(|| format!("unknown label `{key}`"))?;
        *slot = Cow::Owned(form);
        Ok(())
    }

    /// The authors' line for a list of names: "By A and B".
    pub fn byline(&self, names: &str) -> String {
        self.by.replacen("{names}", names, 1)
    }

    /// Names as a list: "A", "A and B", "A, B and C".
    pub fn list(&self, names: &[String]) -> Option<String> {
        match names {
            [] => None,
            [one] => Some(one.clone()),
            [init @ .., last] => Some(format!("{}{}{last}", init.join(&self.comma), self.and)),
        }
    }

    /// An author with an affiliation: "Jane Doe (Arsht Center)".
    pub fn affiliated(&self, name: &str, affiliation: &str) -> String {
        // One pass, so a name that contains "{affiliation}" stays as written.
        let form = &self.affiliation;
        let mut out = String::new();
        let mut rest: &str = form;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open..];
            if let Some(r) = after.strip_prefix("{name}") {
                out.push_str(name);
                rest = r;
            } else if let Some(r) = after.strip_prefix("{affiliation}") {
                out.push_str(affiliation);
                rest = r;
            } else {
                out.push('{');
                rest = &after[1..];
            }
        }
        out.push_str(rest);
        out
    }

    /// Table number `n`'s label: "Table 3", "表3".
    pub fn table_label(&self, n: usize) -> String {
        self.table.replacen("{n}", &n.to_string(), 1)
    }

    /// Figure number `n`'s label: "Figure 3", "图3".
    pub fn figure_label(&self, n: usize) -> String {
        self.figure.replacen("{n}", &n.to_string(), 1)
    }

    /// A source line: "Source: Eurostat", "来源：国家统计局".
    pub fn source_line(&self, source: &str) -> String {
        self.source.replacen("{source}", source, 1)
    }

    /// The word of a form, without its placeholder, spaces and colon: "Table", "表", "Source".
    fn word(form: &str, placeholder: &str) -> String {
        let before = form.split(placeholder).next().unwrap_or(form);
        let before = if before.trim().is_empty() {
            form.split(placeholder).nth(1).unwrap_or("")
        } else {
            before
        };
        before
            .trim_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：'))
            .to_owned()
    }

    /// The word a table's label is made of ("Table", "Tableau", "表"), which readers recognise
    /// before a caption.
    pub fn table_word(&self) -> String {
        Labels::word(&self.table, "{n}")
    }

    /// The word a source line opens with ("Source", "Fuente", "来源").
    pub fn source_word(&self) -> String {
        Labels::word(&self.source, "{source}")
    }
}

/// How a language writes a calendar date: a pattern with `{d}`, `{m}` and `{y}` and the
/// months' names (their numbers, for Chinese and Japanese).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateStyle {
    /// `{m} {d}, {y}` for English, `{d} de {m} de {y}` for Spanish …
    pub pattern: &'static str,
    /// January to December, in the form the pattern needs (the genitive in Slavic languages:
    /// "12 maja", "12 мая").
    pub months: [&'static str; 12],
    /// How the first day of a month is written when not as "1": French "1er".
    pub first_day: Option<&'static str>,
}

/// One language's words and date style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locale {
    /// The primary language subtag it serves.
    pub primary: &'static str,
    /// Its words.
    pub labels: Labels,
    /// Its dates.
    pub date: DateStyle,
}

/// A locale's labels from their forms, in the order of [`LABEL_KEYS`].
macro_rules! labels {
    ($by:expr, $and:expr, $comma:expr, $aff:expr, $notes:expr, $contents:expr, $table:expr,
     $figure:expr, $sep:expr, $source:expr, $cover:expr, $landmarks:expr, $pack:expr $(,)?) => {
        Labels {
            by: Cow::Borrowed($by),
            and: Cow::Borrowed($and),
            comma: Cow::Borrowed($comma),
            affiliation: Cow::Borrowed($aff),
            notes: Cow::Borrowed($notes),
            contents: Cow::Borrowed($contents),
            table: Cow::Borrowed($table),
            figure: Cow::Borrowed($figure),
            caption_separator: Cow::Borrowed($sep),
            source: Cow::Borrowed($source),
            cover: Cow::Borrowed($cover),
            landmarks: Cow::Borrowed($landmarks),
            pack: Cow::Borrowed($pack),
        }
    };
}

/// Latin-script authors with an affiliation in round brackets.
const PARENS: &str = "{name} ({affiliation})";
/// Chinese and Japanese: full-width brackets.
const WIDE_PARENS: &str = "{name}（{affiliation}）";

/// The languages briefpress speaks; any other falls back to the first, English (with one
/// warning when the brief is read). Bylines: Polish, Czech, Russian, Ukrainian, Turkish and Japanese
/// name the authors without a preposition, as their publications do (a "by" word would be a
/// calque); Chinese opens with "作者：". Arabic and Hebrew attach "and" (و, ו) to the next
/// name. Arabic dates use Western digits (see docs/decisions.md).
pub const LOCALES: &[Locale] = &[
    Locale {
        primary: "en",
        labels: labels!(
            "By {names}",
            " and ",
            ", ",
            PARENS,
            "Notes",
            "Contents",
            "Table {n}",
            "Figure {n}",
            ". ",
            "Source: {source}",
            "Cover",
            "Landmarks",
            "Briefing pack",
        ),
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
            first_day: None,
        },
    },
    Locale {
        primary: "es",
        labels: labels!(
            "Por {names}",
            " y ",
            ", ",
            PARENS,
            "Notas",
            "Índice",
            "Tabla {n}",
            "Figura {n}",
            ". ",
            "Fuente: {source}",
            "Portada",
            "Puntos de referencia",
            "Dosier informativo",
        ),
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
            first_day: None,
        },
    },
    Locale {
        primary: "pt",
        labels: labels!(
            "Por {names}",
            " e ",
            ", ",
            PARENS,
            "Notas",
            "Sumário",
            "Tabela {n}",
            "Figura {n}",
            ". ",
            "Fonte: {source}",
            "Capa",
            "Pontos de referência",
            "Dossiê informativo",
        ),
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
            first_day: None,
        },
    },
    Locale {
        primary: "fr",
        labels: labels!(
            "Par {names}",
            " et ",
            ", ",
            PARENS,
            "Notes",
            "Sommaire",
            "Tableau {n}",
            "Figure {n}",
            ". ",
            "Source\u{202F}: {source}",
            "Couverture",
            "Repères",
            "Dossier d’information",
        ),
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
            first_day: Some("1er"),
        },
    },
    Locale {
        primary: "de",
        labels: labels!(
            "Von {names}",
            " und ",
            ", ",
            PARENS,
            "Anmerkungen",
            "Inhalt",
            "Tabelle {n}",
            "Abbildung {n}",
            ": ",
            "Quelle: {source}",
            "Titelbild",
            "Orientierungspunkte",
            "Informationsmappe",
        ),
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
            first_day: None,
        },
    },
    Locale {
        primary: "it",
        labels: labels!(
            "di {names}",
            " e ",
            ", ",
            PARENS,
            "Note",
            "Indice",
            "Tabella {n}",
            "Figura {n}",
            ". ",
            "Fonte: {source}",
            "Copertina",
            "Punti di riferimento",
            "Dossier informativo",
        ),
        date: DateStyle {
            pattern: "{d} {m} {y}",
            months: [
                "gennaio",
                "febbraio",
                "marzo",
                "aprile",
                "maggio",
                "giugno",
                "luglio",
                "agosto",
                "settembre",
                "ottobre",
                "novembre",
                "dicembre",
            ],
            first_day: None,
        },
    },
    Locale {
        primary: "nl",
        labels: labels!(
            "Door {names}",
            " en ",
            ", ",
            PARENS,
            "Noten",
            "Inhoud",
            "Tabel {n}",
            "Figuur {n}",
            ". ",
            "Bron: {source}",
            "Omslag",
            "Oriëntatiepunten",
            "Informatiemap",
        ),
        date: DateStyle {
            pattern: "{d} {m} {y}",
            months: [
                "januari",
                "februari",
                "maart",
                "april",
                "mei",
                "juni",
                "juli",
                "augustus",
                "september",
                "oktober",
                "november",
                "december",
            ],
            first_day: None,
        },
    },
    Locale {
        primary: "pl",
        labels: labels!(
            "{names}",
            " i ",
            ", ",
            PARENS,
            "Przypisy",
            "Spis treści",
            "Tabela {n}",
            "Rysunek {n}",
            ". ",
            "Źródło: {source}",
            "Okładka",
            "Punkty orientacyjne",
            "Pakiet informacyjny",
        ),
        date: DateStyle {
            pattern: "{d} {m} {y}",
            months: [
                "stycznia",
                "lutego",
                "marca",
                "kwietnia",
                "maja",
                "czerwca",
                "lipca",
                "sierpnia",
                "września",
                "października",
                "listopada",
                "grudnia",
            ],
            first_day: None,
        },
    },
    Locale {
        primary: "cs",
        labels: labels!(
            "{names}",
            " a ",
            ", ",
            PARENS,
            "Poznámky",
            "Obsah",
            "Tabulka {n}",
            "Obrázek {n}",
            ". ",
            "Zdroj: {source}",
            "Obálka",
            "Orientační body",
            "Informační balíček",
        ),
        date: DateStyle {
            pattern: "{d}. {m} {y}",
            months: [
                "ledna",
                "února",
                "března",
                "dubna",
                "května",
                "června",
                "července",
                "srpna",
                "září",
                "října",
                "listopadu",
                "prosince",
            ],
            first_day: None,
        },
    },
    Locale {
        primary: "ru",
        labels: labels!(
            "{names}",
            " и ",
            ", ",
            PARENS,
            "Примечания",
            "Содержание",
            "Таблица {n}",
            "Рисунок {n}",
            ". ",
            "Источник: {source}",
            "Обложка",
            "Ориентиры",
            "Информационные материалы",
        ),
        date: DateStyle {
            pattern: "{d} {m} {y} г.",
            months: [
                "января",
                "февраля",
                "марта",
                "апреля",
                "мая",
                "июня",
                "июля",
                "августа",
                "сентября",
                "октября",
                "ноября",
                "декабря",
            ],
            first_day: None,
        },
    },
    Locale {
        primary: "uk",
        labels: labels!(
            "{names}",
            " і ",
            ", ",
            PARENS,
            "Примітки",
            "Зміст",
            "Таблиця {n}",
            "Рисунок {n}",
            ". ",
            "Джерело: {source}",
            "Обкладинка",
            "Орієнтири",
            "Інформаційні матеріали",
        ),
        date: DateStyle {
            pattern: "{d} {m} {y} р.",
            months: [
                "січня",
                "лютого",
                "березня",
                "квітня",
                "травня",
                "червня",
                "липня",
                "серпня",
                "вересня",
                "жовтня",
                "листопада",
                "грудня",
            ],
            first_day: None,
        },
    },
    Locale {
        primary: "tr",
        labels: labels!(
            "{names}",
            " ve ",
            ", ",
            PARENS,
            "Notlar",
            "İçindekiler",
            "Tablo {n}",
            "Şekil {n}",
            ". ",
            "Kaynak: {source}",
            "Kapak",
            "Yer işaretleri",
            "Bilgi dosyası",
        ),
        date: DateStyle {
            pattern: "{d} {m} {y}",
            months: [
                "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül",
                "Ekim", "Kasım", "Aralık",
            ],
            first_day: None,
        },
    },
    Locale {
        primary: "ar",
        labels: labels!(
            "بقلم {names}",
            " و",
            "، ",
            PARENS,
            "الهوامش",
            "المحتويات",
            "جدول {n}",
            "شكل {n}",
            ": ",
            "المصدر: {source}",
            "الغلاف",
            "معالم",
            "ملف إحاطة",
        ),
        date: DateStyle {
            pattern: "{d} {m} {y}",
            months: [
                "يناير",
                "فبراير",
                "مارس",
                "أبريل",
                "مايو",
                "يونيو",
                "يوليو",
                "أغسطس",
                "سبتمبر",
                "أكتوبر",
                "نوفمبر",
                "ديسمبر",
            ],
            first_day: None,
        },
    },
    Locale {
        primary: "he",
        labels: labels!(
            "מאת {names}",
            " ו",
            ", ",
            PARENS,
            "הערות",
            "תוכן העניינים",
            "טבלה {n}",
            "איור {n}",
            ": ",
            "מקור: {source}",
            "כריכה",
            "ציוני דרך",
            "תיק תדריך",
        ),
        date: DateStyle {
            pattern: "{d} ב{m} {y}",
            months: [
                "ינואר",
                "פברואר",
                "מרץ",
                "אפריל",
                "מאי",
                "יוני",
                "יולי",
                "אוגוסט",
                "ספטמבר",
                "אוקטובר",
                "נובמבר",
                "דצמבר",
            ],
            first_day: None,
        },
    },
    Locale {
        primary: "zh",
        labels: labels!(
            "作者：{names}",
            "、",
            "、",
            WIDE_PARENS,
            "注释",
            "目录",
            "表{n}",
            "图{n}",
            "：",
            "来源：{source}",
            "封面",
            "导览",
            "简报汇编",
        ),
        date: DateStyle {
            pattern: "{y}年{m}月{d}日",
            months: NUMBERED_MONTHS,
            first_day: None,
        },
    },
    Locale {
        primary: "ja",
        labels: labels!(
            "{names}",
            "、",
            "、",
            WIDE_PARENS,
            "注",
            "目次",
            "表{n}",
            "図{n}",
            "：",
            "出典：{source}",
            "表紙",
            "ランドマーク",
            "ブリーフィング資料",
        ),
        date: DateStyle {
            pattern: "{y}年{m}月{d}日",
            months: NUMBERED_MONTHS,
            first_day: None,
        },
    },
];

/// Months by number, for the languages that write "5月".
const NUMBERED_MONTHS: [&str; 12] = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
];

/// What a theme says about the labels (`[labels.<tag>]`): per language tag, the labels it
/// sets. A brief takes its primary language's entry, then its whole tag's (`[labels.pt]`,
/// then `[labels.pt-BR]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelOverrides {
    /// (tag in lower case, key, label as the theme wrote it), in the theme's order.
    entries: Vec<(String, &'static str, String)>,
}

impl LabelOverrides {
    /// Sets label `key` for language `tag`, checked as [`Labels::set`] checks it.
    pub fn set(&mut self, tag: &str, key: &str, value: &str) -> Result<(), String> {
        let key = LABEL_KEYS
            .iter()
            .find(|k| **k == key)
            .ok_or_else(|| format!("unknown label `{key}`"))?;
        LOCALES[0].labels.clone().set(key, value)?;
        self.entries
            .push((tag.trim().to_ascii_lowercase(), key, value.to_owned()));
        Ok(())
    }

    /// Whether the theme overrides nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

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
    /// Checks a tag's form by RFC 5646's grammar: a primary language of 2–3 letters (the
    /// 4–8-letter forms are reserved, and a word such as `english` is a mistake), up to three
    /// extended language subtags, a script, a region, variants, extensions (a singleton and
    /// subtags of 2–8) and private use (`x` and subtags of 1–8), in that order. EPUB checkers
    /// refuse a tag that breaks it (a trailing `-x` with nothing after it). Registry membership
    /// is not checked: an unknown but well-formed language is still a language.
    pub fn parse(tag: &str) -> Result<Language, LanguageError> {
        let tag = tag.trim();
        let bad = || LanguageError(tag.to_owned());
        let mut parts = tag.split('-');
        let primary = parts.next().unwrap_or("");
        let alpha = |p: &str| p.bytes().all(|b| b.is_ascii_alphabetic());
        let alnum = |p: &str| p.bytes().all(|b| b.is_ascii_alphanumeric());
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if !(matches!(primary.len(), 2 | 3) && alpha(primary)) {
            return Err(bad());
        }
        // How far the grammar has got: 0–3 extended language subtags read, 4 the script, 5 a
        // region or variants, 7 a singleton (an extension's or private use's subtags follow).
        let mut stage = 0;
        let mut script = None;
        // Subtags still owed by the last singleton (an extension or `x` needs at least one).
        let mut owed = false;
        let mut private = false;
        for p in parts {
            let len = p.len();
            if !(1..=8).contains(&len) || !alnum(p) {
                return Err(bad());
            }
            if private {
                owed = false;
                continue;
            }
            if len == 1 {
                if owed {
                    return Err(bad());
                }
                private = p.eq_ignore_ascii_case("x");
                owed = true;
                stage = 7;
                continue;
            }
            if stage == 7 {
                if len < 2 {
                    return Err(bad());
                }
                owed = false;
                continue;
            }
            stage = if stage < 3 && len == 3 && alpha(p) {
                stage + 1
            } else if stage <= 3 && len == 4 && alpha(p) {
                script = Some(p);
                4
            } else if (stage <= 4 && ((len == 2 && alpha(p)) || (len == 3 && digits(p))))
                || (5..=8).contains(&len)
                || (len == 4 && p.as_bytes()[0].is_ascii_digit())
            {
                // A region (only before any variant), or a variant.
                5
            } else {
                return Err(bad());
            };
        }
        if owed {
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
        self.own_locale().unwrap_or(&LOCALES[0])
    }

    /// This language's own words and date style, `None` when briefpress has none for it.
    fn own_locale(&self) -> Option<&'static Locale> {
        LOCALES.iter().find(|l| l.primary == self.primary)
    }

    /// Whether briefpress has this language's words and dates (otherwise they are English).
    pub fn has_locale(&self) -> bool {
        self.own_locale().is_some()
    }

    /// The words briefpress writes itself, in this language.
    pub fn labels(&self) -> Labels {
        self.locale().labels.clone()
    }

    /// The words in this language with a theme's overrides: the primary language's
    /// (`[labels.fr]`), then the whole tag's (`[labels.fr-CA]`).
    pub fn labels_with(&self, overrides: &LabelOverrides) -> Labels {
        let mut labels = self.labels();
        let tag = self.tag.to_ascii_lowercase();
        let mut wanted = vec![self.primary.as_str()];
        if tag != self.primary {
            wanted.push(&tag);
        }
        for w in wanted {
            for (_, key, value) in overrides.entries.iter().filter(|(t, ..)| t == w) {
                // Checked when the theme was read (`LabelOverrides::set`): it cannot fail here.
                let _ = labels.set(key, value);
            }
        }
        labels
    }

    /// A date as prose in this language: "February 2, 2026", "2 de febrero de 2026",
    /// "12 мая 2026 г.", "2026年5月12日".
    pub fn date(&self, date: Date) -> String {
        let style = &self.locale().date;
        let month = style.months[usize::from(date.month.clamp(1, 12)) - 1];
        let day = match (date.day, style.first_day) {
            (1, Some(first)) => first.to_owned(),
            (d, _) => d.to_string(),
        };
        style
            .pattern
            .replace("{d}", &day)
            .replace("{m}", month)
            .replace("{y}", &date.year.to_string())
    }

    /// Names as a list: "A", "A and B", "A, B and C" (with this language's "and").
    pub fn list(&self, names: &[String]) -> Option<String> {
        self.labels().list(names)
    }

    /// Whether the language's script breaks words with a hyphen at a line end. Chinese and
    /// Japanese break between characters, Thai, Lao, Khmer and Myanmar between words, and
    /// Arabic, Hebrew, Syriac and Thaana do not hyphenate.
    pub fn hyphenates(&self) -> bool {
        !matches!(
            self.script.as_str(),
            "Hans"
                | "Hant"
                | "Hani"
                | "Jpan"
                | "Kore"
                | "Thai"
                | "Laoo"
                | "Khmr"
                | "Mymr"
                | "Arab"
                | "Hebr"
                | "Syrc"
                | "Thaa"
        )
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
            "zz-ZZZZZ-x",
            "english",
            "en-a",
            "en-US-Latn",
            "en-GB-US",
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
            "zz-ZZZZZ-x-private",
            "zh-yue-HK",
            "sl-rozaj-biske",
            "en-US-u-ca-gregory",
            "ar-Latn",
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

    #[test]
    fn every_locale_writes_the_date_as_its_language_does() {
        let may = Date::new(2026, 5, 12).unwrap();
        let cases = [
            ("en", "May 12, 2026"),
            ("es", "12 de mayo de 2026"),
            ("pt-BR", "12 de maio de 2026"),
            ("fr", "12 mai 2026"),
            ("de", "12. Mai 2026"),
            ("it", "12 maggio 2026"),
            ("nl", "12 mei 2026"),
            ("pl", "12 maja 2026"),
            ("cs", "12. května 2026"),
            ("ru", "12 мая 2026 г."),
            ("uk", "12 травня 2026 р."),
            ("tr", "12 Mayıs 2026"),
            ("ar", "12 مايو 2026"),
            ("he", "12 במאי 2026"),
            ("zh", "2026年5月12日"),
            ("ja", "2026年5月12日"),
        ];
        for (tag, want) in cases {
            assert_eq!(Language::of(tag).date(may), want, "{tag}");
        }
        assert_eq!(cases.len(), LOCALES.len());
        // Every month in the genitive, and the first of the month in French.
        let jan = Date::new(2026, 1, 1).unwrap();
        let dec = Date::new(2026, 12, 31).unwrap();
        assert_eq!(Language::of("fr-CA").date(jan), "1er janvier 2026");
        assert_eq!(Language::of("fr").date(dec), "31 décembre 2026");
        assert_eq!(Language::of("pl").date(dec), "31 grudnia 2026");
        assert_eq!(Language::of("ru").date(jan), "1 января 2026 г.");
        assert_eq!(Language::of("uk").date(dec), "31 грудня 2026 р.");
        assert_eq!(
            Language::of("tr").date(Date::new(2026, 8, 30).unwrap()),
            "30 Ağustos 2026"
        );
        assert_eq!(Language::of("zh-Hant").date(dec), "2026年12月31日");
        for l in LOCALES {
            assert!(l.date.months.iter().all(|m| !m.is_empty()), "{}", l.primary);
        }
    }

    #[test]
    fn labels_are_forms_so_cjk_glues_and_names_join_as_written() {
        let zh = Language::of("zh").labels();
        assert_eq!(zh.table_label(1), "表1");
        assert_eq!(zh.figure_label(2), "图2");
        assert_eq!(zh.source_line("国家统计局"), "来源：国家统计局");
        let names = ["张伟".to_owned(), "李娜".to_owned(), "王芳".to_owned()];
        assert_eq!(
            zh.byline(&zh.list(&names).unwrap()),
            "作者：张伟、李娜、王芳"
        );
        assert_eq!(zh.affiliated("张伟", "清华大学"), "张伟（清华大学）");
        assert_eq!(zh.table_word(), "表");
        assert_eq!(zh.source_word(), "来源");
        let ja = Language::of("ja").labels();
        assert_eq!(ja.byline(&ja.list(&names[..2]).unwrap()), "张伟、李娜");
        assert_eq!(ja.table_label(3), "表3");
        let fr = Language::of("fr").labels();
        assert_eq!(fr.byline("Claire Dubois"), "Par Claire Dubois");
        assert_eq!(fr.source_line("Insee"), "Source\u{202F}: Insee");
        assert_eq!(
            (fr.table_word(), fr.source_word()),
            ("Tableau".into(), "Source".into())
        );
        let ar = Language::of("ar").labels();
        let two = ["أحمد".to_owned(), "سارة".to_owned()];
        assert_eq!(ar.byline(&ar.list(&two).unwrap()), "بقلم أحمد وسارة");
        let en = Language::of("en").labels();
        assert_eq!(
            en.affiliated("Jane {affiliation}", "C"),
            "Jane {affiliation} (C)"
        );
        for l in LOCALES {
            let b = &l.labels;
            assert!(
                b.by.contains("{names}") && b.table.contains("{n}"),
                "{}",
                l.primary
            );
            assert!(
                b.source.contains("{source}") && b.figure.contains("{n}"),
                "{}",
                l.primary
            );
        }
    }

    #[test]
    fn a_theme_overrides_labels_per_language_tag() {
        let mut o = LabelOverrides::default();
        o.set("fr", "by", "Texte :").unwrap();
        o.set("fr", "and", "et aussi").unwrap();
        o.set("fr-CA", "table", "Tabl.").unwrap();
        o.set("zh", "source", "资料来源").unwrap();
        let fr = Language::of("fr-FR").labels_with(&o);
        assert_eq!(fr.byline("A"), "Texte : A");
        assert_eq!(fr.list(&["A".into(), "B".into()]).unwrap(), "A et aussi B");
        assert_eq!(fr.table_label(1), "Tableau 1");
        assert_eq!(
            Language::of("fr-CA").labels_with(&o).table_label(1),
            "Tabl. 1"
        );
        assert_eq!(
            Language::of("zh").labels_with(&o).source_line("X"),
            "资料来源：X"
        );
        assert_eq!(
            Language::of("de").labels_with(&o),
            Language::of("de").labels()
        );
        let e = o.set("fr", "by", "Par {auteurs}").unwrap_err();
        assert!(e.contains("{auteurs}") && e.contains("{names}"), "{e}");
        assert!(o.set("fr", "affiliation", "{name}").is_err());
        assert!(o.set("fr", "notes", " ").is_err());
        assert!(o.set("fr", "byline", "x").is_err());
    }

    #[test]
    fn what_has_words_and_what_hyphenates() {
        for tag in ["en", "fr-CA", "pt-BR", "zh-Hant", "ja", "he", "ar-EG"] {
            assert!(Language::of(tag).has_locale(), "{tag}");
        }
        assert!(!Language::of("vi").has_locale());
        for tag in ["zh", "ja", "ar", "he", "th"] {
            assert!(!Language::of(tag).hyphenates(), "{tag}");
        }
        assert!(Language::of("ar-Latn").hyphenates());
        assert!(Language::of("ru").hyphenates());
    }

    #[test]
    fn a_paragraph_goes_the_way_most_of_its_letters_go() {
        use Direction::{Ltr, Rtl};
        assert_eq!(Direction::of_paragraph("السياسة الصحية في الريف", Ltr), Rtl);
        assert_eq!(
            Direction::of_paragraph("NATO قال إن السياسة الصحية", Ltr),
            Rtl
        );
        assert_eq!(
            Direction::of_paragraph("The word سلام means peace.", Rtl),
            Ltr
        );
        assert_eq!(Direction::of_paragraph("שלום", Ltr), Rtl);
        assert_eq!(Direction::of_paragraph("2026 — 42 %", Rtl), Rtl);
        assert_eq!(Direction::of_paragraph("", Ltr), Ltr);
    }
}
