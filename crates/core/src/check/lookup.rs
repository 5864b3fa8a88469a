//! The checks' index of a dataset: indicators and entities as dense ids,
//! each observation's (indicator, period) key and number, and where an
//! entity's figures of an indicator sit.

use super::*;

/// A dense id for a distinct indicator or entity text of one dataset.
pub(super) type Id = u32;

/// An (indicator, period) as one integer: the index's sorted entries are
/// searched a few million times, and comparing one `u64` beats comparing
/// a tuple with an enum in it.
pub(super) type Key = u64;

pub(super) fn key(indicator: Id, period: Period) -> Key {
    // The period in 34 bits (its kind, then two 16-bit fields) under the
    // indicator id: ids are dense and fewer than the rows read (at most
    // `Limits::max_rows`, far below 2^30), so no two keys collide.
    let (kind, a, b) = match period {
        Period::Year(y) => (0u64, y, 0),
        Period::Quarter { year, quarter } => (1, year, u16::from(quarter)),
        Period::Half { year, half } => (2, year, u16::from(half)),
        Period::Span { from, to } => (SPAN, from, to),
    };
    u64::from(indicator) << INDICATOR_SHIFT | kind << 32 | u64::from(a) << 16 | u64::from(b)
}

pub(super) const INDICATOR_SHIFT: u32 = 34;
/// The kind of a span in a key.
pub(super) const SPAN: u64 = 3;

pub(super) fn indicator_of(key: Key) -> Id {
    (key >> INDICATOR_SHIFT) as Id
}

/// The same period under another indicator: a rule's other figures.
pub(super) fn with_indicator(key: Key, indicator: Id) -> Key {
    key & ((1 << INDICATOR_SHIFT) - 1) | u64::from(indicator) << INDICATOR_SHIFT
}

/// `Period::end_year` of a key's period.
pub(super) fn end_year(key: Key) -> u16 {
    let (kind, a, b) = ((key >> 32) & 3, (key >> 16) as u16, key as u16);
    if kind == SPAN {
        b
    } else {
        a
    }
}
/// The entity id of observations without an entity (the report's own agency).
pub(super) const AGENCY: Id = 0;

/// Dense ids for the distinct texts of a dataset's labels. Readers share one
/// `Arc` per distinct text within a file, so the id is looked up by the
/// label's address first (hashing a pointer) and by its text only the first
/// time an address is seen.
pub(super) struct Ids<'a> {
    pub(super) by_address: HashMap<*const u8, Id>,
    pub(super) by_text: HashMap<&'a str, Id>,
    pub(super) next: Id,
}

impl<'a> Ids<'a> {
    pub(super) fn new(first: Id) -> Self {
        Ids {
            by_address: HashMap::default(),
            by_text: HashMap::default(),
            next: first,
        }
    }

    pub(super) fn id(&mut self, label: &'a Label) -> Id {
        let address = label.as_ptr();
        if let Some(&id) = self.by_address.get(&address) {
            return id;
        }
        let next = self.next;
        let id = *self.by_text.entry(&**label).or_insert(next);
        if id == next {
            self.next += 1;
        }
        self.by_address.insert(address, id);
        id
    }

    pub(super) fn get(&self, text: &str) -> Option<Id> {
        self.by_text.get(text).copied()
    }
}

/// Observations indexed by (indicator, entity, period), with the texts
/// turned into dense ids once so that the rules compare integers.
///
/// Layout: per entity, its (indicator, period, observation) entries sorted.
/// Rules look up several indicators of the same entity and period in a row,
/// and those entries sit next to each other; a million-key hash map spent
/// its time on cache misses instead.
pub struct Index<'a> {
    pub(super) seen: Seen<'a>,
    /// Per entity id: the first observation of each (indicator, period), sorted.
    pub(super) by_entity: Vec<Vec<(Key, u32)>>,
    /// Where each indicator's entries begin in each entity's `by_entity`,
    /// when that table is small beside the data; lookups then search a
    /// few periods instead of all of an entity's entries.
    pub(super) blocks: Option<Blocks>,
    /// Per indicator id: the first observation of each (entity, period), in file order.
    pub(super) by_indicator: Vec<Vec<u32>>,
    /// Keys seen more than once, with every observation index, in file order.
    pub(super) repeated: Vec<Vec<u32>>,
}

/// What an index knows of each observation, gathered in one pass.
pub(super) struct Seen<'a> {
    /// The dataset's observations, indexable: `u32`s point into this.
    pub(super) observations: Vec<&'a Observation>,
    pub(super) indicators: Ids<'a>,
    pub(super) entities: Ids<'a>,
    /// Per observation: its (indicator, entity) ids.
    pub(super) ids: Vec<(Id, Id)>,
    /// Per observation: its (indicator, period) key.
    pub(super) keys: Vec<Key>,
    /// Per observation: its number, NaN when it has none. Rules read these
    /// rather than the observations: 8 bytes a figure instead of a cache
    /// miss on 88 (a NaN read from a file could not pass or fail a rule
    /// either: every comparison with it is false).
    pub(super) numbers: Vec<f64>,
}

/// An `Index` being built, a slice of observations at a time (the page
/// checks a million observations between frames).
pub(super) struct IndexBuilder<'a> {
    /// Filled up to the observations taken so far.
    pub(super) seen: Seen<'a>,
    /// Observations per entity, counted first so that each entity's entries
    /// are allocated once (16,000 growing vectors were a tenth of the check
    /// in the page).
    pub(super) per_entity: Vec<u32>,
    pub(super) last_entity: Option<(&'a Label, Id)>,
}

impl<'a> IndexBuilder<'a> {
    pub(super) fn new(dataset: &'a Dataset) -> Self {
        let count = dataset.len();
        // Observations are numbered by `u32`s. Sized first: collecting a
        // chain of parts would grow the vector by doubling, a good part of
        // a large check's time.
        let mut observations: Vec<&'a Observation> =
            Vec::with_capacity(count.min(u32::MAX as usize));
        observations.extend(dataset.observations().take(u32::MAX as usize));
        IndexBuilder {
            seen: Seen {
                observations,
                indicators: Ids::new(0),
                entities: Ids::new(AGENCY + 1),
                ids: Vec::with_capacity(count),
                keys: Vec::with_capacity(count),
                numbers: Vec::with_capacity(count),
            },
            per_entity: Vec::new(),
            last_entity: None,
        }
    }

    /// Takes up to `budget` more observations; true when all are in.
    pub(super) fn step(&mut self, budget: usize) -> bool {
        let from = self.seen.ids.len();
        let to = from
            .saturating_add(budget)
            .min(self.seen.observations.len());
        for &o in self.seen.observations.get(from..to).unwrap_or_default() {
            let indicator = self.seen.indicators.id(&o.indicator);
            // Long files list an entity's rows together: skip even the pointer hash.
            let entity = match (o.entity_label(), self.last_entity) {
                (None, _) => AGENCY,
                (Some(e), Some((last, id))) if Label::ptr_eq(e, last) => id,
                (Some(e), _) => {
                    let id = self.seen.entities.id(e);
                    self.last_entity = Some((e, id));
                    id
                }
            };
            self.seen.ids.push((indicator, entity));
            self.seen.keys.push(key(indicator, o.period));
            self.seen.numbers.push(o.value.number().unwrap_or(f64::NAN));
            let at = entity as usize;
            if self.per_entity.len() <= at {
                self.per_entity.resize(at + 1, 0);
            }
            if let Some(count) = self.per_entity.get_mut(at) {
                *count += 1;
            }
        }
        to >= self.seen.observations.len()
    }

    pub(super) fn finish(self) -> Index<'a> {
        let IndexBuilder {
            seen, per_entity, ..
        } = self;
        let mut by_entity: Vec<Vec<(Key, u32)>> = per_entity
            .iter()
            .map(|&n| Vec::with_capacity(n as usize))
            .collect();
        for (i, (&(_, entity), &key)) in (0u32..).zip(seen.ids.iter().zip(&seen.keys)) {
            if let Some(entries) = by_entity.get_mut(entity as usize) {
                entries.push((key, i));
            }
        }
        // Sorting puts a repeated key's observations side by side, first one first.
        let mut is_first = vec![true; seen.ids.len()];
        let mut repeated = Vec::new();
        for entries in &mut by_entity {
            // A long file lists each entity's figures in one order, so most
            // entries come sorted and without repeats already.
            if entries.is_sorted_by(|a, b| a.0 < b.0) {
                continue;
            }
            entries.sort_unstable();
            for same in entries.chunk_by(|a, b| a.0 == b.0).filter(|s| s.len() > 1) {
                let all: Vec<u32> = same.iter().map(|e| e.1).collect();
                for &later in all.iter().skip(1) {
                    if let Some(first) = is_first.get_mut(later as usize) {
                        *first = false;
                    }
                }
                repeated.push(all);
            }
            entries.dedup_by_key(|e| e.0);
        }
        repeated.sort_unstable();
        let mut by_indicator: Vec<Vec<u32>> = vec![Vec::new(); seen.indicators.next as usize];
        for ((i, &(indicator, _)), _) in (0u32..)
            .zip(&seen.ids)
            .zip(&is_first)
            .filter(|(_, &first)| first)
        {
            if let Some(rows) = by_indicator.get_mut(indicator as usize) {
                rows.push(i);
            }
        }
        let blocks = Blocks::new(&by_entity, seen.indicators.next, seen.ids.len());
        Index {
            seen,
            by_entity,
            blocks,
            by_indicator,
            repeated,
        }
    }
}

impl<'a> Index<'a> {
    pub fn new(dataset: &'a Dataset) -> Self {
        let mut builder = IndexBuilder::new(dataset);
        builder.step(usize::MAX);
        builder.finish()
    }

    pub(super) fn observation(&self, i: u32) -> Option<&'a Observation> {
        self.seen.observations.get(i as usize).copied()
    }

    pub(super) fn entity_id(&self, entity: Option<&str>) -> Option<Id> {
        match entity {
            None => Some(AGENCY),
            Some(e) => self.seen.entities.get(e),
        }
    }

    pub(super) fn get_by_id(
        &self,
        indicator: Id,
        entity: Id,
        period: Period,
    ) -> Option<&'a Observation> {
        self.observation(self.find(entity, key(indicator, period))?)
    }

    /// The first observation of an entity with a key.
    pub(super) fn find(&self, entity: Id, wanted: Key) -> Option<u32> {
        let entries = self.block(entity, indicator_of(wanted));
        let at = entries.binary_search_by(|e| e.0.cmp(&wanted)).ok()?;
        Some(entries.get(at)?.1)
    }

    /// An entity's entries of one indicator, sorted by period.
    pub(super) fn block(&self, entity: Id, indicator: Id) -> &[(Key, u32)] {
        let entries = self
            .by_entity
            .get(entity as usize)
            .map_or(&[][..], Vec::as_slice);
        match &self.blocks {
            Some(blocks) => blocks.of(entries, entity, indicator).unwrap_or_default(),
            None => {
                let from = entries.partition_point(|e| indicator_of(e.0) < indicator);
                let to = entries.partition_point(|e| indicator_of(e.0) <= indicator);
                entries.get(from..to).unwrap_or_default()
            }
        }
    }

    /// An observation's number, if it has one.
    pub(super) fn number(&self, i: u32) -> Option<f64> {
        let v = *self.seen.numbers.get(i as usize)?;
        (!v.is_nan()).then_some(v)
    }

    pub fn get(
        &self,
        indicator: &str,
        entity: Option<&str>,
        period: Period,
    ) -> Option<&'a Observation> {
        let indicator = self.seen.indicators.get(indicator)?;
        self.get_by_id(indicator, self.entity_id(entity)?, period)
    }

    /// Indices of the first observation of each (entity, period) of an indicator.
    pub(super) fn rows_of(&self, indicator: Id) -> &[u32] {
        self.by_indicator
            .get(indicator as usize)
            .map_or(&[], Vec::as_slice)
    }

    /// The first observation of each (entity, period) of `indicator`.
    pub fn of(&self, indicator: &str) -> impl Iterator<Item = &'a Observation> + '_ {
        let rows = self
            .seen
            .indicators
            .get(indicator)
            .map_or(&[][..], |id| self.rows_of(id));
        rows.iter().filter_map(|&i| self.observation(i))
    }
}

/// Per entity, where each indicator's entries begin: row `entity` of a
/// table with a column per indicator id and one more for the end.
pub(super) struct Blocks {
    pub(super) starts: Vec<u32>,
    pub(super) columns: usize,
}

impl Blocks {
    /// `None` when the table would outgrow the data (thousands of entities
    /// times thousands of indicators): lookups then search whole entities.
    pub(super) fn new(
        by_entity: &[Vec<(Key, u32)>],
        indicators: Id,
        observations: usize,
    ) -> Option<Self> {
        let columns = indicators as usize + 1;
        let cells = by_entity.len().checked_mul(columns)?;
        if cells > 2 * observations + 4096 {
            return None;
        }
        let mut starts = Vec::with_capacity(cells);
        for entries in by_entity {
            let mut at = 0;
            for indicator in 0..columns as Id {
                while entries
                    .get(at)
                    .is_some_and(|e| indicator_of(e.0) < indicator)
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
        entries: &'e [(Key, u32)],
        entity: Id,
        indicator: Id,
    ) -> Option<&'e [(Key, u32)]> {
        if indicator as usize + 1 >= self.columns {
            return None;
        }
        let row = (entity as usize).checked_mul(self.columns)? + indicator as usize;
        let from = *self.starts.get(row)? as usize;
        let to = *self.starts.get(row + 1)? as usize;
        entries.get(from..to)
    }
}
