//! `backlog.{png,svg}`: requests waiting for a worker slot, at each period's end (drawn at that
//! end) and the most during the period, with the requests that failed in the period: the
//! `failed` column (4XX, serverless throttles among them, 5XX, timed out, rejected).

use super::axis;
use super::canvas::{self, DrawResult, Figure};
use super::chart::{self, LEGEND_LEFT};
use super::legend::{self, entry, Glyph};
use super::run_data::RunData;
use super::style::{BLUE, RED};
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;

pub(super) struct Backlog<'a> {
    data: &'a RunData,
    xs: Vec<f64>,
    xs_end: Vec<f64>,
    end: Vec<Option<f64>>,
    max: Vec<Option<f64>>,
    /// Failed requests per period.
    lost: Vec<Option<f64>>,
}

impl<'a> Backlog<'a> {
    pub(super) fn new(data: &'a RunData) -> Result<Self, PlotError> {
        let lost = if data.ts.has("failed") {
            data.ts.numbers("failed")?
        } else {
            // A file written before the `failed` column: its parts.
            let parts = ["errors_4xx", "errors_5xx", "timed_out", "rejected"]
                .iter()
                .map(|c| data.column(c))
                .collect::<Result<Vec<_>, _>>()?;
            (0..data.t.len())
                .map(|i| Some(parts.iter().map(|p| p[i].unwrap_or(0.0)).sum()))
                .collect()
        };
        Ok(Backlog {
            data,
            xs: data.xs(),
            xs_end: data.xs_end(),
            end: data.ts.numbers("backlog")?,
            max: data.ts.numbers("backlog_max")?,
            lost,
        })
    }
}

impl Figure for Backlog<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (area, legend_area) = canvas::with_legend(root);
        let y_max = axis::upper(axis::max_of(self.max.iter().chain(&self.end).chain(&self.lost)));
        let mut chart = chart::time_chart(&area, self.data, "Are requests waiting or failing?", y_max)?;
        chart::mesh(&mut chart, self.data, "requests (count)")?;
        for seg in axis::step_segments(&self.xs, &self.max, self.data.x_end()) {
            chart.draw_series(AreaSeries::new(seg, 0.0, BLUE.mix(0.18)))?;
        }
        chart::gauge_line(&mut chart, &self.xs_end, &self.end, BLUE.stroke_width(2))?;
        let mut entries = vec![
            entry(Glyph::Band(BLUE), "most waiting during the period"),
            entry(Glyph::Line(BLUE, 2), "waiting at the period's end"),
        ];
        if self.lost.iter().flatten().any(|v| *v > 0.0) {
            chart::broken_line(&mut chart, &self.xs, &self.lost, RED.stroke_width(2))?;
            entries.push(entry(
                Glyph::Line(RED, 2),
                "failed in the period (4XX incl. throttled, 5XX, timed out, rejected)",
            ));
        }
        legend::draw(&legend_area, LEGEND_LEFT, &entries)
    }
}
