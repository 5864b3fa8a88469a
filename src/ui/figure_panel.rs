//! The details of a clicked figure, in a panel at the side of the screen
//! beside the preview: what it is (the indicator's name, the unit, the
//! period), where it came from (file, row, cell, as written) and the checks
//! its cells passed or failed. It takes focus and closes with Esc.

use super::state::{t, Action, State};
use baocao::rule_names::rule_name;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

#[function_component(FigurePanel)]
pub fn figure_panel(props: &Props) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let panel = use_node_ref();
    // Focus moves to the panel when a figure is chosen, and back to the
    // figure when the panel closes.
    super::focus::use_dialog_focus(state.selected_figure, panel.clone());
    let Some(doc) = state.ws.document() else {
        return html! {};
    };
    let Some(fig) = state.selected_figure.and_then(|i| doc.figures.get(i)) else {
        return html! {};
    };
    let close = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::SelectFigure(None)))
    };
    let onkeydown = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                state.dispatch(Action::SelectFigure(None));
            }
        })
    };
    let (ws, ds) = (&state.ws, &state.ws.dataset());
    // What the figure is, from the observation of its first cell.
    let first = fig
        .sources
        .first()
        .and_then(|c| ds.observations().find(|o| o.cell == *c));
    let what = first.map(|o| {
        let code = o.indicator.to_string();
        let known = ws.catalog.get(&code);
        let name = known.map_or(code.clone(), |i| i.name.clone());
        let unit = o
            .unit()
            .map(|u| u.to_string())
            .or_else(|| known.map(|i| i.unit.clone()))
            .unwrap_or_default();
        let entity = o.entity().map(str::to_string);
        (name, code, unit, o.period.to_string(), entity)
    });
    let rules = ws.rules_for_cells(&fig.sources);
    // Findings on these cells that no catalogue rule raised (reading, ranges, conflicts).
    let other: Vec<&str> = ws
        .findings()
        .iter()
        .filter(|f| f.cells.iter().any(|c| fig.sources.contains(c)))
        .filter(|f| !rules.iter().any(|(id, _)| *id == f.rule))
        .map(|f| f.message(lang))
        .collect();
    html! {
        <aside class="figure-details" data-testid="figure-panel" role="dialog" tabindex="-1" ref={panel} {onkeydown}
            aria-labelledby="figure-panel-title">
            <button type="button" class="close" onclick={close.clone()} aria-label={t(lang, "Đóng", "Close")}>{ "×" }</button>
            <h3 id="figure-panel-title">{ fig.text.clone() }</h3>
            if let Some((name, code, unit, period, entity)) = what {
                <p class="what">
                    <strong translate="no">{ name }</strong>
                    { format!(" · {} {period}", t(lang, "kỳ", "period")) }
                    if !unit.is_empty() { { " · " }<span translate="no">{ unit }</span> }
                    if let Some(e) = entity { { " · " }<span translate="no">{ e }</span> }
                    <small class="code">{ format!(" ({code})") }</small>
                </p>
            } else {
                <p class="what"><strong translate="no">{ fig.label.clone() }</strong></p>
            }
            if fig.sources.is_empty() {
                <p>{ t(lang, "Số liệu này không có trong dữ liệu.", "The data do not hold this figure.") }</p>
            }
            <ul>
                { for fig.sources.iter().map(|c| {
                    let p = ds.describe(c);
                    let raw = ds.observations().find(|o| o.cell == *c).map(|o| o.raw().into_owned()).unwrap_or_default();
                    html! { <li>{ format!("{} · {} {} · {} {} ({}) = \"{raw}\"", p.file, t(lang, "dòng", "row"), p.row, t(lang, "cột", "column"), p.column, p.header) }</li> }
                }) }
            </ul>
            if !rules.is_empty() {
                <h4>{ t(lang, "Các quy tắc kiểm tra", "Checks") }</h4>
                <ul class="rules">
                    { for rules.iter().map(|(id, failed)| {
                        let name = rule_name(id, &ws.catalog, lang);
                        match failed {
                            Some(f) => html! { <li class="failed" data-rule={id.clone()} data-passed="false">{ format!("✗ {name}: {}", f.message(lang)) }</li> },
                            None => html! { <li class="ok" data-rule={id.clone()} data-passed="true">{ format!("✓ {name}") }</li> },
                        }
                    }) }
                </ul>
            }
            if other.is_empty() && rules.iter().all(|(_, f)| f.is_none()) {
                <p class="ok">{ t(lang, "Các kiểm tra liên quan đều đạt.", "Every related check passed.") }</p>
            } else {
                <ul class="failed">{ for other.iter().map(|m| html! { <li>{ m.to_string() }</li> }) }</ul>
            }
            <button type="button" class="button" onclick={close}>{ t(lang, "Đóng", "Close") }</button>
        </aside>
    }
}
