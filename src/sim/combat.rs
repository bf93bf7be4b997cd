//! Combat: each day every contested region may change hands, with odds set by the
//! force ratio, the terrain and supply; fighting along each stretch of front costs
//! both sides lives, kills civilians and drives people from their homes.
//!
//! The pure functions here are also the model each actor uses to project the war
//! when it judges its BATNA (assessment.rs), so that expectations and outcomes share
//! one mechanism.

use bevy::prelude::*;
use rand::RngExt;

use super::aims::{claimed, draw, in_aims, map_shares, spread};
use super::components::*;
use super::{Phase, Turn};
use crate::scenario::Compiled;
use crate::scenario::compiled::{ActorIx, ModelParams, RegionIx};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Turn::Open, fight.in_set(Phase::Combat));
}

/// Combat power of a side: troops (in tens of thousands), quality raised by patrons'
/// support, and morale.
pub fn power(army: &Army, patron_bonus: f64) -> f64 {
    army.troops / 10_000.0 * army.quality * (1.0 + patron_bonus) * (0.5 + army.morale)
}

/// Every side's forces by actor index, as combat and the assessment read them each
/// day; kept between days for the buffers.
#[derive(Debug, Default)]
pub struct Forces {
    /// Each actor's army (`None` for actors without one).
    pub army: Vec<Option<Army>>,
    /// Each actor's support as a patron (`None` for the others).
    patron: Vec<Option<Patron>>,
    /// The support each actor's army receives from its patrons.
    bonus: Vec<f64>,
    /// Each side's combat power (0 for actors without an army).
    pub power: Vec<f64>,
}

impl Forces {
    /// Reads the armies and patrons, one pass over each query, and works out every
    /// side's combat power.
    pub fn read<'a>(
        &mut self,
        sc: &Compiled,
        armies: impl Iterator<Item = (&'a Actor, &'a Army)>,
        patrons: impl Iterator<Item = (&'a Actor, &'a Patron)>,
    ) {
        let n = sc.actors.len();
        by_actor(n, armies, &mut self.army);
        by_actor(n, patrons, &mut self.patron);
        self.bonus.clear();
        self.bonus.resize(n, 0.0);
        // In actor order, then the order of each patron's clients: the order in which
        // several patrons' support adds up.
        for (ix, p) in self.patron.iter().enumerate() {
            let Some(p) = p else { continue };
            let lent = sc.model.patron_weight * p.military * p.commitment;
            for &(client, share) in &sc.actors[ix].clients {
                self.bonus[client] += lent * share;
            }
        }
        self.power.clear();
        self.power.resize(n, 0.0);
        for (ix, army) in self.army.iter().enumerate() {
            if let Some(army) = army {
                self.power[ix] = power(army, self.bonus[ix]);
            }
        }
    }

    /// Adds to `out` (by actor: a relative change in power), `weight` times, what patron
    /// `p` changing its commitment by `change` would do to each client's power.
    pub fn commitment_shift(
        &self,
        sc: &Compiled,
        p: ActorIx,
        change: f64,
        weight: f64,
        out: &mut [f64],
    ) {
        let Some(patron) = &self.patron[p] else {
            return;
        };
        let moved = (patron.commitment + change).clamp(0.0, 1.0) - patron.commitment;
        let lent = sc.model.patron_weight * patron.military * moved;
        for &(client, share) in &sc.actors[p].clients {
            out[client] += weight * lent * share / (1.0 + self.bonus[client]);
        }
    }
}

/// `items` by actor index into `out` (`None` for the actors without one), read in
/// one pass over a query rather than with a lookup per actor.
fn by_actor<'a, T: Copy + 'a>(
    actors: usize,
    items: impl Iterator<Item = (&'a Actor, &'a T)>,
    out: &mut Vec<Option<T>>,
) {
    out.clear();
    out.resize(actors, None);
    for (actor, item) in items {
        out[actor.ix] = Some(*item);
    }
}

/// Regions connected to one of their holder's camp's supply hubs through the camp's
/// regions (allies supply each other).
pub fn supplied(sc: &Compiled, holders: &[ActorIx]) -> Vec<bool> {
    let mut ok = vec![false; holders.len()];
    let mut stack: Vec<RegionIx> = (0..holders.len())
        .filter(|&r| sc.regions[r].supply_hub)
        .collect();
    for &r in &stack {
        ok[r] = true;
    }
    while let Some(r) = stack.pop() {
        for &n in &sc.regions[r].adjacent {
            if !ok[n] && sc.camp(holders[n]) == sc.camp(holders[r]) {
                ok[n] = true;
                stack.push(n);
            }
        }
    }
    // A camp with no hub at all is never cut off.
    let mut has_hub = vec![false; sc.actors.len()];
    for (r, &side) in holders.iter().enumerate() {
        has_hub[sc.camp(side)] |= sc.regions[r].supply_hub;
    }
    for (r, &side) in holders.iter().enumerate() {
        if !has_hub[sc.camp(side)] {
            ok[r] = true;
        }
    }
    ok
}

/// Daily chance that `attacker` takes a region from `defender` at full intensity.
pub fn capture_probability(
    m: &ModelParams,
    attacker: f64,
    defender: f64,
    defensibility: f64,
    defender_supplied: bool,
) -> f64 {
    let ratio = force_odds(m, attacker, defender, defender_supplied);
    odds_to_probability(m, ratio, (-m.terrain_weight * defensibility).exp())
}

/// The force-ratio part of the capture odds; `None` when there is no fight to have
/// (no attacker) and infinity when nobody defends.
fn force_odds(
    m: &ModelParams,
    attacker: f64,
    defender: f64,
    defender_supplied: bool,
) -> Option<f64> {
    let defender = defender * if defender_supplied { 1.0 } else { 0.5 };
    if attacker <= 0.0 {
        return None;
    }
    if defender <= 0.0 {
        return Some(f64::INFINITY);
    }
    Some((attacker / defender).powf(m.force_exponent))
}

fn odds_to_probability(m: &ModelParams, ratio: Option<f64>, cover: f64) -> f64 {
    match ratio {
        None => 0.0,
        Some(r) if r.is_infinite() => m.capture_rate,
        Some(r) => {
            let odds = r * cover;
            m.capture_rate * odds / (1.0 + odds)
        }
    }
}

/// Military dead on each side of one stretch of front on one day, before noise:
/// both sides bleed, the weaker more.
pub fn front_losses(m: &ModelParams, intensity: f64, attacker: f64, defender: f64) -> (f64, f64) {
    let total = attacker + defender;
    let share = if total > 0.0 { attacker / total } else { 0.5 };
    let base = m.loss_rate * intensity;
    // (attacker's dead, defender's dead)
    (
        base * (0.4 + 0.6 * (1.0 - share)),
        base * (0.4 + 0.6 * share),
    )
}

/// Each side's power in fire: its power times its `firepower` (its edge in air,
/// drones and artillery), which sets the losses along the front and not the odds of
/// taking ground.
pub fn fire_into(sc: &Compiled, power: &[f64], out: &mut Vec<f64>) {
    out.clear();
    out.extend(power.iter().enumerate().map(|(a, p)| p * firepower(sc, a)));
}

/// An actor's `firepower` (1 for actors without forces).
pub fn firepower(sc: &Compiled, actor: ActorIx) -> f64 {
    sc.actors[actor].forces.map_or(1.0, |f| f.firepower)
}

/// A belligerent's army as the scenario fields it (troops times quality): which
/// member of a coalition leads a joint strike.
fn strength(sc: &Compiled, a: ActorIx) -> f64 {
    sc.actors[a].forces.map_or(0.0, |f| f.troops * f.quality)
}

/// Pairs of adjacent regions held by enemies: the stretches of front.
pub fn fronts(sc: &Compiled, holders: &[ActorIx]) -> Vec<(RegionIx, RegionIx)> {
    let mut out = Vec::new();
    for (r, region) in sc.regions.iter().enumerate() {
        for &q in &region.adjacent {
            if q > r
                && sc.hostile(holders[q], holders[r])
                && (region.contestable || sc.regions[q].contestable)
            {
                out.push((r, q));
            }
        }
    }
    out
}

/// Who holds each region, by region index, into `holders`: one pass over the regions.
pub fn read_holders_into<'a>(
    sc: &Compiled,
    regions: impl Iterator<Item = (&'a Region, &'a Control)>,
    holders: &mut Vec<ActorIx>,
) {
    holders.clear();
    holders.resize(sc.regions.len(), 0);
    for (region, control) in regions {
        holders[region.ix] = control.holder;
    }
}

/// What the map implies — supply, the front, who can strike each region — kept for
/// as long as no region changes hands: on most days none does.
#[derive(Resource, Debug, Default)]
pub struct MapView {
    pub holders: Vec<ActorIx>,
    pub supply: Vec<bool>,
    /// Pairs of adjacent regions held by enemies.
    pub front: Vec<(RegionIx, RegionIx)>,
    /// Every camp that can strike a contestable region from a neighbouring one, by
    /// region, then attacker, in increasing order.
    pub strikes: Vec<Strike>,
    /// The distinct matchups of the strikes: the force ratios a day needs.
    pub matchups: Vec<Matchup>,
    /// The camp whose eyes the view is through, if not the truth's: its own camp
    /// strikes what it aims at, every other what its stances claim ([`claimed`]).
    pub knower: Option<ActorIx>,
    /// The sides' aims the view was built with.
    pub aims: WarAims,
}

/// Who fights whom over a region: the attacker and the defender, each with the allies
/// that border the region too (whose power counts at `coordination`), and whether
/// the defender is supplied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matchup {
    pub attacker: ActorIx,
    pub defender: ActorIx,
    pub supplied: bool,
    pub attacker_allies: Vec<ActorIx>,
    pub defender_allies: Vec<ActorIx>,
}

impl Matchup {
    /// The attacker's and the defender's power in this fight.
    fn powers(&self, m: &ModelParams, power: &[f64]) -> (f64, f64) {
        let with = |lead: ActorIx, allies: &[ActorIx]| {
            if allies.is_empty() {
                power[lead]
            } else {
                power[lead] + m.coordination * allies.iter().map(|&a| power[a]).sum::<f64>()
            }
        };
        (
            with(self.attacker, &self.attacker_allies),
            with(self.defender, &self.defender_allies),
        )
    }
}

/// A side that can strike a region: a neighbour of it is held by `attacker`.
#[derive(Debug, Clone, Copy)]
pub struct Strike {
    pub region: RegionIx,
    pub attacker: ActorIx,
    pub defender: ActorIx,
    /// Index into [`MapView::matchups`].
    pub matchup: usize,
    /// The region's terrain cover.
    pub cover: f64,
}

impl MapView {
    /// The view of `holders` with the aims the scenario starts with.
    pub fn new(sc: &Compiled, holders: Vec<ActorIx>) -> MapView {
        let mut view = MapView {
            aims: WarAims::of(sc),
            ..MapView::default()
        };
        view.rebuild(sc, holders);
        view
    }

    /// An empty view through the eyes of `camp`, to [`MapView::update`].
    pub fn seen_by(camp: ActorIx) -> MapView {
        MapView {
            knower: Some(camp),
            ..MapView::default()
        }
    }

    /// Brings the view up to date with `holders` and the sides' `aims`; rebuilds it
    /// only if the map or an aim changed.
    pub fn update(&mut self, sc: &Compiled, holders: &[ActorIx], aims: &WarAims) {
        if self.holders != holders || self.aims != *aims {
            self.aims.clone_from(aims);
            self.rebuild(sc, holders.to_vec());
        }
    }

    fn rebuild(&mut self, sc: &Compiled, holders: Vec<ActorIx>) {
        self.supply = supplied(sc, &holders);
        self.front = fronts(sc, &holders);
        self.strikes.clear();
        self.matchups.clear();
        let shares = map_shares(sc, &holders);
        let mut sides: Vec<ActorIx> = Vec::new();
        let mut camps: Vec<ActorIx> = Vec::new();
        for (r, region) in sc.regions.iter().enumerate() {
            if !region.contestable {
                continue;
            }
            let defender = holders[r];
            sides.clear();
            sides.extend(
                region
                    .adjacent
                    .iter()
                    .map(|&q| holders[q])
                    .filter(|&a| sc.hostile(a, defender)),
            );
            sides.sort_unstable();
            sides.dedup();
            // A side attacks only what it wants; another camp knows that only from
            // what the side claims.
            let knower = self.knower;
            sides.retain(|&a| match knower {
                Some(c) if sc.camp(a) != c => claimed(sc, &holders, &shares, a, r),
                _ => in_aims(sc, &self.aims, &holders, &shares, a, r),
            });
            // One strike a camp: its strongest member on the spot leads it (the
            // first in actor order among equals), the others bordering the region
            // join in. Without coalitions every side is its own camp.
            camps.clear();
            camps.extend(sides.iter().map(|&a| sc.camp(a)));
            camps.dedup();
            let mut defender_allies: Vec<ActorIx> = Vec::new();
            if sc.coalitions {
                camps.sort_unstable();
                camps.dedup();
                defender_allies.extend(
                    region
                        .adjacent
                        .iter()
                        .map(|&q| holders[q])
                        .filter(|&a| a != defender && sc.camp(a) == sc.camp(defender)),
                );
                defender_allies.sort_unstable();
                defender_allies.dedup();
            }
            for &camp in &camps {
                let members = sides.iter().copied().filter(|&a| sc.camp(a) == camp);
                let attacker = members
                    .clone()
                    .max_by(|&a, &b| strength(sc, a).total_cmp(&strength(sc, b)).then(b.cmp(&a)))
                    .expect("a camp with a member on the spot");
                let key = Matchup {
                    attacker,
                    defender,
                    supplied: self.supply[r],
                    attacker_allies: members.filter(|&a| a != attacker).collect(),
                    defender_allies: defender_allies.clone(),
                };
                let matchup = match self.matchups.iter().position(|k| *k == key) {
                    Some(i) => i,
                    None => {
                        self.matchups.push(key);
                        self.matchups.len() - 1
                    }
                };
                self.strikes.push(Strike {
                    region: r,
                    attacker,
                    defender,
                    matchup,
                    cover: region.cover,
                });
            }
        }
        self.holders = holders;
    }
}

/// The force-ratio odds of each of the map's matchups, judged once per look (a
/// handful of `powf`s rather than one per region), and the buffers for spreading
/// each side's effort.
#[derive(Debug, Default)]
pub struct OddsCache {
    odds: Vec<Option<f64>>,
    /// Per strike: its chance before effort is spread, then the attacker's share.
    chance: Vec<f64>,
    effort: Vec<f64>,
    /// Per strike: the defender's share of its reserves at the region.
    cover: Vec<f64>,
    weights: Vec<f64>,
    shares: Vec<f64>,
    members: Vec<usize>,
}

/// The one-day capture chances on the current map, into `out`: for each contestable
/// region, each adjacent enemy that wants it and its chance of taking it. `power`
/// may be one actor's perception rather than the truth.
pub fn threats_into(
    sc: &Compiled,
    map: &MapView,
    power: &[f64],
    intensity: impl Fn(ActorIx, ActorIx) -> f64,
    cache: &mut OddsCache,
    out: &mut Vec<(RegionIx, ActorIx, f64)>,
) {
    let m = &sc.model;
    out.clear();
    let odds = &mut cache.odds;
    odds.clear();
    odds.extend(map.matchups.iter().map(|k| {
        let (a, d) = k.powers(m, power);
        force_odds(m, a, d, k.supplied)
    }));
    if m.concentration > 0.0 || m.reserves > 0.0 {
        return concentrated(sc, map, power, intensity, cache, out);
    }
    for s in &map.strikes {
        if power[s.attacker] <= 0.0 {
            continue;
        }
        // A truce stops offensives far more than it stops shelling.
        let level = intensity(s.attacker, s.defender);
        let p = level * level * odds_to_probability(m, odds[s.matchup], s.cover);
        if p > 0.0 {
            out.push((s.region, s.attacker, p));
        }
    }
}

/// [`threats_into`] with each side's offensive effort spread over the regions it
/// strikes, by what each is worth and the chance of the blow (`concentration`), and
/// each defender's reserves over the regions it holds under attack, by what each is
/// worth and the chance of losing it (`reserves`): a share of effort e against a
/// share of reserves f scales the force ratio by e / f.
fn concentrated(
    sc: &Compiled,
    map: &MapView,
    power: &[f64],
    intensity: impl Fn(ActorIx, ActorIx) -> f64,
    cache: &mut OddsCache,
    out: &mut Vec<(RegionIx, ActorIx, f64)>,
) {
    let m = &sc.model;
    let OddsCache {
        odds,
        chance,
        effort,
        cover,
        weights,
        shares,
        members,
    } = cache;
    let n = map.strikes.len();
    chance.clear();
    chance.extend(map.strikes.iter().map(|s| {
        if power[s.attacker] <= 0.0 {
            return 0.0;
        }
        let level = intensity(s.attacker, s.defender);
        level * level * odds_to_probability(m, odds[s.matchup], s.cover)
    }));
    // Each attacker's effort over the strikes it can make; then each defender's
    // reserves over the regions it holds under the blows so aimed.
    effort.clear();
    effort.resize(n, 1.0);
    cover.clear();
    cover.resize(n, 1.0);
    let sides = sc.actors.len();
    for side in 0..sides {
        members.clear();
        members.extend((0..n).filter(|&i| map.strikes[i].attacker == side && chance[i] > 0.0));
        if members.len() > 1 && m.concentration > 0.0 {
            weights.clear();
            weights.extend(
                members
                    .iter()
                    .map(|&i| draw(sc, map.strikes[i].region, chance[i])),
            );
            spread(weights, m.concentration, shares);
            for (&i, &e) in members.iter().zip(shares.iter()) {
                effort[i] = e;
            }
        }
    }
    if m.reserves > 0.0 {
        for side in 0..sides {
            members.clear();
            members.extend((0..n).filter(|&i| map.strikes[i].defender == side && chance[i] > 0.0));
            if members.len() < 2 {
                continue;
            }
            // The threat to a region: its value times the chances of the blows on it
            // (the strikes on one region are consecutive in the view), one weight a
            // region.
            weights.clear();
            let mut start = 0;
            while start < members.len() {
                let r = map.strikes[members[start]].region;
                let mut end = start;
                let mut blows = 0.0;
                while end < members.len() && map.strikes[members[end]].region == r {
                    blows += chance[members[end]] * effort[members[end]];
                    end += 1;
                }
                weights.push(draw(sc, r, blows));
                start = end;
            }
            if weights.len() < 2 {
                continue;
            }
            spread(weights, m.reserves, shares);
            let mut region = 0;
            for (k, &i) in members.iter().enumerate() {
                if k > 0 && map.strikes[i].region != map.strikes[members[k - 1]].region {
                    region += 1;
                }
                cover[i] = shares[region];
            }
        }
    }
    for (i, s) in map.strikes.iter().enumerate() {
        if chance[i] <= 0.0 {
            continue;
        }
        let level = intensity(s.attacker, s.defender);
        let scale = (effort[i] / cover[i].max(1e-9)).powf(m.force_exponent);
        let p = level * level * odds_to_probability(m, odds[s.matchup].map(|o| o * scale), s.cover);
        if p > 0.0 {
            out.push((s.region, s.attacker, p));
        }
    }
}

/// Adds one stretch's losses `x` (divided by loss rate and intensity) of `side`
/// against `enemy` to the day's evidence.
fn bleed(into: &mut Vec<Bleeding>, (side, enemy): (ActorIx, ActorIx), power: &[f64], x: f64) {
    let at = match into.iter().position(|b| b.side == side && b.enemy == enemy) {
        Some(at) => at,
        None => {
            into.push(Bleeding {
                side,
                enemy,
                own_power: power[side],
                enemy_power: power[enemy],
                stretches: 0.0,
                sum: 0.0,
                sum_sq: 0.0,
            });
            into.len() - 1
        }
    };
    let b = &mut into[at];
    b.stretches += 1.0;
    b.sum += x;
    b.sum_sq += x * x;
}

/// The intensity of fighting between the parties of an agreement `days` after it was
/// signed: the truce level, approached from the wartime level of 1 over
/// `truce_decay_days` (at once when that is 0).
pub fn truce_level(m: &ModelParams, days: u32) -> f64 {
    if m.truce_decay_days <= 0.0 {
        return m.truce_intensity;
    }
    let excess = 1.0 - m.truce_intensity;
    m.truce_intensity + excess * (-f64::from(days) / m.truce_decay_days).exp()
}

/// The intensity between every pair of sides on `day`, by `attacker * actors +
/// defender`, into `out`: winding down toward the truce level between the parties of
/// any agreement in force, full otherwise.
pub fn levels_into<'a>(
    sc: &Compiled,
    day: u32,
    agreements: impl Iterator<Item = &'a Agreement>,
    declarations: impl Iterator<Item = &'a Declaration>,
    out: &mut Vec<f64>,
) {
    let n = sc.actors.len();
    out.clear();
    out.resize(n * n, 1.0);
    for ag in agreements.filter(|a| a.in_force()) {
        let l = truce_level(&sc.model, day.saturating_sub(ag.signed_day));
        for &a in &ag.terms.parties {
            for &b in &ag.terms.parties {
                let cell = &mut out[a * n + b];
                *cell = cell.min(l);
            }
        }
    }
    // A unilateral ceasefire lowers its declarer's side of each pair only.
    for d in declarations.filter(|d| d.in_force(day)) {
        let l = truce_level(&sc.model, day - d.day - 1);
        for b in 0..n {
            let cell = &mut out[d.by * n + b];
            *cell = cell.min(l);
        }
    }
}

/// Combat's buffers, kept between days: it runs every day.
#[derive(Default)]
struct Scratch {
    holders: Vec<ActorIx>,
    level: Vec<f64>,
    forces: Forces,
    losses: Vec<f64>,
    threats: Vec<(RegionIx, ActorIx, f64)>,
    /// The day's threats at full intensity, where a side presses despite a truce.
    full: Vec<(RegionIx, ActorIx, f64)>,
    odds: OddsCache,
    captures: Vec<(RegionIx, ActorIx)>,
    /// The fiercest fire each region is under, by region index.
    fire: Vec<f64>,
    /// Each side's power in fire (its power times its firepower), by actor index.
    firing: Vec<f64>,
}

#[allow(clippy::too_many_arguments)]
fn fight(
    scenario: Res<ScenarioRes>,
    clock: Res<Clock>,
    roster: Res<Roster>,
    mut rng: ResMut<SimRng>,
    mut toll: ResMut<Toll>,
    mut log: ResMut<CaptureLog>,
    mut battles: ResMut<Battles>,
    (mut strikes, pressing, aims): (ResMut<Strikes>, Res<Pressing>, Res<WarAims>),
    mut chronicle: ResMut<Chronicle>,
    mut armies: Query<(&Actor, &mut Army)>,
    patrons: Query<(&Actor, &Patron)>,
    mut regions: Query<(&Region, &mut Control, &mut Populace)>,
    (agreements, declarations): (Query<&Agreement>, Query<&Declaration>),
    mut map: ResMut<MapView>,
    mut scratch: Local<Scratch>,
) {
    let sc = &*scenario.0;
    let m = &sc.model;
    let day = clock.day;
    let rng = &mut rng.0;
    let Scratch {
        holders,
        level,
        forces,
        losses,
        threats,
        full,
        odds,
        captures,
        fire,
        firing,
    } = &mut *scratch;
    read_holders_into(sc, regions.iter().map(|(r, c, _)| (r, c)), holders);
    let holders = &*holders;
    let n = sc.actors.len();
    levels_into(sc, day, agreements.iter(), declarations.iter(), level);
    let intensity = |a: ActorIx, b: ActorIx| level[a * n + b];
    forces.read(sc, armies.iter(), patrons.iter());
    let Forces { army, power, .. } = forces;
    map.update(sc, holders, &aims);
    let supply = &map.supply;
    losses.clear();
    losses.resize(n, 0.0);

    // Captures, judged on the morning's map so that visiting order does not matter.
    captures.clear();
    threats_into(sc, &map, power, intensity, odds, threats);
    // Where a side presses an offensive despite a truce, it strikes at full intensity.
    if !pressing.today.is_empty() {
        threats_into(sc, &map, power, |_, _| 1.0, odds, full);
        for t in threats.iter_mut() {
            if pressing.presses(t.1, t.0)
                && let Some(f) = full.iter().find(|f| f.0 == t.0 && f.1 == t.1)
            {
                t.2 = f.2;
            }
        }
    }
    let intensity = |a: ActorIx, b: ActorIx, r: RegionIx| {
        if pressing.presses(a, r) {
            1.0
        } else {
            intensity(a, b)
        }
    };
    let battles = &mut *battles;
    battles.today.clear();
    battles.losses.clear();
    let strikes = &mut *strikes;
    strikes.today.clear();
    for &(r, attacker, p) in threats.iter() {
        if captures.iter().any(|&(c, _)| c == r) {
            continue;
        }
        let fell = rng.random_bool(p.clamp(0.0, 1.0));
        if fell {
            captures.push((r, attacker));
        }
        if strikes.watched {
            strikes.today.push(StrikeSeen {
                region: r,
                attacker,
                chance: p,
                fell,
            });
        }
        if battles.kept {
            let defender = holders[r];
            let level = intensity(attacker, defender, r);
            let scale = level * level * m.capture_rate;
            // The odds behind p = scale * odds / (1 + odds); a region nobody defends
            // (p = scale) tells nothing about the balance.
            let q = p / scale;
            if scale > 0.0 && q < 1.0 {
                battles.today.push(Engagement {
                    attacker,
                    defender,
                    odds: q / (1.0 - q),
                    scale,
                    fell,
                });
            }
        }
    }

    // Attrition along every stretch of front, by the powers in fire.
    fire_into(sc, power, firing);
    let firing = &*firing;
    let front = &map.front;
    for &(r, q) in front {
        let (a, d) = (holders[q], holders[r]);
        if army[a].is_none() || army[d].is_none() {
            continue;
        }
        // Fighting flares where either side presses an offensive across the stretch.
        let i = intensity(a, d, r).max(intensity(d, a, q));
        let noise: f64 = rng.random_range(0.6..1.4);
        let (la, ld) = front_losses(m, i, firing[a], firing[d]);
        losses[a] += la * noise;
        losses[d] += ld * noise;
        if battles.kept && i > 0.0 {
            let base = m.loss_rate * i;
            bleed(&mut battles.losses, (a, d), firing, la * noise / base);
            bleed(&mut battles.losses, (d, a), firing, ld * noise / base);
        }
    }

    // Civilians in regions under fire: each region takes the fiercest fire across
    // its stretches of front (adjacency is symmetric, so every enemy neighbour is a
    // stretch of front).
    fire.clear();
    fire.resize(holders.len(), 0.0);
    for &(r, q) in front {
        let (x, y) = (holders[r], holders[q]);
        fire[r] = fire[r].max(intensity(y, x, r));
        fire[q] = fire[q].max(intensity(x, y, q));
    }
    for (r, region) in sc.regions.iter().enumerate() {
        let under_fire = fire[r];
        if under_fire <= 0.0 || !region.contestable {
            continue;
        }
        let Ok((_, _, mut pop)) = regions.get_mut(roster.regions[r]) else {
            continue;
        };
        let noise: f64 = rng.random_range(0.5..1.5);
        let dead = (m.civilian_rate * under_fire * pop.people / 10_000.0 * noise).min(pop.people);
        let fled = (m.flight_rate * under_fire * (pop.people - dead)).max(0.0);
        pop.people -= dead + fled;
        toll.civilian_dead += dead;
        toll.displaced += fled;
    }

    for &(r, attacker) in captures.iter() {
        let region = &sc.regions[r];
        let defender = holders[r];
        let Ok((_, mut control, mut pop)) = regions.get_mut(roster.regions[r]) else {
            continue;
        };
        let retaken = region.controller == attacker;
        control.holder = attacker;
        control.since = Some(day);
        log.0.push(Capture {
            day,
            region: r,
            by: attacker,
        });
        let fled = pop.people * m.capture_flight;
        pop.people -= fled;
        toll.displaced += fled;
        losses[defender] += m.loss_rate * (2.0 + 4.0 * region.value);
        losses[attacker] += m.loss_rate * (1.0 + 2.0 * region.value);
        if let Some(a) = army[attacker].as_mut() {
            a.morale = (a.morale + 0.01 + 0.02 * region.value).min(1.0);
        }
        if let Some(d) = army[defender].as_mut() {
            d.morale = (d.morale - 0.01 - 0.04 * region.value).max(0.0);
        }
        chronicle.tell(day, || {
            let who = &sc.actors[attacker].adjective;
            let verb = if retaken { "retake" } else { "take" };
            let mut text = format!("{who} forces {verb} {}", region.name);
            if fled >= 500.0 {
                text.push_str(&format!("; some {} residents flee", round_people(fled)));
            }
            (region.name.clone(), text)
        });
    }

    // Armies bleed, are reinforced, and lose or regain heart.
    let fighting = |a: ActorIx| {
        front.iter().any(|&(r, q)| {
            let (x, y) = (holders[r], holders[q]);
            (x == a || y == a) && intensity(x, y, q).max(intensity(y, x, r)) >= 1.0
        })
    };
    for (a, slot) in army.iter_mut().enumerate() {
        let Some(army) = slot else { continue };
        army.dead += losses[a];
        army.troops = (army.troops - losses[a] + army.reinforcements).max(1.0);
        let cut_off = holders
            .iter()
            .zip(supply)
            .zip(&sc.regions)
            .filter(|&((&h, &supplied), region)| h == a && !supplied && region.contestable)
            .count() as f64;
        army.morale -= 0.5 * losses[a] / army.troops + 0.004 * cut_off;
        if !fighting(a) {
            army.morale += 0.02 * (army.initial_morale - army.morale).max(0.0);
        }
        army.morale = army.morale.clamp(0.0, 1.0);
    }
    for (actor, mut a) in &mut armies {
        if let Some(updated) = army[actor.ix] {
            *a = updated;
        }
    }
}

/// People, rounded for news lines: 12,345 -> "12,000".
pub fn round_people(n: f64) -> String {
    let step = if n >= 10_000.0 { 1000.0 } else { 100.0 };
    let rounded = ((n / step).round() * step) as i64;
    thousands(rounded)
}

/// 12345 -> "12,345".
pub fn thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Over 60 seeds of 10 days of the tiny war, with red's firepower `f`: the mean
    /// of blue's dead over red's on day 10, and of red's regions taken.
    fn exchange(f: f64) -> (f64, f64) {
        let sc = crate::sim::testkit::tiny_with(|t| {
            t.replace(
                r#""red": (troops: 10000, quality: 0.5, morale: 0.5)"#,
                &format!(r#""red": (troops: 10000, quality: 0.5, morale: 0.5, firepower: {f})"#),
            )
            .replace("activism: 0.9", "activism: 0.0")
        });
        let mut sim = crate::sim::Simulation::new(sc, 0);
        let (mut ratio, mut taken, mut runs) = (0.0, 0.0, 0.0);
        for seed in 0..60 {
            sim.reset(seed);
            for _ in 0..10 {
                sim.step();
            }
            let o = sim.outcome();
            let dead = &o.casualties.military;
            ratio += dead["blue"] as f64 / dead["red"].max(1) as f64;
            taken += o.captures.iter().filter(|c| c.by == "red").count() as f64;
            runs += 1.0;
        }
        (ratio / runs, taken / runs)
    }

    #[test]
    fn an_edge_in_fire_raises_the_exchange_ratio_not_the_ground_taken() {
        let (even, even_taken) = exchange(1.0);
        let (edge, edge_taken) = exchange(2.0);
        assert!(
            edge > 1.2 * even,
            "exchange ratio {even:.2} at even fire, {edge:.2} with an edge"
        );
        // The ground taken moves only through the armies' sizes, which the losses change.
        assert!(
            (edge_taken - even_taken).abs() <= 0.25 * even_taken.max(0.2),
            "red took {even_taken:.2} regions at even fire, {edge_taken:.2} with an edge"
        );
    }

    #[test]
    fn allies_strike_together_and_not_at_each_other() {
        let coalition = |coordination: f64| {
            crate::sim::testkit::three_with(|t| {
                t.replace(
                    r#"Actor(id: "blue", name: "Blue", role: Belligerent,"#,
                    r#"Actor(id: "blue", name: "Blue", role: Belligerent, side: Some("red"),"#,
                )
                .replace(
                    "model: (durable_days: 10, breach_cost: 10.0),",
                    &format!("model: (durable_days: 10, coordination: {coordination}),"),
                )
            })
        };
        let sc = coalition(0.75);
        let holders: Vec<ActorIx> = (0..sc.regions.len())
            .map(|r| sc.regions[r].controller)
            .collect();
        let map = MapView::new(&sc, holders.clone());
        // Red and blue face green alone: no front between them.
        assert!(
            map.front
                .iter()
                .all(|&(r, q)| sc.hostile(holders[r], holders[q]))
        );
        assert_eq!(map.front.len(), 2);
        // One joint strike on green's march, led by red (first among equals) with blue.
        let g1 = sc.region_ix("g1").unwrap();
        let on_g1: Vec<&Strike> = map.strikes.iter().filter(|s| s.region == g1).collect();
        assert_eq!(on_g1.len(), 1);
        let k = &map.matchups[on_g1[0].matchup];
        assert_eq!((k.attacker, k.attacker_allies.clone()), (0, vec![1]));
        // Green holds its march against both, or its chance of losing it is higher.
        let power = vec![1.0, 1.0, 1.0, 0.0];
        let chance = |sc: &Compiled| {
            let map = MapView::new(sc, holders.clone());
            let mut out = Vec::new();
            threats_into(
                sc,
                &map,
                &power,
                |_, _| 1.0,
                &mut OddsCache::default(),
                &mut out,
            );
            out.iter().find(|t| t.0 == g1).map(|t| t.2).unwrap()
        };
        let (alone, together) = (chance(&coalition(0.0)), chance(&sc));
        assert!(together > 1.3 * alone, "alone {alone}, together {together}");
    }

    #[test]
    fn fighting_winds_down_toward_the_truce_level() {
        let mut m = ModelParams {
            truce_intensity: 0.1,
            ..ModelParams::default()
        };
        // At once by default.
        assert_eq!(truce_level(&m, 0).to_bits(), 0.1_f64.to_bits());
        assert_eq!(truce_level(&m, 7).to_bits(), 0.1_f64.to_bits());
        // Over days: the excess over the truce level falls by e every 4 days.
        m.truce_decay_days = 4.0;
        assert!((truce_level(&m, 0) - 1.0).abs() < 1e-15);
        assert!((truce_level(&m, 4) - (0.1 + 0.9 / std::f64::consts::E)).abs() < 1e-15);
        assert!(truce_level(&m, 40) < 0.1001);
        assert!((1..40).all(|d| truce_level(&m, d) < truce_level(&m, d - 1)));
    }

    #[test]
    fn stronger_attackers_take_more_and_terrain_defends() {
        let m = ModelParams::default();
        let even = capture_probability(&m, 1.0, 1.0, 0.0, true);
        let strong = capture_probability(&m, 3.0, 1.0, 0.0, true);
        let hills = capture_probability(&m, 3.0, 1.0, 0.8, true);
        let cut_off = capture_probability(&m, 3.0, 1.0, 0.8, false);
        assert!((even - m.capture_rate / 2.0).abs() < 1e-12);
        assert!(strong > even);
        assert!(hills < strong);
        assert!(cut_off > hills);
        for p in [even, strong, hills, cut_off] {
            assert!((0.0..=m.capture_rate).contains(&p));
        }
        assert_eq!(capture_probability(&m, 0.0, 1.0, 0.0, true), 0.0);
    }

    #[test]
    fn the_weaker_side_bleeds_more() {
        let m = ModelParams::default();
        let (att, def) = front_losses(&m, 1.0, 3.0, 1.0);
        assert!(def > att);
        let (quiet_att, quiet_def) = front_losses(&m, 0.1, 3.0, 1.0);
        assert!(quiet_att < att && quiet_def < def);
    }

    #[test]
    fn power_grows_with_troops_quality_morale_and_patrons() {
        let army = Army {
            troops: 20_000.0,
            quality: 0.5,
            morale: 0.5,
            initial_morale: 0.5,
            reinforcements: 0.0,
            capital: None,
            dead: 0.0,
        };
        let base = power(&army, 0.0);
        assert!(power(&army, 0.2) > base);
        assert!(
            power(
                &Army {
                    morale: 0.9,
                    ..army
                },
                0.0
            ) > base
        );
        assert!(
            power(
                &Army {
                    troops: 30_000.0,
                    ..army
                },
                0.0
            ) > base
        );
    }

    #[test]
    fn a_patron_of_several_clients_splits_its_support_between_them() {
        let sc = crate::sim::testkit::three_with(|t| {
            t.replace(
                "    ],\n    relations:",
                r#"        Actor(id: "sponsor", name: "Sponsor", role: Patron,
              capability: (military: 0.8, economic: 0.5, diplomatic: 0.5),
              commitment: 1.0, clients: Some({"red": 0.75, "blue": 0.25})),
    ],
    relations:"#,
            )
        });
        let ix = |id: &str| sc.actor_ix(id).unwrap();
        // Its side is the client it backs most.
        assert_eq!(sc.actors[ix("sponsor")].side, Some(ix("red")));
        let army = crate::sim::testkit::army(10_000.0);
        let actors: Vec<Actor> = (0..sc.actors.len()).map(|ix| Actor { ix }).collect();
        let armies: Vec<(&Actor, &Army)> = (0..3).map(|a| (&actors[a], &army)).collect();
        let patron = Patron {
            military: 0.8,
            commitment: 1.0,
        };
        let mut forces = Forces::default();
        forces.read(
            &sc,
            armies.iter().copied(),
            [(&actors[ix("sponsor")], &patron)].into_iter(),
        );
        let lent = sc.model.patron_weight * 0.8;
        let expect = |share: f64| power(&army, lent * share);
        assert!((forces.power[ix("red")] - expect(0.75)).abs() < 1e-12);
        assert!((forces.power[ix("blue")] - expect(0.25)).abs() < 1e-12);
        assert!((forces.power[ix("green")] - power(&army, 0.0)).abs() < 1e-12);
        assert!(forces.power[ix("red")] > forces.power[ix("blue")]);
        assert!(forces.power[ix("blue")] > forces.power[ix("green")]);
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(round_people(12_345.0), "12,000");
        assert_eq!(round_people(1_260.0), "1,300");
    }
}
