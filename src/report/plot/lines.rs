//! `lines-<metric>.{png,svg}`: a summary metric's mean against one swept axis, one line per
//! value of a second axis, each with its 95 % confidence band over the point's runs, and the
//! bound of every constraint on the metric as a dashed line. A third independent axis gives
//! small multiples: one panel per value of it, all on the same x and y ranges, one legend.

use super::axis;
use super::canvas::{DrawResult, Figure};
use super::chart::{LEGEND_LEFT, MARGIN, X_LABEL_AREA, Y_LABEL_AREA};
use super::labels::{self, MetricLabel};
use super::legend::{self, entry, Glyph};
use super::panels::{self, Grid};
use super::style::{self, DARK, GREY, LEGEND_HEIGHT};
use super::sweep_data::{SweepData, View};
use super::PlotError;
use crate::sweep::objective::Cmp;
use plotters::coord::Shift;
use plotters::prelude::*;

struct Line {
    /// Index of the series (the y axis value), which picks its colour in every panel.
    series: usize,
    /// `(x, mean, ci95 low, ci95 high)`, by rising x.
    points: Vec<(f64, f64, Option<f64>, Option<f64>)>,
}

/// One chart of the figure.
struct Panel {
    /// `<axis label> = <value>` of the panel axis; `None` for a figure of one panel.
    title: Option<String>,
    lines: Vec<Line>,
}

pub(super) struct Lines<'a> {
    data: &'a SweepData,
    label: MetricLabel,
    x: usize,
    /// The legend text of each series, by series index.
    series: Vec<String>,
    panels: Vec<Panel>,
    held: Option<String>,
    /// The constraints on the metric: legend text and bound, in the label's unit.
    bounds: Vec<(String, f64)>,
}

impl<'a> Lines<'a> {
    pub(super) fn new(data: &'a SweepData, view: &View, metric: &str) -> Result<Self, PlotError> {
        let (mean, lo, hi) = (
            data.stat(metric, "mean")?,
            data.stat(metric, "ci95_lo")?,
            data.stat(metric, "ci95_hi")?,
        );
        let label = labels::metric(metric);
        let xa = &data.axes[view.x];
        // Numeric axes keep their spacing; other axes are evenly spaced categories.
        let pos = |i: usize| xa.numeric.as_ref().map(|v| v[i]).unwrap_or(i as f64);
        let series: Vec<String> = match view.y {
            Some(y) => {
                let words = data.axis_label(y);
                data.axes[y].labels.iter().map(|l| format!("{words} = {l}")).collect()
            }
            None => vec![label.words.clone()],
        };
        let mut panels = vec![];
        for k in 0..data.panel_count(view) {
            let mut lines = vec![];
            for j in 0..series.len() {
                let mut points: Vec<_> = data
                    .in_panel(view, k)
                    .filter(|(_, p)| view.y.is_none_or(|y| p.coords[y] == j))
                    .filter_map(|(row, p)| Some((pos(p.coords[view.x]), mean[row]?, lo[row], hi[row])))
                    .collect();
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                if !points.is_empty() {
                    lines.push(Line { series: j, points });
                }
            }
            panels.push(Panel {
                title: data.panel_title(view, k),
                lines,
            });
        }
        let bounds = data
            .constraints
            .iter()
            .filter(|c| c.metric == metric)
            .map(|c| {
                let op = match c.cmp {
                    Cmp::Le => "≤",
                    Cmp::Lt => "<",
                    Cmp::Ge => "≥",
                    Cmp::Gt => ">",
                };
                let bound = c.bound * label.scale;
                (
                    format!("constraint: {} {op} {}", label.words, label.value(bound)),
                    bound,
                )
            })
            .collect();
        Ok(Lines {
            data,
            label,
            x: view.x,
            series,
            panels,
            held: data.held(view),
            bounds,
        })
    }

    /// The x and y ranges of every panel: the same in all, so panels compare at a glance.
    fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        let pts = self.panels.iter().flat_map(|p| &p.lines).flat_map(|l| &l.points);
        let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for &(x, m, lo, hi) in pts {
            x0 = x0.min(x);
            x1 = x1.max(x);
            for v in [Some(m), lo, hi].into_iter().flatten() {
                y0 = y0.min(v);
                y1 = y1.max(v);
            }
        }
        if !x0.is_finite() {
            return ((0.0, 1.0), (0.0, 1.0));
        }
        for &(_, b) in &self.bounds {
            y0 = y0.min(b);
            y1 = y1.max(b);
        }
        let xpad = if x1 > x0 { (x1 - x0) * 0.05 } else { 0.5 };
        let ypad = if y1 > y0 {
            (y1 - y0) * 0.08
        } else {
            y1.abs().max(1.0) * 0.1
        };
        // Metrics like latency and cost are positive: start at zero when that costs little room.
        let ylo = if y0 >= 0.0 && y0 <= (y1 - y0) { 0.0 } else { y0 - ypad };
        ((x0 - xpad, x1 + xpad), (ylo, y1 + ypad))
    }

    /// Draws panel `k` in `area`; `left` and `bottom` say whether it carries the y and x axis
    /// titles.
    fn draw_panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        k: usize,
        (left, bottom): (bool, bool),
    ) -> DrawResult<DB> {
        let ((x0, x1), (y0, y1)) = self.ranges();
        let xa = &self.data.axes[self.x];
        let mut chart = ChartBuilder::on(area)
            .margin(MARGIN)
            .margin_right(MARGIN + 16)
            .x_label_area_size(X_LABEL_AREA)
            .y_label_area_size(Y_LABEL_AREA)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        let categorical = xa.numeric.is_none();
        let x_fmt = |v: &f64| {
            if categorical {
                let i = v.round();
                if (v - i).abs() < 1e-6 && i >= 0.0 {
                    xa.labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            } else {
                axis::number(*v)
            }
        };
        let y_fmt = |v: &f64| axis::number(*v);
        let few = self.panels.len() > 1;
        chart
            .configure_mesh()
            .x_desc(if bottom {
                self.data.axis_label(self.x)
            } else {
                String::new()
            })
            .y_desc(if left {
                format!("{}, mean", self.label.text())
            } else {
                String::new()
            })
            .axis_desc_style(style::label())
            .label_style(style::tick())
            .x_labels(match (categorical, few) {
                (true, _) => xa.labels.len() * 2 + 1,
                (false, false) => 10,
                (false, true) => 6,
            })
            .y_labels(if few { 6 } else { 10 })
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .bold_line_style(RGBColor(225, 225, 225))
            .light_line_style(RGBColor(243, 243, 243))
            .draw()?;
        for line in &self.panels[k].lines {
            let c = style::series_colour(line.series);
            let band: Vec<(f64, f64, f64)> = line
                .points
                .iter()
                .filter_map(|&(x, _, lo, hi)| Some((x, lo?, hi?)))
                .collect();
            if band.len() >= 2 {
                let mut poly: Vec<(f64, f64)> = band.iter().map(|b| (b.0, b.1)).collect();
                poly.extend(band.iter().rev().map(|b| (b.0, b.2)));
                chart.draw_series(std::iter::once(Polygon::new(poly, c.mix(0.18).filled())))?;
            } else {
                for &(x, lo, hi) in &band {
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(x, lo), (x, hi)],
                        c.mix(0.5).stroke_width(6),
                    )))?;
                }
            }
            chart.draw_series(LineSeries::new(
                line.points.iter().map(|p| (p.0, p.1)),
                c.stroke_width(3),
            ))?;
            chart.draw_series(line.points.iter().map(|p| Circle::new((p.0, p.1), 4, c.filled())))?;
        }
        for (_, bound) in &self.bounds {
            chart.draw_series(DashedLineSeries::new(
                [(x0, *bound), (x1, *bound)],
                10,
                6,
                DARK.stroke_width(2),
            ))?;
        }
        Ok(())
    }
}

impl Figure for Lines<'_> {
    fn size(&self) -> (u32, u32) {
        let header = panels::header_height(self.held.is_some());
        panels::canvas_size(self.panels.len(), (0, header + LEGEND_HEIGHT))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let title = format!(
            "{} by {}: {}",
            self.label.words,
            self.data.axis_label(self.x),
            self.data.name
        );
        let body = panels::header(root, &title, self.held.as_deref())?;
        let (area, legend_area) = super::canvas::with_legend(&body);
        let n = self.panels.len();
        let grid = Grid::of(n);
        for (k, a) in panels::split(&area, n).iter().enumerate() {
            let a = panels::caption(a, self.panels[k].title.as_deref(), (MARGIN + Y_LABEL_AREA, MARGIN + 16))?;
            self.draw_panel(&a, k, (grid.is_left(k), grid.is_bottom(k, n)))?;
        }
        // Every series drawn in some panel, in the y axis's order.
        let mut entries = vec![];
        for (j, text) in self.series.iter().enumerate() {
            if self.panels.iter().any(|p| p.lines.iter().any(|l| l.series == j)) {
                entries.push(entry(Glyph::Line(style::series_colour(j), 3), text.clone()));
            }
        }
        for (text, _) in &self.bounds {
            entries.push(entry(Glyph::Dashed(DARK, 2), text.clone()));
        }
        entries.push(entry(Glyph::Band(GREY), "95 % confidence interval of the mean"));
        legend::draw(&legend_area, LEGEND_LEFT, &entries)
    }
}
