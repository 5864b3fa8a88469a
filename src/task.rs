//! A task boundary for the page and the reader worker (wasm32 only).

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Resolves in a task of its own: a message to ourselves through a
/// `MessageChannel`. Not a zero timer: browsers hold nested timers back to
/// at least 4 ms each, which adds up between the slices of a long read.
pub async fn next() {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return;
    };
    let port = channel.port1();
    let promise = js_sys::Promise::new(&mut |resolve, _| port.set_onmessage(Some(&resolve)));
    let _ = channel.port2().post_message(&JsValue::NULL);
    let _ = JsFuture::from(promise).await;
    port.set_onmessage(None);
}
