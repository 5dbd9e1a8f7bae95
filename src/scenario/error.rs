//! Scenario errors: each names the file, the position or field path, the value and what is
//! allowed, so a user can fix the input without reading code.

use super::parse_message::shorten_to;
use std::fmt;

/// One invalid field found by validation.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// Field path, e.g. `endpoint.variants[0].concurrency`.
    pub path: String,
    /// The offending value as written.
    pub value: String,
    /// What is allowed, e.g. `an integer from 1 to 10000`.
    pub allowed: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: got {}; allowed: {}", self.path, self.value, self.allowed)
    }
}

/// Everything that can be wrong with a scenario and its inputs.
/// Every variant bounds what it echoes: a path or value pasted by mistake may be megabytes.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{}: cannot read: {source}", shorten_to(file, 1_000))]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}:{col}: {message}{}", path.as_ref().map(|p| format!(" (at {p})")).unwrap_or_default())]
    Parse {
        file: String,
        line: usize,
        col: usize,
        path: Option<String>,
        message: String,
    },
    #[error("{file}: invalid scenario:\n{}", errors.iter().map(|e| format!("  - {e}")).collect::<Vec<_>>().join("\n"))]
    Invalid { file: String, errors: Vec<FieldError> },
    #[error("{}:{line}: {message}", shorten_to(file, 1_000))]
    Input { file: String, line: usize, message: String },
    /// A data file in JSON (a CloudWatch export): `message` starts with the field path.
    #[error("{}: {message}", shorten_to(file, 1_000))]
    Data { file: String, message: String },
    #[error(
        "--set {}: {}",
        super::parse_message::shorten(spec),
        super::parse_message::shorten_to(message, 1_000)
    )]
    Override { spec: String, message: String },
}
