//! Output paths: `--out` of `run`, `sweep` and `merge` writes a new folder or replaces a previous
//! fleetsim output; anything else (a folder of other files without `--force`, a file, a device,
//! a link) is refused with a clear message and left exactly as it was. `benchmark` replaces
//! only a saved job file.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, SystemTime};

use super::common::{assert_contains, assert_success, failed, file_names, fleetsim, TempFolder, TINY_SCENARIO as BASE};

/// Two points over the instance count.
const SWEEP: &str = r#"Sweep(
    name: "paths-sweep",
    base_scenario: "base.ron",
    axes: [Values(name: "count", path: "endpoint.variants[0].initial_instance_count", values: [1, 2])],
)"#;

/// A folder holding `base.ron` and `sweep.ron`, and `work/` where outputs go.
struct Case {
    folder: TempFolder,
}

impl Case {
    fn new(tag: &str) -> Self {
        let folder = TempFolder::new("paths", tag);
        fs::create_dir_all(folder.join("work")).unwrap();
        folder.write("base.ron", BASE);
        folder.write("sweep.ron", SWEEP);
        Case { folder }
    }

    /// The folder outputs are written in; nothing else is put there.
    fn work(&self) -> PathBuf {
        self.folder.join("work")
    }

    fn out(&self) -> PathBuf {
        self.work().join("out")
    }

    /// `fleetsim run base.ron --out OUT --quiet --no-plots` plus `extra`.
    fn run_to(&self, out: &Path, extra: &[&str]) -> Output {
        let base = self.folder.join("base.ron").display().to_string();
        let out = out.display().to_string();
        let mut args = vec!["run", &base, "--out", &out, "--quiet", "--no-plots"];
        args.extend_from_slice(extra);
        fleetsim(&args)
    }

    fn run(&self, extra: &[&str]) -> Output {
        self.run_to(&self.out(), extra)
    }

    fn sweep_to(&self, out: &Path, extra: &[&str]) -> Output {
        let sweep = self.folder.join("sweep.ron").display().to_string();
        let out = out.display().to_string();
        let mut args = vec!["sweep", &sweep, "--out", &out, "--quiet", "--no-plots"];
        args.extend_from_slice(extra);
        fleetsim(&args)
    }

    /// Names in the work folder, sorted.
    fn listing(&self) -> Vec<String> {
        file_names(&self.work())
    }
}

/// The command failed cleanly with one message holding every needle.
fn refused(o: &Output, needles: &[&str]) {
    let err = failed(o, "refused");
    assert_eq!(err.matches("error:").count(), 1, "one message: {err}");
    assert_contains(&err, needles);
}

#[test]
fn a_folder_of_other_files_is_refused_and_left_untouched() {
    let c = Case::new("keep");
    fs::create_dir(c.out()).unwrap();
    let keep = b"precious\n\x00\xff bytes";
    fs::write(c.out().join("keep.txt"), keep).unwrap();
    fs::write(c.out().join("more.txt"), "x").unwrap();
    let out = c.out().display().to_string();
    refused(
        &c.run(&[]),
        &[
            &out,
            "is not a fleetsim output folder",
            "keep.txt (and 1 more)",
            "--force",
        ],
    );
    assert_eq!(fs::read(c.out().join("keep.txt")).unwrap(), keep);
    assert_eq!(file_names(&c.out()), ["keep.txt", "more.txt"]);
    assert_eq!(c.listing(), ["out"], "no temporary sibling");
}

#[test]
fn force_replaces_a_folder_of_other_files() {
    let c = Case::new("force");
    fs::create_dir_all(c.out().join("sub")).unwrap();
    fs::write(c.out().join("keep.txt"), "x").unwrap();
    fs::write(c.out().join("sub/deep.txt"), "x").unwrap();
    assert_success(&c.run(&["--force"]));
    assert_eq!(
        file_names(&c.out()),
        ["activities.csv", "manifest.json", "summary.json", "timeseries.csv"]
    );
    assert_eq!(c.listing(), ["out"], "the previous folder is gone, no stray sibling");
}

#[test]
fn a_file_is_never_replaced_even_with_force() {
    let c = Case::new("file");
    fs::write(c.out(), "notes\n").unwrap();
    let out = c.out().display().to_string();
    for extra in [&[][..], &["--force"][..]] {
        refused(&c.run(extra), &[&format!("{out} is a file, not a folder")]);
        assert_eq!(fs::read(c.out()).unwrap(), b"notes\n");
        assert_eq!(c.listing(), ["out"]);
    }
}

#[cfg(unix)]
#[test]
fn dev_null_is_refused_and_stays_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let null = Path::new("/dev/null");
    if !fs::symlink_metadata(null).is_ok_and(|m| m.file_type().is_char_device()) {
        return;
    }
    let c = Case::new("null");
    for extra in [&[][..], &["--force"][..]] {
        refused(
            &c.run_to(null, extra),
            &["/dev/null is a character device, not a folder"],
        );
        assert!(fs::symlink_metadata(null).unwrap().file_type().is_char_device());
    }
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_refused_and_its_target_untouched() {
    let c = Case::new("link");
    // The link points at a previous run output: still refused, the link is not followed.
    let target = c.folder.join("target");
    assert_success(&c.run_to(&target, &[]));
    let before = fs::read(target.join("summary.json")).unwrap();
    std::os::unix::fs::symlink(&target, c.out()).unwrap();
    for extra in [&[][..], &["--force", "--seed", "9"][..]] {
        refused(&c.run(extra), &["is a symbolic link"]);
        assert!(fs::symlink_metadata(c.out()).unwrap().file_type().is_symlink());
        assert_eq!(fs::read(target.join("summary.json")).unwrap(), before);
        assert_eq!(c.listing(), ["out"]);
    }
}

#[test]
fn a_previous_run_output_is_replaced_completely_unless_a_file_was_added() {
    let c = Case::new("rerun");
    // The first run draws plots; the second does not: none of the first's files remain.
    let base = c.folder.join("base.ron").display().to_string();
    let out = c.out().display().to_string();
    assert_success(&fleetsim(&["run", &base, "--out", &out, "--quiet"]));
    assert!(c.out().join("capacity.png").exists());
    assert_success(&c.run(&["--seed", "99"]));
    assert_eq!(
        file_names(&c.out()),
        ["activities.csv", "manifest.json", "summary.json", "timeseries.csv"]
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(c.out().join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["seed"], 99);
    assert_eq!(c.listing(), ["out"], "no stray sibling");

    // With a user's file added it is no longer only a fleetsim output.
    fs::write(c.out().join("keep.txt"), "mine").unwrap();
    refused(&c.run(&[]), &["holds a fleetsim output but also keep.txt", "--force"]);
    assert_eq!(fs::read(c.out().join("keep.txt")).unwrap(), b"mine");
    assert_eq!(
        manifest,
        serde_json::from_slice::<serde_json::Value>(&fs::read(c.out().join("manifest.json")).unwrap()).unwrap()
    );
}

#[test]
fn an_empty_folder_is_accepted_one_holding_only_a_hidden_file_is_not() {
    let c = Case::new("empty");
    fs::create_dir(c.out()).unwrap();
    assert_success(&c.run(&[]));
    assert!(c.out().join("manifest.json").exists());
    let nested = c.work().join("a/b/c");
    assert_success(&c.run_to(&nested, &[]));
    assert!(nested.join("summary.json").exists());
    assert_eq!(c.listing(), ["a", "out"]);
    let hidden = c.work().join("hidden");
    fs::create_dir(&hidden).unwrap();
    fs::write(hidden.join(".git"), "gitdir: elsewhere").unwrap();
    refused(
        &c.run_to(&hidden, &[]),
        &["is not a fleetsim output folder: it holds .git;"],
    );
    assert_eq!(file_names(&hidden), [".git"]);
}

/// Sets the modification time of `path` and everything in it to `t` (contents first).
fn age(path: &Path, t: SystemTime) {
    if path.is_dir() {
        for e in fs::read_dir(path).unwrap() {
            age(&e.unwrap().path(), t);
        }
    }
    fs::File::open(path).unwrap().set_modified(t).unwrap();
}

#[test]
fn stale_marked_temporaries_are_cleaned_and_lookalikes_kept() {
    let c = Case::new("stale");
    let long_ago = SystemTime::now() - Duration::from_secs(3 * 3600);
    // Left by a fleetsim run killed mid-write: the marker and fleetsim's file names.
    let stale = c.work().join(".out.fleetsim-tmp-Ab12Cd");
    fs::create_dir(&stale).unwrap();
    fs::write(stale.join(".fleetsim-partial"), "").unwrap();
    fs::write(stale.join("summary.json"), "{\"trunc").unwrap();
    age(&stale, long_ago);
    // The same name shape, but no marker and not a fleetsim output: a user's.
    let lookalike = c.work().join(".out.fleetsim-tmp-Xy34Zw");
    fs::create_dir(&lookalike).unwrap();
    fs::write(lookalike.join("summary.json"), "mine").unwrap();
    age(&lookalike, long_ago);
    // Marked, but recent: a concurrent writer's.
    let live = c.work().join(".out.fleetsim-tmp-Qr56St");
    fs::create_dir(&live).unwrap();
    fs::write(live.join(".fleetsim-partial"), "").unwrap();
    // Marked and old, but for another output name.
    let other = c.work().join(".other.fleetsim-tmp-Uv78Wx");
    fs::create_dir(&other).unwrap();
    fs::write(other.join(".fleetsim-partial"), "").unwrap();
    age(&other, long_ago);

    assert_success(&c.run(&[]));
    assert_eq!(
        c.listing(),
        [
            ".other.fleetsim-tmp-Uv78Wx",
            ".out.fleetsim-tmp-Qr56St",
            ".out.fleetsim-tmp-Xy34Zw",
            "out"
        ]
    );
    assert_eq!(fs::read(lookalike.join("summary.json")).unwrap(), b"mine");
}

#[test]
fn sweep_and_merge_refuse_a_folder_of_other_files() {
    let c = Case::new("sweep");
    fs::create_dir(c.out()).unwrap();
    fs::write(c.out().join("keep.txt"), "keep").unwrap();
    let out = c.out().display().to_string();
    refused(
        &c.sweep_to(&c.out(), &[]),
        &[&out, "is not a fleetsim output folder", "keep.txt"],
    );

    let (s0, s1) = (c.folder.join("s0"), c.folder.join("s1"));
    assert_success(&c.sweep_to(&s0, &["--shard", "0/2"]));
    assert_success(&c.sweep_to(&s1, &["--shard", "1/2"]));
    let (s0, s1) = (s0.display().to_string(), s1.display().to_string());
    refused(
        &fleetsim(&["merge", &out, &s0, &s1, "--quiet"]),
        &[&out, "is not a fleetsim output folder", "--force"],
    );
    assert_eq!(file_names(&c.out()), ["keep.txt"]);
    assert_eq!(fs::read(c.out().join("keep.txt")).unwrap(), b"keep");
    assert_eq!(c.listing(), ["out"]);

    // A previous sweep output (with its runs/) is replaced by a merge, and a merge by a sweep.
    let merged = c.work().join("merged");
    assert_success(&c.sweep_to(&merged, &["--keep-runs"]));
    assert!(merged.join("runs/p1-r0/manifest.json").exists());
    let m = merged.display().to_string();
    assert_success(&fleetsim(&["merge", &m, &s0, &s1, "--quiet"]));
    assert!(!merged.join("runs").exists());
    assert_success(&c.sweep_to(&merged, &[]));
    assert_success(&fleetsim(&["merge", &out, &s0, &s1, "--quiet", "--force"]));
    assert!(c.out().join("sweep.json").exists() && !c.out().join("keep.txt").exists());
    assert_eq!(c.listing(), ["merged", "out"]);
}

#[test]
fn benchmark_replaces_a_saved_job_but_not_another_file() {
    let c = Case::new("job");
    let base = c.folder.join("base.ron").display().to_string();
    let jobs = c.work().display().to_string();
    let bench = |extra: &[&str]| {
        let mut args = vec!["benchmark", &base, "--job-name", "k", "--jobs-dir", &jobs, "--quiet"];
        args.extend_from_slice(&["--max-minutes", "2"]);
        args.extend_from_slice(extra);
        fleetsim(&args)
    };
    let job = c.work().join("k.json");
    fs::write(&job, "{\"mine\": 1}\n").unwrap();
    refused(
        &bench(&[]),
        &["k.json exists and is not a recommendation job", "--force"],
    );
    assert_eq!(fs::read(&job).unwrap(), b"{\"mine\": 1}\n");
    assert_success(&bench(&["--force"]));
    assert_success(&bench(&[]));
    assert!(fs::read_to_string(&job).unwrap().contains("\"JobName\": \"k\""));
    assert_eq!(c.listing(), ["k.json"]);
    fs::remove_file(&job).unwrap();
    fs::create_dir(&job).unwrap();
    refused(&bench(&["--force"]), &["k.json is a folder, not a file"]);
}

#[test]
fn plot_redraws_plots_but_never_a_users_file_bearing_a_plots_name() {
    let c = Case::new("plot");
    assert_success(&c.run(&[]));
    let out = c.out();
    let dir = out.display().to_string();
    // Plots are redrawn over plots, and no temporary sibling is left.
    assert_success(&fleetsim(&["plot", &dir]));
    assert!(fs::read(out.join("capacity.png")).unwrap().starts_with(b"\x89PNG"));
    assert_success(&fleetsim(&["plot", &dir]));
    assert!(
        file_names(&out).iter().all(|n| !n.starts_with('.')),
        "{:?}",
        file_names(&out)
    );
    // A user's notes saved as latency.svg are not a plot: refused before any plot is
    // written, and left as they were.
    fs::write(out.join("latency.svg"), "my notes").unwrap();
    let capacity = fs::metadata(out.join("capacity.png")).unwrap().modified().unwrap();
    refused(
        &fleetsim(&["plot", &dir]),
        &["latency.svg", "is not a plot written by fleetsim"],
    );
    assert_eq!(fs::read_to_string(out.join("latency.svg")).unwrap(), "my notes");
    assert_eq!(
        fs::metadata(out.join("capacity.png")).unwrap().modified().unwrap(),
        capacity
    );
}
