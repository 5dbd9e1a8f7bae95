//! Capacity-planning formulas AWS publishes (docs/semantics/autoscaling.md §11, worked examples I2-I5): a
//! target tracking `TargetValue` from a measured per-instance maximum and a safety factor, and
//! the notebook's minimum and maximum capacity from a per-instance limit.
//!
//! They are plain arithmetic, kept here so scenarios, sweeps and tests size fleets the same way
//! the AWS material does, in the same order of operations (the notebook computes in f64).

/// `TargetValue = MAX_RPS x SAFETY_FACTOR x 60` \[AWS\]: invocations per instance per minute,
/// from the requests per second one instance sustains (I2: 100 rps at 0.5 -> 3000).
pub fn target_value(max_rps: f64, safety_factor: f64) -> f64 {
    (max_rps * safety_factor) * 60.0
}

/// The same target from a per-minute maximum (`MaximumInvocations` read as per minute, I3):
/// no x60 (648 at 0.5 -> 324).
pub fn target_value_per_minute(max_per_minute: f64, safety_factor: f64) -> f64 {
    max_per_minute * safety_factor
}

/// Virtual users a closed-loop load test needs to drive `tps` requests per second when one
/// user's cycle (send, wait for the answer, send again) takes `cycle_s` seconds: Little's law,
/// users = throughput x cycle time (docs/semantics/autoscaling.md I8, docs/semantics/instances.md I7: 500 TPS from 15 users
/// is a 30 ms cycle, from 20 users a 40 ms one).
pub fn closed_loop_users(tps: f64, cycle_s: f64) -> f64 {
    tps * cycle_s
}

/// What the capacity-planning notebook derives from one instance's limit (docs/semantics/autoscaling.md §11.3 step 4).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NotebookSizing {
    /// `upper_limit / 60`: requests per second one instance serves within the band.
    pub tps_single_instance: f64,
    /// `ceil((max_tps / tps_single_instance) * growth_factor)`.
    pub max_capacity: u32,
    /// `ceil(min_tps / tps_single_instance)`.
    pub min_capacity: u32,
    /// `upper_limit`: the round-1 `TargetValue` [invocations per instance per minute].
    pub invocations_per_instance: f64,
    /// `invocations_per_instance x 1.3`: the round-2 target.
    pub round2_target: f64,
}

/// The notebook's sizing (docs/semantics/autoscaling.md §11.3) for a per-instance `upper_limit` in invocations per minute.
/// The notebook uses `max_tps` 500, `min_tps` 70 and `growth_factor` 1.2 (I4).
pub fn notebook_sizing(upper_limit: f64, max_tps: f64, min_tps: f64, growth_factor: f64) -> NotebookSizing {
    let tps = upper_limit / 60.0;
    let ceil_u32 = |x: f64| x.ceil().clamp(0.0, f64::from(u32::MAX)) as u32;
    NotebookSizing {
        tps_single_instance: tps,
        max_capacity: ceil_u32((max_tps / tps) * growth_factor),
        min_capacity: ceil_u32(min_tps / tps),
        invocations_per_instance: upper_limit,
        round2_target: upper_limit * 1.3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn i2_i3_target_values() {
        assert_eq!(target_value(100.0, 0.5), 3000.0);
        assert_eq!(target_value_per_minute(648.0, 0.5), 324.0);
        // I3 read per second: 10.8 rps at 0.5 gives the same 324 (to rounding).
        assert!((target_value(10.8, 0.5) - 324.0).abs() < 1e-9);
    }

    #[test]
    fn i4_i5_notebook_table() {
        // (upper_limit, tps, max_capacity, min_capacity, round-2 target)
        let rows = [
            (3000.0, 50.0, 12, 2, 3900.0),
            (2400.0, 40.0, 15, 2, 3120.0),
            (1800.0, 30.0, 20, 3, 2340.0),
            (1200.0, 20.0, 30, 4, 1560.0),
            (6000.0, 100.0, 6, 1, 7800.0),
            (648.0, 10.8, 56, 7, 842.4),
        ];
        for (upper, tps, max, min, round2) in rows {
            let s = notebook_sizing(upper, 500.0, 70.0, 1.2);
            assert!((s.tps_single_instance - tps).abs() < 1e-9, "{upper}");
            assert_eq!((s.max_capacity, s.min_capacity), (max, min), "{upper}");
            assert_eq!(s.invocations_per_instance, upper);
            assert!((s.round2_target - round2).abs() < 1e-9, "{upper}");
        }
        // I4: the evaluation load of 500 TPS is 30000 invocations per minute.
        assert_eq!(500.0 * 60.0, 30000.0);
    }

    #[test]
    fn no_float_anomalies_for_integer_limits() {
        // Example I5 holds for upper_limit 1..=20000 in f64: the notebook order of operations never
        // lands a hair above an integer. Compare with exact rational arithmetic.
        for upper in 1..=20_000u64 {
            let s = notebook_sizing(upper as f64, 500.0, 70.0, 1.2);
            // max = ceil(500 * 60 * 1.2 / upper) = ceil(36000 / upper); min = ceil(4200 / upper).
            assert_eq!(u64::from(s.max_capacity), 36_000u64.div_ceil(upper), "{upper}");
            assert_eq!(u64::from(s.min_capacity), 4_200u64.div_ceil(upper), "{upper}");
        }
    }

    #[test]
    fn i8_users_for_500_tps() {
        // 30000 invocations per minute = 500 TPS; 15 to 20 users mean cycles of 30 to 40 ms.
        assert_eq!(30000.0 / 60.0, 500.0);
        for (cycle_s, users) in [(0.030, 15.0), (0.040, 20.0)] {
            assert!((closed_loop_users(500.0, cycle_s) - users).abs() < 1e-9, "{cycle_s}");
        }
    }
}
