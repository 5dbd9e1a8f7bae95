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
use super::style::{self, BLUE, BROWN, CYAN, DARK, GREEN, GREY, OLIVE, ORANGE, PINK, PURPLE, RED};
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;

pub(super) struct Capacity<'a> {
    data: &'a RunData,
    /// Period starts on the x axis: the load is a rate over each period.
    xs: Vec<f64>,
    /// Period ends on the x axis: instance counts are read at each period's end.
    xs_end: Vec<f64>,
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
    /// During deployments, one fleet per endpoint configuration, in `timeseries.csv` order.
    fleets: Vec<Fleet>,
}

/// The instances of one endpoint configuration (`<variant>@<configuration>` columns), read at
/// each period's end.
#[derive(Debug)]
pub(super) struct Fleet {
    pub name: String,
    /// Instances billed: launched and not yet terminated.
    pub instances: Vec<f64>,
    pub in_service: Vec<f64>,
}

/// The fleets of a run with deployments, from the `<variant>@<configuration>.instances` and
/// `.in_service` columns; empty for a run without.
fn fleets(data: &RunData) -> Result<Vec<Fleet>, PlotError> {
    data.ts
        .header()
        .iter()
        .filter_map(|h| h.strip_suffix(".instances").filter(|n| n.contains('@')))
        .map(|name| {
            Ok(Fleet {
                name: name.to_string(),
                instances: data.ts.required(&format!("{name}.instances"))?,
                in_service: data.ts.required(&format!("{name}.in_service"))?,
            })
        })
        .collect()
}

/// The stacked fleets: for each, its band's `(bottom, top)` per row, bottom fleet first.
pub(super) fn stack(fleets: &[Fleet]) -> Vec<(Vec<f64>, Vec<f64>)> {
    let mut base = vec![0.0; fleets.first().map_or(0, |f| f.instances.len())];
    fleets
        .iter()
        .map(|f| {
            let top: Vec<f64> = base.iter().zip(&f.instances).map(|(b, n)| b + n).collect();
            let band = (base.clone(), top.clone());
            base = top;
            band
        })
        .collect()
}

/// The total instances of all fleets per row (the top of the stack).
pub(super) fn total(fleets: &[Fleet]) -> Vec<f64> {
    stack(fleets).pop().map(|(_, top)| top).unwrap_or_default()
}

/// Fleet colours, apart from the lines' blue, green, orange and purple.
const FLEETS: [RGBColor; 4] = [CYAN, PINK, BROWN, OLIVE];

fn fleet_colour(i: usize) -> RGBColor {
    FLEETS[i % FLEETS.len()]
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
        // The row whose end-of-period reading is the first at or after `t`.
        let row_at = |t: f64| {
            data.t_end
                .iter()
                .position(|e| *e >= t)
                .unwrap_or(data.t.len().saturating_sub(1))
        };
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
            xs_end: data.xs_end(),
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
            fleets: fleets(data)?,
        })
    }

    /// The fleets the plot draws, for tests.
    #[cfg(test)]
    pub(super) fn fleets(&self) -> &[Fleet] {
        &self.fleets
    }

    fn y_max(&self) -> (f64, bool) {
        let data_max = self
            .desired
            .iter()
            .chain(&self.in_service)
            .chain(&self.booting)
            .chain(self.instances.iter().flatten())
            .chain(&total(&self.fleets))
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
        // Fleets add a legend row.
        let legend_h = style::LEGEND_HEIGHT + if self.fleets.is_empty() { 0 } else { 24 };
        let (area, legend_area) = canvas::with_legend_height(root, legend_h);
        let (y_max, max_on_scale) = self.y_max();
        let end = self.data.x_end();
        let users_max = self.users.as_ref().map_or(0.0, |u| axis::max_of(u.as_slice()));
        let load_max = axis::upper(axis::max_of(&self.load).max(users_max));
        let unit = if self.serverless {
            "provisioned concurrency"
        } else if self.instances.is_some() {
            "copies"
        } else {
            "instances"
        };
        let title = if self.serverless {
            "Is provisioned concurrency ready for the load?"
        } else {
            "Is capacity ready for the load?"
        };
        let mut chart = ChartBuilder::on(&area)
            .caption(format!("{title} · {}", self.data.scenario), style::title())
            .margin(chart::MARGIN)
            .x_label_area_size(chart::X_LABEL_AREA)
            .y_label_area_size(chart::Y_LABEL_AREA)
            .right_y_label_area_size(chart::Y_LABEL_AREA)
            .build_cartesian_2d(0f64..end, 0f64..y_max)?
            .set_secondary_coord(0f64..end, 0f64..load_max);
        chart::mesh(&mut chart, self.data, &format!("{unit} (count, at each period's end)"))?;
        chart
            .configure_secondary_axes()
            .y_desc(if self.users.is_some() {
                "load [requests/s], users [count]"
            } else {
                "load [requests/s]"
            })
            .axis_desc_style(style::label())
            .label_style(style::tick())
            .y_label_formatter(&|v| axis::number(*v))
            .draw()?;

        // Load first, underneath: a light band with a thin edge, so an instance line on top of
        // it never hides it.
        let load_colour = GREY.mix(0.55);
        for seg in axis::step_segments(&self.xs, &self.load, end) {
            chart.draw_secondary_series(AreaSeries::new(seg.clone(), 0.0, GREY.mix(0.08)))?;
            chart.draw_secondary_series(LineSeries::new(seg, load_colour.stroke_width(1)))?;
        }
        if let Some(users) = &self.users {
            for seg in axis::step_segments(&self.xs_end, users, end) {
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
        // Every fleet of a deployment as a band of its billed instances, stacked in file order,
        // the total on top; each fleet's in-service count as a dotted line of its colour.
        let mut fleet_entries = vec![];
        for (i, (f, (bottom, top))) in self.fleets.iter().zip(stack(&self.fleets)).enumerate() {
            let colour = fleet_colour(i);
            let upper = steps(&self.xs_end, &top, end);
            let lower = steps(&self.xs_end, &bottom, end);
            let band: Vec<(f64, f64)> = upper.iter().copied().chain(lower.into_iter().rev()).collect();
            chart.draw_series(std::iter::once(Polygon::new(band, colour.mix(0.22).filled())))?;
            fleet_entries.push(entry(Glyph::Band(colour), format!("{} billed", f.name)));
        }
        // The series that can coincide are drawn widest first, each narrower one on top, so
        // where they agree every one still shows: in service (wide, pale), desired (dashed),
        // booting (solid, thin), each fleet in service (dotted, thinnest).
        let in_service = steps(&self.xs_end, &self.in_service, end);
        chart.draw_series(LineSeries::new(in_service, GREEN.mix(0.6).stroke_width(7)))?;
        if !self.fleets.is_empty() {
            let total = total(&self.fleets);
            chart.draw_series(LineSeries::new(steps(&self.xs_end, &total, end), DARK.stroke_width(2)))?;
        }
        chart.draw_series(DashedLineSeries::new(
            steps(&self.xs_end, &self.desired, end),
            9,
            5,
            BLUE.stroke_width(3),
        ))?;
        chart.draw_series(LineSeries::new(
            steps(&self.xs_end, &self.booting, end),
            ORANGE.stroke_width(2),
        ))?;
        for (i, f) in self.fleets.iter().enumerate() {
            let colour = fleet_colour(i);
            chart.draw_series(DashedLineSeries::new(
                steps(&self.xs_end, &f.in_service, end),
                3,
                4,
                colour.stroke_width(2),
            ))?;
            fleet_entries.push(entry(Glyph::Dashed(colour, 2), format!("{} in service", f.name)));
        }
        if let Some(hosts) = &self.instances {
            chart.draw_series(LineSeries::new(steps(&self.xs_end, hosts, end), DARK.stroke_width(1)))?;
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
            entry(Glyph::Dashed(BLUE, 3), desired),
            entry(Glyph::Line(GREEN, 6), ready),
            entry(Glyph::Line(ORANGE, 2), starting),
            entry(Glyph::Band(GREY), "load (right axis)"),
        ];
        if !self.fleets.is_empty() {
            head.push(entry(Glyph::Line(DARK, 2), "all fleets billed"));
        }
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
        head.extend(fleet_entries);
        legend::draw(&legend_area, LEGEND_LEFT, &head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::plot::run_data::RunFiles;
    use crate::report::{render_run, ManifestInput, OutputFile};

    /// The files of a bundled scenario's run.
    fn run_files(name: &str) -> Vec<OutputFile> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.ron"));
        let loaded = crate::scenario::load_for_run(&path, &[], None).unwrap();
        let m = ManifestInput {
            scenario_file: loaded.file.clone(),
            scenario_text: loaded.text.clone(),
            overrides: vec![],
            resolved: serde_json::to_value(&loaded.scenario).unwrap(),
        };
        render_run(&crate::sim::run(loaded.config), &m)
    }

    fn data(files: &[OutputFile]) -> RunData {
        let get = |n: &str| files.iter().find(|f| f.name == n).unwrap().bytes.as_slice();
        RunData::parse(RunFiles {
            timeseries_csv: get("timeseries.csv"),
            activities_csv: get("activities.csv"),
            summary_json: get("summary.json"),
            manifest_json: get("manifest.json"),
        })
        .unwrap()
    }

    /// A blue/green deployment draws both fleets and their total (the 16 instances of the
    /// peak), and its booting instances appear at the DeploymentStart marker, not a period
    /// before: gauges are read at a period's end and drawn there.
    #[test]
    fn a_deployment_draws_every_fleet_and_booting_from_the_start_marker() {
        let files = run_files("deploy-canary-rollback");
        let data = data(&files);
        let c = Capacity::new(&data).unwrap();
        let names: Vec<&str> = c.fleets().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["AllTraffic@config-1", "AllTraffic@v2"]);
        let total = total(c.fleets());
        assert_eq!(total.iter().fold(0.0f64, |m, v| m.max(*v)), 16.0);
        assert!(c.y_max().0 >= 16.0, "the total is on the scale");
        // The stack: v2's band sits on top of config-1's.
        let bands = stack(c.fleets());
        assert_eq!(bands[1].0, c.fleets()[0].instances);

        let start = data.activities_of("DeploymentStart").next().unwrap().time_s;
        assert_eq!(start, 900.0);
        let first_booting = c.booting.iter().position(|b| *b > 0.0).unwrap();
        assert_eq!(c.xs_end[first_booting], data.time.x(start));
        let first_green = c.fleets()[1].instances.iter().position(|n| *n > 0.0).unwrap();
        assert_eq!(c.xs_end[first_green], data.time.x(start));
        // Every reading before the start shows no booting instance and no green fleet.
        for (i, end) in data.t_end.iter().enumerate().filter(|(_, e)| **e < start) {
            assert_eq!(
                (c.booting[i], c.fleets()[1].instances[i]),
                (0.0, 0.0),
                "reading at {end} s"
            );
        }
    }

    /// The rendered PNG shows the green fleet: between the end of provisioning and the
    /// rollback the stacked band above 8 instances is drawn in the second fleet's colour.
    #[test]
    fn the_green_fleet_is_drawn() {
        let files = run_files("deploy-canary-rollback");
        let data = data(&files);
        let png = crate::report::plot::render_run(RunFiles {
            timeseries_csv: &files[2].bytes,
            activities_csv: &files[3].bytes,
            summary_json: &files[1].bytes,
            manifest_json: &files[0].bytes,
        })
        .unwrap();
        let capacity = png.iter().find(|f| f.name == "capacity.png").unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(capacity.bytes.clone()))
            .read_info()
            .unwrap();
        let mut rgb = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut rgb).unwrap();
        let pixel = |x: usize, y: usize| {
            let i = (y * info.width as usize + x) * 3;
            (rgb[i], rgb[i + 1], rgb[i + 2])
        };
        // The pale mix of the second fleet's colour over white (and the grid) somewhere in the
        // plotting area's upper half while both fleets are billed; none after the rollback.
        let tint = |(r, g, b): (u8, u8, u8)| r > g && b > g && r > 200 && g < 235;
        let column = |x: usize| (60..300).filter(|y| tint(pixel(x, *y))).count();
        // x in pixels: the plotting area spans 45 minutes over about 830 pixels from x = 86.
        let at = |minute: f64| (86.0 + (828.0 * minute / data.time.x(data.duration_s))) as usize;
        assert!(column(at(18.0)) > 50, "no green fleet band at minute 18");
        assert_eq!(column(at(35.0)), 0, "a green fleet band after the rollback");
    }
}
