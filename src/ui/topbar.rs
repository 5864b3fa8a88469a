//! The bar that stays at the top: the report's download, every other
//! download in one "Tải xuống" menu, the sample and the language.

use super::downloads::Actions;
use super::state::{t, Action, State};
use baocao::model::Lang;
use web_sys::{Element, HtmlElement, Node};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
    pub actions: Actions,
    /// How long the last DOCX took to build (for benchmarks).
    pub docx_ms: Option<f64>,
}

/// One entry of the menu: its words, its hook for tests, what it does and
/// whether it can be done now.
struct Item {
    label: &'static str,
    testid: Option<&'static str>,
    action: Callback<MouseEvent>,
    enabled: bool,
}

#[function_component(Topbar)]
pub fn topbar(props: &Props) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let ws = &state.ws;
    let ready = state.can_download();
    let report = ready && ws.document().is_some();
    let reset = {
        let state = state.clone();
        Callback::from(move |_| {
            let ok = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(t(
                        state.lang,
                        "Bỏ các tệp và chỉnh sửa, nạp lại số liệu mẫu?",
                        "Remove the files and edits and load the sample again?",
                    ))
                    .ok()
                })
                .unwrap_or(true);
            if ok {
                state.dispatch(Action::Reset);
            }
        })
    };
    let toggle_lang = {
        let state = state.clone();
        Callback::from(move |_| {
            state.dispatch(Action::SetLang(if state.lang == Lang::Vi {
                Lang::En
            } else {
                Lang::Vi
            }))
        })
    };
    // The report is the bar's first action once the user's own data are in.
    let primary = (!ws.is_sample).then_some("primary");
    let items = vec![
        Item {
            label: t(lang, "Báo cáo (DOCX)", "Report (DOCX)"),
            testid: None,
            action: props.actions.docx.clone(),
            enabled: report,
        },
        Item {
            label: t(lang, "Báo cáo (HTML)", "Report (HTML)"),
            testid: Some("download-html"),
            action: props.actions.html.clone(),
            enabled: report,
        },
        Item {
            label: t(lang, "In / lưu PDF", "Print / save as PDF"),
            testid: Some("print"),
            action: props.actions.print.clone(),
            enabled: report,
        },
        Item {
            label: t(lang, "Danh sách vấn đề (CSV)", "Problems (CSV)"),
            testid: None,
            action: props.actions.findings_csv.clone(),
            enabled: ready,
        },
        Item {
            label: t(lang, "Danh sách vấn đề (XLSX)", "Problems (XLSX)"),
            testid: Some("download-findings-xlsx"),
            action: props.actions.findings_xlsx.clone(),
            enabled: ready,
        },
        Item {
            label: t(lang, "Mẫu nhập số liệu (XLSX)", "Input template (XLSX)"),
            testid: None,
            action: props.actions.template.clone(),
            enabled: ready,
        },
        Item {
            label: t(
                lang,
                "Không gian làm việc (.baocao)",
                "Workspace file (.baocao)",
            ),
            testid: Some("export-workspace"),
            action: props.actions.workspace.clone(),
            enabled: ready,
        },
    ];
    html! {
        <header class="topbar">
            <h1>{ "baocao" }<small>{ t(lang, " — kiểm tra số liệu và lập báo cáo", " — check indicators, write the report") }</small></h1>
            <nav class="actions" aria-label={t(lang, "Thao tác chính", "Main actions")}>
                <button type="button" class={classes!("button", primary)} data-testid="download-docx" onclick={props.actions.docx.clone()}
                    data-build-ms={props.docx_ms.map(|ms| format!("{ms:.1}"))}
                    disabled={!report}>{ t(lang, "Tải báo cáo (DOCX)", "Download report (DOCX)") }</button>
                <Menu label={t(lang, "Tải xuống", "Downloads")} {items} />
                <button type="button" class="button" data-testid="reset-workspace" onclick={reset}>
                    { t(lang, "Nạp lại mẫu", "Reset to sample") }</button>
                <button type="button" class="button" onclick={toggle_lang} lang={if lang == Lang::Vi { "en" } else { "vi" }}
                    title="Ngôn ngữ / Language" translate="no">
                    { if lang == Lang::Vi { "English" } else { "Tiếng Việt" } }</button>
            </nav>
        </header>
    }
}

#[derive(Properties)]
struct MenuProps {
    label: &'static str,
    items: Vec<Item>,
}

impl PartialEq for MenuProps {
    fn eq(&self, other: &Self) -> bool {
        self.label == other.label
            && self.items.len() == other.items.len()
            && self
                .items
                .iter()
                .zip(&other.items)
                .all(|(a, b)| a.label == b.label && a.enabled == b.enabled && a.action == b.action)
    }
}

/// A button that shows a list of actions below it: opened by click, Enter
/// or Space; closed by Esc (focus back on the button), by choosing, or by
/// focus or a click going elsewhere.
#[function_component(Menu)]
fn menu(props: &MenuProps) -> Html {
    let open = use_state(|| false);
    let root = use_node_ref();
    let toggle_ref = use_node_ref();
    let first_ref = use_node_ref();
    {
        // Opened: focus goes to the first entry that can be chosen.
        let first_ref = first_ref.clone();
        use_effect_with(*open, move |open| {
            if *open {
                if let Some(b) = first_ref.cast::<HtmlElement>() {
                    let _ = b.focus();
                }
            }
        });
    }
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let onkeydown = {
        let (open, toggle_ref, root) = (open.clone(), toggle_ref.clone(), root.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Escape" if *open => {
                e.prevent_default();
                open.set(false);
                if let Some(b) = toggle_ref.cast::<HtmlElement>() {
                    let _ = b.focus();
                }
            }
            "ArrowDown" | "ArrowUp" if *open => {
                e.prevent_default();
                move_focus(&root, e.key() == "ArrowDown");
            }
            _ => {}
        })
    };
    let onfocusout = {
        let (open, root) = (open.clone(), root.clone());
        Callback::from(move |e: FocusEvent| {
            let inside = e
                .related_target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<Node>(t).ok())
                .zip(root.cast::<Element>())
                .is_some_and(|(t, root)| root.contains(Some(&t)));
            if !inside {
                open.set(false);
            }
        })
    };
    let first_enabled = props.items.iter().position(|i| i.enabled);
    html! {
        <div class="menu" ref={root.clone()} {onkeydown} {onfocusout}>
            <button type="button" class="button" ref={toggle_ref} data-testid="downloads-menu"
                aria-haspopup="true" aria-expanded={open.to_string()} aria-controls="downloads-list" onclick={toggle}>
                { props.label }{ " ▾" }</button>
            <ul id="downloads-list" class="menu-list" hidden={!*open}>
                { for props.items.iter().enumerate().map(|(n, item)| {
                    let (open, action) = (open.clone(), item.action.clone());
                    let onclick = Callback::from(move |e: MouseEvent| {
                        open.set(false);
                        action.emit(e);
                    });
                    let node = if Some(n) == first_enabled { first_ref.clone() } else { NodeRef::default() };
                    html! {
                        <li>
                            <button type="button" class="menu-item" ref={node} data-testid={item.testid}
                                disabled={!item.enabled} {onclick}>{ item.label }</button>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

/// Moves focus to the next (or previous) enabled entry of the open menu.
fn move_focus(root: &NodeRef, down: bool) {
    let Some(root) = root.cast::<Element>() else {
        return;
    };
    let Ok(list) = root.query_selector_all(".menu-item:not([disabled])") else {
        return;
    };
    let items: Vec<HtmlElement> = (0..list.length())
        .filter_map(|i| wasm_bindgen::JsCast::dyn_into(list.item(i)?).ok())
        .collect();
    if items.is_empty() {
        return;
    }
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let at = items
        .iter()
        .position(|i| active.as_ref().is_some_and(|a| a == i.as_ref() as &Element));
    let n = items.len();
    let next = match (at, down) {
        (Some(i), true) => (i + 1) % n,
        (Some(i), false) => (i + n - 1) % n,
        (None, true) => 0,
        (None, false) => n - 1,
    };
    let _ = items[next].focus();
}
