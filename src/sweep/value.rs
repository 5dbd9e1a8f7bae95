//! One value of a sweep axis: a number, a boolean or text, as written in CSV cells, in the
//! `PATH=VALUE` override of a point, and in `sweep.json`.

use std::fmt;

/// One value of an axis at a point.
#[derive(Clone, Debug, PartialEq)]
pub enum AxisValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

impl fmt::Display for AxisValue {
    /// As written in CSV cells and in the `PATH=VALUE` override (text is read like `--set`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AxisValue::Bool(b) => write!(f, "{b}"),
            AxisValue::Int(i) => write!(f, "{i}"),
            AxisValue::Float(v) => write!(f, "{v}"),
            AxisValue::Text(t) => f.write_str(t),
        }
    }
}

impl AxisValue {
    /// The value as a number for expressions; text that reads as a number counts.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            AxisValue::Int(i) => Some(*i as f64),
            AxisValue::Float(v) => Some(*v),
            AxisValue::Bool(_) => None,
            AxisValue::Text(t) => t.trim().parse().ok(),
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        match self {
            AxisValue::Bool(b) => (*b).into(),
            AxisValue::Int(i) => (*i).into(),
            AxisValue::Float(v) => serde_json::Number::from_f64(*v).map_or(serde_json::Value::Null, Into::into),
            AxisValue::Text(t) => t.clone().into(),
        }
    }

    /// A computed number: integral values become integers (so they fit integer fields such as
    /// capacities), others are rounded to 10 decimals to hide binary noise (0.1 * 3).
    pub fn number(v: f64) -> AxisValue {
        let tidy: f64 = format!("{v:.10}").parse().unwrap_or(v);
        if tidy.fract() == 0.0 && tidy.abs() < 9.0e15 {
            AxisValue::Int(tidy as i64)
        } else {
            AxisValue::Float(tidy)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_tidied() {
        assert_eq!(AxisValue::number(0.1 * 3.0), AxisValue::Float(0.3));
        assert_eq!(AxisValue::number(7.0 * 0.7 * 60.0), AxisValue::Int(294));
        assert_eq!(AxisValue::number(2.5), AxisValue::Float(2.5));
        assert_eq!(AxisValue::Text("5m".into()).to_string(), "5m");
        assert_eq!(AxisValue::Text(" 4 ".into()).as_f64(), Some(4.0));
    }
}
