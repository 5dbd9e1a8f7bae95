//! `--shard INDEX/COUNT`: a deterministic slice of a sweep for array jobs. Shard `i` of `n`
//! runs the points whose index modulo `n` is `i`, with all their replications. `--shard auto`
//! takes `i` and `n` from the array job's environment ([`super::array_job`]).

use super::error::SweepError;
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub fn contains(self, point: usize) -> bool {
        point % self.count == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = SweepError;

    fn from_str(s: &str) -> Result<Shard, SweepError> {
        let err = |message: &str| SweepError::Shard {
            spec: s.to_string(),
            message: message.to_string(),
        };
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| err("expected INDEX/COUNT, e.g. 0/4 (INDEX from 0 to COUNT - 1), or auto"))?;
        let index: usize = i.trim().parse().map_err(|_| err("INDEX is not a whole number"))?;
        let count: usize = n.trim().parse().map_err(|_| err("COUNT is not a whole number"))?;
        if count == 0 {
            return Err(err("COUNT must be at least 1"));
        }
        if index >= count {
            return Err(err("INDEX must be below COUNT (shards are numbered from 0)"));
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!("1/3".parse::<Shard>().unwrap(), Shard { index: 1, count: 3 });
        for bad in ["3/3", "1", "a/2", "0/0", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let s = Shard { index: 1, count: 3 };
        assert!(s.contains(4) && !s.contains(3));
    }
}
