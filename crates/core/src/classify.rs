//! What a dropped file is, decided in one place for the drop zone and the
//! workspace: a catalogue, a workspace file, or data; and whether the page
//! hands its read to the worker, known from its name and size alone (the
//! read begins before the page has the bytes).

use crate::ingest::is_workbook_name;
use std::io::Cursor;

/// In the page, text files larger than this are read by the worker, and
/// smaller ones in place (reading 1 MiB takes a frame or two, a worker's
/// start more); workbooks always go to the worker.
pub const READ_IN_WORKER_OVER: usize = 1 << 20;

/// The part every workspace file (`.baocao`, a zip) holds, and by which it
/// is known whatever its name.
pub const SNAPSHOT_MANIFEST: &str = "manifest.json";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dropped {
    /// A catalogue of indicators and rules (`.toml`, or its format line).
    Catalog,
    /// A whole workspace (`.baocao`).
    Workspace,
    /// A file of figures.
    Data,
}

/// What a dropped file is, from its name and its first bytes.
pub fn classify(name: &str, bytes: &[u8]) -> Dropped {
    let lower = name.to_lowercase();
    if lower.ends_with(".toml") || names_catalog_format(bytes) {
        Dropped::Catalog
    } else if lower.ends_with(".baocao") || is_snapshot(bytes) {
        Dropped::Workspace
    } else {
        Dropped::Data
    }
}

/// Whether the first 4 KiB, as far as they are UTF-8, name the catalogue format.
fn names_catalog_format(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // Cut inside a character: what comes before it.
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
    };
    text.contains(crate::catalog::FORMAT)
}

/// Whether these bytes are a workspace file: a zip with its manifest.
pub fn is_snapshot(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        && zip::ZipArchive::new(Cursor::new(bytes))
            .is_ok_and(|z| z.index_for_name(SNAPSHOT_MANIFEST).is_some())
}

/// Whether a dropped file of this name and size is read elsewhere (by the
/// page's worker) when files over `over` bytes are: known from its name and
/// size alone, so the read begins before the page has the bytes. A
/// catalogue or a workspace file never is; a workbook is wherever this
/// build has no spreadsheet reader.
pub fn read_elsewhere(name: &str, size: u64, over: usize) -> bool {
    let lower = name.to_lowercase();
    let data = !lower.ends_with(".toml") && !lower.ends_with(".baocao");
    let here = cfg!(feature = "spreadsheets") || !is_workbook_name(&lower);
    data && (size > over as u64 || !here)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_drop_is_told_apart() {
        let format_line = format!("format = \"{}\"\n", crate::catalog::FORMAT);
        assert_eq!(classify("danh-muc.TOML", b""), Dropped::Catalog);
        assert_eq!(classify("x.txt", format_line.as_bytes()), Dropped::Catalog);
        // The 4 KiB cut inside a character still reads the format line.
        let mut cut = format_line.clone().into_bytes();
        cut.extend("ữ".repeat(2000).bytes());
        assert_eq!(classify("x.txt", &cut), Dropped::Catalog);
        assert_eq!(classify("phien.baocao", b"PK"), Dropped::Workspace);
        assert_eq!(
            classify("so-lieu.csv", b"code,period,value\n"),
            Dropped::Data
        );
        let over = READ_IN_WORKER_OVER;
        let spreadsheets = cfg!(feature = "spreadsheets");
        assert_eq!(read_elsewhere("Bieu.XLS", 10, over), !spreadsheets);
        assert!(read_elsewhere("Bieu.XLS", 2 << 20, over));
        assert!(read_elsewhere("lon.csv", 2 << 20, over));
        assert!(!read_elsewhere("nho.csv", 1000, over));
        assert!(!read_elsewhere("danh-muc.toml", 5 << 20, over));
        assert!(!read_elsewhere("phien.baocao", 5 << 20, over));
    }
}
