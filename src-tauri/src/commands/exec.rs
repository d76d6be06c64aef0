//! Terminal and run commands. A terminal's output goes to the page as raw bytes through its
//! own channel (an `ArrayBuffer` in JavaScript, decoded by xterm.js as a UTF-8 stream, so
//! a character split between two batches is never garbled and non-UTF-8 output passes);
//! its exit comes on a second channel. A run's output and outcome come on one channel, in
//! batches.

use aura_app::exec::{
    PtyExit, PtyInfo, PtyOpen, PtySink, RunEvent, RunInfo, RunRequest, SandboxProbe, batched,
};
use aura_core::Result;
use aura_core::settings::ProjectExec;
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;
use tauri::ipc::{Channel, InvokeResponseBody, IpcResponse};

use crate::state::AppState;

/// Raw terminal output. It arrives in JavaScript as an `ArrayBuffer` (typed `unknown`
/// here because the generator has no name for it).
pub struct PtyBytes(Vec<u8>);

impl IpcResponse for PtyBytes {
    fn body(self) -> tauri::Result<InvokeResponseBody> {
        Ok(InvokeResponseBody::Raw(self.0))
    }
}

impl specta::Type for PtyBytes {
    fn inline(
        _: &mut specta::TypeCollection,
        _: specta::Generics<'_>,
    ) -> specta::datatype::DataType {
        specta::datatype::DataType::Unknown
    }
}

/// Terminal events other than output.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PtyEvent {
    Exit { exit: PtyExit },
}

struct ChannelSink {
    output: Channel<PtyBytes>,
    events: Channel<PtyEvent>,
}

impl PtySink for ChannelSink {
    fn output(&mut self, bytes: Vec<u8>) {
        if let Err(e) = self.output.send(PtyBytes(bytes)) {
            tracing::debug!(error = %e, "terminal output not delivered");
        }
    }
    fn exit(&mut self, exit: PtyExit) {
        if let Err(e) = self.events.send(PtyEvent::Exit { exit }) {
            tracing::debug!(error = %e, "terminal exit not delivered");
        }
    }
    /// The page reports what xterm.js has parsed with `pty_ack`, so a flood waits for it.
    fn acknowledges(&self) -> bool {
        true
    }
}

/// Opens a terminal in the project folder; output arrives on `output`, the exit on `events`.
#[tauri::command(async)]
#[specta::specta]
pub fn pty_open(
    state: State<'_, AppState>,
    project_id: String,
    options: PtyOpen,
    output: Channel<PtyBytes>,
    events: Channel<PtyEvent>,
) -> Result<PtyInfo> {
    state.pty_open(&project_id, &options, ChannelSink { output, events })
}

/// Keys or pasted text typed into the terminal.
#[tauri::command(async)]
#[specta::specta]
pub fn pty_write(state: State<'_, AppState>, id: String, data: String) -> Result<()> {
    state.pty_write(&id, data.as_bytes())
}

/// xterm.js has parsed `bytes` more of the terminal's output: a flood paused at the high
/// watermark resumes once the page is close to caught up.
#[tauri::command(async)]
#[specta::specta]
pub fn pty_ack(state: State<'_, AppState>, id: String, bytes: u32) -> Result<()> {
    state.pty_ack(&id, bytes)
}

#[tauri::command(async)]
#[specta::specta]
pub fn pty_resize(state: State<'_, AppState>, id: String, cols: u16, rows: u16) -> Result<()> {
    state.pty_resize(&id, cols, rows)
}

#[tauri::command(async)]
#[specta::specta]
pub fn pty_rename(state: State<'_, AppState>, id: String, title: String) -> Result<PtyInfo> {
    state.pty_rename(&id, &title)
}

/// Hangs up and ends everything the terminal started.
#[tauri::command(async)]
#[specta::specta]
pub fn pty_close(state: State<'_, AppState>, id: String) -> Result<()> {
    state.pty_close(&id)
}

/// SIGKILL to everything in the terminal; the tab stays and shows the exit.
#[tauri::command(async)]
#[specta::specta]
pub fn pty_kill(state: State<'_, AppState>, id: String) -> Result<()> {
    state.pty_kill(&id)
}

#[tauri::command(async)]
#[specta::specta]
pub fn pty_list(state: State<'_, AppState>, project_id: String) -> Result<Vec<PtyInfo>> {
    state.pty_list(&project_id)
}

/// Starts a run; output (batched) and then the outcome arrive on `channel`.
#[tauri::command(async)]
#[specta::specta]
pub fn run_start(
    state: State<'_, AppState>,
    project_id: String,
    request: RunRequest,
    channel: Channel<RunEvent>,
) -> Result<RunInfo> {
    state.run_start(
        &project_id,
        &request,
        batched(move |ev| {
            if let Err(e) = channel.send(ev) {
                tracing::debug!(error = %e, "run output not delivered");
            }
        }),
    )
}

/// Stops a run and everything it started.
#[tauri::command(async)]
#[specta::specta]
pub fn run_stop(state: State<'_, AppState>, run_id: String) -> Result<()> {
    state.run_stop(&run_id)
}

/// Which sandbox layers this machine enforces (for the status bar).
#[tauri::command(async)]
#[specta::specta]
pub fn sandbox_probe(state: State<'_, AppState>) -> SandboxProbe {
    state.sandbox_probe()
}

/// The project's network switch, commands per language and run configurations.
#[tauri::command(async)]
#[specta::specta]
pub fn exec_settings_get(state: State<'_, AppState>, project_id: String) -> Result<ProjectExec> {
    state.exec_project_settings(&project_id)
}

#[tauri::command(async)]
#[specta::specta]
pub fn exec_settings_set(
    state: State<'_, AppState>,
    project_id: String,
    settings: ProjectExec,
) -> Result<ProjectExec> {
    state.exec_project_settings_set(&project_id, &settings)
}
