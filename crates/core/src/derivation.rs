//! What derives from a dataset, in order: the checks, then the report's
//! data (the entity charts' figures, in two passes, then the rest). One resumable
//! [`Derivation`] owns the dataset and the catalogue and does the work a step
//! at a time ([`Derivation::step`], for the page, which paints between
//! steps) or all at once ([`Derivation::settle`]); either way the result is
//! the same. The workspace takes it ([`crate::workspace::Workspace::derived`])
//! and builds the document from it.

use crate::catalog::Catalog;
use crate::chart::{EntityGathering, EntityGroups};
use crate::check::{Checking, Figures, Sighting};
use crate::model::{CellRef, Dataset, Finding, Severity};
use crate::report::template::ReportData;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::Arc;

/// What a derivation reads.
struct Inputs {
    dataset: Rc<Dataset>,
    catalog: Arc<Catalog>,
}

/// The work under way, borrowing from the inputs.
enum Running<'a> {
    Checks(Box<Checking<'a>>),
    /// The checks are done; the entity charts' figures are gathered from
    /// what their index knew of each observation, a slice at a time.
    Gathering {
        figures: Box<Figures<'a>>,
        gathering: EntityGathering<'a>,
    },
    /// The entity charts' figures are in; the report's data are made with them.
    Reporting(EntityGroups<'a>),
    Done,
}

self_cell::self_cell!(
    struct Work {
        owner: Inputs,
        #[not_covariant]
        dependent: Running,
    }
);

/// The checks and the report's data of one dataset, being derived.
pub struct Derivation {
    work: Work,
    /// The cells of every error so far (the reads', then the checks'): the
    /// report and the charts mark them.
    failed: HashSet<CellRef>,
    findings: Vec<Finding>,
    report_data: Option<ReportData>,
}

/// What a derivation made: the checks' findings and the report's data, of
/// the dataset `dataset`.
pub struct Derived {
    pub dataset: Rc<Dataset>,
    pub findings: Vec<Finding>,
    pub report_data: ReportData,
}

impl Derivation {
    /// Derives from `dataset`; `failed` holds the cells of the reads' errors.
    pub fn new(dataset: Rc<Dataset>, catalog: Arc<Catalog>, failed: HashSet<CellRef>) -> Self {
        Derivation::sighted(dataset, catalog, failed, Vec::new())
    }

    /// `new`, for a dataset whose parts come with what the checks' index
    /// saw of each as it was read (by position; `None` where nothing was).
    pub fn sighted(
        dataset: Rc<Dataset>,
        catalog: Arc<Catalog>,
        failed: HashSet<CellRef>,
        sightings: Vec<Option<Sighting>>,
    ) -> Self {
        let work = Work::new(Inputs { dataset, catalog }, |inputs| {
            let checking = Checking::sighted(&inputs.dataset, &inputs.catalog, sightings);
            Running::Checks(Box::new(checking))
        });
        Derivation {
            work,
            failed,
            findings: Vec::new(),
            report_data: None,
        }
    }

    /// The dataset derived from.
    pub fn dataset(&self) -> &Rc<Dataset> {
        &self.work.borrow_owner().dataset
    }

    /// Does about `budget` observations' worth of work, or one of the
    /// report's passes; true when all is done.
    pub fn step(&mut self, budget: usize) -> bool {
        let Derivation {
            work,
            failed,
            findings,
            report_data,
        } = self;
        work.with_dependent_mut(|inputs, running| {
            let next = match std::mem::replace(running, Running::Done) {
                Running::Checks(mut checking) => {
                    if !checking.step(budget) {
                        *running = Running::Checks(checking);
                        return false;
                    }
                    let (found, figures) = checking.finish_with_figures();
                    *findings = found;
                    failed.extend(
                        findings
                            .iter()
                            .filter(|f| f.severity == Severity::Error)
                            .flat_map(|f| f.cells.iter().copied()),
                    );
                    Running::Gathering {
                        figures: Box::new(figures.unwrap_or_else(|| Figures::new(&inputs.dataset))),
                        gathering: EntityGathering::default(),
                    }
                }
                Running::Gathering {
                    figures,
                    mut gathering,
                } => {
                    if !gathering.step(&figures, budget) {
                        *running = Running::Gathering { figures, gathering };
                        return false;
                    }
                    Running::Reporting(gathering.finish(&figures))
                }
                Running::Reporting(entities) => {
                    let data =
                        ReportData::gathered(&inputs.dataset, &inputs.catalog, failed, entities);
                    *report_data = Some(data);
                    Running::Done
                }
                Running::Done => Running::Done,
            };
            *running = next;
            matches!(running, Running::Done)
        })
    }

    /// What was derived: the rest is done at once first, if any is left.
    pub fn settle(mut self) -> Derived {
        while !self.step(usize::MAX) {}
        let Derivation {
            work,
            findings,
            report_data,
            ..
        } = self;
        Derived {
            dataset: work.into_owner().dataset,
            findings,
            report_data: report_data.unwrap_or_default(),
        }
    }
}
