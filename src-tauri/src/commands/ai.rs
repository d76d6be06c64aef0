//! AI commands: chat and edit previews stream their progress through a per-request
//! channel (text deltas batched), every request can be cancelled by its id, and keys go
//! in but never come out (the UI sees "set" / "not set").

use std::time::{Duration, Instant};

use aura_app::{
    ChatEvent, ChatInput, ChatMessageView, ChatResult, ChatSummary, Completion, CompletionInput,
    EditApplied, EditInput, EditProposal, HealthReport, ProvidersView, UsageView,
};
use aura_core::Result;
use tauri::State;
use tauri::ipc::Channel;

use crate::state::AppState;

/// Deltas closer together than this go to the page as one message.
const BATCH: Duration = Duration::from_millis(16);

/// Joins text deltas that arrive within [`BATCH`]; anything else flushes them first.
struct Batcher<'a> {
    channel: &'a Channel<ChatEvent>,
    text: String,
    since: Instant,
}

impl<'a> Batcher<'a> {
    fn new(channel: &'a Channel<ChatEvent>) -> Self {
        Self {
            channel,
            text: String::new(),
            since: Instant::now(),
        }
    }

    fn send(&self, ev: ChatEvent) {
        if let Err(e) = self.channel.send(ev) {
            tracing::debug!(error = %e, "AI progress not delivered");
        }
    }

    fn flush(&mut self) {
        if !self.text.is_empty() {
            let text = std::mem::take(&mut self.text);
            self.send(ChatEvent::Delta { text });
        }
        self.since = Instant::now();
    }

    fn push(&mut self, ev: ChatEvent) {
        match ev {
            ChatEvent::Delta { text } => {
                self.text.push_str(&text);
                if self.since.elapsed() >= BATCH {
                    self.flush();
                }
            }
            other => {
                self.flush();
                self.send(other);
            }
        }
    }
}

/// Asks the chat model; the answer streams on `channel`, the result comes back whole.
#[tauri::command(async)]
#[specta::specta]
pub fn ai_chat(
    state: State<'_, AppState>,
    project_id: String,
    input: ChatInput,
    request_id: String,
    channel: Channel<ChatEvent>,
) -> Result<ChatResult> {
    let mut batch = Batcher::new(&channel);
    let r = state.ai_chat(&project_id, &input, &request_id, &mut |ev| batch.push(ev));
    batch.flush();
    r
}

/// Stops a chat, completion or edit by its request id (its HTTP request is closed).
#[tauri::command(async)]
#[specta::specta]
pub fn ai_cancel(state: State<'_, AppState>, request_id: String) -> Result<bool> {
    state.ai_cancel(&request_id)
}

#[tauri::command(async)]
#[specta::specta]
pub fn ai_chat_list(state: State<'_, AppState>, project_id: String) -> Result<Vec<ChatSummary>> {
    state.ai_chat_list(&project_id)
}

#[tauri::command(async)]
#[specta::specta]
pub fn ai_chat_messages(
    state: State<'_, AppState>,
    project_id: String,
    chat_id: String,
) -> Result<Vec<ChatMessageView>> {
    state.ai_chat_messages(&project_id, &chat_id)
}

#[tauri::command(async)]
#[specta::specta]
pub fn ai_chat_delete(
    state: State<'_, AppState>,
    project_id: String,
    chat_id: String,
) -> Result<()> {
    state.ai_chat_delete(&project_id, &chat_id)
}

/// Inline completion (ghost text) at the cursor.
#[tauri::command(async)]
#[specta::specta]
pub fn ai_complete(
    state: State<'_, AppState>,
    project_id: String,
    input: CompletionInput,
    request_id: String,
) -> Result<Completion> {
    state.ai_complete(&project_id, &input, &request_id)
}

/// Runs an AI edit action; returns the hunks to review (nothing is written).
#[tauri::command(async)]
#[specta::specta]
pub fn ai_edit_preview(
    state: State<'_, AppState>,
    project_id: String,
    input: EditInput,
    request_id: String,
    channel: Channel<ChatEvent>,
) -> Result<EditProposal> {
    let mut batch = Batcher::new(&channel);
    let r = state.ai_edit_preview(&project_id, &input, &request_id, &mut |ev| batch.push(ev));
    batch.flush();
    r
}

/// A preview from code the user already has (a chat code block) replacing the given
/// lines (or the whole file); reviewed and applied like any AI edit.
#[tauri::command(async)]
#[specta::specta]
pub fn ai_edit_from_text(
    state: State<'_, AppState>,
    project_id: String,
    path: String,
    code: String,
    start_line: Option<u32>,
    end_line: Option<u32>,
) -> Result<EditProposal> {
    state.ai_edit_from_text(&project_id, &path, &code, start_line, end_line)
}

/// Writes the accepted hunks of a preview (atomic, with the conflict check).
#[tauri::command(async)]
#[specta::specta]
pub fn ai_edit_apply(
    state: State<'_, AppState>,
    project_id: String,
    edit_id: String,
    accepted: Vec<u32>,
) -> Result<EditApplied> {
    state.ai_edit_apply(&project_id, &edit_id, &accepted)
}

#[tauri::command(async)]
#[specta::specta]
pub fn ai_edit_discard(state: State<'_, AppState>, edit_id: String) -> Result<()> {
    state.ai_edit_discard(&edit_id)
}

#[tauri::command(async)]
#[specta::specta]
pub fn ai_providers(state: State<'_, AppState>) -> Result<ProvidersView> {
    state.ai_providers()
}

#[tauri::command(async)]
#[specta::specta]
pub fn ai_health(state: State<'_, AppState>) -> Result<Vec<HealthReport>> {
    state.ai_health()
}

/// Stores a provider's key in the OS keyring; it never crosses back.
#[tauri::command(async)]
#[specta::specta]
pub fn ai_key_set(state: State<'_, AppState>, provider: String, key: String) -> Result<()> {
    state.ai_key_set(&provider, &key)
}

#[tauri::command(async)]
#[specta::specta]
pub fn ai_key_delete(state: State<'_, AppState>, provider: String) -> Result<()> {
    state.ai_key_delete(&provider)
}

#[tauri::command(async)]
#[specta::specta]
pub fn ai_usage(
    state: State<'_, AppState>,
    days: u32,
    project_id: Option<String>,
) -> Result<UsageView> {
    state.ai_usage(days, project_id.as_deref())
}

#[tauri::command(async)]
#[specta::specta]
pub fn ai_cache_clear(state: State<'_, AppState>) -> Result<u32> {
    state.ai_cache_clear()
}
