//! The reader worker's entry point: Trunk builds it as a Web Worker
//! (`data-type="worker"` in index.html); the page spawns it for large files.

#[cfg(target_arch = "wasm32")]
#[path = "../message.rs"]
mod message;
#[cfg(target_arch = "wasm32")]
#[path = "../task.rs"]
mod task;
#[cfg(target_arch = "wasm32")]
#[path = "../worker.rs"]
mod worker;

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    worker::register();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the reader is a Web Worker of the page: build it with `./dev serve` (Trunk)");
}
