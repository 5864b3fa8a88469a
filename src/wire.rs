//! A file's read as it travels from the page's worker to the page: a head
//! (the file, its findings, and each distinct label once) and chunks of
//! observations that name labels by number. Chunks let the page take a
//! million observations in slices between frames, and the label table keeps
//! the sharing the reader made (one string per distinct indicator, entity,
//! unit and name) instead of a million copies.

use crate::ingest::FileRead;
use crate::model::{
    CellRef, CellText, Finding, Label, Observation, Period, RowLabels, SourceFile, Value,
};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// "No label" (an observation without entity, unit or name).
const NONE: u32 = u32::MAX;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadHead {
    pub source: SourceFile,
    pub findings: Vec<Finding>,
    pub labels: Vec<String>,
    /// How many observations the chunks hold together.
    pub observations: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireObservation {
    indicator: u32,
    entity: u32,
    unit: u32,
    name: u32,
    period: Period,
    value: Value,
    cell: CellRef,
    raw: CellText,
}

/// Splits a read into its head and chunks of at most `chunk` observations.
pub fn split(read: FileRead, chunk: usize) -> (ReadHead, Vec<Vec<WireObservation>>) {
    let mut labels: Vec<String> = Vec::new();
    // By address first: the reader shares one `Arc` per distinct text.
    let mut by_address: FxHashMap<*const u8, u32> = FxHashMap::default();
    let mut by_text: FxHashMap<String, u32> = FxHashMap::default();
    let mut number = |label: Option<&Label>| -> u32 {
        let Some(label) = label else { return NONE };
        if let Some(&n) = by_address.get(&label.as_ptr()) {
            return n;
        }
        let n = *by_text.entry(label.to_string()).or_insert_with(|| {
            labels.push(label.to_string());
            labels.len() as u32 - 1
        });
        by_address.insert(label.as_ptr(), n);
        n
    };
    let count = read.observations.len();
    let mut chunks = Vec::with_capacity(count.div_ceil(chunk.max(1)));
    let mut current = Vec::with_capacity(chunk.min(count));
    for o in read.observations {
        current.push(WireObservation {
            indicator: number(Some(&o.indicator)),
            entity: number(o.entity_label()),
            unit: number(o.unit()),
            name: number(o.name()),
            period: o.period,
            value: o.value,
            cell: o.cell,
            raw: o.raw,
        });
        if current.len() >= chunk.max(1) {
            chunks.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    let head = ReadHead {
        source: read.source,
        findings: read.findings,
        labels,
        observations: count,
    };
    (head, chunks)
}

/// Rebuilds a read from its head and chunks, in order.
pub struct Assembler {
    labels: Vec<Label>,
    rows: FxHashMap<RowLabels, Rc<RowLabels>>,
    read: FileRead,
}

impl Assembler {
    pub fn new(head: ReadHead) -> Self {
        Assembler {
            labels: head
                .labels
                .iter()
                .map(|l| Label::from(l.as_str()))
                .collect(),
            rows: FxHashMap::default(),
            read: FileRead {
                source: head.source,
                observations: Vec::with_capacity(head.observations),
                findings: head.findings,
            },
        }
    }

    /// Adds a chunk; an observation naming a label the head lacks is dropped
    /// (only a damaged message could hold one).
    pub fn add(&mut self, chunk: Vec<WireObservation>) {
        let labels = &self.labels;
        let rows = &mut self.rows;
        let label = |n: u32| labels.get(n as usize).cloned();
        let observations = chunk.into_iter().filter_map(|w| {
            let row = RowLabels {
                entity: label(w.entity),
                unit: label(w.unit),
                name: label(w.name),
            };
            Some(Observation {
                indicator: label(w.indicator)?,
                period: w.period,
                value: w.value,
                cell: w.cell,
                raw: w.raw,
                // One shared value per distinct three, as the reader made them.
                row: (row != RowLabels::default()).then(|| {
                    rows.entry(row)
                        .or_insert_with_key(|r| Rc::new(r.clone()))
                        .clone()
                }),
            })
        });
        self.read.observations.extend(observations);
    }

    pub fn finish(self) -> FileRead {
        self.read
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::ingest::{read_file, Limits, TextEncoding};

    #[test]
    fn a_read_survives_the_trip_in_chunks_and_keeps_its_labels_shared() {
        let csv = "Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị,ĐVT\n\
                   CBCC_XA,Xã A,2020,\"1.957\",người\n\
                   CBCC_XA,Xã A,2021,12,người\n\
                   CONG_CHUC_XA,Xã B,2020,x,người\n\
                   CONG_CHUC_XA,,2020,7,\n";
        let read = read_file(
            "a.csv",
            csv.as_bytes(),
            &Catalog::builtin(),
            0,
            &Limits::default(),
            TextEncoding::Auto,
        );
        assert_eq!(read.observations.len(), 3);
        assert!(!read.findings.is_empty());
        for chunk in [1, 2, 100] {
            let (head, chunks) = split(read.clone(), chunk);
            assert_eq!(head.labels.len(), 4, "{:?}", head.labels);
            let mut assembler = Assembler::new(head);
            for c in chunks {
                assembler.add(c);
            }
            let back = assembler.finish();
            assert_eq!(back.observations, read.observations);
            assert_eq!(back.findings, read.findings);
            assert_eq!(back.source, read.source);
            // The two CBCC_XA rows share one label, and one unit pair, again.
            assert!(matches!(&back.observations[..], [a, b, ..]
                if Label::ptr_eq(&a.indicator, &b.indicator)
                                        && a.row.as_ref().zip(b.row.as_ref()).is_some_and(|(x, y)| Rc::ptr_eq(x, y))));
            assert_eq!(back.observations[0].unit().map(|u| &**u), Some("người"));
        }
    }

    #[test]
    fn a_damaged_chunk_loses_only_what_it_damaged() {
        let mut assembler = Assembler::new(ReadHead {
            source: SourceFile::default(),
            findings: Vec::new(),
            labels: vec!["A".into()],
            observations: 2,
        });
        let good = WireObservation {
            indicator: 0,
            entity: NONE,
            unit: 7,
            name: NONE,
            period: Period::Year(2020),
            value: Value::text("x"),
            cell: CellRef {
                file: 0,
                sheet: 0,
                row: 2,
                col: 0,
            },
            raw: "x".into(),
        };
        let bad = WireObservation {
            indicator: 9,
            ..good.clone()
        };
        assembler.add(vec![good, bad]);
        let read = assembler.finish();
        assert_eq!(read.observations.len(), 1);
        assert_eq!(read.observations[0].unit(), None);
        assert_eq!(read.observations[0].row, None);
    }
}
