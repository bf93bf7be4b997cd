//! Two branches side by side: where each stands (ground held, the dead, the
//! agreements signed) and, from the advisor, where each is headed.

use super::advisor::{self, Forecast, Position};
use super::game::Game;
use super::view;
use crate::scenario::compiled::ActorIx;
use crate::sim::combat::thousands;

/// Continuations per branch for its odds: a few hundred tell two branches apart.
pub const RUNS: u32 = 200;

/// The branches compared unless others are chosen: the one played and the one it
/// was forked from (or else the first other one).
pub fn default_pair(game: &Game) -> (String, String) {
    let me = game.branch().to_string();
    let other = game
        .timeline()
        .current()
        .from
        .as_ref()
        .map(|f| f.branch.clone())
        .or_else(|| {
            game.branches()
                .into_iter()
                .map(|b| b.name)
                .find(|n| *n != me)
        })
        .unwrap_or_else(|| me.clone());
    (me, other)
}

/// "durable agreement within 30 days 4.5% (2.1–8.0%), dead from now 2,918,
/// capitulation 82%".
pub fn odds_line(f: &Forecast) -> String {
    format!(
        "durable agreement within {} days {:.1}% ({:.1}–{:.1}%), dead from now {}, capitulation {:.0}%",
        advisor::HORIZON_DAYS,
        100.0 * f.durable,
        100.0 * f.durable_ci.0,
        100.0 * f.durable_ci.1,
        thousands(f.dead.round() as i64),
        100.0 * f.capitulation
    )
}

/// Where a branch stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub branch: String,
    pub day: u32,
    pub over: bool,
    /// Per belligerent: the actor, its share of the ground, its military dead.
    pub sides: Vec<(ActorIx, f64, f64)>,
    pub civilians: f64,
    pub displaced: f64,
    /// Agreements signed: name, day signed, still in force.
    pub signed: Vec<(String, u32, bool)>,
}

impl Standing {
    /// Branch `name` of `game` where it stands (replayed unless it is the one played).
    pub fn of_branch(game: &Game, name: &str) -> Result<(Standing, Game), String> {
        let mut g = game.branch_game(name)?;
        let s = Standing::of(&mut g, name);
        Ok((s, g))
    }

    pub fn of(game: &mut Game, branch: &str) -> Standing {
        let sc = game.scenario().clone();
        let f = view::war_figures(game.sim());
        Standing {
            branch: branch.to_string(),
            day: game.day(),
            over: game.is_over(),
            sides: sc
                .belligerents()
                .map(|a| (a, f.control[a], f.military_dead[a]))
                .collect(),
            civilians: f.civilians,
            displaced: f.displaced,
            signed: view::signed(game.sim_mut()),
        }
    }

    /// "main, day 12: ground Armenia 80%, Azerbaijan 20%; dead Armenia 1,200, ...;
    /// 1 agreement signed, 0 in force".
    pub fn line(&self, game: &Game) -> String {
        let sc = game.scenario();
        let ground: Vec<String> = self
            .sides
            .iter()
            .map(|&(a, g, _)| format!("{} {:.0}%", sc.actors[a].name, 100.0 * g))
            .collect();
        let dead: Vec<String> = self
            .sides
            .iter()
            .map(|&(a, _, d)| format!("{} {}", sc.actors[a].name, thousands(d.round() as i64)))
            .collect();
        format!(
            "{}, day {}{}: ground held {}; military dead {}; {} signed, {} in force",
            self.branch,
            self.day,
            if self.over { " (war over)" } else { "" },
            ground.join(", "),
            dead.join(", "),
            self.signed.len(),
            self.in_force()
        )
    }

    pub fn in_force(&self) -> usize {
        self.signed.iter().filter(|s| s.2).count()
    }
}

/// The advisor's odds for a branch as it stands (none once the war is over).
pub fn odds(branch_game: &Game, runs: u32) -> Result<Forecast, String> {
    advisor::outlook(&odds_position(branch_game)?, runs)
}

/// The position the odds of a branch are worked out from, or why there are none.
pub fn odds_position(branch_game: &Game) -> Result<Position, String> {
    if branch_game.is_over() {
        return Err("the war is over".into());
    }
    Ok(Position::of(branch_game))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::play::command::Command;
    use crate::sim::testkit::tiny;

    #[test]
    fn two_branches_stand_where_their_own_moves_took_them() {
        let mut g = Game::new(tiny(), 3, 2);
        for _ in 0..6 {
            g.apply(Command::End).unwrap();
        }
        g.fork(1).unwrap();
        for _ in 0..5 {
            let _ = g.apply(Command::Table("truce".into()));
            let _ = g.apply(Command::Incentive("red".into(), 0.3));
            let _ = g.apply(Command::Incentive("blue".into(), 0.3));
            g.apply(Command::End).unwrap();
        }
        let (main, mut main_game) = Standing::of_branch(&g, "main").unwrap();
        let (b1, _) = Standing::of_branch(&g, "b1").unwrap();
        assert_eq!((main.day, b1.day), (6, 6));
        assert_eq!(main.sides.len(), 2);
        assert!(main.signed.is_empty(), "nobody tables on main: {main:?}");
        assert_ne!(main, b1);
        assert!(main.line(&g).starts_with("main, day 6: ground held Red "));
        // The standing of the branch being played is the game's own.
        let mine = Standing::of(&mut g.replayed(g.log()).unwrap(), "b1");
        assert_eq!(mine, b1);
        let f = odds(&main_game, 20).unwrap();
        assert_eq!(f.runs, 20);
        assert_eq!(f, odds(&main_game, 20).unwrap(), "the same odds each time");
        main_game.apply(Command::Auto).unwrap();
        assert!(odds(&main_game, 20).unwrap_err().contains("over"));
    }
}
