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
    // This machine is shared: five rounds (ROUNDS=n for another count), and
    // the median of each step. bench/frictionless.sh runs one, whole process.
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
        .max(1);
    let mut reads = Vec::new();
    let mut checks = Vec::new();
    let mut outcome = None;
    for _ in 0..rounds {
        let started = Instant::now();
        let read = baocao::ingest::read_file(
            &path,
            &bytes,
            &catalog,
            0,
            &Default::default(),
            Default::default(),
        );
        reads.push(started.elapsed().as_secs_f64());
        let dataset =
            baocao::model::Dataset::from_observations(vec![read.source], read.observations);
        let started = Instant::now();
        let findings = baocao::check::check(&dataset, &catalog);
        checks.push(started.elapsed().as_secs_f64());
        outcome = Some((dataset.len(), read.findings, findings));
    }
    let Some((count, read_findings, findings)) = outcome else {
        return;
    };
    let median = |xs: &mut Vec<f64>| {
        xs.sort_by(f64::total_cmp);
        xs[xs.len() / 2]
    };
    let (read_s, check_s) = (median(&mut reads), median(&mut checks));
    let mut by_rule = std::collections::BTreeMap::new();
    for f in read_findings.iter().chain(&findings) {
        *by_rule.entry(f.rule.as_str()).or_insert(0) += 1;
    }
    let mb = bytes.len() as f64 / 1e6;
    eprintln!(
        "median of {rounds}: read {read_s:.3} s ({:.1} MB/s), check {check_s:.3} s ({:.2} M obs/s), \
         read + check {:.1} MB/s",
        mb / read_s,
        count as f64 / check_s / 1e6,
        mb / (read_s + check_s)
    );
    println!("baocao: {count} observations; findings by rule: {by_rule:?}");
}
