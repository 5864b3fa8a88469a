//! Where the workspace is kept: IndexedDB records and small local settings.

use super::describe;
use super::files::blob_of;
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

const DB: &str = "baocao";
const STORE: &str = "workspace";

/// Waits for an IndexedDB request; its error becomes a message.
async fn await_request(request: &web_sys::IdbRequest) -> Result<JsValue, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok_request = request.clone();
        let on_ok = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = resolve.call1(
                &JsValue::NULL,
                &ok_request.result().unwrap_or(JsValue::UNDEFINED),
            );
        });
        let err_request = request.clone();
        let on_err = wasm_bindgen::closure::Closure::once_into_js(move || {
            let message = err_request
                .error()
                .ok()
                .flatten()
                .map(|e| e.message())
                .unwrap_or_default();
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&message));
        });
        request.set_onsuccess(Some(on_ok.unchecked_ref()));
        request.set_onerror(Some(on_err.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(describe)
}

/// Waits for a transaction to commit: its requests succeeding is not enough,
/// as the commit itself can fail (the quota is judged then) or be aborted.
async fn await_commit(tx: &web_sys::IdbTransaction) -> Result<(), String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let on_complete = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = |tx: web_sys::IdbTransaction, reject: js_sys::Function| {
            wasm_bindgen::closure::Closure::once_into_js(move || {
                let message = tx
                    .error()
                    .map(|e| format!("{}: {}", e.name(), e.message()))
                    .unwrap_or_else(|| "giao dịch bị hủy".into());
                let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&message));
            })
        };
        tx.set_oncomplete(Some(on_complete.unchecked_ref()));
        tx.set_onabort(Some(failed(tx.clone(), reject.clone()).unchecked_ref()));
        tx.set_onerror(Some(failed(tx.clone(), reject).unchecked_ref()));
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(describe)
}

async fn open_db() -> Result<web_sys::IdbDatabase, String> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or("Trình duyệt không cho lưu (IndexedDB bị tắt, có thể do chế độ riêng tư)")?;
    let request = factory.open_with_u32(DB, 1).map_err(describe)?;
    let upgrade_request = request.clone();
    let on_upgrade = wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Ok(db) = upgrade_request
            .result()
            .and_then(|r| r.dyn_into::<web_sys::IdbDatabase>())
        {
            let _ = db.create_object_store(STORE);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let db = await_request(&request).await?;
    db.dyn_into()
        .map_err(|_| "IndexedDB trả về kết quả lạ".to_string())
}

/// Writes and deletes records of the workspace store in one transaction, so
/// a tab closed meanwhile leaves the old state or the new one, never a mix.
pub async fn save_records(
    puts: &[(String, std::sync::Arc<Vec<u8>>)],
    deletes: &[String],
) -> Result<(), String> {
    let db = open_db().await?;
    let tx = db
        .transaction_with_str_and_mode(STORE, web_sys::IdbTransactionMode::Readwrite)
        .map_err(describe)?;
    let store = tx.object_store(STORE).map_err(describe)?;
    for key in deletes {
        store.delete(&JsValue::from_str(key)).map_err(describe)?;
    }
    for (key, bytes) in puts {
        // A Blob, not a Uint8Array: the store keeps a Blob by reference and
        // writes it out off the page's thread, where an array is serialized
        // on it (a 40 MB file froze the page for a tenth of a second).
        let blob = blob_of(bytes)?;
        store
            .put_with_key(&blob, &JsValue::from_str(key))
            .map_err(describe)?;
    }
    // Saved once committed, not when the last request succeeded.
    await_commit(&tx).await
}

/// Asks the browser to keep this site's storage when it runs short of space
/// (it may decline; the workspace is saved either way).
pub fn request_persistent_storage() {
    if let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) {
        let _ = storage.persist();
    }
}

/// A record of the workspace store, if there is one.
pub async fn load_record(key: &str) -> Result<Option<Vec<u8>>, String> {
    let db = open_db().await?;
    let tx = db.transaction_with_str(STORE).map_err(describe)?;
    let request = tx
        .object_store(STORE)
        .map_err(describe)?
        .get(&JsValue::from_str(key))
        .map_err(describe)?;
    let value = await_request(&request).await?;
    // Records are Blobs; those saved before were arrays.
    let value = match value.dyn_into::<Blob>() {
        Ok(blob) => JsFuture::from(blob.array_buffer())
            .await
            .map_err(describe)?,
        Err(value) => value,
    };
    Ok(match value.dyn_into::<js_sys::ArrayBuffer>() {
        Ok(buffer) => Some(Uint8Array::new(&buffer).to_vec()),
        Err(value) => value.dyn_into::<Uint8Array>().ok().map(|a| a.to_vec()),
    })
}

/// The language chosen on an earlier visit ("vi" or "en").
pub fn saved_lang() -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item("baocao.lang")
        .ok()?
}

pub fn save_lang(lang: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item("baocao.lang", lang);
    }
}
