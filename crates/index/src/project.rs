//! [`ProjectIndex`]: one project's live index. A background thread owns the tantivy writer
//! (one writer, bounded memory); callers search, rank paths and feed file events from any
//! thread.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use aura_core::{Error, Result};
use aura_fs::{FsEvent, ProjectRoot};

use crate::dto::{IndexState, IndexStatus, PathMatch};
use crate::fuzzy::PathList;
use crate::textindex::TextIndex;
use crate::worker;

/// Receives index status changes (throttled while indexing).
pub type ProgressFn = Arc<dyn Fn(&IndexStatus) + Send + Sync>;

/// Files above this size are listed (quick-open finds them) but not indexed or searched.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1024 * 1024;
/// The writer's whole memory budget; tantivy flushes a segment when it is reached.
pub const DEFAULT_MEMORY_BUDGET: usize = 50 * 1024 * 1024;
/// tantivy refuses less than this per writer thread.
const MIN_BUDGET_PER_THREAD: usize = 15 * 1024 * 1024;

#[derive(Clone)]
pub struct IndexOptions {
    /// The index folder (`<project data>/index/text`).
    pub dir: PathBuf,
    pub max_file_bytes: u64,
    pub memory_budget: usize,
    /// tantivy writer threads (the calling thread reads and hashes files meanwhile).
    pub writer_threads: usize,
    pub progress: Option<ProgressFn>,
}

impl std::fmt::Debug for IndexOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexOptions")
            .field("dir", &self.dir)
            .field("max_file_bytes", &self.max_file_bytes)
            .finish_non_exhaustive()
    }
}

impl IndexOptions {
    pub fn new(dir: PathBuf) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self {
            dir,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            memory_budget: DEFAULT_MEMORY_BUDGET,
            writer_threads: cores.clamp(1, 2),
            progress: None,
        }
    }

    pub(crate) fn threads_and_budget(&self) -> (usize, usize) {
        let budget = self.memory_budget.max(MIN_BUDGET_PER_THREAD);
        let threads = self.writer_threads.clamp(1, budget / MIN_BUDGET_PER_THREAD);
        (threads, budget)
    }
}

pub(crate) enum Cmd {
    Events(Vec<FsEvent>),
    /// Re-list and re-check every file (after a cancel, or on request).
    CatchUp,
    /// Answered once every command sent before it is done.
    Flush(Sender<()>),
}

/// State shared by the worker thread and callers.
pub(crate) struct Shared {
    pub root: ProjectRoot,
    pub opts: IndexOptions,
    status: Mutex<IndexStatus>,
    status_cv: Condvar,
    last_report: Mutex<Option<Instant>>,
    paths: Mutex<Option<PathList>>,
    paths_cv: Condvar,
    pub text: RwLock<Option<Arc<TextIndex>>>,
    pub paused: AtomicBool,
    pub cancel: AtomicBool,
    pub stop: AtomicBool,
    /// Files whose content was read for indexing since this index was opened.
    pub files_read: AtomicU64,
    pub undo: crate::replace::UndoLog,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shared {
    pub fn status(&self) -> IndexStatus {
        lock(&self.status).clone()
    }

    /// Updates the status; reports it unless `throttle` and the last report is recent.
    pub fn set_status(&self, status: IndexStatus, throttle: bool) {
        *lock(&self.status) = status.clone();
        self.status_cv.notify_all();
        let Some(progress) = &self.opts.progress else {
            return;
        };
        let mut last = lock(&self.last_report);
        if throttle && last.is_some_and(|t| t.elapsed() < Duration::from_millis(200)) {
            return;
        }
        *last = Some(Instant::now());
        drop(last);
        progress(&status);
    }

    pub fn set_paths(&self, list: PathList) {
        *lock(&self.paths) = Some(list);
        self.paths_cv.notify_all();
    }

    /// Runs `f` on the path list, waiting (up to `wait`) for the first listing.
    pub fn with_paths<R>(&self, wait: Duration, f: impl FnOnce(&mut PathList) -> R) -> Result<R> {
        let guard = lock(&self.paths);
        let (mut guard, _) = self
            .paths_cv
            .wait_timeout_while(guard, wait, |p| p.is_none())
            .unwrap_or_else(|p| p.into_inner());
        match guard.as_mut() {
            Some(list) => Ok(f(list)),
            None => Err(Error::new(
                aura_core::ErrorCode::Cancelled,
                "the project's files are still being listed",
            )),
        }
    }

    pub fn text(&self) -> Option<Arc<TextIndex>> {
        self.text.read().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// A project's index, alive until dropped (dropping stops and joins its thread).
pub struct ProjectIndex {
    pub(crate) shared: Arc<Shared>,
    tx: Sender<Cmd>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for ProjectIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProjectIndex")
            .field("root", &self.shared.root.path())
            .finish_non_exhaustive()
    }
}

impl ProjectIndex {
    /// Starts listing and indexing `root` in the background.
    pub fn open(root: ProjectRoot, opts: IndexOptions) -> Result<Self> {
        let shared = Arc::new(Shared {
            root,
            opts,
            status: Mutex::new(IndexStatus::starting()),
            status_cv: Condvar::new(),
            last_report: Mutex::new(None),
            paths: Mutex::new(None),
            paths_cv: Condvar::new(),
            text: RwLock::new(None),
            paused: AtomicBool::new(false),
            cancel: AtomicBool::new(false),
            stop: AtomicBool::new(false),
            files_read: AtomicU64::new(0),
            undo: crate::replace::UndoLog::default(),
        });
        let (tx, rx) = channel();
        let worker_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("aura-index".into())
            .spawn(move || worker::run(&worker_shared, &rx))
            .map_err(|e| Error::from_io(&e, "index thread"))?;
        Ok(Self {
            shared,
            tx,
            thread: Some(thread),
        })
    }

    pub fn root(&self) -> &ProjectRoot {
        &self.shared.root
    }

    pub fn status(&self) -> IndexStatus {
        self.shared.status()
    }

    /// Waits until the index is ready (or stopped: paused, cancelled, failed), at most
    /// `timeout`; returns the status then.
    pub fn wait_ready(&self, timeout: Duration) -> IndexStatus {
        let guard = lock(&self.shared.status);
        let (guard, _) = self
            .shared
            .status_cv
            .wait_timeout_while(guard, timeout, |s| {
                matches!(s.state, IndexState::Starting | IndexState::Indexing)
            })
            .unwrap_or_else(|p| p.into_inner());
        guard.clone()
    }

    /// Applies file changes (from the project watcher, or our own writes).
    pub fn apply_events(&self, events: Vec<FsEvent>) {
        // The thread is gone only while this index is being dropped.
        let _ = self.tx.send(Cmd::Events(events));
    }

    /// A sender the watcher can hold without keeping the index alive.
    pub fn event_sink(&self) -> impl Fn(Vec<FsEvent>) + Send + Sync + 'static {
        let tx = Mutex::new(self.tx.clone());
        move |events| {
            let _ = lock(&tx).send(Cmd::Events(events));
        }
    }

    /// Blocks until everything sent before this call has been applied and committed.
    pub fn flush(&self) {
        let (tx, rx) = channel();
        if self.tx.send(Cmd::Flush(tx)).is_ok() {
            let _ = rx.recv();
        }
    }

    /// Pauses or resumes indexing. While paused (or cancelled) searches scan the files.
    pub fn set_paused(&self, paused: bool) {
        self.shared.paused.store(paused, Ordering::SeqCst);
        if !paused && self.shared.cancel.swap(false, Ordering::SeqCst) {
            let _ = self.tx.send(Cmd::CatchUp);
        }
    }

    /// Stops the current build; `set_paused(false)` starts it again.
    pub fn cancel(&self) {
        self.shared.cancel.store(true, Ordering::SeqCst);
    }

    /// Files read for indexing since opening (an unchanged tree reads none on reopen).
    pub fn files_read(&self) -> u64 {
        self.shared.files_read.load(Ordering::Relaxed)
    }

    /// Quick-open: the best `limit` paths for `query`, recent files lifted.
    pub fn find_files(
        &self,
        query: &str,
        recent: &[String],
        limit: usize,
    ) -> Result<Vec<PathMatch>> {
        self.shared.with_paths(Duration::from_secs(10), |list| {
            list.rank(query, recent, limit)
        })
    }

    /// Every listed file path, sorted.
    pub fn paths(&self) -> Result<Vec<String>> {
        self.shared.with_paths(Duration::from_secs(10), |list| {
            list.paths().map(str::to_owned).collect()
        })
    }
}

impl Drop for ProjectIndex {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.paused.store(false, Ordering::SeqCst);
        // Wakes the thread if it waits for commands; it then sees `stop`.
        let (tx, _rx) = channel();
        let _ = self.tx.send(Cmd::Flush(tx));
        if let Some(t) = self.thread.take()
            && t.thread().id() != std::thread::current().id()
        {
            let _ = t.join();
        }
    }
}
