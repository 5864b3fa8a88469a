//! The reader worker (wasm32 only): reads a large file in a Web Worker, a
//! slice of rows at a time, reporting progress and stopping when asked, and
//! sends the read back in chunks (see [`crate::wire`]). Not part of the core:
//! it is the browser's side of `ingest::open` + `TextReading`, shared by the
//! page (which spawns it) and `src/bin/reader.rs` (which registers it).

use crate::catalog::Catalog;
use crate::export::TemplateRow;
use crate::ingest::{self, Limits, Opened, TextEncoding};
use crate::model::Lang;
use crate::wire::{self, Encoder, ReadHead};
use gloo_worker::{HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Rows read between two looks at the message queue (progress, cancel);
/// what they yield is sent at once.
const SLICE_ROWS: usize = 40_000;
/// Observations per chunk of what is left when a read ends (all of a
/// spreadsheet, read whole): packed when the page asks, and taken by the
/// page in a task of its own (about 10 ms of unpacking).
const CHUNK: usize = 50_000;

/// A file's bytes as the page hands them over.
#[derive(Serialize, Deserialize)]
pub enum FileBytes {
    /// In the message itself.
    Inline(#[serde(with = "serde_bytes")] Vec<u8>),
    /// A `blob:` URL of this page, which the worker fetches.
    Url(String),
}

impl FileBytes {
    /// The bytes. A fetch begins at once, before the first await, and
    /// `meanwhile` runs while the browser reads the file into memory (work
    /// that would otherwise come after).
    fn fetch(
        self,
        meanwhile: impl FnOnce(),
    ) -> impl std::future::Future<Output = Result<Vec<u8>, String>> {
        use wasm_bindgen::JsCast;
        let started = match self {
            FileBytes::Inline(bytes) => Err(bytes),
            FileBytes::Url(url) => {
                let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
                Ok(wasm_bindgen_futures::JsFuture::from(
                    scope.fetch_with_str(&url),
                ))
            }
        };
        async move {
            let fetching = match started {
                Err(bytes) => {
                    meanwhile();
                    return Ok(bytes);
                }
                Ok(fetching) => fetching,
            };
            let failed = |e: wasm_bindgen::JsValue| format!("không lấy được tệp: {e:?}");
            let response = fetching.await.map_err(failed)?;
            let response: web_sys::Response = response.unchecked_into();
            let buffer = response.array_buffer().map_err(failed)?;
            meanwhile();
            let buffer = wasm_bindgen_futures::JsFuture::from(buffer)
                .await
                .map_err(failed)?;
            Ok(js_sys::Uint8Array::new(&buffer).to_vec())
        }
    }
}

#[derive(Serialize, Deserialize)]
pub enum Request {
    Read {
        job: u32,
        name: String,
        bytes: FileBytes,
        encoding: TextEncoding,
        /// The id the file's cells carry.
        file: u32,
        /// The catalogue's TOML, as the page holds it.
        catalog: String,
        limits: Limits,
    },
    Cancel {
        job: u32,
    },
    /// The next chunk of a finished read, or `Done`.
    Next {
        job: u32,
    },
    /// Writes a workbook the page offers for download.
    Workbook {
        job: u32,
        workbook: Workbook,
    },
    /// Rows `first..=last` of a sheet of a spreadsheet, for the source view.
    SheetRows {
        job: u32,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
        sheet: usize,
        first: u32,
        last: u32,
    },
}

/// The workbooks the worker writes (rust_xlsxwriter lives in its wasm only).
#[derive(Serialize, Deserialize)]
pub enum Workbook {
    /// Rows as `export::findings::row` makes them.
    Findings { rows: Vec<[String; 9]>, lang: Lang },
    /// The input template for these rows of the catalogue (its TOML).
    Template {
        rows: Vec<TemplateRow>,
        catalog: String,
    },
}

#[derive(Serialize, Deserialize)]
pub enum Reply {
    /// From 0 to 1.
    Progress {
        job: u32,
        done: f64,
    },
    /// Observations read so far, sent while the file is still being read.
    Streamed {
        job: u32,
        chunk: wire::Chunk,
    },
    /// The read is done: the rest follows, a `Chunk` per `Next`.
    Head {
        job: u32,
        head: ReadHead,
    },
    Chunk {
        job: u32,
        chunk: wire::Chunk,
    },
    /// Every chunk has been sent.
    Done {
        job: u32,
    },
    Cancelled {
        job: u32,
    },
    Failed {
        job: u32,
        message: String,
    },
    Workbook {
        job: u32,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    SheetRows {
        job: u32,
        rows: Option<Vec<(u32, Vec<String>)>>,
    },
}

impl Reply {
    /// The job the reply is about.
    pub fn job(&self) -> u32 {
        match self {
            Reply::Progress { job, .. }
            | Reply::Streamed { job, .. }
            | Reply::Head { job, .. }
            | Reply::Chunk { job, .. }
            | Reply::Done { job }
            | Reply::Cancelled { job }
            | Reply::Failed { job, .. }
            | Reply::Workbook { job, .. }
            | Reply::SheetRows { job, .. } => *job,
        }
    }
}

/// Writes a workbook; without the spreadsheet feature (never the case in
/// the worker's own build) it says so.
fn workbook(workbook: Workbook) -> Result<Vec<u8>, String> {
    #[cfg(feature = "spreadsheets")]
    {
        use crate::export::xlsx;
        match workbook {
            Workbook::Findings { rows, lang } => xlsx::findings_xlsx(&rows, lang),
            Workbook::Template { rows, catalog } => {
                let catalog = Catalog::from_toml(&catalog)?;
                xlsx::input_template_xlsx(&rows, &catalog, |_| None)
            }
        }
    }
    #[cfg(not(feature = "spreadsheets"))]
    {
        let _ = workbook;
        Err("XLSX is not built in here".into())
    }
}

fn sheet_rows(
    bytes: &[u8],
    sheet: usize,
    first: u32,
    last: u32,
) -> Option<Vec<(u32, Vec<String>)>> {
    #[cfg(feature = "spreadsheets")]
    return ingest::spreadsheet::sheet_rows(bytes, sheet, first, last);
    #[cfg(not(feature = "spreadsheets"))]
    {
        let _ = (bytes, sheet, first, last);
        None
    }
}

pub struct ReaderWorker {
    cancelled: Rc<RefCell<HashSet<u32>>>,
    /// Finished reads whose chunks are still to be sent, by job.
    outbox: Rc<RefCell<HashMap<u32, Encoder>>>,
}

impl Worker for ReaderWorker {
    type Message = ();
    type Input = Request;
    type Output = Reply;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        ReaderWorker {
            cancelled: Rc::default(),
            outbox: Rc::default(),
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: ()) {}

    fn received(&mut self, scope: &WorkerScope<Self>, request: Request, id: HandlerId) {
        match request {
            Request::Cancel { job } => {
                self.cancelled.borrow_mut().insert(job);
                self.outbox.borrow_mut().remove(&job);
            }
            Request::Next { job } => {
                let next = self.outbox.borrow_mut().get_mut(&job).map(Iterator::next);
                match next {
                    Some(Some(chunk)) => scope.respond(id, Reply::Chunk { job, chunk }),
                    Some(None) => {
                        self.outbox.borrow_mut().remove(&job);
                        scope.respond(id, Reply::Done { job });
                    }
                    None => {}
                }
            }
            Request::Workbook { job, workbook: w } => scope.respond(
                id,
                match workbook(w) {
                    Ok(bytes) => Reply::Workbook { job, bytes },
                    Err(message) => Reply::Failed { job, message },
                },
            ),
            Request::SheetRows {
                job,
                bytes,
                sheet,
                first,
                last,
            } => scope.respond(
                id,
                Reply::SheetRows {
                    job,
                    rows: sheet_rows(&bytes, sheet, first, last),
                },
            ),
            Request::Read {
                job,
                name,
                bytes,
                encoding,
                file,
                catalog,
                limits,
            } => {
                let (reply_scope, cancelled) = (scope.clone(), self.cancelled.clone());
                let outbox = self.outbox.clone();
                let reply = move |r: Reply| reply_scope.respond(id, r);
                let is_cancelled = move || cancelled.borrow_mut().remove(&job);
                scope.send_future(async move {
                    // The catalogue (some 30 ms) is parsed while the
                    // browser reads the file.
                    let mut parsed = None;
                    let fetched = bytes
                        .fetch(|| parsed = Some(Catalog::from_toml(&catalog)))
                        .await;
                    let bytes = match fetched {
                        Ok(bytes) => bytes,
                        Err(message) => return reply(Reply::Failed { job, message }),
                    };
                    let catalog = parsed.unwrap_or_else(|| Catalog::from_toml(&catalog));
                    let catalog = match catalog {
                        Ok(c) => c,
                        Err(message) => return reply(Reply::Failed { job, message }),
                    };
                    let mut encoder = Encoder::new(CHUNK);
                    let opened = ingest::open(&name, &bytes, &catalog, file, &limits, encoding);
                    let (read, corrections) = match opened {
                        Opened::Read(read) => (read, Vec::new()),
                        Opened::Text(text) => {
                            let mut reading = text.reading(&catalog, &limits);
                            while !reading.step(SLICE_ROWS) {
                                // What is read goes at once: the page unpacks
                                // it while the rest is read.
                                let taken = reading.take_observations();
                                if !taken.is_empty() {
                                    let chunk = encoder.pack(&taken);
                                    reply(Reply::Streamed { job, chunk });
                                }
                                reply(Reply::Progress {
                                    job,
                                    done: reading.progress(),
                                });
                                // A task boundary, so that a Cancel can arrive.
                                crate::task::next().await;
                                if is_cancelled() {
                                    return reply(Reply::Cancelled { job });
                                }
                            }
                            reading.finish_taken()
                        }
                    };
                    // The rest (all of a spreadsheet) goes a chunk per `Next`,
                    // so the page paints between chunks.
                    let head = encoder.finish(read, corrections);
                    outbox.borrow_mut().insert(job, encoder);
                    reply(Reply::Head { job, head });
                    is_cancelled();
                });
            }
        }
    }
}
