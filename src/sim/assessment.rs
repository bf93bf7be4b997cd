//! Assessment: every actor re-judges the war each day.
//!
//! A belligerent projects the map `horizon` days ahead with the combat model's own
//! capture odds, seen through its optimism; the issues that follow the map take their
//! projected values, the others stay at the status quo. Its BATNA is the utility of
//! that outcome minus the expected cost of the fighting (losses against resolve).
//! `hurt` — how much it would rather stop where it stands — gives Zartman's ripeness.
//!
//! A side projects its own camp's attacks by its plan (`aims`) and its enemies' by
//! what their stances claim, and a side whose capital an enemy can strike weighs the
//! chance of losing it: the capitulation after which the victor dictates the peace.
//!
//! With a `commitment_weight`, every projection reckons with the power each side will
//! have: a side whose reinforcements outrun its losses expects to grow stronger and
//! holds out, one bleeding faster than it is reinforced expects to weaken; and a deal
//! signed before such a shift is fragile, since the rising side's war outlook, and
//! with it the collapse hazard, rises with its power (Powell 2006).

use bevy::prelude::*;

use super::combat::{
    Forces, MapView, OddsCache, firepower, front_losses, read_holders_into, threats_into,
};
use super::components::*;
use super::responses::Minds;
use super::{Phase, Turn};
use crate::policy::utility;
use crate::scenario::Compiled;
use crate::scenario::compiled::{ActorIx, RegionIx, Role, Tracks, Transfer};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Turn::Open, assess.in_set(Phase::Assessment));
}

/// Value of every issue now, into `out`: the map for tracked issues, the strongest
/// agreement in force (`strongest`) for negotiated ones, the status quo otherwise.
pub fn current_point_into(
    sc: &Compiled,
    holders: &[ActorIx],
    strongest: Option<&Agreement>,
    out: &mut Vec<f64>,
) {
    out.clear();
    out.extend(sc.issues.iter().enumerate().map(|(k, issue)| {
        match &issue.tracks {
            Some(t) => tracked_share(t, holders),
            None => strongest
                .and_then(|a| a.terms.terms[k])
                .unwrap_or(issue.status_quo),
        }
    }));
}

/// Share of the weighted regions held by `side`.
pub fn share(weights: &[f64], holders: &[ActorIx], side: ActorIx) -> f64 {
    share_of(weights, weights.iter().sum(), holders, side)
}

/// The share of a tracked issue's regions that its side's camp holds.
pub fn tracked_share(t: &Tracks, holders: &[ActorIx]) -> f64 {
    if t.total <= 0.0 {
        return 0.0;
    }
    t.weights
        .iter()
        .zip(holders)
        .filter(|&(_, &h)| t.counts(h))
        .map(|(w, _)| w)
        .sum::<f64>()
        / t.total
}

/// [`share`] with the weights' `total` already summed.
fn share_of(weights: &[f64], total: f64, holders: &[ActorIx], side: ActorIx) -> f64 {
    if total <= 0.0 {
        return 0.0;
    }
    weights
        .iter()
        .zip(holders)
        .filter(|&(_, &h)| h == side)
        .map(|(w, _)| w)
        .sum::<f64>()
        / total
}

/// The point in issue space a proposal would set: its terms, the status quo where it
/// is silent, and for map issues the map after its transfers.
pub fn proposal_point(
    sc: &Compiled,
    terms: &crate::scenario::compiled::Proposal,
    holders: &[ActorIx],
) -> Vec<f64> {
    let mut point = Vec::with_capacity(sc.issues.len());
    proposal_point_into(sc, terms, holders, &mut point);
    point
}

/// [`proposal_point`] into a buffer.
pub fn proposal_point_into(
    sc: &Compiled,
    terms: &crate::scenario::compiled::Proposal,
    holders: &[ActorIx],
    out: &mut Vec<f64>,
) {
    // Who holds each region once the transfers are made, on the stack for maps of
    // the usual size: this runs for every proposal weighed, every day.
    let mut small: [ActorIx; 64];
    let mut large = Vec::new();
    let after: &[ActorIx] = if terms.transfers.is_empty() {
        holders
    } else {
        let after = if holders.len() <= 64 {
            small = [0; 64];
            let after = &mut small[..holders.len()];
            after.copy_from_slice(holders);
            after
        } else {
            large.extend_from_slice(holders);
            &mut large[..]
        };
        for &Transfer { region: r, to, .. } in &terms.transfers {
            after[r] = to;
        }
        after
    };
    out.clear();
    out.extend(
        sc.issues
            .iter()
            .enumerate()
            .map(|(k, issue)| match &issue.tracks {
                Some(t) => tracked_share(t, after),
                None => terms.terms[k].unwrap_or(issue.status_quo),
            }),
    );
}

/// The threats of one day, as seen with some powers, each with its chance of
/// falling within the horizon. Kept between days for its buffers.
#[derive(Default)]
struct Foresight {
    /// (region, attacker, chance of falling within the horizon)
    reach: Vec<(RegionIx, ActorIx, f64)>,
    odds: OddsCache,
}

impl Foresight {
    /// Looks at the map with `power`, replacing what was seen before.
    fn look(&mut self, sc: &Compiled, map: &MapView, power: &[f64]) {
        let h = sc.model.horizon;
        threats_into(sc, map, power, |_, _| 1.0, &mut self.odds, &mut self.reach);
        for (_, _, p) in &mut self.reach {
            *p = within(*p, h);
        }
    }

    /// Expected share of a tracked issue's regions that its side holds after the
    /// horizon.
    fn expected_share(&self, t: &Tracks, holders: &[ActorIx]) -> f64 {
        let total = t.total;
        let now = tracked_share(t, holders);
        if total <= 0.0 {
            return now;
        }
        // Each threatened region falls within the horizon with probability
        // 1 - (1 - p)^h: gains saturate at what is actually within reach.
        let change: f64 = self
            .reach
            .iter()
            .map(|&(r, a, reach)| {
                let w = t.shares[r] * reach;
                if t.counts(a) {
                    w
                } else if t.counts(holders[r]) {
                    -w
                } else {
                    0.0
                }
            })
            .sum();
        (now + change).clamp(0.0, 1.0)
    }

    /// The chance that `side`'s `capital` falls within the horizon, and the enemy
    /// likeliest to take it: the capitulation that would let it dictate the peace.
    fn capital_lost(
        &self,
        sc: &Compiled,
        capital: Option<RegionIx>,
        side: ActorIx,
    ) -> Option<(f64, ActorIx)> {
        let capital = capital?;
        let (mut stays, mut victor) = (1.0, None);
        for &(r, a, reach) in &self.reach {
            if r == capital && sc.hostile(a, side) && reach > 0.0 {
                stays *= 1.0 - reach;
                if victor.is_none_or(|(_, best)| reach > best) {
                    victor = Some((a, reach));
                }
            }
        }
        victor.map(|(a, _)| (1.0 - stays, sc.camp(a)))
    }

    /// Expected outcome of `horizon` more days of war, into `out`.
    fn projection_into(&self, sc: &Compiled, holders: &[ActorIx], out: &mut Vec<f64>) {
        out.clear();
        out.extend(sc.issues.iter().map(|issue| match &issue.tracks {
            Some(t) => self.expected_share(t, holders),
            None => issue.status_quo,
        }));
    }
}

/// Chance that a region with daily capture chance `p` falls within `days`.
pub fn within(p: f64, days: f64) -> f64 {
    let stay = 1.0 - p.clamp(0.0, 1.0);
    // Horizons are whole days in practice; a power by squaring is far cheaper than
    // `powf`.
    if days.fract() == 0.0 && (0.0..=64.0).contains(&days) {
        1.0 - whole_power(stay, days as u32)
    } else {
        1.0 - stay.powf(days)
    }
}

/// `x` to the power `n` by squaring: the steps of `powi` (compiler-builtins'
/// `__powidf2`) in the same order, so the same bits, without the call.
fn whole_power(mut x: f64, mut n: u32) -> f64 {
    let mut out = 1.0;
    loop {
        if n & 1 != 0 {
            out *= x;
        }
        n >>= 1;
        if n == 0 {
            return out;
        }
        x *= x;
    }
}

/// Expected daily military dead of `side` if the war goes on at full intensity.
fn expected_losses(
    sc: &Compiled,
    front: &[(RegionIx, RegionIx)],
    holders: &[ActorIx],
    power: &[f64],
    side: ActorIx,
) -> f64 {
    front
        .iter()
        .map(|&(r, q)| {
            let (a, d) = (holders[q], holders[r]);
            let fire = |x: ActorIx| power[x] * firepower(sc, x);
            let (la, ld) = front_losses(&sc.model, 1.0, fire(a), fire(d));
            if a == side {
                la
            } else if d == side {
                ld
            } else {
                0.0
            }
        })
        .sum()
}

/// Each side's expected relative change in power by the middle of the horizon: its
/// reinforcements against its expected daily losses, over half the horizon, against
/// its troops; held within [−0.5, 1]. 0 for actors without an army.
pub fn trend_into(
    sc: &Compiled,
    front: &[(RegionIx, RegionIx)],
    holders: &[ActorIx],
    power: &[f64],
    army: &[Option<Army>],
    out: &mut Vec<f64>,
) {
    out.clear();
    out.extend(army.iter().enumerate().map(|(i, a)| match a {
        Some(a) if a.troops > 0.0 => {
            let net = a.reinforcements - expected_losses(sc, front, holders, power, i);
            (net * 0.5 * sc.model.horizon / a.troops).clamp(-0.5, 1.0)
        }
        _ => 0.0,
    }));
}

/// The assessment's buffers, kept between days: it runs every day.
#[derive(Default)]
struct Scratch {
    /// The powers the projections start from: today's, or with the trend.
    ahead: Vec<f64>,
    /// Each side's expected relative change in power ([`trend_into`]), while
    /// `commitment_weight` is above 0.
    trend: Vec<f64>,
    forces: Forces,
    seen: Vec<f64>,
    /// The map through the eyes of each camp whose enemies keep aims of their own
    /// (`aims` lists): it fears what they claim, not what they plan.
    guessed: Vec<(ActorIx, MapView)>,
    point: Vec<f64>,
    truth: Foresight,
    view: Foresight,
}

#[allow(clippy::too_many_arguments)]
fn assess(
    (scenario, clock, ledger): (Res<ScenarioRes>, Res<Clock>, Res<Ledger>),
    (mut situation, aims): (ResMut<Situation>, Res<WarAims>),
    armies: Query<(&Actor, &Army)>,
    patrons: Query<(&Actor, &Patron)>,
    regions: Query<(&Region, &Control)>,
    agreements: Query<&Agreement>,
    mut actors: Query<(&Actor, &Stance, &Disposition, Option<&Belief>, &mut Outlook)>,
    mut map: ResMut<MapView>,
    mut minds: ResMut<Minds>,
    mut scratch: Local<Scratch>,
) {
    let sc = &*scenario.0;
    let m = &sc.model;
    let scratch = &mut *scratch;
    minds.restart(sc.actors.len());
    let situation = &mut *situation;
    read_holders_into(sc, regions.iter(), &mut situation.holders);
    let holders = &situation.holders;
    let strongest = agreements
        .iter()
        .filter(|a| a.in_force())
        .max_by(|a, b| a.protection.total_cmp(&b.protection));
    scratch.forces.read(sc, armies.iter(), patrons.iter());
    let army = &scratch.forces.army;
    situation.power.clone_from(&scratch.forces.power);
    let power = &situation.power;
    map.update(sc, holders, &aims);
    std::mem::swap(&mut situation.yesterday, &mut situation.now);
    current_point_into(sc, holders, strongest, &mut situation.now);
    let now = &situation.now;
    // The powers the war is projected with: as they stand, or as they will be.
    scratch.ahead.clone_from(power);
    if m.commitment_weight > 0.0 {
        trend_into(sc, &map.front, holders, power, army, &mut scratch.trend);
        super::shifts::foreseen_into(
            sc,
            clock.day,
            &ledger.events_fired,
            &scratch.forces,
            &mut scratch.trend,
        );
        for g in &mut scratch.trend {
            *g = g.clamp(-0.5, 1.0);
        }
        for (p, g) in scratch.ahead.iter_mut().zip(&scratch.trend) {
            *p *= 1.0 + m.commitment_weight * g;
        }
    }
    let ahead = &scratch.ahead;
    scratch.truth.look(sc, &map, ahead);
    scratch
        .truth
        .projection_into(sc, holders, &mut situation.projected);
    let projected = &situation.projected;
    let mut ripeness = f64::INFINITY;
    let mut precipice = 0.0f64;
    situation.belief.clear();
    situation.belief.resize(sc.actors.len(), 1.0);

    for (actor, stance, disp, belief, mut outlook) in &mut actors {
        let outlook = &mut *outlook;
        let i = actor.ix;
        let u = |x: &[f64]| utility(&stance.position, &stance.salience, x);
        match (sc.actors[i].role, army[i]) {
            (Role::Belligerent, Some(own)) => {
                let seen = &mut scratch.seen;
                let view = &mut scratch.view;
                let camp = sc.camp(i);
                let guesses = aims
                    .0
                    .iter()
                    .enumerate()
                    .any(|(a, x)| x.is_some() && sc.hostile(a, i));
                let sight: &MapView = if guesses {
                    let k = match scratch.guessed.iter().position(|(c, _)| *c == camp) {
                        Some(k) => k,
                        None => {
                            scratch.guessed.push((camp, MapView::seen_by(camp)));
                            scratch.guessed.len() - 1
                        }
                    };
                    let guessed = &mut scratch.guessed[k].1;
                    guessed.update(sc, holders, &aims);
                    guessed
                } else {
                    &map
                };
                let cost_of = |seen: &[f64]| {
                    let daily = expected_losses(sc, &map.front, holders, seen, i);
                    m.cost_weight * m.horizon * daily / own.troops.max(1.0)
                        * (1.0 - disp.resolve)
                        * (1.5 - own.morale)
                };
                // The side projects the war with what it expects its strength to be;
                // unsure of it, it weighs fighting on over its belief.
                let factor = belief.map_or(1.0 + disp.optimism, Belief::mean);
                situation.belief[i] = factor;
                let quadrature = belief.and_then(Belief::quadrature);
                let (factors, weight): (&[f64], f64) = match &quadrature {
                    Some(two) => (two, 0.5),
                    None => (std::slice::from_ref(&factor), 1.0),
                };
                let point = &mut scratch.point;
                outlook.war_point.clear();
                outlook.war_point.resize(sc.issues.len(), 0.0);
                (outlook.batna, outlook.cost, outlook.capital_risk) = (0.0, 0.0, 0.0);
                outlook.brackets.clear();
                for &f in factors {
                    seen.clone_from(ahead);
                    seen[i] *= f;
                    view.look(sc, sight, seen);
                    view.projection_into(sc, holders, point);
                    let cost = cost_of(seen);
                    if quadrature.is_some() {
                        outlook.brackets.push((f.ln(), point.clone()));
                    }
                    let fallen = view.capital_lost(sc, own.capital, i);
                    let war = match fallen {
                        Some((p, victor)) => {
                            outlook.capital_risk += weight * p;
                            // The victor's stated positions: what it went to war for.
                            let dictated = u(&sc.actors[victor].position);
                            let p = m.capital_weight * p;
                            (1.0 - p) * u(point) + p * dictated
                        }
                        None => u(point),
                    };
                    outlook.batna += weight * (war - cost);
                    outlook.cost += weight * cost;
                    for (w, p) in outlook.war_point.iter_mut().zip(point.iter()) {
                        *w += weight * p;
                    }
                }
                outlook.hurt = u(now) - outlook.batna;
                ripeness = ripeness.min(outlook.hurt);
                outlook.fall = fall_from(&mut outlook.past, outlook.batna, m.precipice_days);
                precipice = precipice.max(outlook.fall);
            }
            _ => {
                outlook.batna = u(projected);
                outlook.cost = 0.0;
                outlook.hurt = u(now) - outlook.batna;
                outlook.war_point.clone_from(projected);
            }
        }
        minds.keep(i, stance, disp.pressure, outlook.batna);
    }
    situation.ripeness = if ripeness.is_finite() { ripeness } else { 0.0 };
    situation.precipice = precipice;
    situation.belief_gap = super::beliefs::gap(sc.belligerents().map(|a| situation.belief[a]));
}

/// How far `today` lies below the highest of the last `days` values in `past`, which
/// then takes `today` in, forgetting what is older.
fn fall_from(past: &mut std::collections::VecDeque<f64>, today: f64, days: u32) -> f64 {
    let peak = past.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if past.len() >= days as usize {
        past.pop_front();
    }
    past.push_back(today);
    (peak - today).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fall_is_measured_from_the_highest_of_the_last_days() {
        let mut past = std::collections::VecDeque::new();
        let falls: Vec<f64> = [0.5, 0.6, 0.55, 0.4, 0.45, 0.5, 0.5]
            .iter()
            .map(|&b| fall_from(&mut past, b, 3))
            .collect();
        // 0.55 under 0.6; 0.4 under 0.6; 0.45 still under 0.6 (0.5 forgotten); then
        // 0.6 forgotten, 0.5 under 0.55; then the last three days are 0.4 to 0.5.
        let want = [0.0, 0.0, 0.05, 0.2, 0.15, 0.05, 0.0];
        for (got, want) in falls.iter().zip(want) {
            assert!((got - want).abs() < 1e-12, "{falls:?}");
        }
        assert_eq!(past.len(), 3);
    }

    /// The tiny war with blue reinforced by `daily` soldiers a day, its projections
    /// reckoning with power to come by `weight`; each side's BATNA and daily collapse
    /// hazard of the tiny truce (protection as signed) after the first day.
    fn outlooks(daily: f64, weight: f64) -> [(f64, f64); 2] {
        let sc = crate::sim::testkit::tiny_with(|t| {
            t.replace(
                r#""blue": (troops: 10000, quality: 0.5, morale: 0.5)"#,
                &format!(
                    r#""blue": (troops: 10000, quality: 0.5, morale: 0.5, reinforcements: {daily})"#
                ),
            )
            .replace(
                "model: (breach_cost: 10.0),",
                &format!("model: (breach_cost: 10.0, commitment_weight: {weight}),"),
            )
            .replace("activism: 0.9", "activism: 0.0")
        });
        let mut sim = crate::sim::Simulation::new(sc.clone(), 1);
        sim.step();
        let world = sim.world_mut();
        let holders = world.resource::<Situation>().holders.clone();
        let truce = &sc.proposals[0];
        let terms = proposal_point(&sc, truce, &holders);
        let protection = crate::policy::protection(&truce.provisions);
        let mut q = world.query::<(&Actor, &Stance, &Outlook)>();
        let mut out = [(0.0, 0.0); 2];
        for (actor, stance, outlook) in q.iter(world) {
            if actor.ix < 2 {
                let keep = utility(&stance.position, &stance.salience, &terms);
                let hazard =
                    crate::policy::collapse_hazard(&sc.model, protection, outlook.batna - keep);
                out[actor.ix] = (outlook.batna, hazard);
            }
        }
        out
    }

    #[test]
    fn the_trend_is_reinforcements_against_expected_losses() {
        let sc = crate::sim::testkit::tiny();
        // Red bleeds 20 a day and gets 10: over half of a 30-day horizon it loses 150
        // of its 10,000. Blue bleeds 20 and gets 120: it gains 1,500.
        let mut army = [sc.actors[0].forces, sc.actors[1].forces].map(|f| {
            let f = f.expect("belligerents have forces");
            Some(Army {
                troops: 10_000.0,
                quality: f.quality,
                morale: f.morale,
                initial_morale: f.morale,
                reinforcements: 0.0,
                capital: None,
                dead: 0.0,
            })
        });
        army[0].as_mut().unwrap().reinforcements = 10.0;
        army[1].as_mut().unwrap().reinforcements = 120.0;
        let mut m = sc.model.clone();
        m.horizon = 30.0;
        // One stretch of front, at even powers: each side loses loss_rate × 0.7.
        let sc = Compiled {
            model: m,
            ..(*sc).clone()
        };
        let power = [1.0, 1.0, 0.0];
        let front = [(1, 2)];
        let holders = [0, 0, 1, 1];
        let daily = expected_losses(&sc, &front, &holders, &power, 0);
        let mut trend = Vec::new();
        let army: Vec<Option<Army>> = army.into_iter().chain([None]).collect();
        trend_into(&sc, &front, &holders, &power, &army, &mut trend);
        assert!(
            (trend[0] - (10.0 - daily) * 15.0 / 10_000.0).abs() < 1e-12,
            "{trend:?}"
        );
        assert!(
            (trend[1] - (120.0 - daily) * 15.0 / 10_000.0).abs() < 1e-12,
            "{trend:?}"
        );
        assert_eq!(trend[2], 0.0);
    }

    #[test]
    fn a_side_that_expects_to_grow_stronger_holds_out() {
        let [(red_now, red_h0), (blue_now, blue_h0)] = outlooks(300.0, 0.0);
        let [(red_ahead, red_h1), (blue_ahead, blue_h1)] = outlooks(300.0, 1.0);
        // Blue, reinforced, expects to be stronger: fighting on is worth more to it,
        // and less to red, which expects to face it.
        assert!(
            blue_ahead > blue_now + 0.003,
            "blue {blue_now} → {blue_ahead}"
        );
        assert!(red_ahead < red_now - 0.003, "red {red_now} → {red_ahead}");
        // A truce signed under that shift is more fragile: the rising side's gain from
        // breaking it, and the hazard, grow.
        assert!(
            blue_h1.max(red_h1) > 1.5 * blue_h0.max(red_h0),
            "hazard {blue_h0}/{red_h0} → {blue_h1}/{red_h1}"
        );
    }

    /// Each side's BATNA after the first day of the tiny war, blue's capital at
    /// `capital`, with `capital_weight` at `weight`.
    fn batnas(capital: &str, weight: f64) -> [f64; 2] {
        let sc = crate::sim::testkit::tiny_with(|t| {
            t.replace(
                r#""blue": (troops: 10000, quality: 0.5, morale: 0.5)"#,
                &format!(
                    r#""blue": (troops: 10000, quality: 0.5, morale: 0.5, capital: Some("{capital}"))"#
                ),
            )
            .replace(
                "model: (breach_cost: 10.0),",
                &format!("model: (breach_cost: 10.0, capital_weight: {weight}),"),
            )
        });
        let mut sim = crate::sim::Simulation::new(sc, 1);
        sim.step();
        let world = sim.world_mut();
        let mut q = world.query::<(&Actor, &Outlook)>();
        let mut out = [0.0; 2];
        for (actor, outlook) in q.iter(world) {
            if actor.ix < 2 {
                out[actor.ix] = outlook.batna;
            }
        }
        out
    }

    #[test]
    fn a_side_whose_capital_may_fall_reckons_with_a_dictated_peace() {
        // Blue's capital on the front (b1 borders red's r2): its fall would let red
        // dictate the peace, and blue's war is worth less for that chance.
        let [red_map, blue_map] = batnas("b1", 0.0);
        let [red, blue] = batnas("b1", 1.0);
        assert!(blue < blue_map - 0.001, "blue {blue_map} → {blue}");
        // Red has no capital to lose; its outlook is the map's.
        assert_eq!(red.to_bits(), red_map.to_bits());
        // A capital out of the enemy's reach changes nothing.
        let [_, rear_map] = batnas("b2", 0.0);
        let [_, rear] = batnas("b2", 1.0);
        assert_eq!(rear.to_bits(), rear_map.to_bits());
    }

    #[test]
    fn whole_powers_match_powi() {
        for x in [0.0, 0.37, 0.9, 0.999_999, 1.0] {
            for n in 0..=64 {
                assert_eq!(whole_power(x, n).to_bits(), x.powi(n as i32).to_bits());
            }
        }
    }

    #[test]
    fn share_counts_weighted_holdings() {
        let w = [1.0, 3.0, 0.0];
        assert_eq!(share(&w, &[0, 1, 1], 1), 0.75);
        assert_eq!(share(&w, &[0, 0, 1], 1), 0.0);
        assert_eq!(share(&[0.0], &[0], 0), 0.0);
    }
}
