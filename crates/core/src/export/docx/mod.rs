//! The DOCX writer: the document model laid out per Nghị định 30/2020 —
//! A4, the decree's margins, Times New Roman, the two-column header and
//! closing tables, real footnotes, and page numbers centred at the top from
//! page 2 on (a different first page). The parts are written here, in the
//! schema's element order, and every style they name is defined.

mod body;
mod parts;

use crate::model::CellRef;
use crate::report::document::Document;
use crate::report::layout::Layout;
use std::collections::HashMap;

/// Properties recorded in the file, so a reader can tell which inputs made it.
#[derive(Clone, Debug, Default)]
pub struct DocxInfo {
    /// A hash of the input files' bytes and names.
    pub inputs_hash: String,
    pub catalog_hash: String,
    /// Why each cell that failed a check failed: the comment on a figure
    /// drawn from it says so.
    pub problems: HashMap<CellRef, String>,
}

/// A chart rasterised by the page, for the DOCX (PNG bytes and pixel size).
#[derive(Clone, Debug, PartialEq)]
pub struct ChartImage {
    pub png: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
}

/// Printed width of a chart: the text width less a margin, in millimetres.
pub const CHART_WIDTH_MM: f64 = 160.0;

/// Writes `doc` as DOCX bytes, or says why it could not. `images[i]` is the
/// PNG of `doc.charts[i]`; a chart without one is written as its caption and a
/// placeholder.
pub fn write_docx(
    doc: &Document,
    layout: &Layout,
    info: &DocxInfo,
    images: &[Option<ChartImage>],
) -> Result<Vec<u8>, String> {
    let mut b = body::Body::new(doc, layout, images).with_problems(&info.problems);
    b.open_document();
    b.header_table();
    b.title();
    let (main, appendix) = doc.body_and_appendix();
    b.blocks(main);
    b.end_blocks();
    b.closing_table();
    if !appendix.is_empty() {
        b.page_break_before_appendix();
        b.blocks(appendix);
    }
    b.final_section();
    let (document, footnote_refs, placed, comments) = b.into_document();

    let title = format!("{} {}", doc.header.title, doc.header.subtitle);
    let mut all = vec![
        parts::content_types(2, !comments.is_empty()),
        parts::package_rels(),
        parts::document_rels(placed.len(), body::image_rel, !comments.is_empty()),
        ("word/document.xml".to_string(), document.into_bytes()),
        (
            "word/footnotes.xml".to_string(),
            body::footnotes(doc, layout, &footnote_refs).into_bytes(),
        ),
        parts::styles(layout),
        parts::settings(),
        parts::font_table(layout),
        parts::theme(),
    ];
    if !comments.is_empty() {
        all.push((
            "word/comments.xml".to_string(),
            body::comments_xml(&comments).into_bytes(),
        ));
    }
    all.extend(parts::headers(layout));
    all.extend(parts::properties(
        &title,
        &doc.header.agency,
        &[
            ("title", &title),
            ("agency", &doc.header.agency),
            ("inputs_sha256", &info.inputs_hash),
            ("catalog_sha256", &info.catalog_hash),
        ],
    ));
    for (n, chart) in placed.iter().enumerate() {
        if let Some(Some(img)) = images.get(*chart) {
            all.push((format!("word/media/chart{}.png", n + 1), img.png.clone()));
        }
    }
    pack(&all).map_err(|e| format!("không ghi được tệp DOCX: {e}"))
}

/// Zips the parts, deflated, with the zip crate the spreadsheet reader
/// already uses.
fn pack(parts: &[parts::Part]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}
