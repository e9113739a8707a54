//! The front of a brief, decided once for every format: which pieces open it, in which order,
//! and what each says. Backends ask [`front`] for the pieces and decide only how they look.
//!
//! The order is the PDF's first page: masthead, title, dek, byline (authors with their
//! affiliations, then the date), the lead photo with caption and credit, the summary.

use super::{Article, Date, Figure, LabelOverrides};

/// One piece of the front block.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece<'a> {
    /// The publisher's masthead: the theme's logo (the backend has it) over the publisher's
    /// name, which may be empty when neither the brief nor the theme names one.
    Masthead {
        /// The publisher's name, trimmed.
        publisher: String,
    },
    /// The headline.
    Title(&'a str),
    /// The dek.
    Subtitle(&'a str),
    /// Who wrote the brief, and when.
    Byline(Byline),
    /// The lead photo with its caption and credit.
    Photo(&'a Figure),
    /// The summary, set as a lead box.
    Summary(&'a str),
}

/// The byline: the authors and the date, as the brief's language writes them.
#[derive(Debug, Clone, PartialEq)]
pub struct Byline {
    /// "By Jane Doe (Arsht Center) and Bo Li", or `None` without authors.
    pub authors: Option<String>,
    /// The date as prose ("February 2, 2026") and as a date.
    pub date: Option<(String, Date)>,
}

/// What stands between the authors and the date on one line.
pub const BYLINE_SEPARATOR: &str = " · ";

impl Byline {
    /// The whole line: "By A (X) and B · February 2, 2026", or either part alone.
    pub fn text(&self) -> String {
        match (&self.authors, &self.date) {
            (Some(a), Some((d, _))) => format!("{a}{BYLINE_SEPARATOR}{d}"),
            (Some(a), None) => a.clone(),
            (None, Some((d, _))) => d.clone(),
            (None, None) => String::new(),
        }
    }
}

/// The front block of an article whose publisher (the brief's, else the theme's) is
/// `publisher` and whose theme sets `labels`, in order; pieces with nothing to say are left
/// out (the masthead stays, for the logo).
pub fn front<'a>(article: &'a Article, publisher: &str, labels: &LabelOverrides) -> Vec<Piece<'a>> {
    let meta = &article.meta;
    let nonempty = |s: Option<&'a str>| s.map(str::trim).filter(|s| !s.is_empty());
    let mut out = vec![
        Piece::Masthead {
            publisher: publisher.trim().to_owned(),
        },
        Piece::Title(meta.title.trim()),
    ];
    if let Some(dek) = nonempty(meta.subtitle.as_deref()) {
        out.push(Piece::Subtitle(dek));
    }
    if let Some(b) = byline(article, labels) {
        out.push(Piece::Byline(b));
    }
    if let Some(photo) = &article.photo {
        out.push(Piece::Photo(photo));
    }
    if let Some(summary) = nonempty(meta.summary.as_deref()) {
        out.push(Piece::Summary(summary));
    }
    out
}

/// The byline of an article in its language, with a theme's `labels`, or `None` when it names
/// neither author nor date.
pub fn byline(article: &Article, labels: &LabelOverrides) -> Option<Byline> {
    let lang = article.meta.lang();
    let words = lang.labels_with(labels);
    let names: Vec<String> = article
        .meta
        .authors
        .iter()
        .filter(|a| !a.name.trim().is_empty())
        .map(|a| match a.affiliation.as_deref().map(str::trim) {
            Some(aff) if !aff.is_empty() => words.affiliated(a.name.trim(), aff),
            _ => a.name.trim().to_owned(),
        })
        .collect();
    let authors = words.list(&names).map(|list| words.byline(&list));
    let date = article.meta.date.map(|d| (lang.date(d), d));
    (authors.is_some() || date.is_some()).then_some(Byline { authors, date })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Author, Meta};

    fn article(authors: &[(&str, Option<&str>)], lang: &str) -> Article {
        let mut meta = Meta::new("T");
        meta.language = lang.to_owned();
        meta.date = Date::new(2026, 2, 2);
        meta.authors = authors
            .iter()
            .map(|(n, a)| Author {
                name: (*n).to_owned(),
                affiliation: a.map(str::to_owned),
            })
            .collect();
        Article {
            meta,
            photo: None,
            blocks: vec![],
            notes: vec![],
        }
    }

    #[test]
    fn byline_carries_affiliations_and_the_date() {
        let a = article(&[("Jane Doe", Some("Arsht Center")), ("Bo Li", None)], "en");
        assert_eq!(
            byline(&a, &LabelOverrides::default()).unwrap().text(),
            "By Jane Doe (Arsht Center) and Bo Li · February 2, 2026"
        );
        let a = article(&[("Ana", None), ("Luis", None), ("Eva", None)], "es");
        assert_eq!(
            byline(&a, &LabelOverrides::default()).unwrap().text(),
            "Por Ana, Luis y Eva · 2 de febrero de 2026"
        );
    }

    #[test]
    fn photo_comes_before_summary() {
        let mut a = article(&[], "en");
        a.meta.summary = Some("S".into());
        a.photo = Some(Figure {
            src: None,
            alt: String::new(),
            caption: "C".into(),
            credit: None,
            image: None,
        });
        let kinds: Vec<&str> = front(&a, "P", &LabelOverrides::default())
            .iter()
            .map(|p| match p {
                Piece::Masthead { .. } => "masthead",
                Piece::Title(_) => "title",
                Piece::Subtitle(_) => "subtitle",
                Piece::Byline(_) => "byline",
                Piece::Photo(_) => "photo",
                Piece::Summary(_) => "summary",
            })
            .collect();
        assert_eq!(kinds, ["masthead", "title", "byline", "photo", "summary"]);
    }
}
