//! The page: a thin Yew layer over the core (see ARCHITECTURE.md).

#[cfg(target_arch = "wasm32")]
mod services;
#[cfg(target_arch = "wasm32")]
mod ui;

#[cfg(target_arch = "wasm32")]
fn main() {
    services::install_panic_hook();
    yew::Renderer::<ui::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("baocao is a web page: build it with `./dev serve` (Trunk), see README.md");
}
