//! The sweep file as written (RON): a serde mirror with `deny_unknown_fields`. Meaning is given
//! by [`super::plan`], which validates it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A sweep: a base scenario (or a `Scenarios` axis of several), axes of overrides and
/// replications per point.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename = "Sweep")]
pub struct SweepFile {
    /// Names the default output folder `outputs/<name>/`.
    pub name: String,
    /// The scenario every point starts from, relative to the sweep file; omitted when a
    /// `Scenarios` axis names the scenarios instead.
    #[serde(default)]
    pub base_scenario: Option<String>,
    /// Base seed; replication `r` runs with seed `base + r`. Default: the scenario's `seed`.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Runs per point (>= 1).
    #[serde(default = "one")]
    pub replications: u32,
    /// How value and range axes combine into points.
    #[serde(default)]
    pub combine: Combine,
    /// Named numbers that derived axes may read.
    #[serde(default)]
    pub constants: BTreeMap<String, f64>,
    /// Overrides applied to the base scenario before any axis (`PATH=VALUE`, like `--set`).
    #[serde(default)]
    pub set: Vec<String>,
    pub axes: Vec<AxisFile>,
    /// What to optimise, e.g. `Minimize("cost_usd")`.
    #[serde(default)]
    pub objective: Option<ObjectiveFile>,
    /// Conditions on the mean of a metric over replications, e.g. `"latency_ms.p99 <= 250"`.
    #[serde(default)]
    pub constraints: Vec<String>,
}

fn one() -> u32 {
    1
}

/// Full grid (every combination, the first axis varying slowest) or zip (the i-th value of
/// every axis together).
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub enum Combine {
    #[default]
    Grid,
    Zip,
}

impl Combine {
    pub fn as_str(self) -> &'static str {
        match self {
            Combine::Grid => "grid",
            Combine::Zip => "zip",
        }
    }
}

/// One axis. `path` is a scenario field path as in `--set`; an axis without a path is a pure
/// parameter that only derived axes read.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub enum AxisFile {
    Values {
        name: String,
        #[serde(default)]
        path: Option<String>,
        values: Vec<ValueFile>,
        /// How a value is written at `path`: `{}` stands for it, e.g. `"Constant(\"{}s\")"`
        /// puts a number of seconds into a distribution. Default: the value itself.
        #[serde(default)]
        template: Option<String>,
    },
    Range {
        name: String,
        #[serde(default)]
        path: Option<String>,
        from: NumberFile,
        to: NumberFile,
        step: NumberFile,
        /// As for `Values`.
        #[serde(default)]
        template: Option<String>,
    },
    /// Whole scenarios, relative to the sweep file: each point starts from one of them (its
    /// value is the file's name without folder and extension). Instead of `base_scenario`.
    Scenarios { name: String, files: Vec<String> },
    Derived {
        name: String,
        #[serde(default)]
        path: Option<String>,
        expr: String,
        /// As for `Values`.
        #[serde(default)]
        template: Option<String>,
    },
}

impl AxisFile {
    pub fn name(&self) -> &str {
        match self {
            AxisFile::Values { name, .. }
            | AxisFile::Range { name, .. }
            | AxisFile::Derived { name, .. }
            | AxisFile::Scenarios { name, .. } => name,
        }
    }

    pub fn path(&self) -> Option<&str> {
        match self {
            AxisFile::Values { path, .. } | AxisFile::Range { path, .. } | AxisFile::Derived { path, .. } => {
                path.as_deref()
            }
            AxisFile::Scenarios { .. } => None,
        }
    }

    /// How a value is written at the axis's path (`{}` stands for it).
    pub fn template(&self) -> Option<&str> {
        match self {
            AxisFile::Values { template, .. }
            | AxisFile::Range { template, .. }
            | AxisFile::Derived { template, .. } => template.as_deref(),
            AxisFile::Scenarios { .. } => None,
        }
    }
}

/// An axis value: a number, a boolean, or text. Text is read like a `--set` value, so `"5m"`,
/// `"ml.c5.xlarge"` and `"Constant(\"30s\")"` all work.
///
/// Read by hand rather than as an untagged enum, whose error ("did not match any variant of
/// untagged enum") names Rust types instead of saying what a value may be.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum ValueFile {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

/// A number in a range: integers stay integers so ranges over counts and seconds give integers.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(untagged)]
pub enum NumberFile {
    Int(i64),
    Float(f64),
}

/// What an axis value may be, in the words of parse errors.
const VALUE_EXPECTED: &str = "a number, true or false, or text in quotes such as \"5m\" or \"ml.c5.xlarge\"";

/// What `from`, `to` and `step` may be, in the words of parse errors.
const NUMBER_EXPECTED: &str = "a number such as 60 or 0.5";

/// A whole number that does not fit `i64` is kept as a float, as the untagged enum did.
fn int_or_float<T>(v: u64, int: fn(i64) -> T, float: fn(f64) -> T) -> T {
    i64::try_from(v).map_or_else(|_| float(v as f64), int)
}

impl<'de> Deserialize<'de> for ValueFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = ValueFile;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(VALUE_EXPECTED)
            }
            fn visit_bool<E>(self, v: bool) -> Result<ValueFile, E> {
                Ok(ValueFile::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<ValueFile, E> {
                Ok(ValueFile::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<ValueFile, E> {
                Ok(int_or_float(v, ValueFile::Int, ValueFile::Float))
            }
            fn visit_f64<E>(self, v: f64) -> Result<ValueFile, E> {
                Ok(ValueFile::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<ValueFile, E> {
                Ok(ValueFile::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for NumberFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = NumberFile;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(NUMBER_EXPECTED)
            }
            fn visit_i64<E>(self, v: i64) -> Result<NumberFile, E> {
                Ok(NumberFile::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<NumberFile, E> {
                Ok(int_or_float(v, NumberFile::Int, NumberFile::Float))
            }
            fn visit_f64<E>(self, v: f64) -> Result<NumberFile, E> {
                Ok(NumberFile::Float(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl NumberFile {
    pub fn as_f64(self) -> f64 {
        match self {
            NumberFile::Int(i) => i as f64,
            NumberFile::Float(f) => f,
        }
    }
}

/// The objective over one metric's mean.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub enum ObjectiveFile {
    Minimize(String),
    Maximize(String),
}
