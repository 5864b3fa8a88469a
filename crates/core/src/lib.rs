//! baocao's core: readers → one model → checks → report → writers.
//!
//! Plain Rust with no browser APIs, so all of it is tested natively. Nothing
//! here panics on user input: readers return what they could read plus
//! findings. See ARCHITECTURE.md for the map and the invariants.

pub mod cap;
pub mod catalog;
pub mod chart;
pub mod check;
pub mod classify;
pub mod derivation;
pub mod export;
pub mod fold;
pub mod ingest;
pub mod model;
pub mod protocol;
pub mod read_jobs;
pub mod rehearsal;
pub mod report;
pub mod rule_names;
pub mod snapshot;
pub mod vn;
pub mod wire;
pub mod workspace;
pub mod xml;
