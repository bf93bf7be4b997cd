//! The window's panels, drawn with egui each frame from a [`Snapshot`] of the game.
//! Panels never touch the game: they send [`Act`]s and [`Ask`]s.

mod map;
pub use map::drawn_labels;
mod panels;
mod territory;
mod timeline;
mod windows;

use std::sync::Arc;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::advisor::{Advisor, Ask};
use super::autoplay::Autoplay;
use super::compare::Compare;
use super::state::{Act, Session};
use super::timeline::Scrub;
use crate::play::command::Command;
use crate::play::game::{CardView, Game, Stage};
use crate::play::story::{self, Story};
use crate::play::view::{self, ActorView};
use crate::scenario::Compiled;
use crate::sim::components::{DayRecord, Entry, Record, StrikeSeen, Strikes};

pub fn plugin(app: &mut App) {
    app.init_resource::<View>();
    app.add_systems(Startup, |mut commands: Commands| {
        commands.spawn(Camera2d);
    });
    app.add_systems(EguiPrimaryContextPass, draw);
}

/// What the player has chosen on screen but not yet sent.
#[derive(Resource, Default)]
pub struct View {
    /// Show the influence network instead of the map.
    pub network: bool,
    pub compose: Option<windows::Compose>,
    pub pressure_on: usize,
    pub pressure: f64,
    pub incentive_to: usize,
    pub incentive: f64,
    /// Days of a unilateral ceasefire to declare (0 until the slider is first moved:
    /// shown as 7).
    pub declare_days: u32,
    /// Start screen: the scenario picked.
    pub menu_pick: Option<usize>,
    pub hide_end: bool,
    /// The help overlay is shown.
    pub help: bool,
    /// A screenshot is being taken: the pointer (wherever the display left it) hovers
    /// nothing.
    pub still: bool,
    /// The end's summary and story, made once per finished game rather than every
    /// frame: the scenario they were made for, the last day, and what they say.
    pub end_summary: Option<(Arc<Compiled>, u32, Told)>,
}

/// The end's summary and its story.
type Told = Arc<(String, Story)>;

/// The window's keyboard shortcuts: the key, how the help names it, what it does.
pub const SHORTCUTS: [(egui::Key, &str, &str); 11] = [
    (egui::Key::Enter, "Enter", "end the morning, or the day"),
    (egui::Key::P, "P", "autoplay on or off"),
    (egui::Key::A, "A", "ask the advisor about doing nothing"),
    (egui::Key::N, "N", "the map or the influence network"),
    (
        egui::Key::ArrowLeft,
        "Left",
        "the timeline: a day back (look only)",
    ),
    (
        egui::Key::ArrowRight,
        "Right",
        "the timeline: a day forward, to the present",
    ),
    (egui::Key::C, "C", "compare two branches"),
    (egui::Key::S, "S", "save the game"),
    (egui::Key::H, "H", "this help"),
    (egui::Key::F1, "F1", "this help"),
    (egui::Key::Escape, "Esc", "close the help"),
];

/// The game as the panels need it this frame.
pub struct Snapshot {
    pub sc: Arc<Compiled>,
    pub seat: usize,
    pub day: u32,
    pub stage: Stage,
    pub offers: Vec<CardView>,
    pub table: Vec<CardView>,
    pub actors: Vec<ActorView>,
    pub chronicle: Vec<Entry>,
    pub days: Vec<DayRecord>,
    pub holders: Vec<(usize, Option<u32>)>,
    /// The texts in force and those agreed in principle, a line each.
    pub in_force: Vec<String>,
    pub war: String,
    pub influence: Vec<Vec<f64>>,
    pub leverage_left: Option<f64>,
    /// Today's strikes: the map's arrows and its tooltips' odds.
    pub strikes: Vec<StrikeSeen>,
    /// A past morning is shown: nothing can be done in it.
    pub past: bool,
}

fn snapshot(game: &mut Game, past: bool) -> Snapshot {
    let sc = game.scenario().clone();
    let offers = game.offers();
    let table = game.on_table();
    let in_force = view::in_force(game.sim_mut());
    let sim = game.sim();
    let w = sim.world();
    let holders = sim.control().iter().map(|c| (c.holder, c.since)).collect();
    let actors = view::actors(sim);
    let committed = game.leverage_committed();
    Snapshot {
        seat: game.seat(),
        day: game.day(),
        stage: game.stage(),
        offers,
        table,
        leverage_left: actors[game.seat()].leverage.map(|l| l - committed),
        actors,
        chronicle: w
            .resource::<crate::sim::components::Chronicle>()
            .entries
            .clone(),
        days: w.resource::<Record>().days.clone(),
        holders,
        in_force,
        war: view::war_line(sim),
        influence: w
            .resource::<crate::sim::components::Relations>()
            .influence
            .clone(),
        strikes: w.resource::<Strikes>().today.clone(),
        sc,
        past,
    }
}

/// A colour for each actor, by index.
pub fn colour(actor: usize) -> egui::Color32 {
    const PALETTE: [(u8, u8, u8); 8] = [
        (214, 96, 77),
        (67, 147, 195),
        (120, 120, 120),
        (153, 112, 171),
        (90, 174, 97),
        (224, 160, 60),
        (64, 170, 170),
        (200, 110, 160),
    ];
    let (r, g, b) = PALETTE[actor % PALETTE.len()];
    egui::Color32::from_rgb(r, g, b)
}

#[allow(clippy::too_many_arguments)]
fn draw(
    mut contexts: EguiContexts,
    mut session: ResMut<Session>,
    mut view: ResMut<View>,
    mut auto: ResMut<Autoplay>,
    advisor: Res<Advisor>,
    mut acts: MessageWriter<Act>,
    mut asks: MessageWriter<Ask>,
    mut scrub: ResMut<Scrub>,
    mut compare: ResMut<Compare>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let mut root = egui::Ui::new(
        ctx.clone(),
        "root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    if let Some(problem) = session.problem.clone() {
        windows::problem(&ctx, &problem);
    }
    let Some(line) = session.game.as_ref().map(timeline::Line::of) else {
        windows::menu(&mut root, &mut session, &mut view, &mut acts);
        return Ok(());
    };
    let snap = match scrub.past_mut() {
        Some(past) => snapshot(past, true),
        None => snapshot(session.game.as_mut().expect("a game is on"), false),
    };
    if snap.past {
        view.compose = None;
    }
    // Keyboard: the shortcuts the help lists, each with its act.
    if !ctx.egui_wants_keyboard_input() {
        ctx.input(|i| {
            for &(key, _, _) in &SHORTCUTS {
                if !i.key_pressed(key) {
                    continue;
                }
                match key {
                    egui::Key::Enter if snap.stage != Stage::Over && !snap.past => {
                        acts.write(Act::Cmd(Command::End));
                    }
                    egui::Key::P if !snap.past => auto.on = !auto.on,
                    egui::Key::A if advisor.busy().is_none() && !snap.past => {
                        asks.write(Ask(Vec::new()));
                    }
                    egui::Key::ArrowLeft => scrub.day = line.step(scrub.day, -1),
                    egui::Key::ArrowRight => scrub.day = line.step(scrub.day, 1),
                    egui::Key::C => compare.open = !compare.open,
                    egui::Key::N => view.network = !view.network,
                    egui::Key::S => {
                        acts.write(Act::Save);
                    }
                    egui::Key::H | egui::Key::F1 => view.help = !view.help,
                    egui::Key::Escape => view.help = false,
                    _ => {}
                }
            }
        });
    }
    if view.help && !windows::help(&ctx) {
        view.help = false;
    }
    panels::top(
        &mut root, &snap, &mut auto, &mut view, &advisor, &mut acts, &mut asks,
    );
    panels::bottom(&mut root, &snap, &session);
    timeline::bar(&mut root, &line, &mut scrub, &mut compare, &mut acts);
    panels::actors(&mut root, &snap);
    panels::table(&mut root, &snap, &mut view, &advisor, &mut acts, &mut asks);
    egui::CentralPanel::default().show(&mut root, |ui| {
        if view.network {
            map::network(ui, &snap);
        } else {
            map::theatre(ui, &snap, !view.still);
        }
        if snap.past {
            timeline::frame(ui);
        }
    });
    if compare.open && !windows::compare(&ctx, &mut compare, &line, &snap.sc) {
        compare.open = false;
    }
    if let Some(compose) = view.compose.as_mut() {
        let game = session.game.as_ref().expect("a game is on");
        if !windows::compose(&ctx, compose, &snap, game, &mut acts) {
            view.compose = None;
        }
    }
    if snap.stage == Stage::Over && !view.hide_end && !snap.past {
        let fresh = view
            .end_summary
            .as_ref()
            .is_some_and(|(sc, day, _)| Arc::ptr_eq(sc, &snap.sc) && *day == snap.day);
        if !fresh {
            let outcome = session
                .game
                .as_mut()
                .expect("a game is on")
                .sim_mut()
                .outcome();
            let text = crate::report::summary(&outcome, &snap.sc);
            let record = session.source.as_ref().and_then(story::record_for);
            let story = Story::of(&outcome, &snap.sc, record.as_ref());
            view.end_summary = Some((snap.sc.clone(), snap.day, Arc::new((text, story))));
        }
        let told = view
            .end_summary
            .as_ref()
            .map(|(_, _, t)| t.clone())
            .expect("made above");
        if !windows::end(&ctx, &snap, &told.0, &told.1) {
            view.hide_end = true;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::SHORTCUTS;

    #[test]
    fn each_shortcut_has_one_key_and_a_description() {
        for (i, (key, name, what)) in SHORTCUTS.iter().enumerate() {
            assert!(!name.is_empty() && !what.is_empty());
            assert!(
                SHORTCUTS[..i].iter().all(|(k, _, _)| k != key),
                "{name} is listed twice"
            );
        }
    }
}
