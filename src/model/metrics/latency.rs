//! Latency accumulators: a tick's count, sum, minimum and maximum in integers, and a period's
//! HDR histogram for percentiles.

use super::{Agg, LatencyHistogram, LatencyStats};

/// Latency statistics: count, sum, min and max per sampling tick (aggregatable), and
/// optionally an HDR histogram per metrics period for percentiles. Without a histogram only
/// CloudWatch's own statistics remain (enough for `OverheadLatency`), which saves a record.
#[derive(Debug)]
pub(super) struct LatencyAcc {
    pub(super) hist: Option<LatencyHistogram>,
    tick: IntegerAgg,
}

/// The current tick's count, sum, minimum and maximum, in whole microseconds: integer
/// operations cost less than the float ones of [`Agg`] on the path every request takes. A
/// tick's latencies add up to far less than 2^53 µs (about 285 years), so its sum converts to
/// the same `f64` that adding the samples as floats would give.
#[derive(Clone, Copy, Debug)]
struct IntegerAgg {
    count: u64,
    sum: u64,
    min: u64,
    max: u64,
}

impl Default for IntegerAgg {
    fn default() -> Self {
        IntegerAgg {
            count: 0,
            sum: 0,
            min: u64::MAX,
            max: 0,
        }
    }
}

impl IntegerAgg {
    #[inline(always)]
    fn add(&mut self, us: u64) {
        self.count += 1;
        self.sum = self.sum.saturating_add(us);
        self.min = self.min.min(us);
        self.max = self.max.max(us);
    }

    fn to_agg(self) -> Agg {
        if self.count == 0 {
            return Agg::default();
        }
        Agg::of(self.count, self.sum as f64, self.min as f64, self.max as f64)
    }
}

impl LatencyAcc {
    pub(super) fn new(with_percentiles: bool) -> Self {
        LatencyAcc {
            hist: with_percentiles.then(LatencyHistogram::new),
            tick: IntegerAgg::default(),
        }
    }

    #[inline(always)]
    pub(super) fn record(&mut self, us: u64) {
        if let Some(h) = &mut self.hist {
            h.record(us.max(1));
        }
        self.tick.add(us);
    }

    /// Ends a sampling tick: returns its statistics and starts a new one.
    pub(super) fn close_tick(&mut self) -> Agg {
        std::mem::take(&mut self.tick).to_agg()
    }

    /// Ends a metrics period whose ticks folded into `period`; the histogram is first added
    /// into `total`, if given.
    pub(super) fn close_period(
        &mut self,
        period: &Agg,
        percentiles: &[f64],
        total: Option<&mut LatencyHistogram>,
    ) -> LatencyStats {
        if let (Some(t), Some(h)) = (total, &self.hist) {
            t.add(h);
        }
        let stats = LatencyStats {
            sample_count: period.n,
            sum: period.sum,
            min: period.min(),
            max: period.max(),
            percentiles: match &self.hist {
                Some(h) if !h.is_empty() => percentiles
                    .iter()
                    .map(|p| (*p, h.value_at_quantile(p / 100.0) as f64))
                    .collect(),
                _ => Vec::new(),
            },
        };
        if let Some(h) = &mut self.hist {
            if !h.is_empty() {
                h.reset();
            }
        }
        stats
    }
}
