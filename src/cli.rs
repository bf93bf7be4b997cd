//! The command line: `truce <command> ...`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::batch::plan::{Shard, parse_shard};
use crate::batch::whatif::{Set, Sweep, parse_set, parse_sweep};

#[derive(Debug, Parser)]
#[command(
    name = "truce",
    version,
    about = "Simulate multi-party ceasefire negotiation",
    long_about = "Simulate multi-party ceasefire negotiation: parties at war, mediators and \
                  patrons, truces tabled, signed and broken, day by day.\n\n\
                  Start with:  truce run scenarios/karabakh-2020.ron --seed 1"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Colour in diagnostics: auto (on a terminal, unless NO_COLOR is set; CLICOLOR_FORCE
    /// forces it), always or never.
    #[arg(long, global = true, value_enum, default_value_t = Colour::Auto)]
    pub color: Colour,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Colour {
    Auto,
    Always,
    Never,
}

impl Colour {
    pub fn lower(self) -> crate::scenario::diagnostic::ColourChoice {
        use crate::scenario::diagnostic::ColourChoice;
        match self {
            Colour::Auto => ColourChoice::Auto,
            Colour::Always => ColourChoice::Always,
            Colour::Never => ColourChoice::Never,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Play one headless run and print its chronicle and outcome.
    Run(RunArgs),
    /// Validate scenario files and report every problem with its position.
    Check(CheckArgs),
    /// Run many seeded runs in parallel: runs.csv, summary.json, plots and a table.
    #[command(after_help = BATCH_EXAMPLES)]
    Batch(BatchArgs),
    /// Combine the shards of a batch into the outputs of the whole batch.
    Merge(MergeArgs),
    /// Vary each parameter in turn and rank them by their effect on the outcome.
    Sensitivity(SensitivityArgs),
    /// Score a scenario's runs against the record of what happened, with proper
    /// scores beside two baselines.
    Calibrate(CalibrateArgs),
    /// Score every war of a library (scenarios with a history file beside them).
    #[command(after_help = VALIDATE_EXAMPLES)]
    Validate(ValidateArgs),
    /// Fit the model's constants across a library of wars, and score wars left out.
    #[command(after_help = FIT_EXAMPLES)]
    Fit(FitArgs),
    /// Write a new, commented scenario to start from (or a renamed copy of one).
    New(NewArgs),
    /// Play a scenario in one actor's seat, in a window or (--text) in the terminal.
    #[command(after_help = PLAY_EXAMPLES)]
    Play(PlayArgs),
    /// Replay a saved game to where it stopped, exactly.
    Replay(ReplayArgs),
    /// Print a completion script for a shell (bash, zsh, fish, elvish, powershell).
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
}

const COMPLETIONS_EXAMPLES: &str = "Examples:
  truce completions bash > ~/.local/share/bash-completion/completions/truce
  truce completions zsh > ~/.zfunc/_truce
  truce completions fish > ~/.config/fish/completions/truce.fish";

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to write the script for.
    pub shell: clap_complete::Shell,
}

impl CompletionsArgs {
    /// The completion script of the whole command line for the shell asked.
    pub fn script(&self) -> String {
        use clap::CommandFactory;
        let mut out = Vec::new();
        clap_complete::generate(self.shell, &mut Cli::command(), "truce", &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }
}

const PLAY_EXAMPLES: &str = "Examples:
  truce play                                         choose a bundled scenario and a seat
  truce play scenarios/karabakh-2020.ron --as russia
  truce play scenarios/karabakh-2020.ron --as armenia --text --seed 7
  truce play --load mygame.ron
  printf 'table moscow-truce\nend\nauto\n' | truce play scenarios/karabakh-2020.ron --as russia --text";

#[derive(Debug, clap::Args)]
pub struct PlayArgs {
    /// The scenario file (RON) [default: choose among the bundled scenarios].
    #[arg(conflicts_with = "load")]
    pub scenario: Option<std::path::PathBuf>,
    /// The actor you play, by id (e.g. russia) [default: choose on screen].
    #[arg(long = "as", value_name = "ACTOR", conflicts_with = "load")]
    pub seat: Option<String>,
    /// Seed of the random generator: the same seed and commands give the same game.
    #[arg(long, default_value_t = 1, conflicts_with = "load")]
    pub seed: u64,
    /// Play in the terminal instead of a window (reads commands from stdin).
    #[arg(long)]
    pub text: bool,
    /// Resume a saved game.
    #[arg(long, value_name = "FILE")]
    pub load: Option<std::path::PathBuf>,
    /// Save the game to FILE after every day and at the end (atomically).
    #[arg(long, value_name = "FILE")]
    pub save: Option<std::path::PathBuf>,
    /// Continuations the advisor plays for each option.
    #[arg(long, value_name = "N", default_value_t = 500,
          value_parser = clap::value_parser!(u32).range(10..=100_000))]
    pub advisor_runs: u32,
    /// Window: save a screenshot to FILE (PNG) after --frames frames, then quit.
    #[arg(long, value_name = "FILE", conflicts_with = "text")]
    pub screenshot: Option<std::path::PathBuf>,
    /// Window: frames to draw before the screenshot.
    #[arg(long, value_name = "N", default_value_t = 30, requires = "screenshot",
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub frames: u32,
    /// Window: days to play before the screenshot (autoplay), to show a war under way.
    #[arg(long, value_name = "N", default_value_t = 0, requires = "screenshot")]
    pub days: u32,
    /// Window: then set the timeline N days back, showing that morning.
    #[arg(long, value_name = "N", default_value_t = 0, requires = "screenshot")]
    pub back: u32,
    /// Window: then open the compare view on two branches (e.g. of a --load save).
    #[arg(long, value_name = "A,B", requires = "screenshot", value_parser = two_branches)]
    pub compare: Option<(String, String)>,
}

/// `A,B`: two branch names.
fn two_branches(s: &str) -> std::result::Result<(String, String), String> {
    match s.split(',').map(str::trim).collect::<Vec<_>>()[..] {
        [a, b] if !a.is_empty() && !b.is_empty() => Ok((a.to_string(), b.to_string())),
        _ => Err(format!("`{s}` is not two branches: write `main,b1`")),
    }
}

impl PlayArgs {
    pub fn settings(&self) -> crate::play::Settings {
        crate::play::Settings {
            scenario: self.scenario.clone(),
            seat: self.seat.clone(),
            seed: self.seed,
            text: self.text,
            load: self.load.clone(),
            save: self.save.clone(),
            advisor_runs: self.advisor_runs,
            screenshot: self
                .screenshot
                .as_ref()
                .map(|path| crate::play::Screenshot {
                    path: path.clone(),
                    frames: self.frames,
                    days: self.days,
                    back: self.back,
                    compare: self.compare.clone(),
                }),
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// The save file (written by `save FILE` in the game).
    pub save: PathBuf,
    /// The branch to replay [default: the one being played when it was saved].
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

impl ReplayArgs {
    pub fn settings(&self) -> crate::play::ReplaySettings {
        crate::play::ReplaySettings {
            save: self.save.clone(),
            branch: self.branch.clone(),
            json: self.output.json(),
        }
    }
}

const BATCH_EXAMPLES: &str = "Examples:
  truce batch scenarios/karabakh-2020.ron --runs 10000
  truce batch scenarios/karabakh-2020.ron --set actors.turkey.capability.military=0.2
  truce batch scenarios/karabakh-2020.ron --sweep relations.russia.azerbaijan.influence=0.2..0.8:0.2
  truce batch scenarios/karabakh-2020.ron --runs 100000 --shard 3/16 --out out/shard-3
  truce batch --resume out/karabakh-2020-20261128-101500";

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  truce run scenarios/karabakh-2020.ron --seed 7
  truce run --from-batch out/karabakh-2020-20261201-101500 --run 4242")]
pub struct RunArgs {
    /// The scenario file (RON); not needed with --from-batch.
    #[arg(required_unless_present = "from_batch", conflicts_with = "from_batch")]
    pub scenario: Option<PathBuf>,
    /// Seed of the random generator: the same seed gives the same run.
    #[arg(long, default_value_t = 1, conflicts_with = "from_batch")]
    pub seed: u64,
    /// Replay run N of the batch in DIR exactly: its scenario, `--set` and swept
    /// values, seed and day limit, as the batch played it.
    #[arg(long, value_name = "DIR", requires = "run")]
    pub from_batch: Option<PathBuf>,
    /// The run of --from-batch to replay, as numbered in its runs.csv.
    #[arg(long, value_name = "N", requires = "from_batch")]
    pub run: Option<u64>,
    /// Override a number in the scenario, as `truce batch --set` does.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_set,
          conflicts_with = "from_batch")]
    pub sets: Vec<Set>,
    #[command(flatten)]
    pub output: Output,
    /// Stop after this many days instead of the scenario's `max_turns`.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000),
          conflicts_with = "from_batch")]
    pub max_turns: Option<u32>,
    /// Add each day's figures: per side the ground held, military dead, the factor it
    /// expects on its own power (its belief), its BATNA and, where the scenario declares
    /// it, its government's support at home; and the belief gap.
    #[arg(long)]
    pub daily: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Scenario files to check (and `*.history.ron` files); `-` reads a scenario from
    /// stdin.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// `text` for people; `json` for editors and scripts (positions 1-based).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print each valid scenario as the simulator reads it, with everything it
    /// `extends` merged in.
    #[arg(long, conflicts_with = "format")]
    pub merged: bool,
}

impl CheckArgs {
    pub fn settings(&self) -> crate::check::Settings {
        crate::check::Settings {
            files: self.files.clone(),
            json: self.format == Format::Json,
            merged: self.merged,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// `--format text|json` of the commands with machine output, `--json` its alias.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Output {
    /// `text` for people; `json` for programs: one JSON object.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The same as `--format json`.
    #[arg(long)]
    pub json: bool,
}

/// `--draft-when-ripe` of the commands that score wars against their records.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Drafting {
    /// Score the what-if in which each war's settlement text, where the scenario
    /// opens it on a date, is drafted when the war is ripe instead (`Ripe`): the day
    /// the war ends is then the model's, not the scenario's.
    #[arg(long)]
    pub draft_when_ripe: bool,
}

impl Output {
    pub fn json(&self) -> bool {
        self.json || self.format == Format::Json
    }
}

#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// The scenario file (RON); not needed with --resume.
    #[arg(required_unless_present = "resume")]
    pub scenario: Option<PathBuf>,
    /// Runs per grid point (per setting of the swept values).
    #[arg(long, short = 'n', default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    pub runs: u64,
    #[command(flatten)]
    pub exec: Execution,
    /// Output folder [default: out/<scenario>-<date>-<time>].
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Override a number in the scenario, e.g. actors.turkey.capability.military=0.2.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_set)]
    pub sets: Vec<Set>,
    /// Sweep a number over A..B:STEP (or V1,V2,...); several sweeps make a grid.
    #[arg(long = "sweep", value_name = "PATH=A..B:STEP", value_parser = parse_sweep)]
    pub sweeps: Vec<Sweep>,
    /// Run only shard I of N (from 0): a contiguous slice of the runs.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Finish an interrupted batch in DIR without redoing its runs.
    #[arg(long, value_name = "DIR",
          conflicts_with_all = ["runs", "seed", "out", "sets", "sweeps", "shard", "max_turns"])]
    pub resume: Option<PathBuf>,
    /// Start the batch in --out DIR, or resume it if DIR already holds this very batch
    /// (the same scenario, seed, runs, settings and shard): one command for a job that
    /// a scheduler may retry.
    #[arg(long, requires = "out", conflicts_with = "resume")]
    pub or_resume: bool,
    /// Stop each run after this many days instead of the scenario's `max_turns`.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_turns: Option<u32>,
    /// Do not draw the plots.
    #[arg(long)]
    pub no_plots: bool,
}

impl BatchArgs {
    pub fn settings(&self) -> crate::batch::Settings {
        crate::batch::Settings {
            scenario: self.scenario.clone(),
            runs: self.runs,
            exec: self.exec.lower(),
            out: self.out.clone(),
            sets: self.sets.clone(),
            sweeps: self.sweeps.clone(),
            shard: self.shard,
            resume: self.resume.clone(),
            or_resume: self.or_resume,
            max_turns: self.max_turns,
            plots: !self.no_plots,
        }
    }
}

/// How the runs of a batch, a sensitivity analysis or a calibration are played:
/// their seeds, the threads that play them, and whether progress is shown.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Execution {
    /// Worker threads [default: the number of cores].
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub jobs: Option<u16>,
    /// Batch seed: run i plays with a seed derived from (SEED, i).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The shard folders (each written by `truce batch --shard I/N`).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Folder for the merged outputs.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: PathBuf,
    /// Do not draw the plots.
    #[arg(long)]
    pub no_plots: bool,
}

impl MergeArgs {
    pub fn settings(&self) -> crate::batch::merge::Settings {
        crate::batch::merge::Settings {
            dirs: self.dirs.clone(),
            out: self.out.clone(),
            plots: !self.no_plots,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct SensitivityArgs {
    /// The scenario file (RON).
    pub scenario: PathBuf,
    /// Runs per setting (the same seeds for every setting).
    #[arg(long, short = 'n', default_value_t = 500,
          value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub runs: u64,
    /// Paths whose numbers are varied, e.g. model or actors.turkey (repeatable).
    #[arg(long = "param", value_name = "PATH", default_value = "model")]
    pub params: Vec<String>,
    /// How far each number is moved down and up, as a fraction of its value.
    #[arg(long, default_value_t = 0.25, value_parser = parse_spread)]
    pub spread: f64,
    #[command(flatten)]
    pub exec: Execution,
    /// Output folder [default: out/<scenario>-sensitivity-<date>-<time>].
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Parameters listed in the table (all are in the files).
    #[arg(long, default_value_t = 20)]
    pub top: usize,
}

impl SensitivityArgs {
    pub fn settings(&self) -> crate::batch::sensitivity::Settings {
        crate::batch::sensitivity::Settings {
            scenario: self.scenario.clone(),
            runs: self.runs,
            params: self.params.clone(),
            spread: self.spread,
            exec: self.exec.lower(),
            out: self.out.clone(),
            top: self.top,
        }
    }
}

fn parse_start(s: &str) -> Result<(String, f64), String> {
    let bad = || format!("expected NAME=VALUE with a positive number, like lambda=25; got `{s}`");
    let (name, value) = s.split_once('=').ok_or_else(bad)?;
    match value.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok((name.trim().to_string(), v)),
        _ => Err(bad()),
    }
}

fn parse_spread(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v < 1.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is not a fraction between 0 and 1 (like 0.25)"
        )),
    }
}

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// The scenario file (RON).
    pub scenario: PathBuf,
    /// The history file [default: the scenario's name with .history.ron].
    #[arg(long, value_name = "FILE")]
    pub against: Option<PathBuf>,
    /// Runs to score.
    #[arg(long, short = 'n', default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub runs: u64,
    /// Score a what-if: override a number in the scenario, as `truce batch --set`.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_set)]
    pub sets: Vec<Set>,
    #[command(flatten)]
    pub drafting: Drafting,
    #[command(flatten)]
    pub exec: Execution,
    #[command(flatten)]
    pub output: Output,
}

impl CalibrateArgs {
    pub fn settings(&self) -> crate::validation::calibrate::Settings {
        crate::validation::calibrate::Settings {
            scenario: self.scenario.clone(),
            against: self.against.clone(),
            runs: self.runs,
            sets: self.sets.clone(),
            exec: self.exec.lower(),
            json: self.output.json(),
            draft_when_ripe: self.drafting.draft_when_ripe,
        }
    }
}

impl Execution {
    /// The execution settings the validation commands take.
    pub fn lower(&self) -> crate::batch::Execution {
        crate::batch::Execution {
            jobs: self.jobs,
            seed: self.seed,
            quiet: self.quiet,
        }
    }
}

const VALIDATE_EXAMPLES: &str = "Examples:
  truce validate scenarios/
  truce validate scenarios/ --runs 2000 --seed 7
  truce validate scenarios/ --draft-when-ripe       the day each war ends left to the model
  truce validate scenarios/ --json | jq '.wars[] | {scenario, skill_uninformed}'";

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// The folder of wars: each scenario `x.ron` with its record `x.history.ron`.
    pub dir: PathBuf,
    /// Runs of each war (the same seeds for each).
    #[arg(long, short = 'n', default_value_t = 400,
          value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub runs: u64,
    #[command(flatten)]
    pub drafting: Drafting,
    #[command(flatten)]
    pub exec: Execution,
    #[command(flatten)]
    pub output: Output,
}

impl ValidateArgs {
    pub fn settings(&self) -> crate::validation::validate::Settings {
        crate::validation::validate::Settings {
            dir: self.dir.clone(),
            runs: self.runs,
            exec: self.exec.lower(),
            json: self.output.json(),
            draft_when_ripe: self.drafting.draft_when_ripe,
        }
    }
}

const FIT_EXAMPLES: &str = "Examples:
  truce fit scenarios/                              fit on every war, score in sample
  truce fit scenarios/ --leave-out lebanon-2006     fit on the others, score the one left out
  truce fit scenarios/ --each                       every fold of leave-one-out
  truce fit scenarios/ --param lambda,signing_cost --runs 100";

#[derive(Debug, clap::Args)]
pub struct FitArgs {
    /// The folder of wars: each scenario `x.ron` with its record `x.history.ron`.
    pub dir: PathBuf,
    /// Fit on every war but this one (by scenario id) and score it.
    #[arg(long, value_name = "WAR", conflicts_with = "each")]
    pub leave_out: Option<String>,
    /// Every fold of leave-one-out, after the fit on all wars.
    #[arg(long)]
    pub each: bool,
    /// Runs of each war per evaluation (the same seeds for every evaluation).
    #[arg(long, short = 'n', default_value_t = 100,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub runs: u64,
    /// Rounds of the search over all constants.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub rounds: u32,
    /// Constants to fit (repeatable, or comma-separated) [default: the ten that matter most].
    #[arg(long = "param", value_name = "NAME")]
    pub params: Vec<String>,
    /// Start the search at VALUE for constant NAME instead of its default (repeatable).
    #[arg(long = "start", value_name = "NAME=VALUE", value_parser = parse_start)]
    pub start: Vec<(String, f64)>,
    #[command(flatten)]
    pub drafting: Drafting,
    #[command(flatten)]
    pub exec: Execution,
    #[command(flatten)]
    pub output: Output,
}

impl FitArgs {
    pub fn settings(&self) -> crate::validation::fit::Settings {
        crate::validation::fit::Settings {
            dir: self.dir.clone(),
            leave_out: self.leave_out.clone(),
            each: self.each,
            runs: self.runs,
            rounds: self.rounds,
            params: self.params.clone(),
            start: self.start.clone(),
            exec: self.exec.lower(),
            json: self.output.json(),
            draft_when_ripe: self.drafting.draft_when_ripe,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The new scenario's id: lower-case letters, digits and dashes.
    pub name: String,
    /// Start from a copy of this scenario instead of the template.
    #[arg(long, value_name = "SCENARIO")]
    pub from: Option<PathBuf>,
    /// Where to write it [default: scenarios/NAME.ron, or NAME.ron without a scenarios folder].
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl NewArgs {
    pub fn settings(&self) -> crate::scaffold::Settings {
        crate::scaffold::Settings {
            name: self.name.clone(),
            from: self.from.clone(),
            out: self.out.clone(),
        }
    }
}
