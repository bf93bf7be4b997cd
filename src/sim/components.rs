//! Components and resources of the simulation world.

use std::sync::Arc;

use bevy::prelude::*;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::date::Date;
use crate::policy::Acceptance;
use crate::scenario::Compiled;
use crate::scenario::compiled::{ActorIx, MediationStyle, Proposal, ProposalIx, RegionIx};

// ---------------------------------------------------------------- actors

/// An actor: party, mediator, patron or observer. `ix` indexes the scenario's actors.
#[derive(Component, Debug, Clone, Copy)]
pub struct Actor {
    pub ix: ActorIx,
}

/// Ideal points, salience and flexibility on every issue. Positions drift.
#[derive(Component, Debug, Default)]
pub struct Stance {
    pub position: Vec<f64>,
    pub salience: Vec<f64>,
    pub flexibility: Vec<f64>,
}

impl Clone for Stance {
    fn clone(&self) -> Stance {
        Stance {
            position: self.position.clone(),
            salience: self.salience.clone(),
            flexibility: self.flexibility.clone(),
        }
    }

    // Copied every day into `Minds`: reuse the buffers rather than reallocate.
    fn clone_from(&mut self, source: &Stance) {
        self.position.clone_from(&source.position);
        self.salience.clone_from(&source.salience);
        self.flexibility.clone_from(&source.flexibility);
    }
}

/// Resolve, domestic pressure and optimism: what shapes how an actor weighs costs.
#[derive(Component, Debug, Clone, Copy)]
pub struct Disposition {
    pub resolve: f64,
    pub pressure: f64,
    pub optimism: f64,
}

/// What a belligerent believes about the balance of power: a distribution over the
/// factor by which it multiplies its own combat power when it projects the war (the
/// truth is 1). Its prior is Fearon's optimism, with a width; Bayes' rule revises it
/// from every engagement the side fights (beliefs.rs).
#[derive(Component, Debug, Clone, PartialEq)]
pub struct Belief {
    /// The factors the side thinks possible, in increasing order.
    pub theta: Vec<f64>,
    /// Each factor to the power of the model's force exponent: how it moves the odds.
    pub tilt: Vec<f64>,
    /// The probability of each factor; they sum to 1.
    pub weight: Vec<f64>,
}

/// A belligerent government's standing at home (politics.rs): present only where the
/// scenario declares the actor's `support`.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Home {
    /// The share of the public behind the government, in [0, 1].
    pub support: f64,
    /// Where support started, and where it returns to when nothing moves it.
    pub baseline: f64,
    /// The military dead when support was last revised: a day's losses are the rest.
    pub dead_counted: f64,
    /// Whether support is below the protest level (the protests were reported).
    pub protesting: bool,
    /// Changes of leader so far.
    pub leaders: u32,
}

/// The forces of a belligerent in the theatre.
#[derive(Component, Debug, Clone, Copy)]
pub struct Army {
    pub troops: f64,
    pub quality: f64,
    pub morale: f64,
    pub initial_morale: f64,
    pub reinforcements: f64,
    pub capital: Option<RegionIx>,
    pub dead: f64,
}

/// A patron lends part of its military capability to the belligerents it backs (the
/// scenario's `clients` of the actor, each with its share).
#[derive(Component, Debug, Clone, Copy)]
pub struct Patron {
    pub military: f64,
    pub commitment: f64,
}

/// A mediator's leverage budget and style.
#[derive(Component, Debug, Clone, Copy)]
pub struct Mediator {
    pub leverage: f64,
    pub replenish: f64,
    pub style: MediationStyle,
    pub activism: f64,
    pub diplomatic: f64,
}

/// How an actor sees the war, refreshed every turn in the assessment phase.
#[derive(Component, Debug, Clone, Default, Serialize)]
pub struct Outlook {
    /// The outcome the actor expects from fighting on, one value per issue.
    pub war_point: Vec<f64>,
    /// Expected cost of fighting over the horizon (belligerents only).
    pub cost: f64,
    /// Utility of fighting on: U(war_point) - cost, with the dictated peace weighed
    /// in where the side's capital may fall.
    pub batna: f64,
    /// For a belligerent with a capital an enemy can strike: the chance it reckons
    /// the capital falls within the horizon; 0 otherwise.
    pub capital_risk: f64,
    /// How much the actor prefers a ceasefire in place to fighting on (> 0: hurting).
    pub hurt: f64,
    /// For a belligerent: how far its `batna` fell from its highest over the last
    /// `precipice_days` days (0 when it did not fall).
    pub fall: f64,
    /// Its `batna` of the last `precipice_days` days, the oldest first.
    #[serde(skip)]
    pub past: std::collections::VecDeque<f64>,
    /// For a belligerent unsure of its power: the war points it projected at the two
    /// factors of its belief's quadrature, (log of the factor, point); empty
    /// otherwise. What it reads a refusal of its offer against (screening).
    #[serde(skip)]
    pub brackets: Vec<(f64, Vec<f64>)>,
}

/// Yesterday's refusals of belligerents' own offers, for the proposers to learn from
/// (screening): kept only while some belief is revised.
#[derive(Resource, Debug, Clone, Default)]
pub struct Refusals(pub Vec<Refusal>);

/// A party that refused a belligerent's counter-proposal, and how its answer stood.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub proposer: ActorIx,
    pub refuser: ActorIx,
    /// The refuser's answer as weighed: its margin, with its own BATNA in it.
    pub why: Acceptance,
}

// ---------------------------------------------------------------- theatre

/// A region of the theatre. `ix` indexes the scenario's regions.
#[derive(Component, Debug, Clone, Copy)]
pub struct Region {
    pub ix: RegionIx,
}

/// Who holds a region.
#[derive(Component, Debug, Clone, Copy)]
pub struct Control {
    pub holder: ActorIx,
    /// Day it last changed hands, if it has.
    pub since: Option<u32>,
}

/// People still living in a region.
#[derive(Component, Debug, Clone, Copy)]
pub struct Populace {
    pub people: f64,
}

// ---------------------------------------------------------------- diplomacy

/// A proposal that may be tabled: one of the scenario's, or a counter-proposal.
#[derive(Component, Debug, Clone)]
pub struct Card {
    pub terms: Arc<Proposal>,
    /// The scenario proposal it is, or that it counters.
    pub origin: ProposalIx,
    /// Set for a counter-proposal: who made it. Counters are tabled once.
    pub counter_by: Option<ActorIx>,
    pub open: bool,
    /// Fixed visiting order: scenario proposals first, counters as they are made.
    pub serial: u32,
    /// Not to be tabled before this day.
    pub cooldown_until: u32,
}

/// A proposal on the table this turn.
#[derive(Component, Debug, Clone)]
pub struct Tabled {
    pub broker: ActorIx,
    /// Utility of the broker's incentives, per party (aligned with the terms' parties).
    pub incentives: Vec<f64>,
    /// Each party's answer once the responses phase has run.
    pub answers: Vec<Answer>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Answer {
    pub party: ActorIx,
    pub accepted: bool,
    pub why: Acceptance,
}

/// A text every party accepted, to be signed `signing_delay` days later while the
/// war goes on; at signing each party decides again.
#[derive(Component, Debug, Clone)]
pub struct InPrinciple {
    pub terms: Arc<Proposal>,
    pub origin: ProposalIx,
    pub counter_by: Option<ActorIx>,
    pub broker: ActorIx,
    pub agreed_day: u32,
    /// The broker's incentives, per party, as when it was agreed.
    pub incentives: Vec<f64>,
    /// Each party's margin for accepting when it agreed, in the order of the parties.
    pub margins: Vec<f64>,
}

impl InPrinciple {
    /// The day it is due to be signed.
    pub fn signing_day(&self) -> u32 {
        self.agreed_day + self.terms.signing_delay
    }
}

/// A ceasefire one belligerent declares on its own: its offensives and its fire
/// against every enemy fall to the truce level until `until`, whether or not an
/// enemy answers with its own. It ends early once the declarer loses ground.
#[derive(Component, Debug, Clone)]
pub struct Declaration {
    pub by: ActorIx,
    pub day: u32,
    /// The last day it holds.
    pub until: u32,
    /// Regions the declarer held when it declared: it resumes if it holds fewer.
    pub held: usize,
    /// Declared in answer to an enemy's declaration.
    pub answer: bool,
    pub ended_day: Option<u32>,
}

impl Declaration {
    /// A declaration by `by` on `day` for `days` days (at least one).
    pub fn new(by: ActorIx, day: u32, days: u32, holders: &[ActorIx], answer: bool) -> Self {
        Declaration {
            by,
            day,
            until: day + days.max(1),
            held: holders.iter().filter(|&&h| h == by).count(),
            answer,
            ended_day: None,
        }
    }

    /// Not yet over on `day`: declared (perhaps today) and neither ended nor past.
    pub fn live(&self, day: u32) -> bool {
        self.ended_day.is_none() && day <= self.until
    }

    /// In force on `day` (from the day after it is declared).
    pub fn in_force(&self, day: u32) -> bool {
        self.live(day) && self.day < day
    }

    /// The chronicle's line for it.
    pub fn news(&self, sc: &Compiled) -> (String, String) {
        let who = &sc.actors[self.by];
        let days = self.until - self.day;
        let what = if self.answer {
            format!(
                "{} with a ceasefire of {} own",
                who.verb("answers", "answer"),
                who.its()
            )
        } else {
            format!("{} a unilateral ceasefire", who.verb("declares", "declare"))
        };
        (
            who.seat.clone(),
            format!(
                "{} {what} for {days} day{}",
                who.name,
                if days == 1 { "" } else { "s" }
            ),
        )
    }
}

/// A later text signed to build on an agreement in force: it *extends* the agreement
/// when it binds more or hands over ground, and only *keeps* it (reaffirms it) when
/// it adds nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Supplement {
    pub origin: ProposalIx,
    pub day: u32,
    pub extended: bool,
}

/// A region an agreement hands over on its timetable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Handover {
    pub region: RegionIx,
    pub to: ActorIx,
    /// The day it is due.
    pub due: u32,
    /// The day it was made (`None` until then, and for ever if the deal breaks first).
    pub done: Option<u32>,
}

/// A signed agreement.
#[derive(Component, Debug, Clone)]
pub struct Agreement {
    pub terms: Arc<Proposal>,
    pub origin: ProposalIx,
    /// Set when the signed terms were a party's counter-proposal.
    pub counter_by: Option<ActorIx>,
    pub broker: ActorIx,
    /// The day every party accepted the text (before `signed_day` when the text
    /// has a signing delay).
    pub agreed_day: u32,
    pub signed_day: u32,
    /// The regions it hands over, in the order of the text's transfers (a
    /// supplement's after them).
    pub handovers: Vec<Handover>,
    /// The later texts that built on it, in the order signed.
    pub supplements: Vec<Supplement>,
    /// The protection its supplements added (combined as independent safeguards).
    pub added: f64,
    pub ended_day: Option<u32>,
    /// Ended by a later deal between the same parties, not by a collapse.
    pub superseded: bool,
    /// Ended by this signatory's repudiation under pressure at home (politics.rs).
    pub repudiated_by: Option<ActorIx>,
    /// Point in issue space the parties signed up to.
    pub point: Vec<f64>,
    pub protection: f64,
    pub durable: bool,
    /// The belief gap between the belligerents the morning it was signed (the sum of
    /// the logs of the factor each expects on its own power; 0 when all see the truth).
    pub belief_gap: f64,
    /// Day of the last violation reported in the chronicle.
    pub last_violation_news: Option<u32>,
}

impl Agreement {
    pub fn in_force(&self) -> bool {
        self.ended_day.is_none()
    }

    /// In force between `a` and `b`: both are among its signatories.
    pub fn binds(&self, a: ActorIx, b: ActorIx) -> bool {
        self.in_force() && self.terms.parties.contains(&a) && self.terms.parties.contains(&b)
    }

    /// Ends the agreement as broken on `day` (a collapse or a repudiation): its
    /// proposal counts as collapsed, and its parties trust each other less.
    pub fn break_off(&mut self, day: u32, ledger: &mut Ledger, relations: &mut Relations) {
        self.ended_day = Some(day);
        ledger.collapsed[self.origin] = true;
        relations.lose_trust(&self.terms.parties);
    }
}

// ---------------------------------------------------------------- resources

/// The validated scenario the world was built from.
#[derive(Resource, Clone)]
pub struct ScenarioRes(pub Arc<Compiled>);

/// The run's only source of randomness.
#[derive(Resource)]
pub struct SimRng(pub ChaCha8Rng);

/// Why a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    DurableAgreement,
    Capitulation,
    TimeLimit,
}

impl EndReason {
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::DurableAgreement => "durable_agreement",
            EndReason::Capitulation => "capitulation",
            EndReason::TimeLimit => "time_limit",
        }
    }
}

/// The day being played and, once over, why the run ended.
#[derive(Resource, Debug, Clone)]
pub struct Clock {
    pub start: Date,
    pub day: u32,
    pub end: Option<EndReason>,
    /// The side that capitulated, if one did.
    pub loser: Option<ActorIx>,
}

impl Clock {
    pub fn date(&self) -> Date {
        self.start.plus_days(i64::from(self.day))
    }
}

/// Entities in scenario order, so that systems visit them in a fixed order.
#[derive(Resource, Debug, Clone, Default)]
pub struct Roster {
    pub actors: Vec<Entity>,
    pub regions: Vec<Entity>,
}

/// Influence and trust between actors (`[from][to]`); events and outcomes change them.
#[derive(Resource, Debug, Clone)]
pub struct Relations {
    pub influence: Vec<Vec<f64>>,
    pub trust: Vec<Vec<f64>>,
}

impl Relations {
    /// A broken agreement costs trust between all its parties (a collapse or a
    /// repudiation alike).
    pub fn lose_trust(&mut self, parties: &[ActorIx]) {
        for &a in parties {
            for &b in parties {
                if a != b {
                    self.trust[a][b] = (self.trust[a][b] - 0.15).max(0.0);
                }
            }
        }
    }
}

/// The human cost so far (military dead are on each `Army`).
#[derive(Resource, Debug, Clone, Default)]
pub struct Toll {
    pub civilian_dead: f64,
    pub displaced: f64,
}

/// Regions taken by force, in the order they fell (handovers under an agreement are not
/// captures). Kept in quiet runs too: the calibration scores when each region fell.
#[derive(Resource, Debug, Clone, Default)]
pub struct CaptureLog(pub Vec<Capture>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capture {
    pub day: u32,
    pub region: RegionIx,
    pub by: ActorIx,
}

/// The day's engagements, written by combat for the belligerents to learn from: each
/// region a side could strike, at what odds, and whether it fell. Kept only when some
/// belligerent's belief has a width to revise.
#[derive(Resource, Debug, Clone, Default)]
pub struct Battles {
    pub kept: bool,
    pub today: Vec<Engagement>,
    /// What each side bled against each enemy along the front today.
    pub losses: Vec<Bleeding>,
}

/// A side's own losses against one enemy on one day, summed over the stretches of
/// front between them. On each stretch the model's losses are
/// `loss_rate × intensity × (0.4 + 0.6 × (1 − u)) × noise`, with `u` the side's share
/// of the two powers and the noise uniform on [0.6, 1.4]; `x` is a stretch's losses
/// divided by `loss_rate × intensity`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bleeding {
    pub side: ActorIx,
    pub enemy: ActorIx,
    /// The two powers as the side sees them before its belief.
    pub own_power: f64,
    pub enemy_power: f64,
    /// Stretches of front, the sum of their `x` and of its square.
    pub stretches: f64,
    pub sum: f64,
    pub sum_sq: f64,
}

/// The day's strikes, for the map: who struck which region, at what chance, and
/// whether it fell. Only a watched run (a game being played) keeps them; a batch,
/// with no map to draw, does not pay for them.
#[derive(Resource, Debug, Clone, Default)]
pub struct Strikes {
    pub watched: bool,
    pub today: Vec<StrikeSeen>,
}

/// Each side's war aims as they stand, by actor index: the regions its forces attack
/// (the scenario's `aims`, replaced by an event's `Aims`); `None`: what its stances
/// claim (aims.rs).
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct WarAims(pub Vec<Option<Vec<RegionIx>>>);

impl WarAims {
    /// The aims the scenario starts each side with.
    pub fn of(sc: &Compiled) -> WarAims {
        WarAims(sc.actors.iter().map(|a| a.aims.clone()).collect())
    }
}

/// The regions each side presses an offensive on today despite a truce with their
/// holder (operations.rs): struck at full intensity, not the truce's.
#[derive(Resource, Debug, Clone, Default)]
pub struct Pressing {
    /// (attacker, region), in the order decided.
    pub today: Vec<(ActorIx, RegionIx)>,
    /// Every breach so far: the first day of each offensive pressed despite a truce.
    pub breaches: Vec<Breach>,
}

/// The first day a side pressed an offensive on a region despite a truce with its
/// holder; the days it kept pressing after are the same breach.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Breach {
    pub day: u32,
    pub by: ActorIx,
    pub region: RegionIx,
    /// The holder it broke the truce with.
    pub against: ActorIx,
}

impl Pressing {
    pub fn presses(&self, attacker: ActorIx, region: RegionIx) -> bool {
        self.today.contains(&(attacker, region))
    }
}

/// One region struck by one side on one day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StrikeSeen {
    pub region: RegionIx,
    pub attacker: ActorIx,
    /// The chance that the region fell to this strike today.
    pub chance: f64,
    pub fell: bool,
}

/// One roll of the dice for a region: `attacker` struck `defender`'s region.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Engagement {
    pub attacker: ActorIx,
    pub defender: ActorIx,
    /// The true odds of the strike: force odds times the region's cover.
    pub odds: f64,
    /// Its chance of success at even odds, doubled: intensity squared times the
    /// model's capture rate, so that the chance is `scale * odds / (1 + odds)`.
    pub scale: f64,
    pub fell: bool,
}

/// What politics at home did to a government on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HomeTurn {
    /// Support fell below the protest level.
    Protests,
    /// The leader fell and a new one took office.
    LeaderChange,
    /// The government repudiated an agreement in force.
    Repudiation,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HomeEvent {
    pub day: u32,
    pub actor: ActorIx,
    pub what: HomeTurn,
    /// The government's support that day, before any change of leader reset it.
    pub support: f64,
}

/// Politics at home across the run: the holders of the regions when support was
/// last revised (a capture's loser is the region's holder then), and what happened.
/// Kept in quiet runs too: a batch counts the changes of leader.
#[derive(Resource, Debug, Clone, Default)]
pub struct HomeFront {
    pub held: Vec<ActorIx>,
    pub events: Vec<HomeEvent>,
}

/// What has happened to each scenario proposal, for event conditions and outcomes.
#[derive(Resource, Debug, Clone, Default)]
pub struct Ledger {
    pub signed: Vec<bool>,
    pub collapsed: Vec<bool>,
    pub events_fired: Vec<bool>,
    /// Serial number for the next counter-proposal.
    pub next_serial: u32,
}

/// A snapshot of the war, taken in the assessment phase, shared by later phases.
#[derive(Resource, Debug, Clone, Default)]
pub struct Situation {
    /// Holder of each region.
    pub holders: Vec<ActorIx>,
    /// Each belligerent's combat power (0 for others), by actor index.
    pub power: Vec<f64>,
    /// The current point in issue space: the map for tracked issues, status quo elsewhere.
    pub now: Vec<f64>,
    /// The point as the previous day's assessment found it (empty on the first day).
    pub yesterday: Vec<f64>,
    /// The war's expected outcome, judged without anyone's optimism.
    pub projected: Vec<f64>,
    /// Zartman's ripeness: the smallest `hurt` among belligerents.
    pub ripeness: f64,
    /// Zartman's precipice: the largest `fall` among belligerents.
    pub precipice: f64,
    /// Each belligerent's expected factor on its own power (1 for the others).
    pub belief: Vec<f64>,
    /// How far the belligerents' views of the war cannot all be right: the sum of the
    /// logs of their expected factors (0 when every side sees the truth, positive
    /// under mutual optimism).
    pub belief_gap: f64,
}

/// One line of the news wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub day: u32,
    pub place: String,
    pub text: String,
}

/// The dated narrative of the run. A quiet chronicle writes nothing: a batch keeps
/// only figures, and composing the news costs more than some whole phases.
#[derive(Resource, Debug, Clone, Default)]
pub struct Chronicle {
    pub entries: Vec<Entry>,
    quiet: bool,
}

impl Chronicle {
    pub fn say(&mut self, day: u32, place: impl Into<String>, text: impl Into<String>) {
        if !self.quiet {
            self.entries.push(Entry {
                day,
                place: place.into(),
                text: text.into(),
            });
        }
    }

    /// Writes the line `compose` returns as (place, text), composing it only if the
    /// chronicle is kept.
    pub fn tell<P: Into<String>, T: Into<String>>(
        &mut self,
        day: u32,
        compose: impl FnOnce() -> (P, T),
    ) {
        if !self.quiet {
            let (place, text) = compose();
            self.say(day, place, text);
        }
    }

    /// Whether the run is quiet: then neither the news nor the daily record is kept.
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// Forgets every line, keeping whether the chronicle is kept.
    pub fn restart(&mut self, quiet: bool) {
        self.entries.clear();
        self.quiet = quiet;
    }
}

/// One day's figures, for charts and summaries.
#[derive(Debug, Clone, Serialize)]
pub struct DayRecord {
    pub day: u32,
    /// Share of strategic value held, per actor (0 for non-belligerents).
    pub control: Vec<f64>,
    /// Military dead per actor (0 for non-belligerents).
    pub military_dead: Vec<f64>,
    pub civilian_dead: f64,
    pub displaced: f64,
    pub truce_in_force: bool,
    pub ripeness: f64,
    /// The largest fall in a belligerent's utility of fighting on over the last
    /// `precipice_days` days.
    pub precipice: f64,
    /// Each actor's expected factor on its own power (1 for non-belligerents).
    pub belief: Vec<f64>,
    pub belief_gap: f64,
    /// Each actor's utility of fighting on.
    pub batna: Vec<f64>,
    /// Each actor's support at home, where the scenario declares it.
    pub support: Vec<Option<f64>>,
    /// Each belligerent's fear for its capital (`Outlook::capital_risk`), where it
    /// has one.
    pub capital_risk: Vec<Option<f64>>,
}

/// The daily figures of the run, kept unless the run is quiet (see [`Chronicle`]):
/// a batch needs only the last day, which it reads from the world.
#[derive(Resource, Debug, Clone, Default)]
pub struct Record {
    pub days: Vec<DayRecord>,
}
