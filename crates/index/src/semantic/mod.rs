//! The semantic index of a project: chunks (tree-sitter), their symbols, BM25 over them,
//! local embeddings and hybrid retrieval.
//!
//! A background thread ([`worker`]) lists the project, chunks new and changed files (words
//! and symbols are searchable as soon as a file is chunked), then embeds the chunks that
//! have no vector yet, a small batch at a time, so file events are never held up for long.
//! Queries ([`SemanticIndex::retrieve`], [`SemanticIndex::symbols`]) run on the caller's
//! thread against a reader connection and the in-memory vectors.

mod db;
pub mod dto;
pub mod embed;
mod retrieve;
mod symbols;
pub mod terms;
pub mod vectors;
mod worker;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use aura_core::{Error, Result};
use aura_fs::{FsEvent, ProjectRoot};

use crate::chunk::ChunkLimits;
use crate::project::lock;
pub use dto::*;
pub use embed::{EmbedService, Embedder, ModelFiles};

/// Receives status changes (throttled while working).
pub type SemanticProgressFn = Arc<dyn Fn(&SemanticStatus) + Send + Sync>;

#[derive(Clone)]
pub struct SemanticOptions {
    /// The folder (`<project data>/index/semantic`).
    pub dir: PathBuf,
    pub embed: Arc<EmbedService>,
    /// Larger files are not chunked.
    pub max_file_bytes: u64,
    pub limits: ChunkLimits,
    pub progress: Option<SemanticProgressFn>,
}

impl std::fmt::Debug for SemanticOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SemanticOptions")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

pub(crate) enum Cmd {
    Events(Vec<FsEvent>),
    /// Answered once every command sent before it is applied (chunked, not embedded).
    Flush(Sender<()>),
}

pub(crate) struct Shared {
    root: ProjectRoot,
    opts: SemanticOptions,
    status: Mutex<SemanticStatus>,
    status_cv: Condvar,
    last_report: Mutex<Option<Instant>>,
    /// The connection queries use (the worker writes through its own).
    reader: Mutex<Option<db::Db>>,
    vectors: RwLock<vectors::VectorIndex>,
    /// Workspace symbols, built on first query and dropped whenever chunks change.
    symbols: Mutex<Option<Arc<symbols::SymbolList>>>,
    paused: AtomicBool,
    stop: AtomicBool,
}

impl Shared {
    fn status(&self) -> SemanticStatus {
        lock(&self.status).clone()
    }

    fn set_status(&self, status: SemanticStatus, throttle: bool) {
        *lock(&self.status) = status.clone();
        self.status_cv.notify_all();
        let Some(progress) = &self.opts.progress else {
            return;
        };
        let mut last = lock(&self.last_report);
        if throttle && last.is_some_and(|t| t.elapsed() < Duration::from_millis(250)) {
            return;
        }
        *last = Some(Instant::now());
        drop(last);
        progress(&status);
    }

    fn vectors_read(&self) -> std::sync::RwLockReadGuard<'_, vectors::VectorIndex> {
        self.vectors.read().unwrap_or_else(|p| p.into_inner())
    }

    fn vectors_write(&self) -> std::sync::RwLockWriteGuard<'_, vectors::VectorIndex> {
        self.vectors.write().unwrap_or_else(|p| p.into_inner())
    }

    fn with_reader<R>(&self, f: impl FnOnce(&db::Db) -> Result<R>) -> Result<R> {
        let guard = lock(&self.reader);
        match guard.as_ref() {
            Some(db) => f(db),
            None => Err(Error::new(
                aura_core::ErrorCode::NotFound,
                "the semantic index is still opening",
            )),
        }
    }
}

/// One project's semantic index; dropping it stops its thread (the files on disk stay).
pub struct SemanticIndex {
    shared: Arc<Shared>,
    tx: Sender<Cmd>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for SemanticIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SemanticIndex")
            .field("dir", &self.shared.opts.dir)
            .finish_non_exhaustive()
    }
}

impl SemanticIndex {
    /// Opens (or creates, or rebuilds) the index in `opts.dir` and starts its thread.
    pub fn open(root: ProjectRoot, opts: SemanticOptions) -> Result<Self> {
        std::fs::create_dir_all(&opts.dir).map_err(|e| Error::from_io(&e, opts.dir.display()))?;
        let shared = Arc::new(Shared {
            root,
            opts,
            status: Mutex::new(SemanticStatus::starting()),
            status_cv: Condvar::new(),
            last_report: Mutex::new(None),
            reader: Mutex::new(None),
            vectors: RwLock::new(vectors::VectorIndex::default()),
            symbols: Mutex::new(None),
            paused: AtomicBool::new(false),
            stop: AtomicBool::new(false),
        });
        let (tx, rx) = channel();
        let worker_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("aura-semantic".into())
            .spawn(move || worker::run(&worker_shared, &rx))
            .map_err(|e| Error::internal(format!("cannot start the semantic index thread: {e}")))?;
        Ok(Self {
            shared,
            tx,
            thread: Some(thread),
        })
    }

    pub fn status(&self) -> SemanticStatus {
        self.shared.status()
    }

    /// Waits until nothing is left to chunk or embed (or the model is unavailable), at most
    /// `timeout`; for the CLI and tests.
    pub fn wait_idle(&self, timeout: Duration) -> SemanticStatus {
        let deadline = Instant::now() + timeout;
        // Events handed over before are applied first: until the thread has looked at
        // them the status still says Ready, though a save's chunks may already be
        // searchable by words while its vectors are not made yet.
        self.flush_within(timeout);
        let mut status = lock(&self.shared.status);
        loop {
            let settled = matches!(
                status.state,
                SemanticState::Ready | SemanticState::Unavailable | SemanticState::Failed
            );
            let now = Instant::now();
            if settled || now >= deadline {
                return status.clone();
            }
            status = self
                .shared
                .status_cv
                .wait_timeout(status, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Hands file changes to the index thread.
    pub fn apply_events(&self, events: Vec<FsEvent>) {
        let _ = self.tx.send(Cmd::Events(events));
    }

    /// A function that hands file events to this index (for the watcher's callback); it
    /// does not keep the index alive.
    pub fn event_sink(&self) -> impl Fn(Vec<FsEvent>) + Send + Sync + 'static {
        let tx = Mutex::new(self.tx.clone());
        move |events| {
            let _ = lock(&tx).send(Cmd::Events(events));
        }
    }

    /// Returns once every event sent before is chunked and searchable by words.
    pub fn flush(&self) {
        self.flush_within(Duration::from_secs(60));
    }

    fn flush_within(&self, timeout: Duration) {
        let (tx, rx) = channel();
        if self.tx.send(Cmd::Flush(tx)).is_ok() {
            let _ = rx.recv_timeout(timeout);
        }
    }

    /// Holds (or resumes) chunking and embedding; queries keep working.
    pub fn set_paused(&self, paused: bool) {
        self.shared.paused.store(paused, Ordering::SeqCst);
        // Wake the thread so it reports the new state at once.
        let _ = self.tx.send(Cmd::Events(Vec::new()));
    }

    /// Chunks ranked for `q` by words, meaning, or both.
    pub fn retrieve(&self, q: &RetrievalQuery) -> Result<Retrieval> {
        retrieve::retrieve(&self.shared, q)
    }

    /// Workspace symbols matching `query` (fuzzy), best first.
    pub fn symbols(&self, query: &str, limit: usize) -> Result<Vec<SymbolMatch>> {
        symbols::search(&self.shared, query, limit)
    }

    /// Vectors currently searchable (for tests and status).
    pub fn vector_count(&self) -> usize {
        self.shared.vectors_read().len()
    }
}

impl Drop for SemanticIndex {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        let _ = self.tx.send(Cmd::Events(Vec::new()));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
