//! War aims and offensives: which regions a side attacks, and how it spreads its
//! offensive effort over them and its reserves over the regions it must defend.
//!
//! A side attacks only the regions it wants: those its scenario lists as its `aims`,
//! or else those its stances on the map issues ask for (a region counted by a map
//! issue the side cares about, whose capture moves that issue toward the side's
//! position). A region no map issue of the side counts is open to attack, as before
//! aims existed.
//!
//! Among the regions it can strike, a side concentrates its effort where taking
//! ground is worth most and most likely (`concentration`), and a defender moves its
//! reserves to the regions most worth defending and most threatened (`reserves`);
//! both keep the side's total effort, so a side that concentrates on one axis is
//! weaker on the others. Combat and every side's projection of the war share these
//! functions, as they share the capture odds.

use super::assessment::tracked_share;
use super::components::WarAims;
use crate::scenario::Compiled;
use crate::scenario::compiled::{ActorIx, RegionIx};

/// Added to a region's strategic value when effort is weighed, so that a region worth
/// nothing in itself (a road, a ridge) still draws some: it may be the way onward.
pub const VALUE_FLOOR: f64 = 0.1;

/// Each map issue's value on the map `holders` (the tracked camp's share, as the
/// assessment reads it; 0 for the other issues), by issue: what [`in_aims`] compares
/// positions with.
pub fn map_shares(sc: &Compiled, holders: &[ActorIx]) -> Vec<f64> {
    sc.issues
        .iter()
        .map(|issue| match &issue.tracks {
            Some(t) => tracked_share(t, holders),
            None => 0.0,
        })
        .collect()
}

/// Whether `attacker` wants region `r` on the map `holders` (whose map issues stand
/// at `shares`, from [`map_shares`]), with the aims as they stand (`aims`, by actor).
pub fn in_aims(
    sc: &Compiled,
    aims: &WarAims,
    holders: &[ActorIx],
    shares: &[f64],
    attacker: ActorIx,
    r: RegionIx,
) -> bool {
    match &aims.0[attacker] {
        Some(aims) => aims.contains(&r),
        None => claimed(sc, holders, shares, attacker, r),
    }
}

/// Whether `attacker`'s stances claim region `r`: the aims its enemies reckon with.
/// The stances are public, what the side says it wants; a scenario's `aims` list is
/// its private plan, known to its own camp alone.
pub fn claimed(
    sc: &Compiled,
    holders: &[ActorIx],
    shares: &[f64],
    attacker: ActorIx,
    r: RegionIx,
) -> bool {
    let actor = &sc.actors[attacker];
    let mut counted = false;
    for (k, issue) in sc.issues.iter().enumerate() {
        let Some(t) = &issue.tracks else { continue };
        if actor.salience[k] <= 0.0 || t.weights[r] <= 0.0 {
            continue;
        }
        counted = true;
        let (now, position) = (shares[k], actor.position[k]);
        // Taking the region raises the tracked camp's share if the attacker is in
        // that camp, and lowers it if the region is the camp's.
        let wants = if t.counts(attacker) {
            position > now
        } else {
            t.counts(holders[r]) && position < now
        };
        if wants {
            return true;
        }
    }
    !counted
}

/// Shares of a side's effort over its `targets`, by the weight each draws: each
/// weight to the power `k`, scaled so that the shares average 1 (the side's whole
/// effort, spread), into `out`. All 1 when `k` is 0 or no target draws any.
pub fn spread(weights: &[f64], k: f64, out: &mut Vec<f64>) {
    out.clear();
    let n = weights.len() as f64;
    out.extend(weights.iter().map(|w| w.max(0.0).powf(k)));
    let total: f64 = out.iter().sum();
    if k == 0.0 || total <= 0.0 || !total.is_finite() {
        out.iter_mut().for_each(|e| *e = 1.0);
        return;
    }
    out.iter_mut().for_each(|e| *e *= n / total);
}

/// The weight a target draws: its value, floored, times the chance of the blow.
pub fn draw(sc: &Compiled, r: RegionIx, p: f64) -> f64 {
    (sc.regions[r].value + VALUE_FLOOR) * p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::testkit::tiny_with;

    #[test]
    fn spread_keeps_the_whole_effort_and_favours_the_heavier() {
        let mut out = Vec::new();
        spread(&[0.2, 0.6, 0.2], 0.0, &mut out);
        assert_eq!(out, vec![1.0, 1.0, 1.0]);
        spread(&[0.2, 0.6, 0.2], 1.0, &mut out);
        assert!((out.iter().sum::<f64>() - 3.0).abs() < 1e-12);
        assert!((out[1] - 1.8).abs() < 1e-12 && (out[0] - 0.6).abs() < 1e-12);
        spread(&[0.2, 0.6, 0.2], 2.0, &mut out);
        assert!(out[1] > 1.8 && (out.iter().sum::<f64>() - 3.0).abs() < 1e-12);
        spread(&[0.0, 0.0], 1.0, &mut out);
        assert_eq!(out, vec![1.0, 1.0]);
    }

    #[test]
    fn aims_follow_the_stances_on_the_map_or_the_list() {
        // Blue wants all the land (position 1 on its own share); red, position 0.0,
        // wants blue to hold none of it.
        let sc = tiny_with(str::to_string);
        let holders = vec![0, 0, 1, 1];
        let wants = |sc: &Compiled, holders: &[ActorIx], a, r| {
            in_aims(
                sc,
                &WarAims::of(sc),
                holders,
                &map_shares(sc, holders),
                a,
                r,
            )
        };
        assert!(wants(&sc, &holders, 1, 1));
        assert!(wants(&sc, &holders, 0, 2));
        // Red content with blue holding half the land's value: it stops at that.
        let content = tiny_with(|t| {
            t.replace(
                r#""land": (position: 0.0, salience: 1.0), "talks": (position: 1.0"#,
                r#""land": (position: 0.5, salience: 1.0), "talks": (position: 1.0"#,
            )
        });
        // Blue holds b1 and b2: 1.5 of the land's 3.0.
        assert!(!wants(&content, &holders, 0, 2));
        // Once blue holds more than half, red wants it back.
        assert!(wants(&content, &[0, 1, 1, 1], 0, 2));
        // A list overrides the stances.
        let listed = tiny_with(|t| {
            t.replace(
                r#""red": (troops: 10000, quality: 0.5, morale: 0.5)"#,
                r#""red": (troops: 10000, quality: 0.5, morale: 0.5, aims: Some(["b2"]))"#,
            )
        });
        assert!(!wants(&listed, &holders, 0, 2));
        assert!(wants(&listed, &holders, 0, 3));
    }

    #[test]
    fn a_side_fears_what_its_enemy_claims_not_what_it_plans() {
        use crate::sim::combat::MapView;
        // Red plans to take b2 alone, but its stances claim all of blue's land.
        let sc = tiny_with(|t| {
            t.replace(
                r#""red": (troops: 10000, quality: 0.5, morale: 0.5)"#,
                r#""red": (troops: 10000, quality: 0.5, morale: 0.5, aims: Some(["b2"]))"#,
            )
        });
        let holders = vec![0, 0, 1, 1];
        let red_strikes = |view: &MapView| -> Vec<RegionIx> {
            view.strikes
                .iter()
                .filter(|s| s.attacker == 0)
                .map(|s| s.region)
                .collect()
        };
        // In truth red does not strike b1, the only blue region it borders.
        let truth = MapView::new(&sc, holders.clone());
        assert!(red_strikes(&truth).is_empty());
        // Red knows its own plan.
        let mut red = MapView::seen_by(0);
        red.update(&sc, &holders, &WarAims::of(&sc));
        assert!(red_strikes(&red).is_empty());
        // Blue reckons with what red claims: an attack on b1.
        let mut blue = MapView::seen_by(1);
        blue.update(&sc, &holders, &WarAims::of(&sc));
        assert_eq!(red_strikes(&blue), vec![2]);
        // Blue's own strikes are the same through every eye.
        let blue_strikes = |view: &MapView| -> Vec<RegionIx> {
            view.strikes
                .iter()
                .filter(|s| s.attacker == 1)
                .map(|s| s.region)
                .collect()
        };
        assert_eq!(blue_strikes(&blue), blue_strikes(&truth));
        assert_eq!(blue_strikes(&red), blue_strikes(&truth));
    }

    /// Red strikes from one region at two of blue's: Prize (worth 1.0) and Scrub
    /// (worth 0.1), alike in every other way; `model` and `aims` are put into the
    /// scenario; the two sides evenly matched. Over 300 seeds of 30 days: how often red
    /// took each.
    fn two_axes(model: &str, aims: &str) -> (f64, f64) {
        let sc = tiny_with(|t| {
            let start = t.find("theatre: (").expect("a theatre");
            let end = t.find("    proposals:").expect("proposals");
            let theatre = format!(
                r#"theatre: (
        regions: [
            (id: "base", name: "Base", controller: "red", value: 0.5, population: 1000,
             coords: (0.0, 0.0), adjacent: ["prize", "scrub"], supply_hub: true),
            (id: "prize", name: "Prize", controller: "blue", value: 1.0, population: 1000,
             coords: (1.0, 1.0), adjacent: ["rear"]),
            (id: "scrub", name: "Scrub", controller: "blue", value: 0.1, population: 1000,
             coords: (1.0, -1.0), adjacent: ["rear"]),
            (id: "rear", name: "Rear", controller: "blue", value: 0.5, population: 1000,
             coords: (2.0, 0.0), adjacent: [], supply_hub: true, contestable: false),
        ],
        forces: {{
            "red": (troops: 10000, quality: 0.5, morale: 0.5{aims}),
            "blue": (troops: 10000, quality: 0.5, morale: 0.5),
        }},
    ),
"#
            );
            let mut out = t[..start].to_string();
            out.push_str(&theatre);
            out.push_str(&t[end..]);
            out.replace("activism: 0.9", "activism: 0.0").replace(
                "model: (breach_cost: 10.0),",
                &format!("model: (breach_cost: 10.0, {model}),"),
            )
        });
        let mut sim = crate::sim::Simulation::new(sc, 0);
        let (mut prize, mut scrub) = (0.0, 0.0);
        let seeds = 300;
        for seed in 0..seeds {
            sim.reset(seed);
            for _ in 0..30 {
                sim.step();
            }
            for c in sim.outcome().captures.iter().filter(|c| c.by == "red") {
                match c.region.as_str() {
                    "prize" => prize += 1.0,
                    "scrub" => scrub += 1.0,
                    _ => {}
                }
            }
        }
        (prize / seeds as f64, scrub / seeds as f64)
    }

    #[test]
    fn an_attacker_takes_more_on_its_main_axis() {
        // Independent fronts: the two are alike to the attacker.
        let (prize, scrub) = two_axes("", "");
        assert!(
            (prize - scrub).abs() < 0.1 + 0.25 * prize.max(scrub),
            "without concentration: prize {prize:.2}, scrub {scrub:.2}"
        );
        // Concentrated on what is worth most.
        let (prize, scrub) = two_axes("concentration: 1.0", "");
        assert!(
            prize > 2.0 * scrub && prize > 0.15,
            "with concentration: prize {prize:.2}, scrub {scrub:.2}"
        );
        // A defender moving its reserves to the prize holds it more often.
        let (held, _) = two_axes("concentration: 1.0, reserves: 1.0", "");
        assert!(
            held < 0.8 * prize,
            "prize {prize:.2}, with reserves {held:.2}"
        );
    }

    #[test]
    fn an_event_s_aims_hold_a_side_back_until_it_widens_them() {
        // Red's forces hold back (no aims) until an order on day 10 sends them at b1.
        let sc = tiny_with(|t| {
            let t = t.replace(
                r#""red": (troops: 10000, quality: 0.5, morale: 0.5)"#,
                r#""red": (troops: 30000, quality: 0.5, morale: 0.5, aims: Some([]))"#,
            );
            // No talks, so that the war goes on.
            let t = t.replace("activism: 0.9", "activism: 0.0");
            let end = t.rfind(')').expect("the scenario's end");
            format!(
                r#"{}    events: [Event(id: "order", news: "red is ordered across the line",
                   day: Some(10), effects: [Aims("red", ["b1"])])],
{}"#,
                &t[..end],
                &t[end..]
            )
        });
        let mut sim = crate::sim::Simulation::new(sc, 0);
        let mut after = 0;
        for seed in 0..100 {
            sim.reset(seed);
            for _ in 0..40 {
                sim.step();
            }
            for c in sim.outcome().captures.iter().filter(|c| c.by == "red") {
                assert!(
                    c.day >= 10,
                    "seed {seed}: red took {} on day {}",
                    c.region,
                    c.day
                );
                assert_eq!(c.region, "b1", "seed {seed}: only b1 is in its aims");
                after += 1;
            }
        }
        assert!(after > 10, "red took b1 in {after} runs of 100");
    }

    #[test]
    fn a_side_does_not_attack_outside_its_aims() {
        let (prize, scrub) = two_axes("", r#", aims: Some(["scrub"])"#);
        assert_eq!(prize, 0.0);
        assert!(scrub > 0.2, "scrub taken {scrub:.2} a run");
        // Its whole effort goes where it aims.
        let (_, focused) = two_axes("concentration: 1.0", r#", aims: Some(["scrub"])"#);
        assert!(focused >= scrub - 0.05, "{focused:.2} against {scrub:.2}");
    }
}
