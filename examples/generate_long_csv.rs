//! Writes the benchmark's 1,008,000-row long CSV (16,000 reporting entities,
//! Vietnamese number style, the seed's identities intact) to a file:
//!   cargo run --release --example generate_long_csv -- bench/out/long-1m.csv [entities]
include!("../bench/long_csv.rs");

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "bench/out/long-1m.csv".into());
    let entities = args.next().and_then(|n| n.parse().ok()).unwrap_or(16_000);
    let csv = generate_long_csv(entities);
    if let Some(dir) = std::path::Path::new(&path).parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match std::fs::write(&path, &csv) {
        Ok(()) => println!(
            "{path}: {} bytes, {} rows",
            csv.len(),
            csv.lines().count() - 1
        ),
        Err(e) => eprintln!("cannot write {path}: {e}"),
    }
}
