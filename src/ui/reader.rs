//! The page's side of the reader worker ([`baocao::worker`]). The page's own
//! wasm has no spreadsheet reader or XLSX writer (they keep its first load
//! small); the worker has both, and reads large text files off the page's
//! thread so the page keeps painting.
//!
//! [`use_reader`] starts a job for each file the workspace leaves pending,
//! passes progress to the state, assembles the chunks of the reply, and
//! cancels the jobs of files that went away (removed, replaced, re-encoded, or
//! stopped by the user). [`Reader::ask`] sends one-off requests (workbooks to
//! download, rows of a sheet to show).

use super::state::{Action, State};
use crate::services::BlobUrl;
use baocao::ingest::FileRead;
use baocao::model::{Finding, Severity, SourceFile};
use baocao::wire::Assembler;
use baocao::worker::{FileBytes, ReaderWorker, Reply, Request};
use baocao::workspace::PendingRead;
use gloo_worker::{Spawnable, WorkerBridge};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use yew::prelude::*;

/// Text files larger than this go to the worker; smaller ones are read in
/// place (reading 1 MiB takes a frame or two, a worker's start more).
/// Spreadsheets always go to the worker.
pub const READ_IN_WORKER_OVER: usize = 1 << 20;

struct Job {
    pending: PendingRead,
    /// From 0 to 1.
    done: f64,
    assembler: Assembler,
    /// Where the worker fetches the file from; revoked with the job.
    _bytes: Option<BlobUrl>,
}

/// How far the worker is with each pending file: (name, 0 to 1). Kept apart
/// from the reducer's state, so a progress tick repaints the bar, not the
/// whole page.
pub type Progress = Rc<Vec<(String, f64)>>;

type Answer = Box<dyn FnOnce(Reply)>;

struct Jobs {
    bridge: Option<WorkerBridge<ReaderWorker>>,
    dispatcher: UseReducerDispatcher<State>,
    next: u32,
    reads: HashMap<u32, Job>,
    asks: HashMap<u32, Answer>,
    progress: UseStateSetter<Progress>,
}

impl Jobs {
    /// The progress of every running read, to show once the borrow is over.
    fn progress(&self) -> Progress {
        Rc::new(
            self.reads
                .values()
                .map(|j| (j.pending.name.clone(), j.done))
                .collect(),
        )
    }
}

/// A handle on the worker, for components that need to ask it something.
#[derive(Clone)]
pub struct Reader(Rc<RefCell<Jobs>>);

impl PartialEq for Reader {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Reader {
    /// Sends the request `make(job)` and calls `then` with the worker's reply
    /// (a `Failed` one too), once.
    pub fn ask(&self, make: impl FnOnce(u32) -> Request, then: impl FnOnce(Reply) + 'static) {
        let mut jobs = self.0.borrow_mut();
        let job = jobs.next;
        jobs.next += 1;
        jobs.asks.insert(job, Box::new(then));
        let request = make(job);
        self.bridge(&mut jobs).send(request);
    }

    /// Starts the worker if it is not running (a file is being dragged in).
    pub fn warm(&self) {
        let mut jobs = self.0.borrow_mut();
        self.bridge(&mut jobs);
    }

    fn bridge<'j>(&self, jobs: &'j mut Jobs) -> &'j WorkerBridge<ReaderWorker> {
        let shared = self.0.clone();
        jobs.bridge.get_or_insert_with(|| spawn(shared))
    }
}

#[hook]
pub fn use_reader(state: &UseReducerHandle<State>) -> (Reader, Progress) {
    let dispatcher = state.dispatcher();
    let progress = use_state(Progress::default);
    let setter = progress.setter();
    let reader = use_memo((), move |_| {
        Reader(Rc::new(RefCell::new(Jobs {
            bridge: None,
            dispatcher,
            next: 0,
            reads: HashMap::new(),
            asks: HashMap::new(),
            progress: setter,
        })))
    });
    let reader = (*reader).clone();
    let (catalog, limits) = (state.ws.catalog_text.clone(), state.ws.limits.clone());
    {
        let reader = reader.clone();
        use_effect_with(state.ws.pending.clone(), move |pending| {
            let mut guard = reader.0.borrow_mut();
            let jobs = &mut *guard;
            let gone: Vec<u32> = jobs
                .reads
                .iter()
                .filter(|(_, job)| !pending.contains(&job.pending))
                .map(|(id, _)| *id)
                .collect();
            for job in gone {
                jobs.reads.remove(&job);
                if let Some(bridge) = &jobs.bridge {
                    bridge.send(Request::Cancel { job });
                }
            }
            for p in pending {
                if jobs.reads.values().any(|job| job.pending == *p) {
                    continue;
                }
                let job = jobs.next;
                jobs.next += 1;
                let url = BlobUrl::new(&p.bytes).ok();
                let bytes = match &url {
                    Some(url) => FileBytes::Url(url.as_str().to_string()),
                    None => FileBytes::Inline(p.bytes.to_vec()),
                };
                reader.bridge(jobs).send(Request::Read {
                    job,
                    name: p.name.clone(),
                    bytes,
                    encoding: p.encoding,
                    file: p.file,
                    catalog: catalog.clone(),
                    limits: limits.clone(),
                });
                jobs.reads.insert(
                    job,
                    Job {
                        pending: p.clone(),
                        done: 0.0,
                        assembler: Assembler::new(),
                        _bytes: url,
                    },
                );
            }
            let (shown, setter) = (jobs.progress(), jobs.progress.clone());
            drop(guard);
            setter.set(shown);
        });
    }
    (reader, (*progress).clone())
}

/// What to do with a reply, decided inside the borrow and done after it.
enum Then {
    Dispatch(Action),
    Answer(Answer, Reply),
}

fn spawn(jobs: Rc<RefCell<Jobs>>) -> WorkerBridge<ReaderWorker> {
    ReaderWorker::spawner()
        .callback(move |reply| {
            let then = {
                let mut j = jobs.borrow_mut();
                let dispatch = j.dispatcher.clone();
                let job = reply.job();
                let wants_next = matches!(reply, Reply::Head { .. } | Reply::Chunk { .. });
                let read_ended = matches!(
                    reply,
                    Reply::Done { .. } | Reply::Failed { .. } | Reply::Cancelled { .. }
                );
                let moved = matches!(reply, Reply::Progress { .. }) || read_ended;
                // One chunk at a time, each in a task of its own, so the page
                // paints between them; asked for before this one is decoded,
                // so the worker sends it meanwhile.
                if wants_next && j.reads.contains_key(&job) {
                    if let Some(bridge) = &j.bridge {
                        bridge.send(Request::Next { job });
                    }
                }
                let then = match j.asks.remove(&job) {
                    Some(answer) => Some(Then::Answer(answer, reply)),
                    None => on_read_reply(&mut j.reads, reply).map(Then::Dispatch),
                };
                let shown = moved.then(|| (j.progress(), j.progress.clone()));
                // A worker that has read a large file holds its memory: once
                // nothing is left to do, let it go (the next request starts
                // a fresh one).
                let idle = read_ended && j.reads.is_empty() && j.asks.is_empty();
                let retired = if idle { j.bridge.take() } else { None };
                (then.map(|then| (then, dispatch)), shown, retired)
            };
            let (then, shown, retired) = then;
            drop(retired);
            if let Some((progress, setter)) = shown {
                setter.set(progress);
            }
            match then {
                Some((Then::Dispatch(action), dispatch)) => dispatch.dispatch(action),
                Some((Then::Answer(answer, reply), _)) => answer(reply),
                None => {}
            }
        })
        // Trunk's loader beside index.html, wherever the page is hosted: a
        // file of this origin, so the CSP needs no blob: workers.
        .spawn_with_loader("reader_loader.js")
}

fn on_read_reply(reads: &mut HashMap<u32, Job>, reply: Reply) -> Option<Action> {
    match reply {
        Reply::Progress { job, done } => {
            if let Some(r) = reads.get_mut(&job) {
                r.done = done;
                r.assembler.make_room(done);
            }
            None
        }
        Reply::Head { job, head } => {
            if let Some(r) = reads.get_mut(&job) {
                r.assembler.head(head);
            }
            None
        }
        Reply::Streamed { job, chunk } | Reply::Chunk { job, chunk } => {
            if let Some(r) = reads.get_mut(&job) {
                r.assembler.add(&chunk);
            }
            None
        }
        Reply::Done { job } => {
            let job = reads.remove(&job)?;
            Some(match job.assembler.finish() {
                Some(read) => Action::ReadDone(job.pending, Box::new(read)),
                // Only a damaged exchange ends without a head.
                None => failed(job.pending, "tiến trình đọc không gửi đủ kết quả"),
            })
        }
        Reply::Failed { job, message } => reads.remove(&job).map(|r| failed(r.pending, &message)),
        Reply::Cancelled { .. } | Reply::Workbook { .. } | Reply::SheetRows { .. } => None,
    }
}

/// The file stays, with the reason it could not be read.
fn failed(pending: PendingRead, message: &str) -> Action {
    let read = FileRead {
        source: SourceFile {
            name: pending.name.clone(),
            ..Default::default()
        },
        observations: Vec::new(),
        findings: vec![Finding::new(
            Severity::Error,
            "read.failed",
            format!("Không đọc được tệp: {message}"),
            format!("The file could not be read: {message}"),
        )
        .in_file(pending.file)],
    };
    Action::ReadDone(pending, Box::new(read))
}
