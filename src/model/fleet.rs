//! A fleet: the instances of one variant that run one model version, with their routing list
//! and backlog.
//!
//! A variant normally has one fleet; during a blue/green deployment it has two (blue and green)
//! and traffic is split between them.

use super::backlog::Backlog;
use super::instance::{InstanceId, InstanceState, Instances};
use super::metrics::{InstanceCounts, Series};
use super::variant::VariantId;
use super::version::ModelVersion;
use crate::engine::SimRng;
use rand::RngExt;

/// Index of a fleet in the world's fleet list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FleetId(pub u16);

super::index::u16_index!(FleetId, "fleet");

/// How a request picks an instance among the in-service instances of its fleet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Routing {
    /// Uniformly at random among instances with a free slot.
    Random,
    /// The instance with the fewest outstanding requests; ties go to the first one found from a
    /// rotating start position, so equal instances share load evenly and deterministically.
    LeastOutstandingRequests,
}

/// The instances of one variant running one model version.
#[derive(Debug)]
pub struct Fleet {
    pub id: FleetId,
    pub variant: VariantId,
    pub version: ModelVersion,
    /// In-service instances, the only ones that take new work.
    pub routable: Vec<InstanceId>,
    /// `(outstanding, concurrency)` of `routable[i]`, kept dense so routing scans one small array.
    /// Changed only through [`Fleet::take_slot`], [`Fleet::release_slot`] and the routable list
    /// methods, which keep the free-slot index below in step.
    load: Vec<(u32, u32)>,
    /// Free worker slots over `routable`.
    pub free_slots: u32,
    /// All worker slots over `routable`.
    pub routable_slots: u32,
    /// Outstanding requests over all live instances of the fleet (in service or draining).
    pub busy: u32,
    /// Live instances per lifecycle state.
    pub counts: InstanceCounts,
    pub backlog: Backlog,
    /// Share of the variant's traffic sent to this fleet.
    pub traffic_weight: f64,
    /// The metric series its requests are recorded in (variant, and configuration while the
    /// variant has deployments).
    pub series: Series,
    /// New instances wait in `Standby` once booted instead of taking traffic (a deployment
    /// activates them when its plan says so).
    pub hold: bool,
    /// Requests routed to this fleet so far.
    pub routed: u64,
    cursor: usize,
    /// Free-slot index for least-outstanding routing: bit `i` of `free_at[o]` is set when
    /// `routable[i]` has `o` outstanding requests and a free slot; bit `o` of `levels` is set
    /// when `free_at[o]` is not empty. Routing then finds the least loaded instance nearest the
    /// cursor with a few bit operations instead of a scan. Kept only while `indexed`: at most
    /// [`INDEX_MAX`] routable instances, each with at most [`INDEX_MAX`] slots; larger fleets
    /// scan `load`, which gives the same answer.
    free_at: [u64; INDEX_MAX],
    levels: u64,
    indexed: bool,
}

/// The most instances, and slots per instance, the free-slot index covers (one bit each).
const INDEX_MAX: usize = 64;

impl Fleet {
    pub fn new(id: FleetId, variant: VariantId, version: ModelVersion) -> Self {
        Fleet {
            id,
            variant,
            version,
            routable: Vec::new(),
            load: Vec::new(),
            free_slots: 0,
            routable_slots: 0,
            busy: 0,
            counts: InstanceCounts::default(),
            backlog: Backlog::default(),
            traffic_weight: 1.0,
            series: Series::variant(variant),
            hold: false,
            routed: 0,
            cursor: 0,
            free_at: [0; INDEX_MAX],
            levels: 0,
            indexed: true,
        }
    }

    pub fn count(&self, s: InstanceState) -> u32 {
        self.counts.get(s)
    }

    /// Requests holding a slot on in-service instances (draining ones excluded).
    pub fn busy_in_service(&self) -> u32 {
        self.routable_slots - self.free_slots
    }

    pub fn in_service(&self) -> u32 {
        self.count(InstanceState::InService)
    }

    /// Instances billed now: every live state.
    pub fn live(&self) -> u32 {
        self.counts.live()
    }

    /// Records a state change in the per-state counts.
    pub fn moved(&mut self, from: Option<InstanceState>, to: InstanceState) {
        if let Some(f) = from {
            self.counts.leave(f);
        }
        self.counts.enter(to);
    }

    /// Adds an in-service instance to the routing list.
    pub fn add_routable(&mut self, instances: &mut Instances, id: InstanceId) {
        let inst = instances.get_mut(id).expect("routable instance is live");
        inst.route_pos = self.routable.len() as u32;
        self.free_slots += inst.concurrency - inst.outstanding.min(inst.concurrency);
        self.routable_slots += inst.concurrency;
        self.routable.push(id);
        self.load.push((inst.outstanding, inst.concurrency));
        self.rebuild_index();
    }

    /// Removes an instance from the routing list (it starts draining).
    pub fn remove_routable(&mut self, instances: &mut Instances, id: InstanceId) {
        let (pos, free) = {
            let inst = instances.get_mut(id).expect("routable instance is live");
            let pos = inst.route_pos as usize;
            inst.route_pos = u32::MAX;
            self.routable_slots -= inst.concurrency;
            (pos, inst.concurrency - inst.outstanding.min(inst.concurrency))
        };
        self.free_slots -= free;
        self.routable.swap_remove(pos);
        self.load.swap_remove(pos);
        if let Some(&moved) = self.routable.get(pos) {
            instances.get_mut(moved).expect("routable instance is live").route_pos = pos as u32;
        }
        self.rebuild_index();
    }

    /// A request took a slot on `routable[pos]` (which has a free one).
    #[inline(always)]
    pub fn take_slot(&mut self, pos: usize) {
        let slot = &mut self.load[pos];
        let (o, c) = *slot;
        debug_assert!(o < c, "take_slot on a full instance");
        slot.0 = o + 1;
        self.free_slots -= 1;
        if self.indexed {
            // It had a free slot, so it is indexed at `o`; it stays indexed if one is left.
            self.unmark(pos, o);
            if o + 1 < c {
                self.mark(pos, o + 1);
            }
        }
    }

    /// A request released its slot on `routable[pos]`.
    #[inline(always)]
    pub fn release_slot(&mut self, pos: usize) {
        let slot = &mut self.load[pos];
        let (o, c) = *slot;
        slot.0 = o - 1;
        self.free_slots += 1;
        if self.indexed {
            // Indexed at `o` only if it had a free slot; it has one now, at `o - 1`.
            if o < c {
                self.unmark(pos, o);
            }
            self.mark(pos, o - 1);
        }
    }

    /// Enters `routable[pos]`, now at `o` busy slots with one free, in the free-slot index
    /// (which must be kept: `indexed`, so `pos` and `o` are below [`INDEX_MAX`]).
    #[inline(always)]
    fn mark(&mut self, pos: usize, o: u32) {
        // The mask restates `o < INDEX_MAX`, which lets the compiler drop the bounds check.
        self.free_at[o as usize & (INDEX_MAX - 1)] |= 1 << pos;
        self.levels |= 1 << o;
    }

    /// Takes `routable[pos]`, indexed at `o` busy slots, out of the free-slot index.
    #[inline(always)]
    fn unmark(&mut self, pos: usize, o: u32) {
        let m = &mut self.free_at[o as usize & (INDEX_MAX - 1)];
        *m &= !(1 << pos);
        if *m == 0 {
            self.levels &= !(1 << o);
        }
    }

    /// Rebuilds the free-slot index from `load` after the routable list changed (rare: an
    /// instance enters or leaves service).
    fn rebuild_index(&mut self) {
        self.free_at = [0; INDEX_MAX];
        self.levels = 0;
        self.indexed = self.load.len() <= INDEX_MAX && self.load.iter().all(|&(_, c)| c as usize <= INDEX_MAX);
        if self.indexed {
            for pos in 0..self.load.len() {
                let (o, c) = self.load[pos];
                if o < c {
                    self.mark(pos, o);
                }
            }
        }
    }

    /// Position in `routable` of the instance with the fewest outstanding requests among those
    /// with a free slot; ties go to the first one at or after `start`, wrapping around. Always
    /// inlined: `route` has a copy per path a request comes in by (open-loop, users).
    #[inline(always)]
    fn least_outstanding(&self, start: usize) -> Option<usize> {
        if !self.indexed {
            return self.least_outstanding_scan(start);
        }
        if self.levels == 0 {
            return None;
        }
        let m = self.free_at[self.levels.trailing_zeros() as usize & (INDEX_MAX - 1)];
        // `start < len <= 64`, so the shift is in range.
        let ahead = m & (u64::MAX << start);
        Some(if ahead != 0 {
            ahead.trailing_zeros()
        } else {
            m.trailing_zeros()
        } as usize)
    }

    /// [`Fleet::least_outstanding`] by a scan of `load`: the definition, used for fleets too
    /// large for the index.
    fn least_outstanding_scan(&self, start: usize) -> Option<usize> {
        let n = self.load.len();
        let mut i = start;
        let mut best: Option<(u32, usize)> = None;
        for _ in 0..n {
            let (o, c) = self.load[i];
            let pos = i;
            i += 1;
            if i == n {
                i = 0;
            }
            if o < c && best.is_none_or(|(b, _)| o < b) {
                best = Some((o, pos));
                if o == 0 {
                    break;
                }
            }
        }
        best.map(|(_, pos)| pos)
    }

    /// Picks an in-service instance with a free slot, or `None` when every slot is busy.
    #[inline(always)]
    pub fn route(&mut self, routing: Routing, instances: &Instances, rng: &mut SimRng) -> Option<InstanceId> {
        if self.free_slots == 0 {
            return None;
        }
        let n = self.routable.len();
        match routing {
            Routing::LeastOutstandingRequests => {
                // Rotate the start without `%` (an integer division per request is measurable).
                self.cursor += 1;
                if self.cursor >= n {
                    self.cursor = 0;
                }
                self.least_outstanding(self.cursor).map(|pos| self.routable[pos])
            }
            Routing::Random => {
                let mut free_instances = 0usize;
                for id in &self.routable {
                    if instances.get(*id).is_some_and(|i| i.has_free_slot()) {
                        free_instances += 1;
                    }
                }
                let mut k = rng.random_range(0..free_instances);
                for id in &self.routable {
                    if instances.get(*id).is_some_and(|i| i.has_free_slot()) {
                        if k == 0 {
                            return Some(*id);
                        }
                        k -= 1;
                    }
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{RngStreams, SimDuration, SimTime};
    use crate::model::DurationDist;
    use proptest::prelude::*;

    fn fleet() -> Fleet {
        let version = ModelVersion {
            label: "v1".into(),
            service_time: DurationDist::Constant(SimDuration::from_millis(1)),
            error_rate: 0.0,
            client_error_rate: 0.0,
            overhead: SimDuration::ZERO,
            load_slowdown: 0.0,
        };
        Fleet::new(FleetId(0), VariantId(0), version)
    }

    /// What a fleet's routing state must look like: the index agrees with a scan of `load`
    /// from every start position, and the free-slot count matches `load`.
    fn check(f: &Fleet) -> Result<(), TestCaseError> {
        for start in 0..f.load.len() {
            prop_assert_eq!(
                f.least_outstanding(start),
                f.least_outstanding_scan(start),
                "start {}",
                start
            );
        }
        let free: u32 = f.load.iter().map(|&(o, c)| c.saturating_sub(o)).sum();
        prop_assert_eq!(f.free_slots, free);
        Ok(())
    }

    proptest! {
        /// Instances entering and leaving service and slots taken and released in any order:
        /// routing through the index always picks what the scan picks. Fleets grow past 64
        /// instances and use up to 70 slots, so the scan fallback and the switch between the
        /// two are exercised too.
        #[test]
        fn index_routes_like_the_scan(ops in proptest::collection::vec((0u8..4, 0usize..1000, 1u32..71), 1..600)) {
            let mut f = fleet();
            let mut instances = Instances::default();
            for (op, k, conc) in ops {
                match op {
                    // An instance enters service (at most 80 of them, mostly 4 slots).
                    0 if f.routable.len() < 80 => {
                        let c = if conc > 60 { conc } else { 1 + conc % 4 };
                        let id = instances.launch(FleetId(0), c, SimTime::ZERO);
                        f.add_routable(&mut instances, id);
                    }
                    1 if !f.routable.is_empty() && k % 4 == 0 => {
                        let id = f.routable[k % f.routable.len()];
                        f.remove_routable(&mut instances, id);
                    }
                    // A request starts where routing sends it.
                    2 => {
                        let mut rng = RngStreams::new(1).stream("routing");
                        if let Some(id) = f.route(Routing::LeastOutstandingRequests, &instances, &mut rng) {
                            let inst = instances.get_mut(id).expect("routed instance is live");
                            prop_assert!(inst.outstanding < inst.concurrency);
                            inst.outstanding += 1;
                            f.take_slot(inst.route_pos as usize);
                        } else {
                            prop_assert!(f.load.iter().all(|&(o, c)| o >= c));
                        }
                    }
                    // A request ends on some busy instance.
                    _ if !f.routable.is_empty() => {
                        let pos = k % f.routable.len();
                        if f.load[pos].0 > 0 {
                            instances.get_mut(f.routable[pos]).expect("live").outstanding -= 1;
                            f.release_slot(pos);
                        }
                    }
                    _ => {}
                }
                check(&f)?;
            }
        }
    }

    #[test]
    fn least_outstanding_prefers_the_least_loaded_then_the_cursor_order() {
        let mut f = fleet();
        let mut instances = Instances::default();
        for _ in 0..4 {
            let id = instances.launch(FleetId(0), 2, SimTime::ZERO);
            f.add_routable(&mut instances, id);
        }
        // Loads 1, 0, 1, 2 (full).
        for pos in [0, 2, 3, 3] {
            f.take_slot(pos);
        }
        assert_eq!(f.least_outstanding(0), Some(1));
        assert_eq!(f.least_outstanding(2), Some(1));
        f.take_slot(1);
        // Loads 1, 1, 1, 2: the first free instance at or after the start, wrapping.
        assert_eq!(f.least_outstanding(0), Some(0));
        assert_eq!(f.least_outstanding(2), Some(2));
        assert_eq!(f.least_outstanding(3), Some(0));
        for pos in [0, 1, 2] {
            f.take_slot(pos);
        }
        assert_eq!(f.least_outstanding(0), None);
        assert_eq!(f.free_slots, 0);
    }
}
