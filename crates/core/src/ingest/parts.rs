//! A large delimited text read in parts, one per worker: the text is cut at
//! line ends ([`line_start`]), each part is read by a shaper of its own
//! (`DelimitedReading::part`), and [`join`] makes of the parts what one
//! read of the whole text gives: rows numbered from the top, one decimal
//! style, each unknown indicator reported once, one cap. When the parts
//! cannot be joined that way (a cut fell inside a quoted field, a limit was
//! reached) `join` says so, and the text is read whole.

use super::shape::settle;
pub use super::text_table::PartRead;
use super::Limits;
use crate::catalog::Catalog;
use crate::model::{FileId, Finding, Value};
use serde::{Deserialize, Serialize};

/// The parts joined: the file's findings and new values for observations
/// (by index over all the parts' observations, in order), and what each
/// part's rows are shifted by.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Joined {
    pub rows: u32,
    pub observations: usize,
    pub findings: Vec<Finding>,
    pub corrections: Vec<(usize, Value)>,
    /// Added to the row of each cell a part's observations name.
    pub shifts: Vec<u32>,
}

/// Where the part that begins at or after byte `at` of a text of `len`
/// bytes begins: just after a line end (or at 0, or at `len`). `window`
/// holds the text's bytes from `offset` on; `None` when they do not reach
/// far enough to say.
pub fn line_start(window: &[u8], offset: usize, at: usize, len: usize) -> Option<usize> {
    if at == 0 || at >= len {
        return Some(at.min(len));
    }
    // The byte before `at` may itself end a line.
    let from = (at - 1).checked_sub(offset)?;
    let rest = window.get(from..)?;
    match rest.iter().position(|&b| b == b'\n') {
        Some(i) => Some((offset + from + i + 1).min(len)),
        None if offset + window.len() >= len => Some(len),
        None => None,
    }
}

/// Where a piece of a text read a piece at a time ends: after its last
/// line end, or at its end when it ends the text. The bytes after the cut
/// begin the next piece.
pub fn piece_end(piece: &[u8], ends_text: bool) -> usize {
    if ends_text {
        return piece.len();
    }
    piece.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)
}

/// Where a text of `len` bytes is cut for `parts` readers: nominal offsets,
/// each moved to a line start by the reader that holds it ([`line_start`]).
pub fn nominal_cuts(len: usize, parts: usize) -> Vec<usize> {
    let parts = parts.max(1);
    (1..parts).map(|k| len / parts * k).collect()
}

/// Joins the parts of one text, in order, into what reading it whole gives;
/// `None` when it would give something else (the text is then read whole).
pub fn join(
    catalog: &Catalog,
    file: FileId,
    limits: &Limits,
    parts: Vec<PartRead>,
) -> Option<Joined> {
    let last = parts.len().checked_sub(1)?;
    let mut quotes = 0usize;
    let (mut rows, mut observations) = (0u32, 0usize);
    let mut shifts = Vec::with_capacity(parts.len());
    for (k, part) in parts.iter().enumerate() {
        // Each cut must fall outside quotes; only the last part may leave
        // one open.
        let inside_quotes = k > 0 && quotes % 2 == 1;
        if part.stopped || inside_quotes || (k < last && part.unclosed_quote.is_some()) {
            return None;
        }
        // Part 0's rows count from the header (row 1); a later part's from
        // 1 at its start, so it shifts by the rows before it and the header.
        shifts.push(if k == 0 { 0 } else { rows + 1 });
        quotes += part.quotes;
        rows = rows.checked_add(part.rows)?;
        observations = observations.checked_add(part.end.observations)?;
    }
    // The whole text's reading would have stopped at a limit.
    if rows as usize >= limits.max_rows || observations > limits.max_figures {
        return None;
    }
    let unclosed = parts[last]
        .unclosed_quote
        .map(|record| record + shifts[last]);
    let ends = parts
        .into_iter()
        .zip(&shifts)
        .map(|(p, &shift)| (p.end, shift))
        .collect();
    let settled = settle(catalog, file, ends);
    let mut findings = settled.findings;
    if let Some(record) = unclosed {
        findings.push(super::text_table::unclosed_quote(file, record));
    }
    if rows == 0 && findings.is_empty() {
        findings.push(super::no_data(file));
    }
    Some(Joined {
        rows,
        observations,
        findings,
        corrections: settled.corrections,
        shifts,
    })
}
