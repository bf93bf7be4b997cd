//! End check: a run ends when an agreement has held long enough to count as durable,
//! when a side capitulates (its capital lost or its army broken), or at the time
//! limit; otherwise the clock moves to the next day.

use bevy::prelude::*;

use super::components::*;
use super::diplomacy::{and_list, party_names};
use super::{Phase, Turn};
use crate::scenario::compiled::ActorIx;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Turn::Close, check.in_set(Phase::EndCheck));
}

fn check(
    scenario: Res<ScenarioRes>,
    roster: Res<Roster>,
    mut clock: ResMut<Clock>,
    mut chronicle: ResMut<Chronicle>,
    armies: Query<(&Actor, &Army)>,
    regions: Query<&Control>,
    mut agreements: Query<&mut Agreement>,
) {
    let sc = &*scenario.0;
    let m = &sc.model;
    let day = clock.day;
    let mut durable = None;
    for mut ag in &mut agreements {
        if ag.in_force() && day - ag.signed_day >= m.durable_days && !ag.durable {
            ag.durable = true;
            durable = Some((ag.signed_day, ag.terms.clone(), ag.broker));
        }
    }
    if let Some((signed, terms, broker)) = durable {
        // The war ends only when every pair of enemies is bound by a durable deal: a
        // deal binds its signatories, not a third party still fighting.
        let bound =
            |a: ActorIx, b: ActorIx| agreements.iter().any(|ag| ag.durable && ag.binds(a, b));
        let fighting: Vec<(ActorIx, ActorIx)> =
            sc.hostile_pairs().filter(|&(a, b)| !bound(a, b)).collect();
        chronicle.tell(day, || {
            let names = party_names(sc, &terms);
            let mut line = format!(
                "the {} signed on {} has held for {} days; {} turn to its implementation",
                terms.name,
                clock.start.plus_days(i64::from(signed)),
                day - signed,
                and_list(&names)
            );
            if !fighting.is_empty() {
                let pairs: Vec<String> = fighting
                    .iter()
                    .map(|&(a, b)| format!("{} and {}", sc.actors[a].name, sc.actors[b].name))
                    .collect();
                let pairs: Vec<&str> = pairs.iter().map(String::as_str).collect();
                line.push_str(&format!(
                    ", while the war goes on between {}",
                    and_list(&pairs)
                ));
            }
            (sc.actors[broker].seat.clone(), line)
        });
        if fighting.is_empty() {
            clock.end = Some(EndReason::DurableAgreement);
            return;
        }
    }
    for &e in &roster.actors {
        let Ok((actor, army)) = armies.get(e) else {
            continue;
        };
        // A coalition capitulates when its leader does; its members fight on or stop
        // with it.
        if !sc.leads(actor.ix) {
            continue;
        }
        let capital_lost = army.capital.is_some_and(|r| {
            regions
                .get(roster.regions[r])
                .is_ok_and(|c| sc.hostile(c.holder, actor.ix))
        });
        // At war while some enemy is bound to it by no agreement in force (asked
        // only of a broken army: most days no army is).
        let at_war = || {
            sc.belligerents().any(|b| {
                sc.hostile(actor.ix, b) && !agreements.iter().any(|a| a.binds(actor.ix, b))
            })
        };
        if capital_lost || (army.morale <= m.capitulation_morale && at_war()) {
            chronicle.tell(day, || {
                let who = &sc.actors[actor.ix];
                let why = if capital_lost {
                    format!(
                        "after the fall of {}",
                        sc.regions[army.capital.unwrap_or(0)].name
                    )
                } else {
                    format!("as {} army breaks", who.its())
                };
                let verb = who.verb("capitulates", "capitulate");
                (who.seat.clone(), format!("{} {verb} {why}", who.name))
            });
            clock.end = Some(EndReason::Capitulation);
            clock.loser = Some(actor.ix);
            return;
        }
    }
    if day + 1 >= sc.max_turns {
        clock.end = Some(EndReason::TimeLimit);
        return;
    }
    clock.day += 1;
}

#[cfg(test)]
mod tests {
    use crate::sim::Simulation;
    use crate::sim::components::{Actor, Agreement, Army};
    use crate::sim::outcome::Outcome;
    use crate::sim::testkit::three_with;

    /// 80 seeds of the three-way war (edited by `edit`): each run's outcome.
    fn runs(edit: impl Fn(&str) -> String) -> Vec<Outcome> {
        let mut sim = Simulation::new(three_with(edit), 0);
        (0..80)
            .map(|seed| {
                sim.reset(seed);
                sim.run_to_end()
            })
            .collect()
    }

    /// Whether `who` took or lost ground after `day` in `o`.
    fn fought_after(o: &Outcome, day: u32, who: &str, holders_before: &[(&str, &str)]) -> bool {
        o.captures.iter().any(|c| {
            c.day > day
                && (c.by == who
                    || holders_before
                        .iter()
                        .any(|&(r, h)| r == c.region && h == who))
        })
    }

    #[test]
    fn a_deal_between_two_leaves_the_third_at_war() {
        let (mut held, mut green_fought) = (0, 0);
        for o in runs(str::to_string) {
            // Nothing binds green, so no deal ends the war.
            assert_ne!(o.end, "durable_agreement", "seed {}", o.seed);
            for a in o.agreements.iter().filter(|a| a.held_days >= 10) {
                held += 1;
                assert!(o.end_day > a.signed_day + 10, "seed {}", o.seed);
                let homes = [("r1", "red"), ("b1", "blue"), ("g1", "green")];
                if fought_after(&o, a.signed_day, "green", &homes) {
                    green_fought += 1;
                }
                assert!(
                    o.chronicle
                        .iter()
                        .any(|l| l.text.contains("while the war goes on between")),
                    "seed {}",
                    o.seed
                );
            }
        }
        assert!(held >= 5, "only {held} red-blue truces held ten days");
        assert!(
            green_fought * 3 >= held,
            "green fought on in {green_fought} of {held}"
        );
    }

    #[test]
    fn a_coalition_member_can_sign_alone_and_its_allies_fight_on() {
        // Blue fights in red's camp; red signs a truce with green that blue does not.
        let sc = three_with(|t| {
            t.replace(
                r#"Actor(id: "blue", name: "Blue", role: Belligerent,"#,
                r#"Actor(id: "blue", name: "Blue", role: Belligerent, side: Some("red"),"#,
            )
            .replace(
                r#"parties: ["red", "blue"]"#,
                r#"parties: ["red", "green"]"#,
            )
            .replace(
                r#"{"broker": {"red": (influence: 0.6), "blue": (influence: 0.6)}}"#,
                r#"{"broker": {"red": (influence: 0.6), "green": (influence: 0.8)}}"#,
            )
            .replace(r#"aims: Some(["r1", "g1"])"#, r#"aims: Some(["g1"])"#)
            .replace(r#"aims: Some(["b1", "g1"])"#, r#"aims: Some(["g1"])"#)
        });
        let (red, blue) = (0, 1);
        let mut sim = Simulation::new(sc, 0);
        // The dead red and blue lost on the days red's truce with green held.
        let (mut truce_days, mut red_dead, mut blue_dead) = (0, 0.0, 0.0);
        for seed in 0..80 {
            sim.reset(seed);
            let mut before = dead(&mut sim);
            while sim.step() {
                let now = dead(&mut sim);
                let today = sim.clock().day - 1;
                let world = sim.world_mut();
                let bound = world
                    .query::<&Agreement>()
                    .iter(world)
                    .any(|a| a.in_force() && a.signed_day < today);
                if bound {
                    truce_days += 1;
                    red_dead += now[red] - before[red];
                    blue_dead += now[blue] - before[blue];
                }
                before = now;
            }
            let o = sim.outcome();
            // Allies never fight each other, and red's truce does not end blue's war.
            assert!(
                o.captures
                    .iter()
                    .all(|c| !(c.by == "red" && c.region == "b1"
                        || c.by == "blue" && c.region == "r1")),
                "seed {seed}"
            );
            assert_ne!(o.end, "durable_agreement", "seed {seed}");
        }
        assert!(
            truce_days >= 100,
            "only {truce_days} days under red's truce"
        );
        assert!(
            blue_dead > 3.0 * red_dead,
            "on {truce_days} truce days blue lost {blue_dead:.0}, red {red_dead:.0}"
        );
    }

    /// Each belligerent's dead so far, by actor index.
    fn dead(sim: &mut Simulation) -> Vec<f64> {
        let world = sim.world_mut();
        let mut out = vec![0.0; 4];
        for (actor, army) in world.query::<(&Actor, &Army)>().iter(world) {
            out[actor.ix] = army.dead;
        }
        out
    }
}
