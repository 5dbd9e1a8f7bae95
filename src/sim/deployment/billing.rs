//! Billing and statistics of the running deployment: the instance-hours above the variant's
//! size at the call, the peak, the requests the new version served and the errors meanwhile.

use super::super::world::World;

impl World {
    /// Endpoint errors so far: 4XX, 5XX, timed out and rejected.
    pub(super) fn error_count(&self) -> u64 {
        let t = &self.metrics.totals;
        t.errors_4xx + t.errors_5xx + t.timed_out + t.rejected_backlog_full + t.rejected_no_capacity
    }

    /// Live instances of variant `v` over its fleets.
    pub(in crate::sim) fn variant_live(&self, v: usize) -> u32 {
        self.variants[v]
            .fleets
            .iter()
            .map(|f| self.fleets[f.0 as usize].live())
            .sum()
    }

    /// Keeps the billing statistics of the running deployment current.
    pub(in crate::sim) fn deployment_billing(&mut self, v: usize) {
        let Some(d) = self.deploy.as_ref() else { return };
        if d.variant != v {
            return;
        }
        let live = self.variant_live(v);
        let now = self.now;
        let d = self.deploy.as_mut().expect("checked");
        d.extra_us += u128::from(d.live.saturating_sub(d.n)) * u128::from((now - d.live_since).0);
        d.live = live;
        d.live_since = now;
        let r = &mut self.deployment_results[d.index];
        r.peak_instances = r.peak_instances.max(live);
    }

    /// Brings the running deployment's statistics up to now (at its end, or when the run ends
    /// first).
    pub(in crate::sim) fn deployment_snapshot(&mut self) {
        let Some(v) = self.deploy.as_ref().map(|d| d.variant) else {
            return;
        };
        self.deployment_billing(v);
        let d = self.deploy.as_ref().expect("checked");
        let served = self.fleets[d.new.0 as usize].routed;
        let errors = self.error_count() - d.errors_at_start;
        let extra = d.extra_us as f64 / 3.6e9;
        let r = &mut self.deployment_results[d.index];
        r.extra_instance_hours = extra;
        r.requests_served_by_new_version = served;
        r.errors_during_deployment = errors;
    }
}
