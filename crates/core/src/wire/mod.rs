//! A file's read as it travels from the page's worker to the page: a head
//! (the file, its findings, and each distinct label once) and chunks of
//! observations packed into bytes that name labels by number.
//!
//! Chunks let the page take a million observations in slices between
//! frames, and the label table keeps the sharing the reader made (one string
//! per distinct indicator, entity, unit and name) instead of a million
//! copies. Why bytes of our own rather than serde: every byte of a message
//! is copied out of the worker, into the page's wasm, and then visited by
//! the decoder; serde's bincode takes ~70 bytes and a visitor call per field
//! of an observation that packs into about 11 here (`record`: what differs
//! from the observation before, in variable-length integers, and the raw
//! text), and the messages are the page's largest cost after the check.

use crate::ingest::FileRead;
use crate::model::{Finding, Label, Observation, SourceFile, Value};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

mod assemble;
mod record;
use crate::model::{CellRef, ObservationRef, Part, Period, ValueRef};
pub use assemble::Assembler;
use record::{Last, Record};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadHead {
    pub source: SourceFile,
    pub findings: Vec<Finding>,
    /// How many observations the chunks hold together.
    pub observations: usize,
    /// New values for observations sent while the file was still being
    /// read, by index over all of them (`ingest::TextReading::finish_taken`).
    pub corrections: Vec<(usize, Value)>,
    /// For a text read in parts, what each part's rows are shifted by
    /// (`ingest::parts::Joined`); empty for a read in one part.
    #[serde(default)]
    pub shifts: Vec<u32>,
}

/// Observations packed into bytes, with the labels they name first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Chunk {
    /// Labels not in an earlier chunk; they take the next numbers.
    pub labels: Vec<String>,
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

/// A read being sent: chunks packed while the file is read (`pack`), then
/// the head, then the rest a chunk at a time, each packed when asked for
/// (so the worker packs one while the page unpacks the last).
pub struct Encoder {
    rest: Part,
    /// The next of `rest` to send.
    next: usize,
    chunk: usize,
    /// Observations packed so far.
    packed: usize,
    numbers: Numbers,
}

/// Label numbers, given as labels are first sent: label n travels as n + 1
/// (0 is "no label").
struct Numbers {
    /// By address first: the reader shares one label per distinct text.
    by_address: FxHashMap<*const u8, u32>,
    by_text: FxHashMap<String, u32>,
    sent: u32,
    /// The last label in each place of an observation (indicator, entity,
    /// unit, name) and its number: a long file's rows repeat the entity's
    /// labels (one shared `RowLabels`) for dozens of rows.
    last: [(*const u8, u32); 4],
}

impl Default for Numbers {
    fn default() -> Self {
        Numbers {
            by_address: FxHashMap::default(),
            by_text: FxHashMap::default(),
            sent: 0,
            last: [(std::ptr::null(), 0); 4],
        }
    }
}

impl Encoder {
    /// An encoder of chunks of at most `chunk` observations.
    pub fn new(chunk: usize) -> Encoder {
        Encoder {
            rest: Part::new(),
            next: 0,
            chunk: chunk.max(1),
            packed: 0,
            numbers: Numbers::default(),
        }
    }

    /// Packs observations handed out while the file is still being read.
    pub fn pack(&mut self, observations: &[Observation]) -> Chunk {
        let mut chunk = Chunk {
            labels: Vec::new(),
            // About what an observation of a long file takes.
            bytes: Vec::with_capacity(observations.len() * 16),
        };
        let mut last = None;
        for o in observations {
            last = Some(self.numbers.put(o, last, &mut chunk));
        }
        self.packed += observations.len();
        chunk
    }

    /// The head of the finished read; its observations are the chunks still
    /// to come (`next`).
    pub fn finish(&mut self, read: FileRead, corrections: Vec<(usize, Value)>) -> ReadHead {
        let head = ReadHead {
            source: read.source,
            findings: read.findings,
            observations: self.packed + read.observations.len(),
            corrections,
            shifts: Vec::new(),
        };
        self.rest = read.observations;
        self.next = 0;
        head
    }
}

impl Numbers {
    /// Packs `o` after `last`, the one before in the chunk.
    fn put(&mut self, o: &Observation, last: Option<Last>, chunk: &mut Chunk) -> Last {
        let labels = [Some(&o.indicator), o.entity_label(), o.unit(), o.name()];
        let value = ValueRef::of(&o.value);
        self.put_parts(labels, (o.period, value, o.cell, &o.raw), last, chunk)
    }

    /// Packs a part's `o` after `last`.
    fn put_ref(&mut self, o: ObservationRef, last: Option<Last>, chunk: &mut Chunk) -> Last {
        let labels = [
            Some(o.indicator_label()),
            o.entity_label(),
            o.unit(),
            o.name(),
        ];
        self.put_parts(labels, (o.period, o.value, o.cell, &o.raw()), last, chunk)
    }

    fn put_parts(
        &mut self,
        places: [Option<&Label>; 4],
        (period, value, cell, raw): (Period, ValueRef, CellRef, &str),
        last: Option<Last>,
        chunk: &mut Chunk,
    ) -> Last {
        let mut labels = [0; 4];
        for (slot, (n, label)) in labels.iter_mut().zip(places).enumerate() {
            *n = self.number(slot, label, &mut chunk.labels);
        }
        let record = Record {
            labels,
            period,
            value,
            cell,
            raw,
        };
        record::put(&mut chunk.bytes, last, &record)
    }

    /// The number of the label in place `slot` of an observation.
    fn number(&mut self, slot: usize, label: Option<&Label>, new: &mut Vec<String>) -> u32 {
        let Some(label) = label else { return 0 };
        let address = label.as_ptr();
        if let Some(&(last, n)) = self.last.get(slot) {
            if last == address {
                return n;
            }
        }
        let n = self.number_of(label, new);
        if let Some(last) = self.last.get_mut(slot) {
            *last = (address, n);
        }
        n
    }

    fn number_of(&mut self, label: &Label, new: &mut Vec<String>) -> u32 {
        if let Some(&n) = self.by_address.get(&label.as_ptr()) {
            return n;
        }
        let n = match self.by_text.get(&**label) {
            Some(&n) => n,
            None => {
                self.sent += 1;
                new.push(label.to_string());
                self.by_text.insert(label.to_string(), self.sent);
                self.sent
            }
        };
        self.by_address.insert(label.as_ptr(), n);
        n
    }
}

impl Iterator for Encoder {
    type Item = Chunk;

    /// The next chunk of what `finish` left to send.
    fn next(&mut self) -> Option<Chunk> {
        let mut chunk = Chunk::default();
        let mut last = None;
        let to = self.next.saturating_add(self.chunk).min(self.rest.len());
        for o in (self.next..to).filter_map(|i| self.rest.get(i)) {
            last = Some(self.numbers.put_ref(o, last, &mut chunk));
        }
        self.next = to;
        (!chunk.bytes.is_empty()).then_some(chunk)
    }
}

/// Splits a read into its head and all its chunks at once.
#[cfg(test)]
fn split(read: FileRead, chunk: usize) -> (ReadHead, Vec<Chunk>) {
    let mut encoder = Encoder::new(chunk);
    let head = encoder.finish(read, Vec::new());
    (head, encoder.collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::ingest::{read_file, Limits, TextEncoding};
    use crate::model::{CellRef, Period};
    use std::rc::Rc;

    /// A CSV text read with the built-in catalogue, as file 0.
    fn read_csv(csv: &str) -> FileRead {
        let (catalog, limits) = (Catalog::builtin(), Limits::default());
        read_file(
            "a.csv",
            csv.as_bytes(),
            &catalog,
            0,
            &limits,
            TextEncoding::Auto,
        )
    }

    #[test]
    fn a_read_survives_the_trip_in_chunks_and_keeps_its_labels_shared(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let csv = "Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị,ĐVT\n\
                   CBCC_XA,Xã A,2020,\"1.957\",người\n\
                   CBCC_XA,Xã A,2021,12,người\n\
                   CONG_CHUC_XA,Xã B,2020,x,người\n\
                   CONG_CHUC_XA,,2020,7,\n";
        let read = read_csv(csv);
        assert_eq!(read.observations.len(), 3);
        assert!(!read.findings.is_empty());
        for chunk in [1, 2, 100] {
            let (head, chunks) = split(read.clone(), chunk);
            // Each label travels once, in the first chunk that names it.
            let sent: Vec<&String> = chunks.iter().flat_map(|c| &c.labels).collect();
            assert_eq!(sent.len(), 4, "{sent:?}");
            let mut assembler = Assembler::new();
            assembler.head(head);
            for c in &chunks {
                assembler.add(c);
            }
            let back = assembler.finish().ok_or("no head")?;
            assert_eq!(back.observations, read.observations);
            assert_eq!(back.findings, read.findings);
            assert_eq!(back.source, read.source);
            // The two CBCC_XA rows share one label, and one unit pair, again.
            assert!(matches!(&back.observations.to_vec()[..], [a, b, ..]
                if Label::ptr_eq(&a.indicator, &b.indicator)
                                        && a.row.as_ref().zip(b.row.as_ref()).is_some_and(|(x, y)| Rc::ptr_eq(x, y))));
            assert_eq!(
                back.observations.to_vec()[0].unit().map(|u| &**u),
                Some("người")
            );
        }
        Ok(())
    }

    /// What the worker does: chunks packed while reading, then the head with
    /// the corrections, then the rest.
    #[test]
    fn chunks_sent_while_reading_are_corrected_by_the_head(
    ) -> Result<(), Box<dyn std::error::Error>> {
        use crate::ingest::{open, Opened};
        let csv = b"code,entity,period,value\nCBCC_HUYEN_DAI_HOC_TY_LE,A,2019,1.957\n\
                    CBCC_HUYEN_DAI_HOC_TY_LE,A,2020,97.4\nCBCC_HUYEN_DAI_HOC_TY_LE,B,2020,90.1\n";
        let (catalog, limits) = (Catalog::builtin(), Limits::default());
        let whole = read_file("a.csv", csv, &catalog, 0, &limits, TextEncoding::Auto);
        let Opened::Text(text) = open("a.csv", csv, &catalog, 0, &limits, TextEncoding::Auto)
        else {
            return Err("not text".into());
        };
        let mut reading = text.reading(&catalog, &limits);
        let mut encoder = Encoder::new(1);
        let mut assembler = Assembler::new();
        // One row, taken and sent before the file's style is known.
        reading.step(1);
        assembler.add(&encoder.pack(&reading.take_observations()));
        while !reading.step(usize::MAX) {}
        let (read, corrections) = reading.finish_taken();
        assert_eq!(corrections.len(), 1);
        assembler.head(encoder.finish(read, corrections));
        for chunk in encoder {
            assembler.add(&chunk);
        }
        assert_eq!(assembler.finish().ok_or("no head")?, whole);
        assert_eq!(whole.observations.to_vec()[0].value.number(), Some(1.957));
        Ok(())
    }

    #[test]
    fn every_period_kind_and_text_values_survive_the_trip() {
        let periods = [
            Period::Year(2021),
            Period::Quarter {
                year: 2021,
                quarter: 4,
            },
            Period::Half {
                year: 2020,
                half: 2,
            },
            Period::Span {
                from: 2016,
                to: 2020,
            },
        ];
        let observations: Vec<Observation> = periods
            .iter()
            .enumerate()
            .map(|(i, &period)| Observation {
                indicator: "A".into(),
                period,
                value: if i % 2 == 0 {
                    Value::Number(-1.5e300)
                } else {
                    Value::text("Khá")
                },
                cell: CellRef {
                    file: 3,
                    sheet: 1,
                    row: 70_000 + i as u32,
                    col: 200,
                },
                raw: "Xã ".repeat(i * 20).into(),
                row: None,
            })
            .collect();
        let read = FileRead {
            source: SourceFile::default(),
            observations: observations.into(),
            findings: Vec::new(),
        };
        let (head, chunks) = split(read.clone(), 3);
        let mut assembler = Assembler::new();
        for c in &chunks {
            assembler.add(c);
        }
        assembler.head(head);
        assert_eq!(assembler.finish(), Some(read));
    }

    #[test]
    fn a_damaged_chunk_loses_only_what_it_damaged() -> Result<(), Box<dyn std::error::Error>> {
        let mut assembler = Assembler::new();
        assembler.head(ReadHead {
            source: SourceFile::default(),
            findings: Vec::new(),
            observations: 3,
            corrections: Vec::new(),
            shifts: Vec::new(),
        });
        // Each packed as the first of a chunk: whole, nothing left out.
        let one = |indicator: u32, unit: u32| {
            let mut b = Vec::new();
            let record = Record {
                labels: [indicator, 0, unit, 0],
                period: Period::Year(2020),
                value: ValueRef::Text("x"),
                cell: CellRef {
                    file: 0,
                    sheet: 0,
                    row: 2,
                    col: 0,
                },
                raw: "x",
            };
            record::put(&mut b, None, &record);
            b
        };
        // A unit the head lacks is left out; an indicator it lacks drops the
        // observation; bytes cut short end the chunk.
        let mut chunk = one(1, 8);
        chunk.extend(one(10, 0));
        chunk.extend(one(1, 0));
        chunk.extend(&one(1, 0)[..6]);
        assembler.add(&Chunk {
            labels: vec!["A".into()],
            bytes: chunk,
        });
        let read = assembler.finish().ok_or("no head")?;
        assert_eq!(read.observations.len(), 2);
        assert_eq!(read.observations.to_vec()[0].unit(), None);
        assert_eq!(read.observations.to_vec()[0].row, None);
        Ok(())
    }

    #[test]
    fn parts_packed_apart_come_back_joined_with_their_rows_shifted(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let read = read_csv(
            "Mã chỉ tiêu,Kỳ,Giá trị\nCBCC_XA,2020,10\nCBCC_XA,2021,11\nCONG_CHUC_XA,2020,7\n",
        );
        // Part 1 as its own reader made it: rows from 1 at its start, and
        // labels numbered by an encoder of its own.
        let all = read.observations.to_vec();
        let (first, second) = all.split_at(1);
        let mut later = second.to_vec();
        for o in &mut later {
            o.cell.row -= 2;
        }
        let (mut a, mut b) = (Encoder::new(10), Encoder::new(10));
        let (chunk_a, chunk_b) = (a.pack(first), b.pack(&later));
        let mut assembler = Assembler::new();
        // Chunks of the two parts come in any order.
        assembler.add_to(1, &chunk_b);
        assembler.add_to(0, &chunk_a);
        // A damaged message naming part 4 billion makes no room for it.
        assembler.add_to(u32::MAX, &chunk_b);
        let mut head = a.finish(
            FileRead {
                observations: Part::new(),
                ..read.clone()
            },
            vec![(2, Value::Number(8.0))],
        );
        head.observations = 3;
        head.shifts = vec![0, 2];
        assembler.head(head);
        let back = assembler.finish().ok_or("no head")?;
        assert_eq!(
            back.observations.to_vec()[..2],
            read.observations.to_vec()[..2]
        );
        assert_eq!(
            back.observations.to_vec()[2].cell,
            read.observations.to_vec()[2].cell
        );
        assert_eq!(back.observations.to_vec()[2].value, Value::Number(8.0));
        Ok(())
    }

    #[test]
    fn junk_bytes_never_panic() {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for len in 0..400 {
            let junk: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            let mut assembler = Assembler::new();
            assembler.head(ReadHead {
                source: SourceFile::default(),
                findings: Vec::new(),
                observations: 0,
                shifts: Vec::new(),
                // A correction past the end is ignored.
                corrections: vec![(len, Value::Number(1.0))],
            });
            assembler.add(&Chunk {
                labels: vec!["A".into(), "B".into()],
                bytes: junk,
            });
            let read = assembler.finish();
            assert!(read.is_some_and(|r| r.observations.len() <= len));
        }
    }

    #[test]
    fn room_is_made_once_for_the_read_the_progress_foretells(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let csv: String = std::iter::once("code,period,value\n".to_string())
            .chain((0..10).map(|i| format!("CBCC_XA,{},{i}\n", 2010 + i)))
            .collect();
        let read = read_csv(&csv);
        let (_, chunks) = split(read, 10);
        let mut assembler = Assembler::new();
        assembler.make_room(0.5);
        assert_eq!(assembler.room(), 0, "nothing held, no guess");
        assembler.add(chunks.first().ok_or("no chunk")?);
        assembler.make_room(0.25);
        let room = assembler.room();
        assert!(room >= 40, "{room}");
        assembler.make_room(0.5);
        assert_eq!(assembler.room(), room, "once");
        Ok(())
    }
}
