//! Validation: the model's runs judged the way forecasters are judged.
//!
//! - [`history`]: the record of a real war, checked against its scenario;
//! - [`facts`]: the record as facts and figures a run matches or not;
//! - [`scores`]: proper scoring rules (Brier, log score, CRPS);
//! - [`baseline`]: the uninformed and reference-class baselines;
//! - [`card`]: a war's scorecard and skill;
//! - [`calibrate`], [`validate`], [`fit`]: the commands.
//!
//! A *library* is a folder of scenarios, each with its history file beside it.

pub mod baseline;
pub mod calibrate;
pub mod card;
pub mod facts;
pub mod fit;
pub mod history;
pub mod scores;
pub mod validate;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::batch::plan::{Manifest, Plan};
use crate::batch::record::RunResult;
use crate::batch::runner;
use crate::error::{Error, Result};
use crate::scenario::compiled::{Condition, Effect, ProposalIx};
use crate::scenario::{self, Compiled};
use baseline::{Rates, Reference};
use facts::{Counts, Facts};
use history::Record;

pub use crate::batch::Execution;

/// One war of a library: its scenario, its record, and the facts to judge runs by.
pub struct War {
    pub id: String,
    pub scenario_path: PathBuf,
    pub loaded: scenario::Loaded,
    pub compiled: Arc<Compiled>,
    pub record: Record,
    pub facts: Facts,
    pub rates: Rates,
    /// The model constants the scenario sets in its own `model:` block.
    pub own_constants: Vec<String>,
    /// What the model cannot express in this war: the record's limits, and a dated
    /// end where the scenario opens the settlement's text on a date.
    pub limits: Vec<String>,
}

impl War {
    /// Reads a scenario and checks its record against it.
    pub fn load(scenario_path: &Path, history_path: &Path) -> Result<War> {
        let loaded = scenario::load(scenario_path)?;
        let record = history::read(history_path)?.check(&loaded.compiled)?;
        Ok(War::new(scenario_path, loaded, record))
    }

    fn new(scenario_path: &Path, loaded: scenario::Loaded, record: Record) -> War {
        let facts = Facts::new(&record, &loaded.compiled);
        let rates = Rates::of(&record);
        let own_constants = fit::model_fields(&loaded.source);
        let mut limits = record.history.limits.clone();
        limits.extend(dated_end(&loaded.compiled, &record));
        War {
            id: loaded.compiled.id.clone(),
            scenario_path: scenario_path.to_path_buf(),
            compiled: Arc::new(loaded.compiled.clone()),
            loaded,
            record,
            facts,
            rates,
            own_constants,
            limits,
        }
    }
}

/// The text that ended the war, where the scenario closes it at the start and opens
/// it only by dated events: the text and those events, by index.
fn dated_opening(sc: &Compiled, record: &Record) -> Option<(ProposalIx, Vec<usize>)> {
    let p = record.settlement.as_ref()?.proposal?;
    if sc.proposals[p].open {
        return None;
    }
    let opening: Vec<usize> = (0..sc.events.len())
        .filter(|&i| {
            sc.events[i]
                .effects
                .iter()
                .any(|x| matches!(x, Effect::OpenProposal(q) if *q == p))
        })
        .collect();
    let dated = opening.iter().all(|&i| sc.events[i].day.is_some());
    (!opening.is_empty() && dated).then_some((p, opening))
}

fn event_names(sc: &Compiled, events: &[usize]) -> String {
    events
        .iter()
        .map(|&i| format!("`{}`", sc.events[i].id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How the note of a dated end ([`dated_end`]) begins, for those who look for it.
pub const DATED_END: &str = "a dated end";

/// A note when the war ends on a date the scenario set ([`dated_opening`]): the runs
/// sign the text on that date or after, so the day the war ends is the scenario's,
/// not the model's.
fn dated_end(sc: &Compiled, record: &Record) -> Option<String> {
    let (p, events) = dated_opening(sc, record)?;
    let first = events.iter().filter_map(|&i| sc.events[i].day).min()?;
    Some(format!(
        "{DATED_END}: the settlement's text, `{}`, opens on day {first} by the scenario's \
         events ({}), so the day the war ends is an input, not the model's; \
         `--draft-when-ripe` scores it drafted when the war is ripe (docs/validation.md, \
         \"What the record's dates give\")",
        sc.proposals[p].id,
        event_names(sc, &events)
    ))
}

impl War {
    /// The what-if in which the war's dated settlement text ([`dated_opening`]) is
    /// drafted when the war is ripe instead: each event that opens it loses its date
    /// and waits for `All([AtWar, Ripe])` besides its own condition. `false` where
    /// the war's end is not dated, and nothing changes.
    pub fn draft_when_ripe(&mut self) -> bool {
        let Some((p, events)) = dated_opening(&self.compiled, &self.record) else {
            return false;
        };
        let mut sc = (*self.compiled).clone();
        for &i in &events {
            let ev = &mut sc.events[i];
            ev.day = None;
            let mut all = vec![Condition::AtWar, Condition::Ripe];
            all.extend(ev.when.take());
            ev.when = Some(Condition::All(all));
        }
        self.limits.retain(|l| !l.starts_with(DATED_END));
        self.limits.push(format!(
            "drafted when ripe: the settlement's text, `{}`, opens the morning after the war \
             turns ripe, not on its date ({}; `--draft-when-ripe`)",
            sc.proposals[p].id,
            event_names(&sc, &events)
        ));
        self.compiled = Arc::new(sc);
        true
    }
}

/// The history files in `dir`, by file name.
pub fn history_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut histories: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| history::is_history(p))
        .collect();
    histories.sort();
    Ok(histories)
}

/// Every war in `dir`: each `x.ron` with an `x.history.ron` beside it, by file name;
/// with `draft_when_ripe`, each in that what-if ([`War::draft_when_ripe`]).
pub fn library(dir: &Path, draft_when_ripe: bool) -> Result<Vec<War>> {
    let histories = history_files(dir).map_err(|e| {
        Error::bad_input(format!(
            "error: cannot read the folder {}: {e}",
            dir.display()
        ))
    })?;
    let mut wars = vec![];
    for h in histories {
        let b = history::load_beside(&h)?;
        if let Some(w) = wars.iter().find(|w: &&War| w.id == b.scenario.compiled.id) {
            return Err(Error::bad_input(format!(
                "error: {} and {} are both records of `{}`: a war has one record\n  = hint: \
                 merge them into {}",
                w.record.file,
                b.record.file,
                w.id,
                history::beside(&w.scenario_path).display()
            )));
        }
        let mut war = War::new(&b.scenario_path, b.scenario, b.record);
        if draft_when_ripe {
            war.draft_when_ripe();
        }
        wars.push(war);
    }
    if wars.is_empty() {
        return Err(Error::bad_input(format!(
            "error: no war to validate in {}: no scenario has a history file beside it\n  = \
             hint: a scenario `x.ron` is validated against `x.history.ron` in the same folder",
            dir.display()
        )));
    }
    Ok(wars)
}

/// The reference class of war `i`: the rates of every other war.
pub fn reference_for(wars: &[&Rates], i: usize) -> Reference {
    let others: Vec<&Rates> = wars
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(_, r)| *r)
        .collect();
    Reference::new(&others)
}

/// Plays `runs` runs of each scenario (the same seeds for each) in parallel and
/// counts them against each one's facts. Deterministic whatever the threads.
pub fn play(
    scenarios: &[Arc<Compiled>],
    facts: &[&Facts],
    runs: u64,
    exec: &Execution,
    bar: &indicatif::ProgressBar,
) -> Result<Vec<Counts>> {
    let plan = Plan {
        manifest: Manifest {
            // Full 64-bit seeds: no seed is written out here, and the tables of
            // docs/validation.md were measured with them.
            format: 1,
            scenario: PathBuf::new(),
            scenario_id: String::new(),
            digest: String::new(),
            seed: exec.seed,
            runs,
            max_turns: None,
            sets: vec![],
            sweeps: vec![],
            shard: None,
            model: crate::batch::plan::model_digest(),
        },
        points: scenarios.to_vec(),
        settings: vec![],
    };
    let mut counts: Vec<Counts> = facts.iter().map(|f| f.counts()).collect();
    let stop = AtomicBool::new(false);
    let jobs = crate::batch::jobs(exec.jobs);
    let started = std::time::Instant::now();
    runner::execute(&plan, plan.range(), jobs, &stop, |i, result| {
        let w = plan.point_of(i);
        match &result {
            RunResult::Done(t) => facts[w].add(&mut counts[w], t),
            RunResult::Failed(_) => {
                counts[w].runs += 1;
                counts[w].failed += 1;
            }
        }
        bar.inc(1);
        if bar.position().is_multiple_of(64) {
            crate::batch::show_rate(bar, bar.position(), started);
        }
        Ok(())
    })?;
    Ok(counts)
}

/// A progress bar for `total` runs (hidden when quiet or not on a terminal).
pub fn progress(exec: &Execution, total: u64) -> indicatif::ProgressBar {
    crate::batch::progress(exec.quiet, total, 0)
}
