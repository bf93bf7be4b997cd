//! `--screenshot FILE --frames N [--days D] [--back B] [--compare X,Y]`: play D
//! days, set the timeline B days back, open the compare view on branches X and Y
//! (waiting for their odds), draw N frames, save the window to FILE and quit. How
//! CI checks that the real window renders, and how its speed is measured. What it
//! showed is printed: the game's state one line each (branch and day, the timeline,
//! the compare view's figures), then one line of JSON with what the map drew (its
//! panel and the boxes of its labels, in points) and how long frames took (while
//! days were played, one a frame, and while only drawing), so that a test can check
//! them against the game.

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};
use bevy_egui::EguiContexts;

use super::compare::Compare;
use super::state::{Act, GuiSet, Session};
use super::timeline::Scrub;
use crate::error::{Error, Result};
use crate::play::Screenshot as Settings;
use crate::play::command::Command;
use crate::play::game::Game;

/// Frames to wait for the file, or for the compare view's odds, before giving up.
const PATIENCE: u32 = 600;

#[derive(Resource, Debug)]
pub struct Shot {
    settings: Settings,
    /// The timeline was set and the compare view opened.
    staged: bool,
    taken: bool,
    waited: u32,
    /// When the last frame began, and the frames' lengths in milliseconds: those that
    /// played a day, and those that only drew.
    last: Option<std::time::Instant>,
    playing: Vec<f64>,
    drawing: Vec<f64>,
}

impl Shot {
    pub fn new(settings: Settings) -> Shot {
        Shot {
            settings,
            staged: false,
            taken: false,
            waited: 0,
            last: None,
            playing: Vec::new(),
            drawing: Vec::new(),
        }
    }
}

/// Refuses, before the window opens, what the game at hand cannot show.
pub fn check(shot: &Settings, game: &Game) -> Result<()> {
    let reach = game.day().max(shot.days);
    if shot.back > reach {
        return Err(Error::bad_input(format!(
            "--back {}: the game will be on day {reach}; go back {reach} days at most",
            shot.back
        )));
    }
    if let Some((a, b)) = &shot.compare {
        for name in [a, b] {
            game.branch_log(name)
                .map_err(|e| Error::bad_input(format!("--compare: {e}")))?;
        }
    }
    Ok(())
}

pub fn plugin(app: &mut App) {
    app.add_systems(Update, shoot.in_set(GuiSet::Drive));
}

#[allow(clippy::too_many_arguments)]
fn shoot(
    mut shot: ResMut<Shot>,
    session: Res<Session>,
    mut scrub: ResMut<Scrub>,
    mut compare: ResMut<Compare>,
    mut acts: MessageWriter<Act>,
    mut commands: Commands,
    mut exit: MessageWriter<AppExit>,
    mut contexts: EguiContexts,
) {
    let now = std::time::Instant::now();
    let elapsed = shot
        .last
        .replace(now)
        .map(|t| (now - t).as_secs_f64() * 1e3);
    let game = session.game.as_ref();
    if let Some(game) = game
        && game.day() < shot.settings.days
        && !game.is_over()
    {
        // This frame's length is the last one's: it played the day asked for then.
        if game.day() > 0 {
            shot.playing.extend(elapsed);
        }
        acts.write(Act::Cmd(Command::End));
        return;
    }
    if !shot.staged {
        shot.staged = true;
        if let Some(game) = game {
            if shot.settings.back > 0 {
                let Some(day) = game.day().checked_sub(shot.settings.back) else {
                    error!(
                        "cannot go back {} days from day {}",
                        shot.settings.back,
                        game.day()
                    );
                    exit.write(AppExit::error());
                    return;
                };
                scrub.day = Some(day);
            }
            if let Some((a, b)) = &shot.settings.compare {
                compare.open = true;
                compare.picks = [a.clone(), b.clone()];
            }
        }
        return;
    }
    if compare.open && !compare.ready() {
        shot.waited += 1;
        if shot.waited > PATIENCE {
            error!("the compare view had no odds after {PATIENCE} frames");
            exit.write(AppExit::error());
        }
        return;
    }
    if shot.settings.frames > 0 {
        shot.settings.frames -= 1;
        shot.drawing.extend(elapsed);
        return;
    }
    if !shot.taken {
        let path = shot.settings.path.clone();
        let _ = std::fs::remove_file(&path);
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(path));
        shot.taken = true;
        shot.waited = 0;
        state(game, &scrub, &compare);
        return;
    }
    let written = std::fs::metadata(&shot.settings.path).is_ok_and(|m| m.len() > 0);
    if written {
        if let Ok(ctx) = contexts.ctx_mut() {
            println!("{}", report(&shot, ctx));
        }
        // One more frame lets the writer finish; the file is complete once renamed in.
        exit.write(AppExit::Success);
    } else {
        shot.waited += 1;
        if shot.waited > PATIENCE {
            error!("no screenshot after {PATIENCE} frames");
            exit.write(AppExit::error());
        }
    }
}

/// The game's state the screenshot shows, for tests and the curious.
fn state(game: Option<&Game>, scrub: &Scrub, compare: &Compare) {
    let Some(game) = game else {
        return;
    };
    println!("screenshot: branch {}, day {}", game.branch(), game.day());
    if let Some(day) = scrub.past_day() {
        println!("timeline: the morning of day {day}");
    }
    if compare.open {
        for pick in &compare.picks {
            let Some(side) = compare.side(pick) else {
                continue;
            };
            let odds = match &side.odds {
                Some(Ok(f)) => format!(
                    "durable agreement within {} days {:.1}%",
                    crate::play::advisor::HORIZON_DAYS,
                    100.0 * f.durable
                ),
                Some(Err(e)) => e.clone(),
                None => "odds not in".into(),
            };
            println!("compare: {}; {odds}", side.line);
        }
    }
}

/// What the screenshot shows, for tests and scripts: the map panel and its labels'
/// boxes as `[left, top, right, bottom]` in points; and the median and slowest
/// frames in milliseconds, while days were played and while only drawing (the
/// first frames, which set everything up, left out).
fn report(shot: &Shot, ctx: &bevy_egui::egui::Context) -> String {
    let corners = |r: bevy_egui::egui::Rect| [r.min.x, r.min.y, r.max.x, r.max.y];
    let (panel, labels) = super::ui::drawn_labels(ctx).unzip();
    let spread = |ms: &[f64]| {
        let mut ms = ms.to_vec();
        ms.sort_by(f64::total_cmp);
        serde_json::json!({
            "frames": ms.len(),
            "median_ms": ms.get(ms.len() / 2),
            "max_ms": ms.last(),
        })
    };
    // The first drawing frames still build fonts and layouts.
    let settled = &shot.drawing[shot.drawing.len().min(3)..];
    serde_json::json!({
        "screenshot": shot.settings.path.display().to_string(),
        "playing_a_day": spread(&shot.playing),
        "drawing": spread(settled),
        "pixels_per_point": ctx.pixels_per_point(),
        "map": panel.map(corners),
        "labels": labels.unwrap_or_default().into_iter().map(corners).collect::<Vec<_>>(),
    })
    .to_string()
}
