//! Benchmarks of the simulation on the seed scenario: one turn, one whole run.
//! Run with `cargo bench`; figures are quoted in the README.

use std::sync::Arc;

use truce::scenario::{self, Compiled};
use truce::sim::Simulation;

fn main() {
    divan::main();
}

fn seed_scenario() -> Arc<Compiled> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/karabakh-2020.ron");
    let loaded = scenario::load(std::path::Path::new(path)).expect("seed scenario loads");
    Arc::new(loaded.compiled)
}

/// One day of the seed scenario, from day 5 of a run.
#[divan::bench]
fn one_turn(bencher: divan::Bencher) {
    let sc = seed_scenario();
    let mut sim = Simulation::new(sc, 1);
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

/// A whole run of the seed scenario, reusing the world as the batch runner does.
#[divan::bench]
fn whole_run(bencher: divan::Bencher) {
    let sc = seed_scenario();
    let mut sim = Simulation::new(sc, 0);
    let mut seed = 0;
    bencher.bench_local(|| {
        seed += 1;
        sim.reset(seed);
        sim.run_to_end().turns
    });
}

/// Loading and validating the seed scenario file.
#[divan::bench]
fn load_and_check(bencher: divan::Bencher) {
    bencher.bench(seed_scenario);
}
