//! What the columns of a biểu are, as the user said: a `[[mapping]]` of the
//! catalogue names a header (the table's columns as read, in order) and, per
//! column, the catalogue indicator it holds or "" to leave it out, and may
//! set the table's period. A later file with the same header takes the same
//! mapping. An `[[alias]]` reads another spelling of a code as that code.
//! Mappings and aliases the page writes go after [`MARKER`] at the end of
//! the catalogue's text, so the text stays the one source: saved, exported
//! and re-read with the workspace and the catalogue alike.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The line after which the page keeps the mappings it writes.
pub const MARKER: &str = "# ---- Ánh xạ cột biểu (trang baocao ghi, có thể sửa) ----";

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The table's column names as read, in order.
    pub header: Vec<String>,
    /// Column name → indicator code; "" leaves the column out.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// The table's period ("2020", "Quý I/2026"), over what its title says.
    #[serde(default)]
    pub period: Option<String>,
    /// The header of the column that holds the units' names, for a table
    /// the page did not understand by itself.
    #[serde(default)]
    pub unit: Option<String>,
}

/// Another spelling of an indicator's code: `text` in a file is read as
/// `code`. The page writes one when the user accepts "did you mean".
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Alias {
    pub text: String,
    pub code: String,
}

impl Alias {
    pub fn to_toml(&self) -> String {
        format!(
            "[[alias]]\ntext = {}\ncode = {}\n",
            toml_string(&self.text),
            toml_string(&self.code)
        )
    }
}

/// Writes `text` as a TOML basic string.
pub(crate) fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Mapping {
    /// The mapping as a `[[mapping]]` table.
    pub fn to_toml(&self) -> String {
        let header: Vec<String> = self.header.iter().map(|h| toml_string(h)).collect();
        let mut out = format!("[[mapping]]\nheader = [{}]\n", header.join(", "));
        if let Some(p) = &self.period {
            out += &format!("period = {}\n", toml_string(p));
        }
        if let Some(u) = &self.unit {
            out += &format!("unit = {}\n", toml_string(u));
        }
        out += "[mapping.columns]\n";
        for (column, code) in &self.columns {
            out += &format!("{} = {}\n", toml_string(column), toml_string(code));
        }
        out
    }
}

/// What the page wrote after [`MARKER`].
#[derive(Deserialize, Default)]
struct Written {
    #[serde(default)]
    mapping: Vec<Mapping>,
    #[serde(default)]
    alias: Vec<Alias>,
}

/// The user's own text before [`MARKER`], and what the page wrote after it.
fn split(text: &str) -> (&str, Written) {
    let (base, written) = match text.split_once(MARKER) {
        Some((base, rest)) => (base.trim_end(), rest),
        None => (text.trim_end(), ""),
    };
    (base, toml::from_str(written).unwrap_or_default())
}

fn join(base: &str, written: &Written) -> String {
    let mut out = format!("{base}\n\n{MARKER}\n");
    for m in &written.mapping {
        out.push('\n');
        out += &m.to_toml();
    }
    for a in &written.alias {
        out.push('\n');
        out += &a.to_toml();
    }
    out
}

/// The catalogue `text` with `mapping` in place of any the page wrote for
/// the same header: the user's own text is kept as it is, the page's
/// mappings rewritten after [`MARKER`].
pub fn with_mapping(text: &str, mapping: Mapping) -> String {
    let (base, mut written) = split(text);
    written.mapping.retain(|m| m.header != mapping.header);
    if !mapping.columns.is_empty() || mapping.period.is_some() || mapping.unit.is_some() {
        written.mapping.push(mapping);
    }
    join(base, &written)
}

/// The catalogue `text` with `alias` in place of any the page wrote for the
/// same spelling.
pub fn with_alias(text: &str, alias: Alias) -> String {
    let (base, mut written) = split(text);
    written.alias.retain(|a| a.text != alias.text);
    written.alias.push(alias);
    join(base, &written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn mappings_round_trip_through_the_catalogue_text() -> Result<(), String> {
        let base = Catalog::builtin_text();
        let mapping = Mapping {
            header: vec!["Tổng số \"cán bộ\"".into(), "Nữ \\ x".into()],
            columns: [("Tổng số \"cán bộ\"".to_string(), "CBCC_HUYEN".to_string())].into(),
            period: Some("2020".into()),
            unit: Some("Mã \"đơn vị\"".into()),
        };
        let text = with_mapping(base, mapping.clone());
        assert!(text.starts_with(base.trim_end()));
        let catalog = Catalog::from_toml(&text)?;
        assert_eq!(catalog.mappings, vec![mapping.clone()]);
        // A second mapping of the same header replaces the first; another header adds.
        let mut changed = mapping.clone();
        changed.columns.insert("Nữ \\ x".into(), String::new());
        let other = Mapping {
            header: vec!["A".into()],
            columns: [("A".to_string(), "CBCC_XA".to_string())].into(),
            period: None,
            unit: None,
        };
        let text = with_mapping(&with_mapping(&text, changed.clone()), other.clone());
        let catalog = Catalog::from_toml(&text)?;
        assert_eq!(catalog.mappings, vec![changed, other]);
        assert_eq!(text.matches(MARKER).count(), 1);
        Ok(())
    }

    #[test]
    fn an_alias_reads_a_mistyped_code_as_the_one_meant() -> Result<(), String> {
        let base = Catalog::builtin_text();
        let alias = Alias {
            text: "CBCC_HUYN".into(),
            code: "CBCC_HUYEN".into(),
        };
        let text = with_alias(base, alias.clone());
        let catalog = Catalog::from_toml(&text)?;
        assert_eq!(catalog.aliases, vec![alias]);
        assert_eq!(
            catalog.resolve("cbcc huyn").map(|i| i.code.as_str()),
            Some("CBCC_HUYEN")
        );
        // Mappings and aliases live side by side after the marker.
        let mapping = Mapping {
            header: vec!["A".into()],
            columns: [("A".to_string(), "CBCC_XA".to_string())].into(),
            ..Mapping::default()
        };
        let text = with_mapping(&text, mapping.clone());
        let catalog = Catalog::from_toml(&text)?;
        assert_eq!((catalog.mappings.len(), catalog.aliases.len()), (1, 1));
        // An alias of a code the catalogue lacks is refused, with the reason.
        let wrong = with_alias(
            base,
            Alias {
                text: "X \"<&>\"".into(),
                code: "KHONG_CO".into(),
            },
        );
        let refused = Catalog::from_toml(&wrong).err().unwrap_or_default();
        assert!(refused.contains("KHONG_CO"), "{refused}");
        // An alias never takes a code's own meaning away.
        let text = with_alias(
            base,
            Alias {
                text: "CBCC_XA".into(),
                code: "CBCC_HUYEN".into(),
            },
        );
        let catalog = Catalog::from_toml(&text)?;
        assert_eq!(
            catalog.resolve("CBCC_XA").map(|i| i.code.as_str()),
            Some("CBCC_XA")
        );
        Ok(())
    }
}
