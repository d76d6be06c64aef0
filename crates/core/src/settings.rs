//! The user's settings (`settings.toml`): the model, its defaults and its validation.
//!
//! Parsing is strict about values and lenient about names: a bad value is an error that
//! names the key (`editor.font_size: must be between 6 and 72`), an unknown key is a
//! warning, so a settings file written by a newer Aura still loads.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::Error;

pub mod ai;
pub mod exec;
pub mod search;
pub use ai::{AiSettings, PriceSettings, ProviderKind, ProviderSettings};
pub use exec::{ProjectExec, RunConfiguration, RunSettings, SandboxSettings, TerminalSettings};
pub use search::SearchSettings;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub editor: EditorSettings,
    pub workbench: WorkbenchSettings,
    pub files: FilesSettings,
    pub log: LogSettings,
    pub ai: AiSettings,
    pub search: SearchSettings,
    pub terminal: TerminalSettings,
    pub run: RunSettings,
    pub sandbox: SandboxSettings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(default, deny_unknown_fields)]
pub struct EditorSettings {
    pub font_family: String,
    pub font_size: u16,
    pub tab_size: u8,
    pub insert_spaces: bool,
    pub word_wrap: bool,
    pub auto_save: AutoSave,
    pub auto_save_delay_ms: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum AutoSave {
    Off,
    AfterDelay,
    OnFocusChange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(default, deny_unknown_fields)]
pub struct WorkbenchSettings {
    pub theme: Theme,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    System,
    Dark,
    Light,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(default, deny_unknown_fields)]
pub struct FilesSettings {
    /// Files larger than this open read-only (or are refused for editing).
    pub max_edit_size_mb: u32,
    pub show_hidden: bool,
    /// Show files matched by .gitignore/.ignore (dimmed) in the explorer.
    pub show_ignored: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    /// A `tracing` filter: `error`, `warn`, `info`, `debug`, `trace` or directives.
    pub level: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            editor: EditorSettings::default(),
            workbench: WorkbenchSettings {
                theme: Theme::System,
            },
            files: FilesSettings::default(),
            log: LogSettings {
                level: "info".into(),
            },
            ai: AiSettings::default(),
            search: SearchSettings::default(),
            terminal: TerminalSettings::default(),
            run: RunSettings::default(),
            sandbox: SandboxSettings::default(),
        }
    }
}

impl Default for EditorSettings {
    fn default() -> Self {
        Self {
            font_family: "monospace".into(),
            font_size: 14,
            tab_size: 4,
            insert_spaces: true,
            word_wrap: false,
            auto_save: AutoSave::AfterDelay,
            auto_save_delay_ms: 1000,
        }
    }
}

impl Default for WorkbenchSettings {
    fn default() -> Self {
        Self {
            theme: Theme::System,
        }
    }
}

impl Default for FilesSettings {
    fn default() -> Self {
        Self {
            max_edit_size_mb: 50,
            show_hidden: true,
            show_ignored: true,
        }
    }
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            level: "info".into(),
        }
    }
}

/// Settings read from text, with the warnings the user should see.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub settings: Settings,
    pub warnings: Vec<String>,
}

impl Settings {
    /// Parses `settings.toml` text. Unknown keys become warnings and are ignored.
    pub fn from_toml(text: &str) -> crate::Result<Parsed> {
        let mut value: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            Error::invalid(format!("settings.toml: {}", e.message()))
        })?;
        let known = toml::Table::try_from(Settings::default())
            .map_err(|e| Error::internal(format!("default settings do not serialize: {e}")))?;
        let mut warnings = Vec::new();
        strip_unknown(&mut value, &known, "", &mut warnings);
        let settings: Settings = match toml::Value::Table(value.clone()).try_into() {
            Ok(s) => s,
            Err(e) => return Err(name_bad_key(&value, &e)),
        };
        settings.validate()?;
        Ok(Parsed { settings, warnings })
    }

    pub fn to_toml(&self) -> crate::Result<String> {
        toml::to_string_pretty(self).map_err(|e| Error::internal(format!("settings: {e}")))
    }

    /// Range checks that types alone cannot express; the error names the key.
    pub fn validate(&self) -> crate::Result<()> {
        fn range<T: PartialOrd + std::fmt::Display>(
            key: &str,
            v: T,
            lo: T,
            hi: T,
        ) -> crate::Result<()> {
            if v < lo || v > hi {
                return Err(Error::invalid(format!(
                    "{key}: must be between {lo} and {hi} (got {v})"
                )));
            }
            Ok(())
        }
        range("editor.font_size", self.editor.font_size, 6, 72)?;
        range("editor.tab_size", self.editor.tab_size, 1, 16)?;
        range(
            "editor.auto_save_delay_ms",
            self.editor.auto_save_delay_ms,
            100,
            600_000,
        )?;
        range(
            "files.max_edit_size_mb",
            self.files.max_edit_size_mb,
            1,
            4096,
        )?;
        self.ai.validate()?;
        self.search.validate()?;
        exec::validate(&self.terminal, &self.run, &self.sandbox)?;
        if self.editor.font_family.trim().is_empty() {
            return Err(Error::invalid("editor.font_family: must not be empty"));
        }
        let level_ok = self.log.level.split(',').all(|d| {
            let lvl = d.rsplit('=').next().unwrap_or("").trim();
            matches!(lvl, "error" | "warn" | "info" | "debug" | "trace" | "off")
        });
        if !level_ok {
            return Err(Error::invalid(format!(
                "log.level: {:?} is not a level (error, warn, info, debug, trace, off)",
                self.log.level
            )));
        }
        Ok(())
    }

    pub fn max_edit_bytes(&self) -> u64 {
        u64::from(self.files.max_edit_size_mb) * 1024 * 1024
    }
}

/// serde's type errors do not say where they happened; retry one key at a time to name it.
fn name_bad_key(value: &toml::Table, whole: &toml::de::Error) -> Error {
    for (section, inner) in value {
        let keys: Vec<(&String, &toml::Value)> = match inner {
            toml::Value::Table(t) => t.iter().collect(),
            _ => Vec::new(),
        };
        if keys.is_empty() {
            let mut probe = toml::Table::new();
            probe.insert(section.clone(), inner.clone());
            if let Err(e) = toml::Value::Table(probe).try_into::<Settings>() {
                return Error::invalid(format!("{section}: {}", e.message().trim()));
            }
        }
        for (key, v) in keys {
            let mut one = toml::Table::new();
            one.insert(key.clone(), v.clone());
            let mut probe = toml::Table::new();
            probe.insert(section.clone(), toml::Value::Table(one));
            if let Err(e) = toml::Value::Table(probe).try_into::<Settings>() {
                return Error::invalid(format!("{section}.{key}: {}", e.message().trim()));
            }
        }
    }
    Error::invalid(format!("settings.toml: {}", whole.message().trim()))
}

/// Removes keys of `value` that `known` does not have, recursively, recording each.
fn strip_unknown(
    value: &mut toml::Table,
    known: &toml::Table,
    prefix: &str,
    warnings: &mut Vec<String>,
) {
    let keys: Vec<String> = value.keys().cloned().collect();
    for key in keys {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match known.get(&key) {
            None => {
                value.remove(&key);
                warnings.push(format!("unknown setting `{path}` ignored"));
            }
            Some(toml::Value::Table(k)) => {
                if let Some(toml::Value::Table(v)) = value.get_mut(&key) {
                    strip_unknown(v, k, &path, warnings);
                }
            }
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let p = Settings::from_toml("").unwrap();
        assert_eq!(p.settings, Settings::default());
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn defaults_roundtrip_through_toml() {
        let text = Settings::default().to_toml().unwrap();
        assert_eq!(
            Settings::from_toml(&text).unwrap().settings,
            Settings::default()
        );
    }

    #[test]
    fn bad_value_names_the_key() {
        let e = Settings::from_toml("[editor]\nfont_size = 500\n").unwrap_err();
        assert!(e.message.contains("editor.font_size"), "{}", e.message);
        let e = Settings::from_toml("[editor]\nfont_size = \"big\"\n").unwrap_err();
        assert!(e.message.contains("font_size"), "{}", e.message);
        let e = Settings::from_toml("[editor]\nauto_save = \"sometimes\"\n").unwrap_err();
        assert!(
            e.message.contains("auto_save") || e.message.contains("sometimes"),
            "{}",
            e.message
        );
        let e = Settings::from_toml("[log]\nlevel = \"loud\"\n").unwrap_err();
        assert!(e.message.contains("log.level"), "{}", e.message);
    }

    #[test]
    fn unknown_keys_warn_and_known_ones_apply() {
        let p =
            Settings::from_toml("colour = 1\n[editor]\nfont_size = 20\nsparkles = true\n").unwrap();
        assert_eq!(p.settings.editor.font_size, 20);
        assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
        assert!(p.warnings.iter().any(|w| w.contains("editor.sparkles")));
    }

    #[test]
    fn syntax_error_is_invalid_input() {
        let e = Settings::from_toml("[editor\n").unwrap_err();
        assert_eq!(e.code, crate::ErrorCode::InvalidInput);
    }
}
