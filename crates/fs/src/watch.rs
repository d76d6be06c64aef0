//! The project watcher: `notify` events, debounced on our own thread into bounded batches
//! of [`FsEvent`]s with `.git` internals, ignored paths, our temp files and the echoes of
//! our own saves removed.
//!
//! Our own debounce loop (instead of notify-debouncer-full) because the policy is the point:
//! one event per path per batch, renames paired by inotify's cookie, and bursts collapsed
//! into `Rescan` events so a `git checkout` of 10k files cannot flood the UI.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use aura_core::{Error, ErrorCode, RelPath, Result};
use notify::event::{ModifyKind, RenameMode};
use notify::{EventKind, RecursiveMode, Watcher as _};

use crate::atomic::is_temp_name;
use crate::echo::EchoFilter;
use crate::ignores::{IgnoreRules, is_ignore_file};
use crate::{FsEvent, FsEventKind, ProjectRoot};

/// A batch closes after this much quiet...
const QUIET: Duration = Duration::from_millis(50);
/// ...or at this age, so a steady stream still reaches the UI well within 500 ms.
const MAX_BATCH_AGE: Duration = Duration::from_millis(200);
/// More individual events than this within [`BUDGET_WINDOW`] (this batch included) turn
/// the batch into per-folder `Rescan`s. A window, not a per-batch limit, because a slow
/// burst arrives as many batches just under any per-batch limit.
const STORM_LIMIT: usize = 1000;
const BUDGET_WINDOW: Duration = Duration::from_secs(1);
/// While a storm lasts, the limit drops so its tail cannot add up to thousands of events.
const STORM_TAIL_LIMIT: usize = 100;
const STORM_LINGER: Duration = Duration::from_secs(1);
/// How often the loop checks whether its `Watcher` was dropped.
const STOP_POLL: Duration = Duration::from_millis(100);

/// Watches a project until dropped. Dropping stops the OS watch and joins the thread, so
/// no batch is delivered after `drop` returns (unless dropped from inside the sink).
pub struct Watcher {
    inner: Option<notify::RecommendedWatcher>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher").finish_non_exhaustive()
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        drop(self.inner.take());
        if let Some(t) = self.thread.take()
            && t.thread().id() != std::thread::current().id()
        {
            let _ = t.join();
        }
    }
}

impl ProjectRoot {
    /// Starts watching the whole project; `sink` receives batches on a background thread.
    pub fn watch(&self, sink: impl Fn(Vec<FsEvent>) + Send + 'static) -> Result<Watcher> {
        let (tx, rx) = std::sync::mpsc::channel();
        let mut inner = notify::recommended_watcher(move |res| {
            // The receiver is gone only when the watcher is being dropped.
            let _ = tx.send(res);
        })
        .map_err(|e| Error::new(ErrorCode::Io, format!("cannot start the file watcher: {e}")))?;
        inner
            .watch(&self.root, RecursiveMode::Recursive)
            .map_err(|e| {
                Error::new(
                    ErrorCode::Io,
                    format!("cannot watch {}: {e}", self.root.display()),
                )
            })?;
        let stop = Arc::new(AtomicBool::new(false));
        let state = LoopState {
            root: self.root.clone(),
            echo: Arc::clone(&self.echo),
            rules: IgnoreRules::new(&self.root),
            storm_until: None,
            recent: VecDeque::new(),
        };
        let stop2 = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("aura-fs-watch".into())
            .spawn(move || run_loop(rx, stop2, state, sink))
            .map_err(|e| Error::from_io(&e, "watcher thread"))?;
        Ok(Watcher {
            inner: Some(inner),
            stop,
            thread: Some(thread),
        })
    }
}

struct LoopState {
    root: PathBuf,
    echo: Arc<EchoFilter>,
    rules: IgnoreRules,
    storm_until: Option<Instant>,
    /// Events delivered recently, for the budget.
    recent: VecDeque<(Instant, usize)>,
}

type Raw = notify::Result<notify::Event>;

fn run_loop(
    rx: Receiver<Raw>,
    stop: Arc<AtomicBool>,
    mut state: LoopState,
    sink: impl Fn(Vec<FsEvent>),
) {
    while !stop.load(Ordering::SeqCst) {
        let first = match rx.recv_timeout(STOP_POLL) {
            Ok(ev) => ev,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let started = Instant::now();
        let mut raw = vec![first];
        while let Some(left) = MAX_BATCH_AGE.checked_sub(started.elapsed()) {
            match rx.recv_timeout(left.min(QUIET)) {
                Ok(ev) => raw.push(ev),
                Err(_) => break,
            }
        }
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let batch = state.process(raw);
        if !batch.is_empty() {
            tracing::trace!(events = batch.len(), "fs batch");
            sink(batch);
        }
    }
}

impl LoopState {
    fn process(&mut self, raw: Vec<Raw>) -> Vec<FsEvent> {
        let mut b = Coalescer::default();
        // inotify reports a rename as From, To and then Both; Both is enough when present.
        let paired: HashSet<usize> = raw
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .filter(|e| {
                matches!(
                    e.kind,
                    EventKind::Modify(ModifyKind::Name(RenameMode::Both))
                )
            })
            .filter_map(|e| e.attrs.tracker())
            .collect();
        for res in raw {
            let ev = match res {
                Ok(ev) => ev,
                Err(err) => {
                    tracing::warn!(%err, "watcher error; asking for a rescan");
                    b.rescan_root = true;
                    continue;
                }
            };
            if ev.need_rescan() {
                b.rescan_root = true;
                continue;
            }
            if ev.paths.iter().any(|p| self.touches_rules(p)) {
                self.rules.clear();
            }
            let pair_seen = ev.attrs.tracker().is_some_and(|t| paired.contains(&t));
            match ev.kind {
                EventKind::Access(_) => {}
                EventKind::Create(_) => self.put_all(&mut b, &ev.paths, FsEventKind::Created),
                EventKind::Remove(_) => self.put_all(&mut b, &ev.paths, FsEventKind::Removed),
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)) if ev.paths.len() == 2 => {
                    self.rename(&mut b, &ev.paths[0], &ev.paths[1]);
                }
                EventKind::Modify(ModifyKind::Name(RenameMode::From)) if !pair_seen => {
                    self.put_all(&mut b, &ev.paths, FsEventKind::Removed);
                }
                EventKind::Modify(ModifyKind::Name(RenameMode::To)) if !pair_seen => {
                    self.put_all(&mut b, &ev.paths, FsEventKind::Created);
                }
                EventKind::Modify(ModifyKind::Name(RenameMode::From | RenameMode::To)) => {}
                EventKind::Modify(ModifyKind::Name(_)) | EventKind::Any | EventKind::Other => {
                    for p in &ev.paths {
                        let kind = if p.exists() {
                            FsEventKind::Created
                        } else {
                            FsEventKind::Removed
                        };
                        self.put(&mut b, p, kind);
                    }
                }
                EventKind::Modify(_) => self.put_all(&mut b, &ev.paths, FsEventKind::Modified),
            }
        }
        self.finish(b)
    }

    fn touches_rules(&self, p: &Path) -> bool {
        p.starts_with(&self.root)
            && p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_ignore_file)
    }

    /// The project path to report for `abs`, or `None` for things never reported.
    fn rel(&self, abs: &Path) -> Option<RelPath> {
        let rel = RelPath::from_path(&self.root, abs).ok()?;
        if rel.is_root() || rel.components().next() == Some(".git") || is_temp_name(rel.file_name())
        {
            return None;
        }
        Some(rel)
    }

    fn put_all(&self, b: &mut Coalescer, paths: &[PathBuf], kind: FsEventKind) {
        for p in paths {
            self.put(b, p, kind.clone());
        }
    }

    fn put(&self, b: &mut Coalescer, abs: &Path, kind: FsEventKind) {
        if let Some(rel) = self.rel(abs) {
            b.put(rel, kind);
        }
    }

    fn rename(&self, b: &mut Coalescer, from_abs: &Path, to_abs: &Path) {
        let from_is_temp = from_abs
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(is_temp_name);
        match (self.rel(from_abs), self.rel(to_abs)) {
            // A save by us or by an editor that writes a temp file and renames it over.
            (None, Some(to)) if from_is_temp => b.put(to, FsEventKind::Modified),
            (None, Some(to)) => b.put(to, FsEventKind::Created),
            (Some(from), None) => b.put(from, FsEventKind::Removed),
            (Some(from), Some(to)) => match b.take(&from) {
                Some(FsEventKind::Created) => b.put(to, FsEventKind::Created),
                _ => b.put(to, FsEventKind::Renamed { from }),
            },
            (None, None) => {}
        }
    }

    fn finish(&mut self, mut b: Coalescer) -> Vec<FsEvent> {
        let root_rescan = FsEvent {
            path: RelPath::root(),
            kind: FsEventKind::Rescan,
        };
        if b.rescan_root {
            return vec![root_rescan];
        }
        let mut out = Vec::with_capacity(b.order.len());
        for path in std::mem::take(&mut b.order) {
            let Some(kind) = b.map.remove(&path) else {
                continue;
            };
            let abs = path.to_path(&self.root);
            if matches!(kind, FsEventKind::Created | FsEventKind::Modified)
                && self.echo.is_echo(&abs)
            {
                continue;
            }
            let is_dir = std::fs::symlink_metadata(&abs)
                .map(|m| m.is_dir())
                .unwrap_or(false);
            let ignored = self.rules.is_ignored(&path, is_dir);
            match kind {
                FsEventKind::Renamed { from } => {
                    let from_ignored = self.rules.is_ignored(&from, is_dir);
                    match (from_ignored, ignored) {
                        (false, false) => out.push(FsEvent {
                            path,
                            kind: FsEventKind::Renamed { from },
                        }),
                        (false, true) => out.push(FsEvent {
                            path: from,
                            kind: FsEventKind::Removed,
                        }),
                        (true, false) => out.push(FsEvent {
                            path,
                            kind: FsEventKind::Created,
                        }),
                        (true, true) => {}
                    }
                }
                kind if !ignored => out.push(FsEvent { path, kind }),
                _ => {}
            }
        }
        let now = Instant::now();
        while self
            .recent
            .front()
            .is_some_and(|(at, _)| now.duration_since(*at) > BUDGET_WINDOW)
        {
            self.recent.pop_front();
        }
        let spent: usize = self.recent.iter().map(|(_, n)| n).sum();
        let storming = self.storm_until.is_some_and(|t| now < t);
        let over = if storming {
            out.len() > STORM_TAIL_LIMIT
        } else {
            spent + out.len() > STORM_LIMIT
        };
        let out = if over {
            self.storm_until = Some(now + STORM_LINGER);
            collapse(out)
        } else {
            out
        };
        self.recent.push_back((now, out.len()));
        out
    }
}

/// One `Rescan` per top-level folder that changed (the root for top-level files).
fn collapse(events: Vec<FsEvent>) -> Vec<FsEvent> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for ev in events {
        let mut comps = ev.path.components();
        let first = comps.next().map(str::to_owned);
        let folder = match (first, comps.next()) {
            (Some(top), Some(_)) => RelPath::new(&top).unwrap_or_else(|_| RelPath::root()),
            _ => RelPath::root(),
        };
        if seen.insert(folder.clone()) {
            out.push(FsEvent {
                path: folder,
                kind: FsEventKind::Rescan,
            });
        }
    }
    out
}

/// At most one pending event per path, in first-seen order.
#[derive(Default)]
struct Coalescer {
    order: Vec<RelPath>,
    map: HashMap<RelPath, FsEventKind>,
    rescan_root: bool,
}

impl Coalescer {
    fn put(&mut self, path: RelPath, new: FsEventKind) {
        use FsEventKind as K;
        let merged = match (self.map.get(&path), new) {
            (None, k) => Some(k),
            // Born and gone within one batch: nobody needs to know.
            (Some(K::Created), K::Removed) => None,
            (Some(K::Created), K::Modified) => Some(K::Created),
            (Some(K::Removed), K::Created) => Some(K::Modified),
            (Some(K::Renamed { from }), K::Modified) => Some(K::Renamed { from: from.clone() }),
            (Some(K::Rescan), _) => Some(K::Rescan),
            (Some(_), k) => Some(k),
        };
        match merged {
            Some(k) => {
                if self.map.insert(path.clone(), k).is_none() {
                    self.order.push(path);
                }
            }
            None => {
                self.map.remove(&path);
            }
        }
    }

    fn take(&mut self, path: &RelPath) -> Option<FsEventKind> {
        self.map.remove(path)
    }
}
