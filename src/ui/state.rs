//! The page's one state and every change a user can make to it, in the way of
//! Yew's `function_todomvc`: components dispatch [`Action`]s, and
//! [`Reducible::reduce`] is the only place state changes. The reducer calls the core.

use crate::services;
use baocao::check::Sighting;
use baocao::classify::READ_IN_WORKER_OVER;
use baocao::derivation::Derived;
use baocao::ingest::FileRead;
use baocao::ingest::TextEncoding;
use baocao::model::{FileId, Lang};
use baocao::report::document::Header;
use baocao::workspace::{Arriving, InputFile, PendingRead, Stale, Workspace};
use std::rc::Rc;
use web_sys::{Blob, File};
use yew::prelude::*;

#[derive(Clone)]
pub struct State {
    pub ws: Workspace,
    pub lang: Lang,
    /// Each file the page keeps for the workspace, by its id: dropped in
    /// this visit, or restored from storage. Handed to the reader worker and
    /// to storage as it is, never copied; the workspace holds the bytes of
    /// small files only (`Content`).
    pub handles: Rc<Vec<(FileId, Blob)>>,
    /// Messages about files the browser could not hand over.
    pub notices: Vec<Notice>,
    /// The figure whose provenance is shown, if any.
    pub selected_figure: Option<usize>,
    /// Bumped on every change, so effects can run after each one.
    pub version: u64,
    /// Bumped when an input changes (files, encodings, header, template):
    /// what autosave watches.
    pub inputs_version: u64,
    /// Whether the saved workspace of an earlier visit has been looked for;
    /// nothing is saved before, so a slow restore cannot be overwritten.
    pub restored: bool,
    /// Another tab writes the workspace: this one saves nothing.
    pub read_only: bool,
    /// Why the last save failed, until a save succeeds.
    pub save_failed: Option<String>,
    /// Bumped to try a failed save again (autosave watches it too).
    pub save_attempt: u64,
    /// An earlier workspace that could not be restored is kept in storage.
    pub backup_kept: bool,
    /// When the last edit of the header or template was (page clock, ms):
    /// a burst of typing is one undo step.
    pub last_typed: Option<f64>,
    /// Template and header as they were before each edit, for undo; and the
    /// edits undone, for redo.
    pub undo: Vec<(String, Header)>,
    pub redo: Vec<(String, Header)>,
    /// The left column's panel in view.
    pub tab: Tab,
}

/// The left column's panels, one at a time; on a phone the report is a
/// panel of its own.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Tab {
    #[default]
    Problems,
    Details,
    Template,
    Charts,
    Report,
}

/// Something the user should know, in both of the page's languages (a
/// cause quoted from elsewhere stays as it came).
#[derive(Clone, PartialEq, Debug)]
pub struct Notice {
    vi: String,
    en: String,
}

impl Notice {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Notice {
            vi: vi.into(),
            en: en.into(),
        }
    }

    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

/// Edits kept for undo.
const UNDO_DEPTH: usize = 100;

impl Default for State {
    fn default() -> Self {
        let mut ws = Workspace::sample();
        ws.read_elsewhere_over = Some(READ_IN_WORKER_OVER);
        State {
            ws,
            lang: Lang::Vi,
            handles: Rc::default(),
            notices: Vec::new(),
            selected_figure: None,
            version: 0,
            inputs_version: 0,
            restored: false,
            read_only: false,
            save_failed: None,
            save_attempt: 0,
            backup_kept: false,
            last_typed: None,
            undo: Vec::new(),
            redo: Vec::new(),
            tab: Tab::default(),
        }
    }
}

/// Edits closer together than this, each a keystroke, are one undo step.
const TYPING_BURST_MS: f64 = 1_000.0;

impl State {
    /// Whether the edit `before` → `after` at `at` continues a burst of
    /// typing (then it joins the last undo step); notes the edit's time.
    fn continues_typing(&mut self, before: &str, after: &str, at: f64) -> bool {
        let recent = self
            .last_typed
            .is_some_and(|last| (0.0..TYPING_BURST_MS).contains(&(at - last)));
        self.last_typed = Some(at);
        recent && !self.undo.is_empty() && is_keystroke(before, after)
    }

    /// Whether the page has finished everything it was asked to do.
    /// Idle: the earlier visit's workspace restored (or found absent), and
    /// nothing left to read or derive.
    pub fn is_ready(&self) -> bool {
        self.restored
            && self.ws.arriving().is_empty()
            && self.ws.pending().is_empty()
            && self.ws.stale() == Stale::Nothing
    }

    /// The file the page keeps for file `id`, if it keeps one.
    pub fn handle(&self, id: FileId) -> Option<&Blob> {
        self.handles
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, file)| file)
    }

    /// A file as a `Blob` to hand on: the one the page keeps, else one made
    /// of the bytes the workspace holds.
    pub fn blob_of(&self, file: &InputFile) -> Result<Blob, String> {
        match (self.handle(file.id), file.bytes()) {
            (None, None) => Err(format!("tệp {} không còn trong trang", file.name)),
            (handle, bytes) => services::blob_of(bytes.map_or(&[][..], |b| b), handle),
        }
    }

    /// Whether downloads reflect what is shown: nothing is downloaded from a
    /// state still being read or checked, or from a template in error (it
    /// would be the previous state's report).
    pub fn can_download(&self) -> bool {
        self.is_ready() && self.ws.template_error().is_none()
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
    /// Files were dropped, each with the id it was given: the workspace
    /// expects them, and the page takes their bytes (`ui::arrivals`). Their
    /// notices replace the last drop's.
    Drop(Vec<(FileId, File)>),
    /// Dropped files' bytes came: the data files, with the ids given at the
    /// drop; the ids of those that were not data or could not be read; and
    /// what to say about them.
    Arrived(Vec<InputFile>, Vec<FileId>, Vec<Notice>),
    RemoveFile(String),
    /// Read a text file again with another encoding.
    SetEncoding(String, TextEncoding),
    /// The header or the template as edited, and when (page clock, ms).
    SetHeader(Header, f64),
    SetTemplate(String, f64),
    /// Replace the template with one written from the data.
    WriteStarterTemplate,
    SelectFigure(Option<usize>),
    ShowTab(Tab),
    SetLang(Lang),
    Reset,
    /// The saved workspace of an earlier visit, if there was one.
    /// With the files the page keeps for it (records of the store).
    Restored(Option<Box<Workspace>>, Vec<(FileId, Blob)>, Vec<Notice>),
    /// The SHA-256 of a file the page keeps, worked out for the DOCX.
    Digested(FileId, [u8; 32]),
    /// A workspace file the user opened.
    Import(Box<Workspace>),
    /// Saving failed (storage full, private mode…): say so, and try again.
    StorageFailed(String),
    /// A save went through after one failed.
    Saved,
    /// Try the failed save again.
    RetrySave,
    /// Whether an unreadable earlier workspace is kept as a backup.
    BackupKept(bool),
    /// Whether another tab writes the workspace (this one then saves nothing).
    ReadOnly(bool),
    /// Read a file held back at the restore, as the user asked.
    ReadHeld(String),
    Undo,
    Redo,
    /// Something the user should know, shown until the next drop.
    Notice(Notice),
    /// A catalogue the user dropped: (file name, text).
    SetCatalog(String, String),
    /// Read a mistyped code (first) as the catalogue's code (second).
    CorrectCode(String, String),
    /// Where files disagree, keep the value in this cell.
    KeepValue(baocao::model::CellRef),
    /// Take back the choice that kept the value in this cell.
    ReleaseKept(baocao::model::CellRef),
    /// What a biểu's columns are, as the user said.
    MapTable(baocao::catalog::Mapping),
    /// The worker's read of a pending file.
    ReadDone(PendingRead, Box<FileRead>, Option<Box<Sighting>>),
    /// What the derivation of a dataset made, a step per task
    /// (`ui::deriving`).
    Derived(Box<Derived>),
    /// Then the report itself, in a task of its own.
    RefreshDocument,
    /// The user stops reading a file: it leaves the workspace.
    CancelRead(FileId, String),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.version += 1;
        let inputs = |n: &mut State| n.inputs_version += 1;
        // Before an edit of the template or header: remember it for undo.
        let remember = |n: &mut State| {
            n.undo
                .push((n.ws.template_text.clone(), n.ws.header.clone()));
            if n.undo.len() > UNDO_DEPTH {
                n.undo.remove(0);
            }
            n.redo.clear();
        };
        match action {
            Action::Drop(files) => {
                next.notices.clear();
                let mut handles = (*next.handles).clone();
                for (id, file) in files {
                    next.ws.register(arriving(id, &file));
                    handles.push((id, Blob::clone(&file)));
                }
                next.handles = Rc::new(handles);
            }
            Action::Arrived(files, gone, notices) => {
                // After a catalogue's notice, when one came in the same drop.
                next.notices.extend(notices);
                for id in gone {
                    next.ws.not_arriving(id);
                }
                // A file whose read was stopped meanwhile stays out.
                let expected = |f: &InputFile| next.ws.arriving().iter().any(|a| a.id == f.id);
                let files: Vec<InputFile> = files.into_iter().filter(expected).collect();
                if !files.is_empty() {
                    next.ws.add_files(files);
                    inputs(&mut next);
                }
                next.selected_figure = None;
            }
            Action::RemoveFile(name) => {
                next.ws.remove_file(&name);
                inputs(&mut next);
            }
            Action::SetEncoding(name, encoding) => {
                next.ws.set_encoding(&name, encoding);
                inputs(&mut next);
            }
            Action::SetHeader(h, at) => {
                let (before, after) = (format!("{:?}", next.ws.header), format!("{h:?}"));
                if !next.continues_typing(&before, &after, at) {
                    remember(&mut next);
                }
                next.ws.set_header(h);
                inputs(&mut next);
            }
            Action::SetTemplate(t, at) => {
                let before = next.ws.template_text.clone();
                if !next.continues_typing(&before, &t, at) {
                    remember(&mut next);
                }
                next.ws.set_template(t);
                inputs(&mut next);
            }
            Action::WriteStarterTemplate => {
                remember(&mut next);
                next.last_typed = None;
                next.ws.write_starter_template();
                inputs(&mut next);
            }
            Action::Undo | Action::Redo => {
                next.last_typed = None;
                let undoing = matches!(action, Action::Undo);
                let (from, to) = if undoing {
                    (&mut next.undo, &mut next.redo)
                } else {
                    (&mut next.redo, &mut next.undo)
                };
                if let Some((template, header)) = from.pop() {
                    to.push((next.ws.template_text.clone(), next.ws.header.clone()));
                    next.ws.set_template(template);
                    next.ws.set_header(header);
                    inputs(&mut next);
                }
            }
            Action::SelectFigure(f) => next.selected_figure = f,
            Action::ShowTab(tab) => next.tab = tab,
            Action::SetLang(l) => next.lang = l,
            Action::Reset => {
                let (lang, version, inputs_version, read_only) = (
                    next.lang,
                    next.version,
                    next.inputs_version + 1,
                    next.read_only,
                );
                next = State {
                    lang,
                    version,
                    inputs_version,
                    read_only,
                    restored: true,
                    ..State::default()
                };
            }
            Action::Restored(ws, handles, notices) => {
                if let Some(ws) = ws {
                    next.ws = next.ws.carried_into(*ws);
                    let mut all = (*next.handles).clone();
                    all.extend(handles);
                    next.handles = Rc::new(all);
                }
                next.notices = notices;
                next.restored = true;
            }
            Action::Import(ws) => {
                next.ws = next.ws.carried_into(*ws);
                next.notices.clear();
                next.undo.clear();
                next.redo.clear();
                inputs(&mut next);
            }
            Action::Notice(message) => next.notices.push(message),
            Action::Digested(file, digest) => next.ws.set_digest(file, digest),
            Action::SetCatalog(name, text) => match next.ws.set_catalog(&text) {
                Ok(()) => {
                    next.notices.push(Notice::new(
                        format!("Đã dùng danh mục chỉ tiêu từ tệp {name}."),
                        format!("Using the indicator catalogue of {name}."),
                    ));
                    inputs(&mut next);
                }
                Err(e) => next.notices.push(Notice::new(
                    format!("Danh mục {name} không dùng được: {e}"),
                    format!("The catalogue {name} cannot be used: {e}"),
                )),
            },
            Action::CorrectCode(typed, meant) => match next.ws.correct_code(&typed, &meant) {
                Ok(()) => inputs(&mut next),
                Err(e) => next.notices.push(Notice::new(
                    format!("Không sửa được mã {typed}: {e}"),
                    format!("Could not correct the code {typed}: {e}"),
                )),
            },
            Action::KeepValue(cell) => match next.ws.keep_value(cell) {
                Ok(()) => inputs(&mut next),
                Err(e) => next.notices.push(Notice::new(
                    format!("Không giữ được giá trị: {e}"),
                    format!("Could not keep the value: {e}"),
                )),
            },
            Action::ReleaseKept(cell) => {
                next.ws.release_kept(cell);
                inputs(&mut next);
            }
            Action::MapTable(mapping) => match next.ws.map_table(mapping) {
                Ok(()) => inputs(&mut next),
                Err(e) => next.notices.push(Notice::new(
                    format!("Không gán được cột: {e}"),
                    format!("The column could not be mapped: {e}"),
                )),
            },
            Action::ReadDone(pending, read, sighting) => {
                // Derived between frames (`ui::deriving`).
                next.ws.add_sighted_read(&pending, *read, sighting);
            }
            Action::Derived(derived) => {
                // What was made of a dataset that has changed since is dropped.
                next.ws.derived(*derived);
            }
            Action::RefreshDocument => {
                if next.ws.stale() == Stale::Document {
                    next.ws.refresh_report();
                }
            }
            Action::CancelRead(id, name) => {
                if next.ws.arriving().iter().any(|a| a.id == id) {
                    next.ws.not_arriving(id);
                } else {
                    next.ws.remove_file(&name);
                }
                next.notices = vec![Notice::new(
                    format!("Đã dừng đọc tệp {name}; tệp đã được bỏ ra."),
                    format!("Stopped reading {name}; the file was removed."),
                )];
                inputs(&mut next);
            }
            Action::ReadOnly(read_only) => next.read_only = read_only,
            Action::ReadHeld(name) => next.ws.release(&name),
            Action::StorageFailed(message) => next.save_failed = Some(message),
            Action::Saved => next.save_failed = None,
            Action::RetrySave => next.save_attempt += 1,
            Action::BackupKept(kept) => next.backup_kept = kept,
        }
        next.forget_files_gone();
        Rc::new(next)
    }
}

/// What the workspace expects of a dropped file.
pub fn arriving(id: FileId, file: &File) -> Arriving {
    Arriving {
        id,
        name: file.name(),
        size: file.size() as u64,
    }
}

impl State {
    /// Lets go of the files the workspace no longer has (removed,
    /// replaced, or a workspace opened in its place).
    fn forget_files_gone(&mut self) {
        let ws = &self.ws;
        if self.handles.iter().any(|(id, _)| !ws.keeps(*id)) {
            let kept = self.handles.iter().filter(|(id, _)| ws.keeps(*id)).cloned();
            self.handles = Rc::new(kept.collect());
        }
    }
}

/// Whether `after` differs from `before` as a keystroke makes it differ: at
/// most two characters inserted, deleted or replaced in one place (a
/// character, or a Telex composition such as "uo" → "ươ"), not a paste or
/// a replaced word.
fn is_keystroke(before: &str, after: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (before.chars().collect(), after.chars().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    a.len() - suffix <= 2 && b.len() - suffix <= 2
}

/// Picks the Vietnamese or English text.
pub fn t(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}
