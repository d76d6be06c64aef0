//! Process plumbing the standard library lacks: reaping a child with its resource usage
//! (peak memory), waiting without reaping, and killing a process group or a session.

use rustix::process::{
    Pid, Signal, WaitId, WaitIdOptions, kill_process, kill_process_group, waitid,
};

/// How a reaped child ended, with its peak resident memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reaped {
    pub code: Option<i32>,
    pub signal: Option<i32>,
    /// ru_maxrss: the largest of the child and the descendants it waited for, in KiB.
    pub peak_rss_kb: u64,
}

pub(crate) fn pid(raw: u32) -> Option<Pid> {
    Pid::from_raw(i32::try_from(raw).ok()?)
}

/// Blocks until `pid` has exited but leaves it a zombie, so its pid (and process group id)
/// cannot be reused while we still kill the group.
pub(crate) fn wait_exited(pid: Pid) -> std::io::Result<()> {
    loop {
        match waitid(
            WaitId::Pid(pid),
            WaitIdOptions::EXITED | WaitIdOptions::NOWAIT,
        ) {
            Err(rustix::io::Errno::INTR) => continue,
            r => return r.map(|_| ()).map_err(Into::into),
        }
    }
}

/// SIGKILL to the process group `pgid` (and its leader); "no such process" is fine.
pub(crate) fn kill_group(pgid: Pid, sig: Signal) {
    let _ = kill_process_group(pgid, sig);
    let _ = kill_process(pgid, sig);
}

pub(crate) const KILL: Signal = Signal::KILL;
pub(crate) const TERM: Signal = Signal::TERM;
pub(crate) const HUP: Signal = Signal::HUP;

/// Every process whose session id is `sid` (a terminal's shell and all its jobs, which
/// live in process groups of their own), from /proc.
pub(crate) fn session_members(sid: Pid) -> Vec<Pid> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|p| stat_session(*p) == Some(sid.as_raw_nonzero().get()))
        .filter_map(Pid::from_raw)
        .collect()
}

/// Field 6 of /proc/PID/stat (after the parenthesised command, which may hold spaces).
fn stat_session(pid: i32) -> Option<i32> {
    stat_field(pid, 3)
}

/// The `n`th field after the command in /proc/PID/stat (0: state, 2: pgrp, 3: session).
fn stat_field(pid: i32, n: usize) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(n)?.parse().ok()
}

/// The largest peak resident set (VmHWM, KiB) among the live processes of group `pgid`.
/// Sampled while a run goes on: bubblewrap's PID namespace hides the program's peak from
/// the `wait4` of the run's leader.
pub(crate) fn group_peak_rss_kb(pgid: Pid) -> u64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let want = pgid.as_raw_nonzero().get();
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|p| stat_field(*p, 2) == Some(want))
        .filter_map(|p| {
            let status = std::fs::read_to_string(format!("/proc/{p}/status")).ok()?;
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .max()
        .unwrap_or(0)
}

/// Kills every member of session `sid` with `sig`. Only processes found in the session
/// are signalled: the leader may be gone and its pid reused by a stranger.
pub(crate) fn kill_session(sid: Pid, sig: Signal) {
    for p in session_members(sid) {
        let _ = kill_process(p, sig);
    }
}

/// Reaps `pid` with `wait4`, keeping its resource usage.
#[allow(unsafe_code)]
pub(crate) fn reap(pid: Pid) -> std::io::Result<Reaped> {
    let mut status: libc::c_int = 0;
    // SAFETY: zeroed is a valid `rusage` (plain integers); the kernel fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: wait4 writes only to the two out-pointers, which point at live locals of
        // the right types for the duration of the call.
        let r = unsafe {
            libc::wait4(
                pid.as_raw_nonzero().get(),
                &raw mut status,
                0,
                &raw mut usage,
            )
        };
        if r >= 0 {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let (code, signal) = if libc::WIFEXITED(status) {
        (Some(libc::WEXITSTATUS(status)), None)
    } else if libc::WIFSIGNALED(status) {
        (None, Some(libc::WTERMSIG(status)))
    } else {
        (None, None)
    };
    Ok(Reaped {
        code,
        signal,
        peak_rss_kb: u64::try_from(usage.ru_maxrss).unwrap_or(0),
    })
}
