//! Every download the page offers, as callbacks: the report (DOCX, HTML,
//! print), the findings (CSV, XLSX), the input template and the workspace.
//! The report is written only after the check before download
//! (`download_check`) when it would carry errors or missing figures.

use super::reader::Reader;
use super::state::{Action, State};
use super::{chart, download_check};
use crate::services;
use baocao::export::docx;
use baocao::export::findings::row;
use baocao::protocol::{Reply, Request, Workbook};
use baocao::report::layout::Layout;
use baocao::snapshot::Export;
use yew::prelude::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// What each download does.
#[derive(Clone, PartialEq)]
pub struct Actions {
    pub docx: Callback<MouseEvent>,
    pub html: Callback<MouseEvent>,
    pub print: Callback<MouseEvent>,
    pub findings_csv: Callback<MouseEvent>,
    pub findings_xlsx: Callback<MouseEvent>,
    pub template: Callback<MouseEvent>,
    pub workspace: Callback<MouseEvent>,
}

pub struct Downloads {
    pub actions: Actions,
    /// Why the last download failed.
    pub error: Option<String>,
    /// How long the last DOCX took to build, shown to benchmarks as data-build-ms.
    pub docx_ms: Option<f64>,
    /// The check before download, while it asks.
    pub dialog: Option<Html>,
}

#[hook]
pub fn use_downloads(state: &UseReducerHandle<State>, reader: &Reader) -> Downloads {
    let error = use_state(|| None::<String>);
    let docx_ms = use_state(|| None::<f64>);
    let docx = {
        let (state, error, docx_ms) = (state.clone(), error.clone(), docx_ms.clone());
        Callback::from(move |_| {
            let Some(doc) = state.ws.document().cloned() else {
                return;
            };
            let (state, error, docx_ms) = (state.clone(), error.clone(), docx_ms.clone());
            let name = state.ws.header.file_name("bao-cao", "docx");
            wasm_bindgen_futures::spawn_local(async move {
                let info = match docx_info(&state).await {
                    Ok(info) => info,
                    Err(e) => return error.set(Some(e)),
                };
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
                let result = built.and_then(|bytes| services::download(&bytes, &name, DOCX));
                error.set(result.err());
            });
        })
    };
    let html = {
        let (state, error) = (state.clone(), error.clone());
        Callback::from(move |_| {
            let Some(doc) = state.ws.document() else {
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
    let findings_csv = {
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
    let workbook = {
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
    let findings_xlsx = {
        let (state, workbook) = (state.clone(), workbook.clone());
        Callback::from(move |_| {
            let (ws, lang) = (&state.ws, state.lang);
            let rows = ws
                .findings()
                .iter()
                .map(|f| row(f, ws.dataset(), &ws.catalog, lang))
                .collect();
            let name = ws.header.file_name("cac-van-de", "xlsx");
            workbook(Workbook::Findings { rows, lang }, name);
        })
    };
    let template = {
        let state = state.clone();
        Callback::from(move |_| {
            let rows = state.ws.input_template_rows();
            let catalog = state.ws.catalog_text.clone();
            workbook(
                Workbook::Template { rows, catalog },
                "mau-nhap-so-lieu.xlsx".into(),
            );
        })
    };
    let workspace = {
        let (state, error) = (state.clone(), error.clone());
        Callback::from(move |_| {
            let (state, error) = (state.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = export(&state).await.and_then(|bytes| {
                    services::download(&bytes, "khong-gian-lam-viec.baocao", "application/zip")
                });
                error.set(result.err());
            });
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
    let dialog = (*asking).clone().map(|action| {
        let (go_asking, back_asking) = (asking.clone(), asking.clone());
        let on_go = Callback::from(move |e: MouseEvent| {
            go_asking.set(None);
            action.emit(e);
        });
        let on_back = Callback::from(move |()| back_asking.set(None));
        html! { <download_check::DownloadCheck state={state.clone()} {on_go} {on_back} /> }
    });
    Downloads {
        actions: Actions {
            docx: checked(docx),
            html: checked(html),
            print: checked(print),
            findings_csv,
            findings_xlsx,
            template,
            workspace,
        },
        error: (*error).clone(),
        docx_ms: *docx_ms,
        dialog,
    }
}

/// What the DOCX records of the inputs. The files the page keeps are
/// hashed first (a slice at a time), once: the workspace keeps their digests.
async fn docx_info(state: &UseReducerHandle<State>) -> Result<docx::DocxInfo, String> {
    let mut ws = state.ws.clone();
    for id in ws.undigested() {
        let file = state.handle(id).ok_or("tệp không còn trong trang")?;
        let digest = services::digest_of(file).await?;
        ws.set_digest(id, digest);
        state.dispatch(Action::Digested(id, digest));
    }
    Ok(ws.docx_info())
}

/// The workspace file: the files the page keeps go into it a slice at a
/// time, so the page's memory grows by the compressed file, not the file.
async fn export(state: &State) -> Result<Vec<u8>, String> {
    let mut export = Export::new(&state.ws)?;
    for (i, f) in state.ws.files.iter().enumerate() {
        export.start_file(i)?;
        match f.bytes() {
            Some(bytes) => export.write(bytes)?,
            None => {
                let file = state.handle(f.id).ok_or("tệp không còn trong trang")?;
                services::stream_of(file, |slice| export.write(slice)).await?;
            }
        }
    }
    export.finish()
}
