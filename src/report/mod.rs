//! Human-readable reports of a run.

pub mod plots;

use std::fmt::Write as _;
use std::io::Write as _;

use crate::error::{Error, Result};
use crate::scenario::Compiled;
use crate::sim::Outcome;
use crate::sim::combat::thousands;

/// The chronicle, one dated line per happening, then a summary of the outcome.
pub fn text(outcome: &Outcome, sc: &Compiled) -> String {
    let mut out = chronicle(outcome, sc);
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", summary(outcome, sc));
    if let Some(days) = &outcome.days {
        let _ = writeln!(out);
        out.push_str(&daily(days));
    }
    out
}

/// The daily figures as a table: each side's ground, dead, belief and BATNA, and its
/// government's support at home where the scenario declares some; then the belief
/// gap and the war's precipice (the sharpest recent fall in a side's BATNA).
pub fn daily(days: &[crate::sim::outcome::DayOutcome]) -> String {
    let mut out = String::new();
    let Some(first) = days.first() else {
        return out;
    };
    let politics = first.sides.values().any(|s| s.support.is_some());
    let width = if politics { 36 } else { 28 };
    let _ = write!(out, "{:>4} {:<10}", "day", "date");
    for side in first.sides.keys() {
        let mut head = format!("{side}: held dead belief batna");
        if politics {
            head.push_str(" support");
        }
        let _ = write!(out, " {head:>width$}");
    }
    let _ = writeln!(out, " {:>6} {:>6} {:>5}", "gap", "fall", "truce");
    for d in days {
        let _ = write!(out, "{:>4} {:<10}", d.day, d.date);
        for s in d.sides.values() {
            let mut cell = format!(
                "{:.0}% {} {:.2} {:+.2}",
                100.0 * s.control,
                s.military_dead,
                s.belief,
                s.batna
            );
            match (politics, s.support) {
                (true, Some(support)) => cell.push_str(&format!(" {:.0}%", 100.0 * support)),
                (true, None) => cell.push_str(" -"),
                (false, _) => {}
            }
            let _ = write!(out, " {cell:>width$}");
        }
        let truce = if d.truce_in_force { "yes" } else { "" };
        let _ = writeln!(
            out,
            " {:>6.3} {:>6.3} {:>5}",
            d.belief_gap, d.precipice, truce
        );
    }
    out
}

/// The title and the chronicle, one dated line per happening.
pub fn chronicle(outcome: &Outcome, sc: &Compiled) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} (seed {})", sc.name, outcome.seed);
    let _ = writeln!(out);
    for line in &outcome.chronicle {
        let _ = writeln!(out, "{} {}", line.date, line.text);
    }
    out
}

/// The outcome in a few lines.
pub fn summary(o: &Outcome, sc: &Compiled) -> String {
    let mut out = String::new();
    let end = match o.end.as_str() {
        "durable_agreement" => "a durable agreement".to_string(),
        "capitulation" => format!(
            "the capitulation of {}",
            o.loser.as_deref().map_or("a side", |l| sc.actor_name(l))
        ),
        "time_limit" => "the time limit, with no durable agreement".to_string(),
        other => other.to_string(),
    };
    let _ = writeln!(
        out,
        "Outcome: ended on {} (day {}) with {end}",
        o.end_date, o.end_day
    );
    if o.agreements.is_empty() {
        let _ = writeln!(out, "Agreements: none signed");
    } else {
        let _ = writeln!(out, "Agreements:");
        for a in &o.agreements {
            let fate = match (a.durable, a.ended_day, &a.repudiated_by) {
                (true, _, _) => format!("durable, held {} days", a.held_days),
                (false, Some(_), Some(by)) => format!(
                    "repudiated by {} after {} day{}",
                    sc.actor_name(by),
                    a.held_days,
                    if a.held_days == 1 { "" } else { "s" }
                ),
                (false, Some(_), None) => format!(
                    "ended after {} day{}",
                    a.held_days,
                    if a.held_days == 1 { "" } else { "s" }
                ),
                (false, None, _) => format!("in force, {} days so far", a.held_days),
            };
            let mut extras = Vec::new();
            if let Some(pk) = &a.provisions.peacekeepers {
                extras.push(format!("{} peacekeepers", sc.actor_name(pk)));
            }
            if !a.transfers.is_empty() {
                extras.push(format!("{} region(s) transferred", a.transfers.len()));
            }
            let extras = if extras.is_empty() {
                String::new()
            } else {
                format!("; {}", extras.join(", "))
            };
            let _ = writeln!(
                out,
                "  day {:>3}  {} ({}), brokered by {}: {fate}{extras}",
                a.signed_day,
                a.name,
                a.kind,
                sc.actor_name(&a.broker)
            );
        }
    }
    let military: Vec<String> = o
        .casualties
        .military
        .iter()
        .map(|(id, n)| format!("{} {}", sc.actor_name(id), thousands(*n as i64)))
        .collect();
    let _ = writeln!(
        out,
        "Military dead: {}; civilian dead: {}",
        military.join(", "),
        thousands(o.casualties.civilian as i64)
    );
    let _ = writeln!(out, "Displaced: {}", thousands(o.displaced as i64));
    if !o.home.is_empty() {
        let turns: Vec<String> = o
            .home
            .iter()
            .map(|h| {
                let what = match h.event {
                    crate::sim::components::HomeTurn::Protests => "protests",
                    crate::sim::components::HomeTurn::LeaderChange => "a change of leader",
                    crate::sim::components::HomeTurn::Repudiation => "a repudiation",
                };
                format!(
                    "{} {what} on day {} (support {:.0}%)",
                    sc.actor_name(&h.actor),
                    h.day,
                    100.0 * h.support
                )
            })
            .collect();
        let _ = writeln!(out, "At home: {}", turns.join("; "));
    }
    let mut held: Vec<(String, usize, f64)> = Vec::new();
    // One lookup table, not a search per region: maps may have thousands.
    let values: std::collections::HashMap<&str, f64> = sc
        .regions
        .iter()
        .map(|r| (r.id.as_str(), r.value))
        .collect();
    for (region, holder) in &o.control {
        let value = values.get(region.as_str()).copied().unwrap_or(0.0);
        match held.iter_mut().find(|(h, _, _)| h == holder) {
            Some(entry) => {
                entry.1 += 1;
                entry.2 += value;
            }
            None => held.push((holder.clone(), 1, value)),
        }
    }
    let total: f64 = sc.regions.iter().map(|r| r.value).sum::<f64>().max(1e-9);
    let parts: Vec<String> = held
        .iter()
        .map(|(h, n, v)| {
            format!(
                "{} {n} region{} ({:.0}% of strategic value)",
                sc.actor_name(h),
                if *n == 1 { "" } else { "s" },
                100.0 * v / total
            )
        })
        .collect();
    let _ = write!(out, "Control: {}", parts.join(", "));
    out
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::runtime(format!("cannot write output: {e}"))),
    }
}
