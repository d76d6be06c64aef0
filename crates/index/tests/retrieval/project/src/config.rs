//! Application configuration: a TOML file on disk with environment overrides on top.

use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Default)]
pub struct Config {
    pub values: BTreeMap<String, String>,
}

/// Reads the settings file; a missing file yields the defaults.
pub fn load_config(path: &Path) -> std::io::Result<Config> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(e),
    };
    let mut values = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            values.insert(k.trim().to_owned(), v.trim().trim_matches('"').to_owned());
        }
    }
    Ok(Config { values })
}

/// Variables named APP_<KEY> replace the value of <key> from the file.
pub fn apply_env_overrides(config: &mut Config, vars: impl Iterator<Item = (String, String)>) {
    for (name, value) in vars {
        if let Some(key) = name.strip_prefix("APP_") {
            config.values.insert(key.to_lowercase(), value);
        }
    }
}
