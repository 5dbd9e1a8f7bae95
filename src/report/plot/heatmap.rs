//! `heatmap-<metric>.{png,svg}`: a summary metric's mean over two swept axes, one cell per pair
//! of values, with the value written in the cell where it fits, a colour bar, and the best
//! point outlined. A third independent axis gives small multiples: one heat map per value of
//! it, all on one colour scale with one colour bar.

use super::axis;
use super::canvas::{DrawResult, Figure};
use super::chart::MARGIN;
use super::labels::{self, MetricLabel};
use super::panels::{self, Grid, CAPTION_H};
use super::style::{self, DARK, RED};
use super::sweep_data::{SweepData, View};
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

/// Width [px] of the colour bar strip at the right.
const BAR_W: u32 = 150;
/// Height [px] of the note under the panels.
const NOTE_H: u32 = 34;
/// Label areas [px] of a panel: ticks and the axis titles.
const X_AREA: u32 = 56;
const Y_AREA: u32 = 96;

/// One heat map of the figure.
struct Panel {
    /// `<axis label> = <value>` of the panel axis; `None` for a figure of one panel.
    title: Option<String>,
    /// Mean of the metric per cell, `cells[i][j]` for x value i and y value j.
    cells: Vec<Vec<Option<f64>>>,
}

pub(super) struct Heatmap<'a> {
    data: &'a SweepData,
    label: MetricLabel,
    x: usize,
    y: usize,
    panels: Vec<Panel>,
    /// The sweep's best point: panel, x value, y value.
    best: Option<(usize, usize, usize)>,
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
    pub(super) fn new(data: &'a SweepData, view: &View, metric: &str) -> Result<Self, PlotError> {
        let y = view.y.expect("a heat map needs two axes");
        let (nx, ny) = (data.axes[view.x].labels.len(), data.axes[y].labels.len());
        let means = data.stat(metric, "mean")?;
        let mut panels = vec![];
        let mut best = None;
        for k in 0..data.panel_count(view) {
            // Derived axes are free, so several points may share a cell: it shows their mean.
            let mut sum = vec![vec![(0.0, 0u32); ny]; nx];
            for (row, p) in data.in_panel(view, k) {
                let (i, j) = (p.coords[view.x], p.coords[y]);
                if let Some(m) = means[row] {
                    sum[i][j].0 += m;
                    sum[i][j].1 += 1;
                }
                if data.best_point == Some(p.id) {
                    best = Some((k, i, j));
                }
            }
            let cells = sum
                .iter()
                .map(|col| col.iter().map(|(s, n)| (*n > 0).then(|| s / f64::from(*n))).collect())
                .collect();
            panels.push(Panel {
                title: data.panel_title(view, k),
                cells,
            });
        }
        Ok(Heatmap {
            data,
            label: labels::metric(metric),
            x: view.x,
            y,
            panels,
            best,
            held: data.held(view),
        })
    }

    /// The colour scale's range: every panel's cells, so colours compare across panels.
    fn range(&self) -> (f64, f64) {
        let vals: Vec<f64> = self
            .panels
            .iter()
            .flat_map(|p| p.cells.iter().flatten().flatten())
            .copied()
            .collect();
        let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !lo.is_finite() {
            (0.0, 1.0)
        } else if hi - lo < 1e-12 {
            // One value everywhere: a scale around it that stays on its side of zero (from zero
            // when it is zero), so the bar shows no value of the other sign.
            if lo == 0.0 {
                (0.0, 1.0)
            } else {
                (lo - lo.abs() * 0.5, hi + hi.abs() * 0.5)
            }
        } else {
            (lo, hi)
        }
    }

    /// Draws panel `k` in `area`; `left` and `bottom` say whether it carries the y and x axis
    /// titles.
    fn draw_panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        k: usize,
        (left, bottom): (bool, bool),
        (lo, hi): (f64, f64),
    ) -> DrawResult<DB> {
        let (xa, ya) = (&self.data.axes[self.x], &self.data.axes[self.y]);
        let (nx, ny) = (xa.labels.len(), ya.labels.len());
        let mut chart = ChartBuilder::on(area)
            .margin(MARGIN)
            .x_label_area_size(X_AREA)
            .y_label_area_size(Y_AREA)
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
        let desc = |shown: bool, k: usize| if shown { self.data.axis_label(k) } else { String::new() };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(desc(bottom, self.x))
            .y_desc(desc(left, self.y))
            .axis_desc_style(style::label())
            .label_style(style::tick())
            .x_labels(nx)
            .y_labels(ny)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .draw()?;
        let span = hi - lo;
        let cell = |i: usize, j: usize| {
            [
                (SegmentValue::Exact(i as i32), SegmentValue::Exact(j as i32)),
                (SegmentValue::Exact(i as i32 + 1), SegmentValue::Exact(j as i32 + 1)),
            ]
        };
        // A cell's size [px], to write a value only where it fits.
        let [a, b] = cell(0, 0).map(|c| chart.backend_coord(&c));
        let (cell_w, cell_h) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
        let plot = chart.plotting_area().clone();
        for (i, col) in self.panels[k].cells.iter().enumerate() {
            for (j, v) in col.iter().enumerate() {
                let fill = match v {
                    Some(v) => colour((v - lo) / span).filled(),
                    None => RGBColor(235, 235, 235).filled(),
                };
                plot.draw(&Rectangle::new(cell(i, j), fill))?;
                plot.draw(&Rectangle::new(cell(i, j), WHITE.stroke_width(2)))?;
                let (text, ink) = match v {
                    Some(v) => {
                        let t = (v - lo) / span;
                        (axis::number(*v), if t > 0.6 { DARK } else { WHITE })
                    }
                    None => ("no data".to_string(), DARK),
                };
                let font = style::label().color(&ink).pos(Pos::new(HPos::Center, VPos::Center));
                let (tw, th) = plot.estimate_text_size(&text, &font)?;
                if tw as i32 + 6 <= cell_w && th as i32 + 4 <= cell_h {
                    plot.draw(&Text::new(
                        text,
                        (SegmentValue::CenterOf(i as i32), SegmentValue::CenterOf(j as i32)),
                        font,
                    ))?;
                }
            }
        }
        if let Some((_, i, j)) = self.best.filter(|b| b.0 == k) {
            plot.draw(&Rectangle::new(cell(i, j), RED.stroke_width(5)))?;
        }
        Ok(())
    }
}

impl Figure for Heatmap<'_> {
    fn size(&self) -> (u32, u32) {
        let header = panels::header_height(self.held.is_some());
        panels::canvas_size(self.panels.len(), (BAR_W, header + NOTE_H))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let title = format!("{}, mean over runs: {}", self.label.words, self.data.name);
        let body = panels::header(root, &title, self.held.as_deref())?;
        let (w, h) = body.dim_in_pixel();
        let (main, bar) = body.split_horizontally(w - BAR_W);
        let (main, note) = main.split_vertically(h - NOTE_H);
        let range = self.range();
        let n = self.panels.len();
        let grid = Grid::of(n);
        for (k, area) in panels::split(&main, n).iter().enumerate() {
            let area = panels::caption(area, self.panels[k].title.as_deref(), (MARGIN + Y_AREA, MARGIN))?;
            self.draw_panel(&area, k, (grid.is_left(k), grid.is_bottom(k, n)), range)?;
        }
        if self.best.is_some() {
            note.draw(&Text::new(
                "red outline: the sweep's best point",
                (MARGIN as i32 + Y_AREA as i32, 8),
                style::label().pos(Pos::new(HPos::Left, VPos::Top)),
            ))?;
        }
        // The bar spans the panels' plotting areas, from the top row's to the bottom row's.
        let top = MARGIN as i32 + if n > 1 { CAPTION_H as i32 } else { 0 };
        let bottom = (h - NOTE_H - MARGIN - X_AREA) as i32;
        colour_bar(&bar, range, &self.label.text(), (top, bottom))
    }
}

/// A vertical colour bar from `top` to `bottom` [px] with five value labels and the metric's
/// label written upwards beside it.
fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (lo, hi): (f64, f64),
    label: &str,
    (top, bottom): (i32, i32),
) -> DrawResult<DB> {
    let (w, _) = area.dim_in_pixel();
    let (x0, x1) = (10i32, 34i32);
    let steps = 100;
    // Step edges in whole pixels from integer arithmetic, so each step starts where the one
    // below it ends and no gap shows.
    let edge = |k: i32| bottom - (bottom - top) * k / steps;
    for k in 0..steps {
        area.draw(&Rectangle::new(
            [(x0, edge(k + 1)), (x1, edge(k))],
            colour((f64::from(k) + 0.5) / f64::from(steps)).filled(),
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
        label.to_string(),
        (w as i32 - 22, (top + bottom) / 2),
        style::label()
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Center)),
    ))
}
