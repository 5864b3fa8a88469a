//! Reads every file named on the command line as the page would, and prints
//! for each the time, the observations and the findings: for running the
//! readers over a corpus of real workbooks (calamine's tests, SheetJS's
//! test_files). A crash here is a bug to keep as a regression test.
//!   cargo run --release --example read_corpus -- path/to/files/*
fn main() {
    let catalog = baocao::catalog::Catalog::builtin();
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let started = std::time::Instant::now();
        let read = baocao::ingest::read_file(
            &path,
            &bytes,
            &catalog,
            0,
            &Default::default(),
            Default::default(),
        );
        println!(
            "{:6} ms {:7} observations {:5} findings  {path}",
            started.elapsed().as_millis(),
            read.observations.len(),
            read.findings.len()
        );
    }
}
