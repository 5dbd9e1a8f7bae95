//! Scenario files: the only code that knows RON and serde.
//!
//! Parse (RON into the file types, `deny_unknown_fields`), apply `--set` overrides, then
//! validate into a `SimConfig`. Errors name the file and line/column, or the field path, the
//! value and what is allowed.

pub mod cloudwatch_counts;
pub mod components;
pub mod deployment;
pub mod duration;
pub mod error;
pub mod expect;
pub mod expectation;
pub mod expr;
pub mod file;
mod inputs;
pub mod limits;
pub mod overrides;
pub mod parse_message;
pub mod scaling;
mod validate;

pub use error::{FieldError, ScenarioError};
pub use file::Scenario;
pub use overrides::{parse_override, Override};
pub use parse_message::{shorten, shorten_to};
pub use validate::{validate, validate_all, Validated};

use crate::sim::SimConfig;
use std::path::{Path, PathBuf};

/// A scenario read, overridden and validated.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The file as the user named it.
    pub file: String,
    /// The file's text as read.
    pub text: String,
    /// The `--set` overrides applied, in order.
    pub overrides: Vec<String>,
    /// The scenario after overrides (and after `--seed`).
    pub scenario: Scenario,
    /// What to run: [`crate::sim::run`] takes it as it is.
    pub config: SimConfig,
    /// Things accepted but worth a word (print them; they never stop a run).
    pub warnings: Vec<String>,
    /// The scenario's expectations, checked.
    pub expect: Vec<expectation::Expectation>,
}

fn options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// Where and why RON text failed to parse: line, column, the field path reached (if any) and
/// the parser's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RonFailure {
    pub line: usize,
    pub col: usize,
    pub path: Option<String>,
    pub message: String,
}

/// Parses RON text (scenarios, sweep files) into `T`, with implicit `Some` and the field path of
/// the first error.
pub fn parse_ron<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, RonFailure> {
    let spanned = |e: ron::error::SpannedError, path: Option<String>| {
        let (message, keep_path) = parse_message::user_message(&e.code);
        RonFailure {
            line: e.span.start.line,
            col: e.span.start.col,
            path: path.filter(|_| keep_path),
            message,
        }
    };
    let mut de = ron::Deserializer::from_str_with_options(text, &options()).map_err(|e| spanned(e, None))?;
    let parsed: T = match serde_path_to_error::deserialize(&mut de) {
        Ok(s) => s,
        Err(e) => {
            let path = e.path().to_string();
            let code = e.into_inner();
            let path = (path != ".").then_some(path);
            return Err(spanned(de.span_error(code), path));
        }
    };
    de.end().map_err(|e| spanned(de.span_error(e), None))?;
    Ok(parsed)
}

/// Parses scenario text; `file` is used in messages only.
pub fn parse(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
    parse_ron(text).map_err(|f| ScenarioError::Parse {
        file: file.to_string(),
        line: f.line,
        col: f.col,
        path: f.path,
        message: f.message,
    })
}

/// Parses, overrides and validates scenario text. `base` is the folder that relative data
/// files (traces, samples) are read from.
pub fn load_str(
    text: &str,
    file: &str,
    base: &Path,
    sets: &[String],
    seed: Option<u64>,
) -> Result<Loaded, ScenarioError> {
    load_str_with(text, file, base, sets, seed, true)
}

/// [`load_str`]; `expectations: false` leaves the scenario's expectations out (unchecked, and
/// absent from `Loaded`): a run that does not judge them does not trip on them, for example
/// on a window past a duration shortened with `--set`.
fn load_str_with(
    text: &str,
    file: &str,
    base: &Path,
    sets: &[String],
    seed: Option<u64>,
    expectations: bool,
) -> Result<Loaded, ScenarioError> {
    let parsed = parse(text, file)?;
    let overrides = sets.iter().map(|s| parse_override(s)).collect::<Result<Vec<_>, _>>()?;
    let mut scenario = overrides::apply(&parsed, &overrides)?;
    if let Some(s) = seed {
        scenario.seed = s;
    }
    if !expectations {
        scenario.expect.clear();
    }
    let Validated {
        config,
        warnings,
        expect,
    } = validate_all(&scenario, file, base)?;
    Ok(Loaded {
        file: file.to_string(),
        text: text.to_string(),
        overrides: sets.to_vec(),
        scenario,
        config,
        warnings,
        expect,
    })
}

/// Reads a scenario file and loads it (see [`load_str`]): `sets` are `--set PATH=VALUE`
/// overrides applied in order, `seed` replaces the file's; data files are read relative to the
/// file's folder.
pub fn load(path: &Path, sets: &[String], seed: Option<u64>) -> Result<Loaded, ScenarioError> {
    let source = Source::read(path)?;
    load_str(&source.text, &source.file, &source.data_dir, sets, seed)
}

/// [`load`] without the scenario's expectations, for a run that does not judge them.
pub fn load_for_run(path: &Path, sets: &[String], seed: Option<u64>) -> Result<Loaded, ScenarioError> {
    let source = Source::read(path)?;
    load_str_with(&source.text, &source.file, &source.data_dir, sets, seed, false)
}

/// A scenario file as read: the name messages give it, its text, and the folder its relative
/// data files (traces, samples) are read from. Code above the loader (a sweep's base scenario)
/// carries one and validates against it without knowing the folder.
#[derive(Clone, Debug)]
pub struct Source {
    /// The file as the user named it (or as resolved against a sweep file's folder).
    pub file: String,
    /// The file's text as read.
    pub text: String,
    data_dir: PathBuf,
}

impl Source {
    /// Reads the scenario file at `path`; its data files are relative to the file's folder.
    pub fn read(path: &Path) -> Result<Source, ScenarioError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
            file: file.clone(),
            source,
        })?;
        let data_dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        Ok(Source { file, text, data_dir })
    }

    /// Validates `scenario` (this file's text parsed, perhaps overridden) into a `SimConfig`,
    /// reading its data files from this file's folder; see [`validate`].
    pub fn validate(&self, scenario: &Scenario) -> Result<(SimConfig, Vec<String>), ScenarioError> {
        validate(scenario, &self.file, &self.data_dir)
    }
}
