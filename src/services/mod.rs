//! Browser IO, each concern in its module: dropped files, where the
//! workspace is kept, downloads, chart pictures, when work runs, and the
//! page's own signals. Components call these; the core never sees web-sys.

mod download;
mod files;
mod page;
mod raster;
mod schedule;
mod storage;

pub use download::{download, download_chunks};
pub use files::{blob_of, bytes_of, digest_of, elsewhere_of, files_of, stream_of};
pub use page::{install_panic_hook, readers, register_service_worker, set_ready};
pub use raster::svg_to_png;
pub use schedule::{after_ms, next_task, now_ms, Paced};
pub use storage::{
    adopt_legacy_records, claim_workspace, forget_reading_on_leave, load_blob, load_record,
    note_reading, noted_reading, request_persistent_storage, save_lang, save_records, saved_lang,
    take_over_after_reload, taking_over, BACKUP,
};

use wasm_bindgen::{JsCast, JsValue};

/// A JavaScript error as a message for the user.
fn describe(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "lỗi không rõ".into())
}
