//! Dropped files: their bytes, the `File` each came from (so it is handed
//! on as itself, not copied), and `blob:` URLs for the reader worker.

use super::describe;
use baocao::workspace::InputFile;
use js_sys::{Array, Uint8Array};
use std::sync::Arc;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File, FileList};

/// The files of a list, taken out of it: an input's `FileList` is live and
/// empties when the input is reset.
pub fn files_of(list: &FileList) -> Vec<File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads every file into memory. A file that cannot be read comes back as an
/// error message naming it; the others are still read.
/// The files' bytes, and (name, why) for each the browser would not hand over.
pub async fn read_files(list: Vec<File>) -> (Vec<InputFile>, Vec<(String, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for file in list {
        match read_file(&file).await {
            Ok(bytes) => {
                let bytes = Arc::new(bytes);
                remember_blob(&bytes, &file);
                files.push(InputFile {
                    name: file.name(),
                    bytes,
                });
            }
            Err(e) => errors.push((file.name(), e)),
        }
    }
    (files, errors)
}

thread_local! {
    /// The dropped `File` behind each file's bytes: a File is a Blob, so the
    /// worker's handoff and autosave can use it as it is instead of copying
    /// the bytes out of wasm again. Held weakly: an entry goes with its bytes.
    static BLOBS: std::cell::RefCell<Vec<(std::sync::Weak<Vec<u8>>, Blob)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn remember_blob(bytes: &Arc<Vec<u8>>, blob: &Blob) {
    BLOBS.with_borrow_mut(|blobs| {
        blobs.retain(|(weak, _)| weak.strong_count() > 0);
        blobs.push((Arc::downgrade(bytes), blob.clone()));
    });
}

/// The dropped file these bytes were read from, if they were.
pub fn dropped_file_of(bytes: &Arc<Vec<u8>>) -> Option<Blob> {
    BLOBS.with_borrow(|blobs| {
        blobs
            .iter()
            .find(|(weak, _)| weak.upgrade().is_some_and(|b| Arc::ptr_eq(&b, bytes)))
            .map(|(_, blob)| blob.clone())
    })
}

/// A Blob of `bytes`: the dropped file itself when these are its bytes,
/// else a copy.
pub fn blob_of(bytes: &Arc<Vec<u8>>) -> Result<Blob, String> {
    match dropped_file_of(bytes) {
        Some(blob) => Ok(blob),
        None => {
            let parts = Array::new();
            parts.push(&Uint8Array::from(bytes.as_slice()));
            Blob::new_with_u8_array_sequence(&parts).map_err(describe)
        }
    }
}

async fn read_file(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(describe)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::next_task;
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn a_dropped_file_is_handed_on_as_itself_and_other_bytes_as_a_copy() -> Result<(), JsValue>
    {
        let parts = Array::new();
        parts.push(&Uint8Array::from(&b"a,b\n1,2\n"[..]));
        let file = File::new_with_u8_array_sequence(&parts, "x.csv")?;
        let (files, errors) = read_files(vec![file.clone()]).await;
        assert!(errors.is_empty(), "{errors:?}");
        let bytes = &files.first().ok_or("no file")?.bytes;
        let blob = blob_of(bytes)?;
        assert!(js_sys::Object::is(&blob, &file), "the File itself, no copy");
        let other = Arc::new(b"a,b\n1,2\n".to_vec());
        let copy = blob_of(&other)?;
        assert!(!js_sys::Object::is(&copy, &file));
        assert_eq!(copy.size(), 8.0);
        // A task boundary, and back.
        next_task().await;
        Ok(())
    }

    #[wasm_bindgen_test]
    async fn reads_a_file_the_way_a_drop_delivers_it() -> Result<(), JsValue> {
        let bytes = "Mã chỉ tiêu,Năm,Giá trị\nCBCC_XA,2020,4.864\n".as_bytes();
        let parts = Array::new();
        parts.push(&Uint8Array::from(bytes));
        let file = File::new_with_u8_array_sequence(&parts, "thu.csv")?;
        let got = read_file(&file).await?;
        assert_eq!(got, bytes);
        Ok(())
    }
}
