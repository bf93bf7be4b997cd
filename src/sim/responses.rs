//! Responses: each party to a proposal on the table accepts or rejects it by the
//! logistic rule of `policy::accept`; the most opposed party may counter with terms
//! moved toward its own positions, which the broker can table the next day.

use std::sync::Arc;

use bevy::prelude::*;
use rand::RngExt;

use super::assessment::proposal_point;
use super::components::*;
use super::player::{Orders, Reply, Seats};
use super::{Phase, Turn};
use crate::policy::{Acceptance, Stakes, accept, concession, protection, utility};
use crate::scenario::Compiled;
use crate::scenario::compiled::{ActorIx, Proposal};

pub(super) fn plugin(app: &mut App) {
    // Most days nothing is on the table: skipping the system saves fetching its
    // many parameters.
    app.add_systems(
        Turn::Close,
        respond
            .run_if(any_with_component::<Tabled>)
            .in_set(Phase::Responses),
    );
}

/// Chance that a rejecting party makes a counter-proposal.
const COUNTER_CHANCE: f64 = 0.5;
/// Share of the way a counter moves each term toward the counterer's position.
const COUNTER_STEP: f64 = 0.5;

/// Every actor's stance, disposition and BATNA, by actor index: what a party needs
/// to know about itself and about those who lobby it. Refreshed once a turn, by the
/// assessment, and read by diplomacy, responses, implementation and drift (nothing
/// between them changes stances, dispositions or outlooks).
#[derive(Resource, Default)]
pub struct Minds {
    pub stance: Vec<Stance>,
    pub pressure: Vec<f64>,
    pub batna: Vec<f64>,
}

impl Minds {
    /// Makes room for `actors` minds, keeping the buffers of the last turn's.
    pub fn restart(&mut self, actors: usize) {
        self.stance.resize_with(actors, Stance::default);
        self.pressure.resize(actors, 0.0);
        self.batna.resize(actors, 0.0);
    }

    /// Keeps the mind of actor `i`.
    pub fn keep(&mut self, i: ActorIx, stance: &Stance, pressure: f64, batna: f64) {
        self.stance[i].clone_from(stance);
        self.pressure[i] = pressure;
        self.batna[i] = batna;
    }

    pub fn utility(&self, a: ActorIx, point: &[f64]) -> f64 {
        utility(&self.stance[a].position, &self.stance[a].salience, point)
    }
}

/// What each actor outside `terms` stands to gain from `point` against its BATNA,
/// into `out` by actor index: what it lobbies the parties with. `None` for the
/// parties, and for outsiders with no influence over any party (they lobby no one).
/// The same for every party of the terms, so computed once per proposal.
pub fn outside_stakes(
    sc: &Compiled,
    minds: &Minds,
    relations: &Relations,
    terms: &Proposal,
    point: &[f64],
    out: &mut Vec<Option<f64>>,
) {
    out.clear();
    out.extend((0..sc.actors.len()).map(|j| {
        let lobbies = !terms.parties.contains(&j)
            && terms
                .parties
                .iter()
                .any(|&p| relations.influence[j][p] != 0.0);
        lobbies.then(|| minds.utility(j, point) - minds.batna[j])
    }));
}

/// What `party` weighs when it decides on `terms` (setting `point`), given the
/// broker's `incentive`: the terms, its BATNA, how binding the deal is, pressure at
/// home, lobbying by everyone else with influence over it (`outside`, from
/// [`outside_stakes`]), and trust.
#[allow(clippy::too_many_arguments)]
pub fn stakes(
    sc: &Compiled,
    minds: &Minds,
    relations: &Relations,
    terms: &Proposal,
    point: &[f64],
    now: &[f64],
    party: ActorIx,
    incentive: f64,
    outside: &[Option<f64>],
) -> Stakes {
    let lobbying: f64 = outside
        .iter()
        .enumerate()
        .filter_map(|(j, stake)| stake.map(|stake| relations.influence[j][party] * stake))
        .sum::<f64>()
        * sc.model.lobby_weight;
    let (sum, others) = terms
        .parties
        .iter()
        .filter(|&&p| p != party)
        .fold((0.0, 0usize), |(sum, n), &o| {
            (sum + relations.trust[party][o], n + 1)
        });
    let trust = if others == 0 {
        0.5
    } else {
        sum / others as f64
    };
    Stakes {
        utility: minds.utility(party, point),
        batna: minds.batna[party],
        binding: protection(&terms.provisions),
        pressure: minds.pressure[party],
        concession: concession(
            &minds.stance[party].position,
            &minds.stance[party].salience,
            now,
            point,
        ),
        incentives: incentive,
        lobbying,
        trust,
    }
}

/// How every party of a tabled proposal weighs it today: the broker's incentives and
/// any pressure the player applies included. What the AI decides by, and what the
/// front-ends show as the odds and their reasons.
pub fn weigh(
    sc: &Compiled,
    minds: &Minds,
    relations: &Relations,
    situation: &Situation,
    orders: &Orders,
    terms: &Proposal,
    incentives: &[f64],
) -> Vec<(ActorIx, Acceptance)> {
    let point = proposal_point(sc, terms, &situation.holders);
    let mut outside = Vec::new();
    outside_stakes(sc, minds, relations, terms, &point, &mut outside);
    terms
        .parties
        .iter()
        .enumerate()
        .map(|(k, &party)| {
            let incentive = incentives.get(k).copied().unwrap_or(0.0) + orders.pressure_on(party);
            let why = accept(
                &sc.model,
                stakes(
                    sc,
                    minds,
                    relations,
                    terms,
                    &point,
                    &situation.now,
                    party,
                    incentive,
                    &outside,
                ),
            );
            (party, why)
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn respond(
    scenario: Res<ScenarioRes>,
    clock: Res<Clock>,
    situation: Res<Situation>,
    relations: Res<Relations>,
    mut rng: ResMut<SimRng>,
    mut ledger: ResMut<Ledger>,
    mut chronicle: ResMut<Chronicle>,
    minds: Res<Minds>,
    (seats, orders): (Res<Seats>, Res<Orders>),
    (battles, mut refusals): (Res<Battles>, ResMut<Refusals>),
    mut tabled: Query<(&mut Card, &mut Tabled)>,
    mut commands: Commands,
) {
    let sc = &*scenario.0;
    let m = &sc.model;
    let day = clock.day;
    let mut order: Vec<_> = tabled.iter_mut().collect();
    order.sort_by_key(|(card, _)| card.serial);
    for (mut card, mut table) in order {
        let terms = card.terms.clone();
        table.answers.clear();
        let weighed = weigh(
            sc,
            &minds,
            &relations,
            &situation,
            &orders,
            &terms,
            &table.incentives,
        );
        for (party, why) in weighed {
            let accepted = match (seats.is_player(party), orders.reply(card.serial)) {
                (true, Some(reply)) => reply == Reply::Accept,
                // Left unanswered: declined, unless the AI stands in for the player.
                (true, None) if !orders.auto_reply => false,
                _ => rng.0.random_bool(why.probability.clamp(0.0, 1.0)),
            };
            table.answers.push(Answer {
                party,
                accepted,
                why,
            });
        }
        if table.answers.iter().all(|a| a.accepted) {
            continue;
        }
        card.cooldown_until = day + m.cooldown_days + rng.0.random_range(0..=m.cooldown_days);
        if card.counter_by.is_some() {
            card.open = false;
        }
        let rejecters: Vec<&Answer> = table.answers.iter().filter(|a| !a.accepted).collect();
        // A refusal of a belligerent's own offer tells it something of the balance.
        if battles.kept
            && let Some(by) = card.counter_by
        {
            refusals
                .0
                .extend(rejecters.iter().filter(|a| a.party != by).map(|a| Refusal {
                    proposer: by,
                    refuser: a.party,
                    why: a.why,
                }));
        }
        let most_opposed = rejecters
            .iter()
            .min_by(|a, b| a.why.margin.total_cmp(&b.why.margin))
            .map(|a| a.party)
            .expect("at least one rejection");
        // The player counters only when it says so; the AI at random.
        let player_counter = rejecters
            .iter()
            .map(|a| a.party)
            .find(|&p| seats.is_player(p) && orders.reply(card.serial) == Some(Reply::Counter));
        let counterer = match player_counter {
            Some(p) => Some(p),
            None => (card.counter_by.is_none()
                && !seats.is_player(most_opposed)
                && rng.0.random_bool(COUNTER_CHANCE))
            .then_some(most_opposed),
        };
        chronicle.tell(day, || {
            let names: Vec<&str> = rejecters
                .iter()
                .map(|a| sc.actors[a.party].name.as_str())
                .collect();
            let place = sc.actors[rejecters[0].party].seat.clone();
            let what = match card.counter_by {
                Some(by) => format!("{}'s counter-proposal", sc.actors[by].name),
                None => format!("the {}", terms.name),
            };
            let verb = match rejecters[..] {
                [one] => sc.actors[one.party].verb("rejects", "reject"),
                _ => "reject",
            };
            let mut text = match card.counter_by {
                // The day's news changed the counterer's mind about its own terms.
                Some(by) if rejecters.iter().any(|a| a.party == by) => {
                    let who = &sc.actors[by];
                    let verb = who.verb("withdraws", "withdraw");
                    format!("{} {verb} {} counter-proposal", who.name, who.its())
                }
                _ => format!("{} {verb} {what}", super::diplomacy::and_list(&names)),
            };
            if let Some(by) = counterer {
                let who = &sc.actors[by];
                text.push_str(&format!(
                    "; {} {} with terms of {} own",
                    who.name,
                    who.verb("counters", "counter"),
                    who.its()
                ));
            }
            (place, text)
        });
        if let Some(by) = counterer {
            let proposal = counter_terms(
                sc,
                &terms,
                &minds.stance[by],
                by,
                table.broker,
                &situation.holders,
            );
            commands.spawn(Card {
                terms: Arc::new(proposal),
                origin: card.origin,
                counter_by: Some(by),
                open: true,
                serial: ledger.next_serial,
                cooldown_until: day + 1,
            });
            ledger.next_serial += 1;
        }
    }
}

/// A counter-proposal: the terms moved part of the way toward the counterer's
/// positions on the issues it cares about, without transfers it would lose by.
pub fn counter_terms(
    sc: &Compiled,
    terms: &Proposal,
    stance: &Stance,
    by: ActorIx,
    broker: ActorIx,
    holders: &[ActorIx],
) -> Proposal {
    let mut out = terms.clone();
    for (k, issue) in sc.issues.iter().enumerate() {
        if issue.tracks.is_some() || stance.salience[k] < 0.3 {
            continue;
        }
        let current = terms.terms[k].unwrap_or(issue.status_quo);
        out.terms[k] = Some(current + COUNTER_STEP * (stance.position[k] - current));
    }
    out.transfers
        .retain(|t| t.to == by || holders[t.region] != by);
    out.id = format!("{}-counter-{}", terms.id, sc.actors[by].id);
    out.name = format!(
        "{} counter-proposal on the {}",
        sc.actors[by].adjective, terms.name
    );
    out.brokers = vec![broker];
    out
}
