//! `traffic.{png,svg}`, for runs with a deployment: each endpoint configuration's share of its
//! variant's invocations per period (`<variant>@<config>.traffic_share`), with the deployment's
//! start, stages, rollback and end marked.

use super::canvas::{self, DrawResult, Figure};
use super::chart::{self, LEGEND_LEFT};
use super::legend::{self, entry, Glyph};
use super::run_data::RunData;
use super::style::{self, DARK, GREEN, GREY, RED};
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const SUFFIX: &str = ".traffic_share";

pub(super) struct Traffic<'a> {
    data: &'a RunData,
    xs: Vec<f64>,
    /// `(variant@config, share [%])`.
    series: Vec<(String, Vec<Option<f64>>)>,
    /// `(time [s], kind)` of deployment activities.
    marks: Vec<(f64, String)>,
}

/// Whether the run had a deployment: its time series has traffic-share columns.
pub(super) fn applies(data: &RunData) -> bool {
    data.ts.header().iter().any(|h| h.contains('@') && h.ends_with(SUFFIX))
}

impl<'a> Traffic<'a> {
    pub(super) fn new(data: &'a RunData) -> Result<Self, PlotError> {
        let series = data
            .ts
            .header()
            .iter()
            .filter(|h| h.contains('@') && h.ends_with(SUFFIX))
            .map(|h| Ok((h.trim_end_matches(SUFFIX).to_string(), data.ts.numbers(h)?)))
            .collect::<Result<_, PlotError>>()?;
        let marks = data
            .activities
            .iter()
            .filter(|a| a.kind.starts_with("Deployment"))
            .map(|a| (a.time_s, a.kind.clone()))
            .collect();
        Ok(Traffic {
            data,
            xs: data.xs(),
            series,
            marks,
        })
    }
}

impl Figure for Traffic<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (area, legend_area) = canvas::with_legend(root);
        let mut chart = chart::time_chart(&area, self.data, "Where does traffic go during the deployment?", 112.0)?;
        chart::mesh(
            &mut chart,
            self.data,
            "share of the variant's invocations per period [%]",
        )?;
        let mut entries = vec![];
        let kinds = [
            ("DeploymentStart", GREEN, "deployment start"),
            ("DeploymentStage", GREY, "stage"),
            ("DeploymentEnd", DARK, "deployment end"),
        ];
        for (kind, colour, label) in kinds {
            let xs: Vec<f64> = self
                .marks
                .iter()
                .filter(|m| m.1 == kind)
                .map(|m| self.data.time.x(m.0))
                .collect();
            for x in &xs {
                chart::vline(&mut chart, *x, colour.mix(0.7).stroke_width(2), true)?;
            }
            if !xs.is_empty() {
                entries.push(entry(Glyph::Dashed(colour, 2), label));
            }
        }
        for (i, (label, ys)) in self.series.iter().enumerate() {
            let colour = style::series_colour(i);
            chart::broken_line(&mut chart, &self.xs, ys, colour.stroke_width(3))?;
            entries.push(entry(Glyph::Line(colour, 3), label.clone()));
        }
        let rollbacks: Vec<f64> = self
            .marks
            .iter()
            .filter(|m| m.1 == "DeploymentRollback")
            .map(|m| m.0)
            .collect();
        for t in &rollbacks {
            let x = self.data.time.x(*t);
            chart::vline(&mut chart, x, RED.stroke_width(3), false)?;
            chart.draw_series(std::iter::once(Text::new(
                format!(" rollback at {}", self.data.time.instant(*t)),
                (x, 102.0),
                style::small().color(&RED).pos(Pos::new(HPos::Left, VPos::Bottom)),
            )))?;
        }
        if !rollbacks.is_empty() {
            entries.push(entry(Glyph::Line(RED, 3), "rollback"));
        }
        legend::draw(&legend_area, LEGEND_LEFT, &entries)
    }
}
