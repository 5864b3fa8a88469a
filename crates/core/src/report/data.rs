//! The data a template reads, gathered once after the checks: the report's
//! own agency's figures, the units' figures, the biểu tables as read, the
//! catalogue's names and sum rules, and the charts the data call for.

use super::document::{Figure, FigureStatus};
use crate::catalog::{Catalog, Kind};
use crate::model::{CellRef, Dataset, Period, TableHeader, Value as DataValue};
use std::collections::{HashMap, HashSet};

/// A figure of the report's own agency as the template may cite it.
#[derive(Clone, Debug)]
pub(super) struct DataFigure {
    pub(super) value: DataValue,
    pub(super) cell: CellRef,
    pub(super) failed: bool,
}

/// The data a template reads: the figures of the report's own agency
/// (observations without an entity), with what the checks said of them.
#[derive(Clone, Debug, Default)]
pub struct ReportData {
    pub(super) figures: HashMap<(String, Period), DataFigure>,
    pub(super) kinds: HashMap<String, Kind>,
    pub(super) names: HashMap<String, String>,
    /// total → parts, from the catalogue's sum rules.
    pub(super) parts: HashMap<String, Vec<String>>,
    pub(super) charts: Vec<crate::chart::Chart>,
    /// The biểu tables read, in the order of the files.
    pub(super) tables: Vec<TableData>,
    /// The units' figures: (indicator, period) → (unit, figure), at most
    /// [`MAX_UNIT_FIGURES`] in all.
    pub(super) units: HashMap<(String, Period), Vec<(String, DataFigure)>>,
}

impl DataFigure {
    /// The figure a template cites, written as `text`.
    pub(super) fn cited(&self, label: String, text: String) -> Figure {
        Figure {
            text,
            label,
            sources: vec![self.cell],
            status: if self.failed {
                FigureStatus::Failed
            } else {
                FigureStatus::Ok
            },
        }
    }

    /// Its value written with `format(value, decimals)`.
    pub(super) fn written(&self, format: &dyn Fn(f64, usize) -> String, decimals: usize) -> String {
        match &self.value {
            DataValue::Number(v) => format(*v, decimals),
            DataValue::Text(t) => t.to_string(),
        }
    }
}

/// A figure the data lack: a visible placeholder.
pub(super) fn missing(label: String) -> Figure {
    Figure {
        text: format!("[thiếu số liệu: {label}]"),
        label,
        sources: Vec::new(),
        status: FigureStatus::Missing,
    }
}

impl ReportData {
    pub fn new(dataset: &Dataset, catalog: &Catalog, failed_cells: &HashSet<CellRef>) -> Self {
        let entities = crate::chart::EntityGroups::new(dataset);
        Self::gathered(dataset, catalog, failed_cells, entities)
    }

    /// `new`, with the entity charts' figures gathered already (the page
    /// gathers them a slice at a time).
    pub fn gathered(
        dataset: &Dataset,
        catalog: &Catalog,
        failed_cells: &HashSet<CellRef>,
        entities: crate::chart::EntityGroups,
    ) -> Self {
        let mut figures = HashMap::new();
        for &o in entities.own() {
            figures
                .entry((o.indicator.to_string(), o.period))
                .or_insert_with(|| DataFigure {
                    value: o.value.to_value(),
                    cell: o.cell,
                    failed: failed_cells.contains(&o.cell),
                });
        }
        let kinds = catalog
            .indicators
            .iter()
            .map(|i| (i.code.clone(), i.kind))
            .collect();
        let names = catalog
            .indicators
            .iter()
            .map(|i| (i.code.clone(), i.name.clone()))
            .collect();
        let mut parts = HashMap::new();
        for rule in &catalog.rules {
            if let crate::catalog::RuleCheck::Sum { total, parts: p } = &rule.check {
                parts.entry(total.clone()).or_insert_with(|| p.clone());
            }
        }
        let charts = crate::chart::choose_gathered(dataset, catalog, failed_cells, entities);
        ReportData {
            figures,
            kinds,
            names,
            parts,
            charts,
            tables: tables_of(dataset, failed_cells),
            units: unit_figures(dataset, failed_cells),
        }
    }

    /// The biểu tables read, as the template's `bang(n)` numbers them (from 1).
    pub fn tables(&self) -> &[TableData] {
        &self.tables
    }

    /// The agency's figures as (indicator, period), sorted.
    pub fn agency_figures(&self) -> Vec<(String, Period)> {
        let mut keys: Vec<(String, Period)> = self.figures.keys().cloned().collect();
        keys.sort();
        keys
    }

    pub fn has_figure(&self, code: &str, period: Period) -> bool {
        self.figures.contains_key(&(code.to_string(), period))
    }

    /// The catalogue's sums: total → parts.
    pub fn sums(&self) -> impl Iterator<Item = (&String, &Vec<String>)> + '_ {
        self.parts.iter()
    }

    /// The agency's figure of `code` in `period` as the report writes it.
    pub fn figure_text(&self, code: &str, period: Period) -> Option<String> {
        let f = self.figures.get(&(code.to_string(), period))?;
        Some(match &f.value {
            DataValue::Number(v) => crate::vn::format_number(*v, 2),
            DataValue::Text(t) => t.to_string(),
        })
    }

    /// An indicator's name in the catalogue, if it has one.
    pub fn name_of(&self, code: &str) -> Option<&str> {
        self.names.get(code).map(String::as_str)
    }

    /// Every chart the data call for (the page's chart panel shows them all).
    pub fn charts(&self) -> &[crate::chart::Chart] {
        &self.charts
    }

    pub(super) fn periods_of(&self, code: &str) -> Vec<Period> {
        let mut p: Vec<Period> = self
            .figures
            .keys()
            .filter(|(c, _)| c == code)
            .map(|(_, p)| *p)
            .collect();
        p.sort();
        p
    }
}

/// Units' figures kept for the template's tables by unit.
pub const MAX_UNIT_FIGURES: usize = 50_000;

/// A biểu as read, with its figures by cell.
#[derive(Clone, Debug)]
pub struct TableData {
    /// The file's name as dropped, and the sheet's ("" for text files).
    pub file: String,
    pub sheet: String,
    pub header: TableHeader,
    /// (sheet row from 1, sheet column) → figure, for the rows kept.
    pub(super) cells: HashMap<(u32, u32), DataFigure>,
}

impl TableData {
    /// The figure in a body row (index into `header.rows`) and a column
    /// (index into `header.columns`), as the report writes it.
    pub fn figure_text(&self, row: usize, column: usize) -> Option<String> {
        let r = self.header.rows.get(row)?;
        let col = *self.header.letters.get(column)?;
        let f = self.cells.get(&(r.row, col))?;
        let decimals = if self.header.kinds.get(column).map(String::as_str) == Some("count") {
            0
        } else {
            2
        };
        Some(match &f.value {
            DataValue::Number(v) => crate::vn::format_number(*v, decimals),
            DataValue::Text(t) => t.to_string(),
        })
    }

    /// How a person names it: its title, else its file.
    pub fn name(&self) -> &str {
        if self.header.title.is_empty() {
            &self.file
        } else {
            &self.header.title
        }
    }
}

fn tables_of(dataset: &Dataset, failed: &HashSet<CellRef>) -> Vec<TableData> {
    let mut out = Vec::new();
    for source in &dataset.files {
        let file = source.id;
        let first = out.len();
        for header in &source.tables {
            out.push(TableData {
                file: source.name.clone(),
                sheet: source
                    .sheets
                    .get(header.sheet as usize)
                    .cloned()
                    .unwrap_or_default(),
                header: header.clone(),
                cells: HashMap::new(),
            });
        }
        if out.len() == first {
            continue;
        }
        // Only the rows a table keeps: a biểu of ten thousand units is not
        // printed whole.
        let kept: Vec<HashSet<u32>> = out[first..]
            .iter()
            .map(|t| t.header.rows.iter().map(|r| r.row).collect())
            .collect();
        for o in dataset.observations_of(file) {
            let Some(at) = out[first..]
                .iter()
                .zip(&kept)
                .position(|(t, rows)| t.header.sheet == o.cell.sheet && rows.contains(&o.cell.row))
            else {
                continue;
            };
            out[first + at].cells.insert(
                (o.cell.row, o.cell.col),
                DataFigure {
                    value: o.value.to_value(),
                    cell: o.cell,
                    failed: failed.contains(&o.cell),
                },
            );
        }
    }
    out
}

fn unit_figures(
    dataset: &Dataset,
    failed: &HashSet<CellRef>,
) -> HashMap<(String, Period), Vec<(String, DataFigure)>> {
    // Grouped by the shared label's text, borrowed: an owned key per figure
    // was an allocation and a hash of a new string for each of 50,000.
    let mut groups: HashMap<(&str, Period), Vec<(String, DataFigure)>> = HashMap::new();
    let mut kept = 0;
    for o in dataset.observations().take(20 * MAX_UNIT_FIGURES) {
        let Some(entity) = o.entity() else { continue };
        groups.entry((o.indicator, o.period)).or_default().push((
            entity.to_string(),
            DataFigure {
                value: o.value.to_value(),
                cell: o.cell,
                failed: failed.contains(&o.cell),
            },
        ));
        kept += 1;
        if kept >= MAX_UNIT_FIGURES {
            break;
        }
    }
    (groups.into_iter())
        .map(|((code, period), figures)| ((code.to_string(), period), figures))
        .collect()
}
