//! The command line: `truce <command> ...`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Play one headless run and print its chronicle and outcome.
    Run(RunArgs),
    /// Validate scenario files and report every problem with its position.
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario file (RON).
    pub scenario: PathBuf,
    /// Seed of the random generator: the same seed gives the same run.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object instead of the chronicle.
    #[arg(long)]
    pub json: bool,
    /// Stop after this many days instead of the scenario's `max_turns`.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_turns: Option<u32>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Scenario files to check.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}
