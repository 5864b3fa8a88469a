//! The DOCX writer: the document model laid out per Nghị định 30/2020 —
//! A4, the decree's margins, Times New Roman, the two-column header and
//! closing tables, real footnotes, and page numbers centred at the top from
//! page 2 on (a different first page).

use crate::report::document::{Block, Document, Inline, Style};
use crate::report::layout::{mm_to_twips, Layout};
use docx_rs::{
    AlignmentType, BorderType, Docx, Footnote, Header as DocxHeader, LineSpacing, LineSpacingType,
    PageMargin, PageNum, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders,
    Run, RunFonts, SpecialIndentType, Table, TableCell, TableRow, WidthType,
};

/// Properties recorded in the file, so a reader can tell which inputs made it.
#[derive(Clone, Debug, Default)]
pub struct DocxInfo {
    /// A hash of the input files' bytes and names.
    pub inputs_hash: String,
    pub catalog_hash: String,
}

/// Half-points, as Word sizes fonts.
fn hp(pt: f64) -> usize {
    (pt * 2.0).round() as usize
}

/// Points to twentieths of a point.
fn twentieths(pt: f64) -> u32 {
    (pt * 20.0).round() as u32
}

struct Writer<'a> {
    doc: &'a Document,
    layout: &'a Layout,
    fonts: RunFonts,
    footnotes: Vec<Option<Footnote>>,
}

impl Writer<'_> {
    fn run(&self, text: &str, size_pt: f64, style: Style) -> Run {
        let mut r = Run::new()
            .add_text(text)
            .size(hp(size_pt))
            .fonts(self.fonts.clone());
        if style.bold {
            r = r.bold();
        }
        if style.italic {
            r = r.italic();
        }
        r
    }

    fn spacing(&self, after_pt: f64) -> LineSpacing {
        LineSpacing::new()
            .line_rule(LineSpacingType::Auto)
            .line((240.0 * self.layout.line_spacing).round() as i32)
            .before(0)
            .after(twentieths(after_pt))
    }

    fn centered(&self, text: &str, size_pt: f64, style: Style) -> Paragraph {
        Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().before(0).after(0))
            .add_run(self.run(text, size_pt, style))
    }

    /// A short solid rule, `width_mm` long, centred in a column `column_mm` wide.
    fn rule(&self, width_mm: f64, column_mm: f64) -> Paragraph {
        let side = mm_to_twips(((column_mm - width_mm) / 2.0).max(0.0)) as i32;
        let border = ParagraphBorder::new(ParagraphBorderPosition::Top)
            .val(BorderType::Single)
            .size(6)
            .space(1);
        Paragraph::new()
            .indent(Some(side), None, Some(side), None)
            .line_spacing(
                LineSpacing::new()
                    .before(0)
                    .after(0)
                    .line(20)
                    .line_rule(LineSpacingType::Exact),
            )
            .set_borders(ParagraphBorders::with_empty().set(border))
    }

    fn inlines(
        &mut self,
        mut p: Paragraph,
        inlines: &[Inline],
        size_pt: f64,
        base: Style,
    ) -> Paragraph {
        for inline in inlines {
            match inline {
                Inline::Text { text, style } => {
                    p = p.add_run(self.run(text, size_pt, merge(base, *style)))
                }
                Inline::Figure { id, style } => {
                    let text = self.doc.figures.get(*id).map_or("?", |f| f.text.as_str());
                    p = p.add_run(self.run(text, size_pt, merge(base, *style)));
                }
                Inline::FootnoteRef { number } => {
                    if let Some(note) = self.footnote(*number) {
                        p = p.add_run(Run::new().add_footnote_reference(note));
                    }
                }
                Inline::LineBreak => {
                    p = p.add_run(Run::new().add_break(docx_rs::BreakType::TextWrapping))
                }
            }
        }
        p
    }

    /// The footnote numbered `number`, built on first use (Word numbers them in order of reference).
    fn footnote(&mut self, number: usize) -> Option<Footnote> {
        let slot = self.footnotes.get(number.checked_sub(1)?)?;
        if let Some(f) = slot {
            return Some(f.clone());
        }
        let content = self.doc.footnotes.get(number - 1)?.clone();
        let size = self.layout.footnote_pt;
        // docx-rs has no <w:footnoteRef/>, so the note's number is a superscript run.
        let mut mark = self.run(&format!("{number} "), size, Style::default());
        mark.run_property = mark
            .run_property
            .vert_align(docx_rs::VertAlignType::SuperScript);
        let mut para = Paragraph::new()
            .align(AlignmentType::Both)
            .line_spacing(LineSpacing::new().before(0).after(0))
            .add_run(mark);
        para = self.inlines(para, &content, size, Style::default());
        let note = Footnote::new().add_content(para);
        if let Some(slot) = self.footnotes.get_mut(number - 1) {
            *slot = Some(note.clone());
        }
        Some(note)
    }

    fn body_paragraph(&self) -> Paragraph {
        Paragraph::new()
            .align(AlignmentType::Both)
            .indent(
                None,
                Some(SpecialIndentType::FirstLine(
                    mm_to_twips(self.layout.first_line_indent_mm) as i32,
                )),
                None,
                None,
            )
            .line_spacing(self.spacing(self.layout.paragraph_gap_pt))
    }

    fn blocks(&mut self, mut docx: Docx, blocks: &[Block], images: &[Option<ChartImage>]) -> Docx {
        let l = self.layout;
        let bold = Style {
            bold: true,
            italic: false,
        };
        for block in blocks {
            match block {
                Block::Heading { content, .. } => {
                    let p = self.body_paragraph().keep_next(true);
                    docx = docx.add_paragraph(self.inlines(p, content, l.body_pt, bold));
                }
                Block::Paragraph(content) => {
                    let p = self.body_paragraph();
                    docx =
                        docx.add_paragraph(self.inlines(p, content, l.body_pt, Style::default()));
                }
                Block::Item(content) => {
                    let p =
                        self.body_paragraph()
                            .add_run(self.run("- ", l.body_pt, Style::default()));
                    docx =
                        docx.add_paragraph(self.inlines(p, content, l.body_pt, Style::default()));
                }
                Block::PageBreak => {
                    docx = docx.add_paragraph(
                        Paragraph::new().add_run(Run::new().add_break(docx_rs::BreakType::Page)),
                    );
                }
                Block::Chart { chart, number } => {
                    let picture = match images.get(*chart).and_then(Option::as_ref) {
                        Some(img) => {
                            // 1 mm = 36,000 EMU; the height keeps the image's proportions.
                            let w = (CHART_WIDTH_MM * 36_000.0) as u32;
                            let h = (f64::from(w) * f64::from(img.height_px)
                                / f64::from(img.width_px.max(1)))
                                as u32;
                            let pic = docx_rs::Pic::new_with_dimensions(
                                img.png.clone(),
                                img.width_px,
                                img.height_px,
                            )
                            .size(w, h);
                            Paragraph::new()
                                .align(AlignmentType::Center)
                                .keep_next(true)
                                .add_run(Run::new().add_image(pic))
                        }
                        None => self.centered("[biểu đồ]", l.body_pt, Style::default()),
                    };
                    let caption = self.centered(
                        &self.doc.caption(*chart, *number),
                        l.body_pt - 1.0,
                        Style {
                            bold: false,
                            italic: true,
                        },
                    );
                    docx = docx
                        .add_paragraph(picture)
                        .add_paragraph(caption.line_spacing(self.spacing(l.paragraph_gap_pt)));
                }
                Block::Table { rows } => {
                    let mut table_rows = Vec::new();
                    for row in rows {
                        let mut cells = Vec::new();
                        for cell in row {
                            let p = self.inlines(
                                Paragraph::new(),
                                cell,
                                l.body_pt - 1.0,
                                Style::default(),
                            );
                            cells.push(TableCell::new().add_paragraph(p));
                        }
                        table_rows.push(TableRow::new(cells));
                    }
                    docx = docx.add_table(Table::new(table_rows));
                }
            }
        }
        docx
    }

    fn header_table(&self, text_width_mm: f64) -> Table {
        let h = &self.doc.header;
        let l = self.layout;
        let left_mm = text_width_mm * 0.4;
        let right_mm = text_width_mm - left_mm;
        let plain = Style::default();
        let bold = Style {
            bold: true,
            italic: false,
        };
        let italic = Style {
            bold: false,
            italic: true,
        };
        let mut left = TableCell::new().width(mm_to_twips(left_mm) as usize, WidthType::Dxa);
        if !h.parent_agency.trim().is_empty() {
            left = left.add_paragraph(self.centered(
                &h.parent_agency.to_uppercase(),
                l.header_agency_pt,
                plain,
            ));
        }
        left = left
            .add_paragraph(self.centered(&h.agency.to_uppercase(), l.header_agency_pt, bold))
            .add_paragraph(self.rule(left_mm * 0.4, left_mm));
        let right = TableCell::new()
            .width(mm_to_twips(right_mm) as usize, WidthType::Dxa)
            .add_paragraph(self.centered(
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                l.header_agency_pt,
                bold,
            ))
            .add_paragraph(self.centered("Độc lập - Tự do - Hạnh phúc", l.motto_pt, bold))
            .add_paragraph(self.rule(62.0, right_mm));
        let number = TableCell::new()
            .width(mm_to_twips(left_mm) as usize, WidthType::Dxa)
            .add_paragraph(self.centered(&h.number_line(), l.number_pt, plain));
        let date = TableCell::new()
            .width(mm_to_twips(right_mm) as usize, WidthType::Dxa)
            .add_paragraph(self.centered(&h.place_and_date(), l.motto_pt, italic));
        Table::without_borders(vec![
            TableRow::new(vec![left, right]),
            TableRow::new(vec![number, date]),
        ])
        .set_grid(vec![
            mm_to_twips(left_mm) as usize,
            mm_to_twips(right_mm) as usize,
        ])
        .width(mm_to_twips(text_width_mm) as usize, WidthType::Dxa)
    }

    fn closing_table(&self, text_width_mm: f64) -> Table {
        let h = &self.doc.header;
        let l = self.layout;
        let half = text_width_mm / 2.0;
        let bold = Style {
            bold: true,
            italic: false,
        };
        let tight = || LineSpacing::new().before(0).after(0);
        let mut left = TableCell::new()
            .width(mm_to_twips(half) as usize, WidthType::Dxa)
            .add_paragraph(Paragraph::new().line_spacing(tight()).add_run(self.run(
                "Nơi nhận:",
                l.recipients_heading_pt,
                Style {
                    bold: true,
                    italic: true,
                },
            )));
        for r in &h.recipients {
            left = left.add_paragraph(Paragraph::new().line_spacing(tight()).add_run(self.run(
                &format!("- {r}"),
                l.recipients_pt,
                Style::default(),
            )));
        }
        let mut right = TableCell::new().width(mm_to_twips(half) as usize, WidthType::Dxa);
        for line in [&h.signer_authority, &h.signer_title] {
            if !line.trim().is_empty() {
                right = right.add_paragraph(self.centered(&line.to_uppercase(), l.signer_pt, bold));
            }
        }
        // Room for the signature and the seal.
        for _ in 0..4 {
            right = right.add_paragraph(self.centered("", l.signer_pt, bold));
        }
        right = right.add_paragraph(self.centered(&h.signer_name, l.signer_pt, bold));
        Table::without_borders(vec![TableRow::new(vec![left, right])])
            .set_grid(vec![mm_to_twips(half) as usize, mm_to_twips(half) as usize])
            .width(mm_to_twips(text_width_mm) as usize, WidthType::Dxa)
    }
}

fn merge(a: Style, b: Style) -> Style {
    Style {
        bold: a.bold || b.bold,
        italic: a.italic || b.italic,
    }
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
    let fonts = RunFonts::new()
        .ascii(layout.font)
        .hi_ansi(layout.font)
        .cs(layout.font)
        .east_asia(layout.font);
    let mut w = Writer {
        doc,
        layout,
        fonts: fonts.clone(),
        footnotes: vec![None; doc.footnotes.len()],
    };
    let text_width_mm = layout.page_width_mm - layout.margin_left_mm - layout.margin_right_mm;
    let page_number = DocxHeader::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_page_num(PageNum::new())
            .size(hp(layout.page_number_pt))
            .fonts(fonts.clone()),
    );
    let margin = PageMargin {
        top: mm_to_twips(layout.margin_top_mm) as i32,
        bottom: mm_to_twips(layout.margin_bottom_mm) as i32,
        left: mm_to_twips(layout.margin_left_mm) as i32,
        right: mm_to_twips(layout.margin_right_mm) as i32,
        header: mm_to_twips(10.0) as i32,
        footer: mm_to_twips(10.0) as i32,
        gutter: 0,
    };
    let mut docx = Docx::new()
        .page_size(
            mm_to_twips(layout.page_width_mm),
            mm_to_twips(layout.page_height_mm),
        )
        .page_margin(margin)
        .default_fonts(fonts)
        .default_size(hp(layout.body_pt))
        .header(page_number)
        .first_header(DocxHeader::new())
        .title_pg()
        .custom_property(
            "title",
            format!("{} {}", doc.header.title, doc.header.subtitle),
        )
        .custom_property("agency", doc.header.agency.clone())
        .custom_property("inputs_sha256", info.inputs_hash.clone())
        .custom_property("catalog_sha256", info.catalog_hash.clone())
        .add_table(w.header_table(text_width_mm));

    let bold = Style {
        bold: true,
        italic: false,
    };
    docx = docx
        .add_paragraph(w.centered("", layout.body_pt, Style::default()))
        .add_paragraph(w.centered(&doc.header.title.to_uppercase(), layout.title_pt, bold))
        .add_paragraph(w.centered(&doc.header.subtitle, layout.title_pt, bold))
        .add_paragraph(w.rule(text_width_mm / 3.0, text_width_mm))
        .add_paragraph(w.centered("", layout.body_pt, Style::default()));

    let (body, appendix) = doc.body_and_appendix();
    docx = w.blocks(docx, body, images);
    docx = docx
        .add_paragraph(w.centered("", layout.body_pt, Style::default()))
        .add_table(w.closing_table(text_width_mm));
    if !appendix.is_empty() {
        docx = docx.add_paragraph(
            Paragraph::new().add_run(Run::new().add_break(docx_rs::BreakType::Page)),
        );
        docx = w.blocks(docx, appendix, images);
    }

    pack(docx.build()).map_err(|e| format!("không ghi được tệp DOCX: {e}"))
}

/// Zips the parts docx-rs built. Packed here, with the zip crate the
/// spreadsheet reader already uses, so the page carries one zip library, not
/// two; and deflated, so the file is a fraction of docx-rs's stored size.
fn pack(xml: docx_rs::XMLDocx) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut parts: Vec<(String, &[u8])> = vec![
        ("[Content_Types].xml".into(), &xml.content_type),
        ("_rels/.rels".into(), &xml.rels),
        ("docProps/app.xml".into(), &xml.doc_props.app),
        ("docProps/core.xml".into(), &xml.doc_props.core),
        ("docProps/custom.xml".into(), &xml.doc_props.custom),
        ("word/_rels/document.xml.rels".into(), &xml.document_rels),
        ("word/document.xml".into(), &xml.document),
        ("word/styles.xml".into(), &xml.styles),
        ("word/settings.xml".into(), &xml.settings),
        ("word/fontTable.xml".into(), &xml.font_table),
        ("word/comments.xml".into(), &xml.comments),
        ("word/numbering.xml".into(), &xml.numberings),
        ("word/commentsExtended.xml".into(), &xml.comments_extended),
        ("word/footnotes.xml".into(), &xml.footnotes),
    ];
    for (i, h) in xml.headers.iter().enumerate() {
        parts.push((format!("word/header{}.xml", i + 1), h));
        if let Some(rels) = xml.header_rels.get(i) {
            parts.push((format!("word/_rels/header{}.xml.rels", i + 1), rels));
        }
    }
    for (i, f) in xml.footers.iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), f));
        if let Some(rels) = xml.footer_rels.get(i) {
            parts.push((format!("word/_rels/footer{}.xml.rels", i + 1), rels));
        }
    }
    for (id, png) in &xml.media {
        parts.push((format!("word/media/{id}.png"), png));
    }
    for (name, bytes) in parts {
        zip.start_file(name, options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}
