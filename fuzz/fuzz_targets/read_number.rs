//! Numbers and periods as offices write them.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = baocao::ingest::number::read_number(text);
    let _ = baocao::ingest::number::style_evidence(text);
    let _ = baocao::model::Period::parse(text);
});
