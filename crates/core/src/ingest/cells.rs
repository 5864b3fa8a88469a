//! A row's cells as every reader hands them to the shapers: text as the
//! spreadsheet shows it, the number it stored, and `trim`.

/// `text.trim()`, with a fast path for the common cell that starts and ends
/// with a visible ASCII character (Unicode whitespace, such as Excel's
/// no-break space, still goes through `trim`).
pub fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// One cell: its text as the spreadsheet shows it, and its number when the
/// spreadsheet stored one (exact, never re-parsed from text).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SheetCell {
    /// Inline up to 24 bytes: most cells (numbers, short names) allocate nothing.
    pub text: crate::model::CellText,
    pub number: Option<f64>,
}

impl Cells for [SheetCell] {
    fn cell(&self, col: usize) -> &str {
        self.get(col).map_or("", |c| c.text.as_str())
    }
    fn len(&self) -> usize {
        <[SheetCell]>::len(self)
    }
    fn number(&self, col: usize) -> Option<f64> {
        self.get(col).and_then(|c| c.number)
    }
}

/// Read access to the cells of one row, whatever the container.
pub trait Cells {
    fn cell(&self, col: usize) -> &str;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The number a spreadsheet stored in the cell, if it stored one.
    fn number(&self, _col: usize) -> Option<f64> {
        None
    }
    fn is_blank(&self) -> bool {
        (0..self.len()).all(|i| trim(self.cell(i)).is_empty())
    }
}

impl<S: AsRef<str>> Cells for [S] {
    fn cell(&self, col: usize) -> &str {
        self.get(col).map(AsRef::as_ref).unwrap_or("")
    }
    fn len(&self) -> usize {
        <[S]>::len(self)
    }
}
