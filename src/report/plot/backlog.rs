//! `backlog.{png,svg}`: requests waiting for a worker slot, at each period's end and the most
//! during the period, with the requests the endpoint turned away (timed out or rejected).

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
    end: Vec<Option<f64>>,
    max: Vec<Option<f64>>,
    /// Timed out plus rejected requests per period.
    lost: Vec<Option<f64>>,
}

impl<'a> Backlog<'a> {
    pub(super) fn new(data: &'a RunData) -> Result<Self, PlotError> {
        let timed_out = data.ts.numbers("timed_out")?;
        let rejected = data.ts.numbers("rejected")?;
        let lost = timed_out
            .iter()
            .zip(&rejected)
            .map(|(a, b)| Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)))
            .collect();
        Ok(Backlog {
            data,
            xs: data.xs(),
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
        let mut chart = chart::time_chart(&area, self.data, "Backlog", y_max)?;
        chart::mesh(&mut chart, self.data, "requests")?;
        for seg in axis::step_segments(&self.xs, &self.max, self.data.x_end()) {
            chart.draw_series(AreaSeries::new(seg, 0.0, BLUE.mix(0.18)))?;
        }
        chart::broken_line(&mut chart, &self.xs, &self.end, BLUE.stroke_width(2))?;
        let mut entries = vec![
            entry(Glyph::Band(BLUE), "most waiting during the period"),
            entry(Glyph::Line(BLUE, 2), "waiting at the period's end"),
        ];
        if self.lost.iter().flatten().any(|v| *v > 0.0) {
            chart::broken_line(&mut chart, &self.xs, &self.lost, RED.stroke_width(2))?;
            entries.push(entry(Glyph::Line(RED, 2), "timed out or rejected in the period"));
        }
        legend::draw(&legend_area, LEGEND_LEFT, &entries)
    }
}
