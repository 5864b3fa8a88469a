//! The index's one pass over every observation, kept apart from the
//! dataset: the page makes it of a large read while the worker is still
//! reading (the page has time to spare then), and the index takes it
//! instead of seeing those observations again.

use super::keys::{indicator_of, key, with_indicator, Id, Ids, Key, AGENCY};
use super::NO_NUMBER;
use crate::model::{Label, Part, RowLabels};
use std::fmt;
use std::ops::Range;
use std::rc::Rc;

/// What the checks' index learns from each observation of a run of them,
/// in order: its indicator and entity as dense ids, its (indicator,
/// period) key and its number, and how many figures each id has.
#[derive(Clone)]
pub struct Sighting {
    pub(in crate::check) indicators: Ids,
    pub(in crate::check) entities: Ids,
    /// Per number a part gives an indicator and row labels: the label's
    /// address and its id, found once per part rather than per figure.
    indicator_ids: Vec<(*const u8, Id)>,
    entity_ids: Vec<(*const RowLabels, Id)>,
    /// Per observation: its entity id (its indicator id is in its key).
    pub(in crate::check) entity_of: Vec<Id>,
    /// The first and last observation of the report's own agency (no
    /// entity), if any.
    pub(in crate::check) agency: Option<(u32, u32)>,
    /// Per observation: its (indicator, period) key.
    pub(in crate::check) keys: Vec<Key>,
    /// Per observation: its number, the NaN `NO_NUMBER` when it has none.
    /// Rules read these rather than the observations: 8 bytes a figure
    /// instead of a cache miss on 64 (a NaN read from a file could not pass
    /// or fail a rule either: every comparison with it is false).
    pub(in crate::check) numbers: Vec<f64>,
    /// Observations per entity id and per indicator id.
    pub(super) per_entity: Vec<u32>,
    pub(super) per_indicator: Vec<u32>,
}

impl Default for Sighting {
    fn default() -> Self {
        Sighting::new()
    }
}

impl fmt::Debug for Sighting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sighting of {} observations", self.len())
    }
}

impl Sighting {
    pub fn new() -> Self {
        Sighting {
            indicators: Ids::new(0),
            entities: Ids::new(AGENCY + 1),
            indicator_ids: Vec::new(),
            entity_ids: Vec::new(),
            entity_of: Vec::new(),
            agency: None,
            keys: Vec::new(),
            numbers: Vec::new(),
            per_entity: Vec::new(),
            per_indicator: Vec::new(),
        }
    }

    /// How many observations were seen.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Room for `total` observations in all, made at once: growing by
    /// doubling would leave the page's memory grown for good.
    pub fn make_room(&mut self, total: usize) {
        let more = total.saturating_sub(self.len());
        if self.keys.capacity() < total {
            self.entity_of.reserve_exact(more);
            self.keys.reserve_exact(more);
            self.numbers.reserve_exact(more);
        }
    }

    /// Gives back the room made for observations that did not come.
    pub fn shrink_to_fit(&mut self) {
        self.entity_of.shrink_to_fit();
        self.keys.shrink_to_fit();
        self.numbers.shrink_to_fit();
    }

    /// Sees `part`'s observations `range`, which follow those seen. Their
    /// labels must outlive the seeing: ids are found by a label's address.
    pub fn see(&mut self, part: &Part, range: Range<usize>) {
        let (indicators, rows) = (part.indicators(), part.row_labels());
        for i in range {
            let Some((indicator, row_labels, period, number)) = part.numbers(i) else {
                break;
            };
            let indicator = self.indicator_id(indicators, indicator);
            let entity = self.entity_id(rows, row_labels);
            count_one(&mut self.per_indicator, indicator);
            count_one(&mut self.per_entity, entity);
            if entity == AGENCY {
                let i = self.entity_of.len() as u32;
                let first = self.agency.map_or(i, |(first, _)| first);
                self.agency = Some((first, i));
            }
            self.entity_of.push(entity);
            self.keys.push(key(indicator, period));
            self.numbers
                .push(number.unwrap_or(f64::from_bits(NO_NUMBER)));
        }
    }

    /// The id of a part's indicator number `n`.
    #[inline(always)]
    fn indicator_id(&mut self, indicators: &[Label], n: u32) -> Id {
        let label = indicators.get(n as usize);
        let at = label.map_or(std::ptr::null(), |l| l.as_ptr());
        match self.indicator_ids.get(n as usize) {
            Some(&(seen, id)) if seen == at => id,
            _ => {
                let id = match label {
                    Some(label) => self.indicators.id(label),
                    None => self.indicators.id(&Label::from("")),
                };
                remember(&mut self.indicator_ids, n, (at, id));
                id
            }
        }
    }

    /// The entity id of a part's row labels number `n` (0 for none).
    #[inline(always)]
    fn entity_id(&mut self, rows: &[Rc<RowLabels>], n: u32) -> Id {
        let Some(row) = n.checked_sub(1).and_then(|n| rows.get(n as usize)) else {
            return AGENCY;
        };
        match self.entity_ids.get(n as usize) {
            Some(&(seen, id)) if seen == Rc::as_ptr(row) => id,
            _ => {
                let id = match &row.entity {
                    None => AGENCY,
                    Some(e) => self.entities.id(e),
                };
                remember(&mut self.entity_ids, n, (Rc::as_ptr(row), id));
                id
            }
        }
    }

    /// Observation `i` has a new value (a read's correction, made after it
    /// was seen).
    pub fn renumber(&mut self, i: usize, value: Option<f64>) {
        if let Some(number) = self.numbers.get_mut(i) {
            *number = value.unwrap_or(f64::from_bits(NO_NUMBER));
        }
    }

    /// Takes what was seen of the observations that follow: their ids are
    /// this sighting's for the same texts, new texts get the next ones, in
    /// the order `next` met them (as seeing them here would give).
    pub(super) fn append(&mut self, next: Sighting) {
        if self.is_empty() && self.indicators.next == 0 && self.entities.next == AGENCY + 1 {
            *self = next;
            return;
        }
        let base = self.len() as u32;
        let indicators: Vec<Id> = (next.indicators.texts())
            .map(|(_, text)| self.indicators.id(text))
            .collect();
        let entities: Vec<Id> = std::iter::once(AGENCY)
            .chain(
                next.entities
                    .texts()
                    .map(|(_, text)| self.entities.id(text)),
            )
            .collect();
        let indicator = |id: Id| indicators.get(id as usize).copied().unwrap_or(id);
        let entity = |id: Id| entities.get(id as usize).copied().unwrap_or(AGENCY);
        self.entity_of
            .extend(next.entity_of.iter().map(|&e| entity(e)));
        self.keys
            .extend((next.keys.iter()).map(|&k| with_indicator(k, indicator(indicator_of(k)))));
        self.numbers.extend_from_slice(&next.numbers);
        for (id, &n) in (0..).zip(&next.per_indicator) {
            count(&mut self.per_indicator, indicator(id), n);
        }
        for (id, &n) in (0..).zip(&next.per_entity) {
            count(&mut self.per_entity, entity(id), n);
        }
        if let Some((first, last)) = next.agency {
            let first = self.agency.map_or(base + first, |(f, _)| f);
            self.agency = Some((first, base + last));
        }
        self.indicator_ids.clear();
        self.entity_ids.clear();
    }
}

/// Notes what number `n` stands for.
#[cold]
fn remember<T: Copy>(ids: &mut Vec<T>, n: u32, what: T) {
    if ids.len() <= n as usize {
        ids.resize(n as usize + 1, what);
    }
    if let Some(slot) = ids.get_mut(n as usize) {
        *slot = what;
    }
}

/// One more of id `id` in `counts`. Inlined even in the page's
/// size-optimised build: every observation counts twice.
#[inline(always)]
fn count_one(counts: &mut Vec<u32>, id: Id) {
    match counts.get_mut(id as usize) {
        Some(n) => *n += 1,
        None => count(counts, id, 1),
    }
}

/// `n` more of id `id` in `counts`.
#[cold]
fn count(counts: &mut Vec<u32>, id: Id, n: u32) {
    if counts.len() <= id as usize {
        counts.resize(id as usize + 1, 0);
    }
    if let Some(c) = counts.get_mut(id as usize) {
        *c = c.saturating_add(n);
    }
}
