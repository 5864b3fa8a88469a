//! Zip containers (XLSX, ODS, workspace files): their directory is checked
//! against the limits before anything is unpacked, so a "zip bomb" is
//! refused from its central directory alone.

use super::Limits;
use std::io::Cursor;

/// Whether the bytes are a zip container.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// What a zip holds, judged from its directory.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum ZipKind {
    Xlsx,
    /// Excel's binary workbook (.xlsb).
    Xlsb,
    Ods,
    /// A zip that is not a spreadsheet (a DOCX, an archive of files…).
    Other,
}

/// Checks a zip's directory against the limits without unpacking anything.
pub fn check_zip(bytes: &[u8], limits: &Limits) -> Result<ZipKind, (String, String)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        (
            format!("Tệp nén bị hỏng, không mở được: {e}"),
            format!("The zip container is damaged: {e}"),
        )
    })?;
    if archive.len() > limits.max_zip_entries {
        return Err((
            format!(
                "Tệp nén có {} mục, vượt giới hạn {}",
                archive.len(),
                limits.max_zip_entries
            ),
            format!(
                "The zip has {} entries, over the limit of {}",
                archive.len(),
                limits.max_zip_entries
            ),
        ));
    }
    let mut total: u64 = 0;
    let mut kind = ZipKind::Other;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| {
            (
                format!("Tệp nén bị hỏng: {e}"),
                format!("The zip container is damaged: {e}"),
            )
        })?;
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        total = total.saturating_add(size);
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        // Writers differ in case and slashes ("xl\\workbook.xml"), and a
        // minimal package may keep its workbook at the root.
        let normal = name.replace('\\', "/").to_lowercase();
        match normal.as_str() {
            "xl/workbook.xml" => kind = ZipKind::Xlsx,
            "xl/workbook.bin" => kind = ZipKind::Xlsb,
            n if kind == ZipKind::Other
                && (n == "workbook.xml" || n.ends_with("/workbook.xml")) =>
            {
                kind = ZipKind::Xlsx
            }
            n if kind == ZipKind::Other
                && (n == "workbook.bin" || n.ends_with("/workbook.bin")) =>
            {
                kind = ZipKind::Xlsb
            }
            "content.xml" if kind == ZipKind::Other => kind = ZipKind::Ods,
            _ => {}
        }
        if size > 1 << 20 && size / packed > limits.max_zip_ratio {
            return Err((
                format!(
                    "Mục \"{name}\" nén {}:1 — tệp có dấu hiệu \"bom nén\", không giải nén",
                    size / packed
                ),
                format!(
                    "Entry \"{name}\" is compressed {}:1 — refusing a likely zip bomb",
                    size / packed
                ),
            ));
        }
    }
    if total > limits.max_unzipped_bytes {
        return Err((
            format!(
                "Giải nén sẽ ra {} MB, vượt giới hạn {} MB",
                total >> 20,
                limits.max_unzipped_bytes >> 20
            ),
            format!(
                "It would unpack to {} MB, over the limit of {} MB",
                total >> 20,
                limits.max_unzipped_bytes >> 20
            ),
        ));
    }
    Ok(kind)
}
