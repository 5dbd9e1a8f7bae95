//! Shadow tests (docs/semantics/rollouts.md §7): the test's schedule and how requests are sampled
//! for the shadow variant. Pure data and arithmetic; the simulation sends the copies.

/// Seven days: the default length of a shadow test \[AWS\].
pub const DEFAULT_DURATION_S: u64 = 7 * 86_400;
/// Thirty days: the longest shadow test \[AWS\].
pub const MAX_DURATION_S: u64 = 30 * 86_400;
/// One hour: the console's shortest shadow test \[AWS\].
pub const MIN_DURATION_S: u64 = 3_600;

/// When the test runs [s since time zero].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShadowWindow {
    pub start_s: u64,
    pub end_s: u64,
    /// The end was moved so the test lasts at most 30 days (docs/semantics/rollouts.md §7.2).
    pub end_moved: bool,
}

/// The test's window: scheduled at `start_s` for `duration_s`; started early at
/// `started_early_s` if given. Starting early keeps the scheduled end unless the test would
/// then exceed 30 days, in which case the end moves to start + 30 days (docs/semantics/rollouts.md §7.2, R15).
pub fn window(start_s: u64, duration_s: u64, started_early_s: Option<u64>) -> ShadowWindow {
    let end = start_s + duration_s;
    let start = started_early_s.map_or(start_s, |e| e.min(start_s));
    if end - start > MAX_DURATION_S {
        ShadowWindow {
            start_s: start,
            end_s: start + MAX_DURATION_S,
            end_moved: true,
        }
    } else {
        ShadowWindow {
            start_s: start,
            end_s: end,
            end_moved: false,
        }
    }
}

/// Deterministic sampling \[assumption, docs/semantics/rollouts.md §7.1\]: a copy each time the running sum of
/// `SamplingPercentage / 100` crosses an integer, kept in integer hundredths so that 50 % of
/// 1000 requests is exactly 500.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Accumulator {
    hundredths: u32,
}

impl Accumulator {
    /// Whether the next production request is copied to the shadow variant.
    pub fn take(&mut self, percentage: u32) -> bool {
        self.hundredths += percentage;
        if self.hundredths >= 100 {
            self.hundredths -= 100;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r15_fifty_percent_of_a_thousand_is_exactly_five_hundred() {
        let mut a = Accumulator::default();
        assert_eq!((0..1000).filter(|_| a.take(50)).count(), 500);
        let mut a = Accumulator::default();
        assert_eq!((0..1000).filter(|_| a.take(33)).count(), 330);
        let mut a = Accumulator::default();
        assert_eq!((0..1000).filter(|_| a.take(100)).count(), 1000);
    }

    #[test]
    fn r15_durations_and_starting_early() {
        assert_eq!(DEFAULT_DURATION_S, 604_800);
        assert_eq!(MAX_DURATION_S, 2_592_000);
        assert_eq!(MIN_DURATION_S, 3_600);
        let day = 86_400;
        // Scheduled day 10 -> day 35 (25 days), started early on day 2: 33 days, so the end
        // moves to day 32.
        let w = window(10 * day, 25 * day, Some(2 * day));
        assert_eq!(
            w,
            ShadowWindow {
                start_s: 2 * day,
                end_s: 32 * day,
                end_moved: true
            }
        );
        // Started early by a little: the scheduled end stays.
        let w = window(10 * day, 7 * day, Some(9 * day));
        assert_eq!((w.start_s, w.end_s, w.end_moved), (9 * day, 17 * day, false));
        assert_eq!(window(0, DEFAULT_DURATION_S, None).end_s, 7 * day);
    }
}
