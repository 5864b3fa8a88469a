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

/// An `Index` being built, a slice at a time (the page checks millions of
/// observations between frames): each observation is seen, then the tables
/// are built from what was seen, each a slice at a time too.
pub(super) struct IndexBuilder<'a> {
    /// Filled up to the observations taken so far.
    pub(super) seen: Seen<'a>,
    /// The observations not yet seen, and how many there are in all.
    rest: Box<dyn Iterator<Item = &'a Observation> + 'a>,
    count: usize,
    /// Observations per entity, counted first so that each entity's entries
    /// are allocated once (16,000 growing vectors were a tenth of the check
    /// in the page).
    per_entity: Vec<u32>,
    last_entity: Option<(&'a Label, Id)>,
    /// The index's tables, built phase by phase once every observation is
    /// seen (see `Index` for what each holds).
    phase: Phase,
    by_entity: Vec<Vec<(Key, u32)>>,
    /// Per observation, while sorting and listing: whether it is the first
    /// of its entity's key.
    is_first: Vec<bool>,
    repeated: Vec<Vec<u32>>,
    by_indicator: Vec<Vec<u32>>,
    blocks: Option<Blocks>,
}

/// Where an index's building is; each phase goes on from the number it holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Seeing,
    /// Each observation's entry put in its entity's list, from an observation.
    Placing(usize),
    /// Each entity's entries sorted, a repeated key's later observations set
    /// apart, from an entity.
    Sorting(usize),
    /// Each indicator's first observations listed, from an observation.
    Listing(usize),
    Built,
}

impl<'a> IndexBuilder<'a> {
    pub(super) fn new(dataset: &'a Dataset) -> Self {
        // Observations are numbered by `u32`s.
        let count = dataset.len().min(u32::MAX as usize);
        IndexBuilder {
            seen: Seen {
                // Sized first: growing by doubling was a good part of a
                // large check's time.
                observations: Vec::with_capacity(count),
                indicators: Ids::new(0),
                entities: Ids::new(AGENCY + 1),
                ids: Vec::with_capacity(count),
                keys: Vec::with_capacity(count),
                numbers: Vec::with_capacity(count),
            },
            rest: Box::new(dataset.observations().take(count)),
            count,
            per_entity: Vec::new(),
            last_entity: None,
            phase: Phase::Seeing,
            by_entity: Vec::new(),
            is_first: Vec::new(),
            repeated: Vec::new(),
            by_indicator: Vec::new(),
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
                    spent += self.see(left);
                    if self.seen.observations.len() < self.count {
                        Phase::Seeing
                    } else {
                        self.by_entity = (self.per_entity.iter())
                            .map(|&n| Vec::with_capacity(n as usize))
                            .collect();
                        Phase::Placing(0)
                    }
                }
                Phase::Placing(next) => {
                    let to = next.saturating_add(left).min(self.count);
                    let (ids, keys) = (&self.seen.ids, &self.seen.keys);
                    for i in next..to {
                        if let (Some(&(_, entity)), Some(&key)) = (ids.get(i), keys.get(i)) {
                            if let Some(entries) = self.by_entity.get_mut(entity as usize) {
                                entries.push((key, i as u32));
                            }
                        }
                    }
                    spent += to - next;
                    if to < self.count {
                        Phase::Placing(to)
                    } else {
                        self.is_first = vec![true; self.count];
                        Phase::Sorting(0)
                    }
                }
                Phase::Sorting(mut next) => {
                    while let Some(entries) = self.by_entity.get_mut(next) {
                        if spent >= budget {
                            break;
                        }
                        spent += entries.len().max(1);
                        sort_entries(entries, &mut self.is_first, &mut self.repeated);
                        next += 1;
                    }
                    if next < self.by_entity.len() {
                        Phase::Sorting(next)
                    } else {
                        self.repeated.sort_unstable();
                        self.by_indicator = vec![Vec::new(); self.seen.indicators.next as usize];
                        Phase::Listing(0)
                    }
                }
                Phase::Listing(next) => {
                    let to = next.saturating_add(left).min(self.count);
                    for i in next..to {
                        let first = self.is_first.get(i).copied().unwrap_or(false);
                        if let (true, Some(&(indicator, _))) = (first, self.seen.ids.get(i)) {
                            if let Some(rows) = self.by_indicator.get_mut(indicator as usize) {
                                rows.push(i as u32);
                            }
                        }
                    }
                    spent += to - next;
                    if to < self.count {
                        Phase::Listing(to)
                    } else {
                        self.is_first = Vec::new();
                        let indicators = self.seen.indicators.next;
                        self.blocks = Blocks::new(&self.by_entity, indicators, self.count);
                        spent += self.count / 4;
                        Phase::Built
                    }
                }
                Phase::Built => Phase::Built,
            };
        }
        (self.phase == Phase::Built, spent)
    }

    /// Sees up to `budget` more observations; how many it saw.
    fn see(&mut self, budget: usize) -> usize {
        let before = self.seen.observations.len();
        for o in self.rest.by_ref().take(budget) {
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
            self.seen.observations.push(o);
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
        // A dataset shorter than it said ends the seeing.
        let seen = self.seen.observations.len() - before;
        if seen < budget {
            self.count = self.seen.observations.len();
        }
        seen
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

/// Sorts an entity's entries, which puts a repeated key's observations
/// side by side, first one first: the later ones are marked not first and
/// the whole group noted in `repeated`; one entry per key is left.
fn sort_entries(
    entries: &mut Vec<(Key, u32)>,
    is_first: &mut [bool],
    repeated: &mut Vec<Vec<u32>>,
) {
    // A long file lists each entity's figures in one order, so most
    // entries come sorted and without repeats already.
    if entries.is_sorted_by(|a, b| a.0 < b.0) {
        return;
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

impl<'a> Index<'a> {
    pub fn new(dataset: &'a Dataset) -> Self {
        IndexBuilder::new(dataset).finish()
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

/// What the index knows of each observation, kept past the checks for the
/// report's passes over every observation (the entity charts): 24 bytes of
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
        self.0.observations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.observations.is_empty()
    }

    /// Observation `i`.
    pub fn at(&self, i: usize) -> Option<&'a Observation> {
        self.0.observations.get(i).copied()
    }

    /// Observation `i` when it is an entity's figure with a number: its
    /// (indicator, period) as one key, and the number. From the index's
    /// own arrays: a pass over every observation reads 24 bytes of each.
    pub fn entity_figure(&self, i: usize) -> Option<(u64, f64)> {
        let (&(_, entity), &key) = (self.0.ids.get(i)?, self.0.keys.get(i)?);
        if entity == AGENCY {
            return None;
        }
        let number = *self.0.numbers.get(i)?;
        // NaN stands for "no number" here; a NaN read as a number is one.
        let number = match number.is_nan() {
            true => self.at(i)?.value.number()?,
            false => number,
        };
        Some((key, number))
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
