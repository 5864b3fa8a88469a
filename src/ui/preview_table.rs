//! A table of the report in the preview: its merged header as `rowspan`
//! and `colspan`, the column-number row, and figures that can be clicked.

use super::preview::inlines;
use super::state::State;
use baocao::report::document::Document;
use baocao::report::layout::Layout;
use baocao::report::table::{ColumnKind, RowKind, Table};
use yew::prelude::*;

/// The width between the margins of the page the table is laid on.
fn text_width_mm(t: &Table) -> f64 {
    let l = Layout::default();
    let portrait = l.page_width_mm - l.margin_left_mm - l.margin_right_mm;
    if t.needs_landscape(portrait) {
        l.page_height_mm - l.margin_left_mm - l.margin_right_mm
    } else {
        portrait
    }
}

pub fn table_html(doc: &Document, t: &Table, state: &UseReducerHandle<State>) -> Html {
    // The same text size and column widths as the DOCX.
    let width = text_width_mm(t);
    let font = format!("font-size: {}pt", t.font_pt(width));
    let align = |c: usize| match t.columns.get(c) {
        Some(ColumnKind::Figure) => "num",
        Some(ColumnKind::Number) => "stt",
        _ => "label",
    };
    html! {
        <div class="data-table" data-testid="report-table">
            if !t.form.is_empty() { <p class="form">{ t.form.clone() }</p> }
            if !t.title.is_empty() { <p class="table-title">{ t.title.clone() }</p> }
            if !t.unit_note.is_empty() { <p class="unit-note">{ t.unit_note.clone() }</p> }
            <table style={font}>
                <colgroup>
                    { for t.fitted_widths_mm(width).iter().map(|w| html! { <col style={format!("width: {w:.1}mm")} /> }) }
                </colgroup>
                <thead>
                    { for t.head.iter().map(|row| html! {
                        <tr>{ for row.iter().map(|c| html! {
                            <th colspan={c.span.to_string()} rowspan={c.row_span.to_string()}>{ c.text.clone() }</th>
                        }) }</tr>
                    }) }
                    if !t.numbers.is_empty() {
                        <tr class="numbers">{ for t.numbers.iter().map(|n| html! { <th>{ n.clone() }</th> }) }</tr>
                    }
                </thead>
                <tbody>
                    { for t.rows.iter().map(|row| html! {
                        <tr class={match row.kind { RowKind::Body => "", RowKind::Section => "section", RowKind::Total => "total" }}>
                            { for row.cells.iter().enumerate().map(|(c, cell)| html! {
                                <td class={align(c)}>{ inlines(doc, cell, state) }</td>
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
            if !t.note.is_empty() { <p class="table-note">{ t.note.clone() }</p> }
        </div>
    }
}
