//! Writes a run folder atomically: every file goes into a temporary sibling folder, which then
//! replaces the target in one rename. A failed or interrupted run leaves no partial folder.

use crate::report::OutputFile;
use anyhow::Context;
use std::fs;
use std::io::Write;
use std::path::Path;

/// Writes `files` into `dir`, replacing any previous contents.
pub fn write_dir(dir: &Path, files: &[OutputFile]) -> anyhow::Result<()> {
    let files: Vec<(String, &[u8])> = files.iter().map(|f| (f.name.to_string(), f.bytes.as_slice())).collect();
    write_tree(dir, &files)
}

/// Writes `files` into `dir`, replacing any previous contents. Names are relative paths and
/// may contain `/` (a sweep's `runs/p0-r0/summary.json`); sub-folders are created as needed.
pub fn write_tree(dir: &Path, files: &[(String, &[u8])]) -> anyhow::Result<()> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let name = dir
        .file_name()
        .context("output folder has no name")?
        .to_string_lossy()
        .to_string();
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let result = (|| -> anyhow::Result<()> {
        fs::create_dir(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        for (name, bytes) in files {
            let path = tmp.join(name);
            if let Some(sub) = path.parent() {
                fs::create_dir_all(sub).with_context(|| format!("cannot create {}", sub.display()))?;
            }
            let mut file = fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
            file.write_all(bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            file.sync_all().ok();
        }
        if dir.exists() {
            fs::rename(dir, &old).with_context(|| format!("cannot replace {}", dir.display()))?;
        }
        fs::rename(&tmp, dir).with_context(|| format!("cannot move results into {}", dir.display()))?;
        let _ = fs::remove_dir_all(&old);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
        if old.exists() && !dir.exists() {
            let _ = fs::rename(&old, dir);
        }
    }
    result
}

/// Writes one file atomically: a temporary sibling first, then a rename over `path`.
pub fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let name = path.file_name().context("output file has no name")?.to_string_lossy();
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> anyhow::Result<()> {
        let mut file = fs::File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
        file.write_all(bytes)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        file.sync_all().ok();
        fs::rename(&tmp, path).with_context(|| format!("cannot move results into {}", path.display()))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
