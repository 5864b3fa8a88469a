//! The report: the built-in template fed the reference data reads as the seed,
//! sentence by sentence; another province's data leave no trace of Bắc Giang's.
#![cfg(not(target_arch = "wasm32"))]
mod common;
use baocao::export::docx::{write_docx, DocxInfo};
use baocao::report::document::FigureStatus;
use baocao::report::layout::Layout;
use common::*;
use std::io::Read;

const SEED: &str = include_str!("fixtures/seed-report-nq05-bac-giang-2021.txt");
const SUPERSCRIPTS: &[char] = &['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/// Body sentences and footnote lines of a text laid out one paragraph a line.
fn split(text: &str) -> (Vec<String>, Vec<String>) {
    let mut body = String::new();
    let mut notes = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with(SUPERSCRIPTS) {
            notes.push(line.to_string());
        } else {
            body.push_str(line);
            body.push(' ');
        }
    }
    let body: String = body
        .replace('*', "")
        .chars()
        .filter(|c| !SUPERSCRIPTS.contains(c))
        .collect();
    let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut sentences = Vec::new();
    let mut current = String::new();
    for word in body.split(' ') {
        current.push_str(word);
        if word.ends_with(['.', ';', ':']) {
            sentences.push(std::mem::take(&mut current));
        } else {
            current.push(' ');
        }
    }
    if !current.trim().is_empty() {
        sentences.push(current.trim().to_string());
    }
    (sentences, notes)
}

fn seed_body() -> String {
    let start = SEED.find("Thực hiện Chương trình").unwrap();
    let end = SEED.find("trân trọng báo cáo./.").unwrap() + "trân trọng báo cáo./.".len();
    SEED[start..end].to_string()
}

#[test]
fn golden_the_sample_reproduces_the_seed_sentence_by_sentence() {
    let ws = workspace_with(vec![file("ref.csv", REFERENCE_CSV)]);
    assert!(ws.template_error().is_none(), "{:?}", ws.template_error());
    let mut doc = ws.document().map(|d| (**d).clone()).unwrap();
    // The seed has no appendix: compare what comes before the signature.
    let appendix = doc
        .appendix_start
        .expect("the built-in template has a charts appendix");
    let charts: Vec<_> = doc.blocks.split_off(appendix);
    assert_eq!(
        charts
            .iter()
            .filter(|b| matches!(b, baocao::report::document::Block::Chart { .. }))
            .count(),
        7
    );
    let (want, want_notes) = split(&seed_body());
    let (got, got_notes) = split(&doc.plain_text());
    for (i, (w, g)) in want.iter().zip(&got).enumerate() {
        assert_eq!(g, w, "sentence {i} differs");
    }
    assert_eq!(got.len(), want.len());
    assert_eq!(got_notes, want_notes);
    assert_eq!(doc.footnotes.len(), 8);
    // Every figure came from the data.
    assert!(doc.figures.len() > 60, "{}", doc.figures.len());
    assert!(doc
        .figures
        .iter()
        .all(|f| f.status == FigureStatus::Ok && !f.sources.is_empty()));
    // The header block of the seed.
    assert_eq!(
        doc.header.place_and_date(),
        "Bắc Giang, ngày      tháng 7 năm 2021"
    );
    assert_eq!(doc.header.recipients.len(), 4);
}

#[test]
fn another_provinces_figures_replace_every_figure() {
    let csv = reference_with("BIEN_CHE", "2020", "39999");
    let ws = workspace_with(vec![file("khac.csv", csv)]);
    let text = ws.document().unwrap().plain_text();
    assert!(
        text.contains("tổng số biên chế là 39.999 (giảm 4.531 biên chế"),
        "{text}"
    );
    assert!(!text.contains("41.051"));
}

#[test]
fn a_missing_figure_is_a_placeholder_and_a_finding() {
    let csv: String = REFERENCE_CSV
        .lines()
        .filter(|l| !l.starts_with("VIEN_CHUC,"))
        .collect::<Vec<_>>()
        .join("\n");
    let ws = workspace_with(vec![file("thieu.csv", csv)]);
    let text = ws.document().unwrap().plain_text();
    assert!(text.contains("[thiếu số liệu: VIEN_CHUC 2020]"));
    assert!(ws
        .findings()
        .iter()
        .any(|f| f.rule == "report.missing-figure" && f.message_vi.contains("VIEN_CHUC")));
}

#[test]
fn template_errors_name_their_line_and_keep_the_last_document() {
    let mut ws = workspace_with(vec![file("ref.csv", REFERENCE_CSV)]);
    let good = ws.document().cloned();
    let broken = ws.template_text.replace(
        "{{ so(\"VIEN_CHUC\", 2020) }}",
        "{{ so(\"VIEN_CHUC\", 2020) ",
    );
    ws.set_template(broken.clone());
    let err = ws.template_error().expect("an error");
    let line = broken
        .lines()
        .position(|l| l.contains("so(\"VIEN_CHUC\", 2020) "))
        .unwrap()
        + 1;
    assert_eq!(err.line, Some(line), "{err}");
    assert_eq!(ws.document(), good.as_ref());
}

#[test]
fn endless_templates_are_stopped_by_fuel() {
    let mut ws = workspace_with(vec![file("ref.csv", REFERENCE_CSV)]);
    ws.set_template(
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}".into(),
    );
    let err = ws.template_error().expect("stopped");
    assert!(err.message.contains("quá lâu"), "{err}");
}

fn docx_part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut part)
        .unwrap();
    part
}

#[test]
fn the_docx_has_the_figures_footnotes_and_official_page_setup() {
    let ws = workspace_with(vec![file("ref.csv", REFERENCE_CSV)]);
    let bytes = write_docx(
        ws.document().unwrap(),
        &Layout::default(),
        &DocxInfo::default(),
        &[],
    )
    .unwrap();
    let document = docx_part(&bytes, "word/document.xml");
    assert!(document.contains("4.864"));
    assert!(document.contains("Độc lập - Tự do - Hạnh phúc"));
    // A4 and margins 20/20/30/15 mm in twips.
    assert!(
        document.contains(r#"w:w="11906""#) && document.contains(r#"w:h="16838""#),
        "page size"
    );
    assert!(
        document.contains(r#"w:top="1134""#)
            && document.contains(r#"w:left="1701""#)
            && document.contains(r#"w:right="850""#)
    );
    assert!(document.contains("<w:titlePg"), "different first page");
    let footnotes = docx_part(&bytes, "word/footnotes.xml");
    assert!(footnotes.contains("41.051"));
    assert!(document.matches("<w:footnoteReference").count() == 8);
}

fn render_with_reference(body: &str) -> (String, Vec<baocao::report::document::Figure>) {
    let mut ws = workspace_with(vec![file("ref.csv", REFERENCE_CSV)]);
    ws.set_template(body.to_string());
    assert!(ws.template_error().is_none(), "{:?}", ws.template_error());
    let doc = ws.document().unwrap();
    (doc.plain_text().trim().to_string(), doc.figures.clone())
}

#[test]
fn helpers_write_vietnamese() {
    let (text, figures) = render_with_reference(
        "{{ so(\"CBCC_HUYEN\", 2020) }}; {{ so(\"CBCC_HUYEN_DAI_HOC_TY_LE\", 2020) }}%; {{ so0(\"KH240_MUC_TIEU\", 2016) }}; \
         {{ bien_dong(\"BIEN_CHE\", 2015, 2020) }}; {{ tang_giam(\"CBCC_XA_DAT_CHUAN_TANG\", \"2016-2020\") }}%; \
         {{ ngay(5, 1, 2020) }}; {{ chuoi_hang(\"PAR_INDEX_HANG\", \"SO_TINH_XEP_HANG\") }}",
    );
    assert_eq!(
        text,
        "1.957; 97,4%; 04; giảm 3.479; tăng 3,18%; ngày 05 tháng 01 năm 2020; \
         năm 2016, 2017 xếp thứ 13/63, năm 2018 xếp thứ 25/63"
    );
    // The change cites both years' cells.
    let change = figures.iter().find(|f| f.text == "giảm 3.479").unwrap();
    assert_eq!(change.sources.len(), 2);
}

#[test]
fn parts_are_listed_from_the_catalogues_sums() {
    let (text, _) = render_with_reference("{{ cac_phan(\"BIEN_CHE\", 2020) }}");
    assert_eq!(
        text,
        "biên chế hành chính: 2.001; biên chế công chức cấp xã: 4.938; biên chế sự nghiệp: 34.112"
    );
}

#[test]
fn the_html_report_escapes_everything_and_keeps_the_figures() {
    let mut ws = workspace_with(vec![file("ref.csv", REFERENCE_CSV)]);
    ws.set_template("Giá trị <b>in</b> {{ so(\"BIEN_CHE\", 2020) }}[^1]\n\n[^1]: chú thích".into());
    let mut header = ws.header.clone();
    header.signer_name = "<script>alert(1)</script>".into();
    ws.set_header(header);
    let html = baocao::export::html::write_html(ws.document().unwrap(), &Layout::default());
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;b&gt;in&lt;/b&gt;"));
    assert!(html.contains("41.051"));
    assert!(html.contains("id=\"fn1\""));
}

#[test]
fn another_provinces_data_leave_no_bac_giang_figure() {
    // Every number of the reference changed (ranks stay ≤ 63, text values replaced).
    let mut rdr = csv::Reader::from_reader(REFERENCE_CSV.as_bytes());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(rdr.headers().unwrap()).unwrap();
    for row in rdr.records() {
        let mut row: Vec<String> = row.unwrap().iter().map(String::from).collect();
        row[5] = match row[5].parse::<f64>() {
            Ok(v) if row[0] == "SO_TINH_XEP_HANG" => v.to_string(),
            Ok(v) if row[3] == "rank" => (v + 1.0).to_string(),
            Ok(v) => format!("{}", v * 2.0 + 1.0),
            Err(_) => format!("nhóm khác {}", row[4]),
        };
        w.write_record(&row).unwrap();
    }
    let other = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let sample = workspace_with(vec![file("ref.csv", REFERENCE_CSV)]);
    let province = workspace_with(vec![file("tinh-khac.csv", other)]);
    let (a, b) = (sample.document().unwrap(), province.document().unwrap());
    assert_eq!(a.figures.len(), b.figures.len());
    for (x, y) in a.figures.iter().zip(&b.figures) {
        // "/63" stays the same: the number of provinces ranked is unchanged.
        if x.label.starts_with("SO_TINH_XEP_HANG") {
            continue;
        }
        assert_ne!(x.text, y.text, "{} kept Bắc Giang's figure", x.label);
        // Shifted figures break identities (Failed), but none may be missing.
        assert_ne!(y.status, FigureStatus::Missing, "{}", y.label);
    }
}

/// A valid 1 × 1 PNG, standing in for a chart the browser would rasterise.
const TINY_PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
    0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 96, 248, 95, 15, 0, 2,
    135, 1, 128, 235, 71, 186, 146, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

#[test]
fn charts_in_the_appendix_become_images_with_numbered_captions() {
    let ws = workspace_with(vec![file("ref.csv", REFERENCE_CSV)]);
    let doc = ws.document().unwrap();
    assert_eq!(doc.charts.len(), 7);
    let images: Vec<_> = doc
        .charts
        .iter()
        .enumerate()
        // Distinct bytes per chart (a byte after IEND, which readers ignore): identical images are stored once.
        .map(|(i, _)| {
            Some(baocao::export::docx::ChartImage {
                png: [TINY_PNG, &[i as u8]].concat(),
                width_px: 1600,
                height_px: 900,
            })
        })
        .collect();
    let bytes = write_docx(doc, &Layout::default(), &DocxInfo::default(), &images).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let media = (0..zip.len())
        .filter(|i| {
            zip.by_index(*i)
                .unwrap()
                .name()
                .unwrap()
                .starts_with("word/media/")
        })
        .count();
    assert_eq!(media, 7);
    let document = docx_part(&bytes, "word/document.xml");
    assert!(document.contains("Biểu đồ 1. Xếp hạng Chỉ số cải cách hành chính (PAR INDEX)"));
    assert!(document.contains("Biểu đồ 7."));
    assert!(document.contains("PHỤ LỤC: BIỂU ĐỒ"));
    // 160 mm wide: 5,760,000 EMU; 1600 px over 160 mm is 254 dpi.
    assert!(document.contains("cx=\"5760000\""));
    // The appendix comes after the signature.
    assert!(document.find("Nguyễn Quang Đông").unwrap() < document.find("PHỤ LỤC").unwrap());
}

#[test]
fn the_charts_appendix_can_be_switched_off() {
    let mut ws = workspace_with(vec![file("ref.csv", REFERENCE_CSV)]);
    let mut header = ws.header.clone();
    header.charts_appendix = false;
    ws.set_header(header);
    let doc = ws.document().unwrap();
    assert!(doc.charts.is_empty() && doc.appendix_start.is_none());
}

#[test]
fn the_sample_calls_for_rank_score_stacked_and_merger_charts() {
    let ws = workspace_with(vec![file("ref.csv", REFERENCE_CSV)]);
    let ids: Vec<String> = ws.charts().iter().map(|c| c.id.clone()).collect();
    for id in [
        "rank-PAR_INDEX_HANG",
        "rank-PCI_HANG",
        "score-PAPI_DIEM",
        "stack-BIEN_CHE",
        "merge-DVHC_XA_GIAM",
        "merge-THON_GIAM",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} in {ids:?}");
    }
    assert!(ids.len() >= 8, "{ids:?}");
    let par = ws
        .charts()
        .iter()
        .find(|c| c.id == "rank-PAR_INDEX_HANG")
        .unwrap();
    assert_eq!(par.axis_max, Some(63.0));
    let papi = ws
        .charts()
        .iter()
        .find(|c| c.id == "score-PAPI_DIEM")
        .unwrap();
    assert_eq!(papi.category_max, vec![Some(60.0), Some(60.0), Some(80.0)]);
}
