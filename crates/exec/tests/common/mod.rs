//! Shared by aura-exec's integration tests: a project and an "outside" folder the
//! unprivileged test uid can use, the sandbox helper binary, runs with chosen layers, and the
//! loud skip that `AURA_SANDBOX_REQUIRE` turns into a failure.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::print_stderr,
    clippy::missing_panics_doc
)]

use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aura_exec::run::{Outcome, RunCommand, Stream};
use aura_exec::sandbox::{Layers, Limits, Policy, Probe, Sandbox, WrapRequest};

pub const PY: &str = "/usr/bin/python3";

/// The helper binary of this crate (the apps use their own executable instead).
pub fn helper() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_aura-sandbox-helper"))
}

/// `setpriv` to uid/gid 65534 when we are root (RLIMIT_NPROC and file modes do not apply
/// to root), nothing when we already are an ordinary user.
pub fn unprivileged_prefix() -> Option<Vec<OsString>> {
    if !rustix_is_root() {
        return Some(Vec::new());
    }
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| Path::new(p).exists())?;
    Some(
        [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
            .into_iter()
            .map(OsString::from)
            .collect(),
    )
}

fn rustix_is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// Returns true when `layer` is enforced here. Otherwise prints a loud SKIP, or panics when
/// `AURA_SANDBOX_REQUIRE` names the layer (CI sets it to what the machine has).
pub fn need(probe: &Probe, layer: &str, test: &str) -> bool {
    if probe.has(layer) == Some(true) {
        return true;
    }
    let required = std::env::var("AURA_SANDBOX_REQUIRE").unwrap_or_default();
    assert!(
        !required.split(',').any(|l| l.trim() == layer),
        "{test}: layer {layer} is required (AURA_SANDBOX_REQUIRE={required}) but missing: {probe:?}"
    );
    eprintln!(
        "SKIPPED {test}: the {layer} layer is not available here ({})",
        probe.summary
    );
    false
}

/// A world-writable temp folder (the test uid is not the owner).
pub fn open_dir(prefix: &str) -> tempfile::TempDir {
    let d = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in("/tmp")
        .unwrap();
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    d
}

pub struct Env {
    pub project: tempfile::TempDir,
    pub outside: tempfile::TempDir,
    pub tmp_parent: tempfile::TempDir,
    pub sandbox: Sandbox,
}

#[derive(Debug)]
pub struct Res {
    pub out: String,
    pub err: String,
    pub outcome: Outcome,
}

impl Res {
    pub fn code(&self) -> Option<i32> {
        self.outcome.exit_code
    }
}

impl Env {
    /// None when no unprivileged uid can be had (then the caller skips loudly).
    pub fn new() -> Option<Self> {
        let prefix = unprivileged_prefix()?;
        Some(Self {
            project: open_dir("aura-proj-"),
            outside: open_dir("aura-outside-"),
            tmp_parent: open_dir("aura-tmp-"),
            sandbox: Sandbox::new(helper()).with_prefix(prefix),
        })
    }

    pub fn policy(&self) -> Policy {
        Policy {
            read_write: vec![self.project.path().to_path_buf()],
            read_only: Vec::new(),
            allow_net: false,
            limits: Limits {
                wall_secs: 30,
                ..Limits::default()
            },
        }
    }

    pub fn run(&self, layers: Layers, policy: &Policy, argv: &[&str], stdin: Option<&str>) -> Res {
        let (program, args) = argv.split_first().unwrap();
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let temp = self.tmp_parent.path().join(format!("run-{}", uniq()));
        let wrapped = self
            .sandbox
            .wrap(&WrapRequest {
                program: Path::new(program),
                args: &args,
                policy,
                layers,
                temp_dir: &temp,
                pty: false,
            })
            .unwrap();
        let (out, err) = (
            Arc::new(Mutex::new(Vec::new())),
            Arc::new(Mutex::new(Vec::new())),
        );
        let (o, e) = (Arc::clone(&out), Arc::clone(&err));
        let running = aura_exec::run::start(
            RunCommand {
                argv: wrapped.argv.clone(),
                cwd: self.project.path().to_path_buf(),
                env: Vec::new(),
                stdin: stdin.map(|s| s.as_bytes().to_vec()),
                wall_limit: Some(Duration::from_secs(u64::from(policy.limits.wall_secs))),
                signal_exit_codes: wrapped.layers.bwrap,
            },
            move |stream, bytes| match stream {
                Stream::Stdout => o.lock().unwrap().extend_from_slice(bytes),
                Stream::Stderr => e.lock().unwrap().extend_from_slice(bytes),
            },
        )
        .unwrap();
        let outcome = running.wait().unwrap();
        let text =
            |b: &Arc<Mutex<Vec<u8>>>| String::from_utf8_lossy(&b.lock().unwrap()).into_owned();
        Res {
            out: text(&out),
            err: text(&err),
            outcome,
        }
    }

    /// Runs a Python snippet (the system's python3, which the test uid can read).
    pub fn py(&self, layers: Layers, policy: &Policy, code: &str) -> Res {
        self.run(layers, policy, &[PY, "-c", code], None)
    }
}

pub fn uniq() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// All layers except the named ones.
pub fn without(names: &[&str]) -> Layers {
    let mut l = Layers::ALL;
    for n in names {
        match *n {
            "landlock" => l.landlock = false,
            "seccomp" => l.seccomp = false,
            "rlimits" => l.rlimits = false,
            "bwrap" => l.bwrap = false,
            other => panic!("unknown layer {other}"),
        }
    }
    l
}

/// Python that tries `action` and prints `ok` or `errno=N`.
pub fn try_py(action: &str) -> String {
    format!(
        "import sys\ntry:\n    {action}\n    print('ok')\nexcept OSError as e:\n    print('errno=%d' % e.errno)\n"
    )
}
