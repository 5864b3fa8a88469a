//! Checks: every rule of the catalogue and every per-value check, over the
//! whole dataset. Pure: same dataset and catalogue, same findings, in order.

pub mod expr;
mod lookup;
mod rule_checks;
mod value_checks;

use lookup::*;
pub use lookup::{Figures, Index, Sighting};
use rule_checks::*;
use value_checks::*;

use crate::cap::Sink;
use crate::catalog::{Catalog, Indicator, Kind, RankOf, Rule, RuleCheck, RuleSeverity};
use crate::model::{Dataset, Finding, ObservationRef, Part, Period, Severity};
use crate::vn::format_number;
// FxHash: the index holds a million keys of short strings; SipHash’s DoS
// resistance buys nothing for a user checking their own files.
use rustc_hash::FxHashMap as HashMap;

/// Runs every check; findings come in a stable order.
pub fn check(dataset: &Dataset, catalog: &Catalog) -> Vec<Finding> {
    let mut checking = Checking::new(dataset, catalog);
    while !checking.step(usize::MAX) {}
    checking.finish()
}

/// Every finding of the checks, none left out, each handed to `each`.
pub fn check_each(dataset: &Dataset, catalog: &Catalog, each: impl FnMut(Finding)) {
    let mut checking = Checking::streaming(dataset, catalog, each);
    while !checking.step(usize::MAX) {}
}

/// The checks being run a slice at a time, so that the page can paint
/// between slices: `step` does about `budget` observations' worth of work
/// (indexing, per-value checks, periods, rules, in that order), and the
/// findings are those `check` gives, in the same order.
pub struct Checking<'a> {
    catalog: &'a Catalog,
    /// The files, so a conflict can name each side's file and row.
    files: &'a [crate::model::SourceFile],
    stage: Stage<'a>,
    findings: Sink<'a>,
}

enum Stage<'a> {
    Indexing(Box<IndexBuilder<'a>>),
    /// Per-value checks, from observation `next`.
    Values {
        index: Index<'a>,
        definitions: Vec<Option<&'a Indicator>>,
        next: usize,
    },
    /// Period checks, from catalogue indicator `next`.
    Periods {
        index: Index<'a>,
        next: usize,
    },
    /// Rules that need more than one entity and period's figures, from
    /// catalogue rule `next`; each rule's findings go to its own list.
    Rules {
        index: Index<'a>,
        next: usize,
        found: Vec<Vec<(u32, Finding)>>,
    },
    /// Rules over one entity and period's figures, entity by entity from
    /// `next`: all of an entity's figures are read while in cache (rule by
    /// rule, each rule walked every entity and missed the cache at each).
    RowRules {
        index: Index<'a>,
        rules: Vec<RowRule<'a>>,
        next: usize,
        found: Vec<Vec<(u32, Finding)>>,
    },
    /// All checked; the index kept for whoever reads it next.
    Checked(Index<'a>),
    Done,
}

/// A rule over one entity and period's figures (sum, difference,
/// percentage, at most): its place in the catalogue and its indicators'
/// ids, head first.
struct RowRule<'a> {
    at: usize,
    rule: &'a Rule,
    ids: Vec<Id>,
}

impl<'a> RowRule<'a> {
    fn is_row_rule(check: &RuleCheck) -> bool {
        matches!(
            check,
            RuleCheck::Sum { .. }
                | RuleCheck::Difference { .. }
                | RuleCheck::Percentage { .. }
                | RuleCheck::AtMost { .. }
        )
    }

    /// `None` for other kinds of rule, and for a rule naming an indicator
    /// without observations (it has nothing to check).
    fn new(at: usize, rule: &'a Rule, index: &Index) -> Option<Self> {
        if !Self::is_row_rule(&rule.check) {
            return None;
        }
        let ids: Vec<Id> = (rule.check.indicators().iter())
            .map(|c| index.seen.sighting.indicators.get(c))
            .collect::<Option<_>>()?;
        (!ids.is_empty()).then_some(RowRule { at, rule, ids })
    }
}

impl<'a> Checking<'a> {
    pub fn new(dataset: &'a Dataset, catalog: &'a Catalog) -> Self {
        Checking::sighted(dataset, catalog, Vec::new())
    }

    /// The checks of a dataset whose parts come with what was seen of each
    /// as it was read (`Sighting`, by position; `None` where nothing was).
    pub fn sighted(
        dataset: &'a Dataset,
        catalog: &'a Catalog,
        sightings: Vec<Option<Sighting>>,
    ) -> Self {
        Checking {
            catalog,
            files: &dataset.files,
            stage: Stage::Indexing(Box::new(IndexBuilder::new(dataset, sightings))),
            findings: Sink::default(),
        }
    }

    /// The checks, every finding handed to `each` as it is found (none
    /// kept, none left out): for listing them all.
    pub fn streaming(
        dataset: &'a Dataset,
        catalog: &'a Catalog,
        each: impl FnMut(Finding) + 'a,
    ) -> Self {
        Checking {
            catalog,
            files: &dataset.files,
            stage: Stage::Indexing(Box::new(IndexBuilder::new(dataset, Vec::new()))),
            findings: Sink::streaming(each),
        }
    }

    /// Does about `budget` observations' worth of work; true when done.
    pub fn step(&mut self, budget: usize) -> bool {
        let budget = budget.max(1);
        let (catalog, files) = (self.catalog, self.files);
        let findings = &mut self.findings;
        let mut spent = 0usize;
        loop {
            if spent >= budget {
                return false;
            }
            self.stage = match std::mem::replace(&mut self.stage, Stage::Done) {
                Stage::Indexing(mut builder) => {
                    let (done, used) = builder.step(budget - spent);
                    spent += used;
                    if !done {
                        self.stage = Stage::Indexing(builder);
                        return false;
                    }
                    let index = builder.finish();
                    conflicts(&index, catalog, files, findings);
                    // The catalogue entry of each indicator id, looked up
                    // once, not per value.
                    let mut definitions = vec![None; index.seen.sighting.indicators.next as usize];
                    for (id, text) in index.seen.sighting.indicators.texts() {
                        if let Some(slot) = definitions.get_mut(id as usize) {
                            *slot = catalog.get(text);
                        }
                    }
                    Stage::Values {
                        index,
                        definitions,
                        next: 0,
                    }
                }
                Stage::Values {
                    index,
                    definitions,
                    next,
                } => {
                    let to = next.saturating_add(budget - spent).min(index.seen.len());
                    for i in next..to {
                        let Some((indicator, _)) = index.seen.ids(i) else {
                            break;
                        };
                        if let Some(Some(definition)) = definitions.get(indicator as usize) {
                            per_value(i as u32, definition, &index, findings);
                        }
                    }
                    spent += to - next;
                    if to < index.seen.len() {
                        Stage::Values {
                            index,
                            definitions,
                            next: to,
                        }
                    } else {
                        Stage::Periods { index, next: 0 }
                    }
                }
                Stage::Periods { index, next } => match catalog.indicators.get(next) {
                    Some(ind) => {
                        spent += periods(ind, &index, findings);
                        Stage::Periods {
                            index,
                            next: next + 1,
                        }
                    }
                    None => Stage::Rules {
                        index,
                        next: 0,
                        found: vec![Vec::new(); catalog.rules.len()],
                    },
                },
                Stage::Rules {
                    index,
                    next,
                    mut found,
                } => match (catalog.rules.get(next), found.get_mut(next)) {
                    (Some(rule), Some(list)) => {
                        if !RowRule::is_row_rule(&rule.check) {
                            let mut own = Vec::new();
                            apply_rule(rule, &index, &mut own);
                            list.extend(own.into_iter().map(|f| (0, f)));
                            findings.settle(list, false);
                            // What a rule costs: a look at each row of its first indicator.
                            spent += rule
                                .check
                                .indicators()
                                .first()
                                .and_then(|c| index.seen.sighting.indicators.get(c))
                                .map_or(1, |id| index.rows_of(id).len().max(1));
                        }
                        Stage::Rules {
                            index,
                            next: next + 1,
                            found,
                        }
                    }
                    _ => {
                        let rules = (catalog.rules.iter().enumerate())
                            .filter_map(|(at, rule)| RowRule::new(at, rule, &index))
                            .collect();
                        Stage::RowRules {
                            index,
                            rules,
                            next: 0,
                            found,
                        }
                    }
                },
                Stage::RowRules {
                    index,
                    rules,
                    next,
                    mut found,
                } => {
                    let entities = index.entities();
                    let mut entity = next;
                    while entity < entities && spent < budget {
                        spent += row_rules(entity as Id, &rules, &index, &mut found).max(1);
                        entity += 1;
                    }
                    // A rule that fails on every row keeps only the first.
                    for list in &mut found {
                        findings.settle(list, false);
                    }
                    if entity < entities {
                        Stage::RowRules {
                            index,
                            rules,
                            next: entity,
                            found,
                        }
                    } else {
                        // Each row rule's findings in the order of its head
                        // figures in the files, as a rule-by-rule walk gave.
                        for rule in &rules {
                            if let Some(list) = found.get_mut(rule.at) {
                                list.sort_by_key(|(i, _)| *i);
                            }
                        }
                        for mut list in found {
                            findings.settle(&mut list, true);
                            findings.extend_settled(list);
                        }
                        self.stage = Stage::Checked(index);
                        return true;
                    }
                }
                done @ (Stage::Checked(_) | Stage::Done) => {
                    self.stage = done;
                    return true;
                }
            };
        }
    }

    pub fn finish(self) -> Vec<Finding> {
        self.findings.finish()
    }

    /// The findings, with what the index knew of each observation (for the
    /// report's passes over every observation), once the checks are done.
    pub fn finish_with_figures(self) -> (Vec<Finding>, Option<Figures<'a>>) {
        let figures = match self.stage {
            Stage::Checked(index) => Some(index.into_figures()),
            _ => None,
        };
        (self.findings.finish(), figures)
    }
}
