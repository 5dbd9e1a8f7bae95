//! `capacity.{png,svg}`: desired and in-service instances, instances still booting, the scalable
//! target's min/max bounds, scaling activities as markers, and the load on a second axis. A
//! serverless endpoint has no instances: its provisioned concurrency (desired, allocated, still
//! provisioning) takes their place. An endpoint with inference components scales copies: the
//! chart then shows copies (the unit of its markers and bounds) and the instances that hold
//! them as a line of their own. A load test's closed-loop users share the load axis, as a count.

use super::axis::{self, steps};
use super::canvas::{self, DrawResult, Figure};
use super::chart::{self, LEGEND_LEFT};
use super::legend::{self, entry, Glyph};
use super::run_data::{desired_change, Bounds, RunData};
use super::style::{self, BLUE, DARK, GREEN, GREY, ORANGE, PURPLE, RED};
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;

pub(super) struct Capacity<'a> {
    data: &'a RunData,
    xs: Vec<f64>,
    desired: Vec<f64>,
    in_service: Vec<f64>,
    booting: Vec<f64>,
    load: Vec<Option<f64>>,
    /// A load test's users at the end of each period (drawn on the load axis).
    users: Option<Vec<Option<f64>>>,
    /// `(x, desired after, scale out?)`.
    changes: Vec<(f64, f64, bool)>,
    failures: Vec<(f64, f64)>,
    scheduled: Vec<f64>,
    /// The scalable target's bounds, with times already on the x axis.
    bounds: Option<Bounds>,
    /// The run is a serverless endpoint's: the lines are provisioned concurrency.
    serverless: bool,
    /// In-service instances of an endpoint with inference components (the rest is copies).
    instances: Option<Vec<f64>>,
}

/// Allocated provisioned concurrency, a serverless endpoint's `timeseries.csv` column.
const PC_ALLOCATED: &str = "serverless.provisioned_concurrency";

impl<'a> Capacity<'a> {
    pub(super) fn new(data: &'a RunData) -> Result<Self, PlotError> {
        let ts = &data.ts;
        let serverless = ts.has(PC_ALLOCATED);
        let copies = data
            .variants
            .first()
            .is_some_and(|v| ts.has(&format!("{v}.copies_desired")));
        let (desired, in_service, booting, instances) = if copies {
            let sum = |col: &str| -> Result<Vec<f64>, PlotError> {
                let mut total = vec![0.0; data.t.len()];
                for v in &data.variants {
                    for (t, x) in total.iter_mut().zip(ts.required(&format!("{v}.{col}"))?) {
                        *t += x;
                    }
                }
                Ok(total)
            };
            let waiting = sum("copies_pending")?;
            let loading = sum("copies_loading")?;
            (
                sum("copies_desired")?,
                sum("copies_in_service")?,
                waiting.iter().zip(&loading).map(|(a, b)| a + b).collect(),
                Some(ts.required("instances_in_service")?),
            )
        } else if serverless {
            // PC requested but not yet allocated is still provisioning.
            let desired = ts.required("desired")?;
            let allocated = ts.required(PC_ALLOCATED)?;
            let provisioning = (0..desired.len())
                .map(|i| (desired[i] - allocated[i]).max(0.0))
                .collect();
            (desired, allocated, provisioning, None)
        } else {
            let desired = ts.required("desired")?;
            let pending = ts.required("instances_pending")?;
            let provisioning = ts.required("instances_provisioning")?;
            let loading = ts.required("instances_loading")?;
            let booting = (0..desired.len())
                .map(|i| pending[i] + provisioning[i] + loading[i])
                .collect();
            (desired, ts.required("instances_in_service")?, booting, None)
        };
        // A variant's desired count at an instant, plus the other variants' counts in that
        // period, places a marker on the endpoint's total.
        let per_variant: Vec<Vec<Option<f64>>> = data
            .variants
            .iter()
            .map(|v| data.column(&format!("{v}.desired")))
            .collect::<Result<_, _>>()?;
        let row_at = |t: f64| data.t.iter().rposition(|s| *s <= t).unwrap_or(0);
        let others = |variant: &str, row: usize| -> f64 {
            data.variants
                .iter()
                .zip(&per_variant)
                .filter(|(v, _)| v.as_str() != variant)
                .map(|(_, c)| c.get(row).copied().flatten().unwrap_or(0.0))
                .sum()
        };
        let changes = data
            .activities_of("CapacityChange")
            .filter_map(|a| {
                let (from, to) = desired_change(&a.reason)?;
                let y = to + others(&a.variant, row_at(a.time_s));
                Some((data.time.x(a.time_s), y, to > from))
            })
            .collect();
        let failures = data
            .activities_of("ScalingFailed")
            .map(|a| {
                (
                    data.time.x(a.time_s),
                    desired.get(row_at(a.time_s)).copied().unwrap_or(0.0),
                )
            })
            .collect();
        let scheduled = data
            .activities_of("ScheduledAction")
            .map(|a| data.time.x(a.time_s))
            .collect();
        let bounds = data.bounds.as_ref().map(|b| Bounds {
            variant: b.variant.clone(),
            changes: b
                .changes
                .iter()
                .map(|(t, lo, hi)| (data.time.x(*t), *lo, *hi))
                .collect(),
        });
        Ok(Capacity {
            data,
            xs: data.xs(),
            desired,
            in_service,
            booting,
            load: ts.numbers("load_rps")?,
            users: if ts.has("users") {
                Some(ts.numbers("users")?)
            } else {
                None
            },
            changes,
            failures,
            scheduled,
            bounds,
            serverless,
            instances,
        })
    }

    fn y_max(&self) -> (f64, bool) {
        let data_max = self
            .desired
            .iter()
            .chain(&self.in_service)
            .chain(&self.booting)
            .chain(self.instances.iter().flatten())
            .chain(self.changes.iter().map(|c| &c.1))
            .fold(0.0f64, |m, v| m.max(*v));
        let bound_max = self
            .bounds
            .as_ref()
            .map(|b| b.changes.iter().fold(0.0f64, |m, s| m.max(s.2)))
            .unwrap_or(0.0);
        // A max capacity far above what the run used would flatten the interesting part; it is
        // then left off the scale and named in the legend instead.
        if bound_max <= 3.0 * data_max.max(1.0) {
            (axis::upper(data_max.max(bound_max)).ceil(), true)
        } else {
            (axis::upper(data_max).ceil(), false)
        }
    }
}

impl Figure for Capacity<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (area, legend_area) = canvas::with_legend(root);
        let (y_max, max_on_scale) = self.y_max();
        let end = self.data.x_end();
        let users_max = self.users.as_ref().map_or(0.0, |u| axis::max_of(u.as_slice()));
        let load_max = axis::upper(axis::max_of(&self.load).max(users_max));
        let mut chart = ChartBuilder::on(&area)
            .caption(format!("Capacity and load: {}", self.data.scenario), style::title())
            .margin(chart::MARGIN)
            .x_label_area_size(chart::X_LABEL_AREA)
            .y_label_area_size(chart::Y_LABEL_AREA)
            .right_y_label_area_size(chart::Y_LABEL_AREA)
            .build_cartesian_2d(0f64..end, 0f64..y_max)?
            .set_secondary_coord(0f64..end, 0f64..load_max);
        let unit = if self.serverless {
            "provisioned concurrency"
        } else if self.instances.is_some() {
            "copies"
        } else {
            "instances"
        };
        chart::mesh(&mut chart, self.data, unit)?;
        chart
            .configure_secondary_axes()
            .y_desc(if self.users.is_some() {
                "load [requests/s], users"
            } else {
                "load [requests/s]"
            })
            .axis_desc_style(style::label())
            .label_style(style::tick())
            .y_label_formatter(&|v| axis::number(*v))
            .draw()?;

        let load_colour = GREY.mix(0.55);
        for seg in axis::step_segments(&self.xs, &self.load, end) {
            chart.draw_secondary_series(LineSeries::new(seg, load_colour.stroke_width(2)))?;
        }
        if let Some(users) = &self.users {
            for seg in axis::step_segments(&self.xs, users, end) {
                chart.draw_secondary_series(LineSeries::new(seg, PURPLE.stroke_width(2)))?;
            }
        }
        let mut entries = vec![];
        for x in &self.scheduled {
            chart::vline(&mut chart, *x, PURPLE.mix(0.6).stroke_width(2), true)?;
        }
        if let Some(Bounds { variant, changes: b }) = &self.bounds {
            let xs: Vec<f64> = b.iter().map(|s| s.0).collect();
            let lo: Vec<f64> = b.iter().map(|s| s.1).collect();
            let hi: Vec<f64> = b.iter().map(|s| s.2).collect();
            let bound_style = DARK.mix(0.55).stroke_width(2);
            chart.draw_series(DashedLineSeries::new(steps(&xs, &lo, end), 10, 6, bound_style))?;
            let named = if self.data.variants.len() > 1 {
                format!(" of {variant}")
            } else {
                String::new()
            };
            if max_on_scale {
                chart.draw_series(DashedLineSeries::new(steps(&xs, &hi, end), 10, 6, bound_style))?;
                entries.push(entry(Glyph::Dashed(DARK, 2), format!("min / max capacity{named}")));
            } else {
                let top = hi.iter().fold(0.0f64, |m, v| m.max(*v));
                entries.push(entry(
                    Glyph::Dashed(DARK, 2),
                    format!("min capacity{named} (max {} off scale)", axis::number(top)),
                ));
            }
        }
        chart.draw_series(LineSeries::new(
            steps(&self.xs, &self.booting, end),
            ORANGE.stroke_width(2),
        ))?;
        // In service underneath as an area, desired on top: where they agree the line is blue
        // over green, where capacity lags the green edge shows the gap.
        let in_service = steps(&self.xs, &self.in_service, end);
        chart.draw_series(AreaSeries::new(in_service.clone(), 0.0, GREEN.mix(0.15)))?;
        chart.draw_series(LineSeries::new(in_service, GREEN.stroke_width(3)))?;
        chart.draw_series(LineSeries::new(
            steps(&self.xs, &self.desired, end),
            BLUE.stroke_width(2),
        ))?;
        if let Some(hosts) = &self.instances {
            chart.draw_series(LineSeries::new(steps(&self.xs, hosts, end), DARK.stroke_width(1)))?;
        }
        chart.draw_series(self.changes.iter().map(|&(x, y, up)| {
            let shape = if up {
                vec![(-7, 6), (7, 6), (0, -7)]
            } else {
                vec![(-7, -6), (7, -6), (0, 7)]
            };
            EmptyElement::at((x, y)) + Polygon::new(shape, BLUE.filled())
        }))?;
        chart.draw_series(
            self.failures
                .iter()
                .map(|&(x, y)| EmptyElement::at((x, y)) + Cross::new((0, 0), 7, RED.stroke_width(3))),
        )?;

        let (desired, ready, starting) = if self.serverless {
            ("desired PC", "PC allocated", "PC provisioning")
        } else {
            ("desired", "in service", "booting")
        };
        let mut head = vec![
            entry(Glyph::Line(BLUE, 2), desired),
            entry(Glyph::Line(GREEN, 3), ready),
            entry(Glyph::Line(ORANGE, 2), starting),
            entry(Glyph::Line(GREY, 2), "load (right axis)"),
        ];
        if self.users.is_some() {
            head.push(entry(Glyph::Line(PURPLE, 2), "users (right axis)"));
        }
        if self.instances.is_some() {
            head.push(entry(Glyph::Line(DARK, 1), "instances in service"));
        }
        if self.changes.iter().any(|c| c.2) {
            head.push(entry(Glyph::TriangleUp(BLUE), "scale out"));
        }
        if self.changes.iter().any(|c| !c.2) {
            head.push(entry(Glyph::TriangleDown(BLUE), "scale in"));
        }
        if !self.failures.is_empty() {
            head.push(entry(Glyph::Cross(RED), "scaling failed"));
        }
        if !self.scheduled.is_empty() {
            head.push(entry(Glyph::Dashed(PURPLE, 2), "scheduled action"));
        }
        head.extend(entries);
        legend::draw(&legend_area, LEGEND_LEFT, &head)
    }
}
