//! `aura`: the command-line face of Aura. Same app layer as the desktop window, so what
//! works here works there. Errors print as `aura: <Code>: <message>` (or JSON with
//! `--json`) and exit with status 1; usage errors exit with 2.

// The CLI's interface is its standard output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod ai;
mod commands;
mod output;
mod run;
mod search;
mod semantic;

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
    /// Build or update the project's indexes: text, then chunks and embeddings (progress
    /// on stderr; Ctrl+C stops, the next run resumes).
    Index {
        /// The project folder (default: --project, else the current project).
        path: Option<PathBuf>,
        /// Only the text index (no chunking or embedding).
        #[arg(long)]
        text_only: bool,
    },
    /// Search the project's files, like `rg`: prints `path:line:column:text`. With
    /// --semantic or --hybrid: the chunks of code that best answer QUERY.
    Search(SearchArgs),
    /// Go to symbol in workspace: functions, classes, methods ... matching QUERY (fuzzy).
    Symbols {
        query: String,
        /// How many to print.
        #[arg(long, short = 'n', default_value_t = 20)]
        limit: usize,
    },
    /// Ask the AI assistant; the answer streams to stdout (saved in the project's chats).
    Ask(AskArgs),
    /// Let the AI edit a file: prints the change as a diff; --apply writes it.
    Edit(EditArgs),
    /// AI providers, their health, usage and keys.
    #[command(subcommand)]
    Ai(AiCmd),
    /// Run a file in the OS sandbox: stdout and stderr as they come, then the exit code,
    /// wall time and peak memory; exits with the program's status.
    Run(run::RunArgs),
    /// The OS sandbox on this machine.
    #[command(subcommand)]
    Sandbox(run::SandboxCmd),
}

#[derive(clap::Args, Debug)]
struct AskArgs {
    question: String,
    /// Add the most relevant code of the project (hybrid retrieval from the index).
    #[arg(long)]
    codebase: bool,
    /// Add this file as context (repeatable).
    #[arg(long, short = 'f')]
    file: Vec<String>,
    /// Continue this chat.
    #[arg(long)]
    chat: Option<String>,
    /// Ask the provider even if a cached answer exists.
    #[arg(long)]
    no_cache: bool,
}

#[derive(clap::Args, Debug)]
struct EditArgs {
    /// The file, relative to the project.
    file: String,
    /// What to do (for refine, the default action) or the error text (for fix).
    instruction: Option<String>,
    /// refine, refactor, explain, docs, types, audit, optimize or fix.
    #[arg(long, short = 'a', default_value = "refine")]
    action: String,
    /// Only these lines: A-B (1-based, inclusive).
    #[arg(long, short = 'l')]
    lines: Option<String>,
    /// Write the change (all hunks) instead of only showing it.
    #[arg(long)]
    apply: bool,
}

#[derive(Subcommand, Debug)]
enum AiCmd {
    /// Configured and detected providers, with key state.
    Providers,
    /// Ping every provider.
    Health,
    /// Calls, tokens and cost per day and model.
    Usage {
        #[arg(long, default_value_t = 30)]
        days: u32,
        /// All projects, not only the current one.
        #[arg(long)]
        all: bool,
    },
    /// Store or remove a provider's API key in the OS keyring.
    #[command(subcommand)]
    Key(KeyCmd),
}

#[derive(Subcommand, Debug)]
enum KeyCmd {
    /// Reads the key from standard input (never from the command line).
    Set {
        provider: String,
    },
    Delete {
        provider: String,
    },
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
    /// Stop after this many matching lines (semantic: chunks, default 10).
    #[arg(long, short = 'm')]
    max: Option<u32>,
    /// Rank chunks by meaning (local embeddings) instead of matching text.
    #[arg(long, conflicts_with_all = ["regex", "hybrid", "word"])]
    semantic: bool,
    /// Rank chunks by meaning and words together (what AI context uses).
    #[arg(long, conflicts_with_all = ["regex", "semantic", "word"])]
    hybrid: bool,
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
    // Sandboxed runs re-run this binary in helper mode; it must start before any thread.
    aura_app::exec::run_sandbox_helper_if_requested();
    let cli = Cli::parse();
    let json = cli.json;
    match commands::run(cli) {
        Ok(()) => ExitCode::from(run::exit_code()),
        Err(e) => {
            output::error(json, &e);
            ExitCode::from(1)
        }
    }
}
