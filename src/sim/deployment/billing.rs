//! Billing and statistics of the running deployment: the instance-hours above the variant's
//! size at the call, the peak, the errors meanwhile, and the seed billing rule's figure.

use crate::deployment::{DeploymentPolicy, TrafficRouting};
use crate::engine::{SimDuration, SimTime};

/// The billing integral of a deployment: live instances above the `n` the variant had at the
/// call, over time.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Billing {
    /// Instance-microseconds above `n` so far.
    pub extra_us: u128,
    /// Live instances since `live_since`.
    pub live: u32,
    pub live_since: SimTime,
    /// Most live instances seen.
    pub peak: u32,
    /// Endpoint errors when the deployment started.
    pub errors_at_start: u64,
}

impl Billing {
    pub(super) fn new(live: u32, now: SimTime, errors_at_start: u64) -> Self {
        Billing {
            extra_us: 0,
            live,
            live_since: now,
            peak: live,
            errors_at_start,
        }
    }

    /// The variant has `live` instances from `now` on.
    pub(super) fn update(&mut self, n: u32, live: u32, now: SimTime) {
        self.extra_us += u128::from(self.live.saturating_sub(n)) * u128::from((now - self.live_since).0);
        self.live = live;
        self.live_since = now;
        self.peak = self.peak.max(live);
    }

    pub(super) fn extra_instance_hours(&self) -> f64 {
        self.extra_us as f64 / 3.6e9
    }
}

/// The seed billing rule: both fleets of `n` instances for the whole update when it has several
/// shifting stages or a bake, else one; `None` for rolling updates.
pub(super) fn billing_rule_instance_hours(policy: &DeploymentPolicy, n: u32, took: SimDuration) -> Option<f64> {
    match policy {
        DeploymentPolicy::Rolling(_) => None,
        DeploymentPolicy::BlueGreen(b) => {
            let single = matches!(b.routing, TrafficRouting::AllAtOnce) && b.wait_s == 0;
            let fleets = if single { 1.0 } else { 2.0 };
            Some(fleets * f64::from(n) * took.as_secs_f64() / 3600.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::{BlueGreen, CapacitySize, Rolling};

    fn blue_green(routing: TrafficRouting, wait_s: u64) -> DeploymentPolicy {
        DeploymentPolicy::BlueGreen(BlueGreen {
            routing,
            wait_s,
            final_bake_s: wait_s,
            termination_wait_s: 0,
        })
    }

    #[test]
    fn seed_rule_bills_one_fleet_only_for_an_unbaked_all_at_once_update() {
        let half_hour = SimDuration::from_secs(1800);
        let single = blue_green(TrafficRouting::AllAtOnce, 0);
        assert_eq!(billing_rule_instance_hours(&single, 4, half_hour), Some(2.0));
        let baked = blue_green(TrafficRouting::AllAtOnce, 60);
        assert_eq!(billing_rule_instance_hours(&baked, 4, half_hour), Some(4.0));
        let canary = blue_green(
            TrafficRouting::Canary {
                size: CapacitySize::InstanceCount(1),
            },
            0,
        );
        assert_eq!(billing_rule_instance_hours(&canary, 4, half_hour), Some(4.0));
        let rolling = DeploymentPolicy::Rolling(Rolling {
            batch: CapacitySize::InstanceCount(1),
            wait_s: 0,
            rollback_batch: None,
        });
        assert_eq!(billing_rule_instance_hours(&rolling, 4, half_hour), None);
    }

    #[test]
    fn integrates_instances_above_the_size_at_the_call() {
        let hour = SimDuration::from_secs(3600);
        let mut b = Billing::new(2, SimTime::ZERO, 5);
        b.update(2, 5, SimTime::ZERO + hour);
        assert_eq!(b.extra_instance_hours(), 0.0);
        b.update(2, 3, SimTime::ZERO + hour + hour);
        assert_eq!(b.extra_instance_hours(), 3.0);
        assert_eq!(b.peak, 5);
        assert_eq!(b.errors_at_start, 5);
    }
}
