//! The end of a table: numbers that allowed two readings settled by what
//! the whole table showed, and unknown indicators reported once each. A
//! large text may be read in parts, a shaper each (`ingest::parts`); their
//! ends are settled together, as one table's.

use super::*;
use serde::{Deserialize, Serialize};

/// What one shaper leaves, unsettled: a whole table's, or one part's of a
/// large text. Rows and observation indexes count from the part's start.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct PartEnd {
    /// Observations it gave, handed out or not.
    pub observations: usize,
    /// The style of the first of its numbers that showed one.
    pub style: DecimalStyle,
    pub ambiguous: Vec<Ambiguous>,
    /// Indicators not in the catalogue, each with its cells in order.
    pub unknown: Vec<(String, Vec<CellRef>)>,
    /// Its findings as found, within its own cap …
    pub findings: Vec<Finding>,
    /// … and how many each rule had, kept or not.
    pub counted: Vec<(String, Severity, usize)>,
}

/// An observation whose number allowed two readings: "1.957" as 1957
/// (grouped, what the observation holds until settled) or 1.957.
#[derive(Debug, Serialize, Deserialize)]
pub struct Ambiguous {
    /// Over all the part's observations, taken or not.
    pub(super) index: usize,
    pub(super) grouped: f64,
    pub(super) decimal: f64,
    pub(super) indicator: String,
    pub(super) cell: CellRef,
    pub(super) raw: CellText,
}

/// What settling leaves: the findings, and new values for observations
/// (by index over all the parts' observations, in order).
#[derive(Default)]
pub struct Settled {
    pub observations: Vec<Observation>,
    pub findings: Vec<Finding>,
    pub corrections: Vec<(usize, Value)>,
}

impl<'c> Shaper<'c> {
    /// Settles ambiguous numbers with what the whole table showed, and reports
    /// unknown indicators once each.
    pub fn finish(mut self) -> Settled {
        let (catalog, file, taken) = (self.catalog, self.file, self.taken);
        let mut observations = std::mem::take(&mut self.observations);
        let mut settled = settle(catalog, file, vec![(self.end(), 0)]);
        // What was not handed out yet is mended in place.
        settled.corrections.retain(|(i, value)| {
            match i.checked_sub(taken).and_then(|i| observations.get_mut(i)) {
                Some(o) => {
                    o.value = value.clone();
                    false
                }
                None => true,
            }
        });
        settled.observations = observations;
        settled
    }

    /// This shaper's end, unsettled; its observations not handed out yet
    /// stay with the caller (`take_observations` first).
    pub fn end(mut self) -> PartEnd {
        let mut unknown: Vec<_> = std::mem::take(&mut self.unknown).into_iter().collect();
        unknown.sort_by_key(|(_, cells)| cells.first().copied());
        PartEnd {
            observations: self.taken + self.observations.len(),
            style: self.style,
            ambiguous: self.ambiguous,
            unknown,
            findings: self.findings,
            counted: self.cap.counts(),
        }
    }
}

/// Settles the parts of one table, in order, each with what its rows are
/// shifted by: the first number that showed a style decides for all of
/// them, and each unknown indicator is reported once, with all its cells.
pub fn settle(catalog: &Catalog, file: FileId, parts: Vec<(PartEnd, u32)>) -> Settled {
    let style = parts
        .iter()
        .map(|(p, _)| p.style)
        .find(|s| *s != DecimalStyle::Unknown)
        .unwrap_or_default();
    let mut cap = crate::cap::Cap::for_file(file);
    let mut findings = Vec::new();
    let report = |cap: &mut crate::cap::Cap, finding: Finding, findings: &mut Vec<Finding>| {
        if cap.admit(&finding) {
            findings.push(finding);
        }
    };
    let mut corrections = Vec::new();
    let mut unknown: FxHashMap<String, Vec<CellRef>> = FxHashMap::default();
    let mut ambiguous = Vec::new();
    let mut first_index = 0;
    for (part, shift) in parts {
        let mut kept: FxHashMap<&str, usize> = FxHashMap::default();
        for f in &part.findings {
            *kept.entry(f.rule.as_str()).or_default() += 1;
        }
        let left_out: Vec<_> = part
            .counted
            .iter()
            .map(|(rule, severity, n)| {
                let kept = kept.get(rule.as_str()).copied().unwrap_or(0);
                (rule.clone(), *severity, n.saturating_sub(kept))
            })
            .collect();
        for f in part.findings {
            report(&mut cap, shifted(f, shift), &mut findings);
        }
        for (rule, severity, n) in left_out {
            cap.left_out(&rule, severity, n);
        }
        for a in part.ambiguous {
            ambiguous.push((first_index + a.index, shifted_cell(a.cell, shift), a));
        }
        for (text, cells) in part.unknown {
            let all = unknown.entry(text).or_default();
            all.extend(cells.into_iter().map(|c| shifted_cell(c, shift)));
        }
        first_index += part.observations;
    }
    for (index, cell, a) in ambiguous {
        if style == DecimalStyle::Vietnamese
            || matches!(
                catalog.kind_of(&a.indicator),
                Some(Kind::Count | Kind::Rank)
            )
        {
            // Dots group thousands in this file, or the indicator can only be whole.
            continue;
        }
        let chosen = if style == DecimalStyle::Plain {
            a.decimal
        } else {
            a.grouped
        };
        if chosen != a.grouped {
            corrections.push((index, Value::Number(chosen)));
        }
        report(
            &mut cap,
            ambiguous_number(&a, chosen).at(cell, a.raw.clone()),
            &mut findings,
        );
    }
    let mut unknown: Vec<_> = unknown.into_iter().collect();
    unknown.sort_by_key(|(_, cells)| cells.first().copied());
    // Folded only for a file that names unknown codes: most name none.
    let suggestions = (!unknown.is_empty()).then(|| Suggestions::new(catalog));
    for (text, cells) in unknown {
        // Past the cap the finding is only counted: no "did you mean",
        // which compares the text with every indicator (half a minute
        // for a file naming 300,000 unknown codes).
        let hints = suggestions
            .as_ref()
            .filter(|_| !cap.is_full(UNKNOWN_INDICATOR));
        if let Some(finding) = unknown_indicator(hints, text, cells) {
            report(&mut cap, finding, &mut findings);
        }
    }
    findings.extend(cap.summaries());
    Settled {
        observations: Vec::new(),
        findings,
        corrections,
    }
}

fn shifted_cell(mut cell: CellRef, by: u32) -> CellRef {
    cell.row = cell.row.saturating_add(by);
    cell
}

/// A part's finding as the whole table's: its cells' rows shifted, and a
/// text that names the row said again.
fn shifted(mut finding: Finding, by: u32) -> Finding {
    if by == 0 {
        return finding;
    }
    for c in &mut finding.cells {
        *c = shifted_cell(*c, by);
    }
    if finding.rule == MISSING_INDICATOR {
        if let Some(&cell) = finding.cells.first() {
            let again = missing_indicator(cell);
            (finding.message_vi, finding.message_en) = (again.message_vi, again.message_en);
        }
    }
    finding
}

fn ambiguous_number(a: &Ambiguous, chosen: f64) -> Finding {
    let (grouped, decimal) = (a.grouped, a.decimal);
    Finding::new(
        Severity::Warning,
        "read.ambiguous-number",
        format!(
            "\"{}\" có thể là {} hoặc {}; đang hiểu là {} — hãy ghi rõ",
            a.raw.trim(),
            format_number(grouped, 0),
            format_number(decimal, 3),
            format_number(chosen, if chosen == grouped { 0 } else { 3 })
        ),
        format!(
            "\"{}\" may be {grouped} or {decimal}; read as {chosen} — please write it unambiguously",
            a.raw.trim()
        ),
    )
}

const UNKNOWN_INDICATOR: &str = "read.unknown-indicator";

fn unknown_indicator(
    hints: Option<&Suggestions>,
    text: String,
    cells: Vec<CellRef>,
) -> Option<Finding> {
    let first = *cells.first()?;
    let hint = hints.and_then(|s| s.closest(&text));
    let (hint_vi, hint_en) = match &hint {
        Some(code) => (
            format!("; có phải {code}?"),
            format!("; did you mean {code}?"),
        ),
        None => (String::new(), String::new()),
    };
    let finding = Finding::new(
        Severity::Warning,
        UNKNOWN_INDICATOR,
        format!(
            "Chỉ tiêu \"{text}\" không có trong danh mục ({} dòng){hint_vi}",
            cells.len()
        ),
        format!(
            "Indicator \"{text}\" is not in the catalogue ({} row{}){hint_en}",
            cells.len(),
            if cells.len() == 1 { "" } else { "s" }
        ),
    )
    .at(first, text.clone())
    .with_cells(cells.into_iter().take(50));
    Some(finding)
}
