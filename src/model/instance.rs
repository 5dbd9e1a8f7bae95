//! Instances and their lifecycle, kept in a slab with generation counters.
//!
//! Lifecycle: `Pending -> Provisioning -> Loading -> InService -> Draining -> Terminated`; during
//! a deployment an in-service instance may be switched off to `Standby` (alive, no traffic) and
//! back on.
//! Billing runs from the launch request to termination. A slab slot is reused after termination;
//! its generation is bumped so that an event still addressed to the old occupant (a boot phase
//! ending for an instance already terminated) is recognised as stale on arrival.

use super::fleet::FleetId;
use crate::engine::SimTime;

/// Lifecycle state of an instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstanceState {
    /// Capacity requested, not yet being provisioned.
    Pending,
    /// Hardware being provisioned (launch time).
    Provisioning,
    /// Container starting and model loading.
    Loading,
    /// Serving traffic; the only state counted in per-instance metrics.
    InService,
    /// Deactivated by a deployment: alive and billed, finishing what it holds, taking no new
    /// work, and able to return to service at once (blue/green rollback).
    Standby,
    /// Finishing in-flight work, taking no new work.
    Draining,
    /// Gone; no longer billed.
    Terminated,
}

impl InstanceState {
    pub const ALL: [InstanceState; 7] = [
        InstanceState::Pending,
        InstanceState::Provisioning,
        InstanceState::Loading,
        InstanceState::InService,
        InstanceState::Standby,
        InstanceState::Draining,
        InstanceState::Terminated,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            InstanceState::Pending => "Pending",
            InstanceState::Provisioning => "Provisioning",
            InstanceState::Loading => "Loading",
            InstanceState::InService => "InService",
            InstanceState::Standby => "Standby",
            InstanceState::Draining => "Draining",
            InstanceState::Terminated => "Terminated",
        }
    }

    /// Not yet serving: pending, provisioning or loading.
    pub fn is_booting(self) -> bool {
        matches!(
            self,
            InstanceState::Pending | InstanceState::Provisioning | InstanceState::Loading
        )
    }
}

/// Address of an instance: slab slot plus generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InstanceId {
    pub slot: u32,
    pub gen: u32,
}

/// One ML instance.
#[derive(Clone, Debug)]
pub struct Instance {
    pub id: InstanceId,
    /// Stable, human-facing number (never reused), for activity rows: `i-7`.
    pub serial: u64,
    pub fleet: FleetId,
    pub state: InstanceState,
    /// Requests holding a worker slot.
    pub outstanding: u32,
    pub concurrency: u32,
    pub launched_at: SimTime,
    /// Position in the fleet's routing list while in service.
    pub route_pos: u32,
}

impl Instance {
    pub fn has_free_slot(&self) -> bool {
        self.outstanding < self.concurrency
    }
}

/// Slab of instances with generation counters.
#[derive(Debug, Default)]
pub struct Instances {
    slots: Vec<Instance>,
    free: Vec<u32>,
    next_serial: u64,
}

impl Instances {
    /// Adds an instance in `Pending` and returns its id.
    pub fn launch(&mut self, fleet: FleetId, concurrency: u32, now: SimTime) -> InstanceId {
        let serial = self.next_serial;
        self.next_serial += 1;
        let make = |id| Instance {
            id,
            serial,
            fleet,
            state: InstanceState::Pending,
            outstanding: 0,
            concurrency,
            launched_at: now,
            route_pos: u32::MAX,
        };
        if let Some(slot) = self.free.pop() {
            let gen = self.slots[slot as usize].id.gen.wrapping_add(1);
            let id = InstanceId { slot, gen };
            self.slots[slot as usize] = make(id);
            id
        } else {
            let id = InstanceId {
                slot: self.slots.len() as u32,
                gen: 0,
            };
            self.slots.push(make(id));
            id
        }
    }

    /// The live instance with this id, or `None` if the id is stale.
    #[inline]
    pub fn get(&self, id: InstanceId) -> Option<&Instance> {
        self.slots
            .get(id.slot as usize)
            .filter(|i| i.id.gen == id.gen && i.state != InstanceState::Terminated)
    }

    #[inline]
    pub fn get_mut(&mut self, id: InstanceId) -> Option<&mut Instance> {
        self.slots
            .get_mut(id.slot as usize)
            .filter(|i| i.id.gen == id.gen && i.state != InstanceState::Terminated)
    }

    /// Marks the instance terminated and frees its slot for reuse.
    pub fn terminate(&mut self, id: InstanceId) {
        if let Some(i) = self.get_mut(id) {
            i.state = InstanceState::Terminated;
            self.free.push(id.slot);
        }
    }

    /// Live (not terminated) instances in slot order.
    pub fn live(&self) -> impl Iterator<Item = &Instance> {
        self.slots.iter().filter(|i| i.state != InstanceState::Terminated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_ids_are_recognised_after_reuse() {
        let mut s = Instances::default();
        let a = s.launch(FleetId(0), 4, SimTime::ZERO);
        s.terminate(a);
        assert!(s.get(a).is_none());
        let b = s.launch(FleetId(0), 4, SimTime::ZERO);
        assert_eq!(a.slot, b.slot);
        assert_ne!(a.gen, b.gen);
        assert!(s.get(a).is_none());
        assert!(s.get(b).is_some());
        assert_eq!(s.get(b).unwrap().serial, 1);
    }
}
