//! Each file's read: kept while the file, its encoding, the catalogue and
//! the limits stay the same; left to someone else (the page's worker) for a
//! large file, as a [`PendingRead`]; and taken when it comes back.

use super::Workspace;
use crate::catalog::Catalog;
use crate::check::Sighting;
use crate::classify::read_elsewhere;
use crate::ingest::{self, Limits, TextEncoding};
use crate::model::{FileId, Finding, Part, SourceFile};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// What a read depends on. A file's id stands for its bytes: they never
/// change under it (a new version of a file comes in with an id of its own).
#[derive(Clone, Debug)]
pub(super) struct ReadKey {
    pub file: FileId,
    pub encoding: TextEncoding,
    pub catalog: Arc<Catalog>,
    pub limits: Limits,
}

impl PartialEq for ReadKey {
    fn eq(&self, other: &Self) -> bool {
        self.file == other.file
            && self.encoding == other.encoding
            && Arc::ptr_eq(&self.catalog, &other.catalog)
            && self.limits == other.limits
    }
}

/// A file's read as the cache keeps it: the observations behind an `Rc`,
/// shared with every dataset built from them (never copied).
#[derive(Debug)]
pub(super) struct CachedRead {
    pub source: SourceFile,
    pub observations: Rc<Part>,
    pub findings: Vec<Finding>,
    /// What the checks' index saw of the observations as they were read,
    /// until a derivation takes it (`Workspace::derivation`).
    pub sighting: RefCell<Option<Box<Sighting>>>,
}

impl CachedRead {
    pub fn new(read: ingest::FileRead, sighting: Option<Box<Sighting>>) -> Self {
        CachedRead {
            source: read.source,
            observations: Rc::new(read.observations),
            findings: read.findings,
            sighting: RefCell::new(sighting),
        }
    }
}

/// A file dropped whose bytes the page is still taking: it has its id, and
/// a large one is read elsewhere from the drop on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arriving {
    pub id: FileId,
    pub name: String,
    pub size: u64,
}

/// A file left for someone else to read (the page's worker), because it is
/// larger than [`Workspace::read_elsewhere_over`] or is a workbook this
/// build does not read. Two pending reads are equal when they read the same
/// file the same way; `bytes` is `None` while the file is still arriving.
#[derive(Clone, Debug)]
pub struct PendingRead {
    pub file: FileId,
    pub name: String,
    pub encoding: TextEncoding,
    pub bytes: Option<Arc<Vec<u8>>>,
    pub catalog: Arc<Catalog>,
    pub limits: Limits,
}

impl PartialEq for PendingRead {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl PendingRead {
    fn key(&self) -> ReadKey {
        ReadKey {
            file: self.file,
            encoding: self.encoding,
            catalog: self.catalog.clone(),
            limits: self.limits.clone(),
        }
    }
}

impl Workspace {
    pub(super) fn read_key(&self, file: FileId, name: &str) -> ReadKey {
        ReadKey {
            file,
            encoding: self.encoding_for(name),
            catalog: self.catalog.clone(),
            limits: self.limits.clone(),
        }
    }

    pub(super) fn pending_read(
        &self,
        file: FileId,
        name: &str,
        bytes: Option<&Arc<Vec<u8>>>,
    ) -> PendingRead {
        let ReadKey {
            encoding,
            catalog,
            limits,
            ..
        } = self.read_key(file, name);
        PendingRead {
            file,
            name: name.to_string(),
            encoding,
            bytes: bytes.cloned(),
            catalog,
            limits,
        }
    }

    /// Whether a data file of this name and size is read elsewhere in this
    /// workspace: then its host keeps it (`Content::Elsewhere`) from the drop
    /// or the restore on.
    pub fn reads_elsewhere(&self, name: &str, size: u64) -> bool {
        self.read_elsewhere_over
            .is_some_and(|over| read_elsewhere(name, size, over))
    }

    /// Every read left to someone else: the files read elsewhere, then the
    /// arriving files that will be, from the drop on.
    pub fn pending(&self) -> Vec<PendingRead> {
        let arriving = self.arriving.iter().filter(|a| {
            let key = self.read_key(a.id, &a.name);
            self.reads_elsewhere(&a.name, a.size) && !self.reads.iter().any(|(k, _)| *k == key)
        });
        let arriving = arriving.map(|a| self.pending_read(a.id, &a.name, None));
        self.elsewhere.iter().cloned().chain(arriving).collect()
    }

    /// Whether a read of a file in the list is left to someone else.
    pub fn is_pending(&self, file: FileId) -> bool {
        self.elsewhere.iter().any(|p| p.file == file)
    }

    /// The files dropped whose bytes are still to come.
    pub fn arriving(&self) -> &[Arriving] {
        &self.arriving
    }

    /// A file was dropped: it has an id, and a large one is pending at once.
    pub fn register(&mut self, arriving: Arriving) {
        if !self.arriving.iter().any(|a| a.id == arriving.id) {
            self.arriving.push(arriving);
        }
    }

    /// `other` in this workspace's place (a workspace opened or restored),
    /// still expecting the files this one expects.
    pub fn carried_into(&self, mut other: Workspace) -> Workspace {
        for a in &self.arriving {
            other.register(a.clone());
        }
        other
    }

    /// A dropped file that will not arrive as data (it could not be read,
    /// or was a catalogue or a workspace).
    pub fn not_arriving(&mut self, id: FileId) {
        self.arriving.retain(|a| a.id != id);
        self.reads.retain(|(k, _)| k.file != id);
    }

    /// Takes the read of a pending file (a read of a file still arriving is
    /// kept for when its bytes come). A read that no longer matches a
    /// pending file (removed, replaced, re-encoded meanwhile) is dropped:
    /// returns whether it was taken. The derivation is left to the caller
    /// (`stale`): the page runs it a step per task, others `settle`.
    pub fn add_read(&mut self, pending: &PendingRead, read: ingest::FileRead) -> bool {
        self.add_sighted_read(pending, read, None)
    }

    /// `add_read`, with what the checks' index saw of the read's
    /// observations as they came (`read_jobs`): the derivation takes it
    /// instead of seeing them again.
    pub fn add_sighted_read(
        &mut self,
        pending: &PendingRead,
        read: ingest::FileRead,
        sighting: Option<Box<Sighting>>,
    ) -> bool {
        if !self.pending().contains(pending) {
            return false;
        }
        self.reads
            .push((pending.key(), Rc::new(CachedRead::new(read, sighting))));
        if self.is_pending(pending.file) {
            self.prepare_data();
        }
        true
    }
}
