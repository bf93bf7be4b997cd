//! Integration tests: the real binary on the real scenario files, and the model's
//! behaviour over many seeds. One test binary, one module per concern.

mod batch;
mod broken;
mod calibrate;
mod cli_check;
mod cli_new;
mod cli_run;
mod data_tools;
mod fuzz_regressions;
mod history;
mod play_text;
#[cfg(feature = "gui")]
mod play_window;
mod regularities;
mod scenario_docs;
mod sensitivity;
mod slurm;
mod validate;
mod variants;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seed_scenario() -> PathBuf {
    root().join("scenarios/karabakh-2020.ron")
}

/// The `truce` binary with `args`, to be run from the project root.
pub fn truce_command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_truce"));
    cmd.args(args).current_dir(root());
    cmd
}

/// Runs the `truce` binary with `args` from the project root.
pub fn truce(args: &[&str]) -> Output {
    truce_command(args).output().expect("the truce binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every `.ron` file directly in `dir`, sorted.
pub fn ron_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("folder exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files
}

/// A fresh folder under the system's temporary folder, named after `name` and this
/// process, removed when dropped (kept, and named, when a test fails).
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("truce-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temporary folder can be created");
        TempDir(dir)
    }

    /// `name` inside the folder.
    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept {} for inspection", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
