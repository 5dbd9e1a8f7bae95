//! Mutation fuzzing of everything a user types: scenario files, sweep files, trace files and
//! `--set` values. Each case mutates a bundled file (numbers pushed to their extremes, strings
//! replaced, brackets repeated, lines dropped or doubled), then requires that loading it never
//! panics, that an error reads in the user's terms (no Rust type names, no megabyte echoes), and
//! that a valid result runs (its first 20,000 requests or so) with every request accounted for.
//!
//! Two entry points:
//! - `fuzz_corpus` (every `cargo test`) replays the corpus: the bundled scenario, sweep and
//!   trace files, and `tests/fuzz/corpus/<kind>/`, where every input a fuzzing run ever found
//!   wrong is kept, so a finding stays a regression test;
//! - `fuzz_mutations` (ignored by default; `.ci/run` runs it for `FLEETSIM_FUZZ_SECONDS`,
//!   default 30) mutates for that long, case `n` drawn from seed `n` counting up from
//!   `FLEETSIM_FUZZ_START` (default 0), and on a failure writes the input to
//!   `target/fuzz-findings/` and fails with the case's number. Add the file to the corpus
//!   with the fix.

use crate::common::{bundled, bundled_dir, target_scratch};
use fleetsim::engine::SimDuration;
use fleetsim::scenario::{self, parse_override};
use fleetsim::sim::run;
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Rust type names and parser advice that must never reach a user.
const LEAKS: &[&str] = &[
    "expected f64",
    "expected u32",
    "expected u64",
    "untagged enum",
    "serde_stacker",
    "recursion_limit",
    "panicked",
];

/// Numbers that break things: zero, negatives, integer edges, huge and tiny floats.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "4294967295",
    "4294967296",
    "2147483648",
    "18446744073709551615",
    "1e308",
    "-1e308",
    "1e-19",
    "0.4",
    "1e12",
    "100000",
    "NaN",
    "inf",
];

/// Strings that break things: empty, below the time resolution, huge, negative, not a duration.
const STRINGS: &[&str] = &[
    "",
    "0s",
    "0.4us",
    "1us",
    "366d",
    "367d",
    "-5m",
    "1e3s",
    "abc",
    "99999999999999999999d",
    "2024-01-01T00:00:00Z",
    "cron(0 8 ? * MON-FRI *)",
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/corpus")
}

/// Byte ranges `(start, end)` of tokens in a text.
type Spans = Vec<(usize, usize)>;

/// Byte offsets of number literals and of string literals' contents in RON-ish text.
fn tokens(text: &str) -> (Spans, Spans) {
    let b = text.as_bytes();
    let (mut numbers, mut strings) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            let start = i + 1;
            let mut j = start;
            while j < b.len() && b[j] != b'"' {
                j += 1;
            }
            strings.push((start, j));
            i = j + 1;
        } else if b[i].is_ascii_digit() && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'-') {
                i += 1;
            }
            numbers.push((start, i));
        } else {
            i += 1;
        }
    }
    (numbers, strings)
}

/// One to three mutations of `text`.
fn mutate(text: &str, rng: &mut Xoshiro256PlusPlus) -> String {
    let mut t = text.to_string();
    for _ in 0..rng.random_range(1..=3) {
        let (numbers, strings) = tokens(&t);
        match rng.random_range(0..8) {
            0 | 1 if !numbers.is_empty() => {
                let (a, z) = numbers[rng.random_range(0..numbers.len())];
                t.replace_range(a..z, NUMBERS[rng.random_range(0..NUMBERS.len())]);
            }
            2 | 3 if !strings.is_empty() => {
                let (a, z) = strings[rng.random_range(0..strings.len())];
                let s = if rng.random_range(0..10) == 0 {
                    "y".repeat(100_000)
                } else {
                    STRINGS[rng.random_range(0..STRINGS.len())].to_string()
                };
                t.replace_range(a..z, &s);
            }
            4 => {
                // Drop a few characters.
                let a = rng.random_range(0..t.len().max(1));
                let z = (a + rng.random_range(1..6)).min(t.len());
                if t.is_char_boundary(a) && t.is_char_boundary(z) {
                    t.replace_range(a..z, "");
                }
            }
            5 => {
                // Double or drop a line.
                let mut lines: Vec<&str> = t.lines().collect();
                if !lines.is_empty() {
                    let k = rng.random_range(0..lines.len());
                    if rng.random_bool(0.5) {
                        lines.insert(k, lines[k]);
                    } else {
                        lines.remove(k);
                    }
                }
                t = lines.join("\n");
            }
            6 => {
                // Open many brackets at a random place.
                let a = rng.random_range(0..t.len().max(1));
                if t.is_char_boundary(a) {
                    let open = ["(", "[", "Sum(["][rng.random_range(0..3)];
                    t.insert_str(a, &open.repeat(rng.random_range(1..400)));
                }
            }
            _ if !numbers.is_empty() => {
                // A number pushed far out, keeping its sign.
                let (a, z) = numbers[rng.random_range(0..numbers.len())];
                let grown = format!("{}000000", &t[a..z]);
                t.replace_range(a..z, &grown);
            }
            _ => {}
        }
    }
    t
}

/// What a case found wrong, if anything.
fn check_error(message: &str) -> Option<String> {
    if let Some(leak) = LEAKS.iter().find(|l| message.contains(**l)) {
        return Some(format!(
            "the message leaks `{leak}`: {}",
            &message[..message.len().min(500)]
        ));
    }
    // A line names a path, a value (shortened to about 80 characters) and what is allowed (at
    // most 1,000): anything much longer echoes input whole.
    let longest = message.lines().map(str::len).max().unwrap_or(0);
    (longest > 3_000).then(|| format!("a line of the message is {longest} bytes long"))
}

/// Loads scenario text (with `--set` values), and runs it when small: nothing may panic, and a
/// run accounts for every request.
fn check_scenario(text: &str, base: &Path, sets: &[String]) -> Option<String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        match scenario::load_str(text, "fuzz.ron", base, sets, None) {
            Err(e) => check_error(&e.to_string()),
            Ok(loaded) => {
                let mut c = loaded.config;
                // Valid but large: run a prefix of it, about 20,000 requests and ticks long.
                let expected = c.workload.expected_requests(c.duration).max(1.0);
                let ticks = (c.duration.0 / c.metrics.high_resolution_period.0.max(1)).max(1);
                let keep = (20_000.0 / expected).min(20_000.0 / ticks as f64).min(1.0);
                c.duration = SimDuration((c.duration.0 as f64 * keep) as u64).max(SimDuration(1));
                let instances: u64 = c
                    .endpoint
                    .variants
                    .iter()
                    .map(|v| u64::from(v.initial_instance_count))
                    .sum();
                if instances > 1_000 || c.workload.expected_requests(c.duration) > 40_000.0 {
                    return None; // too large to run here even shortened
                }
                let r = run(c);
                (r.totals.arrived != r.accounted() + r.in_flight_at_end).then(|| {
                    format!(
                        "requests unaccounted: arrived {} != accounted {} + in flight {}",
                        r.totals.arrived,
                        r.accounted(),
                        r.in_flight_at_end
                    )
                })
            }
        }
    }));
    outcome.unwrap_or_else(|p| {
        let what = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Some(format!("panic: {what}"))
    })
}

/// Loads sweep text against the bundled scenarios: nothing may panic.
fn check_sweep(text: &str) -> Option<String> {
    let dir = bundled_dir().join("sweeps");
    catch_unwind(AssertUnwindSafe(|| {
        match fleetsim::sweep::read_base_and_plan(text, "fuzz-sweep.ron", &dir, &[]) {
            Err(e) => check_error(&e.to_string()),
            Ok(_) => None,
        }
    }))
    .unwrap_or_else(|_| Some("panic".into()))
}

/// One input of the corpus, by kind (its folder).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Scenario,
    Sweep,
    /// A counts trace, replayed by a one-variant scenario.
    Trace,
    /// `--set` values, one per line, on the quickstart scenario.
    Set,
}

const KINDS: [(Kind, &str); 4] = [
    (Kind::Scenario, "scenario"),
    (Kind::Sweep, "sweep"),
    (Kind::Trace, "trace"),
    (Kind::Set, "set"),
];

fn trace_scenario() -> &'static str {
    r#"Scenario(name: "fuzz-trace", duration: "10m",
    endpoint: RealTime(variants: [Variant(name: "blue", instance_type: "ml.c5.xlarge",
        initial_instance_count: 2, model: Model(service_time: Constant("10ms")))]),
    workload: Trace(file: "trace.csv", format: Counts(period: "1m")))"#
}

/// Checks one input of `kind`; `scratch` is a folder the case may write its trace into.
fn check(kind: Kind, text: &str, scratch: &Path) -> Option<String> {
    match kind {
        Kind::Scenario => check_scenario(text, &bundled_dir(), &[]),
        Kind::Sweep => check_sweep(text),
        Kind::Trace => {
            std::fs::write(scratch.join("trace.csv"), text).unwrap();
            check_scenario(trace_scenario(), scratch, &[])
        }
        Kind::Set => {
            let sets: Vec<String> = text.lines().map(str::to_string).collect();
            if let Some(bad) = sets.iter().find_map(|s| parse_override(s).err()) {
                return check_error(&bad.to_string());
            }
            let quickstart = std::fs::read_to_string(bundled("quickstart.ron")).unwrap();
            check_scenario(&quickstart, Path::new("."), &sets)
        }
    }
}

/// Files of `dir` whose names end with `ext`, in name order.
fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.to_string_lossy().ends_with(ext));
    files.sort();
    files
}

/// The corpus of `kind`: the bundled files of that kind, then `tests/fuzz/corpus/<kind>/`.
fn corpus(kind: &str) -> Vec<(PathBuf, String)> {
    let bundled = bundled_dir();
    let mut all = match kind {
        "scenario" => files(&bundled, ".ron"),
        "sweep" => files(&bundled.join("sweeps"), ".ron"),
        "trace" => files(&bundled.join("data"), "invocations.csv"),
        _ => Vec::new(),
    };
    all.extend(files(&corpus_dir().join(kind), ""));
    all.into_iter()
        .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
        .collect()
}

fn scratch(name: &str) -> PathBuf {
    target_scratch("fuzz", name)
}

#[test]
fn fuzz_corpus() {
    let dir = scratch("corpus");
    let mut seen = 0;
    for (kind, name) in KINDS {
        for (path, text) in corpus(name) {
            seen += 1;
            if let Some(problem) = check(kind, &text, &dir) {
                panic!("{}: {problem}", path.display());
            }
        }
    }
    assert!(seen >= 10, "the corpus holds {seen} inputs");
}

#[test]
#[ignore = "runs for FLEETSIM_FUZZ_SECONDS; .ci/run runs it"]
fn fuzz_mutations() {
    let seconds: u64 = std::env::var("FLEETSIM_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let dir = scratch("mutations");
    let seeds: Vec<(Kind, String)> = KINDS
        .iter()
        .flat_map(|(kind, name)| corpus(name).into_iter().map(move |(_, t)| (*kind, t)))
        .collect();
    // Cases are numbered from FLEETSIM_FUZZ_START (0 by default, so CI replays the same
    // sequence); a developer explores further by starting elsewhere.
    let start: u64 = std::env::var("FLEETSIM_FUZZ_START")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut case = start;
    while Instant::now() < deadline {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(case);
        let (kind, base) = &seeds[rng.random_range(0..seeds.len())];
        let text = mutate(base, &mut rng);
        if let Some(problem) = check(*kind, &text, &dir) {
            let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-findings");
            std::fs::create_dir_all(&out).unwrap();
            let file = out.join(format!("{kind:?}-case-{case}.txt").to_lowercase());
            std::fs::write(&file, &text).unwrap();
            panic!("case {case} ({kind:?}): {problem}\ninput written to {}", file.display());
        }
        case += 1;
    }
    eprintln!("fuzz: cases {start} to {case} in {seconds} s, no finding");
}
