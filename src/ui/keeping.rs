//! What the page says about keeping the user's work: another tab writes it,
//! a save failed (and will be tried again), or an unreadable earlier
//! workspace is kept as a backup until the user downloads or deletes it.

use super::state::{Action, Notice, State};
use crate::services;
use baocao::model::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

#[function_component(KeepingNotices)]
pub fn keeping_notices(props: &Props) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let t = |vi: &'static str, en: &'static str| if lang == Lang::Vi { vi } else { en };
    let take_over = Callback::from(|_| services::take_over_after_reload());
    let download_backup = {
        let state = state.clone();
        Callback::from(move |_| {
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let failed = match services::load_record(services::BACKUP).await {
                    Ok(Some(bytes)) => {
                        services::download(&bytes, "ban-sao-luu.baocao", "application/zip").err()
                    }
                    Ok(None) => Some("không còn bản sao lưu / no backup left".into()),
                    Err(e) => Some(e),
                };
                if let Some(e) = failed {
                    state.dispatch(Action::Notice(Notice::new(
                        format!("Không tải được bản sao lưu: {e}"),
                        format!("Could not download the backup: {e}"),
                    )));
                }
            });
        })
    };
    let delete_backup = {
        let state = state.clone();
        Callback::from(move |_| {
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match services::save_records(&[], &[services::BACKUP.to_string()], None).await {
                    Ok(()) => state.dispatch(Action::BackupKept(false)),
                    Err(e) => state.dispatch(Action::Notice(Notice::new(
                        format!("Không xoá được bản sao lưu: {e}"),
                        format!("Could not delete the backup: {e}"),
                    ))),
                }
            });
        })
    };
    html! {
        <>
        if state.read_only {
            <p class="notice" role="status" data-testid="read-only">
                { t("Trang này đang mở ở một thẻ khác, và thẻ đó lưu công việc. Những gì bạn làm ở thẻ này sẽ không được lưu.",
                    "This page is open in another tab, which saves the work. What you do in this tab will not be saved.") }
                { " " }
                <button type="button" class="button" data-testid="take-over" onclick={take_over}>
                    { t("Dùng thẻ này", "Use this tab") }</button>
            </p>
        }
        if let Some(why) = &state.save_failed {
            <p class="notice" role="alert" data-testid="save-failed">
                { match lang {
                    Lang::Vi => format!("Không lưu được vào trình duyệt: {why}. Trang sẽ tự thử lại; để chắc chắn khỏi mất, hãy xuất không gian làm việc ra tệp."),
                    Lang::En => format!("Could not save in the browser: {why}. The page will try again; to be safe, export the workspace to a file."),
                } }
            </p>
        }
        if state.backup_kept {
            <p class="notice" role="status" data-testid="backup">
                { t("Phiên làm việc trước không khôi phục được và đang được giữ làm bản sao lưu. Bạn có thể tải nó về (để gửi nhờ hỗ trợ) hoặc xoá nó.",
                    "The previous workspace could not be restored and is kept as a backup. You can download it (to ask for help) or delete it.") }
                { " " }
                <button type="button" class="button" data-testid="download-backup" onclick={download_backup}>
                    { t("Tải bản sao lưu", "Download backup") }</button>
                { " " }
                <button type="button" class="button" data-testid="delete-backup" onclick={delete_backup}>
                    { t("Xoá bản sao lưu", "Delete backup") }</button>
            </p>
        }
        </>
    }
}
