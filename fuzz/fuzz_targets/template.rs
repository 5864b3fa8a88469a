//! Templates: front matter, Jinja, Markdown; bounded by fuel. The workspace
//! holds the sample and a biểu, so the table functions (`bang`, `so_bieu`,
//! `ty_le_bieu`) have a table to print and cells to cite.
#![no_main]
use baocao::workspace::{InputFile, Workspace};
use libfuzzer_sys::fuzz_target;

thread_local! {
    // A workspace is not `Sync` (its dataset's parts are `Rc`): one per thread.
    static SAMPLE: Workspace = {
        let mut ws = Workspace::sample();
        ws.add_files(vec![InputFile {
            name: "bieu.xlsx".into(),
            bytes: std::sync::Arc::new(
                include_bytes!("../../tests/fixtures/bieu/bieu-sections.xlsx").to_vec(),
            ),
        }]);
        ws
    };
}

fuzz_target!(|text: &str| {
    let mut ws = SAMPLE.with(Workspace::clone);
    ws.set_template(text.to_string());
});
