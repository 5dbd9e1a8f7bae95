//! The concurrency pool of a serverless endpoint (docs/semantics/serverless.md §3): provisioned-concurrency (PC)
//! units that are always warm, on-demand containers up to `MaxConcurrency` that cold-start
//! unless one is idle and still kept alive, and the account's regional concurrency pool.
//!
//! One container serves one request at a time, so a concurrency unit and a container are the
//! same thing here. The pool is the serverless controller's state: it admits requests and
//! tracks provisioned-concurrency changes; the controller turns its answers into decisions
//! and commands for the World.

use crate::engine::{SimDuration, SimTime};
use std::collections::VecDeque;

/// How an arriving request is admitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// A free PC unit takes it: warm, no cold start.
    Provisioned,
    /// An idle on-demand container still within its keep-alive takes it: warm.
    WarmOnDemand,
    /// A new on-demand container is started for it: it waits for the cold start.
    ColdOnDemand,
    /// `MaxConcurrency` executions already run: ThrottlingException.
    ThrottledMaxConcurrency,
    /// The account's regional concurrency is used up: ThrottlingException.
    ThrottledAccount,
}

/// The pool's limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolLimits {
    /// `MaxConcurrency`: most executions at once, PC included.
    pub max_concurrency: u32,
    /// The region's account concurrency, shared by all serverless endpoints.
    pub account_concurrency: u32,
    /// Concurrency the account's other serverless endpoints hold (constant over the run).
    pub other_endpoints: u32,
    /// An on-demand container idle this long is released (scale to zero, docs/semantics/serverless.md §2).
    pub keep_alive: SimDuration,
}

/// The state of one serverless endpoint's concurrency.
#[derive(Clone, Debug)]
pub struct ServerlessPool {
    pub limits: PoolLimits,
    /// PC units provisioned and ready.
    pub pc_allocated: u32,
    /// PC units requested but still being provisioned: `(ready at, units)`, oldest first.
    pub pc_pending: VecDeque<(SimTime, u32)>,
    /// Requests running on PC units (may exceed `pc_allocated` for a while after PC is lowered:
    /// a unit being removed finishes its request first).
    pub pc_busy: u32,
    /// On-demand containers running a request or cold-starting for one.
    pub od_busy: u32,
    /// Times at which idle on-demand containers last finished a request, oldest first.
    idle: VecDeque<SimTime>,
}

impl ServerlessPool {
    /// A pool with `pc` units already provisioned (the endpoint exists at time zero).
    pub fn new(limits: PoolLimits, pc: u32) -> Self {
        ServerlessPool {
            limits,
            pc_allocated: pc,
            pc_pending: VecDeque::new(),
            pc_busy: 0,
            od_busy: 0,
            idle: VecDeque::new(),
        }
    }

    /// Executions in progress (cold starts included): the numerator of
    /// `ServerlessConcurrentExecutionsUtilization`.
    pub fn concurrent(&self) -> u32 {
        self.pc_busy + self.od_busy
    }

    /// PC units requested: ready plus being provisioned.
    pub fn pc_requested(&self) -> u32 {
        self.pc_allocated + self.pc_pending.iter().map(|(_, n)| n).sum::<u32>()
    }

    /// Releases idle containers whose keep-alive ran out by `now`. A container idle since `t`
    /// is gone at `t + keep_alive` exactly.
    pub fn expire_idle(&mut self, now: SimTime) {
        let keep = self.limits.keep_alive;
        while self.idle.front().is_some_and(|t| *t + keep <= now) {
            self.idle.pop_front();
        }
    }

    /// Idle on-demand containers still kept alive at `now`. Read only: expired containers are
    /// dropped by the next admission or release, which expire before they count.
    pub fn warm_idle(&self, now: SimTime) -> u32 {
        let keep = self.limits.keep_alive;
        // Releases push the current time, so `idle` is in time order and the expired
        // containers are a prefix of it.
        let expired = self.idle.partition_point(|t| *t + keep <= now);
        (self.idle.len() - expired) as u32
    }

    /// Account units this endpoint holds: its provisioned PC (reserved whether busy or not,
    /// \[assumption\]), PC executions beyond it, and its on-demand containers, busy or idle.
    fn account_held(&self) -> u32 {
        self.pc_allocated.max(self.pc_busy) + self.od_busy + self.idle.len() as u32
    }

    /// Decides how a request arriving at `now` is served and takes the unit. PC first; then
    /// the most recently used idle container (so older ones can expire); then a new container
    /// if `MaxConcurrency` and the account pool allow; otherwise the request is throttled.
    pub fn admit(&mut self, now: SimTime) -> Admission {
        self.expire_idle(now);
        if self.concurrent() >= self.limits.max_concurrency {
            return Admission::ThrottledMaxConcurrency;
        }
        if self.pc_busy < self.pc_allocated {
            self.pc_busy += 1;
            return Admission::Provisioned;
        }
        if self.idle.pop_back().is_some() {
            self.od_busy += 1;
            return Admission::WarmOnDemand;
        }
        let used = self.account_held() + self.limits.other_endpoints;
        if used >= self.limits.account_concurrency {
            return Admission::ThrottledAccount;
        }
        self.od_busy += 1;
        Admission::ColdOnDemand
    }

    /// A request ends at `now`; `provisioned` says whether it ran on a PC unit. An on-demand
    /// container becomes idle and stays warm for the keep-alive.
    pub fn release(&mut self, now: SimTime, provisioned: bool) {
        if provisioned {
            self.pc_busy = self.pc_busy.saturating_sub(1);
        } else {
            self.od_busy = self.od_busy.saturating_sub(1);
            self.expire_idle(now);
            self.idle.push_back(now);
        }
    }

    /// Sets the requested PC to `desired` at `now`: a raise provisions the extra units, ready
    /// at `now + provisioning`; a cut removes units still being provisioned first (newest
    /// first), then ready ones at once. Returns when new units will be ready, if any.
    pub fn set_pc(&mut self, now: SimTime, desired: u32, provisioning: SimDuration) -> Option<SimTime> {
        let requested = self.pc_requested();
        if desired > requested {
            let at = now + provisioning;
            self.pc_pending.push_back((at, desired - requested));
            return Some(at);
        }
        let mut cut = requested - desired;
        while cut > 0 {
            match self.pc_pending.back_mut() {
                Some((_, n)) if *n > cut => {
                    *n -= cut;
                    cut = 0;
                }
                Some((_, n)) => {
                    cut -= *n;
                    self.pc_pending.pop_back();
                }
                None => {
                    self.pc_allocated -= cut.min(self.pc_allocated);
                    cut = 0;
                }
            }
        }
        None
    }

    /// Moves PC units whose provisioning ended by `now` into service; returns how many.
    pub fn pc_ready(&mut self, now: SimTime) -> u32 {
        let mut n = 0;
        while let Some((at, k)) = self.pc_pending.front().copied() {
            if at > now {
                break;
            }
            self.pc_pending.pop_front();
            self.pc_allocated += k;
            n += k;
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(max: u32, account: u32, other: u32, pc: u32) -> ServerlessPool {
        ServerlessPool::new(
            PoolLimits {
                max_concurrency: max,
                account_concurrency: account,
                other_endpoints: other,
                keep_alive: SimDuration::from_secs(60),
            },
            pc,
        )
    }

    #[test]
    fn pc_first_then_cold_then_throttled_at_max_concurrency() {
        let mut p = pool(3, 1000, 0, 1);
        let t = SimTime::ZERO;
        assert_eq!(p.admit(t), Admission::Provisioned);
        assert_eq!(p.admit(t), Admission::ColdOnDemand);
        assert_eq!(p.admit(t), Admission::ColdOnDemand);
        assert_eq!(p.admit(t), Admission::ThrottledMaxConcurrency);
        assert_eq!(p.concurrent(), 3);
    }

    #[test]
    fn idle_container_is_warm_within_keep_alive_and_gone_at_its_end() {
        let mut p = pool(5, 1000, 0, 0);
        assert_eq!(p.admit(SimTime::ZERO), Admission::ColdOnDemand);
        p.release(SimTime::from_secs(10), false);
        assert_eq!(p.admit(SimTime::from_secs(69)), Admission::WarmOnDemand);
        p.release(SimTime::from_secs(70), false);
        // Idle since 70 s, keep-alive 60 s: expired at 130 s exactly.
        assert_eq!(p.warm_idle(SimTime(130_000_000 - 1)), 1);
        assert_eq!(p.admit(SimTime::from_secs(130)), Admission::ColdOnDemand);
    }

    #[test]
    fn account_pool_counts_other_endpoints_pc_and_idle_containers() {
        // 10 in the account, 7 held elsewhere, 2 PC reserved here: one on-demand unit left.
        let mut p = pool(200, 10, 7, 2);
        let t = SimTime::ZERO;
        assert_eq!(p.admit(t), Admission::Provisioned);
        assert_eq!(p.admit(t), Admission::Provisioned);
        assert_eq!(p.admit(t), Admission::ColdOnDemand);
        assert_eq!(p.admit(t), Admission::ThrottledAccount);
        p.release(SimTime::from_secs(1), false);
        // The idle container still holds its unit and is reused warm.
        assert_eq!(p.admit(SimTime::from_secs(2)), Admission::WarmOnDemand);
    }

    #[test]
    fn pc_changes_provision_late_and_cut_pending_units_first() {
        let mut p = pool(20, 1000, 0, 4);
        let prov = SimDuration::from_secs(60);
        assert_eq!(p.set_pc(SimTime::ZERO, 10, prov), Some(SimTime::from_secs(60)));
        assert_eq!((p.pc_allocated, p.pc_requested()), (4, 10));
        assert_eq!(p.set_pc(SimTime::from_secs(1), 6, prov), None);
        assert_eq!((p.pc_allocated, p.pc_requested()), (4, 6));
        assert_eq!(p.pc_ready(SimTime::from_secs(60)), 2);
        assert_eq!(p.pc_allocated, 6);
        p.set_pc(SimTime::from_secs(61), 3, prov);
        assert_eq!((p.pc_allocated, p.pc_requested()), (3, 3));
    }

    #[test]
    fn busy_pc_units_beyond_a_cut_finish_their_request() {
        let mut p = pool(20, 1000, 0, 2);
        p.admit(SimTime::ZERO);
        p.admit(SimTime::ZERO);
        p.set_pc(SimTime::ZERO, 1, SimDuration::ZERO);
        assert_eq!((p.pc_allocated, p.pc_busy), (1, 2));
        assert_eq!(p.admit(SimTime::ZERO), Admission::ColdOnDemand);
        p.release(SimTime::from_secs(1), true);
        p.release(SimTime::from_secs(1), true);
        assert_eq!(p.admit(SimTime::from_secs(1)), Admission::Provisioned);
    }
}
