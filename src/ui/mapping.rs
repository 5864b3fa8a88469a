//! The column-mapping panel: each biểu's header as the page understood it,
//! where the user says what each column is (a catalogue indicator, found by
//! code or name, or nothing) and sets the table's period. The mapping is kept
//! in the catalogue's text (`Workspace::map_table`), so it is saved, exported
//! and applied to any later file with the same header.

use super::state::{t, Action, Notice, State};
use baocao::catalog::{Catalog, Mapping};
use baocao::model::{column_letters, Lang, TableHeader};
use yew::prelude::*;

/// What to write in a column's box for `code`: "CODE — name".
fn shown(catalog: &Catalog, code: &str) -> String {
    match catalog.get(code) {
        Some(i) => format!("{} — {}", i.code, i.name),
        None => code.to_string(),
    }
}

/// The code a user's entry names: "CODE — name", a code, a name; "" for an
/// empty box (the column keeps its own name), None when nothing matches.
fn code_of(catalog: &Catalog, entry: &str) -> Option<String> {
    let entry = entry.trim();
    if entry.is_empty() {
        return Some(String::new());
    }
    let code = entry.split(" — ").next().unwrap_or(entry);
    catalog
        .resolve(code)
        .or_else(|| catalog.resolve(entry))
        .map(|i| i.code.clone())
}

/// A callback that changes the table's mapping with `change` (given the
/// event's input) and hands it to the workspace, or shows the message it
/// returns.
fn remap(
    state: &UseReducerHandle<State>,
    catalog: &std::sync::Arc<Catalog>,
    table: &TableHeader,
    change: impl Fn(&mut Mapping, &web_sys::HtmlInputElement) -> Result<(), Notice> + 'static,
) -> Callback<Event> {
    let (state, catalog, table) = (state.clone(), catalog.clone(), table.clone());
    Callback::from(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        let mut mapping = current(&table, &catalog);
        match change(&mut mapping, &input) {
            Ok(()) => state.dispatch(Action::MapTable(mapping)),
            Err(message) => state.dispatch(Action::Notice(message)),
        }
    })
}

/// The mapping the table has now, as the user set it.
fn current(table: &TableHeader, catalog: &Catalog) -> Mapping {
    let mut mapping = catalog
        .mapping_for(&table.columns)
        .cloned()
        .unwrap_or_else(|| Mapping {
            header: table.columns.clone(),
            ..Mapping::default()
        });
    mapping.header = table.columns.clone();
    mapping
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

#[function_component(MappingPanel)]
pub fn mapping_panel(props: &Props) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let ws = &state.ws;
    let tables: Vec<(String, Option<String>, TableHeader)> = ws
        .dataset()
        .files
        .iter()
        .flat_map(|f| {
            f.tables.iter().map(move |t| {
                (
                    f.name.clone(),
                    f.sheets.get(t.sheet as usize).cloned(),
                    t.clone(),
                )
            })
        })
        .collect();
    if tables.is_empty() {
        return html! {};
    }
    let catalog = ws.catalog.clone();
    html! {
        <section class="panel mapping" data-testid="column-mapping" aria-labelledby="mapping-title">
            <h2 id="mapping-title">{ t(lang, "Các cột của biểu", "The table's columns") }</h2>
            <p class="hint">{ t(lang,
                "Trang đã đọc tiêu đề biểu như dưới đây. Gán mỗi cột cho một chỉ tiêu trong danh mục (gõ mã hoặc tên) để số liệu tham gia các quy tắc của danh mục; để trống thì cột giữ tên của nó. Cách gán được lưu lại và dùng cho mọi tệp có cùng tiêu đề.",
                "This is the table's header as the page read it. Give a column a catalogue indicator (type its code or name) so its figures join the catalogue's rules; left empty, the column keeps its own name. The mapping is kept and used for every file with the same header.") }</p>
            <datalist id="indicator-list">
                { for catalog.indicators.iter().map(|i| html! { <option value={format!("{} — {}", i.code, i.name)} /> }) }
            </datalist>
            { for tables.into_iter().enumerate().map(|(n, (file, sheet, table))| if table.understood {
                table_view(state, &catalog, n, &file, sheet, table, lang)
            } else {
                not_understood_view(state, &file, sheet, table, lang)
            }) }
        </section>
    }
}

/// A table the page did not understand: its likeliest header, and a
/// button per column to say that it holds the units' names.
fn not_understood_view(
    state: &UseReducerHandle<State>,
    file: &str,
    sheet: Option<String>,
    table: TableHeader,
    lang: Lang,
) -> Html {
    let choose = |name: &str| {
        let (state, header, name) = (state.clone(), table.columns.clone(), name.to_string());
        Callback::from(move |_| {
            state.dispatch(Action::MapTable(Mapping {
                header: header.clone(),
                unit: Some(name.clone()),
                ..Mapping::default()
            }))
        })
    };
    html! {
        <div class="mapping-table not-understood" data-file={file.to_string()}>
            <h3>{ format!("{file}{}", sheet.map(|s| format!(" · {s}")).unwrap_or_default()) }</h3>
            <p class="hint">{ t(lang,
                "Trang chưa nhận ra bảng này. Đây là dòng tiêu đề trang đoán được; hãy chỉ cột ghi tên đơn vị (mỗi dòng một đơn vị), trang sẽ đọc lại bảng theo đó.",
                "The page did not recognise this table. This is the header row it guessed; point at the column that names the units (a unit per row) and the page reads the table again.") }</p>
            <table>
                <thead><tr>
                    <th scope="col">{ t(lang, "Cột", "Column") }</th>
                    <th scope="col">{ t(lang, "Tiêu đề", "Header") }</th>
                    <th scope="col"></th>
                </tr></thead>
                <tbody>
                    { for table.columns.iter().enumerate().filter(|(_, name)| !name.is_empty()).map(|(i, name)| html! {
                        <tr data-testid="mapping-column" data-header={name.clone()}>
                            <td>{ column_letters(i as u32) }</td>
                            <td>{ name.clone() }</td>
                            <td><button type="button" class="chip" data-testid="unit-column-choice" onclick={choose(name)}>
                                { t(lang, "Đây là cột tên đơn vị", "This column names the units") }</button></td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn table_view(
    state: &UseReducerHandle<State>,
    catalog: &std::sync::Arc<Catalog>,
    n: usize,
    file: &str,
    sheet: Option<String>,
    table: TableHeader,
    lang: Lang,
) -> Html {
    let from = match table.period_from.as_str() {
        "title" => t(lang, "theo tiêu đề", "from the title"),
        "sheet" => t(lang, "theo tên trang tính", "from the sheet's name"),
        "user" => t(lang, "do bạn chọn", "chosen by you"),
        "rows" => t(lang, "mỗi dòng một kỳ", "a period per row"),
        _ => t(lang, "chưa có — hãy chọn", "none — please set it"),
    };
    let on_period = remap(state, catalog, &table, |mapping, input| {
        let value = input.value().trim().to_string();
        mapping.period = (!value.is_empty()).then_some(value);
        Ok(())
    });
    let period_id = format!("mapping-period-{n}");
    let to_catalogue = {
        let (state, catalog, table, file) = (
            state.clone(),
            catalog.clone(),
            table.clone(),
            file.to_string(),
        );
        Callback::from(move |_| {
            let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
            let text = baocao::catalog::from_table::catalog_from_table(&table, stem, &catalog);
            if let Err(e) = crate::services::download(
                text.as_bytes(),
                &format!("danh-muc-{stem}.toml"),
                "application/toml",
            ) {
                state.dispatch(Action::Notice(Notice::new(e.clone(), e)));
            }
        })
    };
    html! {
        <div class="mapping-table" data-file={file.to_string()}>
            <h3>{ format!("{file}{}", sheet.map(|s| format!(" · {s}")).unwrap_or_default()) }</h3>
            <p>{ format!("{}{} ({})", t(lang, "Cột tên đơn vị: ", "Units' column: "), column_letters(table.unit_column.0), table.unit_column.1) }</p>
            <p>
                <label for={period_id.clone()}>{ t(lang, "Kỳ báo cáo: ", "Period: ") }</label>
                <input id={period_id} type="text" data-testid="mapping-period" size="14"
                    value={table.period.clone()} onchange={on_period} />
                { format!(" ({from})") }
            </p>
            <table>
                <thead><tr>
                    <th scope="col">{ t(lang, "Cột", "Column") }</th>
                    <th scope="col">{ t(lang, "Tiêu đề", "Header") }</th>
                    <th scope="col">{ t(lang, "Chỉ tiêu trong danh mục", "Catalogue indicator") }</th>
                </tr></thead>
                <tbody>
                    { for table.columns.iter().enumerate().map(|(i, name)| column_row(state, catalog, &table, i, name, lang)) }
                </tbody>
            </table>
            <p>
                <button type="button" class="button" data-testid="catalog-from-table" onclick={to_catalogue}
                    title={t(lang, "Tải một danh mục (.toml) viết từ biểu này: chỉ tiêu theo các cột, quy tắc theo công thức và nhóm cột; sửa rồi thả lại để dùng",
                        "Download a catalogue (.toml) written from this table: its columns as indicators, its formulas and groups as rules; edit it, then drop it to use it")}>
                    { t(lang, "Tạo danh mục từ biểu", "Catalogue from this table") }</button>
            </p>
        </div>
    }
}

fn column_row(
    state: &UseReducerHandle<State>,
    catalog: &std::sync::Arc<Catalog>,
    table: &TableHeader,
    i: usize,
    name: &str,
    lang: Lang,
) -> Html {
    let code = table.codes.get(i).cloned().unwrap_or_default();
    let left_out = table.left_out.get(i).copied().unwrap_or(false);
    let mapped = table.mapped.get(i).copied().unwrap_or(false);
    let value = if left_out {
        String::new()
    } else {
        shown(catalog, &code)
    };
    let on_change = {
        let (found, name) = (catalog.clone(), name.to_string());
        remap(state, catalog, table, move |mapping, input| {
            match code_of(&found, &input.value()) {
                Some(code) if code.is_empty() => {
                    mapping.columns.remove(&name);
                }
                Some(code) => {
                    mapping.columns.insert(name.clone(), code);
                }
                None => {
                    let hint = baocao::ingest::shape::did_you_mean(&found, &input.value());
                    let typed = input.value();
                    return Err(match hint {
                        Some(h) => Notice::new(
                            format!("«{typed}» không có trong danh mục; có phải {h}?"),
                            format!("«{typed}» is not in the catalogue; did you mean {h}?"),
                        ),
                        None => Notice::new(
                            format!("«{typed}» không có trong danh mục."),
                            format!("«{typed}» is not in the catalogue."),
                        ),
                    });
                }
            }
            Ok(())
        })
    };
    let on_skip = {
        let name = name.to_string();
        remap(state, catalog, table, move |mapping, input| {
            if input.checked() {
                mapping.columns.insert(name.clone(), String::new());
            } else {
                mapping.columns.remove(&name);
            }
            Ok(())
        })
    };
    let letter = table
        .letters
        .get(i)
        .map(|c| column_letters(*c))
        .unwrap_or_default();
    let label = format!(
        "{} {name}",
        t(lang, "Chỉ tiêu của cột", "Indicator of column")
    );
    html! {
        <tr data-testid="mapping-column" data-header={name.to_string()} data-code={code.clone()}
            data-mapped={mapped.then_some("true")}>
            <td>{ letter }</td>
            <th scope="row">{ name.to_string() }</th>
            <td>
                <input type="text" list="indicator-list" aria-label={label} value={value}
                    disabled={left_out} placeholder={t(lang, "gõ mã hoặc tên…", "type a code or name…")}
                    data-testid="mapping-input" onchange={on_change} />
                <label class="skip">
                    <input type="checkbox" checked={left_out} onchange={on_skip} data-testid="mapping-skip" />
                    { t(lang, " bỏ qua", " leave out") }
                </label>
            </td>
        </tr>
    }
}
