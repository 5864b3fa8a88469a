//! Writing numbers and dates the Vietnamese way (Nghị định 30/2020):
//! "." groups thousands, "," marks decimals, years are never grouped.

/// Formats `value` with at most `decimals` decimals, trailing zeros dropped:
/// 1957 → "1.957", 97.4 → "97,4", 3.18 → "3,18", 41051 → "41.051".
pub fn format_number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return String::from("?");
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int_part, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac.trim_end_matches('0');
    let mut out = String::with_capacity(text.len() + 4);
    let negative = value < 0.0 && (int_part.bytes().any(|b| b != b'0') || !frac.is_empty());
    if negative {
        out.push('-');
    }
    let len = int_part.len();
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// A whole count with a leading zero under 10, as formal text writes it: "04", "44".
pub fn format_padded(value: f64) -> String {
    if value.fract() == 0.0 && (0.0..10.0).contains(&value) {
        format!("0{}", value as u8)
    } else {
        format_number(value, 2)
    }
}

/// "ngày 05 tháng 7 năm 2021": days under 10 and months 1–2 get a leading zero.
/// A missing day or month leaves the blank a draft leaves.
pub fn format_date(day: Option<u8>, month: Option<u8>, year: u16) -> String {
    let day = match day {
        Some(d) => format!("{d:02}"),
        None => "    ".into(),
    };
    let month = match month {
        Some(m) if m <= 2 => format!("{m:02}"),
        Some(m) => m.to_string(),
        None => "    ".into(),
    };
    format!("ngày {day} tháng {month} năm {year}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_vietnamese_style() {
        assert_eq!(format_number(1957.0, 0), "1.957");
        assert_eq!(format_number(41051.0, 2), "41.051");
        assert_eq!(format_number(97.4, 2), "97,4");
        assert_eq!(format_number(3.18, 2), "3,18");
        assert_eq!(format_number(37.77, 2), "37,77");
        assert_eq!(format_number(100.0, 1), "100");
        assert_eq!(format_number(-3479.0, 0), "-3.479");
        assert_eq!(format_number(1_234_567.891, 2), "1.234.567,89");
        assert_eq!(format_number(0.0, 2), "0");
        assert_eq!(format_number(-0.001, 2), "0");
        assert_eq!(format_number(f64::NAN, 2), "?");
    }

    #[test]
    fn padded_counts() {
        assert_eq!(format_padded(4.0), "04");
        assert_eq!(format_padded(44.0), "44");
        assert_eq!(format_padded(0.0), "00");
    }

    #[test]
    fn dates_in_the_official_form() {
        assert_eq!(
            format_date(Some(5), Some(1), 2020),
            "ngày 05 tháng 01 năm 2020"
        );
        assert_eq!(
            format_date(Some(29), Some(6), 2019),
            "ngày 29 tháng 6 năm 2019"
        );
        assert_eq!(
            format_date(None, Some(7), 2021),
            "ngày      tháng 7 năm 2021"
        );
    }
}
