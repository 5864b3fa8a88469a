//! Finishes what a worker's read left stale (`Workspace::stale`) a step per
//! task, so the page paints between steps: the checks a slice at a time
//! (`check::Checking`, then `Action::Checked`), then the report's data, then
//! the report.

use super::state::{Action, State};
use crate::services;
use baocao::chart::EntityCounts;
use baocao::check::Checking;
use baocao::report::template::ReportData;
use baocao::workspace::Stale;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use yew::prelude::*;

/// Checking goes on in a task until about this long has passed, then lets
/// the page paint. (Yielding after a fixed amount of work instead makes
/// many tiny tasks, whose hand-over costs as much as the work.)
const SLICE_MS: f64 = 25.0;
/// Observations' worth of checking between two looks at the clock (well
/// under a millisecond).
const STEP: usize = 5_000;

#[hook]
pub fn use_checking(state: &UseReducerHandle<State>) {
    // Bumped for each run, so a run whose dataset has changed stops.
    let generation = use_mut_ref(|| Rc::new(Cell::new(0u64)));
    let dispatcher = state.dispatcher();
    let (dataset, catalog, stale) = (
        state.ws.dataset().clone(),
        state.ws.catalog.clone(),
        state.ws.stale(),
    );
    let state = state.clone();
    let key = (Rc::as_ptr(&dataset) as usize, stale);
    use_effect_with(key, move |_| {
        let current = generation.borrow().clone();
        current.set(current.get() + 1);
        let run = current.get();
        let stopped = move || current.get() != run;
        let next = match stale {
            Stale::Nothing => return,
            Stale::ReportData => {
                let failed = state.ws.failed_cells();
                // Two tasks: the entity charts' count over every
                // observation, then the rest (their gathering, another pass).
                wasm_bindgen_futures::spawn_local(async move {
                    services::next_task().await;
                    if stopped() {
                        return;
                    }
                    let counts = EntityCounts::new(&dataset);
                    services::next_task().await;
                    if stopped() {
                        return;
                    }
                    let data = ReportData::counted(&dataset, &catalog, &failed, counts);
                    // Their render (a dozen charts) in a task of its own:
                    // with the gathering it would hold a frame back.
                    services::next_task().await;
                    if stopped() {
                        return;
                    }
                    dispatcher.dispatch(Action::ReportDataBuilt(dataset.clone(), Arc::new(data)));
                });
                return;
            }
            Stale::Document => Action::RefreshDocument,
            Stale::Checks => {
                wasm_bindgen_futures::spawn_local(async move {
                    let mut checking = Checking::new(&dataset, &catalog);
                    let mut slice_began = services::now_ms();
                    while !checking.step(STEP) {
                        if services::now_ms() - slice_began < SLICE_MS {
                            continue;
                        }
                        services::next_task().await;
                        if stopped() {
                            return;
                        }
                        slice_began = services::now_ms();
                    }
                    let findings = checking.finish();
                    dispatcher.dispatch(Action::Checked(dataset.clone(), findings));
                });
                return;
            }
        };
        wasm_bindgen_futures::spawn_local(async move {
            services::next_task().await;
            dispatcher.dispatch(next);
        });
    });
}
