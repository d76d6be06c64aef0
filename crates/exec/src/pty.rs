//! Terminal sessions on a real pseudo-terminal (portable-pty).
//!
//! Each session has a reader thread that hands the output over in batches: at once when
//! the terminal was quiet (a keystroke's echo is not delayed), otherwise every
//! [`BATCH_AGE`] or [`BATCH_BYTES`], whichever comes first, so a flood of output costs a few
//! dozen messages a second instead of one per read. The bytes are raw (a terminal's output
//! is not necessarily UTF-8, and a chunk may end inside a character): the consumer decodes
//! them as a stream. A waiter thread reports the exit after the last output. Closing or
//! dropping a session ends every process of the terminal's session, jobs included.
//!
//! Flow control, for a sink that says it acknowledges ([`PtySink::acknowledges`]): once
//! [`FLOW_HIGH`] bytes are read but not yet acknowledged ([`PtySession::ack`]), the reader
//! stops reading until the consumer is down to [`FLOW_LOW`]. The kernel's terminal buffer
//! then fills and the program blocks in `write`, as on a slow real terminal, so a flood
//! (`yes`, `cat` of a huge file) costs bounded memory and the consumer's backlog stays short
//! (Ctrl+C shows its effect after at most `FLOW_HIGH` bytes). Once the program has exited,
//! what is left is read without waiting.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};
use serde::{Deserialize, Serialize};
use specta::Type;

/// Output is held at most this long before it is handed over. Measured in the window
/// (scripts/bench/exec): each message costs the page a fixed price, so 64 KiB batches
/// reached xterm at 2.6 MB/s, 512 KiB at 5.0, 2 MiB at 8.5, and more did not help.
pub const BATCH_AGE: Duration = Duration::from_millis(32);
/// A terminal whose last batch was smaller than [`SMALL`] and at least [`QUIET`] ago is
/// interactive: new output goes out at once.
const QUIET: Duration = Duration::from_millis(2);
const SMALL: usize = 4096;
/// Or until this much has piled up.
pub const BATCH_BYTES: usize = 2 * 1024 * 1024;
/// Flow control: the reader pauses at this many unacknowledged bytes...
pub const FLOW_HIGH: usize = 8 * 1024 * 1024;
/// ...and resumes once the consumer is down to this many.
pub const FLOW_LOW: usize = 4 * 1024 * 1024;

/// Arguments that make `shell` skip the user's startup files (`~/.bashrc` and the like).
/// A sandboxed terminal cannot read them (nothing of `$HOME` is readable), and a shell that
/// tries prints a permission error at every start; it starts clean instead. Shells not
/// known here get nothing.
pub fn without_startup_files(shell: &std::path::Path) -> Vec<OsString> {
    let name = shell.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let flags: &[&str] = match name {
        "bash" => &["--norc", "--noprofile"],
        "zsh" => &["--no-rcs"],
        "fish" => &["--no-config"],
        _ => &[],
    };
    flags.iter().map(OsString::from).collect()
}

/// What to start on the terminal. `argv` is the whole command line (the shell, possibly
/// wrapped by the sandbox).
#[derive(Debug, Clone)]
pub struct PtyCommand {
    pub argv: Vec<OsString>,
    pub cwd: PathBuf,
    pub env: Vec<(OsString, OsString)>,
    pub cols: u16,
    pub rows: u16,
}

/// How the terminal's program ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PtyExit {
    pub exit_code: u32,
    /// The signal's name when it was killed by one.
    pub signal: Option<String>,
}

/// Where a session's output goes.
pub trait PtySink: Send + 'static {
    fn output(&mut self, bytes: Vec<u8>);
    /// Called once, after the last output.
    fn exit(&mut self, exit: PtyExit);
    /// True when the consumer reports what it has processed with [`PtySession::ack`]; the
    /// session then applies flow control. A sink that never acknowledges must say false, or
    /// the terminal stalls after [`FLOW_HIGH`] bytes.
    fn acknowledges(&self) -> bool {
        false
    }
}

#[derive(Debug, thiserror::Error)]
#[error("terminal: {0}")]
pub struct PtyError(pub String);

fn err(e: impl std::fmt::Display) -> PtyError {
    PtyError(e.to_string())
}

/// One terminal session.
pub struct PtySession {
    master: Mutex<Box<dyn MasterPty + Send>>,
    writer: Mutex<Box<dyn Write + Send>>,
    pid: Option<u32>,
    exited: Arc<(Mutex<Option<PtyExit>>, Condvar)>,
    batch: Arc<Batch>,
}

impl std::fmt::Debug for PtySession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PtySession")
            .field("pid", &self.pid)
            .finish_non_exhaustive()
    }
}

impl PtySession {
    /// Starts `cmd` on a new terminal; output and exit go to `sink`.
    pub fn spawn(cmd: PtyCommand, sink: impl PtySink) -> Result<Self, PtyError> {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: cmd.rows.max(1),
                cols: cmd.cols.max(1),
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(err)?;
        let (program, args) = cmd.argv.split_first().ok_or_else(|| err("empty command"))?;
        let mut b = CommandBuilder::new(program);
        b.args(args);
        b.cwd(&cmd.cwd);
        for (k, v) in &cmd.env {
            b.env(k, v);
        }
        let mut child = pair.slave.spawn_command(b).map_err(err)?;
        // Our copy of the slave must go, or the reader never sees EOF.
        drop(pair.slave);
        let pid = child.process_id();
        let reader = pair.master.try_clone_reader().map_err(err)?;
        let writer = pair.master.take_writer().map_err(err)?;

        let batch = Arc::new(Batch::default());
        batch.lock().flow = sink.acknowledges();
        let sink = Arc::new(Mutex::new(sink));
        let reader_thread = {
            let batch = Arc::clone(&batch);
            std::thread::Builder::new()
                .name("pty-read".into())
                .spawn(move || read_loop(reader, &batch))
                .map_err(err)?
        };
        {
            let batch = Arc::clone(&batch);
            let sink = Arc::clone(&sink);
            std::thread::Builder::new()
                .name("pty-flush".into())
                .spawn(move || flush_loop(&batch, &sink))
                .map_err(err)?;
        }
        let exited = Arc::new((Mutex::new(None), Condvar::new()));
        {
            let exited = Arc::clone(&exited);
            let batch = Arc::clone(&batch);
            std::thread::Builder::new()
                .name("pty-wait".into())
                .spawn(move || {
                    let status = child.wait();
                    // Nobody may be left to acknowledge: drain without flow control.
                    batch.program_exited();
                    // The shell is gone; what is left of its session must not keep the
                    // terminal (and so the reader) open.
                    if let Some(p) = pid.and_then(crate::procs::pid) {
                        wait_for_eof_or_kill(&batch, p);
                    }
                    let _ = reader_thread.join();
                    batch.finish();
                    let exit = match status {
                        Ok(s) => PtyExit {
                            exit_code: s.exit_code(),
                            signal: s.signal().map(str::to_owned),
                        },
                        Err(_) => PtyExit {
                            exit_code: 1,
                            signal: None,
                        },
                    };
                    // Wait for the flusher to hand over the last bytes before the exit.
                    batch.wait_flushed();
                    // Recorded before the sink hears of it: whoever reacts to the exit
                    // event by asking for the status must find it.
                    {
                        let (lock, cv) = &*exited;
                        *lock.lock().unwrap_or_else(|p| p.into_inner()) = Some(exit.clone());
                        cv.notify_all();
                    }
                    sink.lock().unwrap_or_else(|p| p.into_inner()).exit(exit);
                })
                .map_err(err)?;
        }
        Ok(Self {
            master: Mutex::new(pair.master),
            writer: Mutex::new(writer),
            pid,
            exited,
            batch,
        })
    }

    /// The consumer has processed `bytes` more of the output (flow control; a no-op for a
    /// sink that does not acknowledge).
    pub fn ack(&self, bytes: usize) {
        self.batch.ack(bytes);
    }

    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// Types `bytes` into the terminal (keys, paste, Ctrl+C as 0x03).
    pub fn write(&self, bytes: &[u8]) -> Result<(), PtyError> {
        let mut w = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        w.write_all(bytes).and_then(|()| w.flush()).map_err(err)
    }

    /// The program sees the new size (SIGWINCH).
    pub fn resize(&self, cols: u16, rows: u16) -> Result<(), PtyError> {
        self.master
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .resize(PtySize {
                rows: rows.max(1),
                cols: cols.max(1),
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(err)
    }

    /// The exit, once the program has ended and its output has been handed over.
    pub fn exit_status(&self) -> Option<PtyExit> {
        self.exited
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Waits up to `timeout` for the exit.
    pub fn wait(&self, timeout: Duration) -> Option<PtyExit> {
        let (lock, cv) = &*self.exited;
        let guard = lock.lock().unwrap_or_else(|p| p.into_inner());
        let (guard, _) = cv
            .wait_timeout_while(guard, timeout, |e| e.is_none())
            .unwrap_or_else(|p| p.into_inner());
        guard.clone()
    }

    /// SIGKILL to every process of the terminal's session (the shell and all its jobs).
    pub fn kill(&self) {
        if let Some(p) = self.pid.and_then(crate::procs::pid) {
            crate::procs::kill_session(p, crate::procs::KILL);
        }
    }

    /// Hangs up (SIGHUP, as closing a terminal window does), gives the shell a moment to
    /// end, then kills whatever is left of its session, `nohup` jobs included.
    pub fn close(&self) {
        let Some(p) = self.pid.and_then(crate::procs::pid) else {
            return;
        };
        if self.exit_status().is_none() {
            crate::procs::kill_session(p, crate::procs::HUP);
            self.wait(Duration::from_millis(300));
        }
        crate::procs::kill_session(p, crate::procs::KILL);
    }
}

impl Drop for PtySession {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Output waiting to be handed over, shared by the reader and the flusher.
#[derive(Default)]
struct Batch {
    state: Mutex<BatchState>,
    cv: Condvar,
}

#[derive(Default)]
struct BatchState {
    pending: Vec<u8>,
    /// When the oldest pending byte arrived.
    since: Option<Instant>,
    last_flush: Option<Instant>,
    /// Size of the last batch: small ones mean an interactive terminal.
    last_len: usize,
    /// Flow control is on (the sink acknowledges).
    flow: bool,
    /// Read but not yet acknowledged (pending included).
    in_flight: usize,
    /// The program has exited: read the rest without flow control.
    program_exited: bool,
    eof: bool,
    finished: bool,
    flushed_all: bool,
}

impl Batch {
    fn lock(&self) -> std::sync::MutexGuard<'_, BatchState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
    fn finish(&self) {
        self.lock().finished = true;
        self.cv.notify_all();
    }
    fn program_exited(&self) {
        self.lock().program_exited = true;
        self.cv.notify_all();
    }
    fn ack(&self, bytes: usize) {
        let mut s = self.lock();
        s.in_flight = s.in_flight.saturating_sub(bytes);
        let room = s.in_flight <= FLOW_LOW;
        drop(s);
        if room {
            self.cv.notify_all();
        }
    }
    /// Blocks the reader while the consumer is too far behind.
    fn wait_for_room(&self) {
        let s = self.lock();
        if !s.flow || s.in_flight < FLOW_HIGH {
            return;
        }
        let _s = self
            .cv
            .wait_while(s, |s| !s.program_exited && s.in_flight > FLOW_LOW)
            .unwrap_or_else(|p| p.into_inner());
    }
    fn wait_flushed(&self) {
        let g = self.lock();
        let _g = self
            .cv
            .wait_while(g, |s| !s.flushed_all)
            .unwrap_or_else(|p| p.into_inner());
    }
}

fn read_loop(mut reader: Box<dyn Read + Send>, batch: &Batch) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        batch.wait_for_room();
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let mut s = batch.lock();
                if s.since.is_none() {
                    s.since = Some(Instant::now());
                }
                if s.flow {
                    s.in_flight += n;
                }
                let before = s.pending.len();
                s.pending.extend_from_slice(&buf[..n]);
                // The flusher only needs waking for the first bytes of a batch (it then
                // sleeps until the batch is due) and for a full one. A flood reads a few KB
                // at a time; waking it on each read cost a context switch per read.
                let wake = before == 0 || (before < BATCH_BYTES && s.pending.len() >= BATCH_BYTES);
                drop(s);
                if wake {
                    batch.cv.notify_all();
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // EIO: the last slave fd closed (Linux reports the end of a PTY this way).
            Err(_) => break,
        }
    }
    batch.lock().eof = true;
    batch.cv.notify_all();
}

fn flush_loop(batch: &Batch, sink: &Mutex<impl PtySink>) {
    let mut s = batch.lock();
    loop {
        let now = Instant::now();
        // Interactive (the last batch was small and a moment ago): hand over at once, so
        // a keystroke's echo is never held; a flood keeps batching.
        let quiet = s.last_flush.is_none_or(|t| {
            let since = now.duration_since(t);
            since >= BATCH_AGE || (since >= QUIET && s.last_len < SMALL)
        });
        let due = s.since.is_some_and(|t| now.duration_since(t) >= BATCH_AGE);
        if !s.pending.is_empty() && (quiet || due || s.pending.len() >= BATCH_BYTES || s.eof) {
            let bytes = std::mem::take(&mut s.pending);
            s.since = None;
            s.last_flush = Some(now);
            s.last_len = bytes.len();
            drop(s);
            sink.lock().unwrap_or_else(|p| p.into_inner()).output(bytes);
            s = batch.lock();
            continue;
        }
        if s.pending.is_empty() && s.eof && s.finished {
            s.flushed_all = true;
            batch.cv.notify_all();
            return;
        }
        s = match s.since {
            Some(t) => {
                // Reads no longer wake this thread, so it sleeps until the batch is due or,
                // after a small batch, until the output counts as interactive again.
                let mut wait = BATCH_AGE.saturating_sub(now.duration_since(t));
                if let Some(last) = s.last_flush.filter(|_| s.last_len < SMALL) {
                    wait = wait.min(QUIET.saturating_sub(now.duration_since(last)));
                }
                batch
                    .cv
                    .wait_timeout(s, wait)
                    .unwrap_or_else(|p| p.into_inner())
                    .0
            }
            None => batch.cv.wait(s).unwrap_or_else(|p| p.into_inner()),
        };
    }
}

/// After the shell exits, gives the reader a moment to drain; if a leftover job keeps the
/// terminal open, kills the session so the reader reaches EOF.
fn wait_for_eof_or_kill(batch: &Batch, sid: rustix::process::Pid) {
    let g = batch.lock();
    let (g, timeout) = batch
        .cv
        .wait_timeout_while(g, Duration::from_millis(200), |s| !s.eof)
        .unwrap_or_else(|p| p.into_inner());
    drop(g);
    if timeout.timed_out() {
        crate::procs::kill_session(sid, crate::procs::KILL);
    }
}
