//! Writers of files the user downloads: the report (DOCX, HTML) and the findings (CSV).

pub mod docx;
pub mod findings;
pub mod html;
