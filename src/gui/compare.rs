//! The compare view's figures: two branches side by side, each replayed once to
//! where it stands, and the advisor's odds for each, computed on a background
//! thread once per branch (and again only when that branch has moved on).

use std::sync::Arc;

use bevy::prelude::*;

use super::advisor::{Advisor, Pending};
use super::state::{GuiSet, Session};
use crate::play::advisor::{Forecast, outlook};
use crate::play::command::Command;
use crate::play::compare::{RUNS, Standing, default_pair, odds_position};
use crate::scenario::Compiled;

pub fn plugin(app: &mut App) {
    app.init_resource::<Compare>();
    app.add_systems(Update, (refresh, collect).chain().after(GuiSet::Act));
}

#[derive(Resource, Default)]
pub struct Compare {
    pub open: bool,
    /// The two branches compared, by name.
    pub picks: [String; 2],
    sides: Vec<Side>,
}

/// One branch, as figured.
pub struct Side {
    pub name: String,
    /// The scenario and the commands it was figured for: a game restarted from an
    /// edited scenario is figured again.
    scenario: Arc<Compiled>,
    commands: Vec<Command>,
    pub standing: Standing,
    /// One line of text, for the screenshot mode's report.
    pub line: String,
    /// The advisor's odds; `None` while they are worked out.
    pub odds: Option<Result<Forecast, String>>,
    pending: Option<Pending<Forecast>>,
}

impl Compare {
    /// The figures of a picked branch, if made.
    pub fn side(&self, name: &str) -> Option<&Side> {
        self.sides.iter().find(|s| s.name == name)
    }

    /// Both picks figured, odds and all.
    pub fn ready(&self) -> bool {
        self.picks
            .iter()
            .all(|p| self.side(p).is_some_and(|s| s.odds.is_some()))
    }
}

fn refresh(mut compare: ResMut<Compare>, session: Res<Session>, advisor: Res<Advisor>) {
    let Some(game) = session.game.as_ref() else {
        return;
    };
    if !compare.open {
        return;
    }
    let names: Vec<String> = game.branches().into_iter().map(|b| b.name).collect();
    // Picks that name no branch (a new game, a fresh view) fall back to the branch
    // played and the one it was forked from.
    let (me, other) = default_pair(game);
    if !names.contains(&compare.picks[0]) {
        compare.picks[0] = me;
    }
    if !names.contains(&compare.picks[1]) {
        compare.picks[1] = other;
    }
    let runs = if advisor.runs == 0 {
        RUNS
    } else {
        advisor.runs.min(RUNS)
    };
    for pick in compare.picks.clone() {
        let Ok(log) = game.branch_log(&pick) else {
            continue;
        };
        let stale = match compare.side(&pick) {
            None => true,
            // A branch that moved on is figured again once its last odds are in.
            Some(s) => {
                (s.commands != log || !Arc::ptr_eq(&s.scenario, game.scenario()))
                    && s.pending.is_none()
            }
        };
        if !stale {
            continue;
        }
        let side = match Standing::of_branch(game, &pick) {
            Ok((standing, branch_game)) => {
                let line = standing.line(&branch_game);
                let (odds, pending) = match odds_position(&branch_game) {
                    Err(e) => (Some(Err(e)), None),
                    Ok(position) => (None, Some(Pending::spawn(move || outlook(&position, runs)))),
                };
                Side {
                    name: pick.clone(),
                    scenario: game.scenario().clone(),
                    commands: log.to_vec(),
                    standing,
                    line,
                    odds,
                    pending,
                }
            }
            Err(_) => continue,
        };
        compare.sides.retain(|s| s.name != pick);
        compare.sides.push(side);
    }
    // Keep the figures of branches still picked only.
    let picks = compare.picks.clone();
    compare.sides.retain(|s| picks.contains(&s.name));
}

fn collect(mut compare: ResMut<Compare>) {
    for side in compare.sides.iter_mut() {
        if let Some(answer) = side.pending.as_ref().and_then(Pending::poll) {
            side.odds = Some(answer);
            side.pending = None;
        }
    }
}
