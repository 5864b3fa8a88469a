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
    // Peak memory after the first read, and after its check (Linux only).
    let mut peaks = (None, None);
    for round in 0..rounds {
        // The last round's data go first, so that each round starts alike.
        drop(outcome.take());
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
        if round == 0 {
            peaks.0 = peak_rss();
        }
        let dataset =
            baocao::model::Dataset::from_observations(vec![read.source], read.observations);
        let started = Instant::now();
        let findings = baocao::check::check(&dataset, &catalog);
        checks.push(started.elapsed().as_secs_f64());
        if round == 0 {
            peaks.1 = peak_rss();
        }
        outcome = Some((dataset.len(), read.findings, findings));
    }
    let Some((count, read_findings, findings)) = outcome else {
        return;
    };
    let median = |xs: &mut Vec<f64>| {
        xs.sort_by(f64::total_cmp);
        xs[xs.len() / 2]
    };
    let best = |xs: &[f64]| xs.iter().copied().fold(f64::INFINITY, f64::min);
    let (best_read, best_check) = (best(&reads), best(&checks));
    let (read_s, check_s) = (median(&mut reads), median(&mut checks));
    let mut by_rule = std::collections::BTreeMap::new();
    for f in read_findings.iter().chain(&findings) {
        *by_rule.entry(f.rule.as_str()).or_insert(0) += 1;
    }
    let mb = bytes.len() as f64 / 1e6;
    for (what, read_s, check_s) in [
        (format!("median of {rounds}"), read_s, check_s),
        (format!("best of {rounds}  "), best_read, best_check),
    ] {
        eprintln!(
            "{what}: read {read_s:.3} s ({:.1} MB/s, {:.2} M obs/s), check {check_s:.3} s \
             ({:.2} M obs/s), read + check {:.1} MB/s ({:.2} M obs/s)",
            mb / read_s,
            count as f64 / read_s / 1e6,
            count as f64 / check_s / 1e6,
            mb / (read_s + check_s),
            count as f64 / (read_s + check_s) / 1e6,
        );
    }
    if let (Some(read), Some(check)) = peaks {
        let file = bytes.len() as f64;
        eprintln!(
            "peak memory (RSS): after the read {:.0} MiB ({:.2}x the file), after the check {:.0} MiB ({:.2}x)",
            read / 1048576.0,
            read / file,
            check / 1048576.0,
            check / file
        );
    }
    println!("baocao: {count} observations; findings by rule: {by_rule:?}");
}

/// The process's peak resident memory in bytes, from /proc (Linux).
fn peak_rss() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024.0)
}
