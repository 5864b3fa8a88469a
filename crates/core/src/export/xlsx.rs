//! Workbooks the user downloads: the findings, and a blank input template for
//! the current catalogue that the reader takes back as it is. Written with
//! rust_xlsxwriter; cells are written as strings or numbers, never as
//! formulas, so no cell text can run in the user's spreadsheet.

use super::{findings, TemplateRow};
use crate::catalog::{Catalog, Indicator, Kind, RankOf};
use crate::model::{Lang, Period};
use crate::vn::format_number;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, Format, Workbook,
    Worksheet, XlsxError,
};

/// Excel's last row index (0-based): rows past it cannot be written.
const LAST_ROW: u32 = 1_048_575;

/// The most characters Excel holds in one cell, counted in UTF-16 units.
const CELL_UNITS: usize = 32_767;

/// `text` cut to what one cell holds, ending in "…" when cut, so that one
/// long cell never costs the whole workbook.
fn cell_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= CELL_UNITS || text.encode_utf16().count() <= CELL_UNITS {
        return text.into();
    }
    let mut cut = String::new();
    let mut units = 0;
    for c in text.chars() {
        units += c.len_utf16();
        // One unit is kept for the ellipsis.
        if units > CELL_UNITS - 1 {
            break;
        }
        cut.push(c);
    }
    cut.push('…');
    cut.into()
}

fn bold() -> Format {
    Format::new().set_bold().set_text_wrap()
}

fn header_row(sheet: &mut Worksheet, titles: &[&str], widths: &[f64]) -> Result<(), XlsxError> {
    let bold = bold();
    for (col, (title, width)) in titles.iter().zip(widths).enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *title, &bold)?;
        sheet.set_column_width(col, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    // Printed, as offices do: A4 landscape, every column on the page, the
    // header row on every page.
    sheet
        .set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_repeat_rows(0, 0)?;
    Ok(())
}

fn message(e: XlsxError) -> String {
    format!("Không tạo được tệp XLSX: {e}")
}

/// The findings as a workbook: one sheet, a row per finding (as
/// [`findings::row`] makes them), filterable.
pub fn findings_xlsx(rows: &[[String; 9]], lang: Lang) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    let title = match lang {
        Lang::Vi => "Các vấn đề trong số liệu",
        Lang::En => "Problems in the data",
    };
    book.set_properties(&DocProperties::new().set_title(title));
    let sheet = book.add_worksheet();
    sheet
        .set_name(match lang {
            Lang::Vi => "Vấn đề",
            Lang::En => "Problems",
        })
        .map_err(message)?;
    let titles = findings::header(lang);
    header_row(
        sheet,
        &titles,
        &[9.0, 24.0, 24.0, 12.0, 7.0, 6.0, 12.0, 80.0, 40.0],
    )
    .map_err(message)?;
    let mut last = 0;
    for (i, row) in rows.iter().enumerate() {
        let Some(r) = u32::try_from(i + 1).ok().filter(|&r| r < LAST_ROW) else {
            let note = match lang {
                Lang::Vi => format!("… và {} vấn đề nữa (tải CSV để có đủ)", rows.len() - i),
                Lang::En => format!("… and {} more (download the CSV for all)", rows.len() - i),
            };
            sheet.write_string(LAST_ROW, 0, note).map_err(message)?;
            break;
        };
        for (col, text) in row.iter().enumerate() {
            let col = col as u16;
            match (col, text.parse::<u32>()) {
                // The row number stays a number, so the sheet sorts by it.
                (4, Ok(n)) => sheet.write_number(r, col, n).map(|_| ()),
                _ if text.is_empty() => Ok(()),
                _ => sheet.write_string(r, col, cell_text(text)).map(|_| ()),
            }
            .map_err(message)?;
        }
        last = r;
    }
    sheet
        .autofilter(0, 0, last, titles.len() as u16 - 1)
        .map_err(message)?;
    book.save_to_buffer().map_err(message)
}

/// A long-shape workbook with a row per figure, the value column left for the
/// user (or filled by `value`, which the round-trip test uses), each value cell
/// carrying a validation from the catalogue (whole counts, 0–100 % …) that
/// warns in Excel but does not refuse: the page's checks stay the authority.
/// A second sheet lists the catalogue.
pub fn input_template_xlsx(
    rows: &[TemplateRow],
    catalog: &Catalog,
    value: impl Fn(&TemplateRow) -> Option<f64>,
) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    book.set_properties(&DocProperties::new().set_title("Mẫu nhập số liệu chỉ tiêu"));
    let sheet = book.add_worksheet();
    sheet.set_name("Số liệu").map_err(message)?;
    header_row(
        sheet,
        &[
            "Mã chỉ tiêu",
            "Tên chỉ tiêu",
            "Đơn vị tính",
            "Kỳ",
            "Giá trị",
        ],
        &[28.0, 60.0, 14.0, 12.0, 14.0],
    )
    .map_err(message)?;
    let input = Format::new().set_background_color("#FFF8DC");
    sheet.set_column_format(4, &input).map_err(message)?;
    for (i, row) in rows.iter().enumerate() {
        let Some(r) = u32::try_from(i + 1).ok().filter(|&r| r < LAST_ROW) else {
            break;
        };
        let indicator = catalog.get(&row.code);
        sheet
            .write_string(r, 0, cell_text(&row.code))
            .map_err(message)?;
        if let Some(ind) = indicator {
            sheet
                .write_string(r, 1, cell_text(&ind.name))
                .map_err(message)?;
            sheet
                .write_string(r, 2, cell_text(&ind.unit))
                .map_err(message)?;
        }
        // Text, so Excel keeps "2016-2020" and "Quý I/2021" as written.
        sheet
            .write_string(r, 3, cell_text(&row.period))
            .map_err(message)?;
        if let Some(v) = value(row) {
            sheet
                .write_number_with_format(r, 4, v, &input)
                .map_err(message)?;
        }
        if let Some(rule) = indicator.and_then(|ind| validation(ind, &row.period)) {
            sheet
                .add_data_validation(r, 4, r, 4, &rule)
                .map_err(message)?;
        }
    }
    catalogue_sheet(book.add_worksheet(), catalog).map_err(message)?;
    book.save_to_buffer().map_err(message)
}

/// The catalogue's bounds for a value of `ind` in `period`, as an Excel validation.
fn validation(ind: &Indicator, period: &str) -> Option<DataValidation> {
    let year = crate::model::Period::parse(period).map(|p: Period| p.end_year());
    let mut min: Option<f64> = None;
    let mut max: Option<f64> = None;
    // Without a period, only bounds that hold for every period.
    for range in &ind.range {
        let applies = match year {
            Some(y) => range.applies_to(y),
            None => range.from.is_none() && range.until.is_none(),
        };
        if applies {
            if let Some(m) = range.min {
                min = Some(min.map_or(m, |x: f64| x.max(m)));
            }
            if let Some(m) = range.max {
                max = Some(max.map_or(m, |x: f64| x.min(m)));
            }
        }
    }
    let whole = match ind.kind {
        Kind::Count => {
            min = Some(min.unwrap_or(0.0).max(0.0));
            true
        }
        Kind::Rank => {
            min = Some(min.unwrap_or(1.0).max(1.0));
            if let Some(RankOf::Fixed(n)) = &ind.rank_of {
                max = Some(max.map_or(f64::from(*n), |m| m.min(f64::from(*n))));
            }
            true
        }
        Kind::Percent => {
            min = Some(min.unwrap_or(0.0).max(0.0));
            max = Some(max.unwrap_or(100.0).min(100.0));
            false
        }
        Kind::Text => return None,
        Kind::Score | Kind::Money => false,
    };
    let (lo, hi) = (min.unwrap_or(f64::MIN), max.unwrap_or(f64::MAX));
    let shown = |v: Option<f64>, open: &str| v.map_or(open.to_string(), |v| format_number(v, 2));
    let hint = format!(
        "{}{} từ {} đến {}",
        if whole { "Số nguyên" } else { "Số" },
        if ind.unit.is_empty() {
            String::new()
        } else {
            format!(" ({})", ind.unit)
        },
        shown(min, "−∞"),
        shown(max, "+∞")
    );
    let rule = if whole {
        let clamp = |v: f64| v.clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32;
        DataValidation::new().allow_whole_number(DataValidationRule::Between(clamp(lo), clamp(hi)))
    } else {
        DataValidation::new().allow_decimal_number(DataValidationRule::Between(lo, hi))
    };
    rule.set_error_style(DataValidationErrorStyle::Warning)
        .set_input_message(&hint)
        .ok()?
        .set_error_message(format!("Giá trị ngoài khoảng cho phép: {hint}"))
        .ok()
}

fn catalogue_sheet(sheet: &mut Worksheet, catalog: &Catalog) -> Result<(), XlsxError> {
    sheet.set_name("Danh mục")?;
    header_row(
        sheet,
        &[
            "Mã chỉ tiêu",
            "Tên chỉ tiêu",
            "Đơn vị tính",
            "Loại",
            "Kỳ bắt buộc",
        ],
        &[28.0, 60.0, 14.0, 12.0, 24.0],
    )?;
    for (i, ind) in catalog.indicators.iter().enumerate() {
        let Some(r) = u32::try_from(i + 1).ok().filter(|&r| r < LAST_ROW) else {
            break;
        };
        let kind = match ind.kind {
            Kind::Count => "số lượng",
            Kind::Percent => "tỷ lệ %",
            Kind::Rank => "thứ hạng",
            Kind::Score => "điểm",
            Kind::Money => "tiền",
            Kind::Text => "văn bản",
        };
        sheet.write_string(r, 0, cell_text(&ind.code))?;
        sheet.write_string(r, 1, cell_text(&ind.name))?;
        sheet.write_string(r, 2, cell_text(&ind.unit))?;
        sheet.write_string(r, 3, cell_text(kind))?;
        sheet.write_string(r, 4, cell_text(&ind.required_periods.join(", ")))?;
    }
    sheet.protect();
    Ok(())
}
