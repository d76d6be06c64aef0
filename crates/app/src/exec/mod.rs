//! Terminals and runs: the app's side of aura-exec. Terminal sessions and runs are kept per
//! process in [`ExecState`]; every one of them ends with the app ([`App::exec_shutdown`], and
//! `Drop` as a backstop), so closing the window leaves no child behind.

mod batch;
mod pty;
mod run;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use aura_core::settings::ProjectExec;
use aura_core::{Error, ErrorCode, ProjectId, Result};
use aura_exec::run::Stopper;
use aura_exec::sandbox::{Limits, Sandbox};
use aura_store::ProjectUpdate;

pub use aura_exec::pty::{PtyExit, PtySink};
pub use aura_exec::run::{Outcome as RunOutcome, Stream as RunStream};
pub use aura_exec::sandbox::{Probe as SandboxProbe, SandboxLevel, SandboxMode};

/// The sandbox helper mode: the first call in `main` of every binary that starts runs (it
/// never returns when the process was started as the helper).
pub fn run_sandbox_helper_if_requested() {
    aura_exec::sandbox::run_helper_if_requested();
}
pub use batch::batched;
pub use pty::{PtyInfo, PtyOpen};
pub use run::{RunEvent, RunInfo, RunRequest, RunTarget};

use crate::{App, lock};

/// Live terminals and runs of this process.
pub(crate) struct ExecState {
    sandbox: Sandbox,
    ptys: Mutex<HashMap<String, pty::Entry>>,
    runs: Arc<Mutex<HashMap<String, run::Entry>>>,
}

impl ExecState {
    pub(crate) fn new() -> Self {
        // The desktop and the CLI run the sandbox helper mode at the top of `main`.
        let helper = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("aura"));
        Self {
            sandbox: Sandbox::new(helper),
            ptys: Mutex::new(HashMap::new()),
            runs: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    fn shutdown(&self) {
        let ptys: Vec<pty::Entry> = lock(&self.ptys).drain().map(|(_, e)| e).collect();
        for e in &ptys {
            e.session.close();
            if let Some(t) = &e.temp {
                let _ = std::fs::remove_dir_all(t);
            }
        }
        let runs: Vec<Stopper> = lock(&self.runs).drain().map(|(_, e)| e.stopper).collect();
        for r in &runs {
            r.stop();
        }
    }
}

impl Drop for ExecState {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl App {
    /// What the OS sandbox enforces on this machine (probed once, by really applying it).
    pub fn sandbox_probe(&self) -> SandboxProbe {
        self.exec.sandbox.probe().clone()
    }

    /// The project's own exec settings: network, commands per language, configurations.
    pub fn exec_project_settings(&self, project: &str) -> Result<ProjectExec> {
        ProjectExec::from_project_json(&self.project_get(project)?.settings)
    }

    /// Validates and saves the project's exec settings (its other settings are kept).
    pub fn exec_project_settings_set(
        &self,
        project: &str,
        exec: &ProjectExec,
    ) -> Result<ProjectExec> {
        exec.validate()?;
        let json = exec.into_project_json(&self.project_get(project)?.settings)?;
        self.project_update(
            project,
            ProjectUpdate {
                settings_json: Some(json),
                ..ProjectUpdate::default()
            },
        )?;
        self.exec_project_settings(project)
    }

    /// Ends every terminal and run (the window is closing).
    pub fn exec_shutdown(&self) {
        self.exec.shutdown();
    }

    /// The sandbox limits from settings.
    fn limits(&self) -> Limits {
        let s = self.settings().sandbox;
        Limits {
            cpu_secs: s.cpu_secs,
            wall_secs: s.wall_secs,
            mem_mb: s.mem_mb,
            file_mb: s.file_mb,
            procs: s.procs,
        }
    }

    fn project_path(&self, project: &str) -> Result<PathBuf> {
        Ok(self.root(project)?.path().to_path_buf())
    }

    /// A fresh private temp dir for one run or terminal, under the cache dir.
    fn exec_temp_dir(&self, id: &str) -> Result<PathBuf> {
        let parent = self.dirs.cache.join("exec");
        std::fs::create_dir_all(&parent).map_err(|e| Error::from_io(&e, parent.display()))?;
        Ok(parent.join(id))
    }
}

fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn parse_project(project: &str) -> Result<ProjectId> {
    ProjectId::parse(project)
}

fn not_found(what: &str, id: &str) -> Error {
    Error::new(
        ErrorCode::NotFound,
        format!("no {what} {id:?} (it may have ended)"),
    )
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name).map(PathBuf::from)
}

fn os(s: &str) -> OsString {
    OsString::from(s)
}
