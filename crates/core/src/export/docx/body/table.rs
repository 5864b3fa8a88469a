//! Tables as real Word tables: header rows repeated on every page
//! (`w:tblHeader`), merged header cells (`w:gridSpan` across, `w:vMerge`
//! down), the column-number row, bold section and total rows. A table too
//! wide for a portrait page goes in a landscape section of its own; page
//! numbers run on because no section restarts them.

use super::{Body, Para, Style, BOLD, ITALIC};
use crate::report::layout::mm_to_twips;
use crate::report::table::{ColumnKind, RowKind, Table, CELL_MARGIN_MM};

/// The page a section is laid on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::export::docx) enum Orientation {
    Portrait,
    Landscape,
}

impl Body<'_> {
    /// Ends the current section here and starts one laid on `next`.
    pub(super) fn switch_orientation(&mut self, next: Orientation) {
        if self.orientation == next {
            return;
        }
        // The section break starts a new page itself.
        self.pending_page_break = false;
        self.x.start("w:p", &[]).start("w:pPr", &[]);
        self.section_properties();
        self.x.end().end();
        self.sections += 1;
        self.orientation = next;
    }

    pub(super) fn table(&mut self, table: &Table) {
        let columns = table.width();
        if columns == 0 {
            return;
        }
        let l = self.layout;
        let size = table.font_pt(self.text_width_mm());
        // Above the grid: the form, the title, the unit; each kept with it.
        for (text, align, gap, pt, style) in [
            (&table.form, "left", 0, size, BOLD),
            (&table.title, "center", 120, l.body_pt, BOLD),
            (&table.unit_note, "right", 0, size, ITALIC),
        ] {
            if !text.is_empty() {
                let para = Para {
                    keep_next: true,
                    spacing: Some((gap, gap, 240, false)),
                    align: Some(align),
                    ..Para::default()
                };
                self.paragraph(&para, text, pt, style);
            }
        }
        let widths: Vec<u32> = table
            .fitted_widths_mm(self.text_width_mm())
            .into_iter()
            .map(mm_to_twips)
            .collect();
        let total: u32 = widths.iter().sum();
        self.x.start("w:tbl", &[]);
        self.x.start("w:tblPr", &[]);
        self.x.empty("w:tblStyle", &[("w:val", "TableGrid")]);
        self.x
            .empty("w:tblW", &[("w:w", &total.to_string()), ("w:type", "dxa")]);
        self.x.empty("w:tblLayout", &[("w:type", "fixed")]);
        let margin = mm_to_twips(CELL_MARGIN_MM).to_string();
        self.x
            .start("w:tblCellMar", &[])
            .empty("w:left", &[("w:w", &margin), ("w:type", "dxa")])
            .empty("w:right", &[("w:w", &margin), ("w:type", "dxa")])
            .end();
        self.x.end();
        self.grid(&widths);
        self.head_rows(table, &widths, size);
        if !table.numbers.is_empty() {
            self.open_header_row();
            for (c, w) in widths.iter().enumerate() {
                let text = table.numbers.get(c).map_or("", String::as_str);
                self.table_cell(*w, 1, None, "center", |b| b.run_text(text, size, ITALIC));
            }
            self.x.end();
        }
        for row in &table.rows {
            let style = match row.kind {
                RowKind::Body => Style::default(),
                RowKind::Section | RowKind::Total => BOLD,
            };
            self.x.start("w:tr", &[]);
            self.x.start("w:trPr", &[]).empty("w:cantSplit", &[]).end();
            for (c, w) in widths.iter().enumerate() {
                let align = match table.columns.get(c) {
                    Some(ColumnKind::Figure) => "right",
                    Some(ColumnKind::Number) => "center",
                    _ => "left",
                };
                let cell = row.cells.get(c).map_or(&[][..], Vec::as_slice);
                self.table_cell(*w, 1, None, align, |b| b.inlines(cell, size, style));
            }
            self.x.end();
        }
        self.x.end();
        if !table.note.is_empty() {
            let para = Para {
                spacing: Some((60, 120, 240, false)),
                ..Para::default()
            };
            self.paragraph(&para, &table.note, size, ITALIC);
        } else {
            // Word needs a paragraph between a table and what follows.
            let para = Para {
                spacing: Some((0, 120, 240, false)),
                ..Para::default()
            };
            self.paragraph(&para, "", size, Style::default());
        }
    }

    /// The header rows: each cell where it starts, with its span across;
    /// a cell merged down from above continues there (`w:vMerge`).
    fn head_rows(&mut self, table: &Table, widths: &[u32], size: f64) {
        let depth = table.head.len();
        for (level, cells) in table.head.iter().enumerate() {
            self.open_header_row();
            let mut col = 0;
            while col < widths.len() {
                let starts = cells.iter().find(|c| c.col == col);
                let above = table.head[..level].iter().enumerate().find_map(|(l, row)| {
                    row.iter().find(|c| c.col == col && l + c.row_span > level)
                });
                let (span, merge, text) = match (starts, above) {
                    (Some(c), _) => (
                        c.span.max(1),
                        (c.row_span > 1 && depth > 1).then_some("restart"),
                        c.text.as_str(),
                    ),
                    (None, Some(c)) => (c.span.max(1), Some("continue"), ""),
                    (None, None) => (1, None, ""),
                };
                let span = span.min(widths.len() - col);
                let width: u32 = widths[col..col + span].iter().sum();
                self.table_cell(width, span, merge, "center", |b| {
                    b.run_text(text, size, BOLD)
                });
                col += span;
            }
            self.x.end();
        }
    }

    /// A row repeated at the top of every page the table runs onto.
    fn open_header_row(&mut self) {
        self.x.start("w:tr", &[]);
        self.x
            .start("w:trPr", &[])
            .empty("w:cantSplit", &[])
            .empty("w:tblHeader", &[])
            .end();
    }

    /// One `w:tc` (CT_TcPr's order: tcW, gridSpan, vMerge, vAlign).
    fn table_cell(
        &mut self,
        width: u32,
        span: usize,
        merge: Option<&str>,
        align: &'static str,
        content: impl FnOnce(&mut Self),
    ) {
        self.x.start("w:tc", &[]);
        self.x.start("w:tcPr", &[]);
        self.x
            .empty("w:tcW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
        if span > 1 {
            self.x.empty("w:gridSpan", &[("w:val", &span.to_string())]);
        }
        match merge {
            Some("restart") => {
                self.x.empty("w:vMerge", &[("w:val", "restart")]);
            }
            Some(_) => {
                self.x.empty("w:vMerge", &[]);
            }
            None => {}
        }
        self.x.empty("w:vAlign", &[("w:val", "center")]);
        self.x.end();
        self.x.start("w:p", &[]);
        Para {
            spacing: Some((20, 20, 240, false)),
            align: Some(align),
            ..Para::default()
        }
        .write(&mut self.x);
        content(self);
        self.x.end();
        self.x.end();
    }

    fn run_text(&mut self, text: &str, size: f64, style: Style) {
        if !text.is_empty() {
            super::run(&mut self.x, super::RunProps::sized(size, style), text);
        }
    }
}
