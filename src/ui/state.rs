//! The page's one state and every change a user can make to it, in the way of
//! Yew's `function_todomvc`: components dispatch [`Action`]s, and
//! [`Reducible::reduce`] is the only place state changes. The reducer calls the core.

use baocao::ingest::TextEncoding;
use baocao::model::Lang;
use baocao::report::document::Header;
use baocao::workspace::{InputFile, Workspace};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone)]
pub struct State {
    pub ws: Workspace,
    pub lang: Lang,
    /// True while files are being read.
    pub busy: bool,
    /// Messages about files the browser could not hand over.
    pub notices: Vec<String>,
    /// The figure whose provenance is shown, if any.
    pub selected_figure: Option<usize>,
    /// Bumped on every change, so effects can run after each one.
    pub version: u64,
}

impl Default for State {
    fn default() -> Self {
        State {
            ws: Workspace::sample(),
            lang: Lang::Vi,
            busy: false,
            notices: Vec::new(),
            selected_figure: None,
            version: 0,
        }
    }
}

/// Every change bumps `version`, so equal versions mean equal states; this
/// keeps prop comparison O(1) instead of comparing whole workspaces.
impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

pub enum Action {
    /// Files are being read from the browser.
    Reading,
    /// Files arrived (and some may have failed to arrive).
    AddFiles(Vec<InputFile>, Vec<String>),
    RemoveFile(String),
    /// Read a text file again with another encoding.
    SetEncoding(String, TextEncoding),
    SetHeader(Header),
    SetTemplate(String),
    SelectFigure(Option<usize>),
    SetLang(Lang),
    Reset,
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.version += 1;
        match action {
            Action::Reading => next.busy = true,
            Action::AddFiles(files, errors) => {
                next.busy = false;
                next.notices = errors;
                if !files.is_empty() {
                    next.ws.add_files(files);
                }
                next.selected_figure = None;
            }
            Action::RemoveFile(name) => next.ws.remove_file(&name),
            Action::SetEncoding(name, encoding) => next.ws.set_encoding(&name, encoding),
            Action::SetHeader(h) => next.ws.set_header(h),
            Action::SetTemplate(t) => next.ws.set_template(t),
            Action::SelectFigure(f) => next.selected_figure = f,
            Action::SetLang(l) => next.lang = l,
            Action::Reset => {
                let lang = next.lang;
                next = State {
                    lang,
                    version: next.version,
                    ..State::default()
                };
            }
        }
        Rc::new(next)
    }
}

/// Picks the Vietnamese or English text.
pub fn t(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}
