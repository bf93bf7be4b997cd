//! Events: scripted by day or date, by condition, or random with a daily chance.
//! Their effects are declarative changes to the state (stances, influence, morale,
//! losses, proposals) and each carries a dated news line.

use bevy::prelude::*;
use rand::RngExt;

use super::assessment::share;
use super::combat::read_holders_into;
use super::components::*;
use super::{Phase, Turn};
use crate::scenario::Compiled;
use crate::scenario::compiled::{ActorIx, Condition, Effect};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Turn::Open, fire.in_set(Phase::Events));
}

/// What conditions are judged against. Kept between days for its buffers.
#[derive(Default)]
struct Facts {
    day: u32,
    holders: Vec<ActorIx>,
    truce: bool,
    dead: Vec<f64>,
    civilian_dead: f64,
    displaced: f64,
    /// The last assessment's precipice, and the fall that makes the war ripe.
    precipice: f64,
    threshold: f64,
}

fn holds(c: &Condition, f: &Facts, ledger: &Ledger, values: &[f64]) -> bool {
    match c {
        Condition::Held(r, s) => f.holders[*r] == *s,
        Condition::ControlAtLeast(s, x) => share(values, &f.holders, *s) >= *x,
        Condition::Signed(p) => ledger.signed[*p],
        Condition::Collapsed(p) => ledger.collapsed[*p],
        Condition::TruceInForce => f.truce,
        Condition::AtWar => !f.truce,
        Condition::MilitaryDead(a, n) => f.dead[*a] >= *n,
        Condition::CivilianDead(n) => f.civilian_dead >= *n,
        Condition::Displaced(n) => f.displaced >= *n,
        Condition::DayAtLeast(d) => f.day >= *d,
        Condition::Ripe => f.precipice >= f.threshold,
        Condition::All(list) => list.iter().all(|c| holds(c, f, ledger, values)),
        Condition::Any(list) => list.iter().any(|c| holds(c, f, ledger, values)),
        Condition::Not(c) => !holds(c, f, ledger, values),
    }
}

/// Gathers the facts of the moment into `f`.
fn gather(
    f: &mut Facts,
    world: &World,
    sc: &Compiled,
    day: u32,
    agreements: &mut QueryState<&Agreement>,
    regions: &mut QueryState<(&Region, &Control)>,
    armies: &mut QueryState<(&Actor, &Army)>,
) {
    read_holders_into(sc, regions.iter(world), &mut f.holders);
    f.dead.clear();
    f.dead.resize(sc.actors.len(), 0.0);
    for (actor, army) in armies.iter(world) {
        f.dead[actor.ix] = army.dead;
    }
    let toll = world.resource::<Toll>();
    f.day = day;
    f.truce = agreements.iter(world).any(Agreement::in_force);
    f.civilian_dead = toll.civilian_dead;
    f.displaced = toll.displaced;
    f.precipice = world.resource::<Situation>().precipice;
    f.threshold = sc.model.precipice;
}

fn fire(
    world: &mut World,
    agreements: &mut QueryState<&Agreement>,
    regions: &mut QueryState<(&Region, &Control)>,
    armies: &mut QueryState<(&Actor, &Army)>,
    mut facts: Local<Facts>,
) {
    let sc = world.resource::<ScenarioRes>().0.clone();
    if sc.events.is_empty() {
        return;
    }
    let day = world.resource::<Clock>().day;
    // The facts are gathered only once an event is due to be judged, and again after
    // each event fires: later events see what earlier ones changed.
    let mut known = false;
    let mut from = 0;
    loop {
        // The next event whose time and conditions are met, judged with one look at
        // the ledger.
        let next = {
            let ledger = world.resource::<Ledger>();
            (from..sc.events.len()).find(|&i| {
                let ev = &sc.events[i];
                (!ledger.events_fired[i] || ev.repeat)
                    && ev.day.is_none_or(|d| d == day)
                    && ev.when.as_ref().is_none_or(|c| {
                        if !known {
                            gather(&mut facts, world, &sc, day, agreements, regions, armies);
                            known = true;
                        }
                        holds(c, &facts, ledger, &sc.values)
                    })
            })
        };
        let Some(i) = next else { break };
        from = i + 1;
        let ev = &sc.events[i];
        if !world.resource_mut::<SimRng>().0.random_bool(ev.chance) {
            continue;
        }
        world.resource_mut::<Ledger>().events_fired[i] = true;
        let roster = world.resource::<Roster>().clone();
        for effect in &ev.effects {
            apply(world, &roster, effect);
        }
        world
            .resource_mut::<Chronicle>()
            .tell(day, || (ev.place.clone(), ev.news.clone()));
        known = false;
    }
}

fn apply(world: &mut World, roster: &Roster, effect: &Effect) {
    let bump = |v: &mut f64, d: f64| *v = (*v + d).clamp(0.0, 1.0);
    match *effect {
        Effect::Position(a, k, d) => {
            if let Some(mut s) = world.get_mut::<Stance>(roster.actors[a]) {
                bump(&mut s.position[k], d);
            }
        }
        Effect::Salience(a, k, d) => {
            if let Some(mut s) = world.get_mut::<Stance>(roster.actors[a]) {
                bump(&mut s.salience[k], d);
            }
        }
        Effect::Influence(x, y, d) => {
            bump(&mut world.resource_mut::<Relations>().influence[x][y], d)
        }
        Effect::Trust(x, y, d) => bump(&mut world.resource_mut::<Relations>().trust[x][y], d),
        Effect::Morale(a, d) => {
            if let Some(mut army) = world.get_mut::<Army>(roster.actors[a]) {
                bump(&mut army.morale, d);
            }
        }
        Effect::Troops(a, d) => {
            if let Some(mut army) = world.get_mut::<Army>(roster.actors[a]) {
                army.troops = (army.troops + d).max(1.0);
            }
        }
        Effect::MilitaryLosses(a, n) => {
            if let Some(mut army) = world.get_mut::<Army>(roster.actors[a]) {
                army.dead += n;
                army.troops = (army.troops - n).max(1.0);
            }
        }
        Effect::Resolve(a, d) => {
            if let Some(mut disp) = world.get_mut::<Disposition>(roster.actors[a]) {
                bump(&mut disp.resolve, d);
            }
        }
        Effect::Pressure(a, d) => {
            if let Some(mut disp) = world.get_mut::<Disposition>(roster.actors[a]) {
                bump(&mut disp.pressure, d);
            }
        }
        Effect::Commitment(a, d) => {
            if let Some(mut p) = world.get_mut::<Patron>(roster.actors[a]) {
                bump(&mut p.commitment, d);
            }
        }
        Effect::Leverage(a, d) => {
            if let Some(mut m) = world.get_mut::<Mediator>(roster.actors[a]) {
                bump(&mut m.leverage, d);
            }
        }
        Effect::CivilianLosses(n) => world.resource_mut::<Toll>().civilian_dead += n,
        Effect::Displace(r, n) => {
            let moved = world
                .get_mut::<Populace>(roster.regions[r])
                .map_or(0.0, |mut p| {
                    let moved = n.min(p.people);
                    p.people -= moved;
                    moved
                });
            world.resource_mut::<Toll>().displaced += moved;
        }
        Effect::Aims(a, ref regions) => {
            world.resource_mut::<WarAims>().0[a] = Some(regions.clone());
        }
        Effect::OpenProposal(p) | Effect::CloseProposal(p) => {
            let open = matches!(effect, Effect::OpenProposal(_));
            let mut q = world.query::<&mut Card>();
            for mut card in q.iter_mut(world) {
                if card.origin == p && card.counter_by.is_none() {
                    card.open = open;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::Simulation;
    use crate::sim::components::{Ledger, Situation};
    use crate::sim::testkit::tiny_with;

    /// Plays the tiny war with a closed text that an event drafts once the war is
    /// ripe, at the given `precipice`: for each day, whether the last assessment had
    /// found the war ripe before the day opened, and whether the event had fired once
    /// it had.
    fn drafted(precipice: f64, seed: u64) -> Vec<(bool, bool)> {
        let sc = tiny_with(|t| {
            t.replace(
                "model: (breach_cost: 10.0),",
                &format!("model: (breach_cost: 10.0, precipice: {precipice}),"),
            )
            .replace(
                "provisions: (monitoring: 0.5, specificity: 0.5)),",
                "provisions: (monitoring: 0.5, specificity: 0.5), open: false),",
            )
            .replace(
                "    ],\n)",
                "    ],\n    events: [Event(id: \"draft\", news: \"the broker drafts a truce\",\n\
                 when: Some(All([AtWar, Ripe])), effects: [OpenProposal(\"truce\")])],\n)",
            )
        });
        let mut sim = Simulation::new(sc.clone(), seed);
        let mut days = Vec::new();
        while !sim.finished() {
            let ripe = sim.world().resource::<Situation>().precipice >= precipice;
            sim.open_day();
            days.push((ripe, sim.world().resource::<Ledger>().events_fired[0]));
            if sim.finished() {
                break;
            }
            sim.close_day();
        }
        days
    }

    #[test]
    fn a_text_is_drafted_on_the_day_after_a_side_s_outlook_falls_off_a_cliff() {
        let mut seen = 0;
        for seed in 0..20 {
            let days = drafted(0.02, seed);
            let first = days.iter().position(|&(ripe, _)| ripe);
            let fired = days.iter().position(|&(_, fired)| fired);
            // Fired on the first morning after an assessment found the war ripe, and
            // not before (the war is not at a truce: the text is the only one).
            assert_eq!(first, fired, "seed {seed}: {days:?}");
            seen += usize::from(fired.is_some());
        }
        assert!(seen >= 5, "the tiny war was ripe in {seen} of 20 runs");
        // A fall no outlook can take never makes the war ripe.
        assert!(drafted(1.0, 3).iter().all(|&(_, fired)| !fired));
    }
}
