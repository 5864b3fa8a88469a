//! Taking dropped files' bytes. The workspace registers a dropped file at
//! the drop (with its id); this hook takes the bytes of each file it
//! expects, once, and says what each was: a catalogue, a workspace file, or
//! data, which arrives under the id the drop gave it.

use super::state::{Action, Notice, State};
use crate::services;
use baocao::classify::{classify, Dropped};
use baocao::model::FileId;
use baocao::snapshot;
use baocao::workspace::InputFile;
use std::collections::HashSet;
use std::sync::Arc;
use web_sys::File;
use yew::prelude::*;

#[hook]
pub fn use_arrivals(state: &UseReducerHandle<State>) {
    let taking = use_mut_ref(HashSet::<FileId>::new);
    let expected: Vec<FileId> = state.ws.arriving().iter().map(|a| a.id).collect();
    let state = state.clone();
    use_effect_with(expected, move |expected| {
        let mut taking = taking.borrow_mut();
        taking.retain(|id| expected.contains(id));
        let new: Vec<(FileId, File)> = expected
            .iter()
            .filter(|id| !taking.contains(id))
            .filter_map(|id| Some((*id, state.dropped_file(*id)?.clone())))
            .collect();
        if !new.is_empty() {
            taking.extend(new.iter().map(|(id, _)| *id));
            wasm_bindgen_futures::spawn_local(take(state, new));
        }
    });
}

/// Takes the files' bytes, in the order they were dropped: catalogues are
/// put in place first, then workspace files, then the data arrive (read
/// with the catalogue of the same drop). A file the browser would not hand
/// over is a notice naming it.
async fn take(state: UseReducerHandle<State>, files: Vec<(FileId, File)>) {
    let (mut data, mut gone, mut notices) = (Vec::new(), Vec::new(), Vec::new());
    let (mut catalogs, mut snapshots) = (Vec::new(), Vec::new());
    for (id, file) in files {
        let name = file.name();
        match services::bytes_of(&file).await {
            Ok(bytes) => match classify(&name, &bytes) {
                Dropped::Catalog => catalogs.push((id, name, bytes)),
                Dropped::Workspace => snapshots.push((id, name, bytes)),
                Dropped::Data => data.push(InputFile {
                    id,
                    name,
                    bytes: Arc::new(bytes),
                }),
            },
            Err(e) => {
                gone.push(id);
                notices.push(Notice::new(
                    format!("Không đọc được tệp {name}: {e}"),
                    format!("Could not read {name}: {e}"),
                ));
            }
        }
    }
    // Taking a large file's bytes into wasm is a task's worth on its own
    // (38 MB: tens of ms); the workspace's update and its render get the
    // next one, so a frame can come between.
    services::next_task().await;
    for (id, name, bytes) in catalogs {
        gone.push(id);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        state.dispatch(Action::SetCatalog(name, text));
    }
    // A workspace file replaces the workspace; a damaged one leaves it alone.
    for (id, name, bytes) in snapshots {
        gone.push(id);
        match snapshot::read(&bytes, &state.ws.limits, state.ws.read_elsewhere_over) {
            Ok(ws) => state.dispatch(Action::Import(Box::new(ws))),
            Err(e) => notices.push(Notice::new(
                format!("Không mở được không gian làm việc {name}: {e}"),
                format!("Could not open the workspace {name}: {e}"),
            )),
        }
    }
    state.dispatch(Action::Arrived(data, gone, notices));
}
