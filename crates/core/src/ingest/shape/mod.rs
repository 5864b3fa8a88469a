//! From a table (header + rows) to observations: detects the long or wide
//! shape from the header, resolves indicators against the catalogue, reads
//! periods and values, and reports every cell it could not read.

use super::cells::{trim, Cells, SheetCell};
use super::number::{read_number, style_evidence, DecimalStyle, NumberReading};
use super::text::nfc;
use super::text_map::{ShortKey, TextMap};
use super::TableRead;
use crate::fold::fold;

mod settle;
mod suggest;
use crate::catalog::{Catalog, Kind};
use crate::model::{
    column_letters, CellRef, CellText, FileId, Finding, Label, Observation, Period, RowLabels,
    Severity, Value,
};
use crate::vn::format_number;
use rustc_hash::FxHashMap;
use settle::Ambiguous;
pub use settle::{settle, PartEnd, Settled};
use std::collections::HashMap;
use std::rc::Rc;
pub use suggest::{did_you_mean, Suggestions};

/// What a header names, matched without case, diacritics or spacing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Role {
    Code,
    Name,
    Period,
    Value,
    Unit,
    Entity,
    Ignored,
}

fn role_of(header: &str) -> Option<Role> {
    let role = match fold(header).as_str() {
        "machitieu" | "maso" | "ma" | "code" | "indicatorcode" | "mahieu" | "machitieuthongke" => {
            Role::Code
        }
        "chitieu" | "tenchitieu" | "name" | "indicator" | "indicatorname" | "noidung" => Role::Name,
        "ky" | "nam" | "period" | "year" | "kybaocao" | "thoiky" | "thoigian" => Role::Period,
        "giatri" | "solieu" | "value" | "sol" | "thuchien" => Role::Value,
        "donvitinh" | "dvt" | "unit" | "donvido" => Role::Unit,
        "donvibaocao" | "diaban" | "diaphuong" | "entity" | "coquan" | "tinh" | "huyen" | "xa"
        | "tinhthanhpho" | "reportingentity" => Role::Entity,
        "nguon" | "source" | "ghichu" | "note" | "notes" | "kind" | "loai" | "stt" | "tt"
        | "whereinseed" => Role::Ignored,
        _ => return None,
    };
    Some(role)
}

#[derive(Debug)]
enum Layout {
    Long { period: usize, value: usize },
    Wide { periods: Vec<(usize, Period)> },
}

/// Turns rows into observations for one table of one file.
pub struct Shaper<'c> {
    catalog: &'c Catalog,
    file: FileId,
    sheet: u32,
    code: Option<usize>,
    name: Option<usize>,
    unit: Option<usize>,
    entity: Option<usize>,
    layout: Layout,
    style: DecimalStyle,
    /// Observations whose number allowed two readings, settled in `finish`.
    ambiguous: Vec<Ambiguous>,
    /// Whether this shaper reads a table from its start, so that the style
    /// its numbers show is the table's (else an earlier part's decides).
    from_start: bool,
    /// Observations handed out already (`take_observations`).
    taken: usize,
    unknown: FxHashMap<String, Vec<CellRef>>,
    /// Resolutions and periods by cell text (code, then name): a big file
    /// repeats a few dozen codes and periods a million times, and folding
    /// text is not free.
    resolved: Resolved,
    periods: TextMap<Option<Period>>,
    /// The last row's period and entity (with unit and name): long files
    /// list an entity's figures together, so most rows repeat the row above.
    last_period: Option<(ShortKey, Option<Period>)>,
    last_row: Option<([ShortKey; 3], Option<Rc<RowLabels>>)>,
    rows: FxHashMap<RowLabels, Rc<RowLabels>>,
    labels: Labels,
    pub observations: Vec<Observation>,
    pub findings: Vec<Finding>,
    /// Keeps each rule's findings within the cap.
    cap: crate::cap::Cap,
    /// The most figures this table may give (`Limits::max_figures`); past
    /// it, rows are still looked at but give nothing, and one error says so.
    max_figures: usize,
}

impl<'c> Shaper<'c> {
    /// Keeps `finding` unless its rule is over the cap (then it is counted).
    fn report(&mut self, finding: Finding) {
        if self.cap.admit(&finding) {
            self.findings.push(finding);
        }
    }

    /// Reads the header row; a header that shows no known shape is a finding.
    pub fn new(
        catalog: &'c Catalog,
        file: FileId,
        sheet: u32,
        header: &[String],
    ) -> Result<Self, Box<Finding>> {
        let mut roles: HashMap<Role, usize> = HashMap::new();
        let mut periods = Vec::new();
        for (i, h) in header.iter().enumerate() {
            if let Some(role) = role_of(h) {
                roles.entry(role).or_insert(i);
            } else if let Some(p) = Period::parse(h) {
                periods.push((i, p));
            }
        }
        let code = roles.get(&Role::Code).copied();
        let name = roles.get(&Role::Name).copied();
        if code.is_none() && name.is_none() {
            return Err(Box::new(shape_finding(
                file,
                header,
                "không có cột mã chỉ tiêu hoặc tên chỉ tiêu",
                "no indicator code or name column",
            )));
        }
        let layout = match (roles.get(&Role::Period), roles.get(&Role::Value)) {
            (Some(&period), Some(&value)) => Layout::Long { period, value },
            _ if !periods.is_empty() => Layout::Wide { periods },
            _ => {
                return Err(Box::new(shape_finding(
                    file,
                    header,
                    "không có cột kỳ và giá trị (dạng dọc), cũng không có cột năm (dạng ngang)",
                    "no period and value columns (long shape) nor year columns (wide shape)",
                )))
            }
        };
        Ok(Shaper {
            catalog,
            file,
            sheet,
            code,
            name,
            unit: roles.get(&Role::Unit).copied(),
            entity: roles.get(&Role::Entity).copied(),
            layout,
            style: DecimalStyle::Unknown,
            ambiguous: Vec::new(),
            from_start: true,
            taken: 0,
            unknown: FxHashMap::default(),
            resolved: Resolved::default(),
            periods: TextMap::default(),
            last_period: None,
            last_row: None,
            rows: FxHashMap::default(),
            labels: Labels::default(),
            observations: Vec::new(),
            findings: Vec::new(),
            cap: crate::cap::Cap::for_file(file),
            max_figures: usize::MAX,
        })
    }

    fn cell_ref(&self, row: u32, col: usize) -> CellRef {
        CellRef {
            file: self.file,
            sheet: self.sheet,
            row,
            col: col as u32,
        }
    }

    /// Makes room for `observations` more observations.
    pub fn reserve(&mut self, observations: usize) {
        self.observations.reserve(observations);
    }

    /// The indicator a row's code and name texts name, cached per text pair.
    fn resolve(&mut self, code_text: &str, name_text: &str) -> Resolution {
        // A table with a code or a name column, not both, needs one lookup.
        let one = match (self.code, self.name) {
            (Some(_), None) => Some(code_text),
            (None, Some(_)) => Some(name_text),
            _ => None,
        };
        let cached = match one {
            Some(text) => self.resolved.by_one.get(text),
            None => self
                .resolved
                .by_pair
                .get(code_text)
                .and_then(|m| m.get(name_text)),
        };
        if let Some(r) = cached {
            return r.clone();
        }
        let catalog = self.catalog;
        let known = catalog
            .resolve(code_text)
            .filter(|_| !code_text.is_empty())
            .or_else(|| catalog.resolve(name_text).filter(|_| !name_text.is_empty()));
        let r = match known {
            Some(ind) => Resolution::Known(self.labels.get(&ind.code), ind.kind),
            None if code_text.is_empty() => Resolution::Unknown(self.labels.get(name_text)),
            None => Resolution::Unknown(self.labels.get(code_text)),
        };
        match one {
            Some(text) => self.resolved.by_one.insert(text, r.clone()),
            None => self
                .resolved
                .by_pair
                .get_or_insert_with(code_text, TextMap::default)
                .insert(name_text, r.clone()),
        }
        r
    }

    /// Reads one data row; `row` is the spreadsheet row number (header = 1).
    pub fn row<C: Cells + ?Sized>(&mut self, row: u32, cells: &C) {
        if cells.is_blank() {
            return;
        }
        let code_text = self.code.map(|c| trim(cells.cell(c))).unwrap_or("");
        let name_text = self.name.map(|c| trim(cells.cell(c))).unwrap_or("");
        let resolved = self.resolve(code_text, name_text);
        let (indicator, kind) = match resolved {
            Resolution::Known(code, kind) => (code, Some(kind)),
            Resolution::Unknown(_) if code_text.is_empty() && name_text.is_empty() => {
                let col = self.code.or(self.name).unwrap_or(0);
                self.report(missing_indicator(self.cell_ref(row, col)));
                return;
            }
            Resolution::Unknown(text) => {
                let col = if code_text.is_empty() {
                    self.name
                } else {
                    self.code
                };
                let cell = self.cell_ref(row, col.unwrap_or(0));
                match self.unknown.get_mut(&*text) {
                    Some(cells) => cells.push(cell),
                    None => {
                        self.unknown.insert(text.to_string(), vec![cell]);
                    }
                }
                (text, None)
            }
        };
        let row_labels = self.row_labels_at(cells);
        let common = Common {
            indicator,
            kind,
            row: row_labels,
        };
        match &self.layout {
            Layout::Long { period, value } => {
                let (period_col, value_col) = (*period, *value);
                let period_text = trim(cells.cell(period_col));
                let Some(period) = self.period_of(period_text) else {
                    self.report(
                        Finding::new(
                            Severity::Error,
                            "read.unreadable-period",
                            format!("Không đọc được kỳ báo cáo \"{period_text}\" (ví dụ hợp lệ: 2020, 2016-2020, Quý I/2021)"),
                            format!("Cannot read the period \"{period_text}\" (valid: 2020, 2016-2020, Quý I/2021)"),
                        )
                        .at(self.cell_ref(row, period_col), period_text),
                    );
                    return;
                };
                let raw = cells.cell(value_col);
                if trim(raw).is_empty() {
                    self.report(
                        Finding::new(
                            Severity::Warning,
                            "read.empty-value",
                            format!("Chỉ tiêu {} kỳ {period} để trống giá trị", common.indicator),
                            format!("Indicator {} for {period} has no value", common.indicator),
                        )
                        .at(self.cell_ref(row, value_col), raw),
                    );
                    return;
                }
                let exact = cells.number(value_col);
                self.value(common, period, row, value_col, raw, exact);
            }
            Layout::Wide { periods } => {
                for (col, period) in periods.clone() {
                    let raw = cells.cell(col);
                    if !trim(raw).is_empty() {
                        self.value(common.clone(), period, row, col, raw, cells.number(col));
                    }
                }
            }
        }
    }

    /// The row's entity, unit and name, shared per distinct three.
    fn row_labels_at<C: Cells + ?Sized>(&mut self, cells: &C) -> Option<Rc<RowLabels>> {
        let text = |col: Option<usize>| col.map_or("", |c| trim(cells.cell(c)));
        let texts = [text(self.entity), text(self.unit), text(self.name)];
        // Most tables have an entity column only: one key to make then.
        let key = |i: usize| match texts[i] {
            "" => Some(ShortKey::default()),
            t => ShortKey::new(t),
        };
        let entity_key = key(0);
        let keys = if self.unit.is_none() && self.name.is_none() {
            entity_key.map(|e| [e, ShortKey::default(), ShortKey::default()])
        } else {
            match (entity_key, key(1), key(2)) {
                (Some(a), Some(b), Some(c)) => Some([a, b, c]),
                _ => None,
            }
        };
        if let (Some((last, shared)), Some(keys)) = (&self.last_row, &keys) {
            if last == keys {
                return shared.clone();
            }
        }
        let labels = &mut self.labels;
        let [entity, unit, name] = texts.map(|t| (!t.is_empty()).then(|| labels.get(t)));
        let row = RowLabels { entity, unit, name };
        let shared = (row != RowLabels::default()).then(|| {
            self.rows
                .entry(row)
                .or_insert_with_key(|r| Rc::new(r.clone()))
                .clone()
        });
        self.last_row = keys.map(|k| (k, shared.clone()));
        shared
    }

    /// The period a cell's text names, cached by text.
    fn period_of(&mut self, text: &str) -> Option<Period> {
        let key = ShortKey::new(text);
        if let (Some((last, period)), Some(key)) = (self.last_period, key) {
            if last == key {
                return period;
            }
        }
        let period = *self
            .periods
            .get_or_insert_keyed(key, text, || Period::parse(text));
        self.last_period = key.map(|k| (k, period));
        period
    }

    fn value(
        &mut self,
        common: Common,
        period: Period,
        row: u32,
        col: usize,
        raw: &str,
        exact: Option<f64>,
    ) {
        let cell = self.cell_ref(row, col);
        let value = if common.kind == Some(Kind::Text) {
            Value::text(nfc(raw.trim()))
        } else if let Some(v) = exact {
            // A spreadsheet number is what it is: no reading, no ambiguity.
            Value::Number(v)
        } else {
            match read_number(raw) {
                NumberReading::Exact(v) => {
                    if self.style == DecimalStyle::Unknown {
                        self.style = style_evidence(raw);
                    }
                    Value::Number(v)
                }
                NumberReading::Ambiguous { grouped, decimal } => {
                    // Settled now when the file or the indicator already
                    // says how to read it; else in `finish`.
                    let whole = matches!(common.kind, Some(Kind::Count | Kind::Rank));
                    if !whole && (self.style != DecimalStyle::Vietnamese || !self.from_start) {
                        self.ambiguous.push(Ambiguous {
                            index: self.taken + self.observations.len(),
                            grouped,
                            decimal,
                            indicator: common.indicator.to_string(),
                            cell,
                            raw: raw.into(),
                        });
                    }
                    Value::Number(grouped)
                }
                NumberReading::Invalid => {
                    self.report(
                        Finding::new(
                            Severity::Error,
                            "read.unreadable-value",
                            format!(
                                "Không đọc được số \"{}\" của chỉ tiêu {} kỳ {period}",
                                raw.trim(),
                                common.indicator
                            ),
                            format!(
                                "\"{}\" is not a number (indicator {}, {period})",
                                raw.trim(),
                                common.indicator
                            ),
                        )
                        .at(cell, raw),
                    );
                    return;
                }
            }
        };
        if self.taken + self.observations.len() >= self.max_figures {
            return self.full(cell);
        }
        self.observations.push(Observation {
            indicator: common.indicator,
            period,
            value,
            cell,
            raw: CellText::from(raw),
            row: common.row,
        });
    }
    /// This shaper reads a part of a table that does not begin it.
    pub fn continuing(&mut self) {
        self.from_start = false;
    }

    /// Gives at most `max` figures.
    pub fn limit_figures(&mut self, max: usize) {
        self.max_figures = max;
    }

    /// The table has given all the figures it may: said once, at the first
    /// cell left out.
    fn full(&mut self, cell: CellRef) {
        if self
            .findings
            .iter()
            .any(|f| f.rule == "read.too-many-figures")
        {
            return;
        }
        let max = crate::vn::format_number(self.max_figures as f64, 0);
        self.findings.push(
            Finding::new(
                Severity::Error,
                "read.too-many-figures",
                format!("Tệp có hơn {max} số liệu, quá sức trang; chỉ đọc {max} số liệu đầu. Hãy tách tệp."),
                format!("The file holds more than {} figures, too many for the page; only the first are read. Split the file.", self.max_figures),
            )
            .at(cell, ""),
        );
    }

    /// The observations read so far, handed out (the reader worker sends
    /// them while it reads on). What `finish` settles among them afterwards
    /// comes back as corrections.
    pub fn take_observations(&mut self) -> Vec<Observation> {
        let taken = std::mem::take(&mut self.observations);
        self.taken += taken.len();
        taken
    }
}

#[derive(Clone)]
struct Common {
    indicator: Label,
    kind: Option<Kind>,
    row: Option<Rc<RowLabels>>,
}

/// Resolutions by the one text a table names indicators with, or by the
/// pair (code, name) when it has both columns.
#[derive(Default)]
struct Resolved {
    by_one: TextMap<Resolution>,
    by_pair: TextMap<TextMap<Resolution>>,
}

/// What a row's code and name texts name.
#[derive(Clone)]
enum Resolution {
    Known(Label, Kind),
    /// Not in the catalogue: the text the row used (its code, else its name).
    Unknown(Label),
}

/// Each distinct text once, shared by every observation that uses it.
#[derive(Default)]
struct Labels(TextMap<Label>);

impl Labels {
    /// The label for a cell's text, in NFC: texts that differ only in
    /// normalisation share one label.
    fn get(&mut self, text: &str) -> Label {
        if let Some(label) = self.0.get(text) {
            return label.clone();
        }
        let normal = nfc(text);
        if let Some(label) = self.0.get(normal.as_ref()) {
            let label = label.clone();
            self.0.insert(text, label.clone());
            return label;
        }
        let label = Label::from(normal.as_ref());
        self.0.insert(normal.as_ref(), label.clone());
        if normal != text {
            self.0.insert(text, label.clone());
        }
        label
    }
}

const MISSING_INDICATOR: &str = "read.missing-indicator";

fn missing_indicator(cell: CellRef) -> Finding {
    let row = cell.row;
    Finding::new(
        Severity::Error,
        MISSING_INDICATOR,
        format!("Dòng {row} không có mã hay tên chỉ tiêu"),
        format!("Row {row} has no indicator code or name"),
    )
    .at(cell, "")
}

fn shape_finding(file: FileId, header: &[String], vi: &str, en: &str) -> Finding {
    let shown: Vec<String> = header
        .iter()
        .enumerate()
        .take(12)
        .map(|(i, h)| format!("{}: \"{}\"", column_letters(i as u32), h.trim()))
        .collect();
    let shown = shown.join(", ");
    Finding::new(
        Severity::Error,
        "read.unknown-shape",
        format!("Không nhận ra cấu trúc bảng: {vi}. Dòng tiêu đề: {shown}"),
        format!("Unrecognised table: {en}. Header row: {shown}"),
    )
    .in_file(file)
}

/// Shapes rows already in memory (JSON records, a sheet's grid): `rows` are
/// (spreadsheet row number, cells). A header that shows no shape is a finding.
pub fn shape_rows<'r>(
    shaper: Result<Shaper<'_>, Box<Finding>>,
    header: Vec<String>,
    rows: impl Iterator<Item = (u32, &'r [SheetCell])>,
) -> TableRead {
    let mut out = TableRead::default();
    let mut shaper = match shaper {
        Ok(s) => s,
        Err(f) => {
            out.findings.push(*f);
            return out;
        }
    };
    out.columns = header;
    for (row, cells) in rows {
        shaper.row(row, cells);
        out.rows += 1;
    }
    let settled = shaper.finish();
    out.observations = settled.observations;
    out.findings = settled.findings;
    out
}
