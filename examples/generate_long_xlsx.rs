//! Writes the long benchmark table as an XLSX workbook, its figures as
//! numbers: 300,000 rows by default (4,762 reporting entities × 63), for
//! bench/sheetjs.mjs. The entity count may be given after the path.
//!   cargo run --release --example generate_long_xlsx -- bench/out/long-300k.xlsx [4762]
include!("../bench/long_csv.rs");

fn main() -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "bench/out/long-300k.xlsx".into());
    let entities = args.next().and_then(|n| n.parse().ok()).unwrap_or(4_762);
    let csv = generate_long_csv(entities);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let mut rows = 0u32;
    for (r, record) in csv::Reader::from_reader(csv.as_bytes())
        .records()
        .filter_map(Result::ok)
        .enumerate()
    {
        let r = r as u32 + 1;
        for (c, field) in record.iter().enumerate() {
            let c = c as u16;
            // "1.234,5" → 1234.5: a figure is a number cell, as in a real book.
            let number = field.replace('.', "").replace(',', ".").parse::<f64>();
            match (c, number) {
                (3, Ok(v)) => sheet.write_number(r, c, v)?,
                _ => sheet.write_string(r, c, field)?,
            };
        }
        rows = r;
    }
    for (c, title) in ["Mã chỉ tiêu", "Đơn vị báo cáo", "Kỳ", "Giá trị"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *title)?;
    }
    if let Some(dir) = std::path::Path::new(&path).parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    book.save(&path)?;
    println!("{path}: {rows} rows");
    Ok(())
}
