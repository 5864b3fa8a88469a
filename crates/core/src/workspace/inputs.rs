//! What the workspace's inputs give besides the report: the input template
//! (the figures the report asks for) and the hashes the DOCX records.

use super::Workspace;
use crate::export::TemplateRow;
use sha2::{Digest, Sha256};
use std::collections::HashSet;

impl Workspace {
    /// The figures an input template asks for: each one the report cites
    /// (from the rendered document), or, without a document, every indicator
    /// of the catalogue for each period it requires.
    pub fn input_template_rows(&self) -> Vec<TemplateRow> {
        let mut seen = HashSet::new();
        let cited: Vec<TemplateRow> = match &self.document {
            Some(doc) => doc
                .figures
                .iter()
                .filter_map(|f| f.label.split_once(' '))
                // "A − B" labels are computed, not typed in.
                .filter(|(_, p)| !p.contains('−'))
                .map(|(code, period)| TemplateRow {
                    code: code.to_string(),
                    period: period.to_string(),
                })
                .collect(),
            None => Vec::new(),
        };
        let rows = if cited.is_empty() {
            self.catalog
                .indicators
                .iter()
                .flat_map(|ind| {
                    let periods = if ind.required_periods.is_empty() {
                        vec![String::new()]
                    } else {
                        ind.required_periods.clone()
                    };
                    periods.into_iter().map(|period| TemplateRow {
                        code: ind.code.clone(),
                        period,
                    })
                })
                .collect()
        } else {
            cited
        };
        rows.into_iter()
            .filter(|r| seen.insert((r.code.clone(), r.period.clone())))
            .collect()
    }

    /// The input template as an XLSX workbook, value cells blank.
    #[cfg(feature = "spreadsheets")]
    pub fn input_template_xlsx(&self) -> Result<Vec<u8>, String> {
        crate::export::xlsx::input_template_xlsx(&self.input_template_rows(), &self.catalog, |_| {
            None
        })
    }

    /// SHA-256 over every input file's name and bytes, recorded in the DOCX.
    pub fn inputs_hash(&self) -> String {
        let mut h = Sha256::new();
        for f in &self.files {
            h.update((f.name.len() as u64).to_le_bytes());
            h.update(f.name.as_bytes());
            h.update((f.bytes.len() as u64).to_le_bytes());
            h.update(f.bytes.as_slice());
        }
        hex(&h.finalize())
    }

    pub fn catalog_hash(&self) -> String {
        hex(&Sha256::digest(self.catalog_text.as_bytes()))
    }

    /// What the DOCX records: the hashes of the inputs, and for each cell
    /// of an error the first error's message (the report's language), which
    /// the comment on a figure drawn from it gives.
    pub fn docx_info(&self) -> crate::export::docx::DocxInfo {
        let mut problems = std::collections::HashMap::new();
        for f in self
            .findings
            .iter()
            .filter(|f| f.severity == crate::model::Severity::Error)
        {
            for cell in &f.cells {
                problems
                    .entry(*cell)
                    .or_insert_with(|| f.message(crate::model::Lang::Vi).to_string());
            }
        }
        crate::export::docx::DocxInfo {
            inputs_hash: self.inputs_hash(),
            catalog_hash: self.catalog_hash(),
            problems,
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
