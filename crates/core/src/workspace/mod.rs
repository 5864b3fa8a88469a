//! The workspace: the user's files, catalogue, template and header edits, and
//! everything derived from them. The UI's reducer holds one of these; every
//! user action is a method here, so the whole page logic is testable natively.

use crate::catalog::Catalog;
use crate::derivation::{Derivation, Derived};
use crate::ingest::TextEncoding;
use crate::ingest::{self, Limits};
use crate::model::{Dataset, FileId, Finding, Severity};
use crate::report::{
    self,
    document::{Document, Header},
    template::{ReportData, Template, TemplateError},
};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use std::sync::Arc;

mod content;
pub use content::{Content, Digesting, Elsewhere, InputFile, HEAD_BYTES};
mod derived;
mod dropped;
mod inputs;
mod kept;
pub use dropped::KEPT_EARLIER;
pub use kept::{KeptValue, KEPT_RULE};
mod listing;
mod reads;
pub use reads::{Arriving, PendingRead};
use reads::{CachedRead, ReadKey};
mod source;
pub use source::{source_rows, source_window, SourceView};

/// What derives from the dataset and is still to be rebuilt, in the order
/// it is rebuilt: every change rebuilds it all at once (`settle`), except a
/// read made elsewhere (`add_read`), after which the page runs the
/// [`Derivation`] a step per task and then the document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stale {
    #[default]
    Nothing,
    /// The derivation (checks, report data) has not run: `findings` hold
    /// only the reads' own.
    Derivation,
    /// The document predates the report's data (`refresh_report`).
    Document,
}

/// The name the sample's file carries in the page.
pub const SAMPLE_NAME: &str = "mau-nq05-bac-giang.csv";
/// The sample's file.
pub(crate) const SAMPLE_BYTES: &[u8] =
    include_bytes!("../../../../assets/sample-nq05-bac-giang.csv");

#[derive(Clone, Debug)]
pub struct Workspace {
    pub files: Vec<InputFile>,
    /// True until the user drops a file of their own.
    pub is_sample: bool,
    /// The encoding the user chose for a text file, by file name (else detected).
    pub encodings: HashMap<String, TextEncoding>,
    /// Where files disagree, the values the user kept (`kept`).
    pub kept: Vec<KeptValue>,
    /// The working version of each file a drop replaced, until the new
    /// one's read shows it can be read (`dropped`).
    earlier: HashMap<String, InputFile>,
    /// What the last drop left to say (a version that could not be read).
    drop_notes: Vec<Finding>,
    pub catalog: Arc<Catalog>,
    /// The catalogue's source, hashed into the DOCX.
    pub catalog_text: String,
    pub template_text: String,
    pub header: Header,
    pub limits: Limits,
    /// Files larger than this are not read in place: they wait (`pending()`)
    /// until [`Workspace::add_read`] brings their read. `None` (the default,
    /// and what native callers want) reads everything in place.
    pub read_elsewhere_over: Option<usize>,
    /// Files not read until the user says so: the page stopped while reading
    /// them on the last visit, and reading them again might stop it again.
    pub held: BTreeSet<String>,
    // Derived, recomputed by `refresh`; read through the getters in
    // `derived.rs`, shared (`Rc`) so that a copy of the workspace is cheap.
    /// Files still to be read elsewhere; absent from `dataset` until then.
    elsewhere: Vec<PendingRead>,
    /// Files dropped whose bytes are still to come.
    arriving: Vec<Arriving>,
    dataset: Rc<Dataset>,
    /// What derives from the dataset and has not been rebuilt yet.
    stale: Stale,
    findings: Rc<Vec<Finding>>,
    document: Option<Rc<Document>>,
    template_error: Option<TemplateError>,
    /// Bumped whenever `document` changes, so the page re-lays out only then.
    document_version: u64,
    /// How many files the last refresh had to read (the others came from the cache).
    last_refresh_reads: usize,
    /// Where the checks' findings sit in `findings` (after the reads',
    /// before the report's).
    check_findings: std::ops::Range<usize>,
    /// Each file's read, kept while its bytes, encoding and the catalogue stay
    /// the same: adding or changing one file re-reads only that file.
    reads: Vec<(ReadKey, Rc<CachedRead>)>,
    /// Per part of `dataset`, the read it holds unchanged, if it does: the
    /// derivation takes the read's sighting.
    part_reads: Vec<Option<Rc<CachedRead>>>,
    report_data: Arc<ReportData>,
    /// The template the page last wrote from the data: while the user
    /// leaves it as it is, it is written again when the data change.
    written_template: Option<String>,
}

impl Workspace {
    /// The sample workspace a first visitor sees.
    pub fn sample() -> Workspace {
        let template_text = Template::builtin_text().to_string();
        let header = Template::parse(&template_text)
            .map(|t| t.header)
            .unwrap_or_default();
        let mut ws = Workspace {
            files: vec![InputFile::new(SAMPLE_NAME, SAMPLE_BYTES.to_vec())],
            is_sample: true,
            encodings: HashMap::new(),
            kept: Vec::new(),
            earlier: HashMap::new(),
            drop_notes: Vec::new(),
            catalog: Arc::new(Catalog::builtin()),
            catalog_text: Catalog::builtin_text().to_string(),
            template_text,
            header,
            limits: Limits::default(),
            read_elsewhere_over: None,
            held: BTreeSet::new(),
            elsewhere: Vec::new(),
            arriving: Vec::new(),
            stale: Stale::Nothing,
            dataset: Rc::default(),
            findings: Rc::default(),
            document: None,
            template_error: None,
            document_version: 0,
            last_refresh_reads: 0,
            check_findings: 0..0,
            reads: Vec::new(),
            part_reads: Vec::new(),
            report_data: Arc::default(),
            written_template: None,
        };
        ws.refresh_data();
        ws
    }

    /// Replaces the catalogue with one the user dropped, and checks everything
    /// again. A catalogue that does not parse is refused; the current one stays.
    pub fn set_catalog(&mut self, text: &str) -> Result<(), String> {
        let catalog = Catalog::from_toml(text)?;
        self.catalog = Arc::new(catalog);
        self.catalog_text = text.to_string();
        self.refresh_data();
        Ok(())
    }

    /// Says what a biểu's columns are (and its period): the mapping is kept
    /// in the catalogue's text, so it is saved, exported and applied to any
    /// later file with the same header.
    pub fn map_table(&mut self, mapping: crate::catalog::Mapping) -> Result<(), String> {
        let text = crate::catalog::mapping::with_mapping(&self.catalog_text, mapping);
        self.set_catalog(&text)
    }

    /// Reads `text`, a code mistyped in the files, as `code` from now on
    /// (kept in the catalogue's text as an alias, so it is saved too).
    pub fn correct_code(&mut self, text: &str, code: &str) -> Result<(), String> {
        let alias = crate::catalog::Alias {
            text: text.to_string(),
            code: code.to_string(),
        };
        let text = crate::catalog::mapping::with_alias(&self.catalog_text, alias);
        self.set_catalog(&text)
    }

    /// The file with this id.
    pub fn file(&self, id: FileId) -> Option<&InputFile> {
        self.files.iter().find(|f| f.id == id)
    }

    /// Whether file `id` is still the workspace's: in the list, kept aside
    /// as the version a drop replaced, or still arriving. A host lets go of
    /// the files it keeps for the workspace when they no longer are.
    pub fn keeps(&self, id: FileId) -> bool {
        self.file(id).is_some()
            || self.earlier.values().any(|f| f.id == id)
            || self.arriving.iter().any(|a| a.id == id)
    }

    /// The encoding a text file of this name is read with.
    pub fn encoding_for(&self, name: &str) -> TextEncoding {
        self.encodings.get(name).copied().unwrap_or_default()
    }

    /// Reads a text file again with the encoding the user chose.
    pub fn set_encoding(&mut self, name: &str, encoding: TextEncoding) {
        self.encodings.insert(name.to_string(), encoding);
        self.refresh_data();
    }

    pub fn remove_file(&mut self, name: &str) {
        self.files.retain(|f| f.name != name);
        self.held.remove(name);
        self.earlier.remove(name);
        self.drop_notes.clear();
        self.refresh_data();
    }

    /// Reads a held file after all, as the user asked.
    pub fn release(&mut self, name: &str) {
        if self.held.remove(name) {
            self.refresh_data();
        }
    }

    pub fn set_header(&mut self, header: Header) {
        self.header = header;
        self.refresh_report();
    }

    /// Replaces the template; a template whose front matter changed resets the header to it.
    pub fn set_template(&mut self, text: String) {
        if let Ok(t) = Template::parse(&text) {
            let old = Template::parse(&self.template_text).map(|t| t.header).ok();
            if old.as_ref() != Some(&t.header) {
                self.header = t.header;
            }
        }
        self.template_text = text;
        self.refresh_report();
    }

    /// Re-reads every file and derives everything again. While a file is
    /// read elsewhere (`pending()`), the derivation is left `stale` instead:
    /// its read will change the dataset again, and the page derives a step
    /// per task meanwhile (doing it here would make one long task).
    pub fn refresh_data(&mut self) {
        self.prepare_data();
        if self.elsewhere.is_empty() {
            self.settle();
        }
    }

    /// Brings everything up to date at once: the derivation, then the
    /// document.
    pub fn settle(&mut self) {
        if let Some(derivation) = self.derivation() {
            self.derived(derivation.settle());
        }
        if self.stale == Stale::Document {
            self.refresh_report();
        }
    }

    /// The derivation still to run on the current dataset, if one is.
    pub fn derivation(&self) -> Option<Derivation> {
        (self.stale == Stale::Derivation).then(|| {
            let failed = self
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .flat_map(|f| f.cells.iter().copied())
                .collect();
            // A read's sighting serves the first derivation of a dataset
            // holding it; later ones see the observations themselves.
            let sightings = (self.part_reads.iter())
                .map(|r| r.as_ref().and_then(|r| r.sighting.borrow_mut().take()))
                .map(|s| s.map(|s| *s))
                .collect();
            Derivation::sighted(
                self.dataset.clone(),
                self.catalog.clone(),
                failed,
                sightings,
            )
        })
    }

    /// Takes what a derivation made, if it was of the current dataset
    /// (else the dataset has changed since, and it is dropped); the
    /// document is left stale. Whether it was taken.
    pub fn derived(&mut self, derived: Derived) -> bool {
        if self.stale != Stale::Derivation || !Rc::ptr_eq(&derived.dataset, &self.dataset) {
            return false;
        }
        let all = Rc::make_mut(&mut self.findings);
        let start = all.len();
        all.extend(derived.findings);
        self.check_findings = start..all.len();
        self.report_data = Arc::new(derived.report_data);
        self.stale = Stale::Document;
        true
    }

    /// Builds the dataset from the files (reading what is not cached) with
    /// the reads' findings; the derivation is still to run (`stale`).
    pub(super) fn prepare_data(&mut self) {
        let mut files = Vec::with_capacity(self.files.len());
        let mut parts = Vec::with_capacity(self.files.len());
        let mut read_findings = self.drop_notes.clone();
        let mut reads = Vec::with_capacity(self.files.len());
        let mut part_reads = Vec::with_capacity(self.files.len());
        let mut figures = 0usize;
        self.last_refresh_reads = 0;
        self.elsewhere.clear();
        // A file not read (held, pending, over the limit) still has its
        // place in the list.
        let unread = |f: &InputFile| crate::model::SourceFile {
            id: f.id,
            name: f.name.clone(),
            ..Default::default()
        };
        for f in &self.files {
            if self.held.contains(&f.name) {
                read_findings.push(held_finding(&f.name, f.id));
                files.push(unread(f));
                continue;
            }
            let key = self.read_key(f.id, &f.name);
            let cached = self
                .reads
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, r)| r.clone());
            // Read here: bytes the workspace holds, unless they are left
            // to someone else (large, or a workbook this build cannot read).
            let here = f.bytes().filter(|bytes| {
                self.read_elsewhere_over
                    .is_none_or(|max| bytes.len() <= max && ingest::reads_here(bytes))
            });
            let read = match (cached, here) {
                (Some(r), _) => r,
                (None, None) => {
                    let pending = self.pending_read(f.id, &f.name, f.bytes());
                    self.elsewhere.push(pending);
                    files.push(unread(f));
                    continue;
                }
                (None, Some(bytes)) => {
                    self.last_refresh_reads += 1;
                    let read = ingest::read_file(
                        &f.name,
                        bytes,
                        &self.catalog,
                        f.id,
                        &self.limits,
                        key.encoding,
                    );
                    Rc::new(CachedRead::new(read, None))
                }
            };
            figures += read.observations.len();
            if figures > self.limits.max_figures {
                // Left out whole: what is already here keeps working.
                figures -= read.observations.len();
                read_findings.push(workspace_full(&f.name, f.id, &self.limits));
                files.push(unread(f));
                reads.push((key, read));
                continue;
            }
            files.push(read.source.clone());
            parts.push(read.observations.clone());
            part_reads.push(read.clone());
            read_findings.extend(read.findings.iter().cloned());
            reads.push((key, read));
        }
        // Reads of files still arriving wait for their bytes.
        let arriving: Vec<FileId> = self.arriving.iter().map(|a| a.id).collect();
        reads.extend(
            self.reads
                .drain(..)
                .filter(|(k, _)| arriving.contains(&k.file)),
        );
        self.reads = reads;
        if !self.kept.is_empty() {
            read_findings.extend(kept::apply(&self.kept, &files, &mut parts));
        }
        // A part the kept values changed is no longer what was read.
        self.part_reads = (parts.iter().zip(part_reads))
            .map(|(part, read)| Rc::ptr_eq(part, &read.observations).then_some(read))
            .collect();
        self.dataset = Rc::new(Dataset::new(files, parts));
        self.check_findings = read_findings.len()..read_findings.len();
        self.findings = Rc::new(read_findings);
        self.stale = Stale::Derivation;
        if self.keep_earlier_versions() {
            self.prepare_data();
        }
    }

    /// Rebuilds the document from the template; data findings stay.
    pub fn refresh_report(&mut self) {
        if self.stale == Stale::Document {
            self.stale = Stale::Nothing;
        }
        Rc::make_mut(&mut self.findings).retain(|f| !f.rule.starts_with("report."));
        let built = Template::parse(&self.template_text)
            .and_then(|t| report::build(&t, &self.header, &self.report_data));
        match built {
            Ok((doc, _)) if self.template_does_not_fit(&doc) => {
                // The sample's template, untouched, and data it does not
                // cite: the page writes a template from the data instead.
                self.write_starter_template();
            }
            Ok(_) if self.written_template_is_stale() => self.write_starter_template(),
            Ok((doc, findings)) => {
                self.document = Some(Rc::new(doc));
                self.document_version += 1;
                self.template_error = None;
                Rc::make_mut(&mut self.findings).extend(findings);
            }
            Err(e) => {
                // Keep the last good document on screen; show the error beside it.
                self.template_error = Some(e);
            }
        }
    }

    /// Whether the built-in template is in use, untouched, with data of the
    /// user's that leave most of its figures missing.
    fn template_does_not_fit(&self, doc: &Document) -> bool {
        let missing = doc
            .figures
            .iter()
            .filter(|f| f.status == crate::report::document::FigureStatus::Missing)
            .count();
        !self.is_sample
            && self.elsewhere.is_empty()
            && !self.dataset.is_empty()
            && self.template_text == Template::builtin_text()
            && missing * 2 > doc.figures.len()
    }

    /// A template written from the data (biểu tables, the agency's
    /// figures), with the header kept; it replaces the current one.
    pub fn starter_template(&self) -> String {
        crate::report::starter::starter_template(&self.report_data, &self.header)
    }

    /// Whether the template is the one the page wrote, untouched, and the
    /// data now call for another.
    fn written_template_is_stale(&self) -> bool {
        self.elsewhere.is_empty()
            && self.written_template.as_ref() == Some(&self.template_text)
            && self.starter_template() != self.template_text
    }

    /// Puts [`Workspace::starter_template`] in place and renders it.
    pub fn write_starter_template(&mut self) {
        let text = self.starter_template();
        self.written_template = Some(text.clone());
        if text != self.template_text {
            self.set_template(text);
        }
    }

    /// The data a template can cite (the figure picker lists them).
    pub fn report_data(&self) -> &ReportData {
        &self.report_data
    }

    /// Every chart the data call for.
    pub fn charts(&self) -> &[crate::chart::Chart] {
        self.report_data.charts()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .map(|f| 1 + f.more)
            .sum()
    }
}

/// A file whose figures would take the workspace past its limit.
fn workspace_full(name: &str, file: FileId, limits: &Limits) -> Finding {
    let max = crate::vn::format_number(limits.max_figures as f64, 0);
    Finding::new(
        Severity::Error,
        "read.workspace-full",
        format!("Không dùng tệp {name}: cùng các tệp khác, số liệu vượt giới hạn {max} số liệu của một phiên làm việc. Hãy bỏ bớt tệp, hoặc tách số liệu thành nhiều báo cáo."),
        format!("{name} is not used: with the other files it takes the workspace past {} figures. Remove some files, or split the data into several reports.", limits.max_figures),
    )
    .in_file(file)
}

/// Why a held file has not been read, and what the user can do.
fn held_finding(name: &str, file: FileId) -> Finding {
    Finding::new(
        Severity::Warning,
        "read.held-back",
        format!("Lần trước trang dừng lại khi đang đọc tệp {name}, nên lần này tệp chưa được đọc. Bấm «Đọc lại» để đọc, hoặc «Bỏ tệp»."),
        format!("The page stopped while reading {name} last time, so it has not been read this time. Choose \"Read again\" or \"Remove\"."),
    )
    .in_file(file)
}
