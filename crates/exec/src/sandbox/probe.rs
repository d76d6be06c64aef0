//! What this machine enforces, found by doing it: the helper applies every layer to itself
//! and reports what held, and bubblewrap is tried for real around it.

use std::ffi::OsString;
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};
use specta::Type;

use super::helper::{Report, Spec};
use super::{Layers, Limits, Policy, Sandbox, resolve_program};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum SandboxLevel {
    /// Every layer the policy needs (Landlock, seccomp, rlimits) is enforced.
    Full,
    /// Some are missing: a run needs the user's consent.
    Partial,
    /// Nothing can be enforced here.
    None,
}

/// The probe's result, as the status bar and `aura sandbox probe` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Probe {
    pub platform: String,
    pub level: SandboxLevel,
    /// "Sandbox: Landlock 7 + seccomp + bwrap", or "Partial: ..." naming what is missing.
    pub summary: String,
    pub rlimits: bool,
    pub no_new_privs: bool,
    pub landlock_abi: Option<u32>,
    pub seccomp: bool,
    /// bubblewrap's PID and network namespaces work here.
    pub bwrap: bool,
    pub bwrap_path: Option<String>,
    /// Layers the policy needs that are not there.
    pub missing: Vec<String>,
    /// Why a layer is missing, as the OS said it.
    pub notes: Vec<String>,
}

impl Probe {
    /// The layers that can be applied here.
    pub fn available(&self) -> Layers {
        Layers {
            rlimits: self.rlimits,
            landlock: self.landlock_abi.is_some(),
            seccomp: self.seccomp,
            bwrap: self.bwrap,
        }
    }

    /// Whether the named layer (`landlock`, `seccomp`, `rlimits`, `bwrap`) is enforced.
    pub fn has(&self, layer: &str) -> Option<bool> {
        let l = self.available();
        Some(match layer {
            "landlock" => l.landlock,
            "seccomp" => l.seccomp,
            "rlimits" => l.rlimits,
            "bwrap" => l.bwrap,
            _ => return None,
        })
    }

    /// Layers named in `AURA_SANDBOX_REQUIRE` (comma-separated) that are missing: CI sets it
    /// to what the machine has, so a layer that silently disappears fails the build.
    pub fn missing_required(&self, required: &str) -> Vec<String> {
        required
            .split(',')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .filter(|l| self.has(l) != Some(true))
            .map(str::to_owned)
            .collect()
    }

    fn from_parts(report: Report, bwrap: Option<String>, mut notes: Vec<String>) -> Self {
        notes.extend(report.errors.iter().cloned());
        let mut names = Vec::new();
        let mut missing = Vec::new();
        match report.landlock_abi {
            Some(abi) => names.push(format!("Landlock {abi}")),
            None => missing.push("Landlock".to_owned()),
        }
        if report.seccomp {
            names.push("seccomp".into());
        } else {
            missing.push("seccomp".into());
        }
        if !report.rlimits {
            missing.push("rlimits".into());
        }
        if bwrap.is_some() {
            names.push("bwrap".into());
        }
        let level = if missing.is_empty() {
            SandboxLevel::Full
        } else if names.is_empty() {
            SandboxLevel::None
        } else {
            SandboxLevel::Partial
        };
        let joined = names.join(" + ");
        let summary = match level {
            SandboxLevel::Full => format!("Sandbox: {joined}"),
            SandboxLevel::Partial => format!("Partial: {joined} (no {})", missing.join(", no ")),
            SandboxLevel::None => "No sandbox on this system".to_owned(),
        };
        Self {
            platform: std::env::consts::OS.to_owned(),
            level,
            summary,
            rlimits: report.rlimits,
            no_new_privs: report.no_new_privs,
            landlock_abi: report.landlock_abi,
            seccomp: report.seccomp,
            bwrap: bwrap.is_some(),
            bwrap_path: bwrap,
            missing,
            notes,
        }
    }
}

pub(super) fn run(sb: &Sandbox) -> Probe {
    if !cfg!(any(target_os = "linux", target_os = "macos")) {
        return Probe::from_parts(
            Report::default(),
            None,
            vec![
                "no OS sandbox on this platform yet (planned: restricted token + job object)"
                    .into(),
            ],
        );
    }
    let spec = Spec {
        policy: Policy {
            read_write: Vec::new(),
            read_only: Vec::new(),
            allow_net: false,
            limits: Limits::default(),
        },
        layers: Layers {
            bwrap: false,
            ..Layers::ALL
        },
        temp_dir: None,
        pty: false,
        probe: true,
    };
    let mut notes = Vec::new();
    let report = match sb.helper_argv(&spec).map(|argv| helper_report(sb, argv)) {
        Ok(Ok(r)) => r,
        Ok(Err(e)) | Err(super::SandboxError::Helper(e) | super::SandboxError::Unavailable(e)) => {
            notes.push(e);
            Report::default()
        }
    };
    let bwrap = if cfg!(target_os = "linux") {
        try_bwrap(sb, &spec, &mut notes)
    } else {
        None
    };
    Probe::from_parts(report, bwrap, notes)
}

fn helper_report(sb: &Sandbox, argv: Vec<OsString>) -> Result<Report, String> {
    let argv: Vec<OsString> = sb.prefix.iter().cloned().chain(argv).collect();
    let out = output(&argv)?;
    if !out.status.success() {
        return Err(format!(
            "the sandbox helper failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("helper report: {e}"))
}

/// Runs the helper inside bubblewrap with the arguments every sandboxed run uses.
fn try_bwrap(sb: &Sandbox, spec: &Spec, notes: &mut Vec<String>) -> Option<String> {
    let Some(bwrap) = resolve_program("bwrap", std::env::var_os("PATH").as_deref()) else {
        notes.push("bubblewrap (bwrap) is not installed".into());
        return None;
    };
    let spec = Spec {
        layers: Layers::NONE,
        ..spec.clone()
    };
    let mut argv = sb.prefix.clone();
    argv.extend(super::bwrap_args(&bwrap, false));
    argv.extend(sb.helper_argv(&spec).ok()?);
    match output(&argv) {
        Ok(out) if out.status.success() => Some(bwrap.display().to_string()),
        Ok(out) => {
            notes.push(format!(
                "bubblewrap does not work here: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
            None
        }
        Err(e) => {
            notes.push(e);
            None
        }
    }
}

fn output(argv: &[OsString]) -> Result<std::process::Output, String> {
    let (program, args) = argv.split_first().ok_or("empty command")?;
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", program.to_string_lossy()))
}
