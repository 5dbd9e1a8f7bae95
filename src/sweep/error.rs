//! Sweep errors: each names the sweep file, the axis, the point or the field at fault, the
//! value and what is allowed. Scenario errors are boxed to keep the `Result`s small.

use crate::scenario::ScenarioError;

#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("{file}: cannot read: {source}")]
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
    /// A field of the sweep file with a value that is not allowed.
    #[error("{file}: {field}: {message}")]
    Invalid {
        file: String,
        field: String,
        message: String,
    },
    /// The base scenario itself (with the sweep's `set`) is invalid.
    #[error("{file}: base scenario: {source}")]
    Base {
        file: String,
        #[source]
        source: Box<ScenarioError>,
    },
    /// One point's scenario is invalid.
    #[error("{file}: point {point} ({values}){}: {source}", axis.as_ref().map(|a| format!(", axis `{a}`")).unwrap_or_default())]
    Point {
        file: String,
        point: usize,
        values: String,
        axis: Option<String>,
        #[source]
        source: Box<ScenarioError>,
    },
    #[error("--shard {spec}: {message}")]
    Shard { spec: String, message: String },
    #[error("merge: {message}")]
    Merge { message: String },
}
