//! Shadow tests in the simulation (docs/semantics/rollouts.md §7): while the test runs, a sample of
//! the production variant's requests is copied to the shadow variant. The copies are served and
//! measured like any request of that variant (its per-variant metrics, alarms and autoscaling),
//! but callers never see them: they are outside the endpoint's totals, its latency and its
//! request accounting. At the end the shadow's instances are removed and the endpoint is back
//! to its pre-test state. Its instances are requested when the test starts; copies begin once
//! one of them is in service.

use super::config::ShadowSampling;
use super::world::World;
use crate::model::{ActivityKind, Request, VariantId, NO_USER};
use rand::RngExt;

impl World {
    /// The shadow test starts or ends.
    pub(super) fn on_shadow(&mut self, start: bool) {
        let Some(cfg) = self.config.shadow.clone() else { return };
        let v = cfg.variant;
        let n = self.config.endpoint.variant(v).initial_instance_count;
        if start {
            self.shadow_running = true;
            self.record(
                v,
                ActivityKind::DeploymentStage,
                &cfg.name,
                format!(
                    "shadow test {} Running: {} % of {} copied to {}",
                    cfg.name, cfg.sampling_percentage, self.variants[cfg.source].name, self.variants[v].name
                ),
            );
            if self.variants[v].desired == 0 {
                self.set_desired(v, n, &cfg.name, "shadow test starts");
            }
        } else {
            self.shadow_running = false;
            let copies = self.shadow_copies;
            self.record(
                v,
                ActivityKind::DeploymentStage,
                &cfg.name,
                format!(
                    "shadow test {} Completed after {copies} copies; shadow variant removed",
                    cfg.name
                ),
            );
            self.set_desired(v, 0, &cfg.name, "shadow test ends");
        }
    }

    /// Copies the request that just arrived for variant `v` to the shadow variant if it is
    /// sampled.
    pub(super) fn shadow_copy(&mut self, v: VariantId) {
        let Some(cfg) = self.config.shadow.as_ref() else { return };
        if v != cfg.source {
            return;
        }
        let take = match cfg.sampling {
            ShadowSampling::Deterministic => self.shadow_acc.take(cfg.sampling_percentage),
            ShadowSampling::Bernoulli => self.shadow_rng.random::<f64>() * 100.0 < f64::from(cfg.sampling_percentage),
        };
        if !take {
            return;
        }
        let sv = cfg.variant;
        let n = self.variants[sv].in_service;
        if n == 0 {
            // The shadow is still starting (its instances boot): nothing is copied yet.
            return;
        }
        self.shadow_copies += 1;
        let fid = *self.variants[sv].fleets.last().expect("a variant has a fleet");
        let series = self.fleets[fid].series;
        self.fleets[fid].routed += 1;
        self.metrics.invocation(series, 1.0 / f64::from(n));
        let Some((service, outcome)) = self.draw(sv, fid, series) else {
            return;
        };
        let req = Request {
            arrival: self.now,
            service,
            outcome,
            // A copy is the endpoint's, not a user's: its answer goes nowhere.
            user: NO_USER,
        };
        self.route_or_queue(fid, req, series, true);
    }

    /// Requests waiting in the shadow variant's queue (not the endpoint's backlog).
    pub(super) fn shadow_waiting(&self) -> u64 {
        match &self.config.shadow {
            Some(cfg) => self.variant_backlog(cfg.variant),
            None => 0,
        }
    }
}
