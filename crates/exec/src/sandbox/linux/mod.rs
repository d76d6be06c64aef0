//! The Linux layers, applied by the helper to itself just before it `exec`s the program:
//! rlimits, no_new_privs, Landlock (file system, TCP, signal and abstract-socket scopes),
//! then seccomp (last, because it denies nothing the helper still needs: `execve` stays).

mod landlock;
mod seccomp;

use rustix::process::{Resource, Rlimit, getuid, setrlimit};

use super::helper::{Report, Spec};

pub(super) fn apply(spec: &Spec) -> Report {
    let mut report = Report::default();
    let layers = spec.layers;
    if layers.rlimits {
        match rlimits(&spec.policy.limits) {
            Ok(()) => report.rlimits = true,
            Err(e) => report.errors.push(format!("rlimits: {e}")),
        }
    }
    if layers.landlock {
        match landlock::restrict(spec) {
            Ok(st) => {
                report.landlock_abi = Some(st.abi);
                report.landlock_full = st.full;
                report.no_new_privs |= st.no_new_privs;
            }
            Err(e) => report.errors.push(format!("landlock: {e}")),
        }
    }
    // Landlock sets no_new_privs itself; without it, seccomp still needs it (and the
    // policy wants it anyway: no setuid program may gain rights inside the sandbox).
    if layers.landlock || layers.seccomp || layers.rlimits {
        match rustix::thread::set_no_new_privs(true) {
            Ok(()) => report.no_new_privs = true,
            Err(e) => report.errors.push(format!("no_new_privs: {e}")),
        }
    }
    if layers.seccomp {
        match seccomp::install(spec.policy.allow_net) {
            Ok(()) => report.seccomp = true,
            Err(e) => report.errors.push(format!("seccomp: {e}")),
        }
    }
    report
}

const MIB: u64 = 1024 * 1024;

fn rlimits(l: &super::Limits) -> std::io::Result<()> {
    let set = |r, soft: u64, hard: u64| {
        setrlimit(
            r,
            Rlimit {
                current: Some(soft),
                maximum: Some(hard),
            },
        )
    };
    set(Resource::Core, 0, 0)?;
    let cpu = u64::from(l.cpu_secs.max(1));
    // SIGXCPU at the soft limit (catchable), SIGKILL at the hard one.
    set(Resource::Cpu, cpu, cpu + 1)?;
    let mem = u64::from(l.mem_mb.max(16)) * MIB;
    set(Resource::Data, mem, mem)?;
    let file = u64::from(l.file_mb.max(1)) * MIB;
    set(Resource::Fsize, file, file)?;
    // RLIMIT_NPROC counts every task of the real uid (in this user namespace), so the
    // limit is what the user already runs plus the allowance. Root ignores it anyway.
    if !getuid().is_root() {
        let allowance = u64::from(l.procs.max(1));
        let nproc = user_tasks().saturating_add(allowance);
        set(Resource::Nproc, nproc, nproc)?;
    }
    Ok(())
}

/// Tasks (threads included, as the kernel counts them) of our real uid, from /proc.
fn user_tasks() -> u64 {
    let uid = getuid().as_raw().to_string();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut n = 0u64;
    for e in dir.flatten() {
        let name = e.file_name();
        if !name.to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(status) = std::fs::read_to_string(e.path().join("status")) else {
            continue;
        };
        let mut mine = false;
        let mut threads = 1;
        for line in status.lines() {
            if let Some(v) = line.strip_prefix("Uid:") {
                mine = v.split_whitespace().next() == Some(uid.as_str());
            } else if let Some(v) = line.strip_prefix("Threads:") {
                threads = v.trim().parse().unwrap_or(1);
            }
        }
        if mine {
            n += threads;
        }
    }
    n
}
