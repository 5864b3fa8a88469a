//! The HTML writer of the document model: an A4 page laid out per ND 30/2020
//! in CSS. Every figure carries `data-src` (its cells) and can be clicked to
//! show where it came from. Text goes in as text nodes; the one markup is a
//! chart's SVG, which the core writes with every string escaped.

use super::chart::DrawnChart;
use super::inlines::{inlines, Drawn};
use super::state::{t, Action, State, Tab};
use baocao::report::document::{Block, Document, Header, Inline};
use baocao::report::layout::Layout;
use baocao::report::paginate::{lay_out, Measured, Page};
use baocao::report::table::Fit;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// What the preview draws of a document once: per block, a table's fit;
/// per chart, its SVG.
#[derive(Default)]
struct Prepared {
    fits: Vec<Option<Fit>>,
    charts: Vec<DrawnChart>,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

/// A block; a table shows only `rows` of its body when they are given.
fn block_html(
    doc: &Document,
    b: &Block,
    fit: Option<&Fit>,
    charts: &[DrawnChart],
    rows: Option<std::ops::Range<usize>>,
    state: &UseReducerHandle<State>,
    copy: Drawn,
) -> Html {
    match b {
        Block::Heading { level, content } => {
            html! { <p class={format!("heading h{level}")}>{ inlines(doc, content, state, copy) }</p> }
        }
        Block::Paragraph(content) => {
            html! { <p class="body">{ inlines(doc, content, state, copy) }</p> }
        }
        Block::Item(content) => {
            html! { <p class="body item">{ "- " }{ inlines(doc, content, state, copy) }</p> }
        }
        Block::PageBreak => html! { <div class="page-break" aria-hidden="true"></div> },
        Block::Chart { chart, number } => match charts.get(*chart) {
            // The measured copy needs only the chart's box: an empty SVG of
            // the same view box takes the same height.
            Some(c) if copy == Drawn::Measured => html! {
                <figure class="report-chart">
                    <svg class="chart-svg" viewBox={c.view_box.clone()}></svg>
                    <figcaption>{ doc.caption(*chart, *number) }</figcaption>
                </figure>
            },
            Some(c) => html! {
                <figure class="report-chart">
                    { c.html() }
                    <figcaption>{ doc.caption(*chart, *number) }</figcaption>
                </figure>
            },
            None => html! {},
        },
        Block::Table(table) => {
            let own;
            let fit = match fit {
                Some(f) => f,
                None => {
                    own = table.fit(&Layout::default());
                    &own
                }
            };
            super::preview_table::table_html(doc, table, fit, rows, state, copy)
        }
    }
}

fn note_html(doc: &Document, number: usize, state: &UseReducerHandle<State>, copy: Drawn) -> Html {
    let Some(note) = doc.footnotes.get(number.wrapping_sub(1)) else {
        return html! {};
    };
    html! { <p class="footnote"><sup>{ number.to_string() }</sup>{ " " }{ inlines(doc, note, state, copy) }</p> }
}

fn head_html(h: &Header) -> Html {
    html! {
        <>
        <table class="nd30-header" role="presentation">
            <tr>
                <td class="left">
                    if !h.parent_agency.trim().is_empty() { <div class="parent">{ h.parent_agency.to_uppercase() }</div> }
                    <div class="agency">{ h.agency.to_uppercase() }</div>
                    <div class="rule short"></div>
                </td>
                <td class="right">
                    <div class="nation">{ "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" }</div>
                    <div class="motto">{ "Độc lập - Tự do - Hạnh phúc" }</div>
                    <div class="rule motto-rule"></div>
                </td>
            </tr>
            <tr>
                <td class="left number">{ h.number_line() }</td>
                <td class="right date">{ h.place_and_date() }</td>
            </tr>
        </table>
        <p class="title">{ h.title.to_uppercase() }</p>
        <p class="subtitle">{ h.subtitle.clone() }</p>
        <div class="rule subtitle-rule"></div>
        </>
    }
}

fn closing_html(h: &Header) -> Html {
    html! {
        <table class="nd30-closing" role="presentation">
            <tr>
                <td class="left">
                    <div class="recipients-title">{ "Nơi nhận:" }</div>
                    { for h.recipients.iter().map(|r| html! { <div class="recipient">{ format!("- {r}") }</div> }) }
                </td>
                <td class="right">
                    <div class="signer">{ h.signer_authority.to_uppercase() }</div>
                    <div class="signer">{ h.signer_title.to_uppercase() }</div>
                    <div class="signature-space"></div>
                    <div class="signer-name">{ h.signer_name.clone() }</div>
                </td>
            </tr>
        </table>
    }
}

/// The footnote numbers each block references.
fn notes_per_block(doc: &Document) -> Vec<Vec<usize>> {
    let refs = |c: &[Inline]| -> Vec<usize> {
        c.iter()
            .filter_map(|i| match i {
                Inline::FootnoteRef { number } => Some(*number),
                _ => None,
            })
            .collect()
    };
    doc.blocks
        .iter()
        .map(|b| match b {
            Block::Heading { content, .. } | Block::Paragraph(content) | Block::Item(content) => {
                refs(content)
            }
            Block::Table(t) => t
                .rows
                .iter()
                .flat_map(|r| &r.cells)
                .flat_map(|c| refs(c))
                .collect(),
            Block::PageBreak | Block::Chart { .. } => Vec::new(),
        })
        .collect()
}

/// Per block, whether it goes on a landscape page, as in the DOCX.
fn landscape_blocks(doc: &Document) -> Vec<bool> {
    let l = Layout::default();
    Document::landscape_blocks(
        &doc.blocks,
        l.page_width_mm - l.margin_left_mm - l.margin_right_mm,
    )
}

/// Half the height of a finger's target (44 px).
const REACH_PX: f64 = 22.0;

/// On a touch screen the scaled page's figures are a few pixels tall: a tap
/// that misses every figure opens the nearest one within [`REACH_PX`], so
/// each figure takes taps 44 px across and never those nearer another.
fn near_tap(e: MouseEvent) {
    let touch = web_sys::window()
        .and_then(|w| {
            w.match_media("(pointer: coarse), (max-width: 700px)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches());
    let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
    let on_figure = target
        .as_ref()
        .and_then(|t| t.closest(".figure").ok().flatten())
        .is_some();
    let Some(pages) = e
        .current_target()
        .and_then(|t| t.dyn_into::<Element>().ok())
    else {
        return;
    };
    if !touch || on_figure {
        return;
    }
    let Ok(figures) = pages.query_selector_all(".figure") else {
        return;
    };
    let (x, y) = (f64::from(e.client_x()), f64::from(e.client_y()));
    let nearest = (0..figures.length())
        .filter_map(|i| figures.item(i)?.dyn_into::<HtmlElement>().ok())
        .map(|f| {
            let r = f.get_bounding_client_rect();
            let dx = (r.left() - x).max(x - r.right()).max(0.0);
            let dy = (r.top() - y).max(y - r.bottom()).max(0.0);
            (dx.hypot(dy), f)
        })
        .filter(|(d, _)| *d <= REACH_PX)
        .min_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, figure)) = nearest {
        figure.click();
    }
}

/// Reads the heights the hidden copy of the document takes on screen.
fn measure(root: &NodeRef, doc: &Document) -> Option<Measured> {
    let root = root.cast::<Element>()?;
    let part =
        |class: &str| -> Option<HtmlElement> { root.query_selector(class).ok()??.dyn_into().ok() };
    // Heights include each child's bottom margin: the distance to the next child.
    let children_heights = |container: &HtmlElement| -> Vec<f64> {
        let kids = container.children();
        let tops: Vec<f64> = (0..kids.length())
            .filter_map(|i| kids.item(i)?.dyn_into::<HtmlElement>().ok())
            .map(|e| f64::from(e.offset_top()))
            .collect();
        let end = f64::from(container.offset_top() + container.offset_height());
        tops.iter()
            .enumerate()
            .map(|(i, t)| tops.get(i + 1).copied().unwrap_or(end) - t)
            .collect()
    };
    let blocks = part(".m-blocks")?;
    let notes = part(".m-notes")?;
    Some(Measured {
        page: f64::from(part(".m-page")?.offset_height()),
        first_page_head: f64::from(part(".m-head")?.offset_height()),
        blocks: children_heights(&blocks),
        breaks_after: doc
            .blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| matches!(b, Block::PageBreak))
            .map(|(i, _)| i)
            .collect(),
        block_notes: notes_per_block(doc),
        notes: children_heights(&notes),
        notes_separator: 12.0,
        closing: f64::from(part(".m-closing")?.offset_height()),
        landscape: landscape_blocks(doc),
        landscape_page: f64::from(part(".m-page-wide")?.offset_height()),
        tables: doc
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| match b {
                Block::Table(_) => {
                    super::preview_table::heights(&blocks.children().item(i as u32)?)
                }
                _ => None,
            })
            .collect(),
    })
}

/// Which document pages were laid out for: its address (a workspace opened
/// or reset starts its version count again), its version and the language.
type Laid = (Option<usize>, u64, baocao::model::Lang);

#[function_component(Preview)]
pub fn preview(props: &Props) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let measure_ref = use_node_ref();
    let document = state.ws.document().map(|d| std::rc::Rc::as_ptr(d) as usize);
    let laid: Laid = (document, state.ws.document_version(), lang);
    // The pages of the document `laid`, once its hidden copy is measured;
    // `None` inside if it could not be.
    let pages = use_state(|| None::<(Laid, Option<Vec<Page>>)>);
    // The pages last drawn for a measured document: drawn again, unchanged,
    // while a new document is measured, which the same task does (so they
    // are never seen). The new pages are then built once, not first in
    // the old page breaks and then again, and the measuring lays out no
    // pages of the new document.
    let drawn = use_mut_ref(|| None::<Html>);
    // Each table's page, size and widths (each reads every cell) and each
    // chart's SVG, worked out once per document, not on every render (a
    // keystroke in the template) nor once per copy or page they are on.
    let prepared = {
        let state = state.clone();
        use_memo((document, state.ws.document_version()), move |_| {
            let layout = Layout::default();
            state
                .ws
                .document()
                .map_or_else(Prepared::default, |doc| Prepared {
                    fits: doc
                        .blocks
                        .iter()
                        .map(|b| match b {
                            Block::Table(t) => Some(t.fit(&layout)),
                            _ => None,
                        })
                        .collect(),
                    charts: doc.charts.iter().map(DrawnChart::of).collect(),
                })
        })
    };
    let (fits, charts) = (&prepared.fits, &prepared.charts[..]);
    {
        let (measure_ref, pages, state) = (measure_ref.clone(), pages.clone(), state.clone());
        // The layout moves with the document (a figure's mark and a header
        // field are in it too): re-measured when it is another one, not on
        // every change of the page's state (a forced layout of the whole
        // report).
        use_effect_with(laid, move |laid| {
            if let Some(doc) = state.ws.document() {
                let measured = measure(&measure_ref, doc).map(|m| lay_out(&m, doc.appendix_start));
                pages.set(Some((*laid, measured)));
            }
        });
    }
    let Some(doc) = state.ws.document() else {
        *drawn.borrow_mut() = None;
        return html! { <section class="panel" data-testid="report-preview"><p>{ t(lang, "Chưa có báo cáo.", "No report yet.") }</p></section> };
    };
    let h = &doc.header;
    let measured = pages.as_ref().filter(|(of, _)| *of == laid);
    let stale = measured.is_none().then(|| drawn.borrow().clone()).flatten();
    let pages_html = match (stale, measured) {
        (Some(html), _) => html,
        (None, measured) => {
            let laid_out = measured.and_then(|(_, p)| p.as_deref());
            let html = pages_html(doc, laid_out, fits, charts, state);
            if laid_out.is_some() {
                *drawn.borrow_mut() = Some(html.clone());
            }
            html
        }
    };
    html! {
        <section class="panel preview-wrap" aria-label={t(lang, "Xem trước báo cáo", "Report preview")}>
            if let Some(e) = &state.ws.template_error() {
                <p class="template-error" role="alert">{ format!("{}: {e} ", t(lang, "Lỗi mẫu báo cáo", "Template error")) }
                    if state.tab != Tab::Template {
                        <button type="button" class="button small" data-testid="open-template"
                            onclick={let s = state.clone(); Callback::from(move |_| s.dispatch(Action::ShowTab(Tab::Template)))}>
                            { t(lang, "Mở mẫu báo cáo", "Open the template") }</button>
                    }
                </p>
            }
            <div class="a4 measure" ref={measure_ref} aria-hidden="true">
                <div class="m-page"></div>
                <div class="m-page-wide"></div>
                <div class="m-head">{ head_html(h) }</div>
                <div class="m-blocks">{ for doc.blocks.iter().enumerate().map(|(j, b)| block_html(doc, b, fits.get(j).and_then(Option::as_ref), charts, None, state, Drawn::Measured)) }</div>
                <div class="m-notes">{ for (1..=doc.footnotes.len()).map(|n| note_html(doc, n, state, Drawn::Measured)) }</div>
                <div class="m-closing">{ closing_html(h) }</div>
            </div>
            { pages_html }
            <super::figure_panel::FigurePanel state={state.clone()} />
        </section>
    }
}

/// The document's pages as laid out; not measured, everything on one long
/// page (and the appendix on another).
fn pages_html(
    doc: &Document,
    laid_out: Option<&[Page]>,
    fits: &[Option<Fit>],
    charts: &[DrawnChart],
    state: &UseReducerHandle<State>,
) -> Html {
    let lang = state.lang;
    let h = &doc.header;
    let unmeasured: Vec<Page>;
    let pages = match laid_out {
        Some(pages) => pages,
        None => {
            let split = doc
                .appendix_start
                .unwrap_or(doc.blocks.len())
                .min(doc.blocks.len());
            unmeasured = vec![
                Page {
                    blocks: 0..split,
                    notes: (1..=doc.footnotes.len()).collect(),
                    closing: true,
                    ..Page::default()
                },
                Page {
                    blocks: split..doc.blocks.len(),
                    notes: Vec::new(),
                    ..Page::default()
                },
            ];
            &unmeasured
        }
    };
    let count = pages.len();
    html! {
        <div class="pages" data-testid="report-preview" lang="vi" data-pages={count.to_string()} onclick={Callback::from(near_tap)}>
            { for pages.iter().enumerate().map(|(i, page)| html! {
                <article class={classes!("a4", "page", page.landscape.then_some("landscape"))} aria-label={format!("{} {}/{count}", t(lang, "Trang", "Page"), i + 1)}>
                    if i > 0 { <div class="page-number">{ (i + 1).to_string() }</div> }
                    if i == 0 { { head_html(h) } }
                    { for page.blocks.clone().filter_map(|j| {
                        let rows = page.rows.iter().find(|(b, _)| *b == j).map(|(_, r)| r.clone());
                        Some(block_html(doc, doc.blocks.get(j)?, fits.get(j).and_then(Option::as_ref), charts, rows, state, Drawn::Live))
                    }) }
                    if page.closing { { closing_html(h) } }
                    if !page.notes.is_empty() {
                        <footer class="footnotes">{ for page.notes.iter().map(|n| note_html(doc, *n, state, Drawn::Live)) }</footer>
                    }
                </article>
            }) }
        </div>
    }
}
