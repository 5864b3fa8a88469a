//! Charts: which ones the data call for ([`choose`]), and how each is drawn
//! ([`draw`] lays a chart out into shapes; [`svg`] writes shapes as SVG text;
//! the page turns the same shapes into Yew nodes). No JavaScript charting
//! library, and no data text ever becomes markup: shapes carry plain strings.

pub mod draw;
mod entities;
pub mod svg;
mod table;
pub use entities::{EntityGathering, EntityGroups};

use crate::catalog::{Catalog, Kind, RankOf, RuleCheck};
use crate::model::{CellRef, Dataset, Period};
use std::collections::{BTreeSet, HashSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// Ranks over periods; rank 1 on top, the axis runs to N.
    RankLine,
    /// Scores over periods, drawn against each period's maximum.
    ScoreLine,
    /// A total and its parts, one stacked bar per period.
    StackedBars,
    /// Before and after (mergers): two bars.
    BeforeAfter,
    /// Any numeric indicator over its periods.
    SmallMultiple,
    /// Entities of one indicator and period: top and bottom N, the rest folded.
    Entities,
}

/// One value on a chart, with the cell it came from and whether a check failed on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub label: String,
    pub value: f64,
    pub cell: Option<CellRef>,
    pub failed: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<Point>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// Stable id: "rank-PAR_INDEX_HANG", "stack-BIEN_CHE", …
    pub id: String,
    pub kind: ChartKind,
    pub title: String,
    pub unit: String,
    /// Category labels along the x axis (periods, or entities).
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// The axis maximum where the data say it (N for ranks, the scale's max for scores).
    pub axis_max: Option<f64>,
    /// A target band (from, to) on the value axis, where a target exists.
    pub target: Option<(f64, f64)>,
    /// Per category, a maximum to draw against (PAPI: 60 up to 2017, 80 from 2018).
    pub category_max: Vec<Option<f64>>,
}

impl Chart {
    /// The accessible name: what the chart shows, in words.
    pub fn description(&self) -> String {
        self.description_in(crate::model::Lang::Vi)
    }

    /// "Biểu đồ đường điểm số: <title>", the kind in the page's language
    /// (the title is the catalogue's).
    pub fn description_in(&self, lang: crate::model::Lang) -> String {
        let (vi, en) = match self.kind {
            ChartKind::RankLine => (
                "Biểu đồ đường thứ hạng (hạng 1 ở trên cùng)",
                "Rank line chart (rank 1 at the top)",
            ),
            ChartKind::ScoreLine => ("Biểu đồ đường điểm số", "Score line chart"),
            ChartKind::StackedBars => (
                "Biểu đồ cột chồng: tổng và các thành phần",
                "Stacked bars: the total and its parts",
            ),
            ChartKind::BeforeAfter => (
                "Biểu đồ cột trước và sau sắp xếp",
                "Bars before and after the merger",
            ),
            ChartKind::SmallMultiple => ("Biểu đồ theo kỳ", "Chart by period"),
            ChartKind::Entities => ("Biểu đồ cột theo đơn vị", "Bars by unit"),
        };
        let kind = if lang == crate::model::Lang::Vi {
            vi
        } else {
            en
        };
        format!("{kind}: {}", self.title)
    }
}

/// The report's own figures (no entity), indexed once: a file of a million
/// entity rows must not make every chart point a scan of all of them.
struct Lookup<'a> {
    own: std::collections::HashMap<(&'a str, Period), crate::model::ObservationRef<'a>>,
    periods: std::collections::HashMap<&'a str, BTreeSet<Period>>,
    failed: &'a HashSet<CellRef>,
}

impl<'a> Lookup<'a> {
    /// From the agency's observations, in reading order (the first of a
    /// figure given twice wins).
    fn new(agency: &[crate::model::ObservationRef<'a>], failed: &'a HashSet<CellRef>) -> Self {
        let mut own = std::collections::HashMap::new();
        let mut periods: std::collections::HashMap<&str, BTreeSet<Period>> =
            std::collections::HashMap::new();
        for &o in agency {
            own.entry((o.indicator, o.period)).or_insert(o);
            if o.value.number().is_some() {
                periods.entry(o.indicator).or_default().insert(o.period);
            }
        }
        Lookup {
            own,
            periods,
            failed,
        }
    }
}

impl Lookup<'_> {
    /// The report's own figure (no entity) of `code` in `period`.
    fn point(&self, code: &str, period: Period, label: String) -> Option<Point> {
        let o = self.own.get(&(code, period))?;
        Some(Point {
            label,
            value: o.value.number()?,
            cell: Some(o.cell),
            failed: self.failed.contains(&o.cell),
        })
    }

    fn periods(&self, code: &str) -> Vec<Period> {
        self.periods
            .get(code)
            .map(|p| p.iter().copied().collect())
            .unwrap_or_default()
    }
}

/// The charts the data call for, in reading order. `failed` are the cells
/// some check failed on; their points are marked.
pub fn choose(dataset: &Dataset, catalog: &Catalog, failed: &HashSet<CellRef>) -> Vec<Chart> {
    choose_gathered(dataset, catalog, failed, EntityGroups::new(dataset))
}

/// `choose`, with the entity charts' figures gathered already (the page
/// gathers them a slice at a time: [`EntityGathering`]).
pub fn choose_gathered(
    dataset: &Dataset,
    catalog: &Catalog,
    failed: &HashSet<CellRef>,
    entities: EntityGroups,
) -> Vec<Chart> {
    let l = Lookup::new(entities.own(), failed);
    let mut charts = Vec::new();
    let mut covered: HashSet<&str> = HashSet::new();
    let name_of = |code: &str| {
        catalog
            .get(code)
            .map_or(code.to_string(), |i| i.name.clone())
    };
    // Ranks and scores.
    for ind in &catalog.indicators {
        let periods = l.periods(&ind.code);
        if periods.len() < 2 || !matches!(ind.kind, Kind::Rank | Kind::Score) {
            continue;
        }
        let points: Vec<Point> = periods
            .iter()
            .filter_map(|p| l.point(&ind.code, *p, p.to_string()))
            .collect();
        let categories = points.iter().map(|p| p.label.clone()).collect();
        let (kind, id, axis_max, category_max) = if ind.kind == Kind::Rank {
            let n = match &ind.rank_of {
                Some(RankOf::Fixed(n)) => Some(f64::from(*n)),
                Some(RankOf::Indicator(of)) => periods
                    .iter()
                    .filter_map(|p| l.point(of, *p, String::new()))
                    .map(|p| p.value)
                    .reduce(f64::max),
                None => None,
            };
            (
                ChartKind::RankLine,
                format!("rank-{}", ind.code),
                n,
                Vec::new(),
            )
        } else {
            let maxima: Vec<Option<f64>> = periods
                .iter()
                .map(|p| {
                    ind.range
                        .iter()
                        .filter(|r| r.applies_to(p.end_year()))
                        .find_map(|r| r.max)
                })
                .collect();
            let axis = maxima.iter().flatten().copied().reduce(f64::max);
            (
                ChartKind::ScoreLine,
                format!("score-{}", ind.code),
                axis,
                maxima,
            )
        };
        covered.insert(&ind.code);
        charts.push(Chart {
            id,
            kind,
            title: ind.name.clone(),
            unit: ind.unit.clone(),
            categories,
            series: vec![Series {
                name: ind.name.clone(),
                points,
            }],
            axis_max,
            target: ind.target.map(|t| (t.from, t.to)),
            category_max,
        });
    }
    // Totals and their parts; before/after for mergers.
    for rule in &catalog.rules {
        match &rule.check {
            RuleCheck::Sum { total, parts } => {
                let periods: Vec<Period> = l
                    .periods(total)
                    .into_iter()
                    .filter(|p| {
                        parts
                            .iter()
                            .all(|c| l.point(c, *p, String::new()).is_some())
                    })
                    .collect();
                if periods.is_empty() || charts.iter().any(|c| c.id == format!("stack-{total}")) {
                    continue;
                }
                let series = parts
                    .iter()
                    .map(|c| Series {
                        name: name_of(c),
                        points: periods
                            .iter()
                            .filter_map(|p| l.point(c, *p, p.to_string()))
                            .collect(),
                    })
                    .collect();
                charts.push(Chart {
                    id: format!("stack-{total}"),
                    kind: ChartKind::StackedBars,
                    title: name_of(total),
                    unit: catalog
                        .get(total)
                        .map(|i| i.unit.clone())
                        .unwrap_or_default(),
                    categories: periods.iter().map(Period::to_string).collect(),
                    series,
                    axis_max: None,
                    target: None,
                    category_max: Vec::new(),
                });
            }
            RuleCheck::Difference {
                result,
                minuend,
                subtrahend,
            } => {
                let Some(&period) = l.periods(result).last() else {
                    continue;
                };
                let (Some(before), Some(after)) = (
                    l.point(minuend, period, "Trước".into()),
                    l.point(subtrahend, period, "Sau".into()),
                ) else {
                    continue;
                };
                charts.push(Chart {
                    id: format!("merge-{result}"),
                    kind: ChartKind::BeforeAfter,
                    title: format!("{} ({period})", name_of(result)),
                    unit: catalog
                        .get(minuend)
                        .map(|i| i.unit.clone())
                        .unwrap_or_default(),
                    categories: vec!["Trước".into(), "Sau".into()],
                    series: vec![Series {
                        name: name_of(minuend),
                        points: vec![before, after],
                    }],
                    axis_max: None,
                    target: None,
                    category_max: Vec::new(),
                });
            }
            _ => {}
        }
    }
    // Every other numeric indicator with two or more periods.
    for ind in &catalog.indicators {
        if covered.contains(ind.code.as_str()) || ind.kind == Kind::Text {
            continue;
        }
        let periods = l.periods(&ind.code);
        if periods.len() < 2 {
            continue;
        }
        let points: Vec<Point> = periods
            .iter()
            .filter_map(|p| l.point(&ind.code, *p, p.to_string()))
            .collect();
        charts.push(Chart {
            id: format!("multiple-{}", ind.code),
            kind: ChartKind::SmallMultiple,
            title: ind.name.clone(),
            unit: ind.unit.clone(),
            categories: points.iter().map(|p| p.label.clone()).collect(),
            series: vec![Series {
                name: ind.name.clone(),
                points,
            }],
            axis_max: None,
            target: None,
            category_max: Vec::new(),
        });
    }
    charts.extend(table::table_charts(dataset, failed));
    charts.extend(entities::charts(catalog, failed, entities));
    charts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Observation, RowLabels, Value};

    #[test]
    fn a_catalogue_target_becomes_a_band_on_the_rank_chart(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let text = Catalog::builtin_text().replace(
            "rank_of = \"SO_TINH_XEP_HANG\"",
            "rank_of = \"SO_TINH_XEP_HANG\"\ntarget = { from = 10, to = 15 }",
        );
        let catalog = Catalog::from_toml(&text)?;
        let sample = crate::workspace::Workspace::sample();
        let charts = choose(sample.dataset(), &catalog, &HashSet::new());
        let par = charts
            .iter()
            .find(|c| c.id == "rank-PAR_INDEX_HANG")
            .ok_or("the PAR rank chart")?;
        assert_eq!(par.target, Some((10.0, 15.0)));
        let d = draw::draw(par);
        assert!(d.shapes.iter().any(|s| matches!(
            s,
            draw::Shape::Rect {
                role: draw::Role::Target,
                ..
            }
        )));
        Ok(())
    }

    #[test]
    fn many_entities_give_top_and_bottom_ten_with_the_rest_folded(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let catalog = Catalog::builtin();
        let observations = (0..30)
            .map(|i| Observation {
                indicator: "CBCC_XA".into(),
                row: RowLabels {
                    entity: Some(format!("Xã {i:02}").into()),
                    ..RowLabels::default()
                }
                .shared(),
                period: Period::Year(2020),
                value: Value::Number(f64::from(i)),
                cell: CellRef {
                    file: 0,
                    sheet: 0,
                    row: i + 2,
                    col: 3,
                },
                raw: i.to_string().into(),
            })
            .collect::<Vec<_>>();
        let dataset = Dataset::from_observations(Vec::new(), observations);
        let failed: HashSet<CellRef> = [CellRef {
            file: 0,
            sheet: 0,
            row: 31,
            col: 3,
        }]
        .into();
        let charts = choose(&dataset, &catalog, &failed);
        let chart = charts
            .iter()
            .find(|c| c.kind == ChartKind::Entities)
            .ok_or("an entity chart")?;
        let labels: Vec<&str> = chart.series[0]
            .points
            .iter()
            .map(|p| p.label.as_str())
            .collect();
        assert_eq!(labels.len(), 21);
        assert_eq!(labels[0], "Xã 29");
        assert_eq!(labels[10], "10 đơn vị khác (bình quân)");
        assert_eq!(labels[20], "Xã 00");
        assert!(
            chart.series[0].points[0].failed,
            "Xã 29's cell failed a check"
        );
        Ok(())
    }
}
