//! When work runs: a task of its own, with a frame painted between when
//! the last one was too long ago, and the page's clock.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Chromium lets a stream of tasks (slices of work, a worker's messages)
/// hold off painting for about 100 ms; the page's own work waits for a
/// frame once this long has passed since the last one.
const FRAME_AT_LEAST_EVERY_MS: f64 = 30.0;

thread_local! {
    /// When the last frame seen began.
    static LAST_FRAME: Cell<f64> = const { Cell::new(0.0) };
    /// Whether a frame has been asked to say when it comes.
    static WATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Whether the page has gone too long without a frame. Asks the next frame
/// to note its time, so that frames the page paints anyway count. Never in
/// a hidden tab: it paints nothing, and the browser holds its timers back
/// to one a second, so waiting there would stall a read for good.
fn frame_due() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    if window.document().is_none_or(|d| d.hidden()) {
        return false;
    }
    if !WATCHING.replace(true) {
        let noted = wasm_bindgen::closure::Closure::once_into_js(|| {
            WATCHING.set(false);
            LAST_FRAME.set(now_ms());
        });
        let _ = window.request_animation_frame(noted.unchecked_ref());
    }
    now_ms() - LAST_FRAME.get() > FRAME_AT_LEAST_EVERY_MS
}

/// Resolves after the next frame, or in 100 ms, whichever is first (a
/// hidden tab has no frames), then in a task of its own: work done in the
/// frame's callback would hold the frame's paint back.
async fn after_next_frame() {
    if let Some(window) = web_sys::window() {
        let frame = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window.request_animation_frame(&resolve);
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
        });
        let _ = JsFuture::from(frame).await;
    }
    LAST_FRAME.set(now_ms());
    crate::task::next().await;
}

/// Resolves in a task of its own (`crate::task::next`), so that the page
/// can paint before what follows; after the next frame if one is due.
pub async fn next_task() {
    if frame_due() {
        after_next_frame().await;
    } else {
        crate::task::next().await;
    }
}

/// Items handled in the order they come, each in the task it came in,
/// unless a frame is due: then they wait for it, and those that come
/// meanwhile queue behind them. (A worker's messages come in tasks of
/// their own, but back to back they too hold off painting.)
pub struct Paced<T> {
    queue: Rc<RefCell<VecDeque<T>>>,
    handle: Rc<dyn Fn(T)>,
}

impl<T: 'static> Paced<T> {
    pub fn new(handle: impl Fn(T) + 'static) -> Self {
        Paced {
            queue: Rc::default(),
            handle: Rc::new(handle),
        }
    }

    pub fn offer(&self, item: T) {
        let waiting = !self.queue.borrow().is_empty();
        if waiting {
            self.queue.borrow_mut().push_back(item);
        } else if frame_due() {
            self.queue.borrow_mut().push_back(item);
            let (queue, handle) = (self.queue.clone(), self.handle.clone());
            wasm_bindgen_futures::spawn_local(drain(queue, handle));
        } else {
            (self.handle)(item);
        }
    }
}

/// Handles the queue after the next frame, until it is empty; waits for
/// another frame whenever one is due.
async fn drain<T>(queue: Rc<RefCell<VecDeque<T>>>, handle: Rc<dyn Fn(T)>) {
    after_next_frame().await;
    loop {
        if queue.borrow().is_empty() {
            return;
        }
        if frame_due() {
            after_next_frame().await;
            continue;
        }
        let Some(item) = queue.borrow_mut().pop_front() else {
            return;
        };
        handle(item);
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

/// Calls `then` once, `ms` milliseconds from now.
pub fn after_ms(ms: i32, then: impl FnOnce() + 'static) {
    if let Some(window) = web_sys::window() {
        let then = wasm_bindgen::closure::Closure::once_into_js(then);
        let _ =
            window.set_timeout_with_callback_and_timeout_and_arguments_0(then.unchecked_ref(), ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn paced_items_keep_their_order_and_wait_for_a_frame_when_one_is_due() {
        let handled = Rc::new(RefCell::new(Vec::new()));
        let paced = {
            let handled = handled.clone();
            Paced::new(move |n: u32| handled.borrow_mut().push(n))
        };
        // Just after a frame: handled at once, in the task it came in.
        after_next_frame().await;
        paced.offer(1);
        assert_eq!(*handled.borrow(), [1]);
        // Busy past the budget: it waits for a frame, and what comes
        // meanwhile queues behind it, even once no frame is due.
        let began = now_ms();
        while now_ms() - began < FRAME_AT_LEAST_EVERY_MS + 5.0 {}
        paced.offer(2);
        LAST_FRAME.set(now_ms());
        paced.offer(3);
        assert_eq!(*handled.borrow(), [1]);
        for _ in 0..10 {
            after_next_frame().await;
            if handled.borrow().len() == 3 {
                break;
            }
        }
        assert_eq!(*handled.borrow(), [1, 2, 3]);
    }

    #[wasm_bindgen_test]
    fn a_hidden_page_never_waits_for_a_frame() -> Result<(), wasm_bindgen::JsValue> {
        let hide = js_sys::Function::new_no_args(
            "Object.defineProperty(document, 'hidden', { configurable: true, get: () => true })",
        );
        let show = js_sys::Function::new_no_args("delete document.hidden");
        LAST_FRAME.set(now_ms() - 1_000.0);
        hide.call0(&wasm_bindgen::JsValue::NULL)?;
        let hidden = frame_due();
        show.call0(&wasm_bindgen::JsValue::NULL)?;
        assert!(!hidden);
        assert!(frame_due());
        Ok(())
    }
}
