//! Helpers shared by the integration tests, so each test file keeps only what is its own.
//!
//! - Configurations built in code: [`mmc`], [`TINY_SCENARIO`].
//! - Scenario text: [`load`] and [`load_with`] (`Result` with the message as text), [`loaded`],
//!   [`config`] and [`invalid`] (which panic when the text is not as expected), [`config_at`]
//!   (requests at given seconds instead of the text's workload); the bundled scenarios:
//!   [`bundled_dir`], [`bundled`], [`all_bundled`], [`load_bundled`].
//! - Runs: [`run_checked`] (every arrival accounted for), [`capacity_changes`],
//!   [`first_minute`].
//! - Folders: [`TempFolder`] (a fresh folder removed on drop), [`target_scratch`] (a kept
//!   folder under Cargo's target temporary folder), [`file_names`].
//! - The binary: [`fleetsim`] runs it; [`assert_success`], [`failed`] and [`fails`] check how it
//!   ended; [`assert_contains`] checks a message holds every expected part.

use fleetsim::engine::{SimDuration, SimTime};
use fleetsim::model::metrics::MetricsConfig;
use fleetsim::model::workload::TimestampTrace;
use fleetsim::model::workload::{ArrivalProcess, RateShape, Workload};
use fleetsim::model::{catalog, DurationDist, ModelVersion, Routing};
use fleetsim::scenario::{self, Loaded};
use fleetsim::sim::{EndpointConfig, EndpointKind, LaunchConfig, SimConfig, StartState, VariantConfig};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A warm single-variant endpoint of `instances` x `concurrency` slots, Poisson arrivals at
/// `rps`, service times from `service`, an unbounded backlog with no practical timeout.
pub fn mmc(rps: f64, service: DurationDist, instances: u32, concurrency: u32, secs: u64, seed: u64) -> SimConfig {
    SimConfig {
        name: "test".into(),
        seed,
        duration: SimDuration::from_secs(secs),
        endpoint: EndpointConfig {
            kind: EndpointKind::RealTime,
            processing_timeout: None,
            routing: Routing::LeastOutstandingRequests,
            variants: vec![VariantConfig {
                name: "blue".into(),
                instance: catalog::builtin("ml.c5.xlarge").unwrap(),
                initial_instance_count: instances,
                initial_weight: 1.0,
                concurrency,
                model: ModelVersion {
                    label: "v1".into(),
                    service_time: service,
                    error_rate: 0.0,
                    client_error_rate: 0.0,
                    overhead: SimDuration::ZERO,
                    load_slowdown: 0.0,
                },
                launch: LaunchConfig {
                    pending: DurationDist::Constant(SimDuration::ZERO),
                    provision: DurationDist::Constant(SimDuration::from_secs(120)),
                    load: DurationDist::Constant(SimDuration::from_secs(30)),
                },
            }],
            backlog_capacity: u64::MAX,
            invocation_timeout: SimDuration::from_secs(86_400 * 365),
            start: StartState::Warm,
            capacity_updates: vec![],
            config_name: "config-1".into(),
            serverless: None,
            components: None,
        },
        workload: Workload::Open {
            arrivals: ArrivalProcess::Poisson,
            rate: RateShape::Constant(rps),
        },
        metrics: MetricsConfig::default(),
        start_time: fleetsim::sim::default_start_time(),
        publication_delay: SimDuration::ZERO,
        alarms: vec![],
        targets: vec![],
        deployments: vec![],
        shadow: None,
        slo: None,
    }
}

/// Runs a configuration and checks that every arrival is accounted for: arrived = completed +
/// errors + timed out + rejected + throttled + in flight at the end.
pub fn run_checked(c: SimConfig) -> fleetsim::sim::RunResult {
    let r = fleetsim::sim::run(c);
    assert_eq!(r.totals.arrived, r.accounted() + r.in_flight_at_end, "conservation");
    r
}

/// `(time in s, cause, reason)` of the capacity changes among `acts`.
pub fn capacity_changes(acts: &[fleetsim::model::Activity]) -> Vec<(u64, String, String)> {
    acts.iter()
        .filter(|a| a.kind == fleetsim::model::ActivityKind::CapacityChange)
        .map(|a| (a.time.0 / 1_000_000, a.cause.clone(), a.reason.clone()))
        .collect()
}

/// The datapoint of `name` over the first minute `[0, 60 s)` as an alarm would read it.
pub fn first_minute(
    w: &fleetsim::sim::World,
    dim: fleetsim::sim::observe::Dimension,
    name: fleetsim::model::metrics::MetricName,
    stat: fleetsim::autoscaling::alarm::Statistic,
) -> Option<f64> {
    w.datapoint(dim, name, &stat, SimTime::from_secs(60), SimDuration::from_secs(60))
}

/// A tiny valid one-variant scenario named `t`: two simulated minutes run in milliseconds.
pub const TINY_SCENARIO: &str = r#"Scenario(
    name: "t",
    duration: "2m",
    endpoint: RealTime(
        variants: [Variant(
            name: "blue",
            instance_type: "ml.c5.xlarge",
            initial_instance_count: 2,
            concurrency: 2,
            model: Model(service_time: LogNormal(median: "40ms", p99: "120ms")),
        )],
    ),
    workload: Open(rate: Constant(20.0)),
)"#;

/// The name scenario text is given in messages by [`load`] and its kin.
pub const SCENARIO_FILE: &str = "test.ron";

/// Loads scenario text with `--set` values `sets`, named [`SCENARIO_FILE`] in messages, relative
/// data files read from the working folder; the error as its message.
pub fn load_with(text: &str, sets: &[&str]) -> Result<Loaded, String> {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    scenario::load_str(text, SCENARIO_FILE, Path::new("."), &sets, None).map_err(|e| e.to_string())
}

/// [`load_with`] without `--set` values.
pub fn load(text: &str) -> Result<Loaded, String> {
    load_with(text, &[])
}

/// The loaded scenario of `text`, which must be valid; panics with the message otherwise.
pub fn loaded(text: &str) -> Loaded {
    load(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The validated configuration of `text`, which must be valid.
pub fn config(text: &str) -> SimConfig {
    loaded(text).config
}

/// The validation error of `text`, which must be invalid.
pub fn invalid(text: &str) -> String {
    match load(text) {
        Ok(_) => panic!("should be invalid:\n{text}"),
        Err(e) => e,
    }
}

/// The configuration of `text` with its workload replaced by requests at the given seconds.
pub fn config_at(text: &str, at_s: &[f64]) -> SimConfig {
    let mut c = config(text);
    let times: Vec<SimTime> = at_s.iter().map(|s| SimTime((s * 1e6).round() as u64)).collect();
    c.workload = Workload::TraceTimestamps(TimestampTrace { times: times.into() });
    c
}

/// The folder of the bundled scenarios, `scenarios/`.
pub fn bundled_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// The path of a bundled scenario file: `scenarios/<name>`.
pub fn bundled(name: &str) -> PathBuf {
    bundled_dir().join(name)
}

/// Every bundled scenario (`scenarios/*.ron`), in name order.
pub fn all_bundled() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(bundled_dir())
        .expect("scenarios/ exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    v.sort();
    v
}

/// Loads the bundled scenario `scenarios/<name>` with `--set` values and an optional seed, as
/// `fleetsim run` does (without its expectations, which a shortened run may not meet).
pub fn load_bundled(name: &str, sets: &[&str], seed: Option<u64>) -> Loaded {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    scenario::load_for_run(&bundled(name), &sets, seed).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A fresh, empty folder of a test's own in the system's temporary folder, removed (with what
/// it holds) when dropped.
pub struct TempFolder {
    path: PathBuf,
}

impl TempFolder {
    /// `fleetsim-<group>-<tag>-<process id>`; one left by an earlier, interrupted run is emptied.
    pub fn new(group: &str, tag: &str) -> Self {
        let path = std::env::temp_dir().join(format!("fleetsim-{group}-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempFolder { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path of `rel` inside the folder.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.path.join(rel)
    }

    /// Writes `text` to `rel` inside the folder and returns its path.
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.join(rel);
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        p
    }

    /// The bytes of `rel` inside the folder.
    pub fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A folder `<group>/<name>` under Cargo's temporary folder for integration tests, created if
/// absent and kept after the run (for data files a test writes and may look at afterwards).
pub fn target_scratch(group: &str, name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(group).join(name);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The names in `dir`, sorted.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

/// Runs the `fleetsim` binary with `args` and waits for it.
pub fn fleetsim<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fleetsim"))
        .args(args)
        .output()
        .unwrap()
}

/// Asserts the command succeeded, showing its exit status and stderr if not.
pub fn assert_success(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstderr: {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The stderr of a command that must have failed cleanly: a non-zero exit and no panic. `what`
/// names the case in assertion messages.
pub fn failed(o: &Output, what: &str) -> String {
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(!o.status.success(), "{what}: should fail; stderr: {err}");
    assert!(!err.contains("panicked"), "{what}: panicked: {err}");
    err
}

/// Runs `fleetsim args`, which must fail cleanly with a message holding every needle; returns
/// the message.
pub fn fails<S: AsRef<OsStr>>(args: &[S], needles: &[&str]) -> String {
    let what = format!("{:?}", args.iter().map(|a| a.as_ref()).collect::<Vec<_>>());
    let err = failed(&fleetsim(args), &what);
    for n in needles {
        assert!(err.contains(n), "{what}: message lacks `{n}`:\n{err}");
    }
    err
}

/// Asserts `text` holds every one of `needles`, naming the first it lacks.
pub fn assert_contains(text: &str, needles: &[&str]) {
    for n in needles {
        assert!(text.contains(n), "lacks `{n}`:\n{text}");
    }
}

/// A CSV file's rows as maps from header to cell.
pub fn csv_rows(bytes: &[u8]) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut rd = csv::Reader::from_reader(bytes);
    let header = rd.headers().unwrap().clone();
    rd.records()
        .map(|r| {
            header
                .iter()
                .zip(r.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// `fleetsim run SCENARIO --out FOLDER/OUT --quiet --no-plots`, which must succeed.
pub fn run_into(folder: &TempFolder, scenario: &str, out: &str) {
    let out = folder.join(out).display().to_string();
    assert_success(&fleetsim(&[
        "run",
        scenario,
        "--out",
        out.as_str(),
        "--quiet",
        "--no-plots",
    ]));
}

/// Runs `a` and `b` into `FOLDER/run-a` and `FOLDER/run-b` and asserts that their summaries,
/// time series and activities are the same bytes (`what` names the case in a failure).
pub fn assert_same_runs(folder: &TempFolder, a: &str, b: &str, what: &str) {
    run_into(folder, a, "run-a");
    run_into(folder, b, "run-b");
    for f in ["summary.json", "timeseries.csv", "activities.csv"] {
        assert_eq!(
            folder.read(&format!("run-a/{f}")),
            folder.read(&format!("run-b/{f}")),
            "{what}: {f}"
        );
    }
}
