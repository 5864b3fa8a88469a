//! The checks a biểu carries in itself, with no catalogue: the total row is
//! the sum of its units, a section's subtotal the sum of its own, the
//! formulas of the column-number row hold, a "Chia theo" group adds up to
//! the column it splits and a "Trong đó" group to at most it, counts are
//! whole and not negative, percentages lie between 0 and 100. Each finding
//! is pinned to its cell and shows its arithmetic.

use super::body::{leaves, BodyRow, RowKind};
use super::header::{Formula, GroupKind, Header, ValueKind};
use crate::model::{CellRef, FileId, Finding, Severity};
use crate::vn::format_number;

/// Where the figures are: the file and sheet, for cell references.
pub struct Place {
    pub file: FileId,
    pub sheet: u32,
}

impl Place {
    fn cell(&self, row: &BodyRow, col: u32) -> CellRef {
        CellRef {
            file: self.file,
            sheet: self.sheet,
            row: row.row + 1,
            col,
        }
    }
}

/// A number as the report writes it, with up to three decimals.
fn n(v: f64) -> String {
    format_number(v, if v.fract() == 0.0 { 0 } else { 3 })
}

fn decimals(raw: &str) -> i32 {
    raw.rsplit_once([',', '.'])
        .filter(|(_, d)| d.len() < 3 && d.chars().all(|c| c.is_ascii_digit()))
        .map_or(0, |(_, d)| d.len() as i32)
}

/// What rounding allows a sum of `terms` figures shown with these texts.
fn tolerance<'a>(raws: impl Iterator<Item = &'a str>, terms: usize) -> f64 {
    let d = raws.map(decimals).max().unwrap_or(0);
    if d == 0 {
        1e-9
    } else {
        0.5 * 10f64.powi(-d) * terms.max(1) as f64 + 1e-9
    }
}

struct Checker<'a> {
    header: &'a Header,
    body: &'a [BodyRow],
    place: Place,
    out: Vec<Finding>,
    /// Per row and column, whether the figure is the exact sum of the rows
    /// under it. A linear identity over columns that all hold so holds on
    /// the rows under it and fails there by the same amount, so it is not
    /// checked again (one broken unit is one finding, not one more per total).
    sums_hold: Vec<Vec<bool>>,
}

impl Checker<'_> {
    fn column_name(&self, i: usize) -> &str {
        self.header.columns.get(i).map_or("?", |c| c.name.as_str())
    }

    fn col(&self, i: usize) -> u32 {
        self.header.columns.get(i).map_or(0, |c| c.col)
    }

    fn value<'r>(&self, row: &'r BodyRow, i: usize) -> Option<(f64, &'r str)> {
        let f = row.figures.get(i)?.as_ref()?;
        Some((f.value, f.raw.as_str()))
    }

    /// A finding at `head` (row, column) with every cell it involves.
    fn push(
        &mut self,
        rule: &str,
        (head_row, head_col): (&BodyRow, usize),
        others: &[(&BodyRow, usize)],
        vi: String,
        en: String,
    ) {
        let raw = self
            .value(head_row, head_col)
            .map_or(String::new(), |(_, r)| r.to_string());
        let head = self.place.cell(head_row, self.col(head_col));
        let cells: Vec<CellRef> = others
            .iter()
            .take(50)
            .map(|(r, c)| self.place.cell(r, self.col(*c)))
            .collect();
        self.out.push(
            Finding::new(Severity::Error, rule, vi, en)
                .at(head, raw)
                .with_cells(cells),
        );
    }

    /// Row sums: each total against the leaves, each heading against its
    /// children, column by column.
    fn sums(&mut self) {
        let leaves: Vec<&BodyRow> = leaves(self.body).collect();
        for (at, row) in self.body.iter().enumerate() {
            let (parts, rule, what_vi, what_en): (Vec<&BodyRow>, _, _, _) = match row.kind {
                RowKind::Total => (
                    leaves.clone(),
                    "bieu.total",
                    "tổng các đơn vị",
                    "the units' sum",
                ),
                RowKind::Unit { .. } if !row.children.is_empty() => (
                    row.children
                        .iter()
                        .filter_map(|&j| self.body.get(j))
                        .collect(),
                    "bieu.subtotal",
                    "tổng các dòng thuộc mục",
                    "the sum of its rows",
                ),
                RowKind::Unit { .. } => continue,
            };
            for i in 0..self.header.columns.len() {
                let Some((total, _)) = self.value(row, i) else {
                    continue;
                };
                let present: Vec<(&BodyRow, f64, &str)> = parts
                    .iter()
                    .filter_map(|r| self.value(r, i).map(|(v, raw)| (*r, v, raw)))
                    .collect();
                if present.is_empty() {
                    continue;
                }
                let sum: f64 = present.iter().map(|(_, v, _)| v).sum();
                let raws = present.iter().map(|(_, _, r)| *r);
                let tol = tolerance(raws, present.len());
                let holds = (total - sum).abs() <= tol;
                if let Some(slot) = self.sums_hold.get_mut(at).and_then(|r| r.get_mut(i)) {
                    *slot = holds;
                }
                if !holds {
                    let name = self.column_name(i).to_string();
                    let cells: Vec<(&BodyRow, usize)> =
                        present.iter().map(|(r, _, _)| (*r, i)).collect();
                    self.push(
                        rule,
                        (row, i),
                        &cells,
                        format!(
                            "{} — cột «{name}»: {} nhưng {what_vi} là {} (lệch {})",
                            row.label,
                            n(total),
                            n(sum),
                            n(total - sum)
                        ),
                        format!(
                            "{} — column «{name}»: {} but {what_en} is {} (off by {})",
                            row.label,
                            n(total),
                            n(sum),
                            n(total - sum)
                        ),
                    );
                }
            }
        }
    }

    /// Whether every one of `columns` is the exact sum of the rows under
    /// row `at` (so an identity over them need not be checked there).
    fn derived(&self, at: usize, columns: impl IntoIterator<Item = usize>) -> bool {
        let Some(row) = self.sums_hold.get(at) else {
            return false;
        };
        columns
            .into_iter()
            .all(|c| row.get(c).copied().unwrap_or(false))
    }

    fn index_of_number(&self, number: u32) -> Option<usize> {
        self.header
            .columns
            .iter()
            .position(|c| c.number == Some(number))
    }

    /// The formulas of the column-number row, on every row of the body.
    fn formulas(&mut self) {
        for (head, formula) in &self.header.formulas {
            let head = *head;
            let own = self
                .header
                .columns
                .get(head)
                .and_then(|c| c.number)
                .unwrap_or(0);
            let (terms, shown): (Vec<(f64, usize)>, String) = match formula {
                Formula::Sum(t) => {
                    let Some(terms) = t
                        .iter()
                        .map(|(s, c)| Some((f64::from(*s), self.index_of_number(*c)?)))
                        .collect::<Option<Vec<_>>>()
                    else {
                        continue;
                    };
                    let shown = t
                        .iter()
                        .enumerate()
                        .map(|(k, (s, c))| match (k, s) {
                            (0, 1) => c.to_string(),
                            (_, 1) => format!(" + {c}"),
                            _ => format!(" − {c}"),
                        })
                        .collect();
                    (terms, shown)
                }
                Formula::Ratio { num, den, scale } => {
                    let (Some(a), Some(b)) =
                        (self.index_of_number(*num), self.index_of_number(*den))
                    else {
                        continue;
                    };
                    self.ratio(head, a, b, *scale, own, *num, *den);
                    continue;
                }
            };
            for (at, row) in self.body.iter().enumerate() {
                if self.derived(at, terms.iter().map(|(_, c)| *c).chain([head])) {
                    continue;
                }
                let Some((v, raw)) = self.value(row, head) else {
                    continue;
                };
                let values: Option<Vec<(f64, &str)>> = terms
                    .iter()
                    .map(|(s, c)| self.value(row, *c).map(|(x, r)| (s * x, r)))
                    .collect();
                let Some(values) = values else {
                    continue;
                };
                let sum: f64 = values.iter().map(|(x, _)| x).sum();
                let tol = tolerance(values.iter().map(|(_, r)| *r).chain([raw]), values.len());
                if (v - sum).abs() > tol {
                    let cells: Vec<(&BodyRow, usize)> =
                        terms.iter().map(|(_, c)| (row, *c)).collect();
                    let figures: Vec<String> = values.iter().map(|(x, _)| n(x.abs())).collect();
                    self.push(
                        "bieu.formula",
                        (row, head),
                        &cells,
                        format!(
                            "{} — cột {own} = {shown}: {} ≠ {} ({})",
                            row.label,
                            n(v),
                            n(sum),
                            figures.join("; ")
                        ),
                        format!(
                            "{} — column {own} = {shown}: {} ≠ {} ({})",
                            row.label,
                            n(v),
                            n(sum),
                            figures.join("; ")
                        ),
                    );
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn ratio(&mut self, head: usize, a: usize, b: usize, scale: f64, own: u32, num: u32, den: u32) {
        // A percentage column written as "(6)=(4)/(3)" is ×100.
        let percent = self
            .header
            .columns
            .get(head)
            .is_some_and(|c| c.kind == ValueKind::Percent);
        let scale = if scale == 1.0 && percent {
            100.0
        } else {
            scale
        };
        for row in self.body {
            let (Some((v, raw)), Some((x, _)), Some((y, _))) = (
                self.value(row, head),
                self.value(row, a),
                self.value(row, b),
            ) else {
                continue;
            };
            if y == 0.0 {
                continue;
            }
            let expected = x / y * scale;
            let tol = 0.5 * 10f64.powi(-decimals(raw)) + 1e-9;
            if (v - expected).abs() > tol {
                self.push(
                    "bieu.formula",
                    (row, head),
                    &[(row, a), (row, b)],
                    format!(
                        "{} — cột {own} = {num}/{den}: {} ≠ {} / {} = {}",
                        row.label,
                        n(v),
                        n(x),
                        n(y),
                        format_number(expected, 2)
                    ),
                    format!(
                        "{} — column {own} = {num}/{den}: {} ≠ {} / {} = {}",
                        row.label,
                        n(v),
                        n(x),
                        n(y),
                        format_number(expected, 2)
                    ),
                );
            }
        }
    }

    /// Whether the column-number row already declares `whole = Σ members`.
    fn declared(&self, whole: usize, members: &[usize]) -> bool {
        self.header.formulas.iter().any(|(head, f)| {
            *head == whole
                && matches!(f, Formula::Sum(t) if {
                    let mut cols: Vec<usize> = t.iter().filter_map(|(_, c)| self.index_of_number(*c)).collect();
                    cols.sort_unstable();
                    cols == members
                })
        })
    }

    /// "Chia theo" groups add up to the column they split; "Trong đó" groups
    /// to at most it.
    fn groups(&mut self) {
        let header = self.header;
        for group in &header.groups {
            let Some(whole) = group.whole else {
                continue;
            };
            let (rule, strict) = match group.kind {
                GroupKind::Split if !self.declared(whole, &group.members) => ("bieu.split", true),
                GroupKind::Within => ("bieu.within", false),
                _ => continue,
            };
            for (at, row) in self.body.iter().enumerate() {
                if self.derived(at, group.members.iter().copied().chain([whole])) {
                    continue;
                }
                let Some((total, raw)) = self.value(row, whole) else {
                    continue;
                };
                let parts: Vec<(f64, &str)> = group
                    .members
                    .iter()
                    .filter_map(|&c| self.value(row, c))
                    .collect();
                if parts.is_empty() || (strict && parts.len() < group.members.len()) {
                    continue;
                }
                let sum: f64 = parts.iter().map(|(v, _)| v).sum();
                let tol = tolerance(parts.iter().map(|(_, r)| *r).chain([raw]), parts.len());
                let broken = if strict {
                    (total - sum).abs() > tol
                } else {
                    sum > total + tol
                };
                if broken {
                    let cells: Vec<(&BodyRow, usize)> =
                        group.members.iter().map(|&c| (row, c)).collect();
                    let whole_name = self.column_name(whole).to_string();
                    let (vi, en) = if strict {
                        (
                            format!(
                                "{} — «{}» cộng lại {} nhưng «{whole_name}» là {}",
                                row.label,
                                group.title,
                                n(sum),
                                n(total)
                            ),
                            format!(
                                "{} — «{}» adds up to {} but «{whole_name}» is {}",
                                row.label,
                                group.title,
                                n(sum),
                                n(total)
                            ),
                        )
                    } else {
                        (
                            format!(
                                "{} — «{}» cộng lại {}, vượt «{whole_name}» ({})",
                                row.label,
                                group.title,
                                n(sum),
                                n(total)
                            ),
                            format!(
                                "{} — «{}» adds up to {}, more than «{whole_name}» ({})",
                                row.label,
                                group.title,
                                n(sum),
                                n(total)
                            ),
                        )
                    };
                    self.push(rule, (row, whole), &cells, vi, en);
                }
            }
        }
    }

    /// Counts whole and not negative; percentages within 0–100.
    fn values(&mut self) {
        for row in self.body {
            for (i, column) in self.header.columns.iter().enumerate() {
                let Some((v, _)) = self.value(row, i) else {
                    continue;
                };
                let name = &column.name;
                let (rule, vi, en) = match column.kind {
                    ValueKind::Count if v < 0.0 || v.fract() != 0.0 => (
                        "bieu.count",
                        format!(
                            "{} — «{name}» là {}: số đếm phải là số nguyên không âm",
                            row.label,
                            n(v)
                        ),
                        format!(
                            "{} — «{name}» is {}: a count must be a whole number, not negative",
                            row.label,
                            n(v)
                        ),
                    ),
                    ValueKind::Percent if !(0.0..=100.0).contains(&v) => (
                        "bieu.percent",
                        format!(
                            "{} — «{name}» là {}%: tỷ lệ phải từ 0 đến 100",
                            row.label,
                            n(v)
                        ),
                        format!(
                            "{} — «{name}» is {}%: a percentage lies between 0 and 100",
                            row.label,
                            n(v)
                        ),
                    ),
                    _ => continue,
                };
                self.push(rule, (row, i), &[], vi, en);
            }
        }
    }
}

/// Every check of the biểu, in the order of its rules.
pub fn check(header: &Header, body: &[BodyRow], place: Place) -> Vec<Finding> {
    let mut c = Checker {
        header,
        body,
        place,
        out: Vec::new(),
        sums_hold: vec![vec![false; header.columns.len()]; body.len()],
    };
    c.sums();
    c.formulas();
    c.groups();
    c.values();
    c.out
}
