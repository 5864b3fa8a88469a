//! The data files in the workspace: each with its rows, its problems by
//! severity and its encoding; files being read, and files held back.

use super::reader::Progress;
use super::state::{t, Action, State};
use baocao::ingest::TextEncoding;
use baocao::model::Severity;
use baocao::vn::format_number;
use yew::prelude::*;

/// A file held back at the restore: read it after all, or remove it.
fn held_item(state: &UseReducerHandle<State>, name: &str) -> Html {
    let lang = state.lang;
    let read = {
        let (state, name) = (state.clone(), name.to_string());
        Callback::from(move |_| state.dispatch(Action::ReadHeld(name.clone())))
    };
    let remove = {
        let (state, name) = (state.clone(), name.to_string());
        Callback::from(move |_| state.dispatch(Action::RemoveFile(name.clone())))
    };
    html! {
        <li data-testid="held" data-file={name.to_string()}>
            <strong translate="no">{ name.to_string() }</strong>
            { format!(" · {} ", t(lang, "chưa đọc (lần trước trang dừng khi đọc tệp này)", "not read (the page stopped while reading it last time)")) }
            <button type="button" class="button" data-testid="read-held" onclick={read}>
                { t(lang, "Đọc lại", "Read again") }</button>
            { " " }
            <button type="button" class="button" data-testid="remove-held" onclick={remove}>
                { t(lang, "Bỏ tệp", "Remove") }</button>
        </li>
    }
}

/// A file the worker is reading: how far it is, and a way to stop it.
fn reading_item(
    state: &UseReducerHandle<State>,
    progress: &Progress,
    file: baocao::model::FileId,
    name: &str,
) -> Html {
    let lang = state.lang;
    let done = progress
        .iter()
        .find(|(n, _)| n == name)
        .map_or(0.0, |(_, d)| *d);
    let cancel = {
        let (state, name) = (state.clone(), name.to_string());
        Callback::from(move |_| state.dispatch(Action::CancelRead(file, name.clone())))
    };
    html! {
        <li data-testid="reading" data-file={name.to_string()}>
            <strong translate="no">{ name.to_string() }</strong>
            { format!(" · {} {:.0}% ", t(lang, "đang đọc", "reading"), done * 100.0) }
            <progress data-testid="read-progress" max="1" value={format!("{done:.3}")}
                aria-label={format!("{} {name}", t(lang, "Đang đọc", "Reading"))} />
            { " " }
            <button type="button" class="button" data-testid="cancel-read" onclick={cancel}>
                { t(lang, "Dừng đọc", "Stop reading") }</button>
        </li>
    }
}

/// The files being read, with their progress: above the tabs.
pub fn reading_list(state: &UseReducerHandle<State>, progress: &Progress) -> Html {
    let ws = &state.ws;
    let reading = ws.pending();
    if reading.is_empty() {
        return html! {};
    }
    html! {
        <ul class="reading-list" aria-live="polite">
            { for reading.iter().map(|p| reading_item(state, progress, p.file, &p.name)) }
        </ul>
    }
}

pub fn files_panel(state: &UseReducerHandle<State>) -> Html {
    let lang = state.lang;
    let ws = &state.ws;
    html! {
        <section class="panel files" aria-labelledby="files-title">
            <h2 id="files-title">{ t(lang, "Tệp số liệu", "Data files") }</h2>
            if ws.is_sample {
                <p class="hint">{ t(lang, "Đang dùng số liệu mẫu (", "Showing the sample (") }
                    <span translate="no">{ "Bắc Giang" }</span>
                    { t(lang, ", 2021). Thả tệp của bạn để thay thế.", ", 2021). Drop your files to replace it.") }</p>
            }
            <ul>
                { for ws.dataset().files.iter().map(|f| {
                    let counts = severity_counts(&state.ws, f.id, lang);
                    let remove = {
                        let (state, name) = (state.clone(), f.name.clone());
                        Callback::from(move |_| state.dispatch(Action::RemoveFile(name.clone())))
                    };
                    let is_text = f.is_text();
                    let chosen = ws.encodings.get(&f.name).copied().unwrap_or_default();
                    let on_encoding = {
                        let (state, name) = (state.clone(), f.name.clone());
                        Callback::from(move |e: Event| {
                            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                            if let Some(enc) = TextEncoding::from_label(&select.value()) {
                                state.dispatch(Action::SetEncoding(name.clone(), enc));
                            }
                        })
                    };
                    // Shown above the tabs, in view whichever tab is open.
                    if ws.is_pending(f.id) {
                        return html! {};
                    }
                    if ws.held.contains(&f.name) {
                        return held_item(state, &f.name);
                    }
                    html! {
                        <li>
                            <strong translate="no">{ f.name.clone() }</strong>
                            { format!(" · {} {} · ", format_number(f64::from(f.rows), 0), t(lang, "dòng", "rows")) }
                            <span class="file-counts" data-testid="file-counts">{ counts }</span>
                            if is_text {
                                <label class="encoding">
                                    { format!(" · {} ", t(lang, "bảng mã", "encoding")) }
                                    <select onchange={on_encoding} data-testid="encoding"
                                        aria-label={format!("{} {}", t(lang, "Bảng mã của", "Encoding of"), f.name)}>
                                        { for TextEncoding::CHOICES.iter().map(|e| {
                                            let label = if *e == TextEncoding::Auto {
                                                format!("{} ({})", t(lang, "Tự nhận", "Automatic"), f.encoding)
                                            } else {
                                                e.label().to_string()
                                            };
                                            html! { <option value={e.label()} selected={*e == chosen}>{ label }</option> }
                                        }) }
                                    </select>
                                </label>
                            } else {
                                { format!(" · {}", f.encoding) }
                            }
                            if !ws.is_sample {
                                <button type="button" class="link" onclick={remove}
                                    aria-label={format!("{} {}", t(lang, "Bỏ tệp", "Remove file"), f.name)}>{ "×" }</button>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// "2 lỗi · 1 cảnh báo" for the file's findings, "không có lỗi" when none
/// is an error or a warning.
fn severity_counts(
    ws: &baocao::workspace::Workspace,
    file: u32,
    lang: baocao::model::Lang,
) -> Html {
    let count = |severity: Severity| -> usize {
        ws.findings()
            .iter()
            .filter(|x| x.file == Some(file) && x.severity == severity)
            .map(|x| 1 + x.more)
            .sum()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    if errors + warnings == 0 {
        return html! { <span class="ok">{ t(lang, "không có lỗi", "no errors") }</span> };
    }
    let part = |n: usize, class: &'static str, vi: &'static str, en: &'static str| {
        (n > 0).then(|| html! {
            <span class={class}>{ format!("{} {}", format_number(n as f64, 0), t(lang, vi, en)) }</span>
        })
    };
    html! {
        <>
            { for part(errors, "count-error", "lỗi", "errors") }
            if errors > 0 && warnings > 0 { { " · " } }
            { for part(warnings, "count-warning", "cảnh báo", "warnings") }
        </>
    }
}
