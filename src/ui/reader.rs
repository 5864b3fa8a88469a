//! The page's side of the reader worker (`src/worker.rs`). The page's own
//! wasm has no spreadsheet reader or XLSX writer (they keep its first load
//! small); the worker has both, and reads large text files off the page's
//! thread so the page keeps painting.
//!
//! What to read, cancel and hand on is decided by the core's [`ReadJobs`]
//! machine; this hook feeds it the page's events (the workspace's pending
//! reads, the worker's replies and death) and carries its commands out:
//! requests to the worker over [`bridge`], finished reads to the reducer. [`Reader::ask`] sends one-off requests (workbooks to
//! download, rows of a sheet to show).
//!
//! A worker stands by: started (and its read's code warmed up) once the
//! page is idle, so that a dropped file is read by a worker whose wasm is
//! compiled already. A worker that has read a file is let go when idle (it
//! holds that file's memory), and a fresh one stands by in its place.

use super::bridge::{self, Bridge, Heard};
use super::state::{arriving, Action, State};
use crate::services;
use baocao::model::FileId;
use baocao::protocol::{FileBytes, Reply, Request};
use baocao::read_jobs::{Command, ReadJobs};
use baocao::workspace::{PendingRead, Workspace};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use web_sys::Blob;
use yew::prelude::*;

/// How far the worker is with each pending file: (name, 0 to 1). Kept apart
/// from the reducer's state, so a progress tick repaints the bar, not the
/// whole page.
pub type Progress = Rc<Vec<(String, f64)>>;

type Answer = Box<dyn FnOnce(Reply)>;

/// How long after the page is ready, or after a worker is let go, a fresh
/// worker is started to stand by: past the work of the moment.
const STAND_BY_AFTER_MS: i32 = 1_000;

struct Jobs {
    bridge: Option<Bridge>,
    /// The running worker has been given a file to read.
    used: bool,
    dispatcher: UseReducerDispatcher<State>,
    reads: ReadJobs,
    asks: HashMap<u32, Answer>,
    progress: UseStateSetter<Progress>,
}

impl Jobs {
    /// The progress of every running read, to show once the borrow is over.
    fn progress(&self) -> Progress {
        Rc::new(self.reads.progress())
    }

    /// A worker that has read a large file holds its memory: once nothing
    /// is left to do, let it go (the next request starts a fresh one). The
    /// caller drops what this returns after its borrow.
    fn retire_if_idle(&mut self) -> Option<Bridge> {
        if self.used && self.reads.is_idle() && self.asks.is_empty() {
            self.used = false;
            self.bridge.take()
        } else {
            None
        }
    }

    /// Feeds the machine one event (`event` gets the machine and a sink for
    /// its commands): requests go to the worker at once; the finished reads
    /// come back, to dispatch once the borrow is over.
    fn feed<T>(
        &mut self,
        shared: &Rc<RefCell<Jobs>>,
        event: impl FnOnce(&mut ReadJobs, &mut dyn FnMut(Command<Blob>)) -> T,
    ) -> (T, Vec<Action>) {
        let Jobs {
            reads,
            bridge,
            used,
            ..
        } = self;
        let mut done = Vec::new();
        let value = event(reads, &mut |command| match command {
            Command::Done(pending, read, sighting) => {
                done.push(Action::ReadDone(pending, read, sighting))
            }
            command => {
                *used |= matches!(command, Command::Read { .. });
                carry(shared, bridge, command)
            }
        });
        (value, done)
    }
}

/// Ends a worker let go (outside the borrow of the jobs), and has a fresh
/// one stand by in a moment.
fn let_go(shared: &Rc<RefCell<Jobs>>, retired: Option<Bridge>) {
    if retired.is_some() {
        drop(retired);
        let reader = Reader(shared.clone());
        services::after_ms(STAND_BY_AFTER_MS, move || reader.stand_by());
    }
}

/// Sends a command to the worker: a read starts one if none runs; a chunk
/// asked for or a read cancelled needs none. (`Done` is the reducer's,
/// taken by `Jobs::feed` before it comes here.)
fn carry(shared: &Rc<RefCell<Jobs>>, bridge: &mut Option<Bridge>, command: Command<Blob>) {
    let (request, attached) = match command {
        Command::Read {
            job,
            pending,
            handle,
            settings,
        } => {
            // The file the page keeps when it keeps one, else a Blob of the
            // workspace's bytes; inline only if neither can be made.
            let bytes = pending.bytes.as_deref().map_or(&[][..], |b| b.as_slice());
            let blob = match handle {
                Some(file) => Some(file),
                None => services::blob_of(bytes, None).ok(),
            };
            let request = Request::Read {
                job,
                name: pending.name,
                bytes: match &blob {
                    Some(_) => FileBytes::Attached,
                    None => FileBytes::Inline(bytes.to_vec()),
                },
                encoding: settings.encoding,
                file: pending.file,
                catalog: settings.catalog,
                limits: settings.limits,
                readers: services::readers(),
            };
            (request, blob)
        }
        Command::Next(job) => {
            if let Some(b) = bridge {
                b.send(&Request::Next { job }, None);
            }
            return;
        }
        Command::Cancel(job) => {
            if let Some(b) = bridge {
                b.send(&Request::Cancel { job }, None);
            }
            return;
        }
        Command::Done(..) => return,
    };
    send(shared, bridge, &request, attached.as_ref());
}

/// Sends to the worker, starting one if none runs (a dead one has been
/// taken away by `worker_died`).
fn send(
    shared: &Rc<RefCell<Jobs>>,
    bridge: &mut Option<Bridge>,
    request: &Request,
    attached: Option<&Blob>,
) {
    if bridge.is_none() {
        match spawn(shared.clone()) {
            Ok(b) => *bridge = Some(b),
            Err(why) => {
                let shared = shared.clone();
                let why = format!("không khởi động được tiến trình đọc tệp: {why}");
                wasm_bindgen_futures::spawn_local(async move { worker_died(&shared, why) });
                return;
            }
        }
    }
    if let Some(b) = bridge {
        b.send(request, attached);
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
        self.ask_with(make, None, then)
    }

    /// [`Reader::ask`], with a file attached (`FileBytes::Attached`).
    pub fn ask_with(
        &self,
        make: impl FnOnce(u32) -> Request,
        attached: Option<Blob>,
        then: impl FnOnce(Reply) + 'static,
    ) {
        let mut guard = self.0.borrow_mut();
        let jobs = &mut *guard;
        let job = jobs.reads.new_job();
        jobs.asks.insert(job, Box::new(then));
        // A worker handed a file holds it: let it go once idle.
        jobs.used |= attached.is_some();
        send(&self.0, &mut jobs.bridge, &make(job), attached.as_ref());
    }

    /// A file is on its way (dragged in, or the file dialog is open): the
    /// worker starts if it is not running, and warms its read up.
    pub fn warm(&self) {
        let mut guard = self.0.borrow_mut();
        let jobs = &mut *guard;
        if jobs.bridge.is_none() {
            jobs.bridge = spawn(self.0.clone()).ok();
        }
        if let Some(bridge) = &jobs.bridge {
            bridge.send(
                &Request::WarmUp {
                    readers: services::readers(),
                },
                None,
            );
        }
    }

    /// Starts a worker to stand by, warmed up, unless one runs.
    fn stand_by(&self) {
        if self.0.borrow().bridge.is_none() {
            self.warm();
        }
    }
}

impl Reader {
    /// Files were just dropped into `ws`: their reads start now, from the
    /// workspace as the drop will leave it, before the page renders the
    /// drop (the pending reads looked at after the render are the same).
    pub fn dropped(&self, ws: &Workspace, files: &[(FileId, web_sys::File)]) {
        let mut ws = ws.clone();
        for (id, file) in files {
            ws.register(arriving(*id, file));
        }
        let pending: Vec<(PendingRead, Option<Blob>)> = ws
            .pending()
            .into_iter()
            .map(|p| {
                let handle = files.iter().find(|(id, _)| *id == p.file);
                (p, handle.map(|(_, f)| Blob::clone(f)))
            })
            .collect();
        let (retired, shown, setter) = {
            let mut jobs = self.0.borrow_mut();
            jobs.feed(&self.0, |reads, out| reads.pending(&pending, &ws, out));
            (
                jobs.retire_if_idle(),
                jobs.progress(),
                jobs.progress.clone(),
            )
        };
        let_go(&self.0, retired);
        setter.set(shown);
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
            used: false,
            dispatcher,
            reads: ReadJobs::default(),
            asks: HashMap::new(),
            progress: setter,
        })))
    });
    let reader = (*reader).clone();
    {
        let reader = reader.clone();
        use_effect_with((), move |_| {
            services::after_ms(STAND_BY_AFTER_MS, move || reader.stand_by());
        });
    }
    {
        let (reader, state) = (reader.clone(), state.clone());
        // The pending reads, each with its dropped file when the page has it.
        let pending = state.ws.pending();
        let handles: Vec<bool> = pending
            .iter()
            .map(|p| state.handle(p.file).is_some())
            .collect();
        use_effect_with((pending, handles), move |(pending, _)| {
            let pending: Vec<(PendingRead, Option<Blob>)> = pending
                .iter()
                .map(|p| (p.clone(), state.handle(p.file).cloned()))
                .collect();
            let (ended, retired, shown, setter, dispatcher) = {
                let mut jobs = reader.0.borrow_mut();
                let ((), ended) = jobs.feed(&reader.0, |reads, out| {
                    reads.pending(&pending, &state.ws, out)
                });
                (
                    ended,
                    jobs.retire_if_idle(),
                    jobs.progress(),
                    jobs.progress.clone(),
                    jobs.dispatcher.clone(),
                )
            };
            let_go(&reader.0, retired);
            setter.set(shown);
            for action in ended {
                dispatcher.dispatch(action);
            }
        });
    }
    (reader, (*progress).clone())
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
    let read_ended = matches!(
        reply,
        Reply::Done { .. } | Reply::Failed { .. } | Reply::Cancelled { .. }
    );
    let moved = matches!(reply, Reply::Progress { .. }) || read_ended;
    let (answer, ended, dispatcher, shown, retired) = {
        let mut j = jobs.borrow_mut();
        let (answer, ended) = match j.asks.remove(&job) {
            Some(answer) => (Some((answer, reply)), Vec::new()),
            // One chunk at a time, each in a task of its own, so the page
            // paints between them (the machine asks for the next first).
            None => (None, j.feed(jobs, |reads, out| reads.reply(reply, out)).1),
        };
        let shown = moved.then(|| (j.progress(), j.progress.clone()));
        let retired = if read_ended { j.retire_if_idle() } else { None };
        (answer, ended, j.dispatcher.clone(), shown, retired)
    };
    let_go(jobs, retired);
    if let Some((progress, setter)) = shown {
        setter.set(progress);
    }
    for action in ended {
        dispatcher.dispatch(action);
    }
    if let Some((answer, reply)) = answer {
        answer(reply);
    }
}

/// The worker is gone: every read it had becomes a file that could not be
/// read (kept, with the reason), every question gets a failure, and the
/// next request starts a new worker.
fn worker_died(jobs: &Rc<RefCell<Jobs>>, why: String) {
    let (ended, answers, shown, dead, dispatcher) = {
        let mut j = jobs.borrow_mut();
        let ((), ended) = j.feed(jobs, |reads, out| reads.worker_died(&why, out));
        // The questions are answered too.
        let answers: Vec<(u32, Answer)> = j.asks.drain().collect();
        let dead = j.bridge.take();
        j.used = false;
        let shown = (j.progress(), j.progress.clone());
        (ended, answers, shown, dead, j.dispatcher.clone())
    };
    // Not inside the dead worker's own handler.
    wasm_bindgen_futures::spawn_local(async move { drop(dead) });
    let (progress, setter) = shown;
    setter.set(progress);
    for action in ended {
        dispatcher.dispatch(action);
    }
    for (job, answer) in answers {
        answer(Reply::Failed {
            job,
            message: why.clone(),
        });
    }
}
