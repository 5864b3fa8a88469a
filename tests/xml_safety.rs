//! Every code point from 0 to 0x10FFFF goes through each writer of XML — the
//! DOCX parts, the SVG charts, the XLSX workbooks — and what comes out must
//! parse; the HTML report keeps its markup whatever the text holds.
#![cfg(not(target_arch = "wasm32"))]

use baocao::chart::draw::{Anchor, Drawing, Role, Shape};
use baocao::export::docx::{write_docx, DocxInfo};
use baocao::report::document::{Block, Document, Figure, FigureStatus, Inline, Style};
use baocao::report::layout::Layout;
use std::io::Read;

/// Every `char` (surrogates are not chars), in chunks of `size`.
fn every_char(size: usize) -> Vec<String> {
    let all: Vec<char> = (0..=0x10FFFF_u32).filter_map(char::from_u32).collect();
    all.chunks(size).map(|c| c.iter().collect()).collect()
}

fn text(t: &str) -> Inline {
    Inline::Text {
        text: t.to_string(),
        style: Style::default(),
    }
}

/// A document whose every text — header, paragraphs, items, table cells,
/// figures, footnotes — is `t`.
/// The cell every figure of the hostile document is drawn from.
const CELL: baocao::model::CellRef = baocao::model::CellRef {
    file: 0,
    sheet: 0,
    row: 2,
    col: 5,
};

fn document(t: &str) -> Document {
    let mut doc = Document::default();
    let h = &mut doc.header;
    for field in [
        &mut h.parent_agency,
        &mut h.agency,
        &mut h.number,
        &mut h.place,
        &mut h.title,
        &mut h.subtitle,
        &mut h.signer_authority,
        &mut h.signer_title,
        &mut h.signer_name,
    ] {
        *field = t.to_string();
    }
    h.recipients = vec![t.to_string()];
    // One figure of each status: the failed and missing ones carry comments.
    doc.figures = [
        FigureStatus::Ok,
        FigureStatus::Failed,
        FigureStatus::Missing,
    ]
    .into_iter()
    .map(|status| Figure {
        text: t.to_string(),
        label: t.to_string(),
        sources: vec![CELL],
        status,
    })
    .collect();
    let figure = Inline::Figure {
        id: 0,
        style: Style::default(),
    };
    doc.footnotes = vec![vec![text(t), figure.clone()]];
    let flagged = |id| Inline::Figure {
        id,
        style: Style::default(),
    };
    doc.blocks = vec![
        Block::Paragraph(vec![flagged(1), text(t), flagged(2)]),
        Block::Heading {
            level: 1,
            content: vec![text(t)],
        },
        Block::Paragraph(vec![
            text(t),
            figure.clone(),
            Inline::FootnoteRef { number: 1 },
            Inline::LineBreak,
        ]),
        Block::Item(vec![text(t)]),
        Block::Table(Box::new(hostile_table(t, figure.clone(), 2))),
        // Wide enough for a landscape section of its own.
        Block::Table(Box::new(hostile_table(t, figure, 20))),
    ];
    doc
}

/// A table with `t` in every text it has: form, title, unit, header,
/// column numbers, cells and note.
fn hostile_table(t: &str, figure: Inline, width: usize) -> baocao::report::table::Table {
    let mut table = baocao::report::table::Table::plain(
        vec![t.to_string(); width],
        vec![vec![vec![text(t)], vec![figure]], vec![vec![text(t)]]],
    );
    table.head = baocao::report::table::Table::head_from_paths(
        &[t.to_string()],
        &vec![vec![t.to_string(), t.to_string()]; width - 1],
    );
    table.form = t.to_string();
    table.title = t.to_string();
    table.unit_note = t.to_string();
    table.numbers = vec![t.to_string(); width];
    table.note = t.to_string();
    table
}

/// Parses every XML part of a zip package.
fn parse_parts(package: &[u8], what: &str) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(package)).unwrap();
    let mut parsed = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap_or_default().to_string();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut xml = String::new();
        entry.read_to_string(&mut xml).unwrap();
        if let Err(e) = roxmltree::Document::parse(&xml) {
            panic!("{what}: {name} does not parse: {e}");
        }
        parsed += 1;
    }
    assert!(parsed >= 5, "{what}: only {parsed} XML parts");
}

#[test]
fn every_code_point_written_to_a_docx_parses() {
    for chunk in every_char(0x4000) {
        let bytes = write_docx(
            &document(&chunk),
            &Layout::default(),
            &DocxInfo {
                inputs_hash: chunk.clone(),
                catalog_hash: chunk.clone(),
                problems: [(CELL, chunk.clone())].into(),
            },
            &[],
        )
        .unwrap();
        parse_parts(&bytes, "docx");
    }
}

#[test]
fn every_code_point_written_to_an_svg_parses() {
    for chunk in every_char(0x10000) {
        let drawing = Drawing {
            width: 10.0,
            height: 10.0,
            shapes: vec![Shape::Text {
                x: 0.0,
                y: 0.0,
                text: chunk.clone(),
                anchor: Anchor::Start,
                size: 10.0,
                role: Role::Label,
            }],
        };
        let svg = baocao::chart::svg::to_svg(&drawing, &chunk);
        if let Err(e) = roxmltree::Document::parse(&svg) {
            panic!("svg does not parse: {e}");
        }
        // The page inserts the inline form as markup: it must parse, and
        // with as many elements as with plain text.
        let inline = baocao::chart::svg::to_inline_svg(&drawing, &chunk, &chunk);
        match roxmltree::Document::parse(&inline) {
            Ok(doc) => assert_eq!(doc.descendants().filter(|n| n.is_element()).count(), 3),
            Err(e) => panic!("inline svg does not parse: {e}"),
        }
    }
}

#[test]
fn every_code_point_leaves_the_html_reports_markup_as_it_is() {
    let layout = Layout::default();
    let plain = baocao::export::html::write_html(&document("x"), &layout);
    for chunk in every_char(0x10000) {
        let html = baocao::export::html::write_html(&document(&chunk), &layout);
        assert_eq!(
            html.matches('<').count(),
            plain.matches('<').count(),
            "text became markup"
        );
        assert!(html.chars().all(baocao::xml::is_xml_char));
    }
}

#[test]
fn every_code_point_written_to_the_findings_xlsx_parses() {
    let rows: Vec<[String; 9]> = every_char(0x8000)
        .into_iter()
        .map(|chunk| std::array::from_fn(|i| if i == 4 { "7".into() } else { chunk.clone() }))
        .collect();
    let bytes = baocao::export::xlsx::findings_xlsx(&rows, baocao::model::Lang::Vi).unwrap();
    parse_parts(&bytes, "findings xlsx");
}

#[test]
fn a_cell_longer_than_excel_holds_is_cut_not_fatal() {
    let long = "&<".repeat(40_000);
    let row: [String; 9] = std::array::from_fn(|_| long.clone());
    let bytes = baocao::export::xlsx::findings_xlsx(&[row], baocao::model::Lang::Vi).unwrap();
    parse_parts(&bytes, "findings xlsx");
}
