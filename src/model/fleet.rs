//! A fleet: the instances of one variant that run one model version, with their routing list
//! and backlog.
//!
//! A variant normally has one fleet; during a blue/green deployment it has two (blue and green)
//! and traffic is split between them.

use super::backlog::Backlog;
use super::instance::{InstanceId, InstanceState, Instances};
use super::metrics::Series;
use super::variant::VariantId;
use super::version::ModelVersion;
use crate::engine::SimRng;
use rand::RngExt;

/// Index of a fleet in the world's fleet list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FleetId(pub u16);

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
    pub load: Vec<(u32, u32)>,
    /// Free worker slots over `routable`.
    pub free_slots: u32,
    /// All worker slots over `routable`.
    pub routable_slots: u32,
    /// Outstanding requests over all live instances of the fleet (in service or draining).
    pub busy: u32,
    /// Live instances per lifecycle state (`Terminated` unused).
    pub counts: [u32; 7],
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
}

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
            counts: [0; 7],
            backlog: Backlog::default(),
            traffic_weight: 1.0,
            series: Series::variant(usize::from(variant.0)),
            hold: false,
            routed: 0,
            cursor: 0,
        }
    }

    pub fn count(&self, s: InstanceState) -> u32 {
        self.counts[s.index()]
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
        self.counts[..6].iter().sum()
    }

    /// Records a state change in the per-state counts.
    pub fn moved(&mut self, from: Option<InstanceState>, to: InstanceState) {
        if let Some(f) = from {
            self.counts[f.index()] -= 1;
        }
        if to != InstanceState::Terminated {
            self.counts[to.index()] += 1;
        }
    }

    /// Adds an in-service instance to the routing list.
    pub fn add_routable(&mut self, instances: &mut Instances, id: InstanceId) {
        let inst = instances.get_mut(id).expect("routable instance is live");
        inst.route_pos = self.routable.len() as u32;
        self.free_slots += inst.concurrency - inst.outstanding.min(inst.concurrency);
        self.routable_slots += inst.concurrency;
        self.routable.push(id);
        self.load.push((inst.outstanding, inst.concurrency));
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
    }

    /// Picks an in-service instance with a free slot, or `None` when every slot is busy.
    #[inline]
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
                let mut i = self.cursor;
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
                let _ = instances;
                best.map(|(_, pos)| self.routable[pos])
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
