//! Delimited text read as a table: its records (`delimited::Records`)
//! through the shaper, a slice of rows at a time; a whole text, or one part
//! of a large one (`ingest::parts`).

use super::cells::Cells;
use super::delimited::{sniff_delimiter, Records};
use super::shape::{PartEnd, Shaper};
use super::{Limits, TableRead};
use crate::catalog::Catalog;
use crate::model::{FileId, Finding, Severity};
use serde::{Deserialize, Serialize};

/// Reads delimited text into observations, all at once.
pub fn read(text: &str, catalog: &Catalog, file: FileId, limits: &Limits) -> TableRead {
    let mut reading = DelimitedReading::new(text, catalog, file, limits);
    while !reading.step(usize::MAX) {}
    reading.finish()
}

/// Delimited text being read a slice of rows at a time, so that a caller (the
/// page's worker) can report progress and stop between slices.
///
/// A text too large to hold at once is read in pieces cut at line ends: the
/// reading of one piece is suspended at its end and resumed in the next
/// ([`Suspended`]), with the same shaper, so that it reads as one text.
pub struct DelimitedReading<'c, 't> {
    records: Records<'t>,
    delimiter: u8,
    /// `None` once reading has stopped (a bad header, a limit, the end).
    shaper: Option<Shaper<'c>>,
    out: TableRead,
    row: u32,
    file: FileId,
    limits: &'c Limits,
    len: usize,
    /// The end of this text is not the end of the table (a part, or a
    /// piece but the last): the end leaves the shaper unsettled.
    parted: bool,
    /// The records are done (a part's end, unsettled).
    done: bool,
    /// A limit stopped the reading.
    stopped: bool,
}

/// A reading between two pieces of a text: all of it but the text (its
/// records are over an empty one).
pub struct Suspended<'c>(DelimitedReading<'c, 'static>);

impl<'c> Suspended<'c> {
    /// Reads on in `text`, the next piece; `last` when it ends the text.
    pub fn resume<'t>(self, text: &'t str, last: bool) -> DelimitedReading<'c, 't> {
        let mut reading = self.0.read_on(text);
        reading.parted = !last;
        reading
    }
}

impl<'c, 't> DelimitedReading<'c, 't> {
    /// Reads the header row.
    pub fn new(text: &'t str, catalog: &'c Catalog, file: FileId, limits: &'c Limits) -> Self {
        let delimiter = sniff_delimiter(text);
        let mut records = Records::new(text, delimiter);
        let header: Option<Vec<String>> = records
            .next_record()
            .map(|r| (0..r.len()).map(|i| r.cell(i).trim().to_string()).collect());
        Self::with_header(records, header, catalog, file, limits)
    }

    /// Reads a part of a text that does not begin it (`ingest::parts`):
    /// rows under the text's `header`, split by its `delimiter`, counted
    /// from 1 at the part's start.
    pub fn part(
        text: &'t str,
        header: &[String],
        delimiter: u8,
        catalog: &'c Catalog,
        file: FileId,
        limits: &'c Limits,
    ) -> Self {
        let records = Records::new(text, delimiter);
        let mut reading = Self::with_header(records, Some(header.to_vec()), catalog, file, limits);
        reading.row = 0;
        reading.parted = true;
        if let Some(shaper) = reading.shaper.as_mut() {
            shaper.continuing();
        }
        reading
    }

    fn with_header(
        records: Records<'t>,
        header: Option<Vec<String>>,
        catalog: &'c Catalog,
        file: FileId,
        limits: &'c Limits,
    ) -> Self {
        let text = records.text;
        let delimiter = records.delimiter;
        let mut reading = DelimitedReading {
            records,
            delimiter,
            shaper: None,
            out: TableRead::default(),
            row: 1,
            file,
            limits,
            len: text.len(),
            parted: false,
            done: false,
            stopped: false,
        };
        let Some(header) = header else {
            return reading;
        };
        if header.len() > limits.max_columns {
            reading
                .out
                .findings
                .push(too_many_columns(file, 1, header.len(), limits));
            return reading;
        }
        match Shaper::new(catalog, file, 0, &header) {
            Ok(mut shaper) => {
                shaper.limit_figures(limits.max_figures);
                // A line per observation is the common case (long files): reserve
                // for the lines the first 64 KiB suggest, without counting them
                // all, and an eighth more, as later lines may be shorter. (Room
                // never written is never touched, so it costs no memory; growing
                // past it would double the vector.)
                // Blank lines are no records: only lines with text count, and
                // a record takes at least eight bytes ("X,2020,1"), so a file of
                // blank lines reserves next to nothing.
                let sample = &text.as_bytes()[..text.len().min(64 * 1024)];
                let sample_lines = sample
                    .split(|&b| b == b'\n')
                    .filter(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
                    .count()
                    .max(1);
                let lines = text.len() / sample.len().div_ceil(sample_lines).max(1);
                shaper.reserve((lines + lines / 8).min(text.len() / 8).min(limits.max_rows));
                reading.shaper = Some(shaper);
            }
            Err(f) => reading.out.findings.push(*f),
        }
        reading.out.columns = header;
        reading
    }

    /// Reads up to `rows` more rows; true when the text is done.
    pub fn step(&mut self, rows: usize) -> bool {
        let Some(shaper) = self.shaper.as_mut().filter(|_| !self.done) else {
            return true;
        };
        let (file, limits) = (self.file, self.limits);
        for _ in 0..rows {
            let Some(record) = self.records.next_record() else {
                return self.stop();
            };
            self.row += 1;
            if record.len() > limits.max_columns {
                let finding = too_many_columns(file, self.row, record.len(), limits);
                self.out.findings.push(finding);
                self.stopped = true;
                return self.stop();
            }
            shaper.row(self.row, &record);
            self.out.rows += 1;
            if self.out.rows as usize >= limits.max_rows {
                self.out.findings.push(
                    Finding::new(
                        Severity::Error,
                        "read.too-many-rows",
                        format!(
                            "Tệp có hơn {} dòng; chỉ đọc {} dòng đầu",
                            limits.max_rows, limits.max_rows
                        ),
                        format!(
                            "The file has more than {} rows; only the first {} were read",
                            limits.max_rows, limits.max_rows
                        ),
                    )
                    .in_file(file),
                );
                self.stopped = true;
                return self.stop();
            }
        }
        false
    }

    fn stop(&mut self) -> bool {
        if self.parted {
            self.done = true;
            return true;
        }
        if let Some(shaper) = self.shaper.take() {
            let settled = shaper.finish();
            self.out.observations = settled.observations;
            self.out.findings.extend(settled.findings);
            self.out.corrections = settled.corrections;
            if let Some(record) = self.records.unclosed_quote {
                // Records count from the header (1), as rows do.
                self.out.findings.push(unclosed_quote(self.file, record));
            }
        }
        true
    }

    /// The observations read so far, handed out; see `Shaper::take_observations`.
    pub fn take_observations(&mut self) -> Vec<crate::model::Observation> {
        self.shaper
            .as_mut()
            .map(Shaper::take_observations)
            .unwrap_or_default()
    }

    /// How far through the text reading is, from 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.shaper.is_none() || self.done || self.len == 0 {
            return 1.0;
        }
        self.records.position() as f64 / self.len as f64
    }

    /// The table, settled (this text ends it, whatever it was read as).
    pub fn finish(mut self) -> TableRead {
        self.parted = false;
        self.stop();
        self.out
    }

    /// Whether a limit stopped the reading (it has ended, whatever follows).
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// At the end of a piece: the reading without its text, to resume in
    /// the next piece; `Err` with the reading when it cannot go on there (a
    /// limit stopped it, or the piece ended inside quotes: a cut inside a
    /// quoted field), to finish as it is.
    pub fn suspend(self) -> Result<Suspended<'c>, Box<Self>> {
        if !self.done || self.stopped || self.records.unclosed_quote.is_some() {
            return Err(Box::new(self));
        }
        Ok(Suspended(self.read_on("")))
    }

    /// The same reading, going on in `text` from the record where this one
    /// stopped.
    fn read_on<'u>(self, text: &'u str) -> DelimitedReading<'c, 'u> {
        DelimitedReading {
            records: Records::resume(text, self.delimiter, self.records.count()),
            delimiter: self.delimiter,
            shaper: self.shaper,
            out: self.out,
            row: self.row,
            file: self.file,
            limits: self.limits,
            len: text.len(),
            parted: self.parted,
            done: false,
            stopped: self.stopped,
        }
    }

    /// Reads this text as the first part of a larger one: its end is left
    /// unsettled, for `finish_part`.
    pub fn first_part(&mut self) {
        self.parted = true;
    }

    /// The header row's cells and the delimiter: what a reader of a later
    /// part of the text needs.
    pub fn head(&self) -> (&[String], u8) {
        (&self.out.columns, self.delimiter)
    }

    /// Ends a part of a text: what the join needs of it, unsettled, and
    /// the observations not taken yet.
    pub fn finish_part(mut self) -> (PartRead, Vec<crate::model::Observation>) {
        let quotes = self.records.text.bytes().filter(|&b| b == b'"').count();
        let Some(mut shaper) = self.shaper.take() else {
            // A header that showed no shape, or a limit reached.
            return (PartRead::unjoinable(), Vec::new());
        };
        let rest = shaper.take_observations();
        let end = shaper.end();
        let stopped = !self.out.findings.is_empty()
            || end
                .findings
                .iter()
                .any(|f| f.rule == "read.too-many-figures");
        let part = PartRead {
            rows: self.out.rows,
            quotes,
            stopped,
            unclosed_quote: self.records.unclosed_quote,
            end,
        };
        (part, rest)
    }
}

fn too_many_columns(file: FileId, row: u32, n: usize, limits: &Limits) -> Finding {
    Finding::new(
        Severity::Error,
        "read.too-many-columns",
        format!(
            "Dòng {row} có {n} cột, vượt giới hạn {} cột; ngừng đọc tệp",
            limits.max_columns
        ),
        format!(
            "Row {row} has {n} columns, over the limit of {}; stopped reading",
            limits.max_columns
        ),
    )
    .in_file(file)
}

pub(super) fn unclosed_quote(file: FileId, row: u32) -> Finding {
    Finding::new(
        Severity::Error,
        "read.unclosed-quote",
        format!(
            "Dấu ngoặc kép mở ở dòng {row} không được đóng: phần còn lại của tệp bị đọc thành một ô"
        ),
        format!(
            "A quote opened on row {row} is never closed: the rest of the file became one cell"
        ),
    )
    .in_file(file)
}

/// What a part's reader leaves for the join.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct PartRead {
    /// Records read (rows under the header).
    pub rows: u32,
    /// Quote characters in the part's text: a cut after an odd number of
    /// them in all fell inside a quoted field.
    pub quotes: usize,
    /// A limit stopped the reading, or the part's header showed no shape.
    pub stopped: bool,
    /// The record (counted in the part) whose quote was never closed.
    pub unclosed_quote: Option<u32>,
    pub end: PartEnd,
}

impl PartRead {
    /// A part that cannot be joined: the text is read whole instead.
    pub fn unjoinable() -> PartRead {
        PartRead {
            stopped: true,
            ..PartRead::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_left_open_is_reported_with_its_row() {
        let text = "Mã chỉ tiêu,Kỳ,Giá trị\nCBCC_XA,2020,\"4864\nCONG_CHUC_XA,2020,2605\n";
        let catalog = Catalog::builtin();
        let read = read(text, &catalog, 0, &Limits::default());
        assert!(
            read.findings
                .iter()
                .any(|f| f.rule == "read.unclosed-quote" && f.message_vi.contains("dòng 2")),
            "{:?}",
            read.findings
        );
    }
}
