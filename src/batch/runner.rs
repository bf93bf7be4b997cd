//! Runs in parallel, results in order.
//!
//! Worker threads of a rayon pool take runs in small blocks from a shared counter;
//! each keeps one `Simulation` (one World and Schedule) and resets it between runs,
//! and every run is single-threaded inside. The calling thread receives the blocks,
//! puts them back in run order and hands them on, so that what is written and
//! counted never depends on the number of threads or on scheduling.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;

use super::plan::Plan;
use super::record::RunResult;
use crate::error::{Error, Result};
use crate::sim::Simulation;

/// Runs a worker takes at a time: few enough to keep the threads balanced, enough
/// to keep the shared counter and the channel quiet.
const BLOCK: u64 = 16;
/// Blocks that may wait in the channel: bounds memory if the writer falls behind.
const IN_FLIGHT: usize = 256;

/// Plays runs `range` of `plan` on `jobs` threads and calls `sink` with each result
/// in run order. Stops early, after a whole block, once `stop` is set.
pub fn execute(
    plan: &Plan,
    range: std::ops::Range<u64>,
    jobs: usize,
    stop: &AtomicBool,
    mut sink: impl FnMut(u64, RunResult) -> Result<()>,
) -> Result<()> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("truce-run-{i}"))
        .build()
        .map_err(|e| Error::runtime(format!("error: cannot start worker threads: {e}")))?;
    let next = AtomicU64::new(range.start);
    let end = range.end;
    let (tx, rx) = mpsc::sync_channel::<Vec<(u64, RunResult)>>(IN_FLIGHT);
    let mut outcome = Ok(());
    pool.in_place_scope(|scope| {
        for _ in 0..jobs {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move |_| {
                let mut sim: Option<Simulation> = None;
                while !stop.load(Ordering::Relaxed) {
                    let first = next.fetch_add(BLOCK, Ordering::Relaxed);
                    if first >= end {
                        break;
                    }
                    let block = (first..(first + BLOCK).min(end))
                        .map(|i| (i, run_one(plan, &mut sim, i)))
                        .collect();
                    if tx.send(block).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Blocks arrive in any order; hand them on in run order.
        let mut waiting: BTreeMap<u64, Vec<(u64, RunResult)>> = BTreeMap::new();
        let mut expected = range.start;
        for block in rx {
            if outcome.is_err() {
                continue;
            }
            waiting.insert(block[0].0, block);
            while let Some(block) = waiting.remove(&expected) {
                expected += block.len() as u64;
                for (i, result) in block {
                    if let Err(e) = sink(i, result) {
                        // Stop the workers; keep draining so that they can finish.
                        stop.store(true, Ordering::Relaxed);
                        outcome = Err(e);
                        break;
                    }
                }
                if outcome.is_err() {
                    break;
                }
            }
        }
    });
    outcome
}

/// Plays run `index`, reusing the worker's simulation; a panic becomes a failed run.
fn run_one(plan: &Plan, slot: &mut Option<Simulation>, index: u64) -> RunResult {
    let scenario = &plan.points[plan.point_of(index)];
    let seed = plan.seed_of(index);
    let result = catch_unwind(AssertUnwindSafe(|| {
        let sim = match slot {
            Some(sim) if Arc::ptr_eq(sim.scenario(), scenario) => {
                sim.reset(seed);
                sim
            }
            Some(sim) => {
                sim.reset_with(scenario.clone(), seed);
                sim
            }
            None => {
                let mut sim = Simulation::new(scenario.clone(), seed);
                // A batch keeps the tally only: no news, no daily record.
                sim.set_quiet(true);
                slot.insert(sim)
            }
        };
        while sim.step() {}
        sim.tally()
    }));
    match result {
        Ok(tally) => RunResult::Done(tally),
        Err(payload) => {
            // The world may be half-updated: start the next run from a fresh one.
            *slot = None;
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "the run panicked".into());
            RunResult::Failed(message)
        }
    }
}
