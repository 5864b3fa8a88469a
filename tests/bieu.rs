//! Biểu tables as offices send them, in every variant and container: each is
//! read to the expected observations, and each broken variant gives one
//! finding on the right cell. The fixtures are made by
//! tools/make_bieu_fixtures.py (and tools/convert_bieu.mjs for .xls, .xlsb
//! and .ods).
#![cfg(not(target_arch = "wasm32"))]

use baocao::catalog::Catalog;
use baocao::ingest::{read_file, text::TextEncoding, FileRead, Limits};
use baocao::model::{Period, Severity};

fn read(name: &str) -> FileRead {
    let path = format!("{}/tests/fixtures/bieu/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap();
    read_file(
        name,
        &bytes,
        &Catalog::builtin(),
        0,
        &Limits::default(),
        TextEncoding::Auto,
    )
}

/// (Nam, Nữ, Sau đại học, Đại học, Cao đẳng…) of each district, as written.
const DISTRICTS: [(&str, [f64; 5]); 10] = [
    ("Thành phố Bắc Giang", [120.0, 95.0, 30.0, 170.0, 15.0]),
    ("Huyện Yên Thế", [80.0, 52.0, 9.0, 110.0, 13.0]),
    ("Huyện Tân Yên", [90.0, 60.0, 12.0, 125.0, 13.0]),
    ("Huyện Lạng Giang", [95.0, 61.0, 14.0, 130.0, 12.0]),
    ("Huyện Lục Nam", [101.0, 64.0, 10.0, 140.0, 15.0]),
    ("Huyện Lục Ngạn", [110.0, 70.0, 11.0, 150.0, 19.0]),
    ("Huyện Sơn Động", [70.0, 41.0, 5.0, 95.0, 11.0]),
    ("Huyện Yên Dũng", [85.0, 57.0, 12.0, 118.0, 12.0]),
    ("Thị xã Việt Yên", [92.0, 66.0, 15.0, 130.0, 13.0]),
    ("Huyện Hiệp Hòa", [99.0, 70.0, 13.0, 140.0, 16.0]),
];

const COLUMNS: [&str; 6] = [
    "Tổng số cán bộ, công chức",
    "Chia theo giới tính › Nam",
    "Chia theo giới tính › Nữ",
    "Trình độ chuyên môn › Sau đại học",
    "Trình độ chuyên môn › Đại học",
    "Trình độ chuyên môn › Cao đẳng, trung cấp trở xuống",
];

fn value(read: &FileRead, entity: Option<&str>, indicator: &str) -> Option<f64> {
    read.observations
        .iter()
        .find(|o| o.entity() == entity && o.indicator == indicator)
        .and_then(|o| o.value.number())
}

fn problems(read: &FileRead) -> Vec<String> {
    read.findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| format!("{} {}", f.rule, f.message_vi))
        .collect()
}

/// The standard table: every district's figures, the total as the agency's,
/// the period from the title, the unit from the header, nothing wrong.
fn assert_standard(read: &FileRead, what: &str) {
    assert!(problems(read).is_empty(), "{what}: {:?}", problems(read));
    assert_eq!(read.observations.len(), 66, "{what}");
    for (name, [nam, nu, sdh, dh, cd]) in DISTRICTS {
        let expected = [nam + nu, nam, nu, sdh, dh, cd];
        for (column, v) in COLUMNS.iter().zip(expected) {
            assert_eq!(
                value(read, Some(name), column),
                Some(v),
                "{what}: {name} {column}"
            );
        }
    }
    assert_eq!(
        value(read, None, COLUMNS[0]),
        Some(1578.0),
        "{what}: the total"
    );
    let o = read.observations.first().unwrap();
    assert_eq!(o.period, Period::Year(2020), "{what}");
    assert_eq!(o.unit().map(|u| &**u), Some("người"), "{what}");
    let period = read
        .findings
        .iter()
        .find(|f| f.rule == "bieu.period")
        .unwrap();
    assert!(
        period.message_vi.contains("NĂM 2020"),
        "{what}: {}",
        period.message_vi
    );
}

#[test]
fn the_standard_table_reads_in_every_container() {
    for name in [
        "bieu-cbcc-huyen.xlsx",
        "bieu-cbcc-huyen.xls",
        "bieu-cbcc-huyen.xlsb",
        "bieu-cbcc-huyen.ods",
    ] {
        assert_standard(&read(name), name);
    }
}

#[test]
fn the_header_reads_merged_or_not_with_or_without_numbers_and_the_total_anywhere() {
    for name in [
        "bieu-unmerged.xlsx",
        "bieu-no-numbers.xlsx",
        "bieu-total-on-top.xlsx",
    ] {
        assert_standard(&read(name), name);
    }
}

/// The one finding of a broken variant: its rule and its row.
fn one_finding(name: &str) -> (String, u32, usize) {
    let r = read(name);
    let found: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert_eq!(found.len(), 1, "{name}: {:?}", problems(&r));
    let f = found[0];
    (f.rule.clone(), f.cells[0].row, f.cells.len())
}

// The table's rows: 7 preamble rows, 2 header rows, the numbers row (when
// there is one), then the districts from row 10 or 11.

#[test]
fn a_total_that_does_not_add_up_is_found_at_the_total() {
    // No numbers row: districts in rows 10–19, the total in row 20.
    let (rule, row, cells) = one_finding("bieu-broken-total-no-numbers.xlsx");
    assert_eq!((rule.as_str(), row), ("bieu.total", 20));
    assert_eq!(cells, 11, "the total and its ten units");
}

#[test]
fn a_split_that_does_not_add_up_is_found_at_its_unit() {
    // Huyện Lục Nam is the fifth district: row 14.
    let (rule, row, cells) = one_finding("bieu-broken-split.xlsx");
    assert_eq!((rule.as_str(), row), ("bieu.split", 14));
    assert_eq!(cells, 3, "the total column and Nam, Nữ");
}

#[test]
fn a_declared_formula_that_fails_is_found_at_its_unit() {
    // With the numbers row, Huyện Yên Dũng (eighth) is row 18.
    for name in ["bieu-broken-formula.xlsx", "bieu-broken-formula.xls"] {
        let (rule, row, _) = one_finding(name);
        assert_eq!((rule.as_str(), row), ("bieu.formula", 18), "{name}");
    }
}

#[test]
fn sections_group_their_units_with_subtotals_and_roman_stt() {
    for name in [
        "bieu-sections.xlsx",
        "bieu-sections.xls",
        "bieu-sections.ods",
    ] {
        let r = read(name);
        assert!(problems(&r).is_empty(), "{name}: {:?}", problems(&r));
        // Five units, two sections, one total; six figures each.
        assert_eq!(r.observations.len(), 48, "{name}");
        assert_eq!(
            value(&r, Some("Khối tỉnh"), COLUMNS[0]),
            Some(133.0),
            "{name}"
        );
        assert_eq!(
            value(&r, Some("Sở Nội vụ"), COLUMNS[2]),
            Some(28.0),
            "{name}"
        );
        // The period comes from the sheet's name here.
        assert_eq!(
            r.observations.to_vec()[0].period,
            Period::Year(2020),
            "{name}"
        );
    }
    let broken = read("bieu-broken-subtotal.xlsx");
    let subtotal: Vec<_> = broken
        .findings
        .iter()
        .filter(|f| f.rule == "bieu.subtotal")
        .collect();
    assert_eq!(subtotal.len(), 1, "{:?}", problems(&broken));
    // The "Khối tỉnh" row: after 7 preamble rows, the header and the numbers.
    assert_eq!(subtotal[0].cells[0].row, 11);
    assert_eq!(subtotal[0].cells.len(), 3, "the subtotal and its two units");
}

#[test]
fn a_three_row_header_reads_as_a_tree() {
    let r = read("bieu-three-rows.xlsx");
    assert!(problems(&r).is_empty(), "{:?}", problems(&r));
    assert_eq!(r.observations.len(), 4 * 5);
    assert_eq!(
        value(&r, Some("Sở Y tế"), "Trong đó › Sự nghiệp › Đã tuyển"),
        Some(800.0)
    );
    assert_eq!(value(&r, None, "Tổng biên chế được giao"), Some(1030.0));
    assert_eq!(
        r.observations.to_vec()[0].period,
        Period::Half {
            year: 2026,
            half: 1
        }
    );
}

#[test]
fn every_sheet_that_holds_a_table_is_read_and_named() {
    for name in [
        "bieu-one-row-sheets.xlsx",
        "bieu-one-row-sheets.xls",
        "bieu-one-row-sheets.ods",
    ] {
        let r = read(name);
        assert!(problems(&r).is_empty(), "{name}: {:?}", problems(&r));
        assert_eq!(
            r.source.sheets,
            ["Quý I-2026", "Năm 2025", "Hướng dẫn"],
            "{name}"
        );
        let q1: Vec<_> = r
            .observations
            .iter()
            .filter(|o| o.cell.sheet == 0)
            .collect();
        let y: Vec<_> = r
            .observations
            .iter()
            .filter(|o| o.cell.sheet == 1)
            .collect();
        assert_eq!((q1.len(), y.len()), (12, 12), "{name}");
        assert_eq!(
            q1[0].period,
            Period::Quarter {
                year: 2026,
                quarter: 1
            },
            "{name}"
        );
        assert_eq!(y[0].period, Period::Year(2025), "{name}");
        // The unit named above the table: "ĐVT: lượt".
        assert_eq!(q1[0].unit().map(|u| &**u), Some("lượt"), "{name}");
        assert_eq!(
            value(&r, Some("Huyện Lục Nam"), "Thường xuyên"),
            Some(15.0),
            "{name}"
        );
    }
}

#[test]
fn hostile_tables_are_read_without_a_panic() {
    use baocao::ingest::cells::SheetCell;
    let cell = |t: &str| SheetCell {
        text: t.into(),
        number: t.parse().ok(),
    };
    let header = vec![cell("STT"), cell("Đơn vị"), cell("A"), cell("B")];
    let mut rows = vec![(0, header)];
    // A million-character label, control characters, markup, formulas of
    // columns that do not exist, and a total with nothing under it.
    rows.push((
        1,
        vec![cell("A"), cell("B"), cell("1=9+10"), cell("(2)=(7)/(0)")],
    ));
    rows.push((
        2,
        vec![
            cell("1"),
            cell(&"x&<".repeat(300_000)),
            cell("1"),
            cell("2"),
        ],
    ));
    rows.push((
        3,
        vec![cell("2"), cell("\u{b}\u{0}<b>"), cell("-"), cell("abc")],
    ));
    rows.push((4, vec![cell(""), cell("Tổng cộng"), cell("9"), cell("")]));
    let read = baocao::ingest::bieu::read(&rows, 0, 0, "", &Catalog::default()).expect("a biểu");
    assert!(read.findings.iter().any(|f| f.rule == "bieu.total"));
    assert!(read
        .findings
        .iter()
        .any(|f| f.rule == "read.unreadable-value"));
    assert!(baocao::ingest::bieu::read(&[], 0, 0, "", &Catalog::default()).is_none());
}

#[test]
fn a_broken_total_and_a_broken_split_in_one_table_are_two_findings() {
    let r = read("bieu-broken-total-and-split.xlsx");
    let mut found: Vec<(String, u32)> = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.rule.clone(), f.cells[0].row))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("bieu.split".to_string(), 14),
            ("bieu.total".to_string(), 20)
        ]
    );
}

#[test]
fn a_mapped_column_joins_the_catalogue_and_the_mapping_is_kept_and_reused() {
    use baocao::catalog::Mapping;
    use baocao::workspace::{InputFile, Workspace};
    let file = |name: &str| {
        InputFile::new(
            name,
            std::fs::read(format!(
                "{}/tests/fixtures/bieu/{name}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap(),
        )
    };
    let reference = InputFile::new(
        "ref.csv",
        include_bytes!("../assets/sample-nq05-bac-giang.csv").to_vec(),
    );
    let mut ws = Workspace::sample();
    ws.add_files(vec![reference, file("bieu-cbcc-huyen.xlsx")]);
    let table = ws.dataset().files[1].tables[0].clone();
    assert_eq!(table.columns[0], COLUMNS[0]);
    assert_eq!(
        (table.period.as_str(), table.period_from.as_str()),
        ("2020", "title")
    );
    assert!(
        table.codes.iter().all(String::is_empty),
        "{:?}",
        table.codes
    );

    // "Tổng số" is CBCC_HUYEN; "Cao đẳng…" is left out; the period is 2021.
    let mapping = Mapping {
        header: table.columns.clone(),
        columns: [
            (COLUMNS[0].to_string(), "CBCC_HUYEN".to_string()),
            (COLUMNS[5].to_string(), String::new()),
        ]
        .into(),
        period: Some("2020".into()),
        unit: None,
    };
    ws.map_table(mapping.clone()).unwrap();
    let table = &ws.dataset().files[1].tables[0];
    assert_eq!(table.codes[0], "CBCC_HUYEN");
    assert!(table.mapped[0] && table.left_out[5]);
    assert_eq!(table.period_from, "user");
    // The total is now the agency's CBCC_HUYEN of 2020, which the reference
    // says is 1.957: a conflict across the two files.
    let conflict = ws
        .findings()
        .iter()
        .find(|f| f.rule == "conflict" && f.cells.len() == 2)
        .expect("a conflict");
    // Each side by its file, row and value; the indicator by its name.
    assert!(
        conflict.message_vi.contains("bieu-cbcc-huyen.xlsx dòng")
            && conflict.message_vi.contains(": 1.578")
            && conflict.message_vi.contains(": 1.957")
            && conflict.message_vi.starts_with("Cán bộ, công chức"),
        "{}",
        conflict.message_vi
    );
    assert!(!ws
        .dataset()
        .observations()
        .any(|o| o.indicator == COLUMNS[5]));

    // Saved and opened again: the mapping is there, and a second file with
    // the same header (the same table saved as .xls) takes it.
    let saved = baocao::snapshot::write(&ws).unwrap();
    let mut back = baocao::snapshot::read(&saved, &Default::default(), None).unwrap();
    assert_eq!(back.catalog.mappings, vec![mapping]);
    back.add_files(vec![file("bieu-cbcc-huyen.xls")]);
    let xls = back
        .dataset()
        .files
        .iter()
        .find(|f| f.name.ends_with(".xls"))
        .unwrap();
    assert_eq!(xls.tables[0].codes[0], "CBCC_HUYEN");
    assert!(xls.tables[0].mapped[0]);
}

#[test]
fn a_catalogue_written_from_a_table_reads_the_table_by_its_codes_and_checks_its_rules() {
    use baocao::catalog::from_table::catalog_from_table;
    let r = read("bieu-cbcc-huyen.xlsx");
    let table = &r.source.tables[0];
    let text = catalog_from_table(table, "Biểu 01/BNV", &Catalog::default());
    let catalog = Catalog::from_toml(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(catalog.indicators.len(), 6);
    let nu = catalog.get("CHIA_THEO_GIOI_TINH_NU").unwrap();
    assert_eq!(
        (nu.name.as_str(), nu.unit.as_str()),
        ("Chia theo giới tính › Nữ", "người")
    );
    // 1 = 2 + 3 and 1 = 4 + 5 + 6, declared by the column-number row.
    assert_eq!(catalog.rules.len(), 2, "{text}");
    // The same table read with it: by the new codes, and the rules hold.
    let path = format!(
        "{}/tests/fixtures/bieu/bieu-broken-formula.xlsx",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(path).unwrap();
    let again = read_file(
        "x.xlsx",
        &bytes,
        &catalog,
        0,
        &Limits::default(),
        TextEncoding::Auto,
    );
    assert!(again
        .observations
        .iter()
        .all(|o| catalog.get(o.indicator).is_some()));
    let dataset = baocao::model::Dataset::from_observations(vec![again.source], again.observations);
    let rule_findings: Vec<_> = baocao::check::check(&dataset, &catalog)
        .into_iter()
        .filter(|f| f.rule.starts_with("BIEU_"))
        .collect();
    // Yên Dũng's row breaks 1 = 4+5+6, as the table's own check found; the
    // catalogue's rule sees the total row's figures too, which carry it.
    let rows: Vec<u32> = rule_findings.iter().map(|f| f.cells[0].row).collect();
    assert_eq!(rows, [18, 21], "{rule_findings:?}");
}

#[test]
fn a_biểu_is_charted_by_unit_with_its_splits_stacked() {
    let path = format!(
        "{}/tests/fixtures/bieu/bieu-cbcc-huyen.xlsx",
        env!("CARGO_MANIFEST_DIR")
    );
    let r = read_file(
        "b.xlsx",
        &std::fs::read(path).unwrap(),
        &Catalog::builtin(),
        0,
        &Limits::default(),
        TextEncoding::Auto,
    );
    let dataset = baocao::model::Dataset::from_observations(vec![r.source], r.observations);
    let charts = baocao::chart::choose(&dataset, &Catalog::builtin(), &Default::default());
    // "Chia theo giới tính" (1 = 2 + 3) and the levels (1 = 4 + 5 + 6), stacked by unit.
    let stacked: Vec<_> = charts
        .iter()
        .filter(|c| c.id.starts_with("table-"))
        .collect();
    assert_eq!(
        stacked.len(),
        2,
        "{:?}",
        charts.iter().map(|c| &c.id).collect::<Vec<_>>()
    );
    let sex = stacked[0];
    assert_eq!(sex.title, format!("{} — Chia theo giới tính", COLUMNS[0]));
    assert_eq!(sex.unit, "người");
    assert_eq!(sex.categories.len(), 10, "every unit, not the total");
    assert_eq!(
        sex.series
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["Nam", "Nữ"]
    );
    // A bar chart per column across units, sorted, without the total.
    let total = charts
        .iter()
        .find(|c| c.id == format!("entities-{}", COLUMNS[0]))
        .expect("bars of the total column");
    assert_eq!(total.categories.len(), 10);
    assert_eq!(total.categories[0], "Thành phố Bắc Giang");
    assert_eq!(total.unit, "người");
}

#[test]
fn a_unit_column_with_a_name_the_page_does_not_know_is_found_from_its_cells() {
    use baocao::ingest::cells::SheetCell;
    let cell = |t: &str| SheetCell {
        text: t.into(),
        number: t.parse().ok(),
    };
    let rows: Vec<(u32, Vec<SheetCell>)> = [
        vec!["KẾT QUẢ TUYỂN SINH NĂM 2025"],
        vec!["Trường", "Chỉ tiêu", "Đã tuyển"],
        vec!["THPT Ngô Sĩ Liên", "450", "448"],
        vec!["THPT Lạng Giang 1", "420", "421"],
        vec!["Cộng", "870", "869"],
    ]
    .iter()
    .enumerate()
    .map(|(i, r)| (i as u32, r.iter().map(|t| cell(t)).collect()))
    .collect();
    let read = baocao::ingest::bieu::read(&rows, 0, 0, "", &Catalog::default()).expect("a biểu");
    assert_eq!(read.observations.len(), 6);
    assert_eq!(read.tables[0].columns, ["Chỉ tiêu", "Đã tuyển"]);
    assert!(read
        .observations
        .iter()
        .any(|o| o.entity() == Some("THPT Ngô Sĩ Liên")));
    assert_eq!(read.observations.to_vec()[0].period, Period::Year(2025));
}

#[test]
fn a_table_of_years_as_rows_reads_a_period_per_row() {
    use baocao::ingest::cells::SheetCell;
    let cell = |t: &str| SheetCell {
        text: t.into(),
        number: t.parse().ok(),
    };
    let rows: Vec<(u32, Vec<SheetCell>)> = [
        vec!["BIÊN CHẾ QUA CÁC NĂM"],
        vec!["Năm", "Tổng biên chế", "Hành chính", "Sự nghiệp"],
        vec!["2016", "100", "40", "60"],
        vec!["2017", "98", "40", "58"],
        vec!["2018", "95", "39", "55"],
    ]
    .iter()
    .enumerate()
    .map(|(i, r)| (i as u32, r.iter().map(|t| cell(t)).collect()))
    .collect();
    let read = baocao::ingest::bieu::read(&rows, 0, 0, "", &Catalog::default()).expect("read");
    assert_eq!(read.observations.len(), 9);
    assert!(read.observations.iter().all(|o| o.entity().is_none()));
    let periods: Vec<Period> = read
        .observations
        .iter()
        .filter(|o| &*o.indicator == "Tổng biên chế")
        .map(|o| o.period)
        .collect();
    assert_eq!(
        periods,
        [Period::Year(2016), Period::Year(2017), Period::Year(2018)]
    );
    assert_eq!(read.tables[0].period_from, "rows");
}

/// A table whose units are codes ("101", "102"): the page cannot tell its
/// unit column, asks, and reads it once the user says.
#[test]
fn a_table_not_understood_asks_for_its_unit_column_and_is_read_once_told() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "SỐ LIỆU NĂM 2020").unwrap();
    for (c, h) in ["Mã đơn vị", "Nam", "Nữ", "Tổng số"].iter().enumerate() {
        s.write_string(2, c as u16, *h).unwrap();
    }
    for (r, (code, nam, nu)) in [(101.0, 5.0, 4.0), (102.0, 7.0, 3.0)].iter().enumerate() {
        let r = 3 + r as u32;
        s.write_number(r, 0, *code).unwrap();
        s.write_number(r, 1, *nam).unwrap();
        s.write_number(r, 2, *nu).unwrap();
        s.write_number(r, 3, nam + nu).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let mut ws = baocao::workspace::Workspace::sample();
    ws.add_files(vec![baocao::workspace::InputFile::new("ma.xlsx", bytes)]);
    let table = ws.dataset().files[0].tables[0].clone();
    assert!(!table.understood);
    assert_eq!(table.columns, ["Mã đơn vị", "Nam", "Nữ", "Tổng số"]);
    assert!(ws.dataset().is_empty());

    ws.map_table(baocao::catalog::Mapping {
        header: table.columns.clone(),
        unit: Some("Mã đơn vị".into()),
        ..baocao::catalog::Mapping::default()
    })
    .unwrap();
    let table = &ws.dataset().files[0].tables[0];
    assert!(table.understood);
    assert_eq!(table.unit_column.1, "Mã đơn vị");
    let nu_102 = ws
        .dataset()
        .observations()
        .find(|o| o.entity() == Some("102") && o.indicator == "Nữ")
        .and_then(|o| o.value.number());
    assert_eq!(nu_102, Some(3.0));
    // The choice is kept in the catalogue's text: saved, exported, reused.
    assert!(ws.catalog_text.contains("unit = \"Mã đơn vị\""));
}
