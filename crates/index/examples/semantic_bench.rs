//! Benchmark driver for `scripts/bench/semantic`: embedding speed with 1 and 2 threads,
//! re-embedding one edited file, vector top-10 latency and recall@10 (int8 flat store
//! against exact float cosine) at 100k real chunks, chunking speed. Prints figures;
//! asserts nothing.
//!
//! `semantic_bench TREE CACHE_DIR [N]`: chunks come from the source files of TREE; the
//! 100k real embeddings are computed once (about an hour on 2 cores) and kept in CACHE_DIR.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::cast_precision_loss
)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aura_fs::{FsEvent, FsEventKind, ProjectRoot, WalkOptions};
use aura_index::chunk::{ChunkLimits, Grammar, chunk_file};
use aura_index::semantic::embed::DIM;
use aura_index::semantic::terms::embed_text;
use aura_index::semantic::vectors::{Quantized, VectorIndex};
use aura_index::semantic::{EmbedService, Embedder, ModelFiles, SemanticIndex, SemanticOptions};

const QUERIES: usize = 200;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Embedding inputs of real chunks from the tree's source files, in path order.
fn chunk_texts(tree: &Path, want: usize) -> (Vec<String>, f64) {
    let root = ProjectRoot::open(tree).unwrap();
    let mut files = root.walk_files(&WalkOptions::default()).unwrap();
    files.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    let limits = ChunkLimits::default();
    let mut out = Vec::with_capacity(want);
    let mut bytes = 0usize;
    let t = Instant::now();
    for f in files {
        if Grammar::for_path(f.as_str()).is_none() {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(tree.join(f.as_str())) else {
            continue;
        };
        if text.len() > 1024 * 1024 {
            continue;
        }
        bytes += text.len();
        for c in chunk_file(f.as_str(), &text, &limits) {
            out.push(embed_text(
                f.as_str(),
                c.kind,
                c.parent.as_deref(),
                c.symbol.as_deref(),
                c.text(&text),
            ));
            if out.len() >= want {
                let mbs = bytes as f64 / 1e6 / t.elapsed().as_secs_f64();
                return (out, mbs);
            }
        }
    }
    let mbs = bytes as f64 / 1e6 / t.elapsed().as_secs_f64();
    (out, mbs)
}

fn embed_rate(files: &ModelFiles, texts: &[String], threads: usize) -> f64 {
    let mut e = Embedder::load(files, threads).unwrap();
    e.embed(&texts[..8]).unwrap(); // warm-up
    let t = Instant::now();
    for batch in texts.chunks(16) {
        e.embed(batch).unwrap();
    }
    texts.len() as f64 / t.elapsed().as_secs_f64()
}

/// The float vectors of `texts`, from the cache file or computed (and then cached). An
/// interrupted run resumes from its partial file.
fn vectors(files: &ModelFiles, texts: &[String], cache: &Path) -> Vec<f32> {
    let file = cache.join(format!("vectors-{}-{}.f32", texts.len(), DIM));
    let partial = file.with_extension("partial");
    let read = |p: &Path| -> Vec<f32> {
        let mut buf = Vec::new();
        if let Ok(mut f) = std::fs::File::open(p) {
            f.read_to_end(&mut buf).unwrap();
        }
        buf.truncate(buf.len() / (DIM * 4) * DIM * 4);
        buf.chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
            .collect()
    };
    let done = read(&file);
    if done.len() == texts.len() * DIM {
        eprintln!("using cached vectors {}", file.display());
        return done;
    }
    std::fs::create_dir_all(cache).unwrap();
    let mut out = read(&partial);
    let start = out.len() / DIM;
    eprintln!(
        "embedding {} chunks once, from {start} (cached in {})",
        texts.len(),
        file.display()
    );
    let mut e = Embedder::load(files, 2).unwrap();
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&partial)
        .unwrap();
    let t = Instant::now();
    for (i, batch) in texts[start..].chunks(64).enumerate() {
        for v in e.embed(batch).unwrap() {
            for x in &v {
                f.write_all(&x.to_le_bytes()).unwrap();
            }
            out.extend(v);
        }
        if i % 20 == 0 {
            let n = (i + 1) * 64;
            let rate = n as f64 / t.elapsed().as_secs_f64();
            let left = (texts.len() - start - n.min(texts.len() - start)) as f64 / rate / 60.0;
            eprint!(
                "\r  {}/{} ({rate:.1}/s, {left:.0} min left)   ",
                start + n,
                texts.len()
            );
        }
    }
    eprintln!();
    drop(f);
    std::fs::rename(&partial, &file).unwrap();
    out
}

fn exact_top10(all: &[f32], q: &[f32]) -> Vec<usize> {
    let mut scored: Vec<(f32, usize)> = all
        .chunks_exact(DIM)
        .enumerate()
        .map(|(i, v)| (v.iter().zip(q).map(|(a, b)| a * b).sum::<f32>(), i))
        .collect();
    scored.select_nth_unstable_by(10, |a, b| b.0.total_cmp(&a.0));
    scored.truncate(10);
    scored.into_iter().map(|(_, i)| i).collect()
}

fn vector_bench(all: &[f32], n: usize) {
    let base = &all[..n * DIM];
    let queries = &all[n * DIM..];
    let t = Instant::now();
    let mut ix = VectorIndex::default();
    for (i, v) in base.chunks_exact(DIM).enumerate() {
        ix.insert(i as i64, 0, &Quantized::from_f32(v));
    }
    let build = t.elapsed();
    let (mut lat, mut recall) = (Vec::new(), 0usize);
    for q in queries.chunks_exact(DIM).take(QUERIES) {
        let t = Instant::now();
        let got = ix.top_k(q, 10, &|_| true);
        lat.push(ms(t.elapsed()));
        let want = exact_top10(base, q);
        recall += got
            .iter()
            .filter(|(id, _)| want.contains(&(*id as usize)))
            .count();
    }
    // Replacing one file's vectors: remove its 20 rows, add 20 new ones.
    let t = Instant::now();
    for i in 0..20 {
        ix.remove(i);
    }
    for (i, v) in base.chunks_exact(DIM).take(20).enumerate() {
        ix.insert(i as i64, 0, &Quantized::from_f32(v));
    }
    let replace = t.elapsed();
    println!(
        "vectors {n} x {DIM} int8 ({:.0} MB): top-10 p50 {:.2} ms p95 {:.2} ms, recall@10 {:.3} vs exact f32 cosine ({} held-out chunk queries); build {:.0} ms; replace a file's 20 vectors {:.3} ms",
        (n * (DIM + 4)) as f64 / 1e6,
        pct(&mut lat.clone(), 0.5),
        pct(&mut lat, 0.95),
        recall as f64 / (10 * QUERIES.min(queries.len() / DIM)) as f64,
        QUERIES.min(queries.len() / DIM),
        ms(build),
        ms(replace)
    );
}

/// A small real project: index it, then time one edited file from event to new vectors.
fn reembed_bench(tree: &Path, files: &ModelFiles) {
    let proj = tempfile::tempdir().unwrap();
    let root = ProjectRoot::open(tree).unwrap();
    let mut srcs: Vec<PathBuf> = root
        .walk_files(&WalkOptions::default())
        .unwrap()
        .into_iter()
        .filter(|p| p.as_str().ends_with(".rs"))
        .take(60)
        .map(|p| tree.join(p.as_str()))
        .collect();
    srcs.sort();
    for (i, s) in srcs.iter().enumerate() {
        let _ = std::fs::copy(s, proj.path().join(format!("f{i}.rs")));
    }
    let data = tempfile::tempdir().unwrap();
    let ix = SemanticIndex::open(
        ProjectRoot::open(proj.path()).unwrap(),
        SemanticOptions {
            dir: data.path().to_path_buf(),
            embed: EmbedService::new(Ok(files.clone()), 1),
            max_file_bytes: 1024 * 1024,
            limits: ChunkLimits::default(),
            progress: None,
        },
    )
    .unwrap();
    let t = Instant::now();
    let s = ix.wait_idle(Duration::from_secs(3600));
    let first = t.elapsed();
    let mut times = Vec::new();
    for round in 0..5 {
        let target = proj.path().join("f0.rs");
        let mut text = std::fs::read_to_string(&target).unwrap();
        text.push_str(&format!("\n/// Edited in round {round}.\npub fn edited_{round}(x: u32) -> u32 {{\n    x * {round}\n}}\n"));
        std::fs::write(&target, text).unwrap();
        let t = Instant::now();
        ix.apply_events(vec![FsEvent {
            path: aura_core::RelPath::new("f0.rs").unwrap(),
            kind: FsEventKind::Modified,
        }]);
        ix.flush();
        ix.wait_idle(Duration::from_secs(600));
        times.push(ms(t.elapsed()));
    }
    println!(
        "project of {} files, {} chunks: first index + embed {:.1} s ({:.1} chunks/s); re-embed one edited file p50 {:.0} ms max {:.0} ms",
        srcs.len(),
        s.chunks,
        first.as_secs_f64(),
        f64::from(s.chunks) / first.as_secs_f64(),
        pct(&mut times.clone(), 0.5),
        pct(&mut times, 1.0)
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let tree = PathBuf::from(
        args.next()
            .expect("usage: semantic_bench TREE CACHE_DIR [N]"),
    );
    let cache = PathBuf::from(
        args.next()
            .expect("usage: semantic_bench TREE CACHE_DIR [N]"),
    );
    let n: usize = args.next().map_or(100_000, |s| s.parse().unwrap());
    let files = ModelFiles::locate(None, None).unwrap_or_else(|e| panic!("{}", e.message));

    let (texts, chunk_mbs) = chunk_texts(&tree, n + QUERIES);
    println!(
        "chunked {} real chunks from {} ({chunk_mbs:.1} MB/s of source)",
        texts.len(),
        tree.display()
    );
    let sample = &texts[..texts.len().min(256)];
    let r1 = embed_rate(&files, sample, 1);
    let r2 = embed_rate(&files, sample, 2);
    println!(
        "embedding {} chunks: 1 thread {r1:.1} chunks/s, 2 threads {r2:.1} chunks/s ({:.2}x)",
        sample.len(),
        r2 / r1
    );
    reembed_bench(&tree, &files);
    let all = Arc::new(vectors(&files, &texts, &cache));
    let n = (all.len() / DIM).saturating_sub(QUERIES);
    for size in [10_000, n] {
        if size <= n {
            vector_bench(&all[..(size + QUERIES) * DIM], size);
        }
    }
    println!("peak RSS {:.0} MB", peak_rss_mb());
}
