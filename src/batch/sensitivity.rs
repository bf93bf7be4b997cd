//! `truce sensitivity`: one-at-a-time sensitivity analysis.
//!
//! Every number under the chosen paths (by default the model's constants) is set in
//! turn below and above its value, and each setting plays the same seeded runs as the
//! baseline (common random numbers), so that differences come from the parameter and
//! not from luck. Parameters are ranked by how far they move the chance of a durable
//! agreement, then by how far they move its timing; a tornado chart shows both.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::plan::{Manifest, Plan};
use super::record::PointStats;
use super::runner;
use super::summary::Share;
use super::whatif::{self, Number, Set};
use crate::atomic;
use crate::error::{Error, Result};
use crate::report::plots::{self, TornadoRow};
use crate::scenario;

/// What one setting of the scenario gives.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Effect {
    pub value: f64,
    pub durable: Share,
    /// Median day of the durable agreement, among runs that reach one.
    pub durable_day: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub path: String,
    pub baseline: f64,
    pub low: Option<Effect>,
    pub high: Option<Effect>,
    /// Why a setting could not be run (its value is out of range for the field).
    pub skipped: Vec<String>,
    /// |P(durable) at high − at low|.
    pub swing: f64,
    /// |median durable day at high − at low|.
    pub day_swing: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub scenario: String,
    pub seed: u64,
    pub runs_per_setting: u64,
    pub spread: f64,
    pub baseline: Effect,
    /// Parameters, the most influential first.
    pub parameters: Vec<Row>,
}

/// What `truce sensitivity` is asked to do.
#[derive(Debug, Clone)]
pub struct Settings {
    pub scenario: PathBuf,
    /// Runs per setting, the same seeds for every setting.
    pub runs: u64,
    /// Paths whose numbers are varied (`model`, `actors.turkey`).
    pub params: Vec<String>,
    /// How far each number moves down and up, as a fraction of its value.
    pub spread: f64,
    pub exec: super::Execution,
    /// Output folder; `None` for out/<scenario>-sensitivity-<date>-<time>.
    pub out: Option<PathBuf>,
    /// Parameters listed in the table.
    pub top: usize,
}

pub fn run(args: &Settings) -> Result<u8> {
    let loaded = scenario::load(&args.scenario)?;
    let mut numbers: Vec<Number> = vec![];
    for prefix in &args.params {
        numbers.extend(whatif::numbers_under(&loaded, prefix)?);
    }
    numbers.dedup_by(|a, b| a.path == b.path);
    if numbers.is_empty() {
        return Err(Error::bad_input("error: the paths given hold no numbers"));
    }
    // The folder is made first: a place that cannot be written fails before the runs.
    let dir = match &args.out {
        Some(d) => d.clone(),
        None => super::default_dir(&format!("{}-sensitivity", loaded.compiled.id)),
    };
    let plots_dir = dir.join("plots");
    std::fs::create_dir_all(&plots_dir).map_err(|e| {
        Error::bad_input(format!(
            "error: cannot create the output folder {}: {e}",
            dir.display()
        ))
    })?;
    let settings = 1 + 2 * numbers.len() as u64;
    let bar = super::progress(args.exec.quiet, settings * args.runs, 0);
    let started = std::time::Instant::now();
    let jobs = super::jobs(args.exec.jobs);
    let measure = |sets: &[Set]| -> Result<std::result::Result<Effect, String>> {
        // The file is read once; each setting only edits and validates its text.
        let manifest = Manifest {
            sets: sets.iter().map(Set::to_string).collect(),
            ..Manifest::new(&args.scenario, &loaded, args.exec.seed, args.runs)
        };
        let plan = match Plan::from_loaded(manifest, &loaded, &args.scenario) {
            Ok(plan) => plan,
            // An out-of-range setting is reported, not fatal.
            Err(e) if e.code == crate::error::BAD_INPUT => {
                let first = e.message.lines().next().unwrap_or("").to_string();
                return Ok(Err(first));
            }
            Err(e) => return Err(e),
        };
        let mut stats = PointStats::default();
        let stop = AtomicBool::new(false);
        runner::execute(&plan, plan.range(), jobs, &stop, |_, result| {
            stats.add(&plan.points[0], &result);
            bar.inc(1);
            if stats.runs % 64 == 0 {
                super::show_rate(&bar, bar.position(), started);
            }
            Ok(())
        })?;
        let done = stats.runs - stats.failed;
        let durable = stats.ends.get("durable_agreement").copied().unwrap_or(0);
        Ok(Ok(Effect {
            value: sets.first().map_or(f64::NAN, |s| s.value),
            durable: Share::new(durable, done),
            durable_day: stats
                .durable_day
                .as_sketch()
                .quantile(0.5)
                .map(|d| d as f64),
        }))
    };
    let baseline = measure(&[])?.map_err(Error::bad_input)?;
    let mut rows = vec![];
    for n in &numbers {
        let mut row = Row {
            path: n.path.clone(),
            baseline: n.value,
            low: None,
            high: None,
            skipped: vec![],
            swing: 0.0,
            day_swing: 0.0,
        };
        let (low, high) = bounds(n, args.spread);
        for (value, slot) in [(low, &mut row.low), (high, &mut row.high)] {
            if value == n.value {
                *slot = Some(Effect { value, ..baseline });
                bar.inc(args.runs);
                continue;
            }
            let set = Set {
                path: n.path.clone(),
                value,
            };
            let mut outcome = measure(std::slice::from_ref(&set))?;
            // A share or probability cannot leave [0, 1]: try the bound instead.
            let bound = value.clamp(0.0, 1.0);
            if outcome.is_err() && (0.0..=1.0).contains(&n.value) && bound != n.value {
                let clamped = Set {
                    path: n.path.clone(),
                    value: bound,
                };
                outcome = measure(std::slice::from_ref(&clamped))?;
            }
            match outcome {
                Ok(effect) => *slot = Some(effect),
                Err(why) => {
                    bar.inc(args.runs);
                    row.skipped.push(format!("{set}: {why}"));
                }
            }
        }
        let end = |e: &Option<Effect>| e.map_or(baseline.durable.share, |e| e.durable.share);
        row.swing = (end(&row.high) - end(&row.low)).abs();
        let day = |e: &Option<Effect>| e.and_then(|e| e.durable_day).or(baseline.durable_day);
        row.day_swing = match (day(&row.high), day(&row.low)) {
            (Some(h), Some(l)) => (h - l).abs(),
            _ => 0.0,
        };
        rows.push(row);
    }
    bar.finish_and_clear();
    rows.sort_by(|a, b| {
        b.swing
            .total_cmp(&a.swing)
            .then(b.day_swing.total_cmp(&a.day_swing))
            .then(a.path.cmp(&b.path))
    });
    let report = Report {
        scenario: loaded.compiled.id.clone(),
        seed: args.exec.seed,
        runs_per_setting: args.runs,
        spread: args.spread,
        baseline,
        parameters: rows,
    };
    write(&dir, &report)?;
    let mut text = table(&report, args.top);
    text.push_str(&format!("\nOutputs in {}\n", dir.display()));
    crate::report::write_stdout(&text)?;
    Ok(0)
}

/// The low and high settings of a number: `spread` below and above it (by `spread`
/// itself when it is zero), whole numbers moved by at least one.
fn bounds(n: &Number, spread: f64) -> (f64, f64) {
    let v = n.value;
    let (mut low, mut high) = if v == 0.0 {
        (0.0, spread)
    } else {
        (v - spread * v.abs(), v + spread * v.abs())
    };
    if n.whole {
        low = low.round().min(v - 1.0).max(0.0);
        high = high.round().max(v + 1.0);
    }
    (low, high)
}

fn write(dir: &std::path::Path, report: &Report) -> Result<()> {
    let io = |p: &std::path::Path, e: std::io::Error| {
        Error::runtime(format!("error: cannot write {}: {e}", p.display()))
    };
    let plots_dir = dir.join("plots");
    let path = dir.join("sensitivity.json");
    let mut json = serde_json::to_vec_pretty(report)
        .map_err(|e| Error::runtime(format!("cannot encode the report: {e}")))?;
    json.push(b'\n');
    atomic::write(&path, &json).map_err(|e| io(&path, e))?;

    // Long: a row per parameter and setting, so that no cell holds two values and
    // the files of several analyses stack. Every number has a decimal point ("1.0",
    // not "1"), so that data tools read each column as real numbers.
    let mut csv =
        String::from("rank,path,baseline,setting,value,durable,durable_day,swing,day_swing\n");
    for (rank, r) in report.parameters.iter().enumerate() {
        for (setting, effect) in [("low", r.low), ("high", r.high)] {
            let Some(e) = effect else { continue };
            let _ = writeln!(
                csv,
                "{},{},{:?},{setting},{:?},{:.4},{},{:.4},{:?}",
                rank + 1,
                r.path,
                r.baseline,
                e.value,
                e.durable.share,
                e.durable_day.map_or(String::new(), |d| format!("{d:?}")),
                r.swing,
                r.day_swing
            );
        }
    }
    let path = dir.join("sensitivity.csv");
    atomic::write(&path, csv.as_bytes()).map_err(|e| io(&path, e))?;

    const SHOWN: usize = 15;
    let rows: Vec<TornadoRow> = report
        .parameters
        .iter()
        .take(SHOWN)
        .map(|r| TornadoRow {
            label: r.path.clone(),
            low: r
                .low
                .map_or(report.baseline.durable.share, |e| e.durable.share),
            high: r
                .high
                .map_or(report.baseline.durable.share, |e| e.durable.share),
        })
        .collect();
    let pct = (report.spread * 100.0).round();
    plots::tornado_chart(
        &plots_dir.join("tornado_durable"),
        &format!("Chance of a durable agreement, each parameter −{pct}% / +{pct}%"),
        "share of runs with a durable agreement",
        report.baseline.durable.share,
        &rows,
    )
    .map_err(|e| io(&plots_dir, e))?;
    let mut by_day: Vec<&Row> = report.parameters.iter().collect();
    by_day.sort_by(|a, b| {
        b.day_swing
            .total_cmp(&a.day_swing)
            .then(a.path.cmp(&b.path))
    });
    let base_day = report.baseline.durable_day.unwrap_or(f64::NAN);
    let rows: Vec<TornadoRow> = by_day
        .iter()
        .take(SHOWN)
        .map(|r| TornadoRow {
            label: r.path.clone(),
            low: r.low.and_then(|e| e.durable_day).unwrap_or(base_day),
            high: r.high.and_then(|e| e.durable_day).unwrap_or(base_day),
        })
        .collect();
    plots::tornado_chart(
        &plots_dir.join("tornado_durable_day"),
        &format!("Median day of the durable agreement, each parameter −{pct}% / +{pct}%"),
        "day",
        base_day,
        &rows,
    )
    .map_err(|e| io(&plots_dir, e))
}

fn table(r: &Report, top: usize) -> String {
    let mut out = String::new();
    let day = |d: Option<f64>| d.map_or("-".to_string(), |d| format!("{d:.0}"));
    let _ = writeln!(
        out,
        "{} — {} runs per setting, seed {}, each parameter −{:.0}% / +{:.0}%\n",
        r.scenario,
        r.runs_per_setting,
        r.seed,
        r.spread * 100.0,
        r.spread * 100.0
    );
    let _ = writeln!(
        out,
        "baseline: durable agreement {:.1}% ({:.1}–{:.1}), median day {}\n",
        100.0 * r.baseline.durable.share,
        100.0 * r.baseline.durable.lo95,
        100.0 * r.baseline.durable.hi95,
        day(r.baseline.durable_day)
    );
    let _ = writeln!(
        out,
        "{:<44} {:>10} {:>17} {:>11}",
        "parameter", "value", "durable low→high", "day low→high"
    );
    for row in r.parameters.iter().take(top) {
        let pct = |e: &Option<Effect>| {
            e.map_or("  -  ".to_string(), |e| {
                format!("{:5.1}%", 100.0 * e.durable.share)
            })
        };
        let _ = writeln!(
            out,
            "{:<44} {:>10} {:>8}→{:<8} {:>5}→{:<5}",
            row.path,
            format!("{}", row.baseline),
            pct(&row.low),
            pct(&row.high),
            day(row.low.and_then(|e| e.durable_day)),
            day(row.high.and_then(|e| e.durable_day)),
        );
        for why in &row.skipped {
            let _ = writeln!(out, "    skipped {why}");
        }
    }
    if r.parameters.len() > top {
        let _ = writeln!(
            out,
            "… {} more in sensitivity.csv",
            r.parameters.len() - top
        );
    }
    out
}
