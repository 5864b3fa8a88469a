//! The document body and its footnotes as WordprocessingML. Every property
//! element is written in the order the schema's sequences give (CT_PPr,
//! CT_RPr, CT_TblPr, CT_TcPr, CT_SectPr), so Word opens the file without
//! repairing it.

use super::{ChartImage, CHART_WIDTH_MM};
use crate::model::CellRef;
use crate::report::document::{Block, Document, Inline, Style};
use crate::report::layout::{mm_to_twips, Layout};
use crate::xml::XmlWriter;
use std::collections::HashMap;

mod comments;
mod frame;
mod notes;
mod table;

pub(super) use comments::comments_xml;
use notes::drawing;
pub(super) use notes::footnotes;
use table::Orientation;

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
    /// A figure the page flagged.
    highlight: Option<&'static str>,
}

impl RunProps {
    fn sized(size_pt: f64, style: Style) -> RunProps {
        RunProps {
            style: None,
            bold: style.bold,
            italic: style.italic,
            size_pt: Some(size_pt),
            highlight: None,
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
        if let Some(colour) = self.highlight {
            x.empty("w:highlight", &[("w:val", colour)]);
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
    /// Why each cell that failed a check failed, for the comments.
    problems: &'a HashMap<CellRef, String>,
    /// The comments written, in order: their ids are their places.
    pub(super) comments: Vec<String>,
    /// The page the current section is laid on, and how many sections
    /// have ended before it.
    orientation: Orientation,
    sections: usize,
    /// A page break not yet written: a section break that comes first
    /// starts the new page instead.
    pending_page_break: bool,
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

/// No cell's problem: what the footnotes' writer and a bare document name.
fn no_problems() -> &'static HashMap<CellRef, String> {
    static NONE: std::sync::OnceLock<HashMap<CellRef, String>> = std::sync::OnceLock::new();
    NONE.get_or_init(HashMap::new)
}

/// The relationship id of the image of the `n`th placed chart (from 0).
pub(super) fn image_rel(n: usize) -> String {
    format!("rIdImage{}", n + 1)
}

impl<'a> Body<'a> {
    /// Comments name the problems of these cells.
    pub(super) fn with_problems(mut self, problems: &'a HashMap<CellRef, String>) -> Self {
        self.problems = problems;
        self
    }

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
            problems: no_problems(),
            comments: Vec::new(),
            orientation: Orientation::Portrait,
            sections: 0,
            pending_page_break: false,
        }
    }

    fn portrait_text_width_mm(&self) -> f64 {
        let l = self.layout;
        l.page_width_mm - l.margin_left_mm - l.margin_right_mm
    }

    /// The width between the margins of the current section's page.
    fn text_width_mm(&self) -> f64 {
        let l = self.layout;
        match self.orientation {
            Orientation::Portrait => self.portrait_text_width_mm(),
            Orientation::Landscape => l.page_height_mm - l.margin_left_mm - l.margin_right_mm,
        }
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
                Inline::Figure { id, style } => self.figure_run(
                    doc.figures.get(*id),
                    RunProps::sized(size_pt, merge(base, *style)),
                ),
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
        self.pending_page_break = true;
    }

    fn flush_page_break(&mut self) {
        if !std::mem::take(&mut self.pending_page_break) {
            return;
        }
        self.x
            .start("w:p", &[])
            .start("w:r", &[])
            .empty("w:br", &[("w:type", "page")])
            .end()
            .end();
    }

    pub(super) fn blocks(&mut self, blocks: &[Block]) {
        let wide = Document::landscape_blocks(blocks, self.portrait_text_width_mm());
        for (block, wide) in blocks.iter().zip(wide) {
            self.switch_orientation(if wide {
                Orientation::Landscape
            } else {
                Orientation::Portrait
            });
            if !matches!(block, Block::PageBreak) {
                self.flush_page_break();
            }
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
                Block::Table(table) => self.table(table),
            }
        }
    }

    /// Back to a portrait page (before the closing block), with any page
    /// break still owed.
    pub(super) fn end_blocks(&mut self) {
        self.switch_orientation(Orientation::Portrait);
        self.flush_page_break();
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

    /// The document part, and what it referred to.
    /// The document part, the footnote references, the charts placed and
    /// the comments.
    pub(super) fn into_document(self) -> (String, Vec<usize>, Vec<usize>, Vec<String>) {
        (
            self.x.finish(),
            self.footnote_refs,
            self.placed_images,
            self.comments,
        )
    }

    /// Starts the document part: `<w:document><w:body>`.
    pub(super) fn open_document(&mut self) {
        self.x
            .start("w:document", DOCUMENT_NAMESPACES)
            .start("w:body", &[]);
    }
}
