//! A biểu's header as the office wrote it: the unit and STT columns, one to
//! three header rows whose merged cells span their sub-columns (a merged
//! cell's text was copied to every cell it spans when the sheet was read),
//! the column-number row with its declared formulas ("1=2+3", "(6)=(4)/(3)"),
//! and each column's name, unit of measure and group.

use super::super::cells::SheetCell;
use crate::fold::fold;

/// How a column's figures are checked as values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// Whole and not negative (people, units, offices…).
    Count,
    /// Between 0 and 100.
    Percent,
    /// Anything else (money, scores, decimals).
    Other,
}

/// One column of figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The sheet column (0 = A).
    pub col: u32,
    /// The header texts from the top row down, each once: the header path.
    pub path: Vec<String>,
    /// The path joined: "Chia theo giới tính › Nữ".
    pub name: String,
    pub unit: Option<String>,
    pub kind: ValueKind,
    /// Its number in the column-number row ("3" of "3=4+5"), if any.
    pub number: Option<u32>,
}

/// A formula the column-number row declares for one column.
#[derive(Clone, Debug, PartialEq)]
pub enum Formula {
    /// The column equals the signed sum of the columns numbered.
    Sum(Vec<(i8, u32)>),
    /// The column equals `num / den × scale`.
    Ratio { num: u32, den: u32, scale: f64 },
}

/// A group of adjacent columns under one header cell, and what it promises.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub title: String,
    /// Indexes into `Header::columns`.
    pub members: Vec<usize>,
    /// The column the group breaks down (the nearest ungrouped column to its
    /// left): a "Chia theo" group adds up to it, a "Trong đó" group to at most it.
    pub whole: Option<usize>,
    pub kind: GroupKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupKind {
    /// "Chia theo …", "Phân theo …": the parts add up to the whole.
    Split,
    /// "Trong đó": the parts add up to at most the whole.
    Within,
    /// A heading with no promise ("Trình độ chuyên môn").
    Plain,
}

/// The header of a biểu.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    /// Index into the sheet's rows of the first and the last header row.
    pub first: usize,
    pub last: usize,
    /// Index of the column-number row, if there is one.
    pub numbers_row: Option<usize>,
    pub unit_col: u32,
    pub stt_col: Option<u32>,
    pub columns: Vec<Column>,
    pub groups: Vec<Group>,
    /// Per column (index into `columns`), the formulas declared for it.
    pub formulas: Vec<(usize, Formula)>,
}

type Rows = [(u32, Vec<SheetCell>)];

fn text(cells: &[SheetCell], col: u32) -> &str {
    cells.get(col as usize).map_or("", |c| c.text.trim())
}

/// Whether a header cell names the unit column.
pub fn is_unit_header(t: &str) -> bool {
    let f = fold(t);
    if f.starts_with("donvitinh") || f == "dvt" {
        return false;
    }
    [
        "donvi",
        "tendonvi",
        "coquandonvi",
        "tencoquandonvi",
        "coquan",
        "tencoquan",
        "diaphuong",
        "tendiaphuong",
        "donvihanhchinh",
        "huyenthixathanhpho",
        "tenhuyen",
        "tenxa",
        "xaphuongthitran",
    ]
    .iter()
    .any(|p| f.starts_with(p))
}

fn is_stt_header(t: &str) -> bool {
    matches!(fold(t).as_str(), "stt" | "tt" | "sothutu")
}

/// A column-number label: "A", "1", "(2)", "3=4+5", "1=2+3=4+5+6", "(6)=(4)/(3)".
fn is_number_label(t: &str) -> bool {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    !t.is_empty()
        && t.len() <= 40
        && t.chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() || "()=+-*/x:.".contains(c))
        && (t
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '(')
            || (t.len() <= 2 && t.chars().all(|c| c.is_ascii_uppercase())))
}

/// The numbers of a label's terms: "(4)" → 4.
fn term(t: &str) -> Option<u32> {
    t.trim_matches(|c| c == '(' || c == ')').parse().ok()
}

/// Reads a label into the column's own number and the formulas it declares.
pub fn parse_label(label: &str) -> (Option<u32>, Vec<Formula>) {
    let t: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    let mut sides = t.split('=');
    let own = sides.next().and_then(term);
    let formulas = sides.filter_map(parse_side).collect();
    (own, formulas)
}

fn parse_side(side: &str) -> Option<Formula> {
    if let Some((num, rest)) = side.split_once('/') {
        let (den, scale) = match rest.split_once(['*', 'x']) {
            Some((den, scale)) => (den, scale.parse().ok()?),
            None => (rest, 1.0),
        };
        return Some(Formula::Ratio {
            num: term(num)?,
            den: term(den)?,
            scale,
        });
    }
    let mut terms = Vec::new();
    let mut sign = 1_i8;
    let mut current = String::new();
    for c in side.chars().chain(std::iter::once('+')) {
        match c {
            '+' | '-' => {
                if !current.is_empty() {
                    terms.push((sign, term(&current)?));
                    current.clear();
                }
                sign = if c == '-' { -1 } else { 1 };
            }
            _ => current.push(c),
        }
    }
    (terms.len() >= 2 || terms.first().is_some_and(|(s, _)| *s == 1)).then_some(Formula::Sum(terms))
}

/// Whether row `cells` is the column-number row for these columns.
fn is_numbers_row(cells: &[SheetCell], cols: &[u32]) -> bool {
    let labelled = cols
        .iter()
        .filter(|&&c| is_number_label(text(cells, c)))
        .count();
    let other = cells
        .iter()
        .filter(|c| !c.text.trim().is_empty() && !is_number_label(&c.text))
        .count();
    // Column numbers count the columns: distinct and small. A row of
    // figures ("2016", "100", "40") is data, not numbers.
    let own: Vec<u32> = cols
        .iter()
        .filter_map(|&c| parse_label(text(cells, c)).0)
        .collect();
    let small = own.iter().all(|&n| n as usize <= 3 * cols.len() + 10);
    let distinct = own.iter().collect::<std::collections::HashSet<_>>().len() == own.len();
    other == 0 && labelled * 2 >= cols.len().max(1) && small && distinct
}

/// The unit of measure a header text names: "(người)", "(%)", "ĐVT: người".
fn unit_in(t: &str) -> Option<String> {
    if let Some(open) = t.rfind('(') {
        let inner = t[open + 1..].trim_end().strip_suffix(')')?.trim();
        if !inner.is_empty()
            && inner.chars().count() <= 20
            && !inner.chars().any(|c| c.is_ascii_digit())
        {
            return Some(inner.to_string());
        }
    }
    let f = fold(t);
    if f.starts_with("dvt") || f.starts_with("donvitinh") {
        return t
            .split_once(':')
            .map(|(_, u)| u.trim().to_string())
            .filter(|u| !u.is_empty());
    }
    None
}

/// The header text without the unit it names: "Tổng số (người)" → "Tổng số".
fn without_unit(t: &str) -> &str {
    match (t.rfind('('), unit_in(t)) {
        (Some(open), Some(_)) => t[..open].trim_end(),
        _ => t,
    }
}

const COUNT_UNITS: &[&str] = &[
    "nguoi", "donvi", "coquan", "tochuc", "xa", "phuong", "huyen", "thon", "to", "bienche", "hoso",
    "cai", "luot", "vu", "viec", "ho", "cuoc", "vanban", "chiec", "lop", "truong", "cuoc",
    "thutuc", "dang", "dangvien", "phong", "ban",
];

fn kind_of(unit: Option<&str>, name: &str) -> ValueKind {
    let folded_name = fold(name);
    match unit.map(fold) {
        Some(u) if u.is_empty() && unit.is_some_and(|u| u.contains('%')) => ValueKind::Percent,
        Some(u) if COUNT_UNITS.contains(&u.as_str()) => ValueKind::Count,
        Some(_) => ValueKind::Other,
        None if folded_name.starts_with("tyle") || folded_name.contains("tyle") => {
            ValueKind::Percent
        }
        None => ValueKind::Other,
    }
}

/// Finds the header of a biểu among the first rows: a row with a unit
/// column, the header rows under it, and the column-number row. `unit_hint`
/// is a unit named above the table ("ĐVT: người").
pub fn find(rows: &Rows, unit_hint: Option<&str>) -> Option<Header> {
    let (first, unit_col) = named_unit_column(rows).or_else(|| guessed_unit_column(rows))?;
    find_at(rows, first, unit_col, unit_hint)
}

/// The header row and the unit column, by a unit header's name.
fn named_unit_column(rows: &Rows) -> Option<(usize, u32)> {
    rows.iter()
        .take(40)
        .enumerate()
        .find_map(|(i, (_, cells))| {
            let col = cells.iter().position(|c| is_unit_header(&c.text))?;
            // The unit header sits at the left, beside at least two other headers.
            let filled = cells.iter().filter(|c| !c.text.trim().is_empty()).count();
            (col <= 3 && filled >= 3).then_some((i, col as u32))
        })
}

/// The header row and the unit column of a table whose unit column has a
/// name the page does not know ("Huyện", "Trường"…): a row of at least
/// three texts above rows of figures, and the leftmost column whose cells
/// below are names rather than numbers — or periods ("2016", "Năm 2017"):
/// a table of years as rows.
fn guessed_unit_column(rows: &Rows) -> Option<(usize, u32)> {
    let figures = |cells: &Vec<SheetCell>| cells.iter().filter(|c| c.number.is_some()).count();
    rows.iter()
        .take(40)
        .enumerate()
        .find_map(|(i, (_, cells))| {
            let texts = cells.iter().filter(|c| !c.text.trim().is_empty()).count();
            if texts < 3 || figures(cells) > 0 {
                return None;
            }
            let below: Vec<&Vec<SheetCell>> = rows
                .iter()
                .skip(i + 1)
                .take(12)
                .map(|(_, c)| c)
                .filter(|c| figures(c) >= 2)
                .collect();
            if below.len() < 2 {
                return None;
            }
            (0..4_u32).find_map(|col| {
                let names = below
                    .iter()
                    .filter(|c| {
                        c.get(col as usize).is_some_and(|x| {
                            let t = x.text.trim();
                            (x.number.is_none() && t.chars().any(char::is_alphabetic))
                                || crate::model::Period::parse(t).is_some()
                        })
                    })
                    .count();
                (names * 10 >= below.len() * 6 && !text(cells, col).is_empty()).then_some((i, col))
            })
        })
}

/// The header that starts at row `first` with its unit column `unit_col`.
pub fn find_at(
    rows: &Rows,
    first: usize,
    unit_col: u32,
    unit_hint: Option<&str>,
) -> Option<Header> {
    let top = &rows.get(first)?.1;
    let stt_col = (0..unit_col).find(|&c| is_stt_header(text(top, c)));
    let unit_text = text(top, unit_col).to_string();
    let width = |cells: &Vec<SheetCell>| cells.len() as u32;

    // Header rows: those under the top whose unit cell is blank or repeats
    // the merged header, with text and no figures; at most three in all.
    let mut last = first;
    let mut numbers_row = None;
    let mut max_width = width(top);
    for (i, (_, cells)) in rows.iter().enumerate().skip(first + 1).take(3) {
        let candidate_cols: Vec<u32> = (unit_col + 1..max_width.max(width(cells)))
            .filter(|&c| Some(c) != stt_col)
            .collect();
        if is_numbers_row(cells, &candidate_cols) {
            numbers_row = Some(i);
            break;
        }
        let unit_cell = text(cells, unit_col);
        let has_figures = cells.iter().any(|c| c.number.is_some());
        let has_text = candidate_cols.iter().any(|&c| !text(cells, c).is_empty());
        if i - first >= 3
            || has_figures
            || !has_text
            || !(unit_cell.is_empty() || unit_cell == unit_text)
        {
            break;
        }
        last = i;
        max_width = max_width.max(width(cells));
    }

    // The header rows' texts. Where a group's text sits over its first
    // sub-column only (merged cells undone, or a format that keeps no
    // merges), the cells to its right with sub-headers below take it too.
    let mut texts: Vec<Vec<String>> = rows
        .get(first..=last)?
        .iter()
        .map(|(_, cells)| (0..max_width).map(|c| text(cells, c).to_string()).collect())
        .collect();
    let depth = texts.len();
    for r in 0..depth.saturating_sub(1) {
        for c in (unit_col + 2)..max_width {
            let (c, left) = (c as usize, c as usize - 1);
            let below = (r + 1..depth).any(|b| {
                texts
                    .get(b)
                    .and_then(|t| t.get(c))
                    .is_some_and(|t| !t.is_empty())
            });
            let left_below = (r + 1..depth).any(|b| {
                texts
                    .get(b)
                    .and_then(|t| t.get(left))
                    .is_some_and(|t| !t.is_empty())
            });
            let Some(row) = texts.get_mut(r) else {
                continue;
            };
            let left_text = row.get(left).cloned().unwrap_or_default();
            if let Some(cell) = row.get_mut(c) {
                if cell.is_empty() && below && left_below && !left_text.is_empty() {
                    *cell = left_text;
                }
            }
        }
    }

    let mut columns = Vec::new();
    for col in unit_col + 1..max_width {
        if Some(col) == stt_col {
            continue;
        }
        let mut path: Vec<String> = Vec::new();
        for row in &texts {
            let t = row.get(col as usize).map_or("", |t| t.as_str());
            if !t.is_empty() && path.last().is_none_or(|p| p != t) {
                path.push(t.to_string());
            }
        }
        if path.is_empty() {
            continue;
        }
        let unit = path
            .iter()
            .rev()
            .find_map(|t| unit_in(t))
            .or_else(|| unit_hint.map(str::to_string));
        let name = path
            .iter()
            .map(|t| without_unit(t))
            .collect::<Vec<_>>()
            .join(" › ");
        let kind = kind_of(unit.as_deref(), &name);
        columns.push(Column {
            col,
            path,
            name,
            unit,
            kind,
            number: None,
        });
    }
    if columns.len() < 2 {
        return None;
    }

    let mut formulas = Vec::new();
    if let Some((_, cells)) = numbers_row.and_then(|i| rows.get(i)) {
        for (i, column) in columns.iter_mut().enumerate() {
            let (own, declared) = parse_label(text(cells, column.col));
            column.number = own;
            formulas.extend(declared.into_iter().map(|f| (i, f)));
        }
    }
    let groups = groups(&columns);
    inherit_units(&mut columns, &groups, &formulas);
    Some(Header {
        first,
        last,
        numbers_row,
        unit_col,
        stt_col,
        columns,
        groups,
        formulas,
    })
}

/// A column without a unit of its own takes the unit of the column it is a
/// part of (a group's whole, a sum's head): "Nam", "Nữ" under "Tổng số (người)".
fn inherit_units(columns: &mut [Column], groups: &[Group], formulas: &[(usize, Formula)]) {
    let mut parts: Vec<(usize, usize)> = Vec::new();
    for g in groups {
        if let (Some(whole), GroupKind::Split | GroupKind::Within) = (g.whole, g.kind) {
            parts.extend(g.members.iter().map(|&m| (whole, m)));
        }
    }
    for (head, f) in formulas {
        if let Formula::Sum(terms) = f {
            for (_, n) in terms {
                if let Some(m) = columns.iter().position(|c| c.number == Some(*n)) {
                    parts.push((*head, m));
                }
            }
        }
    }
    for (whole, part) in parts {
        let Some(unit) = columns.get(whole).and_then(|c| c.unit.clone()) else {
            continue;
        };
        if let Some(c) = columns.get_mut(part).filter(|c| c.unit.is_none()) {
            c.kind = kind_of(Some(&unit), &c.name);
            c.unit = Some(unit);
        }
    }
}

/// Adjacent columns whose paths share a first text, with more below it.
fn groups(columns: &[Column]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    let mut i = 0;
    while i < columns.len() {
        let Some(head) = columns.get(i).filter(|c| c.path.len() >= 2) else {
            i += 1;
            continue;
        };
        let title = head.path[0].clone();
        let members: Vec<usize> = (i..columns.len())
            .take_while(|&j| {
                columns
                    .get(j)
                    .is_some_and(|c| c.path.len() >= 2 && c.path[0] == title)
            })
            .collect();
        let f = fold(&title);
        let kind = if f.starts_with("chiatheo") || f.starts_with("phantheo") {
            GroupKind::Split
        } else if f.starts_with("trongdo") {
            GroupKind::Within
        } else {
            GroupKind::Plain
        };
        let whole = (0..i)
            .rev()
            .find(|&j| columns.get(j).is_some_and(|c| c.path.len() == 1));
        i += members.len().max(1);
        if members.len() >= 2 {
            out.push(Group {
                title,
                members,
                whole,
                kind,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_declare_formulas() {
        assert_eq!(parse_label("A"), (None, vec![]));
        assert_eq!(parse_label("2"), (Some(2), vec![]));
        assert_eq!(
            parse_label("1=2+3=4+5+6"),
            (
                Some(1),
                vec![
                    Formula::Sum(vec![(1, 2), (1, 3)]),
                    Formula::Sum(vec![(1, 4), (1, 5), (1, 6)])
                ]
            )
        );
        assert_eq!(
            parse_label("(4) = (2) - (3)"),
            (Some(4), vec![Formula::Sum(vec![(1, 2), (-1, 3)])])
        );
        assert_eq!(
            parse_label("(6)=(4)/(3)x100"),
            (
                Some(6),
                vec![Formula::Ratio {
                    num: 4,
                    den: 3,
                    scale: 100.0
                }]
            )
        );
    }

    #[test]
    fn units_and_kinds_come_from_the_header() {
        assert_eq!(
            unit_in("Tổng số cán bộ, công chức (người)").as_deref(),
            Some("người")
        );
        assert_eq!(unit_in("Tỷ lệ (%)").as_deref(), Some("%"));
        assert_eq!(unit_in("ĐVT: người").as_deref(), Some("người"));
        assert_eq!(unit_in("Năm (2020)"), None);
        assert_eq!(without_unit("Tổng số (người)"), "Tổng số");
        assert_eq!(kind_of(Some("%"), "x"), ValueKind::Percent);
        assert_eq!(kind_of(Some("người"), "x"), ValueKind::Count);
        assert_eq!(kind_of(None, "Tỷ lệ nữ"), ValueKind::Percent);
        assert!(is_unit_header("Tên đơn vị") && is_unit_header("Cơ quan, đơn vị"));
        assert!(!is_unit_header("Đơn vị tính") && !is_unit_header("ĐVT"));
    }
}
