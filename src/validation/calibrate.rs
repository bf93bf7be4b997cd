//! `truce calibrate`: one scenario's runs scored against its record, with proper
//! scores beside the uninformed and reference-class baselines.

use std::path::{Path, PathBuf};

use super::card::{self, Names, WarScore};
use super::{Execution, War, history, play, progress, reference_for};
use crate::batch::whatif::{self, Set};
use crate::error::Result;

/// What `truce calibrate` is asked to do.
#[derive(Debug, Clone)]
pub struct Settings {
    pub scenario: PathBuf,
    /// The history file; `None` for the one beside the scenario.
    pub against: Option<PathBuf>,
    pub runs: u64,
    pub sets: Vec<Set>,
    pub exec: Execution,
    pub json: bool,
    /// Score the war with its dated settlement text drafted when the war is ripe.
    pub draft_when_ripe: bool,
}

pub fn run(s: &Settings) -> Result<u8> {
    let history_path = s
        .against
        .clone()
        .unwrap_or_else(|| history::beside(&s.scenario));
    let mut war = War::load(&s.scenario, &history_path)?;
    if s.draft_when_ripe && !war.draft_when_ripe() {
        eprintln!(
            "note: --draft-when-ripe changes nothing here: {}'s settlement text is not \
             opened on a date",
            war.id
        );
    }
    if !s.sets.is_empty() {
        let file = s.scenario.display().to_string();
        let changed = whatif::apply(&file, &war.loaded, &s.sets)?;
        // The facts name the last day, which a what-if may move.
        war.facts = super::facts::Facts::new(&war.record, &changed.compiled);
        war.compiled = std::sync::Arc::new(changed.compiled);
    }
    let warnings = history::render_warnings(&war.record);
    if !warnings.is_empty() {
        eprint!("{warnings}");
    }
    let score = score_one(&war, s.runs, &s.exec)?;
    if s.json {
        let mut text = serde_json::to_string_pretty(&score)
            .map_err(|e| crate::error::Error::runtime(format!("cannot encode the report: {e}")))?;
        text.push('\n');
        crate::report::write_stdout(&text)?;
    } else {
        crate::report::write_stdout(&card::table(&score))?;
    }
    Ok(0)
}

/// Plays and scores one war; its reference class is the other wars of its folder.
fn score_one(war: &War, runs: u64, exec: &Execution) -> Result<WarScore> {
    let others = neighbours(&war.scenario_path, &war.id);
    let mut rates: Vec<&super::baseline::Rates> = vec![&war.rates];
    rates.extend(others.iter().map(|w| &w.rates));
    let reference = reference_for(&rates, 0);
    let bar = progress(exec, runs);
    let counts = play(
        std::slice::from_ref(&war.compiled),
        &[&war.facts],
        runs,
        exec,
        &bar,
    )?;
    bar.finish_and_clear();
    Ok(card::score(
        &war.facts,
        &counts[0],
        &reference,
        &Names {
            scenario: &war.id,
            history: &war.record.file,
            seed: exec.seed,
            last_day: war.compiled.max_turns,
            limits: &war.limits,
        },
    ))
}

/// The other wars beside a scenario; those whose files do not load are left out
/// with a note, since they are not what was asked about.
fn neighbours(scenario: &Path, id: &str) -> Vec<War> {
    let dir = match scenario.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let paths = super::history_files(&dir).unwrap_or_default();
    let mut wars = vec![];
    for h in paths {
        match history::load_beside(&h) {
            Ok(b) if b.scenario.compiled.id != id => {
                wars.push(War::new(&b.scenario_path, b.scenario, b.record));
            }
            Ok(_) => {}
            Err(_) => eprintln!(
                "note: the reference class leaves out {}: it does not load (`truce check` it)",
                h.display()
            ),
        }
    }
    wars
}
