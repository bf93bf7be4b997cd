//! The advisor in the window: continuations run on a background thread (on every
//! core, through rayon) while frames go on; the answer is picked up when it arrives.
//! [`Pending`] is that background work, for the compare view's odds too.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use bevy::prelude::*;

use super::state::{GuiSet, Session};
use crate::play::advisor::{Advice, Position, advise};
use crate::play::command::Command;

pub fn plugin(app: &mut App) {
    app.add_message::<Ask>();
    app.init_resource::<Advisor>();
    app.add_systems(Update, (ask, collect).chain().after(GuiSet::Act));
}

/// Ask about today's moves plus these.
#[derive(Message, Debug, Clone)]
pub struct Ask(pub Vec<Command>);

/// Work running on a background thread, and where its answer will come.
pub struct Pending<T>(Mutex<Receiver<Result<T, String>>>);

impl<T: Send + 'static> Pending<T> {
    pub fn spawn(work: impl FnOnce() -> Result<T, String> + Send + 'static) -> Pending<T> {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let _ = tx.send(work());
        });
        Pending(Mutex::new(rx))
    }

    /// The answer once it has come (an error if the work stopped without one);
    /// `None` while it is still worked on.
    pub fn poll(&self) -> Option<Result<T, String>> {
        match self.0.lock().map(|rx| rx.try_recv()) {
            Ok(Ok(answer)) => Some(answer),
            Ok(Err(TryRecvError::Empty)) => None,
            _ => Some(Err("the advisor stopped without an answer".to_string())),
        }
    }
}

#[derive(Resource, Default)]
pub struct Advisor {
    pub runs: u32,
    /// The question being worked on, and where its answer will come.
    running: Option<(String, Pending<Advice>)>,
    /// The last answer, with the question.
    pub last: Option<(String, Result<Advice, String>)>,
}

impl Advisor {
    pub fn busy(&self) -> Option<&str> {
        self.running.as_ref().map(|(q, _)| q.as_str())
    }
}

fn ask(mut asks: MessageReader<Ask>, session: Res<Session>, mut advisor: ResMut<Advisor>) {
    let Some(Ask(extra)) = asks.read().last().cloned() else {
        return;
    };
    let Some(game) = session.game.as_ref() else {
        return;
    };
    let position = Position::of(game);
    let label = position.label(&extra);
    let runs = if advisor.runs == 0 {
        crate::play::advisor::CONTINUATIONS
    } else {
        advisor.runs
    };
    let pending = Pending::spawn(move || advise(&position, &extra, runs));
    advisor.running = Some((label, pending));
}

fn collect(mut advisor: ResMut<Advisor>) {
    let Some(answer) = advisor.running.as_ref().and_then(|(_, p)| p.poll()) else {
        return;
    };
    if let Some((label, _)) = advisor.running.take() {
        advisor.last = Some((label, answer));
    }
}
