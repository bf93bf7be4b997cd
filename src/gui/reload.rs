//! Hot reload: while a game of a scenario file runs, saving the file (or a file it
//! `extends`) restarts the game from it (same seat, same seed); a file that no
//! longer validates leaves the game as it is and shows the diagnostics in the window.

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
    /// The scenario's label, the files it is made of (itself and what it extends)
    /// and the latest of their modification times, when last seen.
    seen: Option<(String, Vec<PathBuf>, SystemTime)>,
}

/// The scenario file and the files it extends.
fn files_of(source: &Source) -> Vec<PathBuf> {
    let mut files = vec![PathBuf::from(&source.label)];
    files.extend_from_slice(source.parents());
    files
}

/// The latest modification time of `files`; `None` while one is missing.
fn stamp(files: &[PathBuf]) -> Option<SystemTime> {
    files
        .iter()
        .map(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok())
        .try_fold(SystemTime::UNIX_EPOCH, |latest, t| Some(latest.max(t?)))
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
    let files = match &w.seen {
        Some((label, files, _)) if *label == source.label => files.clone(),
        _ => files_of(source),
    };
    let Some(modified) = stamp(&files) else {
        return; // mid-save, or moved away: look again later
    };
    let changed =
        matches!(&w.seen, Some((label, _, t)) if *label == source.label && *t != modified);
    let label = source.label.clone();
    if !changed {
        w.seen = Some((label, files, modified));
        return;
    }
    let Ok(text) = std::fs::read_to_string(&files[0]) else {
        return;
    };
    // The files it extends may have changed too: look again at what it is made of.
    let fresh = Source::new(source.label.clone(), text);
    w.seen = Some((label, files_of(&fresh), modified));
    if fresh.digest() == source.digest() {
        return;
    }
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
