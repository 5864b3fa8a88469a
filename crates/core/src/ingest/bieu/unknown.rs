//! A table the page could not understand by itself: its likeliest header
//! row, shown in the mapping panel so the user can point at the column that
//! names the units, and that choice (a mapping with `unit`) found again.

use super::super::cells::SheetCell;
use crate::model::TableHeader;

type Rows = [(u32, Vec<SheetCell>)];

/// A row's texts as the mapping panel shows them: each cell trimmed, the
/// empty ones at the end left off.
pub fn row_texts(cells: &[SheetCell]) -> Vec<String> {
    let mut texts: Vec<String> = cells.iter().map(|c| c.text.trim().to_string()).collect();
    while texts.last().is_some_and(String::is_empty) {
        texts.pop();
    }
    texts
}

/// The header row and unit column a user chose for a table the page did
/// not understand (a mapping with `unit`), found by the row's texts.
pub fn chosen(rows: &Rows, catalog: &crate::catalog::Catalog) -> Option<(usize, u32)> {
    rows.iter()
        .take(40)
        .enumerate()
        .find_map(|(i, (_, cells))| {
            let texts = row_texts(cells);
            let mapping = catalog.mapping_for(&texts)?;
            let unit = mapping.unit.as_deref()?;
            let col = texts.iter().position(|t| t == unit)?;
            Some((i, col as u32))
        })
}

/// The likeliest header of a table the page did not understand: the row
/// with the most texts among the first, above a row with figures.
pub fn candidate(rows: &Rows) -> Option<usize> {
    let texts = |cells: &Vec<SheetCell>| {
        cells
            .iter()
            .filter(|c| c.number.is_none() && !c.text.trim().is_empty())
            .count()
    };
    (0..rows.len().min(30))
        .filter(|&i| texts(&rows[i].1) >= 2)
        .filter(|&i| {
            rows[i + 1..]
                .iter()
                .take(5)
                .any(|(_, c)| c.iter().any(|x| x.number.is_some()))
        })
        .max_by_key(|&i| (texts(&rows[i].1), std::cmp::Reverse(i)))
}

/// What the mapping panel shows of a table the page did not understand:
/// its likeliest header row, for the user to say which column holds the
/// units' names.
pub fn not_understood(rows: &Rows, sheet: u32) -> Option<TableHeader> {
    let at = candidate(rows)?;
    let columns = row_texts(&rows.get(at)?.1);
    Some(TableHeader {
        sheet,
        letters: (0..columns.len() as u32).collect(),
        columns,
        understood: false,
        ..TableHeader::default()
    })
}
