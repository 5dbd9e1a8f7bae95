//! Sweeps on cluster engines: `--shard auto` under each engine's variables gives shards that
//! merge into the single-machine sweep byte for byte, and the recipes of `docs/cluster/` parse,
//! use only flags the CLI takes, and, run here with stand-ins for `sbatch` and `aws` and with
//! the Kubernetes containers' commands run directly, give that same sweep.

use super::common::{assert_contains, assert_success, failed, TempFolder, TINY_SCENARIO};
use fleetsim::sweep::array_job::{
    BATCH_INDEX, BATCH_SIZE, K8S_INDEX, SHARD_COUNT, SHARD_INDEX, SLURM_COUNT, SLURM_ID, SLURM_MAX, SLURM_MIN,
    SLURM_STEP, VARIABLES,
};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use yaml_rust2::{Yaml, YamlLoader};

/// Five points x two replications of [`TINY_SCENARIO`]: a fraction of a second in all.
const SWEEP: &str = r#"Sweep(
    name: "cluster",
    base_scenario: "base.ron",
    replications: 2,
    axes: [Values(name: "instances", path: "endpoint.variants[0].initial_instance_count", values: [1, 2, 3, 4, 5])],
)"#;

/// The files `fleetsim merge` writes that must equal the single-machine sweep's.
const MERGED: [&str; 3] = ["sweep.csv", "runs.csv", "sweep.json"];

/// A folder holding `base.ron`, `sweep.ron` and the single-machine sweep's output in `all/`.
struct Case {
    folder: TempFolder,
}

impl Case {
    fn new(tag: &str) -> Self {
        let folder = TempFolder::new("cluster", tag);
        folder.write("base.ron", TINY_SCENARIO);
        folder.write("sweep.ron", SWEEP);
        let case = Case { folder };
        let all = case.arg("all");
        assert_success(&run(&["sweep", &case.arg("sweep.ron"), "--out", &all, "--quiet"], &[]));
        case
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.folder.join(rel)
    }

    /// [`Case::path`] as a command-line argument.
    fn arg(&self, rel: &str) -> String {
        self.path(rel).display().to_string()
    }

    /// Asserts that `dir` holds the single-machine sweep's files, byte for byte.
    fn assert_single_machine(&self, dir: &Path) {
        for f in MERGED {
            let got = std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{}/{f}: {e}", dir.display()));
            assert!(
                got == self.folder.read(&format!("all/{f}")),
                "{}/{f} differs",
                dir.display()
            );
        }
    }
}

/// A command with none of the variables `--shard auto` reads (whatever the test's own
/// environment holds), then `vars`.
fn clean(mut cmd: Command, vars: &[(&str, String)]) -> Command {
    for v in VARIABLES {
        cmd.env_remove(v);
    }
    cmd.envs(vars.iter().map(|(k, v)| (k, v)));
    cmd
}

/// Runs `fleetsim args` with [`clean`]'s environment.
fn run(args: &[&str], vars: &[(&str, String)]) -> Output {
    let mut cmd = clean(Command::new(env!("CARGO_BIN_EXE_fleetsim")), vars);
    cmd.args(args).output().unwrap()
}

/// Runs `count` shards with `--shard auto`, shard `i` under the variables `vars(i)`, into
/// `<tag>/shard-<i>`, merges them into `<tag>/merged` and checks it is the single-machine
/// sweep. Returns the line each shard printed about where its shard came from.
fn shards_under(
    case: &Case,
    tag: &str,
    count: usize,
    vars: impl Fn(usize) -> Vec<(&'static str, String)>,
) -> Vec<String> {
    let sweep = case.arg("sweep.ron");
    let mut dirs = Vec::new();
    let mut lines = Vec::new();
    for i in 0..count {
        let dir = case.arg(&format!("{tag}/shard-{i}"));
        let out = run(
            &["sweep", &sweep, "--shard", "auto", "--out", &dir, "--no-plots"],
            &vars(i),
        );
        assert_success(&out);
        let stdout = String::from_utf8(out.stdout).unwrap();
        lines.extend(stdout.lines().filter(|l| l.starts_with("shard ")).map(str::to_string));
        dirs.push(dir);
    }
    let merged = case.arg(&format!("{tag}/merged"));
    let mut args = vec!["merge", merged.as_str(), "--quiet"];
    args.extend(dirs.iter().map(String::as_str));
    assert_success(&run(&args, &[]));
    case.assert_single_machine(&case.path(&format!("{tag}/merged")));
    lines
}

fn n(i: usize) -> String {
    i.to_string()
}

#[test]
fn shards_of_every_engine_merge_into_the_single_machine_sweep() {
    let case = Case::new("engines");
    let k8s = shards_under(&case, "k8s", 3, |i| vec![(K8S_INDEX, n(i)), (SHARD_COUNT, n(3))]);
    assert_eq!(
        k8s,
        (0..3)
            .map(|i| format!(
                "shard     {i}/3 from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX={i}, FLEETSIM_SHARD_COUNT=3)"
            ))
            .collect::<Vec<_>>()
    );
    // More shards than points: shards 5 to 7 hold no point, and still merge.
    let batch = shards_under(&case, "batch", 8, |i| vec![(BATCH_INDEX, n(i)), (BATCH_SIZE, n(8))]);
    assert_eq!(
        batch[7],
        "shard     7/8 from an AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX=7, AWS_BATCH_JOB_ARRAY_SIZE=8)"
    );
    // --array=2-10:4: task IDs 2, 6 and 10 are shards 0, 1 and 2.
    let slurm = shards_under(&case, "slurm", 3, |i| {
        vec![
            (SLURM_ID, n(2 + 4 * i)),
            (SLURM_COUNT, n(3)),
            (SLURM_MIN, n(2)),
            (SLURM_MAX, n(10)),
            (SLURM_STEP, n(4)),
        ]
    });
    assert_contains(
        &slurm[1],
        &["shard     1/3 from a Slurm job array (SLURM_ARRAY_TASK_ID=6,"],
    );
    // fleetsim's own pair wins over an engine's variables.
    let pair = shards_under(&case, "pair", 2, |i| {
        vec![(SHARD_INDEX, n(i)), (SHARD_COUNT, n(2)), (K8S_INDEX, n(0))]
    });
    assert_eq!(
        pair[1],
        "shard     1/2 from FLEETSIM_SHARD_INDEX and FLEETSIM_SHARD_COUNT (FLEETSIM_SHARD_INDEX=1, FLEETSIM_SHARD_COUNT=2)"
    );
    // A shard chosen from the environment is the shard given by hand: merge cannot tell them
    // apart.
    let by_hand = case.arg("by-hand");
    assert_success(&run(
        &[
            "sweep",
            &case.arg("sweep.ron"),
            "--shard",
            "1/3",
            "--out",
            &by_hand,
            "--no-plots",
            "--quiet",
        ],
        &[],
    ));
    for f in MERGED {
        assert_eq!(
            case.folder.read(&format!("k8s/shard-1/{f}")),
            case.folder.read(&format!("by-hand/{f}")),
            "{f}"
        );
    }
}

#[test]
fn auto_without_a_clear_environment_is_refused_and_writes_nothing() {
    let case = Case::new("refused");
    let sweep = case.arg("sweep.ron");
    let out = case.arg("out");
    let refused = |vars: &[(&str, String)], needles: &[&str]| {
        let o = run(&["sweep", &sweep, "--shard", "auto", "--out", &out], vars);
        assert_eq!(o.status.code(), Some(2), "{vars:?}");
        assert_contains(&failed(&o, "--shard auto"), needles);
        assert!(!case.path("out").exists(), "{vars:?}: wrote output");
    };
    refused(
        &[],
        &[
            "--shard auto: no array-job environment found; set FLEETSIM_SHARD_INDEX and FLEETSIM_SHARD_COUNT",
            "JOB_COMPLETION_INDEX",
            "AWS_BATCH_JOB_ARRAY_INDEX, AWS_BATCH_JOB_ARRAY_SIZE",
            "SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_MIN",
            "or use --shard INDEX/COUNT",
        ],
    );
    refused(
        &[
            (K8S_INDEX, n(1)),
            (SHARD_COUNT, n(3)),
            (BATCH_INDEX, n(2)),
            (BATCH_SIZE, n(3)),
        ],
        &[
            "disagree",
            "1/3 from a Kubernetes Indexed Job",
            "2/3 from an AWS Batch array job",
        ],
    );
    refused(
        &[(K8S_INDEX, n(1))],
        &["FLEETSIM_SHARD_COUNT is not", ".spec.completions"],
    );
    refused(
        &[
            (SLURM_ID, n(2)),
            (SLURM_COUNT, n(3)),
            (SLURM_MIN, n(1)),
            (SLURM_MAX, n(9)),
        ],
        &["not an evenly spaced range"],
    );
}

// The recipes of docs/cluster.

fn recipe(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cluster").join(name)
}

fn recipe_text(name: &str) -> String {
    std::fs::read_to_string(recipe(name)).unwrap_or_else(|e| panic!("docs/cluster/{name}: {e}"))
}

/// The YAML documents of a file under `docs/`.
fn yaml(path: &Path) -> Vec<Yaml> {
    let text = std::fs::read_to_string(path).unwrap();
    YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The document of `kind` in a Kubernetes manifest.
fn kind<'a>(docs: &'a [Yaml], kind: &str) -> &'a Yaml {
    docs.iter()
        .find(|d| d["kind"].as_str() == Some(kind))
        .unwrap_or_else(|| panic!("no {kind}"))
}

/// The strings of a YAML list (empty when absent).
fn strings(list: &Yaml) -> Vec<String> {
    list.as_vec()
        .map(|v| v.iter().map(|s| s.as_str().expect("a string").to_string()).collect())
        .unwrap_or_default()
}

/// The files of `docs/cluster/` whose names end with one of `suffixes`, sorted.
fn recipes_ending(suffixes: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(recipe(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| suffixes.iter().any(|s| p.to_string_lossy().ends_with(s)))
        .collect();
    v.sort();
    v
}

#[test]
fn the_recipes_parse() {
    // Every YAML file of docs/, the CI examples' too.
    let mut yamls = recipes_ending(&[".yaml", ".yml"]);
    for e in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci")).unwrap() {
        yamls.push(e.unwrap().path());
    }
    assert!(yamls.len() >= 4, "{yamls:?}");
    for path in &yamls {
        assert!(!yaml(path).is_empty(), "{}: no document", path.display());
    }
    // The Kubernetes Job is indexed and tells its pods the count it runs.
    let docs = yaml(&recipe("kubernetes.yaml"));
    let job = kind(&docs, "Job");
    assert_eq!(job["spec"]["completionMode"].as_str(), Some("Indexed"));
    let completions = job["spec"]["completions"].as_i64().expect("completions");
    let env = container_env(&job["spec"]["template"]["spec"]["containers"][0]);
    assert_eq!(
        env[SHARD_COUNT],
        completions.to_string(),
        "FLEETSIM_SHARD_COUNT is not .spec.completions"
    );
    // Both Jobs mount the claim the manifest makes.
    let claim = kind(&docs, "PersistentVolumeClaim")["metadata"]["name"]
        .as_str()
        .unwrap();
    let merge = &yaml(&recipe("kubernetes-merge.yaml"))[0];
    for j in [job, merge] {
        let volume = &j["spec"]["template"]["spec"]["volumes"][0];
        assert_eq!(volume["persistentVolumeClaim"]["claimName"].as_str(), Some(claim));
    }
    // AWS Batch job definitions.
    for name in ["aws-batch-shard.json", "aws-batch-merge.json"] {
        let def: serde_json::Value = serde_json::from_str(&recipe_text(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(def["type"], "container", "{name}");
        assert!(
            def["containerProperties"]["command"]
                .as_array()
                .is_some_and(|c| c.len() == 3),
            "{name}"
        );
    }
    // Shell scripts.
    let scripts = recipes_ending(&[".sh", ".sbatch"]);
    assert_eq!(scripts.len(), 4, "{scripts:?}");
    for path in scripts {
        let out = Command::new("bash").arg("-n").arg(&path).output().unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The `--flags` of each `fleetsim sweep` or `fleetsim merge` command in `text`; a command
/// runs to the end of its line, a `;`, `&&` or a backquote.
fn commands(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for sub in ["sweep", "merge"] {
        let start = format!("fleetsim {sub} ");
        for (i, _) in text.match_indices(&start) {
            let rest = &text[i + start.len()..];
            let end = rest.find(['\n', ';', '`']).unwrap_or(rest.len());
            let end = rest[..end].find("&&").unwrap_or(end);
            let flags = rest[..end]
                .split_whitespace()
                .filter(|w| w.starts_with("--"))
                .map(|w| {
                    w.split('=')
                        .next()
                        .unwrap()
                        .trim_end_matches(['"', '\'', ',', ')'])
                        .to_string()
                })
                .collect();
            out.push((sub.to_string(), flags));
        }
    }
    out
}

#[test]
fn the_recipes_use_flags_the_cli_takes() {
    let help = |sub: &str| {
        let o = run(&[sub, "--help"], &[]);
        assert_success(&o);
        String::from_utf8(o.stdout).unwrap()
    };
    let (sweep_help, merge_help) = (help("sweep"), help("merge"));
    assert_contains(&sweep_help, &["--shard <INDEX/COUNT|auto>"]);
    assert_contains(&sweep_help, &VARIABLES);
    // Each recipe's commands as the engine sees them: the containers' command lines, and the
    // scripts with their continuation lines joined.
    let mut texts: Vec<(String, String)> = Vec::new();
    for name in ["kubernetes.yaml", "kubernetes-merge.yaml"] {
        for doc in yaml(&recipe(name)) {
            for c in strings_of_containers(&doc) {
                texts.push((name.to_string(), c));
            }
        }
    }
    for name in ["aws-batch-shard.json", "aws-batch-merge.json"] {
        let def: serde_json::Value = serde_json::from_str(&recipe_text(name)).unwrap();
        texts.push((
            name.to_string(),
            def["containerProperties"]["command"][2].as_str().unwrap().to_string(),
        ));
    }
    for path in recipes_ending(&[".sh", ".sbatch", ".md", "Dockerfile"]) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        texts.push((name, std::fs::read_to_string(&path).unwrap().replace("\\\n", " ")));
    }
    let mut seen = BTreeMap::<String, usize>::new();
    for (name, text) in &texts {
        for (sub, flags) in commands(text) {
            *seen.entry(name.clone()).or_default() += 1;
            let help = if sub == "sweep" { &sweep_help } else { &merge_help };
            for flag in flags {
                assert!(
                    help.contains(&format!("{flag} ")),
                    "{name}: `fleetsim {sub}` has no flag {flag}"
                );
            }
        }
    }
    for name in [
        "kubernetes.yaml",
        "kubernetes-merge.yaml",
        "aws-batch-shard.json",
        "aws-batch-merge.json",
        "slurm-sweep.sbatch",
        "slurm-merge.sbatch",
        "README.md",
    ] {
        assert!(seen.contains_key(name), "{name}: no fleetsim command found");
    }
}

/// The command and arguments of every container of a Job document, each joined into one line.
fn strings_of_containers(doc: &Yaml) -> Vec<String> {
    doc["spec"]["template"]["spec"]["containers"]
        .as_vec()
        .map(|cs| {
            cs.iter()
                .map(|c| [strings(&c["command"]), strings(&c["args"])].concat().join(" "))
                .collect()
        })
        .unwrap_or_default()
}

/// A container's `env` as name to value.
fn container_env(container: &Yaml) -> BTreeMap<String, String> {
    container["env"]
        .as_vec()
        .expect("env")
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                e["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The PATH of a recipe run: `stand_ins` (if any), the folder of the `fleetsim` under test, then
/// this process's PATH.
fn path_with(stand_ins: Option<&Path>) -> OsString {
    let fleetsim = Path::new(env!("CARGO_BIN_EXE_fleetsim"))
        .parent()
        .unwrap()
        .to_path_buf();
    let mut dirs: Vec<PathBuf> = stand_ins.into_iter().map(Path::to_path_buf).collect();
    dirs.push(fleetsim);
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(dirs).unwrap()
}

/// Runs `argv` under [`clean`]'s environment with `vars` and the recipe PATH; it must succeed.
fn run_recipe(argv: &[String], vars: &[(&str, String)], stand_ins: Option<&Path>) -> Output {
    let mut cmd = clean(Command::new(&argv[0]), vars);
    let out = cmd.args(&argv[1..]).env("PATH", path_with(stand_ins)).output().unwrap();
    assert!(
        out.status.success(),
        "{argv:?} with {vars:?}: exit {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs a Kubernetes container's command and args as the kubelet would, with the container's
/// environment overridden by `vars` (no image: `sh` and `fleetsim` from this machine).
fn run_container(container: &Yaml, vars: &[(&'static str, String)]) {
    let argv = [strings(&container["command"]), strings(&container["args"])].concat();
    let mut env: Vec<(String, String)> = container_env(container).into_iter().collect();
    env.retain(|(k, _)| !vars.iter().any(|(v, _)| v == k));
    let mut all: Vec<(&str, String)> = env.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    all.extend(vars.iter().cloned());
    run_recipe(&argv, &all, None);
}

#[test]
fn the_kubernetes_recipe_runs_and_merges() {
    let case = Case::new("k8s-recipe");
    let docs = yaml(&recipe("kubernetes.yaml"));
    let job = kind(&docs, "Job");
    let container = &job["spec"]["template"]["spec"]["containers"][0];
    let results = case.arg("results");
    // The volume is where the pods write.
    assert_eq!(
        container["volumeMounts"][0]["mountPath"].as_str(),
        Some(container_env(container)["RESULTS"].as_str())
    );
    for i in 0..job["spec"]["completions"].as_i64().unwrap() {
        run_container(
            container,
            &[
                ("SWEEP", case.arg("sweep.ron")),
                ("RESULTS", results.clone()),
                (K8S_INDEX, i.to_string()),
            ],
        );
    }
    let merge = &yaml(&recipe("kubernetes-merge.yaml"))[0];
    run_container(
        &merge["spec"]["template"]["spec"]["containers"][0],
        &[("RESULTS", results.clone())],
    );
    case.assert_single_machine(&case.path("results/merged"));
}

/// Writes an executable stand-in script `name` into `dir`.
fn stand_in(dir: &Path, name: &str, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `sbatch`: logs its arguments and answers `--parsable` style, `ID;CLUSTER`.
const SBATCH: &str = r#"#!/bin/sh
touch "$SBATCH_LOG"
n=$(wc -l < "$SBATCH_LOG")
echo "$*" >> "$SBATCH_LOG"
echo "$((4242 + n));test-cluster"
"#;

#[test]
fn the_slurm_recipe_submits_runs_and_merges() {
    let case = Case::new("slurm-recipe");
    let bin = case.path("bin");
    stand_in(&bin, "sbatch", SBATCH);
    let results = case.arg("results");
    let log = case.arg("sbatch.log");
    let vars = |shards: Option<&str>| {
        let mut v = vec![
            ("SWEEP", case.arg("sweep.ron")),
            ("RESULTS", results.clone()),
            ("SBATCH_LOG", log.clone()),
        ];
        v.extend(shards.map(|s| ("SHARDS", s.to_string())));
        v
    };
    let submit = vec!["bash".to_string(), recipe("slurm.sh").display().to_string()];
    run_recipe(&submit, &vars(None), Some(&bin));
    run_recipe(&submit, &vars(Some("3")), Some(&bin));
    let calls: Vec<String> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let (sweep_script, merge_script) = (recipe("slurm-sweep.sbatch"), recipe("slurm-merge.sbatch"));
    let expected = |id: u32, array: &str| {
        [
            format!("--parsable {array}{}", sweep_script.display()),
            format!(
                "--parsable --dependency=afterok:{id} --kill-on-invalid-dep=yes {}",
                merge_script.display()
            ),
        ]
    };
    assert_eq!(calls[..2], expected(4242, ""));
    assert_eq!(calls[2..], expected(4244, "--array=0-2 "));

    // The tasks of the script's own --array, then the merge.
    let array = recipe_text("slurm-sweep.sbatch")
        .lines()
        .find_map(|l| l.strip_prefix("#SBATCH --array=").map(str::to_string))
        .expect("#SBATCH --array=");
    let (first, last) = array.split_once('-').expect("--array=FIRST-LAST");
    let (first, last): (usize, usize) = (first.parse().unwrap(), last.parse().unwrap());
    let count = last - first + 1;
    for id in first..=last {
        let mut task = vars(None);
        task.extend([
            ("SLURM_ARRAY_JOB_ID", n(4242)),
            (SLURM_ID, n(id)),
            (SLURM_COUNT, n(count)),
            (SLURM_MIN, n(first)),
            (SLURM_MAX, n(last)),
            (SLURM_STEP, n(1)),
            ("SLURM_CPUS_PER_TASK", n(1)),
        ]);
        run_recipe(&["bash".to_string(), sweep_script.display().to_string()], &task, None);
    }
    run_recipe(
        &["bash".to_string(), merge_script.display().to_string()],
        &vars(None),
        None,
    );
    case.assert_single_machine(&case.path("results/merged"));
}

/// `aws`: logs its arguments; `s3 sync SRC DST` copies a folder (`s3://X` is `$FAKE_S3/X`,
/// options are skipped), `batch submit-job` answers a job ID, `batch register-job-definition`
/// reads its `file://` input.
const AWS: &str = r#"#!/bin/sh
echo "$*" >> "$AWS_LOG"
case "$1 $2" in
"s3 sync")
    shift 2
    src= dst= skip=
    for a in "$@"; do
        if [ -n "$skip" ]; then skip=; continue; fi
        case "$a" in
        --exclude | --include) skip=1 ;;
        --*) ;;
        *) if [ -z "$src" ]; then src=$a; else dst=$a; fi ;;
        esac
    done
    src=$(printf '%s' "$src" | sed "s#^s3://#$FAKE_S3/#")
    dst=$(printf '%s' "$dst" | sed "s#^s3://#$FAKE_S3/#")
    mkdir -p "$dst" && cp -R "$src/." "$dst/"
    ;;
"batch submit-job")
    echo "job-$(grep -c submit-job "$AWS_LOG")"
    ;;
"batch register-job-definition")
    cat "${4#file://}" > /dev/null
    ;;
*)
    echo "aws stand-in: unexpected call: $*" >&2
    exit 1
    ;;
esac
"#;

/// A job definition's command and environment.
fn job_definition(name: &str) -> (Vec<String>, Vec<(String, String)>) {
    let def: serde_json::Value = serde_json::from_str(&recipe_text(name)).unwrap();
    let props = &def["containerProperties"];
    let command = props["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    let env = props["environment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                e["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (command, env)
}

/// Runs a job definition's command with its environment overridden by `vars`.
fn run_job(name: &str, vars: &[(&'static str, String)], stand_ins: &Path) {
    let (command, mut env) = job_definition(name);
    env.retain(|(k, _)| !vars.iter().any(|(v, _)| v == k));
    let mut all: Vec<(&str, String)> = env.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    all.extend(vars.iter().cloned());
    run_recipe(&command, &all, Some(stand_ins));
}

#[test]
fn the_aws_batch_recipe_submits_runs_and_merges() {
    let case = Case::new("batch-recipe");
    let bin = case.path("bin");
    stand_in(&bin, "aws", AWS);
    let s3 = case.arg("s3");
    let log = case.arg("aws.log");
    let results = "s3://bucket/fleetsim/run-1".to_string();
    let aws = [("AWS_LOG", log.clone()), ("FAKE_S3", s3.clone())];
    let mut submit = aws.to_vec();
    submit.extend([
        ("QUEUE", "fleetsim-queue".to_string()),
        ("RESULTS", results.clone()),
        ("SHARDS", n(3)),
    ]);
    run_recipe(
        &["bash".to_string(), recipe("aws-batch.sh").display().to_string()],
        &submit,
        Some(&bin),
    );
    let calls = std::fs::read_to_string(&log).unwrap();
    let overrides = format!("--container-overrides environment=[{{name=RESULTS,value={results}}}]");
    assert_contains(
        &calls,
        &[
            &format!("batch register-job-definition --cli-input-json file://{}", recipe("aws-batch-shard.json").display()),
            &format!("batch register-job-definition --cli-input-json file://{}", recipe("aws-batch-merge.json").display()),
            &format!(
                "batch submit-job --job-name fleetsim-sweep --job-queue fleetsim-queue --job-definition fleetsim-shard --array-properties size=3 {overrides} --query jobId --output text"
            ),
            &format!(
                "batch submit-job --job-name fleetsim-merge --job-queue fleetsim-queue --job-definition fleetsim-merge --depends-on jobId=job-1 {overrides} --query jobId --output text"
            ),
        ],
    );

    // The array's children, each with its own temporary folder, then the merge job.
    for i in 0..3 {
        let mut child = aws.to_vec();
        child.extend([
            ("SWEEP", case.arg("sweep.ron")),
            ("RESULTS", results.clone()),
            (BATCH_INDEX, n(i)),
            (BATCH_SIZE, n(3)),
            ("TMPDIR", case.arg(&format!("tmp-{i}"))),
        ]);
        std::fs::create_dir_all(case.path(&format!("tmp-{i}"))).unwrap();
        run_job("aws-batch-shard.json", &child, &bin);
    }
    let mut merge = aws.to_vec();
    merge.extend([("RESULTS", results.clone()), ("TMPDIR", case.arg("tmp-merge"))]);
    std::fs::create_dir_all(case.path("tmp-merge")).unwrap();
    run_job("aws-batch-merge.json", &merge, &bin);
    case.assert_single_machine(&case.path("s3/bucket/fleetsim/run-1/merged"));
}

#[test]
fn commands_are_found_with_their_flags() {
    let text = "a: `fleetsim sweep F --shard auto --out \"$R/x\"` b\nexec fleetsim merge \"$R/m\" \"$R\"/shard-* --quiet; fleetsim sweep x --threads=2 && echo --not";
    assert_eq!(
        commands(text),
        [
            ("sweep".to_string(), vec!["--shard".to_string(), "--out".to_string()]),
            ("sweep".to_string(), vec!["--threads".to_string()]),
            ("merge".to_string(), vec!["--quiet".to_string()]),
        ]
    );
}
