//! The third shape: a "biểu", the table offices exchange — units as rows,
//! indicators as columns, for one period, under a merged header of one to
//! three rows, often with a column-number row that declares formulas, section
//! rows, a total row, and notes and signatures under it. Detected from the
//! table itself. Each figure becomes an observation: its entity is the unit,
//! its indicator the column (the header path as its name), and it keeps its
//! cell; the table's own arithmetic is checked here (`checks`), with no
//! catalogue.

pub mod body;
mod checks;
pub mod header;

use super::fold::fold_words;
use super::period::read_period;
use super::shape::SheetCell;
use super::TableRead;
use crate::model::{
    CellRef, FileId, Finding, Label, Observation, Period, RowLabels, Severity, Value,
};
use body::RowKind;
use std::rc::Rc;

/// Where the period was found, for the user to see.
#[derive(Clone, Debug, PartialEq)]
pub enum PeriodSource {
    /// A title row above the table (its index into the rows).
    Title(usize),
    SheetName,
    None,
}

/// The period a title names: "NĂM 2020", "6 THÁNG ĐẦU NĂM 2026",
/// "QUÝ I/2026", "tính đến ngày 31/12/2020", "giai đoạn 2016-2020".
pub fn period_in(text: &str) -> Option<Period> {
    let folded = fold_words(text);
    let words: Vec<&str> = folded
        .split(' ')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    // Phrases with a period word first, longest first; a bare year last.
    for len in (2..=5).rev() {
        for w in words.windows(len) {
            if matches!(w.first(), Some(&("nam" | "quy" | "6" | "giai" | "ky"))) {
                if let Some(p) = read_period(&w.join(" ")) {
                    return Some(p);
                }
            }
        }
    }
    for (i, w) in words.iter().enumerate() {
        // "ngày 31/12/2020": the year of the date.
        if let Some(y) = w.rsplit('/').next().filter(|_| w.matches('/').count() == 2) {
            if let Some(Period::Year(y)) = read_period(y) {
                return Some(Period::Year(y));
            }
        }
        let after_word = i > 0 && matches!(words.get(i - 1), Some(&("nam" | "den")));
        if after_word || words.len() == 1 {
            if let Some(p) = read_period(w) {
                return Some(p);
            }
        }
    }
    None
}

/// A unit of measure named above the table: "ĐVT: người".
fn unit_above(rows: &[(u32, Vec<SheetCell>)], upto: usize) -> Option<String> {
    rows.iter()
        .take(upto)
        .flat_map(|(_, c)| c.iter())
        .find_map(|c| {
            let t = c.text.trim();
            let f = super::fold::fold(t);
            (f.starts_with("dvt") || f.starts_with("donvitinh"))
                .then(|| t.split_once(':').map(|(_, u)| u.trim().to_string()))
                .flatten()
                .filter(|u| !u.is_empty())
        })
}

fn label(text: &str) -> Label {
    Rc::from(text)
}

/// Reads `rows` (each with its 0-based sheet row) as a biểu, or `None` when
/// they are not one.
pub fn read(
    rows: &[(u32, Vec<SheetCell>)],
    file: FileId,
    sheet: u32,
    sheet_name: &str,
) -> Option<TableRead> {
    let first_guess = rows
        .iter()
        .take(40)
        .position(|(_, c)| c.iter().any(|c| header::is_unit_header(&c.text)))?;
    let hint = unit_above(rows, first_guess);
    let header = header::find(rows, hint.as_deref())?;
    let body = body::read(rows, &header);

    let mut out = TableRead::default();
    let (period, source) = rows
        .iter()
        .take(header.first)
        .enumerate()
        .find_map(|(i, (_, cells))| {
            let line: Vec<&str> = cells
                .iter()
                .map(|c| c.text.trim())
                .filter(|t| !t.is_empty())
                .collect();
            period_in(&line.join(" ")).map(|p| (Some(p), PeriodSource::Title(i)))
        })
        .or_else(|| period_in(sheet_name).map(|p| (Some(p), PeriodSource::SheetName)))
        .unwrap_or((None, PeriodSource::None));
    out.findings.push(period_finding(
        period, &source, rows, file, sheet, sheet_name,
    ));
    let period = period.unwrap_or(Period::Year(0));

    // Column names by sheet column, for cell references.
    let width = header.columns.iter().map(|c| c.col + 1).max().unwrap_or(0);
    out.columns = vec![String::new(); width as usize];
    if let Some(top) = rows.get(header.first) {
        for (c, name) in out.columns.iter_mut().enumerate() {
            *name = top
                .1
                .get(c)
                .map(|x| x.text.trim().to_string())
                .unwrap_or_default();
        }
    }
    for column in &header.columns {
        if let Some(slot) = out.columns.get_mut(column.col as usize) {
            slot.clone_from(&column.name);
        }
    }

    let indicators: Vec<Label> = header.columns.iter().map(|c| label(&c.name)).collect();
    let units: Vec<Option<Label>> = header
        .columns
        .iter()
        .map(|c| c.unit.as_deref().map(label))
        .collect();
    for row in &body {
        let entity = match row.kind {
            RowKind::Total => None,
            RowKind::Unit { .. } => Some(label(&row.label)),
        };
        for (i, figure) in row.figures.iter().enumerate() {
            let (Some(figure), Some(column)) = (figure, header.columns.get(i)) else {
                continue;
            };
            let cell = CellRef {
                file,
                sheet,
                row: row.row + 1,
                col: column.col,
            };
            if let Some(other) = figure.other {
                out.findings.push(
                    Finding::new(
                        Severity::Warning,
                        "read.ambiguous-number",
                        format!(
                            "\"{}\" có thể là {} hoặc {}; đang hiểu là {} — hãy ghi rõ",
                            figure.raw,
                            crate::vn::format_number(figure.value, 0),
                            crate::vn::format_number(other, 3),
                            crate::vn::format_number(figure.value, 0)
                        ),
                        format!(
                            "\"{}\" may be {} or {other}; read as {} — please write it unambiguously",
                            figure.raw, figure.value, figure.value
                        ),
                    )
                    .at(cell, figure.raw.clone()),
                );
            }
            out.observations.push(Observation {
                indicator: indicators
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| label(&column.name)),
                period,
                value: Value::Number(figure.value),
                cell,
                raw: figure.raw.as_str().into(),
                row: RowLabels {
                    entity: entity.clone(),
                    unit: units.get(i).cloned().flatten(),
                    name: indicators.get(i).cloned(),
                }
                .shared(),
            });
        }
        for (i, raw) in &row.unreadable {
            let Some(column) = header.columns.get(*i) else {
                continue;
            };
            let cell = CellRef {
                file,
                sheet,
                row: row.row + 1,
                col: column.col,
            };
            out.findings.push(
                Finding::new(
                    Severity::Error,
                    "read.unreadable-value",
                    format!(
                        "{} — «{}»: không đọc được số \"{raw}\"",
                        row.label, column.name
                    ),
                    format!(
                        "{} — «{}»: \"{raw}\" is not a number",
                        row.label, column.name
                    ),
                )
                .at(cell, raw.clone()),
            );
        }
    }
    out.rows = body.len() as u32;
    out.findings
        .extend(checks::check(&header, &body, checks::Place { file, sheet }));
    Some(out)
}

/// An info finding that says which period the table was read for and where
/// that came from, or a warning that none was found.
fn period_finding(
    period: Option<Period>,
    source: &PeriodSource,
    rows: &[(u32, Vec<SheetCell>)],
    file: FileId,
    sheet: u32,
    sheet_name: &str,
) -> Finding {
    match (period, source) {
        (Some(p), PeriodSource::Title(i)) => {
            let (row, cells) = rows.get(*i).map_or((0, &[][..]), |(r, c)| (*r, c.as_slice()));
            let (col, text) = cells
                .iter()
                .enumerate()
                .find(|(_, c)| !c.text.trim().is_empty())
                .map_or((0, ""), |(i, c)| (i as u32, c.text.trim()));
            Finding::new(
                Severity::Info,
                "bieu.period",
                format!("Biểu đọc cho kỳ {p}, theo tiêu đề: «{text}»"),
                format!("The table is read for {p}, from its title: «{text}»"),
            )
            .at(
                CellRef {
                    file,
                    sheet,
                    row: row + 1,
                    col,
                },
                text.to_string(),
            )
        }
        (Some(p), _) => Finding::new(
            Severity::Info,
            "bieu.period",
            format!("Biểu đọc cho kỳ {p}, theo tên trang tính «{sheet_name}»"),
            format!("The table is read for {p}, from the sheet's name «{sheet_name}»"),
        )
        .in_file(file),
        (None, _) => Finding::new(
            Severity::Warning,
            "bieu.no-period",
            "Không thấy kỳ báo cáo trong tiêu đề hay tên trang tính; hãy ghi kỳ vào tiêu đề (ví dụ \"NĂM 2020\")".into(),
            "No period in the title or the sheet's name; write it in the title (e.g. \"NĂM 2020\")".into(),
        )
        .in_file(file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_come_from_titles() {
        let cases = [
            (
                "SỐ LƯỢNG, CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC CẤP HUYỆN NĂM 2020",
                Period::Year(2020),
            ),
            (
                "BÁO CÁO 6 THÁNG ĐẦU NĂM 2026",
                Period::Half {
                    year: 2026,
                    half: 1,
                },
            ),
            (
                "Số liệu Quý I/2026",
                Period::Quarter {
                    year: 2026,
                    quarter: 1,
                },
            ),
            ("(Số liệu tính đến ngày 31/12/2020)", Period::Year(2020)),
            (
                "Kết quả giai đoạn 2016-2020",
                Period::Span {
                    from: 2016,
                    to: 2020,
                },
            ),
            ("2021", Period::Year(2021)),
        ];
        for (text, period) in cases {
            assert_eq!(period_in(text), Some(period), "{text}");
        }
        for text in ["Biểu số 01/BNV", "Trang 1", "Huyện 2020 xã"] {
            assert_eq!(period_in(text), None, "{text}");
        }
    }
}
