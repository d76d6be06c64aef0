//! Crash safety of saves: a child process saving in a loop is SIGKILLed at random moments;
//! the file must always hold one whole version, never a mix or a prefix.

// Helpers outside #[test] fns panic on failure by design; timings are reported on stderr.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aura_fs::{Encoding, ProjectRoot, WriteMode};
use common::rel;

const CHILD: &str = "AURA_FS_CRASH_CHILD";
const ROUNDS: usize = 200;
const SIZE: usize = 256 * 1024;

fn payload(c: char) -> String {
    let line: String = std::iter::repeat_n(c, 63)
        .chain(std::iter::once('\n'))
        .collect();
    line.repeat(SIZE / 64)
}

/// xorshift64: enough randomness for kill timing, reproducible from the printed seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn a_killed_save_leaves_the_old_or_the_new_file_never_a_mix() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (initial, a, b) = (payload('I'), payload('A'), payload('B'));
    std::fs::write(dir.join("doc.txt"), &initial).unwrap();
    let seed = std::env::var("AURA_FS_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
                | 1
        });
    eprintln!("crash test seed: {seed} (set AURA_FS_CRASH_SEED to replay)");
    let mut rng = Rng(seed);
    let exe = std::env::current_exe().unwrap();
    let started = Instant::now();
    let mut seen = [0usize; 3];
    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .args([
                "child_saves_forever",
                "--exact",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env(CHILD, dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the child is saving, so the kill lands inside the save loop.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        assert!(
            lines.any(|l| l.is_ok_and(|l| l.contains("AURA_CHILD_SAVING"))),
            "child did not start"
        );
        std::thread::sleep(Duration::from_micros(rng.next() % 20_000));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let now = std::fs::read_to_string(dir.join("doc.txt")).unwrap();
        let which = [&initial, &a, &b].iter().position(|v| **v == now);
        let Some(which) = which else {
            panic!(
                "round {round} (seed {seed}): torn file of {} bytes",
                now.len()
            );
        };
        seen[which] += 1;
    }
    let leftovers = temp_files(dir);
    eprintln!(
        "{ROUNDS} kills in {:?}: initial {} / A {} / B {}; {leftovers} temp files left by killed saves",
        started.elapsed(),
        seen[0],
        seen[1],
        seen[2]
    );
    assert!(
        seen[1] + seen[2] >= ROUNDS / 4,
        "the children must actually have been saving: {seen:?}"
    );
    // A later save works and removes nothing but its own temp file.
    let root = ProjectRoot::open(dir).unwrap();
    root.write_text(
        &rel("doc.txt"),
        "after the storm\n",
        Encoding::Utf8,
        WriteMode::Overwrite,
    )
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("doc.txt")).unwrap(),
        "after the storm\n"
    );
    assert_eq!(temp_files(dir), leftovers);
    // Leftover temp files are not project content: the explorer and the walk skip them.
    let all = aura_fs::ListOptions {
        show_hidden: true,
        show_ignored: true,
    };
    let listed = root.list_dir(&aura_core::RelPath::root(), &all).unwrap();
    assert_eq!(
        listed.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
        ["doc.txt"]
    );
    let walk = aura_fs::WalkOptions {
        show_hidden: true,
        include_ignored: true,
        max_files: None,
    };
    assert_eq!(root.walk_files(&walk).unwrap(), [rel("doc.txt")]);
}

fn temp_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count()
}

/// The child's job (a no-op in the normal test run): save A and B alternately forever.
#[test]
fn child_saves_forever() {
    let Some(dir) = std::env::var_os(CHILD) else {
        return;
    };
    let root = ProjectRoot::open(Path::new(&dir)).unwrap();
    let (a, b) = (payload('A'), payload('B'));
    let mut out = std::io::stdout();
    writeln!(out, "AURA_CHILD_SAVING").unwrap();
    out.flush().unwrap();
    for i in 0.. {
        let text = if i % 2 == 0 { &a } else { &b };
        root.write_text(&rel("doc.txt"), text, Encoding::Utf8, WriteMode::Overwrite)
            .unwrap();
    }
}
