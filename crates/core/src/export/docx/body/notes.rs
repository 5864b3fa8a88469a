//! Pictures and footnotes: an inline drawing for a chart's image, and the
//! footnotes part.

use super::{image_rel, run, Body, Para, RunProps};
use crate::report::document::{Document, Style};
use crate::report::layout::Layout;
use crate::xml::XmlWriter;

/// An inline picture of `cx` × `cy` EMU showing the `n`th placed image.
pub(super) fn drawing(x: &mut XmlWriter, n: usize, cx: u64, cy: u64) {
    let (cx, cy) = (cx.to_string(), cy.to_string());
    let id = (n + 1).to_string();
    let name = format!("chart{id}.png");
    x.start(
        "wp:inline",
        &[
            ("distT", "0"),
            ("distB", "0"),
            ("distL", "0"),
            ("distR", "0"),
        ],
    );
    x.empty("wp:extent", &[("cx", &cx), ("cy", &cy)]);
    x.empty(
        "wp:effectExtent",
        &[("l", "0"), ("t", "0"), ("r", "0"), ("b", "0")],
    );
    x.empty("wp:docPr", &[("id", &id), ("name", &name)]);
    x.start("wp:cNvGraphicFramePr", &[])
        .empty("a:graphicFrameLocks", &[("noChangeAspect", "1")])
        .end();
    x.start("a:graphic", &[]);
    x.start(
        "a:graphicData",
        &[(
            "uri",
            "http://schemas.openxmlformats.org/drawingml/2006/picture",
        )],
    );
    x.start("pic:pic", &[]);
    x.start("pic:nvPicPr", &[])
        .empty("pic:cNvPr", &[("id", &id), ("name", &name)])
        .empty("pic:cNvPicPr", &[])
        .end();
    x.start("pic:blipFill", &[])
        .empty("a:blip", &[("r:embed", &image_rel(n))])
        .start("a:stretch", &[])
        .empty("a:fillRect", &[])
        .end()
        .end();
    x.start("pic:spPr", &[]);
    x.start("a:xfrm", &[])
        .empty("a:off", &[("x", "0"), ("y", "0")])
        .empty("a:ext", &[("cx", &cx), ("cy", &cy)])
        .end();
    x.start("a:prstGeom", &[("prst", "rect")])
        .empty("a:avLst", &[])
        .end();
    x.end(); // spPr
    x.end(); // pic
    x.end(); // graphicData
    x.end(); // graphic
    x.end(); // inline
}

/// `word/footnotes.xml`: the separators Word expects, then one note per
/// reference, each opening with its own number.
pub(in crate::export::docx) fn footnotes(
    doc: &Document,
    layout: &Layout,
    refs: &[usize],
) -> String {
    let mut body = Body::new(doc, layout, &[]);
    body.in_footnote = true;
    let x = &mut body.x;
    x.start(
        "w:footnotes",
        &[
            (
                "xmlns:w",
                "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            ),
            (
                "xmlns:r",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            ),
        ],
    );
    for (id, kind, mark) in [
        ("-1", "separator", "w:separator"),
        ("0", "continuationSeparator", "w:continuationSeparator"),
    ] {
        x.start("w:footnote", &[("w:type", kind), ("w:id", id)]);
        x.start("w:p", &[]);
        Para {
            spacing: Some((0, 0, 240, false)),
            ..Para::default()
        }
        .write(x);
        x.start("w:r", &[]).empty(mark, &[]).end();
        x.end().end();
    }
    for (i, number) in refs.iter().enumerate() {
        let Some(content) = doc.footnotes.get(number.wrapping_sub(1)) else {
            continue;
        };
        let id = (i + 1).to_string();
        body.x.start("w:footnote", &[("w:id", &id)]);
        body.x.start("w:p", &[]);
        Para {
            style: Some("FootnoteText"),
            align: Some("both"),
            ..Para::default()
        }
        .write(&mut body.x);
        body.x.start("w:r", &[]);
        RunProps {
            style: Some("FootnoteReference"),
            ..RunProps::default()
        }
        .write(&mut body.x);
        body.x.empty("w:footnoteRef", &[]).end();
        run(
            &mut body.x,
            RunProps::sized(layout.footnote_pt, Style::default()),
            " ",
        );
        body.inlines(content, layout.footnote_pt, Style::default());
        body.x.end().end();
    }
    body.x.finish()
}
