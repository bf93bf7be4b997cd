//! The player's seat. A front-end (window, terminal, replay) never touches the world:
//! it gives orders before the day opens and answers once the morning has put
//! proposals on the table. The orders are carried out here, in the diplomacy phase,
//! before the AI mediators move; the answers are read in the responses phase. The AI
//! leaves the seated actor's choices alone.

use std::sync::Arc;

use bevy::prelude::*;

use super::components::*;
use super::diplomacy::{and_list, mediate, party_names, venue};
use super::{Phase, Turn};
use crate::policy::mediator;
use crate::scenario::compiled::{ActorIx, Proposal};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Turn::Open,
        carry_out
            .run_if(orders_given)
            .before(mediate)
            .in_set(Phase::Diplomacy),
    );
}

/// Whether a seated player gave orders today: most days in play, never in a batch,
/// where skipping the system saves fetching its many parameters.
fn orders_given(seats: Res<Seats>, orders: Res<Orders>) -> bool {
    seats.player.is_some() && !orders.moves.is_empty()
}

/// Who plays: `None` in a batch, where the AI decides for everyone.
#[derive(Resource, Debug, Clone, Default)]
pub struct Seats {
    pub player: Option<ActorIx>,
}

impl Seats {
    pub fn is_player(&self, a: ActorIx) -> bool {
        self.player == Some(a)
    }
}

/// One of the player's moves for the day, with every reference resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Order {
    /// Convene the parties on a proposal card (by its serial), as its broker.
    Table { serial: u32 },
    /// Put new terms to their parties, as their broker. `origin` is the scenario
    /// proposal they vary (the one its signature counts as).
    Propose { terms: Arc<Proposal>, origin: usize },
    /// Spend leverage on a party of a proposal the player tables today.
    Incentive { to: ActorIx, leverage: f64 },
    /// Lean on an actor: raises its will to sign anything today, at a cost in trust.
    Pressure { on: ActorIx, amount: f64 },
    /// Declare a unilateral ceasefire for so many days (unilateral.rs).
    Declare { days: u32 },
}

/// The player's answer to a proposal on the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    Accept,
    Reject,
    /// Reject and put terms moved toward one's own positions.
    Counter,
}

/// Today's orders and answers, and what carrying them out produced.
#[derive(Resource, Debug, Clone, Default)]
pub struct Orders {
    pub moves: Vec<Order>,
    /// Answers by card serial; a proposal left unanswered is rejected.
    pub replies: Vec<(u32, Reply)>,
    /// Cards the player tabled today: the AI mediators leave them alone.
    pub tabled: Vec<Entity>,
    /// Extra margin each actor feels today from the player's pressure, by actor.
    pub pressed: Vec<f64>,
    /// Proposals the player leaves unanswered get the AI's answer instead of a
    /// refusal (the advisor's continuations).
    pub auto_reply: bool,
}

impl Orders {
    pub fn clear(&mut self) {
        self.moves.clear();
        self.replies.clear();
        self.tabled.clear();
        self.pressed.clear();
    }

    pub fn reply(&self, serial: u32) -> Option<Reply> {
        self.replies
            .iter()
            .rev()
            .find(|(s, _)| *s == serial)
            .map(|&(_, r)| r)
    }

    /// The player's pressure on `a` today.
    pub fn pressure_on(&self, a: ActorIx) -> f64 {
        self.pressed.get(a).copied().unwrap_or(0.0)
    }
}

/// Leverage spent on a party buys this much margin per unit of influence: the same
/// rate an AI mediator gets (`policy::mediator::plan`).
pub fn incentive_margin(
    m: &crate::scenario::schema::ModelParams,
    leverage: f64,
    influence: f64,
) -> f64 {
    leverage * influence * m.incentive_weight
}

/// Trust the pressed actor loses in the player, per unit of pressure.
pub const PRESSURE_TRUST_COST: f64 = 0.25;

type Tabling = (Option<Entity>, Arc<Proposal>, usize, Vec<f64>);

#[allow(clippy::too_many_arguments)]
fn carry_out(
    scenario: Res<ScenarioRes>,
    clock: Res<Clock>,
    (seats, situation): (Res<Seats>, Res<Situation>),
    roster: Res<Roster>,
    mut orders: ResMut<Orders>,
    mut relations: ResMut<Relations>,
    mut ledger: ResMut<Ledger>,
    mut chronicle: ResMut<Chronicle>,
    mut mediators: Query<&mut Mediator>,
    cards: Query<(Entity, &Card), Without<Tabled>>,
    mut commands: Commands,
) {
    let Some(me) = seats.player else { return };
    if orders.moves.is_empty() {
        return;
    }
    let sc = &*scenario.0;
    let m = &sc.model;
    let day = clock.day;
    let facilitation = mediators
        .get(roster.actors[me])
        .map(|med| mediator::facilitation(med.style, med.diplomatic))
        .unwrap_or(0.0);
    let moves = std::mem::take(&mut orders.moves);
    // What the player tables today (an existing card or new terms, the proposal it
    // counts as, the incentives per party).
    let mut tables: Vec<Tabling> = Vec::new();
    for order in &moves {
        match order {
            Order::Table { serial } => {
                let Some((e, card)) = cards.iter().find(|(_, c)| c.serial == *serial) else {
                    continue;
                };
                if tables.iter().any(|t| t.0 == Some(e)) {
                    continue;
                }
                let n = card.terms.parties.len();
                tables.push((
                    Some(e),
                    card.terms.clone(),
                    card.origin,
                    vec![facilitation; n],
                ));
            }
            Order::Propose { terms, origin } => {
                let n = terms.parties.len();
                tables.push((None, terms.clone(), *origin, vec![facilitation; n]));
            }
            Order::Incentive { to, leverage } => {
                let Ok(mut med) = mediators.get_mut(roster.actors[me]) else {
                    continue;
                };
                let spend = leverage.clamp(0.0, med.leverage);
                let gain = incentive_margin(m, spend, relations.influence[me][*to]);
                let mut paid = false;
                for (_, terms, _, incentives) in &mut tables {
                    if let Some(k) = terms.parties.iter().position(|p| p == to) {
                        incentives[k] += gain;
                        paid = true;
                    }
                }
                if paid {
                    med.leverage -= spend;
                }
            }
            Order::Declare { days } => {
                let d = Declaration::new(me, day, *days, &situation.holders, false);
                chronicle.tell(day, || d.news(sc));
                commands.spawn(d);
            }
            Order::Pressure { on, amount } => {
                let amount = amount.clamp(0.0, 1.0);
                if orders.pressed.len() < sc.actors.len() {
                    orders.pressed.resize(sc.actors.len(), 0.0);
                }
                orders.pressed[*on] += incentive_margin(m, amount, relations.influence[me][*on]);
                let trust = &mut relations.trust[*on][me];
                *trust = (*trust - PRESSURE_TRUST_COST * amount).max(0.0);
                chronicle.say(
                    day,
                    sc.actors[me].seat.clone(),
                    format!(
                        "{} {} pressure on {} to stop the fighting",
                        sc.actors[me].name,
                        sc.actors[me].verb("puts", "put"),
                        sc.actors[*on].name
                    ),
                );
            }
        }
    }
    for (entity, terms, origin, incentives) in tables {
        let table = Tabled {
            broker: me,
            incentives,
            answers: Vec::new(),
        };
        let e = match entity {
            Some(e) => {
                commands.entity(e).insert(table);
                e
            }
            None => {
                let serial = ledger.next_serial;
                ledger.next_serial += 1;
                commands
                    .spawn((
                        Card {
                            terms: terms.clone(),
                            origin,
                            counter_by: None,
                            open: false,
                            serial,
                            cooldown_until: day,
                        },
                        table,
                    ))
                    .id()
            }
        };
        orders.tabled.push(e);
        let names = party_names(sc, &terms);
        let place = venue(sc, &terms, me);
        chronicle.say(
            day,
            place,
            format!(
                "{} {} {} for talks on the {}",
                sc.actors[me].name,
                sc.actors[me].verb("convenes", "convene"),
                and_list(&names),
                terms.name
            ),
        );
    }
    orders.moves = moves;
}
