//! Save files: the scenario (where it is and a digest of its text), the seed, the
//! seat and the player's commands. Replaying the commands rebuilds the game exactly,
//! so a save from a scenario that has changed since is refused.
//!
//! Format 2 adds the game's branches (see [`super::timeline`]); a format-1 save,
//! written before branches, reads as one branch, `main`.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::command::Command;
use super::game::Game;
use super::source::Source;
use super::timeline::{Branch, MAIN, Timeline};
use crate::error::{Error, Result};

/// The format written; every format from 1 up to it is read.
pub const FORMAT: u32 = 2;

fn main_branch() -> String {
    MAIN.to_string()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Save {
    pub format: u32,
    /// The scenario's id.
    pub scenario: String,
    /// Where the scenario was read from: a path, or `bundled:NAME`.
    pub file: String,
    /// FNV-1a digest of the scenario's text.
    pub digest: String,
    pub seed: u64,
    /// The actor the player plays.
    pub seat: String,
    /// The day the game had reached (for people reading the file).
    pub day: u32,
    /// The commands of the branch being played.
    pub commands: Vec<Command>,
    /// The branch being played.
    #[serde(default = "main_branch")]
    pub branch: String,
    /// Every branch in the order they were made; the one being played is listed
    /// without its commands (they are `commands`).
    #[serde(default)]
    pub branches: Vec<Branch>,
}

impl Save {
    pub fn of(game: &Game, source: &Source) -> Save {
        let sc = game.scenario();
        Save {
            format: FORMAT,
            scenario: sc.id.clone(),
            file: source.label.clone(),
            digest: source.digest(),
            seed: game.sim().seed(),
            seat: sc.actors[game.seat()].id.clone(),
            day: game.day(),
            commands: game.log().to_vec(),
            branch: game.branch().to_string(),
            branches: game
                .timeline()
                .branches()
                .iter()
                .map(|b| Branch {
                    day: if b.name == game.branch() {
                        game.day()
                    } else {
                        b.day
                    },
                    ..b.clone()
                })
                .collect(),
        }
    }

    /// Writes the save atomically: an interrupted save never spoils an older one.
    pub fn write(&self, path: &Path) -> Result<()> {
        let pretty = ron::ser::PrettyConfig::new().depth_limit(2);
        let mut text = ron::ser::to_string_pretty(self, pretty)
            .map_err(|e| Error::runtime(format!("cannot write the save: {e}")))?;
        text.insert_str(0, "// truce save: replay with `truce replay FILE`, resume with `truce play --load FILE`\n");
        text.push('\n');
        crate::atomic::write(path, text.as_bytes()).map_err(|e| {
            Error::bad_input(format!("cannot save the game to {}: {e}", path.display()))
        })
    }

    pub fn read(path: &Path) -> Result<Save> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::bad_input(format!("cannot read {}: {e}", path.display())))?;
        let save: Save = ron::from_str(&text).map_err(|e| {
            Error::bad_input(format!(
                "{}:{}:{}: not a truce save: {}",
                path.display(),
                e.span.start.line,
                e.span.start.col,
                e.code
            ))
        })?;
        if !(1..=FORMAT).contains(&save.format) {
            return Err(Error::bad_input(format!(
                "{}: save format {} is not supported (this truce reads formats 1 to {FORMAT})",
                path.display(),
                save.format
            )));
        }
        Ok(save)
    }

    /// Rebuilds the saved game, refusing a scenario that changed since.
    pub fn restore(&self, path: &Path) -> Result<(Game, Source)> {
        let source = Source::resolve(&self.file, path.parent())?;
        if source.digest() != self.digest {
            return Err(Error::bad_input(format!(
                "{}: the scenario {} has changed since this game was saved (digest {} then, {} now); \
                 a replay would not be the same game. Restore the scenario as it was, or start a new game",
                path.display(),
                source.label,
                self.digest,
                source.digest()
            )));
        }
        let compiled = source.compile()?;
        if compiled.id != self.scenario {
            return Err(Error::bad_input(format!(
                "{}: saved from scenario `{}`, but {} is `{}`",
                path.display(),
                self.scenario,
                source.label,
                compiled.id
            )));
        }
        let Some(seat) = compiled.actor_ix(&self.seat) else {
            return Err(Error::bad_input(format!(
                "{}: the seat `{}` is not an actor of {}",
                path.display(),
                self.seat,
                self.scenario
            )));
        };
        let bad = |e: String| Error::bad_input(format!("{}: {e}", path.display()));
        let timeline = Timeline::from_saved(self.branches.clone(), &self.branch).map_err(bad)?;
        let mut game = Game::new(Arc::new(compiled), self.seed, seat);
        game.replay(&self.commands).map_err(bad)?;
        game.restore_timeline(timeline).map_err(bad)?;
        Ok((game, source))
    }
}
