//! Text inside a block: runs of styled text, figures, footnote references.

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Text {
        text: String,
        style: Style,
    },
    /// A figure from the data; `id` indexes the document's `figures`.
    Figure {
        id: usize,
        style: Style,
    },
    /// A footnote reference; `number` counts from 1 and indexes `footnotes[number - 1]`.
    FootnoteRef {
        number: usize,
    },
    LineBreak,
}
