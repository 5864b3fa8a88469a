//! What each rule is called where a person reads it (group headings, the
//! rule filter): the page's own checks by name here, a catalogue's rules by
//! their message. The id stays in data attributes and small print for tools.

use crate::catalog::Catalog;
use crate::model::Lang;

/// The name of one of the page's own rules, in Vietnamese and English.
fn builtin(id: &str) -> Option<(&'static str, &'static str)> {
    Some(match id {
        "read.unreadable-value" => ("Số không đọc được", "Unreadable number"),
        "read.ambiguous-number" => ("Số có hai cách hiểu", "Number with two readings"),
        "read.unknown-indicator" => (
            "Chỉ tiêu không có trong danh mục",
            "Indicator not in the catalogue",
        ),
        "read.missing-indicator" => ("Dòng thiếu chỉ tiêu", "Row without an indicator"),
        "read.unreadable-period" => ("Kỳ không đọc được", "Unreadable period"),
        "read.empty-value" => ("Ô số liệu để trống", "Empty figure"),
        "read.unknown-shape" => ("Không nhận ra cấu trúc bảng", "Table shape not recognised"),
        "read.no-data" => ("Tệp không có số liệu", "No figures in the file"),
        "read.empty-file" => ("Tệp rỗng", "Empty file"),
        "read.binary" => ("Tệp không phải bảng số liệu", "Not a data file"),
        "read.encoding" => ("Bảng mã chữ", "Text encoding"),
        "read.unclosed-quote" => ("Dấu ngoặc kép chưa đóng", "Unclosed quote"),
        "read.malformed" | "read.failed" | "read.refused" | "read.unsupported" => {
            ("Tệp không đọc được", "File could not be read")
        }
        "read.too-large"
        | "read.too-many-rows"
        | "read.too-many-columns"
        | "read.too-many-cells"
        | "read.too-many-figures"
        | "read.workspace-full" => ("Vượt giới hạn của trang", "Past the page's limits"),
        "read.outside-limits" => ("Ô nằm ngoài bảng", "Cell far outside the table"),
        "read.held-back" => ("Tệp chưa đọc", "File not read"),
        "read.kept-earlier" => ("Giữ bản trước của tệp", "Earlier version kept"),
        "kept-value" => ("Giá trị đã chọn giữ", "Value kept"),
        "value.range" => ("Giá trị ngoài khoảng cho phép", "Value out of range"),
        "value.count" => (
            "Số đếm phải là số nguyên không âm",
            "Counts are whole and not negative",
        ),
        "value.percent" => (
            "Tỷ lệ phải từ 0 đến 100",
            "Percentages lie between 0 and 100",
        ),
        "value.rank" => ("Thứ hạng không hợp lệ", "Invalid rank"),
        "conflict" => ("Một số liệu có hai giá trị", "One figure, two values"),
        "check.missing-period" => ("Thiếu kỳ số liệu", "Missing period"),
        "check.jump" => (
            "Thay đổi bất thường giữa hai năm",
            "Unusual change between years",
        ),
        "report.missing-figure" => ("Báo cáo thiếu số liệu", "Figure missing from the report"),
        "bieu.total" => ("Dòng tổng không khớp", "Total row does not add up"),
        "bieu.subtotal" => (
            "Dòng cộng của nhóm không khớp",
            "Section subtotal does not add up",
        ),
        "bieu.formula" => (
            "Công thức của biểu không đúng",
            "Column formula does not hold",
        ),
        "bieu.split" => ("Các cột chia không cộng bằng tổng", "Split does not add up"),
        "bieu.within" => ("Cột «trong đó» vượt tổng", "Part exceeds its total"),
        "bieu.count" => (
            "Số đếm phải là số nguyên không âm",
            "Counts are whole and not negative",
        ),
        "bieu.percent" => (
            "Tỷ lệ phải từ 0 đến 100",
            "Percentages lie between 0 and 100",
        ),
        "bieu.period" => ("Kỳ của biểu", "The table's period"),
        "bieu.no-period" => ("Biểu chưa có kỳ", "The table has no period"),
        _ => return None,
    })
}

/// What a person reads for rule `id`: the page's own name for it, the
/// catalogue rule's message, or the id itself when there is neither.
pub fn rule_name(id: &str, catalog: &Catalog, lang: Lang) -> String {
    if let Some((vi, en)) = builtin(id) {
        return if lang == Lang::Vi { vi } else { en }.to_string();
    }
    match catalog.rules.iter().find(|r| r.id == id) {
        Some(r) if lang == Lang::En && !r.message_en.is_empty() => r.message_en.clone(),
        Some(r) if !r.message.is_empty() => r.message.clone(),
        _ => id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_as_names_and_unknown_ids_as_themselves() {
        let catalog = Catalog::builtin();
        assert_eq!(
            rule_name("conflict", &catalog, Lang::Vi),
            "Một số liệu có hai giá trị"
        );
        assert_eq!(
            rule_name("conflict", &catalog, Lang::En),
            "One figure, two values"
        );
        assert!(
            rule_name("CBCC_XA_TONG", &catalog, Lang::Vi).starts_with("Cán bộ, công chức cấp xã")
        );
        assert_eq!(rule_name("KHONG_CO", &catalog, Lang::Vi), "KHONG_CO");
    }
}
