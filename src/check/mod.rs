//! Checks: every rule of the catalogue and every per-value check, over the
//! whole dataset. Pure: same dataset and catalogue, same findings, in order.

pub mod expr;

use crate::cap::Sink;
use crate::catalog::{Catalog, Indicator, Kind, RankOf, Rule, RuleCheck, RuleSeverity};
use crate::ingest::period::read_period;
use crate::model::{CellRef, Dataset, Finding, Label, Observation, Period, Severity};
use crate::vn::format_number;
// FxHash: the index holds a million keys of short strings; SipHash’s DoS
// resistance buys nothing for a user checking their own files.
use rustc_hash::FxHashMap as HashMap;

/// A dense id for a distinct indicator or entity text of one dataset.
type Id = u32;

/// An (indicator, period) as one integer: the index's sorted entries are
/// searched a few million times, and comparing one `u64` beats comparing
/// a tuple with an enum in it.
type Key = u64;

fn key(indicator: Id, period: Period) -> Key {
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

const INDICATOR_SHIFT: u32 = 34;
/// The kind of a span in a key.
const SPAN: u64 = 3;

fn indicator_of(key: Key) -> Id {
    (key >> INDICATOR_SHIFT) as Id
}

/// The same period under another indicator: a rule's other figures.
fn with_indicator(key: Key, indicator: Id) -> Key {
    key & ((1 << INDICATOR_SHIFT) - 1) | u64::from(indicator) << INDICATOR_SHIFT
}

/// `Period::end_year` of a key's period.
fn end_year(key: Key) -> u16 {
    let (kind, a, b) = ((key >> 32) & 3, (key >> 16) as u16, key as u16);
    if kind == SPAN {
        b
    } else {
        a
    }
}
/// The entity id of observations without an entity (the report's own agency).
const AGENCY: Id = 0;

/// Dense ids for the distinct texts of a dataset's labels. Readers share one
/// `Arc` per distinct text within a file, so the id is looked up by the
/// label's address first (hashing a pointer) and by its text only the first
/// time an address is seen.
struct Ids<'a> {
    by_address: HashMap<*const u8, Id>,
    by_text: HashMap<&'a str, Id>,
    next: Id,
}

impl<'a> Ids<'a> {
    fn new(first: Id) -> Self {
        Ids {
            by_address: HashMap::default(),
            by_text: HashMap::default(),
            next: first,
        }
    }

    fn id(&mut self, label: &'a Label) -> Id {
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

    fn get(&self, text: &str) -> Option<Id> {
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
    seen: Seen<'a>,
    /// Per entity id: the first observation of each (indicator, period), sorted.
    by_entity: Vec<Vec<(Key, u32)>>,
    /// Where each indicator's entries begin in each entity's `by_entity`,
    /// when that table is small beside the data; lookups then search a
    /// few periods instead of all of an entity's entries.
    blocks: Option<Blocks>,
    /// Per indicator id: the first observation of each (entity, period), in file order.
    by_indicator: Vec<Vec<u32>>,
    /// Keys seen more than once, with every observation index, in file order.
    repeated: Vec<Vec<u32>>,
}

/// What an index knows of each observation, gathered in one pass.
struct Seen<'a> {
    /// The dataset's observations, indexable: `u32`s point into this.
    observations: Vec<&'a Observation>,
    indicators: Ids<'a>,
    entities: Ids<'a>,
    /// Per observation: its (indicator, entity) ids.
    ids: Vec<(Id, Id)>,
    /// Per observation: its (indicator, period) key.
    keys: Vec<Key>,
    /// Per observation: its number, NaN when it has none. Rules read these
    /// rather than the observations: 8 bytes a figure instead of a cache
    /// miss on 88 (a NaN read from a file could not pass or fail a rule
    /// either: every comparison with it is false).
    numbers: Vec<f64>,
}

/// An `Index` being built, a slice of observations at a time (the page
/// checks a million observations between frames).
struct IndexBuilder<'a> {
    /// Filled up to the observations taken so far.
    seen: Seen<'a>,
    /// Observations per entity, counted first so that each entity's entries
    /// are allocated once (16,000 growing vectors were a tenth of the check
    /// in the page).
    per_entity: Vec<u32>,
    last_entity: Option<(&'a Label, Id)>,
}

impl<'a> IndexBuilder<'a> {
    fn new(dataset: &'a Dataset) -> Self {
        let count = dataset.len();
        // Observations are numbered by `u32`s. Sized first: collecting a
        // chain of parts grows the vector by doubling (in the page, ~20 ms
        // of a million rows' check was that).
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
    fn step(&mut self, budget: usize) -> bool {
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

    fn finish(self) -> Index<'a> {
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

    fn observation(&self, i: u32) -> Option<&'a Observation> {
        self.seen.observations.get(i as usize).copied()
    }

    fn entity_id(&self, entity: Option<&str>) -> Option<Id> {
        match entity {
            None => Some(AGENCY),
            Some(e) => self.seen.entities.get(e),
        }
    }

    fn get_by_id(&self, indicator: Id, entity: Id, period: Period) -> Option<&'a Observation> {
        self.observation(self.find(entity, key(indicator, period))?)
    }

    /// The first observation of an entity with a key.
    fn find(&self, entity: Id, wanted: Key) -> Option<u32> {
        let entries = self.block(entity, indicator_of(wanted));
        let at = entries.binary_search_by(|e| e.0.cmp(&wanted)).ok()?;
        Some(entries.get(at)?.1)
    }

    /// An entity's entries of one indicator, sorted by period.
    fn block(&self, entity: Id, indicator: Id) -> &[(Key, u32)] {
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
    fn number(&self, i: u32) -> Option<f64> {
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
    fn rows_of(&self, indicator: Id) -> &[u32] {
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
struct Blocks {
    starts: Vec<u32>,
    columns: usize,
}

impl Blocks {
    /// `None` when the table would outgrow the data (thousands of entities
    /// times thousands of indicators): lookups then search whole entities.
    fn new(by_entity: &[Vec<(Key, u32)>], indicators: Id, observations: usize) -> Option<Self> {
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
    fn of<'e>(
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

/// Runs every check; findings come in a stable order.
pub fn check(dataset: &Dataset, catalog: &Catalog) -> Vec<Finding> {
    let mut checking = Checking::new(dataset, catalog);
    while !checking.step(usize::MAX) {}
    checking.finish()
}

/// Every finding of the checks, none left out, each handed to `each`.
pub fn check_each(dataset: &Dataset, catalog: &Catalog, each: impl FnMut(Finding)) {
    let mut checking = Checking::streaming(dataset, catalog, each);
    while !checking.step(usize::MAX) {}
}

/// The checks being run a slice at a time, so that the page can paint
/// between slices: `step` does about `budget` observations' worth of work
/// (indexing, per-value checks, periods, rules, in that order), and the
/// findings are those `check` gives, in the same order.
pub struct Checking<'a> {
    catalog: &'a Catalog,
    stage: Stage<'a>,
    findings: Sink<'a>,
}

enum Stage<'a> {
    Indexing(IndexBuilder<'a>),
    /// Per-value checks, from observation `next`.
    Values {
        index: Index<'a>,
        definitions: Vec<Option<&'a Indicator>>,
        next: usize,
    },
    /// Period checks, from catalogue indicator `next`.
    Periods {
        index: Index<'a>,
        next: usize,
    },
    /// Rules that need more than one entity and period's figures, from
    /// catalogue rule `next`; each rule's findings go to its own list.
    Rules {
        index: Index<'a>,
        next: usize,
        found: Vec<Vec<(u32, Finding)>>,
    },
    /// Rules over one entity and period's figures, entity by entity from
    /// `next`: all of an entity's figures are read while in cache (rule by
    /// rule, each rule walked every entity and missed the cache at each).
    RowRules {
        index: Index<'a>,
        rules: Vec<RowRule<'a>>,
        next: usize,
        found: Vec<Vec<(u32, Finding)>>,
    },
    Done,
}

/// A rule over one entity and period's figures (sum, difference,
/// percentage, at most): its place in the catalogue and its indicators'
/// ids, head first.
struct RowRule<'a> {
    at: usize,
    rule: &'a Rule,
    ids: Vec<Id>,
}

impl<'a> RowRule<'a> {
    fn is_row_rule(check: &RuleCheck) -> bool {
        matches!(
            check,
            RuleCheck::Sum { .. }
                | RuleCheck::Difference { .. }
                | RuleCheck::Percentage { .. }
                | RuleCheck::AtMost { .. }
        )
    }

    /// `None` for other kinds of rule, and for a rule naming an indicator
    /// without observations (it has nothing to check).
    fn new(at: usize, rule: &'a Rule, index: &Index) -> Option<Self> {
        if !Self::is_row_rule(&rule.check) {
            return None;
        }
        let ids: Vec<Id> = (rule.check.indicators().iter())
            .map(|c| index.seen.indicators.get(c))
            .collect::<Option<_>>()?;
        (!ids.is_empty()).then_some(RowRule { at, rule, ids })
    }
}

impl<'a> Checking<'a> {
    pub fn new(dataset: &'a Dataset, catalog: &'a Catalog) -> Self {
        Checking {
            catalog,
            stage: Stage::Indexing(IndexBuilder::new(dataset)),
            findings: Sink::default(),
        }
    }

    /// The checks, every finding handed to `each` as it is found (none
    /// kept, none left out): for listing them all.
    pub fn streaming(
        dataset: &'a Dataset,
        catalog: &'a Catalog,
        each: impl FnMut(Finding) + 'a,
    ) -> Self {
        Checking {
            catalog,
            stage: Stage::Indexing(IndexBuilder::new(dataset)),
            findings: Sink::streaming(each),
        }
    }

    /// Does about `budget` observations' worth of work; true when done.
    pub fn step(&mut self, budget: usize) -> bool {
        let budget = budget.max(1);
        let catalog = self.catalog;
        let findings = &mut self.findings;
        let mut spent = 0usize;
        loop {
            if spent >= budget {
                return false;
            }
            self.stage = match std::mem::replace(&mut self.stage, Stage::Done) {
                Stage::Indexing(mut builder) => {
                    let left = budget - spent;
                    let before = builder.seen.ids.len();
                    let done = builder.step(left);
                    spent += builder.seen.ids.len() - before;
                    if !done {
                        self.stage = Stage::Indexing(builder);
                        return false;
                    }
                    let index = builder.finish();
                    spent += index.seen.ids.len() / 2;
                    conflicts(&index, findings);
                    // The catalogue entry of each indicator id, looked up
                    // once, not per value.
                    let mut definitions = vec![None; index.seen.indicators.next as usize];
                    for (text, &id) in &index.seen.indicators.by_text {
                        if let Some(slot) = definitions.get_mut(id as usize) {
                            *slot = catalog.get(text);
                        }
                    }
                    Stage::Values {
                        index,
                        definitions,
                        next: 0,
                    }
                }
                Stage::Values {
                    index,
                    definitions,
                    next,
                } => {
                    let to = next
                        .saturating_add(budget - spent)
                        .min(index.seen.ids.len());
                    for i in next..to {
                        let Some(&(indicator, _)) = index.seen.ids.get(i) else {
                            break;
                        };
                        if let Some(Some(definition)) = definitions.get(indicator as usize) {
                            per_value(i as u32, definition, &index, findings);
                        }
                    }
                    spent += to - next;
                    if to < index.seen.ids.len() {
                        Stage::Values {
                            index,
                            definitions,
                            next: to,
                        }
                    } else {
                        Stage::Periods { index, next: 0 }
                    }
                }
                Stage::Periods { index, next } => match catalog.indicators.get(next) {
                    Some(ind) => {
                        spent += periods(ind, &index, findings);
                        Stage::Periods {
                            index,
                            next: next + 1,
                        }
                    }
                    None => Stage::Rules {
                        index,
                        next: 0,
                        found: vec![Vec::new(); catalog.rules.len()],
                    },
                },
                Stage::Rules {
                    index,
                    next,
                    mut found,
                } => match (catalog.rules.get(next), found.get_mut(next)) {
                    (Some(rule), Some(list)) => {
                        if !RowRule::is_row_rule(&rule.check) {
                            let mut own = Vec::new();
                            apply_rule(rule, &index, &mut own);
                            list.extend(own.into_iter().map(|f| (0, f)));
                            findings.settle(list, false);
                            // What a rule costs: a look at each row of its first indicator.
                            spent += rule
                                .check
                                .indicators()
                                .first()
                                .and_then(|c| index.seen.indicators.get(c))
                                .map_or(1, |id| index.rows_of(id).len().max(1));
                        }
                        Stage::Rules {
                            index,
                            next: next + 1,
                            found,
                        }
                    }
                    _ => {
                        let rules = (catalog.rules.iter().enumerate())
                            .filter_map(|(at, rule)| RowRule::new(at, rule, &index))
                            .collect();
                        Stage::RowRules {
                            index,
                            rules,
                            next: 0,
                            found,
                        }
                    }
                },
                Stage::RowRules {
                    index,
                    rules,
                    next,
                    mut found,
                } => {
                    let entities = index.by_entity.len();
                    let mut entity = next;
                    while entity < entities && spent < budget {
                        spent += row_rules(entity as Id, &rules, &index, &mut found).max(1);
                        entity += 1;
                    }
                    // A rule that fails on every row keeps only the first.
                    for list in &mut found {
                        findings.settle(list, false);
                    }
                    if entity < entities {
                        Stage::RowRules {
                            index,
                            rules,
                            next: entity,
                            found,
                        }
                    } else {
                        // Each row rule's findings in the order of its head
                        // figures in the files, as a rule-by-rule walk gave.
                        for rule in &rules {
                            if let Some(list) = found.get_mut(rule.at) {
                                list.sort_by_key(|(i, _)| *i);
                            }
                        }
                        for mut list in found {
                            findings.settle(&mut list, true);
                            findings.extend_settled(list);
                        }
                        return true;
                    }
                }
                Stage::Done => return true,
            };
        }
    }

    pub fn finish(self) -> Vec<Finding> {
        self.findings.finish()
    }
}

/// Required periods present, and no unusual jump between consecutive years,
/// for one indicator; returns how many observations it looked at.
fn periods(ind: &Indicator, index: &Index, findings: &mut Sink) -> usize {
    if ind.required_periods.is_empty() && ind.max_change_percent.is_none() {
        return 0;
    }
    periods_of(ind, index, findings);
    index.of(&ind.code).count()
}

fn periods_of(ind: &Indicator, index: &Index, findings: &mut Sink) {
    {
        let mut by_entity: std::collections::BTreeMap<Option<&str>, Vec<&Observation>> =
            Default::default();
        for o in index.of(&ind.code) {
            by_entity.entry(o.entity()).or_default().push(o);
        }
        for (entity, mut obs) in by_entity {
            obs.sort_by_key(|o| o.period);
            let who = entity.map(|e| format!(" ({e})")).unwrap_or_default();
            for required in ind.required_periods.iter().filter_map(|p| read_period(p)) {
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
                        .at(b.cell, b.raw.clone())
                        .with_cells([a.cell]),
                    );
                }
            }
        }
    }
}

fn n(v: f64) -> String {
    format_number(v, 2)
}

fn place(o: &Observation) -> String {
    match o.entity() {
        Some(e) => format!("{} ({e}, {})", o.indicator, o.period),
        None => format!("{} ({})", o.indicator, o.period),
    }
}

fn conflicts(index: &Index, findings: &mut Sink) {
    for obs in &index.repeated {
        let all: Vec<&Observation> = obs.iter().filter_map(|&i| index.observation(i)).collect();
        let Some(first) = all.first() else { continue };
        if all.iter().all(|o| o.value == first.value) {
            continue;
        }
        let values: Vec<String> = all.iter().map(|o| o.raw.trim().to_string()).collect();
        findings.push(
            Finding::new(
                Severity::Error,
                "conflict",
                format!(
                    "{} có {} giá trị khác nhau: {}",
                    place(first),
                    all.len(),
                    values.join(" ≠ ")
                ),
                format!(
                    "{} has {} different values: {}",
                    place(first),
                    all.len(),
                    values.join(" ≠ ")
                ),
            )
            .at(first.cell, first.raw.clone())
            .with_cells(all.iter().map(|o| o.cell)),
        );
    }
}

/// The checks of one observation's own value. It reads the index's copy
/// of the number and key, and the observation itself only to report.
fn per_value(i: u32, ind: &Indicator, index: &Index, findings: &mut Sink) {
    let (Some(v), Some(&key), Some(&(_, entity)), Some(o)) = (
        index.number(i),
        index.seen.keys.get(i as usize),
        index.seen.ids.get(i as usize),
        index.observation(i),
    ) else {
        return;
    };
    let mut fail = |rule: &str, vi: String, en: String| {
        findings.push(Finding::new(Severity::Error, rule, vi, en).at(o.cell, o.raw.clone()));
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

fn severity(rule: &Rule) -> Severity {
    match rule.severity {
        RuleSeverity::Error => Severity::Error,
        RuleSeverity::Warning => Severity::Warning,
        RuleSeverity::Info => Severity::Info,
    }
}

fn rule_finding(rule: &Rule, arithmetic: String, cells: Vec<(CellRef, &str)>) -> Finding {
    let vi = if rule.message.is_empty() {
        format!("Quy tắc {} không thỏa: {arithmetic}", rule.id)
    } else {
        format!("{}: {arithmetic}", rule.message)
    };
    let en = if rule.message_en.is_empty() {
        format!("Rule {} fails: {arithmetic}", rule.id)
    } else {
        format!("{}: {arithmetic}", rule.message_en)
    };
    let mut f = Finding::new(severity(rule), rule.id.clone(), vi, en);
    if let Some((cell, raw)) = cells.first() {
        f = f.at(*cell, *raw);
    }
    f.with_cells(cells.into_iter().map(|(c, _)| c))
}

fn apply_rule(rule: &Rule, index: &Index, findings: &mut Vec<Finding>) {
    let tol = rule.tolerance.max(0.0) + 1e-9;
    if let RuleCheck::PercentDecrease {
        percent,
        value,
        from,
        to,
    } = &rule.check
    {
        let (Some(from), Some(to)) = (read_period(from), read_period(to)) else {
            return;
        };
        for p in index.of(percent) {
            let e = p.entity();
            let (Some(a), Some(b)) = (index.get(value, e, from), index.get(value, e, to)) else {
                continue;
            };
            let (Some(pv), Some(av), Some(bv)) =
                (p.value.number(), a.value.number(), b.value.number())
            else {
                continue;
            };
            if av == 0.0 {
                continue;
            }
            let expected = 100.0 * (av - bv) / av;
            if (pv - expected).abs() > tol {
                let arithmetic = format!(
                    "{}% ≠ 100 × ({} − {}) / {} = {}%",
                    n(pv),
                    n(av),
                    n(bv),
                    n(av),
                    n(expected)
                );
                findings.push(rule_finding(
                    rule,
                    arithmetic,
                    vec![(p.cell, &p.raw), (a.cell, &a.raw), (b.cell, &b.raw)],
                ));
            }
        }
        return;
    }
    if let RuleCheck::EntitySum {
        indicator,
        total_entity,
    } = &rule.check
    {
        for total in index
            .of(indicator)
            .filter(|o| o.entity() == Some(total_entity.as_str()))
        {
            let parts: Vec<&Observation> = index
                .of(indicator)
                .filter(|o| {
                    o.period == total.period && o.entity().is_some() && o.entity() != total.entity()
                })
                .collect();
            let (Some(t), false) = (total.value.number(), parts.is_empty()) else {
                continue;
            };
            let sum: f64 = parts.iter().filter_map(|o| o.value.number()).sum();
            if (t - sum).abs() > tol {
                let arithmetic = format!(
                    "{total_entity}: {} ≠ tổng {} đơn vị = {} [{}]",
                    n(t),
                    parts.len(),
                    n(sum),
                    total.period
                );
                let mut cells = vec![(total.cell, total.raw.as_str())];
                cells.extend(parts.iter().take(50).map(|o| (o.cell, o.raw.as_str())));
                findings.push(rule_finding(rule, arithmetic, cells));
            }
        }
        return;
    }
    if let RuleCheck::Expression { left, op, right } = &rule.check {
        expr::apply(rule, left, op, right, index, findings);
        return;
    }
    if let RuleCheck::Target {
        indicator,
        target,
        direction,
    } = &rule.check
    {
        // Each entity's goal: its target of the latest period (the last
        // such in the files), found once, not once per figure (a province's
        // communes each with a target made that quadratic).
        let mut goals: HashMap<Option<&str>, &Observation> = HashMap::default();
        for o in index.of(target) {
            let goal = goals.entry(o.entity()).or_insert(o);
            if o.period >= goal.period {
                *goal = o;
            }
        }
        for actual in index.of(indicator) {
            let Some(&goal) = goals.get(&actual.entity()) else {
                continue;
            };
            let (Some(a), Some(g)) = (actual.value.number(), goal.value.number()) else {
                continue;
            };
            let met = if direction == "at_most" {
                a <= g + tol
            } else {
                a + tol >= g
            };
            if !met {
                let progress = if g != 0.0 {
                    format!(" ({}% mục tiêu)", n(100.0 * a / g))
                } else {
                    String::new()
                };
                let arithmetic = format!(
                    "đạt {} [{}], mục tiêu {} [{}]{progress}",
                    n(a),
                    actual.period,
                    n(g),
                    goal.period
                );
                findings.push(rule_finding(
                    rule,
                    arithmetic,
                    vec![(actual.cell, &actual.raw), (goal.cell, &goal.raw)],
                ));
            }
        }
    }
    // Sum, difference, percentage and at-most rules run entity by entity
    // (`row_rules`).
}

/// The row rules for one entity: each head figure of the entity with the
/// same period's figures of the rule's other indicators. Findings go to
/// their rule's list with the head observation's number, to be put in
/// file order. Returns how many head figures were looked at.
fn row_rules(
    entity: Id,
    rules: &[RowRule],
    index: &Index,
    found: &mut [Vec<(u32, Finding)>],
) -> usize {
    // Filled anew for each row: no allocation per row (a rule meets every
    // entity and period of a million-row file). Observations are touched
    // only to report: the index has the numbers.
    let mut v: Vec<f64> = Vec::new();
    let mut rows: Vec<u32> = Vec::new();
    let mut looked = 0;
    for RowRule { at, rule, ids } in rules {
        let Some((&head, rest)) = ids.split_first() else {
            continue;
        };
        let tol = rule.tolerance.max(0.0) + 1e-9;
        for &(key, i) in index.block(entity, head) {
            looked += 1;
            rows.clear();
            rows.push(i);
            let all_there = rest.iter().all(|&c| {
                index
                    .find(entity, with_indicator(key, c))
                    .map(|j| rows.push(j))
                    .is_some()
            });
            v.clear();
            if !all_there
                || !rows
                    .iter()
                    .all(|&j| index.number(j).map(|x| v.push(x)).is_some())
            {
                continue;
            }
            let Some(arithmetic) = row_arithmetic(&rule.check, &v, tol) else {
                continue;
            };
            let all: Vec<&Observation> =
                rows.iter().filter_map(|&j| index.observation(j)).collect();
            if let (Some(first), Some(list)) = (all.first(), found.get_mut(*at)) {
                let arithmetic = format!("{arithmetic} [{}]", first.period);
                let cells = all.iter().map(|o| (o.cell, o.raw.as_str())).collect();
                list.push((i, rule_finding(rule, arithmetic, cells)));
            }
        }
    }
    looked
}

/// What a row rule shows when its figures `v` (head first) break it.
fn row_arithmetic(check: &RuleCheck, v: &[f64], tol: f64) -> Option<String> {
    // Each rule kind names its figures in this order (`RuleCheck::indicators`);
    // a slice of another length is no such row.
    match (check, v) {
        (RuleCheck::Sum { .. }, [total, parts @ ..]) => {
            let sum: f64 = parts.iter().sum();
            ((total - sum).abs() > tol).then(|| {
                let parts: Vec<String> = parts.iter().map(|x| n(*x)).collect();
                format!("{} ≠ {} = {}", n(*total), parts.join(" + "), n(sum))
            })
        }
        (RuleCheck::Difference { .. }, &[result, minuend, subtrahend]) => {
            let diff = minuend - subtrahend;
            ((result - diff).abs() > tol).then(|| {
                format!(
                    "{} ≠ {} − {} = {}",
                    n(result),
                    n(minuend),
                    n(subtrahend),
                    n(diff)
                )
            })
        }
        (RuleCheck::Percentage { .. }, &[percent, part, whole]) if whole != 0.0 => {
            let pct = 100.0 * part / whole;
            ((percent - pct).abs() > tol).then(|| {
                format!(
                    "{}% ≠ 100 × {} / {} = {}%",
                    n(percent),
                    n(part),
                    n(whole),
                    n(pct)
                )
            })
        }
        (RuleCheck::AtMost { .. }, &[part, whole]) => {
            (part > whole + tol).then(|| format!("{} > {}", n(part), n(whole)))
        }
        _ => None,
    }
}
