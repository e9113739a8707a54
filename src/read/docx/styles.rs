//! What the styles and numbering parts say: each paragraph style's role (title, heading,
//! quote, caption …) through its `basedOn` chain and outline level, each character style's
//! bold, italic and code face, and each list's kind and start per level.

use super::xml::El;
use std::collections::HashMap;

/// The most `basedOn` links followed (a cycle stops there too).
const MAX_CHAIN: usize = 32;

/// What a paragraph is, by its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Body,
    Title,
    Subtitle,
    /// Heading level 1–9 (the style's or the outline level's).
    Heading(u8),
    Quote,
    Caption,
    Credit,
    Masthead,
    Byline,
    Date,
    Summary,
    Figure,
    Rule,
    /// A later paragraph of a list item at this level (0-based).
    ListContinue(u8),
    FootnoteText,
    /// A table of contents' heading or entry ("TOC Heading", "toc 1" … "toc 9"): Word's copy
    /// of the headings, left out.
    Toc,
}

/// One style.
#[derive(Debug, Clone, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num: Option<(String, u8)>,
    indent: Option<i32>,
    bold: Option<bool>,
    italic: Option<bool>,
    mono: Option<bool>,
}

/// The styles part, read.
#[derive(Debug, Default)]
pub struct Styles {
    styles: HashMap<String, Style>,
    /// The document's default language (`w:docDefaults`), if set.
    pub language: Option<String>,
}

/// Whether `rPr` turns property `name` on (`w:b`, `w:b w:val="1"`) or off (`w:val="0"`).
pub fn toggle(rpr: &El, name: &str) -> Option<bool> {
    let el = rpr.child(name)?;
    Some(!matches!(
        el.attr("w:val"),
        Some("0" | "false" | "off" | "none")
    ))
}

/// The left (start) indent a `pPr` sets, in twips.
pub fn indent(ppr: &El) -> Option<i32> {
    let ind = ppr.child("w:ind")?;
    ind.attr("w:left")
        .or(ind.attr("w:start"))
        .and_then(|v| v.parse().ok())
}

/// Whether a font family is a monospace face (the usual code fonts).
pub fn is_mono_font(name: &str) -> bool {
    let n = name.to_lowercase();
    n.contains("mono")
        || n.contains("courier")
        || n.contains("consol")
        || n.contains("menlo")
        || n.contains("monaco")
        || n.contains("lucida console")
        || n.contains("source code")
        || n.contains("fira code")
}

/// Whether the run properties name a monospace font.
pub fn mono(rpr: &El) -> Option<bool> {
    let fonts = rpr.child("w:rFonts")?;
    let face = fonts.attr("w:ascii").or(fonts.attr("w:hAnsi"))?;
    Some(is_mono_font(face))
}

/// A name as compared: lower case without spaces, hyphens or underscores.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The list level a list style's name gives: "List Bullet 2" and "List Number 3" are levels
/// 1 and 2 (0-based).
fn level_in_name(name: &str) -> Option<u8> {
    let n = norm(name);
    let d = n
        .strip_prefix("listbullet")
        .or_else(|| n.strip_prefix("listnumber"))?;
    d.parse::<u8>().ok().map(|k| k.saturating_sub(1).min(8))
}

/// The role a style's own name or id gives, if any.
fn role_of_name(name: &str) -> Option<Role> {
    let n = norm(name);
    if let Some(d) = n.strip_prefix("heading")
        && let Ok(level) = d.parse::<u8>()
        && (1..=9).contains(&level)
    {
        return Some(Role::Heading(level));
    }
    // Word bases "TOC Heading" on "heading 1"; its own name decides first (see `role`).
    if n == "tocheading"
        || n.strip_prefix("toc")
            .is_some_and(|d| matches!(d.as_bytes(), [b'1'..=b'9']))
    {
        return Some(Role::Toc);
    }
    if let Some(d) = n.strip_prefix("listcontinue") {
        let k = if d.is_empty() {
            1
        } else {
            d.parse::<u8>().ok()?
        };
        return Some(Role::ListContinue(k.saturating_sub(1)));
    }
    Some(match n.as_str() {
        "title" => Role::Title,
        "subtitle" => Role::Subtitle,
        "quote" | "intensequote" | "quotations" | "blockquote" | "blocktext" => Role::Quote,
        "caption" | "imagecaption" | "tablecaption" => Role::Caption,
        "credit" => Role::Credit,
        "masthead" => Role::Masthead,
        "byline" | "author" => Role::Byline,
        "date" => Role::Date,
        "summary" | "abstract" => Role::Summary,
        "figure" | "captionedfigure" => Role::Figure,
        "rule" => Role::Rule,
        "footnotetext" | "endnotetext" => Role::FootnoteText,
        _ => return None,
    })
}

impl Styles {
    /// Reads `word/styles.xml` (its root).
    pub fn read(root: &El) -> Styles {
        let mut styles = HashMap::new();
        for s in root.children("w:style") {
            let Some(id) = s.attr("w:styleId") else {
                continue;
            };
            let ppr = s.child("w:pPr");
            let rpr = s.child("w:rPr");
            let style = Style {
                name: s.val("w:name").unwrap_or("").to_owned(),
                based_on: s.val("w:basedOn").map(str::to_owned),
                outline: ppr
                    .and_then(|p| p.val("w:outlineLvl"))
                    .and_then(|v| v.parse().ok()),
                num: ppr.and_then(|p| p.child("w:numPr")).and_then(|n| {
                    let id = n.val("w:numId")?.to_owned();
                    // Word's "List Bullet 2" … carry the list but not the level: the name says it.
                    let lvl = n
                        .val("w:ilvl")
                        .and_then(|v| v.parse().ok())
                        .or_else(|| level_in_name(s.val("w:name").unwrap_or("")))
                        .unwrap_or(0);
                    Some((id, lvl))
                }),
                indent: ppr.and_then(indent),
                bold: rpr.and_then(|r| toggle(r, "w:b")),
                italic: rpr.and_then(|r| toggle(r, "w:i")),
                mono: rpr.and_then(mono),
            };
            styles.insert(id.to_owned(), style);
        }
        let language = root
            .child("w:docDefaults")
            .and_then(|d| d.child("w:rPrDefault"))
            .and_then(|d| d.child("w:rPr"))
            .and_then(|r| r.child("w:lang"))
            .and_then(|l| l.attr("w:val"))
            .map(str::to_owned);
        Styles { styles, language }
    }

    /// The style `id` and the styles it is based on, nearest first.
    fn chain<'a>(&'a self, id: &'a str) -> impl Iterator<Item = (&'a str, &'a Style)> + 'a {
        let mut next = Some(id);
        std::iter::from_fn(move || {
            let id = next?;
            let style = self.styles.get(id)?;
            next = style.based_on.as_deref();
            Some((id, style))
        })
        .take(MAX_CHAIN)
    }

    /// The role of paragraph style `id` (its own name or id, else the nearest base's; else
    /// a heading by outline level); `Body` when none says.
    pub fn role(&self, id: Option<&str>, own_outline: Option<u8>) -> Role {
        if let Some(id) = id {
            for (sid, s) in self.chain(id) {
                if let Some(r) = role_of_name(&s.name).or_else(|| role_of_name(sid)) {
                    return r;
                }
            }
            if own_outline.is_none()
                && let Some(l) = self.chain(id).find_map(|(_, s)| s.outline)
                && l < 9
            {
                return Role::Heading(l + 1);
            }
        } else if let Some(n) = id.and_then(role_of_name) {
            return n;
        }
        match own_outline {
            Some(l) if l < 9 => Role::Heading(l + 1),
            _ => Role::Body,
        }
    }

    /// The left indent a paragraph style sets (its own or a base's).
    pub fn indent(&self, id: &str) -> Option<i32> {
        self.chain(id).find_map(|(_, s)| s.indent)
    }

    /// The numbering a paragraph style carries (its own or a base's).
    pub fn numbering(&self, id: &str) -> Option<(String, u8)> {
        self.chain(id).find_map(|(_, s)| s.num.clone())
    }

    /// Bold, italic and code as character style `id` sets them (nearest setting wins).
    pub fn run_format(&self, id: &str) -> (Option<bool>, Option<bool>, bool) {
        let bold = self.chain(id).find_map(|(_, s)| s.bold);
        let italic = self.chain(id).find_map(|(_, s)| s.italic);
        let code = self.chain(id).any(|(sid, s)| {
            let n = norm(if s.name.is_empty() { sid } else { &s.name });
            n.contains("verbatim")
                || n.contains("code")
                || n == "sourcetext"
                || n == "teletype"
                || s.mono == Some(true)
        });
        (bold, italic, code)
    }
}

/// One list level's kind and first number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level {
    pub ordered: bool,
    pub start: u32,
    /// The text's left indent the level sets, in twips.
    pub indent: Option<i32>,
}

/// One list instance (`w:num`): its abstractNumId, level overrides and start overrides.
type Num = (String, HashMap<u8, Level>, HashMap<u8, u32>);

/// The numbering part, read.
#[derive(Debug, Default)]
pub struct Numbering {
    /// abstractNumId → levels by `ilvl`.
    abstracts: HashMap<String, HashMap<u8, Level>>,
    /// numId → its abstract list, level overrides and start overrides.
    nums: HashMap<String, Num>,
}

fn level_of(lvl: &El) -> Option<(u8, Level)> {
    let ilvl = lvl.attr("w:ilvl")?.parse().ok()?;
    let fmt = lvl.val("w:numFmt").unwrap_or("decimal");
    Some((
        ilvl,
        Level {
            ordered: !matches!(fmt, "bullet" | "none"),
            start: lvl.val("w:start").and_then(|v| v.parse().ok()).unwrap_or(1),
            indent: lvl.child("w:pPr").and_then(indent),
        },
    ))
}

impl Numbering {
    /// Reads `word/numbering.xml` (its root); `styles` resolves a list that takes its levels
    /// from a numbering style (`w:numStyleLink`).
    pub fn read(root: &El, styles: &Styles) -> Numbering {
        let mut abstracts = HashMap::new();
        let mut linked = Vec::new();
        for a in root.children("w:abstractNum") {
            let Some(id) = a.attr("w:abstractNumId") else {
                continue;
            };
            let levels: HashMap<u8, Level> = a.children("w:lvl").filter_map(level_of).collect();
            if levels.is_empty()
                && let Some(style) = a.val("w:numStyleLink")
            {
                linked.push((id.to_owned(), style.to_owned()));
            }
            abstracts.insert(id.to_owned(), levels);
        }
        let mut nums = HashMap::new();
        for n in root.children("w:num") {
            let (Some(id), Some(abs)) = (n.attr("w:numId"), n.val("w:abstractNumId")) else {
                continue;
            };
            let mut levels = HashMap::new();
            let mut starts = HashMap::new();
            for o in n.children("w:lvlOverride") {
                let Some(ilvl) = o.attr("w:ilvl").and_then(|v| v.parse().ok()) else {
                    continue;
                };
                if let Some(s) = o.val("w:startOverride").and_then(|v| v.parse().ok()) {
                    starts.insert(ilvl, s);
                }
                if let Some((_, l)) = o.child("w:lvl").and_then(level_of) {
                    levels.insert(ilvl, l);
                }
            }
            nums.insert(id.to_owned(), (abs.to_owned(), levels, starts));
        }
        for (id, style) in linked {
            let levels = styles
                .numbering(&style)
                .and_then(|(num, _)| nums.get(&num))
                .and_then(|(abs, _, _)| abstracts.get(abs))
                .cloned();
            if let Some(levels) = levels {
                abstracts.insert(id, levels);
            }
        }
        Numbering { abstracts, nums }
    }

    /// The abstract numbering list `num_id` follows (lists sharing one continue each other).
    pub fn abstract_of(&self, num_id: &str) -> Option<&str> {
        self.nums.get(num_id).map(|(a, _, _)| a.as_str())
    }

    /// Level `ilvl` of list `num_id`, with its restart if the instance overrides the start.
    pub fn level(&self, num_id: &str, ilvl: u8) -> (Level, Option<u32>) {
        let default = Level {
            ordered: false,
            start: 1,
            indent: None,
        };
        let Some((abs, levels, starts)) = self.nums.get(num_id) else {
            return (default, None);
        };
        let level = levels
            .get(&ilvl)
            .or_else(|| self.abstracts.get(abs).and_then(|l| l.get(&ilvl)))
            .copied()
            .unwrap_or(default);
        let restart = starts.get(&ilvl).copied();
        (
            Level {
                start: restart.unwrap_or(level.start),
                ..level
            },
            restart,
        )
    }
}
