//! Finishes what a worker's read left stale (`Workspace::stale`), a step
//! per task so the page paints between steps: the core's [`Derivation`]
//! (the checks a slice at a time, then the report's data), handed to the
//! reducer when done (`Action::Derived`), then the document in a task of its
//! own (`Action::RefreshDocument`). A run whose dataset has changed is
//! stopped by the effect's cleanup.

use super::state::{Action, State};
use crate::services;
use baocao::derivation::Derivation;
use baocao::workspace::Stale;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// A step goes on in a task until about this long has passed, then lets
/// the page paint. (Yielding after a fixed amount of work instead makes
/// many tiny tasks, whose hand-over costs as much as the work.)
const SLICE_MS: f64 = 25.0;
/// Observations' worth of checking between two looks at the clock (well
/// under a millisecond).
const STEP: usize = 5_000;

#[hook]
pub fn use_deriving(state: &UseReducerHandle<State>) {
    let dispatcher = state.dispatcher();
    let stale = state.ws.stale();
    let key = (Rc::as_ptr(state.ws.dataset()) as usize, stale);
    let state = state.clone();
    use_effect_with(key, move |_| {
        let stopped = Rc::new(Cell::new(false));
        let run = stopped.clone();
        match (stale, state.ws.derivation()) {
            (Stale::Derivation, Some(derivation)) => {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(derivation) = derive(derivation, &run).await {
                        dispatcher.dispatch(Action::Derived(Box::new(derivation.settle())));
                    }
                })
            }
            (Stale::Document, _) => wasm_bindgen_futures::spawn_local(async move {
                services::next_task().await;
                if !run.get() {
                    dispatcher.dispatch(Action::RefreshDocument);
                }
            }),
            _ => {}
        }
        move || stopped.set(true)
    });
}

/// Runs the derivation to its end, a slice per task; `None` if stopped.
async fn derive(mut derivation: Derivation, stopped: &Cell<bool>) -> Option<Derivation> {
    let mut slice_began = services::now_ms();
    loop {
        let done = derivation.step(STEP);
        if services::now_ms() - slice_began >= SLICE_MS || done {
            // The result's render (a dozen charts) in a task of its own too.
            services::next_task().await;
            if stopped.get() {
                return None;
            }
            slice_began = services::now_ms();
        }
        if done {
            return Some(derivation);
        }
    }
}
