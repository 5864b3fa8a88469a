//! The template editor: the template's text with line numbers, its error
//! beside it, and the tools that write into it.

use super::state::{t, Action, State};
use crate::services;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

/// "1\n2\n3…", one number per line of `text`, the line in error marked.
fn line_numbers(text: &str, error: Option<usize>) -> String {
    let count = text.lines().count().max(1) + usize::from(text.ends_with('\n'));
    (1..=count)
        .map(|n| {
            if Some(n) == error {
                format!("▶{n}")
            } else {
                n.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[function_component(Editor)]
pub fn editor(props: &Props) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let area = use_node_ref();
    let gutter = use_node_ref();
    let error_line = state.ws.template_error().and_then(|e| e.line);
    // The line numbers scroll with the text.
    let on_scroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(g) = gutter.cast::<web_sys::Element>() {
                g.set_scroll_top(area.scroll_top());
            }
        })
    };
    let on_template = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            state.dispatch(Action::SetTemplate(area.value(), services::now_ms()));
        })
    };
    html! {
        <section class="panel editor" aria-labelledby="editor-title">
            <h2 id="editor-title" class="visually-hidden">{ t(lang, "Mẫu báo cáo", "Report template") }</h2>
            <p class="hint">{ t(lang, "Văn bản của báo cáo: Markdown, số liệu chèn bằng {{ so(\"MÃ\", 2020) }}.",
                "The report's text: Markdown, with figures put in by {{ so(\"CODE\", 2020) }}.") }</p>
            if let Some(e) = &state.ws.template_error() {
                <p class="template-error" data-testid="template-error" role="alert">
                    { format!("{}: {e}", t(lang, "Lỗi mẫu báo cáo", "Template error")) }
                    if let Some(text) = e.line.and_then(|l| state.ws.template_text.lines().nth(l.saturating_sub(1))) {
                        <code class="error-line">{ text.chars().take(600).collect::<String>() }</code>
                    }
                </p>
            }
            <super::figure_picker::FigurePicker state={state.clone()} area={area.clone()} />
            <div class="code-editor">
                <pre class="gutter" ref={gutter.clone()} aria-hidden="true">{ line_numbers(&state.ws.template_text, error_line) }</pre>
                <textarea class="template" rows="20" spellcheck="false" wrap="off" value={state.ws.template_text.clone()}
                    ref={area} oninput={on_template} onscroll={on_scroll} aria-label={t(lang, "Mẫu báo cáo", "Report template")} />
            </div>
        </section>
    }
}

/// Undo and redo, for the header and the template alike.
pub fn edit_bar(state: &UseReducerHandle<State>) -> Html {
    let lang = state.lang;
    html! {
        <div class="edit-bar">
            <button type="button" class="chip" data-testid="undo" disabled={state.undo.is_empty()}
                onclick={let s = state.clone(); Callback::from(move |_| s.dispatch(Action::Undo))}>{ t(lang, "↶ Hoàn tác", "↶ Undo") }</button>
            <button type="button" class="chip" data-testid="redo" disabled={state.redo.is_empty()}
                onclick={let s = state.clone(); Callback::from(move |_| s.dispatch(Action::Redo))}>{ t(lang, "↷ Làm lại", "↷ Redo") }</button>
        </div>
    }
}
