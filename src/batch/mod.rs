//! `truce batch`: many seeded runs in parallel, streamed into `runs.csv`, a summary
//! and plots; what-ifs, sweeps, shards, merge and resume.

pub mod charts;
pub mod merge;
pub mod plan;
pub mod record;
pub mod replay;
pub mod runner;
pub mod sensitivity;
pub mod stats;
pub mod store;
pub mod summary;
pub mod table;
pub mod whatif;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::date::Date;
use crate::error::{Error, Result};
use plan::Plan;
use record::{Failure, PointStats, RunResult};
use store::{State, Store};
use whatif::{Set, Sweep};

/// Exit code of a batch stopped by Ctrl-C (128 + SIGINT), as shells expect.
pub const INTERRUPTED: u8 = 130;
/// Exit code of a batch stopped by SIGTERM (128 + SIGTERM), which schedulers send at
/// preemption and at time limits: its checkpoint is saved, and a retry that resumes
/// it loses nothing.
pub const TERMINATED: u8 = 143;
/// How often results reach the disk.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// How the runs of a batch, a sensitivity analysis or a calibration are played: their
/// seeds, the threads that play them, and whether progress is shown.
#[derive(Debug, Clone, Copy)]
pub struct Execution {
    /// Worker threads; `None` for one per core.
    pub jobs: Option<u16>,
    /// Run i plays with a seed derived from (seed, i).
    pub seed: u64,
    /// No progress bar or progress lines.
    pub quiet: bool,
}

/// What `truce batch` is asked to do.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The scenario file; not needed to resume.
    pub scenario: Option<PathBuf>,
    /// Runs per grid point.
    pub runs: u64,
    pub exec: Execution,
    /// Output folder; `None` for out/<scenario>-<date>-<time>.
    pub out: Option<PathBuf>,
    pub sets: Vec<Set>,
    pub sweeps: Vec<Sweep>,
    pub shard: Option<plan::Shard>,
    /// Finish the interrupted batch in this folder.
    pub resume: Option<PathBuf>,
    /// Resume `out` if it already holds this very batch, else start it there.
    pub or_resume: bool,
    /// Day limit of each run instead of the scenario's `max_turns`.
    pub max_turns: Option<u32>,
    pub plots: bool,
}

/// Runs or resumes a batch; returns the exit code.
pub fn run(args: &Settings) -> Result<u8> {
    // With --or-resume, a folder that already holds this batch is resumed.
    let resume = match (&args.resume, &args.out) {
        (Some(dir), _) => Some(dir.clone()),
        (None, Some(out)) if args.or_resume && out.join("state.json").exists() => Some(out.clone()),
        _ => None,
    };
    let (plan, mut store, mut state) = match &resume {
        Some(dir) => {
            let (store, state) = Store::open(dir)?;
            if args.resume.is_none() {
                same_batch(args, dir, &state.manifest)?;
            }
            if !state.complete() {
                state.manifest.same_model(dir, "continued")?;
            }
            let plan = Plan::from_manifest(state.manifest.clone(), args.scenario.as_deref())?;
            (plan, store, state)
        }
        None => {
            let plan = asked(args)?;
            let dir = match &args.out {
                Some(d) => d.clone(),
                None => default_dir(&plan.manifest.scenario_id),
            };
            let range = plan.range();
            let swept: Vec<String> = args.sweeps.iter().map(|s| s.path.clone()).collect();
            let mut state = State {
                manifest: plan.manifest.clone(),
                start: range.start,
                end: range.end,
                done: range.start,
                csv_bytes: 0,
                other_bytes: vec![],
                points: vec![PointStats::default(); plan.points.len()],
                failures: vec![],
            };
            let headers = state.layout().headers(plan.base(), &swept);
            let store = Store::create(&dir, &mut state, &headers)?;
            (plan, store, state)
        }
    };
    let jobs = jobs(args.exec.jobs);
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // A second Ctrl-C stops at once; the last checkpoint is still valid.
        let _ = ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(i32::from(INTERRUPTED));
            }
        });
    }
    // SIGTERM (a scheduler's preemption or time limit) stops as Ctrl-C does, once:
    // the workers finish their block and the checkpoint is written.
    let terminated = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    {
        use signal_hook::consts::SIGTERM;
        let _ = signal_hook::flag::register(SIGTERM, stop.clone());
        let _ = signal_hook::flag::register(SIGTERM, terminated.clone());
    }
    // A failing run is reported with its seed in the summary, not on the terminal.
    std::panic::set_hook(Box::new(|_| {}));

    let todo = state.end - state.done;
    let bar = progress(
        args.exec.quiet,
        state.end - state.start,
        state.done - state.start,
    );
    let started = Instant::now();
    let cpu_before = cpu_time();
    let mut last_checkpoint = Instant::now();
    let layout = state.layout();
    let mut pending = record::Rows::new(layout);
    let expected = state.end - state.start;
    let settings = plan.settings.clone();
    let range = state.done..state.end;
    let outcome = runner::execute(&plan, range, jobs, &stop, |index, result| {
        let point = plan.point_of(index);
        let seed = plan.seed_of(index);
        pending.write(
            layout,
            &plan.points[point],
            index,
            seed,
            &settings[point],
            &result,
        );
        state.points[point].add(&plan.points[point], &result);
        if let RunResult::Failed(message) = result {
            state.note_failure(Failure {
                run: index,
                seed,
                message,
            });
        }
        state.done = index + 1;
        if state.done % 64 == 0 {
            bar.set_position(state.done - state.start);
            show_rate(&bar, state.done - (state.end - todo), started);
        }
        if last_checkpoint.elapsed() >= CHECKPOINT_EVERY {
            save(&mut store, &mut state, &mut pending, &settings, expected)?;
            last_checkpoint = Instant::now();
        }
        Ok(())
    });
    let elapsed = started.elapsed();
    let cpu = cpu_time()
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    save(&mut store, &mut state, &mut pending, &settings, expected)?;
    outcome?;
    bar.finish_and_clear();
    let _ = std::panic::take_hook();

    let summary = summary::build(
        &state.manifest,
        &settings,
        &state.points,
        &state.failures,
        expected,
    );
    if args.plots {
        charts::write_all(&store.dir, &summary, &state.points)?;
    }
    let ran = state.done - (state.end - todo);
    let mut text = format!(
        "{} — {} runs{}, seed {}\n\n",
        plan.base().name,
        state.done - state.start,
        match state.manifest.shard {
            Some(s) => format!(" (shard {s})"),
            None => String::new(),
        },
        state.manifest.seed
    );
    text.push_str(&table::render(&summary));
    text.push_str(&throughput(ran, elapsed, cpu, jobs));
    text.push_str(&format!("\nOutputs in {}\n", store.dir.display()));
    crate::report::write_stdout(&text)?;
    if !state.complete() {
        let (why, code) = if terminated.load(Ordering::SeqCst) {
            ("stopped by SIGTERM", TERMINATED)
        } else {
            ("interrupted", INTERRUPTED)
        };
        eprintln!(
            "{why} after {} of {} runs; finish with: truce batch --resume {}",
            state.done - state.start,
            expected,
            store.dir.display()
        );
        return Ok(code);
    }
    Ok(0)
}

/// The batch the command line asks for (a new one, not a resume).
fn asked(args: &Settings) -> Result<Plan> {
    let path = args.scenario.as_deref().ok_or_else(|| {
        Error::bad_input("error: name a scenario file, or --resume a batch folder")
    })?;
    Plan::new(
        path,
        args.exec.seed,
        args.runs,
        args.max_turns,
        &args.sets,
        &args.sweeps,
        args.shard,
    )
}

/// Refuses `--or-resume` of a folder that holds another batch than the one asked for.
fn same_batch(args: &Settings, dir: &Path, found: &plan::Manifest) -> Result<()> {
    let asked = asked(args)?.manifest;
    if asked == *found {
        return Ok(());
    }
    Err(Error::bad_input(format!(
        "error: {} holds another batch than the one asked for (its scenario, seed, runs, \
         settings or shard differ), so --or-resume cannot continue it\n  = hint: choose \
         another --out, or `truce batch --resume {}` to finish the batch it holds",
        dir.display(),
        dir.display()
    )))
}

/// Writes the pending rows, then the state and summary that count them.
fn save(
    store: &mut Store,
    state: &mut State,
    pending: &mut record::Rows,
    settings: &[Vec<f64>],
    expected: u64,
) -> Result<()> {
    store.append(pending)?;
    state.add_table_bytes(pending);
    pending.clear();
    let summary = summary::build(
        &state.manifest,
        settings,
        &state.points,
        &state.failures,
        expected,
    );
    store.checkpoint(state, &summary)
}

/// The worker threads asked for, or one per core.
pub(crate) fn jobs(asked: Option<u16>) -> usize {
    asked.map(usize::from).unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    })
}

/// A progress bar on stderr with runs/s and the time left; hidden with `quiet`. Where
/// stderr is not a terminal (a job's log file), a plain line now and then instead.
pub(crate) fn progress(quiet: bool, total: u64, done: u64) -> ProgressBar {
    use std::io::IsTerminal;
    let target = if quiet {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    };
    let bar = ProgressBar::with_draw_target(Some(total), target);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40.cyan/blue} {pos}/{len} runs  {msg}  ETA {eta}")
    {
        bar.set_style(style);
    }
    if !quiet && !std::io::stderr().is_terminal() {
        bar.set_prefix(PLAIN);
    }
    bar.set_position(done);
    bar
}

/// The prefix that marks a bar whose progress goes to a log as plain lines.
const PLAIN: &str = "plain";

/// Seconds between two plain progress lines: `TRUCE_PROGRESS_SECONDS`, or 10.
fn plain_every() -> f64 {
    std::env::var("TRUCE_PROGRESS_SECONDS")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .unwrap_or(10.0)
}

/// Seconds since the process's first plain line was due, at the last plain line.
static LAST_PLAIN_MS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Shows the rate of the runs played since `started`; on a log, as a plain line at
/// most every `TRUCE_PROGRESS_SECONDS`.
pub(crate) fn show_rate(bar: &ProgressBar, runs: u64, started: Instant) {
    let secs = started.elapsed().as_secs_f64();
    if secs <= 0.0 {
        return;
    }
    let rate = runs as f64 / secs;
    bar.set_message(format!("{rate:.0} runs/s"));
    if bar.prefix() != PLAIN {
        return;
    }
    let now = (secs * 1000.0) as u64;
    let last = LAST_PLAIN_MS.load(Ordering::Relaxed);
    let since = now.saturating_sub(last) as f64 / 1000.0;
    if (last == 0 && secs < plain_every()) || (last != 0 && since < plain_every()) {
        return;
    }
    LAST_PLAIN_MS.store(now.max(1), Ordering::Relaxed);
    let (pos, len) = (bar.position(), bar.length().unwrap_or(0));
    let left = if rate > 0.0 {
        format!(
            ", about {:.0} s left",
            len.saturating_sub(pos) as f64 / rate
        )
    } else {
        String::new()
    };
    eprintln!(
        "progress: {pos} of {len} runs ({:.0}%), {rate:.0} runs/s{left}",
        100.0 * pos as f64 / len.max(1) as f64
    );
}

/// The closing line: wall-clock rate, CPU time a run and peak memory. The CPU time
/// a run does not depend on the number of threads, and varies less than the rate
/// on a shared machine.
fn throughput(runs: u64, elapsed: Duration, cpu: Option<Duration>, jobs: usize) -> String {
    let secs = elapsed.as_secs_f64().max(1e-9);
    let mut text = format!(
        "\n{runs} runs in {secs:.2} s: {:.0} runs/s on {jobs} thread{}",
        runs as f64 / secs,
        if jobs == 1 { "" } else { "s" }
    );
    // The clock ticks 100 times a second: too coarse for short batches.
    if let Some(cpu) = cpu.filter(|c| runs > 0 && c.as_secs() >= 1) {
        let ms = cpu.as_secs_f64() * 1000.0 / runs as f64;
        text.push_str(&format!(" ({ms:.2} ms of CPU a run)"));
    }
    if let Some(mb) = peak_memory_mb() {
        text.push_str(&format!(", peak memory {mb:.0} MB"));
    }
    text.push('\n');
    text
}

/// The CPU time the process has used, all threads together, where the system tells
/// it (Linux: user and system time from `/proc/self/stat`).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name, in parentheses, may hold spaces: count fields after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    // In clock ticks of USER_HZ, which is 100 a second on x86 and ARM.
    Some(Duration::from_millis((user + system) * 10))
}

/// The process's peak resident memory, where the system tells it (Linux).
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// `out/<scenario>-<UTC date and time>`, made unique if a batch already used it.
pub(crate) fn default_dir(scenario: &str) -> PathBuf {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let day = Date::parse("1970-01-01").map(|d| d.plus_days((now / 86_400) as i64));
    let secs = now % 86_400;
    let stamp = format!(
        "{}-{:02}{:02}{:02}",
        day.map_or_else(|| "0".into(), |d| d.to_string().replace('-', "")),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    let base = Path::new("out").join(format!("{scenario}-{stamp}"));
    let mut dir = base.clone();
    let mut k = 2;
    while dir.exists() {
        dir = PathBuf::from(format!("{}-{k}", base.display()));
        k += 1;
    }
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closing_line_gives_the_rate_and_the_cpu_time_a_run() {
        let line = throughput(
            1000,
            Duration::from_millis(500),
            Some(Duration::from_secs(2)),
            2,
        );
        assert!(line.contains("1000 runs in 0.50 s: 2000 runs/s on 2 threads"));
        assert!(line.contains("(2.00 ms of CPU a run)"));
        // Under a second of CPU the ticks are too coarse to say.
        let short = throughput(10, Duration::from_millis(5), Some(Duration::ZERO), 1);
        assert!(short.contains("2000 runs/s on 1 thread"));
        assert!(!short.contains("CPU"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn cpu_time_counts_work_done() {
        let before = cpu_time().expect("Linux reports CPU time");
        let started = Instant::now();
        let mut x = 0u64;
        while started.elapsed() < Duration::from_millis(300) {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
        }
        let after = cpu_time().expect("Linux reports CPU time");
        assert!(after > before, "{before:?} then {after:?}");
    }
}
