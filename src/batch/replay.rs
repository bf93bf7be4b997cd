//! One run of a batch, replayed exactly: `truce run --from-batch DIR --run N`.

use std::path::Path;
use std::sync::Arc;

use super::plan::Plan;
use super::store;
use crate::error::{Error, Result};
use crate::scenario::Compiled;

/// The scenario (with the batch's `--set`, swept values and day limit) and the seed
/// that run `index` of the batch in `dir` was played with. The scenario file must be
/// as it was when the batch ran.
pub fn run_of(dir: &Path, index: u64) -> Result<(Arc<Compiled>, u64)> {
    let state = store::read_state(dir)?;
    state.manifest.same_model(dir, "replayed")?;
    let plan = Plan::from_manifest(state.manifest, None)?;
    if index >= plan.total() {
        return Err(Error::bad_input(format!(
            "error: the batch in {} has runs 0 to {}; there is no run {index}\n  = hint: \
             runs are numbered as in the `run` column of its runs.csv",
            dir.display(),
            plan.total().saturating_sub(1)
        )));
    }
    let point = plan.points[plan.point_of(index)].clone();
    Ok((point, plan.seed_of(index)))
}
