//! XLSX and ODS (and XLS/XLSB, which calamine reads too): every sheet, the
//! cached values of formulas, dates, merged cells. The zip directory has been
//! checked against the limits (see [`super::package`]) before this unpacks
//! anything. Built with the `spreadsheets` feature: the reader worker has it,
//! the page's own wasm does not (see ARCHITECTURE.md).

use super::package::{check_zip, ZipKind};
use super::shape::{shape_rows, Cells, Shaper, SheetCell};
use super::{Limits, TableRead};
use crate::catalog::Catalog;
use crate::model::{FileId, Finding, Severity};
use calamine::{Data, Ods, Reader, Xlsx};
use std::io::Cursor;

fn cell_of(d: &Data) -> SheetCell {
    match d {
        Data::Empty => SheetCell::default(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => SheetCell {
            text: s.clone(),
            number: None,
        },
        Data::Float(f) => SheetCell {
            text: plain_number(*f),
            number: Some(*f),
        },
        Data::Int(i) => SheetCell {
            text: i.to_string(),
            number: Some(*i as f64),
        },
        Data::Bool(b) => SheetCell {
            text: if *b { "TRUE".into() } else { "FALSE".into() },
            number: None,
        },
        Data::DateTime(dt) => SheetCell {
            text: excel_date(dt.as_f64()),
            number: None,
        },
        Data::Error(e) => SheetCell {
            text: format!("#{e:?}"),
            number: None,
        },
    }
}

/// 1957.0 → "1957", 97.4 → "97.4": how the value reads, for messages.
fn plain_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// An Excel serial date as "dd/mm/yyyy" (days since 1899-12-30).
fn excel_date(serial: f64) -> String {
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

/// An open workbook of either kind. Opened directly rather than through
/// calamine's auto-detection, so the XLS and XLSB readers stay out of the page.
enum Book<'a> {
    Xlsx(Box<Xlsx<Cursor<&'a [u8]>>>),
    Ods(Box<Ods<Cursor<&'a [u8]>>>),
}

impl<'a> Book<'a> {
    fn open(bytes: &'a [u8], kind: ZipKind) -> Result<Book<'a>, String> {
        match kind {
            ZipKind::Xlsx => Xlsx::new(Cursor::new(bytes))
                .map(|b| Book::Xlsx(Box::new(b)))
                .map_err(|e| e.to_string()),
            ZipKind::Ods => Ods::new(Cursor::new(bytes))
                .map(|b| Book::Ods(Box::new(b)))
                .map_err(|e| e.to_string()),
            ZipKind::Other => Err("không phải bảng tính".to_string()),
        }
    }

    fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(b) => b.sheet_names(),
            Book::Ods(b) => b.sheet_names(),
        }
    }

    fn range(&mut self, name: &str) -> Result<calamine::Range<Data>, String> {
        match self {
            Book::Xlsx(b) => b.worksheet_range(name).map_err(|e| e.to_string()),
            Book::Ods(b) => b.worksheet_range(name).map_err(|e| e.to_string()),
        }
    }
}

/// Reads every sheet; `sheets` receives the sheet names.
pub fn read(
    bytes: &[u8],
    kind: ZipKind,
    catalog: &Catalog,
    file: FileId,
    limits: &Limits,
    sheets: &mut Vec<String>,
) -> TableRead {
    let mut out = TableRead::default();
    let fail = |vi: String, en: String| {
        Finding::new(Severity::Error, "read.malformed", vi, en).in_file(file)
    };
    let mut book = match Book::open(bytes, kind) {
        Ok(b) => b,
        Err(e) => {
            out.findings.push(fail(
                format!("Không mở được bảng tính (tệp hỏng hoặc không phải XLSX/ODS): {e}"),
                format!("Cannot open the spreadsheet (damaged, or not XLSX/ODS): {e}"),
            ));
            return out;
        }
    };
    let names = book.sheet_names();
    sheets.clone_from(&names);
    let mut any_data = false;
    for (index, name) in names.iter().enumerate() {
        let range = match book.range(name) {
            Ok(r) => r,
            Err(e) => {
                out.findings.push(fail(
                    format!("Trang tính \"{name}\" không đọc được: {e}"),
                    format!("Sheet \"{name}\" is unreadable: {e}"),
                ));
                continue;
            }
        };
        let Some((row0, col0)) = range.start() else {
            continue;
        };
        let (height, width) = range.get_size();
        if width + col0 as usize > limits.max_columns {
            out.findings.push(fail(
                format!(
                    "Trang tính \"{name}\" có {} cột, vượt giới hạn {}",
                    width + col0 as usize,
                    limits.max_columns
                ),
                format!(
                    "Sheet \"{name}\" has {} columns, over the limit of {}",
                    width + col0 as usize,
                    limits.max_columns
                ),
            ));
            continue;
        }
        // Rows from column A, so a cell's index is its spreadsheet column.
        let mut grid: Vec<Vec<SheetCell>> = range
            .rows()
            .take(limits.max_rows + 1)
            .map(|r| {
                let mut row = vec![SheetCell::default(); col0 as usize];
                row.extend(r.iter().map(cell_of));
                row
            })
            .collect();
        if let Book::Xlsx(x) = &mut book {
            if let Ok(merges) = x.merge_cells_by_sheet_name(name) {
                fill_merges(&mut grid, &merges, row0, limits);
            }
        }
        let sheet_read = read_grid(&grid, row0, catalog, file, index as u32, name);
        any_data |= sheet_read.rows > 0;
        if out.columns.is_empty() {
            out.columns = sheet_read.columns;
        }
        out.rows += sheet_read.rows;
        out.observations.extend(sheet_read.observations);
        out.findings.extend(sheet_read.findings);
        if height > limits.max_rows {
            out.findings.push(
                Finding::new(
                    Severity::Error,
                    "read.too-many-rows",
                    format!(
                        "Trang tính \"{name}\" có hơn {} dòng; chỉ đọc phần đầu",
                        limits.max_rows
                    ),
                    format!(
                        "Sheet \"{name}\" has more than {} rows; only the first were read",
                        limits.max_rows
                    ),
                )
                .in_file(file),
            );
        }
    }
    if any_data {
        // Workbooks often carry notes, lists or a catalogue beside the data
        // (the input template does): a sheet without a table is then only info.
        for f in &mut out.findings {
            if f.rule == "read.unknown-shape" {
                f.severity = Severity::Info;
            }
        }
    }
    if !any_data
        && out.findings.iter().all(|f| f.rule != "read.malformed")
        && out.findings.is_empty()
    {
        out.findings.push(
            Finding::new(
                Severity::Error,
                "read.no-data",
                "Bảng tính không có trang nào chứa số liệu".into(),
                "No sheet of the spreadsheet holds data".into(),
            )
            .in_file(file),
        );
    }
    out
}

/// Rows `first..=last` (spreadsheet numbers) of sheet `sheet`, as text from
/// column A: for showing a finding in its context.
pub fn sheet_rows(
    bytes: &[u8],
    sheet: usize,
    first: u32,
    last: u32,
) -> Option<Vec<(u32, Vec<String>)>> {
    let kind = check_zip(bytes, &Limits::default()).ok()?;
    let mut book = Book::open(bytes, kind).ok()?;
    let name = book.sheet_names().get(sheet)?.clone();
    let range = book.range(&name).ok()?;
    let (row0, col0) = range.start()?;
    Some(
        range
            .rows()
            .enumerate()
            .map(|(i, r)| (row0 + i as u32 + 1, r))
            .filter(|(row, _)| (first..=last).contains(row))
            .map(|(row, r)| {
                let mut cells = vec![String::new(); col0 as usize];
                cells.extend(r.iter().map(|d| cell_of(d).text));
                (row, cells)
            })
            .collect(),
    )
}

/// Gives every cell of a merged region the value of its top-left cell.
fn fill_merges(
    grid: &mut [Vec<SheetCell>],
    merges: &[calamine::Dimensions],
    row0: u32,
    limits: &Limits,
) {
    for m in merges {
        let (r1, c1) = m.start;
        let (r2, c2) = m.end;
        let cells = u64::from(r2.saturating_sub(r1) + 1) * u64::from(c2.saturating_sub(c1) + 1);
        if cells > limits.max_columns as u64 * 100 || r1 < row0 {
            continue;
        }
        let Some(value) = grid
            .get((r1 - row0) as usize)
            .and_then(|r| r.get(c1 as usize))
            .cloned()
        else {
            continue;
        };
        for r in r1..=r2 {
            let Some(row) = grid.get_mut((r - row0) as usize) else {
                break;
            };
            for c in c1..=c2 {
                if let Some(cell) = row.get_mut(c as usize) {
                    if cell.text.is_empty() {
                        *cell = value.clone();
                    }
                }
            }
        }
    }
}

/// Finds the header among the first rows (titles often sit above it) and
/// reads the rows below it. `row0` is the 0-based sheet row of `grid[0]`.
pub fn read_grid(
    grid: &[Vec<SheetCell>],
    row0: u32,
    catalog: &Catalog,
    file: FileId,
    sheet: u32,
    name: &str,
) -> TableRead {
    let mut out = TableRead::default();
    let mut first_error = None;
    for (i, row) in grid.iter().enumerate().take(30) {
        if row.is_empty() || row.as_slice().is_blank() {
            continue;
        }
        let header: Vec<String> = row.iter().map(|c| c.text.trim().to_string()).collect();
        match Shaper::new(catalog, file, sheet, &header) {
            Ok(shaper) => {
                let numbered = grid
                    .iter()
                    .enumerate()
                    .skip(i + 1)
                    .map(|(j, r)| (row0 + j as u32 + 1, r.as_slice()));
                return shape_rows(Ok(shaper), header, numbered);
            }
            Err(f) => {
                first_error.get_or_insert(f);
            }
        }
    }
    if let Some(mut f) = first_error {
        f.message_vi = format!("Trang tính \"{name}\": {}", f.message_vi);
        f.message_en = format!("Sheet \"{name}\": {}", f.message_en);
        f.severity = Severity::Warning;
        out.findings.push(*f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
