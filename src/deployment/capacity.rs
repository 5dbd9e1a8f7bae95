//! Capacity sizes (`{Type, Value}`) and how they become whole instances (docs/semantics/rollouts.md §2.3).

use std::fmt;

/// `CanarySize`, `LinearStepSize`, `MaximumBatchSize` or `RollbackMaximumBatchSize`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CapacitySize {
    /// `INSTANCE_COUNT`: a number of instances.
    InstanceCount(u32),
    /// `CAPACITY_PERCENT` (also spelled `CAPACITY_PERCENTAGE`): a percentage of the fleet.
    CapacityPercent(f64),
}

/// How a percentage is rounded to instances \[assumption, docs/semantics/rollouts.md §2.3\]: up (default) or down,
/// never below one instance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Rounding {
    #[default]
    Ceil,
    Floor,
}

impl CapacitySize {
    /// The size as a fraction of a fleet of `fleet` instances (docs/semantics/rollouts.md §2.2: `Value / G` for an
    /// instance count, `Value / 100` for a percentage).
    pub fn fraction(self, fleet: u32) -> f64 {
        match self {
            CapacitySize::InstanceCount(n) => f64::from(n) / f64::from(fleet.max(1)),
            CapacitySize::CapacityPercent(p) => p / 100.0,
        }
    }
}

impl fmt::Display for CapacitySize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CapacitySize::InstanceCount(n) => write!(f, "INSTANCE_COUNT {n}"),
            CapacitySize::CapacityPercent(p) => write!(f, "CAPACITY_PERCENT {p}"),
        }
    }
}

/// Instances of a fleet of `fleet` that `size` stands for (docs/semantics/rollouts.md §2.3):
/// `INSTANCE_COUNT` -> `min(value, fleet)`; `CAPACITY_PERCENT` -> `clamp(round(fleet x value /
/// 100), 1, fleet)` with `round` up or down per `rounding`.
pub fn instances(size: CapacitySize, fleet: u32, rounding: Rounding) -> u32 {
    match size {
        CapacitySize::InstanceCount(n) => n.min(fleet),
        CapacitySize::CapacityPercent(p) => {
            // A hair of tolerance so that 30 % of 10 is 3, not 4, despite 0.3 * 10 in f64.
            let exact = f64::from(fleet) * p / 100.0;
            let n = match rounding {
                Rounding::Ceil => (exact - 1e-9).ceil(),
                Rounding::Floor => (exact + 1e-9).floor(),
            };
            (n.max(1.0) as u32).min(fleet.max(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_rows() {
        use CapacitySize::*;
        // (size, fleet, rounding, expected)
        let rows = [
            (CapacityPercent(30.0), 10, Rounding::Ceil, 3), // R2 canary
            (CapacityPercent(20.0), 10, Rounding::Ceil, 2), // R4, R9
            (CapacityPercent(5.0), 10, Rounding::Ceil, 1),  // R9: ceil(0.5)
            (CapacityPercent(5.0), 10, Rounding::Floor, 1), // never below one
            (CapacityPercent(50.0), 10, Rounding::Ceil, 5),
            (CapacityPercent(25.0), 10, Rounding::Ceil, 3),
            (CapacityPercent(25.0), 10, Rounding::Floor, 2),
            (CapacityPercent(50.0), 1, Rounding::Ceil, 1), // a 1-instance fleet: the whole fleet
            (InstanceCount(3), 10, Rounding::Ceil, 3),
            (InstanceCount(30), 10, Rounding::Ceil, 10),
        ];
        for (size, fleet, rounding, expected) in rows {
            assert_eq!(
                instances(size, fleet, rounding),
                expected,
                "{size} of {fleet} {rounding:?}"
            );
        }
    }

    #[test]
    fn fractions() {
        assert_eq!(CapacitySize::InstanceCount(2).fraction(4), 0.5);
        assert_eq!(CapacitySize::InstanceCount(3).fraction(4), 0.75);
        assert_eq!(CapacitySize::CapacityPercent(60.0).fraction(10), 0.6);
    }
}
