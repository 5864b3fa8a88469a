//! Templates: front matter, Jinja, Markdown; bounded by fuel.
#![no_main]
use baocao::workspace::Workspace;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|text: &str| {
    static SAMPLE: OnceLock<Workspace> = OnceLock::new();
    let mut ws = SAMPLE.get_or_init(Workspace::sample).clone();
    ws.set_template(text.to_string());
});
