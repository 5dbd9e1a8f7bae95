//! Number formatting shared by the CSV and terminal reports: fixed decimals, trailing zeros
//! trimmed, so files are compact and byte-stable.

/// `x` with at most `decimals` decimals, trailing zeros removed (`1.5`, `2`, `0.0004`).
pub fn num(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// An optional number; empty when absent.
pub fn num_or_empty(x: Option<f64>, decimals: usize) -> String {
    x.map(|v| num(v, decimals)).unwrap_or_default()
}

/// Microseconds to milliseconds with microsecond precision.
pub fn us_to_ms(us: f64) -> f64 {
    us / 1000.0
}

/// Rounds for JSON output (keeps summaries readable; the rounding is deterministic).
pub fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims() {
        assert_eq!(num(1.5, 3), "1.5");
        assert_eq!(num(2.0, 3), "2");
        assert_eq!(num(-0.0001, 2), "0");
        assert_eq!(num_or_empty(None, 2), "");
    }
}
