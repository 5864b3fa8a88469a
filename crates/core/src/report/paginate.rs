//! Splitting the body into A4 pages for the preview, from measured heights.
//! Pure, so it is tested natively; the browser only measures.
//!
//! A block goes whole onto the first page it fits on (a block taller than a
//! page gets a page of its own), except a table, whose rows run on over as
//! many pages as they need, its header rows repeated at the top of each, as
//! Word does with the DOCX. A table too wide for portrait goes on landscape
//! pages, with the headings right before it. A footnote goes on the page of
//! its reference, and the room it takes comes off that page's body.

use std::ops::Range;

/// Heights in any one unit (the preview uses CSS pixels).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measured {
    /// The page's writable height (page minus top and bottom margins), on
    /// a portrait page and on a landscape one.
    pub page: f64,
    pub landscape_page: f64,
    /// The header block and title on page 1.
    pub first_page_head: f64,
    /// Every body block, in order.
    pub blocks: Vec<f64>,
    /// Blocks after which a new page must start (page breaks).
    pub breaks_after: Vec<usize>,
    /// The footnotes each block references (numbers from 1).
    pub block_notes: Vec<Vec<usize>>,
    /// Every footnote's height, index = number − 1.
    pub notes: Vec<f64>,
    /// The rule above the footnotes.
    pub notes_separator: f64,
    /// The closing block (recipients and signature), kept whole.
    pub closing: f64,
    /// Per block, whether it goes on a landscape page.
    pub landscape: Vec<bool>,
    /// Per block, its parts when it is a table.
    pub tables: Vec<Option<TableHeights>>,
}

/// A table's heights: what comes before its first row (captions and
/// header rows), its header rows alone (repeated on later pages), each
/// body row, and what follows the last.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableHeights {
    pub top: f64,
    pub head: f64,
    pub rows: Vec<f64>,
    pub bottom: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    pub blocks: Range<usize>,
    /// Footnote numbers shown at the foot of this page.
    pub notes: Vec<usize>,
    /// Whether the closing block ends this page.
    pub closing: bool,
    pub landscape: bool,
    /// Tables of which this page shows only some body rows: (block, rows).
    pub rows: Vec<(usize, Range<usize>)>,
}

/// The page being filled.
struct Pager<'a> {
    m: &'a Measured,
    pages: Vec<Page>,
    start: usize,
    used: f64,
    notes: Vec<usize>,
    rows: Vec<(usize, Range<usize>)>,
    landscape: bool,
}

impl Pager<'_> {
    fn height(&self) -> f64 {
        if self.landscape {
            self.m.landscape_page
        } else {
            self.m.page
        }
    }

    fn notes_height(&self, notes: &[usize]) -> f64 {
        if notes.is_empty() {
            return 0.0;
        }
        self.m.notes_separator
            + notes
                .iter()
                .map(|n| self.m.notes.get(n.wrapping_sub(1)).copied().unwrap_or(0.0))
                .sum::<f64>()
    }

    fn with_notes_of(&self, block: usize) -> Vec<usize> {
        let mut notes = self.notes.clone();
        notes.extend(self.m.block_notes.get(block).into_iter().flatten().copied());
        notes
    }

    /// Ends the page before block `end`.
    fn close(&mut self, end: usize) {
        self.pages.push(Page {
            blocks: self.start..end,
            notes: std::mem::take(&mut self.notes),
            closing: false,
            landscape: self.landscape,
            rows: std::mem::take(&mut self.rows),
        });
        self.start = end;
        self.used = 0.0;
    }

    fn has_content(&self, block: usize) -> bool {
        block > self.start || self.used > 0.0
    }

    /// Lays a table's rows over this page and as many more as they need.
    fn split(&mut self, i: usize, t: &TableHeights) {
        let n = t.rows.len();
        self.notes = self.with_notes_of(i);
        let mut row = 0;
        while row < n {
            let head = if row == 0 { t.top } else { t.head };
            let room = self.height() - self.used - self.notes_height(&self.notes);
            let (mut h, mut k) = (head, 0);
            while row + k < n && h + t.rows[row + k] <= room {
                h += t.rows[row + k];
                k += 1;
            }
            if k == 0 && row == 0 && self.has_content(i) {
                // Not even one row here: the table starts on the next page.
                let notes = std::mem::take(&mut self.notes);
                let own = self.m.block_notes.get(i).cloned().unwrap_or_default();
                self.notes = notes.into_iter().filter(|x| !own.contains(x)).collect();
                self.close(i);
                self.notes = own;
                continue;
            }
            if k == 0 {
                // A row taller than a page: it takes one of its own.
                h += t.rows[row];
                k = 1;
            }
            if row + k == n {
                self.rows.push((i, row..n));
                self.used += h + t.bottom;
                return;
            }
            self.rows.push((i, row..row + k));
            self.close(i + 1);
            self.start = i;
            row += k;
        }
    }
}

pub fn paginate(m: &Measured) -> Vec<Page> {
    let mut p = Pager {
        m,
        pages: Vec::new(),
        start: 0,
        used: m.first_page_head,
        notes: Vec::new(),
        rows: Vec::new(),
        landscape: false,
    };
    for (i, h) in m.blocks.iter().enumerate() {
        let wide = m.landscape.get(i).copied().unwrap_or(false);
        if wide != p.landscape {
            if p.has_content(i) {
                p.close(i);
            }
            p.landscape = wide;
        }
        let with_notes = p.with_notes_of(i);
        let fits = p.used + h + p.notes_height(&with_notes) <= p.height();
        let table = m.tables.get(i).and_then(Option::as_ref);
        match table {
            Some(t) if !fits && !t.rows.is_empty() => p.split(i, t),
            _ => {
                if !fits && i > p.start {
                    p.close(i);
                    p.notes = p.with_notes_of(i);
                } else {
                    p.notes = with_notes;
                }
                p.used += h;
            }
        }
        if m.breaks_after.contains(&i) && i + 1 < m.blocks.len() {
            p.close(i + 1);
        }
    }
    let end = m.blocks.len();
    if p.landscape {
        p.close(end);
        p.landscape = false;
    }
    let room = p.used + m.closing + p.notes_height(&p.notes) <= m.page;
    if !(room || (p.start == end && p.rows.is_empty())) {
        p.close(end);
    }
    let mut pages = p.pages;
    pages.push(Page {
        blocks: p.start..end,
        notes: p.notes,
        closing: true,
        landscape: false,
        rows: p.rows,
    });
    pages
}

impl Measured {
    /// The blocks in `range`, numbered from 0, with `head` above the first
    /// and `closing` after the last.
    fn slice(&self, range: Range<usize>, head: f64, closing: f64) -> Measured {
        let part = |v: &[f64]| v.get(range.clone()).map(<[_]>::to_vec).unwrap_or_default();
        Measured {
            page: self.page,
            landscape_page: self.landscape_page,
            first_page_head: head,
            blocks: part(&self.blocks),
            breaks_after: self
                .breaks_after
                .iter()
                .filter(|b| range.contains(b))
                .map(|b| b - range.start)
                .collect(),
            block_notes: self
                .block_notes
                .get(range.clone())
                .map(<[_]>::to_vec)
                .unwrap_or_default(),
            notes: self.notes.clone(),
            notes_separator: self.notes_separator,
            closing,
            landscape: self
                .landscape
                .get(range.clone())
                .map(<[_]>::to_vec)
                .unwrap_or_default(),
            tables: self
                .tables
                .get(range.clone())
                .map(<[_]>::to_vec)
                .unwrap_or_default(),
        }
    }
}

/// Pages of the body (ending with the signature), then pages of the
/// appendix (from block `appendix_start`), which starts on a page of its own.
pub fn lay_out(all: &Measured, appendix_start: Option<usize>) -> Vec<Page> {
    let n = all.blocks.len();
    let split = appendix_start.unwrap_or(n).min(n);
    let mut pages = paginate(&all.slice(0..split, all.first_page_head, all.closing));
    if split < n {
        for p in paginate(&all.slice(split..n, 0.0, 0.0)) {
            pages.push(Page {
                blocks: p.blocks.start + split..p.blocks.end + split,
                notes: p.notes,
                closing: false,
                landscape: p.landscape,
                rows: p.rows.into_iter().map(|(b, r)| (b + split, r)).collect(),
            });
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(blocks: &[f64]) -> Measured {
        Measured {
            page: 100.0,
            first_page_head: 30.0,
            blocks: blocks.to_vec(),
            breaks_after: Vec::new(),
            block_notes: vec![Vec::new(); blocks.len()],
            notes: Vec::new(),
            notes_separator: 2.0,
            closing: 20.0,
            landscape: vec![false; blocks.len()],
            landscape_page: 70.0,
            tables: Vec::new(),
        }
    }

    #[test]
    fn blocks_flow_onto_pages_and_the_closing_stays_whole() {
        let pages = paginate(&measured(&[30.0, 30.0, 30.0, 30.0, 30.0]));
        let ranges: Vec<_> = pages.iter().map(|p| p.blocks.clone()).collect();
        // 30 head + 2×30 on page 1; 3×30 on page 2; closing (20) does not fit → page 3.
        assert_eq!(ranges, vec![0..2, 2..5, 5..5]);
        assert!(pages[2].closing && !pages[1].closing);
    }

    #[test]
    fn footnotes_go_with_their_reference_and_take_room() {
        let mut m = measured(&[30.0, 30.0, 10.0]);
        m.block_notes[1] = vec![1];
        m.notes = vec![15.0];
        let pages = paginate(&m);
        // Block 1 + its note (30 + 2 + 15) no longer fits after the head and block 0.
        assert_eq!(pages[0].blocks, 0..1);
        assert_eq!(pages[1].blocks, 1..3);
        assert_eq!(pages[1].notes, vec![1]);
        assert!(pages[0].notes.is_empty());
    }

    #[test]
    fn a_block_taller_than_a_page_gets_its_own() {
        let pages = paginate(&measured(&[150.0, 10.0]));
        assert_eq!(pages[0].blocks, 0..1);
        assert_eq!(pages[1].blocks, 1..2);
    }

    #[test]
    fn a_page_break_starts_a_new_page() {
        let mut m = measured(&[10.0, 0.0, 10.0]);
        m.breaks_after = vec![1];
        let ranges: Vec<_> = paginate(&m).iter().map(|p| p.blocks.clone()).collect();
        assert_eq!(ranges, vec![0..2, 2..3]);
    }

    #[test]
    fn a_wide_table_gets_a_landscape_page_of_its_own() {
        let mut m = measured(&[10.0, 40.0, 10.0]);
        m.landscape[1] = true;
        let pages = paginate(&m);
        let shape: Vec<_> = pages
            .iter()
            .map(|p| (p.blocks.clone(), p.landscape))
            .collect();
        assert_eq!(shape, vec![(0..1, false), (1..2, true), (2..3, false)]);
        assert!(pages[2].closing);
    }

    #[test]
    fn a_long_table_runs_over_pages_with_its_header_repeated() {
        // Head 30 + a paragraph of 20 leaves 50: the table's top (15) and
        // three rows of 10; then 100 − 5 (header again) holds nine rows.
        let mut m = measured(&[20.0, 15.0 + 150.0 + 2.0, 10.0]);
        m.tables = vec![
            None,
            Some(TableHeights {
                top: 15.0,
                head: 5.0,
                rows: vec![10.0; 15],
                bottom: 2.0,
            }),
        ];
        let pages = paginate(&m);
        let shape: Vec<_> = pages
            .iter()
            .map(|p| (p.blocks.clone(), p.rows.clone()))
            .collect();
        assert_eq!(
            shape,
            vec![
                (0..2, vec![(1, 0..3)]),
                (1..2, vec![(1, 3..12)]),
                (1..3, vec![(1, 12..15)]),
            ]
        );
        assert!(pages[2].closing);
    }

    #[test]
    fn a_table_that_cannot_start_here_starts_on_the_next_page() {
        let mut m = measured(&[60.0, 40.0]);
        m.tables = vec![
            None,
            Some(TableHeights {
                top: 15.0,
                head: 5.0,
                rows: vec![25.0],
                bottom: 0.0,
            }),
        ];
        let pages = paginate(&m);
        assert_eq!(pages[0].blocks, 0..1);
        assert_eq!(pages[1].blocks, 1..2);
        assert_eq!(pages[1].rows, vec![(1, 0..1)]);
    }

    #[test]
    fn an_empty_body_is_one_page() {
        assert_eq!(
            paginate(&measured(&[])),
            vec![Page {
                blocks: 0..0,
                notes: vec![],
                closing: true,
                landscape: false,
                rows: vec![],
            }]
        );
    }
}
