//! Politics at home: each belligerent government's support, and what follows when it
//! falls (Putnam's two-level games; Weisiger on leader change; Fearon's audience
//! costs).
//!
//! A government whose scenario declares its `support` answers to a public. Every day
//! its support moves with the war: the side's own military losses relative to its
//! troops and the strategic value of the ground it lost that day lower it, ground
//! taken raises it a little (a rally), and a deal it signs costs it the concession the
//! deal makes, weighed by the audience's `domestic_pressure` (the audience cost the
//! acceptance rule anticipates, now paid). Support slowly returns toward where it
//! started. Below `repudiation_support` a signatory may repudiate a deal in force, by
//! a daily hazard that grows as support falls (damped by the deal's protection);
//! below `protest_support` crowds take to
//! the streets, and each day the leader may fall. A new leader is not bound by the
//! predecessor's commitments and settles more readily (Weisiger): less resolve, a
//! belief about the balance of power without the predecessor's bias, more flexible
//! positions, and the public's support back at its starting level.
//!
//! A scenario that declares no `support` has no [`Home`] component: the phase never
//! runs and every run is what it was without it, bit for bit.

use bevy::prelude::*;
use rand::RngExt;

use super::components::*;
use super::{Phase, Turn};
use crate::policy::concession;
use crate::scenario::Compiled;
use crate::scenario::compiled::{ActorIx, ModelParams};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Turn::Close,
        politics
            .run_if(any_with_component::<Home>)
            .in_set(Phase::Politics),
    );
}

/// What a day of war and diplomacy brought a government's public.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tidings {
    /// The day's military dead divided by the troops.
    pub losses: f64,
    /// Shares of the theatre's strategic value lost and taken by force that day.
    pub lost: f64,
    pub taken: f64,
    /// `domestic_pressure` × the concession of each deal signed that day, summed.
    pub conceded: f64,
}

/// Support after one day of `tidings`:
/// `s + reversion (s₀ − s) − w_loss × losses − w_ground × lost + w_rally × taken −
/// w_audience × conceded`, held in [0, 1].
pub fn revised(m: &ModelParams, support: f64, baseline: f64, t: &Tidings) -> f64 {
    let next = support + m.support_reversion * (baseline - support)
        - m.support_losses * t.losses
        - m.support_ground * t.lost
        + m.support_rally * t.taken
        - m.support_audience * t.conceded;
    next.clamp(0.0, 1.0)
}

/// A daily hazard that grows as `support` falls below `threshold`: none at or above
/// it, rising in proportion to the shortfall, `rate` at no support at all.
pub fn hazard(rate: f64, threshold: f64, support: f64) -> f64 {
    if threshold <= 0.0 || support >= threshold {
        return 0.0;
    }
    (rate * (threshold - support) / threshold).clamp(0.0, 1.0)
}

/// The shares of the theatre's value that `side` lost and took by force today: the
/// day's captures, each lost by whoever held the region when support was last revised.
fn ground(
    sc: &Compiled,
    log: &CaptureLog,
    held: &[ActorIx],
    day: u32,
    side: ActorIx,
) -> (f64, f64) {
    let total: f64 = sc.values.iter().sum();
    if total <= 0.0 {
        return (0.0, 0.0);
    }
    let (mut lost, mut taken) = (0.0, 0.0);
    for c in log.0.iter().rev().take_while(|c| c.day == day) {
        if c.by == side {
            taken += sc.values[c.region];
        } else if held.get(c.region) == Some(&side) {
            lost += sc.values[c.region];
        }
    }
    (lost / total, taken / total)
}

/// The government of `side` under new leadership: resolve falls by the model's share,
/// the predecessor's optimism goes (the belief is centred on the truth), every issue
/// grows more flexible, and the public's support is back where it started.
pub fn new_leader(
    m: &ModelParams,
    home: &mut Home,
    stance: &mut Stance,
    disposition: &mut Disposition,
    belief: Option<&mut Belief>,
) {
    disposition.resolve *= 1.0 - m.leader_resolve;
    disposition.optimism = 0.0;
    if let Some(belief) = belief {
        belief.recentre(1.0, m.force_exponent);
    }
    for f in &mut stance.flexibility {
        *f += m.leader_flexibility * (1.0 - *f);
    }
    home.support = home.baseline;
    home.protesting = false;
    home.leaders += 1;
}

/// What the day brought the public of `side`: its losses since they were last
/// counted, the ground it lost and took, and the concessions of the deals it signed
/// today, each weighed by its government's `domestic_pressure` against where things
/// stood this morning (`now`).
#[allow(clippy::too_many_arguments)]
fn tidings(
    sc: &Compiled,
    log: &CaptureLog,
    held: &[ActorIx],
    now: &[f64],
    day: u32,
    side: ActorIx,
    (home, army, stance, disposition): (&Home, &Army, &Stance, &Disposition),
    agreements: &Query<&mut Agreement>,
) -> Tidings {
    let (lost, taken) = ground(sc, log, held, day, side);
    let conceded = agreements
        .iter()
        .filter(|a| a.signed_day == day && a.terms.parties.contains(&side))
        .map(|a| {
            disposition.pressure * concession(&stance.position, &stance.salience, now, &a.point)
        })
        .sum();
    Tidings {
        losses: (army.dead - home.dead_counted).max(0.0) / army.troops.max(1.0),
        lost,
        taken,
        conceded,
    }
}

type Government<'a> = (
    &'a mut Home,
    &'a Army,
    &'a mut Stance,
    &'a mut Disposition,
    Option<&'a mut Belief>,
);

/// Revises every government's support, in actor order, then draws its repudiations,
/// protests and change of leader.
#[allow(clippy::too_many_arguments)]
fn politics(
    scenario: Res<ScenarioRes>,
    clock: Res<Clock>,
    roster: Res<Roster>,
    situation: Res<Situation>,
    log: Res<CaptureLog>,
    (mut front, mut relations, mut ledger): (ResMut<HomeFront>, ResMut<Relations>, ResMut<Ledger>),
    (mut chronicle, mut rng): (ResMut<Chronicle>, ResMut<SimRng>),
    mut governments: Query<Government>,
    mut agreements: Query<&mut Agreement>,
) {
    let sc = &*scenario.0;
    let m = &sc.model;
    let day = clock.day;
    for (side, &e) in roster.actors.iter().enumerate() {
        let Ok((mut home, army, mut stance, mut disposition, belief)) = governments.get_mut(e)
        else {
            continue;
        };
        let tidings = tidings(
            sc,
            &log,
            &front.held,
            &situation.now,
            day,
            side,
            (&home, army, &stance, &disposition),
            &agreements,
        );
        home.dead_counted = army.dead;
        home.support = revised(m, home.support, home.baseline, &tidings);
        let support = home.support;
        let events = &mut front.events;
        repudiations(
            sc,
            day,
            (side, support),
            &mut rng,
            &mut ledger,
            &mut relations,
            &mut chronicle,
            &mut agreements,
            events,
        );
        let belief = belief.map(Mut::into_inner);
        let government = (&mut *home, &mut *stance, &mut *disposition, belief);
        unrest(sc, day, side, government, &mut rng, &mut chronicle, events);
    }
    front.held.clone_from(&situation.holders);
}

/// Protests, told the first day support is below the protest level, and the day's
/// chance that the leader falls.
fn unrest(
    sc: &Compiled,
    day: u32,
    side: ActorIx,
    (home, stance, disposition, belief): (
        &mut Home,
        &mut Stance,
        &mut Disposition,
        Option<&mut Belief>,
    ),
    rng: &mut SimRng,
    chronicle: &mut Chronicle,
    events: &mut Vec<HomeEvent>,
) {
    let m = &sc.model;
    let support = home.support;
    let event = |what| HomeEvent {
        day,
        actor: side,
        what,
        support,
    };
    let who = &sc.actors[side];
    let protest = support < m.protest_support;
    if protest && !home.protesting {
        events.push(event(HomeTurn::Protests));
        chronicle.tell(day, || {
            (
                who.seat.clone(),
                format!(
                    "crowds take to the streets against the {} government as its support falls to {:.0}%",
                    who.adjective,
                    100.0 * support
                ),
            )
        });
    }
    home.protesting = protest;
    let p = hazard(m.leader_change_rate, m.protest_support, support);
    if p <= 0.0 || !rng.0.random_bool(p) {
        return;
    }
    events.push(event(HomeTurn::LeaderChange));
    let first = home.leaders == 0;
    new_leader(m, home, stance, disposition, belief);
    chronicle.tell(day, || {
        let fallen = if first && !who.leader.is_empty() {
            format!("{} leaves office", who.leader)
        } else {
            format!("the {} government falls", who.adjective)
        };
        (
            who.seat.clone(),
            format!(
                "{fallen} amid the protests; a new government, not bound by its predecessor's commitments, takes over"
            ),
        )
    });
}

/// Each deal in force that `side` signed before today, oldest first, may be
/// repudiated by its government: by the hazard its support gives, damped by the
/// deal's protection as a collapse is (Fortna: monitors, peacekeepers and guarantors
/// raise the cost of walking away, whoever demands it).
#[allow(clippy::too_many_arguments)]
fn repudiations(
    sc: &Compiled,
    day: u32,
    (side, support): (ActorIx, f64),
    rng: &mut SimRng,
    ledger: &mut Ledger,
    relations: &mut Relations,
    chronicle: &mut Chronicle,
    agreements: &mut Query<&mut Agreement>,
    events: &mut Vec<HomeEvent>,
) {
    let m = &sc.model;
    let p = hazard(m.repudiation_rate, m.repudiation_support, support);
    if p <= 0.0 {
        return;
    }
    let mut signed: Vec<Mut<Agreement>> = agreements
        .iter_mut()
        .filter(|a| a.in_force() && a.signed_day < day && a.terms.parties.contains(&side))
        .collect();
    signed.sort_by_key(|a| (a.signed_day, a.origin));
    for mut ag in signed {
        if !rng
            .0
            .random_bool((p * (1.0 - ag.protection)).clamp(0.0, 1.0))
        {
            continue;
        }
        ag.break_off(day, ledger, relations);
        ag.repudiated_by = Some(side);
        events.push(HomeEvent {
            day,
            actor: side,
            what: HomeTurn::Repudiation,
            support,
        });
        chronicle.tell(day, || {
            let who = &sc.actors[side];
            (
                who.seat.clone(),
                format!(
                    "{} {} the {} ({}) after {} days, {} government's support down to {:.0}%; the fighting resumes",
                    who.name,
                    who.verb("repudiates", "repudiate"),
                    ag.terms.name,
                    ag.terms.kind.noun(),
                    day - ag.signed_day,
                    who.its(),
                    100.0 * support
                ),
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_on_a_day_worked_by_hand() {
        let m = ModelParams {
            support_reversion: 0.1,
            support_losses: 2.0,
            support_ground: 1.0,
            support_rally: 0.5,
            support_audience: 1.0,
            ..ModelParams::default()
        };
        // From 0.6 toward 0.7: +0.1 × 0.1 = +0.01. Losses of 1% of the army: −0.02.
        // A tenth of the theatre lost: −0.1; a twentieth taken: +0.025. A deal with
        // concession 0.2 under pressure 0.5: −0.1. 0.6 + 0.01 − 0.02 − 0.1 + 0.025 − 0.1.
        let t = Tidings {
            losses: 0.01,
            lost: 0.1,
            taken: 0.05,
            conceded: 0.5 * 0.2,
        };
        let s = revised(&m, 0.6, 0.7, &t);
        assert!((s - 0.415).abs() < 1e-12, "{s}");
        // Nothing happens: a tenth of the gap closes.
        let quiet = revised(&m, 0.5, 0.7, &Tidings::default());
        assert!((quiet - 0.52).abs() < 1e-12, "{quiet}");
        // Held in [0, 1].
        let rout = Tidings {
            lost: 2.0,
            ..Tidings::default()
        };
        assert_eq!(revised(&m, 0.3, 0.7, &rout), 0.0);
    }

    #[test]
    fn hazards_start_below_their_threshold_and_grow_as_support_falls() {
        assert_eq!(hazard(0.1, 0.35, 0.35), 0.0);
        assert_eq!(hazard(0.1, 0.35, 0.9), 0.0);
        assert_eq!(hazard(0.1, 0.0, 0.0), 0.0);
        assert!((hazard(0.1, 0.4, 0.2) - 0.05).abs() < 1e-15);
        assert!((hazard(0.1, 0.4, 0.0) - 0.1).abs() < 1e-15);
        assert!(hazard(0.1, 0.4, 0.1) > hazard(0.1, 0.4, 0.3));
    }

    #[test]
    fn a_new_leader_is_less_resolved_unbiased_and_more_flexible() {
        let m = ModelParams::default();
        let mut home = Home {
            support: 0.1,
            baseline: 0.6,
            dead_counted: 0.0,
            protesting: true,
            leaders: 0,
        };
        let mut stance = Stance {
            position: vec![0.0, 1.0],
            salience: vec![1.0, 0.5],
            flexibility: vec![0.2, 1.0],
        };
        let mut disp = Disposition {
            resolve: 0.8,
            pressure: 0.5,
            optimism: 0.3,
        };
        let mut belief = Belief::prior(0.3, 0.0, m.force_exponent);
        new_leader(&m, &mut home, &mut stance, &mut disp, Some(&mut belief));
        assert!((disp.resolve - 0.8 * (1.0 - m.leader_resolve)).abs() < 1e-15);
        assert_eq!(disp.optimism, 0.0);
        assert_eq!(belief.mean(), 1.0);
        assert!((stance.flexibility[0] - (0.2 + m.leader_flexibility * 0.8)).abs() < 1e-15);
        assert_eq!(stance.flexibility[1], 1.0);
        assert_eq!(stance.position, [0.0, 1.0]);
        assert_eq!(
            (home.support, home.protesting, home.leaders),
            (0.6, false, 1)
        );
    }

    use crate::sim::Simulation;
    use crate::sim::testkit::tiny_with;

    /// The tiny war with each side's disposition after `resolve: 0.5,
    /// domestic_pressure: 0.5` given (`red`, `blue`: more fields, or new values of
    /// those, which the later ones override) and the model block (the inside of
    /// `model: (...)`).
    fn war_at_home(red: &str, blue: &str, model: &str) -> std::sync::Arc<Compiled> {
        war_at_home_with(red, blue, model, &[])
    }

    /// [`war_at_home`] with more edits of the text, each (from, to) replaced once.
    fn war_at_home_with(
        red: &str,
        blue: &str,
        model: &str,
        edits: &[(&str, &str)],
    ) -> std::sync::Arc<Compiled> {
        let (red, blue, model) = (red.to_string(), blue.to_string(), model.to_string());
        let edits: Vec<(String, String)> = edits
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        tiny_with(move |t| {
            let t = &edits
                .iter()
                .fold(t.to_string(), |t, (a, b)| t.replacen(a.as_str(), b, 1));
            let mut sides = t.splitn(3, "resolve: 0.5, domestic_pressure: 0.5)");
            let (head, mid, tail) = (
                sides.next().unwrap(),
                sides.next().unwrap(),
                sides.next().unwrap(),
            );
            format!(
                "{head}{}){mid}{}){tail}",
                disposition(&red),
                disposition(&blue)
            )
            .replace(
                "model: (breach_cost: 10.0),",
                &format!("model: (breach_cost: 10.0, {model}),"),
            )
        })
    }

    /// `resolve: 0.5, domestic_pressure: 0.5` with `extra` fields, a resolve in
    /// `extra` replacing the first.
    fn disposition(extra: &str) -> String {
        if extra.contains("resolve:") {
            format!("domestic_pressure: 0.5, {extra}")
        } else {
            format!("resolve: 0.5, domestic_pressure: 0.5, {extra}")
        }
    }

    /// What `seeds` runs came to.
    #[derive(Debug, Default)]
    struct Counts {
        /// Runs that signed anything, and runs that ended in a durable agreement.
        signed: u32,
        settled: u32,
        repudiations: u32,
        leader_changes: u32,
    }

    fn count(sc: &std::sync::Arc<Compiled>, seeds: u64) -> Counts {
        let mut sim = Simulation::new(sc.clone(), 0);
        let mut c = Counts::default();
        for seed in 0..seeds {
            sim.reset(seed);
            while sim.step() {}
            let t = sim.tally();
            c.signed += u32::from(t.signed > 0);
            c.settled += u32::from(t.durable.is_some());
            c.repudiations += t.repudiations;
            c.leader_changes += t.leader_changes;
        }
        c
    }

    /// Support held where it starts: nothing moves it.
    const STILL: &str = "support_losses: 0.0, support_ground: 0.0, support_rally: 0.0, \
                         support_audience: 0.0, repudiation_rate: 1.0";

    #[test]
    fn repudiation_happens_only_below_the_threshold() {
        // At 0.36 and 0.9, above the threshold of 0.35: never, though the rate is 1.
        for support in ["0.36", "0.9"] {
            let s = format!("support: Some({support})");
            let c = count(&war_at_home(&s, &s, STILL), 60);
            assert!(c.signed > 20, "only {} runs signed anything", c.signed);
            assert_eq!(c.repudiations, 0, "support {support}");
        }
        // At 0.3, below it: deals are repudiated, and the record says by whom.
        let low = "support: Some(0.3)";
        let sc = war_at_home(low, "support: Some(0.9)", STILL);
        let repudiated = count(&sc, 60).repudiations;
        assert!(repudiated > 10, "{repudiated} repudiations");
        let mut sim = Simulation::new(sc, 0);
        let outcome = (0..60)
            .map(|seed| {
                sim.reset(seed);
                sim.run_to_end()
            })
            .find(|o| !o.home.is_empty())
            .expect("some run has a repudiation");
        let by: Vec<_> = outcome
            .agreements
            .iter()
            .filter_map(|a| a.repudiated_by.as_deref())
            .collect();
        assert!(!by.is_empty() && by.iter().all(|&b| b == "red"), "{by:?}");
        assert!(
            outcome
                .home
                .iter()
                .all(|h| h.actor == "red" && h.support < 0.35)
        );
        assert!(
            outcome
                .chronicle
                .iter()
                .any(|l| l.text.contains("Red repudiates the truce")),
            "{:?}",
            outcome.chronicle
        );
    }

    #[test]
    fn without_support_the_mechanic_is_inert() {
        let sc = crate::sim::testkit::tiny();
        let mut sim = Simulation::new(sc.clone(), 0);
        for seed in 0..10 {
            sim.reset(seed);
            while sim.step() {}
            assert!(sim.world().resource::<HomeFront>().events.is_empty());
            let days = &sim.world().resource::<Record>().days;
            assert!(days.iter().all(|d| d.support.iter().all(Option::is_none)));
        }
    }

    #[test]
    fn losses_and_lost_ground_wear_support_down_and_protests_are_told_once() {
        // No reversion, no leader change: support only falls for the side that loses.
        let model = "support_reversion: 0.0, support_ground: 3.0, leader_change_rate: 0.0, \
                     repudiation_rate: 0.0";
        let sc = war_at_home("support: Some(0.6)", "support: Some(0.6)", model);
        let mut sim = Simulation::new(sc, 0);
        let mut fell = 0;
        for seed in 0..20 {
            sim.reset(seed);
            while sim.step() {}
            let days = sim.world().resource::<Record>().days.clone();
            let support = |d: &DayRecord, a: usize| d.support[a].unwrap();
            for w in days.windows(2) {
                for a in 0..2 {
                    let lost = w[1].control[a] < w[0].control[a] - 1e-12;
                    if lost {
                        assert!(support(&w[1], a) < support(&w[0], a));
                    }
                }
            }
            let last = days.last().unwrap();
            fell += u32::from((0..2).any(|a| support(last, a) < 0.6));
            let o = sim.outcome();
            // A protest is told the first day support crosses the level, not every day.
            for actor in ["red", "blue"] {
                let told = o
                    .home
                    .iter()
                    .filter(|h| h.actor == actor && h.event == HomeTurn::Protests)
                    .count();
                assert!(told <= 1, "{actor}: {told} protests told");
            }
        }
        assert!(fell > 10, "support fell in {fell} of 20 runs");
    }

    #[test]
    fn a_change_of_leader_raises_the_chance_of_a_settlement() {
        // Red is firm, sure of itself and set against the talks the truce opens; its
        // support sits below the protest level all war, nothing else moving it and
        // nothing repudiated. The only difference between the two wars is whether
        // the leader may fall.
        let red = "resolve: 0.9, optimism: 0.3, support: Some(0.1)";
        let against_talks = [(
            r#""talks": (position: 1.0, salience: 0.3)"#,
            r#""talks": (position: 0.0, salience: 1.0)"#,
        )];
        let still = "support_losses: 0.0, support_ground: 0.0, support_rally: 0.0, \
                     support_audience: 0.0, repudiation_rate: 0.0, support_reversion: 0.0";
        let make = |rate: &str| {
            let model = format!("{still}, leader_change_rate: {rate}");
            war_at_home_with(red, "support: Some(0.9)", &model, &against_talks)
        };
        let seeds = 300;
        let kept = count(&make("0.0"), seeds);
        let fallen = count(&make("0.5"), seeds);
        assert_eq!(kept.leader_changes, 0);
        assert!(
            u64::from(fallen.leader_changes) >= seeds,
            "{} changes of leader in {seeds} runs",
            fallen.leader_changes
        );
        // Runs that end in a durable agreement: a new leader settles more readily.
        let share = |c: &Counts| f64::from(c.settled) / seeds as f64;
        let (p, q) = (share(&kept), share(&fallen));
        let se = ((p * (1.0 - p) + q * (1.0 - q)) / seeds as f64).sqrt();
        assert!(
            q - p > 3.0 * se,
            "settled {p:.3} with the leader kept, {q:.3} with one fallen (se {se:.3}): \
             {kept:?} {fallen:?}"
        );
    }
}
