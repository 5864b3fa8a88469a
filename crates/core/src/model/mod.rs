//! The one model every reader produces and every checker and writer consumes.
//!
//! Provenance is explicit: an [`Observation`] always carries the [`CellRef`] it
//! was read from, and a [`Finding`] lists every cell it involves.

mod part;
mod period;
mod value;
mod written;

pub use part::{ObservationRef, Part};
pub use value::{Value, ValueRef};

use serde::{Deserialize, Serialize};
use std::fmt;
use std::rc::Rc;

/// A file's id, given when the file comes in (a drop, a restore): it stays
/// the file's while the file is in the workspace, whatever its place in the
/// list, and is never given to another file in the same process (ids come
/// from [`new_file_id`]), so a read's cells are never renumbered.
pub type FileId = u32;

/// A file id no other file of this process has had.
pub fn new_file_id() -> FileId {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A cell as the user's spreadsheet shows it: row 1 is the header row, the
/// first data row is row 2; columns count from 0 internally and are shown as
/// letters (A, B, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CellRef {
    pub file: FileId,
    /// Index into the file's sheet names; 0 for files without sheets.
    pub sheet: u32,
    pub row: u32,
    pub col: u32,
}

/// What is known about one input file: its name as dropped, its sheets and the
/// header text of each column, so a [`CellRef`] can be shown to the user.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceFile {
    /// The id its cells carry.
    #[serde(default)]
    pub id: FileId,
    pub name: String,
    /// Empty for CSV/TSV/JSON.
    pub sheets: Vec<String>,
    /// Header text per column of the (first) sheet that held data.
    pub columns: Vec<String>,
    /// How the bytes were decoded, shown to the user ("UTF-8", "UTF-16LE", …),
    /// or the workbook's format ("XLSX", "XLS", "XLSB", "ODS").
    pub encoding: String,
    /// Data rows read (not counting the header).
    pub rows: u32,
    /// The biểu tables read from it, as the page understood their headers.
    #[serde(default)]
    pub tables: Vec<TableHeader>,
}

/// A biểu's header as read: its columns and what each was taken for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TableHeader {
    pub sheet: u32,
    /// The column taken for the units' names: its letter and header text.
    pub unit_column: (u32, String),
    /// The columns' names (the header paths), in order.
    pub columns: Vec<String>,
    /// Per column, the sheet column (0 = A).
    pub letters: Vec<u32>,
    /// Per column, the catalogue code it was read as ("" for its own name),
    /// and whether the user said so (a mapping) rather than the page's match.
    pub codes: Vec<String>,
    pub mapped: Vec<bool>,
    /// Per column, whether it is left out (mapped to nothing).
    pub left_out: Vec<bool>,
    /// Per column, its unit of measure ("" when none) and how its values are
    /// checked: "count", "percent" or "other".
    pub units: Vec<String>,
    pub kinds: Vec<String>,
    /// The identities the table declares or implies, by column index: its
    /// column-number row's formulas and its groups.
    pub rules: Vec<TableRule>,
    /// The period the table was read for ("" when none), and where it came
    /// from: "title", "sheet" (its name), "user" (a mapping) or "".
    pub period: String,
    pub period_from: String,
    /// The title above the table ("SỐ LƯỢNG … NĂM 2020") and its form
    /// ("Biểu số 01/BNV"), "" when it has none.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub form: String,
    /// Per column, its header texts from the top row down.
    #[serde(default)]
    pub paths: Vec<Vec<String>>,
    /// The STT column's header ("" when the table has none).
    #[serde(default)]
    pub stt_header: String,
    /// The column-number row: the STT column's label, the unit column's,
    /// then one per column ("1=2+3"). Empty when the table has none.
    #[serde(default)]
    pub numbers: Vec<String>,
    /// The body's rows in order: the first [`TableHeader::MAX_ROWS`], and
    /// the section and total rows after them.
    #[serde(default)]
    pub rows: Vec<TableRow>,
    /// How many body rows the table has in all.
    #[serde(default)]
    pub rows_read: u32,
    /// False for a table the page did not understand: `columns` is then
    /// its likeliest header row, for the user to say which column holds
    /// the units' names.
    #[serde(default)]
    pub understood: bool,
}

impl TableHeader {
    /// Rows of a table kept for the report: more would not be printed.
    pub const MAX_ROWS: usize = 1_000;

    /// How many units the table lists: its rows less its sections and totals.
    pub fn units(&self) -> u32 {
        let others = self
            .rows
            .iter()
            .filter(|r| r.kind != TableRowKind::Unit)
            .count();
        self.rows_read.saturating_sub(others as u32)
    }
}

/// One row of a biểu's body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TableRow {
    /// The sheet row as the user's spreadsheet shows it (from 1).
    pub row: u32,
    pub stt: String,
    /// The unit's name, a section's heading, or the total's label.
    pub label: String,
    pub kind: TableRowKind,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TableRowKind {
    #[default]
    Unit,
    /// A row over units ("I. Khối tỉnh"), with or without their subtotal.
    Section,
    Total,
}

/// An identity between a biểu's columns (indexes into its columns).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TableRule {
    /// head = Σ sign × part
    Sum {
        head: usize,
        parts: Vec<(i8, usize)>,
    },
    /// Σ parts ≤ head ("Trong đó").
    Within { head: usize, parts: Vec<usize> },
}

impl SourceFile {
    /// Whether the file was read as text, whose encoding the user may change.
    pub fn is_text(&self) -> bool {
        !self.encoding.is_empty()
            && !matches!(self.encoding.as_str(), "XLSX" | "XLSB" | "XLS" | "ODS")
    }
}

/// A column index as spreadsheet letters: 0 → "A", 25 → "Z", 26 → "AA".
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A reporting period in the forms Vietnamese reports use.
///
/// Aligned to eight bytes so that it moves as one word: at six bytes it
/// was stored in pieces and read back whole, and the CPU waited for the
/// pieces (2 % of a 1M-row read). An `Observation` has room for the two
/// bytes anyway.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[repr(align(8))]
pub enum Period {
    /// "2020", "Năm 2020".
    Year(u16),
    /// "Quý I/2021".
    Quarter { year: u16, quarter: u8 },
    /// "6 tháng đầu năm 2021" (half = 1) or "6 tháng cuối năm" (half = 2).
    Half { year: u16, half: u8 },
    /// "2016-2020", "Giai đoạn 2016–2020".
    Span { from: u16, to: u16 },
}

impl Period {
    /// The last year the period covers; used to order and to pick period-dependent ranges.
    pub fn end_year(&self) -> u16 {
        match *self {
            Period::Year(y) | Period::Quarter { year: y, .. } | Period::Half { year: y, .. } => y,
            Period::Span { to, .. } => to,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Quarter { year, quarter } => {
                let roman = (quarter as usize)
                    .checked_sub(1)
                    .and_then(|i| ["I", "II", "III", "IV"].get(i).copied());
                write!(f, "Quý {}/{year}", roman.unwrap_or("?"))
            }
            Period::Half { year, half: 1 } => write!(f, "6 tháng đầu năm {year}"),
            Period::Half { year, .. } => write!(f, "6 tháng cuối năm {year}"),
            Period::Span { from, to } => write!(f, "{from}-{to}"),
        }
    }
}

/// Text that many observations share (an indicator code, an entity, a unit):
/// a reader stores each distinct text once and hands out clones, so a
/// million rows naming 16,000 entities hold 16,000 strings, not a million.
///
/// `Rc`, not `Arc`: a dataset lives on one thread (the page's, or the
/// reader worker's, which sends it as numbered labels, see `wire`), and a
/// read clones labels a million times; an atomic count would make each
/// clone a locked instruction.
pub type Label = Rc<str>;

/// The text of one cell: short cells (nearly all figures) are kept inline,
/// without an allocation of their own.
pub type CellText = compact_str::CompactString;

/// One figure: (indicator, entity, period) → value, with where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    /// The catalogue code when the row named a known indicator, else the text as written.
    pub indicator: Label,
    pub period: Period,
    pub value: Value,
    /// The cell holding the value.
    pub cell: CellRef,
    /// The cell text exactly as read.
    pub raw: CellText,
    /// The row's reporting entity, unit and indicator name, one shared
    /// value per distinct three (a file's rows repeat a few thousand).
    /// `None`: the report's own agency, and no unit or name column.
    pub row: Option<Rc<RowLabels>>,
}

/// What a row says besides its figure. Kept apart from `Observation` so
/// that an observation is 88 bytes: a million of them are most of a read's
/// memory.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct RowLabels {
    /// `None` means the report's own agency.
    pub entity: Option<Label>,
    /// Unit as the file wrote it, if it had a unit column.
    pub unit: Option<Label>,
    /// Name as the file wrote it, if it had a name column.
    pub name: Option<Label>,
}

impl RowLabels {
    /// Shared, or `None` when there is nothing to share.
    pub fn shared(self) -> Option<Rc<RowLabels>> {
        (self != RowLabels::default()).then(|| Rc::new(self))
    }
}

impl Observation {
    /// The reporting entity; `None` means the report's own agency.
    pub fn entity(&self) -> Option<&str> {
        self.entity_label().map(|e| &**e)
    }

    pub fn entity_label(&self) -> Option<&Label> {
        self.row.as_ref()?.entity.as_ref()
    }

    /// Unit as the file wrote it, if it had a unit column.
    pub fn unit(&self) -> Option<&Label> {
        self.row.as_ref()?.unit.as_ref()
    }

    /// Name as the file wrote it, if it had a name column.
    pub fn name(&self) -> Option<&Label> {
        self.row.as_ref()?.name.as_ref()
    }
}

/// Everything read from all files. The observations are kept in parts (one
/// per file) shared with the workspace's cached reads, so a million
/// observations are held once, not copied into every new dataset.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub files: Vec<SourceFile>,
    parts: Vec<Rc<Part>>,
    /// Per part: where its observations end in `observations()`.
    ends: Vec<usize>,
}

impl Dataset {
    pub fn new(files: Vec<SourceFile>, parts: Vec<Rc<Part>>) -> Self {
        let ends = parts
            .iter()
            .scan(0, |end, p| {
                *end += p.len();
                Some(*end)
            })
            .collect();
        Dataset { files, parts, ends }
    }

    /// A dataset of one part (tests, benchmarks, tools).
    pub fn from_observations(files: Vec<SourceFile>, observations: impl Into<Part>) -> Self {
        Dataset::new(files, vec![Rc::new(observations.into())])
    }

    /// The file with this id.
    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.id == id)
    }

    /// The observations read from one file.
    pub fn observations_of(&self, file: FileId) -> impl Iterator<Item = ObservationRef<'_>> + '_ {
        self.parts
            .iter()
            .filter(move |p| p.file() == Some(file))
            .flat_map(|p| p.iter())
    }

    /// Every observation, file by file, in reading order.
    pub fn observations(&self) -> impl Iterator<Item = ObservationRef<'_>> + '_ {
        self.parts.iter().flat_map(|p| p.iter())
    }

    /// The observations as they are held, a read's to a part, in the
    /// order of `observations()`.
    pub fn parts(&self) -> impl Iterator<Item = &Part> + '_ {
        self.parts.iter().map(|p| &**p)
    }

    /// Observation `i` of `observations()`.
    pub fn get(&self, i: usize) -> Option<ObservationRef<'_>> {
        let part = self.ends.partition_point(|&end| end <= i);
        let start = match part {
            0 => 0,
            _ => *self.ends.get(part - 1)?,
        };
        self.parts.get(part)?.get(i - start)
    }

    pub fn len(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name of the file a finding is about: its first cell's, else its own.
    pub fn file_name(&self, f: &Finding) -> &str {
        f.cells
            .first()
            .map(|c| c.file)
            .or(f.file)
            .and_then(|id| self.file(id))
            .map_or("", |s| s.name.as_str())
    }

    /// The file name and the cell's place in the words a user reads.
    pub fn describe(&self, cell: &CellRef) -> CellPlace {
        let file = self.file(cell.file);
        CellPlace {
            file: file.map(|f| f.name.clone()).unwrap_or_default(),
            sheet: file.and_then(|f| f.sheets.get(cell.sheet as usize).cloned()),
            row: cell.row,
            column: column_letters(cell.col),
            header: file
                .and_then(|f| f.columns.get(cell.col as usize).cloned())
                .unwrap_or_default(),
        }
    }
}

/// A cell place resolved to names, as in `data-cells`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CellPlace {
    pub file: String,
    pub sheet: Option<String>,
    pub row: u32,
    pub column: String,
    #[serde(skip)]
    pub header: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A problem found while reading or checking, in both languages, pinned to cells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    /// Stable id: "read.unreadable-value", "rule.CBCC_XA_TONG", …
    pub rule: String,
    pub message_vi: String,
    pub message_en: String,
    /// The file the finding is about, even when no cell is (an empty file).
    pub file: Option<FileId>,
    /// The primary cell first, then every other cell involved.
    pub cells: Vec<CellRef>,
    /// The cell text of the primary cell, when there is one.
    pub raw: Option<String>,
    /// How many more findings of the same rule this one stands for: a
    /// summary of those left out by the cap (`cap`), 0 for any other.
    #[serde(default)]
    pub more: usize,
}

impl Finding {
    pub fn new(severity: Severity, rule: impl Into<String>, vi: String, en: String) -> Self {
        Finding {
            severity,
            rule: rule.into(),
            message_vi: vi,
            message_en: en,
            file: None,
            cells: Vec::new(),
            raw: None,
            more: 0,
        }
    }

    pub fn in_file(mut self, file: FileId) -> Self {
        self.file = Some(file);
        self
    }

    pub fn at(mut self, cell: CellRef, raw: impl Into<String>) -> Self {
        self.file = Some(cell.file);
        self.cells.insert(0, cell);
        self.raw = Some(raw.into());
        self
    }

    /// Adds cells not listed yet, in order. A set finds the ones listed: a
    /// finding may name every cell of a large file (a figure given 300,000
    /// times), and searching the list for each would be quadratic.
    pub fn with_cells(mut self, cells: impl IntoIterator<Item = CellRef>) -> Self {
        let mut listed: std::collections::HashSet<CellRef> = self.cells.iter().copied().collect();
        for c in cells {
            if listed.insert(c) {
                self.cells.push(c);
            }
        }
        if self.file.is_none() {
            self.file = self.cells.first().map(|c| c.file);
        }
        self
    }

    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.message_vi,
            Lang::En => &self.message_en,
        }
    }
}

/// The language the user reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheets() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn periods_display_in_vietnamese() {
        assert_eq!(
            Period::Span {
                from: 2016,
                to: 2020
            }
            .to_string(),
            "2016-2020"
        );
        assert_eq!(
            Period::Quarter {
                year: 2021,
                quarter: 1
            }
            .to_string(),
            "Quý I/2021"
        );
        assert_eq!(
            Period::Half {
                year: 2021,
                half: 1
            }
            .to_string(),
            "6 tháng đầu năm 2021"
        );
    }

    /// A million observations are most of a read's memory (issue #3: at
    /// most 4× the file): keep the observation at 88 bytes on 64-bit.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn an_observation_stays_small() {
        assert_eq!(std::mem::size_of::<Value>(), 16);
        assert!(std::mem::size_of::<Observation>() <= 88);
    }
}
