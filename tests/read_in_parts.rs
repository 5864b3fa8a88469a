//! A large text read in parts and joined (`ingest::parts`) gives what one
//! read of the whole text gives, or says it cannot: held to that on texts
//! generated with what joins must get right (a decimal style shown only in
//! a later part, numbers with two readings, unknown indicators in several
//! parts, rows without an indicator, more findings than the cap keeps,
//! blank lines, quoted fields, a quoted line break).

use baocao::catalog::{Catalog, Kind};
use baocao::ingest::parts::{self, line_start, nominal_cuts, piece_end, PartRead};
use baocao::ingest::text_table::DelimitedReading;
use baocao::ingest::{open, read_file, FileRead, Limits, Opened, TextEncoding};
use baocao::model::Observation;

const FILE: u32 = 3;

/// A small deterministic generator (no dependency for it).
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A long text of `rows` rows; `seed` decides what goes wrong where.
fn text(seed: u64, rows: usize, catalog: &Catalog) -> String {
    let mut dice = Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let ratios: Vec<&str> = catalog
        .indicators
        .iter()
        .filter(|i| matches!(i.kind, Kind::Percent | Kind::Score | Kind::Money))
        .map(|i| i.code.as_str())
        .collect();
    let counts: Vec<&str> = catalog
        .indicators
        .iter()
        .filter(|i| i.kind == Kind::Count)
        .map(|i| i.code.as_str())
        .collect();
    // Where the file first shows its decimal style, if it does.
    let style_at = dice.below(rows as u64 * 2) as usize;
    let vietnamese = dice.below(2) == 0;
    let mut out = String::from("code,period,value,entity\n");
    for r in 0..rows {
        let entity = format!("Xã {}", r / 40);
        let period = 2015 + (r % 7);
        let code = match dice.below(40) {
            0 => "MA_LA_1".to_string(),
            1 => "MA LẠ 2".to_string(),
            2 => String::new(),
            3..=20 => ratios[dice.below(ratios.len() as u64) as usize].to_string(),
            _ => counts[dice.below(counts.len() as u64) as usize].to_string(),
        };
        let value = match dice.below(30) {
            _ if r == style_at => {
                if vietnamese {
                    "\"12,5\"".to_string()
                } else {
                    "12.5".to_string()
                }
            }
            0 => "1.957".to_string(),
            // Some texts break a rule on most rows: past the cap.
            1 => "không rõ".to_string(),
            _ if seed.is_multiple_of(7) && dice.below(3) > 0 => "không rõ".to_string(),
            2 => "\"1.234\"".to_string(),
            _ => (dice.below(100_000)).to_string(),
        };
        let entity = match dice.below(200) {
            0 => format!("\"{entity}, có dấu phẩy\""),
            1 if seed.is_multiple_of(5) => format!("\"{entity}\ncó xuống dòng\""),
            _ => entity,
        };
        out.push_str(&format!("{code},{period},{value},{entity}\n"));
        if dice.below(97) == 0 {
            out.push('\n');
        }
    }
    out
}

/// Reads `text` in parts cut near the nominal offsets, as the workers do,
/// and joins them; `None` when the join says the text must be read whole.
fn read_in_parts(text: &str, n: usize, catalog: &Catalog, limits: &Limits) -> Option<FileRead> {
    let bytes = text.as_bytes();
    let mut cuts = vec![0];
    for at in nominal_cuts(bytes.len(), n) {
        cuts.push(line_start(bytes, 0, at, bytes.len()).expect("the whole text is at hand"));
    }
    cuts.push(bytes.len());
    let (mut reads, mut observations): (Vec<PartRead>, Vec<Vec<Observation>>) = (vec![], vec![]);
    let Opened::Text(first) = open(
        "parts.csv",
        &bytes[..cuts[1]],
        catalog,
        FILE,
        limits,
        TextEncoding::Auto,
    ) else {
        panic!("a text opens as text");
    };
    let mut reading = first.reading(catalog, limits);
    assert!(reading.first_part());
    let mut taken = Vec::new();
    while !reading.step(1000) {
        taken.extend(reading.take_observations());
    }
    taken.extend(reading.take_observations());
    let (header, delimiter) = reading
        .head()
        .map(|(h, d)| (h.to_vec(), d))
        .expect("delimited");
    let (mut source, part, rest) = reading.finish_part();
    taken.extend(rest);
    reads.push(part);
    observations.push(taken);
    for k in 1..cuts.len() - 1 {
        let part_text = &text[cuts[k]..cuts[k + 1]];
        let mut reading =
            DelimitedReading::part(part_text, &header, delimiter, catalog, FILE, limits);
        let mut taken = Vec::new();
        while !reading.step(777) {
            taken.extend(reading.take_observations());
        }
        let (part, rest) = reading.finish_part();
        taken.extend(rest);
        reads.push(part);
        observations.push(taken);
    }
    let joined = parts::join(catalog, FILE, limits, reads)?;
    let mut all = Vec::new();
    for (mut part, shift) in observations.into_iter().zip(&joined.shifts) {
        for o in &mut part {
            o.cell.row = o.cell.row.saturating_add(*shift);
        }
        all.extend(part);
    }
    assert_eq!(all.len(), joined.observations);
    for (i, value) in joined.corrections {
        all[i].value = value;
    }
    source.rows = joined.rows;
    Some(FileRead {
        source,
        observations: all.into(),
        findings: joined.findings,
    })
}

#[test]
fn parts_joined_give_what_the_whole_text_gives() {
    let catalog = Catalog::builtin();
    let limits = Limits::default();
    let (mut joined, mut whole_only) = (0, 0);
    let (mut corrected, mut capped, mut unknown_in_parts) = (0, 0, 0);
    for seed in 1..=60u64 {
        let rows = [40, 700, 3000][seed as usize % 3];
        let text = text(seed, rows, &catalog);
        let whole = read_file(
            "parts.csv",
            text.as_bytes(),
            &catalog,
            FILE,
            &limits,
            TextEncoding::Auto,
        );
        for n in 2..=4 {
            match read_in_parts(&text, n, &catalog, &limits) {
                Some(read) => {
                    joined += 1;
                    corrected += usize::from(
                        read.findings
                            .iter()
                            .any(|f| f.rule == "read.ambiguous-number"),
                    );
                    capped += usize::from(read.findings.iter().any(|f| f.more > 0));
                    unknown_in_parts += usize::from(
                        read.findings
                            .iter()
                            .any(|f| f.rule == "read.unknown-indicator" && f.cells.len() > 10),
                    );
                    assert_eq!(
                        read.source.rows, whole.source.rows,
                        "seed {seed}, {n} parts"
                    );
                    assert_eq!(
                        read.observations, whole.observations,
                        "seed {seed}, {n} parts"
                    );
                    assert_eq!(read.findings, whole.findings, "seed {seed}, {n} parts");
                    assert_eq!(read.source, whole.source, "seed {seed}, {n} parts");
                }
                None => whole_only += 1,
            }
        }
    }
    // Only a cut inside a quoted line break sends a text back to be read whole.
    assert!(joined > 150, "{joined} joined, {whole_only} read whole");
    // What the joins had to get right came up.
    assert!(
        corrected > 20 && capped > 5 && unknown_in_parts > 20,
        "{corrected} {capped} {unknown_in_parts}"
    );
}

/// Reads `text` a piece of about `size` bytes at a time, as the reader
/// worker reads a large file; `None` when it must be read whole (a piece
/// ended inside quotes).
fn read_in_pieces(text: &str, size: usize, catalog: &Catalog, limits: &Limits) -> Option<FileRead> {
    let bytes = text.as_bytes();
    let mut cuts = vec![0];
    while let Some(&from) = cuts.last().filter(|&&c| c < bytes.len()) {
        let to = (from + size).min(bytes.len());
        let end = from + piece_end(&bytes[from..to], to == bytes.len());
        // A line longer than a piece: the piece grows until it ends one.
        cuts.push(if end > from {
            end
        } else {
            from + piece_end(&bytes[from..], true)
        });
    }
    let Opened::Text(first) = open(
        "parts.csv",
        &bytes[..cuts[1]],
        catalog,
        FILE,
        limits,
        TextEncoding::Auto,
    ) else {
        panic!("a text opens as text");
    };
    let (head, mut reading) = first.reading(catalog, limits).into_pieces()?;
    let mut taken = Vec::new();
    let mut k = 1;
    let table = loop {
        while !reading.step(333) {
            taken.extend(reading.take_observations());
        }
        taken.extend(reading.take_observations());
        if k + 1 == cuts.len() {
            break reading.finish();
        }
        let suspended = match reading.suspend() {
            Ok(suspended) => suspended,
            // A limit ends the read in this piece, as in one read.
            Err(stopped) if stopped.stopped() => break stopped.finish(),
            Err(_) => return None,
        };
        let piece = std::str::from_utf8(&bytes[cuts[k]..cuts[k + 1]]).ok()?;
        k += 1;
        reading = suspended.resume(piece, k + 1 == cuts.len());
    };
    let (mut read, corrections) = head.finish(table);
    taken.extend(read.observations.to_vec());
    for (i, value) in corrections {
        taken[i].value = value;
    }
    read.observations = taken.into();
    Some(read)
}

#[test]
fn pieces_read_in_turn_give_what_the_whole_text_gives() {
    let catalog = Catalog::builtin();
    let limits = Limits::default();
    let (mut same, mut whole_only) = (0, 0);
    for seed in 1..=40u64 {
        let rows = [40, 700, 3000][seed as usize % 3];
        let text = text(seed, rows, &catalog);
        let whole = read_file(
            "parts.csv",
            text.as_bytes(),
            &catalog,
            FILE,
            &limits,
            TextEncoding::Auto,
        );
        for size in [200, 4096, 50_000] {
            match read_in_pieces(&text, size, &catalog, &limits) {
                Some(read) => {
                    same += 1;
                    assert_eq!(read, whole, "seed {seed}, pieces of {size} bytes");
                }
                None => whole_only += 1,
            }
        }
    }
    assert!(same > 100, "{same} read in pieces, {whole_only} read whole");
    // A limit reached in a piece ends the read there, as in one read.
    let text = text(3, 3000, &catalog);
    let limits = Limits {
        max_rows: 1500,
        ..Limits::default()
    };
    let whole = read_file(
        "parts.csv",
        text.as_bytes(),
        &catalog,
        FILE,
        &limits,
        TextEncoding::Auto,
    );
    assert!(whole
        .findings
        .iter()
        .any(|f| f.rule == "read.too-many-rows"));
    assert_eq!(read_in_pieces(&text, 4096, &catalog, &limits), Some(whole));
    // A piece that ends inside a quoted line break sends the text back.
    let mut quoted = String::from("code,period,value,ghi chú\nCBCC_XA,2020,10,\"a\n");
    quoted.push_str(&"b\n".repeat(100));
    quoted.push_str("\"\nCBCC_XA,2021,11,\n");
    assert_eq!(
        read_in_pieces(&quoted, 64, &catalog, &Limits::default()),
        None
    );
}

#[test]
fn a_cut_inside_a_quoted_line_break_is_read_whole() {
    let catalog = Catalog::builtin();
    let limits = Limits::default();
    let mut text = String::from("code,period,value,entity\n");
    text.push_str("CBCC_XA,2020,10,\"Xã A\n");
    // The middle of the text falls inside this one quoted field.
    text.push_str(&"dòng tiếp của ô\n".repeat(50));
    text.push_str("\"\nCBCC_XA,2021,11,Xã B\n");
    assert!(read_in_parts(&text, 2, &catalog, &limits).is_none());
}

#[test]
fn parts_past_a_limit_are_read_whole() {
    let catalog = Catalog::builtin();
    let text = text(7, 3000, &catalog);
    let limits = Limits {
        max_rows: 2000,
        ..Limits::default()
    };
    assert!(read_in_parts(&text, 2, &catalog, &limits).is_none());
    let limits = Limits {
        max_figures: 1000,
        ..Limits::default()
    };
    assert!(read_in_parts(&text, 3, &catalog, &limits).is_none());
}

#[test]
fn line_starts_are_found_in_any_window() {
    let text = b"ab\ncd\n\nef";
    assert_eq!(line_start(text, 0, 0, 9), Some(0));
    assert_eq!(line_start(text, 0, 1, 9), Some(3));
    assert_eq!(line_start(text, 0, 3, 9), Some(3));
    assert_eq!(line_start(text, 0, 4, 9), Some(6));
    assert_eq!(line_start(text, 0, 8, 9), Some(9));
    assert_eq!(line_start(text, 0, 20, 9), Some(9));
    // A window from byte 4: it holds the line end after "cd".
    assert_eq!(line_start(&text[4..], 4, 5, 9), Some(6));
    // A window that ends before any line end cannot say …
    assert_eq!(line_start(&text[..2], 0, 1, 9), None);
    // … nor one that begins after the byte before `at`.
    assert_eq!(line_start(&text[5..], 5, 5, 9), None);
}
