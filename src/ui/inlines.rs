//! Text inside a block, drawn for the preview: styled runs, footnote
//! references, and figures that say where they came from.

use super::state::{Action, State};
use baocao::model::CellPlace;
use baocao::report::document::{Document, FigureStatus, Inline, Style};
use yew::prelude::*;

fn styled(style: Style, content: Html) -> Html {
    match (style.bold, style.italic) {
        (true, true) => html! { <strong><em>{ content }</em></strong> },
        (true, false) => html! { <strong>{ content }</strong> },
        (false, true) => html! { <em>{ content }</em> },
        (false, false) => content,
    }
}

/// How a copy of the document is drawn: `Live` on the pages, where figures
/// say where they came from and open their details; `Measured` in the hidden
/// copy the pages are cut from, where a figure is only its box.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Drawn {
    Live,
    Measured,
}

pub fn inlines(
    doc: &Document,
    content: &[Inline],
    state: &UseReducerHandle<State>,
    copy: Drawn,
) -> Html {
    content
        .iter()
        .map(|i| match i {
            Inline::Text { text, style } => styled(*style, html! { { text.clone() } }),
            Inline::Figure { id, style } => {
                let Some(fig) = doc.figures.get(*id) else { return html! {} };
                let status = match fig.status {
                    FigureStatus::Ok => "ok",
                    FigureStatus::Failed => "failed",
                    FigureStatus::Missing => "missing",
                };
                if copy == Drawn::Measured {
                    return styled(*style, html! { <button type="button" tabindex="-1" class={classes!("figure", status)}>{ fig.text.clone() }</button> });
                }
                let places: Vec<CellPlace> = fig.sources.iter().map(|c| state.ws.dataset().describe(c)).collect();
                let src = serde_json::to_string(&places).unwrap_or_default();
                let onclick = {
                    let (state, id) = (state.clone(), *id);
                    Callback::from(move |_| state.dispatch(Action::SelectFigure(Some(id))))
                };
                let selected = state.selected_figure == Some(*id);
                styled(
                    *style,
                    html! {
                        <button type="button" class={classes!("figure", status, selected.then_some("selected"))}
                            data-src={src} data-status={status} data-label={fig.label.clone()} {onclick}
                            title={fig.label.clone()}>{ fig.text.clone() }</button>
                    },
                )
            }
            Inline::FootnoteRef { number } => html! { <sup class="fnref">{ number.to_string() }</sup> },
            Inline::LineBreak => html! { <br /> },
        })
        .collect()
}
