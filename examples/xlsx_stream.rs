//! Where an XLSX read's time goes, natively: calamine's open and its cell
//! stream over the first sheet (cells counted, nothing kept), the page's own
//! reader over the same sheet (cells kept as sheet rows), the zip's inflate
//! alone; then baocao's whole read of the same file. Median of five.
//!   cargo run --release --example xlsx_stream -- bench/out/bieu-10k.xlsx
use calamine::{Reader, Xlsx};
use std::io::{Cursor, Read};
use std::time::{Duration, Instant};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time(mut f: impl FnMut()) -> Duration {
    median(
        (0..5)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("give an .xlsx file")?;
    let bytes = std::fs::read(&path)?;
    let mut cells = 0usize;
    let stream = time(|| {
        let Ok(mut book) = Xlsx::new(Cursor::new(&bytes[..])) else {
            return;
        };
        let Some(name) = book.sheet_names().first().cloned() else {
            return;
        };
        let Ok(mut reader) = book.worksheet_cells_reader(&name) else {
            return;
        };
        cells = 0;
        while let Ok(Some(cell)) = reader.next_cell() {
            std::hint::black_box(&cell);
            cells += 1;
        }
    });
    let mut unpacked = 0usize;
    let inflate = time(|| {
        let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(&bytes[..])) else {
            return;
        };
        unpacked = 0;
        for i in 0..zip.len() {
            let mut out = Vec::new();
            if let Ok(mut entry) = zip.by_index(i) {
                unpacked += entry.read_to_end(&mut out).unwrap_or(0);
            }
        }
    });
    let own = time(|| {
        std::hint::black_box(baocao::ingest::spreadsheet::sheet_rows(&bytes, 0, 1, 0));
    });
    let catalog = baocao::catalog::Catalog::builtin();
    let whole = time(|| {
        let read = baocao::ingest::read_file(
            &path,
            &bytes,
            &catalog,
            0,
            &Default::default(),
            Default::default(),
        );
        std::hint::black_box(read);
    });
    println!(
        "calamine open + cell stream: {stream:?} for {cells} cells ({:.0} ns a cell)",
        stream.as_nanos() as f64 / cells.max(1) as f64
    );
    println!(
        "the page's reader, cells into sheet rows: {own:?} ({:.0} ns a cell; {:.1}× calamine's stream)",
        own.as_nanos() as f64 / cells.max(1) as f64,
        stream.as_secs_f64() / own.as_secs_f64()
    );
    println!("inflate alone: {inflate:?} for {unpacked} bytes");
    println!("baocao read_file (stream + sheet rows + shape + biểu): {whole:?}");
    Ok(())
}
