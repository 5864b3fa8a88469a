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
mod layout;
pub mod unknown;

use super::cells::SheetCell;
use super::TableRead;
use crate::catalog::Catalog;
use crate::fold::fold_words;
use crate::model::{
    CellRef, FileId, Finding, Label, Observation, Period, RowLabels, Severity, TableHeader, Value,
};
use body::RowKind;
use std::rc::Rc;

/// Where the period was found, for the user to see.
#[derive(Clone, Debug, PartialEq)]
pub enum PeriodSource {
    /// A title row above the table (its index into the rows).
    Title(usize),
    SheetName,
    /// The user set it (the mapping's period).
    User,
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
                if let Some(p) = Period::parse(&w.join(" ")) {
                    return Some(p);
                }
            }
        }
    }
    for (i, w) in words.iter().enumerate() {
        // "ngày 31/12/2020": the year of the date.
        if let Some(y) = w.rsplit('/').next().filter(|_| w.matches('/').count() == 2) {
            if let Some(Period::Year(y)) = Period::parse(y) {
                return Some(Period::Year(y));
            }
        }
        let after_word = i > 0 && matches!(words.get(i - 1), Some(&("nam" | "den")));
        if after_word || words.len() == 1 {
            if let Some(p) = Period::parse(w) {
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
            let f = crate::fold::fold(t);
            (f.starts_with("dvt") || f.starts_with("donvitinh"))
                .then(|| t.split_once(':').map(|(_, u)| u.trim().to_string()))
                .flatten()
                .filter(|u| !u.is_empty())
        })
}

fn label(text: &str) -> Label {
    Rc::from(text)
}

/// The identities the header declares (its formulas) or implies (its
/// "Chia theo" and "Trong đó" groups), by column index.
fn table_rules(header: &header::Header) -> Vec<crate::model::TableRule> {
    use crate::model::TableRule;
    let index = |n: u32| header.columns.iter().position(|c| c.number == Some(n));
    let mut rules: Vec<TableRule> = header
        .formulas
        .iter()
        .filter_map(|(head, f)| match f {
            header::Formula::Sum(terms) => Some(TableRule::Sum {
                head: *head,
                parts: terms
                    .iter()
                    .map(|(s, n)| Some((*s, index(*n)?)))
                    .collect::<Option<_>>()?,
            }),
            header::Formula::Ratio { .. } => None,
        })
        .collect();
    for g in &header.groups {
        let Some(head) = g.whole else { continue };
        let rule = match g.kind {
            header::GroupKind::Split => TableRule::Sum {
                head,
                parts: g.members.iter().map(|&m| (1, m)).collect(),
            },
            header::GroupKind::Within => TableRule::Within {
                head,
                parts: g.members.clone(),
            },
            header::GroupKind::Plain => continue,
        };
        if !rules.contains(&rule) {
            rules.push(rule);
        }
    }
    rules
}

/// What each column is read as: a catalogue code (by the user's mapping, or
/// by a name the catalogue knows), its own name, or nothing.
struct Targets {
    codes: Vec<String>,
    mapped: Vec<bool>,
    left_out: Vec<bool>,
    period: Option<Period>,
}

fn targets(header: &header::Header, catalog: &Catalog) -> Targets {
    let names: Vec<String> = header.columns.iter().map(|c| c.name.clone()).collect();
    let mapping = catalog.mapping_for(&names);
    let mut t = Targets {
        codes: Vec::new(),
        mapped: Vec::new(),
        left_out: Vec::new(),
        period: mapping.and_then(|m| Period::parse(m.period.as_deref()?)),
    };
    for name in &names {
        match mapping.and_then(|m| m.columns.get(name)) {
            Some(code) => {
                t.codes.push(code.clone());
                t.mapped.push(true);
                t.left_out.push(code.is_empty());
            }
            None => {
                let code = catalog
                    .resolve(name)
                    .map(|i| i.code.clone())
                    .unwrap_or_default();
                t.codes.push(code);
                t.mapped.push(false);
                t.left_out.push(false);
            }
        }
    }
    t
}

/// Reads `rows` (each with its 0-based sheet row) as a biểu, or `None` when
/// they are not one. Columns are read as the catalogue's mappings say.
pub fn read(
    rows: &[(u32, Vec<SheetCell>)],
    file: FileId,
    sheet: u32,
    sheet_name: &str,
    catalog: &Catalog,
) -> Option<TableRead> {
    let hint = unit_above(rows, 40);
    // The unit column the user chose comes first.
    let header = unknown::chosen(rows, catalog)
        .and_then(|(first, unit)| header::find_at(rows, first, unit, hint.as_deref()))
        .or_else(|| header::find(rows, hint.as_deref()))?;
    let body = body::read(rows, &header);

    let mut out = TableRead::default();
    let targets = targets(&header, catalog);
    // A table whose rows are periods ("2016", "Năm 2017"…): each row's figures
    // are the agency's, for its period.
    let row_periods: Option<Vec<Period>> = (body.len() >= 2)
        .then(|| {
            body.iter()
                .map(|r| match r.kind {
                    RowKind::Unit { .. } => Period::parse(&r.label),
                    RowKind::Total => None,
                })
                .collect::<Option<Vec<_>>>()
        })
        .flatten();
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
    let (period, source) = match targets.period {
        Some(p) => (Some(p), PeriodSource::User),
        None => (period, source),
    };
    if row_periods.is_some() {
        out.findings.push(
            Finding::new(
                Severity::Info,
                "bieu.period",
                "Mỗi dòng của biểu là một kỳ; số liệu là của cơ quan báo cáo".into(),
                "Each row of the table is a period; the figures are the agency's".into(),
            )
            .in_file(file),
        );
    } else {
        out.findings.push(period_finding(
            period, &source, rows, file, sheet, sheet_name,
        ));
    }
    let unit_header = rows
        .get(header.first)
        .and_then(|(_, c)| c.get(header.unit_col as usize))
        .map(|c| c.text.trim().to_string())
        .unwrap_or_default();
    out.tables.push(TableHeader {
        sheet,
        unit_column: (header.unit_col, unit_header),
        columns: header.columns.iter().map(|c| c.name.clone()).collect(),
        letters: header.columns.iter().map(|c| c.col).collect(),
        codes: targets.codes.clone(),
        mapped: targets.mapped.clone(),
        left_out: targets.left_out.clone(),
        units: header
            .columns
            .iter()
            .map(|c| c.unit.clone().unwrap_or_default())
            .collect(),
        kinds: header
            .columns
            .iter()
            .map(|c| match c.kind {
                header::ValueKind::Count => "count",
                header::ValueKind::Percent => "percent",
                header::ValueKind::Other => "other",
            })
            .map(String::from)
            .collect(),
        rules: table_rules(&header),
        understood: true,
        period: period.map(|p| p.to_string()).unwrap_or_default(),
        period_from: match source {
            _ if row_periods.is_some() => "rows",
            PeriodSource::Title(_) => "title",
            PeriodSource::SheetName => "sheet",
            PeriodSource::User => "user",
            PeriodSource::None => "",
        }
        .into(),
        ..TableHeader::default()
    });
    if let Some(t) = out.tables.last_mut() {
        let period_row = match source {
            PeriodSource::Title(i) => Some(i),
            _ => None,
        };
        (t.title, t.form) = layout::title_and_form(rows, &header, period_row);
        layout::describe(t, rows, &header, &body);
    }
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

    // A column is read as its catalogue code when it has one, else as its name.
    let indicators: Vec<Label> = header
        .columns
        .iter()
        .zip(&targets.codes)
        .map(|(c, code)| label(if code.is_empty() { &c.name } else { code }))
        .collect();
    let units: Vec<Option<Label>> = header
        .columns
        .iter()
        .map(|c| c.unit.as_deref().map(label))
        .collect();
    // Rows as the spreadsheet shows them (from 1).
    let cell_at = |row: &body::BodyRow, col: u32| CellRef {
        file,
        sheet,
        row: row.row + 1,
        col,
    };
    for (at, row) in body.iter().enumerate() {
        let (entity, period) = match (&row_periods, row.kind) {
            (Some(periods), _) => (None, periods.get(at).copied().unwrap_or(period)),
            (None, RowKind::Total) => (None, period),
            (None, RowKind::Unit { .. }) => (Some(label(&row.label)), period),
        };
        // A row's figures share their labels, one set per unit of measure
        // (the indicator names the column: no name is kept per figure).
        let mut labels: Vec<(Option<Label>, Option<Rc<RowLabels>>)> = Vec::new();
        for (i, figure) in row.figures.iter().enumerate() {
            let (Some(figure), Some(column)) = (figure, header.columns.get(i)) else {
                continue;
            };
            if targets.left_out.get(i) == Some(&true) {
                continue;
            }
            let cell = cell_at(row, column.col);
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
                    .at(cell, figure.raw.as_str()),
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
                raw: figure.raw.clone(),
                row: {
                    let unit = units.get(i).cloned().flatten();
                    match labels.iter().find(|(u, _)| *u == unit) {
                        Some((_, shared)) => shared.clone(),
                        None => {
                            let shared = RowLabels {
                                entity: entity.clone(),
                                unit: unit.clone(),
                                name: None,
                            }
                            .shared();
                            labels.push((unit, shared.clone()));
                            shared
                        }
                    }
                },
            });
        }
        for (i, raw) in &row.unreadable {
            let Some(column) = header.columns.get(*i) else {
                continue;
            };
            let cell = cell_at(row, column.col);
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
        (Some(p), PeriodSource::User) => Finding::new(
            Severity::Info,
            "bieu.period",
            format!("Biểu đọc cho kỳ {p}, theo kỳ đã chọn cho biểu này"),
            format!("The table is read for {p}, the period chosen for it"),
        )
        .in_file(file),
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
