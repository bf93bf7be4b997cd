//! A war's scorecard: each fact and figure scored for the model and for both
//! baselines, the war's mean scores, and the model's skill against each baseline.

use std::fmt::Write as _;

use serde::Serialize;

use super::baseline::{Reference, uninformed_figure};
use super::facts::{Class, Counts, Facts};
use super::scores::{brier, covers, crps, log_scale, log_score, quantile, shrunk, skill};

/// Mean scores of one forecaster over a war's facts and figures (lower is better).
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Scores {
    pub brier: f64,
    pub log_score: f64,
    /// Mean CRPS of the figures on the ln(1 + x) scale; `None` without figures.
    pub crps: Option<f64>,
}

/// Skill against a baseline, part by part.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Skills {
    pub brier: f64,
    pub log_score: f64,
    pub crps: Option<f64>,
}

impl Scores {
    /// The skill of `self` against `base`: the mean of the Brier skill and the CRPS
    /// skill (the Brier skill alone without figures), and each part.
    pub fn skill(&self, base: &Scores) -> (f64, Skills) {
        let parts = Skills {
            brier: skill(self.brier, base.brier),
            log_score: skill(self.log_score, base.log_score),
            crps: self.crps.zip(base.crps).map(|(a, b)| skill(a, b)),
        };
        let combined = match parts.crps {
            Some(c) => (parts.brier + c) / 2.0,
            None => parts.brier,
        };
        (combined, parts)
    }

    /// The mean of several wars' scores.
    pub fn mean<'a>(all: impl Iterator<Item = &'a Scores> + Clone) -> Scores {
        let n = all.clone().count().max(1) as f64;
        let crps: Vec<f64> = all.clone().filter_map(|s| s.crps).collect();
        Scores {
            brier: all.clone().map(|s| s.brier).sum::<f64>() / n,
            log_score: all.map(|s| s.log_score).sum::<f64>() / n,
            crps: (!crps.is_empty()).then(|| crps.iter().sum::<f64>() / crps.len() as f64),
        }
    }
}

/// The four questions a record answers. A war's Brier and log scores are the mean over
/// the parts it has of the mean over each part's facts, so that a record listing many
/// regions, or many truces, does not make its score a score of that part alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// Truces signed, and how they ended.
    Truces,
    /// Whether and how the war ended in a settlement.
    End,
    /// Ground taken, and ground that never fell.
    Ground,
    /// Texts never signed, mediators who never got a signature.
    Refusals,
}

impl Part {
    pub const ALL: [Part; 4] = [Part::Truces, Part::End, Part::Ground, Part::Refusals];

    pub fn of(class: Class) -> Part {
        match class {
            Class::TruceSigned | Class::TruceEnded => Part::Truces,
            Class::Capture | Class::NeverFell => Part::Ground,
            Class::NeverSigned | Class::NeverBrokered => Part::Refusals,
            Class::Settled
            | Class::NotSettled
            | Class::SettlementAfterCapture
            | Class::SettlementBroker
            | Class::SettlementPeacekeepers
            | Class::SettlementWithoutPeacekeepers
            | Class::NoLastingDeal
            | Class::SettlementText => Part::End,
        }
    }
}

/// The mean over the parts present of the mean of each part's scores.
pub fn by_parts(scores: &[(f64, Part)]) -> f64 {
    let means: Vec<f64> = Part::ALL
        .iter()
        .filter_map(|part| {
            let inside: Vec<f64> = scores
                .iter()
                .filter(|(_, p)| p == part)
                .map(|(x, _)| *x)
                .collect();
            (!inside.is_empty()).then(|| inside.iter().sum::<f64>() / inside.len() as f64)
        })
        .collect();
    if means.is_empty() {
        0.0
    } else {
        means.iter().sum::<f64>() / means.len() as f64
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FactLine {
    pub fact: String,
    pub class: Class,
    pub part: Part,
    /// Runs that agree, of the runs it is judged on.
    pub agree: u64,
    pub of: u64,
    /// The forecast: (agree + 0.5) / (of + 1).
    pub probability: f64,
    pub brier: f64,
    pub log_score: f64,
    pub reference: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureLine {
    pub name: String,
    pub real: f64,
    /// The runs' quantiles: 5%, 25%, 50%, 75%, 95%.
    pub quantiles: Option<[f64; 5]>,
    pub in50: Option<bool>,
    pub in90: Option<bool>,
    pub crps: Option<f64>,
    pub crps_uninformed: f64,
    pub crps_reference: f64,
    /// Other wars' values the reference forecast is made of (0: the prior stands in).
    pub reference_values: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct WarScore {
    pub scenario: String,
    pub history: String,
    pub seed: u64,
    pub runs: u64,
    pub failed: u64,
    #[serde(flatten)]
    pub judged: Judged,
    /// Other wars the reference class is drawn from.
    pub reference_wars: u64,
    /// The mean of the runs' shares agreeing with each fact and of each figure's
    /// closeness exp(−|ln(median / real)|): the old, improper score, kept for comparison.
    pub mean_share: f64,
    pub facts: Vec<FactLine>,
    pub figures: Vec<FigureLine>,
    pub limits: Vec<String>,
}

/// The model's scores beside both baselines', and its skill against each.
#[derive(Debug, Clone, Serialize)]
pub struct Judged {
    pub brier: f64,
    pub log_score: f64,
    pub crps: Option<f64>,
    pub baseline_uninformed: Scores,
    pub baseline_reference: Scores,
    pub skill_uninformed: f64,
    pub skill_reference: f64,
    pub skills_uninformed: Skills,
    pub skills_reference: Skills,
}

impl Judged {
    pub fn new(model: Scores, uninformed: Scores, reference: Scores) -> Judged {
        let (skill_uninformed, skills_uninformed) = model.skill(&uninformed);
        let (skill_reference, skills_reference) = model.skill(&reference);
        Judged {
            brier: model.brier,
            log_score: model.log_score,
            crps: model.crps,
            baseline_uninformed: uninformed,
            baseline_reference: reference,
            skill_uninformed,
            skill_reference,
            skills_uninformed,
            skills_reference,
        }
    }

    pub fn model(&self) -> Scores {
        Scores {
            brier: self.brier,
            log_score: self.log_score,
            crps: self.crps,
        }
    }
}

pub struct Names<'a> {
    pub scenario: &'a str,
    pub history: &'a str,
    pub seed: u64,
    pub last_day: u32,
    pub limits: &'a [String],
}

/// Scores `counts` of runs against the facts, beside both baselines.
pub fn score(facts: &Facts, counts: &Counts, reference: &Reference, names: &Names) -> WarScore {
    let mut lines = vec![];
    let (mut model, mut uninformed, mut refer) = (vec![], vec![], vec![]);
    let mut shares = vec![];
    for (k, f) in facts.facts.iter().enumerate() {
        let (agree, of) = (counts.agree[k], counts.of[k]);
        let p = shrunk(agree, of);
        let pr = reference.probability(f);
        model.push((brier(p, true), log_score(p, true)));
        uninformed.push((brier(0.5, true), log_score(0.5, true)));
        refer.push((brier(pr, true), log_score(pr, true)));
        shares.push(if of == 0 {
            0.0
        } else {
            agree as f64 / of as f64
        });
        lines.push(FactLine {
            fact: f.text.clone(),
            class: f.class,
            part: Part::of(f.class),
            agree,
            of,
            probability: p,
            brier: brier(p, true),
            log_score: log_score(p, true),
            reference: pr,
        });
    }
    let mut figures = vec![];
    for (k, f) in facts.figures.iter().enumerate() {
        let mut runs = counts.values[k].clone();
        runs.sort_by(f64::total_cmp);
        let y = log_scale(f.real);
        let on_scale = |v: &[f64]| v.iter().map(|x| log_scale(*x)).collect::<Vec<_>>();
        let prior = on_scale(&uninformed_figure(&f.measure, names.last_day));
        let others = reference.figure(&f.measure);
        let crps_uninformed = crps(&prior, y).unwrap_or(0.0);
        let crps_reference = match crps(&on_scale(&others), y) {
            Some(c) => c,
            None => crps_uninformed,
        };
        let q = |p: f64| quantile(&runs, p);
        let quantiles = q(0.5).map(|_| [0.05, 0.25, 0.5, 0.75, 0.95].map(|p| q(p).unwrap_or(0.0)));
        if let Some(m) = q(0.5) {
            shares.push(if m > 0.0 && f.real > 0.0 {
                (-(m / f.real).ln().abs()).exp()
            } else {
                0.0
            });
        }
        figures.push(FigureLine {
            name: f.name.clone(),
            real: f.real,
            quantiles,
            in50: covers(&runs, f.real, 0.5),
            in90: covers(&runs, f.real, 0.9),
            crps: crps(&on_scale(&runs), y),
            crps_uninformed,
            crps_reference,
            reference_values: others.len(),
        });
    }
    let parts: Vec<Part> = facts.facts.iter().map(|f| Part::of(f.class)).collect();
    let mean = |v: &[(f64, f64)], pick: fn(&(f64, f64)) -> f64| {
        let tagged: Vec<(f64, Part)> = v.iter().map(pick).zip(parts.iter().copied()).collect();
        by_parts(&tagged)
    };
    let mean_crps = |pick: fn(&FigureLine) -> Option<f64>| {
        let v: Vec<f64> = figures.iter().filter_map(pick).collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let scores = |v: &[(f64, f64)], crps: Option<f64>| Scores {
        brier: mean(v, |x| x.0),
        log_score: mean(v, |x| x.1),
        crps,
    };
    let m = scores(&model, mean_crps(|f| f.crps));
    let u = scores(&uninformed, mean_crps(|f| Some(f.crps_uninformed)));
    let r = scores(&refer, mean_crps(|f| Some(f.crps_reference)));
    WarScore {
        scenario: names.scenario.to_string(),
        history: names.history.to_string(),
        seed: names.seed,
        runs: counts.runs,
        failed: counts.failed,
        judged: Judged::new(m, u, r),
        reference_wars: reference.wars(),
        mean_share: if shares.is_empty() {
            0.0
        } else {
            shares.iter().sum::<f64>() / shares.len() as f64
        },
        facts: lines,
        figures,
        limits: names.limits.to_vec(),
    }
}

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or("-".into(), |v| format!("{v:.digits$}"))
}

/// The scorecard as a table, for `truce calibrate`.
pub fn table(w: &WarScore) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} against {} — {} runs, seed {}\n",
        w.scenario, w.history, w.runs, w.seed
    );
    let _ = writeln!(
        out,
        "{:<56} {:>13} {:>7} {:>7} {:>6}",
        "fact", "runs", "p", "Brier", "ref p"
    );
    for f in &w.facts {
        let _ = writeln!(
            out,
            "{:<56} {:>6}/{:<6} {:>7.3} {:>7.3} {:>6.2}",
            f.fact, f.agree, f.of, f.probability, f.brier, f.reference
        );
    }
    if !w.figures.is_empty() {
        let _ = writeln!(
            out,
            "\n{:<30} {:>9} {:>9} {:>19} {:>4} {:>4} {:>6} {:>6} {:>6}",
            "figure", "real", "median", "50% interval", "50%", "90%", "CRPS", "unif", "ref"
        );
        for f in &w.figures {
            let (median, interval) = f.quantiles.map_or(("-".into(), "-".into()), |q| {
                (format!("{:.0}", q[2]), format!("{:.0}–{:.0}", q[1], q[3]))
            });
            let yes = |b: Option<bool>| match b {
                Some(true) => "yes",
                Some(false) => "no",
                None => "-",
            };
            let _ = writeln!(
                out,
                "{:<30} {:>9.0} {:>9} {:>19} {:>4} {:>4} {:>6} {:>6.3} {:>6.3}",
                f.name,
                f.real,
                median,
                interval,
                yes(f.in50),
                yes(f.in90),
                opt(f.crps, 3),
                f.crps_uninformed,
                f.crps_reference
            );
        }
    }
    let _ = writeln!(
        out,
        "\n{:<22} {:>7} {:>9} {:>7}",
        "", "Brier", "log score", "CRPS"
    );
    let row = |out: &mut String, name: &str, s: &Scores| {
        let _ = writeln!(
            out,
            "{:<22} {:>7.3} {:>9.3} {:>7}",
            name,
            s.brier,
            s.log_score,
            opt(s.crps, 3)
        );
    };
    let j = &w.judged;
    row(&mut out, "model", &j.model());
    row(&mut out, "uninformed baseline", &j.baseline_uninformed);
    let name = format!("reference ({} wars)", w.reference_wars);
    row(&mut out, &name, &j.baseline_reference);
    let _ = writeln!(
        out,
        "\nskill: {:+.3} against the uninformed baseline, {:+.3} against the reference class",
        j.skill_uninformed, j.skill_reference
    );
    let _ = writeln!(
        out,
        "       (1 − score / baseline score; the mean of the Brier and CRPS skills; above 0 beats it)"
    );
    let _ = writeln!(
        out,
        "mean share: {:.3} (the mean of the shares and closenesses; not a proper score)",
        w.mean_share
    );
    if w.failed > 0 {
        let _ = writeln!(out, "{} runs failed and are not counted", w.failed);
    }
    for l in &w.limits {
        let _ = writeln!(out, "limit: {l}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_part_of_the_record_weighs_the_same() {
        let m = Scores {
            brier: 0.1,
            log_score: 0.3,
            crps: Some(0.5),
        };
        let base = Scores {
            brier: 0.25,
            log_score: 0.6,
            crps: Some(1.0),
        };
        let (combined, parts) = m.skill(&base);
        assert!((parts.brier - 0.6).abs() < 1e-12);
        assert!((parts.crps.unwrap() - 0.5).abs() < 1e-12);
        assert!((combined - 0.55).abs() < 1e-12);
        assert_eq!(Part::of(Class::NeverFell), Part::Ground);
        // Ten facts about the ground weigh as much as one about the end.
        let mut v = vec![(0.0, Part::Ground); 10];
        v.push((1.0, Part::End));
        assert!((by_parts(&v) - 0.5).abs() < 1e-12);
        assert_eq!(by_parts(&[]), 0.0);
        assert_eq!(Part::of(Class::SettlementText), Part::End);
    }
}
