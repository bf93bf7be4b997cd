//! Builds the world's entities and resources from a compiled scenario.

use std::sync::Arc;

use bevy::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::components::*;
use crate::scenario::Compiled;
use crate::scenario::compiled::{Proposal, Role};

/// What a run spawns: despawned when the world is reset.
type Spawned = Or<(With<Actor>, With<Region>, With<Card>, With<Agreement>)>;

/// What every run in one world starts from, prepared once per scenario: the
/// scenario itself, its proposals as shared card terms, and the query that finds
/// what a run spawned. A batch resets the world thousands of times a second.
pub struct Setup {
    /// The scenario the runs play; the cards are always made from it.
    scenario: Arc<Compiled>,
    cards: Vec<Arc<Proposal>>,
    spawned: QueryState<Entity, Spawned>,
}

impl Setup {
    pub fn new(world: &mut World, sc: Arc<Compiled>) -> Setup {
        Setup {
            cards: cards(&sc),
            scenario: sc,
            spawned: world.query_filtered(),
        }
    }

    pub fn scenario(&self) -> &Arc<Compiled> {
        &self.scenario
    }

    /// Plays `sc` from the next run on (a sweep's next point), making its cards.
    pub fn switch_to(&mut self, sc: Arc<Compiled>) {
        if !Arc::ptr_eq(&self.scenario, &sc) {
            self.cards = cards(&sc);
            self.scenario = sc;
        }
    }

    /// Spawns the entities and inserts the resources of a run of the scenario.
    pub fn populate(&mut self, world: &mut World, seed: u64) {
        populate(world, &self.scenario, &self.cards, seed);
    }

    /// Despawns the simulation's entities; resources are replaced by `populate`.
    pub fn clear(&mut self, world: &mut World) {
        let doomed: Vec<Entity> = self.spawned.iter(world).collect();
        for e in doomed {
            world.despawn(e);
        }
    }
}

/// The scenario's proposals as the terms of its cards.
fn cards(sc: &Compiled) -> Vec<Arc<Proposal>> {
    sc.proposals.iter().cloned().map(Arc::new).collect()
}

/// Spawns one entity per actor, region and scenario proposal, and inserts the
/// resources, all in scenario order.
fn populate(world: &mut World, sc: &Arc<Compiled>, cards: &[Arc<Proposal>], seed: u64) {
    let mut roster = Roster::default();
    for (ix, a) in sc.actors.iter().enumerate() {
        let mut e = world.spawn((
            Actor { ix },
            Stance {
                position: a.position.clone(),
                salience: a.salience.clone(),
                flexibility: a.flexibility.clone(),
            },
            Disposition {
                resolve: a.resolve,
                pressure: a.pressure,
                optimism: a.optimism,
            },
            Outlook {
                war_point: vec![0.0; sc.issues.len()],
                ..Outlook::default()
            },
        ));
        if let Some(f) = a.forces {
            e.insert(Belief::prior(
                a.optimism,
                a.uncertainty,
                sc.model.force_exponent,
            ));
            if let Some(support) = a.support {
                e.insert(Home {
                    support,
                    baseline: support,
                    dead_counted: a.military_dead,
                    protesting: false,
                    leaders: 0,
                });
            }
            e.insert(Army {
                troops: f.troops,
                quality: f.quality,
                morale: f.morale,
                initial_morale: f.morale,
                reinforcements: f.reinforcements,
                capital: f.capital,
                dead: a.military_dead,
            });
        }
        if a.role == Role::Patron && !a.clients.is_empty() {
            e.insert(Patron {
                military: a.capability.military,
                commitment: a.commitment,
            });
        }
        if let Some(m) = a.mediation {
            e.insert(Mediator {
                leverage: m.leverage,
                replenish: m.replenish,
                style: m.style,
                activism: m.activism,
                diplomatic: a.capability.diplomatic,
            });
        }
        roster.actors.push(e.id());
    }
    for (ix, r) in sc.regions.iter().enumerate() {
        let id = world
            .spawn((
                Region { ix },
                Control {
                    holder: r.controller,
                    since: None,
                },
                Populace {
                    people: r.population,
                },
            ))
            .id();
        roster.regions.push(id);
    }
    for (ix, (p, terms)) in sc.proposals.iter().zip(cards).enumerate() {
        world.spawn(Card {
            terms: terms.clone(),
            origin: ix,
            counter_by: None,
            open: p.open,
            serial: ix as u32,
            cooldown_until: 0,
        });
    }
    world.insert_resource(roster);
    world.insert_resource(ScenarioRes(sc.clone()));
    world.insert_resource(SimRng(ChaCha8Rng::seed_from_u64(seed)));
    world.insert_resource(Clock {
        start: sc.start,
        day: 0,
        end: None,
        loser: None,
    });
    world.insert_resource(Relations {
        influence: sc.influence.clone(),
        trust: sc.trust.clone(),
    });
    world.insert_resource(Toll {
        civilian_dead: sc.civilian_dead,
        displaced: sc.displaced,
    });
    world.insert_resource(WarAims::of(sc));
    world.insert_resource(CaptureLog::default());
    world.insert_resource(Refusals::default());
    world.insert_resource(Pressing::default());
    world.insert_resource(HomeFront {
        held: sc.regions.iter().map(|r| r.controller).collect(),
        events: vec![],
    });
    world.insert_resource(Battles {
        kept: sc
            .actors
            .iter()
            .any(|a| a.forces.is_some() && a.uncertainty > 0.0),
        today: vec![],
        losses: vec![],
    });
    world.insert_resource(Ledger {
        signed: vec![false; sc.proposals.len()],
        collapsed: vec![false; sc.proposals.len()],
        events_fired: vec![false; sc.events.len()],
        next_serial: sc.proposals.len() as u32,
    });
    world.insert_resource(Situation::default());
    world.insert_resource(super::combat::MapView::default());
    world.insert_resource(super::responses::Minds::default());
    // A quiet run stays quiet across resets.
    let quiet = world
        .get_resource::<Chronicle>()
        .is_some_and(Chronicle::is_quiet);
    world
        .get_resource_or_insert_with(Chronicle::default)
        .restart(quiet);
    world.insert_resource(super::player::Seats::default());
    world.insert_resource(super::player::Orders::default());
    world.insert_resource(Record::default());
    // Whether strikes are watched outlives a reset, like quiet.
    world
        .get_resource_or_insert_with(Strikes::default)
        .today
        .clear();
}
