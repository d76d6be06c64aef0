//! Terminal sessions on real PTYs: output, exit codes, resize, Ctrl+C, raw bytes, batching,
//! no orphans after close, and a sandboxed shell.

#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::ffi::OsString;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use aura_exec::pty::{PtyCommand, PtyExit, PtySession, PtySink};
use aura_exec::sandbox::{Layers, WrapRequest};

#[derive(Default)]
struct Seen {
    bytes: Vec<u8>,
    batches: usize,
    exit: Option<PtyExit>,
}

#[derive(Clone, Default)]
struct Collector(Arc<(Mutex<Seen>, Condvar)>);

impl PtySink for Collector {
    fn output(&mut self, bytes: Vec<u8>) {
        let (m, cv) = &*self.0;
        let mut s = m.lock().unwrap();
        s.bytes.extend_from_slice(&bytes);
        s.batches += 1;
        cv.notify_all();
    }
    fn exit(&mut self, exit: PtyExit) {
        let (m, cv) = &*self.0;
        m.lock().unwrap().exit = Some(exit);
        cv.notify_all();
    }
}

impl Collector {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.0.lock().unwrap().bytes).into_owned()
    }
    /// Waits until the output contains `needle`; panics with the output after `secs`.
    fn wait_for(&self, needle: &str, secs: u64) -> String {
        let (m, cv) = &*self.0;
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut s = m.lock().unwrap();
        loop {
            let text = String::from_utf8_lossy(&s.bytes).into_owned();
            if text.contains(needle) {
                return text;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "no {needle:?} within {secs}s; output: {text:?}"
            );
            s = cv.wait_timeout(s, left).unwrap().0;
        }
    }
    fn wait_exit(&self, secs: u64) -> PtyExit {
        let (m, cv) = &*self.0;
        let s = m.lock().unwrap();
        let (s, _) = cv
            .wait_timeout_while(s, Duration::from_secs(secs), |s| s.exit.is_none())
            .unwrap();
        s.exit.clone().unwrap_or_else(|| {
            panic!(
                "no exit within {secs}s: {:?}",
                String::from_utf8_lossy(&s.bytes)
            )
        })
    }
}

/// A collector that says it acknowledges, so the session applies flow control.
#[derive(Clone, Default)]
struct Acking(Collector);

impl PtySink for Acking {
    fn output(&mut self, bytes: Vec<u8>) {
        self.0.output(bytes);
    }
    fn exit(&mut self, exit: PtyExit) {
        self.0.exit(exit);
    }
    fn acknowledges(&self) -> bool {
        true
    }
}

impl Collector {
    fn len(&self) -> usize {
        self.0.0.lock().unwrap().bytes.len()
    }
    /// Waits until the output stops growing for `quiet`; returns its length.
    fn settle(&self, quiet: Duration, secs: u64) -> usize {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut last = self.len();
        loop {
            std::thread::sleep(quiet);
            let now = self.len();
            if now == last || Instant::now() > deadline {
                return now;
            }
            last = now;
        }
    }
}

fn command(argv: &[&str], cwd: &Path) -> PtyCommand {
    PtyCommand {
        argv: argv.iter().map(OsString::from).collect(),
        cwd: cwd.to_path_buf(),
        env: vec![
            ("TERM".into(), "xterm-256color".into()),
            ("PS1".into(), "$ ".into()),
        ],
        cols: 80,
        rows: 24,
    }
}

fn spawn(argv: &[&str], cwd: &Path) -> (PtySession, Collector) {
    let sink = Collector::default();
    let s = PtySession::spawn(
        PtyCommand {
            argv: argv.iter().map(OsString::from).collect(),
            cwd: cwd.to_path_buf(),
            env: vec![
                ("TERM".into(), "xterm-256color".into()),
                ("PS1".into(), "$ ".into()),
            ],
            cols: 80,
            rows: 24,
        },
        sink.clone(),
    )
    .unwrap();
    (s, sink)
}

#[test]
fn runs_a_command_and_reports_its_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let (_s, out) = spawn(&["/bin/sh", "-c", "echo hello-pty; exit 3"], dir.path());
    assert_eq!(out.wait_exit(10).exit_code, 3);
    // Every byte came before the exit.
    assert!(out.text().contains("hello-pty"), "{:?}", out.text());
    let (_s, out) = spawn(
        &["/bin/sh", "-c", "test -t 0 && test -t 1 && echo is-a-tty"],
        dir.path(),
    );
    assert_eq!(out.wait_exit(10).exit_code, 0);
    assert!(out.text().contains("is-a-tty"));
}

#[test]
fn stty_size_follows_a_resize() {
    let dir = tempfile::tempdir().unwrap();
    let (s, out) = spawn(&["/bin/sh"], dir.path());
    s.write(b"stty size\n").unwrap();
    out.wait_for("24 80", 10);
    s.resize(100, 30).unwrap();
    s.write(b"stty size\n").unwrap();
    out.wait_for("30 100", 10);
    s.write(b"exit 0\n").unwrap();
    assert_eq!(out.wait_exit(10).exit_code, 0);
}

#[test]
fn ctrl_c_interrupts_the_foreground_command() {
    let dir = tempfile::tempdir().unwrap();
    let (s, out) = spawn(&["/bin/bash", "--norc", "--noprofile", "-i"], dir.path());
    s.write(b"sleep 30; echo not-$((1))interrupted\n").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    s.write(b"\x03").unwrap();
    s.write(b"echo alive-$((40+2))\n").unwrap();
    out.wait_for("alive-42", 10);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(!out.text().contains("not-1interrupted"));
    s.write(b"exit 5\n").unwrap();
    assert_eq!(out.wait_exit(10).exit_code, 5);
}

#[test]
fn output_is_raw_bytes_in_batches() {
    let dir = tempfile::tempdir().unwrap();
    // Invalid UTF-8 passes through untouched; the consumer decodes the stream.
    let (_s, out) = spawn(&["/bin/sh", "-c", "printf 'a\\377\\376b'"], dir.path());
    out.wait_exit(10);
    let bytes = out.0.0.lock().unwrap().bytes.clone();
    assert!(bytes.windows(4).any(|w| w == b"a\xff\xfeb"), "{bytes:?}");

    let (_s, out) = spawn(&["/usr/bin/seq", "1", "200000"], dir.path());
    assert_eq!(out.wait_exit(30).exit_code, 0);
    let s = out.0.0.lock().unwrap();
    assert!(String::from_utf8_lossy(&s.bytes).contains("199999\r\n200000"));
    let avg = s.bytes.len() / s.batches.max(1);
    // A PTY read returns at most a few KiB: batches far above that prove the batching.
    assert!(
        avg > 8 * 1024,
        "{} bytes in {} batches",
        s.bytes.len(),
        s.batches
    );
}

#[test]
fn flow_control_holds_a_flood_until_the_consumer_acknowledges() {
    use aura_exec::pty::{FLOW_HIGH, FLOW_LOW};
    let dir = tempfile::tempdir().unwrap();
    let flood = ["/usr/bin/yes", "flood-line-of-forty-characters-or-so...."];
    // Control: a sink that does not acknowledge gets the flood unthrottled.
    let plain = Collector::default();
    let s = PtySession::spawn(command(&flood, dir.path()), plain.clone()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while plain.len() < 3 * FLOW_HIGH {
        assert!(Instant::now() < deadline, "only {} bytes", plain.len());
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(s);

    let acking = Acking::default();
    let out = acking.0.clone();
    let s = PtySession::spawn(command(&flood, dir.path()), acking).unwrap();
    // The reader stops at the high watermark (plus at most one read).
    let held = out.settle(Duration::from_millis(300), 30);
    assert!(
        (FLOW_HIGH..=FLOW_HIGH + 64 * 1024).contains(&held),
        "{held} bytes before the pause"
    );
    // Acknowledging less than down to the low watermark keeps it paused...
    s.ack(held - FLOW_LOW - 1);
    assert_eq!(out.settle(Duration::from_millis(300), 5), held);
    // ...and down to it resumes reading until the high watermark again.
    s.ack(1);
    let more = out.settle(Duration::from_millis(300), 30);
    assert!(more > held, "no more output after the ack");
    assert!(
        more - held <= FLOW_HIGH - FLOW_LOW + 64 * 1024,
        "{} more",
        more - held
    );
    // A paused terminal still dies at once when killed, and reports it.
    s.kill();
    assert!(out.wait_exit(10).signal.is_some());
}

fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat[stat.rfind(')').unwrap() + 1..]
            .trim_start()
            .starts_with('Z'),
        Err(_) => false,
    }
}

#[test]
fn closing_leaves_no_orphan() {
    let dir = tempfile::tempdir().unwrap();
    let (s, out) = spawn(&["/bin/bash", "--norc", "--noprofile", "-i"], dir.path());
    // A background job lives in a process group of its own; nohup ignores the hangup.
    // (The arithmetic keeps the terminal's echo of the typed line from matching.)
    s.write(b"nohup sleep 1000 >/dev/null 2>&1 & echo bgpid=$((7*6))-$!-end\n")
        .unwrap();
    let mut pid = None;
    for _ in 0..100 {
        let text = out.wait_for("bgpid=42-", 10);
        let rest = &text[text.find("bgpid=42-").unwrap() + "bgpid=42-".len()..];
        if let Some((num, _)) = rest.split_once("-end") {
            pid = Some(num.parse::<i32>().unwrap());
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let pid = pid.expect("the shell printed the job's pid");
    assert!(alive(pid), "the job should be running");
    s.close();
    let deadline = Instant::now() + Duration::from_secs(5);
    while alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!alive(pid), "sleep {pid} outlived the terminal");
    assert!(out.wait_exit(5).signal.is_some() || s.exit_status().is_some());
}

#[test]
fn dropping_a_session_kills_it() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _out) = spawn(&["/bin/sleep", "1000"], dir.path());
    let pid = i32::try_from(s.pid().unwrap()).unwrap();
    assert!(alive(pid));
    drop(s);
    let deadline = Instant::now() + Duration::from_secs(5);
    while alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!alive(pid));
}

/// The test uid's env, when Landlock is there to sandbox a shell (else a loud skip).
fn sandbox_env(test: &str) -> Option<common::Env> {
    let Some(env) = common::Env::new() else {
        eprintln!("SKIPPED {test}: no unprivileged uid");
        return None;
    };
    common::need(env.sandbox.probe(), "landlock", test).then_some(env)
}

/// The argv of `/bin/bash ARGS` on a terminal under every sandbox layer, with its own temp.
fn sandboxed_bash(env: &common::Env, args: Vec<OsString>) -> Vec<OsString> {
    let temp = env
        .tmp_parent
        .path()
        .join(format!("pty-{}", common::uniq()));
    env.sandbox
        .wrap(&WrapRequest {
            program: Path::new("/bin/bash"),
            args: &args,
            policy: &env.policy(),
            layers: Layers::ALL,
            temp_dir: &temp,
            pty: true,
        })
        .unwrap()
        .argv
}

#[test]
fn a_sandboxed_shell_keeps_its_terminal_but_not_the_disk() {
    let Some(env) = sandbox_env("sandboxed shell") else {
        return;
    };
    let outside = env.outside.path().join("x");
    let wrapped = sandboxed_bash(
        &env,
        ["--norc", "--noprofile", "-i"].map(OsString::from).to_vec(),
    );
    let argv: Vec<&str> = wrapped.iter().map(|a| a.to_str().unwrap()).collect();
    let (s, out) = spawn(&argv, env.project.path());
    s.write(b"stty size; echo ok > inside.txt && echo wrote-$((1))inside\n")
        .unwrap();
    out.wait_for("24 80", 10);
    out.wait_for("wrote-1inside", 10);
    s.write(
        format!(
            "echo no > {} || echo denied-$((2))outside\n",
            outside.display()
        )
        .as_bytes(),
    )
    .unwrap();
    out.wait_for("denied-2outside", 10);
    assert!(!outside.exists());
    assert!(env.project.path().join("inside.txt").exists());
    s.write(b"exit 4\n").unwrap();
    assert_eq!(out.wait_exit(10).exit_code, 4, "{:?}", out.text());
}

/// A sandboxed shell cannot read `~/.bashrc`; started with [`without_startup_files`] it does
/// not try, so the terminal opens without an error. Control: the same shell without the
/// flags shows the permission error (the home is really unreadable to it).
#[test]
fn a_sandboxed_shell_starts_without_the_unreadable_startup_files() {
    use aura_exec::pty::without_startup_files;
    let Some(env) = sandbox_env("sandboxed startup files") else {
        return;
    };
    let home = env.outside.path();
    std::fs::write(home.join(".bashrc"), "echo rc-was-read\n").unwrap();
    let start = |args: Vec<OsString>| {
        let mut args = args;
        args.push("-i".into());
        let sink = Collector::default();
        let mut cmd = command(&[], env.project.path());
        cmd.argv = sandboxed_bash(&env, args);
        cmd.env.push(("HOME".into(), home.as_os_str().to_owned()));
        let s = PtySession::spawn(cmd, sink.clone()).unwrap();
        s.write(b"echo started-$((1+1))\n").unwrap();
        let text = sink.wait_for("started-2", 10);
        s.write(b"exit\n").unwrap();
        sink.wait_exit(10);
        text
    };
    let clean = start(without_startup_files(Path::new("/bin/bash")));
    assert!(
        !clean.contains("Permission denied") && !clean.contains("rc-was-read"),
        "{clean}"
    );
    let control = start(Vec::new());
    assert!(control.contains(".bashrc: Permission denied"), "{control}");
}
