//! The window of `truce play` (Bevy + bevy_egui): the map or the influence network,
//! the actors, the negotiating table with everyone's odds and their reasons, the
//! chronicle and charts. One plugin per concern; the logic plugins run headless too.

pub mod advisor;
pub mod autoplay;
pub mod compare;
pub mod reload;
pub mod screenshot;
pub mod state;
pub mod timeline;
mod ui;

use bevy::prelude::*;
use bevy::window::WindowResolution;

use crate::error::{Error, Result};
use crate::play::Start;
use state::{GuiSet, Session};

/// The plugins that need no window: the session, autoplay, the advisor, hot reload,
/// the timeline and the compare view's figures.
pub fn logic(app: &mut App) {
    app.configure_sets(Update, (GuiSet::Drive, GuiSet::Act).chain());
    app.add_plugins((
        state::plugin,
        autoplay::plugin,
        advisor::plugin,
        reload::plugin,
        timeline::plugin,
        compare::plugin,
    ));
}

pub fn run(start: Start, args: &crate::play::Settings) -> Result<u8> {
    // Without a display winit cannot start; say so rather than panic.
    let display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()));
    if !display {
        return Err(Error::runtime(
            "no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set): \
             play in the terminal with --text, or run under xvfb-run for a screenshot",
        ));
    }
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "truce".into(),
                    resolution: WindowResolution::new(1440, 900),
                    ..default()
                }),
                ..default()
            })
            .set(bevy::log::LogPlugin {
                level: bevy::log::Level::WARN,
                ..default()
            }),
    );
    app.add_plugins(bevy_egui::EguiPlugin::default());
    app.add_plugins((logic, ui::plugin));
    let session = Session::new(start, args.save.clone());
    if let (Some(shot), Some(game)) = (&args.screenshot, session.game.as_ref()) {
        screenshot::check(shot, game)?;
    }
    app.insert_resource(session);
    app.world_mut().resource_mut::<advisor::Advisor>().runs = args.advisor_runs;
    if let Some(shot) = &args.screenshot {
        app.insert_resource(screenshot::Shot::new(shot.clone()));
        app.add_plugins(screenshot::plugin);
        app.world_mut().resource_mut::<ui::View>().still = true;
    }
    match app.run() {
        AppExit::Success => Ok(0),
        AppExit::Error(code) => Err(Error::runtime(format!(
            "the window closed with an error (code {code})"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use bevy::time::TimeUpdateStrategy;

    use super::*;
    use crate::play::command::Command;
    use crate::play::game::Stage;
    use crate::play::source::Source;
    use state::Act;

    fn app(start: Start) -> App {
        let mut app = App::new();
        app.add_plugins(MinimalPlugins);
        app.add_plugins(logic);
        app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(
            100,
        )));
        app.insert_resource(Session::new(start, None));
        app.update();
        app
    }

    fn bundled(seat: &str) -> Start {
        Start {
            source: Source::bundled("karabakh-2020.ron"),
            seat: Some(seat.into()),
            seed: 3,
            resumed: None,
        }
    }

    fn game(app: &App) -> &crate::play::game::Game {
        app.world()
            .resource::<Session>()
            .game
            .as_ref()
            .expect("a game")
    }

    #[test]
    fn commands_sent_as_acts_play_the_game() {
        let mut app = app(bundled("russia"));
        app.world_mut()
            .write_message(Act::Cmd(Command::Table("moscow-truce".into())));
        app.update();
        assert_eq!(game(&app).moves().len(), 1);
        app.world_mut().write_message(Act::Cmd(Command::End));
        app.update();
        assert_eq!(game(&app).day(), 1);
        app.world_mut()
            .write_message(Act::Cmd(Command::Table("nope".into())));
        app.update();
        let notes = &app.world().resource::<Session>().notes;
        assert!(
            notes.last().unwrap().starts_with("? no proposal `nope`"),
            "{notes:?}"
        );
    }

    #[test]
    fn autoplay_moves_the_days_at_its_pace_and_stops_for_the_player() {
        let autoplay = |seat: &str| {
            let mut app = app(bundled(seat));
            {
                let mut auto = app.world_mut().resource_mut::<autoplay::Autoplay>();
                auto.on = true;
                auto.days_per_second = 10.0; // one day per 0.1 s frame
            }
            for _ in 0..40 {
                app.update();
                if !app.world().resource::<autoplay::Autoplay>().on {
                    break;
                }
            }
            app
        };
        // Turkey, a patron, signs nothing and is never asked: the days go by.
        let app = autoplay("turkey");
        assert!(game(&app).day() >= 10, "day {}", game(&app).day());
        let app = autoplay("armenia");
        let g = game(&app);
        // Armenia is asked sooner or later: autoplay hands over.
        assert!(
            g.stage() == Stage::Answers || g.is_over(),
            "{:?}",
            g.stage()
        );
        assert!(!app.world().resource::<autoplay::Autoplay>().on);
    }

    #[test]
    fn the_advisor_answers_in_the_background() {
        let mut app = app(bundled("russia"));
        app.world_mut().resource_mut::<advisor::Advisor>().runs = 20;
        app.world_mut().write_message(Act::Cmd(Command::End));
        app.update();
        app.world_mut()
            .write_message(advisor::Ask(vec![Command::Table("moscow-truce".into())]));
        app.update();
        let mut waited = 0;
        while app.world().resource::<advisor::Advisor>().last.is_none() {
            assert!(waited < 3000, "no answer");
            std::thread::sleep(Duration::from_millis(10));
            app.update();
            waited += 1;
        }
        let last = app
            .world()
            .resource::<advisor::Advisor>()
            .last
            .clone()
            .unwrap();
        let advice = last.1.expect("advice");
        assert_eq!(advice.with.runs, 20);
    }

    #[test]
    fn a_past_morning_is_rebuilt_once_and_played_from_as_a_branch() {
        let mut app = app(bundled("russia"));
        for _ in 0..4 {
            app.world_mut().write_message(Act::Cmd(Command::End));
            app.update();
        }
        assert_eq!(game(&app).day(), 4);
        app.world_mut().resource_mut::<timeline::Scrub>().day = Some(1);
        for _ in 0..5 {
            app.update();
        }
        let mut scrub = app.world_mut().resource_mut::<timeline::Scrub>();
        assert_eq!(scrub.rebuilds, 1, "rebuilt once, not every frame");
        assert_eq!(scrub.past_day(), Some(1));
        assert_eq!(scrub.past_mut().unwrap().day(), 1);
        assert_eq!(game(&app).day(), 4, "the present is unchanged");
        // Play from here: a new branch from day 1, the present again.
        app.world_mut().write_message(Act::Fork(1));
        app.update();
        assert_eq!(game(&app).day(), 1);
        assert_eq!(game(&app).branch(), "b1");
        assert_eq!(app.world().resource::<timeline::Scrub>().day, None);
        // The compare view figures both branches once and gets their odds.
        {
            app.world_mut().resource_mut::<advisor::Advisor>().runs = 10;
            app.world_mut().resource_mut::<compare::Compare>().open = true;
        }
        let mut waited = 0;
        while !app.world().resource::<compare::Compare>().ready() {
            assert!(waited < 3000, "no odds");
            std::thread::sleep(Duration::from_millis(10));
            app.update();
            waited += 1;
        }
        let c = app.world().resource::<compare::Compare>();
        assert_eq!(c.picks, ["b1".to_string(), "main".to_string()]);
        assert_eq!(c.side("main").unwrap().standing.day, 4);
        assert_eq!(c.side("b1").unwrap().standing.day, 1);
        app.world_mut().write_message(Act::Switch("main".into()));
        app.update();
        assert_eq!(game(&app).day(), 4);
    }

    #[test]
    fn saving_the_scenario_restarts_the_game_or_shows_its_errors() {
        let dir = std::env::temp_dir().join(format!("truce-reload-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.ron");
        let text = crate::scenario::bundled::text("karabakh-2020.ron").unwrap();
        std::fs::write(&path, text).unwrap();
        let mut app = app(Start {
            source: Some(Source::file(&path).unwrap()),
            seat: Some("russia".into()),
            seed: 1,
            resumed: None,
        });
        app.world_mut().write_message(Act::Cmd(Command::End));
        for _ in 0..8 {
            app.update(); // the watcher notes the file's time
        }
        assert_eq!(game(&app).day(), 1);
        let wait_for = |app: &mut App, done: &dyn Fn(&App) -> bool| {
            for _ in 0..50 {
                app.update();
                if done(app) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            panic!("the watcher did not react");
        };
        // A broken save: the game goes on, the diagnostics show.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&path, text.replacen("\"russia\"", "\"russai\"", 1)).unwrap();
        wait_for(&mut app, &|a| {
            a.world().resource::<Session>().problem.is_some()
        });
        assert_eq!(game(&app).day(), 1);
        // A good save: the game restarts from it.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&path, text.replacen("max_turns: 120", "max_turns: 100", 1)).unwrap();
        wait_for(&mut app, &|a| {
            a.world().resource::<Session>().problem.is_none()
        });
        assert_eq!(game(&app).day(), 0);
        assert_eq!(game(&app).scenario().max_turns, 100);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn saving_the_parent_of_a_variant_restarts_the_game() {
        let dir = std::env::temp_dir().join(format!("truce-reload-parent-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let parent = dir.join("parent.ron");
        let text = crate::scenario::bundled::text("karabakh-2020.ron").unwrap();
        std::fs::write(&parent, text).unwrap();
        let variant = dir.join("variant.ron");
        std::fs::write(
            &variant,
            "Scenario(extends: \"parent.ron\", id: \"v\", max_turns: 90)",
        )
        .unwrap();
        let mut app = app(Start {
            source: Some(Source::file(&variant).unwrap()),
            seat: Some("russia".into()),
            seed: 1,
            resumed: None,
        });
        app.world_mut().write_message(Act::Cmd(Command::End));
        for _ in 0..8 {
            app.update();
        }
        assert_eq!(game(&app).day(), 1);
        assert_eq!(game(&app).scenario().max_turns, 90);
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(
            &parent,
            text.replacen("durable_days: 30", "durable_days: 20", 1),
        )
        .unwrap();
        for _ in 0..50 {
            app.update();
            if game(&app).day() == 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(game(&app).day(), 0, "the game restarts");
        assert_eq!(game(&app).scenario().model.durable_days, 20);
        assert_eq!(game(&app).scenario().max_turns, 90, "still the variant");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
