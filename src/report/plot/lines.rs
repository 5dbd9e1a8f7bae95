//! `lines-<metric>.{png,svg}`: a summary metric's mean against one swept axis, one line per
//! value of a second axis, each with its 95 % confidence band over the point's runs, and the
//! bound of every constraint on the metric as a dashed line.

use super::axis;
use super::canvas::{self, DrawResult, Figure};
use super::chart::{LEGEND_LEFT, MARGIN, X_LABEL_AREA, Y_LABEL_AREA};
use super::legend::{self, entry, Glyph};
use super::style::{self, DARK, GREY};
use super::sweep_data::{SweepData, View};
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;

struct Line {
    label: String,
    /// `(x, mean, ci95 low, ci95 high)`, by rising x.
    points: Vec<(f64, f64, Option<f64>, Option<f64>)>,
}

pub(super) struct Lines<'a> {
    data: &'a SweepData,
    metric: &'a str,
    x: usize,
    lines: Vec<Line>,
    held: Option<String>,
    /// The constraints on the metric: `(text, bound)`.
    bounds: Vec<(String, f64)>,
}

impl<'a> Lines<'a> {
    pub(super) fn new(data: &'a SweepData, view: &View, metric: &'a str) -> Result<Self, PlotError> {
        let (mean, lo, hi) = (
            data.stat(metric, "mean")?,
            data.stat(metric, "ci95_lo")?,
            data.stat(metric, "ci95_hi")?,
        );
        let xa = &data.axes[view.x];
        // Numeric axes keep their spacing; other axes are evenly spaced categories.
        let pos = |i: usize| xa.numeric.as_ref().map(|v| v[i]).unwrap_or(i as f64);
        let series: Vec<(usize, String)> = match view.y {
            Some(y) => {
                let a = &data.axes[y];
                a.labels
                    .iter()
                    .enumerate()
                    .map(|(j, l)| (j, format!("{} = {l}", a.name)))
                    .collect()
            }
            None => vec![(0, metric.to_string())],
        };
        let mut lines = vec![];
        for (j, label) in series {
            let mut points: Vec<_> = data
                .in_view(view)
                .filter(|(_, p)| view.y.is_none_or(|y| p.coords[y] == j))
                .filter_map(|(row, p)| Some((pos(p.coords[view.x]), mean[row]?, lo[row], hi[row])))
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            if !points.is_empty() {
                lines.push(Line { label, points });
            }
        }
        Ok(Lines {
            data,
            metric,
            x: view.x,
            lines,
            held: data.held(view),
            bounds: data
                .constraints
                .iter()
                .filter(|c| c.0 == metric)
                .map(|c| (c.1.clone(), c.2))
                .collect(),
        })
    }

    fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        let pts = self.lines.iter().flat_map(|l| &l.points);
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
}

impl Figure for Lines<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (area, legend_area) = canvas::with_legend(root);
        let ((x0, x1), (y0, y1)) = self.ranges();
        let xa = &self.data.axes[self.x];
        let mut chart = ChartBuilder::on(&area)
            .caption(
                format!("{} by {}: {}", self.metric, xa.name, self.data.name),
                style::title(),
            )
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
        chart
            .configure_mesh()
            .x_desc(&xa.name)
            .y_desc(format!("{} (mean)", self.metric))
            .axis_desc_style(style::label())
            .label_style(style::tick())
            .x_labels(if categorical { xa.labels.len() * 2 + 1 } else { 10 })
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .bold_line_style(RGBColor(225, 225, 225))
            .light_line_style(RGBColor(243, 243, 243))
            .draw()?;
        let mut entries = vec![];
        for (i, line) in self.lines.iter().enumerate() {
            let c = style::series_colour(i);
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
            entries.push(entry(Glyph::Line(c, 3), line.label.clone()));
        }
        for (text, bound) in &self.bounds {
            chart.draw_series(DashedLineSeries::new(
                [(x0, *bound), (x1, *bound)],
                10,
                6,
                DARK.stroke_width(2),
            ))?;
            entries.push(entry(Glyph::Dashed(DARK, 2), format!("constraint: {text}")));
        }
        entries.push(entry(Glyph::Band(GREY), "95 % confidence interval of the mean"));
        if let Some(h) = &self.held {
            entries.push(entry(Glyph::Band(RGBColor(255, 255, 255)), h.clone()));
        }
        legend::draw(&legend_area, LEGEND_LEFT, &entries)
    }
}
