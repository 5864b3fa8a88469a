//! One observation's bytes in a chunk: a byte of flags, then only what
//! differs from the observation before it in the same chunk. A long file's
//! rows repeat the entity, the file's place and the period's kind, and
//! count their rows up by one; most figures are whole numbers. An
//! observation then takes about 11 bytes instead of 28, and every copy of a
//! message (into its bytes, out of the worker, into the page) shrinks with it.

use crate::model::{CellRef, Period, ValueRef};

/// The indicator's number is the one before's.
const SAME_INDICATOR: u8 = 1;
/// So are the entity's, the unit's and the name's.
const SAME_ROW_LABELS: u8 = 1 << 1;
const SAME_PERIOD: u8 = 1 << 2;
/// The cell's file, sheet and column.
const SAME_PLACE: u8 = 1 << 3;
/// The cell's row is the one before's (a wide file's row) …
const SAME_ROW: u8 = 1 << 4;
/// … or the next (a long file's).
const NEXT_ROW: u8 = 1 << 5;
/// The flags that lean on the observation before.
const LEANS: u8 = SAME_INDICATOR | SAME_ROW_LABELS | SAME_PERIOD | SAME_PLACE | SAME_ROW | NEXT_ROW;
/// How the value travels (the top two bits).
const VALUE: u8 = 0b1100_0000;
const VALUE_FLOAT: u8 = 0;
/// A whole number, zigzagged into a variable-length integer.
const VALUE_WHOLE: u8 = 0b0100_0000;
const VALUE_TEXT: u8 = 0b1000_0000;

/// One observation as it travels: its labels by number (indicator, entity,
/// unit, name; 0 for none), then what it holds.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Record<'a> {
    pub labels: [u32; 4],
    pub period: Period,
    pub value: ValueRef<'a>,
    pub cell: CellRef,
    pub raw: &'a str,
}

/// What the observation before in the chunk left to compare with.
#[derive(Clone, Copy)]
pub(super) struct Last {
    labels: [u32; 4],
    period: Period,
    cell: CellRef,
}

/// Writes `record` after `last` (`None` at a chunk's start); returns what
/// the next one is compared with.
pub(super) fn put(out: &mut Vec<u8>, last: Option<Last>, record: &Record) -> Last {
    let [indicator, entity, unit, name] = record.labels;
    let cell = record.cell;
    let mut flags = 0;
    if let Some(l) = last {
        let [l_indicator, l_entity, l_unit, l_name] = l.labels;
        let same = |same: bool, flag: u8| if same { flag } else { 0 };
        flags |= same(l_indicator == indicator, SAME_INDICATOR);
        flags |= same(
            (l_entity, l_unit, l_name) == (entity, unit, name),
            SAME_ROW_LABELS,
        );
        flags |= same(l.period == record.period, SAME_PERIOD);
        flags |= same(
            (l.cell.file, l.cell.sheet, l.cell.col) == (cell.file, cell.sheet, cell.col),
            SAME_PLACE,
        );
        if l.cell.row == cell.row {
            flags |= SAME_ROW;
        } else if l.cell.row.checked_add(1) == Some(cell.row) {
            flags |= NEXT_ROW;
        }
    }
    let whole = match record.value {
        ValueRef::Number(n) => whole(n),
        ValueRef::Text(_) => None,
    };
    flags |= match (record.value, whole) {
        (ValueRef::Text(_), _) => VALUE_TEXT,
        (_, Some(_)) => VALUE_WHOLE,
        _ => VALUE_FLOAT,
    };
    out.push(flags);
    if flags & SAME_INDICATOR == 0 {
        put_varint(out, indicator);
    }
    if flags & SAME_ROW_LABELS == 0 {
        for n in [entity, unit, name] {
            put_varint(out, n);
        }
    }
    if flags & SAME_PERIOD == 0 {
        put_period(out, record.period);
    }
    match (record.value, whole) {
        (ValueRef::Text(t), _) => put_text(out, t),
        (_, Some(w)) => put_varint64(out, zigzag(w)),
        (ValueRef::Number(n), None) => out.extend_from_slice(&n.to_le_bytes()),
    }
    if flags & SAME_PLACE == 0 {
        for n in [cell.file, cell.sheet, cell.col] {
            put_varint(out, n);
        }
    }
    if flags & (SAME_ROW | NEXT_ROW) == 0 {
        put_varint(out, cell.row);
    }
    put_text(out, record.raw);
    Last {
        labels: record.labels,
        period: record.period,
        cell,
    }
}

/// A number that is a whole one an `i64` holds exactly (not -0, whose sign
/// would be lost).
fn whole(n: f64) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    (n.fract() == 0.0 && n.abs() <= EXACT && !(n == 0.0 && n.is_sign_negative()))
        .then_some(n as i64)
}

fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

fn unzigzag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

pub(super) fn put_varint(out: &mut Vec<u8>, n: u32) {
    put_varint64(out, u64::from(n));
}

fn put_varint64(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

pub(super) fn put_text(out: &mut Vec<u8>, text: &str) {
    put_varint(out, text.len() as u32);
    out.extend_from_slice(text.as_bytes());
}

fn put_period(out: &mut Vec<u8>, period: Period) {
    let (kind, a, b) = match period {
        Period::Year(y) => (0, y, 0),
        Period::Quarter { year, quarter } => (1, year, u16::from(quarter)),
        Period::Half { year, half } => (2, year, u16::from(half)),
        Period::Span { from, to } => (3, from, to),
    };
    out.push(kind);
    put_varint(out, u32::from(a));
    put_varint(out, u32::from(b));
}

/// Reads what `put` wrote; `None` at the end or where the bytes are damaged.
pub(super) struct Cursor<'a>(pub &'a [u8]);

// Inlined even in the page's size-optimised build: a million observations
// call these several times each.
impl<'a> Cursor<'a> {
    /// The next record after `last` (`None` at a chunk's start), and what
    /// the one after is compared with.
    #[inline(always)]
    pub fn record(&mut self, last: Option<Last>) -> Option<(Record<'a>, Last)> {
        let flags = self.byte()?;
        let same = |flag: u8| flags & flag != 0;
        // Nothing before to be the same as, or a row both the same and the next.
        let l = match last {
            Some(l) => l,
            None if flags & LEANS != 0 => return None,
            None => Last {
                labels: [0; 4],
                period: Period::Year(0),
                cell: CellRef {
                    file: 0,
                    sheet: 0,
                    row: 0,
                    col: 0,
                },
            },
        };
        if same(SAME_ROW) && same(NEXT_ROW) {
            return None;
        }
        let [mut indicator, mut entity, mut unit, mut name] = l.labels;
        if !same(SAME_INDICATOR) {
            indicator = self.varint()?;
        }
        if !same(SAME_ROW_LABELS) {
            [entity, unit, name] = [self.varint()?, self.varint()?, self.varint()?];
        }
        let period = match same(SAME_PERIOD) {
            true => l.period,
            false => self.period()?,
        };
        let value = match flags & VALUE {
            VALUE_FLOAT => ValueRef::Number(f64::from_le_bytes(self.bytes(8)?.try_into().ok()?)),
            VALUE_WHOLE => ValueRef::Number(unzigzag(self.varint64()?) as f64),
            VALUE_TEXT => ValueRef::Text(self.text()?),
            _ => return None,
        };
        let mut cell = l.cell;
        if !same(SAME_PLACE) {
            [cell.file, cell.sheet, cell.col] = [self.varint()?, self.varint()?, self.varint()?];
        }
        cell.row = if same(SAME_ROW) {
            l.cell.row
        } else if same(NEXT_ROW) {
            l.cell.row.checked_add(1)?
        } else {
            self.varint()?
        };
        let raw = self.text()?;
        let labels = [indicator, entity, unit, name];
        let last = Last {
            labels,
            period,
            cell,
        };
        Some((
            Record {
                labels,
                period,
                value,
                cell,
                raw,
            },
            last,
        ))
    }

    #[inline(always)]
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    #[inline(always)]
    fn varint(&mut self) -> Option<u32> {
        u32::try_from(self.varint64()?).ok()
    }

    #[inline(always)]
    fn varint64(&mut self) -> Option<u64> {
        let mut n: u64 = 0;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7F).checked_shl(shift)?;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    fn bytes(&mut self, len: usize) -> Option<&'a [u8]> {
        let (taken, rest) = self.0.split_at_checked(len)?;
        self.0 = rest;
        Some(taken)
    }

    fn text(&mut self) -> Option<&'a str> {
        let len = self.varint()? as usize;
        std::str::from_utf8(self.bytes(len)?).ok()
    }

    fn period(&mut self) -> Option<Period> {
        let kind = self.byte()?;
        let a = u16::try_from(self.varint()?).ok()?;
        let b = u16::try_from(self.varint()?).ok()?;
        Some(match kind {
            0 => Period::Year(a),
            1 => Period::Quarter {
                year: a,
                quarter: u8::try_from(b).ok()?,
            },
            2 => Period::Half {
                year: a,
                half: u8::try_from(b).ok()?,
            },
            3 => Period::Span { from: a, to: b },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: u32, col: u32) -> CellRef {
        CellRef {
            file: 2,
            sheet: 0,
            row,
            col,
        }
    }

    #[test]
    fn records_come_back_as_they_went_and_a_long_files_take_a_few_bytes() {
        let numbers = [
            0.0,
            -0.0,
            13.0,
            -7.0,
            1.957,
            9_007_199_254_740_992.0,
            9_007_199_254_740_994.0,
            -1.5e300,
            f64::INFINITY,
            f64::NAN,
        ];
        let mut records: Vec<Record> = (0..numbers.len() as u32)
            .map(|i| Record {
                labels: [1 + i % 3, 5, 0, 0],
                period: Period::Year(2016 + (i % 2) as u16),
                value: ValueRef::Number(numbers[i as usize]),
                cell: cell(2 + i, 3),
                raw: "13",
            })
            .collect();
        // A wide file's row (same row, next column), a text, a row far off,
        // and the last row there is.
        records.push(Record {
            value: ValueRef::Text("Khá & <tốt>"),
            cell: cell(11, 4),
            ..records[9].clone()
        });
        records.push(Record {
            cell: cell(u32::MAX, 4),
            period: Period::Span {
                from: 2016,
                to: 2020,
            },
            ..records[0].clone()
        });
        records.push(Record {
            cell: cell(7, 4),
            labels: [9, 0, 0, 0],
            ..records[0].clone()
        });
        let mut bytes = Vec::new();
        let mut last = None;
        for r in &records {
            last = Some(put(&mut bytes, last, r));
        }
        let mut cursor = Cursor(&bytes);
        let mut last = None;
        for r in &records {
            let (back, next) = cursor.record(last).expect("a record");
            last = Some(next);
            match (back.value, r.value) {
                (ValueRef::Number(a), ValueRef::Number(b)) => {
                    assert_eq!(a.to_bits(), b.to_bits(), "{b}")
                }
                _ => assert_eq!(back.value, r.value),
            }
            assert_eq!(
                (back.labels, back.period, back.cell, back.raw),
                (r.labels, r.period, r.cell, r.raw)
            );
        }
        assert!(cursor.0.is_empty());

        // The next row of the same entity, another indicator and period, a
        // whole number: flags, indicator, period (4), value, raw (3).
        let mut long = Vec::new();
        let first = put(&mut long, None, &records[2]);
        let before = long.len();
        put(&mut long, Some(first), &records[3]);
        assert_eq!(long.len() - before, 10);
    }

    #[test]
    fn a_record_leaning_on_nothing_is_damage() {
        let mut bytes = Vec::new();
        let first = put(
            &mut bytes,
            None,
            &Record {
                labels: [1, 0, 0, 0],
                period: Period::Year(2020),
                value: ValueRef::Number(1.0),
                cell: cell(2, 0),
                raw: "1",
            },
        );
        let mut second = Vec::new();
        put(
            &mut second,
            Some(first),
            &Record {
                cell: cell(3, 0),
                labels: [1, 0, 0, 0],
                period: Period::Year(2020),
                value: ValueRef::Number(1.0),
                raw: "1",
            },
        );
        // Read as a chunk's first, it has nothing to be the same as.
        assert!(Cursor(&second).record(None).is_none());
        // Flags for a row both the same and the next.
        let mut both = bytes.clone();
        both[0] |= SAME_ROW | NEXT_ROW;
        assert!(Cursor(&both).record(Some(first)).is_none());
    }
}
