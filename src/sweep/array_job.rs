//! `--shard auto`: the shard an array-job engine gives this process, read from its environment
//! variables. A pure function of a map of variables; the CLI reads the process environment.
//!
//! | engine | index | count |
//! |---|---|---|
//! | fleetsim's own pair (wins over the engines) | `FLEETSIM_SHARD_INDEX` | `FLEETSIM_SHARD_COUNT` |
//! | Kubernetes Indexed Job | `JOB_COMPLETION_INDEX` | `FLEETSIM_SHARD_COUNT` (Kubernetes passes no count; the manifest sets it to `.spec.completions`) |
//! | AWS Batch array job | `AWS_BATCH_JOB_ARRAY_INDEX` | `AWS_BATCH_JOB_ARRAY_SIZE` |
//! | Slurm job array | (`SLURM_ARRAY_TASK_ID` - `SLURM_ARRAY_TASK_MIN`) / `SLURM_ARRAY_TASK_STEP` | `SLURM_ARRAY_TASK_COUNT` |
//!
//! Detection is unambiguous: with no variable of any engine the answer is an error naming them
//! all, an engine's variables set in part are an error, and `FLEETSIM_SHARD_COUNT` set beside
//! an engine that gives its own count must agree with it. Engines whose variables are all set
//! must give the same shard (two at once happen only by mistake, for example a variable
//! exported by a wrapper script), else it is an error.

use super::error::SweepError;
use super::shard::Shard;
use std::collections::BTreeMap;
use std::fmt;

/// fleetsim's own index variable; with [`SHARD_COUNT`] it wins over any engine's variables.
pub const SHARD_INDEX: &str = "FLEETSIM_SHARD_INDEX";
/// fleetsim's own count variable: with [`SHARD_INDEX`], or the count of a Kubernetes Indexed
/// Job, whose pods are not told `.spec.completions`.
pub const SHARD_COUNT: &str = "FLEETSIM_SHARD_COUNT";
/// Kubernetes Indexed Job: the pod's completion index, 0 to `.spec.completions` - 1.
pub const K8S_INDEX: &str = "JOB_COMPLETION_INDEX";
/// AWS Batch array job: the child's index, 0 to size - 1.
pub const BATCH_INDEX: &str = "AWS_BATCH_JOB_ARRAY_INDEX";
/// AWS Batch array job: the parent array job's size.
pub const BATCH_SIZE: &str = "AWS_BATCH_JOB_ARRAY_SIZE";
/// Slurm job array: this task's ID, one of the `--array` values.
pub const SLURM_ID: &str = "SLURM_ARRAY_TASK_ID";
/// Slurm job array: the number of tasks.
pub const SLURM_COUNT: &str = "SLURM_ARRAY_TASK_COUNT";
/// Slurm job array: the lowest task ID (an array may start at 1, or anywhere).
pub const SLURM_MIN: &str = "SLURM_ARRAY_TASK_MIN";
/// Slurm job array: the highest task ID.
pub const SLURM_MAX: &str = "SLURM_ARRAY_TASK_MAX";
/// Slurm job array: the step between task IDs (`--array=0-15:4` has step 4).
pub const SLURM_STEP: &str = "SLURM_ARRAY_TASK_STEP";

/// Every variable [`resolve`] reads.
pub const VARIABLES: [&str; 10] = [
    SHARD_INDEX,
    SHARD_COUNT,
    K8S_INDEX,
    BATCH_INDEX,
    BATCH_SIZE,
    SLURM_ID,
    SLURM_COUNT,
    SLURM_MIN,
    SLURM_MAX,
    SLURM_STEP,
];

/// Where a shard came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// `FLEETSIM_SHARD_INDEX` and `FLEETSIM_SHARD_COUNT`.
    Fleetsim,
    Kubernetes,
    AwsBatch,
    Slurm,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Fleetsim => "FLEETSIM_SHARD_INDEX and FLEETSIM_SHARD_COUNT",
            Engine::Kubernetes => "a Kubernetes Indexed Job",
            Engine::AwsBatch => "an AWS Batch array job",
            Engine::Slurm => "a Slurm job array",
        }
    }
}

/// The shard found in the environment, the engine that gave it and the variables read, as
/// `NAME=value` pairs in the order read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub shard: Shard,
    pub engine: Engine,
    pub variables: Vec<(&'static str, String)>,
}

impl fmt::Display for Found {
    /// `2/4 from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX=2, FLEETSIM_SHARD_COUNT=4)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let vars: Vec<String> = self.variables.iter().map(|(n, v)| format!("{n}={v}")).collect();
        write!(f, "{} from {} ({})", self.shard, self.engine.name(), vars.join(", "))
    }
}

/// The shard the environment `env` (variable name to value) gives, or why it gives none.
pub fn resolve(env: &BTreeMap<String, String>) -> Result<Found, SweepError> {
    let env = Env(env);
    // The explicit pair wins: it is how a user overrides whatever an engine sets.
    if let Some(found) = fleetsim(&env)? {
        return Ok(found);
    }
    let found: Vec<Found> = [kubernetes(&env)?, aws_batch(&env)?, slurm(&env)?]
        .into_iter()
        .flatten()
        .collect();
    let Some(first) = found.first() else {
        let count_alone = match env.get(SHARD_COUNT) {
            Some(v) => format!(
                "{SHARD_COUNT}={} is set, but no index variable; ",
                crate::scenario::shorten(v)
            ),
            None => String::new(),
        };
        return Err(error(format!(
            "no array-job environment found; {count_alone}set {SHARD_INDEX} and {SHARD_COUNT}, \
             or run as a Kubernetes Indexed Job ({K8S_INDEX}, with {SHARD_COUNT} set to \
             .spec.completions), an AWS Batch array job ({BATCH_INDEX}, {BATCH_SIZE}) or a Slurm \
             job array ({SLURM_ID}, {SLURM_COUNT}, {SLURM_MIN}); or use --shard INDEX/COUNT"
        )));
    };
    if let Some(other) = found.iter().find(|f| f.shard != first.shard) {
        return Err(error(format!(
            "the variables of two array-job engines disagree: {first}, but {other}; unset the \
             stray ones, set {SHARD_INDEX} and {SHARD_COUNT}, or use --shard INDEX/COUNT"
        )));
    }
    Ok(first.clone())
}

/// The variables, looked up by name (never iterated, so their order cannot matter).
struct Env<'a>(&'a BTreeMap<String, String>);

impl Env<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Whether any of `names` is set.
    fn any(&self, names: &[&str]) -> bool {
        names.iter().any(|n| self.0.contains_key(*n))
    }
}

fn error(message: String) -> SweepError {
    SweepError::Shard {
        spec: "auto".to_string(),
        message,
    }
}

/// The whole number in `name`, which must be set (`why` says why it is needed), recorded in
/// `read`.
fn required(
    env: &Env,
    name: &'static str,
    why: &str,
    read: &mut Vec<(&'static str, String)>,
) -> Result<usize, SweepError> {
    match env.get(name) {
        Some(v) => whole(name, v, read),
        None => Err(error(format!("{why}, but {name} is not set"))),
    }
}

/// The whole number in `value`, and `NAME=value` recorded in `read`. Digits only: a sign, a
/// space or an empty value is refused rather than guessed at.
fn whole(name: &'static str, value: &str, read: &mut Vec<(&'static str, String)>) -> Result<usize, SweepError> {
    let shown = crate::scenario::shorten(value);
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(error(format!("{name}=\"{shown}\" is not a whole number")));
    }
    let n = value
        .parse::<usize>()
        .map_err(|_| error(format!("{name}={shown} is too large")))?;
    read.push((name, value.to_string()));
    Ok(n)
}

/// The shard `index` of `count`, checked; `index_var` and `count_var` name them in messages.
fn checked(index: usize, count: usize, index_var: &str, count_var: &str) -> Result<Shard, SweepError> {
    if count == 0 {
        return Err(error(format!("{count_var}=0: the count must be at least 1")));
    }
    if index >= count {
        return Err(error(format!(
            "{index_var} gives index {index}, not below {count_var}={count} (shards are numbered from 0)"
        )));
    }
    Ok(Shard { index, count })
}

/// `FLEETSIM_SHARD_COUNT`, when set beside an engine that gives its own count, must agree.
fn count_agrees(
    env: &Env,
    engine_count: usize,
    engine_var: &str,
    read: &mut Vec<(&'static str, String)>,
) -> Result<(), SweepError> {
    if let Some(v) = env.get(SHARD_COUNT) {
        let ours = whole(SHARD_COUNT, v, read)?;
        if ours != engine_count {
            return Err(error(format!(
                "{SHARD_COUNT}={ours} disagrees with {engine_var}={engine_count}"
            )));
        }
    }
    Ok(())
}

fn fleetsim(env: &Env) -> Result<Option<Found>, SweepError> {
    let Some(v) = env.get(SHARD_INDEX) else {
        return Ok(None);
    };
    let mut read = Vec::new();
    let index = whole(SHARD_INDEX, v, &mut read)?;
    let count = required(env, SHARD_COUNT, &format!("{SHARD_INDEX} is set"), &mut read)?;
    Ok(Some(Found {
        shard: checked(index, count, SHARD_INDEX, SHARD_COUNT)?,
        engine: Engine::Fleetsim,
        variables: read,
    }))
}

fn kubernetes(env: &Env) -> Result<Option<Found>, SweepError> {
    let Some(v) = env.get(K8S_INDEX) else {
        return Ok(None);
    };
    let mut read = Vec::new();
    let index = whole(K8S_INDEX, v, &mut read)?;
    let Some(c) = env.get(SHARD_COUNT) else {
        return Err(error(format!(
            "{K8S_INDEX}={v} is set (a Kubernetes Indexed Job) but {SHARD_COUNT} is not: \
             Kubernetes does not tell a pod the Job's .spec.completions; set {SHARD_COUNT} to it \
             in the pod template"
        )));
    };
    let count = whole(SHARD_COUNT, c, &mut read)?;
    Ok(Some(Found {
        shard: checked(index, count, K8S_INDEX, SHARD_COUNT)?,
        engine: Engine::Kubernetes,
        variables: read,
    }))
}

fn aws_batch(env: &Env) -> Result<Option<Found>, SweepError> {
    if !env.any(&[BATCH_INDEX, BATCH_SIZE]) {
        return Ok(None);
    }
    let why = "an AWS Batch array job sets both AWS_BATCH_JOB_ARRAY_INDEX and AWS_BATCH_JOB_ARRAY_SIZE";
    let mut read = Vec::new();
    let index = required(env, BATCH_INDEX, why, &mut read)?;
    let count = required(env, BATCH_SIZE, why, &mut read)?;
    count_agrees(env, count, BATCH_SIZE, &mut read)?;
    Ok(Some(Found {
        shard: checked(index, count, BATCH_INDEX, BATCH_SIZE)?,
        engine: Engine::AwsBatch,
        variables: read,
    }))
}

/// A Slurm array's task IDs are mapped to 0..COUNT by `(ID - MIN) / STEP`, which holds only for
/// an evenly spaced range (`--array=1-16`, `--array=0-15:4`): `MIN + (COUNT - 1) x STEP` must be
/// `MAX`. A list such as `--array=1,2,9` is refused by every task whose ID is off that grid, and
/// by all of them when `MAX` shows the gaps, so no shard runs twice and none is left out
/// silently.
fn slurm(env: &Env) -> Result<Option<Found>, SweepError> {
    if !env.any(&[SLURM_ID, SLURM_COUNT, SLURM_MIN, SLURM_MAX, SLURM_STEP]) {
        return Ok(None);
    }
    let why = "a Slurm job array sets SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT and SLURM_ARRAY_TASK_MIN";
    let mut read = Vec::new();
    let id = required(env, SLURM_ID, why, &mut read)?;
    let count = required(env, SLURM_COUNT, why, &mut read)?;
    let min = required(env, SLURM_MIN, why, &mut read)?;
    let max = env.get(SLURM_MAX).map(|v| whole(SLURM_MAX, v, &mut read)).transpose()?;
    let step = env
        .get(SLURM_STEP)
        .map(|v| whole(SLURM_STEP, v, &mut read))
        .transpose()?;
    if count == 0 {
        return Err(error(format!("{SLURM_COUNT}=0: the count must be at least 1")));
    }
    let uneven = |read: &[(&str, String)]| {
        let vars: Vec<String> = read.iter().map(|(n, v)| format!("{n}={v}")).collect();
        error(format!(
            "the Slurm job array's task IDs are not an evenly spaced range ({}); --shard auto maps \
             ranges such as --array=0-15, --array=1-16 or --array=0-15:4 to shards 0 to COUNT - 1: \
             submit such a range, or use --shard INDEX/COUNT",
            vars.join(", ")
        ))
    };
    let step = match (step, max) {
        (Some(0), _) => return Err(error(format!("{SLURM_STEP}=0: the step must be at least 1"))),
        (Some(s), _) => s,
        // No step given: the one that spreads COUNT IDs from MIN to MAX, if any.
        (None, Some(max)) if count > 1 => {
            let span = max.checked_sub(min).ok_or_else(|| uneven(&read))?;
            if span % (count - 1) != 0 {
                return Err(uneven(&read));
            }
            span / (count - 1)
        }
        (None, _) => 1,
    };
    if let Some(max) = max {
        let last = (count - 1).checked_mul(step).and_then(|d| d.checked_add(min));
        if last != Some(max) {
            return Err(uneven(&read));
        }
    }
    let offset = id
        .checked_sub(min)
        .ok_or_else(|| error(format!("{SLURM_ID}={id} is below {SLURM_MIN}={min}")))?;
    if offset % step != 0 {
        return Err(uneven(&read));
    }
    count_agrees(env, count, SLURM_COUNT, &mut read)?;
    Ok(Some(Found {
        shard: checked(offset / step, count, SLURM_ID, SLURM_COUNT)?,
        engine: Engine::Slurm,
        variables: read,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    /// The shard `pairs` give, as `INDEX/COUNT`, or the error message.
    fn shard(pairs: &[(&str, &str)]) -> Result<String, String> {
        resolve(&env(pairs))
            .map(|f| f.shard.to_string())
            .map_err(|e| e.to_string())
    }

    /// `pairs` must be refused with a message holding every one of `needles`.
    fn refused(pairs: &[(&str, &str)], needles: &[&str]) {
        let err = shard(pairs).expect_err(&format!("{pairs:?} should be refused"));
        assert!(err.starts_with("--shard auto: "), "{err}");
        for n in needles {
            assert!(err.contains(n), "{pairs:?}: message lacks `{n}`: {err}");
        }
    }

    #[test]
    fn every_engine() {
        let k8s = [(K8S_INDEX, "2"), (SHARD_COUNT, "4")];
        assert_eq!(shard(&k8s).unwrap(), "2/4");
        let batch = [(BATCH_INDEX, "0"), (BATCH_SIZE, "3")];
        assert_eq!(shard(&batch).unwrap(), "0/3");
        let slurm = [
            (SLURM_ID, "5"),
            (SLURM_COUNT, "8"),
            (SLURM_MIN, "0"),
            (SLURM_MAX, "7"),
            (SLURM_STEP, "1"),
        ];
        assert_eq!(shard(&slurm).unwrap(), "5/8");
        assert_eq!(shard(&[(SHARD_INDEX, "1"), (SHARD_COUNT, "2")]).unwrap(), "1/2");
        // The message printed names the engine and every variable read, in order.
        let found = resolve(&env(&k8s)).unwrap();
        assert_eq!(found.engine, Engine::Kubernetes);
        assert_eq!(
            found.to_string(),
            "2/4 from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX=2, FLEETSIM_SHARD_COUNT=4)"
        );
    }

    #[test]
    fn slurm_ids_map_through_min_and_step() {
        let task = |id: &str, count: &str, min: &str, max: Option<&str>, step: Option<&str>| {
            let mut pairs = vec![(SLURM_ID, id), (SLURM_COUNT, count), (SLURM_MIN, min)];
            pairs.extend(max.map(|m| (SLURM_MAX, m)));
            pairs.extend(step.map(|s| (SLURM_STEP, s)));
            shard(&pairs)
        };
        // --array=1-4: IDs 1 to 4 are shards 0 to 3.
        assert_eq!(task("1", "4", "1", Some("4"), Some("1")).unwrap(), "0/4");
        assert_eq!(task("4", "4", "1", Some("4"), Some("1")).unwrap(), "3/4");
        // --array=0-15:4: IDs 0, 4, 8, 12 are shards 0 to 3.
        assert_eq!(task("8", "4", "0", Some("12"), Some("4")).unwrap(), "2/4");
        assert_eq!(task("12", "4", "0", Some("12"), Some("4")).unwrap(), "3/4");
        // --array=3-9:3 without SLURM_ARRAY_TASK_STEP: the step follows from MIN, MAX, COUNT.
        assert_eq!(task("9", "3", "3", Some("9"), None).unwrap(), "2/3");
        // Only ID, COUNT and MIN: a contiguous range.
        assert_eq!(task("7", "3", "5", None, None).unwrap(), "2/3");
        // One task.
        assert_eq!(task("6", "1", "6", Some("6"), Some("1")).unwrap(), "0/1");
        // --array=1,2,9 (three IDs from 1 to 9, step 4 would be needed): every task refused.
        for id in ["1", "2", "9"] {
            let err = task(id, "3", "1", Some("9"), Some("1")).unwrap_err();
            assert!(err.contains("not an evenly spaced range"), "{err}");
            assert!(err.contains("--shard INDEX/COUNT"), "{err}");
        }
        // --array=0,1,4,5 with no step given: step 5/3 is not whole.
        assert!(task("4", "4", "0", Some("5"), None)
            .unwrap_err()
            .contains("evenly spaced"));
        // An ID off the grid of MIN and STEP.
        assert!(task("5", "4", "0", None, Some("4"))
            .unwrap_err()
            .contains("evenly spaced"));
        // An ID below MIN, an ID past COUNT, a zero step or count.
        assert!(task("0", "4", "1", None, None)
            .unwrap_err()
            .contains("below SLURM_ARRAY_TASK_MIN=1"));
        assert!(task("9", "4", "1", None, None)
            .unwrap_err()
            .contains("not below SLURM_ARRAY_TASK_COUNT=4"));
        assert!(task("0", "4", "0", None, Some("0"))
            .unwrap_err()
            .contains("step must be at least 1"));
        assert!(task("0", "0", "0", None, None).unwrap_err().contains("at least 1"));
    }

    #[test]
    fn the_fleetsim_pair_wins_over_the_engines() {
        let pairs = [
            (SHARD_INDEX, "3"),
            (SHARD_COUNT, "5"),
            (K8S_INDEX, "0"),
            (BATCH_INDEX, "1"),
            (BATCH_SIZE, "2"),
            (SLURM_ID, "1"),
        ];
        let found = resolve(&env(&pairs)).unwrap();
        assert_eq!(
            (found.shard.to_string(), found.engine),
            ("3/5".to_string(), Engine::Fleetsim)
        );
        assert_eq!(found.variables, [(SHARD_INDEX, "3".into()), (SHARD_COUNT, "5".into())]);
        refused(
            &[(SHARD_INDEX, "3")],
            &["FLEETSIM_SHARD_INDEX is set, but FLEETSIM_SHARD_COUNT is not set"],
        );
    }

    #[test]
    fn missing_variables_are_named() {
        let all = [
            "FLEETSIM_SHARD_INDEX",
            "FLEETSIM_SHARD_COUNT",
            "JOB_COMPLETION_INDEX",
            "AWS_BATCH_JOB_ARRAY_INDEX",
            "AWS_BATCH_JOB_ARRAY_SIZE",
            "SLURM_ARRAY_TASK_ID",
            "SLURM_ARRAY_TASK_COUNT",
            "SLURM_ARRAY_TASK_MIN",
            "or use --shard INDEX/COUNT",
        ];
        refused(&[("PATH", "/usr/bin")], &all);
        refused(&[], &["no array-job environment found; set FLEETSIM_SHARD_INDEX"]);
        refused(
            &[(SHARD_COUNT, "4")],
            &["FLEETSIM_SHARD_COUNT=4 is set, but no index variable"],
        );
        refused(
            &[(K8S_INDEX, "1")],
            &[
                "Kubernetes Indexed Job",
                ".spec.completions",
                "FLEETSIM_SHARD_COUNT is not",
            ],
        );
        refused(&[(BATCH_SIZE, "4")], &["AWS_BATCH_JOB_ARRAY_INDEX is not set"]);
        refused(&[(BATCH_INDEX, "1")], &["AWS_BATCH_JOB_ARRAY_SIZE is not set"]);
        refused(
            &[(SLURM_ID, "1"), (SLURM_MIN, "0")],
            &["SLURM_ARRAY_TASK_COUNT is not set"],
        );
        refused(
            &[(SLURM_ID, "1"), (SLURM_COUNT, "2")],
            &["SLURM_ARRAY_TASK_MIN is not set"],
        );
        refused(
            &[(SLURM_COUNT, "2"), (SLURM_MIN, "0")],
            &["SLURM_ARRAY_TASK_ID is not set"],
        );
    }

    #[test]
    fn engines_that_disagree_are_refused() {
        refused(
            &[
                (K8S_INDEX, "1"),
                (SHARD_COUNT, "4"),
                (SLURM_ID, "2"),
                (SLURM_COUNT, "4"),
                (SLURM_MIN, "0"),
            ],
            &[
                "disagree",
                "1/4 from a Kubernetes Indexed Job",
                "2/4 from a Slurm job array",
                "or use --shard INDEX/COUNT",
            ],
        );
        // Same index, different counts.
        refused(
            &[
                (BATCH_INDEX, "1"),
                (BATCH_SIZE, "4"),
                (SLURM_ID, "1"),
                (SLURM_COUNT, "3"),
                (SLURM_MIN, "0"),
            ],
            &["1/4 from an AWS Batch array job", "1/3 from a Slurm job array"],
        );
        // Engines that agree give their shard.
        let agree = [
            (BATCH_INDEX, "1"),
            (BATCH_SIZE, "4"),
            (SLURM_ID, "2"),
            (SLURM_COUNT, "4"),
            (SLURM_MIN, "1"),
        ];
        assert_eq!(shard(&agree).unwrap(), "1/4");
        // FLEETSIM_SHARD_COUNT beside an engine's own count must agree with it.
        refused(
            &[(BATCH_INDEX, "1"), (BATCH_SIZE, "4"), (SHARD_COUNT, "5")],
            &["FLEETSIM_SHARD_COUNT=5 disagrees with AWS_BATCH_JOB_ARRAY_SIZE=4"],
        );
        assert_eq!(
            shard(&[(BATCH_INDEX, "1"), (BATCH_SIZE, "4"), (SHARD_COUNT, "4")]).unwrap(),
            "1/4"
        );
    }

    #[test]
    fn bad_values_are_refused() {
        for bad in ["", " 1", "1 ", "+1", "-1", "1.0", "one", "0x1"] {
            refused(
                &[(K8S_INDEX, bad), (SHARD_COUNT, "4")],
                &["JOB_COMPLETION_INDEX=\"", "is not a whole number"],
            );
        }
        refused(
            &[(BATCH_INDEX, "1"), (BATCH_SIZE, "99999999999999999999999")],
            &["AWS_BATCH_JOB_ARRAY_SIZE=", "too large"],
        );
        refused(
            &[(SHARD_INDEX, "4"), (SHARD_COUNT, "4")],
            &["index 4, not below FLEETSIM_SHARD_COUNT=4"],
        );
        refused(
            &[(SHARD_INDEX, "0"), (SHARD_COUNT, "0")],
            &["FLEETSIM_SHARD_COUNT=0", "at least 1"],
        );
        refused(
            &[(BATCH_INDEX, "3"), (BATCH_SIZE, "3")],
            &["not below AWS_BATCH_JOB_ARRAY_SIZE=3"],
        );
        // An engine's bad value is an error even when another engine is well set.
        refused(
            &[(K8S_INDEX, "x"), (BATCH_INDEX, "0"), (BATCH_SIZE, "2")],
            &["JOB_COMPLETION_INDEX=\"x\""],
        );
    }
}
