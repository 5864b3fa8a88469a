//! The messages between the page and its reader worker, and how they are
//! packed. Plain data, tested natively; the two ends are `worker` (in the
//! worker) and the page's `ui::bridge`.
//!
//! A worker announces itself with [`Reply::Ready`], naming its build: the
//! page talks only to a worker of its own build (an open tab of an older
//! build may otherwise start a newer worker, whose messages it would
//! misread).

use crate::export::TemplateRow;
use crate::ingest::parts::PartRead;
use crate::ingest::{Limits, TextEncoding};
use crate::model::Lang;
use crate::wire::{self, ReadHead};
use serde::{Deserialize, Serialize};

/// This build's name: a hash of its sources (see build.rs), the same in the
/// page and in the worker built with it.
pub const BUILD: &str = env!("BAOCAO_BUILD");

/// A file's bytes as the page hands them over.
#[derive(Serialize, Deserialize)]
pub enum FileBytes {
    /// In the message itself.
    Inline(#[serde(with = "serde_bytes")] Vec<u8>),
    /// The `Blob` posted beside this message (the dropped file itself, or
    /// the page's copy of its bytes), which the worker reads: a fraction of
    /// what fetching a `blob:` URL costs.
    Attached,
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
        /// How many workers may read at once, this one included: a large
        /// text is read in parts by that many (`ingest::parts`).
        readers: u32,
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
    /// Rows `first..=last` of a file (of a sheet of a workbook), for the
    /// source view: `workspace::source_rows`.
    SourceRows {
        job: u32,
        bytes: FileBytes,
        encoding: TextEncoding,
        sheet: usize,
        first: u32,
        last: u32,
    },
    /// A file is on its way (dragged over the page, or the file dialog is
    /// open): warm the read's code up until the next request; start the
    /// helpers that make `readers` workers in all.
    WarmUp {
        readers: u32,
    },
    /// Between the reader worker and the helpers it starts: read part
    /// `part` of a large text, the lines that begin in bytes `from..to` of
    /// the `len` bytes of the attached file (`ingest::parts`), under the
    /// text's header.
    ReadPart {
        job: u32,
        part: u32,
        from: u64,
        to: u64,
        len: u64,
        header: Vec<String>,
        delimiter: u8,
        file: u32,
        catalog: String,
        limits: Limits,
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
    /// The worker has started, from this build.
    Ready {
        build: String,
    },
    /// From 0 to 1.
    Progress {
        job: u32,
        done: f64,
    },
    /// Observations read so far, sent while the file is still being read:
    /// from part `part` of a text read in parts, else from part 0.
    Streamed {
        job: u32,
        part: u32,
        chunk: wire::Chunk,
    },
    /// A helper has read its part (all its observations streamed); only
    /// the reader worker hears this.
    PartDone {
        job: u32,
        part: u32,
        read: PartRead,
    },
    /// The parts could not be joined: what was streamed is void, and the
    /// file is read again, whole.
    Restart {
        job: u32,
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
    SourceRows {
        job: u32,
        rows: Option<Vec<(u32, Vec<String>)>>,
    },
}

impl Reply {
    /// The job the reply is about (none for `Ready`).
    pub fn job(&self) -> Option<u32> {
        match self {
            Reply::Ready { .. } => None,
            Reply::Progress { job, .. }
            | Reply::Streamed { job, .. }
            | Reply::PartDone { job, .. }
            | Reply::Restart { job }
            | Reply::Head { job, .. }
            | Reply::Chunk { job, .. }
            | Reply::Done { job }
            | Reply::Cancelled { job }
            | Reply::Failed { job, .. }
            | Reply::Workbook { job, .. }
            | Reply::SourceRows { job, .. } => Some(*job),
        }
    }
}

/// Whether a packed reply, of which these are the first bytes, is a
/// `Reply::Streamed`: the reader worker passes its helpers' chunks on to
/// the page without unpacking them.
pub fn is_streamed(first: &[u8]) -> bool {
    thread_local! {
        static TAG: Option<Vec<u8>> = encode(&Reply::Streamed {
            job: 0,
            part: 0,
            chunk: wire::Chunk::default(),
        })
        .ok()
        .and_then(|bytes| bytes.get(..4).map(<[u8]>::to_vec));
    }
    TAG.with(|tag| tag.as_deref().is_some_and(|tag| first.starts_with(tag)))
}

/// Packs a message for `postMessage`.
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, String> {
    bincode::serialize(message).map_err(|e| e.to_string())
}

/// Unpacks a message; a damaged one is an error, never a panic.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, String> {
    use bincode::Options;
    // A length inside the message never makes room for more than it holds.
    bincode::DefaultOptions::new()
        .with_fixint_encoding()
        .allow_trailing_bytes()
        .with_limit(bytes.len() as u64 * 8 + 1024)
        .deserialize(bytes)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_and_a_reply_come_back_as_sent() -> Result<(), String> {
        let request = Request::Read {
            job: 7,
            name: "Biểu 01 & <x>.xlsx".into(),
            bytes: FileBytes::Inline(vec![0, 1, 255]),
            encoding: TextEncoding::default(),
            file: 3,
            catalog: "[x]".into(),
            limits: Limits::default(),
            readers: 1,
        };
        let back: Request = decode(&encode(&request)?)?;
        assert!(
            matches!(back, Request::Read { job: 7, file: 3, ref name, .. } if name == "Biểu 01 & <x>.xlsx")
        );
        let reply = Reply::Ready {
            build: BUILD.into(),
        };
        let back: Reply = decode(&encode(&reply)?)?;
        assert!(matches!(back, Reply::Ready { ref build } if build == BUILD));
        Ok(())
    }

    #[test]
    fn damaged_messages_are_errors() -> Result<(), String> {
        assert!(decode::<Reply>(&[]).is_err());
        assert!(decode::<Reply>(&[200, 0, 0, 0]).is_err());
        // A Failed reply whose message claims 2^60 bytes: refused, not allocated.
        let failed = encode(&Reply::Failed {
            job: 1,
            message: String::new(),
        })?;
        let mut lying = failed[..8].to_vec();
        lying.extend((1u64 << 60).to_le_bytes());
        assert!(decode::<Reply>(&lying).is_err());
        for n in 0..64u8 {
            let noise: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
            let _ = decode::<Request>(&noise);
        }
        Ok(())
    }

    #[test]
    fn a_streamed_chunk_is_told_from_its_first_bytes() -> Result<(), String> {
        let streamed = encode(&Reply::Streamed {
            job: 9,
            part: 2,
            chunk: wire::Chunk::default(),
        })?;
        assert!(is_streamed(&streamed[..4]));
        for other in [
            Reply::Progress { job: 9, done: 0.5 },
            Reply::Restart { job: 9 },
            Reply::PartDone {
                job: 9,
                part: 2,
                read: PartRead::unjoinable(),
            },
        ] {
            assert!(!is_streamed(&encode(&other)?[..4]));
        }
        assert!(!is_streamed(&[]));
        Ok(())
    }

    #[test]
    fn the_build_is_named() {
        assert_eq!(BUILD.len(), 16);
        assert!(BUILD.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}
