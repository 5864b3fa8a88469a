//! Nothing lost: the workspace is restored from IndexedDB when the page opens
//! and saved after every change of an input. The edits (template, header,
//! encodings, catalogue) are one small record written every time; each
//! file's bytes are a record of their own, written once, when the file
//! arrives, and deleted when it leaves — so typing in the header of a
//! workspace holding a 40 MB file writes kilobytes, not 40 MB.

use super::state::{Action, Notice, State};
use crate::services;
use baocao::model::FileId;
use baocao::snapshot;
use baocao::workspace::{Content, Workspace};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use web_sys::Blob;
use yew::prelude::*;

/// The record of the edits (a snapshot naming its files by record key).
const EDITS: &str = "edits";
/// Where older builds kept the whole snapshot: read once, then deleted.
const LEGACY: &str = "current";
/// How long after a failed save it is tried again.
const RETRY_SAVE_MS: i32 = 5_000;
use services::BACKUP;

/// Files already stored: the key of each one's record, by its id.
type Stored = HashMap<FileId, String>;

#[hook]
pub fn use_storage(state: &UseReducerHandle<State>) {
    let stored = use_mut_ref(Stored::new);
    // The edits record of a workspace that could not be restored, to keep.
    let backup = use_mut_ref(|| None::<Vec<u8>>);
    {
        // Restore what an earlier visit saved.
        let (state, stored, backup) = (state.clone(), stored.clone(), backup.clone());
        use_effect_with((), move |_| {
            services::request_persistent_storage();
            wasm_bindgen_futures::spawn_local(async move {
                // One tab writes: another that holds the workspace leaves this
                // one reading only, until the user takes it over here.
                let lost = {
                    let state = state.clone();
                    move || state.dispatch(Action::ReadOnly(true))
                };
                let writer = services::claim_workspace(services::taking_over(), lost).await;
                state.dispatch(Action::ReadOnly(!writer));
                if writer {
                    services::forget_reading_on_leave();
                    if let Err(e) = services::adopt_legacy_records().await {
                        state.dispatch(Action::Notice(Notice::new(
                            format!("Không chuyển được không gian làm việc đã lưu trước đây: {e}"),
                            format!("Could not move the workspace saved earlier: {e}"),
                        )));
                    }
                }
                // The files the last visit was reading when it died.
                let held = services::noted_reading();
                let (ws, handles, notices) = match restore(&state.ws, &held).await {
                    Ok(Some(Restore {
                        ws,
                        keys,
                        handles,
                        missing,
                    })) => {
                        let mut stored = stored.borrow_mut();
                        for f in &ws.files {
                            // Each file back with the key of its record.
                            if let Some(key) = keys.iter().find(|(name, _)| *name == f.name) {
                                stored.insert(f.id, key.1.clone());
                            }
                        }
                        let notices = missing
                            .iter()
                            .map(|name| Notice::new(
                                format!("Không tìm thấy tệp {name} trong bộ nhớ của trình duyệt; các phần khác đã được khôi phục. Hãy thả lại tệp này."),
                                format!("The file {name} is not in the browser's storage; the rest was restored. Drop this file again."),
                            ))
                            .collect();
                        (Some(Box::new(ws)), handles, notices)
                    }
                    Ok(None) => (None, Vec::new(), Vec::new()),
                    Err((e, edits)) => {
                        state.dispatch(Action::BackupKept(edits.is_some()));
                        *backup.borrow_mut() = edits;
                        (
                            None,
                            Vec::new(),
                            vec![Notice::new(
                                format!("Không khôi phục được phiên làm việc trước: {e}. Bản đã lưu được giữ lại làm bản sao lưu, không bị ghi đè."),
                                format!("The last session could not be restored: {e}. What was saved is kept as a backup, not overwritten."),
                            )],
                        )
                    }
                };
                // A backup kept on an earlier visit waits for the user's decision.
                if let Ok(Some(_)) = services::load_record(BACKUP).await {
                    state.dispatch(Action::BackupKept(true));
                }
                state.dispatch(Action::Restored(ws, handles, notices));
            });
        });
    }
    {
        // The files being read, noted at once (see `services::note_reading`).
        let reading: Vec<String> = state.ws.pending().into_iter().map(|p| p.name).collect();
        let writes = state.restored && !state.read_only;
        use_effect_with((reading, writes), |(reading, writes)| {
            if *writes {
                services::note_reading(reading);
            }
        });
    }
    // Save after every change of an input, once the restore is done, in the
    // tab that writes.
    let state = state.clone();
    use_effect_with(
        (
            state.inputs_version,
            state.restored,
            state.read_only,
            state.save_attempt,
        ),
        move |(_, restored, read_only, _)| {
            if !*restored || *read_only {
                return;
            }
            let ws = &state.ws;
            let mut map = stored.borrow_mut();
            let stamp = services::now_ms() as u64;
            let mut puts = Vec::new();
            let mut keys = Vec::new();
            for f in &ws.files {
                let key = match map.get(&f.id) {
                    Some(key) => key.clone(),
                    None => {
                        let key = format!("file:{stamp}:{}", f.id);
                        match state.blob_of(f) {
                            Ok(blob) => puts.push((key.clone(), blob)),
                            Err(e) => return state.dispatch(Action::StorageFailed(e)),
                        }
                        map.insert(f.id, key.clone());
                        key
                    }
                };
                keys.push(key);
            }
            let live: HashSet<FileId> = ws.files.iter().map(|f| f.id).collect();
            let mut deletes: Vec<String> = map
                .iter()
                .filter(|(id, _)| !live.contains(id))
                .map(|(_, key)| key.clone())
                .collect();
            map.retain(|id, _| live.contains(id));
            deletes.push(LEGACY.into());
            let edits = match snapshot::write_edits(ws, &keys) {
                Ok(edits) => edits,
                Err(e) => return state.dispatch(Action::StorageFailed(e)),
            };
            // A workspace that could not be restored is kept before the first save.
            let records = [
                backup.borrow_mut().take().map(|old| (BACKUP, old)),
                Some((EDITS, edits)),
            ];
            for (key, bytes) in records.into_iter().flatten() {
                match services::blob_of(&bytes, None) {
                    Ok(blob) => puts.push((key.to_string(), blob)),
                    Err(e) => return state.dispatch(Action::StorageFailed(e)),
                }
            }
            drop(map);
            let stored = stored.clone();
            let state = state.clone();
            let had_failed = state.save_failed.is_some();
            wasm_bindgen_futures::spawn_local(async move {
                match services::save_records(&puts, &deletes, Some(&keys)).await {
                    Ok(()) if had_failed => state.dispatch(Action::Saved),
                    Ok(()) => {}
                    Err(e) => {
                        // Nothing of this save was kept: write every file again next time.
                        stored.borrow_mut().clear();
                        state.dispatch(Action::StorageFailed(e));
                        let retry = state.clone();
                        services::after_ms(RETRY_SAVE_MS, move || {
                            retry.dispatch(Action::RetrySave)
                        });
                    }
                }
            });
        },
    );
}

/// What a restore brought back: the workspace, each file's record key by
/// its name, the records the page keeps for the workspace (the files it
/// would read elsewhere: their bytes stay with the browser), and the names
/// of files whose records were gone.
struct Restore {
    ws: Workspace,
    keys: Vec<(String, String)>,
    handles: Vec<(FileId, Blob)>,
    missing: Vec<String>,
}

/// The workspace an earlier visit saved, as much of it as is there, with
/// the files in `held` not read. A failure says why, with the edits record
/// that failed (to keep).
async fn restore(
    current: &Workspace,
    held: &[String],
) -> Result<Option<Restore>, (String, Option<Vec<u8>>)> {
    let (limits, over) = (&current.limits, current.read_elsewhere_over);
    if let Some(edits) = services::load_record(EDITS).await.map_err(|e| (e, None))? {
        let failed = |e: String| (e, Some(edits.clone()));
        let keys = snapshot::stored_files(&edits, limits).map_err(failed)?;
        let (mut files, mut blobs) = (HashMap::new(), HashMap::new());
        for (name, key) in &keys {
            let Some(blob) = services::load_blob(key).await.map_err(failed)? else {
                continue;
            };
            let size = blob.size() as u64;
            let content = if current.reads_elsewhere(name, size) {
                let elsewhere = services::elsewhere_of(&blob).await.map_err(failed)?;
                blobs.insert(name.clone(), blob);
                Content::Elsewhere(elsewhere)
            } else {
                let bytes = services::bytes_of(&blob).await.map_err(failed)?;
                Content::Here(Arc::new(bytes))
            };
            files.insert(key.clone(), content);
        }
        let (ws, missing) = snapshot::read_stored_lenient(&edits, &mut files, limits, over, held)
            .map_err(failed)?;
        let handles = (ws.files.iter())
            .filter_map(|f| Some((f.id, blobs.remove(&f.name)?)))
            .collect();
        return Ok(Some(Restore {
            ws,
            keys,
            handles,
            missing,
        }));
    }
    match services::load_record(LEGACY).await.map_err(|e| (e, None))? {
        Some(bytes) => {
            let ws = snapshot::read(&bytes, limits, over).map_err(|e| (e, Some(bytes.clone())))?;
            Ok(Some(Restore {
                ws,
                keys: Vec::new(),
                handles: Vec::new(),
                missing: Vec::new(),
            }))
        }
        None => Ok(None),
    }
}
