//! A catalogue written from a checked biểu, to edit and reuse: its columns
//! become indicators (with names, units and kinds), its declared formulas and
//! groups become rules, and a mapping ties the table's header to the new
//! codes, so the same table dropped with this catalogue is read by them.

use super::mapping::Mapping;
use super::{Catalog, FORMAT};
use crate::fold::fold_words;
use crate::model::{TableHeader, TableRule};
use std::collections::BTreeMap;

/// A code from a column's name: "Chia theo giới tính › Nữ" → "CHIA_THEO_GIOI_TINH_NU".
fn code_from(name: &str) -> String {
    let words: Vec<String> = fold_words(name)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect();
    let code = words.join("_");
    let code: String = code.chars().take(48).collect();
    let code = code.trim_end_matches('_').to_string();
    if code.is_empty() || code.starts_with(|c: char| c.is_ascii_digit()) {
        format!("COT_{code}")
    } else {
        code
    }
}

fn quoted(text: &str) -> String {
    super::mapping::toml_string(text)
}

fn kind_name(kind: super::Kind) -> &'static str {
    use super::Kind;
    match kind {
        Kind::Count => "count",
        Kind::Percent => "percent",
        Kind::Rank => "rank",
        Kind::Score => "score",
        Kind::Money => "money",
        Kind::Text => "text",
    }
}

/// The catalogue TOML for `table`, named `name`. Columns already read as a
/// code of `existing` keep that code and its definition.
pub fn catalog_from_table(table: &TableHeader, name: &str, existing: &Catalog) -> String {
    let mut out = format!(
        "format = \"{FORMAT}\"\nname = {}\n\n# Viết từ biểu; sửa tên, mã, đơn vị và quy tắc nếu cần.\n",
        quoted(name)
    );
    // Each column's code: its mapped one, or one made from its name (unique).
    let mut codes: Vec<String> = Vec::new();
    for (i, column) in table.columns.iter().enumerate() {
        let mapped = table.codes.get(i).filter(|c| !c.is_empty()).cloned();
        let mut code = mapped.unwrap_or_else(|| code_from(column));
        let base = code.clone();
        let mut n = 2;
        while codes.contains(&code) {
            code = format!("{base}_{n}");
            n += 1;
        }
        codes.push(code);
    }
    let kept = |i: usize| !table.left_out.get(i).copied().unwrap_or(false);
    for (i, column) in table.columns.iter().enumerate() {
        let (Some(code), true) = (codes.get(i), kept(i)) else {
            continue;
        };
        // A column read as a code of the current catalogue keeps its definition.
        let (name, unit, kind) = match existing.get(code) {
            Some(ind) => (ind.name.as_str(), ind.unit.as_str(), kind_name(ind.kind)),
            None => {
                let unit = table.units.get(i).map_or("", String::as_str);
                let kind = match table.kinds.get(i).map(String::as_str) {
                    Some("count") => "count",
                    Some("percent") => "percent",
                    _ if unit.contains("đồng") => "money",
                    _ => "score",
                };
                (column.as_str(), unit, kind)
            }
        };
        out += &format!(
            "\n[[indicator]]\ncode = {}\nname = {}\nunit = {}\nkind = \"{kind}\"\n",
            quoted(code),
            quoted(name),
            quoted(unit)
        );
    }
    let code = |i: usize| codes.get(i).filter(|_| kept(i)).cloned();
    for (n, rule) in table.rules.iter().enumerate() {
        let id = format!("BIEU_{}", n + 1);
        let text = match rule {
            TableRule::Sum { head, parts } if parts.iter().all(|(s, _)| *s > 0) => {
                let (Some(total), Some(parts)) = (
                    code(*head),
                    parts
                        .iter()
                        .map(|(_, p)| code(*p))
                        .collect::<Option<Vec<_>>>(),
                ) else {
                    continue;
                };
                let parts: Vec<String> = parts.iter().map(|p| quoted(p)).collect();
                format!(
                    "kind = \"sum\"\ntotal = {}\nparts = [{}]\n",
                    quoted(&total),
                    parts.join(", ")
                )
            }
            TableRule::Sum { head, parts } => match parts.as_slice() {
                [(1, a), (-1, b)] => {
                    let (Some(r), Some(a), Some(b)) = (code(*head), code(*a), code(*b)) else {
                        continue;
                    };
                    format!(
                        "kind = \"difference\"\nresult = {}\nminuend = {}\nsubtrahend = {}\n",
                        quoted(&r),
                        quoted(&a),
                        quoted(&b)
                    )
                }
                _ => continue,
            },
            TableRule::Within { head, parts } => {
                let (Some(whole), Some(parts)) = (
                    code(*head),
                    parts.iter().map(|p| code(*p)).collect::<Option<Vec<_>>>(),
                ) else {
                    continue;
                };
                format!(
                    "kind = \"expression\"\nleft = {}\nop = \"<=\"\nright = {}\n",
                    quoted(&parts.join(" + ")),
                    quoted(&whole)
                )
            }
        };
        out += &format!("\n[[rule]]\nid = \"{id}\"\n{text}");
    }
    let mapping = Mapping {
        header: table.columns.clone(),
        columns: table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), code(i).unwrap_or_default()))
            .collect::<BTreeMap<_, _>>(),
        period: None,
        unit: None,
    };
    out.push('\n');
    out += &mapping.to_toml();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_come_from_names() {
        assert_eq!(
            code_from("Chia theo giới tính › Nữ"),
            "CHIA_THEO_GIOI_TINH_NU"
        );
        assert_eq!(
            code_from("Tổng số cán bộ, công chức"),
            "TONG_SO_CAN_BO_CONG_CHUC"
        );
        assert_eq!(code_from("1"), "COT_1");
        assert_eq!(quoted("a \"b\""), "\"a \\\"b\\\"\"");
    }
}
