//! Word comments on the report's problem figures: a figure the data lack,
//! or one whose cell failed a check, is highlighted and carries a comment
//! that says why, so the reader of the DOCX sees what the page flagged.

use super::{run, Body, RunProps};
use crate::report::document::{Figure, FigureStatus};
use crate::xml::XmlWriter;

/// The reasons listed in one comment; the rest are counted.
const REASONS: usize = 3;

impl Body<'_> {
    /// Why `figure` needs its reader's eye, if it does.
    fn comment_on(&self, figure: &Figure) -> Option<String> {
        match figure.status {
            FigureStatus::Missing => Some(format!(
                "Thiếu số liệu {}: các tệp số liệu không có số này. Hãy bổ sung rồi tải lại báo cáo.",
                figure.label
            )),
            FigureStatus::Failed => {
                let mut reasons: Vec<&str> = Vec::new();
                for cell in &figure.sources {
                    if let Some(why) = self.problems.get(cell) {
                        if !reasons.contains(&why.as_str()) {
                            reasons.push(why);
                        }
                    }
                }
                let listed = reasons.iter().take(REASONS).copied().collect::<Vec<_>>();
                let more = reasons.len().saturating_sub(REASONS);
                let why = match (listed.is_empty(), more) {
                    (true, _) => "xem danh sách vấn đề của trang".to_string(),
                    (false, 0) => listed.join("; "),
                    (false, n) => format!("{}; và {n} vấn đề khác", listed.join("; ")),
                };
                Some(format!("Số liệu {} không qua kiểm tra: {why}", figure.label))
            }
            _ => None,
        }
    }

    /// The figure's run; a problem figure's is highlighted, inside the
    /// range of a comment that says why (not in footnotes, which hold none).
    pub(super) fn figure_run(&mut self, figure: Option<&Figure>, props: RunProps) {
        let text = figure.map_or("?", |f| f.text.as_str());
        let comment = figure
            .filter(|_| !self.in_footnote)
            .and_then(|f| self.comment_on(f));
        let Some(comment) = comment else {
            return run(&mut self.x, props, text);
        };
        let id = self.comments.len().to_string();
        self.comments.push(comment);
        let highlight = match figure.map(|f| f.status) {
            Some(FigureStatus::Missing) => "yellow",
            _ => "magenta",
        };
        self.x.empty("w:commentRangeStart", &[("w:id", &id)]);
        run(
            &mut self.x,
            RunProps {
                highlight: Some(highlight),
                ..props
            },
            text,
        );
        self.x.empty("w:commentRangeEnd", &[("w:id", &id)]);
        self.x.start("w:r", &[]);
        self.x.empty("w:commentReference", &[("w:id", &id)]);
        self.x.end();
    }
}

/// `word/comments.xml`: each comment as one paragraph, by "baocao".
pub(in crate::export::docx) fn comments_xml(comments: &[String]) -> String {
    let mut x = XmlWriter::new();
    x.start("w:comments", &super::DOCUMENT_NAMESPACES[..2]);
    for (id, text) in comments.iter().enumerate() {
        let id = id.to_string();
        x.start(
            "w:comment",
            &[("w:id", &id), ("w:author", "baocao"), ("w:initials", "BC")],
        );
        x.start("w:p", &[]);
        x.start("w:r", &[]).empty("w:annotationRef", &[]).end();
        run(&mut x, RunProps::default(), text);
        x.end().end();
    }
    x.finish()
}
