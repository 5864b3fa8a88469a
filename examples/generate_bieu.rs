//! Writes a biểu of every commune of the country: 10,000 rows, 40 columns
//! (a total, its split by sex, then twelve groups of three), a two-row merged
//! header, a column-number row, a "Tổng cộng" row, a note and signatures.
//! For `./dev bench` (bench/page.mjs drops it on the page); the row and
//! group counts may be given after the path.
//!   cargo run --release --example generate_bieu -- bench/out/bieu-10k.xlsx [10000 12]
#[path = "../tests/common/bieu_book.rs"]
mod bieu_book;

fn main() -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "bench/out/bieu-10k.xlsx".into());
    let units = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let groups = args.next().and_then(|a| a.parse().ok()).unwrap_or(12);
    bieu_book::bieu_book(units, groups)?.save(&path)?;
    println!("{path}");
    Ok(())
}
