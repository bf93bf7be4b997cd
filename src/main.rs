use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;

use truce::cli::{Cli, Command, RunArgs};
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
            eprintln!("{}", with_prefix(&e.to_string()));
            ExitCode::from(e.code as u8)
        }
    }
}

/// Every error reaches the user with one `error:` prefix, whether or not its message
/// (a rendered diagnostic, in colour or not) brings its own.
fn with_prefix(text: &str) -> String {
    // Colour comes as escape sequences `ESC [ ... m` before the word.
    let mut bare = text;
    while let Some(rest) = bare.strip_prefix("\x1b[") {
        bare = rest.split_once('m').map_or("", |(_, after)| after);
    }
    if bare.starts_with("error") {
        text.to_string()
    } else {
        format!("error: {text}")
    }
}

fn run(cli: Cli) -> Result<u8> {
    truce::scenario::diagnostic::choose_colour(cli.color.lower());
    match cli.command {
        Command::Run(args) => run_one(&args).map(|()| 0),
        Command::Check(args) => truce::check::run(&args.settings()),
        Command::Batch(args) => batch::run(&args.settings()),
        Command::Merge(args) => batch::merge::run(&args.settings()),
        Command::Sensitivity(args) => batch::sensitivity::run(&args.settings()),
        Command::Calibrate(args) => truce::validation::calibrate::run(&args.settings()),
        Command::Validate(args) => truce::validation::validate::run(&args.settings()),
        Command::Fit(args) => truce::validation::fit::run(&args.settings()),
        Command::New(args) => truce::scaffold::run(&args.settings()),
        Command::Play(args) => truce::play::run(&args.settings()),
        Command::Replay(args) => truce::play::replay(&args.settings()),
        Command::Completions(args) => write_stdout(&args.script()).map(|()| 0),
    }
}

fn run_one(args: &RunArgs) -> Result<()> {
    let (compiled, seed) = match (&args.from_batch, &args.scenario) {
        (Some(dir), _) => batch::replay::run_of(dir, args.run.unwrap_or(0))?,
        (None, Some(path)) => {
            let loaded = scenario::load(path)?;
            let file = path.display().to_string();
            let mut compiled = batch::whatif::apply(&file, &loaded, &args.sets)?.compiled;
            if let Some(n) = args.max_turns {
                compiled.max_turns = n;
            }
            (Arc::new(compiled), args.seed)
        }
        (None, None) => {
            return Err(Error::bad_input(
                "error: name a scenario file, or a batch with --from-batch DIR --run N",
            ));
        }
    };
    let mut sim = sim::Simulation::new(compiled, seed);
    let mut outcome = sim.run_to_end();
    if args.daily {
        outcome.days = Some(sim.days());
    }
    let text = if args.output.json() {
        let mut s = serde_json::to_string_pretty(&outcome)
            .map_err(|e| Error::runtime(format!("cannot write JSON: {e}")))?;
        s.push('\n');
        s
    } else {
        report::text(&outcome, sim.scenario())
    };
    write_stdout(&text)
}
