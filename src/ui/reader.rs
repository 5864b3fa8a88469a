//! Large files are read by the reader worker ([`baocao::worker`]), so the
//! page keeps painting: this hook starts a job for each file the workspace
//! leaves pending, passes progress to the state, assembles the chunks of the
//! reply, and cancels the jobs of files that went away (removed, replaced,
//! re-encoded, or cancelled by the user).

use super::state::{Action, State};
use baocao::wire::Assembler;
use baocao::worker::{ReaderWorker, Reply, Request};
use baocao::workspace::PendingRead;
use gloo_worker::{Spawnable, WorkerBridge};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use yew::prelude::*;

/// Files larger than this go to the worker; smaller ones are read in place
/// (reading 1 MiB takes less than a frame or two, a worker's start more).
pub const READ_IN_WORKER_OVER: usize = 1 << 20;

struct Job {
    pending: PendingRead,
    assembler: Option<Assembler>,
}

#[derive(Default)]
struct Jobs {
    bridge: Option<WorkerBridge<ReaderWorker>>,
    next: u32,
    running: HashMap<u32, Job>,
}

#[hook]
pub fn use_reader(state: &UseReducerHandle<State>) {
    let jobs = use_mut_ref(Jobs::default);
    let dispatcher = state.dispatcher();
    let (catalog, limits) = (state.ws.catalog_text.clone(), state.ws.limits.clone());
    use_effect_with(state.ws.pending.clone(), move |pending| {
        let mut guard = jobs.borrow_mut();
        let j = &mut *guard;
        let gone: Vec<u32> = j
            .running
            .iter()
            .filter(|(_, job)| !pending.contains(&job.pending))
            .map(|(id, _)| *id)
            .collect();
        for id in gone {
            j.running.remove(&id);
            if let Some(bridge) = &j.bridge {
                bridge.send(Request::Cancel { job: id });
            }
        }
        for p in pending {
            if j.running.values().any(|job| job.pending == *p) {
                continue;
            }
            let bridge = j
                .bridge
                .get_or_insert_with(|| spawn(jobs.clone(), dispatcher.clone()));
            let id = j.next;
            j.next += 1;
            bridge.send(Request::Read {
                job: id,
                name: p.name.clone(),
                bytes: p.bytes.to_vec(),
                encoding: p.encoding,
                file: p.file,
                catalog: catalog.clone(),
                limits: limits.clone(),
            });
            j.running.insert(
                id,
                Job {
                    pending: p.clone(),
                    assembler: None,
                },
            );
        }
    });
}

fn spawn(
    jobs: Rc<RefCell<Jobs>>,
    dispatcher: UseReducerDispatcher<State>,
) -> WorkerBridge<ReaderWorker> {
    ReaderWorker::spawner()
        .callback(move |reply| {
            // The action leaves the borrow before it is dispatched.
            let action = {
                let mut j = jobs.borrow_mut();
                match reply {
                    Reply::Progress { job, done } => j
                        .running
                        .get(&job)
                        .map(|r| Action::ReadProgress(r.pending.name.clone(), done)),
                    Reply::Head { job, head } => {
                        if let Some(r) = j.running.get_mut(&job) {
                            r.assembler = Some(Assembler::new(head));
                        }
                        None
                    }
                    Reply::Chunk { job, observations } => {
                        if let Some(a) = j.running.get_mut(&job).and_then(|r| r.assembler.as_mut())
                        {
                            a.add(observations);
                        }
                        None
                    }
                    Reply::Done { job } => match j.running.remove(&job) {
                        Some(Job {
                            pending,
                            assembler: Some(a),
                        }) => Some(Action::ReadDone(pending, Box::new(a.finish()))),
                        _ => None,
                    },
                    Reply::Cancelled { .. } => None,
                    // The file stays, with the reason it could not be read.
                    Reply::Failed { job, message } => j.running.remove(&job).map(|r| {
                        let read = baocao::ingest::FileRead {
                            source: baocao::model::SourceFile {
                                name: r.pending.name.clone(),
                                ..Default::default()
                            },
                            observations: Vec::new(),
                            findings: vec![baocao::model::Finding::new(
                                baocao::model::Severity::Error,
                                "read.failed",
                                format!("Không đọc được tệp: {message}"),
                                format!("The file could not be read: {message}"),
                            )
                            .in_file(r.pending.file)],
                        };
                        Action::ReadDone(r.pending, Box::new(read))
                    }),
                }
            };
            if let Some(action) = action {
                dispatcher.dispatch(action);
            }
        })
        // Trunk's loader beside index.html, wherever the page is hosted: a
        // file of this origin, so the CSP needs no blob: workers.
        .spawn_with_loader("reader_loader.js")
}
