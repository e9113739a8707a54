//! Data tables: the model's [`Table`] and what a brief says about each one beyond its cells —
//! its number and the words of its caption and source line, decided once for every format.
//!
//! A table is numbered in reading order (the body first, then the notes), counting every table
//! whether or not it has a caption, so "Table 3" means the same table in the PDF, the DOCX and
//! the EPUB.

use super::{Article, Block, Inline, LabelOverrides, Labels, walk};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A data table: a caption above, header rows, body rows, a source line below.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// The caption, without the number and without the source line.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caption: String,
    /// Where the figures come from, without any "Source:" wrapper.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// How each column is aligned; a column without an entry is [`Align::Default`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub align: Vec<Align>,
    /// The header rows (usually one), repeated on every page the table continues on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub head: Vec<Row>,
    /// The body rows.
    #[serde(default)]
    pub body: Vec<Row>,
}

/// One row of cells, left to right; a row shorter than the table is filled with empty cells.
pub type Row = Vec<Cell>;

/// One cell of a table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    /// The cell's text (a line break starts a new line inside the cell).
    #[serde(default)]
    pub content: Vec<Inline>,
}

/// A column's alignment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// What the language's direction gives: left in a left-to-right brief.
    #[default]
    Default,
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right, as figures are set.
    Right,
}

impl Table {
    /// The number of columns: the widest row's.
    pub fn columns(&self) -> usize {
        self.rows().map(Vec::len).max().unwrap_or(0)
    }

    /// Every row, the header rows first.
    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.head.iter().chain(&self.body)
    }

    /// Every cell, row by row, the header rows first.
    pub fn cells(&self) -> impl Iterator<Item = &Cell> {
        self.rows().flatten()
    }

    /// Every cell, mutably, in the order of [`Table::cells`].
    pub fn cells_mut(&mut self) -> impl Iterator<Item = &mut Cell> {
        self.head.iter_mut().chain(&mut self.body).flatten()
    }

    /// The alignment of column `i`.
    pub fn align_of(&self, i: usize) -> Align {
        self.align.get(i).copied().unwrap_or_default()
    }
}

/// What a table says around its cells, in the brief's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableWords {
    /// "Table 3": the label and the number, always present.
    pub label: String,
    /// What stands between the label and the caption: ". ", "：".
    pub separator: String,
    /// The caption, trimmed; empty when the table has none.
    pub caption: String,
    /// "Source: Eurostat" with the language's word, or `None`.
    pub source: Option<String>,
}

impl TableWords {
    /// The label and the caption as one line: "Table 3. Budget", "表3：预算", or the label
    /// alone.
    pub fn heading(&self) -> String {
        if self.caption.is_empty() {
            self.label.clone()
        } else {
            format!("{}{}{}", self.label, self.separator, self.caption)
        }
    }
}

/// The words of table number `number` (1-based) with `labels`.
pub fn words(table: &Table, number: usize, labels: &Labels) -> TableWords {
    let source = table
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| labels.source_line(s));
    TableWords {
        label: labels.table_label(number),
        separator: labels.caption_separator.to_string(),
        caption: table.caption.trim().to_owned(),
        source,
    }
}

impl Article {
    /// Every table in reading order (the body, then the notes): table `n` is `tables()[n - 1]`.
    pub fn tables<'a>(&'a self) -> Vec<&'a Table> {
        let mut out = Vec::new();
        let mut table = |b: &'a Block| {
            if let Block::Table { table } = b {
                out.push(table);
            }
        };
        walk::each_block(&self.blocks, &mut table);
        for n in &self.notes {
            walk::each_block(&n.blocks, &mut table);
        }
        out
    }

    /// The 1-based number of `table`, which must be a table of this article (compared by
    /// address); 0 for a table that is not.
    pub fn table_number(&self, table: &Table) -> usize {
        self.tables()
            .iter()
            .position(|t| std::ptr::eq(*t, table))
            .map_or(0, |i| i + 1)
    }

    /// The words around `table` (a table of this article) in the article's language, with a
    /// theme's `labels`.
    pub fn table_words(&self, table: &Table, labels: &LabelOverrides) -> TableWords {
        words(table, self.table_number(table), &self.labels(labels))
    }

    /// The words briefpress writes itself in this article, in its language with a theme's
    /// `labels`: what every backend asks for instead of choosing words.
    pub fn labels(&self, labels: &LabelOverrides) -> Labels {
        self.meta.lang().labels_with(labels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Meta, text};

    fn cell(s: &str) -> Cell {
        Cell {
            content: vec![text(s)],
        }
    }

    fn table(caption: &str) -> Table {
        Table {
            caption: caption.into(),
            source: Some(" Eurostat ".into()),
            align: vec![Align::Left, Align::Right],
            head: vec![vec![cell("Year"), cell("Budget")]],
            body: vec![vec![cell("2025")], vec![cell("2026"), cell("12")]],
        }
    }

    #[test]
    fn tables_are_numbered_in_reading_order_with_the_language_words() {
        let mut article = Article {
            meta: Meta::new("T"),
            photo: None,
            blocks: vec![
                Block::Table {
                    table: table("First"),
                },
                Block::Quote {
                    blocks: vec![Block::Table { table: table("") }],
                },
            ],
            notes: Vec::new(),
        };
        let second = article.tables()[1];
        assert_eq!(article.table_number(second), 2);
        let w = article.table_words(article.tables()[0], &LabelOverrides::default());
        assert_eq!(w.heading(), "Table 1. First");
        assert_eq!(w.source.as_deref(), Some("Source: Eurostat"));
        assert_eq!(
            article
                .table_words(second, &LabelOverrides::default())
                .heading(),
            "Table 2"
        );
        article.meta.language = "es".into();
        let w = article.table_words(article.tables()[0], &LabelOverrides::default());
        assert_eq!(w.label, "Tabla 1");
        assert_eq!(w.source.as_deref(), Some("Fuente: Eurostat"));
    }

    #[test]
    fn a_short_row_counts_no_column_and_alignment_defaults() {
        let t = table("");
        assert_eq!(t.columns(), 2);
        assert_eq!(t.align_of(1), Align::Right);
        assert_eq!(t.align_of(5), Align::Default);
    }
}
