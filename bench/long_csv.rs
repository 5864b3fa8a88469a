// The 1M-row generator, included by examples/generate_long_csv.rs and benches/core.rs.

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
                                // "97,4": the decimal comma needs quotes in a comma-separated file.
                (_, Ok(v)) => format!("\"{}\"", baocao::vn::format_number(v, 2)),
                _ => format!("\"{value}\""),
            };
            out.push_str(&format!("{code},Xã {e:05},{period},{value}\n"));
        }
    }
    out
}

