//! Files coming in: the first drop replaces the sample, and a file with the
//! name of one already here replaces it — unless the new version cannot be
//! read at all, when the version that worked stays and a note says why.

use super::{InputFile, Workspace};
use crate::model::{Finding, Severity};

impl Workspace {
    /// Adds dropped files (an arriving file's bytes have come): the first
    /// drop replaces the sample; a file with the name of one already here
    /// takes its place in the list (the old one is kept aside until the new
    /// one's read shows something to work with).
    pub fn add_files(&mut self, dropped: Vec<InputFile>) {
        if self.is_sample {
            self.files.clear();
            self.is_sample = false;
        }
        self.drop_notes.clear();
        for f in dropped {
            self.arriving.retain(|a| a.id != f.id);
            let place = self.files.iter().position(|old| old.name == f.name);
            match place.and_then(|p| self.files.get_mut(p)) {
                Some(old) => {
                    let old = std::mem::replace(old, f);
                    self.earlier.insert(old.name.clone(), old);
                }
                None => self.files.push(f),
            }
        }
        self.refresh_data();
    }

    /// After the reads: a new version read to nothing but errors gives way to
    /// the version it replaced, with a note that says why; one that reads is
    /// kept and the old version let go. Whether anything was put back.
    pub(super) fn keep_earlier_versions(&mut self) -> bool {
        if self.earlier.is_empty() {
            return false;
        }
        let mut put_back = false;
        for i in 0..self.files.len() {
            let (id, name) = (self.files[i].id, self.files[i].name.clone());
            if !self.earlier.contains_key(&name) || self.is_pending(id) {
                continue;
            }
            let Some(read) = self
                .reads
                .iter()
                .find(|(k, _)| k.file == id)
                .map(|(_, r)| r.clone())
            else {
                continue;
            };
            let why = read
                .findings
                .iter()
                .find(|f| f.severity == Severity::Error)
                .map(|f| {
                    (
                        f.message(crate::model::Lang::Vi).to_string(),
                        f.message(crate::model::Lang::En).to_string(),
                    )
                });
            // A table not understood is something to work with: its columns
            // can be pointed out.
            let unusable = read.observations.is_empty()
                && read.source.tables.iter().all(|t| t.understood)
                && why.is_some();
            let Some(earlier) = self.earlier.remove(&name) else {
                continue;
            };
            if let (true, Some((vi, en))) = (unusable, why) {
                self.files[i] = earlier;
                self.drop_notes.push(
                    Finding::new(
                        Severity::Warning,
                        KEPT_EARLIER,
                        format!("Bản mới của {name} không đọc được ({vi}); trang vẫn dùng bản trước của tệp này."),
                        format!("The new version of {name} could not be read ({en}); the page keeps using the earlier version."),
                    )
                    .in_file(self.files[i].id),
                );
                put_back = true;
            }
        }
        put_back
    }
}

/// The rule of the note a version that could not be read leaves.
pub const KEPT_EARLIER: &str = "read.kept-earlier";
