//! A read's observations as they are held: packed, 24 bytes each, with what
//! many of them share (indicators, row labels, places and periods, text
//! values, cell texts other than the value's own) kept once per part and
//! named by number. An [`Observation`] takes 64 bytes in wasm32, and the
//! page holds millions of them.

mod view;

pub use view::ObservationRef;

use super::written::Written;
use super::{CellRef, CellText, FileId, Label, Observation, Period, RowLabels, Value, ValueRef};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::fmt;
use std::rc::Rc;

/// Where a figure sits and for which period. A long file's column holds
/// one place per period, so the place is kept once and named by number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Place {
    file: FileId,
    sheet: u32,
    col: u32,
    period: Period,
}

impl Place {
    const NONE: Place = Place {
        file: 0,
        sheet: 0,
        col: 0,
        period: Period::Year(0),
    };
}

/// One figure. Fields of four bytes, so that it takes 24 bytes.
#[derive(Clone, Copy, Debug)]
struct Packed {
    /// The number's bits, low half first; a text value's are its number
    /// in `texts`, then `TEXT`.
    value: [u32; 2],
    /// The indicator's number, and in the top two bits how the cell wrote
    /// its value (`Written`; 3: as `raws` keeps it).
    indicator: u32,
    /// 0 for none, else one more than its number in `rows`.
    row_labels: u32,
    place: u32,
    row: u32,
}

impl Packed {
    const NONE: Packed = Packed {
        value: [0; 2],
        indicator: 0,
        row_labels: 0,
        place: 0,
        row: 0,
    };
}

/// Where `Packed::indicator` keeps the way the cell wrote its value. A
/// part names fewer indicators than it holds figures, and a read gives at
/// most `Limits::max_figures` (20 million), well under 2^30.
const WRITTEN_SHIFT: u32 = 30;
const INDICATOR: u32 = (1 << WRITTEN_SHIFT) - 1;
/// Written as `raws` keeps it.
const KEPT_AS_WRITTEN: u32 = 3;

/// The high half of a text value's bits: a NaN no number is stored as (one
/// that has them is stored as the usual NaN).
const TEXT: u32 = 0x7FF4_7E57;

/// The observations of one read, in reading order.
#[derive(Clone)]
pub struct Part {
    figures: Vec<Packed>,
    indicators: Vec<Label>,
    rows: Vec<Rc<RowLabels>>,
    places: Vec<Place>,
    /// Text values, each distinct one once.
    texts: Vec<Label>,
    /// The cell texts no `Written` way writes, by figure.
    raws: Vec<(u32, CellText)>,
    /// What is named by number so far, to name it again (apart: a part is
    /// moved whole, and this is most of its size).
    numbering: Box<Numbering>,
    /// What a number this part did not give names (none does).
    no_label: Label,
}

#[derive(Clone)]
struct Numbering {
    texts: FxHashMap<Label, u32>,
    indicators: FxHashMap<Label, u32>,
    /// By the address of a label `indicators` holds: a reader shares one
    /// label per distinct text, so its text is hashed once.
    indicator_addresses: FxHashMap<*const u8, u32>,
    last_indicator: (*const u8, u32),
    rows: FxHashMap<*const RowLabels, u32>,
    last_row_labels: (*const RowLabels, u32),
    places: FxHashMap<Place, u32>,
    /// The places named last, the one named longest ago replaced first: a
    /// long file's column cycles through a few periods.
    recent_places: [Option<(Place, u32)>; 4],
    next_recent: usize,
}

impl Default for Part {
    fn default() -> Self {
        Part {
            figures: Vec::new(),
            indicators: Vec::new(),
            rows: Vec::new(),
            places: Vec::new(),
            texts: Vec::new(),
            raws: Vec::new(),
            numbering: Box::new(Numbering {
                texts: FxHashMap::default(),
                indicators: FxHashMap::default(),
                indicator_addresses: FxHashMap::default(),
                last_indicator: (std::ptr::null(), 0),
                rows: FxHashMap::default(),
                last_row_labels: (std::ptr::null(), 0),
                places: FxHashMap::default(),
                recent_places: [None; 4],
                next_recent: 0,
            }),
            no_label: Label::from(""),
        }
    }
}

impl fmt::Debug for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Part {
    fn eq(&self, other: &Part) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

fn number(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Part {
    pub fn new() -> Self {
        Part::default()
    }

    pub fn len(&self) -> usize {
        self.figures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.figures.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.figures.capacity()
    }

    /// Room for `more` figures, made at once: growing by doubling would
    /// leave the page's memory grown for good.
    pub fn reserve_exact(&mut self, more: usize) {
        self.figures.reserve_exact(more);
    }

    pub fn shrink_to_fit(&mut self) {
        self.figures.shrink_to_fit();
        self.raws.shrink_to_fit();
    }

    /// The number an indicator is named by, given once per distinct text.
    #[inline]
    pub fn indicator_number(&mut self, label: &Label) -> u32 {
        // Only a label held here stands for its text by its address: one
        // let go could give its address to another text.
        let address = label.as_ptr();
        let numbering = &mut self.numbering;
        if numbering.last_indicator.0 == address {
            return numbering.last_indicator.1;
        }
        if let Some(&n) = numbering.indicator_addresses.get(&address) {
            numbering.last_indicator = (address, n);
            return n;
        }
        self.new_indicator(label)
    }

    #[cold]
    fn new_indicator(&mut self, label: &Label) -> u32 {
        if let Some(&n) = self.numbering.indicators.get(label) {
            return n;
        }
        let n = number(self.indicators.len()).min(INDICATOR);
        self.indicators.push(label.clone());
        self.numbering.indicators.insert(label.clone(), n);
        self.numbering.indicator_addresses.insert(label.as_ptr(), n);
        self.numbering.last_indicator = (label.as_ptr(), n);
        n
    }

    /// The number row labels are named by, given once per shared value.
    pub fn row_labels_number(&mut self, row: Option<&Rc<RowLabels>>) -> u32 {
        let Some(row) = row else {
            return 0;
        };
        let address = Rc::as_ptr(row);
        if self.numbering.last_row_labels.0 == address {
            return self.numbering.last_row_labels.1;
        }
        let n = match self.numbering.rows.get(&address) {
            Some(&n) => n,
            None => {
                self.rows.push(row.clone());
                let n = number(self.rows.len());
                self.numbering.rows.insert(address, n);
                n
            }
        };
        self.numbering.last_row_labels = (address, n);
        n
    }

    #[inline]
    fn place_number(&mut self, place: Place) -> u32 {
        let recent = self.numbering.recent_places.iter().flatten();
        if let Some(&(_, n)) = recent.into_iter().find(|(p, _)| *p == place) {
            return n;
        }
        let next = number(self.places.len());
        let n = *self.numbering.places.entry(place).or_insert(next);
        if n == next {
            self.places.push(place);
        }
        if let Some(slot) = self
            .numbering
            .recent_places
            .get_mut(self.numbering.next_recent)
        {
            *slot = Some((place, n));
        }
        self.numbering.next_recent = (self.numbering.next_recent + 1) % 4;
        n
    }

    /// Adds an observation.
    pub fn push(&mut self, o: &Observation) {
        let indicator = self.indicator_number(&o.indicator);
        let row_labels = self.row_labels_number(o.row.as_ref());
        let value = ValueRef::of(&o.value);
        self.push_numbered(indicator, row_labels, o.period, value, o.cell, &o.raw);
    }

    /// Adds an observation whose indicator and row labels have their
    /// numbers already (`indicator_number`, `row_labels_number`).
    #[inline]
    pub fn push_numbered(
        &mut self,
        indicator: u32,
        row_labels: u32,
        period: Period,
        value: ValueRef,
        cell: CellRef,
        raw: &str,
    ) {
        let i = number(self.figures.len());
        let written = match Written::of(value, raw) {
            Some(written) => written as u32,
            None => {
                self.raws.push((i, raw.into()));
                KEPT_AS_WRITTEN
            }
        };
        let indicator = indicator.min(INDICATOR) | written << WRITTEN_SHIFT;
        let value = self.packed_value(value);
        let place = self.place_number(Place {
            file: cell.file,
            sheet: cell.sheet,
            col: cell.col,
            period,
        });
        self.figures.push(Packed {
            value,
            indicator,
            row_labels,
            place,
            row: cell.row,
        });
    }

    fn packed_value(&mut self, value: ValueRef) -> [u32; 2] {
        match value {
            ValueRef::Number(n) => {
                let bits = match n.to_bits() {
                    bits if (bits >> 32) as u32 == TEXT => f64::NAN.to_bits(),
                    bits => bits,
                };
                [bits as u32, (bits >> 32) as u32]
            }
            ValueRef::Text(t) => [self.text_number(t), TEXT],
        }
    }

    /// The number a text value is named by, given once per distinct text.
    fn text_number(&mut self, t: &str) -> u32 {
        if let Some(&n) = self.numbering.texts.get(t) {
            return n;
        }
        let text = Label::from(t);
        let n = number(self.texts.len());
        self.texts.push(text.clone());
        self.numbering.texts.insert(text, n);
        n
    }

    /// Observation `i`.
    pub fn get(&self, i: usize) -> Option<ObservationRef<'_>> {
        (i < self.len()).then(|| self.at(i))
    }

    /// Observation `i`, which is one: numbers are given by this part, so
    /// its tables have what they name (an empty label and place otherwise).
    #[inline]
    fn at(&self, i: usize) -> ObservationRef<'_> {
        let figure = self.figures.get(i).copied().unwrap_or(Packed::NONE);
        let place = self
            .places
            .get(figure.place as usize)
            .unwrap_or(&Place::NONE);
        let indicator = figure.indicator & INDICATOR;
        let label = (self.indicators.get(indicator as usize)).unwrap_or(&self.no_label);
        ObservationRef {
            indicator: label,
            label,
            period: place.period,
            value: self.value(&figure),
            cell: CellRef {
                file: place.file,
                sheet: place.sheet,
                row: figure.row,
                col: place.col,
            },
            row: (figure.row_labels.checked_sub(1)).and_then(|n| self.rows.get(n as usize)),
            part: self,
            index: i as u32,
        }
    }

    fn value(&self, figure: &Packed) -> ValueRef<'_> {
        let [low, high] = figure.value;
        match high {
            TEXT => ValueRef::Text(self.texts.get(low as usize).map_or("", |t| &**t)),
            _ => ValueRef::Number(f64::from_bits(u64::from(high) << 32 | u64::from(low))),
        }
    }

    /// The observations in order.
    pub fn iter(
        &self,
    ) -> impl DoubleEndedIterator<Item = ObservationRef<'_>> + ExactSizeIterator + Clone + '_ {
        (0..self.len()).map(|i| self.at(i))
    }

    /// The observations, each as a value of its own.
    pub fn to_vec(&self) -> Vec<Observation> {
        self.iter().map(|o| o.to_observation()).collect()
    }

    pub fn first(&self) -> Option<ObservationRef<'_>> {
        self.get(0)
    }

    pub fn last(&self) -> Option<ObservationRef<'_>> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The file of its observations (the first one's).
    pub fn file(&self) -> Option<FileId> {
        self.first().map(|o| o.cell.file)
    }

    /// Observations `range`, as a part of their own.
    pub fn slice(&self, range: std::ops::Range<usize>) -> Part {
        range.filter_map(|i| self.get(i)).collect()
    }

    /// Figure `i`'s cell text.
    fn raw(&self, i: u32) -> Cow<'_, str> {
        let Some(figure) = self.figures.get(i as usize) else {
            return Cow::Borrowed("");
        };
        match Written::from_bits(figure.indicator >> WRITTEN_SHIFT) {
            Some(written) => written.text(self.value(figure)),
            None => {
                let at = self.raws.binary_search_by_key(&i, |(k, _)| *k);
                let kept = at.ok().and_then(|at| self.raws.get(at));
                Cow::Borrowed(kept.map_or("", |(_, t)| t.as_str()))
            }
        }
    }

    /// Moves every observation's row down by `by` (a part of a text read in
    /// parts, numbered from its own start).
    pub fn shift_rows(&mut self, by: u32) {
        for f in &mut self.figures {
            f.row = f.row.saturating_add(by);
        }
    }

    /// Gives observations new values (a read's corrections); each keeps
    /// the cell text it had.
    pub fn correct(&mut self, corrections: impl IntoIterator<Item = (usize, Value)>) {
        let corrections: Vec<(u32, Value)> = (corrections.into_iter())
            .filter(|(i, _)| *i < self.len())
            .filter_map(|(i, value)| Some((u32::try_from(i).ok()?, value)))
            .collect();
        // Each figure's text as read, before any is corrected (one may be
        // corrected twice).
        let raws: Vec<CellText> = (corrections.iter())
            .map(|(n, _)| CellText::from(self.raw(*n)))
            .collect();
        let mut kept: Vec<(u32, CellText)> = Vec::new();
        for ((n, value), raw) in corrections.into_iter().zip(raws) {
            let i = n as usize;
            let value = ValueRef::of(&value);
            let written = match Written::of(value, &raw) {
                Some(written) => written as u32,
                None => {
                    kept.push((n, raw));
                    KEPT_AS_WRITTEN
                }
            };
            let bits = self.packed_value(value);
            if let Some(f) = self.figures.get_mut(i) {
                f.value = bits;
                f.indicator = (f.indicator & INDICATOR) | written << WRITTEN_SHIFT;
            }
        }
        if !kept.is_empty() {
            self.raws.extend(kept);
            self.raws.sort_by_key(|(k, _)| *k);
            self.raws.dedup_by_key(|(k, _)| *k);
        }
    }

    /// Appends `other`'s observations. Its figures are copied as packed,
    /// with its numbers turned into this part's (each table's entry named
    /// once), not read back and packed again: a cell's text is not written
    /// out and read again.
    pub fn append(&mut self, other: &Part) {
        let base = self.len();
        self.reserve_exact(other.len());
        let indicators: Vec<u32> = (other.indicators.iter())
            .map(|label| self.indicator_number(label))
            .collect();
        let rows: Vec<u32> = (other.rows.iter())
            .map(|row| self.row_labels_number(Some(row)))
            .collect();
        let places: Vec<u32> = (other.places.iter())
            .map(|&place| self.place_number(place))
            .collect();
        let texts: Vec<u32> = (other.texts.iter())
            .map(|text| self.text_number(text))
            .collect();
        // A number `other` never gave stays one this part never gives.
        let turn = |table: &[u32], n: u32| table.get(n as usize).copied().unwrap_or(u32::MAX);
        self.figures.extend(other.figures.iter().map(|f| {
            let mut f = *f;
            let written = f.indicator & !INDICATOR;
            f.indicator = turn(&indicators, f.indicator & INDICATOR).min(INDICATOR) | written;
            f.row_labels = match f.row_labels.checked_sub(1) {
                Some(n) => rows.get(n as usize).copied().unwrap_or(u32::MAX),
                None => 0,
            };
            f.place = turn(&places, f.place);
            if f.value[1] == TEXT {
                f.value[0] = turn(&texts, f.value[0]);
            }
            f
        }));
        // Kept texts stay in figure order: `other`'s come after all of ours.
        (self.raws).extend(other.raws.iter().map(|(i, text)| {
            let at = number(base.saturating_add(*i as usize));
            (at, text.clone())
        }));
    }

    /// Keeps only the observations `keep` holds to, in order; what they
    /// share stays numbered as it was.
    pub fn retain(&mut self, mut keep: impl FnMut(ObservationRef) -> bool) {
        let keeps: Vec<bool> = self.iter().map(&mut keep).collect();
        let mut raws = std::mem::take(&mut self.raws).into_iter().peekable();
        let mut kept = 0u32;
        let mut at = 0u32;
        self.figures.retain(|_| {
            let keep = keeps.get(at as usize).copied().unwrap_or(false);
            // The figure's kept text, if it has one, goes with it.
            while let Some((i, text)) = raws.next_if(|(i, _)| *i <= at) {
                if i == at && keep {
                    self.raws.push((kept, text));
                }
            }
            kept += u32::from(keep);
            at += 1;
            keep
        });
    }

    /// Adds another part's observation.
    fn push_ref(&mut self, o: ObservationRef) {
        let indicator = self.indicator_number(o.indicator_label());
        let row_labels = self.row_labels_number(o.row);
        self.push_numbered(indicator, row_labels, o.period, o.value, o.cell, &o.raw());
    }

    /// What the checks' index reads of figure `i`: its indicator's and row
    /// labels' numbers (see `indicators` and `row_labels`), its period and
    /// its number.
    #[inline]
    pub(crate) fn numbers(&self, i: usize) -> Option<(u32, u32, Period, Option<f64>)> {
        let f = self.figures.get(i)?;
        let period = self.places.get(f.place as usize)?.period;
        let indicator = f.indicator & INDICATOR;
        Some((indicator, f.row_labels, period, self.value(f).number()))
    }

    /// The indicators by their numbers.
    pub(crate) fn indicators(&self) -> &[Label] {
        &self.indicators
    }

    /// The row labels by their numbers less one.
    pub(crate) fn row_labels(&self) -> &[Rc<RowLabels>] {
        &self.rows
    }
}

impl From<Vec<Observation>> for Part {
    fn from(observations: Vec<Observation>) -> Self {
        observations.into_iter().collect()
    }
}

impl FromIterator<Observation> for Part {
    fn from_iter<T: IntoIterator<Item = Observation>>(iter: T) -> Self {
        let mut part = Part::new();
        let iter = iter.into_iter();
        part.reserve_exact(iter.size_hint().0);
        for o in iter {
            part.push(&o);
        }
        part
    }
}

impl<'a> FromIterator<ObservationRef<'a>> for Part {
    fn from_iter<T: IntoIterator<Item = ObservationRef<'a>>>(iter: T) -> Self {
        let mut part = Part::new();
        iter.into_iter().for_each(|o| part.push_ref(o));
        part
    }
}

#[cfg(test)]
mod tests;
