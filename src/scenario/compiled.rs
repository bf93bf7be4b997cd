//! The validated scenario with every id resolved to an index: what the simulation reads.

use crate::date::Date;
pub use crate::scenario::schema::{
    Capability, MediationStyle, ModelParams, ProposalKind, Role, Tie,
};

/// Index into [`Compiled::actors`].
pub type ActorIx = usize;
/// Index into [`Compiled::issues`].
pub type IssueIx = usize;
/// Index into [`Compiled::regions`].
pub type RegionIx = usize;
/// Index into [`Compiled::proposals`].
pub type ProposalIx = usize;

#[derive(Debug, Clone)]
pub struct Compiled {
    pub id: String,
    pub name: String,
    pub description: String,
    pub history: String,
    pub start: Date,
    /// The first day of the war, on or before `start`.
    pub war_began: Option<Date>,
    pub max_turns: u32,
    pub model: ModelParams,
    pub issues: Vec<Issue>,
    pub actors: Vec<Actor>,
    /// `influence[from][to]`.
    pub influence: Vec<Vec<f64>>,
    /// `trust[from][to]`.
    pub trust: Vec<Vec<f64>>,
    /// `ties[from][to]`.
    pub ties: Vec<Vec<Vec<Tie>>>,
    pub regions: Vec<Region>,
    /// Each region's strategic value, by region index.
    pub values: Vec<f64>,
    pub proposals: Vec<Proposal>,
    pub events: Vec<Event>,
    pub displaced: f64,
    pub civilian_dead: f64,
    /// Some belligerent fights in another's camp.
    pub coalitions: bool,
}

#[derive(Debug, Clone)]
pub struct Issue {
    pub id: String,
    pub name: String,
    pub low: String,
    pub high: String,
    pub status_quo: f64,
    pub tracks: Option<Tracks>,
}

#[derive(Debug, Clone)]
pub struct Tracks {
    pub side: ActorIx,
    /// Weight of each region in the tracked value (its strategic value, or 0).
    pub weights: Vec<f64>,
    /// The weights' sum: shares of it are taken several times a day.
    pub total: f64,
    /// Each region's share of the total (its weight divided by the total; 0 when
    /// the total is 0), divided out once rather than every day.
    pub shares: Vec<f64>,
    /// By actor: whether it is in the tracked side's camp (the side itself and its
    /// coalition), whose ground the issue counts.
    pub camp: Vec<bool>,
    /// The side fights alone: its camp is itself.
    pub alone: bool,
}

impl Tracks {
    /// Whether the issue counts `actor`'s ground: the side's or its allies'.
    #[inline]
    pub fn counts(&self, actor: ActorIx) -> bool {
        if self.alone {
            actor == self.side
        } else {
            self.camp[actor]
        }
    }
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub leader: String,
    pub adjective: String,
    pub seat: String,
    /// Whether the name takes a plural verb ("Germany and France convene").
    pub plural: bool,
    pub role: Role,
    pub side: Option<ActorIx>,
    pub capability: Capability,
    /// Per issue: position, salience (0 when the actor has no stance), flexibility.
    pub position: Vec<f64>,
    pub salience: Vec<f64>,
    pub flexibility: Vec<f64>,
    pub resolve: f64,
    pub pressure: f64,
    pub optimism: f64,
    pub uncertainty: f64,
    /// A belligerent government's support at home at the start, if declared.
    pub support: Option<f64>,
    pub commitment: f64,
    /// For a patron: the belligerents it backs and each one's share of its support
    /// (one client with all of it, unless the scenario lists `clients`); empty for
    /// the other actors.
    pub clients: Vec<(ActorIx, f64)>,
    pub mediation: Option<Mediation>,
    pub forces: Option<Forces>,
    /// The regions its forces attack, when the scenario lists them; `None`: its aims
    /// follow its stances on the map issues.
    pub aims: Option<Vec<RegionIx>>,
    pub military_dead: f64,
}

impl Actor {
    /// The verb that agrees with the actor's name: `singular` ("convenes") or
    /// `plural` ("convene").
    pub fn verb<'a>(&self, singular: &'a str, plural: &'a str) -> &'a str {
        if self.plural { plural } else { singular }
    }

    /// "its" or "their", as the name takes.
    pub fn its(&self) -> &'static str {
        self.verb("its", "their")
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Mediation {
    pub leverage: f64,
    pub replenish: f64,
    pub style: MediationStyle,
    pub activism: f64,
}

#[derive(Debug, Clone, Copy)]
pub struct Forces {
    pub troops: f64,
    pub quality: f64,
    pub morale: f64,
    pub reinforcements: f64,
    pub capital: Option<RegionIx>,
    /// The factor on its power in the losses it inflicts (1: no edge in fire).
    pub firepower: f64,
}

#[derive(Debug, Clone)]
pub struct Region {
    pub id: String,
    pub name: String,
    pub controller: ActorIx,
    pub value: f64,
    pub population: f64,
    pub coords: (f64, f64),
    /// The region's area (without the closing corner), empty for none.
    pub outline: Vec<(f64, f64)>,
    pub adjacent: Vec<RegionIx>,
    pub defensibility: f64,
    /// `exp(-terrain_weight * defensibility)`: how much the ground favours the defence.
    pub cover: f64,
    pub supply_hub: bool,
    pub contestable: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub id: String,
    pub name: String,
    pub kind: ProposalKind,
    pub venue: String,
    pub brokers: Vec<ActorIx>,
    pub parties: Vec<ActorIx>,
    /// Per issue: the agreed value, or `None` for the status quo / the map.
    pub terms: Vec<Option<f64>>,
    pub transfers: Vec<Transfer>,
    pub provisions: Provisions,
    pub open: bool,
    /// Days between agreement in principle and signature (0: signed the day all
    /// parties accept).
    pub signing_delay: u32,
    /// The earlier text it builds on, if any.
    pub supplements: Option<ProposalIx>,
}

/// A region the agreement hands over: to whom, and how many days after signing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transfer {
    pub region: RegionIx,
    pub to: ActorIx,
    /// Days after signing (0: on signing).
    pub after: u32,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Provisions {
    pub monitoring: f64,
    pub peacekeepers: Option<ActorIx>,
    pub guarantors: Vec<ActorIx>,
    pub prisoner_exchange: bool,
    pub specificity: f64,
    /// Days the monitors and peacekeepers take to deploy in full (0: at once).
    pub deployment_days: u32,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub place: String,
    pub news: String,
    pub day: Option<u32>,
    pub when: Option<Condition>,
    pub chance: f64,
    pub repeat: bool,
    pub effects: Vec<Effect>,
}

#[derive(Debug, Clone)]
pub enum Condition {
    Held(RegionIx, ActorIx),
    ControlAtLeast(ActorIx, f64),
    Signed(ProposalIx),
    Collapsed(ProposalIx),
    TruceInForce,
    AtWar,
    MilitaryDead(ActorIx, f64),
    CivilianDead(f64),
    Displaced(f64),
    DayAtLeast(u32),
    /// Some belligerent's utility of fighting on fell by `model.precipice` within the
    /// last `model.precipice_days` days (as of the last assessment).
    Ripe,
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
}

#[derive(Debug, Clone)]
pub enum Effect {
    Position(ActorIx, IssueIx, f64),
    Salience(ActorIx, IssueIx, f64),
    Influence(ActorIx, ActorIx, f64),
    Trust(ActorIx, ActorIx, f64),
    Morale(ActorIx, f64),
    Troops(ActorIx, f64),
    Resolve(ActorIx, f64),
    Pressure(ActorIx, f64),
    Commitment(ActorIx, f64),
    Leverage(ActorIx, f64),
    MilitaryLosses(ActorIx, f64),
    CivilianLosses(f64),
    Displace(RegionIx, f64),
    OpenProposal(ProposalIx),
    CloseProposal(ProposalIx),
    Aims(ActorIx, Vec<RegionIx>),
}

impl Compiled {
    /// Belligerents, in scenario order.
    pub fn belligerents(&self) -> impl Iterator<Item = ActorIx> + '_ {
        (0..self.actors.len()).filter(|&a| self.actors[a].role == Role::Belligerent)
    }

    /// The camp a belligerent fights in, by its leader: its coalition's leader, or
    /// itself when it leads one or fights alone (any other actor: itself).
    pub fn camp(&self, a: ActorIx) -> ActorIx {
        match self.actors[a].role {
            Role::Belligerent => self.actors[a].side.unwrap_or(a),
            _ => a,
        }
    }

    /// Whether `a` and `b` are enemies: in different camps.
    pub fn hostile(&self, a: ActorIx, b: ActorIx) -> bool {
        self.camp(a) != self.camp(b)
    }

    /// Whether `a` leads its camp (or fights alone).
    pub fn leads(&self, a: ActorIx) -> bool {
        self.camp(a) == a
    }

    /// The pairs of belligerents at war with each other, each once (lower index first).
    pub fn hostile_pairs(&self) -> impl Iterator<Item = (ActorIx, ActorIx)> + '_ {
        self.belligerents().flat_map(move |a| {
            self.belligerents()
                .filter(move |&b| b > a && self.hostile(a, b))
                .map(move |b| (a, b))
        })
    }

    pub fn actor_ix(&self, id: &str) -> Option<ActorIx> {
        self.actors.iter().position(|a| a.id == id)
    }

    pub fn proposal_ix(&self, id: &str) -> Option<ProposalIx> {
        self.proposals.iter().position(|p| p.id == id)
    }

    pub fn region_ix(&self, id: &str) -> Option<RegionIx> {
        self.regions.iter().position(|r| r.id == id)
    }

    /// The name of the actor `id`, or the id itself for an unknown one.
    pub fn actor_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.actor_ix(id)
            .map_or(id, |a| self.actors[a].name.as_str())
    }

    /// The verb that agrees with the name of the actor `id` (see [`Actor::verb`]);
    /// `singular` for an unknown one.
    pub fn actor_verb<'a>(&self, id: &str, singular: &'a str, plural: &'a str) -> &'a str {
        self.actor_ix(id)
            .map_or(singular, |a| self.actors[a].verb(singular, plural))
    }

    /// The name of the region `id`, or the id itself for an unknown one.
    pub fn region_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.region_ix(id)
            .map_or(id, |r| self.regions[r].name.as_str())
    }
}
