//! The report as one standalone HTML file (for archiving, e-mail or printing
//! elsewhere). Every piece of text is escaped: data and templates never
//! become markup. The CSS comes from the same [`Layout`] as the DOCX.

use crate::report::document::{Block, Document, Inline};
use crate::report::layout::Layout;
use crate::report::table::{ColumnKind, RowKind, Table};
use crate::xml::escape;
use std::fmt::Write;

fn css(l: &Layout) -> String {
    format!(
        "@page {{ size: A4; margin: {t}mm {r}mm {b}mm {le}mm; }}\n\
         body {{ font-family: '{font}', 'Liberation Serif', serif; font-size: {body}pt; line-height: {ls}; color: #000; max-width: {w}mm; margin: 0 auto; }}\n\
         table.block {{ width: 100%; border-collapse: collapse; }} table.block td {{ vertical-align: top; text-align: center; padding: 0; }}\n\
         .agency, .nation {{ font-size: {agency}pt; }} .agency b, .nation {{ font-weight: 700; }}\n\
         .motto {{ font-size: {motto}pt; font-weight: 700; }} .number {{ font-size: {number}pt; white-space: pre-wrap; }}\n\
         .date {{ font-size: {motto}pt; font-style: italic; white-space: pre-wrap; }}\n\
         .rule {{ border-top: 1px solid #000; margin: 1pt auto 0; }}\n\
         .title {{ text-align: center; font-weight: 700; font-size: {title}pt; margin: 18pt 0 0; }}\n\
         .subtitle {{ text-align: center; font-weight: 700; font-size: {title}pt; margin: 0; }}\n\
         p.body, p.heading {{ text-align: justify; text-indent: {indent}mm; margin: 0 0 {gap}pt; }} p.heading {{ font-weight: 700; }}\n\
         .closing td.left {{ text-align: left; }} .recipients-title {{ font-size: {rh}pt; font-weight: 700; font-style: italic; }}\n\
         .recipient {{ font-size: {rp}pt; }} .signer {{ font-size: {signer}pt; font-weight: 700; }}\n\
         .footnotes {{ border-top: 1px solid #000; margin-top: 18pt; font-size: {fn_}pt; }}\n\
         @page wide {{ size: A4 landscape; }} div.wide {{ page: wide; }}\n\
         div.data table {{ width: 100%; border-collapse: collapse; font-size: 12pt; margin-bottom: 6pt; }}\n\
         div.data th, div.data td {{ border: 1px solid #000; padding: 1pt 3pt; }} div.data thead {{ display: table-header-group; }}\n\
         td.num {{ text-align: right; }} td.stt, tr.numbers th {{ text-align: center; }} tr.numbers th {{ font-weight: 400; font-style: italic; }}\n\
         tr.section td, tr.total td, .form, .table-title {{ font-weight: 700; }} .table-title {{ text-align: center; }} .unit-note {{ text-align: right; font-style: italic; }}\n",
        t = l.margin_top_mm,
        r = l.margin_right_mm,
        b = l.margin_bottom_mm,
        le = l.margin_left_mm,
        font = l.font,
        body = l.body_pt,
        ls = l.line_spacing,
        w = l.page_width_mm - l.margin_left_mm - l.margin_right_mm,
        agency = l.header_agency_pt,
        motto = l.motto_pt,
        number = l.number_pt,
        title = l.title_pt,
        indent = l.first_line_indent_mm,
        gap = l.paragraph_gap_pt,
        rh = l.recipients_heading_pt,
        rp = l.recipients_pt,
        signer = l.signer_pt,
        fn_ = l.footnote_pt,
    )
}

fn inlines(doc: &Document, content: &[Inline], out: &mut String) {
    for i in content {
        match i {
            Inline::Text { style, .. } | Inline::Figure { style, .. } => {
                let text = match i {
                    Inline::Figure { id, .. } => {
                        doc.figures.get(*id).map_or("?", |f| f.text.as_str())
                    }
                    _ => text_of(i),
                };
                let text = escape(text);
                match (style.bold, style.italic) {
                    (true, true) => write!(out, "<b><i>{text}</i></b>"),
                    (true, false) => write!(out, "<b>{text}</b>"),
                    (false, true) => write!(out, "<i>{text}</i>"),
                    (false, false) => write!(out, "{text}"),
                }
                .ok();
            }
            Inline::FootnoteRef { number } => {
                write!(
                    out,
                    "<sup><a href=\"#fn{number}\" id=\"ref{number}\">{number}</a></sup>"
                )
                .ok();
            }
            Inline::LineBreak => out.push_str("<br>"),
        }
    }
}

fn text_of(i: &Inline) -> &str {
    match i {
        Inline::Text { text, .. } => text,
        _ => "",
    }
}

fn blocks(doc: &Document, blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Heading { content, .. } => {
                out.push_str("<p class=\"heading\">");
                inlines(doc, content, out);
                out.push_str("</p>\n");
            }
            Block::Paragraph(content) => {
                out.push_str("<p class=\"body\">");
                inlines(doc, content, out);
                out.push_str("</p>\n");
            }
            Block::Item(content) => {
                out.push_str("<p class=\"body\">- ");
                inlines(doc, content, out);
                out.push_str("</p>\n");
            }
            Block::Chart { chart, number } => {
                if let Some(c) = doc.charts.get(*chart) {
                    // Our own SVG writer escapes every string it writes.
                    let svg =
                        crate::chart::svg::to_svg(&crate::chart::draw::draw(c), &c.description());
                    let _ = writeln!(out, "<figure style=\"text-align:center;margin:12pt 0\">{svg}<figcaption><i>{}</i></figcaption></figure>", escape(&doc.caption(*chart, *number)));
                }
            }
            Block::PageBreak => out.push_str("<div style=\"break-after:page\"></div>\n"),
            Block::Table(table) => {
                let wide = table.needs_landscape(portrait_width(doc));
                table_html(doc, table, wide, out);
            }
        }
    }
}

fn portrait_width(_doc: &Document) -> f64 {
    let l = Layout::default();
    l.page_width_mm - l.margin_left_mm - l.margin_right_mm
}

/// A table with its merged header (`rowspan`, `colspan`); a wide one on a
/// landscape page of its own when printed.
fn table_html(doc: &Document, t: &Table, wide: bool, out: &mut String) {
    let class = if wide { "data wide" } else { "data" };
    write!(out, "<div class=\"{class}\">").ok();
    if !t.form.is_empty() {
        write!(out, "<p class=\"form\">{}</p>", escape(&t.form)).ok();
    }
    if !t.title.is_empty() {
        write!(out, "<p class=\"table-title\">{}</p>", escape(&t.title)).ok();
    }
    if !t.unit_note.is_empty() {
        write!(out, "<p class=\"unit-note\">{}</p>", escape(&t.unit_note)).ok();
    }
    out.push_str("<table><thead>");
    for row in &t.head {
        out.push_str("<tr>");
        for c in row {
            write!(
                out,
                "<th colspan=\"{}\" rowspan=\"{}\">{}</th>",
                c.span,
                c.row_span,
                escape(&c.text)
            )
            .ok();
        }
        out.push_str("</tr>");
    }
    if !t.numbers.is_empty() {
        out.push_str("<tr class=\"numbers\">");
        for n in &t.numbers {
            write!(out, "<th>{}</th>", escape(n)).ok();
        }
        out.push_str("</tr>");
    }
    out.push_str("</thead><tbody>");
    for row in &t.rows {
        let class = match row.kind {
            RowKind::Body => "",
            RowKind::Section => " class=\"section\"",
            RowKind::Total => " class=\"total\"",
        };
        write!(out, "<tr{class}>").ok();
        for (c, cell) in row.cells.iter().enumerate() {
            let align = match t.columns.get(c) {
                Some(ColumnKind::Figure) => "num",
                Some(ColumnKind::Number) => "stt",
                _ => "label",
            };
            write!(out, "<td class=\"{align}\">").ok();
            inlines(doc, cell, out);
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    if !t.note.is_empty() {
        write!(out, "<p class=\"table-note\">{}</p>", escape(&t.note)).ok();
    }
    out.push_str("</div>\n");
}

/// Writes the whole report as a standalone HTML document.
pub fn write_html(doc: &Document, layout: &Layout) -> String {
    let h = &doc.header;
    let mut out = String::new();
    let title = escape(&format!("{} {}", h.title, h.subtitle));
    writeln!(
        out,
        "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>{title}</title><style>{}</style></head><body>",
        css(layout)
    )
    .ok();
    writeln!(
        out,
        "<table class=\"block header\"><tr><td style=\"width:40%\"><div class=\"agency\">{}</div>\
         <div class=\"agency\"><b>{}</b></div><div class=\"rule\" style=\"width:40%\"></div></td>\
         <td><div class=\"nation\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div><div class=\"motto\">Độc lập - Tự do - Hạnh phúc</div>\
         <div class=\"rule\" style=\"width:62mm\"></div></td></tr>\
         <tr><td class=\"number\">{}</td><td class=\"date\">{}</td></tr></table>",
        escape(&h.parent_agency.to_uppercase()),
        escape(&h.agency.to_uppercase()),
        escape(&h.number_line()),
        escape(&h.place_and_date()),
    )
    .ok();
    writeln!(
        out,
        "<p class=\"title\">{}</p><p class=\"subtitle\">{}</p><div class=\"rule\" style=\"width:33%;margin-bottom:12pt\"></div>",
        escape(&h.title.to_uppercase()),
        escape(&h.subtitle)
    )
    .ok();
    let (body, appendix) = doc.body_and_appendix();
    blocks(doc, body, &mut out);
    out.push_str("<table class=\"block closing\"><tr><td class=\"left\"><div class=\"recipients-title\">Nơi nhận:</div>");
    for r in &h.recipients {
        write!(out, "<div class=\"recipient\">- {}</div>", escape(r)).ok();
    }
    writeln!(
        out,
        "</td><td><div class=\"signer\">{}</div><div class=\"signer\">{}</div><div style=\"height:30mm\"></div>\
         <div class=\"signer\">{}</div></td></tr></table>",
        escape(&h.signer_authority.to_uppercase()),
        escape(&h.signer_title.to_uppercase()),
        escape(&h.signer_name)
    )
    .ok();
    if !appendix.is_empty() {
        out.push_str("<div style=\"break-before:page\"></div>\n");
        blocks(doc, appendix, &mut out);
    }
    if !doc.footnotes.is_empty() {
        out.push_str("<div class=\"footnotes\">");
        for (i, note) in doc.footnotes.iter().enumerate() {
            let n = i + 1;
            write!(out, "<p id=\"fn{n}\"><sup>{n}</sup> ").ok();
            inlines(doc, note, &mut out);
            out.push_str("</p>");
        }
        out.push_str("</div>\n");
    }
    out.push_str("</body></html>\n");
    out
}
