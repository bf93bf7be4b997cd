//! The outcome of a run, as printed by `truce run` and aggregated by batches.

use std::collections::BTreeMap;

use bevy::prelude::*;
use serde::Serialize;

use super::components::*;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Outcome {
    pub scenario: String,
    pub seed: u64,
    /// Days played (the last day's index + 1).
    pub turns: u32,
    /// `durable_agreement`, `capitulation` or `time_limit`; `running` before the end.
    pub end: String,
    pub end_day: u32,
    pub end_date: String,
    /// The side that capitulated, if one did.
    pub loser: Option<String>,
    pub agreements: Vec<AgreementOutcome>,
    /// Unilateral ceasefires, in the order declared.
    pub declarations: Vec<DeclarationOutcome>,
    pub casualties: Casualties,
    pub displaced: u64,
    /// Region id -> id of the belligerent holding it.
    pub control: BTreeMap<String, String>,
    /// Regions taken by force, in the order they fell.
    pub captures: Vec<CaptureOutcome>,
    /// Offensives pressed despite a truce, each on its first day, in order.
    pub breaches: Vec<BreachOutcome>,
    pub chronicle: Vec<ChronicleLine>,
    /// What politics at home did: protests, changes of leader, repudiations (only
    /// where the scenario declares some government's `support`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub home: Vec<HomeOutcome>,
    /// Each day's figures, when asked for (`truce run --daily`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<Vec<DayOutcome>>,
}

/// One day's figures, as `truce run --daily` gives them.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DayOutcome {
    pub day: u32,
    pub date: String,
    pub truce_in_force: bool,
    /// The smallest `hurt` among belligerents.
    pub ripeness: f64,
    /// The largest fall in a belligerent's utility of fighting on over the last
    /// `precipice_days` days (the `Ripe` condition).
    pub precipice: f64,
    /// The sum over belligerents of the log of the factor each expects on its power.
    pub belief_gap: f64,
    pub civilian_dead: u64,
    pub displaced: u64,
    /// Belligerent id -> its figures.
    pub sides: BTreeMap<String, SideDay>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SideDay {
    /// Share of the theatre's strategic value held.
    pub control: f64,
    pub military_dead: u64,
    /// The factor it expects on its own power (the truth is 1).
    pub belief: f64,
    /// Its utility of fighting on.
    pub batna: f64,
    /// Its government's support at home, where the scenario declares it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support: Option<f64>,
    /// The chance it reckons its capital falls within the horizon, where it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capital_risk: Option<f64>,
}

/// One turn of politics at home.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HomeOutcome {
    pub day: u32,
    pub date: String,
    /// The belligerent whose government it was.
    pub actor: String,
    /// `protests`, `leader_change` or `repudiation`.
    pub event: HomeTurn,
    /// The government's support that day (before a new leader resets it).
    pub support: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AgreementOutcome {
    /// The scenario proposal (or the one a counter-proposal answered).
    pub proposal: String,
    pub name: String,
    pub kind: String,
    pub broker: String,
    /// The belligerents it binds.
    pub parties: Vec<String>,
    /// The actor whose counter-proposal was signed, if it was one.
    pub counter_by: Option<String>,
    /// The day every party accepted the text: before `signed_day` when the text
    /// had a signing delay.
    pub agreed_day: u32,
    pub signed_day: u32,
    pub ended_day: Option<u32>,
    /// Ended by a later deal between the same parties, not by a collapse.
    pub superseded: bool,
    /// The signatory that repudiated it, when that is how it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repudiated_by: Option<String>,
    pub held_days: u32,
    pub durable: bool,
    /// The belief gap between the belligerents the morning it was signed.
    pub belief_gap: f64,
    /// Issue id -> agreed value (map issues: the share after transfers).
    pub terms: BTreeMap<String, f64>,
    pub transfers: BTreeMap<String, String>,
    /// Each transfer's handover: the day it was due and the day it was made (`null`
    /// when the deal ended first, or the run did).
    pub handovers: Vec<HandoverOutcome>,
    /// Later texts that built on it: each `extended` it (bound more or handed over
    /// ground) or only kept it (reaffirmed it).
    pub supplements: Vec<SupplementOutcome>,
    pub provisions: ProvisionsOutcome,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SupplementOutcome {
    pub proposal: String,
    pub day: u32,
    pub extended: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DeclarationOutcome {
    pub by: String,
    /// The day it was declared; it holds from the next.
    pub day: u32,
    /// The last day it was to hold.
    pub until: u32,
    /// Declared in answer to an enemy's.
    pub answer: bool,
    /// The day it ended early (the declarer lost ground), if it did.
    pub ended_day: Option<u32>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HandoverOutcome {
    pub region: String,
    pub to: String,
    pub due: u32,
    pub day: Option<u32>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProvisionsOutcome {
    pub monitoring: f64,
    pub peacekeepers: Option<String>,
    pub guarantors: Vec<String>,
    pub prisoner_exchange: bool,
    pub specificity: f64,
    pub deployment_days: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Casualties {
    /// Belligerent id -> military dead.
    pub military: BTreeMap<String, u64>,
    pub civilian: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CaptureOutcome {
    pub day: u32,
    pub region: String,
    pub by: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BreachOutcome {
    pub day: u32,
    pub by: String,
    pub region: String,
    /// The holder whose truce it broke.
    pub against: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChronicleLine {
    pub date: String,
    pub text: String,
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

pub(super) fn collect(world: &mut World, seed: u64) -> Outcome {
    let sc = world.resource::<ScenarioRes>().0.clone();
    let clock = world.resource::<Clock>().clone();
    let roster = world.resource::<Roster>().clone();
    let toll = world.resource::<Toll>().clone();
    let id = |a: usize| sc.actors[a].id.clone();

    let mut ags: Vec<Agreement> = world.query::<&Agreement>().iter(world).cloned().collect();
    ags.sort_by_key(|a| (a.signed_day, a.origin, a.terms.id.clone()));
    let mut decl: Vec<Declaration> = world.query::<&Declaration>().iter(world).cloned().collect();
    decl.sort_by_key(|d| (d.day, d.by));
    let declarations = decl
        .iter()
        .map(|d| DeclarationOutcome {
            by: id(d.by),
            day: d.day,
            until: d.until,
            answer: d.answer,
            ended_day: d.ended_day,
        })
        .collect();
    let agreements = ags
        .iter()
        .map(|a| {
            let p = &a.terms;
            let end = a.ended_day.unwrap_or(clock.day);
            AgreementOutcome {
                proposal: sc.proposals[a.origin].id.clone(),
                name: p.name.clone(),
                kind: format!("{:?}", p.kind).to_lowercase(),
                broker: id(a.broker),
                parties: p.parties.iter().map(|&x| id(x)).collect(),
                counter_by: a.counter_by.map(id),
                agreed_day: a.agreed_day,
                signed_day: a.signed_day,
                ended_day: a.ended_day,
                superseded: a.superseded,
                repudiated_by: a.repudiated_by.map(id),
                held_days: end - a.signed_day,
                durable: a.durable,
                belief_gap: round(a.belief_gap),
                terms: sc
                    .issues
                    .iter()
                    .zip(&a.point)
                    .map(|(i, v)| (i.id.clone(), round(*v)))
                    .collect(),
                transfers: p
                    .transfers
                    .iter()
                    .map(|t| (sc.regions[t.region].id.clone(), id(t.to)))
                    .collect(),
                handovers: a
                    .handovers
                    .iter()
                    .map(|h| HandoverOutcome {
                        region: sc.regions[h.region].id.clone(),
                        to: id(h.to),
                        due: h.due,
                        day: h.done,
                    })
                    .collect(),
                supplements: a
                    .supplements
                    .iter()
                    .map(|x| SupplementOutcome {
                        proposal: sc.proposals[x.origin].id.clone(),
                        day: x.day,
                        extended: x.extended,
                    })
                    .collect(),
                provisions: ProvisionsOutcome {
                    monitoring: p.provisions.monitoring,
                    peacekeepers: p.provisions.peacekeepers.map(id),
                    guarantors: p.provisions.guarantors.iter().map(|&g| id(g)).collect(),
                    prisoner_exchange: p.provisions.prisoner_exchange,
                    specificity: p.provisions.specificity,
                    deployment_days: p.provisions.deployment_days,
                },
            }
        })
        .collect();

    let military = roster
        .actors
        .iter()
        .enumerate()
        .filter_map(|(a, &e)| {
            world
                .get::<Army>(e)
                .map(|army| (id(a), army.dead.round() as u64))
        })
        .collect();
    let control = roster
        .regions
        .iter()
        .enumerate()
        .map(|(r, &e)| {
            let holder = world.get::<Control>(e).map_or(0, |c| c.holder);
            (sc.regions[r].id.clone(), id(holder))
        })
        .collect();
    let captures = world
        .resource::<CaptureLog>()
        .0
        .iter()
        .map(|c| CaptureOutcome {
            day: c.day,
            region: sc.regions[c.region].id.clone(),
            by: id(c.by),
        })
        .collect();
    let breaches = world
        .resource::<Pressing>()
        .breaches
        .iter()
        .map(|b| BreachOutcome {
            day: b.day,
            by: id(b.by),
            region: sc.regions[b.region].id.clone(),
            against: id(b.against),
        })
        .collect();
    let chronicle = world
        .resource::<Chronicle>()
        .entries
        .iter()
        .map(|e| ChronicleLine {
            date: clock.start.plus_days(i64::from(e.day)).to_string(),
            text: if e.place.is_empty() {
                capitalise(&e.text)
            } else {
                format!("{}: {}", e.place, e.text)
            },
        })
        .collect();
    let home = world
        .resource::<HomeFront>()
        .events
        .iter()
        .map(|h| HomeOutcome {
            day: h.day,
            date: clock.start.plus_days(i64::from(h.day)).to_string(),
            actor: id(h.actor),
            event: h.what,
            support: round(h.support),
        })
        .collect();
    Outcome {
        scenario: sc.id.clone(),
        seed,
        turns: clock.day + 1,
        end: clock.end.map_or("running", EndReason::as_str).to_string(),
        end_day: clock.day,
        end_date: clock.date().to_string(),
        loser: clock.loser.map(id),
        agreements,
        declarations,
        casualties: Casualties {
            military,
            civilian: toll.civilian_dead.round() as u64,
        },
        displaced: toll.displaced.round() as u64,
        control,
        captures,
        breaches,
        chronicle,
        home,
        days: None,
    }
}

/// The daily record as figures by side (empty for a quiet run, which keeps none).
pub(super) fn days(world: &World) -> Vec<DayOutcome> {
    let sc = &world.resource::<ScenarioRes>().0;
    let start = world.resource::<Clock>().start;
    let sides: Vec<usize> = sc.belligerents().collect();
    world
        .resource::<Record>()
        .days
        .iter()
        .map(|d| DayOutcome {
            day: d.day,
            date: start.plus_days(i64::from(d.day)).to_string(),
            truce_in_force: d.truce_in_force,
            ripeness: round(d.ripeness),
            precipice: round(d.precipice),
            belief_gap: round(d.belief_gap),
            civilian_dead: d.civilian_dead.round() as u64,
            displaced: d.displaced.round() as u64,
            sides: sides
                .iter()
                .map(|&a| {
                    let figures = SideDay {
                        control: round(d.control[a]),
                        military_dead: d.military_dead[a].round() as u64,
                        belief: round(d.belief[a]),
                        batna: round(d.batna[a]),
                        support: d.support[a].map(round),
                        capital_risk: d.capital_risk[a].map(round),
                    };
                    (sc.actors[a].id.clone(), figures)
                })
                .collect(),
        })
        .collect()
}

/// `s` with its first letter in capitals.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl Outcome {
    /// A 64-bit FNV-1a digest of the whole outcome: equal digests, equal runs.
    pub fn digest(&self) -> u64 {
        let text = serde_json::to_string(self).expect("an outcome serialises");
        text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    }
}
