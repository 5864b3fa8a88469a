//! Templates: TOML front matter between `+++` lines (the header fields), then
//! Markdown with minijinja expressions. Rendering is bounded by fuel, so no
//! template can hang the page, and never panics: an error names its line.
//!
//! Figures keep their provenance through the Markdown pass: a helper such as
//! `so("CBCC_XA", 2020)` registers a [`Figure`] and writes a marker made of
//! private-use characters; the Markdown reader turns markers back into
//! [`Inline::Figure`](super::document::Inline::Figure).

use super::data::missing;
pub use super::data::ReportData;
use super::document::{Figure, FigureStatus, Header};
use crate::catalog::Kind;
use crate::model::{Period, Value as DataValue};
use crate::vn::{format_number, format_padded};
use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::marks::{period_arg, Registry};
pub use super::marks::{CHART_CLOSE, CHART_OPEN, MARK_CLOSE, MARK_OPEN, TABLE_CLOSE, TABLE_OPEN};

/// Instructions a template may run before it is stopped.
const FUEL: u64 = 2_000_000;

/// A template error, pinned to a line of the whole template text.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateError {
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "dòng {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub header: Header,
    pub body: String,
    /// Lines before the body, so body errors report the line in the whole text.
    body_offset: usize,
}

impl Template {
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let Some(rest) = text
            .strip_prefix("+++\n")
            .or_else(|| text.strip_prefix("+++\r\n"))
        else {
            return Ok(Template {
                header: Header::default(),
                body: text.to_string(),
                body_offset: 0,
            });
        };
        let Some(end) = rest.find("\n+++") else {
            return Err(TemplateError {
                line: Some(1),
                message: "phần đầu (front matter) mở bằng +++ nhưng không có dòng +++ đóng".into(),
            });
        };
        let front = &rest[..end];
        let body = rest[end + 4..]
            .trim_start_matches(['\r'])
            .strip_prefix('\n')
            .unwrap_or(&rest[end + 4..]);
        let header: Header = toml::from_str(front).map_err(|e| TemplateError {
            line: e
                .span()
                .map(|s| 2 + front[..s.start.min(front.len())].matches('\n').count()),
            message: format!("phần đầu: {}", e.message()),
        })?;
        let body_offset = 2 + front.matches('\n').count() + 1;
        Ok(Template {
            header,
            body: body.to_string(),
            body_offset,
        })
    }

    /// The built-in template of the seed report.
    pub fn builtin_text() -> &'static str {
        include_str!("../../../../assets/template-nq05.md")
    }
}

/// What one render produced: the body as Markdown with figure markers, and the figures.
pub struct Rendered {
    pub markdown: String,
    pub figures: Vec<Figure>,
    /// The charts `bieu_do` placed; chart markers index this list.
    pub charts: Vec<crate::chart::Chart>,
    /// The tables `bang` placed; table markers index this list.
    pub tables: Vec<super::table::Table>,
}

fn decimals(kind: Option<&Kind>) -> usize {
    match kind {
        Some(Kind::Count | Kind::Rank) => 0,
        _ => 2,
    }
}

/// Renders the template body with `data`. Errors carry the line in the whole template.
pub fn render(
    template: &Template,
    header: &Header,
    data: &Arc<ReportData>,
) -> Result<Rendered, TemplateError> {
    let registry = Arc::new(Mutex::new(Registry::default()));
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);

    // Looks up one figure and registers it; a missing one becomes a visible placeholder.
    let lookup = {
        let (data, registry) = (data.clone(), registry.clone());
        move |code: &str, period: Period, format: &dyn Fn(f64, usize) -> String| -> String {
            let label = format!("{code} {period}");
            let figure = match data.figures.get(&(code.to_string(), period)) {
                Some(f) => f.cited(label, f.written(format, decimals(data.kinds.get(code)))),
                None => missing(label),
            };
            registry
                .lock()
                .map(|mut r| r.mark(figure))
                .unwrap_or_default()
        }
    };
    let lookup = Arc::new(lookup);

    let l = lookup.clone();
    env.add_function(
        "so",
        move |code: String, period: Value| -> Result<String, Error> {
            Ok(l(&code, period_arg(&period)?, &format_number))
        },
    );
    let l = lookup.clone();
    env.add_function(
        "so0",
        move |code: String, period: Value| -> Result<String, Error> {
            Ok(l(&code, period_arg(&period)?, &|v, _| format_padded(v)))
        },
    );
    let l = lookup.clone();
    env.add_function(
        "chu",
        move |code: String, period: Value| -> Result<String, Error> {
            Ok(l(&code, period_arg(&period)?, &format_number))
        },
    );
    for (name, padded) in [("hieu", false), ("hieu0", true)] {
        let (d, r) = (data.clone(), registry.clone());
        env.add_function(
            name,
            move |code: String, from: Value, to: Value| -> Result<String, Error> {
                let (from, to) = (period_arg(&from)?, period_arg(&to)?);
                let figure = difference(&d, &code, from, to, padded);
                Ok(r.lock().map(|mut r| r.mark(figure)).unwrap_or_default())
            },
        );
    }
    let (d, r) = (data.clone(), registry.clone());
    env.add_function(
        "bien_dong",
        move |code: String, from: Value, to: Value| -> Result<String, Error> {
            let (from, to) = (period_arg(&from)?, period_arg(&to)?);
            // value[to] − value[from], worded: "giảm 3.479", "tăng 3", "không đổi".
            let mut figure = difference(&d, &code, to, from, false);
            if figure.status != FigureStatus::Missing {
                figure.text = worded_change(&figure.text);
            }
            Ok(r.lock().map(|mut r| r.mark(figure)).unwrap_or_default())
        },
    );
    let l = lookup.clone();
    env.add_function(
        "tang_giam",
        move |code: String, period: Value| -> Result<String, Error> {
            // An indicator that is itself a change: 3,18 → "tăng 3,18", −21 → "giảm 21".
            Ok(l(&code, period_arg(&period)?, &|v, d| {
                worded_change(&format_number(v, d))
            }))
        },
    );
    env.add_function(
        "ngay",
        |day: Option<u8>, month: Option<u8>, year: u16| -> String {
            crate::vn::format_date(day, month, year)
        },
    );
    let (d, l) = (data.clone(), lookup.clone());
    env.add_function(
        "cac_phan",
        move |total: String, period: Value| -> Result<String, Error> {
            let period = period_arg(&period)?;
            let Some(parts) = d.parts.get(&total) else {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!("danh mục không có quy tắc tổng cho {total}"),
                ));
            };
            let listed: Vec<String> = parts
                .iter()
                .map(|p| {
                    let name = d.names.get(p).cloned().unwrap_or_else(|| p.clone());
                    format!(
                        "{}: {}",
                        lowercase_first(&name),
                        l(p, period, &format_number)
                    )
                })
                .collect();
            Ok(listed.join("; "))
        },
    );
    let (d, r) = (data.clone(), registry.clone());
    env.add_function("bieu_do", move |which: String| -> String {
        // By chart id ("rank-PAR_INDEX_HANG") or by the code it is about.
        let found = d.charts.iter().find(|c| c.id == which).or_else(|| {
            d.charts
                .iter()
                .find(|c| c.id.split_once('-').is_some_and(|(_, code)| code == which))
        });
        match (found, r.lock()) {
            (Some(chart), Ok(mut r)) => {
                r.charts.push(chart.clone());
                // Blank lines around: the marker is a paragraph of its own.
                format!("\n\n{CHART_OPEN}{}{CHART_CLOSE}\n\n", r.charts.len() - 1)
            }
            _ => format!("[không có số liệu để vẽ biểu đồ: {which}]"),
        }
    });
    let d = data.clone();
    env.add_function("ky", move |code: String| -> Vec<String> {
        d.periods_of(&code).iter().map(Period::to_string).collect()
    });
    let (d, l) = (data.clone(), lookup.clone());
    env.add_function("chuoi_hang", move |code: String, of: String| -> String {
        rank_series(&d, &code, &of, &*l)
    });

    super::tables::register(&mut env, data, &registry);

    let source = &template.body;
    let context = minijinja::context! { charts_appendix => header.charts_appendix };
    let markdown = env.render_str(source, context).map_err(|e| TemplateError {
        line: e.line().map(|l| l + template.body_offset),
        message: super::template_error::vietnamese(&e),
    })?;
    let (figures, charts, tables) = registry
        .lock()
        .map(|mut r| {
            (
                std::mem::take(&mut r.figures),
                std::mem::take(&mut r.charts),
                std::mem::take(&mut r.tables),
            )
        })
        .unwrap_or_default();
    Ok(Rendered {
        markdown,
        figures,
        charts,
        tables,
    })
}

/// value[from] − value[to], citing both cells: "giảm 3.479".
fn difference(data: &ReportData, code: &str, from: Period, to: Period, padded: bool) -> Figure {
    let label = format!("{code} {from} − {to}");
    let a = data.figures.get(&(code.to_string(), from));
    let b = data.figures.get(&(code.to_string(), to));
    let (Some(a), Some(b)) = (a, b) else {
        return missing(label);
    };
    let (Some(x), Some(y)) = (a.value.number(), b.value.number()) else {
        return missing(label);
    };
    let text = if padded {
        format_padded(x - y)
    } else {
        format_number(x - y, decimals(data.kinds.get(code)))
    };
    let failed = a.failed || b.failed;
    Figure {
        text,
        label,
        sources: vec![a.cell, b.cell],
        status: if failed {
            FigureStatus::Failed
        } else {
            FigureStatus::Ok
        },
    }
}

/// "-3.479" → "giảm 3.479"; "3" → "tăng 3"; "0" → "không đổi".
fn worded_change(signed: &str) -> String {
    match signed.strip_prefix('-') {
        Some(rest) => format!("giảm {rest}"),
        None if signed == "0" || signed == "00" => "không đổi".to_string(),
        None => format!("tăng {signed}"),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

type Lookup = dyn Fn(&str, Period, &dyn Fn(f64, usize) -> String) -> String;

/// "năm 2016, 2017 xếp thứ 13/63, năm 2018 xếp thứ 25/63": consecutive
/// periods with the same rank and the same N are grouped, as the seed writes.
fn rank_series(data: &ReportData, code: &str, of: &str, lookup: &Lookup) -> String {
    let periods = data.periods_of(code);
    let value = |c: &str, p: Period| {
        data.figures
            .get(&(c.to_string(), p))
            .map(|f| f.value.clone())
    };
    let mut groups: BTreeMap<usize, Vec<Period>> = BTreeMap::new();
    let mut order: Vec<(Option<DataValue>, Option<DataValue>)> = Vec::new();
    for p in periods {
        let key = (value(code, p), value(of, p));
        match order.last() {
            Some(last) if *last == key => {
                if let Some(g) = groups.get_mut(&(order.len() - 1)) {
                    g.push(p);
                }
            }
            _ => {
                order.push(key);
                groups.insert(order.len() - 1, vec![p]);
            }
        }
    }
    let parts: Vec<String> = groups
        .values()
        .filter_map(|ps| {
            let last = *ps.last()?;
            let years: Vec<String> = ps.iter().map(Period::to_string).collect();
            Some(format!(
                "năm {} xếp thứ {}/{}",
                years.join(", "),
                lookup(code, last, &format_number),
                lookup(of, last, &format_number)
            ))
        })
        .collect();
    parts.join(", ")
}
