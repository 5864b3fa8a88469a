//! XLSB sheets may store cells as "short" records (BrtShortIsst, BrtShortRk,
//! …, MS-XLSB 2.4.813 ff.), which leave the column out: it is the one after
//! the previous cell's. calamine reads only the full records, and drops the
//! rest of such a row. This rewrites each short record of every sheet as its
//! full form (the column put back in front of the same data) before calamine
//! opens the workbook. Records are walked by their declared sizes, within the
//! entry's bytes; nothing is allocated beyond one copy of each sheet.

use std::io::{Cursor, Read, Write};

/// A record's type or size: 7 bits a byte, low first, at most `max` bytes.
fn varint(bytes: &[u8], at: &mut usize, max: usize) -> Option<u32> {
    let mut value = 0_u32;
    for k in 0..max {
        let b = *bytes.get(*at)?;
        *at += 1;
        value |= u32::from(b & 0x7f) << (7 * k);
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    Some(value)
}

fn put_varint(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let b = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// The full record type of a short cell record, if `t` is one.
fn full_type(t: u32) -> Option<u32> {
    match t {
        0x0C..=0x12 => Some(t - 0x0B), // Blank, Rk, Error, Bool, Real, St, Isst
        _ => None,
    }
}

const ROW_HEADER: u32 = 0x00;

/// A sheet stream with its short cell records made full; `None` when it has
/// none (or does not parse: then calamine judges it as it is).
fn expand(sheet: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(sheet.len() + sheet.len() / 4);
    let mut at = 0;
    let mut next_col = 0_u32;
    let mut changed = false;
    while at < sheet.len() {
        let t = varint(sheet, &mut at, 2)?;
        let size = varint(sheet, &mut at, 4)? as usize;
        let data = sheet.get(at..at.checked_add(size)?)?;
        at += size;
        if let Some(full) = full_type(t) {
            put_varint(&mut out, full);
            put_varint(&mut out, u32::try_from(size + 4).ok()?);
            out.extend_from_slice(&next_col.to_le_bytes());
            out.extend_from_slice(data);
            next_col += 1;
            changed = true;
            continue;
        }
        if t == ROW_HEADER {
            next_col = 0;
        } else if (0x01..=0x0B).contains(&t) {
            // A full cell record: the next short one follows its column.
            next_col = u32::from_le_bytes(data.get(..4)?.try_into().ok()?) + 1;
        }
        put_varint(&mut out, t);
        put_varint(&mut out, u32::try_from(size).ok()?);
        out.extend_from_slice(data);
    }
    changed.then_some(out)
}

/// The workbook with its sheets' short cell records made full, or `None`
/// when it has none. The zip was checked against the limits before.
pub fn expand_short_cells(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut parts: Vec<(String, Vec<u8>)> = Vec::with_capacity(zip.len());
    let mut any = false;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).ok()?;
        let name = entry.name().ok()?.to_string();
        // The zip's directory was judged before: read no more than declared.
        let declared = entry.size();
        let mut data = Vec::new();
        (&mut entry).take(declared).read_to_end(&mut data).ok()?;
        if name.starts_with("xl/worksheets/") && name.ends_with(".bin") {
            if let Some(expanded) = expand(&data) {
                data = expanded;
                any = true;
            }
        }
        parts.push((name, data));
    }
    if !any {
        return None;
    }
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in parts {
        out.start_file(name, stored).ok()?;
        out.write_all(&data).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(t: u32, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        put_varint(&mut out, t);
        put_varint(&mut out, data.len() as u32);
        out.extend_from_slice(data);
        out
    }

    #[test]
    fn short_cells_get_their_columns() -> Result<(), String> {
        let row = record(0x00, &[0; 25]);
        // A full Isst at column 3, then two short ones: columns 4 and 5.
        let full = record(0x07, &[3, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0]);
        let short = record(0x12, &[0, 0, 0, 0, 7, 0, 0, 0]);
        let sheet = [row.clone(), full.clone(), short.clone(), short].concat();
        let expanded = expand(&sheet).ok_or("no short records found")?;
        let want = [
            row,
            full,
            record(0x07, &[4, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0]),
            record(0x07, &[5, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0]),
        ]
        .concat();
        assert_eq!(expanded, want);
        // A sheet without short records, or cut short, is left alone.
        assert_eq!(expand(&record(0x07, &[0; 12])), None);
        assert_eq!(expand(&sheet[..sheet.len() - 3]), None);
        Ok(())
    }
}
