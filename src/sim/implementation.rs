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
use super::player::{Orders, Seats};
use super::responses::Minds;
use super::responses::weigh;
use super::{Phase, Turn};
use crate::policy::{collapse_hazard, combined, deployed, protection, protection_deployed};
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
fn anything_to_implement(
    tabled: Query<(), With<Tabled>>,
    pending: Query<(), With<InPrinciple>>,
    agreements: Query<&Agreement>,
) -> bool {
    !tabled.is_empty() || !pending.is_empty() || agreements.iter().any(Agreement::in_force)
}

pub(super) fn kind_text(kind: ProposalKind) -> &'static str {
    match kind {
        ProposalKind::Humanitarian => "a humanitarian truce",
        ProposalKind::Ceasefire => "a ceasefire",
        ProposalKind::Settlement => "a settlement",
    }
}

/// Signs what was accepted today (or agrees it in principle, for texts with a
/// signing delay) and what is due to be signed, makes the handovers due, then puts
/// every older agreement in force to its daily test. One system rather than
/// several: it runs every day, and the agreements signed today are not tested until
/// tomorrow either way.
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
    (seats, orders): (Res<Seats>, Res<Orders>),
    tabled: Query<(Entity, &Card, &Tabled)>,
    pending: Query<(Entity, &InPrinciple)>,
    // 'static spelled out: `Signing` names the queries' types.
    mut agreements: Query<&'static mut Agreement>,
    mut regions: Query<(&'static mut Control, &'static mut Populace)>,
    mut commands: Commands,
) {
    let sc = &*scenario.0;
    let day = clock.day;
    let mut world = Signing {
        sc,
        day,
        roster: &roster,
        situation: &mut situation,
        relations: &mut relations,
        ledger: &mut ledger,
        toll: &mut toll,
        chronicle: &mut chronicle,
        agreements: &mut agreements,
        regions: &mut regions,
        commands: &mut commands,
        signed_today: Vec::new(),
    };
    sign_due(&mut world, &minds, (&seats, &orders), &pending);
    sign(&mut world, &tabled);
    hand_over(&mut world);
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

/// What signing a text and carrying it out change.
struct Signing<'a, 'w, 's, 'rw, 'rs, 'cw, 'cs> {
    sc: &'a Compiled,
    day: u32,
    roster: &'a Roster,
    situation: &'a mut Situation,
    relations: &'a mut Relations,
    ledger: &'a mut Ledger,
    toll: &'a mut Toll,
    chronicle: &'a mut Chronicle,
    agreements: &'a mut Query<'w, 's, &'static mut Agreement>,
    regions: &'a mut Query<'rw, 'rs, (&'static mut Control, &'static mut Populace)>,
    commands: &'a mut Commands<'cw, 'cs>,
    /// The parties that signed a deal today: a party signs at most one a day.
    signed_today: Vec<ActorIx>,
}

/// Texts agreed in principle whose signing day has come: signed, unless a party
/// now does worse by them than when it agreed and would not accept them today
/// (the war went its way in between).
fn sign_due(
    world: &mut Signing,
    minds: &Minds,
    (seats, orders): (&Seats, &Orders),
    pending: &Query<(Entity, &InPrinciple)>,
) {
    let sc = world.sc;
    let mut due: Vec<(Entity, &InPrinciple)> = pending
        .iter()
        .filter(|(_, t)| t.signing_day() <= world.day)
        .collect();
    due.sort_by_key(|(_, t)| (t.agreed_day, t.origin));
    for (e, text) in due {
        world.commands.entity(e).despawn();
        let weighed = weigh(
            sc,
            minds,
            world.relations,
            world.situation,
            orders,
            &text.terms,
            &text.incentives,
        );
        // A player's signature stands as given.
        let walks_away = weighed
            .iter()
            .zip(&text.margins)
            .find(|&(&(party, why), &then)| !seats.is_player(party) && why.margin < then.min(0.0))
            .map(|(&(party, _), _)| party);
        if let Some(party) = walks_away {
            let day = world.day;
            world.chronicle.tell(day, || {
                let days = day - text.agreed_day;
                (
                    sc.actors[party].seat.clone(),
                    format!(
                        "{} {} away from the {} agreed {days} day{} ago, before it is signed",
                        sc.actors[party].name,
                        sc.actors[party].verb("walks", "walk"),
                        text.terms.name,
                        if days == 1 { "" } else { "s" }
                    ),
                )
            });
            continue;
        }
        world.put_in_force(text, text.agreed_day);
    }
}

/// Signs the accepted proposals, the strongest first, a party at most one a day;
/// a text with a signing delay is agreed in principle and signed later.
fn sign(world: &mut Signing, tabled: &Query<(Entity, &Card, &Tabled)>) {
    let mut accepted: Vec<(&Card, &Tabled)> = Vec::new();
    for (e, card, table) in tabled {
        world.commands.entity(e).remove::<Tabled>();
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
    // A party that agreed a stronger text in principle today signs no weaker one
    // beside it, as one that signed a stronger text today does not (`put_in_force`).
    let mut agreed_today: Vec<ActorIx> = Vec::new();
    for (card, table) in accepted {
        if card.terms.parties.iter().any(|p| agreed_today.contains(p)) {
            continue;
        }
        let text = InPrinciple {
            terms: card.terms.clone(),
            origin: card.origin,
            counter_by: card.counter_by,
            broker: table.broker,
            agreed_day: world.day,
            incentives: table.incentives.clone(),
            margins: table.answers.iter().map(|a| a.why.margin).collect(),
        };
        if text.terms.signing_delay == 0 {
            world.put_in_force(&text, world.day);
            continue;
        }
        agreed_today.extend(&text.terms.parties);
        let day = world.day;
        let sc = world.sc;
        world.chronicle.tell(day, || {
            let names = party_names(sc, &text.terms);
            (
                venue(sc, &text.terms, text.broker),
                format!(
                    "{} agree in principle on the {}, to be signed in {} day{}; the fighting goes on",
                    and_list(&names),
                    text.terms.name,
                    text.terms.signing_delay,
                    if text.terms.signing_delay == 1 { "" } else { "s" }
                ),
            )
        });
        world.commands.spawn(text);
    }
}

impl Signing<'_, '_, '_, '_, '_, '_, '_> {
    /// Signs `text` today, unless one of its parties has signed another deal today:
    /// the deals it replaces end, the handovers due on signing are made, the rest
    /// are put on the timetable.
    fn put_in_force(&mut self, text: &InPrinciple, agreed_day: u32) {
        let (sc, day) = (self.sc, self.day);
        let terms = &text.terms;
        if terms.parties.iter().any(|p| self.signed_today.contains(p)) {
            return;
        }
        self.signed_today.extend(&terms.parties);
        // A text that builds on one in force adds to it instead.
        if let Some(base) = terms.supplements
            && self.supplement(text, base)
        {
            return;
        }
        // A new deal between the same parties replaces the old one.
        for mut old in self.agreements.iter_mut() {
            if old.in_force() && terms.parties.iter().all(|p| old.terms.parties.contains(p)) {
                old.ended_day = Some(day);
                old.superseded = true;
            }
        }
        let mut handovers = handovers_of(terms, day);
        for h in handovers.iter_mut().filter(|h| h.due == day) {
            self.transfer(h, "under the agreement");
        }
        for &a in &terms.parties {
            for &b in &terms.parties {
                if a != b {
                    self.relations.trust[a][b] = (self.relations.trust[a][b] + 0.05).min(1.0);
                }
            }
        }
        self.ledger.signed[text.origin] = true;
        let point = proposal_point(sc, terms, &self.situation.holders);
        self.chronicle.tell(day, || {
            let names = party_names(sc, terms);
            let place = venue(sc, terms, text.broker);
            let verb = if agreed_day == day { "agree" } else { "sign" };
            let mut line = format!(
                "{} {verb} {} — the {} — brokered by {}",
                and_list(&names),
                kind_text(terms.kind),
                terms.name,
                sc.actors[text.broker].name
            );
            if let Some(pk) = terms.provisions.peacekeepers {
                line.push_str(&format!(
                    "; {} peacekeepers to deploy",
                    sc.actors[pk].adjective
                ));
            }
            let later = handovers.iter().filter(|h| h.done.is_none()).count();
            if later > 0 {
                line.push_str(&format!(
                    "; {later} region{} to be handed over on a timetable",
                    if later == 1 { "" } else { "s" }
                ));
            }
            (place, line)
        });
        let provisions = &terms.provisions;
        self.commands.spawn(Agreement {
            terms: terms.clone(),
            origin: text.origin,
            counter_by: text.counter_by,
            broker: text.broker,
            agreed_day,
            signed_day: day,
            handovers,
            supplements: Vec::new(),
            added: 0.0,
            ended_day: None,
            superseded: false,
            repudiated_by: None,
            point,
            protection: protection_deployed(provisions, deployed(provisions, 0)),
            durable: false,
            belief_gap: self.situation.belief_gap,
            last_violation_news: None,
        });
    }

    /// Adds `text` to the agreement in force that came from `base`, if there is one:
    /// its provisions to the agreement's protection, its transfers to its handovers,
    /// while the agreement keeps its own clock. Whether it did.
    fn supplement(&mut self, text: &InPrinciple, base: usize) -> bool {
        let (sc, day) = (self.sc, self.day);
        let terms = &text.terms;
        let from_base = |a: &Agreement| a.in_force() && a.origin == base;
        if !self.agreements.iter().any(from_base) {
            return false;
        }
        // The regions due on signing change hands first, as for any text.
        let mut handovers = handovers_of(terms, day);
        for h in handovers.iter_mut().filter(|h| h.due == day) {
            self.transfer(h, "under the agreement");
        }
        let mut ag = self
            .agreements
            .iter_mut()
            .filter(|a| from_base(a))
            .max_by_key(|a| a.signed_day)
            .expect("an agreement from the base text, found above");
        let before = ag.protection;
        ag.added = combined(ag.added, protection(&terms.provisions));
        let own = protection_deployed(
            &ag.terms.provisions,
            deployed(&ag.terms.provisions, day - ag.signed_day),
        );
        ag.protection = combined(own, ag.added);
        let extended = ag.protection > before + 1e-9 || !handovers.is_empty();
        ag.supplements.push(Supplement {
            origin: text.origin,
            day,
            extended,
        });
        ag.handovers.extend(handovers);
        let name = ag.terms.name.clone();
        self.ledger.signed[text.origin] = true;
        self.chronicle.tell(day, || {
            let names = party_names(sc, terms);
            let how = if extended { "extends" } else { "reaffirms" };
            (
                venue(sc, terms, text.broker),
                format!(
                    "{} sign the {}, which {how} the {name}",
                    and_list(&names),
                    terms.name
                ),
            )
        });
        true
    }

    /// Hands `h.region` over to `h.to` today, `how` (for the chronicle).
    fn transfer(&mut self, h: &mut Handover, how: &str) {
        let (sc, day) = (self.sc, self.day);
        h.done = Some(day);
        let Ok((mut control, mut pop)) = self.regions.get_mut(self.roster.regions[h.region]) else {
            return;
        };
        if control.holder == h.to {
            return;
        }
        control.holder = h.to;
        control.since = Some(day);
        self.situation.holders[h.region] = h.to;
        let fled = pop.people * sc.model.capture_flight;
        pop.people -= fled;
        self.toll.displaced += fled;
        self.chronicle.tell(day, || {
            let mut text = format!(
                "{} passes to {} control {how}",
                sc.regions[h.region].name, sc.actors[h.to].adjective
            );
            if fled >= 500.0 {
                text.push_str(&format!("; some {} residents leave", round_people(fled)));
            }
            (sc.regions[h.region].name.clone(), text)
        });
    }
}

/// The handovers of `terms` signed on `day`, on its timetable, none yet made.
fn handovers_of(terms: &crate::scenario::compiled::Proposal, day: u32) -> Vec<Handover> {
    terms
        .transfers
        .iter()
        .map(|t| Handover {
            region: t.region,
            to: t.to,
            due: day + t.after,
            done: None,
        })
        .collect()
}

/// The handovers due today under the agreements in force, in the order signed, and
/// each agreement's protection as its monitors and peacekeepers arrive.
fn hand_over(world: &mut Signing) {
    let day = world.day;
    let mut due: Vec<(u32, usize, Vec<Handover>)> = Vec::new();
    for mut ag in world.agreements.iter_mut().filter(|a| a.in_force()) {
        let provisions = &ag.terms.provisions;
        if provisions.deployment_days > 0 {
            let share = deployed(provisions, day - ag.signed_day);
            let own = protection_deployed(provisions, share);
            ag.protection = combined(own, ag.added);
        }
        if ag
            .handovers
            .iter()
            .any(|h| h.done.is_none() && h.due <= day)
        {
            due.push((ag.signed_day, ag.origin, ag.handovers.clone()));
        }
    }
    if due.is_empty() {
        return;
    }
    due.sort_by_key(|&(signed, origin, _)| (signed, origin));
    for (signed, origin, mut handovers) in due {
        for h in handovers
            .iter_mut()
            .filter(|h| h.done.is_none() && h.due <= day)
        {
            world.transfer(h, "on the agreement's timetable");
        }
        for mut ag in world.agreements.iter_mut() {
            if ag.in_force() && ag.signed_day == signed && ag.origin == origin {
                ag.handovers.clone_from(&handovers);
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Simulation;
    use crate::sim::testkit::tiny_with;

    /// The tiny war with its truce turned into a settlement that swaps two frontline
    /// regions on a timetable, with `extra` fields added to the proposal.
    fn staged(extra: &str) -> std::sync::Arc<Compiled> {
        tiny_with(|t| {
            t.replace(
                r#"terms: {"talks": 1.0},"#,
                &format!(
                    r#"terms: {{"talks": 1.0}}, transfers: {{"r2": "blue", "b1": "red"}},
                       timetable: {{"r2": 3, "b1": 6}}, {extra}"#
                ),
            )
        })
    }

    /// Who holds each region, by index.
    fn holders(sim: &mut Simulation) -> Vec<ActorIx> {
        let world = sim.world_mut();
        let mut q = world.query::<(&Region, &Control)>();
        let mut out = vec![0; q.iter(world).count()];
        for (r, c) in q.iter(world) {
            out[r.ix] = c.holder;
        }
        out
    }

    /// Plays seed `seed` day by day: the holders at the close of each day, by day.
    fn play(sim: &mut Simulation, seed: u64) -> Vec<Vec<ActorIx>> {
        sim.reset(seed);
        let mut days = Vec::new();
        loop {
            let more = sim.step();
            days.push(holders(sim));
            if !more {
                return days;
            }
        }
    }

    #[test]
    fn handovers_follow_their_timetable() {
        let sc = staged("");
        let mut sim = Simulation::new(sc.clone(), 0);
        let (mut made, mut broken_first, mut checked) = (0, 0, 0);
        for seed in 0..60 {
            let by_day = play(&mut sim, seed);
            let o = sim.outcome();
            for ag in sim
                .world_mut()
                .query::<&Agreement>()
                .iter(sim.world())
                .filter(|a| !a.handovers.is_empty())
            {
                for h in &ag.handovers {
                    let after = if h.region == 1 { 3 } else { 6 };
                    assert_eq!(h.due, ag.signed_day + after, "seed {seed}");
                    match h.done {
                        Some(d) => {
                            made += 1;
                            assert_eq!(d, h.due, "seed {seed}: made on day {d}, due {}", h.due);
                            assert!(ag.ended_day.is_none_or(|e| e > d), "seed {seed}");
                            // The giver's from signing to the day before, the receiver's
                            // that day (unless it changed hands by force in between).
                            let signed = ag.signed_day as usize;
                            let giver = by_day[signed][h.region];
                            let taken = o.captures.iter().any(|c| {
                                c.day >= ag.signed_day && c.region == sc.regions[h.region].id
                            });
                            if giver != h.to && !taken {
                                let d = d as usize;
                                assert!(
                                    by_day[signed..d].iter().all(|x| x[h.region] == giver),
                                    "seed {seed}"
                                );
                                assert_eq!(by_day[d][h.region], h.to, "seed {seed}");
                                checked += 1;
                            }
                        }
                        None => {
                            broken_first += 1;
                            // The deal ended (or the run did) before it was due.
                            let end = ag.ended_day.unwrap_or(o.end_day);
                            assert!(end <= h.due, "seed {seed}: due {} but ended {end}", h.due);
                        }
                    }
                }
            }
        }
        assert!(
            made >= 10 && checked >= 5,
            "{made} handovers made ({checked} followed day by day), {broken_first} not"
        );
    }

    #[test]
    fn a_text_with_a_signing_delay_is_signed_later_and_binds_only_then() {
        let sc = staged("signing_delay: 4,");
        let mut sim = Simulation::new(sc.clone(), 0);
        let (mut signed, mut agreed) = (0, 0);
        for seed in 0..60 {
            sim.reset(seed);
            let mut pending_on: Vec<u32> = Vec::new();
            while sim.step() {
                let day = sim.clock().day - 1;
                let world = sim.world_mut();
                if world.query::<&InPrinciple>().iter(world).next().is_some() {
                    pending_on.push(day);
                    // Nothing binds the parties while the text waits.
                    assert!(
                        world
                            .query::<&Agreement>()
                            .iter(world)
                            .all(|a| !a.in_force()),
                        "seed {seed} day {day}"
                    );
                }
            }
            let o = sim.outcome();
            agreed += usize::from(!pending_on.is_empty());
            for a in &o.agreements {
                signed += 1;
                assert_eq!(a.signed_day, a.agreed_day + 4, "seed {seed}");
            }
        }
        assert!(
            agreed >= 5 && signed >= 5,
            "{agreed} agreed in principle, {signed} signed"
        );
    }

    /// The tiny war with a second text that builds on its truce, with more monitors
    /// and a peacekeeper; `supplements` toggled.
    fn follow_up(supplements: bool) -> std::sync::Arc<Compiled> {
        let link = if supplements {
            r#"supplements: Some("truce"),"#
        } else {
            ""
        };
        tiny_with(|t| {
            t.replace(
                "provisions: (monitoring: 0.5, specificity: 0.5)),",
                &format!(
                    r#"provisions: (monitoring: 0.5, specificity: 0.5)),
        Proposal(id: "protocol", name: "monitoring protocol", kind: Ceasefire,
                 brokers: ["broker"], parties: ["red", "blue"], terms: {{"talks": 1.0}},
                 {link} provisions: (monitoring: 1.0, specificity: 0.9,
                                     peacekeepers: Some("broker")), open: false),"#
                ),
            )
            // The protocol comes to the table once the truce is signed.
            .replace(
                "    ],\n)",
                r#"    ],
    events: [Event(id: "talks-go-on", news: "talks on monitoring open",
                   when: Some(Signed("truce")), effects: [OpenProposal("protocol")])],
)"#,
            )
        })
    }

    #[test]
    fn a_supplement_extends_the_text_it_builds_on_and_keeps_its_clock() {
        let mut sim = Simulation::new(follow_up(true), 0);
        let mut extended = 0;
        for seed in 0..80 {
            sim.reset(seed);
            let o = sim.run_to_end();
            // The protocol never stands as an agreement of its own while the truce is
            // in force to take it.
            for a in o.agreements.iter().filter(|a| !a.supplements.is_empty()) {
                extended += 1;
                assert_eq!(a.proposal, "truce", "seed {seed}");
                let s = &a.supplements[0];
                assert!(s.extended && s.day > a.signed_day, "seed {seed}: {s:?}");
                assert!(!a.superseded, "seed {seed}");
                assert!(
                    o.chronicle
                        .iter()
                        .any(|l| l.text.contains(", which extends the ")),
                    "seed {seed}"
                );
            }
        }
        assert!(
            extended >= 10,
            "the protocol extended the truce in {extended} runs"
        );
        // Without the link, the same protocol replaces the truce.
        let mut sim = Simulation::new(follow_up(false), 0);
        let superseded = (0..80)
            .filter(|&seed| {
                sim.reset(seed);
                sim.run_to_end()
                    .agreements
                    .iter()
                    .any(|a| a.proposal == "truce" && a.superseded)
            })
            .count();
        assert!(superseded >= 10, "superseded in {superseded} runs");
    }
}
