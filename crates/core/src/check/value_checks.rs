//! Checks of single values and of an indicator's periods: kinds and ranges,
//! required periods, unusual jumps, and two values for one figure.

use super::*;

/// Required periods present, and no unusual jump between consecutive years,
/// for one indicator; returns how many observations it looked at.
pub(super) fn periods(ind: &Indicator, index: &Index, findings: &mut Sink) -> usize {
    if ind.required_periods.is_empty() && ind.max_change_percent.is_none() {
        return 0;
    }
    periods_of(ind, index, findings);
    index.of(&ind.code).count()
}

pub(super) fn periods_of(ind: &Indicator, index: &Index, findings: &mut Sink) {
    if ind.required_periods.is_empty() && ind.max_change_percent.is_none() {
        return;
    }
    {
        let mut by_entity: std::collections::BTreeMap<Option<&str>, Vec<ObservationRef>> =
            Default::default();
        for o in index.of(&ind.code) {
            by_entity.entry(o.entity()).or_default().push(o);
        }
        for (entity, mut obs) in by_entity {
            obs.sort_by_key(|o| o.period);
            let who = entity.map(|e| format!(" ({e})")).unwrap_or_default();
            for required in ind.required_periods.iter().filter_map(|p| Period::parse(p)) {
                if !obs.iter().any(|o| o.period == required) {
                    findings.push(
                        Finding::new(
                            Severity::Warning,
                            "check.missing-period",
                            format!("{}{who} thiếu số liệu kỳ {required}", ind.code),
                            format!("{}{who} has no figure for {required}", ind.code),
                        )
                        .with_cells(obs.iter().map(|o| o.cell)),
                    );
                }
            }
            let Some(max) = ind.max_change_percent else {
                continue;
            };
            for pair in obs.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let (Period::Year(y1), Period::Year(y2)) = (a.period, b.period) else {
                    continue;
                };
                let (Some(v1), Some(v2)) = (a.value.number(), b.value.number()) else {
                    continue;
                };
                if y2 != y1 + 1 || v1 == 0.0 {
                    continue;
                }
                let change = 100.0 * (v2 - v1) / v1.abs();
                if change.abs() > max {
                    findings.push(
                        Finding::new(
                            Severity::Warning,
                            "check.jump",
                            format!("{}{who}: từ {} ({y1}) lên/xuống {} ({y2}), thay đổi {}% — vượt ngưỡng {}%", ind.code, n(v1), n(v2), n(change), n(max)),
                            format!("{}{who}: from {v1} ({y1}) to {v2} ({y2}), a change of {change:.1}% — over {max}%", ind.code),
                        )
                        .at(b.cell, b.raw())
                        .with_cells([a.cell]),
                    );
                }
            }
        }
    }
}

pub(super) fn n(v: f64) -> String {
    format_number(v, 2)
}

pub(super) fn place(o: ObservationRef) -> String {
    match o.entity() {
        Some(e) => format!("{} ({e}, {})", o.indicator, o.period),
        None => format!("{} ({})", o.indicator, o.period),
    }
}

/// The sides a conflict's message lists; its cells name them all.
const MAX_SIDES: usize = 20;

/// The same figure with different values: each side named by its file,
/// row and value ("a.csv dòng 25: 33.928; b.csv dòng 2: 33.982"), the
/// indicator by its name.
pub(super) fn conflicts(
    index: &Index,
    catalog: &crate::catalog::Catalog,
    files: &[crate::model::SourceFile],
    findings: &mut Sink,
) {
    for obs in &index.repeated {
        let all: Vec<ObservationRef> = obs.iter().filter_map(|&i| index.observation(i)).collect();
        let Some(first) = all.first() else { continue };
        if all.iter().all(|o| o.value == first.value) {
            continue;
        }
        let side = |o: &ObservationRef, row: &str| {
            let file = files
                .iter()
                .find(|f| f.id == o.cell.file)
                .map_or("?", |f| f.name.as_str());
            let value = match o.value.number() {
                Some(v) => n(v),
                None => o.raw().trim().to_string(),
            };
            format!("{file} {row} {}: {value}", o.cell.row)
        };
        // Every side when there are few; a figure given thousands of times
        // would make a message of megabytes.
        let sides = |row: &str| {
            let listed: Vec<String> = all.iter().take(MAX_SIDES).map(|o| side(o, row)).collect();
            listed.join("; ")
        };
        let rest = all.len().saturating_sub(MAX_SIDES);
        let (more_vi, more_en) = match rest {
            0 => (String::new(), String::new()),
            k => (
                format!("; … và {} giá trị nữa", n(k as f64)),
                format!("; … and {k} more"),
            ),
        };
        let code = first.indicator.to_string();
        let name = catalog.get(&code).map_or(code.clone(), |i| i.name.clone());
        let what = match first.entity() {
            Some(e) => format!("{name} ({e}, {})", first.period),
            None => format!("{name} ({})", first.period),
        };
        findings.push(
            Finding::new(
                Severity::Error,
                "conflict",
                format!(
                    "{what} có {} giá trị khác nhau — {}{more_vi}",
                    n(all.len() as f64),
                    sides("dòng")
                ),
                format!(
                    "{what} has {} different values — {}{more_en}",
                    all.len(),
                    sides("row")
                ),
            )
            .at(first.cell, first.raw())
            .with_cells(all.iter().map(|o| o.cell)),
        );
    }
}

/// The checks of one observation's own value. It reads the index's copy
/// of the number and key, and the observation itself only to report.
pub(super) fn per_value(i: u32, ind: &Indicator, index: &Index, findings: &mut Sink) {
    let (Some(v), Some(key), Some((_, entity)), Some(o)) = (
        index.number(i),
        index.key(i),
        index.seen.ids(i as usize),
        index.observation(i),
    ) else {
        return;
    };
    let mut fail = |rule: &str, vi: String, en: String| {
        findings.push(Finding::new(Severity::Error, rule, vi, en).at(o.cell, o.raw()));
    };
    match ind.kind {
        Kind::Count if v < 0.0 || v.fract() != 0.0 => fail(
            "value.count",
            format!(
                "{}: số lượng phải là số nguyên không âm, nhưng là {}",
                place(o),
                n(v)
            ),
            format!(
                "{}: a count must be a whole non-negative number, got {v}",
                place(o)
            ),
        ),
        Kind::Percent if !(0.0..=100.0).contains(&v) => fail(
            "value.percent",
            format!(
                "{}: tỷ lệ phải trong khoảng 0–100%, nhưng là {}%",
                place(o),
                n(v)
            ),
            format!("{}: a percentage must be within 0–100%, got {v}%", place(o)),
        ),
        Kind::Rank => {
            let of = match &ind.rank_of {
                Some(RankOf::Fixed(n)) => Some(f64::from(*n)),
                Some(RankOf::Indicator(code)) => index
                    .seen
                    .sighting
                    .indicators
                    .get(code)
                    .and_then(|id| index.find(entity, with_indicator(key, id)))
                    .and_then(|t| index.number(t)),
                None => None,
            };
            let bad = v.fract() != 0.0 || v < 1.0 || of.is_some_and(|of| v > of);
            if bad {
                let of_text = of.map(n).unwrap_or_else(|| "N".into());
                fail(
                    "value.rank",
                    format!(
                        "{}: thứ hạng phải là số nguyên từ 1 đến {of_text}, nhưng là {}",
                        place(o),
                        n(v)
                    ),
                    format!(
                        "{}: a rank must be a whole number from 1 to {of_text}, got {v}",
                        place(o)
                    ),
                );
            }
        }
        _ => {}
    }
    for range in ind.range.iter().filter(|r| r.applies_to(end_year(key))) {
        let below = range.min.is_some_and(|m| v < m);
        let above = range.max.is_some_and(|m| v > m);
        if below || above {
            let lo = range.min.map(n).unwrap_or_else(|| "−∞".into());
            let hi = range.max.map(n).unwrap_or_else(|| "+∞".into());
            fail(
                "value.range",
                format!(
                    "{}: giá trị {} nằm ngoài khoảng cho phép {lo}–{hi} của kỳ này",
                    place(o),
                    n(v)
                ),
                format!(
                    "{}: value {v} is outside the allowed range {lo}–{hi} for this period",
                    place(o)
                ),
            );
        }
    }
}
