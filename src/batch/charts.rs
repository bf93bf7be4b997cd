//! The batch's plots, each as SVG and PNG in `plots/`: when durable agreements come,
//! how runs end and what they cost, who brokers, and for sweeps the outcome against
//! the swept value.

use std::path::Path;

use super::record::PointStats;
use super::summary::{PointSummary, Summary};
use crate::error::{Error, Result};
use crate::report::plots::{self, Band, Bars, Histogram};

/// Most curves drawn on one chart; larger sweeps are thinned evenly.
const MAX_SERIES: usize = 12;
/// Bins of a histogram.
const BINS: usize = 40;

pub fn write_all(dir: &Path, summary: &Summary, points: &[PointStats]) -> Result<()> {
    let folder = dir.join("plots");
    std::fs::create_dir_all(&folder)
        .map_err(|e| Error::runtime(format!("error: cannot create {}: {e}", folder.display())))?;
    let io = |e: std::io::Error| Error::runtime(format!("error: cannot write a plot: {e}"));
    let mut all = PointStats::default();
    for p in points {
        all.merge(p);
    }

    let shown = thin(summary.points.len());
    let curves: Vec<Band> = shown
        .iter()
        .map(|&i| durable_curve(&summary.points[i], &summary.swept))
        .collect();
    plots::band_chart(
        &folder.join("durable_by_day"),
        "Runs with a durable agreement, by day (95% band)",
        "day",
        "share of runs",
        &curves,
        Some((0.0, 1.0)),
    )
    .map_err(io)?;

    let end = day_histogram(&all.end_day.0);
    plots::histogram_chart(&folder.join("end_day"), "Day the run ended", "day", &end)
        .map_err(io)?;
    let dead = sketch_histogram(&all.military_dead_total);
    plots::histogram_chart(
        &folder.join("military_dead"),
        "Military dead, all sides",
        "dead",
        &dead,
    )
    .map_err(io)?;
    let displaced = sketch_histogram(&all.displaced);
    plots::histogram_chart(
        &folder.join("displaced"),
        "People displaced",
        "displaced",
        &displaced,
    )
    .map_err(io)?;

    let durable: u64 = all.brokers.values().sum();
    let brokers = Bars {
        labels: all.brokers.keys().cloned().collect(),
        values: all
            .brokers
            .values()
            .map(|&n| n as f64 / durable.max(1) as f64)
            .collect(),
    };
    plots::bar_chart(
        &folder.join("brokers"),
        "Broker of the durable agreement",
        "share of durable agreements",
        &brokers,
    )
    .map_err(io)?;

    if !summary.swept.is_empty() {
        let series = sweep_series(summary);
        plots::band_chart(
            &folder.join("sweep"),
            &format!("Durable agreement against {}", summary.swept[0]),
            &summary.swept[0],
            "share of runs (95% interval)",
            &series,
            Some((0.0, 1.0)),
        )
        .map_err(io)?;
    }
    Ok(())
}

/// Up to `MAX_SERIES` indices spread evenly over `0..n`.
fn thin(n: usize) -> Vec<usize> {
    if n <= MAX_SERIES {
        return (0..n).collect();
    }
    let mut out: Vec<usize> = (0..MAX_SERIES)
        .map(|k| k * (n - 1) / (MAX_SERIES - 1))
        .collect();
    out.dedup();
    out
}

fn label(p: &PointSummary, swept: &[String]) -> String {
    if swept.is_empty() {
        return "all runs".into();
    }
    swept
        .iter()
        .map(|s| {
            format!(
                "{}={}",
                short(s),
                p.settings.get(s).copied().unwrap_or(f64::NAN)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The last two parts of a path: `capability.military`.
fn short(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    parts[parts.len().saturating_sub(2)..].join(".")
}

fn durable_curve(p: &PointSummary, swept: &[String]) -> Band {
    Band {
        label: label(p, swept),
        x: p.durable_by_day.iter().map(|d| f64::from(d.day)).collect(),
        y: p.durable_by_day.iter().map(|d| d.share).collect(),
        lo: p.durable_by_day.iter().map(|d| d.lo95).collect(),
        hi: p.durable_by_day.iter().map(|d| d.hi95).collect(),
    }
}

/// The chance of a durable agreement against the first swept value, one curve per
/// setting of the other sweeps.
fn sweep_series(summary: &Summary) -> Vec<Band> {
    let first = &summary.swept[0];
    let rest = &summary.swept[1..];
    let mut groups: Vec<(String, Band)> = Vec::new();
    for p in &summary.points {
        let key = label(p, rest);
        let idx = match groups.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                groups.push((
                    key.clone(),
                    Band {
                        label: if rest.is_empty() {
                            "durable agreement".into()
                        } else {
                            key
                        },
                        x: vec![],
                        y: vec![],
                        lo: vec![],
                        hi: vec![],
                    },
                ));
                groups.len() - 1
            }
        };
        let band = &mut groups[idx].1;
        let share = p.ends.get("durable_agreement").copied();
        band.x
            .push(p.settings.get(first).copied().unwrap_or(f64::NAN));
        band.y.push(share.map_or(0.0, |s| s.share));
        band.lo.push(share.map_or(0.0, |s| s.lo95));
        band.hi.push(share.map_or(0.0, |s| s.hi95));
    }
    let shown = thin(groups.len());
    groups
        .into_iter()
        .enumerate()
        .filter(|(i, _)| shown.contains(i))
        .map(|(_, (_, band))| band)
        .collect()
}

fn day_histogram(days: &[u64]) -> Histogram {
    let width = days.len().div_ceil(BINS).max(1);
    let counts: Vec<u64> = days.chunks(width).map(|c| c.iter().sum()).collect();
    Histogram {
        edges: (0..=counts.len()).map(|k| (k * width) as f64).collect(),
        counts,
    }
}

/// Regroups a sketch's fine bins into `BINS` equal-width bins.
fn sketch_histogram(s: &super::stats::Sketch) -> Histogram {
    if s.count == 0 {
        return Histogram {
            edges: vec![0.0, 1.0],
            counts: vec![0],
        };
    }
    let (lo, hi) = (s.min as f64, (s.max as f64).max(s.min as f64 + 1.0));
    let width = (hi - lo) / BINS as f64;
    let mut counts = vec![0u64; BINS];
    for (low, high, n) in s.bins() {
        let mid = (low as f64 + high as f64 - 1.0) / 2.0;
        let k = (((mid - lo) / width) as usize).min(BINS - 1);
        counts[k] += n;
    }
    Histogram {
        edges: (0..=BINS).map(|k| lo + k as f64 * width).collect(),
        counts,
    }
}
