//! Where files disagree on a figure, the value the user chose to keep: the
//! other files' values of that figure are left out of the dataset, so the
//! checks, the charts and the report see the one kept. A choice whose file
//! is gone, or no longer holds the figure, does nothing.

use super::Workspace;
use crate::model::{CellRef, Finding, ObservationRef, Part, Severity, SourceFile};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// One figure (indicator, entity, period) and the file whose value is kept.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptValue {
    pub indicator: String,
    /// The reporting unit; `None` is the report's own agency.
    #[serde(default)]
    pub entity: Option<String>,
    /// As the period is written ("2020", "2016-2020").
    pub period: String,
    /// The name of the file whose value is kept.
    pub file: String,
}

impl KeptValue {
    /// The choice of `o`'s value, from the file named `file`.
    pub fn of(o: ObservationRef, file: &str) -> Self {
        KeptValue {
            indicator: o.indicator.to_string(),
            entity: o.entity().map(str::to_string),
            period: o.period.to_string(),
            file: file.to_string(),
        }
    }

    fn same_figure(&self, other: &KeptValue) -> bool {
        (&self.indicator, &self.entity, &self.period)
            == (&other.indicator, &other.entity, &other.period)
    }

    fn holds(&self, o: ObservationRef) -> bool {
        *o.indicator == *self.indicator
            && o.entity() == self.entity.as_deref()
            && o.period.to_string() == self.period
    }
}

impl Workspace {
    /// Keeps, for the figure of the observation at `cell`, its value: the
    /// other files' values of that figure are left out from now on.
    pub fn keep_value(&mut self, cell: CellRef) -> Result<(), String> {
        let choice = self
            .choice_at(cell)
            .ok_or("không tìm thấy số liệu ở ô này")?;
        self.kept.retain(|k| !k.same_figure(&choice));
        self.kept.push(choice);
        self.refresh_data();
        Ok(())
    }

    /// Takes back the choice whose kept value is at `cell`.
    pub fn release_kept(&mut self, cell: CellRef) {
        if let Some(choice) = self.choice_at(cell) {
            self.kept.retain(|k| !k.same_figure(&choice));
            self.refresh_data();
        }
    }

    fn choice_at(&self, cell: CellRef) -> Option<KeptValue> {
        let file = self.dataset.file(cell.file)?;
        let o = self
            .dataset
            .observations_of(cell.file)
            .find(|o| o.cell == cell)?;
        Some(KeptValue::of(o, &file.name))
    }
}

/// Leaves out, for each choice whose file holds its figure, every other
/// file's observation of that figure; returns a note per choice applied,
/// on the kept cell, that says what was left out.
pub(super) fn apply(
    kept: &[KeptValue],
    files: &[SourceFile],
    parts: &mut [Rc<Part>],
) -> Vec<Finding> {
    let mut notes = Vec::new();
    for choice in kept {
        let Some(id) = files.iter().find(|f| f.name == choice.file).map(|f| f.id) else {
            continue;
        };
        let Some(at) = parts.iter().position(|p| p.file() == Some(id)) else {
            continue;
        };
        let Some(kept_obs) = parts
            .get(at)
            .and_then(|p| p.iter().find(|&o| choice.holds(o)))
            .map(|o| o.to_observation())
        else {
            continue;
        };
        let mut left_out = 0;
        for (i, part) in parts.iter_mut().enumerate() {
            if i == at || !part.iter().any(|o| choice.holds(o)) {
                continue;
            }
            let before = part.len();
            let mut rest = Part::clone(part);
            rest.retain(|o| !choice.holds(o));
            left_out += before - rest.len();
            *part = Rc::new(rest);
        }
        if left_out == 0 {
            continue;
        }
        let what = format!(
            "{} ({}{})",
            choice.indicator,
            choice
                .entity
                .as_ref()
                .map(|e| format!("{e}, "))
                .unwrap_or_default(),
            choice.period
        );
        notes.push(
            Finding::new(
                Severity::Info,
                KEPT_RULE,
                format!(
                    "Đã giữ giá trị {} của {} cho {what}; bỏ {left_out} giá trị của tệp khác",
                    kept_obs.raw, choice.file
                ),
                format!(
                    "Kept the value {} of {} for {what}; {left_out} value(s) of other files left out",
                    kept_obs.raw, choice.file
                ),
            )
            .at(kept_obs.cell, kept_obs.raw.to_string()),
        );
    }
    notes
}

/// The rule of the note a choice leaves.
pub const KEPT_RULE: &str = "kept-value";
