//! CSV and TSV: the delimiter is sniffed from the header line.

use super::shape::Shaper;
use super::{Limits, TableRead};
use crate::catalog::Catalog;
use crate::model::{FileId, Finding, Severity};

/// Picks `,`, `;` or tab: the one the header line uses most, outside quotes.
pub fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [(b'\t', 0usize), (b';', 0), (b',', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in counts.iter_mut() {
                if *d == b {
                    *n += 1;
                }
            }
        }
    }
    // Ties go to the first: tab, then semicolon, then comma.
    let best = counts
        .iter()
        .fold(counts[2], |best, c| if c.1 > best.1 { *c } else { best });
    best.0
}

/// Reads delimited text into observations, all at once.
pub fn read(text: &str, catalog: &Catalog, file: FileId, limits: &Limits) -> TableRead {
    let mut reading = DelimitedReading::new(text, catalog, file, limits);
    while !reading.step(usize::MAX) {}
    reading.finish()
}

/// Delimited text being read a slice of rows at a time, so that a caller (the
/// page's worker) can report progress and stop between slices.
pub struct DelimitedReading<'t> {
    reader: csv::Reader<&'t [u8]>,
    /// One record, refilled row after row: no allocation per row.
    record: csv::StringRecord,
    /// `None` once reading has stopped (a bad header, an error, a limit).
    shaper: Option<Shaper<'t>>,
    out: TableRead,
    row: u32,
    file: FileId,
    limits: &'t Limits,
    len: usize,
}

impl<'t> DelimitedReading<'t> {
    /// Reads the header row.
    pub fn new(text: &'t str, catalog: &'t Catalog, file: FileId, limits: &'t Limits) -> Self {
        let delimiter = sniff_delimiter(text);
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut reading = DelimitedReading {
            reader,
            record: csv::StringRecord::new(),
            shaper: None,
            out: TableRead::default(),
            row: 1,
            file,
            limits,
            len: text.len(),
        };
        let header: Vec<String> = match reading.reader.read_record(&mut reading.record) {
            Ok(true) => reading
                .record
                .iter()
                .map(|s| s.trim().to_string())
                .collect(),
            Ok(false) => return reading,
            Err(e) => {
                reading.out.findings.push(csv_error(file, &e));
                return reading;
            }
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
                // A line per observation is the common case (long files): reserve
                // for the lines the first 64 KiB suggest, without counting them all.
                let sample = &text.as_bytes()[..text.len().min(64 * 1024)];
                let sample_lines = sample.iter().filter(|&&b| b == b'\n').count().max(1);
                let lines = text.len() / sample.len().div_ceil(sample_lines).max(1);
                shaper.reserve(lines.min(limits.max_rows));
                reading.shaper = Some(shaper);
            }
            Err(f) => reading.out.findings.push(*f),
        }
        reading.out.columns = header;
        reading
    }

    /// Reads up to `rows` more rows; true when the text is done.
    pub fn step(&mut self, rows: usize) -> bool {
        let Some(shaper) = self.shaper.as_mut() else {
            return true;
        };
        let (file, limits) = (self.file, self.limits);
        for _ in 0..rows {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return self.stop(),
                Ok(true) => self.row += 1,
                Err(e) => {
                    self.out.findings.push(csv_error(file, &e));
                    return self.stop();
                }
            }
            if self.record.len() > limits.max_columns {
                let finding = too_many_columns(file, self.row, self.record.len(), limits);
                self.out.findings.push(finding);
                return self.stop();
            }
            shaper.row(self.row, &self.record);
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
                return self.stop();
            }
        }
        false
    }

    fn stop(&mut self) -> bool {
        if let Some(shaper) = self.shaper.take() {
            let (observations, findings) = shaper.finish();
            self.out.observations = observations;
            self.out.findings.extend(findings);
        }
        true
    }

    /// How far through the text reading is, from 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.shaper.is_none() || self.len == 0 {
            return 1.0;
        }
        self.reader.position().byte() as f64 / self.len as f64
    }

    pub fn finish(mut self) -> TableRead {
        self.stop();
        self.out
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

fn csv_error(file: FileId, e: &csv::Error) -> Finding {
    Finding::new(
        Severity::Error,
        "read.malformed",
        format!("Tệp CSV bị lỗi cấu trúc: {e}"),
        format!("Malformed CSV: {e}"),
    )
    .in_file(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_delimiter() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("\"x,y\";b\n"), b';');
        assert_eq!(sniff_delimiter(""), b',');
    }
}
