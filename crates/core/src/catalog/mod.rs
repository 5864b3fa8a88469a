//! The catalogue: which indicators exist, what kind each is, and which rules
//! tie them together. Loaded from TOML (`assets/catalog.toml` is the built-in
//! one; users may drop their own). The format is documented in
//! `docs/catalog-format.md`.

pub mod expr;
pub mod from_table;
pub mod mapping;

use crate::fold::fold;
pub use mapping::{Alias, Mapping};
use serde::Deserialize;
use std::collections::HashMap;

/// The format tag every catalogue file must carry, so a future format can be told apart.
pub const FORMAT: &str = "baocao-catalog/1";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Count,
    Percent,
    Rank,
    Score,
    Money,
    Text,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub unit: String,
    pub kind: Kind,
    /// For ranks: what the rank is out of — a number or an indicator code.
    #[serde(default)]
    pub rank_of: Option<RankOf>,
    /// Allowed ranges, possibly by period (PAPI: ≤ 60 up to 2017, ≤ 80 from 2018).
    #[serde(default)]
    pub range: Vec<ValueRange>,
    /// A stated target, drawn as a band on the indicator's chart
    /// (e.g. "xếp thứ 10–15": `target = { from = 10, to = 15 }`).
    #[serde(default)]
    pub target: Option<TargetBand>,
    /// Periods every reporting entity must report ("2015", "2016-2020", …).
    #[serde(default)]
    pub required_periods: Vec<String>,
    /// A change between consecutive years larger than this (in percent) is flagged.
    #[serde(default)]
    pub max_change_percent: Option<f64>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TargetBand {
    pub from: f64,
    pub to: f64,
}

/// A range that applies to the periods ending in `from..=until` (either end open).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ValueRange {
    #[serde(default)]
    pub from: Option<u16>,
    #[serde(default)]
    pub until: Option<u16>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
}

impl ValueRange {
    pub fn applies_to(&self, year: u16) -> bool {
        self.from.is_none_or(|f| year >= f) && self.until.is_none_or(|u| year <= u)
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum RankOf {
    Fixed(u32),
    Indicator(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSeverity {
    Error,
    Warning,
    Info,
}

/// A rule tying indicators together, evaluated per (entity, period).
// No deny_unknown_fields here: serde does not support it together with flatten.
#[derive(Clone, Debug, Deserialize)]
pub struct Rule {
    pub id: String,
    #[serde(flatten)]
    pub check: RuleCheck,
    #[serde(default = "default_severity")]
    pub severity: RuleSeverity,
    /// Allowed absolute difference, for figures that were rounded.
    #[serde(default)]
    pub tolerance: f64,
    /// What the rule means, in Vietnamese; shown before the arithmetic.
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub message_en: String,
}

fn default_severity() -> RuleSeverity {
    RuleSeverity::Error
}

#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleCheck {
    /// total = Σ parts
    Sum { total: String, parts: Vec<String> },
    /// result = minuend − subtrahend
    Difference {
        result: String,
        minuend: String,
        subtrahend: String,
    },
    /// percent ≈ 100 · part / whole
    Percentage {
        percent: String,
        part: String,
        whole: String,
    },
    /// part ≤ whole
    AtMost { part: String, whole: String },
    /// percent ≈ 100 · (value[from] − value[to]) / value[from]; the percent is
    /// the one figure of `percent` the entity has, whatever its period.
    PercentDecrease {
        percent: String,
        value: String,
        from: String,
        to: String,
    },
    /// The total entity's figure = the sum of every other entity's (a province
    /// and its districts), per period, where the files hold both.
    EntitySum {
        indicator: String,
        total_entity: String,
    },
    /// `left op right`, expressions over indicator codes (`CODE[2015]` names a
    /// period); `op` is one of == != <= >= < >.
    Expression {
        left: String,
        op: String,
        right: String,
    },
    /// Progress of `indicator` against `target` (a figure of the data):
    /// `at_least` (reach it) or `at_most` (stay under it).
    Target {
        indicator: String,
        target: String,
        #[serde(default = "at_least")]
        direction: String,
    },
}

fn at_least() -> String {
    "at_least".into()
}

impl RuleCheck {
    /// Every indicator the rule reads, the checked one first.
    pub fn indicators(&self) -> Vec<&str> {
        match self {
            RuleCheck::Sum { total, parts } => std::iter::once(total.as_str())
                .chain(parts.iter().map(String::as_str))
                .collect(),
            RuleCheck::Difference {
                result,
                minuend,
                subtrahend,
            } => vec![result, minuend, subtrahend],
            RuleCheck::Percentage {
                percent,
                part,
                whole,
            } => vec![percent, part, whole],
            RuleCheck::AtMost { part, whole } => vec![part, whole],
            RuleCheck::PercentDecrease { percent, value, .. } => vec![percent, value],
            RuleCheck::EntitySum { indicator, .. } => vec![indicator],
            RuleCheck::Expression { left, right, .. } => {
                let mut ids = expr::identifiers(left);
                for id in expr::identifiers(right) {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                ids
            }
            RuleCheck::Target {
                indicator, target, ..
            } => vec![indicator, target],
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    format: String,
    #[serde(default)]
    name: String,
    #[serde(default, rename = "indicator")]
    indicators: Vec<Indicator>,
    #[serde(default, rename = "rule")]
    rules: Vec<Rule>,
    #[serde(default)]
    mapping: Vec<Mapping>,
    #[serde(default)]
    alias: Vec<Alias>,
}

/// A loaded catalogue with its lookup tables.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub name: String,
    pub indicators: Vec<Indicator>,
    pub rules: Vec<Rule>,
    /// What the columns of biểu tables are, by their header.
    pub mappings: Vec<Mapping>,
    /// Other spellings of codes, as the user said (a code mistyped in the
    /// office's files, read as the one meant).
    pub aliases: Vec<Alias>,
    by_folded: HashMap<String, usize>,
    by_code: HashMap<String, usize>,
}

impl Catalog {
    /// Parses a catalogue; the error is a message a user can act on.
    pub fn from_toml(text: &str) -> Result<Catalog, String> {
        let file: CatalogFile = toml::from_str(text).map_err(|e| e.to_string())?;
        if file.format != FORMAT {
            return Err(format!(
                "format = \"{}\" không được hỗ trợ; cần \"{FORMAT}\"",
                file.format
            ));
        }
        let mut catalog = Catalog {
            name: file.name,
            indicators: file.indicators,
            rules: file.rules,
            mappings: file.mapping,
            aliases: file.alias,
            by_folded: HashMap::new(),
            by_code: HashMap::new(),
        };
        for (i, ind) in catalog.indicators.iter().enumerate() {
            // Codes win over names when a name folds to another indicator's code.
            catalog.by_folded.insert(fold(&ind.code), i);
            catalog.by_code.insert(ind.code.clone(), i);
        }
        for (i, ind) in catalog.indicators.iter().enumerate() {
            catalog.by_folded.entry(fold(&ind.name)).or_insert(i);
        }
        for a in &catalog.aliases {
            let Some(&i) = catalog.by_code.get(&a.code) else {
                return Err(format!(
                    "tên khác «{}» trỏ tới chỉ tiêu không có trong danh mục: {}",
                    a.text, a.code
                ));
            };
            // A code or a name of the catalogue keeps its own meaning.
            catalog.by_folded.entry(fold(&a.text)).or_insert(i);
        }
        for ind in &catalog.indicators {
            for p in &ind.required_periods {
                if crate::model::Period::parse(p).is_none() {
                    return Err(format!(
                        "chỉ tiêu {} cần kỳ không đọc được: \"{p}\"",
                        ind.code
                    ));
                }
            }
        }
        for rule in &catalog.rules {
            rule_reads(rule)?;
            for code in rule.check.indicators() {
                if catalog.get(code).is_none() {
                    return Err(format!(
                        "quy tắc {} dùng chỉ tiêu không có trong danh mục: {code}",
                        rule.id
                    ));
                }
            }
        }
        for m in &catalog.mappings {
            for (column, code) in &m.columns {
                if !code.is_empty() && catalog.get(code).is_none() {
                    return Err(format!(
                        "ánh xạ cột «{column}» dùng chỉ tiêu không có trong danh mục: {code}"
                    ));
                }
            }
            if let Some(p) = m.period.as_deref() {
                if crate::model::Period::parse(p).is_none() {
                    return Err(format!("ánh xạ biểu có kỳ không đọc được: \"{p}\""));
                }
            }
        }
        Ok(catalog)
    }

    /// The mapping of a biểu whose columns are `header` (the last one given).
    pub fn mapping_for(&self, header: &[String]) -> Option<&Mapping> {
        self.mappings.iter().rev().find(|m| m.header == header)
    }

    /// The built-in catalogue of the seed report.
    pub fn builtin() -> Catalog {
        // The asset is tested to parse; an empty catalogue keeps the page alive if not.
        Catalog::from_toml(Self::builtin_text()).unwrap_or_default()
    }

    pub fn builtin_text() -> &'static str {
        include_str!("../../../../assets/catalog.toml")
    }

    pub fn get(&self, code: &str) -> Option<&Indicator> {
        self.by_code.get(code).and_then(|&i| self.indicators.get(i))
    }

    /// Finds an indicator by its code or its name, ignoring case, diacritics and spacing.
    pub fn resolve(&self, code_or_name: &str) -> Option<&Indicator> {
        self.by_folded
            .get(&fold(code_or_name))
            .and_then(|&i| self.indicators.get(i))
    }

    pub fn kind_of(&self, code: &str) -> Option<Kind> {
        self.get(code).map(|i| i.kind)
    }
}

/// Whether a rule's own periods and expression read; a message naming the
/// rule if not.
fn rule_reads(rule: &Rule) -> Result<(), String> {
    let bad = |what: String| format!("quy tắc {}: {what}", rule.id);
    match &rule.check {
        RuleCheck::Expression { left, op, right } => {
            if !["==", "!=", "<=", ">=", "<", ">"].contains(&op.as_str()) {
                return Err(bad(format!(
                    "phép so sánh \"{op}\" không có; dùng == != <= >= < >"
                )));
            }
            expr::validate(left, right).map_err(bad)
        }
        RuleCheck::Target { direction, .. }
            if !["at_least", "at_most"].contains(&direction.as_str()) =>
        {
            Err(bad(format!(
                "direction = \"{direction}\" không có; dùng at_least hoặc at_most"
            )))
        }
        RuleCheck::PercentDecrease { from, to, .. } => [from, to]
            .into_iter()
            .find(|p| crate::model::Period::parse(p).is_none())
            .map_or(Ok(()), |p| Err(bad(format!("kỳ không đọc được: \"{p}\"")))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_parses_and_covers_the_reference() -> Result<(), Box<dyn std::error::Error>>
    {
        let c = Catalog::from_toml(include_str!("../../../../assets/catalog.toml"))?;
        let reference = include_str!("../../../../assets/sample-nq05-bac-giang.csv");
        for line in reference.lines().skip(1) {
            let code = line.split(',').next().unwrap_or_default();
            assert!(c.get(code).is_some(), "{code} missing from the catalogue");
        }
        assert!(c.rules.len() >= 10);
        Ok(())
    }

    #[test]
    fn resolves_codes_and_names_loosely() {
        let c = Catalog::builtin();
        assert_eq!(
            c.resolve("cbcc_xa").map(|i| i.code.as_str()),
            Some("CBCC_XA")
        );
        assert_eq!(
            c.resolve("Cán bộ chuyên trách cấp xã")
                .map(|i| i.code.as_str()),
            Some("CB_CHUYEN_TRACH_XA")
        );
        assert_eq!(
            c.resolve("CAN BO CHUYEN TRACH CAP XA")
                .map(|i| i.code.as_str()),
            Some("CB_CHUYEN_TRACH_XA")
        );
        assert!(c.resolve("KHONG_CO").is_none());
    }

    #[test]
    fn bad_catalogues_are_refused_with_a_message() {
        assert!(Catalog::from_toml("format = \"other/9\"")
            .err()
            .is_some_and(|e| e.contains("format")));
        assert!(Catalog::from_toml("not toml [").is_err());
        let bad_rule = "format = \"baocao-catalog/1\"\n[[rule]]\nid = \"X\"\nkind = \"sum\"\ntotal = \"A\"\nparts = [\"B\"]\n";
        assert!(Catalog::from_toml(bad_rule)
            .err()
            .is_some_and(|e| e.contains("A")));
    }
}
