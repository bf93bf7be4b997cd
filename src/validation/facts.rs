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
    /// A run without a settlement counts its settlement day as this (the last day).
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
            let within = t.held_days + 2;
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
                let brokers = r.brokers.len().max(1) as f64;
                let mut about = |text: String, class: Class, test: Test| {
                    let chance = match &test {
                        Test::Broker(_) => Some(1.0 / brokers),
                        Test::NoLastingDeal(bs) => {
                            Some((1.0 - bs.len() as f64 / brokers).clamp(0.05, 0.95))
                        }
                        Test::Text(_) => Some(1.0 / sc.proposals.len().max(1) as f64),
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
                let found = t.agreements.iter().enumerate().position(|(i, d)| {
                    !taken[i]
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
