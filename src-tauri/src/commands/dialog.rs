//! Native pickers, run from Rust so the page gets no dialog permission of its own.

use tauri_plugin_dialog::DialogExt as _;

/// A folder chosen by the user, or `None` if they cancelled.
#[tauri::command(async)]
#[specta::specta]
pub fn dialog_pick_folder(window: tauri::Window) -> Option<String> {
    let picked = window
        .dialog()
        .file()
        .set_parent(&window)
        .blocking_pick_folder()?;
    picked.into_path().ok().map(|p| p.display().to_string())
}

/// An archive to import (zip, tar, tar.gz), or `None`.
#[tauri::command(async)]
#[specta::specta]
pub fn dialog_pick_file(window: tauri::Window) -> Option<String> {
    let picked = window
        .dialog()
        .file()
        .set_parent(&window)
        .add_filter("Archives", &["zip", "tar", "gz", "tgz"])
        .blocking_pick_file()?;
    picked.into_path().ok().map(|p| p.display().to_string())
}
