//! JSON: an array of long records (`[{"code": …, "period": …, "value": …}]`)
//! or indicator → period → value (`{"CBCC_XA": {"2020": 4864}}`). A record is
//! a row: the first record is row 2 (as if a header were row 1), and a key is
//! a column, in the order keys first appear.

use super::cells::SheetCell;
use super::shape::{shape_rows, Shaper};
use super::{Limits, TableRead};
use crate::catalog::Catalog;
use crate::model::{FileId, Finding, Severity};
use serde_json::Value;

fn cell(v: &Value) -> SheetCell {
    match v {
        Value::Null => SheetCell::default(),
        Value::Number(n) => SheetCell {
            text: n.to_string().into(),
            number: n.as_f64(),
        },
        Value::String(s) => SheetCell {
            text: s.clone().into(),
            number: None,
        },
        Value::Bool(b) => SheetCell {
            text: b.to_string().into(),
            number: None,
        },
        other => SheetCell {
            text: other.to_string().into(),
            number: None,
        },
    }
}

pub fn read(text: &str, catalog: &Catalog, file: FileId, limits: &Limits) -> TableRead {
    let mut out = TableRead::default();
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            out.findings.push(
                Finding::new(
                    Severity::Error,
                    "read.malformed",
                    format!(
                        "JSON không hợp lệ ở dòng {}, cột {}: {e}",
                        e.line(),
                        e.column()
                    ),
                    format!(
                        "Invalid JSON at line {}, column {}: {e}",
                        e.line(),
                        e.column()
                    ),
                )
                .in_file(file),
            );
            return out;
        }
    };
    let (header, rows): (Vec<String>, Vec<Vec<SheetCell>>) = match &value {
        Value::Array(records) => {
            // Keys in order of first appearance, each looked up once in a set
            // (a list search per key of every record is quadratic).
            let mut header: Vec<String> = Vec::new();
            let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
            for r in records.iter().filter_map(Value::as_object) {
                for k in r.keys() {
                    if header.len() < limits.max_columns && seen.insert(k.as_str()) {
                        header.push(k.clone());
                    }
                }
            }
            let rows = records
                .iter()
                .take(limits.max_rows)
                .map(|r| {
                    header
                        .iter()
                        .map(|k| {
                            r.as_object()
                                .and_then(|o| o.get(k))
                                .map(cell)
                                .unwrap_or_default()
                        })
                        .collect()
                })
                .collect();
            (header, rows)
        }
        Value::Object(by_indicator) => {
            let mut periods: Vec<String> = Vec::new();
            let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
            for v in by_indicator.values().filter_map(Value::as_object) {
                for p in v.keys() {
                    if periods.len() < limits.max_columns && seen.insert(p.as_str()) {
                        periods.push(p.clone());
                    }
                }
            }
            let header: Vec<String> = std::iter::once("code".to_string())
                .chain(periods.iter().cloned())
                .collect();
            let rows = by_indicator
                .iter()
                .take(limits.max_rows)
                .map(|(code, by_period)| {
                    std::iter::once(SheetCell {
                        text: code.clone().into(),
                        number: None,
                    })
                    .chain(
                        periods
                            .iter()
                            .map(|p| by_period.get(p).map(cell).unwrap_or_default()),
                    )
                    .collect()
                })
                .collect();
            (header, rows)
        }
        _ => (Vec::new(), Vec::new()),
    };
    if header.is_empty() {
        out.findings.push(
            Finding::new(
                Severity::Error,
                "read.unknown-shape",
                "JSON phải là mảng bản ghi hoặc đối tượng chỉ tiêu → kỳ → giá trị".into(),
                "JSON must be an array of records or an object indicator → period → value".into(),
            )
            .in_file(file),
        );
        return out;
    }
    // A record n (from 1) is row n + 1, as if a header were row 1.
    let numbered = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (i as u32 + 2, r.as_slice()));
    shape_rows(Shaper::new(catalog, file, 0, &header), header, numbered)
}
