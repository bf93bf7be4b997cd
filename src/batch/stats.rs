//! Streamed, mergeable aggregation of batch runs.
//!
//! Every accumulator holds integers only (counts, integer sums, fixed bins), so that
//! the result does not depend on the order in which runs are added or shards merged:
//! a sharded batch merges into exactly the summary of the unsharded one. Memory is
//! bounded by the number of bins, not by the number of runs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Values below this are counted exactly; above it, in bins 1% wide.
const EXACT_BELOW: u64 = 128;
/// Width of a bin above `EXACT_BELOW`, as a ratio.
const BIN_RATIO: f64 = 1.01;

/// A histogram of non-negative integers: exact below 128, within 1% above.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    pub count: u64,
    pub sum: u64,
    pub min: u64,
    pub max: u64,
    bins: BTreeMap<u32, u64>,
}

impl Sketch {
    pub fn add(&mut self, v: u64) {
        if self.count == 0 || v < self.min {
            self.min = v;
        }
        self.max = self.max.max(v);
        self.count += 1;
        self.sum = self.sum.saturating_add(v);
        *self.bins.entry(bin_of(v)).or_default() += 1;
    }

    pub fn merge(&mut self, other: &Sketch) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 || other.min < self.min {
            self.min = other.min;
        }
        self.max = self.max.max(other.max);
        self.count += other.count;
        self.sum = self.sum.saturating_add(other.sum);
        for (&b, &n) in &other.bins {
            *self.bins.entry(b).or_default() += n;
        }
    }

    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / self.count as f64)
    }

    /// The `q`-quantile (nearest rank), within the bin's precision and clamped to the
    /// values seen.
    pub fn quantile(&self, q: f64) -> Option<u64> {
        if self.count == 0 {
            return None;
        }
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        // The extremes are known exactly.
        if rank == 1 {
            return Some(self.min);
        }
        if rank == self.count {
            return Some(self.max);
        }
        let mut seen = 0;
        for (&b, &n) in &self.bins {
            seen += n;
            if seen >= rank {
                return Some(value_of(b).clamp(self.min, self.max));
            }
        }
        Some(self.max)
    }

    /// Bins as (lower edge, upper edge, count), for histograms.
    pub fn bins(&self) -> impl Iterator<Item = (u64, u64, u64)> + '_ {
        self.bins
            .iter()
            .map(|(&b, &n)| (lower_edge(b), lower_edge(b + 1), n))
    }
}

fn bin_of(v: u64) -> u32 {
    if v < EXACT_BELOW {
        v as u32
    } else {
        let steps = ((v as f64 / EXACT_BELOW as f64).ln() / BIN_RATIO.ln()).floor();
        EXACT_BELOW as u32 + steps as u32
    }
}

fn lower_edge(b: u32) -> u64 {
    if u64::from(b) <= EXACT_BELOW {
        u64::from(b)
    } else {
        let steps = f64::from(b - EXACT_BELOW as u32);
        (EXACT_BELOW as f64 * BIN_RATIO.powf(steps)).ceil() as u64
    }
}

/// The value that stands for a bin: its geometric middle.
fn value_of(b: u32) -> u64 {
    if u64::from(b) < EXACT_BELOW {
        u64::from(b)
    } else {
        let steps = f64::from(b - EXACT_BELOW as u32) + 0.5;
        (EXACT_BELOW as f64 * BIN_RATIO.powf(steps)).round() as u64
    }
}

/// Counts per day, exact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Days(pub Vec<u64>);

impl Days {
    pub fn add(&mut self, day: u32) {
        let d = day as usize;
        if self.0.len() <= d {
            self.0.resize(d + 1, 0);
        }
        self.0[d] += 1;
    }

    pub fn merge(&mut self, other: &Days) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a += b;
        }
    }

    pub fn count(&self) -> u64 {
        self.0.iter().sum()
    }

    pub fn as_sketch(&self) -> Sketch {
        let mut s = Sketch::default();
        for (day, &n) in self.0.iter().enumerate().filter(|&(_, &n)| n > 0) {
            let day = day as u64;
            if s.count == 0 {
                s.min = day;
            }
            s.max = day;
            s.count += n;
            s.sum += day * n;
            *s.bins.entry(bin_of(day)).or_default() += n;
        }
        s
    }

    /// Runs with an event on or before each day, cumulatively.
    pub fn cumulative(&self) -> Vec<u64> {
        self.0
            .iter()
            .scan(0, |acc, &n| {
                *acc += n;
                Some(*acc)
            })
            .collect()
    }
}

/// Adds one map of counters into another.
pub fn merge_counts(into: &mut BTreeMap<String, u64>, from: &BTreeMap<String, u64>) {
    for (k, &n) in from {
        *into.entry(k.clone()).or_default() += n;
    }
}

/// Adds one map of sketches into another.
pub fn merge_sketches(into: &mut BTreeMap<String, Sketch>, from: &BTreeMap<String, Sketch>) {
    for (k, s) in from {
        into.entry(k.clone()).or_default().merge(s);
    }
}

/// The 95% Wilson score interval of a proportion `k / n`.
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054_f64;
    let n = n as f64;
    let p = k as f64 / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_values_are_exact_and_large_ones_within_a_percent() {
        let mut s = Sketch::default();
        for v in 0..100 {
            s.add(v);
        }
        assert_eq!(s.quantile(0.5), Some(49));
        assert_eq!(s.quantile(1.0), Some(99));
        let mut big = Sketch::default();
        for v in [9_000, 10_000, 11_000] {
            big.add(v);
        }
        let m = big.quantile(0.5).unwrap() as f64;
        assert!((m - 10_000.0).abs() / 10_000.0 < 0.01, "{m}");
        assert_eq!(big.quantile(1.0), Some(11_000));
    }

    #[test]
    fn bins_cover_the_numbers_without_gaps() {
        for v in [127, 128, 129, 1_000, 65_432, 10_000_000] {
            let b = bin_of(v);
            assert!(
                lower_edge(b) <= v && v < lower_edge(b + 1),
                "{v} in bin {b}"
            );
        }
    }

    #[test]
    fn merging_halves_gives_the_whole() {
        let (mut a, mut b, mut whole) = (Sketch::default(), Sketch::default(), Sketch::default());
        for v in 0..1000u64 {
            let v = v * v % 7919;
            whole.add(v);
            if v % 2 == 0 { a.add(v) } else { b.add(v) }
        }
        a.merge(&b);
        assert_eq!(a, whole);
        let (mut d1, mut d2, mut d) = (Days::default(), Days::default(), Days::default());
        for day in [3, 9, 3, 40] {
            d.add(day);
        }
        d1.add(3);
        d1.add(40);
        d2.add(9);
        d2.add(3);
        d1.merge(&d2);
        assert_eq!(d1, d);
        assert_eq!(d.cumulative()[9], 3);
        assert_eq!(d.as_sketch().quantile(0.5), Some(3));
    }

    #[test]
    fn wilson_interval_brackets_the_share() {
        let (lo, hi) = wilson(50, 100);
        assert!(lo < 0.5 && hi > 0.5 && hi - lo < 0.2);
        assert_eq!(wilson(0, 0), (0.0, 1.0));
        let (lo, _) = wilson(0, 10);
        assert_eq!(lo, 0.0);
    }
}
