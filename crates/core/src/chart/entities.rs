//! The entity charts: for indicators reported by many entities, the top and
//! bottom entities of the latest period, the rest folded into one bar. Their
//! figures are gathered in two passes over the observations — which
//! (indicator, period) groups to show, then those groups' figures — each a
//! slice at a time, so that the page paints between slices (five million
//! observations take longer than a frame).

use super::{Chart, ChartKind, Point, Series};
use crate::catalog::Catalog;
use crate::model::{CellRef, Dataset, Observation, Period};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashSet};

/// How many entities are shown at each end.
const N: usize = 10;
/// How many indicators get an entity chart.
const MAX_CHARTS: usize = 12;

/// (entity, value, cell).
type EntityValue<'a> = (&'a str, f64, CellRef);

/// Groups are keyed by the indicator label's address and the period: a
/// reader shares one label per text, so a million observations hash a
/// pointer, not a text.
type GroupKey = (*const u8, Period);

type Observations<'a> = Box<dyn Iterator<Item = &'a Observation> + 'a>;

/// The entity charts' figures, being gathered.
pub struct EntityGathering<'a> {
    dataset: &'a Dataset,
    rest: Observations<'a>,
    pass: Pass<'a>,
}

enum Pass<'a> {
    /// Entity figures per group, counted (then merged by text).
    Counting(FxHashMap<GroupKey, (&'a str, usize)>),
    /// The chosen groups' figures, collected in dataset order.
    Collecting {
        wanted: FxHashMap<GroupKey, usize>,
        groups: EntityGroups<'a>,
    },
}

/// The figures of each group an entity chart shows.
#[derive(Default)]
pub struct EntityGroups<'a> {
    /// The groups shown, by indicator code, in code order.
    chosen: Vec<(&'a str, Period)>,
    figures: Vec<Vec<EntityValue<'a>>>,
    /// The unit the files give, for indicators the catalogue does not define.
    units: Vec<Option<&'a str>>,
}

impl<'a> EntityGroups<'a> {
    /// Gathered all at once.
    pub fn new(dataset: &'a Dataset) -> Self {
        let mut gathering = EntityGathering::new(dataset);
        while !gathering.step(usize::MAX) {}
        gathering.finish()
    }
}

impl<'a> EntityGathering<'a> {
    pub fn new(dataset: &'a Dataset) -> Self {
        EntityGathering {
            dataset,
            rest: Box::new(dataset.observations()),
            pass: Pass::Counting(FxHashMap::default()),
        }
    }

    /// Takes about `budget` more observations; true when both passes are done.
    pub fn step(&mut self, budget: usize) -> bool {
        match &mut self.pass {
            Pass::Counting(counts) => {
                for (n, o) in self.rest.by_ref().enumerate() {
                    if o.entity().is_some() && o.value.number().is_some() {
                        let key = (o.indicator.as_ptr(), o.period);
                        counts.entry(key).or_insert((&*o.indicator, 0)).1 += 1;
                    }
                    if n + 1 >= budget {
                        return false;
                    }
                }
                self.pass = chosen(counts);
                self.rest = Box::new(self.dataset.observations());
                false
            }
            Pass::Collecting { wanted, groups } => {
                for (n, o) in self.rest.by_ref().enumerate() {
                    collect(o, wanted, groups);
                    if n + 1 >= budget {
                        return false;
                    }
                }
                true
            }
        }
    }

    /// What was gathered: the rest is gathered at once first, if any is left.
    pub fn finish(mut self) -> EntityGroups<'a> {
        while !self.step(usize::MAX) {}
        match self.pass {
            Pass::Collecting { groups, .. } => groups,
            Pass::Counting(_) => EntityGroups::default(),
        }
    }
}

/// The groups to show, from the counts: the latest period of each indicator
/// with at least three entities.
fn chosen<'a>(counts: &FxHashMap<GroupKey, (&'a str, usize)>) -> Pass<'a> {
    let mut by_text: BTreeMap<(&str, Period), usize> = BTreeMap::new();
    for (&(_, period), &(code, n)) in counts {
        *by_text.entry((code, period)).or_default() += n;
    }
    let mut latest: BTreeMap<&str, Period> = BTreeMap::new();
    for (&(code, period), &n) in &by_text {
        if n >= 3 {
            latest.insert(code, period);
        }
    }
    let chosen: Vec<(&str, Period)> = latest.into_iter().take(MAX_CHARTS).collect();
    let wanted = counts
        .iter()
        .filter_map(|(&key, &(code, _))| {
            let at = chosen.iter().position(|&c| c == (code, key.1))?;
            Some((key, at))
        })
        .collect();
    Pass::Collecting {
        wanted,
        groups: EntityGroups {
            figures: vec![Vec::new(); chosen.len()],
            units: vec![None; chosen.len()],
            chosen,
        },
    }
}

fn collect<'a>(
    o: &'a Observation,
    wanted: &FxHashMap<GroupKey, usize>,
    groups: &mut EntityGroups<'a>,
) {
    let (Some(e), Some(v)) = (o.entity(), o.value.number()) else {
        return;
    };
    let Some(&at) = wanted.get(&(o.indicator.as_ptr(), o.period)) else {
        return;
    };
    if let Some(group) = groups.figures.get_mut(at) {
        group.push((e, v, o.cell));
    }
    if let Some(slot @ None) = groups.units.get_mut(at) {
        *slot = o.unit().map(|u| &**u);
    }
}

/// A chart per group: the top and bottom `N` entities, the rest folded
/// into one bar.
pub(super) fn charts(
    catalog: &Catalog,
    failed: &HashSet<CellRef>,
    groups: EntityGroups,
) -> Vec<Chart> {
    let EntityGroups {
        chosen,
        figures,
        units,
    } = groups;
    chosen
        .into_iter()
        .zip(figures)
        .zip(units)
        .map(|(((code, period), mut rows), file_unit)| {
            rows.sort_by(|a, b| b.1.total_cmp(&a.1));
            let point = |(e, v, c): &(&str, f64, CellRef)| Point {
                label: e.to_string(),
                value: *v,
                cell: Some(*c),
                failed: failed.contains(c),
            };
            let mut points: Vec<Point> = Vec::new();
            if rows.len() > 2 * N + 1 {
                points.extend(rows[..N].iter().map(point));
                let rest = &rows[N..rows.len() - N];
                let mean = rest.iter().map(|r| r.1).sum::<f64>() / rest.len() as f64;
                points.push(Point {
                    label: format!("{} đơn vị khác (bình quân)", rest.len()),
                    value: mean,
                    cell: None,
                    failed: false,
                });
                points.extend(rows[rows.len() - N..].iter().map(point));
            } else {
                points.extend(rows.iter().map(point));
            }
            let name = catalog
                .get(code)
                .map_or(code.to_string(), |i| i.name.clone());
            Chart {
                id: format!("entities-{code}"),
                kind: ChartKind::Entities,
                title: format!("{name} ({period})"),
                unit: catalog
                    .get(code)
                    .map(|i| i.unit.clone())
                    .or_else(|| file_unit.map(str::to_string))
                    .unwrap_or_default(),
                categories: points.iter().map(|p| p.label.clone()).collect(),
                series: vec![Series { name, points }],
                axis_max: None,
                target: None,
                category_max: Vec::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RowLabels, Value};

    /// Three indicators over 40 communes and three years, a few figures
    /// without a number or an entity.
    fn dataset() -> Dataset {
        let mut observations = Vec::new();
        for (i, code) in ["CBCC_XA", "CONG_CHUC_XA", "KHAC"].iter().enumerate() {
            let code: crate::model::Label = (*code).into();
            for e in 0..40u32 {
                let row = RowLabels {
                    entity: (e != 3).then(|| format!("Xã {e:02}").into()),
                    unit: Some("người".into()),
                    ..RowLabels::default()
                }
                .shared();
                for year in 2019..2022u16 {
                    let n = observations.len() as u32;
                    observations.push(Observation {
                        indicator: code.clone(),
                        row: row.clone(),
                        period: Period::Year(year),
                        value: match e {
                            5 => Value::text("không có"),
                            _ => Value::Number(f64::from(e * 7 % 13 + i as u32)),
                        },
                        cell: CellRef {
                            file: 0,
                            sheet: 0,
                            row: n + 2,
                            col: 3,
                        },
                        raw: n.to_string().into(),
                    });
                }
            }
        }
        Dataset::from_observations(Vec::new(), observations)
    }

    #[test]
    fn gathered_a_slice_at_a_time_the_charts_are_those_gathered_at_once() {
        let dataset = dataset();
        let catalog = Catalog::builtin();
        let failed = HashSet::new();
        let at_once = charts(&catalog, &failed, EntityGroups::new(&dataset));
        assert_eq!(at_once.len(), 3);
        assert!(at_once.iter().all(|c| c.title.ends_with("(2021)")));
        for budget in [1, 7, 119, 120, 121, 1_000] {
            let mut gathering = EntityGathering::new(&dataset);
            let mut steps = 0;
            while !gathering.step(budget) {
                steps += 1;
            }
            assert!(steps >= 2 * dataset.len() / budget, "{budget}: {steps}");
            let sliced = charts(&catalog, &failed, gathering.finish());
            assert_eq!(sliced, at_once, "{budget}");
        }
        // Finished early, the rest is gathered at once.
        let mut early = EntityGathering::new(&dataset);
        early.step(50);
        assert_eq!(charts(&catalog, &failed, early.finish()), at_once);
    }
}
