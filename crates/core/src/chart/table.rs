//! Charts of a biểu: for each sum the table declares or implies (a "Chia
//! theo" group, a column-number formula of parts), a stacked bar per unit —
//! the parts of the whole, unit by unit, in the table's order.

use super::{Chart, ChartKind, Point, Series};
use crate::model::{CellRef, Dataset, TableRule};
use rustc_hash::FxHashMap;
use std::collections::HashSet;

/// Units shown on one chart at most (the first in the table's order).
const MAX_UNITS: usize = 30;

pub fn table_charts(dataset: &Dataset, failed: &HashSet<CellRef>) -> Vec<Chart> {
    let mut charts = Vec::new();
    // Charts are named by the file's place in the list, which a saved
    // template can cite across visits (ids are given anew at each).
    for (f, file) in dataset.files.iter().enumerate() {
        for table in &file.tables {
            let indicator = |i: usize| -> Option<&str> {
                let code = table.codes.get(i)?;
                if table.left_out.get(i) == Some(&true) {
                    return None;
                }
                Some(if code.is_empty() {
                    table.columns.get(i)?
                } else {
                    code
                })
            };
            for rule in &table.rules {
                let TableRule::Sum { head, parts } = rule else {
                    continue;
                };
                if parts.len() < 2 || parts.iter().any(|(s, _)| *s < 0) {
                    continue;
                }
                let Some(parts) = parts
                    .iter()
                    .map(|(_, p)| Some((*p, indicator(*p)?)))
                    .collect::<Option<Vec<_>>>()
                else {
                    continue;
                };
                // Each part's figures by unit, from this table's cells only,
                // for its first units (a table of 10,000 communes shows 30).
                let mut units: Vec<&str> = Vec::new();
                let mut values: Vec<FxHashMap<&str, (f64, CellRef)>> =
                    vec![FxHashMap::default(); parts.len()];
                for o in dataset.observations() {
                    if o.cell.file != file.id || o.cell.sheet != table.sheet {
                        continue;
                    }
                    let (Some(entity), Some(v)) = (o.entity(), o.value.number()) else {
                        continue;
                    };
                    let Some(k) = parts.iter().position(|(_, code)| *code == &*o.indicator) else {
                        continue;
                    };
                    if units.last() != Some(&entity) && !units.contains(&entity) {
                        if units.len() == MAX_UNITS {
                            break;
                        }
                        units.push(entity);
                    }
                    if let Some(map) = values.get_mut(k) {
                        map.insert(entity, (v, o.cell));
                    }
                }
                if units.len() < 2 {
                    continue;
                }
                // The parts' group ("Chia theo giới tính") names the chart; each
                // part is named below it ("Nam", "Nữ").
                let names: Vec<&str> = parts
                    .iter()
                    .map(|(i, _)| table.columns.get(*i).map_or("", String::as_str))
                    .collect();
                let group = names
                    .first()
                    .and_then(|n| n.split_once(" › "))
                    .map(|(g, _)| g)
                    .filter(|g| names.iter().all(|n| n.starts_with(&format!("{g} › "))));
                let series = parts
                    .iter()
                    .zip(&values)
                    .zip(&names)
                    .map(|(((_, _), map), name)| Series {
                        name: match group {
                            Some(g) => name
                                .strip_prefix(g)
                                .unwrap_or(name)
                                .trim_start_matches(" › ")
                                .to_string(),
                            None => name.to_string(),
                        },
                        points: units
                            .iter()
                            .map(|u| {
                                let (value, cell) =
                                    map.get(u).map_or((0.0, None), |(v, c)| (*v, Some(*c)));
                                Point {
                                    label: u.to_string(),
                                    value,
                                    failed: cell.is_some_and(|c| failed.contains(&c)),
                                    cell,
                                }
                            })
                            .collect(),
                    })
                    .collect();
                charts.push(Chart {
                    id: format!("table-{f}-{}-{head}", table.sheet),
                    kind: ChartKind::StackedBars,
                    title: {
                        let head = table.columns.get(*head).map_or("", String::as_str);
                        match group {
                            Some(g) => format!("{head} — {g}"),
                            None => format!("{head} — {}", names.join(", ")),
                        }
                    },
                    unit: table.units.get(*head).cloned().unwrap_or_default(),
                    categories: units.iter().map(|u| u.to_string()).collect(),
                    series,
                    axis_max: None,
                    target: None,
                    category_max: Vec::new(),
                });
            }
        }
    }
    charts
}
