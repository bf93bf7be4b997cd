//! Hot reload: while a game of a scenario file runs, saving the file restarts the
//! game from it (same seat, same seed); a file that no longer validates leaves the
//! game as it is and shows the diagnostics in the window.

use std::path::PathBuf;
use std::time::SystemTime;

use bevy::prelude::*;

use super::state::{GuiSet, Session};
use crate::play::source::Source;
use crate::scenario::{self, LoadError};

pub fn plugin(app: &mut App) {
    app.init_resource::<Watch>();
    app.add_systems(Update, watch.in_set(GuiSet::Drive));
}

/// Seconds between looks at the file.
const EVERY: f32 = 0.5;

#[derive(Resource, Default)]
pub struct Watch {
    since: f32,
    /// The file and its modification time when last seen.
    seen: Option<(PathBuf, SystemTime)>,
}

fn watch(time: Res<Time>, mut w: ResMut<Watch>, mut session: ResMut<Session>) {
    w.since += time.delta_secs();
    if w.since < EVERY {
        return;
    }
    w.since = 0.0;
    let Some(source) = session.source.as_ref() else {
        return;
    };
    if source.label.starts_with(scenario::bundled::PREFIX) {
        return;
    }
    let path = PathBuf::from(&source.label);
    let Ok(modified) = std::fs::metadata(&path).and_then(|m| m.modified()) else {
        return; // mid-save, or moved away: look again later
    };
    match &w.seen {
        Some((p, t)) if *p == path && *t == modified => return,
        Some((p, _)) if *p == path => {}
        _ => {
            w.seen = Some((path, modified));
            return;
        }
    }
    w.seen = Some((path.clone(), modified));
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    if text == source.text {
        return;
    }
    let fresh = Source {
        label: source.label.clone(),
        text,
    };
    match scenario::load_str(&fresh.label, fresh.text.clone()) {
        Ok(_) => {
            let seat = session.seat.clone().unwrap_or_default();
            session.problem = None;
            session.start(fresh, &seat);
            if session.game.is_some() {
                let name = session.source.as_ref().map_or("", |s| s.name()).to_string();
                session.note(format!(
                    "{name} changed: the game restarts from the new file."
                ));
            }
        }
        Err(LoadError::Invalid(report)) => {
            session.problem = Some(report.render());
        }
        Err(e) => session.problem = Some(e.to_string()),
    }
}
