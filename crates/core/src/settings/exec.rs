//! `[terminal]`, `[run]` and `[sandbox]`: the shell, the command per language, and the
//! sandbox's limits; plus the per-project part (stored with the project, under `"exec"`):
//! network for this project, its own commands and its named run configurations.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::Error;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[serde(default, deny_unknown_fields)]
pub struct TerminalSettings {
    /// The shell for new terminals; empty means `$SHELL`, then /bin/bash, then /bin/sh.
    pub shell: String,
    /// New terminals start inside the sandbox.
    pub sandboxed: bool,
}

/// The command that runs a file of each language; empty means Aura's choice. Placeholders:
/// `{file}`, `{dir}`, `{stem}`, `{tmp}` (the run's private temp dir), `{project}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[serde(default, deny_unknown_fields)]
pub struct RunSettings {
    pub python: String,
    pub javascript: String,
    pub typescript: String,
    pub shell: String,
    pub ruby: String,
    pub go: String,
    pub rust: String,
    pub c: String,
    pub cpp: String,
}

impl RunSettings {
    /// The user's command for `language` (Monaco's id), if set.
    pub fn command_for(&self, language: &str) -> Option<&str> {
        let c = match language {
            "python" => &self.python,
            "javascript" => &self.javascript,
            "typescript" => &self.typescript,
            "shell" => &self.shell,
            "ruby" => &self.ruby,
            "go" => &self.go,
            "rust" => &self.rust,
            "c" => &self.c,
            "cpp" => &self.cpp,
            _ => return None,
        };
        let c = c.trim();
        (!c.is_empty()).then_some(c)
    }

    fn validate(&self) -> crate::Result<()> {
        for (lang, cmd) in [
            ("python", &self.python),
            ("javascript", &self.javascript),
            ("typescript", &self.typescript),
            ("shell", &self.shell),
            ("ruby", &self.ruby),
            ("go", &self.go),
            ("rust", &self.rust),
            ("c", &self.c),
            ("cpp", &self.cpp),
        ] {
            check_template(&format!("run.{lang}"), cmd)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(default, deny_unknown_fields)]
pub struct SandboxSettings {
    /// Runs go through the OS sandbox (the default; turning it off asks first in the UI).
    pub enabled: bool,
    /// Network for every project (each project can also allow it for itself).
    pub allow_net: bool,
    pub cpu_secs: u32,
    pub wall_secs: u32,
    pub mem_mb: u32,
    pub file_mb: u32,
    pub procs: u32,
}

impl Default for SandboxSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            allow_net: false,
            cpu_secs: 120,
            wall_secs: 600,
            mem_mb: 4096,
            file_mb: 1024,
            procs: 256,
        }
    }
}

impl SandboxSettings {
    fn validate(&self) -> crate::Result<()> {
        for (key, v, lo, hi) in [
            ("sandbox.cpu_secs", self.cpu_secs, 1, 86_400),
            ("sandbox.wall_secs", self.wall_secs, 1, 86_400),
            ("sandbox.mem_mb", self.mem_mb, 64, 1_048_576),
            ("sandbox.file_mb", self.file_mb, 1, 1_048_576),
            ("sandbox.procs", self.procs, 1, 100_000),
        ] {
            if !(lo..=hi).contains(&v) {
                return Err(Error::invalid(format!(
                    "{key}: must be between {lo} and {hi} (got {v})"
                )));
            }
        }
        Ok(())
    }
}

/// Checks the three sections; called from `Settings::validate`.
pub fn validate(t: &TerminalSettings, r: &RunSettings, s: &SandboxSettings) -> crate::Result<()> {
    if t.shell.contains('\0') || t.shell.trim() != t.shell {
        return Err(Error::invalid(
            "terminal.shell: must be a program name or path, without surrounding spaces",
        ));
    }
    r.validate()?;
    s.validate()
}

/// The placeholders a run command may use.
pub const PLACEHOLDERS: &[&str] = &["file", "dir", "stem", "tmp", "project", "manifest"];

/// A command template's `{names}` must all be known placeholders.
pub fn check_template(key: &str, template: &str) -> crate::Result<()> {
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('}') else {
            return Err(Error::invalid(format!(
                "{key}: unclosed `{{` in {template:?}"
            )));
        };
        let name = &after[..j];
        if !PLACEHOLDERS.contains(&name) {
            return Err(Error::invalid(format!(
                "{key}: unknown placeholder {{{name}}} (known: {})",
                PLACEHOLDERS.join(", ")
            )));
        }
        rest = &after[j + 1..];
    }
    Ok(())
}

/// A project's own exec settings (in its settings JSON under `"exec"`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ProjectExec {
    /// Network for runs and sandboxed terminals of this project.
    pub allow_net: bool,
    /// Commands per language (Monaco ids), over the global `[run]` ones.
    pub commands: BTreeMap<String, String>,
    pub configurations: Vec<RunConfiguration>,
}

/// A named command to run in the project (`npm test`, `make run`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct RunConfiguration {
    pub name: String,
    /// A `sh` command line; placeholders `{project}` and `{tmp}`.
    pub command: String,
    /// Project-relative folder to run in; empty for the project root.
    pub cwd: String,
    /// Run inside the sandbox (the default).
    pub sandbox: bool,
}

impl Default for RunConfiguration {
    fn default() -> Self {
        Self {
            name: String::new(),
            command: String::new(),
            cwd: String::new(),
            sandbox: true,
        }
    }
}

impl ProjectExec {
    pub fn validate(&self) -> crate::Result<()> {
        for (lang, cmd) in &self.commands {
            if cmd.trim().is_empty() {
                return Err(Error::invalid(format!(
                    "exec.commands.{lang}: must not be empty"
                )));
            }
            check_template(&format!("exec.commands.{lang}"), cmd)?;
        }
        let mut names = std::collections::BTreeSet::new();
        for c in &self.configurations {
            let name = c.name.trim();
            if name.is_empty() || name.len() > 100 {
                return Err(Error::invalid(
                    "exec.configurations: a name must have 1 to 100 characters",
                ));
            }
            if !names.insert(name.to_owned()) {
                return Err(Error::invalid(format!(
                    "exec.configurations: {name:?} is there twice"
                )));
            }
            if c.command.trim().is_empty() {
                return Err(Error::invalid(format!(
                    "exec.configurations.{name}: the command is empty"
                )));
            }
            check_template(&format!("exec.configurations.{name}"), &c.command)?;
            if !c.cwd.is_empty() {
                crate::RelPath::new(&c.cwd).map_err(|e| {
                    Error::invalid(format!("exec.configurations.{name}.cwd: {}", e.message))
                })?;
            }
        }
        Ok(())
    }

    /// Reads the `"exec"` part of a project's settings JSON (absent: the defaults).
    pub fn from_project_json(json: &str) -> crate::Result<Self> {
        let v: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| Error::invalid(format!("project settings: {e}")))?;
        match v.get("exec") {
            None | Some(serde_json::Value::Null) => Ok(Self::default()),
            Some(e) => serde_json::from_value(e.clone())
                .map_err(|e| Error::invalid(format!("project settings exec: {e}"))),
        }
    }

    /// The project's settings JSON with its `"exec"` part replaced by `self`; the other
    /// keys are kept as they were.
    pub fn into_project_json(&self, json: &str) -> crate::Result<String> {
        let mut v: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| Error::invalid(format!("project settings: {e}")))?;
        let obj = v
            .as_object_mut()
            .ok_or_else(|| Error::invalid("project settings must be a JSON object"))?;
        let me = serde_json::to_value(self)
            .map_err(|e| Error::internal(format!("exec settings: {e}")))?;
        obj.insert("exec".into(), me);
        Ok(v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;

    #[test]
    fn limits_and_templates_are_checked_by_key() {
        let e = Settings::from_toml("[sandbox]\nmem_mb = 1\n").unwrap_err();
        assert!(e.message.starts_with("sandbox.mem_mb:"), "{}", e.message);
        let e = Settings::from_toml("[run]\npython = \"python3 {fiel}\"\n").unwrap_err();
        assert!(
            e.message.starts_with("run.python:") && e.message.contains("{fiel}"),
            "{}",
            e.message
        );
        let ok =
            Settings::from_toml("[run]\npython = \"pypy3 {file}\"\n[sandbox]\nallow_net = true\n")
                .unwrap();
        assert_eq!(ok.settings.run.command_for("python"), Some("pypy3 {file}"));
        assert_eq!(ok.settings.run.command_for("go"), None);
        assert!(ok.settings.sandbox.allow_net && ok.settings.sandbox.enabled);
        let e = Settings::from_toml("[terminal]\nshell = \" zsh\"\n").unwrap_err();
        assert!(e.message.starts_with("terminal.shell"), "{}", e.message);
    }

    #[test]
    fn project_part_round_trips_and_keeps_other_keys() {
        let mut p = ProjectExec {
            allow_net: true,
            ..ProjectExec::default()
        };
        p.commands
            .insert("python".into(), "python3 -X dev {file}".into());
        p.configurations.push(RunConfiguration {
            name: "tests".into(),
            command: "make test".into(),
            ..RunConfiguration::default()
        });
        p.validate().unwrap();
        let json = p.into_project_json(r#"{"theme":"x"}"#).unwrap();
        assert!(json.contains("\"theme\":\"x\""), "{json}");
        assert_eq!(ProjectExec::from_project_json(&json).unwrap(), p);
        assert_eq!(
            ProjectExec::from_project_json("{}").unwrap(),
            ProjectExec::default()
        );
    }

    #[test]
    fn bad_configurations_are_refused() {
        let mut p = ProjectExec::default();
        let c = RunConfiguration {
            name: "a".into(),
            command: "true".into(),
            ..RunConfiguration::default()
        };
        p.configurations = vec![c.clone(), c.clone()];
        assert!(p.validate().unwrap_err().message.contains("twice"));
        p.configurations = vec![RunConfiguration {
            cwd: "../up".into(),
            ..c.clone()
        }];
        assert!(p.validate().unwrap_err().message.contains("cwd"));
        p.configurations = vec![RunConfiguration {
            command: " ".into(),
            ..c
        }];
        assert!(p.validate().is_err());
    }
}
