//! Briefing packs: several briefs bound into one PDF, one EPUB and one DOCX, with a cover and a
//! contents. This module owns the pack model ([`Pack`]) and the pack manifest ([`manifest`]);
//! the backends bind a pack with `render_pack` beside their `render` (`Format::render_pack`).
//!
//! A pack adds no text of its own to the briefs: each brief keeps its first page, its
//! footnote numbers and its metadata; the pack adds a title, a subtitle, a date, a publisher
//! and an optional cover picture.

pub mod manifest;

use crate::article::{Article, Date, Image, LabelOverrides, Labels, Language};
use std::borrow::Cow;

/// The title an English pack gets when neither the manifest nor the command line names one
/// (a pack in another language gets its language's [`Labels::pack`]).
pub const DEFAULT_TITLE: &str = "Briefing pack";

/// What the pack itself says about itself (the briefs carry their own metadata).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PackMeta {
    /// The pack's title, on the cover and in every format's metadata.
    pub title: String,
    /// A line under the title.
    pub subtitle: Option<String>,
    /// The pack's date (not any brief's).
    pub date: Option<Date>,
    /// Publisher; `None` means the theme's.
    pub publisher: Option<String>,
    /// BCP 47 language of the pack's own words (cover, contents); `None` means the first
    /// brief's.
    pub language: Option<String>,
    /// A stable identifier; `None` means one derived from the content.
    pub identifier: Option<String>,
    /// `SOURCE_DATE_EPOCH`, set by the caller, never the clock.
    pub source_date_epoch: Option<i64>,
}

/// A briefing pack: its own metadata, an optional cover picture and the briefs in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    /// Title, subtitle, date, publisher …
    pub meta: PackMeta,
    /// A picture for the cover, checked like any image a brief names.
    pub cover: Option<Image>,
    /// The briefs, in the order they are bound.
    pub briefs: Vec<Article>,
}

impl Pack {
    /// The pack's title, trimmed, or its language's word for a briefing pack (with the
    /// theme's `labels`) when it is blank.
    pub fn title(&self, labels: &LabelOverrides) -> Cow<'_, str> {
        let t = self.meta.title.trim();
        if t.is_empty() {
            Cow::Owned(self.labels(labels).pack.into_owned())
        } else {
            Cow::Borrowed(t)
        }
    }

    /// The pack as the backends set it: each brief as [`Article::presented`] gives it (with
    /// Polish and Czech ties); the pack itself when no brief needs any.
    pub fn presented(&self) -> Cow<'_, Pack> {
        let tied = |b: &Article| !crate::article::ties::one_letter_words(&b.meta.lang()).is_empty();
        if !self.briefs.iter().any(tied) {
            return Cow::Borrowed(self);
        }
        Cow::Owned(Pack {
            meta: self.meta.clone(),
            cover: self.cover.clone(),
            briefs: self
                .briefs
                .iter()
                .map(|b| b.presented().into_owned())
                .collect(),
        })
    }

    /// The pack's own words (cover, contents), in its language with the theme's `labels`.
    pub fn labels(&self, labels: &LabelOverrides) -> Labels {
        self.lang().labels_with(labels)
    }

    /// The language of the pack's own words: its own, else the first brief's, else `en`.
    pub fn language(&self) -> &str {
        self.meta
            .language
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .or_else(|| self.briefs.first().map(|b| b.meta.language.as_str()))
            .unwrap_or("en")
    }

    /// The language of the pack's own words, checked (see [`Language::of`]).
    pub fn lang(&self) -> Language {
        Language::of(self.language())
    }

    /// The publisher the pack names, else the theme's.
    pub fn publisher<'a>(&'a self, theme_publisher: &'a str) -> &'a str {
        self.meta
            .publisher
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .unwrap_or(theme_publisher)
    }

    /// Every distinct author of every brief, in the order they first appear; the publisher
    /// when no brief names one (so no reader shows "Unknown").
    pub fn creators(&self, theme_publisher: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for a in self.briefs.iter().flat_map(|b| &b.meta.authors) {
            let name = a.name.trim();
            if !name.is_empty() && !out.iter().any(|n| n == name) {
                out.push(name.to_owned());
            }
        }
        if out.is_empty() {
            out.push(self.publisher(theme_publisher).to_owned());
        }
        out
    }

    /// Every distinct keyword of every brief, in the order they first appear.
    pub fn keywords(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for k in self.briefs.iter().flat_map(|b| &b.meta.keywords) {
            let k = k.trim();
            if !k.is_empty() && !out.iter().any(|n| n == k) {
                out.push(k.to_owned());
            }
        }
        out
    }

    /// Seconds since 1970 for every timestamp the files carry: the pack's date at midnight
    /// UTC, else the latest brief's timestamp (its date, else `SOURCE_DATE_EPOCH`), else
    /// the pack's `SOURCE_DATE_EPOCH` rule as a brief would apply it.
    pub fn timestamp(&self) -> i64 {
        if let Some(d) = self.meta.date {
            return d.unix_seconds();
        }
        let briefs = self.briefs.iter().map(|b| b.meta.timestamp()).max();
        briefs.unwrap_or_else(|| {
            let mut m = crate::article::Meta::new("");
            m.source_date_epoch = self.meta.source_date_epoch;
            m.timestamp()
        })
    }

    /// The pack's own title page, in the order every format sets it (a brief's front block
    /// order): the masthead (the theme's logo over the publisher), title, subtitle, the date
    /// in the pack's language, the cover picture. Pieces with nothing to say are left out
    /// (the masthead stays, for the logo).
    pub fn front(&self, theme_publisher: &str, labels: &LabelOverrides) -> Vec<PackPiece<'_>> {
        let mut out = vec![
            PackPiece::Masthead {
                publisher: self.publisher(theme_publisher).trim().to_owned(),
            },
            PackPiece::Title(self.title(labels)),
        ];
        if let Some(sub) = self
            .meta
            .subtitle
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            out.push(PackPiece::Subtitle(sub));
        }
        if let Some(date) = self.meta.date {
            out.push(PackPiece::Date(self.lang().date(date)));
        }
        if let Some(img) = &self.cover {
            out.push(PackPiece::Picture(img));
        }
        out
    }

    /// The authors of one brief as the contents lists them ("A, B and C", with the brief's
    /// own "and" and the theme's `labels`), or `None`.
    pub fn authors_line(brief: &Article, labels: &LabelOverrides) -> Option<String> {
        let names: Vec<String> = brief
            .meta
            .authors
            .iter()
            .map(|a| a.name.trim().to_owned())
            .filter(|n| !n.is_empty())
            .collect();
        brief.labels(labels).list(&names)
    }
}

/// One piece of a pack's title page ([`Pack::front`]).
#[derive(Debug, Clone, PartialEq)]
pub enum PackPiece<'a> {
    /// The theme's logo (the backend has it) over the publisher's name, which may be empty.
    Masthead {
        /// The publisher's name, trimmed.
        publisher: String,
    },
    /// The pack's title.
    Title(Cow<'a, str>),
    /// The line under the title.
    Subtitle(&'a str),
    /// The pack's date as prose in its language.
    Date(String),
    /// The cover picture (the EPUB draws it into its cover image instead).
    Picture(&'a Image),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Author, Meta};

    fn brief(title: &str, authors: &[&str], keywords: &[&str]) -> Article {
        let mut meta = Meta::new(title);
        meta.authors = authors
            .iter()
            .map(|n| Author {
                name: (*n).to_owned(),
                affiliation: None,
            })
            .collect();
        meta.keywords = keywords.iter().map(|k| (*k).to_owned()).collect();
        Article {
            meta,
            photo: None,
            blocks: Vec::new(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn the_title_page_says_masthead_title_subtitle_date_in_the_packs_language() {
        let pack = Pack {
            meta: PackMeta {
                title: "Informe".into(),
                subtitle: Some("Dos".into()),
                date: Date::new(2026, 5, 12),
                language: Some("es".into()),
                ..PackMeta::default()
            },
            cover: None,
            briefs: vec![brief("A", &[], &[])],
        };
        assert_eq!(
            pack.front("Consejo", &LabelOverrides::default()),
            [
                PackPiece::Masthead {
                    publisher: "Consejo".into()
                },
                PackPiece::Title("Informe".into()),
                PackPiece::Subtitle("Dos"),
                PackPiece::Date("12 de mayo de 2026".into()),
            ]
        );
    }

    #[test]
    fn creators_and_keywords_are_distinct_in_first_order() {
        let pack = Pack {
            meta: PackMeta::default(),
            cover: None,
            briefs: vec![
                brief("A", &["Zoë", "Ana"], &["x", "y"]),
                brief("B", &["Ana", "Li"], &["y", "z"]),
            ],
        };
        assert_eq!(pack.creators("P"), ["Zoë", "Ana", "Li"]);
        assert_eq!(pack.keywords(), ["x", "y", "z"]);
        assert_eq!(pack.title(&LabelOverrides::default()), DEFAULT_TITLE);
        assert_eq!(pack.language(), "en");
        assert_eq!(
            Pack::authors_line(&pack.briefs[0], &LabelOverrides::default()).as_deref(),
            Some("Zoë and Ana")
        );
        let none = Pack {
            briefs: vec![brief("C", &[], &[])],
            ..pack
        };
        assert_eq!(none.creators("P"), ["P"]);
    }

    #[test]
    fn the_pack_date_wins_then_the_latest_brief() {
        let mut a = brief("A", &[], &[]);
        a.meta.date = Some(Date::new(2026, 2, 2).unwrap());
        let mut b = brief("B", &[], &[]);
        b.meta.date = Some(Date::new(2026, 3, 1).unwrap());
        let mut pack = Pack {
            meta: PackMeta::default(),
            cover: None,
            briefs: vec![a, b],
        };
        assert_eq!(
            pack.timestamp(),
            Date::new(2026, 3, 1).unwrap().unix_seconds()
        );
        pack.meta.date = Some(Date::new(2025, 1, 1).unwrap());
        assert_eq!(
            pack.timestamp(),
            Date::new(2025, 1, 1).unwrap().unix_seconds()
        );
    }
}
