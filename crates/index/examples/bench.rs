//! Benchmark driver for `scripts/bench/search`: index build, warm queries against `rg`,
//! quick-open per keystroke, peak memory. Prints figures; asserts nothing.
//!
//! `cargo run --release -p aura-index --example bench -- TREE [INDEX_DIR]`

// A benchmark reports on stdout and panics on a broken setup.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::cast_precision_loss)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use aura_fs::ProjectRoot;
use aura_index::fuzzy::PathList;
use aura_index::{IndexOptions, ProjectIndex, SearchQuery};

const LITERALS: [&str; 20] = [
    "fn main",
    "impl Default for",
    "HashMap",
    "unsafe",
    "#[derive(Debug",
    "pub struct",
    "tokio",
    "serde",
    "Result<()>",
    "unwrap()",
    "TODO",
    "panic!",
    "async fn",
    "Arc<Mutex",
    "to_string",
    "std::io::Error",
    "#[cfg(test)]",
    "where T:",
    "PhantomData",
    "extern crate",
];
const REGEXES: [&str; 20] = [
    r"fn\s+\w+_test\(",
    r"impl\s+\w+\s+for\s+Vec",
    r"struct\s+[A-Z]\w*Error",
    r"\bunsafe\s+impl\b",
    r"pub\s+fn\s+new\(",
    r"#\[derive\([^)]*Clone",
    r"Box<dyn\s+\w+>",
    r"\.map_err\(\|\w+\|",
    r"use\s+std::collections::\w+;",
    r"enum\s+\w+\s*\{",
    r"0x[0-9a-fA-F]{8}",
    r"TODO|FIXME",
    r"fn\s+drop\(&mut self\)",
    r"const\s+[A-Z_]+:\s*u32",
    r"Vec<Vec<\w+>>",
    r"assert_eq!\(\w+\.len\(\)",
    r"#\[inline\(always\)\]",
    r"loop\s*\{",
    r"match\s+self\s*\{",
    r"impl<'a>",
];
const TYPED: [&str; 6] = [
    "src/lib.rs",
    "mod.rs",
    "tokio/src/runtime",
    "serde_json",
    "Cargo.toml",
    "readme",
];

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn rg_ms(tree: &PathBuf, args: &[&str]) -> f64 {
    let t = Instant::now();
    Command::new("rg")
        .args([
            "--no-config",
            "--no-require-git",
            "--max-filesize",
            "1M",
            "-n",
        ])
        .args(args)
        .arg(tree)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("rg runs");
    ms(t.elapsed())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let tree = PathBuf::from(args.next().expect("usage: bench TREE [INDEX_DIR]"));
    let tmp = tempfile::tempdir().unwrap();
    let index_dir = args
        .next()
        .map_or_else(|| tmp.path().join("text"), PathBuf::from);
    let root = ProjectRoot::open(&tree).unwrap();

    // Index build from scratch.
    let t = Instant::now();
    let ix = ProjectIndex::open(root.clone(), IndexOptions::new(index_dir.clone())).unwrap();
    let st = ix.wait_ready(Duration::from_secs(3600));
    let build = t.elapsed();
    let paths = ix.paths().unwrap();
    let bytes: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(tree.join(p)).ok())
        .map(|m| m.len())
        .filter(|&n| n <= aura_index::DEFAULT_MAX_FILE_BYTES)
        .sum();
    let mb = bytes as f64 / 1e6;
    println!("files listed          {}", paths.len());
    println!(
        "files read            {} ({mb:.0} MB under the 1 MB limit)",
        ix.files_read()
    );
    println!(
        "index build           {:.2} s  ({:.1} MB/s)  state {:?}",
        build.as_secs_f64(),
        mb / build.as_secs_f64(),
        st.state
    );
    let rg_scan = rg_ms(&tree, &["-c", ""]) / 1000.0;
    println!(
        "rg -c '' (full scan)  {rg_scan:.2} s  ({:.1} MB/s)  build/scan = {:.1}x",
        mb / rg_scan,
        build.as_secs_f64() / rg_scan
    );
    println!("peak RSS after build  {:.0} MB", peak_rss_mb());
    drop(ix);

    let t = Instant::now();
    let ix = ProjectIndex::open(root, IndexOptions::new(index_dir)).unwrap();
    ix.wait_ready(Duration::from_secs(3600));
    println!(
        "reopen (no changes)   {:.2} s, files read {}",
        t.elapsed().as_secs_f64(),
        ix.files_read()
    );

    // Warm queries: one warm-up each, then the median of three, ours and rg's.
    for (label, list, regex) in [("literal", &LITERALS, false), ("regex", &REGEXES, true)] {
        let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        let mut narrowed = 0;
        for pattern in list {
            let q = SearchQuery {
                pattern: (*pattern).to_owned(),
                regex,
                case_sensitive: true,
                max_results: Some(10_000_000),
                ..Default::default()
            };
            let run = || {
                let t = Instant::now();
                let s = ix.search(&q, &AtomicBool::new(false), &mut |_| {}).unwrap();
                (ms(t.elapsed()), s)
            };
            let (_, s) = run();
            narrowed += usize::from(s.used_index);
            let mut times: Vec<f64> = (0..3).map(|_| run().0).collect();
            let o = pct(&mut times, 0.5);
            let mode = if regex { "-e" } else { "-F" };
            rg_ms(&tree, &[mode, pattern]);
            let mut rt: Vec<f64> = (0..3).map(|_| rg_ms(&tree, &[mode, pattern])).collect();
            let r = pct(&mut rt, 0.5);
            ours.push(o);
            theirs.push(r);
            ratios.push(r / o);
        }
        println!(
            "{label:<8} queries ours p50 {:.1} ms p95 {:.1} ms | rg p50 {:.1} ms p95 {:.1} ms | rg/ours median {:.1}x min {:.1}x | {narrowed}/20 used the index",
            pct(&mut ours.clone(), 0.5),
            pct(&mut ours, 0.95),
            pct(&mut theirs.clone(), 0.5),
            pct(&mut theirs, 0.95),
            pct(&mut ratios.clone(), 0.5),
            pct(&mut ratios, 0.0),
        );
    }

    // Quick-open: every keystroke of a few typed queries over all paths.
    let mut list = PathList::new(paths.clone());
    let mut per_key = Vec::new();
    for typed in TYPED {
        for end in 1..=typed.len() {
            let t = Instant::now();
            list.rank(&typed[..end], &[], 50);
            per_key.push(ms(t.elapsed()));
        }
    }
    let cold: Vec<f64> = TYPED
        .iter()
        .map(|q| {
            let mut fresh = PathList::new(paths.clone());
            let t = Instant::now();
            fresh.rank(q, &[], 50);
            ms(t.elapsed())
        })
        .collect();
    println!(
        "quick-open {} paths   per keystroke p50 {:.2} ms p95 {:.2} ms; whole query without narrowing max {:.2} ms",
        paths.len(),
        pct(&mut per_key.clone(), 0.5),
        pct(&mut per_key, 0.95),
        cold.iter().copied().fold(0.0, f64::max)
    );
    // The same at 100k paths: the tree's own paths under as many copies of it as needed.
    if paths.len() < 100_000 && !paths.is_empty() {
        let copies = 100_000usize.div_ceil(paths.len());
        let big: Vec<String> = (0..copies)
            .flat_map(|c| paths.iter().map(move |p| format!("copy{c}/{p}")))
            .take(100_000)
            .collect();
        let mut list = PathList::new(big);
        let mut per_key = Vec::new();
        for typed in TYPED {
            for end in 1..=typed.len() {
                let t = Instant::now();
                list.rank(&typed[..end], &[], 50);
                per_key.push(ms(t.elapsed()));
            }
        }
        println!(
            "quick-open 100000 paths per keystroke p50 {:.2} ms p95 {:.2} ms (the tree's paths in {copies} copies)",
            pct(&mut per_key.clone(), 0.5),
            pct(&mut per_key, 0.95),
        );
    }
    println!("peak RSS (process)    {:.0} MB", peak_rss_mb());
}
