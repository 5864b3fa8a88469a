//! A sheet as every workbook reader hands it on: its non-empty rows within
//! the limits, merged regions filled, and how a stored number or date reads.

use super::cells::SheetCell;
use super::Limits;
use crate::model::CellText;
use compact_str::ToCompactString;

/// A merged region: its top-left and bottom-right (row, column), from 0.
pub(crate) type Merge = ((u32, u32), (u32, u32));

/// A sheet's non-empty rows in order, each with its 0-based sheet row and its
/// cells from column A to its own last non-empty cell. Blank rows and empty
/// cells far from the data take no memory: a stray cell at XFD1048576 costs
/// one cell, not the rectangle up to it.
#[derive(Debug, Default)]
pub struct SheetRows {
    pub rows: Vec<(u32, Vec<SheetCell>)>,
    /// Cells left out for standing past the column limit, and the first of them.
    pub outside: usize,
    pub first_outside: Option<(u32, u32)>,
    /// Whether the sheet has rows past the row limit (not read).
    pub cut_rows: bool,
    /// Whether the sheet holds more cells than a sheet may (the rest not read).
    pub cut_cells: bool,
}

impl SheetRows {
    /// Builds the rows from cells given in any order, within the limits.
    /// Cells streamed in order (the usual sheet) go straight into their
    /// rows; from the first one out of order on, the rest wait and all are
    /// sorted at the end.
    pub(crate) fn from_cells(
        cells: impl Iterator<Item = (u32, u32, SheetCell)>,
        limits: &Limits,
    ) -> SheetRows {
        let mut out = SheetRows::default();
        let (mut kept, mut late) = (0usize, Vec::new());
        for (row, col, cell) in cells {
            if cell.text.is_empty() {
                continue;
            }
            if col as usize >= limits.max_columns {
                out.outside += 1;
                out.first_outside.get_or_insert((row, col));
                continue;
            }
            if row as usize > limits.max_rows {
                out.cut_rows = true;
                continue;
            }
            if kept >= limits.max_cells {
                out.cut_cells = true;
                break;
            }
            kept += 1;
            let in_order = late.is_empty()
                && out.rows.last().is_none_or(|(r, cells)| {
                    row > *r || (row == *r && col as usize >= cells.len())
                });
            if in_order {
                out.push(row, col, cell);
            } else {
                late.push((row, col, cell));
            }
        }
        if !late.is_empty() {
            out.sort_in(late);
        }
        out
    }

    /// Puts a cell after the last one, in its row or a new one.
    fn push(&mut self, row: u32, col: u32, cell: SheetCell) {
        if self.rows.last().is_none_or(|(r, _)| *r != row) {
            // A row is usually as wide as the one before it.
            let width = self.rows.last().map_or(0, |(_, c)| c.len().min(256));
            self.rows.push((row, Vec::with_capacity(width)));
        }
        if let Some((_, cells)) = self.rows.last_mut() {
            cells.resize(col as usize, SheetCell::default());
            cells.push(cell);
        }
    }

    /// Rebuilds the rows from the cells placed so far and `late`, in the
    /// order they came, sorted by place (stable: of two cells at one place,
    /// the later is kept).
    fn sort_in(&mut self, late: Vec<(u32, u32, SheetCell)>) {
        let placed = std::mem::take(&mut self.rows)
            .into_iter()
            .flat_map(|(row, cells)| {
                cells
                    .into_iter()
                    .enumerate()
                    .filter(|(_, cell)| !cell.text.is_empty())
                    .map(move |(col, cell)| (row, col as u32, cell))
            });
        let mut all: Vec<_> = placed.chain(late).collect();
        all.sort_by_key(|(row, col, _)| (*row, *col));
        for (row, col, cell) in all {
            if self.rows.last().is_none_or(|(r, _)| *r != row) {
                self.rows.push((row, Vec::new()));
            }
            if let Some((_, cells)) = self.rows.last_mut() {
                cells.resize(col as usize, SheetCell::default());
                cells.push(cell);
            }
        }
    }

    /// Gives every cell of a merged region the value of its top-left cell
    /// (a header's group over its sub-columns), within the limits.
    pub(crate) fn fill_merges(&mut self, merges: &[Merge], limits: &Limits) {
        let mut budget = limits.max_cells.saturating_sub(self.cells());
        for &((r1, c1), (r2, c2)) in merges {
            if c2 as usize >= limits.max_columns
                || r2 as usize > limits.max_rows
                || r2 < r1
                || c2 < c1
            {
                continue;
            }
            let size = (u64::from(r2 - r1) + 1) * (u64::from(c2 - c1) + 1);
            if size > budget as u64 {
                continue;
            }
            budget -= size as usize;
            let Some(value) = self.get(r1, c1).filter(|v| !v.text.is_empty()).cloned() else {
                continue;
            };
            for r in r1..=r2 {
                let at = match self.rows.binary_search_by_key(&r, |(row, _)| *row) {
                    Ok(at) => at,
                    Err(at) => {
                        self.rows.insert(at, (r, Vec::new()));
                        at
                    }
                };
                let Some((_, cells)) = self.rows.get_mut(at) else {
                    continue;
                };
                if cells.len() <= c2 as usize {
                    cells.resize(c2 as usize + 1, SheetCell::default());
                }
                for cell in cells.iter_mut().take(c2 as usize + 1).skip(c1 as usize) {
                    if cell.text.is_empty() {
                        *cell = value.clone();
                    }
                }
            }
        }
    }

    fn get(&self, row: u32, col: u32) -> Option<&SheetCell> {
        let at = self.rows.binary_search_by_key(&row, |(r, _)| *r).ok()?;
        self.rows.get(at)?.1.get(col as usize)
    }

    fn cells(&self) -> usize {
        self.rows.iter().map(|(_, c)| c.len()).sum()
    }
}

/// 1957.0 → "1957", 97.4 → "97.4": how the value reads, for messages.
pub(crate) fn plain_number(v: f64) -> CellText {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        (v as i64).to_compact_string()
    } else {
        v.to_compact_string()
    }
}

/// An Excel serial date as "dd/mm/yyyy" (days since 1899-12-30).
pub(crate) fn excel_date(serial: f64) -> String {
    let days = serial.floor() as i64 - 25569; // to days since 1970-01-01
                                              // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{d:02}/{m:02}/{y}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> SheetCell {
        SheetCell {
            text: text.into(),
            number: None,
        }
    }

    fn texts(rows: &SheetRows) -> Vec<(u32, Vec<String>)> {
        let row = |(r, cells): &(u32, Vec<SheetCell>)| {
            (*r, cells.iter().map(|c| c.text.to_string()).collect())
        };
        rows.rows.iter().map(row).collect()
    }

    #[test]
    fn cells_in_order_and_out_of_order_give_the_same_rows() {
        let limits = Limits::default();
        let ordered = [(0, 0, "a"), (1, 0, "c"), (1, 2, "d"), (4, 1, "e")];
        let shuffled = [(1, 2, "d"), (4, 1, "e"), (0, 0, "a"), (1, 0, "c")];
        let of = |cells: &[(u32, u32, &str)]| {
            let cells = cells.iter().map(|&(r, c, t)| (r, c, cell(t)));
            texts(&SheetRows::from_cells(cells, &limits))
        };
        let expected = vec![
            (0, vec!["a".to_string()]),
            (1, vec!["c".into(), String::new(), "d".into()]),
            (4, vec![String::new(), "e".into()]),
        ];
        assert_eq!(of(&ordered), expected);
        assert_eq!(of(&shuffled), expected);
        // Two cells at one place: the later is kept, whichever way they came.
        let twice = [(0, 0, "a"), (0, 1, "b"), (0, 1, "B")];
        assert_eq!(of(&twice), vec![(0, vec!["a".to_string(), "B".into()])]);
    }

    #[test]
    fn cells_past_the_limits_are_counted_not_kept() {
        let limits = Limits {
            max_cells: 2,
            ..Limits::default()
        };
        let cells = [(0, 0, "a"), (0, 20_000, "far"), (1, 0, "b"), (2, 0, "c")];
        let rows = SheetRows::from_cells(cells.iter().map(|&(r, c, t)| (r, c, cell(t))), &limits);
        assert_eq!(rows.outside, 1);
        assert_eq!(rows.first_outside, Some((0, 20_000)));
        assert!(rows.cut_cells);
        assert_eq!(texts(&rows).len(), 2);
    }

    #[test]
    fn excel_serial_dates() {
        assert_eq!(excel_date(43831.0), "01/01/2020");
        assert_eq!(excel_date(44382.0), "05/07/2021");
    }

    #[test]
    fn numbers_read_as_they_show() {
        assert_eq!(plain_number(1957.0), "1957");
        assert_eq!(plain_number(97.4), "97.4");
    }
}
