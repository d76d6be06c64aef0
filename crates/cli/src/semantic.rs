//! `aura search --semantic|--hybrid`, `aura symbols`, and the semantic half of `aura index`.

use std::time::{Duration, Instant};

use aura_app::{App, RetrievalMode, RetrievalQuery, SemanticState, SemanticStatus};
use aura_core::Result;

use crate::SearchArgs;

/// How far `aura index` and `aura search --semantic` wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// Every file chunked: symbols and word ranking are complete.
    Chunked,
    /// Every chunk embedded as well.
    Embedded,
}

fn settled(s: &SemanticStatus, until: Until) -> bool {
    match s.state {
        SemanticState::Ready | SemanticState::Unavailable | SemanticState::Failed => true,
        SemanticState::Embedding | SemanticState::Paused => until == Until::Chunked,
        SemanticState::Starting | SemanticState::Chunking => false,
    }
}

/// Waits for the semantic index, drawing a progress bar on stderr when `show` (or when it
/// takes a while). Ctrl+C leaves the work where it is; the next run resumes from there.
pub fn wait_with_progress(app: &App, id: &str, until: Until, show: bool) -> Result<SemanticStatus> {
    let started = Instant::now();
    let mut drew = false;
    loop {
        let s = app.semantic_status(id)?;
        if settled(&s, until) {
            if drew {
                eprintln!();
            }
            return Ok(s);
        }
        if show || started.elapsed() > Duration::from_millis(500) {
            eprint!("\r{}   ", bar(&s));
            drew = true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn bar(s: &SemanticStatus) -> String {
    let (what, done, total) = match s.state {
        SemanticState::Embedding | SemanticState::Paused => {
            ("embedding", s.chunks_embedded, s.chunks)
        }
        _ => ("chunking", s.files_done, s.files_total),
    };
    let frac = if total == 0 {
        0.0
    } else {
        f64::from(done) / f64::from(total)
    };
    let filled = (frac * 24.0).round() as usize;
    let mut line = format!(
        "[{}{}] {:>3.0}% {what} {done}/{total}",
        "#".repeat(filled),
        "-".repeat(24 - filled.min(24)),
        frac * 100.0
    );
    if s.state == SemanticState::Embedding {
        if let Some(r) = s.chunks_per_second {
            line.push_str(&format!(" chunks, {r:.1}/s"));
        }
        if let Some(ms) = s.eta_ms {
            line.push_str(&format!(", about {}s left", ms / 1000 + 1));
        }
    } else {
        line.push_str(" files");
    }
    if s.state == SemanticState::Paused {
        line.push_str(" (paused)");
    }
    line
}

pub fn search(app: &App, json: bool, id: &str, args: SearchArgs) -> Result<()> {
    let mode = if args.semantic {
        RetrievalMode::Vector
    } else {
        RetrievalMode::Hybrid
    };
    wait_with_progress(app, id, Until::Embedded, false)?;
    let q = RetrievalQuery {
        query: args.query,
        k: args.max.or(Some(10)),
        mode,
        path_glob: args.glob.into_iter().find(|g| !g.starts_with('!')),
        language: None,
    };
    let r = app.retrieve(id, &q)?;
    if json {
        println!("{}", serde_json::to_string(&r).unwrap_or_default());
        return Ok(());
    }
    for c in &r.chunks {
        let name = match (&c.parent, &c.symbol) {
            (Some(p), Some(s)) => format!("{p}::{s}"),
            (None, Some(s)) => s.clone(),
            _ => String::new(),
        };
        println!(
            "{}:{}-{}  {} {name}  (score {:.4})",
            c.path,
            c.line_start,
            c.line_end,
            c.kind.as_str(),
            c.score
        );
        for line in c.content.lines().take(args.context.max(3) as usize) {
            println!("    {line}");
        }
    }
    if let Some(note) = &r.note {
        eprintln!("note: {note}");
    }
    eprintln!("{} chunks in {} ms", r.chunks.len(), r.elapsed_ms);
    Ok(())
}

pub fn symbols(app: &App, json: bool, id: &str, query: &str, limit: usize) -> Result<()> {
    wait_with_progress(app, id, Until::Chunked, false)?;
    let found = app.search_symbols(id, query, limit)?;
    crate::output::emit(json, &found, |found| {
        for s in found {
            let name = match &s.parent {
                Some(p) => format!("{p}::{}", s.name),
                None => s.name.clone(),
            };
            println!("{}:{}  {} {name}", s.path, s.line, s.kind.as_str());
        }
    });
    Ok(())
}
