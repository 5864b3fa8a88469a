//! What a user can do about a finding, beside it: a file not understood
//! points to the mapping panel and the input template; a mistyped code
//! names the figures it leaves missing and offers the code meant.

use super::state::{t, Action, State};
use baocao::model::{Finding, Lang};
use baocao::report::document::FigureStatus;
use yew::prelude::*;

/// The actions for `f`, if its rule has any.
pub fn next_steps(
    f: &Finding,
    state: &UseReducerHandle<State>,
    template: &Callback<MouseEvent>,
) -> Html {
    match f.rule.as_str() {
        "read.unknown-shape" => not_understood(f, state, template),
        "read.unknown-indicator" => mistyped(f, state),
        "conflict" => keep_one(f, state),
        baocao::workspace::KEPT_RULE => {
            let Some(cell) = f.cells.first().copied() else {
                return html! {};
            };
            let lang = state.lang;
            let state = state.clone();
            let release = Callback::from(move |_| state.dispatch(Action::ReleaseKept(cell)));
            html! {
                <span class="next-steps">
                    <button type="button" class="chip" data-testid="release-kept" onclick={release}>
                        { t(lang, "Bỏ chọn, xem lại các giá trị", "Undo the choice") }</button>
                </span>
            }
        }
        _ => html! {},
    }
}

/// Files disagree on a figure: "Giữ giá trị của …" for each file, which
/// leaves the others' values out of the report.
fn keep_one(f: &Finding, state: &UseReducerHandle<State>) -> Html {
    let lang = state.lang;
    let mut sides: Vec<(String, baocao::model::CellRef)> = Vec::new();
    for cell in &f.cells {
        let Some(file) = state.ws.dataset().file(cell.file) else {
            continue;
        };
        if !sides.iter().any(|(name, _)| *name == file.name) {
            sides.push((file.name.clone(), *cell));
        }
    }
    html! {
        <span class="next-steps">
            { for sides.into_iter().map(|(name, cell)| {
                let state = state.clone();
                let keep = Callback::from(move |_| state.dispatch(Action::KeepValue(cell)));
                html! {
                    <button type="button" class="chip" data-testid="keep-value" data-file={name.clone()} onclick={keep}
                        title={t(lang, "Dùng giá trị này trong báo cáo; giá trị của các tệp khác bị bỏ qua", "Use this value in the report; the other files' values are left out")}>
                        { format!("{} {name}", t(lang, "Giữ giá trị của", "Keep the value of")) }</button>
                }
            }) }
        </span>
    }
}

/// A code the catalogue lacks but nearly has: the report's figures of the
/// code meant that are missing, and "Sửa thành …" for this workspace.
fn mistyped(f: &Finding, state: &UseReducerHandle<State>) -> Html {
    let lang = state.lang;
    let ws = &state.ws;
    let Some(typed) = f.raw.as_ref().map(|r| r.to_string()) else {
        return html! {};
    };
    let Some(meant) = baocao::ingest::shape::did_you_mean(&ws.catalog, &typed) else {
        return html! {};
    };
    let prefix = format!("{meant} ");
    let missing = ws
        .document()
        .iter()
        .flat_map(|d| &d.figures)
        .filter(|fig| fig.status == FigureStatus::Missing && fig.label.starts_with(&prefix))
        .count();
    let name = ws
        .catalog
        .get(&meant)
        .map(|i| i.name.clone())
        .unwrap_or_default();
    let correct = {
        let (state, typed, meant) = (state.clone(), typed.clone(), meant.clone());
        Callback::from(move |_| state.dispatch(Action::CorrectCode(typed.clone(), meant.clone())))
    };
    let consequence = match lang {
        Lang::Vi => format!("Vì vậy báo cáo thiếu {missing} số liệu của chỉ tiêu "),
        Lang::En => format!("So the report misses {missing} figures of "),
    };
    html! {
        <span class="next-steps">
            if missing > 0 {
                <span class="consequence" data-testid="typo-missing" data-count={missing.to_string()}>
                    { consequence }<span translate="no">{ name }</span>{ ". " }</span>
            }
            <button type="button" class="chip" data-testid="correct-code" data-code={meant.clone()} onclick={correct}
                title={t(lang, "Đọc mã này như mã đúng trong không gian làm việc này (ghi vào danh mục)", "Read this code as the right one in this workspace (kept in the catalogue)")}>
                { format!("{} {meant}", t(lang, "Sửa thành", "Read as")) }</button>
        </span>
    }
}

/// What to do with a file whose table is not understood: say which column
/// holds the units (when the page found a likely header), or start again
/// from the input template.
fn not_understood(f: &Finding, state: &State, template: &Callback<MouseEvent>) -> Html {
    let lang = state.lang;
    let table_to_show = f
        .file
        .and_then(|i| state.ws.dataset().file(i))
        .is_some_and(|file| file.tables.iter().any(|t| !t.understood));
    let to_mapping = Callback::from(|_| {
        let first = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| {
                d.query_selector("[data-testid=unit-column-choice]")
                    .ok()
                    .flatten()
            })
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
        if let Some(button) = first {
            button.scroll_into_view();
            let _ = button.focus();
        }
    });
    html! {
        <span class="next-steps">
            { t(lang, "Cách sửa: ", "What to do: ") }
            if table_to_show {
                <button type="button" class="chip" data-testid="show-unit-columns" onclick={to_mapping}>
                    { t(lang, "Chỉ cột tên đơn vị", "Point out the units' column") }</button>
                { t(lang, " hoặc ", " or ") }
            }
            <button type="button" class="chip" data-testid="finding-template" onclick={template.clone()}
                disabled={!state.can_download()}>
                { t(lang, "chép số liệu vào mẫu nhập (XLSX)", "copy the figures into the input template (XLSX)") }</button>
        </span>
    }
}
