//! The editor panel: the header fields as a form, and the template text.

use super::state::{t, Action, State};
use crate::services;
use baocao::report::document::Header;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

type Setter = fn(&mut Header, String);

fn field(state: &UseReducerHandle<State>, label: &'static str, value: String, set: Setter) -> Html {
    let oninput = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut h = state.ws.header.clone();
            set(&mut h, input.value());
            state.dispatch(Action::SetHeader(h, services::now_ms()));
        })
    };
    html! {
        <label class="field">
            <span>{ label }</span>
            <input type="text" {value} {oninput} />
        </label>
    }
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

fn number<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.trim().parse().ok()
}

#[function_component(Editor)]
pub fn editor(props: &Props) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let h = &state.ws.header;
    let show = |v: Option<u8>| v.map(|v| v.to_string()).unwrap_or_default();
    let on_recipients = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            let mut h = state.ws.header.clone();
            h.recipients = area
                .value()
                .lines()
                .map(|l| l.trim().trim_start_matches("- ").to_string())
                .filter(|l| !l.is_empty())
                .collect();
            state.dispatch(Action::SetHeader(h, services::now_ms()));
        })
    };
    let on_appendix = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut h = state.ws.header.clone();
            h.charts_appendix = input.checked();
            state.dispatch(Action::SetHeader(h, services::now_ms()));
        })
    };
    let area = use_node_ref();
    let gutter = use_node_ref();
    let error_line = state.ws.template_error.as_ref().and_then(|e| e.line);
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
                        <div class="editor-head">
                <h2 id="editor-title">{ t(lang, "Thông tin văn bản", "Document details") }</h2>
                <button type="button" class="chip" data-testid="undo" disabled={state.undo.is_empty()}
                    onclick={let s = state.clone(); Callback::from(move |_| s.dispatch(Action::Undo))}>{ t(lang, "↶ Hoàn tác", "↶ Undo") }</button>
                <button type="button" class="chip" data-testid="redo" disabled={state.redo.is_empty()}
                    onclick={let s = state.clone(); Callback::from(move |_| s.dispatch(Action::Redo))}>{ t(lang, "↷ Làm lại", "↷ Redo") }</button>
            </div>
            <div class="form-grid">
                { field(state, t(lang, "Cơ quan chủ quản", "Parent agency"), h.parent_agency.clone(), |h, v| h.parent_agency = v) }
                { field(state, t(lang, "Cơ quan ban hành", "Issuing agency"), h.agency.clone(), |h, v| h.agency = v) }
                { field(state, t(lang, "Số, ký hiệu", "Number"), h.number.clone(), |h, v| h.number = v) }
                { field(state, t(lang, "Địa danh", "Place"), h.place.clone(), |h, v| h.place = v) }
                { field(state, t(lang, "Ngày", "Day"), show(h.day), |h, v| h.day = number(&v)) }
                { field(state, t(lang, "Tháng", "Month"), show(h.month), |h, v| h.month = number(&v)) }
                { field(state, t(lang, "Năm", "Year"), h.year.to_string(), |h, v| h.year = number(&v).unwrap_or(h.year)) }
                { field(state, t(lang, "Tên loại văn bản", "Document type"), h.title.clone(), |h, v| h.title = v) }
                { field(state, t(lang, "Trích yếu", "Subject"), h.subtitle.clone(), |h, v| h.subtitle = v) }
                { field(state, t(lang, "Quyền hạn ký", "Signing authority"), h.signer_authority.clone(), |h, v| h.signer_authority = v) }
                { field(state, t(lang, "Chức vụ người ký", "Signer's title"), h.signer_title.clone(), |h, v| h.signer_title = v) }
                { field(state, t(lang, "Họ tên người ký", "Signer's name"), h.signer_name.clone(), |h, v| h.signer_name = v) }
            </div>
            <label class="field wide">
                <span>{ t(lang, "Nơi nhận (mỗi dòng một nơi)", "Recipients (one per line)") }</span>
                <textarea rows="4" value={h.recipients.join("\n")} oninput={on_recipients} />
            </label>
            <label class="check">
                <input type="checkbox" checked={h.charts_appendix} onchange={on_appendix} />
                { t(lang, " Kèm phụ lục biểu đồ", " Include the charts appendix") }
            </label>
            if let Some(e) = &state.ws.template_error {
                <p class="template-error" data-testid="template-error" role="alert">
                    { format!("{}: {e}", t(lang, "Lỗi mẫu báo cáo", "Template error")) }
                    if let Some(text) = e.line.and_then(|l| state.ws.template_text.lines().nth(l.saturating_sub(1))) {
                        <code class="error-line">{ text.chars().take(600).collect::<String>() }</code>
                    }
                </p>
            }
            <details>
                <summary>{ t(lang, "Mẫu báo cáo (Markdown + Jinja)", "Report template (Markdown + Jinja)") }</summary>
                <super::figure_picker::FigurePicker state={state.clone()} area={area.clone()} />
                <div class="code-editor">
                    <pre class="gutter" ref={gutter.clone()} aria-hidden="true">{ line_numbers(&state.ws.template_text, error_line) }</pre>
                    <textarea class="template" rows="20" spellcheck="false" wrap="off" value={state.ws.template_text.clone()}
                        ref={area} oninput={on_template} onscroll={on_scroll} aria-label={t(lang, "Mẫu báo cáo", "Report template")} />
                </div>
            </details>
        </section>
    }
}
