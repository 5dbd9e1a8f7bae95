//! Duration distributions, model versions and launch phases: the shapes that variants,
//! deployments, inference components and serverless endpoints share.

use super::check::Check;
use super::files::SAMPLE_UNITS;
use crate::engine::SimDuration;
use crate::model::{DurationDist, ModelVersion};
use crate::scenario::file::{self, Dist};
use crate::sim::LaunchConfig;

impl Check<'_> {
    /// A distribution of durations; `positive` refuses one that is always zero.
    pub(super) fn dist(&mut self, path: &str, d: &Dist, positive: bool) -> DurationDist {
        match d {
            Dist::Constant(c) => {
                if positive && c.0 .0 == 0 {
                    self.fail(&format!("{path}.Constant"), "\"0s\"", "a duration > 0");
                }
                DurationDist::Constant(c.0)
            }
            Dist::Uniform { min, max } => {
                if min.0 > max.0 {
                    self.fail(
                        &format!("{path}.max"),
                        format!("\"{}\" (min \"{}\")", max.0, min.0),
                        "a duration >= min",
                    );
                }
                DurationDist::Uniform { min: min.0, max: max.0 }
            }
            Dist::Exponential { mean } => {
                self.positive_duration(&format!("{path}.mean"), mean.0);
                DurationDist::Exponential { mean: mean.0 }
            }
            Dist::LogNormal { median, p99 } => {
                self.positive_duration(&format!("{path}.median"), median.0);
                if p99.0 < median.0 {
                    self.fail(
                        &format!("{path}.p99"),
                        format!("\"{}\" (median \"{}\")", p99.0, median.0),
                        "a duration >= median (the 99th percentile cannot be below the median)",
                    );
                }
                DurationDist::lognormal(median.0, p99.0.max(median.0))
            }
            Dist::Gamma { mean, cv } => {
                self.positive_duration(&format!("{path}.mean"), mean.0);
                let cv = self.finite_range(&format!("{path}.cv"), *cv, 1e-6, 100.0, "a number from 0.000001 to 100");
                DurationDist::gamma(mean.0.max(SimDuration(1)), cv.clamp(1e-6, 100.0))
                    .unwrap_or(DurationDist::Constant(mean.0))
            }
            Dist::Samples(s) => {
                if s.is_empty() {
                    self.fail(&format!("{path}.Samples"), "[]", "a non-empty list of durations");
                    return DurationDist::Constant(SimDuration::ZERO);
                }
                DurationDist::Empirical(s.iter().map(|d| d.0 .0).collect::<Vec<_>>().into())
            }
            Dist::Empirical { file, unit } => {
                if !SAMPLE_UNITS.contains(&unit.as_str()) {
                    self.fail(
                        &format!("{path}.unit"),
                        format!("\"{unit}\""),
                        "\"us\", \"ms\" or \"s\"",
                    );
                    return DurationDist::Constant(SimDuration::ZERO);
                }
                DurationDist::Empirical(self.files.samples(file, unit))
            }
        }
    }

    /// A model version (a variant's, or the new one of a deployment).
    pub(super) fn model(&mut self, mp: &str, m: &file::Model) -> ModelVersion {
        let error_rate = self.finite_range(
            &format!("{mp}.error_rate"),
            m.error_rate,
            0.0,
            1.0,
            "a probability from 0 to 1",
        );
        let client = self.finite_range(
            &format!("{mp}.client_error_rate"),
            m.client_error_rate,
            0.0,
            1.0,
            "a probability from 0 to 1",
        );
        let load_slowdown = self.finite_range(
            &format!("{mp}.load_slowdown"),
            m.load_slowdown,
            0.0,
            1000.0,
            "a number from 0 to 1000",
        );
        let service_time = self.dist(&format!("{mp}.service_time"), &m.service_time, true);
        ModelVersion {
            label: m.label.clone(),
            service_time,
            error_rate,
            client_error_rate: client,
            overhead: m.overhead.0,
            load_slowdown,
        }
    }

    /// Boot phases of new instances.
    pub(super) fn launch(&mut self, p: &str, l: &file::Launch) -> LaunchConfig {
        LaunchConfig {
            pending: self.dist(&format!("{p}.pending"), &l.pending, false),
            provision: self.dist(&format!("{p}.provision"), &l.provision, false),
            load: self.dist(&format!("{p}.load"), &l.load, false),
        }
    }
}
