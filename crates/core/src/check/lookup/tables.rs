//! The index's tables: rows of observation numbers in one array, and
//! where each indicator's entries begin in an entity's row.

use super::{indicator_of, Id, Key};

/// Rows of observation numbers in one array: row `r` is
/// `items[starts[r]..starts[r + 1]]`. A vector per row was an allocation
/// per entity, and up to twice its room in doubling.
#[derive(Default)]
pub(crate) struct Rows {
    pub(super) starts: Vec<u32>,
    pub(super) items: Vec<u32>,
    /// While the rows are filled: where each row's next item goes.
    next: Vec<u32>,
}

impl Rows {
    /// Rows of the given lengths, to be filled by `push`.
    pub(super) fn sized(lengths: &[u32]) -> Self {
        let mut starts = Vec::with_capacity(lengths.len() + 1);
        let mut end = 0u32;
        starts.push(0);
        for &n in lengths {
            end = end.saturating_add(n);
            starts.push(end);
        }
        let next = starts.get(..lengths.len()).unwrap_or_default().to_vec();
        Rows {
            starts,
            items: vec![0; end as usize],
            next,
        }
    }

    /// Puts `item` next in row `r`.
    #[inline(always)]
    pub(super) fn push(&mut self, r: usize, item: u32) {
        if let Some(at) = self.next.get_mut(r) {
            if let Some(slot) = self.items.get_mut(*at as usize) {
                *slot = item;
            }
            *at += 1;
        }
    }

    /// Every row is filled: its cursors are let go.
    pub(super) fn filled(&mut self) {
        self.next = Vec::new();
    }

    pub(super) fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub(super) fn row(&self, r: usize) -> &[u32] {
        match (self.starts.get(r), self.starts.get(r + 1)) {
            (Some(&from), Some(&to)) => self.items.get(from as usize..to as usize),
            _ => None,
        }
        .unwrap_or_default()
    }
}

/// Per entity, where each indicator's entries begin: row `entity` of a
/// table with a column per indicator id and one more for the end.
pub(crate) struct Blocks {
    pub(super) starts: Vec<u32>,
    pub(super) columns: usize,
}

impl Blocks {
    /// `None` when the table would outgrow the data (thousands of entities
    /// times thousands of indicators): lookups then search whole entities.
    pub(super) fn new(by_entity: &Rows, keys: &[Key], indicators: Id) -> Option<Self> {
        let columns = indicators as usize + 1;
        let cells = by_entity.len().checked_mul(columns)?;
        if cells > 2 * keys.len() + 4096 {
            return None;
        }
        let indicator_at = |i: u32| keys.get(i as usize).map_or(Id::MAX, |&k| indicator_of(k));
        let mut starts = Vec::with_capacity(cells);
        for entity in 0..by_entity.len() {
            let entries = by_entity.row(entity);
            let mut at = 0;
            for indicator in 0..columns as Id {
                while entries
                    .get(at)
                    .is_some_and(|&i| indicator_at(i) < indicator)
                {
                    at += 1;
                }
                starts.push(at as u32);
            }
        }
        Some(Blocks { starts, columns })
    }

    /// An entity's entries of one indicator.
    pub(super) fn of<'e>(
        &self,
        entries: &'e [u32],
        entity: Id,
        indicator: Id,
    ) -> Option<&'e [u32]> {
        if indicator as usize + 1 >= self.columns {
            return None;
        }
        let row = (entity as usize).checked_mul(self.columns)? + indicator as usize;
        let from = *self.starts.get(row)? as usize;
        let to = *self.starts.get(row + 1)? as usize;
        entries.get(from..to)
    }
}
