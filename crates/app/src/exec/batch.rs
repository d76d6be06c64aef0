//! Batching a run's output for a consumer that pays per message (the window's IPC): text
//! of each stream is held at most [`BATCH_AGE`] or [`BATCH_BYTES`], at once when the run
//! was quiet, and everything pending goes out before the exit.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use aura_exec::run::Stream;

use super::RunEvent;
use crate::lock;

pub const BATCH_AGE: Duration = Duration::from_millis(16);
pub const BATCH_BYTES: usize = 64 * 1024;

#[derive(Default)]
struct Pending {
    out: String,
    err: String,
    since: Option<Instant>,
    last: Option<Instant>,
    exit: Option<RunEvent>,
}

/// Wraps `sink` so that output events are batched; the returned function is what
/// [`crate::App::run_start`] takes.
pub fn batched(
    sink: impl FnMut(RunEvent) + Send + 'static,
) -> impl FnMut(RunEvent) + Send + 'static {
    let shared = Arc::new((Mutex::new(Pending::default()), Condvar::new()));
    let worker = Arc::clone(&shared);
    std::thread::spawn(move || flush_loop(&worker, sink));
    move |ev| {
        let (m, cv) = &*shared;
        let mut p = lock(m);
        match ev {
            RunEvent::Output { stream, text } => {
                p.since.get_or_insert_with(Instant::now);
                match stream {
                    Stream::Stdout => p.out.push_str(&text),
                    Stream::Stderr => p.err.push_str(&text),
                }
            }
            exit @ RunEvent::Exit { .. } => p.exit = Some(exit),
        }
        cv.notify_all();
    }
}

fn flush_loop(shared: &(Mutex<Pending>, Condvar), mut sink: impl FnMut(RunEvent)) {
    let (m, cv) = shared;
    let mut p = lock(m);
    loop {
        let now = Instant::now();
        let size = p.out.len() + p.err.len();
        let quiet = p.last.is_none_or(|t| now.duration_since(t) >= BATCH_AGE);
        let due = p.since.is_some_and(|t| now.duration_since(t) >= BATCH_AGE);
        if size > 0 && (quiet || due || size >= BATCH_BYTES || p.exit.is_some()) {
            let (out, err) = (std::mem::take(&mut p.out), std::mem::take(&mut p.err));
            p.since = None;
            p.last = Some(now);
            drop(p);
            for (stream, text) in [(Stream::Stdout, out), (Stream::Stderr, err)] {
                if !text.is_empty() {
                    sink(RunEvent::Output { stream, text });
                }
            }
            p = lock(m);
            continue;
        }
        if let Some(exit) = p.exit.take() {
            drop(p);
            sink(exit);
            return;
        }
        p = match p.since {
            Some(t) => {
                cv.wait_timeout(p, BATCH_AGE.saturating_sub(now.duration_since(t)))
                    .unwrap_or_else(|e| e.into_inner())
                    .0
            }
            None => cv.wait(p).unwrap_or_else(|e| e.into_inner()),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_small_writes_become_few_messages_and_the_exit_comes_last() {
        let got = Arc::new(Mutex::new(Vec::new()));
        let g = Arc::clone(&got);
        let mut f = batched(move |ev| g.lock().unwrap().push(ev));
        for i in 0..10_000 {
            f(RunEvent::Output {
                stream: Stream::Stdout,
                text: format!("{i}\n"),
            });
        }
        f(RunEvent::Exit {
            outcome: aura_exec::run::Outcome {
                exit_code: Some(0),
                signal: None,
                wall_ms: 1.0,
                peak_rss_kb: 1.0,
                timed_out: false,
                stopped: false,
            },
        });
        let deadline = Instant::now() + Duration::from_secs(5);
        while !matches!(got.lock().unwrap().last(), Some(RunEvent::Exit { .. })) {
            assert!(Instant::now() < deadline, "no exit");
            std::thread::sleep(Duration::from_millis(5));
        }
        let evs = got.lock().unwrap();
        let text: String = evs
            .iter()
            .filter_map(|e| match e {
                RunEvent::Output { text, .. } => Some(text.as_str()),
                RunEvent::Exit { .. } => None,
            })
            .collect();
        let want: String = (0..10_000).map(|i| format!("{i}\n")).collect();
        assert_eq!(text, want);
        assert!(evs.len() < 100, "{} messages", evs.len());
    }
}
