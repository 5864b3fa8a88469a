//! XLSX sheets read with quick-xml: the workbook's sheet list, the shared
//! strings, which cell styles are dates, and each sheet's cells streamed
//! from its XML into [`SheetRows`] — within the limits, a stray cell
//! costing one cell. calamine reads the other workbook formats; this path
//! is its own because the biểu of a whole country (400,000 cells) spends
//! most of its read in the cell stream, and here a cell costs a third.

mod cells;
mod quick;
mod text;

use super::sheet::SheetRows;
use super::Limits;
use cells::CellStream;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::io::{Cursor, Read};
use text::shared_strings;

/// An opened XLSX workbook: its parts stay zipped until a sheet is asked for.
pub(super) struct XlsxBook<'a> {
    zip: Parts<'a>,
    /// (name, part path) in the workbook's order.
    sheets: Vec<(String, String)>,
    shared: Vec<String>,
    /// Per cell style (`s`): whether its number format is a date.
    dates: Vec<bool>,
    /// Serial dates count from 1904 (old Mac workbooks).
    date1904: bool,
}

/// The package's parts, found by name whatever the case and slashes the
/// writer used ("xl\\SharedStrings.xml").
struct Parts<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    names: std::collections::HashMap<String, usize>,
}

fn normal(name: &str) -> String {
    name.replace('\\', "/")
        .trim_start_matches('/')
        .to_lowercase()
}

impl<'a> Parts<'a> {
    fn new(bytes: &'a [u8]) -> Result<Self, String> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let names = (0..zip.len())
            .filter_map(|i| Some((normal(&zip.name_for_index(i)?.ok()?), i)))
            .collect();
        Ok(Parts { zip, names })
    }
}

impl Parts<'_> {
    /// The part named `name`, or else the first whose name ends with it
    /// (a workbook kept in a folder of its own).
    fn find(&self, name: &str) -> Option<String> {
        if self.names.contains_key(name) {
            return Some(name.to_string());
        }
        let suffix = format!("/{name}");
        let mut found: Vec<&String> = self.names.keys().filter(|n| n.ends_with(&suffix)).collect();
        found.sort();
        found.first().map(|n| n.to_string())
    }
}

/// The XML of a part, or nothing when the workbook lacks it.
fn part(zip: &mut Parts, name: &str) -> Result<Option<Vec<u8>>, String> {
    let Some(&index) = zip.names.get(&normal(name)) else {
        return Ok(None);
    };
    let mut entry = zip.zip.by_index(index).map_err(|e| e.to_string())?;
    // The package's directory was judged (sizes, ratios) before: this
    // entry's size is bounded.
    let mut xml = Vec::with_capacity(entry.size().min(64 << 20) as usize);
    entry.read_to_end(&mut xml).map_err(|e| e.to_string())?;
    Ok(Some(xml))
}

fn attr(e: &BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.into_inner() == key)
        .and_then(|a| value(&a))
}

fn value(a: &quick_xml::events::attributes::Attribute) -> Option<String> {
    a.normalized_value(XmlVersion::Implicit1_0)
        .ok()
        .map(|v| v.into_owned())
}

/// The last part of a qualified name ("x:c" → "c"): some writers prefix
/// SpreadsheetML's elements.
fn local(name: &str) -> &str {
    // By byte: this runs for every element of a sheet.
    match name.bytes().rposition(|b| b == b':') {
        Some(at) => name.get(at + 1..).unwrap_or(name),
        None => name,
    }
}

impl<'a> XlsxBook<'a> {
    pub(super) fn open(bytes: &'a [u8], limits: &Limits) -> Result<XlsxBook<'a>, String> {
        let mut zip = Parts::new(bytes)?;
        // The workbook part is where the package's relationships say.
        let package = part(&mut zip, "_rels/.rels")?.unwrap_or_default();
        let main = relationships(&package)
            .into_iter()
            .find(|(_, kind, _)| kind.ends_with("/officeDocument"))
            .map(|(_, _, t)| resolve("", &t))
            .or_else(|| zip.find("xl/workbook.xml"))
            .or_else(|| zip.find("workbook.xml"))
            .unwrap_or_else(|| "xl/workbook.xml".to_string());
        let dir = main
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| format!("{d}/"));
        let file = main.rsplit_once('/').map_or(main.as_str(), |(_, f)| f);
        let workbook = part(&mut zip, &main)?.ok_or_else(|| format!("thiếu {main}"))?;
        let rels = part(&mut zip, &format!("{dir}_rels/{file}.rels"))?.unwrap_or_default();
        let targets = relationships(&rels);
        let of_kind = |kind: &str, default: &str| {
            targets
                .iter()
                .find(|(_, k, _)| k.ends_with(kind))
                .map_or_else(|| format!("{dir}{default}"), |(_, _, t)| resolve(&dir, t))
        };
        let (listed, date1904) = sheet_list(&workbook);
        let sheets = listed
            .into_iter()
            .enumerate()
            .map(|(n, (name, id))| {
                let path = targets.iter().find(|(i, _, _)| *i == id).map_or_else(
                    || format!("{dir}worksheets/sheet{}.xml", n + 1),
                    |(_, _, t)| resolve(&dir, t),
                );
                (name, path)
            })
            .collect();
        let shared = match part(&mut zip, &of_kind("/sharedStrings", "sharedStrings.xml"))? {
            Some(xml) => shared_strings(&xml, limits.max_cells),
            None => Vec::new(),
        };
        let dates = match part(&mut zip, &of_kind("/styles", "styles.xml"))? {
            Some(xml) => date_styles(&xml),
            None => Vec::new(),
        };
        Ok(XlsxBook {
            zip,
            sheets,
            shared,
            dates,
            date1904,
        })
    }

    pub(super) fn sheet_names(&self) -> Vec<String> {
        self.sheets.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The sheet's cells within `limits`, its merged regions filled. An XML
    /// error after some cells keeps what was read before it.
    pub(super) fn rows(&mut self, name: &str, limits: &Limits) -> Result<SheetRows, String> {
        let path = self
            .sheets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.clone())
            .ok_or_else(|| format!("không có trang tính \"{name}\""))?;
        let xml = part(&mut self.zip, &path)?.ok_or_else(|| format!("thiếu {path}"))?;
        let mut cells = CellStream::new(&xml, self);
        let mut rows = SheetRows::from_cells(std::iter::from_fn(|| cells.next_cell()), limits);
        let (failed, merges) = (cells.failed.take(), std::mem::take(&mut cells.merges));
        if let Some(e) = failed {
            if rows.rows.is_empty() {
                return Err(e);
            }
        }
        rows.fill_merges(&merges, limits);
        Ok(rows)
    }
}

/// `workbook.xml`: each sheet's name and relationship id, and whether dates
/// count from 1904.
fn sheet_list(xml: &[u8]) -> (Vec<(String, String)>, bool) {
    let mut reader = Reader::from_reader(xml);
    let (mut sheets, mut date1904) = (Vec::new(), false);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match local(e.name().into_inner()) {
                "sheet" => {
                    let id = e
                        .attributes()
                        .with_checks(false)
                        .flatten()
                        .find(|a| local(a.key.into_inner()) == "id")
                        .and_then(|a| value(&a));
                    if let (Some(name), Some(id)) = (attr(&e, "name"), id) {
                        sheets.push((name, id));
                    }
                }
                "workbookPr" => {
                    date1904 = matches!(attr(&e, "date1904").as_deref(), Some("1" | "true"));
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    (sheets, date1904)
}

/// A relationships part: (id, type, target).
fn relationships(xml: &[u8]) -> Vec<(String, String, String)> {
    let mut reader = Reader::from_reader(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e))
                if local(e.name().into_inner()) == "Relationship" =>
            {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    out.push((id, attr(&e, "Type").unwrap_or_default(), target));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// A relationship's target as a path in the package: relative to `dir`
/// ("worksheets/sheet1.xml" from "xl/"), or absolute ("/xl/…"), ".."
/// going up.
fn resolve(dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{dir}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split(['/', '\\']) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// `styles.xml`: for each cell format (`cellXfs`), whether it shows a date.
fn date_styles(xml: &[u8]) -> Vec<bool> {
    let mut reader = Reader::from_reader(xml);
    let mut custom: Vec<(u32, bool)> = Vec::new();
    let (mut in_xfs, mut out) = (false, Vec::new());
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match local(e.name().into_inner()) {
                "numFmt" => {
                    if let (Some(id), Some(code)) = (attr(&e, "numFmtId"), attr(&e, "formatCode")) {
                        if let Ok(id) = id.parse() {
                            custom.push((id, is_date_format(&code)));
                        }
                    }
                }
                "cellXfs" => in_xfs = true,
                "xf" if in_xfs => {
                    let id: u32 = attr(&e, "numFmtId")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    let date = custom
                        .iter()
                        .find(|(c, _)| *c == id)
                        .map_or_else(|| builtin_date(id), |(_, d)| *d);
                    out.push(date);
                }
                _ => {}
            },
            Ok(Event::End(e)) if local(e.name().into_inner()) == "cellXfs" => in_xfs = false,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// Excel's built-in date and time formats.
fn builtin_date(id: u32) -> bool {
    matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

/// Whether a format code shows a date: a day, month or year token outside
/// quotes, escapes and brackets ("[Red]", "[$-409]").
fn is_date_format(code: &str) -> bool {
    let lower = code.to_ascii_lowercase();
    if lower.contains("am/pm") || lower.contains("a/p") {
        return true;
    }
    let (mut quoted, mut escaped) = (false, false);
    let mut bracket: Option<String> = None;
    let token = |c: char| matches!(c.to_ascii_lowercase(), 'd' | 'y' | 'm' | 'h' | 's');
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' | '_' | '*' => escaped = true,
            '"' => quoted = !quoted,
            _ if quoted => {}
            '[' => bracket = Some(String::new()),
            ']' => {
                // "[h]", "[mm]", "[ss]": elapsed time; "[Red]", "[$-409]" are not.
                if bracket
                    .take()
                    .is_some_and(|b| !b.is_empty() && b.chars().all(token))
                {
                    return true;
                }
            }
            c => match bracket.as_mut() {
                Some(b) => b.push(c),
                None if token(c) => return true,
                None => {}
            },
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::cells::{merge_of, position};
    use super::text::unescape_x;
    use super::*;

    #[test]
    fn places_and_formats() {
        assert_eq!(position("A1"), Some((0, 0)));
        assert_eq!(position("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(position("A0"), None);
        assert_eq!(position("ABCD1"), None);
        assert_eq!(position("1A"), None);
        assert_eq!(position("A"), None);
        assert_eq!(position("A1B"), None);
        assert_eq!(position("A-1"), None);
        assert_eq!(position("A99999999999"), None);
        assert_eq!(position("b12"), Some((11, 1)));
        assert!(is_date_format("dd/mm/yyyy"));
        assert!(!is_date_format("#,##0.00"));
        assert!(!is_date_format("[Red]0.0"));
        assert!(is_date_format("[h]:mm") && is_date_format("hh:mm:ss"));
        assert!(!is_date_format("General") && !is_date_format("0.00E+00"));
        assert!(!is_date_format("\"năm\" 0"));
        assert!(builtin_date(14) && !builtin_date(3));
        assert_eq!(
            resolve("xl/", "/xl/worksheets/a.xml"),
            "xl/worksheets/a.xml"
        );
        assert_eq!(resolve("xl/", "worksheets/a.xml"), "xl/worksheets/a.xml");
        assert_eq!(resolve("xl/", "../b.xml"), "b.xml");
        assert_eq!(resolve("", "sheet1.xml"), "sheet1.xml");
        assert_eq!(unescape_x("A_x000D_B_x005F_x000D_"), "A\rB_x000D_");
        assert_eq!(merge_of("B2:D3"), Some(((1, 1), (2, 3))));
    }
}
