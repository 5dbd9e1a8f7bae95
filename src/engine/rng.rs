//! Named random streams derived from `(run seed, stream name)`.
//!
//! Each random source (arrivals, service times of one variant, launch times, routing) owns its
//! own generator, so adding a source or changing a policy never shifts another source's numbers.
//! The generator is `Xoshiro256PlusPlus`, whose output is fixed by its algorithm, not by the
//! version of `rand` (unlike `StdRng`).

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator every stream uses.
pub type SimRng = Xoshiro256PlusPlus;

/// FNV-1a over the bytes of the name: stable across platforms and releases.
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// SplitMix64 step: the usual way to spread one 64-bit seed into many well-mixed words.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The 256-bit seed of stream `name` under run seed `seed`.
pub fn stream_seed(seed: u64, name: &str) -> [u8; 32] {
    let mut state = seed ^ fnv1a64(name.as_bytes()).rotate_left(17);
    // Mix the run seed in twice so that (seed, name) pairs that collide in the xor still differ.
    let mut state2 = splitmix64(&mut state) ^ seed;
    let mut out = [0u8; 32];
    for chunk in out.chunks_mut(8) {
        chunk.copy_from_slice(&splitmix64(&mut state2).to_le_bytes());
    }
    out
}

/// Factory of named streams for one run.
#[derive(Clone, Copy, Debug)]
pub struct RngStreams {
    seed: u64,
}

impl RngStreams {
    pub fn new(seed: u64) -> Self {
        RngStreams { seed }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// A fresh generator for `name`; the same `(seed, name)` always gives the same numbers.
    pub fn stream(&self, name: &str) -> SimRng {
        SimRng::from_seed(stream_seed(self.seed, name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn same_name_same_numbers_different_name_different_numbers() {
        let s = RngStreams::new(7);
        let a: Vec<u64> = (0..4)
            .map({
                let mut r = s.stream("arrivals");
                move |_| r.random()
            })
            .collect();
        let b: Vec<u64> = (0..4)
            .map({
                let mut r = s.stream("arrivals");
                move |_| r.random()
            })
            .collect();
        let c: u64 = s.stream("service/blue").random();
        assert_eq!(a, b);
        assert_ne!(a[0], c);
        assert_ne!(RngStreams::new(8).stream("arrivals").random::<u64>(), a[0]);
    }

    #[test]
    fn stream_values_are_pinned() {
        // Guards against an accidental change of the derivation: published results depend on it.
        let v: u64 = RngStreams::new(1).stream("arrivals").random();
        assert_eq!(v, PINNED);
    }
    const PINNED: u64 = 1_186_135_796_892_087_287;
}
