//! Where a figure comes from: the rows of its file around its cell, and the
//! rules that read it.

use super::Workspace;
use crate::ingest::TextEncoding;
use crate::model::{CellRef, Finding};
use std::collections::HashSet;

/// Rows of a file around a cell (see [`Workspace::source_view`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SourceView {
    pub file: String,
    pub sheet: Option<String>,
    /// (spreadsheet row number, cells from column A)
    pub rows: Vec<(u32, Vec<String>)>,
}

/// The rows a source view shows around `cell`: `radius` above and below.
pub fn source_window(cell: CellRef, radius: u32) -> (u32, u32) {
    (cell.row.saturating_sub(radius).max(1), cell.row + radius)
}

impl Workspace {
    /// The catalogue rules that read any of `cells`' indicators, each with
    /// the finding it raised on those cells, if it failed there.
    pub fn rules_for_cells(&self, cells: &[CellRef]) -> Vec<(String, Option<&Finding>)> {
        let codes: HashSet<&str> = self
            .dataset
            .observations()
            .filter(|o| cells.contains(&o.cell))
            .map(|o| o.indicator)
            .collect();
        self.catalog
            .rules
            .iter()
            .filter(|r| r.check.indicators().iter().any(|c| codes.contains(c)))
            .map(|r| {
                let failed = self
                    .findings
                    .iter()
                    .find(|f| f.rule == r.id && f.cells.iter().any(|c| cells.contains(c)));
                (r.id.clone(), failed)
            })
            .collect()
    }

    /// The rows of a file around `cell`, as the user's spreadsheet shows them:
    /// what the findings panel opens when a finding is clicked. `None` for a
    /// file this build or this workspace cannot read here (a workbook in the
    /// page, a file the host keeps): the host reads the rows ([`source_rows`])
    /// where it reads the file, and calls [`Workspace::view_of`] with them.
    pub fn source_view(&self, cell: CellRef, radius: u32) -> Option<SourceView> {
        let file = self.file(cell.file)?;
        let (first, last) = source_window(cell, radius);
        let rows = source_rows(
            file.bytes()?,
            self.encoding_for(&file.name),
            cell.sheet as usize,
            first,
            last,
        )?;
        self.view_of(cell, rows)
    }

    /// The source view of `cell` from rows read elsewhere.
    pub fn view_of(&self, cell: CellRef, rows: Vec<(u32, Vec<String>)>) -> Option<SourceView> {
        let file = self.file(cell.file)?;
        let sheet = self
            .dataset
            .file(cell.file)
            .and_then(|f| f.sheets.get(cell.sheet as usize).cloned());
        Some(SourceView {
            file: file.name.clone(),
            sheet,
            rows,
        })
    }
}

/// Rows `first..=last` of a file (of sheet `sheet` in a workbook), each
/// with its number as findings give it and its cells from column A. `None`
/// when the file is a workbook and this build has no spreadsheet reader,
/// or the sheet is not there.
pub fn source_rows(
    bytes: &[u8],
    encoding: TextEncoding,
    sheet: usize,
    first: u32,
    last: u32,
) -> Option<Vec<(u32, Vec<String>)>> {
    if crate::ingest::is_workbook(bytes) {
        #[cfg(feature = "spreadsheets")]
        return crate::ingest::spreadsheet::sheet_rows(bytes, sheet, first, last);
        #[cfg(not(feature = "spreadsheets"))]
        {
            let _ = sheet;
            return None;
        }
    }
    let text = crate::ingest::text::decode(bytes, encoding).text;
    // The reader's own records, so rows are numbered as findings name them.
    use crate::ingest::delimited::{sniff_delimiter, Records};
    let mut records = Records::new(&text, sniff_delimiter(&text));
    let mut rows = Vec::new();
    let mut row = 0;
    while let Some(record) = records.next_record() {
        row += 1;
        if row > last {
            break;
        }
        if row >= first {
            rows.push((row, record.to_strings()));
        }
    }
    Some(rows)
}
