//! What a batch runs: the scenario, its what-if settings and grid, the seeds, and
//! the slice of runs this process does. The manifest is saved with the outputs so
//! that a batch can be resumed and its shards merged.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::whatif::{self, Set, Sweep};
use crate::error::{Error, Result};
use crate::scenario::{self, Compiled};

/// The output format of new batches. Format 2 draws every run's seed below 2^53, so
/// that a seed read from `runs.csv` by a tool that keeps numbers as doubles (R,
/// spreadsheets, jq, older polars) still replays the run. Format 3 writes the per-side
/// figures in the long `sides.csv` and the guarantors in `guarantors.csv` rather than
/// in columns named after the scenario's actors. Format 4 adds to `runs.csv` the
/// counts of what happened in each run: captures, handovers, breaches of a truce,
/// unilateral ceasefires, changes of leader and repudiations. Batches of earlier
/// formats still resume and merge as they were written.
pub const FORMAT: u32 = 4;

/// Everything that fixes a batch's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Version of the output format.
    pub format: u32,
    /// The scenario file, as an absolute path.
    pub scenario: PathBuf,
    pub scenario_id: String,
    /// FNV-1a digest of the scenario text: a changed file is refused on resume.
    pub digest: String,
    pub seed: u64,
    /// Runs per grid point.
    pub runs: u64,
    pub max_turns: Option<u32>,
    pub sets: Vec<String>,
    pub sweeps: Vec<SweepSpec>,
    pub shard: Option<Shard>,
    /// Digest of the model's default constants in the truce that started the batch:
    /// runs played by a truce with other defaults would not be the same batch.
    /// Empty for batches written before it was kept.
    #[serde(default)]
    pub model: String,
}

/// The digest of this build's default model constants.
pub fn model_digest() -> String {
    digest(&format!(
        "{:?}",
        crate::scenario::schema::ModelParams::default()
    ))
}

impl Manifest {
    /// Refuses to play more runs of a batch begun by a truce whose model constants
    /// differ from this one's, which would mix two models in one batch.
    pub fn same_model(&self, dir: &Path, doing: &str) -> Result<()> {
        if self.model == model_digest() {
            return Ok(());
        }
        Err(Error::bad_input(format!(
            "error: the batch in {} was begun by a version of truce whose model constants \
             differ from this one's, so its runs cannot be {doing} with this version\n  = \
             hint: use the version that began it, or start a new batch",
            dir.display()
        )))
    }

    /// `runs` runs of the scenario loaded from `path`: no what-ifs, no shards.
    pub fn new(path: &Path, loaded: &scenario::Loaded, seed: u64, runs: u64) -> Manifest {
        Manifest {
            format: FORMAT,
            scenario: std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
            scenario_id: loaded.compiled.id.clone(),
            digest: digest(&loaded.source),
            seed,
            runs,
            max_turns: None,
            sets: vec![],
            sweeps: vec![],
            shard: None,
            model: model_digest(),
        }
    }

    /// The sweeps, as `whatif` takes them.
    pub fn sweeps(&self) -> Vec<Sweep> {
        self.sweeps
            .iter()
            .map(|s| Sweep {
                path: s.path.clone(),
                values: s.values.clone(),
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSpec {
    pub path: String,
    pub values: Vec<f64>,
}

/// Shard `index` of `count` (from 0): a contiguous slice of the runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Parses `I/N` (a clap value parser).
pub fn parse_shard(s: &str) -> std::result::Result<Shard, String> {
    let bad = || format!("expected --shard I/N with 0 <= I < N, like 3/16; got `{s}`");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (index, count) = (
        i.trim().parse::<u64>().map_err(|_| bad())?,
        n.trim().parse::<u64>().map_err(|_| bad())?,
    );
    if count == 0 || index >= count {
        return Err(bad());
    }
    Ok(Shard { index, count })
}

/// A batch ready to run: the manifest and one compiled scenario per grid point.
pub struct Plan {
    pub manifest: Manifest,
    pub points: Vec<Arc<Compiled>>,
    /// The settings of each grid point, in sweep order.
    pub settings: Vec<Vec<f64>>,
}

impl Plan {
    /// Loads the scenario, applies the what-ifs and checks every grid point.
    pub fn new(
        path: &Path,
        seed: u64,
        runs: u64,
        max_turns: Option<u32>,
        sets: &[Set],
        sweeps: &[Sweep],
        shard: Option<Shard>,
    ) -> Result<Plan> {
        let loaded = scenario::load(path)?;
        let manifest = Manifest {
            max_turns,
            sets: sets.iter().map(Set::to_string).collect(),
            sweeps: sweeps
                .iter()
                .map(|s| SweepSpec {
                    path: s.path.clone(),
                    values: s.values.clone(),
                })
                .collect(),
            shard,
            ..Manifest::new(path, &loaded, seed, runs)
        };
        Plan::from_loaded(manifest, &loaded, path)
    }

    /// Rebuilds the plan of a saved manifest (resume, merge), refusing a scenario
    /// file that changed since.
    pub fn from_manifest(manifest: Manifest, scenario_file: Option<&Path>) -> Result<Plan> {
        let path = scenario_file.unwrap_or(&manifest.scenario).to_path_buf();
        let loaded = scenario::load(&path)?;
        if digest(&loaded.source) != manifest.digest {
            let extended = match loaded.parents.as_slice() {
                [] => String::new(),
                files => format!(
                    " (or {}, which it extends)",
                    files
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            return Err(Error::bad_input(format!(
                "error: {}{extended} has changed since the batch started, so its runs cannot \
                 be continued or combined\n  = hint: restore the file as it was, or start a new batch",
                path.display()
            )));
        }
        Plan::from_loaded(manifest, &loaded, &path)
    }

    /// The plan of `manifest` for a scenario already loaded from `path`.
    pub fn from_loaded(manifest: Manifest, loaded: &scenario::Loaded, path: &Path) -> Result<Plan> {
        let file = path.display().to_string();
        let sets = manifest
            .sets
            .iter()
            .map(|s| whatif::parse_set(s).map_err(Error::bad_input))
            .collect::<Result<Vec<_>>>()?;
        let grid = whatif::grid(&manifest.sweeps())?;
        let mut points = Vec::with_capacity(grid.len());
        let mut settings = Vec::with_capacity(grid.len());
        for point in grid {
            let all: Vec<Set> = sets.iter().cloned().chain(point.iter().cloned()).collect();
            let mut compiled = whatif::apply(&file, loaded, &all)?.compiled;
            if let Some(n) = manifest.max_turns {
                compiled.max_turns = n;
            }
            points.push(Arc::new(compiled));
            settings.push(point.iter().map(|s| s.value).collect());
        }
        Ok(Plan {
            manifest,
            points,
            settings,
        })
    }

    /// Runs over all grid points, before sharding.
    pub fn total(&self) -> u64 {
        self.manifest.runs * self.points.len() as u64
    }

    /// The run indices this process does.
    pub fn range(&self) -> std::ops::Range<u64> {
        shard_range(self.total(), self.manifest.shard)
    }

    /// The grid point of run `index`.
    pub fn point_of(&self, index: u64) -> usize {
        (index / self.manifest.runs) as usize
    }

    /// The seed of run `index`: it depends on the batch seed and the run's number
    /// within its grid point only, so every grid point sees the same seeds (common
    /// random numbers) and no result depends on threads or scheduling.
    pub fn seed_of(&self, index: u64) -> u64 {
        let seed = run_seed(self.manifest.seed, index % self.manifest.runs);
        if self.manifest.format >= 2 {
            seed >> 11
        } else {
            seed
        }
    }

    pub fn base(&self) -> &Compiled {
        &self.points[0]
    }
}

/// The swept values of every grid point, in grid order.
pub fn settings(manifest: &Manifest) -> Result<Vec<Vec<f64>>> {
    Ok(whatif::grid(&manifest.sweeps())?
        .iter()
        .map(|point| point.iter().map(|s| s.value).collect())
        .collect())
}

/// The slice of `0..total` that a shard covers.
pub fn shard_range(total: u64, shard: Option<Shard>) -> std::ops::Range<u64> {
    match shard {
        None => 0..total,
        Some(Shard { index, count }) => {
            let cut = |i: u64| (u128::from(total) * u128::from(i) / u128::from(count)) as u64;
            cut(index)..cut(index + 1)
        }
    }
}

/// SplitMix64 of the batch seed and the run number.
pub fn run_seed(seed: u64, run: u64) -> u64 {
    splitmix(seed ^ splitmix(run.wrapping_add(0x9e37_79b9_7f4a_7c15)))
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a of a text, as 16 hex digits.
pub fn digest(text: &str) -> String {
    let h = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_the_runs_once() {
        let mut next = 0;
        for index in 0..7 {
            let r = shard_range(1000, Some(Shard { index, count: 7 }));
            assert_eq!(r.start, next);
            next = r.end;
        }
        assert_eq!(next, 1000);
        assert_eq!(shard_range(5, None), 0..5);
        assert!(parse_shard("3/3").is_err());
        assert_eq!(parse_shard("0/2"), Ok(Shard { index: 0, count: 2 }));
    }

    #[test]
    fn new_batches_draw_seeds_that_a_double_holds_exactly() {
        let mut m = Manifest {
            format: FORMAT,
            scenario: PathBuf::new(),
            scenario_id: String::new(),
            digest: String::new(),
            seed: 1,
            runs: 1000,
            max_turns: None,
            sets: vec![],
            sweeps: vec![],
            shard: None,
            model: model_digest(),
        };
        let plan = |m: &Manifest| Plan {
            manifest: m.clone(),
            points: vec![],
            settings: vec![],
        };
        let new = plan(&m);
        assert!((0..1000).all(|i| new.seed_of(i) < 1 << 53));
        assert!((0..1000).all(|i| (new.seed_of(i) as f64) as u64 == new.seed_of(i)));
        // A batch of format 1 keeps its full 64-bit seeds, so that it resumes as it began.
        m.format = 1;
        let old = plan(&m);
        assert!((0..1000).any(|i| old.seed_of(i) >= 1 << 53));
        assert_eq!(old.seed_of(5), run_seed(1, 5));
    }

    #[test]
    fn seeds_differ_by_run_and_batch_seed() {
        assert_ne!(run_seed(1, 0), run_seed(1, 1));
        assert_ne!(run_seed(1, 0), run_seed(2, 0));
        assert_eq!(run_seed(7, 42), run_seed(7, 42));
    }
}
