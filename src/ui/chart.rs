//! A chart in the page: the core's shapes as SVG nodes, with an accessible
//! name, a table of the figures as a fallback, and SVG/PNG downloads.

use super::state::t;
use crate::services;
use baocao::chart::draw::draw;
use baocao::chart::svg::{to_inline_svg, to_svg, view_box};
use baocao::chart::Chart;
use baocao::model::Lang;
use baocao::vn::format_number;
use yew::prelude::*;

/// Pixels of the PNG: 2.5 × the 640-unit canvas, ≥ 250 dpi at 160 mm.
pub const PNG_SCALE: f64 = 2.5;

/// A chart drawn for the page: its SVG element's markup, and its view box
/// (all a copy that is only measured needs).
pub struct DrawnChart {
    pub view_box: String,
    svg: AttrValue,
}

impl DrawnChart {
    pub fn of(chart: &Chart) -> DrawnChart {
        let d = draw(chart);
        DrawnChart {
            view_box: view_box(&d),
            svg: to_inline_svg(&d, &chart.description(), "chart-svg").into(),
        }
    }

    /// The chart as one SVG element. The core writes it as escaped markup
    /// and the browser parses it at once: a chart of a few hundred shapes
    /// built node by node from wasm cost a string crossing per attribute.
    pub fn html(&self) -> Html {
        Html::from_html_unchecked(self.svg.clone())
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
    // The table of figures is made when it is first opened: a dozen charts
    // of hundreds of figures each, mostly never opened, were most of the
    // page's elements after a large drop.
    let table_opened = use_state(|| false);
    let ontoggle = {
        let table_opened = table_opened.clone();
        Callback::from(move |e: Event| {
            let open = e
                .target_dyn_into::<web_sys::Element>()
                .is_some_and(|d| d.has_attribute("open"));
            if open && !*table_opened {
                table_opened.set(true);
            }
        })
    };
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
            { DrawnChart::of(chart).html() }
            <figcaption><span translate="no">{ chart.title.clone() }</span>
                if failed > 0 { <span class="chart-failed">{ format!(" — {failed} {}", t(lang, "số liệu có lỗi kiểm tra", "figures failed a check")) }</span> }
            </figcaption>
            <details {ontoggle}>
                <summary>{ t(lang, "Bảng số liệu", "Data table") }</summary>
                if *table_opened {
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
                }
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
