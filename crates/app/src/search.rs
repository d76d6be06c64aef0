//! Code search: the live text index of each open project, project search and replace, and
//! quick-open. A project's index starts with the project when the app is live (a file
//! listener is set: the desktop), and on first use otherwise (the CLI).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use aura_core::{Error, ProjectId, RelPath, Result};
use aura_fs::{FsEvent, FsEventKind, ProjectRoot};
use aura_index::{
    FileMatches, FileTarget, IndexOptions, IndexStatus, PathMatch, ProjectIndex, ReplacePreview,
    ReplaceResult, SearchBatch, SearchQuery, SearchSummary, UndoResult,
};

use crate::{App, lock};

/// Receives index status changes of every project (the desktop forwards them to the UI).
pub type IndexListener = Arc<dyn Fn(&ProjectId, &IndexStatus) + Send + Sync>;

/// Results are handed on in batches: at most this many files, or after this long.
const BATCH_FILES: usize = 50;
const BATCH_AGE: Duration = Duration::from_millis(50);

impl App {
    /// Index progress of every project goes to `listener` from now on.
    pub fn set_index_listener(&self, listener: IndexListener) {
        *lock(&self.index_listener) = Some(listener);
    }

    pub fn has_index_listener(&self) -> bool {
        lock(&self.index_listener).is_some()
    }

    /// Starts the index of an open project (its thread lists and indexes in the background).
    pub(crate) fn start_index(
        &self,
        id: &ProjectId,
        root: &ProjectRoot,
    ) -> Result<Arc<ProjectIndex>> {
        let mut opts = IndexOptions::new(self.dirs.project_data(id).join("index").join("text"));
        let slot = Arc::clone(&self.index_listener);
        let pid = id.clone();
        // Looked up on every report, so a listener set after the project opened still hears.
        opts.progress = Some(Arc::new(move |status: &IndexStatus| {
            let listener = lock(&slot).clone();
            if let Some(listener) = listener {
                listener(&pid, status);
            }
        }));
        Ok(Arc::new(ProjectIndex::open(root.clone(), opts)?))
    }

    /// The index of a project, opening the project and starting the index if needed.
    pub fn index(&self, project: &str) -> Result<Arc<ProjectIndex>> {
        let id = ProjectId::parse(project)?;
        let root = self.root(project)?;
        let mut open = self.open_projects();
        let entry = open
            .get_mut(&id)
            .ok_or_else(|| Error::not_found(format!("project {id} is not open")))?;
        if let Some(ix) = &entry.index {
            return Ok(Arc::clone(ix));
        }
        let ix = self.start_index(&id, &root)?;
        entry.index = Some(Arc::clone(&ix));
        Ok(ix)
    }

    /// Tells the index about files we changed ourselves (the watcher hides our own saves).
    pub(crate) fn index_notify(&self, project: &str, paths: &[&str]) {
        let Ok(id) = ProjectId::parse(project) else {
            return;
        };
        let (index, semantic) = match self.open_projects().get(&id) {
            Some(p) => (p.index.clone(), p.semantic.clone()),
            None => return,
        };
        let events: Vec<FsEvent> = paths
            .iter()
            .filter_map(|p| RelPath::new(p).ok())
            .map(|path| FsEvent {
                path,
                kind: FsEventKind::Modified,
            })
            .collect();
        if let Some(semantic) = semantic {
            semantic.apply_events(events.clone());
        }
        if let Some(index) = index {
            index.apply_events(events);
        }
    }

    pub fn index_status(&self, project: &str) -> Result<IndexStatus> {
        Ok(self.index(project)?.status())
    }

    /// Pauses or resumes building the index (resuming also restarts a cancelled build).
    pub fn index_pause(&self, project: &str, paused: bool) -> Result<()> {
        self.index(project)?.set_paused(paused);
        Ok(())
    }

    pub fn index_cancel(&self, project: &str) -> Result<()> {
        self.index(project)?.cancel();
        Ok(())
    }

    /// Waits (up to `timeout`) for the index to be current; for the CLI and tests.
    pub fn index_wait(&self, project: &str, timeout: Duration) -> Result<IndexStatus> {
        Ok(self.index(project)?.wait_ready(timeout))
    }

    /// Searches the project's files, handing results over in batches as they are found.
    /// A new search in the same project cancels the one still running.
    pub fn search_text(
        &self,
        project: &str,
        query: &SearchQuery,
        on_batch: &mut (dyn FnMut(SearchBatch) + Send),
    ) -> Result<SearchSummary> {
        let id = ProjectId::parse(project)?;
        let index = self.index(project)?;
        let cancel = Arc::new(AtomicBool::new(false));
        if let Some(old) = lock(&self.searches).insert(id.clone(), Arc::clone(&cancel)) {
            old.store(true, Ordering::SeqCst);
        }
        let mut pending: Vec<FileMatches> = Vec::new();
        let mut last = Instant::now();
        let result = index.search(query, &cancel, &mut |file| {
            pending.push(file);
            if pending.len() >= BATCH_FILES || last.elapsed() >= BATCH_AGE {
                on_batch(SearchBatch {
                    files: std::mem::take(&mut pending),
                });
                last = Instant::now();
            }
        });
        if !pending.is_empty() {
            on_batch(SearchBatch { files: pending });
        }
        let mut searches = lock(&self.searches);
        if searches.get(&id).is_some_and(|c| Arc::ptr_eq(c, &cancel)) {
            searches.remove(&id);
        }
        drop(searches);
        let summary = result?;
        tracing::debug!(
            files = summary.files,
            lines = summary.lines,
            ms = summary.elapsed_ms,
            used_index = summary.used_index,
            "search done"
        );
        Ok(summary)
    }

    /// Stops the project's running search (its summary then says `cancelled`).
    pub fn search_cancel(&self, project: &str) -> Result<()> {
        let id = ProjectId::parse(project)?;
        if let Some(c) = lock(&self.searches).remove(&id) {
            c.store(true, Ordering::SeqCst);
        }
        Ok(())
    }

    pub fn search_replace_preview(
        &self,
        project: &str,
        query: &SearchQuery,
        replacement: &str,
    ) -> Result<ReplacePreview> {
        self.index(project)?
            .replace_preview(query, replacement, &AtomicBool::new(false))
    }

    /// Replaces in `files` (paths and the versions from the preview); a file changed since
    /// is reported as `Conflict` and left alone. The result's `undoId` undoes it all.
    pub fn search_replace_apply(
        &self,
        project: &str,
        query: &SearchQuery,
        replacement: &str,
        files: &[FileTarget],
    ) -> Result<ReplaceResult> {
        self.index(project)?
            .replace_apply(query, replacement, files)
    }

    pub fn search_replace_undo(&self, project: &str, undo_id: &str) -> Result<UndoResult> {
        self.index(project)?.replace_undo(undo_id)
    }

    /// Quick-open: paths ranked for `query`, recently opened files first for short queries.
    pub fn search_files(&self, project: &str, query: &str, limit: usize) -> Result<Vec<PathMatch>> {
        let index = self.index(project)?;
        let recent = self
            .store
            .recent_files(&ProjectId::parse(project)?)
            .unwrap_or_default();
        index.find_files(query, &recent, limit.clamp(1, 10_000))
    }
}
