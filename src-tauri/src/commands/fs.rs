//! File commands. Paths are project-relative strings; `aura_app` turns them into confined
//! paths, so `..`, absolute paths and symlinks out are refused with `OutsideProject`.

use aura_core::Result;
use aura_fs::{DirEntry, Encoding, FileVersion, Stat, TextFile};
use tauri::State;

use crate::state::AppState;

#[tauri::command(async)]
#[specta::specta]
pub fn fs_list(
    state: State<'_, AppState>,
    project_id: String,
    path: String,
) -> Result<Vec<DirEntry>> {
    state.fs_list(&project_id, &path, None)
}

#[tauri::command(async)]
#[specta::specta]
pub fn fs_read(
    state: State<'_, AppState>,
    project_id: String,
    path: String,
    read_only: bool,
) -> Result<TextFile> {
    state.fs_read(&project_id, &path, read_only)
}

/// `expected_version` is the version the editor read; `null` creates a new file.
#[tauri::command(async)]
#[specta::specta]
pub fn fs_write(
    state: State<'_, AppState>,
    project_id: String,
    path: String,
    text: String,
    encoding: Encoding,
    expected_version: Option<FileVersion>,
) -> Result<FileVersion> {
    state.fs_write(&project_id, &path, &text, encoding, expected_version)
}

#[tauri::command(async)]
#[specta::specta]
pub fn fs_create_file(
    state: State<'_, AppState>,
    project_id: String,
    path: String,
) -> Result<FileVersion> {
    state.fs_create_file(&project_id, &path)
}

#[tauri::command(async)]
#[specta::specta]
pub fn fs_create_dir(state: State<'_, AppState>, project_id: String, path: String) -> Result<()> {
    state.fs_create_dir(&project_id, &path)
}

#[tauri::command(async)]
#[specta::specta]
pub fn fs_rename(
    state: State<'_, AppState>,
    project_id: String,
    from: String,
    to: String,
) -> Result<()> {
    state.fs_rename(&project_id, &from, &to)
}

#[tauri::command(async)]
#[specta::specta]
pub fn fs_copy(
    state: State<'_, AppState>,
    project_id: String,
    from: String,
    to: String,
) -> Result<()> {
    state.fs_copy(&project_id, &from, &to)
}

/// To the OS trash, unless `permanent` (the UI asks the user first).
#[tauri::command(async)]
#[specta::specta]
pub fn fs_delete(
    state: State<'_, AppState>,
    project_id: String,
    path: String,
    permanent: bool,
) -> Result<()> {
    state.fs_delete(&project_id, &path, permanent)
}

#[tauri::command(async)]
#[specta::specta]
pub fn fs_stat(state: State<'_, AppState>, project_id: String, path: String) -> Result<Stat> {
    state.fs_stat(&project_id, &path)
}
