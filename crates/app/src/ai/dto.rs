//! What the AI operations take and return across IPC.

use aura_ai::{Answer, Citation, EditAction, Hunk, ProviderInfo};
use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProvidersView {
    pub enabled: bool,
    /// Where keys are kept ("OS keyring", "memory").
    pub key_store: String,
    pub use_env_keys: bool,
    pub providers: Vec<ProviderInfo>,
}

/// Lines of a file the user selected (1-based, inclusive) and its text.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Selection {
    pub path: String,
    pub start_line: u32,
    pub end_line: u32,
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChatContext {
    /// The file in the active editor.
    pub current_file: Option<String>,
    pub selection: Option<Selection>,
    /// @file mentions (project-relative paths).
    pub files: Vec<String>,
    /// @codebase: retrieve chunks from the project's index.
    pub codebase: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChatInput {
    /// Continue this chat; none starts a new one.
    pub chat_id: Option<String>,
    pub message: String,
    pub context: ChatContext,
    /// False asks the provider even when a cached answer exists.
    pub use_cache: bool,
}

/// Streamed to the UI while an answer comes in.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ChatEvent {
    /// The prompt is built: the chat it belongs to and what context went in.
    #[serde(rename_all = "camelCase")]
    Started {
        chat_id: String,
        citations: Vec<Citation>,
        note: Option<String>,
    },
    /// Asking this provider; any text streamed before is void (a fallback or retry).
    Trying {
        provider: String,
        model: String,
    },
    Fallback {
        provider: String,
        model: String,
        reason: String,
    },
    #[serde(rename_all = "camelCase")]
    Retry {
        provider: String,
        wait_ms: u32,
        reason: String,
    },
    Delta {
        text: String,
    },
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChatResult {
    pub chat_id: String,
    pub answer: Answer,
    pub citations: Vec<Citation>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChatSummary {
    pub id: String,
    pub title: String,
    pub created_ms: f64,
    pub updated_ms: f64,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChatMessageView {
    pub role: String,
    pub content: String,
    pub citations: Vec<Citation>,
    /// Provider, model, usage and fallbacks of an answer.
    pub meta: Option<ChatMeta>,
    pub created_ms: f64,
}

/// How an answer came about, kept with it in the history.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChatMeta {
    pub provider: String,
    pub model: String,
    pub tokens_in: u32,
    pub tokens_out: u32,
    pub cost_usd: f64,
    pub cached: bool,
    /// "provider: reason" for each provider that failed first.
    pub fallbacks: Vec<String>,
    /// Stopped by the user; the text is what had arrived.
    pub cancelled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CompletionInput {
    pub path: String,
    pub language: String,
    /// The text before and after the cursor (the editor's buffer, saved or not).
    pub prefix: String,
    pub suffix: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Completion {
    pub text: String,
    pub provider: String,
    pub model: String,
    pub cached: bool,
    /// Files whose snippets went into the prompt.
    pub snippets: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EditInput {
    pub path: String,
    pub action: EditAction,
    /// The user's words (Refine) or the error to fix (Fix error).
    pub instruction: String,
    /// Only these lines (1-based, inclusive); none edits the whole file.
    pub start_line: Option<u32>,
    pub end_line: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EditProposal {
    /// Pass to `ai_edit_apply` / `ai_edit_discard`; empty for Explain and Audit.
    pub edit_id: String,
    pub path: String,
    /// The version of the file the edit was made against.
    pub base_version: String,
    pub original: String,
    pub proposed: String,
    pub hunks: Vec<Hunk>,
    /// The prose answer (Explain, Security audit), or the model's words around the code.
    pub explanation: String,
    /// None for a proposal made from text the user already has (a chat code block).
    pub answer: Option<Answer>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EditApplied {
    pub path: String,
    pub version: String,
    pub applied: Vec<u32>,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UsageDay {
    pub day: String,
    pub provider: String,
    pub model: String,
    pub calls: u32,
    pub errors: u32,
    pub cached: u32,
    pub tokens_in: f64,
    pub tokens_out: f64,
    pub cost_usd: f64,
    pub avg_latency_ms: f64,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UsageCall {
    pub at_ms: f64,
    pub kind: String,
    pub provider: String,
    pub model: String,
    pub tokens_in: f64,
    pub tokens_out: f64,
    pub cost_usd: f64,
    pub latency_ms: f64,
    pub first_token_ms: Option<f64>,
    pub ok: bool,
    pub error: Option<String>,
    pub cached: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UsageView {
    pub days: Vec<UsageDay>,
    pub recent: Vec<UsageCall>,
    pub total_cost_usd: f64,
    pub total_calls: u32,
}

#[allow(clippy::cast_precision_loss)]
fn f(n: u64) -> f64 {
    n as f64
}

fn small(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl UsageView {
    pub(crate) fn from_rows(
        totals: Vec<aura_store::UsageTotal>,
        recent: Vec<aura_store::UsageRow>,
    ) -> Self {
        let total_cost_usd = totals.iter().map(|t| t.cost_usd).sum();
        let total_calls = small(totals.iter().map(|t| t.calls).sum());
        Self {
            days: totals
                .into_iter()
                .map(|t| UsageDay {
                    day: t.day,
                    provider: t.provider,
                    model: t.model,
                    calls: small(t.calls),
                    errors: small(t.errors),
                    cached: small(t.cached),
                    tokens_in: f(t.tokens_in),
                    tokens_out: f(t.tokens_out),
                    cost_usd: t.cost_usd,
                    avg_latency_ms: t.avg_latency_ms,
                })
                .collect(),
            recent: recent
                .into_iter()
                .map(|r| UsageCall {
                    #[allow(clippy::cast_precision_loss)]
                    at_ms: r.at_ms as f64,
                    kind: r.kind,
                    provider: r.provider,
                    model: r.model,
                    tokens_in: f(r.tokens_in),
                    tokens_out: f(r.tokens_out),
                    cost_usd: r.cost_usd,
                    latency_ms: f(r.latency_ms),
                    first_token_ms: r.first_token_ms.map(f),
                    ok: r.ok,
                    error: r.error,
                    cached: r.cached,
                })
                .collect(),
            total_cost_usd,
            total_calls,
        }
    }
}
