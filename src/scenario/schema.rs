//! The scenario file format, version 1: plain serde types that mirror the RON text.
//!
//! Every struct denies unknown fields so that a misspelt field is an error with a
//! position rather than a silently ignored line. Ids are strings here; validation
//! (`validate.rs`) turns them into indices.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; must be 1.
    pub format: u32,
    /// Short machine name, used in outputs and save files.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Calendar date of day 0, `YYYY-MM-DD`.
    pub start_date: String,
    /// The day the war began, when before `start_date`: the game counts the days of
    /// the war from it.
    #[serde(default)]
    pub war_began: Option<String>,
    /// The run stops with `time_limit` after this many days.
    pub max_turns: u32,
    /// What really happened, shown at the end of a game.
    #[serde(default)]
    pub history: String,
    /// Model constants; every field has a default.
    #[serde(default)]
    pub model: ModelParams,
    pub issues: Vec<IssueDef>,
    pub actors: Vec<ActorDef>,
    /// `from actor -> to actor -> relation`.
    #[serde(default)]
    pub relations: BTreeMap<String, BTreeMap<String, RelationDef>>,
    pub theatre: TheatreDef,
    #[serde(default)]
    pub proposals: Vec<ProposalDef>,
    #[serde(default)]
    pub events: Vec<EventDef>,
}

/// One dimension of the negotiation space, a value in [0, 1].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Issue")]
pub struct IssueDef {
    pub id: String,
    pub name: String,
    /// What 0 means.
    pub low: String,
    /// What 1 means.
    pub high: String,
    /// The value that holds while no agreement settles the issue.
    #[serde(default)]
    pub status_quo: f64,
    /// When set, the issue's value is not negotiated as a number but read off the
    /// map: the share of the listed regions' strategic value held by `side`.
    #[serde(default)]
    pub tracks: Option<TracksDef>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Tracks")]
pub struct TracksDef {
    /// The belligerent whose holdings the value measures.
    pub side: String,
    /// Regions counted; empty means every region.
    #[serde(default)]
    pub regions: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Belligerent,
    Mediator,
    Patron,
    Observer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum MediationStyle {
    /// Communication and procedure: raises trust, spends little leverage.
    #[default]
    Facilitative,
    /// Carrots and sticks: spends leverage on incentives and pressure.
    Manipulative,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Actor")]
pub struct ActorDef {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub leader: String,
    /// Adjective for news lines ("Azerbaijani"); defaults to the name.
    #[serde(default)]
    pub adjective: String,
    /// Where the actor's statements come from ("Baku"); defaults to the name.
    #[serde(default)]
    pub seat: String,
    /// Whether the name takes a plural verb in news lines ("Germany and France
    /// convene").
    #[serde(default)]
    pub plural: bool,
    pub role: Role,
    /// The belligerent this actor fights for or backs; a belligerent is its own side.
    #[serde(default)]
    pub side: Option<String>,
    pub capability: Capability,
    /// Issue id -> stance. Issues left out are of no concern to the actor.
    #[serde(default)]
    pub stances: BTreeMap<String, StanceDef>,
    /// Tolerance of losses, in [0, 1].
    #[serde(default = "half")]
    pub resolve: f64,
    /// Audience cost of concessions, in [0, 1].
    #[serde(default)]
    pub domestic_pressure: f64,
    /// Bias in judging one's own strength, in [-0.5, 0.5] (Fearon's mutual optimism).
    #[serde(default)]
    pub optimism: f64,
    /// How unsure a belligerent is of its own strength, in [0, 1]: the standard
    /// deviation of the log of the factor it applies to its power. 0: the belief is
    /// fixed at `1 + optimism`; above 0 the fighting revises it.
    #[serde(default)]
    pub uncertainty: f64,
    /// For belligerents: the share of the public behind the government at the start,
    /// in [0, 1]. Declared, it turns on politics at home (losses, lost ground and
    /// concessions erode it; below thresholds come repudiations, protests and a change
    /// of leader); left out, the government's standing never enters the run.
    #[serde(default)]
    pub support: Option<f64>,
    /// For patrons: how much of their military capability they lend their side, in [0, 1].
    #[serde(default)]
    pub commitment: f64,
    /// For a patron that backs several belligerents: each client and its share of the
    /// support the patron lends, the shares adding to 1. Left out, all of it goes to
    /// `side`.
    #[serde(default)]
    pub clients: Option<BTreeMap<String, f64>>,
    /// For mediators: leverage and style.
    #[serde(default)]
    pub mediation: Option<MediationDef>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capability {
    pub military: f64,
    pub economic: f64,
    pub diplomatic: f64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Stance")]
pub struct StanceDef {
    /// Ideal point on the issue, in [0, 1].
    pub position: f64,
    /// How much the issue matters, in [0, 1].
    pub salience: f64,
    /// How readily the position moves, in [0, 1].
    #[serde(default = "half")]
    pub flexibility: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Mediation")]
pub struct MediationDef {
    /// Leverage at the start, in [0, 1].
    pub leverage: f64,
    /// Leverage regained each day.
    #[serde(default = "default_replenish")]
    pub replenish: f64,
    #[serde(default)]
    pub style: MediationStyle,
    /// Readiness to table proposals, in [0, 1].
    #[serde(default = "half")]
    pub activism: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Relation")]
pub struct RelationDef {
    /// How much the first actor can move the second, in [0, 1].
    #[serde(default)]
    pub influence: f64,
    /// Trust of the first actor in the second, in [0, 1].
    #[serde(default = "half")]
    pub trust: f64,
    #[serde(default)]
    pub ties: Vec<Tie>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tie {
    Treaty,
    Alliance,
    ArmsSupplier,
    Rival,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Theatre")]
pub struct TheatreDef {
    pub regions: Vec<RegionDef>,
    /// Belligerent id -> its forces.
    pub forces: BTreeMap<String, ForcesDef>,
    /// People already displaced at the start.
    #[serde(default)]
    pub displaced: f64,
    /// Losses already suffered at the start.
    #[serde(default)]
    pub casualties: CasualtiesDef,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Region")]
pub struct RegionDef {
    pub id: String,
    pub name: String,
    /// The belligerent holding it at the start.
    pub controller: String,
    /// Strategic value, in [0, 1].
    pub value: f64,
    /// Inhabitants still living there.
    #[serde(default)]
    pub population: f64,
    /// (longitude, latitude) or any planar coordinates.
    pub coords: (f64, f64),
    /// The region's area as a polygon in the same coordinates (open or closed ring);
    /// without one the map draws the cell of the points nearest `coords`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outline: Vec<(f64, f64)>,
    pub adjacent: Vec<String>,
    /// How hard it is to take, in [0, 1].
    #[serde(default)]
    pub defensibility: f64,
    /// A supply base: the holder's regions connected to one are supplied.
    #[serde(default)]
    pub supply_hub: bool,
    /// Rear areas outside the fighting (a state's own territory) are not attacked.
    #[serde(default = "yes")]
    pub contestable: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Forces")]
pub struct ForcesDef {
    /// Soldiers under arms in the theatre.
    pub troops: f64,
    /// Training, equipment and command, in [0, 1].
    pub quality: f64,
    /// In [0, 1].
    pub morale: f64,
    /// Soldiers added each day.
    #[serde(default)]
    pub reinforcements: f64,
    /// Losing this region means capitulation.
    #[serde(default)]
    pub capital: Option<String>,
    /// The side's edge in fire — air, drones, artillery — as a factor on its power in
    /// the losses it inflicts along the front, not in taking ground (1: none).
    #[serde(default = "one")]
    pub firepower: f64,
    /// The regions this side's forces attack, by id; left out, its aims follow its
    /// stances on the map issues (docs/model.md, "War aims and offensives").
    #[serde(default)]
    pub aims: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Casualties")]
pub struct CasualtiesDef {
    /// Belligerent id -> military dead.
    #[serde(default)]
    pub military: BTreeMap<String, f64>,
    #[serde(default)]
    pub civilian: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProposalKind {
    /// A pause for exchanges of prisoners and bodies.
    Humanitarian,
    /// A cessation of hostilities.
    Ceasefire,
    /// A settlement of the substance.
    Settlement,
}

impl ProposalKind {
    /// "ceasefire": what the news calls an agreement of this kind once signed.
    pub fn noun(self) -> &'static str {
        match self {
            ProposalKind::Humanitarian => "humanitarian truce",
            ProposalKind::Ceasefire => "ceasefire",
            ProposalKind::Settlement => "settlement",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Proposal")]
pub struct ProposalDef {
    pub id: String,
    pub name: String,
    pub kind: ProposalKind,
    /// Where the talks are held.
    #[serde(default)]
    pub venue: String,
    /// Actors who may table it.
    pub brokers: Vec<String>,
    /// Belligerents who must sign it.
    pub parties: Vec<String>,
    /// Issue id -> value. Issues left out stay at their status quo; issues that
    /// track control take their value from the map and `transfers`.
    #[serde(default)]
    pub terms: BTreeMap<String, f64>,
    /// Region id -> belligerent that receives it on signing.
    #[serde(default)]
    pub transfers: BTreeMap<String, String>,
    /// Region id (one of `transfers`) -> days after signing that it is handed over;
    /// regions left out are handed over on signing.
    #[serde(default)]
    pub timetable: BTreeMap<String, u32>,
    /// Days between agreement in principle and signature, while the war goes on; at
    /// signing each party decides again (0: signed the day all accept).
    #[serde(default)]
    pub signing_delay: u32,
    /// The id of an earlier text this one builds on: signed while that one is in
    /// force, it adds its provisions and handovers to it (which keeps its own clock)
    /// instead of replacing it.
    #[serde(default)]
    pub supplements: Option<String>,
    #[serde(default)]
    pub provisions: ProvisionsDef,
    /// On the table from the start; otherwise an event opens it.
    #[serde(default = "yes")]
    pub open: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Provisions")]
pub struct ProvisionsDef {
    /// Strength of ceasefire monitoring, in [0, 1].
    #[serde(default)]
    pub monitoring: f64,
    /// The actor that provides peacekeepers.
    #[serde(default)]
    pub peacekeepers: Option<String>,
    /// Actors who guarantee the agreement.
    #[serde(default)]
    pub guarantors: Vec<String>,
    #[serde(default)]
    pub prisoner_exchange: bool,
    /// How precise the terms are (lines, timetables), in [0, 1].
    #[serde(default)]
    pub specificity: f64,
    /// Days the monitors and peacekeepers take to deploy in full; their part of the
    /// protection rises day by day until then (0: in place on signing).
    #[serde(default)]
    pub deployment_days: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Event")]
pub struct EventDef {
    pub id: String,
    /// Dateline of the news item.
    #[serde(default)]
    pub place: String,
    /// The news line, printed in the chronicle when the event fires.
    pub news: String,
    /// Fires only on this day (counted from 0)...
    #[serde(default)]
    pub day: Option<u32>,
    /// ...or on this date (`YYYY-MM-DD`).
    #[serde(default)]
    pub date: Option<String>,
    /// Fires only while this holds.
    #[serde(default)]
    pub when: Option<Condition>,
    /// Chance per day of firing once the day and condition allow it.
    #[serde(default = "one")]
    pub chance: f64,
    /// May fire again on later days.
    #[serde(default)]
    pub repeat: bool,
    pub effects: Vec<Effect>,
}

/// A test on the state of the run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Condition {
    /// The region is held by this belligerent.
    Held(String, String),
    /// The belligerent holds at least this share of all strategic value.
    ControlAtLeast(String, f64),
    /// The proposal has been signed at some point.
    Signed(String),
    /// An agreement on the proposal has collapsed.
    Collapsed(String),
    /// Some agreement is in force.
    TruceInForce,
    /// No agreement is in force.
    AtWar,
    /// The belligerent's military dead reach this number.
    MilitaryDead(String, f64),
    CivilianDead(f64),
    Displaced(f64),
    /// The day counter has reached this value.
    DayAtLeast(u32),
    /// The war is ripe for a text: some belligerent's utility of fighting on has
    /// fallen by `model.precipice` within the last `model.precipice_days` days.
    Ripe,
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
}

/// A change an event makes. Deltas are added and clamped to each field's range.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Effect {
    /// (actor, issue, delta of position)
    Position(String, String, f64),
    /// (actor, issue, delta of salience)
    Salience(String, String, f64),
    /// (from, to, delta of influence)
    Influence(String, String, f64),
    /// (from, to, delta of trust)
    Trust(String, String, f64),
    /// (belligerent, delta of morale)
    Morale(String, f64),
    /// (belligerent, delta of troops)
    Troops(String, f64),
    Resolve(String, f64),
    Pressure(String, f64),
    Commitment(String, f64),
    Leverage(String, f64),
    /// (belligerent, extra military dead)
    MilitaryLosses(String, f64),
    CivilianLosses(f64),
    /// (region, people who flee it)
    Displace(String, f64),
    OpenProposal(String),
    CloseProposal(String),
    /// (belligerent, the regions its forces attack from now on): new war aims, as a
    /// government widens or narrows its operation; `[]` holds the ground forces back.
    Aims(String, Vec<String>),
}

/// Model constants. Defaults are the calibrated values documented in docs/model.md.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Model")]
pub struct ModelParams {
    /// Days ahead an actor looks when it judges the war (BATNA).
    pub horizon: f64,
    /// Steepness of the logistic acceptance rule.
    pub lambda: f64,
    /// Daily chance that an all-out attack on a region succeeds at even odds.
    pub capture_rate: f64,
    /// Exponent on the force ratio in the capture odds.
    pub force_exponent: f64,
    /// Weight of a region's defensibility against the attacker.
    pub terrain_weight: f64,
    /// Share of a patron's military capability x commitment added to its side's quality.
    pub patron_weight: f64,
    /// Military dead per front per day at full intensity.
    pub loss_rate: f64,
    /// Civilian dead per day per 10,000 people in front-line regions.
    pub civilian_rate: f64,
    /// Share of a front-line region's people who flee each day of fighting.
    pub flight_rate: f64,
    /// Share of the people who flee a region when it changes hands.
    pub capture_flight: f64,
    /// Fighting intensity while a truce holds, relative to war.
    pub truce_intensity: f64,
    /// Days over which fighting winds down from its wartime level toward
    /// `truce_intensity` once an agreement is signed (the excess falls by e each
    /// `truce_decay_days`). 0: the truce level at once.
    pub truce_decay_days: f64,
    /// How far a side concentrates its offensive effort on the axes most worth
    /// attacking (each target's value times its odds, to this power); 0: every target
    /// with the side's whole power, as if fronts were independent.
    pub concentration: f64,
    /// How far a defender moves reserves to its most threatened regions (each
    /// region's value times the chance of losing it, to this power); 0: none.
    pub reserves: f64,
    /// Share of an ally's power that counts beside a coalition member's where both
    /// border the region struck or defended (1: allies fight as one army).
    pub coordination: f64,
    /// What breaking a truce to press an offensive on one region costs the side that
    /// does it, in utility: it presses when its expected gain from taking the region
    /// within the horizon at full intensity, over what the truce allows, is larger.
    pub breach_cost: f64,
    /// How much a belligerent at war must prefer stopping where it stands to fighting
    /// on (its `hurt`) before it declares a ceasefire on its own; an enemy answers in
    /// kind when it is hurting too (hurt above 0). 1: never (hurt is at most 1).
    pub unilateral_hurt: f64,
    /// Days a unilateral ceasefire is declared for.
    pub unilateral_days: f64,
    /// Weight of expected losses in the cost of fighting on.
    pub cost_weight: f64,
    /// Weight of domestic pressure in the audience cost of a concession.
    pub audience_weight: f64,
    /// Utility one unit of a mediator's leverage buys.
    pub incentive_weight: f64,
    /// Reluctance to sign anything with the enemy while at war.
    pub signing_cost: f64,
    /// Weight of third parties' lobbying.
    pub lobby_weight: f64,
    /// Daily base hazard that a truce collapses.
    pub base_hazard: f64,
    /// How strongly a party's gain from defecting raises the hazard.
    pub defect_weight: f64,
    /// Days an agreement must hold to count as durable and end the run.
    pub durable_days: u32,
    /// Daily rate at which positions move toward influential actors.
    pub drift_rate: f64,
    /// Daily rate at which belligerents' territorial positions adjust to the map.
    pub realism_rate: f64,
    /// Share of the gap between a belligerent's position on a map issue and the map
    /// that it gives up on a day the map moved against it there (aspirations that
    /// adapt to failure). 0: only `realism_rate`.
    pub aspiration_rate: f64,
    /// Morale below which a side capitulates.
    pub capitulation_morale: f64,
    /// How far a side's projection of the war reckons with the fall of its capital
    /// within the horizon: the enemy that takes it dictates the peace (the enemy's
    /// positions on every issue). 0: the map alone.
    pub capital_weight: f64,
    /// Days before a rejected proposal may be tabled again.
    pub cooldown_days: u32,
    /// The fall in some belligerent's utility of fighting on, within the last
    /// `precipice_days` days, that makes the war ripe for a text (Zartman's
    /// precipice; the `Ripe` condition).
    pub precipice: f64,
    /// The days over which that fall is measured.
    pub precipice_days: u32,
    /// How far a side's projection of the war reckons with the power each side is
    /// expected to gain or lose over the horizon, from its reinforcements against its
    /// expected losses (the commitment problem). 0: power as it stands today.
    pub commitment_weight: f64,
    /// Daily precision (1/variance, on log θ) of what a fully trusted mediator tells a
    /// belligerent of the balance of power (beliefs; only where `uncertainty` is
    /// declared). 0: mediators share nothing.
    pub mediator_signal: f64,
    /// Daily share of the gap between a government's support and its starting level
    /// that closes by itself (politics at home; only where `support` is declared).
    pub support_reversion: f64,
    /// Support lost per unit of a day's military dead relative to the troops.
    pub support_losses: f64,
    /// Support lost per unit of the theatre's strategic value lost in a day.
    pub support_ground: f64,
    /// Support gained per unit of the theatre's strategic value taken in a day.
    pub support_rally: f64,
    /// Support lost per unit of `domestic_pressure` × concession of a deal signed.
    pub support_audience: f64,
    /// Support below which a signatory may repudiate a deal in force.
    pub repudiation_support: f64,
    /// Daily chance of a repudiation at no support at all, of a deal with no
    /// protection (its provisions damp it as they damp a collapse).
    pub repudiation_rate: f64,
    /// Support below which crowds take to the streets and the leader may fall.
    pub protest_support: f64,
    /// Daily chance of a change of leader at no support at all.
    pub leader_change_rate: f64,
    /// Share of its predecessor's resolve a new leader gives up.
    pub leader_resolve: f64,
    /// Share of the way to full flexibility a new leader moves on every issue.
    pub leader_flexibility: f64,
}

impl Default for ModelParams {
    /// The constants fitted jointly across the library of wars by `truce fit
    /// scenarios/ --runs 300 --rounds 4` (docs/validation.md, "Fitting"); the rest
    /// keep the values the first scenario was built with.
    fn default() -> Self {
        Self {
            horizon: 14.0,
            lambda: 37.5,
            capture_rate: 0.0267,
            force_exponent: 2.75,
            terrain_weight: 3.0,
            patron_weight: 0.4,
            loss_rate: 4.45,
            civilian_rate: 0.753,
            flight_rate: 0.015,
            capture_flight: 0.9,
            truce_intensity: 0.08,
            truce_decay_days: 0.0,
            concentration: 0.0,
            reserves: 0.0,
            coordination: 0.75,
            breach_cost: 0.02,
            unilateral_hurt: 1.0,
            unilateral_days: 7.0,
            cost_weight: 4.0,
            audience_weight: 1.0,
            incentive_weight: 0.9,
            signing_cost: 0.05,
            lobby_weight: 0.1,
            base_hazard: 0.09,
            defect_weight: 100.0,
            durable_days: 21,
            drift_rate: 0.02,
            realism_rate: 0.02,
            aspiration_rate: 0.2,
            capitulation_morale: 0.1,
            capital_weight: 1.0,
            cooldown_days: 3,
            precipice: 0.025,
            precipice_days: 3,
            // Politics at home: the reasons for each are in docs/model.md, "Politics
            // at home".
            commitment_weight: 0.0,
            mediator_signal: 4.0,
            support_reversion: 0.01,
            support_losses: 1.0,
            support_ground: 1.0,
            support_rally: 0.3,
            support_audience: 1.0,
            repudiation_support: 0.35,
            repudiation_rate: 0.1,
            protest_support: 0.25,
            leader_change_rate: 0.1,
            leader_resolve: 0.3,
            leader_flexibility: 0.3,
        }
    }
}

impl ModelParams {
    /// The real-valued constant named `name` (as in the scenario's `model:` block), for
    /// `truce fit` to vary on a compiled scenario; `None` for a whole-number constant,
    /// an unknown name, or `terrain_weight` (compiled into each region's cover).
    pub fn real_mut(&mut self, name: &str) -> Option<&mut f64> {
        Some(match name {
            "horizon" => &mut self.horizon,
            "lambda" => &mut self.lambda,
            "capture_rate" => &mut self.capture_rate,
            "force_exponent" => &mut self.force_exponent,
            "terrain_weight" => &mut self.terrain_weight,
            "patron_weight" => &mut self.patron_weight,
            "loss_rate" => &mut self.loss_rate,
            "civilian_rate" => &mut self.civilian_rate,
            "flight_rate" => &mut self.flight_rate,
            "capture_flight" => &mut self.capture_flight,
            "truce_intensity" => &mut self.truce_intensity,
            "truce_decay_days" => &mut self.truce_decay_days,
            "concentration" => &mut self.concentration,
            "reserves" => &mut self.reserves,
            "coordination" => &mut self.coordination,
            "breach_cost" => &mut self.breach_cost,
            "unilateral_hurt" => &mut self.unilateral_hurt,
            "unilateral_days" => &mut self.unilateral_days,
            "cost_weight" => &mut self.cost_weight,
            "audience_weight" => &mut self.audience_weight,
            "incentive_weight" => &mut self.incentive_weight,
            "signing_cost" => &mut self.signing_cost,
            "lobby_weight" => &mut self.lobby_weight,
            "base_hazard" => &mut self.base_hazard,
            "defect_weight" => &mut self.defect_weight,
            "drift_rate" => &mut self.drift_rate,
            "realism_rate" => &mut self.realism_rate,
            "aspiration_rate" => &mut self.aspiration_rate,
            "capitulation_morale" => &mut self.capitulation_morale,
            "capital_weight" => &mut self.capital_weight,
            "precipice" => &mut self.precipice,
            "commitment_weight" => &mut self.commitment_weight,
            "mediator_signal" => &mut self.mediator_signal,
            "support_reversion" => &mut self.support_reversion,
            "support_losses" => &mut self.support_losses,
            "support_ground" => &mut self.support_ground,
            "support_rally" => &mut self.support_rally,
            "support_audience" => &mut self.support_audience,
            "repudiation_support" => &mut self.repudiation_support,
            "repudiation_rate" => &mut self.repudiation_rate,
            "protest_support" => &mut self.protest_support,
            "leader_change_rate" => &mut self.leader_change_rate,
            "leader_resolve" => &mut self.leader_resolve,
            "leader_flexibility" => &mut self.leader_flexibility,
            _ => return None,
        })
    }
}

fn half() -> f64 {
    0.5
}
fn one() -> f64 {
    1.0
}
fn yes() -> bool {
    true
}
fn default_replenish() -> f64 {
    0.05
}
