//! Splitting the body into A4 pages for the preview, from measured heights.
//! Pure, so it is tested natively; the browser only measures.
//!
//! A block goes whole onto the first page it fits on (a block taller than a
//! page gets a page of its own). A table too wide for portrait gets a
//! landscape page of its own. A footnote goes on the page of its reference,
//! and the room it takes comes off that page's body.

use std::ops::Range;

/// Heights in any one unit (the preview uses CSS pixels).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measured {
    /// The page's writable height (page minus top and bottom margins).
    pub page: f64,
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
    /// Blocks laid on a landscape page of their own.
    pub landscape: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub blocks: Range<usize>,
    /// Footnote numbers shown at the foot of this page.
    pub notes: Vec<usize>,
    /// Whether the closing block ends this page.
    pub closing: bool,
    pub landscape: bool,
}

pub fn paginate(m: &Measured) -> Vec<Page> {
    let mut pages = Vec::new();
    let mut start = 0;
    let mut used = m.first_page_head;
    let mut notes: Vec<usize> = Vec::new();
    let notes_height = |notes: &[usize]| -> f64 {
        if notes.is_empty() {
            0.0
        } else {
            m.notes_separator
                + notes
                    .iter()
                    .map(|n| m.notes.get(n - 1).copied().unwrap_or(0.0))
                    .sum::<f64>()
        }
    };
    for (i, h) in m.blocks.iter().enumerate() {
        if m.landscape.contains(&i) {
            if i > start {
                pages.push(Page {
                    blocks: start..i,
                    notes: std::mem::take(&mut notes),
                    closing: false,
                    landscape: false,
                });
            }
            pages.push(Page {
                blocks: i..i + 1,
                notes: m.block_notes.get(i).cloned().unwrap_or_default(),
                closing: false,
                landscape: true,
            });
            start = i + 1;
            used = 0.0;
            continue;
        }
        let mut with_notes = notes.clone();
        with_notes.extend(m.block_notes.get(i).into_iter().flatten().copied());
        let fits = used + h + notes_height(&with_notes) <= m.page;
        if !fits && i > start {
            pages.push(Page {
                blocks: start..i,
                notes: std::mem::take(&mut notes),
                closing: false,
                landscape: false,
            });
            start = i;
            used = 0.0;
            with_notes = m.block_notes.get(i).cloned().unwrap_or_default();
        }
        used += h;
        notes = with_notes;
        if m.breaks_after.contains(&i) && i + 1 < m.blocks.len() {
            pages.push(Page {
                blocks: start..i + 1,
                notes: std::mem::take(&mut notes),
                closing: false,
                landscape: false,
            });
            start = i + 1;
            used = 0.0;
        }
    }
    let end = m.blocks.len();
    if used + m.closing + notes_height(&notes) <= m.page || start == end {
        pages.push(Page {
            blocks: start..end,
            notes,
            closing: true,
            landscape: false,
        });
    } else {
        pages.push(Page {
            blocks: start..end,
            notes,
            closing: false,
            landscape: false,
        });
        pages.push(Page {
            blocks: end..end,
            notes: Vec::new(),
            closing: true,
            landscape: false,
        });
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
            landscape: Vec::new(),
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
        m.landscape = vec![1];
        let pages = paginate(&m);
        let shape: Vec<_> = pages
            .iter()
            .map(|p| (p.blocks.clone(), p.landscape))
            .collect();
        assert_eq!(shape, vec![(0..1, false), (1..2, true), (2..3, false)]);
        assert!(pages[2].closing);
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
            }]
        );
    }
}
