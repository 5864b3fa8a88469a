//! A large text read by several workers at once (`ingest::parts`). The
//! reader worker starts helpers (workers of its own, from the same script)
//! when it warms up; for a large text it reads the first part itself and
//! asks a helper for each other. A helper's chunks go on to the page as
//! they come, untouched; the reader worker joins the parts' ends into the
//! read's head. When they cannot be joined, the page is told to start over
//! and the file is read whole.

use super::{read_slices, read_whole_from, Read, Respond, CHUNK};
use baocao::catalog::Catalog;
use baocao::ingest::parts::{self, PartRead};
use baocao::ingest::text_table::DelimitedReading;
use baocao::ingest::{self, Opened, TextEncoding};
use baocao::protocol::{self, Reply, Request, BUILD};
use baocao::wire::{Encoder, ReadHead};
use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent, Worker};

/// Texts smaller than this are read by one worker: starting the others
/// would cost more than it saves.
const SPLIT_FROM: f64 = 8.0 * 1024.0 * 1024.0;
/// The most parts a text is read in.
const MAX_PARTS: usize = 4;
/// The name helpers are started with: a helper starts no helpers.
const HELPER: &str = "baocao-part";
/// Bytes read past a part's nominal ends to find the line ends there.
const REACH: u64 = 64 * 1024;

/// This worker's helpers; none in a helper, or where one core is all.
#[derive(Clone, Default)]
pub struct Helpers(Rc<RefCell<Vec<Helper>>>);

/// A helper, and what the reader worker waits for from it.
struct Helper {
    worker: Worker,
    link: Rc<RefCell<Link>>,
}

#[derive(Default)]
struct Link {
    ready: bool,
    gone: bool,
    /// Requests held until the helper is ready.
    waiting: Vec<(Vec<u8>, Option<Blob>)>,
    /// The end of the part it reads, with its job, once sent (a dead
    /// helper's part ends unjoinable, for any job).
    done: Option<(Option<u32>, PartRead)>,
    /// Called when `done` is set.
    wake: Option<js_sys::Function>,
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

impl Helpers {
    /// Starts the helpers that make `readers` workers in all, at most
    /// [`MAX_PARTS`] (once; a helper starts none).
    pub fn start(&self, readers: u32) {
        let scope = scope();
        if scope.name() == HELPER || !self.0.borrow().is_empty() {
            return;
        }
        let href = scope.location().href();
        let options = web_sys::WorkerOptions::new();
        options.set_name(HELPER);
        let mut helpers = self.0.borrow_mut();
        for _ in 1..(readers as usize).clamp(1, MAX_PARTS) {
            let Ok(worker) = Worker::new_with_options(&href, &options) else {
                break;
            };
            helpers.push(Helper::listen(worker));
        }
    }

    /// Warms the helpers' read up, as this worker's (`Request::WarmUp`).
    pub fn warm(&self) {
        for h in self.0.borrow().iter() {
            h.send(&Request::WarmUp { readers: 1 }, None);
        }
    }

    /// Whether to read this file in parts: a large text, helpers alive
    /// (`start` asked for more than one reader), and bytes that will be
    /// read as UTF-8.
    pub fn worth_splitting(&self, name: &str, blob: &Blob, encoding: TextEncoding) -> bool {
        let helpers = self.0.borrow();
        blob.size() >= SPLIT_FROM
            && !ingest::is_workbook_name(name)
            && matches!(encoding, TextEncoding::Auto | TextEncoding::Utf8)
            && !helpers.is_empty()
            && helpers.iter().all(|h| !h.link.borrow().gone)
    }

    /// Passes a cancel on.
    pub fn cancel(&self, job: u32) {
        for h in self.0.borrow().iter() {
            h.send(&Request::Cancel { job }, None);
        }
    }
}

impl Helper {
    fn listen(worker: Worker) -> Helper {
        let link: Rc<RefCell<Link>> = Rc::default();
        let on_message = {
            let (link, worker) = (link.clone(), worker.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let array = crate::message::array_of(&event.data());
                // A chunk goes on to the page as it is; only the rest is
                // unpacked here.
                let head = array.subarray(0, 4).to_vec();
                if protocol::is_streamed(&head) {
                    let transfer = js_sys::Array::of1(&array.buffer());
                    let _ = scope().post_message_with_transfer(&array, &transfer);
                    return;
                }
                match protocol::decode::<Reply>(&array.to_vec()) {
                    Ok(Reply::Ready { build }) if build == BUILD => {
                        let waiting = {
                            let mut l = link.borrow_mut();
                            l.ready = true;
                            std::mem::take(&mut l.waiting)
                        };
                        for (bytes, blob) in waiting {
                            post(&worker, bytes, blob.as_ref());
                        }
                    }
                    Ok(Reply::PartDone { job, read, .. }) => ended(&link, Some(job), read),
                    Ok(_) => {}
                    Err(_) => died(&link),
                }
            })
        };
        let on_error = {
            let link = link.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
                event.prevent_default();
                died(&link);
            })
        };
        let (on_message, on_error) = (on_message.into_js_value(), on_error.into_js_value());
        worker.set_onmessage(Some(on_message.unchecked_ref()));
        worker.set_onerror(Some(on_error.unchecked_ref()));
        Helper { worker, link }
    }

    fn send(&self, request: &Request, blob: Option<&Blob>) {
        let Ok(bytes) = protocol::encode(request) else {
            return;
        };
        let mut link = self.link.borrow_mut();
        if link.ready {
            drop(link);
            post(&self.worker, bytes, blob);
        } else if !link.gone {
            link.waiting.push((bytes, blob.cloned()));
        }
    }
}

/// A helper's part has ended (or the helper with it).
fn ended(link: &Rc<RefCell<Link>>, job: Option<u32>, read: PartRead) {
    let wake = {
        let mut l = link.borrow_mut();
        l.done = Some((job, read));
        l.wake.take()
    };
    if let Some(wake) = wake {
        let _ = wake.call0(&wasm_bindgen::JsValue::NULL);
    }
}

fn died(link: &Rc<RefCell<Link>>) {
    link.borrow_mut().gone = true;
    ended(link, None, PartRead::unjoinable());
}

fn post(worker: &Worker, bytes: Vec<u8>, blob: Option<&Blob>) {
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let transfer = js_sys::Array::of1(&array.buffer());
    let _ = match blob {
        Some(blob) => {
            worker.post_message_with_transfer(&js_sys::Array::of2(&array, blob), &transfer)
        }
        None => worker.post_message_with_transfer(&array, &transfer),
    };
}

/// Bytes `from..to` of a blob.
async fn slice(blob: &Blob, from: u64, to: u64) -> Result<Vec<u8>, String> {
    let part = blob
        .slice_with_f64_and_f64(from as f64, to as f64)
        .map_err(|e| format!("{e:?}"))?;
    let buffer = JsFuture::from(part.array_buffer())
        .await
        .map_err(|e| format!("không lấy được tệp: {e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The lines that begin in bytes `from..to` of a text of `len` bytes: read
/// from the byte before `from` to a little past `to`, further if a line is
/// longer than that.
async fn part_bytes(blob: &Blob, from: u64, to: u64, len: u64) -> Result<Vec<u8>, String> {
    let start = from.saturating_sub(1);
    let mut reach = REACH;
    loop {
        let end = to.saturating_add(reach).min(len);
        let window = slice(blob, start, end).await?;
        let found = |at: u64| parts::line_start(&window, start as usize, at as usize, len as usize);
        if let (Some(a), Some(b)) = (found(from), found(to)) {
            let (a, b) = (a - start as usize, b - start as usize);
            return Ok(window.get(a..b.max(a)).unwrap_or_default().to_vec());
        }
        if end == len {
            // The browser gave fewer bytes than the file has.
            return Err("không lấy được đủ tệp".into());
        }
        reach = reach.saturating_mul(4);
    }
}

/// Waits until the helper's part ends, or `ms` have passed.
async fn wait(ms: i32, link: &Rc<RefCell<Link>>) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        link.borrow_mut().wake = Some(resolve);
    });
    let _ = JsFuture::from(promise).await;
}

/// A helper reads its part (`Request::ReadPart`), sending what it reads as
/// it goes, then the part's end.
pub async fn read_part(
    request: Request,
    blob: Option<Blob>,
    cancelled: Rc<RefCell<HashSet<u32>>>,
    respond: Respond,
) {
    let Request::ReadPart {
        job,
        part,
        from,
        to,
        len,
        header,
        delimiter,
        file,
        catalog,
        limits,
    } = request
    else {
        return;
    };
    let read = Read::of_part(job, file, limits, respond, cancelled);
    let unjoinable = || Reply::PartDone {
        job,
        part,
        read: PartRead::unjoinable(),
    };
    let Some(blob) = blob else {
        return read.reply(unjoinable());
    };
    let (Ok(bytes), Ok(catalog)) = (
        part_bytes(&blob, from, to, len).await,
        Catalog::from_toml(&catalog),
    ) else {
        return read.reply(unjoinable());
    };
    // A part that is not UTF-8 sends the file back to be read whole (and
    // its encoding found from all of it).
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return read.reply(unjoinable());
    };
    let mut reading =
        DelimitedReading::part(text, &header, delimiter, &catalog, file, &read.limits);
    let mut encoder = Encoder::new(CHUNK);
    if read_slices(&read, &mut reading, &mut encoder, part, |done| done).await {
        return;
    }
    let (end, rest) = reading.finish_part();
    read.stream(part, &mut encoder, &rest);
    read.reply(Reply::PartDone {
        job,
        part,
        read: end,
    });
}

/// The reader worker's side: reads part 0, asks the helpers for the
/// others, and joins the ends; reads the file whole when they cannot be
/// joined.
pub async fn read_in_parts(read: Read, blob: Blob, catalog_toml: String, helpers: Helpers) {
    let Ok(catalog) = Catalog::from_toml(&catalog_toml) else {
        return read_whole_from(&read, &blob, &catalog_toml).await;
    };
    let len = blob.size() as u64;
    let parts = helpers.0.borrow().len() + 1;
    let mut cuts = vec![0u64];
    cuts.extend(
        parts::nominal_cuts(len as usize, parts)
            .iter()
            .map(|&c| c as u64),
    );
    cuts.push(len);
    // The header, from the file's first lines, for the helpers.
    let head = match slice(&blob, 0, REACH.min(len)).await {
        Ok(head) => head,
        Err(message) => return read.fail(message),
    };
    let Some((header, delimiter)) = header_of(&read, &head, &catalog) else {
        return read_whole_from(&read, &blob, &catalog_toml).await;
    };
    for (k, helper) in helpers.0.borrow().iter().enumerate() {
        let mut link = helper.link.borrow_mut();
        link.done = None;
        drop(link);
        let request = Request::ReadPart {
            job: read.job,
            part: k as u32 + 1,
            from: cuts[k + 1],
            to: cuts[k + 2],
            len,
            header: header.clone(),
            delimiter,
            file: read.file,
            catalog: catalog_toml.clone(),
            limits: read.limits.clone(),
        };
        helper.send(&request, Some(&blob));
    }
    let first = match part_bytes(&blob, 0, cuts[1], len).await {
        Ok(bytes) => bytes,
        Err(message) => return read.fail(message),
    };
    let Some((source, first)) = read_first(&read, &first, &catalog).await else {
        helpers.cancel(read.job);
        return read.reply(Reply::Cancelled { job: read.job });
    };
    // The helpers' ends, in order.
    let mut ends = vec![first];
    for helper in helpers.links() {
        loop {
            let done = helper.borrow_mut().done.take();
            match done {
                Some((job, end)) if job.is_none_or(|j| j == read.job) => {
                    ends.push(end);
                    break;
                }
                // A part of a read stopped before.
                Some(_) => continue,
                None => {}
            }
            wait(100, &helper).await;
            if read.is_cancelled() {
                helpers.cancel(read.job);
                return read.reply(Reply::Cancelled { job: read.job });
            }
        }
    }
    match parts::join(&catalog, read.file, &read.limits, ends) {
        Some(joined) => {
            let mut source = source;
            source.rows = joined.rows;
            let head = ReadHead {
                source,
                findings: joined.findings,
                observations: joined.observations,
                corrections: joined.corrections,
                shifts: joined.shifts,
            };
            read.send_rest(head, Encoder::new(CHUNK));
        }
        None => {
            helpers.cancel(read.job);
            read.reply(Reply::Restart { job: read.job });
            read_whole_from(&read, &blob, &catalog_toml).await;
        }
    }
}

impl Helpers {
    fn links(&self) -> Vec<Rc<RefCell<Link>>> {
        self.0.borrow().iter().map(|h| h.link.clone()).collect()
    }
}

/// The header row and delimiter, read from the file's first bytes (to
/// their last line end) by the code that reads part 0.
fn header_of(read: &Read, head: &[u8], catalog: &Catalog) -> Option<(Vec<String>, u8)> {
    let end = head.iter().rposition(|&b| b == b'\n')? + 1;
    let Opened::Text(text) = read.open(&head[..end], catalog) else {
        return None;
    };
    let mut reading = text.reading(catalog, &read.limits);
    if !reading.first_part() {
        return None;
    }
    reading.head().map(|(h, d)| (h.to_vec(), d))
}

/// Reads part 0, sending what it reads as it goes; `None` if cancelled.
async fn read_first(
    read: &Read,
    bytes: &[u8],
    catalog: &Catalog,
) -> Option<(baocao::model::SourceFile, PartRead)> {
    let unjoinable = || Some((Default::default(), PartRead::unjoinable()));
    let Opened::Text(text) = read.open(bytes, catalog) else {
        return unjoinable();
    };
    let mut reading = text.reading(catalog, &read.limits);
    if !reading.first_part() {
        return unjoinable();
    }
    let mut encoder = Encoder::new(CHUNK);
    if read_slices(read, &mut reading, &mut encoder, 0, |done| done).await {
        return None;
    }
    let (source, part, rest) = reading.finish_part();
    read.stream(0, &mut encoder, &rest);
    Some((source, part))
}
