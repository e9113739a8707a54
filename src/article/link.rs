//! The one link policy every format applies: which link targets stay live and what each
//! becomes.
//!
//! A target is live when it is a web address (`http`, `https`), a mail address (`mailto`) or
//! an in-document anchor (`#…`) naming a heading of the article; anything else (`javascript:`,
//! `vbscript:`, `data:`, `file:`, a relative path such as `../../etc/passwd`) is kept as text.
//! The readers unwrap a dead link into its text once, with one located warning
//! (`crate::read`); the backends ask [`Links::resolve`] for every link they write, so an
//! article built in code can never smuggle a live `javascript:` link into any format either.
//!
//! The scheme is judged the way a browser's URL parser would read it (WHATWG URL: leading and
//! trailing spaces and control characters stripped, tabs and line ends removed anywhere, the
//! scheme case-insensitive), so `  JaVaScRiPt:` or `java\tscript:` are recognised for what they
//! are. Only an allow-list is live: an entity-encoded or otherwise disguised scheme is simply
//! not `http`, `https` or `mailto`, and so is text.

use super::{Article, Block, Inline, plain_text, walk};

/// What a link target becomes in every format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A web or mail address, ready to write: trimmed, tabs and line ends removed, and every
    /// character a URI cannot hold literally (spaces, quotes, angle brackets, non-ASCII …)
    /// percent-encoded as UTF-8, so the same bytes suit a PDF `/URI` (7-bit ASCII), a DOCX
    /// relationship and an XHTML `href`.
    Web(String),
    /// An in-document anchor: the slug ([`slug`]) of the fragment after `#`.
    Anchor(String),
    /// Not a live target: the link's text is kept, without the link.
    Text,
}

/// Classifies a link target as written in the source. [`Target::Anchor`] says only that the
/// target has the form of an anchor; [`Links::resolve`] says whether the article has it.
pub fn classify(url: &str) -> Target {
    // WHATWG URL parsing: strip leading and trailing C0 controls and spaces, then remove
    // every tab and line end.
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if let Some(fragment) = url.strip_prefix('#') {
        let s = slug(&percent_decode(fragment));
        return if s.is_empty() {
            Target::Text
        } else {
            Target::Anchor(s)
        };
    }
    let Some((scheme, rest)) = url.split_once(':') else {
        return Target::Text;
    };
    let live = match scheme.to_ascii_lowercase().as_str() {
        // A host must follow the two slashes (`https://` alone, or `https:///x`, go nowhere).
        "http" | "https" => rest
            .strip_prefix("//")
            .and_then(|r| r.chars().next())
            .is_some_and(|c| !matches!(c, '/' | '\\' | '?' | '#')),
        "mailto" => !rest.trim().is_empty(),
        _ => false,
    };
    if live {
        Target::Web(percent_encode(&url))
    } else {
        Target::Text
    }
}

/// The anchor name of a heading's text, as GitHub and pandoc derive it: lowercase, letters,
/// digits, `-` and `_` kept, spaces as `-`, everything else dropped. `[link](#the-outlook)`
/// points at the heading "The outlook".
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    out
}

/// The headings an article's anchors can point at, in the order every backend meets them: the
/// body's headings depth first (inside quotes and lists too), then the notes'. A slug that
/// repeats gets `-1`, `-2` … after its first use, as GitHub numbers them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// The unique anchor of each heading, in order.
    anchors: Vec<String>,
    /// How many of those headings are in the body (the rest are in notes).
    in_body: usize,
}

impl Links {
    /// The anchors of the article's headings.
    pub fn of(article: &Article) -> Links {
        fn headings(blocks: &[Block], out: &mut Vec<String>) {
            walk::each_block(blocks, &mut |b| {
                if let Block::Heading { content, .. } = b {
                    out.push(slug(&plain_text(content)));
                }
            });
        }
        let mut plain = Vec::new();
        headings(&article.blocks, &mut plain);
        let in_body = plain.len();
        for n in &article.notes {
            headings(&n.blocks, &mut plain);
        }
        let mut anchors: Vec<String> = Vec::with_capacity(plain.len());
        for s in plain {
            let mut unique = s.clone();
            let mut k = 0;
            while anchors.contains(&unique) {
                k += 1;
                unique = format!("{s}-{k}");
            }
            anchors.push(unique);
        }
        Links { anchors, in_body }
    }

    /// What a link to `url` becomes: a web or mail address, the heading it names (its index
    /// in the order of [`Links`]), or text.
    pub fn resolve(&self, url: &str) -> Resolved {
        match classify(url) {
            Target::Web(href) => Resolved::Web(href),
            Target::Anchor(s) => match self.anchors.iter().position(|a| *a == s) {
                Some(i) => Resolved::Heading(i),
                None => Resolved::Text,
            },
            Target::Text => Resolved::Text,
        }
    }

    /// The unique anchor of heading `index` (in the order of [`Links`]).
    pub fn anchor(&self, index: usize) -> Option<&str> {
        self.anchors.get(index).map(String::as_str)
    }

    /// Whether heading `index` is in the body rather than in a note.
    pub fn in_body(&self, index: usize) -> bool {
        index < self.in_body
    }
}

/// A link target resolved against one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A live web or mail address, ready to write (see [`Target::Web`]).
    Web(String),
    /// The heading with this index, in the order of [`Links`].
    Heading(usize),
    /// Not live: the text is kept without the link.
    Text,
}

/// Unwraps every link the policy does not keep live into its text; returns their targets as
/// written, in the order of the body, then the notes (each once per occurrence), so a reader
/// can warn once per dropped link with its line.
pub fn unlink_dead(article: &mut Article) -> Vec<String> {
    fn inlines(list: &mut Vec<Inline>, links: &Links, out: &mut Vec<String>) {
        let mut i = 0;
        while i < list.len() {
            match &mut list[i] {
                Inline::Link { url, content } if links.resolve(url) == Resolved::Text => {
                    out.push(std::mem::take(url));
                    let mut inner = std::mem::take(content);
                    inlines(&mut inner, links, out);
                    let n = inner.len();
                    list.splice(i..=i, inner);
                    i += n;
                    continue;
                }
                Inline::Link { content, .. }
                | Inline::Emphasis { content }
                | Inline::Strong { content } => inlines(content, links, out),
                Inline::Text { .. }
                | Inline::Code { .. }
                | Inline::FootnoteRef { .. }
                | Inline::LineBreak => {}
            }
            i += 1;
        }
    }
    let links = Links::of(article);
    let mut out = Vec::new();
    let mut unlink = |run: &mut Vec<Inline>| inlines(run, &links, &mut out);
    walk::each_inline_run_mut(&mut article.blocks, &mut unlink);
    for n in &mut article.notes {
        walk::each_inline_run_mut(&mut n.blocks, &mut unlink);
    }
    out
}

/// `%XX` escapes decoded (as UTF-8, lossily); anything malformed kept as written.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Characters a URI cannot hold literally, percent-encoded as UTF-8; `%` itself is kept (the
/// target may already be encoded).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_graphic() && !"\"<>\\^`{|}".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Meta, text};

    #[test]
    fn web_and_mail_targets_stay_live_and_are_encoded_once_for_every_format() {
        assert_eq!(
            classify("https://example.org/a b"),
            Target::Web("https://example.org/a%20b".into())
        );
        assert_eq!(
            classify("  HTTP://example.org/é\n"),
            Target::Web("HTTP://example.org/%C3%A9".into())
        );
        assert_eq!(
            classify("mailto:a@b.org"),
            Target::Web("mailto:a@b.org".into())
        );
        assert_eq!(
            classify("https://x.org/?q=\"<>\""),
            Target::Web("https://x.org/?q=%22%3C%3E%22".into())
        );
    }

    #[test]
    fn disguised_and_foreign_schemes_are_text() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "   javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "vbscript:msgbox",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "../../etc/passwd",
            "other.html",
            "//evil.example/x",
            "https://",
            "https:///etc/passwd",
            "https:evil.example",
            "mailto:",
            "",
            "#",
            "ｊａｖａｓｃｒｉｐｔ:alert(1)",
        ] {
            assert_eq!(classify(url), Target::Text, "{url:?}");
        }
    }

    #[test]
    fn anchors_name_a_heading_by_slug() {
        assert_eq!(
            classify("#The%20Outlook"),
            Target::Anchor("the-outlook".into())
        );
        let mut a = Article {
            meta: Meta::new("t"),
            photo: None,
            blocks: vec![
                Block::Heading {
                    level: 1,
                    content: vec![text("The outlook")],
                },
                Block::Heading {
                    level: 1,
                    content: vec![text("The outlook")],
                },
                Block::Paragraph {
                    content: vec![
                        Inline::Link {
                            url: "#the-outlook-1".into(),
                            content: vec![text("second")],
                        },
                        Inline::Link {
                            url: "#nowhere".into(),
                            content: vec![text("gone")],
                        },
                        Inline::Link {
                            url: "javascript:x".into(),
                            content: vec![Inline::Emphasis {
                                content: vec![text("em")],
                            }],
                        },
                    ],
                },
            ],
            notes: vec![],
        };
        let links = Links::of(&a);
        assert_eq!(links.resolve("#The-Outlook"), Resolved::Heading(0));
        assert_eq!(links.resolve("#the-outlook-1"), Resolved::Heading(1));
        assert_eq!(links.resolve("#nowhere"), Resolved::Text);
        let dropped = unlink_dead(&mut a);
        assert_eq!(dropped, ["#nowhere", "javascript:x"]);
        let Block::Paragraph { content } = &a.blocks[2] else {
            panic!("a paragraph")
        };
        assert_eq!(content.len(), 3);
        assert!(matches!(&content[0], Inline::Link { .. }));
        assert_eq!(content[1], text("gone"));
        assert!(matches!(&content[2], Inline::Emphasis { .. }));
    }
}
