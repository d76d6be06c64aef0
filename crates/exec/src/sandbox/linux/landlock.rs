//! Landlock: an allow-list of the file system, TCP bind/connect denied without network,
//! and the signal and abstract-UNIX-socket scopes (the program cannot signal or connect to
//! anything outside its sandbox).

use std::path::Path;

use landlock::{
    ABI, Access, AccessFs, AccessNet, BitFlags, LandlockStatus, PathBeneath, PathFd, Ruleset,
    RulesetAttr, RulesetCreatedAttr, RulesetStatus, Scope,
};

use crate::sandbox::helper::Spec;
use crate::sandbox::{DEVICES, SYSTEM_READ_ONLY};

/// The newest ABI whose rights we have tested; older kernels get what they support.
const ABI_USED: ABI = ABI::V7;

/// Files of /proc that runtimes read. All of /proc is granted only inside bubblewrap's PID
/// namespace: outside it, /proc/PID/environ of the user's other processes (the IDE's
/// own, with its API keys) would be readable.
const PROC_FILES: &[&str] = &[
    "/proc/cpuinfo",
    "/proc/meminfo",
    "/proc/stat",
    "/proc/filesystems",
    "/proc/sys",
    "/proc/self",
    "/proc/thread-self",
];

pub(super) struct Status {
    pub abi: u32,
    pub full: bool,
    pub no_new_privs: bool,
}

pub(super) fn restrict(spec: &Spec) -> Result<Status, String> {
    fn e(what: &'static str) -> impl Fn(landlock::RulesetError) -> String {
        move |err| format!("{what}: {err}")
    }
    let mut ruleset = Ruleset::default()
        .handle_access(AccessFs::from_all(ABI_USED))
        .map_err(e("file rights"))?
        .scope(Scope::from_all(ABI_USED))
        .map_err(e("scopes"))?;
    if !spec.policy.allow_net {
        ruleset = ruleset
            .handle_access(AccessNet::from_all(ABI_USED))
            .map_err(e("network rights"))?;
    }
    let mut created = ruleset.create().map_err(e("creating the ruleset"))?;

    let read = AccessFs::from_read(ABI_USED);
    let write_file = AccessFs::from_file(ABI_USED) & !AccessFs::Execute;
    let all = AccessFs::from_all(ABI_USED);
    let in_pid_ns = spec.layers.bwrap;
    for p in SYSTEM_READ_ONLY {
        if *p == "/proc" && !in_pid_ns {
            for f in PROC_FILES {
                created = add(created, Path::new(f), read)?;
            }
            continue;
        }
        created = add(created, Path::new(p), read)?;
    }
    for p in &spec.policy.read_only {
        created = add(created, p, read)?;
    }
    for d in DEVICES {
        // A run has no terminal of its own: /dev/tty would be the user's shell's.
        if !spec.pty && matches!(*d, "/dev/tty" | "/dev/ptmx" | "/dev/pts") {
            continue;
        }
        created = add(created, Path::new(d), write_file | read)?;
    }
    for p in spec.policy.read_write.iter().chain(spec.temp_dir.iter()) {
        created = add(created, p, all)?;
    }
    let status = created.restrict_self().map_err(e("enforcing"))?;
    let abi = match status.landlock {
        LandlockStatus::Available {
            effective_abi,
            kernel_abi,
        } => kernel_abi
            .and_then(|k| u32::try_from(k).ok())
            .unwrap_or(effective_abi as u32),
        _ => 0,
    };
    match status.ruleset {
        RulesetStatus::NotEnforced => Err("the kernel does not enforce Landlock".into()),
        s => Ok(Status {
            abi,
            full: s == RulesetStatus::FullyEnforced,
            no_new_privs: status.no_new_privs,
        }),
    }
}

/// Grants `access` beneath `path` (only the rights that apply to a file, for a file). A
/// path that does not exist is skipped: not every system has /lib32 or /nix.
fn add(
    created: landlock::RulesetCreated,
    path: &Path,
    access: BitFlags<AccessFs>,
) -> Result<landlock::RulesetCreated, String> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(created);
    };
    let access = if meta.is_dir() {
        access
    } else {
        access & AccessFs::from_file(ABI_USED)
    };
    let fd = PathFd::new(path).map_err(|err| format!("{}: {err}", path.display()))?;
    created
        .add_rule(PathBeneath::new(fd, access))
        .map_err(|err| format!("rule for {}: {err}", path.display()))
}
