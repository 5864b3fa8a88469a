//! Every reader (CSV/TSV, JSON, XLSX/XLS/XLSB/ODS, every text encoding) and
//! the checker, capped and streaming: the cap's count is exact.
#![no_main]
use baocao::catalog::Catalog;
use baocao::ingest::{read_file, Limits, TextEncoding};
use baocao::model::Dataset;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let catalog = Catalog::builtin();
    // The first byte picks the encoding, so every decoder gets fuzzed.
    let encoding = TextEncoding::CHOICES
        [usize::from(data.first().copied().unwrap_or(0)) % TextEncoding::CHOICES.len()];
    let r = read_file("fuzz", data, &catalog, 0, &Limits::default(), encoding);
    let dataset = Dataset::from_observations(vec![r.source], r.observations);
    let capped: usize = baocao::check::check(&dataset, &catalog)
        .iter()
        .map(|f| 1 + f.more)
        .sum();
    let mut streamed = 0;
    baocao::check::check_each(&dataset, &catalog, |_| streamed += 1);
    assert_eq!(streamed, capped);
});
