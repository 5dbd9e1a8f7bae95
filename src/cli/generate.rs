//! `fleetsim completions SHELL` and `fleetsim man`: shell completions and man pages generated
//! from the clap definitions, so they never drift from `--help`.

use super::output::{check_file, write_file, FileRule};
use clap::CommandFactory;
use std::path::{Path, PathBuf};

/// Options of `fleetsim completions`.
#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for; the script goes to standard output (e.g. `fleetsim
    /// completions bash > ~/.local/share/bash-completion/completions/fleetsim`).
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Options of `fleetsim man`.
#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// Folder the pages are written to (created if absent), e.g. ~/.local/share/man/man1.
    #[arg(long, default_value = "outputs/man")]
    pub out: PathBuf,
    /// Replace a page even if fleetsim did not write it (never a folder or link).
    #[arg(long)]
    pub force: bool,
    #[arg(skip)]
    pub quiet: bool,
}

/// A man page is ours if it is the page of a fleetsim command.
const MAN_PAGE: FileRule = FileRule {
    what: "a man page",
    elsewhere: "another --out folder, or move the file away",
    is_ours: |bytes| {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
        head.contains(".TH fleetsim")
    },
};

/// The whole command line's clap definition, as `--help` shows it.
pub fn command() -> clap::Command {
    super::Cli::command()
}

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "fleetsim", &mut out);
    out
}

/// Every man page, `(file name, roff)`: `fleetsim.1`, then one per subcommand and nested
/// subcommand (`fleetsim-run.1`, `fleetsim-export-aws.1`), in definition order.
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    fn walk(cmd: clap::Command, out: &mut Vec<(String, Vec<u8>)>) {
        let subs: Vec<clap::Command> = cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned().collect();
        let man = clap_mangen::Man::new(cmd);
        let mut page = Vec::new();
        man.render(&mut page).expect("rendering into memory cannot fail");
        out.push((man.get_filename(), page));
        for s in subs {
            walk(s, out);
        }
    }
    // Built first, so subcommands carry their display names (`fleetsim-run`); no `help` pages.
    let mut cmd = command().disable_help_subcommand(true);
    cmd.build();
    let mut out = Vec::new();
    walk(cmd, &mut out);
    out
}

pub fn print_completions(args: CompletionsArgs) -> anyhow::Result<()> {
    use std::io::Write;
    std::io::stdout().write_all(&completions(args.shell))?;
    Ok(())
}

/// Writes every page into `args.out`, each atomically; every path is checked before the first
/// is written, so a refusal leaves the folder as it was.
pub fn write_man(args: ManArgs) -> anyhow::Result<()> {
    let pages = man_pages();
    let path = |name: &str| -> PathBuf { Path::new(&args.out).join(name) };
    for (name, _) in &pages {
        check_file(&path(name), &MAN_PAGE, args.force)?;
    }
    for (name, bytes) in &pages {
        write_file(&path(name), bytes, &MAN_PAGE, args.force)?;
    }
    if !args.quiet {
        println!("wrote     {} man pages in {}/", pages.len(), args.out.display());
    }
    Ok(())
}
