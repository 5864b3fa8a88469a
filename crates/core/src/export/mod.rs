//! Writers of files the user downloads: the report (DOCX, HTML) the findings (CSV, XLSX) and the input template (XLSX).

pub mod docx;
pub mod findings;
pub mod html;
/// XLSX needs rust_xlsxwriter: the reader worker writes the workbooks for the page.
#[cfg(feature = "spreadsheets")]
pub mod xlsx;

/// One row of the input template: a figure to fill in.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TemplateRow {
    pub code: String,
    /// Empty when the catalogue asks for no particular period.
    pub period: String,
}
