//! What the workspace's inputs give besides the report: the input template
//! (the figures the report asks for) and the hashes the DOCX records.

use super::{Content, InputFile, Workspace};
use crate::export::TemplateRow;
use crate::model::FileId;
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

    /// SHA-256 over every input file's name, size and SHA-256, recorded in
    /// the DOCX; `None` while the digest of a file kept elsewhere is still to be given
    /// (see [`Workspace::undigested`]).
    pub fn inputs_hash(&self) -> Option<String> {
        let mut h = Sha256::new();
        for f in &self.files {
            h.update((f.name.len() as u64).to_le_bytes());
            h.update(f.name.as_bytes());
            h.update(f.size().to_le_bytes());
            h.update(f.digest()?);
        }
        Some(hex(&h.finalize()))
    }

    /// The files the host keeps whose digest it has not given yet: what
    /// it works out before the DOCX is written.
    pub fn undigested(&self) -> Vec<FileId> {
        let undigested =
            |f: &&InputFile| matches!(&f.content, Content::Elsewhere(h) if h.digest.is_none());
        self.files.iter().filter(undigested).map(|f| f.id).collect()
    }

    /// The host's digest of a file it keeps.
    pub fn set_digest(&mut self, file: FileId, digest: [u8; 32]) {
        for f in self.files.iter_mut().filter(|f| f.id == file) {
            if let Content::Elsewhere(e) = &mut f.content {
                e.digest = Some(digest);
            }
        }
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
            // Empty only if the host wrote the DOCX without the digests.
            inputs_hash: self.inputs_hash().unwrap_or_default(),
            catalog_hash: self.catalog_hash(),
            problems,
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Elsewhere;

    #[test]
    fn a_file_kept_elsewhere_hashes_as_its_bytes_do_once_its_digest_is_given() {
        let bytes = b"code,period,value\nCBCC_XA,2020,7\n".to_vec();
        let mut here = Workspace::sample();
        here.add_files(vec![InputFile::new("a.csv", bytes.clone())]);
        let mut elsewhere = here.clone();
        let id = elsewhere.files[0].id;
        elsewhere.files[0].content = Content::Elsewhere(Elsewhere::new(bytes.len() as u64, &bytes));
        assert_eq!(elsewhere.undigested(), [id]);
        assert_eq!(elsewhere.inputs_hash(), None);
        elsewhere.set_digest(id, here.files[0].digest().unwrap_or_default());
        assert!(elsewhere.undigested().is_empty());
        assert_eq!(elsewhere.inputs_hash(), here.inputs_hash());
        assert_eq!(elsewhere.inputs_hash().map(|h| h.len()), Some(64));
        // Another name, another hash.
        elsewhere.files[0].name = "b.csv".into();
        assert_ne!(elsewhere.inputs_hash(), here.inputs_hash());
    }
}
