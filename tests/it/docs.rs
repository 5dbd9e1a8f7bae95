//! The project documents itself: no file cites material users do not have, and every relative
//! link of the documentation pages points at a file that exists.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The text files of `src/`, `scenarios/`, `tests/`, README.md and ARCHITECTURE.md, this file
/// excepted.
fn checked_files() -> Vec<PathBuf> {
    let mut all = Vec::new();
    for dir in ["src", "scenarios", "tests"] {
        files_under(&root().join(dir), &mut all);
    }
    all.push(root().join("README.md"));
    all.push(root().join("ARCHITECTURE.md"));
    all.retain(|p| !p.ends_with("tests/it/docs.rs"));
    all
}

/// Whether a line cites material a user's checkout does not have: a `spec/` path, a
/// "spec 4.5"-style section number, or the provenance words of that material.
fn cites_unpublished(line: &str) -> bool {
    let needles = [
        "spec/",
        "spec §",
        "(spec ",
        "spec rollouts",
        "rollouts spec",
        "[seed",
        "not in seeds",
    ];
    needles.iter().any(|n| line.contains(n))
        || line.match_indices("spec ").any(|(i, _)| {
            let next = line[i + "spec ".len()..].chars().next();
            next.is_some_and(|c| c.is_ascii_digit() || c == 'R')
        })
}

#[test]
fn the_checker_recognises_citations() {
    for cited in [
        "see spec 4.5",
        "(spec R2, R9)",
        "spec/autoscaling.md",
        "300 \\[seed\\]",
        "[AWS, not in seeds]",
    ] {
        assert!(cites_unpublished(cited), "{cited}");
    }
    for plain in [
        "let spec = parse(spec)?;",
        "parse_override(spec)",
        "docs/semantics/rollouts.md §7",
        "InstanceSpec",
    ] {
        assert!(!cites_unpublished(plain), "{plain}");
    }
}

#[test]
fn no_file_cites_the_unpublished_spec() {
    let mut found = Vec::new();
    for path in checked_files() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        }; // binary data files
        for (i, line) in text.lines().enumerate() {
            if cites_unpublished(line) {
                found.push(format!(
                    "{}:{}: {}",
                    path.strip_prefix(root()).unwrap().display(),
                    i + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(found.is_empty(), "cite docs/semantics instead:\n{}", found.join("\n"));
}

/// The targets of the inline links `[text](target)` of a markdown text.
fn link_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        if let Some(end) = rest.find(')') {
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

#[test]
fn relative_links_point_at_existing_files() {
    let mut pages = vec![
        root().join("README.md"),
        root().join("scenarios/README.md"),
        root().join("ARCHITECTURE.md"),
        root().join("docs/cluster/README.md"),
        root().join("docs/timeseries.md"),
    ];
    let mut semantics = Vec::new();
    files_under(&root().join("docs/semantics"), &mut semantics);
    semantics.retain(|p| p.extension().is_some_and(|e| e == "md"));
    assert!(semantics.len() >= 6, "docs/semantics holds {} pages", semantics.len());
    pages.extend(semantics);
    let mut broken = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        for target in link_targets(&text) {
            let target = target.split_whitespace().next().unwrap_or("");
            if target.is_empty() || target.starts_with('#') || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let file = target.split('#').next().unwrap();
            if !page.parent().unwrap().join(file).exists() {
                broken.push(format!("{}: {target}", page.strip_prefix(root()).unwrap().display()));
            }
        }
    }
    assert!(broken.is_empty(), "links to missing files:\n{}", broken.join("\n"));
}
