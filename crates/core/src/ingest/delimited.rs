//! CSV and TSV: the delimiter is sniffed from the header line, and rows are
//! split by [`Records`].

use super::cells::Cells;

/// Picks `,`, `;` or tab: the one the header line uses most, outside quotes.
pub fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [(b'\t', 0usize), (b';', 0), (b',', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in counts.iter_mut() {
                if *d == b {
                    *n += 1;
                }
            }
        }
    }
    // Ties go to the first: tab, then semicolon, then comma.
    let best = counts
        .iter()
        .fold(counts[2], |best, c| if c.1 > best.1 { *c } else { best });
    best.0
}

/// The records of delimited text, by CSV's rules (RFC 4180: quoted fields,
/// doubled quotes, line breaks inside quotes; blank lines skipped).
///
/// Why two paths: nearly every line of a real file is plain fields and
/// quoted fields without quotes or line breaks inside. Those are split here,
/// and each field is a slice of the text itself: no copy, and no second
/// UTF-8 check of text already checked once. Every other line goes to
/// csv-core, which knows the whole grammar. A test holds the two to the csv
/// crate on thousands of generated texts.
pub struct Records<'t> {
    pub(super) text: &'t str,
    /// Where the next record starts, in bytes.
    pos: usize,
    pub(super) delimiter: u8,
    core: csv_core::Reader,
    /// The current record's fields: byte ranges into `text` (a simple line)
    /// or into `unescaped` (a line csv-core read).
    ranges: Vec<(usize, usize)>,
    unescaped: Vec<u8>,
    ends: Vec<usize>,
    /// The record number at which a quote was left open to the end of the
    /// text, which then became one field.
    pub unclosed_quote: Option<u32>,
    records: u32,
}

/// One record's fields.
pub struct Record<'a> {
    text: &'a str,
    ranges: &'a [(usize, usize)],
}

impl Cells for Record<'_> {
    fn cell(&self, col: usize) -> &str {
        self.ranges
            .get(col)
            .and_then(|&(from, to)| self.text.get(from..to))
            .unwrap_or("")
    }
    fn len(&self) -> usize {
        self.ranges.len()
    }
}

impl Record<'_> {
    pub fn to_strings(&self) -> Vec<String> {
        (0..self.ranges.len())
            .map(|i| self.cell(i).to_string())
            .collect()
    }
}

impl<'t> Records<'t> {
    pub fn new(text: &'t str, delimiter: u8) -> Self {
        Records {
            text,
            pos: 0,
            delimiter,
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            ranges: Vec::new(),
            unescaped: vec![0; 1024],
            ends: vec![0; 64],
            unclosed_quote: None,
            records: 0,
        }
    }

    /// Records of a text that goes on from a piece whose `records` records
    /// were read (the next begins at a record's start).
    pub fn resume(text: &'t str, delimiter: u8, records: u32) -> Self {
        Records {
            records,
            ..Records::new(text, delimiter)
        }
    }

    /// How many records have been read.
    pub fn count(&self) -> u32 {
        self.records
    }

    /// How many bytes of the text have been read.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The next record, or `None` at the end of the text.
    pub fn next_record(&mut self) -> Option<Record<'_>> {
        let bytes = self.text.as_bytes();
        // Blank lines are no records (as csv-core, which skips them too).
        while matches!(bytes.get(self.pos), Some(b'\n' | b'\r')) {
            self.pos += 1;
        }
        if self.pos >= bytes.len() {
            return None;
        }
        self.records += 1;
        if let Some(next) = split_simple(bytes, self.pos, self.delimiter, &mut self.ranges) {
            self.pos = next;
            return Some(Record {
                text: self.text,
                ranges: &self.ranges,
            });
        }
        self.read_with_core()
    }

    /// Reads one record with csv-core, from `pos`.
    fn read_with_core(&mut self) -> Option<Record<'_>> {
        use csv_core::ReadRecordResult as Read;
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let (mut out_len, mut ends_len) = (0, 0);
        loop {
            let input = bytes.get(self.pos..).unwrap_or_default();
            let output = self.unescaped.get_mut(out_len..).unwrap_or_default();
            let ends = self.ends.get_mut(ends_len..).unwrap_or_default();
            let (result, read, written, ended) = self.core.read_record(input, output, ends);
            self.pos += read;
            out_len += written;
            ends_len += ended;
            match result {
                Read::InputEmpty => {}
                Read::OutputFull => self.unescaped.resize(self.unescaped.len() * 2, 0),
                Read::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                Read::End => return None,
                Read::Record => break,
            }
        }
        let consumed = bytes.get(start..self.pos).unwrap_or_default();
        if self.pos >= bytes.len() && consumed.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
            self.unclosed_quote = Some(self.records);
        }
        self.ranges.clear();
        let mut from = 0;
        for &end in self.ends.get(..ends_len).unwrap_or_default() {
            self.ranges.push((from, end));
            from = end;
        }
        // csv-core only takes ASCII quotes out of valid UTF-8 and cuts at
        // ASCII delimiters, so its output is valid UTF-8 too.
        let text = std::str::from_utf8(self.unescaped.get(..out_len).unwrap_or_default())
            .unwrap_or_default();
        Some(Record {
            text,
            ranges: &self.ranges,
        })
    }
}

/// Splits the line at `start` into `ranges` when its fields are plain or
/// quoted without quotes or line breaks inside, and returns where the next
/// line starts; `None` leaves the line to csv-core.
fn split_simple(
    bytes: &[u8],
    start: usize,
    delimiter: u8,
    ranges: &mut Vec<(usize, usize)>,
) -> Option<usize> {
    ranges.clear();
    let mut i = start;
    loop {
        if bytes.get(i) == Some(&b'"') {
            let from = i + 1;
            let to = first_of(bytes, from, [b'"', b'\n', b'\r', b'"']);
            if bytes.get(to) != Some(&b'"') {
                return None;
            }
            ranges.push((from, to));
            i = to + 1;
        } else {
            let from = i;
            i = first_of(bytes, from, [delimiter, b'\n', b'\r', b'"']);
            if bytes.get(i) == Some(&b'"') {
                return None;
            }
            ranges.push((from, i));
        }
        match bytes.get(i) {
            Some(&b) if b == delimiter => i += 1,
            Some(b'\n') => return Some(i + 1),
            Some(b'\r') => return (bytes.get(i + 1) == Some(&b'\n')).then_some(i + 2),
            None => return Some(i),
            // Text after a closing quote (`"a"b`, `"a""b"`).
            Some(_) => return None,
        }
    }
}

/// Where the first of `needles` is in `bytes` from `from`, else the end.
/// Eight bytes at a time (memchr looks for three bytes at most, and its
/// setup outweighs a field of a dozen): a byte equal to a needle is a zero
/// byte of the word xor that needle, and the lowest byte flagged by the
/// zero-byte test is always a true zero (a false flag needs a borrow from
/// a zero below it).
fn first_of(bytes: &[u8], from: usize, needles: [u8; 4]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let splats = needles.map(|n| ONES * u64::from(n));
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let mut zeros = 0;
        for splat in splats {
            let x = word ^ splat;
            zeros |= x.wrapping_sub(ONES) & !x & HIGHS;
        }
        if zeros != 0 {
            return i + (zeros.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let rest = bytes.get(i..).unwrap_or_default();
    i + rest
        .iter()
        .position(|b| needles.contains(b))
        .unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_delimiter() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("\"x,y\";b\n"), b';');
        assert_eq!(sniff_delimiter(""), b',');
    }

    #[test]
    fn first_of_finds_what_a_byte_by_byte_search_finds() {
        // Every needle at every offset and word position, after bytes that
        // could fool the word test (0x00, 0x01, 0x80, 0xFF and UTF-8).
        let fillers: &[&[u8]] = &[b"", b"abc", b"\x00\x01", b"\x80\xff\x7f", "Xã ".as_bytes()];
        let needles = [b',', b'\n', b'\r', b'"'];
        for filler in fillers {
            for len in 0..20 {
                for (at, needle) in (0..=len).flat_map(|at| needles.map(|n| (at, n))) {
                    let mut bytes: Vec<u8> = filler.iter().copied().cycle().take(len).collect();
                    bytes.retain(|b| !needles.contains(b));
                    let at = at.min(bytes.len());
                    bytes.insert(at, needle);
                    for from in 0..bytes.len() + 2 {
                        let slow = bytes
                            .iter()
                            .enumerate()
                            .skip(from)
                            .find(|(_, b)| needles.contains(b))
                            .map_or(bytes.len().max(from), |(i, _)| i);
                        assert_eq!(
                            first_of(&bytes, from, needles),
                            slow,
                            "{bytes:?} from {from}"
                        );
                    }
                }
            }
        }
    }

    fn records(text: &str, delimiter: u8) -> Vec<Vec<String>> {
        let mut records = Records::new(text, delimiter);
        let mut out = Vec::new();
        while let Some(r) = records.next_record() {
            out.push(r.to_strings());
        }
        out
    }

    /// What the csv crate reads from the same text.
    fn csv_crate(text: &str, delimiter: u8) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| {
                r.map(|r| r.iter().map(String::from).collect())
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn splits_simple_lines_and_leaves_the_rest_to_csv_core() {
        let text = "a,\"b,c\",d\r\n\n\"x\"\"y\",\"line\nbreak\"\r\nlast,\"q\"";
        assert_eq!(
            records(text, b','),
            vec![
                vec!["a", "b,c", "d"],
                vec!["x\"y", "line\nbreak"],
                vec!["last", "q"],
            ]
        );
        assert_eq!(records("", b','), Vec::<Vec<String>>::new());
        assert_eq!(records("\n\r\n", b','), Vec::<Vec<String>>::new());
        assert_eq!(records("a;b;", b';'), vec![vec!["a", "b", ""]]);
    }

    #[test]
    fn reads_as_the_csv_crate_does_on_generated_texts() {
        // A small generator (xorshift): texts made of the bytes that matter.
        let pieces = [
            "a", "ã", "1.957", ",", ";", "\t", "\"", "\"\"", "\n", "\r\n", "\r", " ", "",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for case in 0..5000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            for delimiter in [b',', b';', b'\t'] {
                assert_eq!(
                    records(&text, delimiter),
                    csv_crate(&text, delimiter),
                    "case {case}: {text:?}"
                );
            }
        }
    }
}
