//! The index thread: lists the project, opens (or rebuilds) the index, reads only the files
//! whose size or mtime changed since the index last saw them, then applies file events as
//! they come, committing after each batch so searches see an edit within a second.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant, UNIX_EPOCH};

use aura_core::{Error, RelPath, Result};
use aura_fs::{FsEvent, FsEventKind, WalkOptions};
use tantivy::{IndexWriter, TantivyDocument};

use crate::dto::{IndexState, IndexStatus};
use crate::fuzzy::PathList;
use crate::project::{Cmd, Shared};
use crate::textindex::{FileMeta, Kind, TextIndex, tantivy_err};
use crate::trigram::TrigramSet;

/// Commit at least this often during a long build, so a restart resumes from there.
const COMMIT_EVERY: Duration = Duration::from_secs(5);
/// tantivy queues up to 10k documents for its indexing threads, each holding a whole
/// file's text and its n-gram terms: reading ahead of them is what made memory grow with
/// the tree. A commit waits for the queue to drain, so committing after this much bounds it.
const QUEUED_TEXT_MAX: usize = 48 * 1024 * 1024;
/// Like git, a NUL in the first 8 KB makes a file binary.
const SNIFF_BYTES: usize = 8 * 1024;

pub(crate) fn run(shared: &Arc<Shared>, rx: &Receiver<Cmd>) {
    let mut w = Worker {
        shared: Arc::clone(shared),
        text: None,
        writer: None,
        table: HashMap::new(),
        tris: TrigramSet::default(),
        dirty: false,
        queued_bytes: 0,
    };
    let listed = w.list(&RelPath::root());
    shared.set_paths(PathList::new(listed.clone()));
    if let Err(e) = w.open() {
        tracing::warn!(error = %e, "text index unavailable; searches will scan files");
        w.fail(&e);
    } else {
        w.catch_up(&RelPath::root(), listed);
    }
    while let Ok(cmd) = rx.recv() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let mut flushes = Vec::new();
        let mut events = Vec::new();
        let mut catch_up = false;
        // Everything already queued is applied as one batch, with one commit.
        for cmd in std::iter::once(cmd).chain(rx.try_iter()) {
            match cmd {
                Cmd::Events(ev) => events.extend(ev),
                Cmd::CatchUp => catch_up = true,
                Cmd::Flush(tx) => flushes.push(tx),
            }
        }
        if catch_up {
            let listed = w.list(&RelPath::root());
            shared.set_paths(PathList::new(listed.clone()));
            w.catch_up(&RelPath::root(), listed);
        }
        w.apply(events);
        w.commit();
        for tx in flushes {
            let _ = tx.send(());
        }
    }
    w.commit();
}

struct Worker {
    shared: Arc<Shared>,
    text: Option<Arc<TextIndex>>,
    /// `None` when another process holds the index (we then only read it).
    writer: Option<IndexWriter<TantivyDocument>>,
    table: HashMap<String, FileMeta>,
    tris: TrigramSet,
    dirty: bool,
    /// Text handed to the writer since the last commit.
    queued_bytes: usize,
}

pub(crate) fn mtime_ns(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// Paths the walker never lists (dot files and folders) are not indexed from events either.
pub(crate) fn hidden(path: &str) -> bool {
    path.split('/').any(|c| c.starts_with('.'))
}

fn under(path: &str, dir: &RelPath) -> bool {
    dir.is_root()
        || path == dir.as_str()
        || path
            .strip_prefix(dir.as_str())
            .is_some_and(|r| r.starts_with('/'))
}

impl Worker {
    fn fail(&self, e: &Error) {
        self.shared.set_status(
            IndexStatus {
                state: IndexState::Failed,
                files_done: 0,
                files_total: 0,
                eta_ms: None,
                message: Some(e.message.clone()),
            },
            false,
        );
    }

    /// Files under `dir`, as the explorer's walk sees them.
    fn list(&self, dir: &RelPath) -> Vec<String> {
        match self.shared.root.walk_files(&WalkOptions::default()) {
            Ok(files) => files
                .into_iter()
                .map(|p| p.as_str().to_owned())
                .filter(|p| under(p, dir))
                .collect(),
            Err(e) => {
                tracing::warn!(error = %e, "cannot list the project");
                Vec::new()
            }
        }
    }

    fn open(&mut self) -> Result<()> {
        let (text, table, rebuilt) = TextIndex::open_or_create(&self.shared.opts.dir)?;
        if rebuilt {
            tracing::info!(dir = %self.shared.opts.dir.display(), "building a new text index");
        }
        let (threads, budget) = self.shared.opts.threads_and_budget();
        self.writer = match text.index.writer_with_num_threads(threads, budget) {
            Ok(w) => Some(w),
            Err(tantivy::TantivyError::LockFailure(..)) => {
                tracing::info!("another process is indexing this project; using its index");
                None
            }
            Err(e) => return Err(tantivy_err(e)),
        };
        self.table = table;
        let text = Arc::new(text);
        *self.shared.text.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::clone(&text));
        self.text = Some(text);
        Ok(())
    }

    /// Brings the index in line with `listed` (the files under `dir`): drops what is gone,
    /// reads what is new or changed.
    fn catch_up(&mut self, dir: &RelPath, listed: Vec<String>) {
        if self.text.is_none() {
            return;
        }
        let present: HashSet<&str> = listed.iter().map(String::as_str).collect();
        let gone: Vec<String> = self
            .table
            .keys()
            .filter(|p| under(p, dir) && !present.contains(p.as_str()))
            .cloned()
            .collect();
        for p in gone {
            self.delete(&p);
        }
        let todo: Vec<&String> = listed
            .iter()
            .filter(|p| {
                let Some(known) = self.table.get(p.as_str()) else {
                    return true;
                };
                match self.stat(p) {
                    Some(m) => m.len() != known.size || mtime_ns(&m) != known.mtime_ns,
                    None => true,
                }
            })
            .collect();
        let total = u32::try_from(todo.len()).unwrap_or(u32::MAX);
        let started = Instant::now();
        let mut last_commit = Instant::now();
        for (done, p) in todo.into_iter().enumerate() {
            if !self.wait_while_paused(done, total) {
                break;
            }
            self.update(p, false);
            let done = u32::try_from(done + 1).unwrap_or(u32::MAX);
            let elapsed = started.elapsed().as_millis() as f64;
            let eta = elapsed / f64::from(done) * f64::from(total - done);
            self.report(IndexState::Indexing, done, total, Some(eta as u32), true);
            if last_commit.elapsed() > COMMIT_EVERY || self.queued_bytes > QUEUED_TEXT_MAX {
                self.commit();
                last_commit = Instant::now();
            }
        }
        self.commit();
        let state = if self.shared.cancel.load(Ordering::SeqCst) {
            IndexState::Cancelled
        } else {
            IndexState::Ready
        };
        let message = self
            .writer
            .is_none()
            .then(|| "another Aura process keeps this index; it is used read-only".to_owned());
        self.shared.set_status(
            IndexStatus {
                state,
                files_done: total,
                files_total: total,
                eta_ms: None,
                message,
            },
            false,
        );
    }

    /// Holds the build while paused; false when it must stop (cancelled or closing).
    fn wait_while_paused(&self, done: usize, total: u32) -> bool {
        let done = u32::try_from(done).unwrap_or(u32::MAX);
        let mut reported = false;
        while self.shared.paused.load(Ordering::SeqCst) && !self.stopping() {
            if !reported {
                self.report(IndexState::Paused, done, total, None, false);
                reported = true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        !self.stopping()
    }

    fn stopping(&self) -> bool {
        self.shared.stop.load(Ordering::SeqCst) || self.shared.cancel.load(Ordering::SeqCst)
    }

    fn report(&self, state: IndexState, done: u32, total: u32, eta: Option<u32>, throttle: bool) {
        self.shared.set_status(
            IndexStatus {
                state,
                files_done: done,
                files_total: total,
                eta_ms: eta,
                message: None,
            },
            throttle,
        );
    }

    fn stat(&self, path: &str) -> Option<std::fs::Metadata> {
        let rel = RelPath::new(path).ok()?;
        let abs = self.shared.root.resolve(&rel).ok()?;
        std::fs::metadata(abs).ok()
    }

    /// Re-indexes one file. `force` reads it even when size and mtime look unchanged (an
    /// event says it changed); an unchanged hash still skips the index update.
    fn update(&mut self, path: &str, force: bool) {
        let Some(meta) = self.stat(path) else {
            self.delete(path);
            return;
        };
        if !meta.is_file() {
            return;
        }
        let (size, mtime) = (meta.len(), mtime_ns(&meta));
        let known = self.table.get(path);
        if !force && known.is_some_and(|k| k.size == size && k.mtime_ns == mtime) {
            return;
        }
        let (kind, bytes) = if size > self.shared.opts.max_file_bytes {
            (Kind::Large, Vec::new())
        } else {
            let Some(bytes) = self.read(path) else {
                return;
            };
            // UTF-16 text is full of NULs; ripgrep transcodes it by its BOM, and so do we.
            let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
            let binary = !utf16 && bytes[..bytes.len().min(SNIFF_BYTES)].contains(&0);
            (if binary { Kind::Binary } else { Kind::Text }, bytes)
        };
        let hash = if kind == Kind::Large {
            String::new()
        } else {
            blake3::hash(&bytes).to_hex().to_string()
        };
        let file = FileMeta {
            size,
            mtime_ns: mtime,
            hash,
            kind,
        };
        if known.is_some_and(|k| k.hash == file.hash && k.kind == file.kind && kind != Kind::Large)
        {
            // Same content: only the mtime moved. Keeping the old entry costs one extra
            // read after a restart, far less than re-indexing on every touch.
            return;
        }
        let (Some(text), Some(writer)) = (&self.text, &self.writer) else {
            return;
        };
        let content = (kind == Kind::Text).then(|| decode(&bytes));
        let tris = match &content {
            Some(c) => self.tris.collect(c),
            None => &[],
        };
        // A queued document holds its text and one value (about 32 bytes) per n-gram term.
        let queued = bytes.len() + tris.len() * 32;
        let doc = text.document(path, &file, content.as_deref(), tris);
        writer.delete_term(text.path_term(path));
        if let Err(e) = writer.add_document(doc) {
            tracing::warn!(path, error = %e, "not indexed");
            return;
        }
        self.table.insert(path.to_owned(), file);
        self.dirty = true;
        self.queued_bytes += queued;
    }

    fn read(&self, path: &str) -> Option<Vec<u8>> {
        let rel = RelPath::new(path).ok()?;
        let abs = self.shared.root.resolve(&rel).ok()?;
        self.shared.files_read.fetch_add(1, Ordering::Relaxed);
        match std::fs::read(&abs) {
            Ok(b) => Some(b),
            Err(e) => {
                tracing::debug!(path, error = %e, "unreadable; not indexed");
                None
            }
        }
    }

    fn delete(&mut self, path: &str) {
        if self.table.remove(path).is_some()
            && let (Some(text), Some(writer)) = (&self.text, &self.writer)
        {
            writer.delete_term(text.path_term(path));
            self.dirty = true;
        }
    }

    fn delete_tree(&mut self, dir: &RelPath) {
        let gone: Vec<String> = self
            .table
            .keys()
            .filter(|p| under(p, dir))
            .cloned()
            .collect();
        for p in gone {
            self.delete(&p);
        }
    }

    fn apply(&mut self, events: Vec<FsEvent>) {
        for ev in events {
            let path = ev.path.as_str().to_owned();
            if !ev.path.is_root() && hidden(&path) {
                continue;
            }
            match ev.kind {
                FsEventKind::Created | FsEventKind::Modified => self.created(&ev.path),
                FsEventKind::Removed => self.removed(&ev.path),
                FsEventKind::Renamed { from } => {
                    self.removed(&from);
                    self.created(&ev.path);
                }
                FsEventKind::Rescan => self.rescan(&ev.path),
            }
        }
    }

    fn created(&mut self, path: &RelPath) {
        match self.stat(path.as_str()) {
            Some(m) if m.is_dir() => self.rescan(path),
            Some(m) if m.is_file() => {
                let _ = self
                    .shared
                    .with_paths(Duration::ZERO, |l| l.insert(path.as_str()));
                self.update(path.as_str(), true);
            }
            Some(_) => {}
            None => self.removed(path),
        }
    }

    fn removed(&mut self, path: &RelPath) {
        let _ = self
            .shared
            .with_paths(Duration::ZERO, |l| l.remove_tree(path.as_str()));
        self.delete_tree(path);
    }

    fn rescan(&mut self, dir: &RelPath) {
        let listed = self.list(dir);
        let _ = self.shared.with_paths(Duration::ZERO, |l| {
            l.replace_tree(dir.as_str(), listed.clone());
        });
        let was = self.shared.status();
        self.catch_up(dir, listed);
        // A rescan of part of the tree does not undo a pause or cancel.
        if matches!(was.state, IndexState::Cancelled | IndexState::Failed) {
            self.shared.set_status(was, false);
        }
    }

    fn commit(&mut self) {
        if !self.dirty {
            return;
        }
        let (Some(text), Some(writer)) = (&self.text, &mut self.writer) else {
            return;
        };
        match writer.commit() {
            Ok(_) => {
                self.dirty = false;
                self.queued_bytes = 0;
                if let Err(e) = text.reader.reload() {
                    tracing::warn!(error = %e, "index reader not reloaded");
                }
            }
            Err(e) => tracing::warn!(error = %e, "index commit failed"),
        }
    }
}

/// Text for tokenizing: UTF-16 by its BOM, anything else as (lossy) UTF-8.
fn decode(bytes: &[u8]) -> String {
    let utf16 = |rest: &[u8], f: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| f([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(rest, u16::from_be_bytes)
    } else {
        let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        String::from_utf8_lossy(body).into_owned()
    }
}
