//! Request counters: how many requests reached a series and how each one ended, per tick, per
//! period or per datapoint.

use super::MetricName;
use std::ops::{Add, AddAssign};

/// Requests counted by outcome. Every field is a plain count, so counters of ticks, series or
/// variants add field by field into the counters of their union.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// `Invocations`: requests that reached the variant and were handled by it.
    pub invocations: u64,
    /// `Invocation4XXErrors`: requests answered 4XX.
    pub errors_4xx: u64,
    /// `Invocation5XXErrors`: requests answered 5XX.
    pub errors_5xx: u64,
    /// Requests that ended 2XX.
    pub completed: u64,
    /// `ExpiredRequests`: requests that left the queue unserved.
    pub timed_out: u64,
    /// Requests refused because the backlog was full.
    pub rejected_backlog_full: u64,
    /// `NoCapacityInvocationFailures`: requests that arrived with no instance in service.
    pub rejected_no_capacity: u64,
}

impl Counters {
    /// The counter behind metric `name`, or `None` when `name` is not a request count.
    pub fn get(&self, name: MetricName) -> Option<u64> {
        match name {
            MetricName::Invocations => Some(self.invocations),
            MetricName::Invocation4XXErrors => Some(self.errors_4xx),
            MetricName::Invocation5XXErrors => Some(self.errors_5xx),
            MetricName::ExpiredRequests => Some(self.timed_out),
            MetricName::NoCapacityInvocationFailures => Some(self.rejected_no_capacity),
            _ => None,
        }
    }

    /// How many requests emitted a sample (1 or 0) of metric `name`: every invocation for the
    /// error metrics, whose `Average` is the error fraction; for the other counts only the
    /// requests counted, each emitting 1.
    pub fn samples(&self, name: MetricName) -> Option<u64> {
        match name {
            MetricName::Invocation4XXErrors | MetricName::Invocation5XXErrors => Some(self.invocations),
            _ => self.get(name),
        }
    }
}

impl AddAssign for Counters {
    #[inline]
    fn add_assign(&mut self, other: Counters) {
        self.invocations += other.invocations;
        self.errors_4xx += other.errors_4xx;
        self.errors_5xx += other.errors_5xx;
        self.completed += other.completed;
        self.timed_out += other.timed_out;
        self.rejected_backlog_full += other.rejected_backlog_full;
        self.rejected_no_capacity += other.rejected_no_capacity;
    }
}

impl Add for Counters {
    type Output = Counters;

    #[inline]
    fn add(mut self, other: Counters) -> Counters {
        self += other;
        self
    }
}

impl std::iter::Sum for Counters {
    fn sum<I: Iterator<Item = Counters>>(iter: I) -> Counters {
        iter.fold(Counters::default(), Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_field_by_field() {
        let a = Counters {
            invocations: 3,
            errors_4xx: 1,
            completed: 2,
            ..Counters::default()
        };
        let b = Counters {
            invocations: 2,
            errors_5xx: 1,
            timed_out: 4,
            rejected_backlog_full: 5,
            rejected_no_capacity: 6,
            ..Counters::default()
        };
        let sum: Counters = [a, b].into_iter().sum();
        assert_eq!(
            sum,
            Counters {
                invocations: 5,
                errors_4xx: 1,
                errors_5xx: 1,
                completed: 2,
                timed_out: 4,
                rejected_backlog_full: 5,
                rejected_no_capacity: 6,
            }
        );
    }

    #[test]
    fn error_metrics_sample_every_invocation() {
        let c = Counters {
            invocations: 10,
            errors_5xx: 2,
            rejected_no_capacity: 3,
            ..Counters::default()
        };
        assert_eq!(c.get(MetricName::Invocation5XXErrors), Some(2));
        assert_eq!(c.samples(MetricName::Invocation5XXErrors), Some(10));
        assert_eq!(c.samples(MetricName::NoCapacityInvocationFailures), Some(3));
        assert_eq!(c.get(MetricName::ModelLatency), None);
        assert_eq!(c.samples(MetricName::ModelLatency), None);
    }
}
