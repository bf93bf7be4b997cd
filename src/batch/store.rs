//! The batch's folder: `runs.csv` appended as runs finish, `state.json` (the counts
//! and the point reached, for `--resume` and `merge`) and `summary.json` replaced
//! atomically at every checkpoint, so that a killed batch leaves valid files.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::plan::Manifest;
use super::record::{Failure, Layout, PointStats, Rows};
use super::summary::Summary;
use crate::atomic;
use crate::error::{Error, Result};

/// Most failures kept by name; the rest are only counted.
pub const MAX_FAILURES_KEPT: usize = 100;

pub const STATE: &str = "state.json";
pub const RUNS: &str = "runs.csv";
pub const SUMMARY: &str = "summary.json";

/// Where a batch stands: enough to resume it or merge it with its other shards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub manifest: Manifest,
    /// The runs of this shard: `start..end`; those before `done` are counted.
    pub start: u64,
    pub end: u64,
    pub done: u64,
    /// Length of `runs.csv` holding exactly the runs before `done`.
    pub csv_bytes: u64,
    /// The same for the layout's other tables (`sides.csv`, `guarantors.csv`), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_bytes: Vec<u64>,
    pub points: Vec<PointStats>,
    pub failures: Vec<Failure>,
}

impl State {
    pub fn complete(&self) -> bool {
        self.done == self.end
    }

    pub fn layout(&self) -> Layout {
        Layout::of_format(self.manifest.format)
    }

    /// The checkpointed length of each table of the layout, `runs.csv` first.
    pub fn table_bytes(&self) -> Vec<u64> {
        std::iter::once(self.csv_bytes)
            .chain(self.other_bytes.iter().copied())
            .collect()
    }

    fn set_table_bytes(&mut self, bytes: &[u64]) {
        self.csv_bytes = bytes[0];
        self.other_bytes = bytes[1..].to_vec();
    }

    /// Counts rows written after the checkpoint.
    pub fn add_table_bytes(&mut self, rows: &Rows) {
        let mut bytes = self.table_bytes();
        for (b, t) in bytes.iter_mut().zip(&rows.tables) {
            *b += t.len() as u64;
        }
        self.set_table_bytes(&bytes);
    }

    pub fn note_failure(&mut self, f: Failure) {
        if self.failures.len() < MAX_FAILURES_KEPT {
            self.failures.push(f);
        }
    }
}

pub struct Store {
    pub dir: PathBuf,
    /// The layout's tables, `runs.csv` first, open for appending.
    csvs: Vec<(PathBuf, File)>,
    /// Held while the store is open: one writer a folder.
    _lock: Lock,
}

/// The name of a batch folder's lock: the writing process's id, while it writes.
const LOCK: &str = "writer.lock";

/// A batch folder's lock, taken before anything in the folder is read or changed and
/// removed when dropped. A lock whose process is gone (killed, or the machine
/// restarted) is stale and taken over.
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    pub fn take(dir: &Path) -> Result<Lock> {
        let path = dir.join(LOCK);
        for _ in 0..3 {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    use std::io::Write;
                    let _ = write!(f, "{}", std::process::id());
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|t| t.trim().parse::<u32>().ok());
                    if let Some(pid) = holder
                        && process_alive(pid)
                    {
                        return Err(Error::bad_input(format!(
                            "error: {} is being written by another truce (process {pid})\n  \
                             = hint: a batch folder has one writer at a time; wait for it to \
                             finish or stop it, then resume (if no truce is running, delete {})",
                            dir.display(),
                            path.display()
                        )));
                    }
                    // Stale: its writer is gone.
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => return Err(io_error("lock", &path, e)),
            }
        }
        Err(Error::runtime(format!(
            "error: cannot take the lock {}",
            path.display()
        )))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether process `pid` is running, where the system tells it (Linux's /proc);
/// elsewhere a lock is taken to be held.
fn process_alive(pid: u32) -> bool {
    if !Path::new("/proc/self").exists() {
        return true;
    }
    Path::new(&format!("/proc/{pid}")).exists()
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::runtime(format!("error: cannot {what} {}: {e}", path.display()))
}

impl Store {
    /// Starts a new batch folder with the headers of its tables, which `state` then
    /// counts; refuses a folder that already holds a batch.
    pub fn create(dir: &Path, state: &mut State, headers: &[String]) -> Result<Store> {
        new_folder(
            dir,
            &format!(
                "continue it with `truce batch --resume {}`, or choose another --out",
                dir.display()
            ),
        )?;
        let lock = Lock::take(dir)?;
        let mut bytes = vec![];
        for (name, header) in state.layout().tables().iter().zip(headers) {
            let path = dir.join(name);
            atomic::write(&path, header.as_bytes()).map_err(|e| io_error("write", &path, e))?;
            bytes.push(header.len() as u64);
        }
        state.set_table_bytes(&bytes);
        let store = Store::open_tables(dir, state, lock)?;
        store.save_state(state)?;
        Ok(store)
    }

    /// Reopens a batch folder, dropping any rows written after its last checkpoint.
    pub fn open(dir: &Path) -> Result<(Store, State)> {
        let lock = Lock::take(dir)?;
        let state = read_state(dir)?;
        let store = Store::open_tables(dir, &state, lock)?;
        Ok((store, state))
    }

    fn open_tables(dir: &Path, state: &State, lock: Lock) -> Result<Store> {
        let names = state.layout().tables();
        let lengths = state.table_bytes();
        let mut csvs = vec![];
        for (name, &length) in names.iter().zip(&lengths) {
            let path = dir.join(name);
            let csv = OpenOptions::new()
                .append(true)
                .open(&path)
                .map_err(|e| io_error("open", &path, e))?;
            let actual = csv
                .metadata()
                .map_err(|e| io_error("read", &path, e))?
                .len();
            if actual < length {
                return Err(Error::bad_input(format!(
                    "error: {} is shorter than its checkpoint says ({actual} < {length} \
                     bytes); it was changed outside truce, so the batch cannot be resumed",
                    path.display()
                )));
            }
            csv.set_len(length)
                .map_err(|e| io_error("truncate", &path, e))?;
            csvs.push((path, csv));
        }
        Ok(Store {
            dir: dir.to_path_buf(),
            csvs,
            _lock: lock,
        })
    }

    /// Appends finished rows to the tables.
    pub fn append(&mut self, rows: &Rows) -> Result<()> {
        for ((path, csv), text) in self.csvs.iter_mut().zip(&rows.tables) {
            csv.write_all(text.as_bytes())
                .and_then(|()| csv.flush())
                .map_err(|e| io_error("write", path, e))?;
        }
        Ok(())
    }

    /// Records a checkpoint: the rows are on disk, then the state that counts them.
    pub fn checkpoint(&mut self, state: &State, summary: &Summary) -> Result<()> {
        for (path, csv) in &self.csvs {
            csv.sync_data().map_err(|e| io_error("write", path, e))?;
        }
        self.save_state(state)?;
        write_summary(&self.dir, summary)
    }

    fn save_state(&self, state: &State) -> Result<()> {
        let path = self.dir.join(STATE);
        let text = serde_json::to_vec(state)
            .map_err(|e| Error::runtime(format!("cannot encode the batch state: {e}")))?;
        atomic::write(&path, &text).map_err(|e| io_error("write", &path, e))
    }
}

/// Makes a folder for a new batch's files: refuses a file, and a folder that already
/// holds a batch (`hint` says what to do instead), so that nothing is overwritten.
pub fn new_folder(dir: &Path, hint: &str) -> Result<()> {
    if dir.join(STATE).exists() || dir.join(RUNS).exists() {
        return Err(Error::bad_input(format!(
            "error: {} already holds a batch\n  = hint: {hint}",
            dir.display()
        )));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(Error::bad_input(format!(
            "error: --out {} is a file, not a folder\n  = hint: choose a folder for the outputs",
            dir.display()
        )));
    }
    // A folder that cannot be made is the user's choice of place: bad input.
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::bad_input(format!(
            "error: cannot create the output folder {}: {e}",
            dir.display()
        ))
    })
}

pub fn write_summary(dir: &Path, summary: &Summary) -> Result<()> {
    let path = dir.join(SUMMARY);
    let mut text = serde_json::to_vec_pretty(summary)
        .map_err(|e| Error::runtime(format!("cannot encode the summary: {e}")))?;
    text.push(b'\n');
    atomic::write(&path, &text).map_err(|e| io_error("write", &path, e))
}

/// Reads a batch folder's `state.json`.
pub fn read_state(dir: &Path) -> Result<State> {
    let path = dir.join(STATE);
    let text = std::fs::read(&path).map_err(|e| {
        Error::bad_input(format!(
            "error: {} is not a batch folder: cannot read {}: {e}",
            dir.display(),
            path.display()
        ))
    })?;
    let state: State = serde_json::from_slice(&text).map_err(|e| {
        Error::bad_input(format!(
            "error: {} is damaged or from another version of truce: {e}",
            path.display()
        ))
    })?;
    if state.manifest.format > super::plan::FORMAT {
        return Err(Error::bad_input(format!(
            "error: {} is a batch of format {}, from a later version of truce; this one \
             reads formats 1 to {}\n  = hint: resume or merge it with the version that wrote it",
            path.display(),
            state.manifest.format,
            super::plan::FORMAT
        )));
    }
    let tables = state.layout().tables().len();
    if state.table_bytes().len() != tables {
        return Err(Error::bad_input(format!(
            "error: {} is damaged: it counts the lengths of {} tables where a batch of \
             format {} has {tables}",
            path.display(),
            state.table_bytes().len(),
            state.manifest.format,
        )));
    }
    Ok(state)
}
