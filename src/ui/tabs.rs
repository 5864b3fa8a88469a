//! The left column's panels as tabs (WAI-ARIA tabs: one tab stop, arrows
//! move between the tabs). On a phone the report is a tab of its own.

use super::state::{t, Action, State, Tab};
use baocao::model::{Lang, Severity};
use yew::prelude::*;

impl Tab {
    const ALL: [Tab; 5] = [
        Tab::Problems,
        Tab::Details,
        Tab::Template,
        Tab::Charts,
        Tab::Report,
    ];

    /// The element ids of the tab and its panel.
    pub fn id(self) -> &'static str {
        match self {
            Tab::Problems => "problems",
            Tab::Details => "details",
            Tab::Template => "template",
            Tab::Charts => "charts",
            Tab::Report => "report",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        match self {
            Tab::Problems => t(lang, "Vấn đề", "Problems"),
            Tab::Details => t(lang, "Thông tin văn bản", "Document details"),
            Tab::Template => t(lang, "Mẫu báo cáo", "Report template"),
            Tab::Charts => t(lang, "Biểu đồ", "Charts"),
            Tab::Report => t(lang, "Báo cáo", "Report"),
        }
    }
}

/// The tab list; `Tab::Report` shows on narrow screens only.
pub fn tab_list(state: &UseReducerHandle<State>) -> Html {
    let lang = state.lang;
    let ws = &state.ws;
    let errors = ws.count(Severity::Error);
    let charts = ws.charts().len();
    let onkeydown = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            let phone = web_sys::window()
                .and_then(|w| w.match_media("(max-width: 700px)").ok().flatten())
                .is_some_and(|m| m.matches());
            let shown: Vec<Tab> = Tab::ALL
                .into_iter()
                .filter(|t| phone || *t != Tab::Report)
                .collect();
            let at = shown.iter().position(|t| *t == state.tab).unwrap_or(0);
            let n = shown.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (at + 1) % n,
                "ArrowLeft" => (at + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            let tab = shown[next];
            state.dispatch(Action::ShowTab(tab));
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("tab-{}", tab.id())))
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = el.focus();
            }
        })
    };
    html! {
        <div class="tabs" role="tablist" aria-label={t(lang, "Bảng bên trái", "Side panels")} {onkeydown}>
            { for Tab::ALL.into_iter().map(|tab| {
                let selected = state.tab == tab;
                let onclick = {
                    let state = state.clone();
                    Callback::from(move |_| state.dispatch(Action::ShowTab(tab)))
                };
                let count = match tab {
                    Tab::Problems if errors > 0 => Some(html! { <span class="tab-count error">{ errors.to_string() }</span> }),
                    Tab::Template if ws.template_error().is_some() => Some(html! { <span class="tab-count error">{ "!" }</span> }),
                    Tab::Charts => Some(html! { <span class="tab-count">{ charts.to_string() }</span> }),
                    _ => None,
                };
                html! {
                    <button type="button" role="tab" id={format!("tab-{}", tab.id())} data-testid={format!("tab-{}", tab.id())}
                        class={classes!("tab", (tab == Tab::Report).then_some("phone-only"))}
                        aria-selected={selected.to_string()} aria-controls={format!("panel-{}", tab.id())}
                        tabindex={if selected { "0" } else { "-1" }} {onclick}>
                        { tab.label(lang) }if count.is_some() { { " " } }{ for count }
                    </button>
                }
            }) }
        </div>
    }
}

/// A tab's panel: in the page always (tests and tools find what it holds),
/// shown while its tab is chosen.
pub fn panel(state: &State, tab: Tab, content: Html) -> Html {
    html! {
        <div role="tabpanel" id={format!("panel-{}", tab.id())} class="tab-panel"
            aria-labelledby={format!("tab-{}", tab.id())} hidden={state.tab != tab}>
            { content }
        </div>
    }
}
