//! The figures of a finished run, by index and without text: what a batch keeps of
//! each run. Cheaper than [`super::Outcome`], which names everything and copies the
//! chronicle.

use bevy::prelude::*;

use super::components::*;
use crate::scenario::compiled::{ActorIx, ProposalIx, ProposalKind};

#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    /// `None` while the run goes on.
    pub end: Option<EndReason>,
    pub end_day: u32,
    pub loser: Option<ActorIx>,
    /// Agreements signed, and how many of them collapsed.
    pub signed: u32,
    pub collapsed: u32,
    pub first_signed_day: Option<u32>,
    pub durable: Option<DurableDeal>,
    /// Per actor (zero for actors without forces).
    pub military_dead: Vec<f64>,
    pub civilian_dead: f64,
    pub displaced: f64,
    /// Per actor: the share of the theatre's strategic value it holds.
    pub control: Vec<f64>,
    /// Every agreement signed, in order of signing.
    pub agreements: Vec<Deal>,
    /// Per region: who holds it at the end, and since which day (`None`: since the start).
    pub holders: Vec<(ActorIx, Option<u32>)>,
    /// Regions taken by force, in the order they fell.
    pub captures: Vec<Capture>,
    /// Changes of leader and repudiations, over every government (politics at home).
    pub leader_changes: u32,
    pub repudiations: u32,
    /// Regions handed over under agreements, as their timetables fell due.
    pub handovers: u32,
    /// Offensives pressed despite a truce (each counted on its first day).
    pub breaches: u32,
    /// Unilateral ceasefires declared, answers included.
    pub declarations: u32,
}

/// An agreement as a batch sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Deal {
    pub origin: ProposalIx,
    pub kind: ProposalKind,
    pub broker: ActorIx,
    pub signed_day: u32,
    pub ended_day: Option<u32>,
    /// Ended by a later deal between the same parties rather than by a collapse.
    pub superseded: bool,
    pub durable: bool,
}

/// The agreement that ended the war.
#[derive(Debug, Clone, PartialEq)]
pub struct DurableDeal {
    pub day: u32,
    pub origin: ProposalIx,
    pub counter_by: Option<ActorIx>,
    pub broker: ActorIx,
    pub peacekeepers: Option<ActorIx>,
    pub monitoring: f64,
    pub guarantors: Vec<ActorIx>,
    /// The belief gap the morning it was signed.
    pub belief_gap: f64,
}

pub(super) fn collect(world: &mut World) -> Tally {
    let clock = world.resource::<Clock>().clone();
    let sc = world.resource::<ScenarioRes>().0.clone();
    let actors = sc.actors.len();
    let mut tally = Tally {
        end: clock.end,
        end_day: clock.day,
        loser: clock.loser,
        signed: 0,
        collapsed: 0,
        first_signed_day: None,
        durable: None,
        military_dead: vec![0.0; actors],
        civilian_dead: 0.0,
        displaced: 0.0,
        control: vec![0.0; actors],
        agreements: vec![],
        holders: vec![],
        captures: world.resource::<CaptureLog>().0.clone(),
        leader_changes: 0,
        repudiations: 0,
        handovers: 0,
        breaches: world.resource::<Pressing>().breaches.len() as u32,
        declarations: world.query::<&Declaration>().iter(world).count() as u32,
    };
    for h in &world.resource::<HomeFront>().events {
        match h.what {
            HomeTurn::LeaderChange => tally.leader_changes += 1,
            HomeTurn::Repudiation => tally.repudiations += 1,
            HomeTurn::Protests => {}
        }
    }
    let mut agreements = world.query::<&Agreement>();
    for a in agreements.iter(world) {
        tally.agreements.push(Deal {
            origin: a.origin,
            kind: a.terms.kind,
            broker: a.broker,
            signed_day: a.signed_day,
            ended_day: a.ended_day,
            superseded: a.superseded,
            durable: a.durable,
        });
        tally.signed += 1;
        tally.handovers += a.handovers.iter().filter(|h| h.done.is_some()).count() as u32;
        tally.collapsed += u32::from(a.ended_day.is_some() && !a.superseded);
        tally.first_signed_day = Some(
            tally
                .first_signed_day
                .map_or(a.signed_day, |d| d.min(a.signed_day)),
        );
        if a.durable {
            let p = &a.terms.provisions;
            tally.durable = Some(DurableDeal {
                day: a.signed_day,
                origin: a.origin,
                counter_by: a.counter_by,
                broker: a.broker,
                peacekeepers: p.peacekeepers,
                monitoring: p.monitoring,
                guarantors: p.guarantors.clone(),
                belief_gap: a.belief_gap,
            });
        }
    }
    tally
        .agreements
        .sort_by_key(|d| (d.signed_day, d.origin, d.broker));
    tally.holders = vec![(0, None); sc.regions.len()];
    let mut map = world.query::<(&Region, &Control)>();
    for (region, control) in map.iter(world) {
        tally.holders[region.ix] = (control.holder, control.since);
    }
    let toll = world.resource::<Toll>();
    tally.civilian_dead = toll.civilian_dead;
    tally.displaced = toll.displaced;
    // As the day's record has them, read from the world: a quiet run keeps no record.
    let map: Vec<ActorIx> = tally.holders.iter().map(|&(h, _)| h).collect();
    let mut armies = world.query::<(&Actor, &Army)>();
    for (actor, army) in armies.iter(world) {
        tally.military_dead[actor.ix] = army.dead;
        tally.control[actor.ix] = super::assessment::share(&sc.values, &map, actor.ix);
    }
    tally
}
