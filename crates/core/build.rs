//! Names the build: a hash of the sources (the core's, the page's and the
//! worker's), the same for the page's wasm and the reader worker's (built
//! apart, with other features and profiles), so the two can tell at their
//! handshake that they come from one build.

use std::hash::Hasher;
use std::path::Path;

fn main() {
    let mut hasher = Fnv::default();
    let sources = [
        "Cargo.toml",
        "src",
        "../../Cargo.toml",
        "../../Cargo.lock",
        "../../src",
    ];
    for path in sources.into_iter().chain(["../../assets"]) {
        println!("cargo:rerun-if-changed={path}");
        feed(Path::new(path), &mut hasher);
    }
    hasher.write(env!("CARGO_PKG_VERSION").as_bytes());
    println!("cargo:rustc-env=BAOCAO_BUILD={:016x}", hasher.finish());
}

/// Every file under `path`, in name order, with its path.
fn feed(path: &Path, hasher: &mut Fnv) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for entry in entries {
            feed(&entry, hasher);
        }
    } else if let Ok(bytes) = std::fs::read(path) {
        hasher.write(path.to_string_lossy().as_bytes());
        hasher.write(&bytes);
    }
}

/// FNV-1a: stable across compilers (std's hasher is not promised to be).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
