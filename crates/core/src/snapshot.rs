//! A whole workspace as one file: a zip holding `manifest.json`, the
//! template, the catalogue and every dropped file as it was dropped. Autosave
//! keeps these bytes in the browser; export and import move them between
//! computers. Reading a snapshot checks everything before it replaces
//! anything, so a damaged or foreign file leaves the current workspace alone.

use crate::catalog::Catalog;
use crate::ingest::{package, Limits, TextEncoding};
use crate::report::document::Header;
use crate::workspace::{InputFile, Workspace};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{Cursor, Read, Write};
use std::sync::Arc;

pub const FORMAT: &str = "baocao-workspace/1";
use crate::classify::SNAPSHOT_MANIFEST as MANIFEST;

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: String,
    /// True while the user has not dropped files of their own.
    is_sample: bool,
    files: Vec<FileEntry>,
    header: Header,
    template: String,
    catalog: String,
    /// Where files disagree, the values the user kept.
    #[serde(default)]
    kept: Vec<crate::workspace::KeptValue>,
}

#[derive(Serialize, Deserialize)]
struct FileEntry {
    name: String,
    path: String,
    /// The encoding label the user chose ("Tự nhận" when detected).
    encoding: String,
}

/// Writes the workspace's inputs (not what derives from them), compressed:
/// the file a user exports.
pub fn write(ws: &Workspace) -> Result<Vec<u8>, String> {
    write_with(ws, zip::CompressionMethod::Deflated, None)
}

/// What autosave stores after every edit: the same, uncompressed and
/// without the files' bytes; the manifest names each file by `file_keys[i]`,
/// the key of the record that holds its bytes, written once per file (see
/// [`read_stored`]). So typing in the header never copies a 40 MB file.
pub fn write_edits(ws: &Workspace, file_keys: &[String]) -> Result<Vec<u8>, String> {
    write_with(ws, zip::CompressionMethod::Stored, Some(file_keys))
}

fn write_with(
    ws: &Workspace,
    method: zip::CompressionMethod,
    file_keys: Option<&[String]>,
) -> Result<Vec<u8>, String> {
    if file_keys.is_some_and(|k| k.len() != ws.files.len()) {
        return Err("a key for each file".into());
    }
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    let files: Vec<FileEntry> = ws
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| FileEntry {
            name: f.name.clone(),
            path: file_keys.map_or_else(|| format!("files/{i}"), |k| k[i].clone()),
            encoding: ws
                .encodings
                .get(&f.name)
                .copied()
                .unwrap_or_default()
                .label()
                .to_string(),
        })
        .collect();
    let manifest = Manifest {
        format: FORMAT.into(),
        is_sample: ws.is_sample,
        files,
        header: ws.header.clone(),
        template: "template.md".into(),
        catalog: "catalog.toml".into(),
        kept: ws.kept.clone(),
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string())?;
    let mut put = |name: &str, bytes: &[u8]| -> Result<(), String> {
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        zip.write_all(bytes).map_err(|e| e.to_string())
    };
    put(MANIFEST, &json)?;
    put("template.md", ws.template_text.as_bytes())?;
    put("catalog.toml", ws.catalog_text.as_bytes())?;
    if file_keys.is_none() {
        for (i, f) in ws.files.iter().enumerate() {
            put(&format!("files/{i}"), &f.bytes)?;
        }
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

/// Reads a workspace file. Every error is a message for the user. Files over
/// `read_elsewhere_over` are left pending (see [`Workspace::add_read`]).
pub fn read(
    bytes: &[u8],
    limits: &Limits,
    read_elsewhere_over: Option<usize>,
) -> Result<Workspace, String> {
    read_stored(bytes, &mut HashMap::new(), limits, read_elsewhere_over)
}

/// The keys of the records holding the files' bytes that `edits` (made by
/// [`write_edits`]) names: what to fetch before [`read_stored`].
pub fn stored_file_keys(edits: &[u8], limits: &Limits) -> Result<Vec<String>, String> {
    Ok(stored_files(edits, limits)?
        .into_iter()
        .map(|(_, key)| key)
        .collect())
}

/// Each file whose bytes `edits` keeps apart: (its name, its record key).
pub fn stored_files(edits: &[u8], limits: &Limits) -> Result<Vec<(String, String)>, String> {
    package::check_zip(edits, limits).map_err(|(vi, _)| vi)?;
    let mut zip =
        zip::ZipArchive::new(Cursor::new(edits)).map_err(|e| format!("Tệp không mở được: {e}"))?;
    let manifest = manifest(&mut zip)?;
    Ok(manifest
        .files
        .into_iter()
        .filter(|f| zip.index_for_name(&f.path).is_none())
        .map(|f| (f.name, f.path))
        .collect())
}

fn manifest(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<Manifest, String> {
    serde_json::from_slice(&zip_entry(zip, MANIFEST)?)
        .map_err(|e| format!("Tệp không phải không gian làm việc baocao (manifest: {e})"))
}

/// One part of the zip, unpacked; a missing or damaged part is a message.
/// It is read no further than the size its directory declares (which the
/// limits judged): a part that unpacks to more is refused, not followed.
fn zip_entry(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Vec<u8>, String> {
    let f = zip
        .by_name(name)
        .map_err(|_| format!("Tệp thiếu phần \"{name}\""))?;
    let declared = f.size();
    let mut out = Vec::new();
    f.take(declared.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| format!("Phần \"{name}\" bị hỏng: {e}"))?;
    if out.len() as u64 > declared {
        return Err(format!(
            "Phần \"{name}\" lớn hơn kích thước tệp nén khai báo ({declared} byte): tệp bị hỏng hoặc bị sửa"
        ));
    }
    Ok(out)
}

/// Reads a workspace whose files' bytes may sit outside it, in `files` by
/// key (autosave's records); they are taken out of the map.
pub fn read_stored(
    bytes: &[u8],
    files: &mut HashMap<String, Vec<u8>>,
    limits: &Limits,
    read_elsewhere_over: Option<usize>,
) -> Result<Workspace, String> {
    let (ws, missing) = read_stored_lenient(bytes, files, limits, read_elsewhere_over, &[])?;
    match missing.first() {
        Some(name) => Err(format!("Tệp thiếu phần của \"{name}\"")),
        None => Ok(ws),
    }
}

/// As [`read_stored`], but a file whose record is missing from `files` is
/// left out and named, rather than failing the whole workspace: a restore
/// brings back what is there. The files named in `held` come back unread
/// ([`Workspace::held`]).
pub fn read_stored_lenient(
    bytes: &[u8],
    files: &mut HashMap<String, Vec<u8>>,
    limits: &Limits,
    read_elsewhere_over: Option<usize>,
    held: &[String],
) -> Result<(Workspace, Vec<String>), String> {
    package::check_zip(bytes, limits).map_err(|(vi, _)| vi)?;
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("Tệp không mở được: {e}"))?;
    let manifest = manifest(&mut zip)?;
    let mut entry = |name: &str| -> Result<Vec<u8>, String> {
        if zip.index_for_name(name).is_none() {
            if let Some(bytes) = files.remove(name) {
                return Ok(bytes);
            }
        }
        zip_entry(&mut zip, name)
    };
    if manifest.format != FORMAT {
        return Err(format!(
            "Định dạng \"{}\" không được hỗ trợ; cần \"{FORMAT}\"",
            manifest.format
        ));
    }
    let text = |b: Vec<u8>, what: &str| {
        String::from_utf8(b).map_err(|_| format!("Phần {what} không phải UTF-8"))
    };
    let template = text(entry(&manifest.template)?, "mẫu báo cáo")?;
    let catalog_text = text(entry(&manifest.catalog)?, "danh mục")?;
    let catalog =
        Catalog::from_toml(&catalog_text).map_err(|e| format!("Danh mục trong tệp bị lỗi: {e}"))?;
    // Each part once: a manifest that names one part many times would make
    // one small entry into many copies of it.
    let mut paths = std::collections::HashSet::new();
    for f in &manifest.files {
        if !paths.insert(f.path.as_str()) {
            return Err(format!(
                "Tệp nêu phần \"{}\" nhiều lần: tệp bị hỏng hoặc bị sửa",
                f.path
            ));
        }
    }
    let mut missing = Vec::new();
    let mut files = Vec::new();
    for f in &manifest.files {
        let bytes = match entry(&f.path) {
            Ok(bytes) => bytes,
            // A record kept apart (autosave's) that is gone: the others come back.
            Err(_) if !f.path.starts_with("files/") => {
                missing.push(f.name.clone());
                continue;
            }
            Err(e) => return Err(e),
        };
        files.push((InputFile::new(f.name.clone(), bytes), f.encoding.clone()));
    }
    let mut ws = Workspace::sample();
    ws.catalog = Arc::new(catalog);
    ws.catalog_text = catalog_text;
    ws.set_template(template);
    ws.header = manifest.header;
    ws.kept = manifest.kept;
    ws.is_sample = manifest.is_sample;
    ws.files.clear();
    for (f, encoding) in files {
        if let Some(e) = TextEncoding::from_label(&encoding).filter(|e| *e != TextEncoding::Auto) {
            ws.encodings.insert(f.name.clone(), e);
        }
        ws.files.push(f);
    }
    ws.limits = limits.clone();
    ws.read_elsewhere_over = read_elsewhere_over;
    ws.held = held
        .iter()
        .filter(|name| ws.files.iter().any(|f| f.name == **name))
        .cloned()
        .collect();
    ws.refresh_data();
    Ok((ws, missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workspace_round_trips() -> Result<(), Box<dyn std::error::Error>> {
        let mut ws = Workspace::sample();
        ws.add_files(vec![InputFile::new(
            "a.csv",
            b"code,period,value\nCBCC_XA,2020,7\n".to_vec(),
        )]);
        ws.set_encoding("a.csv", TextEncoding::Windows1258);
        let mut header = ws.header.clone();
        header.signer_name = "Trần Văn Thử".into();
        ws.set_header(header);
        let bytes = write(&ws)?;
        assert!(crate::classify::is_snapshot(&bytes));
        let back = read(&bytes, &Limits::default(), None)?;
        assert_eq!(files_of(&back), files_of(&ws));
        assert_eq!(back.header, ws.header);
        assert_eq!(back.template_text, ws.template_text);
        assert_eq!(
            back.encodings.get("a.csv"),
            Some(&TextEncoding::Windows1258)
        );
        assert!(!back.is_sample);
        assert_eq!(findings_by_place(&back), findings_by_place(&ws));
        Ok(())
    }

    /// Each file's name and bytes, in order (a file's id is given anew
    /// when it comes back).
    fn files_of(ws: &Workspace) -> Vec<(String, Vec<u8>)> {
        ws.files
            .iter()
            .map(|f| (f.name.clone(), f.bytes.to_vec()))
            .collect()
    }

    /// The findings, each file named by its place in the list.
    fn findings_by_place(ws: &Workspace) -> Vec<crate::model::Finding> {
        let place = |id: u32| {
            ws.files
                .iter()
                .position(|f| f.id == id)
                .unwrap_or(usize::MAX) as u32
        };
        let mut findings = ws.findings().to_vec();
        for f in &mut findings {
            f.file = f.file.map(place);
            f.cells.iter_mut().for_each(|c| c.file = place(c.file));
        }
        findings
    }

    /// A workspace of a.csv (one figure) and b.csv (these bytes).
    fn with_a_and_b(b: Vec<u8>) -> Workspace {
        let mut ws = Workspace::sample();
        ws.add_files(vec![
            InputFile::new("a.csv", b"code,period,value\nCBCC_XA,2020,7\n".to_vec()),
            InputFile::new("b.csv", b),
        ]);
        ws
    }

    #[test]
    fn edits_are_stored_apart_from_the_files_they_name() -> Result<(), Box<dyn std::error::Error>> {
        let big = vec![b'x'; 1_000_000];
        let ws = with_a_and_b(big.clone());
        let keys = vec!["file:1".to_string(), "file:2".to_string()];
        let edits = write_edits(&ws, &keys)?;
        // The template and catalogue only (about 60 KB), not the 1 MB file.
        assert!(
            edits.len() < 200_000,
            "no file bytes in the edits: {}",
            edits.len()
        );
        assert_eq!(stored_file_keys(&edits, &Limits::default())?, keys);
        let mut records = HashMap::from([
            ("file:1".to_string(), ws.files[0].bytes.to_vec()),
            ("file:2".to_string(), big),
        ]);
        let back = read_stored(&edits, &mut records, &Limits::default(), None)?;
        assert_eq!(files_of(&back), files_of(&ws));
        // A record gone missing: read strictly, a message; read for a
        // restore, the other files and the edits come back and it is named.
        let mut missing = HashMap::new();
        let err = read_stored(&edits, &mut missing, &Limits::default(), None).err();
        assert!(err.as_ref().is_some_and(|e| e.contains("a.csv")), "{err:?}");
        let mut one = HashMap::from([("file:2".to_string(), vec![b'x'; 1_000_000])]);
        let (partial, gone) = read_stored_lenient(&edits, &mut one, &Limits::default(), None, &[])?;
        assert_eq!(gone, ["a.csv"]);
        assert_eq!(partial.files.len(), 1);
        assert_eq!(partial.files[0].name, "b.csv");
        assert_eq!(partial.header, ws.header);
        assert!(write_edits(&ws, &keys[..1]).is_err());
        Ok(())
    }

    #[test]
    fn a_file_held_back_comes_back_unread_until_released() -> Result<(), Box<dyn std::error::Error>>
    {
        let wrong = b"code,period,value\nCBCC_XA,2020,abc\n".to_vec();
        let ws = with_a_and_b(wrong.clone());
        let keys = vec!["file:1".to_string(), "file:2".to_string()];
        let edits = write_edits(&ws, &keys)?;
        let mut records = HashMap::from([
            ("file:1".to_string(), ws.files[0].bytes.to_vec()),
            ("file:2".to_string(), wrong),
        ]);
        let held = ["b.csv".to_string(), "gone.csv".to_string()];
        let (mut back, _) =
            read_stored_lenient(&edits, &mut records, &Limits::default(), None, &held)?;
        // Kept, in its place, but not read: no figures, no findings of its own but the notice.
        assert_eq!(back.files.len(), 2);
        assert_eq!(back.held.iter().collect::<Vec<_>>(), ["b.csv"]);
        assert_eq!(back.dataset().files[1].name, "b.csv");
        let of_b: Vec<&str> = back
            .findings()
            .iter()
            .filter(|f| f.file == Some(back.files[1].id))
            .map(|f| f.rule.as_str())
            .collect();
        assert_eq!(of_b, ["read.held-back"]);
        back.release("b.csv");
        assert!(back.held.is_empty());
        assert!(back
            .findings()
            .iter()
            .any(|f| f.file == Some(back.files[1].id) && f.rule == "read.unreadable-value"));
        assert!(!back.findings().iter().any(|f| f.rule == "read.held-back"));
        Ok(())
    }

    #[test]
    fn foreign_and_damaged_files_are_refused_with_a_message(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let bytes = write(&Workspace::sample())?;
        assert!(read(&bytes[..bytes.len() / 2], &Limits::default(), None).is_err());
        assert!(read(b"not a zip", &Limits::default(), None).is_err());
        let xlsx = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/read/long.xlsx"
        ))?;
        assert!(!crate::classify::is_snapshot(&xlsx));
        assert!(read(&xlsx, &Limits::default(), None)
            .err()
            .is_some_and(|e| e.contains("manifest")));
        Ok(())
    }

    /// A stored (uncompressed) zip of `parts`.
    fn stored_zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, bytes) in parts {
            let _ = zip.start_file(*name, options);
            let _ = zip.write_all(bytes);
        }
        zip.finish().map(Cursor::into_inner).unwrap_or_default()
    }

    fn manifest_naming(paths: &[&str]) -> String {
        let files: Vec<String> = paths
            .iter()
            .enumerate()
            .map(|(i, p)| format!(r#"{{"name":"f{i}.csv","path":"{p}","encoding":"Tự nhận"}}"#))
            .collect();
        format!(
            r#"{{"format":"{FORMAT}","is_sample":false,"files":[{}],"header":{{}},"template":"template.md","catalog":"catalog.toml"}}"#,
            files.join(",")
        )
    }

    #[test]
    fn a_manifest_that_names_one_part_many_times_is_refused() {
        let manifest = manifest_naming(&["files/0"; 1000]);
        let bytes = stored_zip(&[
            (MANIFEST, manifest.as_bytes()),
            ("template.md", b"x"),
            ("catalog.toml", Catalog::builtin_text().as_bytes()),
            ("files/0", &[b'1'; 100_000]),
        ]);
        let err = read(&bytes, &Limits::default(), None)
            .err()
            .unwrap_or_default();
        assert!(err.contains("nhiều lần"), "{err}");
    }

    #[test]
    fn a_part_that_unpacks_to_more_than_it_declares_is_refused() {
        let manifest = manifest_naming(&["files/0"]);
        let data = vec![b'1'; 1000];
        let mut bytes = stored_zip(&[
            (MANIFEST, manifest.as_bytes()),
            ("template.md", b"x"),
            ("catalog.toml", Catalog::builtin_text().as_bytes()),
            ("files/0", &data),
        ]);
        // Make the directory and the local header of "files/0" declare 10 bytes.
        let lie = 10_u32.to_le_bytes();
        let name = b"files/0";
        let mut at = 0;
        while let Some(i) = bytes[at..].windows(name.len()).position(|w| w == name) {
            let start = at + i;
            // The name follows a local header (30 bytes) or a central entry (46 bytes).
            if start >= 46 && bytes[start - 46..start - 42] == [0x50, 0x4b, 0x01, 0x02] {
                bytes[start - 46 + 24..start - 46 + 28].copy_from_slice(&lie);
            } else if start >= 30 && bytes[start - 30..start - 26] == [0x50, 0x4b, 0x03, 0x04] {
                bytes[start - 30 + 22..start - 30 + 26].copy_from_slice(&lie);
            }
            at = start + name.len();
        }
        let err = read(&bytes, &Limits::default(), None)
            .err()
            .unwrap_or_default();
        // Refused either by the zip reader itself or by the declared size.
        assert!(
            err.contains("files/0") && (err.contains("khai báo") || err.contains("declared")),
            "{err}"
        );
    }
}
