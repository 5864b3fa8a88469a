//! The rows under a biểu's header: units, section rows that group them (and
//! their subtotals), total rows, and the notes and signatures that end the
//! table.

use super::super::cells::SheetCell;
use super::super::number::{read_number, NumberReading};
use super::header::Header;
use crate::fold::fold;

/// What a row of the table is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// "Tổng cộng", "Tổng số", "Cộng", "Toàn tỉnh".
    Total,
    /// A unit, or a heading over units ("I. Khối tỉnh"); `level` is how deep
    /// its STT sits (I = 0, 1 = 1, 1.1 or a = 2).
    Unit { level: u8 },
}

/// A figure the table holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub value: f64,
    pub raw: crate::model::CellText,
    /// Two readings ("1.957"): the other one, not taken.
    pub other: Option<f64>,
}

/// One row of the table's body.
#[derive(Clone, Debug, PartialEq)]
pub struct BodyRow {
    /// Index into the sheet's rows, and the sheet row (0-based).
    pub index: usize,
    pub row: u32,
    pub kind: RowKind,
    /// The unit's name as written ("Huyện Yên Dũng", "I. Khối tỉnh").
    pub label: String,
    /// Its STT as written ("1", "II", "a"), "" when none.
    pub stt: String,
    /// Per column of the header, the figure (if the cell holds one).
    pub figures: Vec<Option<Figure>>,
    /// Cells that hold text where a figure belongs: (column index, text).
    pub unreadable: Vec<(usize, String)>,
    /// Indexes into the body of the rows this one sums (its children).
    pub children: Vec<usize>,
}

fn text(cells: &[SheetCell], col: u32) -> &str {
    cells.get(col as usize).map_or("", |c| c.text.trim())
}

/// Whether `t` names a total row.
pub fn is_total(t: &str) -> bool {
    let f = fold(t);
    f.starts_with("tongcong")
        || matches!(f.as_str(), "tongso" | "cong" | "tong")
        || [
            "toantinh",
            "toanhuyen",
            "toanthanhpho",
            "toanquoc",
            "toanxa",
            "toannganh",
        ]
        .iter()
        .any(|p| f.starts_with(p))
}

/// Whether a row under the table starts its notes or signatures.
fn ends_table(t: &str) -> bool {
    let f = fold(t);
    [
        "ghichu",
        "nguoilap",
        "thutruong",
        "nguon",
        "luuy",
        "kyten",
        "giamdoc",
        "chutich",
        "noinhan",
        "xacnhan",
        "ketoan",
        "truongphong",
        "tm",
        "kt",
    ]
    .iter()
    .any(|p| f.starts_with(p))
        || t.starts_with('*')
        || (f.contains("ngay") && f.contains("thang") && f.contains("nam"))
}

fn roman(t: &str) -> bool {
    !t.is_empty() && t.len() <= 5 && t.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}

/// The level of an STT: I, II / A, B → 0; 1, 2 → 1; 1.1, a, b → 2.
fn stt_level(stt: &str, label: &str) -> u8 {
    let stt = stt.trim().trim_end_matches(['.', ')']);
    if roman(stt) || (stt.len() == 1 && stt.chars().all(|c| c.is_ascii_uppercase())) {
        return 0;
    }
    if stt.contains('.') || (stt.len() == 1 && stt.chars().all(|c| c.is_ascii_lowercase())) {
        return 2;
    }
    if !stt.is_empty() {
        return 1;
    }
    // No STT column: a label that opens with a Roman numeral is a section.
    let head = label.split(['.', ')', ' ']).next().unwrap_or("");
    if roman(head) && label.len() > head.len() {
        0
    } else {
        1
    }
}

/// Empty marks a biểu writes for "none": "-", "x", "…".
fn is_blank_mark(t: &str) -> bool {
    matches!(t, "" | "-" | "–" | "x" | "X" | "…" | "..." | "_")
}

fn figure(cell: Option<&SheetCell>) -> Result<Option<Figure>, String> {
    let Some(cell) = cell else {
        return Ok(None);
    };
    let raw = cell.text.trim();
    if let Some(n) = cell.number {
        return Ok(Some(Figure {
            value: n,
            raw: raw.into(),
            other: None,
        }));
    }
    if is_blank_mark(raw) {
        return Ok(None);
    }
    match read_number(raw) {
        NumberReading::Exact(v) => Ok(Some(Figure {
            value: v,
            raw: raw.into(),
            other: None,
        })),
        // Offices write "1.957" for a thousand and more: taken as grouped,
        // the other reading kept for a warning.
        NumberReading::Ambiguous { grouped, decimal } => Ok(Some(Figure {
            value: grouped,
            raw: raw.into(),
            other: Some(decimal),
        })),
        NumberReading::Invalid => Err(raw.to_string()),
    }
}

/// Reads the rows under the header until the notes and signatures.
pub fn read(rows: &[(u32, Vec<SheetCell>)], header: &Header) -> Vec<BodyRow> {
    let start = header.numbers_row.unwrap_or(header.last) + 1;
    let mut body: Vec<BodyRow> = Vec::new();
    for (index, (row, cells)) in rows.iter().enumerate().skip(start) {
        let label = text(cells, header.unit_col);
        let stt = header.stt_col.map_or("", |c| text(cells, c));
        let mut figures = Vec::with_capacity(header.columns.len());
        let mut unreadable = Vec::new();
        for (i, column) in header.columns.iter().enumerate() {
            match figure(cells.get(column.col as usize)) {
                Ok(f) => figures.push(f),
                Err(raw) => {
                    figures.push(None);
                    unreadable.push((i, raw));
                }
            }
        }
        let has_figures = figures.iter().any(Option::is_some);
        let first_text = cells
            .iter()
            .map(|c| c.text.trim())
            .find(|t| !t.is_empty())
            .unwrap_or("");
        if first_text.is_empty() {
            continue;
        }
        // Notes and signatures end the table: text without figures that
        // reads as a note, or any row without figures, STT or unit after them.
        if !has_figures && (ends_table(first_text) || (label.is_empty() && stt.is_empty())) {
            break;
        }
        let total_text = if label.is_empty() { stt } else { label };
        let kind = if is_total(total_text) || is_total(first_text) {
            RowKind::Total
        } else if label.is_empty() && !has_figures {
            break;
        } else {
            RowKind::Unit {
                level: stt_level(stt, label),
            }
        };
        let label = if label.is_empty() { first_text } else { label };
        body.push(BodyRow {
            index,
            row: *row,
            kind,
            label: label.to_string(),
            stt: stt.to_string(),
            figures,
            unreadable,
            children: Vec::new(),
        });
    }
    link_children(&mut body);
    body
}

/// Gives each heading row the rows under it one level deeper, up to the next
/// row at its level or above.
fn link_children(body: &mut [BodyRow]) {
    let levels: Vec<Option<u8>> = body
        .iter()
        .map(|r| match r.kind {
            RowKind::Unit { level } => Some(level),
            RowKind::Total => None,
        })
        .collect();
    for i in 0..body.len() {
        let Some(Some(level)) = levels.get(i).copied() else {
            continue;
        };
        let under: Vec<usize> = (i + 1..body.len())
            .take_while(|&j| levels.get(j).copied().flatten().is_some_and(|l| l > level))
            .collect();
        // Its children are the shallowest rows under it.
        let Some(depth) = under
            .iter()
            .filter_map(|&j| levels.get(j).copied().flatten())
            .min()
        else {
            continue;
        };
        let children = under
            .into_iter()
            .filter(|&j| levels.get(j).copied().flatten() == Some(depth))
            .collect();
        if let Some(r) = body.get_mut(i) {
            r.children = children;
        }
    }
}

/// The rows of units that nothing else breaks down: what a total adds up.
pub fn leaves(body: &[BodyRow]) -> impl Iterator<Item = &BodyRow> {
    body.iter()
        .filter(|r| matches!(r.kind, RowKind::Unit { .. }) && r.children.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_and_endings_are_recognised() {
        for t in [
            "Tổng cộng",
            "TỔNG SỐ",
            "Cộng",
            "Toàn tỉnh",
            "Tổng cộng toàn tỉnh",
        ] {
            assert!(is_total(t), "{t}");
        }
        for t in ["Huyện Yên Dũng", "Tổng cục Thống kê", "Cộng đồng"] {
            assert!(!is_total(t), "{t}");
        }
        for t in [
            "Ghi chú: số liệu …",
            "NGƯỜI LẬP BIỂU",
            "Thủ trưởng đơn vị",
            "Bắc Giang, ngày 05 tháng 7 năm 2021",
        ] {
            assert!(ends_table(t), "{t}");
        }
        assert!(!ends_table("Huyện Lục Ngạn"));
    }

    #[test]
    fn stt_levels() {
        assert_eq!(stt_level("I", ""), 0);
        assert_eq!(stt_level("II.", ""), 0);
        assert_eq!(stt_level("A", ""), 0);
        assert_eq!(stt_level("3", ""), 1);
        assert_eq!(stt_level("1.2", ""), 2);
        assert_eq!(stt_level("a", ""), 2);
        assert_eq!(stt_level("", "II. Khối huyện"), 0);
        assert_eq!(stt_level("", "Huyện Yên Dũng"), 1);
    }
}
