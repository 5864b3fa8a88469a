//! The document model: what the template renders into and every writer reads.
//! Styling is not here — the page setup lives in [`super::layout`].

use crate::model::CellRef;

/// The fields of the header and closing blocks (the template's front matter,
/// edited by the user in the form).
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct Header {
    pub parent_agency: String,
    pub agency: String,
    pub number: String,
    pub place: String,
    /// Day and month may be left blank in a draft.
    pub day: Option<u8>,
    pub month: Option<u8>,
    pub year: u16,
    pub title: String,
    pub subtitle: String,
    pub signer_authority: String,
    pub signer_title: String,
    pub signer_name: String,
    pub recipients: Vec<String>,
    /// Whether the template's charts appendix ("Phụ lục: Biểu đồ") is included.
    pub charts_appendix: bool,
}

impl Header {
    /// A download's name from the agency, the kind of document and the
    /// date, in plain ASCII every system takes: "bao-cao_so-noi-vu_2021-07-05.docx".
    pub fn file_name(&self, kind: &str, extension: &str) -> String {
        let agency = slug(&self.agency, 60);
        let date = match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        };
        let parts: Vec<&str> = [kind, agency.as_str(), date.as_str()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
        format!("{}.{extension}", parts.join("_"))
    }

    /// "Bắc Giang, ngày 05 tháng 7 năm 2021".
    pub fn place_and_date(&self) -> String {
        format!(
            "{}, {}",
            self.place,
            crate::vn::format_date(self.day, self.month, self.year)
        )
    }

    /// "Số: 05/BC-SNV".
    pub fn number_line(&self) -> String {
        format!("Số: {}", self.number)
    }
}

pub use super::inline::{Inline, Style};

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// "I. …" (level 1), "1. …" (level 2), "1.1. …" (level 3).
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    /// A dash item, "- …", written as a paragraph that starts with a dash.
    Item(Vec<Inline>),
    /// A table: from a Markdown table, or placed by `bang(...)`.
    Table(Box<super::table::Table>),
    /// `\newpage` alone in a paragraph: what follows starts a new page.
    PageBreak,
    /// A chart (`charts[chart]`) with its numbered caption.
    Chart {
        chart: usize,
        number: usize,
    },
}

/// How a figure's value stands with the checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FigureStatus {
    Ok,
    /// A check involving one of its cells failed.
    Failed,
    /// The data did not hold it; the text is a placeholder.
    Missing,
}

/// A figure the template took from the data.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub text: String,
    /// What was asked for, e.g. "CBCC_XA 2020".
    pub label: String,
    pub sources: Vec<CellRef>,
    pub status: FigureStatus,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub header: Header,
    pub blocks: Vec<Block>,
    pub footnotes: Vec<Vec<Inline>>,
    pub figures: Vec<Figure>,
    /// The charts the template placed, in order.
    pub charts: Vec<crate::chart::Chart>,
    /// Blocks from here on are the appendix: after the signature, on a new page.
    pub appendix_start: Option<usize>,
}

impl Document {
    /// The blocks before the signature, and those of the appendix.
    pub fn body_and_appendix(&self) -> (&[Block], &[Block]) {
        let at = self
            .appendix_start
            .unwrap_or(self.blocks.len())
            .min(self.blocks.len());
        self.blocks.split_at(at)
    }

    /// Per block of `blocks`, whether it goes on a landscape page: a table
    /// too wide for a portrait page's `text_width_mm`, and the headings
    /// right before it. The DOCX and the preview lay pages out by it.
    pub fn landscape_blocks(blocks: &[Block], text_width_mm: f64) -> Vec<bool> {
        let mut wide: Vec<bool> = blocks
            .iter()
            .map(|b| matches!(b, Block::Table(t) if t.needs_landscape(text_width_mm)))
            .collect();
        for i in (0..blocks.len()).rev() {
            if wide[i] {
                let mut j = i;
                while j > 0 && matches!(blocks[j - 1], Block::Heading { .. }) {
                    j -= 1;
                    wide[j] = true;
                }
            }
        }
        wide
    }

    /// "Biểu đồ 3. Tổng số biên chế".
    pub fn caption(&self, chart: usize, number: usize) -> String {
        let title = self.charts.get(chart).map_or("", |c| c.title.as_str());
        format!("Biểu đồ {number}. {title}")
    }
}

impl Document {
    fn inline_text(&self, inlines: &[Inline], out: &mut String) {
        for i in inlines {
            match i {
                Inline::Text { text, .. } => out.push_str(text),
                Inline::Figure { id, .. } => {
                    out.push_str(self.figures.get(*id).map_or("?", |f| f.text.as_str()))
                }
                Inline::FootnoteRef { number } => out.push_str(&superscript(*number)),
                Inline::LineBreak => out.push('\n'),
            }
        }
    }

    /// The body as plain text, a paragraph a line, footnotes at the end —
    /// the form the golden test compares with the seed.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for b in &self.blocks {
            match b {
                Block::Heading { content, .. } | Block::Paragraph(content) => {
                    self.inline_text(content, &mut out)
                }
                Block::Item(content) => {
                    out.push_str("- ");
                    self.inline_text(content, &mut out);
                }
                Block::PageBreak => {}
                Block::Chart { chart, number } => out.push_str(&self.caption(*chart, *number)),
                Block::Table(table) => {
                    for row in &table.rows {
                        for cell in &row.cells {
                            self.inline_text(cell, &mut out);
                            out.push('\t');
                        }
                        out.push('\n');
                    }
                }
            }
            out.push('\n');
        }
        for (i, f) in self.footnotes.iter().enumerate() {
            out.push_str(&superscript(i + 1));
            out.push(' ');
            self.inline_text(f, &mut out);
            out.push('\n');
        }
        out
    }
}

/// 8 → "⁸", 12 → "¹²".
pub fn superscript(n: usize) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string()
        .bytes()
        .map(|b| DIGITS[usize::from(b - b'0')])
        .collect()
}

/// Words folded to ASCII (no diacritics, "đ" → "d") joined by "-", at most
/// `max` bytes, cut at a word.
fn slug(text: &str, max: usize) -> String {
    let folded = crate::fold::fold_words(text);
    let mut out = String::new();
    for word in folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_are_named_from_the_agency_the_kind_and_the_date() {
        let mut h = Header {
            agency: "SỞ NỘI VỤ & Ban <Tổ chức> Đắk Lắk".into(),
            day: Some(5),
            month: Some(7),
            year: 2021,
            ..Header::default()
        };
        assert_eq!(
            h.file_name("bao-cao", "docx"),
            "bao-cao_so-noi-vu-ban-to-chuc-dak-lak_2021-07-05.docx"
        );
        h.day = None;
        h.agency = "\u{0}/..\\".into();
        assert_eq!(h.file_name("van-de", "csv"), "van-de_2021-07.csv");
        h.agency = "Ủy ban nhân dân ".repeat(20);
        let name = h.file_name("bao-cao", "html");
        assert!(name.len() < 90 && name.is_ascii(), "{name}");
    }
}
