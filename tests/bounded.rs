//! Hostile spreadsheets are read within the limits: a stray cell far out, a
//! sheet of more cells than allowed, an ODS whose repeated rows and columns
//! would make a rectangle of billions of cells. Each gives what could be
//! read and a finding, never an allocation in proportion to the sheet's reach.
#![cfg(not(target_arch = "wasm32"))]

use baocao::catalog::Catalog;
use baocao::ingest::{read_file, text::TextEncoding, FileRead, Limits};
use rust_xlsxwriter::Workbook;
use std::io::Write;

fn read(name: &str, bytes: &[u8], limits: &Limits) -> FileRead {
    read_file(
        name,
        bytes,
        &Catalog::builtin(),
        0,
        limits,
        TextEncoding::Auto,
    )
}

/// A long table of three figures, and `extra` cells placed where asked.
fn xlsx(extra: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, title) in ["Mã chỉ tiêu", "Năm", "Giá trị"].iter().enumerate() {
        sheet.write_string(0, c as u16, *title).unwrap();
    }
    for (r, (code, value)) in [
        ("CBCC_XA", 4864.0),
        ("CB_CHUYEN_TRACH_XA", 2223.0),
        ("CONG_CHUC_XA", 2641.0),
    ]
    .iter()
    .enumerate()
    {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *code).unwrap();
        sheet.write_string(r, 1, "2020").unwrap();
        sheet.write_number(r, 2, *value).unwrap();
    }
    for (r, c, text) in extra {
        sheet.write_string(*r, *c, *text).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_stray_cell_at_xfd1048576_is_left_out_with_a_warning() {
    let bytes = xlsx(&[(1_048_575, 16_383, "x")]);
    assert!(bytes.len() < 10_000);
    let read = read("stray.xlsx", &bytes, &Limits::default());
    assert_eq!(read.observations.len(), 3, "{:?}", read.findings);
    let outside: Vec<_> = read
        .findings
        .iter()
        .filter(|f| f.rule == "read.outside-limits")
        .collect();
    assert_eq!(outside.len(), 1, "{:?}", read.findings);
    assert!(
        outside[0].message_vi.contains("XFD1048576"),
        "{}",
        outside[0].message_vi
    );
}

#[test]
fn a_stray_cell_within_the_columns_but_far_down_costs_one_row() {
    // Row 1,048,576 is past the row limit of a smaller workspace.
    let bytes = xlsx(&[(1_048_575, 5, "x")]);
    let limits = Limits {
        max_rows: 100_000,
        ..Limits::default()
    };
    let read = read("far.xlsx", &bytes, &limits);
    assert_eq!(read.observations.len(), 3);
    assert!(read.findings.iter().any(|f| f.rule == "read.too-many-rows"));
}

#[test]
fn a_sheet_over_the_cell_limit_is_cut_with_an_error() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, title) in ["Mã chỉ tiêu", "Năm", "Giá trị"].iter().enumerate() {
        sheet.write_string(0, c as u16, *title).unwrap();
    }
    for r in 1..2_000 {
        sheet.write_string(r, 0, "CBCC_XA").unwrap();
        sheet.write_string(r, 1, "2020").unwrap();
        sheet.write_number(r, 2, 1.0).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let limits = Limits {
        max_cells: 300,
        ..Limits::default()
    };
    let read = read("big.xlsx", &bytes, &limits);
    assert!(read
        .findings
        .iter()
        .any(|f| f.rule == "read.too-many-cells"));
    assert!(read.observations.len() < 100);
}

/// A minimal ODS whose one sheet has `rows` as its table's XML.
fn ods(rows: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.start_file("content.xml", stored).unwrap();
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    )
    .unwrap();
    zip.finish().unwrap().into_inner()
}

fn ods_row(cells: &[&str]) -> String {
    let cells: String = cells
        .iter()
        .map(|c| match c.parse::<f64>() {
            Ok(v) => format!(r#"<table:table-cell office:value-type="float" office:value="{v}"><text:p>{c}</text:p></table:table-cell>"#),
            Err(_) => format!(r#"<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>"#),
        })
        .collect();
    format!("<table:table-row>{cells}</table:table-row>")
}

#[test]
fn an_ods_table_reads_and_one_far_out_is_refused_before_it_is_built() {
    let table = [
        ods_row(&["Mã chỉ tiêu", "Năm", "Giá trị"]),
        ods_row(&["CBCC_XA", "2020", "4864"]),
    ]
    .concat();
    let good = read("t.ods", &ods(&table), &Limits::default());
    assert_eq!(good.observations.len(), 1, "{:?}", good.findings);

    // The same table, then a million empty rows and a cell at column 16,384.
    let stray = format!(
        r#"{table}<table:table-row table:number-rows-repeated="1048573"><table:table-cell table:number-columns-repeated="3"/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#
    );
    let read = read("stray.ods", &ods(&stray), &Limits::default());
    assert!(
        read.findings
            .iter()
            .any(|f| f.rule == "read.malformed" && f.message_vi.contains("vượt giới hạn")),
        "{:?}",
        read.findings
    );
}

#[test]
fn blank_lines_reserve_no_room_for_observations() {
    // A header, 4 MB of blank lines, one record.
    let text = format!(
        "Mã chỉ tiêu,Kỳ,Giá trị\n{}CBCC_XA,2020,4864\n",
        "\n".repeat(4 << 20)
    );
    let read = read("blank.csv", text.as_bytes(), &Limits::default());
    assert_eq!(read.observations.len(), 1);
    // An observation is 88 bytes: room for a line each would be 350 MB.
    assert!(
        read.observations.capacity() < 1_000,
        "{}",
        read.observations.capacity()
    );
}

#[test]
fn findings_past_the_cap_are_kept_out_of_memory_but_every_one_is_in_the_csv() {
    // 5,000 communes whose parts do not add up: 5,000 findings of one rule.
    let mut csv = String::from("code,period,value,entity\n");
    for e in 0..5_000 {
        csv.push_str(&format!(
            "CBCC_XA,2020,4864,Xã {e}\nCB_CHUYEN_TRACH_XA,2020,2259,Xã {e}\nCONG_CHUC_XA,2020,2641,Xã {e}\n"
        ));
    }
    let mut ws = baocao::workspace::Workspace::sample();
    ws.add_files(vec![baocao::workspace::InputFile::new(
        "xa.csv",
        csv.into_bytes(),
    )]);
    let of_rule: Vec<_> = ws
        .findings()
        .iter()
        .filter(|f| f.rule == "CBCC_XA_TONG")
        .collect();
    assert_eq!(
        of_rule.len(),
        baocao::cap::KEPT_PER_RULE + 1,
        "kept, and one summary"
    );
    let counted: usize = of_rule.iter().map(|f| 1 + f.more).sum();
    assert_eq!(counted, 5_000, "the count stays exact");
    assert!(of_rule
        .iter()
        .any(|f| f.message_vi.contains("4.000 lỗi nữa")));
    // The download lists each one, in chunks.
    let mut chunks = Vec::new();
    ws.findings_csv(baocao::model::Lang::Vi, |c| chunks.push(c));
    assert!(chunks.len() > 1, "written a chunk at a time");
    let all = chunks.concat();
    assert!(all.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::Reader::from_reader(&all[3..]);
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    let listed = rows
        .iter()
        .filter(|r| r.iter().any(|c| c.ends_with("(CBCC_XA_TONG)")))
        .count();
    assert_eq!(listed, 5_000);
    assert!(!rows
        .iter()
        .any(|r| r.iter().any(|c| c.contains("nữa cùng quy tắc"))));
}

/// A file of `n` figures, one per line.
fn figures(n: usize, entity: &str) -> Vec<u8> {
    let mut csv = String::from("code,period,value,entity\n");
    for i in 0..n {
        csv.push_str(&format!("CBCC_XA,{},{i},{entity}\n", 1900 + i));
    }
    csv.into_bytes()
}

#[test]
fn a_text_file_gives_at_most_the_figures_allowed_and_says_so() {
    let limits = Limits {
        max_figures: 100,
        ..Limits::default()
    };
    let r = read("nhieu.csv", &figures(1_000, "Xã A"), &limits);
    assert_eq!(r.observations.len(), 100);
    let said: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule == "read.too-many-figures")
        .collect();
    assert_eq!(said.len(), 1);
    assert_eq!(
        said[0].cells.first().map(|c| c.row),
        Some(102),
        "the first row left out"
    );
}

#[test]
fn a_file_past_the_workspace_limit_is_left_out_and_the_rest_kept() {
    use baocao::workspace::{InputFile, Workspace};
    let mut ws = Workspace::sample();
    ws.limits.max_figures = 100;
    let file = |name: &str, n: usize| InputFile::new(name, figures(n, name));
    ws.add_files(vec![file("a.csv", 60), file("b.csv", 60)]);
    assert_eq!(
        ws.dataset().observations().count(),
        60,
        "a.csv's figures only"
    );
    let full: Vec<_> = ws
        .findings()
        .iter()
        .filter(|f| f.rule == "read.workspace-full")
        .collect();
    assert_eq!(full.len(), 1);
    assert_eq!(full[0].file, Some(ws.files[1].id));
    assert!(full[0].message_vi.contains("b.csv"));
    // Removing a file makes room: the other is used again.
    ws.remove_file("a.csv");
    assert_eq!(ws.dataset().observations().count(), 60);
    assert!(!ws
        .findings()
        .iter()
        .any(|f| f.rule == "read.workspace-full"));
}

/// A file naming 100,000 codes the catalogue lacks: the first thousand are
/// reported, each with its "did you mean", and the rest counted. Only the
/// reported ones are compared with the catalogue (comparing all 300,000
/// takes half a minute).
#[test]
fn unknown_codes_past_the_cap_are_counted_without_a_suggestion_each() {
    let mut csv = String::from("Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\n");
    for i in 0..100_000 {
        csv += &format!("CBCC_XA{i},Xã 1,2020,1\n");
    }
    let r = read("la.csv", csv.as_bytes(), &Limits::default());
    let (unknown, summary): (Vec<_>, Vec<_>) = (r.findings.iter())
        .filter(|f| f.rule == "read.unknown-indicator")
        .partition(|f| f.message_vi.starts_with("Chỉ tiêu \"CBCC_XA"));
    assert_eq!(unknown.len(), 1_000);
    assert!(unknown
        .iter()
        .all(|f| f.message_vi.ends_with("có phải CBCC_XA?")));
    assert_eq!(summary.len(), 1);
    assert!(
        summary[0].message_vi.contains("99.000"),
        "{}",
        summary[0].message_vi
    );
}
