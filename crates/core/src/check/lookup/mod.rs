//! The checks' index of a dataset: indicators and entities as dense ids,
//! each observation's (indicator, period) key and number, and where an
//! entity's figures of an indicator sit.

use super::*;

mod keys;
mod sighting;
mod tables;

pub(super) use keys::*;
pub use sighting::Sighting;
use tables::{Blocks, Rows};

/// A NaN of its own, for an observation without a number: told apart from a
/// number without reading the observation (a NaN a reader made carries the
/// usual bits).
const NO_NUMBER: u64 = 0x7FF8_0000_B0CA_0000;

/// Observations indexed by (indicator, entity, period), with the texts
/// turned into dense ids once so that the rules compare integers.
///
/// Layout: per entity, its observations sorted by (indicator, period), in
/// one array. Rules look up several indicators of the same entity and
/// period in a row, and those entries sit next to each other; a
/// million-key hash map spent its time on cache misses instead. The
/// entries are observation numbers alone (4 bytes a figure): their keys
/// are in `Seen::keys`, near each other since an entity's rows come
/// together.
pub struct Index<'a> {
    pub(super) seen: Seen<'a>,
    /// Per entity id: the first observation of each (indicator, period),
    /// sorted by key.
    pub(super) by_entity: Rows,
    /// Where each indicator's entries begin in each entity's row, when that
    /// table is small beside the data; lookups then search a few periods
    /// instead of all of an entity's entries.
    pub(super) blocks: Option<Blocks>,
    /// Per indicator id: the first observation of each (entity, period), in file order.
    pub(super) by_indicator: Rows,
    /// Keys seen more than once, with every observation index, in file order.
    pub(super) repeated: Vec<Vec<u32>>,
}

/// What an index knows of each observation, gathered in one pass.
pub(super) struct Seen<'a> {
    /// Observation `i` is `dataset.get(i)`.
    pub(super) dataset: &'a Dataset,
    /// Its ids, key and number, filled as the observations are seen.
    pub(super) sighting: Sighting,
}

impl Seen<'_> {
    pub(super) fn len(&self) -> usize {
        self.sighting.len()
    }

    /// Observation `i`'s (indicator, entity) ids.
    pub(super) fn ids(&self, i: usize) -> Option<(Id, Id)> {
        let s = &self.sighting;
        Some((indicator_of(*s.keys.get(i)?), *s.entity_of.get(i)?))
    }
}

/// An `Index` being built, a slice at a time (the page checks millions of
/// observations between frames): each observation is seen (or a part's
/// sighting taken), then the tables are built from what was seen, each a
/// slice at a time too.
pub(super) struct IndexBuilder<'a> {
    /// What was seen so far.
    pub(super) seen: Seen<'a>,
    /// The dataset's parts not yet seen, each with its sighting if one was
    /// made while it was read.
    parts: std::vec::IntoIter<(&'a Part, usize, Option<Sighting>)>,
    /// The part being seen and how far, if one is under way.
    part: Option<(&'a Part, usize, usize)>,
    /// How many observations there are in all.
    count: usize,
    /// Observations per entity, counted while seeing so that the entities'
    /// rows are laid out at once.
    per_entity: Vec<u32>,
    /// The index's tables, built phase by phase once every observation is
    /// seen (see `Index` for what each holds).
    phase: Phase,
    by_entity: Rows,
    /// Bit per observation, while sorting and listing: set when it repeats
    /// the key of an earlier observation of its entity.
    later: Vec<u64>,
    /// Observations per indicator, counted while seeing, less the repeats
    /// found while sorting: its first ones.
    per_indicator: Vec<u32>,
    repeated: Vec<Vec<u32>>,
    by_indicator: Rows,
    blocks: Option<Blocks>,
}

/// Where an index's building is; each phase goes on from the numbers it holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Seeing,
    /// Each observation put in its entity's row, from an observation.
    Placing(usize),
    /// Each entity's row sorted, a repeated key's later observations set
    /// apart and the row closed up to its first ones, from an entity; the
    /// rows before it end at `kept`.
    Sorting {
        entity: usize,
        kept: usize,
    },
    /// Each indicator's first observations listed, from an observation.
    Listing(usize),
    Built,
}

impl<'a> IndexBuilder<'a> {
    /// The index of `dataset`, whose parts come with `sightings` (by
    /// position, those missing are seen here).
    pub(super) fn new(dataset: &'a Dataset, sightings: Vec<Option<Sighting>>) -> Self {
        // Observations are numbered by `u32`s.
        let mut left = u32::MAX as usize;
        let mut sightings = sightings.into_iter();
        let parts: Vec<_> = dataset
            .parts()
            .map(|part| {
                let sighting = sightings.next().flatten();
                let len = part.len().min(left);
                left -= len;
                (part, len, sighting.filter(|s| s.len() == len))
            })
            .collect();
        let count = parts.iter().map(|(_, len, _)| len).sum();
        let mut sighting = Sighting::new();
        if let Some((_, _, None)) = parts.first() {
            // Sized first: growing by doubling would be a good part of a
            // large check's time. (A first part's sighting is taken whole.)
            sighting.make_room(count);
        }
        IndexBuilder {
            seen: Seen { dataset, sighting },
            parts: parts.into_iter(),
            part: None,
            count,
            per_entity: Vec::new(),
            phase: Phase::Seeing,
            by_entity: Rows::default(),
            later: Vec::new(),
            per_indicator: Vec::new(),
            repeated: Vec::new(),
            by_indicator: Rows::default(),
            blocks: None,
        }
    }

    /// Does about `budget` observations' worth of work: (whether the index
    /// is built, the work done).
    pub(super) fn step(&mut self, budget: usize) -> (bool, usize) {
        let mut spent = 0;
        while spent < budget && self.phase != Phase::Built {
            let left = budget - spent;
            self.phase = match self.phase {
                Phase::Seeing => {
                    let (done, work) = self.see(left);
                    spent += work;
                    if !done {
                        Phase::Seeing
                    } else {
                        self.seen_all();
                        self.by_entity = Rows::sized(&self.per_entity);
                        self.per_entity = Vec::new();
                        Phase::Placing(0)
                    }
                }
                Phase::Placing(next) => {
                    let to = next.saturating_add(left).min(self.count);
                    let entities = self
                        .seen
                        .sighting
                        .entity_of
                        .get(next..to)
                        .unwrap_or_default();
                    for (i, &entity) in (next..).zip(entities) {
                        self.by_entity.push(entity as usize, i as u32);
                    }
                    spent += to - next;
                    if to < self.count {
                        Phase::Placing(to)
                    } else {
                        self.by_entity.filled();
                        self.later = vec![0; self.count.div_ceil(64)];
                        Phase::Sorting { entity: 0, kept: 0 }
                    }
                }
                Phase::Sorting {
                    mut entity,
                    mut kept,
                } => {
                    while entity < self.by_entity.len() && spent < budget {
                        spent += self.sort_entity(entity, &mut kept).max(1);
                        entity += 1;
                    }
                    if entity < self.by_entity.len() {
                        Phase::Sorting { entity, kept }
                    } else {
                        if let Some(end) = self.by_entity.starts.last_mut() {
                            *end = kept as u32;
                        }
                        self.by_entity.items.truncate(kept);
                        self.by_entity.items.shrink_to_fit();
                        self.repeated.sort_unstable();
                        self.by_indicator = Rows::sized(&self.per_indicator);
                        self.per_indicator = Vec::new();
                        Phase::Listing(0)
                    }
                }
                Phase::Listing(next) => {
                    let to = next.saturating_add(left).min(self.count);
                    for i in next..to {
                        let later = self
                            .later
                            .get(i / 64)
                            .is_some_and(|w| w >> (i % 64) & 1 == 1);
                        let indicator = self.seen.sighting.keys.get(i).map(|&k| indicator_of(k));
                        if let (false, Some(indicator)) = (later, indicator) {
                            self.by_indicator.push(indicator as usize, i as u32);
                        }
                    }
                    spent += to - next;
                    if to < self.count {
                        Phase::Listing(to)
                    } else {
                        self.later = Vec::new();
                        self.by_indicator.filled();
                        let indicators = self.seen.sighting.indicators.next;
                        self.blocks =
                            Blocks::new(&self.by_entity, &self.seen.sighting.keys, indicators);
                        spent += self.count / 4;
                        Phase::Built
                    }
                }
                Phase::Built => Phase::Built,
            };
        }
        (self.phase == Phase::Built, spent)
    }

    /// Sees up to about `budget` more observations: (whether all are seen,
    /// the work done). A part's sighting is taken whole, for a little work.
    fn see(&mut self, budget: usize) -> (bool, usize) {
        let mut spent = 0;
        loop {
            let (part, len, from) = match self.part.take() {
                Some(under_way) => under_way,
                None => match self.parts.next() {
                    None => return (true, spent),
                    Some((_, len, Some(sighting))) => {
                        // A first part's sighting is taken as it is; room
                        // for the parts after is made once.
                        if !self.seen.sighting.is_empty() {
                            self.seen.sighting.make_room(self.count);
                        }
                        self.seen.sighting.append(sighting);
                        self.seen.sighting.make_room(self.count);
                        spent += len / 16;
                        continue;
                    }
                    Some((part, len, None)) => (part, len, 0),
                },
            };
            if spent >= budget {
                self.part = Some((part, len, from));
                return (false, spent);
            }
            let to = from.saturating_add(budget - spent).min(len);
            self.seen.sighting.see(part, from..to);
            spent += to - from;
            if to < len {
                self.part = Some((part, len, to));
            }
        }
    }

    /// Every observation is seen: the counts go to the tables' building.
    fn seen_all(&mut self) {
        let sighting = &mut self.seen.sighting;
        self.count = sighting.len();
        self.per_entity = std::mem::take(&mut sighting.per_entity);
        self.per_indicator = std::mem::take(&mut sighting.per_indicator);
    }

    /// Sorts an entity's row by key, which puts a repeated key's
    /// observations side by side, first one first (the row was placed in
    /// file order and the sort is stable): the later ones are marked and
    /// the whole group noted in `repeated`. The row's first ones are moved
    /// down to `kept`, where the rows before it end. The work done.
    fn sort_entity(&mut self, entity: usize, kept: &mut usize) -> usize {
        let starts = &mut self.by_entity.starts;
        let (Some(&from), Some(&to)) = (starts.get(entity), starts.get(entity + 1)) else {
            return 0;
        };
        let (from, to) = (from as usize, to as usize);
        if let Some(start) = starts.get_mut(entity) {
            *start = *kept as u32;
        }
        let keys = &self.seen.sighting.keys;
        let key_of = |i: &u32| keys.get(*i as usize).copied().unwrap_or(Key::MAX);
        let items = &mut self.by_entity.items;
        // A long file lists each entity's figures in one order, so most
        // rows come sorted and without repeats already.
        if let Some(row) = items.get_mut(from..to) {
            if row.is_sorted_by(|a, b| key_of(a) < key_of(b)) {
                // `kept` ≤ `from`: the rows before have only closed up.
                if *kept < from {
                    items.copy_within(from..to, *kept);
                }
                *kept += to - from;
                return to - from;
            }
            row.sort_by_key(key_of);
        }
        let mut at = from;
        while let Some(&first) = items.get(at).filter(|_| at < to) {
            let key = key_of(&first);
            let mut end = at + 1;
            while end < to && items.get(end).map(key_of) == Some(key) {
                end += 1;
            }
            if end - at > 1 {
                let group = items.get(at..end).unwrap_or_default().to_vec();
                for &later in group.iter().skip(1) {
                    if let Some(word) = self.later.get_mut(later as usize / 64) {
                        *word |= 1 << (later % 64);
                    }
                }
                if let Some(n) = self.per_indicator.get_mut(indicator_of(key) as usize) {
                    *n = n.saturating_sub((group.len() - 1) as u32);
                }
                self.repeated.push(group);
            }
            // `kept` trails `at`: only entries already read are written over.
            if let Some(slot) = items.get_mut(*kept) {
                *slot = first;
            }
            *kept += 1;
            at = end;
        }
        to - from
    }

    /// The index: what is left of it is built at once first, if any is.
    pub(super) fn finish(mut self) -> Index<'a> {
        while !self.step(usize::MAX).0 {}
        Index {
            seen: self.seen,
            by_entity: self.by_entity,
            blocks: self.blocks,
            by_indicator: self.by_indicator,
            repeated: self.repeated,
        }
    }
}

impl<'a> Index<'a> {
    pub fn new(dataset: &'a Dataset) -> Self {
        IndexBuilder::new(dataset, Vec::new()).finish()
    }

    pub(super) fn observation(&self, i: u32) -> Option<ObservationRef<'a>> {
        self.seen.dataset.get(i as usize)
    }

    /// Observation `i`'s (indicator, period) key.
    pub(super) fn key(&self, i: u32) -> Option<Key> {
        self.seen.sighting.keys.get(i as usize).copied()
    }

    pub(super) fn entity_id(&self, entity: Option<&str>) -> Option<Id> {
        match entity {
            None => Some(AGENCY),
            Some(e) => self.seen.sighting.entities.get(e),
        }
    }

    pub(super) fn get_by_id(
        &self,
        indicator: Id,
        entity: Id,
        period: Period,
    ) -> Option<ObservationRef<'a>> {
        self.observation(self.find(entity, key(indicator, period))?)
    }

    /// The first observation of an entity with a key.
    pub(super) fn find(&self, entity: Id, wanted: Key) -> Option<u32> {
        let entries = self.block(entity, indicator_of(wanted));
        let keys = &self.seen.sighting.keys;
        let at = entries
            .binary_search_by(|&i| {
                keys.get(i as usize)
                    .copied()
                    .unwrap_or(Key::MAX)
                    .cmp(&wanted)
            })
            .ok()?;
        entries.get(at).copied()
    }

    /// An entity's first observations of one indicator, sorted by period.
    pub(super) fn block(&self, entity: Id, indicator: Id) -> &[u32] {
        let entries = self.by_entity.row(entity as usize);
        let indicator_at = |i: &u32| self.key(*i).map_or(Id::MAX, indicator_of);
        match &self.blocks {
            Some(blocks) => blocks.of(entries, entity, indicator).unwrap_or_default(),
            None => {
                let from = entries.partition_point(|i| indicator_at(i) < indicator);
                let to = entries.partition_point(|i| indicator_at(i) <= indicator);
                entries.get(from..to).unwrap_or_default()
            }
        }
    }

    /// How many entities the index has rows for (the agency's included).
    pub(super) fn entities(&self) -> usize {
        self.by_entity.len()
    }

    /// An observation's number, if it has one.
    pub(super) fn number(&self, i: u32) -> Option<f64> {
        let v = *self.seen.sighting.numbers.get(i as usize)?;
        (!v.is_nan()).then_some(v)
    }

    pub fn get(
        &self,
        indicator: &str,
        entity: Option<&str>,
        period: Period,
    ) -> Option<ObservationRef<'a>> {
        let indicator = self.seen.sighting.indicators.get(indicator)?;
        self.get_by_id(indicator, self.entity_id(entity)?, period)
    }

    /// Indices of the first observation of each (entity, period) of an indicator.
    pub(super) fn rows_of(&self, indicator: Id) -> &[u32] {
        self.by_indicator.row(indicator as usize)
    }

    /// The first observation of each (entity, period) of `indicator`.
    pub fn of(&self, indicator: &str) -> impl Iterator<Item = ObservationRef<'a>> + '_ {
        let rows = self
            .seen
            .sighting
            .indicators
            .get(indicator)
            .map_or(&[][..], |id| self.rows_of(id));
        rows.iter().filter_map(|&i| self.observation(i))
    }
}

/// What the index knows of each observation, kept past the checks for the
/// report's passes over every observation (the entity charts): 20 bytes of
/// each, in compact arrays, instead of the observations themselves.
pub struct Figures<'a>(Seen<'a>);

impl<'a> Index<'a> {
    /// The per-observation arrays alone; the tables are let go.
    pub fn into_figures(self) -> Figures<'a> {
        Figures(self.seen)
    }
}

impl<'a> Figures<'a> {
    pub fn new(dataset: &'a Dataset) -> Self {
        Index::new(dataset).into_figures()
    }

    /// How many observations the index holds, numbered from 0 in dataset order.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.len() == 0
    }

    /// The dataset the figures are of.
    pub fn dataset(&self) -> &'a Dataset {
        self.0.dataset
    }

    /// Observation `i`.
    pub fn at(&self, i: usize) -> Option<ObservationRef<'a>> {
        self.0.dataset.get(i)
    }

    /// The observations of the report's own agency (no entity), in reading
    /// order.
    pub fn agency(&self) -> impl Iterator<Item = ObservationRef<'a>> + '_ {
        let (first, last) = self
            .0
            .sighting
            .agency
            .map_or((1, 0), |(f, l)| (f as usize, l as usize));
        let entities = self
            .0
            .sighting
            .entity_of
            .get(first..=last)
            .unwrap_or_default();
        (first..)
            .zip(entities)
            .filter(|&(_, &entity)| entity == AGENCY)
            .filter_map(|(i, _)| self.at(i))
    }

    /// Observation `i` when it is an entity's figure with a number: its
    /// (indicator, period) as one key, and the number. From the index's
    /// own arrays: a pass over every observation reads 20 bytes of each.
    pub fn entity_figure(&self, i: usize) -> Option<(u64, f64)> {
        let (&entity, &key) = (
            self.0.sighting.entity_of.get(i)?,
            self.0.sighting.keys.get(i)?,
        );
        if entity == AGENCY {
            return None;
        }
        let number = *self.0.sighting.numbers.get(i)?;
        (number.to_bits() != NO_NUMBER).then_some((key, number))
    }
}
