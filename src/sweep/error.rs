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
    #[error("{file}: {}: {}", shorten(field), crate::scenario::shorten_to(message, 1_000))]
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
    #[error("{file}: point {point} ({}){}: {source}", crate::scenario::shorten_to(values, 1_000), axis.as_ref().map(|a| format!(", axis `{}`", shorten(a))).unwrap_or_default())]
    Point {
        file: String,
        point: usize,
        values: String,
        axis: Option<String>,
        #[source]
        source: Box<ScenarioError>,
    },
    #[error("--shard {}: {message}", shorten(spec))]
    Shard { spec: String, message: String },
    #[error("merge: {message}")]
    Merge { message: String },
}

pub use crate::scenario::shorten;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_shortened_with_an_ellipsis() {
        assert_eq!(shorten("a * 2"), "a * 2");
        let long = "(".repeat(30_000);
        let s = shorten(&long);
        assert!(s.chars().count() < 120, "{s}");
        assert!(s.ends_with("(30000 characters)"), "{s}");
    }
}
