//! The OS sandbox around every run: what a sandboxed program may touch ([`Policy`]), the
//! layers that enforce it ([`Layers`]), what this machine can enforce ([`Probe`]), and how a
//! command line is wrapped so that the layers are applied before the program starts
//! ([`Sandbox::wrap`]).
//!
//! The layers are applied in a *helper mode* of our own binary (`<exe> __aura-sandbox SPEC --
//! PROGRAM ARGS...`): a fresh, single-threaded process that sets rlimits, no_new_privs,
//! Landlock and seccomp on itself and then `exec`s the program, which inherits them all. It
//! is never done with `pre_exec` in the app's multi-threaded process. On Linux, bubblewrap
//! (when it works here) goes around the helper and adds PID and network namespaces, so a
//! program that calls `setsid()` still dies with the run.

mod helper;
#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "macos")]
mod macos;
mod probe;
mod toolchain;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use specta::Type;

pub use helper::{HELPER_ARG, HELPER_FAILED, run_helper_if_requested};
pub use probe::{Probe, SandboxLevel};
pub use toolchain::{resolve_program, toolchain_dirs};

/// Resource limits of a sandboxed run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// CPU seconds (RLIMIT_CPU: SIGXCPU, then SIGKILL a second later).
    pub cpu_secs: u32,
    /// Wall-clock seconds before the runner kills the whole tree; 0 for none (terminals).
    pub wall_secs: u32,
    /// Memory in MiB: the heap and private writable mappings (RLIMIT_DATA). Not the address
    /// space (RLIMIT_AS): V8 reserves several GB of it for WebAssembly alone, so a Node
    /// program using Wasm (tsx, for one) could not start under any sensible limit.
    pub mem_mb: u32,
    /// Largest file the program may write, in MiB (RLIMIT_FSIZE).
    pub file_mb: u32,
    /// Processes (tasks) the program may add to its user's count (RLIMIT_NPROC, which the
    /// kernel counts per user and ignores for root).
    pub procs: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            cpu_secs: 120,
            wall_secs: 600,
            mem_mb: 4096,
            file_mb: 1024,
            procs: 256,
        }
    }
}

/// What a sandboxed program may reach. System and toolchain paths are readable (and
/// executable); `read_write` (the project, and the run's private temp dir which the helper
/// adds) is writable; nothing else, in particular nothing else of `$HOME`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub read_write: Vec<PathBuf>,
    /// Extra read-only dirs (toolchains) on top of the system ones.
    pub read_only: Vec<PathBuf>,
    pub allow_net: bool,
    pub limits: Limits,
}

impl Policy {
    /// The usual policy for a run in `project`: the project writable, `toolchains` readable.
    pub fn for_project(project: &Path, toolchains: Vec<PathBuf>, allow_net: bool) -> Self {
        Self {
            read_write: vec![project.to_path_buf()],
            read_only: toolchains,
            allow_net,
            limits: Limits::default(),
        }
    }
}

/// The system dirs every program needs to read: binaries, libraries, config, and the
/// pseudo-filesystems (`/proc`, `/sys`) that runtimes inspect. Missing ones are skipped.
pub const SYSTEM_READ_ONLY: &[&str] = &[
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/etc",
    "/opt",
    "/proc",
    "/sys",
    "/nix/store",
    "/run/current-system",
];

/// Device files a program may read and write (terminals, null, random).
pub const DEVICES: &[&str] = &[
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
    "/dev/tty",
    "/dev/ptmx",
    "/dev/pts",
    "/dev/fd",
];

/// Which layers to apply. All on is the product; tests turn single layers off to show that
/// each denial comes from the layer that claims it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layers {
    pub rlimits: bool,
    pub landlock: bool,
    pub seccomp: bool,
    /// bubblewrap PID (and, without network, net) namespaces around the helper.
    pub bwrap: bool,
}

impl Layers {
    pub const ALL: Self = Self {
        rlimits: true,
        landlock: true,
        seccomp: true,
        bwrap: true,
    };
    pub const NONE: Self = Self {
        rlimits: false,
        landlock: false,
        seccomp: false,
        bwrap: false,
    };
}

/// How strict to be when the probe says a layer is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum SandboxMode {
    /// Refuse (`SandboxUnavailable`) unless every layer the policy needs is there.
    Require,
    /// The user agreed to run with the layers that are there (the probe says which).
    AllowPartial,
    /// No sandbox at all (the user turned it off).
    Off,
}

/// A command to wrap: program, arguments, and what the helper needs to know.
#[derive(Debug, Clone)]
pub struct WrapRequest<'a> {
    pub program: &'a Path,
    pub args: &'a [OsString],
    pub policy: &'a Policy,
    pub layers: Layers,
    /// The run's private temp dir, which the helper creates (mode 0700) and grants
    /// read-write; its parent must exist and be writable by the program's user.
    pub temp_dir: &'a Path,
    /// The program runs on a terminal: the helper must not start a new session (job
    /// control needs the terminal's session), and bubblewrap must not either.
    pub pty: bool,
}

/// The wrapped command line, program first, and the layers it will apply.
#[derive(Debug, Clone)]
pub struct Wrapped {
    pub argv: Vec<OsString>,
    pub layers: Layers,
}

/// Errors the caller branches on.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("the sandbox cannot be applied here: {0}")]
    Unavailable(String),
    #[error("sandbox helper: {0}")]
    Helper(String),
}

impl From<SandboxError> for aura_core::Error {
    fn from(e: SandboxError) -> Self {
        match e {
            SandboxError::Unavailable(m) => {
                aura_core::Error::new(aura_core::ErrorCode::SandboxUnavailable, m)
            }
            SandboxError::Helper(m) => aura_core::Error::internal(format!("sandbox helper: {m}")),
        }
    }
}

/// The sandbox of one process: where the helper is, and (once asked) what this machine
/// enforces.
#[derive(Debug)]
pub struct Sandbox {
    helper: PathBuf,
    /// Programs put before everything else (`setpriv --reuid=...` in tests).
    prefix: Vec<OsString>,
    probe: OnceLock<Probe>,
}

impl Sandbox {
    /// `helper` is a binary that calls [`run_helper_if_requested`] first thing in `main`
    /// (normally `std::env::current_exe()`).
    pub fn new(helper: PathBuf) -> Self {
        Self {
            helper,
            prefix: Vec::new(),
            probe: OnceLock::new(),
        }
    }

    /// The sandbox of this binary (which must run the helper mode at the top of `main`).
    pub fn for_current_exe() -> std::io::Result<Self> {
        Ok(Self::new(std::env::current_exe()?))
    }

    /// Runs every command through `prefix` first (tests: a uid change with `setpriv`).
    pub fn with_prefix(mut self, prefix: Vec<OsString>) -> Self {
        self.prefix = prefix;
        self
    }

    pub fn helper(&self) -> &Path {
        &self.helper
    }

    /// What this machine enforces, found once by really applying every layer in a helper.
    pub fn probe(&self) -> &Probe {
        self.probe.get_or_init(|| probe::run(self))
    }

    /// The layers to apply under `mode` (`None`: no sandbox), or `SandboxUnavailable` when
    /// one the policy needs is missing and the user has not agreed to run without it.
    pub fn layers_for(&self, mode: SandboxMode) -> Result<Option<Layers>, SandboxError> {
        let probe = self.probe();
        match mode {
            SandboxMode::Off => Ok(None),
            SandboxMode::Require if probe.level != SandboxLevel::Full => {
                Err(SandboxError::Unavailable(format!(
                    "{} (missing: {}); it runs only if you agree to a partial sandbox",
                    probe.summary,
                    probe.missing.join(", ")
                )))
            }
            SandboxMode::AllowPartial if probe.level == SandboxLevel::None => {
                Err(SandboxError::Unavailable(probe.summary.clone()))
            }
            SandboxMode::Require | SandboxMode::AllowPartial => Ok(Some(probe.available())),
        }
    }

    /// The command line that runs `req.program` inside the sandbox.
    pub fn wrap(&self, req: &WrapRequest<'_>) -> Result<Wrapped, SandboxError> {
        let mut layers = req.layers;
        let spec = helper::Spec {
            policy: req.policy.clone(),
            layers,
            temp_dir: Some(req.temp_dir.to_path_buf()),
            pty: req.pty,
            probe: false,
        };
        let mut argv = self.prefix.clone();
        if layers.bwrap {
            match self.probe().bwrap_path.as_deref() {
                Some(bwrap) => argv.extend(bwrap_args(Path::new(bwrap), req.policy.allow_net)),
                None => layers.bwrap = false,
            }
        }
        argv.extend(self.helper_argv(&helper::Spec { layers, ..spec })?);
        argv.push(req.program.as_os_str().to_owned());
        argv.extend(req.args.iter().cloned());
        platform_wrap(argv, req).map(|argv| Wrapped { argv, layers })
    }

    /// `<helper> __aura-sandbox SPEC --`, ready for the program and its arguments.
    fn helper_argv(&self, spec: &helper::Spec) -> Result<Vec<OsString>, SandboxError> {
        let json = serde_json::to_string(spec)
            .map_err(|e| SandboxError::Helper(format!("encoding the spec: {e}")))?;
        Ok(vec![
            self.helper.clone().into_os_string(),
            HELPER_ARG.into(),
            json.into(),
            "--".into(),
        ])
    }
}

/// bubblewrap around the helper: its own PID namespace (the whole tree dies with it, even a
/// child that called `setsid()`), no network unless allowed, the same file system view.
fn bwrap_args(bwrap: &Path, allow_net: bool) -> Vec<OsString> {
    let mut a: Vec<OsString> = vec![
        bwrap.as_os_str().to_owned(),
        "--die-with-parent".into(),
        "--unshare-pid".into(),
    ];
    if !allow_net {
        a.push("--unshare-net".into());
    }
    for s in ["--dev-bind", "/", "/", "--proc", "/proc", "--"] {
        a.push(s.into());
    }
    a
}

#[cfg(target_os = "linux")]
fn platform_wrap(
    argv: Vec<OsString>,
    _req: &WrapRequest<'_>,
) -> Result<Vec<OsString>, SandboxError> {
    Ok(argv)
}

#[cfg(target_os = "macos")]
fn platform_wrap(
    argv: Vec<OsString>,
    req: &WrapRequest<'_>,
) -> Result<Vec<OsString>, SandboxError> {
    macos::wrap(argv, req)
}

/// Windows: the plan is a restricted token plus a job object (limits, kill-on-close) and
/// an AppContainer for the file system; until then every sandboxed run is refused.
#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn platform_wrap(
    _argv: Vec<OsString>,
    _req: &WrapRequest<'_>,
) -> Result<Vec<OsString>, SandboxError> {
    Err(SandboxError::Unavailable(
        "no OS sandbox on this platform yet (planned: restricted token + job object)".into(),
    ))
}
