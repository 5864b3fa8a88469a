//! Readers: shapes, header aliases, number styles and bad input.
#![cfg(not(target_arch = "wasm32"))]
mod common;
use baocao::catalog::Catalog;
use baocao::ingest::{read_file, Limits, TextEncoding};
use baocao::model::{Period, Value, ValueRef};
use common::*;

fn read(name: &str, bytes: &[u8]) -> baocao::ingest::FileRead {
    read_file(
        name,
        bytes,
        &Catalog::builtin(),
        0,
        &Limits::default(),
        TextEncoding::Auto,
    )
}

fn rules(r: &baocao::ingest::FileRead) -> Vec<&str> {
    r.findings.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn long_shape_with_vietnamese_headers_and_numbers() {
    let csv = "Mã số;Kỳ;Số liệu;ĐVT\nCBCC_XA;Năm 2020;4.864;người\nCBCC_HUYEN_DAI_HOC_TY_LE;2020;97,4%;%\n";
    let r = read("a.csv", csv.as_bytes());
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(r.observations.to_vec()[0].value, Value::Number(4864.0));
    assert_eq!(r.observations.to_vec()[1].value.number(), Some(97.4));
    assert_eq!(r.observations.to_vec()[0].cell.row, 2);
    assert_eq!(r.observations.to_vec()[0].cell.col, 2);
}

#[test]
fn wide_shape_by_indicator_name() {
    let csv = "Chỉ tiêu,Năm 2015,Năm 2020\nTổng số biên chế,44.530,41.051\n";
    let r = read("w.csv", csv.as_bytes());
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    let got: Vec<_> = r
        .observations
        .iter()
        .map(|o| (o.indicator, o.period, o.value.number()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("BIEN_CHE", Period::Year(2015), Some(44530.0)),
            ("BIEN_CHE", Period::Year(2020), Some(41051.0))
        ]
    );
}

#[test]
fn an_ambiguous_value_is_a_warning_with_both_readings() {
    // The file writes decimals with a dot, so "1.957" for a score could be either.
    let csv = "code,period,value\nPAPI_DIEM,2016,37.77\nPAPI_DIEM,2017,1.957\n";
    let r = read("a.csv", csv.as_bytes());
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "read.ambiguous-number")
        .expect("warning");
    assert!(
        f.message_vi.contains("1.957") && f.message_vi.contains("1,957"),
        "{}",
        f.message_vi
    );
    // A count cannot be 1,957: no warning.
    let r = read(
        "b.csv",
        b"code,period,value\nCBCC_HUYEN,2020,1.957\nPAPI_DIEM,2016,37.77\n",
    );
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(r.observations.to_vec()[0].value.number(), Some(1957.0));
}

#[test]
fn bad_values_are_pinned_to_their_cell() {
    let r = read("bad.csv", b"code,period,value\nCBCC_XA,2020,1.2.3\n");
    assert_eq!(rules(&r), vec!["read.unreadable-value"]);
    let f = &r.findings[0];
    assert_eq!((f.cells[0].row, f.cells[0].col), (2, 2));
    assert_eq!(f.raw.as_deref(), Some("1.2.3"));
}

#[test]
fn bad_files_get_a_message_never_a_panic() {
    assert_eq!(rules(&read("empty.csv", b"")), vec!["read.empty-file"]);
    assert_eq!(rules(&read("blank.csv", b" \n\n")), vec!["read.empty-file"]);
    assert_eq!(
        rules(&read("header.csv", b"code,period,value\n")),
        vec!["read.no-data"]
    );
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    assert_eq!(rules(&read("junk.xlsx", &junk)), vec!["read.binary"]);
    assert_eq!(
        rules(&read("other.csv", b"a,b\n1,2\n")),
        vec!["read.unknown-shape"]
    );
    let wide: String = (0..10_000).map(|i| format!("c{i},")).collect();
    assert!(rules(&read("wide.csv", wide.as_bytes())).contains(&"read.too-many-columns"));
    let r = read(
        "quotes.csv",
        b"code,period,value\nCBCC_XA,2020,\"4864\nCONG_CHUC_XA,2020,2605\n",
    );
    assert!(r.observations.is_empty() || !r.findings.is_empty());
}

#[test]
fn unknown_indicators_suggest_the_closest_code() {
    let r = read("u.csv", b"code,period,value\nCBCC_XAA,2020,4864\n");
    let f = &r.findings[0];
    assert_eq!(f.rule, "read.unknown-indicator");
    assert!(f.message_vi.contains("CBCC_XA?"), "{}", f.message_vi);
}

#[test]
fn utf16_and_bom_files_read_the_same() {
    let mut le = vec![0xFF, 0xFE];
    le.extend(REFERENCE_CSV.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let a = read("a.csv", REFERENCE_CSV.as_bytes());
    let b = read("b.txt", &le);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(REFERENCE_CSV.as_bytes());
    let c = read("c.csv", &bom);
    assert_eq!(a.observations, b.observations);
    assert_eq!(a.observations, c.observations);
    assert_eq!(b.source.encoding, "UTF-16LE");
}

/// (indicator, entity, period, value) of every observation, sorted.
fn figures(r: &baocao::ingest::FileRead) -> Vec<(String, Option<String>, String, String)> {
    let mut v: Vec<_> = r
        .observations
        .iter()
        .map(|o| {
            let value = match o.value {
                ValueRef::Number(value) => format!("{value}"),
                ValueRef::Text(t) => t.to_string(),
            };
            (
                o.indicator.to_string(),
                o.entity().map(str::to_string),
                o.period.to_string(),
                value,
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_container_encoding_and_shape_reads_into_the_same_dataset() {
    let reference = figures(&read("ref.csv", REFERENCE_CSV.as_bytes()));
    assert_eq!(reference.len(), 85);
    let paths = fixture_paths();
    let expected_encoding = |name: &str| match name {
        n if n.contains("tcvn3") => "TCVN3 (ABC)",
        n if n.contains("vni") => "VNI",
        n if n.contains("windows1258") => "Windows-1258",
        n if n.contains("utf16le") => "UTF-16LE",
        n if n.contains("utf16be") => "UTF-16BE",
        n if n.ends_with(".xlsx") => "XLSX",
        n if n.ends_with(".ods") => "ODS",
        _ => "UTF-8",
    };
    assert!(paths.len() >= 14, "{paths:?}");
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let r = read(&name, &bytes);
        assert!(r.findings.is_empty(), "{name}: {:#?}", r.findings);
        assert_eq!(r.source.encoding, expected_encoding(&name), "{name}");
        assert_eq!(figures(&r), reference, "{name}");
    }
}

#[test]
fn spreadsheets_keep_sheet_row_and_column() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/read");
    let r = read("long.xlsx", &std::fs::read(dir.join("long.xlsx")).unwrap());
    // Title in row 1, blank row 2, header in row 3: the first figure is in row 4, column E.
    let first = &r.observations.to_vec()[0];
    assert_eq!((first.cell.row, first.cell.col), (4, 4));
    assert_eq!(r.source.sheets, vec!["Số liệu"]);
    let r = read(
        "wide.xlsx",
        &std::fs::read(dir.join("wide-two-sheets.xlsx")).unwrap(),
    );
    assert_eq!(r.source.sheets.len(), 2);
    let second_sheet = r.observations.iter().find(|o| o.cell.sheet == 1).unwrap();
    assert_eq!(second_sheet.cell.row, 2);
}

fn bad(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/bad")
            .join(name),
    )
    .unwrap()
}

#[test]
fn a_zip_bomb_is_refused_from_its_directory_at_once() {
    let bytes = bad("bomb.xlsx");
    assert!(bytes.len() < 2 << 20, "the bomb is small: {}", bytes.len());
    let started = std::time::Instant::now();
    let r = read("bomb.xlsx", &bytes);
    let took = started.elapsed();
    assert_eq!(rules(&r), vec!["read.refused"], "{:?}", r.findings);
    assert!(
        r.findings[0].message_vi.contains("bom nén"),
        "{}",
        r.findings[0].message_vi
    );
    // Nothing was unpacked: refusing takes milliseconds, not the seconds 1 GiB would.
    assert!(took.as_secs_f64() < 0.5, "took {took:?}");
}

#[test]
fn damaged_and_foreign_files_get_a_message() {
    assert_eq!(
        rules(&read("half.xlsx", &bad("truncated.xlsx"))),
        vec!["read.refused"]
    );
    // A zip that is no spreadsheet.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("readme.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, b"hello").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert_eq!(rules(&read("a.zip", &bytes)), vec!["read.unsupported"]);
    // A CSV with an unbalanced quote: read what can be read, never panic.
    let r = read(
        "q.csv",
        b"code,period,value\nCBCC_XA,2020,\"4864\nCONG_CHUC_XA,2020,2605\n",
    );
    assert!(!r.findings.is_empty() || r.observations.is_empty());
    // Mixed encodings: UTF-8 text with one Windows-1258 byte is not UTF-8; it still reads.
    let mut mixed = "Mã chỉ tiêu,Kỳ,Giá trị\nCBCC_XA,2020,4864\n"
        .as_bytes()
        .to_vec();
    mixed.extend_from_slice(b"CONG_CHUC_XA,2020,2605 \xF2\n");
    let r = read("mixed.csv", &mixed);
    assert_eq!(r.observations.len(), 1, "{:?}", r.findings);
    assert!(!r.findings.is_empty());
    // Invalid JSON names its line.
    let r = read(
        "x.json",
        b"[{\"code\": \"CBCC_XA\",\n \"period\": 2020, \"value\": }]",
    );
    assert!(
        r.findings[0].message_vi.contains("dòng 2"),
        "{}",
        r.findings[0].message_vi
    );
}

#[test]
fn the_user_can_override_a_detected_encoding() {
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/read/long-tcvn3.csv"),
    )
    .unwrap();
    let wrong = read_file(
        "t.csv",
        &bytes,
        &Catalog::builtin(),
        0,
        &Limits::default(),
        TextEncoding::Windows1258,
    );
    assert_eq!(wrong.source.encoding, "Windows-1258");
    let right = read_file(
        "t.csv",
        &bytes,
        &Catalog::builtin(),
        0,
        &Limits::default(),
        TextEncoding::Tcvn3,
    );
    assert!(right.findings.is_empty());
}

#[test]
fn reading_a_slice_at_a_time_gives_what_reading_at_once_gives() {
    let catalog = Catalog::builtin();
    let limits = Limits::default();
    let mut names = fixture_paths();
    names.push(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample-nq05-bac-giang.csv"),
    );
    for path in names {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let whole = read_file(&name, &bytes, &catalog, 3, &limits, TextEncoding::Auto);
        for slice in [1, 7, 1000] {
            let sliced =
                match baocao::ingest::open(&name, &bytes, &catalog, 3, &limits, TextEncoding::Auto)
                {
                    baocao::ingest::Opened::Read(read) => read,
                    baocao::ingest::Opened::Text(text) => {
                        let mut reading = text.reading(&catalog, &limits);
                        let mut last = 0.0;
                        while !reading.step(slice) {
                            let now = reading.progress();
                            assert!((last..=1.0).contains(&now), "{name}: {last} then {now}");
                            last = now;
                        }
                        reading.finish()
                    }
                };
            assert_eq!(sliced, whole, "{name}, {slice} rows a slice");
        }
        assert!(!whole.observations.is_empty(), "{name}");
    }
}

/// Every file of tests/fixtures/read, in name order.
fn fixture_paths() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/read");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
}

/// What the reader worker does: hand out the observations after every slice,
/// then apply the corrections `finish_taken` returns.
fn read_taking(name: &str, bytes: &[u8], slice: usize) -> baocao::ingest::FileRead {
    let (catalog, limits) = (Catalog::builtin(), Limits::default());
    match baocao::ingest::open(name, bytes, &catalog, 3, &limits, TextEncoding::Auto) {
        baocao::ingest::Opened::Read(read) => read,
        baocao::ingest::Opened::Text(text) => {
            let mut reading = text.reading(&catalog, &limits);
            let mut taken = Vec::new();
            while !reading.step(slice) {
                taken.extend(reading.take_observations());
            }
            taken.extend(reading.take_observations());
            let (mut read, corrections) = reading.finish_taken();
            for (i, value) in corrections {
                if let Some(o) = taken.get_mut(i) {
                    o.value = value;
                }
            }
            taken.extend(read.observations.to_vec());
            read.observations = taken.into();
            read
        }
    }
}

/// `read_file` takes a text's observations a slice of rows at a time: a
/// figure settled by a row past the first slice comes out as a read of the
/// whole at once gives it, with the text it was written as.
#[test]
fn a_large_text_read_a_slice_at_a_time_is_read_as_at_once() {
    let (catalog, limits) = (Catalog::builtin(), Limits::default());
    let mut csv = String::from("code,period,value\nCBCC_HUYEN_DAI_HOC_TY_LE,2019,1.957\n");
    for i in 0..70_000 {
        csv += &format!("K{},{},{}\n", i % 7, 2000 + i % 20, i % 1000);
    }
    csv += "CBCC_HUYEN_DAI_HOC_TY_LE,2020,97.4\n";
    let at_once = match baocao::ingest::open(
        "big.csv",
        csv.as_bytes(),
        &catalog,
        3,
        &limits,
        TextEncoding::Auto,
    ) {
        baocao::ingest::Opened::Text(text) => {
            let mut reading = text.reading(&catalog, &limits);
            while !reading.step(usize::MAX) {}
            reading.finish()
        }
        baocao::ingest::Opened::Read(_) => panic!("a text"),
    };
    let read = read_file(
        "big.csv",
        csv.as_bytes(),
        &catalog,
        3,
        &limits,
        TextEncoding::Auto,
    );
    assert_eq!(read.observations.len(), 70_002);
    assert_eq!(read, at_once);
    let first = read.observations.first().expect("a first figure");
    assert_eq!(first.value, ValueRef::Number(1.957));
    assert_eq!(first.raw(), "1.957");
}

#[test]
fn observations_taken_while_reading_come_out_as_read_at_once() {
    let catalog = Catalog::builtin();
    let limits = Limits::default();
    // "1.957" is settled as 1.957 only once "97.4" shows the file's style:
    // by then the first observation has been handed out, so it comes back
    // as a correction.
    let late_style = b"code,period,value\nCBCC_HUYEN_DAI_HOC_TY_LE,2019,1.957\n\
                       CBCC_HUYEN_DAI_HOC_TY_LE,2020,97.4\n";
    let whole = read_file(
        "late.csv",
        late_style,
        &catalog,
        3,
        &limits,
        TextEncoding::Auto,
    );
    assert_eq!(whole.observations.to_vec()[0].value.number(), Some(1.957));
    assert_eq!(read_taking("late.csv", late_style, 1), whole);
    for path in fixture_paths() {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let whole = read_file(&name, &bytes, &catalog, 3, &limits, TextEncoding::Auto);
        for slice in [1, 7] {
            assert_eq!(read_taking(&name, &bytes, slice), whole, "{name}, {slice}");
        }
    }
}
