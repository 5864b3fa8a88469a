//! No input makes a reader panic (a panic kills the page): every fixture,
//! damaged thousands of ways — bytes flipped, cut, repeated, spliced — goes
//! through `read_file` and then the checker. Deterministic, so a failure
//! reproduces; the fuzz targets under fuzz/ search further (bench/fuzz.sh).
#![cfg(not(target_arch = "wasm32"))]
mod common;
use baocao::catalog::Catalog;
use baocao::check::{check, check_each};
use baocao::ingest::{read_file, Limits, TextEncoding};
use baocao::model::Dataset;

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INTERESTING: &[&[u8]] = &[
    b"\"",
    b",",
    b";",
    b"\t",
    b"\n",
    b"\r\n",
    b"1.2.3",
    b"-",
    b"%",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\x00",
    b"\xE1",
    b"9999999999999999999999",
    b"Qu\xC3\xBD V/2021",
    b"[",
    b"{",
    b"<x>",
    b"PK\x03\x04",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(b.len() + 1);
        match rng.below(6) {
            0 if !b.is_empty() => {
                let i = at.min(b.len() - 1);
                b[i] ^= 1 << rng.below(8);
            }
            1 => b.truncate(at),
            2 => {
                let token = INTERESTING[rng.below(INTERESTING.len())];
                b.splice(at..at, token.iter().copied());
            }
            3 if !b.is_empty() => {
                let end = (at + rng.below(64)).min(b.len());
                let chunk = b[at.min(end)..end].to_vec();
                b.splice(at..at, chunk);
            }
            4 if !b.is_empty() => {
                let end = (at + rng.below(16)).min(b.len());
                b.drain(at.min(end)..end);
            }
            _ => b.insert(at, rng.next() as u8),
        }
    }
    b
}

/// Every file of a fixtures folder, by name.
fn seeds(folder: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    seeds.sort();
    seeds
}

/// Reads, checks capped and streaming: no panic, and the streaming checks
/// find exactly as many as the capped ones count.
fn read_and_check(name: &str, bytes: &[u8], limits: &Limits, encoding: TextEncoding) {
    let catalog = Catalog::builtin();
    let r = read_file(name, bytes, &catalog, 0, limits, encoding);
    let dataset = Dataset::from_observations(vec![r.source], r.observations);
    let capped: usize = check(&dataset, &catalog).iter().map(|f| 1 + f.more).sum();
    let mut streamed = 0;
    check_each(&dataset, &catalog, |_| streamed += 1);
    assert_eq!(streamed, capped, "{name}: the cap's count is exact");
}

#[test]
fn damaged_inputs_never_panic() {
    let seeds = seeds("tests/fixtures/read");
    let limits = Limits::default();
    let mut rng = Rng(0x0BA0_CA00_2026_1128);
    let mut read = 0;
    for round in 0..150 {
        for (name, bytes) in &seeds {
            let damaged = mutate(&mut rng, bytes);
            let encoding = TextEncoding::CHOICES[round % TextEncoding::CHOICES.len()];
            read_and_check(name, &damaged, &limits, encoding);
            read += 1;
        }
    }
    assert!(read >= 2000);
}

/// The workbook readers (XLSX, XLS, XLSB, ODS, streamed cell by cell) on
/// damaged biểu tables, within tight limits as well as the usual ones, so
/// every cut (rows, columns, cells) is taken.
#[test]
fn damaged_workbooks_never_panic_within_any_limits() {
    let seeds = seeds("tests/fixtures/bieu");
    let tight = Limits {
        max_rows: 7,
        max_columns: 4,
        max_cells: 25,
        ..Limits::default()
    };
    let mut rng = Rng(0xB1E0_5000_2026_1129);
    for round in 0..40 {
        for (name, bytes) in &seeds {
            let limits = if round % 2 == 0 {
                &tight
            } else {
                &Limits::default()
            };
            // Half the time whole, so the tight limits cut real tables.
            let input = if round % 4 < 2 {
                bytes.clone()
            } else {
                mutate(&mut rng, bytes)
            };
            read_and_check(name, &input, limits, TextEncoding::Auto);
        }
    }
}

/// Every input the fuzzers (bench/fuzz.sh) ever crashed on stays a test.
#[test]
fn inputs_the_fuzzers_found_never_panic_again() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz-regressions");
    let catalog = Catalog::builtin();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for encoding in TextEncoding::CHOICES {
            let r = read_file(
                "regression",
                &bytes,
                &catalog,
                0,
                &Limits::default(),
                encoding,
            );
            let dataset = Dataset::from_observations(vec![r.source], r.observations);
            let _ = check(&dataset, &catalog);
        }
        let _ = baocao::snapshot::read(&bytes, &Limits::default(), None);
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = baocao::ingest::number::read_number(text);
            let mut ws = baocao::workspace::Workspace::sample();
            ws.set_template(text.to_string());
        }
    }
}
