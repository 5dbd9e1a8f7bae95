//! `heatmap-<metric>.{png,svg}`: a summary metric's mean over two swept axes, one cell per pair
//! of values, with the value written in the cell, a colour bar, and the best point outlined.

use super::axis;
use super::canvas::{DrawResult, Figure};
use super::chart::MARGIN;
use super::style::{self, DARK, RED};
use super::sweep_data::{SweepData, View};
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) struct Heatmap<'a> {
    data: &'a SweepData,
    metric: &'a str,
    x: usize,
    y: usize,
    /// Mean of the metric per cell, `cells[i][j]` for x value i and y value j.
    cells: Vec<Vec<Option<f64>>>,
    best: Option<(usize, usize)>,
    held: Option<String>,
}

/// Perceptually uniform scale (viridis anchors), `t` in 0..=1.
pub(super) fn colour(t: f64) -> RGBColor {
    const ANCHORS: [(f64, f64, f64); 5] = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 } * 4.0;
    let i = (t.floor() as usize).min(3);
    let f = t - i as f64;
    let (a, b) = (ANCHORS[i], ANCHORS[i + 1]);
    let mix = |p: f64, q: f64| (p + (q - p) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

impl<'a> Heatmap<'a> {
    pub(super) fn new(data: &'a SweepData, view: &View, metric: &'a str) -> Result<Self, PlotError> {
        let y = view.y.expect("a heat map needs two axes");
        let (nx, ny) = (data.axes[view.x].labels.len(), data.axes[y].labels.len());
        let means = data.stat(metric, "mean")?;
        let mut sum = vec![vec![(0.0, 0u32); ny]; nx];
        let mut best = None;
        for (row, p) in data.in_view(view) {
            let (i, j) = (p.coords[view.x], p.coords[y]);
            if let Some(m) = means[row] {
                sum[i][j].0 += m;
                sum[i][j].1 += 1;
            }
            if data.best_point == Some(p.id) {
                best = Some((i, j));
            }
        }
        let cells = sum
            .iter()
            .map(|col| col.iter().map(|(s, n)| (*n > 0).then(|| s / f64::from(*n))).collect())
            .collect();
        Ok(Heatmap {
            data,
            metric,
            x: view.x,
            y,
            cells,
            best,
            held: data.held(view),
        })
    }

    fn range(&self) -> (f64, f64) {
        let vals: Vec<f64> = self.cells.iter().flatten().flatten().copied().collect();
        let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !lo.is_finite() {
            (0.0, 1.0)
        } else if hi - lo < 1e-12 {
            (lo - 0.5, hi + 0.5)
        } else {
            (lo, hi)
        }
    }
}

impl Figure for Heatmap<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (w, h) = root.dim_in_pixel();
        let (main, bar) = root.split_horizontally(w - 130);
        let (main, note) = main.split_vertically(h - 34);
        let (xa, ya) = (&self.data.axes[self.x], &self.data.axes[self.y]);
        let (nx, ny) = (xa.labels.len(), ya.labels.len());
        let (lo, hi) = self.range();
        let mut chart = ChartBuilder::on(&main)
            .caption(
                format!("{} (mean over runs): {}", self.metric, self.data.name),
                style::title(),
            )
            .margin(MARGIN)
            .x_label_area_size(56)
            .y_label_area_size(96)
            // A segmented range `0..n` has n + 1 segments; `0..n-1` has one per value. A single-valued
            // axis keeps a range of one (an empty second cell) since plotters needs a non-empty one.
            .build_cartesian_2d(
                (0..(nx as i32 - 1).max(1)).into_segmented(),
                (0..(ny as i32 - 1).max(1)).into_segmented(),
            )?;
        // Segmented axes put one label at the centre of each cell, named after the axis value.
        let name = |v: &SegmentValue<i32>, labels: &[String]| match v {
            SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
            _ => String::new(),
        };
        let x_fmt = |v: &SegmentValue<i32>| name(v, &xa.labels);
        let y_fmt = |v: &SegmentValue<i32>| name(v, &ya.labels);
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(&xa.name)
            .y_desc(&ya.name)
            .axis_desc_style(style::label())
            .label_style(style::tick())
            .x_labels(nx)
            .y_labels(ny)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .draw()?;
        let span = hi - lo;
        let text_cells = nx * ny <= 144;
        let cell = |i: usize, j: usize| {
            [
                (SegmentValue::Exact(i as i32), SegmentValue::Exact(j as i32)),
                (SegmentValue::Exact(i as i32 + 1), SegmentValue::Exact(j as i32 + 1)),
            ]
        };
        for (i, col) in self.cells.iter().enumerate() {
            for (j, v) in col.iter().enumerate() {
                let fill = match v {
                    Some(v) => colour((v - lo) / span).filled(),
                    None => RGBColor(235, 235, 235).filled(),
                };
                chart.draw_series(std::iter::once(Rectangle::new(cell(i, j), fill)))?;
                chart.draw_series(std::iter::once(Rectangle::new(cell(i, j), WHITE.stroke_width(2))))?;
                if text_cells {
                    let (text, ink) = match v {
                        Some(v) => {
                            let t = (v - lo) / span;
                            (axis::number(*v), if t > 0.6 { DARK } else { WHITE })
                        }
                        None => ("no data".to_string(), DARK),
                    };
                    chart.draw_series(std::iter::once(Text::new(
                        text,
                        (SegmentValue::CenterOf(i as i32), SegmentValue::CenterOf(j as i32)),
                        style::label().color(&ink).pos(Pos::new(HPos::Center, VPos::Center)),
                    )))?;
                }
            }
        }
        if let Some((i, j)) = self.best {
            chart.draw_series(std::iter::once(Rectangle::new(cell(i, j), RED.stroke_width(5))))?;
        }
        let mut notes = vec![];
        if self.best.is_some() {
            notes.push("red outline: the sweep's best point".to_string());
        }
        if let Some(h) = &self.held {
            notes.push(h.clone());
        }
        note.draw(&Text::new(
            notes.join("; "),
            (MARGIN as i32 + 96, 8),
            style::label().pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        colour_bar(&bar, lo, hi, self.metric)
    }
}

/// A vertical colour bar with five value labels, aligned roughly with the plotting area.
fn colour_bar<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, lo: f64, hi: f64, metric: &str) -> DrawResult<DB> {
    let (_, h) = area.dim_in_pixel();
    let (top, bottom) = (60i32, h as i32 - 34 - 56 - MARGIN as i32);
    let (x0, x1) = (10i32, 34i32);
    let steps = 100;
    for k in 0..steps {
        let f0 = k as f64 / steps as f64;
        let ya = bottom - ((bottom - top) as f64 * f0) as i32;
        let yb = bottom - ((bottom - top) as f64 * (f0 + 1.0 / steps as f64)) as i32;
        area.draw(&Rectangle::new(
            [(x0, yb), (x1, ya)],
            colour(f0 + 0.5 / steps as f64).filled(),
        ))?;
    }
    area.draw(&Rectangle::new([(x0, top), (x1, bottom)], DARK.stroke_width(1)))?;
    for k in 0..=4 {
        let f = k as f64 / 4.0;
        let y = bottom - ((bottom - top) as f64 * f) as i32;
        area.draw(&PathElement::new(vec![(x1, y), (x1 + 5, y)], DARK.stroke_width(1)))?;
        area.draw(&Text::new(
            axis::number(lo + (hi - lo) * f),
            (x1 + 8, y),
            style::tick().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    area.draw(&Text::new(
        metric.to_string(),
        (x0, top - 12),
        style::small().pos(Pos::new(HPos::Left, VPos::Bottom)),
    ))
}
