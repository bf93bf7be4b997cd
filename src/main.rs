use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;

use truce::cli::{CheckArgs, Cli, Command, RunArgs};
use truce::error::{Error, Result};
use truce::report::write_stdout;
use truce::{batch, report, scenario, sim};

// Batches allocate many small, short-lived buffers; mimalloc serves them faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.code as u8)
        }
    }
}

fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Run(args) => run_one(&args).map(|()| 0),
        Command::Check(args) => check(&args),
        Command::Batch(args) => batch::run(&args),
        Command::Merge(args) => batch::merge::run(&args),
        Command::Sensitivity(args) => batch::sensitivity::run(&args),
        Command::Calibrate(args) => batch::calibrate::run(&args),
    }
}

fn run_one(args: &RunArgs) -> Result<()> {
    let loaded = scenario::load(&args.scenario)?;
    let mut compiled = loaded.compiled;
    if let Some(n) = args.max_turns {
        compiled.max_turns = n;
    }
    let mut sim = sim::Simulation::new(Arc::new(compiled), args.seed);
    let outcome = sim.run_to_end();
    let text = if args.json {
        let mut s = serde_json::to_string_pretty(&outcome)
            .map_err(|e| Error::runtime(format!("cannot write JSON: {e}")))?;
        s.push('\n');
        s
    } else {
        report::text(&outcome, sim.scenario())
    };
    write_stdout(&text)
}

fn check(args: &CheckArgs) -> Result<u8> {
    let mut failed = 0;
    let mut out = String::new();
    let mut err = String::new();
    for file in &args.files {
        // History files (for `truce calibrate`) live beside the scenarios.
        if batch::calibrate::is_history(file) {
            match batch::calibrate::check_history(file) {
                Ok(text) => out.push_str(&format!("{}: {text}\n", file.display())),
                Err(e) => {
                    failed += 1;
                    err.push_str(&e.message);
                    err.push('\n');
                }
            }
            continue;
        }
        match scenario::load(file) {
            Ok(loaded) => {
                let c = &loaded.compiled;
                out.push_str(&format!(
                    "{}: ok ({} actors, {} issues, {} regions, {} proposals, {} events)\n",
                    file.display(),
                    c.actors.len(),
                    c.issues.len(),
                    c.regions.len(),
                    c.proposals.len(),
                    c.events.len()
                ));
            }
            Err(e) => {
                failed += 1;
                err.push_str(&e.to_string());
                err.push('\n');
            }
        }
    }
    write_stdout(&out)?;
    if failed > 0 {
        eprint!("{err}");
        return Err(Error::bad_input(format!(
            "{failed} of {} file{} failed the check",
            args.files.len(),
            if args.files.len() == 1 { "" } else { "s" }
        )));
    }
    Ok(0)
}
