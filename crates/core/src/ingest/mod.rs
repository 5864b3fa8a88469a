//! Readers: bytes in, observations and findings out. Reading never fails as a
//! whole and never panics: a reader returns what it could read plus findings.

pub mod bieu;
pub mod cells;
pub mod delimited;
pub mod json;
pub mod number;
#[cfg(feature = "spreadsheets")]
mod ods_extent;
pub mod package;
pub mod parts;
pub mod shape;
#[cfg(feature = "spreadsheets")]
pub mod sheet;
#[cfg(feature = "spreadsheets")]
pub mod spreadsheet;
pub mod text;
pub mod text_map;
pub mod text_table;
#[cfg(feature = "spreadsheets")]
mod xlsb_short;
#[cfg(feature = "spreadsheets")]
mod xlsx;

use crate::catalog::Catalog;
use crate::model::{FileId, Finding, Observation, Part, Severity, SourceFile};
pub use text::TextEncoding;

/// Limits on what a user may drop; past them a file is refused or cut with a message.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Limits {
    pub max_file_bytes: usize,
    pub max_rows: usize,
    pub max_columns: usize,
    pub max_zip_entries: usize,
    /// What all entries of a zip may unpack to, together.
    pub max_unzipped_bytes: u64,
    /// The highest compression ratio a large zip entry may have.
    pub max_zip_ratio: u64,
    /// The most non-empty cells one sheet may hold.
    pub max_cells: usize,
    /// The most figures a text file may give, and a workspace hold: about
    /// 60 bytes each in the page (with the checks' index), so 20 million
    /// stay well inside wasm32's 4 GiB.
    pub max_figures: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 256 * 1024 * 1024,
            // A long text of `max_file_bytes` holds about 7 million rows; a
            // 5-million-row file is read and checked whole.
            max_rows: 10_000_000,
            max_columns: 1_000,
            max_zip_entries: 10_000,
            max_unzipped_bytes: 512 * 1024 * 1024,
            max_zip_ratio: 200,
            max_cells: 20_000_000,
            max_figures: 20_000_000,
        }
    }
}

/// What one table yielded.
#[derive(Default)]
pub struct TableRead {
    pub columns: Vec<String>,
    pub rows: u32,
    pub observations: Vec<Observation>,
    pub findings: Vec<Finding>,
    /// New values for observations taken while reading (`Settled`).
    pub corrections: Vec<(usize, crate::model::Value)>,
    /// The biểu tables read, with their headers.
    pub tables: Vec<crate::model::TableHeader>,
}

/// What one file yielded.
#[derive(Clone, Debug, PartialEq)]
pub struct FileRead {
    pub source: SourceFile,
    pub observations: Part,
    pub findings: Vec<Finding>,
}

/// Reads one dropped file. `file` is the id its cells will carry; `encoding`
/// applies to text files (`Auto` detects it).
pub fn read_file(
    name: &str,
    bytes: &[u8],
    catalog: &Catalog,
    file: FileId,
    limits: &Limits,
    encoding: TextEncoding,
) -> FileRead {
    match open(name, bytes, catalog, file, limits, encoding) {
        Opened::Read(read) => read,
        Opened::Text(text) => text.reading(catalog, limits).read_all(),
    }
}

/// Whether this build reads `bytes` itself: without the `spreadsheets`
/// feature (the page's own wasm), XLSX and ODS go to the reader worker.
pub fn reads_here(bytes: &[u8]) -> bool {
    cfg!(feature = "spreadsheets") || !is_workbook(bytes)
}

/// Whether the bytes are a workbook's container: a zip (XLSX, XLSB, ODS) or
/// an OLE2 compound file (XLS).
pub fn is_workbook(bytes: &[u8]) -> bool {
    package::is_zip(bytes) || bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

/// Whether a file's name says it is a workbook, for deciding before its
/// bytes are read (the page sends workbooks to the reader worker).
pub fn is_workbook_name(name: &str) -> bool {
    let name = name.to_lowercase();
    [".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// A file after its first look: refused, or read whole (a spreadsheet), or
/// decoded text whose rows are still to be read.
pub enum Opened<'a> {
    Read(FileRead),
    Text(OpenedText<'a>),
}

/// Decoded text, ready to be read a slice at a time.
pub struct OpenedText<'a> {
    source: SourceFile,
    decoded: text::Decoded<'a>,
    file: FileId,
}

/// Checks limits and the container, reads spreadsheets, decodes text.
pub fn open<'a>(
    name: &str,
    bytes: &'a [u8],
    catalog: &Catalog,
    file: FileId,
    limits: &Limits,
    encoding: TextEncoding,
) -> Opened<'a> {
    let mut source = SourceFile {
        id: file,
        name: name.to_string(),
        ..SourceFile::default()
    };
    let refuse = |source: SourceFile, rule: &str, vi: String, en: String| {
        Opened::Read(FileRead {
            source,
            observations: Part::new(),
            findings: vec![Finding::new(Severity::Error, rule, vi, en).in_file(file)],
        })
    };
    if bytes.len() > limits.max_file_bytes {
        return refuse(
            source,
            "read.too-large",
            format!(
                "Tệp nặng {} MB, vượt giới hạn {} MB",
                bytes.len() >> 20,
                limits.max_file_bytes >> 20
            ),
            format!(
                "The file is {} MB, over the limit of {} MB",
                bytes.len() >> 20,
                limits.max_file_bytes >> 20
            ),
        );
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return refuse(
            source,
            "read.empty-file",
            "Tệp rỗng, không có dữ liệu".into(),
            "The file is empty".into(),
        );
    }
    let book = if is_workbook(bytes) && !package::is_zip(bytes) {
        Some(None)
    } else if package::is_zip(bytes) {
        let kind = match package::check_zip(bytes, limits) {
            Err((vi, en)) => return refuse(source, "read.refused", vi, en),
            Ok(package::ZipKind::Other) => {
                return refuse(
                    source,
                    "read.unsupported",
                    "Tệp nén này không phải bảng tính XLSX/XLSB/ODS".into(),
                    "This zip is not an XLSX/XLSB/ODS spreadsheet".into(),
                )
            }
            Ok(kind) => kind,
        };
        Some(Some(kind))
    } else {
        None
    };
    if let Some(kind) = book {
        #[cfg(not(feature = "spreadsheets"))]
        {
            let _ = (kind, catalog);
            return refuse(
                source,
                "read.unsupported",
                "Bảng tính được đọc trong tiến trình đọc tệp, không phải ở đây".into(),
                "Spreadsheets are read by the reader worker, not here".into(),
            );
        }
        #[cfg(feature = "spreadsheets")]
        {
            // An OLE2 file (no zip kind) is an .xls workbook.
            let kind = match kind {
                None => spreadsheet::BookKind::Xls,
                Some(zip) => match spreadsheet::BookKind::of_zip(zip) {
                    Some(k) => k,
                    None => spreadsheet::BookKind::Xlsx,
                },
            };
            source.encoding = match kind {
                spreadsheet::BookKind::Xlsx => "XLSX",
                spreadsheet::BookKind::Xlsb => "XLSB",
                spreadsheet::BookKind::Ods => "ODS",
                spreadsheet::BookKind::Xls => "XLS",
            }
            .into();
            let table = spreadsheet::read(bytes, kind, catalog, file, limits, &mut source.sheets);
            source.columns = table.columns;
            source.rows = table.rows;
            source.tables = table.tables;
            return Opened::Read(FileRead {
                source,
                observations: table.observations.into(),
                findings: table.findings,
            });
        }
    }
    let decoded = text::decode(bytes, encoding);
    source.encoding = decoded.encoding.label().to_string();
    if looks_binary(&decoded.text) {
        return refuse(
            source,
            "read.binary",
            "Tệp không phải bảng dữ liệu dạng văn bản (CSV/TSV/JSON) hay bảng tính".into(),
            "The file is neither delimited text (CSV/TSV/JSON) nor a spreadsheet".into(),
        );
    }
    Opened::Text(OpenedText {
        source,
        decoded,
        file,
    })
}

impl<'a> OpenedText<'a> {
    /// Starts reading the rows (JSON is read whole on the first step).
    pub fn reading<'c, 't>(
        &'t self,
        catalog: &'c Catalog,
        limits: &'c Limits,
    ) -> TextReading<'c, 't> {
        let text: &'t str = &self.decoded.text;
        let trimmed = text.trim_start();
        let rows = if trimmed.starts_with('[') || trimmed.starts_with('{') {
            Rows::Json(Some(json::read(text, catalog, self.file, limits)))
        } else {
            Rows::Delimited(Box::new(text_table::DelimitedReading::new(
                text, catalog, self.file, limits,
            )))
        };
        TextReading { opened: self, rows }
    }
}

enum Rows<'c, 't> {
    Json(Option<TableRead>),
    Delimited(Box<text_table::DelimitedReading<'c, 't>>),
}

/// The rows of a text file being read, a slice at a time.
pub struct TextReading<'c, 't> {
    opened: &'t OpenedText<'t>,
    rows: Rows<'c, 't>,
}

impl<'c, 't> TextReading<'c, 't> {
    /// Reads up to `rows` more rows; true when the file is done.
    pub fn step(&mut self, rows: usize) -> bool {
        match &mut self.rows {
            Rows::Json(_) => true,
            Rows::Delimited(reading) => reading.step(rows),
        }
    }

    /// From 0 to 1.
    pub fn progress(&self) -> f64 {
        match &self.rows {
            Rows::Json(_) => 1.0,
            Rows::Delimited(reading) => reading.progress(),
        }
    }

    /// The observations read so far, handed out (JSON gives its all at the
    /// end); finish with `finish_taken` then.
    pub fn take_observations(&mut self) -> Vec<Observation> {
        match &mut self.rows {
            Rows::Json(_) => Vec::new(),
            Rows::Delimited(reading) => reading.take_observations(),
        }
    }

    pub fn finish(self) -> FileRead {
        self.finish_taken().0
    }

    /// Reads the rest and finishes, taking the observations a slice of rows
    /// at a time into the read's part: the readers' own observations (88
    /// bytes each) are held a slice's worth at once, not the whole file's
    /// beside its part.
    pub fn read_all(mut self) -> FileRead {
        const SLICE: usize = 1 << 16;
        let mut part = Part::new();
        loop {
            let done = self.step(SLICE);
            let taken = self.take_observations();
            if part.is_empty() && !done {
                // Room for the whole read at once, from how far the first
                // slice went, rather than doubling as slices come.
                let total = taken.len() as f64 / self.progress().max(0.01) * 1.05;
                part.reserve_exact((total as usize).min(1 << 26));
            }
            for o in taken {
                part.push(&o);
            }
            if done {
                break;
            }
        }
        let (mut read, corrections) = self.finish_taken();
        // Nothing taken (JSON gives its all at the end): the rest is the
        // read's part as it is, not packed a second time.
        if !part.is_empty() {
            part.append(&read.observations);
            read.observations = part;
        }
        read.observations.correct(corrections);
        read.observations.shrink_to_fit();
        read
    }

    /// Reads this text as the first part of a larger one (`parts`): false
    /// if it cannot be (JSON, or text that had to be converted).
    pub fn first_part(&mut self) -> bool {
        match &mut self.rows {
            Rows::Delimited(reading)
                if matches!(self.opened.decoded.text, std::borrow::Cow::Borrowed(_)) =>
            {
                reading.first_part();
                true
            }
            _ => false,
        }
    }

    /// The header row's cells and the delimiter, for the readers of the
    /// later parts.
    pub fn head(&self) -> Option<(&[String], u8)> {
        match &self.rows {
            Rows::Delimited(reading) => Some(reading.head()),
            Rows::Json(_) => None,
        }
    }

    /// Ends the first part (`first_part`): the file as far as known (its
    /// rows are the join's), the part, and the observations not taken.
    pub fn finish_part(self) -> (SourceFile, parts::PartRead, Vec<Observation>) {
        let mut source = self.opened.source.clone();
        match self.rows {
            Rows::Delimited(reading) => {
                source.columns = reading.head().0.to_vec();
                let (part, rest) = reading.finish_part();
                (source, part, rest)
            }
            Rows::Json(_) => (source, parts::PartRead::unjoinable(), Vec::new()),
        }
    }

    /// The read, with the observations not taken yet, and new values for
    /// observations taken earlier (by index over all the file's
    /// observations) that reading on has settled otherwise.
    pub fn finish_taken(self) -> (FileRead, Vec<(usize, crate::model::Value)>) {
        let head = TextHead::of(self.opened);
        let table = match self.rows {
            Rows::Json(table) => table.unwrap_or_default(),
            Rows::Delimited(reading) => reading.finish(),
        };
        head.finish(table)
    }

    /// The delimited reading of this text, to read on in the next piece of
    /// a larger one (`DelimitedReading::suspend`), with what the file's
    /// read is finished with; `None` for JSON, or text that had to be
    /// converted (its encoding is judged from the whole file).
    pub fn into_pieces(self) -> Option<(TextHead, text_table::DelimitedReading<'c, 't>)> {
        let head = TextHead::of(self.opened);
        match self.rows {
            Rows::Delimited(mut reading)
                if matches!(self.opened.decoded.text, std::borrow::Cow::Borrowed(_)) =>
            {
                reading.first_part();
                Some((head, *reading))
            }
            _ => None,
        }
    }
}

/// What a text file's read is finished with besides its table.
pub struct TextHead {
    source: SourceFile,
    had_errors: bool,
    encoding: TextEncoding,
}

impl TextHead {
    fn of(opened: &OpenedText) -> TextHead {
        TextHead {
            source: opened.source.clone(),
            had_errors: opened.decoded.had_errors,
            encoding: opened.decoded.encoding,
        }
    }

    /// The file's read, from its table, and new values for observations
    /// taken earlier (by index over all the file's observations).
    pub fn finish(self, table: TableRead) -> (FileRead, Vec<(usize, crate::model::Value)>) {
        let file = self.source.id;
        let mut source = self.source;
        source.columns = table.columns;
        source.rows = table.rows;
        let mut findings = table.findings;
        if self.had_errors {
            let encoding = self.encoding;
            findings.push(
                Finding::new(
                    Severity::Warning,
                    "read.encoding",
                    format!(
                        "Một số ký tự không giải mã được theo {encoding}; hãy kiểm tra bảng mã"
                    ),
                    format!(
                        "Some characters could not be decoded as {encoding}; check the encoding"
                    ),
                )
                .in_file(file),
            );
        }
        if source.rows == 0 && findings.is_empty() {
            findings.push(no_data(file));
        }
        let read = FileRead {
            source,
            observations: table.observations.into(),
            findings,
        };
        (read, table.corrections)
    }
}

fn no_data(file: FileId) -> Finding {
    Finding::new(
        Severity::Error,
        "read.no-data",
        "Tệp chỉ có dòng tiêu đề, không có dòng số liệu".into(),
        "The file has a header row but no data rows".into(),
    )
    .in_file(file)
}

/// Control characters other than tab and line breaks mean the bytes were not text.
fn looks_binary(text: &str) -> bool {
    let sample: Vec<char> = text.chars().take(4096).collect();
    let control = sample
        .iter()
        .filter(|c| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || **c == '\u{fffd}')
        .count();
    control * 20 > sample.len()
}
