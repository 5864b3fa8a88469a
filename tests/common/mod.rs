//! Helpers shared by the native integration tests.
#![allow(dead_code)]

use baocao::workspace::{InputFile, Workspace};

pub const REFERENCE_CSV: &str = include_str!("../../assets/sample-nq05-bac-giang.csv");

pub fn file(name: &str, bytes: impl Into<Vec<u8>>) -> InputFile {
    InputFile::new(name, bytes)
}

/// The reference CSV with the value of `code` in `period` replaced.
pub fn reference_with(code: &str, period: &str, value: &str) -> String {
    let mut changed = 0;
    let out: Vec<String> = REFERENCE_CSV
        .lines()
        .map(|line| {
            let prefix = format!("{code},");
            if line.starts_with(&prefix) {
                let mut rec = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(line.as_bytes());
                let row = rec.records().next().unwrap().unwrap();
                if &row[4] == period {
                    changed += 1;
                    let mut fields: Vec<String> = row.iter().map(String::from).collect();
                    fields[5] = value.to_string();
                    let mut w = csv::Writer::from_writer(Vec::new());
                    w.write_record(&fields).unwrap();
                    return String::from_utf8(w.into_inner().unwrap())
                        .unwrap()
                        .trim_end()
                        .to_string();
                }
            }
            line.to_string()
        })
        .collect();
    assert_eq!(changed, 1, "{code} {period} not found once");
    out.join("\n") + "\n"
}

/// The 1-based spreadsheet row of `code` in `period` in the reference CSV.
pub fn reference_row(code: &str, period: &str) -> u32 {
    let prefix = format!("{code},");
    REFERENCE_CSV
        .lines()
        .position(|l| l.starts_with(&prefix) && l.contains(&format!(",{period},")))
        .map(|i| i as u32 + 1)
        .unwrap()
}

/// The error findings of a workspace.
pub fn errors(ws: &Workspace) -> Vec<&baocao::model::Finding> {
    ws.findings()
        .iter()
        .filter(|f| f.severity == baocao::model::Severity::Error)
        .collect()
}

pub fn workspace_with(files: Vec<InputFile>) -> Workspace {
    let mut ws = Workspace::sample();
    ws.add_files(files);
    ws
}

#[path = "bieu_book.rs"]
mod bieu_book;

/// A biểu workbook's bytes: `units` rows and `groups` groups of three columns.
pub fn bieu_xlsx(units: u32, groups: u16) -> Vec<u8> {
    bieu_book::bieu_book(units, groups)
        .and_then(|mut b| b.save_to_buffer())
        .unwrap()
}
