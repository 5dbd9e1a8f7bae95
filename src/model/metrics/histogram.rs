//! The latency histogram: HdrHistogram's bucket layout for 1 µs to 7 days at 3 significant
//! digits, with a recording path a request can afford.
//!
//! Every completed request records twice (its `ModelLatency` and its end-to-end latency), so
//! recording is on the simulator's hottest path. This type keeps exactly the counts array the
//! `hdrhistogram` crate keeps for `Histogram::new_with_bounds(1, HIST_MAX_US, 3)` and answers
//! `value_at_quantile`, `max` and `len` exactly as it does (a property test checks this against
//! the crate), but records with a handful of integer operations, and remembers which part of the
//! counts array holds anything so that resetting, merging and percentile scans touch only that.

/// Largest latency tracked \[µs\] (7 days). Larger values up to the end of the last bucket are
/// still counted where they fall; beyond it they count as this value (the crate's saturating
/// record).
pub const HIST_MAX_US: u64 = 7 * 86_400 * 1_000_000;

/// log2 of half the sub-buckets per bucket: 3 significant digits need unit resolution up to
/// 2000, so 2048 sub-buckets, of which buckets after the first use the upper 1024.
const HALF_MAG: u32 = 10;
const HALF: u64 = 1 << HALF_MAG;
/// Values below this share bucket 0 at unit resolution.
const SUB_BUCKET_MASK: u64 = 2 * HALF - 1;
/// `64 - log2(sub-bucket count)`: the leading zeros of a value in bucket 0's top half.
const LZ_BASE: u32 = 64 - (HALF_MAG + 1);

/// Buckets needed to cover [`HIST_MAX_US`]: bucket `k` ends at `2048 * 2^k`.
const fn bucket_count() -> u32 {
    let mut k = 0;
    while (2 * HALF) << k <= HIST_MAX_US {
        k += 1;
    }
    k + 1
}

/// Length of the counts array, as the crate sizes it.
const LEN: usize = ((bucket_count() as u64 + 1) * HALF) as usize;

#[inline]
fn bucket_of(value: u64) -> u32 {
    LZ_BASE - (value | SUB_BUCKET_MASK).leading_zeros()
}

/// Index in the counts array of `value` (may be past the end for values beyond the last bucket).
#[inline]
fn index_of(value: u64) -> usize {
    let b = bucket_of(value);
    (((u64::from(b) + 1) << HALF_MAG) + (value >> b) - HALF) as usize
}

/// The lowest value counted at `index`.
fn value_at_index(index: usize) -> u64 {
    let bucket = (index >> HALF_MAG) as i64 - 1;
    let sub = (index as u64 & (HALF - 1)) + HALF;
    if bucket < 0 {
        sub - HALF
    } else {
        sub << bucket
    }
}

fn lowest_equivalent(value: u64) -> u64 {
    let b = bucket_of(value);
    (value >> b) << b
}

fn highest_equivalent(value: u64) -> u64 {
    if value == u64::MAX {
        return u64::MAX;
    }
    lowest_equivalent(value).saturating_add(1 << bucket_of(value)) - 1
}

/// A latency histogram \[µs\]; see the module documentation.
#[derive(Debug)]
pub struct LatencyHistogram {
    /// An array of a length known to the compiler: recording keeps its index below `LEN`
    /// anyway, so the index needs no second check against a `Vec`'s length.
    counts: Box<[u64; LEN]>,
    /// Indices `lo..hi` hold every non-zero count (`lo >= hi` when empty). The count of values
    /// and the largest one follow from the counts in that range, so recording keeps nothing
    /// else.
    lo: usize,
    hi: usize,
}

/// A counts array of zeros, built on the heap (it is too large to build on the stack first).
fn zeroed() -> Box<[u64; LEN]> {
    vec![0; LEN].into_boxed_slice().try_into().expect("LEN counts")
}

impl Clone for LatencyHistogram {
    /// Copies the counts heap to heap (a derived `clone` may build the array on the stack).
    fn clone(&self) -> Self {
        let mut counts = zeroed();
        counts.copy_from_slice(&self.counts[..]);
        LatencyHistogram {
            counts,
            lo: self.lo,
            hi: self.hi,
        }
    }
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl LatencyHistogram {
    pub fn new() -> Self {
        LatencyHistogram {
            counts: zeroed(),
            lo: LEN,
            hi: 0,
        }
    }

    /// Counts one value; values past the last bucket count as [`HIST_MAX_US`].
    #[inline]
    pub fn record(&mut self, value: u64) {
        let mut i = index_of(value);
        if i >= LEN {
            i = index_of(HIST_MAX_US);
        }
        self.counts[i] += 1;
        // Branches, not `min` and `max`: a value seldom widens the range, and a compare with
        // each bound then costs less than computing and storing both.
        if i < self.lo {
            self.lo = i;
        }
        if i >= self.hi {
            self.hi = i + 1;
        }
    }

    /// Number of values recorded.
    pub fn len(&self) -> u64 {
        if self.is_empty() {
            return 0;
        }
        self.counts[self.lo..self.hi].iter().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.lo >= self.hi
    }

    /// The largest value recorded, rounded up to the end of its bucket (0 when empty): the end
    /// of the highest non-empty bucket, as every value in a bucket has the same end.
    pub fn max(&self) -> u64 {
        if self.is_empty() {
            0
        } else {
            highest_equivalent(value_at_index(self.hi - 1))
        }
    }

    /// The value at `quantile` (in [0, 1]): the end of the bucket where the running count first
    /// reaches `ceil(quantile x len)` (at least 1); the start of it for quantile 0; 0 when empty.
    pub fn value_at_quantile(&self, quantile: f64) -> u64 {
        let quantile = if quantile > 1.0 { 1.0 } else { quantile };
        let wanted = ((quantile * self.len() as f64).ceil() as u64).max(1);
        let mut seen = 0u64;
        for i in self.lo..self.hi {
            seen += self.counts[i];
            if seen >= wanted {
                let v = value_at_index(i);
                return if quantile == 0.0 {
                    lowest_equivalent(v)
                } else {
                    highest_equivalent(v)
                };
            }
        }
        0
    }

    /// Adds every count of `other` into this histogram.
    pub fn add(&mut self, other: &LatencyHistogram) {
        if other.is_empty() {
            return;
        }
        for i in other.lo..other.hi {
            self.counts[i] += other.counts[i];
        }
        self.lo = self.lo.min(other.lo);
        self.hi = self.hi.max(other.hi);
    }

    /// Empties the histogram.
    pub fn reset(&mut self) {
        if self.lo < self.hi {
            self.counts[self.lo..self.hi].fill(0);
        }
        self.lo = LEN;
        self.hi = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hdrhistogram::Histogram;
    use proptest::prelude::*;

    fn reference() -> Histogram<u64> {
        Histogram::new_with_bounds(1, HIST_MAX_US, 3).expect("valid bounds")
    }

    const QUANTILES: [f64; 12] = [0.0, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0, 1.5];

    fn same(h: &LatencyHistogram, r: &Histogram<u64>) -> Result<(), TestCaseError> {
        prop_assert_eq!(h.len(), r.len());
        prop_assert_eq!(h.max(), r.max());
        for q in QUANTILES {
            prop_assert_eq!(h.value_at_quantile(q), r.value_at_quantile(q), "quantile {}", q);
        }
        Ok(())
    }

    /// Latency-like values over every bucket, bucket edges, and values past the last bucket.
    fn value() -> impl Strategy<Value = u64> {
        prop_oneof![
            1u64..5_000,
            1u64..2_000_000,
            (0u32..40).prop_flat_map(|k| {
                let edge = 2048u64 << k;
                (edge - 2)..(edge + 2)
            }),
            (HIST_MAX_US - 10)..(HIST_MAX_US * 3),
            Just(u64::MAX / 4),
        ]
    }

    #[test]
    fn layout_matches_the_crate() {
        assert_eq!(LEN, 31_744);
        assert_eq!(LEN as u64, reference().distinct_values() as u64);
    }

    proptest! {
        /// Recording, merging and resetting agree with `hdrhistogram` on every figure the
        /// reports read: count, max and percentiles.
        #[test]
        fn agrees_with_hdrhistogram(
            a in proptest::collection::vec(value(), 0..300),
            b in proptest::collection::vec(value(), 0..300),
        ) {
            let (mut h, mut r) = (LatencyHistogram::new(), reference());
            for &v in &a {
                h.record(v);
                r.saturating_record(v);
            }
            same(&h, &r)?;
            let (mut h2, mut r2) = (LatencyHistogram::new(), reference());
            for &v in &b {
                h2.record(v);
                r2.saturating_record(v);
            }
            h.add(&h2);
            r.add(&r2).expect("same bounds");
            same(&h, &r)?;
            h2.reset();
            r2.reset();
            same(&h2, &r2)?;
            // A reset histogram is as good as a new one.
            for &v in &a {
                h2.record(v);
                r2.saturating_record(v);
            }
            same(&h2, &r2)?;
        }
    }

    #[test]
    fn empty_histogram() {
        let h = LatencyHistogram::new();
        assert!(h.is_empty());
        assert_eq!((h.len(), h.max(), h.value_at_quantile(0.5)), (0, 0, 0));
    }
}
