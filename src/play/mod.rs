//! `truce play` and `truce replay`: a player in one seat of a scenario. The game
//! logic (commands, save files, the advisor) lives here, shared by the terminal
//! front-end (`crate::text`) and the window (`crate::gui`).

pub mod advisor;
pub mod command;
pub mod compare;
pub mod game;
pub mod save;
pub mod source;
pub mod story;
pub mod timeline;
pub mod view;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::scenario::bundled;
use game::Game;
use save::Save;
use source::Source;

/// What `truce play` is asked to do.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The scenario file; `None` to choose among the bundled ones.
    pub scenario: Option<PathBuf>,
    /// The actor played; `None` to choose on screen.
    pub seat: Option<String>,
    pub seed: u64,
    /// The terminal instead of the window.
    pub text: bool,
    /// A saved game to resume.
    pub load: Option<PathBuf>,
    /// Where the game is saved after every day.
    pub save: Option<PathBuf>,
    /// Continuations the advisor plays for each option.
    pub advisor_runs: u32,
    /// Window only: a screenshot taken, then quit.
    pub screenshot: Option<Screenshot>,
}

/// A screenshot of the window for documentation and tests.
#[derive(Debug, Clone)]
pub struct Screenshot {
    /// The PNG file.
    pub path: PathBuf,
    /// Frames drawn before it is taken.
    pub frames: u32,
    /// Days autoplayed first, to show a war under way.
    pub days: u32,
    /// Then the timeline is set this many days back (0: the present).
    pub back: u32,
    /// Then the compare view is opened on these two branches.
    pub compare: Option<(String, String)>,
}

/// What `truce replay` is asked to do.
#[derive(Debug, Clone)]
pub struct ReplaySettings {
    /// The save file.
    pub save: PathBuf,
    /// The branch replayed; `None` for the one that was being played.
    pub branch: Option<String>,
    pub json: bool,
}

/// What the player asked for on the command line, before any choice on screen.
pub struct Start {
    pub source: Option<Source>,
    pub seat: Option<String>,
    pub seed: u64,
    /// A saved game to resume instead.
    pub resumed: Option<(Game, Source)>,
}

impl Start {
    pub fn from_settings(args: &Settings) -> Result<Start> {
        if let Some(path) = &args.load {
            return Ok(Start {
                source: None,
                seat: None,
                seed: args.seed,
                resumed: Some(Save::read(path)?.restore(path)?),
            });
        }
        let source = match &args.scenario {
            Some(p) => {
                let s = Source::file(p)?;
                s.compile()?; // report a broken scenario before anything opens
                Some(s)
            }
            None => None,
        };
        Ok(Start {
            source,
            seat: args.seat.clone(),
            seed: args.seed,
            resumed: None,
        })
    }
}

/// Builds a game once the scenario and the seat are known.
pub fn new_game(source: &Source, seat: &str, seed: u64) -> Result<Game> {
    let compiled = source.compile()?;
    let Some(ix) = compiled.actor_ix(seat) else {
        let ids: Vec<&str> = compiled.actors.iter().map(|a| a.id.as_str()).collect();
        return Err(Error::bad_input(format!(
            "unknown actor `{seat}` in {}{}",
            source.name(),
            game::did_you_mean(seat, &ids)
        )));
    };
    Ok(Game::new(Arc::new(compiled), seed, ix))
}

pub fn run(args: &Settings) -> Result<u8> {
    let start = Start::from_settings(args)?;
    if args.text || !cfg!(feature = "gui") {
        if !args.text {
            eprintln!("note: this truce was built without its window; playing in the terminal");
        }
        return run_text(start, args);
    }
    #[cfg(feature = "gui")]
    {
        crate::gui::run(start, args)
    }
    #[cfg(not(feature = "gui"))]
    unreachable!("handled above")
}

fn run_text(start: Start, args: &Settings) -> Result<u8> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut out = std::io::stdout();
    let (game, source) = match start.resumed {
        Some(resumed) => resumed,
        None => {
            let source = match start.source {
                Some(s) => s,
                None => {
                    let options: Vec<(String, String)> = bundled::BUNDLED
                        .iter()
                        .map(|(name, text)| {
                            let label = format!("{}{name}", bundled::PREFIX);
                            let title = crate::scenario::load_str(&label, text.to_string())
                                .map(|l| l.compiled.name)
                                .unwrap_or_default();
                            ((*name).to_string(), title)
                        })
                        .collect();
                    let i = crate::text::choose("a scenario", &options, &mut input, &mut out)?;
                    Source::bundled(bundled::BUNDLED[i].0).expect("bundled")
                }
            };
            let seat = match start.seat {
                Some(s) => s,
                None => {
                    let sc = source.compile()?;
                    let options: Vec<(String, String)> = sc
                        .actors
                        .iter()
                        .map(|a| (a.id.clone(), format!("{} ({})", a.name, view::role(a.role))))
                        .collect();
                    let i = crate::text::choose("your seat", &options, &mut input, &mut out)?;
                    options[i].0.clone()
                }
            };
            (new_game(&source, &seat, start.seed)?, source)
        }
    };
    let mut session = crate::text::Session::new(game, source, &mut out);
    session.continuations = args.advisor_runs;
    session.autosave = args.save.clone();
    let code = session.run(&mut input)?;
    let _ = out.flush();
    Ok(code)
}

/// `truce replay SAVE`: the saved game, replayed to where it stopped.
pub fn replay(args: &ReplaySettings) -> Result<u8> {
    let save = Save::read(&args.save)?;
    let (mut game, _) = save.restore(&args.save)?;
    if let Some(branch) = &args.branch
        && branch != game.branch()
    {
        game.switch(branch)
            .map_err(|e| Error::bad_input(format!("{}: {e}", args.save.display())))?;
    }
    let sc = game.scenario().clone();
    let over = game.is_over();
    let outcome = game.sim_mut().outcome();
    let text = if args.json {
        let mut s = serde_json::to_string_pretty(&outcome)
            .map_err(|e| Error::runtime(format!("cannot write JSON: {e}")))?;
        s.push('\n');
        s
    } else if over {
        crate::report::text(&outcome, &sc)
    } else {
        let mut s = crate::report::chronicle(&outcome, &sc);
        s.push_str(&format!(
            "\n{}\nThe save stops on day {}{} with the war going on: resume it with `truce play --load {}`.\n",
            view::war_line(game.sim()),
            game.day(),
            if game.timeline().branches().len() > 1 {
                format!(" of branch {}", game.branch())
            } else {
                String::new()
            },
            args.save.display()
        ));
        s
    };
    crate::report::write_stdout(&text)?;
    Ok(0)
}
