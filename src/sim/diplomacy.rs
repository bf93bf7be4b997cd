//! Diplomacy: each mediator regains leverage, weighs the proposals it may table —
//! the chance every party signs, with the incentives it could offer, against what a
//! signature is worth to it — and may convene talks on the best one.

use bevy::prelude::*;
use rand::RngExt;

use super::assessment::proposal_point_into;
use super::components::*;
use super::player::{Orders, Seats};
use super::responses::{Minds, outside_stakes, stakes};
use super::{Phase, Turn};
use crate::policy::mediator::{self, PartyView};
use crate::policy::{accept, combined, protection, utility};
use crate::scenario::Compiled;
use crate::scenario::compiled::{ActorIx, Proposal};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Turn::Open, mediate.in_set(Phase::Diplomacy));
}

/// Names joined as in prose: "A", "A and B", "A, B and C".
pub fn and_list<S: std::borrow::Borrow<str>>(names: &[S]) -> String {
    match names {
        [] => String::new(),
        [one] => one.borrow().to_string(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last.borrow()),
    }
}

/// How a card would set the issues and how far each of its parties is from signing.
#[derive(Default)]
pub(super) struct Judged {
    done: bool,
    point: Vec<f64>,
    margins: Vec<f64>,
}

/// Diplomacy's buffers, kept between days: it runs every day.
#[derive(Default)]
pub(super) struct Scratch {
    taken: Vec<Entity>,
    judged: Vec<Judged>,
    views: Vec<PartyView>,
    outside: Vec<Option<f64>>,
    trial: mediator::Plan,
    plan: mediator::Plan,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn mediate(
    scenario: Res<ScenarioRes>,
    clock: Res<Clock>,
    roster: Res<Roster>,
    situation: Res<Situation>,
    relations: Res<Relations>,
    mut rng: ResMut<SimRng>,
    mut chronicle: ResMut<Chronicle>,
    mut mediators: Query<(&Actor, &mut Mediator)>,
    minds: Res<Minds>,
    cards: Query<(Entity, &Card), Without<Tabled>>,
    (agreements, agreed): (Query<&Agreement>, Query<&InPrinciple>),
    (seats, orders): (Res<Seats>, Res<Orders>),
    mut commands: Commands,
    mut scratch: Local<Scratch>,
) {
    let sc = &*scenario.0;
    let m = &sc.model;
    let day = clock.day;
    let in_force: Vec<&Agreement> = agreements.iter().filter(|a| a.in_force()).collect();
    let mut order: Vec<(Entity, &Card)> = cards
        .iter()
        .filter(|(_, c)| c.open && c.cooldown_until <= day)
        .collect();
    order.sort_by_key(|(_, c)| c.serial);
    let Scratch {
        taken,
        judged,
        views,
        outside,
        trial,
        plan,
    } = &mut *scratch;
    // What the player tabled this morning is not the AI's to table.
    taken.clone_from(&orders.tabled);
    // How each card would set the issues and how far each party is from signing it:
    // the same for every mediator, so judged once a day, when first needed.
    if judged.len() < order.len() {
        judged.resize_with(order.len(), Judged::default);
    }
    for j in judged.iter_mut() {
        j.done = false;
    }

    for &e in &roster.actors {
        let Ok((actor, mut med)) = mediators.get_mut(e) else {
            continue;
        };
        let me = actor.ix;
        med.leverage = (med.leverage + med.replenish).min(1.0);
        if seats.is_player(me) {
            continue;
        }
        let mut best: Option<(f64, Entity, &Card)> = None;
        for (k, &(ce, card)) in order.iter().enumerate() {
            if taken.contains(&ce) || !card.terms.brokers.contains(&me) {
                continue;
            }
            let prot = protection(&card.terms.provisions);
            let parties = &card.terms.parties;
            // Nothing to gain where a deal at least as strong already binds the parties
            // (its provisions as written, whether or not its peacekeepers are all in
            // place yet, with what its supplements added), or is agreed and awaits
            // signature; nor in a supplement already added to the deal it builds on.
            let binds = |terms: &Proposal, added: f64| {
                combined(protection(&terms.provisions), added) >= prot - 1e-9
                    && parties.iter().all(|p| terms.parties.contains(p))
            };
            let covered = in_force.iter().any(|a| {
                binds(&a.terms, a.added) || a.supplements.iter().any(|x| x.origin == card.origin)
            }) || agreed.iter().any(|t| binds(&t.terms, 0.0));
            if covered {
                continue;
            }
            let Judged {
                done,
                point,
                margins,
            } = &mut judged[k];
            if !*done {
                *done = true;
                proposal_point_into(sc, &card.terms, &situation.holders, point);
                outside_stakes(sc, &minds, &relations, &card.terms, point, outside);
                margins.clear();
                margins.extend(parties.iter().map(|&p| {
                    let why = stakes(
                        sc,
                        &minds,
                        &relations,
                        &card.terms,
                        point,
                        &situation.now,
                        p,
                        0.0,
                        outside,
                    );
                    accept(m, why).margin
                }));
            }
            views.clear();
            views.extend(
                parties
                    .iter()
                    .zip(margins.iter())
                    .map(|(&p, &margin)| PartyView {
                        margin: margin + mediator::facilitation(med.style, med.diplomatic),
                        influence: relations.influence[me][p],
                    }),
            );
            mediator::plan_into(m, med.style, med.leverage, views, trial);
            let gain = utility(
                &minds.stance[me].position,
                &minds.stance[me].salience,
                point,
            ) - minds.batna[me];
            let value = mediator::value(trial.joint, gain, prot);
            if best.as_ref().is_none_or(|(v, ..)| value > *v) {
                best = Some((value, ce, card));
                // Keep the best plan; the old one's buffers serve the next trial.
                std::mem::swap(trial, plan);
            }
        }
        let Some((value, ce, card)) = best else {
            continue;
        };
        // Activism and the worth of the talks decide whether the mediator acts today.
        let urge = (med.activism * (0.5 + 5.0 * value)).clamp(0.0, 1.0);
        if value <= 0.005 || !rng.0.random_bool(urge) {
            continue;
        }
        med.leverage = (med.leverage - plan.spend.iter().sum::<f64>()).max(0.0);
        let facilitation = mediator::facilitation(med.style, med.diplomatic);
        taken.push(ce);
        commands.entity(ce).insert(Tabled {
            broker: me,
            incentives: plan.incentives.iter().map(|i| i + facilitation).collect(),
            answers: Vec::new(),
        });
        chronicle.tell(day, || {
            let names = party_names(sc, &card.terms);
            let place = venue(sc, &card.terms, me);
            let text = match card.counter_by {
                Some(by) => format!(
                    "{} {} {}'s counter-proposal to {}",
                    sc.actors[me].name,
                    sc.actors[me].verb("puts", "put"),
                    sc.actors[by].name,
                    and_list(&others(&names, &sc.actors[by].name))
                ),
                None => format!(
                    "{} {} {} for talks on the {}",
                    sc.actors[me].name,
                    sc.actors[me].verb("convenes", "convene"),
                    and_list(&names),
                    card.terms.name
                ),
            };
            (place, text)
        });
    }
}

/// The names of the parties to `terms`, in order.
pub fn party_names<'a>(sc: &'a Compiled, terms: &Proposal) -> Vec<&'a str> {
    terms
        .parties
        .iter()
        .map(|&p| sc.actors[p].name.as_str())
        .collect()
}

/// Where talks on `terms` take place: the proposal's venue, or the broker's seat.
pub fn venue(sc: &Compiled, terms: &Proposal, broker: ActorIx) -> String {
    if terms.venue.is_empty() {
        sc.actors[broker].seat.clone()
    } else {
        terms.venue.clone()
    }
}

fn others<'a>(names: &[&'a str], but: &str) -> Vec<&'a str> {
    names.iter().copied().filter(|n| *n != but).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plural_name_takes_a_plural_verb() {
        // The broker of the tiny war as two governments: its news lines agree.
        let sc = crate::sim::testkit::tiny_with(|t| {
            t.replace(
                r#"Actor(id: "broker", name: "Broker","#,
                r#"Actor(id: "broker", name: "Ours and Theirs", plural: true,"#,
            )
        });
        let mut sim = crate::sim::Simulation::new(sc, 1);
        for _ in 0..10 {
            sim.step();
        }
        let entries = &sim.world().resource::<Chronicle>().entries;
        assert!(
            entries
                .iter()
                .any(|e| e.text.starts_with("Ours and Theirs convene Red and Blue")),
            "{:?}",
            entries.iter().map(|e| &e.text).collect::<Vec<_>>()
        );
        assert!(!entries.iter().any(|e| e.text.contains("Theirs convenes")));
    }

    #[test]
    fn joins_names_as_prose() {
        assert_eq!(and_list::<&str>(&[]), "");
        assert_eq!(and_list(&["A"]), "A");
        assert_eq!(and_list(&["A", "B"]), "A and B");
        assert_eq!(and_list(&["A", "B", "C"]), "A, B and C");
    }
}
