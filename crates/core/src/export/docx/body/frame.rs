//! The ND30 frame around the body: the two-column header (agencies, motto,
//! number and date), the title, the closing block (recipients and signer),
//! and the section's page setup.

use super::{Body, Orientation, Para, Style, BOLD, ITALIC};
use crate::export::docx::parts::{DEFAULT_HEADER, FIRST_HEADER};
use crate::report::layout::mm_to_twips;

impl Body<'_> {
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
    pub(in crate::export::docx) fn header_table(&mut self) {
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
    pub(in crate::export::docx) fn title(&mut self) {
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
    pub(in crate::export::docx) fn closing_table(&mut self) {
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

    pub(in crate::export::docx) fn page_break_before_appendix(&mut self) {
        self.page_break();
    }

    /// The last section's page setup, closing the body.
    pub(in crate::export::docx) fn final_section(&mut self) {
        self.section_properties();
    }

    /// The current section's page setup: A4 in its orientation, the
    /// decree's margins, the page number in the header. The first section
    /// has a first page of its own (no number on page 1); the others
    /// number every page, and no section restarts the count.
    pub(super) fn section_properties(&mut self) {
        let l = self.layout;
        let first = self.sections == 0;
        let landscape = self.orientation == Orientation::Landscape;
        let x = &mut self.x;
        x.start("w:sectPr", &[]);
        x.empty(
            "w:headerReference",
            &[("w:type", "default"), ("r:id", DEFAULT_HEADER)],
        );
        if first {
            x.empty(
                "w:headerReference",
                &[("w:type", "first"), ("r:id", FIRST_HEADER)],
            );
        }
        let (w, h) = (mm_to_twips(l.page_width_mm), mm_to_twips(l.page_height_mm));
        if landscape {
            x.empty(
                "w:pgSz",
                &[
                    ("w:w", &h.to_string()),
                    ("w:h", &w.to_string()),
                    ("w:orient", "landscape"),
                ],
            );
        } else {
            x.empty(
                "w:pgSz",
                &[("w:w", &w.to_string()), ("w:h", &h.to_string())],
            );
        }
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
        if first {
            x.empty("w:titlePg", &[]);
        }
        x.end();
    }
}
