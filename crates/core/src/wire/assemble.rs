//! The page's end of a read's journey: the head and chunks unpacked into
//! one `FileRead`, labels and row labels shared as the reader made them.

use super::record::{Cursor, Record};
use super::{Chunk, ReadHead};
use crate::ingest::FileRead;
use crate::model::{Label, Part, RowLabels};
use rustc_hash::FxHashMap;

/// Rebuilds a read from its head and chunks, in order: each part's of a
/// text read in parts (`ingest::parts`) apart, joined at the end.
pub struct Assembler {
    /// Part 0 is the whole of a read in one part.
    parts: Vec<Incoming>,
    head: Option<ReadHead>,
    /// Whether `make_room` has made room already.
    room_made: bool,
    /// A read begun again whole (`Reply::Restart`): chunks of the parts
    /// other than the first, still on their way, are void.
    first_only: bool,
}

/// What one part's chunks have brought: labels are numbered per part (each
/// part is packed by an encoder of its own).
#[derive(Default)]
struct Incoming {
    labels: Vec<Label>,
    /// Per label number less one: its number as the part's indicator, once
    /// an observation has named it so (`u32::MAX` before).
    indicators: Vec<u32>,
    /// The part's numbers of row labels, by the labels' numbers (entity,
    /// unit, name): one shared value per distinct three, found without
    /// hashing a text; the last one first, as rows of one entity come
    /// together.
    rows: FxHashMap<[u32; 3], u32>,
    last_row: Option<([u32; 3], u32)>,
    observations: Part,
}

/// The most parts a read may come in (a damaged message names no more).
const MAX_PARTS: u32 = 64;

impl Assembler {
    pub fn new() -> Self {
        Assembler {
            parts: vec![Incoming::default()],
            head: None,
            room_made: false,
            first_only: false,
        }
    }

    /// An assembler for a read begun again whole, after a read in parts.
    pub fn restarted() -> Self {
        Assembler {
            first_only: true,
            ..Assembler::new()
        }
    }

    /// Makes room for the whole read once `done` (from 0 to 1) of the file
    /// has brought the observations held so far: early, while moving them is
    /// cheap, and once, instead of doubling the vector as chunks come (which
    /// in wasm leaves the memory grown for good). Only for a read in one
    /// part: the progress of a read in parts is not its first part's.
    pub fn make_room(&mut self, done: f64) {
        let [part] = &mut self.parts[..] else {
            return;
        };
        let held = part.observations.len();
        if self.room_made || self.head.is_some() || held == 0 || !(0.02..1.0).contains(&done) {
            return;
        }
        self.room_made = true;
        let total = (held as f64 / done * 1.05) as usize;
        part.observations
            .reserve_exact(total.saturating_sub(held).min(1 << 26));
    }

    /// Takes the head, which comes after the chunks sent while reading and
    /// before the rest.
    pub fn head(&mut self, head: ReadHead) {
        if let [part] = &mut self.parts[..] {
            let held = part.observations.len();
            part.observations
                .reserve_exact(head.observations.saturating_sub(held).min(1 << 26));
        }
        self.head = Some(head);
    }

    /// Room made for part 0's observations.
    pub fn room(&self) -> usize {
        self.parts.first().map_or(0, |p| p.observations.capacity())
    }

    /// The observations so far of a read in one part, in order; `None`
    /// once a second part has come.
    pub fn observations(&self) -> Option<&Part> {
        match &self.parts[..] {
            [part] => Some(&part.observations),
            _ => None,
        }
    }

    /// Which observations the head corrects (`finish` gives them their
    /// new values).
    pub fn corrected(&self) -> impl Iterator<Item = usize> + '_ {
        (self.head.iter()).flat_map(|h| h.corrections.iter().map(|(i, _)| *i))
    }

    /// Adds a chunk of part 0.
    pub fn add(&mut self, chunk: &Chunk) {
        self.add_to(0, chunk);
    }

    /// Adds a chunk of part `part`. Damaged bytes end the chunk where the
    /// damage starts (only a damaged message could hold them), and an
    /// observation naming a label not sent is dropped.
    pub fn add_to(&mut self, part: u32, chunk: &Chunk) {
        if part >= MAX_PARTS || (self.first_only && part > 0) {
            return;
        }
        let index = part as usize;
        if self.parts.len() <= index {
            self.parts.resize_with(index + 1, Incoming::default);
        }
        let part = &mut self.parts[index];
        part.labels
            .extend(chunk.labels.iter().map(|l| Label::from(l.as_str())));
        let mut cursor = Cursor(&chunk.bytes);
        let mut last = None;
        while !cursor.0.is_empty() {
            let Some((record, next)) = cursor.record(last) else {
                break;
            };
            last = Some(next);
            part.add(record);
        }
    }

    /// The read, its parts joined and the head's corrections made; `None`
    /// if no head came.
    pub fn finish(self) -> Option<FileRead> {
        let head = self.head?;
        let mut parts = self.parts.into_iter();
        let mut observations = parts.next().map(|p| p.observations).unwrap_or_default();
        let later: Vec<Incoming> = parts.collect();
        observations.reserve_exact(later.iter().map(|p| p.observations.len()).sum());
        for (k, mut part) in later.into_iter().enumerate() {
            let shift = head.shifts.get(k + 1).copied().unwrap_or(0);
            part.observations.shift_rows(shift);
            observations.append(&part.observations);
        }
        observations.correct(head.corrections);
        // The room made ahead was a guess with a margin: what is left of
        // it goes back (in place) for the checks' index to use.
        observations.shrink_to_fit();
        Some(FileRead {
            source: head.source,
            observations,
            findings: head.findings,
        })
    }
}

impl Incoming {
    /// Adds the observation a record stands for, unless it names an
    /// indicator not sent.
    #[inline(always)]
    fn add(&mut self, record: Record) {
        let [indicator, entity, unit, name] = record.labels;
        let Some(indicator) = self.indicator(indicator) else {
            return;
        };
        let numbers = [entity, unit, name];
        let row_labels = match self.last_row {
            Some((last, n)) if last == numbers => n,
            _ => {
                let n = match self.rows.get(&numbers) {
                    Some(&n) => n,
                    None => {
                        let labels = &self.labels;
                        let label = |n: u32| {
                            n.checked_sub(1)
                                .and_then(|i| labels.get(i as usize).cloned())
                        };
                        let [entity, unit, name] = numbers.map(label);
                        let shared = RowLabels { entity, unit, name }.shared();
                        let n = self.observations.row_labels_number(shared.as_ref());
                        self.rows.insert(numbers, n);
                        n
                    }
                };
                self.last_row = Some((numbers, n));
                n
            }
        };
        self.observations.push_numbered(
            indicator,
            row_labels,
            record.period,
            record.value,
            record.cell,
            record.raw,
        );
    }

    /// The part's number of the indicator sent as label `n`.
    #[inline(always)]
    fn indicator(&mut self, n: u32) -> Option<u32> {
        let i = n.checked_sub(1)? as usize;
        match self.indicators.get(i) {
            Some(&number) if number != u32::MAX => Some(number),
            _ => {
                let label = self.labels.get(i)?.clone();
                let number = self.observations.indicator_number(&label);
                if self.indicators.len() <= i {
                    self.indicators.resize(i + 1, u32::MAX);
                }
                if let Some(slot) = self.indicators.get_mut(i) {
                    *slot = number;
                }
                Some(number)
            }
        }
    }
}

impl Default for Assembler {
    fn default() -> Self {
        Assembler::new()
    }
}
