//! The end of a table: numbers that allowed two readings settled by what
//! the whole table showed, and unknown indicators reported once each.

use super::*;

impl<'c> Shaper<'c> {
    /// Settles ambiguous numbers with what the whole table showed, and reports
    /// unknown indicators once each.
    pub fn finish(mut self) -> Settled {
        let mut corrections = Vec::new();
        for a in std::mem::take(&mut self.ambiguous) {
            let Ambiguous {
                index,
                grouped,
                decimal,
                ref indicator,
                cell,
                ref raw,
            } = a;
            if self.style == DecimalStyle::Vietnamese
                || matches!(
                    self.catalog.kind_of(indicator),
                    Some(Kind::Count | Kind::Rank)
                )
            {
                // Dots group thousands in this file, or the indicator can only be whole.
                continue;
            }
            let chosen = if self.style == DecimalStyle::Plain {
                decimal
            } else {
                grouped
            };
            if chosen != grouped {
                match index
                    .checked_sub(self.taken)
                    .and_then(|i| self.observations.get_mut(i))
                {
                    Some(obs) => obs.value = Value::Number(chosen),
                    None => corrections.push((index, Value::Number(chosen))),
                }
            }
            self.report(
                Finding::new(
                    Severity::Warning,
                    "read.ambiguous-number",
                                        format!(
                        "\"{}\" có thể là {} hoặc {}; đang hiểu là {} — hãy ghi rõ",
                        raw.trim(),
                        format_number(grouped, 0),
                        format_number(decimal, 3),
                        format_number(chosen, if chosen == grouped { 0 } else { 3 })
                    ),
                    format!(
                                                "\"{}\" may be {grouped} or {decimal}; read as {chosen} — please write it unambiguously",
                        raw.trim()
                    ),
                )
                .at(cell, raw.clone()),
            );
        }
        let mut unknown: Vec<_> = std::mem::take(&mut self.unknown).into_iter().collect();
        unknown.sort_by_key(|(_, cells)| cells.first().copied());
        for (text, cells) in unknown {
            let hint = did_you_mean(self.catalog, &text);
            let (hint_vi, hint_en) = match &hint {
                Some(code) => (
                    format!("; có phải {code}?"),
                    format!("; did you mean {code}?"),
                ),
                None => (String::new(), String::new()),
            };
            let first = cells[0];
            self.report(
                Finding::new(
                    Severity::Warning,
                    "read.unknown-indicator",
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
                .with_cells(cells.into_iter().take(50)),
            );
        }
        self.findings.extend(self.cap.summaries());
        Settled {
            observations: self.observations,
            findings: self.findings,
            corrections,
        }
    }
}

/// What `Shaper::finish` leaves: the observations not taken yet, the
/// findings, and new values for observations taken earlier (by index over
/// all the table's observations), which an ambiguous number changed.
#[derive(Default)]
pub struct Settled {
    pub observations: Vec<Observation>,
    pub findings: Vec<Finding>,
    pub corrections: Vec<(usize, Value)>,
}

/// An observation whose number allowed two readings: "1.957" as 1957
/// (grouped, what the observation holds until settled) or 1.957.
pub(super) struct Ambiguous {
    /// Over all the table's observations, taken or not.
    pub(super) index: usize,
    pub(super) grouped: f64,
    pub(super) decimal: f64,
    pub(super) indicator: Label,
    pub(super) cell: CellRef,
    pub(super) raw: CellText,
}
