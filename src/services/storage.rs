//! Where the workspace is kept: IndexedDB records and small local settings,
//! each named after the path the page is served under, so two deployments on
//! one origin (two sites on one GitHub Pages account) keep their own.

use super::describe;
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

/// Where every deployment kept its workspace before names were scoped.
const LEGACY_DB: &str = "baocao";
const STORE: &str = "workspace";
/// Where the edits of a workspace that could not be restored are kept, so
/// that saving the page's state never overwrites them.
pub const BACKUP: &str = "backup:edits";

/// The directory the page is served from ("/baocao/"), which names its
/// storage.
pub fn scope() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .and_then(|href| web_sys::Url::new_with_base(".", &href).ok())
        .map_or_else(|| "/".into(), |url| url.pathname())
}

/// A storage name of this deployment: "baocao:/baocao/:lang".
pub fn scoped(name: &str) -> String {
    format!("baocao:{}:{name}", scope())
}

fn db_name() -> String {
    format!("baocao:{}", scope())
}

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

fn factory() -> Result<web_sys::IdbFactory, String> {
    web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| {
            "Trình duyệt không cho lưu (IndexedDB bị tắt, có thể do chế độ riêng tư)".into()
        })
}

/// An open database, closed when dropped: a connection left open blocks a
/// version change or a deletion of the database (by a newer build, say).
struct Db(web_sys::IdbDatabase);

impl std::ops::Deref for Db {
    type Target = web_sys::IdbDatabase;

    fn deref(&self) -> &web_sys::IdbDatabase {
        &self.0
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        self.0.close();
    }
}

async fn open_db() -> Result<Db, String> {
    open_named(&db_name()).await
}

async fn open_named(name: &str) -> Result<Db, String> {
    let request = factory()?.open_with_u32(name, 1).map_err(describe)?;
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
        .map(Db)
        .map_err(|_| "IndexedDB trả về kết quả lạ".to_string())
}

/// Writes and deletes records of the workspace store in one transaction, so
/// a tab closed meanwhile leaves the old state or the new one, never a mix.
pub async fn save_records(
    puts: &[(String, web_sys::Blob)],
    deletes: &[String],
    files: Option<&[String]>,
) -> Result<(), String> {
    let db = open_db().await?;
    let tx = db
        .transaction_with_str_and_mode(STORE, web_sys::IdbTransactionMode::Readwrite)
        .map_err(describe)?;
    let store = tx.object_store(STORE).map_err(describe)?;
    for key in deletes {
        store.delete(&JsValue::from_str(key)).map_err(describe)?;
    }
    if let Some(files) = files {
        delete_other_files(&store, files)?;
    }
    for (key, blob) in puts {
        // A Blob, not a Uint8Array: the store keeps a Blob by reference and
        // writes it out off the page's thread, where an array is serialized
        // on it (a 40 MB file froze the page for a tenth of a second).
        store
            .put_with_key(blob, &JsValue::from_str(key))
            .map_err(describe)?;
    }
    // Saved once committed, not when the last request succeeded.
    await_commit(&tx).await
}

/// Deletes every file record but `live` (the ones the edits being saved
/// refer to), in the same transaction: a save that failed forgot which
/// records it had written, and those would otherwise stay for ever. The
/// ranges between the live keys go, so nothing is read first.
fn delete_other_files(store: &web_sys::IdbObjectStore, live: &[String]) -> Result<(), String> {
    let mut live: Vec<&str> = live.iter().map(String::as_str).collect();
    live.sort_unstable();
    live.dedup();
    // File keys are "file:…"; ';' is the character after ':'.
    let mut lower: (&str, bool) = ("file:", false);
    for key in live.iter().copied().chain(["file;"]) {
        let range = web_sys::IdbKeyRange::bound_with_lower_open_and_upper_open(
            &JsValue::from_str(lower.0),
            &JsValue::from_str(key),
            lower.1,
            true,
        )
        .map_err(describe)?;
        store.delete(&range).map_err(describe)?;
        lower = (key, true);
    }
    Ok(())
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
    match load_blob(key).await? {
        Some(blob) => super::bytes_of(&blob).await.map(Some),
        None => Ok(None),
    }
}

/// A record of the workspace store as a `Blob` (its bytes stay with the
/// browser), if there is one.
pub async fn load_blob(key: &str) -> Result<Option<Blob>, String> {
    let db = open_db().await?;
    let tx = db.transaction_with_str(STORE).map_err(describe)?;
    let request = tx
        .object_store(STORE)
        .map_err(describe)?
        .get(&JsValue::from_str(key))
        .map_err(describe)?;
    let value = await_request(&request).await?;
    // Records are Blobs; those saved by older builds were arrays.
    let array = match value.dyn_into::<Blob>() {
        Ok(blob) => return Ok(Some(blob)),
        Err(value) => match value.dyn_into::<js_sys::ArrayBuffer>() {
            Ok(buffer) => Uint8Array::new(&buffer),
            Err(value) => match value.dyn_into::<Uint8Array>() {
                Ok(array) => array,
                Err(_) => return Ok(None),
            },
        },
    };
    let parts = js_sys::Array::of1(&array);
    Blob::new_with_u8_array_sequence(&parts)
        .map(Some)
        .map_err(describe)
}

/// Moves the workspace a build without scoped names kept (in the origin's
/// one database) into this deployment's, once: the first deployment opened
/// after the upgrade takes it. Nothing is deleted before it is copied.
pub async fn adopt_legacy_records() -> Result<(), String> {
    if load_record("edits").await?.is_some() {
        return Ok(());
    }
    let legacy = open_named(LEGACY_DB).await?;
    let records = all_records(&legacy).await;
    drop(legacy);
    let records = records?;
    if !records.is_empty() {
        let db = open_db().await?;
        let tx = db
            .transaction_with_str_and_mode(STORE, web_sys::IdbTransactionMode::Readwrite)
            .map_err(describe)?;
        let store = tx.object_store(STORE).map_err(describe)?;
        for (key, value) in &records {
            store.put_with_key(value, key).map_err(describe)?;
        }
        await_commit(&tx).await?;
    }
    let _ = factory()?.delete_database(LEGACY_DB);
    Ok(())
}

/// Every (key, value) of a database's workspace store.
async fn all_records(db: &web_sys::IdbDatabase) -> Result<Vec<(JsValue, JsValue)>, String> {
    let tx = db.transaction_with_str(STORE).map_err(describe)?;
    let store = tx.object_store(STORE).map_err(describe)?;
    let keys = await_request(&store.get_all_keys().map_err(describe)?).await?;
    let values = await_request(&store.get_all().map_err(describe)?).await?;
    let (keys, values): (js_sys::Array, js_sys::Array) =
        (keys.unchecked_into(), values.unchecked_into());
    Ok(keys.iter().zip(values.iter()).collect())
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The language chosen on an earlier visit ("vi" or "en").
pub fn saved_lang() -> Option<String> {
    let storage = local()?;
    storage
        .get_item(&scoped("lang"))
        .ok()
        .flatten()
        .or_else(|| storage.get_item("baocao.lang").ok().flatten())
}

pub fn save_lang(lang: &str) {
    if let Some(storage) = local() {
        let _ = storage.set_item(&scoped("lang"), lang);
    }
}

/// Notes the files being read now (none: the note goes). Written at once,
/// so that if the page dies during a read, the next visit knows which file
/// it was and holds it back instead of dying again.
pub fn note_reading(names: &[String]) {
    let Some(storage) = local() else {
        return;
    };
    let key = scoped("reading");
    if names.is_empty() {
        let _ = storage.remove_item(&key);
    } else if let Ok(json) = serde_json::to_string(names) {
        let _ = storage.set_item(&key, &json);
    }
}

/// The files being read when the last visit ended, if it ended mid-read.
pub fn noted_reading() -> Vec<String> {
    local()
        .and_then(|s| s.get_item(&scoped("reading")).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Claims the right to write this deployment's workspace (a Web Lock held
/// until the tab closes): true if this tab has it. With `take_over`, it is
/// taken from the tab that holds it, whose `lost` is then called. Without
/// Web Locks every tab writes, as before they existed.
pub async fn claim_workspace(take_over: bool, lost: impl FnOnce() + 'static) -> bool {
    use js_sys::{Function, Object, Promise, Reflect};
    let Some(window) = web_sys::window() else {
        return true;
    };
    let locks = Reflect::get(&window.navigator(), &JsValue::from_str("locks"))
        .ok()
        .filter(|l| !l.is_undefined());
    let Some(request) = locks.as_ref().and_then(|locks| {
        Reflect::get(locks, &JsValue::from_str("request"))
            .ok()?
            .dyn_into::<Function>()
            .ok()
    }) else {
        return true;
    };
    let options = Object::new();
    let (flag, value) = if take_over {
        ("steal", true)
    } else {
        ("ifAvailable", true)
    };
    let _ = Reflect::set(
        &options,
        &JsValue::from_str(flag),
        &JsValue::from_bool(value),
    );
    let mut granted = None;
    let decided = Promise::new(&mut |resolve, _| granted = Some(resolve));
    let Some(granted) = granted else {
        return true;
    };
    let on_lock = wasm_bindgen::closure::Closure::once_into_js(move |lock: JsValue| {
        let got = !lock.is_null();
        let _ = granted.call1(&JsValue::NULL, &JsValue::from_bool(got));
        // Held while this promise is pending: for as long as the tab lives.
        if got {
            JsValue::from(Promise::new(&mut |_, _| {}))
        } else {
            JsValue::UNDEFINED
        }
    });
    let held = request.call3(
        locks.as_ref().unwrap_or(&JsValue::NULL),
        &JsValue::from_str(&scoped("workspace")),
        &options,
        &on_lock,
    );
    if let Ok(held) = held.and_then(|h| h.dyn_into::<Promise>()) {
        // Rejected when another tab takes the lock over.
        let on_lost = wasm_bindgen::closure::Closure::once(move |_: JsValue| lost());
        let _ = held.catch(&on_lost);
        on_lost.forget();
    }
    JsFuture::from(decided)
        .await
        .map(|v| v.as_bool().unwrap_or(true))
        .unwrap_or(true)
}

/// Asks for this tab to take the workspace over after a reload (the reload
/// then reads what the other tab saved).
pub fn take_over_after_reload() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(Some(session)) = window.session_storage() {
        let _ = session.set_item(&scoped("take-over"), "1");
    }
    let _ = window.location().reload();
}

/// Whether this load is the take-over asked for before it (asked once).
pub fn taking_over() -> bool {
    let Some(Ok(Some(session))) = web_sys::window().map(|w| w.session_storage()) else {
        return false;
    };
    let key = scoped("take-over");
    let asked = session.get_item(&key).ok().flatten().is_some();
    let _ = session.remove_item(&key);
    asked
}

/// Forgets the files being read when the page is closed or reloaded on
/// purpose: only a page that dies mid-read leaves its note behind.
pub fn forget_reading_on_leave() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_leave = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| note_reading(&[]));
    let _ = window.add_event_listener_with_callback("pagehide", on_leave.as_ref().unchecked_ref());
    on_leave.forget();
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn a_save_leaves_only_the_file_records_its_edits_name() -> Result<(), String> {
        let blob = crate::services::blob_of(&[1, 2, 3], None)?;
        let put = |k: &str| (k.to_string(), blob.clone());
        // Records an earlier failed save left behind, and the live ones.
        save_records(
            &[
                put("file:1:0"),
                put("file:1:1"),
                put("file:2:0"),
                put("file:9:9"),
            ],
            &[],
            None,
        )
        .await?;
        save_records(
            &[put("edits")],
            &[],
            Some(&["file:2:0".to_string(), "file:1:1".to_string()]),
        )
        .await?;
        for (key, kept) in [
            ("file:1:0", false),
            ("file:1:1", true),
            ("file:2:0", true),
            ("file:9:9", false),
            ("edits", true),
        ] {
            assert_eq!(load_record(key).await?.is_some(), kept, "{key}");
        }
        Ok(())
    }
}
