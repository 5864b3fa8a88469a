//! Where files come in: a drop zone that is also a keyboard-operable file button.

use super::reader::Reader;
use super::state::{t, Action, State};
use crate::services;
use baocao::snapshot;
use baocao::workspace::{classify, read_in_worker, Dropped};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, FileList, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
    pub reader: Reader,
}

fn take(state: &UseReducerHandle<State>, reader: &Reader, list: Option<FileList>) {
    let list = list.map(|l| services::files_of(&l)).unwrap_or_default();
    if list.is_empty() {
        return;
    }
    // A file the worker will read: its read begins now, while the page takes
    // the bytes and updates (some 200 ms for a large file); the workspace's
    // pending file claims it.
    let for_worker = |f: &&web_sys::File| read_in_worker(&f.name(), f.size() as u64);
    let for_worker: Vec<_> = list.iter().filter(for_worker).cloned().collect();
    let early = reader.read_dropped(&for_worker, &state.ws);
    let reader = reader.clone();
    state.dispatch(Action::Reading);
    services::set_ready(false);
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let (files, mut errors) = services::read_files(list).await;
        // Taking a large file's bytes into wasm is a task's worth on its
        // own (38 MB: tens of ms); the workspace's update and its render
        // get the next one, so a frame can come between.
        services::next_task().await;
        let (mut catalogs, mut snapshots, mut data) = (Vec::new(), Vec::new(), Vec::new());
        for f in files {
            match classify(&f.name, &f.bytes) {
                Dropped::Catalog => catalogs.push(f),
                Dropped::Workspace => snapshots.push(f),
                Dropped::Data => data.push(f),
            }
        }
        for c in catalogs {
            state.dispatch(Action::SetCatalog(
                c.name.clone(),
                String::from_utf8_lossy(&c.bytes).into_owned(),
            ));
        }
        // A workspace file replaces the workspace; a damaged one leaves it alone.
        for s in snapshots {
            match snapshot::read(&s.bytes, &state.ws.limits, state.ws.read_elsewhere_over) {
                Ok(ws) => state.dispatch(Action::Import(Box::new(ws))),
                Err(e) => errors.push(format!("Không mở được không gian làm việc {}: {e}", s.name)),
            }
        }
        let kept: Vec<_> = data
            .iter()
            .filter_map(|f| services::dropped_file_of(&f.bytes))
            .collect();
        state.dispatch(Action::AddFiles(data, errors));
        reader.handed_over(&early, &kept);
    });
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
    let class = classes!("dropzone", hover.then_some("hover"));
    html! {
        <>
        if *window_over {
            <div class="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
                <p>{ t(lang, "Thả tệp vào bất cứ đâu để đọc", "Drop the files anywhere to read them") }</p>
            </div>
        }
        <section {class} data-testid="dropzone" {ondrop} {ondragover} {ondragleave}
            aria-label={t(lang, "Thả tệp số liệu vào đây", "Drop indicator files here")}>
            <p class="dropzone-title">{ t(lang, "Thả tệp số liệu (XLSX, XLS, ODS, CSV, TSV, JSON) vào đây", "Drop indicator files (XLSX, XLS, ODS, CSV, TSV, JSON) here") }</p>
            <label class="button">
                { t(lang, "Chọn tệp…", "Choose files…") }
                <input type="file" multiple=true data-testid="file-input" class="visually-hidden"
                    accept=".csv,.tsv,.txt,.xlsx,.xlsm,.xlsb,.xls,.ods,.json,.toml,.baocao" {onchange}
                    aria-label={t(lang, "Chọn tệp số liệu", "Choose indicator files")} />
            </label>
                        <p class="hint">{ t(lang,
                "Tệp chỉ được đọc trong trình duyệt này, không gửi đi đâu. Thả tệp danh mục (.toml) để dùng chỉ tiêu và quy tắc của mình; thả tệp .baocao để mở một không gian làm việc đã xuất.",
                "Files are read in this browser only and sent nowhere. Drop a catalogue (.toml) to use your own indicators and rules; drop a .baocao file to open an exported workspace.") }</p>
        </section>
        </>
    }
}
