//! Every finding as CSV, for the download: the checks' findings past the
//! cap are found again, streamed out in chunks, and kept nowhere.

use super::Workspace;
use crate::check;
use crate::export::findings::{header, row, safe_cell};
use crate::model::{Finding, Lang};

/// Chunks of about this many bytes go out as they fill.
const CHUNK: usize = 1 << 20;

impl Workspace {
    /// Writes every finding as CSV (UTF-8 with a BOM, so Excel reads the
    /// Vietnamese text), a chunk at a time to `out`: those of the reads,
    /// every one of the checks (run again when some were left out of
    /// `findings`), then the report's.
    pub fn findings_csv(&self, lang: Lang, mut out: impl FnMut(Vec<u8>)) {
        let mut csv = Csv::new(lang, &mut out);
        let checks = self.check_findings.clone();
        let (before, rest) = self
            .findings
            .split_at(checks.start.min(self.findings.len()));
        let (of_checks, after) = rest.split_at(checks.len().min(rest.len()));
        before.iter().for_each(|f| csv.write(f, self));
        if of_checks.iter().any(|f| f.more > 0) {
            check::check_each(&self.dataset, &self.catalog, |f| csv.write(&f, self));
        } else {
            of_checks.iter().for_each(|f| csv.write(f, self));
        }
        after.iter().for_each(|f| csv.write(f, self));
        csv.flush();
    }
}

struct Csv<'o, O: FnMut(Vec<u8>)> {
    writer: csv::Writer<Vec<u8>>,
    lang: Lang,
    out: &'o mut O,
}

impl<'o, O: FnMut(Vec<u8>)> Csv<'o, O> {
    fn new(lang: Lang, out: &'o mut O) -> Self {
        let mut writer = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
        let _ = writer.write_record(header(lang));
        Csv { writer, lang, out }
    }

    fn write(&mut self, f: &Finding, ws: &Workspace) {
        let cells = row(f, &ws.dataset, &ws.catalog, self.lang);
        let _ = self.writer.write_record(cells.iter().map(|c| safe_cell(c)));
        if self.writer.get_ref().len() >= CHUNK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let fresh = csv::WriterBuilder::new().from_writer(Vec::new());
        let full = std::mem::replace(&mut self.writer, fresh).into_inner();
        if let Ok(full) = full.map_err(|e| e.into_error()) {
            if !full.is_empty() {
                (self.out)(full);
            }
        }
    }
}
