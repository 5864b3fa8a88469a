//! Charts as pictures: an SVG drawn on a canvas and taken out as PNG, for
//! the DOCX.

use super::describe;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, Url};

/// Draws an SVG document onto a canvas `width_px` wide and returns it as PNG.
/// The SVG is our own chart writer's output (every string escaped).
pub async fn svg_to_png(svg: &str, width_px: u32, height_px: u32) -> Result<Vec<u8>, String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let parts = Array::new();
    parts.push(&JsValue::from_str(svg));
    let options = BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let image = web_sys::HtmlImageElement::new().map_err(describe)?;
    image.set_src(&url);
    let decoded = JsFuture::from(image.decode()).await;
    let _ = Url::revoke_object_url(&url);
    decoded.map_err(describe)?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| "no canvas".to_string())?;
    canvas.set_width(width_px);
    canvas.set_height(height_px);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(describe)?
        .ok_or("no 2d context")?
        .dyn_into()
        .map_err(|_| "no 2d context".to_string())?;
    context
        .draw_image_with_html_image_element_and_dw_and_dh(
            &image,
            0.0,
            0.0,
            f64::from(width_px),
            f64::from(height_px),
        )
        .map_err(describe)?;
    // A data URL is synchronous; decode its base64 tail into bytes.
    let data_url = canvas
        .to_data_url_with_type("image/png")
        .map_err(describe)?;
    let b64 = data_url
        .split_once(',')
        .map(|(_, b)| b)
        .ok_or("no PNG data")?;
    let binary = web_sys::window()
        .ok_or("no window")?
        .atob(b64)
        .map_err(describe)?;
    Ok(binary.chars().map(|c| c as u8).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn charts_rasterise_to_png_through_a_canvas() -> Result<(), JsValue> {
        let ws = baocao::workspace::Workspace::sample();
        let chart = ws
            .charts()
            .first()
            .cloned()
            .ok_or("the sample has charts")?;
        let svg =
            baocao::chart::svg::to_svg(&baocao::chart::draw::draw(&chart), &chart.description());
        let png = svg_to_png(&svg, 1600, 900).await?;
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, at bytes 16..24.
        assert_eq!(
            u32::from_be_bytes([png[16], png[17], png[18], png[19]]),
            1600
        );
        assert!(
            png.len() > 5_000,
            "a drawn chart, not an empty canvas: {} bytes",
            png.len()
        );
        Ok(())
    }
}
