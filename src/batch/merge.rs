//! `truce merge`: the shards of one batch, run anywhere, combined into the outputs
//! the unsharded batch would have written.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use super::plan::{self, Manifest};
use super::record::{Layout, PointStats};
use super::store::{self, State};
use super::{charts, summary, table};
use crate::atomic;
use crate::error::{Error, Result};

/// What `truce merge` is asked to do.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The shard folders, each written by `truce batch --shard I/N`.
    pub dirs: Vec<PathBuf>,
    /// The new folder for the merged outputs.
    pub out: PathBuf,
    pub plots: bool,
}

pub fn run(args: &Settings) -> Result<u8> {
    let mut shards: Vec<(PathBuf, State)> = args
        .dirs
        .iter()
        .map(|d| Ok((d.clone(), store::read_state(d)?)))
        .collect::<Result<_>>()?;
    let manifest = check(&mut shards)?;
    let settings = plan::settings(&manifest)?;
    let total = shards.last().map_or(0, |(_, s)| s.end);

    let out = &args.out;
    store::new_folder(out, "merge into a new folder")?;

    let mut points = vec![PointStats::default(); settings.len()];
    let mut failures = vec![];
    for (_, s) in &shards {
        for (into, from) in points.iter_mut().zip(&s.points) {
            into.merge(from);
        }
        failures.extend(s.failures.iter().cloned());
    }
    failures.sort_by_key(|f| f.run);
    failures.truncate(store::MAX_FAILURES_KEPT);
    let layout = Layout::of_format(manifest.format);
    let bytes = layout
        .tables()
        .iter()
        .enumerate()
        .map(|(t, name)| concat_table(&shards, t, name, out))
        .collect::<Result<Vec<u64>>>()?;

    let state = State {
        manifest: manifest.clone(),
        start: 0,
        end: total,
        done: total,
        csv_bytes: bytes[0],
        other_bytes: bytes[1..].to_vec(),
        points,
        failures,
    };
    let path = out.join(store::STATE);
    let text = serde_json::to_vec(&state)
        .map_err(|e| Error::runtime(format!("cannot encode the batch state: {e}")))?;
    atomic::write(&path, &text)
        .map_err(|e| Error::runtime(format!("error: cannot write {}: {e}", path.display())))?;
    let summary = summary::build(&manifest, &settings, &state.points, &state.failures, total);
    store::write_summary(out, &summary)?;
    if args.plots {
        charts::write_all(out, &summary, &state.points)?;
    }
    let mut text = format!(
        "{} — {} runs merged from {} shard{}, seed {}\n\n",
        manifest.scenario_id,
        total,
        shards.len(),
        if shards.len() == 1 { "" } else { "s" },
        manifest.seed
    );
    text.push_str(&table::render(&summary));
    text.push_str(&format!("\nOutputs in {}\n", out.display()));
    crate::report::write_stdout(&text)?;
    Ok(0)
}

/// The shards must be complete slices of one batch that together cover it once.
/// Sorts them by their first run; returns the unsharded batch's manifest.
fn check(shards: &mut [(PathBuf, State)]) -> Result<Manifest> {
    let bad = |msg: String| Error::bad_input(format!("error: {msg}"));
    let Some((first_dir, first)) = shards.first() else {
        return Err(bad("name the shard folders to merge".into()));
    };
    let first_dir = first_dir.clone();
    let count = first.manifest.shard.map_or(1, |s| s.count);
    let mut manifest = first.manifest.clone();
    manifest.shard = None;
    for (dir, s) in shards.iter() {
        let mut m = s.manifest.clone();
        m.shard = None;
        if m != manifest {
            return Err(bad(format!(
                "{} is a shard of another batch than {} (scenario, seed, runs, \
                 --set or --sweep differ)",
                dir.display(),
                first_dir.display()
            )));
        }
        if !s.complete() {
            return Err(bad(format!(
                "{} is not finished ({} of {} runs); complete it with \
                 `truce batch --resume {}`",
                dir.display(),
                s.done - s.start,
                s.end - s.start,
                dir.display()
            )));
        }
    }
    shards.sort_by_key(|(_, s)| s.start);
    let mut next = 0;
    for (dir, s) in shards.iter() {
        if s.start != next {
            let what = if s.start < next {
                format!(
                    "{} overlaps another shard (is one named twice?)",
                    dir.display()
                )
            } else {
                format!(
                    "runs {next} to {} are in none of the shards given",
                    s.start - 1
                )
            };
            return Err(bad(what));
        }
        next = s.end;
    }
    let total = manifest.runs * plan::settings(&manifest)?.len() as u64;
    if next != total {
        return Err(bad(format!(
            "runs {next} to {} are in none of the shards given (the batch was cut in {count})",
            total - 1
        )));
    }
    Ok(manifest)
}

/// Writes table `t` (`name`) of the shards one after the other under one header, into
/// `dir`; returns the length written.
fn concat_table(shards: &[(PathBuf, State)], t: usize, name: &str, dir: &Path) -> Result<u64> {
    let to = &dir.join(name);
    let tmp = to.with_extension("csv.partial");
    let io = |p: &Path, e: std::io::Error| {
        Error::runtime(format!("error: cannot copy {}: {e}", p.display()))
    };
    let mut out = std::io::BufWriter::new(File::create(&tmp).map_err(|e| io(&tmp, e))?);
    let mut written = 0u64;
    for (k, (dir, s)) in shards.iter().enumerate() {
        let path = dir.join(name);
        let file = File::open(&path).map_err(|e| io(&path, e))?;
        // Only the rows a checkpoint vouches for.
        let mut reader = BufReader::new(std::io::Read::take(file, s.table_bytes()[t]));
        let mut line = String::new();
        let mut first = true;
        loop {
            line.clear();
            let n = reader.read_line(&mut line).map_err(|e| io(&path, e))?;
            if n == 0 {
                break;
            }
            if first && k > 0 {
                first = false;
                continue;
            }
            first = false;
            out.write_all(line.as_bytes()).map_err(|e| io(to, e))?;
            written += n as u64;
        }
    }
    out.flush().map_err(|e| io(to, e))?;
    drop(out);
    std::fs::rename(&tmp, to).map_err(|e| io(to, e))?;
    Ok(written)
}
