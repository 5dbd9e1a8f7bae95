//! `cost.{png,svg}`: the cumulative instance cost over the run, with the total written at the end.

use super::axis;
use super::canvas::{self, DrawResult, Figure};
use super::chart::{self, LEGEND_LEFT};
use super::legend::{self, entry, Glyph};
use super::run_data::RunData;
use super::style::{self, GREEN};
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) struct Cost<'a> {
    data: &'a RunData,
    /// `(x at period end, cumulative cost [USD])`, starting at `(0, 0)`.
    points: Vec<(f64, f64)>,
}

impl<'a> Cost<'a> {
    pub(super) fn new(data: &'a RunData) -> Result<Self, PlotError> {
        let cum = data.ts.numbers("cost_cum_usd")?;
        let mut points = vec![];
        if cum.iter().all(Option::is_some) && !cum.is_empty() {
            // A row's cumulative cost is reached at the end of its period.
            points.push((0.0, 0.0));
            for (end, c) in data.t_end.iter().zip(&cum) {
                points.push((data.time.x(*end), c.unwrap_or(0.0)));
            }
        }
        Ok(Cost { data, points })
    }
}

impl Figure for Cost<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (area, legend_area) = canvas::with_legend(root);
        let total = self.points.last().map(|p| p.1).unwrap_or(0.0);
        let mut chart = chart::time_chart(
            &area,
            self.data,
            "What has the endpoint cost so far?",
            axis::upper(total),
        )?;
        chart::mesh(&mut chart, self.data, "cumulative instance cost [USD]")?;
        if self.points.is_empty() {
            canvas::message(
                &area,
                "no cost: an instance type has no price (instance_types[].price_per_hour)",
            )?;
            return Ok(());
        }
        chart.draw_series(AreaSeries::new(self.points.clone(), 0.0, GREEN.mix(0.15)))?;
        chart.draw_series(LineSeries::new(self.points.clone(), GREEN.stroke_width(3)))?;
        let (x, y) = *self.points.last().expect("non-empty");
        chart.draw_series(std::iter::once(Text::new(
            format!("${total:.2}"),
            (x, y),
            style::label().pos(Pos::new(HPos::Right, VPos::Bottom)),
        )))?;
        legend::draw(
            &legend_area,
            LEGEND_LEFT,
            &[entry(
                Glyph::Line(GREEN, 3),
                "instance cost since the start (billed from launch request to termination)",
            )],
        )
    }
}
