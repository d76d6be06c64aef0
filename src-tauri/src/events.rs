//! Every event the window receives, with its name and payload. tauri-specta names each by
//! its type in kebab-case (`fs-batch`) and generates its TypeScript listener.

use aura_fs::FsEvent;
use serde::{Deserialize, Serialize};
use specta::Type;

/// File changes in an open project, debounced and coalesced by the watcher.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct FsBatch {
    pub project_id: String,
    pub events: Vec<FsEvent>,
}

/// The user asked to close the window. The page answers with `window_close_ack` at once,
/// then asks about unsaved files and calls `window_close`, or does nothing to stay open.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct CloseRequested;
