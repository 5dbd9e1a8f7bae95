//! Instances counted by lifecycle state, as a fleet keeps them and a period reports them.

use crate::model::instance::InstanceState;
use std::ops::{Add, AddAssign};

/// Live instances per lifecycle state; terminated instances are not counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InstanceCounts {
    pub pending: u32,
    pub provisioning: u32,
    pub loading: u32,
    pub in_service: u32,
    pub standby: u32,
    pub draining: u32,
}

impl InstanceCounts {
    /// Instances in state `s` (0 for `Terminated`).
    #[inline]
    pub fn get(&self, s: InstanceState) -> u32 {
        match s {
            InstanceState::Pending => self.pending,
            InstanceState::Provisioning => self.provisioning,
            InstanceState::Loading => self.loading,
            InstanceState::InService => self.in_service,
            InstanceState::Standby => self.standby,
            InstanceState::Draining => self.draining,
            InstanceState::Terminated => 0,
        }
    }

    #[inline]
    fn count_mut(&mut self, s: InstanceState) -> Option<&mut u32> {
        match s {
            InstanceState::Pending => Some(&mut self.pending),
            InstanceState::Provisioning => Some(&mut self.provisioning),
            InstanceState::Loading => Some(&mut self.loading),
            InstanceState::InService => Some(&mut self.in_service),
            InstanceState::Standby => Some(&mut self.standby),
            InstanceState::Draining => Some(&mut self.draining),
            InstanceState::Terminated => None,
        }
    }

    /// One instance entered state `s`.
    #[inline]
    pub fn enter(&mut self, s: InstanceState) {
        if let Some(c) = self.count_mut(s) {
            *c += 1;
        }
    }

    /// One instance left state `s`.
    #[inline]
    pub fn leave(&mut self, s: InstanceState) {
        if let Some(c) = self.count_mut(s) {
            *c -= 1;
        }
    }

    /// Live instances: every state counted, all of them billed.
    pub fn live(&self) -> u32 {
        self.pending + self.provisioning + self.loading + self.in_service + self.standby + self.draining
    }
}

impl AddAssign for InstanceCounts {
    fn add_assign(&mut self, other: InstanceCounts) {
        self.pending += other.pending;
        self.provisioning += other.provisioning;
        self.loading += other.loading;
        self.in_service += other.in_service;
        self.standby += other.standby;
        self.draining += other.draining;
    }
}

impl Add for InstanceCounts {
    type Output = InstanceCounts;

    fn add(mut self, other: InstanceCounts) -> InstanceCounts {
        self += other;
        self
    }
}

impl std::iter::Sum for InstanceCounts {
    fn sum<I: Iterator<Item = InstanceCounts>>(iter: I) -> InstanceCounts {
        iter.fold(InstanceCounts::default(), Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_between_states() {
        let mut c = InstanceCounts::default();
        c.enter(InstanceState::Pending);
        c.enter(InstanceState::Pending);
        c.leave(InstanceState::Pending);
        c.enter(InstanceState::InService);
        c.enter(InstanceState::Terminated);
        assert_eq!((c.get(InstanceState::Pending), c.in_service, c.live()), (1, 1, 2));
        assert_eq!(c.get(InstanceState::Terminated), 0);
        let sum: InstanceCounts = [c, c].into_iter().sum();
        assert_eq!((sum.pending, sum.in_service, sum.live()), (2, 2, 4));
    }
}
