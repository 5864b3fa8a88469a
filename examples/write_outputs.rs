//! Writes every kind of file the page lets a user download — the report as
//! DOCX, the findings and the input template as XLSX — for the sample, for
//! another province's data and for hostile input, into one folder, so that
//! tools outside Rust (the OOXML schema validator, LibreOffice) can judge them.
//!   cargo run --example write_outputs -- target/outputs
use baocao::export::docx::{write_docx, ChartImage};
use baocao::report::layout::Layout;
use baocao::workspace::{InputFile, Workspace};
use std::path::Path;

#[path = "../tests/common/bieu_book.rs"]
mod bieu_book;

const REFERENCE_CSV: &str = include_str!("../assets/sample-nq05-bac-giang.csv");

/// A valid 1 × 1 PNG, standing in for a chart the browser would rasterise.
const TINY_PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
    0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 96, 248, 95, 15, 0, 2,
    135, 1, 128, 235, 71, 186, 146, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// Text that breaks naive XML writers: markup characters, control
/// characters (Excel writes U+000B for a line break in a cell), a
/// non-character and text from outside the Basic Multilingual Plane.
const HOSTILE: &str = "Sở Nội vụ & Ban <Tổ chức> \"x\" 'y' \u{b}\u{1}\u{7f}\u{fffe}\u{1F600} ]]>";

fn workspace(files: Vec<(&str, String)>) -> Workspace {
    let mut ws = Workspace::sample();
    ws.add_files(
        files
            .into_iter()
            .map(|(name, text)| InputFile::new(name, text.into_bytes()))
            .collect(),
    );
    ws
}

/// The reference data with each value rewritten by `f(kind, period, value)`.
fn reference_mapped(f: impl Fn(&str, &str, &str) -> String) -> String {
    let mut rdr = csv::Reader::from_reader(REFERENCE_CSV.as_bytes());
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(rdr.headers().cloned().unwrap_or_default().iter());
    for row in rdr.records().flatten() {
        let mut fields: Vec<String> = row.iter().map(String::from).collect();
        if fields.len() > 5 {
            fields[5] = f(&fields[3], &fields[4], &fields[5]);
        }
        let _ = w.write_record(&fields);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn images(ws: &Workspace) -> Vec<Option<ChartImage>> {
    let count = ws.document().map_or(0, |d| d.charts.len());
    (0..count)
        .map(|i| {
            Some(ChartImage {
                png: [TINY_PNG, &[i as u8]].concat(),
                width_px: 1600,
                height_px: 900,
            })
        })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: Result<Vec<u8>, String>) {
    match bytes {
        Ok(b) => match std::fs::write(dir.join(name), b) {
            Ok(()) => println!("{name}"),
            Err(e) => fail(&format!("{name}: {e}")),
        },
        Err(e) => fail(&format!("{name}: {e}")),
    }
}

fn fail(message: &str) {
    eprintln!("write_outputs: {message}");
    std::process::exit(1);
}

fn outputs(dir: &Path, stem: &str, ws: &Workspace) {
    let Some(doc) = ws.document() else {
        return fail(&format!("{stem}: no document ({:?})", ws.template_error()));
    };
    let info = ws.docx_info();
    let layout = Layout::default();
    write(
        dir,
        &format!("{stem}.docx"),
        write_docx(doc, &layout, &info, &images(ws)),
    );
    // Without images too: a chart the browser could not draw.
    write(
        dir,
        &format!("{stem}-no-images.docx"),
        write_docx(doc, &layout, &info, &[]),
    );
    let rows: Vec<[String; 9]> = ws
        .findings()
        .iter()
        .map(|f| {
            baocao::export::findings::row(f, ws.dataset(), &ws.catalog, baocao::model::Lang::Vi)
        })
        .collect();
    write(
        dir,
        &format!("{stem}-findings.xlsx"),
        baocao::export::xlsx::findings_xlsx(&rows, baocao::model::Lang::Vi),
    );
    write(
        dir,
        &format!("{stem}-template.xlsx"),
        ws.input_template_xlsx(),
    );
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/outputs".into());
    let dir = Path::new(&dir);
    if let Err(e) = std::fs::create_dir_all(dir) {
        return fail(&format!("{}: {e}", dir.display()));
    }

    outputs(dir, "sample", &Workspace::sample());

    // Every figure changed: another province's report.
    let other = reference_mapped(|kind, period, value| match value.parse::<f64>() {
        Ok(v) if kind == "rank" => (v + 1.0).to_string(),
        Ok(v) => format!("{}", v * 2.0 + 1.0),
        Err(_) => format!("nhóm khác {period}"),
    });
    outputs(
        dir,
        "other-province",
        &workspace(vec![("tinh-khac.csv", other)]),
    );

    // Hostile text in every cited text figure, in the header, and in the
    // template's own prose and table; one figure of 1 MB.
    let hostile = reference_mapped(|kind, _, value| {
        if kind == "text" {
            HOSTILE.to_string()
        } else {
            value.to_string()
        }
    });
    // One cell of 1 MB that is no number: a finding that quotes it.
    let hostile = format!(
        "{hostile}CBCC_XA,x,người,count,2019,\"{}\",\n",
        "9&<".repeat(350_000)
    );
    let mut ws = workspace(vec![("hostile & <file>.csv", hostile)]);
    let template = format!(
        "{t}\n\n## {h}\n\n{h} {{{{ so(\"PAPI_NHOM\", 2016) }}}}[^1]\n\n| {h} | b |\n|---|---|\n| {h} | {{{{ so(\"BIEN_CHE\", 2020) }}}} |\n\n- {h}\n\n{big}\n\n[^1]: {h}\n",
        t = ws.template_text,
        h = HOSTILE,
        big = "y".repeat(1 << 20),
    );
    ws.set_template(template);
    let mut header = ws.header.clone();
    header.agency = HOSTILE.into();
    header.parent_agency = HOSTILE.into();
    header.number = HOSTILE.into();
    header.place = HOSTILE.into();
    header.title = HOSTILE.into();
    header.subtitle = HOSTILE.into();
    header.signer_name = HOSTILE.into();
    header.recipients = vec![HOSTILE.into(), "x".repeat(1 << 20)];
    ws.set_header(header);
    outputs(dir, "hostile", &ws);

    // A biểu dropped alone: the report written from it, its wide table on
    // a landscape section between portrait ones, its header repeated.
    let mut ws = Workspace::sample();
    ws.add_files(vec![InputFile::new(
        "bieu-xa.xlsx",
        bieu_book::bieu_book(120, 12)
            .and_then(|mut b| b.save_to_buffer())
            .unwrap_or_default(),
    )]);
    outputs(dir, "bieu", &ws);

    // No data at all: every figure missing.
    outputs(dir, "empty", &workspace(vec![("rong.csv", String::new())]));
}
