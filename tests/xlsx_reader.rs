//! The page's own XLSX reader against calamine's, cell by cell: every
//! workbook under tests/fixtures, and every one under the folders named in
//! `BAOCAO_XLSX_CORPUS` (separated by `:`; e.g. calamine's or SheetJS's
//! test files), reads to the same texts and numbers.
#![cfg(not(target_arch = "wasm32"))]

use baocao::ingest::spreadsheet::sheet_rows;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;
use std::path::{Path, PathBuf};

fn workbooks(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            workbooks(&path, out);
        } else if path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("xlsx"))
        {
            out.push(path);
        }
    }
}

/// What calamine's cell reads as, where the page keeps the same: `None`
/// for what is compared otherwise (dates, errors).
fn expected(d: &Data) -> Option<String> {
    Some(match d {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::Empty | Data::DateTime(_) | Data::Error(_) => return None,
    })
}

fn same(ours: &str, theirs: &str) -> bool {
    ours == theirs
        || matches!((ours.parse::<f64>(), theirs.parse::<f64>()), (Ok(a), Ok(b)) if a == b)
}

/// Every difference between the two readers over one workbook.
fn differences(path: &Path) -> Vec<String> {
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    let Ok(mut book) = Xlsx::new(Cursor::new(bytes.clone())) else {
        // calamine refuses it: ours may too, and must not panic.
        let _ = sheet_rows(&bytes, 0, 1, u32::MAX);
        return Vec::new();
    };
    let mut out = Vec::new();
    for (index, name) in book.sheet_names().iter().enumerate() {
        let Ok(range) = book.worksheet_range(name) else {
            continue;
        };
        let Some(ours) = sheet_rows(&bytes, index, 1, u32::MAX) else {
            out.push(format!("{}: sheet {name} not read", path.display()));
            continue;
        };
        let start = range.start().unwrap_or((0, 0));
        let cell = |row: u32, col: u32| -> Option<&str> {
            let at = ours.binary_search_by_key(&(row + 1), |(r, _)| *r).ok()?;
            ours[at].1.get(col as usize).map(String::as_str)
        };
        for (r, c, d) in range.used_cells() {
            let (row, col) = (r as u32 + start.0, c as u32 + start.1);
            let theirs = match d {
                Data::DateTime(_) => {
                    // A date reads as dd/mm/yyyy.
                    let ok =
                        cell(row, col).is_some_and(|t| t.len() == 10 && t.as_bytes()[2] == b'/');
                    if !ok {
                        out.push(format!(
                            "{}: {name} {row}:{col} date {d:?} read as {:?}",
                            path.display(),
                            cell(row, col)
                        ));
                    }
                    continue;
                }
                other => expected(other),
            };
            let Some(theirs) = theirs else { continue };
            let ours = cell(row, col).unwrap_or("");
            if !(same(ours, &theirs) || theirs.trim().is_empty() && ours.is_empty()) {
                out.push(format!(
                    "{}: {name} {row}:{col} {theirs:?} read as {ours:?}",
                    path.display()
                ));
            }
        }
    }
    out
}

#[test]
fn the_pages_xlsx_reader_reads_what_calamine_reads() {
    let mut files = Vec::new();
    workbooks(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")),
        &mut files,
    );
    let corpus = std::env::var("BAOCAO_XLSX_CORPUS").unwrap_or_default();
    for dir in corpus.split(':').filter(|d| !d.is_empty()) {
        workbooks(Path::new(dir), &mut files);
    }
    assert!(files.len() >= 10, "{} workbooks", files.len());
    let all: Vec<String> = files.iter().flat_map(|f| differences(f)).collect();
    assert!(
        all.is_empty(),
        "{} differences:\n{}",
        all.len(),
        all.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// A workbook of one sheet whose XML is `sheet` (shared strings `shared`).
fn workbook(sheet: &str, shared: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // Stored: a 1 MB cell of one letter, deflated, looks like a zip bomb.
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let parts = [
        ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".to_string()),
        ("_rels/.rels", "<Relationships><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".to_string()),
        ("xl/workbook.xml", "<workbook xmlns:r=\"r\"><sheets><sheet name=\"Biểu 1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".to_string()),
        ("xl/_rels/workbook.xml.rels", "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".to_string()),
        ("xl/sharedStrings.xml", shared.to_string()),
        ("xl/worksheets/sheet1.xml", sheet.to_string()),
    ];
    for (name, text) in parts {
        zip.start_file(name, options).expect("a part");
        zip.write_all(text.as_bytes()).expect("written");
    }
    zip.finish().expect("a zip").into_inner()
}

/// Hostile sheets: cut off mid-cell, a cell at XFD1048576, one of 1 MB,
/// control characters, "&" and "<" escaped and in CDATA, an index past the
/// shared strings: read as far as they go, never a panic.
#[test]
fn hostile_sheets_read_as_far_as_they_go() {
    let shared = "<sst><si><t>Đơn vị &amp; &lt;tổng&gt;</t></si><si><r><t xml:space=\"preserve\">a </t></r><r><t>b</t></r></si></sst>";
    let cut = workbook(
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\"><v>12",
        shared,
    );
    let rows = sheet_rows(&cut, 0, 1, u32::MAX).expect("what was read before the cut");
    assert_eq!(rows[0].1[0], "Đơn vị & <tổng>");

    let big = "x".repeat(1 << 20);
    let sheet = format!(
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c><c r=\"B1\" t=\"inlineStr\"><is><t><![CDATA[<b>&</b>]]></t></is></c>\
         <c r=\"C1\" t=\"s\"><v>99</v></c><c r=\"D1\" t=\"str\"><v>a\u{1}_x0007_b</v></c><c r=\"E1\" t=\"inlineStr\"><is><t>{big}</t></is></c></row>\
         <row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData></worksheet>"
    );
    let rows = sheet_rows(&workbook(&sheet, shared), 0, 1, u32::MAX).expect("read");
    let first = &rows[0].1;
    assert_eq!(first[0], "a b");
    assert_eq!(first[1], "<b>&</b>");
    assert_eq!(first[2], "", "an index past the shared strings is no text");
    assert_eq!(first[3], "a\u{1}\u{7}b");
    assert_eq!(first[4].len(), 1 << 20);
    // The stray cell is past the column limit: left out, at no cost.
    assert_eq!(rows.len(), 1);

    for garbage in [
        "",
        "<",
        "<worksheet><sheetData><row><c r=\"ZZZZ9\"><v>1</v></c>",
        "\u{0}\u{1}\u{2}",
    ] {
        let _ = sheet_rows(&workbook(garbage, garbage), 0, 1, u32::MAX);
    }
}

/// Cells read straight from their bytes and cells read by quick-xml, in one
/// row and in turns (a space, a formula, an entity, an inline string, a cell
/// with no place, an empty one): the same as calamine reads, each in its
/// place.
#[test]
fn usual_and_unusual_cells_in_turns_read_as_calamine_reads() {
    let shared = "<sst><si><t>Đơn vị</t></si></sst>";
    let sheet = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c> \
        <c r=\"B1\" t=\"inlineStr\"><is><t>x</t></is></c><c r=\"C1\" s=\"0\"><v>2.5</v></c><c><v>3</v></c>\
        <c r=\"E1\" t=\"s\"><v>0</v></c><c r=\"G1\"><f>1+1</f><v>2</v></c><c r='H1' t='str'><v>a &amp; b</v></c>\
        <c r=\"I1\"/><c r=\"J1\"><v>7</v></c></row><row><c><v>5</v></c><c t=\"b\"><v>1</v></c></row>\
        </sheetData></worksheet>";
    let bytes = workbook(sheet, shared);
    let rows = sheet_rows(&bytes, 0, 1, u32::MAX).expect("read");
    let first = &rows[0].1;
    assert_eq!(
        (
            first[1].as_str(),
            first[3].as_str(),
            first[4].as_str(),
            first[7].as_str(),
            first[9].as_str()
        ),
        ("x", "3", "Đơn vị", "a & b", "7")
    );
    assert_eq!((rows[1].0, rows[1].1[1].as_str()), (2, "TRUE"));
    // calamine reads it too, or the comparison below would say nothing.
    let mut book = Xlsx::new(Cursor::new(bytes.clone())).expect("calamine opens it");
    let range = book
        .worksheet_range("Biểu 1")
        .expect("calamine reads the sheet");
    assert!(range.used_cells().count() >= 10);
    let path = std::env::temp_dir().join(format!("baocao-mixed-{}.xlsx", std::process::id()));
    std::fs::write(&path, &bytes).expect("written");
    let found = differences(&path);
    let _ = std::fs::remove_file(&path);
    assert!(found.is_empty(), "{found:?}");
}
