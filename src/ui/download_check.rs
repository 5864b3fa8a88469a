//! The check before the report is downloaded: while the data hold errors or
//! the report misses figures, the page lists them and asks before it writes
//! a document that would carry them.

use super::state::{t, State};
use baocao::model::Severity;
use baocao::report::document::FigureStatus;
use baocao::workspace::Workspace;
use yew::prelude::*;

/// Problems listed in the dialog; the counts say how many in all.
const LISTED: usize = 6;

/// What a report downloaded now would carry: the errors' messages and the
/// missing figures' labels (each once).
pub fn report_problems(ws: &Workspace, lang: baocao::model::Lang) -> (Vec<String>, Vec<String>) {
    let errors = ws
        .findings()
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.message(lang).to_string())
        .collect();
    let mut missing: Vec<String> = Vec::new();
    for f in ws.document().iter().flat_map(|d| &d.figures) {
        if f.status == FigureStatus::Missing && !missing.contains(&f.label) {
            missing.push(f.label.clone());
        }
    }
    (errors, missing)
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
    /// Download after all (the event of the button pressed).
    pub on_go: Callback<MouseEvent>,
    pub on_back: Callback<()>,
}

#[function_component(DownloadCheck)]
pub fn download_check(props: &Props) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let back_ref = use_node_ref();
    // The dialog takes focus on its safe choice, and gives it back to the
    // button that opened it when it closes.
    super::focus::use_dialog_focus(Some(()), back_ref.clone());
    let (errors, missing) = report_problems(&state.ws, lang);
    let (ne, nm) = (state.ws.count(Severity::Error), missing.len());
    let summary = match lang {
        baocao::model::Lang::Vi => format!("Báo cáo còn {ne} lỗi, {nm} số liệu thiếu."),
        baocao::model::Lang::En => {
            format!("The report still has {ne} errors and {nm} missing figures.")
        }
    };
    let back = {
        let on_back = props.on_back.clone();
        Callback::from(move |_: MouseEvent| on_back.emit(()))
    };
    let onkeydown = {
        let on_back = props.on_back.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_back.emit(());
            }
        })
    };
    html! {
        <div class="dialog-backdrop">
            <div class="dialog" role="alertdialog" aria-modal="true" data-testid="download-warning"
                aria-labelledby="download-warning-title" aria-describedby="download-warning-summary" {onkeydown}>
                <h2 id="download-warning-title">{ t(lang, "Tải báo cáo khi còn vấn đề?", "Download the report with problems left?") }</h2>
                <p id="download-warning-summary"><strong>{ summary }</strong></p>
                <ul>
                    { for errors.iter().take(LISTED).map(|m| html! { <li class="error">{ m.clone() }</li> }) }
                    { for missing.iter().take(LISTED).map(|l| html! {
                        <li class="warning">{ format!("{}: {l}", t(lang, "Thiếu số liệu", "Missing figure")) }</li>
                    }) }
                </ul>
                <p class="hint">
                    if nm > 0 { { t(lang, "Số liệu thiếu sẽ hiện trong báo cáo dưới dạng [thiếu số liệu: …]. ", "Missing figures show in the report as [thiếu số liệu: …]. ") } }
                    { t(lang, "Nên sửa tệp số liệu rồi thả lại trước khi tải.", "Mend the data files and drop them again first.") }
                </p>
                <div class="dialog-actions">
                    <button type="button" class="button primary" ref={back_ref} data-testid="download-cancel" onclick={back}>
                        { t(lang, "Quay lại sửa", "Go back and mend") }</button>
                    <button type="button" class="button" data-testid="download-anyway" onclick={props.on_go.clone()}>
                        { t(lang, "Vẫn tải xuống", "Download anyway") }</button>
                </div>
            </div>
        </div>
    }
}
