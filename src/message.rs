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

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_messages_array_is_taken_as_it_is_and_a_buffer_is_viewed() {
        let array = Uint8Array::from(&b"chunk"[..]);
        assert!(js_sys::Object::is(&array_of(&array), &array), "no copy");
        let view = array_of(&array.buffer());
        assert!(
            js_sys::Object::is(&view.buffer(), &array.buffer()),
            "a view"
        );
        assert_eq!(view.to_vec(), b"chunk");
    }
}
