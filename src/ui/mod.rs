//! The Yew app: one reducer holds the workspace; one component per panel.

mod arrivals;
mod bridge;
mod chart;
mod deriving;
mod download_check;
mod downloads;
mod dropzone;
mod editor;
mod figure_panel;
mod figure_picker;
mod files;
mod finding_actions;
mod findings;
mod focus;
mod header_form;
mod inlines;
mod keeping;
mod mapping;
mod preview;
mod preview_table;
mod reader;
mod rehearsal;
mod state;
mod storage;
mod tabs;
mod topbar;

use crate::services;
use baocao::model::Lang;
use state::{t, Action, State, Tab};
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| State {
        lang: if services::saved_lang().as_deref() == Some("en") {
            Lang::En
        } else {
            Lang::Vi
        },
        ..State::default()
    });
    {
        // Offline use; a new version announces itself.
        let state = state.clone();
        use_effect_with((), move |_| {
            services::register_service_worker(move || {
                state.dispatch(Action::Notice(state::Notice::new(
                    "Đã có phiên bản mới của trang; lần mở sau sẽ dùng phiên bản này.",
                    "A new version of the page is ready; it is used from the next visit.",
                )))
            });
        });
    }
    storage::use_storage(&state);
    arrivals::use_arrivals(&state);
    let (reader, progress) = reader::use_reader(&state);
    deriving::use_deriving(&state);
    rehearsal::use_rehearsal(&state);
    // After every change the page is idle again, unless files are still being read.
    use_effect_with((state.version, state.is_ready()), |(_, ready)| {
        services::set_ready(*ready)
    });
    {
        let lang = state.lang;
        use_effect_with(lang, move |lang| {
            services::save_lang(if *lang == Lang::Vi { "vi" } else { "en" });
            if let Some(html) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                let _ = html.set_attribute("lang", if *lang == Lang::Vi { "vi" } else { "en" });
            }
            if let Some(d) = web_sys::window().and_then(|w| w.document()) {
                d.set_title(t(
                    *lang,
                    "baocao — kiểm tra số liệu và lập báo cáo",
                    "baocao — check indicators, write the report",
                ));
            }
        });
    }
    let lang = state.lang;
    let ws = &state.ws;

    let downloads = downloads::use_downloads(&state, &reader);
    let phone_report = (state.tab == Tab::Report).then_some("showing-report");
    html! {
        <>
        <topbar::Topbar state={state.clone()} actions={downloads.actions.clone()} docx_ms={downloads.docx_ms} />
        <main class={classes!("layout", phone_report)}>
            <div class="column">
                <dropzone::DropZone state={state.clone()} reader={reader.clone()} template={downloads.actions.template.clone()} />
                if let Some(e) = downloads.error.clone() { <p class="notice" role="alert">{ e }</p> }
                <keeping::KeepingNotices state={state.clone()} />
                <div class="notices">{ for state.notices.iter().map(|n| html! { <p class="notice" role="alert">{ n.text(lang).to_string() }</p> }) }</div>
                { files::reading_list(&state, &progress) }
                <div class="tab-row">
                    { tabs::tab_list(&state) }
                    if matches!(state.tab, Tab::Details | Tab::Template) { { editor::edit_bar(&state) } }
                </div>
                { tabs::panel(&state, Tab::Problems, html! {
                    <>
                    { files::files_panel(&state) }
                    <findings::FindingsPanel state={state.clone()} reader={reader.clone()} csv={downloads.actions.findings_csv.clone()} template={downloads.actions.template.clone()} />
                    <mapping::MappingPanel state={state.clone()} />
                    </>
                }) }
                { tabs::panel(&state, Tab::Details, html! { <header_form::HeaderForm state={state.clone()} /> }) }
                { tabs::panel(&state, Tab::Template, html! { <editor::Editor state={state.clone()} /> }) }
                { tabs::panel(&state, Tab::Charts, html! {
                    <section class="panel charts" aria-labelledby="charts-title">
                        <h2 id="charts-title" class="visually-hidden">{ t(lang, "Biểu đồ", "Charts") }</h2>
                        <div class="chart-grid">
                            { for ws.charts().iter().map(|c| html! { <chart::ChartCard chart={c.clone()} lang={lang} /> }) }
                        </div>
                    </section>
                }) }
            </div>
            <div class="column preview-column" id="panel-report" role="region"
                aria-label={t(lang, "Báo cáo", "Report")}>
                <preview::Preview state={state.clone()} />
            </div>
        </main>
        <div class="dialogs">{ for downloads.dialog }</div>
        </>
    }
}
