//! The page: a thin Yew layer over the core (see ARCHITECTURE.md).

#[cfg(target_arch = "wasm32")]
mod message;
#[cfg(target_arch = "wasm32")]
mod services;
#[cfg(target_arch = "wasm32")]
mod task;
#[cfg(target_arch = "wasm32")]
mod ui;

#[cfg(target_arch = "wasm32")]
fn main() {
    services::install_panic_hook();
    // Mount beside, not over, the static #fatal banner of index.html.
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<ui::App>::with_root(root).render(),
        None => yew::Renderer::<ui::App>::new().render(),
    };
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("baocao is a web page: build it with `./dev serve` (Trunk), see README.md");
}
