//! Values the app hands to its callers (and, through the shell, to the UI).

use serde::{Deserialize, Serialize};
use specta::Type;

use aura_store::ProjectRow;

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub config_file: String,
    pub log_dir: String,
    /// Start-up problems to show the user (e.g. a bad settings.toml).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProjectInfo {
    pub id: String,
    pub name: String,
    /// Absolute path of the project folder.
    pub path: String,
    pub description: String,
    pub language: Option<String>,
    /// Per-project settings, a JSON object as text.
    pub settings: String,
    /// Milliseconds since the epoch; f64 because JavaScript numbers are.
    pub created_ms: f64,
    pub last_opened_ms: Option<f64>,
}

#[allow(
    clippy::cast_precision_loss,
    reason = "millisecond timestamps fit in 53 bits"
)]
impl From<ProjectRow> for ProjectInfo {
    fn from(r: ProjectRow) -> Self {
        Self {
            id: r.id.to_string(),
            name: r.name,
            path: r.path,
            description: r.description,
            language: r.language,
            settings: r.settings_json,
            created_ms: r.created_ms as f64,
            last_opened_ms: r.last_opened_ms.map(|v| v as f64),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TemplateInfo {
    pub id: String,
    pub name: String,
    pub language: Option<String>,
}
