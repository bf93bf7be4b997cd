//! Beliefs: what each belligerent learns about the balance of power from the fighting.
//!
//! A side does not know how strong it really is against its enemy. It holds a
//! distribution over the factor θ by which it multiplies its own combat power when it
//! projects the war (the truth is θ = 1): its prior is centred on 1 + `optimism`
//! (Fearon's mutual optimism) with a width `uncertainty` on the log scale. Every day,
//! each region it attacked or defended is evidence: under θ the combat model gives the
//! chance that the region fell; so are its own losses along each stretch of front,
//! which the model sets by the two sides' powers. Bayes' rule reweighs each θ by the
//! chance of what happened (Slantchev 2003; Smith and Stam 2004). Battles reveal the
//! balance, beliefs converge, and the assessment weighs fighting on over the
//! posterior ([`Belief::quadrature`]).
//!
//! Mediators know the balance as it is (they judge the war by the unbiased projection)
//! and say so: each day every mediator's word is a report of the truth, as credible to
//! a side as the side trusts the mediator (Kydd 2003: a mediator is believed as far as
//! it is trusted, so a biased one persuades the side that trusts it, not the other).
//!
//! A refused offer informs the proposer (screening): a side that reckons itself strong
//! expects its enemy to take its terms, since the enemy's war would go badly; refused,
//! it revises down by the chance of the refusal under each θ.
//!
//! A belief of no width is a single point: nothing to revise, and the model is the one
//! with a constant optimism.

use bevy::prelude::*;

use super::components::*;
use super::{Phase, Turn};
use crate::scenario::compiled::{ActorIx, Role};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Turn::Open,
        learn
            .run_if(|battles: Res<Battles>| battles.kept)
            .in_set(Phase::Learning),
    );
}

/// Points of a belief with a width: enough for the posterior's shape, few enough to
/// revise every day.
pub const POINTS: usize = 9;
/// How many prior standard deviations the points span on either side of the centre.
const SPAN: f64 = 3.0;
/// The most points a belief may have.
pub const MAX_POINTS: usize = 16;
/// Below this standard deviation of log θ a belief is judged at its mean alone: the
/// two points of the quadrature would be within 10% of it, for twice the work.
const NARROW: f64 = 0.1;
/// The variance of the daily noise on losses, uniform on [0.6, 1.4] (combat.rs).
const LOSS_NOISE_VARIANCE: f64 = 0.8 * 0.8 / 12.0;

impl Belief {
    /// The prior: centred on `1 + optimism`, with `uncertainty` the standard deviation
    /// of log θ, discretised on [`POINTS`] points over ±[`SPAN`] deviations; one point
    /// when there is no uncertainty.
    pub fn prior(optimism: f64, uncertainty: f64, force_exponent: f64) -> Belief {
        let centre = 1.0 + optimism;
        if uncertainty <= 0.0 {
            return Belief::from_points(vec![centre], vec![1.0], force_exponent);
        }
        let step = 2.0 * SPAN / (POINTS - 1) as f64;
        let z: Vec<f64> = (0..POINTS).map(|k| -SPAN + step * k as f64).collect();
        let theta = z.iter().map(|z| centre * (uncertainty * z).exp()).collect();
        let weight = z.iter().map(|z| (-0.5 * z * z).exp()).collect();
        Belief::from_points(theta, weight, force_exponent)
    }

    /// A belief with the given points (at most [`MAX_POINTS`]) and (unnormalised)
    /// weights.
    pub fn from_points(theta: Vec<f64>, weight: Vec<f64>, force_exponent: f64) -> Belief {
        assert!(theta.len() <= MAX_POINTS && theta.len() == weight.len());
        let tilt = theta.iter().map(|t| t.powf(force_exponent)).collect();
        let mut belief = Belief {
            theta,
            tilt,
            weight,
        };
        belief.normalise();
        belief
    }

    /// The expected factor: what the side projects the war with.
    pub fn mean(&self) -> f64 {
        self.theta
            .iter()
            .zip(&self.weight)
            .map(|(t, w)| t * w)
            .sum()
    }

    /// The standard deviation of the factor: 0 for a belief of no width.
    pub fn spread(&self) -> f64 {
        let mean = self.mean();
        self.theta
            .iter()
            .zip(&self.weight)
            .map(|(t, w)| w * (t - mean) * (t - mean))
            .sum::<f64>()
            .sqrt()
    }

    /// Two factors, a standard deviation of log θ either side of its mean, that weigh
    /// the belief's first two moments equally (Gauss–Hermite with two points); `None`
    /// for a belief of no width, or one so narrow ([`NARROW`]) that its mean will do.
    pub fn quadrature(&self) -> Option<[f64; 2]> {
        if self.is_point() {
            return None;
        }
        let logs = self.theta.iter().map(|t| t.ln());
        let mean: f64 = logs.clone().zip(&self.weight).map(|(l, w)| l * w).sum();
        let var: f64 = logs
            .zip(&self.weight)
            .map(|(l, w)| w * (l - mean) * (l - mean))
            .sum();
        let sd = var.sqrt();
        (sd >= NARROW).then(|| [(mean - sd).exp(), (mean + sd).exp()])
    }

    /// Scales every factor so that the belief's mean becomes `mean`, keeping its shape
    /// on the log scale and its weights: how a new leader sets aside a predecessor's
    /// bias without forgetting how unsure the side is (politics.rs).
    pub fn recentre(&mut self, mean: f64, force_exponent: f64) {
        let now = self.mean();
        if now <= 0.0 || !now.is_finite() {
            return;
        }
        let theta = self.theta.iter().map(|t| t * mean / now).collect();
        let weight = std::mem::take(&mut self.weight);
        *self = Belief::from_points(theta, weight, force_exponent);
    }

    /// Whether there is anything to revise.
    pub fn is_point(&self) -> bool {
        self.theta.len() < 2
    }

    /// Bayes' rule for one engagement `me` fought in: each θ is reweighed by the chance
    /// it gives of what happened. Call [`Belief::normalise`] after the day's evidence.
    pub fn observe(&mut self, e: &Engagement, me: ActorIx) {
        let attacking = e.attacker == me;
        for (w, tilt) in self.weight.iter_mut().zip(&self.tilt) {
            // θ scales my power: it raises the odds of my attacks, lowers theirs.
            let odds = if attacking {
                e.odds * tilt
            } else {
                e.odds / tilt
            };
            let p = e.scale * odds / (1.0 + odds);
            *w *= if e.fell { p } else { 1.0 - p };
        }
    }

    /// Bayes' rule for a day's own losses against one enemy. On each stretch of front
    /// the side expects losses in proportion to f(θ) = 0.4 + 0.6 × (1 − u), u its share
    /// of the powers with its own scaled by θ, times a noise of mean 1; the noise is
    /// taken as normal with the variance of the model's, so that a stretch's `x` is
    /// N(f, f²σ²) and the day's evidence is summed in `b`.
    pub fn observe_losses(&mut self, b: &Bleeding) {
        if b.own_power <= 0.0 || b.enemy_power <= 0.0 || b.stretches <= 0.0 {
            return;
        }
        let mut log = [0.0; MAX_POINTS];
        let log = &mut log[..self.theta.len()];
        for (l, theta) in log.iter_mut().zip(&self.theta) {
            let own = b.own_power * theta;
            let f = 0.4 + 0.6 * b.enemy_power / (own + b.enemy_power);
            let misfit = (b.sum_sq - 2.0 * f * b.sum + b.stretches * f * f) / (f * f);
            *l = -misfit / (2.0 * LOSS_NOISE_VARIANCE) - b.stretches * f.ln();
        }
        // Scaled by the likeliest point, so that no weight underflows.
        let top = log.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for (w, l) in self.weight.iter_mut().zip(log.iter()) {
            *w *= (l - top).exp();
        }
    }

    /// Bayes' rule for a report that log θ is `said` (0: the truth), as precise as
    /// `precision` (1/variance): each θ is reweighed by the normal likelihood of the
    /// report. A report of no precision changes nothing.
    pub fn hear(&mut self, said: f64, precision: f64) {
        if precision <= 0.0 {
            return;
        }
        for (w, theta) in self.weight.iter_mut().zip(&self.theta) {
            let miss = theta.ln() - said;
            *w *= (-0.5 * precision * miss * miss).exp();
        }
    }

    /// Bayes' rule for a refusal of the side's own offer (screening). The refuser's
    /// answer stood at `margin` with the war it expects; under θ the side reckons the
    /// refuser's war outlook would be its utility of the war point `war_at(log θ)`,
    /// so the margin would move by `binding` × (the outlook now − under θ), and the
    /// refusal had the chance 1 − logistic(λ × margin). A side that reckons itself
    /// strong finds a refusal unlikely: refused, it revises down.
    pub fn refused(
        &mut self,
        lambda: f64,
        why: &crate::policy::Acceptance,
        mut refuser_outlook: impl FnMut(f64) -> f64,
    ) {
        let now = refuser_outlook(self.mean().ln());
        for (w, theta) in self.weight.iter_mut().zip(&self.theta) {
            let margin = why.margin + why.binding * (now - refuser_outlook(theta.ln()));
            *w *= 1.0 - crate::policy::logistic(lambda * margin);
        }
    }

    /// Scales the weights to sum to 1. Evidence that no point can explain (every
    /// weight zero, which finite odds never give) leaves the belief as it was.
    pub fn normalise(&mut self) {
        let total: f64 = self.weight.iter().sum();
        if total > 0.0 && total.is_finite() {
            for w in &mut self.weight {
                *w /= total;
            }
        } else {
            let even = 1.0 / self.weight.len().max(1) as f64;
            self.weight.iter_mut().for_each(|w| *w = even);
        }
    }
}

/// The war point a side projected, at log-factor `at`: read off the two points of its
/// quadrature, straight in log θ between them and beyond, each issue held in [0, 1].
pub fn war_point_at(brackets: &[(f64, Vec<f64>)], at: f64, out: &mut Vec<f64>) {
    out.clear();
    match brackets {
        [(a, low), (b, high)] if (b - a).abs() > 1e-12 => {
            let t = (at - a) / (b - a);
            out.extend(
                low.iter()
                    .zip(high)
                    .map(|(l, h)| (l + t * (h - l)).clamp(0.0, 1.0)),
            );
        }
        [(_, only), ..] => out.extend_from_slice(only),
        [] => {}
    }
}

/// Each belligerent revises its belief from the day's engagements, from what the
/// mediators tell it, and from yesterday's refusals of its offers.
fn learn(
    scenario: Res<ScenarioRes>,
    relations: Res<Relations>,
    battles: Res<Battles>,
    mut refusals: ResMut<Refusals>,
    stances: Query<(&Actor, &Stance)>,
    mut sides: Query<(&Actor, &mut Belief, &Outlook)>,
) {
    let sc = &*scenario.0;
    let refusals = std::mem::take(&mut refusals.0);
    let mut point = Vec::new();
    for (actor, mut belief, outlook) in &mut sides {
        if belief.is_point() {
            continue;
        }
        let me = actor.ix;
        let mut seen = false;
        for r in refusals.iter().filter(|r| r.proposer == me) {
            let Some((_, stance)) = stances.iter().find(|(a, _)| a.ix == r.refuser) else {
                continue;
            };
            if outlook.brackets.len() < 2 {
                continue;
            }
            // The refuser's utility of the war point this side projects at a factor;
            // its costs are the same under any θ the side may hold.
            let outlook_at = |at: f64| {
                let mut p = std::mem::take(&mut point);
                war_point_at(&outlook.brackets, at, &mut p);
                let u = crate::policy::utility(&stance.position, &stance.salience, &p);
                point = p;
                u
            };
            belief.refused(sc.model.lambda, &r.why, outlook_at);
            seen = true;
        }
        if sc.model.mediator_signal > 0.0 {
            for (m, a) in sc.actors.iter().enumerate() {
                if a.role != Role::Mediator || m == me {
                    continue;
                }
                let trust = relations.trust[me][m];
                belief.hear(0.0, sc.model.mediator_signal * trust * trust);
                seen |= trust > 0.0;
            }
        }
        for e in battles
            .today
            .iter()
            .filter(|e| e.attacker == me || e.defender == me)
        {
            belief.observe(e, me);
            seen = true;
        }
        for b in battles.losses.iter().filter(|b| b.side == me) {
            belief.observe_losses(b);
            seen = true;
        }
        if seen {
            belief.normalise();
        }
    }
}

/// The belief gap: the sum over the belligerents of the log of their expected factors.
pub fn gap(beliefs: impl Iterator<Item = f64>) -> f64 {
    beliefs.map(f64::ln).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engagement(attacker: ActorIx, fell: bool) -> Engagement {
        Engagement {
            attacker,
            defender: 1 - attacker,
            odds: 1.0,
            scale: 0.3,
            fell,
        }
    }

    #[test]
    fn bayes_rule_on_a_case_worked_by_hand() {
        // Two factors, 1 and 2, equally likely; force exponent 1; even odds.
        let mut b = Belief::from_points(vec![1.0, 2.0], vec![1.0, 1.0], 1.0);
        // I attack and the region falls. θ = 1: odds 1, p = 0.3 × 1/2 = 0.15.
        // θ = 2: odds 2, p = 0.3 × 2/3 = 0.2. Posterior 0.15 : 0.2 = 3/7 : 4/7.
        b.observe(&engagement(0, true), 0);
        b.normalise();
        assert!((b.weight[0] - 3.0 / 7.0).abs() < 1e-15, "{:?}", b.weight);
        assert!((b.weight[1] - 4.0 / 7.0).abs() < 1e-15);
        assert!((b.mean() - (3.0 / 7.0 + 8.0 / 7.0)).abs() < 1e-15);
        // They attack and I hold. θ = 1: odds 1, hold 1 - 0.15 = 0.85; θ = 2: odds
        // 1/2, p = 0.3 × 1/3 = 0.1, hold 0.9. Posterior 3 × 0.85 : 4 × 0.9.
        b.observe(&engagement(1, false), 0);
        b.normalise();
        let (x, y) = (3.0 * 0.85, 4.0 * 0.9);
        assert!((b.weight[0] - x / (x + y)).abs() < 1e-15, "{:?}", b.weight);
    }

    #[test]
    fn losses_on_a_case_worked_by_hand() {
        // θ of 1 or 3; equal powers. f(1) = 0.4 + 0.6 × 1/2 = 0.7; f(3) = 0.4 + 0.6 ×
        // 1/4 = 0.55. One stretch with x = 0.7: misfit 0 at θ = 1; at θ = 3
        // (0.7 − 0.55)² / 0.55².
        let mut b = Belief::from_points(vec![1.0, 3.0], vec![1.0, 1.0], 1.0);
        let day = Bleeding {
            side: 0,
            enemy: 1,
            own_power: 2.0,
            enemy_power: 2.0,
            stretches: 1.0,
            sum: 0.7,
            sum_sq: 0.49,
        };
        b.observe_losses(&day);
        b.normalise();
        let s2 = 0.8 * 0.8 / 12.0;
        let l1 = -(0.7_f64).ln();
        let l3 = -(0.15_f64 / 0.55).powi(2) / (2.0 * s2) - (0.55_f64).ln();
        let odds = (l3 - l1).exp();
        assert!(
            (b.weight[1] / b.weight[0] - odds).abs() < 1e-12,
            "{:?}",
            b.weight
        );
        // Losses as heavy as a weak side's say it is weaker than it hoped.
        assert!(b.weight[0] > b.weight[1]);
    }

    #[test]
    fn the_quadrature_brackets_the_belief_on_the_log_scale() {
        assert_eq!(Belief::prior(0.2, 0.0, 1.5).quadrature(), None);
        // Two equally likely factors, 1/2 and 2: log mean 0, log sd ln 2.
        let b = Belief::from_points(vec![0.5, 2.0], vec![1.0, 1.0], 1.0);
        let [low, high] = b.quadrature().unwrap();
        assert!(
            (low - 0.5).abs() < 1e-12 && (high - 2.0).abs() < 1e-12,
            "{low} {high}"
        );
    }

    #[test]
    fn a_belief_of_no_width_is_the_constant_optimism() {
        let b = Belief::prior(0.2, 0.0, 1.5);
        assert_eq!(b.theta, [1.2]);
        assert_eq!(b.mean().to_bits(), (1.0_f64 + 0.2).to_bits());
        assert!(b.is_point());
    }

    #[test]
    fn a_recentred_belief_keeps_its_shape_about_the_new_mean() {
        let mut point = Belief::prior(0.3, 0.0, 1.5);
        point.recentre(1.0, 1.5);
        assert_eq!(point.theta, [1.0]);
        assert_eq!(point.tilt, [1.0]);
        let mut wide = Belief::prior(0.3, 0.3, 1.5);
        let (weights, spread) = (wide.weight.clone(), wide.spread());
        wide.recentre(1.0, 1.5);
        assert!((wide.mean() - 1.0).abs() < 1e-12, "{}", wide.mean());
        // The weights are kept (normalised again, to the last bit or so).
        for (w, was) in wide.weight.iter().zip(&weights) {
            assert!((w - was).abs() < 1e-15, "{w} {was}");
        }
        // The factors shrink by 1/1.3 or so, and their spread with them.
        assert!(wide.spread() < spread && wide.spread() > 0.5 * spread);
        assert!((wide.tilt[0] - wide.theta[0].powf(1.5)).abs() < 1e-12);
    }

    #[test]
    fn the_prior_is_centred_on_the_optimism() {
        let b = Belief::prior(0.2, 0.3, 1.5);
        assert_eq!(b.theta.len(), POINTS);
        assert!((b.weight.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let median = b.theta[POINTS / 2];
        assert!((median - 1.2).abs() < 1e-12);
        assert!(b.theta.windows(2).all(|w| w[0] < w[1]));
    }

    /// Days of fighting at the truth: each side attacks and defends `strikes` regions a
    /// day, at even true odds, with outcomes drawn from the true chances.
    fn fight_truly(b: &mut Belief, days: u32, seed: u64) {
        // Outcomes at the truth: even odds, θ = 1.
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let p = 0.3 * 0.5;
        for _ in 0..days {
            for attacker in [0, 1] {
                for _ in 0..4 {
                    b.observe(&engagement(attacker, rng.random_bool(p)), 0);
                }
            }
            b.normalise();
        }
    }

    #[test]
    fn the_posterior_moves_toward_the_true_balance_as_evidence_accumulates() {
        let mut errors = vec![];
        for seed in 0..20 {
            let mut b = Belief::prior(0.4, 0.4, 1.0);
            let before = (b.mean().ln()).abs();
            let mut after = vec![];
            for round in 0..4 {
                fight_truly(&mut b, 50, seed * 10 + round);
                after.push(b.mean().ln().abs());
            }
            assert!(after[3] < before, "seed {seed}: {before} -> {after:?}");
            errors.push(after);
        }
        // On average the error keeps falling as the days add up.
        let mean = |k: usize| errors.iter().map(|e| e[k]).sum::<f64>() / errors.len() as f64;
        assert!(
            mean(0) > mean(1) && mean(1) > mean(3),
            "{:?}",
            (0..4).map(mean).collect::<Vec<_>>()
        );
        assert!(mean(3) < 0.5 * 0.4_f64.ln_1p(), "{}", mean(3));
    }

    #[test]
    fn a_side_that_keeps_losing_revises_down() {
        let mut b = Belief::prior(0.2, 0.3, 1.5);
        let mut last = b.mean();
        for _ in 0..10 {
            // Its attacks fail and its regions fall.
            b.observe(&engagement(0, false), 0);
            b.observe(&engagement(1, true), 0);
            b.normalise();
            let now = b.mean();
            assert!(now < last, "{now} after {last}");
            last = now;
        }
        assert!(last < 1.2);
    }

    #[test]
    fn the_gap_is_zero_at_the_truth_and_positive_under_mutual_optimism() {
        assert_eq!(gap([1.0, 1.0].into_iter()), 0.0);
        assert!(gap([1.2, 1.1].into_iter()) > 0.0);
        assert!(gap([0.9, 0.8].into_iter()) < 0.0);
    }

    /// The tiny war with both sides optimistic and unsure, and no one to broker a
    /// truce, so that the fighting goes on.
    fn unsure_war() -> std::sync::Arc<crate::scenario::Compiled> {
        crate::sim::testkit::tiny_with(|t| {
            t.replace(
                "resolve: 0.5, domestic_pressure: 0.5)",
                "resolve: 0.9, domestic_pressure: 0.5, optimism: 0.4, uncertainty: 0.4)",
            )
            .replace("activism: 0.9", "activism: 0.0")
        })
    }

    #[test]
    fn the_belief_gap_shrinks_as_the_fighting_goes_on() {
        let sc = unsure_war();
        let mut sim = crate::sim::Simulation::new(sc, 0);
        let (mut first, mut later, mut runs) = (0.0, 0.0, 0);
        for seed in 0..40 {
            sim.reset(seed);
            for _ in 0..30 {
                if !sim.step() {
                    break;
                }
            }
            let days = &sim.world().resource::<Record>().days;
            if days.len() < 30 {
                continue;
            }
            first += days[0].belief_gap;
            later += days[29].belief_gap;
            runs += 1;
        }
        assert!(runs >= 20, "only {runs} runs lasted 30 days");
        let (first, later) = (first / runs as f64, later / runs as f64);
        assert!(first > 0.5, "the sides start optimistic: {first}");
        assert!(
            later < 0.7 * first,
            "gap {first} on day 1, {later} on day 30"
        );
    }

    #[test]
    fn a_refused_offer_on_a_case_worked_by_hand() {
        // Factors 1 and e, equally likely (mean (1 + e)/2). The refuser's answer stood at
        // margin 0.5 with binding 0.4; the refuser values the war point the side
        // projects at log θ = x at 0.3 + 0.2x (stronger me, worse war for it).
        let mut b = Belief::from_points(vec![1.0, std::f64::consts::E], vec![1.0, 1.0], 1.0);
        let why = crate::policy::Acceptance {
            margin: 0.5,
            binding: 0.4,
            ..Default::default()
        };
        let outlook = |x: f64| 0.3 - 0.2 * x;
        let now = outlook(b.mean().ln());
        b.refused(2.0, &why, outlook);
        b.normalise();
        // Under θ = 1 (x = 0) the margin is 0.5 + 0.4 (now − 0.3); under θ = e (x = 1),
        // 0.5 + 0.4 (now − 0.1): higher, so a refusal is less likely there.
        let refuse = |m: f64| 1.0 - crate::policy::logistic(2.0 * m);
        let (r1, re) = (
            refuse(0.5 + 0.4 * (now - 0.3)),
            refuse(0.5 + 0.4 * (now - 0.1)),
        );
        assert!(
            (b.weight[0] - r1 / (r1 + re)).abs() < 1e-15,
            "{:?}",
            b.weight
        );
        // Refused, the side thinks itself weaker than it did.
        assert!(b.weight[0] > b.weight[1]);
    }

    #[test]
    fn the_war_point_is_read_between_the_brackets_in_log_theta() {
        let brackets = vec![(-0.5, vec![0.2, 0.9]), (0.5, vec![0.6, 0.1])];
        let mut out = Vec::new();
        war_point_at(&brackets, 0.0, &mut out);
        assert!(
            (out[0] - 0.4).abs() < 1e-12 && (out[1] - 0.5).abs() < 1e-12,
            "{out:?}"
        );
        // Beyond the brackets the line goes on, held in [0, 1].
        war_point_at(&brackets, 1.5, &mut out);
        assert!((out[0] - 1.0).abs() < 1e-12 && out[1] == 0.0, "{out:?}");
    }

    #[test]
    fn a_mediators_report_on_a_case_worked_by_hand() {
        // Factors 1 and e, equally likely; the report says log θ = 0 with precision 2:
        // the weights go as 1 : exp(−0.5 × 2 × 1²) = 1 : 1/e.
        let mut b = Belief::from_points(vec![1.0, std::f64::consts::E], vec![1.0, 1.0], 1.0);
        b.hear(0.0, 2.0);
        b.normalise();
        let e = std::f64::consts::E;
        assert!(
            (b.weight[0] - e / (e + 1.0)).abs() < 1e-15,
            "{:?}",
            b.weight
        );
        // A report of no precision (a mediator nobody trusts) changes nothing.
        let before = b.clone();
        b.hear(0.0, 0.0);
        assert_eq!(b, before);
    }

    /// The unsure war with each side's trust in the broker.
    fn unsure_war_trusting(red: f64, blue: f64) -> std::sync::Arc<crate::scenario::Compiled> {
        crate::sim::testkit::tiny_with(|t| {
            t.replace(
                "resolve: 0.5, domestic_pressure: 0.5)",
                "resolve: 0.9, domestic_pressure: 0.5, optimism: 0.4, uncertainty: 0.4)",
            )
            .replace("activism: 0.9", "activism: 0.0")
            .replace(
                r#"relations: {"broker""#,
                &format!(
                    r#"relations: {{"red": {{"broker": (trust: {red})}}, "blue": {{"broker": (trust: {blue})}}, "broker""#
                ),
            )
        })
    }

    /// Each side's mean |log E θ| on day `day`, over `seeds` runs that last that long.
    fn error_on_day(sc: std::sync::Arc<crate::scenario::Compiled>, day: usize) -> [f64; 2] {
        let mut sim = crate::sim::Simulation::new(sc, 0);
        let (mut err, mut runs) = ([0.0; 2], 0);
        for seed in 0..40 {
            sim.reset(seed);
            for _ in 0..=day {
                sim.step();
            }
            let days = &sim.world().resource::<Record>().days;
            if days.len() <= day {
                continue;
            }
            for (side, e) in err.iter_mut().enumerate() {
                *e += days[day].belief[side].ln().abs();
            }
            runs += 1;
        }
        assert!(runs >= 20, "only {runs} runs lasted {day} days");
        err.map(|e| e / f64::from(runs))
    }

    #[test]
    fn a_trusted_mediator_narrows_the_gap_and_a_distrusted_one_does_not() {
        let alone = error_on_day(unsure_war_trusting(0.0, 0.0), 3);
        let trusted = error_on_day(unsure_war_trusting(0.9, 0.9), 3);
        for side in 0..2 {
            assert!(
                trusted[side] < 0.7 * alone[side],
                "side {side}: off by {} with a trusted mediator, {} without",
                trusted[side],
                alone[side]
            );
        }
        // Kydd: the mediator persuades the side that trusts it, not the other.
        let red_only = error_on_day(unsure_war_trusting(0.9, 0.0), 3);
        assert!(red_only[0] < 0.7 * red_only[1], "{red_only:?}");
        assert!(
            (red_only[1] - alone[1]).abs() < 0.2 * alone[1] + 1e-9,
            "{red_only:?} {alone:?}"
        );
    }

    #[test]
    fn without_uncertainty_nothing_is_learnt_or_kept() {
        let sc = crate::sim::testkit::tiny();
        let mut sim = crate::sim::Simulation::new(sc, 3);
        for _ in 0..10 {
            sim.step();
        }
        let world = sim.world();
        assert!(!world.resource::<Battles>().kept);
        assert!(world.resource::<Battles>().today.is_empty());
        for d in &world.resource::<Record>().days {
            assert_eq!(d.belief_gap, 0.0);
        }
    }
}
