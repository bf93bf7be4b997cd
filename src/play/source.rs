//! Where a game's scenario comes from: a file, or one of the bundled scenarios.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::scenario::{self, Compiled, bundled};

#[derive(Debug, Clone)]
pub struct Source {
    /// A path as the user gave it (made absolute), or `bundled:NAME`.
    pub label: String,
    pub text: String,
    /// The digest of the scenario as it was read: for a variant, merged with the
    /// files it extends as they were then, so that a later change to any of them shows.
    digest: String,
    /// The files it extends, nearest first, as they were found when it was read.
    parents: Vec<PathBuf>,
}

impl Source {
    pub fn file(path: &Path) -> Result<Source> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::bad_input(format!("cannot read {}: {e}", path.display())))?;
        let label = std::path::absolute(path)
            .unwrap_or_else(|_| path.to_path_buf())
            .display()
            .to_string();
        Ok(Source::new(label, text))
    }

    /// The scenario `text` named `label`, its digest taken now.
    pub fn new(label: String, text: String) -> Source {
        let (digest, parents) = match scenario::extends::expand(&label, text.clone()) {
            Ok(e) => (
                crate::batch::plan::digest(&e.text),
                e.files[1..].iter().filter_map(|o| o.path.clone()).collect(),
            ),
            Err(_) => (crate::batch::plan::digest(&text), Vec::new()),
        };
        Source {
            label,
            text,
            digest,
            parents,
        }
    }

    pub fn bundled(name: &str) -> Option<Source> {
        bundled::text(name).map(|text| {
            Source::new(
                format!(
                    "{}{}",
                    bundled::PREFIX,
                    name.strip_prefix(bundled::PREFIX).unwrap_or(name)
                ),
                text.to_string(),
            )
        })
    }

    /// A save's `file`: a bundled name, a path, or a path relative to the save's folder.
    pub fn resolve(label: &str, beside: Option<&Path>) -> Result<Source> {
        if label.starts_with(bundled::PREFIX) {
            return Source::bundled(label).ok_or_else(|| {
                Error::bad_input(format!(
                    "`{label}` is not a scenario bundled with this truce"
                ))
            });
        }
        let path = PathBuf::from(label);
        match beside {
            Some(dir) if !path.exists() && path.is_relative() => Source::file(&dir.join(path)),
            _ => Source::file(&path),
        }
    }

    /// The files a variant extends, nearest first (none for a plain or bundled one).
    pub fn parents(&self) -> &[PathBuf] {
        &self.parents
    }

    /// The digest of the scenario as simulated (see the field).
    pub fn digest(&self) -> String {
        self.digest.clone()
    }

    /// Validates the scenario, with the same diagnostics as `truce check`.
    pub fn compile(&self) -> Result<Compiled> {
        Ok(scenario::load_str(&self.label, self.text.clone())?.compiled)
    }

    /// The scenario's file name, for messages.
    pub fn name(&self) -> &str {
        self.label.rsplit(['/', ':']).next().unwrap_or(&self.label)
    }
}
