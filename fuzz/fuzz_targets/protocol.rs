//! The messages between the page and its worker: a damaged one is an error,
//! never a panic or an allocation it does not hold the bytes for.
#![no_main]
use baocao::protocol::{decode, Reply, Request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = decode::<Request>(data);
    let _ = decode::<Reply>(data);
});
