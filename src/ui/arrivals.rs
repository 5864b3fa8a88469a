//! Taking dropped files in. The workspace registers a dropped file at the
//! drop (with its id); this hook takes each file it expects, once, and says
//! what it was: a catalogue, a workspace file, or data, which arrives under
//! the id the drop gave it. A data file the worker reads (a large one, a
//! workbook) stays with the browser: the page takes its first bytes only.

use super::state::{Action, Notice, State};
use crate::services;
use baocao::classify::{classify, Dropped};
use baocao::ingest::is_workbook_name;
use baocao::model::FileId;
use baocao::snapshot;
use baocao::workspace::{Arriving, Content, InputFile};
use std::collections::HashSet;
use std::sync::Arc;
use web_sys::Blob;
use yew::prelude::*;

#[hook]
pub fn use_arrivals(state: &UseReducerHandle<State>) {
    let taking = use_mut_ref(HashSet::<FileId>::new);
    let expected: Vec<Arriving> = state.ws.arriving().to_vec();
    let state = state.clone();
    use_effect_with(expected, move |expected| {
        let mut taking = taking.borrow_mut();
        taking.retain(|id| expected.iter().any(|a| a.id == *id));
        let new: Vec<(Arriving, Blob)> = expected
            .iter()
            .filter(|a| !taking.contains(&a.id))
            .filter_map(|a| Some((a.clone(), state.handle(a.id)?.clone())))
            .collect();
        if !new.is_empty() {
            taking.extend(new.iter().map(|(a, _)| a.id));
            wasm_bindgen_futures::spawn_local(take(state, new));
        }
    });
}

/// A dropped file taken in.
enum Taken {
    /// Its bytes, or only its first bytes when the worker reads it.
    Data(Content),
    Catalog(Vec<u8>),
    Workspace(Vec<u8>),
}

/// What a dropped file is, with as much of it as the page keeps.
async fn take_one(state: &State, arriving: &Arriving, file: &Blob) -> Result<Taken, String> {
    let name = &arriving.name;
    if state.ws.reads_elsewhere(name, arriving.size) {
        let elsewhere = services::elsewhere_of(file).await?;
        // A zip that is not a workbook may be a workspace file, known only
        // from the whole of it.
        let zip = elsewhere.head.starts_with(b"PK") && !is_workbook_name(&name.to_lowercase());
        if classify(name, &elsewhere.head) == Dropped::Data && !zip {
            return Ok(Taken::Data(Content::Elsewhere(elsewhere)));
        }
    }
    let bytes = services::bytes_of(file).await?;
    Ok(match classify(name, &bytes) {
        Dropped::Data => Taken::Data(Content::Here(Arc::new(bytes))),
        Dropped::Catalog => Taken::Catalog(bytes),
        Dropped::Workspace => Taken::Workspace(bytes),
    })
}

/// Takes the files' bytes, in the order they were dropped: catalogues are
/// put in place first, then workspace files, then the data arrive (read
/// with the catalogue of the same drop). A file the browser would not hand
/// over is a notice naming it.
async fn take(state: UseReducerHandle<State>, files: Vec<(Arriving, Blob)>) {
    let (mut data, mut gone, mut notices) = (Vec::new(), Vec::new(), Vec::new());
    let (mut catalogs, mut snapshots) = (Vec::new(), Vec::new());
    for (arriving, file) in files {
        let (id, name) = (arriving.id, arriving.name.clone());
        match take_one(&state, &arriving, &file).await {
            Ok(Taken::Data(content)) => data.push(InputFile { id, name, content }),
            Ok(Taken::Catalog(bytes)) => catalogs.push((id, name, bytes)),
            Ok(Taken::Workspace(bytes)) => snapshots.push((id, name, bytes)),
            Err(e) => {
                gone.push(id);
                notices.push(Notice::new(
                    format!("Không đọc được tệp {name}: {e}"),
                    format!("Could not read {name}: {e}"),
                ));
            }
        }
    }
    // Taking a large workspace file's bytes into wasm is a task's worth on
    // its own (38 MB: tens of ms); the workspace's update and its render get
    // the next one, so a frame can come between.
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
