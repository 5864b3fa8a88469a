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

/// About this many observations' worth of checking per task: some 20–40 ms
/// of the page's wasm.
const BUDGET: usize = 30_000;

#[hook]
pub fn use_checking(state: &UseReducerHandle<State>) {
    // Bumped for each run, so a run whose dataset has changed stops.
    let generation = use_mut_ref(|| Rc::new(Cell::new(0u64)));
    let dispatcher = state.dispatcher();
    let (dataset, catalog, stale) = (
        state.ws.dataset.clone(),
        state.ws.catalog.clone(),
        state.ws.stale,
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
                    dispatcher.dispatch(Action::ReportDataBuilt(dataset.clone(), Arc::new(data)));
                });
                return;
            }
            Stale::Document => Action::RefreshDocument,
            Stale::Checks => {
                wasm_bindgen_futures::spawn_local(async move {
                    let mut checking = Checking::new(&dataset, &catalog);
                    while !checking.step(BUDGET) {
                        services::next_task().await;
                        if stopped() {
                            return;
                        }
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
