//! The findings panel: counts by severity, a severity filter, and each finding
//! pinned to its file, row and cells (the page's testability contract).

use super::reader::Reader;
use super::state::{t, State};
use baocao::model::{column_letters, CellRef, Finding, Lang, Severity};
use baocao::protocol::{FileBytes, Reply, Request};
use baocao::rule_names::rule_name;
use baocao::vn::format_number;
use baocao::workspace::{source_window, SourceView};
use yew::prelude::*;

/// The rule of a figure the report needs and the data lack.
const MISSING_FIGURE: &str = "report.missing-figure";

/// Rows shown above and below a finding's cell.
const SOURCE_RADIUS: u32 = 4;

/// Findings shown per rule before "show more", and how many more each click
/// shows: a file with a systematic error must not create a million DOM nodes.
const GROUP_PAGE: usize = 20;
const PAGE: usize = 100;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
    /// Reads the rows of a spreadsheet for the source view.
    pub reader: Reader,
    /// Downloads every finding as CSV.
    pub csv: Callback<MouseEvent>,
    /// Downloads the input template: what a file not understood can become.
    pub template: Callback<MouseEvent>,
}

/// The rows around an opened finding's cell, read once when it opens (not
/// on every render: the file may be 40 MB).
#[derive(Clone, PartialEq)]
enum Source {
    /// A spreadsheet's rows, asked of the worker (the page has no reader for them).
    Loading,
    Shown(SourceView),
    Unreadable,
}

fn severity_label(lang: Lang, s: Severity) -> &'static str {
    match s {
        Severity::Error => t(lang, "Lỗi", "Error"),
        Severity::Warning => t(lang, "Cảnh báo", "Warning"),
        Severity::Info => t(lang, "Thông tin", "Info"),
    }
}

#[function_component(FindingsPanel)]
pub fn findings_panel(props: &Props) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let severity = use_state(|| None::<Severity>);
    let file = use_state(|| None::<String>);
    let rule = use_state(|| None::<String>);
    // The finding whose rows are shown in context.
    let opened = use_state(|| None::<Finding>);
    let source = use_state(|| None::<(CellRef, Source)>);
    {
        let (state, reader, source) = (state.clone(), props.reader.clone(), source.clone());
        // Again when the data change (a file re-read with another encoding).
        let data = std::rc::Rc::as_ptr(state.ws.dataset()) as usize;
        use_effect_with(((*opened).clone(), data), move |(opened, _)| {
            let Some(cell) = opened.as_ref().and_then(|f| f.cells.first().copied()) else {
                return source.set(None);
            };
            let file = state.ws.file(cell.file).cloned();
            match (state.ws.source_view(cell, SOURCE_RADIUS), file) {
                (Some(view), _) => source.set(Some((cell, Source::Shown(view)))),
                // Read where the file is read: by the worker, from the file
                // the page keeps (a workbook, a large file), not copied again.
                (None, Some(file)) => {
                    let Ok(blob) = state.blob_of(&file) else {
                        return source.set(Some((cell, Source::Unreadable)));
                    };
                    source.set(Some((cell, Source::Loading)));
                    let (first, last) = source_window(cell, SOURCE_RADIUS);
                    let encoding = state.ws.encoding_for(&file.name);
                    reader.ask_with(
                        |job| Request::SourceRows {
                            job,
                            bytes: FileBytes::Attached,
                            encoding,
                            sheet: cell.sheet as usize,
                            first,
                            last,
                        },
                        Some(blob),
                        move |reply| {
                            let view = match reply {
                                Reply::SourceRows {
                                    rows: Some(rows), ..
                                } => state.ws.view_of(cell, rows),
                                _ => None,
                            };
                            source
                                .set(Some((cell, view.map_or(Source::Unreadable, Source::Shown))));
                        },
                    );
                }
                (None, None) => source.set(Some((cell, Source::Unreadable))),
            }
        });
    }
    let ws = &state.ws;
    let file_of = |f: &Finding| -> String { ws.dataset().file_name(f).to_string() };
    let visible: Vec<&Finding> = ws
        .findings()
        .iter()
        .filter(|f| severity.is_none_or(|s| f.severity == s))
        .filter(|f| file.as_ref().is_none_or(|name| file_of(f) == *name))
        .filter(|f| rule.as_ref().is_none_or(|r| f.rule == *r))
        .collect();
    // One group per rule, errors first, then warnings, then notes; rules of
    // one severity in order of first appearance.
    let mut groups: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for f in &visible {
        match groups.iter_mut().find(|(r, _)| *r == f.rule) {
            Some((_, list)) => list.push(f),
            None => groups.push((&f.rule, vec![f])),
        }
    }
    groups.sort_by_key(|(_, list)| list.iter().map(|f| f.severity).min());
    let chip = |s: Option<Severity>, label: String| {
        let severity = severity.clone();
        let pressed = *severity == s;
        html! {
            <button type="button" class={classes!("chip", pressed.then_some("on"))} aria-pressed={pressed.to_string()}
                onclick={Callback::from(move |_| severity.set(s))}>{ label }</button>
        }
    };
    let counts = [Severity::Error, Severity::Warning, Severity::Info].map(|s| {
        chip(
            Some(s),
            format!("{}: {}", severity_label(lang, s), ws.count(s)),
        )
    });
    let mut files: Vec<String> = ws
        .findings()
        .iter()
        .map(file_of)
        .filter(|n| !n.is_empty())
        .collect();
    files.sort();
    files.dedup();
    let mut rules: Vec<String> = ws.findings().iter().map(|f| f.rule.clone()).collect();
    rules.sort();
    rules.dedup();
    // Shown by name, sorted by name; chosen by id.
    let mut rules: Vec<(String, String)> = rules
        .into_iter()
        .map(|id| {
            let name = rule_name(&id, &ws.catalog, lang);
            (id, name)
        })
        .collect();
    rules.sort_by(|a, b| a.1.cmp(&b.1));
    let select = |label: &'static str,
                  all: &'static str,
                  options: Vec<(String, String)>,
                  value: UseStateHandle<Option<String>>| {
        let onchange = {
            let value = value.clone();
            Callback::from(move |e: Event| {
                let v = e
                    .target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value();
                value.set((!v.is_empty()).then_some(v));
            })
        };
        html! {
            <label class="filter">{ label }
                <select {onchange}>
                    <option value="" selected={value.is_none()}>{ all }</option>
                    { for options.into_iter().map(|(o, label)| html! { <option value={o.clone()} selected={value.as_ref() == Some(&o)}>{ label }</option> }) }
                </select>
            </label>
        }
    };
    html! {
        <section class="panel findings" aria-labelledby="findings-title">
            <div class="panel-head">
                <h2 id="findings-title">{ t(lang, "Các vấn đề trong số liệu", "Problems in the data") }</h2>
                <button type="button" class="button small" data-testid="download-findings" onclick={props.csv.clone()}
                    disabled={!state.can_download()} title={t(lang, "Mọi vấn đề, kể cả những vấn đề không hiện ở đây", "Every problem, those not shown here too")}>
                    { t(lang, "Tải danh sách (CSV)", "Download list (CSV)") }</button>
            </div>
            <div class="chips" role="group" aria-label={t(lang, "Lọc theo mức độ", "Filter by severity")}>
                { chip(None, format!("{}: {}", t(lang, "Tất cả", "All"), ws.findings().iter().map(|f| 1 + f.more).sum::<usize>())) }
                { for counts }
            </div>
            if !ws.findings().is_empty() {
                <div class="filters">
                    { select(t(lang, "Tệp ", "File "), t(lang, "mọi tệp", "all files"), files.into_iter().map(|f| (f.clone(), f)).collect(), file.clone()) }
                    { select(t(lang, "Quy tắc ", "Rule "), t(lang, "mọi quy tắc", "all rules"), rules, rule.clone()) }
                </div>
            }
            if ws.findings().is_empty() {
                <p class="ok">{ t(lang, "Không phát hiện vấn đề nào.", "No problems found.") }</p>
            }
            if let Some(f) = (*opened).clone() { { source_view(&f, state, &source, opened.clone()) } }
            { for groups.into_iter().map(|(rule, list)| {
                let open = { let opened = opened.clone(); Callback::from(move |f: Finding| opened.set(Some(f))) };
                html! { <FindingGroup key={rule.to_string()} rule={rule.to_string()} findings={list.into_iter().cloned().collect::<Vec<_>>()} state={state.clone()} {open} template={props.template.clone()} /> }
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct GroupProps {
    rule: String,
    findings: Vec<Finding>,
    state: UseReducerHandle<State>,
    open: Callback<Finding>,
    template: Callback<MouseEvent>,
}

/// The findings of one rule: the first `GROUP_PAGE` shown, more on request.
#[function_component(FindingGroup)]
fn finding_group(props: &GroupProps) -> Html {
    let lang = props.state.lang;
    let shown = use_state(|| GROUP_PAGE);
    let total = props.findings.len();
    // A summary of findings left out by the cap counts as those it stands for.
    let count: usize = props.findings.iter().map(|f| 1 + f.more).sum();
    let more = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(*shown + PAGE))
    };
    let list = html! {
        <>
            <ol class="finding-list">
                { for props.findings.iter().take(*shown).map(|f| finding_item(f, &props.state, &props.open, &props.template)) }
            </ol>
            if total > *shown {
                <button type="button" class="chip" onclick={more}>
                    { format!("{} ({} / {total})", t(lang, "Xem thêm", "Show more"), *shown) }
                </button>
            }
        </>
    };
    // The figures the report misses are one line, opened on request: they
    // follow from the data's own problems, listed above them.
    if props.rule == MISSING_FIGURE {
        let summary = match lang {
            Lang::Vi => format!("Báo cáo thiếu {} số liệu", format_number(count as f64, 0)),
            Lang::En => format!(
                "The report misses {} figures",
                format_number(count as f64, 0)
            ),
        };
        return html! {
            <section class="finding-group" data-rule-group={props.rule.clone()} data-count={count.to_string()}>
                <details class="missing-figures">
                    <summary class="group-title">{ summary }{ " " }
                        <span class="hint">{ t(lang, "(bấm để xem)", "(open to list them)") }</span></summary>
                    { list }
                </details>
            </section>
        };
    }
    html! {
        <section class="finding-group" data-rule-group={props.rule.clone()} data-count={count.to_string()}>
            if total > 1 {
                <h3 class="group-title">
                    { format!("{} — {}", rule_name(&props.rule, &props.state.ws.catalog, lang), format_number(count as f64, 0)) }
                    { " " }<code class="rule-id">{ props.rule.clone() }</code>
                </h3>
            }
            { list }
        </section>
    }
}

fn finding_item(
    f: &Finding,
    state: &UseReducerHandle<State>,
    open: &Callback<Finding>,
    template: &Callback<MouseEvent>,
) -> Html {
    let ds = &state.ws.dataset();
    let places: Vec<_> = f.cells.iter().map(|c| ds.describe(c)).collect();
    let file = ds.file_name(f).to_string();
    let row = places
        .first()
        .map(|p| p.row.to_string())
        .unwrap_or_default();
    let cells = serde_json::to_string(&places).unwrap_or_else(|_| "[]".into());
    let where_ = match places.first() {
        Some(p) => format!(
            "{} · {}{} {} · {} {}{}",
            p.file,
            p.sheet
                .as_ref()
                .map(|s| format!("{s} · "))
                .unwrap_or_default(),
            t(state.lang, "dòng", "row"),
            p.row,
            t(state.lang, "cột", "column"),
            p.column,
            if p.header.is_empty() {
                String::new()
            } else {
                format!(" ({})", p.header)
            },
        ),
        None => file.clone(),
    };
    html! {
        <li class={classes!("finding", f.severity.as_str())} data-testid="finding"
            data-severity={f.severity.as_str()} data-rule={f.rule.clone()}
            data-file={file} data-row={row} data-cells={cells}>
            <span class="badge">{ severity_label(state.lang, f.severity) }</span>
            <span class="message">{ f.message(state.lang).to_string() }</span>
            <span class="where">{ where_ }</span>
            if let Some(raw) = f.raw.as_ref().filter(|r| !r.is_empty()) {
                <code class="raw" title={t(state.lang, "Nội dung ô", "Cell text")}>{ raw.clone() }</code>
            }
            <span class="rule-id">{ f.rule.clone() }</span>
            { for sides(f, ds).into_iter().map(|(side, name)| {
                let text = match (&name, state.lang) {
                    (Some(n), Lang::Vi) => format!("Xem trong {n}"),
                    (Some(n), Lang::En) => format!("Show in {n}"),
                    (None, lang) => t(lang, "Xem trong tệp", "Show in file").to_string(),
                };
                html! {
                    <button type="button" class="chip" data-testid="open-source" data-file={name.clone()}
                        onclick={let open = open.clone(); Callback::from(move |_| open.emit(side.clone()))}>
                        { text }</button>
                }
            }) }
            { super::finding_actions::next_steps(f, state, template) }
        </li>
    }
}

/// One way into the source per file the finding's cells are in: the
/// finding with that file's first cell put first (the source view opens
/// there), and the file's name when there are several.
fn sides(f: &Finding, ds: &baocao::model::Dataset) -> Vec<(Finding, Option<String>)> {
    let mut files: Vec<u32> = Vec::new();
    for c in &f.cells {
        if !files.contains(&c.file) {
            files.push(c.file);
        }
    }
    let several = files.len() > 1;
    files
        .into_iter()
        .filter_map(|file| {
            let at = f.cells.iter().position(|c| c.file == file)?;
            let mut side = f.clone();
            side.cells.swap(0, at);
            Some((side, several.then_some(file)))
        })
        .map(|(side, file)| {
            let name = file.and_then(|i| ds.file(i)).map(|s| s.name.clone());
            (side, name)
        })
        .collect()
}

/// The rows around the finding's first cell, with every cell it involves in
/// that file and sheet highlighted.
fn source_view(
    f: &Finding,
    state: &State,
    source: &Option<(CellRef, Source)>,
    opened: UseStateHandle<Option<Finding>>,
) -> Html {
    let lang = state.lang;
    let Some(primary) = f.cells.first().copied() else {
        return html! {};
    };
    let view = match source {
        Some((cell, Source::Shown(view))) if *cell == primary => view.clone(),
        Some((cell, Source::Unreadable)) if *cell == primary => {
            return html! { <p class="notice">{ t(lang, "Không mở được tệp.", "Cannot open the file.") }</p> }
        }
        // Loading, or the effect has not run yet for this finding.
        _ => {
            return html! { <p class="notice" aria-live="polite">{ t(lang, "Đang mở tệp…", "Opening the file…") }</p> }
        }
    };
    let marked = |row: u32, col: usize| {
        f.cells.iter().any(|c| {
            c.file == primary.file
                && c.sheet == primary.sheet
                && c.row == row
                && c.col as usize == col
        })
    };
    let width = view
        .rows
        .iter()
        .map(|(_, r)| r.len())
        .max()
        .unwrap_or(0)
        .min(30);
    let close = Callback::from(move |_| opened.set(None));
    html! {
        <section class="source-view" data-testid="source-view" aria-label={t(lang, "Số liệu quanh ô", "Rows around the cell")}>
            <div class="source-head">
                <strong>{ format!("{}{}", view.file, view.sheet.map(|s| format!(" · {s}")).unwrap_or_default()) }</strong>
                <button type="button" class="chip" onclick={close}>{ t(lang, "Đóng", "Close") }</button>
            </div>
            <div class="source-scroll" translate="no">
                <table>
                    <thead><tr><th></th>{ for (0..width).map(|c| html! { <th scope="col">{ column_letters(c as u32) }</th> }) }</tr></thead>
                    <tbody>
                        { for view.rows.iter().map(|(row, cells)| html! {
                            <tr>
                                <th scope="row">{ row.to_string() }</th>
                                { for (0..width).map(|c| {
                                    let hit = marked(*row, c);
                                    html! { <td class={classes!(hit.then_some("hit"))} data-hit={hit.then_some("true")}>{ cells.get(c).cloned().unwrap_or_default() }</td> }
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
