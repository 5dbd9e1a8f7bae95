//! Time-weighted integrals of step functions (busy slots, in-service instances, billed
//! instances), kept exactly in integer value-microseconds.

use crate::engine::SimTime;

/// A piecewise-constant quantity and its running integral over time.
#[derive(Clone, Copy, Debug, Default)]
pub struct Gauge {
    value: u64,
    last: SimTime,
    /// Integral of `value` dt since time zero [value x µs].
    area: u128,
}

impl Gauge {
    pub fn value(&self) -> u64 {
        self.value
    }

    /// When the value last changed.
    pub fn last_change(&self) -> SimTime {
        self.last
    }

    /// Changes the value at `now`, first accounting for the time at the old value.
    #[inline]
    pub fn set(&mut self, now: SimTime, value: u64) {
        self.area += u128::from(self.value) * u128::from(now.0 - self.last.0);
        self.last = now;
        self.value = value;
    }

    #[inline]
    pub fn add(&mut self, now: SimTime, delta: i64) {
        let v = (self.value as i64 + delta).max(0) as u64;
        self.set(now, v);
    }

    /// The integral up to `now` [value x µs].
    pub fn area_at(&self, now: SimTime) -> u128 {
        self.area + u128::from(self.value) * u128::from(now.0.saturating_sub(self.last.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrates_steps() {
        let mut g = Gauge::default();
        g.set(SimTime(10), 2);
        g.add(SimTime(20), 1);
        assert_eq!(g.area_at(SimTime(30)), 2 * 10 + 3 * 10);
        assert_eq!(g.value(), 3);
    }
}
