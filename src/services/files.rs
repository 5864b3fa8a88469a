//! Dropped files: taking their bytes, and handing them on as `Blob`s (the
//! dropped `File` itself when there is one, so nothing is copied).

use super::describe;
use js_sys::{Array, Uint8Array};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File, FileList};

/// The files of a list, taken out of it: an input's `FileList` is live and
/// empties when the input is reset.
pub fn files_of(list: &FileList) -> Vec<File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// A file's bytes, or why the browser would not hand them over.
pub async fn bytes_of(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(describe)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// A Blob of a file's bytes: `dropped`, the file as it was dropped, when
/// there is one (a File is a Blob); else a copy of `bytes`.
pub fn blob_of(bytes: &[u8], dropped: Option<&File>) -> Result<Blob, String> {
    match dropped {
        Some(file) => Ok(Blob::clone(file)),
        None => {
            let parts = Array::new();
            parts.push(&Uint8Array::from(bytes));
            Blob::new_with_u8_array_sequence(&parts).map_err(describe)
        }
    }
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
        let bytes = bytes_of(&file).await?;
        let blob = blob_of(&bytes, Some(&file))?;
        assert!(js_sys::Object::is(&blob, &file), "the File itself, no copy");
        let copy = blob_of(&bytes, None)?;
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
        let got = bytes_of(&file).await?;
        assert_eq!(got, bytes);
        Ok(())
    }
}
