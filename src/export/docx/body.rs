//! The document body and its footnotes as WordprocessingML. Every property
//! element is written in the order the schema's sequences give (CT_PPr,
//! CT_RPr, CT_TblPr, CT_TcPr, CT_SectPr), so Word opens the file without
//! repairing it.

use super::{ChartImage, CHART_WIDTH_MM};
use crate::report::document::{Block, Document, Inline, Style};
use crate::report::layout::{mm_to_twips, Layout};
use crate::xml::XmlWriter;

/// Half-points, as Word sizes fonts.
fn half_points(pt: f64) -> String {
    ((pt * 2.0).round() as u32).to_string()
}

/// Points to twentieths of a point.
fn twentieths(pt: f64) -> u32 {
    (pt * 20.0).round() as u32
}

/// Paragraph properties, written in CT_PPr's order.
#[derive(Clone, Default)]
struct Para {
    style: Option<&'static str>,
    keep_next: bool,
    border_top: bool,
    /// Before, after (twentieths of a point) and line (240ths of a line, or
    /// twentieths of a point when `exact`).
    spacing: Option<(u32, u32, u32, bool)>,
    /// Left, right and first-line indents in twips.
    indent: Option<(u32, u32, u32)>,
    align: Option<&'static str>,
}

impl Para {
    fn write(&self, x: &mut XmlWriter) {
        x.start("w:pPr", &[]);
        if let Some(style) = self.style {
            x.empty("w:pStyle", &[("w:val", style)]);
        }
        if self.keep_next {
            x.empty("w:keepNext", &[]);
        }
        if self.border_top {
            x.start("w:pBdr", &[]);
            x.empty(
                "w:top",
                &[
                    ("w:val", "single"),
                    ("w:sz", "6"),
                    ("w:space", "1"),
                    ("w:color", "000000"),
                ],
            );
            x.end();
        }
        if let Some((before, after, line, exact)) = self.spacing {
            x.empty(
                "w:spacing",
                &[
                    ("w:before", &before.to_string()),
                    ("w:after", &after.to_string()),
                    ("w:line", &line.to_string()),
                    ("w:lineRule", if exact { "exact" } else { "auto" }),
                ],
            );
        }
        if let Some((left, right, first)) = self.indent {
            x.empty(
                "w:ind",
                &[
                    ("w:left", &left.to_string()),
                    ("w:right", &right.to_string()),
                    ("w:firstLine", &first.to_string()),
                ],
            );
        }
        if let Some(align) = self.align {
            x.empty("w:jc", &[("w:val", align)]);
        }
        x.end();
    }
}

/// Run properties, written in CT_RPr's order.
#[derive(Clone, Copy, Default)]
struct RunProps {
    style: Option<&'static str>,
    bold: bool,
    italic: bool,
    size_pt: Option<f64>,
}

impl RunProps {
    fn sized(size_pt: f64, style: Style) -> RunProps {
        RunProps {
            style: None,
            bold: style.bold,
            italic: style.italic,
            size_pt: Some(size_pt),
        }
    }

    fn write(&self, x: &mut XmlWriter) {
        x.start("w:rPr", &[]);
        if let Some(style) = self.style {
            x.empty("w:rStyle", &[("w:val", style)]);
        }
        if self.bold {
            x.empty("w:b", &[]).empty("w:bCs", &[]);
        }
        if self.italic {
            x.empty("w:i", &[]).empty("w:iCs", &[]);
        }
        if let Some(pt) = self.size_pt {
            let size = half_points(pt);
            x.empty("w:sz", &[("w:val", &size)])
                .empty("w:szCs", &[("w:val", &size)]);
        }
        x.end();
    }
}

/// A run of text.
fn run(x: &mut XmlWriter, props: RunProps, text: &str) {
    x.start("w:r", &[]);
    props.write(x);
    x.leaf("w:t", &[("xml:space", "preserve")], text);
    x.end();
}

fn merge(a: Style, b: Style) -> Style {
    Style {
        bold: a.bold || b.bold,
        italic: a.italic || b.italic,
    }
}

const BOLD: Style = Style {
    bold: true,
    italic: false,
};
const ITALIC: Style = Style {
    bold: false,
    italic: true,
};

/// The relationship a writer needs for each image, and the footnotes it met.
pub(super) struct Body<'a> {
    doc: &'a Document,
    layout: &'a Layout,
    images: &'a [Option<ChartImage>],
    x: XmlWriter,
    /// Each footnote reference in order: the note's number in the document.
    /// Word gives every reference a note of its own, numbered as it appears.
    pub(super) footnote_refs: Vec<usize>,
    /// The chart of each image placed, in order (`word/media/chartN.png`).
    pub(super) placed_images: Vec<usize>,
    /// Footnotes hold no references of their own.
    in_footnote: bool,
}

/// The namespaces the document part uses.
pub(super) const DOCUMENT_NAMESPACES: &[(&str, &str)] = &[
    (
        "xmlns:w",
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    ),
    (
        "xmlns:r",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    ),
    (
        "xmlns:wp",
        "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    ),
    (
        "xmlns:a",
        "http://schemas.openxmlformats.org/drawingml/2006/main",
    ),
    (
        "xmlns:pic",
        "http://schemas.openxmlformats.org/drawingml/2006/picture",
    ),
];

/// The relationship id of the image of the `n`th placed chart (from 0).
pub(super) fn image_rel(n: usize) -> String {
    format!("rIdImage{}", n + 1)
}

impl<'a> Body<'a> {
    pub(super) fn new(
        doc: &'a Document,
        layout: &'a Layout,
        images: &'a [Option<ChartImage>],
    ) -> Body<'a> {
        Body {
            doc,
            layout,
            images,
            x: XmlWriter::new(),
            footnote_refs: Vec::new(),
            placed_images: Vec::new(),
            in_footnote: false,
        }
    }

    fn text_width_mm(&self) -> f64 {
        let l = self.layout;
        l.page_width_mm - l.margin_left_mm - l.margin_right_mm
    }

    fn line(&self) -> u32 {
        (240.0 * self.layout.line_spacing).round() as u32
    }

    fn tight(&self) -> Option<(u32, u32, u32, bool)> {
        Some((0, 0, 240, false))
    }

    fn centered_para(&self) -> Para {
        Para {
            spacing: self.tight(),
            align: Some("center"),
            ..Para::default()
        }
    }

    fn body_para(&self) -> Para {
        let l = self.layout;
        Para {
            spacing: Some((0, twentieths(l.paragraph_gap_pt), self.line(), false)),
            indent: Some((0, 0, mm_to_twips(l.first_line_indent_mm))),
            align: Some("both"),
            ..Para::default()
        }
    }

    /// A paragraph of one run.
    fn paragraph(&mut self, para: &Para, text: &str, size_pt: f64, style: Style) {
        self.x.start("w:p", &[]);
        para.write(&mut self.x);
        if !text.is_empty() {
            run(&mut self.x, RunProps::sized(size_pt, style), text);
        }
        self.x.end();
    }

    fn centered(&mut self, text: &str, size_pt: f64, style: Style) {
        let para = self.centered_para();
        self.paragraph(&para, text, size_pt, style);
    }

    /// A short solid rule, `width_mm` long, centred in a column `column_mm` wide.
    fn rule(&mut self, width_mm: f64, column_mm: f64) {
        let side = mm_to_twips(((column_mm - width_mm) / 2.0).max(0.0));
        let para = Para {
            border_top: true,
            spacing: Some((0, 0, 20, true)),
            indent: Some((side, side, 0)),
            ..Para::default()
        };
        self.x.start("w:p", &[]);
        para.write(&mut self.x);
        self.x.end();
    }

    fn inlines(&mut self, inlines: &[Inline], size_pt: f64, base: Style) {
        let doc = self.doc;
        for inline in inlines {
            match inline {
                Inline::Text { text, style } => run(
                    &mut self.x,
                    RunProps::sized(size_pt, merge(base, *style)),
                    text,
                ),
                Inline::Figure { id, style } => {
                    let text = doc.figures.get(*id).map_or("?", |f| f.text.as_str());
                    run(
                        &mut self.x,
                        RunProps::sized(size_pt, merge(base, *style)),
                        text,
                    );
                }
                Inline::FootnoteRef { number } => {
                    if !self.in_footnote && doc.footnotes.get(number.wrapping_sub(1)).is_some() {
                        self.footnote_refs.push(*number);
                        let id = self.footnote_refs.len().to_string();
                        self.x.start("w:r", &[]);
                        RunProps {
                            style: Some("FootnoteReference"),
                            ..RunProps::default()
                        }
                        .write(&mut self.x);
                        self.x.empty("w:footnoteReference", &[("w:id", &id)]);
                        self.x.end();
                    }
                }
                Inline::LineBreak => {
                    self.x.start("w:r", &[]).empty("w:br", &[]).end();
                }
            }
        }
    }

    fn inline_paragraph(&mut self, para: &Para, prefix: &str, content: &[Inline], style: Style) {
        let size = self.layout.body_pt;
        self.x.start("w:p", &[]);
        para.write(&mut self.x);
        if !prefix.is_empty() {
            run(&mut self.x, RunProps::sized(size, style), prefix);
        }
        self.inlines(content, size, style);
        self.x.end();
    }

    fn page_break(&mut self) {
        self.x
            .start("w:p", &[])
            .start("w:r", &[])
            .empty("w:br", &[("w:type", "page")])
            .end()
            .end();
    }

    pub(super) fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            match block {
                Block::Heading { content, .. } => {
                    let para = Para {
                        keep_next: true,
                        ..self.body_para()
                    };
                    self.inline_paragraph(&para, "", content, BOLD);
                }
                Block::Paragraph(content) => {
                    let para = self.body_para();
                    self.inline_paragraph(&para, "", content, Style::default());
                }
                Block::Item(content) => {
                    let para = self.body_para();
                    self.inline_paragraph(&para, "- ", content, Style::default());
                }
                Block::PageBreak => self.page_break(),
                Block::Chart { chart, number } => self.chart(*chart, *number),
                Block::Table { rows } => self.table(rows),
            }
        }
    }

    fn chart(&mut self, chart: usize, number: usize) {
        let l = self.layout;
        match self.images.get(chart).and_then(Option::as_ref) {
            Some(img) => {
                // 1 mm = 36,000 EMU; the height keeps the image's proportions.
                let cx = (CHART_WIDTH_MM * 36_000.0) as u64;
                let cy = cx * u64::from(img.height_px) / u64::from(img.width_px.max(1));
                let n = self.placed_images.len();
                self.placed_images.push(chart);
                let para = Para {
                    keep_next: true,
                    ..self.centered_para()
                };
                self.x.start("w:p", &[]);
                para.write(&mut self.x);
                self.x.start("w:r", &[]).start("w:drawing", &[]);
                drawing(&mut self.x, n, cx, cy);
                self.x.end().end().end();
            }
            None => self.centered("[biểu đồ]", l.body_pt, Style::default()),
        }
        let caption = self.doc.caption(chart, number);
        let para = Para {
            spacing: Some((0, twentieths(l.paragraph_gap_pt), self.line(), false)),
            ..self.centered_para()
        };
        self.paragraph(&para, &caption, l.body_pt - 1.0, ITALIC);
    }

    /// A table of the body, ruled, its first row repeated on every page.
    fn table(&mut self, rows: &[Vec<Vec<Inline>>]) {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        let width = mm_to_twips(self.text_width_mm());
        let column = width / columns as u32;
        let size = self.layout.body_pt - 1.0;
        self.x.start("w:tbl", &[]);
        self.x.start("w:tblPr", &[]);
        self.x.empty("w:tblStyle", &[("w:val", "TableGrid")]);
        self.x
            .empty("w:tblW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
        self.x.empty("w:tblLayout", &[("w:type", "fixed")]);
        self.x.end();
        self.grid(&vec![column; columns]);
        for (i, row) in rows.iter().enumerate() {
            let header = i == 0 && rows.len() > 1;
            self.x.start("w:tr", &[]);
            if header {
                self.x.start("w:trPr", &[]).empty("w:tblHeader", &[]).end();
            }
            for c in 0..columns {
                self.x.start("w:tc", &[]);
                self.cell_width(column);
                let para = Para {
                    spacing: self.tight(),
                    align: header.then_some("center"),
                    ..Para::default()
                };
                self.x.start("w:p", &[]);
                para.write(&mut self.x);
                let style = if header { BOLD } else { Style::default() };
                self.inlines(row.get(c).map_or(&[][..], Vec::as_slice), size, style);
                self.x.end().end();
            }
            self.x.end();
        }
        self.x.end();
    }

    fn grid(&mut self, widths: &[u32]) {
        self.x.start("w:tblGrid", &[]);
        for w in widths {
            self.x.empty("w:gridCol", &[("w:w", &w.to_string())]);
        }
        self.x.end();
    }

    fn cell_width(&mut self, twips: u32) {
        self.x
            .start("w:tcPr", &[])
            .empty("w:tcW", &[("w:w", &twips.to_string()), ("w:type", "dxa")])
            .end();
    }

    /// A borderless table of fixed columns (the header and closing blocks).
    fn open_block_table(&mut self, widths: &[u32]) {
        let total: u32 = widths.iter().sum();
        self.x.start("w:tbl", &[]);
        self.x.start("w:tblPr", &[]);
        self.x
            .empty("w:tblW", &[("w:w", &total.to_string()), ("w:type", "dxa")]);
        self.x.empty("w:tblLayout", &[("w:type", "fixed")]);
        self.x.end();
        self.grid(widths);
    }

    /// The two-column header: agencies and the national motto, number and date.
    pub(super) fn header_table(&mut self) {
        let h = &self.doc.header;
        let l = self.layout;
        let text_width = self.text_width_mm();
        let left_mm = text_width * 0.4;
        let right_mm = text_width - left_mm;
        let (left, right) = (mm_to_twips(left_mm), mm_to_twips(right_mm));
        self.open_block_table(&[left, right]);

        self.x.start("w:tr", &[]);
        self.x.start("w:tc", &[]);
        self.cell_width(left);
        if !h.parent_agency.trim().is_empty() {
            self.centered(
                &h.parent_agency.to_uppercase(),
                l.header_agency_pt,
                Style::default(),
            );
        }
        self.centered(&h.agency.to_uppercase(), l.header_agency_pt, BOLD);
        self.rule(left_mm * 0.4, left_mm);
        self.x.end();
        self.x.start("w:tc", &[]);
        self.cell_width(right);
        self.centered(
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            l.header_agency_pt,
            BOLD,
        );
        self.centered("Độc lập - Tự do - Hạnh phúc", l.motto_pt, BOLD);
        self.rule(62.0, right_mm);
        self.x.end();
        self.x.end();

        self.x.start("w:tr", &[]);
        self.x.start("w:tc", &[]);
        self.cell_width(left);
        self.centered(&h.number_line(), l.number_pt, Style::default());
        self.x.end();
        self.x.start("w:tc", &[]);
        self.cell_width(right);
        self.centered(&h.place_and_date(), l.motto_pt, ITALIC);
        self.x.end();
        self.x.end();
        self.x.end();
    }

    /// "BÁO CÁO", the subject and the rule under them.
    pub(super) fn title(&mut self) {
        let l = self.layout;
        let h = &self.doc.header;
        self.centered("", l.body_pt, Style::default());
        self.centered(&h.title.to_uppercase(), l.title_pt, BOLD);
        self.centered(&h.subtitle, l.title_pt, BOLD);
        let width = self.text_width_mm();
        self.rule(width / 3.0, width);
        self.centered("", l.body_pt, Style::default());
    }

    /// "Nơi nhận:" and its list beside the signer.
    pub(super) fn closing_table(&mut self) {
        let h = &self.doc.header;
        let l = self.layout;
        self.centered("", l.body_pt, Style::default());
        let half = mm_to_twips(self.text_width_mm() / 2.0);
        self.open_block_table(&[half, half]);
        self.x.start("w:tr", &[]);
        self.x.start("w:tc", &[]);
        self.cell_width(half);
        let tight = Para {
            spacing: self.tight(),
            ..Para::default()
        };
        self.paragraph(
            &tight,
            "Nơi nhận:",
            l.recipients_heading_pt,
            Style {
                bold: true,
                italic: true,
            },
        );
        for r in &h.recipients {
            self.paragraph(&tight, &format!("- {r}"), l.recipients_pt, Style::default());
        }
        self.x.end();
        self.x.start("w:tc", &[]);
        self.cell_width(half);
        for line in [&h.signer_authority, &h.signer_title] {
            if !line.trim().is_empty() {
                self.centered(&line.to_uppercase(), l.signer_pt, BOLD);
            }
        }
        // Room for the signature and the seal.
        for _ in 0..4 {
            self.centered("", l.signer_pt, BOLD);
        }
        self.centered(&h.signer_name, l.signer_pt, BOLD);
        self.x.end();
        self.x.end();
        self.x.end();
    }

    pub(super) fn page_break_before_appendix(&mut self) {
        self.page_break();
    }

    /// The section's page setup: A4 portrait, the decree's margins, the page
    /// number in the header from page 2 on.
    pub(super) fn section(&mut self, default_header: &str, first_header: &str) {
        let l = self.layout;
        let x = &mut self.x;
        x.start("w:sectPr", &[]);
        x.empty(
            "w:headerReference",
            &[("w:type", "default"), ("r:id", default_header)],
        );
        x.empty(
            "w:headerReference",
            &[("w:type", "first"), ("r:id", first_header)],
        );
        x.empty(
            "w:pgSz",
            &[
                ("w:w", &mm_to_twips(l.page_width_mm).to_string()),
                ("w:h", &mm_to_twips(l.page_height_mm).to_string()),
            ],
        );
        let tw = |mm: f64| mm_to_twips(mm).to_string();
        x.empty(
            "w:pgMar",
            &[
                ("w:top", &tw(l.margin_top_mm)),
                ("w:right", &tw(l.margin_right_mm)),
                ("w:bottom", &tw(l.margin_bottom_mm)),
                ("w:left", &tw(l.margin_left_mm)),
                ("w:header", &tw(10.0)),
                ("w:footer", &tw(10.0)),
                ("w:gutter", "0"),
            ],
        );
        x.empty("w:cols", &[("w:space", "720")]);
        x.empty("w:titlePg", &[]);
        x.end();
    }

    /// The document part, and what it referred to.
    pub(super) fn into_document(self) -> (String, Vec<usize>, Vec<usize>) {
        (self.x.finish(), self.footnote_refs, self.placed_images)
    }

    /// Starts the document part: `<w:document><w:body>`.
    pub(super) fn open_document(&mut self) {
        self.x
            .start("w:document", DOCUMENT_NAMESPACES)
            .start("w:body", &[]);
    }
}

/// An inline picture of `cx` × `cy` EMU showing the `n`th placed image.
fn drawing(x: &mut XmlWriter, n: usize, cx: u64, cy: u64) {
    let (cx, cy) = (cx.to_string(), cy.to_string());
    let id = (n + 1).to_string();
    let name = format!("chart{id}.png");
    x.start(
        "wp:inline",
        &[
            ("distT", "0"),
            ("distB", "0"),
            ("distL", "0"),
            ("distR", "0"),
        ],
    );
    x.empty("wp:extent", &[("cx", &cx), ("cy", &cy)]);
    x.empty(
        "wp:effectExtent",
        &[("l", "0"), ("t", "0"), ("r", "0"), ("b", "0")],
    );
    x.empty("wp:docPr", &[("id", &id), ("name", &name)]);
    x.start("wp:cNvGraphicFramePr", &[])
        .empty("a:graphicFrameLocks", &[("noChangeAspect", "1")])
        .end();
    x.start("a:graphic", &[]);
    x.start(
        "a:graphicData",
        &[(
            "uri",
            "http://schemas.openxmlformats.org/drawingml/2006/picture",
        )],
    );
    x.start("pic:pic", &[]);
    x.start("pic:nvPicPr", &[])
        .empty("pic:cNvPr", &[("id", &id), ("name", &name)])
        .empty("pic:cNvPicPr", &[])
        .end();
    x.start("pic:blipFill", &[])
        .empty("a:blip", &[("r:embed", &image_rel(n))])
        .start("a:stretch", &[])
        .empty("a:fillRect", &[])
        .end()
        .end();
    x.start("pic:spPr", &[]);
    x.start("a:xfrm", &[])
        .empty("a:off", &[("x", "0"), ("y", "0")])
        .empty("a:ext", &[("cx", &cx), ("cy", &cy)])
        .end();
    x.start("a:prstGeom", &[("prst", "rect")])
        .empty("a:avLst", &[])
        .end();
    x.end(); // spPr
    x.end(); // pic
    x.end(); // graphicData
    x.end(); // graphic
    x.end(); // inline
}

/// `word/footnotes.xml`: the separators Word expects, then one note per
/// reference, each opening with its own number.
pub(super) fn footnotes(doc: &Document, layout: &Layout, refs: &[usize]) -> String {
    let mut body = Body::new(doc, layout, &[]);
    body.in_footnote = true;
    let x = &mut body.x;
    x.start(
        "w:footnotes",
        &[
            (
                "xmlns:w",
                "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            ),
            (
                "xmlns:r",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            ),
        ],
    );
    for (id, kind, mark) in [
        ("-1", "separator", "w:separator"),
        ("0", "continuationSeparator", "w:continuationSeparator"),
    ] {
        x.start("w:footnote", &[("w:type", kind), ("w:id", id)]);
        x.start("w:p", &[]);
        Para {
            spacing: Some((0, 0, 240, false)),
            ..Para::default()
        }
        .write(x);
        x.start("w:r", &[]).empty(mark, &[]).end();
        x.end().end();
    }
    for (i, number) in refs.iter().enumerate() {
        let Some(content) = doc.footnotes.get(number.wrapping_sub(1)) else {
            continue;
        };
        let id = (i + 1).to_string();
        body.x.start("w:footnote", &[("w:id", &id)]);
        body.x.start("w:p", &[]);
        Para {
            style: Some("FootnoteText"),
            align: Some("both"),
            ..Para::default()
        }
        .write(&mut body.x);
        body.x.start("w:r", &[]);
        RunProps {
            style: Some("FootnoteReference"),
            ..RunProps::default()
        }
        .write(&mut body.x);
        body.x.empty("w:footnoteRef", &[]).end();
        run(
            &mut body.x,
            RunProps::sized(layout.footnote_pt, Style::default()),
            " ",
        );
        body.inlines(content, layout.footnote_pt, Style::default());
        body.x.end().end();
    }
    body.x.finish()
}
