//! Each kind of chart laid out on its plot: ranks, values over time, bars
//! (plain, grouped, stacked) and bars of entities.

use super::*;

/// Rank 1 on top, the axis running down to N.
pub(super) fn rank_line(chart: &Chart, plot: (f64, f64, f64, f64), shapes: &mut Vec<Shape>) {
    let (x0, y0, x1, y1) = plot;
    let Some(series) = chart.series.first() else {
        return;
    };
    let worst = series.points.iter().map(|p| p.value).fold(1.0, f64::max);
    let n = chart.axis_max.unwrap_or(worst).max(worst).max(2.0);
    let scale = Scale {
        from: (1.0, n),
        to: (y0, y1),
    };
    let mut ticks = vec![1.0];
    ticks.extend(
        // Gridline ticks clear of 1 and N, which are always labelled.
        nice_ticks(0.0, n, 5)
            .into_iter()
            .filter(|t| *t > 1.0 + (n - 1.0) * 0.08 && *t < n - (n - 1.0) * 0.08),
    );
    ticks.push(n);
    if let Some((a, b)) = chart.target {
        shapes.push(Shape::Rect {
            x: x0,
            y: scale.at(a),
            w: x1 - x0,
            h: scale.at(b) - scale.at(a),
            role: Role::Target,
            tip: "Mục tiêu".into(),
        });
    }
    y_ticks(&ticks, scale, plot, shapes);
    axes(plot, shapes);
    shapes.push(text(
        x0 - 8.0,
        y0 - 12.0,
        "Hạng (1 = cao nhất)",
        Anchor::Start,
        11.0,
        Role::Label,
    ));
    let xs = x_positions(series.points.len(), x0, x1);
    x_labels(&chart.categories, &xs, y1, shapes);
    line_with_points(series, &xs, scale, 0, &chart.unit, shapes, |p| {
        format!("{}/{}", format_number(p.value, 0), format_number(n, 0))
    });
}

/// Values from 0, drawn against each category's maximum where there is one.
pub(super) fn value_line(chart: &Chart, plot: (f64, f64, f64, f64), shapes: &mut Vec<Shape>) {
    let (x0, y0, x1, y1) = plot;
    let top = chart
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.value))
        .chain(chart.axis_max)
        .fold(0.0, f64::max);
    let low = chart
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.value))
        .fold(0.0, f64::min);
    let ticks = nice_ticks(low, top.max(1.0), 5);
    let scale = Scale {
        from: (
            *ticks.first().unwrap_or(&0.0),
            *ticks.last().unwrap_or(&1.0),
        ),
        to: (y1, y0),
    };
    y_ticks(&ticks, scale, plot, shapes);
    axes(plot, shapes);
    let Some(series) = chart.series.first() else {
        return;
    };
    let xs = x_positions(series.points.len(), x0, x1);
    for (i, max) in chart.category_max.iter().enumerate() {
        if let (Some(max), Some(x)) = (max, xs.get(i)) {
            let y = scale.at(*max);
            shapes.push(Shape::Line {
                x1: x - 24.0,
                y1: y,
                x2: x + 24.0,
                y2: y,
                role: Role::Maximum,
                dashed: true,
            });
            shapes.push(text(
                x + 26.0,
                y + 4.0,
                format!("tối đa {}", format_number(*max, 0)),
                Anchor::Start,
                10.0,
                Role::Label,
            ));
        }
    }
    x_labels(&chart.categories, &xs, y1, shapes);
    line_with_points(series, &xs, scale, 0, &chart.unit, shapes, |p| {
        format_number(p.value, 2)
    });
}

pub(super) fn line_with_points(
    series: &crate::chart::Series,
    xs: &[f64],
    scale: Scale,
    n: usize,
    unit: &str,
    shapes: &mut Vec<Shape>,
    value_label: impl Fn(&Point) -> String,
) {
    let points: Vec<(f64, f64)> = series
        .points
        .iter()
        .zip(xs)
        .map(|(p, x)| (*x, scale.at(p.value)))
        .collect();
    if points.len() > 1 {
        shapes.push(Shape::Polyline {
            points: points.clone(),
            role: Role::Series(n),
        });
    }
    for (p, (x, y)) in series.points.iter().zip(points) {
        let role = if p.failed {
            Role::Failed
        } else {
            Role::Series(n)
        };
        shapes.push(Shape::Circle {
            cx: x,
            cy: y,
            r: if p.failed { 6.0 } else { 4.5 },
            role,
            tip: tip(p, unit),
        });
        shapes.push(text(
            x,
            y - 10.0,
            value_label(p),
            Anchor::Middle,
            12.0,
            Role::Value,
        ));
    }
}

/// Vertical bars; several series stack.
pub(super) fn bars(chart: &Chart, plot: (f64, f64, f64, f64), shapes: &mut Vec<Shape>) {
    let (x0, y0, x1, y1) = plot;
    let n = chart.categories.len();
    let totals: Vec<f64> = (0..n)
        .map(|i| {
            chart
                .series
                .iter()
                .filter_map(|s| s.points.get(i))
                .map(|p| p.value.max(0.0))
                .sum()
        })
        .collect();
    let ticks = nice_ticks(0.0, totals.iter().copied().fold(1.0, f64::max), 5);
    let scale = Scale {
        from: (0.0, *ticks.last().unwrap_or(&1.0)),
        to: (y1, y0),
    };
    y_ticks(&ticks, scale, plot, shapes);
    let xs = x_positions(n, x0, x1 - if chart.series.len() > 1 { 150.0 } else { 0.0 });
    let width = ((x1 - x0) / n.max(1) as f64 * 0.45).min(90.0);
    for (i, x) in xs.iter().enumerate() {
        let mut base = 0.0;
        for (s, series) in chart.series.iter().enumerate() {
            let Some(p) = series.points.get(i) else {
                continue;
            };
            let (top, bottom) = (scale.at(base + p.value.max(0.0)), scale.at(base));
            let role = if p.failed {
                Role::Failed
            } else {
                Role::Series(if chart.series.len() > 1 { s } else { i })
            };
            shapes.push(Shape::Rect {
                x: x - width / 2.0,
                y: top,
                w: width,
                h: bottom - top,
                role,
                tip: tip(p, &chart.unit),
            });
            if chart.series.len() > 1 && bottom - top > 14.0 {
                shapes.push(text(
                    *x,
                    (top + bottom) / 2.0 + 4.0,
                    format_number(p.value, 2),
                    Anchor::Middle,
                    10.0,
                    Role::Value,
                ));
            }
            base += p.value.max(0.0);
        }
        shapes.push(text(
            *x,
            scale.at(base) - 6.0,
            format_number(totals[i], 2),
            Anchor::Middle,
            12.0,
            Role::Value,
        ));
    }
    axes(plot, shapes);
    x_labels(&chart.categories, &xs, y1, shapes);
    if chart.series.len() > 1 {
        for (s, series) in chart.series.iter().enumerate() {
            let y = y0 + 8.0 + s as f64 * 22.0;
            shapes.push(Shape::Rect {
                x: x1 - 140.0,
                y: y - 9.0,
                w: 12.0,
                h: 12.0,
                role: Role::Series(s),
                tip: String::new(),
            });
            shapes.push(text(
                x1 - 122.0,
                y + 1.0,
                clip(&series.name, 22),
                Anchor::Start,
                10.0,
                Role::Label,
            ));
        }
    }
}

/// Horizontal bars, one per entity, largest first.
pub(super) fn entity_bars(chart: &Chart, shapes: &mut Vec<Shape>) {
    let Some(series) = chart.series.first() else {
        return;
    };
    let (x0, y0, x1, y1) = (190.0, TOP, WIDTH - 70.0, HEIGHT - 12.0);
    let n = series.points.len().max(1);
    let top = series.points.iter().map(|p| p.value).fold(1.0, f64::max);
    let ticks = nice_ticks(0.0, top, 4);
    let scale = Scale {
        from: (0.0, *ticks.last().unwrap_or(&1.0)),
        to: (x0, x1),
    };
    let step = (y1 - y0) / n as f64;
    for (i, p) in series.points.iter().enumerate() {
        let y = y0 + step * i as f64;
        let role = if p.failed {
            Role::Failed
        } else if p.cell.is_none() {
            Role::Grid
        } else {
            Role::Series(0)
        };
        let h = (step * 0.7).max(1.0);
        shapes.push(Shape::Rect {
            x: x0,
            y,
            w: scale.at(p.value.max(0.0)) - x0,
            h,
            role,
            tip: tip(p, &chart.unit),
        });
        let size = (step * 0.7).clamp(6.0, 11.0);
        shapes.push(text(
            x0 - 6.0,
            y + h * 0.8,
            clip(&p.label, 30),
            Anchor::End,
            size,
            Role::Label,
        ));
        shapes.push(text(
            scale.at(p.value.max(0.0)) + 4.0,
            y + h * 0.8,
            format_number(p.value, 2),
            Anchor::Start,
            size,
            Role::Value,
        ));
    }
    shapes.push(axis_line((x0, y0), (x0, y1)));
}
