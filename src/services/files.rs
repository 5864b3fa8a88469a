//! Dropped files: taking their bytes (all of them, the first few, or a
//! slice at a time), and handing them on as `Blob`s (the dropped `File`
//! itself when there is one, so nothing is copied).

use super::describe;
use baocao::workspace::{Digesting, Elsewhere, HEAD_BYTES};
use js_sys::{Array, Uint8Array};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File, FileList};

/// How much of a file the page takes at a time when it streams one: the
/// page's memory grows by this much, not by the file.
const SLICE_BYTES: u64 = 8 << 20;

/// The files of a list, taken out of it: an input's `FileList` is live and
/// empties when the input is reset.
pub fn files_of(list: &FileList) -> Vec<File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// A file's bytes, or why the browser would not hand them over.
pub async fn bytes_of(file: &Blob) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(describe)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Bytes `from..to` of a file.
async fn slice_of(file: &Blob, from: u64, to: u64) -> Result<Vec<u8>, String> {
    let slice = file
        .slice_with_f64_and_f64(from as f64, to as f64)
        .map_err(describe)?;
    bytes_of(&slice).await
}

/// What the workspace keeps of a file the page keeps: its size and first bytes.
pub async fn elsewhere_of(file: &Blob) -> Result<Elsewhere, String> {
    let head = slice_of(file, 0, HEAD_BYTES as u64).await?;
    Ok(Elsewhere::new(file.size() as u64, &head))
}

/// Hands `take` a file's bytes a slice at a time, in order, until it
/// fails; the browser gets a turn between slices.
pub async fn stream_of(
    file: &Blob,
    mut take: impl FnMut(&[u8]) -> Result<(), String>,
) -> Result<(), String> {
    let size = file.size() as u64;
    let mut from = 0;
    while from < size {
        let to = (from + SLICE_BYTES).min(size);
        let slice = slice_of(file, from, to).await?;
        if slice.len() as u64 != to - from {
            return Err("tệp đã thay đổi trong khi đọc".into());
        }
        take(&slice)?;
        from = to;
    }
    Ok(())
}

/// A file's SHA-256, worked out a slice at a time.
pub async fn digest_of(file: &Blob) -> Result<[u8; 32], String> {
    let mut digesting = Digesting::default();
    stream_of(file, |slice| {
        digesting.update(slice);
        Ok(())
    })
    .await?;
    Ok(digesting.finish())
}

/// A Blob of a file's bytes: `dropped`, the file as it was dropped, when
/// there is one (a File is a Blob); else a copy of `bytes`.
pub fn blob_of(bytes: &[u8], dropped: Option<&Blob>) -> Result<Blob, String> {
    match dropped {
        Some(file) => Ok(file.clone()),
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
    async fn a_file_streamed_in_slices_gives_its_bytes_its_head_and_its_digest(
    ) -> Result<(), JsValue> {
        // Two slices and a bit: the last one short.
        let bytes: Vec<u8> = (0..SLICE_BYTES as usize + 5_000)
            .map(|i| (i % 253) as u8)
            .collect();
        let parts = Array::new();
        parts.push(&Uint8Array::from(&bytes[..]));
        let file = File::new_with_u8_array_sequence(&parts, "lon.csv")?;
        let mut streamed = Vec::new();
        stream_of(&file, |slice| {
            streamed.extend_from_slice(slice);
            Ok(())
        })
        .await?;
        assert!(streamed == bytes, "every byte, in order");
        let elsewhere = elsewhere_of(&file).await?;
        assert_eq!(elsewhere.size, bytes.len() as u64);
        assert_eq!(&elsewhere.head[..], &bytes[..HEAD_BYTES]);
        let whole = baocao::workspace::InputFile::new("lon.csv", bytes);
        assert_eq!(Some(digest_of(&file).await?), whole.digest());
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
