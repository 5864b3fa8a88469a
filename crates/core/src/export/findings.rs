//! The list of findings as rows, and as CSV safe to open in a spreadsheet: a cell that a
//! spreadsheet would run as a formula is prefixed with an apostrophe.

use crate::catalog::Catalog;
use crate::model::{Dataset, Finding, Lang, Severity};

/// Neutralises text that Excel or LibreOffice would take as a formula.
pub fn safe_cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// The column titles of the findings table, CSV and XLSX alike.
pub fn header(lang: Lang) -> [&'static str; 9] {
    match lang {
        Lang::Vi => [
            "Mức độ",
            "Quy tắc",
            "Tệp",
            "Trang tính",
            "Dòng",
            "Cột",
            "Ô gốc",
            "Nội dung",
            "Các ô liên quan",
        ],
        Lang::En => [
            "Severity",
            "Rule",
            "File",
            "Sheet",
            "Row",
            "Column",
            "Cell text",
            "Message",
            "Involved cells",
        ],
    }
}

/// "Lỗi", "Cảnh báo", "Thông tin" (or in English).
fn severity_word(s: Severity, lang: Lang) -> &'static str {
    match (s, lang) {
        (Severity::Error, Lang::Vi) => "Lỗi",
        (Severity::Warning, Lang::Vi) => "Cảnh báo",
        (Severity::Info, Lang::Vi) => "Thông tin",
        (Severity::Error, Lang::En) => "Error",
        (Severity::Warning, Lang::En) => "Warning",
        (Severity::Info, Lang::En) => "Info",
    }
}

/// The cells a row lists of one finding.
const MAX_INVOLVED: usize = 1_000;

/// One finding as the cells of a row under [`header`]: the severity in
/// words, the rule by its name with its id after it; the row number
/// (column 4) is empty when the finding has no cell.
pub fn row(f: &Finding, dataset: &Dataset, catalog: &Catalog, lang: Lang) -> [String; 9] {
    let primary = f.cells.first().map(|c| dataset.describe(c));
    let file = dataset.file_name(f).to_string();
    // A finding may name hundreds of thousands of cells (a figure given
    // in every row); a spreadsheet cell shows the first thousand.
    let mut involved: Vec<String> = (f.cells.iter().take(MAX_INVOLVED))
        .map(|c| {
            let p = dataset.describe(c);
            format!("{}!{}{}", p.file, p.column, p.row)
        })
        .collect();
    if let Some(more) = f.cells.len().checked_sub(MAX_INVOLVED).filter(|&k| k > 0) {
        involved.push(match lang {
            Lang::Vi => format!("… và {} ô nữa", crate::vn::format_number(more as f64, 0)),
            Lang::En => format!("… and {more} more cells"),
        });
    }
    [
        severity_word(f.severity, lang).to_string(),
        format!(
            "{} ({})",
            crate::rule_names::rule_name(&f.rule, catalog, lang),
            f.rule
        ),
        file,
        primary
            .as_ref()
            .and_then(|p| p.sheet.clone())
            .unwrap_or_default(),
        primary
            .as_ref()
            .map(|p| p.row.to_string())
            .unwrap_or_default(),
        primary
            .as_ref()
            .map(|p| p.column.clone())
            .unwrap_or_default(),
        f.raw.clone().unwrap_or_default(),
        f.message(lang).to_string(),
        involved.join("; "),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("+1"), "'+1");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("1.957"), "1.957");
    }
}
