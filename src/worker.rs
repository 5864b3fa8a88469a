//! The reader worker (wasm32 only): reads a large file in a Web Worker, a
//! slice of rows at a time, reporting progress and stopping when asked, and
//! sends the read back in chunks (see [`baocao::wire`]). Not part of the core:
//! it is the browser's side of `ingest::open` + `TextReading`, registered by
//! `src/bin/reader.rs` (the page spawns it: `ui/reader`).

use baocao::catalog::Catalog;
use baocao::ingest::text_table::DelimitedReading;
use baocao::ingest::{self, Opened};
use baocao::model::Observation;
use baocao::protocol::{self, FileBytes, Reply, Request, Workbook, BUILD};
use baocao::wire::Encoder;
use baocao::workspace::source_rows;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

#[path = "worker/pieces.rs"]
mod pieces;
#[path = "worker/split.rs"]
mod split;

/// Rows read between two looks at the message queue (progress, cancel);
/// what they yield is sent at once.
const SLICE_ROWS: usize = 40_000;
/// Observations per chunk of what is left when a read ends (all of a
/// spreadsheet, read whole): packed when the page asks, and taken by the
/// page in a task of its own (a short one).
const CHUNK: usize = 50_000;

/// A small biểu the worker reads over and over when told a file is on its
/// way (`Request::WarmUp`), so that the read's hot code is compiled by the
/// browser's optimising tier before the file arrives.
const WARM_UP_BOOK: &[u8] = include_bytes!("worker/warm-up.xlsx");
/// And a small long CSV, for the text reader's code.
const WARM_UP_TEXT: &[u8] = include_bytes!("../assets/sample-nq05-bac-giang.csv");
/// How long the warm-up may go on, in ms; each read of it is a few ms, and a
/// request stops it between two reads.
const WARM_UP_MS: f64 = 250.0;

/// The bytes. Reading an attached Blob begins at once, before the first
/// await, and `meanwhile` runs while the browser reads it into memory (work
/// that would otherwise come after).
fn file_bytes(
    bytes: FileBytes,
    attached: Option<web_sys::Blob>,
    meanwhile: impl FnOnce(),
) -> impl std::future::Future<Output = Result<Vec<u8>, String>> {
    let started = match (bytes, attached) {
        (FileBytes::Inline(bytes), _) => Ok(Ok(bytes)),
        (FileBytes::Attached, Some(blob)) => Ok(Err(wasm_bindgen_futures::JsFuture::from(
            blob.array_buffer(),
        ))),
        (FileBytes::Attached, None) => Err("không nhận được tệp kèm yêu cầu đọc".to_string()),
    };
    async move {
        let reading = match started? {
            Ok(bytes) => {
                meanwhile();
                return Ok(bytes);
            }
            Err(reading) => reading,
        };
        meanwhile();
        let buffer = reading
            .await
            .map_err(|e| format!("không lấy được tệp: {e:?}"))?;
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
    }
}

/// Writes a workbook; without the spreadsheet feature (never the case in
/// the worker's own build) it says so.
fn workbook(workbook: Workbook) -> Result<Vec<u8>, String> {
    #[cfg(feature = "spreadsheets")]
    {
        use baocao::export::xlsx;
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

/// Starts the worker: answers the page's requests from now on, and tells
/// the page it is ready (messages sent before this would be lost, so the
/// page holds them until then).
pub fn register() {
    use wasm_bindgen::JsCast;
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let worker = ReaderWorker {
        cancelled: Rc::default(),
        outbox: Rc::default(),
        warming: Rc::default(),
        helpers: split::Helpers::default(),
    };
    let post_scope = scope.clone();
    let respond: Respond = Rc::new(move |reply: Reply| post(&post_scope, &reply));
    let on_message = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
        move |event: web_sys::MessageEvent| {
            // A request, or a pair of a request and the Blob it reads.
            let data = event.data();
            let (message, attached) = match data.dyn_ref::<js_sys::Array>() {
                Some(pair) => (pair.get(0), pair.get(1).dyn_into::<web_sys::Blob>().ok()),
                None => (data, None),
            };
            let bytes = crate::message::array_of(&message).to_vec();
            // A message this build cannot read is dropped: the page of
            // another build has been told at the handshake.
            if let Ok(request) = protocol::decode::<Request>(&bytes) {
                worker.received(request, attached, respond.clone());
            }
        },
    );
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(
        &scope,
        &Reply::Ready {
            build: BUILD.into(),
        },
    );
}

/// Reads [`WARM_UP_BOOK`] and [`WARM_UP_TEXT`] in turn and packs what
/// they yield, as a request would, until [`WARM_UP_MS`] have passed or
/// another request comes.
async fn warm_up(warming: Rc<Cell<bool>>) {
    let catalog = Catalog::builtin();
    let limits = ingest::Limits::default();
    let started = js_sys::Date::now();
    let files = [
        ("warm-up.xlsx", WARM_UP_BOOK),
        ("warm-up.csv", WARM_UP_TEXT),
    ];
    for (name, bytes) in files.into_iter().cycle() {
        if !warming.get() || js_sys::Date::now() - started >= WARM_UP_MS {
            break;
        }
        let read = ingest::read_file(
            name,
            bytes,
            &catalog,
            0,
            &limits,
            ingest::TextEncoding::default(),
        );
        let mut encoder = Encoder::new(CHUNK);
        let _ = encoder.finish(read, Vec::new());
        encoder.by_ref().for_each(drop);
        crate::task::next().await;
    }
    warming.set(false);
}

/// Sends a reply, its buffer transferred rather than copied.
fn post(scope: &web_sys::DedicatedWorkerGlobalScope, reply: &Reply) {
    let Ok(bytes) = protocol::encode(reply) else {
        return;
    };
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let transfer = js_sys::Array::of1(&array.buffer());
    let _ = scope.post_message_with_transfer(&array, &transfer);
}

type Respond = Rc<dyn Fn(Reply)>;

/// A read asked of this worker, and where its replies go.
pub(crate) struct Read {
    pub job: u32,
    pub name: String,
    pub encoding: ingest::TextEncoding,
    pub file: u32,
    pub limits: ingest::Limits,
    respond: Respond,
    cancelled: Rc<RefCell<HashSet<u32>>>,
    outbox: Rc<RefCell<HashMap<u32, Outgoing>>>,
}

impl Read {
    /// A helper's read of a part: its replies go to the reader worker.
    pub fn of_part(
        job: u32,
        file: u32,
        limits: ingest::Limits,
        respond: Respond,
        cancelled: Rc<RefCell<HashSet<u32>>>,
    ) -> Read {
        Read {
            job,
            name: String::new(),
            encoding: ingest::TextEncoding::Utf8,
            file,
            limits,
            respond,
            cancelled,
            outbox: Rc::default(),
        }
    }
}

impl Read {
    pub fn reply(&self, reply: Reply) {
        (self.respond)(reply)
    }

    pub fn fail(&self, message: String) {
        self.reply(Reply::Failed {
            job: self.job,
            message,
        })
    }

    /// The file's first look (`ingest::open`) at `bytes`: all of it, or
    /// its first part or piece.
    pub fn open<'a>(&self, bytes: &'a [u8], catalog: &Catalog) -> Opened<'a> {
        let (name, file, limits) = (&self.name, self.file, &self.limits);
        ingest::open(name, bytes, catalog, file, limits, self.encoding)
    }

    /// Sends observations read, packed, as part `part`'s.
    pub fn stream(&self, part: u32, encoder: &mut Encoder, observations: &[Observation]) {
        if !observations.is_empty() {
            let chunk = encoder.pack(observations);
            self.reply(Reply::Streamed {
                job: self.job,
                part,
                chunk,
            });
        }
    }

    /// Whether the page has stopped the read (said once).
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.borrow_mut().remove(&self.job)
    }

    /// Ends the read: its head now, the rest a chunk per `Next`.
    pub fn send_rest(&self, head: baocao::wire::ReadHead, encoder: Encoder) {
        self.reply(Reply::Head {
            job: self.job,
            head,
        });
        // The first chunk is packed while the page takes the head.
        let mut outgoing = Outgoing {
            encoder,
            ahead: None,
        };
        outgoing.pack_ahead();
        self.outbox.borrow_mut().insert(self.job, outgoing);
        // A cancel that came after the read's end has nothing to stop.
        self.is_cancelled();
    }
}

/// A reading that goes a slice of rows at a time: a text file's, or a
/// piece's of a large one.
pub(crate) trait Slices {
    fn step(&mut self, rows: usize) -> bool;
    fn take(&mut self) -> Vec<Observation>;
    fn progress(&self) -> f64;
}

impl Slices for ingest::TextReading<'_, '_> {
    fn step(&mut self, rows: usize) -> bool {
        ingest::TextReading::step(self, rows)
    }
    fn take(&mut self) -> Vec<Observation> {
        self.take_observations()
    }
    fn progress(&self) -> f64 {
        ingest::TextReading::progress(self)
    }
}

impl Slices for DelimitedReading<'_, '_> {
    fn step(&mut self, rows: usize) -> bool {
        DelimitedReading::step(self, rows)
    }
    fn take(&mut self) -> Vec<Observation> {
        self.take_observations()
    }
    fn progress(&self) -> f64 {
        DelimitedReading::progress(self)
    }
}

/// Reads slice after slice to the end, what each yields going to the page
/// at once as part `part`'s (it unpacks it while the rest is read), with
/// the progress `progress` makes of the reading's own; true if the page
/// stopped the read.
pub(crate) async fn read_slices(
    read: &Read,
    reading: &mut impl Slices,
    encoder: &mut Encoder,
    part: u32,
    progress: impl Fn(f64) -> f64,
) -> bool {
    let job = read.job;
    while !reading.step(SLICE_ROWS) {
        read.stream(part, encoder, &reading.take());
        read.reply(Reply::Progress {
            job,
            done: progress(reading.progress()),
        });
        // A task boundary, so that a Cancel can arrive.
        crate::task::next().await;
        if read.is_cancelled() {
            return true;
        }
    }
    false
}

/// Reads a file's bytes whole: a spreadsheet at once, text a slice of rows
/// at a time.
pub(crate) async fn read_whole(read: &Read, bytes: &[u8], catalog: &Catalog) {
    let mut encoder = Encoder::new(CHUNK);
    let (file_read, corrections) = match read.open(bytes, catalog) {
        Opened::Read(file_read) => (file_read, Vec::new()),
        Opened::Text(text) => {
            let mut reading = text.reading(catalog, &read.limits);
            if read_slices(read, &mut reading, &mut encoder, 0, |done| done).await {
                return read.reply(Reply::Cancelled { job: read.job });
            }
            reading.finish_taken()
        }
    };
    // The rest (all of a spreadsheet) goes a chunk per `Next`, so the page
    // paints between chunks.
    let head = encoder.finish(file_read, corrections);
    read.send_rest(head, encoder);
}

/// Reads the file whole, its bytes fetched now.
pub(crate) async fn read_whole_from(read: &Read, blob: &web_sys::Blob, catalog_toml: &str) {
    let bytes = match file_bytes(FileBytes::Attached, Some(blob.clone()), || ()).await {
        Ok(bytes) => bytes,
        Err(message) => return read.fail(message),
    };
    match Catalog::from_toml(catalog_toml) {
        Ok(catalog) => read_whole(read, &bytes, &catalog).await,
        Err(message) => read.fail(message),
    }
}

/// A finished read's chunks still to send, one packed ahead: the worker
/// packs the next while the page takes the one sent, rather than each side
/// waiting for the other.
pub(crate) struct Outgoing {
    encoder: Encoder,
    ahead: Option<baocao::wire::Chunk>,
}

impl Outgoing {
    fn pack_ahead(&mut self) {
        self.ahead = self.encoder.next();
    }
}

struct ReaderWorker {
    cancelled: Rc<RefCell<HashSet<u32>>>,
    /// Finished reads whose chunks are still to be sent, by job.
    outbox: Rc<RefCell<HashMap<u32, Outgoing>>>,
    /// A warm-up runs, and no request has come since it began.
    warming: Rc<Cell<bool>>,
    helpers: split::Helpers,
}

impl ReaderWorker {
    fn received(&self, request: Request, attached: Option<web_sys::Blob>, respond: Respond) {
        // Any request ends a warm-up; a second warm-up while one runs
        // changes nothing.
        let was_warming = self.warming.replace(false);
        match request {
            Request::WarmUp { readers } => {
                self.helpers.start(readers);
                self.helpers.warm();
                self.warming.set(true);
                if !was_warming {
                    wasm_bindgen_futures::spawn_local(warm_up(self.warming.clone()));
                }
            }
            Request::Cancel { job } => {
                self.helpers.cancel(job);
                self.cancelled.borrow_mut().insert(job);
                self.outbox.borrow_mut().remove(&job);
            }
            Request::Next { job } => {
                let next = self
                    .outbox
                    .borrow_mut()
                    .get_mut(&job)
                    .map(|o| o.ahead.take());
                match next {
                    Some(Some(chunk)) => {
                        respond(Reply::Chunk { job, chunk });
                        if let Some(outgoing) = self.outbox.borrow_mut().get_mut(&job) {
                            outgoing.pack_ahead();
                        }
                    }
                    Some(None) => {
                        self.outbox.borrow_mut().remove(&job);
                        respond(Reply::Done { job });
                    }
                    None => {}
                }
            }
            Request::Workbook { job, workbook: w } => respond(match workbook(w) {
                Ok(bytes) => Reply::Workbook { job, bytes },
                Err(message) => Reply::Failed { job, message },
            }),
            Request::SourceRows {
                job,
                bytes,
                encoding,
                sheet,
                first,
                last,
            } => wasm_bindgen_futures::spawn_local(async move {
                let rows = match file_bytes(bytes, attached, || ()).await {
                    Ok(bytes) => source_rows(&bytes, encoding, sheet, first, last),
                    Err(_) => None,
                };
                respond(Reply::SourceRows { job, rows });
            }),
            Request::Read {
                job,
                name,
                bytes,
                encoding,
                file,
                catalog,
                limits,
                readers,
            } => {
                self.helpers.start(readers);
                let read = Read {
                    job,
                    name,
                    encoding,
                    file,
                    limits,
                    respond,
                    cancelled: self.cancelled.clone(),
                    outbox: self.outbox.clone(),
                };
                match (bytes, attached) {
                    (FileBytes::Attached, Some(blob))
                        if self.helpers.worth_splitting(&read.name, &blob, encoding) =>
                    {
                        let helpers = self.helpers.clone();
                        wasm_bindgen_futures::spawn_local(split::read_in_parts(
                            read, blob, catalog, helpers,
                        ));
                    }
                    (FileBytes::Attached, Some(blob))
                        if pieces::worth_it(&read.name, &blob, encoding, &read.limits) =>
                    {
                        wasm_bindgen_futures::spawn_local(pieces::read_in_pieces(
                            read, blob, catalog,
                        ));
                    }
                    (bytes, attached) => wasm_bindgen_futures::spawn_local(async move {
                        // The catalogue is parsed while the browser reads the
                        // file.
                        let mut parsed = None;
                        let fetched = file_bytes(bytes, attached, || {
                            parsed = Some(Catalog::from_toml(&catalog))
                        })
                        .await;
                        let catalog = parsed.unwrap_or_else(|| Catalog::from_toml(&catalog));
                        match (fetched, catalog) {
                            (Ok(bytes), Ok(catalog)) => read_whole(&read, &bytes, &catalog).await,
                            (Err(message), _) | (_, Err(message)) => read.fail(message),
                        }
                    }),
                }
            }
            request @ Request::ReadPart { .. } => {
                let cancelled = self.cancelled.clone();
                wasm_bindgen_futures::spawn_local(split::read_part(
                    request, attached, cancelled, respond,
                ));
            }
        }
    }
}
