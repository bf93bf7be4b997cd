//! How actors judge terms and decide: the model's decision rules as pure functions.
//!
//! - utility: salience-weighted closeness of terms to an actor's ideal points
//!   (the spatial model of Bueno de Mesquita / KTAB);
//! - acceptance: logistic in the margin of the terms over the actor's BATNA
//!   (Fearon's bargaining range), scaled by how binding the deal is;
//! - protection: how much a deal's provisions (monitoring, peacekeepers, guarantors,
//!   specificity) bind the parties and damp the hazard of collapse (Fortna);
//! - mediation: how a mediator spends leverage on incentives (Beardsley).
//!
//! The simulation calls these; so will the front-ends' explanations and the advisor.

pub mod mediator;

use serde::Serialize;

use crate::scenario::compiled::Provisions;

/// Utility of `point` for an actor with ideal `position` and `salience`, in [0, 1].
/// An actor with no stakes at all is indifferent (0.5).
pub fn utility(position: &[f64], salience: &[f64], point: &[f64]) -> f64 {
    let mut total = 0.0;
    let mut weight = 0.0;
    for ((p, s), x) in position.iter().zip(salience).zip(point) {
        total += s * (1.0 - (x - p).abs());
        weight += s;
    }
    if weight > 0.0 { total / weight } else { 0.5 }
}

pub fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// How strongly the provisions of an agreement bind its parties, in [0, 1).
/// Each provision removes a share of the room to defect; shares combine as
/// independent safeguards.
pub fn protection(p: &Provisions) -> f64 {
    protection_deployed(p, 1.0)
}

/// Two safeguards' protection together, as independent ones combine (a supplement's
/// with the text it builds on).
pub fn combined(a: f64, b: f64) -> f64 {
    // Exactly `a` with nothing added (1 − (1 − a) need not be).
    if b == 0.0 {
        a
    } else {
        1.0 - (1.0 - a) * (1.0 - b)
    }
}

/// The share of a deal's monitors and peacekeepers in place `days` after signing:
/// rising by equal steps over `deployment_days`, all of them at once when that is 0.
pub fn deployed(p: &Provisions, days: u32) -> f64 {
    if p.deployment_days == 0 {
        1.0
    } else {
        (f64::from(days + 1) / f64::from(p.deployment_days)).min(1.0)
    }
}

/// [`protection`] with only the share `deployed` of the monitors and peacekeepers in
/// place: guarantees, precise terms and prisoner exchanges bind from signing.
pub fn protection_deployed(p: &Provisions, deployed: f64) -> f64 {
    let guarantors = p.guarantors.len().min(2) as f64;
    let open = (1.0 - 0.35 * p.monitoring * deployed)
        * (1.0
            - if p.peacekeepers.is_some() {
                0.45 * deployed
            } else {
                0.0
            })
        * (1.0 - 0.15 * guarantors)
        * (1.0 - 0.4 * p.specificity)
        * (1.0 - if p.prisoner_exchange { 0.05 } else { 0.0 });
    1.0 - open
}

/// How much ground an actor gives up by accepting `terms` rather than keeping
/// things as they stand (`now`): only moves away from its positions count.
pub fn concession(position: &[f64], salience: &[f64], now: &[f64], terms: &[f64]) -> f64 {
    let mut total = 0.0;
    let mut weight = 0.0;
    let issues = position.iter().zip(salience).zip(now).zip(terms);
    for (((p, s), now), terms) in issues {
        let given = (terms - p).abs() - (now - p).abs();
        total += s * given.max(0.0);
        weight += s;
    }
    if weight > 0.0 { total / weight } else { 0.0 }
}

/// Everything that goes into a party's decision on a proposal.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Acceptance {
    /// Utility of the terms.
    pub utility: f64,
    /// Expected utility of fighting on.
    pub batna: f64,
    /// How binding the deal is (its protection).
    pub binding: f64,
    /// Audience cost of the concession at home.
    pub audience: f64,
    /// Reluctance to sign with the enemy.
    pub signing_cost: f64,
    /// Incentives and pressure from the broker.
    pub incentives: f64,
    /// Lobbying by third parties (patrons, allies).
    pub lobbying: f64,
    /// Trust in the other parties.
    pub trust: f64,
    /// The margin: binding x (utility - BATNA - audience) - signing cost + the rest.
    pub margin: f64,
    /// Probability of accepting.
    pub probability: f64,
}

/// The inputs of [`accept`], gathered by the simulation.
#[derive(Debug, Clone, Copy)]
pub struct Stakes {
    pub utility: f64,
    pub batna: f64,
    pub binding: f64,
    pub pressure: f64,
    /// How far the terms move the actor away from its positions compared with where
    /// things stand now, salience-weighted, in [0, 1] (see [`concession`]).
    pub concession: f64,
    pub incentives: f64,
    pub lobbying: f64,
    /// Mean trust in the other parties, in [0, 1].
    pub trust: f64,
}

/// The logistic acceptance rule.
///
/// A deal that binds (`binding` near 1) is accepted when its terms beat fighting on;
/// a vague truce binds little, so its terms matter little and accepting it is cheap:
/// which is why such truces are signed easily and broken as easily.
pub fn accept(m: &crate::scenario::schema::ModelParams, s: Stakes) -> Acceptance {
    let audience = m.audience_weight * s.pressure * s.concession;
    let trust = 0.1 * (s.trust - 0.5);
    let margin = s.binding * (s.utility - s.batna - audience) - m.signing_cost
        + s.incentives
        + s.lobbying
        + trust;
    Acceptance {
        utility: s.utility,
        batna: s.batna,
        binding: s.binding,
        audience,
        signing_cost: m.signing_cost,
        incentives: s.incentives,
        lobbying: s.lobbying,
        trust,
        margin,
        probability: logistic(m.lambda * margin),
    }
}

/// Daily probability that an agreement in force collapses.
///
/// `defect_gain` is the largest gain any party expects from fighting on rather than
/// keeping the terms (BATNA − utility); provisions damp the hazard.
pub fn collapse_hazard(
    m: &crate::scenario::schema::ModelParams,
    protection: f64,
    defect_gain: f64,
) -> f64 {
    let pull = (m.defect_weight * defect_gain.clamp(-1.0, 1.0)).exp();
    (m.base_hazard * pull * (1.0 - protection)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::schema::ModelParams;

    #[test]
    fn utility_is_one_at_the_ideal_and_falls_with_distance() {
        let pos = [0.2, 0.8];
        let sal = [1.0, 0.5];
        assert!((utility(&pos, &sal, &pos) - 1.0).abs() < 1e-12);
        let near = utility(&pos, &sal, &[0.3, 0.8]);
        let far = utility(&pos, &sal, &[0.9, 0.8]);
        assert!(1.0 > near && near > far && far >= 0.0);
        // The salient issue weighs more.
        let move_first = utility(&pos, &sal, &[0.4, 0.8]);
        let move_second = utility(&pos, &sal, &[0.2, 0.6]);
        assert!(move_first < move_second);
        assert_eq!(utility(&pos, &[0.0, 0.0], &[0.0, 0.0]), 0.5);
    }

    #[test]
    fn concession_counts_only_ground_given_up() {
        let pos = [0.0, 1.0];
        let sal = [1.0, 1.0];
        let now = [0.2, 0.5];
        assert_eq!(concession(&pos, &sal, &now, &now), 0.0);
        // Moving toward the ideal concedes nothing.
        assert_eq!(concession(&pos, &sal, &now, &[0.0, 0.8]), 0.0);
        // Giving up 0.4 on the first issue: half the weight.
        assert!((concession(&pos, &sal, &now, &[0.6, 0.5]) - 0.2).abs() < 1e-12);
    }

    #[test]
    fn protection_grows_with_each_provision() {
        let none = Provisions::default();
        let monitored = Provisions {
            monitoring: 1.0,
            ..none.clone()
        };
        let full = Provisions {
            monitoring: 1.0,
            peacekeepers: Some(0),
            guarantors: vec![0, 1],
            prisoner_exchange: true,
            specificity: 1.0,
            deployment_days: 0,
        };
        assert_eq!(protection(&none), 0.0);
        assert!(protection(&monitored) > 0.0);
        assert!(protection(&full) > protection(&monitored));
        assert!(protection(&full) < 1.0);
    }

    #[test]
    fn protection_rises_as_peacekeepers_deploy() {
        let p = Provisions {
            monitoring: 0.8,
            peacekeepers: Some(0),
            specificity: 0.5,
            deployment_days: 4,
            ..Provisions::default()
        };
        let on = |days| protection_deployed(&p, deployed(&p, days));
        // A quarter in place on the day of signing, all of them from the fourth day.
        assert_eq!(deployed(&p, 0), 0.25);
        assert_eq!(deployed(&p, 3), 1.0);
        assert_eq!(deployed(&p, 30), 1.0);
        assert!((1..4).all(|d| on(d) > on(d - 1)));
        assert_eq!(on(3).to_bits(), protection(&p).to_bits());
        // The precise terms bind from the first day.
        assert!(
            on(0)
                > protection_deployed(
                    &Provisions {
                        specificity: 0.0,
                        ..p.clone()
                    },
                    0.25
                )
        );
        // Without a deployment period, everything is in place on signing.
        let at_once = Provisions {
            deployment_days: 0,
            ..p.clone()
        };
        assert_eq!(deployed(&at_once, 0), 1.0);
    }

    fn stakes(utility: f64, batna: f64, binding: f64) -> Stakes {
        Stakes {
            utility,
            batna,
            binding,
            pressure: 0.5,
            concession: 0.2,
            incentives: 0.0,
            lobbying: 0.0,
            trust: 0.5,
        }
    }

    #[test]
    fn acceptance_rises_with_utility_and_incentives_and_falls_with_batna() {
        let m = ModelParams::default();
        let base = accept(&m, stakes(0.6, 0.5, 0.8)).probability;
        assert!(accept(&m, stakes(0.8, 0.5, 0.8)).probability > base);
        assert!(accept(&m, stakes(0.6, 0.7, 0.8)).probability < base);
        let mut paid = stakes(0.6, 0.5, 0.8);
        paid.incentives = 0.1;
        assert!(accept(&m, paid).probability > base);
        for u in [0.0, 0.3, 1.0] {
            for b in [0.0, 0.5, 1.0] {
                let p = accept(&m, stakes(u, b, 0.5)).probability;
                assert!((0.0..=1.0).contains(&p));
            }
        }
    }

    #[test]
    fn binding_deals_need_terms_that_beat_fighting_vague_truces_do_not() {
        let m = ModelParams::default();
        // The terms are far worse than fighting on.
        let binding = accept(&m, stakes(0.3, 0.7, 0.9)).probability;
        let vague = accept(&m, stakes(0.3, 0.7, 0.1)).probability;
        assert!(binding < 0.01, "{binding}");
        assert!(vague > 20.0 * binding, "{vague} vs {binding}");
    }

    #[test]
    fn hazard_rises_with_the_gain_from_defecting_and_falls_with_protection() {
        // Constants below the point where the hazard saturates, so that each effect shows.
        let m = ModelParams {
            base_hazard: 0.06,
            defect_weight: 20.0,
            ..ModelParams::default()
        };
        let calm = collapse_hazard(&m, 0.2, -0.1);
        let tempted = collapse_hazard(&m, 0.2, 0.2);
        let guarded = collapse_hazard(&m, 0.8, 0.2);
        assert!(tempted > calm);
        assert!(guarded < tempted);
        assert!((0.0..=1.0).contains(&collapse_hazard(&m, 0.0, 5.0)));
    }
}
