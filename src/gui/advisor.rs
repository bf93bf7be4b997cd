//! The advisor in the window: continuations run on a background thread (on every
//! core, through rayon) while frames go on; the answer is picked up when it arrives.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, channel};

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

/// Where a background advisor's answer comes.
type Answer = Mutex<Receiver<Result<Advice, String>>>;

#[derive(Resource, Default)]
pub struct Advisor {
    pub runs: u32,
    /// The question being worked on, and where its answer will come.
    running: Option<(String, Answer)>,
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
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let _ = tx.send(advise(&position, &extra, runs));
    });
    advisor.running = Some((label, Mutex::new(rx)));
}

fn collect(mut advisor: ResMut<Advisor>) {
    let Some((_, rx)) = &advisor.running else {
        return;
    };
    let answer = match rx.lock().map(|rx| rx.try_recv()) {
        Ok(Ok(answer)) => answer,
        Ok(Err(std::sync::mpsc::TryRecvError::Empty)) => return,
        _ => Err("the advisor stopped without an answer".to_string()),
    };
    if let Some((label, _)) = advisor.running.take() {
        advisor.last = Some((label, answer));
    }
}
