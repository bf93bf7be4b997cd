//! `--screenshot FILE --frames N [--days D]`: play D days, draw N frames, save the
//! window to FILE and quit. How CI checks that the real window renders.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};

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
}

impl Shot {
    pub fn new(path: PathBuf, frames: u32, days: u32) -> Shot {
        Shot {
            path,
            frames,
            days,
            taken: false,
            waited: 0,
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
) {
    if let Some(game) = session.game.as_ref()
        && game.day() < shot.days
        && !game.is_over()
    {
        acts.write(Act::Cmd(Command::End));
        return;
    }
    if shot.frames > 0 {
        shot.frames -= 1;
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
