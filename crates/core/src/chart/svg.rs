//! Shapes as standalone SVG text: for the SVG download, and for the PNG the
//! page rasterises through a canvas for the DOCX. Every string is escaped.

use super::draw::{Anchor, Drawing, Paint, Shape};
use crate::xml::escape;
use std::fmt::Write;

fn n(v: f64) -> String {
    format!("{:.1}", v)
}

pub fn to_svg(d: &Drawing, title: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" font-family=\"'Times New Roman','Liberation Serif',serif\">\
         <title>{}</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
        n(d.width),
        n(d.height),
        n(d.width),
        n(d.height),
        escape(title)
    );
    for shape in &d.shapes {
        match shape {
            Shape::Line {
                x1,
                y1,
                x2,
                y2,
                role,
                dashed,
            } => {
                let p = Paint::of(*role);
                let dash = if *dashed {
                    " stroke-dasharray=\"5 4\""
                } else {
                    ""
                };
                let _ = write!(s, "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{dash}/>", n(*x1), n(*y1), n(*x2), n(*y2), p.stroke, p.width);
            }
            Shape::Rect {
                x,
                y,
                w,
                h,
                role,
                tip,
            } => {
                let p = Paint::of(*role);
                let _ = write!(s, "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}</title></rect>", n(*x), n(*y), n(w.max(0.0)), n(h.max(0.0)), p.fill, escape(tip));
            }
            Shape::Polyline { points, role } => {
                let p = Paint::of(*role);
                let pts: Vec<String> = points
                    .iter()
                    .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
                    .collect();
                let _ = write!(
                    s,
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"/>",
                    pts.join(" "),
                    p.stroke,
                    p.width
                );
            }
            Shape::Circle {
                cx,
                cy,
                r,
                role,
                tip,
            } => {
                let p = Paint::of(*role);
                let _ = write!(
                    s,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"><title>{}</title></circle>",
                    n(*cx),
                    n(*cy),
                    n(*r),
                    p.fill,
                    escape(tip)
                );
            }
            Shape::Text {
                x,
                y,
                text,
                anchor,
                size,
                role,
            } => {
                let p = Paint::of(*role);
                let anchor = match anchor {
                    Anchor::Start => "start",
                    Anchor::Middle => "middle",
                    Anchor::End => "end",
                };
                let _ = write!(s, "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" font-size=\"{}\" fill=\"{}\">{}</text>", n(*x), n(*y), n(*size), p.fill, escape(text));
            }
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::super::draw::{Anchor, Drawing, Role, Shape};
    use super::*;

    #[test]
    fn text_is_escaped() {
        let d = Drawing {
            width: 10.0,
            height: 10.0,
            shapes: vec![Shape::Text {
                x: 0.0,
                y: 0.0,
                text: "<script>&".into(),
                anchor: Anchor::Start,
                size: 10.0,
                role: Role::Label,
            }],
        };
        let svg = to_svg(&d, "a\"b");
        assert!(svg.contains("&lt;script&gt;&amp;") && !svg.contains("<script>"));
        assert!(svg.contains("<title>a&quot;b</title>"));
    }
}
