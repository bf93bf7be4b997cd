//! The timeline in the window: the day chosen on the scrubber, and the game as it
//! was that morning, rebuilt by replay once when the choice (or the line played)
//! changes, never every frame. The panels show that game instead of the present;
//! nothing can be done in it but "Play from here".

use bevy::prelude::*;

use super::autoplay::Autoplay;
use super::state::{GuiSet, Session};
use crate::play::game::Game;

pub fn plugin(app: &mut App) {
    app.init_resource::<Scrub>();
    app.add_systems(Update, rebuild.after(GuiSet::Act));
}

#[derive(Resource, Default)]
pub struct Scrub {
    /// The day chosen on the timeline; `None` for the present.
    pub day: Option<u32>,
    past: Option<Past>,
    /// How many past mornings were rebuilt: once per choice, not once per frame.
    pub rebuilds: u32,
}

/// A past morning: what it was rebuilt from, and the game.
struct Past {
    branch: String,
    log_len: usize,
    day: u32,
    game: Game,
}

impl Scrub {
    /// The game of the morning chosen, once rebuilt; `None` for the present.
    pub fn past_mut(&mut self) -> Option<&mut Game> {
        match (self.day, self.past.as_mut()) {
            (Some(d), Some(p)) if p.day == d => Some(&mut p.game),
            _ => None,
        }
    }

    /// The day shown in the past, if one is.
    pub fn past_day(&self) -> Option<u32> {
        match (self.day, self.past.as_ref()) {
            (Some(d), Some(p)) if p.day == d => Some(d),
            _ => None,
        }
    }
}

fn rebuild(mut scrub: ResMut<Scrub>, mut session: ResMut<Session>, mut auto: ResMut<Autoplay>) {
    let Some(game) = session.game.as_ref() else {
        scrub.day = None;
        scrub.past = None;
        return;
    };
    let Some(day) = scrub.day.filter(|&d| d < game.day()) else {
        scrub.day = None;
        scrub.past = None;
        return;
    };
    // The present does not move while the past is looked at.
    auto.on = false;
    let fresh = scrub.past.as_ref().is_some_and(|p| {
        p.day == day && p.branch == game.branch() && p.log_len == game.log().len()
    });
    if fresh {
        return;
    }
    match game.at_day(day) {
        Ok(past) => {
            scrub.rebuilds += 1;
            scrub.past = Some(Past {
                branch: game.branch().to_string(),
                log_len: game.log().len(),
                day,
                game: past,
            });
        }
        Err(e) => {
            scrub.day = None;
            scrub.past = None;
            session.note(format!("? {e}"));
        }
    }
}
