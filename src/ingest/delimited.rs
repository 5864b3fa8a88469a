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

/// Reads delimited text into observations.
pub fn read(text: &str, catalog: &Catalog, file: FileId, limits: &Limits) -> TableRead {
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = TableRead::default();
    // One record, refilled row after row: no allocation per row.
    let mut record = csv::StringRecord::new();
    let header: Vec<String> = match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(|s| s.trim().to_string()).collect(),
        Ok(false) => return out,
        Err(e) => {
            out.findings.push(csv_error(file, &e));
            return out;
        }
    };
    if header.len() > limits.max_columns {
        out.findings
            .push(too_many_columns(file, 1, header.len(), limits));
        return out;
    }
    out.columns = header.clone();
    let mut shaper = match Shaper::new(catalog, file, 0, &header) {
        Ok(s) => s,
        Err(f) => {
            out.findings.push(*f);
            return out;
        }
    };
    // A line per observation is the common case (long files): reserve for
    // the lines the first 64 KiB suggest, without counting them all.
    let sample = &text.as_bytes()[..text.len().min(64 * 1024)];
    let sample_lines = sample.iter().filter(|&&b| b == b'\n').count().max(1);
    let lines = text.len() / sample.len().div_ceil(sample_lines).max(1);
    shaper.reserve(lines.min(limits.max_rows));
    let mut row: u32 = 1;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => row += 1,
            Err(e) => {
                out.findings.push(csv_error(file, &e));
                break;
            }
        }
        if record.len() > limits.max_columns {
            out.findings
                .push(too_many_columns(file, row, record.len(), limits));
            break;
        }
        shaper.row(row, &record);
        out.rows += 1;
        if out.rows as usize >= limits.max_rows {
            out.findings.push(
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
            break;
        }
    }
    let (observations, findings) = shaper.finish();
    out.observations = observations;
    out.findings.extend(findings);
    out
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
