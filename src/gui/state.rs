//! The game behind the window: a [`Session`] resource, changed only through [`Act`]
//! messages that the panels, the keyboard, autoplay and the screenshot mode send.

use std::path::PathBuf;

use bevy::prelude::*;

use crate::play::command::Command;
use crate::play::game::Game;
use crate::play::save::Save;
use crate::play::source::Source;
use crate::play::{Start, new_game};

pub fn plugin(app: &mut App) {
    app.add_message::<Act>();
    app.add_systems(Update, apply_acts.in_set(GuiSet::Act));
}

/// Order of the window's logic within a frame.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub enum GuiSet {
    /// Things that send acts: autoplay, hot reload, the screenshot mode.
    Drive,
    /// Acts are carried out.
    Act,
}

/// What the player (or autoplay) does.
#[derive(Message, Debug, Clone)]
pub enum Act {
    /// A game command, exactly as the terminal or a save would give it.
    Cmd(Command),
    /// Start a game of `source` in `seat` (from the start screen).
    Start { source: Source, seat: String },
    /// Save the game to the session's save path.
    Save,
    /// Play on from the morning of this day as a new branch ("Play from here").
    Fork(u32),
    /// Play another branch where it stands.
    Switch(String),
}

#[derive(Resource)]
pub struct Session {
    pub game: Option<Game>,
    pub source: Option<Source>,
    pub seed: u64,
    /// The seat asked for on the command line, if any.
    pub seat: Option<String>,
    /// Feedback for the player, newest last.
    pub notes: Vec<String>,
    /// The scenario file no longer validates: its diagnostics (hot reload).
    pub problem: Option<String>,
    pub save_path: PathBuf,
    /// Each day's odds of signing for every party of what was on the table:
    /// (day, party, probability), for the chart.
    pub odds_log: Vec<(u32, usize, f64)>,
}

impl Session {
    pub fn new(start: Start, save_path: Option<PathBuf>) -> Session {
        let mut s = Session {
            game: None,
            source: start.source,
            seed: start.seed,
            seat: start.seat,
            notes: Vec::new(),
            problem: None,
            save_path: save_path.unwrap_or_else(|| PathBuf::from("truce-save.ron")),
            odds_log: Vec::new(),
        };
        if let Some((game, source)) = start.resumed {
            s.note(format!(
                "Resumed on day {} of branch {}.",
                game.day(),
                game.branch()
            ));
            s.game = Some(game);
            s.source = Some(source);
            s.rebuild_odds();
        } else if let (Some(source), Some(seat)) = (s.source.clone(), s.seat.clone()) {
            s.start(source, &seat);
        }
        s
    }

    pub fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
        if self.notes.len() > 200 {
            self.notes.remove(0);
        }
    }

    pub fn start(&mut self, source: Source, seat: &str) {
        match new_game(&source, seat, self.seed) {
            Ok(game) => {
                self.game = Some(game);
                self.source = Some(source);
                self.seat = Some(seat.to_string());
                self.odds_log.clear();
                self.problem = None;
            }
            Err(e) => self.note(format!("? {e}")),
        }
    }

    /// Carries out a command, noting the answer; logs the odds once proposals are tabled.
    pub fn command(&mut self, cmd: Command) {
        let Some(game) = self.game.as_mut() else {
            return;
        };
        match game.apply(cmd) {
            Ok(note) if !note.is_empty() => self.note(note),
            Ok(_) => {}
            Err(e) => self.note(format!("? {e}")),
        }
        self.log_odds();
    }

    fn log_odds(&mut self) {
        if let Some(game) = self.game.as_mut() {
            log_odds(game, &mut self.odds_log);
        }
    }

    /// The odds chart of the line now played, as if it had been played here: its
    /// commands replayed, the odds logged after each as [`Session::command`] does.
    fn rebuild_odds(&mut self) {
        self.odds_log.clear();
        let Some(game) = self.game.as_ref() else {
            return;
        };
        let Ok(mut again) = game.replayed(&[]) else {
            return;
        };
        for cmd in game.log() {
            if again.apply(cmd.clone()).is_err() {
                break;
            }
            log_odds(&mut again, &mut self.odds_log);
        }
    }

    /// Plays on from the morning of `day` as a new branch, or says why not.
    pub fn fork(&mut self, day: u32) {
        self.timeline(|game| game.fork(day));
    }

    /// Plays branch `name` where it stands, or says why not.
    pub fn switch(&mut self, name: &str) {
        self.timeline(|game| game.switch(name));
    }

    fn timeline(&mut self, change: impl FnOnce(&mut Game) -> Result<String, String>) {
        let Some(game) = self.game.as_mut() else {
            return;
        };
        match change(game) {
            Ok(note) => {
                self.note(note);
                self.rebuild_odds();
            }
            Err(e) => self.note(format!("? {e}")),
        }
    }

    pub fn save(&mut self) {
        let (Some(game), Some(source)) = (&self.game, &self.source) else {
            return;
        };
        let path = self.save_path.clone();
        match Save::of(game, source).write(&path) {
            Ok(()) => self.note(format!("Saved to {}.", path.display())),
            Err(e) => self.note(format!("? {e}")),
        }
    }
}

fn apply_acts(mut acts: MessageReader<Act>, mut session: ResMut<Session>) {
    for act in acts.read() {
        match act.clone() {
            Act::Cmd(cmd) => session.command(cmd),
            Act::Start { source, seat } => session.start(source, &seat),
            Act::Save => session.save(),
            Act::Fork(day) => session.fork(day),
            Act::Switch(name) => session.switch(&name),
        }
    }
}

/// Records, for today, each party's best odds over what it could sign.
fn log_odds(game: &mut Game, odds_log: &mut Vec<(u32, usize, f64)>) {
    let day = game.day();
    let mut cards = game.offers();
    cards.extend(game.on_table());
    odds_log.retain(|&(d, ..)| d != day);
    let mut best: Vec<(usize, f64)> = Vec::new();
    for (party, why) in cards.iter().flat_map(|c| c.odds.iter()) {
        match best.iter_mut().find(|(p, _)| p == party) {
            Some(b) => b.1 = b.1.max(why.probability),
            None => best.push((*party, why.probability)),
        }
    }
    odds_log.extend(best.into_iter().map(|(p, prob)| (day, p, prob)));
}
