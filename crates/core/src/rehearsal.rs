//! A made-up large read for the page to go through once while it is idle:
//! its chunks assembled as the worker's would be, then the checks and the
//! report's data derived from them, a step at a time. A browser compiles a
//! wasm function with its optimising tier only after it has run a while, so
//! without this the first large drop of a visit is assembled and derived on
//! the baseline code (a 300,000-row workbook's derivation took 91 ms the
//! first time and 39 ms the next). The reader worker rehearses its reads the
//! same way.

use crate::catalog::Catalog;
use crate::derivation::Derivation;
use crate::ingest::{self, FileRead, Limits, TextEncoding};
use crate::model::{Dataset, Label, Observation, RowLabels};
use crate::wire::{Assembler, Chunk, Encoder};
use crate::workspace::{SAMPLE_BYTES, SAMPLE_NAME};
use std::rc::Rc;
use std::sync::Arc;

/// Made-up communes, each with the sample's 85 figures: 34,000 in all,
/// enough for the hot code to be compiled again, little enough to take a
/// few slices of an idle page.
const ENTITIES: usize = 400;
/// Observations per chunk, as the worker sends a large read.
const CHUNK: usize = 5_000;
/// The file id its cells carry; nothing outside the rehearsal sees them.
const FILE: u32 = u32::MAX;

/// The rehearsal, a step at a time.
pub struct Rehearsal {
    catalog: Arc<Catalog>,
    stage: Stage,
}

enum Stage {
    Start,
    Assembling {
        assembler: Box<Assembler>,
        chunks: std::vec::IntoIter<Chunk>,
    },
    Deriving(Box<Derivation>),
    Done,
}

impl Rehearsal {
    /// Nothing is done until the first step.
    pub fn new(catalog: Arc<Catalog>) -> Rehearsal {
        Rehearsal {
            catalog,
            stage: Stage::Start,
        }
    }

    /// A chunk assembled, or about `budget` observations' worth of the
    /// derivation; true when all is done.
    pub fn step(&mut self, budget: usize) -> bool {
        self.stage = match std::mem::replace(&mut self.stage, Stage::Done) {
            Stage::Start => self.chunks(),
            Stage::Assembling {
                mut assembler,
                mut chunks,
            } => match chunks.next() {
                Some(chunk) => {
                    assembler.add(&chunk);
                    Stage::Assembling { assembler, chunks }
                }
                None => match assembler.finish() {
                    Some(read) => {
                        let dataset =
                            Dataset::new(vec![read.source], vec![Rc::new(read.observations)]);
                        Stage::Deriving(Box::new(Derivation::new(
                            Rc::new(dataset),
                            self.catalog.clone(),
                            Default::default(),
                        )))
                    }
                    None => Stage::Done,
                },
            },
            Stage::Deriving(mut derivation) => {
                if derivation.step(budget) {
                    Stage::Done
                } else {
                    Stage::Deriving(derivation)
                }
            }
            Stage::Done => Stage::Done,
        };
        matches!(self.stage, Stage::Done)
    }

    /// The sample read, its figures given to each made-up commune, and
    /// packed as the worker packs a read.
    fn chunks(&self) -> Stage {
        let read = ingest::read_file(
            SAMPLE_NAME,
            SAMPLE_BYTES,
            &self.catalog,
            FILE,
            &Limits::default(),
            TextEncoding::Auto,
        );
        let mut observations: Vec<Observation> =
            Vec::with_capacity(read.observations.len() * ENTITIES);
        for i in 0..ENTITIES {
            let row = RowLabels {
                entity: Some(Label::from(format!("Xã {i:03}"))),
                ..RowLabels::default()
            }
            .shared();
            observations.extend(read.observations.iter().map(|o| Observation {
                row: row.clone(),
                ..o.to_observation()
            }));
        }
        let mut encoder = Encoder::new(CHUNK);
        let head = encoder.finish(
            FileRead {
                observations: observations.into(),
                ..read
            },
            Vec::new(),
        );
        let mut assembler = Box::new(Assembler::new());
        assembler.head(head);
        Stage::Assembling {
            assembler,
            chunks: encoder.collect::<Vec<_>>().into_iter(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// It ends, in steps, having assembled every made-up figure.
    #[test]
    fn a_rehearsal_assembles_and_derives_the_made_up_read() {
        let catalog = Arc::new(Catalog::builtin());
        let mut rehearsal = Rehearsal::new(catalog);
        let mut steps = 0;
        let mut assembled = 0;
        while !rehearsal.step(5_000) {
            steps += 1;
            if let Stage::Deriving(derivation) = &rehearsal.stage {
                assembled = derivation.dataset().len();
            }
            assert!(steps < 10_000, "the rehearsal does not end");
        }
        let sample = ingest::read_file(
            SAMPLE_NAME,
            SAMPLE_BYTES,
            &Catalog::builtin(),
            0,
            &Limits::default(),
            TextEncoding::Auto,
        );
        assert_eq!(assembled, sample.observations.len() * ENTITIES);
        assert!(steps > 10, "done in slices, not at once: {steps}");
    }
}
