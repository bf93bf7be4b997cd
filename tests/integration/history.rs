//! The seed scenario over a few hundred seeds: runs should look like the war, not
//! a script (the stylized facts of shared/reference/history-2020.md).

use std::sync::Arc;

use truce::scenario;
use truce::sim::Simulation;

#[derive(Default)]
struct Tally {
    runs: usize,
    early_truces: usize,
    early_truces_short: usize,
    runs_with_two_captures: usize,
    durable: usize,
    durable_after_shift: usize,
    durable_by_russia: usize,
    durable_with_peacekeepers: usize,
    end_days: std::collections::BTreeSet<u32>,
}

fn tally(seeds: std::ops::Range<u64>) -> Tally {
    let loaded = scenario::load(&crate::seed_scenario()).expect("the seed scenario loads");
    let sc = Arc::new(loaded.compiled);
    let mut sim = Simulation::new(sc.clone(), 0);
    let mut t = Tally::default();
    for seed in seeds {
        sim.reset(seed);
        let o = sim.run_to_end();
        let record = sim
            .world()
            .resource::<truce::sim::components::Record>()
            .clone();
        t.runs += 1;
        t.end_days.insert(o.end_day);
        let captures = o
            .chronicle
            .iter()
            .filter(|l| l.text.contains(" forces take ") || l.text.contains(" forces retake "))
            .count();
        if captures >= 2 {
            t.runs_with_two_captures += 1;
        }
        for a in &o.agreements {
            if a.kind == "humanitarian" && a.signed_day <= 14 && a.ended_day.is_some() {
                t.early_truces += 1;
                if a.held_days <= 3 {
                    t.early_truces_short += 1;
                }
            }
            if a.durable {
                t.durable += 1;
                // Azerbaijan's share of strategic value on the day before signing,
                // against day 0: the shift on the ground that preceded the deal.
                let az = sc.actor_ix("azerbaijan").unwrap();
                let before = record.days[a.signed_day.saturating_sub(1) as usize].control[az];
                if before - record.days[0].control[az] >= 0.1 {
                    t.durable_after_shift += 1;
                }
                t.durable_by_russia += usize::from(a.broker == "russia");
                t.durable_with_peacekeepers += usize::from(a.provisions.peacekeepers.is_some());
            }
        }
    }
    t
}

#[test]
fn runs_look_like_the_war_not_a_script() {
    let t = tally(0..300);
    let share = |n: usize, d: usize| n as f64 / d.max(1) as f64;
    // Early humanitarian truces are signed, and usually collapse within days.
    assert!(t.early_truces >= 30, "only {} early truces", t.early_truces);
    let short = share(t.early_truces_short, t.early_truces);
    assert!(
        short >= 0.6,
        "{short:.2} of early truces collapsed within 3 days"
    );
    // The battlefield moves (in the others, a settlement comes within days).
    let moving = share(t.runs_with_two_captures, t.runs);
    assert!(
        moving >= 0.75,
        "the front moved in only {moving:.2} of runs"
    );
    // Durable settlements happen, follow a shift on the ground, and are mostly
    // brokered by the actor with leverage on both sides, with peacekeepers.
    // With the constants fitted across the library, about a third of the runs end
    // in a durable settlement and half in Armenian capitulation: the model has no
    // mechanic that makes a side about to collapse settle first (docs/validation.md).
    let durable = share(t.durable, t.runs);
    assert!(
        durable >= 0.25,
        "durable agreement in only {durable:.2} of runs"
    );
    let after_shift = share(t.durable_after_shift, t.durable);
    assert!(
        after_shift >= 0.8,
        "{after_shift:.2} of durable deals followed a shift"
    );
    let russia = share(t.durable_by_russia, t.durable);
    assert!(
        russia >= 0.8,
        "Russia brokered {russia:.2} of durable deals"
    );
    let peacekeepers = share(t.durable_with_peacekeepers, t.durable);
    assert!(
        peacekeepers >= 0.8,
        "{peacekeepers:.2} of durable deals had peacekeepers"
    );
    // Not a script: runs end on many different days.
    assert!(
        t.end_days.len() >= 20,
        "only {} distinct end days",
        t.end_days.len()
    );
}

#[test]
fn a_run_is_the_same_after_a_reset() {
    let loaded = scenario::load(&crate::seed_scenario()).unwrap();
    let sc = Arc::new(loaded.compiled);
    let fresh = Simulation::new(sc.clone(), 42).run_to_end();
    let mut reused = Simulation::new(sc, 1);
    reused.run_to_end();
    reused.reset(42);
    let again = reused.run_to_end();
    assert_eq!(fresh.digest(), again.digest());
    assert_eq!(fresh, again);
}
