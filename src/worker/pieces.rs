//! A large text read a piece at a time, by one worker: each piece is whole
//! lines, the next is fetched while one is read, and the reading goes on
//! from piece to piece with the same shaper (`DelimitedReading::suspend`),
//! so the read is what reading the whole text gives. Only a piece of the
//! file is held at once, and the reading begins as soon as the first piece
//! is in, not once all of the file is.

use super::{read_slices, read_whole, read_whole_from, Read, CHUNK};
use baocao::catalog::Catalog;
use baocao::ingest::parts::piece_end;
use baocao::ingest::text_table::{DelimitedReading, Suspended};
use baocao::ingest::{self, Opened, TableRead, TextEncoding};
use baocao::protocol::Reply;
use baocao::wire::Encoder;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

/// How much of the file is fetched at a time.
const PIECE: u64 = 8 * 1024 * 1024;

/// Whether to read this file a piece at a time: a text of several pieces,
/// read as UTF-8, within the size limit (over it, the whole read refuses
/// it).
pub fn worth_it(name: &str, blob: &Blob, encoding: TextEncoding, limits: &ingest::Limits) -> bool {
    let size = blob.size();
    size >= (2 * PIECE) as f64
        && size <= limits.max_file_bytes as f64
        && !ingest::is_workbook_name(name)
        && matches!(encoding, TextEncoding::Auto | TextEncoding::Utf8)
}

/// The file's pieces, each fetched while the one before is read.
struct Pieces {
    blob: Blob,
    len: u64,
    /// Where the next fetch begins.
    fetched: u64,
    next: Option<JsFuture>,
    /// The bytes after the last line end of the piece before.
    carry: Vec<u8>,
}

impl Pieces {
    fn new(blob: Blob) -> Pieces {
        let len = blob.size() as u64;
        let mut pieces = Pieces {
            blob,
            len,
            fetched: 0,
            next: None,
            carry: Vec::new(),
        };
        pieces.fetch_next();
        pieces
    }

    fn fetch_next(&mut self) {
        if self.fetched >= self.len {
            return;
        }
        let to = (self.fetched + PIECE).min(self.len);
        if let Ok(slice) = self
            .blob
            .slice_with_f64_and_f64(self.fetched as f64, to as f64)
        {
            self.next = Some(JsFuture::from(slice.array_buffer()));
            self.fetched = to;
        }
    }

    /// The next piece of whole lines, and whether it ends the text; `None`
    /// past the end.
    async fn next(&mut self) -> Result<Option<(Vec<u8>, bool)>, String> {
        loop {
            let Some(fetching) = self.next.take() else {
                let rest = std::mem::take(&mut self.carry);
                return Ok((!rest.is_empty()).then_some((rest, true)));
            };
            let buffer = fetching
                .await
                .map_err(|e| format!("không lấy được tệp: {e:?}"))?;
            let array = js_sys::Uint8Array::new(&buffer);
            let mut bytes = std::mem::take(&mut self.carry);
            let at = bytes.len();
            bytes.resize(at + array.length() as usize, 0);
            array.copy_to(&mut bytes[at..]);
            // The next piece is fetched while this one is read.
            self.fetch_next();
            let ends = self.next.is_none();
            let end = piece_end(&bytes, ends);
            if end == 0 {
                // A line longer than a piece: it goes on in the next.
                self.carry = bytes;
                continue;
            }
            self.carry = bytes.split_off(end);
            return Ok(Some((bytes, ends)));
        }
    }
}

/// Where the reading of a piece has left the read.
enum Step<'c> {
    /// To go on in the next piece.
    Next(Box<Suspended<'c>>),
    Done(TableRead),
    Cancelled,
    /// A cut inside a quoted field: start again, whole.
    Restart,
}

/// Reads a piece to its end, sending what it yields; `progress` turns the
/// piece's own into the file's.
async fn read_piece<'c>(
    read: &Read,
    mut reading: DelimitedReading<'c, '_>,
    encoder: &mut Encoder,
    progress: impl Fn(f64) -> f64,
    last: bool,
) -> Step<'c> {
    if read_slices(read, &mut reading, encoder, 0, progress).await {
        return Step::Cancelled;
    }
    if last {
        return Step::Done(reading.finish());
    }
    match reading.suspend() {
        Ok(suspended) => Step::Next(Box::new(suspended)),
        // A limit ends the read here, as it would a read of the whole.
        Err(stopped) if stopped.stopped() => Step::Done(stopped.finish()),
        Err(_) => Step::Restart,
    }
}

/// Reads a large text a piece at a time; what cannot be read so (JSON, a
/// legacy encoding, a piece that ends inside quotes) is read whole.
pub async fn read_in_pieces(read: Read, blob: Blob, catalog_toml: String) {
    let catalog = match Catalog::from_toml(&catalog_toml) {
        Ok(catalog) => catalog,
        Err(message) => return read.fail(message),
    };
    let job = read.job;
    let mut pieces = Pieces::new(blob.clone());
    let len = pieces.len as f64;
    let (first, mut last) = match pieces.next().await {
        Ok(Some(first)) => first,
        Ok(None) => return read_whole(&read, &[], &catalog).await,
        Err(message) => return read.fail(message),
    };
    let Opened::Text(text) = read.open(&first, &catalog) else {
        return read_whole_from(&read, &blob, &catalog_toml).await;
    };
    let Some((head, reading)) = text.reading(&catalog, &read.limits).into_pieces() else {
        return read_whole_from(&read, &blob, &catalog_toml).await;
    };
    let mut encoder = Encoder::new(CHUNK);
    let (mut before, mut size) = (0.0, first.len() as f64);
    let by_file = |before: f64, size: f64| move |done: f64| (before + done * size) / len;
    let mut step = read_piece(&read, reading, &mut encoder, by_file(before, size), last).await;
    let table = loop {
        let suspended = match step {
            Step::Next(suspended) => suspended,
            Step::Done(table) => break table,
            Step::Cancelled => return read.reply(Reply::Cancelled { job }),
            Step::Restart => return restart(&read, &blob, &catalog_toml).await,
        };
        let piece = match pieces.next().await {
            Ok(Some(piece)) => piece,
            Ok(None) => return restart(&read, &blob, &catalog_toml).await,
            Err(message) => return read.fail(message),
        };
        (before, size, last) = (before + size, piece.0.len() as f64, piece.1);
        // Later pieces must be UTF-8 too, else the encoding is judged
        // from all of the file.
        let Ok(text) = std::str::from_utf8(&piece.0) else {
            return restart(&read, &blob, &catalog_toml).await;
        };
        let reading = suspended.resume(text, last);
        step = read_piece(&read, reading, &mut encoder, by_file(before, size), last).await;
    };
    let (file_read, corrections) = head.finish(table);
    let head = encoder.finish(file_read, corrections);
    read.send_rest(head, encoder);
}

/// What was sent is void: the file is read again, whole.
async fn restart(read: &Read, blob: &Blob, catalog_toml: &str) {
    read.reply(Reply::Restart { job: read.job });
    read_whole_from(read, blob, catalog_toml).await;
}
