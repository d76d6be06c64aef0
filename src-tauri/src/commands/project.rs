use std::path::Path;

use aura_app::{ProjectInfo, TemplateInfo};
use aura_core::{Error, Result};
use aura_fs::ExportReport;
use tauri::State;

use crate::state::AppState;

/// The registry keeps at most this many for the welcome screen.
const RECENT_LIMIT: usize = 100;

fn absolute(path: &str, what: &str) -> Result<std::path::PathBuf> {
    let p = Path::new(path.trim());
    if path.trim().is_empty() || !p.is_absolute() {
        return Err(Error::invalid(format!(
            "{what} must be an absolute path (got {path:?})"
        )));
    }
    Ok(p.to_path_buf())
}

#[tauri::command(async)]
#[specta::specta]
pub fn project_templates(state: State<'_, AppState>) -> Vec<TemplateInfo> {
    state.project_templates()
}

#[tauri::command(async)]
#[specta::specta]
pub fn project_list_recent(state: State<'_, AppState>) -> Result<Vec<ProjectInfo>> {
    state.project_list_recent(RECENT_LIMIT)
}

#[tauri::command(async)]
#[specta::specta]
pub fn project_create(
    state: State<'_, AppState>,
    name: String,
    template: String,
    location: String,
) -> Result<ProjectInfo> {
    state.project_create(&name, &template, &absolute(&location, "the location")?)
}

#[tauri::command(async)]
#[specta::specta]
pub fn project_open(state: State<'_, AppState>, path: String) -> Result<ProjectInfo> {
    state.project_open(&absolute(&path, "the folder")?)
}

#[tauri::command(async)]
#[specta::specta]
pub fn project_close(state: State<'_, AppState>, project_id: String) -> Result<()> {
    state.project_close(&project_id)
}

#[tauri::command(async)]
#[specta::specta]
pub fn project_forget(state: State<'_, AppState>, project_id: String) -> Result<()> {
    state.project_forget(&project_id)
}

/// `None` leaves a field unchanged; `settings` is a JSON object as text.
#[tauri::command(async)]
#[specta::specta]
pub fn project_update(
    state: State<'_, AppState>,
    project_id: String,
    name: Option<String>,
    description: Option<String>,
    language: Option<String>,
    settings: Option<String>,
) -> Result<ProjectInfo> {
    let update = aura_app::ProjectUpdate {
        name,
        description,
        language: language.map(Some),
        settings_json: settings,
    };
    state.project_update(&project_id, update)
}

#[tauri::command(async)]
#[specta::specta]
pub fn project_import(
    state: State<'_, AppState>,
    archive: String,
    location: String,
    name: Option<String>,
) -> Result<ProjectInfo> {
    let archive = absolute(&archive, "the archive")?;
    state.project_import(
        &archive,
        &absolute(&location, "the location")?,
        name.as_deref(),
    )
}

#[tauri::command(async)]
#[specta::specta]
pub fn project_export(
    state: State<'_, AppState>,
    project_id: String,
    out: String,
) -> Result<ExportReport> {
    state.project_export(&project_id, &absolute(&out, "the output file")?)
}

/// The UI's saved layout and tabs for a project (JSON text it owns), if any.
#[tauri::command(async)]
#[specta::specta]
pub fn session_load(state: State<'_, AppState>, project_id: String) -> Result<Option<String>> {
    state.session_load(&project_id)
}

#[tauri::command(async)]
#[specta::specta]
pub fn session_save(
    state: State<'_, AppState>,
    project_id: String,
    state_json: String,
) -> Result<()> {
    state.session_save(&project_id, &state_json)
}

#[tauri::command(async)]
#[specta::specta]
pub fn recent_files(state: State<'_, AppState>, project_id: String) -> Result<Vec<String>> {
    state.recent_files(&project_id)
}
