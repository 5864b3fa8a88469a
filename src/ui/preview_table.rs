//! A table of the report in the preview: its merged header as `rowspan`
//! and `colspan`, the column-number row, and figures that can be clicked.

use super::inlines::{inlines, Drawn};
use super::state::State;
use baocao::report::document::Document;
use baocao::report::paginate::TableHeights;
use baocao::report::table::{ColumnKind, Fit, RowKind, Table};
use std::ops::Range;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// What the page's pagination needs of a table as laid out: the height
/// above its first body row, its header rows, each body row, and below.
pub fn heights(block: &Element) -> Option<TableHeights> {
    let el =
        |sel: &str| -> Option<HtmlElement> { block.query_selector(sel).ok()??.dyn_into().ok() };
    let thead = el("thead")?;
    let tbody = el("tbody")?;
    let block: &HtmlElement = block.dyn_ref()?;
    let kids = tbody.children();
    let rows: Vec<f64> = (0..kids.length())
        .filter_map(|i| kids.item(i)?.dyn_into::<HtmlElement>().ok())
        .map(|r| r.get_bounding_client_rect().height())
        .collect();
    let block_rect = block.get_bounding_client_rect();
    let body_top = tbody.get_bounding_client_rect().top();
    let body_bottom = tbody.get_bounding_client_rect().bottom();
    Some(TableHeights {
        top: body_top - block_rect.top(),
        head: thead.get_bounding_client_rect().height(),
        rows,
        bottom: (block_rect.bottom() - body_bottom).max(0.0),
    })
}

pub fn table_html(
    doc: &Document,
    t: &Table,
    fit: &Fit,
    rows: Option<Range<usize>>,
    state: &UseReducerHandle<State>,
    copy: Drawn,
) -> Html {
    let all = 0..t.rows.len();
    let shown = rows.unwrap_or(all.clone());
    let (first, last) = (shown.start == 0, shown.end >= all.end);
    // The same text size and column widths as the DOCX. No style
    // attributes (the page's CSP forbids them): the size is a class in half
    // points, the widths `<col width>` percentages.
    let (wide, width, widths) = (fit.landscape, fit.width_mm, &fit.widths_mm);
    let size = format!("half-pt-{}", (fit.pt * 2.0).round() as u32);
    let align = |c: usize| match t.columns.get(c) {
        Some(ColumnKind::Figure) => "num",
        Some(ColumnKind::Number) => "stt",
        _ => "label",
    };
    html! {
        <div class={classes!("data-table", wide.then_some("wide"))} data-testid="report-table">
            if first && !t.form.is_empty() { <p class="form">{ t.form.clone() }</p> }
            if first && !t.title.is_empty() { <p class="table-title">{ t.title.clone() }</p> }
            if first && !t.unit_note.is_empty() { <p class="unit-note">{ t.unit_note.clone() }</p> }
            <table class={size}>
                <colgroup>
                    { for widths.iter().map(|w| html! { <col width={format!("{:.2}%", 100.0 * w / width)} /> }) }
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
                    { for t.rows.get(shown).into_iter().flatten().map(|row| html! {
                        <tr class={match row.kind { RowKind::Body => "", RowKind::Section => "section", RowKind::Total => "total" }}>
                            { for row.cells.iter().enumerate().map(|(c, cell)| html! {
                                <td class={align(c)}>{ inlines(doc, cell, state, copy) }</td>
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
            if last && !t.note.is_empty() { <p class="table-note">{ t.note.clone() }</p> }
        </div>
    }
}
