//! The page's end of the reader worker's channel: starts the worker, holds
//! requests until it says it is ready and of this build, and notices when it
//! dies (an error it did not catch, a message that cannot be read, running
//! out of memory), so no read waits forever on a worker that is gone.

use crate::services::Paced;
use baocao::protocol::{self, Reply, Request, BUILD};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Blob, ErrorEvent, Event, MessageEvent, Worker};

/// What the worker says, or that it is gone (with why, for the user).
pub enum Heard {
    Reply(Reply),
    Died(String),
}

enum Link {
    /// Started, not yet ready: requests (and their attachments) wait here.
    Starting(Vec<(Vec<u8>, Option<Blob>)>),
    Ready,
    Gone,
}

/// A running worker. Dropping it ends the worker.
pub struct Bridge {
    worker: Worker,
    link: Rc<RefCell<Link>>,
}

impl Bridge {
    /// Starts the worker from `loader` (a script of this origin); `heard`
    /// is called with each reply, and once with `Died` if it dies.
    pub fn spawn(loader: &str, heard: impl Fn(Heard) + 'static) -> Result<Bridge, String> {
        let worker = Worker::new(loader).map_err(|e| format!("{e:?}"))?;
        let link = Rc::new(RefCell::new(Link::Starting(Vec::new())));
        let heard = Rc::new(heard);
        let died = {
            let (link, heard) = (link.clone(), heard.clone());
            move |why: String| {
                let was = std::mem::replace(&mut *link.borrow_mut(), Link::Gone);
                if !matches!(was, Link::Gone) {
                    heard(Heard::Died(why));
                }
            }
        };
        // What the worker says is handled in order, between frames.
        let paced = {
            let (link, worker) = (link.clone(), worker.clone());
            Rc::new(Paced::new(move |said: Said| {
                let bytes = match said {
                    Said::Message(bytes) => bytes,
                    Said::Error(why) => return died(why),
                };
                match protocol::decode::<Reply>(&bytes) {
                    Ok(Reply::Ready { build }) if build == BUILD => {
                        let was = std::mem::replace(&mut *link.borrow_mut(), Link::Ready);
                        if let Link::Starting(waiting) = was {
                            for (message, attached) in waiting {
                                post(&worker, message, attached.as_ref());
                            }
                        }
                    }
                    Ok(Reply::Ready { .. }) => {
                        died("trang đã có bản mới; hãy tải lại trang (F5) rồi thả lại tệp".into())
                    }
                    Ok(reply) => {
                        if matches!(*link.borrow(), Link::Ready) {
                            heard(Heard::Reply(reply));
                        }
                    }
                    Err(e) => died(format!("tiến trình đọc gửi một tin nhắn hỏng ({e})")),
                }
            }))
        };
        let on_message = {
            let paced = paced.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let bytes = crate::message::array_of(&event.data()).to_vec();
                paced.offer(Said::Message(bytes));
            })
        };
        let on_error = {
            Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                // Keep the browser from reporting it a second time.
                event.prevent_default();
                let why = event
                    .dyn_ref::<ErrorEvent>()
                    .map(ErrorEvent::message)
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| "không khởi động được".into());
                paced.offer(Said::Error(format!("tiến trình đọc tệp đã dừng: {why}")))
            })
        };
        // Owned by the worker object from here: a handler may end the bridge
        // (the last read done, or a death) while it runs.
        let (on_message, on_error) = (on_message.into_js_value(), on_error.into_js_value());
        worker.set_onmessage(Some(on_message.unchecked_ref()));
        worker.set_onerror(Some(on_error.unchecked_ref()));
        worker.set_onmessageerror(Some(on_error.unchecked_ref()));
        Ok(Bridge { worker, link })
    }

    /// Sends a request, with the `Blob` a `FileBytes::Attached` read names
    /// (held until the worker is ready; dropped if it is gone, whose death
    /// has been heard already).
    pub fn send(&self, request: &Request, attached: Option<&Blob>) {
        let Ok(bytes) = protocol::encode(request) else {
            return;
        };
        match &mut *self.link.borrow_mut() {
            Link::Starting(waiting) => waiting.push((bytes, attached.cloned())),
            Link::Ready => post(&self.worker, bytes, attached),
            Link::Gone => {}
        }
    }
}

/// A message from the worker, or why it stopped.
enum Said {
    Message(Vec<u8>),
    Error(String),
}

impl Drop for Bridge {
    fn drop(&mut self) {
        // Replies still waiting for a frame are of reads that have ended.
        *self.link.borrow_mut() = Link::Gone;
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.set_onmessageerror(None);
        self.worker.terminate();
    }
}

/// Posts a message, its buffer transferred rather than copied; with an
/// attachment, the two go as a pair (a `Blob` is a handle, cloned cheaply).
fn post(worker: &Worker, bytes: Vec<u8>, attached: Option<&Blob>) {
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let transfer = js_sys::Array::of1(&array.buffer());
    let _ = match attached {
        Some(blob) => {
            worker.post_message_with_transfer(&js_sys::Array::of2(&array, blob), &transfer)
        }
        None => worker.post_message_with_transfer(&array, &transfer),
    };
}

/// The reader worker's loader script of this build: named in index.html by
/// the build (tools/post-build.mjs gives the worker's files names of their
/// own in every build), or Trunk's name when served unprocessed.
pub fn loader() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=baocao-reader]").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_else(|| "reader_loader.js".into())
}
