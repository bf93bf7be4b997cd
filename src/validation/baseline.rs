//! The two baselines every war is scored against, the same way as the model.
//!
//! - **Uninformed**: every fact 50%; every figure from a wide prior: counts
//!   log-uniform from 1 to 10 million, the day of the settlement uniform over the
//!   scenario's days.
//! - **Reference class**: the base rates of the *other* wars of the library. A fact
//!   gets the pooled rate of its class in their records (the share of recorded truces
//!   that collapsed, of wars that ended in a settlement, of contested regions that
//!   fell, ...), kept off 0 and 1 as the runs' shares are; which broker or which text
//!   it was, particular to each war, gets the chance of a pick at random among the
//!   scenario's. A figure's forecast is the other wars' recorded values of the same
//!   measure. Where no other war informs a class, the uninformed baseline stands in.

use super::facts::{Class, Fact};
use super::history::{Measure, Record, TruceEnd};
use super::scores::shrunk;

/// What one war's record says about each class of fact, as counts to pool.
#[derive(Debug, Clone, Default)]
pub struct Rates {
    /// Truces on record, and how many ended each way (collapsed, superseded, held).
    truces: u64,
    ended: [u64; 3],
    /// 1 if the war ended in a settlement.
    settled: u64,
    /// Of the settlement: 1 if it followed a capture; 1 if it brought peacekeepers.
    after_capture: u64,
    peacekeepers: u64,
    /// Captures a run could make, and contested regions that never fell.
    captures: u64,
    never_fell: u64,
    /// Texts of the scenario recorded as signed, and as never signed.
    signed_texts: u64,
    never_signed: u64,
    /// Brokers that got a signature, and mediators that never did.
    brokers_signed: u64,
    never_brokered: u64,
    /// Recorded figures by measure.
    figures: Vec<(MeasureClass, f64)>,
}

/// Figures pooled across wars: military dead of any one side pool together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureClass {
    MilitaryDeadSide,
    MilitaryDeadTotal,
    CivilianDead,
    Displaced,
    SettlementDay,
}

impl MeasureClass {
    pub fn of(m: &Measure) -> MeasureClass {
        match m {
            Measure::MilitaryDead(_) => MeasureClass::MilitaryDeadSide,
            Measure::MilitaryDeadTotal => MeasureClass::MilitaryDeadTotal,
            Measure::CivilianDead => MeasureClass::CivilianDead,
            Measure::Displaced => MeasureClass::Displaced,
            Measure::SettlementDay => MeasureClass::SettlementDay,
        }
    }
}

fn ending(e: TruceEnd) -> usize {
    match e {
        TruceEnd::Collapsed => 0,
        TruceEnd::Superseded => 1,
        TruceEnd::Held => 2,
    }
}

impl Rates {
    pub fn of(r: &Record) -> Rates {
        let mut x = Rates {
            truces: r.truces.len() as u64,
            ..Rates::default()
        };
        for t in &r.truces {
            x.ended[ending(t.ended)] += 1;
            x.signed_texts += u64::from(t.proposal.is_some());
        }
        if let Some(s) = &r.settlement {
            x.settled = 1;
            x.after_capture = u64::from(s.after.is_some());
            x.peacekeepers = u64::from(s.peacekeepers.is_some());
            x.signed_texts += u64::from(s.proposal.is_some());
        }
        // Regions that fell (a region taken and retaken counts once).
        let mut fell: Vec<_> = r.captures.iter().map(|c| c.region).collect();
        fell.sort_unstable();
        fell.dedup();
        x.captures = fell.len() as u64;
        x.never_fell = r.never_fell.len() as u64;
        x.never_signed = r.never_signed.len() as u64;
        let mut brokers: Vec<_> = r
            .truces
            .iter()
            .map(|t| t.broker)
            .chain(r.settlement.iter().map(|s| s.broker))
            .collect();
        brokers.sort_unstable();
        brokers.dedup();
        x.brokers_signed = brokers.len() as u64;
        x.never_brokered = r.never_brokered.len() as u64;
        x.figures = r
            .history
            .figures
            .iter()
            .map(|f| (MeasureClass::of(&f.measure), f.real))
            .collect();
        x
    }

    fn sum(others: &[&Rates]) -> (Rates, u64) {
        let mut t = Rates::default();
        for o in others {
            t.truces += o.truces;
            for k in 0..3 {
                t.ended[k] += o.ended[k];
            }
            t.settled += o.settled;
            t.after_capture += o.after_capture;
            t.peacekeepers += o.peacekeepers;
            t.captures += o.captures;
            t.never_fell += o.never_fell;
            t.signed_texts += o.signed_texts;
            t.never_signed += o.never_signed;
            t.brokers_signed += o.brokers_signed;
            t.never_brokered += o.never_brokered;
            t.figures.extend(o.figures.iter().copied());
        }
        (t, others.len() as u64)
    }
}

/// The reference-class forecasts for one war, from the other wars' rates.
pub struct Reference {
    pooled: Rates,
    wars: u64,
}

impl Reference {
    pub fn new(others: &[&Rates]) -> Reference {
        let (pooled, wars) = Rates::sum(others);
        Reference { pooled, wars }
    }

    /// How many other wars inform it.
    pub fn wars(&self) -> u64 {
        self.wars
    }

    /// The reference probability of `fact`.
    pub fn probability(&self, fact: &Fact) -> f64 {
        let p = &self.pooled;
        if self.wars == 0 {
            return 0.5;
        }
        if let Some(c) = fact.chance {
            return c;
        }
        match fact.class {
            Class::TruceSigned => shrunk(p.signed_texts, p.signed_texts + p.never_signed),
            Class::TruceEnded => {
                let k = fact.ending().map_or(0, |h| p.ended[ending(h)]);
                shrunk(k, p.truces)
            }
            Class::Settled => shrunk(p.settled, self.wars),
            Class::NotSettled => shrunk(self.wars - p.settled, self.wars),
            Class::SettlementAfterCapture => shrunk(p.after_capture, p.settled),
            Class::SettlementPeacekeepers => shrunk(p.peacekeepers, p.settled),
            Class::SettlementWithoutPeacekeepers => shrunk(p.settled - p.peacekeepers, p.settled),
            Class::Capture => shrunk(p.captures, p.captures + p.never_fell),
            Class::NeverFell => shrunk(p.never_fell, p.captures + p.never_fell),
            Class::NeverSigned => shrunk(p.never_signed, p.signed_texts + p.never_signed),
            Class::NeverBrokered => shrunk(p.never_brokered, p.never_brokered + p.brokers_signed),
            // Covered by `chance`; a pick between two if not.
            Class::SettlementBroker | Class::NoLastingDeal | Class::SettlementText => 0.5,
        }
    }

    /// The other wars' recorded values of a figure's measure, ascending; empty when
    /// none has one.
    pub fn figure(&self, m: &Measure) -> Vec<f64> {
        let class = MeasureClass::of(m);
        let mut v: Vec<f64> = self
            .pooled
            .figures
            .iter()
            .filter(|(c, _)| *c == class)
            .map(|(_, x)| *x)
            .collect();
        v.sort_by(f64::total_cmp);
        v
    }
}

/// Points of the uninformed prior of a figure, in its natural units, ascending: 1,000
/// evenly spaced quantiles, log-uniform from 1 to 10⁷ for counts, uniform over days
/// 0..=`last_day` for the day of the settlement.
pub fn uninformed_figure(m: &Measure, last_day: u32) -> Vec<f64> {
    const POINTS: usize = 1000;
    (0..POINTS)
        .map(|i| {
            let u = (i as f64 + 0.5) / POINTS as f64;
            match m {
                Measure::SettlementDay => u * f64::from(last_day),
                _ => 10f64.powf(7.0 * u),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_uninformed_prior_spans_its_stated_range() {
        let v = uninformed_figure(&Measure::Displaced, 100);
        assert!(v[0] > 1.0 && v[0] < 1.1);
        assert!(v[999] > 9.0e6 && v[999] < 1.0e7);
        assert!(v.windows(2).all(|w| w[0] < w[1]));
        let d = uninformed_figure(&Measure::SettlementDay, 100);
        assert!((d[500] - 50.05).abs() < 1e-9);
    }
}
