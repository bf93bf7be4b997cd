//! The simulation: a Bevy world of actors, regions, proposals and agreements, and a
//! `Turn` schedule that plays one day through its phases. No I/O, no wall clock;
//! all randomness from one seeded ChaCha8 generator.

pub mod aims;
pub mod assessment;
pub mod beliefs;
pub mod combat;
pub mod components;
pub mod diplomacy;
pub mod drift;
pub mod end_check;
pub mod events;
pub mod implementation;
pub mod operations;
pub mod outcome;
pub mod player;
pub mod politics;
pub mod record;
pub mod responses;
pub mod setup;
pub mod shifts;
pub mod tally;
#[cfg(test)]
pub mod testkit;
pub mod unilateral;

use std::sync::Arc;

use bevy::ecs::schedule::{ScheduleLabel, SingleThreadedExecutor};
use bevy::prelude::*;

pub use components::EndReason;
pub use outcome::Outcome;
pub use tally::Tally;

use crate::scenario::Compiled;
use crate::scenario::compiled as scenario_ix;
use components::{Chronicle, Clock, Strikes};

/// The schedules that play one day, in two halves: a player answers what the
/// morning put on the table before the afternoon plays out.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub enum Turn {
    /// Events, combat, assessment, diplomacy: up to the proposals on the table.
    Open,
    /// Responses, implementation, politics at home, drift, record, end check.
    Close,
}

/// The phases of a turn, run in this order.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Scripted and random events fire.
    Events,
    /// Each side decides where to press an offensive despite a truce.
    Operations,
    /// Fighting along the front: captures, losses, flight.
    Combat,
    /// Each belligerent revises its belief about the balance of power.
    Learning,
    /// Every actor re-judges the war: BATNA, costs, ripeness.
    Assessment,
    /// Mediators table proposals and spend leverage.
    Diplomacy,
    /// Parties accept or reject what is on the table, or counter it.
    Responses,
    /// Signing, violations, collapse.
    Implementation,
    /// Each government's support at home; repudiations, protests, a change of leader.
    Politics,
    /// Positions move toward influential actors and the facts on the ground.
    Drift,
    /// The day's figures are recorded.
    Record,
    /// Durable agreement, capitulation or time limit; otherwise the next day.
    EndCheck,
}

/// Adds every mechanic's systems to the `Turn` schedules, phases in order.
pub fn plugin(app: &mut App) {
    app.configure_sets(
        Turn::Open,
        (
            Phase::Events,
            Phase::Operations,
            Phase::Combat,
            Phase::Learning,
            Phase::Assessment,
            Phase::Diplomacy,
        )
            .chain(),
    );
    app.configure_sets(
        Turn::Close,
        (
            Phase::Responses,
            Phase::Implementation,
            Phase::Politics,
            Phase::Drift,
            Phase::Record,
            Phase::EndCheck,
        )
            .chain(),
    );
    app.add_plugins((
        player::plugin,
        events::plugin,
        operations::plugin,
        combat::plugin,
        beliefs::plugin,
        assessment::plugin,
        diplomacy::plugin,
        unilateral::plugin,
        responses::plugin,
        implementation::plugin,
        politics::plugin,
        drift::plugin,
        record::plugin,
        end_check::plugin,
    ));
}

/// One run of a scenario: a World and the two Turn schedules bound to it.
///
/// This is the API the command line, the batch runner and the front-ends use:
/// build from a scenario and a seed, step a day at a time or run to the end,
/// read the outcome. `reset` reuses the world for another seed.
pub struct Simulation {
    world: World,
    open: Schedule,
    close: Schedule,
    /// The morning of the current day has been played.
    day_open: bool,
    /// The scenario, and what each run of it starts from.
    setup: setup::Setup,
    seed: u64,
}

impl Simulation {
    pub fn new(scenario: Arc<Compiled>, seed: u64) -> Simulation {
        let mut app = App::empty();
        app.add_plugins(plugin);
        let mut schedules = app
            .world_mut()
            .remove_resource::<Schedules>()
            .expect("an App has schedules");
        let mut half = |label: Turn| {
            let mut schedule = schedules
                .remove(label)
                .expect("the Turn schedules were built");
            // Same seed, same run: never run the simulation's systems in parallel.
            schedule.set_executor(SingleThreadedExecutor::new());
            schedule
        };
        let (open, close) = (half(Turn::Open), half(Turn::Close));
        let mut world = std::mem::take(app.world_mut());
        let setup = setup::Setup::new(&mut world, scenario);
        let mut sim = Simulation {
            world,
            open,
            close,
            day_open: false,
            setup,
            seed,
        };
        sim.setup.populate(&mut sim.world, seed);
        sim
    }

    /// Starts a fresh run of the same scenario with another seed, reusing the world.
    pub fn reset(&mut self, seed: u64) {
        self.setup.clear(&mut self.world);
        self.world.clear_trackers();
        self.day_open = false;
        self.seed = seed;
        self.setup.populate(&mut self.world, seed);
    }

    /// A quiet run keeps neither the news nor the daily record, only what
    /// [`Simulation::tally`] reads: what a batch needs. It stays quiet across resets.
    pub fn set_quiet(&mut self, quiet: bool) {
        self.world.resource_mut::<Chronicle>().restart(quiet);
        self.world.resource_mut::<components::Record>().days.clear();
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn scenario(&self) -> &Arc<Compiled> {
        self.setup.scenario()
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    pub fn clock(&self) -> &Clock {
        self.world.resource::<Clock>()
    }

    pub fn finished(&self) -> bool {
        self.clock().end.is_some()
    }

    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }

    /// Plays one day (or the rest of it). Returns `true` while the run goes on.
    pub fn step(&mut self) -> bool {
        if self.finished() {
            return false;
        }
        if !self.day_open {
            self.play_morning();
        }
        self.end_day();
        !self.finished()
    }

    /// Plays the morning: events, combat, assessment and diplomacy. Afterwards the
    /// proposals tabled today wait for their answers. Does nothing once the run is
    /// over or while the day is already open.
    pub fn open_day(&mut self) {
        if !self.finished() && !self.day_open {
            self.play_morning();
        }
    }

    /// Plays the morning of a day not yet opened.
    fn play_morning(&mut self) {
        self.open.run(&mut self.world);
        self.day_open = true;
    }

    /// Plays the afternoon (opening the day first if needed): answers, signing,
    /// collapse, drift, the record and the end check; then the player's orders are spent.
    pub fn close_day(&mut self) {
        self.open_day();
        if self.day_open {
            self.end_day();
        }
    }

    /// Plays the afternoon of a day whose morning has been played.
    fn end_day(&mut self) {
        self.close.run(&mut self.world);
        self.day_open = false;
        self.world.resource_mut::<player::Orders>().clear();
        // What App::update does after each frame: forget the day's removed
        // components, which would otherwise pile up for as long as the world lives.
        self.world.clear_trackers();
    }

    /// Whether the morning of the current day has been played.
    pub fn day_open(&self) -> bool {
        self.day_open
    }

    /// Puts a player in `seat` (or no one): the AI then leaves that actor's choices
    /// to the orders and answers given through [`Simulation::orders`].
    pub fn set_seat(&mut self, seat: Option<scenario_ix::ActorIx>) {
        self.world.resource_mut::<player::Seats>().player = seat;
    }

    /// Keeps each day's strikes (region, attacker, chance) in [`Strikes`], for a map.
    /// It stays watched across resets.
    pub fn watch_strikes(&mut self) {
        self.world.resource_mut::<Strikes>().watched = true;
    }

    /// The player's orders for today (cleared when the day closes).
    pub fn orders(&mut self) -> Mut<'_, player::Orders> {
        self.world.resource_mut::<player::Orders>()
    }

    /// Draws the rest of the run's chances from a new generator: how the advisor
    /// explores different futures from the same present.
    pub fn reseed(&mut self, seed: u64) {
        use rand::SeedableRng;
        self.world.resource_mut::<components::SimRng>().0 =
            rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    }

    /// Who holds each region and since when, by region index, as the front-ends
    /// show the map (the scenario's controller where a region has no control yet).
    pub fn control(&self) -> Vec<components::Control> {
        let roster = self.world.resource::<components::Roster>();
        roster
            .regions
            .iter()
            .zip(&self.scenario().regions)
            .map(|(&e, r)| {
                self.world
                    .get::<components::Control>(e)
                    .copied()
                    .unwrap_or(components::Control {
                        holder: r.controller,
                        since: None,
                    })
            })
            .collect()
    }

    /// Plays to the end and returns the outcome.
    pub fn run_to_end(&mut self) -> Outcome {
        while self.step() {}
        self.outcome()
    }

    /// The outcome so far (complete once the run has finished).
    pub fn outcome(&mut self) -> Outcome {
        outcome::collect(&mut self.world, self.seed)
    }

    /// Each day's figures so far, by side (none for a quiet run).
    pub fn days(&self) -> Vec<outcome::DayOutcome> {
        outcome::days(&self.world)
    }

    /// The run's figures by index, without text: what a batch keeps.
    pub fn tally(&mut self) -> Tally {
        tally::collect(&mut self.world)
    }

    /// Starts a fresh run of another scenario (a batch's next grid point), reusing
    /// the world and the schedule.
    pub fn reset_with(&mut self, scenario: Arc<Compiled>, seed: u64) {
        self.setup.switch_to(scenario);
        self.reset(seed);
    }
}

#[cfg(test)]
mod tests {
    use super::components::*;
    use super::testkit::{tiny, tiny_with};
    use super::*;

    fn batna(sim: &Simulation, actor: usize) -> f64 {
        let roster = sim.world().resource::<Roster>();
        sim.world()
            .get::<Outlook>(roster.actors[actor])
            .unwrap()
            .batna
    }

    #[test]
    fn batna_falls_as_the_enemy_grows_stronger() {
        let mut even = Simulation::new(tiny(), 1);
        even.step();
        let stronger =
            tiny_with(|t| t.replace(r#""blue": (troops: 10000"#, r#""blue": (troops: 40000"#));
        let mut outgunned = Simulation::new(stronger, 1);
        outgunned.step();
        // Red expects to lose ground, Blue to gain it.
        assert!(batna(&outgunned, 0) < batna(&even, 0));
        assert!(batna(&outgunned, 1) > batna(&even, 1));
    }

    #[test]
    fn batna_counts_the_cost_of_losses_against_resolve() {
        let mut firm = Simulation::new(
            tiny_with(|t| {
                t.replace(
                    "resolve: 0.5, domestic_pressure: 0.5),\n        Actor(id: \"blue\"",
                    "resolve: 0.9, domestic_pressure: 0.5),\n        Actor(id: \"blue\"",
                )
            }),
            1,
        );
        let mut soft = Simulation::new(
            tiny_with(|t| {
                t.replace(
                    "resolve: 0.5, domestic_pressure: 0.5),\n        Actor(id: \"blue\"",
                    "resolve: 0.1, domestic_pressure: 0.5),\n        Actor(id: \"blue\"",
                )
            }),
            1,
        );
        firm.step();
        soft.step();
        assert!(batna(&firm, 0) > batna(&soft, 0));
    }

    #[test]
    fn casualties_never_fall_and_people_are_conserved() {
        let sc = tiny();
        let mut sim = Simulation::new(sc.clone(), 9);
        let total = |sim: &Simulation| {
            let w = sim.world();
            let roster = w.resource::<Roster>();
            let people: f64 = roster
                .regions
                .iter()
                .map(|&e| w.get::<Populace>(e).unwrap().people)
                .sum();
            let toll = w.resource::<Toll>();
            people + toll.displaced + toll.civilian_dead
        };
        let start = total(&sim);
        let mut last_dead = 0.0;
        while sim.step() {
            let w = sim.world();
            let roster = w.resource::<Roster>();
            let dead: f64 = roster
                .actors
                .iter()
                .filter_map(|&e| w.get::<Army>(e))
                .map(|a| a.dead)
                .sum();
            assert!(dead >= last_dead);
            last_dead = dead;
            assert!((total(&sim) - start).abs() < 1e-6);
        }
        assert!(last_dead > 0.0);
    }

    #[test]
    fn a_reused_world_does_not_pile_up_removed_components() {
        let sc = tiny();
        let mut sim = Simulation::new(sc.clone(), 0);
        for seed in 0..20 {
            sim.reset(seed);
            while sim.step() {}
        }
        // Each reset despawns every region; only the latest ones may still be listed.
        let removed = sim.world().removed::<Region>().count();
        assert!(
            removed <= sc.regions.len(),
            "{removed} removed regions kept"
        );
    }

    #[test]
    fn a_quiet_run_plays_the_same_and_keeps_no_story() {
        let sc = tiny();
        let mut quiet = Simulation::new(sc.clone(), 0);
        quiet.set_quiet(true);
        for seed in 0..10 {
            let mut full = Simulation::new(sc.clone(), seed);
            quiet.reset(seed);
            while full.step() {}
            while quiet.step() {}
            let tally = full.tally();
            assert_eq!(tally, quiet.tally());
            // The tally reads the world; the full run's record says the same.
            let last = full.world().resource::<Record>().days.last().cloned();
            let last = last.expect("a full run keeps a record");
            assert_eq!(tally.control, last.control);
            assert_eq!(tally.military_dead, last.military_dead);
            assert!(!full.world().resource::<Chronicle>().entries.is_empty());
            // Quiet across resets: no news, no record.
            assert!(quiet.world().resource::<Chronicle>().entries.is_empty());
            assert!(quiet.world().resource::<Record>().days.is_empty());
        }
    }

    #[test]
    fn a_world_reset_with_another_scenario_plays_as_a_fresh_one() {
        // Another proposal and other forces: nothing of the first scenario may stay.
        let other = tiny_with(|t| {
            t.replace("monitoring: 0.5", "monitoring: 0.9")
                .replace(r#"name: "truce""#, r#"name: "firm truce""#)
                .replace("troops: 10000, quality: 0.5", "troops: 14000, quality: 0.6")
        });
        let mut reused = Simulation::new(tiny(), 0);
        while reused.step() {}
        for seed in 0..5 {
            reused.reset_with(other.clone(), seed);
            let mut fresh = Simulation::new(other.clone(), seed);
            let cards = |sim: &mut Simulation| {
                let mut q = sim.world_mut().query::<&Card>();
                let mut names: Vec<String> =
                    q.iter(sim.world()).map(|c| c.terms.name.clone()).collect();
                names.sort();
                names
            };
            assert_eq!(cards(&mut reused), vec!["firm truce".to_string()]);
            assert_eq!(reused.run_to_end(), fresh.run_to_end());
        }
    }

    #[test]
    fn a_run_always_ends_within_the_turn_limit() {
        for seed in 0..20 {
            let o = Simulation::new(tiny(), seed).run_to_end();
            assert_ne!(o.end, "running");
            assert!(o.turns <= 60);
        }
    }
}
