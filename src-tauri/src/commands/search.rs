//! Search commands: project search (results streamed through a channel), replace-all with
//! preview and undo, quick-open, and the text index's status and progress.

use aura_app::{
    App, FileTarget, IndexStatus, PathMatch, ReplacePreview, ReplaceResult, SearchBatch,
    SearchQuery, SearchSummary, UndoResult,
};
use aura_core::Result;
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_specta::Event as _;

use crate::state::AppState;

/// A project's text index changed state or made progress (throttled to a few per second).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct IndexProgress {
    pub project_id: String,
    pub status: IndexStatus,
}

/// Forwards index progress to the window; installed once at start-up.
pub(crate) fn forward_progress(app: &App, handle: &AppHandle) {
    if app.has_index_listener() {
        return;
    }
    super::semantic::forward_progress(app, handle);
    let handle = handle.clone();
    app.set_index_listener(std::sync::Arc::new(move |project, status| {
        let event = IndexProgress {
            project_id: project.to_string(),
            status: status.clone(),
        };
        if let Err(e) = event.emit(&handle) {
            tracing::debug!(error = %e, "index progress not delivered");
        }
    }));
}

/// Searches the project; results arrive on `channel` in batches, grouped by file, as they
/// are found. Starting another search in the project cancels this one.
#[tauri::command(async)]
#[specta::specta]
pub fn search_text(
    state: State<'_, AppState>,
    project_id: String,
    query: SearchQuery,
    channel: Channel<SearchBatch>,
) -> Result<SearchSummary> {
    state.search_text(&project_id, &query, &mut |batch| {
        if let Err(e) = channel.send(batch) {
            tracing::debug!(error = %e, "search results not delivered");
        }
    })
}

#[tauri::command(async)]
#[specta::specta]
pub fn search_cancel(state: State<'_, AppState>, project_id: String) -> Result<()> {
    state.search_cancel(&project_id)
}

#[tauri::command(async)]
#[specta::specta]
pub fn search_replace_preview(
    state: State<'_, AppState>,
    project_id: String,
    query: SearchQuery,
    replacement: String,
) -> Result<ReplacePreview> {
    state.search_replace_preview(&project_id, &query, &replacement)
}

/// `files` are the previewed files to change, with the versions the preview showed.
#[tauri::command(async)]
#[specta::specta]
pub fn search_replace_apply(
    state: State<'_, AppState>,
    project_id: String,
    query: SearchQuery,
    replacement: String,
    files: Vec<FileTarget>,
) -> Result<ReplaceResult> {
    state.search_replace_apply(&project_id, &query, &replacement, &files)
}

#[tauri::command(async)]
#[specta::specta]
pub fn search_replace_undo(
    state: State<'_, AppState>,
    project_id: String,
    undo_id: String,
) -> Result<UndoResult> {
    state.search_replace_undo(&project_id, &undo_id)
}

/// Quick-open: the best `limit` paths for `query` (recent files first when it is short).
#[tauri::command(async)]
#[specta::specta]
pub fn search_files(
    state: State<'_, AppState>,
    project_id: String,
    query: String,
    limit: u32,
) -> Result<Vec<PathMatch>> {
    state.search_files(&project_id, &query, limit as usize)
}

#[tauri::command(async)]
#[specta::specta]
pub fn index_status(state: State<'_, AppState>, project_id: String) -> Result<IndexStatus> {
    state.index_status(&project_id)
}

/// Pauses (`true`) or resumes (`false`) indexing; resuming restarts a cancelled build.
#[tauri::command(async)]
#[specta::specta]
pub fn index_pause(state: State<'_, AppState>, project_id: String, paused: bool) -> Result<()> {
    state.index_pause(&project_id, paused)
}

#[tauri::command(async)]
#[specta::specta]
pub fn index_cancel(state: State<'_, AppState>, project_id: String) -> Result<()> {
    state.index_cancel(&project_id)
}
