use aura_app::{AppInfo, SettingsSaved};
use aura_core::Result;
use aura_core::settings::Settings;
use aura_fs::{FileVersion, TextFile};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;

use crate::state::AppState;

#[tauri::command(async)]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info()
}

#[tauri::command(async)]
#[specta::specta]
pub fn settings_get(state: State<'_, AppState>) -> Settings {
    state.settings()
}

/// Validates, saves settings.toml atomically and applies.
#[tauri::command(async)]
#[specta::specta]
pub fn settings_set(state: State<'_, AppState>, settings: Settings) -> Result<Settings> {
    state.set_settings(settings)
}

/// Re-reads settings.toml after the user edited it.
#[tauri::command(async)]
#[specta::specta]
pub fn settings_reload(state: State<'_, AppState>) -> Result<Settings> {
    state.reload_settings()
}

/// settings.toml as text, for the "Open settings.toml" editor tab.
#[tauri::command(async)]
#[specta::specta]
pub fn settings_file_read(state: State<'_, AppState>) -> Result<TextFile> {
    state.settings_file_read()
}

/// Saves settings.toml from its tab: refused with `InvalidInput` (file untouched) unless
/// it validates; `Conflict` if it changed since `expected_version`.
#[tauri::command(async)]
#[specta::specta]
pub fn settings_file_write(
    state: State<'_, AppState>,
    text: String,
    expected_version: Option<FileVersion>,
) -> Result<SettingsSaved> {
    state.settings_file_write(&text, expected_version)
}

/// What the window should show first.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Startup {
    /// A folder given on the command line, to open instead of the welcome screen.
    pub open_path: Option<String>,
    /// A file given on the command line, relative to `open_path`, to open in a tab.
    pub open_file: Option<String>,
}

#[tauri::command(async)]
#[specta::specta]
pub fn app_startup(state: State<'_, AppState>) -> Startup {
    Startup {
        open_path: state.open_path.as_ref().map(|p| p.display().to_string()),
        open_file: state
            .open_path
            .as_deref()
            .zip(state.open_file.as_deref())
            .and_then(|(dir, file)| relative_inside(dir, file)),
    }
}

/// `file` as a `/`-separated path relative to `dir`, if it lies inside it (both resolved,
/// so `..` and symlinks cannot point elsewhere); the window opens it through the
/// project's confined file commands anyway.
fn relative_inside(dir: &std::path::Path, file: &std::path::Path) -> Option<String> {
    let dir = dir.canonicalize().ok()?;
    let file = file.canonicalize().ok()?;
    let rel = file.strip_prefix(&dir).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/")).filter(|p| !p.is_empty())
}

/// The UI reports when a screen became usable; logged with the time since process start
/// (the start-up benchmark reads this line).
#[tauri::command(async)]
#[specta::specta]
pub fn ui_ready(state: State<'_, AppState>, screen: String) {
    let ms = state.started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(screen = %screen.chars().take(40).collect::<String>(), ms = format!("{ms:.1}"), "ui ready");
}
