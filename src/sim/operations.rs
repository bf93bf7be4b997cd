//! Operations: a side bound by a truce may break it on one stretch of front to finish
//! an operation — a pocket about to fall, a town within reach — when it expects the
//! gain to outweigh the cost of the breach.
//!
//! Each morning, for every region a side could strike but for a truce with the
//! region's holder, it weighs what taking the region would be worth to it (the change
//! in its utility once the map issues count the region as its camp's) times how much
//! likelier the region is to fall within the horizon at full intensity than under the
//! truce, against `breach_cost`. Where the gain is larger it presses the offensive
//! there: combat strikes that region at full intensity and the fighting on its
//! stretches of front flares; the truce stays in force, its victim trusts the breaker
//! less, and the chronicle reports the breach. A truce that costs a side little to keep
//! and much to break is therefore broken where the map offers a prize: the encirclement
//! completed after a ceasefire (Debaltseve, February 2015) is the classic case.
//!
//! The decision reads yesterday's minds and the morning's map and powers, as combat
//! does; the side's own perception of the balance does not enter (it decides with the
//! odds combat will use). A player's seat does not press on its own.

use bevy::prelude::*;

use super::assessment::within;
use super::combat::{Forces, MapView, OddsCache, levels_into, read_holders_into, threats_into};
use super::components::*;
use super::player::Seats;
use super::responses::Minds;
use super::{Phase, Turn};
use crate::scenario::Compiled;
use crate::scenario::compiled::{ActorIx, RegionIx};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Turn::Open,
        press.run_if(any_truce).in_set(Phase::Operations),
    );
}

/// Only while some agreement is in force is there a truce to break.
fn any_truce(agreements: Query<&Agreement>, pressing: Res<Pressing>) -> bool {
    agreements.iter().any(Agreement::in_force) || !pressing.today.is_empty()
}

#[derive(Default)]
struct Scratch {
    holders: Vec<ActorIx>,
    level: Vec<f64>,
    forces: Forces,
    odds: OddsCache,
    truce: Vec<(RegionIx, ActorIx, f64)>,
    full: Vec<(RegionIx, ActorIx, f64)>,
    point: Vec<f64>,
}

#[allow(clippy::too_many_arguments)]
fn press(
    scenario: Res<ScenarioRes>,
    clock: Res<Clock>,
    (minds, situation, seats, aims): (Res<Minds>, Res<Situation>, Res<Seats>, Res<WarAims>),
    mut relations: ResMut<Relations>,
    mut pressing: ResMut<Pressing>,
    mut chronicle: ResMut<Chronicle>,
    mut map: ResMut<MapView>,
    armies: Query<(&Actor, &Army)>,
    patrons: Query<(&Actor, &Patron)>,
    regions: Query<(&Region, &Control)>,
    agreements: Query<&Agreement>,
    mut scratch: Local<Scratch>,
) {
    let sc = &*scenario.0;
    let m = &sc.model;
    let day = clock.day;
    let yesterday = std::mem::take(&mut pressing.today);
    // Before the first assessment nobody has a mind to decide with.
    if minds.batna.len() < sc.actors.len() || situation.now.len() < sc.issues.len() {
        return;
    }
    let Scratch {
        holders,
        level,
        forces,
        odds,
        truce,
        full,
        point,
    } = &mut *scratch;
    read_holders_into(sc, regions.iter(), holders);
    map.update(sc, holders, &aims);
    // Only agreements bind: a side does not break its own unilateral ceasefire.
    levels_into(sc, day, agreements.iter(), std::iter::empty(), level);
    let n = sc.actors.len();
    let h = m.horizon;
    // No region can be worth a breach if taking it for certain at the highest daily
    // odds would not be: most truces, most days; then the odds need no look. What a
    // region can be worth is bounded by its share of each map issue, weighed by the
    // issue's part of the side's salience (utility moves no faster than the point).
    let best = within(m.capture_rate, h);
    let worth_a_look = map.strikes.iter().any(|s| {
        level[s.attacker * n + s.defender] < 1.0
            && !seats.is_player(s.attacker)
            && best * most_worth(sc, &minds, s.attacker, s.region) > m.breach_cost
    });
    if !worth_a_look {
        return;
    }
    forces.read(sc, armies.iter(), patrons.iter());
    threats_into(
        sc,
        &map,
        &forces.power,
        |a, d| level[a * n + d],
        odds,
        truce,
    );
    threats_into(sc, &map, &forces.power, |_, _| 1.0, odds, full);
    for &(r, attacker, p_full) in full.iter() {
        let defender = holders[r];
        if level[attacker * n + defender] >= 1.0 || seats.is_player(attacker) {
            continue;
        }
        let p_truce = truce
            .iter()
            .find(|t| t.0 == r && t.1 == attacker)
            .map_or(0.0, |t| t.2);
        let worth = gain_of_taking(sc, &minds, &situation.now, holders, attacker, r, point);
        let gain = worth * (within(p_full, h) - within(p_truce, h));
        if gain <= m.breach_cost {
            continue;
        }
        pressing.today.push((attacker, r));
        relations.trust[defender][attacker] = (relations.trust[defender][attacker] - 0.02).max(0.0);
        if !yesterday.contains(&(attacker, r)) {
            pressing.breaches.push(Breach {
                day,
                by: attacker,
                region: r,
                against: defender,
            });
            chronicle.tell(day, || {
                let truce = agreements
                    .iter()
                    .filter(|a| a.binds(attacker, defender))
                    .max_by_key(|a| a.signed_day)
                    .map_or_else(|| "truce".to_string(), |a| a.terms.name.clone());
                (
                    sc.regions[r].name.clone(),
                    format!(
                        "{} forces press the offensive at {} despite the {truce}; {} {} a breach",
                        sc.actors[attacker].adjective,
                        sc.regions[r].name,
                        sc.actors[defender].name,
                        sc.actors[defender].verb("protests", "protest")
                    ),
                )
            });
        }
    }
}

/// An upper bound of [`gain_of_taking`]: the region's share of each map issue the
/// attacker cares about, weighed by that issue's part of its salience.
fn most_worth(sc: &Compiled, minds: &Minds, attacker: ActorIx, r: RegionIx) -> f64 {
    let salience = &minds.stance[attacker].salience;
    let total: f64 = salience.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    sc.issues
        .iter()
        .zip(salience)
        .filter_map(|(issue, s)| issue.tracks.as_ref().map(|t| s * t.shares[r]))
        .sum::<f64>()
        / total
}

/// What taking region `r` would be worth to `attacker`: its utility with the map
/// issues counting `r` as its camp's, less its utility now (`now`, the day's point).
fn gain_of_taking(
    sc: &Compiled,
    minds: &Minds,
    now: &[f64],
    holders: &[ActorIx],
    attacker: ActorIx,
    r: RegionIx,
    point: &mut Vec<f64>,
) -> f64 {
    point.clear();
    point.extend_from_slice(now);
    for (k, issue) in sc.issues.iter().enumerate() {
        let Some(t) = &issue.tracks else { continue };
        if t.counts(attacker) {
            point[k] += t.shares[r];
        } else if t.counts(holders[r]) {
            point[k] -= t.shares[r];
        }
        point[k] = point[k].clamp(0.0, 1.0);
    }
    minds.utility(attacker, point) - minds.utility(attacker, now)
}

#[cfg(test)]
mod tests {
    use crate::sim::Simulation;
    use crate::sim::testkit::tiny_with;

    /// The tiny war with a blue pocket, Pocket, cut off behind red's lines (its only
    /// neighbour is red's), worth `value`. Over 150 seeds: the runs in which a truce
    /// was signed, those in which the pocket fell while one was in force, and those in
    /// which the chronicle reports red pressing the offensive.
    fn pocket(value: f64) -> (u32, u32, u32) {
        let sc = tiny_with(|t| {
            t.replace("model: (breach_cost: 10.0),", "model: (),")
                .replace(
                    r#"coords: (1.0, 0.0), adjacent: ["b1"]),"#,
                    &format!(
                        r#"coords: (1.0, 0.0), adjacent: ["b1", "pocket"]),
            (id: "pocket", name: "Pocket", controller: "blue", value: {value}, population: 1000,
             coords: (1.0, 1.0), adjacent: []),"#
                    ),
                )
        });
        let mut sim = Simulation::new(sc, 0);
        let (mut truces, mut fell, mut pressed) = (0, 0, 0);
        for seed in 0..150 {
            sim.reset(seed);
            let o = sim.run_to_end();
            truces += u32::from(!o.agreements.is_empty());
            let under_truce = |day: u32| {
                o.agreements
                    .iter()
                    .any(|a| a.signed_day < day && a.ended_day.is_none_or(|e| e >= day))
            };
            fell += u32::from(
                o.captures
                    .iter()
                    .any(|c| c.region == "pocket" && under_truce(c.day)),
            );
            pressed += u32::from(
                o.chronicle
                    .iter()
                    .any(|l| l.text.contains("press the offensive at Pocket")),
            );
        }
        (truces, fell, pressed)
    }

    #[test]
    fn a_side_breaks_a_truce_to_take_a_pocket_worth_taking_and_not_otherwise() {
        let (truces, fell, pressed) = pocket(1.0);
        assert!(truces >= 50, "{truces} runs with a truce");
        assert!(
            pressed * 3 >= truces && fell * 5 >= truces,
            "worth taking: pressed in {pressed}, fell under the truce in {fell}, of {truces}"
        );
        let (truces, fell, pressed) = pocket(0.02);
        assert!(truces >= 50, "{truces} runs with a truce");
        assert_eq!(
            pressed, 0,
            "a worthless pocket pressed in {pressed} of {truces} runs"
        );
        assert!(
            fell * 20 <= truces,
            "a worthless pocket fell under the truce in {fell}"
        );
    }
}
