//! Autoplay: the days go by on their own at a chosen pace, and stop when a proposal
//! is put to the player. At most a few days per frame, so a frame never waits long.

use bevy::prelude::*;

use super::state::{Act, GuiSet, Session};
use crate::play::command::Command;
use crate::play::game::Stage;

pub fn plugin(app: &mut App) {
    app.init_resource::<Autoplay>();
    app.add_systems(Update, tick.in_set(GuiSet::Drive));
}

/// Days played per frame at most, whatever the pace.
const MAX_DAYS_PER_FRAME: u32 = 4;

#[derive(Resource, Debug)]
pub struct Autoplay {
    pub on: bool,
    pub days_per_second: f32,
    owed: f32,
}

impl Default for Autoplay {
    fn default() -> Autoplay {
        Autoplay {
            on: false,
            days_per_second: 2.0,
            owed: 0.0,
        }
    }
}

fn tick(
    time: Res<Time>,
    mut auto: ResMut<Autoplay>,
    mut session: ResMut<Session>,
    mut acts: MessageWriter<Act>,
) {
    if !auto.on {
        auto.owed = 0.0;
        return;
    }
    let Some(game) = session.game.as_ref() else {
        return;
    };
    match game.stage() {
        Stage::Over => {
            auto.on = false;
            return;
        }
        Stage::Answers => {
            auto.on = false;
            session.note("Autoplay paused: a proposal is put to you.");
            return;
        }
        Stage::Orders => {}
    }
    auto.owed =
        (auto.owed + time.delta_secs() * auto.days_per_second).min(MAX_DAYS_PER_FRAME as f32);
    // One `end` a frame: the morning it opens may put a proposal to the player.
    if auto.owed >= 1.0 {
        auto.owed -= 1.0;
        acts.write(Act::Cmd(Command::End));
    }
}
