//! When work runs: a task of its own, with a frame painted between when
//! the last one was too long ago, and the page's clock.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Resolves in a task of its own (`crate::task::next`), so that the page
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
    crate::task::next().await;
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

/// Calls `then` once, `ms` milliseconds from now.
pub fn after_ms(ms: i32, then: impl FnOnce() + 'static) {
    if let Some(window) = web_sys::window() {
        let then = wasm_bindgen::closure::Closure::once_into_js(then);
        let _ =
            window.set_timeout_with_callback_and_timeout_and_arguments_0(then.unchecked_ref(), ms);
    }
}
