//! The figure picker beside the template: the data's figures, searched by
//! indicator, unit or period; a click puts the expression that cites one
//! at the cursor, and the preview shows it at once.

use super::state::{t, Action, State};
use crate::services;
use baocao::fold::{fold, fold_words};
use baocao::model::TableRowKind;
use baocao::report::data::ReportData;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Figures listed at once: the search narrows the rest.
const SHOWN: usize = 30;

struct Pick {
    label: String,
    value: String,
    expression: String,
}

/// A Jinja string literal.
fn quoted(text: &str) -> String {
    let escaped: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    format!("\"{escaped}\"")
}

/// Every figure the data offer with a word starting with each word of
/// `query` (accents and case aside).
fn picks(data: &ReportData, query: &str) -> Vec<Pick> {
    let words: Vec<String> = query.split_whitespace().map(fold).collect();
    let matches = |text: &str| {
        let folded = fold_words(text);
        let have: Vec<String> = folded.split(' ').map(fold).collect();
        words
            .iter()
            .all(|w| have.iter().any(|h| h.starts_with(w.as_str())))
    };
    let mut out = Vec::new();
    for (n, table) in data.tables().iter().enumerate() {
        let h = &table.header;
        for (r, row) in h.rows.iter().enumerate() {
            for (c, column) in h.columns.iter().enumerate() {
                if out.len() >= SHOWN {
                    return out;
                }
                let label = format!("{} · {column} — {}", row.label, table.name());
                if !matches(&label) {
                    continue;
                }
                let Some(value) = table.figure_text(r, c) else {
                    continue;
                };
                let unit = if row.kind == TableRowKind::Total {
                    "tong".to_string()
                } else {
                    row.label.clone()
                };
                out.push(Pick {
                    label,
                    value,
                    expression: format!(
                        "{{{{ so_bieu({}, {}, {}) }}}}",
                        n + 1,
                        quoted(&unit),
                        quoted(column)
                    ),
                });
            }
        }
    }
    for (code, period) in data.agency_figures() {
        if out.len() >= SHOWN {
            break;
        }
        let name = data.name_of(&code).unwrap_or(&code);
        let label = format!("{name} ({code}) — {period}");
        if !matches(&label) {
            continue;
        }
        out.push(Pick {
            value: data.figure_text(&code, period).unwrap_or_default(),
            label,
            expression: format!(
                "{{{{ so({}, {}) }}}}",
                quoted(&code),
                quoted(&period.to_string())
            ),
        });
    }
    out
}

/// `text` with `insert` put at the textarea's cursor (UTF-16 offsets).
fn insert_at_cursor(area: &HtmlTextAreaElement, insert: &str) -> String {
    let text = area.value();
    let at = area
        .selection_start()
        .ok()
        .flatten()
        .unwrap_or(text.encode_utf16().count() as u32);
    let end = area.selection_end().ok().flatten().unwrap_or(at).max(at);
    let byte = |utf16: u32| {
        let mut units = 0u32;
        for (i, c) in text.char_indices() {
            if units >= utf16 {
                return i;
            }
            units += c.len_utf16() as u32;
        }
        text.len()
    };
    let (a, b) = (byte(at), byte(end));
    format!("{}{insert}{}", &text[..a], &text[b..])
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
    pub area: NodeRef,
}

#[function_component(FigurePicker)]
pub fn figure_picker(props: &Props) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let open = use_state(|| false);
    let query = use_state(String::new);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let list = if *open {
        let oninput = {
            let query = query.clone();
            Callback::from(move |e: InputEvent| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                query.set(input.value());
            })
        };
        let found = picks(state.ws.report_data(), &query);
        html! {
            <div class="figure-picker" data-testid="figure-picker">
                <input type="search" data-testid="figure-search" value={(*query).clone()} {oninput}
                    placeholder={t(lang, "Tìm theo chỉ tiêu, đơn vị, kỳ…", "Search by indicator, unit, period…")}
                    aria-label={t(lang, "Tìm số liệu", "Search figures")} />
                if found.is_empty() {
                    <p class="muted">{ t(lang, "Không có số liệu khớp.", "No figure matches.") }</p>
                }
                <ul role="listbox">
                    { for found.into_iter().map(|p| {
                        let onclick = {
                            let (state, area, open) = (state.clone(), props.area.clone(), open.clone());
                            let expression = p.expression.clone();
                            Callback::from(move |_| {
                                if let Some(area) = area.cast::<HtmlTextAreaElement>() {
                                    let text = insert_at_cursor(&area, &expression);
                                    state.dispatch(Action::SetTemplate(text, services::now_ms()));
                                    open.set(false);
                                }
                            })
                        };
                        html! {
                            <li role="option">
                                <button type="button" class="pick" data-testid="figure-pick" data-expression={p.expression.clone()} {onclick}>
                                    <span>{ p.label }</span><b>{ p.value }</b>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            </div>
        }
    } else {
        html! {}
    };
    html! {
        <>
            <div class="template-tools">
                <button type="button" class="chip" data-testid="insert-figure" aria-expanded={open.to_string()} onclick={toggle}>
                    { t(lang, "+ Chèn số liệu", "+ Insert a figure") }
                </button>
                <button type="button" class="chip" data-testid="write-starter"
                    title={t(lang, "Thay mẫu hiện tại bằng mẫu viết từ số liệu (có thể hoàn tác)", "Replace the template with one written from the data (can be undone)")}
                    onclick={let s = state.clone(); Callback::from(move |_| s.dispatch(Action::WriteStarterTemplate))}>
                    { t(lang, "Tạo mẫu từ số liệu", "Write a template from the data") }
                </button>
            </div>
            { list }
        </>
    }
}
