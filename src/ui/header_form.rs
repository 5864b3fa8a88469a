//! The document's details (ND 30/2020's header and closing) as a form.

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

fn number<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.trim().parse().ok()
}

#[function_component(HeaderForm)]
pub fn header_form(props: &Props) -> Html {
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
    html! {
        <section class="panel editor" aria-labelledby="details-title">
            <h2 id="details-title" class="visually-hidden">{ t(lang, "Thông tin văn bản", "Document details") }</h2>
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
        </section>
    }
}
