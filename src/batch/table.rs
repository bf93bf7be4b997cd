//! The summary printed at the end of a batch.

use std::fmt::Write as _;

use super::summary::{PointSummary, Share, Spread, Summary};
use crate::sim::combat::thousands;

fn pct(s: &Share) -> String {
    format!(
        "{:5.1}%  ({:.1}–{:.1})",
        100.0 * s.share,
        100.0 * s.lo95,
        100.0 * s.hi95
    )
}

/// A share as a percentage; a small one is not shown as zero.
fn percent(share: f64) -> String {
    if share > 0.0 && share < 0.0005 {
        "<0.1%".into()
    } else {
        format!("{:.1}%", 100.0 * share)
    }
}

fn spread(s: &Spread) -> String {
    format!(
        "{:>9}  ({}–{})",
        thousands(s.median.round() as i64),
        thousands(s.q1.round() as i64),
        thousands(s.q3.round() as i64)
    )
}

fn share_of(s: &Spread) -> String {
    format!(
        "{:>8.1}%  ({:.1}–{:.1})",
        100.0 * s.median,
        100.0 * s.q1,
        100.0 * s.q3
    )
}

/// The whole table: one block for a plain batch, one line per point for a sweep.
pub fn render(summary: &Summary) -> String {
    let mut out = String::new();
    if summary.points.len() == 1 {
        block(&mut out, &summary.points[0]);
    } else {
        sweep(&mut out, summary);
    }
    if !summary.failures.is_empty() {
        let failed: u64 = summary.points.iter().map(|p| p.failed).sum();
        let _ = writeln!(
            out,
            "\nFailed runs: {failed} (replay one with `truce run --seed SEED`)"
        );
        for f in summary.failures.iter().take(5) {
            let _ = writeln!(out, "  run {} seed {}: {}", f.run, f.seed, f.message);
        }
    }
    out
}

fn block(out: &mut String, p: &PointSummary) {
    let _ = writeln!(
        out,
        "How the runs ended              share   (95% interval)"
    );
    let mut ends: Vec<_> = p.ends.iter().collect();
    ends.sort_by_key(|e| std::cmp::Reverse(e.1.count));
    for (end, s) in ends {
        let _ = writeln!(out, "  {:<28} {}", end.replace('_', " "), pct(s));
    }
    let _ = writeln!(
        out,
        "  {:<28} {}",
        "durable within 30 days",
        pct(&p.durable_within_30_days)
    );
    let _ = writeln!(
        out,
        "\n                                    median   (quartiles)"
    );
    let mut row = |name: &str, s: &Option<Spread>| {
        if let Some(s) = s {
            let _ = writeln!(out, "  {name:<28} {}", spread(s));
        }
    };
    row("end day", &p.end_day);
    row("first agreement day", &p.first_agreement_day);
    row("durable agreement day", &p.durable_agreement_day);
    for (side, s) in &p.military_dead {
        row(&format!("military dead, {side}"), &Some(*s));
    }
    row("civilian dead", &p.civilian_dead);
    row("displaced", &p.displaced);
    for (side, s) in &p.control {
        let _ = writeln!(
            out,
            "  {:<28}{}",
            format!("holds at the end, {side}"),
            share_of(s)
        );
    }
    let _ = writeln!(
        out,
        "  {:<28} {:>9.2}  ({:.2} collapsed)",
        "agreements signed per run", p.agreements_signed_per_run, p.agreements_collapsed_per_run
    );
    if let Some(counts) = &p.per_run {
        let list: Vec<String> = counts
            .iter()
            .map(|(k, v)| format!("{} {v:.2}", k.replace('_', " ")))
            .collect();
        let _ = writeln!(out, "  {:<28} {}", "per run, on average", list.join(", "));
    }
    if !p.brokers.is_empty() {
        let mut brokers: Vec<_> = p.brokers.iter().collect();
        brokers.sort_by_key(|b| std::cmp::Reverse(b.1.count));
        let list: Vec<String> = brokers
            .iter()
            .map(|(k, s)| format!("{k} {}", percent(s.share)))
            .collect();
        let _ = writeln!(out, "\nBrokers of durable agreements: {}", list.join(", "));
        let _ = writeln!(
            out,
            "Durable agreements with peacekeepers: {:.1}%",
            100.0 * p.durable_with_peacekeepers.share
        );
        let _ = writeln!(out, "Most frequent durable terms:");
        for t in p.durable_terms.iter().take(5) {
            let _ = writeln!(out, "  {:5.1}%  {}", 100.0 * t.share, t.terms);
        }
    }
}

fn sweep(out: &mut String, summary: &Summary) {
    let names: Vec<&str> = summary.swept.iter().map(String::as_str).collect();
    let _ = writeln!(
        out,
        "{:<40} {:>24} {:>9} {:>10} {:>12}",
        names.join(", "),
        "durable (95% interval)",
        "≤30 days",
        "end day",
        "mil. dead"
    );
    for p in &summary.points {
        let settings: Vec<String> = summary
            .swept
            .iter()
            .map(|s| p.settings.get(s).map_or("?".into(), |v| v.to_string()))
            .collect();
        let durable = p
            .ends
            .get("durable_agreement")
            .copied()
            .unwrap_or(Share::new(0, p.runs - p.failed));
        let _ = writeln!(
            out,
            "{:<40} {:>24} {:>8.1}% {:>10} {:>12}",
            settings.join(", "),
            pct(&durable),
            100.0 * p.durable_within_30_days.share,
            p.end_day.map_or("-".into(), |s| format!("{:.0}", s.median)),
            p.military_dead_total
                .map_or("-".into(), |s| thousands(s.median.round() as i64)),
        );
    }
}
