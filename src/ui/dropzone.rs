//! Where files come in: a drop zone that is also a keyboard-operable file button.

use super::reader::Reader;
use super::state::{t, Action, State};
use crate::services;
use baocao::model::{new_file_id, FileId};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, FileList, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
    pub reader: Reader,
    /// Downloads the input template (the first step).
    pub template: Callback<MouseEvent>,
}

/// Files dropped or chosen: each is given its id, the workspace registers
/// them, and `ui::arrivals` takes their bytes. A large file's read starts
/// here, before the page renders the drop.
fn take(state: &UseReducerHandle<State>, reader: &Reader, list: Option<FileList>) {
    let list = list.map(|l| services::files_of(&l)).unwrap_or_default();
    if list.is_empty() {
        return;
    }
    services::set_ready(false);
    let files: Vec<(FileId, web_sys::File)> =
        list.into_iter().map(|f| (new_file_id(), f)).collect();
    reader.dropped(&state.ws, &files);
    state.dispatch(Action::Drop(files));
}

/// Makes the whole window take drops: a file dropped anywhere (on the
/// preview, say) is taken as on the drop zone, and an overlay shows while
/// one is dragged over the page. Listeners on the window see the latest
/// state through `latest`.
#[hook]
fn use_window_drops(
    latest: std::rc::Rc<std::cell::RefCell<(UseReducerHandle<State>, Reader)>>,
    over: UseStateHandle<bool>,
) {
    use_effect_with((), move |_| {
        let window = web_sys::window();
        let on = |f: Box<dyn FnMut(DragEvent)>| Closure::wrap(f);
        let dragover = {
            let (over, latest) = (over.clone(), latest.clone());
            on(Box::new(move |e: DragEvent| {
                let files = e
                    .data_transfer()
                    .is_some_and(|d| d.types().includes(&"Files".into(), 0));
                if files {
                    e.prevent_default();
                    if !*over {
                        latest.borrow().1.warm();
                        over.set(true);
                    }
                }
            }))
        };
        let dragleave = {
            let over = over.clone();
            // Leaving the window: nothing under the pointer any more.
            on(Box::new(move |e: DragEvent| {
                if e.related_target().is_none() {
                    over.set(false);
                }
            }))
        };
        let drop = {
            let (over, latest) = (over.clone(), latest.clone());
            on(Box::new(move |e: DragEvent| {
                over.set(false);
                // The drop zone took it already.
                if e.default_prevented() {
                    return;
                }
                e.prevent_default();
                let (state, reader) = latest.borrow().clone();
                take(&state, &reader, e.data_transfer().and_then(|d| d.files()));
            }))
        };
        let listeners = [
            ("dragover", dragover),
            ("dragleave", dragleave),
            ("drop", drop),
        ];
        if let Some(w) = &window {
            for (name, f) in &listeners {
                let _ = w.add_event_listener_with_callback(name, f.as_ref().unchecked_ref());
            }
        }
        move || {
            if let Some(w) = &window {
                for (name, f) in &listeners {
                    let _ = w.remove_event_listener_with_callback(name, f.as_ref().unchecked_ref());
                }
            }
        }
    });
}

#[function_component(DropZone)]
pub fn drop_zone(props: &Props) -> Html {
    let lang = props.state.lang;
    let hover = use_state(|| false);
    let window_over = use_state(|| false);
    let latest = use_mut_ref(|| (props.state.clone(), props.reader.clone()));
    *latest.borrow_mut() = (props.state.clone(), props.reader.clone());
    use_window_drops(latest, window_over.clone());
    let ondrop = {
        let (state, hover, reader) = (props.state.clone(), hover.clone(), props.reader.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            hover.set(false);
            take(&state, &reader, e.data_transfer().and_then(|d| d.files()));
        })
    };
    let ondragover = {
        let (hover, reader) = (hover.clone(), props.reader.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            // A file on its way: start the reader worker now, so its start
            // overlaps the rest of the drag rather than the read.
            if !*hover {
                reader.warm();
            }
            hover.set(true);
        })
    };
    let ondragleave = {
        let hover = hover.clone();
        Callback::from(move |_: DragEvent| hover.set(false))
    };
    let onchange = {
        let (state, reader) = (props.state.clone(), props.reader.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            take(&state, &reader, input.files());
            // Let the same file be chosen again after it is edited.
            input.set_value("");
        })
    };
    // The file dialog is open for a while: the reader worker starts meanwhile.
    let onclick = {
        let reader = props.reader.clone();
        Callback::from(move |_: MouseEvent| reader.warm())
    };
    // Once the user's own files are in, the steps take one line.
    let class = classes!(
        "dropzone",
        hover.then_some("hover"),
        (!props.state.ws.is_sample).then_some("compact")
    );
    let step = current_step(&props.state);
    html! {
        <>
        if *window_over {
            <div class="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
                <p>{ t(lang, "Thả tệp vào bất cứ đâu để đọc", "Drop the files anywhere to read them") }</p>
            </div>
        }
        <section {class} data-testid="dropzone" {ondrop} {ondragover} {ondragleave}
            aria-label={t(lang, "Các bước; thả tệp số liệu vào đây", "Steps; drop indicator files here")}>
            <ol class="steps" data-step={step.to_string()}>
                <li class={classes!("step", (step == 1).then_some("current"))} aria-current={(step == 1).then_some("step")}>
                    <span class="step-text"><span class="long">{ t(lang, "Lấy mẫu nhập số liệu, hoặc dùng tệp sẵn có của đơn vị", "Get the input template, or use your own files") }</span><span class="short">{ t(lang, "Lấy mẫu", "Template") }</span></span>
                    <button type="button" class="button small" data-testid="download-template" onclick={props.template.clone()}
                        disabled={!props.state.can_download()}>{ t(lang, "Mẫu nhập số liệu (XLSX)", "Input template (XLSX)") }</button>
                </li>
                <li class={classes!("step", (step == 2).then_some("current"))} aria-current={(step == 2).then_some("step")}>
                    <span class="step-text"><span class="long">{ t(lang, "Thả tệp vào bất cứ đâu trên trang (XLSX, XLS, ODS, CSV, JSON)", "Drop the files anywhere on the page (XLSX, XLS, ODS, CSV, JSON)") }</span><span class="short">{ t(lang, "Thả tệp", "Drop") }</span></span>
                    <label class="button small">
                        { t(lang, "Chọn tệp…", "Choose files…") }
                        <input type="file" multiple=true data-testid="file-input" class="visually-hidden"
                            accept=".csv,.tsv,.txt,.xlsx,.xlsm,.xlsb,.xls,.ods,.json,.toml,.baocao" {onchange} {onclick}
                            aria-label={t(lang, "Chọn tệp số liệu", "Choose indicator files")} />
                    </label>
                </li>
                <li class={classes!("step", (step == 3).then_some("current"))} aria-current={(step == 3).then_some("step")}>
                    <span class="step-text"><span class="long">{ t(lang, "Sửa những gì được đánh dấu, rồi thả lại tệp đã sửa", "Mend what is flagged, then drop the mended file again") }</span><span class="short">{ t(lang, "Sửa vấn đề", "Mend") }</span></span>
                </li>
                <li class={classes!("step", (step == 4).then_some("current"))} aria-current={(step == 4).then_some("step")}>
                    <span class="step-text"><span class="long">{ t(lang, "Tải báo cáo (nút trên cùng)", "Download the report (button at the top)") }</span><span class="short">{ t(lang, "Tải báo cáo", "Download") }</span></span>
                </li>
            </ol>
            <p class="hint">{ t(lang, "Tệp chỉ được đọc trong trình duyệt này, không gửi đi đâu.", "Files are read in this browser only and sent nowhere.") }</p>
            <details class="advanced">
                <summary>{ t(lang, "Tuỳ chọn nâng cao", "Advanced") }</summary>
                <p class="hint">{ t(lang,
                    "Thả tệp danh mục chỉ tiêu (.toml) để dùng chỉ tiêu và quy tắc của đơn vị. Thả tệp không gian làm việc (.baocao) đã xuất để mở lại toàn bộ công việc trên máy khác.",
                    "Drop an indicator catalogue (.toml) to use your own indicators and rules. Drop an exported workspace file (.baocao) to open all the work again on another computer.") }</p>
            </details>
        </section>
        </>
    }
}

/// The step the user is at: the sample shown (1), files being read (2),
/// errors left in the data (3), or a report ready to download (4).
fn current_step(state: &State) -> u8 {
    if state.ws.is_sample {
        1
    } else if !state.ws.pending().is_empty() || !state.ws.arriving().is_empty() {
        2
    } else if state.ws.count(baocao::model::Severity::Error) > 0 {
        3
    } else {
        4
    }
}
