//! A table of the report: merged multi-row headers, an optional
//! column-number row, body rows (units, sections, totals) whose figures are
//! [`Inline::Figure`]s with their provenance. Writer-neutral: each writer
//! draws the same grid, and [`Table::widths_mm`] says how wide each column
//! wants to be, so DOCX and the preview turn the same tables to landscape.

use super::inline::{Inline, Style};

/// A header cell placed on the grid: its first column, and how many
/// columns and header rows it covers.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadCell {
    pub text: String,
    pub col: usize,
    pub span: usize,
    pub row_span: usize,
}

/// What a grid column holds, for its alignment and width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// "STT": short, centred.
    Number,
    /// Names: left-aligned, wide.
    Label,
    /// Figures: right-aligned.
    Figure,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    Body,
    /// A heading over the rows below it ("I. Khối tỉnh"): bold.
    Section,
    /// "Tổng cộng": bold.
    Total,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub kind: RowKind,
    /// One per grid column.
    pub cells: Vec<Vec<Inline>>,
}

/// A table laid on a page: see [`Table::fit`].
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    pub landscape: bool,
    /// The width between the margins of the page it is on.
    pub width_mm: f64,
    pub pt: f64,
    pub widths_mm: Vec<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Lines above the table: its form ("Biểu số 01/BNV") and its title.
    pub form: String,
    pub title: String,
    /// "Đơn vị tính: người", right-aligned above the grid; "" when none.
    pub unit_note: String,
    /// Header rows, each listing the cells that start in it.
    pub head: Vec<Vec<HeadCell>>,
    /// The column-number row ("A", "B", "1=2+3"…); empty when none.
    pub numbers: Vec<String>,
    pub rows: Vec<Row>,
    pub columns: Vec<ColumnKind>,
    /// A line under the table (rows left out), "" when none.
    pub note: String,
}

/// Millimetres per point of one average character of Times New Roman.
const CHAR_MM_PER_PT: f64 = 0.19;
/// The size of a table's text, in points, and the smallest it is set in to
/// fit a page (in portrait before turning to landscape, and at all).
pub const TABLE_PT: f64 = 12.0;
pub const PORTRAIT_MIN_PT: f64 = 11.0;
pub const MIN_PT: f64 = 8.0;
/// A cell's left and right padding together, in characters.
const PADDING_CHARS: f64 = 1.5;
/// Each side's padding in a cell, in millimetres (the writers set it).
pub const CELL_MARGIN_MM: f64 = 0.8;

impl Table {
    /// A table whose header is one row of plain texts (a Markdown table).
    pub fn plain(head: Vec<String>, rows: Vec<Vec<Vec<Inline>>>) -> Table {
        let width = rows
            .iter()
            .map(Vec::len)
            .chain([head.len()])
            .max()
            .unwrap_or(0);
        let head = if head.iter().all(|h| h.trim().is_empty()) {
            Vec::new()
        } else {
            vec![head
                .into_iter()
                .enumerate()
                .map(|(col, text)| HeadCell {
                    text,
                    col,
                    span: 1,
                    row_span: 1,
                })
                .collect()]
        };
        let columns = (0..width)
            .map(|c| {
                let numeric = rows
                    .iter()
                    .all(|r| r.get(c).is_none_or(|cell| looks_numeric(cell)));
                if numeric && !rows.is_empty() {
                    ColumnKind::Figure
                } else {
                    ColumnKind::Label
                }
            })
            .collect();
        let rows = rows
            .into_iter()
            .map(|mut cells| {
                cells.resize(width, Vec::new());
                Row {
                    kind: RowKind::Body,
                    cells,
                }
            })
            .collect();
        Table {
            form: String::new(),
            title: String::new(),
            unit_note: String::new(),
            head,
            numbers: Vec::new(),
            rows,
            columns,
            note: String::new(),
        }
    }

    /// Header rows laid out from leading columns ("STT", "Đơn vị", each
    /// spanning every header row) and each figure column's header path: a
    /// text shared by neighbours is merged across them, and a path that ends
    /// early is merged down to the last header row.
    pub fn head_from_paths(leading: &[String], paths: &[Vec<String>]) -> Vec<Vec<HeadCell>> {
        let depth = paths.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let mut head: Vec<Vec<HeadCell>> = vec![Vec::new(); depth];
        for (col, text) in leading.iter().enumerate() {
            head[0].push(HeadCell {
                text: text.clone(),
                col,
                span: 1,
                row_span: depth,
            });
        }
        let offset = leading.len();
        for (level, row) in head.iter_mut().enumerate() {
            let mut j = 0;
            while j < paths.len() {
                let path = &paths[j];
                if path.len() <= level {
                    // Covered by a cell merged down from above (or an empty path).
                    if path.is_empty() && level == 0 {
                        row.push(HeadCell {
                            text: String::new(),
                            col: offset + j,
                            span: 1,
                            row_span: depth,
                        });
                    }
                    j += 1;
                    continue;
                }
                let ends = path.len() == level + 1;
                let mut k = j + 1;
                while k < paths.len()
                    && paths[k].len() > level
                    && paths[k][..=level] == path[..=level]
                    && (paths[k].len() == level + 1) == ends
                    && !ends
                {
                    k += 1;
                }
                row.push(HeadCell {
                    text: path[level].clone(),
                    col: offset + j,
                    span: k - j,
                    row_span: if ends { depth - level } else { 1 },
                });
                j = k;
            }
        }
        head
    }

    pub fn width(&self) -> usize {
        self.columns.len()
    }

    /// Each column's wanted width in millimetres with text at `pt`: room
    /// for its longest figure and the longest word of its header, names up
    /// to a few words a line. Every width is proportional to `pt`.
    pub fn widths_at(&self, pt: f64) -> Vec<f64> {
        let ch = CHAR_MM_PER_PT * pt;
        let mut longest_word = vec![0usize; self.width()];
        let mut longest_text = vec![0usize; self.width()];
        for cell in self.head.iter().flatten().filter(|c| c.span == 1) {
            if let Some(w) = longest_word.get_mut(cell.col) {
                let word = cell
                    .text
                    .split_whitespace()
                    .map(|w| w.chars().count())
                    .max();
                *w = (*w).max(word.unwrap_or(0));
            }
        }
        for (c, n) in self.numbers.iter().enumerate() {
            if let Some(w) = longest_word.get_mut(c) {
                *w = (*w).max(n.chars().count());
            }
        }
        for row in &self.rows {
            for (c, cell) in row.cells.iter().enumerate() {
                if let Some(t) = longest_text.get_mut(c) {
                    *t = (*t).max(inline_chars(cell));
                }
            }
        }
        self.columns
            .iter()
            .enumerate()
            .map(|(c, kind)| {
                let word = (longest_word[c] as f64 + PADDING_CHARS) * ch;
                let text = (longest_text[c] as f64 + PADDING_CHARS) * ch;
                match kind {
                    ColumnKind::Number => word.max(text).clamp(3.0 * ch, 6.0 * ch),
                    ColumnKind::Figure => word.max(text).clamp(5.0 * ch, 12.0 * ch),
                    ColumnKind::Label => word.max(text.min(22.0 * ch)).clamp(10.0 * ch, 24.0 * ch),
                }
            })
            .collect()
    }

    pub fn widths_mm(&self) -> Vec<f64> {
        self.widths_at(TABLE_PT)
    }

    /// Whether the table is too wide for a portrait page's `text_width_mm`
    /// even at [`PORTRAIT_MIN_PT`].
    pub fn needs_landscape(&self, text_width_mm: f64) -> bool {
        self.widths_at(PORTRAIT_MIN_PT).iter().sum::<f64>() > text_width_mm + 0.5
    }

    /// The text size that fits the table in `text_width_mm`: [`TABLE_PT`]
    /// when it fits, else smaller, down to [`MIN_PT`].
    pub fn font_pt(&self, text_width_mm: f64) -> f64 {
        let wanted: f64 = self.widths_at(TABLE_PT).iter().sum();
        if wanted <= 0.0 {
            return TABLE_PT;
        }
        let fit = (TABLE_PT * text_width_mm / wanted * 2.0).floor() / 2.0;
        fit.clamp(MIN_PT, TABLE_PT)
    }

    /// How the table is laid on `layout`'s page: its orientation, text
    /// size and column widths, worked out once (each reads every cell).
    pub fn fit(&self, layout: &super::layout::Layout) -> Fit {
        let portrait = layout.page_width_mm - layout.margin_left_mm - layout.margin_right_mm;
        let landscape = self.needs_landscape(portrait);
        let width = if landscape {
            layout.page_height_mm - layout.margin_left_mm - layout.margin_right_mm
        } else {
            portrait
        };
        Fit {
            landscape,
            width_mm: width,
            pt: self.font_pt(width),
            widths_mm: self.fitted_widths_mm(width),
        }
    }

    /// The widths at [`Table::font_pt`], scaled to fill `text_width_mm`.
    pub fn fitted_widths_mm(&self, text_width_mm: f64) -> Vec<f64> {
        let widths = self.widths_at(self.font_pt(text_width_mm));
        let sum: f64 = widths.iter().sum();
        if sum <= 0.0 {
            return widths;
        }
        widths.iter().map(|w| w * text_width_mm / sum).collect()
    }

    /// The table cut into tables of fewer columns, each fitting
    /// `text_width_mm` at [`MIN_PT`] or more: the leading columns (STT,
    /// names) repeat in each, and a merged header group is never cut. The
    /// later ones are titled "(tiếp theo)".
    pub fn split_to_fit(self, text_width_mm: f64) -> Vec<Table> {
        let widths = self.widths_at(MIN_PT);
        if widths.iter().sum::<f64>() <= text_width_mm + 0.5 {
            return vec![self];
        }
        let lead = self
            .columns
            .iter()
            .take_while(|k| **k != ColumnKind::Figure)
            .count();
        let lead_width: f64 = widths[..lead].iter().sum();
        // Blocks of columns that stay together: each top header cell's span.
        let mut blocks: Vec<std::ops::Range<usize>> = Vec::new();
        let mut col = lead;
        while col < self.width() {
            let span = self
                .head
                .first()
                .and_then(|top| top.iter().find(|c| c.col == col))
                .map_or(1, |c| c.span.max(1));
            blocks.push(col..(col + span).min(self.width()));
            col += span;
        }
        let mut parts: Vec<Vec<usize>> = vec![Vec::new()];
        let mut used = lead_width;
        for block in blocks {
            let w: f64 = widths[block.clone()].iter().sum();
            let started = parts.last().is_some_and(|p| !p.is_empty());
            if used + w > text_width_mm && started {
                parts.push(Vec::new());
                used = lead_width;
            }
            used += w;
            if let Some(p) = parts.last_mut() {
                p.extend(block);
            }
        }
        let count = parts.len();
        parts
            .into_iter()
            .enumerate()
            .map(|(i, figure_cols)| {
                let keep: Vec<usize> = (0..lead).chain(figure_cols).collect();
                let mut part = self.select_columns(&keep);
                if i > 0 {
                    part.form.clear();
                    part.title = format!("{} (tiếp theo)", self.title).trim().to_string();
                }
                if i + 1 < count {
                    part.note.clear();
                }
                part
            })
            .collect()
    }

    /// The table with only the grid columns `keep` (in order).
    fn select_columns(&self, keep: &[usize]) -> Table {
        let at = |c: usize| keep.iter().position(|&k| k == c);
        let head = self
            .head
            .iter()
            .map(|row| {
                row.iter()
                    .filter_map(|cell| {
                        let cols: Vec<usize> = (cell.col..cell.col + cell.span.max(1))
                            .filter_map(at)
                            .collect();
                        Some(HeadCell {
                            text: cell.text.clone(),
                            col: *cols.first()?,
                            span: cols.len(),
                            row_span: cell.row_span,
                        })
                    })
                    .collect()
            })
            .collect();
        let pick = |cells: &[Vec<Inline>]| -> Vec<Vec<Inline>> {
            keep.iter()
                .map(|&c| cells.get(c).cloned().unwrap_or_default())
                .collect()
        };
        Table {
            form: self.form.clone(),
            title: self.title.clone(),
            unit_note: self.unit_note.clone(),
            head,
            numbers: if self.numbers.is_empty() {
                Vec::new()
            } else {
                keep.iter()
                    .map(|&c| self.numbers.get(c).cloned().unwrap_or_default())
                    .collect()
            },
            rows: self
                .rows
                .iter()
                .map(|r| Row {
                    kind: r.kind,
                    cells: pick(&r.cells),
                })
                .collect(),
            columns: keep
                .iter()
                .map(|&c| self.columns.get(c).copied().unwrap_or(ColumnKind::Figure))
                .collect(),
            note: self.note.clone(),
        }
    }
}

fn inline_chars(cell: &[Inline]) -> usize {
    cell.iter()
        .map(|i| match i {
            Inline::Text { text, .. } => text.chars().count(),
            // A figure's text is not known here; most are a few digits.
            Inline::Figure { .. } => 7,
            Inline::FootnoteRef { .. } => 1,
            Inline::LineBreak => 0,
        })
        .sum()
}

fn looks_numeric(cell: &[Inline]) -> bool {
    cell.iter().all(|i| match i {
        Inline::Text { text, .. } => text
            .trim()
            .chars()
            .all(|c| c.is_ascii_digit() || ".,%-+ ()".contains(c)),
        Inline::Figure { .. } | Inline::LineBreak => true,
        Inline::FootnoteRef { .. } => false,
    })
}

/// Text as a table cell.
pub fn text_cell(text: impl Into<String>) -> Vec<Inline> {
    let text = text.into();
    if text.is_empty() {
        return Vec::new();
    }
    vec![Inline::Text {
        text,
        style: Style::default(),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn header_paths_become_merged_rows() {
        let paths = vec![
            path(&["Tổng số"]),
            path(&["Chia theo giới tính", "Nam"]),
            path(&["Chia theo giới tính", "Nữ"]),
            path(&["Trình độ", "Đại học"]),
        ];
        let head = Table::head_from_paths(&path(&["STT", "Đơn vị"]), &paths);
        assert_eq!(head.len(), 2);
        let top: Vec<(&str, usize, usize, usize)> = head[0]
            .iter()
            .map(|c| (c.text.as_str(), c.col, c.span, c.row_span))
            .collect();
        assert_eq!(
            top,
            vec![
                ("STT", 0, 1, 2),
                ("Đơn vị", 1, 1, 2),
                ("Tổng số", 2, 1, 2),
                ("Chia theo giới tính", 3, 2, 1),
                ("Trình độ", 5, 1, 1),
            ]
        );
        let second: Vec<(&str, usize)> = head[1].iter().map(|c| (c.text.as_str(), c.col)).collect();
        assert_eq!(second, vec![("Nam", 3), ("Nữ", 4), ("Đại học", 5)]);
    }

    #[test]
    fn a_wide_table_wants_landscape_and_a_narrow_one_does_not() {
        let paths: Vec<Vec<String>> = (0..14)
            .map(|i| path(&["Nhóm", &format!("Cột {i}")]))
            .collect();
        let mut t = Table::plain(Vec::new(), Vec::new());
        t.head = Table::head_from_paths(&path(&["STT", "Đơn vị"]), &paths);
        t.columns = [ColumnKind::Number, ColumnKind::Label]
            .into_iter()
            .chain(std::iter::repeat_n(ColumnKind::Figure, 14))
            .collect();
        assert!(t.needs_landscape(165.0));
        t.columns.truncate(6);
        assert!(!t.needs_landscape(165.0));
        let fitted: f64 = t.fitted_widths_mm(165.0).iter().sum();
        assert!((fitted - 165.0).abs() < 1e-6);
    }
}
