//! Nothing lost: the workspace is restored from IndexedDB when the page opens
//! and saved after every change of an input. The edits (template, header,
//! encodings, catalogue) are one small record written every time; each
//! file's bytes are a record of their own, written once, when the file
//! arrives, and deleted when it leaves — so typing in the header of a
//! workspace holding a 40 MB file writes kilobytes, not 40 MB.

use super::state::{Action, State};
use crate::services;
use baocao::snapshot;
use baocao::workspace::Workspace;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use yew::prelude::*;

/// The record of the edits (a snapshot naming its files by record key).
const EDITS: &str = "edits";
/// Where session 1's builds kept the whole snapshot: read once, then deleted.
const LEGACY: &str = "current";

/// Files already stored, by the address of their bytes: (record key, the
/// bytes, held so that the address cannot be reused by another file).
type Stored = HashMap<usize, (String, Arc<Vec<u8>>)>;

fn address(bytes: &Arc<Vec<u8>>) -> usize {
    Arc::as_ptr(bytes) as usize
}

#[hook]
pub fn use_storage(state: &UseReducerHandle<State>) {
    let stored = use_mut_ref(Stored::new);
    {
        // Restore what an earlier visit saved.
        let (state, stored) = (state.clone(), stored.clone());
        use_effect_with((), move |_| {
            services::request_persistent_storage();
            wasm_bindgen_futures::spawn_local(async move {
                let (ws, notices) = match restore(&state.ws).await {
                    Ok(Some((ws, keys))) => {
                        let mut stored = stored.borrow_mut();
                        for (f, key) in ws.files.iter().zip(keys) {
                            stored.insert(address(&f.bytes), (key, f.bytes.clone()));
                        }
                        (Some(Box::new(ws)), Vec::new())
                    }
                    Ok(None) => (None, Vec::new()),
                    Err(e) => (
                        None,
                        vec![format!("Không khôi phục được phiên làm việc trước: {e}")],
                    ),
                };
                state.dispatch(Action::Restored(ws, notices));
            });
        });
    }
    // Save after every change of an input, once the restore is done.
    let state = state.clone();
    use_effect_with(
        (state.inputs_version, state.restored),
        move |(_, restored)| {
            if !*restored {
                return;
            }
            let ws = &state.ws;
            let mut map = stored.borrow_mut();
            let stamp = services::now_ms() as u64;
            let mut puts = Vec::new();
            let keys: Vec<String> = ws
                .files
                .iter()
                .enumerate()
                .map(|(i, f)| match map.get(&address(&f.bytes)) {
                    Some((key, _)) => key.clone(),
                    None => {
                        let key = format!("file:{stamp}:{i}");
                        map.insert(address(&f.bytes), (key.clone(), f.bytes.clone()));
                        puts.push((key.clone(), f.bytes.clone()));
                        key
                    }
                })
                .collect();
            let live: HashSet<usize> = ws.files.iter().map(|f| address(&f.bytes)).collect();
            let mut deletes: Vec<String> = map
                .iter()
                .filter(|(a, _)| !live.contains(a))
                .map(|(_, (key, _))| key.clone())
                .collect();
            map.retain(|a, _| live.contains(a));
            deletes.push(LEGACY.into());
            let edits = match snapshot::write_edits(ws, &keys) {
                Ok(edits) => edits,
                Err(e) => return state.dispatch(Action::StorageFailed(e)),
            };
            puts.push((EDITS.into(), Arc::new(edits)));
            drop(map);
            let stored = stored.clone();
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = services::save_records(&puts, &deletes).await {
                    // Nothing of this save was kept: write every file again next time.
                    stored.borrow_mut().clear();
                    state.dispatch(Action::StorageFailed(e));
                }
            });
        },
    );
}

/// The workspace an earlier visit saved, with the record key of each file.
async fn restore(current: &Workspace) -> Result<Option<(Workspace, Vec<String>)>, String> {
    let (limits, over) = (&current.limits, current.read_elsewhere_over);
    if let Some(edits) = services::load_record(EDITS).await? {
        let keys = snapshot::stored_file_keys(&edits, limits)?;
        let mut files = HashMap::new();
        for key in &keys {
            if let Some(bytes) = services::load_record(key).await? {
                files.insert(key.clone(), bytes);
            }
        }
        let ws = snapshot::read_stored(&edits, &mut files, limits, over)?;
        return Ok(Some((ws, keys)));
    }
    match services::load_record(LEGACY).await? {
        Some(bytes) => Ok(Some((snapshot::read(&bytes, limits, over)?, Vec::new()))),
        None => Ok(None),
    }
}
