//! Closing the window without losing unsaved work, and handing paths to the OS.

use std::sync::atomic::Ordering;

use aura_core::{Error, ErrorCode, Result};
use tauri::State;
use tauri_plugin_opener::OpenerExt as _;

use crate::state::AppState;

/// The page heard the close request and takes over (it may ask about unsaved files).
#[tauri::command(async)]
#[specta::specta]
pub fn window_close_ack(state: State<'_, AppState>) {
    state.close.acked.store(true, Ordering::SeqCst);
}

/// Closes the window for good (the page has dealt with unsaved files).
#[tauri::command(async)]
#[specta::specta]
pub fn window_close(state: State<'_, AppState>, window: tauri::Window) -> Result<()> {
    state.close.confirmed.store(true, Ordering::SeqCst);
    window
        .destroy()
        .map_err(|e| Error::internal(format!("closing the window: {e}")))
}

/// Shows a project entry in the OS file manager.
#[tauri::command(async)]
#[specta::specta]
pub fn os_reveal(
    state: State<'_, AppState>,
    app: tauri::AppHandle,
    project_id: String,
    path: String,
) -> Result<()> {
    let abs = state.fs_absolute(&project_id, &path)?;
    app.opener().reveal_item_in_dir(&abs).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            format!("no file manager could show {}: {e}", abs.display()),
        )
    })
}
