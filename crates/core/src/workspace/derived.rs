//! What derives from the workspace's inputs, read-only from outside: the
//! dataset, the findings, the document and how far they are rebuilt. Only
//! the workspace's own methods change them.

use super::{Stale, Workspace};
use crate::model::{Dataset, Finding};
use crate::report::document::Document;
use crate::report::template::TemplateError;
use std::rc::Rc;

impl Workspace {
    /// Every observation of the files read so far.
    pub fn dataset(&self) -> &Rc<Dataset> {
        &self.dataset
    }

    /// What is still to be rebuilt.
    pub fn stale(&self) -> Stale {
        self.stale
    }

    /// The reads' findings, then the checks', then the report's.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The report, once it could be built; the last good one while the
    /// template has an error.
    pub fn document(&self) -> Option<&Rc<Document>> {
        self.document.as_ref()
    }

    /// Why the template could not be built, if it could not.
    pub fn template_error(&self) -> Option<&TemplateError> {
        self.template_error.as_ref()
    }

    /// Bumped whenever the document changes.
    pub fn document_version(&self) -> u64 {
        self.document_version
    }

    /// How many files the last refresh had to read (the others came from
    /// the cache).
    pub fn last_refresh_reads(&self) -> usize {
        self.last_refresh_reads
    }
}
