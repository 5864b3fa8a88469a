//! The page itself: the ready flag tests wait for, the service worker, and
//! the banner shown if anything still panics.

use wasm_bindgen::JsCast;

/// How many workers may read a large file at once: one per core but the
/// one the page keeps for itself (it unpacks what they read meanwhile).
pub fn readers() -> u32 {
    let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
    (cores as u32).saturating_sub(1).max(1)
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
    use wasm_bindgen::JsValue;
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
    fn the_ready_flag_is_on_the_body() -> Result<(), JsValue> {
        set_ready(false);
        let body = test_document()?.body().ok_or("no body")?;
        assert_eq!(body.get_attribute("data-ready").as_deref(), Some("false"));
        set_ready(true);
        assert_eq!(body.get_attribute("data-ready").as_deref(), Some("true"));
        Ok(())
    }

    #[wasm_bindgen_test]
    fn a_dropped_file_runs_through_the_whole_core_in_wasm() {
        let mut ws = baocao::workspace::Workspace::sample();
        let csv = baocao::workspace::InputFile::new(
            "a.csv",
            b"code,period,value\nCBCC_XA,2020,1.2.3\n".to_vec(),
        );
        ws.add_files(vec![csv]);
        assert!(ws
            .findings()
            .iter()
            .any(|f| f.rule == "read.unreadable-value"));
    }
}
