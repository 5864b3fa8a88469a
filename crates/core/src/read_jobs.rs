//! The page's reads by the reader worker, as a state machine: events in (the
//! workspace's pending reads, a reply, the worker's death), and commands out
//! (a read to start or cancel, a chunk to ask for, a finished read for the
//! workspace). It holds no browser type: a dropped file is a handle `H` that
//! the page gives (its `Blob`) and gets back in the command that reads it.
//! The page's hook only carries the commands out; every transition is
//! tested natively (`tests/read_jobs.rs`).
//!
//! A read is known by its [`PendingRead`]: the file's id, its encoding, the
//! catalogue and the limits. A drop, a file removed, an encoding or a
//! catalogue changed all come in as a new list of pending reads: what left
//! the list is cancelled, what joined it starts. A large file is pending
//! from its drop on (the workspace registers it then), so its read starts
//! while the page is still taking its bytes, and goes on when they come.

use crate::check::Sighting;
use crate::ingest::{FileRead, Limits, TextEncoding};
use crate::model::{FileId, Finding, Part, Severity, SourceFile};
use crate::protocol::Reply;
use crate::wire::Assembler;
use crate::workspace::{PendingRead, Workspace};
use std::collections::BTreeMap;

/// How the worker is to read.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub encoding: TextEncoding,
    pub catalog: String,
    pub limits: Limits,
}

/// What the page is to do.
#[derive(Debug)]
pub enum Command<H> {
    /// Start reading a pending file: from `handle`, the dropped file, when
    /// the page has one; else from the pending read's bytes.
    Read {
        job: u32,
        pending: PendingRead,
        handle: Option<H>,
        settings: Settings,
    },
    /// Ask the worker for the next chunk of a finished read.
    Next(u32),
    /// Tell the worker to stop a read.
    Cancel(u32),
    /// The workspace takes this read of this pending file, with what the
    /// checks' index saw of its observations as they came, if it could.
    Done(PendingRead, Box<FileRead>, Option<Box<Sighting>>),
}

struct Job {
    pending: PendingRead,
    /// From 0 to 1.
    done: f64,
    assembler: Assembler,
    /// The observations assembled so far, seen as the checks' index sees
    /// them: the page has time to spare while the worker reads, and none
    /// once the read is in. `None` for a read in several parts.
    sighting: Option<Sighting>,
}

impl Job {
    fn new(pending: PendingRead) -> Job {
        Job {
            pending,
            done: 0.0,
            assembler: Assembler::new(),
            sighting: Some(Sighting::new()),
        }
    }

    /// Sees the observations assembled since the last look.
    fn see(&mut self) {
        match (&mut self.sighting, self.assembler.observations()) {
            (Some(sighting), Some(all)) => sighting.see(all, sighting.len()..all.len()),
            _ => self.sighting = None,
        }
    }

    /// Room for the observations the assembler has room for.
    fn make_room(&mut self) {
        if let Some(sighting) = &mut self.sighting {
            sighting.make_room(self.assembler.room());
        }
    }
}

/// Every read the page has asked of the worker and not yet handed on.
#[derive(Default)]
pub struct ReadJobs {
    next: u32,
    jobs: BTreeMap<u32, Job>,
}

impl ReadJobs {
    /// A job number of its own, for a request that is not a read.
    pub fn new_job(&mut self) -> u32 {
        self.next += 1;
        self.next - 1
    }

    /// Whether no read is under way.
    pub fn is_idle(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Whether `job` is a read (not a one-off request).
    pub fn is_read(&self, job: u32) -> bool {
        self.jobs.contains_key(&job)
    }

    /// Each read under way: the file's name and how far it is, 0 to 1.
    pub fn progress(&self) -> Vec<(String, f64)> {
        let progress = |j: &Job| (j.pending.name.clone(), j.done);
        self.jobs.values().map(progress).collect()
    }

    /// The workspace's pending reads, each with the handle of the dropped
    /// file it reads, when the page has one. Reads no longer pending stop;
    /// a pending read without a read under way gets one, if there is
    /// something to read it from.
    pub fn pending<H: Clone>(
        &mut self,
        pending: &[(PendingRead, Option<H>)],
        ws: &Workspace,
        out: &mut dyn FnMut(Command<H>),
    ) {
        let gone: Vec<u32> = self
            .jobs
            .iter()
            .filter(|(_, job)| !pending.iter().any(|(p, _)| *p == job.pending))
            .map(|(id, _)| *id)
            .collect();
        for id in gone {
            self.jobs.remove(&id);
            out(Command::Cancel(id));
        }
        for (p, handle) in pending {
            let running = self.jobs.values().any(|j| j.pending == *p);
            if running || (handle.is_none() && p.bytes.is_none()) {
                continue;
            }
            let job = self.new_job();
            out(Command::Read {
                job,
                pending: p.clone(),
                handle: handle.clone(),
                settings: Settings {
                    encoding: p.encoding,
                    catalog: ws.catalog_text.clone(),
                    limits: p.limits.clone(),
                },
            });
            self.jobs.insert(job, Job::new(p.clone()));
        }
    }

    /// A reply of the worker about a read (others are ignored). For a
    /// finished read's head or chunk, the next chunk is asked for first, so
    /// the worker packs it while this one is unpacked.
    pub fn reply<H>(&mut self, reply: Reply, out: &mut dyn FnMut(Command<H>)) {
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
                job.make_room();
            }
            Reply::Head { head, .. } => {
                out(Command::Next(id));
                job.assembler.head(head);
                job.make_room();
            }
            Reply::Chunk { chunk, .. } => {
                out(Command::Next(id));
                job.assembler.add(&chunk);
                job.see();
            }
            Reply::Streamed { part, chunk, .. } => {
                job.assembler.add_to(part, &chunk);
                job.see();
            }
            Reply::Restart { .. } => {
                // The read begins again: what was streamed is void, and so
                // is the progress shown.
                job.assembler = Assembler::restarted();
                job.sighting = Some(Sighting::new());
                job.done = 0.0;
            }
            Reply::Done { .. } => {
                let assembler = std::mem::take(&mut job.assembler);
                let corrected: Vec<usize> = assembler.corrected().collect();
                let mut sighting = job.sighting.take();
                let read = match assembler.finish() {
                    Some(read) => read,
                    None => {
                        // Only a damaged exchange ends without a head.
                        sighting = None;
                        let (name, file) = (&job.pending.name, job.pending.file);
                        failed_read(name, file, "tiến trình đọc không gửi đủ kết quả")
                    }
                };
                let sighting = sighting.filter(|s| s.len() == read.observations.len());
                let sighting = sighting.map(|mut s| {
                    s.shrink_to_fit();
                    for i in corrected {
                        if let Some(o) = read.observations.get(i) {
                            s.renumber(i, o.value.number());
                        }
                    }
                    Box::new(s)
                });
                self.ended(id, read, sighting, out);
            }
            Reply::Failed { message, .. } => {
                let read = failed_read(&job.pending.name, job.pending.file, &message);
                self.ended(id, read, None, out);
            }
            Reply::Ready { .. }
            | Reply::Cancelled { .. }
            | Reply::PartDone { .. }
            | Reply::Workbook { .. }
            | Reply::SourceRows { .. } => {}
        }
    }

    /// The worker is gone: every read ends as a file that could not be
    /// read, with the reason.
    pub fn worker_died<H>(&mut self, why: &str, out: &mut dyn FnMut(Command<H>)) {
        let ids: Vec<u32> = self.jobs.keys().copied().collect();
        for id in ids {
            if let Some(job) = self.jobs.get(&id) {
                let read = failed_read(&job.pending.name, job.pending.file, why);
                self.ended(id, read, None, out);
            }
        }
    }

    /// A read has ended: the workspace takes it.
    fn ended<H>(
        &mut self,
        id: u32,
        read: FileRead,
        sighting: Option<Box<Sighting>>,
        out: &mut dyn FnMut(Command<H>),
    ) {
        if let Some(job) = self.jobs.remove(&id) {
            out(Command::Done(job.pending, Box::new(read), sighting));
        }
    }
}

/// A read that failed: the file stays, with the reason.
pub fn failed_read(name: &str, file: FileId, message: &str) -> FileRead {
    FileRead {
        source: SourceFile {
            id: file,
            name: name.to_string(),
            ..Default::default()
        },
        observations: Part::new(),
        findings: vec![Finding::new(
            Severity::Error,
            "read.failed",
            format!("Không đọc được tệp: {message}"),
            format!("The file could not be read: {message}"),
        )
        .in_file(file)],
    }
}
