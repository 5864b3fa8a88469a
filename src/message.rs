//! The bytes a message between the page and its workers carries (wasm32
//! only).

use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};

/// A message's bytes without copying them: the array itself when one was
/// sent (`new Uint8Array(array)` would copy it), else a view of the buffer.
pub fn array_of(data: &JsValue) -> Uint8Array {
    match data.dyn_ref::<Uint8Array>() {
        Some(array) => array.clone(),
        None => Uint8Array::new(data),
    }
}
