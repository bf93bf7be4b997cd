//! Implementation: proposals every party accepted are signed (the most protective one
//! where several compete), regions change hands as agreed, and every agreement in
//! force faces its daily hazard of collapse: low for a deal with monitors,
//! peacekeepers, guarantors and precise terms, high while a party expects to gain
//! by fighting on (Fortna, *Peace Time*).

use bevy::prelude::*;
use rand::RngExt;

use super::assessment::proposal_point;
use super::combat::round_people;
use super::components::*;
use super::diplomacy::{and_list, party_names, venue};
use super::responses::Minds;
use super::{Phase, Turn};
use crate::policy::{collapse_hazard, protection};
use crate::scenario::Compiled;
use crate::scenario::compiled::{ActorIx, ProposalKind};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Turn::Close,
        (implement.run_if(anything_to_implement), tidy_cards)
            .chain()
            .in_set(Phase::Implementation),
    );
}

/// Whether there is something to sign or an agreement to keep: on most days of a war
/// there is neither, and skipping the system saves fetching its many parameters.
fn anything_to_implement(tabled: Query<(), With<Tabled>>, agreements: Query<&Agreement>) -> bool {
    !tabled.is_empty() || agreements.iter().any(Agreement::in_force)
}

pub(super) fn kind_text(kind: ProposalKind) -> &'static str {
    match kind {
        ProposalKind::Humanitarian => "a humanitarian truce",
        ProposalKind::Ceasefire => "a ceasefire",
        ProposalKind::Settlement => "a settlement",
    }
}

/// Signs what was accepted today, then puts every older agreement in force to its
/// daily test. One system rather than two: it runs every day, and the agreements
/// signed today are not tested until tomorrow either way.
#[allow(clippy::too_many_arguments)]
fn implement(
    scenario: Res<ScenarioRes>,
    clock: Res<Clock>,
    roster: Res<Roster>,
    mut situation: ResMut<Situation>,
    mut relations: ResMut<Relations>,
    mut ledger: ResMut<Ledger>,
    mut toll: ResMut<Toll>,
    mut chronicle: ResMut<Chronicle>,
    (mut rng, minds): (ResMut<SimRng>, Res<Minds>),
    tabled: Query<(Entity, &Card, &Tabled)>,
    mut agreements: Query<&mut Agreement>,
    mut regions: Query<(&mut Control, &mut Populace)>,
    mut commands: Commands,
) {
    let sc = &*scenario.0;
    let day = clock.day;
    sign(
        sc,
        day,
        &roster,
        &mut situation,
        &mut relations,
        &mut ledger,
        &mut toll,
        &mut chronicle,
        &tabled,
        &mut agreements,
        &mut regions,
        &mut commands,
    );
    keep_or_break(
        sc,
        day,
        &situation.holders,
        &mut relations,
        &mut rng,
        &mut ledger,
        &mut chronicle,
        &minds,
        &mut agreements,
    );
}

/// Signs the accepted proposals, the strongest first, a party at most one a day.
#[allow(clippy::too_many_arguments)]
fn sign(
    sc: &Compiled,
    day: u32,
    roster: &Roster,
    situation: &mut Situation,
    relations: &mut Relations,
    ledger: &mut Ledger,
    toll: &mut Toll,
    chronicle: &mut Chronicle,
    tabled: &Query<(Entity, &Card, &Tabled)>,
    agreements: &mut Query<&mut Agreement>,
    regions: &mut Query<(&mut Control, &mut Populace)>,
    commands: &mut Commands,
) {
    let m = &sc.model;
    let mut accepted: Vec<(&Card, &Tabled)> = Vec::new();
    for (e, card, table) in tabled {
        commands.entity(e).remove::<Tabled>();
        if !table.answers.is_empty() && table.answers.iter().all(|a| a.accepted) {
            accepted.push((card, table));
        }
    }
    // Strongest deal first; a party signs at most one deal a day.
    accepted.sort_by(|a, b| {
        protection(&b.0.terms.provisions)
            .total_cmp(&protection(&a.0.terms.provisions))
            .then(a.0.serial.cmp(&b.0.serial))
    });
    let mut signed_today: Vec<ActorIx> = Vec::new();
    for (card, table) in accepted {
        let terms = &card.terms;
        if terms.parties.iter().any(|p| signed_today.contains(p)) {
            continue;
        }
        signed_today.extend(&terms.parties);
        // A new deal between the same parties replaces the old one.
        for mut old in agreements.iter_mut() {
            if old.in_force() && terms.parties.iter().all(|p| old.terms.parties.contains(p)) {
                old.ended_day = Some(day);
                old.superseded = true;
            }
        }
        for &(r, to) in &terms.transfers {
            let Ok((mut control, mut pop)) = regions.get_mut(roster.regions[r]) else {
                continue;
            };
            if control.holder == to {
                continue;
            }
            control.holder = to;
            control.since = Some(day);
            situation.holders[r] = to;
            let fled = pop.people * m.capture_flight;
            pop.people -= fled;
            toll.displaced += fled;
            chronicle.tell(day, || {
                let mut text = format!(
                    "{} passes to {} control under the agreement",
                    sc.regions[r].name, sc.actors[to].adjective
                );
                if fled >= 500.0 {
                    text.push_str(&format!("; some {} residents leave", round_people(fled)));
                }
                (sc.regions[r].name.clone(), text)
            });
        }
        for &a in &terms.parties {
            for &b in &terms.parties {
                if a != b {
                    relations.trust[a][b] = (relations.trust[a][b] + 0.05).min(1.0);
                }
            }
        }
        ledger.signed[card.origin] = true;
        let point = proposal_point(sc, terms, &situation.holders);
        chronicle.tell(day, || {
            let names = party_names(sc, terms);
            let place = venue(sc, terms, table.broker);
            let mut text = format!(
                "{} agree {} — the {} — brokered by {}",
                and_list(&names),
                kind_text(terms.kind),
                terms.name,
                sc.actors[table.broker].name
            );
            if let Some(pk) = terms.provisions.peacekeepers {
                text.push_str(&format!(
                    "; {} peacekeepers to deploy",
                    sc.actors[pk].adjective
                ));
            }
            (place, text)
        });
        commands.spawn(Agreement {
            terms: terms.clone(),
            origin: card.origin,
            counter_by: card.counter_by,
            broker: table.broker,
            signed_day: day,
            ended_day: None,
            superseded: false,
            repudiated_by: None,
            point,
            protection: protection(&terms.provisions),
            durable: false,
            last_violation_news: None,
        });
    }
}

/// Each agreement signed before today holds or collapses, by its daily hazard.
#[allow(clippy::too_many_arguments)]
fn keep_or_break(
    sc: &Compiled,
    day: u32,
    holders: &[ActorIx],
    relations: &mut Relations,
    rng: &mut SimRng,
    ledger: &mut Ledger,
    chronicle: &mut Chronicle,
    minds: &Minds,
    agreements: &mut Query<&mut Agreement>,
) {
    let m = &sc.model;
    let mut live: Vec<Mut<Agreement>> = agreements
        .iter_mut()
        .filter(|a| a.in_force() && a.signed_day < day)
        .collect();
    live.sort_by_key(|a| (a.signed_day, a.origin));
    for mut ag in live {
        let point = proposal_point(sc, &ag.terms, holders);
        // The party with most to gain by fighting on is the one that breaks it.
        let (defector, gain) = ag
            .terms
            .parties
            .iter()
            .map(|&p| (p, minds.batna[p] - minds.utility(p, &point)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .expect("an agreement has parties");
        let hazard = collapse_hazard(m, ag.protection, gain);
        let terms = ag.terms.clone();
        let front = || front_place(sc, holders, defector, &terms.parties);
        if rng.0.random_bool(hazard) {
            ag.break_off(day, ledger, relations);
            let held = day - ag.signed_day;
            let what = terms.kind.noun();
            chronicle.tell(day, || {
                (
                    front(),
                    format!(
                        "the {what} breaks down after {held} day{} as {} forces resume the offensive",
                        if held == 1 { "" } else { "s" },
                        sc.actors[defector].adjective
                    ),
                )
            });
        } else if ag.last_violation_news.is_none_or(|d| d + 3 <= day)
            && rng.0.random_bool((hazard * 2.0 + 0.05).min(0.5))
        {
            ag.last_violation_news = Some(day);
            chronicle.tell(day, || {
                (
                    front(),
                    format!(
                        "shelling reported despite the {}; each side blames the other",
                        terms.name
                    ),
                )
            });
        }
    }
}

/// The most valuable front-line region held by a party other than `defector`:
/// where a breach would be reported from.
pub(super) fn front_place(
    sc: &crate::scenario::Compiled,
    holders: &[ActorIx],
    defector: ActorIx,
    parties: &[ActorIx],
) -> String {
    sc.regions
        .iter()
        .enumerate()
        .filter(|&(r, region)| {
            holders[r] != defector
                && parties.contains(&holders[r])
                && region.adjacent.iter().any(|&q| holders[q] == defector)
        })
        .max_by(|a, b| a.1.value.total_cmp(&b.1.value).then(b.0.cmp(&a.0)))
        .map_or_else(|| sc.actors[defector].seat.clone(), |(_, r)| r.name.clone())
}

/// Counter-proposals are tabled once, soon, or not at all; a player's own terms once.
fn tidy_cards(
    scenario: Res<ScenarioRes>,
    clock: Res<Clock>,
    cards: Query<(Entity, &Card), Without<Tabled>>,
    mut commands: Commands,
) {
    let scenario_cards = scenario.0.proposals.len() as u32;
    for (e, card) in &cards {
        let spent = match card.counter_by {
            Some(_) => !card.open || card.cooldown_until + 3 <= clock.day,
            None => card.serial >= scenario_cards && !card.open,
        };
        if spent {
            commands.entity(e).despawn();
        }
    }
}
