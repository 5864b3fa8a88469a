//! How many cells calamine would allocate for an ODS sheet. calamine builds
//! an ODS sheet as one rectangle from its first to its last non-empty cell,
//! expanding repeated rows and columns; one stray cell far out would make it
//! billions of cells. This measures the rectangle from the sheet's XML as it
//! streams, allocating nothing per cell, so the reader can refuse it first.

use super::Limits;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor};

/// A repeat count attribute (`table:number-rows-repeated`, …), 1 when absent.
fn repeats(e: &BytesStart, name: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.parse().ok())
        .unwrap_or(1)
        .max(1)
}

/// For each sheet of the ODS in `bytes`, the cells of the rectangle that
/// holds all its non-empty cells.
pub fn sheet_extents(bytes: &[u8], limits: &Limits) -> Result<Vec<u64>, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let entry = zip.by_name("content.xml").map_err(|e| e.to_string())?;
    // The entry is read no further than it declares, nor than the limits allow.
    let declared = entry.size().min(limits.max_unzipped_bytes);
    let mut xml =
        quick_xml::Reader::from_reader(BufReader::new(std::io::Read::take(entry, declared)));
    let mut buf = Vec::new();
    let mut extents = Vec::new();
    let mut in_table = false;
    let (mut row, mut col) = (0_u64, 0_u64);
    let mut row_repeat = 1_u64;
    let mut row_has_data = false;
    let (mut row_min, mut row_max) = (u64::MAX, 0_u64);
    let (mut col_min, mut col_max) = (u64::MAX, 0_u64);
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| e.to_string())?;
        match &event {
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                in_table = true;
                row = 0;
                (row_min, row_max, col_min, col_max) = (u64::MAX, 0, u64::MAX, 0);
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                in_table = false;
                extents.push(if row_min > row_max || col_min > col_max {
                    0
                } else {
                    (row_max - row_min + 1).saturating_mul(col_max - col_min + 1)
                });
            }
            Event::Eof => break,
            _ if !in_table => {}
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                row_repeat = repeats(e, "table:number-rows-repeated");
                row_has_data = false;
                col = 0;
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(repeats(e, "table:number-rows-repeated"));
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if row_has_data {
                    row_min = row_min.min(row);
                    row_max = row_max.max(row.saturating_add(row_repeat - 1));
                }
                row = row.saturating_add(row_repeat);
            }
            Event::Start(e) | Event::Empty(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                let n = repeats(e, "table:number-columns-repeated");
                // A cell with a value type, or with content, holds data.
                let has_value = e
                    .attributes()
                    .flatten()
                    .any(|a| a.key.as_ref() == "office:value-type");
                let has_content = matches!(&event, Event::Start(_));
                if has_value || has_content {
                    row_has_data = true;
                    col_min = col_min.min(col);
                    col_max = col_max.max(col.saturating_add(n - 1));
                }
                col = col.saturating_add(n);
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(extents)
}
