//! `latency.{png,svg}`: end-to-end latency percentiles per metrics period (p50, p90, p99 when
//! the run recorded them) and the scenario's SLO as a horizontal line.

use super::axis;
use super::canvas::{self, DrawResult, Figure};
use super::chart::{self, LEGEND_LEFT};
use super::legend::{self, entry, Glyph};
use super::run_data::RunData;
use super::style::{self, RED};
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) struct Latency<'a> {
    data: &'a RunData,
    xs: Vec<f64>,
    /// `(label, values [ms])`, lowest percentile first.
    series: Vec<(String, Vec<Option<f64>>)>,
}

/// Percentile columns `latency_p<P>_ms` of `timeseries.csv`, as `(P, column)`, by rising P.
fn percentile_columns(header: &[String]) -> Vec<(f64, String)> {
    let mut out: Vec<(f64, String)> = header
        .iter()
        .filter_map(|h| {
            let p = h.strip_prefix("latency_p")?.strip_suffix("_ms")?;
            Some((p.replace('_', ".").parse::<f64>().ok()?, h.clone()))
        })
        .collect();
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}

impl<'a> Latency<'a> {
    pub(super) fn new(data: &'a RunData) -> Result<Self, PlotError> {
        let all = percentile_columns(data.ts.header());
        // p50, p90 and p99 tell the story; other recorded percentiles only when those are absent.
        let wanted: Vec<&(f64, String)> = all.iter().filter(|(p, _)| [50.0, 90.0, 99.0].contains(p)).collect();
        let chosen: Vec<&(f64, String)> = if wanted.is_empty() {
            all.iter().collect()
        } else {
            wanted
        };
        let series = chosen
            .into_iter()
            .map(|(p, col)| Ok((format!("p{}", axis::number(*p)), data.ts.numbers(col)?)))
            .collect::<Result<_, PlotError>>()?;
        Ok(Latency {
            data,
            xs: data.xs(),
            series,
        })
    }
}

impl Figure for Latency<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (area, legend_area) = canvas::with_legend(root);
        let data_max = axis::max_of(self.series.iter().flat_map(|s| &s.1));
        let slo = self.data.slo;
        let y_max = axis::upper(data_max.max(slo.map(|s| s.1 * 1.1).unwrap_or(0.0)));
        let mut chart = chart::time_chart(&area, self.data, "Is latency within the objective?", y_max)?;
        chart::mesh(&mut chart, self.data, "end-to-end latency per period [ms]")?;
        let mut entries = vec![];
        for (i, (label, ys)) in self.series.iter().enumerate() {
            let colour = style::series_colour(i);
            chart::broken_line(&mut chart, &self.xs, ys, colour.stroke_width(2))?;
            entries.push(entry(Glyph::Line(colour, 2), label.clone()));
        }
        if let Some((p, limit)) = slo {
            let end = self.data.x_end();
            chart.draw_series(DashedLineSeries::new(
                vec![(0.0, limit), (end, limit)],
                12,
                6,
                RED.stroke_width(2),
            ))?;
            let text = format!("SLO: p{} ≤ {} ms", axis::number(p), axis::number(limit));
            chart.draw_series(std::iter::once(Text::new(
                text.clone(),
                (end, limit),
                style::small().color(&RED).pos(Pos::new(HPos::Right, VPos::Bottom)),
            )))?;
            entries.push(entry(Glyph::Dashed(RED, 2), text));
        }
        if self.series.is_empty() {
            canvas::message(&area, "no latency percentiles in timeseries.csv")?;
        }
        legend::draw(&legend_area, LEGEND_LEFT, &entries)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_percentile_columns() {
        let h: Vec<String> = [
            "latency_mean_ms",
            "latency_p99_9_ms",
            "latency_p50_ms",
            "latency_max_ms",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let cols = super::percentile_columns(&h);
        assert_eq!(
            cols,
            vec![(50.0, "latency_p50_ms".into()), (99.9, "latency_p99_9_ms".into())]
        );
    }
}
