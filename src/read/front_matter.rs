//! The YAML front matter of a Markdown source: every key SPEC names, `author: Name` as a
//! shorthand, and an unknown key refused with its line and the nearest known key.

use crate::article::{Author, Date, Figure, Language, Meta, default_language};
use crate::error::{Error, Location, Result};
use serde::Deserialize;

/// Every key the front matter may hold, as the error message lists them.
pub const KEYS: [&str; 14] = [
    "title",
    "subtitle",
    "authors",
    "author",
    "date",
    "publisher",
    "language",
    "keywords",
    "summary",
    "rights",
    "identifier",
    "photo",
    "smart_quotes",
    "lang",
];

/// The front matter as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Option<String>,
    subtitle: Option<String>,
    authors: Option<Vec<AuthorField>>,
    author: Option<AuthorField>,
    date: Option<String>,
    publisher: Option<String>,
    #[serde(alias = "lang")]
    language: Option<String>,
    keywords: Option<Keywords>,
    summary: Option<String>,
    rights: Option<String>,
    identifier: Option<String>,
    #[serde(default, deserialize_with = "photo_field")]
    photo: Option<PhotoField>,
    smart_quotes: Option<bool>,
}

/// An author: a bare name, or a name with an affiliation.
#[derive(Debug)]
enum AuthorField {
    Name(String),
    Full(AuthorEntry),
}

/// An author written as a mapping. Its own derive refuses an unknown key by name (a misspelt
/// `affilation:` must not drop the affiliation silently).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthorEntry {
    name: String,
    affiliation: Option<String>,
}

/// The keys of an author mapping, for messages.
const AUTHOR_KEYS: [&str; 2] = ["name", "affiliation"];
/// The keys of a photo mapping, for messages.
const PHOTO_KEYS: [&str; 4] = ["path", "alt", "caption", "credit"];

impl<'de> Deserialize<'de> for AuthorField {
    /// A string is a name; a mapping goes through [`AuthorEntry`]'s derive, so its errors
    /// name the key (an untagged enum would only say that no variant matched).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = AuthorField;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an author's name, or `name:` and `affiliation:` lines")
            }
            fn visit_str<E: serde::de::Error>(
                self,
                v: &str,
            ) -> std::result::Result<AuthorField, E> {
                Ok(AuthorField::Name(v.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<AuthorField, A::Error> {
                AuthorEntry::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(AuthorField::Full)
            }
        }
        d.deserialize_any(Visit)
    }
}

/// Keywords: a list, or one comma-separated string.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Keywords {
    List(Vec<String>),
    Line(String),
}

/// The lead photo.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhotoField {
    path: Option<String>,
    #[serde(default)]
    alt: String,
    #[serde(default)]
    caption: String,
    credit: Option<String>,
}

/// `photo:` as a mapping (`path`, `alt`, `caption`, `credit`) or, as editors also write it, just
/// the file's path. A mapping goes through `PhotoField`'s own derive, so an unknown key in it
/// is still reported by name.
fn photo_field<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<PhotoField>, D::Error> {
    struct Photo;
    impl<'de> serde::de::Visitor<'de> for Photo {
        type Value = Option<PhotoField>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("the photo's path, or `path:`, `alt:`, `caption:` and `credit:` lines")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
            Ok(Some(PhotoField {
                path: Some(v.to_owned()),
                alt: String::new(),
                caption: String::new(),
                credit: None,
            }))
        }
        fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            map: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            PhotoField::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Some)
        }
    }
    d.deserialize_any(Photo)
}

/// What the front matter gives the article: its metadata and lead photo.
#[derive(Debug)]
pub struct Parsed {
    /// The metadata (the title may be empty when the front matter has none).
    pub meta: Meta,
    /// The lead photo, if declared.
    pub photo: Option<Figure>,
    /// The line of the `photo:` key, for image errors.
    pub photo_line: Location,
    /// Whether straight quotes, `--`, `---` and `...` are set as typographic punctuation
    /// (`smart_quotes: false` keeps what was typed).
    pub smart: bool,
    /// Every unknown key and bad value found: the source fails, but reading goes on (the
    /// body's images are still checked) so that one run reports them all.
    pub problems: Vec<Error>,
}

/// How the error for front matter that is not YAML begins: no metadata came of it, so the
/// reader does not also report the title it could not find.
pub const NOT_YAML: &str = "the front matter is not valid YAML";

impl Parsed {
    /// Front matter that could not be read at all (not YAML): no metadata, and `error` as its
    /// one problem, so the body is still read and its own problems reported with it.
    pub fn unreadable(error: Error) -> Parsed {
        Parsed {
            meta: Meta::new(""),
            photo: None,
            photo_line: Location::default(),
            smart: true,
            problems: vec![error],
        }
    }
}

/// Parses the YAML between the `---` fences; `first_line` is the source line of its first line.
pub fn parse(yaml: &str, first_line: usize) -> Result<Parsed> {
    let shift = |line: u64| first_line + (line as usize).saturating_sub(1);
    let mut problems = Vec::new();
    let fm: FrontMatter = if yaml.trim().is_empty() {
        FrontMatter::default()
    } else {
        match serde_saphyr::from_str(yaml) {
            Ok(fm) => fm,
            Err(e) => {
                let first = yaml_error(&e, yaml, first_line);
                // serde stops at the first unknown key; a second, lenient read finds every
                // one and goes on with the keys it knows.
                let unknown_key = matches!(&first, Error::Source { message, .. } if message.starts_with("unknown "));
                match lenient(yaml, first_line).filter(|_| unknown_key) {
                    Some((fm, unknown)) if !unknown.is_empty() => {
                        problems.extend(unknown);
                        fm
                    }
                    _ => return Err(first),
                }
            }
        }
    };
    let line_of_key = |key: &str| {
        yaml.lines()
            .position(|l| l.trim_start().starts_with(&format!("{key}:")))
            .map_or_else(Location::default, |i| Location::line(shift(i as u64 + 1)))
    };
    let text = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());

    let mut meta = Meta::new(fm.title.unwrap_or_default().trim());
    meta.subtitle = text(fm.subtitle);
    meta.publisher = text(fm.publisher);
    meta.summary = text(fm.summary);
    meta.rights = text(fm.rights);
    meta.identifier = text(fm.identifier);
    meta.language = text(fm.language).unwrap_or_else(default_language);
    if Language::parse(&meta.language).is_err() {
        problems.push(Error::source(
            line_of_key("language"),
            format!("`{}` is not a BCP 47 language tag", meta.language),
            Some("write it like `en`, `es`, `pt-BR`".to_owned()),
        ));
    }
    meta.authors = match (fm.authors, fm.author) {
        (Some(_), Some(_)) => {
            problems.push(Error::source(
                line_of_key("author"),
                "both `author` and `authors` are given",
                Some("keep one: `authors:` with a list, or `author: Name`".to_owned()),
            ));
            Vec::new()
        }
        (Some(list), None) => list.into_iter().map(author).collect(),
        (None, Some(one)) => vec![author(one)],
        (None, None) => Vec::new(),
    };
    meta.authors.retain(|a| !a.name.is_empty());
    meta.keywords = match fm.keywords {
        Some(Keywords::List(v)) => v,
        Some(Keywords::Line(s)) => s.split(',').map(str::to_owned).collect(),
        None => Vec::new(),
    }
    .into_iter()
    .map(|k| k.trim().to_owned())
    .filter(|k| !k.is_empty())
    .collect();
    if let Some(d) = text(fm.date) {
        match d.parse::<Date>() {
            Ok(date) => meta.date = Some(date),
            Err(e) => problems.push(Error::source(line_of_key("date"), e.to_string(), None)),
        }
    }
    let photo_line = line_of_key("photo");
    let photo = fm.photo.map(|p| Figure {
        src: text(p.path),
        alt: p.alt.trim().to_owned(),
        caption: p.caption.trim().to_owned(),
        credit: text(p.credit),
        image: None,
    });
    Ok(Parsed {
        meta,
        photo,
        photo_line,
        smart: fm.smart_quotes.unwrap_or(true),
        problems,
    })
}

/// Which mapping a key is in, for the unknown-key message and its list of known keys.
#[derive(Clone, Copy)]
enum Mapping {
    Top,
    Author,
    Photo,
}

impl Mapping {
    /// The keys known there (without the `lang` alias) and how the message names the key.
    fn keys_and_place(self) -> (&'static [&'static str], &'static str) {
        match self {
            Mapping::Top => (&KEYS[..13], "front-matter key `{field}`"),
            Mapping::Author => (&AUTHOR_KEYS, "key `{field}` in an author"),
            Mapping::Photo => (&PHOTO_KEYS, "key `{field}` in `photo`"),
        }
    }
}

/// The error for an unknown `field` of `mapping` at `at`, with the nearest known key.
fn unknown_key(field: &str, mapping: Mapping, at: Location) -> Error {
    let (keys, place) = mapping.keys_and_place();
    let known = keys.join(", ");
    let help = match crate::error::nearest_key(field, keys) {
        Some(k) => format!("did you mean `{k}`? known keys there: {known}"),
        None => format!("known keys there: {known}"),
    };
    Error::source(
        at,
        format!("unknown {}", place.replace("{field}", field)),
        Some(help),
    )
}

/// The front matter read once more as plain YAML values, for when the strict read stopped at
/// an unknown key: every unknown key of the front matter, an author and the photo is taken
/// out (and becomes a located error), then the rest is read as the strict read would. `None`
/// when the rest cannot be read that way (the strict read's first error is then reported).
fn lenient(yaml: &str, first_line: usize) -> Option<(FrontMatter, Vec<Error>)> {
    use serde_json::Value;
    let mut value: Value = serde_saphyr::from_str(yaml).ok()?;
    let mut unknown: Vec<(String, Mapping)> = Vec::new();
    /// Takes the keys `mapping` does not know out of `map`; how many.
    fn prune(
        map: &mut serde_json::Map<String, Value>,
        mapping: Mapping,
        unknown: &mut Vec<(String, Mapping)>,
    ) -> usize {
        let keys: &[&str] = match mapping {
            Mapping::Top => &KEYS,
            Mapping::Author => &AUTHOR_KEYS,
            Mapping::Photo => &PHOTO_KEYS,
        };
        let bad: Vec<String> = map
            .keys()
            .filter(|k| !keys.contains(&k.as_str()))
            .cloned()
            .collect();
        for k in &bad {
            map.remove(k);
        }
        let n = bad.len();
        unknown.extend(bad.into_iter().map(|k| (k, mapping)));
        n
    }
    let top = value.as_object_mut()?;
    prune(top, Mapping::Top, &mut unknown);
    // An author whose `name` was misspelt is left out once its key is reported (it would
    // otherwise be reported again, as an author with no name).
    let mut nameless = |entry: &mut serde_json::Map<String, Value>| {
        prune(entry, Mapping::Author, &mut unknown) > 0 && !entry.contains_key("name")
    };
    if let Some(list) = top.get_mut("authors").and_then(Value::as_array_mut) {
        list.retain_mut(|entry| !entry.as_object_mut().is_some_and(&mut nameless));
    }
    if top
        .get_mut("author")
        .and_then(Value::as_object_mut)
        .is_some_and(&mut nameless)
    {
        top.remove("author");
    }
    if let Some(entry) = top.get_mut("photo").and_then(Value::as_object_mut) {
        prune(entry, Mapping::Photo, &mut unknown);
    }
    stringify_numbers(&mut value);
    let fm: FrontMatter = serde_json::from_value(value).ok()?;
    // Each unknown key at its place in the text: the n-th key of a name is its n-th mention.
    let mut seen: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    let errors = unknown
        .iter()
        .map(|(field, mapping)| {
            let n = seen.entry(field).or_default();
            let at = key_mentions(yaml, field)
                .get(*n)
                .map_or_else(Location::default, |&(line, column)| {
                    Location::at(first_line + line, column)
                });
            *n += 1;
            unknown_key(field, *mapping, at)
        })
        .collect();
    Some((fm, errors))
}

/// YAML gives `title: 2026` as a number; the strict read takes it as the text it is.
fn stringify_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) => *value = Value::String(n.to_string()),
        Value::Array(list) => list.iter_mut().for_each(stringify_numbers),
        Value::Object(map) => map.values_mut().for_each(stringify_numbers),
        _ => {}
    }
}

/// Where `key` is written as a key in `yaml` — `key:` at the start of a line, after `- `, or
/// inside `{…}`, quoted or not — as 0-based lines and 1-based columns in characters, in order.
fn key_mentions(yaml: &str, key: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let mut from = 0;
        while let Some(pos) = line[from..].find(key).map(|p| p + from) {
            from = pos + key.len();
            let before = line[..pos].trim_end_matches(['"', '\'']).trim_end();
            let after = line[from..].trim_start_matches(['"', '\'']);
            // At the start of a line or a list item (`- `, `- - `), or after `{` or `,`.
            let starts =
                before.trim_start_matches(['-', ' ']).is_empty() || before.ends_with(['{', ',']);
            if starts && (after.starts_with(": ") || after == ":" || after.starts_with(":\t")) {
                let start = line[..pos].trim_end_matches(['"', '\'']).len();
                out.push((i, line[..start].chars().count() + 1));
            }
        }
    }
    out
}

fn author(a: AuthorField) -> Author {
    match a {
        AuthorField::Name(name) => Author {
            name: name.trim().to_owned(),
            affiliation: None,
        },
        AuthorField::Full(AuthorEntry { name, affiliation }) => Author {
            name: name.trim().to_owned(),
            affiliation: affiliation
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
        },
    }
}

/// Turns a YAML error into a located, one-line source error.
fn yaml_error(e: &serde_saphyr::Error, yaml: &str, first_line: usize) -> Error {
    let at = e
        .location()
        .filter(|l| l.line() > 0)
        .map_or_else(Location::default, |l| {
            Location::at(
                first_line + l.line() as usize - 1,
                l.column().max(1) as usize,
            )
        });
    let text = one_line(&e.to_string());
    // serde's unknown-field message, however the YAML crate wraps it, with the keys of the
    // mapping it is in when the YAML crate kept them
    let mut root = e;
    while let serde_saphyr::Error::WithSnippet { error, .. }
    | serde_saphyr::Error::AliasError { error, .. } = root
    {
        root = error;
    }
    let unknown = match root {
        serde_saphyr::Error::SerdeUnknownField {
            field, expected, ..
        } => Some((field.clone(), expected.clone())),
        _ => text
            .split_once("unknown field `")
            .and_then(|(_, rest)| rest.split_once('`'))
            .map(|(f, _)| (f.to_owned(), Vec::new())),
    };
    if let Some((field, expected)) = unknown {
        let at = if at.line.is_some() {
            at
        } else {
            yaml.lines()
                .position(|l| {
                    let l = l.trim_start().trim_start_matches("- ");
                    l.starts_with(&format!("{field}:"))
                })
                .map_or_else(Location::default, |i| Location::line(first_line + i))
        };
        // Which mapping: an author's, the photo's, else the front matter's own.
        let mapping = if expected.contains(&"affiliation") {
            Mapping::Author
        } else if expected.contains(&"caption") {
            Mapping::Photo
        } else {
            Mapping::Top
        };
        return unknown_key(&field, mapping, at);
    }
    if let serde_saphyr::Error::SerdeMissingField { field, .. } = root
        && AUTHOR_KEYS.contains(field)
    {
        return Error::source(
            at,
            format!("an author has no `{field}`"),
            Some("write `- name: …` (and `affiliation: …` below it), or just `- Name`".to_owned()),
        );
    }
    let (what, help) = plain_yaml(&text);
    Error::source(at, format!("{NOT_YAML}: {what}"), Some(help))
}

/// Rewords the YAML crate's messages that speak to a programmer (its option names, its event
/// vocabulary) into what an editor can act on, with the fix as help.
fn plain_yaml(text: &str) -> (String, String) {
    let generic = "fix the YAML between the `---` lines".to_owned();
    if let Some(rest) = text.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return (
            format!("the key `{key}` appears twice"),
            "keep one of them".to_owned(),
        );
    }
    if text.contains("expected string scalar") {
        return (
            "expected text here".to_owned(),
            "put the value in quotes if it starts with [, {, &, *, ! or |".to_owned(),
        );
    }
    if text.contains("expected mapping start") {
        return (
            "expected `key: value` lines here".to_owned(),
            "write the front matter as `title: …`, `authors: …` lines".to_owned(),
        );
    }
    if text.contains("found a tab") {
        return (
            "a tab character is used for indentation".to_owned(),
            "indent with spaces".to_owned(),
        );
    }
    if text.starts_with("budget breached") {
        return (
            "it is larger, more nested or expands more (through aliases) than any brief's front matter".to_owned(),
            "shorten it to the metadata a brief needs, with values written out (no `*alias` repeats)".to_owned(),
        );
    }
    (text.to_owned(), generic)
}

/// The first line of a possibly multi-line message, without the location the error carries
/// separately ("error: line 2 column 1: …" or "… at line 2 column 1").
fn one_line(msg: &str) -> String {
    let mut first = msg
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(msg)
        .trim();
    first = first.strip_prefix("error:").unwrap_or(first).trim_start();
    if first.starts_with("line ")
        && let Some((_, rest)) = first.split_once(": ")
    {
        first = rest;
    }
    match first.rfind(" at line ") {
        Some(p) => first[..p].to_owned(),
        None => first.to_owned(),
    }
}

/// The known front-matter key nearest to `field`, for "did you mean".
pub fn nearest(field: &str) -> Option<&'static str> {
    crate::error::nearest_key(field, &KEYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The front matter's problems as one error, whether reading stopped or went on.
    fn refused(yaml: &str) -> Error {
        match parse(yaml, 2) {
            Err(e) => e,
            Ok(p) => Error::many(p.problems).expect("a problem"),
        }
    }

    #[test]
    fn reads_every_key() {
        let p = parse(
            "title: T\nsubtitle: S\nauthors:\n  - name: Jane Doe\n    affiliation: Centre\n  - John Roe\ndate: 2026-02-02\npublisher: P\nlanguage: es\nkeywords: [a, b]\nsummary: Sum\nrights: R\nidentifier: urn:x\nphoto:\n  path: p.jpg\n  alt: A\n  caption: C\n  credit: © X\n",
            2,
        )
        .unwrap();
        let m = &p.meta;
        assert_eq!(m.title, "T");
        assert_eq!(m.authors.len(), 2);
        assert_eq!(m.authors[0].affiliation.as_deref(), Some("Centre"));
        assert_eq!(m.authors[1].name, "John Roe");
        assert_eq!(m.date.unwrap().to_string(), "2026-02-02");
        assert_eq!((m.language.as_str(), m.keywords.len()), ("es", 2));
        let photo = p.photo.unwrap();
        assert_eq!(
            (photo.src.as_deref(), photo.credit.as_deref()),
            (Some("p.jpg"), Some("© X"))
        );
        assert_eq!(p.photo_line, Location::line(15));
    }

    #[test]
    fn author_shorthand_and_keyword_line() {
        let p = parse("title: T\nauthor: Jane Doe\nkeywords: a, b ,c\n", 2).unwrap();
        assert_eq!(p.meta.authors[0].name, "Jane Doe");
        assert_eq!(p.meta.keywords, ["a", "b", "c"]);
    }

    #[test]
    fn unknown_key_names_key_line_and_nearest() {
        let err = refused("title: T\nsubtilte: S\n");
        assert_eq!(err.location().line, Some(3));
        let msg = err.to_string();
        assert!(msg.contains("unknown front-matter key `subtilte`"), "{msg}");
        assert!(msg.contains("did you mean `subtitle`"), "{msg}");
    }

    #[test]
    fn photo_may_be_just_its_path_and_its_keys_are_still_checked() {
        let p = parse("title: T\nphoto: lead.jpg\n", 2).unwrap();
        assert_eq!(p.photo.unwrap().src.as_deref(), Some("lead.jpg"));
        let p = parse("title: T\nphoto:\n", 2).unwrap();
        assert!(p.photo.is_none());
        let err = refused("title: T\nphoto:\n  path: a.jpg\n  captoin: C\n");
        assert!(err.to_string().contains("`captoin`"), "{err}");
    }

    #[test]
    fn a_misspelt_key_inside_an_author_or_the_photo_is_located_not_dropped() {
        let err = refused("title: T\nauthors:\n  - name: Jane\n    affilation: Centre\n");
        let msg = err.to_string();
        assert_eq!(err.location().line, Some(5), "{msg}");
        assert!(
            msg.contains("unknown key `affilation` in an author"),
            "{msg}"
        );
        assert!(msg.contains("did you mean `affiliation`"), "{msg}");
        let err = refused("title: T\nauthors:\n  - nmae: Ingrid\n");
        let msg = err.to_string();
        assert!(
            msg.contains("`nmae`") && msg.contains("did you mean `name`"),
            "{msg}"
        );
        assert!(
            !msg.contains("untagged") && !msg.contains("variant"),
            "{msg}"
        );
        let err = refused("title: T\nphoto:\n  path: a.jpg\n  captoin: C\n");
        let msg = err.to_string();
        assert!(
            msg.contains("in `photo`") && msg.contains("did you mean `caption`"),
            "{msg}"
        );
        let err = refused("title: T\nauthors:\n  - affiliation: X\n");
        assert!(err.to_string().contains("an author has no `name`"), "{err}");
    }

    #[test]
    fn yaml_messages_speak_to_editors() {
        let dup = refused("title: a\ntitle: b\n").to_string();
        assert!(dup.contains("the key `title` appears twice"), "{dup}");
        assert!(!dup.contains("Options"), "{dup}");
        let tab = refused("title: a\n\tauthors: b\n").to_string();
        assert!(tab.contains("indent with spaces"), "{tab}");
        let nested = refused("title: [[a]]\n").to_string();
        assert!(nested.contains("expected text here"), "{nested}");
        let list = refused("- a\n- b\n").to_string();
        assert!(list.contains("expected `key: value` lines"), "{list}");
        // Beyond the YAML crate's default budget (nodes): a located error, not a hang.
        let huge = format!("title: a\nkeywords: [{}]\n", vec!["k"; 300_000].join(","));
        let budget = refused(&huge).to_string();
        assert!(budget.contains("larger, more nested"), "{budget}");
    }

    #[test]
    fn malformed_yaml_is_located() {
        let err = refused("title: T\nauthors: [a, b\n");
        assert!(err.location().line.is_some(), "{err:?}");
        assert!(err.to_string().contains("not valid YAML"), "{err}");
    }

    #[test]
    fn bad_date_and_language() {
        assert!(
            refused("title: T\ndate: 2/2/2026\n")
                .to_string()
                .contains("YYYY-MM-DD")
        );
        assert!(
            refused("title: T\nlanguage: English language\n")
                .to_string()
                .contains("BCP 47")
        );
    }

    #[test]
    fn every_unknown_key_and_bad_value_is_reported_not_just_the_first() {
        let yaml = "title: T\nsubtilte: S\nsummary: \"the colour: red\"\nauthors:\n  - nmae: Ingrid\n  - name: Jo\n    affilation: C\nphoto: {path: p.png, captoin: X}\ndate: 2/2/2026\nlanguage: English language\n";
        let p = parse(yaml, 2).unwrap();
        let lines: Vec<String> = p
            .problems
            .iter()
            .map(|e| format!("{}: {e}", e.location().suffix()))
            .collect();
        let expect = [
            ":3:1: unknown front-matter key `subtilte`",
            ":6:5: unknown key `nmae` in an author",
            ":8:5: unknown key `affilation` in an author",
            ":9:22: unknown key `captoin` in `photo`",
            ":10: 2/2/2026",
            ":11: `English language` is not a BCP 47 language tag",
        ];
        let all = Error::many(p.problems).unwrap().into_problems();
        assert_eq!(all.len(), expect.len(), "{lines:#?}");
        for (e, want) in all.iter().zip(expect) {
            let got = format!("{}: {e}", e.location().suffix());
            let (at, what) = want.split_once(": ").unwrap();
            assert!(got.starts_with(at) && got.contains(what), "{got} / {want}");
        }
        // What was read still counts: the photo's path, the second author.
        assert_eq!(p.photo.unwrap().src.as_deref(), Some("p.png"));
        assert_eq!(p.meta.authors.len(), 1);
    }

    #[test]
    fn a_key_named_inside_a_value_or_a_comment_is_not_taken_for_the_key() {
        let yaml = "# colour: in a comment\nsummary: the colour: red\ncolour: blue\n";
        assert_eq!(key_mentions(yaml, "colour"), [(2, 1)]);
        assert_eq!(key_mentions("- - \"colour\": x", "colour"), [(0, 5)]);
    }
}
