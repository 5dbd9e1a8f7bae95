//! The error the configuration checks of this module return (`TargetTrackingConfig`,
//! `StepPolicyConfig` and `AlarmRule` `validate`): the field at fault, the value it holds and
//! what is allowed there, as data.
//!
//! Callers that know where a configuration came from (the scenario validation) map
//! [`FieldPath`] to the field the user wrote and report [`ConfigError::value`] and
//! [`ConfigError::allowed`] there; other callers print the error, e.g.
//! `steps[2].lower: got 30; allowed: a number below this step's upper bound (20)`.

use std::fmt;

/// A field of a configuration: a name, optionally an index into it and a member of that
/// element, e.g. `low_threshold_ratio`, `steps[1]` or `steps[2].lower`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FieldPath {
    /// The configuration's field, e.g. `steps`.
    pub name: &'static str,
    /// The element of a list field, e.g. `2` in `steps[2]`.
    pub index: Option<usize>,
    /// The member of that element, e.g. `lower` in `steps[2].lower`.
    pub member: Option<&'static str>,
}

impl FieldPath {
    /// A whole field, e.g. `target_value`.
    pub const fn field(name: &'static str) -> FieldPath {
        FieldPath {
            name,
            index: None,
            member: None,
        }
    }

    /// One element of a list field, e.g. `steps[2]`.
    pub const fn item(name: &'static str, index: usize) -> FieldPath {
        FieldPath {
            name,
            index: Some(index),
            member: None,
        }
    }

    /// A member of this path, e.g. `steps[2]` -> `steps[2].lower`.
    pub const fn member(self, member: &'static str) -> FieldPath {
        FieldPath {
            member: Some(member),
            ..self
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)?;
        if let Some(i) = self.index {
            write!(f, "[{i}]")?;
        }
        if let Some(m) = self.member {
            write!(f, ".{m}")?;
        }
        Ok(())
    }
}

/// A configuration field holding a value that is not allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The field at fault; for two fields in conflict, the later one (`allowed` names the other).
    pub field: FieldPath,
    /// The value the field holds, e.g. `1.5`, or `None` for an absent optional bound.
    pub value: String,
    /// What the field allows, e.g. `a number strictly between 0 and 1`.
    pub allowed: String,
}

impl ConfigError {
    pub fn new(field: FieldPath, value: impl fmt::Display, allowed: impl Into<String>) -> ConfigError {
        ConfigError {
            field,
            value: value.to_string(),
            allowed: allowed.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: got {}; allowed: {}", self.field, self.value, self.allowed)
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_messages_read_like_the_field() {
        assert_eq!(FieldPath::field("target_value").to_string(), "target_value");
        assert_eq!(FieldPath::item("steps", 1).to_string(), "steps[1]");
        assert_eq!(
            FieldPath::item("steps", 2).member("lower").to_string(),
            "steps[2].lower"
        );
        let e = ConfigError::new(
            FieldPath::field("low_threshold_ratio"),
            1.5,
            "a number strictly between 0 and 1",
        );
        assert_eq!(
            e.to_string(),
            "low_threshold_ratio: got 1.5; allowed: a number strictly between 0 and 1"
        );
    }
}
