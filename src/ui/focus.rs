//! Focus for what opens over the page (the figure panel, the check before
//! download): it takes focus when it opens, and gives it back to what
//! opened it when it closes, so a keyboard user stays where they were.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

fn active_element() -> Option<Element> {
    web_sys::window()?.document()?.active_element()
}

/// While `open` is `Some`, `target` (or its `first` element, if given) has
/// focus; each new `open` value moves it there again. When it goes back to
/// `None`, or the component leaves the page, focus returns to the element
/// that had it before — unless the user has moved it elsewhere meanwhile.
#[hook]
pub fn use_dialog_focus<K: PartialEq + Clone + 'static>(open: Option<K>, target: NodeRef) {
    use_effect_with(open, move |open| {
        let opener = open.as_ref().and_then(|_| active_element());
        if open.is_some() {
            if let Some(t) = target.cast::<HtmlElement>() {
                let _ = t.focus();
            }
        }

        move || {
            let Some(opener) = opener.and_then(|o| o.dyn_into::<HtmlElement>().ok()) else {
                return;
            };
            // Still inside what closes (or nowhere): give focus back.
            let here = active_element();
            let inside = match (&here, target.cast::<Element>()) {
                (Some(a), Some(t)) => t.contains(Some(a)),
                _ => true,
            };
            let nowhere = here.is_none_or(|a| a.tag_name().eq_ignore_ascii_case("body"));
            if (inside || nowhere) && opener.is_connected() {
                let _ = opener.focus();
            }
        }
    });
}
