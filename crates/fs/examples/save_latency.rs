//! Benchmark helper: save latency of aura-fs's atomic write (temp file, fsync, rename,
//! folder fsync, version check) next to a plain in-place overwrite with fsync, for 1 KB
//! and 1 MB files. `save_latency DIR` (DIR on the disk you care about).

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

use std::io::Write;
use std::time::{Duration, Instant};

use aura_core::RelPath;
use aura_fs::{Encoding, ProjectRoot, WriteMode};

fn pct(sorted: &[Duration], p: f64) -> f64 {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: save_latency DIR");
    let root = ProjectRoot::open(std::path::Path::new(&dir)).unwrap();
    println!(
        "{:<8} {:>6} {:>22} {:>22} {:>8}",
        "size", "saves", "aura p50 / p95 (ms)", "plain p50 / p95 (ms)", "p50 x"
    );
    for (label, size, rounds) in [("1 KB", 1024usize, 300usize), ("1 MB", 1024 * 1024, 60)] {
        let a: String = "a".repeat(size - 1) + "\n";
        let b: String = "b".repeat(size - 1) + "\n";
        let rel = RelPath::new(&format!("bench-{size}.txt")).unwrap();
        let mut version = root
            .write_text(&rel, &a, Encoding::Utf8, WriteMode::Overwrite)
            .unwrap();
        let mut ours = Vec::with_capacity(rounds);
        for i in 0..rounds {
            let text = if i % 2 == 0 { &b } else { &a };
            let t = Instant::now();
            version = root
                .write_text(&rel, text, Encoding::Utf8, WriteMode::IfVersion(version))
                .unwrap();
            ours.push(t.elapsed());
        }
        let plain_path = root.path().join(format!("plain-{size}.txt"));
        let mut plain = Vec::with_capacity(rounds);
        for i in 0..rounds {
            let text = if i % 2 == 0 { &b } else { &a };
            let t = Instant::now();
            let mut f = std::fs::File::create(&plain_path).unwrap();
            f.write_all(text.as_bytes()).unwrap();
            f.sync_all().unwrap();
            plain.push(t.elapsed());
        }
        ours.sort();
        plain.sort();
        println!(
            "{label:<8} {rounds:>6} {:>10.2} / {:<9.2} {:>10.2} / {:<9.2} {:>8.2}",
            pct(&ours, 0.5),
            pct(&ours, 0.95),
            pct(&plain, 0.5),
            pct(&plain, 0.95),
            pct(&ours, 0.5) / pct(&plain, 0.5)
        );
    }
}
