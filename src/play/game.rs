//! A game: a simulation with a player in one seat, driven only by [`Command`]s. Every
//! command that changes the game is logged, so a save (scenario, seed, commands)
//! replays to the same state, bit for bit.

use std::sync::Arc;

use bevy::prelude::*;

use super::command::{Command, Draft};
use super::timeline::Timeline;
use crate::policy::Acceptance;
use crate::scenario::Compiled;
use crate::scenario::compiled::{ActorIx, Proposal, ProposalKind, Role};
use crate::sim::Simulation;
use crate::sim::components::{
    Card, Clock, Declaration, Mediator, Relations, Roster, ScenarioRes, Situation, Tabled,
};
use crate::sim::player::{Order, Orders, Reply};
use crate::sim::responses::{Minds, weigh};

/// Where the player is within a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Before the day opens: table, propose, incentives, pressure.
    Orders,
    /// The morning put proposals to the player: accept, reject or counter them.
    Answers,
    /// The war is over.
    Over,
}

/// A proposal as the player sees it: on offer to table, or on the table.
#[derive(Debug, Clone)]
pub struct CardView {
    pub serial: u32,
    pub id: String,
    pub name: String,
    pub kind: ProposalKind,
    /// Who tabled it today (on the table only).
    pub broker: Option<ActorIx>,
    /// Each party's odds of signing, with the reasons, as things stand.
    pub odds: Vec<(ActorIx, Acceptance)>,
    /// The player's answer so far (on the table, when the player is a party).
    pub reply: Option<Reply>,
    pub terms: Arc<Proposal>,
}

pub struct Game {
    sim: Simulation,
    seat: ActorIx,
    stage: Stage,
    log: Vec<Command>,
    /// The player handed the seat to the AI.
    yielded: bool,
    /// Proposals the player composed so far (their ids are numbered).
    drafts: u32,
    /// Where each day began in the log: `starts[d]` commands rebuild the morning of
    /// day `d`. Days the AI played in one go (`auto`) have none.
    starts: Vec<usize>,
    /// The branches of the game; the one being played is this game's log.
    timeline: Timeline,
}

impl Game {
    pub fn new(scenario: Arc<Compiled>, seed: u64, seat: ActorIx) -> Game {
        let mut sim = Simulation::new(scenario, seed);
        sim.set_seat(Some(seat));
        sim.watch_strikes();
        Game {
            sim,
            seat,
            stage: Stage::Orders,
            log: Vec::new(),
            yielded: false,
            drafts: 0,
            starts: vec![0],
            timeline: Timeline::default(),
        }
    }

    /// Starts again from day 0 with the same scenario, seed and seat, and one branch.
    pub fn restart(&mut self) {
        let seed = self.sim.seed();
        self.sim.reset(seed);
        self.sim.set_seat(Some(self.seat));
        self.stage = Stage::Orders;
        self.log.clear();
        self.yielded = false;
        self.drafts = 0;
        self.starts = vec![0];
        self.timeline = Timeline::default();
    }

    /// Plays `commands` in order; the first one refused stops the replay.
    pub fn replay(&mut self, commands: &[Command]) -> Result<(), String> {
        for (i, c) in commands.iter().enumerate() {
            self.apply(c.clone())
                .map_err(|e| format!("command {} ({c:?}) is refused: {e}", i + 1))?;
        }
        Ok(())
    }

    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    pub fn sim_mut(&mut self) -> &mut Simulation {
        &mut self.sim
    }

    pub fn scenario(&self) -> &Arc<Compiled> {
        self.sim.scenario()
    }

    pub fn seat(&self) -> ActorIx {
        self.seat
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    pub fn log(&self) -> &[Command] {
        &self.log
    }

    pub fn day(&self) -> u32 {
        self.sim.clock().day
    }

    pub fn yielded(&self) -> bool {
        self.yielded
    }

    /// How many commands of the log rebuild the morning of `day`; `None` for a day
    /// not reached, or one the AI played in one go.
    pub fn day_start(&self, day: u32) -> Option<usize> {
        self.starts.get(day as usize).copied()
    }

    /// The last day whose morning can be rebuilt: today, unless the AI played on.
    pub fn last_morning(&self) -> u32 {
        self.starts.len() as u32 - 1
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    pub(super) fn timeline_mut(&mut self) -> &mut Timeline {
        &mut self.timeline
    }

    /// The player's orders given so far today.
    pub fn moves(&self) -> &[Order] {
        &self.sim.world().resource::<Orders>().moves
    }

    /// Carries out one command. `Ok` carries a line for the player; `Err` says why
    /// the command was refused (the game is unchanged).
    pub fn apply(&mut self, cmd: Command) -> Result<String, String> {
        if self.stage == Stage::Over {
            return Err("the war is over; nothing more can be done".into());
        }
        let note = match (&cmd, self.stage) {
            (Command::End, Stage::Orders) => {
                self.sim.open_day();
                if self.put_to_player().is_empty() {
                    self.close();
                    String::new()
                } else {
                    self.stage = Stage::Answers;
                    "Proposals are put to you: accept, reject or counter them, then end the day."
                        .into()
                }
            }
            (Command::End, Stage::Answers) => {
                self.close();
                String::new()
            }
            (Command::Auto, _) => {
                self.yielded = true;
                self.sim.orders().auto_reply = true;
                self.sim.close_day();
                self.sim.set_seat(None);
                while self.sim.step() {}
                self.stage = Stage::Over;
                "The AI plays your seat to the end.".into()
            }
            (Command::Accept(p) | Command::Reject(p) | Command::Counter(p), Stage::Answers) => {
                let reply = match cmd {
                    Command::Accept(_) => Reply::Accept,
                    Command::Reject(_) => Reply::Reject,
                    _ => Reply::Counter,
                };
                self.answer(p, reply)?
            }
            (Command::Accept(_) | Command::Reject(_) | Command::Counter(_), _) => {
                return Err(
                    "nothing is put to you yet: proposals are tabled when the morning ends (`end`)"
                        .into(),
                );
            }
            (_, Stage::Answers) => {
                return Err(
                    "the morning is over: answer what is put to you, then `end` the day".into(),
                );
            }
            (Command::Table(p), _) => self.table(p)?,
            (Command::Propose(d), _) => self.propose(d)?,
            (Command::Incentive(who, v), _) => self.incentive(who, *v)?,
            (Command::Pressure(who, v), _) => self.pressure(who, *v)?,
            (Command::Declare(days), _) => self.declare(*days)?,
            (Command::End, Stage::Over) => unreachable!("checked above"),
        };
        let auto = cmd == Command::Auto;
        self.log.push(cmd);
        if !auto && self.day() as usize == self.starts.len() {
            self.starts.push(self.log.len());
        }
        Ok(note)
    }

    fn close(&mut self) {
        self.sim.close_day();
        self.stage = if self.sim.finished() {
            Stage::Over
        } else {
            Stage::Orders
        };
    }

    fn actor(&self, id: &str) -> Result<ActorIx, String> {
        find_actor(self.scenario(), id)
    }

    fn name(&self, a: ActorIx) -> &str {
        &self.scenario().actors[a].name
    }

    /// Cards in the world: (serial, card, tabled?).
    fn cards(&mut self) -> Vec<(Card, Option<Tabled>)> {
        let world = self.sim.world_mut();
        let mut q = world.query::<(&Card, Option<&Tabled>)>();
        let mut cards: Vec<(Card, Option<Tabled>)> = q
            .iter(world)
            .map(|(c, t)| (c.clone(), t.cloned()))
            .collect();
        cards.sort_by_key(|(c, _)| c.serial);
        cards
    }

    /// Proposals the player may table this morning.
    pub fn offers(&mut self) -> Vec<CardView> {
        if self.stage != Stage::Orders {
            return Vec::new();
        }
        let day = self.day();
        let me = self.seat;
        let cards = self.cards();
        cards
            .into_iter()
            .filter(|(c, t)| {
                t.is_none()
                    && c.open
                    && c.cooldown_until <= day
                    && (c.terms.brokers.contains(&me) || c.terms.parties.contains(&me))
            })
            .map(|(c, _)| self.view(&c, None, &[]))
            .collect()
    }

    /// Proposals on the table today (after the morning), with everyone's odds.
    pub fn on_table(&mut self) -> Vec<CardView> {
        let cards = self.cards();
        cards
            .into_iter()
            .filter_map(|(c, t)| t.map(|t| (c, t)))
            .map(|(c, t)| self.view(&c, Some(t.broker), &t.incentives))
            .collect()
    }

    /// What is put to the player today, waiting for an answer.
    pub fn put_to_player(&mut self) -> Vec<CardView> {
        let me = self.seat;
        self.on_table()
            .into_iter()
            .filter(|v| v.terms.parties.contains(&me))
            .collect()
    }

    /// Everyone's odds of signing `terms` if tabled now, before incentives.
    pub fn preview(&self, terms: &Proposal) -> Vec<(ActorIx, Acceptance)> {
        self.odds(terms, &[])
    }

    /// Every party's odds of signing `terms` with `incentives`, as things stand;
    /// none before the first assessment.
    fn odds(&self, terms: &Proposal, incentives: &[f64]) -> Vec<(ActorIx, Acceptance)> {
        let w = self.sim.world();
        if w.resource::<Minds>().stance.is_empty() {
            return Vec::new();
        }
        weigh(
            &w.resource::<ScenarioRes>().0,
            w.resource::<Minds>(),
            w.resource::<Relations>(),
            w.resource::<Situation>(),
            w.resource::<Orders>(),
            terms,
            incentives,
        )
    }

    /// Leverage the player has promised in incentives today.
    pub fn leverage_committed(&self) -> f64 {
        self.moves()
            .iter()
            .map(|m| match m {
                Order::Incentive { leverage, .. } => *leverage,
                _ => 0.0,
            })
            .sum()
    }

    fn view(&self, card: &Card, broker: Option<ActorIx>, incentives: &[f64]) -> CardView {
        let odds = self.odds(&card.terms, incentives);
        CardView {
            serial: card.serial,
            id: card.terms.id.clone(),
            name: card.terms.name.clone(),
            kind: card.terms.kind,
            broker,
            odds,
            reply: self.sim.world().resource::<Orders>().reply(card.serial),
            terms: card.terms.clone(),
        }
    }

    fn table(&mut self, id: &str) -> Result<String, String> {
        let day = self.day();
        let me = self.seat;
        let cards = self.cards();
        let Some((card, _)) = cards.iter().find(|(c, _)| c.terms.id == id) else {
            let ids: Vec<&str> = cards.iter().map(|(c, _)| c.terms.id.as_str()).collect();
            return Err(format!("no proposal `{id}`{}", did_you_mean(id, &ids)));
        };
        let name = &card.terms.name;
        if !card.open {
            return Err(format!(
                "the {name} is not open for talks (events of the scenario open it)"
            ));
        }
        if card.cooldown_until > day {
            return Err(format!(
                "the {name} was refused lately; it can be tabled again on day {}",
                card.cooldown_until
            ));
        }
        if !card.terms.brokers.contains(&me) && !card.terms.parties.contains(&me) {
            let brokers: Vec<&str> = card.terms.brokers.iter().map(|&b| self.name(b)).collect();
            return Err(format!(
                "{} can neither broker nor sign the {name} (its brokers: {})",
                self.name(me),
                brokers.join(", ")
            ));
        }
        let serial = card.serial;
        if self.already_tabled(serial) {
            return Err(format!("the {name} is already on today's agenda"));
        }
        let note = format!("You will convene the parties on the {name} this morning.");
        self.sim.orders().moves.push(Order::Table { serial });
        Ok(note)
    }

    fn already_tabled(&self, serial: u32) -> bool {
        self.moves()
            .iter()
            .any(|m| matches!(m, Order::Table { serial: s } if *s == serial))
    }

    fn propose(&mut self, draft: &Draft) -> Result<String, String> {
        let sc = self.scenario().clone();
        let me = self.seat;
        let Some(origin) = sc.proposal_ix(&draft.from) else {
            let ids: Vec<&str> = sc.proposals.iter().map(|p| p.id.as_str()).collect();
            return Err(format!(
                "no scenario proposal `{}` to start from{}",
                draft.from,
                did_you_mean(&draft.from, &ids)
            ));
        };
        let mut terms = compose(&sc, origin, &draft.changes)?;
        self.drafts += 1;
        terms.id = format!("{}-{}-{}", terms.id, sc.actors[me].id, self.drafts);
        terms.name = format!("{} variant of the {}", sc.actors[me].adjective, terms.name);
        terms.brokers = vec![me];
        let note = format!("You will put the {} this morning.", terms.name);
        self.sim.orders().moves.push(Order::Propose {
            terms: Arc::new(terms),
            origin,
        });
        Ok(note)
    }

    fn incentive(&mut self, who: &str, leverage: f64) -> Result<String, String> {
        let to = self.actor(who)?;
        let me = self.seat;
        let w = self.sim.world();
        let Some(leverage_now) = w
            .get::<Mediator>(w.resource::<Roster>().actors[me])
            .map(|m| m.leverage)
        else {
            return Err(format!(
                "{} {} no leverage to spend: only mediators do; try `pressure`",
                self.name(me),
                self.scenario().actors[me].verb("has", "have")
            ));
        };
        let influence = w.resource::<Relations>().influence[me][to];
        let left = leverage_now - self.leverage_committed();
        if leverage > left + 1e-9 {
            return Err(format!(
                "you have {left:.2} leverage left today; {leverage:.2} is more"
            ));
        }
        let covers = |terms: &Proposal| terms.parties.contains(&to);
        let cards = self.cards();
        let tabled_with_party = self.moves().iter().any(|m| match m {
            Order::Table { serial } => cards
                .iter()
                .any(|(c, _)| c.serial == *serial && covers(&c.terms)),
            Order::Propose { terms, .. } => covers(terms),
            _ => false,
        });
        if !tabled_with_party {
            return Err(format!(
                "incentives go with a proposal: table one that {} is a party to first",
                self.name(to)
            ));
        }
        let note = format!(
            "You offer {} incentives worth {leverage:.2} leverage (your influence over it: {influence:.2}).",
            self.name(to)
        );
        self.sim
            .orders()
            .moves
            .push(Order::Incentive { to, leverage });
        Ok(note)
    }

    fn pressure(&mut self, who: &str, amount: f64) -> Result<String, String> {
        let on = self.actor(who)?;
        let me = self.seat;
        if on == me {
            return Err("you cannot pressure yourself".into());
        }
        if amount > 1.0 {
            return Err(format!("pressure goes from 0 to 1; {amount} is more"));
        }
        let influence = self.sim.world().resource::<Relations>().influence[me][on];
        if influence <= 0.0 {
            return Err(format!(
                "{} {} no influence over {}: pressure would change nothing",
                self.name(me),
                self.scenario().actors[me].verb("has", "have"),
                self.name(on)
            ));
        }
        let note = format!(
            "You press {} (influence {influence:.2}); its trust in you will suffer.",
            self.name(on)
        );
        self.sim.orders().moves.push(Order::Pressure { on, amount });
        Ok(note)
    }

    fn declare(&mut self, days: u32) -> Result<String, String> {
        let me = self.seat;
        let sc = self.scenario().clone();
        if sc.actors[me].role != Role::Belligerent {
            return Err(format!(
                "only a belligerent can declare a ceasefire; {} is not one",
                self.name(me)
            ));
        }
        if !(1..=crate::play::command::MAX_DECLARED_DAYS).contains(&days) {
            return Err(format!(
                "a unilateral ceasefire lasts 1 to {} days",
                crate::play::command::MAX_DECLARED_DAYS
            ));
        }
        let day = self.day();
        let world = self.sim.world_mut();
        let declared = world
            .query::<&Declaration>()
            .iter(world)
            .any(|d| d.by == me && d.live(day));
        if declared {
            return Err("your unilateral ceasefire is still in force".into());
        }
        self.sim.orders().moves.push(Order::Declare { days });
        Ok(format!(
            "You will stop your offensives for {days} day{} from tomorrow; the enemy may answer in kind, or not.",
            if days == 1 { "" } else { "s" }
        ))
    }

    fn answer(&mut self, id: &str, reply: Reply) -> Result<String, String> {
        let mine = self.put_to_player();
        let Some(card) = mine.iter().find(|v| v.id == id) else {
            let ids: Vec<&str> = mine.iter().map(|v| v.id.as_str()).collect();
            return Err(if ids.is_empty() {
                "nothing is put to you today".into()
            } else {
                format!("`{id}` is not put to you today{}", did_you_mean(id, &ids))
            });
        };
        let (serial, name) = (card.serial, card.name.clone());
        if reply == Reply::Counter {
            let cards = self.cards();
            if cards
                .iter()
                .any(|(c, _)| c.serial == serial && c.counter_by.is_some())
            {
                return Err("a counter-proposal cannot be countered: accept or reject it".into());
            }
        }
        self.sim.orders().replies.push((serial, reply));
        Ok(match reply {
            Reply::Accept => format!("You will sign the {name} if every other party does."),
            Reply::Reject => format!("You refuse the {name}."),
            Reply::Counter => format!("You refuse the {name} and counter with terms of your own."),
        })
    }

    /// The end of the game: `None` while it goes on.
    pub fn is_over(&self) -> bool {
        self.stage == Stage::Over
    }

    /// The day's clock.
    pub fn clock(&self) -> &Clock {
        self.sim.clock()
    }
}

/// A scenario proposal with the player's changes.
pub fn compose(
    sc: &Compiled,
    origin: usize,
    changes: &[(String, String)],
) -> Result<Proposal, String> {
    let mut p = sc.proposals[origin].clone();
    let unit = |k: &str, v: &str| -> Result<f64, String> {
        match v.parse::<f64>() {
            Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
            _ => Err(format!("`{k}` takes a number from 0 to 1, not `{v}`")),
        }
    };
    let actor = |v: &str| find_actor(sc, v);
    let actors = |v: &str| -> Result<Vec<ActorIx>, String> {
        if v == "none" {
            return Ok(Vec::new());
        }
        v.split(',').map(actor).collect()
    };
    for (k, v) in changes {
        match k.as_str() {
            "monitoring" => p.provisions.monitoring = unit(k, v)?,
            "specificity" => p.provisions.specificity = unit(k, v)?,
            "peacekeepers" => {
                p.provisions.peacekeepers = if v == "none" { None } else { Some(actor(v)?) }
            }
            "guarantors" => p.provisions.guarantors = actors(v)?,
            "exchange" => {
                p.provisions.prisoner_exchange = match v.as_str() {
                    "yes" | "true" => true,
                    "no" | "false" => false,
                    _ => return Err(format!("`exchange` is yes or no, not `{v}`")),
                }
            }
            "parties" => {
                let parties = actors(v)?;
                if parties.len() < 2 {
                    return Err("a proposal needs at least two parties".into());
                }
                p.parties = parties;
            }
            "kind" => {
                p.kind = match v.as_str() {
                    "humanitarian" => ProposalKind::Humanitarian,
                    "ceasefire" => ProposalKind::Ceasefire,
                    "settlement" => ProposalKind::Settlement,
                    _ => {
                        return Err(format!(
                            "`kind` is humanitarian, ceasefire or settlement, not `{v}`"
                        ));
                    }
                }
            }
            issue => {
                let Some(i) = sc.issues.iter().position(|x| x.id == issue) else {
                    let mut keys: Vec<&str> = sc.issues.iter().map(|x| x.id.as_str()).collect();
                    keys.extend([
                        "parties",
                        "monitoring",
                        "specificity",
                        "peacekeepers",
                        "guarantors",
                        "exchange",
                        "kind",
                    ]);
                    return Err(format!(
                        "unknown term `{issue}`{}",
                        did_you_mean(issue, &keys)
                    ));
                };
                if sc.issues[i].tracks.is_some() {
                    return Err(format!(
                        "`{issue}` follows the map: it is set by who holds the ground, not by terms"
                    ));
                }
                p.terms[i] = Some(unit(issue, v)?);
            }
        }
    }
    Ok(p)
}

/// The actor with id `id`, or why there is none.
fn find_actor(sc: &Compiled, id: &str) -> Result<ActorIx, String> {
    sc.actor_ix(id).ok_or_else(|| {
        let ids: Vec<&str> = sc.actors.iter().map(|a| a.id.as_str()).collect();
        format!("unknown actor `{id}`{}", did_you_mean(id, &ids))
    })
}

/// "; did you mean `x`?" when a known name is close to `word`.
pub fn did_you_mean(word: &str, known: &[&str]) -> String {
    crate::scenario::diagnostic::suggest(word, known.iter().copied())
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_else(|| {
            if known.is_empty() || known.len() > 12 {
                String::new()
            } else {
                format!(" (one of: {})", known.join(", "))
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::testkit::tiny;

    fn play_as(seat: ActorIx, commands: &[Command]) -> Game {
        let mut g = Game::new(tiny(), 3, seat);
        for c in commands {
            let _ = g.apply(c.clone());
        }
        g
    }

    #[test]
    fn a_belligerent_declares_a_ceasefire_and_a_mediator_cannot() {
        let mut g = Game::new(tiny(), 3, 0);
        assert!(g.apply(Command::Declare(5)).is_ok());
        g.apply(Command::End).unwrap();
        g.apply(Command::End).unwrap();
        assert!(
            g.apply(Command::Declare(5))
                .unwrap_err()
                .contains("still in force"),
            "a second declaration while the first holds"
        );
        let o = g.sim_mut().outcome();
        assert_eq!(o.declarations.len(), 1);
        assert_eq!(
            (o.declarations[0].by.as_str(), o.declarations[0].until),
            ("red", 5)
        );
        let mut broker = Game::new(tiny(), 3, 2);
        assert!(
            broker
                .apply(Command::Declare(5))
                .unwrap_err()
                .contains("only a belligerent")
        );
    }

    #[test]
    fn the_player_tables_and_the_parties_answer_the_same_day() {
        let mut g = Game::new(tiny(), 3, 2);
        assert!(g.apply(Command::Table("truce".into())).is_ok());
        assert!(
            g.apply(Command::Table("truce".into()))
                .unwrap_err()
                .contains("already")
        );
        assert!(g.apply(Command::Incentive("red".into(), 0.2)).is_ok());
        assert!(
            g.apply(Command::Incentive("red".into(), 0.9))
                .unwrap_err()
                .contains("leverage left")
        );
        g.apply(Command::End).unwrap();
        assert_eq!(g.day(), 1);
        let chronicle = &g
            .sim()
            .world()
            .resource::<crate::sim::components::Chronicle>()
            .entries;
        assert!(
            chronicle
                .iter()
                .any(|e| e.text == "Broker convenes Red and Blue for talks on the truce")
        );
    }

    #[test]
    fn a_party_in_the_seat_is_asked_and_its_answer_counts() {
        // Red is asked whenever the broker tables the truce; refusing always means
        // nothing is ever signed with Red.
        let mut g = Game::new(tiny(), 1, 0);
        let mut asked = 0;
        while !g.is_over() {
            g.apply(Command::End).unwrap();
            if g.stage() == Stage::Answers {
                asked += 1;
                let put = g.put_to_player();
                assert_eq!(put[0].odds.len(), 2);
                g.apply(Command::Reject(put[0].id.clone())).unwrap();
                g.apply(Command::End).unwrap();
            }
        }
        assert!(asked > 0);
        assert_eq!(g.sim_mut().tally().signed, 0);
    }

    #[test]
    fn the_same_commands_replay_to_the_same_game() {
        let cmds = [
            Command::Table("truce".into()),
            Command::Pressure("blue".into(), 0.5),
            Command::End,
            Command::End,
            Command::Propose(Draft {
                from: "truce".into(),
                changes: vec![
                    ("monitoring".into(), "0.9".into()),
                    ("talks".into(), "0.5".into()),
                ],
            }),
            Command::End,
            Command::Auto,
        ];
        let mut a = play_as(2, &cmds);
        let mut b = Game::new(tiny(), 3, 2);
        b.replay(a.log()).unwrap();
        assert!(a.is_over() && b.is_over());
        assert_eq!(a.sim_mut().outcome(), b.sim_mut().outcome());
    }

    #[test]
    fn composing_checks_every_change() {
        let sc = tiny();
        let p = compose(&sc, 0, &[("peacekeepers".into(), "broker".into())]).unwrap();
        assert_eq!(p.provisions.peacekeepers, Some(2));
        let err = |k: &str, v: &str| compose(&sc, 0, &[(k.into(), v.into())]).unwrap_err();
        assert!(err("land", "0.5").contains("follows the map"));
        assert!(err("talk", "0.5").contains("did you mean `talks`"));
        assert!(err("monitoring", "2").contains("from 0 to 1"));
        assert!(err("parties", "red").contains("two parties"));
        assert!(err("peacekeepers", "brokr").contains("did you mean `broker`"));
    }
}
