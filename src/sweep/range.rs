//! Range axes: `from`, `to` and `step` turned into the axis's values, counted and bounded
//! before any value is built (a tiny step must not allocate, nor wrap a count to 0).

use super::design::{invalid, MAX_AXIS_VALUES};
use super::error::SweepError;
use super::file::NumberFile;
use super::value::AxisValue;

pub(super) fn range_values(
    file: &str,
    field: &str,
    from: NumberFile,
    to: NumberFile,
    step: NumberFile,
) -> Result<Vec<AxisValue>, SweepError> {
    let (a, b, s) = (from.as_f64(), to.as_f64(), step.as_f64());
    if !(a.is_finite() && b.is_finite() && s.is_finite()) {
        return Err(invalid(file, field.into(), "from, to and step must be finite numbers"));
    }
    // Compared by sign, not by the product `(b - a) * s`, which underflows to 0 for tiny steps.
    let goes_back = (b > a && s < 0.0) || (b < a && s > 0.0);
    if s == 0.0 || goes_back {
        return Err(invalid(
            file,
            format!("{field}.step"),
            format!(
                "got {}; allowed: a step that goes from {} towards {} (non-zero, same sign as to - from)",
                show(s),
                show(a),
                show(b)
            ),
        ));
    }
    let count = range_count(a, b, s).ok_or_else(|| {
        invalid(
            file,
            field.into(),
            format!(
                "from {} to {} in steps of {} gives {} values; allowed: 1 to {MAX_AXIS_VALUES} per axis (a larger step)",
                show(a),
                show(b),
                show(s),
                describe_count((b - a) / s + 1.0)
            ),
        )
    })?;
    let ints = matches!((from, step), (NumberFile::Int(_), NumberFile::Int(_)));
    Ok((0..count)
        .map(|i| {
            let v = a + i as f64 * s;
            if ints {
                AxisValue::Int(v as i64)
            } else {
                AxisValue::number(v)
            }
        })
        .collect())
}

/// The number of values of a range, `None` when it is not between 1 and [`MAX_AXIS_VALUES`].
/// Counted in floating point and checked before any conversion: `(b - a) / s` may be infinite
/// or beyond `usize` for a tiny step, and a saturating cast plus one would wrap to 0. Values
/// are `from + i * step` (not accumulated, so no drift); `to` is included when a step lands on
/// it within rounding.
fn range_count(a: f64, b: f64, s: f64) -> Option<usize> {
    let steps = ((b - a) / s + 1e-9).floor();
    if !steps.is_finite() || steps < 0.0 || steps + 1.0 > MAX_AXIS_VALUES as f64 {
        return None;
    }
    Some(steps as usize + 1)
}

/// A number for messages: plain when of everyday size, else in scientific notation (Rust's
/// `Display` would print 5e-324 with 324 digits).
fn show(x: f64) -> String {
    if x == 0.0 || (1e-4..1e15).contains(&x.abs()) {
        x.to_string()
    } else {
        format!("{x:e}")
    }
}

/// A count for messages: exact when it is a whole number of reasonable size, else in
/// scientific notation (a range of step 1e-300 has about 1e300 values).
fn describe_count(n: f64) -> String {
    if !n.is_finite() {
        "infinitely many".into()
    } else if n.abs() < 1e15 {
        format!("{}", n.floor())
    } else {
        format!("about {n:.1e}")
    }
}
