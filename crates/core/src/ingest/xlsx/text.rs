//! Text as SpreadsheetML writes it: shared strings, runs, phonetic guides,
//! whitespace kept or trimmed, entities and Excel's `_xHHHH_` escapes.

use super::{local, value};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// `sharedStrings.xml`: each `<si>`'s text (its runs joined, phonetic
/// guides left out), at most `max` of them.
pub(super) fn shared_strings(xml: &[u8], max: usize) -> Vec<String> {
    let mut reader = Reader::from_reader(xml);
    let mut out = Vec::new();
    let (mut current, mut text) = (String::new(), Text::default());
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match local(e.name().into_inner()) {
                "si" => current.clear(),
                "t" => text.open(preserves(&e)),
                "rPh" => text.phonetic = true,
                _ => {}
            },
            Ok(Event::Text(t)) => text.push(&t.xml10_content()),
            Ok(Event::CData(t)) => text.push(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) => {
                let mut s = String::new();
                push_reference(&mut s, &r);
                text.push(&s);
            }
            Ok(Event::End(e)) => match local(e.name().into_inner()) {
                "t" => {
                    text.close_into(&mut current);
                }
                "rPh" => text.phonetic = false,
                "si" => {
                    if out.len() >= max {
                        break;
                    }
                    out.push(unescape_x(&current).into_owned());
                }
                _ => {}
            },
            Ok(Event::Empty(e)) if local(e.name().into_inner()) == "si" && out.len() < max => {
                out.push(String::new());
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// An entity or character reference in text ("&amp;", "&#x1EA1;").
pub(super) fn push_reference(out: &mut String, r: &quick_xml::events::BytesRef) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
        return;
    }
    out.push_str(match &*r.xml10_content() {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    });
}

/// The text of one `<v>` or `<t>` as it is read: a `<t>` without
/// `xml:space="preserve"` is trimmed, as spreadsheet programs read it;
/// phonetic guides are left out.
#[derive(Default)]
pub(super) struct Text {
    open: bool,
    preserve: bool,
    pub(super) phonetic: bool,
    buffer: String,
}

impl Text {
    pub(super) fn open(&mut self, preserve: bool) {
        self.open = true;
        self.preserve = preserve;
        self.buffer.clear();
    }

    pub(super) fn push(&mut self, s: &str) {
        if self.open && !self.phonetic {
            self.buffer.push_str(s);
        }
    }

    /// Ends the element: its text goes onto `out`. Whether one was open.
    pub(super) fn close_into(&mut self, out: &mut String) -> bool {
        if !std::mem::take(&mut self.open) {
            return false;
        }
        out.push_str(if self.preserve {
            &self.buffer
        } else {
            self.buffer.trim()
        });
        true
    }
}

pub(super) fn preserves(e: &BytesStart) -> bool {
    e.attributes()
        .with_checks(false)
        .flatten()
        .any(|a| a.key.into_inner() == "xml:space" && value(&a).as_deref() == Some("preserve"))
}

/// Excel's escapes of characters XML cannot hold: "_x000D_" is a carriage
/// return, "_x005F_" a literal underscore.
pub(super) fn unescape_x(s: &str) -> std::borrow::Cow<'_, str> {
    // Checked byte by byte: a substring search costs a call per cell, and
    // codes such as "CBCC_XA" have underscores.
    let bytes = s.as_bytes();
    let escaped = bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'_' && bytes.get(i + 1) == Some(&b'x'));
    if !escaped {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("_x") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let code = tail
            .get(2..6)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .filter(|_| tail.as_bytes().get(6) == Some(&b'_'))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(c) => {
                out.push(c);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}
