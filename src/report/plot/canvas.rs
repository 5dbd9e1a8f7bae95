//! Draws one figure twice, on a bitmap (encoded as PNG) and as SVG, from the same drawing code.
//! Both are pure functions of the data: no timestamps, no system fonts, a fixed PNG encoder
//! setting, so re-rendering the same inputs gives the same bytes.

use super::style::{HEIGHT, WIDTH};
use super::{font, PlotError};
use crate::report::OutputFile;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The result of drawing on a backend of type `DB`.
pub(super) type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A plot that can draw itself on any backend.
pub(super) trait Figure {
    /// Canvas size [px]: width, height.
    fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

/// Renders `figure` as `<stem>.png` and `<stem>.svg`.
pub(super) fn render(stem: &str, figure: &impl Figure) -> Result<Vec<OutputFile>, PlotError> {
    font::register();
    let png_name = format!("{stem}.png");
    let svg_name = format!("{stem}.svg");
    let draw_err = |file: &str, e: &dyn std::fmt::Display| PlotError::Draw {
        file: file.to_string(),
        message: e.to_string(),
    };

    let (width, height) = figure.size();
    let mut rgb = vec![0u8; (width * height * 3) as usize];
    {
        let root = font::Kerned(BitMapBackend::with_buffer(&mut rgb, (width, height))).into_drawing_area();
        root.fill(&WHITE).map_err(|e| draw_err(&png_name, &e))?;
        figure.draw(&root).map_err(|e| draw_err(&png_name, &e))?;
        root.present().map_err(|e| draw_err(&png_name, &e))?;
    }
    let png = encode_png(&rgb, width, height).map_err(|e| draw_err(&png_name, &e))?;

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| draw_err(&svg_name, &e))?;
        figure.draw(&root).map_err(|e| draw_err(&svg_name, &e))?;
        root.present().map_err(|e| draw_err(&svg_name, &e))?;
    }
    Ok(vec![
        OutputFile {
            name: png_name,
            bytes: png,
        },
        OutputFile {
            name: svg_name,
            bytes: svg.into_bytes(),
        },
    ])
}

fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Default);
        let mut w = enc.write_header()?;
        w.write_image_data(rgb)?;
        w.finish()?;
    }
    Ok(out)
}

/// Splits the canvas into the chart (top) and the legend strip (bottom).
pub(super) fn with_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    with_legend_height(root, super::style::LEGEND_HEIGHT)
}

/// Splits the canvas into the chart and a legend strip `legend` [px] high.
pub(super) fn with_legend_height<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    legend: u32,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let (_, h) = root.dim_in_pixel();
    root.split_vertically(h - legend)
}

/// Draws `message` in the middle of an area: what a plot shows when it has nothing to draw.
pub(super) fn message<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, message: &str) -> DrawResult<DB> {
    let (w, h) = area.dim_in_pixel();
    let style = super::style::label().pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Center,
        plotters::style::text_anchor::VPos::Center,
    ));
    area.draw(&Text::new(message.to_string(), (w as i32 / 2, h as i32 / 2), style))
}
