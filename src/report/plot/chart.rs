//! The time chart every per-run plot starts from: title, axes with units, a light grid, and
//! helpers to draw broken lines and vertical event markers on it.

use super::axis;
use super::canvas::DrawResult;
use super::run_data::RunData;
use super::style;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

pub(super) type TimeChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Widths [px] of the label areas; the legend starts at `MARGIN + Y_LABEL_AREA` to line up
/// with the plotting area.
pub(super) const MARGIN: u32 = 14;
pub(super) const X_LABEL_AREA: u32 = 50;
pub(super) const Y_LABEL_AREA: u32 = 72;
pub(super) const LEGEND_LEFT: i32 = (MARGIN + Y_LABEL_AREA) as i32;

/// Builds a chart over the run's time range with `0..y_max` on the y axis.
pub(super) fn time_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    data: &RunData,
    title: &str,
    y_max: f64,
) -> Result<TimeChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    ChartBuilder::on(area)
        .caption(format!("{title} · {}", data.scenario), style::title())
        .margin(MARGIN)
        .margin_right(MARGIN + 16)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(Y_LABEL_AREA)
        .build_cartesian_2d(0f64..data.x_end(), 0f64..y_max)
}

/// Draws the grid, ticks and axis descriptions.
pub(super) fn mesh<DB: DrawingBackend>(chart: &mut TimeChart<'_, DB>, data: &RunData, y_desc: &str) -> DrawResult<DB> {
    chart
        .configure_mesh()
        .x_desc(data.time.description())
        .y_desc(y_desc)
        .axis_desc_style(style::label())
        .label_style(style::tick())
        .x_labels(12)
        .y_labels(8)
        .x_label_formatter(&|v| data.time.label(*v))
        .y_label_formatter(&|v| axis::number(*v))
        .bold_line_style(RGBColor(225, 225, 225))
        .light_line_style(RGBColor(243, 243, 243))
        .draw()
}

/// Draws gauges read at each period's end (`xs` the ends) as a sample-and-hold line: a value
/// holds from its reading until the next one, so a change appears where the file's end time
/// says it was seen, never before.
pub(super) fn gauge_line<DB: DrawingBackend>(
    chart: &mut TimeChart<'_, DB>,
    xs_end: &[f64],
    ys: &[Option<f64>],
    style: ShapeStyle,
) -> DrawResult<DB> {
    broken_line(chart, xs_end, ys, style)
}

/// Draws per-period values as steps, with gaps where values are missing.
pub(super) fn broken_line<DB: DrawingBackend>(
    chart: &mut TimeChart<'_, DB>,
    xs: &[f64],
    ys: &[Option<f64>],
    style: ShapeStyle,
) -> DrawResult<DB> {
    let end = chart.x_range().end;
    for seg in axis::step_segments(xs, ys, end) {
        chart.draw_series(LineSeries::new(seg, style))?;
    }
    Ok(())
}

/// A vertical line across the chart at `x`.
pub(super) fn vline<DB: DrawingBackend>(
    chart: &mut TimeChart<'_, DB>,
    x: f64,
    style: ShapeStyle,
    dashed: bool,
) -> DrawResult<DB> {
    let top = chart.y_range().end;
    if dashed {
        chart.draw_series(DashedLineSeries::new(vec![(x, 0.0), (x, top)], 6, 5, style))?;
    } else {
        chart.draw_series(LineSeries::new(vec![(x, 0.0), (x, top)], style))?;
    }
    Ok(())
}
