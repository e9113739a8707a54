//! A data table's column widths as the PDF sets them, for the other formats to share: the
//! DOCX sizes its grid here, so a table has the same proportions in both.

use super::FontBook;
use super::flow::Context;
use crate::article::{Article, Table};
use crate::error::Result;
use crate::theme::Theme;

/// The widths, in points, of `table`'s columns (a table of `article`) over `measure` points,
/// from the widths of its content in the theme's faces at the body size (see
/// [`super::columns::distribute`]); each column's width includes its share of the space
/// between columns, so the widths add up to the measure. Fails only when the theme's faces
/// cannot be read.
pub fn column_widths(
    article: &Article,
    table: &Table,
    theme: &Theme,
    measure: f32,
) -> Result<Vec<f32>> {
    let fonts = FontBook::new(theme)?;
    let mut ctx = Context::new(&fonts, theme, &article.meta.lang());
    let cols = ctx.table_columns(article, table, measure, false);
    let n = cols.widths.len().max(1) as f32;
    let share = cols.gutter * (n - 1.0) / n;
    Ok(cols.widths.iter().map(|w| w + share).collect())
}
