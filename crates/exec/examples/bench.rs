//! Benchmarks of aura-exec, each next to its anchor in the same run (scripts/bench/exec):
//! PTY throughput through a session's batching reader vs reading the PTY raw in a tight
//! loop; keystroke echo latency through a session vs a raw write+read; sandbox spawn
//! overhead (`true`, `python3 -c pass`) plain vs sandboxed.
//!
//! `cargo run --release -p aura-exec --example bench -- [--big FILE] [--quick]`

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::cast_precision_loss)]

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use aura_exec::pty::{PtyCommand, PtyExit, PtySession, PtySink};
use aura_exec::sandbox::{Layers, Policy, Sandbox, WrapRequest};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn pct(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

/// Reads the PTY of `argv` in a tight loop until EOF: bytes and seconds.
fn raw_pty(argv: &[&str]) -> (usize, f64) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut b = CommandBuilder::new(argv[0]);
    b.args(&argv[1..]);
    let t = Instant::now();
    let mut child = pair.slave.spawn_command(b).unwrap();
    drop(pair.slave);
    let mut r = pair.master.try_clone_reader().unwrap();
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0;
    loop {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let _ = child.wait();
    (n, secs)
}

/// Bytes, batches, exited, the first bytes.
type Seen = (usize, usize, bool, Vec<u8>);

#[derive(Clone, Default)]
struct Counter(Arc<(Mutex<Seen>, Condvar)>);

impl PtySink for Counter {
    fn output(&mut self, bytes: Vec<u8>) {
        let (m, cv) = &*self.0;
        let mut g = m.lock().unwrap();
        g.0 += bytes.len();
        g.1 += 1;
        if g.3.len() < 4096 {
            g.3.extend_from_slice(&bytes);
        }
        cv.notify_all();
    }
    fn exit(&mut self, _: PtyExit) {
        let (m, cv) = &*self.0;
        m.lock().unwrap().2 = true;
        cv.notify_all();
    }
}

fn command(argv: &[&str]) -> PtyCommand {
    PtyCommand {
        argv: argv.iter().map(OsString::from).collect(),
        cwd: std::env::temp_dir(),
        env: vec![("TERM".into(), "xterm-256color".into())],
        cols: 120,
        rows: 40,
    }
}

/// The same through a session (its reader thread, batching and sink): bytes, seconds, batches.
fn session_pty(argv: &[&str]) -> (usize, f64, usize) {
    let c = Counter::default();
    let t = Instant::now();
    let _s = PtySession::spawn(command(argv), c.clone()).unwrap();
    let (m, cv) = &*c.0;
    let g = cv.wait_while(m.lock().unwrap(), |g| !g.2).unwrap();
    (g.0, t.elapsed().as_secs_f64(), g.1)
}

fn throughput(name: &str, argv: &[&str], runs: usize) {
    let mut raw = Vec::new();
    let mut ses = Vec::new();
    let mut bytes = 0;
    let mut batches = 0;
    for _ in 0..runs {
        let (n, s) = raw_pty(argv);
        raw.push(n as f64 / s / 1e6);
        let (n2, s2, b) = session_pty(argv);
        ses.push(n2 as f64 / s2 / 1e6);
        bytes = n2;
        batches = b;
    }
    let range = |v: &[f64]| {
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(0.0, f64::max);
        format!("{lo:.0}-{hi:.0}")
    };
    let (raw_range, ses_range) = (range(&raw), range(&ses));
    let (r, s) = (median(raw), median(ses));
    println!(
        "pty {name:<22} {:>6.1} MB  raw read {r:>6.1} MB/s   session {s:>6.1} MB/s  ({:.0}% of raw, {batches} batches, {:.0} KB avg; {runs} runs, raw {raw_range}, session {ses_range})",
        bytes as f64 / 1e6,
        100.0 * s / r,
        bytes as f64 / batches.max(1) as f64 / 1024.0
    );
}

/// Keystroke echo: one byte into `cat` on a PTY until its echo comes back.
fn echo_latency(samples: usize) {
    // Anchor: a raw write and blocking read on the master.
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut child = pair
        .slave
        .spawn_command(CommandBuilder::new("cat"))
        .unwrap();
    drop(pair.slave);
    let mut r = pair.master.try_clone_reader().unwrap();
    let mut w = pair.master.take_writer().unwrap();
    let mut buf = [0u8; 256];
    let mut raw = Vec::new();
    for _ in 0..samples {
        let t = Instant::now();
        w.write_all(b"a").unwrap();
        let _ = r.read(&mut buf).unwrap();
        raw.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let _ = child.kill();

    let c = Counter::default();
    let s = PtySession::spawn(command(&["cat"]), c.clone()).unwrap();
    let (m, cv) = &*c.0;
    let mut ses = Vec::new();
    for _ in 0..samples {
        let before = m.lock().unwrap().0;
        let t = Instant::now();
        s.write(b"a").unwrap();
        let g = cv.wait_while(m.lock().unwrap(), |g| g.0 <= before).unwrap();
        drop(g);
        ses.push(t.elapsed().as_secs_f64() * 1e6);
        // Let the session go quiet again, as between real keystrokes.
        std::thread::sleep(Duration::from_millis(20));
    }
    s.kill();
    println!(
        "echo latency (n={samples})       raw p50 {:>6.0} us p99 {:>6.0} us   session p50 {:>6.0} us p99 {:>6.0} us",
        pct(raw.clone(), 0.5),
        pct(raw, 0.99),
        pct(ses.clone(), 0.5),
        pct(ses, 0.99)
    );
}

fn spawn_ms(argv: &[OsString]) -> f64 {
    let t = Instant::now();
    let st = std::process::Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(st.success(), "{argv:?}: {st}");
    t.elapsed().as_secs_f64() * 1000.0
}

fn overhead(sandbox: &Sandbox, tmp: &Path, label: &str, argv: &[&str], runs: usize) {
    let plain: Vec<OsString> = argv.iter().map(OsString::from).collect();
    let policy = Policy::for_project(tmp, Vec::new(), false);
    let wrap = |layers: Layers| {
        let args: Vec<OsString> = plain[1..].to_vec();
        sandbox
            .wrap(&WrapRequest {
                program: Path::new(argv[0]),
                args: &args,
                policy: &policy,
                layers,
                temp_dir: &tmp.join("t"),
                pty: false,
            })
            .unwrap()
            .argv
    };
    let all = wrap(Layers::ALL);
    let no_bwrap = wrap(Layers {
        bwrap: false,
        ..Layers::ALL
    });
    let (mut p, mut a, mut n) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        p.push(spawn_ms(&plain));
        a.push(spawn_ms(&all));
        n.push(spawn_ms(&no_bwrap));
    }
    let (p, a, n) = (median(p), median(a), median(n));
    println!(
        "sandbox {label:<20} plain {p:>6.2} ms   sandboxed {a:>6.2} ms (+{:.2})   without bwrap {n:>6.2} ms (+{:.2})   goal < +20 ms",
        a - p,
        n - p
    );
}

fn main() {
    aura_exec::sandbox::run_helper_if_requested();
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let big = args
        .iter()
        .position(|a| a == "--big")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    // The raw read of a 50 MB file varies by a quarter between runs on a 2-core machine
    // (which core `cat` and the reader land on): seven alternating runs, median and range.
    let runs = if quick { 1 } else { 7 };

    throughput("seq 1 2000000", &["seq", "1", "2000000"], runs);
    if let Some(f) = &big {
        throughput("cat 50 MB file", &["cat", f.to_str().unwrap()], runs);
    }
    echo_latency(if quick { 100 } else { 500 });

    // This example is its own sandbox helper (the first line of main).
    let sandbox = Sandbox::new(std::env::current_exe().unwrap());
    println!("{}", sandbox.probe().summary);
    let tmp = tempfile::tempdir().unwrap();
    let n = if quick { 10 } else { 30 };
    overhead(&sandbox, tmp.path(), "true", &["/bin/true"], n);
    overhead(
        &sandbox,
        tmp.path(),
        "python3 -c pass",
        &["/usr/bin/python3", "-c", "pass"],
        n,
    );
}
