use super::*;

fn cell(row: u32, col: u32) -> CellRef {
    CellRef {
        file: 3,
        sheet: 1,
        row,
        col,
    }
}

fn observation(
    indicator: &Label,
    row: Option<Rc<RowLabels>>,
    value: Value,
    raw: &str,
) -> Observation {
    Observation {
        indicator: indicator.clone(),
        period: Period::Quarter {
            year: 2021,
            quarter: 2,
        },
        value,
        cell: cell(2, 3),
        raw: raw.into(),
        row,
    }
}

/// Observations of every kind: numbers written each way and none, text
/// values, -0, NaN, ±∞, "&" and "<", control characters, and row labels
/// shared or not.
fn observations() -> Vec<Observation> {
    let (a, b): (Label, Label) = ("CBCC_XA".into(), "<&>".into());
    let commune = RowLabels {
        entity: Some("Xã A & B".into()),
        unit: Some("người".into()),
        name: None,
    }
    .shared();
    let values = [
        (Value::Number(13.0), "13"),
        (Value::Number(1957.0), "1.957"),
        (Value::Number(37.77), "37,77"),
        (Value::Number(-1234567.5), "-1.234.567,5"),
        (Value::Number(7.0), " 7 "),
        (Value::Number(-0.0), "-0"),
        (Value::Number(-0.0), "0"),
        (Value::Number(f64::NAN), "NaN"),
        (Value::Number(f64::INFINITY), "inf"),
        (Value::Number(1e300), "1e300"),
        (Value::text("khá"), "khá"),
        (Value::text("khá"), " Khá"),
        (Value::text("a\u{0}<b>&\u{1b}"), "a\u{0}<b>&\u{1b}"),
        (
            Value::Number(f64::from_bits(u64::from(TEXT) << 32 | 5)),
            "?",
        ),
    ];
    (0..)
        .zip(values)
        .map(|(i, (value, raw))| {
            let indicator = if i % 3 == 0 { &b } else { &a };
            let row = (i % 2 == 0).then(|| commune.clone()).flatten();
            let mut o = observation(indicator, row, value, raw);
            o.cell = cell(i + 2, i % 4);
            o.period = if i % 5 == 0 {
                Period::Span {
                    from: 2016,
                    to: 2020,
                }
            } else {
                Period::Year(2020 + i as u16 % 2)
            };
            o
        })
        .collect()
}

/// An observation read back as it was pushed; a NaN equals itself by bits.
fn same(back: ObservationRef, o: &Observation) -> bool {
    let value = match (back.value, &o.value) {
        (ValueRef::Number(a), Value::Number(b)) if b.is_nan() => a.is_nan(),
        _ => back.value == o.value,
    };
    value
        && back.indicator == &*o.indicator
        && back.period == o.period
        && back.cell == o.cell
        && back.row == o.row.as_ref()
        && back.raw() == o.raw.as_str()
}

#[test]
fn every_observation_comes_back_as_it_went_in() {
    let all = observations();
    let part = Part::from(all.clone());
    assert_eq!(part.len(), all.len());
    for (back, o) in part.iter().zip(&all) {
        assert!(same(back, o), "{back:?} / {o:?}");
    }
    assert!(part.get(all.len()).is_none());
    assert_eq!(part.iter().rev().count(), all.len());
    assert_eq!(part.last().map(|o| o.cell), all.last().map(|o| o.cell));
    // A number whose bits are a text value's is the usual NaN, not a text.
    assert!(part
        .get(13)
        .is_some_and(|o| o.value.number().is_some_and(f64::is_nan)));
    // Only the texts no way writes are kept: " 7 ", "0" for -0, "1e300",
    // " Khá", "?" ("NaN" is how Rust writes a NaN).
    assert_eq!(part.raws.len(), 5);
    // Each distinct text value once, each row labels value once.
    assert_eq!(part.texts.len(), 2);
    assert_eq!(part.rows.len(), 1);
    assert_eq!(part.to_vec().len(), all.len());
}

#[test]
fn a_figure_takes_24_bytes() {
    assert_eq!(std::mem::size_of::<Packed>(), 24);
}

#[test]
fn corrections_keep_the_text_each_cell_was_read_with() {
    let all = observations();
    let mut part = Part::from(all.clone());
    part.correct([
        (0, Value::Number(14.0)),
        (1, Value::Number(1.957)),
        (2, Value::text("không")),
        (4, Value::Number(8.0)),
        // Corrected twice: the text is still the one read.
        (0, Value::Number(15.0)),
        (99, Value::Number(1.0)),
    ]);
    let raws: Vec<String> = part.iter().map(|o| o.raw().into_owned()).collect();
    let read: Vec<&str> = all.iter().map(|o| o.raw.as_str()).collect();
    assert_eq!(raws, read);
    assert_eq!(part.get(0).map(|o| o.value), Some(ValueRef::Number(15.0)));
    assert_eq!(part.get(1).map(|o| o.value), Some(ValueRef::Number(1.957)));
    assert_eq!(part.get(2).map(|o| o.value), Some(ValueRef::Text("không")));
}

#[test]
fn parts_join_with_rows_shifted_and_slice_apart() {
    let all = observations();
    let mut first = Part::from(all[..5].to_vec());
    let mut second = Part::from(all[5..].to_vec());
    second.shift_rows(100);
    first.append(&second);
    assert_eq!(first.len(), all.len());
    for (i, (back, o)) in first.iter().zip(&all).enumerate() {
        let mut o = o.clone();
        if i >= 5 {
            o.cell.row += 100;
        }
        assert!(same(back, &o), "{back:?} / {o:?}");
    }
    let slice = first.slice(2..4);
    assert_eq!(slice.len(), 2);
    assert!(slice.iter().zip(&all[2..4]).all(|(b, o)| same(b, o)));
    // Rows never wrap.
    second.shift_rows(u32::MAX);
    assert!(second.iter().all(|o| o.cell.row == u32::MAX));
}

#[test]
fn numbers_no_part_gave_read_as_nothing() {
    let mut part = Part::new();
    let label: Label = "K".into();
    let k = part.indicator_number(&label);
    part.push_numbered(
        k,
        0,
        Period::Year(2020),
        ValueRef::Number(1.0),
        cell(2, 0),
        "1",
    );
    // An indicator and row labels this part never numbered.
    part.push_numbered(
        77,
        9,
        Period::Year(2020),
        ValueRef::Number(2.0),
        cell(3, 0),
        "2",
    );
    let back: Vec<_> = part
        .iter()
        .map(|o| (o.indicator, o.row.is_none()))
        .collect();
    assert_eq!(back, [("K", true), ("", true)]);
    assert_eq!(part.row_labels_number(None), 0);
}

#[test]
fn a_part_appended_names_what_both_share_once() {
    let all = observations();
    let mut joined = Part::from(all[..7].to_vec());
    joined.append(&Part::from(all.clone()));
    let pushed = Part::from([&all[..7], &all[..]].concat());
    assert_eq!(joined.len(), pushed.len());
    for (back, o) in joined.iter().zip(pushed.to_vec()) {
        assert!(same(back, &o), "{back:?} / {o:?}");
    }
    // The texts, indicators and row labels of both, each once.
    assert_eq!(joined.texts.len(), 2);
    assert_eq!(joined.indicators.len(), 2);
    assert_eq!(joined.rows.len(), 1);
    assert_eq!(joined.raws.len(), pushed.raws.len());
    assert!(joined.raws.windows(2).all(|w| w[0].0 < w[1].0));
}

#[test]
fn numbers_no_part_gave_stay_nothing_when_appended() {
    let mut odd = Part::new();
    odd.push_numbered(
        77,
        9,
        Period::Year(2020),
        ValueRef::Number(2.0),
        cell(3, 0),
        "2",
    );
    let mut part = Part::from(observations());
    let before = part.len();
    part.append(&odd);
    let back = part
        .get(before)
        .map(|o| (o.indicator, o.row.is_none(), o.value));
    assert_eq!(back, Some(("", true, ValueRef::Number(2.0))));
}

#[test]
fn a_part_kept_in_part_keeps_each_figure_with_its_text() {
    let all = observations();
    let mut part = Part::from(all.clone());
    let mut i = 0;
    part.retain(|_| {
        i += 1;
        i % 3 != 1
    });
    let left: Vec<Observation> = (all.iter())
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(_, o)| o.clone())
        .collect();
    assert_eq!(part.len(), left.len());
    for (back, o) in part.iter().zip(&left) {
        assert!(same(back, o), "{back:?} / {o:?}");
    }
    assert_eq!(part.raws.len(), Part::from(left).raws.len());
    part.retain(|_| false);
    assert!(part.is_empty() && part.raws.is_empty());
}
