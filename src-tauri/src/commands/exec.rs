//! Terminal and run commands. A terminal's output goes to the page as raw bytes on its own
//! loopback WebSocket (see `stream.rs` for why not a channel), decoded by xterm.js as a
//! UTF-8 stream, so a character split between two batches is never garbled and non-UTF-8
//! output passes; its exit follows on the same stream. A run's output and outcome come on
//! one channel, in batches.

use std::sync::{Arc, OnceLock};

use aura_app::exec::{
    PtyExit, PtyInfo, PtyOpen, PtySink, RunEvent, RunInfo, RunRequest, SandboxProbe, batched,
};
use aura_core::settings::ProjectExec;
use aura_core::{Error, Result};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;
use tauri::ipc::Channel;

use crate::state::AppState;
use crate::stream::{Frame, Inbound, StreamSender, Streams};

/// Terminal events other than output. They come as JSON text on the output stream, in
/// order with the bytes, so the exit line never overtakes the program's last output.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PtyEvent {
    Exit { exit: PtyExit },
}

/// An opened terminal and where its output streams.
#[derive(Debug, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PtyOpened {
    pub info: PtyInfo,
    /// The one-time `ws://127.0.0.1` URL of the output: binary messages are raw bytes
    /// (decoded by xterm.js as a UTF-8 stream), text messages are `PtyEvent` JSON.
    pub output: String,
}

struct StreamSink {
    out: Option<StreamSender>,
}

impl PtySink for StreamSink {
    fn output(&mut self, bytes: Vec<u8>) {
        if let Some(out) = &self.out
            && !out.send(Frame::Bytes(bytes))
        {
            tracing::debug!("terminal output not delivered: the page closed the stream");
        }
    }
    fn exit(&mut self, exit: PtyExit) {
        // Dropping the sender after the event ends the stream.
        let Some(out) = self.out.take() else { return };
        match serde_json::to_string(&PtyEvent::Exit { exit }) {
            Ok(json) => {
                out.send(Frame::Text(json));
            }
            Err(e) => tracing::warn!(error = %e, "terminal exit not encoded"),
        }
    }
    /// The page reports what xterm.js has parsed (on the socket, or with `pty_ack`), so a
    /// flood waits for it.
    fn acknowledges(&self) -> bool {
        true
    }
}

/// Opens a terminal in the project folder; its output and exit stream to `output`.
#[tauri::command(async)]
#[specta::specta]
pub fn pty_open(
    state: State<'_, AppState>,
    streams: State<'_, Streams>,
    project_id: String,
    options: PtyOpen,
) -> Result<PtyOpened> {
    let session = Arc::new(OnceLock::new());
    let acks = acks_from_page(Arc::clone(&state.app), Arc::clone(&session));
    let (output, sender) = streams
        .open_with(Some(acks))
        .map_err(|e| Error::from_io(&e, "terminal output stream"))?;
    let info = state
        .pty_open(&project_id, &options, StreamSink { out: Some(sender) })
        .inspect_err(|_| streams.cancel(&output))?;
    session.get_or_init(|| info.id.clone());
    Ok(PtyOpened { info, output })
}

/// The page acknowledges parsed output on the output socket itself: a text message holding
/// the byte count in decimal (what `pty_ack` takes, without a round trip per ack). The
/// session id is set once the terminal is open, before the page can connect.
fn acks_from_page(app: Arc<aura_app::App>, session: Arc<OnceLock<String>>) -> Inbound {
    Box::new(move |text| {
        let (Some(id), Ok(bytes)) = (session.get(), text.trim().parse::<u32>()) else {
            tracing::debug!(message = text, "terminal socket: not an ack, ignored");
            return;
        };
        if let Err(e) = app.pty_ack(id, bytes) {
            tracing::debug!(error = %e, "terminal socket: ack for a closed terminal");
        }
    })
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
