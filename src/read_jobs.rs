//! The page's reads by the reader worker, as a state machine: events in (a
//! drop, the workspace's pending files, a reply, the worker's death), and
//! commands out (a read to start or cancel, a chunk to ask for, a finished
//! read for the workspace). It holds no browser type: a dropped file's bytes
//! are a handle `H` that the page gives (its `Blob`) and gets back in the
//! command that reads them. The page's hook only carries the commands out;
//! every transition is tested natively (`tests/read_jobs.rs`).
//!
//! A large file's read starts at the drop itself, while the page is still
//! taking the bytes: the file's pending read claims it when the workspace
//! has the file, if it reads the same bytes the same way.

use crate::ingest::{FileRead, Limits, TextEncoding};
use crate::model::{FileId, Finding, Severity, SourceFile};
use crate::protocol::Reply;
use crate::wire::Assembler;
use crate::workspace::{PendingRead, Workspace};
use std::collections::BTreeMap;

/// How a read reads: a read begun with other settings cannot serve a file.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub encoding: TextEncoding,
    pub catalog: String,
    pub limits: Limits,
}

impl Settings {
    /// Whether a read with these settings reads `pending` as `ws` would
    /// (compared in place: the catalogue's text is not copied for it).
    fn reads_as(&self, pending: &PendingRead, ws: &Workspace) -> bool {
        self.encoding == pending.encoding
            && self.catalog == ws.catalog_text
            && self.limits == ws.limits
    }
}

/// What the page is to do.
#[derive(Debug)]
pub enum Command<H> {
    /// Start reading a just-dropped file from its handle, its cells marked
    /// as file `file`.
    ReadDropped {
        job: u32,
        name: String,
        bytes: H,
        file: FileId,
        settings: Settings,
    },
    /// Start reading a pending file from its bytes.
    ReadPending {
        job: u32,
        pending: PendingRead,
        settings: Settings,
    },
    /// Ask the worker for the next chunk of a finished read.
    Next(u32),
    /// Tell the worker to stop a read.
    Cancel(u32),
    /// The workspace takes this read of this pending file.
    Done(PendingRead, Box<FileRead>),
}

struct Job<H> {
    owner: Owner<H>,
    /// The file id the read's cells carry (as known or guessed when the
    /// read began).
    read_as: FileId,
    /// From 0 to 1.
    done: f64,
    assembler: Assembler,
}

enum Owner<H> {
    /// A file of the workspace waiting for it.
    Pending(PendingRead),
    /// A file just dropped, not yet claimed by a pending file.
    Dropped(Dropped<H>),
}

struct Dropped<H> {
    name: String,
    bytes: H,
    settings: Settings,
    /// The read, when it ended before a pending file claimed it.
    ended: Option<Box<FileRead>>,
    /// The drop has handed the file to the workspace: unclaimed the next
    /// time the pending files are looked at, the read is cancelled.
    handed_over: bool,
}

/// Every read the page has asked of the worker and not yet handed on.
pub struct ReadJobs<H> {
    next: u32,
    jobs: BTreeMap<u32, Job<H>>,
}

impl<H> Default for ReadJobs<H> {
    fn default() -> Self {
        ReadJobs {
            next: 0,
            jobs: BTreeMap::new(),
        }
    }
}

impl<H: Clone + PartialEq> ReadJobs<H> {
    /// A job number of its own, for a request that is not a read.
    pub fn new_job(&mut self) -> u32 {
        self.next += 1;
        self.next - 1
    }

    /// Whether no read is under way or waiting to be claimed.
    pub fn is_idle(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Whether `job` is a read (not a one-off request).
    pub fn is_read(&self, job: u32) -> bool {
        self.jobs.contains_key(&job)
    }

    /// Each read under way: the file's name and how far it is, 0 to 1.
    pub fn progress(&self) -> Vec<(String, f64)> {
        let name = |j: &Job<H>| match &j.owner {
            Owner::Pending(p) => p.name.clone(),
            Owner::Dropped(d) => d.name.clone(),
        };
        self.jobs.values().map(|j| (name(j), j.done)).collect()
    }

    /// Files were dropped: each is read at once, as `ws` would read it.
    /// Returns the jobs begun, for [`ReadJobs::handed_over`].
    pub fn dropped(
        &mut self,
        files: Vec<(String, H)>,
        ws: &Workspace,
        out: &mut dyn FnMut(Command<H>),
    ) -> Vec<u32> {
        let mut started = Vec::new();
        for (name, bytes) in files {
            let job = self.new_job();
            let settings = Settings {
                encoding: ws.encoding_for(&name),
                catalog: ws.catalog_text.clone(),
                limits: ws.limits.clone(),
            };
            let read_as = ws.place_for(&name);
            out(Command::ReadDropped {
                job,
                name: name.clone(),
                bytes: bytes.clone(),
                file: read_as,
                settings: settings.clone(),
            });
            let dropped = Dropped {
                name,
                bytes,
                settings,
                ended: None,
                handed_over: false,
            };
            self.jobs
                .insert(job, Job::new(Owner::Dropped(dropped), read_as));
            started.push(job);
        }
        started
    }

    /// The drop that began `started` has handed `data` to the workspace (the
    /// rest were catalogues or workspace files, or could not be taken):
    /// those reads stop now; reads of `data` that no pending file claims
    /// stop at the next look at the pending files.
    pub fn handed_over(&mut self, started: &[u32], data: &[H], out: &mut dyn FnMut(Command<H>)) {
        let mut not_data = Vec::new();
        for id in started {
            if let Some(Job {
                owner: Owner::Dropped(dropped),
                ..
            }) = self.jobs.get_mut(id)
            {
                dropped.handed_over = true;
                if !data.contains(&dropped.bytes) {
                    not_data.push(*id);
                }
            }
        }
        for id in not_data {
            self.cancel_dropped(id, out);
        }
    }

    /// The workspace's pending files, each with the handle of the dropped
    /// file its bytes are, if they are one. Reads of files no longer pending
    /// stop; a pending file claims a dropped file's read that reads the same
    /// bytes the same way, or gets a read of its own; dropped files' reads
    /// handed over and left unclaimed stop.
    pub fn pending(
        &mut self,
        pending: &[(PendingRead, Option<H>)],
        ws: &Workspace,
        out: &mut dyn FnMut(Command<H>),
    ) {
        let gone: Vec<u32> = self
            .jobs
            .iter()
            .filter(|(_, job)| match &job.owner {
                Owner::Pending(p) => !pending.iter().any(|(q, _)| q == p),
                Owner::Dropped(_) => false,
            })
            .map(|(id, _)| *id)
            .collect();
        for id in gone {
            self.jobs.remove(&id);
            out(Command::Cancel(id));
        }
        for (p, bytes) in pending {
            if self
                .jobs
                .values()
                .any(|j| matches!(&j.owner, Owner::Pending(q) if q == p))
            {
                continue;
            }
            let claimable = self.jobs.iter().find(|(_, j)| match &j.owner {
                Owner::Dropped(d) => bytes.as_ref() == Some(&d.bytes) && d.settings.reads_as(p, ws),
                Owner::Pending(_) => false,
            });
            if let Some((&id, _)) = claimable {
                self.claim(id, p, out);
                continue;
            }
            let job = self.new_job();
            out(Command::ReadPending {
                job,
                pending: p.clone(),
                settings: Settings {
                    encoding: p.encoding,
                    catalog: ws.catalog_text.clone(),
                    limits: ws.limits.clone(),
                },
            });
            self.jobs
                .insert(job, Job::new(Owner::Pending(p.clone()), p.file));
        }
        let unclaimed: Vec<u32> = self
            .jobs
            .iter()
            .filter(|(_, j)| matches!(&j.owner, Owner::Dropped(d) if d.handed_over))
            .map(|(id, _)| *id)
            .collect();
        for id in unclaimed {
            self.cancel_dropped(id, out);
        }
    }

    /// A reply of the worker about a read (others are ignored). For a
    /// finished read's head or chunk, the next chunk is asked for first, so
    /// the worker packs it while this one is unpacked.
    pub fn reply(&mut self, reply: Reply, out: &mut dyn FnMut(Command<H>)) {
        let Some(id) = reply.job() else {
            return;
        };
        let Some(job) = self.jobs.get_mut(&id) else {
            return;
        };
        match reply {
            Reply::Progress { done, .. } => {
                job.done = done;
                job.assembler.make_room(done);
            }
            Reply::Head { head, .. } => {
                out(Command::Next(id));
                job.assembler.head(head);
            }
            Reply::Chunk { chunk, .. } => {
                out(Command::Next(id));
                job.assembler.add(&chunk);
            }
            Reply::Streamed { chunk, .. } => job.assembler.add(&chunk),
            Reply::Done { .. } => {
                let assembler = std::mem::take(&mut job.assembler);
                let read = assembler.finish().unwrap_or_else(|| {
                    // Only a damaged exchange ends without a head.
                    failed_read(
                        job.name(),
                        job.read_as,
                        "tiến trình đọc không gửi đủ kết quả",
                    )
                });
                self.ended(id, read, out);
            }
            Reply::Failed { message, .. } => {
                let read = failed_read(job.name(), job.read_as, &message);
                self.ended(id, read, out);
            }
            Reply::Ready { .. }
            | Reply::Cancelled { .. }
            | Reply::Workbook { .. }
            | Reply::SheetRows { .. } => {}
        }
    }

    /// The worker is gone: every read ends as a file that could not be
    /// read, with the reason.
    pub fn worker_died(&mut self, why: &str, out: &mut dyn FnMut(Command<H>)) {
        let ids: Vec<u32> = self.jobs.keys().copied().collect();
        for id in ids {
            if let Some(job) = self.jobs.get(&id) {
                let read = failed_read(job.name(), job.read_as, why);
                self.ended(id, read, out);
            }
        }
    }

    /// A read has ended: its pending file takes it, or the dropped file's
    /// job keeps it until a pending file claims it.
    fn ended(&mut self, id: u32, mut read: FileRead, out: &mut dyn FnMut(Command<H>)) {
        let Some(job) = self.jobs.get_mut(&id) else {
            return;
        };
        match &mut job.owner {
            Owner::Dropped(dropped) => dropped.ended = Some(Box::new(read)),
            Owner::Pending(pending) => {
                if job.read_as != pending.file {
                    read.move_to_file(pending.file);
                }
                let pending = pending.clone();
                self.jobs.remove(&id);
                out(Command::Done(pending, Box::new(read)));
            }
        }
    }

    /// `pending` takes over the dropped file's read `id`; if that read has
    /// ended, the workspace gets it now.
    fn claim(&mut self, id: u32, pending: &PendingRead, out: &mut dyn FnMut(Command<H>)) {
        let Some(job) = self.jobs.get_mut(&id) else {
            return;
        };
        let owner = std::mem::replace(&mut job.owner, Owner::Pending(pending.clone()));
        if let Owner::Dropped(Dropped {
            ended: Some(read), ..
        }) = owner
        {
            self.ended(id, *read, out);
        }
    }

    /// Drops the read of a dropped file, stopping the worker's if it runs.
    fn cancel_dropped(&mut self, id: u32, out: &mut dyn FnMut(Command<H>)) {
        let running = self
            .jobs
            .remove(&id)
            .is_some_and(|j| matches!(j.owner, Owner::Dropped(Dropped { ended: None, .. })));
        if running {
            out(Command::Cancel(id));
        }
    }
}

impl<H> Job<H> {
    fn new(owner: Owner<H>, read_as: FileId) -> Self {
        Job {
            owner,
            read_as,
            done: 0.0,
            assembler: Assembler::new(),
        }
    }

    fn name(&self) -> &str {
        match &self.owner {
            Owner::Pending(p) => &p.name,
            Owner::Dropped(d) => &d.name,
        }
    }
}

/// A read that failed: the file stays, with the reason.
pub fn failed_read(name: &str, file: FileId, message: &str) -> FileRead {
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
