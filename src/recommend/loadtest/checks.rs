//! Validation of a `CreateInferenceRecommendationsJob` request into the job fleetsim runs, with
//! the ranges of the API and the console (docs/semantics/load-tests.md §1, §3-5): every invalid
//! field is reported at once, by its API path, with what was given and what is allowed.

use super::request::{EndpointConfigurationInput, JobRequest, PhaseInput, StairsInput, StoppingConditions};
use crate::engine::SimDuration;
pub use crate::model::workload::{FlatInvocations, StopRules};
use crate::model::workload::{Phase, SpawnMode, Stairs, TrafficPattern};
use crate::scenario::error::FieldError;
use crate::scenario::limits::MAX_USERS;

/// `JobDurationInSeconds` when the request has none \[assumption\]: the API's example value.
pub const DEFAULT_JOB_DURATION_S: u64 = 7200;
/// Longest `JobDurationInSeconds` the API allows.
pub const MAX_JOB_DURATION_S: u64 = 18_000;
/// Most endpoint configurations (and tests) in a job.
pub const MAX_TESTS: usize = 10;
pub use crate::model::workload::stopping::MAX_INVOCATIONS;
use crate::model::workload::stopping::{threshold_percentile, MAX_LATENCY_THRESHOLD_MS};

/// Which kind of job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobType {
    /// The service's ramp on the model's instance types, stopped at saturation or 1 % errors.
    Default,
    /// The user's pattern, endpoint configurations and stopping conditions.
    Advanced,
}

/// What one test runs on.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A new endpoint of one instance of this type.
    Instance(String),
    /// A new serverless endpoint.
    Serverless {
        memory_size_in_mb: u32,
        max_concurrency: u32,
        provisioned_concurrency: Option<u32>,
    },
    /// An existing endpoint (a model scenario of that name), with its scaling policies.
    Existing(String),
}

/// One test of the job: a target and the environment values it runs with.
#[derive(Clone, Debug, PartialEq)]
pub struct TestPlan {
    pub target: Target,
    /// `(name, value)` of each environment parameter, in the request's order.
    pub environment: Vec<(String, String)>,
}

/// A valid job.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedJob {
    pub name: String,
    pub job_type: JobType,
    pub pattern: TrafficPattern,
    pub job_duration: SimDuration,
    pub max_number_of_tests: usize,
    pub max_parallel_of_tests: usize,
    pub tests: Vec<TestPlan>,
    pub stops: StopRules,
}

/// Whether the traffic pattern's ranges are the API's (strict) or only the simulator's bounds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PatternValidation {
    #[default]
    Strict,
    Lenient,
}

struct Errors(Vec<FieldError>);

impl Errors {
    fn fail(&mut self, path: &str, value: impl std::fmt::Display, allowed: &str) {
        self.0.push(FieldError {
            path: path.to_string(),
            value: crate::scenario::parse_message::shorten(&value.to_string()),
            allowed: allowed.to_string(),
        });
    }

    /// An integer field within `lo..=hi`, as `u64`.
    fn range(&mut self, path: &str, v: i64, lo: i64, hi: i64, what: &str) -> u64 {
        if v < lo || v > hi {
            self.fail(path, v, &format!("an integer from {lo} to {hi} ({what})"));
        }
        v.clamp(lo, hi) as u64
    }
}

/// Checks `req`. `default_types` are the instance types of the model scenarios, benchmarked by
/// a `Default` job (the service chooses among the model's supported types).
pub fn check(
    req: &JobRequest,
    default_types: &[String],
    mode: PatternValidation,
) -> Result<CheckedJob, Vec<FieldError>> {
    let mut e = Errors(Vec::new());
    let valid_name = !req.job_name.is_empty()
        && req.job_name.len() <= 64
        && req.job_name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !req.job_name.starts_with('-');
    if !valid_name {
        e.fail(
            "JobName",
            format!("{:?}", req.job_name),
            "1 to 64 letters, digits and hyphens, not starting with a hyphen",
        );
    }
    let job_type = match req.job_type.as_str() {
        "Default" => JobType::Default,
        "Advanced" | "ADVANCED" => JobType::Advanced,
        other => {
            e.fail("JobType", format!("{other:?}"), "Default or Advanced");
            JobType::Advanced
        }
    };
    let input = &req.input_config;
    let duration_s = match input.job_duration_in_seconds {
        Some(d) => e.range(
            "InputConfig.JobDurationInSeconds",
            d,
            1,
            MAX_JOB_DURATION_S as i64,
            "seconds",
        ),
        None => DEFAULT_JOB_DURATION_S,
    };
    let pattern = match (job_type, &input.traffic_pattern) {
        (JobType::Advanced, Some(p)) => match (p.traffic_type.as_str(), &p.phases, &p.stairs) {
            ("PHASES", Some(phases), None) => TrafficPattern::Phases(check_phases(&mut e, phases, mode)),
            ("STAIRS", None, Some(s)) => TrafficPattern::Stairs(check_stairs(&mut e, s, mode)),
            (t @ ("PHASES" | "STAIRS"), _, _) => {
                let want = if t == "PHASES" { "Phases" } else { "Stairs" };
                e.fail(
                    "InputConfig.TrafficPattern",
                    format!(
                        "TrafficType {t} with Phases {} and Stairs {}",
                        given(&p.phases),
                        given(&p.stairs)
                    ),
                    &format!("{want} only, as TrafficType {t} says"),
                );
                TrafficPattern::constant(1, SimDuration::from_secs(120))
            }
            (other, _, _) => {
                e.fail(
                    "InputConfig.TrafficPattern.TrafficType",
                    format!("{other:?}"),
                    "PHASES or STAIRS",
                );
                TrafficPattern::constant(1, SimDuration::from_secs(120))
            }
        },
        (JobType::Advanced, None) => {
            e.fail(
                "InputConfig.TrafficPattern",
                "nothing",
                "a traffic pattern (an Advanced job runs the user's pattern)",
            );
            TrafficPattern::constant(1, SimDuration::from_secs(120))
        }
        (JobType::Default, Some(_)) => {
            e.fail(
                "InputConfig.TrafficPattern",
                "a pattern",
                "none in a Default job (the service chooses the ramp; use JobType Advanced)",
            );
            TrafficPattern::constant(1, SimDuration::from_secs(120))
        }
        (JobType::Default, None) => default_ramp(duration_s),
    };
    let total = pattern.duration();
    if total > SimDuration::from_secs(duration_s) {
        e.fail(
            "InputConfig.TrafficPattern",
            format!("{} s in all", total.0 / 1_000_000),
            &format!("at most InputConfig.JobDurationInSeconds ({duration_s} s)"),
        );
    }
    let (max_tests, max_parallel) = match &input.resource_limit {
        Some(r) => (
            r.max_number_of_tests.map_or(MAX_TESTS as u64, |v| {
                e.range("InputConfig.ResourceLimit.MaxNumberOfTests", v, 1, 10, "tests")
            }),
            r.max_parallel_of_tests.map_or(1, |v| {
                e.range(
                    "InputConfig.ResourceLimit.MaxParallelOfTests",
                    v,
                    1,
                    10,
                    "tests at once",
                )
            }),
        ),
        None => (MAX_TESTS as u64, 1),
    };
    let tests = check_targets(&mut e, req, job_type, default_types);
    let stops = check_stops(&mut e, job_type, req.stopping_conditions.as_ref());
    if !e.0.is_empty() {
        return Err(e.0);
    }
    Ok(CheckedJob {
        name: req.job_name.clone(),
        job_type,
        pattern,
        job_duration: SimDuration::from_secs(duration_s),
        max_number_of_tests: max_tests as usize,
        max_parallel_of_tests: max_parallel as usize,
        tests,
        stops,
    })
}

fn given<T>(x: &Option<T>) -> &'static str {
    if x.is_some() {
        "given"
    } else {
        "absent"
    }
}

/// The default job's ramp (docs/semantics/load-tests.md §1) \[assumption\]: 1 user, 1 more per
/// minute, in phases of at most an hour (the API's longest), as long as the job lasts. Each
/// next phase starts with the users the previous one ended with, less than 3 apart.
pub fn default_ramp(duration_s: u64) -> TrafficPattern {
    let mut phases = Vec::new();
    let mut left = duration_s;
    let mut users = 1u64;
    while left > 0 {
        let d = left.min(3600);
        let phase = Phase {
            initial_number_of_users: users.min(MAX_USERS) as u32,
            spawn_rate: 1,
            duration: SimDuration::from_secs(d),
        };
        // The next phase goes on from where this one ends, one minute on.
        users = (phase.end_users(SpawnMode::MinuteBatches) + 1).min(MAX_USERS);
        phases.push(phase);
        left -= d;
    }
    TrafficPattern::Phases(phases)
}

fn check_phases(e: &mut Errors, phases: &[PhaseInput], mode: PatternValidation) -> Vec<Phase> {
    let base = "InputConfig.TrafficPattern.Phases";
    if phases.is_empty() {
        e.fail(base, "[]", "at least one phase");
    }
    let users_max = match mode {
        PatternValidation::Strict => 3,
        PatternValidation::Lenient => MAX_USERS as i64,
    };
    let spawn_max = match mode {
        PatternValidation::Strict => 3,
        PatternValidation::Lenient => MAX_USERS as i64,
    };
    let mut out = Vec::new();
    let mut previous_end: Option<u64> = None;
    for (i, p) in phases.iter().enumerate() {
        let at = |f: &str| format!("{base}[{i}].{f}");
        let a = e.range(
            &at("InitialNumberOfUsers"),
            p.initial_number_of_users,
            1,
            users_max,
            "users",
        );
        let r = e.range(&at("SpawnRate"), p.spawn_rate, 0, spawn_max, "users per minute");
        let d = e.range(&at("DurationInSeconds"), p.duration_in_seconds, 120, 3600, "seconds");
        let phase = Phase {
            initial_number_of_users: a as u32,
            spawn_rate: r as u32,
            duration: SimDuration::from_secs(d),
        };
        let b = phase.end_users(SpawnMode::MinuteBatches);
        if b > MAX_USERS {
            e.fail(
                &at("SpawnRate"),
                format!("{r} ({b} users at the end)"),
                &format!("at most {MAX_USERS} users at once"),
            );
        }
        if let Some(prev) = previous_end {
            if a.abs_diff(prev) > 3 {
                e.fail(
                    &at("InitialNumberOfUsers"),
                    format!("{a} (users at the end of the previous phase: {prev})"),
                    "within 3 users of the previous phase's end",
                );
            }
        }
        previous_end = Some(b);
        out.push(phase);
    }
    out
}

fn check_stairs(e: &mut Errors, s: &StairsInput, mode: PatternValidation) -> Stairs {
    let base = "InputConfig.TrafficPattern.Stairs";
    let d = e.range(
        &format!("{base}.DurationInSeconds"),
        s.duration_in_seconds,
        120,
        3600,
        "seconds, the whole pattern",
    );
    let per_step_max = match mode {
        PatternValidation::Strict => 3,
        PatternValidation::Lenient => MAX_USERS as i64,
    };
    let per_step = e.range(
        &format!("{base}.UsersPerStep"),
        s.users_per_step,
        1,
        per_step_max,
        "users",
    );
    let steps = e.range(
        &format!("{base}.NumberOfSteps"),
        s.number_of_steps,
        1,
        MAX_USERS as i64,
        "steps",
    );
    if per_step * steps > MAX_USERS {
        e.fail(
            &format!("{base}.NumberOfSteps"),
            format!("{steps} ({} users in the last step)", per_step * steps),
            &format!("at most {MAX_USERS} users at once"),
        );
    }
    Stairs {
        duration: SimDuration::from_secs(d),
        number_of_steps: steps as u32,
        users_per_step: per_step as u32,
    }
}

fn check_targets(e: &mut Errors, req: &JobRequest, job_type: JobType, default_types: &[String]) -> Vec<TestPlan> {
    let input = &req.input_config;
    let configs = input.endpoint_configurations.as_deref();
    let endpoints = input.endpoints.as_deref();
    let mut tests = Vec::new();
    match (job_type, configs, endpoints) {
        (JobType::Default, Some(_), None) => e.fail(
            "InputConfig.EndpointConfigurations",
            "a list",
            "none in a Default job (its instance types are the model's; use JobType Advanced)",
        ),
        (JobType::Default, None, None) => tests.extend(default_types.iter().map(|t| TestPlan {
            target: Target::Instance(t.clone()),
            environment: Vec::new(),
        })),
        (JobType::Advanced, None, None) => e.fail(
            "InputConfig.EndpointConfigurations",
            "nothing",
            "1 to 10 endpoint configurations (or InputConfig.Endpoints)",
        ),
        // With existing endpoints the test runs against them; `EndpointConfigurations` (the
        // notebook sends both) then describes nothing to create, and the caller says so.
        (_, _, Some(list)) => {
            if list.is_empty() || list.len() > MAX_TESTS {
                e.fail("InputConfig.Endpoints", format!("{} endpoints", list.len()), "1 to 10");
            }
            tests.extend(list.iter().map(|x| TestPlan {
                target: Target::Existing(x.endpoint_name.clone()),
                environment: Vec::new(),
            }));
        }
        (JobType::Advanced, Some(list), None) => {
            if list.is_empty() || list.len() > MAX_TESTS {
                e.fail(
                    "InputConfig.EndpointConfigurations",
                    format!("{} items", list.len()),
                    "1 to 10",
                );
            }
            for (i, c) in list.iter().enumerate() {
                let path = format!("InputConfig.EndpointConfigurations[{i}]");
                if let Some(target) = check_configuration(e, &path, c) {
                    for environment in environment_combinations(e, &path, c) {
                        tests.push(TestPlan {
                            target: target.clone(),
                            environment,
                        });
                    }
                }
            }
        }
    }
    tests
}

fn check_configuration(e: &mut Errors, path: &str, c: &EndpointConfigurationInput) -> Option<Target> {
    match (&c.instance_type, &c.serverless_config) {
        (Some(t), None) => {
            if crate::model::catalog::builtin(t).is_some_and(|s| s.burstable) || t.starts_with("ml.t2.") {
                e.fail(
                    &format!("{path}.InstanceType"),
                    t,
                    &format!("a non-burstable instance type (Burstable instance type {t} is not allowed)"),
                );
            }
            Some(Target::Instance(t.clone()))
        }
        (None, Some(s)) => {
            let memory = e.range(
                &format!("{path}.ServerlessConfig.MemorySizeInMB"),
                s.memory_size_in_mb,
                1024,
                6144,
                "MB",
            );
            if s.memory_size_in_mb % 1024 != 0 {
                e.fail(
                    &format!("{path}.ServerlessConfig.MemorySizeInMB"),
                    s.memory_size_in_mb,
                    "1024, 2048, 3072, 4096, 5120 or 6144",
                );
            }
            let max = e.range(
                &format!("{path}.ServerlessConfig.MaxConcurrency"),
                s.max_concurrency,
                1,
                200,
                "executions at once",
            );
            let pc = s.provisioned_concurrency.map(|pc| {
                e.range(
                    &format!("{path}.ServerlessConfig.ProvisionedConcurrency"),
                    pc,
                    1,
                    s.max_concurrency.clamp(1, 200),
                    "at most MaxConcurrency",
                ) as u32
            });
            Some(Target::Serverless {
                memory_size_in_mb: memory as u32,
                max_concurrency: max as u32,
                provisioned_concurrency: pc,
            })
        }
        (a, _) => {
            e.fail(
                path,
                if a.is_some() {
                    "InstanceType and ServerlessConfig"
                } else {
                    "neither InstanceType nor ServerlessConfig"
                },
                "exactly one of InstanceType and ServerlessConfig",
            );
            None
        }
    }
}

/// Every combination of the configuration's environment values (the first parameter varies
/// slowest), or one empty combination.
fn environment_combinations(e: &mut Errors, path: &str, c: &EndpointConfigurationInput) -> Vec<Vec<(String, String)>> {
    let ranges = c
        .environment_parameter_ranges
        .as_ref()
        .map_or(&[][..], |r| &r.categorical_parameter_ranges[..]);
    let mut combos: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for (k, r) in ranges.iter().enumerate() {
        if r.value.is_empty() {
            e.fail(
                &format!("{path}.EnvironmentParameterRanges.CategoricalParameterRanges[{k}].Value"),
                "[]",
                "at least one value",
            );
            continue;
        }
        // Bounded before it grows: a job holds at most 10 tests.
        if combos.len().saturating_mul(r.value.len()) > MAX_TESTS {
            e.fail(
                &format!("{path}.EnvironmentParameterRanges"),
                format!("{} or more combinations", combos.len() * r.value.len()),
                &format!("at most {MAX_TESTS} tests in a job"),
            );
            return vec![Vec::new()];
        }
        combos = combos
            .into_iter()
            .flat_map(|c| {
                r.value.iter().map(move |v| {
                    let mut c = c.clone();
                    c.push((r.name.clone(), v.clone()));
                    c
                })
            })
            .collect();
    }
    combos
}

fn check_stops(e: &mut Errors, job_type: JobType, s: Option<&StoppingConditions>) -> StopRules {
    if job_type == JobType::Default {
        if s.is_some() {
            e.fail(
                "StoppingConditions",
                "given",
                "none in a Default job (it stops at saturation or 1 % failed invocations; use JobType Advanced)",
            );
        }
        return StopRules {
            max_invocations: None,
            latency: None,
            flat: FlatInvocations::Stop,
            flatness: Default::default(),
            failure_share: Some(crate::autoscaling::guidance::BENCHMARK_FAILURE_SHARE),
        };
    }
    let s = s.cloned().unwrap_or_default();
    let max_invocations = s.max_invocations.map(|v| {
        e.range(
            "StoppingConditions.MaxInvocations",
            v,
            1,
            MAX_INVOCATIONS as i64,
            "invocations per minute",
        )
    });
    let latency = match s.model_latency_thresholds.as_deref() {
        None => None,
        Some([t]) => {
            let p = threshold_percentile(&t.percentile);
            if p.is_none() {
                e.fail(
                    "StoppingConditions.ModelLatencyThresholds[0].Percentile",
                    format!("{:?}", t.percentile),
                    "P followed by a whole percentile from 1 to 99, e.g. P95",
                );
            }
            let ms = e.range(
                "StoppingConditions.ModelLatencyThresholds[0].ValueInMilliseconds",
                t.value_in_milliseconds,
                1,
                MAX_LATENCY_THRESHOLD_MS as i64,
                "milliseconds (a real-time call times out at 60 s)",
            );
            p.map(|p| (f64::from(p), ms * 1000))
        }
        Some(list) => {
            e.fail(
                "StoppingConditions.ModelLatencyThresholds",
                format!("{} items", list.len()),
                "exactly one {Percentile, ValueInMilliseconds}",
            );
            None
        }
    };
    let flat = match s.flat_invocations.as_deref() {
        None | Some("Stop") => FlatInvocations::Stop,
        Some("Continue") => FlatInvocations::Continue,
        Some(other) => {
            e.fail(
                "StoppingConditions.FlatInvocations",
                format!("{other:?}"),
                "Stop or Continue",
            );
            FlatInvocations::Stop
        }
    };
    StopRules {
        max_invocations,
        latency,
        flat,
        flatness: Default::default(),
        failure_share: None,
    }
}
