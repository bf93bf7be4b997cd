//! `truce calibrate`: a scenario's runs scored against what really happened.
//!
//! The record is a small RON file beside the scenario (`<scenario>.history.ron`):
//! dated truces with their brokers and how long they held, captures, the settlement,
//! and final figures. Each fact becomes the share of runs that agree with it; each
//! figure, the median and quartiles of the runs against the real value. The overall
//! score is the mean of the shares and of the figures' closeness.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use super::plan::Plan;
use super::runner;
use super::stats::Sketch;
use super::summary::{Share, Spread};
use crate::cli::CalibrateArgs;
use crate::error::{Error, Result};
use crate::scenario::Compiled;
use crate::scenario::compiled::{ActorIx, ProposalKind, RegionIx};
use crate::sim::{EndReason, Tally};

/// What happened, as written in a history file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// The id of the scenario this record is for.
    pub scenario: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub truces: Vec<TruceRecord>,
    #[serde(default)]
    pub captures: Vec<CaptureRecord>,
    pub settlement: Option<SettlementRecord>,
    #[serde(default)]
    pub figures: Vec<FigureRecord>,
}

/// A truce that was signed and broke down.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TruceRecord {
    pub name: String,
    pub kind: ProposalKind,
    pub broker: String,
    pub day: u32,
    /// Days it held before fighting resumed.
    pub held_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaptureRecord {
    pub region: String,
    pub by: String,
    pub day: i64,
}

/// The agreement that ended the war.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettlementRecord {
    pub broker: String,
    pub day: u32,
    pub peacekeepers: Option<String>,
    /// The capture that preceded it: a region and the side that took it.
    pub after: Option<CaptureRecord>,
    /// Brokers whose efforts never produced a lasting deal.
    #[serde(default)]
    pub failed_brokers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureRecord {
    pub name: String,
    pub measure: Measure,
    pub real: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub enum Measure {
    MilitaryDead(String),
    MilitaryDeadTotal,
    CivilianDead,
    Displaced,
    SettlementDay,
}

/// The record with every name resolved against the scenario.
struct Resolved {
    early_kinds: Vec<ProposalKind>,
    early_before: u32,
    early_within: u32,
    settlement: Option<Settled>,
    /// (region, its index, the side that took it, that side's id)
    captures: Vec<(String, RegionIx, ActorIx, String)>,
}

/// The settlement on record, by index.
struct Settled {
    broker: ActorIx,
    peacekeepers: Option<ActorIx>,
    /// The region whose fall preceded it, and who took it.
    after: Option<(RegionIx, ActorIx)>,
    failed_brokers: Vec<ActorIx>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FactScore {
    pub fact: String,
    pub agree: Share,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureScore {
    pub name: String,
    pub real: f64,
    pub runs: Option<Spread>,
    /// exp(−|ln(median / real)|): 1 when the median is the real value, 0.5 when it is
    /// off by a factor of two.
    pub closeness: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    pub scenario: String,
    pub history: String,
    pub seed: u64,
    pub runs: u64,
    pub facts: Vec<FactScore>,
    pub figures: Vec<FigureScore>,
    pub score: f64,
}

pub fn run(args: &CalibrateArgs) -> Result<u8> {
    let plan = Plan::new(
        &args.scenario,
        args.exec.seed,
        args.runs,
        None,
        &args.sets,
        &[],
        None,
    )?;
    let history_path = match &args.against {
        Some(p) => p.clone(),
        None => default_history(&args.scenario),
    };
    let history = read_history(&history_path)?;
    let sc = plan.base();
    if history.scenario != sc.id {
        return Err(Error::bad_input(format!(
            "error: {} is the record of `{}`, not of `{}`",
            history_path.display(),
            history.scenario,
            sc.id
        )));
    }
    let resolved = resolve(&history, sc, &history_path)?;
    let jobs = super::jobs(args.exec.jobs);
    let bar = super::progress(args.exec.quiet, args.runs, 0);
    let started = std::time::Instant::now();
    let mut counts = Counts::new(&history, &resolved);
    let stop = AtomicBool::new(false);
    runner::execute(&plan, plan.range(), jobs, &stop, |_, result| {
        if let super::record::RunResult::Done(t) = &result {
            counts.add(sc, &resolved, &history, t);
        } else {
            counts.failed += 1;
        }
        bar.inc(1);
        if bar.position().is_multiple_of(64) {
            super::show_rate(&bar, bar.position(), started);
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    let report = counts.report(&history, &resolved, sc, &history_path, args.exec.seed);
    if args.json {
        let mut text = serde_json::to_string_pretty(&report)
            .map_err(|e| Error::runtime(format!("cannot encode the report: {e}")))?;
        text.push('\n');
        crate::report::write_stdout(&text)?;
    } else {
        crate::report::write_stdout(&table(&report))?;
    }
    Ok(0)
}

/// `scenarios/x.ron` → `scenarios/x.history.ron`.
pub fn default_history(scenario: &Path) -> PathBuf {
    scenario.with_extension("history.ron")
}

/// Whether a file is named as a history file (`*.history.ron`).
pub fn is_history(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".history.ron"))
}

/// Validates a history file, and its names against the scenario beside it when there
/// is one (`x.history.ron` → `x.ron`); returns a one-line description.
pub fn check_history(path: &Path) -> Result<String> {
    let history = read_history(path)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let scenario_path = path.with_file_name(name.replacen(".history.ron", ".ron", 1));
    let mut against = String::new();
    if scenario_path.is_file() {
        let loaded = crate::scenario::load(&scenario_path)?;
        if history.scenario != loaded.compiled.id {
            return Err(Error::bad_input(format!(
                "error: {} is the record of `{}`, but {} is `{}`",
                path.display(),
                history.scenario,
                scenario_path.display(),
                loaded.compiled.id
            )));
        }
        resolve(&history, &loaded.compiled, path)?;
        against = format!(", names checked against {}", scenario_path.display());
    }
    Ok(format!(
        "ok (history of `{}`: {} truces, {} captures, {} figures{against})",
        history.scenario,
        history.truces.len(),
        history.captures.len(),
        history.figures.len()
    ))
}

fn read_history(path: &Path) -> Result<History> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::bad_input(format!(
            "error: cannot read the history file {}: {e}\n  = hint: write one next to the \
             scenario, or name it with --against",
            path.display()
        ))
    })?;
    ron::from_str(&text).map_err(|e| {
        Error::bad_input(format!(
            "error: {e}\n  --> {}:{}:{}",
            path.display(),
            e.span.start.line,
            e.span.start.col
        ))
    })
}

fn resolve(h: &History, sc: &Compiled, path: &Path) -> Result<Resolved> {
    let bad = |what: &str, name: &str| {
        Error::bad_input(format!(
            "error: {}: unknown {what} `{name}` in scenario `{}`",
            path.display(),
            sc.id
        ))
    };
    let actor = |name: &str| sc.actor_ix(name).ok_or_else(|| bad("actor", name));
    let region = |name: &str| sc.region_ix(name).ok_or_else(|| bad("region", name));
    for t in &h.truces {
        actor(&t.broker)?;
    }
    let settlement = match &h.settlement {
        None => None,
        Some(s) => Some(Settled {
            broker: actor(&s.broker)?,
            peacekeepers: s.peacekeepers.as_deref().map(actor).transpose()?,
            after: match &s.after {
                Some(c) => Some((region(&c.region)?, actor(&c.by)?)),
                None => None,
            },
            failed_brokers: s
                .failed_brokers
                .iter()
                .map(|b| actor(b))
                .collect::<Result<Vec<_>>>()?,
        }),
    };
    let mut captures = vec![];
    for c in &h.captures {
        let (r, by) = (region(&c.region)?, actor(&c.by)?);
        // Captures before the start, or already on the starting map, are not
        // something a run can do.
        if c.day >= 0 && sc.regions[r].controller != by {
            captures.push((c.region.clone(), r, by, c.by.clone()));
        }
    }
    for f in &h.figures {
        if let Measure::MilitaryDead(side) = &f.measure {
            actor(side)?;
        }
    }
    let short: Vec<&TruceRecord> = h.truces.iter().filter(|t| t.held_days <= 2).collect();
    Ok(Resolved {
        early_kinds: short.iter().map(|t| t.kind).collect(),
        early_before: short.iter().map(|t| t.day).max().map_or(0, |d| d + 7),
        // Days are the model's grain: "within hours" is "by the next day or the one after".
        early_within: short.iter().map(|t| t.held_days).max().unwrap_or(0) + 2,
        settlement,
        captures,
    })
}

/// Counts of runs agreeing with each fact, and the runs' figures.
struct Counts {
    runs: u64,
    failed: u64,
    early_signed: u64,
    early: u64,
    durable: u64,
    after_capture: u64,
    broker: u64,
    peacekeepers: u64,
    failed_brokers_durable: u64,
    captures: Vec<u64>,
    figures: Vec<Sketch>,
}

impl Counts {
    fn new(h: &History, r: &Resolved) -> Counts {
        Counts {
            runs: 0,
            failed: 0,
            early_signed: 0,
            early: 0,
            durable: 0,
            after_capture: 0,
            broker: 0,
            peacekeepers: 0,
            failed_brokers_durable: 0,
            captures: vec![0; r.captures.len()],
            figures: vec![Sketch::default(); h.figures.len()],
        }
    }

    fn add(&mut self, sc: &Compiled, r: &Resolved, h: &History, t: &Tally) {
        self.runs += 1;
        let early: Vec<_> = t
            .agreements
            .iter()
            .filter(|d| r.early_kinds.contains(&d.kind) && d.signed_day <= r.early_before)
            .collect();
        // An early truce was signed, and the first one soon broke down.
        if let Some(first) = early.first() {
            self.early_signed += 1;
            if first
                .ended_day
                .is_some_and(|e| e - first.signed_day <= r.early_within)
            {
                self.early += 1;
            }
        }
        if t.end == Some(EndReason::DurableAgreement)
            && let Some(d) = &t.durable
        {
            self.durable += 1;
            if let Some(s) = &r.settlement {
                self.broker += u64::from(d.broker == s.broker);
                let pk = s.peacekeepers;
                self.peacekeepers += u64::from(pk.is_none() || d.peacekeepers == pk);
                self.failed_brokers_durable += u64::from(s.failed_brokers.contains(&d.broker));
                if let Some((region, by)) = &s.after {
                    let (holder, since) = t.holders[*region];
                    let taken = holder == *by
                        && sc.regions[*region].controller != *by
                        && since.is_some_and(|s| s <= d.day);
                    self.after_capture += u64::from(taken);
                }
            }
        }
        for (k, (_, region, by, _)) in r.captures.iter().enumerate() {
            self.captures[k] += u64::from(t.holders[*region].0 == *by);
        }
        for (k, f) in h.figures.iter().enumerate() {
            let value = match &f.measure {
                Measure::MilitaryDead(side) => sc.actor_ix(side).map(|a| t.military_dead[a]),
                Measure::MilitaryDeadTotal => Some(t.military_dead.iter().sum()),
                Measure::CivilianDead => Some(t.civilian_dead),
                Measure::Displaced => Some(t.displaced),
                Measure::SettlementDay => t.durable.as_ref().map(|d| f64::from(d.day)),
            };
            if let Some(v) = value {
                self.figures[k].add(v.max(0.0).round() as u64);
            }
        }
    }

    fn report(
        &self,
        h: &History,
        r: &Resolved,
        sc: &Compiled,
        path: &Path,
        seed: u64,
    ) -> Calibration {
        let done = self.runs;
        let mut facts = vec![];
        if !r.early_kinds.is_empty() {
            facts.push(FactScore {
                fact: format!("an early truce is signed by day {}", r.early_before),
                agree: Share::new(self.early_signed, done),
            });
            facts.push(FactScore {
                fact: format!("the first collapses within {} days", r.early_within),
                agree: Share::new(self.early, self.early_signed),
            });
        }
        if let Some(s) = &h.settlement {
            facts.push(FactScore {
                fact: "the war ends in a durable settlement".into(),
                agree: Share::new(self.durable, done),
            });
            if let Some(c) = &s.after {
                facts.push(FactScore {
                    fact: format!(
                        "the settlement follows the fall of {} to {}",
                        c.region, c.by
                    ),
                    agree: Share::new(self.after_capture, self.durable),
                });
            }
            facts.push(FactScore {
                fact: format!("the settlement is brokered by {}", s.broker),
                agree: Share::new(self.broker, self.durable),
            });
            if let Some(pk) = &s.peacekeepers {
                facts.push(FactScore {
                    fact: format!("the settlement brings {pk} peacekeepers"),
                    agree: Share::new(self.peacekeepers, self.durable),
                });
            }
            if !s.failed_brokers.is_empty() {
                facts.push(FactScore {
                    fact: format!(
                        "no lasting deal brokered by {}",
                        s.failed_brokers.join(" or ")
                    ),
                    agree: Share::new(self.durable - self.failed_brokers_durable, self.durable),
                });
            }
        }
        for ((region, _, _, by), &n) in r.captures.iter().zip(&self.captures) {
            facts.push(FactScore {
                fact: format!("{region} falls to {by}"),
                agree: Share::new(n, done),
            });
        }
        let figures: Vec<FigureScore> = h
            .figures
            .iter()
            .zip(&self.figures)
            .map(|(f, s)| {
                let runs = Spread::of(s, 1.0);
                let closeness = runs.map_or(0.0, |r| {
                    if r.median <= 0.0 || f.real <= 0.0 {
                        0.0
                    } else {
                        (-(r.median / f.real).ln().abs()).exp()
                    }
                });
                FigureScore {
                    name: f.name.clone(),
                    real: f.real,
                    runs,
                    closeness,
                }
            })
            .collect();
        let parts: Vec<f64> = facts
            .iter()
            .map(|f| f.agree.share)
            .chain(figures.iter().map(|f| f.closeness))
            .collect();
        let score = if parts.is_empty() {
            0.0
        } else {
            parts.iter().sum::<f64>() / parts.len() as f64
        };
        Calibration {
            scenario: sc.id.clone(),
            history: path.display().to_string(),
            seed,
            runs: done,
            facts,
            figures,
            score,
        }
    }
}

fn table(r: &Calibration) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} against {} — {} runs, seed {}\n",
        r.scenario, r.history, r.runs, r.seed
    );
    let _ = writeln!(out, "{:<58} {:>7}   (95% interval)", "fact", "runs");
    for f in &r.facts {
        let _ = writeln!(
            out,
            "{:<58} {:>6.1}%   ({:.1}–{:.1}) of {}",
            f.fact,
            100.0 * f.agree.share,
            100.0 * f.agree.lo95,
            100.0 * f.agree.hi95,
            f.agree.of
        );
    }
    let _ = writeln!(
        out,
        "\n{:<30} {:>10} {:>10} {:>21} {:>10}",
        "figure", "real", "median", "quartiles", "closeness"
    );
    for f in &r.figures {
        let (median, quartiles) = f.runs.map_or(("-".to_string(), "-".to_string()), |s| {
            (
                format!("{:.0}", s.median),
                format!("{:.0}–{:.0}", s.q1, s.q3),
            )
        });
        let _ = writeln!(
            out,
            "{:<30} {:>10.0} {:>10} {:>21} {:>10.2}",
            f.name, f.real, median, quartiles, f.closeness
        );
    }
    let _ = writeln!(
        out,
        "\nscore: {:.3} (mean of the shares and closenesses; 1 is perfect)",
        r.score
    );
    out
}
