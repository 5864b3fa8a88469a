//! Dense ids for a dataset's labels, and an (indicator, period) as one
//! integer key: what the index sorts and the rules compare.

use crate::model::{Label, Period};
use rustc_hash::FxHashMap as HashMap;

/// A dense id for a distinct indicator or entity text of one dataset.
pub(in crate::check) type Id = u32;

/// An (indicator, period) as one integer: the index's sorted entries are
/// searched a few million times, and comparing one `u64` beats comparing
/// a tuple with an enum in it.
pub(in crate::check) type Key = u64;

#[inline(always)]
pub(in crate::check) fn key(indicator: Id, period: Period) -> Key {
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

pub(in crate::check) const INDICATOR_SHIFT: u32 = 34;
/// The kind of a span in a key.
pub(in crate::check) const SPAN: u64 = 3;

pub(in crate::check) fn indicator_of(key: Key) -> Id {
    (key >> INDICATOR_SHIFT) as Id
}

/// The same period under another indicator: a rule's other figures.
pub(in crate::check) fn with_indicator(key: Key, indicator: Id) -> Key {
    key & ((1 << INDICATOR_SHIFT) - 1) | u64::from(indicator) << INDICATOR_SHIFT
}

/// `Period::end_year` of a key's period.
pub(in crate::check) fn end_year(key: Key) -> u16 {
    let (kind, a, b) = ((key >> 32) & 3, (key >> 16) as u16, key as u16);
    if kind == SPAN {
        b
    } else {
        a
    }
}
/// The entity id of observations without an entity (the report's own agency).
pub(in crate::check) const AGENCY: Id = 0;

/// Dense ids for the distinct texts of a dataset's labels. Readers share one
/// `Rc` per distinct text within a file, so the id is looked up by the
/// label's address first (hashing a pointer) and by its text only the first
/// time an address is seen. An address stands for its label only while the
/// label lives: the observations seen hold them.
#[derive(Clone)]
pub(in crate::check) struct Ids {
    pub(in crate::check) by_address: HashMap<*const u8, Id>,
    pub(in crate::check) by_text: HashMap<Label, Id>,
    /// The text of each id from `first` on.
    texts: Vec<Label>,
    first: Id,
    pub(in crate::check) next: Id,
}

impl Ids {
    pub(in crate::check) fn new(first: Id) -> Self {
        Ids {
            by_address: HashMap::default(),
            by_text: HashMap::default(),
            texts: Vec::new(),
            first,
            next: first,
        }
    }

    #[inline(always)]
    pub(in crate::check) fn id(&mut self, label: &Label) -> Id {
        let address = label.as_ptr();
        if let Some(&id) = self.by_address.get(&address) {
            return id;
        }
        self.first_seen(label)
    }

    /// The id of a label whose address is new.
    fn first_seen(&mut self, label: &Label) -> Id {
        let address = label.as_ptr();
        let id = match self.by_text.get(&**label) {
            Some(&id) => id,
            None => {
                let id = self.next;
                self.by_text.insert(label.clone(), id);
                self.texts.push(label.clone());
                self.next += 1;
                id
            }
        };
        self.by_address.insert(address, id);
        id
    }

    /// Each id's text, from the first id on.
    pub(in crate::check) fn texts(&self) -> impl Iterator<Item = (Id, &Label)> {
        (self.first..).zip(&self.texts)
    }

    pub(in crate::check) fn get(&self, text: &str) -> Option<Id> {
        self.by_text.get(text).copied()
    }
}
