//! The advisor: "what happens if I do this?" Hundreds of continuations of the game
//! as it stands, each with its own chances from here on, played with the move and
//! without it (the same chances for both: a paired comparison). After today the AI
//! plays the player's seat, as the player's likely successor would.
//!
//! The present is rebuilt by replaying the player's commands, which is exact and
//! costs less than a run; continuations run on every core (rayon) and the result
//! does not depend on how many.

use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use super::command::Command;
use super::game::Game;
use crate::batch::plan::run_seed;
use crate::batch::stats::wilson;
use crate::scenario::Compiled;
use crate::scenario::compiled::ActorIx;
use crate::sim::Tally;

/// Continuations per option, unless asked otherwise.
pub const CONTINUATIONS: u32 = 500;
/// Horizon of the headline figure: a durable agreement within this many days.
pub const HORIZON_DAYS: u32 = 30;

/// What the continuations of one option came to.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub runs: u32,
    /// Share of continuations with an agreement signed within the horizon that
    /// became durable, and its 95% Wilson interval.
    pub durable: f64,
    pub durable_ci: (f64, f64),
    /// Mean military and civilian dead from today to the end of the war.
    pub dead: f64,
    /// Mean people displaced from today to the end.
    pub displaced: f64,
    /// Share of continuations that ended in a side's capitulation.
    pub capitulation: f64,
    /// Share of continuations in which some government's leader fell (politics at
    /// home); `None` where the scenario declares no government's support.
    pub leader_change: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Advice {
    pub moves: Vec<Command>,
    pub with: Forecast,
    pub without: Forecast,
    pub seconds: f64,
}

/// The game to advise on: enough to rebuild it anywhere.
#[derive(Clone)]
pub struct Position {
    pub scenario: Arc<Compiled>,
    pub seed: u64,
    pub seat: ActorIx,
    /// The commands up to the start of the current stage of the day.
    pub log: Vec<Command>,
    /// The moves given since: weighed by the advisor with any it is asked about.
    pub today: Vec<Command>,
}

impl Position {
    pub fn of(game: &Game) -> Position {
        let log = game.log();
        let split = log
            .iter()
            .rposition(|c| *c == Command::End)
            .map_or(0, |i| i + 1);
        Position {
            scenario: game.scenario().clone(),
            seed: game.sim().seed(),
            seat: game.seat(),
            log: log[..split].to_vec(),
            today: log[split..].to_vec(),
        }
    }

    fn rebuild(&self, game: &mut Game) {
        game.restart();
        game.replay(&self.log).expect("a game's own log replays");
    }
}

/// Weighs the moves given today plus `extra` against none at all, over `runs`
/// continuations each. Refuses moves the game would refuse.
pub fn advise(position: &Position, extra: &[Command], runs: u32) -> Result<Advice, String> {
    let started = Instant::now();
    let moves: Vec<Command> = position.today.iter().chain(extra).cloned().collect();
    let mut forecasts = play_out(position, &[&moves, &[]], runs)?;
    let without = forecasts.pop().expect("two options");
    let with = forecasts.pop().expect("two options");
    Ok(Advice {
        moves,
        with,
        without,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Where the game is headed as it stands, today's moves given: one set of
/// continuations (the compare view's odds for a branch).
pub fn outlook(position: &Position, runs: u32) -> Result<Forecast, String> {
    let mut forecasts = play_out(position, &[&position.today], runs)?;
    Ok(forecasts.pop().expect("one option"))
}

/// Plays `runs` continuations of each option (the moves of the day it stands
/// for), the k-th continuation of every option with the same chances.
fn play_out(
    position: &Position,
    options: &[&[Command]],
    runs: u32,
) -> Result<Vec<Forecast>, String> {
    if options
        .iter()
        .flat_map(|o| o.iter())
        .any(|m| matches!(m, Command::End | Command::Auto))
    {
        return Err("the advisor weighs moves of the day, not `end` or `auto`".into());
    }
    let mut probe = Game::new(position.scenario.clone(), position.seed, position.seat);
    position.rebuild(&mut probe);
    if probe.is_over() {
        return Err("the war is over".into());
    }
    let today = probe.day();
    let now = cost_so_far(&probe.sim_mut().tally());
    for option in options.iter().filter(|o| !o.is_empty()) {
        position.rebuild(&mut probe);
        for m in option.iter() {
            probe.apply(m.clone())?;
        }
    }
    // Different days, different chances; the same for every option and thread count.
    let base = run_seed(
        position.seed,
        (u64::from(today) << 32) ^ position.log.len() as u64,
    );
    let runs = runs.max(1);
    let tallies: Vec<Tally> = (0..options.len() as u32 * runs)
        .into_par_iter()
        .map_init(
            || {
                let mut game = Game::new(position.scenario.clone(), position.seed, position.seat);
                // A continuation is only counted: no news, no daily record.
                game.sim_mut().set_quiet(true);
                game
            },
            |game, k| {
                position.rebuild(game);
                let sim = game.sim_mut();
                sim.reseed(run_seed(base, u64::from(k % runs)));
                sim.orders().auto_reply = true;
                for m in options[(k / runs) as usize].iter() {
                    game.apply(m.clone()).expect("checked on the probe");
                }
                let sim = game.sim_mut();
                sim.close_day();
                sim.set_seat(None);
                while sim.step() {}
                sim.tally()
            },
        )
        .collect();
    let politics = position.scenario.actors.iter().any(|a| a.support.is_some());
    Ok(tallies
        .chunks(runs as usize)
        .map(|t| {
            let mut f = forecast(t, today, now);
            if politics {
                let fell = t.iter().filter(|t| t.leader_changes > 0).count();
                f.leader_change = Some(fell as f64 / t.len().max(1) as f64);
            }
            f
        })
        .collect())
}

fn cost_so_far(t: &Tally) -> (f64, f64) {
    (
        t.military_dead.iter().sum::<f64>() + t.civilian_dead,
        t.displaced,
    )
}

fn forecast(tallies: &[Tally], today: u32, (dead, displaced): (f64, f64)) -> Forecast {
    let n = tallies.len() as u64;
    let durable = tallies
        .iter()
        .filter(|t| {
            t.durable
                .as_ref()
                .is_some_and(|d| d.day <= today + HORIZON_DAYS)
        })
        .count() as u64;
    let capitulation = tallies.iter().filter(|t| t.loser.is_some()).count();
    let mean = |f: &dyn Fn(&Tally) -> f64| tallies.iter().map(f).sum::<f64>() / n.max(1) as f64;
    Forecast {
        runs: n as u32,
        durable: durable as f64 / n.max(1) as f64,
        durable_ci: wilson(durable, n),
        dead: mean(&|t| cost_so_far(t).0 - dead),
        displaced: mean(&|t| cost_so_far(t).1 - displaced),
        capitulation: capitulation as f64 / n.max(1) as f64,
        leader_change: None,
    }
}

impl Position {
    /// What the advisor weighs: today's moves and `extra`, as typed.
    pub fn label(&self, extra: &[Command]) -> String {
        let moves: Vec<String> = self
            .today
            .iter()
            .chain(extra)
            .map(Command::to_string)
            .collect();
        if moves.is_empty() {
            "ending the day as is".to_string()
        } else {
            moves.join(", ")
        }
    }
}

/// The advice in a few lines.
pub fn describe(a: &Advice, moves: &str) -> String {
    let line = |name: &str, f: &Forecast| {
        let home = f.leader_change.map_or_else(String::new, |p| {
            format!(", change of leader {:>5.1}%", 100.0 * p)
        });
        format!(
            "  {name:<24} durable agreement within {HORIZON_DAYS} days {:>5.1}% ({:.1}–{:.1}%), \
             dead from now {:>7}, displaced {:>8}, capitulation {:>5.1}%{home}",
            100.0 * f.durable,
            100.0 * f.durable_ci.0,
            100.0 * f.durable_ci.1,
            crate::sim::combat::thousands(f.dead.round() as i64),
            crate::sim::combat::thousands(f.displaced.round() as i64),
            100.0 * f.capitulation,
        )
    };
    format!(
        "Advisor ({} continuations each, {:.2} s):\n{}\n{}",
        a.with.runs,
        a.seconds,
        line(moves, &a.with),
        line("ending the day without", &a.without)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::testkit::tiny;

    fn position() -> Position {
        let mut g = Game::new(tiny(), 4, 2);
        g.apply(Command::End).unwrap();
        Position::of(&g)
    }

    #[test]
    fn advice_does_not_depend_on_the_number_of_threads() {
        let p = position();
        let moves = [Command::Table("truce".into())];
        let on = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| advise(&p, &moves, 60).unwrap())
        };
        let (mut one, mut two) = (on(1), on(2));
        one.seconds = 0.0;
        two.seconds = 0.0;
        assert_eq!(one, two);
        assert_eq!(one.with.runs, 60);
    }

    #[test]
    fn tabling_a_deal_the_parties_like_raises_the_odds_of_peace() {
        // The broker pays both parties well: the truce is more likely signed today.
        let p = position();
        let moves = [
            Command::Table("truce".into()),
            Command::Incentive("red".into(), 0.25),
            Command::Incentive("blue".into(), 0.25),
        ];
        let a = advise(&p, &moves, 200).unwrap();
        assert!(a.with.durable >= a.without.durable, "{a:?}");
        assert!(advise(&p, &[Command::End], 10).is_err());
        assert!(advise(&p, &[Command::Table("nope".into())], 10).is_err());
    }

    #[test]
    fn the_advice_counts_changes_of_leader_where_governments_have_support() {
        let p = position();
        let quiet = advise(&p, &[], 20).unwrap();
        assert_eq!(quiet.with.leader_change, None);
        assert!(!describe(&quiet, "x").contains("change of leader"));
        // Red's government below the protest level, the leader sure to be in danger.
        let shaky = crate::sim::testkit::tiny_with(|t| {
            t.replacen(
                "resolve: 0.5, domestic_pressure: 0.5)",
                "resolve: 0.5, domestic_pressure: 0.5, support: Some(0.05))",
                1,
            )
            .replace(
                "model: (breach_cost: 10.0),",
                "model: (breach_cost: 10.0, leader_change_rate: 1.0),",
            )
        });
        let mut g = Game::new(shaky, 4, 2);
        g.apply(Command::End).unwrap();
        let a = advise(&Position::of(&g), &[], 20).unwrap();
        let fell = a.with.leader_change.expect("support is declared");
        assert!(fell > 0.5, "{fell}");
        assert!(
            describe(&a, "x").contains("change of leader"),
            "{}",
            describe(&a, "x")
        );
    }
}
