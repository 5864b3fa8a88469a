//! Tables in the report: a biểu dropped alone gets a report written from
//! it, with its table (merged header, column numbers, total row) and a
//! sentence per total; `bang(...)`, `so_bieu` and `ty_le_bieu` in a
//! template; tables in the DOCX (repeated header rows, landscape sections,
//! page numbers running on).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use baocao::export::docx::{write_docx, DocxInfo};
use baocao::report::document::{Block, FigureStatus};
use baocao::report::layout::Layout;
use baocao::report::table::RowKind;
use baocao::workspace::Workspace;
use common::file;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/bieu/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn bieu_alone(name: &str) -> Workspace {
    let mut ws = Workspace::sample();
    ws.add_files(vec![file(name, fixture(name))]);
    ws
}

fn first_table(doc: &baocao::report::document::Document) -> &baocao::report::table::Table {
    doc.blocks
        .iter()
        .find_map(|b| match b {
            Block::Table(t) => Some(&**t),
            _ => None,
        })
        .expect("a table in the report")
}

fn docx_part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut out).unwrap();
    out
}

#[test]
fn a_bieu_dropped_alone_gets_a_report_with_its_table_and_sentences() {
    let ws = bieu_alone("bieu-cbcc-huyen.xlsx");
    assert!(ws.template_error().is_none(), "{:?}", ws.template_error());
    assert_ne!(
        ws.template_text,
        baocao::report::template::Template::builtin_text()
    );
    let missing: Vec<_> = ws
        .findings()
        .iter()
        .filter(|f| f.rule == "report.missing-figure")
        .map(|f| f.message_vi.clone())
        .collect();
    assert!(missing.is_empty(), "{missing:?}");
    let doc = ws.document().unwrap();
    let text = doc.plain_text();
    println!("{}", ws.template_text);
    println!("{text}");
    let table = first_table(doc);
    assert!(table.title.contains("CÁN BỘ"), "{}", table.title);
    assert_eq!(table.head.len(), 2, "a two-row merged header");
    assert!(!table.numbers.is_empty(), "the column-number row");
    assert_eq!(table.rows.last().unwrap().kind, RowKind::Total);
    assert!(doc
        .figures
        .iter()
        .all(|f| f.status != FigureStatus::Missing));
    assert!(text.contains("trong đó nam 942"), "{text}");
}

#[test]
fn a_wide_bieu_goes_on_a_landscape_section_with_its_header_repeated() {
    let mut ws = Workspace::sample();
    ws.add_files(vec![file("bieu-xa.xlsx", common::bieu_xlsx(60, 12))]);
    assert!(ws.template_error().is_none(), "{:?}", ws.template_error());
    let doc = ws.document().unwrap();
    let bytes = write_docx(doc, &Layout::default(), &DocxInfo::default(), &[]).unwrap();
    let xml = docx_part(&bytes, "word/document.xml");
    // Portrait, then the table's landscape section, then portrait for the
    // signature: three sections, none restarting the page numbers.
    assert_eq!(xml.matches("<w:sectPr>").count(), 3, "three sections");
    assert_eq!(xml.matches("w:orient=\"landscape\"").count(), 1);
    assert!(!xml.contains("w:pgNumType"), "page numbers run on");
    assert_eq!(
        xml.matches("<w:titlePg/>").count(),
        1,
        "only page 1 is unnumbered"
    );
    // 40 columns do not fit one landscape page: three tables, each
    // repeating its two header rows and its column-number row on every page.
    let tables: Vec<_> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 3);
    assert!(tables[1].title.ends_with("(tiếp theo)"));
    assert!(tables
        .iter()
        .all(|t| t.rows.len() == 61 && t.head[0][1].text == "Tên đơn vị"));
    assert_eq!(xml.matches("<w:tblHeader/>").count(), 9);
    assert!(xml.contains("<w:vMerge w:val=\"restart\"/>") && xml.contains("<w:vMerge/>"));
    assert!(
        xml.contains("<w:gridSpan w:val=\"3\"/>"),
        "a group over three columns"
    );
    // The total row's figure (Σ Nam over 60 communes).
    let nam: u32 = (0..60).map(|u| 10 + u % 17).sum();
    let shown = baocao::vn::format_number(f64::from(nam), 0);
    assert!(xml.contains(&format!(">{shown}<")), "{shown}");
}

#[test]
fn a_narrow_table_stays_portrait_and_a_long_bieu_is_cut_with_a_note() {
    let mut ws = Workspace::sample();
    ws.add_files(vec![file("bieu-dai.xlsx", common::bieu_xlsx(3_000, 0))]);
    ws.set_template("{{ bang(1) }}".into());
    let doc = ws.document().unwrap();
    let table = first_table(doc);
    assert!(!table.needs_landscape(165.0));
    // The first rows, and the total at the bottom.
    assert_eq!(table.rows.len(), baocao::model::TableHeader::MAX_ROWS + 1);
    assert_eq!(table.rows.last().unwrap().kind, RowKind::Total);
    assert!(table.note.contains("3.001 dòng"), "{}", table.note);
    let bytes = write_docx(doc, &Layout::default(), &DocxInfo::default(), &[]).unwrap();
    let xml = docx_part(&bytes, "word/document.xml");
    assert_eq!(xml.matches("<w:sectPr>").count(), 1);
}

fn render(
    body: &str,
) -> (
    baocao::report::document::Document,
    Vec<baocao::model::Finding>,
) {
    let mut ws = Workspace::sample();
    ws.add_files(vec![file(
        "bieu-cbcc-huyen.xlsx",
        fixture("bieu-cbcc-huyen.xlsx"),
    )]);
    ws.set_template(format!(
        "+++\ntitle = \"BÁO CÁO\"\nyear = 2021\n+++\n{body}"
    ));
    assert!(ws.template_error().is_none(), "{:?}", ws.template_error());
    let findings = ws
        .findings()
        .iter()
        .filter(|f| f.rule.starts_with("report."))
        .cloned()
        .collect();
    (ws.document().map(|d| (**d).clone()).unwrap(), findings)
}

#[test]
fn template_functions_cite_cells_of_a_bieu_with_their_provenance() {
    let (doc, findings) = render(
        "Yên Thế: {{ so_bieu(1, \"Huyện Yên Thế\", \"Nữ\") }}; cột 3 tổng: {{ so_bieu(\"cấp huyện\", \"tong\", \"3\") }}; \
         tỷ lệ {{ ty_le_bieu(1, \"Tổng cộng\", \"Nữ\", \"Tổng số cán bộ, công chức\") }}; \
         thiếu {{ so_bieu(1, \"Huyện Không Có\", \"Nữ\") }}.",
    );
    let text = doc.plain_text();
    assert!(text.contains("Yên Thế: 52;"), "{text}");
    assert!(text.contains("cột 3 tổng: 636;"), "{text}");
    assert!(text.contains("tỷ lệ 40,3%"), "{text}");
    assert!(text.contains("[thiếu số liệu"), "{text}");
    assert_eq!(findings.len(), 1, "{findings:?}");
    let yen_the = &doc.figures[0];
    assert_eq!(yen_the.sources.len(), 1);
    let ratio = doc.figures.iter().find(|f| f.text == "40,3%").unwrap();
    assert_eq!(ratio.sources.len(), 2, "a share cites both cells");
}

#[test]
fn tables_by_units_and_by_periods_come_from_the_data() {
    let (doc, _) = render(
        "{{ bang(chi_tieu=[\"Chia theo giới tính › Nam\", \"Chia theo giới tính › Nữ\"], ky=2020, theo=\"don_vi\", tieu_de=\"Theo giới tính\") }}",
    );
    let Some(Block::Table(t)) = doc.blocks.first() else {
        panic!("{:?}", doc.blocks)
    };
    assert_eq!(t.title, "Theo giới tính");
    assert_eq!(t.rows.len(), 11, "one row per district, and the total");
    assert_eq!(t.rows[10].kind, RowKind::Total);
    let text = doc.plain_text();
    assert!(text.contains("Huyện Yên Thế\t80\t52"), "{text}");

    let mut ws = Workspace::sample();
    ws.set_template(
        "{{ bang(chi_tieu=[\"CBCC_XA\", \"CB_CHUYEN_TRACH_XA\"], ky=[2015, 2020]) }}".into(),
    );
    let doc = ws.document().unwrap();
    let Some(Block::Table(t)) = doc.blocks.first() else {
        panic!()
    };
    assert_eq!(t.head[0].len(), 4, "STT, Chỉ tiêu, Năm 2015, Năm 2020");
    assert_eq!(t.head[0][2].text, "Năm 2015");
    assert_eq!(t.rows.len(), 2);
}

#[test]
fn a_template_that_asks_for_too_many_cells_is_stopped_with_a_message() {
    let mut ws = Workspace::sample();
    ws.add_files(vec![file("bieu-xa.xlsx", common::bieu_xlsx(500, 12))]);
    ws.set_template("{% for i in range(100) %}{{ bang(1) }}{% endfor %}".into());
    let e = ws.template_error().expect("refused");
    assert!(e.message.contains("vượt quá"), "{e}");
}

#[test]
fn the_starter_template_for_the_samples_catalogue_renders_without_errors() {
    let mut ws = Workspace::sample();
    let starter = ws.starter_template();
    assert!(starter.contains("bang(chi_tieu=["), "{starter}");
    ws.set_template(starter);
    assert!(ws.template_error().is_none(), "{:?}", ws.template_error());
    let missing = ws
        .findings()
        .iter()
        .filter(|f| f.rule == "report.missing-figure")
        .count();
    assert_eq!(missing, 0);
    let doc = ws.document().unwrap();
    assert!(doc.blocks.iter().any(|b| matches!(b, Block::Table(_))));
    assert!(doc.plain_text().contains(", gồm: "), "a sentence per sum");
}

#[test]
fn hostile_header_texts_stay_text_in_the_starter_and_the_docx() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "BIỂU {{ 1/0 }} & <w:p> \"NĂM 2020\" {% raw %}")
        .unwrap();
    for (c, h) in ["STT", "Đơn vị", "Tổng {{x}} (người)", "Nam & <Nữ>\u{1}"]
        .iter()
        .enumerate()
    {
        s.write_string(2, c as u16, *h).unwrap();
    }
    for r in 0..3u32 {
        s.write_number(3 + r, 0, f64::from(r + 1)).unwrap();
        s.write_string(3 + r, 1, format!("Xã <{r}> & \"{{{{\""))
            .unwrap();
        s.write_number(3 + r, 2, 10.0).unwrap();
        s.write_number(3 + r, 3, 4.0).unwrap();
    }
    s.write_string(6, 1, "Tổng cộng").unwrap();
    s.write_number(6, 2, 30.0).unwrap();
    s.write_number(6, 3, 12.0).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let mut ws = Workspace::sample();
    ws.add_files(vec![file("x.xlsx", bytes)]);
    assert!(
        ws.template_error().is_none(),
        "{:?}\n{}",
        ws.template_error(),
        ws.template_text
    );
    let doc = ws.document().unwrap();
    assert!(
        doc.plain_text().contains("Xã <1> & \"{{\""),
        "{}",
        doc.plain_text()
    );
    let bytes = write_docx(doc, &Layout::default(), &DocxInfo::default(), &[]).unwrap();
    let xml = docx_part(&bytes, "word/document.xml");
    assert!(xml.contains("Xã &lt;1&gt; &amp;"));
}

#[test]
fn the_written_template_follows_the_data_until_the_user_edits_it() {
    let mut ws = bieu_alone("bieu-cbcc-huyen.xlsx");
    assert_eq!(ws.template_text.matches("bang(").count(), 1);
    // A second biểu: the page's own template gains its section.
    ws.add_files(vec![file("xa.xlsx", common::bieu_xlsx(5, 1))]);
    assert_eq!(
        ws.template_text.matches("bang(").count(),
        2,
        "{}",
        ws.template_text
    );
    // Once edited, it is the user's: another file leaves it be.
    let edited = ws.template_text.replace("xin báo cáo", "kính báo cáo");
    ws.set_template(edited.clone());
    ws.add_files(vec![file("xa2.xlsx", common::bieu_xlsx(6, 1))]);
    assert_eq!(ws.template_text, edited);
}

#[test]
fn a_bieu_of_many_units_is_summed_up_in_the_written_template() {
    let mut ws = Workspace::sample();
    ws.add_files(vec![file("xa.xlsx", common::bieu_xlsx(400, 1))]);
    assert!(ws.template_text.contains("bang(1, tong_hop=true)"));
    let doc = ws.document().unwrap();
    let table = first_table(doc);
    assert_eq!(table.rows.len(), 1, "the total alone");
    assert_eq!(table.rows[0].kind, RowKind::Total);
    assert!(table.note.contains("400 đơn vị"), "{}", table.note);
}

#[test]
fn figures_of_units_alone_get_a_report_of_their_charts() {
    // A long file of communes' figures: no biểu, none of the agency's own.
    let mut csv = String::from("code,period,value,entity\n");
    for e in 1..=20 {
        for (code, v) in [("CBCC_XA", 40 + e), ("CONG_CHUC_XA", 20 + e)] {
            csv.push_str(&format!("{code},2020,{v},Xã {e}\n"));
        }
    }
    let mut ws = Workspace::sample();
    ws.add_files(vec![file("xa.csv", csv.into_bytes())]);
    let starter = ws.template_text.clone();
    assert!(!starter.contains("Chưa có số liệu"), "{starter}");
    assert!(starter.contains("bieu_do("), "{starter}");
    assert!(ws.template_error().is_none(), "{:?}", ws.template_error());
    let doc = ws.document().unwrap();
    let charts = doc
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Chart { .. }))
        .count();
    assert!(charts >= 2, "a chart per indicator: {starter}");
}
