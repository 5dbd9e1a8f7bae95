//! When each test of a job runs (docs/semantics/load-tests.md §4): tests in request order,
//! at most `MaxParallelOfTests` at once; when one finishes, the next starts if the job has not
//! yet run for `JobDurationInSeconds`. A test not started by then is skipped, not failed, and a
//! test already running is allowed to finish.
//!
//! Tests are independent simulations (each its own endpoint), so their durations are known
//! before the schedule is laid out; the schedule decides only which results the job keeps.

use crate::engine::SimDuration;

/// One test's place on the job's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Ran from `start` to `end` (from the job's start).
    Ran { start: SimDuration, end: SimDuration },
    /// Its turn came at `due`, at or after the job's duration.
    Skipped { due: SimDuration },
}

/// The slot of each test, given each test's duration (endpoint creation plus the load test).
pub fn schedule(durations: &[SimDuration], parallel: usize, job_duration: SimDuration) -> Vec<Slot> {
    let parallel = parallel.max(1);
    // The instant each of the `parallel` lanes frees up.
    let mut lanes = vec![SimDuration::ZERO; parallel.min(durations.len()).max(1)];
    durations
        .iter()
        .map(|&d| {
            // The lane that frees first (the lowest on ties, so the order is fixed).
            let (lane, &free) = lanes
                .iter()
                .enumerate()
                .min_by_key(|&(i, t)| (*t, i))
                .expect("at least one lane");
            if free >= job_duration && free > SimDuration::ZERO {
                return Slot::Skipped { due: free };
            }
            let end = free + d;
            lanes[lane] = end;
            Slot::Ran { start: free, end }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(secs: u64) -> SimDuration {
        SimDuration::from_secs(secs)
    }

    #[test]
    fn l19_three_tests_in_parallel_start_together() {
        let slots = schedule(&[s(3000), s(2000), s(2500)], 3, s(7200));
        for slot in &slots {
            assert!(matches!(slot, Slot::Ran { start, .. } if *start == s(0)), "{slots:?}");
        }
    }

    #[test]
    fn l19_one_at_a_time_the_fourth_is_skipped() {
        let slots = schedule(&[s(3000); 4], 1, s(7200));
        assert_eq!(
            slots,
            vec![
                Slot::Ran {
                    start: s(0),
                    end: s(3000)
                },
                Slot::Ran {
                    start: s(3000),
                    end: s(6000)
                },
                // Starts before 7200 and is allowed to finish at 9000.
                Slot::Ran {
                    start: s(6000),
                    end: s(9000)
                },
                Slot::Skipped { due: s(9000) },
            ]
        );
    }

    #[test]
    fn a_test_due_exactly_at_the_job_duration_is_skipped() {
        let slots = schedule(&[s(100), s(100)], 1, s(100));
        assert_eq!(slots[1], Slot::Skipped { due: s(100) });
        // One microsecond earlier it runs.
        let slots = schedule(&[SimDuration(99_999_999), s(100)], 1, s(100));
        assert!(matches!(slots[1], Slot::Ran { .. }));
    }

    #[test]
    fn a_freed_lane_takes_the_next_test() {
        // Two lanes: tests of 10, 30, 5, 5 s: the third starts at 10 on lane 0, the fourth at 15.
        let slots = schedule(&[s(10), s(30), s(5), s(5)], 2, s(7200));
        assert_eq!(
            slots[2],
            Slot::Ran {
                start: s(10),
                end: s(15)
            }
        );
        assert_eq!(
            slots[3],
            Slot::Ran {
                start: s(15),
                end: s(20)
            }
        );
    }
}
