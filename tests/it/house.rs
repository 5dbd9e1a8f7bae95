//! House rules every source file keeps: it opens with a `//!` comment saying what it is for.
//!
//! Checked over `src/`, `tests/`, `benches/` and `examples/` (every `.rs` file below them) and `build.rs`
//! where those exist.

use std::path::{Path, PathBuf};

/// Every `.rs` file below `dir`, in path order; none where `dir` does not exist.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// Whether `text` opens with a module comment: its first line starts with `//!`.
fn opens_with_module_doc(text: &str) -> bool {
    text.starts_with("//!")
}

#[test]
fn the_module_doc_check_tells_apart_what_it_should() {
    assert!(opens_with_module_doc("//! A module.\n\nfn f() {}\n"));
    assert!(opens_with_module_doc("//!\n"));
    for text in [
        "",
        "\n//! Too late.\n",
        "// A plain comment.\n//! Then a module comment.\n",
        "/// An item comment.\nfn f() {}\n",
        "use std::fs;\n",
        " //! Indented.\n",
    ] {
        assert!(!opens_with_module_doc(text), "{text:?}");
    }
}

#[test]
fn every_source_file_opens_with_a_module_doc_comment() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = ["src", "tests", "benches", "examples"]
        .iter()
        .flat_map(|d| rust_files(&root.join(d)))
        .collect();
    if root.join("build.rs").is_file() {
        files.push(root.join("build.rs"));
    }
    assert!(
        files.iter().any(|f| f.ends_with("src/lib.rs")) && files.iter().any(|f| f.ends_with("tests/it/house.rs")),
        "the walk missed known files: {} found",
        files.len()
    );
    let missing: Vec<String> = files
        .iter()
        .filter(|f| !opens_with_module_doc(&std::fs::read_to_string(f).unwrap()))
        .map(|f| f.strip_prefix(root).unwrap_or(f).display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "{} files do not open with a `//!` comment saying what they are for:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

/// Whether a line of Rust brings the World into scope (`use ...world::...`, `World` in a
/// path).
fn names_the_world(line: &str) -> bool {
    let code = line.split("//").next().unwrap_or("");
    code.contains("world::") || code.contains("&mut World") || code.contains("&World")
}

#[test]
fn the_world_check_tells_apart_what_it_should() {
    assert!(names_the_world("use super::super::world::World;"));
    assert!(names_the_world("fn f(w: &mut World) {}"));
    assert!(!names_the_world("//! The World applies the commands."));
    assert!(!names_the_world("let x = view.desired(v); // the World's count"));
}

/// Controllers decide, the World acts: no file of a controller imports or takes the World.
#[test]
fn no_controller_imports_the_world() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut offenders = Vec::new();
    for dir in [
        "src/sim/scaling",
        "src/sim/deployment",
        "src/sim/serverless",
        "src/sim/components",
        "src/sim/users",
        "src/autoscaling",
        "src/deployment",
    ] {
        let files = rust_files(&root.join(dir));
        assert!(!files.is_empty(), "{dir} has no files");
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for (i, line) in text.lines().enumerate() {
                if names_the_world(line) {
                    offenders.push(format!(
                        "{}:{}: {}",
                        f.strip_prefix(root).unwrap().display(),
                        i + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "controllers must not see the World:\n{}",
        offenders.join("\n")
    );
}
