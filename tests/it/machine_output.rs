//! What scripts and shells read from the binary: `--json` on `run`, `check` and `sweep` (one
//! JSON document on stdout, nothing else there), `completions` and `man` generated from the
//! command definitions, and `--quiet` keeping stdout empty.

use crate::common::{assert_contains, assert_success, fails, fleetsim, TempFolder, TINY_SCENARIO};
use serde_json::Value;
use std::path::Path;

/// stdout of a successful command, parsed as one JSON document (which fails on anything else
/// printed beside it).
fn json_of(args: &[&str]) -> Value {
    let o = fleetsim(args);
    assert_success(&o);
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}):\n{}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// [`TINY_SCENARIO`] with expectations: one passes, and `fail` decides the other.
fn with_expectations(fail: bool) -> String {
    let bound = if fail { "< 10" } else { ">= 10" };
    TINY_SCENARIO.replace(
        "workload: Open(rate: Constant(20.0)),",
        &format!(
            r#"workload: Open(rate: Constant(20.0)),
    expect: [
        Summary(name: "some traffic", that: "requests.arrived {bound}"),
        Summary(name: "no 5xx", that: "requests.errors_5xx == 0"),
    ],"#
        ),
    )
}

#[test]
fn run_json_is_the_summary_and_where_it_went() {
    let f = TempFolder::new("machine", "run-json");
    let scenario = f.write("s.ron", TINY_SCENARIO);
    let out = f.join("out");
    let doc = json_of(&["run", &s(&scenario), "--out", &s(&out), "--json", "--no-plots"]);
    assert_eq!(doc["output_dir"], s(&out));
    // The same document as the summary.json written beside it.
    let written: Value = serde_json::from_slice(&f.read("out/summary.json")).unwrap();
    assert_eq!(doc["summary"], written);
    assert_eq!(doc["summary"]["scenario"], "t");
    assert!(doc["summary"]["requests"]["arrived"].as_u64().unwrap() > 1000);
    assert!(doc["summary"]["latency_ms"]["p99"].is_number());
    assert!(doc.get("check").is_none());
}

#[test]
fn run_check_json_holds_the_verdicts_and_keeps_the_exit_code() {
    let f = TempFolder::new("machine", "run-check-json");
    let failing = f.write("s.ron", &with_expectations(true));
    let out = f.join("out");
    let o = fleetsim(&[
        "run",
        &s(&failing),
        "--out",
        &s(&out),
        "--json",
        "--check",
        "--no-plots",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["check"]["expectations"], 2);
    assert_eq!(doc["check"]["failed"], 1);
    assert_eq!(doc["check"]["scenarios"][0]["expectations"][0]["pass"], false);
    assert!(doc["summary"]["requests"].is_object());
    assert_contains(&String::from_utf8_lossy(&o.stderr), &["1 of 2 expectation(s) failed"]);
}

#[test]
fn check_json_equals_format_json() {
    let f = TempFolder::new("machine", "check-json");
    let good = f.write("s.ron", &with_expectations(false));
    let doc = json_of(&["check", &s(&good), "--json"]);
    let same = json_of(&["check", &s(&good), "--format", "json"]);
    assert_eq!(doc, same);
    assert_eq!(
        (doc["expectations"].as_u64(), doc["failed"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(doc["scenarios"][0]["scenario"], "t");
    assert_eq!(doc["scenarios"][0]["expectations"][1]["name"], "no 5xx");
    fails(
        &["check", &s(&good), "--json", "--format", "text"],
        &["--format", "cannot be used with"],
    );
}

#[test]
fn sweep_json_holds_sweep_json_and_every_point() {
    let f = TempFolder::new("machine", "sweep-json");
    f.write("base.ron", TINY_SCENARIO);
    let sweep = f.write(
        "sweep.ron",
        r#"Sweep(
    name: "j",
    base_scenario: "base.ron",
    replications: 2,
    axes: [Values(name: "n", path: "endpoint.variants[0].initial_instance_count", values: [1, 2])],
    objective: Minimize("cost_usd"),
    constraints: ["latency_ms.p99 <= 10000"],
)"#,
    );
    let out = f.join("out");
    let doc = json_of(&["sweep", &s(&sweep), "--out", &s(&out), "--json", "--no-plots"]);
    assert_eq!(doc["output_dir"], s(&out));
    let written: Value = serde_json::from_slice(&f.read("out/sweep.json")).unwrap();
    assert_eq!(doc["sweep"], written);
    let points = doc["points"].as_array().unwrap();
    assert_eq!(points.len(), 2);
    for (i, p) in points.iter().enumerate() {
        assert_eq!(p["point"], i);
        assert_eq!(p["values"]["n"], i + 1);
        assert_eq!(p["runs"], 2);
        assert_eq!(p["feasible"], true);
        let p99 = &p["metrics"]["latency_ms.p99"];
        assert!(p99["mean"].as_f64().unwrap() > 0.0, "{p99}");
        assert!(p99["ci95_lo"].is_number() && p99["ci95_hi"].is_number(), "{p99}");
    }
    // One instance costs less: the best point, as sweep.json says.
    assert_eq!(doc["sweep"]["best_point"], 0);
}

#[test]
fn quiet_commands_print_nothing() {
    let f = TempFolder::new("machine", "quiet");
    let scenario = f.write("s.ron", &with_expectations(false));
    for args in [
        vec!["validate".to_string(), s(&scenario), "-q".into()],
        vec!["check".to_string(), s(&scenario), "--quiet".into()],
        vec![
            "-q".to_string(),
            "run".into(),
            s(&scenario),
            "--out".into(),
            s(&f.join("out")),
            "--no-plots".into(),
        ],
        vec!["plot".to_string(), s(&f.join("out")), "-q".into()],
    ] {
        let o = fleetsim(&args);
        assert_success(&o);
        assert!(o.stdout.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&o.stdout));
    }
}

#[test]
fn bash_completion_names_every_subcommand() {
    let o = fleetsim(&["completions", "bash"]);
    assert_success(&o);
    let script = String::from_utf8(o.stdout).unwrap();
    let help = String::from_utf8(fleetsim(&["--help"]).stdout).unwrap();
    // The subcommands as `--help` lists them: the indented lines of its Commands section.
    let commands: Vec<&str> = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .split("Options:")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("  ")?.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 15, "{commands:?}");
    for c in &commands {
        // The case arm that completes the subcommand's own arguments.
        assert!(script.contains(&format!("fleetsim,{c})")), "lacks {c}");
    }
    assert_contains(&script, &["complete -F _fleetsim", "--json", "--seed"]);
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let o = fleetsim(&["completions", shell]);
        assert_success(&o);
        assert!(String::from_utf8_lossy(&o.stdout).contains("sweep"), "{shell}");
    }
}

#[test]
fn man_pages_are_written_and_replace_only_their_own() {
    let f = TempFolder::new("machine", "man");
    let dir = f.join("man1");
    let o = fleetsim(&["man", "--out", &s(&dir)]);
    assert_success(&o);
    let run = String::from_utf8(f.read("man1/fleetsim-run.1")).unwrap();
    assert_contains(&run, &[".TH fleetsim-run 1", "\\-\\-seed", "Run seed"]);
    for page in [
        "fleetsim.1",
        "fleetsim-sweep.1",
        "fleetsim-export-aws.1",
        "fleetsim-completions.1",
    ] {
        assert!(dir.join(page).is_file(), "{page} missing");
    }
    // Again: its own pages are replaced.
    assert_success(&fleetsim(&["man", "--out", &s(&dir), "-q"]));
    // A page it did not write is never replaced, and nothing else is written either.
    std::fs::write(dir.join("fleetsim-run.1"), "my notes\n").unwrap();
    std::fs::remove_file(dir.join("fleetsim.1")).unwrap();
    fails(
        &["man", "--out", &s(&dir)],
        &["fleetsim-run.1", "not a man page written by fleetsim"],
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("fleetsim-run.1")).unwrap(),
        "my notes\n"
    );
    assert!(!dir.join("fleetsim.1").exists());
}
