//! The semantic index thread: opens the database, loads the vectors, catches up with the
//! files on disk (chunking only what changed since last time), then alternates between
//! file events and embedding batches. Events always go first, so a saved file is chunked
//! (and findable by words) within one embedding batch, about half a second.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use aura_core::language::language_of;
use aura_core::{RelPath, Result};
use aura_fs::{FsEvent, FsEventKind, WalkOptions};

use super::db::{Db, FileRow, NewChunk};
use super::embed::MODEL_ID;
use super::vectors::Quantized;
use super::{Cmd, SemanticState, SemanticStatus, Shared, terms};
use crate::chunk::chunk_file;
use crate::worker::{hidden, mtime_ns};

/// Chunks embedded per round between looks at the event queue.
const EMBED_ROUND: usize = 16;
/// Files chunked per database transaction while catching up.
const FILES_PER_TX: usize = 64;
/// How long an idle thread sleeps before checking whether to unload the model.
const IDLE_TICK: Duration = Duration::from_secs(30);
const SNIFF_BYTES: usize = 8 * 1024;

pub(crate) fn run(shared: &Arc<Shared>, rx: &Receiver<Cmd>) {
    let path = shared.opts.dir.join("chunks.sqlite");
    let db = Db::open(&path, MODEL_ID).and_then(|(db, rebuilt)| {
        if rebuilt {
            tracing::info!(dir = %shared.opts.dir.display(), "building a new semantic index");
        }
        let reader = Db::open(&path, MODEL_ID)?.0;
        *crate::project::lock(&shared.reader) = Some(reader);
        Ok(db)
    });
    let db = match db {
        Ok(db) => db,
        Err(e) => {
            tracing::warn!(error = %e, "semantic index unavailable");
            let mut s = SemanticStatus::starting();
            s.state = SemanticState::Failed;
            s.message = Some(e.message);
            shared.set_status(s, false);
            return;
        }
    };
    let mut w = Worker {
        shared: Arc::clone(shared),
        db,
        files: HashMap::new(),
        recheck: HashSet::new(),
        embed_error: shared.opts.embed.unavailable().map(|e| e.message),
        rate: None,
        files_total: 0,
    };
    if let Err(e) = w.load() {
        tracing::warn!(error = %e, "semantic index could not be loaded");
    }
    w.catch_up();
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let busy = w.embedding_due();
        let first = if busy {
            match rx.try_recv() {
                Ok(cmd) => Some(cmd),
                Err(std::sync::mpsc::TryRecvError::Empty) => None,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => break,
            }
        } else {
            w.report_idle();
            match rx.recv_timeout(IDLE_TICK) {
                Ok(cmd) => Some(cmd),
                Err(RecvTimeoutError::Timeout) => {
                    shared.opts.embed.unload_if_idle();
                    None
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        };
        if let Some(first) = first {
            let mut events = Vec::new();
            let mut flushes = Vec::new();
            for cmd in std::iter::once(first).chain(rx.try_iter()) {
                match cmd {
                    Cmd::Events(ev) => events.extend(ev),
                    Cmd::Flush(tx) => flushes.push(tx),
                }
            }
            w.apply(events);
            // Say there is work before anyone waiting on a flush looks at the status.
            if w.embedding_due() && w.shared.status().state != SemanticState::Embedding {
                w.report(SemanticState::Embedding, w.files_total, false);
            }
            for tx in flushes {
                let _ = tx.send(());
            }
        }
        if busy && !shared.stop.load(Ordering::SeqCst) {
            w.embed_round();
        }
    }
}

struct Worker {
    shared: Arc<Shared>,
    db: Db,
    files: HashMap<String, FileRow>,
    /// Files whose chunks no longer match the disk (found while embedding): re-chunked next.
    recheck: HashSet<String>,
    /// Set once embedding is known not to work here; words and symbols still do.
    embed_error: Option<String>,
    /// Chunks per second over the last rounds.
    rate: Option<f32>,
    files_total: u32,
}

/// The file's text, `None` when it is binary (a NUL early on, as git decides) or
/// unreadable. Shared with retrieval, which reads chunks back the same way.
pub(super) fn read_text(root: &aura_fs::ProjectRoot, path: &str) -> Option<String> {
    let rel = RelPath::new(path).ok()?;
    let bytes = std::fs::read(root.resolve(&rel).ok()?).ok()?;
    if bytes[..bytes.len().min(SNIFF_BYTES)].contains(&0) {
        return None;
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
    Some(String::from_utf8_lossy(body).into_owned())
}

impl Worker {
    fn load(&mut self) -> Result<()> {
        self.files = self.db.files()?;
        let rows = self.db.all_vectors()?;
        let mut v = self.shared.vectors_write();
        for (id, file, q) in &rows {
            v.insert(*id, *file, q);
        }
        drop(v);
        let dropped = self.db.collect_garbage()?;
        tracing::debug!(vectors = rows.len(), dropped, "semantic index loaded");
        Ok(())
    }

    fn stopping(&self) -> bool {
        self.shared.stop.load(Ordering::SeqCst)
    }

    fn wait_while_paused(&self) -> bool {
        let mut reported = false;
        while self.shared.paused.load(Ordering::SeqCst) && !self.stopping() {
            if !reported {
                self.report(SemanticState::Paused, 0, false);
                reported = true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        !self.stopping()
    }

    fn report(&self, state: SemanticState, files_done: u32, throttle: bool) {
        let (chunks, embedded, _) = self.db.counts().unwrap_or_default();
        let left = chunks.saturating_sub(embedded);
        let eta_ms = match (state, self.rate) {
            (SemanticState::Embedding, Some(r)) if r > 0.0 => {
                Some((left as f32 / r * 1000.0) as u32)
            }
            _ => None,
        };
        let message = match state {
            SemanticState::Unavailable => self.embed_error.clone(),
            _ => None,
        };
        self.shared.set_status(
            SemanticStatus {
                state,
                files_done,
                files_total: self.files_total,
                chunks: u32::try_from(chunks).unwrap_or(u32::MAX),
                chunks_embedded: u32::try_from(embedded).unwrap_or(u32::MAX),
                chunks_per_second: self.rate,
                eta_ms,
                message,
            },
            throttle,
        );
    }

    fn report_idle(&self) {
        let state = if self.embed_error.is_some() {
            SemanticState::Unavailable
        } else if self.shared.paused.load(Ordering::SeqCst) {
            SemanticState::Paused
        } else {
            SemanticState::Ready
        };
        let current = self.shared.status();
        if current.state != state || current.files_done != self.files_total {
            self.report(state, self.files_total, false);
        }
    }

    fn list(&self) -> Vec<String> {
        match self.shared.root.walk_files(&WalkOptions::default()) {
            Ok(files) => files.into_iter().map(|p| p.as_str().to_owned()).collect(),
            Err(e) => {
                tracing::warn!(error = %e, "cannot list the project");
                Vec::new()
            }
        }
    }

    fn stat(&self, path: &str) -> Option<std::fs::Metadata> {
        let rel = RelPath::new(path).ok()?;
        std::fs::metadata(self.shared.root.resolve(&rel).ok()?).ok()
    }

    /// Chunks what changed on disk since the index last saw the project; forgets what is gone.
    fn catch_up(&mut self) {
        let listed = self.list();
        let present: HashSet<&str> = listed.iter().map(String::as_str).collect();
        let gone: Vec<String> = self
            .files
            .keys()
            .filter(|p| !present.contains(p.as_str()))
            .cloned()
            .collect();
        for p in gone {
            self.remove(&p);
        }
        let todo: Vec<String> = listed
            .iter()
            .filter(|p| match (self.files.get(p.as_str()), self.stat(p)) {
                (Some(known), Some(m)) => m.len() != known.size || mtime_ns(&m) != known.mtime_ns,
                _ => true,
            })
            .cloned()
            .collect();
        self.files_total = u32::try_from(listed.len()).unwrap_or(u32::MAX);
        let unchanged = self.files_total - u32::try_from(todo.len()).unwrap_or(u32::MAX);
        for (i, batch) in todo.chunks(FILES_PER_TX).enumerate() {
            if !self.wait_while_paused() {
                return;
            }
            for p in batch {
                self.update(p, false);
            }
            let done = unchanged + u32::try_from((i + 1) * FILES_PER_TX).unwrap_or(u32::MAX);
            self.report(SemanticState::Chunking, done.min(self.files_total), true);
        }
    }

    /// Re-chunks one file; `force` reads it even when size and mtime look unchanged.
    fn update(&mut self, path: &str, force: bool) {
        let Some(meta) = self.stat(path) else {
            self.remove(path);
            return;
        };
        if !meta.is_file() {
            return;
        }
        let (size, mtime) = (meta.len(), mtime_ns(&meta));
        let known = self.files.get(path);
        if !force && known.is_some_and(|k| k.size == size && k.mtime_ns == mtime) {
            return;
        }
        let text = if size > self.shared.opts.max_file_bytes {
            None
        } else {
            self.read_text(path)
        };
        let hash = text.as_ref().map_or_else(String::new, |t| {
            blake3::hash(t.as_bytes()).to_hex().to_string()
        });
        if !hash.is_empty() && known.is_some_and(|k| k.hash == hash) {
            return;
        }
        let chunks: Vec<NewChunk> = match &text {
            Some(text) => chunk_file(path, text, &self.shared.opts.limits)
                .into_iter()
                .map(|chunk| {
                    let content = chunk.text(text);
                    let embed = terms::embed_text(
                        path,
                        chunk.kind,
                        chunk.parent.as_deref(),
                        chunk.symbol.as_deref(),
                        content,
                    );
                    NewChunk {
                        terms: terms::chunk_terms(path, &chunk, content),
                        embed_key: terms::embed_key(&embed),
                        chunk,
                    }
                })
                .collect(),
            None => Vec::new(),
        };
        let name = path.rsplit('/').next().unwrap_or(path);
        match self
            .db
            .replace_file(path, language_of(name), size, mtime, &hash, &chunks)
        {
            Ok(super::db::Replaced {
                removed,
                file_id,
                added,
            }) => {
                let mut v = self.shared.vectors_write();
                for id in removed {
                    v.remove(id);
                }
                for (id, known) in &added {
                    if let Some(q) = known {
                        v.insert(*id, file_id, q);
                    }
                }
                drop(v);
                self.files.insert(
                    path.to_owned(),
                    FileRow {
                        id: file_id,
                        size,
                        mtime_ns: mtime,
                        hash,
                    },
                );
                *crate::project::lock(&self.shared.symbols) = None;
            }
            Err(e) => tracing::warn!(path, error = %e, "not chunked"),
        }
    }

    /// The file as text, or `None` for binary or unreadable files.
    fn read_text(&self, path: &str) -> Option<String> {
        let rel = RelPath::new(path).ok()?;
        let bytes = std::fs::read(self.shared.root.resolve(&rel).ok()?).ok()?;
        if bytes[..bytes.len().min(SNIFF_BYTES)].contains(&0) {
            return None;
        }
        Some(
            String::from_utf8_lossy(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes))
                .into_owned(),
        )
    }

    fn remove(&mut self, path: &str) {
        match self.db.remove(path) {
            Ok(ids) => {
                let mut v = self.shared.vectors_write();
                for id in ids {
                    v.remove(id);
                }
                drop(v);
                let prefix = format!("{path}/");
                self.files
                    .retain(|p, _| p != path && !p.starts_with(&prefix));
                *crate::project::lock(&self.shared.symbols) = None;
            }
            Err(e) => tracing::warn!(path, error = %e, "not removed from the semantic index"),
        }
    }

    fn apply(&mut self, events: Vec<FsEvent>) {
        let mut rescan = false;
        for ev in events {
            let path = ev.path.as_str().to_owned();
            if !ev.path.is_root() && hidden(&path) {
                continue;
            }
            match ev.kind {
                FsEventKind::Created | FsEventKind::Modified => self.changed(&path),
                FsEventKind::Removed => self.remove(&path),
                FsEventKind::Renamed { from } => {
                    self.remove(from.as_str());
                    self.changed(&path);
                }
                FsEventKind::Rescan => rescan = true,
            }
        }
        for path in std::mem::take(&mut self.recheck) {
            self.update(&path, true);
        }
        if rescan {
            self.catch_up();
        }
    }

    fn changed(&mut self, path: &str) {
        match self.stat(path) {
            Some(m) if m.is_dir() => self.catch_up(),
            Some(m) if m.is_file() => self.update(path, true),
            Some(_) => {}
            None => self.remove(path),
        }
    }

    fn embedding_due(&self) -> bool {
        self.embed_error.is_none()
            && !self.shared.paused.load(Ordering::SeqCst)
            && self
                .db
                .counts()
                .is_ok_and(|(chunks, embedded, _)| embedded < chunks)
    }

    /// Embeds the next few chunks without a vector.
    fn embed_round(&mut self) {
        let rows = match self.db.pending(EMBED_ROUND) {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read pending chunks");
                return;
            }
        };
        // Each chunk's text, read from its file now; a file that changed since it was
        // chunked is re-chunked instead (its event may still be on the way, or was missed).
        let mut texts: HashMap<String, Option<String>> = HashMap::new();
        let mut batch: Vec<(String, String)> = Vec::new();
        for row in &rows {
            let text = texts
                .entry(row.path.clone())
                .or_insert_with(|| self.read_text(&row.path));
            let content = text
                .as_deref()
                .and_then(|t| lines(t, row.line_start, row.line_end));
            let embed = content.map(|c| {
                terms::embed_text(
                    &row.path,
                    row.kind,
                    row.parent.as_deref(),
                    row.symbol.as_deref(),
                    c,
                )
            });
            match embed {
                Some(e) if terms::embed_key(&e) == row.embed_key => {
                    batch.push((row.embed_key.clone(), e))
                }
                _ => {
                    self.recheck.insert(row.path.clone());
                }
            }
        }
        if batch.is_empty() {
            let paths: Vec<String> = self.recheck.drain().collect();
            for p in paths {
                self.update(&p, true);
            }
            return;
        }
        let started = Instant::now();
        let inputs: Vec<&str> = batch.iter().map(|(_, t)| t.as_str()).collect();
        match self.shared.opts.embed.embed(&inputs) {
            Ok(vectors) => {
                let stored: Vec<(String, Quantized)> = batch
                    .iter()
                    .zip(vectors)
                    .map(|((key, _), v)| (key.clone(), Quantized::from_f32(&v)))
                    .collect();
                match self.db.store_vectors(&stored) {
                    Ok(ready) => {
                        let mut v = self.shared.vectors_write();
                        for (id, file, q) in &ready {
                            v.insert(*id, *file, q);
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "vectors not stored"),
                }
                let secs = started.elapsed().as_secs_f32().max(1e-3);
                let now = batch.len() as f32 / secs;
                self.rate = Some(self.rate.map_or(now, |r| r * 0.7 + now * 0.3));
                self.report(SemanticState::Embedding, self.files_total, true);
            }
            Err(e) => {
                tracing::warn!(error = %e, "embedding stopped");
                self.embed_error = Some(e.message);
                self.report(SemanticState::Unavailable, self.files_total, false);
            }
        }
    }
}

/// Lines `a..=b` (1-based) of `text`, each with its line break, as the chunker cut them.
pub(super) fn lines(text: &str, a: u32, b: u32) -> Option<&str> {
    let mut start = None;
    let mut line = 1u32;
    if a == 1 {
        start = Some(0);
    }
    for (i, _) in text.match_indices('\n') {
        line += 1;
        if line == a {
            start = Some(i + 1);
        }
        if line == b + 1 {
            return text.get(start?..=i);
        }
    }
    text.get(start?..)
}

#[cfg(test)]
mod tests {
    use super::lines;

    #[test]
    fn lines_slice_whole_lines() {
        let t = "a\nb\nc\n";
        assert_eq!(lines(t, 1, 1), Some("a\n"));
        assert_eq!(lines(t, 2, 3), Some("b\nc\n"));
        assert_eq!(lines("a\nb", 2, 2), Some("b"));
        assert_eq!(lines(t, 5, 6), None);
    }
}
