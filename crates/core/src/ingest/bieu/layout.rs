//! What a biểu looks like, kept so the report can print it again: its title
//! and form above, the header paths, the column-number row and the body's
//! rows (units, sections, totals) in order.

use super::super::cells::SheetCell;
use super::body::{BodyRow, RowKind};
use super::header::Header;
use crate::fold::fold;
use crate::model::{TableHeader, TableRow, TableRowKind};

type Rows = [(u32, Vec<SheetCell>)];

/// A row's texts joined, each merged cell's text once (it was copied to
/// every cell the merge spans).
fn row_text(cells: &[SheetCell]) -> String {
    let mut parts: Vec<&str> = cells
        .iter()
        .map(|c| c.text.trim())
        .filter(|t| !t.is_empty())
        .collect();
    parts.dedup();
    parts.join(" ")
}

/// Whether most of a text's letters are capitals, as a title's are.
fn mostly_upper(t: &str) -> bool {
    let letters = t.chars().filter(|c| c.is_alphabetic());
    let (upper, all) = letters.fold((0, 0), |(u, a), c| {
        (u + usize::from(c.is_uppercase()), a + 1)
    });
    all >= 12 && upper * 10 >= all * 8
}

/// The form ("Biểu số 01/BNV") and the title above the header: the
/// longest line in capitals that is not the motto or the agency block
/// beside it, else the line the period was read from.
pub fn title_and_form(rows: &Rows, header: &Header, period_row: Option<usize>) -> (String, String) {
    let mut form = String::new();
    let mut title = String::new();
    for (_, cells) in rows.iter().take(header.first) {
        for c in cells {
            let f = fold(&c.text);
            if form.is_empty()
                && ["bieuso", "bieumau", "mauso"]
                    .iter()
                    .any(|p| f.starts_with(p))
            {
                form = c.text.trim().to_string();
            }
        }
        let line = row_text(cells);
        let f = fold(&line);
        let skip = [
            "conghoa",
            "doclap",
            "bieuso",
            "bieumau",
            "mauso",
            "dvt",
            "donvitinh",
        ]
        .iter()
        .any(|p| f.contains(p));
        if !skip && mostly_upper(&line) && line.chars().count() > title.chars().count() {
            title = line;
        }
    }
    if title.is_empty() {
        if let Some((_, cells)) = period_row.and_then(|i| rows.get(i)) {
            title = row_text(cells);
        }
    }
    (cut(&title, 300), cut(&form, 120))
}

fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Fills in what the report needs to print the table again.
pub fn describe(t: &mut TableHeader, rows: &Rows, header: &Header, body: &[BodyRow]) {
    t.paths = header
        .columns
        .iter()
        .map(|c| c.path.iter().map(|p| cut(p, 300)).collect())
        .collect();
    let top = rows
        .get(header.first)
        .map_or(&[][..], |(_, c)| c.as_slice());
    let text = |cells: &[SheetCell], col: u32| {
        cells
            .get(col as usize)
            .map_or(String::new(), |c| c.text.trim().to_string())
    };
    t.stt_header = header.stt_col.map_or(String::new(), |c| text(top, c));
    if let Some((_, cells)) = header.numbers_row.and_then(|i| rows.get(i)) {
        t.numbers = header
            .stt_col
            .into_iter()
            .chain([header.unit_col])
            .chain(header.columns.iter().map(|c| c.col))
            .map(|col| cut(&text(cells, col), 40))
            .collect();
    }
    t.rows_read = body.len() as u32;
    // The first rows, and every section and total row after them (the
    // report sums a long biểu up by these).
    t.rows = body
        .iter()
        .enumerate()
        .filter(|(i, r)| {
            *i < TableHeader::MAX_ROWS || r.kind == RowKind::Total || !r.children.is_empty()
        })
        .take(2 * TableHeader::MAX_ROWS)
        .map(|(_, r)| TableRow {
            row: r.row + 1,
            stt: cut(&r.stt, 20),
            label: cut(&r.label, 200),
            kind: match r.kind {
                RowKind::Total => TableRowKind::Total,
                RowKind::Unit { .. } if !r.children.is_empty() => TableRowKind::Section,
                RowKind::Unit { .. } => TableRowKind::Unit,
            },
        })
        .collect();
}
