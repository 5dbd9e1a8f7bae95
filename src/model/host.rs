//! Hosts: the physical instances of an endpoint that hosts inference components, and the
//! resource arithmetic that decides where a model copy fits.
//!
//! A host is billed from its launch request to its termination and counts toward the account
//! quota; it serves nothing itself. Copies of inference components are placed on hosts by
//! resource fit. Placement rule (documented contract): a copy goes to the live host with the
//! most free room that still fits it, most free accelerators first, then most free CPU, then
//! most free memory, the oldest host among equals. Spreading copies over hosts this way keeps
//! one host's loss from taking every copy of a component, and it is deterministic.
//!
//! Resources are integers: CPU cores and accelerator devices in thousandths (AWS takes
//! fractional cores, e.g. 0.25), memory in MB, so fits never depend on float rounding.

use super::instance::InstanceState;
use crate::engine::SimTime;

/// Resources of a host, or the requirements of one copy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Resources {
    /// Accelerator devices, in thousandths.
    pub accelerator_milli: u64,
    /// CPU cores, in thousandths.
    pub cpu_milli: u64,
    /// Memory, in MB.
    pub memory_mb: u64,
}

impl Resources {
    /// Whether `need` fits into these (free) resources.
    pub fn fits(&self, need: &Resources) -> bool {
        need.accelerator_milli <= self.accelerator_milli
            && need.cpu_milli <= self.cpu_milli
            && need.memory_mb <= self.memory_mb
    }

    pub fn minus(&self, o: &Resources) -> Resources {
        Resources {
            accelerator_milli: self.accelerator_milli.saturating_sub(o.accelerator_milli),
            cpu_milli: self.cpu_milli.saturating_sub(o.cpu_milli),
            memory_mb: self.memory_mb.saturating_sub(o.memory_mb),
        }
    }

    pub fn plus(&self, o: &Resources) -> Resources {
        Resources {
            accelerator_milli: self.accelerator_milli + o.accelerator_milli,
            cpu_milli: self.cpu_milli + o.cpu_milli,
            memory_mb: self.memory_mb + o.memory_mb,
        }
    }

    /// How many copies needing `need` fit into `self` (`u32::MAX` when `need` is all zero).
    pub fn copies_of(&self, need: &Resources) -> u32 {
        let per = |have: u64, want: u64| have.checked_div(want).unwrap_or(u64::MAX);
        per(self.accelerator_milli, need.accelerator_milli)
            .min(per(self.cpu_milli, need.cpu_milli))
            .min(per(self.memory_mb, need.memory_mb))
            .min(u64::from(u32::MAX)) as u32
    }
}

/// Address of a host: slab slot plus generation (stale events are recognised by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HostId {
    pub slot: u32,
    pub gen: u32,
}

/// One physical instance of an inference-component endpoint.
#[derive(Clone, Debug)]
pub struct Host {
    pub id: HostId,
    /// Stable, human-facing number (never reused), for activity rows: `i-3`.
    pub serial: u64,
    /// `Pending`, `Provisioning`, `Loading` (instance set-up), `InService` or `Terminated`.
    pub state: InstanceState,
    /// Resources not taken by copies placed here.
    pub free: Resources,
    /// Copies placed here, whatever their state (a draining copy still holds its room).
    pub copies: u32,
    pub launched_at: SimTime,
}

/// Slab of hosts with generation counters.
#[derive(Debug, Default)]
pub struct Hosts {
    slots: Vec<Host>,
    free_slots: Vec<u32>,
    next_serial: u64,
}

impl Hosts {
    /// Adds a host in `Pending` with `capacity` free and returns its id.
    pub fn launch(&mut self, capacity: Resources, now: SimTime) -> HostId {
        let serial = self.next_serial;
        self.next_serial += 1;
        let make = |id| Host {
            id,
            serial,
            state: InstanceState::Pending,
            free: capacity,
            copies: 0,
            launched_at: now,
        };
        if let Some(slot) = self.free_slots.pop() {
            let gen = self.slots[slot as usize].id.gen.wrapping_add(1);
            let id = HostId { slot, gen };
            self.slots[slot as usize] = make(id);
            id
        } else {
            let id = HostId {
                slot: self.slots.len() as u32,
                gen: 0,
            };
            self.slots.push(make(id));
            id
        }
    }

    /// The live host with this id, or `None` if the id is stale.
    pub fn get(&self, id: HostId) -> Option<&Host> {
        self.slots
            .get(id.slot as usize)
            .filter(|h| h.id.gen == id.gen && h.state != InstanceState::Terminated)
    }

    pub fn get_mut(&mut self, id: HostId) -> Option<&mut Host> {
        self.slots
            .get_mut(id.slot as usize)
            .filter(|h| h.id.gen == id.gen && h.state != InstanceState::Terminated)
    }

    /// Marks the host terminated and frees its slot for reuse.
    pub fn terminate(&mut self, id: HostId) {
        if let Some(h) = self.get_mut(id) {
            h.state = InstanceState::Terminated;
            self.free_slots.push(id.slot);
        }
    }

    /// Live hosts in slot order.
    pub fn live(&self) -> impl Iterator<Item = &Host> {
        self.slots.iter().filter(|h| h.state != InstanceState::Terminated)
    }

    /// Live hosts in state `s`.
    pub fn count(&self, s: InstanceState) -> u32 {
        self.live().filter(|h| h.state == s).count() as u32
    }

    pub fn live_count(&self) -> u32 {
        self.live().count() as u32
    }

    /// Where a copy needing `need` goes under the placement rule (module docs), or `None`.
    pub fn place(&self, need: &Resources) -> Option<HostId> {
        self.live()
            .filter(|h| h.free.fits(need))
            // Most free room first; among equals the oldest (lowest serial) host.
            .max_by(|a, b| a.free.cmp(&b.free).then(b.serial.cmp(&a.serial)))
            .map(|h| h.id)
    }
}

/// How many fresh hosts of `capacity` the copies `needs` take when packed first fit in the
/// given order (the number of hosts managed instance scaling asks for).
pub fn hosts_needed(capacity: &Resources, needs: &[Resources]) -> u32 {
    let mut open: Vec<Resources> = Vec::new();
    for n in needs {
        if !capacity.fits(n) {
            continue;
        }
        match open.iter_mut().find(|r| r.fits(n)) {
            Some(r) => *r = r.minus(n),
            None => open.push(capacity.minus(n)),
        }
    }
    open.len() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(cpu: u64, mem: u64, acc: u64) -> Resources {
        Resources {
            accelerator_milli: acc * 1000,
            cpu_milli: cpu * 1000,
            memory_mb: mem,
        }
    }

    #[test]
    fn fit_and_count() {
        let host = r(4, 8192, 0);
        assert!(host.fits(&r(4, 8192, 0)));
        assert!(!host.fits(&r(1, 1024, 1)));
        assert_eq!(host.copies_of(&r(1, 1024, 0)), 4);
        assert_eq!(host.copies_of(&r(1, 3000, 0)), 2);
        assert_eq!(r(96, 1_179_648, 8).copies_of(&r(2, 8192, 1)), 8);
    }

    #[test]
    fn placement_prefers_most_free_room_then_oldest() {
        let mut hosts = Hosts::default();
        let a = hosts.launch(r(4, 8192, 0), SimTime::ZERO);
        let b = hosts.launch(r(4, 8192, 0), SimTime::ZERO);
        // Equal room: the oldest.
        assert_eq!(hosts.place(&r(1, 1024, 0)), Some(a));
        let h = hosts.get_mut(a).unwrap();
        h.free = h.free.minus(&r(1, 1024, 0));
        // `b` now has more free room.
        assert_eq!(hosts.place(&r(1, 1024, 0)), Some(b));
        assert_eq!(hosts.place(&r(5, 1024, 0)), None);
        hosts.terminate(b);
        assert!(hosts.get(b).is_none());
        let c = hosts.launch(r(4, 8192, 0), SimTime::ZERO);
        assert_eq!(c.slot, b.slot);
        assert_ne!(c.gen, b.gen);
        assert_eq!(hosts.get(c).unwrap().serial, 2);
    }

    #[test]
    fn first_fit_host_count() {
        let cap = r(4, 8192, 0);
        assert_eq!(hosts_needed(&cap, &[]), 0);
        assert_eq!(hosts_needed(&cap, &[r(2, 1024, 0); 4]), 2);
        assert_eq!(hosts_needed(&cap, &[r(3, 1024, 0), r(2, 1024, 0), r(1, 1024, 0)]), 2);
        // A copy that fits no host asks for none.
        assert_eq!(hosts_needed(&cap, &[r(8, 1024, 0)]), 0);
    }
}
