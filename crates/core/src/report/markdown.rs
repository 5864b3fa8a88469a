//! Markdown (with figure markers) → blocks and footnotes. Raw HTML in the
//! Markdown is kept as visible text: nothing a template writes becomes markup.

use super::document::{Block, Inline, Style};
use super::marks::{CHART_CLOSE, CHART_OPEN, MARK_CLOSE, MARK_OPEN, TABLE_CLOSE, TABLE_OPEN};
use super::table::Table;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;

/// What the Markdown held: blocks, footnotes (numbered in order of first
/// reference) and where the appendix starts, if it has one.
pub struct Read {
    pub blocks: Vec<Block>,
    pub footnotes: Vec<Vec<Inline>>,
    pub appendix_start: Option<usize>,
}

/// A paragraph that is only a chart marker: the chart's index.
fn chart_marker(text: &str) -> Option<usize> {
    text.strip_prefix(CHART_OPEN)?
        .strip_suffix(CHART_CLOSE)?
        .parse()
        .ok()
}

/// A paragraph that is only a table marker: the table's index.
fn table_marker(text: &str) -> Option<usize> {
    text.strip_prefix(TABLE_OPEN)?
        .strip_suffix(TABLE_CLOSE)?
        .parse()
        .ok()
}

/// Blocks of the body and the footnotes, numbered in order of first reference.
pub fn read(markdown: &str) -> (Vec<Block>, Vec<Vec<Inline>>) {
    let r = read_all(markdown, Vec::new());
    (r.blocks, r.footnotes)
}

/// Reads `markdown`; a table marker's paragraph becomes the table of
/// `tables` it names (each placed once).
pub fn read_all(markdown: &str, tables: Vec<Table>) -> Read {
    let mut tables: Vec<Option<Table>> = tables.into_iter().map(Some).collect();
    let options = Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES;
    let mut blocks = Vec::new();
    let mut definitions: HashMap<String, Vec<Inline>> = HashMap::new();
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut order: Vec<String> = Vec::new();

    let mut inlines: Vec<Inline> = Vec::new();
    let mut style = Style::default();
    let mut heading: Option<u8> = None;
    let mut in_item = 0usize;
    let mut footnote: Option<String> = None;
    let mut table: Option<Vec<Vec<Vec<Inline>>>> = None;
    let mut table_head: Option<Vec<String>> = None;
    let mut in_head = false;
    let mut appendix_start = None;
    let mut charts = 0;

    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    _ => 4,
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                let level = heading.take().unwrap_or(1);
                blocks.push(Block::Heading {
                    level,
                    content: std::mem::take(&mut inlines),
                });
            }
            Event::Start(Tag::Item) => in_item += 1,
            Event::End(TagEnd::Item) => {
                in_item = in_item.saturating_sub(1);
                if footnote.is_none() {
                    blocks.push(Block::Item(std::mem::take(&mut inlines)));
                }
            }
            Event::Start(Tag::Paragraph) if in_item > 0 && !inlines.is_empty() => {
                inlines.push(Inline::LineBreak);
            }
            Event::End(TagEnd::Paragraph) => {
                if footnote.is_some() {
                    if !inlines.is_empty() {
                        inlines.push(Inline::LineBreak);
                    }
                } else if in_item == 0 {
                    let content = std::mem::take(&mut inlines);
                    let only_text = match content.as_slice() {
                        [Inline::Text { text, .. }] => Some(text.trim()),
                        _ => None,
                    };
                    match only_text {
                        Some("\\newpage") => blocks.push(Block::PageBreak),
                        Some("\\appendix") => appendix_start = Some(blocks.len()),
                        Some(t) if table_marker(t).is_some() => {
                            let placed = table_marker(t)
                                .and_then(|i| tables.get_mut(i))
                                .and_then(Option::take);
                            if let Some(placed) = placed {
                                blocks.push(Block::Table(Box::new(placed)));
                            }
                        }
                        Some(t) if chart_marker(t).is_some() => {
                            charts += 1;
                            blocks.push(Block::Chart {
                                chart: chart_marker(t).unwrap_or(0),
                                number: charts,
                            });
                        }
                        _ => blocks.push(Block::Paragraph(content)),
                    }
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                // A definition may interrupt nothing in progress: flush what is open.
                footnote = Some(label.to_string());
                inlines.clear();
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(label) = footnote.take() {
                    let mut content = std::mem::take(&mut inlines);
                    while content.last() == Some(&Inline::LineBreak) {
                        content.pop();
                    }
                    definitions.insert(label, content);
                }
            }
            Event::FootnoteReference(label) => {
                let label = label.to_string();
                let next = numbers.len() + 1;
                let number = *numbers.entry(label.clone()).or_insert_with(|| {
                    order.push(label);
                    next
                });
                inlines.push(Inline::FootnoteRef { number });
            }
            Event::Start(Tag::Emphasis) => style.italic = true,
            Event::End(TagEnd::Emphasis) => style.italic = false,
            Event::Start(Tag::Strong) => style.bold = true,
            Event::End(TagEnd::Strong) => style.bold = false,
            Event::Start(Tag::Table(_)) => {
                table = Some(Vec::new());
                table_head = Some(Vec::new());
            }
            Event::End(TagEnd::Table) => {
                if let Some(rows) = table.take() {
                    let head = table_head.take().unwrap_or_default();
                    blocks.push(Block::Table(Box::new(Table::plain(head, rows))));
                }
            }
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => {
                if let Some(t) = table.as_mut() {
                    t.push(Vec::new());
                }
            }
            Event::End(TagEnd::TableCell) => {
                let cell = std::mem::take(&mut inlines);
                if in_head {
                    if let Some(head) = table_head.as_mut() {
                        head.push(plain_text(&cell));
                    }
                } else if let Some(row) = table.as_mut().and_then(|t| t.last_mut()) {
                    row.push(cell);
                }
            }
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                push_text(&mut inlines, &text, style);
            }
            Event::SoftBreak => push_text(&mut inlines, " ", style),
            Event::HardBreak => inlines.push(Inline::LineBreak),
            _ => {}
        }
    }
    let footnotes = order
        .into_iter()
        .map(|label| {
            definitions.remove(&label).unwrap_or_else(|| {
                vec![Inline::Text {
                    text: format!("[chú thích {label} chưa có nội dung]"),
                    style: Style::default(),
                }]
            })
        })
        .collect();
    Read {
        blocks,
        footnotes,
        appendix_start,
    }
}

/// A header cell's text: its words, without figure markers.
fn plain_text(cell: &[Inline]) -> String {
    cell.iter()
        .filter_map(|i| match i {
            Inline::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// Adds text, turning figure markers into figure inlines.
fn push_text(inlines: &mut Vec<Inline>, text: &str, style: Style) {
    let mut rest = text;
    while let Some(open) = rest.find(MARK_OPEN) {
        push_plain(inlines, &rest[..open], style);
        let after = &rest[open + MARK_OPEN.len_utf8()..];
        match after.find(MARK_CLOSE) {
            Some(close) => {
                if let Ok(id) = after[..close].parse() {
                    inlines.push(Inline::Figure { id, style });
                }
                rest = &after[close + MARK_CLOSE.len_utf8()..];
            }
            None => {
                rest = after;
            }
        }
    }
    push_plain(inlines, rest, style);
}

fn push_plain(inlines: &mut Vec<Inline>, text: &str, style: Style) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text {
        text: last,
        style: s,
    }) = inlines.last_mut()
    {
        if *s == style {
            last.push_str(text);
            return;
        }
    }
    inlines.push(Inline::Text {
        text: text.to_string(),
        style,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Inline {
        Inline::Text {
            text: t.into(),
            style: Style::default(),
        }
    }

    #[test]
    fn headings_paragraphs_items_and_footnotes() {
        let md =
            "# I. MỤC\n\nMột câu[^a] và câu khác.\n\n- Gạch đầu dòng\n\n[^a]: Chú thích một.\n";
        let (blocks, notes) = read(md);
        assert_eq!(
            blocks[0],
            Block::Heading {
                level: 1,
                content: vec![text("I. MỤC")]
            }
        );
        assert_eq!(
            blocks[1],
            Block::Paragraph(vec![
                text("Một câu"),
                Inline::FootnoteRef { number: 1 },
                text(" và câu khác.")
            ])
        );
        assert_eq!(blocks[2], Block::Item(vec![text("Gạch đầu dòng")]));
        assert_eq!(notes, vec![vec![text("Chú thích một.")]]);
    }

    #[test]
    fn markers_become_figures() {
        let md = format!("có {MARK_OPEN}3{MARK_CLOSE} người");
        let (blocks, _) = read(&md);
        assert_eq!(
            blocks[0],
            Block::Paragraph(vec![
                text("có "),
                Inline::Figure {
                    id: 3,
                    style: Style::default()
                },
                text(" người")
            ])
        );
    }

    #[test]
    fn newpage_alone_is_a_page_break() {
        let (blocks, _) = read("a\n\n\\newpage\n\nb");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![text("a")]),
                Block::PageBreak,
                Block::Paragraph(vec![text("b")])
            ]
        );
    }

    #[test]
    fn raw_html_stays_text() {
        let (blocks, _) = read("a <script>alert(1)</script> b");
        let all: String = match blocks.first() {
            Some(Block::Paragraph(inlines)) => inlines
                .iter()
                .map(|i| match i {
                    Inline::Text { text, .. } => text.as_str(),
                    _ => "",
                })
                .collect(),
            _ => String::new(),
        };
        assert!(all.contains("<script>"), "{blocks:?}");
    }
}
