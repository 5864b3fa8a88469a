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
        let doc = ws.document().cloned().unwrap_or_default();
        g.bench_function("build the DOCX", |b| {
            b.iter(|| {
                write_docx(
                    black_box(&doc),
                    &Layout::default(),
                    &DocxInfo::default(),
                    &[],
                )
            })
        });
        g.bench_function("write the HTML", |b| {
            b.iter(|| baocao::export::html::write_html(black_box(&doc), &Layout::default()))
        });
        g.finish();
    }

    // The generator is shared with `cargo run --example generate_long_csv`.
    include!("../bench/long_csv.rs");

    fn ingest(c: &mut Criterion) {
        let csv = generate_long_csv(16_000);
        let catalog = baocao::catalog::Catalog::builtin();
        let limits = baocao::ingest::Limits::default();
        let mut g = c.benchmark_group("read + check 1M rows");
        g.sample_size(10);
        g.throughput(criterion::Throughput::Bytes(csv.len() as u64));
        g.bench_function("read", |b| {
            b.iter(|| {
                baocao::ingest::read_file(
                    "big.csv",
                    csv.as_bytes(),
                    &catalog,
                    0,
                    &limits,
                    Default::default(),
                )
            })
        });
        let read = baocao::ingest::read_file(
            "big.csv",
            csv.as_bytes(),
            &catalog,
            0,
            &limits,
            Default::default(),
        );
        eprintln!(
            "1M-row file: {} bytes, {} observations, {} findings",
            csv.len(),
            read.observations.len(),
            read.findings.len()
        );
        let dataset =
            baocao::model::Dataset::from_observations(vec![read.source], read.observations);
        g.throughput(criterion::Throughput::Elements(dataset.len() as u64));
        g.bench_function("check", |b| {
            b.iter(|| baocao::check::check(black_box(&dataset), &catalog))
        });
        g.finish();
    }

    criterion_group!(benches, report, ingest);
}
