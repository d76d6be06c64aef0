//! The helper mode: `<exe> __aura-sandbox SPEC -- PROGRAM ARGS...`.
//!
//! Both `aura` and `aura-desktop` call [`run_helper_if_requested`] as the first line of
//! `main`, before any thread exists. In helper mode the process applies the layers the spec
//! asks for to itself and then `exec`s the program, which inherits them; the helper never
//! returns to the app's code. Its only way to talk to the parent is stderr (a line starting
//! with `aura-sandbox:`) and its exit status ([`HELPER_FAILED`] when a layer failed).

// The helper has no logger: stderr and stdout are its interface to the parent.
#![allow(clippy::print_stderr, clippy::print_stdout)]

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{Layers, Policy};

/// argv[1] that selects the helper mode.
pub const HELPER_ARG: &str = "__aura-sandbox";

/// The helper's exit status when it could not apply a layer (the program never ran).
pub const HELPER_FAILED: i32 = 125;

/// What the parent tells the helper.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Spec {
    pub policy: Policy,
    pub layers: Layers,
    /// Created (0700) and granted read-write; exported as TMPDIR.
    pub temp_dir: Option<PathBuf>,
    pub pty: bool,
    /// Apply the layers, print a [`Report`] as JSON and exit instead of running a program.
    pub probe: bool,
}

/// What the helper found it could enforce (probe mode).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Report {
    pub rlimits: bool,
    pub no_new_privs: bool,
    /// The kernel's Landlock ABI, when a ruleset was enforced.
    pub landlock_abi: Option<u32>,
    pub landlock_full: bool,
    pub seccomp: bool,
    pub errors: Vec<String>,
}

/// Runs the helper mode when argv asks for it (and then never returns); otherwise does
/// nothing. Call it first thing in `main`, before any thread starts.
pub fn run_helper_if_requested() {
    let mut args = std::env::args_os();
    let _exe = args.next();
    if args.next().as_deref() != Some(OsStr::new(HELPER_ARG)) {
        return;
    }
    let code = helper_main(args.collect());
    std::process::exit(code);
}

fn helper_main(rest: Vec<OsString>) -> i32 {
    let mut it = rest.into_iter();
    let spec: Spec = match it
        .next()
        .map(|s| serde_json::from_str(&s.to_string_lossy()))
    {
        Some(Ok(spec)) => spec,
        Some(Err(e)) => return fail(&format!("bad spec: {e}")),
        None => return fail("no spec"),
    };
    if it.next().as_deref() != Some(OsStr::new("--")) {
        return fail("expected `--` after the spec");
    }
    if let Some(dir) = &spec.temp_dir
        && let Err(e) = make_private_dir(dir)
    {
        return fail(&format!("creating {}: {e}", dir.display()));
    }
    let report = apply(&spec);
    if spec.probe {
        match serde_json::to_string(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => return fail(&format!("encoding the report: {e}")),
        }
        return 0;
    }
    if let Some(first) = report.errors.first() {
        return fail(first);
    }
    let Some(program) = it.next() else {
        return fail("no program to run");
    };
    exec(&program, it.collect(), &spec)
}

fn make_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    match b.create(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(e),
        _ => Ok(()),
    }
}

#[cfg(target_os = "linux")]
fn apply(spec: &Spec) -> Report {
    super::linux::apply(spec)
}

/// macOS: `sandbox-exec` (outside the helper) does the file and network policy; the helper
/// adds the rlimits.
#[cfg(target_os = "macos")]
fn apply(spec: &Spec) -> Report {
    super::macos::apply(spec)
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn apply(_spec: &Spec) -> Report {
    Report {
        errors: vec!["no OS sandbox on this platform".into()],
        ..Report::default()
    }
}

#[cfg(unix)]
fn exec(program: &OsStr, args: Vec<OsString>, spec: &Spec) -> i32 {
    use std::os::unix::process::CommandExt as _;
    let mut cmd = std::process::Command::new(program);
    cmd.args(args);
    if let Some(dir) = &spec.temp_dir {
        for var in ["TMPDIR", "TMP", "TEMP"] {
            cmd.env(var, dir);
        }
    }
    let err = cmd.exec();
    eprintln!(
        "aura-sandbox: cannot run {}: {err}",
        program.to_string_lossy()
    );
    if err.kind() == std::io::ErrorKind::NotFound {
        127
    } else {
        126
    }
}

#[cfg(not(unix))]
fn exec(_program: &OsStr, _args: Vec<OsString>, _spec: &Spec) -> i32 {
    fail("no OS sandbox on this platform")
}

fn fail(msg: &str) -> i32 {
    eprintln!("aura-sandbox: {msg}");
    HELPER_FAILED
}
