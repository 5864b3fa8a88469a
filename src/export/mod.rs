//! Writers of files the user downloads: the report (DOCX) and the findings (CSV).

pub mod docx;
pub mod findings;
