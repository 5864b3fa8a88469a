//! A whole workspace as one file: a zip holding `manifest.json`, the
//! template, the catalogue and every dropped file as it was dropped. Autosave
//! keeps these bytes in the browser; export and import move them between
//! computers. Reading a snapshot checks everything before it replaces
//! anything, so a damaged or foreign file leaves the current workspace alone.

use crate::catalog::Catalog;
use crate::ingest::{package, Limits, TextEncoding};
use crate::report::document::Header;
use crate::workspace::{Content, InputFile, Workspace};
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
/// the file a user exports. Every file's bytes must be in the workspace;
/// for files the host keeps, see [`Export`].
pub fn write(ws: &Workspace) -> Result<Vec<u8>, String> {
    let mut export = Export::new(ws)?;
    for (i, f) in ws.files.iter().enumerate() {
        export.start_file(i)?;
        export.write(f.bytes().ok_or_else(|| not_here(&f.name))?)?;
    }
    export.finish()
}

fn not_here(name: &str) -> String {
    format!("Tệp {name} không có trong bộ nhớ của trang")
}

/// A workspace file written a file at a time, so that the host streams the
/// bytes of the files it keeps into it a slice at a time: [`Export::new`],
/// then for each file, in order, [`Export::start_file`] and its bytes
/// ([`Export::write`], as often as needed), then [`Export::finish`].
pub struct Export {
    zip: zip::ZipWriter<Cursor<Vec<u8>>>,
    options: zip::write::SimpleFileOptions,
}

impl Export {
    /// The manifest, the template and the catalogue, written.
    pub fn new(ws: &Workspace) -> Result<Export, String> {
        begin(ws, zip::CompressionMethod::Deflated, None)
    }

    /// The `i`-th file of the workspace comes next.
    pub fn start_file(&mut self, i: usize) -> Result<(), String> {
        (self.zip)
            .start_file(format!("files/{i}"), self.options)
            .map_err(|e| e.to_string())
    }

    pub fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.zip.write_all(bytes).map_err(|e| e.to_string())
    }

    pub fn finish(self) -> Result<Vec<u8>, String> {
        Ok(self.zip.finish().map_err(|e| e.to_string())?.into_inner())
    }
}

/// What autosave stores after every edit: the same, uncompressed and
/// without the files' bytes; the manifest names each file by `file_keys[i]`,
/// the key of the record that holds its bytes, written once per file (see
/// [`read_stored`]). So typing in the header never copies a 40 MB file.
pub fn write_edits(ws: &Workspace, file_keys: &[String]) -> Result<Vec<u8>, String> {
    begin(ws, zip::CompressionMethod::Stored, Some(file_keys))?.finish()
}

/// A workspace file with everything but the files' bytes written.
fn begin(
    ws: &Workspace,
    method: zip::CompressionMethod,
    file_keys: Option<&[String]>,
) -> Result<Export, String> {
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
    Ok(Export { zip, options })
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

/// Reads a workspace whose files may sit outside it, in `files` by key
/// (autosave's records, in memory or kept by the host); they are taken out
/// of the map.
pub fn read_stored(
    bytes: &[u8],
    files: &mut HashMap<String, Content>,
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
    files: &mut HashMap<String, Content>,
    limits: &Limits,
    read_elsewhere_over: Option<usize>,
    held: &[String],
) -> Result<(Workspace, Vec<String>), String> {
    package::check_zip(bytes, limits).map_err(|(vi, _)| vi)?;
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("Tệp không mở được: {e}"))?;
    let manifest = manifest(&mut zip)?;
    // A part of the zip, else a record kept apart (files only).
    let mut entry = |name: &str, apart: bool| -> Result<Content, String> {
        if apart && zip.index_for_name(name).is_none() {
            if let Some(content) = files.remove(name) {
                return Ok(content);
            }
        }
        zip_entry(&mut zip, name).map(|bytes| Content::Here(Arc::new(bytes)))
    };
    let mut part = |name: &str| match entry(name, false)? {
        Content::Here(bytes) => Ok(Arc::unwrap_or_clone(bytes)),
        Content::Elsewhere(_) => Err(not_here(name)),
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
    let template = text(part(&manifest.template)?, "mẫu báo cáo")?;
    let catalog_text = text(part(&manifest.catalog)?, "danh mục")?;
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
        let content = match entry(&f.path, true) {
            Ok(content) => content,
            // A record kept apart (autosave's) that is gone: the others come back.
            Err(_) if !f.path.starts_with("files/") => {
                missing.push(f.name.clone());
                continue;
            }
            Err(e) => return Err(e),
        };
        files.push((InputFile::with(f.name.clone(), content), f.encoding.clone()));
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
    fn files_of(ws: &Workspace) -> Vec<(String, Content)> {
        ws.files
            .iter()
            .map(|f| (f.name.clone(), f.content.clone()))
            .collect()
    }

    fn here(bytes: Vec<u8>) -> Content {
        Content::Here(Arc::new(bytes))
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
            ("file:1".to_string(), ws.files[0].content.clone()),
            ("file:2".to_string(), here(big)),
        ]);
        let back = read_stored(&edits, &mut records, &Limits::default(), None)?;
        assert_eq!(files_of(&back), files_of(&ws));
        // A record gone missing: read strictly, a message; read for a
        // restore, the other files and the edits come back and it is named.
        let mut missing = HashMap::new();
        let err = read_stored(&edits, &mut missing, &Limits::default(), None).err();
        assert!(err.as_ref().is_some_and(|e| e.contains("a.csv")), "{err:?}");
        let mut one = HashMap::from([("file:2".to_string(), here(vec![b'x'; 1_000_000]))]);
        let (partial, gone) = read_stored_lenient(&edits, &mut one, &Limits::default(), None, &[])?;
        assert_eq!(gone, ["a.csv"]);
        assert_eq!(partial.files.len(), 1);
        assert_eq!(partial.files[0].name, "b.csv");
        assert_eq!(partial.header, ws.header);
        assert!(write_edits(&ws, &keys[..1]).is_err());
        Ok(())
    }

    #[test]
    fn a_file_the_host_keeps_is_exported_a_slice_at_a_time_and_restored_kept_there(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let b = "code,period,value\n".to_string() + &"CBCC_XA,2020,7\n".repeat(5_000);
        let ws = with_a_and_b(b.clone().into_bytes());
        // The host streams b.csv in slices of 1,000 bytes.
        let mut export = Export::new(&ws)?;
        for (i, f) in ws.files.iter().enumerate() {
            export.start_file(i)?;
            let bytes = f.bytes().ok_or("here")?;
            for slice in bytes.chunks(1_000) {
                export.write(slice)?;
            }
        }
        let back = read(&export.finish()?, &Limits::default(), None)?;
        assert_eq!(files_of(&back), files_of(&ws));
        // Restored with b.csv kept by the host: it stays there, and is left to be read elsewhere.
        let keys = vec!["file:1".to_string(), "file:2".to_string()];
        let edits = write_edits(&ws, &keys)?;
        let kept = crate::workspace::Elsewhere::new(b.len() as u64, b.as_bytes());
        let mut records = HashMap::from([
            ("file:1".to_string(), ws.files[0].content.clone()),
            ("file:2".to_string(), Content::Elsewhere(kept.clone())),
        ]);
        let back = read_stored(&edits, &mut records, &Limits::default(), Some(1 << 20))?;
        assert_eq!(back.files[1].content, Content::Elsewhere(kept));
        let pending: Vec<String> = back.pending().into_iter().map(|p| p.name).collect();
        assert_eq!(pending, ["b.csv"]);
        assert!(back.pending()[0].bytes.is_none());
        // A file kept elsewhere cannot be written whole from the workspace alone.
        assert!(write(&back).is_err_and(|e| e.contains("b.csv")));
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
            ("file:1".to_string(), ws.files[0].content.clone()),
            ("file:2".to_string(), here(wrong)),
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
