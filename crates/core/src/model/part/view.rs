//! One observation of a part as it is read: its fields worked out from
//! the part's numbers, its cell text only when asked for.

use super::Part;
use crate::model::{CellRef, CellText, Label, Observation, Period, RowLabels, ValueRef};
use std::borrow::Cow;
use std::fmt;
use std::rc::Rc;

/// One observation of a part, as read from it.
#[derive(Clone, Copy)]
pub struct ObservationRef<'a> {
    /// The catalogue code when the row named a known indicator, else the text as written.
    pub indicator: &'a str,
    /// The same, shared.
    pub(super) label: &'a Label,
    pub period: Period,
    pub value: ValueRef<'a>,
    /// The cell holding the value.
    pub cell: CellRef,
    pub row: Option<&'a Rc<RowLabels>>,
    pub(super) part: &'a Part,
    pub(super) index: u32,
}

impl<'a> ObservationRef<'a> {
    /// The cell text exactly as read.
    pub fn raw(&self) -> Cow<'a, str> {
        self.part.raw(self.index)
    }

    /// The reporting entity; `None` means the report's own agency.
    pub fn entity(&self) -> Option<&'a str> {
        self.entity_label().map(|e| &**e)
    }

    pub fn entity_label(&self) -> Option<&'a Label> {
        self.row?.entity.as_ref()
    }

    /// Unit as the file wrote it, if it had a unit column.
    pub fn unit(&self) -> Option<&'a Label> {
        self.row?.unit.as_ref()
    }

    /// Name as the file wrote it, if it had a name column.
    pub fn name(&self) -> Option<&'a Label> {
        self.row?.name.as_ref()
    }

    /// The indicator as shared by its part's observations.
    pub fn indicator_label(&self) -> &'a Label {
        self.label
    }

    /// Whether it is `other`: the same observation of the same part.
    pub fn is(&self, other: &ObservationRef) -> bool {
        std::ptr::eq(self.part, other.part) && self.index == other.index
    }

    pub fn to_observation(&self) -> Observation {
        Observation {
            indicator: self.label.clone(),
            period: self.period,
            value: self.value.to_value(),
            cell: self.cell,
            raw: CellText::from(self.raw()),
            row: self.row.cloned(),
        }
    }
}

impl fmt::Debug for ObservationRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_observation(), f)
    }
}

impl PartialEq for ObservationRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.indicator == other.indicator
            && self.period == other.period
            && self.value == other.value
            && self.cell == other.cell
            && self.row == other.row
            && self.raw() == other.raw()
    }
}

impl PartialEq<Observation> for ObservationRef<'_> {
    fn eq(&self, other: &Observation) -> bool {
        self.indicator == &*other.indicator
            && self.period == other.period
            && self.value == other.value
            && self.cell == other.cell
            && self.row == other.row.as_ref()
            && self.raw() == other.raw.as_str()
    }
}
