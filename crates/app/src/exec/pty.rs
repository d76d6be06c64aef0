//! Terminal sessions per project: the user's shell in the project folder, optionally in the
//! sandbox. Output goes straight from aura-exec's batching reader to the caller's sink.

use std::ffi::OsString;
use std::path::PathBuf;

use aura_core::{Error, ProjectId, Result};
use aura_exec::pty::{PtyCommand, PtySession, PtySink};
use aura_exec::sandbox::{Policy, SandboxMode, WrapRequest, resolve_program, toolchain_dirs};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{env_path, home, new_id, not_found, os, parse_project};
use crate::{App, lock};

/// How to open a terminal.
#[derive(Debug, Clone, Deserialize, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PtyOpen {
    pub cols: u16,
    pub rows: u16,
    /// Start the shell inside the sandbox.
    pub sandboxed: bool,
    /// The user agreed to a partial sandbox when a layer is missing here.
    pub allow_partial: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PtyInfo {
    pub id: String,
    pub project_id: String,
    pub title: String,
    pub shell: String,
    /// The sandbox summary when the terminal runs inside it.
    pub sandbox: Option<String>,
}

pub(super) struct Entry {
    pub session: PtySession,
    pub project: ProjectId,
    pub info: PtyInfo,
    pub temp: Option<PathBuf>,
}

/// Most a single write may carry (a big paste is split by the caller).
const MAX_WRITE: usize = 1024 * 1024;

impl App {
    /// Opens a terminal in the project folder running the user's shell.
    pub fn pty_open(&self, project: &str, opts: &PtyOpen, sink: impl PtySink) -> Result<PtyInfo> {
        check_size(opts.cols, opts.rows)?;
        let pid = parse_project(project)?;
        let cwd = self.project_path(project)?;
        let shell = self.shell()?;
        let id = new_id();
        let mut argv: Vec<OsString> = vec![shell.clone().into_os_string()];
        let mut sandbox = None;
        let mut temp = None;
        if opts.sandboxed {
            let mode = if opts.allow_partial {
                SandboxMode::AllowPartial
            } else {
                SandboxMode::Require
            };
            let layers = self
                .exec
                .sandbox
                .layers_for(mode)?
                .ok_or_else(|| Error::internal("no layers"))?;
            let mut policy = Policy::for_project(
                &cwd,
                toolchain_dirs(&shell, home().as_deref(), &env_path),
                self.allow_net(project)?,
            );
            policy.limits = self.limits();
            // An interactive shell runs long builds: no wall limit, a day of CPU per process.
            policy.limits.wall_secs = 0;
            policy.limits.cpu_secs = 86_400;
            let dir = self.exec_temp_dir(&format!("pty-{id}"))?;
            let wrapped = self.exec.sandbox.wrap(&WrapRequest {
                program: &shell,
                args: &aura_exec::pty::without_startup_files(&shell),
                policy: &policy,
                layers,
                temp_dir: &dir,
                pty: true,
            })?;
            argv = wrapped.argv;
            sandbox = Some(self.exec.sandbox.probe().summary.clone());
            temp = Some(dir);
        }
        let env = vec![
            (os("TERM"), os("xterm-256color")),
            (os("COLORTERM"), os("truecolor")),
            (os("AURA_TERMINAL"), os("1")),
        ];
        let session = PtySession::spawn(
            PtyCommand {
                argv,
                cwd,
                env,
                cols: opts.cols,
                rows: opts.rows,
            },
            sink,
        )
        .map_err(|e| Error::new(aura_core::ErrorCode::Io, e.to_string()))?;
        let name = shell
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let info = PtyInfo {
            id: id.clone(),
            project_id: pid.to_string(),
            title: name.clone(),
            shell: shell.display().to_string(),
            sandbox,
        };
        tracing::info!(terminal = %id, shell = %info.shell, sandboxed = opts.sandboxed, "terminal opened");
        lock(&self.exec.ptys).insert(
            id,
            Entry {
                session,
                project: pid,
                info: info.clone(),
                temp,
            },
        );
        Ok(info)
    }

    /// Keys, paste or Ctrl+C (0x03) into the terminal.
    pub fn pty_write(&self, id: &str, bytes: &[u8]) -> Result<()> {
        if bytes.len() > MAX_WRITE {
            return Err(Error::new(
                aura_core::ErrorCode::TooLarge,
                "at most 1 MiB per write",
            ));
        }
        self.with_pty(id, |e| {
            e.session
                .write(bytes)
                .map_err(|e| Error::new(aura_core::ErrorCode::Io, e.to_string()))
        })
    }

    /// The page has processed `bytes` more of the terminal's output (flow control).
    pub fn pty_ack(&self, id: &str, bytes: u32) -> Result<()> {
        self.with_pty(id, |e| {
            e.session.ack(bytes as usize);
            Ok(())
        })
    }

    pub fn pty_resize(&self, id: &str, cols: u16, rows: u16) -> Result<()> {
        check_size(cols, rows)?;
        self.with_pty(id, |e| {
            e.session
                .resize(cols, rows)
                .map_err(|e| Error::new(aura_core::ErrorCode::Io, e.to_string()))
        })
    }

    pub fn pty_rename(&self, id: &str, title: &str) -> Result<PtyInfo> {
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 60 {
            return Err(Error::invalid("a terminal name has 1 to 60 characters"));
        }
        let mut ptys = lock(&self.exec.ptys);
        let e = ptys.get_mut(id).ok_or_else(|| not_found("terminal", id))?;
        e.info.title = title.to_owned();
        Ok(e.info.clone())
    }

    /// SIGKILL to everything in the terminal; the tab stays to show the exit.
    pub fn pty_kill(&self, id: &str) -> Result<()> {
        self.with_pty(id, |e| {
            e.session.kill();
            Ok(())
        })
    }

    /// Hangs up, ends whatever is left of the terminal's session, and forgets it.
    pub fn pty_close(&self, id: &str) -> Result<()> {
        let e = lock(&self.exec.ptys)
            .remove(id)
            .ok_or_else(|| not_found("terminal", id))?;
        e.session.close();
        if let Some(t) = e.temp {
            let _ = std::fs::remove_dir_all(t);
        }
        Ok(())
    }

    /// The project's open terminals.
    pub fn pty_list(&self, project: &str) -> Result<Vec<PtyInfo>> {
        let pid = parse_project(project)?;
        let mut v: Vec<PtyInfo> = lock(&self.exec.ptys)
            .values()
            .filter(|e| e.project == pid)
            .map(|e| e.info.clone())
            .collect();
        v.sort_by(|a, b| a.title.cmp(&b.title));
        Ok(v)
    }

    /// The exit of a terminal whose program has ended (None while it runs).
    pub fn pty_exit(&self, id: &str) -> Result<Option<super::PtyExit>> {
        self.with_pty(id, |e| Ok(e.session.exit_status()))
    }

    fn with_pty<T>(&self, id: &str, f: impl FnOnce(&Entry) -> Result<T>) -> Result<T> {
        let ptys = lock(&self.exec.ptys);
        let e = ptys.get(id).ok_or_else(|| not_found("terminal", id))?;
        f(e)
    }

    /// The shell: settings, then $SHELL, then /bin/bash, then /bin/sh.
    fn shell(&self) -> Result<PathBuf> {
        let path = std::env::var_os("PATH");
        let configured = self.settings().terminal.shell;
        if !configured.is_empty() {
            return resolve_program(&configured, path.as_deref()).ok_or_else(|| {
                Error::not_found(format!(
                    "terminal.shell {configured:?} is not an executable program"
                ))
            });
        }
        let from_env = std::env::var("SHELL").ok().filter(|s| !s.is_empty());
        from_env
            .iter()
            .map(String::as_str)
            .chain(["/bin/bash", "/bin/sh"])
            .find_map(|s| resolve_program(s, path.as_deref()))
            .ok_or_else(|| Error::not_found("no shell found ($SHELL, /bin/bash, /bin/sh)"))
    }

    pub(super) fn allow_net(&self, project: &str) -> Result<bool> {
        Ok(self.settings().sandbox.allow_net || self.exec_project_settings(project)?.allow_net)
    }
}

fn check_size(cols: u16, rows: u16) -> Result<()> {
    if !(2..=1000).contains(&cols) || !(1..=1000).contains(&rows) {
        return Err(Error::invalid(format!(
            "terminal size {cols}x{rows} is out of range"
        )));
    }
    Ok(())
}
