//! Reading a sweep file and the scenarios it names: the sweep's side of `scenario::load`, and
//! the only code of `sweep` that opens a file.

use super::error::SweepError;
use super::plan::{self, Plan};
use crate::scenario;
use std::path::Path;

/// Reads the sweep file at `path` and the base scenario(s) it names (relative to the sweep
/// file's folder), and plans the sweep with `set` (`--set PATH=VALUE`) applied after the file's
/// own `set`. Every point's scenario is validated into a `SimConfig`; nothing runs.
pub fn read_sweep_plan(path: &Path, set: &[String]) -> Result<Plan, SweepError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| SweepError::Io {
        file: file.clone(),
        source,
    })?;
    read_base_and_plan(&text, &file, path.parent().unwrap_or(Path::new(".")), set)
}

/// Plans sweep `text` (named `file` in messages) with `set` applied after its own `set`,
/// reading the scenarios it names from the folder `dir`.
pub fn read_base_and_plan(text: &str, file: &str, dir: &Path, set: &[String]) -> Result<Plan, SweepError> {
    let design = plan::design_with_set(text, file, set)?;
    let sources = design
        .scenario_files
        .iter()
        .map(|f| {
            scenario::Source::read(&dir.join(f)).map_err(|source| SweepError::Base {
                file: file.to_string(),
                source: Box::new(source),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    plan::build(design, text, file, &sources)
}
