//! A biểu workbook as a ministry sends it: `units` communes, a total, its
//! split by sex, then `groups` groups of three, under a two-row merged
//! header with a column-number row, a "Tổng cộng" row, a note and
//! signatures. Shared by the tests and `examples/generate_bieu.rs`.
use rust_xlsxwriter::{Format, Workbook, XlsxError};

pub fn bieu_book(units: u32, groups: u16) -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    sheet.write_string(0, 0, "BỘ NỘI VỤ")?;
    sheet.write_string(2, 0, "Biểu số 02/BNV")?;
    sheet.write_string_with_format(3, 0, "SỐ LƯỢNG CÁN BỘ, CÔNG CHỨC CẤP XÃ NĂM 2025", &bold)?;
    let (top, sub, numbers) = (5, 6, 7);
    sheet.merge_range(top, 0, sub, 0, "STT", &bold)?;
    sheet.merge_range(top, 1, sub, 1, "Tên đơn vị", &bold)?;
    sheet.merge_range(top, 2, sub, 2, "Tổng số (người)", &bold)?;
    sheet.merge_range(top, 3, top, 4, "Chia theo giới tính", &bold)?;
    sheet.write_string(sub, 3, "Nam")?;
    sheet.write_string(sub, 4, "Nữ")?;
    for g in 0..groups {
        let c = 5 + 3 * g;
        sheet.merge_range(top, c, top, c + 2, &format!("Nhóm {}", g + 1), &bold)?;
        for (k, name) in ["Loại A", "Loại B", "Loại C"].iter().enumerate() {
            sheet.write_string(sub, c + k as u16, *name)?;
        }
    }
    sheet.write_string(numbers, 0, "A")?;
    sheet.write_string(numbers, 1, "B")?;
    sheet.write_string(numbers, 2, "1=2+3")?;
    for c in 3..(5 + 3 * groups) {
        sheet.write_string(numbers, c, (c - 1).to_string())?;
    }
    let mut totals = vec![0.0; 3 + 3 * groups as usize];
    for u in 0..units {
        let r = numbers + 1 + u;
        let (nam, nu) = (f64::from(10 + u % 17), f64::from(8 + u % 13));
        let mut values = vec![nam + nu, nam, nu];
        for g in 0..groups {
            let g = f64::from(g);
            values.extend([f64::from(u % 7) + g, f64::from(u % 5) + g, f64::from(u % 3)]);
        }
        sheet.write_number(r, 0, f64::from(u + 1))?;
        sheet.write_string(r, 1, format!("Xã {} tỉnh {}", u + 1, u / 300 + 1))?;
        for (k, v) in values.iter().enumerate() {
            sheet.write_number(r, 2 + k as u16, *v)?;
            totals[k] += v;
        }
    }
    let r = numbers + 1 + units;
    sheet.write_string(r, 1, "Tổng cộng")?;
    for (k, v) in totals.iter().enumerate() {
        sheet.write_number(r, 2 + k as u16, *v)?;
    }
    sheet.write_string(r + 2, 0, "Ghi chú: số liệu tính đến ngày 31/12/2025.")?;
    sheet.write_string(r + 4, 1, "NGƯỜI LẬP BIỂU")?;
    Ok(book)
}
