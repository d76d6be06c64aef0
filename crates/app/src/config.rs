//! settings.toml: loading, first-run defaults, saving, and editing the file as text (the
//! "Open settings.toml" tab), which is the only file outside a project the UI may write.

use aura_core::paths::AuraDirs;
use aura_core::settings::Settings;
use aura_core::{Error, RelPath, Result};
use aura_fs::{Encoding, FileVersion, ProjectRoot, ReadOptions, TextFile, WriteMode};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::App;

/// settings.toml saved from its editor tab.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SettingsSaved {
    /// The file's new version, for the next save's conflict check.
    pub version: FileVersion,
    /// The settings now in force.
    pub settings: Settings,
    /// Unknown keys that were ignored.
    pub warnings: Vec<String>,
}

/// The config dir as a root (atomic, permission-keeping saves, like a project file) and
/// the settings file's name in it.
fn settings_root(dirs: &AuraDirs) -> Result<(ProjectRoot, RelPath)> {
    std::fs::create_dir_all(&dirs.config).map_err(|e| Error::from_io(&e, dirs.config.display()))?;
    Ok((
        ProjectRoot::open(&dirs.config)?,
        RelPath::new("settings.toml")?,
    ))
}

/// Reads settings.toml, writing the defaults when it does not exist yet. Unknown keys give
/// warnings. A bad file gives a warning naming the key and the defaults apply for this
/// run; the user's file is left as it is for them to fix.
pub(crate) fn load_or_init(dirs: &AuraDirs) -> Result<(Settings, Vec<String>)> {
    let file = dirs.settings_file();
    match std::fs::read_to_string(&file) {
        Ok(text) => match Settings::from_toml(&text) {
            Ok(parsed) => {
                for w in &parsed.warnings {
                    tracing::warn!(file = %file.display(), "{w}");
                }
                Ok((parsed.settings, parsed.warnings))
            }
            Err(e) => {
                let w = format!(
                    "{}: {}; using the defaults until it is fixed",
                    file.display(),
                    e.message
                );
                tracing::error!("{w}");
                Ok((Settings::default(), vec![w]))
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let settings = Settings::default();
            write_settings(dirs, &settings)?;
            tracing::info!(file = %file.display(), "wrote default settings");
            Ok((settings, Vec::new()))
        }
        Err(e) => Err(Error::from_io(&e, file.display())),
    }
}

fn write_settings(dirs: &AuraDirs, settings: &Settings) -> Result<()> {
    let text = format!(
        "# Aura settings. Unknown keys are ignored with a warning.\n{}",
        settings.to_toml()?
    );
    let (root, name) = settings_root(dirs)?;
    root.write_text(&name, &text, Encoding::Utf8, WriteMode::Overwrite)?;
    Ok(())
}

impl App {
    pub fn settings(&self) -> Settings {
        self.settings
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Validates and saves new settings (atomically), then makes them current.
    pub fn set_settings(&self, settings: Settings) -> Result<Settings> {
        settings.validate()?;
        write_settings(&self.dirs, &settings)?;
        *self.settings.write().unwrap_or_else(|p| p.into_inner()) = settings.clone();
        Ok(settings)
    }

    /// Re-reads settings.toml after the user edited it by hand; on error the old settings
    /// stay in force.
    pub fn reload_settings(&self) -> Result<Settings> {
        let text = std::fs::read_to_string(self.dirs.settings_file())
            .map_err(|e| Error::from_io(&e, self.dirs.settings_file().display()))?;
        let parsed = Settings::from_toml(&text)?;
        *self.settings.write().unwrap_or_else(|p| p.into_inner()) = parsed.settings.clone();
        Ok(parsed.settings)
    }

    /// settings.toml as text for its editor tab (written with the defaults if it is gone).
    pub fn settings_file_read(&self) -> Result<TextFile> {
        if !self.dirs.settings_file().exists() {
            write_settings(&self.dirs, &self.settings())?;
        }
        let (root, name) = settings_root(&self.dirs)?;
        root.read_text(&name, &ReadOptions::default())
    }

    /// Saves settings.toml as typed in its tab. Text that does not parse or validate is
    /// refused (`InvalidInput`, naming the key) and the file is left as it was; `expected`
    /// is the version the tab read (`Conflict` if the file changed since, `None` to
    /// create it). On success the new settings are in force at once.
    pub fn settings_file_write(
        &self,
        text: &str,
        expected: Option<FileVersion>,
    ) -> Result<SettingsSaved> {
        let parsed = Settings::from_toml(text)?;
        let (root, name) = settings_root(&self.dirs)?;
        let mode = expected.map_or(WriteMode::CreateNew, WriteMode::IfVersion);
        let version = root.write_text(&name, text, Encoding::Utf8, mode)?;
        *self.settings.write().unwrap_or_else(|p| p.into_inner()) = parsed.settings.clone();
        Ok(SettingsSaved {
            version,
            settings: parsed.settings,
            warnings: parsed.warnings,
        })
    }
}
