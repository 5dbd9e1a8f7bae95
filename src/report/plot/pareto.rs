//! `pareto.{png,svg}`: every sweep point's mean cost against its mean p99 latency, the Pareto
//! front (no other point is both cheaper and faster) joined and highlighted, the best point
//! ringed and named. The same figure against another metric ([`Pareto::against`]) is the
//! cost-against-SLO curve of `fleetsim tune`: the metric as its constraint judges it (its
//! confidence bound when the constraint asks for one), the front recomputed on it, and the
//! constraint's bound drawn.

use super::axis;
use super::canvas::{self, DrawResult, Figure};
use super::chart::{LEGEND_LEFT, MARGIN, X_LABEL_AREA, Y_LABEL_AREA};
use super::labels;
use super::legend::{self, entry, Glyph};
use super::style::{self, BLUE, DARK, GREY, RED};
use super::sweep_data::{Point, SweepData};
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The cross of a point that breaks a constraint: dark red, apart from every other marker.
const INFEASIBLE: RGBColor = RGBColor(170, 0, 0);

const COST: &str = "cost_usd";
const P99: &str = "latency_ms.p99";

struct Dot {
    cost: f64,
    /// The latency-like metric on the y axis.
    p99: f64,
    pareto: bool,
    infeasible: bool,
    best: bool,
    label: String,
}

pub(super) struct Pareto {
    dots: Vec<Dot>,
    /// The y axis: its title, the figure's caption, and a constraint's bound to draw.
    y_desc: String,
    caption: String,
    bound: Option<(String, f64)>,
    front_label: &'static str,
}

/// Each point's label: the values of its independent axes in words (a derived axis follows
/// from them, and would only lengthen the label past the chart).
fn point_label(data: &SweepData, coords: &[usize]) -> String {
    coords
        .iter()
        .zip(&data.axes)
        .enumerate()
        .filter(|(_, (_, a))| !a.derived)
        .map(|(k, (c, a))| format!("{} = {}", data.axis_label(k), a.labels[*c]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A dot per point with a mean cost and a value in `ys` (by `sweep.csv` row); `pareto` says
/// whether a point is on the front.
fn dots(data: &SweepData, ys: &[Option<f64>], pareto: impl Fn(&Point) -> bool) -> Result<Vec<Dot>, PlotError> {
    let cost = data.stat(COST, "mean")?;
    Ok(data
        .points
        .iter()
        .enumerate()
        .filter_map(|(row, p)| {
            Some(Dot {
                cost: cost[row]?,
                p99: ys[row]?,
                pareto: pareto(p),
                infeasible: p.feasible == Some(false),
                best: data.best_point == Some(p.id),
                label: point_label(data, &p.coords),
            })
        })
        .collect())
}

impl Pareto {
    /// `None` when the sweep does not report both cost and p99 latency.
    pub(super) fn new(data: &SweepData) -> Result<Option<Self>, PlotError> {
        if !(data.table.has(&format!("{COST}.mean")) && data.table.has(&format!("{P99}.mean"))) {
            return Ok(None);
        }
        let dots = dots(data, &data.stat(P99, "mean")?, |p| p.pareto)?;
        Ok(Some(Pareto {
            dots,
            y_desc: format!("{}, mean", labels::metric(P99).text()),
            caption: format!("Cost against p99 latency: {}", data.name),
            bound: None,
            front_label: "Pareto front (cheaper or faster than any other)",
        }))
    }

    /// Cost against `metric` as the sweep's first constraint on it judges it (the
    /// `constraints[i].bound` column for a confidence bound, else the mean), with the front
    /// recomputed on the two; `None` without cost or without the metric.
    pub(super) fn against(data: &SweepData, metric: &str) -> Result<Option<Self>, PlotError> {
        if !(data.table.has(&format!("{COST}.mean")) && data.table.has(&format!("{metric}.mean"))) {
            return Ok(None);
        }
        let constraint = data.constraints.iter().enumerate().find(|(_, c)| c.metric == metric);
        let bound_column = constraint
            .filter(|(_, c)| c.confidence.is_some())
            .map(|(i, _)| format!("constraints[{i}].bound"))
            .filter(|col| data.table.has(col));
        let ys = match &bound_column {
            Some(col) => data.table.numbers(col)?,
            None => data.stat(metric, "mean")?,
        };
        let mut dots = dots(data, &ys, |_| false)?;
        let input: Vec<(usize, f64, f64)> = dots.iter().enumerate().map(|(i, d)| (i, d.cost, d.p99)).collect();
        for i in crate::sweep::objective::pareto(&input) {
            dots[i].pareto = true;
        }
        let what = labels::metric(metric).text();
        let judged = match (&bound_column, constraint) {
            (Some(_), Some((_, c))) => c.value_name(),
            _ => "mean".to_string(),
        };
        Ok(Some(Pareto {
            dots,
            y_desc: format!("{what}, {judged}"),
            caption: format!("Cost against {what}: {}", data.name),
            bound: constraint.map(|(_, c)| (format!("objective: {}", c.text), c.bound)),
            front_label: "Pareto front",
        }))
    }
}

fn padded(lo: f64, hi: f64) -> (f64, f64) {
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = if hi > lo {
        (hi - lo) * 0.08
    } else {
        hi.abs().max(1.0) * 0.1
    };
    ((lo - pad).max(0.0), hi + pad)
}

impl Figure for Pareto {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (area, legend_area) = canvas::with_legend(root);
        let fold = |f: fn(&Dot) -> f64| {
            self.dots
                .iter()
                .map(f)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)))
        };
        let (cx0, cx1) = fold(|d| d.cost);
        let (mut py0, mut py1) = fold(|d| d.p99);
        if let Some((_, b)) = &self.bound {
            (py0, py1) = (py0.min(*b), py1.max(*b));
        }
        let (x0, x1) = padded(cx0, cx1);
        let (y0, y1) = padded(py0, py1);
        let mut chart = ChartBuilder::on(&area)
            .caption(self.caption.clone(), style::title())
            .margin(MARGIN)
            .margin_right(MARGIN + 16)
            .x_label_area_size(X_LABEL_AREA)
            .y_label_area_size(Y_LABEL_AREA)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        chart
            .configure_mesh()
            .x_desc(format!("{}, mean", labels::metric(COST).text()))
            .y_desc(self.y_desc.clone())
            .axis_desc_style(style::label())
            .label_style(style::tick())
            .x_label_formatter(&|v| axis::number(*v))
            .y_label_formatter(&|v| axis::number(*v))
            .bold_line_style(RGBColor(225, 225, 225))
            .light_line_style(RGBColor(243, 243, 243))
            .draw()?;
        if let Some((_, b)) = &self.bound {
            chart.draw_series(DashedLineSeries::new(
                vec![(x0, *b), (x1, *b)],
                8,
                5,
                DARK.stroke_width(2),
            ))?;
        }
        let mut front: Vec<(f64, f64)> = self.dots.iter().filter(|d| d.pareto).map(|d| (d.cost, d.p99)).collect();
        front.sort_by(|a, b| a.0.total_cmp(&b.0));
        chart.draw_series(LineSeries::new(front.clone(), BLUE.stroke_width(2)))?;
        chart.draw_series(
            self.dots
                .iter()
                .filter(|d| !d.pareto && !d.infeasible)
                .map(|d| Circle::new((d.cost, d.p99), 5, GREY.mix(0.8).filled())),
        )?;
        // The front's feasible points filled; an infeasible one only ringed, so that its cross,
        // drawn last, stays visible on top and it never reads as a choice.
        chart.draw_series(self.dots.iter().filter(|d| d.pareto).map(|d| match d.infeasible {
            false => Circle::new((d.cost, d.p99), 6, BLUE.filled()),
            true => Circle::new((d.cost, d.p99), 6, BLUE.stroke_width(2)),
        }))?;
        chart.draw_series(
            self.dots
                .iter()
                .filter(|d| d.infeasible)
                .map(|d| EmptyElement::at((d.cost, d.p99)) + Cross::new((0, 0), 6, INFEASIBLE.stroke_width(3))),
        )?;
        let mut entries = vec![
            entry(Glyph::Dot(GREY), "sweep point"),
            entry(Glyph::Dot(BLUE), self.front_label),
        ];
        if let Some((text, _)) = &self.bound {
            entries.push(entry(Glyph::Dashed(DARK, 2), text));
        }
        if self.dots.iter().any(|d| d.infeasible) {
            entries.push(entry(Glyph::Cross(INFEASIBLE), "infeasible (breaks a constraint)"));
        }
        if let Some(b) = self.dots.iter().find(|d| d.best) {
            chart.draw_series(std::iter::once(Circle::new((b.cost, b.p99), 11, RED.stroke_width(3))))?;
            // Name the best point on the side of the chart where its label has room.
            let right_half = b.cost > (x0 + x1) / 2.0;
            let anchor = if right_half { HPos::Right } else { HPos::Left };
            let dx = if right_half { -16 } else { 16 };
            chart.draw_series(std::iter::once(
                EmptyElement::at((b.cost, b.p99))
                    + Text::new(
                        format!("best: {}", b.label),
                        (dx, -14),
                        style::small().color(&RED).pos(Pos::new(anchor, VPos::Bottom)),
                    ),
            ))?;
            entries.push(entry(Glyph::Ring(RED), "best point (objective)"));
        }
        legend::draw(&legend_area, LEGEND_LEFT, &entries)
    }
}
