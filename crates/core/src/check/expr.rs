//! Rules a statistician writes as expressions: `left op right` over indicator
//! codes, e.g. `CBCC_XA == CB_CHUYEN_TRACH_XA + CONG_CHUC_XA` or
//! `BIEN_CHE_GIAM_TY_LE == 100 * (BIEN_CHE[2015] - BIEN_CHE[2020]) / BIEN_CHE[2015]`.
//! A bare code is the figure of the (entity, period) being checked; `CODE[p]`
//! is the entity's figure for period `p`. Evaluated by minijinja's expression
//! engine (bounded by fuel): a well-kept parser with Python-like arithmetic
//! that statisticians can read, instead of a hand-written one.

use super::{n, rule_finding, Index};
use crate::catalog::expr::{identifiers, rewrite};
use crate::catalog::Rule;
use crate::model::{Finding, ObservationRef, Period};
use minijinja::{Environment, Value};
use std::collections::BTreeMap;

fn number(v: &Value) -> Option<f64> {
    f64::try_from(v.clone()).ok().filter(|x| x.is_finite())
}

/// Checks `rule` (`left op right`) for every (entity, period) it can be evaluated for.
pub fn apply(
    rule: &Rule,
    left: &str,
    op: &str,
    right: &str,
    index: &Index,
    findings: &mut Vec<Finding>,
) {
    let tol = rule.tolerance.max(0.0) + 1e-9;
    let mut refs = Vec::new();
    let rewritten = rewrite(left, &mut refs).and_then(|l| Ok((l, rewrite(right, &mut refs)?)));
    let mut env = Environment::new();
    env.set_fuel(Some(100_000));
    let compiled = rewritten
        .as_ref()
        .map_err(String::clone)
        .and_then(|(l, r)| {
            let l = env.compile_expression(l).map_err(|e| e.to_string())?;
            let r = env.compile_expression(r).map_err(|e| e.to_string())?;
            Ok((l, r))
        });
    let (lhs, rhs) = match compiled {
        Ok(c) => c,
        Err(e) => {
            findings.push(Finding::new(
                crate::model::Severity::Error,
                rule.id.clone(),
                format!("Quy tắc {} viết chưa đúng: {e}", rule.id),
                format!("Rule {} is malformed: {e}", rule.id),
            ));
            return;
        }
    };
    let current: Vec<String> = identifiers(left)
        .into_iter()
        .chain(identifiers(right))
        .filter(|id| is_bare(left, right, id))
        .map(str::to_string)
        .collect();
    // The (entity, period) pairs to check: those of the first bare code, or,
    // when every code has a period, once per entity.
    let keys: Vec<(Option<&str>, Option<Period>)> = match current.first() {
        Some(first) => index
            .of(first)
            .map(|o| (o.entity(), Some(o.period)))
            .collect(),
        None => {
            let mut entities: Vec<Option<&str>> = refs
                .first()
                .map(|(c, _)| index.of(c).map(|o| o.entity()).collect())
                .unwrap_or_default();
            entities.sort();
            entities.dedup();
            entities.into_iter().map(|e| (e, None)).collect()
        }
    };
    for (entity, period) in keys {
        let mut ctx: BTreeMap<String, f64> = BTreeMap::new();
        let mut cells: Vec<ObservationRef> = Vec::new();
        let mut complete = true;
        let mut wanted: Vec<(String, Option<ObservationRef>)> = Vec::new();
        for code in &current {
            wanted.push((
                code.clone(),
                period.and_then(|p| index.get(code, entity, p)),
            ));
        }
        for (i, (code, p)) in refs.iter().enumerate() {
            wanted.push((format!("__p{i}"), index.get(code, entity, *p)));
        }
        for (name, o) in wanted {
            match o.and_then(|o| Some((o, o.value.number()?))) {
                Some((o, v)) => {
                    ctx.insert(name, v);
                    cells.push(o);
                }
                None => complete = false,
            }
        }
        if !complete {
            continue;
        }
        let value = Value::from_pairs(ctx.iter().map(|(k, v)| (k.clone(), *v)));
        let (Some(a), Some(b)) = (
            lhs.eval(value.clone()).ok().as_ref().and_then(number),
            rhs.eval(value).ok().as_ref().and_then(number),
        ) else {
            continue;
        };
        let holds = match op {
            "==" => (a - b).abs() <= tol,
            "!=" => (a - b).abs() > tol,
            "<=" => a <= b + tol,
            ">=" => a + tol >= b,
            "<" => a < b - tol,
            ">" => a > b + tol,
            _ => true,
        };
        if !holds {
            let negated = match op {
                "==" => "≠",
                "<=" => ">",
                ">=" => "<",
                "<" => "≥",
                ">" => "≤",
                _ => "=",
            };
            let at = match (entity, period) {
                (Some(e), Some(p)) => format!(" [{e}, {p}]"),
                (None, Some(p)) => format!(" [{p}]"),
                (Some(e), None) => format!(" [{e}]"),
                (None, None) => String::new(),
            };
            let arithmetic = format!("{left} = {} {negated} {right} = {}{at}", n(a), n(b));
            findings.push(rule_finding(rule, arithmetic, cells));
        }
    }
}

/// Whether `id` appears somewhere without a `[period]` after it.
fn is_bare(left: &str, right: &str, id: &str) -> bool {
    [left, right].iter().any(|e| {
        e.match_indices(id).any(|(i, _)| {
            let after = &e[i + id.len()..];
            let before_ok = e[..i]
                .chars()
                .last()
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
            let after_ok = after
                .chars()
                .next()
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
            before_ok && after_ok && !after.trim_start().starts_with('[')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_codes_and_period_references() -> Result<(), Box<dyn std::error::Error>> {
        assert_eq!(
            identifiers("CBCC_XA == CB_CHUYEN_TRACH_XA + CONG_CHUC_XA"),
            vec!["CBCC_XA", "CB_CHUYEN_TRACH_XA", "CONG_CHUC_XA"]
        );
        let mut refs = Vec::new();
        let out = rewrite(
            "100 * (BIEN_CHE[2015] - BIEN_CHE[\"2020\"]) / BIEN_CHE[2015]",
            &mut refs,
        )?;
        assert_eq!(out, "100 * (__p0 - __p1) / __p2");
        assert_eq!(refs[1], ("BIEN_CHE".to_string(), Period::Year(2020)));
        assert!(is_bare("A + B[2015]", "", "A"));
        assert!(!is_bare("A + B[2015]", "", "B"));
        Ok(())
    }
}
