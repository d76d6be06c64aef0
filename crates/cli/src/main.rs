//! `aura`: the command-line face of Aura. Same app layer as the desktop window, so what
//! works here works there. Errors print as `aura: <Code>: <message>` (or JSON with
//! `--json`) and exit with status 1; usage errors exit with 2.

// The CLI's interface is its standard output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod commands;
mod output;
mod search;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "aura", version, about = "Aura IDE from the command line")]
struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// The project: its id or a folder (default: the registered project containing the
    /// current folder, else the current folder itself).
    #[arg(long, short = 'p', global = true)]
    project: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create, open, list, forget, import and export projects.
    #[command(subcommand)]
    Project(ProjectCmd),
    /// Files inside a project (paths are relative to the project root).
    #[command(subcommand)]
    Fs(FsCmd),
    /// Print file changes in the project as they happen (Ctrl+C to stop).
    Watch,
    /// Build or update the project's text index (progress on stderr).
    Index {
        /// The project folder (default: --project, else the current project).
        path: Option<PathBuf>,
    },
    /// Search the project's files, like `rg`: prints `path:line:column:text`.
    Search(SearchArgs),
}

#[derive(clap::Args, Debug)]
struct SearchArgs {
    query: String,
    /// The query is a regular expression (default: literal text).
    #[arg(long, short = 'e')]
    regex: bool,
    /// Ignore case.
    #[arg(long, short = 'i')]
    ignore_case: bool,
    /// Match whole words only.
    #[arg(long, short = 'w')]
    word: bool,
    /// Only files matching this glob; `!GLOB` excludes. Repeatable.
    #[arg(long, short = 'g')]
    glob: Vec<String>,
    /// Lines of context around each match.
    #[arg(long, short = 'C', default_value_t = 0)]
    context: u32,
    /// Stop after this many matching lines.
    #[arg(long, short = 'm')]
    max: Option<u32>,
}

#[derive(Subcommand, Debug)]
enum ProjectCmd {
    /// Create a project folder from a template.
    New {
        name: String,
        /// empty, python, javascript, typescript, rust or html
        #[arg(long, short, default_value = "empty")]
        template: String,
        /// The folder to create it in.
        #[arg(long, short, default_value = ".")]
        location: PathBuf,
    },
    /// Register (if needed) and open an existing folder.
    Open { path: PathBuf },
    /// Registered projects, last opened first.
    List {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Remove a project from the registry (its files are left alone).
    Forget { project: String },
    /// List the templates.
    Templates,
    /// Extract a zip, tar or tar.gz into a new project folder.
    Import {
        archive: PathBuf,
        #[arg(long, short, default_value = ".")]
        location: PathBuf,
        #[arg(long, short)]
        name: Option<String>,
    },
    /// Write the project as a zip, without ignored files.
    Export { out: PathBuf },
}

#[derive(Subcommand, Debug)]
enum FsCmd {
    /// List a folder.
    Ls {
        #[arg(default_value = "")]
        path: String,
        /// Include hidden and ignored entries.
        #[arg(long, short)]
        all: bool,
    },
    /// Print a text file.
    Cat { path: String },
    /// Write standard input to a file (a new file, or an existing one with --force).
    Write {
        path: String,
        #[arg(long)]
        force: bool,
    },
    /// Create a folder (and its parents).
    Mkdir { path: String },
    /// Rename or move.
    Mv { from: String, to: String },
    /// Copy a file or folder.
    Cp { from: String, to: String },
    /// Move to the trash (or delete for good with --permanent).
    Rm {
        path: String,
        #[arg(long)]
        permanent: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            output::error(json, &e);
            ExitCode::from(1)
        }
    }
}
