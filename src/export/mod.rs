//! Writers of files the user downloads: the report (DOCX, HTML) the findings (CSV, XLSX) and the input template (XLSX).

pub mod docx;
pub mod findings;
pub mod html;
pub mod xlsx;
