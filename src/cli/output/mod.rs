//! Writes output folders and files atomically, and never replaces what fleetsim did not write.
//!
//! A folder is written into a temporary sibling `.NAME.fleetsim-tmp-XXXXXX`, every file
//! fsynced, then swapped with the target in one step (`renameat2(RENAME_EXCHANGE)` on Linux;
//! two renames elsewhere or where the filesystem cannot exchange), so a reader sees the old
//! output or the new one, never a mix. The target may be absent, an empty folder or a previous
//! fleetsim output (recognised by its `manifest.json` or `sweep.json` and by holding nothing
//! else fleetsim would not write); `--force` also allows any other folder. Files, devices,
//! pipes, sockets and symbolic links are never replaced.
//!
//! Stale temporaries: a run killed mid-write leaves a `.NAME.fleetsim-tmp-XXXXXX` sibling. The
//! next write of NAME removes such a sibling only when all of these hold, so that nothing a
//! user made and nothing a live fleetsim process is writing is ever deleted:
//! - its name is exactly the prefix plus tempfile's six random letters and digits;
//! - it is a real folder (not a link);
//! - nothing in it was modified for an hour (the folder and everything inside): a live writer
//!   fills its temporary folder in seconds, not an hour;
//! - it holds the `.fleetsim-partial` marker (written first into every temporary folder,
//!   removed just before the swap) and otherwise only names fleetsim writes; or, without the
//!   marker, it is empty or a complete fleetsim output (the previous output, moved there by a
//!   swap that was cut short) and was not renamed for an hour either (its status-change time:
//!   a moved folder keeps its old modification times, so only this shows a live swap).
//!
//! `found.rs` tells what is at an output path (and whether fleetsim wrote it); `swap.rs`
//! writes the temporary sibling, swaps it in and cleans up stale ones.

mod found;
mod swap;

use found::{probe, probe_shallow, Contents, Found};
use swap::{exchange, fill, remove_stale, rename_noreplace, replace_by_renames, sync_dir, temp_builder, TMP_INFIX};

use crate::report::OutputFile;
use anyhow::{bail, Context};
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::time::SystemTime;

/// What a single-file output is and how to recognise one fleetsim wrote.
pub struct FileRule {
    /// In the user's words, with an article: "a recommendation job".
    pub what: &'static str,
    /// How to name another path, for the refusal: "another --job-name or --jobs-dir".
    pub elsewhere: &'static str,
    /// Whether an existing file's bytes are such an output.
    pub is_ours: fn(&[u8]) -> bool,
}

/// Writes `files` into the folder `dir`, replacing a previous fleetsim output (or with
/// `force` any folder).
pub fn write_dir(dir: &Path, files: &[OutputFile], force: bool) -> anyhow::Result<()> {
    let files: Vec<(String, &[u8])> = files.iter().map(|f| (f.name.to_string(), f.bytes.as_slice())).collect();
    write_tree(dir, &files, force)
}

/// Refuses, before any work, an output folder `write_tree` would refuse.
pub fn check_dir(dir: &Path, force: bool) -> anyhow::Result<()> {
    folder_name(dir)?;
    let found = probe(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    allowed(dir, &found, force)
}

/// Writes `files` into the folder `dir` (see [`write_dir`]). Names are relative paths and
/// may contain `/` (a sweep's `runs/p0-r0/summary.json`); sub-folders are created as needed.
pub fn write_tree(dir: &Path, files: &[(String, &[u8])], force: bool) -> anyhow::Result<()> {
    check_dir(dir, force)?;
    let name = folder_name(dir)?;
    let parent = parent_of(dir);
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let prefix = format!(".{name}{TMP_INFIX}");
    remove_stale(parent, &prefix, SystemTime::now());
    let tmp = temp_builder(&prefix, 0o777)
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
    fill(tmp.path(), files).with_context(|| format!("cannot write {}", dir.display()))?;
    // Look again: the target may have changed while the files were written.
    check_dir(dir, force)?;
    if fs::symlink_metadata(dir).is_ok() {
        if !exchange(tmp.path(), dir).with_context(|| format!("cannot replace {}", dir.display()))? {
            replace_by_renames(tmp.path(), dir, parent, &prefix)
                .with_context(|| format!("cannot replace {}", dir.display()))?;
        }
        // `tmp` now holds the previous output.
        if let Err(e) = fs::remove_dir_all(tmp.path()) {
            if e.kind() != io::ErrorKind::NotFound {
                eprintln!(
                    "warning: cannot remove the previous contents of {}, now at {}: {e}",
                    dir.display(),
                    tmp.path().display()
                );
            }
        }
    } else {
        rename_noreplace(tmp.path(), dir).with_context(|| format!("cannot move the results into {}", dir.display()))?;
    }
    // Nothing is left at the temporary path; dropping `tmp` finds nothing to remove.
    drop(tmp);
    sync_dir(parent).with_context(|| format!("cannot sync {}", parent.display()))?;
    Ok(())
}

/// Refuses, before any work, an output file `write_file` would refuse.
pub fn check_file(path: &Path, rule: &FileRule, force: bool) -> anyhow::Result<()> {
    path.file_name()
        .with_context(|| format!("{}: an output file needs a name", path.display()))?;
    let shown = path.display();
    match probe_shallow(path).with_context(|| format!("cannot read {shown}"))? {
        Found::Absent => Ok(()),
        Found::File => {
            let bytes = fs::read(path).with_context(|| format!("cannot read {shown}"))?;
            if force || (rule.is_ours)(&bytes) {
                Ok(())
            } else {
                bail!(
                    "{shown} exists and is not {} written by fleetsim; choose {}, or pass --force to replace it",
                    rule.what,
                    rule.elsewhere
                )
            }
        }
        Found::Folder(_) => bail!("{shown} is a folder, not a file; choose {}", rule.elsewhere),
        Found::Link(to) => bail!(
            "{shown} is a symbolic link (to {}); fleetsim does not replace links: choose {}",
            to.display(),
            rule.elsewhere
        ),
        Found::Special(what) => bail!("{shown} is {what}, not a file; choose {}", rule.elsewhere),
    }
}

/// Writes one file atomically: a temporary sibling, fsynced, then renamed over `path` when
/// `path` is absent or a file `rule` recognises (or with `force` any regular file).
pub fn write_file(path: &Path, bytes: &[u8], rule: &FileRule, force: bool) -> anyhow::Result<()> {
    check_file(path, rule, force)?;
    let name = path.file_name().context("output file has no name")?.to_string_lossy();
    let parent = parent_of(path);
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let mut tmp = temp_builder(&format!(".{name}{TMP_INFIX}"), 0o666)
        .tempfile_in(parent)
        .with_context(|| format!("cannot create a temporary file in {}", parent.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", tmp.path().display()))?;
    check_file(path, rule, force)?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot move the results into {}", path.display()))?;
    sync_dir(parent).with_context(|| format!("cannot sync {}", parent.display()))?;
    Ok(())
}

/// The folder holding `path` (`.` for a bare name).
fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The last component of an output folder; `.`, `..` and `/` have none and are refused.
fn folder_name(dir: &Path) -> anyhow::Result<String> {
    let name = dir.file_name().with_context(|| {
        format!(
            "{}: an output folder needs a name of its own (not `.`, `..` or `/`)",
            dir.display()
        )
    })?;
    Ok(name.to_string_lossy().to_string())
}

/// Whether an output folder may be written at `dir`, given what is there.
fn allowed(dir: &Path, found: &Found, force: bool) -> anyhow::Result<()> {
    let shown = dir.display();
    match found {
        Found::Absent | Found::Folder(Contents::Empty | Contents::Output(_)) => Ok(()),
        Found::Folder(Contents::Foreign { kind, names }) => {
            if force {
                return not_an_ancestor_of_cwd(dir);
            }
            let what = listing(names);
            match kind {
                None => bail!(
                    "{shown} exists and is not a fleetsim output folder: it holds {what}; choose another \
                     output folder, or pass --force to replace it"
                ),
                Some(_) => bail!(
                    "{shown} holds a fleetsim output but also {what}, which fleetsim does not write; \
                     choose another output folder, or pass --force to replace it"
                ),
            }
        }
        Found::File => bail!("{shown} is a file, not a folder; choose another output folder"),
        Found::Link(to) => bail!(
            "{shown} is a symbolic link (to {}); fleetsim does not replace links: choose another output \
             folder, or name the folder itself",
            to.display()
        ),
        Found::Special(what) => bail!("{shown} is {what}, not a folder; choose another output folder"),
    }
}

/// `--force` must not remove the folder the user is working in.
fn not_an_ancestor_of_cwd(dir: &Path) -> anyhow::Result<()> {
    let (Ok(target), Ok(cwd)) = (
        dir.canonicalize(),
        std::env::current_dir().and_then(|c| c.canonicalize()),
    ) else {
        return Ok(());
    };
    if cwd.starts_with(&target) {
        bail!(
            "{} holds the current folder; even with --force fleetsim does not replace it",
            dir.display()
        );
    }
    Ok(())
}

/// "keep.txt" or "keep.txt (and 3 more)".
fn listing(names: &[String]) -> String {
    match names {
        [] => "nothing".to_string(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::found::*;
    use super::swap::*;
    use super::*;

    fn files() -> Vec<(String, &'static [u8])> {
        vec![
            (
                "manifest.json".into(),
                br#"{"fleetsim_version": "0", "scenario": "t", "seed": 1, "resolved_scenario": {}, "files": []}"#,
            ),
            ("summary.json".into(), b"{}"),
        ]
    }

    fn siblings(parent: &Path) -> Vec<String> {
        entries(parent).unwrap().into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn a_new_folder_is_created_with_its_parents() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/b/out");
        write_tree(&dir, &files(), false).unwrap();
        assert_eq!(siblings(&dir), ["manifest.json", "summary.json"]);
        assert_eq!(siblings(&root.path().join("a/b")), ["out"]);
    }

    #[test]
    fn replacing_an_output_leaves_only_the_new_one() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let mut old = files();
        old.push(("timeseries.csv".into(), b"old"));
        write_tree(&dir, &old, false).unwrap();
        write_tree(&dir, &files(), false).unwrap();
        assert_eq!(siblings(&dir), ["manifest.json", "summary.json"]);
        assert_eq!(siblings(root.path()), ["out"], "no temporary sibling remains");
    }

    #[test]
    fn exchange_and_fallback_both_put_the_new_contents_in_place() {
        let root = tempfile::tempdir().unwrap();
        let parent = root.path();
        for fallback in [false, true] {
            let dir = parent.join("out");
            fs::create_dir_all(&dir).unwrap();
            fs::write(dir.join("summary.json"), "old").unwrap();
            let tmp = parent.join(".out.fleetsim-tmp-abcdef");
            fs::create_dir(&tmp).unwrap();
            fs::write(tmp.join("summary.json"), "new").unwrap();
            let exchanged = !fallback && exchange(&tmp, &dir).unwrap();
            if !exchanged {
                replace_by_renames(&tmp, &dir, parent, ".out.fleetsim-tmp-").unwrap();
            }
            assert_eq!(fs::read_to_string(dir.join("summary.json")).unwrap(), "new");
            assert_eq!(
                fs::read_to_string(tmp.join("summary.json")).unwrap(),
                "old",
                "fallback {fallback}"
            );
            fs::remove_dir_all(&tmp).unwrap();
            assert_eq!(siblings(parent), ["out"], "fallback {fallback}");
            fs::remove_dir_all(&dir).unwrap();
        }
        #[cfg(target_os = "linux")]
        {
            // The exchange itself is available on the filesystems tests run on.
            let (a, b) = (parent.join("a"), parent.join("b"));
            fs::create_dir(&a).unwrap();
            fs::create_dir(&b).unwrap();
            fs::write(a.join("x"), "a").unwrap();
            if exchange(&a, &b).unwrap() {
                assert!(b.join("x").exists() && !a.join("x").exists());
            }
        }
    }

    #[test]
    fn folders_are_classified_by_content_not_name() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        fs::create_dir(&dir).unwrap();
        assert_eq!(contents(&dir).unwrap(), Contents::Empty);
        // A manifest.json that fleetsim did not write is not a run folder.
        fs::write(dir.join("manifest.json"), r#"{"name": "mine"}"#).unwrap();
        assert!(matches!(contents(&dir).unwrap(), Contents::Foreign { kind: None, .. }));
        write_tree(&dir, &files(), true).unwrap();
        assert_eq!(contents(&dir).unwrap(), Contents::Output(Kind::Run));
        fs::write(dir.join("capacity.svg"), "").unwrap();
        assert_eq!(contents(&dir).unwrap(), Contents::Output(Kind::Run));
        fs::write(dir.join("keep.txt"), "").unwrap();
        assert_eq!(
            contents(&dir).unwrap(),
            Contents::Foreign {
                kind: Some(Kind::Run),
                names: vec!["keep.txt".into()]
            }
        );
    }

    #[test]
    fn sweep_folders_allow_their_plots_and_runs() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("s");
        let sweep_json: &[u8] = br#"{"fleetsim_version": "0", "name": "s", "sweep_text": "", "axes": []}"#;
        let tree: Vec<(String, &[u8])> = vec![
            ("sweep.json".into(), sweep_json),
            ("sweep.csv".into(), b""),
            ("heatmap-latency_ms.p99.png".into(), b""),
            ("pareto.svg".into(), b""),
            ("runs/p0-r1/summary.json".into(), b""),
        ];
        write_tree(&dir, &tree, false).unwrap();
        assert_eq!(contents(&dir).unwrap(), Contents::Output(Kind::Sweep));
        fs::write(dir.join("runs/p0-r1/notes.md"), "").unwrap();
        assert!(matches!(
            contents(&dir).unwrap(),
            Contents::Foreign {
                kind: Some(Kind::Sweep),
                ..
            }
        ));
    }

    #[test]
    fn only_stale_marked_temporaries_are_removed() {
        let root = tempfile::tempdir().unwrap();
        let parent = root.path();
        let partial = parent.join(".out.fleetsim-tmp-AAAAAA");
        fs::create_dir(&partial).unwrap();
        fs::write(partial.join(PARTIAL_MARKER), "").unwrap();
        fs::write(partial.join("summary.json"), "{").unwrap();
        let users = parent.join(".out.fleetsim-tmp-BBBBBB");
        fs::create_dir(&users).unwrap();
        fs::write(users.join("summary.json"), "{").unwrap();
        let foreign = parent.join(".out.fleetsim-tmp-CCCCCC");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join(PARTIAL_MARKER), "").unwrap();
        fs::write(foreign.join("keep.txt"), "").unwrap();
        // Fresh: nothing is removed, a live writer may own it.
        remove_stale(parent, ".out.fleetsim-tmp-", SystemTime::now());
        assert_eq!(siblings(parent).len(), 3);
        // An hour later, only the marked folder holding fleetsim names goes.
        remove_stale(parent, ".out.fleetsim-tmp-", SystemTime::now() + STALE_AFTER * 2);
        assert_eq!(
            siblings(parent),
            [".out.fleetsim-tmp-BBBBBB", ".out.fleetsim-tmp-CCCCCC"]
        );
    }

    #[test]
    fn single_files_replace_only_their_own_kind() {
        let root = tempfile::tempdir().unwrap();
        let rule = FileRule {
            what: "a test file",
            elsewhere: "another name",
            is_ours: |b| b.starts_with(b"ours"),
        };
        let path = root.path().join("j.json");
        write_file(&path, b"ours 1", &rule, false).unwrap();
        write_file(&path, b"ours 2", &rule, false).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"ours 2");
        fs::write(&path, "theirs").unwrap();
        let err = write_file(&path, b"ours 3", &rule, false).unwrap_err().to_string();
        assert!(err.contains("is not a test file written by fleetsim"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"theirs");
        write_file(&path, b"ours 3", &rule, true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"ours 3");
        let err = write_file(root.path(), b"x", &rule, true).unwrap_err().to_string();
        assert!(err.contains("is a folder"), "{err}");
        assert_eq!(siblings(root.path()), ["j.json"]);
    }
}
