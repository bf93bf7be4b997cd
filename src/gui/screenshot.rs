//! `--screenshot FILE --frames N [--days D]`: play D days, draw N frames, save the
//! window to FILE and quit, printing what the map drew (its panel and the boxes of
//! its labels, in points) and how long frames took (while days were played, one a
//! frame, and while only drawing) as one line of JSON. How CI checks that the real
//! window renders, and how the window's speed is measured.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};
use bevy_egui::EguiContexts;

use super::state::{Act, GuiSet, Session};
use crate::play::command::Command;

/// Frames to wait for the file before giving up.
const PATIENCE: u32 = 600;

#[derive(Resource, Debug)]
pub struct Shot {
    pub path: PathBuf,
    pub frames: u32,
    pub days: u32,
    taken: bool,
    waited: u32,
    /// When the last frame began, and the frames' lengths in milliseconds: those that
    /// played a day, and those that only drew.
    last: Option<std::time::Instant>,
    playing: Vec<f64>,
    drawing: Vec<f64>,
}

impl Shot {
    pub fn new(path: PathBuf, frames: u32, days: u32) -> Shot {
        Shot {
            path,
            frames,
            days,
            taken: false,
            waited: 0,
            last: None,
            playing: Vec::new(),
            drawing: Vec::new(),
        }
    }
}

pub fn plugin(app: &mut App) {
    app.add_systems(Update, shoot.in_set(GuiSet::Drive));
}

fn shoot(
    mut shot: ResMut<Shot>,
    session: Res<Session>,
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
    if let Some(game) = session.game.as_ref()
        && game.day() < shot.days
        && !game.is_over()
    {
        // This frame's length is the last one's: it played the day asked for then.
        if game.day() > 0 {
            shot.playing.extend(elapsed);
        }
        acts.write(Act::Cmd(Command::End));
        return;
    }
    if shot.frames > 0 {
        shot.frames -= 1;
        shot.drawing.extend(elapsed);
        return;
    }
    if !shot.taken {
        let _ = std::fs::remove_file(&shot.path);
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(shot.path.clone()));
        shot.taken = true;
        return;
    }
    let written = std::fs::metadata(&shot.path).is_ok_and(|m| m.len() > 0);
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
        "screenshot": shot.path.display().to_string(),
        "playing_a_day": spread(&shot.playing),
        "drawing": spread(settled),
        "pixels_per_point": ctx.pixels_per_point(),
        "map": panel.map(corners),
        "labels": labels.unwrap_or_default().into_iter().map(corners).collect::<Vec<_>>(),
    })
    .to_string()
}
