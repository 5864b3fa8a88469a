//! One sheet's cells streamed from its XML: each cell's place (written or
//! implied), type, style and value, and the merged regions at the end.

use super::quick::quick_cell;
use super::text::{preserves, push_reference, unescape_x, Text};
use super::{attr, local, XlsxBook};
use crate::ingest::cells::SheetCell;
use crate::ingest::sheet::{excel_date, plain_number, Merge};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// "BC23" → (22, 54): 0-based row and column.
/// Read byte by byte: it is parsed for every cell of a sheet.
pub(super) fn position(r: &str) -> Option<(u32, u32)> {
    let bytes = r.as_bytes();
    let split = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (letters, digits) = bytes.split_at(split);
    if letters.is_empty() || letters.len() > 3 || digits.is_empty() {
        return None;
    }
    let mut col = 0u32;
    for b in letters {
        col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    let mut row = 0u32;
    for d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        row = row.checked_mul(10)?.checked_add(u32::from(d - b'0'))?;
    }
    Some((row.checked_sub(1)?, col - 1))
}

/// One sheet's cells as its XML gives them.
pub(super) struct CellStream<'x, 'b> {
    reader: Reader<&'x [u8]>,
    book: &'b XlsxBook<'b>,
    /// Where the next cell without an `r` goes.
    row: u32,
    next_col: u32,
    /// The row a `<row>` without an `r` is.
    next_row: u32,
    pub(super) merges: Vec<Merge>,
    pub(super) failed: Option<String>,
    /// The last event quick-xml gave ended a tag: the input then starts at
    /// the next element or text, where a usual cell can be read at once.
    after_tag: bool,
    /// Buffers reused from cell to cell.
    text: Text,
    v: String,
    inline: String,
}

impl<'x, 'b> CellStream<'x, 'b> {
    pub(super) fn new(xml: &'x [u8], book: &'b XlsxBook<'b>) -> Self {
        CellStream {
            reader: Reader::from_reader(xml),
            book,
            row: 0,
            next_col: 0,
            next_row: 0,
            merges: Vec::new(),
            failed: None,
            after_tag: false,
            text: Text::default(),
            v: String::new(),
            inline: String::new(),
        }
    }

    /// The next cell with a value: (row, column, cell).
    pub(super) fn next_cell(&mut self) -> Option<(u32, u32, SheetCell)> {
        loop {
            if self.after_tag {
                let rest: &'x [u8] = self.reader.get_ref();
                if let Some(cell) = quick_cell(rest) {
                    // The reader goes on after the cell, in the same state.
                    *self.reader.get_mut() = &rest[cell.len..];
                    let at = cell.r.and_then(position);
                    let kind = cell.t.map_or(Kind::Number, Kind::of);
                    let style = cell.s.and_then(|s| s.parse().ok()).unwrap_or(0);
                    let (row, col) = self.place(at);
                    match cell
                        .v
                        .and_then(|v| value(self.book, kind, style, Some(v), None))
                    {
                        Some(value) => return Some((row, col, value)),
                        None => continue,
                    }
                }
            }
            let event = match self.reader.read_event() {
                Ok(e) => e,
                Err(e) => {
                    self.failed = Some(e.to_string());
                    return None;
                }
            };
            self.after_tag = matches!(event, Event::Start(_) | Event::Empty(_) | Event::End(_));
            match event {
                Event::Start(e) => match tag(e.name().into_inner()) {
                    Tag::Row => self.start_row(&e),
                    Tag::C => {
                        let (row, col, kind, style) = self.cell_start(&e);
                        if let Some(cell) = self.cell_value(kind, style) {
                            return Some((row, col, cell));
                        }
                    }
                    _ => {}
                },
                Event::Empty(e) => match tag(e.name().into_inner()) {
                    Tag::Row => self.start_row(&e),
                    Tag::C => {
                        self.cell_start(&e);
                    }
                    Tag::MergeCell => {
                        if let Some(m) = attr(&e, "ref").and_then(|r| merge_of(&r)) {
                            self.merges.push(m);
                        }
                    }
                    _ => {}
                },
                Event::Eof => return None,
                _ => {}
            }
        }
    }

    fn start_row(&mut self, e: &BytesStart) {
        // A row's `r` is a number: read as written, no copy.
        let r = e
            .attributes()
            .with_checks(false)
            .flatten()
            .find(|a| a.key.into_inner() == "r")
            .and_then(|a| a.value.parse::<u32>().ok());
        self.row = r.map_or(self.next_row, |r| r.saturating_sub(1));
        self.next_row = self.row.saturating_add(1);
        self.next_col = 0;
    }

    /// A cell's place, type and style; the next cell without a place goes after it.
    fn cell_start(&mut self, e: &BytesStart) -> (u32, u32, Kind, usize) {
        let (mut at, mut kind, mut style) = (None, Kind::Number, 0usize);
        // A cell's attributes hold no entities: read as written, no copy.
        for a in e.attributes().with_checks(false).flatten() {
            match a.key.into_inner().as_bytes() {
                [b'r'] => at = position(&a.value),
                [b't'] => kind = Kind::of(&a.value),
                [b's'] => style = a.value.parse().unwrap_or(0),
                _ => {}
            }
        }
        let (row, col) = self.place(at);
        (row, col, kind, style)
    }

    /// A cell's place: as written, or after the cell before it; the next
    /// cell without a place goes after it.
    fn place(&mut self, at: Option<(u32, u32)>) -> (u32, u32) {
        let (row, col) = at.unwrap_or((self.row, self.next_col));
        self.row = row;
        self.next_col = col.saturating_add(1);
        (row, col)
    }

    /// Reads the cell's children up to `</c>`: its value as the page keeps
    /// it. `<v>` holds the value; `<is>` an inline string's runs.
    fn cell_value(&mut self, kind: Kind, style: usize) -> Option<SheetCell> {
        let (mut has_v, mut has_inline) = (false, false);
        self.v.clear();
        self.inline.clear();
        loop {
            match self.reader.read_event() {
                Ok(Event::Start(e)) => match tag(e.name().into_inner()) {
                    // A value is kept as written; only a `<t>` is trimmed.
                    Tag::V => self.text.open(true),
                    Tag::T => self.text.open(preserves(&e)),
                    Tag::RPh => self.text.phonetic = true,
                    _ => {}
                },
                Ok(Event::Empty(e)) if tag(e.name().into_inner()) == Tag::T => has_inline = true,
                Ok(Event::Text(t)) => self.text.push(&t.xml10_content()),
                Ok(Event::CData(t)) => self.text.push(&t.xml10_content()),
                Ok(Event::GeneralRef(r)) => {
                    let mut s = String::new();
                    push_reference(&mut s, &r);
                    self.text.push(&s);
                }
                Ok(Event::End(e)) => match tag(e.name().into_inner()) {
                    Tag::V => has_v |= self.text.close_into(&mut self.v),
                    Tag::T => has_inline |= self.text.close_into(&mut self.inline),
                    Tag::RPh => self.text.phonetic = false,
                    Tag::C => break,
                    _ => {}
                },
                Ok(Event::Eof) => break,
                Err(e) => {
                    self.failed = Some(e.to_string());
                    return None;
                }
                _ => {}
            }
        }
        value(
            self.book,
            kind,
            style,
            has_v.then_some(self.v.as_str()),
            has_inline.then_some(self.inline.as_str()),
        )
    }
}

/// What the page keeps of a cell of this type and style, from the text of
/// its `<v>` and of its inline string.
fn value(
    book: &XlsxBook,
    kind: Kind,
    style: usize,
    v: Option<&str>,
    inline: Option<&str>,
) -> Option<SheetCell> {
    let plain = |t: &str| SheetCell {
        text: unescape_x(t).as_ref().into(),
        number: None,
    };
    let value = match (kind, v, inline) {
        (Kind::Inline, _, Some(inline)) | (_, None, Some(inline)) => return Some(plain(inline)),
        (_, Some(v), _) => v,
        _ => return None,
    };
    Some(match kind {
        Kind::Shared => plain(book.shared.get(value.trim().parse::<usize>().ok()?)?),
        Kind::Str | Kind::Inline | Kind::Date | Kind::Error => plain(value),
        Kind::Bool => plain(if value.trim() == "1" { "TRUE" } else { "FALSE" }),
        Kind::Number => {
            let Ok(n) = value.trim().parse::<f64>() else {
                return Some(plain(value));
            };
            if book.dates.get(style).copied().unwrap_or(false) {
                let serial = if book.date1904 { n + 1462.0 } else { n };
                plain(&excel_date(serial))
            } else {
                SheetCell {
                    text: plain_number(n),
                    number: Some(n),
                }
            }
        }
    })
}

/// The elements of a sheet the reader acts on.
#[derive(Clone, Copy, PartialEq)]
enum Tag {
    Row,
    C,
    V,
    T,
    RPh,
    MergeCell,
    Other,
}

/// An element's tag from its name, namespace prefix or not. Matched byte by
/// byte (no string compare): it runs for every element of a sheet.
fn tag(name: &str) -> Tag {
    match local(name).as_bytes() {
        [b'c'] => Tag::C,
        [b'v'] => Tag::V,
        [b't'] => Tag::T,
        [b'r', b'o', b'w'] => Tag::Row,
        [b'r', b'P', b'h'] => Tag::RPh,
        b"mergeCell" => Tag::MergeCell,
        _ => Tag::Other,
    }
}

/// A cell's type (`t`).
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Number,
    Shared,
    Str,
    Inline,
    Bool,
    Error,
    Date,
}

impl Kind {
    fn of(t: &str) -> Kind {
        match t {
            "s" => Kind::Shared,
            "str" => Kind::Str,
            "inlineStr" => Kind::Inline,
            "b" => Kind::Bool,
            "e" => Kind::Error,
            "d" => Kind::Date,
            _ => Kind::Number,
        }
    }
}

/// "A1:C2" → ((0, 0), (1, 2)).
pub(super) fn merge_of(r: &str) -> Option<Merge> {
    let (a, b) = r.split_once(':')?;
    Some((position(a)?, position(b)?))
}
