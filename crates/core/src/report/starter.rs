//! A starter template written from the data, for data that no template
//! fits: the user's ND30 header, a title from the first table's title, one
//! section per biểu holding the table and a sentence per total ("Tổng số
//! cán bộ, công chức là 1.957 người, trong đó nữ 745 người (38,1%)"), a
//! section of the agency's own figures by period, and the signature block.
//! Every figure in it is an expression, so the user edits a template, not a
//! copy of today's numbers.

use super::data::{ReportData, TableData};
use super::document::Header;
use super::tables::period_heading;
use crate::catalog::mapping::toml_string;
use crate::model::{Period, TableRowKind, TableRule};
use std::fmt::Write;

/// Indicators listed in the table of the agency's own figures.
const MAX_INDICATORS: usize = 60;
/// Rows of a biểu printed whole in the starter; a longer one is summed up.
const MAX_UNITS_PRINTED: usize = 150;
/// Sentences written per table.
const MAX_SENTENCES: usize = 12;

/// A Jinja string literal; control characters become spaces.
fn jinja_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for Markdown: characters that would open markup or an expression
/// are escaped, and it stays on one line.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '#' | '[' | ']' | '<' | '>' | '|' | '`' | '{' | '}' | '%' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// "SỐ LƯỢNG CÁN BỘ NĂM 2020" → "Số lượng cán bộ năm 2020".
fn sentence_case(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A header text without its unit: "Tổng số cán bộ (người)" → "Tổng số cán bộ".
fn without_unit(text: &str) -> &str {
    match text.rfind('(') {
        Some(i) if text.trim_end().ends_with(')') && i > 0 => text[..i].trim_end(),
        _ => text.trim(),
    }
}

fn roman(n: usize) -> &'static str {
    const R: [&str; 12] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    R.get(n).copied().unwrap_or("")
}

fn front_matter(header: &Header, subtitle: &str) -> String {
    let mut out = String::from("+++\n");
    let field = |out: &mut String, name: &str, value: &str| {
        let _ = writeln!(out, "{name} = {}", toml_string(value));
    };
    field(&mut out, "parent_agency", &header.parent_agency);
    field(&mut out, "agency", &header.agency);
    field(&mut out, "number", &header.number);
    field(&mut out, "place", &header.place);
    if let Some(d) = header.day {
        let _ = writeln!(out, "day = {d}");
    }
    if let Some(m) = header.month {
        let _ = writeln!(out, "month = {m}");
    }
    let _ = writeln!(out, "year = {}", header.year);
    field(&mut out, "title", "BÁO CÁO");
    field(&mut out, "subtitle", subtitle);
    field(&mut out, "signer_authority", &header.signer_authority);
    field(&mut out, "signer_title", &header.signer_title);
    field(&mut out, "signer_name", &header.signer_name);
    out.push_str("charts_appendix = false\nrecipients = [\n");
    for r in &header.recipients {
        let _ = writeln!(out, "  {},", toml_string(r));
    }
    out.push_str("]\n+++\n");
    out
}

/// The sentences a biểu's total row gives: each whole with its parts and
/// their shares, then the other columns.
fn table_sentences(n: usize, t: &TableData) -> Vec<String> {
    let h = &t.header;
    if !h.rows.iter().any(|r| r.kind == TableRowKind::Total) {
        return Vec::new();
    }
    let cite = |i: usize| {
        format!(
            "{{{{ so_bieu({n}, \"tong\", {}) }}}}",
            jinja_string(&h.columns[i])
        )
    };
    let unit = |i: usize| match h.units.get(i).map(String::as_str) {
        Some(u) if !u.is_empty() && u != "%" => format!(" {}", markdown_text(u)),
        Some("%") => "%".to_string(),
        _ => String::new(),
    };
    let name = |i: usize| {
        let path = h.paths.get(i).filter(|p| !p.is_empty());
        let last = path.and_then(|p| p.last()).unwrap_or(&h.columns[i]);
        markdown_text(without_unit(last))
    };
    let mut used = vec![false; h.columns.len()];
    let mut out = Vec::new();
    for rule in &h.rules {
        let (head, parts): (usize, Vec<usize>) = match rule {
            TableRule::Sum { head, parts } => (
                *head,
                parts
                    .iter()
                    .filter(|(s, _)| *s > 0)
                    .map(|(_, p)| *p)
                    .collect(),
            ),
            TableRule::Within { head, parts } => (*head, parts.clone()),
        };
        if head >= h.columns.len() || used[head] || parts.iter().any(|&p| p >= h.columns.len()) {
            continue;
        }
        let listed: Vec<String> = parts
            .iter()
            .map(|&p| {
                format!(
                    "{} {}{} ({{{{ ty_le_bieu({n}, \"tong\", {}, {}) }}}})",
                    lowercase_first(&name(p)),
                    cite(p),
                    unit(p),
                    jinja_string(&h.columns[p]),
                    jinja_string(&h.columns[head])
                )
            })
            .collect();
        out.push(format!(
            "{} là {}{}, trong đó {}.",
            name(head),
            cite(head),
            unit(head),
            listed.join(", ")
        ));
        used[head] = true;
        for p in parts {
            used[p] = true;
        }
    }
    // The other columns, a sentence per group of them.
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for i in (0..h.columns.len()).filter(|&i| !used[i] && h.left_out.get(i) != Some(&true)) {
        let path = h.paths.get(i).cloned().unwrap_or_default();
        let group = if path.len() > 1 {
            markdown_text(without_unit(&path[0]))
        } else {
            name(i)
        };
        let item = if path.len() > 1 {
            format!("{} {}{}", lowercase_first(&name(i)), cite(i), unit(i))
        } else {
            format!("{}{}", cite(i), unit(i))
        };
        match groups.last_mut() {
            Some((g, items)) if *g == group && path.len() > 1 => items.push(item),
            _ => groups.push((group, vec![item])),
        }
    }
    for (group, items) in groups {
        out.push(format!("{group}: {}.", items.join("; ")));
    }
    out.truncate(MAX_SENTENCES);
    out
}

/// The starter template for `data`, keeping the user's `header`.
pub fn starter_template(data: &ReportData, header: &Header) -> String {
    let tables = data.tables();
    let subtitle = tables
        .iter()
        .map(|t| t.header.title.as_str())
        .find(|t| !t.is_empty())
        .map(sentence_case)
        .unwrap_or_else(|| "Tình hình số liệu".to_string());
    let mut out = front_matter(header, &subtitle);
    out.push_str("Căn cứ số liệu tổng hợp, xin báo cáo như sau:\n\n");
    let mut section = 0;
    for (i, t) in tables.iter().enumerate() {
        let n = i + 1;
        let heading = if t.header.title.is_empty() {
            format!("Số liệu {}", t.file)
        } else {
            sentence_case(&t.header.title)
        };
        let _ = writeln!(
            out,
            "# {}. {}\n",
            roman(section),
            markdown_text(&heading.to_uppercase())
        );
        section += 1;
        for s in table_sentences(n, t) {
            let _ = writeln!(out, "{s}\n");
        }
        // A biểu of many units is summed up in the report: its sections
        // and total; every unit stays in the file itself.
        if t.header.units() as usize > MAX_UNITS_PRINTED {
            let _ = writeln!(out, "{{{{ bang({n}, tong_hop=true) }}}}\n");
        } else {
            let _ = writeln!(out, "{{{{ bang({n}) }}}}\n");
        }
    }
    let codes = agency_codes(data);
    if !codes.is_empty() {
        let _ = writeln!(out, "# {}. CÁC CHỈ TIÊU CHỦ YẾU\n", roman(section));
        let quoted: Vec<String> = codes.iter().map(|c| jinja_string(c)).collect();
        let periods = latest_periods(data, &codes);
        // The latest period whose sums the data hold whole.
        let sums = periods
            .iter()
            .rev()
            .map(|p| sums_to_state(data, &codes, Some(*p)))
            .find(|s| !s.is_empty())
            .unwrap_or_default();
        for (code, p) in sums {
            let name = markdown_text(data.name_of(&code).unwrap_or(&code));
            let _ = writeln!(
                out,
                "{name} {} là {{{{ so({}, {}) }}}}, gồm: {{{{ cac_phan({}, {}) }}}}.\n",
                lowercase_first(&period_heading(p)),
                jinja_string(&code),
                jinja_string(&p.to_string()),
                jinja_string(&code),
                jinja_string(&p.to_string())
            );
        }
        let ky: Vec<String> = periods
            .iter()
            .map(|p| jinja_string(&p.to_string()))
            .collect();
        let _ = writeln!(
            out,
            "{{{{ bang(chi_tieu=[{}], ky=[{}]) }}}}\n",
            quoted.join(", "),
            ky.join(", ")
        );
    }
    if tables.is_empty() && codes.is_empty() {
        let charts = data.charts();
        if charts.is_empty() {
            out.push_str("Chưa có số liệu: hãy thả tệp số liệu vào trang.\n");
        } else {
            // Figures of units alone (no biểu, none of the agency's own):
            // the charts of the units, one per indicator.
            let _ = writeln!(out, "# {}. SỐ LIỆU CỦA CÁC ĐƠN VỊ\n", roman(section));
            for chart in charts {
                let _ = writeln!(out, "{{{{ bieu_do({}) }}}}\n", jinja_string(&chart.id));
            }
        }
    }
    out
}

/// The agency's own indicators, in the order the catalogue lists them.
fn agency_codes(data: &ReportData) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for (code, _) in data.agency_figures() {
        // Biểu columns read under their own names are cited through the biểu.
        if data.name_of(&code).is_some() && !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes.truncate(MAX_INDICATORS);
    codes
}

/// At most the six latest periods the indicators have figures for.
fn latest_periods(data: &ReportData, codes: &[String]) -> Vec<Period> {
    let mut all: Vec<Period> = data
        .agency_figures()
        .into_iter()
        .filter(|(c, _)| codes.contains(c))
        .map(|(_, p)| p)
        .collect();
    all.sort();
    all.dedup();
    let skip = all.len().saturating_sub(6);
    all.split_off(skip)
}

/// The catalogue's sums whose total and every part the data hold for `period`.
fn sums_to_state(
    data: &ReportData,
    codes: &[String],
    period: Option<Period>,
) -> Vec<(String, Period)> {
    let Some(p) = period else { return Vec::new() };
    let have = |c: &str| data.has_figure(c, p);
    let mut out: Vec<(String, Period)> = data
        .sums()
        .filter(|(total, parts)| {
            codes.contains(total) && have(total) && parts.iter().all(|x| have(x))
        })
        .map(|(total, _)| (total.clone(), p))
        .collect();
    out.sort();
    out.truncate(MAX_SENTENCES);
    out
}
