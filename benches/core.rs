//! Native benchmarks of the core: `cargo bench` (see bench/README.md).
//! They print figures; no test depends on a time.
//! Native only: on wasm32 (which `cargo clippy --target wasm32 --all-targets`
//! also builds) this is an empty program.

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use baocao::export::docx::{write_docx, DocxInfo};
    use baocao::report::layout::Layout;
    use baocao::workspace::Workspace;
    use criterion::{criterion_group, Criterion};
    use std::hint::black_box;

    fn report(c: &mut Criterion) {
        let mut ws = Workspace::sample();
        let mut g = c.benchmark_group("report");
        // What an edit costs: the template re-rendered into the document model.
        g.bench_function("re-render the seed report", |b| {
            b.iter(|| black_box(&mut ws).refresh_report())
        });
        let doc = ws.document.clone().unwrap_or_default();
        g.bench_function("build the DOCX", |b| {
            b.iter(|| write_docx(black_box(&doc), &Layout::default(), &DocxInfo::default()))
        });
        g.bench_function("write the HTML", |b| {
            b.iter(|| baocao::export::html::write_html(black_box(&doc), &Layout::default()))
        });
        g.finish();
    }

    criterion_group!(benches, report);
}
