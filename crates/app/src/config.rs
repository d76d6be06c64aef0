//! settings.toml: loading, first-run defaults, saving.

use aura_core::paths::AuraDirs;
use aura_core::settings::Settings;
use aura_core::{Error, Result};

use crate::App;

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
    // The config dir as a root gives the same atomic, permission-keeping save as a
    // project file.
    let root = aura_fs::ProjectRoot::open(&dirs.config)?;
    let name = aura_core::RelPath::new("settings.toml")?;
    root.write_text(
        &name,
        &text,
        aura_fs::Encoding::Utf8,
        aura_fs::WriteMode::Overwrite,
    )?;
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
}
