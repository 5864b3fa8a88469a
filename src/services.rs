//! Browser IO, all of it: reading dropped files, downloads, the page's
//! `data-ready` flag and the panic hook. Components call these; the core
//! never sees web-sys.

use baocao::workspace::InputFile;
use js_sys::{Array, Uint8Array};
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, File, FileList, HtmlAnchorElement, Url};

/// The files of a list, taken out of it: an input's `FileList` is live and
/// empties when the input is reset.
pub fn files_of(list: &FileList) -> Vec<File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads every file into memory. A file that cannot be read comes back as an
/// error message naming it; the others are still read.
pub async fn read_files(list: Vec<File>) -> (Vec<InputFile>, Vec<String>) {
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
            Err(e) => errors.push(format!("Không đọc được tệp {}: {e}", file.name())),
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
fn blob_of(bytes: &Arc<Vec<u8>>) -> Result<Blob, String> {
    match dropped_file_of(bytes) {
        Some(blob) => Ok(blob),
        None => {
            let parts = Array::new();
            parts.push(&Uint8Array::from(bytes.as_slice()));
            Blob::new_with_u8_array_sequence(&parts).map_err(describe)
        }
    }
}

pub async fn read_file(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(describe)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

fn describe(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "lỗi không rõ".into())
}

/// A `blob:` URL of `bytes` (the dropped file itself, or a copy), revoked
/// when dropped. The page hands a large file to the reader worker this way:
/// the worker fetches it off the page's thread, instead of the bytes
/// travelling inside a serialized message (copied five times, two of them
/// on the page's thread). The URL never leaves the browser.
pub struct BlobUrl(String);

impl BlobUrl {
    pub fn new(bytes: &Arc<Vec<u8>>) -> Result<BlobUrl, String> {
        BlobUrl::of(&blob_of(bytes)?)
    }

    /// A URL of a dropped file itself, before its bytes are read.
    pub fn of(blob: &Blob) -> Result<BlobUrl, String> {
        Url::create_object_url_with_blob(blob)
            .map(BlobUrl)
            .map_err(describe)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Drop for BlobUrl {
    fn drop(&mut self) {
        let _ = Url::revoke_object_url(&self.0);
    }
}

/// Resolves in a task of its own (`baocao::task::next`), so that the page
/// can paint before what follows. Chromium lets a stream of such tasks hold off
/// painting for about 100 ms, so once `FRAME_AT_LEAST_EVERY_MS` have passed
/// since the last frame this waited for, it waits for the next one first.
pub async fn next_task() {
    thread_local! {
        static LAST_FRAME: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
    }
    const FRAME_AT_LEAST_EVERY_MS: f64 = 50.0;
    let now = now_ms();
    if now - LAST_FRAME.get() > FRAME_AT_LEAST_EVERY_MS {
        if let Some(window) = web_sys::window() {
            // Or 100 ms, whichever is first: a hidden tab has no frames.
            let frame = js_sys::Promise::new(&mut |resolve, _| {
                let _ = window.request_animation_frame(&resolve);
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
            });
            let _ = JsFuture::from(frame).await;
        }
        LAST_FRAME.set(now_ms());
    }
    // Then a task of its own: work done in the frame's callback would hold
    // the frame's paint back.
    baocao::task::next().await;
}

/// Offers `bytes` to the user as a download named `name`.
pub fn download(bytes: &[u8], name: &str, mime: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = Array::new();
    parts.push(&Uint8Array::from(bytes));
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

/// Draws an SVG document onto a canvas `width_px` wide and returns it as PNG.
/// The SVG is our own chart writer's output (every string escaped).
pub async fn svg_to_png(svg: &str, width_px: u32, height_px: u32) -> Result<Vec<u8>, String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let parts = Array::new();
    parts.push(&JsValue::from_str(svg));
    let options = BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let image = web_sys::HtmlImageElement::new().map_err(describe)?;
    image.set_src(&url);
    let decoded = JsFuture::from(image.decode()).await;
    let _ = Url::revoke_object_url(&url);
    decoded.map_err(describe)?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| "no canvas".to_string())?;
    canvas.set_width(width_px);
    canvas.set_height(height_px);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(describe)?
        .ok_or("no 2d context")?
        .dyn_into()
        .map_err(|_| "no 2d context".to_string())?;
    context
        .draw_image_with_html_image_element_and_dw_and_dh(
            &image,
            0.0,
            0.0,
            f64::from(width_px),
            f64::from(height_px),
        )
        .map_err(describe)?;
    // A data URL is synchronous; decode its base64 tail into bytes.
    let data_url = canvas
        .to_data_url_with_type("image/png")
        .map_err(describe)?;
    let b64 = data_url
        .split_once(',')
        .map(|(_, b)| b)
        .ok_or("no PNG data")?;
    let binary = web_sys::window()
        .ok_or("no window")?
        .atob(b64)
        .map_err(describe)?;
    Ok(binary.chars().map(|c| c as u8).collect())
}

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

/// Milliseconds from the page's time origin, for the figures benchmarks read
/// and for slicing work by time.
pub fn now_ms() -> f64 {
    thread_local! {
        // Looked up once: the checks read the clock every few hundred
        // microseconds, and finding `window.performance` each time cost
        // more than reading it.
        static PERFORMANCE: Option<web_sys::Performance> =
            web_sys::window().and_then(|w| w.performance());
    }
    PERFORMANCE.with(|p| p.as_ref().map_or(0.0, |p| p.now()))
}

/// Sets `document.body.dataset.ready`, the signal tests wait for.
pub fn set_ready(ready: bool) {
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-ready", if ready { "true" } else { "false" });
    }
}

/// Registers the service worker that keeps the page working offline, and
/// calls `on_update` when a new version has taken over (shown as a notice).
pub fn register_service_worker(on_update: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    // A page that was already controlled and gets a new controller: a new version.
    let had_controller = container.controller().is_some();
    let callback = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        if had_controller {
            on_update();
        }
    });
    container.set_oncontrollerchange(Some(callback.as_ref().unchecked_ref()));
    callback.forget();
    // Relative, so it works under any sub-path.
    let _ = container.register("./sw.js");
}

/// If anything still panics, say so in the page instead of freezing silently.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_fatal();
    }));
}

/// Shows index.html's `#fatal` banner: the page stopped, the data went nowhere.
fn show_fatal() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(el) = document.get_element_by_id("fatal") {
        let _ = el.set_attribute("data-visible", "true");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn test_document() -> Result<web_sys::Document, JsValue> {
        Ok(web_sys::window()
            .and_then(|w| w.document())
            .ok_or("no document")?)
    }

    #[wasm_bindgen_test]
    fn a_panic_shows_the_fatal_banner() -> Result<(), JsValue> {
        let document = test_document()?;
        let banner = document.create_element("div")?;
        banner.set_id("fatal");
        banner.set_attribute("data-visible", "false")?;
        document.body().ok_or("no body")?.append_child(&banner)?;
        // What the panic hook does after logging (a real panic would end the test).
        show_fatal();
        assert_eq!(
            banner.get_attribute("data-visible").as_deref(),
            Some("true")
        );
        banner.remove();
        Ok(())
    }

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

    #[wasm_bindgen_test]
    fn the_ready_flag_is_on_the_body() -> Result<(), JsValue> {
        set_ready(false);
        let body = test_document()?.body().ok_or("no body")?;
        assert_eq!(body.get_attribute("data-ready").as_deref(), Some("false"));
        set_ready(true);
        assert_eq!(body.get_attribute("data-ready").as_deref(), Some("true"));
        Ok(())
    }

    #[wasm_bindgen_test]
    fn downloads_do_not_fail_in_a_real_browser() {
        assert!(download(b"abc", "x.txt", "text/plain").is_ok());
    }

    #[wasm_bindgen_test]
    async fn charts_rasterise_to_png_through_a_canvas() -> Result<(), JsValue> {
        let ws = baocao::workspace::Workspace::sample();
        let chart = ws
            .charts()
            .first()
            .cloned()
            .ok_or("the sample has charts")?;
        let svg =
            baocao::chart::svg::to_svg(&baocao::chart::draw::draw(&chart), &chart.description());
        let png = svg_to_png(&svg, 1600, 900).await?;
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, at bytes 16..24.
        assert_eq!(
            u32::from_be_bytes([png[16], png[17], png[18], png[19]]),
            1600
        );
        assert!(
            png.len() > 5_000,
            "a drawn chart, not an empty canvas: {} bytes",
            png.len()
        );
        Ok(())
    }

    #[wasm_bindgen_test]
    fn a_dropped_file_runs_through_the_whole_core_in_wasm() {
        let mut ws = baocao::workspace::Workspace::sample();
        let csv = baocao::workspace::InputFile {
            name: "a.csv".into(),
            bytes: Arc::new(b"code,period,value\nCBCC_XA,2020,1.2.3\n".to_vec()),
        };
        ws.add_files(vec![csv]);
        assert!(ws
            .findings
            .iter()
            .any(|f| f.rule == "read.unreadable-value"));
    }
}
