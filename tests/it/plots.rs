//! Plots: every file is produced and shows something (decoded PNG size and colours, SVG text
//! and lines), `--no-plots` writes none, `fleetsim plot` re-renders the same bytes from a saved
//! run or sweep folder, the deployment contract yields a traffic plot, a sweep over three axes
//! draws one panel per value of the third with labels in words and units, and bad folders fail
//! with a clear message.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::common::{assert_success, fails, fleetsim, TempFolder};

/// A short autoscaling run with an SLO, so the capacity plot has bounds and markers and the
/// latency plot an SLO line.
const SCENARIO: &str = r#"Scenario(
    name: "plots",
    duration: "12m",
    instance_types: [InstanceType(name: "ml.c5.large", price_per_hour: 0.119)],
    endpoint: RealTime(
        variants: [Variant(
            name: "blue",
            instance_type: "ml.c5.large",
            initial_instance_count: 2,
            concurrency: 2,
            model: Model(service_time: Gamma(mean: "22ms", cv: 0.5)),
            launch: Launch(provision: Constant("60s"), load: Constant("30s")),
        )],
        backlog: Backlog(capacity: 500, timeout: "10s"),
    ),
    workload: Open(rate: Ramp(from_rps: 50.0, to_rps: 300.0, start: "1m", duration: "8m")),
    autoscaling: [ScalableTarget(
        min_capacity: 2,
        max_capacity: 8,
        policies: [TargetTracking(name: "ipi", metric: SageMakerVariantInvocationsPerInstance, target_value: 3000.0)],
    )],
    slo: Some(Slo(percentile: 99.0, latency: "250ms")),
)"#;

const RUN_PLOTS: [&str; 4] = ["capacity", "latency", "backlog", "cost"];

/// Runs `SCENARIO` (with `extra` arguments) into `<dir>/out`.
fn run(dir: &Path, text: &str, extra: &[&str]) -> PathBuf {
    fs::write(dir.join("s.ron"), text).unwrap();
    let out = dir.join("out");
    let (s, o) = (dir.join("s.ron").display().to_string(), out.display().to_string());
    let mut args = vec!["run", s.as_str(), "--out", o.as_str(), "--quiet"];
    args.extend_from_slice(extra);
    assert_success(&fleetsim(&args));
    out
}

/// A PNG of the canvas size with more than a handful of colours (text, lines, fills).
fn check_png(path: &Path) {
    assert_eq!(png_size(path), (1000, 600), "{}", path.display());
}

/// The size of a PNG with more than a handful of colours (text, lines, fills).
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = info.color_type.samples();
    let colours: BTreeSet<&[u8]> = buf[..info.buffer_size()].chunks(px).collect();
    assert!(colours.len() > 20, "{}: only {} colours", path.display(), colours.len());
    (info.width, info.height)
}

/// An SVG with text elements and drawn lines.
fn check_svg(path: &Path) -> String {
    let s = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(s.starts_with("<svg"), "{}", path.display());
    assert!(s.matches("<text").count() >= 10, "{}: too little text", path.display());
    assert!(
        s.contains("<polyline") || s.contains("<path"),
        "{}: no lines",
        path.display()
    );
    s
}

fn plot_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png" || e == "svg"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

fn remove_plots(dir: &Path) {
    for (name, _) in plot_bytes(dir) {
        fs::remove_file(dir.join(name)).unwrap();
    }
}

#[test]
fn run_writes_every_plot_and_plot_rerenders_the_same_bytes() {
    let d = TempFolder::new("plots", "run");
    let out = run(d.path(), SCENARIO, &[]);
    for p in RUN_PLOTS {
        check_png(&out.join(format!("{p}.png")));
        check_svg(&out.join(format!("{p}.svg")));
    }
    assert!(!out.join("traffic.png").exists(), "no deployment, no traffic plot");
    let latency = check_svg(&out.join("latency.svg"));
    assert!(
        latency.contains("SLO: p99 ≤ 250 ms"),
        "latency plot lacks the SLO line label"
    );
    let capacity = check_svg(&out.join("capacity.svg"));
    for label in [
        "desired",
        "in service",
        "load [requests/s]",
        "min / max capacity",
        "scale out",
    ] {
        assert!(capacity.contains(label), "capacity plot lacks `{label}`");
    }

    // `fleetsim plot` draws from the saved files only, so it reproduces every byte.
    let first = plot_bytes(&out);
    assert_eq!(first.len(), 8);
    remove_plots(&out);
    assert_success(&fleetsim(&["plot", out.to_str().unwrap()]));
    let second = plot_bytes(&out);
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs after re-rendering", a.0);
    }
}

#[test]
fn no_plots_writes_none() {
    let d = TempFolder::new("plots", "noplots");
    let out = run(d.path(), SCENARIO, &["--no-plots"]);
    assert!(out.join("summary.json").is_file());
    assert!(plot_bytes(&out).is_empty());
}

#[test]
fn slo_is_reported_and_validated() {
    let d = TempFolder::new("plots", "slo");
    let out = run(d.path(), SCENARIO, &["--no-plots", "--set", "slo.latency=1ms"]);
    let s: serde_json::Value = serde_json::from_slice(&fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(s["slo"]["percentile"], 99.0);
    assert_eq!(s["slo"]["latency_ms"], 1.0);
    // A 22 ms service time cannot meet a 1 ms p99.
    assert_eq!(s["slo"]["met"], false);
    let p99 = s["latency_ms"]["p99"].as_f64().unwrap();
    assert!(p99 > 1.0);

    let bad = d.write("bad.ron", &SCENARIO.replace("percentile: 99.0", "percentile: 100.0"));
    fails(&["validate", bad.to_str().unwrap()], &["slo.percentile", "100"]);
}

/// The deployment contract: `<variant>@<config>.traffic_share` columns and `Deployment*`
/// activity rows give a traffic plot with the rollback marked.
#[test]
fn deployment_columns_give_a_traffic_plot() {
    let d = TempFolder::new("plots", "traffic");
    let out = run(d.path(), SCENARIO, &["--no-plots"]);
    let ts = fs::read_to_string(out.join("timeseries.csv")).unwrap();
    let mut lines = ts.lines();
    let mut text = format!(
        "{},blue@v1.traffic_share,blue@v2.traffic_share\n",
        lines.next().unwrap()
    );
    for (i, l) in lines.enumerate() {
        // A canary of 10 % from minute 3, rolled back at minute 6.
        let canary = if (3..6).contains(&i) { 10.0 } else { 0.0 };
        text.push_str(&format!("{l},{},{canary}\n", 100.0 - canary));
    }
    fs::write(out.join("timeseries.csv"), text).unwrap();
    let mut acts = fs::read_to_string(out.join("activities.csv")).unwrap();
    acts.push_str("180,00:03:00,blue,DeploymentStart,deployment,canary 10 %\n");
    acts.push_str("360,00:06:00,blue,DeploymentRollback,latency-alarm,alarm in ALARM\n");
    acts.push_str("420,00:07:00,blue,DeploymentEnd,deployment,rolled back\n");
    fs::write(out.join("activities.csv"), acts).unwrap();
    assert_success(&fleetsim(&["plot", out.to_str().unwrap()]));
    check_png(&out.join("traffic.png"));
    let svg = check_svg(&out.join("traffic.svg"));
    for label in ["blue@v1", "blue@v2", "rollback at 6 min", "deployment start"] {
        assert!(svg.contains(label), "traffic plot lacks `{label}`");
    }
}

fn sweep_dir(d: &TempFolder) -> PathBuf {
    let s = d.join("sweep");
    fs::create_dir_all(&s).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures/sweep");
    for f in ["sweep.csv", "sweep.json"] {
        fs::copy(fixtures.join(f), s.join(f)).unwrap();
    }
    s
}

#[test]
fn sweep_plots_render_from_the_sweep_files() {
    let d = TempFolder::new("plots", "sweep");
    let s = sweep_dir(&d);
    let dir = s.to_str().unwrap();
    assert_success(&fleetsim(&["plot", dir]));
    for p in ["heatmap-latency_ms.p99", "lines-latency_ms.p99", "pareto"] {
        check_png(&s.join(format!("{p}.png")));
        check_svg(&s.join(format!("{p}.svg")));
    }
    let heat = check_svg(&s.join("heatmap-latency_ms.p99.svg"));
    for label in [
        "TargetValue",
        "MinCapacity (instances)",
        "p99 latency (ms)",
        "3500",
        "best point",
    ] {
        assert!(heat.contains(label), "heat map lacks `{label}`");
    }
    let first = plot_bytes(&s);
    remove_plots(&s);
    assert_success(&fleetsim(&["plot", dir]));
    assert!(first == plot_bytes(&s), "sweep plots differ after re-rendering");

    assert_success(&fleetsim(&[
        "plot",
        dir,
        "--metric",
        "cost_usd",
        "--x",
        "min_capacity",
        "--y",
        "target_value",
    ]));
    check_png(&s.join("heatmap-cost_usd.png"));
    check_png(&s.join("lines-cost_usd.png"));
}

/// A sweep of [`SCENARIO`] over three independent axes (2 x 2 x 3), 2 replications.
const SWEEP3: &str = r#"Sweep(
    name: "three-axes",
    base_scenario: "s.ron",
    replications: 2,
    axes: [
        Values(name: "target_value", path: "autoscaling[0].policies[0].target_value", values: [1500.0, 3000.0]),
        Values(name: "min_capacity", path: "autoscaling[0].min_capacity", values: [2, 3]),
        Values(name: "scale_in_cooldown", path: "autoscaling[0].policies[0].scale_in_cooldown", values: [120, 300, 600]),
    ],
    objective: Minimize("cost_usd"),
    constraints: ["latency_ms.p99 <= 250", "error_rate < 1 %"],
)"#;

/// With a third independent axis, no point is held out of view: the heat map and the line
/// plot draw one panel per value of it, each titled `<axis label> = <value>`, on a canvas
/// grown to fit them; axes and the colour bar are labelled in words with units.
#[test]
fn a_third_axis_gives_one_panel_per_value() {
    let d = TempFolder::new("plots", "sweep3");
    d.write("s.ron", SCENARIO);
    let sweep = d.write("sweep.ron", SWEEP3);
    let out = d.join("out");
    let o = out.to_str().unwrap();
    assert_success(&fleetsim(&["sweep", sweep.to_str().unwrap(), "--out", o, "--quiet"]));
    let titles = [
        "ScaleInCooldown (s) = 120",
        "ScaleInCooldown (s) = 300",
        "ScaleInCooldown (s) = 600",
    ];
    for metric in ["latency_ms.p99", "cost_usd", "error_rate"] {
        for kind in ["heatmap", "lines"] {
            let stem = format!("{kind}-{metric}");
            let (w, h) = png_size(&out.join(format!("{stem}.png")));
            assert!(w > 1000 && h >= 600, "{stem}: {w} x {h} for three panels");
            let svg = check_svg(&out.join(format!("{stem}.svg")));
            for t in titles {
                assert_eq!(svg.matches(t).count(), 1, "{stem}: panel `{t}`");
            }
            assert!(!svg.contains("held at"), "{stem} holds an axis");
        }
    }
    let heat = fs::read_to_string(out.join("heatmap-latency_ms.p99.svg")).unwrap();
    for label in ["p99 latency (ms)", "MinCapacity (instances)", "TargetValue"] {
        assert!(heat.contains(label), "heat map lacks `{label}`");
    }
    assert!(
        !heat.contains(">\nlatency_ms.p99\n<"),
        "raw metric name on the heat map"
    );
    // A fraction is shown in per cent, its constraint in the same unit (`<` escaped in SVG).
    let lines = fs::read_to_string(out.join("lines-error_rate.svg")).unwrap();
    for label in [
        "error rate (%), mean",
        "constraint: error rate &lt; 1 %",
        "MinCapacity (instances) = 3",
    ] {
        assert!(lines.contains(label), "line plot lacks `{label}`");
    }
    let lines = fs::read_to_string(out.join("lines-latency_ms.p99.svg")).unwrap();
    assert!(
        lines.contains("constraint: p99 latency ≤ 250 ms"),
        "no constraint line label"
    );

    // Panels keep the plots a pure function of the sweep's files.
    let first = plot_bytes(&out);
    remove_plots(&out);
    assert_success(&fleetsim(&["plot", o]));
    assert!(first == plot_bytes(&out), "sweep plots differ after re-rendering");
}

#[test]
fn bad_folders_fail_with_a_clear_message() {
    let d = TempFolder::new("plots", "bad");
    let empty = d.join("empty");
    fs::create_dir_all(&empty).unwrap();
    fails(&["plot", empty.to_str().unwrap()], &["neither a run folder"]);
    fails(&["plot", d.join("absent").to_str().unwrap()], &["not a folder"]);

    let out = run(d.path(), SCENARIO, &["--no-plots"]);
    let o = out.to_str().unwrap();
    let ts = fs::read_to_string(out.join("timeseries.csv")).unwrap();
    let header = ts.lines().next().unwrap();
    let cells = header.split(',').count();
    let bad_row = std::iter::once("x".to_string())
        .chain((1..cells).map(|_| "1".to_string()))
        .collect::<Vec<_>>()
        .join(",");
    fs::write(out.join("timeseries.csv"), format!("{header}\n{bad_row}\n")).unwrap();
    fails(&["plot", o], &["timeseries.csv", "line 2", "time_s", "not a number"]);
    fs::write(out.join("timeseries.csv"), "time_s\n0\n").unwrap();
    fails(&["plot", o], &["timeseries.csv", "no column `desired`"]);
    fs::write(out.join("timeseries.csv"), ts).unwrap();
    fs::write(out.join("summary.json"), "{ not json").unwrap();
    fails(&["plot", o], &["summary.json", "malformed JSON"]);
    fs::remove_file(out.join("activities.csv")).unwrap();
    fails(&["plot", o], &["activities.csv", "cannot read"]);
    assert!(plot_bytes(&out).is_empty(), "a failed plot wrote files");

    let s = sweep_dir(&d);
    let sd = s.to_str().unwrap();
    fails(
        &["plot", sd, "--metric", "nope"],
        &["no metric `nope`", "latency_ms.p99", "cost_usd"],
    );
    fails(&["plot", sd, "--x", "nope"], &["no axis `nope`", "target_value"]);
    let csv = fs::read_to_string(s.join("sweep.csv")).unwrap();
    fs::write(s.join("sweep.csv"), csv.replacen("\n0,1500,", "\n0,1234,", 1)).unwrap();
    fails(&["plot", sd], &["sweep.csv", "line 2", "target_value", "1234"]);
    fs::write(s.join("sweep.json"), "[]").unwrap();
    fails(&["plot", sd], &["sweep.json", "axes"]);
}
