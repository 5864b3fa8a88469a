//! The Yew app: one reducer holds the workspace; one component per panel.

mod bridge;
mod chart;
mod checking;
mod download_check;
mod dropzone;
mod editor;
mod figure_panel;
mod figure_picker;
mod findings;
mod inlines;
mod keeping;
mod mapping;
mod preview;
mod preview_table;
mod reader;
mod state;
mod storage;

use crate::services;
use baocao::export::docx;
use baocao::export::findings::row;
use baocao::protocol::{Reply, Request, Workbook};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
use baocao::ingest::TextEncoding;
use baocao::model::{Lang, Severity};
use baocao::report::layout::Layout;
use baocao::vn::format_number;
use reader::Progress;
use state::{t, Action, State};
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| State {
        lang: if services::saved_lang().as_deref() == Some("en") {
            Lang::En
        } else {
            Lang::Vi
        },
        // Busy until the saved workspace of an earlier visit has been looked for.
        busy: true,
        ..State::default()
    });
    {
        // Offline use; a new version announces itself.
        let state = state.clone();
        use_effect_with((), move |_| {
            services::register_service_worker(move || {
                state.dispatch(Action::Notice("Đã có phiên bản mới của trang; lần mở sau sẽ dùng phiên bản này. / A new version is ready.".into()))
            });
        });
    }
    storage::use_storage(&state);
    let error = use_state(|| None::<String>);
    // How long the last DOCX took to build, shown to benchmarks as data-build-ms.
    let docx_ms = use_state(|| None::<f64>);
    let (reader, progress) = reader::use_reader(&state);
    checking::use_checking(&state);
    // After every change the page is idle again, unless files are still being read.
    use_effect_with((state.version, state.is_ready()), |(_, ready)| {
        services::set_ready(*ready)
    });
    {
        let lang = state.lang;
        use_effect_with(lang, move |lang| {
            services::save_lang(if *lang == Lang::Vi { "vi" } else { "en" });
            if let Some(html) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                let _ = html.set_attribute("lang", if *lang == Lang::Vi { "vi" } else { "en" });
            }
        });
    }
    let lang = state.lang;
    let ws = &state.ws;

    let download_docx = {
        let (state, error, docx_ms) = (state.clone(), error.clone(), docx_ms.clone());
        Callback::from(move |_| {
            let Some(doc) = state.ws.document.clone() else {
                return;
            };
            let info = docx::DocxInfo {
                inputs_hash: state.ws.inputs_hash(),
                catalog_hash: state.ws.catalog_hash(),
            };
            let (error, docx_ms) = (error.clone(), docx_ms.clone());
            let name = state.ws.header.file_name("bao-cao", "docx");
            wasm_bindgen_futures::spawn_local(async move {
                // Charts go into the DOCX as PNG, drawn by the browser's canvas.
                let (w, h) = (
                    (640.0 * chart::PNG_SCALE) as u32,
                    (360.0 * chart::PNG_SCALE) as u32,
                );
                let mut images = Vec::with_capacity(doc.charts.len());
                for c in &doc.charts {
                    let svg =
                        baocao::chart::svg::to_svg(&baocao::chart::draw::draw(c), &c.description());
                    let png = services::svg_to_png(&svg, w, h).await.ok();
                    images.push(png.map(|png| docx::ChartImage {
                        png,
                        width_px: w,
                        height_px: h,
                    }));
                }
                let started = services::now_ms();
                let built = docx::write_docx(&doc, &Layout::default(), &info, &images);
                docx_ms.set(Some(services::now_ms() - started));
                let result = built.and_then(|bytes| {
                    services::download(
                        &bytes,
                        &name,
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    )
                });
                error.set(result.err());
            });
        })
    };
    let download_html = {
        let (state, error) = (state.clone(), error.clone());
        Callback::from(move |_| {
            let Some(doc) = state.ws.document.as_ref() else {
                return;
            };
            let html = baocao::export::html::write_html(doc, &Layout::default());
            let name = state.ws.header.file_name("bao-cao", "html");
            error.set(services::download(html.as_bytes(), &name, "text/html").err());
        })
    };
    let print = Callback::from(|_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    let download_findings = {
        let (state, error) = (state.clone(), error.clone());
        Callback::from(move |_| {
            // Every finding, those past the cap found again and streamed out.
            let (ws, lang) = (&state.ws, state.lang);
            let write = |push: &mut dyn FnMut(Vec<u8>)| ws.findings_csv(lang, push);
            let name = ws.header.file_name("cac-van-de", "csv");
            error.set(services::download_chunks(write, &name, "text/csv").err());
        })
    };
    // Workbooks are written by the reader worker, which has rust_xlsxwriter.
    let download_workbook = {
        let (reader, error) = (reader.clone(), error.clone());
        move |workbook: Workbook, name: String| {
            let error = error.clone();
            reader.ask(
                |job| Request::Workbook { job, workbook },
                move |reply| {
                    error.set(match reply {
                        Reply::Workbook { bytes, .. } => {
                            services::download(&bytes, &name, XLSX).err()
                        }
                        Reply::Failed { message, .. } => Some(message),
                        _ => None,
                    })
                },
            );
        }
    };
    let download_findings_xlsx = {
        let (state, download) = (state.clone(), download_workbook.clone());
        Callback::from(move |_| {
            let (ws, lang) = (&state.ws, state.lang);
            let rows = ws
                .findings
                .iter()
                .map(|f| row(f, &ws.dataset, &ws.catalog, lang))
                .collect();
            let name = ws.header.file_name("cac-van-de", "xlsx");
            download(Workbook::Findings { rows, lang }, name);
        })
    };
    let download_template = {
        let state = state.clone();
        Callback::from(move |_| {
            let rows = state.ws.input_template_rows();
            let catalog = state.ws.catalog_text.clone();
            download_workbook(
                Workbook::Template { rows, catalog },
                "mau-nhap-so-lieu.xlsx".into(),
            );
        })
    };
    let export = {
        let (state, error) = (state.clone(), error.clone());
        Callback::from(move |_| {
            let result = baocao::snapshot::write(&state.ws).and_then(|bytes| {
                services::download(&bytes, "khong-gian-lam-viec.baocao", "application/zip")
            });
            error.set(result.err());
        })
    };
    let reset = {
        let state = state.clone();
        Callback::from(move |_| {
            let ok = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message("Bỏ các tệp và chỉnh sửa, nạp lại số liệu mẫu?")
                        .ok()
                })
                .unwrap_or(true);
            if ok {
                state.dispatch(Action::Reset);
            }
        })
    };
    let toggle_lang = {
        let state = state.clone();
        Callback::from(move |_| {
            state.dispatch(Action::SetLang(if state.lang == Lang::Vi {
                Lang::En
            } else {
                Lang::Vi
            }))
        })
    };

    // The report with errors or missing figures is written only once the
    // user has seen them and still wants it.
    let asking = use_state(|| None::<Callback<MouseEvent>>);
    let checked = |action: Callback<MouseEvent>| {
        let (state, asking) = (state.clone(), asking.clone());
        Callback::from(move |e: MouseEvent| {
            let (errors, missing) = download_check::report_problems(&state.ws, state.lang);
            if errors.is_empty() && missing.is_empty() {
                action.emit(e);
            } else {
                asking.set(Some(action.clone()));
            }
        })
    };
    let (download_docx, download_html, print) = (
        checked(download_docx),
        checked(download_html),
        checked(print),
    );
    let check_dialog = (*asking).clone().map(|action| {
        let (go_asking, back_asking) = (asking.clone(), asking.clone());
        let on_go = Callback::from(move |e: MouseEvent| {
            go_asking.set(None);
            action.emit(e);
        });
        let on_back = Callback::from(move |()| back_asking.set(None));
        html! { <download_check::DownloadCheck state={state.clone()} {on_go} {on_back} /> }
    });

    // Nothing is downloaded from a state still being read or checked, or
    // from a template in error: it would be the previous state's report.
    let can_download = state.is_ready() && ws.template_error.is_none();
    html! {
        <>
        <header class="topbar">
            <h1>{ "baocao" }<small>{ t(lang, " — kiểm tra số liệu và lập báo cáo", " — check indicators, write the report") }</small></h1>
            <nav class="actions" aria-label={t(lang, "Tải xuống", "Downloads")}>
                <button type="button" class="button primary" data-testid="download-docx" onclick={download_docx}
                    data-build-ms={docx_ms.map(|ms| format!("{ms:.1}"))}
                    disabled={!can_download || ws.document.is_none()}>{ t(lang, "Tải báo cáo (DOCX)", "Download report (DOCX)") }</button>
                <button type="button" class="button" data-testid="download-html" onclick={download_html}
                    disabled={!can_download || ws.document.is_none()}>{ "HTML" }</button>
                <button type="button" class="button" onclick={print}
                    disabled={!can_download || ws.document.is_none()}>{ t(lang, "In / PDF", "Print / PDF") }</button>
                <button type="button" class="button" data-testid="download-findings" onclick={download_findings}
                    disabled={!can_download}>
                    { t(lang, "Vấn đề (CSV)", "Problems (CSV)") }</button>
                <button type="button" class="button" data-testid="download-findings-xlsx" onclick={download_findings_xlsx}
                    disabled={!can_download}>
                    { t(lang, "Vấn đề (XLSX)", "Problems (XLSX)") }</button>
                <button type="button" class="button" data-testid="download-template" onclick={download_template}
                    disabled={!can_download}>
                    { t(lang, "Mẫu nhập số liệu (XLSX)", "Input template (XLSX)") }</button>
                <button type="button" class="button" data-testid="export-workspace" onclick={export}
                    disabled={!can_download}
                    title={t(lang, "Lưu mọi thứ vào một tệp để mở trên máy khác (thả tệp đó vào trang để mở)",
                        "Save everything to one file to open on another computer (drop it on the page to open)")}>
                    { t(lang, "Xuất không gian làm việc", "Export workspace") }</button>
                <button type="button" class="button" data-testid="reset-workspace" onclick={reset}>
                    { t(lang, "Nạp lại mẫu", "Reset to sample") }</button>
                <button type="button" class="button" onclick={toggle_lang} title="Ngôn ngữ / Language">
                    { if lang == Lang::Vi { "English" } else { "Tiếng Việt" } }</button>
            </nav>
        </header>
        <main class="layout">
            <div class="column">
                                <dropzone::DropZone state={state.clone()} reader={reader.clone()} />
                if let Some(e) = (*error).clone() { <p class="notice" role="alert">{ e }</p> }
                <keeping::KeepingNotices state={state.clone()} />
                { for state.notices.iter().map(|n| html! { <p class="notice" role="alert">{ n.clone() }</p> }) }
                { files_panel(&state, &progress) }
                <findings::FindingsPanel state={state.clone()} reader={reader.clone()} />
                <mapping::MappingPanel state={state.clone()} />
                <section class="panel charts" aria-labelledby="charts-title">
                    <h2 id="charts-title">{ t(lang, "Biểu đồ", "Charts") }</h2>
                    <div class="chart-grid">
                        { for ws.charts().iter().map(|c| html! { <chart::ChartCard chart={c.clone()} lang={lang} /> }) }
                    </div>
                </section>
                <editor::Editor state={state.clone()} />
            </div>
            <div class="column preview-column">
                <preview::Preview state={state.clone()} />
            </div>
        </main>
        { for check_dialog }
        </>
    }
}

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
            <strong>{ name.to_string() }</strong>
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
fn reading_item(state: &UseReducerHandle<State>, progress: &Progress, name: &str) -> Html {
    let lang = state.lang;
    let done = progress
        .iter()
        .find(|(n, _)| n == name)
        .map_or(0.0, |(_, d)| *d);
    let cancel = {
        let (state, name) = (state.clone(), name.to_string());
        Callback::from(move |_| state.dispatch(Action::CancelRead(name.clone())))
    };
    html! {
        <li data-testid="reading" data-file={name.to_string()}>
            <strong>{ name.to_string() }</strong>
            { format!(" · {} {:.0}% ", t(lang, "đang đọc", "reading"), done * 100.0) }
            <progress data-testid="read-progress" max="1" value={format!("{done:.3}")}
                aria-label={format!("{} {name}", t(lang, "Đang đọc", "Reading"))} />
            { " " }
            <button type="button" class="button" data-testid="cancel-read" onclick={cancel}>
                { t(lang, "Dừng đọc", "Stop reading") }</button>
        </li>
    }
}

fn files_panel(state: &UseReducerHandle<State>, progress: &Progress) -> Html {
    let lang = state.lang;
    let ws = &state.ws;
    html! {
        <section class="panel files" aria-labelledby="files-title">
            <h2 id="files-title">{ t(lang, "Tệp số liệu", "Data files") }</h2>
            if ws.is_sample {
                <p class="hint">{ t(lang, "Đang dùng số liệu mẫu (Bắc Giang, 2021). Thả tệp của bạn để thay thế.",
                    "Showing the sample (Bắc Giang, 2021). Drop your files to replace it.") }</p>
            }
            <ul>
                { for ws.dataset.files.iter().enumerate().map(|(i, f)| {
                    let errors: usize = ws.findings.iter().filter(|x| x.file == Some(i as u32) && x.severity == Severity::Error).map(|x| 1 + x.more).sum();
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
                    if ws.pending.iter().any(|p| p.file == i as u32) {
                        return reading_item(state, progress, &f.name);
                    }
                    if ws.held.contains(&f.name) {
                        return held_item(state, &f.name);
                    }
                    html! {
                        <li>
                            <strong>{ f.name.clone() }</strong>
                            { format!(" · {} {} · {} {}", format_number(f64::from(f.rows), 0), t(lang, "dòng", "rows"),
                                format_number(errors as f64, 0), t(lang, "lỗi", "errors")) }
                            if is_text {
                                <label class="encoding">
                                    { format!(" · {} ", t(lang, "bảng mã", "encoding")) }
                                    <select onchange={on_encoding} data-testid="encoding"
                                        aria-label={format!("{} {}", t(lang, "Bảng mã của", "Encoding of"), f.name)}>
                                        { for TextEncoding::CHOICES.iter().map(|e| {
                                            let label = if *e == TextEncoding::Auto {
                                                format!("{} ({})", e.label(), f.encoding)
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
