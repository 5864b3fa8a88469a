//! Every writer of XML over fuzzed text: the text is the template and every
//! header field; the DOCX's parts and the findings XLSX must parse, whatever
//! the text holds.
#![no_main]
use baocao::export::docx::{write_docx, DocxInfo};
use baocao::report::layout::Layout;
use baocao::workspace::Workspace;
use libfuzzer_sys::fuzz_target;
use std::io::Read;

thread_local! {
    static SAMPLE: Workspace = Workspace::sample();
}

fn parse_parts(package: &[u8]) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(package)).expect("a zip");
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("an entry");
        let name = entry.name().unwrap_or_default().to_string();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let mut xml = String::new();
            entry.read_to_string(&mut xml).expect("UTF-8");
            if let Err(e) = roxmltree::Document::parse(&xml) {
                panic!("{name} does not parse: {e}");
            }
        }
    }
}

fuzz_target!(|text: &str| {
    let mut ws = SAMPLE.with(Workspace::clone);
    ws.set_template(text.to_string());
    let mut header = ws.header.clone();
    header.agency = text.to_string();
    header.title = text.to_string();
    header.recipients = vec![text.to_string()];
    ws.set_header(header);
    if let Some(doc) = ws.document() {
        let info = DocxInfo {
            inputs_hash: text.to_string(),
            catalog_hash: String::new(),
            problems: Default::default(),
        };
        parse_parts(&write_docx(doc, &Layout::default(), &info, &[]).expect("a DOCX"));
    }
    let row: [String; 9] = std::array::from_fn(|_| text.to_string());
    parse_parts(
        &baocao::export::xlsx::findings_xlsx(&[row], baocao::model::Lang::Vi).expect("an XLSX"),
    );
});
