//! The sizing guidance AWS publishes as named constants (docs/semantics/autoscaling.md §10, §11;
//! docs/semantics/components.md §5; worked examples I1, I6, I7, I9), and the small judgements built on them.
//!
//! They are defaults and yardsticks, never hidden behaviour: the benchmark stop rule, the
//! scaling recommendation's default CPU target and the notebook band read them from here, and
//! the scenario checks that warn about a configuration quote them.

/// `SAFETY_FACTOR` to start from in `TargetValue = MAX_RPS x SAFETY_FACTOR x 60`, then verify
/// with rising and falling traffic (docs/semantics/autoscaling.md §11.1, I1) \[AWS\].
pub const SAFETY_FACTOR_START: f64 = 0.5;

/// Target utilisation that favours availability (docs/semantics/autoscaling.md §11.2, I6) \[AWS\].
pub const UTILISATION_AVAILABILITY: f64 = 0.40;
/// Target utilisation that balances availability and cost \[AWS\].
pub const UTILISATION_BALANCED: f64 = 0.50;
/// Target utilisation that favours cost \[AWS\].
pub const UTILISATION_COST: f64 = 0.70;

/// The notebook's analysis band of per-instance utilisation, in percent: `lower_threshold`
/// 45, `upper_threshold` 55 (docs/semantics/autoscaling.md §11.2, §11.3 step 2) \[AWS\].
pub const NOTEBOOK_BAND_PERCENT: (f64, f64) = (45.0, 55.0);

/// An asynchronous-endpoint instance above 60 to 70 % of its capacity is usually saturated
/// (docs/semantics/autoscaling.md §10, §11.2) \[AWS\]; the range in percent.
pub const ASYNC_SATURATION_PERCENT: (f64, f64) = (60.0, 70.0);

/// `TargetCpuUtilizationPerCore` of `GetScalingConfigurationRecommendation` when the request
/// leaves it out, in percent (docs/semantics/load-tests.md §4.1, J1) \[AWS\].
pub const TARGET_CPU_UTILIZATION_PER_CORE_DEFAULT: u32 = 50;

/// An instance-recommendation benchmark stops when this share of invocations in a one-minute
/// window fails (docs/semantics/load-tests.md §1, autoscaling.md I7) \[AWS: 1 %; per-minute window: assumption\].
pub const BENCHMARK_FAILURE_SHARE: f64 = 0.01;

/// Inference components target 99.95 % availability with more than two copies
/// (`MORE_THAN_COPIES`) and a managed-instance-scaling minimum of at least
/// `HA_MIN_INSTANCES` (docs/semantics/components.md §5, I9) \[AWS\].
pub const HA_AVAILABILITY_PERCENT: f64 = 99.95;
/// See [`HA_AVAILABILITY_PERCENT`]: copies must be more than this.
pub const HA_MORE_THAN_COPIES: u32 = 2;
/// See [`HA_AVAILABILITY_PERCENT`]: the instance minimum must be at least this.
pub const HA_MIN_INSTANCES: u32 = 2;

/// Which way a utilisation target leans, by the notebook's three anchors (docs/semantics/autoscaling.md §11.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lean {
    /// At or below 40 %: spare room absorbs bursts while new capacity boots.
    Availability,
    /// Between the anchors, closer to 50 %.
    Balanced,
    /// At or above 70 %: fewer instances, less headroom.
    Cost,
}

/// Classifies a target utilisation in `[0, 1]` by the nearest of the anchors 0.40, 0.50 and
/// 0.70 (ties go to the middle anchor); beyond the outer anchors the lean is theirs.
pub fn lean(utilisation: f64) -> Lean {
    let low_mid = (UTILISATION_AVAILABILITY + UTILISATION_BALANCED) / 2.0;
    let high_mid = (UTILISATION_BALANCED + UTILISATION_COST) / 2.0;
    if utilisation < low_mid - 1e-12 {
        Lean::Availability
    } else if utilisation <= high_mid + 1e-12 {
        Lean::Balanced
    } else {
        Lean::Cost
    }
}

/// Whether an inference-component endpoint meets the 99.95 % availability guidance (I9):
/// more than two copies and a minimum of at least two instances.
pub fn meets_ic_availability_guidance(copies: u32, min_instances: u32) -> bool {
    copies > HA_MORE_THAN_COPIES && min_instances >= HA_MIN_INSTANCES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn i1_safety_factor_starts_at_one_half() {
        assert_eq!(SAFETY_FACTOR_START, 0.5);
        // Fed to the seed formula it gives I2's target.
        assert_eq!(super::super::sizing::target_value(100.0, SAFETY_FACTOR_START), 3000.0);
    }

    #[test]
    fn i6_utilisation_guidance() {
        assert_eq!(
            (UTILISATION_AVAILABILITY, UTILISATION_BALANCED, UTILISATION_COST),
            (0.40, 0.50, 0.70)
        );
        assert_eq!(NOTEBOOK_BAND_PERCENT, (45.0, 55.0));
        assert_eq!(ASYNC_SATURATION_PERCENT, (60.0, 70.0));
        assert_eq!(TARGET_CPU_UTILIZATION_PER_CORE_DEFAULT, 50);
        let cases = [
            (0.30, Lean::Availability),
            (0.40, Lean::Availability),
            (0.44, Lean::Availability),
            (0.45, Lean::Balanced),
            (0.50, Lean::Balanced),
            (0.60, Lean::Balanced),
            (0.61, Lean::Cost),
            (0.70, Lean::Cost),
            (0.90, Lean::Cost),
        ];
        for (u, want) in cases {
            assert_eq!(lean(u), want, "{u}");
        }
    }

    #[test]
    fn i7_benchmark_stops_at_one_percent() {
        assert_eq!(BENCHMARK_FAILURE_SHARE, 0.01);
    }

    #[test]
    fn i9_ic_availability_rule() {
        assert!(meets_ic_availability_guidance(3, 2));
        assert!(
            !meets_ic_availability_guidance(2, 2),
            "two copies are not more than two"
        );
        assert!(
            !meets_ic_availability_guidance(3, 1),
            "one instance is one failure away"
        );
        assert_eq!(HA_AVAILABILITY_PERCENT, 99.95);
    }
}
