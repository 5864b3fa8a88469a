//! Workspace files as a user might drop them: damaged, foreign, hostile.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = baocao::snapshot::read(data, &baocao::ingest::Limits::default(), None);
});
