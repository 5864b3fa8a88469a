//! Offering bytes to the user as a file to save.

use super::describe;
use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offers `bytes` to the user as a download named `name`.
pub fn download(bytes: &[u8], name: &str, mime: &str) -> Result<(), String> {
    download_chunks(|push| push(bytes.to_vec()), name, mime)
}

/// Offers a file written a chunk at a time by `write` (each chunk moves out
/// of wasm's memory as it comes, so a large file is never whole in it).
pub fn download_chunks(
    write: impl FnOnce(&mut dyn FnMut(Vec<u8>)),
    name: &str,
    mime: &str,
) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = Array::new();
    write(&mut |chunk: Vec<u8>| {
        parts.push(&Uint8Array::from(chunk.as_slice()));
    });
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(describe)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let a: HtmlAnchorElement = document
        .create_element("a")
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| "not an anchor".to_string())?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The click has started the download; the URL is no longer needed.
    let _ = Url::revoke_object_url(&url);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn downloads_do_not_fail_in_a_real_browser() {
        assert!(download(b"abc", "x.txt", "text/plain").is_ok());
    }
}
