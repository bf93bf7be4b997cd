//! One row per run: the CSV line written to `runs.csv` and the counts added to the
//! grid point's aggregates.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::stats::{Days, Sketch, merge_counts, merge_sketches};
use crate::scenario::Compiled;
use crate::sim::{EndReason, Tally};

/// What one run gave: its figures, or why it failed.
// Nearly every run is `Done`; boxing it would cost an allocation per run.
#[allow(clippy::large_enum_variant)]
pub enum RunResult {
    Done(Tally),
    Failed(String),
}

/// A run that failed, kept with its seed so it can be replayed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub run: u64,
    pub seed: u64,
    pub message: String,
}

/// The sides whose losses and holdings get columns: the belligerents.
pub fn sides(sc: &Compiled) -> Vec<usize> {
    sc.belligerents().collect()
}

/// How a batch lays out its rows, fixed by its format so that a batch resumes as it
/// began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Formats 1 and 2: `runs.csv` alone, with a column per side
    /// (`military_dead_<side>`, `control_<side>`) and the guarantors `+`-joined.
    Wide,
    /// Format 3: `runs.csv` with the same columns for every scenario, `sides.csv` with a
    /// row per side and run, `guarantors.csv` with a row per guarantor and run. Files
    /// of two scenarios stack, and no cell holds several values.
    Long,
    /// Format 4: the long layout, with the durable agreement's belief gap and the
    /// counts of [`COUNTS`] at the end of each `runs.csv` row.
    Counted,
}

/// The counts of what happened in a run, which format 4 adds to `runs.csv` after the
/// belief gap the morning the durable agreement was signed (`durable_belief_gap`).
pub const COUNTS: [&str; 6] = [
    "captures",
    "handovers",
    "breaches",
    "declarations",
    "leader_changes",
    "repudiations",
];

/// A run's [`COUNTS`], in their order.
pub fn counts(t: &Tally) -> [u32; 6] {
    [
        t.captures.len() as u32,
        t.handovers,
        t.breaches,
        t.declarations,
        t.leader_changes,
        t.repudiations,
    ]
}

impl Layout {
    pub fn of_format(format: u32) -> Layout {
        match format {
            4.. => Layout::Counted,
            3 => Layout::Long,
            _ => Layout::Wide,
        }
    }

    /// The files of the layout, `runs.csv` first.
    pub fn tables(self) -> &'static [&'static str] {
        match self {
            Layout::Wide => &["runs.csv"],
            Layout::Long | Layout::Counted => &["runs.csv", "sides.csv", "guarantors.csv"],
        }
    }

    /// The header line of each table.
    pub fn headers(self, sc: &Compiled, swept: &[String]) -> Vec<String> {
        let mut cols: Vec<String> = vec!["run".into(), "seed".into()];
        cols.extend(swept.iter().cloned());
        cols.extend(
            [
                "end",
                "end_day",
                "loser",
                "agreements_signed",
                "agreements_collapsed",
                "first_agreement_day",
                "durable_day",
                "durable_proposal",
                "durable_counter_by",
                "durable_broker",
                "durable_peacekeepers",
                "durable_monitoring",
            ]
            .map(String::from),
        );
        let line = |cols: Vec<String>| cols.join(",") + "\n";
        match self {
            Layout::Wide => {
                let ids: Vec<&str> = sides(sc)
                    .iter()
                    .map(|&a| sc.actors[a].id.as_str())
                    .collect();
                cols.push("durable_guarantors".into());
                cols.extend(ids.iter().map(|id| format!("military_dead_{id}")));
                cols.extend(["civilian_dead".to_string(), "displaced".to_string()]);
                cols.extend(ids.iter().map(|id| format!("control_{id}")));
                vec![line(cols)]
            }
            Layout::Long | Layout::Counted => {
                cols.extend(
                    [
                        "durable_guarantor_count",
                        "military_dead",
                        "civilian_dead",
                        "displaced",
                    ]
                    .map(String::from),
                );
                if self == Layout::Counted {
                    cols.push("durable_belief_gap".into());
                    cols.extend(COUNTS.map(String::from));
                }
                vec![
                    line(cols),
                    "run,side,military_dead,control,capitulated\n".into(),
                    "run,guarantor\n".into(),
                ]
            }
        }
    }
}

/// Rows not yet on disk, one buffer per table of the layout.
#[derive(Debug, Default)]
pub struct Rows {
    pub tables: Vec<String>,
}

impl Rows {
    pub fn new(layout: Layout) -> Rows {
        Rows {
            tables: vec![String::new(); layout.tables().len()],
        }
    }

    pub fn clear(&mut self) {
        self.tables.iter_mut().for_each(String::clear);
    }

    /// Appends the rows of one run.
    pub fn write(
        &mut self,
        layout: Layout,
        sc: &Compiled,
        run: u64,
        seed: u64,
        settings: &[f64],
        result: &RunResult,
    ) {
        match layout {
            Layout::Wide => write_wide(&mut self.tables[0], sc, run, seed, settings, result),
            Layout::Long => self.write_long(sc, run, seed, settings, result, false),
            Layout::Counted => self.write_long(sc, run, seed, settings, result, true),
        }
    }

    fn write_long(
        &mut self,
        sc: &Compiled,
        run: u64,
        seed: u64,
        settings: &[f64],
        result: &RunResult,
        counted: bool,
    ) {
        let [runs, side_rows, guarantor_rows] = &mut self.tables[..] else {
            unreachable!("the long layout has three tables")
        };
        write_key(runs, run, seed, settings);
        let id = |a: usize| sc.actors[a].id.as_str();
        let RunResult::Done(t) = result else {
            runs.push_str(",failed");
            runs.push_str(&",".repeat(15));
            if counted {
                runs.push_str(&",".repeat(1 + COUNTS.len()));
            }
            runs.push('\n');
            return;
        };
        write_outcome(runs, sc, t);
        let total: u64 = sc
            .belligerents()
            .map(|a| t.military_dead[a].round() as u64)
            .sum();
        let guarantors = t.durable.as_ref().map_or(&[][..], |d| &d.guarantors[..]);
        let _ = write!(
            runs,
            ",{},{total},{},{}",
            guarantors.len(),
            t.civilian_dead.round() as u64,
            t.displaced.round() as u64
        );
        if counted {
            runs.push(',');
            if let Some(d) = &t.durable {
                let _ = write!(runs, "{:.4}", d.belief_gap);
            }
            for n in counts(t) {
                let _ = write!(runs, ",{n}");
            }
        }
        runs.push('\n');
        for a in sc.belligerents() {
            let _ = writeln!(
                side_rows,
                "{run},{},{},{:.4},{}",
                id(a),
                t.military_dead[a].round() as u64,
                t.control[a],
                t.loser == Some(a)
            );
        }
        for &g in guarantors {
            let _ = writeln!(guarantor_rows, "{run},{}", id(g));
        }
    }
}

/// The columns every layout starts with: the run, its seed and the swept values.
fn write_key(out: &mut String, run: u64, seed: u64, settings: &[f64]) {
    let _ = write!(out, "{run},{seed}");
    for v in settings {
        let _ = write!(out, ",{v}");
    }
}

/// The columns from `end` to `durable_monitoring`, each after a comma.
fn write_outcome(out: &mut String, sc: &Compiled, t: &Tally) {
    let id = |a: usize| sc.actors[a].id.as_str();
    let end = t.end.map_or("running", EndReason::as_str);
    let _ = write!(
        out,
        ",{end},{},{},{},{},",
        t.end_day,
        t.loser.map_or("", id),
        t.signed,
        t.collapsed
    );
    if let Some(d) = t.first_signed_day {
        let _ = write!(out, "{d}");
    }
    match &t.durable {
        Some(d) => {
            let _ = write!(
                out,
                ",{},{},{},{},{},{:.2}",
                d.day,
                sc.proposals[d.origin].id,
                d.counter_by.map_or("", id),
                id(d.broker),
                d.peacekeepers.map_or("", id),
                d.monitoring,
            );
        }
        None => out.push_str(",,,,,,"),
    }
}

/// The `runs.csv` line of one run in the wide layout of formats 1 and 2.
fn write_wide(
    out: &mut String,
    sc: &Compiled,
    run: u64,
    seed: u64,
    settings: &[f64],
    result: &RunResult,
) {
    write_key(out, run, seed, settings);
    let id = |a: usize| sc.actors[a].id.as_str();
    let sides = sides(sc);
    match result {
        RunResult::Failed(_) => {
            out.push_str(",failed");
            let empty = 12 + 2 * sides.len() + 2;
            for _ in 0..empty {
                out.push(',');
            }
        }
        RunResult::Done(t) => {
            write_outcome(out, sc, t);
            let guarantors: Vec<&str> = t
                .durable
                .as_ref()
                .map(|d| d.guarantors.iter().map(|&g| id(g)).collect())
                .unwrap_or_default();
            let _ = write!(out, ",{}", guarantors.join("+"));
            for &a in &sides {
                let _ = write!(out, ",{}", t.military_dead[a].round() as u64);
            }
            let _ = write!(
                out,
                ",{},{}",
                t.civilian_dead.round() as u64,
                t.displaced.round() as u64
            );
            for &a in &sides {
                let _ = write!(out, ",{:.4}", t.control[a]);
            }
        }
    }
    out.push('\n');
}

/// The aggregates of one grid point; integers only, so that merging is exact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PointStats {
    pub runs: u64,
    pub failed: u64,
    /// End reason -> runs.
    pub ends: BTreeMap<String, u64>,
    /// Side -> runs it lost by capitulating.
    pub losers: BTreeMap<String, u64>,
    pub end_day: Days,
    pub first_agreement_day: Days,
    pub durable_day: Days,
    pub signed: u64,
    pub collapsed: u64,
    /// Side -> military dead.
    pub military_dead: BTreeMap<String, Sketch>,
    pub military_dead_total: Sketch,
    pub civilian_dead: Sketch,
    pub displaced: Sketch,
    /// Side -> share of the theatre's value held at the end, in units of 1/10,000.
    pub control: BTreeMap<String, Sketch>,
    /// Broker of the durable agreement -> runs.
    pub brokers: BTreeMap<String, u64>,
    /// Terms of the durable agreement, described -> runs.
    pub terms: BTreeMap<String, u64>,
    pub with_peacekeepers: u64,
    /// Totals of a run's [`COUNTS`] over the runs done, in their order (kept since
    /// format 4; a batch of an earlier format resumed counts only its later runs).
    #[serde(default)]
    pub counts: [u64; 6],
}

impl PointStats {
    pub fn add(&mut self, sc: &Compiled, result: &RunResult) {
        self.runs += 1;
        let RunResult::Done(t) = result else {
            self.failed += 1;
            return;
        };
        let id = |a: usize| sc.actors[a].id.clone();
        let end = t.end.map_or("running", EndReason::as_str);
        *self.ends.entry(end.to_string()).or_default() += 1;
        if let Some(l) = t.loser {
            *self.losers.entry(id(l)).or_default() += 1;
        }
        self.end_day.add(t.end_day);
        if let Some(d) = t.first_signed_day {
            self.first_agreement_day.add(d);
        }
        self.signed += u64::from(t.signed);
        self.collapsed += u64::from(t.collapsed);
        let mut total = 0;
        for a in sides(sc) {
            let dead = t.military_dead[a].round() as u64;
            total += dead;
            self.military_dead.entry(id(a)).or_default().add(dead);
            let held = (t.control[a] * 10_000.0).round() as u64;
            self.control.entry(id(a)).or_default().add(held);
        }
        self.military_dead_total.add(total);
        for (sum, n) in self.counts.iter_mut().zip(counts(t)) {
            *sum += u64::from(n);
        }
        self.civilian_dead.add(t.civilian_dead.round() as u64);
        self.displaced.add(t.displaced.round() as u64);
        if let Some(d) = &t.durable {
            self.durable_day.add(d.day);
            *self.brokers.entry(id(d.broker)).or_default() += 1;
            self.with_peacekeepers += u64::from(d.peacekeepers.is_some());
            let mut terms = sc.proposals[d.origin].id.clone();
            if let Some(by) = d.counter_by {
                let _ = write!(terms, " (as countered by {})", id(by));
            }
            if let Some(pk) = d.peacekeepers {
                let _ = write!(terms, "; peacekeepers: {}", id(pk));
            }
            if !d.guarantors.is_empty() {
                let g: Vec<String> = d.guarantors.iter().map(|&g| id(g)).collect();
                let _ = write!(terms, "; guarantors: {}", g.join("+"));
            }
            *self.terms.entry(terms).or_default() += 1;
        }
    }

    pub fn merge(&mut self, o: &PointStats) {
        self.runs += o.runs;
        self.failed += o.failed;
        merge_counts(&mut self.ends, &o.ends);
        merge_counts(&mut self.losers, &o.losers);
        self.end_day.merge(&o.end_day);
        self.first_agreement_day.merge(&o.first_agreement_day);
        self.durable_day.merge(&o.durable_day);
        self.signed += o.signed;
        self.collapsed += o.collapsed;
        merge_sketches(&mut self.military_dead, &o.military_dead);
        self.military_dead_total.merge(&o.military_dead_total);
        self.civilian_dead.merge(&o.civilian_dead);
        self.displaced.merge(&o.displaced);
        merge_sketches(&mut self.control, &o.control);
        merge_counts(&mut self.brokers, &o.brokers);
        merge_counts(&mut self.terms, &o.terms);
        self.with_peacekeepers += o.with_peacekeepers;
        for (sum, n) in self.counts.iter_mut().zip(o.counts) {
            *sum += n;
        }
    }
}
