//! The atomic swap: a temporary sibling filled and fsynced, exchanged with the target in one
//! step (or two renames where the filesystem cannot), and the removal of stale temporaries
//! (the rule is in the parent module's documentation).

use super::found::{
    contents, entries, is_loadtest_file, is_run_file, is_sweep_file, runs_folder_ok, Contents, SWEEP_RUNS,
};
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Between the prefix `.NAME` and tempfile's random suffix of a temporary sibling.
pub(super) const TMP_INFIX: &str = ".fleetsim-tmp-";

/// Length of tempfile's random suffix (its default).
pub(super) const TMP_RANDOM_LEN: usize = 6;

/// Written first into every temporary folder, removed just before the swap.
pub(super) const PARTIAL_MARKER: &str = ".fleetsim-partial";

/// A temporary folder untouched for this long belongs to no live fleetsim process.
pub(super) const STALE_AFTER: Duration = Duration::from_secs(3600);

/// Writes the files into the fresh temporary folder `tmp`: the marker first, every file
/// fsynced, the marker removed last, then every folder fsynced.
pub(super) fn fill(tmp: &Path, files: &[(String, &[u8])]) -> io::Result<()> {
    let marker = tmp.join(PARTIAL_MARKER);
    fs::write(&marker, b"a fleetsim output being written; safe to delete\n")?;
    let mut dirs = vec![tmp.to_path_buf()];
    for (name, bytes) in files {
        let path = tmp.join(name);
        if let Some(sub) = path.parent() {
            if !dirs.iter().any(|d| d == sub) {
                fs::create_dir_all(sub)?;
                dirs.push(sub.to_path_buf());
            }
        }
        let mut file = fs::File::create(&path)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    fs::remove_file(&marker)?;
    // Deepest first, so a folder's entry in its parent is synced after its own entries.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in &dirs {
        sync_dir(d)?;
    }
    Ok(())
}

/// Makes a folder's entries (renames, new files) durable.
#[cfg(unix)]
pub(super) fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
pub(super) fn sync_dir(_: &Path) -> io::Result<()> {
    Ok(())
}

/// A tempfile builder for a temporary sibling named `prefix` + six random characters, created
/// with `mode` (`0o777` folders, `0o666` files, as `create_dir` and `File::create` do; the
/// umask applies). tempfile's default, owner-only, would hide the outputs from others.
pub(super) fn temp_builder(prefix: &str, mode: u32) -> tempfile::Builder<'_, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).rand_bytes(TMP_RANDOM_LEN);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    builder
}

/// Swaps the folders `a` and `b` in one step. `Ok(false)`: this system or filesystem cannot.
#[cfg(target_os = "linux")]
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) if [Errno::INVAL, Errno::NOSYS, Errno::NOTSUP, Errno::XDEV].contains(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
pub(super) fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Renames `from` to the absent `to`, failing rather than replacing anything that appeared
/// there meanwhile (`RENAME_NOREPLACE` where available).
#[cfg(target_os = "linux")]
pub(super) fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::NOTSUP => fs::rename(from, to),
        other => other.map_err(Into::into),
    }
}

#[cfg(not(target_os = "linux"))]
pub(super) fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    fs::rename(from, to)
}

/// Where folders cannot be exchanged: `dir` moves to a fresh temporary sibling, `tmp` takes its
/// place, and the previous contents move to `tmp`. Between the two renames `dir` is briefly
/// absent; if the second fails, `dir` is put back.
pub(super) fn replace_by_renames(tmp: &Path, dir: &Path, parent: &Path, prefix: &str) -> io::Result<()> {
    let aside = temp_builder(prefix, 0o700).tempdir_in(parent)?;
    let aside = aside.keep();
    // POSIX rename replaces the empty folder just made; elsewhere it must go first.
    if !cfg!(unix) {
        fs::remove_dir(&aside)?;
    }
    if let Err(e) = fs::rename(dir, &aside) {
        let _ = fs::remove_dir(&aside);
        return Err(e);
    }
    if let Err(e) = fs::rename(tmp, dir) {
        let _ = fs::rename(&aside, dir);
        return Err(e);
    }
    fs::rename(&aside, tmp)
}

/// Removes the stale temporary siblings `PREFIX` + six letters or digits in `parent` (the rule
/// is in the module documentation). Best effort: what cannot be read or removed stays.
pub(super) fn remove_stale(parent: &Path, prefix: &str, now: SystemTime) {
    let Ok(list) = entries(parent) else { return };
    for (name, ft) in list {
        let Some(suffix) = name.strip_prefix(prefix) else {
            continue;
        };
        if !ft.is_dir() || suffix.len() != TMP_RANDOM_LEN || !suffix.bytes().all(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let path = parent.join(&name);
        if is_stale_temporary(&path, now) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// Whether the temporary-named folder `path` is one fleetsim left behind (see the module
/// documentation).
pub(super) fn is_stale_temporary(path: &Path, now: SystemTime) -> bool {
    let old = |t: SystemTime| now.duration_since(t).is_ok_and(|age| age >= STALE_AFTER);
    if !newest_modification(path).is_some_and(old) {
        return false;
    }
    let Ok(list) = entries(path) else { return false };
    if list.iter().any(|(n, ft)| n == PARTIAL_MARKER && ft.is_file()) {
        // A partial write: its files need not be complete, only named as fleetsim names them.
        return list.iter().all(|(n, ft)| {
            n == PARTIAL_MARKER
                || (ft.is_file() && (is_run_file(n) || is_sweep_file(n) || is_loadtest_file(n)))
                || (ft.is_dir() && n == SWEEP_RUNS && runs_folder_ok(&path.join(n)))
        });
    }
    status_change(path).is_some_and(old) && matches!(contents(path), Ok(Contents::Empty | Contents::Output(_)))
}

/// The latest modification time of `path` and everything inside; `None` if any of it cannot
/// be read.
pub(super) fn newest_modification(path: &Path) -> Option<SystemTime> {
    let meta = fs::symlink_metadata(path).ok()?;
    let mut newest = meta.modified().ok()?;
    if meta.file_type().is_dir() {
        for e in fs::read_dir(path).ok()? {
            newest = newest.max(newest_modification(&e.ok()?.path())?);
        }
    }
    Some(newest)
}

/// When `path` itself last changed status (a rename counts); its modification time where
/// the system has no such time.
#[cfg(unix)]
pub(super) fn status_change(path: &Path) -> Option<SystemTime> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::symlink_metadata(path).ok()?;
    let secs = u64::try_from(meta.ctime()).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
}

#[cfg(not(unix))]
pub(super) fn status_change(path: &Path) -> Option<SystemTime> {
    fs::symlink_metadata(path).ok()?.modified().ok()
}
