//! `truce fit DIR`: the model's constants searched jointly across a library of wars,
//! and scored out of sample by leaving one war out.
//!
//! The objective is the mean over the wars fitted of 1 − skill against the uninformed
//! baseline (the mean of the Brier and CRPS ratios), so each war weighs the same
//! whatever its number of facts. A constant that a scenario sets in its own `model:`
//! block (from its sources) stays as the scenario sets it; the fit moves the defaults
//! that every other scenario takes.
//!
//! The search is a coordinate (pattern) search on a log scale: each constant in turn
//! is multiplied and divided by the step, a move kept when it lowers the objective;
//! a round with no move shrinks the step to its square root. Every evaluation plays
//! the same seeds (common random numbers), so two candidates differ by their
//! constants, not by their luck. It is deterministic.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use super::validate::{Validation, validate};
use super::{Execution, War, library};
use crate::error::{Error, Result};
use crate::scenario::Compiled;
use crate::scenario::schema::ModelParams;
use crate::scenario::spans::{self, NodeKind, Seg};

/// The constants fitted by default, with the range each is kept in (within the
/// range a scenario may set; see docs/scenarios.md, `Model`).
pub const DEFAULT_PARAMS: &[(&str, f64, f64)] = &[
    ("lambda", 2.0, 100.0),
    ("capture_rate", 0.005, 0.5),
    ("loss_rate", 1.0, 100.0),
    ("signing_cost", 0.002, 0.5),
    ("base_hazard", 0.002, 0.5),
    ("defect_weight", 1.0, 100.0),
    ("incentive_weight", 0.02, 4.0),
    ("cost_weight", 0.5, 60.0),
    ("civilian_rate", 0.02, 10.0),
    ("flight_rate", 0.0005, 0.2),
];

/// Constants that can be fitted when named (`--param`), beyond the defaults: the
/// mechanics that are off by default (at 0, so give the search a `--start` above it:
/// it moves by multiplying).
pub const MORE_PARAMS: &[(&str, f64, f64)] = &[
    ("concentration", 0.01, 10.0),
    ("reserves", 0.01, 10.0),
    ("truce_decay_days", 0.1, 365.0),
    ("commitment_weight", 0.01, 10.0),
    ("breach_cost", 0.0005, 10.0),
    ("coordination", 0.01, 1.0),
    ("unilateral_hurt", 0.005, 1.0),
    ("aspiration_rate", 0.001, 1.0),
    ("capital_weight", 0.01, 1.0),
    ("force_exponent", 0.5, 5.0),
    ("precipice", 0.001, 0.5),
    ("terrain_weight", 0.1, 10.0),
];

/// What `truce fit` is asked to do.
#[derive(Debug, Clone)]
pub struct Settings {
    pub dir: PathBuf,
    /// Fit on every war but this one and score it.
    pub leave_out: Option<String>,
    /// Every fold of leave-one-out, and the fit on all wars.
    pub each: bool,
    pub runs: u64,
    pub rounds: u32,
    /// Constants to fit, by name; empty for [`DEFAULT_PARAMS`].
    pub params: Vec<String>,
    /// Where the search starts, for constants named here, instead of their defaults.
    pub start: Vec<(String, f64)>,
    pub exec: Execution,
    pub json: bool,
    /// Fit and score each war with its dated settlement text drafted when the war is
    /// ripe.
    pub draft_when_ripe: bool,
}

/// A point of the search: a value for each constant fitted.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Point {
    pub values: Vec<(String, f64)>,
}

/// The outcome of one search.
#[derive(Debug, Clone, Serialize)]
pub struct Search {
    /// The wars fitted on.
    pub wars: Vec<String>,
    pub start: Point,
    pub fitted: Point,
    /// The objective (mean of 1 − skill) at the start and at the end.
    pub start_objective: f64,
    pub objective: f64,
    pub evaluations: u32,
}

/// One fold: the war left out, scored with the constants fitted on the others.
#[derive(Debug, Clone, Serialize)]
pub struct Fold {
    pub left_out: String,
    pub fitted: Point,
    pub skill_uninformed: f64,
    pub skill_reference: f64,
    /// The war's skill with the starting constants, for comparison.
    pub start_skill_uninformed: f64,
    pub start_skill_reference: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FitReport {
    pub runs: u64,
    pub seed: u64,
    pub search: Option<Search>,
    /// The library scored with the constants fitted on all of it (in sample).
    pub in_sample: Option<Validation>,
    pub folds: Vec<Fold>,
}

pub fn run(s: &Settings) -> Result<u8> {
    let wars = library(&s.dir, s.draft_when_ripe)?;
    let params = params(&s.params)?;
    if let Some(id) = &s.leave_out
        && !wars.iter().any(|w| &w.id == id)
    {
        let ids: Vec<&str> = wars.iter().map(|w| w.id.as_str()).collect();
        let hint = crate::scenario::diagnostic::suggest(id, ids.iter().copied()).map_or_else(
            || format!("the wars are {}", ids.join(", ")),
            |s| format!("did you mean `{s}`?"),
        );
        return Err(Error::bad_input(format!(
            "error: no war `{id}` in {}\n  = hint: {hint}",
            s.dir.display()
        )));
    }
    if wars.len() < 2 && (s.leave_out.is_some() || s.each) {
        return Err(Error::bad_input(
            "error: leaving a war out needs at least two wars in the library".to_string(),
        ));
    }
    let mut report = FitReport {
        runs: s.runs,
        seed: s.exec.seed,
        search: None,
        in_sample: None,
        folds: vec![],
    };
    let folds: Vec<&str> = match (&s.leave_out, s.each) {
        (Some(id), _) => vec![id.as_str()],
        (None, true) => wars.iter().map(|w| w.id.as_str()).collect(),
        (None, false) => vec![],
    };
    let all: Vec<usize> = (0..wars.len()).collect();
    let every: Vec<&War> = wars.iter().collect();
    let start = start_point(&params, &s.start)?;
    if s.leave_out.is_none() {
        let search = search(&wars, &all, &params, s, "all wars")?;
        let scenarios = variants(&every, &search.fitted);
        report.in_sample = Some(validate(&every, &scenarios, s.runs, &quiet(&s.exec))?);
        report.search = Some(search);
    }
    if !folds.is_empty() {
        let base = validate(&every, &variants(&every, &start), s.runs, &quiet(&s.exec))?;
        for id in folds {
            let k = wars.iter().position(|w| w.id == id).expect("checked above");
            let rest: Vec<usize> = all.iter().copied().filter(|&i| i != k).collect();
            let search = search(&wars, &rest, &params, s, &format!("without {id}"))?;
            let scored = validate(
                &every,
                &variants(&every, &search.fitted),
                s.runs,
                &quiet(&s.exec),
            )?;
            report.folds.push(Fold {
                left_out: id.to_string(),
                fitted: search.fitted,
                skill_uninformed: scored.wars[k].judged.skill_uninformed,
                skill_reference: scored.wars[k].judged.skill_reference,
                start_skill_uninformed: base.wars[k].judged.skill_uninformed,
                start_skill_reference: base.wars[k].judged.skill_reference,
            });
        }
    }
    let text = if s.json {
        let mut t = serde_json::to_string_pretty(&report)
            .map_err(|e| Error::runtime(format!("cannot encode the report: {e}")))?;
        t.push('\n');
        t
    } else {
        table(&report)
    };
    crate::report::write_stdout(&text)?;
    Ok(0)
}

fn quiet(e: &Execution) -> Execution {
    Execution { quiet: true, ..*e }
}

/// The constants to fit, with their ranges.
fn params(names: &[String]) -> Result<Vec<(&'static str, f64, f64)>> {
    if names.is_empty() {
        return Ok(DEFAULT_PARAMS.to_vec());
    }
    let all = || DEFAULT_PARAMS.iter().chain(MORE_PARAMS);
    let known: Vec<&str> = all().map(|p| p.0).collect();
    names
        .iter()
        .flat_map(|n| n.split(','))
        .map(|n| {
            all().find(|p| p.0 == n.trim()).copied().ok_or_else(|| {
                let hint = crate::scenario::diagnostic::suggest(n, known.iter().copied())
                    .map_or_else(
                        || format!("constants that can be fitted: {}", known.join(", ")),
                        |s| format!("did you mean `{s}`?"),
                    );
                Error::bad_input(format!(
                    "error: `{n}` is not a constant `truce fit` can vary\n  = hint: {hint}"
                ))
            })
        })
        .collect()
}

/// Where every search starts: the constants' defaults, or the values asked for.
fn start_point(params: &[(&'static str, f64, f64)], asked: &[(String, f64)]) -> Result<Point> {
    for (name, _) in asked {
        if !params.iter().any(|p| p.0 == name) {
            return Err(Error::bad_input(format!(
                "error: --start {name}=...: `{name}` is not among the constants fitted\n  = \
                 hint: fitted here: {}",
                params.iter().map(|p| p.0).collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let mut m = ModelParams::default();
    Ok(Point {
        values: params
            .iter()
            .map(|(n, _, _)| {
                let default = *m.real_mut(n).expect("a fitted constant");
                let v = asked
                    .iter()
                    .rev()
                    .find(|(a, _)| a == n)
                    .map_or(default, |a| a.1);
                (n.to_string(), v)
            })
            .collect(),
    })
}

/// The constants a scenario sets in its own `model:` block, by name.
pub fn model_fields(source: &str) -> Vec<String> {
    let Some(tree) = spans::parse(source) else {
        return vec![];
    };
    let model = tree.locate(&[Seg::Field("model")]);
    match &model.kind {
        NodeKind::Struct { fields } if !std::ptr::eq(model, &tree) => {
            fields.iter().map(|(name, _, _)| name.clone()).collect()
        }
        _ => vec![],
    }
}

/// Each war's scenario with the point's constants, except those it sets itself.
pub fn variants(wars: &[&War], point: &Point) -> Vec<Arc<Compiled>> {
    wars.iter()
        .map(|w| {
            let mut c: Compiled = (*w.compiled).clone();
            for (name, v) in &point.values {
                if !w.own_constants.contains(name)
                    && let Some(slot) = c.model.real_mut(name)
                {
                    *slot = *v;
                }
            }
            Arc::new(c)
        })
        .collect()
}

/// Mean of 1 − skill against the uninformed baseline over wars `which`.
fn objective(
    wars: &[War],
    which: &[usize],
    point: &Point,
    runs: u64,
    exec: &Execution,
) -> Result<f64> {
    let chosen: Vec<&War> = which.iter().map(|&i| &wars[i]).collect();
    let scenarios = variants(&chosen, point);
    let v = validate(&chosen, &scenarios, runs, exec)?;
    Ok(v.wars
        .iter()
        .map(|w| 1.0 - w.judged.skill_uninformed)
        .sum::<f64>()
        / v.wars.len() as f64)
}

fn search(
    wars: &[War],
    which: &[usize],
    params: &[(&'static str, f64, f64)],
    s: &Settings,
    label: &str,
) -> Result<Search> {
    let exec = quiet(&s.exec);
    let start = start_point(params, &s.start)?;
    let most = u64::from(s.rounds) * params.len() as u64 * 2 + 1;
    let bar = crate::batch::progress(s.exec.quiet, most, 0);
    bar.set_message(format!("fitting on {label}"));
    let mut best = start.clone();
    let mut best_obj = objective(wars, which, &best, s.runs, &exec)?;
    let start_obj = best_obj;
    bar.inc(1);
    let mut evaluations = 1;
    let mut step: f64 = 1.5;
    for _ in 0..s.rounds {
        let mut moved = false;
        for (k, (_, lo, hi)) in params.iter().enumerate() {
            for up in [true, false] {
                let mut cand = best.clone();
                let v = &mut cand.values[k].1;
                *v = tidy(if up { *v * step } else { *v / step }).clamp(*lo, *hi);
                if cand == best {
                    continue;
                }
                let o = objective(wars, which, &cand, s.runs, &exec)?;
                evaluations += 1;
                bar.inc(1);
                if o < best_obj - 1e-12 {
                    best = cand;
                    best_obj = o;
                    moved = true;
                    bar.set_message(format!("fitting on {label}: {best_obj:.4}"));
                    break;
                }
            }
        }
        if !moved {
            step = step.sqrt();
            if step < 1.02 {
                break;
            }
        }
    }
    bar.finish_and_clear();
    Ok(Search {
        wars: which.iter().map(|&i| wars[i].id.clone()).collect(),
        start,
        fitted: best,
        start_objective: start_obj,
        objective: best_obj,
        evaluations,
    })
}

/// Three significant digits: fitted values are written back into files.
fn tidy(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let digits = 2 - v.abs().log10().floor() as i32;
    let f = 10f64.powi(digits);
    (v * f).round() / f
}

fn table(r: &FitReport) -> String {
    let mut out = String::new();
    if let Some(s) = &r.search {
        let _ = writeln!(
            out,
            "fitted on {} wars ({} runs each, seed {}), {} evaluations: objective {:.4} → {:.4} \
             (mean of 1 − skill against the uninformed baseline)\n",
            s.wars.len(),
            r.runs,
            r.seed,
            s.evaluations,
            s.start_objective,
            s.objective
        );
        let _ = writeln!(out, "{:<18} {:>10} {:>10}", "constant", "default", "fitted");
        for ((n, a), (_, b)) in s.start.values.iter().zip(&s.fitted.values) {
            let _ = writeln!(out, "{n:<18} {a:>10} {b:>10}");
        }
        let block: Vec<String> = s
            .fitted
            .values
            .iter()
            .map(|(n, v)| format!("{n}: {v:?}"))
            .collect();
        let _ = writeln!(out, "\nas a model block: model: ({}),\n", block.join(", "));
    }
    if let Some(v) = &r.in_sample {
        let _ = writeln!(out, "in sample:");
        out.push_str(&super::validate::table(v));
        out.push('\n');
    }
    if !r.folds.is_empty() {
        let _ = writeln!(
            out,
            "leave-one-out: each war scored with the constants fitted on the others\n"
        );
        let _ = writeln!(
            out,
            "{:<22} {:>10} {:>10} {:>12} {:>12}",
            "war left out", "skill/u", "skill/r", "default s/u", "default s/r"
        );
        for f in &r.folds {
            let _ = writeln!(
                out,
                "{:<22} {:>+10.3} {:>+10.3} {:>+12.3} {:>+12.3}",
                f.left_out,
                f.skill_uninformed,
                f.skill_reference,
                f.start_skill_uninformed,
                f.start_skill_reference
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_keeps_three_significant_digits() {
        assert_eq!(tidy(0.0123456), 0.0123);
        assert_eq!(tidy(37.5), 37.5);
        assert_eq!(tidy(1234.5), 1230.0);
    }

    #[test]
    fn a_constant_in_the_model_block_is_the_scenario_s_own() {
        let src = "Scenario(id: \"x\", model: (lambda: 3.0), issues: [])";
        assert!(model_fields(src).iter().any(|f| f == "lambda"));
        assert!(!model_fields(src).iter().any(|f| f == "loss_rate"));
        assert!(
            !model_fields("Scenario(id: \"x\")")
                .iter()
                .any(|f| f == "lambda")
        );
    }
}
