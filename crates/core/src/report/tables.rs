//! The template's table functions:
//!
//! - `bang(1)` or `bang("cán bộ, công chức cấp huyện")`: a biểu as read,
//!   by its number among the tables read or by words of its title, file or
//!   sheet;
//!   `bang(1, tong_hop=true)` keeps only its section and total rows;
//! - `bang(chi_tieu=["A", "B"], ky=[2019, 2020])`: indicators by periods,
//!   the agency's figures ("-" where the data hold none);
//! - `bang(chi_tieu=["A", "B"], ky=2020, theo="don_vi")`: units by
//!   indicators for one period, with the agency's figure as the total;
//! - `so_bieu(1, "Huyện A", "Nữ")`: one cell of a biểu ("tong" for its total
//!   row); `ty_le_bieu(1, "tong", "Nữ", "Tổng số")`: one cell as a share of
//!   another, "38,1%".
//!
//! Every cell's figure is registered like any other, with its provenance.

use super::data::{missing, DataFigure, ReportData, TableData};
use super::document::{Figure, FigureStatus, Inline, Style};
use super::layout::Layout;
use super::marks::{period_arg, Registry, TABLE_CLOSE, TABLE_OPEN};
use super::table::{text_cell, ColumnKind, Row, RowKind, Table};
use crate::fold::fold;
use crate::model::{Period, TableRowKind};
use crate::vn::format_number;
use minijinja::value::{Kwargs, Rest, Value, ValueOrKwargs};
use minijinja::{Environment, Error, ErrorKind};
use std::fmt::Write;
use std::sync::{Arc, Mutex};

/// Cells all the tables of one render may hold: a template that asks for
/// more is stopped with a message, as a runaway loop is.
pub const MAX_TABLE_CELLS: usize = 100_000;

type Shared = Arc<Mutex<Registry>>;

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, message)
}

/// "Năm 2020", "Quý I/2026".
pub fn period_heading(p: Period) -> String {
    match p {
        Period::Year(y) => format!("Năm {y}"),
        other => other.to_string(),
    }
}

fn decimals_of(kind: &str) -> usize {
    if kind == "count" {
        0
    } else {
        2
    }
}

fn figure_of(f: &DataFigure, label: String, decimals: usize) -> Figure {
    f.cited(label, f.written(&format_number, decimals))
}

/// The biểu a template names: its number from 1, or words of its title,
/// form, file or sheet.
pub fn find_table<'a>(data: &'a ReportData, which: &Value) -> Option<&'a TableData> {
    let tables = data.tables();
    if let Some(n) = which.as_usize() {
        return n.checked_sub(1).and_then(|i| tables.get(i));
    }
    let wanted = fold(&which.to_string());
    if wanted.is_empty() {
        return None;
    }
    tables.iter().find(|t| {
        [&t.header.title, &t.header.form, &t.file, &t.sheet]
            .iter()
            .any(|s| fold(s).contains(&wanted))
    })
}

/// The body row a unit's name (or "tong", "Tổng cộng") names.
fn find_row(t: &TableData, unit: &str) -> Option<usize> {
    let wanted = fold(unit);
    let rows = &t.header.rows;
    if matches!(wanted.as_str(), "tong" | "tongcong" | "tongso" | "cong") {
        if let Some(i) = rows.iter().position(|r| r.kind == TableRowKind::Total) {
            return Some(i);
        }
    }
    rows.iter()
        .position(|r| fold(&r.label) == wanted)
        .or_else(|| rows.iter().position(|r| fold(&r.label).contains(&wanted)))
}

/// The column a name names: its catalogue code, its number in the
/// column-number row, its whole header path or its last header text.
pub fn find_column(t: &TableData, name: &str) -> Option<usize> {
    let h = &t.header;
    let wanted = fold(name);
    let lead = h.numbers.len().saturating_sub(h.columns.len());
    let own_number = |i: usize| {
        h.numbers
            .get(lead + i)
            .and_then(|n| n.split('=').next())
            .map(|n| n.trim().trim_matches(|c| c == '(' || c == ')').to_string())
    };
    let last = |i: usize| {
        h.paths
            .get(i)
            .and_then(|p| p.last())
            .map_or(String::new(), |s| fold(s))
    };
    (0..h.columns.len())
        .find(|&i| h.codes.get(i).is_some_and(|c| !c.is_empty() && c == name))
        .or_else(|| (0..h.columns.len()).find(|&i| own_number(i).as_deref() == Some(name.trim())))
        .or_else(|| (0..h.columns.len()).find(|&i| fold(&h.columns[i]) == wanted))
        .or_else(|| (0..h.columns.len()).find(|&i| last(i) == wanted))
        .or_else(|| {
            (0..h.columns.len()).find(|&i| !wanted.is_empty() && last(i).starts_with(&wanted))
        })
}

/// One cell of a biểu as a figure.
fn bieu_figure(
    data: &ReportData,
    which: &Value,
    unit: &str,
    column: &str,
) -> (Figure, Option<f64>) {
    let label = format!("biểu {which}: {unit} · {column}");
    let Some(t) = find_table(data, which) else {
        return (missing(label), None);
    };
    let (Some(r), Some(c)) = (find_row(t, unit), find_column(t, column)) else {
        return (missing(label), None);
    };
    let (row, h) = (&t.header.rows[r], &t.header);
    let label = format!("{} · {}", row.label, h.columns[c]);
    let kind = h.kinds.get(c).map_or("other", String::as_str);
    let cell = h
        .letters
        .get(c)
        .and_then(|&col| t.cells.get(&(row.row, col)));
    match cell {
        Some(f) => (figure_of(f, label, decimals_of(kind)), f.value.number()),
        None => (missing(label), None),
    }
}

/// Adds a table to the render, cut into parts that fit a landscape page,
/// or refuses one that would take the render past [`MAX_TABLE_CELLS`].
fn place(registry: &Shared, table: Table) -> Result<String, Error> {
    let mut r = registry
        .lock()
        .map_err(|_| invalid("không đặt được bảng".into()))?;
    r.table_cells += table.rows.len() * table.width().max(1);
    if r.table_cells > MAX_TABLE_CELLS {
        return Err(invalid(format!(
            "các bảng của báo cáo vượt quá {} ô; hãy chọn ít chỉ tiêu hoặc đơn vị hơn",
            format_number(MAX_TABLE_CELLS as f64, 0)
        )));
    }
    let l = Layout::default();
    let landscape_width = l.page_height_mm - l.margin_left_mm - l.margin_right_mm;
    let mut markers = String::new();
    for part in table.split_to_fit(landscape_width) {
        r.tables.push(part);
        // Blank lines around: the marker is a paragraph of its own.
        let _ = write!(
            markers,
            "\n\n{}{}{}\n\n",
            TABLE_OPEN,
            r.tables.len() - 1,
            TABLE_CLOSE
        );
    }
    Ok(markers)
}

fn mark(registry: &Shared, figure: Figure) -> Vec<Inline> {
    let id = registry.lock().map(|mut r| {
        r.figures.push(figure);
        r.figures.len() - 1
    });
    match id {
        Ok(id) => vec![Inline::Figure {
            id,
            style: Style::default(),
        }],
        Err(_) => Vec::new(),
    }
}

/// A biểu printed again as the report's table.
/// `summary`: only its section and total rows (all rows when it has none).
fn bieu_table(t: &TableData, title: Option<String>, summary: bool, registry: &Shared) -> Table {
    let h = &t.header;
    let summary = summary && h.rows.iter().any(|r| r.kind != TableRowKind::Unit);
    let kept: Vec<usize> = (0..h.columns.len())
        .filter(|&i| h.left_out.get(i) != Some(&true))
        .collect();
    let mut leading = Vec::new();
    if !h.stt_header.is_empty() {
        leading.push(h.stt_header.clone());
    }
    leading.push(h.unit_column.1.clone());
    let paths: Vec<Vec<String>> = kept
        .iter()
        .map(|&i| {
            h.paths
                .get(i)
                .filter(|p| !p.is_empty())
                .cloned()
                .unwrap_or_else(|| vec![h.columns[i].clone()])
        })
        .collect();
    let lead = leading.len();
    let numbers = if h.numbers.len() == lead + h.columns.len() {
        h.numbers[..lead]
            .iter()
            .cloned()
            .chain(kept.iter().map(|&i| h.numbers[lead + i].clone()))
            .collect()
    } else {
        Vec::new()
    };
    let mut columns = vec![ColumnKind::Label; lead];
    if lead == 2 {
        columns[0] = ColumnKind::Number;
    }
    columns.extend(std::iter::repeat_n(ColumnKind::Figure, kept.len()));
    let rows = h
        .rows
        .iter()
        .filter(|row| !summary || row.kind != TableRowKind::Unit)
        .map(|row| {
            let mut cells = Vec::with_capacity(columns.len());
            if lead == 2 {
                cells.push(text_cell(row.stt.clone()));
            }
            cells.push(text_cell(row.label.clone()));
            for &i in &kept {
                let kind = h.kinds.get(i).map_or("other", String::as_str);
                let cell = h.letters.get(i).and_then(|&c| t.cells.get(&(row.row, c)));
                cells.push(match cell {
                    Some(f) => {
                        let label = format!("{} · {}", row.label, h.columns[i]);
                        mark(registry, figure_of(f, label, decimals_of(kind)))
                    }
                    None => Vec::new(),
                });
            }
            Row {
                kind: match row.kind {
                    TableRowKind::Unit => RowKind::Body,
                    TableRowKind::Section => RowKind::Section,
                    TableRowKind::Total => RowKind::Total,
                },
                cells,
            }
        })
        .collect();
    let note = if summary {
        format!(
            "Bảng gồm các dòng tổng hợp của biểu; số liệu của từng đơn vị ({} đơn vị) xem trong biểu gốc.",
            format_number(f64::from(h.units()), 0)
        )
    } else if (h.rows_read as usize) > h.rows.len() {
        format!(
            "Biểu có {} dòng; báo cáo in {} dòng đầu.",
            format_number(f64::from(h.rows_read), 0),
            format_number(h.rows.len() as f64, 0)
        )
    } else {
        String::new()
    };
    Table {
        form: h.form.clone(),
        title: title.unwrap_or_else(|| h.title.clone()),
        unit_note: String::new(),
        head: Table::head_from_paths(&leading, &paths),
        numbers,
        rows,
        columns,
        note,
    }
}

/// A list of strings from a list or one string.
fn strings(v: &Value) -> Vec<String> {
    match v.try_iter() {
        Ok(items) if v.as_str().is_none() => items.map(|i| i.to_string()).collect(),
        _ => vec![v.to_string()],
    }
}

fn periods(v: &Value) -> Result<Vec<Period>, Error> {
    match v.try_iter() {
        Ok(items) if v.as_str().is_none() => items.map(|i| period_arg(&i)).collect(),
        _ => Ok(vec![period_arg(v)?]),
    }
}

/// Indicators as rows, periods as columns: the agency's figures.
fn by_periods(
    data: &ReportData,
    codes: &[String],
    ky: Option<Vec<Period>>,
    registry: &Shared,
) -> Table {
    let periods = ky.unwrap_or_else(|| {
        let mut all: Vec<Period> = codes.iter().flat_map(|c| data.periods_of(c)).collect();
        all.sort();
        all.dedup();
        all
    });
    let mut head = vec!["STT".to_string(), "Chỉ tiêu".to_string()];
    head.extend(periods.iter().map(|p| period_heading(*p)));
    let rows = codes
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let mut cells = vec![
                text_cell((i + 1).to_string()),
                text_cell(data.name_of(code).unwrap_or(code).to_string()),
            ];
            for p in &periods {
                // A period the data do not hold is a dash, as offices write it.
                cells.push(match data.figures.get(&(code.clone(), *p)) {
                    Some(f) => mark(
                        registry,
                        figure_of(f, format!("{code} {p}"), decimals(data, code)),
                    ),
                    None => text_cell("-"),
                });
            }
            cells
        })
        .collect();
    let mut t = Table::plain(head, rows);
    t.columns[0] = ColumnKind::Number;
    t.columns[1] = ColumnKind::Label;
    t
}

fn decimals(data: &ReportData, code: &str) -> usize {
    match data.kinds.get(code) {
        Some(crate::catalog::Kind::Count | crate::catalog::Kind::Rank) => 0,
        _ => 2,
    }
}

/// Units as rows, indicators as columns, for one period; the agency's
/// figure, when there is one, as the total row.
fn by_units(data: &ReportData, codes: &[String], period: Period, registry: &Shared) -> Table {
    let mut units: Vec<&str> = Vec::new();
    for code in codes {
        for (unit, _) in data
            .units
            .get(&(code.clone(), period))
            .into_iter()
            .flatten()
        {
            if !units.contains(&unit.as_str()) {
                units.push(unit);
            }
        }
    }
    let mut head = vec!["STT".to_string(), "Đơn vị".to_string()];
    head.extend(
        codes
            .iter()
            .map(|c| data.name_of(c).unwrap_or(c).to_string()),
    );
    let mut rows: Vec<Vec<Vec<Inline>>> = units
        .iter()
        .enumerate()
        .map(|(i, unit)| {
            let mut cells = vec![text_cell((i + 1).to_string()), text_cell(unit.to_string())];
            for code in codes {
                let found = data
                    .units
                    .get(&(code.clone(), period))
                    .and_then(|v| v.iter().find(|(u, _)| u == unit));
                cells.push(match found {
                    Some((_, f)) => mark(
                        registry,
                        figure_of(f, format!("{unit} · {code} {period}"), decimals(data, code)),
                    ),
                    None => Vec::new(),
                });
            }
            cells
        })
        .collect();
    let totals: Vec<Option<&DataFigure>> = codes
        .iter()
        .map(|c| data.figures.get(&(c.clone(), period)))
        .collect();
    if totals.iter().any(Option::is_some) {
        let mut cells = vec![Vec::new(), text_cell("Tổng cộng")];
        for (code, f) in codes.iter().zip(totals) {
            cells.push(f.map_or(Vec::new(), |f| {
                mark(
                    registry,
                    figure_of(f, format!("{code} {period}"), decimals(data, code)),
                )
            }));
        }
        rows.push(cells);
    }
    let mut t = Table::plain(head, rows);
    t.columns[0] = ColumnKind::Number;
    t.columns[1] = ColumnKind::Label;
    if data
        .figures
        .keys()
        .any(|(c, p)| *p == period && codes.contains(c))
    {
        if let Some(last) = t.rows.last_mut() {
            last.kind = RowKind::Total;
        }
    }
    t
}

/// Registers `bang`, `so_bieu` and `ty_le_bieu`.
pub(super) fn register(env: &mut Environment<'_>, data: &Arc<ReportData>, registry: &Shared) {
    let (d, r) = (data.clone(), registry.clone());
    env.add_function(
        "bang",
        move |args: Rest<ValueOrKwargs>| -> Result<String, Error> {
            let args = args.into_values();
            let (positional, kwargs) = match args.split_last() {
                Some((last, rest)) if last.is_kwargs() => (rest, Kwargs::try_from(last.clone())?),
                _ => (&args[..], Kwargs::from_iter(Vec::<(String, Value)>::new())),
            };
            let title: Option<String> = kwargs.get("tieu_de")?;
            let codes: Option<Value> = kwargs.get("chi_tieu")?;
            let ky: Option<Value> = kwargs.get("ky")?;
            let by: Option<String> = kwargs.get("theo")?;
            let summary: Option<bool> = kwargs.get("tong_hop")?;
            kwargs.assert_all_used()?;
            let mut table = match (positional.first(), codes) {
                (Some(which), _) => {
                    let t = find_table(&d, which)
                        .ok_or_else(|| invalid(format!("không có biểu {which} trong dữ liệu")))?;
                    bieu_table(t, title.clone(), summary.unwrap_or(false), &r)
                }
                (None, Some(codes)) => {
                    let codes = strings(&codes);
                    let ky = ky.as_ref().map(periods).transpose()?;
                    match by.as_deref() {
                        Some("don_vi") => {
                            let period = ky.and_then(|p| p.last().copied()).ok_or_else(|| {
                                invalid("bảng theo đơn vị cần một kỳ: ky=2020".into())
                            })?;
                            by_units(&d, &codes, period, &r)
                        }
                        Some(other) if other != "ky" => {
                            return Err(invalid(format!(
                                "theo=\"{other}\" không hợp lệ; dùng \"ky\" hoặc \"don_vi\""
                            )))
                        }
                        _ => by_periods(&d, &codes, ky, &r),
                    }
                }
                (None, None) => {
                    return Err(invalid(
                        "bang(...) cần số của biểu, hoặc chi_tieu=[...]".into(),
                    ))
                }
            };
            if let Some(title) = title {
                table.title = title;
            }
            place(&r, table)
        },
    );
    let (d, r) = (data.clone(), registry.clone());
    env.add_function(
        "so_bieu",
        move |which: Value, unit: String, column: String| -> String {
            let (figure, _) = bieu_figure(&d, &which, &unit, &column);
            r.lock().map(|mut r| r.mark(figure)).unwrap_or_default()
        },
    );
    let (d, r) = (data.clone(), registry.clone());
    env.add_function(
        "ty_le_bieu",
        move |which: Value, unit: String, part: String, whole: String| -> String {
            let (p, pv) = bieu_figure(&d, &which, &unit, &part);
            let (w, wv) = bieu_figure(&d, &which, &unit, &whole);
            let label = format!("{} / {}", p.label, w.label);
            let figure = match (pv, wv) {
                (Some(p_value), Some(w_value)) if w_value != 0.0 => Figure {
                    text: format!("{}%", format_number(100.0 * p_value / w_value, 1)),
                    label,
                    sources: p.sources.iter().chain(&w.sources).copied().collect(),
                    status: if p.status == FigureStatus::Failed || w.status == FigureStatus::Failed
                    {
                        FigureStatus::Failed
                    } else {
                        FigureStatus::Ok
                    },
                },
                _ => missing(label),
            };
            r.lock().map(|mut r| r.mark(figure)).unwrap_or_default()
        },
    );
}
