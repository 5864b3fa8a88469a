//! The DOCX parts around the body: content types, relationships, styles,
//! settings, fonts, the page-number headers and the document properties.
//! Each is written with [`XmlWriter`], in the schema's element order.

use crate::report::layout::Layout;
use crate::xml::XmlWriter;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const VT: &str = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes";

/// A part of the package: its name and its bytes.
pub(super) type Part = (String, Vec<u8>);

fn part(name: &str, xml: XmlWriter) -> Part {
    (name.to_string(), xml.finish().into_bytes())
}

/// `[Content_Types].xml` for the parts [`super::write_docx`] writes.
pub(super) fn content_types(headers: usize, comments: bool) -> Part {
    let mut x = XmlWriter::new();
    x.start(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
    );
    for (ext, kind) in [
        (
            "rels",
            "application/vnd.openxmlformats-package.relationships+xml",
        ),
        ("xml", "application/xml"),
        ("png", "image/png"),
    ] {
        x.empty("Default", &[("Extension", ext), ("ContentType", kind)]);
    }
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let mut overrides = vec![
        (
            "/word/document.xml".to_string(),
            format!("{wml}.document.main+xml"),
        ),
        ("/word/styles.xml".into(), format!("{wml}.styles+xml")),
        ("/word/settings.xml".into(), format!("{wml}.settings+xml")),
        ("/word/fontTable.xml".into(), format!("{wml}.fontTable+xml")),
        ("/word/footnotes.xml".into(), format!("{wml}.footnotes+xml")),
        (
            "/word/theme/theme1.xml".into(),
            "application/vnd.openxmlformats-officedocument.theme+xml".into(),
        ),
        (
            "/docProps/core.xml".into(),
            "application/vnd.openxmlformats-package.core-properties+xml".into(),
        ),
        (
            "/docProps/app.xml".into(),
            "application/vnd.openxmlformats-officedocument.extended-properties+xml".into(),
        ),
        (
            "/docProps/custom.xml".into(),
            "application/vnd.openxmlformats-officedocument.custom-properties+xml".into(),
        ),
    ];
    for n in 1..=headers {
        overrides.push((format!("/word/header{n}.xml"), format!("{wml}.header+xml")));
    }
    if comments {
        overrides.push(("/word/comments.xml".into(), format!("{wml}.comments+xml")));
    }
    for (name, kind) in &overrides {
        x.empty("Override", &[("PartName", name), ("ContentType", kind)]);
    }
    part("[Content_Types].xml", x)
}

fn relationships(name: &str, rels: &[(String, String, String)]) -> Part {
    let mut x = XmlWriter::new();
    x.start("Relationships", &[("xmlns", REL)]);
    for (id, kind, target) in rels {
        x.empty(
            "Relationship",
            &[("Id", id), ("Type", kind), ("Target", target)],
        );
    }
    part(name, x)
}

/// `_rels/.rels`: the document and its properties.
pub(super) fn package_rels() -> Part {
    let rel = |id: &str, kind: &str, target: &str| (id.into(), kind.into(), target.into());
    relationships(
        "_rels/.rels",
        &[
            rel("rId1", &format!("{OFFICE_REL}/officeDocument"), "word/document.xml"),
            rel(
                "rId2",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                "docProps/core.xml",
            ),
            rel("rId3", &format!("{OFFICE_REL}/extended-properties"), "docProps/app.xml"),
            rel("rId4", &format!("{OFFICE_REL}/custom-properties"), "docProps/custom.xml"),
        ],
    )
}

/// The relationship ids of the two headers in `word/_rels/document.xml.rels`.
pub(super) const DEFAULT_HEADER: &str = "rIdHeaderDefault";
pub(super) const FIRST_HEADER: &str = "rIdHeaderFirst";

/// `word/_rels/document.xml.rels`: the document's parts and its images, whose
/// ids `image_rel` gives.
pub(super) fn document_rels(
    images: usize,
    image_rel: impl Fn(usize) -> String,
    comments: bool,
) -> Part {
    let rel = |id: &str, kind: &str, target: String| {
        (id.to_string(), format!("{OFFICE_REL}/{kind}"), target)
    };
    let mut rels = vec![
        rel("rIdStyles", "styles", "styles.xml".into()),
        rel("rIdSettings", "settings", "settings.xml".into()),
        rel("rIdFonts", "fontTable", "fontTable.xml".into()),
        rel("rIdFootnotes", "footnotes", "footnotes.xml".into()),
        rel("rIdTheme", "theme", "theme/theme1.xml".into()),
        rel(DEFAULT_HEADER, "header", "header1.xml".into()),
        rel(FIRST_HEADER, "header", "header2.xml".into()),
    ];
    if comments {
        rels.push(rel("rIdComments", "comments", "comments.xml".into()));
    }
    for n in 0..images {
        rels.push(rel(
            &image_rel(n),
            "image",
            format!("media/chart{}.png", n + 1),
        ));
    }
    relationships("word/_rels/document.xml.rels", &rels)
}

fn size(x: &mut XmlWriter, pt: f64) {
    let hp = ((pt * 2.0).round() as u32).to_string();
    x.empty("w:sz", &[("w:val", &hp)])
        .empty("w:szCs", &[("w:val", &hp)]);
}

/// `word/styles.xml`: Times New Roman at the body size for everything, and
/// every style the document names (footnote text and reference, the ruled
/// table).
pub(super) fn styles(layout: &Layout) -> Part {
    let mut x = XmlWriter::new();
    x.start("w:styles", &[("xmlns:w", W)]);
    x.start("w:docDefaults", &[]);
    x.start("w:rPrDefault", &[]).start("w:rPr", &[]);
    x.empty(
        "w:rFonts",
        &[
            ("w:ascii", layout.font),
            ("w:hAnsi", layout.font),
            ("w:eastAsia", layout.font),
            ("w:cs", layout.font),
        ],
    );
    size(&mut x, layout.body_pt);
    x.empty(
        "w:lang",
        &[
            ("w:val", "vi-VN"),
            ("w:eastAsia", "vi-VN"),
            ("w:bidi", "ar-SA"),
        ],
    );
    x.end().end();
    x.start("w:pPrDefault", &[]).start("w:pPr", &[]);
    x.empty(
        "w:spacing",
        &[("w:after", "0"), ("w:line", "240"), ("w:lineRule", "auto")],
    );
    x.end().end();
    x.end(); // docDefaults

    x.start(
        "w:style",
        &[
            ("w:type", "paragraph"),
            ("w:default", "1"),
            ("w:styleId", "Normal"),
        ],
    );
    x.empty("w:name", &[("w:val", "Normal")])
        .empty("w:qFormat", &[]);
    x.end();

    x.start(
        "w:style",
        &[
            ("w:type", "character"),
            ("w:default", "1"),
            ("w:styleId", "DefaultParagraphFont"),
        ],
    );
    x.empty("w:name", &[("w:val", "Default Paragraph Font")])
        .empty("w:uiPriority", &[("w:val", "1")])
        .empty("w:semiHidden", &[])
        .empty("w:unhideWhenUsed", &[]);
    x.end();

    x.start(
        "w:style",
        &[
            ("w:type", "table"),
            ("w:default", "1"),
            ("w:styleId", "TableNormal"),
        ],
    );
    x.empty("w:name", &[("w:val", "Normal Table")])
        .empty("w:uiPriority", &[("w:val", "99")])
        .empty("w:semiHidden", &[])
        .empty("w:unhideWhenUsed", &[]);
    x.start("w:tblPr", &[]);
    x.empty("w:tblInd", &[("w:w", "0"), ("w:type", "dxa")]);
    x.start("w:tblCellMar", &[]);
    for (side, w) in [
        ("w:top", "0"),
        ("w:left", "108"),
        ("w:bottom", "0"),
        ("w:right", "108"),
    ] {
        x.empty(side, &[("w:w", w), ("w:type", "dxa")]);
    }
    x.end().end();
    x.end();

    x.start(
        "w:style",
        &[("w:type", "table"), ("w:styleId", "TableGrid")],
    );
    x.empty("w:name", &[("w:val", "Table Grid")])
        .empty("w:basedOn", &[("w:val", "TableNormal")])
        .empty("w:uiPriority", &[("w:val", "39")]);
    x.start("w:tblPr", &[]).start("w:tblBorders", &[]);
    for side in [
        "w:top",
        "w:left",
        "w:bottom",
        "w:right",
        "w:insideH",
        "w:insideV",
    ] {
        x.empty(
            side,
            &[
                ("w:val", "single"),
                ("w:sz", "4"),
                ("w:space", "0"),
                ("w:color", "000000"),
            ],
        );
    }
    x.end().end();
    x.end();

    // ND30: footnotes in the body's font, smaller, single-spaced, justified.
    x.start(
        "w:style",
        &[("w:type", "paragraph"), ("w:styleId", "FootnoteText")],
    );
    x.empty("w:name", &[("w:val", "footnote text")])
        .empty("w:basedOn", &[("w:val", "Normal")])
        .empty("w:uiPriority", &[("w:val", "99")])
        .empty("w:unhideWhenUsed", &[]);
    x.start("w:pPr", &[])
        .empty(
            "w:spacing",
            &[
                ("w:before", "0"),
                ("w:after", "0"),
                ("w:line", "240"),
                ("w:lineRule", "auto"),
            ],
        )
        .empty("w:jc", &[("w:val", "both")])
        .end();
    x.start("w:rPr", &[]);
    size(&mut x, layout.footnote_pt);
    x.end();
    x.end();

    x.start(
        "w:style",
        &[("w:type", "character"), ("w:styleId", "FootnoteReference")],
    );
    x.empty("w:name", &[("w:val", "footnote reference")])
        .empty("w:basedOn", &[("w:val", "DefaultParagraphFont")])
        .empty("w:uiPriority", &[("w:val", "99")])
        .empty("w:unhideWhenUsed", &[]);
    x.start("w:rPr", &[])
        .empty("w:vertAlign", &[("w:val", "superscript")])
        .end();
    x.end();

    x.start(
        "w:style",
        &[("w:type", "paragraph"), ("w:styleId", "Header")],
    );
    x.empty("w:name", &[("w:val", "header")])
        .empty("w:basedOn", &[("w:val", "Normal")])
        .empty("w:uiPriority", &[("w:val", "99")])
        .empty("w:unhideWhenUsed", &[]);
    x.start("w:pPr", &[])
        .empty("w:jc", &[("w:val", "center")])
        .end();
    x.end();
    part("word/styles.xml", x)
}

/// `word/settings.xml`: the footnote separators, Word 2013+ layout, and
/// Vietnamese decimal and list separators.
pub(super) fn settings() -> Part {
    let mut x = XmlWriter::new();
    x.start("w:settings", &[("xmlns:w", W)]);
    x.empty("w:defaultTabStop", &[("w:val", "720")]);
    x.empty("w:characterSpacingControl", &[("w:val", "doNotCompress")]);
    x.start("w:footnotePr", &[])
        .empty("w:footnote", &[("w:id", "-1")])
        .empty("w:footnote", &[("w:id", "0")])
        .end();
    x.start("w:compat", &[])
        .empty(
            "w:compatSetting",
            &[
                ("w:name", "compatibilityMode"),
                ("w:uri", "http://schemas.microsoft.com/office/word"),
                ("w:val", "15"),
            ],
        )
        .end();
    x.empty("w:decimalSymbol", &[("w:val", ",")]);
    x.empty("w:listSeparator", &[("w:val", ";")]);
    part("word/settings.xml", x)
}

/// `word/theme/theme1.xml`: Word requires a theme; this one names the
/// report's font and black text, and holds no user text.
pub(super) fn theme() -> Part {
    (
        "word/theme/theme1.xml".to_string(),
        include_bytes!("theme.xml").to_vec(),
    )
}

/// `word/fontTable.xml`: the one font.
pub(super) fn font_table(layout: &Layout) -> Part {
    let mut x = XmlWriter::new();
    x.start("w:fonts", &[("xmlns:w", W)]);
    x.start("w:font", &[("w:name", layout.font)]);
    x.empty("w:charset", &[("w:val", "00")])
        .empty("w:family", &[("w:val", "roman")])
        .empty("w:pitch", &[("w:val", "variable")]);
    x.end();
    part("word/fontTable.xml", x)
}

/// `word/header1.xml`, the page number centred (every page but the first),
/// and `word/header2.xml`, empty (the first page).
pub(super) fn headers(layout: &Layout) -> [Part; 2] {
    let open = |x: &mut XmlWriter| {
        x.start("w:hdr", &[("xmlns:w", W), ("xmlns:r", R)]);
        x.start("w:p", &[]);
        x.start("w:pPr", &[])
            .empty("w:pStyle", &[("w:val", "Header")])
            .end();
    };
    let mut numbered = XmlWriter::new();
    open(&mut numbered);
    numbered.start("w:fldSimple", &[("w:instr", " PAGE ")]);
    numbered.start("w:r", &[]).start("w:rPr", &[]);
    size(&mut numbered, layout.page_number_pt);
    numbered.end();
    numbered.leaf("w:t", &[], "2").end();
    let mut empty = XmlWriter::new();
    open(&mut empty);
    [
        part("word/header1.xml", numbered),
        part("word/header2.xml", empty),
    ]
}

/// `docProps/core.xml`, `app.xml` and `custom.xml`: the title, the agency,
/// and custom properties naming the inputs that made the file.
pub(super) fn properties(title: &str, agency: &str, custom: &[(&str, &str)]) -> [Part; 3] {
    let mut core = XmlWriter::new();
    core.start(
        "cp:coreProperties",
        &[
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    );
    core.leaf("dc:title", &[], title);
    core.leaf("dc:creator", &[], agency);

    let mut app = XmlWriter::new();
    app.start(
        "Properties",
        &[
            (
                "xmlns",
                "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
            ),
            ("xmlns:vt", VT),
        ],
    );
    app.leaf("Application", &[], "baocao");

    let mut props = XmlWriter::new();
    props.start(
        "Properties",
        &[
            (
                "xmlns",
                "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
            ),
            ("xmlns:vt", VT),
        ],
    );
    for (i, (name, value)) in custom.iter().enumerate() {
        // Property ids start at 2 (the specification reserves 0 and 1).
        let pid = (i + 2).to_string();
        props.start(
            "property",
            &[
                ("fmtid", "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"),
                ("pid", &pid),
                ("name", name),
            ],
        );
        props.leaf("vt:lpwstr", &[], value).end();
    }
    [
        part("docProps/core.xml", core),
        part("docProps/app.xml", app),
        part("docProps/custom.xml", props),
    ]
}
