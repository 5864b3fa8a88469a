//! Reading numbers written the Vietnamese way ("1.957", "97,4", "3,18%",
//! "120 tỷ") and the plain way ("1957", "97.4").
//!
//! A reading never guesses silently: when the text allows two readings the
//! result says so, and the caller decides with what it knows of the file and
//! the indicator.

/// The result of reading one cell as a number.
#[derive(Clone, Debug, PartialEq)]
pub enum NumberReading {
    /// One reading only.
    Exact(f64),
    /// Two readings: `grouped` takes "." or "," as a thousands separator,
    /// `decimal` as the decimal point. "1.957" → grouped 1957, decimal 1.957.
    Ambiguous { grouped: f64, decimal: f64 },
    /// Not a number ("1.2.3", "abc").
    Invalid,
}

/// How a file writes its decimals, learnt from its unambiguous values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DecimalStyle {
    /// No evidence yet.
    #[default]
    Unknown,
    /// "97,4", "1.957.000": comma decimals, dot thousands.
    Vietnamese,
    /// "97.4", "1,957,000": dot decimals.
    Plain,
}

/// Units and scale words a value may carry after the number; they are dropped
/// from the value (the unit belongs to the indicator).
const TRAILING_WORDS: &[&str] = &[
    "tỷ đồng/năm",
    "tỷ/năm",
    "tỷ đồng",
    "tỷ",
    "triệu đồng",
    "triệu",
    "đồng",
    "người",
    "điểm",
    "đơn vị",
];

/// Reads `text` as a number. A trailing "%" is accepted (the value stays in
/// percent: "97,4%" → 97.4).
pub fn read_number(text: &str) -> NumberReading {
    // Fast path: plain digits, the common case in big files.
    let bytes = text.as_bytes();
    if !bytes.is_empty() && bytes.len() <= 15 && bytes.iter().all(u8::is_ascii_digit) {
        return parse_bytes(bytes.iter().copied());
    }
    let mut t = super::cells::trim(text);
    // Every trailing word ends in a letter: a text ending in a digit has none.
    if !t.ends_with(|c: char| c.is_ascii_digit()) {
        for w in TRAILING_WORDS {
            if let Some(rest) = t.strip_suffix(w) {
                t = rest.trim_end();
                break;
            }
        }
    }
    let t = t.strip_suffix('%').unwrap_or(t).trim_end();
    let (negative, digits) = match t.strip_prefix('-').or_else(|| t.strip_prefix('−')) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    // Spaces (including no-break spaces) are thousands separators in some exports.
    let spaced = |c: char| matches!(c, ' ' | '\u{a0}' | '\u{202f}');
    let maybe_spaced = digits.bytes().any(|b| b == b' ' || !b.is_ascii());
    let compact: std::borrow::Cow<str> = if maybe_spaced && digits.contains(spaced) {
        digits
            .chars()
            .filter(|&c| !spaced(c))
            .collect::<String>()
            .into()
    } else {
        digits.into()
    };
    let sign = if negative { -1.0 } else { 1.0 };
    match read_unsigned(&compact) {
        NumberReading::Exact(v) => NumberReading::Exact(sign * v),
        NumberReading::Ambiguous { grouped, decimal } => NumberReading::Ambiguous {
            grouped: sign * grouped,
            decimal: sign * decimal,
        },
        NumberReading::Invalid => NumberReading::Invalid,
    }
}

fn read_unsigned(t: &str) -> NumberReading {
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return NumberReading::Invalid;
    }
    let (mut dots, mut commas) = (0, 0);
    for b in t.bytes() {
        dots += usize::from(b == b'.');
        commas += usize::from(b == b',');
    }
    match (dots, commas) {
        (0, 0) => parse_bytes(t.bytes()),
        (_, 0) => one_separator(t, '.', dots),
        (0, _) => one_separator(t, ',', commas),
        _ => {
            // Both: the last one is the decimal point, the other groups thousands.
            let last_dot = t.rfind('.').unwrap_or(0);
            let last_comma = t.rfind(',').unwrap_or(0);
            let (group, decimal) = if last_dot > last_comma {
                (',', '.')
            } else {
                ('.', ',')
            };
            let Some((int_part, frac)) = t.rsplit_once(decimal) else {
                return NumberReading::Invalid;
            };
            if frac.is_empty() || frac.contains(group) || !well_grouped(int_part, group) {
                return NumberReading::Invalid;
            }
            let int_digits = int_part.bytes().filter(|&b| char::from(b) != group);
            parse_bytes(int_digits.chain([b'.']).chain(frac.bytes()))
        }
    }
}

/// Only one kind of separator appears, `count` times.
fn one_separator(t: &str, sep: char, count: usize) -> NumberReading {
    if count > 1 {
        // "1.957.000" groups thousands; "1.2.3" is nonsense.
        return if well_grouped(t, sep) {
            parse_bytes(t.bytes().filter(move |&b| char::from(b) != sep))
        } else {
            NumberReading::Invalid
        };
    }
    // By byte: `sep` is ASCII, and a char search costs more than the number.
    let split = t
        .bytes()
        .position(|b| char::from(b) == sep)
        .and_then(|at| Some((t.get(..at)?, t.get(at + 1..)?)));
    let (int_part, frac) = split.unwrap_or((t, ""));
    if int_part.is_empty() || frac.is_empty() {
        return NumberReading::Invalid;
    }
    let ambiguous = frac.len() == 3 && int_part.len() <= 3 && !int_part.starts_with('0');
    // Both readings from one integer of all the digits, when it is exact
    // (the callers have checked that these are digits).
    let whole = exact_decimal(int_part.bytes().chain(frac.bytes()));
    if let (Some((all, 0)), Some(scale)) = (whole, POWERS_OF_TEN.get(frac.len())) {
        let decimal = all as f64 / scale;
        return if ambiguous {
            NumberReading::Ambiguous {
                grouped: all as f64,
                decimal,
            }
        } else {
            NumberReading::Exact(decimal)
        };
    }
    let decimal = parse_bytes(int_part.bytes().chain([b'.']).chain(frac.bytes()));
    if ambiguous {
        // "1.957" or "1,957": thousands or decimals? Both readings go back.
        let grouped = parse_bytes(int_part.bytes().chain(frac.bytes()));
        if let (NumberReading::Exact(g), NumberReading::Exact(d)) = (grouped, decimal.clone()) {
            return NumberReading::Ambiguous {
                grouped: g,
                decimal: d,
            };
        }
    }
    decimal
}

/// "1.957.000" with sep '.': first group 1–3 digits, the rest exactly 3.
fn well_grouped(t: &str, sep: char) -> bool {
    let mut groups = t.split(sep);
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    first_ok && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Parses ASCII bytes put together from a cell's parts.
///
/// Digits with at most one '.', fifteen digits or fewer (nearly every
/// figure), take Clinger's fast path: the digits are an exact integer below
/// 2^53, and one division by an exact power of ten rounds once, to the
/// nearest double, as `f64::from_str` does. Anything else goes to
/// `from_str`.
fn parse_bytes(bytes: impl Iterator<Item = u8> + Clone) -> NumberReading {
    match exact_decimal(bytes.clone()) {
        Some((mantissa, decimals)) => match POWERS_OF_TEN.get(decimals) {
            Some(scale) => NumberReading::Exact(mantissa as f64 / scale),
            None => parse_slowly(bytes),
        },
        None => parse_slowly(bytes),
    }
}

/// Every power of ten an f64 holds exactly that a fifteen-digit figure needs.
const POWERS_OF_TEN: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// Digits with at most one '.' between them (digits on both sides), one to
/// fifteen digits in all: the digits as an integer (exact as an f64) and how
/// many follow the point. `None` for anything else ("5.", ".5": `from_str`'s
/// call).
fn exact_decimal(bytes: impl Iterator<Item = u8>) -> Option<(u64, usize)> {
    let (mut mantissa, mut digits, mut decimals) = (0u64, 0usize, None::<usize>);
    for b in bytes {
        match b {
            b'0'..=b'9' if digits < 15 => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                digits += 1;
                if let Some(d) = decimals.as_mut() {
                    *d += 1;
                }
            }
            b'.' if decimals.is_none() && digits > 0 => decimals = Some(0),
            _ => return None,
        }
    }
    match decimals {
        None if digits > 0 => Some((mantissa, 0)),
        Some(d) if d > 0 => Some((mantissa, d)),
        _ => None,
    }
}

/// `parse_bytes` through `f64::from_str`, on the stack for any figure a
/// cell holds (a heap string past 64 bytes).
fn parse_slowly(bytes: impl Iterator<Item = u8>) -> NumberReading {
    let mut buf = [0u8; 64];
    let mut len = 0;
    let mut bytes = bytes.peekable();
    while let Some(&b) = bytes.peek() {
        let Some(slot) = buf.get_mut(len) else {
            let long: Vec<u8> = buf.iter().copied().chain(bytes).collect();
            return std::str::from_utf8(&long).map_or(NumberReading::Invalid, parse);
        };
        *slot = b;
        len += 1;
        bytes.next();
    }
    std::str::from_utf8(&buf[..len]).map_or(NumberReading::Invalid, parse)
}

fn parse(t: &str) -> NumberReading {
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => NumberReading::Exact(v),
        _ => NumberReading::Invalid,
    }
}

/// What an unambiguous cell text says about the file's decimal style.
pub fn style_evidence(text: &str) -> DecimalStyle {
    let t = text.trim().trim_end_matches('%').trim_end();
    let dots = t.matches('.').count();
    let commas = t.matches(',').count();
    let digits_after = |sep: char| t.rsplit(sep).next().map(str::len).unwrap_or(0);
    match (dots, commas) {
        (1, 0) if digits_after('.') != 3 => DecimalStyle::Plain,
        (0, 1) if digits_after(',') != 3 => DecimalStyle::Vietnamese,
        (d, 0) if d > 1 => DecimalStyle::Vietnamese,
        (0, c) if c > 1 => DecimalStyle::Plain,
        (d, c) if d > 0 && c > 0 => {
            if t.rfind(',') > t.rfind('.') {
                DecimalStyle::Vietnamese
            } else {
                DecimalStyle::Plain
            }
        }
        _ => DecimalStyle::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::NumberReading::*;
    use super::*;

    #[test]
    fn the_fast_path_reads_as_from_str_does() {
        // Digits of every length to past the fast path's fifteen, the point
        // at every place, from a simple generator (no dependency for it).
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 18) as usize + 1;
            let digits: String = format!("{seed:020}").chars().rev().take(len).collect();
            let point = (seed >> 40) as usize % (len + 2);
            let text = match point {
                0 => digits.clone(),
                p if p <= len => format!("{}.{}", &digits[..p - 1], &digits[p - 1..]),
                _ => format!("{digits}."),
            };
            let expected = match text.parse::<f64>() {
                Ok(v) if v.is_finite() => Exact(v),
                _ => Invalid,
            };
            assert_eq!(parse_bytes(text.bytes()), expected, "{text}");
            // One separator, read both ways, against from_str of each reading.
            if let Some((int, frac)) = text
                .split_once('.')
                .filter(|(i, f)| !i.is_empty() && !f.is_empty())
            {
                let decimal: f64 = text.parse().unwrap_or(f64::NAN);
                let grouped: f64 = format!("{int}{frac}").parse().unwrap_or(f64::NAN);
                for sep in ['.', ','] {
                    let written = text.replace('.', &sep.to_string());
                    let expected = if frac.len() == 3 && int.len() <= 3 && !int.starts_with('0') {
                        Ambiguous { grouped, decimal }
                    } else {
                        Exact(decimal)
                    };
                    assert_eq!(one_separator(&written, sep, 1), expected, "{written}");
                }
            }
        }
        assert_eq!(parse_bytes(".".bytes()), Invalid);
        assert_eq!(parse_bytes("".bytes()), Invalid);
    }

    #[test]
    fn a_number_longer_than_the_stack_buffer_still_reads() {
        let long = format!("1,{}", "0".repeat(70));
        assert_eq!(read_number(&long), Exact(1.0));
        let grouped = format!("1{}", ".000".repeat(30));
        assert_eq!(read_number(&grouped), Exact(1e90));
    }

    #[test]
    fn vietnamese_and_plain_numbers() {
        assert_eq!(read_number("1957"), Exact(1957.0));
        assert_eq!(read_number("97,4"), Exact(97.4));
        assert_eq!(read_number("97,4%"), Exact(97.4));
        assert_eq!(read_number("3,18%"), Exact(3.18));
        assert_eq!(read_number("97.4"), Exact(97.4));
        assert_eq!(read_number("37.77"), Exact(37.77));
        assert_eq!(read_number("41.051.000"), Exact(41_051_000.0));
        assert_eq!(read_number("1.234.567,5"), Exact(1_234_567.5));
        assert_eq!(read_number("1,234,567.5"), Exact(1_234_567.5));
        assert_eq!(read_number("120 tỷ"), Exact(120.0));
        assert_eq!(read_number("30 tỷ đồng/năm"), Exact(30.0));
        assert_eq!(read_number(" -21 "), Exact(-21.0));
        assert_eq!(read_number("33 928"), Exact(33928.0));
        assert_eq!(read_number("0.957"), Exact(0.957));
    }

    #[test]
    fn ambiguous_values_keep_both_readings() {
        assert_eq!(
            read_number("1.957"),
            Ambiguous {
                grouped: 1957.0,
                decimal: 1.957
            }
        );
        assert_eq!(
            read_number("41,051"),
            Ambiguous {
                grouped: 41051.0,
                decimal: 41.051
            }
        );
    }

    #[test]
    fn nonsense_is_invalid() {
        for bad in [
            "1.2.3",
            "abc",
            "",
            "1,2,3",
            "12.34.567",
            "1.234,5,6",
            "--1",
            ".",
            "1.",
            "%",
            "1e9",
        ] {
            assert_eq!(read_number(bad), Invalid, "{bad:?}");
        }
    }

    #[test]
    fn evidence_of_style() {
        assert_eq!(style_evidence("97,4"), DecimalStyle::Vietnamese);
        assert_eq!(style_evidence("1.957.000"), DecimalStyle::Vietnamese);
        assert_eq!(style_evidence("37.77"), DecimalStyle::Plain);
        assert_eq!(style_evidence("1.957"), DecimalStyle::Unknown);
        assert_eq!(style_evidence("1957"), DecimalStyle::Unknown);
    }
}
