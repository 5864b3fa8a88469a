//! Reads and checks a file with the built-in catalogue, as the page does,
//! and prints what it found and how fast: the native side of
//! bench/frictionless.sh.
//!   cargo run --profile bench --example validate_long_csv -- bench/out/long-1m.csv
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bench/out/long-1m.csv".into());
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => return eprintln!("cannot read {path}: {e}"),
    };
    let catalog = baocao::catalog::Catalog::builtin();
    let started = Instant::now();
    let read = baocao::ingest::read_file(
        &path,
        &bytes,
        &catalog,
        0,
        &Default::default(),
        Default::default(),
    );
    let read_s = started.elapsed().as_secs_f64();
    let dataset = baocao::model::Dataset {
        files: vec![read.source],
        observations: read.observations,
    };
    let started = Instant::now();
    let findings = baocao::check::check(&dataset, &catalog);
    let check_s = started.elapsed().as_secs_f64();
    let mut by_rule = std::collections::BTreeMap::new();
    for f in read.findings.iter().chain(&findings) {
        *by_rule.entry(f.rule.as_str()).or_insert(0) += 1;
    }
    let count = dataset.observations.len() as f64;
    let mb = bytes.len() as f64 / 1e6;
    eprintln!(
        "read {read_s:.3} s ({:.1} MB/s), check {check_s:.3} s ({:.2} M obs/s), \
         read + check {:.1} MB/s",
        mb / read_s,
        count / check_s / 1e6,
        mb / (read_s + check_s)
    );
    println!(
        "baocao: {} observations; findings by rule: {by_rule:?}",
        dataset.observations.len()
    );
}
