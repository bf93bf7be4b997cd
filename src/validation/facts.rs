//! The record as yes/no facts and figures that a run either matches or not, and the
//! counts of many runs against them.
//!
//! What counts as a match (also in docs/scenarios.md, "History files"):
//! - a truce on record is matched by the first agreement of the run not matched yet
//!   that is its proposal (or, without one, of its kind and broker) and was signed
//!   within the window of its day; its ending is then judged on that agreement;
//! - a capture is a region taken by force (a handover under an agreement is not)
//!   by the side on record within the window of its day;
//! - the settlement is the run's durable agreement, of any kind; facts about it are
//!   judged on the runs that reach one;
//! - a signed counter-proposal counts as its text signed.

use super::history::{Record, TruceEnd};
use super::scores::shrunk;
use crate::scenario::Compiled;
use crate::scenario::compiled::{ActorIx, ProposalIx, ProposalKind, RegionIx};
use crate::sim::{EndReason, Tally};
use crate::validation::history::Measure;

/// The kinds of fact, which the reference-class baseline pools across wars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    TruceSigned,
    TruceEnded,
    Settled,
    NotSettled,
    SettlementAfterCapture,
    SettlementBroker,
    SettlementPeacekeepers,
    SettlementWithoutPeacekeepers,
    NoLastingDeal,
    SettlementText,
    Capture,
    NeverFell,
    NeverSigned,
    NeverBrokered,
}

#[derive(Debug, Clone)]
enum Test {
    Truce {
        index: usize,
    },
    TruceEnded {
        index: usize,
        how: TruceEnd,
        within: u32,
    },
    Settled(bool),
    AfterCapture {
        region: RegionIx,
        by: ActorIx,
    },
    Broker(ActorIx),
    Peacekeepers(Option<ActorIx>),
    NoLastingDeal(Vec<ActorIx>),
    Text(ProposalIx),
    Capture {
        region: RegionIx,
        by: ActorIx,
        day: u32,
        window: u32,
    },
    NeverFell(RegionIx),
    NeverSigned(ProposalIx),
    NeverBrokered(ActorIx),
}

/// One fact of the record, as a run can match it.
#[derive(Debug, Clone)]
pub struct Fact {
    pub text: String,
    pub class: Class,
    /// Judged only on the runs that reach a settlement, or that signed the truce.
    pub conditional: bool,
    /// For facts about which of the scenario's brokers or texts it was, the chance of
    /// a pick at random among them: the reference-class baseline uses it, since which
    /// broker or text is particular to each war.
    pub chance: Option<f64>,
    test: Test,
}

/// A truce on record, as runs are matched against it.
#[derive(Debug, Clone)]
struct TruceMatch {
    kind: ProposalKind,
    broker: ActorIx,
    proposal: Option<ProposalIx>,
    day: u32,
    window: u32,
}

/// The facts and figures of a record, ready to judge runs.
#[derive(Debug, Clone)]
pub struct Facts {
    pub facts: Vec<Fact>,
    truces: Vec<TruceMatch>,
    pub figures: Vec<Figure>,
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub name: String,
    pub measure: Measure,
    side: Option<ActorIx>,
    pub real: f64,
    /// A run without a settlement counts its settlement day as this: `max_turns`, the
    /// day after the last one played.
    censor: f64,
}

/// Runs' agreement with each fact, and the runs' value of each figure.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub runs: u64,
    pub failed: u64,
    /// Per fact: runs that agree, and runs it was judged on.
    pub agree: Vec<u64>,
    pub of: Vec<u64>,
    /// Per figure: the runs' values, in run order.
    pub values: Vec<Vec<f64>>,
}

fn kind_name(k: ProposalKind) -> &'static str {
    match k {
        ProposalKind::Humanitarian => "humanitarian truce",
        ProposalKind::Ceasefire => "ceasefire",
        ProposalKind::Settlement => "settlement",
    }
}

impl Fact {
    /// For a fact about how a truce ended: which ending.
    pub fn ending(&self) -> Option<TruceEnd> {
        match self.test {
            Test::TruceEnded { how, .. } => Some(how),
            _ => None,
        }
    }
}

impl Facts {
    pub fn new(r: &Record, sc: &Compiled) -> Facts {
        let actor = |a: ActorIx| sc.actors[a].id.as_str();
        let region = |x: RegionIx| sc.regions[x].id.as_str();
        let proposal = |p: ProposalIx| sc.proposals[p].id.as_str();
        let mut facts = vec![];
        let mut truces = vec![];
        for (index, t) in r.truces.iter().enumerate() {
            let what = match t.proposal {
                Some(p) => format!("`{}`", proposal(p)),
                None => format!("a {} by {}", kind_name(t.kind), actor(t.broker)),
            };
            facts.push(Fact {
                text: format!("{what} is signed on day {}±{}", t.day, t.window),
                class: Class::TruceSigned,
                conditional: false,
                chance: None,
                test: Test::Truce { index },
            });
            // Days are the model's grain: "within hours" is "by the next day or the one after".
            let within = t.held_days.saturating_add(2);
            let ending = match t.ended {
                TruceEnd::Collapsed => format!("it collapses within {within} days"),
                TruceEnd::Superseded => "a later text supersedes it".to_string(),
                TruceEnd::Held => "it holds to the end".to_string(),
            };
            facts.push(Fact {
                text: format!("  then {ending}"),
                class: Class::TruceEnded,
                conditional: true,
                chance: None,
                test: Test::TruceEnded {
                    index,
                    how: t.ended,
                    within,
                },
            });
            truces.push(TruceMatch {
                kind: t.kind,
                broker: t.broker,
                proposal: t.proposal,
                day: t.day,
                window: t.window,
            });
        }
        match &r.settlement {
            Some(s) => {
                facts.push(Fact {
                    text: "the war ends in a durable settlement".into(),
                    class: Class::Settled,
                    conditional: false,
                    chance: None,
                    test: Test::Settled(true),
                });
                // A pick at random among the scenario's brokers (or texts), kept off 0
                // and 1 as the runs' shares are: (hits + 0.5) / (candidates + 1).
                let brokers = r.brokers.len() as u64;
                let texts = sc.proposals.len() as u64;
                let mut about = |text: String, class: Class, test: Test| {
                    let chance = match &test {
                        Test::Broker(_) => Some(shrunk(1, brokers)),
                        Test::NoLastingDeal(bs) => {
                            Some(shrunk(brokers.saturating_sub(bs.len() as u64), brokers))
                        }
                        Test::Text(_) => Some(shrunk(1, texts)),
                        _ => None,
                    };
                    facts.push(Fact {
                        text: format!("  {text}"),
                        class,
                        conditional: true,
                        chance,
                        test,
                    });
                };
                if let Some((reg, by)) = s.after {
                    about(
                        format!("it follows the fall of {} to {}", region(reg), actor(by)),
                        Class::SettlementAfterCapture,
                        Test::AfterCapture { region: reg, by },
                    );
                }
                about(
                    format!("it is brokered by {}", actor(s.broker)),
                    Class::SettlementBroker,
                    Test::Broker(s.broker),
                );
                match s.peacekeepers {
                    Some(pk) => about(
                        format!("it brings {} peacekeepers", actor(pk)),
                        Class::SettlementPeacekeepers,
                        Test::Peacekeepers(Some(pk)),
                    ),
                    None => about(
                        "it brings no peacekeepers".into(),
                        Class::SettlementWithoutPeacekeepers,
                        Test::Peacekeepers(None),
                    ),
                }
                if !s.failed_brokers.is_empty() {
                    let names: Vec<&str> = s.failed_brokers.iter().map(|&b| actor(b)).collect();
                    about(
                        format!("no lasting deal brokered by {}", names.join(" or ")),
                        Class::NoLastingDeal,
                        Test::NoLastingDeal(s.failed_brokers.clone()),
                    );
                }
                if let Some(p) = s.proposal {
                    about(
                        format!("it is `{}`", proposal(p)),
                        Class::SettlementText,
                        Test::Text(p),
                    );
                }
            }
            None => facts.push(Fact {
                text: format!("no durable settlement by day {}", sc.max_turns),
                class: Class::NotSettled,
                conditional: false,
                chance: None,
                test: Test::Settled(false),
            }),
        }
        for c in &r.captures {
            facts.push(Fact {
                text: format!(
                    "{} falls to {} on day {}±{}",
                    region(c.region),
                    actor(c.by),
                    c.day,
                    c.window
                ),
                class: Class::Capture,
                conditional: false,
                chance: None,
                test: Test::Capture {
                    region: c.region,
                    by: c.by,
                    day: c.day,
                    window: c.window,
                },
            });
        }
        for &x in &r.never_fell {
            facts.push(Fact {
                text: format!("{} never falls", region(x)),
                class: Class::NeverFell,
                conditional: false,
                chance: None,
                test: Test::NeverFell(x),
            });
        }
        for &p in &r.never_signed {
            facts.push(Fact {
                text: format!("`{}` is never signed", proposal(p)),
                class: Class::NeverSigned,
                conditional: false,
                chance: None,
                test: Test::NeverSigned(p),
            });
        }
        for &b in &r.never_brokered {
            facts.push(Fact {
                text: format!("{} never gets a signature", actor(b)),
                class: Class::NeverBrokered,
                conditional: false,
                chance: None,
                test: Test::NeverBrokered(b),
            });
        }
        let figures = r
            .history
            .figures
            .iter()
            .map(|f| Figure {
                name: f.name.clone(),
                measure: f.measure.clone(),
                side: match &f.measure {
                    Measure::MilitaryDead(s) => sc.actor_ix(s),
                    _ => None,
                },
                real: f.real,
                censor: f64::from(sc.max_turns),
            })
            .collect();
        Facts {
            facts,
            truces,
            figures,
        }
    }

    pub fn counts(&self) -> Counts {
        Counts {
            runs: 0,
            failed: 0,
            agree: vec![0; self.facts.len()],
            of: vec![0; self.facts.len()],
            values: vec![vec![]; self.figures.len()],
        }
    }

    /// Which agreement of the run (by its index in `t.agreements`) each truce on record
    /// is matched with: in record order, each to the first not yet taken.
    fn match_truces(&self, t: &Tally) -> Vec<Option<usize>> {
        let mut taken = vec![false; t.agreements.len()];
        self.truces
            .iter()
            .map(|m| {
                // The settlement is not among the truces on record.
                let found = t.agreements.iter().enumerate().position(|(i, d)| {
                    !taken[i]
                        && !d.durable
                        && match m.proposal {
                            Some(p) => d.origin == p,
                            None => d.kind == m.kind && d.broker == m.broker,
                        }
                        && d.signed_day.abs_diff(m.day) <= m.window
                });
                if let Some(i) = found {
                    taken[i] = true;
                }
                found
            })
            .collect()
    }

    /// Adds one run's tally to `c`.
    pub fn add(&self, c: &mut Counts, t: &Tally) {
        c.runs += 1;
        let truces = self.match_truces(t);
        let settled = match t.end {
            Some(EndReason::DurableAgreement) => t.durable.as_ref(),
            _ => None,
        };
        for (k, fact) in self.facts.iter().enumerate() {
            let verdict = match &fact.test {
                Test::Truce { index } => Some(truces[*index].is_some()),
                Test::TruceEnded { index, how, within } => truces[*index].map(|i| {
                    let d = &t.agreements[i];
                    match how {
                        TruceEnd::Collapsed => {
                            !d.superseded
                                && d.ended_day.is_some_and(|e| e - d.signed_day <= *within)
                        }
                        TruceEnd::Superseded => d.superseded,
                        TruceEnd::Held => d.ended_day.is_none(),
                    }
                }),
                Test::Settled(yes) => Some(settled.is_some() == *yes),
                Test::AfterCapture { region, by } => settled.map(|d| {
                    t.captures
                        .iter()
                        .any(|x| x.region == *region && x.by == *by && x.day <= d.day)
                }),
                Test::Broker(b) => settled.map(|d| d.broker == *b),
                Test::Peacekeepers(pk) => settled.map(|d| d.peacekeepers == *pk),
                Test::NoLastingDeal(bs) => settled.map(|d| !bs.contains(&d.broker)),
                Test::Text(p) => settled.map(|d| d.origin == *p),
                Test::Capture {
                    region,
                    by,
                    day,
                    window,
                } => Some(t.captures.iter().any(|x| {
                    x.region == *region && x.by == *by && x.day.abs_diff(*day) <= *window
                })),
                Test::NeverFell(region) => Some(!t.captures.iter().any(|x| x.region == *region)),
                Test::NeverSigned(p) => Some(!t.agreements.iter().any(|d| d.origin == *p)),
                Test::NeverBrokered(b) => Some(!t.agreements.iter().any(|d| d.broker == *b)),
            };
            if let Some(yes) = verdict {
                c.of[k] += 1;
                c.agree[k] += u64::from(yes);
            }
        }
        for (k, f) in self.figures.iter().enumerate() {
            let value = match &f.measure {
                Measure::MilitaryDead(_) => f.side.map(|a| t.military_dead[a]),
                Measure::MilitaryDeadTotal => Some(t.military_dead.iter().sum()),
                Measure::CivilianDead => Some(t.civilian_dead),
                Measure::Displaced => Some(t.displaced),
                // A run that never settles is censored at the last day.
                Measure::SettlementDay => Some(settled.map_or(f.censor, |d| f64::from(d.day))),
            };
            if let Some(v) = value {
                c.values[k].push(v.max(0.0));
            }
        }
    }
}

impl Counts {
    /// Adds another slice of runs (for merging counts kept apart).
    pub fn merge(&mut self, o: &Counts) {
        self.runs += o.runs;
        self.failed += o.failed;
        for (a, b) in self.agree.iter_mut().zip(&o.agree) {
            *a += b;
        }
        for (a, b) in self.of.iter_mut().zip(&o.of) {
            *a += b;
        }
        for (a, b) in self.values.iter_mut().zip(&o.values) {
            a.extend(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::components::Capture;
    use crate::sim::tally::{Deal, DurableDeal, Tally};
    use crate::sim::testkit::tiny;

    /// The tiny war's record: a truce on day 2 that collapsed, a second on day 10, Two
    /// taken by Blue on day 5, and a settlement by the broker on day 20.
    fn facts() -> Facts {
        let sc = tiny();
        let text = r#"History(
            scenario: "tiny",
            window: 2,
            truces: [
                TruceRecord(name: "a", kind: Ceasefire, broker: "broker", day: 2, held_days: 0,
                            proposal: Some("truce")),
                TruceRecord(name: "b", kind: Ceasefire, broker: "broker", day: 10, held_days: 0,
                            proposal: Some("truce")),
            ],
            captures: [CaptureRecord(region: "r2", by: "blue", day: 5)],
            settlement: Some(SettlementRecord(broker: "broker", day: 20)),
            never_fell: ["b1"],
            figures: [FigureRecord(name: "day", measure: SettlementDay, real: 20)],
        )"#;
        let record = crate::validation::history::parse("t.history.ron", text.into())
            .unwrap()
            .check(&sc)
            .unwrap();
        Facts::new(&record, &sc)
    }

    fn deal(signed_day: u32, ended_day: Option<u32>, durable: bool) -> Deal {
        Deal {
            origin: 0,
            kind: ProposalKind::Ceasefire,
            broker: 2,
            signed_day,
            ended_day,
            superseded: false,
            durable,
        }
    }

    fn run(agreements: Vec<Deal>, captures: Vec<Capture>, settled_on: Option<u32>) -> Tally {
        Tally {
            end: Some(if settled_on.is_some() {
                EndReason::DurableAgreement
            } else {
                EndReason::TimeLimit
            }),
            end_day: 59,
            loser: None,
            signed: agreements.len() as u32,
            collapsed: 0,
            first_signed_day: None,
            durable: settled_on.map(|day| DurableDeal {
                day,
                origin: 0,
                counter_by: None,
                broker: 2,
                peacekeepers: None,
                monitoring: 0.5,
                guarantors: vec![],
                belief_gap: 0.0,
            }),
            military_dead: vec![100.0, 200.0, 0.0],
            civilian_dead: 10.0,
            displaced: 50.0,
            control: vec![0.0; 3],
            agreements,
            holders: vec![(0, None); 4],
            captures,
            leader_changes: 0,
            repudiations: 0,
            handovers: 0,
            breaches: 0,
            declarations: 0,
        }
    }

    fn verdicts(f: &Facts, t: &Tally) -> Vec<(u64, u64)> {
        let mut c = f.counts();
        f.add(&mut c, t);
        c.agree.into_iter().zip(c.of).collect()
    }

    #[test]
    fn truces_are_matched_in_order_each_to_its_own_agreement() {
        let f = facts();
        let texts: Vec<&str> = f.facts.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(texts[0], "`truce` is signed on day 2±2");
        assert_eq!(texts[2], "`truce` is signed on day 10±2");
        // One signing on day 3, broken the next day: it matches the first record only.
        let t = run(vec![deal(3, Some(4), false)], vec![], None);
        let v = verdicts(&f, &t);
        assert_eq!(v[0], (1, 1), "first truce signed on time");
        assert_eq!(v[1], (1, 1), "and collapsed within 2 days");
        assert_eq!(
            v[2],
            (0, 1),
            "the second record finds no agreement of its own"
        );
        assert_eq!(v[3], (0, 0), "so its ending is not judged");
        // Signed on day 9 and on day 11: the first is too late for day 2, so it is
        // the second record's; the one of day 11 is left over.
        let t = run(
            vec![deal(9, None, false), deal(11, None, false)],
            vec![],
            None,
        );
        let v = verdicts(&f, &t);
        assert_eq!(v[0], (0, 1));
        assert_eq!(v[2], (1, 1));
        assert_eq!(v[3], (0, 1), "it held, and the record says it collapsed");
    }

    #[test]
    fn captures_count_by_their_day_and_their_side() {
        let f = facts();
        let k = f
            .facts
            .iter()
            .position(|x| x.class == Class::Capture)
            .unwrap();
        let never = f
            .facts
            .iter()
            .position(|x| x.class == Class::NeverFell)
            .unwrap();
        let taken = |day| Capture {
            day,
            region: 1,
            by: 1,
        };
        assert_eq!(verdicts(&f, &run(vec![], vec![taken(7)], None))[k], (1, 1));
        assert_eq!(verdicts(&f, &run(vec![], vec![taken(8)], None))[k], (0, 1));
        // Taken by Red (a retaking) is not Blue's capture.
        let by_red = Capture {
            day: 5,
            region: 1,
            by: 0,
        };
        assert_eq!(verdicts(&f, &run(vec![], vec![by_red], None))[k], (0, 1));
        // B1 never falls unless a capture of it is in the log.
        assert_eq!(verdicts(&f, &run(vec![], vec![], None))[never], (1, 1));
        let b1 = Capture {
            day: 30,
            region: 2,
            by: 0,
        };
        assert_eq!(verdicts(&f, &run(vec![], vec![b1], None))[never], (0, 1));
    }

    #[test]
    fn facts_about_the_settlement_are_judged_on_the_runs_that_reach_one() {
        let f = facts();
        let settled = f
            .facts
            .iter()
            .position(|x| x.class == Class::Settled)
            .unwrap();
        let broker = f
            .facts
            .iter()
            .position(|x| x.class == Class::SettlementBroker)
            .unwrap();
        let none = run(vec![], vec![], None);
        assert_eq!(verdicts(&f, &none)[settled], (0, 1));
        assert_eq!(verdicts(&f, &none)[broker], (0, 0));
        let yes = run(vec![deal(20, None, true)], vec![], Some(20));
        assert_eq!(verdicts(&f, &yes)[settled], (1, 1));
        assert_eq!(verdicts(&f, &yes)[broker], (1, 1));
        // A run that never settles counts its settlement day as the last day.
        let mut c = f.counts();
        f.add(&mut c, &none);
        f.add(&mut c, &yes);
        assert_eq!(c.values[0], vec![60.0, 20.0]);
    }
}
