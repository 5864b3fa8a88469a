//! XLSX, XLSB, XLS (BIFF8) and ODS, through calamine: every sheet, the
//! cached values of formulas, dates, merged cells. The zip directory has been
//! checked against the limits (see [`super::package`]) before this unpacks
//! anything (an XLS is an OLE2 file, not a zip, and bounded by BIFF8's own
//! 65,536 × 256 cells). Built with the `spreadsheets` feature: the reader worker has it,
//! the page's own wasm does not (see ARCHITECTURE.md).

use super::cells::{Cells, SheetCell};
use super::package::{check_zip, ZipKind};
use super::shape::{shape_rows, Shaper};
use super::sheet::{excel_date, plain_number, Merge, SheetRows};
use super::{Limits, TableRead};
use crate::catalog::Catalog;
use crate::model::{FileId, Finding, Severity};
use calamine::{Data, DataRef, Ods, Reader, Xls, Xlsb};
use compact_str::ToCompactString;
use std::io::Cursor;

/// A cell as streamed from XLSX or XLSB: shared strings are borrowed, and
/// short texts and numbers are written inline, with no allocation.
fn cell_of_ref(d: &DataRef) -> SheetCell {
    match d {
        DataRef::SharedString(s) => SheetCell {
            text: (*s).into(),
            number: None,
        },
        DataRef::String(s) => SheetCell {
            text: s.as_str().into(),
            number: None,
        },
        DataRef::Float(f) => SheetCell {
            text: plain_number(*f),
            number: Some(*f),
        },
        DataRef::Int(i) => SheetCell {
            text: i.to_compact_string(),
            number: Some(*i as f64),
        },
        DataRef::Empty => SheetCell::default(),
        other => cell_of(&Data::from(other.clone())),
    }
}

fn cell_of(d: &Data) -> SheetCell {
    match d {
        Data::Empty => SheetCell::default(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => SheetCell {
            text: s.as_str().into(),
            number: None,
        },
        Data::Float(f) => SheetCell {
            text: plain_number(*f),
            number: Some(*f),
        },
        Data::Int(i) => SheetCell {
            text: i.to_compact_string(),
            number: Some(*i as f64),
        },
        Data::Bool(b) => SheetCell {
            text: if *b { "TRUE".into() } else { "FALSE".into() },
            number: None,
        },
        Data::DateTime(dt) => SheetCell {
            text: excel_date(dt.as_f64()).into(),
            number: None,
        },
        Data::Error(e) => SheetCell {
            text: format!("#{e:?}").into(),
            number: None,
        },
    }
}

/// An open workbook of either kind. Opened directly rather than through
/// calamine's auto-detection, so the XLS and XLSB readers stay out of the page.
enum Book<'a> {
    Xlsx(Box<super::xlsx::XlsxBook<'a>>),
    /// Owned when its short cell records had to be made full first.
    Xlsb(Box<Xlsb<Cursor<std::borrow::Cow<'a, [u8]>>>>),
    Ods(Box<Ods<Cursor<&'a [u8]>>>),
    Xls(Box<Xls<Cursor<&'a [u8]>>>),
}

/// Which reader a workbook needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BookKind {
    Xlsx,
    Xlsb,
    Ods,
    /// Excel 97–2003 (BIFF8 in an OLE2 compound file).
    Xls,
}

impl BookKind {
    /// The kind of a zip container, if it is a workbook.
    pub fn of_zip(kind: ZipKind) -> Option<BookKind> {
        match kind {
            ZipKind::Xlsx => Some(BookKind::Xlsx),
            ZipKind::Xlsb => Some(BookKind::Xlsb),
            ZipKind::Ods => Some(BookKind::Ods),
            ZipKind::Other => None,
        }
    }
}

/// calamine's merged regions as [`Merge`]s.
fn merges_of(dims: &[calamine::Dimensions]) -> Vec<Merge> {
    dims.iter().map(|d| (d.start, d.end)).collect()
}

impl<'a> Book<'a> {
    /// Opens the workbook. calamine builds every ODS sheet as a whole
    /// rectangle when it opens the file, so each is measured first and a
    /// workbook with one too large is refused.
    fn open(bytes: &'a [u8], kind: BookKind, limits: &Limits) -> Result<Book<'a>, String> {
        match kind {
            BookKind::Xlsx => {
                super::xlsx::XlsxBook::open(bytes, limits).map(|b| Book::Xlsx(Box::new(b)))
            }
            BookKind::Xlsb => {
                let bytes = match super::xlsb_short::expand_short_cells(bytes) {
                    Some(expanded) => std::borrow::Cow::Owned(expanded),
                    None => std::borrow::Cow::Borrowed(bytes),
                };
                Xlsb::new(Cursor::new(bytes))
                    .map(|b| Book::Xlsb(Box::new(b)))
                    .map_err(|e| e.to_string())
            }
            // A BIFF8 sheet holds at most 65,536 × 256 cells: calamine's
            // rectangle for it stays bounded.
            BookKind::Xls => {
                // Its sectors, chains and directory checked first, by a
                // reader that refuses what does not hold together.
                cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| e.to_string())?;
                Xls::new(Cursor::new(bytes))
                    .map(|b| Book::Xls(Box::new(b)))
                    .map_err(|e| e.to_string())
            }
            BookKind::Ods => {
                let extents = super::ods_extent::sheet_extents(bytes, limits)?;
                if let Some((i, cells)) = extents
                    .iter()
                    .enumerate()
                    .find(|(_, cells)| **cells > limits.max_cells as u64)
                {
                    return Err(format!(
                        "trang tính thứ {} trải trên {cells} ô, vượt giới hạn {} ô",
                        i + 1,
                        limits.max_cells
                    ));
                }
                Ods::new(Cursor::new(bytes))
                    .map(|b| Book::Ods(Box::new(b)))
                    .map_err(|e| e.to_string())
            }
        }
    }

    fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(b) => b.sheet_names(),
            Book::Xlsb(b) => b.sheet_names(),
            Book::Ods(b) => b.sheet_names(),
            Book::Xls(b) => b.sheet_names(),
        }
    }

    /// The sheet's cells, read within `limits`. XLSX cells stream from the
    /// sheet's XML one at a time; ODS sheets were measured at the opening.
    fn rows(&mut self, name: &str, limits: &Limits) -> Result<SheetRows, String> {
        match self {
            Book::Xlsx(b) => b.rows(name, limits),
            Book::Xlsb(b) => {
                let mut reader = b.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
                stream_rows(|| reader.next_cell(), limits)
            }
            Book::Ods(b) => {
                let range = b.worksheet_range(name).map_err(|e| e.to_string())?;
                Ok(rows_of_range(&range, limits))
            }
            Book::Xls(b) => {
                let range = b.worksheet_range(name).map_err(|e| e.to_string())?;
                let mut rows = rows_of_range(&range, limits);
                if let Ok(merges) = b.merge_cells_by_sheet_name(name) {
                    rows.fill_merges(&merges_of(&merges), limits);
                }
                Ok(rows)
            }
        }
    }
}

/// Rows from calamine's cell reader (`next` gives one cell at a time), within
/// the limits; an error after some cells keeps what was read before it.
fn stream_rows<'d, E: std::fmt::Display>(
    mut next: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'d>>>, E>,
    limits: &Limits,
) -> Result<SheetRows, String> {
    let mut failed = None;
    let cells = std::iter::from_fn(|| match next() {
        Ok(Some(c)) => {
            let (row, col) = c.get_position();
            Some((row, col, cell_of_ref(c.get_value())))
        }
        Ok(None) => None,
        Err(e) => {
            failed = Some(e.to_string());
            None
        }
    });
    let rows = SheetRows::from_cells(cells, limits);
    match failed {
        Some(e) if rows.rows.is_empty() => Err(e),
        _ => Ok(rows),
    }
}

/// The used cells of a sheet calamine read whole.
fn rows_of_range(range: &calamine::Range<Data>, limits: &Limits) -> SheetRows {
    let start = range.start().unwrap_or((0, 0));
    let cells = range
        .used_cells()
        .map(|(r, c, d)| (r as u32 + start.0, c as u32 + start.1, cell_of(d)));
    SheetRows::from_cells(cells, limits)
}

/// Reads every sheet; `sheets` receives the sheet names.
pub fn read(
    bytes: &[u8],
    kind: BookKind,
    catalog: &Catalog,
    file: FileId,
    limits: &Limits,
    sheets: &mut Vec<String>,
) -> TableRead {
    let mut out = TableRead::default();
    let fail = |vi: String, en: String| {
        Finding::new(Severity::Error, "read.malformed", vi, en).in_file(file)
    };
    let mut book = match Book::open(bytes, kind, limits) {
        Ok(b) => b,
        Err(e) => {
            out.findings.push(fail(
                format!(
                    "Không mở được bảng tính (tệp hỏng hoặc không phải XLSX/XLS/XLSB/ODS): {e}"
                ),
                format!("Cannot open the spreadsheet (damaged, or not XLSX/XLS/XLSB/ODS): {e}"),
            ));
            return out;
        }
    };
    let names = book.sheet_names();
    sheets.clone_from(&names);
    let mut any_data = false;
    for (index, name) in names.iter().enumerate() {
        let sheet = match book.rows(name, limits) {
            Ok(r) => r,
            Err(e) => {
                out.findings.push(fail(
                    format!("Trang tính \"{name}\" không đọc được: {e}"),
                    format!("Sheet \"{name}\" is unreadable: {e}"),
                ));
                continue;
            }
        };
        out.findings
            .extend(limit_findings(&sheet, name, file, limits));
        let sheet_read = read_grid(&sheet.rows, catalog, file, index as u32, name);
        any_data |= sheet_read.rows > 0;
        if out.columns.is_empty() {
            out.columns = sheet_read.columns;
        }
        out.rows += sheet_read.rows;
        out.tables.extend(sheet_read.tables);
        out.observations.extend(sheet_read.observations);
        out.findings.extend(sheet_read.findings);
    }
    if any_data {
        // Workbooks often carry notes, lists or a catalogue beside the data
        // (the input template does): a sheet without a table is then only info.
        for f in &mut out.findings {
            if f.rule == "read.unknown-shape" {
                f.severity = Severity::Info;
            }
        }
        out.tables.retain(|t| t.understood);
    }
    if !any_data && out.findings.is_empty() {
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

/// What the limits left out of a sheet, as findings.
fn limit_findings(sheet: &SheetRows, name: &str, file: FileId, limits: &Limits) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some((row, col)) = sheet.first_outside {
        let at = format!("{}{}", crate::model::column_letters(col), row + 1);
        out.push(
            Finding::new(
                Severity::Warning,
                "read.outside-limits",
                format!(
                    "Trang tính \"{name}\" có {} ô ngoài giới hạn {} cột (ô đầu tiên: {at}); các ô này không được đọc",
                    sheet.outside, limits.max_columns
                ),
                format!(
                    "Sheet \"{name}\" has {} cells past the limit of {} columns (the first: {at}); they were not read",
                    sheet.outside, limits.max_columns
                ),
            )
            .in_file(file),
        );
    }
    if sheet.cut_rows {
        out.push(
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
    if sheet.cut_cells {
        out.push(
            Finding::new(
                Severity::Error,
                "read.too-many-cells",
                format!(
                    "Trang tính \"{name}\" có hơn {} ô; chỉ đọc phần đầu",
                    limits.max_cells
                ),
                format!(
                    "Sheet \"{name}\" has more than {} cells; only the first were read",
                    limits.max_cells
                ),
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
    let limits = Limits::default();
    let kind = if !super::package::is_zip(bytes) && super::is_workbook(bytes) {
        BookKind::Xls
    } else {
        BookKind::of_zip(check_zip(bytes, &limits).ok()?)?
    };
    let mut book = Book::open(bytes, kind, &limits).ok()?;
    let name = book.sheet_names().get(sheet)?.clone();
    let rows = book.rows(&name, &limits).ok()?;
    Some(
        rows.rows
            .into_iter()
            .map(|(r, cells)| (r + 1, cells))
            .filter(|(row, _)| (first..=last).contains(row))
            .map(|(row, cells)| {
                (
                    row,
                    cells.into_iter().map(|c| c.text.into_string()).collect(),
                )
            })
            .collect(),
    )
}

/// Finds the header among the first rows (titles often sit above it) and
/// reads the rows below it. Each row comes with its 0-based sheet row.
pub fn read_grid(
    rows: &[(u32, Vec<SheetCell>)],
    catalog: &Catalog,
    file: FileId,
    sheet: u32,
    name: &str,
) -> TableRead {
    let mut out = TableRead::default();
    let mut first_error = None;
    for (i, (_, row)) in rows.iter().enumerate().take(30) {
        if row.is_empty() || row.as_slice().is_blank() {
            continue;
        }
        let header: Vec<String> = row.iter().map(|c| c.text.trim().to_string()).collect();
        match Shaper::new(catalog, file, sheet, &header) {
            Ok(shaper) => {
                let numbered = rows
                    .iter()
                    .skip(i + 1)
                    .map(|(r, cells)| (r + 1, cells.as_slice()));
                return shape_rows(Ok(shaper), header, numbered);
            }
            Err(f) => {
                first_error.get_or_insert(f);
            }
        }
    }
    // Neither long nor wide: a biểu of units × indicators?
    if let Some(read) = super::bieu::read(rows, file, sheet, name, catalog) {
        return read;
    }
    // Not understood: the mapping panel asks which column holds the units.
    out.tables
        .extend(super::bieu::unknown::not_understood(rows, sheet));
    if let Some(mut f) = first_error {
        f.message_vi = format!("Trang tính \"{name}\": {}", f.message_vi);
        f.message_en = format!("Sheet \"{name}\": {}", f.message_en);
        f.severity = Severity::Warning;
        out.findings.push(*f);
    }
    out
}
