//! Lays a chart out into shapes on a 640 × 360 canvas: scales, axes, ticks
//! and labels in Vietnamese number style. Pure geometry, tested natively;
//! the SVG writer and the page's Yew renderer both draw these shapes.

use super::{Chart, ChartKind, Point};
use crate::vn::format_number;

mod plots;
use plots::{bars, entity_bars, rank_line, value_line};

pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 360.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 56.0;

/// What a shape is, which decides its colours (see [`Paint::of`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Axis,
    Grid,
    Title,
    Label,
    Value,
    /// Series number `n` (colours cycle).
    Series(usize),
    /// A figure some check failed on.
    Failed,
    Target,
    Maximum,
}

/// Fill, stroke and stroke width, as SVG attributes.
pub struct Paint {
    pub fill: &'static str,
    pub stroke: &'static str,
    pub width: f64,
}

impl Paint {
    pub fn of(role: Role) -> Paint {
        const SERIES: [&str; 6] = [
            "#1f5fa8", "#e08a1e", "#3a8f4b", "#8a4fb5", "#b5443a", "#4f8fb5",
        ];
        let paint = |fill, stroke, width| Paint {
            fill,
            stroke,
            width,
        };
        match role {
            Role::Axis => paint("none", "#333333", 1.0),
            Role::Grid => paint("none", "#dddddd", 1.0),
            Role::Title | Role::Value => paint("#111111", "none", 0.0),
            Role::Label => paint("#444444", "none", 0.0),
            Role::Series(n) => paint(SERIES[n % SERIES.len()], SERIES[n % SERIES.len()], 2.5),
            Role::Failed => paint("#c62828", "#c62828", 2.5),
            Role::Target => paint("#dff0d8", "none", 0.0),
            Role::Maximum => paint("none", "#999999", 1.5),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Line {
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        role: Role,
        dashed: bool,
    },
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        role: Role,
        tip: String,
    },
    Polyline {
        points: Vec<(f64, f64)>,
        role: Role,
    },
    Circle {
        cx: f64,
        cy: f64,
        r: f64,
        role: Role,
        tip: String,
    },
    Text {
        x: f64,
        y: f64,
        text: String,
        anchor: Anchor,
        size: f64,
        role: Role,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Drawing {
    pub width: f64,
    pub height: f64,
    pub shapes: Vec<Shape>,
}

/// "Nice" ticks from 0 (or `min`) to at least `max`: steps of 1, 2 or 5 × 10ᵏ.
pub fn nice_ticks(min: f64, max: f64, target: usize) -> Vec<f64> {
    // All values equal: still give the axis a span.
    let max = if max - min < 1e-9 { min + 1.0 } else { max };
    let span = max - min;
    let raw = span / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(magnitude * 10.0);
    let first = (min / step).floor() * step;
    let mut ticks = Vec::new();
    let mut t = first;
    while t < max + step * 0.999 && ticks.len() < 50 {
        ticks.push(t);
        t += step;
    }
    ticks
}

/// A linear scale from values to pixels.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub from: (f64, f64),
    pub to: (f64, f64),
}

impl Scale {
    pub fn at(&self, v: f64) -> f64 {
        let (d0, d1) = self.from;
        let (r0, r1) = self.to;
        if d1 == d0 {
            return (r0 + r1) / 2.0;
        }
        r0 + (v - d0) / (d1 - d0) * (r1 - r0)
    }
}

fn tip(p: &Point, unit: &str) -> String {
    let mark = if p.failed {
        " — có lỗi kiểm tra"
    } else {
        ""
    };
    format!("{}: {} {unit}{mark}", p.label, format_number(p.value, 2))
        .trim_end()
        .to_string()
}

fn text(x: f64, y: f64, t: impl Into<String>, anchor: Anchor, size: f64, role: Role) -> Shape {
    Shape::Text {
        x,
        y,
        text: t.into(),
        anchor,
        size,
        role,
    }
}

/// Lays `chart` out. Never panics: empty or odd data give an empty plot.
pub fn draw(chart: &Chart) -> Drawing {
    let mut shapes = vec![text(
        WIDTH / 2.0,
        24.0,
        clip(&chart.title, 90),
        Anchor::Middle,
        15.0,
        Role::Title,
    )];
    let plot = (LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM); // x0, y0, x1, y1
    match chart.kind {
        ChartKind::RankLine => rank_line(chart, plot, &mut shapes),
        ChartKind::Entities => entity_bars(chart, &mut shapes),
        ChartKind::StackedBars | ChartKind::BeforeAfter => bars(chart, plot, &mut shapes),
        ChartKind::ScoreLine | ChartKind::SmallMultiple => value_line(chart, plot, &mut shapes),
    }
    Drawing {
        width: WIDTH,
        height: HEIGHT,
        shapes,
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn x_positions(n: usize, x0: f64, x1: f64) -> Vec<f64> {
    let step = (x1 - x0) / n.max(1) as f64;
    (0..n).map(|i| x0 + step * (i as f64 + 0.5)).collect()
}

fn axes(plot: (f64, f64, f64, f64), shapes: &mut Vec<Shape>) {
    let (x0, y0, x1, y1) = plot;
    shapes.push(axis_line((x0, y0), (x0, y1)));
    shapes.push(axis_line((x0, y1), (x1, y1)));
}

fn axis_line(from: (f64, f64), to: (f64, f64)) -> Shape {
    Shape::Line {
        x1: from.0,
        y1: from.1,
        x2: to.0,
        y2: to.1,
        role: Role::Axis,
        dashed: false,
    }
}

fn y_ticks(ticks: &[f64], scale: Scale, plot: (f64, f64, f64, f64), shapes: &mut Vec<Shape>) {
    let (x0, _, x1, _) = plot;
    for t in ticks {
        let y = scale.at(*t);
        shapes.push(Shape::Line {
            x1: x0,
            y1: y,
            x2: x1,
            y2: y,
            role: Role::Grid,
            dashed: false,
        });
        shapes.push(text(
            x0 - 8.0,
            y + 4.0,
            format_number(*t, 2),
            Anchor::End,
            11.0,
            Role::Label,
        ));
    }
}

fn x_labels(categories: &[String], xs: &[f64], y: f64, shapes: &mut Vec<Shape>) {
    for (c, x) in categories.iter().zip(xs) {
        shapes.push(text(
            *x,
            y + 18.0,
            clip(c, 14),
            Anchor::Middle,
            11.0,
            Role::Label,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Point, Series};
    use super::*;

    fn point(label: &str, value: f64) -> Point {
        Point {
            label: label.into(),
            value,
            cell: None,
            failed: false,
        }
    }

    fn rank_chart() -> Chart {
        Chart {
            id: "rank-X".into(),
            kind: ChartKind::RankLine,
            title: "PAR INDEX".into(),
            unit: "hạng".into(),
            categories: vec!["2016".into(), "2017".into(), "2018".into()],
            series: vec![Series {
                name: "PAR".into(),
                points: vec![
                    point("2016", 13.0),
                    point("2017", 13.0),
                    point("2018", 25.0),
                ],
            }],
            axis_max: Some(63.0),
            target: None,
            category_max: Vec::new(),
        }
    }

    fn texts(d: &Drawing) -> Vec<&str> {
        d.shapes
            .iter()
            .filter_map(|s| {
                if let Shape::Text { text, .. } = s {
                    Some(text.as_str())
                } else {
                    None
                }
            })
            .collect()
    }

    #[test]
    fn ticks_are_nice() {
        assert_eq!(
            nice_ticks(0.0, 44530.0, 5),
            vec![0.0, 10000.0, 20000.0, 30000.0, 40000.0, 50000.0]
        );
        assert_eq!(nice_ticks(0.0, 80.0, 4), vec![0.0, 20.0, 40.0, 60.0, 80.0]);
        assert!(nice_ticks(0.0, 0.0, 5).len() >= 2);
    }

    #[test]
    fn the_rank_axis_puts_rank_one_on_top_and_runs_to_n() {
        let d = draw(&rank_chart());
        let circles: Vec<f64> = d
            .shapes
            .iter()
            .filter_map(|s| {
                if let Shape::Circle { cy, .. } = s {
                    Some(*cy)
                } else {
                    None
                }
            })
            .collect();
        // 13th is higher on the page (smaller y) than 25th.
        assert!(circles[0] < circles[2]);
        assert_eq!(circles[0], circles[1]);
        let labels = texts(&d);
        assert!(
            labels.contains(&"1") && labels.contains(&"63"),
            "{labels:?}"
        );
        assert!(labels.contains(&"13/63") && labels.contains(&"25/63"));
        let y_of = |label: &str| {
            d.shapes.iter().find_map(|s| match s {
                Shape::Text {
                    text,
                    y,
                    anchor: Anchor::End,
                    ..
                } if text == label => Some(*y),
                _ => None,
            })
        };
        assert!(y_of("1") < y_of("63"), "rank 1 sits above rank 63");
    }

    #[test]
    fn labels_use_vietnamese_numbers_and_failed_points_are_marked() {
        let mut chart = rank_chart();
        chart.kind = ChartKind::StackedBars;
        chart.series = vec![
            Series {
                name: "Hành chính".into(),
                points: vec![point("2020", 2001.0)],
            },
            Series {
                name: "Sự nghiệp".into(),
                points: vec![Point {
                    failed: true,
                    ..point("2020", 34112.0)
                }],
            },
        ];
        chart.categories = vec!["2020".into()];
        let d = draw(&chart);
        let labels = texts(&d);
        assert!(labels.contains(&"36.113"), "{labels:?}");
        assert!(labels.contains(&"34.112"));
        assert!(d.shapes.iter().any(|s| matches!(
            s,
            Shape::Rect {
                role: Role::Failed,
                ..
            }
        )));
    }

    #[test]
    fn empty_charts_draw_without_panicking() {
        let mut chart = rank_chart();
        chart.series.clear();
        chart.categories.clear();
        for kind in [
            ChartKind::RankLine,
            ChartKind::ScoreLine,
            ChartKind::StackedBars,
            ChartKind::BeforeAfter,
            ChartKind::SmallMultiple,
            ChartKind::Entities,
        ] {
            chart.kind = kind;
            let _ = draw(&chart);
        }
    }
}
