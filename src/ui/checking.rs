//! Runs the checks of a dataset the workspace left unchecked (a large read)
//! a slice at a time, each in a task of its own, so the page paints between
//! slices (`check::Checking`); the findings come back as `Action::Checked`,
//! and the report follows in a task of its own (`Action::RefreshReportData`).

use super::state::{Action, State};
use crate::services;
use baocao::check::Checking;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// About this many observations' worth of checking per task: some 20–40 ms
/// of the page's wasm.
const BUDGET: usize = 30_000;

#[hook]
pub fn use_checking(state: &UseReducerHandle<State>) {
    // Bumped for each run, so a run whose dataset has changed stops.
    let generation = use_mut_ref(|| Rc::new(Cell::new(0u64)));
    let dispatcher = state.dispatcher();
    let (dataset, catalog, unchecked) = (
        state.ws.dataset.clone(),
        state.ws.catalog.clone(),
        state.ws.unchecked,
    );
    let key = (Rc::as_ptr(&dataset) as usize, unchecked);
    use_effect_with(key, move |_| {
        let current = generation.borrow().clone();
        current.set(current.get() + 1);
        let run = current.get();
        if unchecked {
            wasm_bindgen_futures::spawn_local(async move {
                let mut checking = Checking::new(&dataset, &catalog);
                while !checking.step(BUDGET) {
                    services::next_task().await;
                    if current.get() != run {
                        return;
                    }
                }
                let findings = checking.finish();
                dispatcher.dispatch(Action::Checked(dataset.clone(), findings));
            });
        }
    });
    // The findings have been shown; the report's data, then the report,
    // follow in tasks of their own.
    let dispatcher = state.dispatcher();
    let stale = (state.ws.report_stale, state.ws.document_stale);
    use_effect_with(stale, move |&(data, document)| {
        let next = if data {
            Some(Action::RefreshReportData)
        } else if document {
            Some(Action::RefreshDocument)
        } else {
            None
        };
        if let Some(action) = next {
            wasm_bindgen_futures::spawn_local(async move {
                services::next_task().await;
                dispatcher.dispatch(action);
            });
        }
    });
}
