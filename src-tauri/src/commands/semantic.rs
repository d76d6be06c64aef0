//! Semantic search commands: chunks by meaning and words (the Search panel's semantic
//! mode, AI context), workspace symbols (Ctrl+T), and the semantic index's status.

use aura_app::{App, Retrieval, RetrievalQuery, SemanticStatus, SymbolMatch};
use aura_core::Result;
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::{AppHandle, State};
use tauri_specta::Event as _;

use crate::state::AppState;

/// A project's semantic index changed state or made progress (throttled).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct SemanticProgress {
    pub project_id: String,
    pub status: SemanticStatus,
}

/// Forwards semantic index progress to the window; installed once at start-up.
pub(crate) fn forward_progress(app: &App, handle: &AppHandle) {
    let handle = handle.clone();
    app.set_semantic_listener(std::sync::Arc::new(move |project, status| {
        let event = SemanticProgress {
            project_id: project.to_string(),
            status: status.clone(),
        };
        if let Err(e) = event.emit(&handle) {
            tracing::debug!(error = %e, "semantic progress not delivered");
        }
    }));
}

/// The chunks of code that best answer `query` (by meaning, words, or both).
#[tauri::command(async)]
#[specta::specta]
pub fn search_semantic(
    state: State<'_, AppState>,
    project_id: String,
    query: RetrievalQuery,
) -> Result<Retrieval> {
    state.retrieve(&project_id, &query)
}

/// Go to symbol in workspace: the best `limit` symbols for `query` (fuzzy).
#[tauri::command(async)]
#[specta::specta]
pub fn search_symbols(
    state: State<'_, AppState>,
    project_id: String,
    query: String,
    limit: u32,
) -> Result<Vec<SymbolMatch>> {
    state.search_symbols(&project_id, &query, limit as usize)
}

#[tauri::command(async)]
#[specta::specta]
pub fn semantic_status(state: State<'_, AppState>, project_id: String) -> Result<SemanticStatus> {
    state.semantic_status(&project_id)
}

/// Pauses (`true`) or resumes (`false`) chunking and embedding in the background.
#[tauri::command(async)]
#[specta::specta]
pub fn semantic_pause(state: State<'_, AppState>, project_id: String, paused: bool) -> Result<()> {
    state.semantic_pause(&project_id, paused)
}
