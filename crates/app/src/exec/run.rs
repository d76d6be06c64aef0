//! Runs: a file by its language, a selection, or a named configuration; in the sandbox by
//! default. Output arrives as text per stream (decoded as a stream, so a character split
//! between two reads is not garbled), then the outcome.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use aura_core::language::language_of;
use aura_core::settings::RunConfiguration;
use aura_core::{Error, ErrorCode, ProjectId, RelPath, Result};
use aura_exec::lang::{LangCommand, Placeholders, default_command, plan};
use aura_exec::run::{Outcome, RunCommand, Stopper, Stream};
use aura_exec::sandbox::{Policy, SandboxMode, WrapRequest};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{env_path, home, new_id, not_found, os, parse_project};
use crate::{App, lock};

/// What to run.
#[derive(Debug, Clone, Deserialize, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RunTarget {
    /// A project file, by its language.
    File { path: String },
    /// Text from the editor, run as a file of `language` (Monaco's id).
    Selection { language: String, text: String },
    /// A named run configuration of the project.
    Configuration { name: String },
}

#[derive(Debug, Clone, Deserialize, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RunRequest {
    pub target: RunTarget,
    /// `require` (default), `allowPartial` (the user agreed) or `off`.
    pub mode: SandboxMode,
    /// Overrides the project's network switch for this run.
    pub allow_net: Option<bool>,
    pub timeout_secs: Option<u32>,
    pub mem_mb: Option<u32>,
    /// Given to the program's stdin.
    pub stdin: Option<String>,
}

impl RunRequest {
    pub fn file(path: impl Into<String>) -> Self {
        Self {
            target: RunTarget::File { path: path.into() },
            mode: SandboxMode::Require,
            allow_net: None,
            timeout_secs: None,
            mem_mb: None,
            stdin: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RunEvent {
    Output {
        stream: Stream,
        text: String,
    },
    /// The last event of a run.
    Exit {
        outcome: Outcome,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RunInfo {
    pub id: String,
    /// The command line as the user would type it (before the sandbox wraps it).
    pub command: String,
    /// Project-relative folder it runs in.
    pub cwd: String,
    /// "Sandbox: Landlock 7 + seccomp + bwrap", "Partial: ...", or "Not sandboxed".
    pub sandbox: String,
}

pub(super) struct Entry {
    pub stopper: Stopper,
}

const MAX_SELECTION: usize = 1024 * 1024;

impl App {
    /// Starts a run; `on_event` gets its output and, last, its outcome.
    pub fn run_start(
        &self,
        project: &str,
        req: &RunRequest,
        on_event: impl FnMut(RunEvent) + Send + 'static,
    ) -> Result<RunInfo> {
        let pid = parse_project(project)?;
        let root = self.project_path(project)?;
        let exec = self.exec_project_settings(project)?;
        let id = new_id();
        let tmp = self.exec_temp_dir(&format!("run-{id}"))?;
        let prepared = self.prepare(&pid, &root, &exec, &req.target, &tmp);
        let prepared = match prepared {
            Ok(p) => p,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(e);
            }
        };
        let mut policy = Policy::for_project(
            &root,
            prepared.read_only.clone(),
            req.allow_net.unwrap_or(self.allow_net(project)?),
        );
        policy.limits = self.limits();
        if let Some(t) = req.timeout_secs {
            policy.limits.wall_secs = t.clamp(1, 86_400);
        }
        if let Some(m) = req.mem_mb {
            policy.limits.mem_mb = m.clamp(64, 1_048_576);
        }
        let mode = if prepared.sandbox && self.settings().sandbox.enabled {
            req.mode
        } else {
            SandboxMode::Off
        };
        let layers = self.exec.sandbox.layers_for(mode)?;
        let (argv, sandbox, signal_codes) = match layers {
            Some(layers) => {
                let (program, args) = prepared
                    .argv
                    .split_first()
                    .ok_or_else(|| Error::internal("empty command"))?;
                let w = self.exec.sandbox.wrap(&WrapRequest {
                    program: Path::new(program),
                    args,
                    policy: &policy,
                    layers,
                    temp_dir: &tmp,
                    pty: false,
                })?;
                (
                    w.argv,
                    self.exec.sandbox.probe().summary.clone(),
                    w.layers.bwrap,
                )
            }
            None => {
                std::fs::create_dir_all(&tmp).map_err(|e| Error::from_io(&e, tmp.display()))?;
                (prepared.argv.clone(), "Not sandboxed".to_owned(), false)
            }
        };
        let mut env = prepared.env.clone();
        env.push((os("PYTHONUNBUFFERED"), os("1")));
        for var in ["TMPDIR", "TMP", "TEMP"] {
            env.push((os(var), tmp.clone().into_os_string()));
        }
        let (mut out, mut err) = (Utf8Stream::default(), Utf8Stream::default());
        let sink = std::sync::Arc::new(std::sync::Mutex::new(on_event));
        let for_output = std::sync::Arc::clone(&sink);
        let running = aura_exec::run::start(
            RunCommand {
                argv,
                cwd: prepared.cwd.clone(),
                env,
                stdin: req.stdin.as_ref().map(|s| s.as_bytes().to_vec()),
                wall_limit: Some(Duration::from_secs(u64::from(policy.limits.wall_secs))),
                signal_exit_codes: signal_codes,
            },
            move |stream, bytes| {
                let text = match stream {
                    Stream::Stdout => out.push(bytes),
                    Stream::Stderr => err.push(bytes),
                };
                if !text.is_empty() {
                    (lock(&for_output))(RunEvent::Output { stream, text });
                }
            },
        )
        .map_err(|e| Error::from_io(&e, &prepared.command));
        let running = match running {
            Ok(r) => r,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(e);
            }
        };
        lock(&self.exec.runs).insert(
            id.clone(),
            super::run::Entry {
                stopper: running.stopper(),
            },
        );
        let info = RunInfo {
            id: id.clone(),
            command: prepared.command.clone(),
            cwd: prepared
                .cwd
                .strip_prefix(&root)
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            sandbox,
        };
        tracing::info!(run = %id, command = %info.command, sandbox = %info.sandbox, "run started");
        let runs = std::sync::Arc::clone(&self.exec_runs_handle());
        std::thread::spawn(move || {
            let outcome = running.wait();
            lock(&runs).remove(&id);
            let _ = std::fs::remove_dir_all(&tmp);
            let outcome = outcome.unwrap_or(Outcome {
                exit_code: None,
                signal: None,
                wall_ms: 0.0,
                peak_rss_kb: 0.0,
                timed_out: false,
                stopped: false,
            });
            tracing::info!(run = %id, code = ?outcome.exit_code, ms = outcome.wall_ms, "run ended");
            (lock(&sink))(RunEvent::Exit { outcome });
        });
        Ok(info)
    }

    /// Stops a run: the whole tree gets SIGTERM, then SIGKILL half a second later.
    pub fn run_stop(&self, id: &str) -> Result<()> {
        let runs = lock(&self.exec.runs);
        let e = runs.get(id).ok_or_else(|| not_found("run", id))?;
        e.stopper.stop();
        Ok(())
    }

    /// Runs still going (their ids).
    pub fn run_list(&self) -> Vec<String> {
        lock(&self.exec.runs).keys().cloned().collect()
    }

    fn exec_runs_handle(
        &self,
    ) -> std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Entry>>> {
        std::sync::Arc::clone(&self.exec.runs)
    }

    /// Works out the command line, folder and toolchains of a run.
    fn prepare(
        &self,
        _project: &ProjectId,
        root: &Path,
        exec: &aura_core::settings::ProjectExec,
        target: &RunTarget,
        tmp: &Path,
    ) -> Result<Prepared> {
        let path = std::env::var_os("PATH");
        let (cmd, file, cwd, sandbox) = match target {
            RunTarget::File { path: rel } => {
                let file = root.join(RelPath::new(rel)?.as_str());
                if !file.is_file() {
                    return Err(Error::not_found(format!("{rel} is not a file")));
                }
                let lang = language_of(rel);
                (
                    self.command_for(exec, lang, &file, root)?,
                    Some(file),
                    root.to_path_buf(),
                    true,
                )
            }
            RunTarget::Selection { language, text } => {
                if text.trim().is_empty() {
                    return Err(Error::invalid("the selection is empty"));
                }
                if text.len() > MAX_SELECTION {
                    return Err(Error::new(
                        ErrorCode::TooLarge,
                        "a selection to run is at most 1 MiB",
                    ));
                }
                std::fs::create_dir_all(tmp).map_err(|e| Error::from_io(&e, tmp.display()))?;
                let file = tmp.join(format!("selection.{}", extension(language)));
                std::fs::write(&file, text).map_err(|e| Error::from_io(&e, file.display()))?;
                (
                    self.command_for(exec, language, &file, root)?,
                    Some(file),
                    root.to_path_buf(),
                    true,
                )
            }
            RunTarget::Configuration { name } => {
                let c: &RunConfiguration = exec
                    .configurations
                    .iter()
                    .find(|c| c.name == *name)
                    .ok_or_else(|| not_found("run configuration", name))?;
                let cwd = if c.cwd.is_empty() {
                    root.to_path_buf()
                } else {
                    root.join(RelPath::new(&c.cwd)?.as_str())
                };
                (LangCommand::new(c.command.clone()), None, cwd, c.sandbox)
            }
        };
        let p = plan(
            &cmd,
            &Placeholders {
                file: file.as_deref(),
                project: root,
                tmp,
            },
            path.as_deref(),
            home().as_deref(),
            &env_path,
        )
        .map_err(Error::invalid)?;
        Ok(Prepared {
            command: p
                .argv
                .get(2)
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            argv: p.argv,
            read_only: p.read_only,
            env: p.env,
            cwd,
            sandbox,
        })
    }

    /// The project's command for the language, else the user's, else Aura's.
    fn command_for(
        &self,
        exec: &aura_core::settings::ProjectExec,
        lang: &str,
        file: &Path,
        root: &Path,
    ) -> Result<LangCommand> {
        if let Some(c) = exec.commands.get(lang) {
            return Ok(LangCommand::new(c.clone()));
        }
        if let Some(c) = self.settings().run.command_for(lang) {
            return Ok(LangCommand::new(c));
        }
        default_command(lang, file, root, std::env::var_os("PATH").as_deref())
            .map_err(|m| Error::new(ErrorCode::NotFound, m))
    }
}

struct Prepared {
    command: String,
    argv: Vec<OsString>,
    read_only: Vec<PathBuf>,
    env: Vec<(OsString, OsString)>,
    cwd: PathBuf,
    sandbox: bool,
}

/// The file extension for a language's selection file.
fn extension(language: &str) -> &'static str {
    match language {
        "python" => "py",
        "javascript" => "js",
        "typescript" => "ts",
        "shell" => "sh",
        "ruby" => "rb",
        "go" => "go",
        "rust" => "rs",
        "c" => "c",
        "cpp" => "cpp",
        "php" => "php",
        "lua" => "lua",
        "java" => "java",
        _ => "txt",
    }
}

/// UTF-8 decoding across reads: an incomplete character at the end waits for the next read.
#[derive(Default)]
struct Utf8Stream {
    pending: Vec<u8>,
}

impl Utf8Stream {
    fn push(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        let keep = match std::str::from_utf8(&self.pending) {
            Ok(_) => 0,
            Err(e) if e.error_len().is_none() => self.pending.len() - e.valid_up_to(),
            Err(_) => 0,
        };
        let cut = self.pending.len() - keep;
        let text = String::from_utf8_lossy(&self.pending[..cut]).into_owned();
        self.pending.drain(..cut);
        text
    }
}

#[cfg(test)]
mod tests {
    use super::Utf8Stream;

    #[test]
    fn a_split_character_is_not_garbled() {
        let mut s = Utf8Stream::default();
        let bytes = "é€".as_bytes();
        assert_eq!(s.push(&bytes[..1]), "");
        assert_eq!(s.push(&bytes[1..3]), "é");
        assert_eq!(s.push(&bytes[3..]), "€");
        assert_eq!(s.push(b"\xffok"), "\u{fffd}ok");
    }
}
