//! Validation: scenario file types to a `SimConfig`, or every invalid field with its path, value
//! and allowed range. Nothing is simulated until the whole scenario is valid.

use super::error::{FieldError, ScenarioError};
use super::file::{self, Dist, Endpoint, Rate, Scenario, Workload as FileWorkload};
use super::inputs;
use super::limits;
use crate::engine::{SimDuration, SimTime};
use crate::model::catalog::{self, InstanceSpec, Provenance};
use crate::model::metrics::MetricsConfig;
use crate::model::workload::{ArrivalProcess, CountTrace, RateShape, TimestampTrace, Workload};
use crate::model::{DurationDist, ModelVersion, Routing};
use crate::sim::{CapacityUpdate, EndpointConfig, EndpointKind, LaunchConfig, SimConfig, StartState, VariantConfig};
use std::path::Path;
use std::sync::Arc;

use limits::{MAX_CONCURRENCY, MAX_DURATION, MAX_INSTANCES};

/// Collects field errors; later passes still run so a user sees every problem at once.
pub(super) struct Check<'a> {
    errors: Vec<FieldError>,
    base: &'a Path,
    input: Option<ScenarioError>,
}

impl Check<'_> {
    pub(super) fn fail(&mut self, path: &str, value: impl std::fmt::Display, allowed: &str) {
        self.errors.push(FieldError {
            path: path.to_string(),
            // A value pasted by mistake may be megabytes long: echo its start only.
            value: super::parse_message::shorten(&value.to_string()),
            // What is allowed may list names the user chose (alarms, variants): bounded too.
            allowed: super::parse_message::shorten_to(allowed, 1_000),
        });
    }

    pub(super) fn finite_range(&mut self, path: &str, v: f64, lo: f64, hi: f64, allowed: &str) -> f64 {
        if !(v.is_finite() && v >= lo && v <= hi) {
            self.fail(path, v, allowed);
        }
        v
    }

    /// A finite value strictly between `lo` and `hi`.
    fn open_range(&mut self, path: &str, v: f64, lo: f64, hi: f64) -> f64 {
        if !(v.is_finite() && v > lo && v < hi) {
            self.fail(path, v, &format!("a number strictly between {lo} and {hi}"));
        }
        v
    }

    fn positive_duration(&mut self, path: &str, d: SimDuration) -> SimDuration {
        if d.0 == 0 {
            self.fail(path, "\"0s\"", "a duration > 0");
        }
        d
    }

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
                if !["us", "ms", "s"].contains(&unit.as_str()) {
                    self.fail(
                        &format!("{path}.unit"),
                        format!("\"{unit}\""),
                        "\"us\", \"ms\" or \"s\"",
                    );
                    return DurationDist::Constant(SimDuration::ZERO);
                }
                match inputs::samples(self.base, file, unit) {
                    Ok(v) => DurationDist::Empirical(Arc::from(v)),
                    Err(e) => {
                        self.input.get_or_insert(e);
                        DurationDist::Constant(SimDuration::ZERO)
                    }
                }
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

    fn rate(&mut self, path: &str, r: &Rate) -> RateShape {
        const RPS: &str = "a rate from 0 to 1e9 requests per second";
        match r {
            Rate::Constant(x) => {
                RateShape::Constant(self.finite_range(&format!("{path}.Constant"), *x, 0.0, limits::MAX_RPS, RPS))
            }
            Rate::Ramp {
                from_rps,
                to_rps,
                start,
                duration,
            } => RateShape::Ramp {
                from_rps: self.finite_range(&format!("{path}.from_rps"), *from_rps, 0.0, limits::MAX_RPS, RPS),
                to_rps: self.finite_range(&format!("{path}.to_rps"), *to_rps, 0.0, limits::MAX_RPS, RPS),
                start: SimTime(start.0 .0),
                duration: duration.0,
            },
            Rate::Steps(steps) => {
                if steps.is_empty() {
                    self.fail(&format!("{path}.Steps"), "[]", "at least one step");
                }
                for (i, w) in steps.windows(2).enumerate() {
                    if w[1].at <= w[0].at {
                        self.fail(
                            &format!("{path}.Steps[{}].at", i + 1),
                            format!("\"{}\"", w[1].at.0),
                            "steps in increasing time order",
                        );
                    }
                }
                RateShape::Steps(
                    steps
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            (
                                SimTime(s.at.0 .0),
                                self.finite_range(&format!("{path}.Steps[{i}].rps"), s.rps, 0.0, limits::MAX_RPS, RPS),
                            )
                        })
                        .collect(),
                )
            }
            Rate::Stairs {
                duration,
                number_of_steps,
                rps_per_step,
            } => {
                let d = self.positive_duration(&format!("{path}.duration"), duration.0);
                if *number_of_steps == 0 || *number_of_steps > 10_000 {
                    self.fail(
                        &format!("{path}.number_of_steps"),
                        number_of_steps,
                        "an integer from 1 to 10000",
                    );
                    // The shape lays out one entry per step: never build it out of range.
                    return RateShape::Constant(0.0);
                }
                if *number_of_steps > 0 && d.0 > 0 && d.0 / u64::from(*number_of_steps) == 0 {
                    self.fail(
                        &format!("{path}.duration"),
                        format!("\"{}\" ({number_of_steps} steps)", duration.0),
                        "at least 1 µs per step",
                    );
                }
                let per = self.finite_range(
                    &format!("{path}.rps_per_step"),
                    *rps_per_step,
                    0.0,
                    limits::MAX_RPS,
                    RPS,
                );
                let top = per * f64::from(*number_of_steps);
                if top > limits::MAX_RPS {
                    self.fail(
                        &format!("{path}.rps_per_step"),
                        format!("{per} ({number_of_steps} steps reach {top} requests per second)"),
                        "a top step of at most 1e9 requests per second",
                    );
                }
                RateShape::stairs(d, *number_of_steps, per)
            }
            Rate::Diurnal {
                mean_rps,
                amplitude,
                period,
                peak_at,
            } => RateShape::Diurnal {
                mean_rps: self.finite_range(&format!("{path}.mean_rps"), *mean_rps, 0.0, limits::MAX_RPS, RPS),
                amplitude: self.finite_range(
                    &format!("{path}.amplitude"),
                    *amplitude,
                    0.0,
                    1.0,
                    "a number from 0 to 1",
                ),
                period: self.positive_duration(&format!("{path}.period"), period.0),
                peak_at: SimTime(peak_at.0 .0),
            },
            Rate::Spike {
                base,
                start,
                duration,
                multiplier,
            } => RateShape::Spike {
                base: Box::new(self.rate(&format!("{path}.base"), base)),
                start: SimTime(start.0 .0),
                duration: duration.0,
                multiplier: self.finite_range(
                    &format!("{path}.multiplier"),
                    *multiplier,
                    0.0,
                    1e6,
                    "a number from 0 to 1e6",
                ),
            },
            Rate::Sum(parts) => {
                if parts.is_empty() {
                    self.fail(&format!("{path}.Sum"), "[]", "at least one shape");
                }
                RateShape::Sum(
                    parts
                        .iter()
                        .enumerate()
                        .map(|(i, p)| self.rate(&format!("{path}.Sum[{i}]"), p))
                        .collect(),
                )
            }
        }
    }
}

/// Resolves an instance type from the scenario's `instance_types` and the built-in catalog.
fn instance_type(s: &Scenario, name: &str) -> Option<InstanceSpec> {
    let custom = s.instance_types.iter().find(|t| t.name == name);
    let mut spec = catalog::builtin(name).or_else(|| {
        custom.map(|_| InstanceSpec {
            name: name.to_string(),
            vcpus: None,
            memory_gib: None,
            gpus: None,
            gpu_memory_gib: None,
            price_per_hour_usd: None,
            local_nvme: false,
            burstable: name.starts_with("ml.t"),
            arch: catalog::Arch::X86,
            hardware_provenance: Provenance::Scenario,
            price_provenance: Provenance::Scenario,
            endpoint_quota: None,
        })
    })?;
    if let Some(c) = custom {
        if c.vcpus.is_some() {
            spec.vcpus = c.vcpus;
            spec.hardware_provenance = Provenance::Scenario;
        }
        spec.memory_gib = c.memory_gib.or(spec.memory_gib);
        spec.gpus = c.gpus.or(spec.gpus);
        spec.gpu_memory_gib = c.gpu_memory_gib.or(spec.gpu_memory_gib);
        if c.price_per_hour.is_some() {
            spec.price_per_hour_usd = c.price_per_hour;
            spec.price_provenance = Provenance::Scenario;
        }
        spec.endpoint_quota = c.endpoint_quota;
    }
    Some(spec)
}

/// Letters, digits, `-`, `_`, `.`, starting with a letter or digit (so never `.` or `..`,
/// which would escape the output folder).
pub(super) fn valid_name(name: &str) -> bool {
    name.len() <= 128
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Validates a scenario into a run configuration plus warnings (e.g. unknown prices).
pub fn validate(s: &Scenario, file: &str, base: &Path) -> Result<(SimConfig, Vec<String>), ScenarioError> {
    let oversized = super::limits::check_sizes(s);
    if !oversized.is_empty() {
        return Err(ScenarioError::Invalid {
            file: file.to_string(),
            errors: oversized,
        });
    }
    let mut c = Check {
        errors: Vec::new(),
        base,
        input: None,
    };
    let mut warnings = Vec::new();
    if !valid_name(&s.name) {
        c.fail(
            "name",
            format!("\"{}\"", s.name),
            "1 to 128 letters, digits, `-`, `_` or `.`, starting with a letter or digit (it names the output folder)",
        );
    }
    if s.duration.0 .0 == 0 || s.duration.0 > MAX_DURATION {
        c.fail(
            "duration",
            format!("\"{}\"", s.duration.0),
            "a duration > 0 and at most 366d",
        );
    }
    for (i, t) in s.instance_types.iter().enumerate() {
        let p = format!("instance_types[{i}]");
        if !t.name.starts_with("ml.") {
            c.fail(
                &format!("{p}.name"),
                format!("\"{}\"", t.name),
                "an instance type name starting with `ml.`",
            );
        }
        if let Some(v) = t.vcpus {
            if v == 0 {
                c.fail(&format!("{p}.vcpus"), v, "an integer >= 1");
            }
        }
        if s.instance_types[..i].iter().any(|o| o.name == t.name) {
            c.fail(
                &format!("{p}.name"),
                format!("\"{}\"", t.name),
                "a name not declared earlier in instance_types",
            );
        }
        for (field, v) in [("memory_gib", t.memory_gib), ("gpu_memory_gib", t.gpu_memory_gib)] {
            if let Some(x) = v {
                c.finite_range(&format!("{p}.{field}"), x, 0.0, 1e6, "a size from 0 to 1e6 GiB");
            }
        }
        if let Some(x) = t.price_per_hour {
            c.finite_range(
                &format!("{p}.price_per_hour"),
                x,
                0.0,
                1e6,
                "a price from 0 to 1e6 USD per hour",
            );
        }
    }

    // A serverless endpoint's one variant is validated on its own; it has no instances,
    // routing, backlog or capacity updates.
    let serverless = super::validate_serverless::validate_serverless(&mut c, s);
    let (no_variants, no_updates, default_routing, warm) =
        (Vec::new(), Vec::new(), file::Routing::default(), file::Start::Warm);
    // The two instance-based endpoint kinds share variants, routing, start and capacity
    // updates; they differ in how requests wait.
    let (kind, routing, variants, start, capacity_updates, config_name) = match &s.endpoint {
        Endpoint::Serverless { .. } => (
            EndpointKind::Serverless,
            &default_routing,
            &no_variants,
            &warm,
            &no_updates,
            super::validate_serverless::config_name(&s.endpoint).expect("a serverless endpoint"),
        ),
        Endpoint::RealTime {
            routing,
            variants,
            start,
            capacity_updates,
            endpoint_config_name,
            ..
        } => (
            EndpointKind::RealTime,
            routing,
            variants,
            start,
            capacity_updates,
            endpoint_config_name,
        ),
        Endpoint::Async {
            routing,
            variants,
            start,
            capacity_updates,
            endpoint_config_name,
            ..
        } => (
            EndpointKind::Async,
            routing,
            variants,
            start,
            capacity_updates,
            endpoint_config_name,
        ),
    };
    if !valid_name(config_name) {
        c.fail(
            "endpoint.endpoint_config_name",
            format!("\"{config_name}\""),
            "1 to 128 letters, digits, `-`, `_` or `.`, starting with a letter or digit",
        );
    }
    let is_async = kind == EndpointKind::Async;
    // Worker slots per instance: MaxConcurrentInvocationsPerInstance overrides every variant's
    // `concurrency` on an asynchronous endpoint.
    let mut slots_override = None;
    let (backlog_capacity, wait_timeout, processing_timeout) = match &s.endpoint {
        Endpoint::RealTime { backlog, .. } => {
            c.positive_duration("endpoint.backlog.timeout", backlog.timeout.0);
            if backlog.capacity > limits::MAX_BACKLOG {
                c.fail(
                    "endpoint.backlog.capacity",
                    backlog.capacity,
                    &format!(
                        "an integer from 0 to {} (waiting requests are held in memory)",
                        limits::MAX_BACKLOG
                    ),
                );
            }
            (backlog.capacity, backlog.timeout.0, None)
        }
        Endpoint::Async {
            max_concurrent_invocations_per_instance,
            request_ttl,
            invocation_timeout,
            ..
        } => {
            if let Some(n) = max_concurrent_invocations_per_instance {
                if *n == 0 || *n > 1000 {
                    c.fail(
                        "endpoint.max_concurrent_invocations_per_instance",
                        n,
                        "an integer from 1 to 1000",
                    );
                }
                slots_override = Some(*n);
            }
            let ttl = request_ttl.0;
            if ttl < SimDuration::from_secs(60) || ttl > SimDuration::from_secs(6 * 3600) {
                c.fail(
                    "endpoint.request_ttl",
                    format!("\"{ttl}\""),
                    "a duration from 60s to 6h (RequestTTLSeconds)",
                );
            }
            let limit = invocation_timeout.0;
            if limit < SimDuration::from_secs(1) || limit > SimDuration::from_secs(3600) {
                c.fail(
                    "endpoint.invocation_timeout",
                    format!("\"{limit}\""),
                    "a duration from 1s to 1h (InvocationTimeoutSeconds)",
                );
            }
            // The durable queue has no limit of its own, but its requests are held in memory:
            // past the documented maximum a request is refused as if the queue were full.
            (limits::MAX_BACKLOG, ttl, Some(limit))
        }
        // No backlog: a request gets a unit at once or is throttled.
        Endpoint::Serverless { .. } => (0, SimDuration::from_secs(60), None),
    };
    if variants.is_empty() && serverless.is_none() {
        c.fail("endpoint.variants", "[]", "at least one variant");
    }
    let mut vcs = Vec::new();
    // A shadow test's variant is validated like the others and becomes the last variant.
    let n_production = variants.len();
    let all: Vec<&file::Variant> = variants
        .iter()
        .chain(
            s.shadow_test
                .as_ref()
                .filter(|_| serverless.is_none())
                .map(|t| &t.variant),
        )
        .collect();
    let variants = &all;
    for (i, v) in variants.iter().enumerate() {
        let p = if i < n_production {
            format!("endpoint.variants[{i}]")
        } else {
            "shadow_test.variant".to_string()
        };
        if !valid_name(&v.name) {
            c.fail(
                &format!("{p}.name"),
                format!("\"{}\"", v.name),
                "1 to 128 letters, digits, `-`, `_` or `.`, starting with a letter or digit",
            );
        }
        if variants[..i].iter().any(|o| o.name == v.name) {
            c.fail(
                &format!("{p}.name"),
                format!("\"{}\"", v.name),
                "a name not used by another variant",
            );
        }
        let instance = match instance_type(s, &v.instance_type) {
            Some(spec) => {
                if spec.price_per_hour_usd.is_none() {
                    warnings.push(format!(
                        "{p}: no price is known for {}; cost is reported as null (set instance_types: [InstanceType(name: \"{}\", price_per_hour: ...)])",
                        spec.name, spec.name
                    ));
                }
                if spec.vcpus.is_none() {
                    warnings.push(format!(
                        "{p}: vCPUs of {} unknown; CPUUtilization assumes 1 vCPU",
                        spec.name
                    ));
                }
                spec
            }
            None => {
                let known: Vec<&str> = catalog::builtin_names().collect();
                c.fail(
                    &format!("{p}.instance_type"),
                    format!("\"{}\"", v.instance_type),
                    &format!(
                        "a built-in type ({}) or one declared in instance_types",
                        known.join(", ")
                    ),
                );
                continue;
            }
        };
        if is_async && v.initial_instance_count > MAX_INSTANCES {
            c.fail(
                &format!("{p}.initial_instance_count"),
                v.initial_instance_count,
                "an integer from 0 to 100000",
            );
        } else if !is_async
            && v.inference_components.is_empty()
            && (v.initial_instance_count == 0 || v.initial_instance_count > MAX_INSTANCES)
        {
            c.fail(
                &format!("{p}.initial_instance_count"),
                v.initial_instance_count,
                "an integer from 1 to 100000 (real-time variants keep at least one instance; only asynchronous endpoints may start at 0)",
            );
        }
        c.finite_range(
            &format!("{p}.initial_weight"),
            v.initial_weight,
            0.0,
            1e9,
            "a weight from 0 to 1e9",
        );
        if v.concurrency == 0 || v.concurrency > MAX_CONCURRENCY {
            c.fail(&format!("{p}.concurrency"), v.concurrency, "an integer from 1 to 10000");
        }
        let model = match &v.model {
            Some(m) => c.model(&format!("{p}.model"), m),
            None => {
                if v.inference_components.is_empty() {
                    c.fail(
                        &format!("{p}.model"),
                        "None",
                        "a Model(..) (required unless the variant hosts inference_components)",
                    );
                }
                super::validate_components::no_model()
            }
        };
        let launch = c.launch(&format!("{p}.launch"), &v.launch);
        vcs.push(VariantConfig {
            name: v.name.clone(),
            instance,
            initial_instance_count: v.initial_instance_count,
            initial_weight: v.initial_weight,
            concurrency: slots_override.unwrap_or(v.concurrency).max(1),
            model,
            launch,
        });
    }
    let variants = &all[..n_production];
    let no_deployments = Vec::new();
    let mut serverless_config = None;
    // The serverless variant is the endpoint's only one; deployments were rejected with it.
    let (n_production, deployments_in) = match serverless {
        Some((vc, cfg)) => {
            vcs.push(vc);
            serverless_config = Some(cfg);
            (1, &no_deployments)
        }
        None => (n_production, &s.deployments),
    };
    // An endpoint with inference components runs its components as variants (copies for
    // instances) on a pool of hosts.
    let components = super::validate_components::validate_components(&mut c, s, variants, &vcs, kind, &mut warnings)
        .map(|(pool, ics)| {
            vcs = ics;
            pool
        });
    if !variants.is_empty() && variants.iter().all(|v| v.initial_weight <= 0.0) {
        c.fail(
            "endpoint.variants[*].initial_weight",
            0,
            "at least one variant with a weight > 0",
        );
    }
    let mut updates = Vec::new();
    for (i, u) in capacity_updates.iter().enumerate() {
        let p = format!("endpoint.capacity_updates[{i}]");
        match variants.iter().position(|v| v.name == u.variant) {
            Some(idx) => updates.push(CapacityUpdate {
                at: SimTime(u.at.0 .0),
                variant: idx,
                desired: u.desired_instance_count,
            }),
            None => {
                let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
                c.fail(
                    &format!("{p}.variant"),
                    format!("\"{}\"", u.variant),
                    &format!("one of the variant names: {}", names.join(", ")),
                );
            }
        }
        let lowest = u32::from(!is_async);
        if u.desired_instance_count < lowest || u.desired_instance_count > MAX_INSTANCES {
            c.fail(
                &format!("{p}.desired_instance_count"),
                u.desired_instance_count,
                &format!("an integer from {lowest} to 100000"),
            );
        }
        if u.at.0 >= s.duration.0 {
            c.fail(
                &format!("{p}.at"),
                format!("\"{}\"", u.at.0),
                &format!("a time before the end of the run ({})", s.duration.0),
            );
        }
    }
    updates.sort_by_key(|u| u.at);

    let workload = match &s.workload {
        FileWorkload::Open { arrivals, rate } => Workload::Open {
            arrivals: match arrivals {
                file::Arrivals::Poisson => ArrivalProcess::Poisson,
                file::Arrivals::Deterministic => ArrivalProcess::Deterministic,
            },
            rate: c.rate("workload.rate", rate),
        },
        FileWorkload::Trace { file, format, scale } => {
            let scale = c.finite_range("workload.scale", *scale, 0.0, 1e6, "a number from 0 to 1e6");
            match format {
                file::TraceFormat::Counts { period } => {
                    let period = c.positive_duration("workload.format.period", period.0);
                    match inputs::count_trace(base, file, period.max(SimDuration(1)), scale) {
                        Ok(rows) => Workload::TraceCounts(CountTrace {
                            period,
                            rows: rows.into(),
                        }),
                        Err(e) => {
                            c.input.get_or_insert(e);
                            Workload::TraceCounts(CountTrace {
                                period,
                                rows: Arc::from(Vec::new()),
                            })
                        }
                    }
                }
                file::TraceFormat::Timestamps => {
                    if scale != 1.0 {
                        c.fail("workload.scale", scale, "1 (a timestamp trace cannot be scaled)");
                    }
                    match inputs::timestamp_trace(base, file) {
                        Ok(times) => Workload::TraceTimestamps(TimestampTrace { times: times.into() }),
                        Err(e) => {
                            c.input.get_or_insert(e);
                            Workload::TraceTimestamps(TimestampTrace {
                                times: Arc::from(Vec::new()),
                            })
                        }
                    }
                }
            }
        }
    };

    let m = &s.metrics;
    let period = c.positive_duration("metrics.period", m.period.0);
    let hr = c.positive_duration("metrics.high_resolution_period", m.high_resolution_period.0);
    if hr.0 > 0 && period.0 % hr.0 != 0 {
        c.fail(
            "metrics.high_resolution_period",
            format!("\"{hr}\""),
            &format!("a duration that divides metrics.period ({period})"),
        );
    }
    // Periods and ticks are kept or worked through one by one: bound their number per run.
    let run = s.duration.0.min(MAX_DURATION);
    for (field, d, most, what) in [
        (
            "metrics.period",
            period,
            limits::MAX_METRIC_PERIODS,
            "metrics periods (timeseries.csv rows, held in memory)",
        ),
        (
            "metrics.high_resolution_period",
            hr,
            limits::MAX_SAMPLING_TICKS,
            "sampling ticks",
        ),
    ] {
        if d.0 > 0 && run.0.div_ceil(d.0) > most {
            c.fail(
                field,
                format!("\"{d}\" ({} in a run of {run})", run.0.div_ceil(d.0)),
                &format!(
                    "a duration of at least {} for this run: a run holds at most {most} {what}",
                    SimDuration(run.0.div_ceil(most))
                ),
            );
        }
    }
    let delay = m.publication_delay.0;
    if hr.0 > 0 && delay.0 / hr.0 > limits::MAX_HISTORY_TICKS {
        c.fail(
            "metrics.publication_delay",
            format!("\"{delay}\""),
            &format!(
                "at most {} sampling ticks (metrics.high_resolution_period {hr})",
                limits::MAX_HISTORY_TICKS
            ),
        );
    }
    for (i, p) in m.percentiles.iter().enumerate() {
        if !(p.is_finite() && *p > 0.0 && *p < 100.0) {
            c.fail(
                &format!("metrics.percentiles[{i}]"),
                p,
                "a percentile strictly between 0 and 100",
            );
        }
    }

    let mut percentiles = m.percentiles.clone();
    // Configuration series: the initial configuration of each deployed variant, then each
    // deployment's (the order `sim::config_series` gives the recorder).
    let deployed = super::validate_deployment::configs(deployments_in, &vcs[..n_production.min(vcs.len())]);
    let mut series = Vec::new();
    for v in 0..vcs.len() {
        if deployed.iter().any(|(dv, _)| *dv == v) {
            series.push((v, config_name.clone()));
            series.extend(deployed.iter().filter(|(dv, _)| *dv == v).cloned());
        }
    }
    let (alarms, targets) = super::validate_scaling::validate_scaling(
        &mut c,
        &s.alarms,
        &s.autoscaling,
        super::validate_scaling::EndpointFacts {
            variants: &vcs,
            kind,
            configs: &series,
            serverless: serverless_config
                .as_ref()
                .map(|s| (s.max_concurrency, s.provisioned_concurrency.is_some())),
            min_instances: components.as_ref().map(|pool| pool.min_instance_count),
        },
        hr.max(SimDuration(1)),
        period,
        &mut percentiles,
    );
    if hr.0 > 0 && delay.0 % hr.0 != 0 {
        c.fail(
            "metrics.publication_delay",
            format!("\"{delay}\""),
            &format!("a multiple of metrics.high_resolution_period ({hr})"),
        );
    }
    let start_time = match &s.start_time {
        None => crate::sim::default_start_time(),
        Some(text) => match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(t) => t.with_timezone(&chrono::Utc),
            Err(_) => {
                c.fail(
                    "start_time",
                    format!("\"{text}\""),
                    "an RFC 3339 instant such as \"2024-01-01T00:00:00Z\"",
                );
                crate::sim::default_start_time()
            }
        },
    };
    let slo = s.slo.as_ref().map(|slo| crate::sim::Slo {
        percentile: c.open_range("slo.percentile", slo.percentile, 0.0, 100.0),
        latency: c.positive_duration("slo.latency", slo.latency.0),
    });

    let shadow = s
        .shadow_test
        .as_ref()
        .filter(|_| vcs.len() == n_production + 1)
        .and_then(|t| super::validate_deployment::validate_shadow(&mut c, t, &vcs, kind, s.duration.0, &mut warnings));
    let alarm_names: Vec<String> = s.alarms.iter().map(|a| a.name.clone()).collect();
    let deployments = super::validate_deployment::validate_deployments(
        &mut c,
        deployments_in,
        &super::validate_deployment::Context {
            variants: &vcs[..n_production.min(vcs.len())],
            alarms: &alarms,
            alarm_names: &alarm_names,
            kind,
            duration: s.duration.0,
            tick: hr,
            initial_config: config_name,
        },
        &mut warnings,
    );

    if let Some(e) = c.input {
        return Err(e);
    }
    if !c.errors.is_empty() {
        return Err(ScenarioError::Invalid {
            file: file.to_string(),
            errors: c.errors,
        });
    }
    let config = SimConfig {
        name: s.name.clone(),
        seed: s.seed,
        duration: s.duration.0,
        endpoint: EndpointConfig {
            kind,
            routing: match routing {
                file::Routing::Random => Routing::Random,
                file::Routing::LeastOutstandingRequests => Routing::LeastOutstandingRequests,
            },
            variants: vcs,
            backlog_capacity,
            invocation_timeout: wait_timeout,
            processing_timeout,
            start: match start {
                file::Start::Warm => StartState::Warm,
                file::Start::Cold => StartState::Cold,
            },
            capacity_updates: updates,
            config_name: config_name.clone(),
            serverless: serverless_config,
            components,
        },
        workload,
        metrics: MetricsConfig {
            period,
            high_resolution_period: hr,
            percentiles,
        },
        start_time,
        publication_delay: delay,
        alarms,
        targets,
        deployments,
        shadow,
        slo,
    };
    Ok((config, warnings))
}
