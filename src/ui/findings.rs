//! The findings panel: counts by severity, a severity filter, and each finding
//! pinned to its file, row and cells (the page's testability contract).

use super::state::{t, State};
use baocao::model::{Finding, Lang, Severity};
use yew::prelude::*;

/// Findings shown before "show more": a file with a systematic error must not
/// create a million DOM nodes.
const PAGE: usize = 200;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
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
    let filter = use_state(|| None::<Severity>);
    let shown = use_state(|| PAGE);
    let ws = &state.ws;
    let visible: Vec<&Finding> = ws
        .findings
        .iter()
        .filter(|f| filter.is_none_or(|s| f.severity == s))
        .collect();
    let total = visible.len();
    let filter_button = |s: Option<Severity>, label: String| {
        let filter = filter.clone();
        let pressed = *filter == s;
        html! {
            <button type="button" class={classes!("chip", pressed.then_some("on"))} aria-pressed={pressed.to_string()}
                onclick={Callback::from(move |_| filter.set(s))}>{ label }</button>
        }
    };
    let counts = [Severity::Error, Severity::Warning, Severity::Info].map(|s| {
        filter_button(
            Some(s),
            format!("{}: {}", severity_label(lang, s), ws.count(s)),
        )
    });
    let more = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(*shown + PAGE))
    };
    html! {
        <section class="panel findings" aria-labelledby="findings-title">
            <h2 id="findings-title">{ t(lang, "Các vấn đề trong số liệu", "Problems in the data") }</h2>
            <div class="chips" role="group" aria-label={t(lang, "Lọc theo mức độ", "Filter by severity")}>
                { filter_button(None, format!("{}: {}", t(lang, "Tất cả", "All"), ws.findings.len())) }
                { for counts }
            </div>
            if ws.findings.is_empty() {
                <p class="ok">{ t(lang, "Không phát hiện vấn đề nào.", "No problems found.") }</p>
            }
            <ol class="finding-list">
                { for visible.iter().take(*shown).map(|f| finding_item(f, state)) }
            </ol>
            if total > *shown {
                <button type="button" class="button" onclick={more}>
                    { format!("{} ({} / {total})", t(lang, "Xem thêm", "Show more"), *shown) }
                </button>
            }
        </section>
    }
}

fn finding_item(f: &Finding, state: &State) -> Html {
    let ds = &state.ws.dataset;
    let places: Vec<_> = f.cells.iter().map(|c| ds.describe(c)).collect();
    let file = match (places.first(), f.file) {
        (Some(p), _) => p.file.clone(),
        (None, Some(id)) => ds
            .files
            .get(id as usize)
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        _ => String::new(),
    };
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
            <span class="rule">{ f.rule.clone() }</span>
        </li>
    }
}
