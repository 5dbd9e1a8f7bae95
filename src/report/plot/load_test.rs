//! `test-<n>.{png,svg}`: one load test of a `fleetsim loadtest` job, minute by minute: the
//! users the pattern put on the endpoint, the invocations they made (with `MaxInvocations`),
//! and the model latency (with the latency threshold), the minute that stopped the test marked
//! on all three panels.

use super::axis;
use super::canvas::{self, DrawResult, Figure};
use super::chart::{LEGEND_LEFT, MARGIN, Y_LABEL_AREA};
use super::legend::{self, entry, Glyph};
use super::style::{self, BLUE, GREEN, GREY, ORANGE, PURPLE, RED};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What the plot of one test shows (one entry per kept minute).
#[derive(Clone, Debug, PartialEq)]
pub struct LoadTestPlot {
    pub users: Vec<u32>,
    pub invocations: Vec<u64>,
    pub latency_mean_ms: Vec<Option<f64>>,
    /// The threshold's percentile of model latency per minute \[ms\].
    pub latency_at_threshold_ms: Vec<Option<f64>>,
    /// `(percentile, threshold [ms])`.
    pub threshold: Option<(f64, f64)>,
    pub max_invocations: Option<u64>,
    /// Why the test stopped.
    pub stop: String,
    /// The test never started before the job's duration: its minutes were not kept.
    pub skipped: bool,
}

pub(super) struct LoadTest<'a> {
    title: &'a str,
    data: &'a LoadTestPlot,
}

impl<'a> LoadTest<'a> {
    pub(super) fn new(title: &'a str, data: &'a LoadTestPlot) -> Self {
        LoadTest { title, data }
    }

    /// Minutes on the x axis (at least one, so an empty test still has an axis).
    fn x_end(&self) -> f64 {
        self.data.users.len().max(1) as f64
    }
}

/// Values drawn as steps over whole minutes: minute `k` spans `[k, k + 1)`.
fn steps(values: &[Option<f64>]) -> Vec<Vec<(f64, f64)>> {
    let xs: Vec<f64> = (0..values.len()).map(|k| k as f64).collect();
    axis::step_segments(&xs, values, values.len() as f64)
}

impl Figure for LoadTest<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (area, legend_area) = canvas::with_legend(root);
        let (title_area, panels) = area.split_vertically(36);
        title_area.draw(&Text::new(
            self.title.to_string(),
            (LEGEND_LEFT, 18),
            style::title().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        let d = self.data;
        if d.skipped {
            return canvas::message(&panels, "not run: its turn came after JobDurationInSeconds");
        }
        let parts = panels.split_evenly((3, 1));
        let end = self.x_end();
        let stop_at = (d.stop != "PatternComplete").then_some(d.users.len() as f64);

        let users: Vec<Option<f64>> = d.users.iter().map(|&u| Some(f64::from(u))).collect();
        let invocations: Vec<Option<f64>> = d.invocations.iter().map(|&n| Some(n as f64)).collect();
        let inv_top = axis::max_of(&invocations).max(d.max_invocations.map_or(0.0, |m| m as f64 * 1.05));
        let lat_top = axis::max_of(d.latency_mean_ms.iter().chain(&d.latency_at_threshold_ms))
            .max(d.threshold.map_or(0.0, |t| t.1 * 1.1));

        let panel =
            |i: usize, y_max: f64, y_desc: &str, last: bool| -> Result<_, DrawingAreaErrorKind<DB::ErrorType>> {
                let mut chart = ChartBuilder::on(&parts[i])
                    .margin(MARGIN / 2)
                    .margin_right(MARGIN + 16)
                    .x_label_area_size(if last { 40 } else { 8 })
                    .y_label_area_size(Y_LABEL_AREA)
                    .build_cartesian_2d(0f64..end, 0f64..axis::upper(y_max))?;
                let mut mesh = chart.configure_mesh();
                mesh.y_desc(y_desc)
                    .axis_desc_style(style::label())
                    .label_style(style::tick())
                    .x_labels(12)
                    .y_labels(4)
                    .x_label_formatter(&|v| axis::number(*v))
                    .y_label_formatter(&|v| axis::number(*v))
                    .bold_line_style(RGBColor(225, 225, 225))
                    .light_line_style(RGBColor(243, 243, 243));
                if last {
                    mesh.x_desc("minutes since the test started");
                }
                mesh.draw()?;
                Ok(chart)
            };

        let mut entries = vec![];
        let mut top = panel(0, axis::max_of(&users), "users", false)?;
        for seg in steps(&users) {
            top.draw_series(LineSeries::new(seg, PURPLE.stroke_width(3)))?;
        }
        entries.push(entry(Glyph::Line(PURPLE, 3), "users"));

        let mut mid = panel(1, inv_top, "invocations / min", false)?;
        for seg in steps(&invocations) {
            mid.draw_series(LineSeries::new(seg, BLUE.stroke_width(3)))?;
        }
        entries.push(entry(Glyph::Line(BLUE, 3), "invocations per minute"));
        if let Some(m) = d.max_invocations {
            let m = m as f64;
            mid.draw_series(DashedLineSeries::new(
                vec![(0.0, m), (end, m)],
                12,
                6,
                RED.stroke_width(2),
            ))?;
            entries.push(entry(
                Glyph::Dashed(RED, 2),
                format!("MaxInvocations {}", axis::number(m)),
            ));
        }

        let mut bottom = panel(2, lat_top, "model latency [ms]", true)?;
        for seg in steps(&d.latency_mean_ms) {
            bottom.draw_series(LineSeries::new(seg, ORANGE.stroke_width(2)))?;
        }
        entries.push(entry(Glyph::Line(ORANGE, 2), "mean"));
        if let Some((p, limit)) = d.threshold {
            for seg in steps(&d.latency_at_threshold_ms) {
                bottom.draw_series(LineSeries::new(seg, GREEN.stroke_width(2)))?;
            }
            entries.push(entry(Glyph::Line(GREEN, 2), format!("p{}", axis::number(p))));
            bottom.draw_series(DashedLineSeries::new(
                vec![(0.0, limit), (end, limit)],
                12,
                6,
                RED.stroke_width(2),
            ))?;
            entries.push(entry(
                Glyph::Dashed(RED, 2),
                format!("threshold p{} {} ms", axis::number(p), axis::number(limit)),
            ));
        }

        if let Some(x) = stop_at {
            for chart in [&mut top, &mut mid, &mut bottom] {
                let y_top = chart.y_range().end;
                chart.draw_series(DashedLineSeries::new(
                    vec![(x, 0.0), (x, y_top)],
                    6,
                    5,
                    GREY.stroke_width(2),
                ))?;
            }
            let y_top = top.y_range().end;
            top.draw_series(std::iter::once(Text::new(
                format!("stop: {}", d.stop),
                (x, y_top),
                style::small().pos(Pos::new(HPos::Right, VPos::Top)),
            )))?;
            entries.push(entry(Glyph::Dashed(GREY, 2), format!("stopped: {}", d.stop)));
        } else {
            entries.push(entry(Glyph::Dashed(GREY, 0), "ran to the end of the pattern"));
        }
        legend::draw(&legend_area, LEGEND_LEFT, &entries)
    }
}
