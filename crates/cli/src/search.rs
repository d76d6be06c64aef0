//! `aura index` and `aura search`.

use std::io::Write;
use std::time::{Duration, Instant};

use aura_app::{App, FileMatches, IndexState, IndexStatus, SearchQuery};
use aura_core::Result;

use crate::SearchArgs;

/// How long `aura search` waits for the index before it would rather scan.
const INDEX_WAIT: Duration = Duration::from_secs(600);

/// Builds or updates the text index, then chunks and embeds (unless `text_only`), showing
/// progress on stderr.
pub fn index(app: &App, json: bool, id: &str, text_only: bool) -> Result<()> {
    let started = Instant::now();
    let status = wait_with_progress(app, id, true)?;
    let semantic = if text_only {
        None
    } else {
        Some(crate::semantic::wait_with_progress(
            app,
            id,
            crate::semantic::Until::Embedded,
            true,
        )?)
    };
    let secs = started.elapsed().as_secs_f64();
    crate::output::emit(json, &status, |s| {
        let read = app.index(id).map(|ix| ix.files_read()).unwrap_or(0);
        println!(
            "index {:?}: {} files checked, {read} read, in {secs:.2}s",
            s.state, s.files_total
        );
        if let Some(m) = &s.message {
            println!("{m}");
        }
    });
    if let Some(sem) = semantic {
        crate::output::emit(json, &sem, |s| {
            println!(
                "semantic {:?}: {} chunks, {} embedded",
                s.state, s.chunks, s.chunks_embedded
            );
            if let Some(m) = &s.message {
                println!("{m}");
            }
        });
    }
    Ok(())
}

/// Polls the index until it is current, redrawing one progress line on stderr.
fn wait_with_progress(app: &App, id: &str, always: bool) -> Result<IndexStatus> {
    let started = Instant::now();
    let mut drew = false;
    loop {
        let s = app.index_wait(id, Duration::from_millis(200))?;
        let busy = matches!(s.state, IndexState::Starting | IndexState::Indexing);
        if !busy || started.elapsed() > INDEX_WAIT {
            if drew {
                eprintln!();
            }
            return Ok(s);
        }
        if (always || started.elapsed() > Duration::from_millis(500)) && s.files_total > 0 {
            let eta = s
                .eta_ms
                .map(|ms| format!(", about {}s left", ms / 1000 + 1));
            eprint!(
                "\rindexing {}/{} files{}   ",
                s.files_done,
                s.files_total,
                eta.unwrap_or_default()
            );
            drew = true;
        }
    }
}

pub fn search(app: &App, json: bool, id: &str, args: SearchArgs) -> Result<()> {
    let (exclude, include): (Vec<String>, Vec<String>) =
        args.glob.into_iter().partition(|g| g.starts_with('!'));
    let q = SearchQuery {
        pattern: args.query,
        regex: args.regex,
        case_sensitive: !args.ignore_case,
        whole_word: args.word,
        include,
        exclude: exclude
            .into_iter()
            .map(|g| g.trim_start_matches('!').to_owned())
            .collect(),
        max_results: args.max,
        context_lines: Some(args.context),
    };
    wait_with_progress(app, id, false)?;
    let mut broken = false;
    let summary = app.search_text(id, &q, &mut |batch| {
        let mut out = std::io::stdout().lock();
        for f in &batch.files {
            // A closed pipe (`aura search x | head`) ends the output quietly.
            if !broken && print_file(&mut out, json, f).is_err() {
                broken = true;
            }
        }
    })?;
    if json {
        println!("{}", serde_json::json!({ "summary": summary }));
    } else {
        eprintln!(
            "{} matches in {} files ({} searched, {:.1} ms{})",
            summary.matches,
            summary.files,
            summary.files_searched,
            summary.elapsed_ms,
            if summary.truncated {
                ", stopped at the limit"
            } else {
                ""
            }
        );
    }
    Ok(())
}

fn print_file(out: &mut impl Write, json: bool, f: &FileMatches) -> std::io::Result<()> {
    if json {
        let line = serde_json::to_string(f).unwrap_or_default();
        return writeln!(out, "{line}");
    }
    for l in &f.lines {
        if l.context {
            writeln!(out, "{}-{}-{}", f.path, l.line, l.text)?;
        }
        for r in &l.ranges {
            // ripgrep's --vimgrep column: 1-based, in bytes.
            writeln!(out, "{}:{}:{}:{}", f.path, l.line, r.start_byte + 1, l.text)?;
        }
    }
    Ok(())
}
