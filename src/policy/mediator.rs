//! A mediator's choices: which proposal to table and how to spend leverage on it.
//!
//! Manipulative mediators buy acceptance with incentives and threats, paid from a
//! leverage budget that refills slowly; facilitative ones spend little and improve
//! communication instead (Beardsley et al. 2006).

use super::logistic;
use crate::scenario::schema::{MediationStyle, ModelParams};

/// A party as the mediator sees it when weighing a proposal.
#[derive(Debug, Clone, Copy)]
pub struct PartyView {
    /// The party's acceptance margin before any incentive.
    pub margin: f64,
    /// The mediator's influence over the party, in [0, 1].
    pub influence: f64,
}

/// A mediator's plan for one proposal.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// Leverage spent on each party, in the order given.
    pub spend: Vec<f64>,
    /// Utility each party gains from the incentives.
    pub incentives: Vec<f64>,
    /// Expected chance that every party accepts.
    pub joint: f64,
}

/// Share of its leverage a mediator is willing to put into one round of talks.
fn budget_share(style: MediationStyle) -> f64 {
    match style {
        MediationStyle::Manipulative => 0.6,
        MediationStyle::Facilitative => 0.2,
    }
}

/// Margin added to every party by a facilitator's good offices.
pub fn facilitation(style: MediationStyle, diplomatic: f64) -> f64 {
    match style {
        MediationStyle::Facilitative => 0.03 * diplomatic,
        MediationStyle::Manipulative => 0.01 * diplomatic,
    }
}

/// Spends leverage, a step at a time, on whichever party is least likely to accept
/// and can be moved, until the budget is gone or every party is likely to accept.
pub fn plan(m: &ModelParams, style: MediationStyle, leverage: f64, parties: &[PartyView]) -> Plan {
    let mut out = Plan::default();
    plan_into(m, style, leverage, parties, &mut out);
    out
}

/// [`plan`] into an existing plan, reusing its buffers: a mediator weighs every open
/// proposal every day.
pub fn plan_into(
    m: &ModelParams,
    style: MediationStyle,
    leverage: f64,
    parties: &[PartyView],
    out: &mut Plan,
) {
    const STEP: f64 = 0.02;
    let Plan {
        spend,
        incentives,
        joint,
    } = out;
    spend.clear();
    spend.resize(parties.len(), 0.0);
    incentives.clear();
    incentives.resize(parties.len(), 0.0);
    let mut budget = leverage.max(0.0) * budget_share(style);
    let margin = |i: usize, inc: &[f64]| parties[i].margin + inc[i];
    // logistic(lambda * margin) > 0.9 exactly when lambda * margin > ln 9: no `exp`
    // in the loop.
    let likely = 9.0_f64.ln();
    while budget >= STEP {
        let target = (0..parties.len())
            .filter(|&i| parties[i].influence > 0.0)
            .min_by(|&a, &b| margin(a, incentives).total_cmp(&margin(b, incentives)));
        let Some(i) = target else { break };
        if m.lambda * margin(i, incentives) > likely {
            break;
        }
        spend[i] += STEP;
        incentives[i] += STEP * parties[i].influence * m.incentive_weight;
        budget -= STEP;
    }
    *joint = (0..parties.len())
        .map(|i| logistic(m.lambda * margin(i, incentives)))
        .product();
}

/// How much a mediator values tabling a proposal: the chance it is signed times what
/// a signature is worth to the mediator (its own view of the terms against the war
/// going on, plus the standing a durable deal brings).
pub fn value(joint: f64, utility_gain: f64, protection: f64) -> f64 {
    joint * (0.1 + 0.5 * utility_gain + 0.3 * protection)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leverage_goes_to_the_reluctant_party_and_raises_the_joint_odds() {
        let m = ModelParams::default();
        let parties = [
            PartyView {
                margin: 0.1,
                influence: 0.8,
            },
            PartyView {
                margin: -0.1,
                influence: 0.8,
            },
        ];
        let none = plan(&m, MediationStyle::Manipulative, 0.0, &parties);
        let some = plan(&m, MediationStyle::Manipulative, 0.8, &parties);
        assert!(some.spend[1] > some.spend[0]);
        assert!(some.joint > none.joint);
        assert!(some.spend.iter().sum::<f64>() <= 0.8 * 0.6 + 1e-9);
    }

    #[test]
    fn no_influence_means_no_incentive() {
        let m = ModelParams::default();
        let parties = [PartyView {
            margin: -0.2,
            influence: 0.0,
        }];
        let p = plan(&m, MediationStyle::Manipulative, 1.0, &parties);
        assert_eq!(p.spend, vec![0.0]);
    }

    #[test]
    fn manipulators_spend_more_than_facilitators() {
        let m = ModelParams::default();
        let parties = [PartyView {
            margin: -0.5,
            influence: 0.5,
        }];
        let man = plan(&m, MediationStyle::Manipulative, 1.0, &parties);
        let fac = plan(&m, MediationStyle::Facilitative, 1.0, &parties);
        assert!(man.spend[0] > fac.spend[0]);
    }
}
