//! The entity charts: for indicators reported by many entities, the top and
//! bottom entities of the latest period, the rest folded into one bar. Their
//! figures are gathered in two passes over the observations — which
//! (indicator, period) groups to show, then those groups' figures — each a
//! slice at a time, so that the page paints between slices (five million
//! observations take longer than a frame). The passes read what the checks'
//! index knew of each observation ([`Figures`], compact arrays); only the
//! figures shown are looked up.

use super::{Chart, ChartKind, Point, Series};
use crate::catalog::Catalog;
use crate::check::Figures;
use crate::model::{CellRef, Dataset, ObservationRef, Period};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashSet};

/// How many entities are shown at each end.
const N: usize = 10;
/// How many indicators get an entity chart.
const MAX_CHARTS: usize = 12;

/// A figure and its observation's number in the dataset, which is read
/// only if the chart shows it: a group holds thousands, and reading each
/// would be a cache miss (and holding each 64 bytes).
type EntityValue = (f64, u32);

/// An (indicator, period) as the index keys it.
type GroupKey = u64;

/// The entity charts' figures, being gathered.
pub struct EntityGathering<'a> {
    /// The next observation to take.
    next: usize,
    pass: Pass<'a>,
}

enum Pass<'a> {
    /// Entity figures per group: the first one's observation, and how many.
    Counting(FxHashMap<GroupKey, (usize, usize)>),
    /// The chosen groups' figures, in dataset order.
    Collecting {
        wanted: FxHashMap<GroupKey, usize>,
        groups: EntityGroups<'a>,
    },
}

/// The figures of each group an entity chart shows, and the report's own
/// figures (no entity), both gathered from the checks' index.
#[derive(Default)]
pub struct EntityGroups<'a> {
    /// The groups shown, by indicator code, in code order.
    chosen: Vec<(&'a str, Period)>,
    /// Per group, in dataset order.
    figures: Vec<Vec<EntityValue>>,
    /// Where the figures' observations are.
    dataset: Option<&'a Dataset>,
    /// The observations of the report's own agency, in reading order.
    own: Vec<ObservationRef<'a>>,
}

impl<'a> EntityGroups<'a> {
    /// Gathered all at once, from an index made for it.
    pub fn new(dataset: &'a Dataset) -> Self {
        let figures = Figures::new(dataset);
        let mut gathering = EntityGathering::default();
        while !gathering.step(&figures, usize::MAX) {}
        gathering.finish(&figures)
    }
}

impl Default for EntityGathering<'_> {
    fn default() -> Self {
        EntityGathering {
            next: 0,
            pass: Pass::Counting(FxHashMap::default()),
        }
    }
}

impl<'a> EntityGathering<'a> {
    /// Takes about `budget` more observations of `figures`; true when both
    /// passes are done.
    pub fn step(&mut self, figures: &Figures<'a>, budget: usize) -> bool {
        let to = self.next.saturating_add(budget).min(figures.len());
        let range = self.next..to;
        self.next = to;
        match &mut self.pass {
            Pass::Counting(counts) => {
                for i in range {
                    if let Some((key, _)) = figures.entity_figure(i) {
                        counts.entry(key).or_insert((i, 0)).1 += 1;
                    }
                }
                if to == figures.len() {
                    self.pass = chosen(counts, figures);
                    self.next = 0;
                }
                false
            }
            Pass::Collecting { wanted, groups } => {
                for i in range {
                    let Some((key, number)) = figures.entity_figure(i) else {
                        continue;
                    };
                    // The observation itself only for a group shown: reading
                    // every one would be a cache miss per figure.
                    if let (Some(&at), Ok(i)) = (wanted.get(&key), u32::try_from(i)) {
                        groups.add(at, i, number);
                    }
                }
                to == figures.len()
            }
        }
    }

    /// What was gathered: the rest is gathered at once first, if any is left.
    pub fn finish(mut self, figures: &Figures<'a>) -> EntityGroups<'a> {
        while !self.step(figures, usize::MAX) {}
        let mut groups = match self.pass {
            Pass::Collecting { groups, .. } => groups,
            Pass::Counting(_) => EntityGroups::default(),
        };
        groups.own = figures.agency().collect();
        groups.dataset = Some(figures.dataset());
        groups
    }
}

impl<'a> EntityGroups<'a> {
    /// The observations of the report's own agency (no entity), in reading
    /// order.
    pub fn own(&self) -> &[ObservationRef<'a>] {
        &self.own
    }

    /// Observation `i`, whose number is `number`, to group `at`.
    fn add(&mut self, at: usize, i: u32, number: f64) {
        if let Some(group) = self.figures.get_mut(at) {
            group.push((number, i));
        }
    }
}

/// The groups to show, from the counts: the latest period of each indicator
/// with at least three entities' figures, in code order.
fn chosen<'a>(counts: &FxHashMap<GroupKey, (usize, usize)>, figures: &Figures<'a>) -> Pass<'a> {
    let mut by_text: BTreeMap<(&'a str, Period), (GroupKey, usize)> = BTreeMap::new();
    for (&key, &(first, n)) in counts {
        if let Some(o) = figures.at(first) {
            by_text.insert((o.indicator, o.period), (key, n));
        }
    }
    let mut latest: BTreeMap<&str, (Period, GroupKey)> = BTreeMap::new();
    for (&(code, period), &(key, n)) in &by_text {
        if n >= 3 {
            latest.insert(code, (period, key));
        }
    }
    let latest: Vec<_> = latest.into_iter().take(MAX_CHARTS).collect();
    Pass::Collecting {
        wanted: (latest.iter().enumerate())
            .map(|(at, (_, (_, key)))| (*key, at))
            .collect(),
        groups: EntityGroups {
            figures: vec![Vec::new(); latest.len()],
            chosen: (latest.into_iter())
                .map(|(code, (period, _))| (code, period))
                .collect(),
            own: Vec::new(),
            dataset: None,
        },
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
        dataset,
        ..
    } = groups;
    let Some(dataset) = dataset else {
        return Vec::new();
    };
    let at = |i: u32| dataset.get(i as usize);
    chosen
        .into_iter()
        .zip(figures)
        .map(|((code, period), mut rows)| {
            // The unit the files give, for an indicator the catalogue does
            // not define: the first figure's that has one.
            let unit = catalog
                .get(code)
                .map(|i| i.unit.clone())
                .or_else(|| {
                    rows.iter()
                        .find_map(|&(_, i)| at(i)?.unit().map(|u| u.to_string()))
                })
                .unwrap_or_default();
            rows.sort_by(|a, b| b.0.total_cmp(&a.0));
            let point = |&(value, i): &EntityValue| {
                let o = at(i);
                let cell = o.map(|o| o.cell);
                Point {
                    label: o.and_then(|o| o.entity()).unwrap_or_default().to_string(),
                    value,
                    cell,
                    failed: cell.is_some_and(|c| failed.contains(&c)),
                }
            };
            let mut points: Vec<Point> = Vec::new();
            if rows.len() > 2 * N + 1 {
                points.extend(rows[..N].iter().map(point));
                let rest = &rows[N..rows.len() - N];
                let mean = rest.iter().map(|r| r.0).sum::<f64>() / rest.len() as f64;
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
                unit,
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
    use crate::model::{Observation, RowLabels, Value};

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
        let figures = Figures::new(&dataset);
        for budget in [1, 7, 119, 120, 121, 1_000] {
            let mut gathering = EntityGathering::default();
            let mut steps = 0;
            while !gathering.step(&figures, budget) {
                steps += 1;
            }
            assert!(steps + 1 >= 2 * dataset.len() / budget, "{budget}: {steps}");
            let sliced = charts(&catalog, &failed, gathering.finish(&figures));
            assert_eq!(sliced, at_once, "{budget}");
        }
        // Finished early, the rest is gathered at once.
        let mut early = EntityGathering::default();
        early.step(&figures, 50);
        assert_eq!(charts(&catalog, &failed, early.finish(&figures)), at_once);
    }
}
