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

    /// A long CSV of `entities` reporting entities, each with the reference's
    /// figures scaled by a whole factor (so sums and differences still hold),
    /// Vietnamese number style. 16,000 entities give about 1,000,000 rows, 43 MB.
    pub fn generate_long_csv(entities: usize) -> String {
        let reference = include_str!("../assets/sample-nq05-bac-giang.csv");
        let rows: Vec<Vec<String>> = reference
            .lines()
            .skip(1)
            .take(63)
            .map(|l| {
                let mut r = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(l.as_bytes());
                r.records()
                    .next()
                    .and_then(Result::ok)
                    .map(|r| r.iter().map(String::from).collect())
                    .unwrap_or_default()
            })
            .collect();
        let mut out = String::with_capacity(entities * 63 * 45);
        out.push_str("Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\n");
        for e in 0..entities {
            let factor = 1 + (e % 7) as u64;
            for r in &rows {
                let (code, kind, period, value) = (&r[0], &r[3], &r[4], &r[5]);
                let value = match (kind.as_str(), value.parse::<f64>()) {
                    ("count" | "money", Ok(v)) => baocao::vn::format_number(v * factor as f64, 0),
                    (_, Ok(v)) => baocao::vn::format_number(v, 2),
                    _ => format!("\"{value}\""),
                };
                out.push_str(&format!("{code},Xã {e:05},{period},{value}\n"));
            }
        }
        out
    }

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
        let dataset = baocao::model::Dataset {
            files: vec![read.source],
            observations: read.observations,
        };
        g.throughput(criterion::Throughput::Elements(
            dataset.observations.len() as u64
        ));
        g.bench_function("check", |b| {
            b.iter(|| baocao::check::check(black_box(&dataset), &catalog))
        });
        g.finish();
    }

    criterion_group!(benches, report, ingest);
}
