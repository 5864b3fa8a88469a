//! Once the page has been idle a moment, it goes through a made-up large
//! read (`baocao::rehearsal`) a slice at a time, so that the first large
//! drop is assembled and derived by code the browser has already compiled
//! with its optimising tier. Any drop stops it: the real work comes first.
//! Not on a drag: the reader worker warms up then, and the two slowed each
//! other (the browser's compiler threads and this machine's cores serve
//! both), so a drop right after a drag was read later by as much as the
//! derivation gained.

use super::state::State;
use crate::services;
use baocao::rehearsal::Rehearsal;
use baocao::workspace::Stale;
use yew::prelude::*;

/// After the page is loaded and the reader worker has warmed up (it starts
/// 1 s after the load and rehearses for 0.25 s), for the same reason.
const AFTER_MS: i32 = 1_400;
/// A slice of the rehearsal: short, so the page answers at once.
const SLICE_MS: f64 = 8.0;
/// Observations' worth of derivation between two looks at the clock.
const STEP: usize = 2_000;

#[hook]
pub fn use_rehearsal(state: &UseReducerHandle<State>) {
    let state = state.clone();
    use_effect_with((), move |_| {
        services::after_ms(AFTER_MS, move || {
            wasm_bindgen_futures::spawn_local(rehearse(state));
        });
    });
}

/// Whether the page has work of its own: a file arriving or being read, or
/// what derives from the data not yet done.
fn busy(state: &State) -> bool {
    !state.ws.arriving().is_empty()
        || !state.ws.pending().is_empty()
        || state.ws.stale() != Stale::Nothing
}

async fn rehearse(state: UseReducerHandle<State>) {
    let mut rehearsal = Rehearsal::new(state.ws.catalog.clone());
    loop {
        // The handle reads the page's state as it is now.
        if busy(&state) {
            return;
        }
        let began = services::now_ms();
        while services::now_ms() - began < SLICE_MS {
            if rehearsal.step(STEP) {
                return;
            }
        }
        services::next_task().await;
    }
}
