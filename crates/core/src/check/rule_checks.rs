//! The catalogue's rules (sums, differences, percentages, ranks, targets,
//! expressions) over the index.

use super::*;

pub(super) fn severity(rule: &Rule) -> Severity {
    match rule.severity {
        RuleSeverity::Error => Severity::Error,
        RuleSeverity::Warning => Severity::Warning,
        RuleSeverity::Info => Severity::Info,
    }
}

pub(super) fn rule_finding(rule: &Rule, arithmetic: String, cells: Vec<ObservationRef>) -> Finding {
    worded_finding(rule, (&arithmetic, &arithmetic), cells)
}

/// A rule's finding whose arithmetic has words, in (Vietnamese, English).
fn worded_finding(
    rule: &Rule,
    (vi_sum, en_sum): (&str, &str),
    cells: Vec<ObservationRef>,
) -> Finding {
    let vi = if rule.message.is_empty() {
        format!("Quy tắc {} không thỏa: {vi_sum}", rule.id)
    } else {
        format!("{}: {vi_sum}", rule.message)
    };
    let en = if rule.message_en.is_empty() {
        format!("Rule {} fails: {en_sum}", rule.id)
    } else {
        format!("{}: {en_sum}", rule.message_en)
    };
    let mut f = Finding::new(severity(rule), rule.id.clone(), vi, en);
    if let Some(o) = cells.first() {
        f = f.at(o.cell, o.raw());
    }
    f.with_cells(cells.into_iter().map(|o| o.cell))
}

pub(super) fn apply_rule(rule: &Rule, index: &Index, findings: &mut Vec<Finding>) {
    let tol = rule.tolerance.max(0.0) + 1e-9;
    if let RuleCheck::PercentDecrease {
        percent,
        value,
        from,
        to,
    } = &rule.check
    {
        let (Some(from), Some(to)) = (Period::parse(from), Period::parse(to)) else {
            return;
        };
        for p in index.of(percent) {
            let e = p.entity();
            let (Some(a), Some(b)) = (index.get(value, e, from), index.get(value, e, to)) else {
                continue;
            };
            let (Some(pv), Some(av), Some(bv)) =
                (p.value.number(), a.value.number(), b.value.number())
            else {
                continue;
            };
            if av == 0.0 {
                continue;
            }
            let expected = 100.0 * (av - bv) / av;
            if (pv - expected).abs() > tol {
                let arithmetic = format!(
                    "{}% ≠ 100 × ({} − {}) / {} = {}%",
                    n(pv),
                    n(av),
                    n(bv),
                    n(av),
                    n(expected)
                );
                findings.push(rule_finding(rule, arithmetic, vec![p, a, b]));
            }
        }
        return;
    }
    if let RuleCheck::EntitySum {
        indicator,
        total_entity,
    } = &rule.check
    {
        for total in index
            .of(indicator)
            .filter(|o| o.entity() == Some(total_entity.as_str()))
        {
            let parts: Vec<ObservationRef> = index
                .of(indicator)
                .filter(|o| {
                    o.period == total.period && o.entity().is_some() && o.entity() != total.entity()
                })
                .collect();
            let (Some(t), false) = (total.value.number(), parts.is_empty()) else {
                continue;
            };
            let sum: f64 = parts.iter().filter_map(|o| o.value.number()).sum();
            if (t - sum).abs() > tol {
                let arithmetic = format!(
                    "{total_entity}: {} ≠ tổng {} đơn vị = {} [{}]",
                    n(t),
                    parts.len(),
                    n(sum),
                    total.period
                );
                let mut cells = vec![total];
                cells.extend(parts.iter().take(50).copied());
                findings.push(rule_finding(rule, arithmetic, cells));
            }
        }
        return;
    }
    if let RuleCheck::Expression { left, op, right } = &rule.check {
        expr::apply(rule, left, op, right, index, findings);
        return;
    }
    if let RuleCheck::Target {
        indicator,
        target,
        direction,
    } = &rule.check
    {
        // Each entity's goal: its target of the latest period (the last
        // such in the files), found once, not once per figure (a province's
        // communes each with a target made that quadratic).
        let mut goals: HashMap<Option<&str>, ObservationRef> = HashMap::default();
        for o in index.of(target) {
            let goal = goals.entry(o.entity()).or_insert(o);
            if o.period >= goal.period {
                *goal = o;
            }
        }
        for actual in index.of(indicator) {
            let Some(&goal) = goals.get(&actual.entity()) else {
                continue;
            };
            let (Some(a), Some(g)) = (actual.value.number(), goal.value.number()) else {
                continue;
            };
            let met = if direction == "at_most" {
                a <= g + tol
            } else {
                a + tol >= g
            };
            if !met {
                let (reached, wanted) = (
                    format!("{} [{}]", n(a), actual.period),
                    format!("{} [{}]", n(g), goal.period),
                );
                let share = |words: &str| {
                    if g == 0.0 {
                        String::new()
                    } else {
                        format!(" ({}% {words})", n(100.0 * a / g))
                    }
                };
                let vi = format!("đạt {reached}, mục tiêu {wanted}{}", share("mục tiêu"));
                let en = format!(
                    "{reached} against a target of {wanted}{}",
                    share("of the target")
                );
                findings.push(worded_finding(rule, (&vi, &en), vec![actual, goal]));
            }
        }
    }
    // Sum, difference, percentage and at-most rules run entity by entity
    // (`row_rules`).
}

/// The row rules for one entity: each head figure of the entity with the
/// same period's figures of the rule's other indicators. Findings go to
/// their rule's list with the head observation's number, to be put in
/// file order. Returns how many head figures were looked at.
pub(super) fn row_rules(
    entity: Id,
    rules: &[RowRule],
    index: &Index,
    found: &mut [Vec<(u32, Finding)>],
) -> usize {
    // Filled anew for each row: no allocation per row (a rule meets every
    // entity and period of a million-row file). Observations are touched
    // only to report: the index has the numbers.
    let mut v: Vec<f64> = Vec::new();
    let mut rows: Vec<u32> = Vec::new();
    let mut looked = 0;
    for RowRule { at, rule, ids } in rules {
        let Some((&head, rest)) = ids.split_first() else {
            continue;
        };
        let tol = rule.tolerance.max(0.0) + 1e-9;
        for &i in index.block(entity, head) {
            let Some(key) = index.key(i) else { continue };
            looked += 1;
            rows.clear();
            rows.push(i);
            let all_there = rest.iter().all(|&c| {
                index
                    .find(entity, with_indicator(key, c))
                    .map(|j| rows.push(j))
                    .is_some()
            });
            v.clear();
            if !all_there
                || !rows
                    .iter()
                    .all(|&j| index.number(j).map(|x| v.push(x)).is_some())
            {
                continue;
            }
            let Some(arithmetic) = row_arithmetic(&rule.check, &v, tol) else {
                continue;
            };
            let all: Vec<ObservationRef> =
                rows.iter().filter_map(|&j| index.observation(j)).collect();
            if let (Some(first), Some(list)) = (all.first(), found.get_mut(*at)) {
                let arithmetic = format!("{arithmetic} [{}]", first.period);
                let cells = all.clone();
                list.push((i, rule_finding(rule, arithmetic, cells)));
            }
        }
    }
    looked
}

/// What a row rule shows when its figures `v` (head first) break it.
pub(super) fn row_arithmetic(check: &RuleCheck, v: &[f64], tol: f64) -> Option<String> {
    // Each rule kind names its figures in this order (`RuleCheck::indicators`);
    // a slice of another length is no such row.
    match (check, v) {
        (RuleCheck::Sum { .. }, [total, parts @ ..]) => {
            let sum: f64 = parts.iter().sum();
            ((total - sum).abs() > tol).then(|| {
                let parts: Vec<String> = parts.iter().map(|x| n(*x)).collect();
                format!("{} ≠ {} = {}", n(*total), parts.join(" + "), n(sum))
            })
        }
        (RuleCheck::Difference { .. }, &[result, minuend, subtrahend]) => {
            let diff = minuend - subtrahend;
            ((result - diff).abs() > tol).then(|| {
                format!(
                    "{} ≠ {} − {} = {}",
                    n(result),
                    n(minuend),
                    n(subtrahend),
                    n(diff)
                )
            })
        }
        (RuleCheck::Percentage { .. }, &[percent, part, whole]) if whole != 0.0 => {
            let pct = 100.0 * part / whole;
            ((percent - pct).abs() > tol).then(|| {
                format!(
                    "{}% ≠ 100 × {} / {} = {}%",
                    n(percent),
                    n(part),
                    n(whole),
                    n(pct)
                )
            })
        }
        (RuleCheck::AtMost { .. }, &[part, whole]) => {
            (part > whole + tol).then(|| format!("{} > {}", n(part), n(whole)))
        }
        _ => None,
    }
}
