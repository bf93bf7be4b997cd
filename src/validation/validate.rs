//! `truce validate DIR`: every war of a library scored, each against the uninformed
//! baseline and against the reference class of the other wars.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use super::card::{self, Judged, Names, Scores, WarScore};
use super::{Execution, War, library, play, progress, reference_for};
use crate::error::{Error, Result};

/// What `truce validate` is asked to do.
#[derive(Debug, Clone)]
pub struct Settings {
    pub dir: PathBuf,
    pub runs: u64,
    pub exec: Execution,
    pub json: bool,
    /// Score each war with its dated settlement text drafted when the war is ripe.
    pub draft_when_ripe: bool,
}

/// The library's scores together.
#[derive(Debug, Clone, Serialize)]
pub struct Overall {
    pub wars: usize,
    pub runs: u64,
    #[serde(flatten)]
    pub judged: Judged,
}

#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    pub seed: u64,
    pub wars: Vec<WarScore>,
    pub overall: Overall,
}

pub fn run(s: &Settings) -> Result<u8> {
    let wars = library(&s.dir, s.draft_when_ripe)?;
    for w in &wars {
        let warnings = super::history::render_warnings(&w.record);
        if !warnings.is_empty() && !s.exec.quiet {
            eprint!("{warnings}");
        }
    }
    let scenarios: Vec<Arc<_>> = wars.iter().map(|w| w.compiled.clone()).collect();
    let every: Vec<&War> = wars.iter().collect();
    let v = validate(&every, &scenarios, s.runs, &s.exec)?;
    let text = if s.json {
        let mut t = serde_json::to_string_pretty(&v)
            .map_err(|e| Error::runtime(format!("cannot encode the report: {e}")))?;
        t.push('\n');
        t
    } else {
        table(&v)
    };
    crate::report::write_stdout(&text)?;
    Ok(0)
}

/// Plays `runs` of each of `scenarios` (the wars' scenarios, or variants of them with
/// other constants) and scores each war against its record.
pub fn validate(
    wars: &[&War],
    scenarios: &[Arc<crate::scenario::Compiled>],
    runs: u64,
    exec: &Execution,
) -> Result<Validation> {
    let facts: Vec<_> = wars.iter().map(|w| &w.facts).collect();
    let bar = progress(exec, runs * wars.len() as u64);
    let counts = play(scenarios, &facts, runs, exec, &bar)?;
    bar.finish_and_clear();
    let rates: Vec<_> = wars.iter().map(|w| &w.rates).collect();
    let scored: Vec<WarScore> = wars
        .iter()
        .zip(&counts)
        .enumerate()
        .map(|(i, (w, c))| {
            card::score(
                &w.facts,
                c,
                &reference_for(&rates, i),
                &Names {
                    scenario: &w.id,
                    history: &w.record.file,
                    seed: exec.seed,
                    last_day: scenarios[i].max_turns,
                    limits: &w.limits,
                },
            )
        })
        .collect();
    let overall = overall(&scored);
    Ok(Validation {
        seed: exec.seed,
        wars: scored,
        overall,
    })
}

/// Means over the wars (each war weighs the same), and the skill of the means.
pub fn overall(wars: &[WarScore]) -> Overall {
    let models: Vec<Scores> = wars.iter().map(|w| w.judged.model()).collect();
    let m = Scores::mean(models.iter());
    let u = Scores::mean(wars.iter().map(|w| &w.judged.baseline_uninformed));
    let r = Scores::mean(wars.iter().map(|w| &w.judged.baseline_reference));
    Overall {
        wars: wars.len(),
        runs: wars.iter().map(|w| w.runs).sum(),
        judged: Judged::new(m, u, r),
    }
}

fn opt(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{v:.3}"))
}

pub fn table(v: &Validation) -> String {
    let mut out = String::new();
    let runs = v.wars.first().map_or(0, |w| w.runs);
    let _ = writeln!(
        out,
        "{} wars, {runs} runs each, seed {}\n",
        v.wars.len(),
        v.seed
    );
    let _ = writeln!(
        out,
        "{:<22} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>8} {:>8}",
        "war", "facts", "Brier", "unif", "ref", "log", "CRPS", "unif", "ref", "skill/u", "skill/r"
    );
    let row = |out: &mut String, name: &str, n: String, j: &Judged| {
        let (m, u, r) = (j.model(), &j.baseline_uninformed, &j.baseline_reference);
        let _ = writeln!(
            out,
            "{:<22} {:>5} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6} {:>6} {:>6} {:>+8.3} {:>+8.3}",
            name,
            n,
            m.brier,
            u.brier,
            r.brier,
            m.log_score,
            opt(m.crps),
            opt(u.crps),
            opt(r.crps),
            j.skill_uninformed,
            j.skill_reference
        );
    };
    for w in &v.wars {
        row(&mut out, &w.scenario, w.facts.len().to_string(), &w.judged);
    }
    row(&mut out, "overall", String::new(), &v.overall.judged);
    let _ = writeln!(
        out,
        "\nBrier and log score over each war's facts, CRPS over its figures on the ln(1 + x) \
         scale (lower is better);\nunif: every fact 50%, figures from a wide prior; ref: the \
         base rates of the other wars.\nskill = 1 − score / baseline score, the mean of the \
         Brier and CRPS skills: above 0 beats the baseline."
    );
    let failed: u64 = v.wars.iter().map(|w| w.failed).sum();
    if failed > 0 {
        let _ = writeln!(out, "{failed} runs failed and are not counted");
    }
    let dated: Vec<&str> = v
        .wars
        .iter()
        .filter(|w| w.limits.iter().any(|l| l.starts_with(super::DATED_END)))
        .map(|w| w.scenario.as_str())
        .collect();
    if !dated.is_empty() {
        let _ = writeln!(
            out,
            "dated ends: {} open their settlement texts on a date, so the day they end is \
             the scenario's;\n\
             `--draft-when-ripe` leaves it to the model (`truce calibrate` on each says \
             more).",
            crate::sim::diplomacy::and_list(&dated)
        );
    }
    out
}
