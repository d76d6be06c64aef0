//! Where Aura keeps its own files.
//!
//! `AURA_HOME=<dir>` puts config, data, cache and logs under one folder; every test sets
//! it so nothing touches the real user dirs. Without it the OS conventions apply (XDG on
//! Linux, `~/Library/...` on macOS, `%APPDATA%` on Windows) through `directories`.

use std::path::{Path, PathBuf};

use crate::{Error, ErrorCode, ProjectId};

/// The environment variable that relocates every Aura dir.
pub const AURA_HOME_ENV: &str = "AURA_HOME";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuraDirs {
    pub config: PathBuf,
    pub data: PathBuf,
    pub cache: PathBuf,
    pub logs: PathBuf,
}

impl AuraDirs {
    /// Resolves the dirs from `AURA_HOME` or the OS conventions. Creates nothing.
    pub fn from_env() -> crate::Result<Self> {
        match std::env::var_os(AURA_HOME_ENV) {
            Some(home) if !home.is_empty() => Ok(Self::under(Path::new(&home))),
            _ => {
                let pd =
                    directories::ProjectDirs::from("dev", "Aura", "Aura").ok_or_else(|| {
                        Error::new(ErrorCode::Internal, "no home directory: set AURA_HOME")
                    })?;
                let logs = pd
                    .state_dir()
                    .unwrap_or_else(|| pd.data_local_dir())
                    .join("logs");
                Ok(Self {
                    config: pd.config_dir().to_path_buf(),
                    data: pd.data_dir().to_path_buf(),
                    cache: pd.cache_dir().to_path_buf(),
                    logs,
                })
            }
        }
    }

    /// All dirs under one folder (the `AURA_HOME` layout).
    pub fn under(home: &Path) -> Self {
        Self {
            config: home.join("config"),
            data: home.join("data"),
            cache: home.join("cache"),
            logs: home.join("logs"),
        }
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config.join("settings.toml")
    }

    pub fn database_file(&self) -> PathBuf {
        self.data.join("aura.sqlite3")
    }

    /// Per-project derived data (indexes); safe to delete, it is rebuilt from the files.
    pub fn project_data(&self, id: &ProjectId) -> PathBuf {
        self.data.join("projects").join(id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_puts_everything_below_home() {
        let d = AuraDirs::under(Path::new("/h"));
        for p in [&d.config, &d.data, &d.cache, &d.logs] {
            assert!(p.starts_with("/h"));
        }
        assert_eq!(d.settings_file(), Path::new("/h/config/settings.toml"));
        let id = ProjectId::parse("0123456789abcdef0123456789abcdef").unwrap();
        assert!(
            d.project_data(&id)
                .ends_with("projects/0123456789abcdef0123456789abcdef")
        );
    }
}
