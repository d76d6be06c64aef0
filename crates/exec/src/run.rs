//! One run of a program: stdout and stderr handed over apart as they come, then the exit
//! code, wall time and peak memory. The program leads its own process group; a wall-clock
//! limit or [`Running::stop`] kills that whole group, and so does the program's end (its
//! background children do not outlive the run).

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use specta::Type;

/// What to run. `argv` is the whole command line (already wrapped by the sandbox).
#[derive(Debug, Clone)]
pub struct RunCommand {
    pub argv: Vec<OsString>,
    pub cwd: PathBuf,
    /// Set on top of the inherited environment.
    pub env: Vec<(OsString, OsString)>,
    /// Written to the program's stdin, which is then closed; `None`: stdin is /dev/null.
    pub stdin: Option<Vec<u8>>,
    /// Kill the whole tree after this long.
    pub wall_limit: Option<Duration>,
    /// Exit codes 129..=159 mean "killed by signal code-128": bubblewrap's init reports a
    /// killed program that way.
    pub signal_exit_codes: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Stream {
    Stdout,
    Stderr,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// The exit code, when the program exited (not killed by a signal).
    pub exit_code: Option<i32>,
    /// The signal that ended it (9 after Stop or a limit).
    pub signal: Option<i32>,
    pub wall_ms: f64,
    /// Peak resident memory of the program and the children it waited for, in KiB.
    pub peak_rss_kb: f64,
    /// Killed at the wall-clock limit.
    pub timed_out: bool,
    /// Killed by Stop.
    pub stopped: bool,
}

enum Control {
    Stop,
    Done,
}

/// A run in progress.
#[derive(Debug)]
pub struct Running {
    pid: u32,
    control: mpsc::Sender<Control>,
    waiter: Option<JoinHandle<std::io::Result<Outcome>>>,
}

/// How long Stop waits after SIGTERM before SIGKILL.
const STOP_GRACE: Duration = Duration::from_millis(500);

/// Starts `cmd`; `on_output` gets each chunk read from stdout or stderr (up to 64 KiB).
pub fn start(
    cmd: RunCommand,
    on_output: impl FnMut(Stream, &[u8]) + Send + 'static,
) -> std::io::Result<Running> {
    use std::os::unix::process::CommandExt as _;
    let (program, args) = cmd
        .argv
        .split_first()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "empty command"))?;
    let mut c = std::process::Command::new(program);
    c.args(args)
        .current_dir(&cmd.cwd)
        .envs(cmd.env.iter().map(|(k, v)| (k, v)))
        .stdin(if cmd.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so the whole tree can be signalled at once.
        .process_group(0);
    let started = Instant::now();
    let mut child = c.spawn()?;
    let pid = child.id();
    let rpid = crate::procs::pid(pid).ok_or_else(|| std::io::Error::other("bad pid"))?;
    let sink = Arc::new(Mutex::new(on_output));
    let mut readers = Vec::new();
    if let Some(out) = child.stdout.take() {
        readers.push(pump(out, Stream::Stdout, Arc::clone(&sink)));
    }
    if let Some(err) = child.stderr.take() {
        readers.push(pump(err, Stream::Stderr, Arc::clone(&sink)));
    }
    if let (Some(mut input), Some(bytes)) = (child.stdin.take(), cmd.stdin) {
        // A program that never reads its stdin must not block the run.
        std::thread::spawn(move || {
            let _ = input.write_all(&bytes);
        });
    }
    // The child is reaped by `reap` below (wait4, for its rusage), never by std.
    drop(child);

    let (control, rx) = mpsc::channel::<Control>();
    let done = control.clone();
    let flags = Arc::new(Mutex::new(Flags::default()));
    let signal_codes = cmd.signal_exit_codes;
    let watch_flags = Arc::clone(&flags);
    let wall = cmd.wall_limit;
    let watchdog = std::thread::spawn(move || watchdog(rpid, wall, &rx, &watch_flags));
    let waiter = std::thread::spawn(move || {
        crate::procs::wait_exited(rpid)?;
        let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
        // Background children die with the run; the zombie keeps the group id ours.
        crate::procs::kill_group(rpid, crate::procs::KILL);
        // The watchdog must be done signalling before the pid is reaped and can be reused.
        let _ = done.send(Control::Done);
        let _ = watchdog.join();
        let reaped = crate::procs::reap(rpid)?;
        for r in readers {
            let _ = r.join();
        }
        let f = lock(&flags);
        let (mut exit_code, mut signal) = (reaped.code, reaped.signal);
        if signal_codes && let Some(c @ 129..=159) = exit_code {
            (exit_code, signal) = (None, Some(c - 128));
        }
        Ok(Outcome {
            exit_code,
            signal,
            wall_ms,
            #[allow(clippy::cast_precision_loss, reason = "KiB counts fit in 53 bits")]
            peak_rss_kb: reaped.peak_rss_kb.max(f.peak_rss_kb) as f64,
            timed_out: f.timed_out,
            stopped: f.stopped,
        })
    });
    Ok(Running {
        pid,
        control,
        waiter: Some(waiter),
    })
}

fn pump<R: Read + Send + 'static, F: FnMut(Stream, &[u8]) + Send + 'static>(
    mut r: R,
    stream: Stream,
    sink: Arc<Mutex<F>>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => (sink.lock().unwrap_or_else(|p| p.into_inner()))(stream, &buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
    })
}

/// Kills the group at the wall limit or on Stop (SIGTERM, then SIGKILL after a grace), and
/// samples the group's peak memory meanwhile (often at first, then every 100 ms).
fn watchdog(
    pid: rustix::process::Pid,
    wall: Option<Duration>,
    rx: &mpsc::Receiver<Control>,
    state: &Mutex<Flags>,
) {
    let started = Instant::now();
    let deadline = wall.map(|w| started + w);
    let mut tick = Duration::from_millis(5);
    let mut stop_sent: Option<Instant> = None;
    loop {
        let now = Instant::now();
        let mut wait = tick;
        if let Some(d) = deadline {
            wait = wait.min(d.saturating_duration_since(now));
        }
        if let Some(t) = stop_sent {
            wait = wait.min((t + STOP_GRACE).saturating_duration_since(now));
        }
        match rx.recv_timeout(wait) {
            Ok(Control::Done) | Err(RecvTimeoutError::Disconnected) => return,
            Ok(Control::Stop) if stop_sent.is_none() => {
                lock(state).stopped = true;
                crate::procs::kill_group(pid, crate::procs::TERM);
                stop_sent = Some(Instant::now());
            }
            // A second Stop means now.
            Ok(Control::Stop) => crate::procs::kill_group(pid, crate::procs::KILL),
            Err(RecvTimeoutError::Timeout) => {
                let now = Instant::now();
                if deadline.is_some_and(|d| now >= d) {
                    lock(state).timed_out = true;
                    crate::procs::kill_group(pid, crate::procs::KILL);
                    return;
                }
                if stop_sent.is_some_and(|t| now >= t + STOP_GRACE) {
                    crate::procs::kill_group(pid, crate::procs::KILL);
                    return;
                }
                let peak = crate::procs::group_peak_rss_kb(pid);
                let mut f = lock(state);
                f.peak_rss_kb = f.peak_rss_kb.max(peak);
                drop(f);
                tick = (tick * 2).min(Duration::from_millis(100));
            }
        }
    }
}

#[derive(Debug, Default)]
struct Flags {
    timed_out: bool,
    stopped: bool,
    peak_rss_kb: u64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Kills the whole tree: SIGTERM, then SIGKILL if it is still there after half a second.
    pub fn stop(&self) {
        let _ = self.control.send(Control::Stop);
    }

    /// A handle that can stop the run from another thread.
    pub fn stopper(&self) -> Stopper {
        Stopper(self.control.clone())
    }

    /// Waits for the end of the run (all output has been handed over by then).
    pub fn wait(mut self) -> std::io::Result<Outcome> {
        match self.waiter.take().map(JoinHandle::join) {
            Some(Ok(r)) => r,
            _ => Err(std::io::Error::other("the run's waiter thread panicked")),
        }
    }
}

/// Stops a run from anywhere.
#[derive(Debug, Clone)]
pub struct Stopper(mpsc::Sender<Control>);

impl Stopper {
    pub fn stop(&self) {
        let _ = self.0.send(Control::Stop);
    }
}

impl Drop for Running {
    /// A run nobody waits for any more is stopped, never left behind.
    fn drop(&mut self) {
        if self.waiter.is_some() {
            let _ = self.control.send(Control::Stop);
        }
    }
}
