//! Reads and checks a file with the built-in catalogue, as the page does,
//! and prints what it found: the native side of bench/frictionless.sh.
//!   cargo run --release --example validate_long_csv -- bench/out/long-1m.csv
fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bench/out/long-1m.csv".into());
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => return eprintln!("cannot read {path}: {e}"),
    };
    let catalog = baocao::catalog::Catalog::builtin();
    let read = baocao::ingest::read_file(
        &path,
        &bytes,
        &catalog,
        0,
        &Default::default(),
        Default::default(),
    );
    let dataset = baocao::model::Dataset {
        files: vec![read.source],
        observations: read.observations,
    };
    let findings = baocao::check::check(&dataset, &catalog);
    let mut by_rule = std::collections::BTreeMap::new();
    for f in read.findings.iter().chain(&findings) {
        *by_rule.entry(f.rule.as_str()).or_insert(0) += 1;
    }
    println!(
        "baocao: {} observations; findings by rule: {by_rule:?}",
        dataset.observations.len()
    );
}
