//! The XLSX reader's XML: the fuzzed bytes become a sheet's XML, its shared
//! strings and its styles inside a well-formed package, so every input
//! reaches the cell stream, the text rules and the style rules; then the
//! whole read runs over it.
#![no_main]
use baocao::catalog::Catalog;
use baocao::ingest::{read_file, spreadsheet::sheet_rows, Limits, TextEncoding};
use libfuzzer_sys::fuzz_target;
use std::io::Write;

fn package(sheet: &[u8], shared: &[u8], styles: &[u8]) -> Option<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let parts: [(&str, &[u8]); 6] = [
        ("_rels/.rels", b"<Relationships><Relationship Id=\"r\" Type=\"x/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
        ("xl/workbook.xml", b"<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" r:id=\"rId1\"/></sheets></workbook>"),
        ("xl/_rels/workbook.xml.rels", b"<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", shared),
        ("xl/styles.xml", styles),
    ];
    for (name, bytes) in parts {
        zip.start_file(name, options).ok()?;
        zip.write_all(bytes).ok()?;
    }
    Some(zip.finish().ok()?.into_inner())
}

fuzz_target!(|data: &[u8]| {
    // Two zero bytes cut the input into the sheet, the strings and the styles.
    let mut parts = data.splitn(3, |b| *b == 0);
    let sheet = parts.next().unwrap_or_default();
    let shared = parts.next().unwrap_or_default();
    let styles = parts.next().unwrap_or_default();
    let Some(bytes) = package(sheet, shared, styles) else {
        return;
    };
    let _ = sheet_rows(&bytes, 0, 1, u32::MAX);
    let catalog = Catalog::builtin();
    let _ = read_file(
        "fuzz.xlsx",
        &bytes,
        &catalog,
        0,
        &Limits::default(),
        TextEncoding::Auto,
    );
});
