//! Unilateral ceasefires: a belligerent may stop its own offensives and fire for a
//! while without any agreement — to signal that it wants to settle, or because it
//! would rather hold where it stands than fight on — and an enemy may answer in kind.
//!
//! A belligerent at war with every enemy (bound by no agreement) and without a
//! declaration of its own in force declares one for `unilateral_days` when its hurt
//! (how much it prefers a ceasefire in place to its BATNA) exceeds `unilateral_hurt`.
//! An enemy with no declaration of its own answers with one for the days that remain
//! when it is hurting too (hurt above 0); otherwise it fights on against a side that
//! has stopped. A declaration ends early when its declarer loses ground. A player
//! declares with an order (`declare N`); the AI does not declare or answer for a
//! player's seat.
//!
//! Combat reads the declarations through the intensity between each pair, which a
//! declaration lowers on its declarer's side only.

use bevy::prelude::*;

use super::components::*;
use super::player::Seats;
use super::{Phase, Turn};
use crate::scenario::compiled::ActorIx;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Turn::Open,
        declare.run_if(may_declare).in_set(Phase::Diplomacy),
    );
}

/// Whether anyone may declare today: only where the AI declares at all (its threshold
/// below the most hurt can be) or a declaration exists to answer or end. Most runs
/// have neither, and skipping the system saves fetching its parameters.
fn may_declare(scenario: Res<ScenarioRes>, declarations: Query<(), With<Declaration>>) -> bool {
    scenario.0.model.unilateral_hurt < 1.0 || !declarations.is_empty()
}

#[allow(clippy::too_many_arguments)]
fn declare(
    scenario: Res<ScenarioRes>,
    clock: Res<Clock>,
    situation: Res<Situation>,
    seats: Res<Seats>,
    mut chronicle: ResMut<Chronicle>,
    outlooks: Query<(&Actor, &Outlook)>,
    agreements: Query<&Agreement>,
    mut declarations: Query<&mut Declaration>,
    mut commands: Commands,
) {
    let sc = &*scenario.0;
    let m = &sc.model;
    let day = clock.day;
    let holders = &situation.holders;
    if holders.len() < sc.regions.len() {
        return;
    }
    // Ground lost ends a declaration: the declarer resumes.
    for mut d in &mut declarations {
        if d.live(day) {
            let held = holders.iter().filter(|&&h| h == d.by).count();
            if held < d.held {
                d.ended_day = Some(day);
                let who = &sc.actors[d.by];
                chronicle.tell(day, || {
                    (
                        who.seat.clone(),
                        format!(
                            "{} {} {} unilateral ceasefire after losing ground",
                            who.name,
                            who.verb("ends", "end"),
                            who.its()
                        ),
                    )
                });
            }
        }
    }
    let live = |a: ActorIx| declarations.iter().any(|d| d.by == a && d.live(day));
    let mut hurt = vec![f64::NEG_INFINITY; sc.actors.len()];
    for (actor, o) in &outlooks {
        hurt[actor.ix] = o.hurt;
    }
    let bound = |a: ActorIx| {
        sc.belligerents()
            .any(|b| sc.hostile(a, b) && agreements.iter().any(|ag| ag.binds(a, b)))
    };
    let mut new: Vec<Declaration> = Vec::new();
    for a in sc.belligerents() {
        if seats.is_player(a) || live(a) || bound(a) {
            continue;
        }
        // An answer to an enemy's declaration, for the days it has left.
        let answering = declarations
            .iter()
            .filter(|d| sc.hostile(d.by, a) && d.in_force(day))
            .map(|d| d.until)
            .max();
        let declaration = match answering {
            Some(until) if hurt[a] > 0.0 => Declaration::new(a, day, until - day, holders, true),
            None if hurt[a] > m.unilateral_hurt => {
                Declaration::new(a, day, m.unilateral_days.round() as u32, holders, false)
            }
            _ => continue,
        };
        new.push(declaration);
    }
    for d in new {
        chronicle.tell(day, || d.news(sc));
        commands.spawn(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Simulation;
    use crate::sim::combat::levels_into;
    use crate::sim::player::Order;
    use crate::sim::testkit::tiny_with;

    #[test]
    fn a_declaration_lowers_the_declarers_side_only() {
        let sc = tiny_with(str::to_string);
        let d = Declaration::new(0, 3, 5, &[0, 0, 1, 1], false);
        let mut level = Vec::new();
        let n = sc.actors.len();
        // Not yet on the day it is declared, then for five days, then no more.
        for (day, red_on_blue) in [
            (3, 1.0),
            (4, sc.model.truce_intensity),
            (8, sc.model.truce_intensity),
            (9, 1.0),
        ] {
            levels_into(
                &sc,
                day,
                std::iter::empty(),
                std::iter::once(&d),
                &mut level,
            );
            assert_eq!(level[n], 1.0, "day {day}: blue fights on");
            assert_eq!(level[1], red_on_blue, "day {day}");
        }
    }

    /// 120 seeds of the tiny war with red's seat declaring a ceasefire of 40 days on
    /// the first morning (the AI answering for it otherwise): the regions red and blue
    /// took during it, and how often blue answered.
    fn declared(blue_answers: bool) -> (u32, u32, u32) {
        let sc = tiny_with(|t| {
            let t = t.replace("activism: 0.9", "activism: 0.0");
            if blue_answers {
                // Evenly matched, blue would rather stop where it stands.
                t
            } else {
                // With three times red's army, blue expects to gain by fighting on.
                t.replace(r#""blue": (troops: 10000"#, r#""blue": (troops: 30000"#)
            }
        });
        let mut sim = Simulation::new(sc, 0);
        let (mut red_took, mut blue_took, mut answered) = (0, 0, 0);
        for seed in 0..120 {
            sim.reset(seed);
            sim.set_seat(Some(0));
            sim.orders().auto_reply = true;
            sim.orders().moves.push(Order::Declare { days: 40 });
            let o = sim.run_to_end();
            let d = &o.declarations[0];
            assert_eq!((d.by.as_str(), d.day), ("red", 0), "seed {seed}");
            let end = d.ended_day.unwrap_or(d.until);
            for c in o.captures.iter().filter(|c| c.day > d.day && c.day <= end) {
                if c.by == "red" {
                    red_took += 1;
                } else {
                    blue_took += 1;
                }
            }
            answered += u32::from(o.declarations.iter().any(|d| d.by == "blue" && d.answer));
        }
        (red_took, blue_took, answered)
    }

    #[test]
    fn a_side_that_declares_stops_and_its_enemy_answers_only_when_hurting() {
        let (red, blue, answered) = declared(false);
        assert_eq!(answered, 0, "blue answered in {answered} runs");
        assert!(blue > 10 && red * 10 < blue, "red took {red}, blue {blue}");
        let (red, blue, answered) = declared(true);
        assert!(answered >= 100, "blue answered in {answered} runs of 120");
        assert!(
            red + blue <= 3,
            "red took {red}, blue {blue} under both ceasefires"
        );
    }

    #[test]
    fn the_ai_declares_when_it_hurts_past_the_threshold() {
        let count = |hurt: f64| {
            let sc = tiny_with(|t| {
                t.replace(
                    "model: (breach_cost: 10.0),",
                    &format!(
                        "model: (breach_cost: 10.0, cost_weight: 60.0, unilateral_hurt: {hurt}),"
                    ),
                )
                .replace("activism: 0.9", "activism: 0.0")
            });
            let mut sim = Simulation::new(sc, 0);
            (0..40)
                .map(|seed| {
                    sim.reset(seed);
                    sim.run_to_end().declarations.len()
                })
                .sum::<usize>()
        };
        assert_eq!(count(1.0), 0);
        assert!(
            count(0.0) >= 20,
            "{} declarations at threshold 0",
            count(0.0)
        );
    }
}
