//! What template functions share: the markers that stand for figures,
//! charts and tables in the rendered Markdown (private-use characters the
//! Markdown reader turns back into them), the registry of what a render has
//! placed, and the reading of a period argument.

use super::document::Figure;
use crate::model::Period;
use minijinja::value::Value;
use minijinja::{Error, ErrorKind};

/// Opens and closes a figure marker; the figure's index sits between them.
pub const MARK_OPEN: char = '\u{E000}';
pub const MARK_CLOSE: char = '\u{E001}';
/// Open and close a chart marker, alone in its paragraph.
pub const CHART_OPEN: char = '\u{E002}';
pub const CHART_CLOSE: char = '\u{E003}';
/// Open and close a table marker, alone in its paragraph.
pub const TABLE_OPEN: char = '\u{E004}';
pub const TABLE_CLOSE: char = '\u{E005}';

/// What a render has placed so far.
#[derive(Default)]
pub(super) struct Registry {
    pub(super) figures: Vec<Figure>,
    pub(super) charts: Vec<crate::chart::Chart>,
    pub(super) tables: Vec<super::table::Table>,
    /// Cells of every table placed, against the table functions' limit.
    pub(super) table_cells: usize,
}

impl Registry {
    pub(super) fn mark(&mut self, figure: Figure) -> String {
        self.figures.push(figure);
        format!("{MARK_OPEN}{}{MARK_CLOSE}", self.figures.len() - 1)
    }
}

pub(super) fn period_arg(v: &Value) -> Result<Period, Error> {
    let text = v.to_string();
    Period::parse(&text).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("kỳ không hợp lệ: {text}"),
        )
    })
}
