//! Shapes as SVG text: standalone, for the SVG download and for the PNG the
//! page rasterises through a canvas for the DOCX; or inline, an element the
//! page inserts whole (one parse by the browser, not a node per shape built
//! from wasm). Every string is escaped.

use super::draw::{Anchor, Drawing, Paint, Shape};
use crate::xml::escape;
use std::fmt::Write;

fn n(v: f64) -> String {
    format!("{:.1}", v)
}

const FONT: &str = "'Times New Roman','Liberation Serif',serif";

/// The `viewBox` of a drawing, as both forms write it.
pub fn view_box(d: &Drawing) -> String {
    format!("0 0 {} {}", n(d.width), n(d.height))
}

/// A file of its own: sized, with its title as a `<title>`.
pub fn to_svg(d: &Drawing, title: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{}\" width=\"{}\" height=\"{}\" role=\"img\" font-family=\"{FONT}\">\
         <title>{}</title>",
        view_box(d),
        n(d.width),
        n(d.height),
        escape(title)
    );
    shapes(&mut s, d);
    s
}

/// An element of a page: sized by the page's style (`class`), named by its
/// `aria-label`.
pub fn to_inline_svg(d: &Drawing, label: &str, class: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg viewBox=\"{}\" role=\"img\" aria-label=\"{}\" lang=\"vi\" class=\"{}\" font-family=\"{FONT}\">",
        view_box(d),
        escape(label),
        escape(class)
    );
    shapes(&mut s, d);
    s
}

/// A white ground, the shapes, and the end of the element.
fn shapes(s: &mut String, d: &Drawing) {
    s.push_str("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
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
        let inline = to_inline_svg(&d, "a\"b<", "c&");
        assert!(
            inline.contains("aria-label=\"a&quot;b&lt;\"") && inline.contains("class=\"c&amp;\"")
        );
        assert!(inline.contains("&lt;script&gt;&amp;") && inline.ends_with("</svg>"));
    }
}
