//! How a cell wrote its number. A part keeps a cell's text only when it is
//! not one of the ways below applied to the value ("1.957" read as 1957 is
//! the Vietnamese way; " 7 " or "7.0" are kept as written), so the third
//! of a Vietnamese file's figures written "37,77" or "1.957" take no room
//! of their own.

use super::value::ValueRef;
use std::borrow::Cow;
use std::fmt::Write;

/// A way of writing a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Written {
    /// As Rust writes the number ("1957", "37.77", "-0.5"); a text value
    /// as itself.
    Own = 0,
    /// With a decimal comma ("37,77").
    DecimalComma = 1,
    /// The Vietnamese way: thousands grouped by dots, a decimal comma
    /// ("1.957", "1.234.567,5").
    Grouped = 2,
}

impl Written {
    /// The way `raw` writes `value`, if it is one of them.
    #[inline]
    pub(super) fn of(value: ValueRef, raw: &str) -> Option<Written> {
        let n = match value {
            ValueRef::Text(text) => return (text == raw).then_some(Written::Own),
            ValueRef::Number(n) => n,
        };
        match quick(n, raw.as_bytes()) {
            Some(way) => way,
            None => written_out(n, raw),
        }
    }

    /// The number for a part's two bits.
    pub(super) fn from_bits(bits: u32) -> Option<Written> {
        match bits {
            0 => Some(Written::Own),
            1 => Some(Written::DecimalComma),
            2 => Some(Written::Grouped),
            _ => None,
        }
    }

    /// `value` written this way.
    pub(super) fn text(self, value: ValueRef<'_>) -> Cow<'_, str> {
        let n = match value {
            ValueRef::Text(text) => return Cow::Borrowed(text),
            ValueRef::Number(n) => n,
        };
        let own = n.to_string();
        match self {
            Written::Own => Cow::Owned(own),
            Written::DecimalComma => Cow::Owned(own.replacen('.', ",", 1)),
            Written::Grouped => {
                let mut grouped = String::with_capacity(own.len() + own.len() / 3);
                match grouped_into(&own, &mut grouped) {
                    Some(()) => Cow::Owned(grouped),
                    None => Cow::Owned(own),
                }
            }
        }
    }
}

/// The way `raw` writes `n`, told from `raw`'s digits alone when it has at
/// most 15 of them; `None` when it cannot be told so.
///
/// Rust writes a number with the fewest digits that read back as it, and
/// two decimals of at most 15 digits never read as the same number (a
/// double holds 15.9): so a text in the form Rust writes, whose digits read
/// as `n`, is how Rust writes `n`. Digits `m` with `k` after the mark read
/// as `m / 10^k`, exactly, when `m < 2^53` and `k ≤ 22`.
fn quick(n: f64, raw: &[u8]) -> Option<Option<Written>> {
    if !n.is_finite() {
        return None;
    }
    let (negative, body) = match raw.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, raw),
    };
    let mut long = false;
    for way in [Written::Own, Written::DecimalComma, Written::Grouped] {
        match digits(body, way) {
            Digits::Read(m, k) => {
                let x = m as f64 / POW10.get(k).copied().unwrap_or(f64::NAN);
                let x = if negative { -x } else { x };
                // "1.957" is 1.957 its own way and 1957 the Vietnamese way.
                if x.to_bits() == n.to_bits() {
                    return Some(Some(way));
                }
            }
            Digits::NotThisWay => {}
            Digits::TooMany => long = true,
        }
    }
    (!long).then_some(None)
}

enum Digits {
    /// The digits as an integer, and how many are after the mark.
    Read(u64, usize),
    NotThisWay,
    /// More than 15 digits, or more than 22 after the mark.
    TooMany,
}

/// `body` (a text less its sign) read as `way` writes a number: a whole
/// part "0" or without a leading zero (grouped by threes for `Grouped`),
/// then maybe a mark and digits not ending in 0 (a mark there must be for
/// `DecimalComma`).
fn digits(body: &[u8], way: Written) -> Digits {
    let (mark, group) = match way {
        Written::Own => (b'.', None),
        Written::DecimalComma => (b',', None),
        Written::Grouped => (b',', Some(b'.')),
    };
    let (whole, fraction) = match body.iter().position(|&b| b == mark) {
        Some(at) => (&body[..at], body.get(at + 1..)),
        None if way == Written::DecimalComma => return Digits::NotThisWay,
        None => (body, None),
    };
    let nonzero = |d: Option<&u8>| d.is_some_and(|d| (b'1'..=b'9').contains(d));
    let whole_ok = match group {
        None => whole == b"0" || nonzero(whole.first()),
        Some(g) => {
            let mut groups = whole.split(|&b| b == g);
            let first = groups.next().unwrap_or_default();
            let (mut more, mut threes) = (0, true);
            for group in groups {
                more += 1;
                threes &= group.len() == 3;
            }
            more > 0 && threes && first.len() <= 3 && nonzero(first.first())
        }
    };
    if !whole_ok || fraction.is_some_and(|f| !nonzero(f.last())) {
        return Digits::NotThisWay;
    }
    let (mut m, mut count) = (0u64, 0usize);
    let wholes = whole.iter().filter(|&&b| Some(b) != group);
    for &d in wholes.chain(fraction.unwrap_or_default()) {
        if !d.is_ascii_digit() {
            return Digits::NotThisWay;
        }
        if m > 0 || d != b'0' {
            count += 1;
        }
        m = m.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
    }
    let k = fraction.map_or(0, <[u8]>::len);
    if count > 15 || k >= POW10.len() {
        return Digits::TooMany;
    }
    Digits::Read(m, k)
}

/// The powers of ten a double holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The way `raw` writes `n`, found by writing `n` out each way.
fn written_out(n: f64, raw: &str) -> Option<Written> {
    let mut own = Short::default();
    // A whole number as an integer: the same digits, written faster
    // (-0 is not one: it is written with its sign).
    if n.fract() == 0.0 && n.abs() < 1e15 && !(n == 0.0 && n.is_sign_negative()) {
        write!(own, "{}", n as i64).ok()?;
    } else {
        write!(own, "{n}").ok()?;
    }
    let own = own.as_str()?;
    if own == raw {
        return Some(Written::Own);
    }
    let comma = |(o, r): (u8, u8)| o == r || (o == b'.' && r == b',');
    if own.len() == raw.len() && own.bytes().zip(raw.bytes()).all(comma) {
        return Some(Written::DecimalComma);
    }
    let mut grouped = Short::default();
    grouped_into(own, &mut grouped)?;
    (grouped.as_str()? == raw).then_some(Written::Grouped)
}

/// Writes Rust's text of a number ("-1234567.5") the Vietnamese way
/// ("-1.234.567,5"); `None` when it is not digits with a sign and a point.
fn grouped_into(own: &str, out: &mut impl Write) -> Option<()> {
    let (sign, unsigned) = match own.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", own),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    out.write_str(sign).ok()?;
    for (i, digit) in whole.char_indices() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.write_char('.').ok()?;
        }
        out.write_char(digit).ok()?;
    }
    if let Some(fraction) = fraction {
        out.write_char(',').ok()?;
        out.write_str(fraction).ok()?;
    }
    Some(())
}

/// A number's text written without an allocation; one too long for it
/// (1e300 is written out in full) is written no way of these.
struct Short {
    bytes: [u8; 48],
    len: usize,
}

impl Default for Short {
    fn default() -> Self {
        Short {
            bytes: [0; 48],
            len: 0,
        }
    }
}

impl Short {
    fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(self.bytes.get(..self.len)?).ok()
    }
}

impl Write for Short {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let room = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        room.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn way(n: f64, raw: &str) -> Option<Written> {
        Written::of(ValueRef::Number(n), raw)
    }

    #[test]
    fn a_number_is_written_its_own_way_or_the_vietnamese_ways() {
        assert_eq!(way(13.0, "13"), Some(Written::Own));
        assert_eq!(way(-4.5, "-4.5"), Some(Written::Own));
        assert_eq!(way(0.1, "0.1"), Some(Written::Own));
        assert_eq!(way(-0.0, "-0"), Some(Written::Own));
        assert_eq!(way(37.77, "37,77"), Some(Written::DecimalComma));
        assert_eq!(way(1234.5, "1234,5"), Some(Written::DecimalComma));
        assert_eq!(way(1957.0, "1.957"), Some(Written::Grouped));
        assert_eq!(way(-1234567.5, "-1.234.567,5"), Some(Written::Grouped));
        assert_eq!(way(37.77, "37,77"), Some(Written::DecimalComma));
        for (n, raw) in [
            (7.0, " 7 "),
            (7.0, "7.0"),
            (-0.0, "0"),
            (1957.0, "1,957"),
            (12.0, "12,"),
            (1e300, &1e300.to_string()),
            (f64::NAN, "nan"),
            (f64::INFINITY, "inf,"),
        ] {
            assert_eq!(way(n, raw), None, "{raw:?}");
        }
        assert_eq!(Written::of(ValueRef::Text("có"), "có"), Some(Written::Own));
        assert_eq!(Written::of(ValueRef::Text("có"), " có"), None);
    }

    #[test]
    fn a_whole_number_is_written_as_rust_writes_it() {
        let mut n = 1.0f64;
        while n < 1e16 {
            for m in [n, -n, n - 1.0, n + 1.0, -(n - 1.0)] {
                assert_eq!(way(m, &m.to_string()), Some(Written::Own), "{m}");
            }
            n *= 7.0;
        }
        assert_eq!(way(0.0, "0"), Some(Written::Own));
    }

    /// Told from the digits, a way is the one writing the number out finds.
    #[test]
    fn the_quick_way_agrees_with_writing_out() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut told = 0;
        for round in 0..100_000 {
            let r = next();
            let n = match round % 4 {
                0 => (r % 100_000_000) as f64 - 5e7,
                1 => (r % 10_000_000) as f64 / 10f64.powi((r >> 40) as i32 % 9),
                2 => f64::from_bits(r),
                _ => ((r % 2000) as f64 - 1000.0) / 8.0,
            };
            let value = ValueRef::Number(n);
            let own = n.to_string();
            let mut texts = vec![
                own.clone(),
                Written::DecimalComma.text(value).into_owned(),
                Written::Grouped.text(value).into_owned(),
                format!("{own}0"),
                format!("0{own}"),
                own.replace('.', ""),
                own.replacen('1', "2", 1),
                format!(" {own}"),
            ];
            texts.push((n + 1.0).to_string());
            for raw in texts {
                let Some(quick) = quick(n, raw.as_bytes()) else {
                    continue;
                };
                told += 1;
                match quick {
                    Some(way) => assert_eq!(way.text(value), raw, "{n:?} {raw:?}"),
                    None => assert_eq!(written_out(n, &raw), None, "{n:?} {raw:?}"),
                }
            }
        }
        assert!(told > 500_000, "{told}");
    }

    #[test]
    fn each_way_writes_back_what_it_read() {
        for (n, raw) in [
            (13.0, "13"),
            (-4.5, "-4.5"),
            (2e15, "2000000000000000"),
            (f64::INFINITY, "inf"),
            (37.77, "37,77"),
            (1957.0, "1.957"),
            (-1234567.5, "-1.234.567,5"),
            (123456.789, "123.456,789"),
        ] {
            let value = ValueRef::Number(n);
            let written = way(n, raw).expect(raw);
            assert_eq!(written.text(value), raw);
            assert_eq!(Written::from_bits(written as u32), Some(written));
        }
        assert_eq!(Written::from_bits(3), None);
    }
}
