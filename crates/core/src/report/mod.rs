//! The report: template + data → [`Document`]. Writers live in `export`
//! (DOCX) and in the UI (the HTML preview).

pub mod data;
pub mod document;
pub mod inline;
pub mod layout;
pub mod markdown;
pub mod marks;
pub mod paginate;
pub mod starter;
pub mod table;
pub mod tables;
pub mod template;
mod template_error;

use crate::model::{Finding, Severity};
use document::{Document, FigureStatus, Header};
use std::sync::Arc;
use template::{ReportData, Template, TemplateError};

/// Renders `template` with `data`; `header` is the user's (edited) header.
/// A missing figure is a placeholder in the text and a finding.
pub fn build(
    template: &Template,
    header: &Header,
    data: &Arc<ReportData>,
) -> Result<(Document, Vec<Finding>), TemplateError> {
    let rendered = template::render(template, header, data)?;
    let read = markdown::read_all(&rendered.markdown, rendered.tables);
    let mut findings = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for f in rendered
        .figures
        .iter()
        .filter(|f| f.status == FigureStatus::Missing)
    {
        if seen.insert(f.label.clone()) {
            findings.push(Finding::new(
                Severity::Warning,
                "report.missing-figure",
                format!("Báo cáo cần số liệu {} nhưng dữ liệu không có", f.label),
                format!("The report needs {} but the data lack it", f.label),
            ));
        }
    }
    let document = Document {
        header: header.clone(),
        blocks: read.blocks,
        footnotes: read.footnotes,
        figures: rendered.figures,
        charts: rendered.charts,
        appendix_start: read.appendix_start,
    };
    Ok((document, findings))
}
