//! The error collector every section validator writes to, and the range checks they share.

use super::files::Files;
use crate::autoscaling::config_error::ConfigError;
use crate::engine::SimDuration;
use crate::scenario::error::FieldError;
use crate::scenario::parse_message::{shorten, shorten_to};

/// What the name fields of variants, components and configurations allow.
pub(super) const NAME_RULE: &str = "1 to 128 letters, digits, `-`, `_` or `.`, starting with a letter or digit";

/// Collects field errors; later passes still run so a user sees every problem at once.
pub(super) struct Check<'a> {
    pub(super) errors: Vec<FieldError>,
    /// The data files the scenario names, already read.
    pub(super) files: &'a Files,
}

impl<'a> Check<'a> {
    pub(super) fn new(files: &'a Files) -> Self {
        Check {
            errors: Vec::new(),
            files,
        }
    }

    /// Records that the field at `path` holds `value`, which is not `allowed`.
    pub(super) fn fail(&mut self, path: &str, value: impl std::fmt::Display, allowed: &str) {
        self.errors.push(FieldError {
            path: path.to_string(),
            // A value pasted by mistake may be megabytes long: echo its start only.
            value: shorten(&value.to_string()),
            // What is allowed may list names the user chose (alarms, variants): bounded too.
            allowed: shorten_to(allowed, 1_000),
        });
    }

    /// Records a configuration check of the autoscaling library that failed, on the scenario
    /// field `path` the caller mapped its field to.
    pub(super) fn config_error(&mut self, path: &str, e: &ConfigError) {
        self.fail(path, &e.value, &e.allowed);
    }

    /// A finite value from `lo` to `hi`.
    pub(super) fn finite_range(&mut self, path: &str, v: f64, lo: f64, hi: f64, allowed: &str) -> f64 {
        if !(v.is_finite() && v >= lo && v <= hi) {
            self.fail(path, v, allowed);
        }
        v
    }

    /// A finite value strictly between `lo` and `hi`.
    pub(super) fn open_range(&mut self, path: &str, v: f64, lo: f64, hi: f64) -> f64 {
        if !(v.is_finite() && v > lo && v < hi) {
            self.fail(path, v, &format!("a number strictly between {lo} and {hi}"));
        }
        v
    }

    pub(super) fn positive_duration(&mut self, path: &str, d: SimDuration) -> SimDuration {
        if d.0 == 0 {
            self.fail(path, "\"0s\"", "a duration > 0");
        }
        d
    }

    /// Checks a name field against [`valid_name`]; `allowed` says what the name is for.
    pub(super) fn name(&mut self, path: &str, name: &str, allowed: &str) {
        if !valid_name(name) {
            self.fail(path, format!("\"{name}\""), allowed);
        }
    }
}

/// Letters, digits, `-`, `_`, `.`, starting with a letter or digit (so never `.` or `..`,
/// which would escape the output folder).
pub(super) fn valid_name(name: &str) -> bool {
    name.len() <= 128
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
