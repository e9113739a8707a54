//! The wire form (`.txt`): the first non-empty line is the title; a second block that carries a
//! credit is the photo's caption and credit; blocks separated by blank lines are paragraphs; a
//! lone short line between paragraphs that does not end a sentence is a heading. A `.jpg`,
//! `.jpeg` or `.png` with the file's stem beside it is the photo. The language is guessed from
//! the words ([`language::guess`]).

use crate::article::{Article, Block, Cell, Figure, Meta, Row, Table, text as text_inline};
use crate::error::{Location, Result};
use crate::read::{Assets, Parsed, credit, language, table_caption};

/// A heading is shorter than this many characters (SPEC: "a single line under 80 characters").
const HEADING_MAX_CHARS: usize = 80;

/// One blank-line-separated block: its lines (trimmed, non-empty), the same lines untrimmed
/// (a table's empty first or last cell is a tab at the line's edge), and the line it starts on.
struct Chunk<'a> {
    lines: Vec<&'a str>,
    raw: Vec<&'a str>,
    first_line: usize,
}

impl Chunk<'_> {
    fn joined(&self) -> String {
        self.lines.join(" ")
    }

    /// The block as a table: two lines or more, every one tab-separated into the same number
    /// of cells (two or more); the first line is the header.
    fn table(&self) -> Option<Table> {
        let rows: Vec<Vec<&str>> = self
            .raw
            .iter()
            .map(|l| {
                l.trim_matches(|c: char| c.is_whitespace() && c != '\t')
                    .split('\t')
                    .collect()
            })
            .collect();
        let width = rows.first()?.len();
        if rows.len() < 2 || width < 2 || rows.iter().any(|r| r.len() != width) {
            return None;
        }
        let row = |cells: &Vec<&str>| -> Row {
            cells
                .iter()
                .map(|c| Cell {
                    content: match c.trim() {
                        "" => Vec::new(),
                        t => vec![text_inline(t)],
                    },
                })
                .collect()
        };
        Some(Table {
            caption: String::new(),
            source: None,
            align: Vec::new(),
            head: vec![row(&rows[0])],
            body: rows[1..].iter().map(row).collect(),
        })
    }
}

/// Splits the text into blocks at blank lines (lines holding only whitespace).
fn chunks(text: &str) -> Vec<Chunk<'_>> {
    let mut out: Vec<Chunk<'_>> = Vec::new();
    let mut current: Option<Chunk<'_>> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            out.extend(current.take());
        } else {
            let chunk = current.get_or_insert_with(|| Chunk {
                lines: Vec::new(),
                raw: Vec::new(),
                first_line: i + 1,
            });
            chunk.lines.push(t);
            chunk.raw.push(line);
        }
    }
    out.extend(current);
    out
}

/// Whether a line ends a sentence (then it is a short paragraph, not a heading).
fn ends_sentence(line: &str) -> bool {
    let t = line.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*', '_']);
    t.ends_with(['.', '!', '?', '…', ':', ';', ','])
}

/// Whether a block could be a heading on its own (its neighbours decide the rest).
fn heading_shaped(c: &Chunk<'_>) -> bool {
    c.lines.len() == 1
        && c.lines[0].chars().count() < HEADING_MAX_CHARS
        && !ends_sentence(c.lines[0])
}

/// Parses the wire form. `stem` is the file name without extension, to find the photo.
pub(crate) fn parse(text: &str, stem: &str, assets: &dyn Assets) -> Result<Parsed> {
    let mut chunks = chunks(text);
    let mut warnings = Vec::new();
    let mut figure_lines = Vec::new();
    if chunks.is_empty() {
        // decode::source_text refuses whitespace-only files; this is a defensive fallback.
        return Ok(Parsed {
            article: Article {
                meta: Meta::new(""),
                photo: None,
                blocks: vec![],
                notes: vec![],
            },
            figure_lines,
            link_lines: Vec::new(),
            warnings,
            problems: Vec::new(),
        });
    }
    // The title is the first line; the rest of its block (if any) is a paragraph.
    let first = chunks.remove(0);
    let title = first.lines[0].to_owned();
    if first.lines.len() > 1 {
        chunks.insert(
            0,
            Chunk {
                lines: first.lines[1..].to_vec(),
                raw: first.raw[1..].to_vec(),
                first_line: first.first_line + 1,
            },
        );
    }

    let mut photo = None;
    let mut caption_line = Location::default();
    if let Some(c) = chunks.first() {
        let joined = c.joined();
        if credit::has_credit(&joined)
            && let Some((caption, credit)) = credit::split(&joined)
        {
            caption_line = Location::line(c.first_line);
            photo = Some(Figure {
                src: None,
                alt: String::new(),
                caption,
                credit: Some(credit),
                image: None,
            });
            chunks.remove(0);
        }
    }

    // A photo file with the same stem beside the source.
    let mut found = None;
    for ext in ["jpg", "jpeg", "png", "JPG", "JPEG", "PNG"] {
        let name = format!("{stem}.{ext}");
        match assets.read(&name) {
            Ok(_) => {
                found = Some(name);
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => warnings.push(crate::error::Warning::new(format!(
                "cannot read `{name}` ({e}); no photo used"
            ))),
        }
    }
    if let Some(name) = found {
        let fig = photo.get_or_insert_with(|| Figure {
            src: None,
            alt: String::new(),
            caption: String::new(),
            credit: None,
            image: None,
        });
        figure_lines.push((name.clone(), caption_line));
        fig.src = Some(name);
    }

    // A wire story names no language: guess it from the words, so a Spanish story is
    // hyphenated and tagged as Spanish.
    let mut meta = Meta::new(title);
    meta.language = language::guess(text).to_owned();
    let lang = meta.lang();

    let n = chunks.len();
    let tables: Vec<Option<Table>> = chunks.iter().map(Chunk::table).collect();
    // A table's caption line (`Table: …`) is never a heading.
    let shaped: Vec<bool> = chunks
        .iter()
        .zip(&tables)
        .map(|(c, t)| {
            t.is_none() && heading_shaped(c) && !table_caption::opens_caption(c.lines[0], &lang)
        })
        .collect();
    let mut blocks: Vec<Block> = chunks
        .iter()
        .zip(tables)
        .enumerate()
        .map(|(i, (c, table))| {
            if let Some(table) = table {
                return Block::Table { table };
            }
            // Between paragraphs: something before it (the title counts) and a paragraph after it.
            let heading = shaped[i] && i + 1 < n && !shaped[i + 1];
            let content = vec![text_inline(c.joined())];
            if heading {
                Block::Heading { level: 1, content }
            } else {
                Block::Paragraph { content }
            }
        })
        .collect();
    table_caption::attach(&mut blocks, &lang);
    let article = Article {
        meta,
        photo,
        blocks,
        notes: vec![],
    };
    Ok(Parsed {
        article,
        figure_lines,
        link_lines: Vec::new(),
        warnings,
        problems: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Block, plain_text};
    use crate::read::MemoryAssets;

    fn parse_plain(text: &str) -> Article {
        parse(text, "brief", &MemoryAssets::default())
            .unwrap()
            .article
    }

    #[test]
    fn title_caption_paragraphs_and_headings() {
        let a = parse_plain(
            "\n\nThe title\n\nA caption. Photo: Jane Roe/AP\n\nFirst paragraph,\nwrapped.\n\nA short heading\n\nSecond paragraph.\n\nLast short line\n",
        );
        assert_eq!(a.meta.title, "The title");
        let photo = a.photo.unwrap();
        assert_eq!(
            (photo.caption.as_str(), photo.credit.as_deref()),
            ("A caption.", Some("Jane Roe/AP"))
        );
        assert!(photo.src.is_none());
        assert_eq!(a.blocks.len(), 4);
        assert!(
            matches!(&a.blocks[0], Block::Paragraph { content } if plain_text(content) == "First paragraph, wrapped.")
        );
        assert!(
            matches!(&a.blocks[1], Block::Heading { level: 1, content } if plain_text(content) == "A short heading")
        );
        // the last block has no paragraph after it, so it stays a paragraph
        assert!(matches!(&a.blocks[3], Block::Paragraph { .. }));
    }

    #[test]
    fn second_block_without_credit_is_a_paragraph() {
        let a = parse_plain("Title\n\nJust a first paragraph that says something.\n");
        assert!(a.photo.is_none());
        assert_eq!(a.blocks.len(), 1);
    }

    #[test]
    fn sentence_endings_are_not_headings() {
        let a = parse_plain(
            "Title\n\nA short line.\n\nA paragraph.\n\n“Quoted?”\n\nAnother paragraph.\n",
        );
        assert!(
            a.blocks
                .iter()
                .all(|b| matches!(b, Block::Paragraph { .. }))
        );
    }

    #[test]
    fn photo_beside_the_source() {
        let assets = MemoryAssets(vec![("brief.png".into(), vec![1, 2, 3])]);
        let p = parse("Title\n\nBody.\n", "brief", &assets).unwrap();
        let photo = p.article.photo.unwrap();
        assert_eq!(photo.src.as_deref(), Some("brief.png"));
        assert!(photo.caption.is_empty());
    }
}
