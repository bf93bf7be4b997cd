//! `summary.json`: the aggregates of a batch, derived from its saved counts alone, so
//! that a merged set of shards gives exactly the summary of one unsharded batch.

use std::collections::BTreeMap;

use serde::Serialize;

use super::plan::Manifest;
use super::record::{COUNTS, Failure, PointStats};
use super::stats::{Sketch, wilson};

/// How many of the most frequent durable terms the summary lists.
const TOP_TERMS: usize = 10;
/// The horizon of the headline question: a durable agreement within this many days.
pub const HEADLINE_DAYS: u32 = 30;

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    pub runs_per_point: u64,
    /// Runs finished and counted, over all grid points.
    pub runs_done: u64,
    pub complete: bool,
    pub max_turns: Option<u32>,
    pub sets: Vec<String>,
    pub swept: Vec<String>,
    pub points: Vec<PointSummary>,
    /// The first failed runs, by run number, with the seeds to replay them.
    pub failures: Vec<Failure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PointSummary {
    /// Swept path -> value at this grid point.
    pub settings: BTreeMap<String, f64>,
    pub runs: u64,
    pub failed: u64,
    /// End reason -> share of runs, with its 95% interval.
    pub ends: BTreeMap<String, Share>,
    pub durable_within_30_days: Share,
    pub end_day: Option<Spread>,
    pub first_agreement_day: Option<Spread>,
    pub durable_agreement_day: Option<Spread>,
    pub agreements_signed_per_run: f64,
    pub agreements_collapsed_per_run: f64,
    pub military_dead: BTreeMap<String, Spread>,
    pub military_dead_total: Option<Spread>,
    pub civilian_dead: Option<Spread>,
    pub displaced: Option<Spread>,
    /// Side -> share of the theatre's value held at the end.
    pub control: BTreeMap<String, Spread>,
    /// Broker -> share of durable agreements.
    pub brokers: BTreeMap<String, Share>,
    pub durable_with_peacekeepers: Share,
    /// The most frequent terms of durable agreements.
    pub durable_terms: Vec<TermsShare>,
    /// Cumulative share of runs with a durable agreement by each day.
    pub durable_by_day: Vec<DayShare>,
    /// What happened in a run, on average: captures, handovers, breaches of a truce,
    /// unilateral ceasefires, changes of leader, repudiations (`runs.csv`'s counts;
    /// left out for a batch of a format before 4, whose runs were not all counted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_run: Option<BTreeMap<String, f64>>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Share {
    pub count: u64,
    pub of: u64,
    pub share: f64,
    pub lo95: f64,
    pub hi95: f64,
}

impl Share {
    pub fn new(count: u64, of: u64) -> Share {
        let (lo95, hi95) = wilson(count, of);
        Share {
            count,
            of,
            share: if of == 0 {
                0.0
            } else {
                count as f64 / of as f64
            },
            lo95,
            hi95,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Spread {
    pub mean: f64,
    pub min: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
}

impl Spread {
    /// Quartiles of a sketch, its values divided by `scale`.
    pub fn of(s: &Sketch, scale: f64) -> Option<Spread> {
        let q = |p: f64| s.quantile(p).map(|v| v as f64 / scale);
        Some(Spread {
            mean: s.mean()? / scale,
            min: s.min as f64 / scale,
            q1: q(0.25)?,
            median: q(0.5)?,
            q3: q(0.75)?,
            max: s.max as f64 / scale,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TermsShare {
    pub terms: String,
    pub count: u64,
    pub share: f64,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct DayShare {
    pub day: u32,
    pub share: f64,
    pub lo95: f64,
    pub hi95: f64,
}

pub fn build(
    manifest: &Manifest,
    settings: &[Vec<f64>],
    points: &[PointStats],
    failures: &[Failure],
    runs_expected: u64,
) -> Summary {
    let swept: Vec<String> = manifest.sweeps.iter().map(|s| s.path.clone()).collect();
    let runs_done = points.iter().map(|p| p.runs).sum();
    Summary {
        scenario: manifest.scenario_id.clone(),
        seed: manifest.seed,
        runs_per_point: manifest.runs,
        runs_done,
        complete: runs_done == runs_expected,
        max_turns: manifest.max_turns,
        sets: manifest.sets.clone(),
        swept: swept.clone(),
        points: points
            .iter()
            .zip(settings)
            .map(|(p, values)| {
                point(
                    p,
                    swept.iter().cloned().zip(values.iter().copied()).collect(),
                    manifest.format >= 4,
                )
            })
            .collect(),
        failures: failures.to_vec(),
    }
}

fn point(p: &PointStats, settings: BTreeMap<String, f64>, counted: bool) -> PointSummary {
    let done = p.runs - p.failed;
    let durable = p.durable_day.count();
    let cumulative = p.durable_day.cumulative();
    let last_day = p.end_day.0.len().max(cumulative.len());
    let by_day = |d: usize| {
        cumulative
            .get(d)
            .or(cumulative.last())
            .copied()
            .unwrap_or(0)
    };
    let per_run = |x: u64| {
        if done == 0 {
            0.0
        } else {
            x as f64 / done as f64
        }
    };
    let mut terms: Vec<(&String, &u64)> = p.terms.iter().collect();
    terms.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    PointSummary {
        settings,
        runs: p.runs,
        failed: p.failed,
        ends: p
            .ends
            .iter()
            .map(|(k, &n)| (k.clone(), Share::new(n, done)))
            .collect(),
        durable_within_30_days: Share::new(by_day(HEADLINE_DAYS as usize), done),
        end_day: Spread::of(&p.end_day.as_sketch(), 1.0),
        first_agreement_day: Spread::of(&p.first_agreement_day.as_sketch(), 1.0),
        durable_agreement_day: Spread::of(&p.durable_day.as_sketch(), 1.0),
        agreements_signed_per_run: per_run(p.signed),
        agreements_collapsed_per_run: per_run(p.collapsed),
        military_dead: p
            .military_dead
            .iter()
            .filter_map(|(k, s)| Some((k.clone(), Spread::of(s, 1.0)?)))
            .collect(),
        military_dead_total: Spread::of(&p.military_dead_total, 1.0),
        civilian_dead: Spread::of(&p.civilian_dead, 1.0),
        displaced: Spread::of(&p.displaced, 1.0),
        control: p
            .control
            .iter()
            .filter_map(|(k, s)| Some((k.clone(), Spread::of(s, 10_000.0)?)))
            .collect(),
        brokers: p
            .brokers
            .iter()
            .map(|(k, &n)| (k.clone(), Share::new(n, durable)))
            .collect(),
        durable_with_peacekeepers: Share::new(p.with_peacekeepers, durable),
        durable_terms: terms
            .into_iter()
            .take(TOP_TERMS)
            .map(|(t, &n)| TermsShare {
                terms: t.clone(),
                count: n,
                share: if durable == 0 {
                    0.0
                } else {
                    n as f64 / durable as f64
                },
            })
            .collect(),
        durable_by_day: (0..last_day)
            .map(|d| {
                let s = Share::new(by_day(d), done);
                DayShare {
                    day: d as u32,
                    share: s.share,
                    lo95: s.lo95,
                    hi95: s.hi95,
                }
            })
            .collect(),
        per_run: counted.then(|| {
            COUNTS
                .iter()
                .zip(p.counts)
                .map(|(k, n)| (k.to_string(), per_run(n)))
                .collect()
        }),
    }
}
