//! A chart in the page: the core's shapes as SVG nodes, with an accessible
//! name, a table of the figures as a fallback, and SVG/PNG downloads.

use super::state::t;
use crate::services;
use baocao::chart::draw::{draw, Anchor, Paint, Shape};
use baocao::chart::svg::to_svg;
use baocao::chart::Chart;
use baocao::model::Lang;
use baocao::vn::format_number;
use yew::prelude::*;

/// Pixels of the PNG: 2.5 × the 640-unit canvas, ≥ 250 dpi at 160 mm.
pub const PNG_SCALE: f64 = 2.5;

pub fn svg_nodes(chart: &Chart) -> Html {
    let d = draw(chart);
    let f = |v: f64| format!("{v:.1}");
    let shapes = d.shapes.iter().map(|s| match s {
        Shape::Line { x1, y1, x2, y2, role, dashed } => {
            let p = Paint::of(*role);
            html! { <line x1={f(*x1)} y1={f(*y1)} x2={f(*x2)} y2={f(*y2)} stroke={p.stroke} stroke-width={p.width.to_string()}
                stroke-dasharray={dashed.then_some("5 4")} /> }
        }
        Shape::Rect { x, y, w, h, role, tip } => {
            let p = Paint::of(*role);
            html! { <rect x={f(*x)} y={f(*y)} width={f(w.max(0.0))} height={f(h.max(0.0))} fill={p.fill}><title>{ tip.clone() }</title></rect> }
        }
        Shape::Polyline { points, role } => {
            let p = Paint::of(*role);
            let pts: Vec<String> = points.iter().map(|(x, y)| format!("{},{}", f(*x), f(*y))).collect();
            html! { <polyline points={pts.join(" ")} fill="none" stroke={p.stroke} stroke-width={p.width.to_string()} /> }
        }
        Shape::Circle { cx, cy, r, role, tip } => {
            let p = Paint::of(*role);
            html! { <circle cx={f(*cx)} cy={f(*cy)} r={f(*r)} fill={p.fill}><title>{ tip.clone() }</title></circle> }
        }
        Shape::Text { x, y, text, anchor, size, role } => {
            let anchor = match anchor {
                Anchor::Start => "start",
                Anchor::Middle => "middle",
                Anchor::End => "end",
            };
            html! { <text x={f(*x)} y={f(*y)} text-anchor={anchor} font-size={f(*size)} fill={Paint::of(*role).fill}>{ text.clone() }</text> }
        }
    });
    html! {
        <svg viewBox={format!("0 0 {} {}", d.width, d.height)} role="img" aria-label={chart.description()} lang="vi"
            class="chart-svg" font-family="'Times New Roman','Liberation Serif',serif">
            <rect width="100%" height="100%" fill="#ffffff" />
            { for shapes }
        </svg>
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub chart: Chart,
    pub lang: Lang,
}

#[function_component(ChartCard)]
pub fn chart_card(props: &Props) -> Html {
    let chart = &props.chart;
    let lang = props.lang;
    let error = use_state(|| None::<String>);
    let file_name = |ext: &str| format!("bieu-do-{}.{ext}", chart.id.to_lowercase());
    // The SVG file is written when asked for, not at every render: a large
    // drop renders a dozen charts, and nobody downloads most of them.
    let shared = std::rc::Rc::new(chart.clone());
    let svg_text = move || to_svg(&draw(&shared), &shared.description());
    let download_svg = {
        let (svg, name, error) = (svg_text.clone(), file_name("svg"), error.clone());
        Callback::from(move |_| {
            error.set(services::download(svg().as_bytes(), &name, "image/svg+xml").err())
        })
    };
    let download_png = {
        let (svg, name, error) = (svg_text, file_name("png"), error.clone());
        Callback::from(move |_| {
            let (svg, name, error) = (svg(), name.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let (w, h) = ((640.0 * PNG_SCALE) as u32, (360.0 * PNG_SCALE) as u32);
                let result = match services::svg_to_png(&svg, w, h).await {
                    Ok(png) => services::download(&png, &name, "image/png"),
                    Err(e) => Err(e),
                };
                error.set(result.err());
            });
        })
    };
    let failed = chart
        .series
        .iter()
        .flat_map(|s| &s.points)
        .filter(|p| p.failed)
        .count();
    html! {
        <figure class="chart" data-testid="chart" data-chart={chart.id.clone()} aria-label={chart.description_in(lang)}
            data-failed={failed.to_string()}>
            { svg_nodes(chart) }
            <figcaption><span translate="no">{ chart.title.clone() }</span>
                if failed > 0 { <span class="chart-failed">{ format!(" — {failed} {}", t(lang, "số liệu có lỗi kiểm tra", "figures failed a check")) }</span> }
            </figcaption>
            <details>
                <summary>{ t(lang, "Bảng số liệu", "Data table") }</summary>
                <table class="chart-table">
                    <thead><tr><th scope="col">{ "" }</th>{ for chart.series.iter().map(|s| html! { <th scope="col">{ s.name.clone() }</th> }) }</tr></thead>
                    <tbody>
                        { for chart.categories.iter().enumerate().map(|(i, c)| html! {
                            <tr><th scope="row">{ c.clone() }</th>
                                { for chart.series.iter().map(|s| html! {
                                    <td>{ s.points.get(i).map(|p| format_number(p.value, 2)).unwrap_or_default() }</td>
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </details>
            <div class="chart-actions">
                <button type="button" class="chip" onclick={download_svg}
                    aria-label={format!("{} SVG: {}", t(lang, "Tải", "Download"), chart.title)}>{ "SVG" }</button>
                <button type="button" class="chip" onclick={download_png}
                    aria-label={format!("{} PNG: {}", t(lang, "Tải", "Download"), chart.title)}>{ "PNG" }</button>
            </div>
            if let Some(e) = (*error).clone() { <p class="notice" role="alert">{ e }</p> }
        </figure>
    }
}
