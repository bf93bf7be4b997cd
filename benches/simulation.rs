//! Benchmarks on the seed scenario: one turn, one whole run, a batch of 1,000 runs
//! on one and on two threads, the advisor's 500 continuations of a game, and loading
//! a scenario. Run with `cargo bench`;
//! figures are quoted in the README.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use truce::batch::plan::Plan;
use truce::batch::record::PointStats;
use truce::batch::runner;
use truce::scenario::{self, Compiled};
use truce::sim::Simulation;

// The allocator the `truce` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SEED_SCENARIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/karabakh-2020.ron");

fn main() {
    divan::main();
}

fn seed_scenario() -> Arc<Compiled> {
    let loaded = scenario::load(std::path::Path::new(SEED_SCENARIO)).expect("seed scenario loads");
    Arc::new(loaded.compiled)
}

/// One day of the seed scenario, from day 5 of a run, played quiet as a batch plays it.
#[divan::bench]
fn one_turn(bencher: divan::Bencher) {
    let sc = seed_scenario();
    let mut sim = Simulation::new(sc, 1);
    sim.set_quiet(true);
    let mut seed = 1;
    bencher.bench_local(|| {
        if sim.finished() || sim.clock().day > 20 {
            seed += 1;
            sim.reset(seed);
            for _ in 0..5 {
                sim.step();
            }
        }
        sim.step()
    });
}

/// A whole run of the seed scenario, reusing the world and quiet, as the batch runner
/// plays it.
#[divan::bench]
fn whole_run(bencher: divan::Bencher) {
    let sc = seed_scenario();
    let mut sim = Simulation::new(sc, 0);
    sim.set_quiet(true);
    let mut seed = 0;
    bencher.bench_local(|| {
        seed += 1;
        sim.reset(seed);
        while sim.step() {}
        sim.tally()
    });
}

/// A batch of 1,000 runs, counted as `truce batch` counts them, without files.
#[divan::bench(args = [1, 2], sample_count = 10)]
fn batch_of_1000(bencher: divan::Bencher, jobs: usize) {
    let path = std::path::Path::new(SEED_SCENARIO);
    let plan = Plan::new(path, 1, 1000, None, &[], &[], None).expect("the plan builds");
    let stop = AtomicBool::new(false);
    bencher.bench_local(|| {
        let mut stats = PointStats::default();
        runner::execute(&plan, plan.range(), jobs, &stop, |_, result| {
            stats.add(&plan.points[0], &result);
            Ok(())
        })
        .expect("the batch runs");
        stats.runs
    });
}

/// The advisor of `truce play`: 500 continuations with a move and 500 without, from
/// day 10 of a game played as Russia, on one and on two threads.
#[divan::bench(args = [1, 2], sample_count = 10)]
fn advisor_500(bencher: divan::Bencher, threads: usize) {
    use truce::play::advisor::{Position, advise};
    use truce::play::command::Command;
    use truce::play::game::Game;
    let sc = seed_scenario();
    let russia = sc.actor_ix("russia").expect("russia");
    let mut game = Game::new(sc, 1, russia);
    while game.day() < 10 {
        game.apply(Command::End).expect("the day ends");
    }
    let position = Position::of(&game);
    let moves = [Command::Pressure("azerbaijan".into(), 0.5)];
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a pool");
    bencher.bench_local(|| pool.install(|| advise(&position, &moves, 500).expect("advice")));
}

/// Loading and validating the seed scenario file.
#[divan::bench]
fn load_and_check(bencher: divan::Bencher) {
    bencher.bench(seed_scenario);
}
