//! A period read from its text: "2020", "Năm 2020", "2016-2020",
//! "2016–2020", "Giai đoạn 2016-2020", "6 tháng đầu năm 2021", "Quý I/2021".

use super::Period;
use crate::fold::fold_words;

impl Period {
    /// Reads a period, or `None` when the text is not one. Spreadsheet
    /// numbers such as "2020.0" are accepted as years.
    pub fn parse(text: &str) -> Option<Period> {
        read(text)
    }
}

fn read(text: &str) -> Option<Period> {
    let w = fold_words(text);
    let w = w.as_str();
    if let Some(rest) = w.strip_prefix("quy ") {
        let (q, y) = rest.split_once('/').or_else(|| rest.split_once(" nam "))?;
        let quarter = match q.trim() {
            "i" | "1" => 1,
            "ii" | "2" => 2,
            "iii" | "3" => 3,
            "iv" | "4" => 4,
            _ => return None,
        };
        return Some(Period::Quarter {
            year: year(y.trim())?,
            quarter,
        });
    }
    for (prefix, half) in [("6 thang dau nam ", 1), ("6 thang cuoi nam ", 2)] {
        if let Some(y) = w.strip_prefix(prefix) {
            return Some(Period::Half {
                year: year(y)?,
                half,
            });
        }
    }
    let w = w
        .strip_prefix("giai doan ")
        .or_else(|| w.strip_prefix("nam "))
        .or_else(|| w.strip_prefix("ky "))
        .unwrap_or(w)
        .trim();
    if let Some((a, b)) = w
        .split_once('-')
        .or_else(|| w.split_once('–'))
        .or_else(|| w.split_once('—'))
    {
        let (from, to) = (year(a.trim())?, year(b.trim())?);
        return (from <= to).then_some(Period::Span { from, to });
    }
    year(w).map(Period::Year)
}

/// A four-digit year between 1900 and 2200; "2020.0" from a spreadsheet counts.
fn year(t: &str) -> Option<u16> {
    let t = t.strip_suffix(".0").unwrap_or(t);
    if t.len() != 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: u16 = t.parse().ok()?;
    (1900..=2200).contains(&y).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_in_the_design() {
        assert_eq!(Period::parse("2020"), Some(Period::Year(2020)));
        assert_eq!(Period::parse("Năm 2020"), Some(Period::Year(2020)));
        assert_eq!(Period::parse("2020.0"), Some(Period::Year(2020)));
        let span = Some(Period::Span {
            from: 2016,
            to: 2020,
        });
        assert_eq!(Period::parse("2016-2020"), span);
        assert_eq!(Period::parse("2016–2020"), span);
        assert_eq!(Period::parse("2016 - 2020"), span);
        assert_eq!(Period::parse("Giai đoạn 2016-2020"), span);
        assert_eq!(
            Period::parse("6 tháng đầu năm 2021"),
            Some(Period::Half {
                year: 2021,
                half: 1
            })
        );
        assert_eq!(
            Period::parse("Quý I/2021"),
            Some(Period::Quarter {
                year: 2021,
                quarter: 1
            })
        );
        assert_eq!(
            Period::parse("quý IV/2020"),
            Some(Period::Quarter {
                year: 2020,
                quarter: 4
            })
        );
    }

    #[test]
    fn not_periods() {
        for t in [
            "",
            "abc",
            "20",
            "Giá trị",
            "2020-2016",
            "Quý V/2021",
            "99999",
        ] {
            assert_eq!(Period::parse(t), None, "{t:?}");
        }
    }
}
