//! `aura run FILE` and `aura sandbox probe`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc;

use aura_app::App;
use aura_app::exec::{RunEvent, RunOutcome, RunRequest, RunStream, RunTarget, SandboxMode};
use aura_core::{Error, ErrorCode, Result};
use clap::Subcommand;

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The file to run (its language picks the command; settings can override it).
    pub file: PathBuf,
    /// Allow network for this run.
    #[arg(long)]
    pub allow_net: bool,
    /// Wall-clock limit in seconds.
    #[arg(long)]
    pub timeout: Option<u32>,
    /// Memory limit in MiB.
    #[arg(long)]
    pub mem: Option<u32>,
    /// Run even when a sandbox layer is missing here (with the layers that are there).
    #[arg(long, conflicts_with = "no_sandbox")]
    pub allow_partial: bool,
    /// Run without the sandbox.
    #[arg(long)]
    pub no_sandbox: bool,
}

#[derive(Subcommand, Debug)]
pub enum SandboxCmd {
    /// Which sandbox layers this machine enforces (tried for real).
    Probe,
}

/// The program's exit status, which `aura run` exits with.
static EXIT: AtomicU8 = AtomicU8::new(0);

pub fn exit_code() -> u8 {
    EXIT.load(Ordering::SeqCst)
}

pub fn sandbox(app: &App, json: bool, cmd: &SandboxCmd) -> Result<()> {
    match cmd {
        SandboxCmd::Probe => {
            let p = app.sandbox_probe();
            crate::output::emit(json, &p, |p| {
                println!("{}", p.summary);
                let yes = |b: bool| if b { "yes" } else { "no" };
                let ll = p
                    .landlock_abi
                    .map_or("no".to_owned(), |a| format!("ABI {a}"));
                println!("  landlock:     {ll}");
                println!("  seccomp:      {}", yes(p.seccomp));
                println!("  rlimits:      {}", yes(p.rlimits));
                println!("  no_new_privs: {}", yes(p.no_new_privs));
                println!(
                    "  bwrap:        {}",
                    p.bwrap_path.as_deref().unwrap_or("no")
                );
                for n in &p.notes {
                    println!("  note: {n}");
                }
            });
            if p.level == aura_app::exec::SandboxLevel::None {
                EXIT.store(1, Ordering::SeqCst);
            }
            Ok(())
        }
    }
}

pub fn run(app: &App, json: bool, selected: Option<&str>, args: RunArgs) -> Result<()> {
    let file = args
        .file
        .canonicalize()
        .map_err(|e| Error::from_io(&e, args.file.display()))?;
    let (project, rel) = project_of(app, selected, &file)?;
    let req = RunRequest {
        target: RunTarget::File { path: rel },
        mode: if args.no_sandbox {
            SandboxMode::Off
        } else if args.allow_partial {
            SandboxMode::AllowPartial
        } else {
            SandboxMode::Require
        },
        allow_net: args.allow_net.then_some(true),
        timeout_secs: args.timeout,
        mem_mb: args.mem,
        stdin: None,
    };
    let (tx, rx) = mpsc::channel::<RunOutcome>();
    let collected = std::sync::Arc::new(std::sync::Mutex::new((String::new(), String::new())));
    let sink = std::sync::Arc::clone(&collected);
    let info = app.run_start(&project, &req, move |ev| match ev {
        RunEvent::Output { stream, text } => {
            if json {
                let mut c = sink.lock().unwrap_or_else(|p| p.into_inner());
                match stream {
                    RunStream::Stdout => c.0.push_str(&text),
                    RunStream::Stderr => c.1.push_str(&text),
                }
            } else {
                // A closed pipe (`aura run x | head`) is the reader's choice.
                let _ = match stream {
                    RunStream::Stdout => std::io::stdout().lock().write_all(text.as_bytes()),
                    RunStream::Stderr => std::io::stderr().lock().write_all(text.as_bytes()),
                };
            }
        }
        RunEvent::Exit { outcome } => {
            let _ = tx.send(outcome);
        }
    })?;
    let outcome = rx
        .recv()
        .map_err(|_| Error::new(ErrorCode::Internal, "the run ended without an outcome"))?;
    let code = match (outcome.exit_code, outcome.signal) {
        (Some(c), _) => u8::try_from(c).unwrap_or(1),
        (None, Some(s)) => u8::try_from(128 + s).unwrap_or(1),
        (None, None) => 1,
    };
    EXIT.store(code, Ordering::SeqCst);
    if json {
        let c = collected.lock().unwrap_or_else(|p| p.into_inner());
        let v =
            serde_json::json!({ "run": info, "outcome": outcome, "stdout": c.0, "stderr": c.1 });
        println!("{v}");
    } else {
        let _ = std::io::stdout().flush();
        let how = match (outcome.exit_code, outcome.signal) {
            (Some(c), _) => format!("exit {c}"),
            (None, Some(s)) => format!("killed by signal {s}"),
            (None, None) => "ended".into(),
        };
        let why = if outcome.timed_out {
            " (wall-clock limit)"
        } else if outcome.stopped {
            " (stopped)"
        } else {
            ""
        };
        eprintln!(
            "aura: {how}{why} after {:.1} ms, peak memory {:.1} MiB; {}",
            outcome.wall_ms,
            outcome.peak_rss_kb / 1024.0,
            info.sandbox
        );
    }
    Ok(())
}

/// The project holding `file` (the one given with -p, else the registered project that
/// contains it, else its folder, opened as a project) and the file's path inside it.
fn project_of(app: &App, selected: Option<&str>, file: &Path) -> Result<(String, String)> {
    let project = match selected {
        Some(s) => crate::commands::find_project_pub(app, s)?,
        None => {
            let all = app.project_list_recent(usize::MAX)?;
            match all
                .into_iter()
                .filter(|p| file.starts_with(Path::new(&p.path)))
                .max_by_key(|p| p.path.len())
            {
                Some(p) => p,
                None => app.project_open(file.parent().unwrap_or(Path::new("/")))?,
            }
        }
    };
    let rel = file.strip_prefix(Path::new(&project.path)).map_err(|_| {
        Error::new(
            ErrorCode::OutsideProject,
            format!("{} is not inside {}", file.display(), project.path),
        )
    })?;
    Ok((project.id, rel.to_string_lossy().into_owned()))
}
