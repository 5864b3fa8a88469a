//! The workbooks the page offers for download, read back as a user's
//! spreadsheet would read them.

mod common;

use baocao::export::xlsx::{findings_xlsx, input_template_xlsx};
use baocao::model::{Lang, Severity};
use baocao::workspace::Workspace;
use calamine::{Data, Reader, Xlsx};
use common::{errors, file, workspace_with};
use std::io::Cursor;

fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a workbook");
    let range = book.worksheet_range(name).expect("the sheet");
    range.rows().map(<[Data]>::to_vec).collect()
}

/// The reference figure of the report's own agency for a template row.
fn reference_value(ws: &Workspace, code: &str, period: &str) -> Option<f64> {
    ws.dataset()
        .observations()
        .find(|o| o.entity().is_none() && o.indicator == code && o.period.to_string() == period)
        .and_then(|o| o.value.number())
}

#[test]
fn a_template_filled_with_the_reference_figures_reads_back_without_errors() {
    let sample = Workspace::sample();
    let rows = sample.input_template_rows();
    assert!(rows.len() > 40, "one row per cited figure: {}", rows.len());
    let bytes = input_template_xlsx(&rows, &sample.catalog, |r| {
        reference_value(&sample, &r.code, &r.period)
    })
    .unwrap();
    let ws = workspace_with(vec![file("mau-nhap-so-lieu.xlsx", bytes)]);
    let errors = errors(&ws);
    assert!(errors.is_empty(), "{errors:#?}");
    let mut filled = 0;
    for row in &rows {
        let Some(expected) = reference_value(&sample, &row.code, &row.period) else {
            continue;
        };
        filled += 1;
        let got = reference_value(&ws, &row.code, &row.period);
        assert_eq!(got, Some(expected), "{} {}", row.code, row.period);
    }
    assert!(filled > 40, "{filled}");
    assert!(ws.document().is_some(), "{:?}", ws.template_error());
}

#[test]
fn a_blank_template_names_every_figure_and_bounds_its_value() {
    let ws = Workspace::sample();
    let bytes = ws.input_template_xlsx().unwrap();
    let rows = sheet(&bytes, "Số liệu");
    assert_eq!(
        rows[0].iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "Mã chỉ tiêu",
            "Tên chỉ tiêu",
            "Đơn vị tính",
            "Kỳ",
            "Giá trị"
        ]
    );
    let cbcc = rows
        .iter()
        .find(|r| r[0] == "CBCC_XA")
        .expect("a row for CBCC_XA");
    assert!(!cbcc[1].to_string().is_empty(), "the catalogue name");
    assert!(
        matches!(cbcc[3], Data::String(_)),
        "periods are text: {:?}",
        cbcc[3]
    );
    assert!(matches!(cbcc.get(4), None | Some(Data::Empty)));
    // Each count's value cell warns on a negative or fractional number.
    let sheet_xml = {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.clone())).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut text,
        )
        .unwrap();
        text
    };
    assert!(sheet_xml.contains(r#"type="whole""#), "{sheet_xml}");
    assert!(sheet_xml.contains(r#"errorStyle="warning""#));
    let catalogue = sheet(&bytes, "Danh mục");
    assert_eq!(catalogue.len(), ws.catalog.indicators.len() + 1);
    // Dropped back blank: a warning per empty value and for each figure the
    // report misses; the catalogue sheet is only info; no error, no figure.
    let back = workspace_with(vec![file("mau.xlsx", bytes)]);
    assert!(back.dataset().is_empty());
    for f in back.findings() {
        match f.rule.as_str() {
            "read.empty-value" | "report.missing-figure" => {
                assert_eq!(f.severity, Severity::Warning)
            }
            "read.unknown-shape" => assert_eq!(f.severity, Severity::Info, "{}", f.message_vi),
            _ => panic!("unexpected {f:?}"),
        }
    }
}

#[test]
fn findings_download_as_a_workbook_with_text_never_run_as_formula() {
    let ws = workspace_with(vec![file(
        "x.csv",
        "code,period,value\n=cmd|calc,2020,1\nCBCC_XA,2020,abc\n",
    )]);
    assert!(ws.findings().len() >= 2);
    for lang in [Lang::Vi, Lang::En] {
        let rows: Vec<_> = ws
            .findings()
            .iter()
            .map(|f| baocao::export::findings::row(f, ws.dataset(), &ws.catalog, lang))
            .collect();
        let bytes = findings_xlsx(&rows, lang).unwrap();
        let name = if lang == Lang::Vi {
            "Vấn đề"
        } else {
            "Problems"
        };
        let rows = sheet(&bytes, name);
        assert_eq!(rows.len(), ws.findings().len() + 1);
        let formula = rows
            .iter()
            .flatten()
            .find(|c| c.to_string().starts_with("=cmd"))
            .expect("the cell text is kept");
        assert!(matches!(formula, Data::String(_)));
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let formulas = book.worksheet_formula(name).unwrap();
        assert!(formulas.used_cells().next().is_none(), "no formulas");
        let unreadable = rows
            .iter()
            .find(|r| r[1].to_string().ends_with("(read.unreadable-value)"))
            .expect("the unreadable value");
        // Named for a person, the id after it; the severity in words.
        assert!(!unreadable[1].to_string().starts_with("read."));
        assert!(matches!(
            unreadable[0].to_string().as_str(),
            "Lỗi" | "Error"
        ));
        assert_eq!(unreadable[4], Data::Float(3.0), "row number as a number");
        assert_eq!(unreadable[6].to_string(), "abc");
    }
}
