//! Templates: front matter, Jinja, Markdown; bounded by fuel.
#![no_main]
use baocao::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

thread_local! {
    // A workspace is not `Sync` (its dataset's parts are `Rc`): one per thread.
    static SAMPLE: Workspace = Workspace::sample();
}

fuzz_target!(|text: &str| {
    let mut ws = SAMPLE.with(Workspace::clone);
    ws.set_template(text.to_string());
});
