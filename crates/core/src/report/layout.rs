//! Page setup per Nghị định 30/2020 (Phụ lục I), shared by the preview and
//! the DOCX writer so both lay out the same page.

/// Millimetres and points for every element the report has.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub page_width_mm: f64,
    pub page_height_mm: f64,
    pub margin_top_mm: f64,
    pub margin_bottom_mm: f64,
    pub margin_left_mm: f64,
    pub margin_right_mm: f64,
    pub font: &'static str,
    pub body_pt: f64,
    pub header_agency_pt: f64,
    pub motto_pt: f64,
    pub number_pt: f64,
    pub title_pt: f64,
    pub recipients_heading_pt: f64,
    pub recipients_pt: f64,
    pub signer_pt: f64,
    pub footnote_pt: f64,
    pub page_number_pt: f64,
    pub first_line_indent_mm: f64,
    pub paragraph_gap_pt: f64,
    /// Line spacing as a multiple of single.
    pub line_spacing: f64,
}

impl Default for Layout {
    /// The values the decree's own samples use.
    fn default() -> Self {
        Layout {
            page_width_mm: 210.0,
            page_height_mm: 297.0,
            margin_top_mm: 20.0,
            margin_bottom_mm: 20.0,
            margin_left_mm: 30.0,
            margin_right_mm: 15.0,
            font: "Times New Roman",
            body_pt: 14.0,
            header_agency_pt: 12.0,
            motto_pt: 13.0,
            number_pt: 13.0,
            title_pt: 14.0,
            recipients_heading_pt: 12.0,
            recipients_pt: 11.0,
            signer_pt: 14.0,
            footnote_pt: 10.0,
            page_number_pt: 13.0,
            first_line_indent_mm: 12.7,
            paragraph_gap_pt: 6.0,
            line_spacing: 1.15,
        }
    }
}

/// Millimetres to twentieths of a point (Word's twips).
pub fn mm_to_twips(mm: f64) -> u32 {
    (mm * 1440.0 / 25.4).round() as u32
}
