//! The page's side of the reader worker ([`baocao::worker`]). The page's own
//! wasm has no spreadsheet reader or XLSX writer (they keep its first load
//! small); the worker has both, and reads large text files off the page's
//! thread so the page keeps painting.
//!
//! [`use_reader`] starts a job for each file the workspace leaves pending,
//! passes progress to the state, assembles the chunks of the reply, and
//! cancels the jobs of files that went away (removed, replaced, re-encoded, or
//! stopped by the user). A large file's read starts at the drop itself
//! ([`Reader::read_dropped`]), while the page is still taking the file's
//! bytes and updating: the pending file claims it when the workspace has it.
//! [`Reader::ask`] sends one-off requests (workbooks to download, rows of a
//! sheet to show).

use super::bridge::{self, Bridge, Heard};
use super::state::{Action, State};
use crate::services;
use baocao::ingest::{FileRead, Limits, TextEncoding};
use baocao::model::{Finding, Severity, SourceFile};
use baocao::protocol::{FileBytes, Reply, Request};
use baocao::wire::Assembler;
use baocao::workspace::{PendingRead, Workspace};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use web_sys::{Blob, File};
use yew::prelude::*;

struct Job {
    owner: Owner,
    /// The file id the read's cells carry (the file's place in the list,
    /// as known or guessed when the read began).
    read_as: u32,
    /// From 0 to 1.
    done: f64,
    assembler: Assembler,
}

/// Whom a read is for.
enum Owner {
    /// A file of the workspace waiting for it.
    Pending(PendingRead),
    /// A file just dropped, not yet in the workspace.
    Dropped(Dropped),
}

struct Dropped {
    name: String,
    file: Blob,
    /// What the read began with: a pending file that needs another
    /// encoding, catalogue or limits starts a read of its own.
    encoding: TextEncoding,
    catalog: String,
    limits: Limits,
    /// The read, when it ended before the workspace claimed it.
    ended: Option<Box<FileRead>>,
    /// The drop has handed the file to the workspace (`Reader::handed_over`):
    /// unclaimed after the pending files are next looked at, it is cancelled.
    handed_over: bool,
}

impl Job {
    fn name(&self) -> &str {
        match &self.owner {
            Owner::Pending(p) => &p.name,
            Owner::Dropped(d) => &d.name,
        }
    }

    fn is_for(&self, pending: &PendingRead) -> bool {
        matches!(&self.owner, Owner::Pending(p) if p == pending)
    }

    /// Whether this read of a dropped file can serve `pending`: the same
    /// file, read as the workspace would read it.
    fn can_serve(&self, pending: &PendingRead, ws: &Workspace, file: Option<&Blob>) -> bool {
        let Owner::Dropped(d) = &self.owner else {
            return false;
        };
        file.is_some_and(|f| d.file == *f)
            && d.encoding == pending.encoding
            && d.catalog == ws.catalog_text
            && d.limits == ws.limits
    }
}

/// How far the worker is with each pending file: (name, 0 to 1). Kept apart
/// from the reducer's state, so a progress tick repaints the bar, not the
/// whole page.
pub type Progress = Rc<Vec<(String, f64)>>;

type Answer = Box<dyn FnOnce(Reply)>;

struct Jobs {
    bridge: Option<Bridge>,
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
                .map(|j| (j.name().to_string(), j.done))
                .collect(),
        )
    }

    /// Cancels the reads of dropped files handed over to the workspace that
    /// no pending file claimed.
    fn cancel_unclaimed(&mut self) {
        let unclaimed: Vec<u32> = self
            .reads
            .iter()
            .filter(|(_, job)| matches!(&job.owner, Owner::Dropped(d) if d.handed_over))
            .map(|(id, _)| *id)
            .collect();
        for id in unclaimed {
            self.cancel_dropped(id);
        }
    }

    /// Drops the read of a dropped file, stopping the worker's if it runs.
    fn cancel_dropped(&mut self, id: u32) {
        let still_reading = self
            .reads
            .remove(&id)
            .is_some_and(|job| matches!(job.owner, Owner::Dropped(Dropped { ended: None, .. })));
        if let (true, Some(bridge)) = (still_reading, &self.bridge) {
            bridge.send(&Request::Cancel { job: id }, None);
        }
    }

    /// A worker that has read a large file holds its memory: once nothing
    /// is left to do, let it go (the next request starts a fresh one). The
    /// caller drops what this returns after its borrow.
    fn retire_if_idle(&mut self) -> Option<Bridge> {
        let idle = self.reads.is_empty() && self.asks.is_empty();
        if idle {
            self.bridge.take()
        } else {
            None
        }
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
        self.send(&mut jobs, request, None);
    }

    /// Starts the worker if it is not running (a file is being dragged in).
    pub fn warm(&self) {
        let mut jobs = self.0.borrow_mut();
        if jobs.bridge.is_none() {
            jobs.bridge = spawn(self.0.clone()).ok();
        }
    }

    /// Starts reading these just-dropped files as `ws` would read them,
    /// while the page takes their bytes; returns the jobs, for
    /// `handed_over`.
    pub fn read_dropped(&self, files: &[File], ws: &Workspace) -> Vec<u32> {
        let mut jobs = self.0.borrow_mut();
        let mut started = Vec::new();
        for file in files {
            let name = file.name();
            let (job, read_as, encoding) = (jobs.next, ws.place_for(&name), ws.encoding_for(&name));
            jobs.next += 1;
            self.send(
                &mut jobs,
                Request::Read {
                    job,
                    name: name.clone(),
                    bytes: FileBytes::Attached,
                    encoding,
                    file: read_as,
                    catalog: ws.catalog_text.clone(),
                    limits: ws.limits.clone(),
                },
                Some(file),
            );
            let owner = Owner::Dropped(Dropped {
                name,
                file: Blob::clone(file),
                encoding,
                catalog: ws.catalog_text.clone(),
                limits: ws.limits.clone(),
                ended: None,
                handed_over: false,
            });
            jobs.reads.insert(
                job,
                Job {
                    owner,
                    read_as,
                    done: 0.0,
                    assembler: Assembler::new(),
                },
            );
            started.push(job);
        }
        started
    }

    /// The drop that began these reads has just dispatched `data` to the
    /// workspace (the others were catalogues or workspaces, or could not be
    /// taken): those are cancelled now, and reads of `data` that no pending
    /// file claims when the pending files are next looked at. (They will be:
    /// the file list has changed, and Yew runs effects after the render, in
    /// a later microtask than the dispatch.)
    pub fn handed_over(&self, started: &[u32], data: &[Blob]) {
        let (retired, shown, setter) = {
            let mut jobs = self.0.borrow_mut();
            let mut not_data = Vec::new();
            for job in started {
                if let Some(Job {
                    owner: Owner::Dropped(dropped),
                    ..
                }) = jobs.reads.get_mut(job)
                {
                    dropped.handed_over = true;
                    if !data.contains(&dropped.file) {
                        not_data.push(*job);
                    }
                }
            }
            for job in not_data {
                jobs.cancel_dropped(job);
            }
            (
                jobs.retire_if_idle(),
                jobs.progress(),
                jobs.progress.clone(),
            )
        };
        drop(retired);
        setter.set(shown);
    }

    /// Sends to the worker, starting one if none runs (a dead one has been
    /// taken away by `worker_died`).
    fn send(&self, jobs: &mut Jobs, request: Request, attached: Option<&Blob>) {
        if jobs.bridge.is_none() {
            match spawn(self.0.clone()) {
                Ok(bridge) => jobs.bridge = Some(bridge),
                Err(why) => {
                    let shared = self.0.clone();
                    let why = format!("không khởi động được tiến trình đọc tệp: {why}");
                    wasm_bindgen_futures::spawn_local(async move { worker_died(&shared, why) });
                    return;
                }
            }
        }
        if let Some(bridge) = &jobs.bridge {
            bridge.send(&request, attached);
        }
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
    {
        let (reader, state) = (reader.clone(), state.clone());
        // Pending files, and the file list: a drop that changes the list has
        // its unclaimed reads cancelled here even when nothing new is pending.
        let files: Vec<usize> = state
            .ws
            .files
            .iter()
            .map(|f| Arc::as_ptr(&f.bytes) as usize)
            .collect();
        use_effect_with((state.ws.pending.clone(), files), move |(pending, _)| {
            let ws = &state.ws;
            let (catalog, limits) = (&ws.catalog_text, &ws.limits);
            let mut guard = reader.0.borrow_mut();
            let jobs = &mut *guard;
            let gone: Vec<u32> = jobs
                .reads
                .iter()
                .filter(|(_, job)| match &job.owner {
                    Owner::Pending(p) => !pending.contains(p),
                    // Claimed below, or forgotten by the drop that began it.
                    Owner::Dropped(_) => false,
                })
                .map(|(id, _)| *id)
                .collect();
            for job in gone {
                jobs.reads.remove(&job);
                if let Some(bridge) = &jobs.bridge {
                    bridge.send(&Request::Cancel { job }, None);
                }
            }
            let mut ended = Vec::new();
            for p in pending {
                if jobs.reads.values().any(|job| job.is_for(p)) {
                    continue;
                }
                let file = services::dropped_file_of(&p.bytes);
                let claimed = jobs
                    .reads
                    .iter()
                    .find(|(_, job)| job.can_serve(p, ws, file.as_ref()))
                    .map(|(id, _)| *id);
                if let Some(id) = claimed {
                    if let Some(read) = claim(&mut jobs.reads, id, p) {
                        ended.push(Action::ReadDone(p.clone(), read));
                    }
                    continue;
                }
                let job = jobs.next;
                jobs.next += 1;
                // The dropped file itself when the page has it, else a Blob of
                // the stored bytes; inline only if neither can be made.
                let blob = services::blob_of(&p.bytes).ok();
                let bytes = match &blob {
                    Some(_) => FileBytes::Attached,
                    None => FileBytes::Inline(p.bytes.to_vec()),
                };
                let read = Request::Read {
                    job,
                    name: p.name.clone(),
                    bytes,
                    encoding: p.encoding,
                    file: p.file,
                    catalog: catalog.clone(),
                    limits: limits.clone(),
                };
                reader.send(jobs, read, blob.as_ref());
                jobs.reads.insert(
                    job,
                    Job {
                        owner: Owner::Pending(p.clone()),
                        read_as: p.file,
                        done: 0.0,
                        assembler: Assembler::new(),
                    },
                );
            }
            jobs.cancel_unclaimed();
            let (shown, setter) = (jobs.progress(), jobs.progress.clone());
            let retired = jobs.retire_if_idle();
            let dispatcher = jobs.dispatcher.clone();
            drop(guard);
            drop(retired);
            setter.set(shown);
            for action in ended {
                dispatcher.dispatch(action);
            }
        });
    }
    (reader, (*progress).clone())
}

/// `pending` claims the read of a dropped file; if that read has ended,
/// here it is (the job is done).
fn claim(reads: &mut HashMap<u32, Job>, id: u32, pending: &PendingRead) -> Option<Box<FileRead>> {
    let job = reads.get_mut(&id)?;
    let Owner::Dropped(dropped) =
        std::mem::replace(&mut job.owner, Owner::Pending(pending.clone()))
    else {
        return None;
    };
    let mut read = dropped.ended?;
    if job.read_as != pending.file {
        read.move_to_file(pending.file);
    }
    reads.remove(&id);
    Some(read)
}

/// What to do with a reply, decided inside the borrow and done after it.
enum Then {
    Dispatch(Action),
    Answer(Answer, Reply),
}

fn spawn(jobs: Rc<RefCell<Jobs>>) -> Result<Bridge, String> {
    Bridge::spawn(&bridge::loader(), move |heard| match heard {
        Heard::Reply(reply) => on_reply(&jobs, reply),
        Heard::Died(why) => worker_died(&jobs, why),
    })
}

fn on_reply(jobs: &Rc<RefCell<Jobs>>, reply: Reply) {
    let Some(job) = reply.job() else {
        return;
    };
    let then = {
        let mut j = jobs.borrow_mut();
        let dispatch = j.dispatcher.clone();
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
                bridge.send(&Request::Next { job }, None);
            }
        }
        let then = match j.asks.remove(&job) {
            Some(answer) => Some(Then::Answer(answer, reply)),
            None => on_read_reply(&mut j.reads, reply).map(Then::Dispatch),
        };
        let shown = moved.then(|| (j.progress(), j.progress.clone()));
        let retired = if read_ended { j.retire_if_idle() } else { None };
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
}

/// The worker is gone: every read it had becomes a file that could not be
/// read (kept, with the reason), every question gets a failure, and the
/// next request starts a new worker.
fn worker_died(jobs: &Rc<RefCell<Jobs>>, why: String) {
    let (actions, answers, shown, dead) = {
        let mut j = jobs.borrow_mut();
        let mut actions = Vec::new();
        let ids: Vec<u32> = j.reads.keys().copied().collect();
        for id in ids {
            let Some(job) = j.reads.get(&id) else {
                continue;
            };
            let read = failed(job.name(), job.read_as, &why);
            actions.extend(ended(&mut j.reads, id, read));
        }
        // A dropped file's failed read waits for its pending file, as any
        // ended read does; the rest are answered now.
        let answers: Vec<(u32, Answer)> = j.asks.drain().collect();
        let dead = j.bridge.take();
        (actions, answers, (j.progress(), j.progress.clone()), dead)
    };
    // Not inside the dead worker's own handler.
    wasm_bindgen_futures::spawn_local(async move { drop(dead) });
    let (progress, setter) = shown;
    setter.set(progress);
    let dispatcher = jobs.borrow().dispatcher.clone();
    for action in actions {
        dispatcher.dispatch(action);
    }
    for (job, answer) in answers {
        answer(Reply::Failed {
            job,
            message: why.clone(),
        });
    }
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
        Reply::Done { job: id } => {
            let job = reads.get_mut(&id)?;
            let assembler = std::mem::replace(&mut job.assembler, Assembler::new());
            let read = match assembler.finish() {
                Some(read) => read,
                // Only a damaged exchange ends without a head.
                None => failed(
                    job.name(),
                    job.read_as,
                    "tiến trình đọc không gửi đủ kết quả",
                ),
            };
            ended(reads, id, read)
        }
        Reply::Failed { job: id, message } => {
            let job = reads.get(&id)?;
            let read = failed(job.name(), job.read_as, &message);
            ended(reads, id, read)
        }
        Reply::Ready { .. }
        | Reply::Cancelled { .. }
        | Reply::Workbook { .. }
        | Reply::SheetRows { .. } => None,
    }
}

/// A read has ended: the workspace takes it, or the dropped file's job
/// keeps it until the file's pending read claims it.
fn ended(reads: &mut HashMap<u32, Job>, id: u32, mut read: FileRead) -> Option<Action> {
    let job = reads.get_mut(&id)?;
    match &mut job.owner {
        Owner::Dropped(dropped) => {
            dropped.ended = Some(Box::new(read));
            None
        }
        Owner::Pending(pending) => {
            if job.read_as != pending.file {
                read.move_to_file(pending.file);
            }
            let pending = pending.clone();
            reads.remove(&id);
            Some(Action::ReadDone(pending, Box::new(read)))
        }
    }
}

/// The file stays, with the reason it could not be read.
fn failed(name: &str, file: u32, message: &str) -> FileRead {
    FileRead {
        source: SourceFile {
            name: name.to_string(),
            ..Default::default()
        },
        observations: Vec::new(),
        findings: vec![Finding::new(
            Severity::Error,
            "read.failed",
            format!("Không đọc được tệp: {message}"),
            format!("The file could not be read: {message}"),
        )
        .in_file(file)],
    }
}
